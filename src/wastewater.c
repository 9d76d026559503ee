/*
 * wastewater.c -- clusters and their wastewater-treatment plants (see
 * ccgis/wastewater.h).
 *
 * The plants go into a GEOS STRtree; each cluster's box, widened by max_m
 * turned into degrees on the safe side, picks the candidate plants, and each
 * candidate is measured geodesically (ccgis_geod_distance: 0 inside).  The
 * candidates are taken in index order, so the plant named for a cluster on
 * equal distances is the one read first, whatever the tree's order.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccgis/wastewater.h"
#include "internal.h"

const char *ccgis_wwtp_name(ccgis_wwtp_state state)
{
    switch (state) {
    case CCGIS_WWTP_NONE: return "none";
    case CCGIS_WWTP_NOT_COMPLIANT: return "not_compliant";
    case CCGIS_WWTP_COMPLIANT: return "compliant";
    }
    return "?";
}

/* ccgis_yes: see wastewater.h. */
int ccgis_yes(ccgis_ctx *ctx, const char *value)
{
    static const char *const yes[] = {"1", "yes", "y", "true", "có", "đạt", "x", NULL};
    static const char *const no[] = {"0",    "no",        "n",        "false",
                                     "không", "không đạt", "chưa đạt", "chưa", "", NULL};
    char *clean = ccgis_class_clean(ctx, value);
    char *key = clean ? ccgis_class_key(ctx, clean) : NULL;
    free(clean);
    if (!key)
        return -1;
    int answer = -1;
    for (int i = 0; yes[i] && answer < 0; i++)
        if (!strcmp(key, yes[i]))
            answer = 1;
    for (int i = 0; no[i] && answer < 0; i++)
        if (!strcmp(key, no[i]))
            answer = 0;
    free(key);
    return answer;
}

ccgis_wwtp_result *ccgis_wwtp_result_free(ccgis_wwtp_result *r)
{
    if (!r)
        return NULL;
    free(r->state);
    free(r->plant);
    free(r->dist_m);
    free(r->n_served);
    free(r);
    return NULL;
}

/* The box of g widened by max_m metres on every side, as a GEOS polygon,
 * or NULL (out of memory).  One degree of latitude is at least 110,574 m
 * and one of longitude at least 111,320 cos(lat) m on WGS 84 (at the box's
 * latitude farthest from the equator): dividing by 110,000 and 111,000
 * cos(lat) errs on the wide side. */
static GEOSGeometry *widened_box(GEOSContextHandle_t h, const GEOSGeometry *g, double max_m)
{
    double x0, y0, x1, y1;
    if (!GEOSGeom_getXMin_r(h, g, &x0) || !GEOSGeom_getYMin_r(h, g, &y0) ||
        !GEOSGeom_getXMax_r(h, g, &x1) || !GEOSGeom_getYMax_r(h, g, &y1))
        return NULL;
    double dlat = max_m / 110000.0;
    double far = fmin(90.0, fmax(fabs(y0), fabs(y1)) + dlat);
    double c = cos(far * M_PI / 180.0);
    double dlon = c > 1e-3 ? max_m / (111000.0 * c) : 360.0;
    return GEOSGeom_createRectangle_r(h, x0 - dlon, y0 - dlat, x1 + dlon, y1 + dlat);
}

ccgis_status ccgis_wastewater(ccgis_ctx *ctx, const ccgis_layer *clusters,
                              const ccgis_layer *plants, const int *meets, double max_m,
                              ccgis_progress_fn progress, void *progress_arg,
                              ccgis_wwtp_result **out)
{
    *out = NULL;
    if (!(max_m >= 0) || !isfinite(max_m))
        return ccgis_error(ctx, CCGIS_ERR_USAGE,
                           "wastewater: max_m must be a distance in metres >= 0, not %g", max_m);
    GEOSContextHandle_t h = ccgis_ctx_geos(ctx);
    size_t n = clusters->n, m = plants->n;
    ccgis_wwtp_result *r = ccgis_calloc(ctx, 1, sizeof *r);
    if (!r)
        return CCGIS_ERR_NOMEM;
    r->n_clusters = n;
    r->n_plants = m;
    r->max_m = max_m;
    r->state = calloc(n ? n : 1, sizeof *r->state);
    r->plant = malloc((n ? n : 1) * sizeof *r->plant);
    r->dist_m = malloc((n ? n : 1) * sizeof *r->dist_m);
    r->n_served = calloc(m ? m : 1, sizeof *r->n_served);
    double *px = malloc((m ? m : 1) * sizeof *px), *py = malloc((m ? m : 1) * sizeof *py);
    GEOSSTRtree *tree = GEOSSTRtree_create_r(h, 10);
    ccgis_hits c = {0};
    ccgis_status st = CCGIS_OK;
    if (!r->state || !r->plant || !r->dist_m || !r->n_served || !px || !py || !tree) {
        st = ccgis_nomem(ctx);
        goto done;
    }
    for (size_t j = 0; j < m; j++) {
        if (!GEOSGeomGetX_r(h, plants->f[j].geom, &px[j]) ||
            !GEOSGeomGetY_r(h, plants->f[j].geom, &py[j])) {
            st = ccgis_error(ctx, CCGIS_ERR_GEOMETRY, "wastewater plant %s: not a point (%s)",
                             plants->f[j].key, ccgis_geos_reason(ctx, "GEOS failed"));
            goto done;
        }
        GEOSSTRtree_insert_r(h, tree, plants->f[j].geom, (void *)(j + 1));
    }
    for (size_t i = 0; i < n; i++) {
        r->plant[i] = SIZE_MAX;
        r->dist_m[i] = NAN;
        if ((progress && i % 1000 == 0 &&
             !progress((double)i / (double)n, "wastewater", progress_arg)) ||
            ccgis_interrupt_pending()) {
            st = ccgis_error(ctx, CCGIS_ERR_CANCELLED, "cancelled by the caller");
            goto done;
        }
        GEOSGeometry *box = widened_box(h, clusters->f[i].geom, max_m);
        if (!box) {
            st = ccgis_nomem(ctx);
            goto done;
        }
        c.n = 0;
        GEOSSTRtree_query_r(h, tree, box, ccgis_hits_collect, &c);
        GEOSGeom_destroy_r(h, box);
        if (c.nomem) {
            st = ccgis_nomem(ctx);
            goto done;
        }
        ccgis_hits_sort(&c);
        double best_yes = INFINITY, best_any = INFINITY;
        size_t plant_yes = SIZE_MAX, plant_any = SIZE_MAX;
        for (size_t k = 0; k < c.n; k++) {
            size_t j = c.i[k];
            double d;
            st = ccgis_geod_distance(ctx, px[j], py[j], clusters->f[i].geom, &d);
            if (st != CCGIS_OK) {
                if (st != CCGIS_ERR_CANCELLED) {
                    char why[512];
                    snprintf(why, sizeof why, "%s", ccgis_errmsg(ctx));
                    st = ccgis_error(ctx, st, "cluster %s, wastewater plant %s: %s",
                                     clusters->f[i].key, plants->f[j].key, why);
                }
                goto done;
            }
            if (d > max_m)
                continue;
            r->n_served[j]++;
            if (d < best_any) {
                best_any = d;
                plant_any = j;
            }
            if (meets[j] == 1 && d < best_yes) {
                best_yes = d;
                plant_yes = j;
            }
        }
        if (plant_yes != SIZE_MAX) {
            r->state[i] = CCGIS_WWTP_COMPLIANT;
            r->plant[i] = plant_yes;
            r->dist_m[i] = best_yes;
        } else if (plant_any != SIZE_MAX) {
            r->state[i] = CCGIS_WWTP_NOT_COMPLIANT;
            r->plant[i] = plant_any;
            r->dist_m[i] = best_any;
        }
    }
    for (size_t j = 0; j < m; j++)
        r->n_unused += r->n_served[j] == 0;
done:
    ccgis_hits_clear(&c);
    free(px);
    free(py);
    if (tree)
        GEOSSTRtree_destroy_r(h, tree);
    if (st != CCGIS_OK) {
        ccgis_wwtp_result_free(r);
        return st;
    }
    *out = r;
    return CCGIS_OK;
}
