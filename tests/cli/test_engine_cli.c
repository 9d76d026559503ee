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

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

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
        {"overlaps", {"kind     OVERLAP,", "area_ha", "hectares", "--min-area M2", "default 1",
                      NULL}},
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

    static const char *const bad_areas[] = {"-1", "1m2", "nan", ""};
    for (size_t i = 0; i < sizeof bad_areas / sizeof bad_areas[0]; i++) {
        r = run("%s overlaps %s --min-area '%s' -o %s/x.gpkg", CCGIS_BIN, CLUSTERS, bad_areas[i],
                WORK_DIR);
        assert_refused(&r, "--min-area takes an area in square metres, 0 or more",
                       WORK_DIR "/x.gpkg");
        run_free(&r);
    }
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

/*
 * A hand-made layer for `ccgis overlaps` (lon/lat, WGS 84), around Hà Nội:
 *   A  105.800-105.810 E, 21.000-21.010 N
 *   B  105.805-105.815 E, 21.005-21.015 N   overlaps A on 105.805-105.810,
 *                                           21.005-21.010 (about 28.8 ha)
 *   C  105.80999-105.820 E, 20.990-21.000005 N   overlaps A on a sliver
 *                                           1e-5 deg x 5e-6 deg (about 0.58 m²)
 *   D  105.790-105.800 E, 21.000-21.010 N   touches A along an edge only
 */
static const char squares_geojson[] =
    "{\"type\": \"FeatureCollection\", \"features\": [\n"
    "{\"type\": \"Feature\", \"properties\": {\"name\": \"A\"}, \"geometry\": {\"type\": "
    "\"Polygon\", \"coordinates\": [[[105.8, 21.0], [105.81, 21.0], [105.81, 21.01], "
    "[105.8, 21.01], [105.8, 21.0]]]}},\n"
    "{\"type\": \"Feature\", \"properties\": {\"name\": \"B\"}, \"geometry\": {\"type\": "
    "\"Polygon\", \"coordinates\": [[[105.805, 21.005], [105.815, 21.005], [105.815, 21.015], "
    "[105.805, 21.015], [105.805, 21.005]]]}},\n"
    "{\"type\": \"Feature\", \"properties\": {\"name\": \"C\"}, \"geometry\": {\"type\": "
    "\"Polygon\", \"coordinates\": [[[105.80999, 20.99], [105.82, 20.99], [105.82, 21.000005], "
    "[105.80999, 21.000005], [105.80999, 20.99]]]}},\n"
    "{\"type\": \"Feature\", \"properties\": {\"name\": \"D\"}, \"geometry\": {\"type\": "
    "\"Polygon\", \"coordinates\": [[[105.79, 21.0], [105.8, 21.0], [105.8, 21.01], "
    "[105.79, 21.01], [105.79, 21.0]]]}}\n"
    "]}\n";

/*
 * The reference: area of the cell lon1..lon2 x lat1..lat2 (degrees) bounded
 * by meridians and parallels on the WGS 84 ellipsoid, in closed form (the
 * area from the equator to latitude phi over dlon radians is
 * dlon * b^2 * [sin phi / (2 (1 - e^2 sin^2 phi)) + atanh(e sin phi) / (2 e)]).
 * ccgis's edges are geodesics, not parallels; for these cells (under 600 m
 * across, at 21 deg N) the two areas differ by about 1e-4 m² (the bulge of a
 * geodesic between two points of a parallel is L^3 tan(phi) / (12 N) and the
 * bulges of the two edges nearly cancel), far inside the 1e-6 relative
 * tolerance of the test.
 */
static double cell_area_m2(double lon1, double lat1, double lon2, double lat2)
{
    const double a = 6378137.0, f = 1 / 298.257223563, pi = 3.14159265358979323846;
    const double e2 = f * (2 - f), e = sqrt(e2), b = a * (1 - f);
    double F[2], lat[2] = {lat1, lat2};
    for (int k = 0; k < 2; k++) {
        double s = sin(lat[k] * pi / 180);
        F[k] = s / (2 * (1 - e2 * s * s)) + atanh(e * s) / (2 * e);
    }
    return (lon2 - lon1) * pi / 180 * b * b * (F[1] - F[0]);
}

/* One OVERLAP finding of a GeoJSON findings file. */
typedef struct overlap_row {
    char subject[8], other[8];
    double area_m2;
} overlap_row;

/* Read the findings of a GeoJSON file: rows of kind OVERLAP into rows
 * (at most cap), and fail if any finding is a CLUSTER_OVERLAP.  Returns the
 * number of OVERLAP rows. */
static size_t read_overlaps(const char *path, overlap_row *rows, size_t cap)
{
    json_error_t e;
    json_t *doc = json_load_file(path, 0, &e);
    if (!doc)
        fprintf(stderr, "%s: %s\n", path, e.text);
    assert_non_null(doc);
    json_t *features = json_object_get(doc, "features");
    size_t n = 0, i;
    json_t *f;
    json_array_foreach(features, i, f)
    {
        json_t *p = json_object_get(f, "properties");
        const char *kind = json_string_value(json_object_get(p, "kind"));
        assert_non_null(kind);
        assert_string_not_equal(kind, "CLUSTER_OVERLAP");
        if (strcmp(kind, "OVERLAP") != 0)
            continue;
        assert_true(n < cap);
        snprintf(rows[n].subject, sizeof rows[n].subject, "%s",
                 json_string_value(json_object_get(p, "subject")));
        snprintf(rows[n].other, sizeof rows[n].other, "%s",
                 json_string_value(json_object_get(p, "other")));
        rows[n].area_m2 = json_number_value(json_object_get(p, "area_ha")) * 1e4;
        n++;
    }
    json_decref(doc);
    return n;
}

/* |got - want| <= 1e-6 * want, printed. */
static void assert_area(const char *what, double got, double want)
{
    fprintf(stderr, "    %-28s ccgis %.9f m2, hand %.9f m2, rel. diff %.1e\n", what, got, want,
            fabs(got - want) / want);
    assert_true(fabs(got - want) <= 1e-6 * want);
}

/* `ccgis overlaps` names its findings OVERLAP; --min-area leaves small
 * overlaps out of them but counts them on stderr. */
/* Villages inside two overlapping clusters get the smaller id, whatever the
 * order of the file; a polygon village is measured from a point inside it,
 * not from its centroid (which, for an L, lies outside it). */
static const char tie_targets[] =
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"id\":\"B\"},\"geometry\":{\"type\":\"Polygon\","
    "\"coordinates\":[[[105.80,21.00],[105.81,21.00],[105.81,21.01],[105.80,21.01],"
    "[105.80,21.00]]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"id\":\"A\"},\"geometry\":{\"type\":\"Polygon\","
    "\"coordinates\":[[[105.80,21.00],[105.81,21.00],[105.81,21.01],[105.80,21.01],"
    "[105.80,21.00]]]}},"
    /* S: a square in the notch of the L below, around the L's centroid (2.87, 2.87)
     * in thousandths of a degree from (105.90, 21.10). */
    "{\"type\":\"Feature\",\"properties\":{\"id\":\"S\"},\"geometry\":{\"type\":\"Polygon\","
    "\"coordinates\":[[[105.902,21.102],[105.9032,21.102],[105.9032,21.1032],"
    "[105.902,21.1032],[105.902,21.102]]]}}]}";
static const char tie_villages[] =
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"v\":\"P\"},\"geometry\":{\"type\":\"Point\","
    "\"coordinates\":[105.805,21.005]}},"
    "{\"type\":\"Feature\",\"properties\":{\"v\":\"L\"},\"geometry\":{\"type\":\"Polygon\","
    "\"coordinates\":[[[105.90,21.10],[105.91,21.10],[105.91,21.101],[105.901,21.101],"
    "[105.901,21.11],[105.90,21.11],[105.90,21.10]]]}}]}";

static void near_ties_by_id_and_polygon_villages_from_inside(void **state)
{
    (void)state;
    FILE *fp = fopen(WORK_DIR "/tie_targets.geojson", "w");
    assert_non_null(fp);
    fputs(tie_targets, fp);
    fclose(fp);
    fp = fopen(WORK_DIR "/tie_villages.geojson", "w");
    assert_non_null(fp);
    fputs(tie_villages, fp);
    fclose(fp);
    run_result r = run("%s near -q %s/tie_villages.geojson %s/tie_targets.geojson --id v "
                       "--targets-id id --radius 50 -o %s/tie.csv --overwrite && cat %s/tie.csv",
                       CCGIS_BIN, WORK_DIR, WORK_DIR, WORK_DIR, WORK_DIR);
    if (r.status != 0)
        fprintf(stderr, "%s", r.err);
    assert_int_equal(r.status, 0);
    /* P lies inside B and A (read in that order): A, the smaller id, at 0 m. */
    const char *p = strstr(r.out, ",P,A,0,1");
    if (!p)
        fprintf(stderr, "near output:\n%s", r.out);
    assert_non_null(p);
    /* L: its centroid lies inside S, but no point of L does; the gap between L's
     * arm (lat <= 21.101) and S (lat >= 21.102) is 0.001 degree of latitude,
     * about 110 m. */
    const char *l = strstr(r.out, ",L,S,");
    assert_non_null(l);
    double d = strtod(l + strlen(",L,S,"), NULL);
    fprintf(stderr, "    L to S: %.3f m (more than 100 m: measured from inside L)\n", d);
    assert_true(d > 100.0 && d < 1000.0);
    run_free(&r);
}

/* GDAL's advice for its own tools (ogr2ogr's -mapFieldType) is not passed
 * on; what it warns about is. */
static void gdal_advice_for_other_tools_is_not_shown(void **state)
{
    (void)state;
    FILE *fp = fopen(WORK_DIR "/dated.geojson", "w");
    assert_non_null(fp);
    fputs("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
          "{\"id\":\"A\",\"seen\":\"2024-05-01T10:00:00Z\"},\"geometry\":{\"type\":\"Polygon\","
          "\"coordinates\":[[[105.80,21.00],[105.81,21.00],[105.81,21.01],[105.80,21.01],"
          "[105.80,21.00]]]}}]}",
          fp);
    fclose(fp);
    run_result r = run("%s area %s/dated.geojson --id id -o %s/dated.shp --overwrite", CCGIS_BIN,
                       WORK_DIR, WORK_DIR);
    fprintf(stderr, "    stderr: %s", r.err);
    assert_int_equal(r.status, 0);
    assert_null(strstr(r.err, "mapFieldType"));
    assert_non_null(strstr(r.err, "DateTime"));
    run_free(&r);
}

static void overlaps_min_area_lists_and_counts(void **state)
{
    (void)state;
    FILE *fp = fopen(WORK_DIR "/squares.geojson", "w");
    assert_non_null(fp);
    fputs(squares_geojson, fp);
    fclose(fp);
    const double ab = cell_area_m2(105.805, 21.005, 105.81, 21.01);
    const double ac = cell_area_m2(105.80999, 21.0, 105.81, 21.000005);
    overlap_row rows[4];

    /* Every overlap: A/B and the sliver A/C; A/D only touch. */
    run_result r = run("%s overlaps %s/squares.geojson --id name --min-area 0 -o %s/all.geojson",
                       CCGIS_BIN, WORK_DIR, WORK_DIR);
    assert_int_equal(r.status, 0);
    assert_null(strstr(r.err, "not listed"));
    run_free(&r);
    assert_int_equal(read_overlaps(WORK_DIR "/all.geojson", rows, 4), 2);
    assert_string_equal(rows[0].subject, "A");
    assert_string_equal(rows[0].other, "B");
    assert_area("A/B overlap (28.8 ha)", rows[0].area_m2, ab);
    assert_string_equal(rows[1].subject, "A");
    assert_string_equal(rows[1].other, "C");
    assert_area("A/C sliver (0.58 m2)", rows[1].area_m2, ac);

    /* The default, 1 m²: the sliver is counted, not listed. */
    r = run("%s overlaps %s/squares.geojson --id name -o %s/default.geojson", CCGIS_BIN, WORK_DIR,
            WORK_DIR);
    assert_int_equal(r.status, 0);
    char expect[160];
    snprintf(expect, sizeof expect,
             "ccgis: 1 overlap under 1 m² (total %.2g m²) not listed; --min-area 0 lists it\n",
             ac);
    if (!strstr(r.err, expect))
        fprintf(stderr, "stderr was: %s", r.err);
    assert_non_null(strstr(r.err, expect));
    run_free(&r);
    assert_int_equal(read_overlaps(WORK_DIR "/default.geojson", rows, 4), 1);
    assert_string_equal(rows[0].other, "B");
    assert_area("A/B overlap, default", rows[0].area_m2, ab);

    /* Above both: nothing listed, both counted with their total. */
    r = run("%s overlaps %s/squares.geojson --id name --min-area 300000 -o %s/none.geojson",
            CCGIS_BIN, WORK_DIR, WORK_DIR);
    assert_int_equal(r.status, 0);
    snprintf(expect, sizeof expect,
             "ccgis: 2 overlaps under 300000 m² each (total %.1f m²) not listed; --min-area 0 "
             "lists them\n",
             ab + ac);
    if (!strstr(r.err, expect))
        fprintf(stderr, "stderr was: %s", r.err);
    assert_non_null(strstr(r.err, expect));
    run_free(&r);
    assert_int_equal(read_overlaps(WORK_DIR "/none.geojson", rows, 4), 0);

    /* --quiet: errors only. */
    r = run("%s overlaps -q %s/squares.geojson --id name -o %s/quiet.geojson", CCGIS_BIN, WORK_DIR,
            WORK_DIR);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
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
        cmocka_unit_test(overlaps_min_area_lists_and_counts),
        cmocka_unit_test(near_ties_by_id_and_polygon_villages_from_inside),
        cmocka_unit_test(gdal_advice_for_other_tools_is_not_shown),
    };
    return cmocka_run_group_tests_name("engine commands", tests, NULL, NULL);
}
