/*
 * ccgis/overlaps.h -- polygons of one layer that overlap each other.
 *
 * Two industrial clusters should never share ground; when they do it is a
 * data problem (a boundary drawn twice, a plan revised without retiring the
 * old polygon).  Each pair sharing area becomes a CLUSTER_OVERLAP finding
 * with the geodesic area of the overlap (m²) and its geometry -- PostGIS:
 * ST_Area(ST_Intersection(a, b)::geography) for a.id < b.id.  Pairs that
 * only touch (no area) are not findings.  Candidate pairs come from a GEOS
 * STRtree and prepared geometries.
 */
#ifndef CCGIS_OVERLAPS_H
#define CCGIS_OVERLAPS_H

#include "ccgis/ctx.h"
#include "ccgis/findings.h"
#include "ccgis/layer.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * ccgis_self_overlaps -- append a CLUSTER_OVERLAP finding (subject: the
 * feature read first, other: the second) for each pair of polygons of
 * `layer` that share area, in reading order.  *n_pairs (may be NULL)
 * receives how many.  Returns CCGIS_OK or CCGIS_ERR_GEOMETRY / NOMEM.
 */
ccgis_status ccgis_self_overlaps(ccgis_ctx *ctx, const ccgis_layer *layer,
                                 ccgis_findings *findings, size_t *n_pairs);

#ifdef __cplusplus
}
#endif

#endif /* CCGIS_OVERLAPS_H */
