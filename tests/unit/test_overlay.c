/*
 * test_overlay.c -- the overlay engine called from C (overlay.h), on the
 * sample clusters and land-use zones (shapes/README.md).
 *
 *   - the partition: for every cluster allowed + conflict + mixed + no zone
 *     equals its area (1e-9 relative) and every piece is at most the
 *     cluster (the invariants overlay.h promises and checks itself);
 *   - 1 and 4 worker threads give the same result to the last bit;
 *   - a progress callback that says stop gives CCGIS_ERR_CANCELLED, no
 *     result, and a message saying so (not a usage error).
 * Independent references for the figures themselves are in
 * tests/postgis/test_engine_postgis.c and test_messy_postgis.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "internal.h"

static const char *const allowed[] = {"SKN", "SKC", "SKK", NULL};

/* The sample clusters, loaded; the context in *state. */
typedef struct fixture {
    ccgis_ctx *ctx;
    ccgis_layer *clusters;
} fixture;

static int setup(void **state)
{
    static fixture fx;
    fx.ctx = ccgis_ctx_new();
    if (!fx.ctx)
        return -1;
    ccgis_layer_spec spec = {.source = SHAPES_DIR "/clusters.shp",
                             .id_field = "ma_ccn",
                             .role = CCGIS_ROLE_POLYGONS,
                             .what = "clusters"};
    if (ccgis_layer_load(fx.ctx, &spec, NULL, &fx.clusters) != CCGIS_OK)
        return -1;
    *state = &fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    ccgis_layer_free(fx->ctx, fx->clusters);
    ccgis_ctx_free(fx->ctx);
    return 0;
}

static ccgis_overlay_options zoning_options(void)
{
    ccgis_overlay_options o = {
        .zones = {.source = SHAPES_DIR "/landuse.gpkg",
                  .role = CCGIS_ROLE_POLYGONS,
                  .what = "zoning"},
        .class_field = "loai_dat",
        .allowed = allowed,
        .sliver = CCGIS_SLIVER_DEFAULT,
        .sliver_m2 = CCGIS_SLIVER_M2_DEFAULT,
    };
    return o;
}

static void every_cluster_is_a_partition(void **state)
{
    fixture *fx = *state;
    ccgis_overlay_options o = zoning_options();
    ccgis_overlay_result *r = NULL;
    assert_int_equal(ccgis_overlay(fx->ctx, fx->clusters, &o, NULL, NULL, &r), CCGIS_OK);
    assert_int_equal(r->n_input, fx->clusters->n);
    for (size_t i = 0; i < r->n_input; i++) {
        double sum = r->allowed_m2[i] + r->conflict_m2[i] + r->mixed_m2[i] + r->nozone_m2[i];
        assert_true(fabs(sum - r->area_m2[i]) <= 1e-9 * r->area_m2[i]);
        assert_true(r->allowed_m2[i] >= 0 && r->conflict_m2[i] >= 0 && r->mixed_m2[i] >= 0 &&
                    r->nozone_m2[i] >= 0);
    }
    for (size_t k = 0; k < r->n_pieces; k++)
        assert_true(r->pieces[k].area_m2 <= r->area_m2[r->pieces[k].input]);
    ccgis_overlay_result_free(r);
}

/* Run the overlay with n threads. */
static ccgis_overlay_result *with_threads(fixture *fx, int n)
{
    ccgis_overlay_options o = zoning_options();
    ccgis_overlay_result *r = NULL;
    ccgis_ctx_set_threads(fx->ctx, n);
    assert_int_equal(ccgis_overlay(fx->ctx, fx->clusters, &o, NULL, NULL, &r), CCGIS_OK);
    ccgis_ctx_set_threads(fx->ctx, 0);
    return r;
}

static void one_and_four_threads_agree_to_the_bit(void **state)
{
    fixture *fx = *state;
    ccgis_overlay_result *a = with_threads(fx, 1), *b = with_threads(fx, 4);
    size_t n = a->n_input;
    assert_memory_equal(a->allowed_m2, b->allowed_m2, n * sizeof(double));
    assert_memory_equal(a->conflict_m2, b->conflict_m2, n * sizeof(double));
    assert_memory_equal(a->mixed_m2, b->mixed_m2, n * sizeof(double));
    assert_memory_equal(a->nozone_m2, b->nozone_m2, n * sizeof(double));
    assert_int_equal(a->n_pieces, b->n_pieces);
    for (size_t k = 0; k < a->n_pieces; k++) {
        assert_int_equal(a->pieces[k].input, b->pieces[k].input);
        assert_string_equal(a->pieces[k].klass, b->pieces[k].klass);
        assert_memory_equal(&a->pieces[k].area_m2, &b->pieces[k].area_m2, sizeof(double));
        assert_int_equal(GEOSEqualsExact_r(fx->ctx->geos, a->pieces[k].geom,
                                           b->pieces[k].geom, 0.0),
                         1);
    }
    ccgis_overlay_result_free(a);
    ccgis_overlay_result_free(b);
}

/* A progress callback that asks to stop at once. */
static int stop_now(double fraction, const char *note, void *arg)
{
    (void)fraction;
    (void)note;
    ++*(int *)arg;
    return 0;
}

static void a_stopping_callback_cancels(void **state)
{
    fixture *fx = *state;
    ccgis_overlay_options o = zoning_options();
    ccgis_overlay_result *r = (ccgis_overlay_result *)1;
    int calls = 0;
    assert_int_equal(ccgis_overlay(fx->ctx, fx->clusters, &o, stop_now, &calls, &r),
                     CCGIS_ERR_CANCELLED);
    assert_null(r);
    assert_true(calls >= 1);
    assert_int_equal(ccgis_status_family(CCGIS_ERR_CANCELLED), 600);
    assert_string_equal(ccgis_status_str(CCGIS_ERR_CANCELLED), "cancelled");
    assert_non_null(strstr(ccgis_errmsg(fx->ctx), "cancelled"));
    ccgis_clear_error(fx->ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_cluster_is_a_partition),
        cmocka_unit_test(one_and_four_threads_agree_to_the_bit),
        cmocka_unit_test(a_stopping_callback_cancels),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
