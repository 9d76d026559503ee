/*
 * info.c -- the facts about a vector source (see ccgis/info.h).
 *
 * ccgis_info() opens the source, then for each layer reads the schema, the
 * CRS and the declared encoding, and scans every feature once: geometry type
 * counts, NULL / empty / invalid counts, the native extent from each
 * geometry's envelope and the WGS 84 extent from each vertex transformed
 * through PROJ.  Reading errors are failures, never silently skipped
 * features.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define DEFAULT_INVALID_EXAMPLES 5

/* Vertices of one geometry, gathered for a batch transformation. */
typedef struct vertex_buf {
    double *x, *y;
    size_t n, cap;
} vertex_buf;

/* GEOSGeom_transformXY_r callback: append (x, y) to the vertex_buf, leave
 * the coordinate unchanged.  Returns 1, or 0 when memory runs out. */
static int collect_vertex(double *x, double *y, void *arg)
{
    vertex_buf *vb = arg;
    if (vb->n == vb->cap) {
        size_t ncap = vb->cap ? vb->cap * 2 : 256;
        double *nx = realloc(vb->x, ncap * sizeof *nx);
        if (!nx)
            return 0;
        vb->x = nx;
        double *ny = realloc(vb->y, ncap * sizeof *ny);
        if (!ny)
            return 0;
        vb->y = ny;
        vb->cap = ncap;
    }
    vb->x[vb->n] = *x;
    vb->y[vb->n] = *y;
    vb->n++;
    return 1;
}

/* Grow `box` (minx, miny, maxx, maxy; *has says whether it holds anything)
 * to cover the n points. */
static void extend_box(double box[4], int *has, size_t n, const double *x, const double *y)
{
    for (size_t i = 0; i < n; i++) {
        if (!*has) {
            box[0] = box[2] = x[i];
            box[1] = box[3] = y[i];
            *has = 1;
            continue;
        }
        box[0] = fmin(box[0], x[i]);
        box[1] = fmin(box[1], y[i]);
        box[2] = fmax(box[2], x[i]);
        box[3] = fmax(box[3], y[i]);
    }
}

/* Count one feature of geometry type `name` in li->geom_types. */
static ccgis_status count_type(ccgis_ctx *ctx, ccgis_layer_info *li, size_t *cap,
                               const char *name)
{
    for (size_t i = 0; i < li->n_geom_types; i++) {
        if (strcmp(li->geom_types[i].name, name) == 0) {
            li->geom_types[i].count++;
            return CCGIS_OK;
        }
    }
    if (!ccgis_grow(ctx, (void **)&li->geom_types, cap, li->n_geom_types, sizeof *li->geom_types))
        return CCGIS_ERR_NOMEM;
    ccgis_geomtype_count *c = &li->geom_types[li->n_geom_types];
    c->name = ccgis_strdup(ctx, name);
    if (!c->name)
        return CCGIS_ERR_NOMEM;
    c->count = 1;
    li->n_geom_types++;
    return CCGIS_OK;
}

/* Fill li->fields from the layer definition. */
static ccgis_status read_fields(ccgis_ctx *ctx, OGRLayerH layer, ccgis_layer_info *li)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int n = OGR_FD_GetFieldCount(defn);
    li->fields = ccgis_calloc(ctx, (size_t)n, sizeof *li->fields);
    if (!li->fields)
        return CCGIS_ERR_NOMEM;
    for (int i = 0; i < n; i++) {
        OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, i);
        ccgis_field_info *f = &li->fields[i];
        li->n_fields++;
        f->name = ccgis_strdup(ctx, OGR_Fld_GetNameRef(fd));
        f->type = ccgis_strdup(ctx, OGR_GetFieldTypeName(OGR_Fld_GetType(fd)));
        if (!f->name || !f->type)
            return CCGIS_ERR_NOMEM;
        f->width = OGR_Fld_GetWidth(fd);
        f->precision = OGR_Fld_GetPrecision(fd);
    }
    return CCGIS_OK;
}

/*
 * Establish the layer's CRS: its own, else the assumed one.  Sets li's CRS
 * members and *to_wgs84 (NULL when there is no CRS or no transformation; a
 * warning then says so).  Returns CCGIS_OK or a failure already recorded.
 */
static ccgis_status read_crs(ccgis_ctx *ctx, OGRLayerH layer, const ccgis_crs *assumed,
                             ccgis_where where, ccgis_layer_info *li,
                             ccgis_transform **to_wgs84)
{
    ccgis_crs *own = NULL;
    const ccgis_crs *crs = assumed;
    ccgis_status st = CCGIS_OK;
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer);

    *to_wgs84 = NULL;
    if (srs) {
        st = ccgis_crs_from_ogr(ctx, srs, where, &own);
        if (st != CCGIS_OK)
            return st;
        crs = own;
    }
    if (!crs) {
        char looks[256], hint[512];
        if (ccgis_looks_vn2000(layer, looks, sizeof looks)) {
            snprintf(hint, sizeof hint, "%s: pass --srs vn2000:tm3:105 (Ha Noi) or the "
                                        "province's zone ('ccgis help crs')",
                     looks);
            li->crs_hint = ccgis_strdup(ctx, hint);
            if (!li->crs_hint)
                return CCGIS_ERR_NOMEM;
        }
        return CCGIS_OK;
    }
    li->crs_assumed = (crs == assumed);
    char fix[48];
    if (crs == own && ccgis_crs_vn2000_suspect(ctx, crs, fix, sizeof fix))
        ccgis_msg_at(ctx, CCGIS_WARNING, where,
                     "its CRS is VN-2000 without the VN-2000 datum shift (a .prj on plain WGS "
                     "84): the WGS 84 extent is about 200 m off -- if the coordinates are "
                     "VN-2000, pass --srs %s",
                     fix);
    li->crs_name = ccgis_strdup(ctx, ccgis_crs_name(crs));
    li->epsg = ccgis_crs_epsg(crs, &li->epsg_confidence);
    li->crs_geographic = ccgis_crs_is_geographic(crs);
    if (!li->crs_name) {
        st = CCGIS_ERR_NOMEM;
        goto done;
    }
    if (ccgis_transform_to_wgs84(ctx, crs, to_wgs84) != CCGIS_OK) {
        ccgis_msg_at(ctx, CCGIS_WARNING, where, "no WGS 84 extent: %s", ccgis_errmsg(ctx));
        ccgis_clear_error(ctx);
    }
done:
    ccgis_crs_free(own);
    return st;
}

/* Work state of one layer scan. */
typedef struct scan {
    ccgis_ctx *ctx;
    ccgis_where where;
    ccgis_layer_info *li;
    size_t types_cap, examples_cap;
    int max_examples;
    ccgis_transform *to_wgs84; /* NULL: no WGS 84 extent */
    vertex_buf vb;
} scan;

/* Record an invalid geometry: count it, keep it as an example if room. */
static ccgis_status note_invalid(scan *s, long long fid, const char *reason, double x, double y)
{
    ccgis_layer_info *li = s->li;
    li->n_invalid++;
    if (li->n_invalid_examples >= (size_t)s->max_examples)
        return CCGIS_OK;
    if (!ccgis_grow(s->ctx, (void **)&li->invalid_examples, &s->examples_cap,
                    li->n_invalid_examples, sizeof *li->invalid_examples))
        return CCGIS_ERR_NOMEM;
    ccgis_invalid_geom *ex = &li->invalid_examples[li->n_invalid_examples];
    ex->fid = fid;
    ex->x = x;
    ex->y = y;
    ex->reason = ccgis_strdup(s->ctx, reason);
    if (!ex->reason)
        return CCGIS_ERR_NOMEM;
    li->n_invalid_examples++;
    return CCGIS_OK;
}

/* Add the WGS 84 position of every vertex of g to the layer's WGS 84 box.  A
 * vertex PROJ cannot transform drops the WGS 84 extent, with a warning. */
static void extend_wgs84(scan *s, const GEOSGeometry *g, long long fid)
{
    ccgis_ctx *ctx = s->ctx;
    s->vb.n = 0;
    GEOSGeometry *copy = GEOSGeom_transformXY_r(ctx->geos, g, collect_vertex, &s->vb);
    if (copy)
        GEOSGeom_destroy_r(ctx->geos, copy);
    ccgis_where at = s->where;
    at.fid = fid;
    if (!copy || ccgis_transform_xy(ctx, s->to_wgs84, s->vb.n, s->vb.x, s->vb.y) != CCGIS_OK) {
        ccgis_msg_at(ctx, CCGIS_WARNING, at,
                     "cannot be placed in WGS 84 (%s); no WGS 84 extent is given for the layer "
                     "-- check that its CRS is right",
                     copy ? ccgis_errmsg(ctx) : "out of memory");
        ccgis_clear_error(ctx);
        s->to_wgs84 = ccgis_transform_free(s->to_wgs84);
        s->li->has_extent_wgs84 = 0;
        return;
    }
    extend_box(s->li->extent_wgs84, &s->li->has_extent_wgs84, s->vb.n, s->vb.x, s->vb.y);
}

/* Take the facts of one feature. */
static ccgis_status scan_feature(scan *s, OGRFeatureH f)
{
    ccgis_ctx *ctx = s->ctx;
    ccgis_layer_info *li = s->li;
    long long fid = (long long)OGR_F_GetFID(f);
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    char name[48];

    li->feature_count++;
    if (!g) {
        li->n_null++;
        return CCGIS_OK;
    }
    ccgis_status st =
        count_type(ctx, li, &s->types_cap, ccgis_geom_type_name(OGR_G_GetGeometryType(g), name,
                                                                sizeof name));
    if (st != CCGIS_OK)
        return st;
    if (OGR_G_IsEmpty(g)) {
        li->n_empty++;
        return CCGIS_OK;
    }

    const char *why = NULL;
    GEOSGeometry *gg = ccgis_geom_to_geos(ctx, g, &why);
    if (!gg)
        return note_invalid(s, fid, why, NAN, NAN);

    double x[2], y[2];
    int has = 1;
    GEOSGeom_getXMin_r(ctx->geos, gg, &x[0]);
    GEOSGeom_getYMin_r(ctx->geos, gg, &y[0]);
    GEOSGeom_getXMax_r(ctx->geos, gg, &x[1]);
    GEOSGeom_getYMax_r(ctx->geos, gg, &y[1]);
    if (isfinite(x[0]) && isfinite(x[1]) && isfinite(y[0]) && isfinite(y[1]))
        extend_box(li->extent, &li->has_extent, 2, x, y);
    else
        has = 0;

    char reason[CCGIS_MSG_MAX];
    double rx, ry;
    int valid = ccgis_geom_check(ctx, gg, reason, sizeof reason, &rx, &ry);
    if (valid != 1)
        st = note_invalid(s, fid, reason, rx, ry);
    if (st == CCGIS_OK && s->to_wgs84 && has)
        extend_wgs84(s, gg, fid);
    GEOSGeom_destroy_r(ctx->geos, gg);
    return st;
}

/* The layer's encoding as every command reads it (ccgis_text_decide), and
 * who says so; when it is ambiguous, what to pass. */
static ccgis_status read_encoding(ccgis_ctx *ctx, GDALDatasetH ds, OGRLayerH layer,
                                  ccgis_layer_info *li)
{
    ccgis_text_decision d;
    ccgis_status st = ccgis_text_decide(ctx, ds, layer, NULL, &d);
    if (st != CCGIS_OK)
        return st;
    char why[512];
    const char *name = ccgis_textcode_name(d.code);
    if (d.code == CCGIS_TEXT_UNKNOWN && d.declared[0]) {
        name = NULL;
        snprintf(why, sizeof why,
                 "declared %s (%s), but the text reads as Vietnamese in "
                 "another encoding and fits several (likeliest %s) -- pass "
                 "encoding= (UTF-8, CP1258, VISCII, TCVN3, VNI)",
                 d.declared, d.source, ccgis_textcode_name(d.best));
    } else if (d.code == CCGIS_TEXT_UNKNOWN) {
        name = NULL;
        snprintf(why, sizeof why, "not declared (no .cpg file, no language driver id), and "
                                  "the text fits several encodings -- pass encoding= (UTF-8, "
                                  "CP1258, VISCII, TCVN3, VNI)");
    } else if (d.overruled) {
        snprintf(why, sizeof why,
                 "declared %s (%s), but the text reads as %s, %d%% "
                 "confidence -- ccgis decodes it so; encoding= overrides",
                 d.declared, d.source, name, d.confidence);
    } else if (d.declared[0]) {
        name = d.declared;
        snprintf(why, sizeof why, "%s", d.source);
    } else {
        snprintf(why, sizeof why,
                 "not declared (no .cpg file, no language driver id); the "
                 "text reads as %s, %d%% confidence -- ccgis decodes it so; "
                 "encoding= overrides",
                 name, d.confidence);
    }
    if (name && !(li->encoding = ccgis_strdup(ctx, name)))
        return CCGIS_ERR_NOMEM;
    li->encoding_source = ccgis_strdup(ctx, why);
    return li->encoding_source ? CCGIS_OK : CCGIS_ERR_NOMEM;
}

/*
 * The coordinates against the CRS (crscheck.c): a mislabel sets li->crs_hint,
 * warns, and leaves the WGS 84 extent out.  A table without geometry gets
 * its x / y columns, their extent, and a hint saying how ccgis reads it.
 * Returns CCGIS_OK or CCGIS_ERR_NOMEM.
 */
static ccgis_status judge_crs(ccgis_ctx *ctx, OGRLayerH layer, scan *s)
{
    ccgis_layer_info *li = s->li;
    char hint[CCGIS_MSG_MAX];
    hint[0] = '\0';
    if (OGR_FD_GetGeomFieldCount(OGR_L_GetLayerDefn(layer)) == 0) {
        OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
        int xi = ccgis_xy_field(ctx, defn, NULL, 0), yi = ccgis_xy_field(ctx, defn, NULL, 1);
        li->is_table = 1;
        if (xi < 0 || yi < 0) {
            snprintf(hint, sizeof hint, "a table without geometry: ccgis reads its rows as "
                                        "points from the columns named with x = and y = in "
                                        "the job file (--x, --y for ccgis near), and their "
                                        "CRS from srs= (--srs)");
        } else {
            li->x_field = ccgis_strdup(ctx, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, xi)));
            li->y_field = ccgis_strdup(ctx, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, yi)));
            if (!li->x_field || !li->y_field)
                return CCGIS_ERR_NOMEM;
            li->has_extent = ccgis_xy_box(layer, xi, yi, li->extent);
            char looks[256];
            double sw[4] = {li->extent[1], li->extent[0], li->extent[3], li->extent[2]};
            if (li->has_extent && ccgis_box_looks_vn2000(li->extent, looks, sizeof looks))
                snprintf(hint, sizeof hint, "a table without geometry, read as points from "
                                            "x = %s and y = %s; %s: give srs= (--srs), e.g. "
                                            "vn2000:tm3:105 (Ha Noi)",
                         li->x_field, li->y_field, looks);
            else if (li->has_extent && ccgis_box_looks_vn2000(sw, looks, sizeof looks))
                snprintf(hint, sizeof hint, "a table without geometry, read as points from "
                                            "x = %s and y = %s; the coordinates look like "
                                            "VN-2000 metres with X and Y exchanged (Vietnamese "
                                            "surveys name the northing X): write x = %s and "
                                            "y = %s, and srs= (--srs), e.g. vn2000:tm3:105",
                         li->x_field, li->y_field, li->y_field, li->x_field);
            else
                snprintf(hint, sizeof hint, "a table without geometry, read as points from "
                                            "x = %s and y = %s (x = / y = in the job file, "
                                            "--x / --y for ccgis near, name others); give "
                                            "their CRS with srs= (--srs): EPSG:4326 for "
                                            "degrees, vn2000:tm3:105 for TM-3 metres",
                         li->x_field, li->y_field);
        }
        if (!li->crs_name) {
            li->crs_hint = ccgis_strdup(ctx, hint);
            return li->crs_hint ? CCGIS_OK : CCGIS_ERR_NOMEM;
        }
        hint[0] = '\0';
    }
    if (!li->crs_name || !li->has_extent)
        return CCGIS_OK;
    if (ccgis_crs_check(ctx, li->crs_name, li->crs_geographic, s->to_wgs84, li->extent,
                        li->x_field, li->y_field, hint, sizeof hint) == CCGIS_CRS_FITS)
        return CCGIS_OK;
    ccgis_msg_at(ctx, CCGIS_WARNING, s->where, "%s", hint);
    li->has_extent_wgs84 = 0;
    free(li->crs_hint);
    li->crs_hint = ccgis_strdup(ctx, hint);
    return li->crs_hint ? CCGIS_OK : CCGIS_ERR_NOMEM;
}

/* Describe one layer into li.  Progress runs from base to base + span. */
static ccgis_status layer_info(ccgis_ctx *ctx, const char *source, OGRLayerH layer,
                               GDALDatasetH ds, const ccgis_crs *assumed, int max_examples,
                               ccgis_progress_fn progress, void *parg, double base, double span,
                               ccgis_layer_info *li)
{
    char name[48];
    scan s = {.ctx = ctx, .li = li, .max_examples = max_examples};
    ccgis_status st;

    li->name = ccgis_strdup(ctx, OGR_L_GetName(layer));
    li->declared_geom_type =
        ccgis_strdup(ctx, ccgis_geom_type_name(OGR_L_GetGeomType(layer), name, sizeof name));
    if (!li->name || !li->declared_geom_type)
        return CCGIS_ERR_NOMEM;
    s.where = (ccgis_where){source, li->name, -1};

    /* Field names as every other command reads them: a legacy .dbf's names
     * are in its code page too (encoding.c, ccgis_text_plan_names). */
    ccgis_text_plan names = {.dec = NULL};
    if ((st = ccgis_text_plan_make(ctx, ds, layer, NULL, s.where, &names)) == CCGIS_OK)
        ccgis_text_plan_names(ctx, &names, OGR_L_GetLayerDefn(layer));
    ccgis_text_plan_clear(&names);
    if (st != CCGIS_OK && st != CCGIS_ERR_NOMEM)
        ccgis_clear_error(ctx); /* undecided: read_encoding() says why */
    else if (st != CCGIS_OK)
        return st;
    if ((st = read_fields(ctx, layer, li)) != CCGIS_OK)
        return st;
    if ((st = read_encoding(ctx, ds, layer, li)) != CCGIS_OK)
        return st;
    if ((st = read_crs(ctx, layer, assumed, s.where, li, &s.to_wgs84)) != CCGIS_OK)
        return st;

    GIntBig total = OGR_L_GetFeatureCount(layer, FALSE);
    OGRFeatureH f;
    ctx->gdal_msg[0] = '\0';
    OGR_L_ResetReading(layer);
    while ((f = OGR_L_GetNextFeature(layer)) != NULL) {
        st = scan_feature(&s, f);
        long long fid = (long long)OGR_F_GetFID(f);
        OGR_F_Destroy(f);
        if (st != CCGIS_OK)
            goto done;
        if (ctx->gdal_msg[0]) {
            ccgis_where at = s.where;
            at.fid = fid;
            st = ccgis_error_at(ctx, CCGIS_ERR_READ, at,
                                "GDAL reported an error while reading it: %s -- the file may be "
                                "damaged; repair it (e.g. ogr2ogr -skipfailures) or get it again",
                                ctx->gdal_msg);
            goto done;
        }
        if (progress && (li->feature_count & 1023) == 0 && total > 0) {
            double frac = (double)li->feature_count / (double)total;
            if (!progress(base + span * fmin(frac, 1.0), li->name, parg)) {
                st = ccgis_error(ctx, CCGIS_ERR_CANCELLED, "cancelled by the caller");
                goto done;
            }
        }
    }
    if (ctx->gdal_msg[0]) {
        st = ccgis_error_at(ctx, CCGIS_ERR_READ, s.where,
                            "reading stopped after %lld features: %s -- the file may be "
                            "truncated or damaged; repair it or get it again",
                            li->feature_count, ctx->gdal_msg);
        goto done;
    }
    if (!s.to_wgs84)
        li->has_extent_wgs84 = 0;
    st = judge_crs(ctx, layer, &s);
done:
    ccgis_transform_free(s.to_wgs84);
    free(s.vb.x);
    free(s.vb.y);
    return st;
}

/* ccgis_info: see info.h. */
ccgis_status ccgis_info(ccgis_ctx *ctx, const char *source, const ccgis_info_options *options,
                        ccgis_progress_fn progress, void *progress_arg, ccgis_source_info **out)
{
    static const ccgis_info_options defaults = {NULL, NULL, 0};
    const ccgis_info_options *o = options ? options : &defaults;
    int max_examples = o->max_invalid_examples > 0 ? o->max_invalid_examples
                                                   : DEFAULT_INVALID_EXAMPLES;
    GDALDatasetH ds = NULL;
    ccgis_crs *assumed = NULL;
    ccgis_source_info *info = NULL;
    ccgis_status st;

    *out = NULL;
    ccgis_gdal_begin(ctx);
    if (o->srs && (st = ccgis_crs_from_user(ctx, o->srs, &assumed)) != CCGIS_OK)
        goto done;
    if ((st = ccgis_source_open(ctx, source, &ds)) != CCGIS_OK)
        goto done;

    OGRLayerH only = NULL;
    if (o->layer && (st = ccgis_source_layer(ctx, ds, source, o->layer, &only)) != CCGIS_OK)
        goto done;
    int n = only ? 1 : GDALDatasetGetLayerCount(ds);

    st = CCGIS_ERR_NOMEM;
    info = ccgis_calloc(ctx, 1, sizeof *info);
    if (!info)
        goto done;
    info->source = ccgis_strdup(ctx, source);
    info->driver = ccgis_strdup(ctx, GDALGetDriverShortName(GDALGetDatasetDriver(ds)));
    info->layers = ccgis_calloc(ctx, (size_t)n, sizeof *info->layers);
    if (!info->source || !info->driver || !info->layers)
        goto done;

    for (int i = 0; i < n; i++) {
        OGRLayerH layer = only ? only : GDALDatasetGetLayer(ds, i);
        info->n_layers++;
        st = layer_info(ctx, source, layer, ds, assumed, max_examples, progress, progress_arg,
                        (double)i / n, 1.0 / n, &info->layers[i]);
        if (st != CCGIS_OK)
            goto done;
    }
    if (progress)
        progress(1.0, NULL, progress_arg);
    st = CCGIS_OK;
    *out = info;
    info = NULL;

done:
    if (st == CCGIS_ERR_NOMEM && ccgis_errcode(ctx) != CCGIS_ERR_NOMEM)
        ccgis_nomem(ctx);
    ccgis_source_info_free(info);
    if (ds)
        GDALClose(ds);
    ccgis_crs_free(assumed);
    ccgis_gdal_end(ctx);
    return st;
}

/* Release everything one layer description owns (not li itself). */
static void layer_info_clear(ccgis_layer_info *li)
{
    free(li->name);
    free(li->declared_geom_type);
    for (size_t i = 0; i < li->n_geom_types; i++)
        free(li->geom_types[i].name);
    free(li->geom_types);
    free(li->crs_name);
    free(li->crs_hint);
    free(li->x_field);
    free(li->y_field);
    for (size_t i = 0; i < li->n_fields; i++) {
        free(li->fields[i].name);
        free(li->fields[i].type);
    }
    free(li->fields);
    for (size_t i = 0; i < li->n_invalid_examples; i++)
        free(li->invalid_examples[i].reason);
    free(li->invalid_examples);
    free(li->encoding);
    free(li->encoding_source);
}

/* ccgis_source_info_free: see info.h. */
ccgis_source_info *ccgis_source_info_free(ccgis_source_info *info)
{
    if (!info)
        return NULL;
    for (size_t i = 0; i < info->n_layers; i++)
        layer_info_clear(&info->layers[i]);
    free(info->layers);
    free(info->source);
    free(info->driver);
    free(info);
    return NULL;
}
