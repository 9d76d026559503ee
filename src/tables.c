/*
 * tables.c -- the engine's results as layers (see ccgis/tables.h).
 *
 * Every function follows one pattern: a new result dataset, one layer with
 * the source fields (where there is a source) and the computed columns, one
 * feature per row, and on failure nothing returned.
 */
#include <math.h>
#include <stdlib.h>

#include "internal.h"

/* ccgis_table_new: see internal.h. */
GDALDatasetH ccgis_table_new(ccgis_ctx *ctx, const char *name, OGRwkbGeometryType gt,
                              const ccgis_layer *src, const ccgis_field_spec *cols, size_t n,
                              OGRLayerH *layer)
{
    GDALDatasetH ds = ccgis_result_dataset(ctx);
    if (!ds)
        return NULL;
    *layer = ccgis_result_layer(ctx, ds, name, gt, src, cols, n);
    if (!*layer) {
        GDALClose(ds);
        return NULL;
    }
    return ds;
}

/* ccgis_table_add_poly: see internal.h. */
ccgis_status ccgis_table_add_poly(ccgis_ctx *ctx, OGRLayerH l, OGRFeatureH src, const GEOSGeometry *g,
                             const ccgis_value *v, size_t n)
{
    GEOSGeometry *m = g ? ccgis_geom_multi(ctx, g) : NULL;
    if (g && !m)
        return ccgis_nomem(ctx);
    ccgis_status st = ccgis_result_add(ctx, l, src, m, v, n);
    if (m)
        GEOSGeom_destroy_r(ctx->geos, m);
    return st;
}

/* ccgis_table_finish: see internal.h. */
ccgis_status ccgis_table_finish(ccgis_status st, GDALDatasetH ds, void **out)
{
    if (st == CCGIS_OK)
        *out = ds;
    else
        GDALClose(ds);
    return st;
}

/* ccgis_overlay_table: see tables.h. */
ccgis_status ccgis_overlay_table(ccgis_ctx *ctx, const ccgis_layer *input,
                                 const ccgis_overlay_result *r, void **out)
{
    static const ccgis_field_spec cols[] = {
        {"area_ha", CCGIS_F_REAL, 0, 0},   {"allow_ha", CCGIS_F_REAL, 0, 0},
        {"confl_ha", CCGIS_F_REAL, 0, 0},  {"mixed_ha", CCGIS_F_REAL, 0, 0},
        {"nozone_ha", CCGIS_F_REAL, 0, 0}, {"confl_pct", CCGIS_F_REAL, 0, 0},
        {"confl_top", CCGIS_F_STRING, 0, 0},
    };
    OGRLayerH l;
    *out = NULL;
    GDALDatasetH ds = ccgis_table_new(ctx, input->name, wkbMultiPolygon, input, cols, 7, &l);
    if (!ds)
        return ccgis_errcode(ctx);
    ccgis_status st = CCGIS_OK;
    for (size_t i = 0; i < input->n && st == CCGIS_OK; i++) {
        double a = r->area_m2[i];
        ccgis_value v[7] = {CCGIS_VREAL(a / 1e4),
                            CCGIS_VREAL(r->allowed_m2[i] / 1e4),
                            CCGIS_VREAL(r->conflict_m2[i] / 1e4),
                            CCGIS_VREAL(r->mixed_m2[i] / 1e4),
                            CCGIS_VREAL(r->nozone_m2[i] / 1e4),
                            CCGIS_VREAL(ccgis_pct(r->conflict_m2[i], a)),
                            CCGIS_VSTR(r->conflict_top[i] ? r->conflict_top[i] : "")};
        st = ccgis_table_add_poly(ctx, l, input->f[i].attrs, input->f[i].geom, v, 7);
    }
    return ccgis_table_finish(st, ds, out);
}

/* ccgis_pieces_table: see tables.h. */
ccgis_status ccgis_pieces_table(ccgis_ctx *ctx, const ccgis_layer *input,
                                const ccgis_overlay_result *r, const char *name,
                                const char *id_col, void **out)
{
    const ccgis_field_spec cols[] = {
        {id_col, CCGIS_F_STRING, 0, 0},    {"class", CCGIS_F_STRING, 0, 0},
        {"area_m2", CCGIS_F_REAL, 0, 0},   {"area_ha", CCGIS_F_REAL, 0, 0},
        {"share_pct", CCGIS_F_REAL, 0, 0}, {"allowed", CCGIS_F_INT, 0, 0},
        {"n_zones", CCGIS_F_INT, 0, 0},
    };
    OGRLayerH l;
    *out = NULL;
    GDALDatasetH ds = ccgis_table_new(ctx, name, wkbMultiPolygon, NULL, cols, 7, &l);
    if (!ds)
        return ccgis_errcode(ctx);
    ccgis_status st = CCGIS_OK;
    for (size_t k = 0; k < r->n_pieces && st == CCGIS_OK; k++) {
        const ccgis_overlay_piece *p = &r->pieces[k];
        double a = r->area_m2[p->input];
        ccgis_value v[7] = {CCGIS_VSTR(input->f[p->input].key), CCGIS_VSTR(p->klass),
                            CCGIS_VREAL(p->area_m2),            CCGIS_VREAL(p->area_m2 / 1e4),
                            CCGIS_VREAL(ccgis_pct(p->area_m2, a)),
                            CCGIS_VINT(p->allowed),             CCGIS_VINT(p->n_zones)};
        st = ccgis_table_add_poly(ctx, l, NULL, p->geom, v, 7);
    }
    return ccgis_table_finish(st, ds, out);
}

/* ccgis_assign_table: see tables.h. */
ccgis_status ccgis_assign_table(ccgis_ctx *ctx, const ccgis_layer *input,
                                const ccgis_assign_result *r, void **out)
{
    static const ccgis_field_spec cols[] = {
        {"zone", CCGIS_F_STRING, 0, 0},
        {"zone_pct", CCGIS_F_REAL, 0, 0},
        {"n_zones", CCGIS_F_INT, 0, 0},
    };
    OGRLayerH l;
    *out = NULL;
    GDALDatasetH ds = ccgis_table_new(ctx, input->name, wkbMultiPolygon, input, cols, 3, &l);
    if (!ds)
        return ccgis_errcode(ctx);
    ccgis_status st = CCGIS_OK;
    for (size_t i = 0; i < input->n && st == CCGIS_OK; i++) {
        ccgis_value v[3] = {CCGIS_VSTR(r->zone[i]), CCGIS_VREAL(r->share_pct[i]),
                            CCGIS_VINT(r->n_zones[i])};
        st = ccgis_table_add_poly(ctx, l, input->f[i].attrs, input->f[i].geom, v, 3);
    }
    return ccgis_table_finish(st, ds, out);
}

/* ccgis_near_points_table: see tables.h. */
ccgis_status ccgis_near_points_table(ccgis_ctx *ctx, const ccgis_layer *points,
                                     const ccgis_layer *targets, const ccgis_near_result *r,
                                     void **out)
{
    static const ccgis_field_spec cols[] = {
        {"near_id", CCGIS_F_STRING, 0, 0},
        {"near_m", CCGIS_F_REAL, 0, 0},
        {"within", CCGIS_F_INT, 0, 0},
    };
    OGRLayerH l;
    *out = NULL;
    GDALDatasetH ds = ccgis_table_new(ctx, points->name, wkbPoint, points, cols, 3, &l);
    if (!ds)
        return ccgis_errcode(ctx);
    ccgis_status st = CCGIS_OK;
    for (size_t i = 0; i < points->n && st == CCGIS_OK; i++) {
        int has = r->nearest[i] < targets->n;
        ccgis_value v[3] = {has ? CCGIS_VSTR(targets->f[r->nearest[i]].key) : CCGIS_VNULL,
                            has ? CCGIS_VREAL(r->dist_m[i]) : CCGIS_VNULL,
                            CCGIS_VINT(r->within[i])};
        st = ccgis_result_add(ctx, l, points->f[i].attrs, points->f[i].geom, v, 3);
    }
    return ccgis_table_finish(st, ds, out);
}

/* ccgis_near_targets_table: see tables.h. */
ccgis_status ccgis_near_targets_table(ccgis_ctx *ctx, const ccgis_layer *targets,
                                      const ccgis_near_result *r, void **out)
{
    static const ccgis_field_spec cols[] = {{"n_within", CCGIS_F_INT, 0, 0}};
    OGRLayerH l;
    *out = NULL;
    GDALDatasetH ds = ccgis_table_new(ctx, targets->name, wkbMultiPolygon, targets, cols, 1, &l);
    if (!ds)
        return ccgis_errcode(ctx);
    ccgis_status st = CCGIS_OK;
    for (size_t t = 0; t < targets->n && st == CCGIS_OK; t++) {
        ccgis_value v[1] = {CCGIS_VINT(r->n_within[t])};
        st = ccgis_table_add_poly(ctx, l, targets->f[t].attrs, targets->f[t].geom, v, 1);
    }
    return ccgis_table_finish(st, ds, out);
}

/* ccgis_findings_table: see tables.h. */
ccgis_status ccgis_findings_table(ccgis_ctx *ctx, const ccgis_findings *findings, void **out)
{
    static const ccgis_field_spec cols[] = {
        {"kind", CCGIS_F_STRING, 0, 0},   {"layer", CCGIS_F_STRING, 0, 0},
        {"subject", CCGIS_F_STRING, 0, 0}, {"other", CCGIS_F_STRING, 0, 0},
        {"area_ha", CCGIS_F_REAL, 0, 0},  {"detail", CCGIS_F_STRING, 0, 0},
    };
    OGRLayerH l;
    *out = NULL;
    GDALDatasetH ds = ccgis_table_new(ctx, "findings", wkbMultiPolygon, NULL, cols, 6, &l);
    if (!ds)
        return ccgis_errcode(ctx);
    ccgis_status st = CCGIS_OK;
    for (size_t i = 0; i < findings->n && st == CCGIS_OK; i++) {
        const ccgis_finding *f = &findings->items[i];
        ccgis_value v[6] = {CCGIS_VSTR(ccgis_finding_kind_name(f->kind)),
                            CCGIS_VSTR(f->layer ? f->layer : ""),
                            CCGIS_VSTR(f->subject ? f->subject : ""),
                            CCGIS_VSTR(f->other ? f->other : ""),
                            isnan(f->area_m2) ? CCGIS_VNULL : CCGIS_VREAL(f->area_m2 / 1e4),
                            CCGIS_VSTR(f->detail)};
        st = ccgis_table_add_poly(ctx, l, NULL, f->geom, v, 6);
    }
    return ccgis_table_finish(st, ds, out);
}
