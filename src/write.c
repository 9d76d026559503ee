/*
 * write.c -- writing result layers with GDAL, all or nothing (see ccgis/write.h).
 *
 * The in-memory dataset is handed to GDALVectorTranslate (ogr2ogr's library
 * form) with per-format options, writing into a fresh temporary folder beside
 * the destination.  Only when GDAL has closed the output without a single
 * error are its files renamed into place (one file for most formats, the
 * .shp/.shx/.dbf/.prj/.cpg set for a shapefile), then the temporary folder is
 * removed.  On failure the temporary folder and everything in it is removed.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

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
    {".csv", "CSV", "-lco GEOMETRY=AS_WKT -lco STRING_QUOTING=IF_NEEDED -lco CREATE_CSVT=YES", 1},
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

/* Split "dir/base.ext" into dir ("." if none) and base name with extension.
 * Returns 0, or -1 if a buffer is too small. */
static int split_path(const char *path, char *dir, size_t dcap, char *name, size_t ncap)
{
    const char *slash = strrchr(path, '/');
    int a = slash ? snprintf(dir, dcap, "%.*s", (int)(slash - path), path)
                  : snprintf(dir, dcap, ".");
    if (slash && slash == path)
        a = snprintf(dir, dcap, "/");
    int b = snprintf(name, ncap, "%s", slash ? slash + 1 : path);
    return (a < 0 || (size_t)a >= dcap || b < 0 || (size_t)b >= ncap || !name[0]) ? -1 : 0;
}

/* Remove a temporary folder and the files in it (no subfolders are made). */
static void remove_tmpdir(const char *tmp)
{
    DIR *d = opendir(tmp);
    if (d) {
        struct dirent *e;
        char p[PATH_MAX];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            if (snprintf(p, sizeof p, "%s/%s", tmp, e->d_name) < (int)sizeof p)
                unlink(p);
        }
        closedir(d);
    }
    rmdir(tmp);
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

/* Move every file of tmp into dir.  Returns 0, or -1 with errno set. */
static int move_all(const char *tmp, const char *dir)
{
    DIR *d = opendir(tmp);
    if (!d)
        return -1;
    struct dirent *e;
    char from[PATH_MAX], to[PATH_MAX];
    int rc = 0;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (snprintf(from, sizeof from, "%s/%s", tmp, e->d_name) >= (int)sizeof from ||
            snprintf(to, sizeof to, "%s/%s", dir, e->d_name) >= (int)sizeof to) {
            errno = ENAMETOOLONG;
            rc = -1;
        } else if (rename(from, to) != 0) {
            rc = -1;
        }
    }
    closedir(d);
    return rc;
}

/* ccgis_write: see write.h. */
ccgis_status ccgis_write(ccgis_ctx *ctx, void *mem, const char *path,
                         const ccgis_write_options *options)
{
    static const ccgis_write_options defaults = {NULL, 0};
    const ccgis_write_options *o = options ? options : &defaults;
    ccgis_where where = {path, NULL, -1};
    char dir[PATH_MAX], name[NAME_MAX + 1], tmp[PATH_MAX], tmpfile[PATH_MAX];
    char **args = NULL;
    GDALVectorTranslateOptions *topts = NULL;
    GDALDatasetH out = NULL;
    int made_tmp = 0;
    ccgis_status st = CCGIS_OK;
    struct stat sb;

    ccgis_gdal_begin(ctx);
    const char *driver = ccgis_output_driver(ctx, path, o->format);
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
    if (split_path(path, dir, sizeof dir, name, sizeof name) != 0) {
        st = ccgis_error_at(ctx, CCGIS_ERR_OUTPUT, where, "the path is too long");
        goto done;
    }
    if (stat(path, &sb) == 0 && !o->overwrite) {
        st = ccgis_error_at(ctx, CCGIS_ERR_OUTPUT, where,
                            "already exists -- remove it, choose another name, or use --overwrite");
        goto done;
    }
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        st = ccgis_error_at(ctx, CCGIS_ERR_OUTPUT, where,
                            "the folder '%s' does not exist -- create it first", dir);
        goto done;
    }
    if (snprintf(tmp, sizeof tmp, "%s/.ccgis-tmp-XXXXXX", dir) >= (int)sizeof tmp ||
        !mkdtemp(tmp)) {
        st = ccgis_error_at(ctx, CCGIS_ERR_OUTPUT, where,
                            "cannot write in the folder '%s' (%s) -- check its permissions", dir,
                            strerror(errno));
        goto done;
    }
    made_tmp = 1;
    if (snprintf(tmpfile, sizeof tmpfile, "%s/%s", tmp, name) >= (int)sizeof tmpfile) {
        st = ccgis_error_at(ctx, CCGIS_ERR_OUTPUT, where, "the path is too long");
        goto done;
    }

    args = translate_args(driver);
    topts = args ? GDALVectorTranslateOptionsNew(args, NULL) : NULL;
    if (!topts) {
        st = ccgis_error(ctx, CCGIS_ERR_INTERNAL, "GDAL refused ccgis's options for %s: %s",
                         driver, ctx->gdal_msg);
        goto done;
    }
    ctx->gdal_msg[0] = '\0';
    GDALDatasetH src = mem;
    int usage_error = 0;
    out = GDALVectorTranslate(tmpfile, NULL, 1, &src, topts, &usage_error);
    if (out) {
        GDALClose(out);
        out = NULL;
    }
    if (ctx->gdal_msg[0] || usage_error) {
        st = ccgis_error_at(ctx, CCGIS_ERR_OUTPUT, where,
                            "GDAL could not write it: %s -- check free space and permissions",
                            ctx->gdal_msg[0] ? ctx->gdal_msg : "no reason given");
        goto done;
    }
    if (move_all(tmp, dir) != 0) {
        st = ccgis_error_at(ctx, CCGIS_ERR_OUTPUT, where, "cannot move the result into place (%s)",
                            strerror(errno));
        goto done;
    }

done:
    if (made_tmp)
        remove_tmpdir(tmp);
    GDALVectorTranslateOptionsFree(topts);
    CSLDestroy(args);
    ccgis_gdal_end(ctx);
    return st;
}
