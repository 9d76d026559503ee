/*
 * ccgis/overlaps.h -- polygons of one layer that overlap each other, and the
 * layer's area counting shared ground once.
 *
 * Two industrial clusters should never share ground; when they do it is a
 * data problem (a boundary drawn twice, a plan revised without retiring the
 * old polygon).  Each pair sharing area becomes a finding with the geodesic
 * area of the overlap (m²) and its geometry -- PostGIS:
 * ST_Area(ST_Intersection(a, b)::geography) for a.id < b.id.  Pairs that
 * only touch (no area) are neither findings nor counted.  The finding's kind
 * says what the layer is: OVERLAP for any layer (`ccgis overlaps`),
 * CLUSTER_OVERLAP for the clusters of a job (`ccgis run`).
 *
 * Overlaps smaller than a threshold (slivers left where a shared boundary
 * was digitised twice) may be left out of the findings; they are still
 * counted, with their total area, so that nothing disappears silently.
 *
 * Candidate pairs come from a GEOS STRtree of the polygons' boxes and are
 * tested with prepared geometries; the intersection is GEOS's, in lon/lat,
 * measured on the ellipsoid (geodesic.h).
 *
 * EXAMPLE
 *
 *   Overlaps of 1 m² or more as OVERLAP findings, and the area of the layer
 *   counting every overlap once:
 *
 *       ccgis_overlaps_options o = {CCGIS_OVERLAP, 1.0};
 *       ccgis_overlaps_summary s;
 *       double sum_m2, union_m2;
 *       if (ccgis_self_overlaps(ctx, layer, &o, NULL, NULL, &findings, &s) == CCGIS_OK &&
 *           ccgis_union_area(ctx, layer, NULL, NULL, &sum_m2, &union_m2) == CCGIS_OK)
 *           printf("%zu overlaps listed, %zu under 1 m² (%.1f m²); %.2f ha, "
 *                  "%.2f ha counting overlaps once\n",
 *                  s.n_listed, s.n_small, s.small_m2, sum_m2 / 1e4, union_m2 / 1e4);
 *
 *   On shapes/clusters.shp: 1 overlap listed (CCN07 / CCN08, 57,711.9 m²),
 *   none under 1 m²; 967.97 ha, 962.19 ha counting that overlap once.
 */
#ifndef CCGIS_OVERLAPS_H
#define CCGIS_OVERLAPS_H

#include <stddef.h>

#include "ccgis/ctx.h"
#include "ccgis/findings.h"
#include "ccgis/layer.h"
#include "ccgis/progress.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * What ccgis_self_overlaps() reports.  Passing NULL for the options means
 * {CCGIS_OVERLAP, 0.0}: every pair sharing any area is an OVERLAP finding.
 */
typedef struct ccgis_overlaps_options {
    ccgis_finding_kind kind; /* kind of each finding: CCGIS_OVERLAP, or
                                CCGIS_CLUSTER_OVERLAP for a job's clusters */
    double min_area_m2;      /* overlaps of less than this (geodesic m², finite,
                                >= 0) are counted but not findings; 0: all listed */
} ccgis_overlaps_options;

/* What ccgis_self_overlaps() found.  Each pair sharing area (> 0 m²) is in
 * exactly one of the two counts. */
typedef struct ccgis_overlaps_summary {
    size_t n_listed; /* pairs of min_area_m2 or more: findings */
    size_t n_small;  /* pairs of less than min_area_m2: counted only */
    double small_m2; /* total overlap area of those n_small pairs, geodesic m² */
} ccgis_overlaps_summary;

/*
 * ccgis_self_overlaps -- the pairs of polygons of a layer that share area.
 *
 *   ctx       in   the context whose GEOS handle made the layer; receives
 *                  the error
 *   layer     in   loaded with CCGIS_ROLE_POLYGONS; borrowed
 *   opts      in   kind and threshold; NULL: {CCGIS_OVERLAP, 0.0}
 *   progress, progress_arg
 *             in   called every 1,000 polygons (progress.h); may be NULL
 *   findings  in/out  for each pair whose overlap is at least
 *                  opts->min_area_m2, a finding of opts->kind is appended,
 *                  in reading order: subject the feature read first, other
 *                  the second, area_m2 the geodesic area of the overlap,
 *                  geom the overlap as a MultiPolygon (owned by the list),
 *                  layer layer->what.  May be NULL: then only counted.
 *   summary   out  the counts (may be NULL); zeroed on failure
 *
 * Returns CCGIS_OK; CCGIS_ERR_USAGE (kind not a finding kind, min_area_m2
 * negative or not finite; cancelled by the progress callback);
 * CCGIS_ERR_GEOMETRY (GEOS cannot intersect a pair,
 * or a vertex is out of range: the message names the features);
 * CCGIS_ERR_NOMEM.  On failure the findings appended so far stay in the list.
 */
ccgis_status ccgis_self_overlaps(ccgis_ctx *ctx, const ccgis_layer *layer,
                                 const ccgis_overlaps_options *opts, ccgis_progress_fn progress,
                                 void *progress_arg, ccgis_findings *findings,
                                 ccgis_overlaps_summary *summary);

/*
 * ccgis_union_area -- the layer's total area, and the same with shared
 * ground counted once: for a report's "X ha; Y ha counting the CCN07 /
 * CCN08 overlap once".
 *
 *   ctx       in   as above
 *   layer     in   loaded with CCGIS_ROLE_POLYGONS; borrowed
 *   progress, progress_arg
 *             in   called every 1,000 polygons (progress.h); may be NULL
 *   sum_m2    out  sum of the polygons' geodesic areas, m² -- PostGIS
 *                  SUM(ST_Area(geom::geography)); may be NULL
 *   union_m2  out  geodesic area of their union, m² -- PostGIS
 *                  ST_Area(ST_Union(geom)::geography); may be NULL
 *
 * The pairs sharing area are found by the same STRtree pass as
 * ccgis_self_overlaps(); they join the polygons into groups, and each group
 * of two or more is unioned alone (GEOS unary union, in lon/lat, then
 * ccgis_geod_area) while a polygon sharing no area adds its own area: the
 * cost follows the overlaps, not the layer (100,000 polygons with 10,000
 * overlapping pairs: about 2 s).  Without any overlap *union_m2 is *sum_m2
 * exactly.  Polygons that only touch do not make the union smaller.
 *
 * With overlaps, *sum_m2 - *union_m2 is the total overlap area only
 * approximately: where two boundaries cross, GEOS puts the crossing point
 * on the straight lon/lat segment, which lies millimetres off the geodesic
 * edge it splits (up to 2 mm for a 500 m edge at 21 N), so the union's
 * edges are not exactly the polygons' edges.  The difference is a few
 * tenths of a square metre per crossing of edges a few hundred metres long,
 * and grows as the cube of their length.  On shapes/clusters.shp,
 * sum - union is 57,711.54 m² for a CCN07 / CCN08 overlap of 57,711.91 m²
 * (PostGIS gives the same three figures; in the lon/lat plane the two agree
 * to 1e-17).  An overlap of a few tenths of m² may thus even leave
 * *union_m2 slightly above *sum_m2.
 * Both are set to 0 on failure.
 *
 * Returns CCGIS_OK; CCGIS_ERR_CANCELLED (cancelled by the progress callback);
 * CCGIS_ERR_GEOMETRY (GEOS cannot intersect a pair or union a group, or a
 * vertex is out of range); CCGIS_ERR_NOMEM.
 */
ccgis_status ccgis_union_area(ccgis_ctx *ctx, const ccgis_layer *layer,
                              ccgis_progress_fn progress, void *progress_arg, double *sum_m2,
                              double *union_m2);

#ifdef __cplusplus
}
#endif

#endif /* CCGIS_OVERLAPS_H */
