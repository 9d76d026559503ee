/*
 * near.c -- proximity of points to polygons (see ccgis/near.h).
 *
 * A lower bound of the distance from a point to a polygon comes from the
 * polygon's lon/lat box (box_bound_m).  Pairs whose bound exceeds both the
 * radius and the best distance so far are not measured.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * Lower bound, metres, of the distance from (lon, lat) to anything inside
 * box b (min lon, min lat, max lon, max lat); 0 inside the box.
 *
 * A degree of latitude is never shorter than 110,574 m (on the equator) and a
 * degree of longitude at latitude phi never shorter than 111,319.49 m x
 * cos(phi) (the ellipsoid's parallels are longer than the sphere of radius a
 * would give); phi is taken 1 degree beyond the point and the box towards the
 * pole, for geodesics bowing poleward.  The result is lowered by 1% more.
 * Pure arithmetic: it only decides which pairs to measure, never a result.
 */
static double box_bound_m(double lon, double lat, const double b[4])
{
    double dlon = lon < b[0] ? b[0] - lon : lon > b[2] ? lon - b[2] : 0.0;
    double dlat = lat < b[1] ? b[1] - lat : lat > b[3] ? lat - b[3] : 0.0;
    if (dlon == 0.0 && dlat == 0.0)
        return 0.0;
    double plat = fmax(fmax(fabs(lat), fabs(b[1])), fabs(b[3])) + 1.0;
    double per_lon = plat >= 90.0 ? 0.0 : 111319.49 * cos(plat * M_PI / 180.0);
    return fmax(dlat * 110574.0, dlon * per_lon) * 0.99;
}

/* A target and its bound, for visiting targets nearest first. */
typedef struct bounded {
    double bound_m;
    size_t t;
} bounded;

/* qsort comparator: by bound, then by target index (reading order). */
static int by_bound(const void *a, const void *b)
{
    const bounded *x = a, *y = b;
    if (x->bound_m != y->bound_m)
        return x->bound_m < y->bound_m ? -1 : 1;
    return x->t < y->t ? -1 : x->t > y->t;
}

/* ccgis_near: see near.h. */
ccgis_status ccgis_near(ccgis_ctx *ctx, const ccgis_layer *points, const ccgis_layer *targets,
                        double radius_m, ccgis_near_result **out)
{
    *out = NULL;
    if (!isfinite(radius_m) || radius_m < 0)
        return ccgis_error(ctx, CCGIS_ERR_USAGE,
                           "radius %g m is not a distance -- give metres, 0 or more", radius_m);
    ccgis_near_result *r = ccgis_calloc(ctx, 1, sizeof *r);
    double(*box)[4] = ccgis_calloc(ctx, targets->n, sizeof *box);
    bounded *order = NULL;
    ccgis_status st = CCGIS_OK;
    if (!r || !box) {
        st = CCGIS_ERR_NOMEM;
        goto done;
    }
    r->n_points = points->n;
    r->n_targets = targets->n;
    r->radius_m = radius_m;
    r->nearest = ccgis_calloc(ctx, points->n, sizeof *r->nearest);
    r->dist_m = ccgis_calloc(ctx, points->n, sizeof *r->dist_m);
    r->within = ccgis_calloc(ctx, points->n, sizeof *r->within);
    r->n_within = ccgis_calloc(ctx, targets->n, sizeof *r->n_within);
    if (!r->nearest || !r->dist_m || !r->within || !r->n_within) {
        st = CCGIS_ERR_NOMEM;
        goto done;
    }
    for (size_t t = 0; t < targets->n; t++) {
        GEOSGeom_getXMin_r(ctx->geos, targets->f[t].geom, &box[t][0]);
        GEOSGeom_getYMin_r(ctx->geos, targets->f[t].geom, &box[t][1]);
        GEOSGeom_getXMax_r(ctx->geos, targets->f[t].geom, &box[t][2]);
        GEOSGeom_getYMax_r(ctx->geos, targets->f[t].geom, &box[t][3]);
    }
    order = ccgis_calloc(ctx, targets->n, sizeof *order);
    if (!order) {
        st = CCGIS_ERR_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < points->n && st == CCGIS_OK; i++) {
        double lon, lat;
        if (!GEOSGeomGetX_r(ctx->geos, points->f[i].geom, &lon) ||
            !GEOSGeomGetY_r(ctx->geos, points->f[i].geom, &lat)) {
            ccgis_where at = {points->source, points->name, points->f[i].fid};
            st = ccgis_error_at(ctx, CCGIS_ERR_GEOMETRY, at, "is not a point with coordinates");
            break;
        }
        for (size_t t = 0; t < targets->n; t++)
            order[t] = (bounded){box_bound_m(lon, lat, box[t]), t};
        qsort(order, targets->n, sizeof *order, by_bound);
        double best = INFINITY;
        size_t best_t = SIZE_MAX;
        /* Nearest first: stop once no target can be nearer nor within the radius. */
        for (size_t k = 0; k < targets->n; k++) {
            size_t t = order[k].t;
            if (order[k].bound_m > radius_m && order[k].bound_m > best)
                break;
            double d;
            if ((st = ccgis_geod_distance(ctx, lon, lat, targets->f[t].geom, &d)) != CCGIS_OK) {
                ccgis_where at = {targets->source, targets->name, targets->f[t].fid};
                st = ccgis_error_at(ctx, st, at, "cannot measure the distance to %s %s: %s",
                                    points->what, points->f[i].key, ccgis_errmsg(ctx));
                break;
            }
            /* Equal distances (a point inside two overlapping targets, or on their
             * common edge): the smaller id wins, whatever the reading order. */
            if (d < best ||
                (d == best && best_t != SIZE_MAX &&
                 strcmp(targets->f[t].key, targets->f[best_t].key) < 0)) {
                best = d;
                best_t = t;
            }
            if (d <= radius_m)
                r->n_within[t]++;
        }
        r->nearest[i] = best_t;
        r->dist_m[i] = best;
        r->within[i] = best <= radius_m;
    }
    if (st == CCGIS_OK) {
        *out = r;
        r = NULL;
    }
done:
    free(box);
    free(order);
    ccgis_near_result_free(r);
    return st;
}

/* ccgis_near_result_free: see near.h. */
ccgis_near_result *ccgis_near_result_free(ccgis_near_result *r)
{
    if (!r)
        return NULL;
    free(r->nearest);
    free(r->dist_m);
    free(r->within);
    free(r->n_within);
    free(r);
    return NULL;
}
