/*
 * test_fields.c -- field names through `ccgis run`, read back with GDAL's
 * ogrinfo: whole in GeoPackage, GeoJSON and SpatiaLite (a KML source's
 * description and altitudeMode); cut in the Shapefile by the documented rule
 * (numbered dien_tich_N colliding, Vietnamese names cut between letters),
 * with the values under the cut names; a source's own area_ha, district and
 * flags written as src_<name> with the warning's exact text, ccgis's area_ha
 * checked against SpatiaLite's ellipsoidal ST_Area; every rename warned
 * about at normal verbosity; fields.csv mapping each name, listed in the
 * manifest.
 *
 * The sources are made from shapes/clusters.shp with ogr2ogr; each job runs
 * from its own folder so that paths in messages are as written in the job.
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

#define CLUSTERS SHAPES_DIR "/clusters.shp"

/* The field names of a layer as ogrinfo lists them, joined by '|'. */
static char *fields_of(const char *path, const char *layer)
{
    run_result r = run("ogrinfo -ro -so -nomd '%s' '%s' | sed -n '/^Data axis/,$p' | "
                       "grep -v ' = ' | sed -En 's/^(.*): [A-Za-z0-9()]+ \\([0-9.]+\\)$/\\1/p' | "
                       "tr '\\n' '|'",
                       path, layer);
    assert_int_equal(r.status, 0);
    char *out = r.out;
    r.out = NULL;
    run_free(&r);
    return out;
}

/* The value printed by an ogrinfo SQL query "... AS v" (dialect SQLite). */
static char *query(const char *path, const char *sql)
{
    run_result r = run("ogrinfo -ro -q -dialect sqlite -sql \"%s\" '%s' | "
                       "sed -n 's/^  v ([A-Za-z0-9]*) = //p'",
                       sql, path);
    assert_int_equal(r.status, 0);
    char *out = r.out;
    r.out = NULL;
    run_free(&r);
    size_t n = strlen(out);
    if (n && out[n - 1] == '\n')
        out[n - 1] = '\0';
    return out;
}

static void assert_fields(const char *path, const char *layer, const char *want)
{
    char *got = fields_of(path, layer);
    if (strcmp(got, want) != 0)
        fprintf(stderr, "%s: fields\n  got  %s\n  want %s\n", path, got, want);
    assert_string_equal(got, want);
    free(got);
}

static void assert_query(const char *path, const char *sql, const char *want)
{
    char *got = query(path, sql);
    if (strcmp(got, want) != 0)
        fprintf(stderr, "%s: %s\n  got  '%s'\n  want '%s'\n", path, sql, got, want);
    assert_string_equal(got, want);
    free(got);
}

/* Make folder WORK_DIR/name with job.ini holding `job`; `make` (a shell
 * command run there) writes its source. */
static void make_case(const char *name, const char *make, const char *job)
{
    run_result r = run("rm -rf %s/%s && mkdir -p %s/%s && cd %s/%s && %s && printf '%%s' '%s' "
                       "> job.ini",
                       WORK_DIR, name, WORK_DIR, name, WORK_DIR, name, make, job);
    if (r.status != 0)
        fprintf(stderr, "%s", r.err);
    assert_int_equal(r.status, 0);
    run_free(&r);
}

/* A GeoPackage-only job (with GeoJSON and SpatiaLite) on a KML source: the
 * KML's long names come out whole, with their values; no Shapefile, no
 * warning about one.  keep_fields = all: altitudeMode is one of Google
 * Earth's housekeeping fields, dropped otherwise (README, KML). */
static void kml_names_stay_whole_without_a_shapefile(void **state)
{
    (void)state;
    make_case("kml",
              "ogr2ogr -f LIBKML clusters.kml " CLUSTERS " -dialect sqlite -sql \"SELECT ma_ccn "
              "AS Name, ten AS description, 'relativeToGround' AS altitudeMode, trang_thai, "
              "geometry FROM clusters WHERE ma_ccn <> 'CCN21'\"",
              "[job]\noutput = out\nformats = gpkg, geojson, sqlite\n"
              "[clusters]\nsource = clusters.kml\nid = Name\nname = description\n"
              "keep_fields = all\n");
    run_result r = run("cd %s/kml && %s run job.ini", WORK_DIR, CCGIS_BIN);
    assert_int_equal(r.status, 0);
    assert_null(strstr(r.err, "10 bytes"));
    assert_null(strstr(r.err, "new names"));
    run_free(&r);
    static const char *const outs[] = {"out/out.gpkg", "out/out.sqlite", "out/clusters.geojson"};
    for (size_t i = 0; i < 3; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/kml/%s", WORK_DIR, outs[i]);
        char *got = fields_of(path, "clusters");
        assert_non_null(strstr(got, "|description|"));
        assert_non_null(strstr(got, "|altitudeMode|"));
        assert_null(strstr(got, "descriptio|"));
        assert_null(strstr(got, "altitudeMo|"));
        free(got);
        assert_query(path, "SELECT altitudeMode || ' / ' || description AS v FROM clusters "
                           "WHERE Name = 'CCN01'",
                     "relativeToGround / CCN Phùng Xá");
    }
    /* fields.csv maps them all the same; the manifest lists it. */
    char *csv = slurp(WORK_DIR "/kml/out/fields.csv");
    assert_non_null(csv);
    assert_memory_equal(csv, "\xEF\xBB\xBFlayer,field,shp_field,unit,meaning\n", 36);
    assert_non_null(strstr(csv, "\nclusters,description,descriptio,,from clusters.kml\n"));
    assert_non_null(strstr(csv, "\nclusters,altitudeMode,altitudeMo,,from clusters.kml\n"));
    assert_non_null(strstr(csv, "\nclusters,area_ha,area_ha,ha,geodesic area of the cluster "
                                "(WGS 84 ellipsoid)\n"));
    free(csv);
    char *manifest = slurp(WORK_DIR "/kml/out/.ccgis-manifest");
    assert_non_null(manifest);
    assert_non_null(strstr(manifest, " fields.csv\n"));
    free(manifest);
}

#define MIXED_SQL                                                                                 \
    "SELECT ma_ccn, ten AS ten_cum_cong_nghiep, 'x' AS Dien_Tich_, dt_qd_ha AS dien_tich_1, "    \
    "nam_tl AS dien_tich_2, dt_qd_ha * 10000 AS dien_tich_qd, ten AS \\\"Tên làng\\\", huyen "   \
    "AS \\\"Tên cơ sở sản xuất\\\", trang_thai AS \\\"Tên cơ sở khác\\\", 1.5 AS area_ha, "      \
    "'Huyện Mẫu' AS district, 'x;y' AS flags, geometry FROM clusters"

/* Long, colliding and Vietnamese names, and a source's own area_ha,
 * district and flags: every format and fields.csv checked by name. */
static void shapefile_names_follow_the_rule_and_fields_csv_maps_them(void **state)
{
    (void)state;
    make_case("mixed", "ogr2ogr -f GeoJSON src.geojson " CLUSTERS " -dialect sqlite -sql \"" MIXED_SQL "\"",
              "[job]\noutput = out\nformats = shp, gpkg, geojson, sqlite\n"
              "[clusters]\nsource = src.geojson\nid = ma_ccn\n"
              "[districts]\nsource = " SHAPES_DIR "/districts.gpkg\nname = ten\n");
    run_result r = run("cd %s/mixed && %s run job.ini", WORK_DIR, CCGIS_BIN);
    if (r.status != 0)
        fprintf(stderr, "%s", r.err);
    assert_int_equal(r.status, 0);
    /* Both renames warned about at normal verbosity, one line each. */
    assert_non_null(strstr(r.err, "ccgis: warning: src.geojson: fields named like ccgis's own "
                                  "columns of the clusters layer are written under new names: "
                                  "'area_ha' as 'src_area_ha', 'district' as 'src_district', "
                                  "'flags' as 'src_flags'\n"));
    assert_non_null(strstr(r.err, "ccgis: warning: out/clusters.shp: field names cut to the "
                                  "Shapefile's 10 bytes: 'ten_cum_cong_nghiep' as 'ten_cum_co', "
                                  "'dien_tich_1' as 'dien_tic_1', 'dien_tich_2' as 'dien_tic_2', "
                                  "'dien_tich_qd' as 'dien_tic_3', 'Tên cơ sở sản xuất' as "
                                  "'Tên cơ s', 'Tên cơ sở khác' as 'Tên cơ_1', 'src_area_ha' as "
                                  "'src_area_h', 'src_district' as 'src_distri' (GeoPackage, "
                                  "GeoJSON and SpatiaLite keep the full names)\n"));
    /* The other layers have short names only: no warning about them. */
    assert_null(strstr(r.err, "districts.shp"));
    assert_null(strstr(r.err, "findings.shp"));
    run_free(&r);

    static const char *const whole =
        "ma_ccn|ten_cum_cong_nghiep|Dien_Tich_|dien_tich_1|dien_tich_2|dien_tich_qd|Tên làng|"
        "Tên cơ sở sản xuất|Tên cơ sở khác|src_area_ha|src_district|src_flags|area_ha|district|"
        "dist_pct|n_dist|flags|";
    assert_fields(WORK_DIR "/mixed/out/out.gpkg", "clusters", whole);
    assert_fields(WORK_DIR "/mixed/out/out.sqlite", "clusters", whole);
    assert_fields(WORK_DIR "/mixed/out/clusters.geojson", "clusters", whole);
    assert_fields(WORK_DIR "/mixed/out/clusters.shp", "clusters",
                  "ma_ccn|ten_cum_co|Dien_Tich_|dien_tic_1|dien_tic_2|dien_tic_3|Tên làng|"
                  "Tên cơ s|Tên cơ_1|src_area_h|src_distri|src_flags|area_ha|district|dist_pct|"
                  "n_dist|flags|");

    /* Values under the cut names are the source's: CCN01 of shapes/clusters.shp has
     * ten "CCN Phùng Xá", huyen "Thạch Thất", trang_thai "đang hoạt động", dt_qd_ha
     * 16.39 (ogrinfo). */
    assert_query(WORK_DIR "/mixed/out/clusters.shp",
                 "SELECT \\\"Tên làng\\\" || ' / ' || \\\"Tên cơ s\\\" || ' / ' || "
                 "\\\"Tên cơ_1\\\" || ' / ' || dien_tic_1 || ' / ' || src_distri AS v FROM "
                 "clusters WHERE ma_ccn = 'CCN01'",
                 "CCN Phùng Xá / Thạch Thất / đang hoạt động / 16.39 / Huyện Mẫu");
    assert_query(WORK_DIR "/mixed/out/out.gpkg",
                 "SELECT \\\"Tên cơ sở sản xuất\\\" || ' / ' || \\\"Tên cơ sở khác\\\" || ' / ' "
                 "|| src_flags AS v FROM clusters WHERE ma_ccn = 'CCN01'",
                 "Thạch Thất / đang hoạt động / x;y");
    /* The source's area_ha kept as src_area_ha; area_ha is ccgis's geodesic
     * area, within 1e-4 of SpatiaLite's ellipsoidal ST_Area (which differs
     * from GeographicLib by about 2e-5 here) -- not the source's 1.5. */
    assert_query(WORK_DIR "/mixed/out/out.sqlite",
                 "SELECT sum(src_area_ha = 1.5) || ' ' || sum(abs(ST_Area(GEOMETRY, 1) / 1e4 - "
                 "area_ha) < 1e-4 * area_ha) || ' ' || sum(district <> 'Huyện Mẫu') AS v FROM "
                 "clusters",
                 "30 30 30");

    /* fields.csv: one row per field, full name -> Shapefile name. */
    char *csv = slurp(WORK_DIR "/mixed/out/fields.csv");
    assert_non_null(csv);
    static const char *const rows[] = {
        "\nclusters,ten_cum_cong_nghiep,ten_cum_co,,from src.geojson\n",
        "\nclusters,Dien_Tich_,Dien_Tich_,,from src.geojson\n",
        "\nclusters,dien_tich_1,dien_tic_1,,from src.geojson\n",
        "\nclusters,dien_tich_2,dien_tic_2,,from src.geojson\n",
        "\nclusters,dien_tich_qd,dien_tic_3,,from src.geojson\n",
        "\nclusters,Tên làng,Tên làng,,from src.geojson\n",
        "\nclusters,Tên cơ sở sản xuất,Tên cơ s,,from src.geojson\n",
        "\nclusters,Tên cơ sở khác,Tên cơ_1,,from src.geojson\n",
        "\nclusters,src_area_ha,src_area_h,,\"from src.geojson, where it is named area_ha\"\n",
        "\nclusters,src_district,src_distri,,\"from src.geojson, where it is named district\"\n",
        "\nclusters,src_flags,src_flags,,\"from src.geojson, where it is named flags\"\n",
        "\nclusters,district,district,,the district holding the largest share of the cluster\n",
        "\nclusters,dist_pct,dist_pct,%,that district's share of the cluster's area\n",
        "\ndistricts,n_clusters,n_clusters,count,clusters assigned to the district\n",
        "\nfindings,area_ha,area_ha,ha,geodesic area concerned\n",
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (!strstr(csv, rows[i]))
            fprintf(stderr, "fields.csv lacks %s", rows[i] + 1);
        assert_non_null(strstr(csv, rows[i]));
    }
    /* As many rows as the layers have fields: 17 + 4 + 7 + 6 (findings) + header. */
    run_result n = run("cd %s/mixed/out && ogrinfo -ro -q -sql 'SELECT COUNT(*) AS v FROM fields' "
                       "fields.csv | sed -n 's/^  v ([A-Za-z0-9]*) = //p'",
                       WORK_DIR);
    char *ds = fields_of(WORK_DIR "/mixed/out/out.gpkg", "districts");
    int nd = 0;
    for (const char *p = ds; *p; p++)
        nd += *p == '|';
    free(ds);
    char want[16];
    snprintf(want, sizeof want, "%d\n", 17 + nd + 6);
    assert_string_equal(n.out, want);
    run_free(&n);
    free(csv);
}

/* --overwrite owns fields.csv like every other output. */
static void overwrite_replaces_fields_csv(void **state)
{
    (void)state;
    run_result r = run("cd %s/mixed && %s run -q --overwrite job.ini && test -s out/fields.csv",
                       WORK_DIR, CCGIS_BIN);
    assert_int_equal(r.status, 0);
    run_free(&r);
}

int main(void)
{
    reset_work_dir();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kml_names_stay_whole_without_a_shapefile),
        cmocka_unit_test(shapefile_names_follow_the_rule_and_fields_csv_maps_them),
        cmocka_unit_test(overwrite_replaces_fields_csv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
