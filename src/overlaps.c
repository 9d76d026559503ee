/*
 * overlaps.c -- polygons of one layer that overlap each other, and the
 * layer's area counting shared ground once (see ccgis/overlaps.h).
 *
 * Exports ccgis_self_overlaps and ccgis_union_area.  Both walk the pairs of
 * polygons sharing area with one pass (pair_pass) and differ in what they do
 * with each pair (the pass's visit function).  The union joins the polygons
 * into groups that share area (union-find over the pairs) and unions each
 * group alone: a polygon sharing nothing adds its own area, so the cost
 * follows the overlaps, not the size of the layer.
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

struct pass;

/*
 * What a pass does with one pair (i < j) sharing area: `x` is their
 * intersection's polygonal part (taken over: the function frees or keeps
 * it), `area_m2` > 0 its geodesic area.  Returns CCGIS_OK to go on, or a
 * failure, already recorded in the context, to stop with it.
 */
typedef ccgis_status (*visit_fn)(struct pass *p, size_t i, size_t j, GEOSGeometry *x,
                                 double area_m2);

/* One pass over the pairs sharing area, and what its visitors keep. */
typedef struct pass {
    ccgis_ctx *ctx;
    const ccgis_layer *layer;
    visit_fn visit;
    /* ccgis_self_overlaps */
    ccgis_overlaps_options opts;
    ccgis_findings *findings;
    ccgis_overlaps_summary summary;
    /* ccgis_union_area */
    int overlapped; /* some pair shares area */
    size_t *group;  /* union-find parent of each polygon: polygons sharing area */
    /* both */
    ccgis_progress_fn progress;
    void *progress_arg;
    double progress_base, progress_span; /* of the whole call */
} pass;

/*
 * pair_pass -- call p->visit for each pair of polygons of p->layer that
 * share area (geodesic area of the GEOS intersection > 0), in reading order
 * of the first polygon, then of the second; until a visit fails.  Reports
 * progress every 1,000 polygons (p->progress, mapped into progress_base +
 * progress_span).  Returns CCGIS_OK, the visit's failure, CCGIS_ERR_USAGE
 * (cancelled), CCGIS_ERR_GEOMETRY (GEOS cannot intersect a pair; a vertex
 * out of range) or CCGIS_ERR_NOMEM, each recorded in the context.
 */
static ccgis_status pair_pass(pass *p)
{
    ccgis_ctx *ctx = p->ctx;
    const ccgis_layer *layer = p->layer;
    GEOSContextHandle_t h = ctx->geos;
    size_t n = layer->n;
    GEOSSTRtree *tree = GEOSSTRtree_create_r(h, 10);
    query q = {0, ccgis_calloc(ctx, n ? n : 1, sizeof(size_t)), 0};
    ccgis_status st = CCGIS_OK;
    if (!tree || !q.cand) {
        st = CCGIS_ERR_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        GEOSSTRtree_insert_r(h, tree, layer->f[i].geom, (void *)(i + 1));
    for (size_t i = 0; i < n && st == CCGIS_OK; i++) {
        if (p->progress && i % 1000 == 999 &&
            !p->progress(p->progress_base + p->progress_span * (double)i / (double)n, "overlaps",
                         p->progress_arg)) {
            st = ccgis_error(ctx, CCGIS_ERR_CANCELLED, "cancelled by the caller");
            break;
        }
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
            GEOSGeometry *raw = GEOSIntersection_r(h, a->geom, b->geom);
            if (!raw) {
                st = ccgis_error(ctx, CCGIS_ERR_GEOMETRY,
                                 "%s: GEOS cannot intersect %s and %s: %s -- check their "
                                 "geometries",
                                 layer->what, a->key, b->key,
                                 ccgis_geos_reason(ctx, "no reason given"));
                break;
            }
            GEOSGeometry *x = ccgis_geom_polygonal(ctx, raw); /* NULL: they only touch */
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
            st = p->visit(p, i, q.cand[k], x, area);
        }
        GEOSPreparedGeom_destroy_r(h, pa);
    }
done:
    if (tree)
        GEOSSTRtree_destroy_r(h, tree);
    free(q.cand);
    if (st == CCGIS_ERR_NOMEM && ccgis_errcode(ctx) != CCGIS_ERR_NOMEM)
        ccgis_nomem(ctx);
    return st;
}

/* ccgis_self_overlaps's visit: a finding, or a count of what is too small. */
static ccgis_status add_overlap(pass *p, size_t i, size_t j, GEOSGeometry *x, double area_m2)
{
    ccgis_ctx *ctx = p->ctx;
    const ccgis_layer *layer = p->layer;
    const ccgis_feature *a = &layer->f[i], *b = &layer->f[j];
    if (area_m2 < p->opts.min_area_m2) {
        GEOSGeom_destroy_r(ctx->geos, x);
        p->summary.n_small++;
        p->summary.small_m2 += area_m2;
        return CCGIS_OK;
    }
    p->summary.n_listed++;
    if (!p->findings) {
        GEOSGeom_destroy_r(ctx->geos, x);
        return CCGIS_OK;
    }
    GEOSGeometry *m = ccgis_geom_multi(ctx, x);
    GEOSGeom_destroy_r(ctx->geos, x);
    if (!m)
        return ccgis_nomem(ctx);
    return ccgis_finding_say(
        ctx, p->findings, p->opts.kind, layer->what, a->key, b->key, area_m2, m, CCGIS_SAY_OVERLAP,
        &(ccgis_say_args){{layer->what, a->key, b->key}, {area_m2, area_m2 / 1e4}});
}

/* ccgis_self_overlaps: see overlaps.h. */
ccgis_status ccgis_self_overlaps(ccgis_ctx *ctx, const ccgis_layer *layer,
                                 const ccgis_overlaps_options *opts, ccgis_progress_fn progress,
                                 void *progress_arg, ccgis_findings *findings,
                                 ccgis_overlaps_summary *summary)
{
    pass p = {.ctx = ctx,
              .layer = layer,
              .visit = add_overlap,
              .findings = findings,
              .progress = progress,
              .progress_arg = progress_arg,
              .progress_span = 1.0};
    p.opts = opts ? *opts : (ccgis_overlaps_options){CCGIS_OVERLAP, 0.0};
    ccgis_status st;
    if ((int)p.opts.kind < 0 || p.opts.kind >= CCGIS_FINDING_KINDS)
        st = ccgis_error(ctx, CCGIS_ERR_USAGE,
                         "overlaps: finding kind %d is not one of the %d kinds of findings.h",
                         (int)p.opts.kind, (int)CCGIS_FINDING_KINDS);
    else if (!isfinite(p.opts.min_area_m2) || p.opts.min_area_m2 < 0)
        st = ccgis_error(ctx, CCGIS_ERR_USAGE,
                         "overlaps: the smallest overlap listed must be 0 m² or more, not %g",
                         p.opts.min_area_m2);
    else
        st = pair_pass(&p);
    if (summary)
        *summary = st == CCGIS_OK ? p.summary : (ccgis_overlaps_summary){0, 0, 0.0};
    return st;
}

/* The group (union-find root) of polygon i, halving the path on the way. */
static size_t group_of(size_t *group, size_t i)
{
    while (group[i] != i) {
        group[i] = group[group[i]];
        i = group[i];
    }
    return i;
}

/* ccgis_union_area's visit: put the two polygons in one group. */
static ccgis_status join_pair(pass *p, size_t i, size_t j, GEOSGeometry *x, double area_m2)
{
    (void)area_m2;
    GEOSGeom_destroy_r(p->ctx->geos, x);
    p->overlapped = 1;
    size_t a = group_of(p->group, i), b = group_of(p->group, j);
    if (a != b)
        p->group[a > b ? a : b] = a < b ? a : b; /* the smaller index leads */
    return CCGIS_OK;
}

/*
 * union_of -- the geodesic area of the union of the `n` polygons listed in
 * `members` (GEOS unary union of a collection of copies).  Returns CCGIS_OK
 * and sets *area_m2, or CCGIS_ERR_GEOMETRY / CCGIS_ERR_NOMEM, recorded.
 */
static ccgis_status union_of(ccgis_ctx *ctx, const ccgis_layer *layer, const size_t *members,
                             size_t n, double *area_m2)
{
    GEOSContextHandle_t h = ctx->geos;
    GEOSGeometry **parts = ccgis_calloc(ctx, n, sizeof *parts);
    GEOSGeometry *coll = NULL, *u = NULL;
    ccgis_status st = CCGIS_OK;
    if (!parts)
        return CCGIS_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        if (!(parts[i] = GEOSGeom_clone_r(h, layer->f[members[i]].geom))) {
            for (size_t k = 0; k < i; k++)
                GEOSGeom_destroy_r(h, parts[k]);
            st = ccgis_nomem(ctx);
            goto done;
        }
    /* The collection takes the copies over.  It can fail only for want of
     * memory, and GEOS does not say who owns the copies then: they are left
     * (a leak) rather than risk freeing them twice. */
    coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts, (unsigned)n);
    if (!coll) {
        st = ccgis_nomem(ctx);
        goto done;
    }
    u = GEOSUnaryUnion_r(h, coll);
    if (!u) {
        st = ccgis_error(ctx, CCGIS_ERR_GEOMETRY,
                         "%s: GEOS cannot union the polygons: %s -- check the geometries",
                         layer->what, ccgis_geos_reason(ctx, "no reason given"));
        goto done;
    }
    st = ccgis_geod_area(ctx, u, area_m2);
done:
    if (u)
        GEOSGeom_destroy_r(h, u);
    if (coll)
        GEOSGeom_destroy_r(h, coll);
    free(parts);
    return st;
}

/*
 * groups_area -- the area of the union of the layer: each group of polygons
 * sharing area (p->group) unioned alone, in order of its first polygon; a
 * polygon alone adds its own area (area_m2[i]).  Returns CCGIS_OK and sets
 * *union_m2, or a failure (recorded).
 */
static ccgis_status groups_area(pass *p, const double *area_m2, double *union_m2)
{
    ccgis_ctx *ctx = p->ctx;
    size_t n = p->layer->n;
    size_t *size = ccgis_calloc(ctx, n + 1, sizeof *size);
    size_t *start = ccgis_calloc(ctx, n + 1, sizeof *start);
    size_t *members = ccgis_calloc(ctx, n + 1, sizeof *members);
    size_t *filled = ccgis_calloc(ctx, n + 1, sizeof *filled);
    ccgis_status st = CCGIS_OK;
    double total = 0;
    if (!size || !start || !members || !filled) {
        st = CCGIS_ERR_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        size[group_of(p->group, i)]++;
    for (size_t i = 0, at = 0; i < n; i++) {
        start[i] = at;
        at += size[i];
    }
    for (size_t i = 0; i < n; i++) { /* members of each group, in reading order */
        size_t g = group_of(p->group, i);
        members[start[g] + filled[g]++] = i;
    }
    for (size_t i = 0; i < n && st == CCGIS_OK; i++) {
        if (p->progress && i % 1000 == 999 &&
            !p->progress(0.5 + 0.5 * (double)i / (double)n, "overlaps", p->progress_arg)) {
            st = ccgis_error(ctx, CCGIS_ERR_CANCELLED, "cancelled by the caller");
            break;
        }
        if (group_of(p->group, i) != i)
            continue; /* not the first of its group: counted with it */
        if (size[i] == 1) {
            total += area_m2[i];
            continue;
        }
        double a = 0;
        st = union_of(ctx, p->layer, members + start[i], size[i], &a);
        total += a;
    }
    *union_m2 = total;
done:
    free(size);
    free(start);
    free(members);
    free(filled);
    return st;
}

/* ccgis_union_area: see overlaps.h. */
ccgis_status ccgis_union_area(ccgis_ctx *ctx, const ccgis_layer *layer, ccgis_progress_fn progress,
                              void *progress_arg, double *sum_m2, double *union_m2)
{
    double sum = 0, uni = 0;
    ccgis_status st = CCGIS_OK;
    pass p = {.ctx = ctx,
              .layer = layer,
              .visit = join_pair,
              .progress = progress,
              .progress_arg = progress_arg,
              .progress_span = 0.5};
    double *area = ccgis_calloc(ctx, layer->n + 1, sizeof *area);
    p.group = ccgis_calloc(ctx, layer->n + 1, sizeof *p.group);
    if (!area || !p.group)
        st = CCGIS_ERR_NOMEM;
    for (size_t i = 0; i < layer->n && st == CCGIS_OK; i++) {
        st = ccgis_geod_area(ctx, layer->f[i].geom, &area[i]);
        sum += area[i];
        p.group[i] = i;
    }
    if (st == CCGIS_OK)
        st = pair_pass(&p);
    if (st == CCGIS_OK && p.overlapped)
        st = groups_area(&p, area, &uni);
    else if (st == CCGIS_OK)
        uni = sum; /* no shared ground: the union is the sum, exactly */
    if (st != CCGIS_OK)
        sum = uni = 0;
    if (sum_m2)
        *sum_m2 = sum;
    if (union_m2)
        *union_m2 = uni;
    free(area);
    free(p.group);
    return st;
}
