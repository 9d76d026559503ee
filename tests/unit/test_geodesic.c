/*
 * test_geodesic.c -- geodesic area and distance on WGS 84 (geodesic.c).
 *
 * Every reference number below comes from a tool that does not share code
 * with ccgis; tests/unit/geodesic_reference.md gives the exact command or
 * query and its output for each:
 *
 *   - areas: GeographicLib 2.1.2's Planimeter (C++, Debian package
 *     geographiclib-tools), which prints areas to 1e-5 m^2, and the same
 *     polygons through GeographicLib's Python port (python3-geographiclib
 *     2.0) for all 17 digits;
 *   - distances and the areas of the distance test polygons: PostGIS 3.3.2
 *     (PostgreSQL 15, PROJ 9.1.1), ST_Distance(geography) and
 *     ST_Area(geography), both with use_spheroid = true;
 *   - distances to short edges (3 cm, 10 cm, 60 cm, and 1 km for
 *     comparison): GeographicLib's Python port, the geodesic distance from
 *     the point to the nearest point of the edge's geodesic.  Not PostGIS:
 *     PostGIS 3.3.2 is itself up to 13 cm short there (geodesic.h, "Short
 *     edges").
 *
 * Tolerances:
 *   - areas: 1e-9 relative (the implementations agree to 1e-11; Planimeter's
 *     printed value to its last digit, 1e-5 m^2);
 *   - distances: 1e-6 relative or 1 mm, whichever is larger (the contract in
 *     geodesic.h; observed agreement with PostGIS: 1e-8 m, its rounding step);
 *   - zero distances (inside, on the boundary): exactly 0, as PostGIS;
 *   - distances to short edges: 1 mm absolute (observed: 2.9e-5 m at most,
 *     for the 1 km edge, where its great circle and geodesic part; 6.4e-6 m
 *     around the short edges.  Before the fix of near_edge: up to 9.9 cm).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "ccgis/ccgis.h"
#include "ccgis/geodesic.h"

/* ---- tolerances ------------------------------------------------------------ */

#define AREA_REL 1e-9   /* areas: relative */
#define DIST_REL 1e-6   /* distances: relative ... */
#define DIST_ABS_M 1e-3 /* ... or 1 mm, whichever is larger */
#define EDGE_ABS_M 1e-3 /* distances to short edges: absolute */

/* ---- test polygons (lon lat, WGS 84) ----------------------------------------- */

/* 1-degree cell 105-106 E, 21-22 N, counter-clockwise. */
#define CELL "POLYGON((105 21,106 21,106 22,105 22,105 21))"
/* ~104 m x 100 m square near Hoan Kiem, counter-clockwise. */
#define SQ_SHELL                                                                                   \
    "(105.8500 21.0300,105.8510 21.0300,105.8510 21.0309,105.8500 21.0309,105.8500 21.0300)"
/* ~52 m x 50 m hole in it, clockwise. */
#define SQ_HOLE                                                                                    \
    "(105.85025 21.03020,105.85025 21.03065,105.85075 21.03065,"                                   \
    "105.85075 21.03020,105.85025 21.03020)"
/* A second square 1.5 km to the north-east. */
#define SQ2_SHELL                                                                                  \
    "(105.8600 21.0400,105.8610 21.0400,105.8610 21.0409,105.8600 21.0409,105.8600 21.0400)"
/* ~1 km quadrilateral with a ~400 m x 330 m hole. */
#define P1_RINGS                                                                                   \
    "(105.8400 21.0200,105.8500 21.0190,105.8510 21.0290,105.8395 21.0295,105.8400 21.0200),"      \
    "(105.8430 21.0230,105.8430 21.0260,105.8470 21.0260,105.8470 21.0230,105.8430 21.0230)"
#define P1 "POLYGON(" P1_RINGS ")"
/* Triangle whose first edge runs 3.04 km north-east. */
#define P2_RINGS "(105.7800 21.0500,105.8000 21.0700,105.7900 21.0750,105.7800 21.0500)"
#define P2 "POLYGON(" P2_RINGS ")"
#define MP "MULTIPOLYGON((" P1_RINGS "),(" P2_RINGS "))"
#define LINE "LINESTRING(105.80 21.00,105.83 21.01,105.85 21.00)"

/* ---- fixture: a context, a WKT reader and the geometries a test made ------- */

#define MAX_GEOMS 8

typedef struct fixture {
    ccgis_ctx *ctx;
    GEOSWKTReader *reader;
    GEOSGeometry *geoms[MAX_GEOMS]; /* freed by teardown, even after a failure */
    int ngeoms;
} fixture;

/* Make a context and a WKT reader in its GEOS handle.  Returns 0, or -1 if
 * either cannot be had. */
static int setup(void **state)
{
    fixture *f = test_calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->ctx = ccgis_ctx_new();
    f->reader = f->ctx ? GEOSWKTReader_create_r(ccgis_ctx_geos(f->ctx)) : NULL;
    *state = f;
    return f->reader ? 0 : -1;
}

/* Free every geometry the test made, the reader and the context. */
static int teardown(void **state)
{
    fixture *f = *state;
    if (f->ctx) {
        GEOSContextHandle_t h = ccgis_ctx_geos(f->ctx);
        for (int i = 0; i < f->ngeoms; i++)
            GEOSGeom_destroy_r(h, f->geoms[i]);
        if (f->reader)
            GEOSWKTReader_destroy_r(h, f->reader);
        ccgis_ctx_free(f->ctx);
    }
    test_free(f);
    return 0;
}

/* Keep g for teardown to free.  Returns g. */
static GEOSGeometry *keep(fixture *f, GEOSGeometry *g)
{
    assert_non_null(g);
    assert_true(f->ngeoms < MAX_GEOMS);
    f->geoms[f->ngeoms++] = g;
    return g;
}

/* A geometry read from WKT, owned by the fixture. */
static GEOSGeometry *wkt(fixture *f, const char *text)
{
    return keep(f, GEOSWKTReader_read_r(ccgis_ctx_geos(f->ctx), f->reader, text));
}

/* Fail unless |got - want| <= max(rel * |want|, abs_tol), saying by how
 * much. */
static void assert_close(double got, double want, double rel, double abs_tol)
{
    double tol = fmax(rel * fabs(want), abs_tol);
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.10f, want %.10f (difference %.3g, tolerance %.3g)", got, want, got - want,
                 tol);
}

/* The geodesic area of the geometry in WKT, which must succeed. */
static double area_of(fixture *f, const char *text)
{
    double area_m2 = -1.0;
    assert_int_equal(ccgis_geod_area(f->ctx, wkt(f, text), &area_m2), CCGIS_OK);
    return area_m2;
}

/* The geodesic distance from (lon, lat) to the geometry in WKT, which must
 * succeed. */
static double dist_to(fixture *f, double lon, double lat, const char *text)
{
    double dist_m = -1.0;
    assert_int_equal(ccgis_geod_distance(f->ctx, lon, lat, wkt(f, text), &dist_m), CCGIS_OK);
    return dist_m;
}

/* ---- areas against GeographicLib (Planimeter / Python port) ---------------- */

/* Planimeter: 11473232814.17444; Python: 11473232814.174438. */
static void area_of_one_degree_cell_matches_planimeter(void **state)
{
    assert_close(area_of(*state, CELL), 11473232814.174438, AREA_REL, 0.0);
}

/* Planimeter: 10358.09878; Python: 10358.098780632019. */
static void area_of_100m_square_matches_planimeter(void **state)
{
    assert_close(area_of(*state, "POLYGON(" SQ_SHELL ")"), 10358.098780632019, AREA_REL, 0.0);
}

/* Shell 10358.098780632019 minus hole |-2589.525119379163| (Python;
 * Planimeter 10358.09878 and -2589.52512). */
static void area_of_square_with_hole_is_shell_minus_hole(void **state)
{
    assert_close(area_of(*state, "POLYGON(" SQ_SHELL "," SQ_HOLE ")"), 7768.573661252856, AREA_REL,
                 0.0);
}

/* 10358.098780632019 + 10357.419790893793 (Python; Planimeter 10358.09878
 * and 10357.41979). */
static void area_of_multipolygon_is_sum_of_parts(void **state)
{
    assert_close(area_of(*state, "MULTIPOLYGON((" SQ_SHELL "),(" SQ2_SHELL "))"),
                 20715.518571525812, AREA_REL, 0.0);
}

/* Planimeter gives -10358.09878 for the clockwise ring: same magnitude. */
static void area_of_clockwise_shell_equals_counterclockwise(void **state)
{
    assert_close(area_of(*state, "POLYGON((105.8500 21.0300,105.8500 21.0309,105.8510 21.0309,"
                                 "105.8510 21.0300,105.8500 21.0300))"),
                 10358.098780632019, AREA_REL, 0.0);
}

/* The example of PROJ's geodesic.h (geod_polygonarea); Planimeter:
 * 13376856682207.37500, Python 13376856682207.375.  Crosses the
 * antimeridian. */
static void area_of_antarctica_matches_planimeter(void **state)
{
    assert_close(area_of(*state, "POLYGON((-74 -72.9,-102 -71.9,-102 -74.9,-131 -74.3,"
                                 "-163 -77.5,163 -77.4,172 -71.7,140 -65.9,113 -65.7,88 -66.6,"
                                 "59 -66.9,25 -69.8,-4 -70.0,-14 -71.0,-33 -77.3,-46 -77.9,"
                                 "-61 -74.7,-74 -72.9))"),
                 13376856682207.375, AREA_REL, 0.0);
}

/* PostGIS ST_Area(geography): 1070379.7039381266. */
static void area_of_polygon_with_hole_matches_postgis(void **state)
{
    assert_close(area_of(*state, P1), 1070379.7039381266, AREA_REL, 0.0);
}

/* PostGIS ST_Area(geography): 2796285.040876031 (P1 + P2). */
static void area_of_multipolygon_matches_postgis(void **state)
{
    assert_close(area_of(*state, MP), 2796285.040876031, AREA_REL, 0.0);
}

/* Only the polygon of a collection counts: P2 alone is 1725905.3369379044
 * in PostGIS. */
static void area_of_collection_counts_polygons_only(void **state)
{
    assert_close(area_of(*state, "GEOMETRYCOLLECTION(POINT(105.86 21.03)," LINE "," P2 ")"),
                 1725905.3369379044, AREA_REL, 0.0);
}

static void area_of_empty_or_linear_geometry_is_zero(void **state)
{
    fixture *f = *state;
    assert_true(area_of(f, "POLYGON EMPTY") == 0.0);
    assert_true(area_of(f, LINE) == 0.0);
    assert_true(area_of(f, "POINT(105.86 21.03)") == 0.0);
}

/* ---- distances against PostGIS ST_Distance(geography) ------------------------ */

/* ~300 m east of P1's east edge, nearest to the edge's interior. */
static void distance_300m_outside_edge_matches_postgis(void **state)
{
    assert_close(dist_to(*state, 105.8534, 21.0237, P1), 303.25309018, DIST_REL, DIST_ABS_M);
}

/* ~5 km south-west of P1, nearest to the vertex (105.84, 21.02). */
static void distance_5km_to_vertex_matches_postgis(void **state)
{
    assert_close(dist_to(*state, 105.8070, 20.9880, P1), 4931.91269999, DIST_REL, DIST_ABS_M);
}

/* 5 km south-east of the middle of P2's 3 km north-east edge. */
static void distance_5km_to_long_edge_interior_matches_postgis(void **state)
{
    assert_close(dist_to(*state, 105.8251, 21.0291, P2), 5001.59296143, DIST_REL, DIST_ABS_M);
}

static void distance_from_inside_is_zero(void **state)
{
    assert_true(dist_to(*state, 105.8410, 21.0210, P1) == 0.0);
}

static void distance_from_a_vertex_is_zero(void **state)
{
    assert_true(dist_to(*state, 105.8400, 21.0200, P1) == 0.0);
}

/* Inside P1's hole: the distance to the hole's ring (north side, ~133 m). */
static void distance_from_hole_is_to_hole_ring(void **state)
{
    assert_close(dist_to(*state, 105.8445, 21.0248, P1), 132.86204262, DIST_REL, DIST_ABS_M);
}

static void distance_to_multipolygon_is_to_nearest_part(void **state)
{
    assert_close(dist_to(*state, 105.8200, 21.0400, MP), 2336.66930695, DIST_REL, DIST_ABS_M);
}

static void distance_from_inside_second_part_is_zero(void **state)
{
    assert_true(dist_to(*state, 105.7900, 21.0650, MP) == 0.0);
}

/* 55 km from the cell, nearest to the middle of its 104 km south edge,
 * where the great circle bulges ~80 m north of the parallel. */
static void distance_to_long_cell_edge_matches_postgis(void **state)
{
    assert_close(dist_to(*state, 105.5, 20.5, CELL), 55437.7153657, DIST_REL, DIST_ABS_M);
}

/* 33 m north of the parallel 21 N: inside the cell in the plane (PostGIS
 * ST_Intersects(geometry) is true) but outside it on the sphere, the south
 * edge being a great circle: PostGIS gives 47.60033696 m. */
static void containment_is_decided_on_the_sphere(void **state)
{
    assert_close(dist_to(*state, 105.5, 21.0003, CELL), 47.60033696, DIST_REL, DIST_ABS_M);
}

/* 89 m north of the parallel: inside on the sphere too (PostGIS: 0). */
static void point_inside_great_circle_edge_is_zero(void **state)
{
    assert_true(dist_to(*state, 105.5, 21.0008, CELL) == 0.0);
}

static void distance_to_line_matches_postgis(void **state)
{
    assert_close(dist_to(*state, 105.8150, 20.9950, LINE), 1043.47629142, DIST_REL, DIST_ABS_M);
}

static void distance_to_point_matches_postgis(void **state)
{
    assert_close(dist_to(*state, 105.8534, 21.0237, "POINT(105.86 21.03)"), 978.38730805, DIST_REL,
                 DIST_ABS_M);
}

static void distance_to_multipoint_matches_postgis(void **state)
{
    assert_close(dist_to(*state, 105.8534, 21.0237, "MULTIPOINT((105.86 21.03),(105.85 21.02))"),
                 541.05624053, DIST_REL, DIST_ABS_M);
}

static void distance_to_collection_matches_postgis(void **state)
{
    assert_close(dist_to(*state, 105.8200, 21.0400,
                         "GEOMETRYCOLLECTION(POINT(105.86 21.03)," LINE "," P2 ")"),
                 3480.39123506, DIST_REL, DIST_ABS_M);
}

/* ---- distances to short edges against GeographicLib ------------------------ */

/*
 * Each edge runs from A = (105.85 E, 21.03 N) along the geodesic of azimuth
 * 30 degrees for 3 cm, 10 cm, 60 cm or 1 km, to B.  Each point lies d at
 * right angles (left or right of A->B) from a foot on that geodesic: at the
 * middle, exactly at an end, or 1 or 5 cm beyond an end.  The reference is
 * GeographicLib's geodesic distance from the point to the nearest point of
 * the edge (tests/unit/geodesic_reference.md, section 5); the coordinates
 * are its output, with all their digits.
 */
typedef struct edge_case {
    const char *what; /* where the point is, for the failure message */
    double lon, lat;  /* the point, degrees */
    double ref_m;     /* GeographicLib's distance to the edge, m */
} edge_case;

#define EDGE_A "105.85 21.03"
/* Edge of 0.03 m: B = (105.85000014430068, 21.03000023465831). */
#define EDGE_3CM_B "105.85000014430068 21.03000023465831"
static const edge_case edge_3cm[] = {
    {"foot at the middle, 1 cm left", 105.8499999888383, 21.03000016248916, 0.009999997920460562},
    {"foot at the middle, 1 cm right", 105.85000015546238, 21.030000072169138,
     0.010000000511185037},
    {"foot at the middle, 10 cm left", 105.84999923902996, 21.030000568929278, 0.09999999850415464},
    {"foot at the middle, 50 cm left", 105.84999590654837, 21.030002375329744, 0.49999999759691843},
    {"foot exactly at A, 1 cm left", 105.84999991668796, 21.03000004516002, 0.009999999045452386},
    {"foot exactly at B, 1 cm left", 105.85000006098865, 21.030000279818324, 0.00999999793223915},
    {"foot 1 cm before A, 1 cm left", 105.84999986858773, 21.029999966940576, 0.014142135576923743},
    {"foot 1 cm beyond B, 1 cm left", 105.85000010908885, 21.03000035803776, 0.014142135784808453},
    {"foot 5 cm before A, 1 cm left", 105.84999967618683, 21.029999654062827, 0.05099019466756788},
    {"foot 5 cm beyond B, 1 cm right", 105.85000046811386, 21.030000580595484,
     0.050990195557315085},
    {"foot 5 cm beyond B, 50 cm left", 105.84999621919984, 21.030002883756097, 0.5024937809563109},
    {"foot 1 cm before A, 1 mm right", 105.84999996023096, 21.02999991726456, 0.010049876002085473},
    {"foot 2 cm beyond B, 1 mm left", 105.85000023216993, 21.030000395613186, 0.020024984322607943},
    {"foot 10 cm beyond B, 1 mm left", 105.85000061697176, 21.03000102136868, 0.10000500007864786},
};

/* Edge of 0.1 m: B = (105.85000048100227, 21.030000782194364). */
#define EDGE_10CM_B "105.85000048100227 21.030000782194364"
static const edge_case edge_10cm[] = {
    {"foot at the middle, 1 cm left", 105.8500001571891, 21.030000436257193, 0.009999998427560233},
    {"foot at the middle, 1 cm right", 105.85000032381318, 21.03000034593717, 0.010000000062169239},
    {"foot at the middle, 10 cm left", 105.84999940738075, 21.03000084269731, 0.09999999865079914},
    {"foot at the middle, 50 cm left", 105.84999607489915, 21.03000264909778, 0.49999999830950387},
    {"foot exactly at A, 1 cm left", 105.84999991668796, 21.03000004516002, 0.00999999905014547},
    {"foot exactly at B, 1 cm left", 105.85000039769022, 21.03000082735438, 0.01000000068445022},
    {"foot 1 cm before A, 1 cm left", 105.84999986858773, 21.029999966940576, 0.014142135576923743},
    {"foot 1 cm beyond B, 1 cm left", 105.85000044579047, 21.030000905573818, 0.014142135357963371},
    {"foot 5 cm before A, 1 cm left", 105.84999967618683, 21.029999654062827, 0.05099019466756788},
    {"foot 5 cm beyond B, 1 cm right", 105.85000080481547, 21.030001128131538,
     0.050990196717098486},
    {"foot 5 cm beyond B, 50 cm left", 105.84999655590143, 21.030003431292158, 0.5024937809670998},
    {"foot 1 cm before A, 1 mm right", 105.84999996023096, 21.02999991726456, 0.010049876002085473},
    {"foot 2 cm beyond B, 1 mm left", 105.85000056887154, 21.030000943149243, 0.02002498592400938},
    {"foot 10 cm beyond B, 1 mm left", 105.85000095367336, 21.03000156890473, 0.10000500041040035},
};

/* Edge of 0.6 m: B = (105.85000288601374, 21.03000469316618). */
#define EDGE_60CM_B "105.85000288601374 21.03000469316618"
static const edge_case edge_60cm[] = {
    {"foot at the middle, 1 cm left", 105.8500013596948, 21.030002391743114, 0.009999999876981816},
    {"foot at the middle, 1 cm right", 105.85000152631889, 21.03000230142308, 0.01000000014377735},
    {"foot at the middle, 10 cm left", 105.85000060988645, 21.03000279818323, 0.10000000018374927},
    {"foot at the middle, 50 cm left", 105.84999727740482, 21.030004604583723, 0.5000000001117203},
    {"foot exactly at A, 1 cm left", 105.84999991668796, 21.03000004516002, 0.009999998870002535},
    {"foot exactly at B, 1 cm left", 105.85000280270171, 21.03000473832619, 0.009999999033341977},
    {"foot 1 cm before A, 1 cm left", 105.84999986858773, 21.029999966940576, 0.014142135576923743},
    {"foot 1 cm beyond B, 1 cm left", 105.85000285080194, 21.030004816545638, 0.014142136017256174},
    {"foot 5 cm before A, 1 cm left", 105.84999967618683, 21.029999654062827, 0.05099019466756788},
    {"foot 5 cm beyond B, 1 cm right", 105.85000320982692, 21.030005039103344, 0.05099019437110332},
    {"foot 5 cm beyond B, 50 cm left", 105.84999896091283, 21.030007342264028, 0.5024937821033086},
    {"foot 1 cm before A, 1 mm right", 105.84999996023096, 21.02999991726456, 0.010049876002085473},
    {"foot 2 cm beyond B, 1 mm left", 105.85000297388301, 21.030004854121053, 0.020024984875260658},
    {"foot 10 cm beyond B, 1 mm left", 105.85000335868484, 21.03000547987654, 0.10000500021049992},
};

/* Edge of 1000.0 m: B = (105.85481027379522, 21.037821872045306). */
#define EDGE_1KM_B "105.85481027379522 21.037821872045306"
static const edge_case edge_1km[] = {
    {"foot at the middle, 1 cm left", 105.85240499082157, 21.033910999093266, 0.009999997981452185},
    {"foot at the middle, 1 cm right", 105.85240515744853, 21.03391090877093, 0.0099999988733679},
    {"foot at the middle, 10 cm left", 105.85240424100017, 21.0339114055438, 0.09999999932640453},
    {"foot at the middle, 50 cm left", 105.85240090846062, 21.03391321199057, 0.4999999979427405},
    {"foot exactly at A, 1 cm left", 105.84999991668796, 21.03000004516002, 0.009999999455644205},
    {"foot exactly at B, 1 cm left", 105.8548101904803, 21.037821917207637, 0.009999999144110544},
    {"foot 1 cm before A, 1 cm left", 105.84999986858773, 21.029999966940576, 0.014142135576923743},
    {"foot 1 cm beyond B, 1 cm left", 105.85481023858553, 21.037821995425638, 0.014142135346355432},
    {"foot 5 cm before A, 1 cm left", 105.84999967618683, 21.029999654062827, 0.05099019466756788},
    {"foot 5 cm beyond B, 1 cm right", 105.8548105976364, 21.037822217972984, 0.050990193550615744},
    {"foot 5 cm beyond B, 50 cm left", 105.85480634857456, 21.037824521251682, 0.5024937792458324},
    {"foot 1 cm before A, 1 mm right", 105.84999996023096, 21.02999991726456, 0.010049876002085473},
    {"foot 2 cm beyond B, 1 mm left", 105.85481036167423, 21.037822032997543, 0.020024983580686318},
    {"foot 10 cm beyond B, 1 mm left", 105.85481074651621, 21.037822658741565, 0.10000499757617345},
};

/* Check every case against the edge A-B, in both directions (B-A too),
 * within EDGE_ABS_M, naming the case that fails. */
static void check_edge(fixture *f, const char *b, const edge_case *cases, size_t n)
{
    char ab[128], ba[128];
    snprintf(ab, sizeof ab, "LINESTRING(%s,%s)", EDGE_A, b);
    snprintf(ba, sizeof ba, "LINESTRING(%s,%s)", b, EDGE_A);
    const GEOSGeometry *edges[2] = {wkt(f, ab), wkt(f, ba)};
    for (int dir = 0; dir < 2; dir++) {
        for (size_t i = 0; i < n; i++) {
            double got = -1.0;
            assert_int_equal(
                ccgis_geod_distance(f->ctx, cases[i].lon, cases[i].lat, edges[dir], &got),
                CCGIS_OK);
            if (!(fabs(got - cases[i].ref_m) <= EDGE_ABS_M))
                fail_msg("%s (%s): got %.9f m, want %.9f m (difference %.3g m, tolerance %g m)",
                         cases[i].what, dir ? "edge B-A" : "edge A-B", got, cases[i].ref_m,
                         got - cases[i].ref_m, EDGE_ABS_M);
        }
    }
}

#define CHECK_EDGE(state, b, cases)                                                                \
    check_edge(*(state), (b), (cases), sizeof(cases) / sizeof(cases)[0])

static void distance_to_3cm_edge_matches_geographiclib(void **state)
{
    CHECK_EDGE(state, EDGE_3CM_B, edge_3cm);
}

static void distance_to_10cm_edge_matches_geographiclib(void **state)
{
    CHECK_EDGE(state, EDGE_10CM_B, edge_10cm);
}

static void distance_to_60cm_edge_matches_geographiclib(void **state)
{
    CHECK_EDGE(state, EDGE_60CM_B, edge_60cm);
}

/* The same points around a 1 km edge: long edges were always right. */
static void distance_to_1km_edge_matches_geographiclib(void **state)
{
    CHECK_EDGE(state, EDGE_1KM_B, edge_1km);
}

/* GeodSolve -i: 978.3873080481 (PostGIS, rounded to 10 nm: 978.38730805). */
static void point_distance_matches_geodsolve(void **state)
{
    (void)state;
    assert_close(ccgis_geod_point_distance(105.8534, 21.0237, 105.86, 21.03), 978.3873080481, 0.0,
                 1e-9);
}

/* Worker for the thread test: the GeodSolve distance, computed by a thread
 * that may be the first to touch the shared ellipsoid.  Returns arg. */
static void *point_distance_worker(void *arg)
{
    double *out = arg;
    *out = ccgis_geod_point_distance(105.8534, 21.0237, 105.86, 21.03);
    return arg;
}

static void point_distance_is_the_same_from_many_threads(void **state)
{
    (void)state;
    pthread_t th[4];
    double got[4] = {0.0, 0.0, 0.0, 0.0};
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, point_distance_worker, &got[i]), 0);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        assert_close(got[i], 978.3873080481, 0.0, 1e-9);
    }
}

/* ---- failures ------------------------------------------------------------------ */

/* A ring whose second vertex has a NaN longitude (built point by point: WKT
 * cannot say NaN). */
static GEOSGeometry *nan_polygon(fixture *f)
{
    GEOSContextHandle_t h = ccgis_ctx_geos(f->ctx);
    const double x[] = {105.85, NAN, 105.851, 105.85};
    const double y[] = {21.03, 21.03, 21.0309, 21.03};
    GEOSCoordSequence *seq = GEOSCoordSeq_create_r(h, 4, 2);
    assert_non_null(seq);
    for (unsigned int i = 0; i < 4; i++)
        assert_int_equal(GEOSCoordSeq_setXY_r(h, seq, i, x[i], y[i]), 1);
    GEOSGeometry *ring = GEOSGeom_createLinearRing_r(h, seq);
    assert_non_null(ring);
    return keep(f, GEOSGeom_createPolygon_r(h, ring, NULL, 0));
}

static void area_with_nan_vertex_is_a_geometry_error_naming_it(void **state)
{
    fixture *f = *state;
    double area_m2 = -1.0;
    assert_int_equal(ccgis_geod_area(f->ctx, nan_polygon(f), &area_m2), CCGIS_ERR_GEOMETRY);
    assert_non_null(strstr(ccgis_errmsg(f->ctx), "vertex 2 of a polygon ring"));
    assert_non_null(strstr(ccgis_errmsg(f->ctx), "not a number"));
}

static void distance_to_nan_vertex_is_a_geometry_error(void **state)
{
    fixture *f = *state;
    double dist_m = 0.0;
    assert_int_equal(ccgis_geod_distance(f->ctx, 105.8, 21.0, nan_polygon(f), &dist_m),
                     CCGIS_ERR_GEOMETRY);
    assert_true(isnan(dist_m));
    assert_non_null(strstr(ccgis_errmsg(f->ctx), "not a number"));
}

static void area_with_latitude_95_is_a_geometry_error(void **state)
{
    fixture *f = *state;
    double area_m2 = -1.0;
    GEOSGeometry *g = wkt(f, "POLYGON((105 21,106 21,106 95,105 21))");
    assert_int_equal(ccgis_geod_area(f->ctx, g, &area_m2), CCGIS_ERR_GEOMETRY);
    assert_true(area_m2 == 0.0);
    assert_non_null(strstr(ccgis_errmsg(f->ctx), "vertex 3 of a polygon ring has latitude 95"));
}

static void distance_from_latitude_95_is_a_geometry_error(void **state)
{
    fixture *f = *state;
    double dist_m = 0.0;
    assert_int_equal(ccgis_geod_distance(f->ctx, 105.8, 95.0, wkt(f, P1), &dist_m),
                     CCGIS_ERR_GEOMETRY);
    assert_non_null(strstr(ccgis_errmsg(f->ctx), "the point has latitude 95"));
}

static void distance_to_line_with_latitude_95_is_a_geometry_error(void **state)
{
    fixture *f = *state;
    double dist_m = 0.0;
    assert_int_equal(
        ccgis_geod_distance(f->ctx, 105.8, 21.0, wkt(f, "LINESTRING(105 21,106 95)"), &dist_m),
        CCGIS_ERR_GEOMETRY);
    assert_non_null(strstr(ccgis_errmsg(f->ctx), "vertex 2 of a line has latitude 95"));
}

static void distance_from_nan_point_is_a_geometry_error(void **state)
{
    fixture *f = *state;
    double dist_m = 0.0;
    assert_int_equal(ccgis_geod_distance(f->ctx, NAN, 21.0, wkt(f, P1), &dist_m),
                     CCGIS_ERR_GEOMETRY);
    assert_non_null(
        strstr(ccgis_errmsg(f->ctx), "the point has a coordinate that is not a number"));
}

/* PostGIS returns NULL; ccgis says why. */
static void distance_to_empty_geometry_is_a_geometry_error(void **state)
{
    fixture *f = *state;
    double dist_m = 0.0;
    assert_int_equal(ccgis_geod_distance(f->ctx, 105.8, 21.0, wkt(f, "POLYGON EMPTY"), &dist_m),
                     CCGIS_ERR_GEOMETRY);
    assert_non_null(strstr(ccgis_errmsg(f->ctx), "empty geometry"));
}

static void point_distance_with_latitude_95_is_nan(void **state)
{
    (void)state;
    assert_true(isnan(ccgis_geod_point_distance(105.8, 95.0, 105.8, 21.0)));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(area_of_one_degree_cell_matches_planimeter),
        T(area_of_100m_square_matches_planimeter),
        T(area_of_square_with_hole_is_shell_minus_hole),
        T(area_of_multipolygon_is_sum_of_parts),
        T(area_of_clockwise_shell_equals_counterclockwise),
        T(area_of_antarctica_matches_planimeter),
        T(area_of_polygon_with_hole_matches_postgis),
        T(area_of_multipolygon_matches_postgis),
        T(area_of_collection_counts_polygons_only),
        T(area_of_empty_or_linear_geometry_is_zero),
        T(distance_300m_outside_edge_matches_postgis),
        T(distance_5km_to_vertex_matches_postgis),
        T(distance_5km_to_long_edge_interior_matches_postgis),
        T(distance_from_inside_is_zero),
        T(distance_from_a_vertex_is_zero),
        T(distance_from_hole_is_to_hole_ring),
        T(distance_to_multipolygon_is_to_nearest_part),
        T(distance_from_inside_second_part_is_zero),
        T(distance_to_long_cell_edge_matches_postgis),
        T(containment_is_decided_on_the_sphere),
        T(point_inside_great_circle_edge_is_zero),
        T(distance_to_line_matches_postgis),
        T(distance_to_point_matches_postgis),
        T(distance_to_multipoint_matches_postgis),
        T(distance_to_collection_matches_postgis),
        T(distance_to_3cm_edge_matches_geographiclib),
        T(distance_to_10cm_edge_matches_geographiclib),
        T(distance_to_60cm_edge_matches_geographiclib),
        T(distance_to_1km_edge_matches_geographiclib),
        T(point_distance_matches_geodsolve),
        T(point_distance_is_the_same_from_many_threads),
        T(area_with_nan_vertex_is_a_geometry_error_naming_it),
        T(distance_to_nan_vertex_is_a_geometry_error),
        T(area_with_latitude_95_is_a_geometry_error),
        T(distance_from_latitude_95_is_a_geometry_error),
        T(distance_to_line_with_latitude_95_is_a_geometry_error),
        T(distance_from_nan_point_is_a_geometry_error),
        T(distance_to_empty_geometry_is_a_geometry_error),
        T(point_distance_with_latitude_95_is_nan),
    };
    return cmocka_run_group_tests_name("geodesic", tests, NULL, NULL);
}
