/*
 * test_info.c -- `ccgis info` on every sample layer and on bad input.
 *
 * References, all independent of ccgis's code:
 *   - counts, native extents and EPSG codes: GDAL's `ogrinfo -so -al`
 *     (extent printed with 6 decimals: tolerance 1e-6 in the layer's units);
 *   - WGS 84 extents: the layer reprojected by `ogr2ogr -t_srs EPSG:4326`
 *     to GeoJSON, then `ogrinfo` (tolerance 1e-6 degrees, ~0.1 m);
 *   - invalid geometries: SpatiaLite's ST_IsValid through ogrinfo's SQLite
 *     dialect, and the designed data problems documented in shapes/README.md;
 *   - error cases: the exact message and exit status the README promises.
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

#include <jansson.h>

#include "harness.h"

#define TOL 1e-6

/* A sample layer and the facts designed into it (shapes/README.md). */
typedef struct sample {
    const char *file, *layer;
    long long count; /* designed count; -1: take ogrinfo's */
    int epsg;
    int geographic;
    const char *encoding; /* declared encoding */
} sample;

static const sample samples[] = {
    {"districts.gpkg", "districts", 30, 4326, 1, "UTF-8"},
    {"clusters.shp", "clusters", 30, 5897, 0, "UTF-8"},
    {"villages.geojson", "villages", 150, 4326, 1, "UTF-8"},
    {"landuse.gpkg", "landuse", -1, 5897, 0, "UTF-8"},
};

/* Run `ccgis info --json ARGS` and return the first layer of the first
 * source; *doc receives the document to json_decref. */
static json_t *info_json(json_t **doc, const char *args)
{
    run_result r = run("%s info --json %s", CCGIS_BIN, args);
    if (r.status != 0)
        fprintf(stderr, "ccgis info %s failed (%d): %s\n", args, r.status, r.err);
    assert_int_equal(r.status, 0);
    json_error_t e;
    *doc = json_loads(r.out, 0, &e);
    if (!*doc)
        fprintf(stderr, "bad JSON: %s\n%s\n", e.text, r.out);
    assert_non_null(*doc);
    run_free(&r);
    json_t *layer = json_array_get(
        json_object_get(json_array_get(json_object_get(*doc, "sources"), 0), "layers"), 0);
    assert_non_null(layer);
    return layer;
}

/* Assert a JSON box equals ref within TOL. */
static void assert_box(json_t *box, const double ref[4])
{
    assert_true(json_is_array(box));
    for (size_t i = 0; i < 4; i++) {
        double v = json_real_value(json_array_get(box, i));
        if (fabs(v - ref[i]) > TOL)
            fprintf(stderr, "extent[%zu]: ccgis %.9f, reference %.9f\n", i, v, ref[i]);
        assert_true(fabs(v - ref[i]) <= TOL);
    }
}

/* Number of features SpatiaLite's ST_IsValid rejects in a layer. */
static long long spatialite_invalid_count(const char *path, const char *layer, const char *col)
{
    run_result r = run("ogrinfo -ro -q -dialect sqlite -sql "
                       "\"SELECT count(*) AS n FROM \\\"%s\\\" WHERE %s IS NOT NULL AND "
                       "NOT ST_IsEmpty(%s) AND ST_IsValid(%s) = 0\" '%s'",
                       layer, col, col, col, path);
    assert_int_equal(r.status, 0);
    const char *p = strstr(r.out, "n (Integer) = ");
    assert_non_null(p);
    long long n = atoll(p + strlen("n (Integer) = "));
    run_free(&r);
    return n;
}

static void every_sample_layer_matches_ogrinfo(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        const sample *s = &samples[i];
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", SHAPES_DIR, s->file);
        ogr_summary ref;
        assert_int_equal(ogrinfo_summary(path, s->layer, &ref), 0);
        if (s->count >= 0)
            assert_int_equal(ref.count, s->count);
        assert_int_equal(ref.epsg, s->epsg);

        json_t *doc;
        json_t *l = info_json(&doc, path);
        assert_string_equal(json_string_value(json_object_get(l, "name")), s->layer);
        assert_int_equal(json_integer_value(json_object_get(l, "feature_count")), ref.count);
        json_t *crs = json_object_get(l, "crs");
        assert_int_equal(json_integer_value(json_object_get(crs, "epsg")), s->epsg);
        assert_int_equal(json_integer_value(json_object_get(crs, "epsg_confidence")), 100);
        assert_true(ref.has_extent);
        assert_box(json_object_get(l, "extent"), ref.extent);
        assert_string_equal(
            json_string_value(json_object_get(json_object_get(l, "encoding"), "name")),
            s->encoding);
        json_t *g = json_object_get(l, "geometries");
        assert_int_equal(json_integer_value(json_object_get(g, "null")), 0);
        assert_int_equal(json_integer_value(json_object_get(g, "empty")), 0);
        assert_int_equal(json_integer_value(json_object_get(g, "invalid")),
                         spatialite_invalid_count(path, s->layer, ref.geom_column));

        /* WGS 84 extent: GDAL reprojects the layer, ogrinfo measures it. */
        char wgs[1024];
        snprintf(wgs, sizeof wgs, "%s/%s_wgs84.geojson", WORK_DIR, s->layer);
        run_result r = run("ogr2ogr -f GeoJSON -t_srs EPSG:4326 '%s' '%s' '%s'", wgs, path,
                           s->layer);
        assert_int_equal(r.status, 0);
        run_free(&r);
        ogr_summary ref84;
        assert_int_equal(ogrinfo_summary(wgs, s->layer, &ref84), 0);
        assert_box(json_object_get(l, "extent_wgs84"), ref84.extent);
        json_decref(doc);
    }
}

static void geometry_types_are_counted(void **state)
{
    (void)state;
    json_t *doc;
    json_t *l = info_json(&doc, SHAPES_DIR "/villages.geojson");
    json_t *types = json_object_get(l, "geometry_types");
    assert_int_equal(json_object_size(types), 1);
    assert_int_equal(json_integer_value(json_object_get(types, "Point")), 150);
    json_decref(doc);

    l = info_json(&doc, SHAPES_DIR "/clusters.shp");
    types = json_object_get(l, "geometry_types");
    long long total = 0;
    const char *k;
    json_t *v;
    json_object_foreach(types, k, v)
    {
        assert_true(strcmp(k, "Polygon") == 0 || strcmp(k, "MultiPolygon") == 0);
        total += json_integer_value(v);
    }
    assert_int_equal(total, 30);
    json_decref(doc);
}

/* The designed bow-tie (shapes/README.md) is reported with GEOS's reason and
 * the feature id under which ogrinfo shows the same cluster. */
static void the_bow_tie_cluster_is_named_with_its_reason(void **state)
{
    (void)state;
    json_t *doc;
    json_t *l = info_json(&doc, SHAPES_DIR "/clusters.shp");
    json_t *g = json_object_get(l, "geometries");
    assert_int_equal(json_integer_value(json_object_get(g, "invalid")), 1);
    json_t *ex = json_array_get(json_object_get(g, "invalid_examples"), 0);
    assert_string_equal(json_string_value(json_object_get(ex, "reason")), "Self-intersection");
    long long fid = json_integer_value(json_object_get(ex, "fid"));
    assert_true(json_is_real(json_object_get(ex, "x")));

    /* Which cluster does SpatiaLite find invalid, and which is feature fid? */
    run_result a = run("ogrinfo -ro -q -dialect sqlite -sql \"SELECT ma_ccn FROM clusters WHERE "
                       "ST_IsValid(geometry) = 0\" '%s/clusters.shp'",
                       SHAPES_DIR);
    run_result b = run("ogrinfo -ro -q '%s/clusters.shp' clusters -fid %lld", SHAPES_DIR, fid);
    assert_int_equal(a.status, 0);
    assert_int_equal(b.status, 0);
    const char *pa = strstr(a.out, "ma_ccn (String) = ");
    const char *pb = strstr(b.out, "ma_ccn (String) = ");
    assert_non_null(pa);
    assert_non_null(pb);
    assert_int_equal(strncmp(pa, pb, strcspn(pa, "\n")), 0);
    run_free(&a);
    run_free(&b);
    json_decref(doc);
}

static void text_output_states_crs_and_encoding(void **state)
{
    (void)state;
    run_result r = run("%s info %s/clusters.shp", CCGIS_BIN, SHAPES_DIR);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "(ESRI Shapefile)\n"));
    assert_non_null(strstr(r.out, "  layer 'clusters': 30 features\n"));
    assert_non_null(strstr(r.out, "    CRS: VN-2000 / TM-3 zone 482 (EPSG:5897)\n"));
    assert_non_null(strstr(r.out, "    encoding: UTF-8 (.cpg file)\n"));
    assert_non_null(strstr(r.out, "    geometries: 0 NULL, 0 empty, 1 invalid\n"));
    assert_non_null(strstr(r.out, ": Self-intersection at "));
    assert_string_equal(r.err, "");
    run_free(&r);
}

static void layer_option_selects_one_layer(void **state)
{
    (void)state;
    json_t *doc;
    info_json(&doc, "--layer districts " SHAPES_DIR "/districts.gpkg");
    json_t *layers =
        json_object_get(json_array_get(json_object_get(doc, "sources"), 0), "layers");
    assert_int_equal(json_array_size(layers), 1);
    json_decref(doc);

    run_result r = run("%s info --layer nope %s/districts.gpkg", CCGIS_BIN, SHAPES_DIR);
    assert_int_equal(r.status, 2);
    assert_int_equal(count_lines(r.err), 1);
    assert_non_null(strstr(r.err, "no layer named 'nope' -- the layers are: 'districts'"));
    assert_string_equal(r.out, "");
    run_free(&r);
}

/* Copy the clusters shapefile without its .prj into WORK_DIR/noprj/. */
static void make_shapefile_without_prj(void)
{
    run_result r = run("mkdir -p %s/noprj && for e in shp shx dbf cpg; do "
                       "cp %s/clusters.$e %s/noprj/; done",
                       WORK_DIR, SHAPES_DIR, WORK_DIR);
    assert_int_equal(r.status, 0);
    run_free(&r);
}

static void shapefile_without_prj_says_pass_srs(void **state)
{
    (void)state;
    make_shapefile_without_prj();
    run_result r = run("%s info %s/noprj/clusters.shp", CCGIS_BIN, WORK_DIR);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "    CRS: none -- no CRS: pass --srs\n"));
    assert_null(strstr(r.out, "extent WGS 84"));
    run_free(&r);

    json_t *doc, *with_prj_doc;
    json_t *l = info_json(&doc, WORK_DIR "/noprj/clusters.shp");
    assert_true(json_is_null(json_object_get(l, "crs")));
    assert_true(json_is_null(json_object_get(l, "extent_wgs84")));
    json_decref(doc);

    /* With --srs the layer is placed exactly as with its .prj. */
    l = info_json(&doc, "--srs EPSG:5897 " WORK_DIR "/noprj/clusters.shp");
    json_t *crs = json_object_get(l, "crs");
    assert_true(json_is_true(json_object_get(crs, "assumed")));
    assert_int_equal(json_integer_value(json_object_get(crs, "epsg")), 5897);
    json_t *ref = info_json(&with_prj_doc, SHAPES_DIR "/clusters.shp");
    json_t *a = json_object_get(l, "extent_wgs84"), *b = json_object_get(ref, "extent_wgs84");
    for (size_t i = 0; i < 4; i++)
        assert_true(fabs(json_real_value(json_array_get(a, i)) -
                         json_real_value(json_array_get(b, i))) < 1e-12);
    json_decref(doc);
    json_decref(with_prj_doc);
}

static void empty_layer_is_described_not_refused(void **state)
{
    (void)state;
    run_result r = run("ogr2ogr -f GPKG %s/empty.gpkg %s/clusters.shp -where \"1=0\" -nln empty",
                       WORK_DIR, SHAPES_DIR);
    assert_int_equal(r.status, 0);
    run_free(&r);
    json_t *doc;
    json_t *l = info_json(&doc, WORK_DIR "/empty.gpkg");
    assert_int_equal(json_integer_value(json_object_get(l, "feature_count")), 0);
    assert_int_equal(json_object_size(json_object_get(l, "geometry_types")), 0);
    assert_true(json_is_null(json_object_get(l, "extent")));
    assert_true(json_is_null(json_object_get(l, "extent_wgs84")));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(l, "crs"), "epsg")),
                     5897);
    json_decref(doc);
}

/* One line on stderr, exit 2, nothing on stdout. */
static void assert_one_line_failure(run_result *r, const char *fragment)
{
    if (!strstr(r->err, fragment))
        fprintf(stderr, "stderr was: %s\n", r->err);
    assert_int_equal(r->status, 2);
    assert_int_equal(count_lines(r->err), 1);
    assert_non_null(strstr(r->err, fragment));
    assert_string_equal(r->out, "");
}

static void missing_file_is_one_clear_line(void **state)
{
    (void)state;
    run_result r = run("%s info %s/nope.shp", CCGIS_BIN, WORK_DIR);
    assert_one_line_failure(&r, "ccgis: error: " WORK_DIR
                                "/nope.shp: no such file or directory -- check the path\n");
    run_free(&r);
}

static void non_vector_file_is_one_clear_line(void **state)
{
    (void)state;
    run_result r = run("printf 'not a map\\n' > %s/notes.txt && %s info %s/notes.txt", WORK_DIR,
                       CCGIS_BIN, WORK_DIR);
    assert_one_line_failure(&r, "notes.txt: not a vector dataset GDAL can read");
    run_free(&r);

    r = run(": > %s/zero.shp && %s info %s/zero.shp", WORK_DIR, CCGIS_BIN, WORK_DIR);
    assert_one_line_failure(&r, "zero.shp: the file is empty (0 bytes)");
    run_free(&r);
}

static void damaged_sources_are_one_clear_line(void **state)
{
    (void)state;
    run_result r = run("mkdir -p %s/emptydir && %s info %s/emptydir", WORK_DIR, CCGIS_BIN,
                       WORK_DIR);
    assert_one_line_failure(&r, "emptydir: a folder in which GDAL finds no vector data");
    run_free(&r);

    r = run("printf '{\"type\":\"FeatureCollection\",\"features\":[{' > %s/cut.geojson && "
            "%s info %s/cut.geojson",
            WORK_DIR, CCGIS_BIN, WORK_DIR);
    assert_one_line_failure(&r, "cut.geojson: GDAL cannot open it as vector data");
    run_free(&r);

    /* A .shp cut short after its first record header. */
    r = run("mkdir -p %s/trunc && cp %s/clusters.shx %s/clusters.dbf %s/trunc/ && "
            "head -c 120 %s/clusters.shp > %s/trunc/clusters.shp && %s info %s/trunc/clusters.shp",
            WORK_DIR, SHAPES_DIR, SHAPES_DIR, WORK_DIR, SHAPES_DIR, WORK_DIR, CCGIS_BIN,
            WORK_DIR);
    assert_one_line_failure(&r, "clusters.shp, layer 'clusters', feature 0: GDAL reported an "
                                "error while reading it");
    run_free(&r);

    /* A .shp without its .shx index. */
    r = run("mkdir -p %s/noshx && cp %s/clusters.shp %s/clusters.dbf %s/noshx/ && "
            "%s info %s/noshx/clusters.shp",
            WORK_DIR, SHAPES_DIR, SHAPES_DIR, WORK_DIR, CCGIS_BIN, WORK_DIR);
    assert_one_line_failure(&r, "Unable to open");
    run_free(&r);
}

static void one_bad_source_among_good_ones_prints_nothing_else(void **state)
{
    (void)state;
    run_result r = run("%s info %s/districts.gpkg %s/nope.gpkg", CCGIS_BIN, SHAPES_DIR, WORK_DIR);
    assert_one_line_failure(&r, "nope.gpkg: no such file or directory");
    run_free(&r);
}

static void bad_srs_and_bad_options_are_usage_errors(void **state)
{
    (void)state;
    run_result r = run("%s info --srs EPSG:999999 %s/clusters.shp", CCGIS_BIN, SHAPES_DIR);
    assert_one_line_failure(&r, "'EPSG:999999' is not a CRS PROJ knows");
    run_free(&r);

    r = run("%s info --frobnicate %s/clusters.shp", CCGIS_BIN, SHAPES_DIR);
    assert_one_line_failure(&r, "unknown option '--frobnicate' -- see 'ccgis help info'");
    run_free(&r);

    r = run("%s info", CCGIS_BIN);
    assert_one_line_failure(&r, "missing argument");
    run_free(&r);

    r = run("%s info --invalid 0 %s/clusters.shp", CCGIS_BIN, SHAPES_DIR);
    assert_one_line_failure(&r, "--invalid takes a whole number");
    run_free(&r);
}

static void help_is_generated_from_the_option_table(void **state)
{
    (void)state;
    run_result a = run("%s help info", CCGIS_BIN);
    run_result b = run("%s info --help", CCGIS_BIN);
    assert_int_equal(a.status, 0);
    assert_int_equal(b.status, 0);
    assert_string_equal(a.out, b.out);
    const char *opts[] = {"--layer NAME", "--srs CRS", "--json", "--invalid N", "--quiet",
                          "--verbose", "--help"};
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
        assert_non_null(strstr(a.out, opts[i]));
    assert_non_null(strstr(a.out, "usage: ccgis info SOURCE"));
    run_free(&a);
    run_free(&b);

    a = run("%s help", CCGIS_BIN);
    assert_int_equal(a.status, 0);
    assert_non_null(strstr(a.out, "  info "));
    run_free(&a);

    a = run("%s --version", CCGIS_BIN);
    assert_int_equal(a.status, 0);
    assert_non_null(strstr(a.out, "GDAL 3."));
    run_free(&a);
}

/* The clusters written by ogr2ogr to other formats GDAL reads: every
 * feature and polygon is seen, and the CRS where the format keeps one. */
static void other_vector_formats_are_read(void **state)
{
    (void)state;
    static const struct {
        const char *file, *opts;
        int epsg; /* expected CRS, 0 when the format keeps none */
    } fmts[] = {
        {"c.kml", "-f KML", 4326},
        {"c.dxf", "-f DXF -skipfailures", 0},
        {"c.sqlite", "-f SQLite -dsco SPATIALITE=YES", 5897},
        {"c.fgb", "-f FlatGeobuf", 5897},
        {"c.csv", "-f CSV -lco GEOMETRY=AS_WKT", 0},
    };
    for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
        run_result r = run("ogr2ogr %s %s/%s %s/clusters.shp", fmts[i].opts, WORK_DIR,
                           fmts[i].file, SHAPES_DIR);
        run_free(&r);
        char args[512];
        snprintf(args, sizeof args, "%s/%s", WORK_DIR, fmts[i].file);
        json_t *doc;
        json_t *l = info_json(&doc, args);
        assert_int_equal(json_integer_value(json_object_get(l, "feature_count")), 30);
        assert_int_equal(
            json_integer_value(json_object_get(json_object_get(l, "geometry_types"), "Polygon")),
            30);
        json_t *crs = json_object_get(l, "crs");
        if (fmts[i].epsg)
            assert_int_equal(json_integer_value(json_object_get(crs, "epsg")), fmts[i].epsg);
        else
            assert_true(json_is_null(crs));
        json_decref(doc);
    }
}

/* Field names line up by what a terminal shows, not by bytes: "tên" (4 bytes,
 * 3 columns) and "tên_làng" in NFD (combining marks take no column). */
static void field_columns_line_up_by_display_width(void **state)
{
    (void)state;
    FILE *fp = fopen(WORK_DIR "/vn_fields.geojson", "w");
    assert_non_null(fp);
    fputs("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
          "{\"t\xc3\xaan\":\"a\",\"te\xcc\x82n_la\xcc\x80ng\":\"b\",\"ma\":\"c\"},\"geometry\":"
          "{\"type\":\"Point\",\"coordinates\":[105.8,21.0]}}]}",
          fp);
    fclose(fp);
    run_result r = run("%s info %s/vn_fields.geojson", CCGIS_BIN, WORK_DIR);
    assert_int_equal(r.status, 0);
    /* Six spaces, the name padded to 20 columns, a space, the type. */
    const char *want[] = {"\n      t\xc3\xaan" "                  String",
                          "\n      te\xcc\x82n_la\xcc\x80ng" "             String",
                          "\n      ma" "                   String"};
    for (size_t i = 0; i < 3; i++) {
        if (!strstr(r.out, want[i]))
            fprintf(stderr, "not found: [%s]\nin:\n%s", want[i] + 1, r.out);
        assert_non_null(strstr(r.out, want[i]));
    }
    run_free(&r);
}

int main(void)
{
    reset_work_dir();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_sample_layer_matches_ogrinfo),
        cmocka_unit_test(geometry_types_are_counted),
        cmocka_unit_test(the_bow_tie_cluster_is_named_with_its_reason),
        cmocka_unit_test(text_output_states_crs_and_encoding),
        cmocka_unit_test(layer_option_selects_one_layer),
        cmocka_unit_test(shapefile_without_prj_says_pass_srs),
        cmocka_unit_test(empty_layer_is_described_not_refused),
        cmocka_unit_test(missing_file_is_one_clear_line),
        cmocka_unit_test(non_vector_file_is_one_clear_line),
        cmocka_unit_test(damaged_sources_are_one_clear_line),
        cmocka_unit_test(one_bad_source_among_good_ones_prints_nothing_else),
        cmocka_unit_test(bad_srs_and_bad_options_are_usage_errors),
        cmocka_unit_test(help_is_generated_from_the_option_table),
        cmocka_unit_test(other_vector_formats_are_read),
        cmocka_unit_test(field_columns_line_up_by_display_width),
    };
    return cmocka_run_group_tests_name("info", tests, NULL, NULL);
}
