/*
 * fuzz_loadcheck.c -- one fuzzed load and the checks of its result (see
 * fuzz_loadcheck.h).
 *
 * Besides memory safety (ASan, UBSan, LeakSanitizer), a load must keep the
 * promises of layer.h and findings.h:
 *   - failure: no layer, a one-line message, the status recorded;
 *   - success: at least one feature; every feature read is either kept or
 *     skipped ("nothing is dropped silently"), and there is one
 *     GEOMETRY_SKIPPED finding per skipped feature and one
 *     GEOMETRY_REPAIRED finding per repaired one;
 *   - every kept feature has a non-empty key, attributes, and non-empty 2D
 *     geometries of the role's kind (Polygon/MultiPolygon, or Point), the
 *     WGS 84 one within -180..180, -90..90, and the layer's extent covers
 *     them.
 * With CCGIS_FUZZ_VALID=1 in the environment the geometries must also be
 * GEOS-valid (layer.h: "valid 2D geometries"), in the source CRS and in
 * WGS 84.  That is off by default: an invalid result there is a question
 * of precision (MakeValid output bent by the transformation), not of memory
 * safety, and would stop every run at the first such input.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <geos_c.h>
#include <ogr_api.h>

#include "ccgis/findings.h"
#include "fuzz_common.h"
#include "fuzz_loadcheck.h"

/* 1 when CCGIS_FUZZ_VALID=1 asks for the validity checks. */
static int want_valid(void)
{
    static int v = -1;
    if (v < 0) {
        const char *e = getenv("CCGIS_FUZZ_VALID");
        v = e && strcmp(e, "1") == 0;
    }
    return v;
}

/* Check one kept feature `i` of `layer` (see the file comment). */
static void check_feature(GEOSContextHandle_t h, const ccgis_layer *layer, size_t i,
                          ccgis_role role)
{
    const ccgis_feature *f = &layer->f[i];
    if (!f->key || !f->key[0])
        fuzz_fail("feature %zu (fid %lld) has no key", i, f->fid);
    if (!f->geom || !f->geom_src || !f->attrs)
        fuzz_fail("feature %zu (fid %lld) lacks a geometry or its attributes", i, f->fid);
    const GEOSGeometry *both[2] = {f->geom, f->geom_src};
    for (int k = 0; k < 2; k++) {
        int type = GEOSGeomTypeId_r(h, both[k]);
        int ok = role == CCGIS_ROLE_POINTS ? type == GEOS_POINT
                                           : type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON;
        if (!ok)
            fuzz_fail("feature %zu (fid %lld): %s geometry of GEOS type %d for role %d", i,
                      f->fid, k ? "source" : "WGS 84", type, (int)role);
        if (GEOSisEmpty_r(h, both[k]) != 0)
            fuzz_fail("feature %zu (fid %lld): empty %s geometry kept", i, f->fid,
                      k ? "source" : "WGS 84");
        if (GEOSHasZ_r(h, both[k]) != 0)
            fuzz_fail("feature %zu (fid %lld): %s geometry has Z", i, f->fid,
                      k ? "source" : "WGS 84");
        if (want_valid() && GEOSisValid_r(h, both[k]) != 1)
            fuzz_fail("feature %zu (fid %lld): %s geometry is not valid", i, f->fid,
                      k ? "source" : "WGS 84");
    }
    double b[4];
    if (!GEOSGeom_getXMin_r(h, f->geom, &b[0]) || !GEOSGeom_getYMin_r(h, f->geom, &b[1]) ||
        !GEOSGeom_getXMax_r(h, f->geom, &b[2]) || !GEOSGeom_getYMax_r(h, f->geom, &b[3]))
        fuzz_fail("feature %zu (fid %lld): no extent", i, f->fid);
    if (!(b[0] >= -180 && b[2] <= 180 && b[1] >= -90 && b[3] <= 90))
        fuzz_fail("feature %zu (fid %lld): WGS 84 extent %g %g %g %g is off the globe", i,
                  f->fid, b[0], b[1], b[2], b[3]);
    const double *e = layer->extent;
    if (!(e[0] <= b[0] && e[1] <= b[1] && e[2] >= b[2] && e[3] >= b[3]))
        fuzz_fail("feature %zu (fid %lld): outside the layer's extent", i, f->fid);
}

/* Check a layer that loaded (see the file comment). */
static void check_layer(ccgis_ctx *ctx, const ccgis_layer *layer, const ccgis_findings *fl,
                        ccgis_role role)
{
    if (layer->n == 0 || !layer->f || !layer->has_extent)
        fuzz_fail("a layer loaded with no usable feature");
    if (layer->n_read < 0 || layer->n_skipped < 0 || layer->n_repaired < 0 ||
        (long long)layer->n + layer->n_skipped != layer->n_read)
        fuzz_fail("features read %lld != kept %zu + skipped %lld", layer->n_read, layer->n,
                  layer->n_skipped);
    if ((long long)ccgis_findings_count(fl, CCGIS_GEOMETRY_SKIPPED) != layer->n_skipped)
        fuzz_fail("%zu GEOMETRY_SKIPPED findings for %lld skipped features",
                  ccgis_findings_count(fl, CCGIS_GEOMETRY_SKIPPED), layer->n_skipped);
    if ((long long)ccgis_findings_count(fl, CCGIS_GEOMETRY_REPAIRED) != layer->n_repaired)
        fuzz_fail("%zu GEOMETRY_REPAIRED findings for %lld repaired features",
                  ccgis_findings_count(fl, CCGIS_GEOMETRY_REPAIRED), layer->n_repaired);
    if (!layer->source || !layer->name || !layer->what || !layer->crs || !layer->defn)
        fuzz_fail("a loaded layer lacks its source, name, what, CRS or field list");
    for (size_t i = 0; i < fl->n; i++) {
        const ccgis_finding *x = &fl->items[i];
        if (!x->detail || !x->layer || !x->subject)
            fuzz_fail("finding %zu lacks its detail, layer or subject", i);
        /* Read them whole.  (A detail may hold control characters: it quotes
         * the feature's id as the data has it; report.c cleans it.) */
        volatile size_t n = strlen(x->detail) + strlen(x->layer) + strlen(x->subject);
        (void)n;
    }
    GEOSContextHandle_t h = ccgis_ctx_geos(ctx);
    for (size_t i = 0; i < layer->n; i++)
        check_feature(h, layer, i, role);
}

/* fuzz_load_one: see fuzz_loadcheck.h. */
ccgis_status fuzz_load_one(ccgis_ctx *ctx, const char *source, ccgis_role role,
                           const char *id_field, const char *encoding, char *first_field,
                           size_t cap)
{
    ccgis_layer_spec spec = {.source = source,
                             .layer = NULL,
                             .srs = NULL,
                             .id_field = id_field,
                             .role = role,
                             .what = "fuzz",
                             .encoding = encoding};
    ccgis_findings findings = CCGIS_FINDINGS_INIT;
    ccgis_layer *layer = NULL;
    ccgis_status st = ccgis_layer_load(ctx, &spec, &findings, &layer);
    if ((st == CCGIS_OK) != (layer != NULL))
        fuzz_fail("ccgis_layer_load returned %d with layer %p", (int)st, (void *)layer);
    if (layer) {
        check_layer(ctx, layer, &findings, role);
        if (first_field && cap) {
            first_field[0] = '\0';
            if (OGR_FD_GetFieldCount(layer->defn) > 0)
                snprintf(first_field, cap, "%s",
                         OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(layer->defn, 0)));
        }
    }
    fuzz_after_call(ctx, st, "ccgis_layer_load");
    layer = ccgis_layer_free(ctx, layer);
    ccgis_findings_clear(&findings);
    return st;
}

/* fuzz_load_all: see fuzz_loadcheck.h. */
void fuzz_load_all(ccgis_ctx *ctx, const char *source, int points, const char *encoding)
{
    char field[256] = "";
    ccgis_status st = fuzz_load_one(ctx, source, CCGIS_ROLE_POLYGONS, NULL, NULL, field,
                                    sizeof field);
    if (points)
        fuzz_load_one(ctx, source, CCGIS_ROLE_POINTS, NULL, NULL, NULL, 0);
    if (st == CCGIS_OK && field[0])
        fuzz_load_one(ctx, source, CCGIS_ROLE_POLYGONS, field, NULL, NULL, 0);
    if (st == CCGIS_OK && encoding)
        fuzz_load_one(ctx, source, CCGIS_ROLE_POLYGONS, NULL, encoding, NULL, 0);
}
