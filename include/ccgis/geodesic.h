/*
 * ccgis/geodesic.h -- geodesic area and distance on the WGS 84 ellipsoid.
 *
 * Every area and distance ccgis reports is measured on the WGS 84 ellipsoid
 * (a = 6378137 m, f = 1/298.257223563), never in a projected plane: a
 * square metre is the same square metre in Soc Son and in Thanh Tri, and the
 * numbers are those PostGIS gives for the `geography` type, which is what
 * the Department's reports have been checked against.
 *
 * Input geometries are GEOS geometries made in the GEOS handle of a ccgis
 * context (ccgis_ctx_geos(ctx)) whose coordinates are longitude, latitude in
 * degrees, in that order (x = longitude, y = latitude: the "GIS order" of
 * EPSG:4326 as GDAL and PostGIS write it).  Layers in VN-2000 or any other
 * CRS are transformed to WGS 84 first (crs.h).  Z values are ignored.
 * Edges between vertices are geodesics (the shortest path on the
 * ellipsoid), not straight lines on a map: over 1 km the two differ by
 * millimetres, over 100 km by tens of metres.
 *
 * AREA
 *
 *   ccgis_geod_area() is PostGIS's ST_Area(geom::geography) (use_spheroid
 *   true): for each polygon, the absolute area of its exterior ring minus the
 *   absolute areas of its holes, summed over the polygons of a MultiPolygon
 *   or GeometryCollection.  Each ring is measured with PROJ's
 *   geod_polygon_addpoint() / geod_polygon_compute(), Karney's algorithm
 *   (C. F. F. Karney, "Algorithms for geodesics", J. Geodesy 87, 43-55
 *   (2013)), exact up to round-off: on the ccgis test polygons, from a 50 m
 *   square to Antarctica, it agrees with GeographicLib's own Python port to
 *   all 17 digits and with its C++ Planimeter to every digit that prints
 *   (1e-5 m^2), and with PostGIS 3.3 to 1e-11 relative.  The winding of a
 *   ring (clockwise or counter-clockwise) does not matter.
 *
 * DISTANCE
 *
 *   ccgis_geod_distance() is PostGIS's ST_Distance(point::geography,
 *   geom::geography) (use_spheroid true), computed by the same method so
 *   that the two agree to far better than a millimetre:
 *
 *     1. If the point is inside one of the polygons of g, or on its boundary,
 *        the distance is 0.  Containment is decided on the sphere, with the
 *        edges taken as great-circle arcs, as PostGIS does: a point inside a
 *        hole is outside the polygon.
 *     2. Otherwise the nearest point of g is found on the unit sphere
 *        (latitude taken as a spherical latitude): for every edge, the foot
 *        of the perpendicular from the point to the edge's great circle if it
 *        falls within the edge, else the nearer end; for every isolated
 *        point, that point.
 *     3. The result is the ellipsoidal geodesic distance (PROJ's
 *        geod_inverse) from the point to that nearest point, rounded to
 *        10 nm as PostGIS does (so a point on the boundary gives exactly 0).
 *
 *   This is not the exact ellipsoidal distance to the geodesic edges: the
 *   great-circle arc between two vertices departs from the ellipsoidal
 *   geodesic between them by up to (edge length)^2 * 1.3e-10 /m at Hanoi's
 *   latitude -- 0.1 mm for a 1 km edge, 1 mm for 3 km, 1.3 cm for 10 km,
 *   1.3 m for 100 km -- and a distance measured to the edge's interior can
 *   be off by as much.  The result is nevertheless what PostGIS gives, which
 *   is the point: ccgis and PostGIS agree within 1e-6 relative or 1 mm,
 *   whichever is larger.  Observed on 3,500 random points around polygons
 *   and lines with edges from 100 m to 110 km: at most 1e-8 m apart
 *   (PostGIS's rounding step), and the same inside/outside verdict every
 *   time, including 34 points near long edges where the verdict on the
 *   sphere differs from the one in the plane.
 *
 *   Short edges.  Whether the foot of the perpendicular falls within an
 *   edge is decided from the signs of two cross products, exact to about
 *   1 nm for edges of any length.  PostGIS 3.3 decides it by comparing
 *   cosines of angles from the edge's midpoint (edge_point_in_cone, with a
 *   2e-16 tolerance), which cannot place a foot near the end of a short
 *   edge: for a point whose foot falls just beyond the end of an edge
 *   shorter than about 20 m, PostGIS can return the distance to the edge's
 *   great circle instead of the distance to the end, too short by up to
 *   13 cm around a 3 cm edge, 3 cm around a 1 m edge, 5 mm around a 5 m edge
 *   and under 1 mm from 20 m up (measured on PostGIS 3.3.2).  There ccgis
 *   gives the true distance -- within 1 mm of GeographicLib for edges from
 *   3 cm to 1 km and points up to 50 cm away (tests/unit/test_geodesic.c) --
 *   and so differs from PostGIS by as much; everywhere else the two agree
 *   as stated above.
 *
 *   Step 1 assumes each ring is smaller than a hemisphere, which every
 *   administrative or cadastral polygon is.  Where PostGIS's own
 *   containment test miscounts (a stab line grazing a vertex exactly, see
 *   its circ_tree_contains_point), ccgis gives the correct answer.
 *
 * DEGENERATE CASES
 *
 *   - Empty geometry: area 0; distance fails with CCGIS_ERR_GEOMETRY
 *     (PostGIS returns NULL).  Empty parts of a collection are skipped.
 *   - Points and lines have no area; in a collection they add 0.
 *   - A polygon ring with fewer than three distinct vertices has area 0.
 *   - Longitudes outside [-180, 180] are taken modulo 360.
 *   - A latitude outside [-90, 90] or a coordinate that is NaN or infinite
 *     fails with CCGIS_ERR_GEOMETRY and a message naming the vertex: it
 *     almost always means a layer in metres (VN-2000) or in lat/lon order.
 *
 * THREADS
 *
 *   The ellipsoid is initialised once (pthread_once) and read only after
 *   that; there is no other state.  The functions taking a context may run
 *   in several threads at once, each with its own context (ctx.h);
 *   ccgis_geod_point_distance() needs none.
 *
 * EXAMPLE
 *
 *   The area of the 1-degree cell 105-106 E, 21-22 N (geodesic edges),
 *   and the distance from 105.5 E, 20.5 N to it:
 *
 *       ccgis_ctx *ctx = ccgis_ctx_new();
 *       GEOSContextHandle_t h = ccgis_ctx_geos(ctx);
 *       GEOSWKTReader *r = GEOSWKTReader_create_r(h);
 *       GEOSGeometry *cell =
 *           GEOSWKTReader_read_r(h, r, "POLYGON((105 21,106 21,106 22,105 22,105 21))");
 *       double area_m2, dist_m;
 *       if (ccgis_geod_area(ctx, cell, &area_m2) == CCGIS_OK)
 *           printf("%.3f km2\n", area_m2 / 1e6);         // 11473.233 km2
 *       if (ccgis_geod_distance(ctx, 105.5, 20.5, cell, &dist_m) == CCGIS_OK)
 *           printf("%.3f m\n", dist_m);                   // 55437.715 m
 *       GEOSGeom_destroy_r(h, cell);
 *       GEOSWKTReader_destroy_r(h, r);
 *       ctx = ccgis_ctx_free(ctx);
 *
 *   (PostGIS 3.3: ST_Area gives 11473232814.1745 m2, ST_Distance
 *   55437.7153657 m.)
 */
#ifndef CCGIS_GEODESIC_H
#define CCGIS_GEODESIC_H

#include <geos_c.h>

#include "ccgis/ctx.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * ccgis_geod_area -- geodesic area of the polygonal parts of a geometry.
 *
 *   ctx      in   the context whose GEOS handle made g; receives the error
 *   g        in   Polygon, MultiPolygon or GeometryCollection (any other
 *                 type counts 0) in lon/lat degrees; borrowed
 *   area_m2  out  area in square metres, >= 0; set to 0 on failure
 *
 * Polygon: |area of the exterior ring| - sum of |area of each hole|;
 * MultiPolygon and GeometryCollection: the sum over the polygonal parts
 * (nested collections included); empty: 0.  The same quantity as PostGIS's
 * ST_Area(g::geography).  Only the rings of polygons are read.
 *
 * Returns CCGIS_OK; CCGIS_ERR_GEOMETRY if a vertex of a ring is not finite
 * or has a latitude outside [-90, 90]; CCGIS_ERR_INTERNAL if GEOS fails to
 * give up the coordinates; CCGIS_ERR_CANCELLED ("cancelled by the caller") when
 * ccgis_interrupt_request() came (progress.h; looked at every 65,536
 * vertices).
 */
ccgis_status ccgis_geod_area(ccgis_ctx *ctx, const GEOSGeometry *g, double *area_m2);

/*
 * ccgis_geod_distance -- geodesic distance from a point to a geometry.
 *
 *   ctx      in   the context whose GEOS handle made g; receives the error
 *   lon      in   longitude of the point, degrees
 *   lat      in   latitude of the point, degrees, in [-90, 90]
 *   g        in   Point, LineString, LinearRing, Polygon, their Multi
 *                 forms or a GeometryCollection of them, in lon/lat
 *                 degrees; borrowed
 *   dist_m   out  distance in metres, >= 0; set to NaN on failure
 *
 * 0 when the point is inside a polygon of g or on its boundary; otherwise
 * the distance to the nearest point of g by PostGIS's method (see the file
 * comment), equal to PostGIS's ST_Distance(point::geography, g::geography)
 * within 1e-6 relative or 1 mm, whichever is larger -- except next to the
 * end of an edge shorter than about 20 m, where PostGIS 3.3 can be short by
 * up to 13 cm and ccgis gives the true distance (see "Short edges").
 *
 * Returns CCGIS_OK; CCGIS_ERR_GEOMETRY if the point or a vertex of g is not
 * finite or has a latitude outside [-90, 90], or if g is empty;
 * CCGIS_ERR_INTERNAL if GEOS fails to give up the coordinates;
 * CCGIS_ERR_CANCELLED ("cancelled by the caller") when ccgis_interrupt_request()
 * came (progress.h; looked at every 65,536 vertices).
 */
ccgis_status ccgis_geod_distance(ccgis_ctx *ctx, double lon, double lat, const GEOSGeometry *g,
                                 double *dist_m);

/*
 * ccgis_geod_point_distance -- geodesic distance between two points.
 *
 *   lon1, lat1  in  first point, degrees
 *   lon2, lat2  in  second point, degrees
 *
 * Returns the length in metres of the shortest geodesic between them on
 * WGS 84 (PROJ's geod_inverse, accurate to 15 nm), or NaN if a coordinate
 * is not finite or a latitude is outside [-90, 90].
 */
double ccgis_geod_point_distance(double lon1, double lat1, double lon2, double lat2);

#ifdef __cplusplus
}
#endif

#endif /* CCGIS_GEODESIC_H */
