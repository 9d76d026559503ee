/*
 * draw.c -- maps and the chart of a run, drawn with cairo onto any surface,
 * with pango for text so Vietnamese names come out whole (draw.h).
 *
 * A map is a frame (the plane's box fitted into the drawing at one scale,
 * px per metre) with the layers drawn in it, clipped to it, and a scale bar
 * of a round length (1, 2 or 5 x 10^k m, about a quarter of the frame) and
 * a north arrow (grid north of the plane) on it.  The overview has a panel
 * on its right with the title and the legend.  Text is set in Noto Sans
 * (Debian fonts-noto-core), else DejaVu Sans, with hinting off so that the
 * PNG and the SVG lay out alike and nothing depends on the screen.
 *
 * The few words the drawings carry (legend headings) are in words[] below,
 * in Vietnamese and English; numbers are written by ccgis_format_number.
 * Exports the ccgis_draw_* functions, ccgis_chart_height and the in-memory
 * SVG helpers ccgis_svg_begin / ccgis_svg_end.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-svg.h>
#include <pango/pangocairo.h>

#include "draw.h"

/* ---- words --------------------------------------------------------------- */

enum { W_CONFLICT, W_NOZONING, W_DISTRICT, W_VILLAGE, W_CLUSTER, W_OTHER_CLUSTER, W_ALLOWED,
       W_NOT_ALLOWED, W_OTHER_CLASS, W_LOCAL, W_COUNT };

static const char *const words[W_COUNT][2] = {
    [W_CONFLICT] = {"Tỷ lệ diện tích trên đất không được quy hoạch cho công nghiệp",
                    "Share of the area on land not zoned for industry"},
    [W_NOZONING] = {"Cụm công nghiệp", "Industrial cluster"},
    [W_DISTRICT] = {"Ranh giới quận/huyện", "District boundary"},
    [W_VILLAGE] = {"Làng nghề", "Craft village"},
    [W_CLUSTER] = {"Ranh giới cụm", "Cluster boundary"},
    [W_OTHER_CLUSTER] = {"Cụm khác", "Other cluster"},
    [W_ALLOWED] = {"được phép", "allowed"},
    [W_NOT_ALLOWED] = {"không được phép", "not allowed"},
    [W_OTHER_CLASS] = {"Loại khác", "Other class"},
    [W_LOCAL] = {"phép chiếu trụ đều cục bộ trên elipxoit WGS 84, đúng tỷ lệ ở tâm bản đồ",
                 "local equirectangular projection on the WGS 84 ellipsoid, true to scale at "
                 "the map's centre"},
};

static const char *word(ccgis_lang lang, int id)
{
    return words[id][lang == CCGIS_LANG_EN];
}

static const ccgis_rgb INK = {0.13, 0.13, 0.13}, WHITE = {1, 1, 1}, GREY = {0.55, 0.55, 0.55},
                       DISTRICT_LINE = {0.25, 0.25, 0.30}, VILLAGE = {0.16, 0.29, 0.63},
                       NOZONE = {0.78, 0.78, 0.78}, FOCUS = {0.55, 0.0, 0.0};

static void set_rgb(cairo_t *cr, ccgis_rgb c)
{
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

/* ---- text ---------------------------------------------------------------- */

/* A layout for s at size px (bold or not), wrapped at wrap px when > 0. */
static PangoLayout *layout(cairo_t *cr, const char *s, double size, int bold, double wrap)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(pango_layout_get_context(l), fo);
    pango_layout_context_changed(l);
    cairo_font_options_destroy(fo);
    PangoFontDescription *fd = pango_font_description_from_string("Noto Sans, DejaVu Sans");
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    if (wrap > 0) {
        pango_layout_set_width(l, (int)(wrap * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_text(l, s ? s : "", -1);
    return l;
}

/* The size of s as text() would set it. */
static void text_size(cairo_t *cr, const char *s, double size, int bold, double wrap, double *w,
                      double *h)
{
    PangoLayout *l = layout(cr, s, size, bold, wrap);
    int pw, ph;
    pango_layout_get_pixel_size(l, &pw, &ph);
    g_object_unref(l);
    if (w)
        *w = pw;
    if (h)
        *h = ph;
}

/*
 * Set s at (x, y), the point being the fraction (ax, ay) of its box (0, 0:
 * top left; 0.5, 0.5: centre), in colour c, with a white halo when `halo`.
 * Returns the height used.
 */
static double text(cairo_t *cr, const char *s, double size, int bold, double wrap, double x,
                   double y, double ax, double ay, ccgis_rgb c, int halo)
{
    PangoLayout *l = layout(cr, s, size, bold, wrap);
    int pw, ph;
    pango_layout_get_pixel_size(l, &pw, &ph);
    cairo_save(cr);
    cairo_move_to(cr, x - ax * pw, y - ay * ph);
    if (halo) { /* a light ground: in an SVG, glyphs stay shared symbols */
        cairo_rectangle(cr, x - ax * pw - 2, y - ay * ph + 1, pw + 4, ph - 2);
        cairo_set_source_rgba(cr, 1, 1, 1, 0.7);
        cairo_fill(cr);
        cairo_move_to(cr, x - ax * pw, y - ay * ph);
    }
    set_rgb(cr, c);
    pango_cairo_show_layout(cr, l);
    cairo_restore(cr);
    g_object_unref(l);
    return ph;
}

/* ---- the plane and the frame --------------------------------------------- */

/* How lon/lat reach the drawing. */
typedef struct view {
    ccgis_ctx *ctx;
    ccgis_transform *t;     /* WGS 84 -> the plane; NULL: local */
    double lon0, lat0;      /* local: the centre */
    double kx, ky;          /* local: metres per degree of lon / lat */
    double minx, maxy;      /* the plane's coordinates at the frame's top left */
    double s;               /* px per metre */
    double box[4];          /* the frame: x, y, w, h (px) */
    ccgis_status st;        /* the first failure */
} view;

/* WGS 84 semi-major axis and flattening. */
#define WGS84_A 6378137.0
#define WGS84_F (1 / 298.257223563)

/* Set up the local plane at (lon0, lat0): metres per degree from the radii
 * of curvature of the WGS 84 ellipsoid there. */
static void local_plane(view *v, double lon0, double lat0)
{
    double e2 = WGS84_F * (2 - WGS84_F), phi = lat0 * M_PI / 180, sp = sin(phi);
    double w = sqrt(1 - e2 * sp * sp);
    double n = WGS84_A / w, m = WGS84_A * (1 - e2) / (w * w * w);
    v->lon0 = lon0;
    v->lat0 = lat0;
    v->kx = n * cos(phi) * M_PI / 180;
    v->ky = m * M_PI / 180;
}

/* Project n points in place, lon/lat to the plane. */
static void project(view *v, size_t n, double *x, double *y)
{
    if (v->t) {
        ccgis_status st = ccgis_transform_xy(v->ctx, v->t, n, x, y);
        if (st != CCGIS_OK && v->st == CCGIS_OK)
            v->st = st;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        x[i] = (x[i] - v->lon0) * v->kx;
        y[i] = (y[i] - v->lat0) * v->ky;
    }
}

/* The plane to px. */
static double px_x(const view *v, double x)
{
    return v->box[0] + (x - v->minx) * v->s;
}
static double px_y(const view *v, double y)
{
    return v->box[1] + (v->maxy - y) * v->s;
}

/* Grow box b (min lon, min lat, max lon, max lat) by geometry g's. */
static void grow(GEOSContextHandle_t h, const GEOSGeometry *g, double *b)
{
    double x0, y0, x1, y1;
    if (!g || GEOSisEmpty_r(h, g) != 0 || !GEOSGeom_getXMin_r(h, g, &x0) ||
        !GEOSGeom_getYMin_r(h, g, &y0) || !GEOSGeom_getXMax_r(h, g, &x1) ||
        !GEOSGeom_getYMax_r(h, g, &y1))
        return;
    b[0] = fmin(b[0], x0);
    b[1] = fmin(b[1], y0);
    b[2] = fmax(b[2], x1);
    b[3] = fmax(b[3], y1);
}

/*
 * Make the view of lon/lat box b (grown by `margin` of its size on each
 * side, at least min_m metres across) in the frame fr (x, y, w, h).  The
 * box's edges are projected at 16 points each, so a curved edge is held.
 */
static ccgis_status view_make(ccgis_ctx *ctx, const ccgis_map_data *m, const double *b,
                              double margin, double min_m, const double *fr, view *v)
{
    memset(v, 0, sizeof *v);
    v->ctx = ctx;
    v->st = CCGIS_OK;
    memcpy(v->box, fr, sizeof v->box);
    double lon0 = (b[0] + b[2]) / 2, lat0 = (b[1] + b[3]) / 2;
    local_plane(v, lon0, lat0);
    if (m->crs && !ccgis_crs_is_geographic(m->crs)) {
        ccgis_crs *wgs = NULL;
        ccgis_status st = ccgis_crs_from_user(ctx, "EPSG:4326", &wgs);
        if (st == CCGIS_OK)
            st = ccgis_transform_between(ctx, wgs, m->crs, &v->t);
        ccgis_crs_free(wgs);
        if (st != CCGIS_OK)
            return st;
    }
    double x[64], y[64];
    for (int k = 0; k < 16; k++) {
        double f = k / 15.0;
        x[k] = b[0] + f * (b[2] - b[0]), y[k] = b[1];
        x[16 + k] = b[0] + f * (b[2] - b[0]), y[16 + k] = b[3];
        x[32 + k] = b[0], y[32 + k] = b[1] + f * (b[3] - b[1]);
        x[48 + k] = b[2], y[48 + k] = b[1] + f * (b[3] - b[1]);
    }
    project(v, 64, x, y);
    if (v->st != CCGIS_OK)
        return v->st;
    double e[4] = {x[0], y[0], x[0], y[0]};
    for (int k = 1; k < 64; k++) {
        e[0] = fmin(e[0], x[k]), e[1] = fmin(e[1], y[k]);
        e[2] = fmax(e[2], x[k]), e[3] = fmax(e[3], y[k]);
    }
    double dx = e[2] - e[0], dy = e[3] - e[1];
    double cx = (e[0] + e[2]) / 2, cy = (e[1] + e[3]) / 2;
    dx = fmax(dx * (1 + 2 * margin), min_m);
    dy = fmax(dy * (1 + 2 * margin), min_m);
    v->s = fmin(fr[2] / dx, fr[3] / dy);
    v->minx = cx - fr[2] / v->s / 2;
    v->maxy = cy + fr[3] / v->s / 2;
    return CCGIS_OK;
}

static void view_clear(view *v)
{
    v->t = ccgis_transform_free(v->t);
}

/* Add a ring or line's path to cr; close it when `close`. */
static void path_seq(view *v, cairo_t *cr, const GEOSGeometry *g, int close)
{
    GEOSContextHandle_t h = v->ctx->geos;
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, g);
    unsigned int n = 0;
    if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &n) || n == 0)
        return;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    if (!x || !y) {
        free(x);
        free(y);
        if (v->st == CCGIS_OK)
            v->st = ccgis_nomem(v->ctx);
        return;
    }
    for (unsigned int i = 0; i < n; i++)
        GEOSCoordSeq_getXY_r(h, cs, i, &x[i], &y[i]);
    project(v, n, x, y);
    for (unsigned int i = 0; i < n && v->st == CCGIS_OK; i++)
        (i ? cairo_line_to : cairo_move_to)(cr, px_x(v, x[i]), px_y(v, y[i]));
    if (close)
        cairo_close_path(cr);
    free(x);
    free(y);
}

/* Add geometry g's rings and lines to cr's path (points are left out). */
static void path_geom(view *v, cairo_t *cr, const GEOSGeometry *g)
{
    GEOSContextHandle_t h = v->ctx->geos;
    if (!g)
        return;
    switch (GEOSGeomTypeId_r(h, g)) {
    case GEOS_POLYGON:
        path_seq(v, cr, GEOSGetExteriorRing_r(h, g), 1);
        for (int i = 0, n = GEOSGetNumInteriorRings_r(h, g); i < n; i++)
            path_seq(v, cr, GEOSGetInteriorRingN_r(h, g, i), 1);
        break;
    case GEOS_LINESTRING:
        path_seq(v, cr, g, 0);
        break;
    case GEOS_LINEARRING:
        path_seq(v, cr, g, 1);
        break;
    case GEOS_MULTIPOLYGON:
    case GEOS_MULTILINESTRING:
    case GEOS_GEOMETRYCOLLECTION:
        for (int i = 0, n = GEOSGetNumGeometries_r(h, g); i < n; i++)
            path_geom(v, cr, GEOSGetGeometryN_r(h, g, i));
        break;
    default:
        break;
    }
}

/* 1 if geometry g's box may show in the frame (its corners projected). */
static int in_frame(view *v, const GEOSGeometry *g)
{
    double b[4] = {HUGE_VAL, HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
    grow(v->ctx->geos, g, b);
    if (!(b[0] <= b[2]))
        return 0;
    double x[4] = {b[0], b[2], b[0], b[2]}, y[4] = {b[1], b[1], b[3], b[3]};
    project(v, 4, x, y);
    double x0 = fmin(fmin(x[0], x[1]), fmin(x[2], x[3])), x1 = fmax(fmax(x[0], x[1]), fmax(x[2], x[3]));
    double y0 = fmin(fmin(y[0], y[1]), fmin(y[2], y[3])), y1 = fmax(fmax(y[0], y[1]), fmax(y[2], y[3]));
    double pad = 0.05 * v->box[2] / v->s; /* curved edges */
    return v->st == CCGIS_OK && x1 >= v->minx - pad && x0 <= v->minx + v->box[2] / v->s + pad &&
           y1 >= v->maxy - v->box[3] / v->s - pad && y0 <= v->maxy + pad;
}

/* Fill (alpha fa; none when fill is NULL) and stroke geometry g, unless it
 * is outside the frame. */
static void draw_poly(view *v, cairo_t *cr, const GEOSGeometry *g, const ccgis_rgb *fill,
                      double fa, ccgis_rgb line, double width)
{
    if (!g || !in_frame(v, g))
        return;
    cairo_new_path(cr);
    path_geom(v, cr, g);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    if (fill) {
        cairo_set_source_rgba(cr, fill->r, fill->g, fill->b, fa);
        cairo_fill_preserve(cr);
    }
    if (width > 0) {
        set_rgb(cr, line);
        cairo_set_line_width(cr, width);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
    }
    cairo_new_path(cr);
}

/* The points of g (a point or multipoint) as small circles. */
static void draw_points(view *v, cairo_t *cr, const GEOSGeometry *g, double r)
{
    GEOSContextHandle_t h = v->ctx->geos;
    for (int i = 0, n = g ? GEOSGetNumGeometries_r(h, g) : 0; i < n; i++) {
        const GEOSGeometry *p = GEOSGetGeometryN_r(h, g, i);
        double x, y;
        if (GEOSGeomTypeId_r(h, p) != GEOS_POINT || GEOSisEmpty_r(h, p) != 0 ||
            !GEOSGeomGetX_r(h, p, &x) || !GEOSGeomGetY_r(h, p, &y))
            continue;
        project(v, 1, &x, &y);
        if (v->st != CCGIS_OK)
            return;
        cairo_new_sub_path(cr);
        cairo_arc(cr, px_x(v, x), px_y(v, y), r, 0, 2 * M_PI);
        set_rgb(cr, VILLAGE);
        cairo_fill_preserve(cr);
        set_rgb(cr, WHITE);
        cairo_set_line_width(cr, 1);
        cairo_stroke(cr);
    }
}

/* Boxes of the labels set so far (x, y, w, h), so that none covers another. */
typedef struct placed {
    double (*box)[4];
    size_t n, cap;
} placed;

/* 1 and the box recorded if (x, y, w, h) meets no placed box; else 0. */
static int place(placed *pl, double x, double y, double w, double h)
{
    for (size_t i = 0; i < pl->n; i++)
        if (x < pl->box[i][0] + pl->box[i][2] && pl->box[i][0] < x + w &&
            y < pl->box[i][1] + pl->box[i][3] && pl->box[i][1] < y + h)
            return 0;
    if (pl->n == pl->cap) {
        size_t cap = pl->cap ? 2 * pl->cap : 32;
        double(*b)[4] = realloc(pl->box, cap * sizeof *b);
        if (!b)
            return 1; /* set it all the same */
        pl->box = b, pl->cap = cap;
    }
    pl->box[pl->n][0] = x, pl->box[pl->n][1] = y, pl->box[pl->n][2] = w, pl->box[pl->n][3] = h;
    pl->n++;
    return 1;
}

/* A label at a point inside polygon g (GEOS's point on surface), unless it
 * would cover one already set (pl may be NULL: always set). */
static void label_geom(view *v, cairo_t *cr, const GEOSGeometry *g, const char *s, double size,
                       int bold, ccgis_rgb c, placed *pl)
{
    GEOSContextHandle_t h = v->ctx->geos;
    if (!g || !s || !s[0] || GEOSisEmpty_r(h, g) != 0)
        return;
    GEOSGeometry *p = GEOSPointOnSurface_r(h, g);
    double x, y, tw, th;
    if (p && GEOSGeomGetX_r(h, p, &x) && GEOSGeomGetY_r(h, p, &y)) {
        project(v, 1, &x, &y);
        text_size(cr, s, size, bold, 0, &tw, &th);
        if (v->st == CCGIS_OK &&
            (!pl || place(pl, px_x(v, x) - tw / 2 - 2, px_y(v, y) - th / 2, tw + 4, th)))
            text(cr, s, size, bold, 0, px_x(v, x), px_y(v, y), 0.5, 0.5, c, 1);
    }
    GEOSGeom_destroy_r(h, p);
}

/* Districts' labels, the largest (on the map) first, none over another. */
static void label_districts(view *v, cairo_t *cr, const ccgis_map_data *m, double size)
{
    GEOSContextHandle_t h = v->ctx->geos;
    placed pl = {NULL, 0, 0};
    size_t *order = calloc(m->n_districts + 1, sizeof *order);
    double *area = calloc(m->n_districts + 1, sizeof *area);
    if (!order || !area || !m->district_name) {
        free(order);
        free(area);
        return;
    }
    for (size_t i = 0; i < m->n_districts; i++) {
        order[i] = i;
        if (m->districts[i])
            GEOSArea_r(h, m->districts[i], &area[i]);
    }
    for (size_t i = 1; i < m->n_districts; i++) /* insertion sort: stable, few rows */
        for (size_t j = i; j > 0 && area[order[j]] > area[order[j - 1]]; j--) {
            size_t t = order[j];
            order[j] = order[j - 1], order[j - 1] = t;
        }
    for (size_t k = 0; k < m->n_districts; k++)
        label_geom(v, cr, m->districts[order[k]], m->district_name[order[k]], size, 1,
                   DISTRICT_LINE, &pl);
    free(pl.box);
    free(order);
    free(area);
}

/* A cluster too small to see at the map's scale also gets a round mark of
 * its colour (radius 5 px) at a point inside it. */
static void mark_small(view *v, cairo_t *cr, const GEOSGeometry *g, ccgis_rgb c)
{
    GEOSContextHandle_t h = v->ctx->geos;
    double b[4] = {HUGE_VAL, HUGE_VAL, -HUGE_VAL, -HUGE_VAL}, x[2], y[2];
    grow(h, g, b);
    if (!(b[0] <= b[2]))
        return;
    x[0] = b[0], y[0] = b[1], x[1] = b[2], y[1] = b[3];
    project(v, 2, x, y);
    if (v->st != CCGIS_OK || fmax(fabs(x[1] - x[0]), fabs(y[1] - y[0])) * v->s >= 8)
        return;
    GEOSGeometry *p = GEOSPointOnSurface_r(h, g);
    double px, py;
    if (p && GEOSGeomGetX_r(h, p, &px) && GEOSGeomGetY_r(h, p, &py)) {
        project(v, 1, &px, &py);
        cairo_new_sub_path(cr);
        cairo_arc(cr, px_x(v, px), px_y(v, py), 5, 0, 2 * M_PI);
        set_rgb(cr, c);
        cairo_fill_preserve(cr);
        set_rgb(cr, INK);
        cairo_set_line_width(cr, 0.8);
        cairo_stroke(cr);
    }
    GEOSGeom_destroy_r(h, p);
}

/* ---- scale bar, north arrow ------------------------------------------------ */

/* The round length (1, 2 or 5 x 10^k m) at most `most` metres. */
static double round_length(double most)
{
    double p = pow(10, floor(log10(most)));
    return most >= 5 * p ? 5 * p : most >= 2 * p ? 2 * p : p;
}

/* The scale bar at the frame's bottom left; fills info's bar fields. */
static void scale_bar(view *v, cairo_t *cr, ccgis_lang lang, ccgis_map_info *info)
{
    double len_m = round_length(v->box[2] * 0.25 / v->s);
    double len = len_m * v->s;
    double x0 = v->box[0] + 14, y = v->box[1] + v->box[3] - 16;
    char num[64], label[80];
    if (len_m >= 1000)
        snprintf(label, sizeof label, "%s km",
                 ccgis_format_number(lang, len_m / 1000, len_m >= 1e4 || fmod(len_m, 1000) == 0
                                                             ? 0 : 1, num, sizeof num));
    else
        snprintf(label, sizeof label, "%s m", ccgis_format_number(lang, len_m, 0, num, sizeof num));
    double tw, th;
    text_size(cr, label, 11, 0, 0, &tw, &th);
    /* A white ground under it. */
    cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
    cairo_rectangle(cr, x0 - 8, y - 8 - th - 4, len + tw / 2 + 24, th + 20);
    cairo_fill(cr);
    /* Four segments, black and white. */
    for (int k = 0; k < 4; k++) {
        cairo_rectangle(cr, x0 + k * len / 4, y - 5, len / 4, 5);
        set_rgb(cr, k % 2 ? WHITE : INK);
        cairo_fill_preserve(cr);
        set_rgb(cr, INK);
        cairo_set_line_width(cr, 1);
        cairo_stroke(cr);
    }
    text(cr, "0", 11, 0, 0, x0, y - 7, 0.5, 1, INK, 0);
    text(cr, label, 11, 0, 0, x0 + len, y - 7, 0.5, 1, INK, 0);
    if (info) {
        info->bar_x0 = x0;
        info->bar_x1 = x0 + len;
        info->bar_y = y;
        info->bar_m = len_m;
    }
}

/* A north arrow (grid north: up) at the frame's top right. */
static void north_arrow(view *v, cairo_t *cr, ccgis_map_info *info)
{
    double cx = v->box[0] + v->box[2] - 26, top = v->box[1] + 12;
    cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
    cairo_rectangle(cr, cx - 16, top - 4, 32, 58);
    cairo_fill(cr);
    cairo_move_to(cr, cx, top + 16);
    cairo_line_to(cr, cx + 9, top + 50);
    cairo_line_to(cr, cx, top + 42);
    cairo_close_path(cr);
    set_rgb(cr, INK);
    cairo_fill(cr);
    cairo_move_to(cr, cx, top + 16);
    cairo_line_to(cr, cx - 9, top + 50);
    cairo_line_to(cr, cx, top + 42);
    cairo_close_path(cr);
    set_rgb(cr, WHITE);
    cairo_fill_preserve(cr);
    set_rgb(cr, INK);
    cairo_set_line_width(cr, 1);
    cairo_stroke(cr);
    text(cr, "N", 15, 1, 0, cx, top, 0.5, 0, INK, 0);
    if (info) {
        info->north_box[0] = cx - 16;
        info->north_box[1] = top - 4;
        info->north_box[2] = 32;
        info->north_box[3] = 58;
    }
}

/* A legend swatch (a filled square with an outline) and its label; returns
 * the row's height. */
static double swatch(cairo_t *cr, double x, double y, ccgis_rgb fill, ccgis_rgb line,
                     const char *label, double wrap)
{
    cairo_rectangle(cr, x + 0.5, y + 2.5, 18, 12);
    set_rgb(cr, fill);
    cairo_fill_preserve(cr);
    set_rgb(cr, line);
    cairo_set_line_width(cr, 1);
    cairo_stroke(cr);
    double h = text(cr, label, 11, 0, wrap, x + 26, y, 0, 0, INK, 0);
    return fmax(h, 17) + 4;
}

/* The frame's outline. */
static void frame(const view *v, cairo_t *cr)
{
    cairo_rectangle(cr, v->box[0] + 0.5, v->box[1] + 0.5, v->box[2] - 1, v->box[3] - 1);
    set_rgb(cr, INK);
    cairo_set_line_width(cr, 1);
    cairo_stroke(cr);
}

/* The subtitle naming the plane. */
static const char *plane_name(const ccgis_map_data *m)
{
    if (m->crs && !ccgis_crs_is_geographic(m->crs))
        return ccgis_crs_name(m->crs);
    return word(m->lang, W_LOCAL);
}

/* The fill of cluster i on the overview. */
static ccgis_rgb cluster_fill(const ccgis_map_data *m, size_t i)
{
    if (!m->confl_pct || !m->palette)
        return NOZONE;
    return m->palette->conflict[ccgis_palette_class(m->palette, m->confl_pct[i])];
}

/* ---- the overview ------------------------------------------------------------ */

/*
 * The end of a map, shared by the overview and the locators: the villages'
 * legend entry (a dot of radius r) below the legend at (x, y), the legend's
 * box into info (may be NULL), the view freed.  Returns the view's status,
 * or CCGIS_ERR_INTERNAL naming `what` when cairo failed.
 */
static ccgis_status map_end(ccgis_ctx *ctx, cairo_t *cr, const ccgis_map_data *m, view *v,
                            ccgis_map_info *info, double x, double y, double wrap,
                            double legend_top, double r, const char *what)
{
    if (m->n_villages) {
        cairo_arc(cr, x + 9.5, y + 8.5, r, 0, 2 * M_PI);
        set_rgb(cr, VILLAGE);
        cairo_fill(cr);
        double th = text(cr, word(m->lang, W_VILLAGE), 11, 0, wrap - 26, x + 26, y, 0, 0, INK, 0);
        y += fmax(th, 17) + 4;
    }
    if (info) {
        info->legend_box[0] = x;
        info->legend_box[1] = legend_top;
        info->legend_box[2] = wrap;
        info->legend_box[3] = y - legend_top;
    }
    ccgis_status st = v->st;
    view_clear(v);
    if (st == CCGIS_OK && cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        st = ccgis_error(ctx, CCGIS_ERR_INTERNAL, "%s cannot be drawn: %s", what,
                         cairo_status_to_string(cairo_status(cr)));
    return st;
}

/* ccgis_draw_overview: see draw.h. */
ccgis_status ccgis_draw_overview(ccgis_ctx *ctx, const ccgis_map_data *m, const char *title,
                                 cairo_t *cr, double w, double h, ccgis_map_info *info)
{
    GEOSContextHandle_t gh = ctx->geos;
    double b[4] = {HUGE_VAL, HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
    for (size_t i = 0; i < m->n_clusters; i++)
        grow(gh, m->clusters[i], b);
    for (size_t i = 0; i < m->n_districts; i++)
        grow(gh, m->districts[i], b);
    if (!(b[0] <= b[2]))
        b[0] = b[2] = 105.85, b[1] = b[3] = 21.03; /* nothing to draw: Hanoi */
    double panel = 290;
    double fr[4] = {8, 8, w - panel - 16, h - 16};
    view v;
    ccgis_status st = view_make(ctx, m, b, 0.03, 1000, fr, &v);
    if (st != CCGIS_OK)
        return st;
    if (info) {
        memset(info, 0, sizeof *info);
        memcpy(info->map_box, fr, sizeof fr);
        info->m_per_px = 1 / v.s;
    }
    set_rgb(cr, WHITE);
    cairo_paint(cr);

    cairo_save(cr);
    cairo_rectangle(cr, fr[0], fr[1], fr[2], fr[3]);
    cairo_clip(cr);
    ccgis_rgb dfill = {0.96, 0.96, 0.94};
    for (size_t i = 0; i < m->n_districts; i++)
        draw_poly(&v, cr, m->districts[i], &dfill, 1, DISTRICT_LINE, 1.2);
    for (size_t i = 0; i < m->n_villages; i++)
        draw_points(&v, cr, m->villages[i], 2.5);
    for (size_t i = 0; i < m->n_clusters; i++) {
        ccgis_rgb c = cluster_fill(m, i);
        draw_poly(&v, cr, m->clusters[i], &c, 1, INK, 0.8);
        mark_small(&v, cr, m->clusters[i], c);
    }
    label_districts(&v, cr, m, 11);
    cairo_restore(cr);
    frame(&v, cr);
    scale_bar(&v, cr, m->lang, info);
    north_arrow(&v, cr, info);

    /* The panel: title, the plane, the legend. */
    double x = w - panel, y = 10, wrap = panel - 12;
    y += text(cr, title, 15, 1, wrap, x, y, 0, 0, INK, 0) + 4;
    y += text(cr, plane_name(m), 11, 0, wrap, x, y, 0, 0, GREY, 0) + 14;
    double legend_top = y;
    if (m->confl_pct && m->palette) {
        y += text(cr, word(m->lang, W_CONFLICT), 11, 1, wrap, x, y, 0, 0, INK, 0) + 6;
        for (size_t k = 0; k < m->palette->n_classes; k++)
            y += swatch(cr, x, y, m->palette->conflict[k], INK, m->palette->label[k], wrap - 26);
    } else {
        y += swatch(cr, x, y, NOZONE, INK, word(m->lang, W_NOZONING), wrap - 26);
    }
    y += 8;
    y += swatch(cr, x, y, dfill, DISTRICT_LINE, word(m->lang, W_DISTRICT), wrap - 26);
    return map_end(ctx, cr, m, &v, info, x, y, wrap, legend_top, 3, "the overview map");
}

/* ---- a locator map ------------------------------------------------------------- */

/* ccgis_draw_locator: see draw.h. */
ccgis_status ccgis_draw_locator(ccgis_ctx *ctx, const ccgis_map_data *m, size_t focus,
                                const char *title, cairo_t *cr, double w, double h,
                                ccgis_map_info *info)
{
    GEOSContextHandle_t gh = ctx->geos;
    double b[4] = {HUGE_VAL, HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
    if (focus < m->n_clusters)
        grow(gh, m->clusters[focus], b);
    if (!(b[0] <= b[2]))
        return ccgis_error(ctx, CCGIS_ERR_INTERNAL, "no cluster to draw a locator map of");
    double panel = 200;
    double fr[4] = {4, 4, w - panel - 12, h - 8};
    view v;
    ccgis_status st = view_make(ctx, m, b, 0.35, 600, fr, &v);
    if (st != CCGIS_OK)
        return st;
    if (info) {
        memset(info, 0, sizeof *info);
        memcpy(info->map_box, fr, sizeof fr);
        info->m_per_px = 1 / v.s;
    }
    set_rgb(cr, WHITE);
    cairo_paint(cr);
    cairo_save(cr);
    cairo_rectangle(cr, fr[0], fr[1], fr[2], fr[3]);
    cairo_clip(cr);
    ccgis_rgb dfill = {0.96, 0.96, 0.94}, other = {0.85, 0.85, 0.85};
    for (size_t i = 0; i < m->n_districts; i++)
        draw_poly(&v, cr, m->districts[i], &dfill, 1, DISTRICT_LINE, 1.5);
    for (size_t i = 0; i < m->n_clusters; i++)
        if (i != focus)
            draw_poly(&v, cr, m->clusters[i], &other, 1, GREY, 0.8);
    for (size_t k = 0; k < m->n_pieces; k++) {
        ccgis_rgb c = ccgis_palette_zone(m->palette, m->pieces[k].klass, NULL);
        draw_poly(&v, cr, m->pieces[k].geom, &c, 1, GREY, 0.5);
    }
    draw_poly(&v, cr, m->clusters[focus], NULL, 0, FOCUS, 2.5);
    for (size_t i = 0; i < m->n_villages; i++)
        draw_points(&v, cr, m->villages[i], 3.5);
    label_districts(&v, cr, m, 11);
    cairo_restore(cr);
    frame(&v, cr);
    scale_bar(&v, cr, m->lang, info);
    north_arrow(&v, cr, info);

    /* The panel: title, then the classes met, each once, in the pieces' order. */
    double x = w - panel, y = 6, wrap = panel - 6;
    y += text(cr, title, 15, 1, wrap, x, y, 0, 0, INK, 0) + 8;
    double legend_top = y;
    y += swatch(cr, x, y, WHITE, FOCUS, word(m->lang, W_CLUSTER), wrap - 26);
    for (size_t k = 0; k < m->n_pieces && y < h - 40; k++) {
        int seen = 0;
        for (size_t j = 0; j < k && !seen; j++)
            seen = strcmp(m->pieces[j].klass, m->pieces[k].klass) == 0;
        if (seen)
            continue;
        const char *label;
        ccgis_rgb c = ccgis_palette_zone(m->palette, m->pieces[k].klass, &label);
        char line[256];
        snprintf(line, sizeof line, "%s (%s)",
                 label && m->lang == CCGIS_LANG_VI ? label : m->pieces[k].klass,
                 word(m->lang, m->pieces[k].allowed ? W_ALLOWED : W_NOT_ALLOWED));
        y += swatch(cr, x, y, c, GREY, line, wrap - 26);
    }
    y += swatch(cr, x, y, other, GREY, word(m->lang, W_OTHER_CLUSTER), wrap - 26);
    return map_end(ctx, cr, m, &v, info, x, y, wrap, legend_top, 3.5, "a locator map");
}

/* ---- the chart --------------------------------------------------------------------- */

/* Colours of the statuses, in their order (ColorBrewer Set2, then Dark2). */
static const ccgis_rgb status_colours[] = {
    {0.400, 0.761, 0.647}, {0.988, 0.553, 0.384}, {0.553, 0.627, 0.796}, {0.906, 0.541, 0.765},
    {0.651, 0.847, 0.329}, {1.000, 0.851, 0.184}, {0.898, 0.769, 0.580}, {0.702, 0.702, 0.702},
    {0.106, 0.620, 0.467}, {0.851, 0.373, 0.008}, {0.459, 0.439, 0.702}, {0.906, 0.161, 0.541}};
#define N_STATUS_COLOURS (sizeof status_colours / sizeof status_colours[0])

#define ROW_H 22.0
#define LEGEND_ROW_H 22.0
#define AXIS_H 40.0

/* Legend rows the chart needs in width w (statuses laid left to right). */
static int legend_rows(cairo_t *cr, const ccgis_chart_data *c, double w)
{
    double x = 0;
    int rows = c->n_status ? 1 : 0;
    for (size_t k = 0; k < c->n_status; k++) {
        double tw;
        text_size(cr, c->status[k], 11, 0, 0, &tw, NULL);
        if (x > 0 && x + 26 + tw > w)
            rows++, x = 0;
        x += 26 + tw + 18;
    }
    return rows;
}

/* ccgis_chart_height: see draw.h. */
double ccgis_chart_height(const ccgis_chart_data *c)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
    cairo_t *cr = cairo_create(s);
    int rows = legend_rows(cr, c, CCGIS_CHART_W - 16);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return 12 + rows * LEGEND_ROW_H + 8 + (double)c->n_rows * ROW_H + AXIS_H;
}

/* ccgis_draw_chart: see draw.h. */
ccgis_status ccgis_draw_chart(ccgis_ctx *ctx, const ccgis_chart_data *c, cairo_t *cr, double w,
                              double h)
{
    (void)h;
    set_rgb(cr, WHITE);
    cairo_paint(cr);
    /* The legend. */
    double x = 8, y = 12;
    for (size_t k = 0; k < c->n_status; k++) {
        double tw;
        text_size(cr, c->status[k], 11, 0, 0, &tw, NULL);
        if (x > 8 && x + 26 + tw > w - 8)
            x = 8, y += LEGEND_ROW_H;
        swatch(cr, x, y, status_colours[k % N_STATUS_COLOURS], INK, c->status[k], 0);
        x += 26 + tw + 18;
    }
    y += LEGEND_ROW_H + 8;
    /* Label column, bars, totals. */
    double label_w = 0, max_ha = 0;
    for (size_t r = 0; r < c->n_rows; r++) {
        double tw, sum = 0;
        text_size(cr, c->row[r], 11, 0, 0, &tw, NULL);
        label_w = fmax(label_w, tw);
        for (size_t k = 0; k < c->n_status; k++)
            sum += c->ha[r * c->n_status + k];
        max_ha = fmax(max_ha, sum);
    }
    label_w = fmin(label_w, w * 0.3) + 12;
    double x0 = 8 + label_w, bar_w = w - x0 - 70;
    /* Axis steps of a round number of ha, 4 to 10 of them; 0..1 ha when empty. */
    double step = max_ha > 1e-6 ? round_length(max_ha / 4) : 0.25;
    double top = max_ha > 1e-6 ? ceil(max_ha / step - 1e-9) * step : 1;
    double k_px = bar_w / top, y0 = y;
    /* Grid lines and the axis. */
    int decimals = step < 1 ? (int)ceil(-log10(step)) : 0;
    for (int i = 0; i <= 12 && i * step <= top + step / 2; i++) {
        double t = i * step, gx = x0 + t * k_px;
        cairo_move_to(cr, floor(gx) + 0.5, y0 - 2);
        cairo_line_to(cr, floor(gx) + 0.5, y0 + (double)c->n_rows * ROW_H + 4);
        cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
        cairo_set_line_width(cr, 1);
        cairo_stroke(cr);
        char num[64];
        text(cr, ccgis_format_number(c->lang, t, decimals, num, sizeof num), 11, 0, 0, gx,
             y0 + (double)c->n_rows * ROW_H + 6, 0.5, 0, GREY, 0);
    }
    text(cr, c->axis, 11, 0, 0, x0 + bar_w / 2, y0 + (double)c->n_rows * ROW_H + 22, 0.5, 0, INK,
         0);
    for (size_t r = 0; r < c->n_rows; r++) {
        double ry = y0 + (double)r * ROW_H, bx = x0, sum = 0;
        text(cr, c->row[r], 11, 0, label_w - 12, x0 - 8, ry + ROW_H / 2, 1, 0.5, INK, 0);
        for (size_t k = 0; k < c->n_status; k++) {
            double v = c->ha[r * c->n_status + k];
            if (!(v > 0))
                continue;
            cairo_rectangle(cr, bx, ry + 3, v * k_px, ROW_H - 6);
            set_rgb(cr, status_colours[k % N_STATUS_COLOURS]);
            cairo_fill(cr);
            bx += v * k_px;
            sum += v;
        }
        char num[64];
        text(cr, ccgis_format_number(c->lang, sum, 2, num, sizeof num), 11, 0, 0, bx + 4,
             ry + ROW_H / 2, 0, 0.5, INK, 0);
    }
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        return ccgis_error(ctx, CCGIS_ERR_INTERNAL, "the chart cannot be drawn: %s",
                           cairo_status_to_string(cairo_status(cr)));
    return CCGIS_OK;
}

/* ---- SVG in memory --------------------------------------------------------------- */

typedef struct svgbuf {
    char *p;
    size_t n, cap;
    int failed;
} svgbuf;

static cairo_status_t svg_write(void *arg, const unsigned char *data, unsigned int len)
{
    svgbuf *b = arg;
    if (b->n + len + 1 > b->cap) {
        size_t cap = (b->cap ? b->cap * 2 : 65536) + len;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->failed = 1;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        b->p = p, b->cap = cap;
    }
    memcpy(b->p + b->n, data, len);
    b->n += len;
    b->p[b->n] = '\0';
    return CAIRO_STATUS_SUCCESS;
}

/* ccgis_svg_begin: see draw.h. */
cairo_t *ccgis_svg_begin(ccgis_ctx *ctx, double w, double h, void **state)
{
    svgbuf *b = calloc(1, sizeof *b);
    *state = b;
    if (!b) {
        ccgis_nomem(ctx);
        return NULL;
    }
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(svg_write, b, w, h);
    cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PX);
    cairo_t *cr = cairo_create(s);
    cairo_surface_destroy(s); /* cr holds it */
    return cr;
}

/* Copy src into a new string with every `id="`, `href="#` and `url(#`
 * given the prefix; the <?xml?> line dropped when inline_svg. */
static char *prefixed(const char *src, const char *prefix, int inline_svg)
{
    static const char *const marks[] = {"id=\"", "href=\"#", "url(#"};
    size_t np = strlen(prefix), extra = 0;
    for (const char *c = src; *c; c++) {
        for (size_t k = 0; k < 3; k++)
            if (strncmp(c, marks[k], strlen(marks[k])) == 0)
                extra += np;
        extra += strncmp(c, "surface", 7) == 0 ? 12 : 0; /* renumbered: room for any number */
    }
    if (inline_svg && strncmp(src, "<?xml", 5) == 0) {
        const char *e = strstr(src, "?>");
        if (e) {
            src = e + 2;
            while (*src == '\n')
                src++;
        }
    }
    char *out = malloc(strlen(src) + extra + 1), *o = out;
    unsigned long seen[512]; /* cairo's surface numbers, counted for the whole process */
    size_t nseen = 0;
    if (!out)
        return NULL;
    while (*src) {
        size_t k;
        if (strncmp(src, "surface", 7) == 0 && src[7] >= '0' && src[7] <= '9') {
            /* surfaceN -> surfaceK, K the order of first appearance, so the
             * same drawing gives the same document in any process. */
            char *end;
            unsigned long n = strtoul(src + 7, &end, 10), i = 0;
            while (i < nseen && seen[i] != n)
                i++;
            if (i == nseen && nseen < sizeof seen / sizeof seen[0])
                seen[nseen++] = n;
            int len = sprintf(o, "surface%lu", i + 1); /* never longer than the original */
            o += len;
            src = end;
            continue;
        }
        for (k = 0; k < 3; k++)
            if (strncmp(src, marks[k], strlen(marks[k])) == 0)
                break;
        if (k < 3) {
            size_t len = strlen(marks[k]);
            memcpy(o, src, len), o += len, src += len;
            memcpy(o, prefix, np), o += np;
        } else {
            *o++ = *src++;
        }
    }
    *o = '\0';
    return out;
}

/* ccgis_svg_end: see draw.h. */
char *ccgis_svg_end(ccgis_ctx *ctx, cairo_t *cr, void *state, const char *prefix, int inline_svg)
{
    svgbuf *b = state;
    char *out = NULL;
    if (cr) {
        cairo_surface_t *s = cairo_surface_reference(cairo_get_target(cr));
        cairo_destroy(cr);
        cairo_surface_finish(s);
        cairo_status_t cs = cairo_surface_status(s);
        cairo_surface_destroy(s);
        if (cs != CAIRO_STATUS_SUCCESS || !b || b->failed || !b->p)
            ccgis_error(ctx, CCGIS_ERR_INTERNAL, "an SVG drawing cannot be made: %s",
                        cairo_status_to_string(cs));
        else if (!(out = prefixed(b->p, prefix, inline_svg)))
            ccgis_nomem(ctx);
    }
    if (b)
        free(b->p);
    free(b);
    return out;
}
