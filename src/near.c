/*
 * near.c -- proximity of points to polygons (see ccgis/near.h).
 *
 * A lower bound of the distance from a point to a polygon comes from the
 * polygon's lon/lat box (box_bound_m).  The polygons' boxes are packed in a
 * tree (boxtree.c) walked nearest first for each point; the walk stops at
 * the first polygon whose bound exceeds both the radius and the best
 * distance so far, so pairs beyond both are never measured.
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

/* The point a walk measures from: (lon, lat), for box_bound_m. */
typedef struct from_point {
    double lon, lat;
} from_point;

/* ccgis_box_bound_fn of the tree walk: box_bound_m from the point.  The
 * bound never grows with the box (a wider box is nearer in longitude and
 * latitude, and reaches nearer the pole), as the walk requires. */
static double point_bound(const double b[4], void *arg)
{
    const from_point *p = arg;
    return box_bound_m(p->lon, p->lat, b);
}

/* ccgis_near: see near.h. */
ccgis_status ccgis_near(ccgis_ctx *ctx, const ccgis_layer *points, const ccgis_layer *targets,
                        double radius_m, ccgis_progress_fn progress, void *progress_arg,
                        ccgis_near_result **out)
{
    *out = NULL;
    if (!isfinite(radius_m) || radius_m < 0)
        return ccgis_error(ctx, CCGIS_ERR_USAGE,
                           "radius %g m is not a distance -- give metres, 0 or more", radius_m);
    ccgis_near_result *r = ccgis_calloc(ctx, 1, sizeof *r);
    double(*box)[4] = ccgis_calloc(ctx, targets->n + 1, sizeof *box);
    ccgis_boxtree *tree = NULL;
    ccgis_boxwalk walk = {0};
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
    if (!(tree = ccgis_boxtree_new(ctx, (const double(*)[4])box, targets->n))) {
        st = CCGIS_ERR_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < points->n && st == CCGIS_OK; i++) {
        if (progress && i % 1000 == 999 &&
            !progress((double)i / (double)points->n, "villages", progress_arg)) {
            st = ccgis_error(ctx, CCGIS_ERR_CANCELLED, "cancelled by the caller");
            break;
        }
        from_point p;
        if (!GEOSGeomGetX_r(ctx->geos, points->f[i].geom, &p.lon) ||
            !GEOSGeomGetY_r(ctx->geos, points->f[i].geom, &p.lat)) {
            ccgis_where at = {points->source, points->name, points->f[i].fid};
            st = ccgis_error_feature(ctx, CCGIS_ERR_GEOMETRY, at, points->f[i].key,
                                     "is not a point with coordinates");
            break;
        }
        if (!ccgis_boxwalk_start(&walk, tree, point_bound, &p)) {
            st = ccgis_nomem(ctx);
            break;
        }
        double best = INFINITY, bound;
        size_t best_t = SIZE_MAX, t;
        int got;
        /* Nearest first: stop once no target can be nearer nor within the radius. */
        while ((got = ccgis_boxwalk_next(&walk, &t, &bound)) == 1) {
            if (bound > radius_m && bound > best)
                break;
            double d;
            if ((st = ccgis_geod_distance(ctx, p.lon, p.lat, targets->f[t].geom, &d)) != CCGIS_OK) {
                ccgis_where at = {targets->source, targets->name, targets->f[t].fid};
                st = ccgis_error_feature(ctx, st, at, targets->f[t].key,
                                         "cannot measure the distance to %s %s: %s", points->what,
                                         points->f[i].key, ccgis_errmsg(ctx));
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
        if (got < 0 && st == CCGIS_OK)
            st = ccgis_nomem(ctx);
        r->nearest[i] = best_t;
        r->dist_m[i] = best;
        r->within[i] = best <= radius_m;
    }
    if (st == CCGIS_OK) {
        *out = r;
        r = NULL;
    }
done:
    ccgis_boxwalk_clear(&walk);
    ccgis_boxtree_free(tree);
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
