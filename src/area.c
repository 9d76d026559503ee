/*
 * area.c -- geodesic and planar areas of polygons (see ccgis/area.h).
 */
#include <math.h>
#include <stdlib.h>

#include "internal.h"

/* ccgis_layer_areas: see area.h. */
ccgis_status ccgis_layer_areas(ccgis_ctx *ctx, const ccgis_layer *layer, const ccgis_crs *plan,
                               double *area_m2, double *plan_m2)
{
    ccgis_transform *to_plan = NULL;
    ccgis_status st = CCGIS_OK;
    if (plan) {
        if (ccgis_crs_is_geographic(plan))
            return ccgis_error(ctx, CCGIS_ERR_CRS,
                               "%s is a geographic CRS: a planar area in it would be in square "
                               "degrees -- give a projected CRS such as EPSG:5897",
                               ccgis_crs_name(plan));
        if ((st = ccgis_transform_between(ctx, layer->crs, plan, &to_plan)) != CCGIS_OK)
            return st;
    }
    for (size_t i = 0; i < layer->n && st == CCGIS_OK; i++) {
        const ccgis_feature *f = &layer->f[i];
        ccgis_where at = {layer->source, layer->name, f->fid};
        st = ccgis_geod_area(ctx, f->geom, &area_m2[i]);
        if (st != CCGIS_OK)
            break;
        if (!to_plan)
            continue;
        GEOSGeometry *p = ccgis_transform_geom(ctx, to_plan, f->geom_src);
        if (!p) {
            st = ccgis_error_feature(
                ctx, CCGIS_ERR_TRANSFORM, at, f->key,
                "cannot be transformed to %s for its planar area -- is that CRS "
                "meant for this region?",
                ccgis_crs_name(plan));
            break;
        }
        if (!GEOSArea_r(ctx->geos, p, &plan_m2[i]))
            st = ccgis_error_feature(ctx, CCGIS_ERR_GEOMETRY, at, f->key,
                                     "GEOS cannot measure its area: %s",
                                     ccgis_geos_reason(ctx, "no reason given"));
        GEOSGeom_destroy_r(ctx->geos, p);
    }
    ccgis_transform_free(to_plan);
    return st;
}

/* ccgis_area: see area.h. */
ccgis_status ccgis_area(ccgis_ctx *ctx, const ccgis_area_options *options,
                        ccgis_findings *findings, void **result)
{
    ccgis_layer_spec spec = options->input;
    ccgis_layer *layer = NULL;
    ccgis_crs *plan = NULL;
    double *area = NULL, *plan_m2 = NULL;
    GDALDatasetH ds = NULL;
    ccgis_status st;

    *result = NULL;
    spec.role = CCGIS_ROLE_POLYGONS;
    if (options->plan_crs && (st = ccgis_crs_from_user(ctx, options->plan_crs, &plan)) != CCGIS_OK)
        goto done;
    if ((st = ccgis_layer_load(ctx, &spec, findings, &layer)) != CCGIS_OK)
        goto done;
    st = CCGIS_ERR_NOMEM;
    area = ccgis_calloc(ctx, layer->n, sizeof *area);
    plan_m2 = ccgis_calloc(ctx, layer->n, sizeof *plan_m2);
    if (!area || !plan_m2)
        goto done;
    if ((st = ccgis_layer_areas(ctx, layer, plan, area, plan_m2)) != CCGIS_OK)
        goto done;

    static const ccgis_field_spec cols[] = {
        {"area_m2", CCGIS_F_REAL, 0, 0},
        {"area_ha", CCGIS_F_REAL, 0, 0},
        {"plan_ha", CCGIS_F_REAL, 0, 0},
    };
    size_t ncols = plan ? 3 : 2;
    st = CCGIS_ERR_INTERNAL;
    ds = ccgis_result_dataset(ctx);
    OGRLayerH out = ds ? ccgis_result_layer(ctx, ds, layer->name, wkbMultiPolygon, layer,
                                            cols, ncols)
                       : NULL;
    if (!out)
        goto done;
    for (size_t i = 0; i < layer->n; i++) {
        ccgis_value v[3] = {CCGIS_VREAL(area[i]), CCGIS_VREAL(area[i] / 1e4),
                            CCGIS_VREAL(plan_m2[i] / 1e4)};
        GEOSGeometry *multi = ccgis_geom_multi(ctx, layer->f[i].geom);
        st = multi ? ccgis_result_add(ctx, out, layer->f[i].attrs, multi, v, ncols)
                   : ccgis_nomem(ctx);
        if (multi)
            GEOSGeom_destroy_r(ctx->geos, multi);
        if (st != CCGIS_OK)
            goto done;
    }
    *result = ds;
    ds = NULL;
    st = CCGIS_OK;

done:
    if (ds)
        GDALClose(ds);
    free(area);
    free(plan_m2);
    ccgis_layer_free(ctx, layer);
    ccgis_crs_free(plan);
    return st;
}
