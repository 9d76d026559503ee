/*
 * test_layer.c -- loading layers into the common frame, and their areas.
 *
 * Inputs are the sample layers (shapes/README.md documents their designed
 * problems) and small GeoJSON files written by the test itself.  References:
 *   - the bow-tie: (0,0) (100,100) (100,0) (0,100) in the VN-2000 / TM-3
 *     plane repairs into two triangles of 50 m x 100 m / 2 = 2,500 m² each,
 *     5,000 m² in all (hand computation; exact in the plane);
 *   - its geodesic area: the same two triangles measured by GeographicLib's
 *     Planimeter after PROJ's cs2cs took the 6 vertices to WGS 84 (see
 *     tests/unit/geodesic_reference.md, "bow-tie").
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

#include "internal.h"

/* See tests/unit/geodesic_reference.md, "bow-tie". */
#define BOWTIE_GEODESIC_M2 5001.045106313501

static char dir[] = "/tmp/ccgis-test-layer-XXXXXX";

/* Write text to dir/name; return the path (static buffer, one at a time). */
static const char *write_file(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

#define CRS5897 "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::5897\"}},"

static int setup(void **state)
{
    *state = ccgis_ctx_new();
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    ccgis_ctx_free(*state);
    return 0;
}

static void clusters_load_with_the_bow_tie_repaired(void **state)
{
    ccgis_ctx *ctx = *state;
    ccgis_layer_spec spec = {.source = SHAPES_DIR "/clusters.shp",
                             .id_field = "ma_ccn",
                             .role = CCGIS_ROLE_POLYGONS,
                             .what = "clusters"};
    ccgis_findings fl = CCGIS_FINDINGS_INIT;
    ccgis_layer *l = NULL;
    assert_int_equal(ccgis_layer_load(ctx, &spec, &fl, &l), CCGIS_OK);
    assert_int_equal(l->n, 30);
    assert_int_equal(l->n_read, 30);
    assert_int_equal(l->n_repaired, 1);
    assert_int_equal(l->n_skipped, 0);
    assert_int_equal(ccgis_crs_epsg(l->crs, NULL), 5897);
    assert_int_equal(fl.n, 1);
    assert_int_equal(fl.items[0].kind, CCGIS_GEOMETRY_REPAIRED);
    assert_string_equal(fl.items[0].subject, "CCN21");
    assert_non_null(strstr(fl.items[0].detail, "Self-intersection"));
    for (size_t i = 0; i < l->n; i++) {
        assert_int_equal(GEOSisValid_r(ctx->geos, l->f[i].geom), 1);
        /* In WGS 84 now: Hanoi's longitudes and latitudes. */
        double x;
        GEOSGeom_getXMin_r(ctx->geos, l->f[i].geom, &x);
        assert_true(x > 105.2 && x < 106.1);
    }
    assert_true(l->extent[1] > 20.5 && l->extent[3] < 21.4);
    ccgis_layer_free(ctx, l);
    ccgis_findings_clear(&fl);
}

static void bow_tie_repairs_into_two_triangles(void **state)
{
    ccgis_ctx *ctx = *state;
    const char *p = write_file(
        "bowtie.geojson",
        "{\"type\":\"FeatureCollection\"," CRS5897 "\"features\":[{\"type\":\"Feature\","
        "\"properties\":{\"id\":\"B\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
        "[[[500000,2300000],[500100,2300100],[500100,2300000],[500000,2300100],"
        "[500000,2300000]]]}}]}");
    ccgis_layer_spec spec = {
        .source = p, .id_field = "id", .role = CCGIS_ROLE_POLYGONS, .what = "clusters"};
    ccgis_findings fl = CCGIS_FINDINGS_INIT;
    ccgis_layer *l = NULL;
    assert_int_equal(ccgis_layer_load(ctx, &spec, &fl, &l), CCGIS_OK);
    assert_int_equal(l->n_repaired, 1);
    const GEOSGeometry *src = l->f[0].geom_src;
    assert_int_equal(GEOSGeomTypeId_r(ctx->geos, src), GEOS_MULTIPOLYGON);
    assert_int_equal(GEOSGetNumGeometries_r(ctx->geos, src), 2);
    double a0, a1;
    GEOSArea_r(ctx->geos, GEOSGetGeometryN_r(ctx->geos, src, 0), &a0);
    GEOSArea_r(ctx->geos, GEOSGetGeometryN_r(ctx->geos, src, 1), &a1);
    assert_true(fabs(a0 - 2500.0) < 1e-6 && fabs(a1 - 2500.0) < 1e-6);

    ccgis_crs *plan = NULL;
    double area_m2, plan_m2;
    assert_int_equal(ccgis_crs_from_user(ctx, "EPSG:5897", &plan), CCGIS_OK);
    assert_int_equal(ccgis_layer_areas(ctx, l, plan, &area_m2, &plan_m2), CCGIS_OK);
    assert_true(fabs(plan_m2 - 5000.0) < 1e-6); /* same CRS: no transformation */
    /* Geodesic: the TM-3 scale there (0.9999 on the central meridian, and
     * the datum shift) makes the ellipsoidal area a little larger. */
    assert_true(fabs(area_m2 - BOWTIE_GEODESIC_M2) <= 1e-6 * BOWTIE_GEODESIC_M2);
    ccgis_crs_free(plan);
    ccgis_layer_free(ctx, l);
    ccgis_findings_clear(&fl);
}

static void null_empty_and_wrong_kind_are_skipped_and_reported(void **state)
{
    ccgis_ctx *ctx = *state;
    const char *p = write_file(
        "mixed.geojson",
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"properties\":{\"id\":\"ok\"},\"geometry\":{\"type\":\"Polygon\","
        "\"coordinates\":[[[105.8,21.0],[105.81,21.0],[105.81,21.01],[105.8,21.0]]]}},"
        "{\"type\":\"Feature\",\"properties\":{\"id\":\"null\"},\"geometry\":null},"
        "{\"type\":\"Feature\",\"properties\":{\"id\":\"line\"},\"geometry\":{\"type\":"
        "\"LineString\",\"coordinates\":[[105.8,21.0],[105.9,21.1]]}},"
        "{\"type\":\"Feature\",\"properties\":{\"id\":\"z\"},\"geometry\":{\"type\":\"Polygon\","
        "\"coordinates\":[[[105.7,21.0,5],[105.71,21.0,5],[105.71,21.01,5],[105.7,21.0,5]]]}}"
        "]}");
    ccgis_layer_spec spec = {
        .source = p, .id_field = "id", .role = CCGIS_ROLE_POLYGONS, .what = "clusters"};
    ccgis_findings fl = CCGIS_FINDINGS_INIT;
    ccgis_layer *l = NULL;
    assert_int_equal(ccgis_layer_load(ctx, &spec, &fl, &l), CCGIS_OK);
    assert_int_equal(l->n_read, 4);
    assert_int_equal(l->n, 2);
    assert_int_equal(l->n_skipped, 2);
    assert_int_equal(ccgis_findings_count(&fl, CCGIS_GEOMETRY_SKIPPED), 2);
    assert_string_equal(fl.items[0].subject, "null");
    assert_non_null(strstr(fl.items[0].detail, "no geometry"));
    assert_string_equal(fl.items[1].subject, "line");
    assert_non_null(strstr(fl.items[1].detail, "LineString where polygons are expected"));
    /* Z dropped. */
    assert_int_equal(GEOSHasZ_r(ctx->geos, l->f[1].geom), 0);
    assert_int_equal(ccgis_ctx_message_count(ctx, CCGIS_WARNING), 2);
    ccgis_layer_free(ctx, l);
    ccgis_findings_clear(&fl);
}

static void points_layer_in_polygon_role_is_refused(void **state)
{
    ccgis_ctx *ctx = *state;
    ccgis_layer_spec spec = {.source = SHAPES_DIR "/villages.geojson",
                             .id_field = "ma_ln",
                             .role = CCGIS_ROLE_POLYGONS,
                             .what = "clusters"};
    ccgis_findings fl = CCGIS_FINDINGS_INIT;
    ccgis_layer *l = (ccgis_layer *)1;
    assert_int_equal(ccgis_layer_load(ctx, &spec, &fl, &l), CCGIS_ERR_GEOMETRY);
    assert_null(l);
    assert_non_null(strstr(ccgis_errmsg(ctx), "no usable polygon among 150 features read "
                                              "(150 skipped) -- is this the right layer?"));
    assert_int_equal(fl.n, 150);
    ccgis_findings_clear(&fl);
}

static void polygons_in_point_role_become_centroids(void **state)
{
    ccgis_ctx *ctx = *state;
    ccgis_layer_spec spec = {.source = SHAPES_DIR "/districts.gpkg",
                             .id_field = "ma_huyen",
                             .role = CCGIS_ROLE_POINTS,
                             .what = "villages"};
    ccgis_layer *l = NULL;
    assert_int_equal(ccgis_layer_load(ctx, &spec, NULL, &l), CCGIS_OK);
    assert_int_equal(l->n, 30);
    for (size_t i = 0; i < l->n; i++)
        assert_int_equal(GEOSGeomTypeId_r(ctx->geos, l->f[i].geom), GEOS_POINT);
    ccgis_layer_free(ctx, l);
}

static void duplicate_and_unknown_ids_are_input_errors(void **state)
{
    ccgis_ctx *ctx = *state;
    ccgis_layer *l = (ccgis_layer *)1;
    ccgis_layer_spec spec = {.source = SHAPES_DIR "/clusters.shp",
                             .id_field = "huyen",
                             .role = CCGIS_ROLE_POLYGONS,
                             .what = "clusters"};
    assert_int_equal(ccgis_layer_load(ctx, &spec, NULL, &l), CCGIS_ERR_INPUT);
    assert_null(l);
    assert_non_null(strstr(ccgis_errmsg(ctx), "duplicate id '"));
    assert_non_null(strstr(ccgis_errmsg(ctx), "in field 'huyen' (also feature "));

    spec.id_field = "nope";
    assert_int_equal(ccgis_layer_load(ctx, &spec, NULL, &l), CCGIS_ERR_USAGE);
    assert_string_equal(ccgis_errmsg(ctx),
                        SHAPES_DIR "/clusters.shp, layer 'clusters': no field named 'nope' -- "
                                   "the fields are: ma_ccn, ten, huyen, trang_thai, dt_qd_ha, "
                                   "nam_tl, nam_kc, qh_1500, gpmb_pct, so_dn, lao_dong");
}

/* Each failure blames the spec member to fix (ccgis_layer_failed_on): a job
 * runner points at that key's line with it. */
static void failures_name_the_spec_member(void **state)
{
    ccgis_ctx *ctx = *state;
    ccgis_layer *l = NULL;
    const ccgis_layer_spec ok = {.source = SHAPES_DIR "/clusters.shp",
                                 .id_field = "ma_ccn",
                                 .role = CCGIS_ROLE_POLYGONS,
                                 .what = "clusters"};
    static const struct {
        const char *what;
        ccgis_layer_spec spec;
        ccgis_spec_member want;
    } cases[] = {
        {"missing source", {.source = SHAPES_DIR "/nope.shp", .role = CCGIS_ROLE_POLYGONS},
         CCGIS_SPEC_SOURCE},
        {"unknown layer",
         {.source = SHAPES_DIR "/clusters.shp", .layer = "nope", .role = CCGIS_ROLE_POLYGONS},
         CCGIS_SPEC_LAYER},
        {"unknown id field",
         {.source = SHAPES_DIR "/clusters.shp", .id_field = "nope", .role = CCGIS_ROLE_POLYGONS},
         CCGIS_SPEC_ID},
        {"duplicate ids",
         {.source = SHAPES_DIR "/clusters.shp", .id_field = "huyen", .role = CCGIS_ROLE_POLYGONS},
         CCGIS_SPEC_ID},
        {"bad filter",
         {.source = SHAPES_DIR "/clusters.shp", .where = "nope ===", .role = CCGIS_ROLE_POLYGONS},
         CCGIS_SPEC_WHERE},
        {"bad srs",
         {.source = SHAPES_DIR "/clusters.shp", .srs = "EPSG:999999", .role = CCGIS_ROLE_POLYGONS},
         CCGIS_SPEC_SRS},
        {"bad encoding",
         {.source = SHAPES_DIR "/clusters.shp", .encoding = "KLINGON", .role = CCGIS_ROLE_POLYGONS},
         CCGIS_SPEC_ENCODING},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ccgis_status st = ccgis_layer_load(ctx, &cases[i].spec, NULL, &l);
        fprintf(stderr, "    %-17s -> %d: %s\n", cases[i].what, (int)ccgis_layer_failed_on(ctx),
                ccgis_errmsg(ctx));
        assert_int_not_equal(st, CCGIS_OK);
        assert_null(l);
        assert_int_equal(ccgis_layer_failed_on(ctx), cases[i].want);
    }
    /* A success blames nothing. */
    assert_int_equal(ccgis_layer_load(ctx, &ok, NULL, &l), CCGIS_OK);
    assert_int_equal(ccgis_layer_failed_on(ctx), CCGIS_SPEC_NONE);
    ccgis_layer_free(ctx, l);
}

static void layer_without_crs_needs_srs(void **state)
{
    ccgis_ctx *ctx = *state;
    /* A shapefile without .prj: copy the clusters' .shp/.shx/.dbf. */
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "for e in shp shx dbf cpg; do cp %s/clusters.$e %s/noprj.$e; done", SHAPES_DIR, dir);
    assert_int_equal(system(cmd), 0);
    char path[256];
    snprintf(path, sizeof path, "%s/noprj.shp", dir);
    ccgis_layer_spec spec = {
        .source = path, .id_field = "ma_ccn", .role = CCGIS_ROLE_POLYGONS, .what = "clusters"};
    ccgis_layer *l = NULL;
    assert_int_equal(ccgis_layer_load(ctx, &spec, NULL, &l), CCGIS_ERR_CRS_NONE);
    assert_non_null(strstr(ccgis_errmsg(ctx), "has no CRS"));
    spec.srs = "EPSG:5897";
    assert_int_equal(ccgis_layer_load(ctx, &spec, NULL, &l), CCGIS_OK);
    assert_int_equal(l->n, 30);
    ccgis_layer_free(ctx, l);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(clusters_load_with_the_bow_tie_repaired, setup, teardown),
        cmocka_unit_test_setup_teardown(bow_tie_repairs_into_two_triangles, setup, teardown),
        cmocka_unit_test_setup_teardown(null_empty_and_wrong_kind_are_skipped_and_reported, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(points_layer_in_polygon_role_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(polygons_in_point_role_become_centroids, setup, teardown),
        cmocka_unit_test_setup_teardown(duplicate_and_unknown_ids_are_input_errors, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(failures_name_the_spec_member, setup, teardown),
        cmocka_unit_test_setup_teardown(layer_without_crs_needs_srs, setup, teardown),
    };
    int rc = cmocka_run_group_tests_name("layer", tests, NULL, NULL);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        rc = rc ? rc : 1;
    return rc;
}
