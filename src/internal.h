/*
 * internal.h -- what the library's own files share and users never see.
 *
 *   - the layout of struct ccgis_ctx (ctx.c creates it, errors.c fills its
 *     error and message fields);
 *   - error recording: ccgis_error() and ccgis_error_at(), which build the
 *     one-line "where: what -- fix" message and keep it in the context;
 *   - messages to the sink: ccgis_msg();
 *   - routing of GDAL/CPL errors into the context around a library call:
 *     ccgis_gdal_begin() / ccgis_gdal_end();
 *   - small string helpers that report out-of-memory into the context.
 */
#ifndef CCGIS_INTERNAL_H
#define CCGIS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <gdal.h>
#include <geos_c.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <proj.h>

#include "ccgis/ccgis.h"
#include "ccgis/job.h"
#include "ccgis/run.h"
#include "lang.h"

#if defined(__GNUC__)
#define CCGIS_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define CCGIS_PRINTF(fmt, args)
#endif

/* GDAL settings ccgis sets thread-locally around its calls (errors.c). */
#define CCGIS_GDAL_SETTINGS 3

/* Lines ccgis_msg_once_at remembers. */
#define CCGIS_SAID_MAX 64

/* Longest message kept; longer ones are cut with "...". */
#define CCGIS_MSG_MAX 1024

struct ccgis_ctx {
    GEOSContextHandle_t geos; /* owned: GEOS_finish_r */
    PJ_CONTEXT *proj;         /* owned: proj_context_destroy */

    ccgis_status err;             /* last failure, CCGIS_OK if none */
    char errmsg[CCGIS_MSG_MAX];   /* its message, "" if none */
    char geos_msg[CCGIS_MSG_MAX];    /* last GEOS error text, not yet quoted */
    char geos_quoted[CCGIS_MSG_MAX]; /* what ccgis_geos_reason last returned */
    char gdal_msg[CCGIS_MSG_MAX]; /* last CPL failure text since ccgis_gdal_begin */
    char gdal_first[CCGIS_MSG_MAX]; /* the first since then, or since a caller cleared it:
                                       the cause when failures cascade (write.c) */

    ccgis_message_fn sink; /* may be NULL */
    void *sink_arg;
    ccgis_level verbosity;
    long counts[4]; /* messages emitted, by level */

    uint64_t said[CCGIS_SAID_MAX]; /* hashes of the lines ccgis_msg_once_at sent */
    size_t n_said;                 /* lines sent so (the oldest are forgotten first) */

    int spec_member; /* ccgis_spec_member the last failed layer load blamed */

    int threads; /* 0: one per core */
    int gdal_depth; /* nesting of ccgis_gdal_begin */
    int gdal_set[CCGIS_GDAL_SETTINGS]; /* ccgis set that GDAL setting on this thread */
};

/* Where a problem is.  Any member may be NULL / negative when unknown. */
typedef struct ccgis_where {
    const char *file;  /* the source as the user named it */
    const char *layer; /* layer name */
    long long fid;     /* feature id, or -1 */
} ccgis_where;

#define CCGIS_NOWHERE ((ccgis_where){NULL, NULL, -1})

/*
 * ccgis_error -- record a failure in the context and send it to the sink at
 * CCGIS_ERROR.  `fmt` describes the problem and, after " -- ", what to do.
 * Returns `status`, so that `return ccgis_error(ctx, ...);` reads naturally.
 */
ccgis_status ccgis_error(ccgis_ctx *ctx, ccgis_status status, const char *fmt, ...)
    CCGIS_PRINTF(3, 4);

/*
 * ccgis_error_at -- like ccgis_error(), with the message prefixed by where the
 * problem is: "FILE, layer 'L', feature F: ".
 */
ccgis_status ccgis_error_at(ccgis_ctx *ctx, ccgis_status status, ccgis_where where,
                            const char *fmt, ...) CCGIS_PRINTF(4, 5);

/* ccgis_nomem -- record an out-of-memory failure.  Returns CCGIS_ERR_NOMEM. */
ccgis_status ccgis_nomem(ccgis_ctx *ctx);

/*
 * ccgis_msg -- send a message to the sink (if its level passes the
 * verbosity) and count it.  Never records an error.
 */
void ccgis_msg(ccgis_ctx *ctx, ccgis_level level, const char *fmt, ...) CCGIS_PRINTF(3, 4);

/* ccgis_msg_at -- ccgis_msg() prefixed by where, as in ccgis_error_at(). */
void ccgis_msg_at(ccgis_ctx *ctx, ccgis_level level, ccgis_where where, const char *fmt, ...)
    CCGIS_PRINTF(4, 5);

/*
 * ccgis_msg_feature, ccgis_error_feature -- ccgis_msg_at() and
 * ccgis_error_at() for a feature whose id (`key`: the id field's value, as
 * the report and the outputs name it) is known: "FILE, layer 'L', id 'CCN21',
 * feature 20: ...".  A NULL key, or one that is only the FID as text, is
 * left out.
 */
void ccgis_msg_feature(ccgis_ctx *ctx, ccgis_level level, ccgis_where where, const char *key,
                       const char *fmt, ...) CCGIS_PRINTF(5, 6);
ccgis_status ccgis_error_feature(ccgis_ctx *ctx, ccgis_status status, ccgis_where where,
                                 const char *key, const char *fmt, ...) CCGIS_PRINTF(5, 6);

/*
 * ccgis_msg_once_at -- ccgis_msg_at(), unless the very same line was sent
 * through this function before on this context (of the last 64 such): for
 * what two steps reading the same layer would both say (its encoding).
 */
void ccgis_msg_once_at(ccgis_ctx *ctx, ccgis_level level, ccgis_where where, const char *fmt, ...)
    CCGIS_PRINTF(4, 5);

/*
 * ccgis_gdal_begin / ccgis_gdal_end -- bracket a stretch of GDAL calls.
 * Between them, CPL errors on this thread go to the context instead of
 * stderr: warnings and notes to the sink, the last failure's text to
 * ctx->gdal_msg (cleared by begin) for the caller to quote; and ccgis's
 * GDAL settings (DXF closed lines as polygons, spreadsheet headers) hold on
 * this thread only.  Calls nest; every begin needs its end on the same
 * thread.
 */
void ccgis_gdal_begin(ccgis_ctx *ctx);
void ccgis_gdal_end(ccgis_ctx *ctx);

/*
 * ccgis_geos_reason -- the last GEOS error text recorded in the context, or
 * `fallback` when GEOS gave none; the stored text is cleared.  Borrowed until
 * the next GEOS call.
 */
const char *ccgis_geos_reason(ccgis_ctx *ctx, const char *fallback);

/*
 * Handlers installed by ccgis_ctx_new() on the GEOS handle and the PROJ
 * context; their user data is the ccgis_ctx.
 */
void ccgis_geos_error_handler(const char *message, void *userdata);
void ccgis_geos_notice_handler(const char *message, void *userdata);
void ccgis_proj_log_handler(void *userdata, int level, const char *message);

/* ccgis_strdup -- strdup that records CCGIS_ERR_NOMEM on failure; NULL in, NULL out. */
char *ccgis_strdup(ccgis_ctx *ctx, const char *s);

/* ccgis_calloc -- calloc that records CCGIS_ERR_NOMEM on failure. */
void *ccgis_calloc(ccgis_ctx *ctx, size_t n, size_t size);

/*
 * ccgis_grow -- make room for one more element in a growing array.
 *   *arr, *cap  in/out: the array and its capacity in elements
 *   n           elements in use
 * Returns 1 with room for element n, 0 (CCGIS_ERR_NOMEM recorded) on failure,
 * the array then being unchanged.
 */
int ccgis_grow(ccgis_ctx *ctx, void **arr, size_t *cap, size_t n, size_t elem_size);

/* ---- interrupt.c ------------------------------------------------------ */

/* ccgis_interrupt_init -- let GEOS see ccgis_interrupt_request() in every
 * operation after it (installs a GEOS callback once per process; called by
 * ccgis_ctx_new). */
void ccgis_interrupt_init(void);

/* ccgis_interrupt_pending -- 1 between ccgis_interrupt_request() and
 * ccgis_interrupt_cancel(): long loops then stop with CCGIS_ERR_CANCELLED,
 * "cancelled by the caller". */
int ccgis_interrupt_pending(void);

/* ---- crs.c ------------------------------------------------------------ */

/*
 * ccgis_crs_from_ogr -- a ccgis_crs from a layer's OGR spatial reference
 * (borrowed).  Returns CCGIS_OK and sets *out (caller frees), or
 * CCGIS_ERR_CRS_BAD with a message naming `where`.
 */
ccgis_status ccgis_crs_from_ogr(ccgis_ctx *ctx, OGRSpatialReferenceH srs, ccgis_where where,
                                ccgis_crs **out);

/*
 * ccgis_transform_geom -- a copy of g with every vertex transformed (see
 * ccgis_transform_xy).  Returns a new geometry, or NULL when a vertex cannot
 * be transformed (nothing recorded: the caller names the feature).
 */
GEOSGeometry *ccgis_transform_geom(ccgis_ctx *ctx, ccgis_transform *t, const GEOSGeometry *g);

/*
 * ccgis_transform_between -- a transformation from src to dst (both in GIS
 * axis order).  Returns CCGIS_OK and sets *out (ccgis_transform_free), or
 * CCGIS_ERR_TRANSFORM.
 */
ccgis_status ccgis_transform_between(ccgis_ctx *ctx, const ccgis_crs *src, const ccgis_crs *dst,
                                     ccgis_transform **out);

/*
 * ccgis_transform_clone -- the same transformation bound to another context
 * (for a worker thread).  Returns CCGIS_OK and sets *out, or a failure.
 */
ccgis_status ccgis_transform_clone(ccgis_ctx *ctx, const ccgis_transform *t,
                                   ccgis_transform **out);

/*
 * ccgis_transform_bounds -- the box covering the image of box `in` (minx,
 * miny, maxx, maxy; edges densified with 21 points), forward or inverse.
 * Returns 1 and fills out, or 0 if PROJ cannot transform it.
 */
int ccgis_transform_bounds(ccgis_ctx *ctx, ccgis_transform *t, int inverse, const double in[4],
                           double out[4]);

/*
 * ccgis_crs_vn2000_suspect -- 1 if a CRS looks like VN-2000 that lost its
 * datum: named VN-2000, or a TM-3 projection used in Vietnam (k 0.9999, false
 * easting 500 km, central meridian 102-109), but on plain WGS 84 without the
 * registered shift -- its WGS 84 positions would then be about 200 m off.
 * `fix` (cap bytes) receives the preset to pass instead, e.g.
 * "vn2000:tm3:105".  0 otherwise.
 */
int ccgis_crs_vn2000_suspect(ccgis_ctx *ctx, const ccgis_crs *crs, char *fix, size_t cap);

/* ccgis_crs_wkt -- the CRS as WKT2:2019 (a BoundCRS keeps its shift);
 * borrowed, valid while crs lives.  NULL on failure. */
const char *ccgis_crs_wkt(ccgis_ctx *ctx, const ccgis_crs *crs);

/*
 * ccgis_crs_gdal_text -- what GDAL is given for the CRS (OSRSetFromUserInput,
 * ogr2ogr's -t_srs): "EPSG:5897" when the CRS carries an EPSG code of its
 * own (not a BoundCRS), so that files record the code -- GeoPackage's
 * gpkg_spatial_ref_sys, SpatiaLite's spatial_ref_sys, the ESRI name in a
 * .prj that GDAL and QGIS match back to the code; else its WKT2.
 * Borrowed, valid while crs lives.  NULL when out of memory.
 */
const char *ccgis_crs_gdal_text(ccgis_ctx *ctx, const ccgis_crs *crs);

/* ---- source.c --------------------------------------------------------- */

/* What ccgis adds to a PostgreSQL connection string that does not say
 * (source.c): seconds to wait for the connection, milliseconds a statement
 * may run on the server. */
#define CCGIS_PG_CONNECT_TIMEOUT_S "10"
#define CCGIS_PG_STATEMENT_TIMEOUT_MS "300000"

/*
 * ccgis_source_open -- open a vector source read-only.  Returns CCGIS_OK and
 * sets *ds (close with GDALClose), or CCGIS_ERR_NOT_FOUND, CCGIS_ERR_INPUT
 * (unreadable) or CCGIS_ERR_NOT_VECTOR, with a message naming the source.
 */
ccgis_status ccgis_source_open(ccgis_ctx *ctx, const char *source, GDALDatasetH *ds);

/*
 * ccgis_declared_cp1258 -- 1 if `source` is a shapefile / DBF whose .cpg
 * declares CP1258.  GDAL 3.6 recodes CP1258 without flushing iconv and loses
 * the last letter of every field name and value, so such a source is read as
 * raw bytes and decoded by ccgis (as if encoding=CP1258 were given).
 */
int ccgis_declared_cp1258(const char *source);

/*
 * ccgis_source_open_enc -- ccgis_source_open() for a source whose attribute
 * encoding the user names: a shapefile / DBF is then opened with GDAL's
 * recoding off (raw bytes), for ccgis_text_plan_apply() to decode.
 * `encoding` NULL, "" or "auto": as the file declares.  An encoding for any
 * other kind of source is CCGIS_ERR_USAGE.
 */
ccgis_status ccgis_source_open_enc(ccgis_ctx *ctx, const char *source, const char *encoding,
                                   GDALDatasetH *ds);

/*
 * ccgis_source_layer -- the layer called `name` in `ds` (borrowed from ds).
 * Returns CCGIS_OK, or CCGIS_ERR_NO_LAYER with a message listing the layers
 * the source has.
 */
ccgis_status ccgis_source_layer(ccgis_ctx *ctx, GDALDatasetH ds, const char *source,
                                const char *name, OGRLayerH *layer);

/*
 * ccgis_source_layer_list -- "'a', 'b', ..." naming the layers of ds, or
 * "(none)", into buf (cap bytes, cut if longer).
 */
void ccgis_source_layer_list(GDALDatasetH ds, char *buf, size_t cap);

/*
 * ccgis_source_pick_layer -- the layer called `name`, or when name is NULL
 * the only layer of ds.  Returns CCGIS_OK, CCGIS_ERR_NO_LAYER, or
 * CCGIS_ERR_USAGE when ds has several (or no) layers and none is named; the
 * message lists the layers.
 */
ccgis_status ccgis_source_pick_layer(ccgis_ctx *ctx, GDALDatasetH ds, const char *source,
                                     const char *name, OGRLayerH *layer);

/*
 * ccgis_layer_is_empty -- 1 if the layer (through its attribute filter, if
 * any) gives no feature at all: reads one, then resets the reading.
 */
int ccgis_layer_is_empty(OGRLayerH layer);

/*
 * ccgis_looks_vn2000 -- 1 if a layer's extent looks like projected VN-2000
 * metres (eastings 300-800 km, northings 900-2,700 km: TM-3 or UTM 48N/49N
 * over Vietnam), with a sentence saying so in `what`.  0 otherwise.
 */
int ccgis_looks_vn2000(OGRLayerH layer, char *what, size_t cap);

/* ---- crscheck.c ------------------------------------------------------- */

/* What to write when coordinates look like VN-2000 metres (the end of a
 * message; the same wherever a VN-2000 CRS is missing or mislabelled). */
#define CCGIS_VN2000_SRS_ADVICE                                                                  \
    "assign the right one with srs= (--srs), e.g. srs=vn2000:tm3:105 (Ha Noi), "                 \
    "vn2000:tm3:105-30, vn2000:utm48 ('ccgis help crs' lists them); ccgis will not guess: "      \
    "they differ by hundreds of metres"

/*
 * ccgis_box_looks_vn2000 -- 1 if a box (min x, min y, max x, max y) looks
 * like projected VN-2000 metres (eastings 300-800 km, northings 900-2,700
 * km: TM-3 or UTM 48N/49N over Vietnam), with a sentence saying so in
 * `what` ("its coordinates (E ..., N ...) look like VN-2000 TM-3 or UTM 48N
 * metres").  0 otherwise.
 */
int ccgis_box_looks_vn2000(const double box[4], char *what, size_t cap);

/* What a layer's coordinates say about its declared CRS. */
typedef enum ccgis_crs_verdict {
    CCGIS_CRS_FITS = 0,            /* nothing wrong can be told from the box */
    CCGIS_CRS_DEGREES_ARE_METRES,  /* a CRS in degrees on VN-2000 metres */
    CCGIS_CRS_XY_EXCHANGED,        /* metres that fit (VN-2000 / Vietnam) only with x and y
                                      exchanged: northing first, the survey habit */
    CCGIS_CRS_LATLON_SWAPPED,      /* degrees stored latitude first */
    CCGIS_CRS_OFF_GLOBE            /* degrees, but no coordinate fits the globe */
} ccgis_crs_verdict;

/*
 * ccgis_crs_check -- judge the box of a layer's coordinates (min x, min y,
 * max x, max y, in the units of its CRS) against that CRS: `crs_name` (for
 * the message), `geographic` (1 for degrees) and `to_wgs84` (its
 * transformation, for projected CRSs; may be NULL).  `xcol` and `ycol` name
 * the columns of a table of points (NULL for a layer with geometry): the
 * advice then spells out the x = / y = lines.  Returns the verdict; for any
 * but CCGIS_CRS_FITS, `hint` (cap bytes) receives one sentence: what the
 * coordinates look like -- what to write.  A box that fits in part (a few
 * swapped rows) is CCGIS_CRS_FITS: those features are judged one by one.
 */
ccgis_crs_verdict ccgis_crs_check(ccgis_ctx *ctx, const char *crs_name, int geographic,
                                  ccgis_transform *to_wgs84, const double box[4],
                                  const char *xcol, const char *ycol, char *hint, size_t cap);

/* ---- pointtable.c ----------------------------------------------------- */

/*
 * ccgis_xy_field -- the field of defn holding a table's x (want_y 0) or y
 * (want_y 1): the one named `given` (exactly, or compared as headings are),
 * or with given NULL the first recognised heading (pointtable.c lists
 * them: x, lon, Kinh độ, X (m), easting...).  -1 if none.
 */
int ccgis_xy_field(ccgis_ctx *ctx, OGRFeatureDefnH defn, const char *given, int want_y);

/*
 * ccgis_coord_parse -- a coordinate as written in a cell: a number (decimal
 * point or comma, thousands grouped) or degrees-minutes-seconds
 * (21°01'28.5"N, 105 51 12 E).  Returns 1 and sets *v, or 0.
 */
int ccgis_coord_parse(const char *text, double *v);

/* ccgis_xy_cell -- cell i of f as a coordinate: 1 (and *v), 0 when empty,
 * -1 when it is neither a number nor degrees-minutes-seconds. */
int ccgis_xy_cell(OGRFeatureH f, int i, double *v);

/* ccgis_xy_box -- the box of the (x, y) pairs of columns xi, yi that read
 * as coordinates, over the features the layer gives (its filter applies).
 * Returns 1 and fills box (min x, min y, max x, max y), 0 if none reads.
 * Leaves the reading reset. */
int ccgis_xy_box(OGRLayerH layer, int xi, int yi, double box[4]);

/* ---- kml.c ------------------------------------------------------------ */

/*
 * ccgis_kml_merge -- the layers (folders) of a KML / KMZ source `ds` as one
 * layer in a new in-memory dataset *out (GDALClose it): every feature, with
 * a `folder` field naming its folder, FIDs 1..n in reading order, and
 * without Google Earth's housekeeping fields (timestamp, begin, end,
 * altitudeMode, tessellate, extrude, visibility, drawOrder, icon) unless
 * keep_all.  With `merge` 0 (a single layer was named) only the fields
 * are dropped.  *out is NULL (and CCGIS_OK returned) when ds is not KML.
 * Returns CCGIS_OK, CCGIS_ERR_USAGE when the folders hold different kinds
 * of geometry (the message lists each folder with its kinds and counts:
 * name one with layer=), CCGIS_ERR_READ or CCGIS_ERR_NOMEM.
 */
ccgis_status ccgis_kml_merge(ccgis_ctx *ctx, GDALDatasetH ds, const char *source,
                             const char *layer, int keep_all, GDALDatasetH *out);

/* ccgis_field_list -- "a, b, c" naming the fields of defn, or "(none)",
 * into buf (cap bytes, cut if longer). */
void ccgis_field_list(OGRFeatureDefnH defn, char *buf, size_t cap);

/* ---- dropped.c -------------------------------------------------------- */

/*
 * ccgis_source_dropped -- warn (CCGIS_WARNING, naming `source` and `layer`)
 * about what GDAL will leave out of the source without a word: .dbf records
 * flagged deleted (a shapefile), which GDAL skips; NUL characters (\u0000)
 * inside strings of a GeoJSON file, which cut the values there.  Each is counted, with the first
 * record or line.  Reads the file's bytes once; connection strings and
 * other formats are not looked at.
 */
void ccgis_source_dropped(ccgis_ctx *ctx, GDALDatasetH ds, const char *source, const char *layer);

/* ---- spindex.c -------------------------------------------------------- */

/*
 * ccgis_spatial_index_stale -- 1 when the spatial index GDAL would use for
 * `layer` of `ds` (opened from `source`) disagrees with the layer: a
 * GeoPackage R-tree or SpatiaLite index holding another number of entries
 * than the layer has non-empty geometries, a shapefile .qix made for
 * another number of shapes.  `why` (cap bytes) then gets a sentence naming
 * the index and both counts.  0 when they agree, or when it cannot tell
 * (no index, another format).
 */
int ccgis_spatial_index_stale(GDALDatasetH ds, OGRLayerH layer, const char *source, char *why,
                              size_t cap);

/* ---- geom.c ----------------------------------------------------------- */

/* What a GEOS STRtree query found, for trees whose items are indexes
 * inserted as (void *)(index + 1).  Start from {0}; ccgis_hits_clear frees. */
typedef struct ccgis_hits {
    size_t *i;
    size_t n, cap;
    int nomem; /* an append failed: the list is short */
} ccgis_hits;

/* ccgis_hits_collect -- GEOSSTRtree_query_r callback appending the item's
 * index to the ccgis_hits *arg. */
void ccgis_hits_collect(void *item, void *arg);

/* ccgis_hits_sort -- the hits in ascending index order (a tree hands them
 * in its own order; results must not depend on it). */
void ccgis_hits_sort(ccgis_hits *h);

/* ccgis_hits_clear -- free the list; the struct may be reused after. */
void ccgis_hits_clear(ccgis_hits *h);


/*
 * ccgis_geom_type_name -- ISO WKT name of an OGR geometry type with its
 * dimension suffix ("Polygon", "MultiPolygon Z", "Point ZM", "Unknown"),
 * written to buf (cap bytes).  Returns buf.
 */
const char *ccgis_geom_type_name(OGRwkbGeometryType type, char *buf, size_t cap);

/*
 * CCGIS_CURVE_STEP_DEG -- the widest angle, in degrees seen from the arc's
 * centre, that one chord of a linearised circular arc spans.  A regular
 * n-gon inscribed in a circle has (n / 2 pi) sin(2 pi / n) of its area, a
 * relative loss of about (2 pi / n)^2 / 6 = t^2 / 6 for chords of
 * t = 2 pi / n radians; an arc cut into such chords loses the same fraction
 * of the sector it subtends.  Areas must stay within 1e-6 of the true
 * curve's, so t <= sqrt(6e-6) rad = 0.14 degrees; 0.1 degree loses 5.1e-7
 * (measured on a 500 m-radius circle: 5.07e-7), for 3,600 vertices per full
 * circle or 900 per quarter arc.  GDAL's default, 4 degrees, loses 7.9e-4:
 * 624 m^2 of a 500 m-radius circle.  The loss is relative to the subtended
 * sectors, so a shallow arc of large radius bounding a small parcel loses
 * more of the parcel: about L r t^2 / 12 m^2 for an arc of length L and
 * radius r (0.13 m^2 for 100 m of a 5 km-radius arc).
 */
#define CCGIS_CURVE_STEP_DEG 0.1

/*
 * ccgis_geom_linear -- a new linear copy of g (borrowed): circular arcs
 * linearised into chords of at most CCGIS_CURVE_STEP_DEG, curve types
 * (CircularString, CompoundCurve, CurvePolygon, MultiCurve, MultiSurface)
 * made their linear counterparts, anything else cloned.  Z and M are kept.
 * Returns the copy (OGR_G_DestroyGeometry), or NULL when g is NULL or OGR
 * fails (out of memory).
 */
OGRGeometryH ccgis_geom_linear(OGRGeometryH g);

/*
 * ccgis_geom_to_geos -- convert an OGR geometry (borrowed) to GEOS in the
 * context's handle: curves are linearised (ccgis_geom_linear), M values
 * dropped (Z is kept).
 * Returns a new geometry (GEOSGeom_destroy_r) or NULL with *reason set to a
 * borrowed text saying why GEOS would not take it.
 */
GEOSGeometry *ccgis_geom_to_geos(ccgis_ctx *ctx, OGRGeometryH g, const char **reason);

/*
 * ccgis_geom_check -- GEOS's validity verdict on g: 1 valid, 0 invalid (then
 * reason, size cap, gets GEOS's reason, and *x, *y the location or NaN),
 * -1 when GEOS failed to decide (reason says why).
 */
int ccgis_geom_check(ccgis_ctx *ctx, const GEOSGeometry *g, char *reason, size_t cap,
                     double *x, double *y);

/* ---- findings.c ------------------------------------------------------- */

/*
 * ccgis_finding_add -- append a finding.  Strings are copied; `geom` (may be
 * NULL) is taken over, and destroyed on failure.  `fmt` makes the detail
 * sentence.  Returns CCGIS_OK or CCGIS_ERR_NOMEM (recorded).
 */
ccgis_status ccgis_finding_add(ccgis_ctx *ctx, ccgis_findings *list, ccgis_finding_kind kind,
                               const char *layer, const char *subject, const char *other,
                               double area_m2, GEOSGeometry *geom, const char *fmt, ...)
    CCGIS_PRINTF(9, 10);

/* The findings' sentences (findings.c), each in English and Vietnamese; the
 * comment gives the words (w) and figures (x) each takes. */
typedef enum ccgis_finding_form {
    CCGIS_SAY_NONE = 0,      /* ccgis_finding_add: the detail as given */
    CCGIS_SAY_SKIPPED,       /* w0 layer, w1 why; x0 FID */
    CCGIS_SAY_REPAIRED,      /* w0 layer, w1 id, w2 GEOS's reason; x0 m² before (NaN:
                                unknown), x1 m² after */
    CCGIS_SAY_OVERLAP,       /* w0 layer, w1 id, w2 other id; x0 m², x1 ha */
    CCGIS_SAY_STRADDLES,     /* w0 layer, w1 id, w2 shares (lang.h {sN}), w3 assigned
                                district; x0 districts */
    CCGIS_SAY_OUTSIDE_ALL,   /* w0 layer, w1 id; x0 ha */
    CCGIS_SAY_OUTSIDE_PART,  /* w0 layer, w1 id; x0 ha, x1 % */
    CCGIS_SAY_UNNAMED_UNDER, /* w0 district feature, w1 layer, w2 id; x0 ha */
    CCGIS_SAY_CONFLICT,      /* w0 cluster, w1 class; x0 ha, x1 % */
    CCGIS_SAY_GAP_ALL,       /* w0 cluster; x0 ha */
    CCGIS_SAY_GAP_PART,      /* w0 cluster; x0 ha, x1 % */
    CCGIS_SAY_ZONES_MIXED,   /* w0 zone, w1 class, w2 zone, w3 class, w4 cluster; x0 ha */
    CCGIS_SAY_ZONES_ONCE,    /* the same, zones of one kind */
    CCGIS_SAY_NO_CLASS,      /* w0 zone, w1 cluster; x0 ha */
    CCGIS_SAY_ZONE_REPAIRED, /* w0 zone, w1 reason; x0 m² before, x1 m² after */
    CCGIS_SAY_ZONE_SKIPPED,  /* w0 zone, w1 why */
    CCGIS_SAY_MANUAL_FIX,    /* w0 cluster; x0 ha drawn, x1 ha repaired, x2 % change */
    CCGIS_SAY_DECLARED_BAD,  /* w0 cluster, w1 field, w2 its value; x0 ha */
    CCGIS_SAY_MISMATCH,      /* w0 cluster, w1 field; x0 ha, x1 ha declared, x2 %, x3 % allowed */
    CCGIS_SAY_DISTRICT_NO_NAME, /* w0 district feature, w1 name field; x0 ha */
    CCGIS_SAY_WWTP_NONE,        /* w0 cluster; x0 max_m */
    CCGIS_SAY_WWTP_FAILS,       /* w0 cluster, w1 plant; x0 max_m, x1 its distance m */
    CCGIS_SAY_RELOCATION_GAP,   /* w0 village, w1 its name, w2 nearest planned cluster;
                                   x0 radius m, x1 its distance km */
    CCGIS_SAY_FORMS
} ccgis_finding_form;

/*
 * ccgis_finding_say -- ccgis_finding_add() with the detail made from sentence
 * `form` (in English, plain numbers), whose words and figures the finding
 * keeps so that ccgis_finding_text() can tell it in another language.
 */
ccgis_status ccgis_finding_say(ccgis_ctx *ctx, ccgis_findings *list, ccgis_finding_kind kind,
                               const char *layer, const char *subject, const char *other,
                               double area_m2, GEOSGeometry *geom, ccgis_finding_form form,
                               const ccgis_say_args *args);

/*
 * ccgis_geom_polygonal -- the polygonal part of g, which it takes over: g
 * itself if a Polygon or MultiPolygon, else a MultiPolygon of the polygons
 * of a collection (like PostGIS ST_CollectionExtract(g, 3)).  Returns NULL
 * (g destroyed) when g has no polygon or GEOS fails.
 */
GEOSGeometry *ccgis_geom_polygonal(ccgis_ctx *ctx, GEOSGeometry *g);

/* ---- result.c --------------------------------------------------------- */

/* Types of computed columns. */
typedef enum ccgis_ftype { CCGIS_F_STRING = 0, CCGIS_F_INT = 1, CCGIS_F_REAL = 2 } ccgis_ftype;

/* A computed column: name, type, width/decimals (0: none). */
typedef struct ccgis_field_spec {
    const char *name;
    ccgis_ftype type;
    int width, precision;
} ccgis_field_spec;

/* A value of a computed column (CCGIS_F_INT columns are 32-bit: counts); `s`
 * is borrowed. */
typedef struct ccgis_value {
    int is_null;
    long long i;
    double d;
    const char *s;
} ccgis_value;

#define CCGIS_VNULL ((ccgis_value){1, 0, 0, NULL})
#define CCGIS_VINT(x) ((ccgis_value){0, (x), 0, NULL})
#define CCGIS_VREAL(x) ((ccgis_value){0, 0, (x), NULL})
#define CCGIS_VSTR(x) ((ccgis_value){0, 0, 0, (x)})

/* ccgis_result_dataset -- a new, empty in-memory dataset (GDALClose), or
 * NULL (recorded). */
GDALDatasetH ccgis_result_dataset(ccgis_ctx *ctx);

/*
 * ccgis_result_layer -- add a layer to a result dataset: WGS 84, geometry
 * type `gtype` (wkbNone: a table), the fields of source layer `src` (may
 * be NULL; borrowed) under their full names, then the computed ones.  A
 * source field named like a computed column becomes src_<name>, one
 * repeating an earlier name but for case <name>_2 ..., each warned about
 * naming src->source (result.c).  Returns the layer (owned by ds), or NULL
 * (recorded).
 */
OGRLayerH ccgis_result_layer(ccgis_ctx *ctx, GDALDatasetH ds, const char *name,
                             OGRwkbGeometryType gtype, const ccgis_layer *src,
                             const ccgis_field_spec *extra, size_t n_extra);

/*
 * ccgis_result_add -- add one feature: the attributes of `src` (may be NULL;
 * it must have the schema the layer was made from), the computed values in
 * column order, and `g` (WGS 84, may be NULL).  Returns CCGIS_OK or a
 * failure (recorded).
 */
ccgis_status ccgis_result_add(ccgis_ctx *ctx, OGRLayerH layer, OGRFeatureH src,
                              const GEOSGeometry *g, const ccgis_value *vals, size_t n_vals);

/* ccgis_geos_to_ogr -- a new 2D OGR geometry from a GEOS one; NULL on failure. */
OGRGeometryH ccgis_geos_to_ogr(ccgis_ctx *ctx, const GEOSGeometry *g);

/*
 * ccgis_geom_multi -- a new MultiPolygon holding the polygons of g (a
 * Polygon or MultiPolygon, borrowed), so that result layers have one
 * geometry type.  NULL on failure.
 */
GEOSGeometry *ccgis_geom_multi(ccgis_ctx *ctx, const GEOSGeometry *g);

/* ---- run.c, report.c ---------------------------------------------------- */

/* The layers a job writes, in this order. */
enum { L_CLUSTERS, L_ZONES, L_DISTRICTS, L_VILLAGES, L_FINDINGS, L_PLAN_CHANGES, L_COUNT };

typedef struct ccgis_programme ccgis_programme; /* programme_run.c */

/* ccgis_run_zoning_options -- the overlay options of a job's [zoning]
 * (zones, class, allowed, tolerance), for today's clusters and the planned
 * ones alike; the strings are borrowed from job. */
ccgis_overlay_options ccgis_run_zoning_options(const ccgis_job *job);

/* Everything a run computes; run.c fills it, report.c and workbook.c tell it. */
typedef struct run_data {
    ccgis_ctx *ctx;
    const ccgis_job *job;
    ccgis_layer *clusters, *districts, *villages; /* districts/villages may be NULL */
    ccgis_findings findings;
    ccgis_crs *plan;            /* job->plan_crs, or NULL */
    ccgis_crs *out_crs;         /* job->output_crs (write_layers), or NULL: WGS 84 */
    double *area_m2, *plan_m2;  /* [clusters->n] */
    double sum_m2, union_m2;    /* the clusters' areas added, and their union's area */
    const char **status;        /* [clusters->n] status text ("" if none), borrowed */
    char **flags;               /* [clusters->n] finding kinds, ';'-separated */
    ccgis_assign_result *assign;  /* NULL without districts */
    ccgis_overlay_result *zoning; /* NULL without zoning */
    ccgis_near_result *near;      /* NULL without villages */
    /* per district (districts->n), by assignment of the clusters */
    const char **dname;
    long long *d_clusters, *d_villages;
    double *d_area_m2, *d_confl_m2;
    size_t *cluster_district; /* [clusters->n] index into districts, SIZE_MAX if none */
    size_t *district_of;      /* [districts->n] the first feature with its name (the one
                                 carrying the district's figures), SIZE_MAX if nameless */
    GEOSGeometry **dgeom;     /* [districts->n] at a district's first feature: the union of
                                 its features; else NULL */
    size_t *village_district; /* [villages->n] the district counting each village (its
                                 first feature), SIZE_MAX if none; NULL without both */
    ccgis_layer *plan_layer;  /* [plan]: the planned clusters; NULL without */
    ccgis_layer *plants;      /* [wastewater]: the plants; NULL without */
    ccgis_programme *prog;    /* the programme's figures (programme_run.c); NULL when the
                                 job has no [plan], [wastewater] nor programme field */
    GDALDatasetH layers[L_COUNT]; /* the layers as written; NULL when not part of the job */
    ccgis_progress_fn progress;   /* the run's, for the steps after analyse() (may be NULL) */
    void *progress_arg;
    double phase_s[CCGIS_PHASES];  /* wall seconds per phase */
} run_data;

/*
 * ccgis_run_load_input -- load one input of the job as the run loads its
 * inputs (run.c): failures prefixed with the job file line; progress into
 * [base, base + span] of the run's (d->progress may be NULL then).
 */
ccgis_status ccgis_run_load_input(run_data *d, const ccgis_job_input *in, const char *id_field,
                                  ccgis_role role, const char *what, ccgis_layer **out,
                                  ccgis_progress_fn fn, void *arg, double base, double span);

/* ---- programme_run.c: [plan], [wastewater], the programme fields ------- */

/*
 * ccgis_programme_load -- load the [plan] and [wastewater] layers of the
 * job into d->plan_layer and d->plants (each only when its section is
 * given).  Returns CCGIS_OK or the loading failure, with its job file line.
 */
ccgis_status ccgis_programme_load(run_data *d, ccgis_progress_fn fn, void *arg);

/*
 * ccgis_programme_analyse -- the programme's figures into d->prog (NULL
 * when the job asks for none): the plan changes, the plants' states, the
 * programme fields read, the relocation gaps, their findings (WWTP_MISSING,
 * RELOCATION_GAP) and the clusters' programme flags appended to d->flags.
 * Runs after the districts are aggregated and the flags made.  Checks that
 * the change groups add up to today's and the planned union areas.
 * Returns CCGIS_OK or a failure (recorded).
 */
ccgis_status ccgis_programme_analyse(run_data *d);

/* ccgis_programme_free -- release d->prog's figures; NULL accepted. */
void ccgis_programme_free(ccgis_ctx *ctx, ccgis_programme *p);

/*
 * ccgis_programme_table -- the plan_changes layer (one feature per group of
 * matched clusters) into *out, a one-layer result dataset; NULL when the
 * job has no [plan].  Returns CCGIS_OK or a failure (recorded).
 */
ccgis_status ccgis_programme_table(run_data *d, GDALDatasetH *out);

/* The machine names of cluster i's change class and plant state, "" when the
 * job has no [plan] / [wastewater]. */
const char *ccgis_programme_change_of(const run_data *d, size_t i);
const char *ccgis_programme_wwtp_of(const run_data *d, size_t i);

/* A column of a programme table: what it holds decides how it is written. */
typedef enum ccgis_pcol_kind {
    CCGIS_PC_TEXT,   /* text (NULL: the column's `blank` text, "" in summary.json) */
    CCGIS_PC_CHANGE, /* a change class (ccgis_change_kind in v): translated / machine name */
    CCGIS_PC_WWTP,   /* a plant state (ccgis_wwtp_state in v): translated / machine name */
    CCGIS_PC_COUNT,  /* a whole number */
    CCGIS_PC_HA,     /* hectares, 2 decimals */
    CCGIS_PC_PCT,    /* a percentage, 1 decimal */
    CCGIS_PC_KM,     /* kilometres, 2 decimals */
    CCGIS_PC_YEAR    /* a year, not grouped */
} ccgis_pcol_kind;

typedef struct ccgis_pcol {
    const char *key;     /* its name in summary.json */
    ccgis_text_id head;  /* its heading in report.md and the workbook */
    ccgis_pcol_kind kind;
    ccgis_text_id blank; /* CCGIS_PC_TEXT: shown for NULL (CCGIS_TEXT_COUNT: "") */
} ccgis_pcol;

typedef struct ccgis_pcell {
    char *text; /* CCGIS_PC_TEXT: owned, may be NULL */
    double v;   /* the others; NaN: blank */
} ccgis_pcell;

/* One table of the programme, as report.md, summary.json and the workbook
 * show it. */
typedef struct ccgis_ptable {
    const char *key;     /* its name in summary.json's "programme" */
    ccgis_text_id title; /* its heading */
    ccgis_text_id about; /* the sentence under the heading */
    int from_to;         /* columns 1-4 are now n, ha, plan n, ha: report.md adds
                            "N cụm / X ha → M cụm / Y ha" */
    size_t ncols, nrows, cap_rows; /* cap_rows: rows allocated, >= nrows */
    const ccgis_pcol *cols; /* [ncols] static */
    ccgis_pcell *cells;     /* [nrows * ncols], row by row */
} ccgis_ptable;

/* The programme's tables, in the order shown; *n set.  Borrowed from d->prog
 * (NULL, *n = 0, without). */
const ccgis_ptable *ccgis_programme_tables(const run_data *d, size_t *n);

/* The programme's headline figures, for the report's sentences and
 * summary.json. */
typedef struct ccgis_pfigures {
    int has_plan, has_wwtp, has_gaps;
    size_t now_n, plan_n;          /* clusters of each layer */
    double now_union_m2, plan_union_m2;
    size_t plants, plants_unused;
    double max_m;
    size_t wwtp_count[3];          /* clusters per ccgis_wwtp_state */
    size_t operating, operating_compliant;
    size_t villages, gaps;
    double radius_m;
} ccgis_pfigures;

/* ccgis_programme_figures -- d->prog's headline figures; 0 without. */
int ccgis_programme_figures(const run_data *d, ccgis_pfigures *out);

/*
 * ccgis_write_report -- write report.md and summary.json for a finished
 * analysis into folder `dir`.  Returns CCGIS_OK or CCGIS_ERR_OUTPUT.
 */
ccgis_status ccgis_write_report(run_data *d, const char *dir);

/*
 * ccgis_write_workbook -- write <dir>/<base>.xlsx for a finished analysis:
 * the report's tables, one sheet each (summary, clusters, districts x
 * status, conflicts by cluster and class, villages, findings, inputs; a
 * sheet whose layer is not part of the job is left out), headings in
 * `lang`, numbers as numbers with their formats, totals as formulas with
 * their values (workbook.c).  Writes nothing else; owns nothing after it
 * returns.  Returns CCGIS_OK, CCGIS_ERR_OUTPUT (the file could not be
 * written), CCGIS_ERR_NOMEM or CCGIS_ERR_INTERNAL.
 */
ccgis_status ccgis_write_workbook(const run_data *d, const char *dir, const char *base,
                                  ccgis_lang lang);

/* ccgis_pct -- part / whole x 100 as a share, in [0, 100] (0 when whole is
 * 0).  The figures behind it are checked to keep part <= whole (overlay.h);
 * the clamp only absorbs the last bits of rounding. */
static inline double ccgis_pct(double part, double whole)
{
    if (!(whole > 0) || !(part > 0))
        return 0.0;
    double p = 100.0 * part / whole;
    return p > 100.0 ? 100.0 : p;
}

/* ---- tables.c --------------------------------------------------------- */

/* ccgis_table_new -- a new result dataset holding one layer (`name`, type
 * gt, the fields of source layer src (may be NULL) then cols, as
 * ccgis_result_layer); *layer set.  NULL (recorded) on failure. */
GDALDatasetH ccgis_table_new(ccgis_ctx *ctx, const char *name, OGRwkbGeometryType gt,
                             const ccgis_layer *src, const ccgis_field_spec *cols, size_t n,
                             OGRLayerH *layer);

/* ccgis_table_add_poly -- ccgis_result_add() with a polygonal geometry (may
 * be NULL) written as a MultiPolygon. */
ccgis_status ccgis_table_add_poly(ccgis_ctx *ctx, OGRLayerH l, OGRFeatureH src,
                                  const GEOSGeometry *g, const ccgis_value *v, size_t n);

/* ccgis_table_finish -- on success hand ds over in *out, on failure close
 * it.  Returns st. */
ccgis_status ccgis_table_finish(ccgis_status st, GDALDatasetH ds, void **out);

/* ---- fields.c --------------------------------------------------------- */

/*
 * ccgis_fields_table -- the table written as fields.csv (fields.c): a row
 * per field of each of layers[0..n) that is not NULL (a one-layer result
 * dataset, borrowed), named names[k], its source fields those of
 * sources[k] (may be NULL): layer, field (full name), shp_field, unit,
 * meaning.  *out gets a new one-layer result dataset (GDALClose).
 * Returns CCGIS_OK or a failure (recorded).
 */
ccgis_status ccgis_fields_table(ccgis_ctx *ctx, const char *const *names,
                                const GDALDatasetH *layers, const ccgis_layer *const *sources,
                                size_t n, GDALDatasetH *out);

/* ---- encoding.c ------------------------------------------------------- */

/*
 * ccgis_layer_encoding -- the attribute text encoding a layer declares and
 * who declares it.  *name is NULL when unknown; *source always says why.
 * Both are new strings the caller frees.  Returns CCGIS_OK or CCGIS_ERR_NOMEM.
 */
ccgis_status ccgis_layer_encoding(ccgis_ctx *ctx, GDALDatasetH ds, OGRLayerH layer, char **name,
                                  char **source);

/*
 * What a layer's attribute text is, decided once by ccgis_text_decide() for
 * every command and every step that reads the layer: the encoding given
 * (encoding=), else the one the layer declares (.cpg, DBF language driver
 * id, the format) unless its bytes clearly say otherwise, else the one
 * detected from the bytes (textcode.h).
 */
typedef struct ccgis_text_decision {
    ccgis_textcode code; /* what the text is decoded from; UTF-8 also for a code page GDAL
                            decodes (declared); CCGIS_TEXT_UNKNOWN: ambiguous, or a given
                            name ccgis does not know */
    int given;           /* from encoding= (declared holds the name given) */
    int raw;             /* GDAL gives the bytes as stored (nothing declared, or a .cpg
                            CP1258: see ccgis_declared_cp1258) */
    int overruled;       /* declared a code page, but the text, encoded back to it, reads
                            as `code` with high confidence: that wins */
    int confidence;      /* detection's, 0..100; 100 when given or declared */
    ccgis_textcode best; /* ambiguous: the likeliest code (UNKNOWN if none) */
    char declared[64];   /* what the layer declares, e.g. "ISO-8859-1"; "" when nothing */
    char source[200];    /* who declares it (".cpg file", "DBF language driver id",
                            "declared by the GPKG driver"), or why nothing does */
} ccgis_text_decision;

/*
 * ccgis_text_decide -- decide how to read a layer's text (above), without a
 * message: `encoding` is the user's encoding= (NULL or "auto": none).  A
 * declared code page that GDAL decodes (ISO-8859-1, CP1252...) is checked
 * against the bytes: GDAL's text is encoded back to it and detected; a
 * result of 90 % confidence or more in another code overrules the
 * declaration, and text that reads as Vietnamese (half its words or more
 * are syllables in some code) but less surely is ambiguous.  Samples at
 * most 100,000 features without their geometry (the layer's ignored fields
 * are reset: call it before setting any).  Returns CCGIS_OK or
 * CCGIS_ERR_NOMEM.  Reading position is reset.
 */
ccgis_status ccgis_text_decide(ccgis_ctx *ctx, GDALDatasetH ds, OGRLayerH layer,
                               const char *encoding, ccgis_text_decision *d);

/* How a layer's attribute text becomes UTF-8 NFC.  Zero it before use. */
typedef struct ccgis_text_plan {
    ccgis_text_decoder *dec; /* NULL: the text is UTF-8 already (NFC is still applied) */
    void *back;              /* iconv_t UTF-8 -> a declared code page the text overruled
                                (GDAL's text is encoded back to its bytes first); NULL */
    char *label;             /* e.g. "UTF-8 (.cpg file)", "TCVN3 (given)",
                                "TCVN3 (not declared; detected from the text, 90% confidence)",
                                "TCVN3 (declared ISO-8859-1 by the DBF language driver id, but
                                the text reads as TCVN3, 100% confidence)" */
} ccgis_text_plan;

/*
 * ccgis_text_plan_make -- the plan for ccgis_text_decide()'s decision, the
 * one way every path (layer.c, overlay.c, convert.c, job.c) reads a layer's
 * text.  Warns when detection was unsure and when the text overrules a
 * declaration (naming both).  The source must have been opened with that
 * encoding (raw bytes for a shapefile: ccgis_source_open_enc).  Returns
 * CCGIS_OK, CCGIS_ERR_USAGE (an encoding ccgis does not read), or
 * CCGIS_ERR_INPUT (ambiguous: the message says what to write in the job
 * file).  Reading position is reset; ignored fields too (call it before
 * setting any).
 */
ccgis_status ccgis_text_plan_make(ccgis_ctx *ctx, GDALDatasetH ds, OGRLayerH layer,
                                  const char *encoding, ccgis_where where, ccgis_text_plan *plan);

/*
 * ccgis_text_plan_apply -- turn every string field of f into UTF-8 NFC, in
 * place.  Returns 1 when a UTF-8 value was not valid UTF-8 (left as it is),
 * else 0; *st gets CCGIS_ERR_INPUT (recorded, naming the field) when a value
 * cannot be decoded with the plan's encoding.
 */
int ccgis_text_plan_apply(ccgis_ctx *ctx, const ccgis_text_plan *plan, OGRFeatureH f,
                          ccgis_where at, ccgis_status *st);

/*
 * ccgis_text_plan_names -- the field names of `defn` (the layer's own,
 * borrowed) read as the plan reads values: a Shapefile's .dbf stores names
 * in its code page too ("T\xean c\xf4m" in TCVN3 is "Tên cụm").  Only a
 * name with non-ASCII bytes in a layer whose text is decoded (or which is
 * not UTF-8 at all) is renamed, in memory: UTF-8 layers (GeoPackage,
 * SpatiaLite) keep their names, which their drivers use in SQL.  Call it
 * before looking fields up by name.  Returns how many names changed.
 */
int ccgis_text_plan_names(ccgis_ctx *ctx, const ccgis_text_plan *plan, OGRFeatureDefnH defn);

/* ccgis_text_plan_clear -- release a plan. */
void ccgis_text_plan_clear(ccgis_text_plan *plan);

/*
 * ccgis_text_guess -- read up to 20,000 non-ASCII string values of a layer
 * (in its first 100,000 features) and guess their encoding (textcode.h).  *code is UTF-8 with confidence 100
 * when there is nothing but ASCII.  Reading position is reset.
 */
ccgis_status ccgis_text_guess(ccgis_ctx *ctx, OGRLayerH layer, ccgis_textcode *code,
                              int *confidence);

/*
 * ccgis_text_suspect -- 1 if s is not valid UTF-8, or holds U+FFFD (the mark
 * a reader leaves where it met bytes it could not decode): the attribute
 * encoding is then probably not what was assumed.  0 otherwise.
 */
int ccgis_text_suspect(const char *s);

/* ---- partition.c ------------------------------------------------------ */

/* One zone's piece of one input, before the input's figures are settled. */
typedef struct ccgis_raw_piece {
    size_t input;
    long long seq;      /* the zone's reading order */
    char *klass;        /* its class as spelled (trimmed, NFC), owned */
    char *key;          /* its class key ("" : no class), owned */
    char *zone;         /* its id, owned */
    double area_m2;     /* geodesic area of the piece */
    GEOSGeometry *geom; /* the piece, WGS 84, owned */
} ccgis_raw_piece;

/*
 * ccgis_partition -- settle the figures of input `input` from its raw pieces
 * p[0..n), sorted by class key then reading order (see partition.c):
 * appends its class pieces to r->pieces (room for n more must be there),
 * its overlaps and notes; sets r->allowed_m2, conflict_m2, mixed_m2,
 * nozone_m2, conflict_top, conflict_geom (when want_conflict_geom) and
 * nozone_geom at [input].  Strings and geometries of p are taken over where
 * used (set to NULL); the caller frees what is left.  `area_m2` is the
 * input's geodesic area, `tol_m2` its tolerance, `allowed_keys` the
 * NULL-terminated allowed class keys (may be NULL), `input_name` names it in
 * messages.  Returns CCGIS_OK, CCGIS_ERR_GEOMETRY, CCGIS_ERR_NOMEM, or
 * CCGIS_ERR_INTERNAL when a figure breaks the partition's bounds.
 */
ccgis_status ccgis_partition(ccgis_ctx *ctx, const GEOSGeometry *input_geom, size_t input,
                             const char *input_name, double area_m2, double tol_m2,
                             const char *const *allowed_keys, int want_conflict_geom,
                             ccgis_raw_piece *p, size_t n, ccgis_overlay_result *r);

/* ---- classkey.c ------------------------------------------------------- */

/*
 * ccgis_class_clean -- a class code or zone name as shown: `raw` (may be
 * NULL) with spaces trimmed at both ends and composed to NFC.  Returns a new
 * string ("" for NULL or blank), or NULL (recorded) when out of memory.
 */
char *ccgis_class_clean(ccgis_ctx *ctx, const char *raw);

/*
 * ccgis_class_key -- the form classes are compared in: `clean` (from
 * ccgis_class_clean) with its Latin letters lower-cased.  Returns a new
 * string, or NULL (recorded).  Two classes are the same class when their
 * keys are equal bytes.
 */
char *ccgis_class_key(ccgis_ctx *ctx, const char *clean);

/* ---- boxtree.c ---------------------------------------------------------- */

/*
 * A packed R-tree of boxes (minx, miny, maxx, maxy), built once and then
 * walked nearest first: a walk hands out the items in order of a lower bound
 * the caller computes from a box, so that a search can stop as soon as no
 * item left can matter.  `bound` must not grow when its box grows (a box
 * holding another never gets a larger bound): a node's bound is then a lower
 * bound of every item under it.  Cost: O(n log n) to build, O(log n + k) for
 * a walk that takes k items.  A tree is read-only once built: several walks
 * may share it, one per thread.
 */
typedef struct ccgis_boxtree ccgis_boxtree;

/* ccgis_boxtree_new -- the tree of n boxes (copied; item i is box[i]).
 * Returns it (ccgis_boxtree_free), or NULL (recorded) when out of memory. */
ccgis_boxtree *ccgis_boxtree_new(ccgis_ctx *ctx, const double (*box)[4], size_t n);

/* ccgis_boxtree_free -- release a tree; NULL is accepted.  Returns NULL. */
ccgis_boxtree *ccgis_boxtree_free(ccgis_boxtree *t);

/* ccgis_boxtree_leaves -- the number of leaves: tiles of up to 16 nearby
 * items, in packing order (sort-tile-recursive). */
size_t ccgis_boxtree_leaves(const ccgis_boxtree *t);

/* ccgis_boxtree_leaf -- leaf k (< ccgis_boxtree_leaves): its box (covering
 * its items') into box, its item count into *n; returns its item indexes
 * (borrowed from the tree). */
const size_t *ccgis_boxtree_leaf(const ccgis_boxtree *t, size_t k, double box[4], size_t *n);

/* A lower bound of what the caller measures to anything inside box b. */
typedef double (*ccgis_box_bound_fn)(const double b[4], void *arg);

typedef struct ccgis_boxwalk_entry {
    double bound;
    size_t id;
    int is_item;
} ccgis_boxwalk_entry;

/* One walk: zero it once ({0}); start, next..., then clear to free its heap
 * (a cleared walk may be started again). */
typedef struct ccgis_boxwalk {
    const ccgis_boxtree *tree;
    ccgis_box_bound_fn bound;
    void *arg;
    ccgis_boxwalk_entry *heap;
    size_t n, cap;
} ccgis_boxwalk;

/* ccgis_boxwalk_start -- begin a walk of t with `bound` (and its arg),
 * reusing the walk's heap.  Returns 1, or 0 when out of memory. */
int ccgis_boxwalk_start(ccgis_boxwalk *w, const ccgis_boxtree *t, ccgis_box_bound_fn bound,
                        void *arg);

/* ccgis_boxwalk_next -- the next item, in order of non-decreasing bound:
 * returns 1 with *item and its *bound; 0 when every item was handed out; -1
 * when out of memory (nothing recorded). */
int ccgis_boxwalk_next(ccgis_boxwalk *w, size_t *item, double *bound);

/* ccgis_boxwalk_clear -- free the walk's heap. */
void ccgis_boxwalk_clear(ccgis_boxwalk *w);

/* ---- aliases.c, qml.c, style.c: the QGIS styles of a job's layers ------- */

/* ccgis_field_alias -- what people read for ccgis's own column `field` of
 * `layer` ("clusters", ...), with its unit: "Diện tích (ha)" / "Area (ha)".
 * A static string, or NULL for a column without one. */
const char *ccgis_field_alias(const char *layer, const char *field, ccgis_lang lang);

/* The fill alpha (of 255) of the clusters' conflict classes: translucent, so
 * the land-use pieces drawn underneath show through. */
#define CCGIS_QML_FILL_ALPHA 96

/* Where a style's labels come from. */
typedef enum ccgis_qml_label {
    CCGIS_QML_LABEL_KEEP,       /* the bundled style's (a ccgis column) */
    CCGIS_QML_LABEL_NONE,       /* no labels */
    CCGIS_QML_LABEL_FIELD,      /* label_text is a field name */
    CCGIS_QML_LABEL_EXPRESSION  /* label_text is a QGIS expression */
} ccgis_qml_label;

/* What one layer's style is made from, besides its bundled style.  Every
 * pointer is borrowed. */
typedef struct ccgis_qml_spec {
    const char *layer;          /* "clusters", ...: the bundled style to start from */
    ccgis_qml_label label;
    const char *label_text;     /* for _FIELD and _EXPRESSION */
    const char *const *fields;  /* the written layer's field names, in order */
    size_t n_fields;
    size_t n_source;            /* the first n_source fields are the source's: no alias */
    const double *breaks;       /* conflict class limits in % (clusters' confl_pct),
                                   ascending, in (0, 100); n_breaks 0: the bundled ones */
    size_t n_breaks;
    ccgis_lang lang;            /* of the aliases and the legend */
} ccgis_qml_spec;

/*
 * ccgis_style_qml -- the QGIS style document (QML, UTF-8) of one layer made
 * for the job (qml.c): labels, conflict classes and translucent fill, field
 * aliases.  Returns a new NUL-terminated string (free) or NULL with the
 * failure recorded (CCGIS_ERR_NOMEM, CCGIS_ERR_INTERNAL).
 */
char *ccgis_style_qml(ccgis_ctx *ctx, const ccgis_qml_spec *spec);

/* ccgis_qgis_quote_string -- `text` as a QGIS expression string literal
 * ('It''s'), backslashes, newlines and tabs escaped as QGIS does.  A new
 * string (free), or NULL (recorded). */
char *ccgis_qgis_quote_string(ccgis_ctx *ctx, const char *text);

/* What every style of a job shares.  Borrowed. */
typedef struct ccgis_style_job {
    const double *breaks; /* [style] conflict_breaks */
    size_t n_breaks;
    ccgis_lang lang;      /* the report's language */
} ccgis_style_job;

#define CCGIS_STYLE_NO_LABEL (-1)   /* ccgis_style_layer.label: no labels */
#define CCGIS_STYLE_KEEP_LABEL (-2) /* ... the bundled style's label */

/* One layer of the job as its style sees it. */
typedef struct ccgis_style_layer {
    const char *layer; /* "clusters", ... */
    int label;         /* index of the label field among the layer's fields (the job's id
                          or name field), or CCGIS_STYLE_NO_LABEL / _KEEP_LABEL */
    size_t n_source;   /* the layer's first n_source fields are the source's */
} ccgis_style_layer;

/* ccgis_style_written_qml -- the QML of layer `l` as `written` (an OGR layer
 * of a written GeoPackage or SpatiaLite file, borrowed) names its fields: the
 * document ccgis_style_database stores, which the QGIS project embeds too.
 * A new string (free), or NULL (recorded). */
char *ccgis_style_written_qml(ccgis_ctx *ctx, const ccgis_style_job *job,
                              const ccgis_style_layer *l, OGRLayerH written);

/* ccgis_style_sidecar -- write <dir>/<layer>.qml, the default QGIS style of
 * a job layer written there as .shp and/or .geojson (nothing for a layer
 * without a bundled style).  CCGIS_OK, _ERR_OUTPUT, _ERR_NOMEM or
 * _ERR_INTERNAL. */
ccgis_status ccgis_style_sidecar(ccgis_ctx *ctx, const char *dir, const ccgis_style_job *job,
                                 const ccgis_style_layer *layer);

/* ccgis_style_database -- add a layer_styles table holding the default QGIS
 * style of each of `layers` the GeoPackage (spatialite 0) or SpatiaLite file
 * (spatialite 1) at `path` has.  CCGIS_OK, _ERR_OUTPUT, _ERR_NOMEM or
 * _ERR_INTERNAL. */
ccgis_status ccgis_style_database(ccgis_ctx *ctx, const char *path, int spatialite,
                                  const ccgis_style_job *job, const ccgis_style_layer *layers,
                                  size_t n_layers);

/* ---- project.c, layout.c: the QGIS project of a job --------------------- */

/* What the project is made from.  Every pointer is borrowed. */
typedef struct ccgis_project_spec {
    const char *dir;                 /* the folder holding <base>.gpkg, as written */
    const char *base;                /* the GeoPackage's and the project's name */
    const ccgis_job *job;            /* title, [map], language, field names */
    const ccgis_style_job *style;    /* the styles, as ccgis_style_database made them */
    const ccgis_style_layer *layers;
    size_t n_layers;
    const char *date;                /* ISO 8601 local time, "2025-01-31T10:00:00": the
                                        only thing that differs between two runs */
} ccgis_project_spec;

/*
 * ccgis_write_project -- write <dir>/<base>.qgz, the QGIS project of the
 * layers of <dir>/<base>.gpkg (groups, styles, print layouts), and store
 * the same project in that GeoPackage's qgis_projects table (project.c).
 * Returns CCGIS_OK, CCGIS_ERR_OUTPUT (naming the file), CCGIS_ERR_NOMEM or
 * CCGIS_ERR_INTERNAL; on failure what was written is left for the caller
 * to remove with its folder.
 */
ccgis_status ccgis_write_project(ccgis_ctx *ctx, const ccgis_project_spec *spec);

/* ---- write.c ----------------------------------------------------------- */

/*
 * ccgis_write_direct -- write every layer of `mem` to `path` with GDAL, in
 * place: no temporary name, no check of what is there.  For a caller that
 * owns the folder (a staged output, outdir.h); the driver is `format` or
 * the path's extension's.  Returns CCGIS_OK, CCGIS_ERR_USAGE (format,
 * several layers for a one-layer format) or CCGIS_ERR_OUTPUT; on failure
 * what GDAL wrote is left for the caller to remove with its folder.
 */
ccgis_status ccgis_write_direct(ccgis_ctx *ctx, void *mem, const char *path, const char *format);

/*
 * ccgis_write_shown -- ccgis_write_direct_in() (t_srs may be NULL), naming
 * the output `shown` in messages (the path the user will see, not the
 * staged one).
 */
ccgis_status ccgis_write_shown(ccgis_ctx *ctx, void *mem, const char *path, const char *shown,
                               const char *format, const ccgis_crs *t_srs);

/* ---- shpnames.c -------------------------------------------------------- */

/* The bytes a Shapefile (dBASE) field name holds. */
#define CCGIS_SHP_NAME_MAX 10

/*
 * ccgis_shp_names -- the name each field of `defn` takes in a Shapefile,
 * by the rule in shpnames.c (at most 10 bytes, cut on a UTF-8 character
 * boundary, made unique without regard to ASCII case with _1, _2 ...).
 * names[] has room for every field (OGR_FD_GetFieldCount) and gets them in
 * field order.  Returns CCGIS_OK or CCGIS_ERR_NOMEM (recorded).
 */
ccgis_status ccgis_shp_names(ccgis_ctx *ctx, OGRFeatureDefnH defn,
                             char (*names)[CCGIS_SHP_NAME_MAX + 1]);

/* What ccgis_shp_rename() changed (opaque). */
typedef struct ccgis_shp_saved ccgis_shp_saved;

/*
 * ccgis_shp_rename -- give the fields of `layer` (an in-memory result layer,
 * borrowed) their Shapefile names, warning once, naming `shown`, with every
 * field renamed.  *saved gets what to put back with ccgis_shp_restore()
 * (always call it, whatever the write's outcome).  Returns CCGIS_OK, or
 * CCGIS_ERR_NOMEM / CCGIS_ERR_INTERNAL with the names as they were and
 * *saved NULL.
 */
ccgis_status ccgis_shp_rename(ccgis_ctx *ctx, OGRLayerH layer, const char *shown,
                              ccgis_shp_saved **saved);

/* ccgis_shp_restore -- put back the full names ccgis_shp_rename() changed
 * and free `saved` (NULL accepted). */
void ccgis_shp_restore(OGRLayerH layer, ccgis_shp_saved *saved);

/*
 * ccgis_write_direct_in -- ccgis_write_direct() with the layers carried from
 * WGS 84 to t_srs (borrowed; NULL: kept in WGS 84) and that CRS recorded,
 * except in GeoJSON and KML, always WGS 84 (write.h, "Output CRS").
 * Returns as ccgis_write_direct(); a layer GDAL cannot carry to t_srs is
 * CCGIS_ERR_OUTPUT naming the CRS.
 */
ccgis_status ccgis_write_direct_in(ccgis_ctx *ctx, void *mem, const char *path, const char *format,
                                   const ccgis_crs *t_srs);

/*
 * ccgis_result_to_crs -- a copy of the in-memory dataset `mem` (borrowed)
 * with every layer carried from WGS 84 to `crs` and that CRS recorded, for
 * writing one set of layers in several formats (`ccgis run`) with one
 * transformation per layer.  Returns CCGIS_OK and sets *out (GDALClose), or
 * CCGIS_ERR_TRANSFORM naming the CRS (a feature outside its domain).
 */
ccgis_status ccgis_result_to_crs(ccgis_ctx *ctx, void *mem, const ccgis_crs *crs, void **out);

/* How ccgis_write_with() writes (every member may be 0 / NULL). */
typedef struct ccgis_write_how {
    const char *shown;      /* the path named in messages (NULL: the path written) */
    const ccgis_crs *t_srs; /* carry the layers to this CRS (NULL: WGS 84) */
    ccgis_progress_fn fn;   /* progress, mapped into [base, base + span] */
    void *arg;
    double base, span;
} ccgis_write_how;

/*
 * ccgis_write_with -- ccgis_write_direct() as `how` says (NULL: as
 * ccgis_write_direct): the one write every other ccgis_write_* calls.
 */
ccgis_status ccgis_write_with(ccgis_ctx *ctx, void *mem, const char *path, const char *format,
                              const ccgis_write_how *how);

/*
 * ccgis_write_direct_progress -- ccgis_write_direct() reporting to `fn`
 * (may be NULL) with the fraction mapped into [base, base + span], at most
 * every 50 ms.  GDAL stops after the feature it is writing when `fn`
 * returns 0 or an interruption is pending (ccgis_interrupt_request, which
 * ccgis_write_direct() also obeys): CCGIS_ERR_CANCELLED, "cancelled by the
 * caller", what was written left for the caller to remove.
 */
ccgis_status ccgis_write_direct_progress(ccgis_ctx *ctx, void *mem, const char *path,
                                         const char *format, ccgis_progress_fn fn, void *arg,
                                         double base, double span);

/* ---- quiet.c ----------------------------------------------------------- */

/*
 * ccgis_quiet_begin -- from now until the matching ccgis_quiet_end(), what
 * a library below writes to stdio's stderr from this thread (libspatialite
 * and libxlsxwriter print their failures there and nowhere else) is kept
 * instead of printed; other threads, and the context's sink, print as
 * before.  Calls nest.  Returns the mark to give ccgis_quiet_end().
 */
size_t ccgis_quiet_begin(void);

/*
 * ccgis_quiet_end -- end a ccgis_quiet_begin(): each line kept since `mark`
 * goes to the context's sink at CCGIS_DEBUG ("printed by a library while
 * writing: ..."), and, when `kept` is not NULL, into kept (cap bytes, cut
 * if longer) for the caller to read the cause of a failure in.
 */
void ccgis_quiet_end(ccgis_ctx *ctx, size_t mark, char *kept, size_t cap);

/* ccgis_quiet_suspend / _restore -- around a call of the context's sink
 * (errors.c): what it prints goes to stderr even while quiet. */
int ccgis_quiet_suspend(void);
void ccgis_quiet_restore(int was);

/* ---- sha256.c ---------------------------------------------------------- */

/* SHA-256 (FIPS 180-4) in steps: init, update with the bytes, final. */
typedef struct ccgis_sha256 {
    uint32_t h[8];
    uint64_t bytes;
    unsigned char buf[64];
    size_t used;
} ccgis_sha256;

void ccgis_sha256_init(ccgis_sha256 *s);
void ccgis_sha256_update(ccgis_sha256 *s, const void *data, size_t n);
/* The 32-byte digest; s must be initialised again before reuse. */
void ccgis_sha256_final(ccgis_sha256 *s, unsigned char digest[32]);
/* The digest as 64 lower-case hex digits and a NUL. */
void ccgis_sha256_hex(const unsigned char digest[32], char hex[65]);

/* ---- manifest.c (format: ccgis/outdir.h) ------------------------------- */

struct stat;

/*
 * ccgis_walk_fn -- called by ccgis_walk() for every entry under a folder,
 * parents before children: `dfd` is the entry's folder, `name` its name in
 * it, `rel` its path from the top ("a/b.shp"), `sb` its lstat.  Return 0 to
 * go on (entering it if a folder), 1 to go on without entering it, -1 to
 * stop the walk.
 */
typedef int (*ccgis_walk_fn)(void *arg, int dfd, const char *name, const char *rel,
                             const struct stat *sb);

/* ccgis_walk -- walk the folder dirfd (borrowed) with fn, never following a
 * symbolic link.  Returns 0, or -1 (fn stopped it, or a folder could not be
 * read: errno). */
int ccgis_walk(int dirfd, ccgis_walk_fn fn, void *arg);

/* The files ccgis wrote in a folder (opaque). */
typedef struct ccgis_manifest ccgis_manifest;

/*
 * ccgis_manifest_write -- list the staged folder dirfd (borrowed) in its
 * .ccgis-manifest: every file read back, synced to disk and summed; the
 * manifest written under a temporary name, synced and renamed, the folder
 * synced.  `shown` names the folder in messages.  Returns CCGIS_OK,
 * CCGIS_ERR_OUTPUT (disk) or CCGIS_ERR_INTERNAL (something not a file).
 */
ccgis_status ccgis_manifest_write(ccgis_ctx *ctx, int dirfd, const char *shown);

/*
 * ccgis_manifest_check -- prove that the folder dirfd holds only what its
 * manifest lists, each file with its size and SHA-256 (listed files that are
 * gone are fine; an empty folder without a manifest is fine).  `quick`: the
 * sizes only, no checksums -- an early refusal, not a proof (*out is then
 * NULL).  Returns CCGIS_OK and *out (free with ccgis_manifest_free; it
 * remembers the files as seen, for ccgis_manifest_remove), or
 * CCGIS_ERR_OUTPUT naming the other and the changed files, or saying there
 * is no manifest.
 */
ccgis_status ccgis_manifest_check(ccgis_ctx *ctx, int dirfd, const char *shown, int quick,
                                  ccgis_manifest **out);

/* ccgis_manifest_read -- dirfd's manifest, unchecked (a dead run's own
 * temporary folder), or NULL when there is none or it is damaged. */
ccgis_manifest *ccgis_manifest_read(int dirfd);

/*
 * ccgis_manifest_remove -- remove from dirfd exactly the files m lists (when
 * m came from ccgis_manifest_check: only those seen then and still the same
 * file, size and time), then the folders the listed paths lead through once
 * empty, then the manifest when nothing else is left (so that what is left
 * stays known as not ccgis's).  Returns the number of entries left at the
 * top of dirfd besides the manifest (0: the caller may remove the folder).
 */
size_t ccgis_manifest_remove(const ccgis_manifest *m, int dirfd);

void ccgis_manifest_free(ccgis_manifest *m);

/* ---- testhook.c ---------------------------------------------------------- */

/*
 * ccgis_test_stall -- fault injection for the test suite (compiled only with
 * CCGIS_TEST_HOOKS, which CMake defines when the tests are built): when the
 * environment variable CCGIS_TEST_STALL names `point`, wait there (see
 * testhook.c).  Without CCGIS_TEST_HOOKS it is a no-op.  Returns CCGIS_OK,
 * or the cancellation (CCGIS_ERR_USAGE) when `fn` returns 0.
 */
/*
 * ccgis_test_flag -- 1 when the environment variable `name` (a
 * CCGIS_TEST_... fault to inject, see testhook.c) is set, else 0; always 0
 * without CCGIS_TEST_HOOKS.
 */
/*
 * ccgis_test_delay -- when the environment variable `name` holds a number
 * of milliseconds (1 to 999), sleep that long (a slow disk, to interrupt a
 * write in its middle); no-op without CCGIS_TEST_HOOKS.
 */
#ifdef CCGIS_TEST_HOOKS
ccgis_status ccgis_test_stall(ccgis_ctx *ctx, const char *point, ccgis_progress_fn fn, void *arg,
                              double at);
int ccgis_test_flag(const char *name);
void ccgis_test_delay(const char *name);
#else
static inline ccgis_status ccgis_test_stall(ccgis_ctx *ctx, const char *point,
                                            ccgis_progress_fn fn, void *arg, double at)
{
    (void)ctx, (void)point, (void)fn, (void)arg, (void)at;
    return CCGIS_OK;
}
static inline int ccgis_test_flag(const char *name)
{
    (void)name;
    return 0;
}
static inline void ccgis_test_delay(const char *name)
{
    (void)name;
}
#endif

/* ---- textcode.c --------------------------------------------------------- */

/*
 * ccgis_text_detect_ex -- ccgis_text_detect(), also telling which code reads
 * the most words as Vietnamese syllables (*best_code, may be NULL; ties to
 * the first of UTF-8, CP1258, VISCII, TCVN3, VNI) and the share of the
 * informative words it reads so (*share, 0..1, may be NULL).  With the
 * result CCGIS_TEXT_UNKNOWN they tell "Vietnamese, but in which code?"
 * (share >= 0.5: several codes read it) from "not Vietnamese text in any
 * of them" (share < 0.5).  All ASCII: UTF-8 with share 1.
 */
ccgis_textcode ccgis_text_detect_ex(const char *const *strings, const size_t *lens, size_t n,
                                    int *confidence, ccgis_textcode *best_code, double *share);

/* ---- textcode_vni.c ---------------------------------------------------- */

/*
 * ccgis_vni_next -- decode the VNI-Windows character at the start of s (n >=
 * 1 bytes) into *cp.  Returns the bytes used (1 or 2), or 0 when s[0] means
 * nothing there.  See textcode_vni.c.
 */
size_t ccgis_vni_next(const unsigned char *s, size_t n, uint32_t *cp);

#endif /* CCGIS_INTERNAL_H */
