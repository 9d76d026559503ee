/*
 * test_change_postgis.c -- the plan comparison (change.h) against PostGIS
 * on the known-answer boxes of tests/unit/change_cases.h.
 *
 * For every expected group PostGIS computes, from the same boxes
 * (ST_MakeEnvelope, SRID 4326): U_now = ST_Union of today's clusters,
 * U_plan of the planned ones, and ST_Area(::geography) of U_now, U_plan,
 * ST_Intersection(U_now, U_plan), ST_Difference(U_plan, U_now) (gained) and
 * ST_Difference(U_now, U_plan) (lost).  Tolerance: 1e-9 relative of the
 * group's larger area (both sides cut with GEOS in the lon/lat plane and
 * measure with Karney's algorithm: what is left is round-off).
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
#include <sys/stat.h>

#include "../unit/change_cases.h"
#include "../unit/geojson_write.h"
#include "ccgis/ccgis.h"
#include "harness.h"
#include "pg.h"

static pg_conn *pg;

static void write_boxes(const char *path, const change_box *b, size_t n)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    gj_begin(f);
    for (size_t k = 0; k < n; k++) {
        char props[64];
        snprintf(props, sizeof props, "\"id\":\"%s\"", b[k].id);
        gj_box(f, k, props, b[k].x0, b[k].y0, b[k].x1, b[k].y1);
    }
    gj_end(f);
    fclose(f);
}

/* The boxes as a PostGIS table `name` (id, g). */
static void pg_boxes(const char *name, const change_box *b, size_t n)
{
    char sql[512];
    snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS %s; CREATE TEMP TABLE %s (id text, g geometry)",
             name, name);
    pg_exec(pg, sql);
    for (size_t k = 0; k < n; k++) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO %s VALUES ('%s', ST_MakeEnvelope(%.9f, %.9f, %.9f, %.9f, 4326))",
                 name, b[k].id, b[k].x0, b[k].y0, b[k].x1, b[k].y1);
        pg_exec(pg, sql);
    }
}

/* The group of result r holding today's cluster `id` (or, for a new
 * cluster, the planned one). */
static const ccgis_change_group *group_of(const ccgis_layer *now, const ccgis_layer *plan,
                                          const ccgis_change_result *r, const change_want *w)
{
    char first[32];
    const char *side = *w->now ? w->now : w->plan;
    snprintf(first, sizeof first, "%.*s", (int)strcspn(side, ","), side);
    const ccgis_layer *l = *w->now ? now : plan;
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->f[i].key, first))
            return &r->g[*w->now ? r->now_group[i] : r->plan_group[i]];
    return NULL;
}

static void areas_match_postgis(void **state)
{
    (void)state;
    reset_work_dir();
    write_boxes(WORK_DIR "/now.geojson", change_now, CHANGE_N_NOW);
    write_boxes(WORK_DIR "/plan.geojson", change_plan, CHANGE_N_PLAN);
    pg_boxes("cnow", change_now, CHANGE_N_NOW);
    pg_boxes("cplan", change_plan, CHANGE_N_PLAN);

    ccgis_ctx *ctx = ccgis_ctx_new();
    ccgis_layer *now = NULL, *plan = NULL;
    ccgis_layer_spec a = {.source = WORK_DIR "/now.geojson", .id_field = "id",
                          .role = CCGIS_ROLE_POLYGONS, .what = "clusters"};
    ccgis_layer_spec b = {.source = WORK_DIR "/plan.geojson", .id_field = "id",
                          .role = CCGIS_ROLE_POLYGONS, .what = "plan"};
    assert_int_equal(ccgis_layer_load(ctx, &a, NULL, &now), CCGIS_OK);
    assert_int_equal(ccgis_layer_load(ctx, &b, NULL, &plan), CCGIS_OK);
    ccgis_change_result *r = NULL;
    assert_int_equal(ccgis_change(ctx, now, plan, 1e-4, 1.0, NULL, NULL, &r), CCGIS_OK);

    for (size_t i = 0; i < CHANGE_N_GROUPS; i++) {
        const change_want *w = &change_groups[i];
        const ccgis_change_group *g = group_of(now, plan, r, w);
        assert_non_null(g);
        assert_string_equal(ccgis_change_name(g->kind), w->kind);
        char sql[2048];
        snprintf(sql, sizeof sql,
                 "WITH u AS (SELECT "
                 " (SELECT COALESCE(ST_Union(g), 'SRID=4326;POLYGON EMPTY'::geometry) FROM cnow "
                 "  WHERE id = ANY(string_to_array('%s', ','))) AS n, "
                 " (SELECT COALESCE(ST_Union(g), 'SRID=4326;POLYGON EMPTY'::geometry) FROM cplan "
                 "  WHERE id = ANY(string_to_array('%s', ','))) AS p) "
                 "SELECT ST_Area(ST_SetSRID(n, 4326)::geography)::text || ' ' || "
                 " ST_Area(ST_SetSRID(p, 4326)::geography)::text || ' ' || "
                 " ST_Area(ST_SetSRID(ST_Intersection(n, p), 4326)::geography)::text || ' ' || "
                 " ST_Area(ST_SetSRID(ST_Difference(p, n), 4326)::geography)::text || ' ' || "
                 " ST_Area(ST_SetSRID(ST_Difference(n, p), 4326)::geography)::text FROM u",
                 w->now, w->plan);
        char *t = pg_scalar_text(pg, sql);
        double want[5];
        assert_int_equal(sscanf(t, "%lf %lf %lf %lf %lf", &want[0], &want[1], &want[2], &want[3],
                                &want[4]),
                         5);
        free(t);
        double got[5] = {g->now_m2, g->plan_m2, g->common_m2, g->gained_m2, g->lost_m2};
        double scale = fmax(want[0], want[1]);
        static const char *const what[5] = {"now", "plan", "common", "gained", "lost"};
        for (int k = 0; k < 5; k++) {
            fprintf(stderr, "    %-5s -> %-6s %-6s ccgis %14.4f PostGIS %14.4f m2\n", w->now,
                    w->plan, what[k], got[k], want[k]);
            assert_true(fabs(got[k] - want[k]) <= 1e-9 * scale);
        }
    }
    ccgis_change_result_free(ctx, r);
    ccgis_layer_free(ctx, now);
    ccgis_layer_free(ctx, plan);
    ccgis_ctx_free(ctx);
}

int main(void)
{
    pg = pg_connect_or_skip();
    const struct CMUnitTest tests[] = {cmocka_unit_test(areas_match_postgis)};
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    pg_disconnect(pg);
    return rc;
}
