/*
 * test_as_sent.c -- layers as colleagues send them: a .prj that says WGS 84
 * on VN-2000 metres, a survey table whose X is the northing, a table with
 * latitude and longitude the wrong way round, coordinates in
 * degrees-minutes-seconds under Vietnamese headings, a Google Earth file
 * with several folders.
 *
 * Every mislabel must end in exit 2 with the exact advice (what to write in
 * the job file) and nothing written; every table read right must give the
 * nearest cluster and distance of each village that the decimal table gives
 * (itself checked against PostGIS in tests/postgis), within the rounding of
 * its cells: 1e-4" of arc is 3 mm, so 0.01 m.
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

/* Print what a command said when it did not do what a test expects. */
static void show(const run_result *r)
{
    fprintf(stderr, "exit %d\n--- stdout\n%s--- stderr\n%s", r->status, r->out, r->err);
}

/* Make the decimal, TM-3 and hand-written tables in WORK_DIR (once). */
static int make_tables(void **state)
{
    (void)state;
    run_result r = run("cd %s && ogr2ogr -f CSV dec.csv %s/villages.geojson -lco GEOMETRY=AS_XY && "
                       "ogr2ogr -f CSV tm3.csv %s/villages.geojson -t_srs EPSG:5897 "
                       "-lco GEOMETRY=AS_XY && python3 %s dec.csv tm3.csv . && "
                       "ogr2ogr -f 'ESRI Shapefile' mis.shp %s/clusters.shp -a_srs EPSG:4326",
                       WORK_DIR, SHAPES_DIR, SHAPES_DIR, MAKE_TABLES, SHAPES_DIR);
    if (r.status != 0)
        show(&r);
    int rc = r.status;
    run_free(&r);
    return rc;
}

/* One village's nearest cluster as written by ccgis near. */
typedef struct near_row {
    char id[16], near[16];
    double m;
} near_row;

/* The rows (ma_ln, near_id, near_m) of layer `layer` of `gpkg`, by ma_ln.
 * Returns how many (at most cap). */
static int near_rows(const char *gpkg, const char *layer, near_row *rows, int cap)
{
    run_result r = run("ogr2ogr -f CSV /vsistdout/ '%s' -sql \"SELECT ma_ln, near_id, near_m "
                       "FROM \\\"%s\\\" ORDER BY ma_ln\"",
                       gpkg, layer);
    assert_int_equal(r.status, 0);
    int n = 0;
    char *line = strchr(r.out, '\n'); /* after the header */
    while (line && *++line && n < cap) {
        near_row *w = &rows[n];
        if (sscanf(line, "%15[^,],%15[^,],%lf", w->id, w->near, &w->m) == 3)
            n++;
        line = strchr(line, '\n');
    }
    run_free(&r);
    return n;
}

/* ccgis near on `table` (extra options `opts`) gives the reference's
 * nearest cluster for all 150 villages, distances within 0.01 m. */
static void near_matches_decimal(const char *table, const char *opts)
{
    run_result r = run("cd %s && rm -f ref.gpkg out.gpkg && "
                       "%s near -q dec.csv %s/clusters.shp --srs EPSG:4326 --id ma_ln "
                       "--targets-id ma_ccn --radius 2000 -o ref.gpkg && "
                       "%s near %s %s/clusters.shp %s --id ma_ln --targets-id ma_ccn "
                       "--radius 2000 -o out.gpkg",
                       WORK_DIR, CCGIS_BIN, SHAPES_DIR, CCGIS_BIN, table, SHAPES_DIR, opts);
    if (r.status != 0 || strstr(r.err, "skipped"))
        show(&r);
    assert_int_equal(r.status, 0);
    assert_null(strstr(r.err, "skipped")); /* every row read */
    run_free(&r);
    static near_row ref[200], got[200];
    int nref = near_rows(WORK_DIR "/ref.gpkg", "dec", ref, 200);
    char layer[64];
    snprintf(layer, sizeof layer, "%.*s", (int)(strlen(table) - 4), table);
    int ngot = near_rows(WORK_DIR "/out.gpkg", layer, got, 200);
    assert_int_equal(nref, 150);
    assert_int_equal(ngot, 150);
    double worst = 0;
    for (int i = 0; i < 150; i++) {
        assert_string_equal(got[i].id, ref[i].id);
        assert_string_equal(got[i].near, ref[i].near);
        worst = fmax(worst, fabs(got[i].m - ref[i].m));
    }
    if (worst > 0.01)
        fprintf(stderr, "%s: a distance differs by %.6f m\n", table, worst);
    assert_true(worst <= 0.01);
}

/* Degrees-minutes-seconds with a decimal comma under "Kinh độ" / "Vĩ độ". */
static void dms_under_vietnamese_headings(void **state)
{
    (void)state;
    near_matches_decimal("dms.csv", "--srs EPSG:4326");
}

/* "Kinh Độ (°)" / "VĨ ĐỘ" in NFD and upper case, decimal commas. */
static void decimal_comma_under_nfd_upper_case_headings(void **state)
{
    (void)state;
    near_matches_decimal("vn.csv", "--srs EPSG:4326");
}

/* "lng" / "lat" with degrees, minutes, seconds separated by spaces. */
static void dms_with_spaces_under_lng_lat(void **state)
{
    (void)state;
    near_matches_decimal("spaced.csv", "--srs EPSG:4326");
}

/* A job file with [villages] read from the survey table as staff would
 * first write it (x = X (m), y = Y (m)): refused, naming the lines to write;
 * with them, the distances of the decimal table. */
static void survey_table_with_x_as_northing(void **state)
{
    (void)state;
    run_result r = run(
        "cd %s && rm -rf out && printf '[job]\\noutput = out\\nformats = gpkg\\n[clusters]\\n"
        "source = %s/clusters.shp\\nid = ma_ccn\\n[villages]\\nsource = survey.csv\\n"
        "id = ma_ln\\nsrs = vn2000:tm3:105\\nx = X (m)\\ny = Y (m)\\n' > survey.ini && "
        "%s run survey.ini",
        WORK_DIR, SHAPES_DIR, CCGIS_BIN);
    if (r.status != 2)
        show(&r);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "its coordinates fit VN-2000 / TM-3 zone 482 only with X and "
                                  "Y exchanged: x 2276890-2364509 looks like a northing and y "
                                  "531508-602915 like an easting (Vietnamese surveys name the "
                                  "northing X and the easting Y) -- take the columns the other "
                                  "way round: write  x = Y (m)  and  y = X (m)  in the job file"));
    /* The line to change: x = (ccgis_layer_failed_on blames the x column). */
    assert_non_null(strstr(r.err, "survey.ini:11: [villages] survey.csv, layer 'survey': "));
    assert_null(strstr(r.err, "results in"));
    assert_null(strstr(r.err, "findings"));
    run_free(&r);
    r = run("test -e %s/out", WORK_DIR);
    assert_int_not_equal(r.status, 0); /* nothing written */
    run_free(&r);

    /* The same table through ccgis near: the --x / --y to give. */
    r = run("cd %s && %s near survey.csv %s/clusters.shp --srs vn2000:tm3:105 --id ma_ln "
            "--radius 2000 -o s.gpkg",
            WORK_DIR, CCGIS_BIN, SHAPES_DIR);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "(--x 'Y (m)' --y 'X (m)' for ccgis near)"));
    run_free(&r);
    near_matches_decimal("survey.csv", "--srs vn2000:tm3:105 --x 'Y (m)' --y 'X (m)'");

    /* ccgis info says the same when told the CRS; without it, what it looks like. */
    r = run("cd %s && %s info survey.csv --srs vn2000:tm3:105 && %s info survey.csv", WORK_DIR,
            CCGIS_BIN, CCGIS_BIN);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "CRS problem: its coordinates fit VN-2000 / TM-3 zone 482 "
                                  "only with X and Y exchanged"));
    assert_non_null(strstr(r.out, "CRS: none -- a table without geometry, read as points from "
                                  "x = X (m) and y = Y (m); the coordinates look like VN-2000 "
                                  "metres with X and Y exchanged"));
    assert_null(strstr(r.out, "no CRS: pass --srs"));
    run_free(&r);
}

/* A .prj saying WGS 84 on VN-2000 / TM-3 metres: the job is refused with
 * the hint a missing .prj gets, nothing written and no closing line; info
 * raises it and gives no WGS 84 extent. */
static void wgs84_prj_on_vn2000_metres(void **state)
{
    (void)state;
    const char *hint = "its CRS (WGS 84) is in degrees but its coordinates (E 534344-601961, "
                       "N 2288509-2351320) look like VN-2000 TM-3 or UTM 48N metres -- the "
                       "declared CRS (.prj) is wrong: assign the right one with srs= (--srs), "
                       "e.g. srs=vn2000:tm3:105 (Ha Noi)";
    run_result r = run(
        "cd %s && rm -rf out && printf '[job]\\noutput = out\\n[clusters]\\nsource = mis.shp\\n"
        "id = ma_ccn\\n[villages]\\nsource = %s/villages.geojson\\nid = ma_ln\\n' > mis.ini && "
        "%s run mis.ini",
        WORK_DIR, SHAPES_DIR, CCGIS_BIN);
    if (r.status != 2)
        show(&r);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, hint));
    assert_null(strstr(r.err, "off the globe")); /* one line, not one per feature */
    assert_null(strstr(r.err, "findings"));
    assert_int_equal(count_lines(r.err), 1);
    run_free(&r);
    r = run("test -e %s/out", WORK_DIR);
    assert_int_not_equal(r.status, 0);
    run_free(&r);

    r = run("cd %s && %s area mis.shp -o a.gpkg", WORK_DIR, CCGIS_BIN);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, hint));
    run_free(&r);

    r = run("cd %s && %s info mis.shp", WORK_DIR, CCGIS_BIN);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "    CRS problem: "));
    assert_non_null(strstr(r.out, hint));
    assert_non_null(strstr(r.err, "ccgis: warning: mis.shp, layer 'mis': "));
    assert_null(strstr(r.out, "extent WGS 84"));
    run_free(&r);
}

/* Every row with latitude under 'lon' and longitude under 'lat': refused,
 * the swap hint with the lines to write; a few swapped rows are skipped
 * one by one with the same hint (the rest used). */
static void latitude_and_longitude_swapped(void **state)
{
    (void)state;
    run_result r = run("cd %s && %s near swapped.csv %s/clusters.shp --srs EPSG:4326 --id ma_ln "
                       "--radius 2000 -o w.gpkg",
                       WORK_DIR, CCGIS_BIN, SHAPES_DIR);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "swapped.csv, layer 'swapped': its coordinates (x 20.582..21.3732, "
                                  "y 105.305..105.992) are off the globe as longitude, latitude "
                                  "and look like latitude, longitude -- swap the axes: take the "
                                  "columns the other way round: write  x = lat  and  y = lon  in "
                                  "the job file"));
    assert_int_equal(count_lines(r.err), 1);
    run_free(&r);

    /* Two rows swapped: skipped with the hint, 148 used. */
    r = run("cd %s && (head -1 dec.csv; sed -n '2,3p' swapped.csv; sed -n '4,$p' dec.csv) > "
            "few.csv && %s near few.csv %s/clusters.shp --srs EPSG:4326 --id ma_ln --radius "
            "2000 -o few.gpkg",
            WORK_DIR, CCGIS_BIN, SHAPES_DIR);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "few.csv, layer 'few', id 'LN001', feature 1: skipped: its WGS 84 "
                                  "position "
                                  "(lon 20.98..20.98, lat 105.918..105.918) is off the globe: the "
                                  "coordinates look like latitude, longitude -- swap the axes"));
    assert_non_null(strstr(r.err, "2 GEOMETRY_SKIPPED"));
    run_free(&r);
}

/* A cell that is not a coordinate is quoted in the skip message. */
static void unreadable_cell_is_quoted(void **state)
{
    (void)state;
    run_result r = run("cd %s && (head -2 dms.csv; sed -n '3p' dms.csv | sed 's/^\"[^\"]*\"/\"105°55 "
                       "khoảng\"/'; sed -n '4,$p' dms.csv) > bad.csv && %s near bad.csv "
                       "%s/clusters.shp --srs EPSG:4326 --id ma_ln --radius 2000 -o b.gpkg",
                       WORK_DIR, CCGIS_BIN, SHAPES_DIR);
    if (r.status != 0)
        show(&r);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "bad.csv, layer 'bad', id 'LN002', feature 2: skipped: its x cell "
                                  "(column "
                                  "'Kinh độ') holds '105°55 khoảng"));
    assert_non_null(strstr(r.err, "', which is neither a number nor degrees-minutes-seconds"));
    run_free(&r);
}

/* A KML with two folders: read as one layer with a 'folder' field, all
 * features, Google Earth's housekeeping fields gone; keep_fields = all keeps
 * them; folders of different kinds are refused with the list. */
static void kml_folders_as_one_layer(void **state)
{
    (void)state;
    run_result r = run(
        "cd %s && rm -f two.gpkg two.kml mix.gpkg mix.kml && "
        "ogr2ogr -f GPKG two.gpkg %s/clusters.shp -where \"ma_ccn <= 'CCN15'\" -nln 'Cụm A' && "
        "ogr2ogr -update -f GPKG two.gpkg %s/clusters.shp -where \"ma_ccn > 'CCN15'\" "
        "-nln 'Cụm B' && ogr2ogr -f LIBKML two.kml two.gpkg && "
        "%s area -q two.kml --id ma_ccn -o k.gpkg && %s area -q %s/clusters.shp -o r.gpkg",
        WORK_DIR, SHAPES_DIR, SHAPES_DIR, CCGIS_BIN, CCGIS_BIN, SHAPES_DIR);
    if (r.status != 0)
        show(&r);
    assert_int_equal(r.status, 0);
    run_free(&r);
    r = run("cd %s && ogrinfo -ro -q k.gpkg -sql \"SELECT folder, count(*) AS n, "
            "sum(area_m2) AS a FROM two GROUP BY folder ORDER BY folder\" && "
            "ogrinfo -ro -q r.gpkg -sql \"SELECT sum(area_m2) AS a FROM clusters WHERE ma_ccn "
            "<> 'CCN21'\" && ogrinfo -ro -so k.gpkg two",
            WORK_DIR);
    assert_int_equal(r.status, 0);
    /* GDAL's KML writer leaves the bow-tie CCN21 without geometry: 15 + 14. */
    assert_non_null(strstr(r.out, "folder (String) = Cụm A\n  n (Integer) = 15"));
    assert_non_null(strstr(r.out, "folder (String) = Cụm B\n  n (Integer) = 14"));
    const char *housekeeping[] = {"timestamp", "begin:", "end:", "altitudeMode", "tessellate",
                                  "extrude", "visibility", "drawOrder", "icon"};
    for (size_t i = 0; i < sizeof housekeeping / sizeof *housekeeping; i++)
        assert_null(strstr(r.out, housekeeping[i]));
    double a1 = 0, a2 = 0, ref = 0;
    const char *p = strstr(r.out, "a (Real) = ");
    assert_non_null(p);
    a1 = atof(p + 11);
    p = strstr(p + 1, "a (Real) = ");
    assert_non_null(p);
    a2 = atof(p + 11);
    p = strstr(p + 1, "a (Real) = ");
    assert_non_null(p);
    ref = atof(p + 11);
    assert_true(ref > 1e6);
    assert_true(fabs(a1 + a2 - ref) <= 1e-6 * ref); /* KML stores 15 digits */
    run_free(&r);

    /* keep_fields = all in a job keeps them. */
    r = run("cd %s && rm -rf kout && printf '[job]\\noutput = kout\\nformats = gpkg\\n"
            "[clusters]\\nsource = two.kml\\nid = ma_ccn\\nkeep_fields = all\\n' > k.ini && "
            "%s run -q k.ini && ogrinfo -ro -so kout/kout.gpkg clusters",
            WORK_DIR, CCGIS_BIN);
    if (r.status != 0)
        show(&r);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "tessellate"));
    assert_non_null(strstr(r.out, "folder: String"));
    run_free(&r);

    r = run("cd %s && ogr2ogr -f GPKG mix.gpkg %s/clusters.shp -nln 'Ranh giới' && "
            "ogr2ogr -update -f GPKG mix.gpkg %s/villages.geojson -nln 'Làng nghề' && "
            "ogr2ogr -f LIBKML mix.kml mix.gpkg && %s area mix.kml -o m.gpkg",
            WORK_DIR, SHAPES_DIR, SHAPES_DIR, CCGIS_BIN);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "mix.kml: its folders hold different kinds of geometry, so "
                                  "they cannot be read as one layer: 'Ranh giới' (29 polygons), "
                                  "'Làng nghề' (150 points) -- name the folder to read with "
                                  "layer= (--layer)"));
    run_free(&r);
}

int main(void)
{
    reset_work_dir();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dms_under_vietnamese_headings),
        cmocka_unit_test(decimal_comma_under_nfd_upper_case_headings),
        cmocka_unit_test(dms_with_spaces_under_lng_lat),
        cmocka_unit_test(survey_table_with_x_as_northing),
        cmocka_unit_test(wgs84_prj_on_vn2000_metres),
        cmocka_unit_test(latitude_and_longitude_swapped),
        cmocka_unit_test(unreadable_cell_is_quoted),
        cmocka_unit_test(kml_folders_as_one_layer),
    };
    return cmocka_run_group_tests_name("layers as colleagues send them", tests, make_tables,
                                       NULL);
}
