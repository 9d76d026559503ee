/*
 * test_engine_cli.c -- the engine's commands as the staff use them: outputs
 * that do not depend on --jobs, formats that open as they should, help that
 * names every column and unit, and bad usage met with one clear line and no
 * output.  (The figures themselves are checked against PostGIS in
 * tests/postgis/test_engine_postgis.c.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define CLUSTERS SHAPES_DIR "/clusters.shp"
#define LANDUSE SHAPES_DIR "/landuse.gpkg"
#define DISTRICTS SHAPES_DIR "/districts.gpkg"
#define VILLAGES SHAPES_DIR "/villages.geojson"

/* GDAL's full dump of a file's features (attributes and coordinates). */
static char *dump(const char *path)
{
    run_result r = run("ogrinfo -ro -al -q '%s' | grep -v '^INFO'", path);
    assert_int_equal(r.status, 0);
    char *out = r.out;
    r.out = NULL;
    run_free(&r);
    return out;
}

static void results_do_not_depend_on_jobs(void **state)
{
    (void)state;
    for (int jobs = 1; jobs <= 2; jobs++) {
        run_result r = run("%s overlay %s %s --id ma_ccn --class loai_dat --allowed SKN,SKC,SKK "
                           "--jobs %d -o %s/ov%d.gpkg -p %s/pc%d.gpkg && %s assign %s %s --id "
                           "ma_ccn --name ten --jobs %d -o %s/as%d.gpkg",
                           CCGIS_BIN, CLUSTERS, LANDUSE, jobs, WORK_DIR, jobs, WORK_DIR, jobs,
                           CCGIS_BIN, CLUSTERS, DISTRICTS, jobs, WORK_DIR, jobs);
        assert_int_equal(r.status, 0);
        run_free(&r);
    }
    const char *names[] = {"ov", "pc", "as"};
    for (size_t i = 0; i < 3; i++) {
        char a[512], b[512];
        snprintf(a, sizeof a, "%s/%s1.gpkg", WORK_DIR, names[i]);
        snprintf(b, sizeof b, "%s/%s2.gpkg", WORK_DIR, names[i]);
        char *da = dump(a), *db = dump(b);
        assert_true(strlen(da) > 1000);
        assert_string_equal(da, db);
        free(da);
        free(db);
    }
}

static void shapefile_output_is_utf8_wgs84_with_vietnamese_names(void **state)
{
    (void)state;
    run_result r = run("%s area %s --id ma_ccn -o %s/area.shp", CCGIS_BIN, CLUSTERS, WORK_DIR);
    assert_int_equal(r.status, 0);
    run_free(&r);
    char *cpg = slurp(WORK_DIR "/area.cpg");
    assert_non_null(cpg);
    assert_string_equal(cpg, "UTF-8");
    free(cpg);
    ogr_summary s;
    assert_int_equal(ogrinfo_summary(WORK_DIR "/area.shp", "area", &s), 0);
    assert_int_equal(s.epsg, 4326);
    assert_int_equal(s.count, 30);
    /* Names byte-identical to the source, through GDAL on both sides. */
    run_result a = run("ogrinfo -ro -q %s clusters -where \"ma_ccn='CCN07'\" | grep ' ten '",
                       CLUSTERS);
    run_result b = run("ogrinfo -ro -q %s/area.shp area -where \"ma_ccn='CCN07'\" | grep ' ten '",
                       WORK_DIR);
    assert_non_null(strstr(a.out, "CCN Quất Động"));
    assert_string_equal(a.out, b.out);
    run_free(&a);
    run_free(&b);
}

static void geojson_output_is_rfc7946(void **state)
{
    (void)state;
    run_result r = run("%s area %s --id ma_ccn -o %s/area.geojson", CCGIS_BIN, CLUSTERS,
                       WORK_DIR);
    assert_int_equal(r.status, 0);
    run_free(&r);
    char *text = slurp(WORK_DIR "/area.geojson");
    assert_non_null(text);
    assert_null(strstr(text, "\"crs\"")); /* RFC 7946: WGS 84 implied, no crs member */
    assert_non_null(strstr(text, "\"ten\": \"CCN Phùng Xá\""));
    free(text);
    /* Exterior rings counter-clockwise (RFC 7946 section 3.1.6). */
    r = run("ogrinfo -ro -q -dialect sqlite -sql \"SELECT count(*) AS n FROM clusters WHERE "
            "ST_IsValid(geometry) AND NOT ST_IsPolygonCCW(geometry)\" %s/area.geojson",
            WORK_DIR);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "n (Integer) = 0"));
    run_free(&r);
}

static void help_names_every_column_and_unit(void **state)
{
    (void)state;
    static const struct {
        const char *cmd;
        const char *words[8];
    } h[] = {
        {"area", {"area_m2", "square metres", "area_ha", "hectares", "plan_ha", NULL}},
        {"overlay",
         {"area_ha", "allow_ha", "confl_ha", "confl_pct", "confl_top", "share_pct", "percent",
          NULL}},
        {"assign", {"zone", "zone_pct", "percent", "n_zones", "1 m2", NULL}},
        {"near", {"near_id", "near_m", "metres", "within", "n_within", NULL}},
        {"overlaps", {"kind     OVERLAP,", "area_ha", "hectares", NULL}},
    };
    for (size_t i = 0; i < sizeof h / sizeof h[0]; i++) {
        run_result r = run("%s help %s", CCGIS_BIN, h[i].cmd);
        assert_int_equal(r.status, 0);
        for (size_t k = 0; h[i].words[k]; k++) {
            if (!strstr(r.out, h[i].words[k]))
                fprintf(stderr, "'ccgis help %s' does not mention %s\n", h[i].cmd,
                        h[i].words[k]);
            assert_non_null(strstr(r.out, h[i].words[k]));
        }
        assert_non_null(strstr(r.out, "--jobs N"));
        run_free(&r);
    }
}

/* One line on stderr, exit 2, and the named output absent. */
static void assert_refused(run_result *r, const char *fragment, const char *absent)
{
    if (!strstr(r->err, fragment))
        fprintf(stderr, "stderr was: %s\n", r->err);
    assert_int_equal(r->status, 2);
    assert_non_null(strstr(r->err, fragment));
    assert_int_equal(count_lines(r->err), 1);
    if (absent)
        assert_int_equal(access(absent, F_OK), -1);
}

static void bad_usage_is_one_line_and_writes_nothing(void **state)
{
    (void)state;
    run_result r = run("%s overlay -q %s %s -o %s/x.gpkg", CCGIS_BIN, CLUSTERS, LANDUSE, WORK_DIR);
    assert_refused(&r, "missing --class FIELD", WORK_DIR "/x.gpkg");
    run_free(&r);

    r = run("%s overlay -q %s %s --class code -o %s/x.gpkg", CCGIS_BIN, CLUSTERS, LANDUSE,
            WORK_DIR);
    assert_refused(&r, "no field named 'code' -- the fields are: loai_dat, ten_loai, dien_tich",
                   WORK_DIR "/x.gpkg");
    run_free(&r);

    r = run("%s assign -q %s %s --id nope --name ten -o %s/x.gpkg", CCGIS_BIN, CLUSTERS, DISTRICTS,
            WORK_DIR);
    assert_refused(&r, "no field named 'nope'", WORK_DIR "/x.gpkg");
    run_free(&r);

    r = run("%s area -q %s --id huyen -o %s/x.gpkg", CCGIS_BIN, CLUSTERS, WORK_DIR);
    assert_refused(&r, "duplicate id", WORK_DIR "/x.gpkg");
    run_free(&r);

    r = run("%s near %s %s --radius -5 -o %s/x.gpkg", CCGIS_BIN, VILLAGES, CLUSTERS, WORK_DIR);
    assert_refused(&r, "--radius takes a distance in metres", WORK_DIR "/x.gpkg");
    run_free(&r);

    r = run("%s area -q %s -o %s/x.xyz", CCGIS_BIN, CLUSTERS, WORK_DIR);
    assert_refused(&r, "cannot tell the format from the extension", WORK_DIR "/x.xyz");
    run_free(&r);

    r = run("%s area -q %s -o %s/nodir/x.gpkg", CCGIS_BIN, CLUSTERS, WORK_DIR);
    assert_refused(&r, "does not exist -- create it first", NULL);
    run_free(&r);

    r = run("%s area %s --jobs 0 -o %s/x.gpkg", CCGIS_BIN, CLUSTERS, WORK_DIR);
    assert_refused(&r, "--jobs takes a whole number", WORK_DIR "/x.gpkg");
    run_free(&r);
}

static void existing_output_is_kept_unless_overwrite(void **state)
{
    (void)state;
    run_result r = run("printf 'keep me' > %s/old.geojson && %s area -q %s -o %s/old.geojson",
                       WORK_DIR, CCGIS_BIN, CLUSTERS, WORK_DIR);
    assert_refused(&r, "already exists -- remove it, choose another name, or use --overwrite",
                   NULL);
    run_free(&r);
    char *kept = slurp(WORK_DIR "/old.geojson");
    assert_string_equal(kept, "keep me");
    free(kept);
    r = run("%s area %s --overwrite -o %s/old.geojson", CCGIS_BIN, CLUSTERS, WORK_DIR);
    assert_int_equal(r.status, 0);
    run_free(&r);
    ogr_summary s;
    assert_int_equal(ogrinfo_summary(WORK_DIR "/old.geojson", "clusters", &s), 0);
    assert_int_equal(s.count, 30);
}

/* When the second output cannot be written the first is removed again. */
static void two_outputs_are_all_or_nothing(void **state)
{
    (void)state;
    run_result r = run("%s overlay -q %s %s --class loai_dat -o %s/first.gpkg -p %s/none/p.gpkg",
                       CCGIS_BIN, CLUSTERS, LANDUSE, WORK_DIR, WORK_DIR);
    assert_refused(&r, "the folder", WORK_DIR "/first.gpkg");
    run_free(&r);
    /* And no temporary folder is left behind. */
    r = run("ls -a %s | grep -c ccgis-tmp || true", WORK_DIR);
    assert_string_equal(r.out, "0\n");
    run_free(&r);
}

/* Polygons in no zone get an empty zone and an OUTSIDE_DISTRICTS finding. */
static void polygons_outside_every_zone_are_reported(void **state)
{
    (void)state;
    run_result r = run("ogr2ogr -f GPKG %s/one.gpkg %s -where \"ten = 'Thạch Thất'\" && "
                       "%s assign -q %s %s/one.gpkg --id ma_ccn --name ten -o %s/one_as.gpkg && "
                       "%s assign %s %s/one.gpkg --id ma_ccn --name ten -o %s/one_as2.gpkg",
                       WORK_DIR, DISTRICTS, CCGIS_BIN, CLUSTERS, WORK_DIR, WORK_DIR, CCGIS_BIN,
                       CLUSTERS, WORK_DIR, WORK_DIR);
    assert_int_equal(r.status, 0);
    run_free(&r);
    r = run("ogrinfo -ro -q -sql \"SELECT count(*) AS n FROM clusters WHERE zone = ''\" "
            "%s/one_as.gpkg",
            WORK_DIR);
    const char *p = strstr(r.out, "n (Integer) = ");
    assert_non_null(p);
    int outside = atoi(p + strlen("n (Integer) = "));
    run_free(&r);
    r = run("ogrinfo -ro -q -sql \"SELECT count(*) AS n FROM clusters WHERE zone = 'Thạch Thất'\" "
            "%s/one_as.gpkg",
            WORK_DIR);
    p = strstr(r.out, "n (Integer) = ");
    assert_non_null(p);
    int inside = atoi(p + strlen("n (Integer) = "));
    run_free(&r);
    assert_true(inside >= 1);
    assert_int_equal(inside + outside, 30);
    /* The summary counts them. */
    r = run("%s assign %s %s/one.gpkg --id ma_ccn --name ten --overwrite -o %s/one_as2.gpkg",
            CCGIS_BIN, CLUSTERS, WORK_DIR, WORK_DIR);
    char expect[64];
    snprintf(expect, sizeof expect, " %d OUTSIDE_DISTRICTS", outside);
    assert_non_null(strstr(r.err, expect));
    run_free(&r);
}

/* Zones in a CRS that puts them far from the clusters: a warning, no pieces. */
static void layers_that_do_not_meet_get_a_crs_warning(void **state)
{
    (void)state;
    run_result r = run("%s overlay %s %s --class loai_dat --overlay-srs EPSG:3406 "
                       "-o %s/far.gpkg",
                       CCGIS_BIN, CLUSTERS, LANDUSE, WORK_DIR);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "does not overlap the input at all once both are in WGS 84 -- "
                                  "one of them is probably in the wrong CRS"));
    run_free(&r);
    r = run("ogrinfo -ro -q -sql \"SELECT sum(allow_ha + confl_ha) AS s FROM clusters\" "
            "%s/far.gpkg",
            WORK_DIR);
    assert_non_null(strstr(r.out, "s (Real) = 0"));
    run_free(&r);
}

/* Zoning read without a spatial index (a shapefile without .qix: one pass,
 * boxes tested) gives the pieces that the indexed GeoPackage gives. */
static void unindexed_zoning_gives_the_same_pieces(void **state)
{
    (void)state;
    run_result r = run("ogr2ogr -f 'ESRI Shapefile' %s/lu.shp %s && "
                       "%s overlay -q %s %s/lu.shp --id ma_ccn --class loai_dat -o %s/a.gpkg "
                       "-p %s/pa.gpkg && "
                       "%s overlay -q %s %s --id ma_ccn --class loai_dat -o %s/b.gpkg -p %s/pb.gpkg",
                       WORK_DIR, LANDUSE, CCGIS_BIN, CLUSTERS, WORK_DIR, WORK_DIR, WORK_DIR,
                       CCGIS_BIN, CLUSTERS, LANDUSE, WORK_DIR, WORK_DIR);
    assert_int_equal(r.status, 0);
    run_free(&r);
    r = run("ogrinfo -ro -q %s/pa.gpkg -sql \"ATTACH '%s/pb.gpkg' AS b\" >/dev/null; "
            "ogrinfo -ro -q -dialect sqlite %s/pa.gpkg -sql \"SELECT count(*) AS n, "
            "max(abs(a.area_m2 - b.area_m2)) AS d FROM pieces a JOIN "
            "(SELECT * FROM pieces) b USING (in_id, class)\"",
            WORK_DIR, WORK_DIR, WORK_DIR);
    run_free(&r);
    /* Compare the two piece lists as text, rounded to 1e-6 m². */
    r = run("for f in pa pb; do ogrinfo -ro -q %s/$f.gpkg -sql \"SELECT in_id, class, "
            "round(area_m2, 6) AS a, n_zones FROM pieces ORDER BY in_id, class\" | "
            "grep -v OGRFeature > %s/$f.txt; done; cmp %s/pa.txt %s/pb.txt && wc -l < %s/pa.txt",
            WORK_DIR, WORK_DIR, WORK_DIR, WORK_DIR, WORK_DIR);
    assert_int_equal(r.status, 0);
    assert_true(atoi(r.out) > 300);
    run_free(&r);
}

int main(void)
{
    reset_work_dir();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(results_do_not_depend_on_jobs),
        cmocka_unit_test(shapefile_output_is_utf8_wgs84_with_vietnamese_names),
        cmocka_unit_test(geojson_output_is_rfc7946),
        cmocka_unit_test(help_names_every_column_and_unit),
        cmocka_unit_test(bad_usage_is_one_line_and_writes_nothing),
        cmocka_unit_test(existing_output_is_kept_unless_overwrite),
        cmocka_unit_test(two_outputs_are_all_or_nothing),
        cmocka_unit_test(polygons_outside_every_zone_are_reported),
        cmocka_unit_test(layers_that_do_not_meet_get_a_crs_warning),
        cmocka_unit_test(unindexed_zoning_gives_the_same_pieces),
    };
    return cmocka_run_group_tests_name("engine commands", tests, NULL, NULL);
}
