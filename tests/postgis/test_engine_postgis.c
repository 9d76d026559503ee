/*
 * test_engine_postgis.c -- every figure of the engine's commands against the
 * PostGIS query for it, on the sample layers.
 *
 * ccgis runs on shapes/ and writes GeoPackages (full double precision); the
 * outputs are loaded into the throwaway PostGIS server next to the sample
 * layers as stored (fixture: tests/postgis/README.md), and SQL compares.
 * PostGIS is the reference: it repairs with ST_MakeValid (same GEOS
 * algorithm), reprojects with ST_Transform (PROJ), intersects in lon/lat
 * (GEOS) and measures on the ellipsoid with ::geography (GeographicLib).
 *
 * Tolerances (issue: "equal to PostGIS"):
 *   positions      1 mm
 *   areas          1e-6 relative, or 0.01 m² (allowed / conflict parts: 1e-6 of
 *                  their cluster's area -- they are unions measured once, see
 *                  REF_SUMS_SQL)
 *   distances      1e-6 relative, or 1 mm
 *   assignments, within-radius counts, pair lists: identical
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

static pg_conn *pg;

/* The clusters as PostGIS sees them once repaired, in WGS 84. */
static const char cv_sql[] =
    "CREATE TEMP TABLE cv AS SELECT ma_ccn, "
    "ST_Transform(ST_CollectionExtract(ST_MakeValid(geom), 3), 4326) AS g, "
    "ST_CollectionExtract(ST_MakeValid(geom), 3) AS g_src FROM clusters";

/* Run ccgis and require success. */
static void ccgis(const char *args)
{
    run_result r = run("%s %s", CCGIS_BIN, args);
    if (r.status != 0)
        fprintf(stderr, "ccgis %s\n%s", args, r.err);
    assert_int_equal(r.status, 0);
    run_free(&r);
}

/* Run ccgis with `args` followed by WORK_DIR/name.gpkg, and load that file
 * into table `name`. */
static void ccgis_to_table(const char *name, const char *args_then_path)
{
    char args[2048], path[1024];
    snprintf(path, sizeof path, "%s/%s.gpkg", WORK_DIR, name);
    snprintf(args, sizeof args, "%s %s", args_then_path, path);
    ccgis(args);
    pg_load(pg, path, name);
}

/* A number from SQL, printed with what it is. */
static double number(const char *what, const char *sql)
{
    double v = pg_scalar_double(pg, sql);
    fprintf(stderr, "    %-58s %.3g\n", what, v);
    return v;
}

static int setup_all(void **state)
{
    (void)state;
    pg_exec(pg, cv_sql);
    return 0;
}

static void vn2000_positions_match_st_transform_to_1mm(void **state)
{
    (void)state;
    ccgis_to_table("t_area", "area " SHAPES_DIR "/clusters.shp --id ma_ccn --plan-crs EPSG:5897 "
                             "-o");
    /* Same vertices, same order: compare them pairwise on the ellipsoid. */
    assert_int_equal(pg_scalar_int(pg, "SELECT count(*) FROM (SELECT (ST_DumpPoints(geom)).* "
                                       "FROM t_area) a"),
                     pg_scalar_int(pg, "SELECT count(*) FROM (SELECT (ST_DumpPoints(g)).* "
                                       "FROM cv) b"));
    double d = number("max vertex distance ccgis vs ST_Transform, m",
                      "SELECT max(ST_Distance(a.geom::geography, b.geom::geography)) FROM "
                      "(SELECT ma_ccn, (ST_DumpPoints(geom)).* FROM t_area) a JOIN "
                      "(SELECT ma_ccn, (ST_DumpPoints(g)).* FROM cv) b USING (ma_ccn, path)");
    assert_true(d <= 0.001);
}

static void areas_match_st_area_geography(void **state)
{
    (void)state;
    assert_int_equal(pg_scalar_int(pg, "SELECT count(*) FROM t_area"), 30);
    double rel = number("max |area_m2 - ST_Area(geog)| / ST_Area(geog)",
                        "SELECT max(abs(a.area_m2 - ST_Area(c.g::geography)) / "
                        "ST_Area(c.g::geography)) FROM t_area a JOIN cv c USING (ma_ccn)");
    assert_true(rel <= 1e-6);
    double ha = number("max |area_ha - area_m2/1e4|",
                       "SELECT max(abs(area_ha - area_m2 / 1e4)) FROM t_area");
    assert_true(ha <= 1e-9);
    double plan = number("max |plan_ha - ST_Area(ST_Transform(g,5897))/1e4| / ...",
                         "SELECT max(abs(a.plan_ha * 1e4 - ST_Area(ST_Transform(c.g_src, 5897)))"
                         " / ST_Area(ST_Transform(c.g_src, 5897))) FROM t_area a JOIN cv c "
                         "USING (ma_ccn)");
    assert_true(plan <= 1e-6);
}

/* PostGIS's pieces: cluster x class, summed over zones. */
static const char pieces_sql[] =
    "CREATE TEMP TABLE ref_pieces AS SELECT c.ma_ccn, z.loai_dat, "
    "sum(ST_Area(ST_Intersection(c.g, ST_Transform(z.geom, 4326))::geography)) AS a "
    "FROM cv c JOIN landuse z ON ST_Intersects(c.g, ST_Transform(z.geom, 4326)) "
    "GROUP BY 1, 2 HAVING sum(ST_Area(ST_Intersection(c.g, ST_Transform(z.geom, "
    "4326))::geography)) > 0";

/* PostGIS's allowed and other sums per cluster, scaled as ccgis's partition
 * scales them (src/partition.c, noise()): pieces cut in the lon/lat plane
 * and measured on the ellipsoid add up to their cluster's area only within
 * about 1e-5, and when they add up to more, ccgis scales them by
 * area / sum so that the four parts add up to the area exactly. */
#define REF_SUMS_SQL                                                                              \
    "(SELECT ma_ccn, al * k AS al, co * k AS co FROM (SELECT p.ma_ccn, sum(a) FILTER (WHERE "    \
    "loai_dat IN ('SKN','SKC','SKK')) al, sum(a) FILTER (WHERE loai_dat NOT IN "                 \
    "('SKN','SKC','SKK')) co, least(1, max(ST_Area(c.g::geography)) / sum(a)) k FROM "           \
    "ref_pieces p JOIN cv c USING (ma_ccn) GROUP BY 1) q)"

static void overlay_pieces_match_st_intersection(void **state)
{
    (void)state;
    ccgis_to_table("t_pieces", "overlay " SHAPES_DIR "/clusters.shp " SHAPES_DIR
                               "/landuse.gpkg --id ma_ccn --class loai_dat --allowed SKN,SKC,SKK "
                               "-o " WORK_DIR "/t_overlay.gpkg -p");
    pg_load(pg, WORK_DIR "/t_overlay.gpkg", "t_overlay");
    pg_exec(pg, pieces_sql);
    long long n_ref = pg_scalar_int(pg, "SELECT count(*) FROM ref_pieces");
    assert_true(n_ref > 60);
    /* The same cluster x class pairs, no more, no fewer. */
    assert_int_equal(pg_scalar_int(pg, "SELECT count(*) FROM t_pieces p FULL JOIN ref_pieces r "
                                       "ON p.in_id = r.ma_ccn AND p.class = r.loai_dat "
                                       "WHERE p.in_id IS NULL OR r.ma_ccn IS NULL"),
                     0);
    assert_int_equal(pg_scalar_int(pg, "SELECT count(*) FROM t_pieces"), n_ref);
    double worst = number("max piece area excess over max(1e-6 rel, 0.01 m2)",
                          "SELECT max(abs(p.area_m2 - r.a) - greatest(1e-6 * r.a, 0.01)) "
                          "FROM t_pieces p JOIN ref_pieces r ON p.in_id = r.ma_ccn AND "
                          "p.class = r.loai_dat");
    assert_true(worst <= 0);
    /* The pieces' geometries cover the same ground as PostGIS's. */
    double geo = number("max piece geometry area excess over max(1e-6 rel, 0.01 m2)",
                        "SELECT max(abs(ST_Area(geom::geography) - area_m2) - "
                        "greatest(1e-6 * area_m2, 0.01)) FROM t_pieces");
    assert_true(geo <= 0);
    /* Per cluster: allowed and conflict totals, and the top conflict class. */
    double tot = number("max |allow/confl ha - PostGIS sums| / cluster area",
                        "SELECT max(greatest(abs(o.allow_ha * 1e4 - coalesce(s.al, 0)), "
                        "abs(o.confl_ha * 1e4 - coalesce(s.co, 0))) / (o.area_ha * 1e4)) FROM "
                        "t_overlay o LEFT JOIN " REF_SUMS_SQL " s USING (ma_ccn)");
    assert_true(tot <= 1e-6);
    assert_int_equal(pg_scalar_int(pg,
                                   "SELECT count(*) FROM t_overlay o LEFT JOIN (SELECT DISTINCT "
                                   "ON (ma_ccn) ma_ccn, loai_dat FROM ref_pieces WHERE loai_dat "
                                   "NOT IN ('SKN','SKC','SKK') ORDER BY ma_ccn, a DESC) t USING "
                                   "(ma_ccn) WHERE coalesce(t.loai_dat, '') <> o.confl_top"),
                     0);
    /* The five clusters with no industrial zone (shapes/README.md) are 100% in conflict. */
    assert_int_equal(pg_scalar_int(pg, "SELECT count(*) FROM t_overlay WHERE allow_ha = 0 AND "
                                       "confl_pct > 99.99"),
                     5);
}

static void assignment_matches_largest_share(void **state)
{
    (void)state;
    ccgis_to_table("t_assign", "assign " SHAPES_DIR "/clusters.shp " SHAPES_DIR
                               "/districts.gpkg --id ma_ccn --name ten -o");
    pg_exec(pg, "CREATE TEMP TABLE ref_shares AS SELECT c.ma_ccn, d.ten, "
                "sum(ST_Area(ST_Intersection(c.g, d.geom)::geography)) AS a FROM cv c "
                "JOIN districts d ON ST_Intersects(c.g, d.geom) GROUP BY 1, 2");
    assert_int_equal(pg_scalar_int(pg, "SELECT count(*) FROM t_assign a LEFT JOIN (SELECT "
                                       "DISTINCT ON (ma_ccn) ma_ccn, ten FROM ref_shares WHERE "
                                       "a >= 1 ORDER BY ma_ccn, a DESC, ten) r USING (ma_ccn) "
                                       "WHERE coalesce(r.ten, '') <> a.zone"),
                     0);
    assert_int_equal(pg_scalar_int(pg, "SELECT count(*) FROM t_assign a LEFT JOIN (SELECT "
                                       "ma_ccn, count(*) n FROM ref_shares WHERE a >= 1 GROUP "
                                       "BY 1) r USING (ma_ccn) WHERE coalesce(r.n, 0) <> "
                                       "a.n_zones"),
                     0);
    double pct = number("max |zone_pct - 100 * max share / ST_Area|",
                        "SELECT max(abs(a.zone_pct - 100 * r.a / ST_Area(c.g::geography))) FROM "
                        "t_assign a JOIN (SELECT DISTINCT ON (ma_ccn) ma_ccn, a FROM ref_shares "
                        "ORDER BY ma_ccn, a DESC, ten) r USING (ma_ccn) JOIN cv c USING "
                        "(ma_ccn)");
    assert_true(pct <= 1e-4); /* percent: 1e-6 relative of 100 */
    /* The designed straddler (shapes/README.md). */
    assert_int_equal(pg_scalar_int(pg, "SELECT n_zones FROM t_assign WHERE ma_ccn = 'CCN12'"), 2);
}

static void distances_and_radius_counts_match(void **state)
{
    (void)state;
    ccgis("near " SHAPES_DIR "/villages.geojson " SHAPES_DIR "/clusters.shp --id ma_ln "
          "--targets-id ma_ccn --radius 2000 -o " WORK_DIR "/t_near.gpkg -t " WORK_DIR
          "/t_near_targets.gpkg");
    pg_load(pg, WORK_DIR "/t_near.gpkg", "t_near");
    pg_load(pg, WORK_DIR "/t_near_targets.gpkg", "t_near_targets");
    pg_exec(pg, "CREATE TEMP TABLE ref_near AS SELECT DISTINCT ON (v.ma_ln) v.ma_ln, c.ma_ccn, "
                "ST_Distance(v.geom::geography, c.g::geography) AS d FROM villages v CROSS JOIN "
                "cv c ORDER BY v.ma_ln, 3, c.ma_ccn");
    assert_int_equal(pg_scalar_int(pg, "SELECT count(*) FROM t_near"), 150);
    double worst = number("max distance excess over max(1e-6 rel, 1 mm)",
                          "SELECT max(abs(n.near_m - r.d) - greatest(1e-6 * r.d, 0.001)) FROM "
                          "t_near n JOIN ref_near r USING (ma_ln)");
    assert_true(worst <= 0);
    /* Nearest cluster identical (a tie at equal distance may pick either). */
    assert_int_equal(pg_scalar_int(pg, "SELECT count(*) FROM t_near n JOIN ref_near r USING "
                                       "(ma_ln) WHERE n.near_id <> r.ma_ccn AND "
                                       "abs(n.near_m - r.d) > 0.001"),
                     0);
    assert_int_equal(pg_scalar_int(pg, "SELECT count(*) FROM t_near n JOIN ref_near r USING "
                                       "(ma_ln) WHERE n.within <> (r.d <= 2000)::int"),
                     0);
    /* Villages inside a cluster: distance 0 (shapes/README.md: three of them). */
    assert_int_equal(pg_scalar_int(pg, "SELECT count(*) FROM t_near WHERE near_m = 0"), 3);
    assert_int_equal(pg_scalar_int(pg, "SELECT count(*) FROM t_near_targets t LEFT JOIN "
                                       "(SELECT c.ma_ccn, count(v.ma_ln) n FROM cv c LEFT JOIN "
                                       "villages v ON ST_DWithin(v.geom::geography, "
                                       "c.g::geography, 2000) GROUP BY 1) r USING (ma_ccn) "
                                       "WHERE r.n <> t.n_within"),
                     0);
    assert_true(pg_scalar_int(pg, "SELECT sum(n_within) FROM t_near_targets") > 20);
}

static void cluster_overlaps_match(void **state)
{
    (void)state;
    ccgis_to_table("t_overlaps", "overlaps " SHAPES_DIR "/clusters.shp --id ma_ccn -o");
    pg_exec(pg, "CREATE TEMP TABLE ref_ovl AS SELECT a.ma_ccn AS s, b.ma_ccn AS o, "
                "ST_Area(ST_Intersection(a.g, b.g)::geography) AS a FROM cv a JOIN cv b ON "
                "a.ma_ccn < b.ma_ccn AND ST_Intersects(a.g, b.g) WHERE "
                "ST_Area(ST_Intersection(a.g, b.g)::geography) > 0");
    assert_int_equal(pg_scalar_int(pg, "SELECT count(*) FROM ref_ovl"), 1);
    assert_int_equal(pg_scalar_int(pg, "SELECT count(*) FROM t_overlaps f JOIN ref_ovl r ON "
                                       "f.subject = r.s AND f.other = r.o WHERE f.kind = "
                                       "'OVERLAP' AND abs(f.area_ha * 1e4 - r.a) <= "
                                       "greatest(1e-6 * r.a, 0.01)"),
                     1);
    assert_int_equal(
        pg_scalar_int(pg, "SELECT count(*) FROM t_overlaps WHERE kind = 'OVERLAP'"), 1);
    /* The repair of CCN21 is reported with the area PostGIS gives its repair. */
    assert_int_equal(pg_scalar_int(pg, "SELECT count(*) FROM t_overlaps f JOIN cv c ON "
                                       "f.subject = c.ma_ccn WHERE f.kind = "
                                       "'GEOMETRY_REPAIRED' AND f.subject = 'CCN21' AND "
                                       "abs(f.area_ha * 1e4 - ST_Area(c.g::geography)) <= 0.01"),
                     1);
}

/* The main job's figures: the same references, through `ccgis run`. */
static void job_figures_match(void **state)
{
    (void)state;
    run_result r = run("sed -e 's|\\.\\./shapes/|%s/|' -e 's|^output .*|output = %s/job|' "
                       "%s/../samples/hanoi.ini > %s/job.ini && rm -rf %s/job && %s run -q "
                       "%s/job.ini",
                       SHAPES_DIR, WORK_DIR, SHAPES_DIR, WORK_DIR, WORK_DIR, CCGIS_BIN,
                       WORK_DIR);
    if (r.status != 0)
        fprintf(stderr, "%s", r.err);
    assert_int_equal(r.status, 0);
    run_free(&r);
    pg_load_layer(pg, WORK_DIR "/job/job.gpkg", "clusters", "j_clusters");
    pg_load_layer(pg, WORK_DIR "/job/job.gpkg", "villages", "j_villages");
    pg_load_layer(pg, WORK_DIR "/job/job.gpkg", "districts", "j_districts");
    double area = number("job: max |area_ha - ST_Area(geog)/1e4| relative",
                         "SELECT max(abs(j.area_ha * 1e4 - ST_Area(c.g::geography)) / "
                         "ST_Area(c.g::geography)) FROM j_clusters j JOIN cv c USING (ma_ccn)");
    assert_true(area <= 1e-6);
    double plan = number("job: max |plan_ha - ST_Area(ST_Transform(g, 5897))/1e4| relative",
                         "SELECT max(abs(j.plan_ha * 1e4 - ST_Area(ST_Transform(c.g_src, 5897)))"
                         " / ST_Area(ST_Transform(c.g_src, 5897))) FROM j_clusters j JOIN cv c "
                         "USING (ma_ccn)");
    assert_true(plan <= 1e-6);
    assert_int_equal(pg_scalar_int(pg, "SELECT count(*) FROM j_clusters j LEFT JOIN (SELECT "
                                       "DISTINCT ON (ma_ccn) ma_ccn, ten FROM ref_shares WHERE "
                                       "a >= 1 ORDER BY ma_ccn, a DESC, ten) r USING (ma_ccn) "
                                       "WHERE coalesce(r.ten, '') <> j.district"),
                     0);
    double confl = number("job: max |allow/confl ha - PostGIS sums| / cluster area",
                          "SELECT max(greatest(abs(j.allow_ha * 1e4 - coalesce(s.al, 0)), "
                          "abs(j.confl_ha * 1e4 - coalesce(s.co, 0))) / (j.area_ha * 1e4)) "
                          "FROM j_clusters j LEFT JOIN " REF_SUMS_SQL " s USING (ma_ccn)");
    assert_true(confl <= 1e-6);
    assert_int_equal(pg_scalar_int(pg, "SELECT count(*) FROM j_clusters j JOIN (SELECT "
                                       "c.ma_ccn, count(v.ma_ln) n FROM cv c LEFT JOIN villages "
                                       "v ON ST_DWithin(v.geom::geography, c.g::geography, "
                                       "2000) GROUP BY 1) r USING (ma_ccn) WHERE r.n <> "
                                       "j.vill_near"),
                     0);
    double dist = number("job: max village distance excess over max(1e-6 rel, 1 mm)",
                         "SELECT max(abs(v.near_m - r.d) - greatest(1e-6 * r.d, 0.001)) FROM "
                         "j_villages v JOIN ref_near r USING (ma_ln)");
    assert_true(dist <= 0);
    assert_int_equal(pg_scalar_int(pg, "SELECT count(*) FROM j_districts j JOIN (SELECT d.ten, "
                                       "count(v.ma_ln) n FROM districts d LEFT JOIN villages v "
                                       "ON ST_Intersects(v.geom, d.geom) GROUP BY 1) r USING "
                                       "(ten) WHERE r.n <> j.n_villages"),
                     0);
    assert_int_equal(pg_scalar_int(pg, "SELECT sum(n_clusters) FROM j_districts"), 30);
}

int main(void)
{
    reset_work_dir();
    pg = pg_connect_or_skip();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vn2000_positions_match_st_transform_to_1mm),
        cmocka_unit_test(areas_match_st_area_geography),
        cmocka_unit_test(overlay_pieces_match_st_intersection),
        cmocka_unit_test(assignment_matches_largest_share),
        cmocka_unit_test(distances_and_radius_counts_match),
        cmocka_unit_test(cluster_overlaps_match),
        cmocka_unit_test(job_figures_match),
    };
    int rc = cmocka_run_group_tests_name("engine vs PostGIS", tests, setup_all, NULL);
    pg_disconnect(pg);
    return rc;
}
