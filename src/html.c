/*
 * html.c -- report.html's page and the drawings of a run (draw.h).
 *
 * report.c writes the page's text and tables beside report.md's, from the
 * same figures; this file gives it the page around them (one file, UTF-8,
 * CSS inline, print rules for A4, nothing fetched from anywhere) and the
 * figures: the overview map, the bar chart of hectares per district by
 * status and a locator map per listed conflict cluster, each an inline SVG
 * drawn by draw.c from the run's layers.  It also writes the overview as
 * overview.png and overview.svg for report.md and for documents.
 * Exports ccgis_html_* and ccgis_write_overview.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>

#include "draw.h"
#include "lang.h"

/* ccgis_html_text: see draw.h. */
void ccgis_html_text(FILE *f, const char *s)
{
    for (const char *c = s ? s : ""; *c; c++) {
        switch (*c) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc((unsigned char)*c < 0x20 && *c != '\n' ? ' ' : *c, f);
        }
    }
}

/* The page's style: screen and print (A4, margins 15 mm, no figure or table
 * row split across pages). */
static const char css[] =
    "body{font-family:'Noto Sans','DejaVu Sans',Arial,sans-serif;font-size:14px;color:#222;"
    "max-width:1040px;margin:24px auto;padding:0 16px;line-height:1.45}\n"
    "h1{font-size:24px;margin:0 0 12px}h2{font-size:19px;margin:28px 0 10px;"
    "border-bottom:2px solid #ccc;padding-bottom:4px}\n"
    "table{border-collapse:collapse;margin:8px 0 16px;font-size:13px}\n"
    "th,td{border:1px solid #bbb;padding:3px 7px;vertical-align:top}\n"
    "th{background:#eee;text-align:left}td.num,th.num{text-align:right;white-space:nowrap}\n"
    "figure{margin:12px 0 20px}figure svg{max-width:100%;height:auto;display:block;"
    "border:1px solid #ddd}figcaption{font-size:12px;color:#555;margin-top:4px}\n"
    "code{font-family:'DejaVu Sans Mono',monospace;font-size:12px;background:#f4f4f4;"
    "padding:0 3px}\n"
    ".locators{display:flex;flex-wrap:wrap;gap:12px}.locators figure{margin:0;"
    "width:520px;max-width:100%}\n"
    "@page{size:A4;margin:15mm}\n"
    "@media print{body{max-width:none;margin:0;padding:0;font-size:10pt}"
    "h2{break-after:avoid}figure,tr{break-inside:avoid}table{font-size:8.5pt}"
    "th,td{padding:2px 4px}figure svg{border:none}.locators figure{width:calc(50% - 6px)}}\n";

/* ccgis_html_begin: see draw.h. */
void ccgis_html_begin(FILE *f, ccgis_lang lang, const char *title)
{
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
               "<title>",
            lang == CCGIS_LANG_EN ? "en" : "vi");
    ccgis_html_text(f, title);
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", css);
}

/* ccgis_html_end: see draw.h. */
void ccgis_html_end(FILE *f)
{
    fputs("</body>\n</html>\n", f);
}

/* ---- the run's layers as draw.c wants them --------------------------------- */

typedef struct maps {
    ccgis_palette palette;
    ccgis_map_data m;
    const GEOSGeometry **clusters, **districts, **villages;
    const char **cluster_id, **district_name;
    double *pct;
} maps;

static void maps_clear(maps *s)
{
    free(s->clusters);
    free(s->districts);
    free(s->villages);
    free(s->cluster_id);
    free(s->district_name);
    free(s->pct);
}

/* Fill s from the run; returns CCGIS_OK or a failure (recorded). */
static ccgis_status maps_make(const run_data *d, maps *s)
{
    ccgis_ctx *ctx = d->ctx;
    memset(s, 0, sizeof *s);
    ccgis_status st = ccgis_palette_make(ctx, d->job->conflict_breaks, d->job->n_conflict_breaks,
                                         d->job->lang, &s->palette);
    if (st != CCGIS_OK)
        return st;
    size_t nc = d->clusters->n, nd = d->districts ? d->districts->n : 0,
           nv = d->villages ? d->villages->n : 0;
    s->clusters = ccgis_calloc(ctx, nc + 1, sizeof *s->clusters);
    s->cluster_id = ccgis_calloc(ctx, nc + 1, sizeof *s->cluster_id);
    s->pct = ccgis_calloc(ctx, nc + 1, sizeof *s->pct);
    s->districts = ccgis_calloc(ctx, nd + 1, sizeof *s->districts);
    s->district_name = ccgis_calloc(ctx, nd + 1, sizeof *s->district_name);
    s->villages = ccgis_calloc(ctx, nv + 1, sizeof *s->villages);
    if (!s->clusters || !s->cluster_id || !s->pct || !s->districts || !s->district_name ||
        !s->villages) {
        maps_clear(s);
        return CCGIS_ERR_NOMEM;
    }
    for (size_t i = 0; i < nc; i++) {
        s->clusters[i] = d->clusters->f[i].geom;
        s->cluster_id[i] = d->clusters->f[i].key;
        if (d->zoning)
            s->pct[i] = ccgis_pct(d->zoning->conflict_m2[i], d->zoning->area_m2[i]);
    }
    /* A district once, by its first feature (the union of its features). */
    for (size_t k = 0; k < nd; k++) {
        s->districts[k] = d->district_of[k] == k && d->dgeom[k] ? d->dgeom[k]
                                                                 : d->districts->f[k].geom;
        s->district_name[k] = d->district_of[k] == k ? d->dname[k] : NULL;
        if (d->district_of[k] != k && d->district_of[k] != SIZE_MAX && d->dgeom[d->district_of[k]])
            s->districts[k] = NULL; /* drawn with its first feature's union */
    }
    for (size_t v = 0; v < nv; v++)
        s->villages[v] = d->villages->f[v].geom;
    s->m = (ccgis_map_data){.crs = d->out_crs,
                            .lang = d->job->lang,
                            .palette = &s->palette,
                            .n_clusters = nc,
                            .clusters = s->clusters,
                            .confl_pct = d->zoning ? s->pct : NULL,
                            .cluster_id = s->cluster_id,
                            .n_districts = nd,
                            .districts = s->districts,
                            .district_name = s->district_name,
                            .n_villages = nv,
                            .villages = s->villages};
    return CCGIS_OK;
}

/* Put the SVG (or nothing: failed) of a figure into f with its caption. */
static ccgis_status figure(ccgis_ctx *ctx, FILE *f, cairo_t *cr, void *state, ccgis_status st,
                           const char *prefix, const char *caption)
{
    char *svg = ccgis_svg_end(ctx, cr, state, prefix, 1);
    if (st == CCGIS_OK && !svg)
        st = ctx->err ? ctx->err : CCGIS_ERR_INTERNAL;
    if (st == CCGIS_OK) {
        fputs("<figure>\n", f);
        fputs(svg, f);
        fputs("<figcaption>", f);
        ccgis_html_text(f, caption);
        fputs("</figcaption>\n</figure>\n", f);
    }
    free(svg);
    return st;
}

/* The overview's title: the job's name. */
static const char *overview_title(const run_data *d)
{
    return d->job->name ? d->job->name : "";
}

/* ccgis_html_overview: see draw.h. */
ccgis_status ccgis_html_overview(const run_data *d, FILE *f)
{
    maps s;
    ccgis_status st = maps_make(d, &s);
    if (st != CCGIS_OK)
        return st;
    void *state;
    cairo_t *cr = ccgis_svg_begin(d->ctx, CCGIS_OVERVIEW_W, CCGIS_OVERVIEW_H, &state);
    st = cr ? ccgis_draw_overview(d->ctx, &s.m, overview_title(d), cr, CCGIS_OVERVIEW_W,
                                  CCGIS_OVERVIEW_H, NULL)
            : CCGIS_ERR_NOMEM;
    st = figure(d->ctx, f, cr, state, st, "ov-", "overview.png, overview.svg");
    maps_clear(&s);
    return st;
}

/* ccgis_html_locator: see draw.h. */
ccgis_status ccgis_html_locator(const run_data *d, size_t i, FILE *f)
{
    maps s;
    ccgis_status st = maps_make(d, &s);
    if (st != CCGIS_OK)
        return st;
    const ccgis_overlay_result *z = d->zoning;
    size_t first = 0, n = 0;
    while (z && first < z->n_pieces && z->pieces[first].input != i)
        first++;
    while (z && first + n < z->n_pieces && z->pieces[first + n].input == i)
        n++;
    ccgis_map_piece *pieces = ccgis_calloc(d->ctx, n + 1, sizeof *pieces);
    if (!pieces) {
        maps_clear(&s);
        return CCGIS_ERR_NOMEM;
    }
    for (size_t k = 0; k < n; k++)
        pieces[k] = (ccgis_map_piece){z->pieces[first + k].geom, z->pieces[first + k].klass,
                                      z->pieces[first + k].allowed};
    s.m.n_pieces = n;
    s.m.pieces = pieces;
    char title[512], prefix[48];
    const char *key = d->clusters->f[i].key;
    snprintf(title, sizeof title, "%s", key);
    snprintf(prefix, sizeof prefix, "loc%zu-", i);
    void *state;
    cairo_t *cr = ccgis_svg_begin(d->ctx, CCGIS_LOCATOR_W, CCGIS_LOCATOR_H, &state);
    st = cr ? ccgis_draw_locator(d->ctx, &s.m, i, title, cr, CCGIS_LOCATOR_W, CCGIS_LOCATOR_H,
                                 NULL)
            : CCGIS_ERR_NOMEM;
    st = figure(d->ctx, f, cr, state, st, prefix, key);
    free(pieces);
    maps_clear(&s);
    return st;
}

/* ccgis_html_chart: see draw.h. */
ccgis_status ccgis_html_chart(const run_data *d, FILE *f)
{
    if (!d->districts)
        return CCGIS_OK;
    ccgis_ctx *ctx = d->ctx;
    size_t nc = d->clusters->n, nd = d->districts->n, ns = 0, nr = 0;
    const char **status = ccgis_calloc(ctx, nc + 1, sizeof *status);
    const char **row = ccgis_calloc(ctx, nd + 1, sizeof *row);
    size_t *row_of = ccgis_calloc(ctx, nd + 1, sizeof *row_of);
    double *ha = NULL;
    ccgis_status st = CCGIS_ERR_NOMEM;
    if (!status || !row || !row_of)
        goto done;
    /* Statuses in order of first appearance, as report.md's table of them. */
    for (size_t i = 0; i < nc; i++) {
        size_t k = 0;
        while (k < ns && strcmp(status[k], d->status[i]) != 0)
            k++;
        if (k == ns)
            status[ns++] = d->status[i];
    }
    /* Rows: the districts with a cluster, in the districts table's order. */
    for (size_t k = 0; k < nd; k++) {
        row_of[k] = SIZE_MAX;
        if (d->district_of[k] == k && d->d_clusters[k] > 0) {
            row_of[k] = nr;
            row[nr++] = d->dname[k];
        }
    }
    if (nr == 0) { /* no district has a cluster: no chart */
        st = CCGIS_OK;
        goto done;
    }
    ha = ccgis_calloc(ctx, nr * ns + 1, sizeof *ha);
    if (!ha)
        goto done;
    for (size_t i = 0; i < nc; i++) {
        size_t k = d->cluster_district[i], s = 0;
        if (k == SIZE_MAX || row_of[k] == SIZE_MAX)
            continue;
        while (strcmp(status[s], d->status[i]) != 0)
            s++;
        ha[row_of[k] * ns + s] += d->area_m2[i] / 1e4;
    }
    for (size_t s = 0; s < ns; s++)
        if (!status[s][0])
            status[s] = ccgis_tr(d->job->lang, T_NO_STATUS);
    ccgis_chart_data c = {d->job->lang, nr, ns, row, status, ha,
                          ccgis_tr(d->job->lang, T_AREA_HA)};
    double h = ccgis_chart_height(&c);
    void *state;
    cairo_t *cr = ccgis_svg_begin(ctx, CCGIS_CHART_W, h, &state);
    st = cr ? ccgis_draw_chart(ctx, &c, cr, CCGIS_CHART_W, h) : CCGIS_ERR_NOMEM;
    st = figure(ctx, f, cr, state, st, "chart-", ccgis_tr(d->job->lang, T_AREA_HA));
done:
    free(status);
    free(row);
    free(row_of);
    free(ha);
    return st;
}

/* ccgis_write_overview: see draw.h. */
ccgis_status ccgis_write_overview(const run_data *d, const char *dir)
{
    ccgis_ctx *ctx = d->ctx;
    char path[4096];
    maps s;
    ccgis_status st = maps_make(d, &s);
    if (st != CCGIS_OK)
        return st;
    /* The PNG at twice the px, for print. */
    cairo_surface_t *img =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, 2 * CCGIS_OVERVIEW_W, 2 * CCGIS_OVERVIEW_H);
    cairo_t *cr = cairo_create(img);
    cairo_scale(cr, 2, 2);
    st = ccgis_draw_overview(ctx, &s.m, overview_title(d), cr, CCGIS_OVERVIEW_W,
                             CCGIS_OVERVIEW_H, NULL);
    cairo_destroy(cr);
    cairo_surface_flush(img);
    snprintf(path, sizeof path, "%s/overview.png", dir);
    if (st == CCGIS_OK && cairo_surface_write_to_png(img, path) != CAIRO_STATUS_SUCCESS)
        st = ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                         "%s: could not be written completely -- check free space", path);
    cairo_surface_destroy(img);
    if (st == CCGIS_OK) {
        void *state;
        cr = ccgis_svg_begin(ctx, CCGIS_OVERVIEW_W, CCGIS_OVERVIEW_H, &state);
        st = cr ? ccgis_draw_overview(ctx, &s.m, overview_title(d), cr, CCGIS_OVERVIEW_W,
                                      CCGIS_OVERVIEW_H, NULL)
                : CCGIS_ERR_NOMEM;
        char *svg = ccgis_svg_end(ctx, cr, state, "", 0);
        if (st == CCGIS_OK && !svg)
            st = ctx->err ? ctx->err : CCGIS_ERR_INTERNAL;
        snprintf(path, sizeof path, "%s/overview.svg", dir);
        FILE *f = st == CCGIS_OK ? fopen(path, "w") : NULL;
        if (st == CCGIS_OK && (!f || fputs(svg, f) < 0 || ferror(f)))
            st = ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                             "%s: could not be written completely -- check free space", path);
        if (f && fclose(f) != 0 && st == CCGIS_OK)
            st = ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                             "%s: could not be written completely -- check free space", path);
        free(svg);
    }
    maps_clear(&s);
    return st;
}
