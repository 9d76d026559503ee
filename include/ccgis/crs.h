/*
 * ccgis/crs.h -- coordinate reference systems and transformation to WGS84.
 *
 * A ccgis_crs is a CRS as PROJ understands it, taken from a layer's own
 * definition (.prj, GeoPackage SRS table, GeoJSON's implied WGS84...) or from
 * what the user typed (--srs / srs=): "EPSG:5897", a WKT string, a PROJ
 * string, or anything else proj_create() accepts.
 *
 * Axis order.  ccgis always handles coordinates in "GIS order": easting then
 * northing, longitude then latitude -- the order GDAL's vector drivers give
 * them in (OAMS_TRADITIONAL_GIS_ORDER) and the order QGIS shows.  A CRS whose
 * official axis order is latitude first (EPSG:4326, EPSG:4756) or northing
 * first (EPSG:6956) is still fed and read in GIS order.
 *
 * Transformations use PROJ's own choice of operation for the pair
 * (proj_create_crs_to_crs), which for VN-2000 (EPSG:4756 and the projected
 * CRSs based on it, e.g. VN-2000 / TM-3 105 = EPSG:5897) applies the
 * registered 7-parameter shift to WGS 84 (EPSG:6960, about 1 m accuracy);
 * ignoring it would misplace Hanoi features by about 200 m.
 */
#ifndef CCGIS_CRS_H
#define CCGIS_CRS_H

#include <stddef.h>

#include "ccgis/ctx.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ccgis_crs ccgis_crs;
typedef struct ccgis_transform ccgis_transform;

/* A named CRS preset for Vietnamese data. */
typedef struct ccgis_crs_preset {
    const char *name;        /* e.g. "vn2000:tm3:105" */
    int epsg;                /* e.g. 5897 */
    const char *description; /* e.g. "VN-2000 / TM-3 105°00' (Hà Nội)" */
} ccgis_crs_preset;

/*
 * ccgis_crs_presets -- the presets ccgis_crs_from_user() accepts besides EPSG
 * codes, WKT and PROJ strings: vn2000 (EPSG:4756), vn2000:utm48 (3405),
 * vn2000:utm49 (3406) and vn2000:tm3:<central meridian> for each VN-2000
 * TM-3 zone in the EPSG registry (meridian as 105, 105-30 or 105.5; Hà Nội is
 * 105 = EPSG:5897).  Returns a static table of *n entries.
 */
const ccgis_crs_preset *ccgis_crs_presets(size_t *n);

/*
 * ccgis_crs_from_user -- parse a CRS the user gave.
 *
 *   text  in: a preset (see ccgis_crs_presets: "vn2000:tm3:105"),
 *             "EPSG:5897", "EPSG:4326", WKT (1 or 2), a PROJ string
 *             ("+proj=tmerc ..."), a PROJJSON document.
 *   out   out: the new CRS, to be released with ccgis_crs_free(); set to
 *             NULL on failure.
 *
 * Returns CCGIS_OK, or CCGIS_ERR_CRS_BAD (message quotes the text and PROJ's
 * reason) when PROJ cannot build a CRS from it.
 */
ccgis_status ccgis_crs_from_user(ccgis_ctx *ctx, const char *text, ccgis_crs **out);

/*
 * ccgis_crs_for_output -- parse a CRS to write result layers in ([job]
 * output_crs, --t-srs on the analysis commands; see write.h).
 *
 *   text  in: as ccgis_crs_from_user() ("EPSG:5897", "vn2000:tm3:105", WKT...).
 *   out   out: the CRS (ccgis_crs_free); NULL on failure.
 *
 * Besides what ccgis_crs_from_user() checks, GDAL must be able to record it
 * in a file and PROJ must have a transformation from WGS 84 to it.  Returns
 * CCGIS_OK, CCGIS_ERR_CRS_BAD (message quotes the text and the reason) or
 * CCGIS_ERR_TRANSFORM.
 */
ccgis_status ccgis_crs_for_output(ccgis_ctx *ctx, const char *text, ccgis_crs **out);

/* ccgis_crs_free -- release a CRS; NULL is accepted.  Returns NULL. */
ccgis_crs *ccgis_crs_free(ccgis_crs *crs);

/* ccgis_crs_name -- the CRS's name, e.g. "VN-2000 / TM-3 zone 482".  Borrowed. */
const char *ccgis_crs_name(const ccgis_crs *crs);

/*
 * ccgis_crs_epsg -- the EPSG code of the CRS: the one its definition carries,
 * or else the one PROJ's database identifies with at least 90% confidence.
 * 0 when none can be given.  `confidence` (may be NULL) receives 100 for a
 * declared code, PROJ's confidence (90..100) for an identified one, 0 for none.
 */
int ccgis_crs_epsg(const ccgis_crs *crs, int *confidence);

/* ccgis_crs_is_geographic -- 1 for a lon/lat CRS (degrees), 0 otherwise. */
int ccgis_crs_is_geographic(const ccgis_crs *crs);

/*
 * ccgis_transform_to_wgs84 -- prepare a transformation from `src` to WGS 84
 * longitude/latitude in degrees (EPSG:4326, GIS order).
 *
 * Returns CCGIS_OK and sets *out (release with ccgis_transform_free()), or
 * CCGIS_ERR_TRANSFORM when PROJ has no operation for the pair.  The object is
 * bound to `ctx` and must only be used with it.
 */
ccgis_status ccgis_transform_to_wgs84(ccgis_ctx *ctx, const ccgis_crs *src,
                                      ccgis_transform **out);

/*
 * ccgis_transform_xy -- transform `n` points in place.
 *
 *   x, y  in/out: n coordinates each, source CRS units in, degrees out
 *         (x = longitude, y = latitude).
 *
 * Returns CCGIS_OK, or CCGIS_ERR_TRANSFORM when a point cannot be transformed
 * (outside the projection's domain); the message gives the first such point.
 */
ccgis_status ccgis_transform_xy(ccgis_ctx *ctx, ccgis_transform *t, size_t n, double *x,
                                double *y);

/* ccgis_transform_free -- release a transformation; NULL is accepted.  Returns NULL. */
ccgis_transform *ccgis_transform_free(ccgis_transform *t);

#ifdef __cplusplus
}
#endif

#endif /* CCGIS_CRS_H */
