/*
 * ccgis/overlay.h -- how much of each input polygon lies on each class of a
 * large overlay layer (zoning, districts), streamed and in parallel.
 *
 * The input (clusters: tens to hundreds of polygons) is loaded (layer.h).
 * The overlay (land-use zones: up to millions of polygons) is streamed, never
 * held in memory whole.  Where the source has a spatial index (GeoPackage,
 * SpatiaLite, PostGIS, FlatGeobuf, a shapefile's .qix) only the zones whose
 * box meets an input's box are read, one index query per input (beyond 256
 * inputs, per tile of up to 16 neighbouring inputs), each zone once;
 * otherwise the zones in the box around all inputs are read in one pass and
 * each zone's box is tested against the inputs' before anything else is
 * done with it.  An index that disagrees with its table (a GeoPackage
 * R-tree or SpatiaLite index holding another number of entries than the
 * layer has geometries, a .qix made for another number of shapes) would
 * hide zones without an error: it is not used -- every zone is read, with a
 * warning naming the index, both counts and how to rebuild it.
 *
 * Nothing is dropped silently: an overlay layer with no feature at all is
 * refused (an empty zoning layer would put every input on no zone); classes
 * and zone ids are decoded and made NFC exactly as ccgis_layer_load() reads
 * text (layer.h: the encoding given, declared or detected); a class
 * or zone id that is still not UTF-8 keeps its bad bytes as U+FFFD, with one
 * warning; .dbf records flagged deleted and values cut at a NUL in a
 * GeoJSON file are counted in a warning (they are not read).
 * Each zone near an input is transformed to WGS 84 and intersected with the
 * inputs its box meets (GEOS STRtree), using prepared geometries; a zone
 * entirely inside an input is taken whole, and an input entirely inside a
 * zone is taken whole, without computing an intersection (containment
 * shortcut).  Zones are made valid (GEOS MakeValid) before use when they are
 * not.
 *
 * Classes are compared as class keys: trimmed, NFC, case-folded ('SKN ',
 * ' skn' and 'Skn' are one class, shown as the zone read first spells it).
 * A zone with a blank or NULL class counts as no zone.
 *
 * The figures of each input are a partition of its geodesic area (WGS 84,
 * m²), whatever the overlay layer does -- zones overlapping each other,
 * stacked duplicates, gaps:
 *
 *   piece(class)  the union of the input's intersections with the zones of
 *                 that class, measured once (PostGIS: ST_Area(ST_Union(
 *                 ST_Intersection(input, zone))::geography)); <= area
 *   A, C          the union of the pieces of allowed classes, of the others
 *   allowed_m2    area(A \ C)      on allowed classes only
 *   conflict_m2   area(C \ A)      on other classes only
 *   mixed_m2      area(A n C)      where the zoning says both (contradicts itself)
 *   nozone_m2     area(input \ (A u C))  on no classified zone
 *
 * so that allowed + conflict + mixed + nozone = area.  ccgis_overlay()
 * checks this, and every piece <= area, for every input before it returns
 * (a violation is CCGIS_ERR_INTERNAL: no result is better than a wrong
 * one).  Without an allowed list every class counts as "other".
 *
 * Where zones overlap inside an input (the pieces' sum exceeds what they
 * cover), each overlapping pair is recorded with its area inside the input.
 * Findings and geometries are kept only from the input's tolerance up:
 * max(sliver x its area, sliver_m2); smaller ones are counted, and their
 * area is always in the figures.
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

/* Default tolerances (see the top of this file): 1e-4 of an input's area
 * (10 m² of a 10 ha cluster: a drawing error, not a planning decision), and
 * never less than 1 m². */
#define CCGIS_SLIVER_DEFAULT 1e-4
#define CCGIS_SLIVER_M2_DEFAULT 1.0

/* Options of ccgis_overlay(). */
typedef struct ccgis_overlay_options {
    ccgis_layer_spec zones;      /* the overlay layer (role: polygons; id_field: the zone id
                                    shown in findings, NULL: the FID) */
    const char *class_field;     /* field whose value classifies each zone; NULL: its FID */
    const char *const *allowed;  /* NULL-terminated list of allowed classes, or NULL */
    double sliver, sliver_m2;    /* tolerance: max(sliver x area, sliver_m2); 0, 0: every
                                    overlap and gap is kept */
} ccgis_overlay_options;

/* The piece of one input polygon on one class. */
typedef struct ccgis_overlay_piece {
    size_t input;       /* index into the input layer's features */
    char *klass;        /* the class as the first zone read spells it (trimmed, NFC) */
    char *key;          /* the class key it is compared by */
    double area_m2;     /* geodesic area of the union of its zones inside the input, m² */
    int allowed;        /* 1 if the class is allowed */
    long long n_zones;  /* zones of the class that contributed */
    GEOSGeometry *geom; /* that union, WGS 84 (MultiPolygon), owned */
} ccgis_overlay_piece;

/* Two zones overlapping inside an input, by at least its tolerance. */
typedef struct ccgis_overlay_overlap {
    size_t input;
    char *zone_a, *zone_b;   /* zone ids (id field or FID), a read first */
    char *class_a, *class_b; /* their classes as spelled */
    int mixed;               /* 1 if one class is allowed and the other not */
    double area_m2;          /* their overlap inside the input */
    GEOSGeometry *geom;      /* that overlap, WGS 84 MultiPolygon, owned */
} ccgis_overlay_overlap;

/* Something about one zone: repaired, skipped, or unclassified. */
typedef struct ccgis_overlay_note {
    ccgis_finding_kind kind; /* CCGIS_ZONE_REPAIRED, _SKIPPED or _UNCLASSIFIED */
    size_t input;            /* the input concerned (UNCLASSIFIED), else SIZE_MAX */
    char *zone;              /* zone id */
    char *reason;            /* why (GEOS's reason, "NULL geometry"...), may be NULL */
    double before_m2;        /* REPAIRED: geodesic area before; else NaN */
    double area_m2;          /* REPAIRED: after; UNCLASSIFIED: inside the input; else NaN */
    GEOSGeometry *geom;      /* UNCLASSIFIED: the zone inside the input; else NULL; owned */
} ccgis_overlay_note;

/* Most repaired (and skipped) zones noted one by one; the rest are counted. */
#define CCGIS_OVERLAY_NOTES_MAX 1000

/* The result of ccgis_overlay(). */
typedef struct ccgis_overlay_result {
    size_t n_input;
    double *area_m2;           /* [n_input] geodesic area of each input, m² */
    double *allowed_m2;        /* [n_input] area on allowed classes only, m² */
    double *conflict_m2;       /* [n_input] area on other classes only, m² */
    double *mixed_m2;          /* [n_input] area on zones of both kinds, m² */
    double *nozone_m2;         /* [n_input] area on no classified zone, m² */
    double *tol_m2;            /* [n_input] the input's tolerance, m² */
    const char **conflict_top; /* [n_input] other class with the largest piece (borrowed
                                  from pieces; the smaller key on a tie), NULL if none */
    GEOSGeometry **conflict_geom; /* [n_input] C \ A when conflict_m2 >= tol, else NULL */
    GEOSGeometry **nozone_geom;   /* [n_input] input \ (A u C) when nozone_m2 >= tol */
    size_t n_pieces;
    ccgis_overlay_piece *pieces; /* ordered by input, then class key (byte order) */
    size_t n_overlaps, cap_overlaps;
    ccgis_overlay_overlap *overlaps; /* by input, then the zones' reading order */
    long long overlaps_small;        /* overlapping pairs under the tolerance */
    size_t n_notes, cap_notes;
    ccgis_overlay_note *notes; /* repaired / skipped zones in reading order (at most
                                  CCGIS_OVERLAY_NOTES_MAX of each), then unclassified
                                  ones by input */
    size_t n_classes;
    char **classes; /* the classes met near the inputs, as spelled, by key */

    long long zones_read;     /* zones read: those whose box meets an input's box, when
                                 the source has a spatial index (each once), else every zone
                                 in the box around all inputs */
    long long zones_near;     /* zones whose WGS 84 box met an input's */
    long long zones_repaired; /* invalid zones made valid before use */
    long long zones_skipped;  /* NULL, empty or non-polygon zones */
    char *zones_name;         /* the zones' layer name in its source */
    ccgis_crs *zones_crs;     /* the zones' CRS as used (srs, or the layer's own) */
    char *zones_encoding;     /* how their text was read, e.g. "UTF-8 (.cpg file)",
                                 "TCVN3 (given)", "UTF-8 (GeoPackage: always UTF-8)" */
    GEOSContextHandle_t geos; /* handle the geometries were made in (for freeing) */
} ccgis_overlay_result;

/*
 * ccgis_overlay -- overlay a loaded polygon layer with a streamed one.
 *
 *   input     in: polygons, loaded with ccgis_layer_load().
 *   options   in: the overlay layer and its class field.
 *   progress  in: may be NULL; reports the fraction of zones read, at least
 *             every 100 ms while there is work (progress.h).
 *   out       out: the result (ccgis_overlay_result_free); NULL on failure.
 *
 * Returns CCGIS_OK, or a failure of opening the zones (info.h),
 * CCGIS_ERR_INPUT (the overlay layer has no feature, or none passes its
 * where filter), CCGIS_ERR_USAGE (class field not in the layer, several
 * layers and none named, cancelled), CCGIS_ERR_CRS_NONE / CCGIS_ERR_TRANSFORM,
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
