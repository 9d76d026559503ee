/*
 * test_inputs.c -- the inputs staff actually get: spreadsheets of village
 * coordinates (CSV, XLSX, with Vietnamese column names and decimal commas),
 * cluster boundaries drawn in AutoCAD (DXF, closed polylines, one CAD layer
 * chosen with where=), and Google Earth files (KMZ).
 *
 * Each is made by GDAL (ogr2ogr) from the sample layers, so the reference is
 * the sample layer itself: the same points give the same distances, the same
 * polygons the same geodesic areas (1e-9 relative).
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

#include "harness.h"

/* The number an ogrinfo SQL query prints for "AS v". */
static double sql_number(const char *path, const char *sql)
{
    run_result r = run("ogrinfo -ro -q -sql \"%s\" '%s' | sed -n 's/^  v ([A-Za-z0-9]*) = //p'",
                       sql, path);
    assert_int_equal(r.status, 0);
    double v = atof(r.out);
    run_free(&r);
    return v;
}

/* A table of villages with kinh_do / vi_do columns, as CSV and XLSX, and with
 * a decimal comma: the distances are those of the GeoJSON points. */
static void village_spreadsheets_load_to_the_same_points(void **state)
{
    (void)state;
    run_result r = run(
        "cd %s && ogr2ogr -f CSV v.csv %s/villages.geojson -lco GEOMETRY=AS_XY && "
        "sed -i '1s/^X,Y,/kinh_do,vi_do,/' v.csv && ogr2ogr -f XLSX v.xlsx v.csv && "
        "awk -F, 'NR==1{print; next}{printf \"\\\"%%s\\\",\\\"%%s\\\"\", $1, $2; "
        "for(i=3;i<=NF;i++) printf \",%%s\", $i; print \"\"}' v.csv | "
        "sed -E '2,$ s/\"([0-9]+)\\.([0-9]+)\"/\"\\1,\\2\"/g' > vc.csv && "
        "%s near -q %s/villages.geojson %s/clusters.shp --id ma_ln --radius 2000 -o ref.gpkg && "
        "%s near -q v.csv %s/clusters.shp --srs EPSG:4326 --id ma_ln --radius 2000 -o a.gpkg && "
        "%s near -q v.xlsx %s/clusters.shp --srs EPSG:4326 --id ma_ln --radius 2000 -o b.gpkg && "
        "%s near -q vc.csv %s/clusters.shp --srs EPSG:4326 --id ma_ln --radius 2000 -o c.gpkg",
        WORK_DIR, SHAPES_DIR, CCGIS_BIN, SHAPES_DIR, SHAPES_DIR, CCGIS_BIN, SHAPES_DIR,
        CCGIS_BIN, SHAPES_DIR, CCGIS_BIN, SHAPES_DIR);
    if (r.status != 0)
        fprintf(stderr, "%s", r.err);
    assert_int_equal(r.status, 0);
    run_free(&r);
    double ref = sql_number(WORK_DIR "/ref.gpkg", "SELECT sum(near_m) AS v FROM villages");
    assert_true(ref > 1e5);
    const char *outs[] = {WORK_DIR "/a.gpkg", WORK_DIR "/b.gpkg", WORK_DIR "/c.gpkg"};
    const char *layers[] = {"v", "v", "vc"};
    for (size_t i = 0; i < 3; i++) {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT count(*) AS v FROM %s", layers[i]);
        assert_int_equal((int)sql_number(outs[i], sql), 150);
        snprintf(sql, sizeof sql, "SELECT sum(near_m) AS v FROM %s", layers[i]);
        double got = sql_number(outs[i], sql);
        if (fabs(got - ref) > 1e-9 * ref)
            fprintf(stderr, "%s: sum of distances %.6f, reference %.6f\n", outs[i], got, ref);
        assert_true(fabs(got - ref) <= 1e-9 * ref);
    }
    /* The Vietnamese names came through the spreadsheet. */
    r = run("ogrinfo -ro -q %s/b.gpkg v -where \"ma_ln = 'LN001'\" | grep ' ten '", WORK_DIR);
    assert_non_null(strstr(r.out, "Làng"));
    run_free(&r);
}

/* Cluster boundaries drawn in AutoCAD: closed polylines on two CAD layers; the
 * job takes one of them with where=. */
static void dxf_closed_polylines_are_polygons(void **state)
{
    (void)state;
    run_result r = run(
        "cd %s && ogr2ogr -f DXF c.dxf %s/clusters.shp -dialect sqlite -sql \"SELECT "
        "CASE WHEN ma_ccn <= 'CCN15' THEN 'RANH_A' ELSE 'RANH_B' END AS Layer, "
        "ExteriorRing(geometry) AS geometry FROM clusters WHERE ma_ccn <> 'CCN21'\" && "
        "printf '[job]\\noutput = out\\nformats = gpkg\\n[clusters]\\nsource = c.dxf\\n"
        "id = EntityHandle\\nsrs = vn2000:tm3:105\\nwhere = Layer = '\"'\"'RANH_A'\"'\"'\\n' > "
        "dxf.ini && rm -rf out && %s run -q dxf.ini && "
        "%s area -q %s/clusters.shp --id ma_ccn -o dref.gpkg",
        WORK_DIR, SHAPES_DIR, CCGIS_BIN, CCGIS_BIN, SHAPES_DIR);
    if (r.status != 0)
        fprintf(stderr, "%s", r.err);
    assert_int_equal(r.status, 0);
    run_free(&r);
    assert_int_equal((int)sql_number(WORK_DIR "/out/out.gpkg",
                                     "SELECT count(*) AS v FROM clusters"),
                     15);
    double got = sql_number(WORK_DIR "/out/out.gpkg", "SELECT sum(area_ha) AS v FROM clusters");
    double ref = sql_number(WORK_DIR "/dref.gpkg",
                            "SELECT sum(area_ha) AS v FROM clusters WHERE ma_ccn <= 'CCN15'");
    assert_true(ref > 100);
    assert_true(fabs(got - ref) <= 1e-9 * ref);
}

/* A Google Earth KMZ of the clusters: the same areas. */
static void kmz_from_google_earth(void **state)
{
    (void)state;
    run_result r = run("cd %s && ogr2ogr -f LIBKML c.kmz %s/clusters.shp && "
                       "%s area c.kmz --layer clusters -o k.gpkg && "
                       "%s area -q %s/clusters.shp -o r.gpkg",
                       WORK_DIR, SHAPES_DIR, CCGIS_BIN, CCGIS_BIN, SHAPES_DIR);
    if (r.status != 0)
        fprintf(stderr, "%s", r.err);
    assert_int_equal(r.status, 0);
    /* GDAL's KML writer leaves the invalid bow-tie CCN21 without geometry:
     * ccgis says so rather than dropping it silently. */
    assert_non_null(strstr(r.err, "c.kmz, layer 'clusters', feature 21: skipped: no geometry"));
    run_free(&r);
    double got = sql_number(WORK_DIR "/k.gpkg", "SELECT sum(area_m2) AS v FROM clusters");
    double ref = sql_number(WORK_DIR "/r.gpkg",
                            "SELECT sum(area_m2) AS v FROM clusters WHERE ma_ccn <> 'CCN21'");
    assert_true(fabs(got - ref) <= 1e-6 * ref); /* KML stores lon/lat with 15 digits */
}

int main(void)
{
    reset_work_dir();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(village_spreadsheets_load_to_the_same_points),
        cmocka_unit_test(dxf_closed_polylines_are_polygons),
        cmocka_unit_test(kmz_from_google_earth),
    };
    return cmocka_run_group_tests_name("inputs staff get", tests, NULL, NULL);
}
