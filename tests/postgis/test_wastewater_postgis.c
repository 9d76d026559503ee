/*
 * test_wastewater_postgis.c -- the wastewater check (wastewater.h) against
 * PostGIS on the known-answer layers of tests/unit/wastewater_cases.h.
 *
 * PostGIS gets the same boxes and points (SRID 4326) and decides, for every
 * cluster-plant pair, ST_DWithin(plant::geography, cluster::geography,
 * 200) and ST_Distance(::geography).  From those alone the test derives
 * each cluster's state and plant (the nearest plant meeting the standard
 * within 200 m, else the nearest within 200 m) and each plant's number of
 * clusters served, and compares them with ccgis's; distances within 1e-6
 * relative or 1 mm (geodesic.h states that accuracy against PostGIS).
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

#include "../unit/wastewater_cases.h"
#include "../unit/geojson_write.h"
#include "ccgis/ccgis.h"
#include "harness.h"
#include "pg.h"

static pg_conn *pg;

static void write_layers(void)
{
    FILE *f = fopen(WORK_DIR "/clusters.geojson", "w");
    assert_non_null(f);
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
    assert_non_null(f);
    gj_begin(f);
    for (size_t k = 0; k < WW_N_PLANTS; k++) {
        char props[128];
        snprintf(props, sizeof props, "\"id\":\"%s\",\"dat_qc\":\"%s\"", ww_plants[k].id,
                 ww_plants[k].standard);
        gj_point(f, k, props, ww_plants[k].x, ww_plants[k].y);
    }
    gj_end(f);
    fclose(f);
}

static void states_match_postgis(void **state)
{
    (void)state;
    reset_work_dir();
    write_layers();
    pg_exec(pg, "DROP TABLE IF EXISTS wc, wp; CREATE TEMP TABLE wc (k int, id text, g geometry); "
                "CREATE TEMP TABLE wp (k int, id text, g geometry)");
    char sql[1024];
    for (size_t i = 0; i < WW_N_CLUSTERS; i++) {
        const ww_box *b = &ww_clusters[i];
        snprintf(sql, sizeof sql,
                 "INSERT INTO wc VALUES (%zu, '%s', ST_MakeEnvelope(%.9f,%.9f,%.9f,%.9f,4326))", i,
                 b->id, b->x0, b->y0, b->x1, b->y1);
        pg_exec(pg, sql);
    }
    for (size_t j = 0; j < WW_N_PLANTS; j++) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO wp VALUES (%zu, '%s', ST_SetSRID(ST_MakePoint(%.9f,%.9f),4326))", j,
                 ww_plants[j].id, ww_plants[j].x, ww_plants[j].y);
        pg_exec(pg, sql);
    }

    ccgis_ctx *ctx = ccgis_ctx_new();
    ccgis_layer *clusters = NULL, *plants = NULL;
    ccgis_layer_spec c = {.source = WORK_DIR "/clusters.geojson", .id_field = "id",
                          .role = CCGIS_ROLE_POLYGONS, .what = "clusters"};
    ccgis_layer_spec p = {.source = WORK_DIR "/plants.geojson", .id_field = "id",
                          .role = CCGIS_ROLE_POINTS, .what = "wastewater"};
    assert_int_equal(ccgis_layer_load(ctx, &c, NULL, &clusters), CCGIS_OK);
    assert_int_equal(ccgis_layer_load(ctx, &p, NULL, &plants), CCGIS_OK);
    int meets[WW_N_PLANTS];
    for (size_t j = 0; j < WW_N_PLANTS; j++)
        meets[j] = ccgis_yes(ctx, ww_plants[j].standard) == 1;
    ccgis_wwtp_result *r = NULL;
    assert_int_equal(ccgis_wastewater(ctx, clusters, plants, meets, 200, NULL, NULL, &r),
                     CCGIS_OK);

    pg_rows *rows = pg_query(pg, "SELECT c.k, p.k, ST_Distance(p.g::geography, c.g::geography), "
                                 "ST_DWithin(p.g::geography, c.g::geography, 200) "
                                 "FROM wc c, wp p ORDER BY c.k, p.k");
    assert_int_equal(rows->nrows, (int)(WW_N_CLUSTERS * WW_N_PLANTS));
    size_t served[WW_N_PLANTS] = {0};
    for (size_t i = 0; i < WW_N_CLUSTERS; i++) {
        double best_yes = INFINITY, best_any = INFINITY;
        size_t yes = SIZE_MAX, any = SIZE_MAX;
        for (size_t j = 0; j < WW_N_PLANTS; j++) {
            int row = (int)(i * WW_N_PLANTS + j);
            double d = strtod(pg_cell(rows, row, 2), NULL);
            int within = !strcmp(pg_cell(rows, row, 3), "t");
            if (!within)
                continue;
            served[j]++;
            if (d < best_any) {
                best_any = d;
                any = j;
            }
            if (meets[j] && d < best_yes) {
                best_yes = d;
                yes = j;
            }
        }
        const char *want = yes != SIZE_MAX ? "compliant" : any != SIZE_MAX ? "not_compliant" : "none";
        size_t want_plant = yes != SIZE_MAX ? yes : any;
        double want_d = yes != SIZE_MAX ? best_yes : best_any;
        fprintf(stderr, "    %-3s PostGIS %-13s %5.2f m   ccgis %-13s %5.2f m\n",
                clusters->f[i].key, want, want_d, ccgis_wwtp_name(r->state[i]), r->dist_m[i]);
        assert_string_equal(ccgis_wwtp_name(r->state[i]), want);
        assert_int_equal(r->plant[i], want_plant);
        if (want_plant != SIZE_MAX)
            assert_true(fabs(r->dist_m[i] - want_d) <= fmax(1e-6 * want_d, 1e-3));
    }
    for (size_t j = 0; j < WW_N_PLANTS; j++)
        assert_int_equal(r->n_served[j], served[j]);
    pg_rows_free(rows);
    ccgis_wwtp_result_free(r);
    ccgis_layer_free(ctx, clusters);
    ccgis_layer_free(ctx, plants);
    ccgis_ctx_free(ctx);
}

int main(void)
{
    pg = pg_connect_or_skip();
    const struct CMUnitTest tests[] = {cmocka_unit_test(states_match_postgis)};
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    pg_disconnect(pg);
    return rc;
}
