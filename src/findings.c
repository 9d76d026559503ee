/*
 * findings.c -- the list of data problems (see ccgis/findings.h).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

static const char *const kind_names[CCGIS_FINDING_KINDS] = {
    "GEOMETRY_SKIPPED",     "GEOMETRY_REPAIRED",   "CLUSTER_OVERLAP",
    "STRADDLES_DISTRICTS", "OUTSIDE_DISTRICTS", "ZONING_CONFLICT",
    "ZONING_OVERLAP",      "ZONING_GAP",        "ZONE_REPAIRED",
    "ZONE_SKIPPED",        "ZONE_UNCLASSIFIED", "AREA_MISMATCH",
    "NEEDS_MANUAL_FIX",    "OVERLAP",
};

/* ccgis_finding_kind_name: see findings.h. */
const char *ccgis_finding_kind_name(ccgis_finding_kind kind)
{
    return (unsigned)kind < CCGIS_FINDING_KINDS ? kind_names[kind] : "UNKNOWN";
}

/* ccgis_findings_count: see findings.h. */
size_t ccgis_findings_count(const ccgis_findings *list, ccgis_finding_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < list->n; i++)
        n += list->items[i].kind == kind;
    return n;
}

/* ccgis_findings_clear: see findings.h. */
void ccgis_findings_clear(ccgis_findings *list)
{
    for (size_t i = 0; i < list->n; i++) {
        ccgis_finding *f = &list->items[i];
        free(f->layer);
        free(f->subject);
        free(f->other);
        free(f->detail);
        if (f->geom)
            GEOSGeom_destroy_r(list->geos, f->geom);
    }
    free(list->items);
    list->items = NULL;
    list->n = list->cap = 0;
}

/* ccgis_finding_add: see internal.h. */
ccgis_status ccgis_finding_add(ccgis_ctx *ctx, ccgis_findings *list, ccgis_finding_kind kind,
                               const char *layer, const char *subject, const char *other,
                               double area_m2, GEOSGeometry *geom, const char *fmt, ...)
{
    char detail[CCGIS_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    if (!ccgis_grow(ctx, (void **)&list->items, &list->cap, list->n, sizeof *list->items)) {
        if (geom)
            GEOSGeom_destroy_r(ctx->geos, geom);
        return CCGIS_ERR_NOMEM;
    }
    list->geos = ctx->geos;
    ccgis_finding *f = &list->items[list->n];
    f->kind = kind;
    f->area_m2 = area_m2;
    f->geom = geom;
    f->layer = ccgis_strdup(ctx, layer);
    f->subject = ccgis_strdup(ctx, subject);
    f->other = ccgis_strdup(ctx, other);
    f->detail = ccgis_strdup(ctx, detail);
    list->n++; /* counted even if a string failed: clear() frees what is there */
    if ((layer && !f->layer) || (subject && !f->subject) || (other && !f->other) || !f->detail)
        return CCGIS_ERR_NOMEM;
    return CCGIS_OK;
}
