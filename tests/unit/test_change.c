/*
 * test_change.c -- today's clusters against the planned ones (change.h),
 * called from C on the known-answer boxes of change_cases.h.
 *
 *   - every group has the expected members and class, whatever the order
 *     the layers are read in;
 *   - the parts add up: for each group, common + lost = today's area and
 *     common + gained = the planned area to 1e-7 relative (pieces cut in
 *     the lon/lat plane and measured on the ellipsoid are additive only up
 *     to where a cut point lies off the geodesic edge: 2e-9 here), and the
 *     areas of the groups sum to those of the layers (1e-9);
 *   - hand-computed shares: B gains half its area, C loses half, K gains and
 *     loses a fifth; a 1 cm edge shift stays under the tolerance.  Boxes of
 *     equal latitude span have areas proportional to their longitude span
 *     on the ellipsoid up to the geodesic bulge of their east-west edges,
 *     below 1e-6 relative at this size: tolerance 1e-6;
 *   - a cancelling progress callback gives CCGIS_ERR_CANCELLED and nothing.
 * Every area against PostGIS: tests/postgis/test_change_postgis.c.
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

#include "change_cases.h"
#include "geojson_write.h"
#include "internal.h"

/* Write the boxes as a GeoJSON file (WGS 84), reversed when asked. */
static void write_boxes(const char *path, const change_box *b, size_t n, int reversed)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    gj_begin(f);
    for (size_t k = 0; k < n; k++) {
        const change_box *x = &b[reversed ? n - 1 - k : k];
        char props[64];
        snprintf(props, sizeof props, "\"id\":\"%s\"", x->id);
        gj_box(f, k, props, x->x0, x->y0, x->x1, x->y1);
    }
    gj_end(f);
    fclose(f);
}

typedef struct fixture {
    ccgis_ctx *ctx;
    ccgis_layer *now, *plan;
} fixture;

static void load(fixture *fx, int reversed)
{
    mkdir(WORK_DIR "/..", 0755);
    mkdir(WORK_DIR, 0755);
    char pn[512], pp[512];
    snprintf(pn, sizeof pn, "%s/now%d.geojson", WORK_DIR, reversed);
    snprintf(pp, sizeof pp, "%s/plan%d.geojson", WORK_DIR, reversed);
    write_boxes(pn, change_now, CHANGE_N_NOW, reversed);
    write_boxes(pp, change_plan, CHANGE_N_PLAN, reversed);
    fx->ctx = ccgis_ctx_new();
    assert_non_null(fx->ctx);
    ccgis_layer_spec a = {.source = pn, .id_field = "id", .role = CCGIS_ROLE_POLYGONS,
                          .what = "clusters"};
    ccgis_layer_spec b = {.source = pp, .id_field = "id", .role = CCGIS_ROLE_POLYGONS,
                          .what = "plan"};
    assert_int_equal(ccgis_layer_load(fx->ctx, &a, NULL, &fx->now), CCGIS_OK);
    assert_int_equal(ccgis_layer_load(fx->ctx, &b, NULL, &fx->plan), CCGIS_OK);
}

static void unload(fixture *fx)
{
    ccgis_layer_free(fx->ctx, fx->now);
    ccgis_layer_free(fx->ctx, fx->plan);
    ccgis_ctx_free(fx->ctx);
}

/* The ids of one side of a group joined by ",", sorted (the wanted lists are). */
static void ids(const ccgis_layer *l, const size_t *idx, size_t k, char *buf, size_t cap)
{
    const char *s[16];
    assert_true(k <= 16);
    for (size_t i = 0; i < k; i++)
        s[i] = l->f[idx[i]].key;
    for (size_t i = 1; i < k; i++)
        for (size_t j = i; j > 0 && strcmp(s[j - 1], s[j]) > 0; j--) {
            const char *t = s[j];
            s[j] = s[j - 1];
            s[j - 1] = t;
        }
    buf[0] = '\0';
    for (size_t i = 0; i < k; i++) {
        strncat(buf, i ? "," : "", cap - strlen(buf) - 1);
        strncat(buf, s[i], cap - strlen(buf) - 1);
    }
}

/* The group whose today side (or, for new ones, plan side) is `now`/`plan`. */
static const ccgis_change_group *find(const fixture *fx, const ccgis_change_result *r,
                                      const change_want *w)
{
    for (size_t k = 0; k < r->n_groups; k++) {
        char a[128], b[128];
        ids(fx->now, r->g[k].now, r->g[k].n_now, a, sizeof a);
        ids(fx->plan, r->g[k].plan, r->g[k].n_plan, b, sizeof b);
        if (!strcmp(a, w->now) && !strcmp(b, w->plan))
            return &r->g[k];
    }
    return NULL;
}

static void check_groups(int reversed)
{
    fixture fx;
    load(&fx, reversed);
    ccgis_change_result *r = NULL;
    assert_int_equal(ccgis_change(fx.ctx, fx.now, fx.plan, 1e-4, 1.0, NULL, NULL, &r), CCGIS_OK);
    assert_non_null(r);
    assert_int_equal(r->n_groups, CHANGE_N_GROUPS);
    double sum_now = 0, sum_plan = 0, layer_now = 0, layer_plan = 0;
    for (size_t i = 0; i < CHANGE_N_GROUPS; i++) {
        const change_want *w = &change_groups[i];
        const ccgis_change_group *g = find(&fx, r, w);
        if (!g)
            fail_msg("no group %s -> %s", w->now, w->plan);
        fprintf(stderr, "    %-4s -> %-6s %-9s now %12.3f plan %12.3f gained %11.3f lost %11.3f\n",
                w->now, w->plan, ccgis_change_name(g->kind), g->now_m2, g->plan_m2, g->gained_m2,
                g->lost_m2);
        assert_string_equal(ccgis_change_name(g->kind), w->kind);
        assert_true(fabs(g->common_m2 + g->lost_m2 - g->now_m2) <= 1e-7 * g->now_m2 + 1e-9);
        assert_true(fabs(g->common_m2 + g->gained_m2 - g->plan_m2) <= 1e-7 * g->plan_m2 + 1e-9);
        sum_now += g->now_m2;
        sum_plan += g->plan_m2;
        for (size_t k = 0; k < g->n_now; k++)
            assert_int_equal(r->now_group[g->now[k]], (size_t)(g - r->g));
        for (size_t k = 0; k < g->n_plan; k++)
            assert_int_equal(r->plan_group[g->plan[k]], (size_t)(g - r->g));
    }
    /* Today's clusters do not overlap each other, nor do the planned ones:
     * the groups' unions sum to the layers' areas. */
    for (size_t i = 0; i < fx.now->n; i++) {
        double a;
        assert_int_equal(ccgis_geod_area(fx.ctx, fx.now->f[i].geom, &a), CCGIS_OK);
        layer_now += a;
    }
    for (size_t j = 0; j < fx.plan->n; j++) {
        double a;
        assert_int_equal(ccgis_geod_area(fx.ctx, fx.plan->f[j].geom, &a), CCGIS_OK);
        layer_plan += a;
    }
    assert_true(fabs(sum_now - layer_now) <= 1e-9 * layer_now);
    assert_true(fabs(sum_plan - layer_plan) <= 1e-9 * layer_plan);
    size_t counted = 0;
    for (int k = 0; k < CCGIS_CHANGE_KINDS; k++)
        counted += r->count[k];
    assert_int_equal(counted, r->n_groups);
    assert_int_equal(r->count[CCGIS_CHANGE_UNCHANGED], 2);
    assert_int_equal(r->count[CCGIS_CHANGE_EXPANDED], 2);

    /* Hand-computed shares (file comment: 1e-6). */
    const ccgis_change_group *b = find(&fx, r, &change_groups[1]);
    const ccgis_change_group *c = find(&fx, r, &change_groups[2]);
    const ccgis_change_group *d = find(&fx, r, &change_groups[3]);
    const ccgis_change_group *k = find(&fx, r, &change_groups[8]);
    const ccgis_change_group *l = find(&fx, r, &change_groups[9]);
    assert_true(fabs(b->gained_m2 / b->now_m2 - 0.5) < 1e-6 && b->lost_m2 == 0);
    assert_true(fabs(c->lost_m2 / c->now_m2 - 0.5) < 1e-6 && c->gained_m2 == 0);
    assert_true(d->common_m2 == 0 && fabs(d->gained_m2 / d->lost_m2 - 1) < 1e-3);
    assert_true(fabs(k->gained_m2 / k->now_m2 - 0.2) < 1e-6);
    assert_true(fabs(k->lost_m2 / k->now_m2 - 0.2) < 1e-6);
    /* L: 1e-7° of longitude is about 1 cm, over 1.1 km: about 11.6 m², under
     * the tolerance of 1e-4 of its 1.16 km² (116 m²) and over 1 m². */
    assert_true(l->gained_m2 > 5 && l->gained_m2 < 20 && l->lost_m2 == 0);
    ccgis_change_result_free(fx.ctx, r);
    unload(&fx);
}

static void groups_and_classes(void **state)
{
    (void)state;
    check_groups(0);
}

/* Reading the layers in the other order changes nothing but indexes. */
static void groups_do_not_depend_on_order(void **state)
{
    (void)state;
    check_groups(1);
}

static int stop_at_once(double fraction, const char *note, void *arg)
{
    (void)fraction;
    (void)note;
    (*(int *)arg)++;
    return 0;
}

static void cancelled(void **state)
{
    (void)state;
    fixture fx;
    load(&fx, 0);
    int calls = 0;
    ccgis_change_result *r = (ccgis_change_result *)&fx; /* must be reset to NULL */
    assert_int_equal(ccgis_change(fx.ctx, fx.now, fx.plan, 1e-4, 1, stop_at_once, &calls, &r),
                     CCGIS_ERR_CANCELLED);
    assert_null(r);
    assert_int_equal(calls, 1);
    assert_non_null(strstr(ccgis_errmsg(fx.ctx), "cancelled"));
    assert_int_equal(ccgis_change(fx.ctx, fx.now, fx.plan, -1, 1, NULL, NULL, &r),
                     CCGIS_ERR_USAGE);
    assert_null(r);
    unload(&fx);
}

/* One layer empty: everything new, or everything removed. */
static void one_side_empty(void **state)
{
    (void)state;
    fixture fx;
    load(&fx, 0);
    ccgis_layer none = *fx.plan;
    none.n = 0;
    ccgis_change_result *r = NULL;
    assert_int_equal(ccgis_change(fx.ctx, fx.now, &none, 1e-4, 1, NULL, NULL, &r), CCGIS_OK);
    assert_int_equal(r->n_groups, CHANGE_N_NOW);
    assert_int_equal(r->count[CCGIS_CHANGE_REMOVED], CHANGE_N_NOW);
    ccgis_change_result_free(fx.ctx, r);
    assert_int_equal(ccgis_change(fx.ctx, &none, fx.plan, 1e-4, 1, NULL, NULL, &r), CCGIS_OK);
    assert_int_equal(r->count[CCGIS_CHANGE_NEW], CHANGE_N_PLAN);
    ccgis_change_result_free(fx.ctx, r);
    unload(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(groups_and_classes),
        cmocka_unit_test(groups_do_not_depend_on_order),
        cmocka_unit_test(cancelled),
        cmocka_unit_test(one_side_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
