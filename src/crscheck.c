/*
 * crscheck.c -- do a layer's coordinates fit the CRS it declares?
 *
 * The mislabels GIS staff meet, judged from the box of the coordinates as
 * stored (the layer's own CRS units), before any feature is used:
 *
 *   - a CRS in degrees (a .prj saying WGS 84) on VN-2000 metres: eastings
 *     300-800 km and northings 900-2,700 km are no longitudes and latitudes;
 *   - the same metres with X and Y exchanged: Vietnamese surveys name the
 *     northing X and the easting Y, the reverse of GIS x / y;
 *   - projected coordinates that land in Vietnam only once x and y are
 *     exchanged (the same survey habit, with the right CRS);
 *   - degrees stored latitude first: off the globe as lon/lat, on it swapped;
 *   - degrees that fit nowhere on the globe at all.
 *
 * Each verdict comes with one sentence saying what the coordinates look like
 * and what to write (srs=, or for a table the x = / y = lines).  The caller
 * decides whether it refuses (loading, ccgis_layer_load) or reports (info).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* Where Vietnam lies, with its sea: a box in WGS 84 degrees. */
static const double vietnam[4] = {101.0, 7.0, 118.0, 24.5};

/* ccgis_box_looks_vn2000: see internal.h. */
int ccgis_box_looks_vn2000(const double box[4], char *what, size_t cap)
{
    if (!(box[0] >= 300000 && box[2] <= 800000 && box[1] >= 900000 && box[3] <= 2700000))
        return 0;
    snprintf(what, cap, "its coordinates (E %.0f-%.0f, N %.0f-%.0f) look like VN-2000 "
                        "TM-3 or UTM 48N metres",
             box[0], box[2], box[1], box[3]);
    return 1;
}

/* 1 if the box fits longitudes -180..180 and latitudes -90..90. */
static int on_globe(const double b[4])
{
    return b[0] >= -180 && b[2] <= 180 && b[1] >= -90 && b[3] <= 90;
}

/* 1 if the box, transformed to WGS 84 by t, lies inside Vietnam's box. */
static int in_vietnam(ccgis_ctx *ctx, ccgis_transform *t, const double b[4])
{
    double w[4];
    if (!t || !ccgis_transform_bounds(ctx, t, 0, b, w))
        return 0;
    return w[0] >= vietnam[0] && w[2] <= vietnam[2] && w[1] >= vietnam[1] && w[3] <= vietnam[3];
}

/* The advice for a table whose columns are the wrong way round: write the
 * x / y lines with the columns exchanged; for a layer with geometry, say
 * the data must be fixed. */
static void exchange_advice(char *buf, size_t cap, const char *xcol, const char *ycol)
{
    if (xcol && ycol)
        snprintf(buf, cap, "take the columns the other way round: write  x = %s  and  y = %s  "
                           "in the job file (--x '%s' --y '%s' for ccgis near)",
                 ycol, xcol, ycol, xcol);
    else
        snprintf(buf, cap, "the geometries store them the other way round: exchange x and y "
                           "in the data (a CRS cannot fix that)");
}

/* ccgis_crs_check: see internal.h. */
ccgis_crs_verdict ccgis_crs_check(ccgis_ctx *ctx, const char *crs_name, int geographic,
                                  ccgis_transform *to_wgs84, const double box[4],
                                  const char *xcol, const char *ycol, char *hint, size_t cap)
{
    char looks[256], todo[512];
    double sw[4] = {box[1], box[0], box[3], box[2]}; /* x and y exchanged */
    hint[0] = '\0';
    for (int i = 0; i < 4; i++)
        if (!isfinite(box[i]))
            return CCGIS_CRS_FITS; /* nothing to judge; the features say it */

    if (geographic) {
        if (on_globe(box))
            return CCGIS_CRS_FITS;
        if (ccgis_box_looks_vn2000(box, looks, sizeof looks)) {
            snprintf(hint, cap, "its CRS (%s) is in degrees but %s -- the declared CRS (.prj) "
                                "is wrong: " CCGIS_VN2000_SRS_ADVICE,
                     crs_name, looks);
            return CCGIS_CRS_DEGREES_ARE_METRES;
        }
        if (ccgis_box_looks_vn2000(sw, looks, sizeof looks)) {
            exchange_advice(todo, sizeof todo, xcol, ycol);
            snprintf(hint, cap, "its CRS (%s) is in degrees but its coordinates (x %.0f-%.0f, "
                                "y %.0f-%.0f) look like VN-2000 metres with X and Y exchanged "
                                "(Vietnamese surveys name the northing X and the easting Y): "
                                "%s; and the declared CRS is wrong: " CCGIS_VN2000_SRS_ADVICE,
                     crs_name, box[0], box[2], box[1], box[3], todo);
            return CCGIS_CRS_XY_EXCHANGED;
        }
        if (on_globe(sw)) {
            exchange_advice(todo, sizeof todo, xcol, ycol);
            snprintf(hint, cap, "its coordinates (x %.6g..%.6g, y %.6g..%.6g) are off the globe "
                                "as longitude, latitude and look like latitude, longitude -- "
                                "swap the axes: %s",
                     box[0], box[2], box[1], box[3], todo);
            return CCGIS_CRS_LATLON_SWAPPED;
        }
        if (box[0] > 180 || box[2] < -180 || box[1] > 90 || box[3] < -90) {
            snprintf(hint, cap, "its CRS (%s) is in degrees but no coordinate fits the globe "
                                "(x %.6g..%.6g, y %.6g..%.6g) -- the declared CRS (.prj) is "
                                "wrong: assign the right one with srs= (--srs), e.g. "
                                "srs=EPSG:5897 for VN-2000 / TM-3 105",
                     crs_name, box[0], box[2], box[1], box[3]);
            return CCGIS_CRS_OFF_GLOBE;
        }
        return CCGIS_CRS_FITS; /* some fit: the features that do not are skipped */
    }
    if (in_vietnam(ctx, to_wgs84, sw) && !in_vietnam(ctx, to_wgs84, box)) {
        exchange_advice(todo, sizeof todo, xcol, ycol);
        snprintf(hint, cap, "its coordinates fit %s only with X and Y exchanged: x %.0f-%.0f "
                            "looks like a northing and y %.0f-%.0f like an easting (Vietnamese "
                            "surveys name the northing X and the easting Y) -- %s",
                 crs_name, box[0], box[2], box[1], box[3], todo);
        return CCGIS_CRS_XY_EXCHANGED;
    }
    return CCGIS_CRS_FITS;
}
