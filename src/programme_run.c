/*
 * programme_run.c -- the city's programme in figures, as a step of the main
 * job (see internal.h, "programme_run.c"): today's clusters against the
 * [plan] layer (change.h), wastewater-treatment plants ([wastewater],
 * wastewater.h), the programme fields of [clusters] (programme.h) and the
 * craft villages no cluster of today or of the plan serves.
 *
 * What it makes, for report.c, workbook.c and run.c to show:
 *   - per cluster: its change class and plant state (the clusters layer's
 *     `change` and `wwtp` fields), and its programme flags appended to
 *     `flags` (WWTP_MISSING, NOT_STARTED, NO_PLAN_1500);
 *   - the plan_changes layer: one feature per group of matched clusters;
 *   - findings: WWTP_MISSING (an operating cluster whose state is not
 *     compliant; subject its id) and RELOCATION_GAP (a village with no
 *     cluster of today's or the planned layer within radius_m; subject its
 *     id, other the nearest planned cluster);
 *   - the tables of the report's "Programme progress" section (ccgis_ptable),
 *     each shown the same in report.md, summary.json and the workbook.
 *
 * Rules, as documented in README.md:
 *   - operating: the cluster's status, cleaned and compared as a class
 *     (NFC, case folded: classkey.c), is one of [clusters] operating;
 *   - not started: set up (year_set_up) in 2018-2020 and no construction
 *     start given (needs both fields);
 *   - without a 1/500 plan: no approval date given in plan_1500;
 *   - a value that cannot be read (a year "20l9") is warned about, naming
 *     the cluster by id, and counts as not given;
 *   - relocation gaps are computed only with a [plan] (without one, the
 *     villages section already lists the villages beyond radius_m).
 * Invariants checked in code: the change groups' now areas add up to the
 * union of today's clusters, their plan areas to the union of the planned
 * ones (within 1e-6 relative), whenever the clusters of a layer do not
 * overlap (overlapping clusters in two groups would be counted in both).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The programme years whose clusters should have started building (the
 * 2023 plan: "start building infrastructure in clusters set up in
 * 2018-2020"). */
#define NOT_STARTED_FROM 2018
#define NOT_STARTED_TO 2020

/* At most this many tables. */
#define MAX_TABLES 10

/* The programme fields read from one cluster. */
typedef struct pfields {
    int year, start, p1500;      /* years; 0: not given */
    double clear_pct;            /* NaN: not given */
    double enterprises, workers; /* NaN: not given */
} pfields;

struct ccgis_programme {
    ccgis_change_result *change;      /* NULL without [plan] */
    ccgis_wwtp_result *wwtp;          /* NULL without [wastewater] */
    ccgis_assign_result *plan_assign; /* districts of the planned clusters; NULL without
                                         [plan] or [districts] */
    ccgis_near_result *near_plan;     /* villages to the planned clusters; NULL without */
    ccgis_overlay_result *plan_zoning; /* the planned clusters against the zoning; NULL
                                          without [plan] or [zoning] */
    double plan_sum_m2, plan_union_m2;
    int *operating; /* [clusters] 1 if its status means operating */
    pfields *pf;    /* [clusters] */
    int *gap;       /* [villages] 1 if a relocation gap; NULL without */
    size_t n_gaps;
    ccgis_ptable tables[MAX_TABLES];
    size_t n_tables;
};

/* ---- loading --------------------------------------------------------------- */

/* ccgis_programme_load: see internal.h. */
ccgis_status ccgis_programme_load(run_data *d, ccgis_progress_fn fn, void *arg)
{
    const ccgis_job *job = d->job;
    ccgis_status st;
    if (job->plan.present &&
        (st = ccgis_run_load_input(d, &job->plan, job->plan.id, CCGIS_ROLE_POLYGONS, "plan",
                                   &d->plan_layer, fn, arg, 0.09, 0.005)) != CCGIS_OK)
        return st;
    if (job->wastewater.present &&
        (st = ccgis_run_load_input(d, &job->wastewater, job->wastewater.id, CCGIS_ROLE_POINTS,
                                   "wastewater", &d->plants, fn, arg, 0.095, 0.005)) != CCGIS_OK)
        return st;
    const ccgis_layer *others[] = {d->plan_layer, d->plants};
    for (size_t k = 0; k < 2; k++)
        if (others[k] && !ccgis_layers_overlap(d->clusters, others[k]))
            ccgis_msg(d->ctx, CCGIS_WARNING,
                      "%s and %s do not overlap at all once both are in WGS 84 -- one of "
                      "them is probably in the wrong CRS (check the .prj or set srs=)",
                      others[k]->source, d->clusters->source);
    return CCGIS_OK;
}

/* ---- reading the fields ------------------------------------------------------ */

/* The text of field `name` of feature i of l, NULL if unset or no such field. */
static const char *field_text(const ccgis_layer *l, size_t i, const char *name)
{
    int k = name ? OGR_FD_GetFieldIndex(l->defn, name) : -1;
    if (k < 0 || !OGR_F_IsFieldSetAndNotNull(l->f[i].attrs, k))
        return NULL;
    return OGR_F_GetFieldAsString(l->f[i].attrs, k);
}

/* The status of cluster i ("" if none; d->status is not made yet). */
static const char *status_of(const run_data *d, size_t i)
{
    const char *s = field_text(d->clusters, i, d->job->clusters.status);
    return s ? s : "";
}

/* Warn that cluster i's `key` = `field` value `value` cannot be read as `what`. */
static void unreadable(run_data *d, size_t i, const char *key, const char *field, const char *value,
                       const char *what)
{
    const ccgis_layer *l = d->clusters;
    ccgis_msg_feature(d->ctx, CCGIS_WARNING, (ccgis_where){l->source, l->name, l->f[i].fid},
                      l->f[i].key,
                      "[clusters] %s = %s: '%s' is not %s -- correct the value; the cluster "
                      "counts as without it",
                      key, field, value, what);
}

/* Read one year field of cluster i into *out (0: not given or unreadable). */
static void read_year(run_data *d, size_t i, const char *key, const char *field, int *out)
{
    *out = 0;
    const char *s = field ? field_text(d->clusters, i, field) : NULL;
    if (s && ccgis_read_year(s, out) < 0) {
        *out = 0;
        unreadable(d, i, key, field, s, "a year or date (2019, 2019-05-10, 05/2019)");
    }
}

/* Read a count field of cluster i into *out (NaN: not given or unreadable). */
static void read_count(run_data *d, size_t i, const char *key, const char *field, double *out)
{
    long long n = 0;
    *out = NAN;
    const char *s = field ? field_text(d->clusters, i, field) : NULL;
    int r = s ? ccgis_read_count(s, &n) : 0;
    if (r > 0)
        *out = (double)n;
    else if (r < 0)
        unreadable(d, i, key, field, s, "a whole number (4169, 4.169)");
}

/* The programme fields of every cluster. */
static ccgis_status read_fields(run_data *d, ccgis_programme *p)
{
    const ccgis_job_input *c = &d->job->clusters;
    size_t nc = d->clusters->n;
    if (!(p->pf = ccgis_calloc(d->ctx, nc + 1, sizeof *p->pf)))
        return CCGIS_ERR_NOMEM;
    for (size_t i = 0; i < nc; i++) {
        pfields *f = &p->pf[i];
        read_year(d, i, "year_set_up", c->year_set_up, &f->year);
        read_year(d, i, "construction_start", c->construction_start, &f->start);
        read_year(d, i, "plan_1500", c->plan_1500, &f->p1500);
        f->clear_pct = NAN;
        const char *s = c->clearance_pct ? field_text(d->clusters, i, c->clearance_pct) : NULL;
        double v = 0;
        int r = s ? ccgis_read_share(s, &v) : 0;
        if (r > 0)
            f->clear_pct = v;
        else if (r < 0)
            unreadable(d, i, "clearance_pct", c->clearance_pct, s,
                       "a percentage from 0 to 100 (85, 85 %, 85,5)");
        read_count(d, i, "enterprises", c->enterprises, &f->enterprises);
        read_count(d, i, "workers", c->workers, &f->workers);
    }
    return CCGIS_OK;
}

/* 1 if `status` is one of the job's operating values (compared as classes);
 * -1 when out of memory. */
static int is_operating(ccgis_ctx *ctx, const char *const *operating, const char *status)
{
    char *clean = ccgis_class_clean(ctx, status);
    char *key = clean ? ccgis_class_key(ctx, clean) : NULL;
    int yes = key ? 0 : -1;
    for (const char *const *o = operating; key && o && *o && !yes; o++) {
        char *oc = ccgis_class_clean(ctx, *o);
        char *ok = oc ? ccgis_class_key(ctx, oc) : NULL;
        if (!ok)
            yes = -1;
        else if (key[0] && strcmp(ok, key) == 0)
            yes = 1;
        free(oc);
        free(ok);
    }
    free(clean);
    free(key);
    return yes;
}

/* ---- tables ------------------------------------------------------------------ */

/* A new table of p with room for `rows` rows (NULL: recorded). */
static ccgis_ptable *table_new(ccgis_ctx *ctx, ccgis_programme *p, const char *key,
                               ccgis_text_id title, ccgis_text_id about, const ccgis_pcol *cols,
                               size_t ncols, size_t rows)
{
    if (p->n_tables >= MAX_TABLES) {
        ccgis_error(ctx, CCGIS_ERR_INTERNAL, "too many programme tables");
        return NULL;
    }
    ccgis_ptable *t = &p->tables[p->n_tables];
    *t = (ccgis_ptable){key, title, about, 0, ncols, 0, rows + 1, cols, NULL};
    if (!(t->cells = ccgis_calloc(ctx, (rows + 1) * ncols, sizeof *t->cells)))
        return NULL;
    for (size_t k = 0; k < (rows + 1) * ncols; k++)
        t->cells[k].v = NAN;
    p->n_tables++;
    return t;
}

/* Set a text cell of row r (a copy; NULL kept as NULL).  0 when out of memory. */
static int set_text(ccgis_ctx *ctx, ccgis_ptable *t, size_t r, size_t c, const char *s)
{
    ccgis_pcell *cell = &t->cells[r * t->ncols + c];
    free(cell->text);
    cell->text = NULL;
    return !s || (cell->text = ccgis_strdup(ctx, s)) != NULL;
}

/* Set a number cell of row r. */
static void set_num(ccgis_ptable *t, size_t r, size_t c, double v)
{
    t->cells[r * t->ncols + c].v = v;
}

/* The name of district k as shown, NULL for "no district" (k == SIZE_MAX). */
static const char *district_name(const run_data *d, size_t k)
{
    return k == SIZE_MAX ? NULL : d->dname[k];
}

/* The district rows of a job: every district (its first feature) then "no
 * district" (SIZE_MAX), into rows (room for districts->n + 1); how many. */
static size_t district_rows(const run_data *d, size_t *rows)
{
    size_t n = 0;
    for (size_t k = 0; d->districts && k < d->districts->n; k++)
        if (d->district_of[k] == k)
            rows[n++] = k;
    rows[n++] = SIZE_MAX;
    return n;
}

/* Index of `k` in rows[0..n) (the last, "no district", when not found). */
static size_t row_of(const size_t *rows, size_t n, size_t k)
{
    for (size_t r = 0; r < n; r++)
        if (rows[r] == k)
            return r;
    return n - 1;
}

/* The district of planned cluster j: its assigned name's first feature, or
 * SIZE_MAX. */
static size_t plan_district(const run_data *d, const ccgis_programme *p, size_t j)
{
    if (!p->plan_assign || !d->districts)
        return SIZE_MAX;
    const char *zone = p->plan_assign->zone[j];
    if (!zone || !zone[0])
        return SIZE_MAX;
    char *key = ccgis_class_key(d->ctx, zone);
    size_t found = SIZE_MAX;
    for (size_t k = 0; key && k < d->districts->n && found == SIZE_MAX; k++) {
        if (d->district_of[k] != k)
            continue;
        char *c = ccgis_class_clean(d->ctx, d->dname[k]);
        char *dk = c ? ccgis_class_key(d->ctx, c) : NULL;
        if (dk && strcmp(dk, key) == 0)
            found = k;
        free(c);
        free(dk);
    }
    free(key);
    return found;
}

static const ccgis_pcol change_cols[] = {
    {"change", T_P_CHANGE, CCGIS_PC_CHANGE, CCGIS_TEXT_COUNT},
    {"groups", T_P_GROUPS, CCGIS_PC_COUNT, CCGIS_TEXT_COUNT},
    {"now_count", T_P_NOW_N, CCGIS_PC_COUNT, CCGIS_TEXT_COUNT},
    {"now_ha", T_P_NOW_HA, CCGIS_PC_HA, CCGIS_TEXT_COUNT},
    {"plan_count", T_P_PLAN_N, CCGIS_PC_COUNT, CCGIS_TEXT_COUNT},
    {"plan_ha", T_P_PLAN_HA, CCGIS_PC_HA, CCGIS_TEXT_COUNT},
    {"gained_ha", T_P_GAINED_HA, CCGIS_PC_HA, CCGIS_TEXT_COUNT},
    {"lost_ha", T_P_LOST_HA, CCGIS_PC_HA, CCGIS_TEXT_COUNT},
};

/* Clusters and hectares per change class (a row per class, none left out). */
static ccgis_status changes_table(run_data *d, ccgis_programme *p)
{
    const ccgis_change_result *r = p->change;
    ccgis_ptable *t = table_new(d->ctx, p, "changes", R_P_CHANGES, R_PA_CHANGES, change_cols, 8,
                                CCGIS_CHANGE_KINDS);
    if (!t)
        return ccgis_errcode(d->ctx);
    t->nrows = CCGIS_CHANGE_KINDS;
    for (size_t k = 0; k < CCGIS_CHANGE_KINDS; k++) {
        double v[8] = {(double)k, 0, 0, 0, 0, 0, 0, 0};
        for (size_t g = 0; g < r->n_groups; g++) {
            const ccgis_change_group *grp = &r->g[g];
            if ((size_t)grp->kind != k)
                continue;
            v[1] += 1;
            v[2] += (double)grp->n_now;
            v[3] += grp->now_m2 / 1e4;
            v[4] += (double)grp->n_plan;
            v[5] += grp->plan_m2 / 1e4;
            v[6] += grp->gained_m2 / 1e4;
            v[7] += grp->lost_m2 / 1e4;
        }
        for (size_t c = 0; c < 8; c++)
            set_num(t, k, c, v[c]);
    }
    return CCGIS_OK;
}

static const ccgis_pcol district_cols[] = {
    {"district", T_DISTRICT, CCGIS_PC_TEXT, T_NO_DISTRICT},
    {"now_count", T_P_NOW_N, CCGIS_PC_COUNT, CCGIS_TEXT_COUNT},
    {"now_ha", T_P_NOW_HA, CCGIS_PC_HA, CCGIS_TEXT_COUNT},
    {"plan_count", T_P_PLAN_N, CCGIS_PC_COUNT, CCGIS_TEXT_COUNT},
    {"plan_ha", T_P_PLAN_HA, CCGIS_PC_HA, CCGIS_TEXT_COUNT},
};

/* Now and planned per district: every district, then "no district" when
 * some cluster of either layer is in none. */
static ccgis_status by_district_table(run_data *d, ccgis_programme *p)
{
    size_t nd = d->districts->n;
    size_t *rows = ccgis_calloc(d->ctx, nd + 2, sizeof *rows);
    if (!rows)
        return CCGIS_ERR_NOMEM;
    size_t n = district_rows(d, rows);
    ccgis_ptable *t =
        table_new(d->ctx, p, "by_district", R_P_BY_DISTRICT, CCGIS_TEXT_COUNT, district_cols, 5, n);
    if (!t) {
        free(rows);
        return ccgis_errcode(d->ctx);
    }
    t->from_to = 1;
    t->nrows = n;
    for (size_t r = 0; r < n; r++) {
        for (size_t c = 1; c < 5; c++)
            set_num(t, r, c, 0);
        if (!set_text(d->ctx, t, r, 0, district_name(d, rows[r]))) {
            free(rows);
            return CCGIS_ERR_NOMEM;
        }
    }
    for (size_t i = 0; i < d->clusters->n; i++) {
        size_t r = row_of(rows, n, d->cluster_district[i]);
        t->cells[r * 5 + 1].v += 1;
        t->cells[r * 5 + 2].v += d->area_m2[i] / 1e4;
    }
    const ccgis_layer *pl = d->plan_layer;
    for (size_t j = 0; j < pl->n; j++) {
        size_t r = row_of(rows, n, plan_district(d, p, j));
        double a = NAN;
        if (ccgis_geod_area(d->ctx, pl->f[j].geom, &a) != CCGIS_OK) {
            free(rows);
            return ccgis_errcode(d->ctx);
        }
        t->cells[r * 5 + 3].v += 1;
        t->cells[r * 5 + 4].v += a / 1e4;
    }
    /* "no district" only when it holds something */
    if (t->cells[(n - 1) * 5 + 1].v == 0 && t->cells[(n - 1) * 5 + 3].v == 0)
        t->nrows--;
    free(rows);
    return CCGIS_OK;
}

static const ccgis_pcol status_cols[] = {
    {"status", T_STATUS, CCGIS_PC_TEXT, T_NO_STATUS},
    {"now_count", T_P_NOW_N, CCGIS_PC_COUNT, CCGIS_TEXT_COUNT},
    {"now_ha", T_P_NOW_HA, CCGIS_PC_HA, CCGIS_TEXT_COUNT},
    {"plan_count", T_P_PLAN_N, CCGIS_PC_COUNT, CCGIS_TEXT_COUNT},
    {"plan_ha", T_P_PLAN_HA, CCGIS_PC_HA, CCGIS_TEXT_COUNT},
};

/* Now and planned per status: statuses compared as classes, shown as first
 * spelt (today's layer first), in order of first appearance. */
static ccgis_status by_status_table(run_data *d, ccgis_programme *p)
{
    ccgis_ctx *ctx = d->ctx;
    const ccgis_layer *pl = d->plan_layer;
    size_t nc = d->clusters->n, np = pl->n, cap = nc + np + 1;
    char **keys = ccgis_calloc(ctx, cap, sizeof *keys);
    ccgis_ptable *t =
        keys ? table_new(ctx, p, "by_status", R_P_BY_STATUS, CCGIS_TEXT_COUNT, status_cols, 5, cap)
             : NULL;
    ccgis_status st = CCGIS_OK;
    if (!t) {
        free(keys);
        return ccgis_errcode(ctx);
    }
    t->from_to = 1;
    for (size_t i = 0; i < nc + np && st == CCGIS_OK; i++) {
        int now = i < nc;
        size_t j = now ? i : i - nc;
        const char *status = now ? status_of(d, i) : field_text(pl, j, d->job->plan.status);
        char *clean = ccgis_class_clean(ctx, status);
        char *key = clean ? ccgis_class_key(ctx, clean) : NULL;
        if (!key) {
            free(clean);
            st = CCGIS_ERR_NOMEM;
            break;
        }
        size_t r = 0;
        while (r < t->nrows && strcmp(keys[r], key) != 0)
            r++;
        if (r == t->nrows) {
            keys[t->nrows++] = key;
            key = NULL;
            for (size_t c = 1; c < 5; c++)
                set_num(t, r, c, 0);
            if (!set_text(ctx, t, r, 0, clean[0] ? clean : NULL))
                st = CCGIS_ERR_NOMEM;
        }
        free(key);
        free(clean);
        double a = now ? d->area_m2[i] : NAN;
        if (!now && ccgis_geod_area(ctx, pl->f[j].geom, &a) != CCGIS_OK)
            st = ccgis_errcode(ctx);
        t->cells[r * 5 + (now ? 1 : 3)].v += 1;
        t->cells[r * 5 + (now ? 2 : 4)].v += a / 1e4;
    }
    for (size_t r = 0; r < t->nrows; r++)
        free(keys[r]);
    free(keys);
    return st;
}

static const ccgis_pcol wwtp_cols[] = {
    {"wwtp", T_P_WWTP, CCGIS_PC_WWTP, CCGIS_TEXT_COUNT},
    {"clusters", T_N_CLUSTERS, CCGIS_PC_COUNT, CCGIS_TEXT_COUNT},
    {"operating", T_P_OPERATING, CCGIS_PC_COUNT, CCGIS_TEXT_COUNT},
};

/* Clusters and operating clusters per plant state, compliant first. */
static ccgis_status wwtp_table(run_data *d, ccgis_programme *p)
{
    ccgis_ptable *t = table_new(d->ctx, p, "wastewater", R_P_WWTP, R_PA_WWTP, wwtp_cols, 3, 3);
    if (!t)
        return ccgis_errcode(d->ctx);
    t->nrows = 3;
    static const ccgis_wwtp_state order[3] = {CCGIS_WWTP_COMPLIANT, CCGIS_WWTP_NOT_COMPLIANT,
                                              CCGIS_WWTP_NONE};
    for (size_t r = 0; r < 3; r++) {
        size_t n = 0, op = 0;
        for (size_t i = 0; i < d->clusters->n; i++)
            if (p->wwtp->state[i] == order[r]) {
                n++;
                op += p->operating[i] == 1;
            }
        set_num(t, r, 0, (double)order[r]);
        set_num(t, r, 1, (double)n);
        set_num(t, r, 2, (double)op);
    }
    return CCGIS_OK;
}

static const ccgis_pcol plan_conflict_cols[] = {
    {"plan_id", T_CL_ID, CCGIS_PC_TEXT, CCGIS_TEXT_COUNT},
    {"change", T_P_CHANGE, CCGIS_PC_CHANGE, CCGIS_TEXT_COUNT},
    {"area_ha", T_AREA_HA, CCGIS_PC_HA, CCGIS_TEXT_COUNT},
    {"confl_ha", T_CONFL_HA, CCGIS_PC_HA, CCGIS_TEXT_COUNT},
    {"confl_pct", T_CONFL_PCT, CCGIS_PC_PCT, CCGIS_TEXT_COUNT},
    {"confl_top", T_CONFL_TOP, CCGIS_PC_TEXT, CCGIS_TEXT_COUNT},
};

/* The planned clusters on land not zoned for industry (conflict above their
 * tolerance, as for today's ZONING_CONFLICT), in the plan layer's order, with
 * the change class of their group: the conflicts the plan would keep or
 * create (a new, expanded or moved cluster's are new). */
static ccgis_status plan_conflict_table(run_data *d, ccgis_programme *p)
{
    const ccgis_overlay_result *z = p->plan_zoning;
    const ccgis_layer *pl = d->plan_layer;
    size_t n = 0;
    for (size_t j = 0; j < pl->n; j++)
        n += z->conflict_m2[j] > z->tol_m2[j];
    ccgis_ptable *t = table_new(d->ctx, p, "plan_conflicts", R_P_PLAN_CONFL, R_PA_PLAN_CONFL,
                                plan_conflict_cols, 6, n);
    if (!t)
        return ccgis_errcode(d->ctx);
    size_t r = 0;
    for (size_t j = 0; j < pl->n; j++) {
        if (!(z->conflict_m2[j] > z->tol_m2[j]))
            continue;
        const ccgis_change_group *g = &p->change->g[p->change->plan_group[j]];
        if (!set_text(d->ctx, t, r, 0, pl->f[j].key) ||
            !set_text(d->ctx, t, r, 5, z->conflict_top[j]))
            return CCGIS_ERR_NOMEM;
        set_num(t, r, 1, (double)g->kind);
        set_num(t, r, 2, z->area_m2[j] / 1e4);
        set_num(t, r, 3, z->conflict_m2[j] / 1e4);
        set_num(t, r, 4, ccgis_pct(z->conflict_m2[j], z->area_m2[j]));
        r++;
    }
    t->nrows = r;
    return CCGIS_OK;
}

/* The district of cluster i, as shown (NULL: none, or no districts). */
static const char *cluster_district_name(const run_data *d, size_t i)
{
    return d->districts ? district_name(d, d->cluster_district[i]) : NULL;
}

static const ccgis_pcol not_started_cols[] = {
    {"id", T_CL_ID, CCGIS_PC_TEXT, CCGIS_TEXT_COUNT},
    {"name", T_CL_NAME, CCGIS_PC_TEXT, CCGIS_TEXT_COUNT},
    {"district", T_DISTRICT, CCGIS_PC_TEXT, T_NO_DISTRICT},
    {"status", T_STATUS, CCGIS_PC_TEXT, T_NO_STATUS},
    {"year_set_up", T_P_YEAR_SET_UP, CCGIS_PC_YEAR, CCGIS_TEXT_COUNT},
    {"clearance_pct", T_P_CLEARANCE, CCGIS_PC_PCT, CCGIS_TEXT_COUNT},
};

/* A list of clusters (id, name, district, status, year set up, share
 * cleared): those with want[i] set. */
static ccgis_status cluster_list(run_data *d, ccgis_programme *p, const char *key,
                                 ccgis_text_id title, ccgis_text_id about, const int *want)
{
    size_t n = 0;
    for (size_t i = 0; i < d->clusters->n; i++)
        n += want[i] != 0;
    ccgis_ptable *t = table_new(d->ctx, p, key, title, about, not_started_cols, 6, n);
    if (!t)
        return ccgis_errcode(d->ctx);
    const char *name_field = d->job->clusters.name;
    for (size_t i = 0; i < d->clusters->n; i++) {
        if (!want[i])
            continue;
        size_t r = t->nrows++;
        const char *st = status_of(d, i);
        if (!set_text(d->ctx, t, r, 0, d->clusters->f[i].key) ||
            !set_text(d->ctx, t, r, 1, field_text(d->clusters, i, name_field)) ||
            !set_text(d->ctx, t, r, 2, cluster_district_name(d, i)) ||
            !set_text(d->ctx, t, r, 3, st && st[0] ? st : NULL))
            return CCGIS_ERR_NOMEM;
        set_num(t, r, 4, p->pf[i].year ? (double)p->pf[i].year : NAN);
        set_num(t, r, 5, p->pf[i].clear_pct);
    }
    return CCGIS_OK;
}

/* 1 if two statuses are the same (compared as classes), 0 if not, -1 when
 * out of memory. */
static int same_status(ccgis_ctx *ctx, const char *a, const char *b)
{
    char *ca = ccgis_class_clean(ctx, a), *cb = ccgis_class_clean(ctx, b);
    char *ka = ca ? ccgis_class_key(ctx, ca) : NULL, *kb = cb ? ccgis_class_key(ctx, cb) : NULL;
    int same = ka && kb ? strcmp(ka, kb) == 0 : -1;
    free(ca);
    free(cb);
    free(ka);
    free(kb);
    return same;
}

static const ccgis_pcol people_cols[] = {
    {"district", T_DISTRICT, CCGIS_PC_TEXT, T_NO_DISTRICT},
    {"status", T_STATUS, CCGIS_PC_TEXT, T_NO_STATUS},
    {"clusters", T_N_CLUSTERS, CCGIS_PC_COUNT, CCGIS_TEXT_COUNT},
    {"enterprises", T_P_ENTERPRISES, CCGIS_PC_COUNT, CCGIS_TEXT_COUNT},
    {"workers", T_P_WORKERS, CCGIS_PC_COUNT, CCGIS_TEXT_COUNT},
};

/* Enterprises and workers per district and status: districts in layer
 * order (then no district), statuses (compared as classes, shown as first
 * spelt) in order of first appearance; a
 * cluster without the figure adds nothing to it. */
static ccgis_status people_table(run_data *d, ccgis_programme *p)
{
    ccgis_ctx *ctx = d->ctx;
    size_t nc = d->clusters->n, nd = d->districts ? d->districts->n : 0;
    size_t *drows = ccgis_calloc(ctx, nd + 2, sizeof *drows);
    size_t *rd = ccgis_calloc(ctx, nc + 1, sizeof *rd); /* row's district row */
    size_t *rs = ccgis_calloc(ctx, nc + 1, sizeof *rs); /* row's first cluster */
    ccgis_ptable *t = drows && rd && rs ? table_new(ctx, p, "enterprises", R_P_PEOPLE,
                                                    CCGIS_TEXT_COUNT, people_cols, 5, nc)
                                        : NULL;
    ccgis_status st = CCGIS_OK;
    if (!t) {
        st = ccgis_errcode(ctx);
        goto done;
    }
    size_t ndr = district_rows(d, drows);
    for (size_t dr = 0; dr < ndr && st == CCGIS_OK; dr++) {
        for (size_t i = 0; i < nc && st == CCGIS_OK; i++) {
            size_t k = d->districts ? d->cluster_district[i] : SIZE_MAX;
            if (k != drows[dr])
                continue;
            size_t r = 0;
            int same = 0;
            for (; r < t->nrows && !same; r += !same)
                if (rd[r] == dr &&
                    (same = same_status(ctx, status_of(d, rs[r]), status_of(d, i))) < 0)
                    st = CCGIS_ERR_NOMEM;
            if (st != CCGIS_OK)
                break;
            if (r == t->nrows) {
                t->nrows++;
                rd[r] = dr;
                rs[r] = i;
                if (!set_text(ctx, t, r, 0, district_name(d, k)) ||
                    !set_text(ctx, t, r, 1, status_of(d, i)[0] ? status_of(d, i) : NULL))
                    st = CCGIS_ERR_NOMEM;
                for (size_t c = 2; c < 5; c++)
                    set_num(t, r, c, 0);
            }
            t->cells[r * 5 + 2].v += 1;
            if (!isnan(p->pf[i].enterprises))
                t->cells[r * 5 + 3].v += p->pf[i].enterprises;
            if (!isnan(p->pf[i].workers))
                t->cells[r * 5 + 4].v += p->pf[i].workers;
        }
    }
done:
    free(drows);
    free(rd);
    free(rs);
    return st;
}

static const ccgis_pcol gap_district_cols[] = {
    {"district", T_DISTRICT, CCGIS_PC_TEXT, T_NO_DISTRICT},
    {"villages", T_D_VILLAGES, CCGIS_PC_COUNT, CCGIS_TEXT_COUNT},
    {"gaps", T_P_GAPS, CCGIS_PC_COUNT, CCGIS_TEXT_COUNT},
};

/* Villages and relocation gaps per district (every district, then none). */
static ccgis_status gaps_by_district_table(run_data *d, ccgis_programme *p)
{
    size_t nd = d->districts->n;
    size_t *rows = ccgis_calloc(d->ctx, nd + 2, sizeof *rows);
    if (!rows)
        return CCGIS_ERR_NOMEM;
    size_t n = district_rows(d, rows);
    ccgis_ptable *t = table_new(d->ctx, p, "gaps_by_district", R_P_GAPS_BY_DISTRICT,
                                CCGIS_TEXT_COUNT, gap_district_cols, 3, n);
    if (!t) {
        free(rows);
        return ccgis_errcode(d->ctx);
    }
    t->nrows = n;
    for (size_t r = 0; r < n; r++) {
        set_num(t, r, 1, 0);
        set_num(t, r, 2, 0);
        if (!set_text(d->ctx, t, r, 0, district_name(d, rows[r]))) {
            free(rows);
            return CCGIS_ERR_NOMEM;
        }
    }
    for (size_t v = 0; v < d->villages->n; v++) {
        size_t k = d->village_district ? d->village_district[v] : SIZE_MAX;
        size_t r = row_of(rows, n, k);
        t->cells[r * 3 + 1].v += 1;
        t->cells[r * 3 + 2].v += p->gap[v];
    }
    if (t->cells[(n - 1) * 3 + 1].v == 0)
        t->nrows--;
    free(rows);
    return CCGIS_OK;
}

static const ccgis_pcol gap_cols[] = {
    {"id", T_V_ID, CCGIS_PC_TEXT, CCGIS_TEXT_COUNT},
    {"name", T_V_NAME, CCGIS_PC_TEXT, CCGIS_TEXT_COUNT},
    {"district", T_DISTRICT, CCGIS_PC_TEXT, T_NO_DISTRICT},
    {"near_plan_id", T_P_NEAR_PLAN, CCGIS_PC_TEXT, CCGIS_TEXT_COUNT},
    {"near_plan_km", T_P_NEAR_KM, CCGIS_PC_KM, CCGIS_TEXT_COUNT},
};

/* The relocation gaps, one row each, in reading order. */
static ccgis_status gaps_table(run_data *d, ccgis_programme *p)
{
    ccgis_ptable *t =
        table_new(d->ctx, p, "relocation_gaps", R_P_GAPS, R_PA_GAPS, gap_cols, 5, p->n_gaps);
    if (!t)
        return ccgis_errcode(d->ctx);
    const ccgis_layer *vl = d->villages;
    for (size_t v = 0; v < vl->n; v++) {
        if (!p->gap[v])
            continue;
        size_t r = t->nrows++, k = d->village_district ? d->village_district[v] : SIZE_MAX;
        const char *name = field_text(vl, v, d->job->villages.name);
        if (!set_text(d->ctx, t, r, 0, vl->f[v].key) || !set_text(d->ctx, t, r, 1, name) ||
            !set_text(d->ctx, t, r, 2, district_name(d, k)) ||
            !set_text(d->ctx, t, r, 3, d->plan_layer->f[p->near_plan->nearest[v]].key))
            return CCGIS_ERR_NOMEM;
        set_num(t, r, 4, p->near_plan->dist_m[v] / 1000.0);
    }
    return CCGIS_OK;
}

/* ---- the analysis ------------------------------------------------------------- */

/* Append ";name" (or "name") to cluster i's flags.  0 when out of memory. */
static int add_flag(run_data *d, size_t i, const char *name)
{
    char *old = d->flags[i];
    size_t n = strlen(old) + strlen(name) + 2;
    char *s = ccgis_calloc(d->ctx, n, 1);
    if (!s)
        return 0;
    snprintf(s, n, "%s%s%s", old, old[0] ? ";" : "", name);
    free(old);
    d->flags[i] = s;
    return 1;
}

/*
 * The groups' areas add up to the unions of the layers (change.h): checked
 * for a layer whose clusters do not overlap (sum of areas = union area).
 */
static ccgis_status check_sums(run_data *d, const ccgis_programme *p)
{
    const ccgis_change_result *r = p->change;
    double now = 0, plan = 0;
    for (size_t g = 0; g < r->n_groups; g++) {
        now += r->g[g].now_m2;
        plan += r->g[g].plan_m2;
    }
    const struct {
        const char *what;
        double groups, sum, un;
    } c[2] = {{"today's clusters", now, d->sum_m2, d->union_m2},
              {"the planned clusters", plan, p->plan_sum_m2, p->plan_union_m2}};
    for (int k = 0; k < 2; k++) {
        if (c[k].sum - c[k].un > 1e-9 * c[k].sum)
            continue; /* overlapping clusters: a group's union may share ground with another's */
        if (fabs(c[k].groups - c[k].un) > 1e-6 * (c[k].un > 1 ? c[k].un : 1))
            return ccgis_error(d->ctx, CCGIS_ERR_INTERNAL,
                               "the change groups of %s add up to %.3f m² but their union "
                               "measures %.3f m² -- a bug in ccgis: please report it",
                               c[k].what, c[k].groups, c[k].un);
    }
    return CCGIS_OK;
}

/* WWTP_MISSING for every operating cluster not compliant, with its flag. */
static ccgis_status wwtp_findings(run_data *d, ccgis_programme *p)
{
    const ccgis_wwtp_result *w = p->wwtp;
    ccgis_status st = CCGIS_OK;
    for (size_t i = 0; i < d->clusters->n && st == CCGIS_OK; i++) {
        if (p->operating[i] != 1 || w->state[i] == CCGIS_WWTP_COMPLIANT)
            continue;
        const ccgis_feature *f = &d->clusters->f[i];
        GEOSGeometry *g = GEOSGeom_clone_r(d->ctx->geos, f->geom);
        if (w->state[i] == CCGIS_WWTP_NONE)
            st = ccgis_finding_say(d->ctx, &d->findings, CCGIS_WWTP_MISSING, "clusters", f->key,
                                   NULL, d->area_m2[i], g, CCGIS_SAY_WWTP_NONE,
                                   &(ccgis_say_args){{f->key}, {w->max_m}});
        else {
            const char *plant = d->plants->f[w->plant[i]].key;
            st = ccgis_finding_say(d->ctx, &d->findings, CCGIS_WWTP_MISSING, "clusters", f->key,
                                   plant, d->area_m2[i], g, CCGIS_SAY_WWTP_FAILS,
                                   &(ccgis_say_args){{f->key, plant}, {w->max_m, w->dist_m[i]}});
        }
        if (st == CCGIS_OK && !add_flag(d, i, "WWTP_MISSING"))
            st = CCGIS_ERR_NOMEM;
    }
    return st;
}

/* Whether plant k meets the standard, read from [wastewater] standard_met
 * (a value neither yes nor no warned, naming the plant, and read as no). */
static ccgis_status plant_standards(run_data *d, int *meets)
{
    const ccgis_layer *pl = d->plants;
    const char *field = d->job->wastewater.standard_met;
    for (size_t k = 0; k < pl->n; k++) {
        const char *s = field ? field_text(pl, k, field) : NULL;
        int y = field ? ccgis_yes(d->ctx, s) : 0;
        if (y < 0 && ccgis_errcode(d->ctx) == CCGIS_ERR_NOMEM)
            return CCGIS_ERR_NOMEM;
        if (y < 0)
            ccgis_msg_feature(d->ctx, CCGIS_WARNING,
                              (ccgis_where){pl->source, pl->name, pl->f[k].fid}, pl->f[k].key,
                              "[wastewater] standard_met = %s: '%s' is neither yes (1, yes, "
                              "true, có, đạt) nor no (0, no, false, không, chưa đạt) -- the "
                              "plant counts as not meeting the standard; correct the value",
                              field, s);
        meets[k] = y == 1;
    }
    return CCGIS_OK;
}

/* RELOCATION_GAP for every village with no cluster of today or of the plan
 * within radius_m. */
static ccgis_status relocation_gaps(run_data *d, ccgis_programme *p)
{
    const ccgis_layer *vl = d->villages;
    ccgis_status st =
        ccgis_near(d->ctx, vl, d->plan_layer, d->job->radius_m, NULL, NULL, &p->near_plan);
    if (st != CCGIS_OK)
        return st;
    if (!(p->gap = ccgis_calloc(d->ctx, vl->n + 1, sizeof *p->gap)))
        return CCGIS_ERR_NOMEM;
    for (size_t v = 0; v < vl->n && st == CCGIS_OK; v++) {
        if (d->near->within[v] || p->near_plan->within[v])
            continue;
        p->gap[v] = 1;
        p->n_gaps++;
        const char *name = field_text(vl, v, d->job->villages.name);
        const char *near_id = d->plan_layer->f[p->near_plan->nearest[v]].key;
        st = ccgis_finding_say(
            d->ctx, &d->findings, CCGIS_RELOCATION_GAP, "villages", vl->f[v].key, near_id, NAN,
            NULL, CCGIS_SAY_RELOCATION_GAP,
            &(ccgis_say_args){{vl->f[v].key, name ? name : vl->f[v].key, near_id},
                              {d->job->radius_m, p->near_plan->dist_m[v] / 1000.0}});
    }
    return st;
}

/* 1 if the job asks for any programme figure. */
static int wanted(const ccgis_job *job)
{
    const ccgis_job_input *c = &job->clusters;
    return job->plan.present || job->wastewater.present || c->year_set_up ||
           c->construction_start || c->plan_1500 || c->clearance_pct || c->enterprises ||
           c->workers;
}

/* ccgis_programme_analyse: see internal.h. */
ccgis_status ccgis_programme_analyse(run_data *d)
{
    ccgis_ctx *ctx = d->ctx;
    const ccgis_job *job = d->job;
    const ccgis_job_input *c = &job->clusters;
    size_t nc = d->clusters->n;
    if (!wanted(job))
        return CCGIS_OK;
    ccgis_programme *p = d->prog = ccgis_calloc(ctx, 1, sizeof *p);
    if (!p || !(p->operating = ccgis_calloc(ctx, nc + 1, sizeof *p->operating)))
        return CCGIS_ERR_NOMEM;
    ccgis_status st = read_fields(d, p);
    for (size_t i = 0; i < nc && st == CCGIS_OK; i++)
        if ((p->operating[i] =
                 is_operating(ctx, (const char *const *)job->operating, status_of(d, i))) < 0)
            st = CCGIS_ERR_NOMEM;
    if (st != CCGIS_OK)
        return st;

    if (d->plan_layer) {
        if ((st = ccgis_change(ctx, d->clusters, d->plan_layer, job->sliver, job->sliver_m2, NULL,
                               NULL, &p->change)) != CCGIS_OK ||
            (st = ccgis_union_area(ctx, d->plan_layer, NULL, NULL, &p->plan_sum_m2,
                                   &p->plan_union_m2)) != CCGIS_OK ||
            (st = check_sums(d, p)) != CCGIS_OK)
            return st;
        if (job->districts.present) {
            ccgis_layer_spec zs = {job->districts.source,
                                   job->districts.layer,
                                   job->districts.srs,
                                   NULL,
                                   CCGIS_ROLE_POLYGONS,
                                   "districts",
                                   job->districts.encoding,
                                   job->districts.where,
                                   NULL,
                                   NULL,
                                   job->districts.keep_fields};
            /* The planned clusters' own straddling is not a finding of today's data. */
            ccgis_findings none = CCGIS_FINDINGS_INIT;
            st = ccgis_assign(ctx, d->plan_layer, &zs, job->districts.name, job->sliver,
                              job->sliver_m2, &none, NULL, NULL, &p->plan_assign);
            ccgis_findings_clear(&none);
            if (st != CCGIS_OK)
                return st;
        }
    }
    if (d->plants) {
        int *meets = ccgis_calloc(ctx, d->plants->n + 1, sizeof *meets);
        if (!meets)
            return CCGIS_ERR_NOMEM;
        st = plant_standards(d, meets);
        if (st == CCGIS_OK)
            st = ccgis_wastewater(ctx, d->clusters, d->plants, meets, job->wwtp_max_m, NULL, NULL,
                                  &p->wwtp);
        free(meets);
        if (st != CCGIS_OK || (st = wwtp_findings(d, p)) != CCGIS_OK)
            return st;
    }
    if (d->plan_layer && d->villages && d->near && (st = relocation_gaps(d, p)) != CCGIS_OK)
        return st;

    /* The programme flags of each cluster, and the lists behind them. */
    int *not_started = ccgis_calloc(ctx, nc + 1, sizeof *not_started);
    int *no_1500 = ccgis_calloc(ctx, nc + 1, sizeof *no_1500);
    if (!not_started || !no_1500) {
        free(not_started);
        free(no_1500);
        return CCGIS_ERR_NOMEM;
    }
    for (size_t i = 0; i < nc && st == CCGIS_OK; i++) {
        const pfields *f = &p->pf[i];
        not_started[i] = c->year_set_up && c->construction_start && f->year >= NOT_STARTED_FROM &&
                         f->year <= NOT_STARTED_TO && !f->start;
        no_1500[i] = c->plan_1500 && !f->p1500;
        if ((not_started[i] && !add_flag(d, i, "NOT_STARTED")) ||
            (no_1500[i] && !add_flag(d, i, "NO_PLAN_1500")))
            st = CCGIS_ERR_NOMEM;
    }

    /* The tables, in the order shown. */
    if (st == CCGIS_OK && p->change && (st = changes_table(d, p)) == CCGIS_OK && d->districts)
        st = by_district_table(d, p);
    if (st == CCGIS_OK && p->change)
        st = by_status_table(d, p);
    if (st == CCGIS_OK && p->change && d->job->zoning.present) {
        ccgis_overlay_options o = ccgis_run_zoning_options(d->job);
        st = ccgis_overlay(ctx, d->plan_layer, &o, NULL, NULL, &p->plan_zoning);
        if (st == CCGIS_OK)
            st = plan_conflict_table(d, p);
    }
    if (st == CCGIS_OK && p->wwtp)
        st = wwtp_table(d, p);
    if (st == CCGIS_OK && c->year_set_up && c->construction_start)
        st = cluster_list(d, p, "not_started", R_P_NOT_STARTED, R_PA_NOT_STARTED, not_started);
    if (st == CCGIS_OK && c->plan_1500)
        st = cluster_list(d, p, "no_plan_1500", R_P_NO_1500, CCGIS_TEXT_COUNT, no_1500);
    if (st == CCGIS_OK && (c->enterprises || c->workers))
        st = people_table(d, p);
    if (st == CCGIS_OK && p->gap && d->districts)
        st = gaps_by_district_table(d, p);
    if (st == CCGIS_OK && p->gap)
        st = gaps_table(d, p);
    free(not_started);
    free(no_1500);
    return st;
}

/* ---- what the others show ------------------------------------------------------- */

/* ccgis_programme_change_of: see internal.h. */
const char *ccgis_programme_change_of(const run_data *d, size_t i)
{
    const ccgis_change_result *r = d->prog ? d->prog->change : NULL;
    return r ? ccgis_change_name(r->g[r->now_group[i]].kind) : "";
}

/* ccgis_programme_wwtp_of: see internal.h. */
const char *ccgis_programme_wwtp_of(const run_data *d, size_t i)
{
    const ccgis_wwtp_result *w = d->prog ? d->prog->wwtp : NULL;
    return w ? ccgis_wwtp_name(w->state[i]) : "";
}

/* ccgis_programme_tables: see internal.h. */
const ccgis_ptable *ccgis_programme_tables(const run_data *d, size_t *n)
{
    *n = d->prog ? d->prog->n_tables : 0;
    return d->prog ? d->prog->tables : NULL;
}

/* ccgis_programme_figures: see internal.h. */
int ccgis_programme_figures(const run_data *d, ccgis_pfigures *out)
{
    const ccgis_programme *p = d->prog;
    memset(out, 0, sizeof *out);
    if (!p)
        return 0;
    out->has_plan = p->change != NULL;
    out->has_wwtp = p->wwtp != NULL;
    out->has_gaps = p->gap != NULL;
    out->now_n = d->clusters->n;
    out->now_union_m2 = d->union_m2;
    out->plan_n = d->plan_layer ? d->plan_layer->n : 0;
    out->plan_union_m2 = p->plan_union_m2;
    if (p->wwtp) {
        out->plants = p->wwtp->n_plants;
        out->plants_unused = p->wwtp->n_unused;
        out->max_m = p->wwtp->max_m;
        for (size_t i = 0; i < d->clusters->n; i++) {
            out->wwtp_count[p->wwtp->state[i]]++;
            out->operating += p->operating[i] == 1;
            out->operating_compliant +=
                p->operating[i] == 1 && p->wwtp->state[i] == CCGIS_WWTP_COMPLIANT;
        }
    }
    out->villages = d->villages ? d->villages->n : 0;
    out->gaps = p->n_gaps;
    out->radius_m = d->job->radius_m;
    return 1;
}

/* ---- the plan_changes layer ------------------------------------------------------ */

/* The ids of the clusters idx[0..n) of l, joined with ", " (a new string). */
static char *join_ids(ccgis_ctx *ctx, const ccgis_layer *l, const size_t *idx, size_t n)
{
    size_t len = 1;
    for (size_t k = 0; k < n; k++)
        len += strlen(l->f[idx[k]].key) + 2;
    char *s = ccgis_calloc(ctx, len, 1);
    for (size_t k = 0; s && k < n; k++) {
        if (k)
            strcat(s, ", ");
        strcat(s, l->f[idx[k]].key);
    }
    return s;
}

/* ccgis_programme_table: see internal.h. */
ccgis_status ccgis_programme_table(run_data *d, GDALDatasetH *out)
{
    static const ccgis_field_spec cols[] = {
        {"cluster_id", CCGIS_F_STRING, 254, 0}, {"plan_id", CCGIS_F_STRING, 254, 0},
        {"change", CCGIS_F_STRING, 12, 0},      {"area_ha", CCGIS_F_REAL, 0, 0},
        {"plan_area_ha", CCGIS_F_REAL, 0, 0},   {"delta_ha", CCGIS_F_REAL, 0, 0},
        {"gained_ha", CCGIS_F_REAL, 0, 0},      {"lost_ha", CCGIS_F_REAL, 0, 0},
    };
    ccgis_ctx *ctx = d->ctx;
    GEOSContextHandle_t h = ctx->geos;
    const ccgis_change_result *r = d->prog ? d->prog->change : NULL;
    *out = NULL;
    if (!r)
        return CCGIS_OK;
    OGRLayerH l;
    GDALDatasetH ds = ccgis_table_new(ctx, "plan_changes", wkbMultiPolygon, NULL, cols, 8, &l);
    if (!ds)
        return ccgis_errcode(ctx);
    ccgis_status st = CCGIS_OK;
    for (size_t g = 0; g < r->n_groups && st == CCGIS_OK; g++) {
        const ccgis_change_group *grp = &r->g[g];
        char *now = join_ids(ctx, d->clusters, grp->now, grp->n_now);
        char *plan = join_ids(ctx, d->plan_layer, grp->plan, grp->n_plan);
        /* The land that changes hands: gained ∪ lost (they do not overlap). */
        GEOSGeometry *geom = NULL;
        const GEOSGeometry *gained = grp->gained, *lost = grp->lost;
        int has_g = gained && !GEOSisEmpty_r(h, gained), has_l = lost && !GEOSisEmpty_r(h, lost);
        if (has_g && has_l)
            geom = ccgis_geom_polygonal(ctx, GEOSUnion_r(h, gained, lost));
        else if (has_g || has_l)
            geom = GEOSGeom_clone_r(h, has_g ? gained : lost);
        if (!now || !plan || ((has_g || has_l) && !geom)) {
            st = (!now || !plan) ? CCGIS_ERR_NOMEM
                                 : ccgis_error(ctx, CCGIS_ERR_GEOMETRY,
                                               "plan_changes: cannot join the land gained and "
                                               "lost of %s / %s: %s",
                                               now ? now : "?", plan ? plan : "?",
                                               ccgis_geos_reason(ctx, "no reason"));
        } else {
            ccgis_value v[8] = {CCGIS_VSTR(now),
                                CCGIS_VSTR(plan),
                                CCGIS_VSTR(ccgis_change_name(grp->kind)),
                                CCGIS_VREAL(grp->now_m2 / 1e4),
                                CCGIS_VREAL(grp->plan_m2 / 1e4),
                                CCGIS_VREAL((grp->plan_m2 - grp->now_m2) / 1e4),
                                CCGIS_VREAL(grp->gained_m2 / 1e4),
                                CCGIS_VREAL(grp->lost_m2 / 1e4)};
            st = ccgis_table_add_poly(ctx, l, NULL, geom, v, 8);
        }
        if (geom)
            GEOSGeom_destroy_r(h, geom);
        free(now);
        free(plan);
    }
    return ccgis_table_finish(st, ds, (void **)out);
}

/* ---- freeing ----------------------------------------------------------------------- */

/* ccgis_programme_free: see internal.h. */
void ccgis_programme_free(ccgis_ctx *ctx, ccgis_programme *p)
{
    if (!p)
        return;
    ccgis_change_result_free(ctx, p->change);
    ccgis_wwtp_result_free(p->wwtp);
    ccgis_assign_result_free(p->plan_assign);
    ccgis_near_result_free(p->near_plan);
    ccgis_overlay_result_free(p->plan_zoning);
    for (size_t t = 0; t < p->n_tables; t++) {
        for (size_t k = 0; k < p->tables[t].cap_rows * p->tables[t].ncols; k++)
            free(p->tables[t].cells[k].text);
        free(p->tables[t].cells);
    }
    free(p->operating);
    free(p->pf);
    free(p->gap);
    free(p);
}
