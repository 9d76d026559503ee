/*
 * ccgis/overlay.h -- how much of each input polygon lies on each class of a
 * large overlay layer (zoning, districts), streamed and in parallel.
 *
 * The input (clusters: tens to hundreds of polygons) is loaded (layer.h).
 * The overlay (land-use zones: up to millions of polygons) is streamed, never
 * held in memory whole.  Where the source has a spatial index (GeoPackage,
 * SpatiaLite, PostGIS, FlatGeobuf, a shapefile's .qix) only the zones whose
 * box meets an input's box are read, one index query per input, each zone
 * once; otherwise the zones in the box around all inputs are read in one
 * pass and each zone's box is tested against the inputs' before anything
 * else is done with it.
 * Each zone near an input is transformed to WGS 84 and intersected with the
 * inputs its box meets (GEOS STRtree), using prepared geometries; a zone
 * entirely inside an input is taken whole, and an input entirely inside a
 * zone is taken whole, without computing an intersection (containment
 * shortcut).  Zones are made valid (GEOS MakeValid) before use when they are
 * not.
 *
 * For each input polygon and each value of the class field, the result
 * holds the geodesic area (WGS 84, m²) of its intersection with the zones of
 * that class -- the sum over zones of ST_Area(ST_Intersection(input,
 * zone)::geography) in PostGIS terms -- and the union of the pieces as a
 * geometry.  Classes named "allowed" count as allowed area, all others as
 * conflict area.
 *
 * Work is split over ccgis_ctx_threads(ctx) threads, each with its own GEOS
 * and PROJ context; the results are identical, to the last bit, for any
 * number of threads (pieces are merged in zone reading order).
 */
#ifndef CCGIS_OVERLAY_H
#define CCGIS_OVERLAY_H

#include <stddef.h>

#include <geos_c.h>

#include "ccgis/ctx.h"
#include "ccgis/findings.h"
#include "ccgis/layer.h"
#include "ccgis/progress.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Options of ccgis_overlay(). */
typedef struct ccgis_overlay_options {
    ccgis_layer_spec zones;      /* the overlay layer (role: polygons; id_field unused) */
    const char *class_field;     /* field whose value classifies each zone; NULL: its FID */
    const char *const *allowed;  /* NULL-terminated list of allowed classes, or NULL */
} ccgis_overlay_options;

/* The pieces of one input polygon on one class. */
typedef struct ccgis_overlay_piece {
    size_t input;       /* index into the input layer's features */
    char *klass;        /* class value (UTF-8); "" for a NULL value */
    double area_m2;     /* geodesic area of the input's intersection with the class, m² */
    int allowed;        /* 1 if the class is allowed */
    long long n_zones;  /* zones of the class that contributed */
    GEOSGeometry *geom; /* union of the pieces, WGS 84 (MultiPolygon), owned */
} ccgis_overlay_piece;

/* The result of ccgis_overlay(). */
typedef struct ccgis_overlay_result {
    size_t n_input;
    double *area_m2;           /* [n_input] geodesic area of each input, m² */
    double *allowed_m2;        /* [n_input] area on allowed classes, m² */
    double *conflict_m2;       /* [n_input] area on other classes, m² */
    const char **conflict_top; /* [n_input] class with most conflict area (borrowed from
                                  pieces), NULL if none */
    size_t n_pieces;
    ccgis_overlay_piece *pieces; /* ordered by input, then class (byte order) */

    long long zones_read;     /* zones read: those whose box meets an input's box, when
                                 the source has a spatial index (each once), else every zone
                                 in the box around all inputs */
    long long zones_near;     /* zones whose WGS 84 box met an input's */
    long long zones_repaired; /* invalid zones made valid before use */
    long long zones_skipped;  /* NULL, empty or non-polygon zones */
    GEOSContextHandle_t geos; /* handle the geometries were made in (for freeing) */
} ccgis_overlay_result;

/*
 * ccgis_overlay -- overlay a loaded polygon layer with a streamed one.
 *
 *   input     in: polygons, loaded with ccgis_layer_load().
 *   options   in: the overlay layer and its class field.
 *   progress  in: may be NULL; reports the fraction of zones read.
 *   out       out: the result (ccgis_overlay_result_free); NULL on failure.
 *
 * Returns CCGIS_OK, or a failure of opening the zones (info.h),
 * CCGIS_ERR_USAGE (class field not in the layer, several layers and none
 * named, cancelled), CCGIS_ERR_CRS_NONE / CCGIS_ERR_TRANSFORM,
 * CCGIS_ERR_READ, CCGIS_ERR_GEOMETRY (a zone GEOS cannot intersect even
 * after MakeValid: the message names it).  A zones layer whose extent does
 * not meet the input's at all gives a warning: one of the two is probably in
 * the wrong CRS.
 */
ccgis_status ccgis_overlay(ccgis_ctx *ctx, const ccgis_layer *input,
                           const ccgis_overlay_options *options, ccgis_progress_fn progress,
                           void *progress_arg, ccgis_overlay_result **out);

/* ccgis_overlay_result_free -- release a result; NULL is accepted.  Returns NULL. */
ccgis_overlay_result *ccgis_overlay_result_free(ccgis_overlay_result *r);

#ifdef __cplusplus
}
#endif

#endif /* CCGIS_OVERLAY_H */
