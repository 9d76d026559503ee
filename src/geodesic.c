/*
 * geodesic.c -- geodesic area and distance on WGS 84 for GEOS geometries in
 * lon/lat degrees (see ccgis/geodesic.h, which is the manual).
 *
 * Exports ccgis_geod_area, ccgis_geod_distance and ccgis_geod_point_distance.
 *
 * Areas are PROJ's geodesic polygons (geod_polygon_*), ring by ring.
 * Distances follow the method of PostGIS's geography ST_Distance
 * (liblwgeom: circ_tree_distance_tree, edge_distance_to_point,
 * spheroid_distance), reimplemented here:
 *
 *   - vertices are put on the unit sphere with the geodetic latitude used
 *     as a spherical latitude;
 *   - containment is a winding count on the sphere, the edges being
 *     great-circle arcs: the azimuth of each vertex seen from the point is
 *     followed around the ring, and a ring whose azimuth turns by a full
 *     circle encloses the point;
 *   - the nearest point of every edge is the foot of the perpendicular from
 *     the point to the edge's great circle when it lies on the edge, else
 *     the nearer end; the nearest of all (in angle on the sphere) wins.
 *     "On the edge" is decided by the signs of two cross products (see
 *     near_edge), not by PostGIS's comparison of cosines, which fails near
 *     the ends of edges shorter than about 20 m;
 *   - the answer is geod_inverse from the point to that nearest point.
 *
 * Nothing here allocates: coordinates are read one at a time from the
 * geometries' own coordinate sequences.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>

#include <geodesic.h> /* PROJ's geodesic routines (libproj) */

#include "ccgis/geodesic.h"
#include "internal.h"

#ifndef M_PI /* not declared by <math.h> under plain C11 + POSIX */
#define M_PI 3.14159265358979323846
#endif

#define WGS84_A_M 6378137.0
#define WGS84_F (1.0 / 298.257223563)
#define DEG2RAD (M_PI / 180.0)
#define RAD2DEG (180.0 / M_PI)
/* PostGIS rounds geography distances to 10 nm ("funny business at the
 * nanometre level"); so do we, so that a point on a boundary gives 0. */
#define ROUND_PER_M 1.0e8

/* ---- the ellipsoid, initialised once ----------------------------------- */

static struct geod_geodesic wgs84; /* written once by wgs84_init, then read only */
static pthread_once_t wgs84_once = PTHREAD_ONCE_INIT;

/* Initialise `wgs84` with the WGS 84 axis and flattening.  Called once, by
 * pthread_once. */
static void wgs84_init(void)
{
    geod_init(&wgs84, WGS84_A_M, WGS84_F);
}

/* The WGS 84 ellipsoid, initialised on first use.  Returns a pointer to the
 * read-only, shared struct. */
static const struct geod_geodesic *wgs84_get(void)
{
    pthread_once(&wgs84_once, wgs84_init);
    return &wgs84;
}

/* ---- reading and checking coordinates ---------------------------------- */

/* 1 if (lon, lat) in degrees is usable: both finite, |lat| <= 90. */
static int lonlat_ok(double lon, double lat)
{
    return isfinite(lon) && isfinite(lat) && lat >= -90.0 && lat <= 90.0;
}

/*
 * Record why (lon, lat), described by `what` ("the point", "vertex 3 of a
 * polygon ring"), cannot be measured.  Returns CCGIS_ERR_GEOMETRY.
 */
static ccgis_status bad_lonlat(ccgis_ctx *ctx, const char *what, double lon, double lat)
{
    if (!isfinite(lon) || !isfinite(lat))
        return ccgis_error(ctx, CCGIS_ERR_GEOMETRY,
                           "%s has a coordinate that is not a number (%g, %g) -- repair or "
                           "drop the feature",
                           what, lon, lat);
    return ccgis_error(ctx, CCGIS_ERR_GEOMETRY,
                       "%s has latitude %g, outside -90..90 (lon, lat = %g, %g) -- geodesic "
                       "measures need longitude, latitude in degrees: check the layer's CRS "
                       "and transform it to EPSG:4326",
                       what, lat, lon, lat);
}

/*
 * Vertex i (0-based) of seq, checked.
 *   kind  in   what seq belongs to, for the message ("polygon ring", "line")
 *   lon, lat out  the vertex, degrees
 * Returns CCGIS_OK, CCGIS_ERR_GEOMETRY (bad coordinate) or
 * CCGIS_ERR_INTERNAL (GEOS failed), recorded in ctx.
 */
static ccgis_status seq_vertex(ccgis_ctx *ctx, const GEOSCoordSequence *seq, unsigned int i,
                               const char *kind, double *lon, double *lat)
{
    if (!GEOSCoordSeq_getXY_r(ctx->geos, seq, i, lon, lat))
        return ccgis_error(ctx, CCGIS_ERR_INTERNAL, "GEOS cannot read vertex %u of a %s (%s)",
                           i + 1, kind, ccgis_geos_reason(ctx, "no reason given"));
    if (!lonlat_ok(*lon, *lat)) {
        char what[64];
        snprintf(what, sizeof what, "vertex %u of a %s", i + 1, kind);
        return bad_lonlat(ctx, what, *lon, *lat);
    }
    return CCGIS_OK;
}

/*
 * The coordinate sequence of a Point, LineString or LinearRing (borrowed
 * from g) and its length.  Returns CCGIS_OK or CCGIS_ERR_INTERNAL
 * (recorded).
 */
static ccgis_status geom_seq(ccgis_ctx *ctx, const GEOSGeometry *g, const GEOSCoordSequence **seq,
                             unsigned int *n)
{
    *seq = GEOSGeom_getCoordSeq_r(ctx->geos, g);
    if (!*seq || !GEOSCoordSeq_getSize_r(ctx->geos, *seq, n))
        return ccgis_error(ctx, CCGIS_ERR_INTERNAL,
                           "GEOS cannot give the coordinates of a geometry part (%s)",
                           ccgis_geos_reason(ctx, "no reason given"));
    return CCGIS_OK;
}

/* Record that GEOS failed to give a geometry's parts, rings or emptiness.
 * Returns CCGIS_ERR_INTERNAL. */
static ccgis_status geos_failed(ccgis_ctx *ctx)
{
    return ccgis_error(ctx, CCGIS_ERR_INTERNAL, "GEOS cannot walk the geometry (%s)",
                       ccgis_geos_reason(ctx, "no reason given"));
}

/* ---- area ---------------------------------------------------------------- */

/*
 * Absolute geodesic area of one closed ring (a LinearRing of a polygon).
 * The closing vertex is not passed to PROJ, which closes the ring itself.
 *   area_m2  out  |signed area| in m^2 (0 for fewer than 3 vertices)
 * Returns CCGIS_OK or the status of a bad or unreadable vertex (recorded).
 */
static ccgis_status ring_area(ccgis_ctx *ctx, const GEOSGeometry *ring, double *area_m2)
{
    const struct geod_geodesic *gd = wgs84_get();
    const GEOSCoordSequence *seq;
    unsigned int n;
    *area_m2 = 0.0;
    ccgis_status st = geom_seq(ctx, ring, &seq, &n);
    if (st != CCGIS_OK || n == 0)
        return st;

    struct geod_polygon poly;
    geod_polygon_init(&poly, 0);
    double lon0 = 0.0, lat0 = 0.0;
    for (unsigned int i = 0; i < n; i++) {
        double lon, lat;
        if ((i & 0xFFFF) == 0xFFFF && ccgis_interrupt_pending())
            return ccgis_error(ctx, CCGIS_ERR_CANCELLED, "cancelled by the caller");
        st = seq_vertex(ctx, seq, i, "polygon ring", &lon, &lat);
        if (st != CCGIS_OK)
            return st;
        if (i == 0) {
            lon0 = lon;
            lat0 = lat;
        } else if (i == n - 1 && lon == lon0 && lat == lat0) {
            break; /* the closing vertex */
        }
        geod_polygon_addpoint(gd, &poly, lat, lon);
    }
    double signed_m2 = 0.0;
    /* reverse = 0, sign = 1: signed area, so a clockwise ring gives minus
     * its own area rather than the rest of the Earth. */
    geod_polygon_compute(gd, &poly, 0, 1, &signed_m2, NULL);
    *area_m2 = fabs(signed_m2);
    return CCGIS_OK;
}

/*
 * Add the area of the polygonal parts of g to *sum_m2: a Polygon adds
 * |shell| - sum |holes|; collections recurse; other types add nothing.
 * Returns CCGIS_OK or the failure (recorded).
 */
static ccgis_status geom_area_add(ccgis_ctx *ctx, const GEOSGeometry *g, double *sum_m2)
{
    GEOSContextHandle_t h = ctx->geos;
    char empty = GEOSisEmpty_r(h, g);
    if (empty == 2)
        return geos_failed(ctx);
    if (empty)
        return CCGIS_OK;

    int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_POLYGON) {
        double ring_m2;
        const GEOSGeometry *shell = GEOSGetExteriorRing_r(h, g);
        int nholes = GEOSGetNumInteriorRings_r(h, g);
        if (!shell || nholes < 0)
            return geos_failed(ctx);
        ccgis_status st = ring_area(ctx, shell, &ring_m2);
        if (st != CCGIS_OK)
            return st;
        double poly_m2 = ring_m2;
        for (int i = 0; i < nholes; i++) {
            const GEOSGeometry *hole = GEOSGetInteriorRingN_r(h, g, i);
            if (!hole)
                return geos_failed(ctx);
            st = ring_area(ctx, hole, &ring_m2);
            if (st != CCGIS_OK)
                return st;
            poly_m2 -= ring_m2;
        }
        *sum_m2 += poly_m2;
        return CCGIS_OK;
    }
    if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        int nparts = GEOSGetNumGeometries_r(h, g);
        if (nparts < 0)
            return geos_failed(ctx);
        for (int i = 0; i < nparts; i++) {
            const GEOSGeometry *part = GEOSGetGeometryN_r(h, g, i);
            if (!part)
                return geos_failed(ctx);
            ccgis_status st = geom_area_add(ctx, part, sum_m2);
            if (st != CCGIS_OK)
                return st;
        }
        return CCGIS_OK;
    }
    if (type < 0)
        return geos_failed(ctx);
    return CCGIS_OK; /* points and lines have no area */
}

/* ccgis_geod_area: see geodesic.h. */
ccgis_status ccgis_geod_area(ccgis_ctx *ctx, const GEOSGeometry *g, double *area_m2)
{
    double sum_m2 = 0.0;
    *area_m2 = 0.0;
    ccgis_status st = geom_area_add(ctx, g, &sum_m2);
    if (st == CCGIS_OK)
        *area_m2 = sum_m2;
    return st;
}

/* ---- the unit sphere --------------------------------------------------- */

/* A vertex on the unit sphere: its lon/lat in radians, their sines and
 * cosines, and its position vector. */
typedef struct sph_point {
    double lon, lat;   /* radians */
    double slat, clat; /* sin, cos of lat */
    double v[3];       /* unit vector */
} sph_point;

/* Fill *p from lon, lat in degrees (latitude taken as spherical). */
static void sph_init(sph_point *p, double lon_deg, double lat_deg)
{
    p->lon = lon_deg * DEG2RAD;
    p->lat = lat_deg * DEG2RAD;
    p->slat = sin(p->lat);
    p->clat = cos(p->lat);
    p->v[0] = p->clat * cos(p->lon);
    p->v[1] = p->clat * sin(p->lon);
    p->v[2] = p->slat;
}

/* Dot product of two 3-vectors. */
static double dot3(const double a[3], const double b[3])
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/* out = a x b for two 3-vectors (out must not alias a or b). */
static void cross3(const double a[3], const double b[3], double out[3])
{
    out[0] = a[1] * b[2] - a[2] * b[1];
    out[1] = a[2] * b[0] - a[0] * b[2];
    out[2] = a[0] * b[1] - a[1] * b[0];
}

/* Scale v to unit length in place.  Returns its former length (0 leaves v
 * unchanged). */
static double normalize3(double v[3])
{
    double len = sqrt(dot3(v, v));
    if (len > 0.0) {
        v[0] /= len;
        v[1] /= len;
        v[2] /= len;
    }
    return len;
}

/*
 * Angle in radians between two unit vectors, accurate for tiny and for
 * near-antipodal angles: atan2(|a x b|, a . b).
 */
static double sph_angle(const double a[3], const double b[3])
{
    double c[3];
    cross3(a, b, c);
    return atan2(sqrt(dot3(c, c)), dot3(a, b));
}

/*
 * a x b for two points on the sphere, computed from their latitudes and
 * longitudes so that it keeps its relative accuracy when a and b are a few
 * metres apart (the vector formula loses it to cancellation).  With
 * L = mean longitude, D = half the longitude difference b - a:
 *   x = sin(lat_b - lat_a) sin L cos D - sin(lat_a + lat_b) cos L sin D
 *   y = sin(lat_a - lat_b) cos L cos D - sin(lat_a + lat_b) sin L sin D
 *   z = cos lat_a cos lat_b sin(2D)
 * which is a x b expanded with the sum and difference angle identities.
 */
static void sph_cross(const sph_point *a, const sph_point *b, double out[3])
{
    double l = 0.5 * (a->lon + b->lon), d = 0.5 * (b->lon - a->lon);
    double sl = sin(l), cl = cos(l), sd = sin(d), cd = cos(d);
    double s_diff = sin(b->lat - a->lat), s_sum = sin(a->lat + b->lat);
    out[0] = s_diff * sl * cd - s_sum * cl * sd;
    out[1] = -s_diff * cl * cd - s_sum * sl * sd;
    out[2] = a->clat * b->clat * sin(b->lon - a->lon);
}

/*
 * Azimuth (radians, from north through east) at p of the great circle to q,
 * written so that it is accurate when q is metres from p.  Returns NaN when q
 * is p itself (no direction).
 */
static double sph_azimuth(const sph_point *p, const sph_point *q)
{
    double dlon = q->lon - p->lon;
    double s_half = sin(0.5 * dlon);
    double east = q->clat * sin(dlon);
    /* cos(lat_p) sin(lat_q) - sin(lat_p) cos(lat_q) cos(dlon), rewritten
     * without the cancellation of two nearly equal products. */
    double north = sin(q->lat - p->lat) + 2.0 * p->slat * q->clat * s_half * s_half;
    if (east == 0.0 && north == 0.0)
        return NAN;
    return atan2(east, north);
}

/* ---- distance ------------------------------------------------------------ */

/* What the distance search has found so far. */
typedef struct near_search {
    sph_point p;     /* the query point */
    int inside;      /* 1 once the point is inside or on a polygon */
    int found;       /* 1 once any vertex was seen */
    double best_rad; /* spherical angle to the nearest point so far */
    double best_lon; /* that nearest point, degrees */
    double best_lat;
} near_search;

/* Offer candidate nearest point q (on the sphere) at angle d_rad from the
 * query point; keep it if nearer than the best so far. */
static void near_offer(near_search *s, const double q[3], double d_rad)
{
    if (!s->found || d_rad < s->best_rad) {
        s->found = 1;
        s->best_rad = d_rad;
        s->best_lat = atan2(q[2], hypot(q[0], q[1])) * RAD2DEG;
        s->best_lon = atan2(q[1], q[0]) * RAD2DEG;
    }
}

/*
 * Offer the nearest point of the great-circle edge a-b to the query point:
 * the foot of the perpendicular from the point to the edge's great circle
 * when it lies between a and b, and the two ends.  A zero-length edge
 * offers its end only.
 *
 * "Between a and b" is decided by two signs, with n = a x b the edge's
 * normal: the foot k is on the minor arc a-b iff it is on b's side of a,
 * (n x a) . k >= 0, and on a's side of b, (b x n) . k >= 0.  Since n x a and
 * b x n are both perpendicular to n, the point p itself can stand in for k
 * (p and k differ by a multiple of n).  Each dot product is the sine of the
 * foot's signed arc from that end, computed with an absolute error near
 * 1e-16 rad (1 nm on the ground) whatever the edge's length.  (The test it
 * replaces compared the cosines of the foot's and the ends' angles from the
 * edge's midpoint; for an edge under a metre those agree to 15 digits or
 * more, so it misplaced feet by centimetres around short edges, as
 * PostGIS 3.3's edge_point_in_cone still does.)
 */
static void near_edge(near_search *s, const sph_point *a, const sph_point *b)
{
    near_offer(s, a->v, sph_angle(s->p.v, a->v));
    near_offer(s, b->v, sph_angle(s->p.v, b->v));

    double n[3];
    sph_cross(a, b, n);
    if (normalize3(n) == 0.0)
        return; /* a == b (or antipodal): no great circle */
    double toward_b[3], toward_a[3];
    cross3(n, a->v, toward_b); /* tangent at a, pointing along the edge */
    cross3(b->v, n, toward_a); /* tangent at b, pointing back along it */
    if (dot3(toward_b, s->p.v) < 0.0 || dot3(toward_a, s->p.v) < 0.0)
        return; /* the foot is beyond an end: the ends are nearer */
    /* Foot: the point minus its component along the normal, rescaled. */
    double pn = dot3(s->p.v, n);
    double k[3] = {s->p.v[0] - pn * n[0], s->p.v[1] - pn * n[1], s->p.v[2] - pn * n[2]};
    if (normalize3(k) == 0.0)
        return; /* the point is a pole of the great circle: ends are as near */
    near_offer(s, k, sph_angle(s->p.v, k));
}

/*
 * Walk the vertices of a Point, LineString or LinearRing: offer each edge
 * (each vertex, for a point) to the search, and if `winding` is not NULL
 * add the turn of the azimuth seen from the query point along the ring.
 * Sets *on_vertex when a vertex is the query point itself.
 *   kind  in  what g is, for messages ("line", "polygon ring", "point")
 * Returns CCGIS_OK or the failure (recorded).
 */
static ccgis_status near_seq(ccgis_ctx *ctx, near_search *s, const GEOSGeometry *g,
                             const char *kind, double *winding, int *on_vertex)
{
    const GEOSCoordSequence *seq;
    unsigned int n;
    ccgis_status st = geom_seq(ctx, g, &seq, &n);
    if (st != CCGIS_OK)
        return st;

    sph_point prev = {0}, cur = {0};
    double az_prev = 0.0;
    for (unsigned int i = 0; i < n; i++) {
        double lon, lat;
        if ((i & 0xFFFF) == 0xFFFF && ccgis_interrupt_pending())
            return ccgis_error(ctx, CCGIS_ERR_CANCELLED, "cancelled by the caller");
        st = seq_vertex(ctx, seq, i, kind, &lon, &lat);
        if (st != CCGIS_OK)
            return st;
        sph_init(&cur, lon, lat);
        if (n == 1)
            near_offer(s, cur.v, sph_angle(s->p.v, cur.v));
        else if (i > 0)
            near_edge(s, &prev, &cur);
        if (winding) {
            double az = sph_azimuth(&s->p, &cur);
            if (isnan(az))
                *on_vertex = 1;
            else if (i > 0) {
                double turn = az - az_prev;
                if (turn > M_PI)
                    turn -= 2.0 * M_PI;
                else if (turn < -M_PI)
                    turn += 2.0 * M_PI;
                *winding += turn;
            }
            az_prev = az;
        }
        prev = cur;
    }
    return CCGIS_OK;
}

/*
 * Offer a polygon's rings to the search and decide whether the query point
 * is inside: inside (or on) the shell and not strictly inside a hole.  A
 * ring encloses the point when the azimuth to its vertices turns through a
 * full circle (|winding| > pi: it is +-2 pi or 0 up to rounding).
 * Returns CCGIS_OK or the failure (recorded).
 */
static ccgis_status near_polygon(ccgis_ctx *ctx, near_search *s, const GEOSGeometry *g)
{
    GEOSContextHandle_t h = ctx->geos;
    const GEOSGeometry *shell = GEOSGetExteriorRing_r(h, g);
    int nholes = GEOSGetNumInteriorRings_r(h, g);
    if (!shell || nholes < 0)
        return geos_failed(ctx);

    double winding = 0.0;
    int on_vertex = 0;
    ccgis_status st = near_seq(ctx, s, shell, "polygon ring", &winding, &on_vertex);
    if (st != CCGIS_OK)
        return st;
    int inside = on_vertex || fabs(winding) > M_PI;
    for (int i = 0; i < nholes; i++) {
        const GEOSGeometry *hole = GEOSGetInteriorRingN_r(h, g, i);
        if (!hole)
            return geos_failed(ctx);
        double hole_winding = 0.0;
        int on_hole_vertex = 0;
        st = near_seq(ctx, s, hole, "polygon ring", &hole_winding, &on_hole_vertex);
        if (st != CCGIS_OK)
            return st;
        if (!on_hole_vertex && fabs(hole_winding) > M_PI)
            inside = 0;
    }
    if (inside)
        s->inside = 1;
    return CCGIS_OK;
}

/*
 * Offer every part of g to the search; stops early once the point is found
 * inside a polygon.  Returns CCGIS_OK or the failure (recorded).
 */
static ccgis_status near_geom(ccgis_ctx *ctx, near_search *s, const GEOSGeometry *g)
{
    GEOSContextHandle_t h = ctx->geos;
    char empty = GEOSisEmpty_r(h, g);
    if (empty == 2)
        return geos_failed(ctx);
    if (empty || s->inside)
        return CCGIS_OK;

    switch (GEOSGeomTypeId_r(h, g)) {
    case GEOS_POINT:
        return near_seq(ctx, s, g, "point", NULL, NULL);
    case GEOS_LINESTRING:
    case GEOS_LINEARRING:
        return near_seq(ctx, s, g, "line", NULL, NULL);
    case GEOS_POLYGON:
        return near_polygon(ctx, s, g);
    case GEOS_MULTIPOINT:
    case GEOS_MULTILINESTRING:
    case GEOS_MULTIPOLYGON:
    case GEOS_GEOMETRYCOLLECTION: {
        int nparts = GEOSGetNumGeometries_r(h, g);
        if (nparts < 0)
            return geos_failed(ctx);
        for (int i = 0; i < nparts && !s->inside; i++) {
            const GEOSGeometry *part = GEOSGetGeometryN_r(h, g, i);
            if (!part)
                return geos_failed(ctx);
            ccgis_status st = near_geom(ctx, s, part);
            if (st != CCGIS_OK)
                return st;
        }
        return CCGIS_OK;
    }
    default:
        return ccgis_error(ctx, CCGIS_ERR_GEOMETRY,
                           "cannot measure a distance to a geometry of GEOS type %d -- give a "
                           "point, line or polygon",
                           GEOSGeomTypeId_r(h, g));
    }
}

/* ccgis_geod_distance: see geodesic.h. */
ccgis_status ccgis_geod_distance(ccgis_ctx *ctx, double lon, double lat, const GEOSGeometry *g,
                                 double *dist_m)
{
    *dist_m = NAN;
    if (!lonlat_ok(lon, lat))
        return bad_lonlat(ctx, "the point", lon, lat);

    near_search s = {0};
    sph_init(&s.p, lon, lat);
    ccgis_status st = near_geom(ctx, &s, g);
    if (st != CCGIS_OK)
        return st;
    if (s.inside) {
        *dist_m = 0.0;
        return CCGIS_OK;
    }
    if (!s.found)
        return ccgis_error(ctx, CCGIS_ERR_GEOMETRY,
                           "cannot measure a distance to an empty geometry -- drop the "
                           "feature or repair its geometry");

    double s12_m = ccgis_geod_point_distance(lon, lat, s.best_lon, s.best_lat);
    *dist_m = round(s12_m * ROUND_PER_M) / ROUND_PER_M;
    return CCGIS_OK;
}

/* ccgis_geod_point_distance: see geodesic.h. */
double ccgis_geod_point_distance(double lon1, double lat1, double lon2, double lat2)
{
    if (!lonlat_ok(lon1, lat1) || !lonlat_ok(lon2, lat2))
        return NAN;
    double s12_m = 0.0;
    geod_inverse(wgs84_get(), lat1, lon1, lat2, lon2, &s12_m, NULL, NULL);
    return s12_m;
}
