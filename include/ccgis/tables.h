/*
 * ccgis/tables.h -- the engine's results as layers, ready for ccgis_write().
 *
 * Each function builds a new in-memory GDAL dataset (close it with
 * GDALClose; it is a GDALDatasetH) holding one layer, geometries in WGS 84
 * lon/lat.  Column names have at most 10 characters so that every output
 * format, Shapefile included, has the same schema.  Areas are geodesic on
 * WGS 84; hectares = m² / 10,000; percentages are 0-100.
 */
#ifndef CCGIS_TABLES_H
#define CCGIS_TABLES_H

#include "ccgis/assign.h"
#include "ccgis/ctx.h"
#include "ccgis/findings.h"
#include "ccgis/layer.h"
#include "ccgis/near.h"
#include "ccgis/overlay.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * ccgis_overlay_table -- layer named like the input: the input polygons and
 * fields, plus
 *   area_ha    geodesic area of the input, ha
 *   allow_ha   area on allowed classes, ha
 *   confl_ha   area on all other classes (conflict), ha
 *   confl_pct  confl_ha as a share of area_ha, %
 *   confl_top  class holding the most conflict area (empty if none)
 */
ccgis_status ccgis_overlay_table(ccgis_ctx *ctx, const ccgis_layer *input,
                                 const ccgis_overlay_result *r, void **ds);

/*
 * ccgis_pieces_table -- layer `name`: one polygon per input x class, with
 *   <id_col>   the input's id (column name id_col, e.g. "in_id", "cluster_id")
 *   class      the class value
 *   area_m2    geodesic area of the piece, m²;  area_ha  the same in ha
 *   share_pct  the piece's share of the input's area, %
 *   allowed    1 if the class is allowed, 0 if not
 *   n_zones    overlay features that made up the piece
 */
ccgis_status ccgis_pieces_table(ccgis_ctx *ctx, const ccgis_layer *input,
                                const ccgis_overlay_result *r, const char *name,
                                const char *id_col, void **ds);

/*
 * ccgis_assign_table -- the input polygons and fields, plus
 *   zone      name of the zone holding the largest share (empty: none)
 *   zone_pct  that share of the input's geodesic area, %
 *   n_zones   zones touched by at least 1 m²
 */
ccgis_status ccgis_assign_table(ccgis_ctx *ctx, const ccgis_layer *input,
                                const ccgis_assign_result *r, void **ds);

/*
 * ccgis_near_points_table -- the points and their fields, plus
 *   near_id  id of the nearest polygon
 *   near_m   geodesic distance to it, m (0 inside)
 *   within   1 if near_m <= the radius, else 0
 */
ccgis_status ccgis_near_points_table(ccgis_ctx *ctx, const ccgis_layer *points,
                                     const ccgis_layer *targets, const ccgis_near_result *r,
                                     void **ds);

/*
 * ccgis_near_targets_table -- the polygons and their fields, plus
 *   n_within  points within the radius of the polygon
 */
ccgis_status ccgis_near_targets_table(ccgis_ctx *ctx, const ccgis_layer *targets,
                                      const ccgis_near_result *r, void **ds);

/*
 * ccgis_findings_table -- layer "findings": one feature per finding, with
 * its geometry where it has one, and
 *   kind     GEOMETRY_SKIPPED, GEOMETRY_REPAIRED, CLUSTER_OVERLAP, ...
 *   layer    the layer of the subject
 *   subject  the feature's id;  other  the other id or class (may be empty)
 *   area_ha  area concerned, ha (NULL when none applies)
 *   detail   one sentence
 */
ccgis_status ccgis_findings_table(ccgis_ctx *ctx, const ccgis_findings *findings, void **ds);

#ifdef __cplusplus
}
#endif

#endif /* CCGIS_TABLES_H */
