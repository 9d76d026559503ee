/*
 * write.c -- writing result layers with GDAL, all or nothing (see ccgis/write.h).
 *
 * The in-memory dataset is handed to GDALVectorTranslate (ogr2ogr's library
 * form) with per-format options (ccgis_write_direct), and a progress
 * callback that stops it after the feature being written when the caller
 * cancels or an interruption is requested (Ctrl-C: ccgis_interrupt_request).  ccgis_write_all puts
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
#include <time.h>

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
    {".sqlite", "SQLite", "-dsco SPATIALITE=YES -lco SPATIAL_INDEX=YES", 0},
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

/* Build the argv of GDALVectorTranslateOptionsNew: -f DRIVER then the
 * format's options.  Returns a CSL list (CSLDestroy) or NULL. */
static char **translate_args(const char *driver)
{
    char **args = NULL;
    args = CSLAddString(args, "-f");
    args = CSLAddString(args, driver);
    const out_format *f = format_by_driver(driver);
    if (f && f->opts[0]) {
        char **extra = CSLTokenizeString(f->opts);
        for (char **e = extra; e && *e; e++)
            args = CSLAddString(args, *e);
        CSLDestroy(extra);
    }
    return args;
}

/* What GDAL's progress callback looks at while it translates: the caller's
 * callback (may be NULL) and the process-wide interruption request. */
typedef struct write_poll {
    ccgis_ctx *ctx;
    ccgis_progress_fn fn; /* may be NULL */
    void *arg;
    double base, span; /* GDAL's 0..1 mapped to [base, base + span] for fn */
    double next_s;     /* monotonic time of the next call of fn */
    int first;         /* no callback yet in this translation */
    int cancelled;     /* fn returned 0, or an interruption was requested */
} write_poll;

/* Seconds on the monotonic clock. */
static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The caller's callback, for the test pause (testhook.c). */
static int poll_caller(double fraction, const char *note, void *arg)
{
    const write_poll *p = arg;
    (void)note;
    return !ccgis_interrupt_pending() &&
           (!p->fn || p->fn(p->base + p->span * fraction, "writing", p->arg));
}

/*
 * GDALProgressFunc: GDAL calls it after every feature it writes.  Returns
 * FALSE (GDAL stops the translation) once an interruption is pending
 * (looked at every call: a flag) or the caller's callback returned 0 (called
 * at most every 50 ms, so that a terminal progress bar costs nothing).
 */
static int CPL_STDCALL write_progress(double fraction, const char *msg, void *arg)
{
    write_poll *p = arg;
    (void)msg;
    if (p->cancelled)
        return FALSE;
    if (p->first) {
        p->first = 0;
        if (ccgis_test_stall(p->ctx, "translate", poll_caller, p, fraction) != CCGIS_OK)
            p->cancelled = 1;
    }
    ccgis_test_delay("CCGIS_TEST_SLOW_WRITE");
    if (ccgis_interrupt_pending()) {
        p->cancelled = 1;
    } else if (p->fn) {
        double t = mono_s();
        if (t >= p->next_s) {
            p->next_s = t + 0.05;
            if (!p->fn(p->base + p->span * fraction, "writing", p->arg))
                p->cancelled = 1;
        }
    }
    return !p->cancelled;
}

/* ccgis_write_direct: see internal.h. */
ccgis_status ccgis_write_direct(ccgis_ctx *ctx, void *mem, const char *path, const char *format)
{
    return ccgis_write_direct_progress(ctx, mem, path, format, NULL, NULL, 0.0, 0.0);
}

/* ccgis_write_direct_progress: see internal.h. */
ccgis_status ccgis_write_direct_progress(ccgis_ctx *ctx, void *mem, const char *path,
                                         const char *format, ccgis_progress_fn fn, void *arg,
                                         double base, double span)
{
    ccgis_where where = {path, NULL, -1};
    char **args = NULL;
    GDALVectorTranslateOptions *topts = NULL;
    write_poll poll = {ctx, fn, arg, base, span, 0.0, 1, 0};
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
    if (ccgis_interrupt_pending() || (fn && !fn(base, "writing", arg))) {
        st = ccgis_error(ctx, CCGIS_ERR_CANCELLED, "cancelled by the caller");
        goto done;
    }
    /* "-progress": without it GDAL never calls the progress callback. */
    args = translate_args(driver);
    args = args ? CSLAddString(args, "-progress") : NULL;
    topts = args ? GDALVectorTranslateOptionsNew(args, NULL) : NULL;
    if (!topts) {
        st = ccgis_error(ctx, CCGIS_ERR_INTERNAL, "GDAL refused ccgis's options for %s: %s",
                         driver, ctx->gdal_msg);
        goto done;
    }
    GDALVectorTranslateOptionsSetProgress(topts, write_progress, &poll);
    ctx->gdal_msg[0] = '\0';
    GDALDatasetH src = mem;
    int usage_error = 0;
    GDALDatasetH out = GDALVectorTranslate(path, NULL, 1, &src, topts, &usage_error);
    if (out)
        GDALClose(out);
    if (poll.cancelled)
        st = ccgis_error(ctx, CCGIS_ERR_CANCELLED, "cancelled by the caller");
    else if (ctx->gdal_msg[0] || usage_error || !out)
        st = ccgis_error_at(ctx, CCGIS_ERR_OUTPUT, where,
                            "GDAL could not write it: %s -- check free space and permissions",
                            ctx->gdal_msg[0] ? ctx->gdal_msg : "no reason given");
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
    static const ccgis_write_options defaults = {NULL, 0};
    const ccgis_write_options *o = options ? options : &defaults;
    ccgis_outdir_options oo = {CCGIS_OUTDIR_FILES, o->overwrite};
    ccgis_outdir **ods = calloc(n ? n : 1, sizeof *ods);
    ccgis_status st = CCGIS_OK;
    if (!ods)
        return ccgis_nomem(ctx);
    /* What can be refused before anything is written: formats, names. */
    for (size_t i = 0; i < n && st == CCGIS_OK; i++) {
        if (!ccgis_output_driver(ctx, paths[i], o->format))
            st = ccgis_errcode(ctx);
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
        st = ccgis_write_direct(ctx, mems[i], file, o->format);
        free(file);
        if (st != CCGIS_OK)
            st = ccgis_outdir_end(ctx, ods[i], st), ods[i] = NULL;
    }
    if (st == CCGIS_OK && ccgis_interrupt_pending())
        st = ccgis_error(ctx, CCGIS_ERR_CANCELLED, "cancelled by the caller");
    if (st == CCGIS_OK)
        st = ccgis_outdir_commit_all(ctx, ods, n);
    for (size_t i = n; i-- > 0;)
        st = ccgis_outdir_end(ctx, ods[i], st);
    free(ods);
    return st;
}

/* ccgis_write: see write.h. */
ccgis_status ccgis_write(ccgis_ctx *ctx, void *mem, const char *path,
                         const ccgis_write_options *options)
{
    return ccgis_write_all(ctx, &mem, &path, 1, options);
}
