/*
 * ccgis/area.h -- areas of polygons: geodesic, and planar in a named CRS.
 *
 * Geodesic area is measured on the WGS 84 ellipsoid by PROJ's geodesic
 * polygon routines (geodesic.h): holes subtracted, parts of multipolygons
 * summed -- the same quantity as PostGIS ST_Area(geom::geography).
 *
 * Planar area is the area in the plane of a projected CRS, e.g. EPSG:5897
 * (VN-2000 / TM-3 105), in which Vietnamese cadastral areas are officially
 * stated: the polygon, as loaded and repaired in its source CRS, is
 * transformed vertex by vertex to that CRS and measured there -- the same as
 * PostGIS ST_Area(ST_Transform(geom, 5897)).  In Hanoi the two differ by
 * about 1e-4 relative; reports say which one a number is.
 */
#ifndef CCGIS_AREA_H
#define CCGIS_AREA_H

#include "ccgis/crs.h"
#include "ccgis/ctx.h"
#include "ccgis/findings.h"
#include "ccgis/layer.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * ccgis_layer_areas -- the area of every feature of a loaded polygon layer.
 *
 *   layer    in: loaded with CCGIS_ROLE_POLYGONS.
 *   plan     in: a projected CRS for planar areas, or NULL.
 *   area_m2  out: layer->n geodesic areas, m².
 *   plan_m2  out: layer->n planar areas in `plan`, m² (may be NULL when plan is NULL).
 *
 * Returns CCGIS_OK, CCGIS_ERR_CRS (plan is geographic: its "area" would be in
 * square degrees), CCGIS_ERR_TRANSFORM (a polygon cannot be transformed to
 * plan; the message names it) or CCGIS_ERR_GEOMETRY.
 */
ccgis_status ccgis_layer_areas(ccgis_ctx *ctx, const ccgis_layer *layer, const ccgis_crs *plan,
                               double *area_m2, double *plan_m2);

/* Options of ccgis_area(). */
typedef struct ccgis_area_options {
    ccgis_layer_spec input; /* the polygons (role is forced to polygons) */
    const char *plan_crs;   /* CRS for plan_ha, e.g. "EPSG:5897"; NULL: none */
} ccgis_area_options;

/*
 * ccgis_area -- the `ccgis area` command: load the input, measure it, and
 * return the result as a new in-memory GDAL dataset (close with GDALClose)
 * holding one layer named like the input: the input's fields, then
 *   area_m2  geodesic area on WGS 84, m²
 *   area_ha  the same in hectares (area_m2 / 10,000)
 *   plan_ha  planar area in plan_crs, hectares (only when plan_crs is given)
 * and the (repaired) polygon in WGS 84.  Skipped and repaired features are
 * appended to `findings`.
 */
ccgis_status ccgis_area(ccgis_ctx *ctx, const ccgis_area_options *options,
                        ccgis_findings *findings, void **result);

#ifdef __cplusplus
}
#endif

#endif /* CCGIS_AREA_H */
