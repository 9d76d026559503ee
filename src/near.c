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

#include "internal.h"

/*
 * Lower bound, metres, of the distance from (lon, lat) to anything inside
 * box b (min lon, min lat, max lon, max lat); 0 inside the box.
 *
 * The distance between two points is at least the difference of their
 * meridian arc lengths (the meridian arc is 1-Lipschitz), and at least the
 * longitude difference times the radius of the parallel at the latitude
 * nearest a pole the path can reach, taken 1 degree beyond the point and the
 * box to allow for geodesics bowing poleward; the result is lowered by 1%
 * more for the parallel not being a geodesic.  Conservative: it only saves
 * work, never changes a result.
 */
static double box_bound_m(double lon, double lat, const double b[4])
{
    double clon = lon < b[0] ? b[0] : lon > b[2] ? b[2] : lon;
    double clat = lat < b[1] ? b[1] : lat > b[3] ? b[3] : lat;
    if (clon == lon && clat == lat)
        return 0.0;
    double dlat_m = ccgis_geod_point_distance(lon, lat, lon, clat);
    double plat = fmax(fmax(fabs(lat), fabs(b[1])), fabs(b[3])) + 1.0;
    if (plat >= 89.0)
        return dlat_m * 0.99;
    double dlon_m = ccgis_geod_point_distance(lon, plat, clon, plat);
    return fmax(dlat_m, dlon_m) * 0.99;
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
    for (size_t i = 0; i < points->n && st == CCGIS_OK; i++) {
        double lon, lat;
        GEOSGeomGetX_r(ctx->geos, points->f[i].geom, &lon);
        GEOSGeomGetY_r(ctx->geos, points->f[i].geom, &lat);
        double best = INFINITY;
        size_t best_t = SIZE_MAX;
        for (size_t t = 0; t < targets->n; t++) {
            double bound = box_bound_m(lon, lat, box[t]);
            if (bound > radius_m && bound > best)
                continue;
            double d;
            if ((st = ccgis_geod_distance(ctx, lon, lat, targets->f[t].geom, &d)) != CCGIS_OK) {
                ccgis_where at = {targets->source, targets->name, targets->f[t].fid};
                st = ccgis_error_at(ctx, st, at, "cannot measure the distance to %s %s: %s",
                                    points->what, points->f[i].key, ccgis_errmsg(ctx));
                break;
            }
            if (d < best) {
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
