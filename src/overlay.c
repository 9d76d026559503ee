/*
 * overlay.c -- input polygons against a streamed overlay layer (see
 * ccgis/overlay.h).
 *
 * Shape of the work:
 *
 *   reader (calling thread)            workers (1..N threads, own GEOS/PROJ)
 *   ------------------------           -------------------------------------
 *   GDAL spatial filter on the         per zone: WKB -> GEOS, to WGS 84,
 *   input's extent; per zone: class,   STRtree of the inputs -> candidates,
 *   2D ISO WKB; batches of 256   --->  prepared contains / intersects,
 *   into a bounded queue               intersection, geodesic area -> raw
 *                                      pieces (input, zone seq, class, area)
 *
 * With one thread the reader processes its batches itself.  When all zones
 * are read the raw pieces of every worker are sorted by (input, class, zone
 * reading order) and summed / unioned in that order, so that the result does
 * not depend on which worker took which batch.
 */
#include <math.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpl_conv.h>

#include "internal.h"

#define BATCH_SIZE 256

/* One zone as handed from the reader to a worker. */
typedef struct zone_rec {
    long long seq;      /* reading order */
    long long fid;
    char *klass;        /* owned */
    unsigned char *wkb; /* owned, 2D ISO WKB in the zone CRS */
    size_t wkb_size;
} zone_rec;

typedef struct batch {
    size_t n;
    zone_rec z[BATCH_SIZE];
} batch;

/* A piece of one input on one zone, before merging. */
typedef struct raw_piece {
    size_t input;
    long long seq;
    char *klass;        /* owned */
    double area_m2;
    GEOSGeometry *geom; /* owned, WGS 84 */
} raw_piece;

struct shared;

/* One worker: its own contexts and copies of the inputs, its own output. */
typedef struct worker {
    ccgis_ctx *ctx; /* own (worker 0 of a one-thread run: the caller's) */
    int own_ctx;
    ccgis_transform *to_wgs84;
    size_t n_in;
    GEOSGeometry **in;                /* clones of the inputs */
    const GEOSPreparedGeometry **prep;
    GEOSSTRtree *tree;
    size_t *cand;                     /* candidate buffer, n_in */
    size_t n_cand;

    raw_piece *pieces;
    size_t n_pieces, cap_pieces;
    long long near, repaired, skipped;

    ccgis_status st;        /* first failure of this worker */
    long long err_seq;      /* reading order of the zone that failed */
    char err[CCGIS_MSG_MAX];

    struct shared *sh;
    pthread_t thread;
} worker;

/* The queue between the reader and the workers. */
typedef struct shared {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    batch **q;
    size_t head, count, cap;
    int done;  /* the reader has pushed its last batch */
    int abort; /* a failure: everybody stops */
    const char *source, *layer; /* for messages */
} shared;

/* Free the owned parts of a batch's zones and empty it. */
static void batch_clear(batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        free(b->z[i].klass);
        CPLFree(b->z[i].wkb);
    }
    b->n = 0;
}

/* STRtree query callback: collect the input index. */
static void collect_candidate(void *item, void *arg)
{
    worker *w = arg;
    w->cand[w->n_cand++] = (size_t)(item) - 1;
}

/* qsort comparator of size_t. */
static int by_index(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Record the worker's first failure, taken from its context. */
static void worker_fail(worker *w, long long seq)
{
    if (w->st != CCGIS_OK)
        return;
    w->st = ccgis_errcode(w->ctx) != CCGIS_OK ? ccgis_errcode(w->ctx) : CCGIS_ERR_INTERNAL;
    w->err_seq = seq;
    memcpy(w->err, ccgis_errmsg(w->ctx), sizeof w->err);
}

/* Append a raw piece (geom and klass copy taken over on success). */
static int add_piece(worker *w, size_t input, const zone_rec *z, double area, GEOSGeometry *g)
{
    if (!ccgis_grow(w->ctx, (void **)&w->pieces, &w->cap_pieces, w->n_pieces,
                    sizeof *w->pieces))
        return 0;
    char *k = ccgis_strdup(w->ctx, z->klass);
    if (!k)
        return 0;
    w->pieces[w->n_pieces++] = (raw_piece){input, z->seq, k, area, g};
    return 1;
}

/*
 * The part of input i on zone g (both WGS 84): g itself when i contains it,
 * input i when g contains it, else their intersection's polygonal part.
 * Returns a new geometry, NULL when they share no area, or sets *failed.
 */
static GEOSGeometry *piece_of(worker *w, size_t i, const GEOSGeometry *g, const double gbox[4],
                              int *failed)
{
    GEOSContextHandle_t h = w->ctx->geos;
    *failed = 0;
    char c = GEOSPreparedContains_r(h, w->prep[i], g);
    if (c == 1)
        return GEOSGeom_clone_r(h, g);
    char x = GEOSPreparedIntersects_r(h, w->prep[i], g);
    if (c == 2 || x == 2) {
        *failed = 1;
        return NULL;
    }
    if (!x)
        return NULL;
    double ib[4];
    GEOSGeom_getXMin_r(h, w->in[i], &ib[0]);
    GEOSGeom_getYMin_r(h, w->in[i], &ib[1]);
    GEOSGeom_getXMax_r(h, w->in[i], &ib[2]);
    GEOSGeom_getYMax_r(h, w->in[i], &ib[3]);
    if (gbox[0] <= ib[0] && gbox[1] <= ib[1] && gbox[2] >= ib[2] && gbox[3] >= ib[3] &&
        GEOSContains_r(h, g, w->in[i]) == 1)
        return GEOSGeom_clone_r(h, w->in[i]);
    GEOSGeometry *inter = GEOSIntersection_r(h, w->in[i], g);
    if (!inter) {
        *failed = 1;
        return NULL;
    }
    GEOSGeometry *poly = ccgis_geom_polygonal(w->ctx, inter);
    if (poly && GEOSisEmpty_r(h, poly)) {
        GEOSGeom_destroy_r(h, poly);
        poly = NULL;
    }
    return poly;
}

/* Process one zone.  Returns 0 on a failure (recorded in the worker). */
static int process_zone(worker *w, const zone_rec *z)
{
    ccgis_ctx *ctx = w->ctx;
    GEOSContextHandle_t h = ctx->geos;
    ccgis_where at = {w->sh->source, w->sh->layer, z->fid};
    GEOSWKBReader *r = GEOSWKBReader_create_r(h);
    GEOSGeometry *src = r ? GEOSWKBReader_read_r(h, r, z->wkb, z->wkb_size) : NULL;
    GEOSGeometry *g = NULL;
    int ok = 1;
    if (r)
        GEOSWKBReader_destroy_r(h, r);
    if (!src) {
        w->skipped++;
        return 1;
    }
    src = ccgis_geom_polygonal(ctx, src);
    if (!src || GEOSisEmpty_r(h, src)) {
        w->skipped++;
        if (src)
            GEOSGeom_destroy_r(h, src);
        return 1;
    }
    g = ccgis_transform_geom(ctx, w->to_wgs84, src);
    GEOSGeom_destroy_r(h, src);
    if (!g) {
        ccgis_error_at(ctx, CCGIS_ERR_TRANSFORM, at,
                       "cannot be transformed to WGS 84 -- check the zones layer's CRS");
        worker_fail(w, z->seq);
        return 0;
    }
    w->n_cand = 0;
    GEOSSTRtree_query_r(h, w->tree, g, collect_candidate, w);
    if (w->n_cand == 0)
        goto done;
    w->near++;
    qsort(w->cand, w->n_cand, sizeof *w->cand, by_index);
    if (GEOSisValid_r(h, g) != 1) {
        GEOSGeometry *fixed = ccgis_geom_polygonal(ctx, GEOSMakeValid_r(h, g));
        GEOSGeom_destroy_r(h, g);
        g = fixed;
        w->repaired++;
        if (!g || GEOSisEmpty_r(h, g)) {
            w->skipped++;
            goto done;
        }
    }
    double gbox[4];
    GEOSGeom_getXMin_r(h, g, &gbox[0]);
    GEOSGeom_getYMin_r(h, g, &gbox[1]);
    GEOSGeom_getXMax_r(h, g, &gbox[2]);
    GEOSGeom_getYMax_r(h, g, &gbox[3]);
    for (size_t k = 0; k < w->n_cand && ok; k++) {
        size_t i = w->cand[k];
        int failed;
        GEOSGeometry *p = piece_of(w, i, g, gbox, &failed);
        if (failed) {
            ccgis_error_at(ctx, CCGIS_ERR_GEOMETRY, at,
                           "GEOS cannot intersect this zone with input %zu: %s -- check the "
                           "zone's geometry",
                           i, ccgis_geos_reason(ctx, "no reason given"));
            worker_fail(w, z->seq);
            ok = 0;
            break;
        }
        if (!p)
            continue;
        double area = 0;
        if (ccgis_geod_area(ctx, p, &area) != CCGIS_OK) {
            worker_fail(w, z->seq);
            GEOSGeom_destroy_r(h, p);
            ok = 0;
            break;
        }
        if (area <= 0) {
            GEOSGeom_destroy_r(h, p);
            continue;
        }
        if (!add_piece(w, i, z, area, p)) {
            GEOSGeom_destroy_r(h, p);
            worker_fail(w, z->seq);
            ok = 0;
        }
    }
done:
    if (g)
        GEOSGeom_destroy_r(h, g);
    return ok;
}

/* Worker thread: take batches until the reader is done or a failure. */
static void *worker_main(void *arg)
{
    worker *w = arg;
    shared *sh = w->sh;
    for (;;) {
        pthread_mutex_lock(&sh->mu);
        while (sh->count == 0 && !sh->done && !sh->abort)
            pthread_cond_wait(&sh->not_empty, &sh->mu);
        if (sh->abort || (sh->count == 0 && sh->done)) {
            pthread_mutex_unlock(&sh->mu);
            return NULL;
        }
        batch *b = sh->q[sh->head];
        sh->head = (sh->head + 1) % sh->cap;
        sh->count--;
        pthread_cond_signal(&sh->not_full);
        pthread_mutex_unlock(&sh->mu);

        int ok = 1;
        for (size_t i = 0; i < b->n && ok; i++)
            ok = process_zone(w, &b->z[i]);
        batch_clear(b);
        free(b);
        if (!ok) {
            pthread_mutex_lock(&sh->mu);
            sh->abort = 1;
            pthread_cond_broadcast(&sh->not_empty);
            pthread_cond_broadcast(&sh->not_full);
            pthread_mutex_unlock(&sh->mu);
            return NULL;
        }
    }
}

/* Set up a worker: contexts, copies of the inputs, their tree and prepared
 * forms.  Returns CCGIS_OK or a failure recorded in `ctx` (the caller's). */
static ccgis_status worker_init(ccgis_ctx *ctx, worker *w, int own, const ccgis_layer *input,
                                const ccgis_transform *to_wgs84, shared *sh)
{
    w->sh = sh;
    w->own_ctx = own;
    w->ctx = own ? ccgis_ctx_new() : ctx;
    if (!w->ctx)
        return ccgis_nomem(ctx);
    if (ccgis_transform_clone(w->ctx, to_wgs84, &w->to_wgs84) != CCGIS_OK)
        return ccgis_error(ctx, ccgis_errcode(w->ctx), "%s", ccgis_errmsg(w->ctx));
    GEOSContextHandle_t h = w->ctx->geos;
    w->n_in = input->n;
    w->in = calloc(input->n, sizeof *w->in);
    w->prep = calloc(input->n, sizeof *w->prep);
    w->cand = calloc(input->n, sizeof *w->cand);
    w->tree = GEOSSTRtree_create_r(h, 10);
    if (!w->in || !w->prep || !w->cand || !w->tree)
        return ccgis_nomem(ctx);
    for (size_t i = 0; i < input->n; i++) {
        w->in[i] = GEOSGeom_clone_r(h, input->f[i].geom);
        w->prep[i] = w->in[i] ? GEOSPrepare_r(h, w->in[i]) : NULL;
        if (!w->prep[i])
            return ccgis_nomem(ctx);
        GEOSSTRtree_insert_r(h, w->tree, w->in[i], (void *)(i + 1));
    }
    return CCGIS_OK;
}

/* Release a worker's resources; its raw pieces must have been taken. */
static void worker_clear(worker *w)
{
    if (!w->ctx)
        return;
    GEOSContextHandle_t h = w->ctx->geos;
    if (w->tree)
        GEOSSTRtree_destroy_r(h, w->tree);
    for (size_t i = 0; i < w->n_in; i++) {
        if (w->prep && w->prep[i])
            GEOSPreparedGeom_destroy_r(h, w->prep[i]);
        if (w->in && w->in[i])
            GEOSGeom_destroy_r(h, w->in[i]);
    }
    for (size_t i = 0; i < w->n_pieces; i++) {
        free(w->pieces[i].klass);
        if (w->pieces[i].geom)
            GEOSGeom_destroy_r(h, w->pieces[i].geom);
    }
    free(w->pieces);
    free(w->in);
    free(w->prep);
    free(w->cand);
    ccgis_transform_free(w->to_wgs84);
    if (w->own_ctx)
        ccgis_ctx_free(w->ctx);
}

/* Hand a full batch to the workers (blocking while the queue is full), or
 * process it here when there are none.  Returns 0 if the work must stop. */
static int dispatch(shared *sh, worker *workers, int nthreads, batch *b)
{
    if (nthreads == 1) {
        int ok = 1;
        for (size_t i = 0; i < b->n && ok; i++)
            ok = process_zone(&workers[0], &b->z[i]);
        batch_clear(b);
        free(b);
        return ok;
    }
    pthread_mutex_lock(&sh->mu);
    while (sh->count == sh->cap && !sh->abort)
        pthread_cond_wait(&sh->not_full, &sh->mu);
    int ok = !sh->abort;
    if (ok) {
        sh->q[(sh->head + sh->count) % sh->cap] = b;
        sh->count++;
        pthread_cond_signal(&sh->not_empty);
    }
    pthread_mutex_unlock(&sh->mu);
    if (!ok) {
        batch_clear(b);
        free(b);
    }
    return ok;
}

/* Order of raw pieces: input, class (bytes), zone reading order. */
static int by_piece(const void *a, const void *b)
{
    const raw_piece *x = a, *y = b;
    if (x->input != y->input)
        return x->input < y->input ? -1 : 1;
    int c = strcmp(x->klass, y->klass);
    if (c)
        return c;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* 1 if klass is in the NULL-terminated allowed list (case-insensitive). */
static int is_allowed(const char *const *allowed, const char *klass)
{
    for (; allowed && *allowed; allowed++)
        if (strcasecmp(*allowed, klass) == 0)
            return 1;
    return 0;
}

/*
 * Merge the workers' raw pieces into r->pieces: one per (input, class), the
 * areas summed and the geometries unioned in reading order.  Takes the raw
 * pieces over (the workers' lists are emptied).
 */
static ccgis_status merge_pieces(ccgis_ctx *ctx, worker *workers, int nthreads,
                                 const ccgis_overlay_options *o, ccgis_overlay_result *r)
{
    GEOSContextHandle_t h = ctx->geos;
    size_t total = 0;
    for (int t = 0; t < nthreads; t++)
        total += workers[t].n_pieces;
    raw_piece *all = ccgis_calloc(ctx, total, sizeof *all);
    GEOSGeometry **parts = ccgis_calloc(ctx, total, sizeof *parts);
    r->pieces = ccgis_calloc(ctx, total, sizeof *r->pieces);
    if (!all || !parts || !r->pieces) {
        free(all);
        free(parts);
        return CCGIS_ERR_NOMEM;
    }
    size_t n = 0;
    for (int t = 0; t < nthreads; t++) {
        if (workers[t].n_pieces)
            memcpy(all + n, workers[t].pieces, workers[t].n_pieces * sizeof *all);
        n += workers[t].n_pieces;
        workers[t].n_pieces = 0;
    }
    qsort(all, n, sizeof *all, by_piece);

    ccgis_status st = CCGIS_OK;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        double sum = 0;
        while (j < n && all[j].input == all[i].input && strcmp(all[j].klass, all[i].klass) == 0) {
            sum += all[j].area_m2;
            parts[j - i] = all[j].geom;
            all[j].geom = NULL;
            j++;
        }
        GEOSGeometry *coll =
            GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts, (unsigned)(j - i));
        GEOSGeometry *u = NULL;
        if (coll) {
            /* Pieces of a zoning partition share their edges exactly: the
             * coverage union is much cheaper; on anything else (overlapping
             * zones), it fails and the general union is used. */
            u = j - i == 1 ? NULL : ccgis_geom_polygonal(ctx, GEOSCoverageUnion_r(h, coll));
            if (u && GEOSisValid_r(h, u) != 1) {
                GEOSGeom_destroy_r(h, u);
                u = NULL;
            }
            ccgis_geos_reason(ctx, NULL); /* a failed coverage union is no error */
            if (!u)
                u = ccgis_geom_polygonal(ctx, GEOSUnaryUnion_r(h, coll));
            if (!u) { /* keep the parts as they are rather than lose them */
                ccgis_msg(ctx, CCGIS_DEBUG, "union of the pieces failed: %s",
                          ccgis_geos_reason(ctx, "no reason"));
                u = ccgis_geom_polygonal(ctx, GEOSGeom_clone_r(h, coll));
            }
            GEOSGeom_destroy_r(h, coll);
        } else {
            for (size_t k = 0; k < j - i; k++)
                GEOSGeom_destroy_r(h, parts[k]);
        }
        GEOSGeometry *m = u ? ccgis_geom_multi(ctx, u) : NULL;
        if (u)
            GEOSGeom_destroy_r(h, u);
        ccgis_overlay_piece *p = &r->pieces[r->n_pieces++];
        p->input = all[i].input;
        p->klass = all[i].klass;
        all[i].klass = NULL;
        p->area_m2 = sum;
        p->n_zones = (long long)(j - i);
        p->allowed = is_allowed(o->allowed, p->klass);
        p->geom = m;
        if (!m && st == CCGIS_OK)
            st = ccgis_error(ctx, CCGIS_ERR_INTERNAL, "cannot assemble the pieces of input %zu",
                             p->input);
        for (size_t k = i + 1; k < j; k++)
            free(all[k].klass);
        i = j;
    }
    free(all);
    free(parts);
    return st;
}

/* Per input: area, allowed and conflict sums, the top conflict class. */
static ccgis_status summarise(ccgis_ctx *ctx, const ccgis_layer *input, ccgis_overlay_result *r)
{
    r->n_input = input->n;
    r->area_m2 = ccgis_calloc(ctx, input->n, sizeof *r->area_m2);
    r->allowed_m2 = ccgis_calloc(ctx, input->n, sizeof *r->allowed_m2);
    r->conflict_m2 = ccgis_calloc(ctx, input->n, sizeof *r->conflict_m2);
    r->conflict_top = ccgis_calloc(ctx, input->n, sizeof *r->conflict_top);
    if (!r->area_m2 || !r->allowed_m2 || !r->conflict_m2 || !r->conflict_top)
        return CCGIS_ERR_NOMEM;
    for (size_t i = 0; i < input->n; i++) {
        ccgis_status st = ccgis_geod_area(ctx, input->f[i].geom, &r->area_m2[i]);
        if (st != CCGIS_OK)
            return st;
    }
    double *top = ccgis_calloc(ctx, input->n, sizeof *top);
    if (!top)
        return CCGIS_ERR_NOMEM;
    for (size_t k = 0; k < r->n_pieces; k++) {
        const ccgis_overlay_piece *p = &r->pieces[k];
        if (p->allowed) {
            r->allowed_m2[p->input] += p->area_m2;
        } else {
            r->conflict_m2[p->input] += p->area_m2;
            if (p->area_m2 > top[p->input]) {
                top[p->input] = p->area_m2;
                r->conflict_top[p->input] = p->klass;
            }
        }
    }
    free(top);
    return CCGIS_OK;
}

/* ---- reading only the zones near an input --------------------------------- */

/*
 * The inputs' boxes in the zones' CRS (each input's WGS 84 box carried over
 * by PROJ with densified edges, plus a margin of about a metre), sorted by
 * their west edge.  A zone whose box meets none of them cannot meet an input,
 * so the reader drops it before exporting or transforming anything.
 */
typedef struct box_index {
    size_t n;
    double (*b)[4]; /* minx, miny, maxx, maxy */
    double max_w;   /* widest box */
} box_index;

/* qsort comparator of boxes by minx. */
static int by_minx(const void *a, const void *b)
{
    const double *x = a, *y = b;
    return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* Build the index; returns 1, or 0 when an input's box cannot be carried
 * into the zones' CRS (then every zone must be read: no pruning). */
static int box_index_build(ccgis_ctx *ctx, const ccgis_layer *input, ccgis_transform *to_wgs84,
                           double margin, box_index *bi)
{
    bi->b = ccgis_calloc(ctx, input->n, sizeof *bi->b);
    if (!bi->b)
        return 0;
    for (size_t i = 0; i < input->n; i++) {
        double w[4], z[4];
        GEOSGeom_getXMin_r(ctx->geos, input->f[i].geom, &w[0]);
        GEOSGeom_getYMin_r(ctx->geos, input->f[i].geom, &w[1]);
        GEOSGeom_getXMax_r(ctx->geos, input->f[i].geom, &w[2]);
        GEOSGeom_getYMax_r(ctx->geos, input->f[i].geom, &w[3]);
        if (!ccgis_transform_bounds(ctx, to_wgs84, 1, w, z))
            return 0;
        bi->b[i][0] = z[0] - margin;
        bi->b[i][1] = z[1] - margin;
        bi->b[i][2] = z[2] + margin;
        bi->b[i][3] = z[3] + margin;
        bi->max_w = fmax(bi->max_w, bi->b[i][2] - bi->b[i][0]);
    }
    bi->n = input->n;
    qsort(bi->b, bi->n, sizeof *bi->b, by_minx);
    return 1;
}

/* 1 if box e (minx, miny, maxx, maxy) meets an indexed box. */
static int box_index_hits(const box_index *bi, const double e[4])
{
    /* Boxes that can meet e start in [e.minx - max_w, e.maxx]. */
    size_t lo = 0, hi = bi->n;
    double from = e[0] - bi->max_w;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (bi->b[mid][0] < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < bi->n && bi->b[i][0] <= e[2]; i++)
        if (bi->b[i][2] >= e[0] && bi->b[i][1] <= e[3] && bi->b[i][3] >= e[1])
            return 1;
    return 0;
}

/* A set of feature ids, so that a zone near several inputs is read once
 * when the reader queries the spatial index input by input. */
typedef struct fid_set {
    long long *slot; /* LLONG_MIN: empty */
    size_t cap, n;
} fid_set;

/* Add fid; returns 1 if it was new, 0 if already there, -1 when out of memory. */
static int fid_set_add(fid_set *s, long long fid)
{
    if (2 * (s->n + 1) > s->cap) {
        size_t ncap = s->cap ? 2 * s->cap : 1024;
        long long *ns = malloc(ncap * sizeof *ns);
        if (!ns)
            return -1;
        for (size_t i = 0; i < ncap; i++)
            ns[i] = LLONG_MIN;
        for (size_t i = 0; i < s->cap; i++) {
            if (s->slot[i] == LLONG_MIN)
                continue;
            size_t h = (size_t)((unsigned long long)s->slot[i] * 0x9E3779B97F4A7C15ULL) & (ncap - 1);
            while (ns[h] != LLONG_MIN)
                h = (h + 1) & (ncap - 1);
            ns[h] = s->slot[i];
        }
        free(s->slot);
        s->slot = ns;
        s->cap = ncap;
    }
    size_t h = (size_t)((unsigned long long)fid * 0x9E3779B97F4A7C15ULL) & (s->cap - 1);
    while (s->slot[h] != LLONG_MIN) {
        if (s->slot[h] == fid)
            return 0;
        h = (h + 1) & (s->cap - 1);
    }
    s->slot[h] = fid;
    s->n++;
    return 1;
}

/*
 * Open the zones, establish their CRS and transformation to WGS 84, the
 * class field, and set the spatial filter to the input's extent.
 */
static ccgis_status open_zones(ccgis_ctx *ctx, const ccgis_layer *input,
                               const ccgis_overlay_options *o, GDALDatasetH *ds,
                               OGRLayerH *layer, int *class_index, ccgis_transform **to_wgs84,
                               double *margin, ccgis_text_plan *text)
{
    const ccgis_layer_spec *z = &o->zones;
    ccgis_status st = ccgis_source_open_enc(ctx, z->source, z->encoding, ds);
    if (st != CCGIS_OK)
        return st;
    st = ccgis_source_pick_layer(ctx, *ds, z->source, z->layer, layer);
    if (st != CCGIS_OK)
        return st;
    ccgis_where where = {z->source, OGR_L_GetName(*layer), -1};
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(*layer);
    if (z->where && OGR_L_SetAttributeFilter(*layer, z->where) != OGRERR_NONE)
        return ccgis_error_at(ctx, CCGIS_ERR_USAGE, where,
                              "where = %s is not a filter GDAL understands (%s) -- write it as "
                              "an SQL condition, e.g. code <> 'SON'",
                              z->where, ctx->gdal_msg[0] ? ctx->gdal_msg : "syntax");
    *class_index = -1;
    if (o->class_field) {
        *class_index = OGR_FD_GetFieldIndex(defn, o->class_field);
        if (*class_index < 0) {
            char names[512];
            ccgis_field_list(defn, names, sizeof names);
            return ccgis_error_at(ctx, CCGIS_ERR_USAGE, where,
                                  "no field named '%s' -- the fields are: %s", o->class_field,
                                  names);
        }
    }
    ccgis_crs *crs = NULL;
    if (z->srs) {
        st = ccgis_crs_from_user(ctx, z->srs, &crs);
    } else if (OGR_L_GetSpatialRef(*layer)) {
        st = ccgis_crs_from_ogr(ctx, OGR_L_GetSpatialRef(*layer), where, &crs);
    } else {
        st = ccgis_error_at(ctx, CCGIS_ERR_CRS_NONE, where,
                            "the layer has no CRS (no .prj?) -- assign one with srs= (--srs), "
                            "e.g. EPSG:5897 for VN-2000 / TM-3 105");
    }
    if (st == CCGIS_OK)
        st = ccgis_transform_to_wgs84(ctx, crs, to_wgs84);
    int geographic = crs ? ccgis_crs_is_geographic(crs) : 0;
    ccgis_crs_free(crs);
    if (st != CCGIS_OK)
        return st;

    /* The zones' own extent against the input's: no overlap at all means a
     * CRS is wrong somewhere. */
    OGREnvelope env;
    double zbox[4], wbox[4];
    if (OGR_L_GetExtent(*layer, &env, FALSE) == OGRERR_NONE) {
        zbox[0] = env.MinX, zbox[1] = env.MinY, zbox[2] = env.MaxX, zbox[3] = env.MaxY;
        if (ccgis_transform_bounds(ctx, *to_wgs84, 0, zbox, wbox) &&
            (wbox[0] > input->extent[2] || wbox[2] < input->extent[0] ||
             wbox[1] > input->extent[3] || wbox[3] < input->extent[1]))
            ccgis_msg_at(ctx, CCGIS_WARNING, where,
                         "does not overlap the %s at all once both are in WGS 84 -- one of them "
                         "is probably in the wrong CRS (check the .prj or pass srs)",
                         input->what);
    }
    *margin = geographic ? 1e-5 : 1.0; /* about a metre */
    /* A class in a legacy encoding is decoded when the encoding is given (a
     * zoning layer is too big to guess from; its codes are usually ASCII). */
    if (z->encoding && *z->encoding && strcasecmp(z->encoding, "auto") != 0 &&
        (st = ccgis_text_plan_make(ctx, *ds, *layer, z->encoding, where, text)) != CCGIS_OK)
        return st;

    /* Only the geometry and the class are used: GDAL need not decode the rest. */
    int nf = OGR_FD_GetFieldCount(defn);
    const char **ignored = calloc((size_t)nf + 2, sizeof *ignored);
    if (ignored) {
        int k = 0;
        for (int i = 0; i < nf; i++)
            if (i != *class_index)
                ignored[k++] = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
        ignored[k++] = "OGR_STYLE";
        OGR_L_SetIgnoredFields(*layer, ignored);
        free(ignored);
    }
    return CCGIS_OK;
}

/* Read one zone into a batch slot.  Returns 1 if taken, 0 if skipped
 * (no usable geometry), 2 if its box meets no input's box (`near`, may be
 * NULL: no pruning), -1 when out of memory. */
static int read_zone(ccgis_ctx *ctx, OGRFeatureH f, int class_index, long long seq, zone_rec *z,
                     const box_index *near)
{
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    if (!g || OGR_G_IsEmpty(g))
        return 0;
    if (near) {
        OGREnvelope env;
        OGR_G_GetEnvelope(g, &env);
        double e[4] = {env.MinX, env.MinY, env.MaxX, env.MaxY};
        if (!box_index_hits(near, e))
            return 2;
    }
    OGRGeometryH work = OGR_G_Clone(g);
    if (!work)
        return -1;
    if (OGR_G_HasCurveGeometry(work, TRUE)) {
        OGRGeometryH lin = OGR_G_GetLinearGeometry(work, 0, NULL);
        OGR_G_DestroyGeometry(work);
        work = lin;
        if (!work)
            return -1;
    }
    OGR_G_FlattenTo2D(work);
    OGR_G_SetMeasured(work, FALSE);
    size_t size = (size_t)OGR_G_WkbSize(work);
    z->wkb = CPLMalloc(size ? size : 1);
    OGR_G_ExportToIsoWkb(work, wkbNDR, z->wkb);
    OGR_G_DestroyGeometry(work);
    z->wkb_size = size;
    z->seq = seq;
    z->fid = (long long)OGR_F_GetFID(f);
    char fidtext[32];
    const char *k = fidtext;
    if (class_index >= 0)
        k = OGR_F_IsFieldSetAndNotNull(f, class_index) ? OGR_F_GetFieldAsString(f, class_index)
                                                       : "";
    else
        snprintf(fidtext, sizeof fidtext, "%lld", z->fid);
    z->klass = ccgis_strdup(ctx, k);
    if (!z->klass) {
        CPLFree(z->wkb);
        return -1;
    }
    return 1;
}

/* ccgis_overlay: see overlay.h. */
ccgis_status ccgis_overlay(ccgis_ctx *ctx, const ccgis_layer *input,
                           const ccgis_overlay_options *options, ccgis_progress_fn progress,
                           void *progress_arg, ccgis_overlay_result **out)
{
    GDALDatasetH ds = NULL;
    OGRLayerH layer = NULL;
    ccgis_transform *to_wgs84 = NULL;
    int class_index = -1;
    int nthreads = ccgis_ctx_threads(ctx);
    worker *workers = NULL;
    int started = 0;
    batch *b = NULL;
    ccgis_overlay_result *r = NULL;
    shared sh = {.cap = 0};
    int sync_made = 0;
    double margin = 1.0;
    box_index near = {0, NULL, 0};
    fid_set seen = {NULL, 0, 0};
    ccgis_text_plan text = {NULL, NULL};
    ccgis_status st;

    *out = NULL;
    ccgis_gdal_begin(ctx);
    if ((st = open_zones(ctx, input, options, &ds, &layer, &class_index, &to_wgs84, &margin,
                         &text)) != CCGIS_OK)
        goto done;
    sh.source = options->zones.source;
    sh.layer = OGR_L_GetName(layer);

    st = CCGIS_ERR_NOMEM;
    r = ccgis_calloc(ctx, 1, sizeof *r);
    workers = ccgis_calloc(ctx, (size_t)nthreads, sizeof *workers);
    if (!r || !workers)
        goto done;
    r->geos = ctx->geos;
    for (int t = 0; t < nthreads; t++)
        if ((st = worker_init(ctx, &workers[t], nthreads > 1, input, to_wgs84, &sh)) !=
            CCGIS_OK)
            goto done;
    if (nthreads > 1) {
        sh.cap = 2 * (size_t)nthreads;
        sh.q = ccgis_calloc(ctx, sh.cap, sizeof *sh.q);
        if (!sh.q) {
            st = CCGIS_ERR_NOMEM;
            goto done;
        }
        pthread_mutex_init(&sh.mu, NULL);
        pthread_cond_init(&sh.not_empty, NULL);
        pthread_cond_init(&sh.not_full, NULL);
        sync_made = 1;
        for (; started < nthreads; started++)
            if (pthread_create(&workers[started].thread, NULL, worker_main, &workers[started])) {
                st = ccgis_error(ctx, CCGIS_ERR_INTERNAL, "cannot start a worker thread");
                goto stop;
            }
    }

    /* Read: one query of the spatial index per input box where the source
     * has a fast one (each zone once, by FID), else one pass over the box
     * around all inputs with each zone's box tested against theirs. */
    int pruned = box_index_build(ctx, input, to_wgs84, margin, &near);
    if (!pruned) {
        ccgis_clear_error(ctx);
        ccgis_msg_at(ctx, CCGIS_DEBUG, (ccgis_where){sh.source, sh.layer, -1},
                     "every zone is read: the inputs' boxes cannot be expressed in its CRS");
    }
    const char *drv = GDALGetDriverShortName(GDALGetDatasetDriver(ds));
    int by_input = pruned && OGR_L_TestCapability(layer, OLCFastSpatialFilter) &&
                   (strcmp(drv, "GPKG") == 0 || strcmp(drv, "ESRI Shapefile") == 0 ||
                    strcmp(drv, "PostgreSQL") == 0 || strcmp(drv, "SQLite") == 0 ||
                    strcmp(drv, "FlatGeobuf") == 0);
    if (pruned && !by_input && near.n > 0) {
        double u[4] = {near.b[0][0], near.b[0][1], near.b[0][2], near.b[0][3]};
        for (size_t i = 1; i < near.n; i++) {
            u[0] = fmin(u[0], near.b[i][0]);
            u[1] = fmin(u[1], near.b[i][1]);
            u[2] = fmax(u[2], near.b[i][2]);
            u[3] = fmax(u[3], near.b[i][3]);
        }
        OGR_L_SetSpatialFilterRect(layer, u[0], u[1], u[2], u[3]);
    }
    GIntBig total = by_input ? (GIntBig)near.n : OGR_L_GetFeatureCount(layer, FALSE);
    size_t passes = by_input ? near.n : 1;
    long long seq = 0;
    int stop_reading = 0;
    OGRFeatureH f;
    st = CCGIS_OK;
    ctx->gdal_msg[0] = '\0';
    for (size_t pass = 0; pass < passes && !stop_reading; pass++) {
        if (by_input)
            OGR_L_SetSpatialFilterRect(layer, near.b[pass][0], near.b[pass][1], near.b[pass][2],
                                       near.b[pass][3]);
        OGR_L_ResetReading(layer);
        while ((f = OGR_L_GetNextFeature(layer)) != NULL) {
            long long fid = (long long)OGR_F_GetFID(f);
            if (by_input) {
                int fresh = fid_set_add(&seen, fid);
                if (fresh <= 0) {
                    OGR_F_Destroy(f);
                    if (fresh == 0)
                        continue;
                    st = ccgis_nomem(ctx);
                    stop_reading = 1;
                    break;
                }
            }
            if (!b && !(b = ccgis_calloc(ctx, 1, sizeof *b))) {
                OGR_F_Destroy(f);
                st = CCGIS_ERR_NOMEM;
                stop_reading = 1;
                break;
            }
            if (text.dec && !ctx->gdal_msg[0]) {
                ccgis_status ts;
                ccgis_text_plan_apply(ctx, &text, f, (ccgis_where){sh.source, sh.layer, fid}, &ts);
                if (ts != CCGIS_OK) {
                    OGR_F_Destroy(f);
                    st = ts;
                    stop_reading = 1;
                    break;
                }
            }
            int taken = ctx->gdal_msg[0] ? 0
                                         : read_zone(ctx, f, class_index, seq, &b->z[b->n],
                                                     pruned && !by_input ? &near : NULL);
            OGR_F_Destroy(f);
            r->zones_read++;
            seq++;
            if (ctx->gdal_msg[0]) {
                st = ccgis_error_at(ctx, CCGIS_ERR_READ, (ccgis_where){sh.source, sh.layer, fid},
                                    "GDAL reported an error while reading it: %s -- the file "
                                    "may be damaged; repair it or get it again",
                                    ctx->gdal_msg);
                stop_reading = 1;
                break;
            }
            if (taken < 0) {
                st = ccgis_nomem(ctx);
                stop_reading = 1;
                break;
            }
            if (taken == 0)
                r->zones_skipped++;
            else if (taken == 1)
                b->n++;
            if (b->n == BATCH_SIZE) {
                int ok = dispatch(&sh, workers, nthreads, b);
                b = NULL;
                if (!ok) {
                    stop_reading = 1;
                    break;
                }
                double frac = by_input ? (double)pass / (double)passes
                                       : total > 0 ? (double)seq / (double)total : 0.0;
                if (progress && !progress(fmin(frac, 1.0), "intersecting zones", progress_arg)) {
                    st = ccgis_error(ctx, CCGIS_ERR_USAGE, "cancelled by the caller");
                    stop_reading = 1;
                    break;
                }
            }
        }
    }
    if (st == CCGIS_OK && ctx->gdal_msg[0])
        st = ccgis_error_at(ctx, CCGIS_ERR_READ, (ccgis_where){sh.source, sh.layer, -1},
                            "reading stopped after %lld zones: %s -- the file may be truncated "
                            "or damaged",
                            r->zones_read, ctx->gdal_msg);
    if (st == CCGIS_OK && b && b->n > 0) {
        dispatch(&sh, workers, nthreads, b);
        b = NULL;
    }

stop:
    if (nthreads > 1 && sync_made) {
        pthread_mutex_lock(&sh.mu);
        sh.done = 1;
        if (st != CCGIS_OK)
            sh.abort = 1;
        pthread_cond_broadcast(&sh.not_empty);
        pthread_cond_broadcast(&sh.not_full);
        pthread_mutex_unlock(&sh.mu);
        for (int t = 0; t < started; t++)
            pthread_join(workers[t].thread, NULL);
        for (size_t i = 0; i < sh.count; i++) {
            batch_clear(sh.q[(sh.head + i) % sh.cap]);
            free(sh.q[(sh.head + i) % sh.cap]);
        }
    }
    if (st != CCGIS_OK)
        goto done;
    /* The failure of the earliest zone, whichever worker met it. */
    worker *failed = NULL;
    for (int t = 0; t < nthreads; t++)
        if (workers[t].st != CCGIS_OK && (!failed || workers[t].err_seq < failed->err_seq))
            failed = &workers[t];
    if (failed) {
        st = ccgis_error(ctx, failed->st, "%s", failed->err);
        goto done;
    }
    for (int t = 0; t < nthreads; t++) {
        r->zones_near += workers[t].near;
        r->zones_repaired += workers[t].repaired;
        r->zones_skipped += workers[t].skipped;
    }
    if ((st = merge_pieces(ctx, workers, nthreads, options, r)) != CCGIS_OK)
        goto done;
    if ((st = summarise(ctx, input, r)) != CCGIS_OK)
        goto done;
    if (r->zones_skipped)
        ccgis_msg_at(ctx, CCGIS_WARNING, (ccgis_where){sh.source, sh.layer, -1},
                     "%lld zones without a usable polygon (NULL, empty or not a polygon) were "
                     "skipped",
                     r->zones_skipped);
    if (r->zones_repaired)
        ccgis_msg_at(ctx, CCGIS_WARNING, (ccgis_where){sh.source, sh.layer, -1},
                     "%lld invalid zones near the %s were repaired with MakeValid before use",
                     r->zones_repaired, input->what);
    if (progress)
        progress(1.0, NULL, progress_arg);
    *out = r;
    r = NULL;

done:
    if (st == CCGIS_ERR_NOMEM && ccgis_errcode(ctx) != CCGIS_ERR_NOMEM)
        ccgis_nomem(ctx);
    if (b) {
        batch_clear(b);
        free(b);
    }
    for (int t = 0; workers && t < nthreads; t++)
        worker_clear(&workers[t]);
    free(workers);
    if (sync_made) {
        pthread_mutex_destroy(&sh.mu);
        pthread_cond_destroy(&sh.not_empty);
        pthread_cond_destroy(&sh.not_full);
    }
    free(sh.q);
    free(near.b);
    free(seen.slot);
    ccgis_text_plan_clear(&text);
    ccgis_overlay_result_free(r);
    ccgis_transform_free(to_wgs84);
    if (ds)
        GDALClose(ds);
    ccgis_gdal_end(ctx);
    return st;
}

/* ccgis_overlay_result_free: see overlay.h. */
ccgis_overlay_result *ccgis_overlay_result_free(ccgis_overlay_result *r)
{
    if (!r)
        return NULL;
    for (size_t i = 0; i < r->n_pieces; i++) {
        free(r->pieces[i].klass);
        if (r->pieces[i].geom)
            GEOSGeom_destroy_r(r->geos, r->pieces[i].geom);
    }
    free(r->pieces);
    free(r->area_m2);
    free(r->allowed_m2);
    free(r->conflict_m2);
    free(r->conflict_top);
    free(r);
    return NULL;
}
