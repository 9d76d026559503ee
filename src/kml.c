/*
 * kml.c -- Google Earth files (KML, KMZ) as colleagues send them.
 *
 * GDAL reads each folder of a KML file as a layer, and gives every
 * placemark the fields Google Earth keeps for itself (timestamp, begin, end,
 * altitudeMode, tessellate, extrude, visibility, drawOrder, icon).  Staff
 * mean the file as one layer of placemarks: ccgis_kml_merge() copies the
 * folders into one in-memory layer with a `folder` field, without the
 * housekeeping fields, so that every command reads a KML the same way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

/* Google Earth's own fields, dropped unless asked for. */
static const char *const housekeeping[] = {"timestamp", "begin",   "end",       "altitudeMode",
                                           "tessellate", "extrude", "visibility", "drawOrder",
                                           "icon",      NULL};

/* 1 if `name` is one of Google Earth's housekeeping fields. */
static int is_housekeeping(const char *name)
{
    for (const char *const *h = housekeeping; *h; h++)
        if (strcasecmp(name, *h) == 0)
            return 1;
    return 0;
}

/* The kind of a geometry type: 0 none, 1 points, 2 lines, 3 polygons, 4 mixed. */
static int kind_of(OGRwkbGeometryType t)
{
    switch (wkbFlatten(t)) {
    case wkbPoint:
    case wkbMultiPoint: return 1;
    case wkbLineString:
    case wkbMultiLineString: return 2;
    case wkbPolygon:
    case wkbMultiPolygon: return 3;
    case wkbUnknown:
    case wkbNone: return 0;
    default: return 4;
    }
}

static const char *const kind_name[] = {"none", "points", "lines", "polygons", "collections"};

/*
 * Count the features of each kind in layer (counts[5]).  Returns CCGIS_OK
 * or CCGIS_ERR_READ (recorded) when GDAL reports an error while reading.
 */
static ccgis_status count_kinds(ccgis_ctx *ctx, OGRLayerH layer, const char *source,
                                long long counts[5])
{
    OGRFeatureH f;
    ctx->gdal_msg[0] = '\0';
    OGR_L_ResetReading(layer);
    while ((f = OGR_L_GetNextFeature(layer)) != NULL) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        counts[g ? kind_of(OGR_G_GetGeometryType(g)) : 0]++;
        OGR_F_Destroy(f);
    }
    OGR_L_ResetReading(layer);
    if (ctx->gdal_msg[0])
        return ccgis_error_at(ctx, CCGIS_ERR_READ, (ccgis_where){source, OGR_L_GetName(layer), -1},
                              "GDAL reported an error while reading it: %s -- the file may be "
                              "damaged; repair it or get it again",
                              ctx->gdal_msg);
    return CCGIS_OK;
}

/* The name of the merged layer: the file's name without folder and extension. */
static void base_name(const char *source, char *buf, size_t cap)
{
    const char *b = strrchr(source, '/');
    b = b ? b + 1 : source;
    snprintf(buf, cap, "%s", b);
    char *dot = strrchr(buf, '.');
    if (dot && dot != buf)
        *dot = '\0';
}

/*
 * Refuse folders holding different kinds of geometry, listing each folder
 * with its kinds and counts.  Returns CCGIS_OK, CCGIS_ERR_USAGE or a read
 * failure.
 */
static ccgis_status same_kinds(ccgis_ctx *ctx, GDALDatasetH ds, const char *source)
{
    int n = GDALDatasetGetLayerCount(ds), seen = 0, mixed = 0;
    char list[1024];
    size_t used = 0;
    list[0] = '\0';
    for (int i = 0; i < n; i++) {
        long long counts[5] = {0, 0, 0, 0, 0};
        OGRLayerH l = GDALDatasetGetLayer(ds, i);
        ccgis_status st = count_kinds(ctx, l, source, counts);
        if (st != CCGIS_OK)
            return st;
        int w = snprintf(list + used, sizeof list - used, "%s'%s' (", i ? ", " : "",
                         OGR_L_GetName(l));
        const char *sep = "";
        for (int k = 1; k < 5; k++) {
            if (!counts[k])
                continue;
            if (seen && !(seen & (1 << k)))
                mixed = 1;
            seen |= 1 << k;
            if (w > 0 && (size_t)w < sizeof list - used) {
                used += (size_t)w;
                w = snprintf(list + used, sizeof list - used, "%s%lld %s", sep, counts[k],
                             kind_name[k]);
                sep = ", ";
            }
        }
        if (w > 0 && (size_t)w < sizeof list - used) {
            used += (size_t)w;
            w = snprintf(list + used, sizeof list - used, "%s)", *sep ? "" : "empty");
            if (w > 0 && (size_t)w < sizeof list - used)
                used += (size_t)w;
        }
    }
    if (!mixed)
        return CCGIS_OK;
    return ccgis_error_at(ctx, CCGIS_ERR_USAGE, (ccgis_where){source, NULL, -1},
                          "its folders hold different kinds of geometry, so they cannot be "
                          "read as one layer: %s -- name the folder to read with layer= "
                          "(--layer)",
                          list);
}

/* ccgis_kml_merge: see internal.h. */
ccgis_status ccgis_kml_merge(ccgis_ctx *ctx, GDALDatasetH ds, const char *source,
                             const char *layer, int keep_all, GDALDatasetH *out)
{
    *out = NULL;
    const char *driver = GDALGetDriverShortName(GDALGetDatasetDriver(ds));
    if (strcmp(driver, "KML") != 0 && strcmp(driver, "LIBKML") != 0)
        return CCGIS_OK;
    int n = GDALDatasetGetLayerCount(ds);
    OGRLayerH only = NULL;
    if (layer) {
        only = GDALDatasetGetLayerByName(ds, layer);
        if (!only)
            return CCGIS_OK; /* the caller's lookup names the layers there are */
    } else if (n < 1) {
        return CCGIS_OK;
    } else if (n > 1) {
        ccgis_status st = same_kinds(ctx, ds, source);
        if (st != CCGIS_OK)
            return st;
    }
    int merge = !only && n > 1;
    int count = only ? 1 : n;

    GDALDriverH mem_drv = GDALGetDriverByName("Memory");
    GDALDatasetH mem = mem_drv ? GDALCreate(mem_drv, "", 0, 0, 0, GDT_Unknown, NULL) : NULL;
    if (!mem)
        return ccgis_error(ctx, CCGIS_ERR_INTERNAL, "GDAL's Memory driver is not available");
    char name[256];
    if (merge)
        base_name(source, name, sizeof name);
    else
        snprintf(name, sizeof name, "%s", OGR_L_GetName(only ? only : GDALDatasetGetLayer(ds, 0)));
    OGRLayerH src0 = only ? only : GDALDatasetGetLayer(ds, 0);
    char *opts[] = {"ADVERTIZE_UTF8=YES", NULL};
    OGRLayerH dst = GDALDatasetCreateLayer(mem, name, OGR_L_GetSpatialRef(src0), wkbUnknown, opts);
    ccgis_status st = CCGIS_OK;
    int *map = NULL;
    if (!dst) {
        st = ccgis_error(ctx, CCGIS_ERR_INTERNAL, "GDAL cannot make an in-memory layer");
        goto done;
    }
    int folder_index = -1;
    if (merge) {
        OGRFieldDefnH fd = OGR_Fld_Create("folder", OFTString);
        OGR_L_CreateField(dst, fd, TRUE);
        OGR_Fld_Destroy(fd);
        folder_index = 0;
    }
    /* The fields: the union over the folders, by name, less housekeeping. */
    for (int i = 0; i < count; i++) {
        OGRLayerH l = only ? only : GDALDatasetGetLayer(ds, i);
        OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
        for (int k = 0; k < OGR_FD_GetFieldCount(d); k++) {
            OGRFieldDefnH fd = OGR_FD_GetFieldDefn(d, k);
            const char *fname = OGR_Fld_GetNameRef(fd);
            if ((!keep_all && is_housekeeping(fname)) ||
                OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(dst), fname) >= 0)
                continue;
            OGR_L_CreateField(dst, fd, TRUE);
        }
    }
    OGRFeatureDefnH dd = OGR_L_GetLayerDefn(dst);
    long long fid = 0;
    for (int i = 0; i < count && st == CCGIS_OK; i++) {
        OGRLayerH l = only ? only : GDALDatasetGetLayer(ds, i);
        OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
        int nf = OGR_FD_GetFieldCount(d);
        free(map);
        map = ccgis_calloc(ctx, (size_t)nf + 1, sizeof *map);
        if (!map) {
            st = CCGIS_ERR_NOMEM;
            break;
        }
        for (int k = 0; k < nf; k++) {
            const char *fname = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, k));
            map[k] = (!keep_all && is_housekeeping(fname)) ? -1 : OGR_FD_GetFieldIndex(dd, fname);
        }
        OGRFeatureH f;
        ctx->gdal_msg[0] = '\0';
        OGR_L_ResetReading(l);
        while (st == CCGIS_OK && (f = OGR_L_GetNextFeature(l)) != NULL) {
            OGRFeatureH g = OGR_F_Create(dd);
            if (!g || OGR_F_SetFromWithMap(g, f, TRUE, map) != OGRERR_NONE) {
                st = g ? ccgis_error(ctx, CCGIS_ERR_INTERNAL, "GDAL cannot copy a KML feature")
                       : ccgis_nomem(ctx);
            } else {
                OGR_F_SetFID(g, ++fid);
                if (folder_index >= 0)
                    OGR_F_SetFieldString(g, folder_index, OGR_L_GetName(l));
                if (OGR_L_CreateFeature(dst, g) != OGRERR_NONE)
                    st = ccgis_nomem(ctx);
            }
            if (g)
                OGR_F_Destroy(g);
            OGR_F_Destroy(f);
        }
        OGR_L_ResetReading(l);
        if (st == CCGIS_OK && ctx->gdal_msg[0])
            st = ccgis_error_at(ctx, CCGIS_ERR_READ, (ccgis_where){source, OGR_L_GetName(l), -1},
                                "GDAL reported an error while reading it: %s -- the file may "
                                "be damaged; repair it or get it again",
                                ctx->gdal_msg);
    }
done:
    free(map);
    if (st != CCGIS_OK) {
        GDALClose(mem);
        return st;
    }
    *out = mem;
    return CCGIS_OK;
}
