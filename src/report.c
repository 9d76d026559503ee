/*
 * report.c -- report.md and summary.json of a job (see ccgis/run.h).
 *
 * The report tells the story a department writes up after each run: how
 * many clusters and hectares, per status and per district; which clusters
 * lie on land not zoned for industry and by how much; which craft villages
 * are far from any cluster; what data problems were found; and exactly
 * which inputs were used -- in the job's language ([job] lang, lang.h:
 * headings, labels and the findings' sentences, numbers written its way,
 * 2.344,50 ha in Vietnamese).  summary.json holds the same facts as data
 * (jansson), with machine names and plain numbers in any language.  Neither holds a date, so that a
 * rerun on the same inputs gives the same files.
 *
 * report.html says the same as report.md, written by the same calls: each
 * piece of text, table cell and row goes to both (text, cell, row_begin,
 * next_cell, row_end below), and the row counts of every table are checked
 * to agree across report.md, report.html and summary.json.  Its page, maps
 * and chart come from html.c and draw.c (draw.h); the overview is also
 * written as overview.png and overview.svg, which report.md shows.
 */
#define _GNU_SOURCE /* qsort_r */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "draw.h"
#include "internal.h"

/* Clusters' status groups, in order of first appearance. */
typedef struct status_row {
    const char *status;
    long long n;
    double area_m2;
    size_t first; /* the first cluster with it */
} status_row;

/* Order of rows by status (bytes), then first appearance. */
static int by_status(const void *a, const void *b)
{
    const status_row *x = a, *y = b;
    int c = strcmp(x->status, y->status);
    if (c)
        return c;
    return x->first < y->first ? -1 : x->first > y->first;
}

/* Order of rows by first appearance. */
static int by_first(const void *a, const void *b)
{
    const status_row *x = a, *y = b;
    return x->first < y->first ? -1 : x->first > y->first;
}

/* Fill rows (room for clusters->n) with the status groups; return how many.
 * One row per cluster, sorted by status, then merged: O(n log n). */
static size_t status_rows(const run_data *d, status_row *rows)
{
    size_t nc = d->clusters->n, n = 0;
    for (size_t i = 0; i < nc; i++)
        rows[i] = (status_row){d->status[i], 1, d->area_m2[i], i};
    qsort(rows, nc, sizeof *rows, by_status);
    for (size_t i = 0; i < nc; i++) {
        if (n > 0 && strcmp(rows[n - 1].status, rows[i].status) == 0) {
            rows[n - 1].n++;
            rows[n - 1].area_m2 += rows[i].area_m2; /* in reading order */
        } else {
            rows[n++] = rows[i];
        }
    }
    qsort(rows, n, sizeof *rows, by_first);
    return n;
}

/* Name of cluster i from its name field, or "". */
static const char *cluster_name(const run_data *d, size_t i)
{
    const char *field = d->job->clusters.name;
    int k = field ? OGR_FD_GetFieldIndex(d->clusters->defn, field) : -1;
    if (k < 0 || !OGR_F_IsFieldSetAndNotNull(d->clusters->f[i].attrs, k))
        return "";
    return OGR_F_GetFieldAsString(d->clusters->f[i].attrs, k);
}

/* Name of village v from its name field, or its id. */
static const char *village_name(const run_data *d, size_t v)
{
    const char *field = d->job->villages.name;
    int k = field ? OGR_FD_GetFieldIndex(d->villages->defn, field) : -1;
    if (k < 0 || !OGR_F_IsFieldSetAndNotNull(d->villages->f[v].attrs, k))
        return d->villages->f[v].key;
    return OGR_F_GetFieldAsString(d->villages->f[v].attrs, k);
}

/*
 * What write_story writes into, and whether summary.json could be built.
 * Text reaches report.md and summary.json through the same functions, which
 * put it in UTF-8 (any byte that is not becomes U+FFFD) -- JSON takes
 * nothing else -- so the two always show the same text.
 */
typedef struct story {
    ccgis_ctx *ctx;
    ccgis_lang lang; /* report.md's; summary.json has machine names and plain numbers */
    FILE *f;
    char failed[256]; /* the first part of summary.json that could not be built; "" */
    FILE *h;          /* report.html, or NULL: report.md only */
    int block;        /* report.html's open block: H_NONE, H_P, H_TABLE, H_UL */
    int col;          /* the current table cell's column */
    char right[32];   /* the table's columns: 'r' right-aligned (numbers), else 'l' */
    size_t rows;      /* rows of the current table in report.html */
    ccgis_status drawn; /* the first failure of a drawing; CCGIS_OK */
} story;

enum { H_NONE, H_P, H_TABLE, H_UL };

/* Close report.html's open block. */
static void hclose(story *st)
{
    static const char *const end[] = {"", "</p>\n", "</tbody></table>\n", "</ul>\n"};
    if (st->h)
        fputs(end[st->block], st->h);
    st->block = H_NONE;
}

/* Open block `b` in report.html unless it is open. */
static void hopen(story *st, int b)
{
    if (!st->h || st->block == b)
        return;
    hclose(st);
    if (b == H_P)
        fputs("<p>", st->h);
    else if (b == H_UL)
        fputs("<ul>\n", st->h);
    st->block = b;
}

/* 1 if text can go where report.html is: in a paragraph, a cell or an item. */
static int inline_ok(const story *st)
{
    return st->block == H_P || ((st->block == H_TABLE || st->block == H_UL) && st->col >= 0);
}

/* s into report.html as text (escaped), in a paragraph unless a block is
 * open; with `marks`, `code` and *emphasis* as report.md means them. */
static void htext(story *st, const char *s, int marks)
{
    if (!st->h)
        return;
    if (!inline_ok(st))
        hopen(st, H_P);
    int code = 0, em = 0;
    for (const char *c = s; *c; c++) {
        if (marks && *c == '`') {
            fputs((code = !code) ? "<code>" : "</code>", st->h);
        } else if (marks && !code && *c == '*' && (em || strchr(c + 1, '*'))) {
            fputs((em = !em) ? "<em>" : "</em>", st->h);
        } else {
            char one[2] = {*c, '\0'};
            ccgis_html_text(st->h, one);
        }
    }
    if (code)
        fputs("</code>", st->h);
    if (em)
        fputs("</em>", st->h);
}

/* A break in report.md: s ("\n" or "\n\n"); a blank line ends report.html's
 * paragraph, a single one is a space. */
static void gap(story *st, const char *s)
{
    fputs(s, st->f);
    if (strstr(s, "\n\n"))
        hclose(st);
    else if (st->h && st->block == H_P)
        fputc('\n', st->h);
}

/* Record the first failure of a drawing. */
static void drawn(story *st, ccgis_status s)
{
    if (st->drawn == CCGIS_OK && s != CCGIS_OK)
        st->drawn = s;
}

/* Record the first part that could not be built. */
static void story_fail(story *st, const char *what)
{
    if (!st->failed[0])
        snprintf(st->failed, sizeof st->failed, "%s", what);
}

/* `s` in UTF-8: s itself, or a repaired copy left in *tmp for the caller to
 * free ("?" when out of memory, recorded). */
static const char *utf8_of(story *st, const char *s, char **tmp)
{
    *tmp = NULL;
    if (!s)
        return "";
    if (!ccgis_text_is_utf8(s))
        return s;
    if (ccgis_text_repair(st->ctx, s, tmp, NULL) != CCGIS_OK) {
        story_fail(st, "a text (out of memory)");
        return "?";
    }
    return *tmp;
}

/* A JSON string of s as the report shows it; NULL when out of memory. */
static json_t *jstr(story *st, const char *s)
{
    char *tmp;
    json_t *j = json_string(utf8_of(st, s, &tmp));
    free(tmp);
    return j;
}

/* Append `item` (taken over; may be NULL: it could not be built) to `arr`.
 * Returns 1, or 0 with `what` recorded. */
static int jadd(story *st, json_t *arr, json_t *item, const char *what)
{
    if (item && arr && json_array_append_new(arr, item) == 0)
        return 1;
    if (item && !arr)
        json_decref(item);
    story_fail(st, what);
    return 0;
}

/* Set doc[key] = v (taken over; may be NULL), or record `key`. */
static void jset(story *st, json_t *doc, const char *key, json_t *v)
{
    if (!v || json_object_set_new(doc, key, v) != 0)
        story_fail(st, key);
}

/* Print s into report.md, in UTF-8. */
static void text(story *st, const char *s)
{
    char *tmp;
    const char *u = utf8_of(st, s, &tmp);
    fputs(u, st->f);
    htext(st, u, 0);
    free(tmp);
}

/* Text of the report's own words into report.md, and into report.html with
 * its `code` and *emphasis* marks. */
static void words(story *st, const char *s)
{
    char *tmp;
    const char *u = utf8_of(st, s, &tmp);
    fputs(u, st->f);
    htext(st, u, 1);
    free(tmp);
}

/* A Markdown table cell: in UTF-8, and such that it cannot break the table. */
static void cell(story *st, const char *s)
{
    char *tmp;
    const char *u = utf8_of(st, s, &tmp);
    for (const char *c = u; *c; c++) {
        if (*c == '|')
            fputc('\\', st->f);
        fputc((unsigned char)*c < 0x20 ? ' ' : *c, st->f); /* control characters would break it */
    }
    if (st->h) {
        if (!inline_ok(st))
            hopen(st, H_P);
        ccgis_html_text(st->h, u);
    }
    free(tmp);
}

/* A table's head: the Markdown header `md` ("| a | b |\n| --- | ---: |\n"; for
 * table_head, text `id` of lang.c) into report.md, and as <thead> of a new
 * table into report.html, its right-aligned columns (---:) remembered for
 * the cells. */
static void table_head_md(story *st, const char *md)
{
    fputs(md, st->f);
    st->rows = 0;
    if (!st->h)
        return;
    hclose(st);
    const char *rule = strchr(md, '\n');
    size_t ncol = 0;
    memset(st->right, 0, sizeof st->right);
    for (const char *c = rule ? rule + 1 : ""; *c && *c != '\n'; c++)
        if (*c == '|' && c[1] && c[1] != '\n' && ncol < sizeof st->right - 1) {
            const char *e = strchr(c + 1, '|');
            st->right[ncol++] = e && e[-1] == ' ' && e[-2] == ':' ? 'r' : 'l';
        }
    fputs("<table>\n<thead><tr>", st->h);
    ncol = 0;
    for (const char *c = md; rule && c < rule;) {
        const char *e = memchr(c + 1, '|', (size_t)(rule - c - 1));
        if (*c != '|' || !e)
            break;
        const char *a = c + 1, *b = e;
        while (a < b && *a == ' ')
            a++;
        while (b > a && b[-1] == ' ')
            b--;
        char th[256];
        snprintf(th, sizeof th, "%.*s", (int)(b - a), a);
        fprintf(st->h, "<th%s>", st->right[ncol++] == 'r' ? " class=\"num\"" : "");
        ccgis_html_text(st->h, th);
        fputs("</th>", st->h);
        c = e;
    }
    fputs("</tr></thead>\n<tbody>\n", st->h);
    st->block = H_TABLE;
    st->col = -1;
}

static void table_head(story *st, ccgis_text_id id)
{
    table_head_md(st, ccgis_tr(st->lang, id));
}

/* The first cell of column st->col. */
static void td(story *st)
{
    fprintf(st->h, "<td%s>",
            st->col < (int)sizeof st->right && st->right[st->col] == 'r' ? " class=\"num\"" : "");
}

/* A table row's start, its cells' separators, its end. */
static void row_begin(story *st)
{
    fputs("| ", st->f);
    if (st->h) {
        st->col = 0;
        fputs("<tr>", st->h);
        td(st);
    }
}

static void next_cell(story *st)
{
    fputs(" | ", st->f);
    if (st->h) {
        st->col++;
        fputs("</td>", st->h);
        td(st);
    }
}

static void row_end(story *st)
{
    fputs(" |\n", st->f);
    if (st->h) {
        fputs("</td></tr>\n", st->h);
        st->col = -1;
        st->rows++;
    }
}

/* A cell's text as code: `s` in report.md, <code> in report.html. */
static void code_cell(story *st, const char *s)
{
    fputc('`', st->f);
    if (st->h)
        fputs("<code>", st->h);
    cell(st, s);
    fputc('`', st->f);
    if (st->h)
        fputs("</code>", st->h);
}

/* A list item's start and end. */
static void item_begin(story *st)
{
    fputs("- ", st->f);
    hopen(st, H_UL);
    if (st->h)
        fputs("<li>", st->h);
    st->col = 0;
}

static void item_end(story *st)
{
    fputs("\n", st->f);
    if (st->h)
        fputs("</li>\n", st->h);
    st->col = -1;
}

/* report.md and summary.json must list the same rows: record `what` when
 * the counts differ. */
static void agree(story *st, const char *what, size_t in_report, size_t in_json)
{
    char msg[256];
    size_t in_html = st->h ? st->rows : in_report;
    st->rows = 0;
    if (in_report == in_json && in_html == in_report)
        return;
    snprintf(msg, sizeof msg, "%s (%zu rows in report.md, %zu in report.html, %zu in summary.json)",
             what, in_report, in_html, in_json);
    story_fail(st, msg);
}

/* Order helpers for qsort_r over indices; the run_data is the argument. */

/* Clusters by conflict share, largest first, then by id. */
static int by_conflict(const void *a, const void *b, void *arg)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    const run_data *d = arg;
    double si = d->zoning->conflict_m2[i] / d->area_m2[i];
    double sj = d->zoning->conflict_m2[j] / d->area_m2[j];
    if (si != sj)
        return si > sj ? -1 : 1;
    return strcmp(d->clusters->f[i].key, d->clusters->f[j].key);
}

/* Villages by distance to the nearest cluster, farthest first. */
static int by_distance(const void *a, const void *b, void *arg)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    const run_data *d = arg;
    if (d->near->dist_m[i] != d->near->dist_m[j])
        return d->near->dist_m[i] > d->near->dist_m[j] ? -1 : 1;
    return strcmp(d->villages->f[i].key, d->villages->f[j].key);
}

/* Text `id` in the report's language, its placeholders filled from `w`
 * (lang.h), into report.md. */
static void say(story *st, ccgis_text_id id, const char *const *w, size_t nw)
{
    char buf[4096];
    ccgis_say_args a = {{NULL}, {0}};
    for (size_t k = 0; k < nw && k < CCGIS_SAY_WORDS; k++)
        a.w[k] = w[k];
    words(st, ccgis_say(st->lang, 0, ccgis_tr(st->lang, id), &a, buf, sizeof buf));
}

#define SAY(st, id, ...)                                                                           \
    say((st), (id), (const char *const[]){__VA_ARGS__},                                            \
        sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

/* A number in the report's way into buf (64 bytes); returns buf. */
static const char *num(const story *st, char *buf, double v, int decimals)
{
    return ccgis_format_number(st->lang, v, decimals, buf, 64);
}

/* A number in a table cell, the report's way. */
static void put_num(story *st, double v, int decimals)
{
    char b[64];
    cell(st, num(st, b, v, decimals));
}

/* A count in a table cell, the report's way. */
static void put_count(story *st, long long n)
{
    put_num(st, (double)n, 0);
}

/* A "## heading". */
static void heading(story *st, ccgis_text_id id)
{
    fprintf(st->f, "\n## %s\n\n", ccgis_tr(st->lang, id));
    if (st->h) {
        hclose(st);
        fputs("<h2>", st->h);
        ccgis_html_text(st->h, ccgis_tr(st->lang, id));
        fputs("</h2>\n", st->h);
    }
}

/* One row of the inputs table, and its JSON. */
static void input_row(story *st, json_t *inputs, const char *what, const char *source,
                      const char *name, const ccgis_crs *crs, const char *encoding, long long read,
                      long long used, long long skipped, long long repaired)
{
    int epsg = crs ? ccgis_crs_epsg(crs, NULL) : 0;
    const char *crs_name = crs ? ccgis_crs_name(crs) : "";
    char code[32] = "";
    row_begin(st);
    cell(st, ccgis_tr_layer(st->lang, what));
    next_cell(st);
    code_cell(st, source);
    next_cell(st);
    cell(st, name);
    next_cell(st);
    cell(st, crs_name);
    next_cell(st);
    if (epsg)
        snprintf(code, sizeof code, "EPSG:%d", epsg);
    cell(st, code);
    next_cell(st);
    cell(st, encoding);
    next_cell(st);
    put_count(st, read);
    next_cell(st);
    put_count(st, used);
    next_cell(st);
    put_count(st, skipped);
    next_cell(st);
    put_count(st, repaired);
    row_end(st);
    json_t *row =
        json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:I}", "layer", what, "source",
                  jstr(st, source), "name", jstr(st, name), "crs", jstr(st, crs_name), "epsg",
                  epsg ? json_integer(epsg) : json_null(), "encoding", jstr(st, encoding), "read",
                  (json_int_t)read, strcmp(what, "zoning") == 0 ? "near" : "used", (json_int_t)used,
                  "skipped", (json_int_t)skipped, "repaired", (json_int_t)repaired);
    jadd(st, inputs, row, "inputs");
}

/* A finding as a list item: "- its kind: its sentence", both in the report's language. */
static void finding_item(story *st, const ccgis_finding *fi)
{
    char buf[CCGIS_MSG_MAX * 2];
    item_begin(st);
    text(st, ccgis_tr(st->lang, (ccgis_text_id)(T_FK_FIRST + fi->kind)));
    text(st, ": ");
    cell(st, ccgis_finding_text(fi, st->lang, buf, sizeof buf));
    item_end(st);
}

/*
 * The "Outputs" section and summary.json's "outputs": the formats written and
 * the CRS of their layers -- [job] output_crs (d->out_crs) for Shapefile,
 * GeoPackage and SpatiaLite, WGS 84 always for GeoJSON (RFC 7946).
 */
static void outputs_section(story *st, const run_data *d, json_t *doc)
{
    static const struct {
        unsigned bit;
        const char *name, *label;
    } fmts[] = {{CCGIS_FMT_GEOJSON, "geojson", "GeoJSON"},
                {CCGIS_FMT_SHP, "shp", "Shapefile"},
                {CCGIS_FMT_GPKG, "gpkg", "GeoPackage"},
                {CCGIS_FMT_SQLITE, "sqlite", "SpatiaLite"}};
    const char *crs = d->out_crs ? ccgis_crs_name(d->out_crs) : "WGS 84";
    int epsg = d->out_crs ? ccgis_crs_epsg(d->out_crs, NULL) : 4326;
    json_t *names = json_array();
    heading(st, R_H_OUTPUTS);
    int listed = 0;
    for (size_t k = 0; k < sizeof fmts / sizeof fmts[0]; k++) {
        if (!(d->job->formats & fmts[k].bit) || fmts[k].bit == CCGIS_FMT_GEOJSON)
            continue;
        words(st, listed++ ? ", " : ccgis_tr(st->lang, R_OUT_LAYERS_IN));
        text(st, fmts[k].label);
        jadd(st, names, json_string(fmts[k].name), "outputs");
    }
    if (listed) {
        char code[32];
        text(st, ": ");
        text(st, crs);
        snprintf(code, sizeof code, " (EPSG:%d)", epsg);
        if (epsg)
            text(st, code);
        text(st, ".");
        gap(st, d->job->formats & CCGIS_FMT_GEOJSON ? " " : "\n");
    }
    if (d->job->formats & CCGIS_FMT_GEOJSON) {
        words(st, ccgis_tr(st->lang, R_OUT_GEOJSON));
        gap(st, "\n");
    }
    jset(st, doc, "outputs",
         json_pack("{s:o, s:o, s:o, s:s, s:i}", "formats", names ? names : json_null(), "crs",
                   jstr(st, crs), "epsg", epsg ? json_integer(epsg) : json_null(), "geojson_crs",
                   "WGS 84", "geojson_epsg", 4326));
}

/* ---- the programme (programme_run.c) ------------------------------------- */

/* A programme table's cell as report.md shows it, in the report's language. */
static void pcell_md(story *st, const ccgis_ptable *t, size_t r, size_t c)
{
    const ccgis_pcol *col = &t->cols[c];
    const ccgis_pcell *cl = &t->cells[r * t->ncols + c];
    char b[64];
    switch (col->kind) {
    case CCGIS_PC_TEXT:
        cell(st, cl->text ? cl->text
                          : col->blank < CCGIS_TEXT_COUNT ? ccgis_tr(st->lang, col->blank) : "");
        break;
    case CCGIS_PC_CHANGE:
        text(st, ccgis_tr(st->lang, (ccgis_text_id)(T_CH_FIRST + (int)cl->v)));
        break;
    case CCGIS_PC_WWTP:
        text(st, ccgis_tr(st->lang, (ccgis_text_id)(T_WW_FIRST + (int)cl->v)));
        break;
    case CCGIS_PC_COUNT:
        put_num(st, cl->v, 0);
        break;
    case CCGIS_PC_HA:
    case CCGIS_PC_KM:
        put_num(st, cl->v, 2);
        break;
    case CCGIS_PC_PCT:
        if (isfinite(cl->v))
            cell(st, ccgis_format_pct(st->lang, cl->v, 1, b, sizeof b));
        break;
    case CCGIS_PC_YEAR:
        if (isfinite(cl->v)) {
            snprintf(b, sizeof b, "%.0f", cl->v);
            cell(st, b);
        }
        break;
    }
}

/* A programme table's cell as summary.json holds it: machine names, plain
 * numbers, null for a blank. */
static json_t *pcell_json(story *st, const ccgis_ptable *t, size_t r, size_t c)
{
    const ccgis_pcol *col = &t->cols[c];
    const ccgis_pcell *cl = &t->cells[r * t->ncols + c];
    switch (col->kind) {
    case CCGIS_PC_TEXT:
        return jstr(st, cl->text ? cl->text : "");
    case CCGIS_PC_CHANGE:
        return json_string(ccgis_change_name((ccgis_change_kind)(int)cl->v));
    case CCGIS_PC_WWTP:
        return json_string(ccgis_wwtp_name((ccgis_wwtp_state)(int)cl->v));
    case CCGIS_PC_COUNT:
    case CCGIS_PC_YEAR:
        return isfinite(cl->v) ? json_integer((json_int_t)llround(cl->v)) : json_null();
    default:
        return isfinite(cl->v) ? json_real(cl->v) : json_null();
    }
}

/* One programme table: "### title", its sentence, the Markdown table (with
 * "N clusters / X ha -> M clusters / Y ha" for a now/planned table) and its
 * rows in summary.json under t->key. */
static void programme_table(story *st, const ccgis_ptable *t, json_t *pj)
{
    const char *title = ccgis_tr(st->lang, t->title);
    fprintf(st->f, "\n### %s\n\n", title);
    if (st->h) {
        hclose(st);
        fputs("<h3>", st->h);
        ccgis_html_text(st->h, title);
        fputs("</h3>\n", st->h);
    }
    if (t->about < CCGIS_TEXT_COUNT) {
        words(st, ccgis_tr(st->lang, t->about));
        gap(st, "\n\n");
    }
    json_t *rows = json_array();
    if (!t->nrows) {
        words(st, ccgis_tr(st->lang, T_P_NONE));
        gap(st, "\n");
        hclose(st);
    } else {
        /* The Markdown header, from the columns' headings. */
        char head[2048];
        size_t used = 0;
        head[0] = '\0';
#define HEAD(...)                                                                                  \
    do {                                                                                           \
        int w_ = snprintf(head + used, sizeof head - used, __VA_ARGS__);                          \
        if (w_ > 0)                                                                                \
            used = used + (size_t)w_ < sizeof head ? used + (size_t)w_ : sizeof head - 1;          \
    } while (0)
        HEAD("|");
        for (size_t c = 0; c < t->ncols; c++)
            HEAD(" %s |", ccgis_tr(st->lang, t->cols[c].head));
        if (t->from_to)
            HEAD(" %s |", ccgis_tr(st->lang, T_P_FROM_TO));
        HEAD("\n|");
        for (size_t c = 0; c < t->ncols + (t->from_to != 0); c++)
            HEAD(" %s |", c < t->ncols && t->cols[c].kind <= CCGIS_PC_WWTP ? "---" : "---:");
        HEAD("\n");
#undef HEAD
        table_head_md(st, head);
    }
    for (size_t r = 0; r < t->nrows; r++) {
        row_begin(st);
        json_t *row = json_object();
        for (size_t c = 0; c < t->ncols; c++) {
            if (c)
                next_cell(st);
            pcell_md(st, t, r, c);
            json_t *v = pcell_json(st, t, r, c);
            if (!row || !v || json_object_set_new(row, t->cols[c].key, v) != 0)
                story_fail(st, t->key);
        }
        if (t->from_to) {
            const ccgis_pcell *x = &t->cells[r * t->ncols];
            char n1[64], n2[64], n3[64], n4[64];
            next_cell(st);
            SAY(st, R_P_FROM_TO, num(st, n1, x[1].v, 0), num(st, n2, x[2].v, 2),
                num(st, n3, x[3].v, 0), num(st, n4, x[4].v, 2));
        }
        row_end(st);
        jadd(st, rows, row, t->key);
    }
    hclose(st);
    agree(st, t->key, t->nrows, rows ? json_array_size(rows) : 0);
    jset(st, pj, t->key, rows);
}

/*
 * The "Programme progress" section and summary.json's "programme": today
 * against the plan, wastewater compliance against the 100 % target, the
 * programme fields' lists and totals, the villages no cluster serves.
 */
static void programme_section(story *st, const run_data *d, json_t *doc)
{
    ccgis_pfigures pf;
    char n1[64], n2[64], n3[64], n4[64], n5[64], n6[64];
    if (!ccgis_programme_figures(d, &pf))
        return;
    heading(st, R_H_PROGRAMME);
    json_t *pj = json_object();
    if (pf.has_plan) {
        SAY(st, R_P_TOTALS, num(st, n1, (double)pf.now_n, 0), num(st, n2, pf.now_union_m2 / 1e4, 2),
            num(st, n3, (double)pf.plan_n, 0), num(st, n4, pf.plan_union_m2 / 1e4, 2));
        gap(st, "\n\n");
        jset(st, pj, "now",
             json_pack("{s:I, s:f}", "count", (json_int_t)pf.now_n, "union_ha",
                       pf.now_union_m2 / 1e4));
        jset(st, pj, "plan",
             json_pack("{s:I, s:f}", "count", (json_int_t)pf.plan_n, "union_ha",
                       pf.plan_union_m2 / 1e4));
    }
    if (pf.has_wwtp) {
        double share = pf.operating ? 100.0 * (double)pf.operating_compliant / (double)pf.operating
                                    : NAN;
        SAY(st, R_P_WWTP_SAY, num(st, n1, (double)pf.plants, 0),
            num(st, n2, (double)pf.plants_unused, 0), num(st, n3, pf.max_m, 0),
            num(st, n4, (double)pf.operating_compliant, 0), num(st, n5, (double)pf.operating, 0),
            ccgis_format_pct(st->lang, share, 1, n6, sizeof n6));
        gap(st, "\n\n");
        jset(st, pj, "wastewater_plants",
             json_pack("{s:I, s:I, s:f, s:I, s:I, s:I, s:I, s:I, s:o, s:f}", "plants",
                       (json_int_t)pf.plants, "serving_none", (json_int_t)pf.plants_unused,
                       "max_m", pf.max_m, "compliant",
                       (json_int_t)pf.wwtp_count[CCGIS_WWTP_COMPLIANT], "not_compliant",
                       (json_int_t)pf.wwtp_count[CCGIS_WWTP_NOT_COMPLIANT], "none",
                       (json_int_t)pf.wwtp_count[CCGIS_WWTP_NONE], "operating",
                       (json_int_t)pf.operating, "operating_compliant",
                       (json_int_t)pf.operating_compliant, "operating_compliant_pct",
                       isfinite(share) ? json_real(share) : json_null(), "target_pct", 100.0));
    }
    if (pf.has_gaps) {
        SAY(st, R_P_GAPS_SAY, num(st, n1, (double)pf.gaps, 0), num(st, n2, (double)pf.villages, 0),
            num(st, n3, pf.radius_m, 0));
        gap(st, "\n");
        jset(st, pj, "relocation",
             json_pack("{s:I, s:I, s:f}", "gaps", (json_int_t)pf.gaps, "villages",
                       (json_int_t)pf.villages, "radius_m", pf.radius_m));
    }
    size_t nt = 0;
    const ccgis_ptable *tables = ccgis_programme_tables(d, &nt);
    for (size_t k = 0; k < nt; k++)
        programme_table(st, &tables[k], pj);
    jset(st, doc, "programme", pj);
}

/* Write report.md to st->f and fill the JSON document `doc`; what could not
 * be built, or where the two would disagree, is left in st->failed. */
static void write_story(story *st, const run_data *d, json_t *doc, size_t *order)
{
    const ccgis_job *job = d->job;
    const ccgis_layer *c = d->clusters;
    size_t nc = c->n;
    char n1[64], n2[64], n3[64], n4[64], n5[64];
    double total = 0, plan_total = 0;
    for (size_t i = 0; i < nc; i++) {
        total += d->area_m2[i];
        plan_total += d->plan_m2[i];
    }

    fputs("# ", st->f);
    if (st->h)
        fputs("<h1>", st->h);
    st->block = H_UL; /* the title's text goes in place */
    st->col = 0;
    text(st, job->name);
    st->block = H_NONE;
    if (st->h)
        fputs("</h1>\n", st->h);
    gap(st, "\n\n");
    SAY(st, R_MADE_BY, ccgis_version(), ccgis_library_versions(), job->path);
    gap(st, "\n");
    SAY(st, R_MEASURES);
    if (d->plan)
        SAY(st, R_PLANAR, ccgis_crs_name(d->plan));
    SAY(st, R_DISTANCES);
    gap(st, "\n");
    /* The overview map: overview.png in report.md, inline in report.html. */
    gap(st, "\n");
    char *tmp;
    fputs("![", st->f);
    for (const char *p = utf8_of(st, job->name, &tmp); *p; p++)
        if (*p != '[' && *p != ']' && (unsigned char)*p >= 0x20)
            fputc(*p, st->f);
    free(tmp);
    fputs("](overview.png)\n", st->f);
    if (st->h) {
        hclose(st);
        drawn(st, ccgis_html_overview(d, st->h));
    }

    /* Clusters by status. */
    status_row *rows = calloc(nc + 1, sizeof *rows);
    if (!rows)
        story_fail(st, "clusters by status (out of memory)");
    size_t nrows = rows ? status_rows(d, rows) : 0;
    heading(st, R_H_CLUSTERS);
    SAY(st, R_CLUSTERS, num(st, n1, (double)nc, 0), num(st, n2, total / 1e4, 2));
    /* Overlapping clusters: say what the area is with the shared ground once. */
    int overlapping = d->sum_m2 - d->union_m2 > 1e-9 * d->sum_m2;
    if (overlapping) {
        SAY(st, R_UNION_FIRST, num(st, n1, d->union_m2 / 1e4, 2));
        size_t shown = 0, n_pairs = ccgis_findings_count(&d->findings, CCGIS_CLUSTER_OVERLAP);
        for (size_t k = 0; k < d->findings.n && shown < 5; k++) {
            const ccgis_finding *fi = &d->findings.items[k];
            if (fi->kind != CCGIS_CLUSTER_OVERLAP)
                continue;
            text(st, shown ? ", " : "");
            cell(st, fi->subject);
            text(st, "/");
            cell(st, fi->other ? fi->other : "?");
            shown++;
        }
        if (n_pairs > shown)
            SAY(st, R_PAIRS_MORE, num(st, n1, (double)(n_pairs - shown), 0));
        SAY(st, n_pairs == 1 ? R_UNION_LAST_1 : R_UNION_LAST_N);
    }
    if (d->plan)
        SAY(st, R_PLAN_TOTAL, num(st, n1, plan_total / 1e4, 2));
    text(st, ".");
    gap(st, "\n\n");
    table_head(st, R_TH_STATUS);
    json_t *by_status = json_array();
    for (size_t k = 0; k < nrows; k++) {
        row_begin(st);
        cell(st, rows[k].status[0] ? rows[k].status : ccgis_tr(st->lang, T_NO_STATUS));
        next_cell(st);
        put_count(st, rows[k].n);
        next_cell(st);
        put_num(st, rows[k].area_m2 / 1e4, 2);
        row_end(st);
        jadd(st, by_status,
             json_pack("{s:o, s:I, s:f}", "status", jstr(st, rows[k].status), "count",
                       (json_int_t)rows[k].n, "area_ha", rows[k].area_m2 / 1e4),
             "clusters by status");
    }
    free(rows);
    agree(st, "clusters by status", nrows, by_status ? json_array_size(by_status) : 0);
    jset(st, doc, "clusters",
         json_pack("{s:I, s:f, s:f, s:o, s:o}", "count", (json_int_t)nc, "area_ha", total / 1e4,
                   "union_ha", d->union_m2 / 1e4, "plan_ha",
                   d->plan ? json_real(plan_total / 1e4) : json_null(), "by_status", by_status));

    /* Districts: every one, with zeros where it has no cluster. */
    if (d->districts) {
        heading(st, R_H_DISTRICTS);
        SAY(st, R_DISTRICTS_HOW);
        gap(st, "\n\n");
        table_head(st, R_TH_DISTRICTS);
        json_t *dj = json_array();
        size_t empty = 0, listed = 0;
        long long placed = 0;
        for (size_t k = 0; k < d->districts->n; k++) {
            if (d->district_of[k] != k)
                continue; /* a second feature of a district, or nameless */
            jadd(st, dj,
                 json_pack("{s:o, s:I, s:f, s:o, s:o}", "name", jstr(st, d->dname[k]),
                           "n_clusters", (json_int_t)d->d_clusters[k], "clust_ha",
                           d->d_area_m2[k] / 1e4, "confl_ha",
                           d->zoning ? json_real(d->d_confl_m2[k] / 1e4) : json_null(),
                           "n_villages",
                           d->villages ? json_integer(d->d_villages[k]) : json_null()),
                 "districts");
            empty += d->d_clusters[k] == 0;
            listed++;
            placed += d->villages ? d->d_villages[k] : 0;
            row_begin(st);
            cell(st, d->dname[k]);
            next_cell(st);
            put_count(st, d->d_clusters[k]);
            next_cell(st);
            put_num(st, d->d_area_m2[k] / 1e4, 2);
            next_cell(st);
            d->zoning ? put_num(st, d->d_confl_m2[k] / 1e4, 2) : cell(st, "-");
            next_cell(st);
            d->villages ? put_count(st, d->d_villages[k]) : cell(st, "-");
            row_end(st);
        }
        size_t outside = 0;
        for (size_t i = 0; i < nc; i++)
            outside += d->cluster_district[i] == SIZE_MAX;
        gap(st, "\n");
        SAY(st, R_NO_CLUSTER, num(st, n1, (double)empty, 0), num(st, n2, (double)listed, 0));
        if (outside)
            SAY(st, R_OUTSIDE_CLUSTERS, num(st, n1, (double)outside, 0));
        if (d->villages && (long long)d->villages->n > placed)
            SAY(st, R_OUTSIDE_VILLAGES,
                num(st, n1, (double)((long long)d->villages->n - placed), 0));
        SAY(st, R_PER_STATUS);
        gap(st, "\n");
        if (st->h) {
            hclose(st);
            drawn(st, ccgis_html_chart(d, st->h));
        }
        agree(st, "districts", listed, dj ? json_array_size(dj) : 0);
        jset(st, doc, "districts", dj);
    }

    /* Zoning conflicts. */
    if (d->zoning) {
        const ccgis_overlay_result *z = d->zoning;
        size_t n = 0;
        double sum[4] = {0, 0, 0, 0}; /* allowed, conflict, mixed, no zone */
        for (size_t i = 0; i < nc; i++) {
            sum[0] += z->allowed_m2[i];
            sum[1] += z->conflict_m2[i];
            sum[2] += z->mixed_m2[i];
            sum[3] += z->nozone_m2[i];
            if (z->conflict_m2[i] > 0 && z->conflict_m2[i] >= z->tol_m2[i])
                order[n++] = i;
        }
        qsort_r(order, n, sizeof *order, by_conflict, (void *)d);
        heading(st, R_H_CONFLICTS);
        char allowed[1024] = "";
        for (char **a = job->allowed; a && *a; a++) {
            size_t used = strlen(allowed);
            snprintf(allowed + used, sizeof allowed - used, "%s%s", a == job->allowed ? "" : ", ",
                     *a);
        }
        SAY(st, R_CONFLICTS, num(st, n1, (double)n, 0), num(st, n2, (double)nc, 0), allowed,
            num(st, n3, sum[1] / 1e4, 2));
        gap(st, "\n\n");
        SAY(st, R_FOUR_WAYS, num(st, n1, sum[0] / 1e4, 2), num(st, n2, sum[1] / 1e4, 2),
            num(st, n3, sum[2] / 1e4, 2), num(st, n4, sum[3] / 1e4, 2),
            num(st, n5, (sum[0] + sum[1] + sum[2] + sum[3]) / 1e4, 2));
        gap(st, "\n\n");
        jset(st, doc, "zoning",
             json_pack("{s:f, s:f, s:f, s:f}", "allowed_ha", sum[0] / 1e4, "conflict_ha",
                       sum[1] / 1e4, "mixed_ha", sum[2] / 1e4, "nozone_ha", sum[3] / 1e4));
        json_t *cj = json_array();
        if (n)
            table_head(st, R_TH_CONFLICTS);
        for (size_t k = 0; k < n; k++) {
            size_t i = order[k];
            const char *dist = d->assign ? d->assign->zone[i] : "";
            double pct = ccgis_pct(z->conflict_m2[i], z->area_m2[i]);
            const char *top = d->zoning->conflict_top[i] ? d->zoning->conflict_top[i] : "";
            row_begin(st);
            cell(st, c->f[i].key);
            next_cell(st);
            cell(st, cluster_name(d, i));
            next_cell(st);
            cell(st, dist);
            next_cell(st);
            put_num(st, d->area_m2[i] / 1e4, 2);
            next_cell(st);
            put_num(st, d->zoning->conflict_m2[i] / 1e4, 2);
            next_cell(st);
            put_num(st, pct, 1);
            next_cell(st);
            cell(st, top);
            next_cell(st);
            put_num(st, z->mixed_m2[i] / 1e4, 2);
            next_cell(st);
            put_num(st, z->nozone_m2[i] / 1e4, 2);
            row_end(st);
            char what[160];
            snprintf(what, sizeof what, "the conflicts entry of cluster %.100s", c->f[i].key);
            jadd(st, cj,
                 json_pack("{s:o, s:o, s:o, s:f, s:f, s:f, s:o, s:f, s:f}", "id",
                           jstr(st, c->f[i].key), "name", jstr(st, cluster_name(d, i)),
                           "district", jstr(st, dist), "area_ha", d->area_m2[i] / 1e4,
                           "confl_ha", z->conflict_m2[i] / 1e4, "confl_pct", pct, "confl_top",
                           jstr(st, top), "mixed_ha", z->mixed_m2[i] / 1e4, "nozone_ha",
                           z->nozone_m2[i] / 1e4),
                 what);
        }
        agree(st, "clusters on land not zoned for industry", n, cj ? json_array_size(cj) : 0);
        /* A locator map per cluster listed, in the table's order. */
        if (st->h && n) {
            hclose(st);
            fputs("<div class=\"locators\">\n", st->h);
            for (size_t k = 0; k < n && st->drawn == CCGIS_OK; k++)
                drawn(st, ccgis_html_locator(d, order[k], st->h));
            fputs("</div>\n", st->h);
        }
        jset(st, doc, "conflicts", cj);
    }

    /* Villages. */
    if (d->near) {
        size_t nv = d->villages->n, within = 0, inside = 0;
        for (size_t v = 0; v < nv; v++) {
            within += d->near->within[v] != 0;
            inside += d->near->dist_m[v] == 0;
            order[v] = v;
        }
        qsort_r(order, nv, sizeof *order, by_distance, (void *)d);
        heading(st, R_H_VILLAGES);
        SAY(st, R_VILLAGES, num(st, n1, (double)nv, 0), num(st, n2, (double)within, 0),
            num(st, n3, job->radius_m, 0), num(st, n4, (double)inside, 0),
            num(st, n5, (double)(nv - within), 0));
        gap(st, "\n\n");
        SAY(st, R_FARTHEST);
        gap(st, "\n\n");
        table_head(st, R_TH_VILLAGES);
        json_t *far = json_array();
        size_t shown = 0;
        for (size_t k = 0; k < nv && k < 10; k++) {
            size_t v = order[k];
            const char *near_id = c->f[d->near->nearest[v]].key;
            row_begin(st);
            cell(st, d->villages->f[v].key);
            next_cell(st);
            cell(st, village_name(d, v));
            next_cell(st);
            cell(st, near_id);
            next_cell(st);
            put_num(st, d->near->dist_m[v] / 1000.0, 2);
            row_end(st);
            shown++;
            jadd(st, far,
                 json_pack("{s:o, s:o, s:o, s:f}", "id", jstr(st, d->villages->f[v].key), "name",
                           jstr(st, village_name(d, v)), "near_id", jstr(st, near_id), "near_m",
                           d->near->dist_m[v]),
                 "the farthest villages");
        }
        agree(st, "the farthest villages", shown, far ? json_array_size(far) : 0);
        jset(st, doc, "villages",
             json_pack("{s:I, s:I, s:I, s:f, s:o}", "count", (json_int_t)nv, "within",
                       (json_int_t)within, "inside", (json_int_t)inside, "radius_m",
                       job->radius_m, "farthest", far));
    }

    /* Boundaries to check by hand: they decide every figure of their cluster. */
    size_t n_fix = ccgis_findings_count(&d->findings, CCGIS_NEEDS_MANUAL_FIX) +
                   ccgis_findings_count(&d->findings, CCGIS_AREA_MISMATCH);
    if (n_fix) {
        heading(st, R_H_BOUNDARIES);
        SAY(st, R_BOUNDARIES);
        gap(st, "\n\n");
        for (size_t i = 0; i < d->findings.n; i++) {
            const ccgis_finding *fi = &d->findings.items[i];
            if (fi->kind == CCGIS_NEEDS_MANUAL_FIX || fi->kind == CCGIS_AREA_MISMATCH)
                finding_item(st, fi);
        }
    }

    programme_section(st, d, doc);

    /* Findings. */
    heading(st, R_H_FINDINGS);
    table_head(st, R_TH_FINDINGS);
    json_t *fj = json_object();
    for (int k = 0; k < CCGIS_FINDING_KINDS; k++) {
        size_t n = ccgis_findings_count(&d->findings, (ccgis_finding_kind)k);
        row_begin(st);
        text(st, ccgis_tr(st->lang, (ccgis_text_id)(T_FK_FIRST + k)));
        next_cell(st);
        code_cell(st, ccgis_finding_kind_name((ccgis_finding_kind)k));
        next_cell(st);
        put_count(st, (long long)n);
        row_end(st);
        if (!fj || json_object_set_new(fj, ccgis_finding_kind_name((ccgis_finding_kind)k),
                                       json_integer((json_int_t)n)) != 0)
            story_fail(st, "findings");
    }
    jset(st, doc, "findings", fj);
    if (d->findings.n)
        gap(st, "\n");
    for (size_t i = 0; i < d->findings.n && i < 50; i++)
        finding_item(st, &d->findings.items[i]);
    if (d->findings.n > 50) {
        SAY(st, R_FINDINGS_MORE, num(st, n1, (double)(d->findings.n - 50), 0));
        gap(st, "\n");
    }

    /* Inputs: each layer read, its CRS, encoding and counts. */
    heading(st, R_H_INPUTS);
    table_head(st, R_TH_INPUTS);
    json_t *inputs = json_array();
    size_t n_inputs = 0;
    const ccgis_layer *layers[] = {c, d->districts, d->villages, d->plan_layer, d->plants};
    const char *whats[] = {"clusters", "districts", "villages", "plan", "wastewater"};
    for (size_t k = 0; k < sizeof layers / sizeof layers[0]; k++) {
        const ccgis_layer *l = layers[k];
        if (!l)
            continue;
        input_row(st, inputs, whats[k], l->source, l->name, l->crs, l->encoding, l->n_read,
                  (long long)l->n, l->n_skipped, l->n_repaired);
        n_inputs++;
    }
    if (d->zoning) {
        const ccgis_overlay_result *z = d->zoning;
        input_row(st, inputs, "zoning", job->zoning.source, z->zones_name, z->zones_crs,
                  z->zones_encoding, z->zones_read, z->zones_near, z->zones_skipped,
                  z->zones_repaired);
        n_inputs++;
        gap(st, "\n");
        SAY(st, R_ZONING_NOTE);
        gap(st, "\n");
    }
    agree(st, "inputs", n_inputs, inputs ? json_array_size(inputs) : 0);
    jset(st, doc, "inputs", inputs);
    outputs_section(st, d, doc);
}

/* ccgis_write_report: see internal.h. */
ccgis_status ccgis_write_report(run_data *d, const char *dir)
{
    ccgis_ctx *ctx = d->ctx;
    char path[4096];
    size_t n = d->clusters->n;
    if (d->villages && d->villages->n > n)
        n = d->villages->n;
    story st = {ctx, d->job->lang, NULL, "", NULL, H_NONE, -1, "", 0, CCGIS_OK};
    size_t *order = ccgis_calloc(ctx, n + 1, sizeof *order);
    json_t *doc = json_pack("{s:s, s:s, s:o, s:o}", "ccgis", ccgis_version(), "libraries",
                            ccgis_library_versions(), "job", jstr(&st, d->job->path), "name",
                            jstr(&st, d->job->name));
    if (!order || !doc) {
        free(order);
        json_decref(doc);
        return ccgis_nomem(ctx);
    }
    ccgis_status status = ccgis_write_overview(d, dir);
    snprintf(path, sizeof path, "%s/report.html", dir);
    st.h = status == CCGIS_OK ? fopen(path, "w") : NULL;
    if (status == CCGIS_OK && !st.h)
        status = ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s: cannot be written -- check the folder",
                             path);
    snprintf(path, sizeof path, "%s/report.md", dir);
    st.f = status == CCGIS_OK ? fopen(path, "w") : NULL;
    if (status != CCGIS_OK) {
        /* recorded */
    } else if (!st.f) {
        status = ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s: cannot be written -- check the folder",
                          path);
    } else {
        ccgis_html_begin(st.h, d->job->lang, d->job->name);
        write_story(&st, d, doc, order);
        hclose(&st);
        ccgis_html_end(st.h);
        if (ferror(st.f) | fclose(st.f))
            status = ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                              "%s: could not be written completely -- check free space", path);
        if (status == CCGIS_OK && st.drawn != CCGIS_OK)
            status = st.drawn; /* recorded */
    }
    if (st.h && (ferror(st.h) | fclose(st.h)) && status == CCGIS_OK)
        status = ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                             "%s/report.html: could not be written completely -- check free space",
                             dir);
    if (status == CCGIS_OK && st.failed[0])
        status = ccgis_error(ctx, CCGIS_ERR_INTERNAL,
                          "%s/summary.json: cannot build %s -- report.md and summary.json "
                          "would not agree, so the run is stopped (out of memory, or a bug in "
                          "ccgis: please report it)",
                          dir, st.failed);
    snprintf(path, sizeof path, "%s/summary.json", dir);
    if (status == CCGIS_OK && json_dump_file(doc, path, JSON_INDENT(2)) != 0)
        status = ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                          "%s: could not be written completely -- check free space", path);
    json_decref(doc);
    free(order);
    return status;
}
