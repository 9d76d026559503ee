/*
 * partition.c -- how the zone pieces of one input become its figures (see
 * ccgis/overlay.h, "The figures of each input are a partition").
 *
 * Input: the raw pieces of one input polygon, one per zone that shares area
 * with it (the zone ∩ input, its geodesic area, the zone's class and id),
 * sorted by class key then reading order.  Output, appended to the overlay
 * result:
 *
 *   - one piece per class: the union of its zones' pieces, measured once --
 *     the coverage union when the zones tile (cheap, checked by area), the
 *     general union when they overlap;
 *   - A and C, the unions of the allowed and other classes' pieces, and from
 *     them allowed = |A| - |A∩C|, conflict = |C| - |A∩C|, mixed = |A∩C|,
 *     nozone = |input| - |A| - |C| + |A∩C|: a partition of the input's area
 *     by construction, checked against the bounds every figure must keep;
 *   - when the pieces' sum exceeds what they cover, each pair of zones
 *     overlapping inside the input by at least its tolerance;
 *   - zones with a blank class (counted as no zone) as notes;
 *   - the geometries of the conflict part (C \ A) and of the part on no
 *     zone, when they reach the tolerance.
 */
#define _GNU_SOURCE /* qsort_r */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Slack for comparing areas that should be equal but went through
 * different floating-point paths: 1e-9 of the input's area, and 1e-6 m². */
static double slack(double area_m2)
{
    return 1e-9 * area_m2 + 1e-6;
}

/*
 * How far measured parts may add up past their whole before it is a bug.
 * Pieces are cut by GEOS in the lon/lat plane, so a cut point lies on the
 * straight lon/lat segment, not on the geodesic between the edge's ends that
 * ccgis_geod_area follows: geodesic areas of the pieces of a polygon add up
 * to its area only within about 1e-5 (an edge of 5 km at 21° N bows 0.2 m
 * between the two).  PostGIS's ST_Area(geography) of the same pieces does
 * the same.  Up to 1e-4 of the area (and 1e-3 m²) the parts are scaled to
 * add up exactly; beyond, the figures are refused as a bug.
 */
static double noise(double area_m2)
{
    return 1e-4 * area_m2 + 1e-3;
}

/*
 * The union of the polygons of `coll` (borrowed; nparts parts whose areas
 * add up to `sum`), and its geodesic area in *area.  Tries GEOS's coverage
 * union, which is right only when the parts do not overlap -- accepted when
 * it is valid and measures the sum -- else the general union.  Returns a new
 * polygonal geometry, or NULL (recorded) on failure.
 */
static GEOSGeometry *union_measured(ccgis_ctx *ctx, const GEOSGeometry *coll, int nparts,
                                    double sum, double *area)
{
    GEOSContextHandle_t h = ctx->geos;
    GEOSGeometry *u = NULL;
    if (nparts == 1) {
        *area = sum;
        return ccgis_geom_polygonal(ctx, GEOSGeom_clone_r(h, GEOSGetGeometryN_r(h, coll, 0)));
    }
    u = ccgis_geom_polygonal(ctx, GEOSCoverageUnion_r(h, coll));
    if (u && GEOSisValid_r(h, u) == 1 && ccgis_geod_area(ctx, u, area) == CCGIS_OK &&
        fabs(*area - sum) <= slack(sum))
        return u;
    if (u)
        GEOSGeom_destroy_r(h, u);
    ccgis_geos_reason(ctx, NULL); /* a failed coverage union is no error */
    ccgis_clear_error(ctx);
    u = ccgis_geom_polygonal(ctx, GEOSUnaryUnion_r(h, coll));
    if (!u) {
        ccgis_error(ctx, CCGIS_ERR_GEOMETRY, "GEOS cannot union the zones' pieces: %s",
                    ccgis_geos_reason(ctx, "no reason given"));
        return NULL;
    }
    if (ccgis_geod_area(ctx, u, area) != CCGIS_OK) {
        GEOSGeom_destroy_r(h, u);
        return NULL;
    }
    return u;
}

/* A collection taking over parts[0..n) (destroyed on failure); NULL (recorded). */
static GEOSGeometry *collect(ccgis_ctx *ctx, GEOSGeometry **parts, size_t n)
{
    GEOSGeometry *c =
        GEOSGeom_createCollection_r(ctx->geos, GEOS_GEOMETRYCOLLECTION, parts, (unsigned)n);
    if (!c) {
        for (size_t k = 0; k < n; k++)
            GEOSGeom_destroy_r(ctx->geos, parts[k]);
        ccgis_nomem(ctx);
    }
    return c;
}

/* The measured union (union_measured) of parts[0..*n), which it takes over
 * (*n set to 0); their areas add up to `sum`.  NULL (recorded) on failure. */
static GEOSGeometry *union_of(ccgis_ctx *ctx, GEOSGeometry **parts, size_t *n, double sum,
                              double *area)
{
    size_t k = *n;
    *n = 0;
    GEOSGeometry *coll = collect(ctx, parts, k);
    if (!coll)
        return NULL;
    GEOSGeometry *u = union_measured(ctx, coll, (int)k, sum, area);
    GEOSGeom_destroy_r(ctx->geos, coll);
    return u;
}

/* 1 if key is in the NULL-terminated list of keys. */
static int key_in(const char *const *keys, const char *key)
{
    for (; keys && *keys; keys++)
        if (strcmp(*keys, key) == 0)
            return 1;
    return 0;
}

/* STRtree callback: collect part indices. */
typedef struct hits {
    size_t *idx, n;
} hits;
static void hit(void *item, void *arg)
{
    hits *hs = arg;
    hs->idx[hs->n++] = (size_t)item - 1;
}

/* qsort_r comparator of piece indices by the zones' reading order. */
static int by_seq(const void *a, const void *b, void *arg)
{
    const ccgis_raw_piece *const *pc = arg;
    long long x = pc[*(const size_t *)a]->seq, y = pc[*(const size_t *)b]->seq;
    return x < y ? -1 : x > y;
}

/*
 * Each pair of the input's classified pieces that overlaps by at least
 * tol_m2 becomes an overlap record; smaller ones are counted.  `pieces` are
 * the raw pieces (geometries borrowed), n of them.
 */
static ccgis_status find_overlaps(ccgis_ctx *ctx, size_t input, const ccgis_raw_piece *const *pc,
                                  const GEOSGeometry *const *geoms, size_t n, double tol_m2,
                                  const char *const *allowed_keys, ccgis_overlay_result *r)
{
    GEOSContextHandle_t h = ctx->geos;
    ccgis_status st = CCGIS_OK;
    GEOSSTRtree *tree = GEOSSTRtree_create_r(h, 10);
    hits hs = {ccgis_calloc(ctx, n, sizeof(size_t)), 0};
    size_t *order = ccgis_calloc(ctx, n, sizeof *order);
    if (!tree || !hs.idx || !order) {
        st = CCGIS_ERR_NOMEM;
        goto done;
    }
    for (size_t a = 0; a < n; a++) {
        GEOSSTRtree_insert_r(h, tree, geoms[a], (void *)(a + 1));
        order[a] = a;
    }
    /* Pairs in the zones' reading order, whatever the classes. */
    qsort_r(order, n, sizeof *order, by_seq, (void *)pc);
    for (size_t oa = 0; oa < n && st == CCGIS_OK; oa++) {
        size_t a = order[oa];
        hs.n = 0;
        GEOSSTRtree_query_r(h, tree, geoms[a], hit, &hs);
        qsort_r(hs.idx, hs.n, sizeof *hs.idx, by_seq, (void *)pc);
        for (size_t k = 0; k < hs.n && st == CCGIS_OK; k++) {
            size_t b = hs.idx[k];
            /* Each pair once: a read before b. */
            if (pc[b]->seq <= pc[a]->seq)
                continue;
            GEOSGeometry *x = GEOSIntersection_r(h, geoms[a], geoms[b]);
            if (!x) {
                st = ccgis_error(ctx, CCGIS_ERR_GEOMETRY,
                                 "GEOS cannot intersect zones %s and %s: %s -- check their "
                                 "geometry",
                                 pc[a]->zone, pc[b]->zone, ccgis_geos_reason(ctx, "no reason"));
                break;
            }
            x = ccgis_geom_polygonal(ctx, x);
            ccgis_clear_error(ctx);
            double area = 0;
            if (x && ccgis_geod_area(ctx, x, &area) != CCGIS_OK) {
                GEOSGeom_destroy_r(h, x);
                st = ccgis_errcode(ctx);
                break;
            }
            if (!x || area <= 0 || area < tol_m2) {
                if (area > 0)
                    r->overlaps_small++;
                if (x)
                    GEOSGeom_destroy_r(h, x);
                continue;
            }
            GEOSGeometry *m = ccgis_geom_multi(ctx, x);
            GEOSGeom_destroy_r(h, x);
            if (!ccgis_grow(ctx, (void **)&r->overlaps, &r->cap_overlaps, r->n_overlaps,
                            sizeof *r->overlaps)) {
                if (m)
                    GEOSGeom_destroy_r(h, m);
                st = CCGIS_ERR_NOMEM;
                break;
            }
            ccgis_overlay_overlap *o = &r->overlaps[r->n_overlaps++];
            memset(o, 0, sizeof *o);
            o->input = input;
            o->area_m2 = area;
            o->geom = m;
            o->mixed = key_in(allowed_keys, pc[a]->key) != key_in(allowed_keys, pc[b]->key);
            o->zone_a = ccgis_strdup(ctx, pc[a]->zone);
            o->zone_b = ccgis_strdup(ctx, pc[b]->zone);
            o->class_a = ccgis_strdup(ctx, pc[a]->klass);
            o->class_b = ccgis_strdup(ctx, pc[b]->klass);
            if (!m || !o->zone_a || !o->zone_b || !o->class_a || !o->class_b)
                st = ccgis_nomem(ctx);
        }
    }
done:
    if (tree)
        GEOSSTRtree_destroy_r(h, tree);
    free(hs.idx);
    free(order);
    if (st == CCGIS_ERR_NOMEM && ccgis_errcode(ctx) != CCGIS_ERR_NOMEM)
        ccgis_nomem(ctx);
    return st;
}

/* Append a note about a zone with a blank class (piece geometry taken over). */
static ccgis_status note_unclassified(ccgis_ctx *ctx, ccgis_overlay_result *r, size_t input,
                                      ccgis_raw_piece *p)
{
    if (!ccgis_grow(ctx, (void **)&r->notes, &r->cap_notes, r->n_notes, sizeof *r->notes))
        return CCGIS_ERR_NOMEM;
    ccgis_overlay_note *nt = &r->notes[r->n_notes++];
    memset(nt, 0, sizeof *nt);
    nt->kind = CCGIS_ZONE_UNCLASSIFIED;
    nt->input = input;
    nt->before_m2 = NAN;
    nt->area_m2 = p->area_m2;
    nt->geom = p->geom ? ccgis_geom_multi(ctx, p->geom) : NULL;
    nt->zone = ccgis_strdup(ctx, p->zone);
    nt->reason = ccgis_strdup(ctx, p->klass[0] ? p->klass : "blank or NULL class");
    if (!nt->zone || !nt->reason)
        return ccgis_nomem(ctx);
    return CCGIS_OK;
}

/* ccgis_partition: see internal.h. */
ccgis_status ccgis_partition(ccgis_ctx *ctx, const GEOSGeometry *input_geom, size_t input,
                             const char *input_name, double area_m2, double tol_m2,
                             const char *const *allowed_keys, int want_conflict_geom,
                             ccgis_raw_piece *p, size_t n, ccgis_overlay_result *r)
{
    GEOSContextHandle_t h = ctx->geos;
    ccgis_status st = CCGIS_OK;
    size_t n_groups = 0;
    GEOSGeometry **colls = ccgis_calloc(ctx, n + 1, sizeof *colls); /* per class: raw parts */
    GEOSGeometry **ua = ccgis_calloc(ctx, n + 1, sizeof *ua);       /* allowed class unions */
    GEOSGeometry **uc = ccgis_calloc(ctx, n + 1, sizeof *uc);       /* other class unions */
    GEOSGeometry **parts = ccgis_calloc(ctx, n + 1, sizeof *parts);
    const ccgis_raw_piece **pc = ccgis_calloc(ctx, n + 1, sizeof *pc);
    const GEOSGeometry **pg = ccgis_calloc(ctx, n + 1, sizeof *pg);
    GEOSGeometry *A = NULL, *C = NULL;
    size_t na = 0, nc = 0, n_raw = 0;
    double sum_a = 0, sum_c = 0, raw_sum = 0, area_a = 0, area_c = 0, mixed = 0;
    double top = -1;
    double eps = slack(area_m2);
    if (!colls || !ua || !uc || !parts || !pc || !pg) {
        st = ccgis_nomem(ctx);
        goto done;
    }

    for (size_t i = 0; i < n && st == CCGIS_OK;) {
        size_t j = i;
        while (j < n && strcmp(p[j].key, p[i].key) == 0)
            j++;
        if (!p[i].key[0]) { /* blank class: no zone */
            for (size_t k = i; k < j && st == CCGIS_OK; k++)
                st = note_unclassified(ctx, r, input, &p[k]);
            i = j;
            continue;
        }
        double sum = 0;
        for (size_t k = i; k < j; k++) {
            sum += p[k].area_m2;
            parts[k - i] = p[k].geom;
            p[k].geom = NULL;
        }
        GEOSGeometry *coll = collect(ctx, parts, j - i);
        if (!coll) {
            st = CCGIS_ERR_NOMEM;
            break;
        }
        colls[n_groups++] = coll;
        for (size_t k = i; k < j; k++) {
            pc[n_raw] = &p[k];
            pg[n_raw++] = GEOSGetGeometryN_r(h, coll, (int)(k - i));
        }
        raw_sum += sum;
        double area = 0;
        GEOSGeometry *u = union_measured(ctx, coll, (int)(j - i), sum, &area);
        if (!u) {
            st = ccgis_errcode(ctx) != CCGIS_OK ? ccgis_errcode(ctx) : CCGIS_ERR_GEOMETRY;
            break;
        }
        if (area > area_m2 + noise(area_m2)) {
            GEOSGeom_destroy_r(h, u);
            st = ccgis_error(ctx, CCGIS_ERR_INTERNAL,
                             "%s: its piece on class '%s' measures %.6f m², more than its "
                             "own %.6f m² -- this is a bug in ccgis; please report it with "
                             "the data",
                             input_name, p[i].klass, area, area_m2);
            break;
        }
        area = fmin(area, area_m2);
        int allowed = key_in(allowed_keys, p[i].key);
        ccgis_overlay_piece *out = &r->pieces[r->n_pieces++];
        memset(out, 0, sizeof *out);
        out->input = input;
        out->klass = ccgis_strdup(ctx, p[i].klass);
        out->key = ccgis_strdup(ctx, p[i].key);
        out->area_m2 = area;
        out->allowed = allowed;
        out->n_zones = (long long)(j - i);
        out->geom = ccgis_geom_multi(ctx, u);
        if (!out->geom || !out->klass || !out->key) {
            GEOSGeom_destroy_r(h, u);
            st = ccgis_nomem(ctx);
            break;
        }
        if (allowed) {
            ua[na++] = u;
            sum_a += area;
        } else {
            uc[nc++] = u;
            sum_c += area;
            if (area > top) {
                top = area;
                r->conflict_top[input] = out->klass;
            }
        }
        i = j;
    }
    if (st != CCGIS_OK)
        goto done;

    /* A and C. */
    if ((na && !(A = union_of(ctx, ua, &na, sum_a, &area_a))) ||
        (nc && !(C = union_of(ctx, uc, &nc, sum_c, &area_c)))) {
        st = ccgis_errcode(ctx) != CCGIS_OK ? ccgis_errcode(ctx) : CCGIS_ERR_GEOMETRY;
        goto done;
    }
    if (A && C) {
        GEOSGeometry *x = GEOSIntersection_r(h, A, C);
        if (!x) {
            st = ccgis_error(ctx, CCGIS_ERR_GEOMETRY,
                             "%s: GEOS cannot intersect its allowed and other zoning: %s",
                             input_name, ccgis_geos_reason(ctx, "no reason given"));
            goto done;
        }
        x = ccgis_geom_polygonal(ctx, x);
        ccgis_clear_error(ctx);
        if (x) {
            st = ccgis_geod_area(ctx, x, &mixed);
            GEOSGeom_destroy_r(h, x);
            if (st != CCGIS_OK)
                goto done;
        }
    }

    /* The partition, and the bounds every figure keeps. */
    double allow = fmax(area_a - mixed, 0), confl = fmax(area_c - mixed, 0);
    double covered = allow + confl + mixed;
    double nz = noise(area_m2);
    if (area_a > area_m2 + nz || area_c > area_m2 + nz || area_a - mixed < -nz ||
        area_c - mixed < -nz || covered > area_m2 + nz) {
        st = ccgis_error(ctx, CCGIS_ERR_INTERNAL,
                         "%s: its zoning figures do not add up (area %.6f m², allowed %.6f, "
                         "other %.6f, both %.6f) -- this is a bug in ccgis; please report it "
                         "with the data",
                         input_name, area_m2, area_a, area_c, mixed);
        goto done;
    }
    if (covered > area_m2) { /* measurement noise (see noise()): scale to the whole */
        double f = area_m2 / covered;
        allow *= f;
        confl *= f;
        mixed *= f;
    }
    r->allowed_m2[input] = allow;
    r->conflict_m2[input] = confl;
    r->mixed_m2[input] = mixed;
    r->nozone_m2[input] = fmax(area_m2 - (allow + confl + mixed), 0);

    /* Overlapping zones: only when the pieces cover less than they add up to,
     * by more than rounding (about 1e-8 of the area where nothing overlaps) or
     * than the tolerance, whichever is smaller. */
    if (raw_sum - (area_a + area_c - mixed) > eps + fmin(tol_m2, 1e-7 * area_m2) &&
        (st = find_overlaps(ctx, input, pc, pg, n_raw, tol_m2, allowed_keys, r)) != CCGIS_OK)
        goto done;

    /* Geometries of the parts worth a finding. */
    if (want_conflict_geom && C && r->conflict_m2[input] >= tol_m2 && r->conflict_m2[input] > 0) {
        GEOSGeometry *g = A ? GEOSDifference_r(h, C, A) : GEOSGeom_clone_r(h, C);
        g = g ? ccgis_geom_polygonal(ctx, g) : NULL;
        ccgis_clear_error(ctx);
        r->conflict_geom[input] = g ? ccgis_geom_multi(ctx, g) : NULL;
        if (g)
            GEOSGeom_destroy_r(h, g);
    }
    if (r->nozone_m2[input] >= tol_m2 && r->nozone_m2[input] > 0) {
        GEOSGeometry *cover = NULL;
        if (A && C) {
            GEOSGeometry *two[2] = {GEOSGeom_clone_r(h, A), GEOSGeom_clone_r(h, C)};
            GEOSGeometry *coll = two[0] && two[1] ? collect(ctx, two, 2) : NULL;
            cover = coll ? GEOSUnaryUnion_r(h, coll) : NULL;
            if (coll)
                GEOSGeom_destroy_r(h, coll);
        } else if (A || C) {
            cover = GEOSGeom_clone_r(h, A ? A : C);
        }
        GEOSGeometry *g = cover ? GEOSDifference_r(h, input_geom, cover)
                                  : GEOSGeom_clone_r(h, input_geom);
        if (cover)
            GEOSGeom_destroy_r(h, cover);
        g = g ? ccgis_geom_polygonal(ctx, g) : NULL;
        ccgis_clear_error(ctx);
        r->nozone_geom[input] = g ? ccgis_geom_multi(ctx, g) : NULL;
        if (g)
            GEOSGeom_destroy_r(h, g);
    }

done:
    for (size_t k = 0; k < n_groups; k++)
        GEOSGeom_destroy_r(h, colls[k]);
    for (size_t k = 0; k < na; k++)
        GEOSGeom_destroy_r(h, ua[k]);
    for (size_t k = 0; k < nc; k++)
        GEOSGeom_destroy_r(h, uc[k]);
    if (A)
        GEOSGeom_destroy_r(h, A);
    if (C)
        GEOSGeom_destroy_r(h, C);
    free(colls);
    free(ua);
    free(uc);
    free(parts);
    free(pc);
    free(pg);
    return st;
}
