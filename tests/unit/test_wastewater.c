/*
 * test_wastewater.c -- clusters and their wastewater plants (wastewater.h)
 * on the known-answer layers of wastewater_cases.h.
 *
 *   - each cluster's state and the plant named, with max_m = 200 m: the
 *     cases sit at least 40 m from the threshold (about 145, 260, 312 m),
 *     so rounding cannot flip them; a plant shared by two clusters serves
 *     both; plants serving none are counted;
 *   - max_m = 0: only plants inside count;
 *   - the yes/no reading of the standard field (trimmed, NFC, case folded);
 *   - a bad max_m, a cancelling callback.
 * Distances against PostGIS: tests/postgis/test_wastewater_postgis.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"
#include "wastewater_cases.h"
#include "geojson_write.h"

typedef struct fixture {
    ccgis_ctx *ctx;
    ccgis_layer *clusters, *plants;
    int meets[WW_N_PLANTS];
} fixture;

static int setup(void **state)
{
    static fixture fx;
    mkdir(WORK_DIR "/..", 0755);
    mkdir(WORK_DIR, 0755);
    FILE *f = fopen(WORK_DIR "/clusters.geojson", "w");
    if (!f)
        return -1;
    gj_begin(f);
    for (size_t k = 0; k < WW_N_CLUSTERS; k++) {
        const ww_box *b = &ww_clusters[k];
        char props[64];
        snprintf(props, sizeof props, "\"id\":\"%s\"", b->id);
        gj_box(f, k, props, b->x0, b->y0, b->x1, b->y1);
    }
    gj_end(f);
    fclose(f);
    f = fopen(WORK_DIR "/plants.geojson", "w");
    if (!f)
        return -1;
    gj_begin(f);
    for (size_t k = 0; k < WW_N_PLANTS; k++) {
        char props[128];
        snprintf(props, sizeof props, "\"id\":\"%s\",\"dat_qc\":\"%s\"", ww_plants[k].id,
                 ww_plants[k].standard);
        gj_point(f, k, props, ww_plants[k].x, ww_plants[k].y);
    }
    gj_end(f);
    fclose(f);
    fx.ctx = ccgis_ctx_new();
    ccgis_layer_spec c = {.source = WORK_DIR "/clusters.geojson", .id_field = "id",
                          .role = CCGIS_ROLE_POLYGONS, .what = "clusters"};
    ccgis_layer_spec p = {.source = WORK_DIR "/plants.geojson", .id_field = "id",
                          .role = CCGIS_ROLE_POINTS, .what = "wastewater"};
    if (!fx.ctx || ccgis_layer_load(fx.ctx, &c, NULL, &fx.clusters) != CCGIS_OK ||
        ccgis_layer_load(fx.ctx, &p, NULL, &fx.plants) != CCGIS_OK)
        return -1;
    for (size_t k = 0; k < WW_N_PLANTS; k++)
        fx.meets[k] = ccgis_yes(fx.ctx, ww_plants[k].standard) == 1;
    *state = &fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    ccgis_layer_free(fx->ctx, fx->clusters);
    ccgis_layer_free(fx->ctx, fx->plants);
    ccgis_ctx_free(fx->ctx);
    return 0;
}

static void states_at_200_m(void **state)
{
    fixture *fx = *state;
    ccgis_wwtp_result *r = NULL;
    assert_int_equal(ccgis_wastewater(fx->ctx, fx->clusters, fx->plants, fx->meets, 200, NULL,
                                      NULL, &r),
                     CCGIS_OK);
    for (size_t i = 0; i < WW_N_CLUSTERS; i++) {
        const char *plant = r->plant[i] == SIZE_MAX ? "" : fx->plants->f[r->plant[i]].key;
        fprintf(stderr, "    %-3s %-13s %-3s %8.2f m\n", fx->clusters->f[i].key,
                ccgis_wwtp_name(r->state[i]), plant, r->dist_m[i]);
        assert_string_equal(ccgis_wwtp_name(r->state[i]), ww_clusters[i].want);
        assert_string_equal(plant, ww_clusters[i].plant);
    }
    assert_true(r->dist_m[0] == 0);             /* W1 inside P1 */
    assert_true(r->dist_m[1] > 130 && r->dist_m[1] < 160);
    assert_true(isnan(r->dist_m[2]));
    assert_int_equal(r->n_served[4], 2);        /* W5: P5 and P6 */
    assert_int_equal(r->n_served[5], 1);        /* W6: inside P7, fails */
    assert_int_equal(r->n_unused, 2);           /* W3, W4 */
    assert_int_equal(r->n_served[2], 0);
    assert_int_equal(r->n_served[3], 0);
    ccgis_wwtp_result_free(r);
}

static void only_inside_at_0_m(void **state)
{
    fixture *fx = *state;
    ccgis_wwtp_result *r = NULL;
    assert_int_equal(ccgis_wastewater(fx->ctx, fx->clusters, fx->plants, fx->meets, 0, NULL,
                                      NULL, &r),
                     CCGIS_OK);
    static const char *const want[WW_N_CLUSTERS] = {"compliant", "none", "none",
                                                    "none",      "none", "not_compliant"};
    for (size_t i = 0; i < WW_N_CLUSTERS; i++)
        assert_string_equal(ccgis_wwtp_name(r->state[i]), want[i]);
    assert_int_equal(r->n_unused, WW_N_PLANTS - 2);
    ccgis_wwtp_result_free(r);
}

static void yes_and_no(void **state)
{
    fixture *fx = *state;
    ccgis_ctx *ctx = fx->ctx;
    assert_int_equal(ccgis_yes(ctx, "Đạt"), 1);
    assert_int_equal(ccgis_yes(ctx, "\xc4\x91\x61\xcc\xa3t"), 1); /* "đạt" in NFD */
    assert_int_equal(ccgis_yes(ctx, " CÓ "), 1);
    assert_int_equal(ccgis_yes(ctx, "True"), 1);
    assert_int_equal(ccgis_yes(ctx, "1"), 1);
    assert_int_equal(ccgis_yes(ctx, "Chưa đạt"), 0);
    assert_int_equal(ccgis_yes(ctx, "KHÔNG"), 0);
    assert_int_equal(ccgis_yes(ctx, "0"), 0);
    assert_int_equal(ccgis_yes(ctx, NULL), 0);
    assert_int_equal(ccgis_yes(ctx, "  "), 0);
    assert_int_equal(ccgis_yes(ctx, "maybe"), -1);
    assert_int_equal(ccgis_yes(ctx, "2"), -1);
}

static int stop(double fraction, const char *note, void *arg)
{
    (void)fraction;
    (void)note;
    (void)arg;
    return 0;
}

static void bad_calls(void **state)
{
    fixture *fx = *state;
    ccgis_wwtp_result *r = (ccgis_wwtp_result *)fx;
    assert_int_equal(ccgis_wastewater(fx->ctx, fx->clusters, fx->plants, fx->meets, -1, NULL,
                                      NULL, &r),
                     CCGIS_ERR_USAGE);
    assert_null(r);
    assert_non_null(strstr(ccgis_errmsg(fx->ctx), "max_m"));
    assert_int_equal(ccgis_wastewater(fx->ctx, fx->clusters, fx->plants, fx->meets, NAN, NULL,
                                      NULL, &r),
                     CCGIS_ERR_USAGE);
    assert_int_equal(ccgis_wastewater(fx->ctx, fx->clusters, fx->plants, fx->meets, 200, stop,
                                      NULL, &r),
                     CCGIS_ERR_CANCELLED);
    assert_null(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(states_at_200_m),
        cmocka_unit_test(only_inside_at_0_m),
        cmocka_unit_test(yes_and_no),
        cmocka_unit_test(bad_calls),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
