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
#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
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

/*
 * Why a write to `path` failed, when the disk is the cause, in words the
 * user can act on; NULL when it is not.  `said` is GDAL's last failure
 * text, `first` its first (the cause when failures cascade), `kept` what
 * libraries printed (quiet.c).  SQLite says "database or disk
 * is full" on ENOSPC and "disk I/O error" on EFBIG, and libspatialite only
 * prints it: GDAL then fails later with an unrelated "no such table:
 * spatialite_history", the message this replaces.
 *   - no space: "No space left on device", "disk is full" in any text,
 *     or less than 256 KiB free on the disk holding `path`;
 *   - the file-size limit (ulimit -f, RLIMIT_FSIZE): a file beside `path`
 *     reached it, or "File too large", or "disk I/O error" while a limit
 *     is set.
 */
static const char *disk_cause(const char *path, const char *said, const char *first,
                              const char *kept, char *buf, size_t cap)
{
    const char *texts[] = {said, first, kept};
    static const char *const full[] = {"No space left", "disk is full", "disk full"};
    int no_space = 0;
    for (size_t i = 0; i < sizeof full / sizeof full[0]; i++)
        for (size_t t = 0; t < 3; t++)
            no_space |= strstr(texts[t], full[i]) != NULL;
    char dir[4096];
    const char *slash = strrchr(path, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
    struct statvfs sv;
    if (!no_space && statvfs(dir[0] ? dir : "/", &sv) == 0 &&
        (unsigned long long)sv.f_bavail * sv.f_frsize < 256 * 1024)
        no_space = 1;
    if (no_space)
        return "no space left on the disk -- free some space there (df -h shows how much) and "
               "run again";
    struct rlimit rl;
    int limited = getrlimit(RLIMIT_FSIZE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY;
    int at_limit = 0; /* a file in the folder reached the limit */
    DIR *d = limited ? opendir(dir[0] ? dir : "/") : NULL;
    for (struct dirent *de; d && !at_limit && (de = readdir(d)) != NULL;) {
        struct stat sb;
        at_limit = fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
                   S_ISREG(sb.st_mode) && (unsigned long long)sb.st_size >= rl.rlim_cur;
    }
    if (d)
        closedir(d);
    for (size_t t = 0; t < 3; t++)
        at_limit |= strstr(texts[t], "File too large") ||
                    (limited && strstr(texts[t], "disk I/O error"));
    if (at_limit) {
        if (limited)
            snprintf(buf, cap,
                     "the file outgrew the file-size limit set for ccgis (%llu KiB, ulimit -f) "
                     "-- "
                     "raise the limit (ulimit -f unlimited) or check free space, and run again",
                     (unsigned long long)rl.rlim_cur / 1024);
        else
            snprintf(buf, cap, "the file outgrew the largest size allowed here (File too large) "
                               "-- write to another disk");
        return buf;
    }
    return NULL;
}

/* ccgis_write_direct: see internal.h. */
ccgis_status ccgis_write_direct(ccgis_ctx *ctx, void *mem, const char *path, const char *format)
{
    return ccgis_write_with(ctx, mem, path, format, NULL);
}

/* ccgis_write_direct_in: see internal.h. */
ccgis_status ccgis_write_direct_in(ccgis_ctx *ctx, void *mem, const char *path, const char *format,
                                   const ccgis_crs *t_srs)
{
    const ccgis_write_how how = {.t_srs = t_srs};
    return ccgis_write_with(ctx, mem, path, format, &how);
}

/* ccgis_write_shown: see internal.h. */
ccgis_status ccgis_write_shown(ccgis_ctx *ctx, void *mem, const char *path, const char *shown,
                               const char *format, const ccgis_crs *t_srs)
{
    const ccgis_write_how how = {.shown = shown, .t_srs = t_srs};
    return ccgis_write_with(ctx, mem, path, format, &how);
}

/* ccgis_write_direct_progress: see internal.h. */
ccgis_status ccgis_write_direct_progress(ccgis_ctx *ctx, void *mem, const char *path,
                                         const char *format, ccgis_progress_fn fn, void *arg,
                                         double base, double span)
{
    const ccgis_write_how how = {.fn = fn, .arg = arg, .base = base, .span = span};
    return ccgis_write_with(ctx, mem, path, format, &how);
}

/* ccgis_write_with: see internal.h.  A Shapefile gets its fields'
 * Shapefile names (shpnames.c) for the length of the write. */
ccgis_status ccgis_write_with(ccgis_ctx *ctx, void *mem, const char *path, const char *format,
                              const ccgis_write_how *how)
{
    ccgis_where where = {path, NULL, -1};
    char **args = NULL;
    GDALVectorTranslateOptions *topts = NULL;
    static const ccgis_write_how plain = {0};
    if (!how)
        how = &plain;
    const char *shown = how->shown ? how->shown : path;
    const ccgis_crs *t_srs = how->t_srs;
    OGRLayerH renamed = NULL;
    ccgis_shp_saved *saved = NULL;
    write_poll poll = {ctx, how->fn, how->arg, how->base, how->span, 0.0, 1, 0};
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
    if (ccgis_interrupt_pending() || (how->fn && !how->fn(how->base, "writing", how->arg))) {
        st = ccgis_error(ctx, CCGIS_ERR_CANCELLED, "cancelled by the caller");
        goto done;
    }
    /* "-progress": without it GDAL never calls the progress callback. */
    args = translate_args(driver, to);
    args = args ? CSLAddString(args, "-progress") : NULL;
    topts = args ? GDALVectorTranslateOptionsNew(args, NULL) : NULL;
    if (!topts) {
        st = ccgis_error(ctx, CCGIS_ERR_INTERNAL, "GDAL refused ccgis's options for %s: %s",
                         driver, ctx->gdal_msg);
        goto done;
    }
    GDALVectorTranslateOptionsSetProgress(topts, write_progress, &poll);
    ctx->gdal_msg[0] = ctx->gdal_first[0] = '\0';
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
    char kept[1024], why[256];
    const char *cause;
    size_t mark = ccgis_quiet_begin(); /* libspatialite's fprintf(stderr) on a failure */
    GDALDatasetH out = GDALVectorTranslate(path, NULL, 1, &src, topts, &usage_error);
    if (out)
        GDALClose(out);
    ccgis_quiet_end(ctx, mark, kept, sizeof kept);
    if (exact)
        CPLSetThreadLocalConfigOption("OGR_WKT_ROUND", NULL);
    if (poll.cancelled)
        st = ccgis_error(ctx, CCGIS_ERR_CANCELLED, "cancelled by the caller");
    else if ((ctx->gdal_msg[0] || usage_error || !out) &&
             (cause = disk_cause(path, ctx->gdal_msg, ctx->gdal_first, kept, why, sizeof why)) !=
                 NULL)
        st = ccgis_error_at(ctx, CCGIS_ERR_OUTPUT, where, "%s", cause);
    else if ((ctx->gdal_msg[0] || usage_error || !out) && to)
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
    if (st == CCGIS_OK && ccgis_interrupt_pending())
        st = ccgis_error(ctx, CCGIS_ERR_CANCELLED, "cancelled by the caller");
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
