/*
 * style.c -- default QGIS styles for the layers a job writes.
 *
 * QGIS (3.22, checked) loads a layer's default style from:
 *   - a sidecar <layer>.qml beside a Shapefile or GeoJSON (one serves both);
 *   - the layer_styles table of a GeoPackage (row with f_table_schema '' and
 *     f_geometry_column 'geom'), or of a SpatiaLite file (one row for GDAL's
 *     reader, geometry column "GEOMETRY", and one for QGIS's own SpatiaLite
 *     provider, "geometry").
 * The styles themselves are src/styles/<layer>.qml, compiled in (styles.h).
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "styles.h"

/* The style of a layer, or NULL. */
static const char *style_of(const char *layer)
{
    for (size_t i = 0; i < ccgis_nstyles; i++)
        if (strcmp(ccgis_styles[i].layer, layer) == 0)
            return ccgis_styles[i].qml;
    return NULL;
}

/* ccgis_style_sidecar: see internal.h. */
ccgis_status ccgis_style_sidecar(ccgis_ctx *ctx, const char *dir, const char *layer)
{
    const char *qml = style_of(layer);
    if (!qml)
        return CCGIS_OK;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.qml", dir, layer);
    FILE *f = fopen(path, "w");
    if (!f)
        return ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s: cannot be written -- check the folder",
                           path);
    size_t n = strlen(qml);
    int bad = fwrite(qml, 1, n, f) != n;
    bad |= fclose(f) != 0;
    if (bad)
        return ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                           "%s: could not be written completely -- check free space", path);
    return CCGIS_OK;
}

/* Add one layer_styles row. */
static ccgis_status add_row(ccgis_ctx *ctx, OGRLayerH styles, const char *catalog,
                            const char *schema, const char *table, const char *column,
                            const char *qml)
{
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(styles));
    if (!f)
        return ccgis_nomem(ctx);
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(styles);
    const struct {
        const char *field, *value;
    } text[] = {{"f_table_catalog", catalog}, {"f_table_schema", schema},
                {"f_table_name", table},      {"f_geometry_column", column},
                {"styleName", table},         {"styleQML", qml},
                {"styleSLD", ""},             {"description", "ccgis default style"},
                {"owner", ""}};
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
        int k = OGR_FD_GetFieldIndex(d, text[i].field);
        if (k >= 0 && text[i].value)
            OGR_F_SetFieldString(f, k, text[i].value);
    }
    OGR_F_SetFieldInteger(f, OGR_FD_GetFieldIndex(d, "useAsDefault"), 1);
    ccgis_status st = CCGIS_OK;
    if (OGR_L_CreateFeature(styles, f) != OGRERR_NONE)
        st = ccgis_error(ctx, CCGIS_ERR_OUTPUT, "cannot record the style of %s: %s", table,
                         ctx->gdal_msg);
    OGR_F_Destroy(f);
    return st;
}

/* ccgis_style_database: see internal.h. */
ccgis_status ccgis_style_database(ccgis_ctx *ctx, const char *path, int spatialite)
{
    static const struct {
        const char *name;
        OGRFieldType type;
        int width;
    } fields[] = {{"f_table_catalog", OFTString, 256}, {"f_table_schema", OFTString, 256},
                  {"f_table_name", OFTString, 256},    {"f_geometry_column", OFTString, 256},
                  {"styleName", OFTString, 30},        {"styleQML", OFTString, 0},
                  {"styleSLD", OFTString, 0},          {"useAsDefault", OFTInteger, 0},
                  {"description", OFTString, 0},       {"owner", OFTString, 30},
                  {"ui", OFTString, 30},               {"update_time", OFTDateTime, 0}};
    ccgis_status st = CCGIS_OK;
    ccgis_gdal_begin(ctx);
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_UPDATE, NULL, NULL, NULL);
    const char *opts[] = {"FID=id", NULL};
    OGRLayerH styles = ds ? GDALDatasetCreateLayer(ds, "layer_styles", NULL, wkbNone,
                                                   (char **)opts)
                          : NULL;
    if (!styles) {
        st = ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s: cannot add the QGIS styles: %s", path,
                         ctx->gdal_msg[0] ? ctx->gdal_msg : "GDAL gave no reason");
        goto done;
    }
    for (size_t i = 0; i < sizeof fields / sizeof fields[0] && st == CCGIS_OK; i++) {
        OGRFieldDefnH fd = OGR_Fld_Create(fields[i].name, fields[i].type);
        OGR_Fld_SetWidth(fd, fields[i].width);
        if (fields[i].type == OFTInteger)
            OGR_Fld_SetSubType(fd, OFSTBoolean);
        if (OGR_L_CreateField(styles, fd, TRUE) != OGRERR_NONE)
            st = ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s: cannot add the QGIS styles: %s", path,
                             ctx->gdal_msg);
        OGR_Fld_Destroy(fd);
    }
    int in_tx = st == CCGIS_OK && OGR_L_StartTransaction(styles) == OGRERR_NONE;
    for (size_t i = 0; i < ccgis_nstyles && st == CCGIS_OK; i++) {
        const char *layer = ccgis_styles[i].layer;
        if (!GDALDatasetGetLayerByName(ds, layer))
            continue; /* not part of this job */
        if (spatialite) {
            st = add_row(ctx, styles, "", "", layer, "GEOMETRY", ccgis_styles[i].qml);
            if (st == CCGIS_OK)
                st = add_row(ctx, styles, NULL, NULL, layer, "geometry", ccgis_styles[i].qml);
        } else {
            st = add_row(ctx, styles, "", "", layer, "geom", ccgis_styles[i].qml);
        }
    }
    if (in_tx && OGR_L_CommitTransaction(styles) != OGRERR_NONE && st == CCGIS_OK)
        st = ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s: cannot add the QGIS styles: %s", path,
                         ctx->gdal_msg);
done:
    if (ds)
        GDALClose(ds);
    if (st == CCGIS_OK && ctx->gdal_msg[0])
        st = ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s: cannot add the QGIS styles: %s", path,
                         ctx->gdal_msg);
    ccgis_gdal_end(ctx);
    return st;
}
