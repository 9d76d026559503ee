/*
 * result.c -- building result layers in a GDAL in-memory dataset.
 *
 * Every ccgis command produces its results as layers of one in-memory
 * dataset (GDAL's "Memory" driver): WGS 84 lon/lat geometries (EPSG:4326 in
 * GIS axis order), the source layer's attribute fields first, then the
 * computed ones.  write.c then writes the dataset in any GDAL format.
 *
 * Field names are kept to 10 characters so that every output format,
 * Shapefile included, has the same schema: a longer source field name is
 * cut to 10 characters (made unique with a digit), and a source field whose
 * name is taken by a computed column is kept as "s_<name>".  Each renaming is
 * reported at CCGIS_INFO.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <cpl_conv.h>

#include "internal.h"

#define MAX_FIELD_NAME 10

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

/* The output name of a source field, at most 10 characters, unique in the
 * layer and not one of the computed columns; written to buf (11 bytes). */
static void source_field_name(OGRLayerH layer, const char *name, const ccgis_field_spec *extra,
                              size_t n_extra, char buf[MAX_FIELD_NAME + 1])
{
    if (is_extra(name, extra, n_extra))
        snprintf(buf, MAX_FIELD_NAME + 1, "s_%s", name);
    else
        snprintf(buf, MAX_FIELD_NAME + 1, "%s", name);
    for (int k = 1; (has_field(layer, buf) || is_extra(buf, extra, n_extra)) && k < 100; k++) {
        char suffix[4];
        int sl = snprintf(suffix, sizeof suffix, "%d", k);
        size_t keep = strlen(buf) > (size_t)(MAX_FIELD_NAME - sl) ? (size_t)(MAX_FIELD_NAME - sl)
                                                                  : strlen(buf);
        memcpy(buf + keep, suffix, (size_t)sl + 1);
    }
}

/* ccgis_result_layer: see internal.h. */
OGRLayerH ccgis_result_layer(ccgis_ctx *ctx, GDALDatasetH ds, const char *name,
                             OGRwkbGeometryType gtype, OGRFeatureDefnH src,
                             const ccgis_field_spec *extra, size_t n_extra)
{
    OGRSpatialReferenceH wgs84 = OSRNewSpatialReference(NULL);
    OGRLayerH layer = NULL;
    if (!wgs84 || OSRImportFromEPSG(wgs84, 4326) != OGRERR_NONE)
        goto fail;
    OSRSetAxisMappingStrategy(wgs84, OAMS_TRADITIONAL_GIS_ORDER);
    layer = GDALDatasetCreateLayer(ds, name, gtype == wkbNone ? NULL : wgs84, gtype, NULL);
    OSRRelease(wgs84);
    wgs84 = NULL;
    if (!layer)
        goto fail;

    for (int i = 0; src && i < OGR_FD_GetFieldCount(src); i++) {
        OGRFieldDefnH sf = OGR_FD_GetFieldDefn(src, i);
        char out[MAX_FIELD_NAME + 1];
        source_field_name(layer, OGR_Fld_GetNameRef(sf), extra, n_extra, out);
        if (strcmp(out, OGR_Fld_GetNameRef(sf)) != 0)
            ccgis_msg(ctx, CCGIS_INFO, "layer %s: source field '%s' is written as '%s'", name,
                      OGR_Fld_GetNameRef(sf), out);
        OGRFieldDefnH fd = OGR_Fld_Create(out, OGR_Fld_GetType(sf));
        OGR_Fld_SetSubType(fd, OGR_Fld_GetSubType(sf));
        OGR_Fld_SetWidth(fd, OGR_Fld_GetWidth(sf));
        OGR_Fld_SetPrecision(fd, OGR_Fld_GetPrecision(sf));
        OGRErr e = OGR_L_CreateField(layer, fd, TRUE);
        OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE)
            goto fail;
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
