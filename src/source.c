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
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cpl_conv.h>

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

/*
 * Size of the sidecar `ext` of a shapefile (".shx" or ".dbf", either case):
 * opens it into *f.  Returns 0, or -1 when there is none.
 */
static int open_sidecar(const char *shp, const char *ext, FILE **f)
{
    char path[4096];
    size_t n = strlen(shp);
    if (n < 4 || n + 1 > sizeof path)
        return -1;
    memcpy(path, shp, n - 4);
    for (int upper = 0; upper < 2; upper++) {
        for (int i = 0; i < 4; i++)
            path[n - 4 + i] = upper ? (char)toupper((unsigned char)ext[i]) : ext[i];
        path[n] = '\0';
        if ((*f = fopen(path, "rb")) != NULL)
            return 0;
    }
    return -1;
}

/*
 * A shapefile's .shx and .dbf must describe the same number of features;
 * GDAL would otherwise silently read the smaller number.  Returns CCGIS_OK
 * (also when a count cannot be read: GDAL then says what is wrong), or
 * CCGIS_ERR_INPUT naming both counts.
 */
static ccgis_status check_shapefile_counts(ccgis_ctx *ctx, const char *shp)
{
    FILE *shx = NULL, *dbf = NULL;
    long shx_records = -1, dbf_records = -1;
    if (open_sidecar(shp, ".shx", &shx) == 0) {
        if (fseek(shx, 0, SEEK_END) == 0) {
            long size = ftell(shx);
            if (size >= 100)
                shx_records = (size - 100) / 8;
        }
        fclose(shx);
    }
    if (open_sidecar(shp, ".dbf", &dbf) == 0) {
        unsigned char h[8];
        if (fread(h, 1, 8, dbf) == 8)
            dbf_records = (long)((unsigned long)h[4] | (unsigned long)h[5] << 8 |
                                 (unsigned long)h[6] << 16 | (unsigned long)h[7] << 24);
        fclose(dbf);
    }
    if (shx_records >= 0 && dbf_records >= 0 && shx_records != dbf_records)
        return ccgis_error_at(ctx, CCGIS_ERR_INPUT, (ccgis_where){shp, NULL, -1},
                              "the .dbf holds %ld records but the .shp/.shx %ld shapes -- the "
                              "files do not belong together or one was cut short; get the "
                              "complete set again",
                              dbf_records, shx_records);
    return CCGIS_OK;
}

/* ccgis_declared_cp1258: see internal.h. */
int ccgis_declared_cp1258(const char *source)
{
    FILE *f = NULL;
    const char *dot = source ? strrchr(source, '.') : NULL;
    if (!dot || (strcasecmp(dot, ".shp") != 0 && strcasecmp(dot, ".dbf") != 0))
        return 0;
    if (open_sidecar(source, ".cpg", &f) != 0)
        return 0;
    char text[64] = "";
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    char *t = text + strspn(text, " \t\r\n");
    t[strcspn(t, " \t\r\n")] = '\0';
    return strcasecmp(t, "CP1258") == 0 || strcasecmp(t, "1258") == 0 ||
           strcasecmp(t, "windows-1258") == 0 || strcasecmp(t, "ANSI 1258") == 0;
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
        const char *dot = strrchr(source, '.');
        if (!is_dir && dot && strcasecmp(dot, ".shp") == 0) {
            ccgis_status cs = check_shapefile_counts(ctx, source);
            if (cs != CCGIS_OK)
                return cs;
        }
    }
    char opt[128];
    const char *open_opts[2] = {NULL, NULL};
    if ((!encoding || !*encoding || strcasecmp(encoding, "auto") == 0) &&
        ccgis_declared_cp1258(source))
        encoding = "CP1258"; /* GDAL 3.6 would cut each field's last letter */
    if (encoding && *encoding && strcasecmp(encoding, "auto") != 0) {
        if (!is_dbf_based(source))
            return ccgis_error_at(ctx, CCGIS_ERR_USAGE, where,
                                  "an encoding can only be given for a shapefile or DBF (its "
                                  "attribute table) -- other formats declare their own");
        /* Raw bytes: ccgis decodes them itself (encoding.c), NFC included. */
        snprintf(opt, sizeof opt, "ENCODING=");
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

/* ccgis_looks_vn2000: see internal.h. */
int ccgis_looks_vn2000(OGRLayerH layer, char *what, size_t cap)
{
    OGREnvelope e;
    if (OGR_L_GetExtent(layer, &e, TRUE) != OGRERR_NONE)
        return 0;
    if (e.MinX < 300000 || e.MaxX > 800000 || e.MinY < 900000 || e.MaxY > 2700000)
        return 0;
    snprintf(what, cap, "its coordinates (E %.0f-%.0f, N %.0f-%.0f) look like VN-2000 "
                        "TM-3 or UTM 48N metres",
             e.MinX, e.MaxX, e.MinY, e.MaxY);
    return 1;
}
