/*
 * overlaps.c -- polygons of one layer that overlap each other (see
 * ccgis/overlaps.h).
 */
#include <math.h>
#include <stdlib.h>

#include "internal.h"

/* STRtree query state: candidates j > i. */
typedef struct query {
    size_t i;
    size_t *cand;
    size_t n;
} query;

/* STRtree callback: keep candidates read after the current polygon. */
static void collect(void *item, void *arg)
{
    query *q = arg;
    size_t j = (size_t)item - 1;
    if (j > q->i)
        q->cand[q->n++] = j;
}

/* qsort comparator of size_t. */
static int by_index(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* ccgis_self_overlaps: see overlaps.h. */
ccgis_status ccgis_self_overlaps(ccgis_ctx *ctx, const ccgis_layer *layer,
                                 ccgis_findings *findings, size_t *n_pairs)
{
    GEOSContextHandle_t h = ctx->geos;
    size_t n = layer->n, pairs = 0;
    GEOSSTRtree *tree = GEOSSTRtree_create_r(h, 10);
    query q = {0, ccgis_calloc(ctx, n, sizeof(size_t)), 0};
    ccgis_status st = CCGIS_OK;
    if (!tree || !q.cand) {
        st = CCGIS_ERR_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        GEOSSTRtree_insert_r(h, tree, layer->f[i].geom, (void *)(i + 1));
    for (size_t i = 0; i < n && st == CCGIS_OK; i++) {
        const ccgis_feature *a = &layer->f[i];
        q.i = i;
        q.n = 0;
        GEOSSTRtree_query_r(h, tree, a->geom, collect, &q);
        if (q.n == 0)
            continue;
        qsort(q.cand, q.n, sizeof *q.cand, by_index);
        const GEOSPreparedGeometry *pa = GEOSPrepare_r(h, a->geom);
        if (!pa) {
            st = CCGIS_ERR_NOMEM;
            break;
        }
        for (size_t k = 0; k < q.n && st == CCGIS_OK; k++) {
            const ccgis_feature *b = &layer->f[q.cand[k]];
            if (GEOSPreparedIntersects_r(h, pa, b->geom) != 1)
                continue;
            GEOSGeometry *x = ccgis_geom_polygonal(ctx, GEOSIntersection_r(h, a->geom, b->geom));
            double area = 0;
            if (x && ccgis_geod_area(ctx, x, &area) != CCGIS_OK) {
                GEOSGeom_destroy_r(h, x);
                st = ccgis_errcode(ctx);
                break;
            }
            if (!x || area <= 0) {
                if (x)
                    GEOSGeom_destroy_r(h, x);
                continue;
            }
            GEOSGeometry *m = ccgis_geom_multi(ctx, x);
            GEOSGeom_destroy_r(h, x);
            pairs++;
            if (findings)
                st = ccgis_finding_add(ctx, findings, CCGIS_CLUSTER_OVERLAP, layer->what, a->key,
                                       b->key, area, m,
                                       "%s %s and %s overlap on %.1f m² (%.2f ha)", layer->what,
                                       a->key, b->key, area, area / 1e4);
            else if (m)
                GEOSGeom_destroy_r(h, m);
        }
        GEOSPreparedGeom_destroy_r(h, pa);
    }
done:
    if (tree)
        GEOSSTRtree_destroy_r(h, tree);
    free(q.cand);
    if (n_pairs)
        *n_pairs = pairs;
    if (st == CCGIS_ERR_NOMEM && ccgis_errcode(ctx) != CCGIS_ERR_NOMEM)
        ccgis_nomem(ctx);
    return st;
}
