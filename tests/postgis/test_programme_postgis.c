/*
 * test_programme_postgis.c -- the programme figures of the sample job
 * (samples/hanoi.ini: [plan], [wastewater], the programme fields) against
 * PostGIS on the same sample layers.
 *
 * ccgis runs the sample job; its GeoPackage is loaded next to the sample
 * layers as stored (fixture: tests/postgis/README.md), with the plan and
 * plant layers loaded here.  PostGIS then decides, with ST_MakeValid,
 * ST_Transform to 4326 and ::geography (GeographicLib):
 *   RELOCATION_GAP  the villages with no cluster of today's or the planned
 *                   layer within 2,000 m (ST_DWithin): identical set;
 *   WWTP_MISSING    the operating clusters ('đang hoạt động') with no plant
 *                   'đạt' within 200 m (ST_DWithin): identical set;
 *   plan_changes    for each group, the union areas of its today and
 *                   planned clusters and the land gained and lost
 *                   (ST_Union, ST_Difference): 1e-6 relative of the group's
 *                   larger area, or 0.01 m²;
 *   plan_conflicts  each planned cluster's area on zones not SKN/SKC/SKK
 *                   (ST_Intersection with the union of those zones; the
 *                   sample zoning has no overlaps, so no mixed part): 1e-5
 *                   of the cluster's area -- ccgis scales a cluster's parts
 *                   to add up to its area where pieces cut in the lon/lat
 *                   plane and measured on the ellipsoid exceed it (README,
 *                   "How areas are split"; about 1e-5 at most), PostGIS's
 *                   single intersection is not scaled -- and the same list
 *                   of clusters above the tolerance max(1e-4 x area, 1 m²).
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
#include "pg.h"

static pg_conn *pg;

#define SAMPLES SHAPES_DIR "/../samples"

static int setup(void **state)
{
    (void)state;
    reset_work_dir();
    run_result r = run("sed -e 's|^output .*|output = %s/out|' -e 's|\\.\\./shapes/|%s/|' "
                       "%s/hanoi.ini > %s/job.ini && %s run -q %s/job.ini",
                       WORK_DIR, SHAPES_DIR, SAMPLES, WORK_DIR, CCGIS_BIN, WORK_DIR);
    if (r.status != 0)
        fprintf(stderr, "%s", r.err);
    int ok = r.status == 0;
    run_free(&r);
    if (!ok)
        return -1;
    pg_load_layer(pg, WORK_DIR "/out/out.gpkg", "findings", "findings");
    pg_load_layer(pg, WORK_DIR "/out/out.gpkg", "plan_changes", "p_changes");
    pg_load(pg, SHAPES_DIR "/clusters_2030.gpkg", "plan2030");
    pg_load(pg, SHAPES_DIR "/wastewater.geojson", "plants");
    pg_exec(pg, "CREATE TEMP TABLE nowv AS SELECT ma_ccn, trang_thai, "
                "ST_Transform(ST_CollectionExtract(ST_MakeValid(geom), 3), 4326) AS g "
                "FROM clusters; "
                "CREATE TEMP TABLE planv AS SELECT ma_ccn, "
                "ST_Transform(ST_CollectionExtract(ST_MakeValid(geom), 3), 4326) AS g "
                "FROM plan2030; "
                "CREATE TEMP TABLE vv AS SELECT ma_ln, ST_Transform(geom, 4326) AS g FROM villages; "
                "CREATE TEMP TABLE pv AS SELECT ma_xlnt, dat_qc, ST_Transform(geom, 4326) AS g "
                "FROM plants");
    return 0;
}

/* The sorted, comma-joined ids a query returns in its one column. */
static char *id_list(const char *sql)
{
    char q[2048];
    snprintf(q, sizeof q, "SELECT COALESCE(string_agg(id, ',' ORDER BY id), '') FROM (%s) s(id)",
             sql);
    return pg_scalar_text(pg, q);
}

static void relocation_gaps_match_st_dwithin(void **state)
{
    (void)state;
    char *got = id_list("SELECT subject FROM findings WHERE kind = 'RELOCATION_GAP'");
    char *want = id_list("SELECT ma_ln FROM vv WHERE NOT EXISTS (SELECT 1 FROM nowv c WHERE "
                         "ST_DWithin(vv.g::geography, c.g::geography, 2000)) AND NOT EXISTS "
                         "(SELECT 1 FROM planv p WHERE ST_DWithin(vv.g::geography, "
                         "p.g::geography, 2000))");
    fprintf(stderr, "    RELOCATION_GAP ccgis %.60s...\n                   PostGIS %.60s...\n", got,
            want);
    assert_true(strlen(want) > 0);
    assert_string_equal(got, want);
    free(got);
    free(want);
}

static void wwtp_missing_matches_st_dwithin(void **state)
{
    (void)state;
    char *got = id_list("SELECT subject FROM findings WHERE kind = 'WWTP_MISSING'");
    char *want = id_list("SELECT ma_ccn FROM nowv c WHERE c.trang_thai = 'đang hoạt động' AND "
                         "NOT EXISTS (SELECT 1 FROM pv WHERE pv.dat_qc = 'đạt' AND "
                         "ST_DWithin(pv.g::geography, c.g::geography, 200))");
    fprintf(stderr, "    WWTP_MISSING ccgis %s\n                 PostGIS %s\n", got, want);
    assert_true(strlen(want) > 0);
    assert_string_equal(got, want);
    free(got);
    free(want);
}

static void plan_change_areas_match_st_union(void **state)
{
    (void)state;
    pg_rows *rows = pg_query(
        pg, "WITH g AS (SELECT fid, change, "
            " COALESCE(area_ha, 0) AS a, COALESCE(plan_area_ha, 0) AS p, COALESCE(gained_ha, 0) AS "
            " gn, COALESCE(lost_ha, 0) AS ls, "
            " (SELECT ST_Union(g) FROM nowv WHERE ma_ccn = ANY(string_to_array(replace("
            "   COALESCE(cluster_id, ''), ' ', ''), ','))) AS un, "
            " (SELECT ST_Union(g) FROM planv WHERE ma_ccn = ANY(string_to_array(replace("
            "   COALESCE(plan_id, ''), ' ', ''), ','))) AS up FROM p_changes) "
            "SELECT change, a * 1e4, p * 1e4, gn * 1e4, ls * 1e4, "
            " COALESCE(ST_Area(un::geography), 0), COALESCE(ST_Area(up::geography), 0), "
            " CASE WHEN up IS NULL THEN 0 WHEN un IS NULL THEN ST_Area(up::geography) "
            "  ELSE ST_Area(ST_Difference(up, un)::geography) END, "
            " CASE WHEN un IS NULL THEN 0 WHEN up IS NULL THEN ST_Area(un::geography) "
            "  ELSE ST_Area(ST_Difference(un, up)::geography) END FROM g ORDER BY fid");
    assert_true(rows->nrows >= 8);
    double worst = 0;
    for (int i = 0; i < rows->nrows; i++) {
        double v[8];
        for (int k = 0; k < 8; k++)
            v[k] = strtod(pg_cell(rows, i, k + 1), NULL);
        double scale = fmax(v[4], v[5]);
        for (int k = 0; k < 4; k++) {
            double d = fabs(v[k] - v[k + 4]);
            if (d > worst * scale)
                worst = scale > 0 ? d / scale : d;
            if (d > fmax(1e-6 * scale, 0.01))
                fail_msg("group %d (%s): ccgis %.4f m², PostGIS %.4f m² (figure %d)", i,
                         pg_cell(rows, i, 0), v[k], v[k + 4], k);
        }
    }
    fprintf(stderr, "    plan_changes: %d groups, worst relative difference %.1e\n", rows->nrows,
            worst);
    pg_rows_free(rows);
}

static void plan_conflicts_match_st_intersection(void **state)
{
    (void)state;
    json_error_t e;
    json_t *doc = json_load_file(WORK_DIR "/out/summary.json", 0, &e);
    assert_non_null(doc);
    json_t *rows = json_object_get(json_object_get(doc, "programme"), "plan_conflicts");
    assert_true(json_array_size(rows) > 0);
    pg_exec(pg, "CREATE TEMP TABLE zc AS SELECT ST_Union(ST_Transform(ST_CollectionExtract("
                "ST_MakeValid(geom), 3), 4326)) AS g FROM landuse WHERE loai_dat NOT IN "
                "('SKN', 'SKC', 'SKK'); "
                "CREATE TEMP TABLE pc AS SELECT p.ma_ccn, ST_Area(p.g::geography) AS a, "
                "COALESCE(ST_Area(ST_Intersection(p.g, zc.g)::geography), 0) AS c FROM planv p, zc");
    char *want = id_list("SELECT ma_ccn FROM pc WHERE c > greatest(1e-4 * a, 1)");
    char got[4096] = "";
    /* summary.json lists them in the plan layer's order; compare as sets. */
    size_t k;
    json_t *row;
    double worst = 0;
    char sql[512];
    json_array_foreach(rows, k, row) {
        const char *id = json_string_value(json_object_get(row, "plan_id"));
        double c = json_real_value(json_object_get(row, "confl_ha")) * 1e4;
        snprintf(sql, sizeof sql, "SELECT c FROM pc WHERE ma_ccn = '%s'", id);
        double ref = pg_scalar_double(pg, sql);
        snprintf(sql, sizeof sql, "SELECT a FROM pc WHERE ma_ccn = '%s'", id);
        double area = pg_scalar_double(pg, sql);
        if (fabs(c - ref) / area > worst)
            worst = fabs(c - ref) / area;
        if (fabs(c - ref) > 1e-5 * area)
            fail_msg("%s: ccgis %.4f m², PostGIS %.4f m²", id, c, ref);
        strncat(got, k ? "," : "", sizeof got - strlen(got) - 1);
        strncat(got, id, sizeof got - strlen(got) - 1);
    }
    char q[sizeof got + 128];
    snprintf(q, sizeof q,
             "SELECT string_agg(x, ',' ORDER BY x) FROM unnest(string_to_array('%s', ',')) x", got);
    char *sorted = pg_scalar_text(pg, q);
    fprintf(stderr, "    plan_conflicts: %zu clusters, worst difference %.1e of the area\n",
            json_array_size(rows), worst);
    assert_string_equal(sorted, want);
    free(sorted);
    free(want);
    json_decref(doc);
}

int main(void)
{
    pg = pg_connect_or_skip();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(relocation_gaps_match_st_dwithin),
        cmocka_unit_test(wwtp_missing_matches_st_dwithin),
        cmocka_unit_test(plan_change_areas_match_st_union),
        cmocka_unit_test(plan_conflicts_match_st_intersection),
    };
    int rc = cmocka_run_group_tests(tests, setup, NULL);
    pg_disconnect(pg);
    return rc;
}
