/*
 * test_postgis_fixture.c -- the PostGIS test server (fixture `postgis`) and
 * the C API of pg.h work, checked against facts that do not come from them:
 *   - feature counts and CRSs designed into the sample layers
 *     (shapes/README.md);
 *   - a VN-2000 TM-3 zone 482 -> WGS 84 point from PROJ's own tool
 *     (`cs2cs -f %.12f EPSG:5897 EPSG:4326`), so PostGIS is known to use the
 *     same datum shift (EPSG:6960) as ccgis's PROJ;
 *   - the designed bow-tie cluster CCN21 (shapes/README.md) and the FID
 *     under which GDAL's ogrinfo shows it;
 *   - a villages.geojson round trip through pg_load, against the text
 *     ogrinfo prints;
 *   - the API's failure path: a child copy of this program runs bad SQL and
 *     must fail, printing the SQL and PostgreSQL's message.
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
#include "pg.h"

/* The connection every test uses, opened in main(). */
static pg_conn *pg;

/* This program's path, to run a copy of it in --bad-sql mode. */
static const char *self;

/* Assert |a - b| <= tol, printing both when not. */
static void assert_close(double a, double b, double tol, const char *what)
{
    if (!(fabs(a - b) <= tol))
        fprintf(stderr, "%s: got %.15g, expected %.15g (tolerance %g)\n", what, a, b, tol);
    assert_true(fabs(a - b) <= tol);
}

/* What `ogrinfo -ro -q` prints for field `field` of the feature of a layer
 * selected by `where`, up to the end of the line, as a new string; *fid gets
 * the feature's FID (OGRFeature(layer):FID) when fid is not NULL. */
static char *ogrinfo_field(const char *file, const char *layer, const char *where,
                           const char *field, long long *fid)
{
    run_result r = run("ogrinfo -ro -q -where \"%s\" '%s/%s' %s", where, SHAPES_DIR, file, layer);
    assert_int_equal(r.status, 0);
    char key[128];
    if (fid) {
        snprintf(key, sizeof key, "OGRFeature(%s):", layer);
        const char *p = strstr(r.out, key);
        assert_non_null(p);
        *fid = atoll(p + strlen(key));
    }
    snprintf(key, sizeof key, "  %s (String) = ", field);
    const char *p = strstr(r.out, key);
    if (!p)
        fprintf(stderr, "no '%s' in ogrinfo's output:\n%s", key, r.out);
    assert_non_null(p);
    p += strlen(key);
    char *v = strndup(p, strcspn(p, "\n"));
    assert_non_null(v);
    run_free(&r);
    return v;
}

/* The four layers are loaded whole (counts from shapes/README.md), and
 * pg_query returns rows, column names and SQL NULLs. */
static void the_sample_layers_have_their_designed_counts(void **state)
{
    (void)state;
    assert_int_equal(pg_scalar_int(pg, "SELECT count(*) FROM districts"), 30);
    assert_int_equal(pg_scalar_int(pg, "SELECT count(*) FROM clusters"), 30);
    assert_int_equal(pg_scalar_int(pg, "SELECT count(*) FROM villages"), 150);
    assert_int_equal(pg_scalar_int(pg, "SELECT count(*) FROM landuse"), 2024);
    /* 22 villages are not yet recognised: nam_cn is NULL. */
    pg_rows *r = pg_query(pg, "SELECT ma_ln, nam_cn FROM villages WHERE nam_cn IS NULL "
                              "ORDER BY ma_ln");
    assert_int_equal(r->nrows, 22);
    assert_int_equal(r->ncols, 2);
    assert_string_equal(r->names[1], "nam_cn");
    assert_non_null(pg_cell(r, 0, 0));
    assert_null(pg_cell(r, 21, 1));
    pg_rows_free(r);
}

/* Each table keeps its layer's own CRS: no reprojection at load. */
static void the_layers_keep_their_native_crs(void **state)
{
    (void)state;
    static const struct {
        const char *table;
        long long srid;
    } layers[] = {{"districts", 4326}, {"clusters", 5897}, {"villages", 4326}, {"landuse", 5897}};
    for (size_t i = 0; i < sizeof layers / sizeof layers[0]; i++) {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT Find_SRID('public', '%s', 'geom')", layers[i].table);
        assert_int_equal(pg_scalar_int(pg, sql), layers[i].srid);
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE ST_SRID(geom) <> %lld",
                 layers[i].table, layers[i].srid);
        assert_int_equal(pg_scalar_int(pg, sql), 0);
    }
}

/* PostGIS takes VN-2000 to WGS 84 as PROJ's cs2cs does (same datum shift),
 * and float8 values arrive exactly. */
static void postgis_shifts_vn2000_as_proj_does(void **state)
{
    (void)state;
    char *wkt = pg_scalar_text(pg, "SELECT ST_AsText(ST_Transform(ST_SetSRID("
                                   "ST_MakePoint(551784.381899792, 2323033.966769008), 5897), "
                                   "4326))");
    double lon, lat;
    if (sscanf(wkt, "POINT(%lf %lf)", &lon, &lat) != 2)
        fprintf(stderr, "unexpected WKT: %s\n", wkt);
    assert_int_equal(sscanf(wkt, "POINT(%lf %lf)", &lon, &lat), 2);
    free(wkt);
    /* cs2cs -f %.12f EPSG:5897 EPSG:4326 prints lat, lon. */
    assert_close(lon, 105.500000007603, 1e-9, "lon");
    assert_close(lat, 20.999999996000, 1e-9, "lat");
    assert_close(pg_scalar_double(pg, "SELECT 0.1::float8 + 0.2::float8"), 0.1 + 0.2, 0,
                 "float8 round trip");
}

/* Geometries are loaded as stored (not repaired): the designed bow-tie
 * CCN21 is the one invalid cluster, under GDAL's FID. */
static void only_the_bow_tie_cluster_is_invalid(void **state)
{
    (void)state;
    assert_int_equal(pg_scalar_int(pg, "SELECT count(*) FROM clusters WHERE NOT ST_IsValid(geom)"),
                     1);
    char *ma = pg_scalar_text(pg, "SELECT ma_ccn FROM clusters WHERE NOT ST_IsValid(geom)");
    assert_string_equal(ma, "CCN21");
    free(ma);
    /* fid is GDAL's FID: the one under which ogrinfo shows CCN21. */
    long long fid;
    char *ten = ogrinfo_field("clusters.shp", "clusters", "ma_ccn='CCN21'", "ten", &fid);
    assert_int_equal(pg_scalar_int(pg, "SELECT fid FROM clusters WHERE NOT ST_IsValid(geom)"), fid);
    char *pten = pg_scalar_text(pg, "SELECT ten FROM clusters WHERE ma_ccn = 'CCN21'");
    assert_string_equal(pten, ten);
    free(ten);
    free(pten);
}

/* pg_load copies a file as GDAL reads it: rows, CRS, FIDs, UTF-8 text
 * byte for byte, and points bit for bit. */
static void pg_load_round_trips_the_villages(void **state)
{
    (void)state;
    pg_exec(pg, "DROP TABLE IF EXISTS villages_rt");
    pg_load(pg, SHAPES_DIR "/villages.geojson", "villages_rt");
    pg_load(pg, SHAPES_DIR "/villages.geojson", "villages_rt"); /* -overwrite */
    assert_int_equal(pg_scalar_int(pg, "SELECT count(*) FROM villages_rt"), 150);
    assert_int_equal(pg_scalar_int(pg, "SELECT Find_SRID('public', 'villages_rt', 'geom')"), 4326);
    long long fid;
    char *ref = ogrinfo_field("villages.geojson", "villages", "ma_ln='LN001'", "ten", &fid);
    assert_non_null(strstr(ref, "Bát Tràng")); /* shapes/README.md */
    char *ten = pg_scalar_text(pg, "SELECT ten FROM villages_rt WHERE ma_ln = 'LN001'");
    assert_int_equal(strlen(ten), strlen(ref));
    assert_memory_equal(ten, ref, strlen(ref));
    free(ten);
    free(ref);
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT ma_ln FROM villages_rt WHERE fid = %lld", fid);
    char *ma = pg_scalar_text(pg, sql);
    assert_string_equal(ma, "LN001");
    free(ma);
    /* Same points, bit for bit, as the fixture's own load. */
    assert_int_equal(pg_scalar_int(pg, "SELECT count(*) FROM villages v JOIN villages_rt r "
                                       "USING (fid) WHERE ST_AsBinary(v.geom) = "
                                       "ST_AsBinary(r.geom) AND v.ma_ln = r.ma_ln"),
                     150);
    pg_exec(pg, "DROP TABLE villages_rt");
}

/* A failing statement or a NULL scalar fails the calling test (not the
 * program with 77), showing the SQL, the server's reason and the caller's
 * line: checked on child copies of this program. */
static void bad_sql_fails_the_test_with_the_sql_and_the_reason(void **state)
{
    (void)state;
    run_result r = run("'%s' --bad-sql", self);
    if (r.status == 0 || !strstr(r.err, "SELEC 1") || !strstr(r.err, "syntax error"))
        fprintf(stderr, "child: status %d\nstdout:\n%s\nstderr:\n%s\n", r.status, r.out, r.err);
    assert_int_not_equal(r.status, 0);
    assert_int_not_equal(r.status, 77);
    assert_non_null(strstr(r.err, "  SQL: SELEC 1\n"));
    assert_non_null(strstr(r.err, "ERROR:  syntax error at or near \"SELEC\""));
    assert_non_null(strstr(r.err, "test_postgis_fixture.c:")); /* the caller's line */
    run_free(&r);

    r = run("'%s' --null", self);
    assert_int_not_equal(r.status, 0);
    assert_non_null(strstr(r.err, "returned NULL where a value was expected"));
    run_free(&r);
}

/* --bad-sql mode: a statement PostgreSQL rejects (must fail). */
static void child_runs_bad_sql(void **state)
{
    (void)state;
    pg_exec(pg, "SELEC 1");
}

/* --null mode: a scalar that is NULL (must fail). */
static void child_reads_null(void **state)
{
    (void)state;
    pg_scalar_double(pg, "SELECT NULL::float8");
}

/* Connect (or skip the program), then run the tests, or one child mode
 * (--bad-sql, --null) for bad_sql_fails_the_test_with_the_sql_and_the_reason. */
int main(int argc, char **argv)
{
    self = argv[0];
    pg = pg_connect_or_skip();
    int failed;
    if (argc == 2 && strcmp(argv[1], "--bad-sql") == 0) {
        const struct CMUnitTest child[] = {cmocka_unit_test(child_runs_bad_sql)};
        failed = cmocka_run_group_tests_name("bad sql", child, NULL, NULL);
    } else if (argc == 2 && strcmp(argv[1], "--null") == 0) {
        const struct CMUnitTest child[] = {cmocka_unit_test(child_reads_null)};
        failed = cmocka_run_group_tests_name("null", child, NULL, NULL);
    } else {
        reset_work_dir();
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(the_sample_layers_have_their_designed_counts),
            cmocka_unit_test(the_layers_keep_their_native_crs),
            cmocka_unit_test(postgis_shifts_vn2000_as_proj_does),
            cmocka_unit_test(only_the_bow_tie_cluster_is_invalid),
            cmocka_unit_test(pg_load_round_trips_the_villages),
            cmocka_unit_test(bad_sql_fails_the_test_with_the_sql_and_the_reason),
        };
        failed = cmocka_run_group_tests_name("postgis fixture", tests, NULL, NULL);
    }
    pg_disconnect(pg);
    return failed;
}
