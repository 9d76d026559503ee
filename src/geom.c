/*
 * geom.c -- geometry plumbing between OGR and GEOS: type names, conversion,
 * validity verdicts.
 *
 * OGR geometries reach GEOS as ISO WKB through the context's reentrant
 * handle.  Curves are linearised first (GEOS has none), with chords of at
 * most CCGIS_CURVE_STEP_DEG (internal.h says why), and M values dropped
 * (GEOS 3.11 does not carry them); Z values are kept.
 *
 * Exports ccgis_geom_type_name, ccgis_geom_linear, ccgis_geom_to_geos and
 * ccgis_geom_check.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>

#include "internal.h"

/* ISO names of the flat geometry types OGR can hand us. */
static const char *flat_name(OGRwkbGeometryType flat)
{
    switch (flat) {
    case wkbPoint: return "Point";
    case wkbLineString: return "LineString";
    case wkbPolygon: return "Polygon";
    case wkbMultiPoint: return "MultiPoint";
    case wkbMultiLineString: return "MultiLineString";
    case wkbMultiPolygon: return "MultiPolygon";
    case wkbGeometryCollection: return "GeometryCollection";
    case wkbCircularString: return "CircularString";
    case wkbCompoundCurve: return "CompoundCurve";
    case wkbCurvePolygon: return "CurvePolygon";
    case wkbMultiCurve: return "MultiCurve";
    case wkbMultiSurface: return "MultiSurface";
    case wkbCurve: return "Curve";
    case wkbSurface: return "Surface";
    case wkbPolyhedralSurface: return "PolyhedralSurface";
    case wkbTIN: return "TIN";
    case wkbTriangle: return "Triangle";
    case wkbNone: return "None";
    default: return "Unknown";
    }
}

/* ccgis_geom_type_name: see internal.h. */
const char *ccgis_geom_type_name(OGRwkbGeometryType type, char *buf, size_t cap)
{
    const char *dim = "";
    int z = OGR_GT_HasZ(type), m = OGR_GT_HasM(type);
    if (z && m)
        dim = " ZM";
    else if (z)
        dim = " Z";
    else if (m)
        dim = " M";
    snprintf(buf, cap, "%s%s", flat_name(OGR_GT_Flatten(type)), dim);
    return buf;
}

/* ccgis_geom_linear: see internal.h. */
OGRGeometryH ccgis_geom_linear(OGRGeometryH g)
{
    if (!g)
        return NULL;
    /* FALSE: any curve type, even one whose parts are all straight (a
     * CurvePolygon of LineStrings), which GEOS would refuse as it is. */
    if (!OGR_G_HasCurveGeometry(g, FALSE))
        return OGR_G_Clone(g);
    return OGR_G_GetLinearGeometry(g, CCGIS_CURVE_STEP_DEG, NULL);
}

/* ccgis_geom_to_geos: see internal.h. */
GEOSGeometry *ccgis_geom_to_geos(ccgis_ctx *ctx, OGRGeometryH g, const char **reason)
{
    *reason = NULL;
    OGRGeometryH work = NULL; /* owned linear / M-less copy, when one is needed */
    unsigned char *wkb = NULL;
    GEOSGeometry *out = NULL;
    GEOSWKBReader *reader = NULL;

    if (OGR_G_HasCurveGeometry(g, FALSE)) {
        work = ccgis_geom_linear(g);
        if (!work) {
            *reason = "OGR cannot linearise its curves (out of memory)";
            return NULL;
        }
    }
    if (OGR_G_IsMeasured(work ? work : g)) {
        if (!work)
            work = OGR_G_Clone(g);
        if (work)
            OGR_G_SetMeasured(work, FALSE);
    }
    OGRGeometryH src = work ? work : g;
    size_t size = (size_t)OGR_G_WkbSize(src);
    wkb = malloc(size ? size : 1);
    if (!wkb) {
        *reason = "out of memory";
        goto done;
    }
    if (OGR_G_ExportToIsoWkb(src, wkbNDR, wkb) != OGRERR_NONE) {
        *reason = "OGR cannot encode it as WKB";
        goto done;
    }
    reader = GEOSWKBReader_create_r(ctx->geos);
    if (!reader) {
        *reason = "out of memory";
        goto done;
    }
    out = GEOSWKBReader_read_r(ctx->geos, reader, wkb, size);
    if (!out)
        *reason = ccgis_geos_reason(ctx, "GEOS cannot read it");

done:
    if (reader)
        GEOSWKBReader_destroy_r(ctx->geos, reader);
    free(wkb);
    if (work)
        OGR_G_DestroyGeometry(work);
    return out;
}

/* ccgis_geom_check: see internal.h. */
int ccgis_geom_check(ccgis_ctx *ctx, const GEOSGeometry *g, char *reason, size_t cap, double *x,
                     double *y)
{
    char *why = NULL;
    GEOSGeometry *where = NULL;
    *x = *y = NAN;
    reason[0] = '\0';
    char r = GEOSisValidDetail_r(ctx->geos, g, 0, &why, &where);
    if (r == 1)
        return 1;
    if (r == 0) {
        snprintf(reason, cap, "%s", why ? why : "invalid");
        if (where && GEOSGeomTypeId_r(ctx->geos, where) == GEOS_POINT &&
            !GEOSisEmpty_r(ctx->geos, where)) {
            GEOSGeomGetX_r(ctx->geos, where, x);
            GEOSGeomGetY_r(ctx->geos, where, y);
        }
    } else {
        snprintf(reason, cap, "GEOS could not check it: %s",
                 ccgis_geos_reason(ctx, "no reason given"));
    }
    if (why)
        GEOSFree_r(ctx->geos, why);
    if (where)
        GEOSGeom_destroy_r(ctx->geos, where);
    return r == 0 ? 0 : -1;
}

/* Append the polygons of g (borrowed) to a growing array of clones. */
static int collect_polygons(ccgis_ctx *ctx, const GEOSGeometry *g, GEOSGeometry ***arr,
                            size_t *n, size_t *cap)
{
    int type = GEOSGeomTypeId_r(ctx->geos, g);
    if (type == GEOS_POLYGON) {
        if (GEOSisEmpty_r(ctx->geos, g))
            return 1;
        if (!ccgis_grow(ctx, (void **)arr, cap, *n, sizeof **arr))
            return 0;
        GEOSGeometry *c = GEOSGeom_clone_r(ctx->geos, g);
        if (!c)
            return 0;
        (*arr)[(*n)++] = c;
        return 1;
    }
    if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        int k = GEOSGetNumGeometries_r(ctx->geos, g);
        for (int i = 0; i < k; i++)
            if (!collect_polygons(ctx, GEOSGetGeometryN_r(ctx->geos, g, i), arr, n, cap))
                return 0;
    }
    return 1;
}

/* ccgis_geom_polygonal: see internal.h. */
GEOSGeometry *ccgis_geom_polygonal(ccgis_ctx *ctx, GEOSGeometry *g)
{
    if (!g)
        return NULL;
    int type = GEOSGeomTypeId_r(ctx->geos, g);
    if (type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON)
        return g;
    GEOSGeometry **parts = NULL;
    size_t n = 0, cap = 0;
    GEOSGeometry *out = NULL;
    if (collect_polygons(ctx, g, &parts, &n, &cap) && n > 0) {
        out = GEOSGeom_createCollection_r(ctx->geos, GEOS_MULTIPOLYGON, parts, (unsigned)n);
        if (out)
            n = 0; /* the collection owns the parts now */
    }
    for (size_t i = 0; i < n; i++)
        GEOSGeom_destroy_r(ctx->geos, parts[i]);
    free(parts);
    GEOSGeom_destroy_r(ctx->geos, g);
    return out;
}

/* ccgis_geom_multi: see internal.h. */
GEOSGeometry *ccgis_geom_multi(ccgis_ctx *ctx, const GEOSGeometry *g)
{
    if (GEOSGeomTypeId_r(ctx->geos, g) == GEOS_MULTIPOLYGON)
        return GEOSGeom_clone_r(ctx->geos, g);
    GEOSGeometry *copy = GEOSGeom_clone_r(ctx->geos, g);
    if (!copy)
        return NULL;
    GEOSGeometry *m = GEOSGeom_createCollection_r(ctx->geos, GEOS_MULTIPOLYGON, &copy, 1);
    if (!m)
        GEOSGeom_destroy_r(ctx->geos, copy);
    return m;
}

/* ccgis_hits_collect: see internal.h. */
void ccgis_hits_collect(void *item, void *arg)
{
    ccgis_hits *h = arg;
    if (h->n == h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 16;
        size_t *i = realloc(h->i, cap * sizeof *i);
        if (!i) {
            h->nomem = 1;
            return;
        }
        h->i = i;
        h->cap = cap;
    }
    h->i[h->n++] = (size_t)item - 1;
}

/* Ascending size_t, for qsort. */
static int by_index(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* ccgis_hits_sort: see internal.h. */
void ccgis_hits_sort(ccgis_hits *h)
{
    if (h->n > 1)
        qsort(h->i, h->n, sizeof *h->i, by_index);
}

/* ccgis_hits_clear: see internal.h. */
void ccgis_hits_clear(ccgis_hits *h)
{
    free(h->i);
    memset(h, 0, sizeof *h);
}
