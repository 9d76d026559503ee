/*
 * source.c -- opening vector sources with GDAL and finding their layers.
 *
 * A "source" is what the user names: a file, a folder of shapefiles, or a
 * GDAL connection string ("PG:dbname=...", "/vsizip/...").  Files are checked
 * before GDAL sees them so that a missing or unreadable file gets its own
 * message instead of GDAL's generic "not recognized".
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* 1 if `source` is a GDAL connection string or virtual path rather than a
 * plain file name: "/vsi..." or a driver prefix such as "PG:" (two or more
 * letters before the first colon, so that "C:" is not one). */
static int is_connection_string(const char *source)
{
    if (strncmp(source, "/vsi", 4) == 0)
        return 1;
    size_t n = 0;
    while (isalnum((unsigned char)source[n]) || source[n] == '_')
        n++;
    return n >= 2 && source[n] == ':';
}

/* ccgis_source_open: see internal.h. */
ccgis_status ccgis_source_open(ccgis_ctx *ctx, const char *source, GDALDatasetH *ds)
{
    return ccgis_source_open_enc(ctx, source, NULL, ds);
}

/* 1 if the path names a shapefile or a bare DBF table. */
static int is_dbf_based(const char *source)
{
    const char *dot = strrchr(source, '.');
    return dot && (strcasecmp(dot, ".shp") == 0 || strcasecmp(dot, ".dbf") == 0);
}

/* ccgis_source_open_enc: see internal.h. */
ccgis_status ccgis_source_open_enc(ccgis_ctx *ctx, const char *source, const char *encoding,
                                   GDALDatasetH *ds)
{
    *ds = NULL;
    ccgis_where where = {source, NULL, -1};
    int is_dir = 0;
    if (!is_connection_string(source)) {
        struct stat st;
        if (stat(source, &st) != 0) {
            if (errno == ENOENT || errno == ENOTDIR)
                return ccgis_error_at(ctx, CCGIS_ERR_NOT_FOUND, where,
                                      "no such file or directory -- check the path");
            return ccgis_error_at(ctx, CCGIS_ERR_INPUT, where, "cannot be examined (%s)",
                                  strerror(errno));
        }
        if (access(source, R_OK) != 0)
            return ccgis_error_at(ctx, CCGIS_ERR_INPUT, where,
                                  "cannot be read (%s) -- check its permissions",
                                  strerror(errno));
        if (S_ISREG(st.st_mode) && st.st_size == 0)
            return ccgis_error_at(ctx, CCGIS_ERR_NOT_VECTOR, where,
                                  "the file is empty (0 bytes) -- it was not written completely; "
                                  "get it again from its author");
        is_dir = S_ISDIR(st.st_mode);
    }
    char opt[128];
    const char *open_opts[2] = {NULL, NULL};
    if (encoding && *encoding) {
        if (!is_dbf_based(source))
            return ccgis_error_at(ctx, CCGIS_ERR_USAGE, where,
                                  "an encoding can only be given for a shapefile or DBF (its "
                                  "attribute table) -- other formats declare their own");
        snprintf(opt, sizeof opt, "ENCODING=%s", encoding);
        open_opts[0] = opt;
    }
    ccgis_gdal_begin(ctx);
    *ds = GDALOpenEx(source, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, open_opts, NULL);
    ccgis_gdal_end(ctx);
    if (!*ds) {
        if (is_dir)
            return ccgis_error_at(ctx, CCGIS_ERR_NOT_VECTOR, where,
                                  "a folder in which GDAL finds no vector data -- name a file "
                                  "inside it");
        if (ctx->gdal_msg[0] && !strstr(ctx->gdal_msg, "not recognized as a supported"))
            return ccgis_error_at(ctx, CCGIS_ERR_NOT_VECTOR, where,
                                  "GDAL cannot open it as vector data: %s", ctx->gdal_msg);
        return ccgis_error_at(ctx, CCGIS_ERR_NOT_VECTOR, where,
                              "not a vector dataset GDAL can read -- give a Shapefile, "
                              "GeoJSON, GeoPackage, KML, CSV, DXF, SpatiaLite or PG: source "
                              "(ogrinfo --formats lists them all)");
    }
    return CCGIS_OK;
}

/* ccgis_source_layer_list: see internal.h. */
void ccgis_source_layer_list(GDALDatasetH ds, char *buf, size_t cap)
{
    size_t used = 0;
    int n = GDALDatasetGetLayerCount(ds);
    snprintf(buf, cap, "(none)");
    for (int i = 0; i < n && used < cap - 1; i++) {
        const char *ln = OGR_L_GetName(GDALDatasetGetLayer(ds, i));
        int w = snprintf(buf + used, cap - used, "%s'%s'", i ? ", " : "", ln);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* ccgis_source_layer: see internal.h. */
ccgis_status ccgis_source_layer(ccgis_ctx *ctx, GDALDatasetH ds, const char *source,
                                const char *name, OGRLayerH *layer)
{
    *layer = GDALDatasetGetLayerByName(ds, name);
    if (*layer)
        return CCGIS_OK;
    char names[512];
    ccgis_source_layer_list(ds, names, sizeof names);
    ccgis_where where = {source, NULL, -1};
    return ccgis_error_at(ctx, CCGIS_ERR_NO_LAYER, where,
                          "no layer named '%s' -- the layers are: %s", name, names);
}

/* ccgis_field_list: see internal.h. */
void ccgis_field_list(OGRFeatureDefnH defn, char *buf, size_t cap)
{
    size_t used = 0;
    int n = OGR_FD_GetFieldCount(defn);
    snprintf(buf, cap, "(none)");
    for (int i = 0; i < n && used < cap - 1; i++) {
        int w = snprintf(buf + used, cap - used, "%s%s", i ? ", " : "",
                         OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* ccgis_source_pick_layer: see internal.h. */
ccgis_status ccgis_source_pick_layer(ccgis_ctx *ctx, GDALDatasetH ds, const char *source,
                                     const char *name, OGRLayerH *layer)
{
    if (name)
        return ccgis_source_layer(ctx, ds, source, name, layer);
    int n = GDALDatasetGetLayerCount(ds);
    if (n == 1) {
        *layer = GDALDatasetGetLayer(ds, 0);
        return CCGIS_OK;
    }
    char names[512];
    ccgis_source_layer_list(ds, names, sizeof names);
    *layer = NULL;
    return ccgis_error_at(ctx, CCGIS_ERR_USAGE, (ccgis_where){source, NULL, -1},
                          "%d layers and none named -- name one with layer= (--layer): %s", n,
                          names);
}
