/*
 * convert.c -- clean a legacy layer once (see ccgis/convert.h).
 */
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>

#include "internal.h"

/* An OGR spatial reference for a ccgis CRS, in GIS axis order (OSRRelease). */
static OGRSpatialReferenceH ogr_srs(ccgis_ctx *ctx, const ccgis_crs *crs)
{
    const char *wkt = ccgis_crs_wkt(ctx, crs);
    OGRSpatialReferenceH srs = wkt ? OSRNewSpatialReference(NULL) : NULL;
    if (srs && OSRSetFromUserInput(srs, wkt) != OGRERR_NONE) {
        OSRRelease(srs);
        srs = NULL;
    }
    if (srs)
        OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

/* The geometry g (borrowed) carried through t, as a new OGR geometry with
 * Z kept; NULL when PROJ or GEOS cannot (*why says which). */
static OGRGeometryH transform_ogr(ccgis_ctx *ctx, ccgis_transform *t, OGRGeometryH g,
                                  const char **why)
{
    GEOSGeometry *src = ccgis_geom_to_geos(ctx, g, why); /* linearises curves */
    if (!src)
        return NULL;
    GEOSGeometry *dst = ccgis_transform_geom(ctx, t, src);
    GEOSGeom_destroy_r(ctx->geos, src);
    if (!dst) {
        *why = "PROJ cannot transform its coordinates";
        return NULL;
    }
    OGRGeometryH out = ccgis_geos_to_ogr(ctx, dst);
    GEOSGeom_destroy_r(ctx->geos, dst);
    if (!out)
        *why = "it cannot be converted back from GEOS";
    return out;
}

/* ccgis_convert: see convert.h. */
ccgis_status ccgis_convert(ccgis_ctx *ctx, const ccgis_convert_options *o, void **result,
                           long long *n_features)
{
    GDALDatasetH src = NULL, mem = NULL;
    OGRLayerH in = NULL;
    ccgis_crs *from = NULL, *to = NULL;
    ccgis_transform *t = NULL;
    OGRSpatialReferenceH out_srs = NULL;
    ccgis_text_plan text = {.dec = NULL};
    long long n = 0;
    ccgis_status st;

    *result = NULL;
    ccgis_gdal_begin(ctx);
    if ((st = ccgis_source_open_enc(ctx, o->source, o->encoding, &src)) != CCGIS_OK ||
        (st = ccgis_source_pick_layer(ctx, src, o->source, o->layer, &in)) != CCGIS_OK)
        goto done;
    ccgis_where where = {o->source, OGR_L_GetName(in), -1};
    if (o->srs)
        st = ccgis_crs_from_user(ctx, o->srs, &from);
    else if (OGR_L_GetSpatialRef(in))
        st = ccgis_crs_from_ogr(ctx, OGR_L_GetSpatialRef(in), where, &from);
    if (st != CCGIS_OK)
        goto done;
    if (o->t_srs) {
        if (!from) {
            st = ccgis_error_at(ctx, CCGIS_ERR_CRS_NONE, where,
                                "the layer has no CRS to transform from -- assign one with "
                                "--srs (e.g. vn2000:tm3:105)");
            goto done;
        }
        if ((st = ccgis_crs_from_user(ctx, o->t_srs, &to)) != CCGIS_OK ||
            (st = ccgis_transform_between(ctx, from, to, &t)) != CCGIS_OK)
            goto done;
    }
    if ((st = ccgis_text_plan_make(ctx, src, in, o->encoding, where, &text)) != CCGIS_OK)
        goto done;
    ccgis_text_plan_names(ctx, &text, OGR_L_GetLayerDefn(in)); /* a .dbf's names too */
    const ccgis_crs *crs = to ? to : from;
    if (crs && !(out_srs = ogr_srs(ctx, crs))) {
        st = ccgis_error(ctx, CCGIS_ERR_CRS_BAD, "GDAL cannot take the CRS %s",
                         ccgis_crs_name(crs));
        goto done;
    }

    st = CCGIS_ERR_INTERNAL;
    GDALDriverH drv = GDALGetDriverByName("Memory");
    mem = drv ? GDALCreate(drv, "ccgis", 0, 0, 0, GDT_Unknown, NULL) : NULL;
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(in);
    OGRLayerH out = mem ? GDALDatasetCreateLayer(mem, OGR_L_GetName(in), out_srs,
                                                 OGR_L_GetGeomType(in), NULL)
                        : NULL;
    if (!out) {
        st = ccgis_error(ctx, CCGIS_ERR_INTERNAL, "cannot build the converted layer");
        goto done;
    }
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); i++)
        if (OGR_L_CreateField(out, OGR_FD_GetFieldDefn(defn, i), TRUE) != OGRERR_NONE) {
            st = ccgis_error(ctx, CCGIS_ERR_INTERNAL, "cannot copy the field definitions: %s",
                             ctx->gdal_msg);
            goto done;
        }

    OGRFeatureH f;
    st = CCGIS_OK;
    ctx->gdal_msg[0] = '\0';
    OGR_L_ResetReading(in);
    while (st == CCGIS_OK && (f = OGR_L_GetNextFeature(in)) != NULL) {
        ccgis_where at = where;
        at.fid = (long long)OGR_F_GetFID(f);
        if (ctx->gdal_msg[0]) {
            st = ccgis_error_at(ctx, CCGIS_ERR_READ, at,
                                "GDAL reported an error while reading it: %s -- the file may be "
                                "damaged; repair it or get it again",
                                ctx->gdal_msg);
        } else {
            ccgis_text_plan_apply(ctx, &text, f, at, &st);
        }
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        if (st == CCGIS_OK && t && g && !OGR_G_IsEmpty(g)) {
            const char *why = NULL;
            OGRGeometryH moved = transform_ogr(ctx, t, g, &why);
            if (!moved)
                st = ccgis_error_at(ctx, CCGIS_ERR_TRANSFORM, at,
                                    "cannot be carried to %s: %s -- check its CRS (--srs)",
                                    ccgis_crs_name(to), why ? why : "no reason given");
            else
                OGR_F_SetGeometryDirectly(f, moved);
        }
        if (st == CCGIS_OK) {
            OGRFeatureH copy = OGR_F_Create(OGR_L_GetLayerDefn(out));
            OGR_F_SetFrom(copy, f, TRUE);
            OGR_F_SetFID(copy, OGR_F_GetFID(f));
            if (OGR_L_CreateFeature(out, copy) != OGRERR_NONE)
                st = ccgis_error_at(ctx, CCGIS_ERR_INTERNAL, at, "cannot copy it: %s",
                                    ctx->gdal_msg);
            OGR_F_Destroy(copy);
            n++;
        }
        OGR_F_Destroy(f);
    }
    if (st == CCGIS_OK && ctx->gdal_msg[0])
        st = ccgis_error_at(ctx, CCGIS_ERR_READ, where,
                            "reading stopped after %lld features: %s -- the file may be "
                            "truncated or damaged",
                            n, ctx->gdal_msg);
    if (st == CCGIS_OK) {
        ccgis_msg_at(ctx, CCGIS_INFO, where, "%lld features converted; text read as %s", n,
                     text.label);
        *result = mem;
        mem = NULL;
        if (n_features)
            *n_features = n;
    }
done:
    if (mem)
        GDALClose(mem);
    if (src)
        GDALClose(src);
    if (out_srs)
        OSRRelease(out_srs);
    ccgis_text_plan_clear(&text);
    ccgis_transform_free(t);
    ccgis_crs_free(from);
    ccgis_crs_free(to);
    ccgis_gdal_end(ctx);
    return st;
}
