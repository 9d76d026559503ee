/*
 * workbook.c -- <name>.xlsx: a job's tables as an Excel workbook staff can
 * hand in as it is (libxlsxwriter).
 *
 * One sheet per table, from the figures report.c tells (run_data):
 *
 *   summary             clusters by status, then the headline figures;
 *   clusters            one row per cluster, every measure;
 *   districts x status  every district (features dissolved by name), its
 *                       clusters and hectares per status -- zeros where none
 *                       -- with a row for the clusters in no district;
 *   conflicts           one row per cluster and land-use class not allowed;
 *   villages            one row per craft village, its nearest cluster;
 *   findings            one row per finding;
 *   inputs              the layers read.
 *
 * Headings are in the report's language (the table of Vietnamese and
 * English words in lang.c, which report.md uses too) and carry their units.
 * Numbers are stored as numbers, to full precision, with formats: hectares to 2 decimals, percentages to 1,
 * metres and counts whole.  Totals are formulas (SUM, COUNTIF) with their
 * value stored beside them, so that readers that do not recalculate show it.
 * Every sheet has its header row frozen, a filter on its table, and column
 * widths from the display width of its content (UTF-8 characters, not
 * bytes).  The workbook holds no date (its creation time is fixed), so a
 * rerun on the same inputs gives the same bytes.
 *
 * libxlsxwriter prints one line on stderr when the file cannot be zipped
 * (workbook_close fails: a full disk) or memory runs out; ccgis reports
 * the failure in the context as always.  Numbers are printed with the C
 * library's printf, so the C numeric locale is put in place around the
 * writing (uselocale: this thread only).
 */
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "internal.h"
#include "lang.h"

/* ---- cells ------------------------------------------------------------------ */

/* What a column holds, which decides its number format. */
typedef enum kind { K_TEXT, K_HA, K_PCT, K_COUNT, K_CODE, K_METRES, K_KINDS } kind;

static const char *const num_formats[K_KINDS] = {
    [K_TEXT] = NULL,      [K_HA] = "#,##0.00", [K_PCT] = "0.0",
    [K_COUNT] = "#,##0",  [K_CODE] = "0",      [K_METRES] = "#,##0",
};
static const int decimals[K_KINDS] = {[K_HA] = 2, [K_PCT] = 1};
static const int grouped[K_KINDS] = {[K_HA] = 1, [K_COUNT] = 1, [K_METRES] = 1};

/* The workbook being written. */
typedef struct book {
    const run_data *d;
    ccgis_lang lang;
    lxw_workbook *wb;
    lxw_format *fmt[2][K_KINDS]; /* [bold][kind] */
    lxw_format *head;
    lxw_error err; /* the first libxlsxwriter failure */
    int nomem;
} book;

/* One sheet: a table whose header is row 0. */
typedef struct sheet {
    book *b;
    lxw_worksheet *ws;
    size_t ncols;
    char **heads;   /* [ncols] owned */
    double *width;  /* [ncols] widest cell, in characters */
} sheet;

/* The text `id` in the book's language. */
static const char *tr(const book *b, ccgis_text_id id)
{
    return ccgis_tr(b->lang, id);
}

/* Remember the first failure. */
static void note(book *b, lxw_error e)
{
    if (e != LXW_NO_ERROR && b->err == LXW_NO_ERROR)
        b->err = e;
}

/* Display width of UTF-8 text in characters: combining marks take none,
 * East Asian wide characters two. */
static double text_width(const char *s)
{
    double w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t cp;
        size_t n = 1;
        if (*p < 0x80)
            cp = *p;
        else if ((*p & 0xE0) == 0xC0)
            cp = *p & 0x1Fu, n = 2;
        else if ((*p & 0xF0) == 0xE0)
            cp = *p & 0x0Fu, n = 3;
        else
            cp = *p & 0x07u, n = 4;
        size_t k = 1;
        for (; k < n && (p[k] & 0xC0) == 0x80; k++)
            cp = (cp << 6) | (p[k] & 0x3Fu);
        p += k; /* a broken sequence counts as one character */
        if ((cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
            (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F))
            continue;
        int wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                   (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                   (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) ||
                   cp >= 0x20000;
        w += wide ? 2 : 1;
    }
    return w;
}

/* Width of a number as its format shows it. */
static double number_width(double v, kind k)
{
    char buf[64];
    int n = snprintf(buf, sizeof buf, "%.*f", decimals[k], v);
    if (n < 0)
        return 8;
    double w = n;
    if (grouped[k]) {
        double digits = fabs(v) >= 1 ? floor(log10(fabs(v))) + 1 : 1;
        w += floor((digits - 1) / 3);
    }
    return w;
}

static void widen(sheet *s, lxw_col_t c, double w)
{
    if (c < s->ncols && w > s->width[c])
        s->width[c] = w;
}

/* The longest text Excel keeps in a cell, in bytes of UTF-8. */
#define CELL_TEXT_MAX 32767

/* Text in a cell (bold: a totals row); text longer than a cell holds is
 * cut at a character boundary. */
static void put_text(sheet *s, lxw_row_t r, lxw_col_t c, const char *t, int bold)
{
    if (!t || !t[0])
        return;
    char *cut = NULL;
    size_t n = strlen(t);
    if (n > CELL_TEXT_MAX) {
        if (!(cut = malloc(CELL_TEXT_MAX + 1))) {
            s->b->nomem = 1;
            return;
        }
        n = CELL_TEXT_MAX;
        while (n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80)
            n--;
        memcpy(cut, t, n);
        cut[n] = '\0';
        t = cut;
    }
    note(s->b, worksheet_write_string(s->ws, r, c, t, s->b->fmt[bold][K_TEXT]));
    widen(s, c, text_width(t));
    free(cut);
}

/* A number in a cell, in its kind's format; NaN or infinite: left blank. */
static void put_num(sheet *s, lxw_row_t r, lxw_col_t c, double v, kind k, int bold)
{
    if (!isfinite(v))
        return;
    note(s->b, worksheet_write_number(s->ws, r, c, v, s->b->fmt[bold][k]));
    widen(s, c, number_width(v, k));
}

/* A formula (with '=') and its value, bold, in kind k's format. */
static void put_formula(sheet *s, lxw_row_t r, lxw_col_t c, const char *f, double v, kind k)
{
    note(s->b, worksheet_write_formula_num(s->ws, r, c, f, s->b->fmt[1][k], v));
    widen(s, c, number_width(v, k));
}

/* =SUM of column c over rows r1..r2 (none when r2 < r1: then 0). */
static void put_sum(sheet *s, lxw_row_t r, lxw_col_t c, lxw_row_t r1, lxw_row_t r2, double v,
                    kind k)
{
    char f[64], a[LXW_MAX_CELL_RANGE_LENGTH];
    if (r2 < r1) {
        put_num(s, r, c, 0, k, 1);
        return;
    }
    lxw_rowcol_to_range(a, r1, c, r2, c);
    snprintf(f, sizeof f, "=SUM(%s)", a);
    put_formula(s, r, c, f, v, k);
}

/* =SUM of row r over columns c1..c2, into (r, c). */
static void put_row_sum(sheet *s, lxw_row_t r, lxw_col_t c, lxw_col_t c1, lxw_col_t c2, double v,
                        kind k, int bold)
{
    char f[64], a[LXW_MAX_CELL_RANGE_LENGTH];
    lxw_rowcol_to_range(a, r, c1, r, c2);
    snprintf(f, sizeof f, "=SUM(%s)", a);
    note(s->b, worksheet_write_formula_num(s->ws, r, c, f, s->b->fmt[bold][k], v));
    widen(s, c, number_width(v, k));
}

/* a + b + c in a new string (NULL: recorded as out of memory). */
static char *join(book *b, const char *x, const char *y, const char *z)
{
    size_t n = strlen(x) + strlen(y) + strlen(z) + 1;
    char *s = malloc(n);
    if (!s) {
        b->nomem = 1;
        return NULL;
    }
    snprintf(s, n, "%s%s%s", x, y, z);
    return s;
}

/*
 * Open a sheet: its name, and its header row from heads (copied).  Returns 1,
 * or 0 on failure (recorded in the book); sheet_close() it either way.
 */
static int sheet_open(book *b, ccgis_text_id name, size_t ncols, const char *const *heads,
                      sheet *s)
{
    memset(s, 0, sizeof *s);
    s->b = b;
    s->ncols = ncols;
    s->heads = calloc(ncols + 1, sizeof *s->heads);
    s->width = calloc(ncols + 1, sizeof *s->width);
    if (!s->heads || !s->width) {
        b->nomem = 1;
        return 0;
    }
    for (size_t c = 0; c < ncols; c++) {
        if (!(s->heads[c] = join(b, heads[c], "", "")))
            return 0;
    }
    s->ws = workbook_add_worksheet(b->wb, tr(b, name));
    if (!s->ws) {
        note(b, LXW_ERROR_PARAMETER_VALIDATION);
        return 0;
    }
    for (size_t c = 0; c < ncols; c++)
        note(b, worksheet_write_string(s->ws, 0, (lxw_col_t)c, s->heads[c], b->head));
    return 1;
}

/* Lines a heading takes when wrapped at `cols` characters (its words kept
 * whole); *longest gets its longest word's width. */
static int heading_lines(const char *t, double cols, double *longest)
{
    int lines = 1;
    double line = 0;
    char word[256];
    *longest = 0;
    while (*t) {
        size_t n = strcspn(t, " ");
        snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word ? n : sizeof word - 1), t);
        double w = text_width(word);
        if (w > *longest)
            *longest = w;
        if (line > 0 && line + 1 + w > cols) {
            lines++;
            line = w;
        } else {
            line += (line > 0 ? 1 : 0) + w;
        }
        t += n;
        while (*t == ' ')
            t++;
    }
    return lines;
}

/*
 * Close a sheet whose table (header included) ends at row `last`: freeze the
 * header row, filter the table, size each column to its widest cell (at
 * most 60 characters), its heading wrapping at 20 characters or its longest
 * word, and the header row to its longest heading.
 */
static void sheet_close(sheet *s, lxw_row_t last)
{
    if (s->ws) {
        worksheet_freeze_panes(s->ws, 1, 0);
        note(s->b, worksheet_autofilter(s->ws, 0, 0, last, (lxw_col_t)(s->ncols - 1)));
        int lines = 1;
        for (size_t c = 0; c < s->ncols; c++) {
            double head = text_width(s->heads[c]), word;
            heading_lines(s->heads[c], 20, &word);
            double w = s->width[c];
            if (w < (head < 20 ? head : 20))
                w = head < 20 ? head : 20;
            if (w < word)
                w = word;
            if (w < 6)
                w = 6;
            if (w > 60)
                w = 60;
            /* the filter button and some air beside the widest text */
            note(s->b, worksheet_set_column(s->ws, (lxw_col_t)c, (lxw_col_t)c, w + 3, NULL));
            int n = heading_lines(s->heads[c], w, &word);
            if (n > lines)
                lines = n;
        }
        note(s->b, worksheet_set_row(s->ws, 0, 15.0 * lines, NULL));
    }
    for (size_t c = 0; s->heads && c < s->ncols; c++)
        free(s->heads[c]);
    free(s->heads);
    free(s->width);
    memset(s, 0, sizeof *s);
}

/* ---- shared figures --------------------------------------------------------- */

/* The text of field `name` of feature i of l, "" if unset or no such field. */
static const char *field_text(const ccgis_layer *l, size_t i, const char *name)
{
    int k = name ? OGR_FD_GetFieldIndex(l->defn, name) : -1;
    if (k < 0 || !OGR_F_IsFieldSetAndNotNull(l->f[i].attrs, k))
        return "";
    return OGR_F_GetFieldAsString(l->f[i].attrs, k);
}

/* The clusters' statuses, distinct, in order of first appearance: fills
 * list (room for clusters->n) and status_of (index into list per cluster);
 * returns how many. */
static size_t statuses(const run_data *d, const char **list, size_t *status_of)
{
    size_t n = 0;
    for (size_t i = 0; i < d->clusters->n; i++) {
        size_t k = 0;
        while (k < n && strcmp(list[k], d->status[i]) != 0)
            k++;
        if (k == n)
            list[n++] = d->status[i];
        status_of[i] = k;
    }
    return n;
}

/* A status as shown. */
static const char *status_label(const book *b, const char *s)
{
    return s[0] ? s : tr(b, T_NO_STATUS);
}

/* A layer's name as shown ("clusters" -> "Cụm công nghiệp"); others as they are. */
static const char *layer_label(const book *b, const char *layer)
{
    return ccgis_tr_layer(b->lang, layer);
}

/* `words` followed by the job's radius, " 2000 m", in a new string (NULL:
 * out of memory, recorded in the book). */
static char *with_radius(book *b, const char *words)
{
    char m[64];
    snprintf(m, sizeof m, " %.0f m", b->d->job->radius_m);
    return join(b, words, m, "");
}

/* ---- the sheets --------------------------------------------------------------- */

/* Summary: clusters by status with totals, then the headline figures. */
static void summary_sheet(book *b)
{
    const run_data *d = b->d;
    size_t nc = d->clusters->n;
    const char *heads[] = {tr(b, T_STATUS), tr(b, T_N_CLUSTERS), tr(b, T_AREA_HA),
                           tr(b, T_SHARE_PCT)};
    sheet s = {0};
    const char **list = calloc(nc + 1, sizeof *list);
    size_t *of = calloc(nc + 1, sizeof *of);
    long long *count = calloc(nc + 1, sizeof *count);
    double *area = calloc(nc + 1, sizeof *area);
    size_t ns = 0;
    if (!list || !of || !count || !area) {
        b->nomem = 1;
        goto done;
    }
    ns = statuses(d, list, of);
    if (!sheet_open(b, T_SH_SUMMARY, 4, heads, &s))
        goto done;
    double total = 0;
    for (size_t i = 0; i < nc; i++) {
        count[of[i]]++;
        area[of[i]] += d->area_m2[i] / 1e4;
        total += d->area_m2[i] / 1e4;
    }
    double share_sum = 0;
    for (size_t k = 0; k < ns; k++) {
        lxw_row_t r = (lxw_row_t)(k + 1);
        put_text(&s, r, 0, status_label(b, list[k]), 0);
        put_num(&s, r, 1, (double)count[k], K_COUNT, 0);
        put_num(&s, r, 2, area[k], K_HA, 0);
        put_num(&s, r, 3, ccgis_pct(area[k], total), K_PCT, 0);
        share_sum += ccgis_pct(area[k], total);
    }
    lxw_row_t tr_row = (lxw_row_t)(ns + 1), last = (lxw_row_t)ns;
    put_text(&s, tr_row, 0, tr(b, T_TOTAL), 1);
    put_sum(&s, tr_row, 1, 1, last, (double)nc, K_COUNT);
    put_sum(&s, tr_row, 2, 1, last, total, K_HA);
    put_sum(&s, tr_row, 3, 1, last, share_sum, K_PCT);

    /* The headline figures, two columns: item, value. */
    lxw_row_t r = tr_row + 2;
    note(b, worksheet_write_string(s.ws, r, 0, tr(b, T_ITEM), b->head));
    note(b, worksheet_write_string(s.ws, r, 1, tr(b, T_VALUE), b->head));
    r++;
#define ITEM(label, value, k)                                                                   \
    do {                                                                                       \
        put_text(&s, r, 0, (label), 0);                                                        \
        put_num(&s, r, 1, (value), (k), 0);                                                    \
        r++;                                                                                   \
    } while (0)
    ITEM(tr(b, T_K_CLUSTERS), (double)nc, K_COUNT);
    ITEM(tr(b, T_K_AREA), total, K_HA);
    ITEM(tr(b, T_K_UNION), d->union_m2 / 1e4, K_HA);
    if (d->plan) {
        double plan = 0;
        for (size_t i = 0; i < nc; i++)
            plan += d->plan_m2[i] / 1e4;
        char *label = join(b, tr(b, T_K_PLAN), ccgis_crs_name(d->plan), " (ha)");
        if (label)
            ITEM(label, plan, K_HA);
        free(label);
    }
    if (d->zoning) {
        const ccgis_overlay_result *z = d->zoning;
        double sum[4] = {0, 0, 0, 0};
        long long n_confl = 0;
        for (size_t i = 0; i < nc; i++) {
            sum[0] += z->allowed_m2[i] / 1e4;
            sum[1] += z->conflict_m2[i] / 1e4;
            sum[2] += z->mixed_m2[i] / 1e4;
            sum[3] += z->nozone_m2[i] / 1e4;
            n_confl += z->conflict_m2[i] > 0 && z->conflict_m2[i] >= z->tol_m2[i];
        }
        lxw_row_t first = r;
        ITEM(tr(b, T_K_ALLOW), sum[0], K_HA);
        ITEM(tr(b, T_K_CONFL), sum[1], K_HA);
        ITEM(tr(b, T_K_MIXED), sum[2], K_HA);
        ITEM(tr(b, T_K_NOZONE), sum[3], K_HA);
        put_text(&s, r, 0, tr(b, T_K_FOUR), 1);
        put_sum(&s, r, 1, first, r - 1, sum[0] + sum[1] + sum[2] + sum[3], K_HA);
        r++;
        ITEM(tr(b, T_K_N_CONFL), (double)n_confl, K_COUNT);
    }
    if (d->near) {
        size_t nv = d->villages->n, within = 0, inside = 0;
        for (size_t v = 0; v < nv; v++) {
            within += d->near->within[v] != 0;
            inside += d->near->dist_m[v] == 0;
        }
        char *label = with_radius(b, tr(b, T_K_WITHIN));
        ITEM(tr(b, T_K_VILLAGES), (double)nv, K_COUNT);
        if (label)
            ITEM(label, (double)within, K_COUNT);
        free(label);
        ITEM(tr(b, T_K_INSIDE), (double)inside, K_COUNT);
    }
    /* Findings by kind: counted on the findings sheet. */
    char fsheet[128], f[256], a[LXW_MAX_CELL_RANGE_LENGTH];
    snprintf(fsheet, sizeof fsheet, "'%s'", tr(b, T_SH_FINDINGS));
    lxw_rowcol_to_range(a, 1, 1, (lxw_row_t)d->findings.n, 1);
    for (int k = 0; k < CCGIS_FINDING_KINDS; k++) {
        size_t n = ccgis_findings_count(&d->findings, (ccgis_finding_kind)k);
        char *label = join(b, tr(b, T_K_FINDING), tr(b, (ccgis_text_id)(T_FK_FIRST + k)), "");
        if (!label)
            break;
        put_text(&s, r, 0, label, 0);
        free(label);
        if (d->findings.n) {
            snprintf(f, sizeof f, "=COUNTIF(%s!%s,\"%s\")", fsheet, a,
                     ccgis_finding_kind_name((ccgis_finding_kind)k));
            note(b, worksheet_write_formula_num(s.ws, r, 1, f, b->fmt[0][K_COUNT], (double)n));
        } else {
            put_num(&s, r, 1, 0, K_COUNT, 0);
        }
        r++;
    }
    /* What made it. */
    char made[512];
    snprintf(made, sizeof made, "ccgis %s (%s)", ccgis_version(), ccgis_library_versions());
    const struct {
        ccgis_text_id label;
        const char *value;
    } about[] = {{T_K_JOB, d->job->name},
                 {T_K_JOBFILE, d->job->path},
                 {T_K_MADE_BY, made},
                 {T_K_MEASURES, tr(b, T_MEASURES)}};
    for (size_t k = 0; k < sizeof about / sizeof about[0]; k++, r++) {
        put_text(&s, r, 0, tr(b, about[k].label), 0);
        /* long texts overflow into the empty cells beside them; not counted in widths */
        note(b, worksheet_write_string(s.ws, r, 1, about[k].value ? about[k].value : "",
                                       b->fmt[0][K_TEXT]));
    }
#undef ITEM
done:
    sheet_close(&s, (lxw_row_t)ns);
    free(list);
    free(of);
    free(count);
    free(area);
}

/* Clusters: one row each, every measure the run made. */
static void clusters_sheet(book *b)
{
    const run_data *d = b->d;
    const ccgis_layer *l = d->clusters;
    const ccgis_job *job = d->job;
    size_t nc = l->n;
    enum { C_ID, C_NAME, C_STATUS, C_AREA, C_PLAN, C_DIST, C_DPCT, C_NDIST, C_ALLOW, C_CONFL,
           C_MIXED, C_NOZONE, C_CPCT, C_CTOP, C_VILL, C_FLAGS, C_N };
    char *vill_head = with_radius(b, tr(b, T_VILL_NEAR));
    if (!vill_head)
        return;
    const char *all_heads[C_N] = {
        tr(b, T_CL_ID),     tr(b, T_CL_NAME),     tr(b, T_STATUS),    tr(b, T_AREA_HA),
        tr(b, T_PLAN_HA),   tr(b, T_DISTRICT),    tr(b, T_DIST_PCT),  tr(b, T_N_DIST),
        tr(b, T_ALLOW_HA),  tr(b, T_CONFL_HA),    tr(b, T_MIXED_HA),  tr(b, T_NOZONE_HA),
        tr(b, T_CONFL_PCT), tr(b, T_CONFL_TOP),   vill_head,          tr(b, T_FLAGS)};
    const kind all_kinds[C_N] = {K_TEXT, K_TEXT,  K_TEXT, K_HA,  K_HA,  K_TEXT,
                                 K_PCT,  K_COUNT, K_HA,   K_HA,  K_HA,  K_HA,
                                 K_PCT,  K_TEXT,  K_COUNT, K_TEXT};
    int z = d->zoning != NULL, a = d->assign != NULL;
    const int use[C_N] = {1, job->clusters.name != NULL, job->clusters.status != NULL, 1,
                          d->plan != NULL, a, a, a, z, z, z, z, z, z, d->near != NULL, 1};
    const char *heads[C_N];
    int col[C_N];
    size_t n = 0;
    for (int c = 0; c < C_N; c++) {
        col[c] = use[c] ? (int)n : -1;
        if (use[c])
            heads[n++] = all_heads[c];
    }
    sheet s;
    if (!sheet_open(b, T_SH_CLUSTERS, n, heads, &s)) {
        sheet_close(&s, 0);
        free(vill_head);
        return;
    }
    double sum[C_N] = {0};
    for (size_t i = 0; i < nc; i++) {
        lxw_row_t r = (lxw_row_t)(i + 1);
        double v[C_N];
        for (int c = 0; c < C_N; c++)
            v[c] = NAN;
        v[C_AREA] = d->area_m2[i] / 1e4;
        v[C_PLAN] = d->plan_m2[i] / 1e4;
        if (a) {
            v[C_DPCT] = d->assign->share_pct[i];
            v[C_NDIST] = d->assign->n_zones[i];
        }
        if (z) {
            const ccgis_overlay_result *o = d->zoning;
            v[C_ALLOW] = o->allowed_m2[i] / 1e4;
            v[C_CONFL] = o->conflict_m2[i] / 1e4;
            v[C_MIXED] = o->mixed_m2[i] / 1e4;
            v[C_NOZONE] = o->nozone_m2[i] / 1e4;
            v[C_CPCT] = ccgis_pct(o->conflict_m2[i], o->area_m2[i]);
        }
        if (d->near)
            v[C_VILL] = (double)d->near->n_within[i];
        const char *t[C_N] = {NULL};
        t[C_ID] = l->f[i].key;
        t[C_NAME] = field_text(l, i, job->clusters.name);
        t[C_STATUS] = d->status[i];
        t[C_DIST] = a ? d->assign->zone[i] : "";
        t[C_CTOP] = z && d->zoning->conflict_top[i] ? d->zoning->conflict_top[i] : "";
        t[C_FLAGS] = d->flags[i];
        for (int c = 0; c < C_N; c++) {
            if (col[c] < 0)
                continue;
            if (all_kinds[c] == K_TEXT)
                put_text(&s, r, (lxw_col_t)col[c], t[c], 0);
            else
                put_num(&s, r, (lxw_col_t)col[c], v[c], all_kinds[c], 0);
            if (isfinite(v[c]))
                sum[c] += v[c];
        }
    }
    lxw_row_t tr_row = (lxw_row_t)(nc + 1);
    put_text(&s, tr_row, 0, tr(b, T_TOTAL), 1);
    static const int summed[] = {C_AREA, C_PLAN, C_ALLOW, C_CONFL, C_MIXED, C_NOZONE};
    for (size_t k = 0; k < sizeof summed / sizeof summed[0]; k++) {
        int c = summed[k];
        if (col[c] >= 0)
            put_sum(&s, tr_row, (lxw_col_t)col[c], 1, (lxw_row_t)nc, sum[c], K_HA);
    }
    if (col[C_CPCT] >= 0) {
        /* the conflict share of all the clusters together */
        char f[128], ca[LXW_MAX_CELL_NAME_LENGTH], cc[LXW_MAX_CELL_NAME_LENGTH];
        lxw_rowcol_to_cell(ca, tr_row, (lxw_col_t)col[C_AREA]);
        lxw_rowcol_to_cell(cc, tr_row, (lxw_col_t)col[C_CONFL]);
        snprintf(f, sizeof f, "=IF(%s>0,100*%s/%s,0)", ca, cc, ca);
        put_formula(&s, tr_row, (lxw_col_t)col[C_CPCT], f,
                    ccgis_pct(sum[C_CONFL], sum[C_AREA]), K_PCT);
    }
    sheet_close(&s, (lxw_row_t)nc);
    free(vill_head);
}

/*
 * Districts x status: every district (first feature of each name, in layer
 * order), then the clusters in no district; per status the clusters and
 * their hectares, zeros where none, with row totals; the conflict hectares
 * and villages of each.
 */
static void districts_sheet(book *b)
{
    const run_data *d = b->d;
    size_t nc = d->clusters->n, nd = d->districts->n;
    const char **list = calloc(nc + 1, sizeof *list);
    size_t *of = calloc(nc + 1, sizeof *of);
    size_t *row_of = calloc(nd + 1, sizeof *row_of); /* district feature -> table row - 1 */
    if (!list || !of || !row_of) {
        b->nomem = 1;
        free(list);
        free(of);
        free(row_of);
        return;
    }
    size_t ns = statuses(d, list, of), nrows = 0;
    for (size_t k = 0; k < nd; k++)
        row_of[k] = d->district_of[k] == k ? nrows++ : SIZE_MAX;
    size_t outside = nrows++; /* the row of clusters in no district */
    int z = d->zoning != NULL, v = d->villages != NULL;
    size_t ncols = 1 + 2 * (ns + 1) + (size_t)z + (size_t)v;
    char **heads = calloc(ncols + 1, sizeof *heads);
    kind *kinds = calloc(ncols + 1, sizeof *kinds);
    long long *count = calloc(nrows * ns + 1, sizeof *count);
    double *area = calloc(nrows * ns + 1, sizeof *area);
    double *confl = calloc(nrows + 1, sizeof *confl);
    long long *vill = calloc(nrows + 1, sizeof *vill);
    sheet s = {0};
    if (!heads || !kinds || !count || !area || !confl || !vill) {
        b->nomem = 1;
        goto done;
    }
    /* columns: district | clusters per status | all | ha per status | all | conflict | villages */
    size_t c_n0 = 1, c_ntot = 1 + ns, c_ha0 = 2 + ns, c_hatot = 2 + 2 * ns, c_next = 3 + 2 * ns;
    heads[0] = join(b, tr(b, T_DISTRICT), "", "");
    kinds[0] = K_TEXT;
    for (size_t k = 0; k < ns; k++) {
        heads[c_n0 + k] = join(b, tr(b, T_BY_STATUS_N), status_label(b, list[k]), "");
        kinds[c_n0 + k] = K_COUNT;
        heads[c_ha0 + k] = join(b, tr(b, T_BY_STATUS_HA), status_label(b, list[k]), "");
        kinds[c_ha0 + k] = K_HA;
    }
    heads[c_ntot] = join(b, tr(b, T_N_TOTAL), "", "");
    kinds[c_ntot] = K_COUNT;
    heads[c_hatot] = join(b, tr(b, T_HA_TOTAL), "", "");
    kinds[c_hatot] = K_HA;
    size_t c_confl = z ? c_next++ : SIZE_MAX, c_vill = v ? c_next++ : SIZE_MAX;
    if (z) {
        heads[c_confl] = join(b, tr(b, T_D_CONFL_HA), "", "");
        kinds[c_confl] = K_HA;
    }
    if (v) {
        heads[c_vill] = join(b, tr(b, T_D_VILLAGES), "", "");
        kinds[c_vill] = K_COUNT;
    }
    for (size_t c = 0; c < ncols; c++)
        if (!heads[c])
            goto done;
    /* the figures */
    for (size_t i = 0; i < nc; i++) {
        size_t k = d->cluster_district[i];
        size_t row = k == SIZE_MAX ? outside : row_of[k];
        count[row * ns + of[i]]++;
        area[row * ns + of[i]] += d->area_m2[i] / 1e4;
        if (z)
            confl[row] += d->zoning->conflict_m2[i] / 1e4;
    }
    if (v) {
        long long placed = 0;
        for (size_t k = 0; k < nd; k++)
            if (row_of[k] != SIZE_MAX) {
                vill[row_of[k]] = d->d_villages[k];
                placed += d->d_villages[k];
            }
        vill[outside] = (long long)d->villages->n - placed;
    }
    if (!sheet_open(b, T_SH_DISTRICTS, ncols, (const char *const *)heads, &s))
        goto done;
    double *col_sum = calloc(ncols + 1, sizeof *col_sum);
    if (!col_sum) {
        b->nomem = 1;
        goto done;
    }
    for (size_t k = 0; k <= nd; k++) {
        size_t row = k < nd ? row_of[k] : outside;
        if (row == SIZE_MAX)
            continue;
        lxw_row_t r = (lxw_row_t)(row + 1);
        put_text(&s, r, 0, k < nd ? d->dname[k] : tr(b, T_NO_DISTRICT), 0);
        double n_all = 0, ha_all = 0;
        for (size_t j = 0; j < ns; j++) {
            put_num(&s, r, (lxw_col_t)(c_n0 + j), (double)count[row * ns + j], K_COUNT, 0);
            put_num(&s, r, (lxw_col_t)(c_ha0 + j), area[row * ns + j], K_HA, 0);
            n_all += (double)count[row * ns + j];
            ha_all += area[row * ns + j];
            col_sum[c_n0 + j] += (double)count[row * ns + j];
            col_sum[c_ha0 + j] += area[row * ns + j];
        }
        put_row_sum(&s, r, (lxw_col_t)c_ntot, (lxw_col_t)c_n0, (lxw_col_t)(c_n0 + ns - 1), n_all,
                    K_COUNT, 0);
        put_row_sum(&s, r, (lxw_col_t)c_hatot, (lxw_col_t)c_ha0, (lxw_col_t)(c_ha0 + ns - 1),
                    ha_all, K_HA, 0);
        col_sum[c_ntot] += n_all;
        col_sum[c_hatot] += ha_all;
        if (z) {
            put_num(&s, r, (lxw_col_t)c_confl, confl[row], K_HA, 0);
            col_sum[c_confl] += confl[row];
        }
        if (v) {
            put_num(&s, r, (lxw_col_t)c_vill, (double)vill[row], K_COUNT, 0);
            col_sum[c_vill] += (double)vill[row];
        }
    }
    lxw_row_t tr_row = (lxw_row_t)(nrows + 1);
    put_text(&s, tr_row, 0, tr(b, T_TOTAL), 1);
    for (size_t c = 1; c < ncols; c++)
        put_sum(&s, tr_row, (lxw_col_t)c, 1, (lxw_row_t)nrows, col_sum[c], kinds[c]);
    free(col_sum);
done:
    sheet_close(&s, (lxw_row_t)nrows);
    for (size_t c = 0; heads && c < ncols; c++)
        free(heads[c]);
    free(heads);
    free(kinds);
    free(count);
    free(area);
    free(confl);
    free(vill);
    free(list);
    free(of);
    free(row_of);
}

/* Conflicts: one row per cluster and land-use class not allowed (the
 * cluster_zones pieces with allowed = 0), by cluster then class. */
static void conflicts_sheet(book *b)
{
    const run_data *d = b->d;
    const ccgis_overlay_result *z = d->zoning;
    const ccgis_job *job = d->job;
    enum { C_ID, C_NAME, C_DIST, C_CLASS, C_HA, C_PCT, C_NZ, C_N };
    const char *all_heads[C_N] = {tr(b, T_CL_ID),    tr(b, T_CL_NAME),   tr(b, T_DISTRICT),
                                  tr(b, T_CLASS),    tr(b, T_PIECE_HA),  tr(b, T_PIECE_PCT),
                                  tr(b, T_N_ZONES)};
    const int use[C_N] = {1, job->clusters.name != NULL, d->assign != NULL, 1, 1, 1, 1};
    const char *heads[C_N];
    int col[C_N];
    size_t n = 0;
    for (int c = 0; c < C_N; c++) {
        col[c] = use[c] ? (int)n : -1;
        if (use[c])
            heads[n++] = all_heads[c];
    }
    sheet s;
    if (!sheet_open(b, T_SH_CONFLICTS, n, heads, &s)) {
        sheet_close(&s, 0);
        return;
    }
    lxw_row_t r = 0;
    double sum = 0;
    for (size_t k = 0; k < z->n_pieces; k++) {
        const ccgis_overlay_piece *p = &z->pieces[k];
        if (p->allowed)
            continue;
        r++;
        size_t i = p->input;
        put_text(&s, r, (lxw_col_t)col[C_ID], d->clusters->f[i].key, 0);
        if (col[C_NAME] >= 0)
            put_text(&s, r, (lxw_col_t)col[C_NAME], field_text(d->clusters, i, job->clusters.name),
                     0);
        if (col[C_DIST] >= 0)
            put_text(&s, r, (lxw_col_t)col[C_DIST], d->assign->zone[i], 0);
        put_text(&s, r, (lxw_col_t)col[C_CLASS], p->klass, 0);
        put_num(&s, r, (lxw_col_t)col[C_HA], p->area_m2 / 1e4, K_HA, 0);
        put_num(&s, r, (lxw_col_t)col[C_PCT], ccgis_pct(p->area_m2, z->area_m2[i]), K_PCT, 0);
        put_num(&s, r, (lxw_col_t)col[C_NZ], (double)p->n_zones, K_COUNT, 0);
        sum += p->area_m2 / 1e4;
    }
    put_text(&s, r + 1, 0, tr(b, T_TOTAL), 1);
    put_sum(&s, r + 1, (lxw_col_t)col[C_HA], 1, r, sum, K_HA);
    sheet_close(&s, r);
}

/* Villages: one row each, its nearest cluster and whether it is within the radius. */
static void villages_sheet(book *b)
{
    const run_data *d = b->d;
    const ccgis_layer *vl = d->villages;
    const ccgis_job *job = d->job;
    char *within_head = with_radius(b, tr(b, T_WITHIN));
    if (!within_head)
        return;
    int named = job->villages.name != NULL;
    const char *heads[5];
    size_t n = 0;
    heads[n++] = tr(b, T_V_ID);
    if (named)
        heads[n++] = tr(b, T_V_NAME);
    size_t c_near = n;
    heads[n++] = tr(b, T_NEAR_ID);
    heads[n++] = tr(b, T_NEAR_M);
    size_t c_within = n;
    heads[n++] = within_head;
    sheet s;
    if (!sheet_open(b, T_SH_VILLAGES, n, heads, &s)) {
        sheet_close(&s, 0);
        free(within_head);
        return;
    }
    size_t within = 0;
    for (size_t v = 0; v < vl->n; v++) {
        lxw_row_t r = (lxw_row_t)(v + 1);
        put_text(&s, r, 0, vl->f[v].key, 0);
        if (named)
            put_text(&s, r, 1, field_text(vl, v, job->villages.name), 0);
        if (d->near->nearest[v] < d->clusters->n) {
            put_text(&s, r, (lxw_col_t)c_near, d->clusters->f[d->near->nearest[v]].key, 0);
            put_num(&s, r, (lxw_col_t)(c_near + 1), d->near->dist_m[v], K_METRES, 0);
        }
        put_text(&s, r, (lxw_col_t)c_within, tr(b, d->near->within[v] ? T_YES : T_NO), 0);
        within += d->near->within[v] != 0;
    }
    lxw_row_t tr_row = (lxw_row_t)(vl->n + 1);
    put_text(&s, tr_row, 0, tr(b, T_TOTAL), 1);
    char f[128], a[LXW_MAX_CELL_RANGE_LENGTH];
    lxw_rowcol_to_range(a, 1, (lxw_col_t)c_within, (lxw_row_t)vl->n, (lxw_col_t)c_within);
    snprintf(f, sizeof f, "=COUNTIF(%s,\"%s\")", a, tr(b, T_YES));
    put_formula(&s, tr_row, (lxw_col_t)c_within, f, (double)within, K_COUNT);
    sheet_close(&s, (lxw_row_t)vl->n);
    free(within_head);
}

/* Findings: one row each, in the order found. */
static void findings_sheet(book *b)
{
    const ccgis_findings *fl = &b->d->findings;
    const char *heads[] = {tr(b, T_F_PROBLEM), tr(b, T_F_KIND),    tr(b, T_F_LAYER),
                           tr(b, T_F_SUBJECT), tr(b, T_F_OTHER),   tr(b, T_F_AREA_HA),
                           tr(b, T_F_DETAIL)};
    sheet s;
    if (!sheet_open(b, T_SH_FINDINGS, 7, heads, &s)) {
        sheet_close(&s, 0);
        return;
    }
    for (size_t k = 0; k < fl->n; k++) {
        const ccgis_finding *f = &fl->items[k];
        lxw_row_t r = (lxw_row_t)(k + 1);
        put_text(&s, r, 0, tr(b, (ccgis_text_id)(T_FK_FIRST + f->kind)), 0);
        put_text(&s, r, 1, ccgis_finding_kind_name(f->kind), 0);
        put_text(&s, r, 2, layer_label(b, f->layer), 0);
        put_text(&s, r, 3, f->subject, 0);
        put_text(&s, r, 4, f->other, 0);
        put_num(&s, r, 5, f->area_m2 / 1e4, K_HA, 0);
        put_text(&s, r, 6, f->detail, 0);
    }
    lxw_row_t tr_row = (lxw_row_t)(fl->n + 1);
    put_text(&s, tr_row, 0, tr(b, T_TOTAL), 1);
    if (fl->n) {
        char f[64], a[LXW_MAX_CELL_RANGE_LENGTH];
        lxw_rowcol_to_range(a, 1, 1, (lxw_row_t)fl->n, 1);
        snprintf(f, sizeof f, "=COUNTA(%s)", a);
        put_formula(&s, tr_row, 1, f, (double)fl->n, K_COUNT);
    } else {
        put_num(&s, tr_row, 1, 0, K_COUNT, 1);
    }
    sheet_close(&s, (lxw_row_t)fl->n);
}

/* One cell of a programme table (programme_run.c) at (r, c). */
static void programme_cell(sheet *s, lxw_row_t r, lxw_col_t c, const ccgis_ptable *t, size_t row,
                           size_t col)
{
    book *b = s->b;
    const ccgis_pcol *pc = &t->cols[col];
    const ccgis_pcell *cl = &t->cells[row * t->ncols + col];
    switch (pc->kind) {
    case CCGIS_PC_TEXT:
        put_text(s, r, c,
                 cl->text ? cl->text : pc->blank < CCGIS_TEXT_COUNT ? tr(b, pc->blank) : "", 0);
        break;
    case CCGIS_PC_CHANGE:
        put_text(s, r, c, tr(b, (ccgis_text_id)(T_CH_FIRST + (int)cl->v)), 0);
        break;
    case CCGIS_PC_WWTP:
        put_text(s, r, c, tr(b, (ccgis_text_id)(T_WW_FIRST + (int)cl->v)), 0);
        break;
    case CCGIS_PC_COUNT:
        put_num(s, r, c, cl->v, K_COUNT, 0);
        break;
    case CCGIS_PC_HA:
    case CCGIS_PC_KM:
        put_num(s, r, c, cl->v, K_HA, 0);
        break;
    case CCGIS_PC_PCT:
        put_num(s, r, c, cl->v, K_PCT, 0);
        break;
    case CCGIS_PC_YEAR:
        put_num(s, r, c, cl->v, K_CODE, 0);
        break;
    }
}

/*
 * Programme progress: the headline figures (item, value), then each of the
 * report's programme tables under its title, a blank row between them.
 * The filter covers the headline figures.
 */
static void programme_sheet(book *b)
{
    const run_data *d = b->d;
    ccgis_pfigures pf;
    size_t nt = 0;
    const ccgis_ptable *tables = ccgis_programme_tables(d, &nt);
    if (!ccgis_programme_figures(d, &pf))
        return;
    size_t ncols = 2;
    for (size_t k = 0; k < nt; k++)
        if (tables[k].ncols > ncols)
            ncols = tables[k].ncols;
    const char *heads[16] = {tr(b, T_ITEM), tr(b, T_VALUE)};
    for (size_t c = 2; c < ncols && c < 16; c++)
        heads[c] = "";
    sheet s;
    if (!sheet_open(b, T_SH_PROGRAMME, ncols, heads, &s)) {
        sheet_close(&s, 0);
        return;
    }
    lxw_row_t r = 1;
    const struct {
        int when;
        ccgis_text_id id;
        double v;
        kind k;
    } items[] = {
        {pf.has_plan, T_P_NOW_N, (double)pf.now_n, K_COUNT},
        {pf.has_plan, T_P_NOW_HA, pf.now_union_m2 / 1e4, K_HA},
        {pf.has_plan, T_P_PLAN_N, (double)pf.plan_n, K_COUNT},
        {pf.has_plan, T_P_PLAN_HA, pf.plan_union_m2 / 1e4, K_HA},
        {pf.has_wwtp, T_P_OPERATING, (double)pf.operating, K_COUNT},
        {pf.has_wwtp, T_P_OP_COMPLIANT, (double)pf.operating_compliant, K_COUNT},
        {pf.has_wwtp, T_P_OP_SHARE,
         pf.operating ? 100.0 * (double)pf.operating_compliant / (double)pf.operating : NAN,
         K_PCT},
        {pf.has_gaps, T_P_GAPS, (double)pf.gaps, K_COUNT},
    };
    for (size_t k = 0; k < sizeof items / sizeof items[0]; k++) {
        if (!items[k].when)
            continue;
        put_text(&s, r, 0, tr(b, items[k].id), 0);
        put_num(&s, r, 1, items[k].v, items[k].k, 0);
        r++;
    }
    lxw_row_t last_item = r - 1;
    for (size_t k = 0; k < nt; k++) {
        const ccgis_ptable *t = &tables[k];
        r++;
        note(b, worksheet_write_string(s.ws, r++, 0, tr(b, t->title), b->fmt[1][K_TEXT]));
        for (size_t c = 0; c < t->ncols; c++)
            note(b, worksheet_write_string(s.ws, r, (lxw_col_t)c, tr(b, t->cols[c].head),
                                           b->head));
        r++;
        if (!t->nrows)
            put_text(&s, r++, 0, tr(b, T_P_NONE), 0);
        for (size_t row = 0; row < t->nrows; row++, r++)
            for (size_t c = 0; c < t->ncols; c++)
                programme_cell(&s, r, (lxw_col_t)c, t, row, c);
    }
    sheet_close(&s, last_item);
}

/* One layer's row of the inputs sheet. */
static void input_row(sheet *s, lxw_row_t r, const char *what, const ccgis_layer *l)
{
    book *b = s->b;
    put_text(s, r, 0, layer_label(b, what), 0);
    put_text(s, r, 1, l->source, 0);
    put_text(s, r, 2, l->name, 0);
    put_text(s, r, 3, ccgis_crs_name(l->crs), 0);
    int epsg = ccgis_crs_epsg(l->crs, NULL);
    if (epsg)
        put_num(s, r, 4, epsg, K_CODE, 0);
    put_num(s, r, 5, (double)l->n_read, K_COUNT, 0);
    put_num(s, r, 6, (double)l->n, K_COUNT, 0);
    put_num(s, r, 7, (double)l->n_skipped, K_COUNT, 0);
    put_num(s, r, 8, (double)l->n_repaired, K_COUNT, 0);
}

/* Inputs: the layers read, as the report lists them. */
static void inputs_sheet(book *b)
{
    const run_data *d = b->d;
    const char *heads[] = {tr(b, T_I_LAYER),   tr(b, T_I_SOURCE), tr(b, T_I_NAME),
                           tr(b, T_I_CRS),     tr(b, T_I_EPSG),   tr(b, T_I_READ),
                           tr(b, T_I_USED),    tr(b, T_I_SKIPPED), tr(b, T_I_REPAIRED),
                           tr(b, T_I_NOTE)};
    sheet s;
    if (!sheet_open(b, T_SH_INPUTS, 10, heads, &s)) {
        sheet_close(&s, 0);
        return;
    }
    lxw_row_t r = 1;
    input_row(&s, r++, "clusters", d->clusters);
    if (d->districts)
        input_row(&s, r++, "districts", d->districts);
    if (d->villages)
        input_row(&s, r++, "villages", d->villages);
    if (d->plan_layer)
        input_row(&s, r++, "plan", d->plan_layer);
    if (d->plants)
        input_row(&s, r++, "wastewater", d->plants);
    if (d->zoning) {
        const ccgis_overlay_result *z = d->zoning;
        put_text(&s, r, 0, layer_label(b, "zoning"), 0);
        put_text(&s, r, 1, d->job->zoning.source, 0);
        put_text(&s, r, 2, z->zones_name, 0);
        if (z->zones_crs) {
            put_text(&s, r, 3, ccgis_crs_name(z->zones_crs), 0);
            int epsg = ccgis_crs_epsg(z->zones_crs, NULL);
            if (epsg)
                put_num(&s, r, 4, epsg, K_CODE, 0);
        }
        put_num(&s, r, 5, (double)z->zones_read, K_COUNT, 0);
        put_num(&s, r, 6, (double)z->zones_near, K_COUNT, 0);
        put_num(&s, r, 7, (double)z->zones_skipped, K_COUNT, 0);
        put_num(&s, r, 8, (double)z->zones_repaired, K_COUNT, 0);
        put_text(&s, r, 9, tr(b, T_I_ZONING_NOTE), 0);
        r++;
    }
    sheet_close(&s, r - 1);
}

/* The cell formats: [bold][kind], and the header's. */
static int make_formats(book *b)
{
    for (int bold = 0; bold < 2; bold++)
        for (int k = 0; k < K_KINDS; k++) {
            lxw_format *f = workbook_add_format(b->wb);
            if (!f)
                return 0;
            if (bold)
                format_set_bold(f);
            if (num_formats[k])
                format_set_num_format(f, num_formats[k]);
            b->fmt[bold][k] = f;
        }
    b->head = workbook_add_format(b->wb);
    if (!b->head)
        return 0;
    format_set_bold(b->head);
    format_set_text_wrap(b->head);
    format_set_align(b->head, LXW_ALIGN_VERTICAL_TOP);
    format_set_bottom(b->head, LXW_BORDER_THIN);
    format_set_bg_color(b->head, 0xDDEBF7);
    return 1;
}

/* ccgis_write_workbook: see internal.h. */
ccgis_status ccgis_write_workbook(const run_data *d, const char *dir, const char *base,
                                  ccgis_lang lang)
{
    ccgis_ctx *ctx = d->ctx;
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s.xlsx", dir, base) >= (int)sizeof path)
        return ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s/%s.xlsx: the path is too long", dir, base);
    locale_t c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (!c_locale)
        return ccgis_nomem(ctx);
    locale_t old = uselocale(c_locale);

    book b = {.d = d, .lang = lang};
    lxw_workbook_options opts = {.constant_memory = LXW_FALSE, .tmpdir = (char *)dir,
                                 .use_zip64 = LXW_FALSE};
    b.wb = workbook_new_opt(path, &opts);
    ccgis_status st = CCGIS_OK;
    if (!b.wb) {
        st = ccgis_nomem(ctx);
        goto done;
    }
    char made[512];
    snprintf(made, sizeof made, "ccgis %s (%s)", ccgis_version(), ccgis_library_versions());
    lxw_doc_properties props = {
        .title = (char *)d->job->name,
        .comments = made,
        .created = 315532800, /* 1980-01-01T00:00:00Z, as libxlsxwriter dates the zip entries:
                                 the same inputs give the same bytes */
    };
    note(&b, workbook_set_properties(b.wb, &props));
    if (!make_formats(&b)) {
        b.nomem = 1;
    } else {
        summary_sheet(&b);
        clusters_sheet(&b);
        if (d->districts)
            districts_sheet(&b);
        if (d->zoning)
            conflicts_sheet(&b);
        if (d->near)
            villages_sheet(&b);
        programme_sheet(&b);
        findings_sheet(&b);
        inputs_sheet(&b);
    }
    lxw_error closed = workbook_close(b.wb); /* writes the file, frees the workbook */
    if (b.nomem)
        st = ccgis_nomem(ctx);
    else if (b.err != LXW_NO_ERROR)
        st = ccgis_error(ctx, CCGIS_ERR_INTERNAL, "%s: a sheet could not be built: %s", path,
                         lxw_strerror(b.err));
    else if (closed != LXW_NO_ERROR)
        st = ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                         "%s: could not be written (%s) -- check free space and permissions",
                         path, lxw_strerror(closed));
done:
    uselocale(old);
    freelocale(c_locale);
    return st;
}
