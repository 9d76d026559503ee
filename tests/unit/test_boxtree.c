/*
 * test_boxtree.c -- the packed box tree of boxtree.c, against brute force.
 *
 * A walk must hand out every item exactly once, in order of non-decreasing
 * bound, each with the bound of its own box; cut short where the near search
 * stops, it must still have handed out every item whose bound is below the
 * stopping point.  The leaves must hold every item once, inside their box.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "internal.h"

/* Distance from a point to a box, 0 inside: a bound that never grows with
 * the box, as the walk requires. */
static double box_distance(const double b[4], void *arg)
{
    const double *p = arg;
    double dx = p[0] < b[0] ? b[0] - p[0] : p[0] > b[2] ? p[0] - b[2] : 0;
    double dy = p[1] < b[1] ? b[1] - p[1] : p[1] > b[3] ? p[1] - b[3] : 0;
    return sqrt(dx * dx + dy * dy);
}

/* n random boxes in [0, 100]^2, up to 3 wide; a fixed seed. */
static double (*random_boxes(size_t n, unsigned seed))[4]
{
    double(*b)[4] = calloc(n + 1, sizeof *b);
    srand(seed);
    for (size_t i = 0; i < n; i++) {
        double x = 100.0 * rand() / RAND_MAX, y = 100.0 * rand() / RAND_MAX;
        b[i][0] = x;
        b[i][1] = y;
        b[i][2] = x + 3.0 * rand() / RAND_MAX;
        b[i][3] = y + 3.0 * rand() / RAND_MAX;
    }
    return b;
}

/* Every item once, bounds non-decreasing and right, for several sizes. */
static void walk_hands_out_every_item_nearest_first(void **state)
{
    (void)state;
    ccgis_ctx *ctx = ccgis_ctx_new();
    static const size_t sizes[] = {0, 1, 15, 16, 17, 257, 5000};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t n = sizes[s];
        double(*b)[4] = random_boxes(n, (unsigned)(s + 1));
        ccgis_boxtree *t = ccgis_boxtree_new(ctx, (const double(*)[4])b, n);
        assert_non_null(t);
        char *seen = calloc(n + 1, 1);
        ccgis_boxwalk w = {0};
        double p[2] = {37.5, 61.25}, last = -1, bound;
        size_t item, got = 0;
        assert_int_equal(ccgis_boxwalk_start(&w, t, box_distance, p), 1);
        int rc;
        while ((rc = ccgis_boxwalk_next(&w, &item, &bound)) == 1) {
            assert_true(item < n);
            assert_false(seen[item]);
            seen[item] = 1;
            assert_true(bound >= last);
            assert_true(bound == box_distance(b[item], p));
            last = bound;
            got++;
        }
        assert_int_equal(rc, 0);
        assert_int_equal(got, n);
        ccgis_boxwalk_clear(&w);
        free(seen);
        ccgis_boxtree_free(t);
        free(b);
    }
    ccgis_ctx_free(ctx);
}

/* A walk stopped at the first bound above `limit` has handed out exactly
 * the items whose bound is at most `limit` (what the near search relies on). */
static void walk_stopped_early_misses_nothing_nearer(void **state)
{
    (void)state;
    ccgis_ctx *ctx = ccgis_ctx_new();
    size_t n = 3000;
    double(*b)[4] = random_boxes(n, 7);
    ccgis_boxtree *t = ccgis_boxtree_new(ctx, (const double(*)[4])b, n);
    assert_non_null(t);
    ccgis_boxwalk w = {0};
    for (int q = 0; q < 50; q++) {
        double p[2] = {2.0 * q, 100.0 - 2.0 * q}, limit = 4.0, bound;
        size_t item, handed = 0, expected = 0;
        assert_int_equal(ccgis_boxwalk_start(&w, t, box_distance, p), 1);
        while (ccgis_boxwalk_next(&w, &item, &bound) == 1 && bound <= limit)
            handed++;
        for (size_t i = 0; i < n; i++)
            expected += box_distance(b[i], p) <= limit;
        assert_int_equal(handed, expected);
    }
    ccgis_boxwalk_clear(&w);
    ccgis_boxtree_free(t);
    free(b);
    ccgis_ctx_free(ctx);
}

/* The leaves hold every item once, each inside its leaf's box, at most 16. */
static void leaves_partition_the_items(void **state)
{
    (void)state;
    ccgis_ctx *ctx = ccgis_ctx_new();
    size_t n = 1000;
    double(*b)[4] = random_boxes(n, 3);
    ccgis_boxtree *t = ccgis_boxtree_new(ctx, (const double(*)[4])b, n);
    assert_non_null(t);
    char *seen = calloc(n, 1);
    size_t total = 0;
    for (size_t k = 0; k < ccgis_boxtree_leaves(t); k++) {
        double box[4];
        size_t m;
        const size_t *items = ccgis_boxtree_leaf(t, k, box, &m);
        assert_true(m >= 1 && m <= 16);
        for (size_t j = 0; j < m; j++) {
            const double *e = b[items[j]];
            assert_false(seen[items[j]]);
            seen[items[j]] = 1;
            assert_true(box[0] <= e[0] && box[1] <= e[1] && box[2] >= e[2] && box[3] >= e[3]);
        }
        total += m;
    }
    assert_int_equal(total, n);
    free(seen);
    ccgis_boxtree_free(t);
    free(b);
    ccgis_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(walk_hands_out_every_item_nearest_first),
        cmocka_unit_test(walk_stopped_early_misses_nothing_nearer),
        cmocka_unit_test(leaves_partition_the_items),
    };
    return cmocka_run_group_tests_name("boxtree", tests, NULL, NULL);
}
