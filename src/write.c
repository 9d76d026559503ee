/*
 * write.c -- writing result layers with GDAL, all or nothing (see ccgis/write.h).
 *
 * The in-memory dataset is handed to GDALVectorTranslate (ogr2ogr's library
 * form) with per-format options (ccgis_write_direct).  ccgis_write_all puts
 * each output through the output transaction (outdir.h): written into a
 * temporary folder beside its destination, then, only when GDAL has closed
 * every output without a single error, all their files (one for most
 * formats, the .shp/.shx/.dbf/.prj/.cpg set for a shapefile) are moved into
 * place together, never over a file that appeared meanwhile unless
 * overwriting was asked.  On failure nothing is left.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpl_string.h>
#include <gdal_utils.h>

#include "internal.h"

/* A known output format: extension, driver, options, one layer per file. */
typedef struct out_format {
    const char *ext;    /* lower case, with the dot */
    const char *driver; /* GDAL short name */
    const char *opts;   /* space-separated ogr2ogr options, "" for none */
    int single_layer;   /* the format holds one layer per file */
} out_format;

static const out_format formats[] = {
    {".geojson", "GeoJSON", "-lco RFC7946=YES -lco COORDINATE_PRECISION=8", 1},
    {".json", "GeoJSON", "-lco RFC7946=YES -lco COORDINATE_PRECISION=8", 1},
    {".shp", "ESRI Shapefile", "-lco ENCODING=UTF-8", 1},
    {".gpkg", "GPKG", "", 0},
    /* LAUNDER=NO: field names as they are, not lower-cased (altitudeMode). */
    {".sqlite", "SQLite", "-dsco SPATIALITE=YES -lco SPATIAL_INDEX=YES -lco LAUNDER=NO", 0},
    /* A UTF-8 byte-order mark first: without it Excel on Windows reads the
     * file as the ANSI code page and garbles Vietnamese text. */
    {".csv", "CSV",
     "-lco GEOMETRY=AS_WKT -lco STRING_QUOTING=IF_NEEDED -lco CREATE_CSVT=YES -lco WRITE_BOM=YES",
     1},
    {".kml", "KML", "", 0},
    {".fgb", "FlatGeobuf", "", 1},
    {".gml", "GML", "", 0},
};
#define NFORMATS (sizeof formats / sizeof formats[0])

/* The known format for a driver name, or NULL (any other GDAL driver). */
static const out_format *format_by_driver(const char *driver)
{
    for (size_t i = 0; i < NFORMATS; i++)
        if (strcasecmp(formats[i].driver, driver) == 0)
            return &formats[i];
    return NULL;
}

/* The known format for a path's extension, or NULL. */
static const out_format *format_by_path(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        return NULL;
    for (size_t i = 0; i < NFORMATS; i++)
        if (strcasecmp(formats[i].ext, dot) == 0)
            return &formats[i];
    return NULL;
}

/* ccgis_output_driver: see write.h. */
const char *ccgis_output_driver(ccgis_ctx *ctx, const char *path, const char *format)
{
    if (format) {
        GDALDriverH drv = GDALGetDriverByName(format);
        if (!drv || !GDALGetMetadataItem(drv, GDAL_DCAP_VECTOR, NULL) ||
            !GDALGetMetadataItem(drv, GDAL_DCAP_CREATE, NULL)) {
            ccgis_error(ctx, CCGIS_ERR_USAGE,
                        "'%s' is not a GDAL driver that writes vector data -- use e.g. GPKG, "
                        "GeoJSON, \"ESRI Shapefile\" (ogrinfo --formats lists them)",
                        format);
            return NULL;
        }
        return GDALGetDriverShortName(drv);
    }
    const out_format *f = format_by_path(path);
    if (!f) {
        ccgis_error(ctx, CCGIS_ERR_USAGE,
                    "%s: cannot tell the format from the extension -- end the name with .gpkg, "
                    ".geojson, .shp, .sqlite, .csv, .kml, .fgb or .gml, or give -f DRIVER",
                    path);
        return NULL;
    }
    return f->driver;
}

/* 1 for a format whose coordinates are WGS 84 by definition (GeoJSON per
 * RFC 7946, KML): an output CRS does not apply to it. */
static int wgs84_only(const char *driver)
{
    return strcasecmp(driver, "GeoJSON") == 0 || strcasecmp(driver, "GeoJSONSeq") == 0 ||
           strcasecmp(driver, "KML") == 0 || strcasecmp(driver, "LIBKML") == 0;
}

/* Build the argv of GDALVectorTranslateOptionsNew: -f DRIVER, -t_srs
 * t_srs (GDAL's text for it; NULL: none), then the format's options.
 * Returns a CSL list (CSLDestroy) or NULL. */
static char **translate_args(const char *driver, const char *t_srs)
{
    char **args = NULL;
    args = CSLAddString(args, "-f");
    args = CSLAddString(args, driver);
    if (t_srs) {
        args = CSLAddString(args, "-t_srs");
        args = CSLAddString(args, t_srs);
    }
    const out_format *f = format_by_driver(driver);
    if (f && f->opts[0]) {
        char **extra = CSLTokenizeString(f->opts);
        for (char **e = extra; e && *e; e++)
            args = CSLAddString(args, *e);
        CSLDestroy(extra);
    }
    return args;
}

/* ccgis_write_direct: see internal.h. */
ccgis_status ccgis_write_direct(ccgis_ctx *ctx, void *mem, const char *path, const char *format)
{
    return ccgis_write_shown(ctx, mem, path, path, format, NULL);
}

/* ccgis_write_direct_in: see internal.h. */
ccgis_status ccgis_write_direct_in(ccgis_ctx *ctx, void *mem, const char *path, const char *format,
                                   const ccgis_crs *t_srs)
{
    return ccgis_write_shown(ctx, mem, path, path, format, t_srs);
}

/* ccgis_write_shown: see internal.h.  A Shapefile gets its fields'
 * Shapefile names (shpnames.c) for the length of the write. */
ccgis_status ccgis_write_shown(ccgis_ctx *ctx, void *mem, const char *path, const char *shown,
                               const char *format, const ccgis_crs *t_srs)
{
    ccgis_where where = {path, NULL, -1};
    char **args = NULL;
    GDALVectorTranslateOptions *topts = NULL;
    OGRLayerH renamed = NULL;
    ccgis_shp_saved *saved = NULL;
    ccgis_status st = CCGIS_OK;

    ccgis_gdal_begin(ctx);
    const char *driver = ccgis_output_driver(ctx, path, format);
    if (!driver) {
        st = ccgis_errcode(ctx);
        goto done;
    }
    const out_format *f = format_by_driver(driver);
    int nlayers = GDALDatasetGetLayerCount(mem);
    if (f && f->single_layer && nlayers != 1) {
        st = ccgis_error_at(ctx, CCGIS_ERR_USAGE, where,
                            "%s holds one layer per file but there are %d to write -- write to "
                            "a .gpkg or .sqlite instead",
                            driver, nlayers);
        goto done;
    }
    if (strcmp(driver, "ESRI Shapefile") == 0 && nlayers == 1) {
        renamed = GDALDatasetGetLayer(mem, 0);
        if ((st = ccgis_shp_rename(ctx, renamed, shown, &saved)) != CCGIS_OK) {
            renamed = NULL;
            goto done;
        }
    }
    const char *to = NULL; /* GDAL's text for t_srs, when it applies */
    if (t_srs && !wgs84_only(driver) && !(to = ccgis_crs_gdal_text(ctx, t_srs))) {
        st = ccgis_nomem(ctx);
        goto done;
    }
    args = translate_args(driver, to);
    topts = args ? GDALVectorTranslateOptionsNew(args, NULL) : NULL;
    if (!topts) {
        st = ccgis_error(ctx, CCGIS_ERR_INTERNAL, "GDAL refused ccgis's options for %s: %s",
                         driver, ctx->gdal_msg);
        goto done;
    }
    ctx->gdal_msg[0] = '\0';
    GDALDatasetH src = mem;
    int usage_error = 0;
    /* GDAL writes a coordinate such as 21.0100000530 with 8 decimals as
     * "21.01", taking the digit after a run of zeros for round-off
     * (OGRFormatDouble, unless OGR_WKT_ROUND=FALSE): up to 1e-7 degree, about
     * 1 cm, off.  GeoJSON gets the 8 decimals write.h promises (within 0.5e-8
     * degree, under 1 mm) unless the user set the option. */
    int exact = strcmp(driver, "GeoJSON") == 0 && !CPLGetConfigOption("OGR_WKT_ROUND", NULL);
    if (exact)
        CPLSetThreadLocalConfigOption("OGR_WKT_ROUND", "FALSE");
    GDALDatasetH out = GDALVectorTranslate(path, NULL, 1, &src, topts, &usage_error);
    if (out)
        GDALClose(out);
    if (exact)
        CPLSetThreadLocalConfigOption("OGR_WKT_ROUND", NULL);
    if ((ctx->gdal_msg[0] || usage_error || !out) && to)
        st = ccgis_error_at(ctx, CCGIS_ERR_OUTPUT, where,
                            "GDAL could not write it in %s: %s -- check that the output CRS "
                            "covers the data, free space and permissions",
                            ccgis_crs_name(t_srs),
                            ctx->gdal_msg[0] ? ctx->gdal_msg : "no reason given");
    else if (ctx->gdal_msg[0] || usage_error || !out)
        st = ccgis_error_at(ctx, CCGIS_ERR_OUTPUT, where,
                            "GDAL could not write it: %s -- check free space and permissions",
                            ctx->gdal_msg[0] ? ctx->gdal_msg : "no reason given");
done:
    if (renamed)
        ccgis_shp_restore(renamed, saved);
    GDALVectorTranslateOptionsFree(topts);
    CSLDestroy(args);
    ccgis_gdal_end(ctx);
    return st;
}

/* ccgis_result_to_crs: see internal.h. */
ccgis_status ccgis_result_to_crs(ccgis_ctx *ctx, void *mem, const ccgis_crs *crs, void **out)
{
    ccgis_status st = CCGIS_OK;
    char **args = NULL;
    GDALVectorTranslateOptions *topts = NULL;
    *out = NULL;
    const char *to = ccgis_crs_gdal_text(ctx, crs);
    if (!to)
        return ccgis_nomem(ctx);
    ccgis_gdal_begin(ctx);
    args = translate_args("Memory", to);
    topts = args ? GDALVectorTranslateOptionsNew(args, NULL) : NULL;
    if (!topts) {
        st = ccgis_error(ctx, CCGIS_ERR_INTERNAL, "GDAL refused ccgis's options for %s: %s",
                         ccgis_crs_name(crs), ctx->gdal_msg);
        goto done;
    }
    ctx->gdal_msg[0] = '\0';
    GDALDatasetH src = mem;
    int usage_error = 0;
    GDALDatasetH moved = GDALVectorTranslate("", NULL, 1, &src, topts, &usage_error);
    if (ctx->gdal_msg[0] || usage_error || !moved) {
        if (moved)
            GDALClose(moved);
        st = ccgis_error(ctx, CCGIS_ERR_TRANSFORM,
                         "the results cannot be carried to %s: %s -- choose an output CRS "
                         "that covers the data",
                         ccgis_crs_name(crs), ctx->gdal_msg[0] ? ctx->gdal_msg : "no reason given");
        goto done;
    }
    *out = moved;
done:
    GDALVectorTranslateOptionsFree(topts);
    CSLDestroy(args);
    ccgis_gdal_end(ctx);
    return st;
}

/* ccgis_write_all: see write.h. */
ccgis_status ccgis_write_all(ccgis_ctx *ctx, void *const *mems, const char *const *paths,
                             size_t n, const ccgis_write_options *options)
{
    static const ccgis_write_options defaults = {NULL, 0, NULL};
    const ccgis_write_options *o = options ? options : &defaults;
    ccgis_outdir_options oo = {CCGIS_OUTDIR_FILES, o->overwrite};
    ccgis_outdir **ods = calloc(n ? n : 1, sizeof *ods);
    ccgis_crs *t_srs = NULL;
    ccgis_status st = CCGIS_OK;
    if (!ods)
        return ccgis_nomem(ctx);
    /* What can be refused before anything is written: formats, names, CRS. */
    if (o->t_srs)
        st = ccgis_crs_for_output(ctx, o->t_srs, &t_srs);
    for (size_t i = 0; i < n && st == CCGIS_OK; i++) {
        const char *driver = ccgis_output_driver(ctx, paths[i], o->format);
        if (!driver)
            st = ccgis_errcode(ctx);
        else if (t_srs && wgs84_only(driver) && ccgis_crs_epsg(t_srs, NULL) != 4326)
            ccgis_msg(ctx, CCGIS_WARNING,
                      "%s: %s is always written in WGS 84 (EPSG:4326), not in %s -- write a "
                      ".gpkg, .shp or .sqlite to have the layer in %s",
                      paths[i], driver, ccgis_crs_name(t_srs), ccgis_crs_name(t_srs));
        for (size_t k = 0; k < i && st == CCGIS_OK; k++)
            if (strcmp(paths[k], paths[i]) == 0)
                st = ccgis_error(ctx, CCGIS_ERR_USAGE,
                                 "%s: named twice as an output of one command -- give each "
                                 "output its own name",
                                 paths[i]);
    }
    for (size_t i = 0; i < n && st == CCGIS_OK; i++)
        st = ccgis_outdir_begin(ctx, paths[i], &oo, &ods[i]);
    /* Each into its own temporary folder, under its own name. */
    for (size_t i = 0; i < n && st == CCGIS_OK; i++) {
        const char *tmp;
        char *file = NULL;
        if ((st = ccgis_outdir_stage(ctx, ods[i], &tmp)) != CCGIS_OK)
            break;
        size_t len = strlen(tmp) + strlen(ccgis_outdir_name(ods[i])) + 2;
        if (!(file = malloc(len))) {
            st = ccgis_nomem(ctx);
            break;
        }
        snprintf(file, len, "%s/%s", tmp, ccgis_outdir_name(ods[i]));
        st = ccgis_write_shown(ctx, mems[i], file, paths[i], o->format, t_srs);
        free(file);
        if (st != CCGIS_OK)
            st = ccgis_outdir_end(ctx, ods[i], st), ods[i] = NULL;
    }
    if (st == CCGIS_OK)
        st = ccgis_outdir_commit_all(ctx, ods, n);
    for (size_t i = n; i-- > 0;)
        st = ccgis_outdir_end(ctx, ods[i], st);
    free(ods);
    ccgis_crs_free(t_srs);
    return st;
}

/* ccgis_write: see write.h. */
ccgis_status ccgis_write(ccgis_ctx *ctx, void *mem, const char *path,
                         const ccgis_write_options *options)
{
    return ccgis_write_all(ctx, &mem, &path, 1, options);
}
