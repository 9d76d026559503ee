/*
 * ccgis/near.h -- proximity of points (craft villages) to polygons (clusters).
 *
 * For each point: the nearest polygon and the geodesic distance to it in
 * metres, 0 when the point is inside -- equal to PostGIS
 * ST_Distance(point::geography, polygon::geography) (geodesic.h gives the
 * method and its accuracy); whether that distance is within the radius.
 * For each polygon: how many points lie within the radius of it -- PostGIS
 * ST_DWithin(point::geography, polygon::geography, radius).
 * On equal distances (a point inside two overlapping polygons, or on their
 * common edge) the polygon with the smaller id (byte order) wins, whatever
 * the reading order.
 *
 * Every point-polygon pair whose boxes can be within the radius is measured;
 * the nearest polygon is searched nearest first in a tree of the polygons'
 * boxes, pruned by a lower bound of the distance to a box.  Cost grows as
 * points x log(polygons) plus the pairs within reach: 10,000 villages and
 * 100,000 clusters take about a second.
 */
#ifndef CCGIS_NEAR_H
#define CCGIS_NEAR_H

#include <stddef.h>

#include "ccgis/ctx.h"
#include "ccgis/layer.h"
#include "ccgis/progress.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The result of ccgis_near(). */
typedef struct ccgis_near_result {
    size_t n_points;
    size_t *nearest; /* [n_points] index of the nearest polygon in targets->f */
    double *dist_m;  /* [n_points] geodesic distance to it, metres; 0 inside */
    int *within;     /* [n_points] 1 if dist_m <= radius_m */
    size_t n_targets;
    long long *n_within; /* [n_targets] points within radius_m of each polygon */
    double radius_m;
} ccgis_near_result;

/*
 * ccgis_near -- nearest polygon of each point, points within a radius of
 * each polygon.
 *
 *   points    in: loaded with CCGIS_ROLE_POINTS.
 *   targets   in: loaded with CCGIS_ROLE_POLYGONS.
 *   radius_m  in: metres, >= 0.
 *   progress, progress_arg
 *             in: called about every 1,000 points (progress.h); may be NULL.
 *   out       out: the result (ccgis_near_result_free); NULL on failure.
 *
 * Returns CCGIS_OK, CCGIS_ERR_USAGE (negative or non-finite radius),
 * CCGIS_ERR_CANCELLED (the progress callback said stop, or Ctrl-C:
 * "cancelled by the caller"), CCGIS_ERR_GEOMETRY or CCGIS_ERR_NOMEM.
 */
ccgis_status ccgis_near(ccgis_ctx *ctx, const ccgis_layer *points, const ccgis_layer *targets,
                        double radius_m, ccgis_progress_fn progress, void *progress_arg,
                        ccgis_near_result **out);

/* ccgis_near_result_free -- release a result; NULL is accepted.  Returns NULL. */
ccgis_near_result *ccgis_near_result_free(ccgis_near_result *r);

#ifdef __cplusplus
}
#endif

#endif /* CCGIS_NEAR_H */
