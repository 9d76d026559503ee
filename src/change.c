/*
 * change.c -- today's clusters against the planned ones: matching, groups
 * and change classes (see ccgis/change.h).
 *
 * Three steps:
 *   1. match: equal ids (a hash-free merge of the two sorted key lists),
 *      then every pair whose boxes meet (GEOS STRtree on the plan layer) is
 *      intersected and matched when the common area is at least half of the
 *      smaller cluster;
 *   2. group: union-find over now + plan clusters joined by the matches;
 *   3. measure and classify each group: the unions of its clusters on each
 *      side, their intersection and both differences, measured on the
 *      ellipsoid; the parts are checked to add up to the unions.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ccgis/change.h"
#include "internal.h"

const char *ccgis_change_name(ccgis_change_kind kind)
{
    static const char *const names[CCGIS_CHANGE_KINDS] = {
        "unchanged", "expanded", "reduced", "moved", "new", "removed", "merged", "split"};
    if ((int)kind < 0 || kind >= CCGIS_CHANGE_KINDS)
        return "?";
    return names[kind];
}

/* ---- union-find over now (0..n) and plan (n..n+m) clusters ------------ */

static size_t uf_find(size_t *parent, size_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* Join two sets; the smaller index becomes the root (deterministic). */
static void uf_join(size_t *parent, size_t a, size_t b)
{
    a = uf_find(parent, a);
    b = uf_find(parent, b);
    if (a < b)
        parent[b] = a;
    else if (b < a)
        parent[a] = b;
}

/* ---- step 1: matches by id --------------------------------------------- */

typedef struct keyed {
    const char *key;
    size_t i;
} keyed;

static int by_key(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* Join now and plan clusters with equal keys (keys are unique within a
 * loaded layer); marks them in by_id[].  Returns CCGIS_OK or
 * CCGIS_ERR_NOMEM. */
static ccgis_status match_ids(ccgis_ctx *ctx, const ccgis_layer *now, const ccgis_layer *plan,
                              size_t *parent, unsigned char *by_id)
{
    size_t n = now->n, m = plan->n;
    keyed *a = ccgis_calloc(ctx, n + 1, sizeof *a);
    keyed *b = ccgis_calloc(ctx, m + 1, sizeof *b);
    if (!a || !b) {
        free(a);
        free(b);
        return ccgis_nomem(ctx);
    }
    for (size_t i = 0; i < n; i++)
        a[i] = (keyed){now->f[i].key, i};
    for (size_t j = 0; j < m; j++)
        b[j] = (keyed){plan->f[j].key, j};
    qsort(a, n, sizeof *a, by_key);
    qsort(b, m, sizeof *b, by_key);
    for (size_t i = 0, j = 0; i < n && j < m;) {
        int c = strcmp(a[i].key, b[j].key);
        if (c < 0) {
            i++;
        } else if (c > 0) {
            j++;
        } else {
            uf_join(parent, a[i].i, n + b[j].i);
            by_id[a[i].i] = by_id[n + b[j].i] = 1;
            i++;
            j++;
        }
    }
    free(a);
    free(b);
    return CCGIS_OK;
}

/* ---- step 1: matches by overlap ---------------------------------------- */

/* The geodesic area of a ∩ b into *m2.  Returns CCGIS_OK,
 * CCGIS_ERR_GEOMETRY (naming both clusters) or what ccgis_geod_area
 * returns. */
static ccgis_status common_area(ccgis_ctx *ctx, const ccgis_feature *a, const ccgis_feature *b,
                                double *m2)
{
    GEOSContextHandle_t h = ccgis_ctx_geos(ctx);
    GEOSGeometry *x = GEOSIntersection_r(h, a->geom, b->geom);
    if (!x)
        return ccgis_error(ctx, CCGIS_ERR_GEOMETRY,
                           "clusters: today's %s and the plan's %s cannot be intersected (%s)",
                           a->key, b->key, ccgis_geos_reason(ctx, "GEOS failed"));
    ccgis_status st = ccgis_geod_area(ctx, x, m2);
    GEOSGeom_destroy_r(h, x);
    return st;
}

/* Join now cluster i with every plan cluster sharing at least half of the
 * smaller of the two.  Returns CCGIS_OK or a failure (recorded). */
static ccgis_status match_overlaps(ccgis_ctx *ctx, const ccgis_layer *now,
                                   const ccgis_layer *plan, const double *now_m2,
                                   const double *plan_m2, ccgis_progress_fn progress,
                                   void *progress_arg, size_t *parent)
{
    GEOSContextHandle_t h = ccgis_ctx_geos(ctx);
    size_t n = now->n, m = plan->n;
    if (!n || !m)
        return CCGIS_OK;
    GEOSSTRtree *tree = GEOSSTRtree_create_r(h, 10);
    if (!tree)
        return ccgis_nomem(ctx);
    for (size_t j = 0; j < m; j++)
        GEOSSTRtree_insert_r(h, tree, plan->f[j].geom, (void *)(j + 1));
    ccgis_status st = CCGIS_OK;
    ccgis_hits c = {0};
    for (size_t i = 0; i < n && st == CCGIS_OK; i++) {
        if ((progress && !progress((double)i / (double)n, "plan", progress_arg)) ||
            ccgis_interrupt_pending()) {
            st = ccgis_error(ctx, CCGIS_ERR_CANCELLED, "cancelled by the caller");
            break;
        }
        c.n = 0;
        GEOSSTRtree_query_r(h, tree, now->f[i].geom, ccgis_hits_collect, &c);
        if (c.nomem) {
            st = ccgis_nomem(ctx);
            break;
        }
        /* The tree hands candidates in its own order: sort them so that
         * the joins, and any failure named, do not depend on it. */
        ccgis_hits_sort(&c);
        for (size_t k = 0; k < c.n && st == CCGIS_OK; k++) {
            size_t j = c.i[k];
            if (uf_find(parent, i) == uf_find(parent, n + j))
                continue; /* already together (by id, or through others) */
            double common = 0;
            st = common_area(ctx, &now->f[i], &plan->f[j], &common);
            if (st == CCGIS_OK && common > 0 && common >= 0.5 * fmin(now_m2[i], plan_m2[j]))
                uf_join(parent, i, n + j);
        }
    }
    ccgis_hits_clear(&c);
    GEOSSTRtree_destroy_r(h, tree);
    return st;
}

/* ---- step 3: measure and classify a group ------------------------------ */

/* The union of the listed features' geometries (a copy for one), or NULL
 * for none or on failure (GEOS's reason recorded). */
static GEOSGeometry *union_of(ccgis_ctx *ctx, const ccgis_layer *l, const size_t *idx, size_t k)
{
    GEOSContextHandle_t h = ccgis_ctx_geos(ctx);
    if (k == 0)
        return NULL;
    if (k == 1)
        return GEOSGeom_clone_r(h, l->f[idx[0]].geom);
    GEOSGeometry **parts = calloc(k, sizeof *parts);
    if (!parts)
        return NULL;
    for (size_t i = 0; i < k; i++)
        parts[i] = GEOSGeom_clone_r(h, l->f[idx[i]].geom);
    for (size_t i = 0; i < k; i++)
        if (!parts[i]) {
            for (size_t j = 0; j < k; j++)
                if (parts[j])
                    GEOSGeom_destroy_r(h, parts[j]);
            free(parts);
            return NULL;
        }
    GEOSGeometry *coll =
        GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts, (unsigned)k);
    if (!coll) {
        for (size_t j = 0; j < k; j++)
            GEOSGeom_destroy_r(h, parts[j]);
        free(parts);
        return NULL;
    }
    free(parts); /* the collection owns the parts now */
    GEOSGeometry *u = GEOSUnaryUnion_r(h, coll);
    GEOSGeom_destroy_r(h, coll);
    return u;
}

/* An empty polygon (for a side the group does not have). */
static GEOSGeometry *empty_polygon(ccgis_ctx *ctx)
{
    return GEOSGeom_createEmptyPolygon_r(ccgis_ctx_geos(ctx));
}

/* The class of a measured group; tol in m². */
static ccgis_change_kind classify(const ccgis_change_group *g, double tol)
{
    if (g->n_now == 0)
        return CCGIS_CHANGE_NEW;
    if (g->n_plan == 0)
        return CCGIS_CHANGE_REMOVED;
    if (g->n_now > g->n_plan)
        return CCGIS_CHANGE_MERGED;
    if (g->n_now < g->n_plan)
        return CCGIS_CHANGE_SPLIT;
    if (g->n_now > 1)
        return CCGIS_CHANGE_MOVED;
    if (g->common_m2 < 0.5 * fmin(g->now_m2, g->plan_m2) || g->common_m2 <= 0)
        return CCGIS_CHANGE_MOVED;
    int gains = g->gained_m2 > tol, loses = g->lost_m2 > tol;
    if (!gains && !loses)
        return CCGIS_CHANGE_UNCHANGED;
    if (gains && !loses)
        return CCGIS_CHANGE_EXPANDED;
    if (loses && !gains)
        return CCGIS_CHANGE_REDUCED;
    double delta = g->plan_m2 - g->now_m2;
    if (delta > tol)
        return CCGIS_CHANGE_EXPANDED;
    if (delta < -tol)
        return CCGIS_CHANGE_REDUCED;
    return CCGIS_CHANGE_MOVED;
}

/* The ids of a side of a group, "A, B", for messages, in buf. */
static const char *ids_of(const ccgis_layer *l, const size_t *idx, size_t k, char *buf,
                          size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < k && used + 1 < cap; i++) {
        int w = snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", l->f[idx[i]].key);
        if (w < 0)
            break;
        used += (size_t)w < cap - used ? (size_t)w : cap - used - 1;
    }
    return buf;
}

/* Measure group g: unions, common, gained, lost; check they add up; set
 * its class.  Returns CCGIS_OK or a failure (recorded). */
static ccgis_status measure(ccgis_ctx *ctx, const ccgis_layer *now, const ccgis_layer *plan,
                            ccgis_change_group *g, double sliver, double sliver_m2)
{
    GEOSContextHandle_t h = ccgis_ctx_geos(ctx);
    char a[256], b[256];
    GEOSGeometry *un = g->n_now ? union_of(ctx, now, g->now, g->n_now) : empty_polygon(ctx);
    GEOSGeometry *up = g->n_plan ? union_of(ctx, plan, g->plan, g->n_plan) : empty_polygon(ctx);
    GEOSGeometry *common = NULL;
    ccgis_status st = CCGIS_OK;
    if (!un || !up) {
        st = ccgis_error(ctx, CCGIS_ERR_GEOMETRY,
                         "clusters %s (today) and %s (plan) cannot be joined (%s)",
                         ids_of(now, g->now, g->n_now, a, sizeof a),
                         ids_of(plan, g->plan, g->n_plan, b, sizeof b),
                         ccgis_geos_reason(ctx, "GEOS failed"));
        goto done;
    }
    common = GEOSIntersection_r(h, un, up);
    g->gained = GEOSDifference_r(h, up, un);
    g->lost = GEOSDifference_r(h, un, up);
    if (!common || !g->gained || !g->lost) {
        st = ccgis_error(ctx, CCGIS_ERR_GEOMETRY,
                         "clusters %s (today) and %s (plan) cannot be compared (%s)",
                         ids_of(now, g->now, g->n_now, a, sizeof a),
                         ids_of(plan, g->plan, g->n_plan, b, sizeof b),
                         ccgis_geos_reason(ctx, "GEOS failed"));
        goto done;
    }
    if ((st = ccgis_geod_area(ctx, un, &g->now_m2)) != CCGIS_OK ||
        (st = ccgis_geod_area(ctx, up, &g->plan_m2)) != CCGIS_OK ||
        (st = ccgis_geod_area(ctx, common, &g->common_m2)) != CCGIS_OK ||
        (st = ccgis_geod_area(ctx, g->gained, &g->gained_m2)) != CCGIS_OK ||
        (st = ccgis_geod_area(ctx, g->lost, &g->lost_m2)) != CCGIS_OK)
        goto done;
    /* The invariant: each union is its common part plus what only it has.
     * Cut in the lon/lat plane and measured on the ellipsoid the parts are
     * additive to about 1e-5 of the area (partition.c says why); more than
     * 1e-4 is a fault, not round-off. */
    double slack_now = 1e-4 * g->now_m2 + 1e-6, slack_plan = 1e-4 * g->plan_m2 + 1e-6;
    if (fabs(g->common_m2 + g->lost_m2 - g->now_m2) > slack_now ||
        fabs(g->common_m2 + g->gained_m2 - g->plan_m2) > slack_plan) {
        st = ccgis_error(ctx, CCGIS_ERR_INTERNAL,
                         "clusters %s (today) and %s (plan): common %.3f + lost %.3f m² vs "
                         "%.3f m², common + gained %.3f m² vs %.3f m² do not add up",
                         ids_of(now, g->now, g->n_now, a, sizeof a),
                         ids_of(plan, g->plan, g->n_plan, b, sizeof b), g->common_m2,
                         g->lost_m2, g->now_m2, g->common_m2 + g->gained_m2, g->plan_m2);
        goto done;
    }
    double tol = fmax(sliver * fmax(g->now_m2, g->plan_m2), sliver_m2);
    g->kind = classify(g, tol);
done:
    if (un)
        GEOSGeom_destroy_r(h, un);
    if (up)
        GEOSGeom_destroy_r(h, up);
    if (common)
        GEOSGeom_destroy_r(h, common);
    return st;
}

/* ---- the call ---------------------------------------------------------- */

ccgis_change_result *ccgis_change_result_free(ccgis_ctx *ctx, ccgis_change_result *r)
{
    if (!r)
        return NULL;
    GEOSContextHandle_t h = ctx ? ccgis_ctx_geos(ctx) : NULL;
    for (size_t k = 0; k < r->n_groups; k++) {
        ccgis_change_group *g = &r->g[k];
        free(g->now);
        free(g->plan);
        if (h && g->gained)
            GEOSGeom_destroy_r(h, g->gained);
        if (h && g->lost)
            GEOSGeom_destroy_r(h, g->lost);
    }
    free(r->g);
    free(r->now_group);
    free(r->plan_group);
    free(r);
    return NULL;
}

/* Fill r's groups from the union-find roots.  Groups are numbered in the
 * order of their smallest member (now clusters before plan ones), so a
 * group holding now clusters comes in reading order and new ones last. */
static ccgis_status build_groups(ccgis_ctx *ctx, const ccgis_layer *now, const ccgis_layer *plan,
                                 size_t *parent, const unsigned char *by_id,
                                 ccgis_change_result *r)
{
    size_t n = now->n, m = plan->n, total = n + m;
    size_t *gid = malloc((total ? total : 1) * sizeof *gid);
    if (!gid)
        return ccgis_nomem(ctx);
    for (size_t x = 0; x < total; x++)
        gid[x] = SIZE_MAX;
    size_t ng = 0;
    for (size_t x = 0; x < total; x++) {
        size_t root = uf_find(parent, x);
        if (gid[root] == SIZE_MAX)
            gid[root] = ng++;
        gid[x] = gid[root];
    }
    r->g = ccgis_calloc(ctx, ng ? ng : 1, sizeof *r->g);
    if (!r->g) {
        free(gid);
        return ccgis_nomem(ctx);
    }
    r->n_groups = ng;
    for (size_t x = 0; x < total; x++) {
        ccgis_change_group *g = &r->g[gid[x]];
        if (x < n)
            g->n_now++;
        else
            g->n_plan++;
        g->by_id |= by_id[x];
    }
    for (size_t k = 0; k < ng; k++) {
        ccgis_change_group *g = &r->g[k];
        g->now = ccgis_calloc(ctx, g->n_now ? g->n_now : 1, sizeof *g->now);
        g->plan = ccgis_calloc(ctx, g->n_plan ? g->n_plan : 1, sizeof *g->plan);
        if (!g->now || !g->plan) {
            free(gid);
            return ccgis_nomem(ctx);
        }
        g->n_now = g->n_plan = 0;
    }
    for (size_t x = 0; x < total; x++) {
        ccgis_change_group *g = &r->g[gid[x]];
        if (x < n) {
            g->now[g->n_now++] = x;
            r->now_group[x] = gid[x];
        } else {
            g->plan[g->n_plan++] = x - n;
            r->plan_group[x - n] = gid[x];
        }
    }
    free(gid);
    return CCGIS_OK;
}

ccgis_status ccgis_change(ccgis_ctx *ctx, const ccgis_layer *now, const ccgis_layer *plan,
                          double sliver, double sliver_m2, ccgis_progress_fn progress,
                          void *progress_arg, ccgis_change_result **out)
{
    *out = NULL;
    if (!(sliver >= 0) || !(sliver_m2 >= 0))
        return ccgis_error(ctx, CCGIS_ERR_USAGE,
                           "the change tolerance must be >= 0 (sliver %g, sliver_m2 %g)", sliver,
                           sliver_m2);
    size_t n = now->n, m = plan->n, total = n + m;
    ccgis_change_result *r = ccgis_calloc(ctx, 1, sizeof *r);
    size_t *parent = malloc((total ? total : 1) * sizeof *parent);
    unsigned char *by_id = calloc(total ? total : 1, 1);
    double *now_m2 = calloc(n ? n : 1, sizeof *now_m2);
    double *plan_m2 = calloc(m ? m : 1, sizeof *plan_m2);
    ccgis_status st = CCGIS_OK;
    if (r) {
        r->n_now = n;
        r->n_plan = m;
        r->now_group = calloc(n ? n : 1, sizeof *r->now_group);
        r->plan_group = calloc(m ? m : 1, sizeof *r->plan_group);
    }
    if (!r || !parent || !by_id || !now_m2 || !plan_m2 || !r->now_group || !r->plan_group) {
        st = ccgis_nomem(ctx);
        goto done;
    }
    for (size_t x = 0; x < total; x++)
        parent[x] = x;
    for (size_t i = 0; i < n && st == CCGIS_OK; i++)
        st = ccgis_geod_area(ctx, now->f[i].geom, &now_m2[i]);
    for (size_t j = 0; j < m && st == CCGIS_OK; j++)
        st = ccgis_geod_area(ctx, plan->f[j].geom, &plan_m2[j]);
    if (st == CCGIS_OK)
        st = match_ids(ctx, now, plan, parent, by_id);
    if (st == CCGIS_OK)
        st = match_overlaps(ctx, now, plan, now_m2, plan_m2, progress, progress_arg, parent);
    if (st == CCGIS_OK)
        st = build_groups(ctx, now, plan, parent, by_id, r);
    for (size_t k = 0; st == CCGIS_OK && k < r->n_groups; k++) {
        if (ccgis_interrupt_pending()) {
            st = ccgis_error(ctx, CCGIS_ERR_CANCELLED, "cancelled by the caller");
            break;
        }
        st = measure(ctx, now, plan, &r->g[k], sliver, sliver_m2);
        if (st == CCGIS_OK)
            r->count[r->g[k].kind]++;
    }
    if (st == CCGIS_OK && progress && !progress(1.0, "plan", progress_arg))
        st = ccgis_error(ctx, CCGIS_ERR_CANCELLED, "cancelled by the caller");
done:
    free(parent);
    free(by_id);
    free(now_m2);
    free(plan_m2);
    if (st != CCGIS_OK) {
        ccgis_change_result_free(ctx, r);
        return st;
    }
    *out = r;
    return CCGIS_OK;
}
