/*
 * ccgis/layer.h -- loading a small layer (clusters, districts, villages) into
 * the common frame: valid 2D geometries in WGS 84 longitude/latitude.
 *
 * Loading reads every feature of one layer of a source once and keeps, per
 * usable feature:
 *   - its FID and key (the id field's value, or the FID as text);
 *   - its geometry in the source CRS, 2D (Z and M dropped), made valid;
 *   - the same geometry transformed to WGS 84 lon/lat by PROJ (the
 *     EPSG-registered datum shift for VN-2000), the frame every geodesic
 *     measure of ccgis works in;
 * A table without geometry (a spreadsheet of villages) is read as points from
 * its x / y columns; numbers written with a decimal comma and
 * degrees-minutes-seconds are accepted.  A KML / KMZ file is read as one
 * layer of all its folders, with a `folder` field, when no layer is named
 * (refused, listing the folders, when they hold different kinds of
 * geometry); Google Earth's housekeeping fields (timestamp, begin, end,
 * altitudeMode, tessellate, extrude, visibility, drawOrder, icon) are
 * dropped unless spec->keep_fields is "all".
 *
 * Before any feature is used, the box of the coordinates is judged against
 * the CRS: degrees that are VN-2000 metres (a .prj saying WGS 84), metres
 * that fit Vietnam only with X and Y exchanged (the survey habit of naming
 * the northing X), a whole layer stored latitude first, or degrees that fit
 * nowhere on the globe are refused (CCGIS_ERR_CRS), saying what to write
 * (srs=, or a table's x = / y = lines).  A few features off the globe are
 * skipped one by one, as below.
 *
 *   - its attributes, for writing them back out, as UTF-8 NFC: decoded from
 *     the encoding given (spec->encoding), else the one the source declares
 *     (.cpg, DBF language driver id, the format) unless its bytes clearly say
 *     otherwise, else the one detected from the text (textcode.h); refused
 *     when ambiguous.  A declared code page (ISO-8859-1, CP1252...) whose
 *     text reads as TCVN3, VNI, CP1258, VISCII or UTF-8 with 90 % confidence
 *     or more is read as that, with a warning naming both.  Every command and
 *     every step (the overlay of districts and zones, ccgis info, convert)
 *     decides and decodes a layer's text the same way, so ids, names and
 *     classes compare equal wherever they are read.
 *
 * Nothing is dropped or changed silently:
 *   - NULL and empty geometries are skipped, counted, and each becomes a
 *     GEOMETRY_SKIPPED finding;
 *   - a geometry of the wrong kind (a line where polygons are expected, a
 *     polygon where points are expected...) is skipped the same way, unless
 *     the role allows a conversion (points role: a point on the polygon's
 *     surface, GEOS PointOnSurface, which lies inside it as a centroid may not);
 *   - text that is not UTF-8 once decoded: an id is refused (it must be read
 *     exactly); any other value keeps each byte that starts no UTF-8
 *     sequence as U+FFFD, with one warning for the layer, so that every
 *     output shows the same text;
 *   - what GDAL leaves out without a word is warned about: .dbf records
 *     flagged deleted, values cut at a NUL (\u0000) in a GeoJSON file;
 *   - an invalid polygon is repaired with GEOS MakeValid (the same algorithm
 *     as PostGIS ST_MakeValid), its polygonal part kept, and it becomes a
 *     GEOMETRY_REPAIRED finding stating GEOS's reason and the geodesic area
 *     before and after.
 * A layer left with no usable feature is an error (it is probably the wrong
 * layer).
 *
 * The geometries are made in the loading context's GEOS handle but are
 * plain data: other threads may read them (not modify them) concurrently.
 */
#ifndef CCGIS_LAYER_H
#define CCGIS_LAYER_H

#include <stddef.h>

#include <geos_c.h>

#include "ccgis/crs.h"
#include "ccgis/ctx.h"
#include "ccgis/findings.h"
#include "ccgis/progress.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a layer must hold. */
typedef enum ccgis_role {
    CCGIS_ROLE_POLYGONS = 1, /* Polygon / MultiPolygon (curves linearised) */
    CCGIS_ROLE_POINTS = 2    /* Point; a polygon stands for a point on its surface */
} ccgis_role;

/*
 * Which layer to load, and how.  Initialise it with designated
 * initialisers, naming only what is given; every member left out is NULL
 * (or 0):
 *
 *   ccgis_layer_spec s = {.source = "clusters.shp", .id_field = "ma_ccn",
 *                         .role = CCGIS_ROLE_POLYGONS, .what = "clusters"};
 */
typedef struct ccgis_layer_spec {
    const char *source;   /* path or GDAL connection string */
    const char *layer;    /* layer name; NULL when the source has exactly one layer */
    const char *srs;      /* CRS to assign (the .prj is missing or wrong); NULL: the source's */
    const char *id_field; /* field holding a unique, non-empty id; NULL: the FID */
    ccgis_role role;
    const char *what; /* what the layer is, for messages: "clusters" (NULL: the layer name) */
    const char *encoding; /* a shapefile's attribute encoding when its .cpg is missing or
                             wrong: UTF-8, CP1258, VISCII, TCVN3 or VNI (textcode.h); NULL
                             or "auto": as declared, else detected from the text */
    const char *where;    /* attribute filter (OGR SQL), e.g. "Layer = 'RANH_GIOI'" for a
                             DXF drawing's CAD layer; NULL: every feature */
    const char *x_field, *y_field; /* for a table of points without geometry (CSV, XLSX,
                             ODS): the columns holding x (lon / easting) and y (lat /
                             northing); NULL: recognised by the heading, compared after
                             NFC and case folding, a unit in brackets ignored: x, lon, lng,
                             long, longitude, Kinh độ, X (m), easting; y, lat, latitude,
                             Vĩ độ, Y (m), northing.  Cells may hold numbers (decimal point
                             or comma) or degrees-minutes-seconds (21°01'28.5"N) */
    const char *keep_fields; /* "all": keep every field, a KML's Google Earth housekeeping
                             fields too; NULL: those are dropped (see below) */
} ccgis_layer_spec;

/* The member of a ccgis_layer_spec a failed load blames. */
typedef enum ccgis_spec_member {
    CCGIS_SPEC_NONE = 0, /* none in particular (the data, a geometry, memory) */
    CCGIS_SPEC_SOURCE,
    CCGIS_SPEC_LAYER,
    CCGIS_SPEC_SRS,
    CCGIS_SPEC_ID,
    CCGIS_SPEC_ENCODING,
    CCGIS_SPEC_WHERE,
    CCGIS_SPEC_X,
    CCGIS_SPEC_Y
} ccgis_spec_member;

/* One usable feature. */
typedef struct ccgis_feature {
    long long fid;
    char *key;              /* id field value, or the FID as text */
    GEOSGeometry *geom;     /* WGS 84 lon/lat, valid, 2D */
    GEOSGeometry *geom_src; /* the same in the source CRS */
    void *attrs;            /* OGRFeatureH: the source attributes, without geometry */
    int repaired;           /* 1 if MakeValid changed it */
    double drawn_m2;        /* repaired: the geodesic area as drawn, before the repair
                               (NaN when unknown); not repaired: NaN */
} ccgis_feature;

/* A loaded layer. */
typedef struct ccgis_layer {
    char *source;  /* as given */
    char *name;    /* the layer's name in the source */
    char *what;    /* spec->what, or the name */
    ccgis_crs *crs; /* the source CRS as used (assigned or own) */
    char *encoding; /* how the attribute text was read, e.g. "UTF-8 (.cpg file)",
                       "TCVN3 (given)", "VNI (not declared; detected from the text, 95% ...)" */
    void *defn;     /* OGRFeatureDefnH of the attributes (referenced) */

    size_t n;          /* usable features */
    ccgis_feature *f;  /* in reading order */

    long long n_read;     /* features read */
    long long n_skipped;  /* NULL, empty or wrong kind */
    long long n_repaired; /* made valid */
    int has_extent;
    double extent[4]; /* WGS 84 box of the usable features: min lon, min lat, max lon, max lat */
} ccgis_layer;

/*
 * ccgis_layer_load -- load a layer into the common frame.
 *
 *   spec      in: what to load.
 *   findings  in/out: skipped and repaired features are appended (may be NULL
 *             only if the caller accepts losing them; messages still report).
 *   out       out: the layer, to free with ccgis_layer_free(); NULL on failure.
 *
 * Returns CCGIS_OK, or: the failures of opening a source (info.h);
 * CCGIS_ERR_NO_LAYER; CCGIS_ERR_USAGE (several layers and none named; an
 * id field that is not in the layer: the message lists the fields);
 * CCGIS_ERR_INPUT (a duplicate or empty id, naming both features; an id
 * that is not UTF-8);
 * CCGIS_ERR_CRS_NONE (no CRS and none assigned: pass srs); CCGIS_ERR_CRS
 * (the coordinates do not fit the CRS: the message says what to write);
 * CCGIS_ERR_TRANSFORM; CCGIS_ERR_READ; CCGIS_ERR_GEOMETRY (no usable feature).
 */
ccgis_status ccgis_layer_load(ccgis_ctx *ctx, const ccgis_layer_spec *spec,
                              ccgis_findings *findings, ccgis_layer **out);

/*
 * ccgis_layer_load_progress -- ccgis_layer_load() with a progress callback
 * (progress.h; may be NULL), called every 64 features read with the share
 * read so far and the layer's `what` as note.  Returns what
 * ccgis_layer_load() returns, or CCGIS_ERR_CANCELLED ("cancelled by the caller")
 * when the callback returns 0.
 */
ccgis_status ccgis_layer_load_progress(ccgis_ctx *ctx, const ccgis_layer_spec *spec,
                                       ccgis_findings *findings, ccgis_progress_fn progress,
                                       void *progress_arg, ccgis_layer **out);

/*
 * ccgis_layer_failed_on -- the member of the spec the last failed
 * ccgis_layer_load() on ctx blamed: CCGIS_SPEC_ID for a missing, empty,
 * duplicate or non-UTF-8 id, CCGIS_SPEC_WHERE for a filter GDAL refuses,
 * CCGIS_SPEC_X / _Y for a column not found, CCGIS_SPEC_SRS for a CRS that
 * cannot be read, CCGIS_SPEC_ENCODING for text that cannot be decoded as
 * given or decided, CCGIS_SPEC_SOURCE / _LAYER when the source or layer
 * cannot be opened; CCGIS_SPEC_NONE otherwise (and after a success).  A job
 * runner points at the job file line of that member with it.
 */
ccgis_spec_member ccgis_layer_failed_on(const ccgis_ctx *ctx);

/* ccgis_layer_free -- release a layer; NULL is accepted.  Returns NULL. */
ccgis_layer *ccgis_layer_free(ccgis_ctx *ctx, ccgis_layer *layer);

/*
 * ccgis_layers_overlap -- 1 if the WGS 84 extents of two loaded layers
 * intersect, 0 if not (then one of them is very likely in the wrong CRS).
 */
int ccgis_layers_overlap(const ccgis_layer *a, const ccgis_layer *b);

#ifdef __cplusplus
}
#endif

#endif /* CCGIS_LAYER_H */
