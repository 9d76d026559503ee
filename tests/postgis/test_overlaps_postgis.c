/*
 * test_overlaps_postgis.c -- the library functions of ccgis/overlaps.h,
 * called directly from C, against PostGIS on the sample layers.
 *
 * The layers are loaded with ccgis_layer_load() (repaired with GEOS
 * MakeValid, transformed to WGS 84 by PROJ) and measured with
 * ccgis_union_area() and ccgis_self_overlaps().  PostGIS is given the same
 * layers as stored (fixture: tests/postgis/README.md) and does the same
 * steps: ST_MakeValid, ST_CollectionExtract(..., 3), ST_Transform(..., 4326),
 * then ST_Union (GEOS) and ST_Area(::geography) (GeographicLib).
 *
 * Tolerances:
 *   sum of areas, area of the union     1e-9 relative
 *   overlap areas                       1e-9 relative
 *   counts of overlapping pairs         identical
 * Both sides run the same GEOS union on the same lon/lat vertices (PROJ on
 * both sides: the positions agree to far better than 1 mm,
 * test_engine_postgis.c), and measure with the same algorithm (Karney's);
 * what is left is round-off, observed below 1e-12 relative.
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

#include "ccgis/ccgis.h"
#include "harness.h"
#include "pg.h"

static pg_conn *pg;

/* What every test uses: a context and the two sample polygon layers. */
typedef struct fixture {
    ccgis_ctx *ctx;
    ccgis_layer *clusters;  /* shapes/clusters.shp: CCN07 and CCN08 overlap */
    ccgis_layer *districts; /* shapes/districts.gpkg: they only touch */
} fixture;

/* The layers as PostGIS sees them once repaired, in WGS 84. */
static const char ref_sql[] =
    "CREATE TEMP TABLE cv AS SELECT ma_ccn, "
    "ST_Transform(ST_CollectionExtract(ST_MakeValid(geom), 3), 4326) AS g FROM clusters; "
    "CREATE TEMP TABLE dv AS SELECT ten, "
    "ST_Transform(ST_CollectionExtract(ST_MakeValid(geom), 3), 4326) AS g FROM districts";

static int setup(void **state)
{
    static fixture fx;
    fx.ctx = ccgis_ctx_new();
    if (!fx.ctx)
        return -1;
    ccgis_layer_spec c = {.source = SHAPES_DIR "/clusters.shp", .id_field = "ma_ccn",
                          .role = CCGIS_ROLE_POLYGONS, .what = "clusters"};
    ccgis_layer_spec d = {.source = SHAPES_DIR "/districts.gpkg", .id_field = "ten",
                          .role = CCGIS_ROLE_POLYGONS, .what = "districts"};
    if (ccgis_layer_load(fx.ctx, &c, NULL, &fx.clusters) != CCGIS_OK ||
        ccgis_layer_load(fx.ctx, &d, NULL, &fx.districts) != CCGIS_OK) {
        fprintf(stderr, "loading the sample layers: %s\n", ccgis_errmsg(fx.ctx));
        return -1;
    }
    pg_exec(pg, ref_sql);
    *state = &fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    fx->clusters = ccgis_layer_free(fx->ctx, fx->clusters);
    fx->districts = ccgis_layer_free(fx->ctx, fx->districts);
    fx->ctx = ccgis_ctx_free(fx->ctx);
    return 0;
}

/* |got - want| / want, printed with what it is; want > 0. */
static double rel_diff(const char *what, double got, double want)
{
    double rel = fabs(got - want) / want;
    fprintf(stderr, "    %-34s ccgis %.6f m2, PostGIS %.6f m2, rel. diff %.1e\n", what, got, want,
            rel);
    return rel;
}

/* Clusters: the sum counts CCN07 x CCN08 twice, the union once. */
static void union_area_of_clusters_matches_st_union(void **state)
{
    fixture *fx = *state;
    double sum = -1, uni = -1;
    assert_int_equal(ccgis_union_area(fx->ctx, fx->clusters, NULL, NULL, &sum, &uni), CCGIS_OK);
    double ref_sum = pg_scalar_double(pg, "SELECT SUM(ST_Area(g::geography)) FROM cv");
    double ref_uni = pg_scalar_double(pg, "SELECT ST_Area(ST_Union(g)::geography) FROM cv");
    double ref_ovl = pg_scalar_double(pg, "SELECT ST_Area(ST_Intersection(a.g, b.g)::geography) "
                                          "FROM cv a, cv b WHERE a.ma_ccn = 'CCN07' AND "
                                          "b.ma_ccn = 'CCN08'");
    assert_true(rel_diff("clusters: sum of areas", sum, ref_sum) <= 1e-9);
    assert_true(rel_diff("clusters: area of the union", uni, ref_uni) <= 1e-9);
    /* One overlapping pair: the difference is that overlap (inclusion-exclusion)
     * up to the splitting of edges where the two boundaries cross
     * (overlaps.h), which PostGIS does the same way: the same difference to
     * 1e-9 of the sum, and the overlap within 1e-5 of it. */
    fprintf(stderr, "    %-34s ccgis %.6f m2, PostGIS %.6f m2, overlap %.6f m2\n",
            "clusters: sum - union", sum - uni, ref_sum - ref_uni, ref_ovl);
    assert_true(fabs((sum - uni) - (ref_sum - ref_uni)) <= 1e-9 * ref_sum);
    assert_true(fabs((sum - uni) - ref_ovl) <= 1e-5 * ref_ovl);
    assert_true(uni < sum);
    /* Outputs may be NULL. */
    double only_sum = -1;
    assert_int_equal(ccgis_union_area(fx->ctx, fx->clusters, NULL, NULL, &only_sum, NULL),
                     CCGIS_OK);
    assert_true(only_sum == sum);
    assert_int_equal(ccgis_union_area(fx->ctx, fx->clusters, NULL, NULL, NULL, NULL), CCGIS_OK);
}

/* Districts share edges but no area: no union is computed and the union is
 * the sum exactly; PostGIS's union (which it does compute) agrees. */
static void union_area_of_touching_districts_is_the_sum(void **state)
{
    fixture *fx = *state;
    double sum = -1, uni = -1;
    assert_int_equal(ccgis_union_area(fx->ctx, fx->districts, NULL, NULL, &sum, &uni), CCGIS_OK);
    assert_true(uni == sum);
    double ref_sum = pg_scalar_double(pg, "SELECT SUM(ST_Area(g::geography)) FROM dv");
    double ref_uni = pg_scalar_double(pg, "SELECT ST_Area(ST_Union(g)::geography) FROM dv");
    assert_true(rel_diff("districts: sum of areas", sum, ref_sum) <= 1e-9);
    assert_true(rel_diff("districts: area of the union", uni, ref_uni) <= 1e-9);
}

/* ccgis_self_overlaps: the options choose the kind and the threshold; what
 * the threshold leaves out is counted with PostGIS's area. */
static void self_overlaps_options_and_summary(void **state)
{
    fixture *fx = *state;
    double ref_ovl = pg_scalar_double(pg, "SELECT ST_Area(ST_Intersection(a.g, b.g)::geography) "
                                          "FROM cv a, cv b WHERE a.ma_ccn = 'CCN07' AND "
                                          "b.ma_ccn = 'CCN08'");
    assert_int_equal(pg_scalar_int(pg, "SELECT count(*) FROM cv a JOIN cv b ON a.ma_ccn < "
                                       "b.ma_ccn AND ST_Intersects(a.g, b.g) WHERE "
                                       "ST_Area(ST_Intersection(a.g, b.g)::geography) > 0"),
                     1);

    /* NULL options: every overlap, as OVERLAP. */
    ccgis_findings f = CCGIS_FINDINGS_INIT;
    ccgis_overlaps_summary s = {9, 9, 9.0};
    assert_int_equal(ccgis_self_overlaps(fx->ctx, fx->clusters, NULL, NULL, NULL, &f, &s),
                     CCGIS_OK);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.items[0].kind, CCGIS_OVERLAP);
    assert_string_equal(f.items[0].layer, "clusters");
    assert_string_equal(f.items[0].subject, "CCN07");
    assert_string_equal(f.items[0].other, "CCN08");
    assert_non_null(f.items[0].geom);
    assert_true(rel_diff("CCN07 x CCN08 overlap", f.items[0].area_m2, ref_ovl) <= 1e-9);
    assert_int_equal(s.n_listed, 1);
    assert_int_equal(s.n_small, 0);
    assert_true(s.small_m2 == 0);
    ccgis_findings_clear(&f);

    /* The job's kind. */
    ccgis_overlaps_options o = {CCGIS_CLUSTER_OVERLAP, 0};
    assert_int_equal(ccgis_self_overlaps(fx->ctx, fx->clusters, &o, NULL, NULL, &f, &s), CCGIS_OK);
    assert_int_equal(ccgis_findings_count(&f, CCGIS_CLUSTER_OVERLAP), 1);
    assert_int_equal(ccgis_findings_count(&f, CCGIS_OVERLAP), 0);
    ccgis_findings_clear(&f);

    /* A threshold above the overlap: counted, not listed. */
    o = (ccgis_overlaps_options){CCGIS_OVERLAP, ref_ovl * 1.001};
    assert_int_equal(ccgis_self_overlaps(fx->ctx, fx->clusters, &o, NULL, NULL, &f, &s), CCGIS_OK);
    assert_int_equal(f.n, 0);
    assert_int_equal(s.n_listed, 0);
    assert_int_equal(s.n_small, 1);
    assert_true(rel_diff("CCN07 x CCN08, left out", s.small_m2, ref_ovl) <= 1e-9);

    /* No list: counted only. */
    o.min_area_m2 = 0;
    assert_int_equal(ccgis_self_overlaps(fx->ctx, fx->clusters, &o, NULL, NULL, NULL, &s),
                     CCGIS_OK);
    assert_int_equal(s.n_listed, 1);

    /* Bad options: refused, summary zeroed, nothing appended. */
    o.min_area_m2 = -1;
    assert_int_equal(ccgis_self_overlaps(fx->ctx, fx->clusters, &o, NULL, NULL, &f, &s),
                     CCGIS_ERR_USAGE);
    assert_non_null(strstr(ccgis_errmsg(fx->ctx), "0 m² or more"));
    assert_int_equal(s.n_listed + s.n_small, 0);
    o = (ccgis_overlaps_options){CCGIS_FINDING_KINDS, 0};
    assert_int_equal(ccgis_self_overlaps(fx->ctx, fx->clusters, &o, NULL, NULL, &f, &s),
                     CCGIS_ERR_USAGE);
    assert_int_equal(f.n, 0);
    ccgis_clear_error(fx->ctx);
}

int main(void)
{
    reset_work_dir();
    pg = pg_connect_or_skip();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(union_area_of_clusters_matches_st_union),
        cmocka_unit_test(union_area_of_touching_districts_is_the_sum),
        cmocka_unit_test(self_overlaps_options_and_summary),
    };
    int rc = cmocka_run_group_tests_name("overlaps.h vs PostGIS", tests, setup, teardown);
    pg_disconnect(pg);
    return rc;
}
