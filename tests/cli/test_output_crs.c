/*
 * test_output_crs.c -- layers written in the job's output_crs ([job]
 * output_crs = EPSG:5897 in samples/hanoi.ini) and with --t-srs, checked
 * with GDAL (the OGR C API and ogr2ogr), not with ccgis:
 *
 *   - every layer of the Shapefiles, the GeoPackage and the SpatiaLite file
 *     reads back as EPSG:5897 (the code GDAL gives the layer's CRS: the SRS
 *     tables' "EPSG", 5897, and the .prj's ESRI name matched by GDAL); the
 *     GeoJSON layers as EPSG:4326 (RFC 7946);
 *   - their coordinates equal `ogr2ogr -t_srs EPSG:5897` of the GeoJSON
 *     (WGS 84) output, feature by feature, every vertex within 1 mm (the
 *     GeoJSON's 8 decimals are 0.5e-8 degree, at most 0.8 mm at Hà Nội);
 *   - the clusters come back on the coordinates of their VN-2000 source
 *     (shapes/clusters.shp, EPSG:5897) within 2 mm: read into WGS 84 and
 *     written out again by the same registered shift (EPSG:6960 there and
 *     back), not ~1 m off as the other registered shift ("VN-2000 to WGS 84
 *     (1)", Mekong delta) would put them.  PROJ's inverse of the shift is not exactly the
 * forward's: cs2cs EPSG:5897 -> EPSG:4326 -> EPSG:5897 moves 563149.93 2326788.23 (a vertex of
 * CCN01) to 563149.930783 2326788.229565, 0.9 mm;
 *   - a bad output_crs is refused with its job file line, exit 2, no output;
 *   - `ccgis area|near --t-srs`: the same, for the analysis commands.
 *
 * QGIS's own reading of the same files: tests/cli/qgis_crs_check.py.
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
#include <unistd.h>

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "harness.h"

#define SAMPLE SHAPES_DIR "/../samples/hanoi.ini"
#define JOB WORK_DIR "/hanoi.ini"
#define OUT WORK_DIR "/out/hanoi"

/* Tolerance of every coordinate comparison, metres. */
#define TOL_M 1e-3

static const char *const layer_names[] = {"clusters", "cluster_zones", "districts", "villages",
                                          "findings"};
#define NLAYERS (sizeof layer_names / sizeof layer_names[0])

/* Write WORK_DIR/NAME from samples/hanoi.ini with `extra` sed expressions
 * (inputs in shapes/, output into WORK_DIR/out/hanoi). */
static void make_job(const char *name, const char *extra)
{
    run_result r = run("sed -e 's|\\.\\./shapes/|%s/|' -e 's|^output .*|output = %s/out/hanoi|' "
                       "%s %s > %s/%s",
                       SHAPES_DIR, WORK_DIR, extra ? extra : "", SAMPLE, WORK_DIR, name);
    assert_int_equal(r.status, 0);
    run_free(&r);
}

static int setup(void **state)
{
    (void)state;
    reset_work_dir();
    GDALAllRegister();
    make_job("hanoi.ini", NULL);
    run_result r = run("%s run -q %s", CCGIS_BIN, JOB);
    if (r.status != 0)
        fprintf(stderr, "%s", r.err);
    int ok = r.status == 0;
    run_free(&r);
    return ok ? 0 : -1;
}

/* Open a vector dataset read-only; fails the test when GDAL cannot. */
static GDALDatasetH open_vector(const char *path)
{
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!ds)
        fprintf(stderr, "GDAL cannot open %s\n", path);
    assert_non_null(ds);
    return ds;
}

/* The layer `name` of ds, or its only layer when name is NULL. */
static OGRLayerH layer_of(GDALDatasetH ds, const char *name)
{
    OGRLayerH l = name ? GDALDatasetGetLayerByName(ds, name) : GDALDatasetGetLayer(ds, 0);
    if (!l)
        fprintf(stderr, "no layer %s\n", name ? name : "(first)");
    assert_non_null(l);
    return l;
}

/* The EPSG code GDAL gives a layer's CRS, 0 when none. */
static int layer_epsg(OGRLayerH l)
{
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(l);
    if (!srs)
        return 0;
    const char *auth = OSRGetAuthorityName(srs, NULL);
    const char *code = OSRGetAuthorityCode(srs, NULL);
    return auth && code && strcmp(auth, "EPSG") == 0 ? atoi(code) : 0;
}

/* Path of one output: the .shp/.geojson of a layer, or the .gpkg/.sqlite. */
static void out_path(char *buf, size_t cap, const char *ext, const char *layer)
{
    if (strcmp(ext, "gpkg") == 0 || strcmp(ext, "sqlite") == 0)
        snprintf(buf, cap, "%s/hanoi.%s", OUT, ext);
    else
        snprintf(buf, cap, "%s/%s.%s", OUT, layer, ext);
}

/* Every layer outside GeoJSON is EPSG:5897; GeoJSON stays EPSG:4326. */
static void every_layer_is_in_the_output_crs(void **state)
{
    (void)state;
    static const char *const exts[] = {"shp", "gpkg", "sqlite", "geojson"};
    for (size_t e = 0; e < 4; e++)
        for (size_t k = 0; k < NLAYERS; k++) {
            char path[512];
            out_path(path, sizeof path, exts[e], layer_names[k]);
            GDALDatasetH ds = open_vector(path);
            int epsg = layer_epsg(layer_of(ds, layer_names[k]));
            fprintf(stderr, "    %-8s %-14s EPSG:%d\n", exts[e], layer_names[k], epsg);
            assert_int_equal(epsg, e == 3 ? 4326 : 5897);
            GDALClose(ds);
        }
}

/* A growing list of vertices. */
typedef struct vertices {
    double *xy;
    size_t n, cap;
} vertices;

/* Append every vertex of g (any type, nested) to v. */
static void collect(OGRGeometryH g, vertices *v)
{
    int parts = OGR_G_GetGeometryCount(g);
    if (parts > 0) {
        for (int i = 0; i < parts; i++)
            collect(OGR_G_GetGeometryRef(g, i), v);
        return;
    }
    int n = OGR_G_GetPointCount(g);
    for (int i = 0; i < n; i++) {
        if (v->n == v->cap) {
            v->cap = v->cap ? 2 * v->cap : 64;
            v->xy = realloc(v->xy, 2 * v->cap * sizeof *v->xy);
            assert_non_null(v->xy);
        }
        v->xy[2 * v->n] = OGR_G_GetX(g, i);
        v->xy[2 * v->n + 1] = OGR_G_GetY(g, i);
        v->n++;
    }
}

/* The largest distance from a vertex of a to the nearest vertex of b, metres. */
static double farthest(const vertices *a, const vertices *b)
{
    double worst = 0;
    for (size_t i = 0; i < a->n; i++) {
        double best = INFINITY;
        for (size_t j = 0; j < b->n && best > 0; j++)
            best =
                fmin(best, hypot(a->xy[2 * i] - b->xy[2 * j], a->xy[2 * i + 1] - b->xy[2 * j + 1]));
        worst = fmax(worst, best);
    }
    return worst;
}

/*
 * Compare two layers feature by feature (same order): the same number of
 * features, of vertices per feature, and every vertex of each within tol
 * metres of one of the other's (a Shapefile turns rings clockwise, GeoJSON
 * counter-clockwise: the order of vertices may differ, not their places).
 * Returns the largest distance found.
 */
static double compare_layers(OGRLayerH a, OGRLayerH b, double tol)
{
    assert_int_equal(OGR_L_GetFeatureCount(a, 1), OGR_L_GetFeatureCount(b, 1));
    OGR_L_ResetReading(a);
    OGR_L_ResetReading(b);
    OGRFeatureH fa, fb;
    double worst = 0;
    while ((fa = OGR_L_GetNextFeature(a)) != NULL) {
        fb = OGR_L_GetNextFeature(b);
        assert_non_null(fb);
        OGRGeometryH ga = OGR_F_GetGeometryRef(fa), gb = OGR_F_GetGeometryRef(fb);
        assert_int_equal(ga == NULL, gb == NULL);
        vertices va = {NULL, 0, 0}, vb = {NULL, 0, 0};
        if (ga) {
            collect(ga, &va);
            collect(gb, &vb);
        }
        assert_int_equal(va.n, vb.n);
        double d = fmax(farthest(&va, &vb), farthest(&vb, &va));
        if (d > tol)
            fprintf(stderr, "feature %lld: a vertex %.4f m away\n", (long long)OGR_F_GetFID(fa), d);
        assert_true(d <= tol);
        worst = fmax(worst, d);
        free(va.xy);
        free(vb.xy);
        OGR_F_Destroy(fa);
        OGR_F_Destroy(fb);
    }
    return worst;
}

/* The reference: ogr2ogr -t_srs EPSG:5897 of each GeoJSON layer. */
static void coordinates_equal_ogr2ogr_of_the_geojson(void **state)
{
    (void)state;
    static const char *const exts[] = {"shp", "gpkg", "sqlite"};
    for (size_t k = 0; k < NLAYERS; k++) {
        run_result r = run("rm -f %s/ref_%s.gpkg && ogr2ogr -t_srs EPSG:5897 %s/ref_%s.gpkg "
                           "%s/%s.geojson",
                           WORK_DIR, layer_names[k], WORK_DIR, layer_names[k], OUT, layer_names[k]);
        assert_int_equal(r.status, 0);
        run_free(&r);
        char ref_path[512];
        snprintf(ref_path, sizeof ref_path, "%s/ref_%s.gpkg", WORK_DIR, layer_names[k]);
        GDALDatasetH ref = open_vector(ref_path);
        for (size_t e = 0; e < 3; e++) {
            char path[512];
            out_path(path, sizeof path, exts[e], layer_names[k]);
            GDALDatasetH ds = open_vector(path);
            double d = compare_layers(layer_of(ds, layer_names[k]), layer_of(ref, NULL), TOL_M);
            fprintf(stderr, "    %-6s %-14s largest difference %.2e m\n", exts[e], layer_names[k],
                    d);
            GDALClose(ds);
        }
        GDALClose(ref);
    }
}

/* The clusters, VN-2000 in and VN-2000 out, land on their source vertices. */
static void clusters_come_back_on_their_source_coordinates(void **state)
{
    (void)state;
    GDALDatasetH src = open_vector(SHAPES_DIR "/clusters.shp");
    GDALDatasetH out = open_vector(OUT "/hanoi.gpkg");
    OGRLayerH ls = layer_of(src, NULL), lo = layer_of(out, "clusters");
    assert_int_equal(layer_epsg(ls), 5897);
    double worst = 0;
    long long n = 0;
    OGRFeatureH fs;
    while ((fs = OGR_L_GetNextFeature(ls)) != NULL) {
        char filter[128];
        snprintf(filter, sizeof filter, "ma_ccn = '%s'",
                 OGR_F_GetFieldAsString(fs, OGR_F_GetFieldIndex(fs, "ma_ccn")));
        assert_int_equal(OGR_L_SetAttributeFilter(lo, filter), OGRERR_NONE);
        OGR_L_ResetReading(lo);
        OGRFeatureH fo = OGR_L_GetNextFeature(lo);
        assert_non_null(fo);
        vertices vs = {NULL, 0, 0}, vo = {NULL, 0, 0};
        collect(OGR_F_GetGeometryRef(fs), &vs);
        collect(OGR_F_GetGeometryRef(fo), &vo);
        /* Each source vertex is an output vertex (a repaired bow-tie gains
         * the crossing point, so the counts may differ). */
        double d = farthest(&vs, &vo);
        assert_true(d <= 2 * TOL_M);
        worst = fmax(worst, d);
        n++;
        free(vs.xy);
        free(vo.xy);
        OGR_F_Destroy(fo);
        OGR_F_Destroy(fs);
    }
    fprintf(stderr, "    %lld clusters: largest distance to the source vertex %.2e m\n", n, worst);
    assert_int_equal(n, 30);
    GDALClose(out);
    GDALClose(src);
}

/* A bad output_crs: one line naming the job file line, exit 2, no output. */
static void bad_output_crs_is_refused_with_its_line(void **state)
{
    (void)state;
    static const struct {
        const char *value, *says;
    } cases[] = {
        {"EPSG:99999", "bad.ini:10: [job] output_crs: 'EPSG:99999' is not a CRS PROJ knows"},
        {"vn2000:tm3:99", "bad.ini:10: [job] output_crs: 'vn2000:tm3:99' is not a VN-2000 preset"},
        {"+proj=helmert +x=1", "bad.ini:10: [job] output_crs: '+proj=helmert +x=1 +type=crs' is "
                               "a coordinate operation, not a CRS"},
        /* A CRS, but nothing carries WGS 84 to it (ccgis_job_check). */
        {"LOCAL_CS[\"grid\",UNIT[\"metre\",1]]",
         "bad.ini:10: [job] output_crs: 'LOCAL_CS[\"grid\",UNIT[\"metre\",1]]' (grid): PROJ has "
         "no transformation from WGS 84 to it"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char extra[160];
        snprintf(extra, sizeof extra, "-e 's|^output_crs .*|output_crs = %s|'", cases[i].value);
        make_job("bad.ini", extra);
        for (int check = 0; check < 2; check++) {
            run_result r = run("rm -rf %s/out && %s run -q %s %s/bad.ini", WORK_DIR, CCGIS_BIN,
                               check ? "--check" : "", WORK_DIR);
            fprintf(stderr, "    %s", r.err);
            assert_int_equal(r.status, 2);
            assert_non_null(strstr(r.err, cases[i].says));
            assert_int_equal(count_lines(r.err), 1);
            assert_int_equal(access(WORK_DIR "/out", F_OK), -1);
            run_free(&r);
        }
    }
}

/* The preset name gives the same CRS as the code. */
static void a_preset_names_the_output_crs(void **state)
{
    (void)state;
    make_job("preset.ini", "-e 's|^output_crs .*|output_crs = vn2000:tm3:105|' "
                           "-e 's|^formats .*|formats = shp|' "
                           "-e 's|^output .*|output = " WORK_DIR "/preset|'");
    run_result r =
        run("rm -rf %s/preset && %s run -q %s/preset.ini", WORK_DIR, CCGIS_BIN, WORK_DIR);
    assert_int_equal(r.status, 0);
    run_free(&r);
    GDALDatasetH ds = open_vector(WORK_DIR "/preset/clusters.shp");
    assert_int_equal(layer_epsg(layer_of(ds, NULL)), 5897);
    GDALClose(ds);
    char *prj = slurp(WORK_DIR "/preset/clusters.prj");
    assert_non_null(prj);
    assert_non_null(strstr(prj, "PROJCS[\"VN_2000_TM-3_zone_482\""));
    free(prj);
}

/* ccgis area --t-srs: the .shp in EPSG:5897, equal to ogr2ogr of the
 * GeoJSON written by the same command, the same areas; a GeoJSON output
 * warned about; a bad --t-srs refused before any work. */
static void analysis_commands_write_in_t_srs(void **state)
{
    (void)state;
    run_result r = run("cd %s && rm -f a.* && %s area %s/clusters.shp --id ma_ccn -q "
                       "--t-srs EPSG:5897 -o a.shp && %s area %s/clusters.shp --id ma_ccn "
                       "--t-srs EPSG:5897 -o a.geojson && ogr2ogr -t_srs EPSG:5897 a_ref.gpkg "
                       "a.geojson",
                       WORK_DIR, CCGIS_BIN, SHAPES_DIR, CCGIS_BIN, SHAPES_DIR);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "a.geojson: GeoJSON is always written in WGS 84 (EPSG:4326), "
                                  "not in VN-2000 / TM-3 zone 482"));
    run_free(&r);
    GDALDatasetH shp = open_vector(WORK_DIR "/a.shp"), ref = open_vector(WORK_DIR "/a_ref.gpkg");
    GDALDatasetH gj = open_vector(WORK_DIR "/a.geojson");
    assert_int_equal(layer_epsg(layer_of(shp, NULL)), 5897);
    assert_int_equal(layer_epsg(layer_of(gj, NULL)), 4326);
    double d = compare_layers(layer_of(shp, NULL), layer_of(ref, NULL), TOL_M);
    fprintf(stderr, "    area -o a.shp: largest difference %.2e m\n", d);
    /* The figures do not depend on the CRS the layer is written in. */
    OGRLayerH ls = layer_of(shp, NULL), lg = layer_of(gj, NULL);
    OGR_L_ResetReading(ls);
    OGR_L_ResetReading(lg);
    OGRFeatureH fs, fg;
    while ((fs = OGR_L_GetNextFeature(ls)) != NULL) {
        fg = OGR_L_GetNextFeature(lg);
        assert_non_null(fg);
        int ks = OGR_F_GetFieldIndex(fs, "area_ha"), kg = OGR_F_GetFieldIndex(fg, "area_ha");
        assert_true(ks >= 0 && kg >= 0);
        assert_float_equal(OGR_F_GetFieldAsDouble(fs, ks), OGR_F_GetFieldAsDouble(fg, kg), 1e-9);
        OGR_F_Destroy(fs);
        OGR_F_Destroy(fg);
    }
    GDALClose(gj);
    GDALClose(ref);
    GDALClose(shp);

    /* Two outputs of one command, both in the CRS. */
    r = run("cd %s && rm -f n.gpkg t.shp t.* && %s near -q %s/villages.geojson "
            "%s/clusters.shp --radius 2000 --t-srs vn2000:tm3:105 -o n.gpkg -t t.shp",
            WORK_DIR, CCGIS_BIN, SHAPES_DIR, SHAPES_DIR);
    assert_int_equal(r.status, 0);
    run_free(&r);
    GDALDatasetH n = open_vector(WORK_DIR "/n.gpkg"), t = open_vector(WORK_DIR "/t.shp");
    assert_int_equal(layer_epsg(layer_of(n, NULL)), 5897);
    assert_int_equal(layer_epsg(layer_of(t, NULL)), 5897);
    GDALClose(t);
    GDALClose(n);

    r = run("cd %s && rm -f b.gpkg && %s area %s/clusters.shp --t-srs EPSG:99999 -o b.gpkg",
            WORK_DIR, CCGIS_BIN, SHAPES_DIR);
    fprintf(stderr, "    %s", r.err);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "ccgis area: error: --t-srs: 'EPSG:99999' is not a CRS PROJ "
                                  "knows"));
    assert_int_equal(count_lines(r.err), 1);
    assert_int_equal(access(WORK_DIR "/b.gpkg", F_OK), -1);
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_layer_is_in_the_output_crs),
        cmocka_unit_test(coordinates_equal_ogr2ogr_of_the_geojson),
        cmocka_unit_test(clusters_come_back_on_their_source_coordinates),
        cmocka_unit_test(bad_output_crs_is_refused_with_its_line),
        cmocka_unit_test(a_preset_names_the_output_crs),
        cmocka_unit_test(analysis_commands_write_in_t_srs),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
