/*
 * draw.h -- the maps and the chart of report.html and overview.png/.svg,
 * drawn by ccgis with cairo and pango (internal to the library).
 *
 *   palette.c  the colours of the drawings, read from the bundled QGIS styles
 *              (src/styles/clusters.qml, cluster_zones.qml) so that a map in
 *              the report looks like the layers opened in QGIS;
 *   draw.c     the overview map, a cluster's locator map and the bar chart of
 *              hectares per district by status, onto any cairo surface (PNG,
 *              SVG), from plain arrays: it knows nothing of a run;
 *   html.c     report.html's page around the tables report.c writes, and the
 *              drawings of a run (its run_data turned into draw.c's input).
 *
 * Projection of the maps: [job] output_crs when it is a projected CRS (the
 * layers' own plane, so the scale bar is true on that plane); otherwise a
 * local equirectangular projection on the WGS 84 ellipsoid centred on the
 * map (x = N(phi0) cos(phi0) dlambda, y = M(phi0) dphi, N and M the radii of
 * curvature at the centre's latitude): true to scale at the centre, off by
 * less than 0.1 % over 50 km around Hanoi.  Never Web Mercator.
 *
 * Everything here is deterministic: the same input draws the same bytes
 * (no date, no random ids; cairo's SVG ids count from 1 in each document).
 * Nothing prints; failures are recorded in the context.
 */
#ifndef CCGIS_DRAW_H
#define CCGIS_DRAW_H

#include <stdio.h>

#include <cairo.h>

#include "internal.h"

/* A colour, each channel in [0, 1]. */
typedef struct ccgis_rgb {
    double r, g, b;
} ccgis_rgb;

/* ---- palette.c ---------------------------------------------------------- */

#define CCGIS_PALETTE_ZONES 64

/*
 * The colours of the clusters' conflict classes and of the land-use classes.
 * Conflict classes, as the clusters' QGIS style (qml.c): class 0 is
 * [0, 0] %, then [0, b1], [b1, b2], ... [bn, 100]; colours spread over the
 * bundled green-to-red ramp in the same way.
 */
typedef struct ccgis_palette {
    size_t n_classes;                          /* n_breaks + 2 */
    double lo[CCGIS_MAX_BREAKS + 2];           /* class k: [lo, hi] %, inclusive */
    double hi[CCGIS_MAX_BREAKS + 2];
    ccgis_rgb conflict[CCGIS_MAX_BREAKS + 2];  /* opaque */
    char label[CCGIS_MAX_BREAKS + 2][80];      /* "0 %", "5 – 10 %" (decimal comma in vi) */
    size_t n_zones;
    struct {
        char klass[16];  /* the class as the style's rule names it, e.g. "LUA" */
        char label[160]; /* the rule's label, e.g. "LUA – Đất trồng lúa" */
        ccgis_rgb fill;
    } zones[CCGIS_PALETTE_ZONES];
    ccgis_rgb zone_other; /* the style's ELSE rule */
} ccgis_palette;

/*
 * ccgis_palette_make -- the palette for conflict breaks[0..n) (%, ascending;
 * n <= CCGIS_MAX_BREAKS) with labels in `lang`.  Returns CCGIS_OK, or
 * CCGIS_ERR_INTERNAL when a bundled style is not the expected one.
 */
ccgis_status ccgis_palette_make(ccgis_ctx *ctx, const double *breaks, size_t n, ccgis_lang lang,
                                ccgis_palette *out);

/* ccgis_palette_class -- the conflict class of a share pct (%): the first
 * class whose [lo, hi] holds it, as QGIS's graduated renderer picks it. */
size_t ccgis_palette_class(const ccgis_palette *p, double pct);

/* ccgis_palette_zone -- the fill of land-use class `klass` (compared after
 * trimming, case-insensitively); the ELSE colour when the style has no rule
 * for it.  *label (may be NULL) gets the rule's label or NULL. */
ccgis_rgb ccgis_palette_zone(const ccgis_palette *p, const char *klass, const char **label);

/* ---- draw.c ------------------------------------------------------------- */

/* A land-use piece inside a cluster (for a locator map). */
typedef struct ccgis_map_piece {
    const GEOSGeometry *geom; /* WGS 84, borrowed */
    const char *klass;        /* as spelled */
    int allowed;
} ccgis_map_piece;

/*
 * What the maps show; every geometry WGS 84 lon/lat, in ctx's GEOS handle,
 * borrowed.  Arrays may be NULL when their count is 0.
 */
typedef struct ccgis_map_data {
    const ccgis_crs *crs; /* the plane to draw on; NULL or geographic: local (above) */
    ccgis_lang lang;
    const ccgis_palette *palette;
    size_t n_clusters;
    const GEOSGeometry *const *clusters;
    const double *confl_pct;    /* [n_clusters] conflict share, %; NULL: no zoning (grey) */
    const char *const *cluster_id; /* [n_clusters] */
    size_t n_districts;
    const GEOSGeometry *const *districts; /* NULL entries skipped */
    const char *const *district_name;     /* NULL entries: no label */
    size_t n_villages;
    const GEOSGeometry *const *villages; /* points */
    size_t n_pieces;                     /* locator maps: the focus cluster's pieces */
    const ccgis_map_piece *pieces;
} ccgis_map_data;

/* Where draw.c put things, in the drawing's units (px); for tests and callers. */
typedef struct ccgis_map_info {
    double m_per_px;         /* the map's scale: metres on the plane per px */
    double map_box[4];       /* the map frame: x, y, width, height */
    double bar_x0, bar_x1, bar_y; /* the scale bar's ends and its baseline */
    double bar_m;            /* the length it is labelled with, m */
    double legend_box[4];    /* x, y, width, height */
    double north_box[4];
} ccgis_map_info;

/* Sizes of the drawings, px (1 px = 1/96 in, CSS's). */
#define CCGIS_OVERVIEW_W 1000
#define CCGIS_OVERVIEW_H 720
#define CCGIS_LOCATOR_W 520
#define CCGIS_LOCATOR_H 360
#define CCGIS_CHART_W 1000

/*
 * ccgis_draw_overview -- the overview map onto cr in the box (0, 0, w, h):
 * districts' outlines with their names, clusters filled with their conflict
 * class colour, villages as points; a panel with the title, the legend, a
 * scale bar of a round length in m or km and a north arrow.  Extent: the
 * clusters' and districts' boxes.  *info (may be NULL) gets the layout.
 * Returns CCGIS_OK, or CCGIS_ERR_TRANSFORM / NOMEM / INTERNAL (recorded).
 */
ccgis_status ccgis_draw_overview(ccgis_ctx *ctx, const ccgis_map_data *m, const char *title,
                                 cairo_t *cr, double w, double h, ccgis_map_info *info);

/*
 * ccgis_draw_locator -- a locator map of cluster `focus` (index into
 * m->clusters): its land-use pieces m->pieces by class, its outline, the
 * other clusters, the districts' outlines and the villages around it;
 * legend of the classes shown, scale bar, north arrow.  As above.
 */
ccgis_status ccgis_draw_locator(ccgis_ctx *ctx, const ccgis_map_data *m, size_t focus,
                                const char *title, cairo_t *cr, double w, double h,
                                ccgis_map_info *info);

/* The chart's rows: hectares of each district by status. */
typedef struct ccgis_chart_data {
    ccgis_lang lang;
    size_t n_rows, n_status;
    const char *const *row;    /* [n_rows] district names */
    const char *const *status; /* [n_status] status names */
    const double *ha;          /* [n_rows * n_status], row-major */
    const char *axis;          /* the axis's title, e.g. "diện tích (ha)" */
} ccgis_chart_data;

/* ccgis_chart_height -- the height (px) the chart of c needs. */
double ccgis_chart_height(const ccgis_chart_data *c);

/* ccgis_draw_chart -- horizontal stacked bars, one per row, a colour per
 * status, a legend and an axis in round steps of hectares. */
ccgis_status ccgis_draw_chart(ccgis_ctx *ctx, const ccgis_chart_data *c, cairo_t *cr, double w,
                              double h);

/*
 * ccgis_svg_begin / ccgis_svg_end -- an SVG surface of w x h px writing into
 * memory; _end finishes it and returns the document (NUL-terminated, the
 * caller frees it), its ids prefixed with `prefix` (so that several SVGs can
 * live in one HTML page), without the <?xml?> line when `inline_svg`.  NULL
 * on failure (recorded).  _end destroys cr and the surface in any case.
 */
cairo_t *ccgis_svg_begin(ccgis_ctx *ctx, double w, double h, void **state);
char *ccgis_svg_end(ccgis_ctx *ctx, cairo_t *cr, void *state, const char *prefix, int inline_svg);

/* ---- html.c ------------------------------------------------------------- */

/* ccgis_html_text -- s into f escaped for HTML text and attributes. */
void ccgis_html_text(FILE *f, const char *s);

/* ccgis_html_begin -- the page's head (title, inline CSS with print rules
 * for A4) and the opening of its body; ccgis_html_end closes it. */
void ccgis_html_begin(FILE *f, ccgis_lang lang, const char *title);
void ccgis_html_end(FILE *f);

/*
 * The drawings of a run, each as a <figure> with inline SVG written into f:
 * the overview map, the chart of hectares per district by status (nothing
 * without districts), and the locator map of cluster i.  Return CCGIS_OK or
 * a failure (recorded); f may then hold part of the figure.
 */
ccgis_status ccgis_html_overview(const run_data *d, FILE *f);
ccgis_status ccgis_html_chart(const run_data *d, FILE *f);
ccgis_status ccgis_html_locator(const run_data *d, size_t i, FILE *f);

/*
 * ccgis_write_overview -- the overview map as dir/overview.png (no metadata
 * chunk but what cairo always writes) and dir/overview.svg.  Returns
 * CCGIS_OK or CCGIS_ERR_OUTPUT / NOMEM / INTERNAL (recorded).
 */
ccgis_status ccgis_write_overview(const run_data *d, const char *dir);

#endif /* CCGIS_DRAW_H */
