/*
 * style.c -- the default QGIS styles of the layers a job writes.
 *
 * QGIS (3.22, checked) loads a layer's default style from:
 *   - a sidecar <layer>.qml beside a Shapefile or GeoJSON (one serves both);
 *   - the layer_styles table of a GeoPackage (row with f_table_schema '' and
 *     f_geometry_column 'geom'), or of a SpatiaLite file (one row for GDAL's
 *     reader, geometry column "GEOMETRY", and one for QGIS's own SpatiaLite
 *     provider, "geometry").
 * Each style is made for the job (qml.c): the bundled look of the layer with
 * its labels on the job's own field, the job's conflict classes and field
 * aliases.  The field names are read back from the files written, so the
 * style names each field as that file does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "styles.h"

/* 1 if a bundled style exists for the layer. */
static int has_style(const char *layer)
{
    for (size_t i = 0; i < ccgis_nstyles; i++)
        if (strcmp(ccgis_styles[i].layer, layer) == 0)
            return 1;
    return 0;
}

/* The field names of an OGR layer, borrowed from its definition (valid while
 * the layer's dataset is open): a new array (free), or NULL with *n = 0. */
static const char **field_names(ccgis_ctx *ctx, OGRLayerH l, size_t *n)
{
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
    int count = OGR_FD_GetFieldCount(d);
    *n = 0;
    const char **names = ccgis_calloc(ctx, (size_t)count + 1, sizeof *names);
    if (!names)
        return NULL;
    for (int i = 0; i < count; i++)
        names[i] = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, i));
    *n = (size_t)count;
    return names;
}

/*
 * The QML of layer `l` as written with the field names `names` (n of them):
 * its label is `names[l->label]` when there is one.  `label_expr`, when not
 * NULL, replaces that field by a QGIS expression.  Returns a new string
 * (free) or NULL (recorded).
 */
static char *make_qml(ccgis_ctx *ctx, const ccgis_style_job *job, const ccgis_style_layer *l,
                      const char *const *names, size_t n, const char *label_expr)
{
    ccgis_qml_spec s = {.layer = l->layer,
                        .fields = names,
                        .n_fields = n,
                        .n_source = l->n_source < n ? l->n_source : n,
                        .breaks = job->breaks,
                        .n_breaks = job->n_breaks,
                        .lang = job->lang};
    if (l->label == CCGIS_STYLE_KEEP_LABEL) {
        s.label = CCGIS_QML_LABEL_KEEP;
    } else if (label_expr) {
        s.label = CCGIS_QML_LABEL_EXPRESSION;
        s.label_text = label_expr;
    } else if (l->label >= 0 && (size_t)l->label < n) {
        s.label = CCGIS_QML_LABEL_FIELD;
        s.label_text = names[l->label];
    } else {
        s.label = CCGIS_QML_LABEL_NONE;
    }
    return ccgis_style_qml(ctx, &s);
}

/* ccgis_style_written_qml: see internal.h. */
char *ccgis_style_written_qml(ccgis_ctx *ctx, const ccgis_style_job *job,
                              const ccgis_style_layer *l, OGRLayerH written)
{
    size_t n = 0;
    const char **names = field_names(ctx, written, &n);
    char *qml = names ? make_qml(ctx, job, l, names, n, NULL) : NULL;
    free(names);
    return qml;
}

/* Open <dir>/<layer>.<ext> if it was written; NULL if not. */
static GDALDatasetH open_written(const char *dir, const char *layer, const char *ext)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.%s", dir, layer, ext);
    if (access(path, F_OK) != 0)
        return NULL;
    return GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
}

/*
 * The sidecar's QML: one file serves <layer>.shp and <layer>.geojson, so
 * when the two name the label field differently (the Shapefile's names are
 * shorter) the label is the expression coalesce(attribute(@feature, 'A'),
 * attribute(@feature, 'B')), which finds whichever the file has.
 */
static char *sidecar_qml(ccgis_ctx *ctx, const char *dir, const ccgis_style_job *job,
                         const ccgis_style_layer *l)
{
    GDALDatasetH ds[2] = {open_written(dir, l->layer, "geojson"),
                          open_written(dir, l->layer, "shp")};
    const char **names[2] = {NULL, NULL};
    size_t n[2] = {0, 0};
    char *qml = NULL, *qa = NULL, *qb = NULL, *expr = NULL;
    for (int i = 0; i < 2; i++) {
        OGRLayerH ol = ds[i] ? GDALDatasetGetLayer(ds[i], 0) : NULL;
        if (ol && !(names[i] = field_names(ctx, ol, &n[i])))
            goto done;
    }
    int a = names[0] ? 0 : 1; /* the file whose names the aliases use */
    if (!names[a]) {
        ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s/%s: the layer written cannot be read back",
                    dir, l->layer);
        goto done;
    }
    if (names[0] && names[1] && l->label >= 0 && (size_t)l->label < n[0] &&
        (size_t)l->label < n[1] && strcmp(names[0][l->label], names[1][l->label]) != 0) {
        qa = ccgis_qgis_quote_string(ctx, names[0][l->label]);
        qb = ccgis_qgis_quote_string(ctx, names[1][l->label]);
        size_t len = (qa && qb) ? strlen(qa) + strlen(qb) + 64 : 0;
        expr = len ? ccgis_calloc(ctx, len, 1) : NULL;
        if (!expr)
            goto done;
        snprintf(expr, len, "coalesce(attribute(@feature, %s), attribute(@feature, %s))", qa,
                 qb);
    }
    qml = make_qml(ctx, job, l, names[a], n[a], expr);
done:
    for (int i = 0; i < 2; i++) {
        free(names[i]);
        if (ds[i])
            GDALClose(ds[i]);
    }
    free(qa);
    free(qb);
    free(expr);
    return qml;
}

/* ccgis_style_sidecar: see internal.h. */
ccgis_status ccgis_style_sidecar(ccgis_ctx *ctx, const char *dir, const ccgis_style_job *job,
                                 const ccgis_style_layer *l)
{
    if (!has_style(l->layer))
        return CCGIS_OK;
    ccgis_gdal_begin(ctx);
    char *qml = sidecar_qml(ctx, dir, job, l);
    ccgis_gdal_end(ctx);
    if (!qml)
        return ccgis_errcode(ctx);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.qml", dir, l->layer);
    FILE *f = fopen(path, "w");
    if (!f) {
        free(qml);
        return ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s: cannot be written -- check the folder",
                           path);
    }
    size_t n = strlen(qml);
    int bad = fwrite(qml, 1, n, f) != n;
    bad |= fclose(f) != 0;
    free(qml);
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
ccgis_status ccgis_style_database(ccgis_ctx *ctx, const char *path, int spatialite,
                                  const ccgis_style_job *job, const ccgis_style_layer *layers,
                                  size_t n_layers)
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
    for (size_t i = 0; i < n_layers && st == CCGIS_OK; i++) {
        const char *layer = layers[i].layer;
        OGRLayerH written = has_style(layer) ? GDALDatasetGetLayerByName(ds, layer) : NULL;
        if (!written)
            continue; /* not part of this job */
        char *qml = ccgis_style_written_qml(ctx, job, &layers[i], written);
        if (!qml) {
            st = ccgis_errcode(ctx);
            break;
        }
        if (spatialite) {
            st = add_row(ctx, styles, "", "", layer, "GEOMETRY", qml);
            if (st == CCGIS_OK)
                st = add_row(ctx, styles, NULL, NULL, layer, "geometry", qml);
        } else {
            st = add_row(ctx, styles, "", "", layer, "geom", qml);
        }
        free(qml);
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
