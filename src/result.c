/*
 * result.c -- building result layers in a GDAL in-memory dataset.
 *
 * Every ccgis command produces its results as layers of one in-memory
 * dataset (GDAL's "Memory" driver): WGS 84 lon/lat geometries (EPSG:4326 in
 * GIS axis order), the source layer's attribute fields first, then the
 * computed ones.  write.c then writes the dataset in any GDAL format.
 *
 * Field names are kept whole (the Shapefile alone cuts them, when written:
 * shpnames.c).  A source field whose name is one of the layer's computed
 * columns (compared without regard to ASCII case, as GeoPackage and
 * SpatiaLite compare column names) is written as "src_<name>"; a source
 * field whose name repeats an earlier one's but for case, or a "src_" name
 * that is taken too, gets "_2", "_3" ... after it.  Each renaming is
 * warned about, one line per layer and kind naming the source file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpl_conv.h>

#include "internal.h"

/* ccgis_result_dataset: see internal.h. */
GDALDatasetH ccgis_result_dataset(ccgis_ctx *ctx)
{
    GDALDriverH drv = GDALGetDriverByName("Memory");
    GDALDatasetH ds = drv ? GDALCreate(drv, "ccgis", 0, 0, 0, GDT_Unknown, NULL) : NULL;
    if (!ds)
        ccgis_error(ctx, CCGIS_ERR_INTERNAL, "GDAL cannot create an in-memory dataset");
    return ds;
}

/* 1 if the layer already has a field called `name` (case-insensitive, as
 * most formats compare them). */
static int has_field(OGRLayerH layer, const char *name)
{
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(layer);
    for (int i = 0; i < OGR_FD_GetFieldCount(d); i++)
        if (strcasecmp(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, i)), name) == 0)
            return 1;
    return 0;
}

/* 1 if `name` is one of the computed columns. */
static int is_extra(const char *name, const ccgis_field_spec *extra, size_t n_extra)
{
    for (size_t i = 0; i < n_extra; i++)
        if (strcasecmp(extra[i].name, name) == 0)
            return 1;
    return 0;
}

/* Why a source field was renamed. */
enum { KEPT, COLUMN, REPEAT };

/* The output name of source field `name`, unique in the layer and not one
 * of the computed columns: a new string (NULL: out of memory).  *why says
 * whether and why it differs from `name`. */
static char *source_field_name(OGRLayerH layer, const char *name, const ccgis_field_spec *extra,
                               size_t n_extra, int *why)
{
    size_t len = strlen(name) + 16;
    char *base = malloc(len), *out = malloc(len + 16);
    if (!base || !out) {
        free(base);
        free(out);
        return NULL;
    }
    *why = is_extra(name, extra, n_extra) ? COLUMN : KEPT;
    snprintf(base, len, "%s%s", *why == COLUMN ? "src_" : "", name);
    snprintf(out, len + 16, "%s", base);
    for (unsigned k = 2; has_field(layer, out) || is_extra(out, extra, n_extra); k++) {
        snprintf(out, len + 16, "%s_%u", base, k);
        if (*why == KEPT)
            *why = REPEAT;
    }
    free(base);
    return out;
}

/* A list of renames for a warning: "'from' as 'to', ...", whole items only;
 * those that do not fit are counted. */
typedef struct rename_list {
    char text[CCGIS_MSG_MAX / 2];
    size_t used;
    int left_out;
} rename_list;

/* Add "'from' as 'to'" to list l. */
static void list_rename(rename_list *l, const char *from, const char *to)
{
    size_t room = sizeof l->text - l->used;
    int n = snprintf(l->text + l->used, room, "%s'%s' as '%s'", l->used ? ", " : "", from, to);
    if (n > 0 && (size_t)n < room) {
        l->used += (size_t)n;
    } else {
        l->text[l->used] = '\0'; /* what did not fit is only counted */
        l->left_out++;
    }
}

/* Warn, naming `file` and `layer`, about the renames in l, if any. */
static void warn_renames(ccgis_ctx *ctx, const rename_list *l, const char *file,
                         const char *layer, int repeats)
{
    if (!l->used && !l->left_out)
        return;
    char more[48] = "";
    if (l->left_out)
        snprintf(more, sizeof more, " and %d more", l->left_out);
    if (repeats)
        ccgis_msg(ctx, CCGIS_WARNING,
                  "%s: fields whose names repeat an earlier field's (ignoring case) are written "
                  "under new names in the %s layer: %s%s",
                  file, layer, l->text, more);
    else
        ccgis_msg(ctx, CCGIS_WARNING,
                  "%s: fields named like ccgis's own columns of the %s layer are written "
                  "under new names: %s%s",
                  file, layer, l->text, more);
}

/* ccgis_result_layer: see internal.h. */
OGRLayerH ccgis_result_layer(ccgis_ctx *ctx, GDALDatasetH ds, const char *name,
                             OGRwkbGeometryType gtype, const ccgis_layer *src,
                             const ccgis_field_spec *extra, size_t n_extra)
{
    OGRSpatialReferenceH wgs84 = OSRNewSpatialReference(NULL);
    OGRLayerH layer = NULL;
    rename_list columns = {"", 0, 0}, repeats = {"", 0, 0};
    if (!wgs84 || OSRImportFromEPSG(wgs84, 4326) != OGRERR_NONE)
        goto fail;
    OSRSetAxisMappingStrategy(wgs84, OAMS_TRADITIONAL_GIS_ORDER);
    layer = GDALDatasetCreateLayer(ds, name, gtype == wkbNone ? NULL : wgs84, gtype, NULL);
    OSRRelease(wgs84);
    wgs84 = NULL;
    if (!layer)
        goto fail;

    OGRFeatureDefnH sd = src ? src->defn : NULL;
    for (int i = 0; sd && i < OGR_FD_GetFieldCount(sd); i++) {
        OGRFieldDefnH sf = OGR_FD_GetFieldDefn(sd, i);
        int why;
        char *out = source_field_name(layer, OGR_Fld_GetNameRef(sf), extra, n_extra, &why);
        if (!out) {
            ccgis_nomem(ctx);
            return NULL;
        }
        if (why == COLUMN)
            list_rename(&columns, OGR_Fld_GetNameRef(sf), out);
        else if (why == REPEAT)
            list_rename(&repeats, OGR_Fld_GetNameRef(sf), out);
        OGRFieldDefnH fd = OGR_Fld_Create(out, OGR_Fld_GetType(sf));
        free(out);
        OGR_Fld_SetSubType(fd, OGR_Fld_GetSubType(sf));
        OGR_Fld_SetWidth(fd, OGR_Fld_GetWidth(sf));
        OGR_Fld_SetPrecision(fd, OGR_Fld_GetPrecision(sf));
        OGRErr e = OGR_L_CreateField(layer, fd, TRUE);
        OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE)
            goto fail;
    }
    if (src) {
        warn_renames(ctx, &columns, src->source, name, 0);
        warn_renames(ctx, &repeats, src->source, name, 1);
    }
    for (size_t i = 0; i < n_extra; i++) {
        static const OGRFieldType types[] = {OFTString, OFTInteger, OFTReal};
        OGRFieldDefnH fd = OGR_Fld_Create(extra[i].name, types[extra[i].type]);
        OGR_Fld_SetWidth(fd, extra[i].width);
        OGR_Fld_SetPrecision(fd, extra[i].precision);
        OGRErr e = OGR_L_CreateField(layer, fd, TRUE);
        OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE)
            goto fail;
    }
    return layer;

fail:
    if (wgs84)
        OSRRelease(wgs84);
    ccgis_error(ctx, CCGIS_ERR_INTERNAL, "cannot build the result layer '%s': %s", name,
                ctx->gdal_msg[0] ? ctx->gdal_msg : "GDAL gave no reason");
    return NULL;
}

/* ccgis_geos_to_ogr: see internal.h. */
OGRGeometryH ccgis_geos_to_ogr(ccgis_ctx *ctx, const GEOSGeometry *g)
{
    GEOSWKBWriter *w = GEOSWKBWriter_create_r(ctx->geos);
    if (!w)
        return NULL;
    GEOSWKBWriter_setOutputDimension_r(ctx->geos, w, 2);
    size_t size = 0;
    unsigned char *wkb = GEOSWKBWriter_write_r(ctx->geos, w, g, &size);
    GEOSWKBWriter_destroy_r(ctx->geos, w);
    if (!wkb)
        return NULL;
    OGRGeometryH og = NULL;
    if (OGR_G_CreateFromWkbEx(wkb, NULL, &og, size) != OGRERR_NONE)
        og = NULL;
    GEOSFree_r(ctx->geos, wkb);
    return og;
}

/* ccgis_result_add: see internal.h. */
ccgis_status ccgis_result_add(ccgis_ctx *ctx, OGRLayerH layer, OGRFeatureH src,
                              const GEOSGeometry *g, const ccgis_value *vals, size_t n_vals)
{
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(layer);
    OGRFeatureH f = OGR_F_Create(d);
    if (!f)
        return ccgis_nomem(ctx);
    int n_src = 0;
    if (src) {
        n_src = OGR_F_GetFieldCount(src);
        for (int i = 0; i < n_src; i++)
            if (OGR_F_IsFieldSet(src, i)) {
                if (OGR_F_IsFieldNull(src, i))
                    OGR_F_SetFieldNull(f, i);
                else
                    OGR_F_SetFieldRaw(f, i, OGR_F_GetRawFieldRef(src, i));
            }
    }
    for (size_t k = 0; k < n_vals; k++) {
        int i = n_src + (int)k;
        const ccgis_value *v = &vals[k];
        OGRFieldType t = OGR_Fld_GetType(OGR_FD_GetFieldDefn(d, i));
        if (v->is_null)
            OGR_F_SetFieldNull(f, i);
        else if (t == OFTString)
            OGR_F_SetFieldString(f, i, v->s ? v->s : "");
        else if (t == OFTInteger64 || t == OFTInteger)
            OGR_F_SetFieldInteger64(f, i, v->i);
        else
            OGR_F_SetFieldDouble(f, i, v->d);
    }
    ccgis_status st = CCGIS_OK;
    if (g) {
        OGRGeometryH og = ccgis_geos_to_ogr(ctx, g);
        if (!og) {
            st = ccgis_error(ctx, CCGIS_ERR_INTERNAL, "cannot convert a result geometry to OGR");
            goto done;
        }
        OGR_F_SetGeometryDirectly(f, og);
    }
    if (OGR_L_CreateFeature(layer, f) != OGRERR_NONE)
        st = ccgis_error(ctx, CCGIS_ERR_INTERNAL, "cannot add a feature to the result layer: %s",
                         ctx->gdal_msg);
done:
    OGR_F_Destroy(f);
    return st;
}
