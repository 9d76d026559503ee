/*
 * ccgis/info.h -- the facts about a vector source, as `ccgis info` prints them.
 *
 * ccgis_info() opens any source GDAL opens as vector data (Shapefile,
 * GeoJSON, GeoPackage, KML, CSV with geometry, SpatiaLite, FileGDB, DXF, a
 * PostGIS "PG:..." connection string...) and reads every feature of every
 * layer (or of the one layer asked for) once, to state:
 *
 *   - the driver, the layer names and how many features were read;
 *   - the geometry types actually present, with counts;
 *   - the CRS, its EPSG code when one is declared or can be identified;
 *   - the extent of the geometries in the layer's own CRS and in WGS 84
 *     longitude/latitude (each vertex transformed, so the box is the one the
 *     data has once reprojected, not a transformed box);
 *   - the attribute fields and their types;
 *   - how many geometries are NULL, empty, or invalid by GEOS's rules, with
 *     the feature id and GEOS's reason for the first few invalid ones;
 *   - the attribute text encoding, and who declares it.
 *
 * Nothing is written.  The result is a plain tree of structs owned by the
 * caller and released with ccgis_source_info_free().
 */
#ifndef CCGIS_INFO_H
#define CCGIS_INFO_H

#include <stddef.h>

#include "ccgis/ctx.h"
#include "ccgis/progress.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Options of ccgis_info(); a NULL pointer means all defaults. */
typedef struct ccgis_info_options {
    const char *layer;        /* only this layer; NULL for all */
    const char *srs;          /* CRS to assume for layers that have none (see crs.h); NULL: none */
    int max_invalid_examples; /* how many invalid geometries to describe; 0 means the default, 5 */
} ccgis_info_options;

/* One attribute field. */
typedef struct ccgis_field_info {
    char *name;    /* as GDAL reports it, UTF-8 */
    char *type;    /* OGR type name: "String", "Integer", "Integer64", "Real", "Date", ... */
    int width;     /* declared width, 0 if the format has none */
    int precision; /* declared decimals, 0 if none */
} ccgis_field_info;

/* How many features carry one geometry type. */
typedef struct ccgis_geomtype_count {
    char *name;       /* ISO WKT name with dimension suffix: "Polygon", "MultiPolygon Z", "Point" */
    long long count;  /* features of that type */
} ccgis_geomtype_count;

/* One invalid geometry, as GEOS describes it. */
typedef struct ccgis_invalid_geom {
    long long fid; /* the feature id GDAL gives (OGR_F_GetFID) */
    char *reason;  /* GEOS's reason, e.g. "Self-intersection" */
    double x, y;   /* where, in the layer's own CRS; NaN if GEOS gave no location */
} ccgis_invalid_geom;

/* The facts about one layer. */
typedef struct ccgis_layer_info {
    char *name;
    char *declared_geom_type; /* what the layer declares, e.g. "Polygon", "Unknown" */
    long long feature_count;  /* features read */

    size_t n_geom_types;
    ccgis_geomtype_count *geom_types; /* by order of first appearance */

    char *crs_name;      /* NULL when the layer has no CRS (and none was assumed) */
    int epsg;            /* 0 when not declared and not identified */
    int epsg_confidence; /* see ccgis_crs_epsg() */
    int crs_assumed;     /* 1 when the CRS is the one passed in options->srs */
    int crs_geographic;  /* 1 when coordinates are lon/lat degrees, 0 for metres/feet */
    char *crs_hint;      /* without a CRS: what the coordinates look like and what to pass
                            (e.g. VN-2000 TM-3 metres); with one, when the coordinates do not
                            fit it (degrees that are VN-2000 metres, X and Y exchanged,
                            latitude first): what is wrong and what to pass -- a warning then
                            says so too, and the WGS 84 extent is left out; NULL if nothing
                            can be said */
    int is_table;        /* 1 for a layer without a geometry column (CSV, XLSX, ODS) */
    char *x_field, *y_field; /* a table: the columns ccgis reads as x and y (the headings
                            it recognises, see layer.h), NULL when none is recognised;
                            the extent is then that of these columns */

    int has_extent;         /* 0 when no geometry has coordinates */
    double extent[4];       /* minx, miny, maxx, maxy in the layer's CRS */
    int has_extent_wgs84;   /* 0 when there is no CRS or no extent */
    double extent_wgs84[4]; /* min lon, min lat, max lon, max lat, degrees */

    size_t n_fields;
    ccgis_field_info *fields;

    long long n_null;    /* features without a geometry */
    long long n_empty;   /* features with an empty geometry */
    long long n_invalid; /* non-empty geometries GEOS finds invalid */
    size_t n_invalid_examples;
    ccgis_invalid_geom *invalid_examples; /* the first few invalid ones, in reading order */

    char *encoding;        /* attribute encoding, e.g. "UTF-8", "CP1258"; NULL if unknown */
    char *encoding_source; /* who says so: ".cpg file", "DBF language driver id",
                              "format (always UTF-8)", or why it is unknown */
} ccgis_layer_info;

/* The facts about one source. */
typedef struct ccgis_source_info {
    char *source; /* as given */
    char *driver; /* GDAL driver short name, e.g. "ESRI Shapefile", "GPKG" */
    size_t n_layers;
    ccgis_layer_info *layers;
} ccgis_source_info;

/*
 * ccgis_info -- read a source and describe it.
 *
 *   source    in: a path or a GDAL connection string.
 *   options   in: may be NULL.
 *   progress  in: may be NULL; see progress.h.
 *   out       out: the description, to be released with
 *             ccgis_source_info_free(); NULL on failure.
 *
 * Returns CCGIS_OK, or:
 *   CCGIS_ERR_NOT_FOUND    the path does not exist;
 *   CCGIS_ERR_NOT_VECTOR   no GDAL vector driver recognises it;
 *   CCGIS_ERR_NO_LAYER     options->layer is not in the source (the message
 *                          lists the layers there are);
 *   CCGIS_ERR_READ         a feature could not be read (the message names it);
 *   CCGIS_ERR_CRS_BAD      options->srs is not a CRS;
 *   CCGIS_ERR_CANCELLED    cancelled through `progress`.
 * A layer whose CRS cannot be transformed to WGS 84 is not a failure: its
 * WGS 84 extent is left out and a warning goes to the message sink.
 */
ccgis_status ccgis_info(ccgis_ctx *ctx, const char *source, const ccgis_info_options *options,
                        ccgis_progress_fn progress, void *progress_arg, ccgis_source_info **out);

/* ccgis_source_info_free -- release a description; NULL is accepted.  Returns NULL. */
ccgis_source_info *ccgis_source_info_free(ccgis_source_info *info);

#ifdef __cplusplus
}
#endif

#endif /* CCGIS_INFO_H */
