/*
 * test_shapes.c -- the committed sample layers are what the generator makes,
 * and carry the data problems shapes/README.md documents.
 *
 * Reproducibility: shapes/gen/make_shapes is run into a scratch folder and
 * GDAL's full dump of every layer (`ogrinfo -al`, every attribute and every
 * coordinate) must be identical to the dump of the committed file.
 * Designed problems: checked with SpatiaLite SQL through ogrinfo's SQLite
 * dialect, independently of ccgis.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static const char *const files[] = {"districts.gpkg", "clusters.shp", "villages.geojson",
                                    "landuse.gpkg"};

static void regenerated_layers_equal_the_committed_ones(void **state)
{
    (void)state;
    run_result r = run("mkdir -p %s/gen && %s %s/gen", WORK_DIR, MAKE_SHAPES, WORK_DIR);
    if (r.status != 0)
        fprintf(stderr, "make_shapes: %s\n", r.err);
    assert_int_equal(r.status, 0);
    run_free(&r);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        run_result a = run("cd %s && ogrinfo -ro -al -q %s", SHAPES_DIR, files[i]);
        run_result b = run("cd %s/gen && ogrinfo -ro -al -q %s", WORK_DIR, files[i]);
        assert_int_equal(a.status, 0);
        assert_int_equal(b.status, 0);
        assert_true(strlen(a.out) > 1000);
        if (strcmp(a.out, b.out) != 0)
            fprintf(stderr, "%s differs from what make_shapes writes now: regenerate it "
                            "(cmake --build build --target shapes) and commit both\n",
                    files[i]);
        assert_string_equal(a.out, b.out);
        run_free(&a);
        run_free(&b);
    }
}

static void exactly_one_pair_of_clusters_overlaps(void **state)
{
    (void)state;
    /* CCN21 is the invalid bow-tie: GEOS cannot intersect it reliably. */
    run_result r = run("ogrinfo -ro -q -dialect sqlite -sql \"SELECT a.ma_ccn AS a, b.ma_ccn AS b "
                       "FROM clusters a, clusters b WHERE a.ma_ccn < b.ma_ccn AND "
                       "a.ma_ccn <> 'CCN21' AND b.ma_ccn <> 'CCN21' AND "
                       "ST_Area(ST_Intersection(a.geometry, b.geometry)) > 0\" %s/clusters.shp",
                       SHAPES_DIR);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "a (String) = CCN07"));
    assert_non_null(strstr(r.out, "b (String) = CCN08"));
    assert_null(strstr(strstr(r.out, "CCN08") + 1, "a (String)")); /* one row only */
    run_free(&r);
}

int main(void)
{
    reset_work_dir();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(regenerated_layers_equal_the_committed_ones),
        cmocka_unit_test(exactly_one_pair_of_clusters_overlaps),
    };
    return cmocka_run_group_tests_name("shapes", tests, NULL, NULL);
}
