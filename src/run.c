/*
 * run.c -- the main job (see ccgis/run.h): load, measure, aggregate, write
 * into a temporary folder, put it in place (the output transaction, outdir.h).
 *
 * The work is in three parts, each a function over a run_data (internal.h):
 *   load_inputs()  the small layers, with their findings;
 *   analyse()      areas, districts, zoning, villages, overlaps, flags, and
 *                  the per-district aggregates;
 *   write_all()    the layers in every format asked, district_status.csv,
 *                  report.md and summary.json (report.c), into the
 *                  temporary folder.
 * ccgis_run() strings them together; the output folder's fate is the
 * transaction's (ccgis_outdir_begin ... _end).
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

static const char *const phase_names[CCGIS_PHASES] = {
    "check", "load", "area", "districts", "zoning", "villages", "overlaps", "layers", "write"};

/* ccgis_run_phase_name: see run.h. */
const char *ccgis_run_phase_name(ccgis_run_phase phase)
{
    return (unsigned)phase < CCGIS_PHASES ? phase_names[phase] : "?";
}

/* Seconds on the monotonic clock. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Close the running phase: add the time since *mark to phase p; restart the mark. */
static void lap(run_data *d, ccgis_run_phase p, double *mark)
{
    double t = now_s();
    d->phase_s[p] += t - *mark;
    *mark = t;
}

/* Progress of one step, mapped into [base, base + span] of the whole run. */
typedef struct step {
    ccgis_progress_fn fn;
    void *arg;
    double base, span;
} step;

/* ccgis_progress_fn for a sub-step. */
static int step_progress(double fraction, const char *note, void *arg)
{
    step *s = arg;
    return s->fn ? s->fn(s->base + s->span * fraction, note, s->arg) : 1;
}

/* Report progress at `at`; returns CCGIS_OK, or the cancellation failure. */
static ccgis_status tick(ccgis_ctx *ctx, ccgis_progress_fn fn, void *arg, double at,
                         const char *note)
{
    if (fn && !fn(at, note, arg))
        return ccgis_error(ctx, CCGIS_ERR_CANCELLED, "cancelled by the caller");
    return CCGIS_OK;
}

/* The text of field `name` of a feature's attributes, "" if unset. */
static const char *attr_text(const ccgis_layer *l, size_t i, const char *name)
{
    if (!name)
        return "";
    int k = OGR_FD_GetFieldIndex(l->defn, name);
    if (k < 0 || !OGR_F_IsFieldSetAndNotNull(l->f[i].attrs, k))
        return "";
    return OGR_F_GetFieldAsString(l->f[i].attrs, k);
}

/* ccgis_run_zoning_options: see internal.h. */
ccgis_overlay_options ccgis_run_zoning_options(const ccgis_job *job)
{
    return (ccgis_overlay_options){
        .zones = {.source = job->zoning.source,
                  .layer = job->zoning.layer,
                  .srs = job->zoning.srs,
                  .id_field = job->zoning.id,
                  .role = CCGIS_ROLE_POLYGONS,
                  .what = "zoning",
                  .encoding = job->zoning.encoding,
                  .where = job->zoning.where},
        .class_field = job->zoning.klass,
        .allowed = (const char *const *)job->allowed,
        .sliver = job->sliver,
        .sliver_m2 = job->sliver_m2,
    };
}

/* Load one input of the job, prefixing a failure with its job file line;
 * progress reported into [base, base + span] of the run. */
static ccgis_status load_input(run_data *d, const ccgis_job_input *in, const char *id_field,
                               ccgis_role role, const char *what, ccgis_layer **out,
                               ccgis_progress_fn fn, void *arg, double base, double span)
{
    ccgis_layer_spec spec = {.source = in->source,
                             .layer = in->layer,
                             .srs = in->srs,
                             .id_field = id_field,
                             .role = role,
                             .what = what,
                             .encoding = in->encoding,
                             .where = in->where,
                             .x_field = in->x,
                             .y_field = in->y,
                             .keep_fields = in->keep_fields};
    step s = {fn, arg, base, span};
    ccgis_status st = ccgis_layer_load_progress(d->ctx, &spec, &d->findings, step_progress, &s,
                                                out);
    if (st != CCGIS_OK && st != CCGIS_ERR_CANCELLED && st != CCGIS_ERR_NOMEM) {
        /* The job file line of the key the failure is about, else [source]. */
        int lines[] = {[CCGIS_SPEC_NONE] = 0,
                       [CCGIS_SPEC_SOURCE] = in->line_source,
                       [CCGIS_SPEC_LAYER] = in->line_layer,
                       [CCGIS_SPEC_SRS] = in->line_srs,
                       [CCGIS_SPEC_ID] = in->line_id,
                       [CCGIS_SPEC_ENCODING] = in->line_encoding,
                       [CCGIS_SPEC_WHERE] = in->line_where,
                       [CCGIS_SPEC_X] = in->line_x,
                       [CCGIS_SPEC_Y] = in->line_y};
        ccgis_spec_member m = ccgis_layer_failed_on(d->ctx);
        int line = lines[m] ? lines[m] : in->line_source;
        char msg[CCGIS_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", ccgis_errmsg(d->ctx));
        st = ccgis_error(d->ctx, st, "%s:%d: [%s] %s", d->job->path, line, what, msg);
    }
    return st;
}

/* ccgis_run_load_input: see internal.h. */
ccgis_status ccgis_run_load_input(run_data *d, const ccgis_job_input *in, const char *id_field,
                                  ccgis_role role, const char *what, ccgis_layer **out,
                                  ccgis_progress_fn fn, void *arg, double base, double span)
{
    return load_input(d, in, id_field, role, what, out, fn, arg, base, span);
}

/* Load clusters, districts and villages (and the programme's layers). */
static ccgis_status load_inputs(run_data *d, ccgis_progress_fn fn, void *arg)
{
    const ccgis_job *job = d->job;
    ccgis_status st;
    if ((st = load_input(d, &job->clusters, job->clusters.id, CCGIS_ROLE_POLYGONS, "clusters",
                         &d->clusters, fn, arg, 0.0, 0.05)) != CCGIS_OK)
        return st;
    if ((st = tick(d->ctx, fn, arg, 0.05, "clusters loaded")) != CCGIS_OK)
        return st;
    if (job->districts.present &&
        (st = load_input(d, &job->districts, NULL, CCGIS_ROLE_POLYGONS, "districts",
                         &d->districts, fn, arg, 0.05, 0.025)) != CCGIS_OK)
        return st;
    if (job->villages.present &&
        (st = load_input(d, &job->villages, job->villages.id, CCGIS_ROLE_POINTS, "villages",
                         &d->villages, fn, arg, 0.075, 0.025)) != CCGIS_OK)
        return st;
    const ccgis_layer *others[] = {d->districts, d->villages};
    for (size_t k = 0; k < 2; k++)
        if (others[k] && !ccgis_layers_overlap(d->clusters, others[k]))
            ccgis_msg(d->ctx, CCGIS_WARNING,
                      "%s and %s do not overlap at all once both are in WGS 84 -- one of "
                      "them is probably in the wrong CRS (check the .prj or set srs=)",
                      others[k]->source, d->clusters->source);
    if ((st = ccgis_programme_load(d, fn, arg)) != CCGIS_OK)
        return st;
    return tick(d->ctx, fn, arg, 0.1, "inputs loaded");
}

/* A copy of g (may be NULL) for a finding. */
static GEOSGeometry *copy_geom(run_data *d, const GEOSGeometry *g)
{
    return g ? GEOSGeom_clone_r(d->ctx->geos, g) : NULL;
}

/*
 * The zoning findings of cluster i, from its partition (overlay.h):
 * ZONING_CONFLICT (the part on other classes only), ZONING_GAP (the part on
 * no classified zone), ZONING_OVERLAP (each pair of zones overlapping inside
 * it), ZONE_UNCLASSIFIED (each blank-class zone under it) -- each from the
 * cluster's tolerance up.  The overlaps and the unclassified notes come by
 * input (overlay.h): *ov_at and *note_at are cursors into them, moved past
 * cluster i, so that the clusters in order cost one pass over each list.
 */
static ccgis_status zoning_findings(run_data *d, size_t i, size_t *ov_at, size_t *note_at)
{
    ccgis_ctx *ctx = d->ctx;
    const ccgis_overlay_result *z = d->zoning;
    const ccgis_feature *f = &d->clusters->f[i];
    double a = z->area_m2[i], tol = z->tol_m2[i];
    ccgis_status st = CCGIS_OK;
    if (z->conflict_m2[i] > 0 && z->conflict_m2[i] >= tol)
        st = ccgis_finding_say(
            ctx, &d->findings, CCGIS_ZONING_CONFLICT, "clusters", f->key, z->conflict_top[i],
            z->conflict_m2[i], copy_geom(d, z->conflict_geom[i]), CCGIS_SAY_CONFLICT,
            &(ccgis_say_args){{f->key, z->conflict_top[i]},
                              {z->conflict_m2[i] / 1e4, ccgis_pct(z->conflict_m2[i], a)}});
    if (st == CCGIS_OK && z->nozone_m2[i] > 0 && z->nozone_m2[i] >= tol) {
        if (z->nozone_m2[i] >= a * (1 - 1e-9))
            st = ccgis_finding_say(ctx, &d->findings, CCGIS_ZONING_GAP, "clusters", f->key, NULL,
                                   z->nozone_m2[i], copy_geom(d, z->nozone_geom[i]),
                                   CCGIS_SAY_GAP_ALL, &(ccgis_say_args){{f->key}, {a / 1e4}});
        else
            st = ccgis_finding_say(
                ctx, &d->findings, CCGIS_ZONING_GAP, "clusters", f->key, NULL, z->nozone_m2[i],
                copy_geom(d, z->nozone_geom[i]), CCGIS_SAY_GAP_PART,
                &(ccgis_say_args){{f->key},
                                  {z->nozone_m2[i] / 1e4, ccgis_pct(z->nozone_m2[i], a)}});
    }
    while (*ov_at < z->n_overlaps && z->overlaps[*ov_at].input < i)
        (*ov_at)++;
    for (; *ov_at < z->n_overlaps && z->overlaps[*ov_at].input == i && st == CCGIS_OK;
         (*ov_at)++) {
        const ccgis_overlay_overlap *o = &z->overlaps[*ov_at];
        char pair[256];
        snprintf(pair, sizeof pair, "%s,%s", o->zone_a, o->zone_b);
        st = ccgis_finding_say(
            ctx, &d->findings, CCGIS_ZONING_OVERLAP, "clusters", f->key, pair, o->area_m2,
            copy_geom(d, o->geom), o->mixed ? CCGIS_SAY_ZONES_MIXED : CCGIS_SAY_ZONES_ONCE,
            &(ccgis_say_args){{o->zone_a, o->class_a, o->zone_b, o->class_b, f->key},
                              {o->area_m2 / 1e4}});
    }
    while (*note_at < z->n_notes && (z->notes[*note_at].kind != CCGIS_ZONE_UNCLASSIFIED ||
                                     z->notes[*note_at].input < i))
        (*note_at)++; /* the repaired and skipped zones come first */
    for (; *note_at < z->n_notes && z->notes[*note_at].input == i && st == CCGIS_OK;
         (*note_at)++) {
        const ccgis_overlay_note *nt = &z->notes[*note_at];
        if (nt->kind != CCGIS_ZONE_UNCLASSIFIED || nt->area_m2 < tol || !(nt->area_m2 > 0))
            continue;
        st = ccgis_finding_say(ctx, &d->findings, CCGIS_ZONE_UNCLASSIFIED, "clusters", f->key,
                               nt->zone, nt->area_m2, copy_geom(d, nt->geom), CCGIS_SAY_NO_CLASS,
                               &(ccgis_say_args){{nt->zone, f->key}, {nt->area_m2 / 1e4}});
    }
    return st;
}

/* ZONE_REPAIRED and ZONE_SKIPPED findings (layer "zoning"), in reading order. */
static ccgis_status zone_findings(run_data *d)
{
    const ccgis_overlay_result *z = d->zoning;
    ccgis_status st = CCGIS_OK;
    for (size_t k = 0; k < z->n_notes && st == CCGIS_OK; k++) {
        const ccgis_overlay_note *nt = &z->notes[k];
        if (nt->kind == CCGIS_ZONE_REPAIRED)
            st = ccgis_finding_say(
                d->ctx, &d->findings, CCGIS_ZONE_REPAIRED, "zoning", nt->zone, NULL, nt->area_m2,
                NULL, CCGIS_SAY_ZONE_REPAIRED,
                &(ccgis_say_args){{nt->zone, nt->reason}, {nt->before_m2, nt->area_m2}});
        else if (nt->kind == CCGIS_ZONE_SKIPPED)
            st = ccgis_finding_say(
                d->ctx, &d->findings, CCGIS_ZONE_SKIPPED, "zoning", nt->zone, NULL, NAN, NULL,
                CCGIS_SAY_ZONE_SKIPPED,
                &(ccgis_say_args){{nt->zone, nt->reason ? nt->reason : "no usable polygon"}, {0}});
    }
    return st;
}

/*
 * AREA_MISMATCH (geometry vs declared_ha beyond declared_tol_pct) and
 * NEEDS_MANUAL_FIX (a repair changed the area by more than 10 %) for
 * cluster i.
 */
static ccgis_status area_findings(run_data *d, size_t i)
{
    ccgis_ctx *ctx = d->ctx;
    const ccgis_layer *l = d->clusters;
    const ccgis_feature *f = &l->f[i];
    double a = d->area_m2[i];
    ccgis_status st = CCGIS_OK;
    if (f->repaired && isfinite(f->drawn_m2) && f->drawn_m2 > 0 &&
        fabs(a - f->drawn_m2) > 0.10 * f->drawn_m2)
        st = ccgis_finding_say(
            ctx, &d->findings, CCGIS_NEEDS_MANUAL_FIX, "clusters", f->key, NULL, a, NULL,
            CCGIS_SAY_MANUAL_FIX,
            &(ccgis_say_args){
                {f->key}, {f->drawn_m2 / 1e4, a / 1e4, 100.0 * (a - f->drawn_m2) / f->drawn_m2}});
    const char *field = d->job->clusters.declared;
    int k = field ? OGR_FD_GetFieldIndex(l->defn, field) : -1;
    if (st != CCGIS_OK || k < 0 || !OGR_F_IsFieldSetAndNotNull(f->attrs, k))
        return st;
    double declared_ha = OGR_F_GetFieldAsDouble(f->attrs, k);
    double tol = d->job->declared_tol_pct;
    if (!(declared_ha > 0)) {
        return ccgis_finding_say(
            ctx, &d->findings, CCGIS_AREA_MISMATCH, "clusters", f->key, NULL, a, NULL,
            CCGIS_SAY_DECLARED_BAD,
            &(ccgis_say_args){{f->key, field, OGR_F_GetFieldAsString(f->attrs, k)}, {a / 1e4}});
    }
    double diff_pct = 100.0 * (a / 1e4 - declared_ha) / declared_ha;
    if (fabs(diff_pct) <= tol)
        return CCGIS_OK;
    return ccgis_finding_say(
        ctx, &d->findings, CCGIS_AREA_MISMATCH, "clusters", f->key, NULL, a, NULL,
        CCGIS_SAY_MISMATCH,
        &(ccgis_say_args){{f->key, field}, {a / 1e4, declared_ha, diff_pct, tol}});
}

/* A cluster key and its index, for finding a finding's cluster. */
typedef struct key_index {
    const char *key;
    size_t i;
} key_index;

static int by_key(const void *a, const void *b)
{
    return strcmp(((const key_index *)a)->key, ((const key_index *)b)->key);
}

/* Index of the cluster with id `key`, or SIZE_MAX. */
static size_t find_cluster(const key_index *idx, size_t n, const char *key)
{
    if (!key)
        return SIZE_MAX;
    key_index probe = {key, 0};
    const key_index *hit = bsearch(&probe, idx, n, sizeof *idx, by_key);
    return hit ? hit->i : SIZE_MAX;
}

/*
 * Every cluster's flags: the kinds of the findings about it (layer
 * "clusters" and subject its id, or the other side of a CLUSTER_OVERLAP),
 * ';'-separated in kind order.  One pass over the findings with the ids
 * sorted: O((clusters + findings) log clusters).
 */
static ccgis_status cluster_flags(run_data *d)
{
    size_t nc = d->clusters->n;
    key_index *idx = ccgis_calloc(d->ctx, nc + 1, sizeof *idx);
    unsigned *kinds = ccgis_calloc(d->ctx, nc + 1, sizeof *kinds);
    ccgis_status st = CCGIS_OK;
    if (!idx || !kinds) {
        st = CCGIS_ERR_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < nc; i++)
        idx[i] = (key_index){d->clusters->f[i].key, i};
    qsort(idx, nc, sizeof *idx, by_key);
    for (size_t j = 0; j < d->findings.n; j++) {
        const ccgis_finding *f = &d->findings.items[j];
        if (!f->layer || strcmp(f->layer, "clusters") != 0)
            continue;
        size_t i = find_cluster(idx, nc, f->subject);
        if (i != SIZE_MAX)
            kinds[i] |= 1u << f->kind;
        if (f->kind == CCGIS_CLUSTER_OVERLAP && (i = find_cluster(idx, nc, f->other)) != SIZE_MAX)
            kinds[i] |= 1u << f->kind;
    }
    for (size_t i = 0; i < nc && st == CCGIS_OK; i++) {
        char buf[512] = "";
        for (int k = 0; k < CCGIS_FINDING_KINDS; k++) {
            if (!(kinds[i] & (1u << k)))
                continue;
            if (buf[0])
                strncat(buf, ";", sizeof buf - strlen(buf) - 1);
            strncat(buf, ccgis_finding_kind_name((ccgis_finding_kind)k),
                    sizeof buf - strlen(buf) - 1);
        }
        if (!(d->flags[i] = ccgis_strdup(d->ctx, buf)))
            st = CCGIS_ERR_NOMEM;
    }
done:
    free(idx);
    free(kinds);
    return st;
}

/* The district key of feature k ("" when it has no name). */
static char *district_key(run_data *d, size_t k)
{
    char *clean = ccgis_class_clean(d->ctx, attr_text(d->districts, k, d->job->districts.name));
    char *key = clean ? ccgis_class_key(d->ctx, clean) : NULL;
    free(clean);
    return key;
}

/* A district feature's name key and index, for finding districts by name. */
typedef struct dkey {
    const char *key;
    size_t k;
} dkey;

/* Order of district keys: key bytes, then feature order. */
static int by_dkey(const void *a, const void *b)
{
    const dkey *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    return x->k < y->k ? -1 : x->k > y->k;
}

/* STRtree query callback: collect a village index. */
static void collect_village(void *item, void *arg)
{
    size_t **at = arg;
    *(*at)++ = (size_t)item - 1;
}

/*
 * Per-district aggregates.  Districts are the distinct names of the layer
 * (features with one name dissolved, as the assignment does; a nameless
 * feature is no district): d->district_of[k] maps feature k to the first
 * feature with its name, which carries the district's figures and, in
 * d->dgeom, the union of its features.  Clusters count where they are
 * assigned; a village counts in exactly one district: the one whose
 * dissolved polygon contains it, or, on a boundary between districts, the
 * one whose name key comes first in byte order.  Names are found through
 * the keys sorted once, villages through an STRtree of their points:
 * O((districts + clusters) log districts + villages log villages).
 */
static ccgis_status aggregate_districts(run_data *d)
{
    ccgis_ctx *ctx = d->ctx;
    GEOSContextHandle_t h = ctx->geos;
    const ccgis_layer *dl = d->districts;
    size_t nd = dl->n, nc = d->clusters->n, nv = d->villages ? d->villages->n : 0;
    ccgis_status st = CCGIS_OK;
    char **keys = ccgis_calloc(ctx, nd + 1, sizeof *keys);
    dkey *sorted = ccgis_calloc(ctx, nd + 1, sizeof *sorted);
    size_t ns = 0;
    size_t *owner = NULL, *cand = NULL;
    int *inside = NULL;
    GEOSSTRtree *vtree = NULL;
    d->dname = ccgis_calloc(ctx, nd + 1, sizeof *d->dname);
    d->district_of = ccgis_calloc(ctx, nd + 1, sizeof *d->district_of);
    d->dgeom = ccgis_calloc(ctx, nd + 1, sizeof *d->dgeom);
    d->d_clusters = ccgis_calloc(ctx, nd + 1, sizeof *d->d_clusters);
    d->d_area_m2 = ccgis_calloc(ctx, nd + 1, sizeof *d->d_area_m2);
    d->d_confl_m2 = ccgis_calloc(ctx, nd + 1, sizeof *d->d_confl_m2);
    d->d_villages = ccgis_calloc(ctx, nd + 1, sizeof *d->d_villages);
    d->cluster_district = ccgis_calloc(ctx, nc + 1, sizeof *d->cluster_district);
    if (!keys || !sorted || !d->dname || !d->district_of || !d->dgeom || !d->d_clusters ||
        !d->d_area_m2 || !d->d_confl_m2 || !d->d_villages || !d->cluster_district) {
        st = CCGIS_ERR_NOMEM;
        goto done;
    }
    for (size_t k = 0; k < nd; k++) {
        if (!(keys[k] = district_key(d, k))) {
            st = CCGIS_ERR_NOMEM;
            goto done;
        }
        d->dname[k] = attr_text(dl, k, d->job->districts.name);
        d->district_of[k] = SIZE_MAX;
        if (!keys[k][0]) {
            double a = NAN;
            if (ccgis_geod_area(ctx, dl->f[k].geom, &a) != CCGIS_OK)
                ccgis_clear_error(ctx);
            if ((st = ccgis_finding_say(
                     ctx, &d->findings, CCGIS_ZONE_UNCLASSIFIED, "districts", dl->f[k].key, NULL, a,
                     GEOSGeom_clone_r(h, dl->f[k].geom), CCGIS_SAY_DISTRICT_NO_NAME,
                     &(ccgis_say_args){{dl->f[k].key, d->job->districts.name}, {a / 1e4}})) !=
                CCGIS_OK)
                goto done;
            continue;
        }
        sorted[ns++] = (dkey){keys[k], k};
    }
    qsort(sorted, ns, sizeof *sorted, by_dkey);
    /* Each run of one key is a district, led by its first feature: the union
     * of its features is its geometry. */
    for (size_t a = 0; a < ns;) {
        size_t b = a, k = sorted[a].k;
        while (b < ns && strcmp(sorted[b].key, sorted[a].key) == 0)
            d->district_of[sorted[b++].k] = k;
        size_t n = b - a;
        if (n == 1) {
            d->dgeom[k] = GEOSGeom_clone_r(h, dl->f[k].geom);
        } else {
            GEOSGeometry **parts = ccgis_calloc(ctx, n, sizeof *parts);
            if (!parts) {
                st = CCGIS_ERR_NOMEM;
                goto done;
            }
            for (size_t m = 0; m < n; m++) /* in feature order */
                parts[m] = GEOSGeom_clone_r(h, dl->f[sorted[a + m].k].geom);
            GEOSGeometry *coll =
                GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts, (unsigned)n);
            free(parts);
            d->dgeom[k] = coll ? ccgis_geom_polygonal(ctx, GEOSUnaryUnion_r(h, coll)) : NULL;
            if (coll)
                GEOSGeom_destroy_r(h, coll);
        }
        if (!d->dgeom[k]) {
            st = ccgis_error(ctx, CCGIS_ERR_GEOMETRY, "%s: cannot dissolve district '%s': %s",
                             dl->source, d->dname[k], ccgis_geos_reason(ctx, "no reason"));
            goto done;
        }
        a = b;
    }
    /* Clusters by assignment (the assigned name's key). */
    for (size_t i = 0; i < nc; i++) {
        d->cluster_district[i] = SIZE_MAX;
        const char *zone = d->assign->zone[i];
        if (!zone[0])
            continue;
        char *ckey = ccgis_class_key(ctx, zone);
        if (!ckey) {
            st = CCGIS_ERR_NOMEM;
            goto done;
        }
        dkey probe = {ckey, 0}; /* k 0 sorts first among equal keys */
        size_t lo = 0, hi = ns;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (by_dkey(&sorted[mid], &probe) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < ns && strcmp(sorted[lo].key, ckey) == 0)
            d->cluster_district[i] = sorted[lo].k;
        free(ckey);
        size_t k = d->cluster_district[i];
        if (k == SIZE_MAX)
            continue;
        d->d_clusters[k]++;
        d->d_area_m2[k] += d->area_m2[i];
        if (d->zoning)
            d->d_confl_m2[k] += d->zoning->conflict_m2[i];
    }
    if (!d->villages)
        goto done;
    /* Villages: inside one district, else on the boundary of the first by key. */
    owner = ccgis_calloc(ctx, nv + 1, sizeof *owner);
    inside = ccgis_calloc(ctx, nv + 1, sizeof *inside);
    cand = ccgis_calloc(ctx, nv + 1, sizeof *cand);
    vtree = GEOSSTRtree_create_r(h, 10);
    if (!owner || !inside || !cand || !vtree) {
        st = ccgis_nomem(ctx);
        goto done;
    }
    for (size_t v = 0; v < nv; v++) {
        owner[v] = SIZE_MAX;
        GEOSSTRtree_insert_r(h, vtree, d->villages->f[v].geom, (void *)(v + 1));
    }
    for (size_t k = 0; k < nd && st == CCGIS_OK; k++) {
        if (d->district_of[k] != k)
            continue;
        const GEOSPreparedGeometry *pg = GEOSPrepare_r(h, d->dgeom[k]);
        if (!pg) {
            st = ccgis_nomem(ctx);
            break;
        }
        size_t *end = cand;
        GEOSSTRtree_query_r(h, vtree, d->dgeom[k], collect_village, &end);
        for (const size_t *c = cand; c < end; c++) {
            size_t v = *c;
            const GEOSGeometry *pt = d->villages->f[v].geom;
            if (GEOSPreparedIntersects_r(h, pg, pt) != 1)
                continue;
            int in = GEOSPreparedContainsProperly_r(h, pg, pt) == 1;
            size_t o = owner[v];
            if (o == SIZE_MAX || (in && !inside[v]) ||
                (in == inside[v] && strcmp(keys[k], keys[o]) < 0)) {
                owner[v] = k;
                inside[v] = in;
            }
        }
        GEOSPreparedGeom_destroy_r(h, pg);
    }
    for (size_t v = 0; v < nv; v++)
        if (owner[v] != SIZE_MAX)
            d->d_villages[owner[v]]++;
    d->village_district = owner; /* for the programme's relocation gaps */
    owner = NULL;
done:
    if (vtree)
        GEOSSTRtree_destroy_r(h, vtree);
    free(owner);
    free(inside);
    free(cand);
    free(sorted);
    for (size_t k = 0; keys && k < nd; k++)
        free(keys[k]);
    free(keys);
    return st;
}

/* All the measures of the job. */
static ccgis_status analyse(run_data *d, ccgis_progress_fn fn, void *arg)
{
    ccgis_ctx *ctx = d->ctx;
    const ccgis_job *job = d->job;
    size_t nc = d->clusters->n;
    ccgis_status st;

    d->progress = fn; /* for build_layers() */
    d->progress_arg = arg;
    d->area_m2 = ccgis_calloc(ctx, nc, sizeof *d->area_m2);
    d->plan_m2 = ccgis_calloc(ctx, nc, sizeof *d->plan_m2);
    d->flags = ccgis_calloc(ctx, nc, sizeof *d->flags);
    if (!d->area_m2 || !d->plan_m2 || !d->flags)
        return CCGIS_ERR_NOMEM;
    if (job->plan_crs && (st = ccgis_crs_from_user(ctx, job->plan_crs, &d->plan)) != CCGIS_OK)
        return st;
    double mark = now_s();
    if ((st = ccgis_layer_areas(ctx, d->clusters, d->plan, d->area_m2, d->plan_m2)) != CCGIS_OK)
        return st;
    lap(d, CCGIS_PHASE_AREA, &mark);

    if (job->districts.present) {
        ccgis_layer_spec zs = {.source = job->districts.source,
                               .layer = job->districts.layer,
                               .srs = job->districts.srs,
                               .role = CCGIS_ROLE_POLYGONS,
                               .what = "districts",
                               .encoding = job->districts.encoding,
                               .where = job->districts.where,
                               .keep_fields = job->districts.keep_fields};
        step s = {fn, arg, 0.1, 0.1};
        if ((st = ccgis_assign(ctx, d->clusters, &zs, job->districts.name, job->sliver,
                               job->sliver_m2, &d->findings, step_progress, &s, &d->assign)) !=
            CCGIS_OK)
            return st;
    }
    lap(d, CCGIS_PHASE_DISTRICTS, &mark);
    if (job->zoning.present) {
        ccgis_overlay_options o = ccgis_run_zoning_options(job);
        step s = {fn, arg, 0.2, 0.6};
        if ((st = ccgis_overlay(ctx, d->clusters, &o, step_progress, &s, &d->zoning)) !=
            CCGIS_OK)
            return st;
        st = zone_findings(d);
        size_t ov_at = 0, note_at = 0;
        for (size_t i = 0; i < nc && st == CCGIS_OK; i++)
            st = zoning_findings(d, i, &ov_at, &note_at);
        if (st != CCGIS_OK)
            return st;
    }
    lap(d, CCGIS_PHASE_ZONING, &mark);
    if ((st = tick(ctx, fn, arg, 0.8, "zoning done")) != CCGIS_OK)
        return st;
    step sv = {fn, arg, 0.8, 0.02};
    if (d->villages && (st = ccgis_near(ctx, d->villages, d->clusters, job->radius_m,
                                        step_progress, &sv, &d->near)) != CCGIS_OK)
        return st;
    lap(d, CCGIS_PHASE_VILLAGES, &mark);
    step so = {fn, arg, 0.82, 0.01}, su = {fn, arg, 0.83, 0.01};
    if ((st = ccgis_self_overlaps(ctx, d->clusters,
                                  &(ccgis_overlaps_options){CCGIS_CLUSTER_OVERLAP, 0},
                                  step_progress, &so, &d->findings, NULL)) != CCGIS_OK)
        return st;
    if ((st = ccgis_union_area(ctx, d->clusters, step_progress, &su, &d->sum_m2,
                               &d->union_m2)) != CCGIS_OK)
        return st;
    for (size_t i = 0; i < nc && st == CCGIS_OK; i++)
        st = area_findings(d, i);
    if (st != CCGIS_OK)
        return st;
    if (d->districts && (st = aggregate_districts(d)) != CCGIS_OK)
        return st;
    if ((st = cluster_flags(d)) != CCGIS_OK)
        return st;
    if ((st = ccgis_programme_analyse(d)) != CCGIS_OK)
        return st;
    lap(d, CCGIS_PHASE_OVERLAPS, &mark);
    return tick(ctx, fn, arg, 0.85, "analysis done");
}

/* ---- the layers ----------------------------------------------------------- */

/* The clusters layer: source fields and every measure. */
static ccgis_status clusters_table(run_data *d, GDALDatasetH *out)
{
    static const ccgis_field_spec all[] = {
        {"area_ha", CCGIS_F_REAL, 0, 0},     {"plan_ha", CCGIS_F_REAL, 0, 0},
        {"district", CCGIS_F_STRING, 80, 0}, {"dist_pct", CCGIS_F_REAL, 0, 0},
        {"n_dist", CCGIS_F_INT, 0, 0},       {"allow_ha", CCGIS_F_REAL, 0, 0},
        {"confl_ha", CCGIS_F_REAL, 0, 0},    {"mixed_ha", CCGIS_F_REAL, 0, 0},
        {"nozone_ha", CCGIS_F_REAL, 0, 0},   {"confl_pct", CCGIS_F_REAL, 0, 0},
        {"confl_top", CCGIS_F_STRING, 40, 0}, {"vill_near", CCGIS_F_INT, 0, 0},
        {"flags", CCGIS_F_STRING, 254, 0},
        {"change", CCGIS_F_STRING, 12, 0},   {"wwtp", CCGIS_F_STRING, 16, 0},
    };
    enum { C_AREA, C_PLAN, C_DIST, C_DPCT, C_NDIST, C_ALLOW, C_CONFL, C_MIXED, C_NOZONE, C_CPCT,
           C_CTOP, C_VILL, C_FLAGS, C_CHANGE, C_WWTP, C_N };
    int zoned = d->zoning != NULL;
    int use[C_N] = {1, d->plan != NULL, d->assign != NULL, d->assign != NULL, d->assign != NULL,
                    zoned, zoned, zoned, zoned, zoned, zoned, d->near != NULL, 1,
                    d->plan_layer != NULL, d->plants != NULL};
    ccgis_field_spec cols[C_N];
    size_t nc = 0;
    for (int c = 0; c < C_N; c++)
        if (use[c])
            cols[nc++] = all[c];
    OGRLayerH l;
    GDALDatasetH ds = ccgis_table_new(d->ctx, "clusters", wkbMultiPolygon, d->clusters,
                                      cols, nc, &l);
    if (!ds)
        return ccgis_errcode(d->ctx);
    ccgis_status st = CCGIS_OK;
    for (size_t i = 0; i < d->clusters->n && st == CCGIS_OK; i++) {
        if (i % 1000 == 999 &&
            (st = tick(d->ctx, d->progress, d->progress_arg,
                       0.85 + 0.02 * (double)i / (double)d->clusters->n, "layers")) != CCGIS_OK)
            break;
        ccgis_value all_v[C_N], v[C_N];
        double a = d->area_m2[i];
        all_v[C_AREA] = CCGIS_VREAL(a / 1e4);
        all_v[C_PLAN] = CCGIS_VREAL(d->plan_m2[i] / 1e4);
        if (d->assign) {
            all_v[C_DIST] = CCGIS_VSTR(d->assign->zone[i]);
            all_v[C_DPCT] = CCGIS_VREAL(d->assign->share_pct[i]);
            all_v[C_NDIST] = CCGIS_VINT(d->assign->n_zones[i]);
        }
        if (d->zoning) {
            const ccgis_overlay_result *z = d->zoning;
            all_v[C_ALLOW] = CCGIS_VREAL(z->allowed_m2[i] / 1e4);
            all_v[C_CONFL] = CCGIS_VREAL(z->conflict_m2[i] / 1e4);
            all_v[C_MIXED] = CCGIS_VREAL(z->mixed_m2[i] / 1e4);
            all_v[C_NOZONE] = CCGIS_VREAL(z->nozone_m2[i] / 1e4);
            all_v[C_CPCT] = CCGIS_VREAL(ccgis_pct(z->conflict_m2[i], z->area_m2[i]));
            all_v[C_CTOP] = CCGIS_VSTR(z->conflict_top[i] ? z->conflict_top[i] : "");
        }
        if (d->near)
            all_v[C_VILL] = CCGIS_VINT(d->near->n_within[i]);
        all_v[C_FLAGS] = CCGIS_VSTR(d->flags[i]);
        all_v[C_CHANGE] = CCGIS_VSTR(ccgis_programme_change_of(d, i));
        all_v[C_WWTP] = CCGIS_VSTR(ccgis_programme_wwtp_of(d, i));
        size_t k = 0;
        for (int c = 0; c < C_N; c++)
            if (use[c])
                v[k++] = all_v[c];
        st = ccgis_table_add_poly(d->ctx, l, d->clusters->f[i].attrs, d->clusters->f[i].geom, v,
                                  k);
    }
    return ccgis_table_finish(st, ds, (void **)out);
}

/* The districts layer: source fields and the aggregates. */
static ccgis_status districts_table(run_data *d, GDALDatasetH *out)
{
    static const ccgis_field_spec cols[] = {
        {"n_clusters", CCGIS_F_INT, 0, 0},
        {"clust_ha", CCGIS_F_REAL, 0, 0},
        {"confl_ha", CCGIS_F_REAL, 0, 0},
        {"n_villages", CCGIS_F_INT, 0, 0},
    };
    OGRLayerH l;
    GDALDatasetH ds = ccgis_table_new(d->ctx, "districts", wkbMultiPolygon, d->districts,
                                      cols, 4, &l);
    if (!ds)
        return ccgis_errcode(d->ctx);
    ccgis_status st = CCGIS_OK;
    /* One feature per district: features sharing a name dissolved (the first one's
     * attributes); nameless features are left out (they are findings). */
    for (size_t k = 0; k < d->districts->n && st == CCGIS_OK; k++) {
        if (d->district_of[k] != k)
            continue;
        ccgis_value v[4] = {CCGIS_VINT(d->d_clusters[k]), CCGIS_VREAL(d->d_area_m2[k] / 1e4),
                            d->zoning ? CCGIS_VREAL(d->d_confl_m2[k] / 1e4) : CCGIS_VNULL,
                            d->villages ? CCGIS_VINT(d->d_villages[k]) : CCGIS_VNULL};
        st = ccgis_table_add_poly(d->ctx, l, d->districts->f[k].attrs, d->dgeom[k], v, 4);
    }
    return ccgis_table_finish(st, ds, (void **)out);
}

/* A cluster's place in district_status.csv: its district (nd: none), status, index. */
typedef struct dist_status {
    size_t k;
    const char *status;
    size_t i;
} dist_status;

/* One row of district_status.csv: district, status, its first cluster, figures. */
typedef struct dist_row {
    size_t k;
    const char *status;
    size_t first;
    long long n;
    double ha;
} dist_row;

/* Order of clusters: district, status (bytes), reading order. */
static int by_district_status(const void *a, const void *b)
{
    const dist_status *x = a, *y = b;
    if (x->k != y->k)
        return x->k < y->k ? -1 : 1;
    int c = strcmp(x->status, y->status);
    if (c)
        return c;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* Order of rows: district, then the status's first appearance in it. */
static int by_district_first(const void *a, const void *b)
{
    const dist_row *x = a, *y = b;
    if (x->k != y->k)
        return x->k < y->k ? -1 : 1;
    return x->first < y->first ? -1 : x->first > y->first;
}

/*
 * district_status.csv: clusters and hectares per district x status, districts
 * in layer order (then "no district"), statuses in order of first appearance
 * in the district.  The clusters are sorted once by (district, status), so the
 * table costs O(n log n) whatever the number of statuses.
 */
static ccgis_status district_status_table(run_data *d, GDALDatasetH *out)
{
    static const ccgis_field_spec cols[] = {
        {"district", CCGIS_F_STRING, 80, 0},
        {"status", CCGIS_F_STRING, 80, 0},
        {"n_clusters", CCGIS_F_INT, 0, 0},
        {"area_ha", CCGIS_F_REAL, 0, 0},
    };
    size_t nd = d->districts->n, nc = d->clusters->n;
    dist_status *all = ccgis_calloc(d->ctx, nc + 1, sizeof *all);
    dist_row *rows = ccgis_calloc(d->ctx, nc + 1, sizeof *rows);
    if (!all || !rows) {
        free(all);
        free(rows);
        return CCGIS_ERR_NOMEM;
    }
    for (size_t i = 0; i < nc; i++)
        all[i] = (dist_status){d->cluster_district[i] == SIZE_MAX ? nd : d->cluster_district[i],
                               d->status[i], i};
    qsort(all, nc, sizeof *all, by_district_status);
    size_t nr = 0;
    for (size_t a = 0; a < nc;) {
        dist_row *r = &rows[nr++];
        *r = (dist_row){all[a].k, all[a].status, all[a].i, 0, 0.0};
        size_t b = a;
        for (; b < nc && all[b].k == r->k && strcmp(all[b].status, r->status) == 0; b++) {
            r->n++;
            r->ha += d->area_m2[all[b].i] / 1e4; /* in reading order */
        }
        a = b;
    }
    free(all);
    qsort(rows, nr, sizeof *rows, by_district_first);
    OGRLayerH l;
    GDALDatasetH ds = ccgis_table_new(d->ctx, "district_status", wkbNone, NULL, cols, 4, &l);
    if (!ds) {
        free(rows);
        return ccgis_errcode(d->ctx);
    }
    ccgis_status st = CCGIS_OK;
    for (size_t r = 0; r < nr && st == CCGIS_OK; r++) {
        size_t k = rows[r].k;
        ccgis_value v[4] = {CCGIS_VSTR(k < nd ? d->dname[k] : ""), CCGIS_VSTR(rows[r].status),
                            CCGIS_VINT(rows[r].n), CCGIS_VREAL(rows[r].ha)};
        st = ccgis_result_add(d->ctx, l, NULL, NULL, v, 4);
    }
    free(rows);
    return ccgis_table_finish(st, ds, (void **)out);
}

/* Build every layer of the job into d->layers[] (NULL where not asked),
 * with a progress report between layers (d->progress). */
static ccgis_status build_layers(run_data *d)
{
    ccgis_ctx *ctx = d->ctx;
    ccgis_status st;
    if ((st = clusters_table(d, &d->layers[L_CLUSTERS])) != CCGIS_OK ||
        (st = tick(ctx, d->progress, d->progress_arg, 0.87, "layers")) != CCGIS_OK)
        return st;
    if (d->zoning && ((st = ccgis_pieces_table(ctx, d->clusters, d->zoning, "cluster_zones",
                                               "cluster_id", &d->layers[L_ZONES])) != CCGIS_OK ||
                      (st = tick(ctx, d->progress, d->progress_arg, 0.88, "layers")) != CCGIS_OK))
        return st;
    if (d->districts && (st = districts_table(d, &d->layers[L_DISTRICTS])) != CCGIS_OK)
        return st;
    if (d->villages &&
        ((st = ccgis_near_points_table(ctx, d->villages, d->clusters, d->near,
                                       &d->layers[L_VILLAGES])) != CCGIS_OK ||
         (st = tick(ctx, d->progress, d->progress_arg, 0.885, "layers")) != CCGIS_OK))
        return st;
    if ((st = ccgis_findings_table(ctx, &d->findings, &d->layers[L_FINDINGS])) != CCGIS_OK)
        return st;
    if (d->plan_layer &&
        (st = ccgis_programme_table(d, &d->layers[L_PLAN_CHANGES])) != CCGIS_OK)
        return st;
    return tick(ctx, d->progress, d->progress_arg, 0.89, "layers");
}

static const char *const layer_names[L_COUNT] = {"clusters", "cluster_zones", "districts",
                                                 "villages", "findings",      "plan_changes"};

/* What each layer's QGIS style takes from the job (style.c): the label
 * field's place in the layer (the clusters' id, the districts' name, the
 * villages' name or else id; source fields come first, in order) and how
 * many source fields lead the layer. */
static void style_layers(const run_data *d, ccgis_style_layer out[L_COUNT])
{
    const ccgis_job *job = d->job;
    const ccgis_layer *src[L_COUNT] = {[L_CLUSTERS] = d->clusters,
                                       [L_DISTRICTS] = d->districts,
                                       [L_VILLAGES] = d->villages};
    const char *label[L_COUNT] = {
        [L_CLUSTERS] = job->clusters.id, [L_DISTRICTS] = job->districts.name,
        [L_VILLAGES] = job->villages.name ? job->villages.name : job->villages.id};
    for (int k = 0; k < L_COUNT; k++) {
        out[k] = (ccgis_style_layer){layer_names[k], CCGIS_STYLE_KEEP_LABEL, 0};
        if (!src[k])
            continue;
        out[k].n_source = (size_t)OGR_FD_GetFieldCount(src[k]->defn);
        out[k].label = label[k] ? OGR_FD_GetFieldIndex(src[k]->defn, label[k]) : -1;
        if (out[k].label < 0)
            out[k].label = CCGIS_STYLE_NO_LABEL;
    }
}


/* The files write_layers() writes so far, of how many: for the progress. */
typedef struct files_done {
    int k, n;
} files_done;

/* Write one file of the output with GDAL, its progress reported within
 * CCGIS_RUN_WRITING .. 0.95 of the run: a cancellation point after every
 * feature (ccgis_write_with). */
static ccgis_status write_file(run_data *d, files_done *fd, void *ds, const char *path,
                               const char *shown)
{
    double span = (0.95 - CCGIS_RUN_WRITING) / (fd->n > 0 ? fd->n : 1);
    double at = CCGIS_RUN_WRITING + span * fd->k++;
    const ccgis_write_how how = {.shown = shown, .fn = d->progress, .arg = d->progress_arg,
                                 .base = at, .span = span};
    return ccgis_write_with(d->ctx, ds, path, NULL, &how);
}

/* The QGIS project of the GeoPackage <dir>/<base>.gpkg, dated now. */
static ccgis_status write_project(run_data *d, const char *dir, const char *base,
                                  const ccgis_style_job *style, const ccgis_style_layer *styled)
{
    char date[32];
    time_t now = time(NULL);
    struct tm tm;
    if (!localtime_r(&now, &tm) || !strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm))
        snprintf(date, sizeof date, "1970-01-01T00:00:00");
    ccgis_project_spec ps = {dir, base, d->job, style, styled, L_COUNT, date};
    return ccgis_write_project(d->ctx, &ps);
}

/* Write every layer in every format asked into folder `dir`, in the job's output_crs
 * (d->out_crs, kept for the report) but GeoJSON, which stays WGS 84. */
static ccgis_status write_layers(run_data *d, const char *dir, const char *base)
{
    ccgis_ctx *ctx = d->ctx;
    char path[PATH_MAX];
    ccgis_status st = CCGIS_OK;
    /* The styles in the report's language. */
    const ccgis_style_job style = {d->job->conflict_breaks, d->job->n_conflict_breaks,
                                   d->job->lang};
    ccgis_style_layer styled[L_COUNT];
    style_layers(d, styled);
    GDALDatasetH moved[L_COUNT] = {NULL};  /* owned: the layers carried to out_crs */
    GDALDatasetH placed[L_COUNT] = {NULL}; /* borrowed: moved[k], or d->layers[k] in WGS 84 */
    if (d->job->output_crs &&
        (st = ccgis_crs_for_output(ctx, d->job->output_crs, &d->out_crs)) != CCGIS_OK)
        return st; /* checked by ccgis_job_read already */
    for (int k = 0; k < L_COUNT && st == CCGIS_OK; k++)
        if (d->layers[k] && d->out_crs &&
            (d->job->formats & (CCGIS_FMT_SHP | CCGIS_FMT_GPKG | CCGIS_FMT_SQLITE)))
            st = ccgis_result_to_crs(ctx, d->layers[k], d->out_crs, &moved[k]);
    for (int k = 0; k < L_COUNT; k++)
        placed[k] = moved[k] ? moved[k] : d->layers[k];
    static const struct {
        unsigned bit;
        const char *ext;
    } one_per_layer[] = {{CCGIS_FMT_GEOJSON, "geojson"}, {CCGIS_FMT_SHP, "shp"}};
    files_done fd = {0, d->districts ? 1 : 0};
    for (int k = 0; k < L_COUNT; k++)
        if (d->layers[k])
            fd.n += !!(d->job->formats & CCGIS_FMT_GEOJSON) + !!(d->job->formats & CCGIS_FMT_SHP);
    fd.n += !!(d->job->formats & CCGIS_FMT_GPKG) + !!(d->job->formats & CCGIS_FMT_SQLITE);
    for (size_t f = 0; f < 2 && st == CCGIS_OK; f++) {
        if (!(d->job->formats & one_per_layer[f].bit))
            continue;
        for (int k = 0; k < L_COUNT && st == CCGIS_OK; k++) {
            if (!d->layers[k])
                continue;
            char shown[PATH_MAX];
            snprintf(path, sizeof path, "%s/%s.%s", dir, layer_names[k], one_per_layer[f].ext);
            snprintf(shown, sizeof shown, "%s/%s.%s", d->job->output, layer_names[k],
                     one_per_layer[f].ext);
            GDALDatasetH from =
                one_per_layer[f].bit == CCGIS_FMT_GEOJSON ? d->layers[k] : placed[k];
            st = write_file(d, &fd, from, path, shown);
        }
    }
    /* One <layer>.qml beside the .shp and .geojson: QGIS's default style. */
    if (d->job->formats & (CCGIS_FMT_GEOJSON | CCGIS_FMT_SHP))
        for (int k = 0; k < L_COUNT && st == CCGIS_OK; k++)
            if (d->layers[k])
                st = ccgis_style_sidecar(ctx, dir, &style, &styled[k]);
    static const struct {
        unsigned bit;
        const char *ext;
    } all_in_one[] = {{CCGIS_FMT_GPKG, "gpkg"}, {CCGIS_FMT_SQLITE, "sqlite"}};
    for (size_t f = 0; f < 2 && st == CCGIS_OK; f++) {
        if (!(d->job->formats & all_in_one[f].bit))
            continue;
        GDALDatasetH all = ccgis_result_dataset(ctx);
        if (!all) {
            st = ccgis_errcode(ctx);
            break;
        }
        for (int k = 0; k < L_COUNT && st == CCGIS_OK; k++) {
            if (!placed[k])
                continue;
            OGRLayerH src = GDALDatasetGetLayer(placed[k], 0);
            if (!GDALDatasetCopyLayer(all, src, layer_names[k], NULL))
                st = ccgis_error(ctx, CCGIS_ERR_INTERNAL, "cannot gather the %s layer: %s",
                                 layer_names[k], ctx->gdal_msg);
        }
        snprintf(path, sizeof path, "%s/%s.%s", dir, base, all_in_one[f].ext);
        if (st == CCGIS_OK)
            st = write_file(d, &fd, all, path, NULL);
        GDALClose(all);
        if (st == CCGIS_OK)
            st = ccgis_style_database(ctx, path, all_in_one[f].bit == CCGIS_FMT_SQLITE, &style,
                                      styled, L_COUNT);
        /* <base>.qgz, and the same project inside the GeoPackage (project.c). */
        if (st == CCGIS_OK && all_in_one[f].bit == CCGIS_FMT_GPKG)
            st = write_project(d, dir, base, &style, styled);
    }
    /* fields.csv: every field's full and Shapefile names, unit, meaning. */
    if (st == CCGIS_OK) {
        const ccgis_layer *sources[L_COUNT] = {d->clusters, NULL, d->districts, d->villages, NULL,
                                               NULL};
        GDALDatasetH t = NULL;
        if ((st = ccgis_fields_table(ctx, layer_names, d->layers, sources, L_COUNT, &t)) ==
            CCGIS_OK) {
            snprintf(path, sizeof path, "%s/fields.csv", dir);
            st = ccgis_write_direct(ctx, t, path, NULL);
            GDALClose(t);
        }
    }
    for (int k = 0; k < L_COUNT; k++)
        if (moved[k])
            GDALClose(moved[k]);
    if (st == CCGIS_OK && d->districts) {
        GDALDatasetH t = NULL;
        if ((st = district_status_table(d, &t)) == CCGIS_OK) {
            snprintf(path, sizeof path, "%s/district_status.csv", dir);
            st = write_file(d, &fd, t, path, NULL);
            GDALClose(t);
        }
    }
    return st;
}

/* ---- the output folder ---------------------------------------------------- */

/*
 * Refuse an output folder that is, or contains, a file one of the job's
 * inputs reads, whatever form the source takes (/vsizip/..., GeoJSON:...,
 * GPKG:...:layer, a shapefile and its sidecars): writing there would
 * replace the data being read (outdir.h, ccgis_outdir_holds).
 */
static ccgis_status check_output_apart(ccgis_ctx *ctx, const ccgis_job *job)
{
    char file[PATH_MAX];
    const ccgis_job_input *inputs[] = {&job->clusters, &job->districts, &job->zoning,
                                       &job->villages, &job->plan,      &job->wastewater};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        const char *src = inputs[i]->source;
        if (!inputs[i]->present || !src || !ccgis_outdir_holds(job->output, src, file, sizeof file))
            continue;
        int same = strcmp(file, src) == 0;
        return ccgis_error(ctx, CCGIS_ERR_USAGE,
                           "%s:%d: [job] output = %s holds the input %s%s%s%s -- writing there "
                           "would replace the data being read; choose another output folder",
                           job->path, job->line_output, job->output, src,
                           same ? "" : " (which reads ", same ? "" : file, same ? "" : ")");
    }
    return CCGIS_OK;
}

/* 1 if `output` names a folder to create: its last part, trailing slashes
 * aside, is neither empty nor "." nor "..". */
static int names_a_folder(const char *output)
{
    size_t n = strlen(output);
    while (n > 1 && output[n - 1] == '/')
        n--;
    size_t b = n;
    while (b > 0 && output[b - 1] != '/')
        b--;
    size_t len = n - b;
    return len > 0 && !(len == 1 && output[b] == '.') &&
           !(len == 2 && output[b] == '.' && output[b + 1] == '.');
}

/* Free everything a run_data owns. */
static void run_data_clear(run_data *d)
{
    ccgis_ctx *ctx = d->ctx;
    for (int k = 0; k < L_COUNT; k++)
        if (d->layers[k])
            GDALClose(d->layers[k]);
    if (d->clusters && d->flags)
        for (size_t i = 0; i < d->clusters->n; i++)
            free(d->flags[i]);
    free(d->flags);
    free(d->area_m2);
    free(d->plan_m2);
    free(d->status);
    free(d->dname);
    free(d->d_clusters);
    free(d->d_area_m2);
    free(d->d_confl_m2);
    free(d->d_villages);
    free(d->cluster_district);
    free(d->district_of);
    free(d->village_district);
    ccgis_programme_free(ctx, d->prog);
    ccgis_layer_free(ctx, d->plan_layer);
    ccgis_layer_free(ctx, d->plants);
    for (size_t k = 0; d->dgeom && k < d->districts->n; k++)
        if (d->dgeom[k])
            GEOSGeom_destroy_r(ctx->geos, d->dgeom[k]);
    free(d->dgeom);
    ccgis_assign_result_free(d->assign);
    ccgis_overlay_result_free(d->zoning);
    ccgis_near_result_free(d->near);
    ccgis_crs_free(d->plan);
    ccgis_crs_free(d->out_crs);
    ccgis_layer_free(ctx, d->clusters);
    ccgis_layer_free(ctx, d->districts);
    ccgis_layer_free(ctx, d->villages);
    ccgis_findings_clear(&d->findings);
}

/* ccgis_run: see run.h. */
ccgis_status ccgis_run(ccgis_ctx *ctx, const ccgis_job *job, const ccgis_run_options *options,
                       ccgis_progress_fn progress, void *progress_arg, ccgis_run_summary *summary)
{
    run_data d = {.ctx = ctx, .job = job, .findings = CCGIS_FINDINGS_INIT};
    ccgis_outdir_options oo = {CCGIS_OUTDIR_FOLDER, options ? options->overwrite : 0};
    ccgis_outdir *od = NULL;
    const char *tmp;
    ccgis_status st;

    ccgis_gdal_begin(ctx);
    /* Where the result goes: refuse early what can be refused, and hold the
     * output path (outdir.h) until the end. */
    if (!names_a_folder(job->output)) {
        st = ccgis_error(ctx, CCGIS_ERR_USAGE,
                         "%s:%d: [job] output = %s must name a folder to create, e.g. out/hanoi",
                         job->path, job->line_output, job->output);
        goto done;
    }
    if ((st = check_output_apart(ctx, job)) != CCGIS_OK ||
        (st = ccgis_outdir_begin(ctx, job->output, &oo, &od)) != CCGIS_OK)
        goto done;
    double mark = now_s();
    if ((st = ccgis_job_check(ctx, job)) != CCGIS_OK)
        goto done;
    lap(&d, CCGIS_PHASE_CHECK, &mark);
    if ((st = ccgis_test_stall(ctx, "loading", progress, progress_arg, 0.0)) != CCGIS_OK ||
        (st = load_inputs(&d, progress, progress_arg)) != CCGIS_OK)
        goto done;
    lap(&d, CCGIS_PHASE_LOAD, &mark);
    if ((st = ccgis_test_stall(ctx, "analysis", progress, progress_arg, 0.1)) != CCGIS_OK ||
        (st = analyse(&d, progress, progress_arg)) != CCGIS_OK)
        goto done;
    d.status = ccgis_calloc(ctx, d.clusters->n, sizeof *d.status);
    if (!d.status) {
        st = CCGIS_ERR_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < d.clusters->n; i++)
        d.status[i] = attr_text(d.clusters, i, job->clusters.status);
    mark = now_s();
    if ((st = build_layers(&d)) != CCGIS_OK)
        goto done;
    lap(&d, CCGIS_PHASE_LAYERS, &mark);

    /* Write into a temporary folder beside the output, made only once the
     * progress says "writing" (CCGIS_RUN_WRITING): a host that ends the
     * process before that point leaves no folder behind (run.h). */
    if ((st = tick(ctx, progress, progress_arg, CCGIS_RUN_WRITING, "writing")) != CCGIS_OK)
        goto done;
    if ((st = ccgis_outdir_stage(ctx, od, &tmp)) != CCGIS_OK)
        goto done;
    size_t quiet = ccgis_quiet_begin(); /* libspatialite, libxlsxwriter print failures */
    if ((st = write_layers(&d, tmp, ccgis_outdir_name(od))) == CCGIS_OK &&
        (st = ccgis_test_stall(ctx, "writing", progress, progress_arg, 0.95)) == CCGIS_OK &&
        (st = ccgis_write_report(&d, tmp)) == CCGIS_OK &&
        (st = tick(ctx, progress, progress_arg, 0.96, "writing")) == CCGIS_OK)
        st = ccgis_write_workbook(&d, tmp, ccgis_outdir_name(od), job->lang);
    ccgis_quiet_end(ctx, quiet, NULL, 0);
    if (st != CCGIS_OK)
        goto done;
    if ((st = tick(ctx, progress, progress_arg, 0.99, "writing")) != CCGIS_OK)
        goto done;

    /* Into place: never over what appeared meanwhile or what ccgis did not write. */
    if ((st = ccgis_outdir_commit(ctx, od)) != CCGIS_OK)
        goto done;
    lap(&d, CCGIS_PHASE_WRITE, &mark);
    if (summary) {
        memset(summary, 0, sizeof *summary);
        memcpy(summary->phase_s, d.phase_s, sizeof d.phase_s);
        if (d.zoning) {
            summary->zones_read = d.zoning->zones_read;
            summary->zones_near = d.zoning->zones_near;
        }
        summary->n_clusters = d.clusters->n;
        for (int k = 0; k < CCGIS_FINDING_KINDS; k++)
            summary->findings[k] = ccgis_findings_count(&d.findings, (ccgis_finding_kind)k);
    }
    if (progress)
        progress(1.0, NULL, progress_arg);
    st = CCGIS_OK;

done:
    st = ccgis_outdir_end(ctx, od, st); /* a failed result removed; messages name the output */
    run_data_clear(&d);
    ccgis_gdal_end(ctx);
    return st;
}
