/*
 * test_draw.c -- the maps of report.html and overview.png (src/draw.c,
 * src/palette.c), rendered into cairo image surfaces and read pixel by pixel.
 *
 * A hand-made scene: one district (105.70-105.80 E, 21.00-21.10 N, named
 * "Đông Anh"), cluster A (105.72-105.74 E, 21.02-21.04 N) with 30 % of its
 * area in conflict and cluster B (105.76-105.78 E, 21.06-21.08 N) with 0 %,
 * a village; conflict breaks 5, 10, 20, 50 (the default).
 *
 * References:
 *   - class colours read by hand from src/styles/clusters.qml: 30 % falls in
 *     20-50 %, the 5th symbol, 244,109,67; 0 % the 1st, 26,150,65; land-use
 *     LUA 255,252,130 (src/styles/cluster_zones.qml, rule class_LUA);
 *   - distances on the ground from the geodesic inverse problem on WGS 84
 *     (ccgis_geod_point_distance: PROJ's geod_inverse, Karney 2013), not
 *     from the drawing's projection;
 *   - the scale: the distance between the two clusters' centres in pixels
 *     (found by their colours in the picture) against that geodesic
 *     distance gives metres per pixel; the scale bar's drawn length (dark
 *     pixels found along it) times that must equal its label within 1 %.
 * Both the local equirectangular plane and VN-2000 / TM-3 105° (EPSG:5897)
 * are checked.  An SVG drawn twice is the same bytes, its ids prefixed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"

static ccgis_ctx *ctx;
static ccgis_palette pal;
static GEOSGeometry *district, *clus[2], *village, *piece;

static GEOSGeometry *wkt(const char *s)
{
    GEOSWKTReader *r = GEOSWKTReader_create_r(ctx->geos);
    GEOSGeometry *g = GEOSWKTReader_read_r(ctx->geos, r, s);
    GEOSWKTReader_destroy_r(ctx->geos, r);
    return g;
}

static int setup(void **state)
{
    (void)state;
    static const double breaks[] = {5, 10, 20, 50};
    ctx = ccgis_ctx_new();
    if (!ctx || ccgis_palette_make(ctx, breaks, 4, CCGIS_LANG_VI, &pal) != CCGIS_OK)
        return -1;
    district = wkt("POLYGON((105.70 21.00, 105.80 21.00, 105.80 21.10, 105.70 21.10, 105.70 21.00))");
    clus[0] = wkt("POLYGON((105.72 21.02, 105.74 21.02, 105.74 21.04, 105.72 21.04, 105.72 21.02))");
    clus[1] = wkt("POLYGON((105.76 21.06, 105.78 21.06, 105.78 21.08, 105.76 21.08, 105.76 21.06))");
    village = wkt("POINT(105.75 21.05)");
    piece = wkt("POLYGON((105.72 21.02, 105.73 21.02, 105.73 21.04, 105.72 21.04, 105.72 21.02))");
    return district && clus[0] && clus[1] && village && piece ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    GEOSGeometry *all[] = {district, clus[0], clus[1], village, piece};
    for (size_t i = 0; i < 5; i++)
        GEOSGeom_destroy_r(ctx->geos, all[i]);
    ccgis_ctx_free(ctx);
    return 0;
}

static const double pct[2] = {30, 0};
static const char *const ids[2] = {"A", "B"};
static const char *const dnames[1] = {"Đông Anh"};

static ccgis_map_data scene(const ccgis_crs *crs)
{
    static const GEOSGeometry *c[2], *d[1], *v[1];
    c[0] = clus[0], c[1] = clus[1], d[0] = district, v[0] = village;
    return (ccgis_map_data){.crs = crs,
                            .lang = CCGIS_LANG_VI,
                            .palette = &pal,
                            .n_clusters = 2,
                            .clusters = c,
                            .confl_pct = pct,
                            .cluster_id = ids,
                            .n_districts = 1,
                            .districts = d,
                            .district_name = dnames,
                            .n_villages = 1,
                            .villages = v};
}

/* A picture: its pixels as RGB. */
typedef struct pic {
    cairo_surface_t *s;
    unsigned char *p;
    int w, h, stride;
} pic;

static pic pic_new(int w, int h)
{
    pic P = {cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h), NULL, w, h, 0};
    return P;
}

static void pic_ready(pic *P)
{
    cairo_surface_flush(P->s);
    P->p = cairo_image_surface_get_data(P->s);
    P->stride = cairo_image_surface_get_stride(P->s);
}

static void rgb(const pic *P, int x, int y, int *r, int *g, int *b)
{
    uint32_t v = *(const uint32_t *)(P->p + (size_t)y * (size_t)P->stride + (size_t)x * 4);
    *r = (int)(v >> 16 & 255), *g = (int)(v >> 8 & 255), *b = (int)(v & 255);
}

static int is(const pic *P, int x, int y, int R, int G, int B)
{
    int r, g, b;
    rgb(P, x, y, &r, &g, &b);
    return abs(r - R) <= 1 && abs(g - G) <= 1 && abs(b - B) <= 1;
}

static int dark(const pic *P, int x, int y)
{
    int r, g, b;
    rgb(P, x, y, &r, &g, &b);
    return r < 110 && g < 110 && b < 110;
}

/* The centroid and count of the pixels of colour (R, G, B) in box bx. */
static long blob(const pic *P, const double *bx, int R, int G, int B, double *cx, double *cy)
{
    long n = 0;
    double sx = 0, sy = 0;
    for (int y = (int)bx[1]; y < (int)(bx[1] + bx[3]); y++)
        for (int x = (int)bx[0]; x < (int)(bx[0] + bx[2]); x++)
            if (is(P, x, y, R, G, B))
                n++, sx += x, sy += y;
    *cx = n ? sx / (double)n : 0, *cy = n ? sy / (double)n : 0;
    return n;
}

/* The overview is rendered at 3 picture pixels per drawing px, so that a
 * pixel is a small part of the scale bar. */
#define S 3

static void overview_checks(const ccgis_crs *crs)
{
    ccgis_map_data m = scene(crs);
    ccgis_map_info info;
    pic P = pic_new(S * CCGIS_OVERVIEW_W, S * CCGIS_OVERVIEW_H);
    cairo_t *cr = cairo_create(P.s);
    cairo_scale(cr, S, S);
    assert_int_equal(ccgis_draw_overview(ctx, &m, "Bản đồ thử", cr, CCGIS_OVERVIEW_W,
                                         CCGIS_OVERVIEW_H, &info),
                     CCGIS_OK);
    cairo_destroy(cr);
    pic_ready(&P);
    /* From the drawing's px to the picture's. */
    for (int k = 0; k < 4; k++) {
        info.map_box[k] *= S;
        info.legend_box[k] *= S;
        info.north_box[k] *= S;
    }
    info.bar_x0 *= S, info.bar_x1 *= S, info.bar_y *= S, info.m_per_px /= S;

    /* Each cluster's inside has its class colour. */
    double ax, ay, bx, by;
    long na = blob(&P, info.map_box, 244, 109, 67, &ax, &ay);
    long nb = blob(&P, info.map_box, 26, 150, 65, &bx, &by);
    assert_true(na > 400 * S * S && nb > 400 * S * S);
    assert_true(is(&P, (int)ax, (int)ay, 244, 109, 67));
    assert_true(is(&P, (int)bx, (int)by, 26, 150, 65));

    /* Metres per pixel from the ground: the centres' geodesic distance. */
    double ground = ccgis_geod_point_distance(105.73, 21.03, 105.77, 21.07);
    double m_per_px = ground / hypot(bx - ax, by - ay);
    assert_true(fabs(m_per_px - info.m_per_px) / m_per_px < 0.01);

    /* The scale bar: its label's length against its drawn length at that
     * scale, within 1 %. */
    /* Row bar_y - 3 crosses the bar's four segments; its ends are the
     * outline's 1 px strokes, centred on them. */
    int y = (int)info.bar_y - 3 * S;
    int first = -1, last = -1;
    for (int x = (int)info.bar_x0 - 6; x < (int)info.bar_x1 + 6; x++) {
        int r, g, b;
        rgb(&P, x, y, &r, &g, &b);
        if (r < 200 && g < 200 && b < 200) {
            if (first < 0)
                first = x;
            last = x;
        }
    }
    assert_true(first >= 0 && dark(&P, first + 3, y)); /* the first segment is dark */
    /* Outer edges of the end strokes, less the stroke's width (1 px = S). */
    double drawn_m = (double)(last - first + 1 - S) * m_per_px;
    fprintf(stderr, "bar %g..%g (%g m), inked %d..%d, m/px %g (drawing says %g), drawn %g m\n",
            info.bar_x0, info.bar_x1, info.bar_m, first, last, m_per_px, info.m_per_px, drawn_m);
    assert_true(fabs(drawn_m - info.bar_m) / info.bar_m < 0.01);
    /* A round length: 1, 2 or 5 x 10^k m. */
    double mant = info.bar_m / pow(10, floor(log10(info.bar_m)));
    assert_true(fabs(mant - 1) < 1e-9 || fabs(mant - 2) < 1e-9 || fabs(mant - 5) < 1e-9);

    /* The district's west edge (105.70 E) is a dark line 0.02° west of A's
     * west edge: search left from A's centre along its row. */
    int ex = -1, x = (int)ax;
    while (is(&P, x, (int)ay, 244, 109, 67))
        x--;
    for (x -= 4; x > (int)info.map_box[0] + 2; x--) /* past A's own outline */
        if (dark(&P, x, (int)ay)) {
            ex = x;
            break;
        }
    fprintf(stderr, "district edge at x %d, cluster A's centre at %g\n", ex, ax);
    assert_true(ex > 0);
    double west = ccgis_geod_point_distance(105.70, 21.03, 105.73, 21.03);
    assert_true(fabs(((double)ex + 0.5 * S - ax) * -m_per_px - west) / west < 0.02);

    /* The legend is not blank and holds both classes' swatches. */
    double lx, ly;
    long ink = 0;
    for (int yy = (int)info.legend_box[1]; yy < (int)(info.legend_box[1] + info.legend_box[3]); yy++)
        for (int xx = (int)info.legend_box[0]; xx < (int)(info.legend_box[0] + info.legend_box[2]); xx++)
            ink += !is(&P, xx, yy, 255, 255, 255);
    assert_true(ink > 2000 * S * S);
    assert_true(blob(&P, info.legend_box, 244, 109, 67, &lx, &ly) > 100);
    assert_true(blob(&P, info.legend_box, 26, 150, 65, &lx, &ly) > 100);
    /* The north arrow is drawn. */
    long black = 0;
    for (int yy = (int)info.north_box[1]; yy < (int)(info.north_box[1] + info.north_box[3]); yy++)
        for (int xx = (int)info.north_box[0]; xx < (int)(info.north_box[0] + info.north_box[2]); xx++)
            black += dark(&P, xx, yy);
    assert_true(black > 100 * S * S);
    cairo_surface_destroy(P.s);
}

static void test_overview_local(void **state)
{
    (void)state;
    overview_checks(NULL);
}

static void test_overview_tm3(void **state)
{
    (void)state;
    ccgis_crs *crs = NULL;
    assert_int_equal(ccgis_crs_from_user(ctx, "EPSG:5897", &crs), CCGIS_OK);
    overview_checks(crs);
    ccgis_crs_free(crs);
}

/* A locator map: the LUA piece has the LUA colour, the rest of the cluster
 * (no piece) is not; the scale holds as on the overview. */
static void test_locator(void **state)
{
    (void)state;
    ccgis_map_data m = scene(NULL);
    ccgis_map_piece pieces[1] = {{piece, "LUA", 0}};
    m.n_pieces = 1;
    m.pieces = pieces;
    ccgis_map_info info;
    pic P = pic_new(CCGIS_LOCATOR_W, CCGIS_LOCATOR_H);
    cairo_t *cr = cairo_create(P.s);
    assert_int_equal(ccgis_draw_locator(ctx, &m, 0, "A", cr, CCGIS_LOCATOR_W, CCGIS_LOCATOR_H,
                                        &info),
                     CCGIS_OK);
    cairo_destroy(cr);
    pic_ready(&P);
    double cx, cy;
    long n = blob(&P, info.map_box, 255, 252, 130, &cx, &cy);
    assert_true(n > 1000);
    /* The piece is the west half of A: 0.01° wide. */
    double piece_w = ccgis_geod_point_distance(105.72, 21.03, 105.73, 21.03);
    int xl = (int)cx, xr = (int)cx;
    while (is(&P, xl - 1, (int)cy, 255, 252, 130))
        xl--;
    while (is(&P, xr + 1, (int)cy, 255, 252, 130))
        xr++;
    /* The drawn width plus the outlines eaten on both sides (< 4 px). */
    double w_m = (double)(xr - xl + 1) * info.m_per_px;
    assert_true(w_m < piece_w && w_m > piece_w - 4 * info.m_per_px);
    cairo_surface_destroy(P.s);
}

/* The SVG: the same bytes twice, every id prefixed, no <?xml?> inline. */
static void test_svg_stable(void **state)
{
    (void)state;
    ccgis_map_data m = scene(NULL);
    char *svg[2];
    for (int k = 0; k < 2; k++) {
        void *st;
        cairo_t *cr = ccgis_svg_begin(ctx, CCGIS_OVERVIEW_W, CCGIS_OVERVIEW_H, &st);
        assert_non_null(cr);
        assert_int_equal(ccgis_draw_overview(ctx, &m, "Bản đồ thử", cr, CCGIS_OVERVIEW_W,
                                             CCGIS_OVERVIEW_H, NULL),
                         CCGIS_OK);
        svg[k] = ccgis_svg_end(ctx, cr, st, "ov-", 1);
        assert_non_null(svg[k]);
    }
    if (strcmp(svg[0], svg[1]) != 0) {
        FILE *f = fopen("test_draw_a.svg", "w");
        fputs(svg[0], f);
        fclose(f);
        f = fopen("test_draw_b.svg", "w");
        fputs(svg[1], f);
        fclose(f);
        fail_msg("two SVGs of the same map differ: see test_draw_a.svg, test_draw_b.svg");
    }
    assert_true(strncmp(svg[0], "<svg", 4) == 0);
    assert_non_null(strstr(svg[0], "id=\"ov-"));
    assert_null(strstr(svg[0], "id=\"glyph"));
    assert_null(strstr(svg[0], "href=\"#glyph"));
    free(svg[0]);
    free(svg[1]);
}

/* The palette: classes as QGIS picks them, colours as clusters.qml. */
static void test_palette(void **state)
{
    (void)state;
    assert_int_equal(pal.n_classes, 6);
    assert_int_equal(ccgis_palette_class(&pal, 0), 0);
    assert_int_equal(ccgis_palette_class(&pal, 5), 1);
    assert_int_equal(ccgis_palette_class(&pal, 5.01), 2);
    assert_int_equal(ccgis_palette_class(&pal, 100), 5);
    assert_int_equal((int)lround(pal.conflict[5].r * 255), 215);
    assert_int_equal((int)lround(pal.conflict[5].g * 255), 25);
    assert_string_equal(pal.label[2], "5 – 10 %");
    const char *label;
    ccgis_rgb c = ccgis_palette_zone(&pal, " lua ", &label);
    assert_int_equal((int)lround(c.b * 255), 130);
    assert_string_equal(label, "LUA – Đất trồng lúa");
    ccgis_palette_zone(&pal, "XYZ", &label);
    assert_null(label);
}

/* A chart whose rows are all zero (districts with no cluster hectares)
 * draws an axis of 0..1 ha and ends: no endless steps of a tiny size. */
static void test_chart_of_zeros(void **state)
{
    (void)state;
    const char *rows[] = {"Ba Đình"}, *status[] = {"quy hoạch"};
    double ha[] = {0};
    ccgis_chart_data c = {CCGIS_LANG_VI, 1, 1, rows, status, ha, "diện tích (ha)"};
    double h = ccgis_chart_height(&c);
    pic P = pic_new(CCGIS_CHART_W, (int)h);
    cairo_t *cr = cairo_create(P.s);
    assert_int_equal(ccgis_draw_chart(ctx, &c, cr, CCGIS_CHART_W, h), CCGIS_OK);
    cairo_destroy(cr);
    cairo_surface_destroy(P.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_palette),
        cmocka_unit_test(test_overview_local),
        cmocka_unit_test(test_overview_tm3),
        cmocka_unit_test(test_locator),
        cmocka_unit_test(test_svg_stable),
        cmocka_unit_test(test_chart_of_zeros),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
