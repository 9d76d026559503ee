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
 *
 * Cancellation: only the reader calls the progress callback -- after each
 * batch, and every 100 ms while it waits for the workers (a full queue, the
 * last batches) or works through a batch alone; workers look at the abort
 * flag before each zone.  A single long GEOS operation is cut short by
 * ccgis_interrupt_request (progress.h).
 */
#include <math.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
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
    char *klass;        /* owned: the class as spelled (trimmed, NFC) */
    char *key;          /* owned: its class key, "" for no class */
    char *zone;         /* owned: the zone's id (id field or FID) */
    unsigned char *wkb; /* owned, 2D ISO WKB in the zone CRS */
    size_t wkb_size;
} zone_rec;

typedef struct batch {
    size_t n;
    zone_rec z[BATCH_SIZE];
} batch;

typedef ccgis_raw_piece raw_piece;

struct shared;

/* A repaired or skipped zone, before the notes are put in reading order. */
typedef struct zone_note {
    long long seq;
    ccgis_overlay_note note; /* its strings owned */
} zone_note;

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
    zone_note *notes; /* repaired / skipped zones, in this worker's order */
    size_t n_notes, cap_notes;

    ccgis_status st;        /* first failure of this worker */
    long long err_seq;      /* reading order of the zone that failed */
    char err[CCGIS_MSG_MAX];

    struct shared *sh;
    pthread_t thread;
} worker;

/* The reader's progress reports (only the reader thread calls the callback). */
typedef struct reader_poll {
    ccgis_progress_fn fn; /* may be NULL */
    void *arg;
    double frac;   /* the fraction to report */
    double last_s; /* when it last reported, monotonic seconds */
    int cancelled; /* the callback returned 0 */
} reader_poll;

/* Seconds on the monotonic clock. */
static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Report progress if `force` or 100 ms passed since the last report.
 * Returns 0 once the callback asked to cancel. */
static int poll_progress(reader_poll *p, int force)
{
    if (p->cancelled)
        return 0;
    if (!p->fn)
        return 1;
    double t = mono_s();
    if (!force && t - p->last_s < 0.1)
        return 1;
    p->last_s = t;
    if (!p->fn(fmin(p->frac, 1.0), "intersecting zones", p->arg))
        p->cancelled = 1;
    return !p->cancelled;
}

/* The queue between the reader and the workers. */
typedef struct shared {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full, all_done;
    batch **q;
    size_t head, count, cap;
    int done;         /* the reader has pushed its last batch */
    atomic_int abort; /* a failure or a cancellation: everybody stops */
    int running;      /* workers not yet finished */
    const char *source, *layer; /* for messages */
    const ccgis_layer *input;   /* for messages: the inputs' ids (read only) */
    reader_poll poll;           /* the reader's */
} shared;

/* A deadline 100 ms from now, for pthread_cond_timedwait (CLOCK_REALTIME). */
static struct timespec in_100ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 100 * 1000 * 1000;
    if (ts.tv_nsec >= 1000 * 1000 * 1000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000 * 1000 * 1000;
    }
    return ts;
}

/* Stop everybody (the lock is not held). */
static void abort_all(shared *sh)
{
    pthread_mutex_lock(&sh->mu);
    sh->abort = 1;
    pthread_cond_broadcast(&sh->not_empty);
    pthread_cond_broadcast(&sh->not_full);
    pthread_mutex_unlock(&sh->mu);
}

/* Free the owned parts of a batch's zones and empty it. */
static void batch_clear(batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        free(b->z[i].klass);
        free(b->z[i].key);
        free(b->z[i].zone);
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

/* Append a raw piece (g taken over on success; the zone's strings copied). */
static int add_piece(worker *w, size_t input, const zone_rec *z, double area, GEOSGeometry *g)
{
    if (!ccgis_grow(w->ctx, (void **)&w->pieces, &w->cap_pieces, w->n_pieces,
                    sizeof *w->pieces))
        return 0;
    char *k = ccgis_strdup(w->ctx, z->klass), *key = ccgis_strdup(w->ctx, z->key),
         *id = ccgis_strdup(w->ctx, z->zone);
    if (!k || !key || !id) {
        free(k);
        free(key);
        free(id);
        return 0;
    }
    w->pieces[w->n_pieces++] = (raw_piece){input, z->seq, k, key, id, area, g};
    return 1;
}

/* Note a repaired or skipped zone (at most CCGIS_OVERLAY_NOTES_MAX of each
 * kind per worker; the counts are kept anyway).  Returns 0 out of memory. */
static int add_note(ccgis_ctx *ctx, zone_note **notes, size_t *n, size_t *cap, long long count,
                    long long seq, ccgis_finding_kind kind, const char *zone, const char *reason,
                    double before, double after)
{
    if (count > CCGIS_OVERLAY_NOTES_MAX)
        return 1;
    if (!ccgis_grow(ctx, (void **)notes, cap, *n, sizeof **notes))
        return 0;
    zone_note *zn = &(*notes)[*n];
    memset(zn, 0, sizeof *zn);
    zn->seq = seq;
    zn->note.kind = kind;
    zn->note.input = SIZE_MAX;
    zn->note.before_m2 = before;
    zn->note.area_m2 = after;
    zn->note.zone = ccgis_strdup(ctx, zone);
    zn->note.reason = ccgis_strdup(ctx, reason);
    if (!zn->note.zone || !zn->note.reason) {
        free(zn->note.zone);
        free(zn->note.reason);
        return 0;
    }
    (*n)++;
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
        ccgis_geos_reason(ctx, NULL);
        if (add_note(ctx, &w->notes, &w->n_notes, &w->cap_notes, w->skipped, z->seq,
                     CCGIS_ZONE_SKIPPED, z->zone, "GEOS cannot read its geometry", NAN, NAN))
            return 1;
        worker_fail(w, z->seq);
        return 0;
    }
    src = ccgis_geom_polygonal(ctx, src);
    if (!src || GEOSisEmpty_r(h, src)) {
        w->skipped++;
        if (src)
            GEOSGeom_destroy_r(h, src);
        if (add_note(ctx, &w->notes, &w->n_notes, &w->cap_notes, w->skipped, z->seq,
                     CCGIS_ZONE_SKIPPED, z->zone, "not a polygon", NAN, NAN))
            return 1;
        worker_fail(w, z->seq);
        return 0;
    }
    g = ccgis_transform_geom(ctx, w->to_wgs84, src);
    if (!g) {
        GEOSGeom_destroy_r(h, src);
        ccgis_error_feature(ctx, CCGIS_ERR_TRANSFORM, at, z->zone,
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
    /* Validity is judged as drawn, in the zones' own CRS (a flat triangle stays
     * flat there, while carried to WGS 84 it may gain a sliver of area), and
     * repaired there, as PostGIS ST_Transform(ST_MakeValid(geom), 4326). */
    const GEOSGeometry *judged = src;
    int valid = GEOSisValid_r(h, src) == 1;
    if (valid && GEOSisValid_r(h, g) != 1) { /* made invalid by the transformation */
        judged = g;
        valid = 0;
    }
    if (!valid) {
        char *why = GEOSisValidReason_r(h, judged);
        char reason[256];
        snprintf(reason, sizeof reason, "%s", why ? why : "invalid");
        if (why)
            GEOSFree_r(h, why);
        double before = NAN, after = NAN;
        if (ccgis_geod_area(ctx, g, &before) != CCGIS_OK) {
            before = NAN;
            ccgis_clear_error(ctx);
        }
        GEOSGeometry *fixed = ccgis_geom_polygonal(ctx, GEOSMakeValid_r(h, judged));
        if (fixed && judged == src && !GEOSisEmpty_r(h, fixed)) {
            GEOSGeometry *t = ccgis_transform_geom(ctx, w->to_wgs84, fixed);
            GEOSGeom_destroy_r(h, fixed);
            fixed = t ? ccgis_geom_polygonal(ctx, t) : NULL;
        }
        GEOSGeom_destroy_r(h, g);
        g = fixed;
        if (!g || GEOSisEmpty_r(h, g)) {
            w->skipped++;
            ok = add_note(ctx, &w->notes, &w->n_notes, &w->cap_notes, w->skipped, z->seq,
                          CCGIS_ZONE_SKIPPED, z->zone, reason, before, NAN);
            if (!ok)
                worker_fail(w, z->seq);
            goto done;
        }
        w->repaired++;
        if (ccgis_geod_area(ctx, g, &after) != CCGIS_OK) {
            after = NAN;
            ccgis_clear_error(ctx);
        }
        if (!add_note(ctx, &w->notes, &w->n_notes, &w->cap_notes, w->repaired, z->seq,
                      CCGIS_ZONE_REPAIRED, z->zone, reason, before, after)) {
            worker_fail(w, z->seq);
            ok = 0;
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
            ccgis_error_feature(ctx, CCGIS_ERR_GEOMETRY, at, z->zone,
                                "GEOS cannot intersect this zone with %s %s: %s -- check the "
                                "zone's geometry",
                                w->sh->input->what, w->sh->input->f[i].key,
                                ccgis_geos_reason(ctx, "no reason given"));
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
    GEOSGeom_destroy_r(h, src);
    return ok;
}

/* Take batches until the reader is done, a failure or a cancellation. */
static void worker_loop(worker *w)
{
    shared *sh = w->sh;
    for (;;) {
        pthread_mutex_lock(&sh->mu);
        while (sh->count == 0 && !sh->done && !sh->abort)
            pthread_cond_wait(&sh->not_empty, &sh->mu);
        if (sh->abort || (sh->count == 0 && sh->done)) {
            pthread_mutex_unlock(&sh->mu);
            return;
        }
        batch *b = sh->q[sh->head];
        sh->head = (sh->head + 1) % sh->cap;
        sh->count--;
        pthread_cond_signal(&sh->not_full);
        pthread_mutex_unlock(&sh->mu);

        int ok = 1;
        for (size_t i = 0; i < b->n && ok && !atomic_load(&sh->abort); i++)
            ok = process_zone(w, &b->z[i]);
        batch_clear(b);
        free(b);
        if (!ok) {
            abort_all(sh);
            return;
        }
    }
}

/* Worker thread: the loop, then tell the reader it is finished. */
static void *worker_main(void *arg)
{
    worker *w = arg;
    shared *sh = w->sh;
    worker_loop(w);
    pthread_mutex_lock(&sh->mu);
    sh->running--;
    pthread_cond_signal(&sh->all_done);
    pthread_mutex_unlock(&sh->mu);
    return NULL;
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
        if (i % 1000 == 999 && !poll_progress(&sh->poll, 0))
            return ccgis_error(ctx, CCGIS_ERR_CANCELLED, "cancelled by the caller");
        w->in[i] = GEOSGeom_clone_r(h, input->f[i].geom);
        w->prep[i] = w->in[i] ? GEOSPrepare_r(h, w->in[i]) : NULL;
        if (!w->prep[i])
            return ccgis_nomem(ctx);
        GEOSSTRtree_insert_r(h, w->tree, w->in[i], (void *)(i + 1));
    }
    return CCGIS_OK;
}

/* Free the owned parts of a raw piece. */
static void raw_piece_clear(GEOSContextHandle_t h, raw_piece *p)
{
    free(p->klass);
    free(p->key);
    free(p->zone);
    if (p->geom)
        GEOSGeom_destroy_r(h, p->geom);
    memset(p, 0, sizeof *p);
}

/* Free a list of zone notes. */
static void free_notes(zone_note *notes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(notes[i].note.zone);
        free(notes[i].note.reason);
    }
    free(notes);
}

/* Release a worker's resources. */
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
    for (size_t i = 0; i < w->n_pieces; i++)
        raw_piece_clear(h, &w->pieces[i]);
    free(w->pieces);
    free_notes(w->notes, w->n_notes);
    free(w->in);
    free(w->prep);
    free(w->cand);
    ccgis_transform_free(w->to_wgs84);
    if (w->own_ctx)
        ccgis_ctx_free(w->ctx);
}

/* Hand a full batch to the workers (waiting while the queue is full, with a
 * progress report every 100 ms), or process it here when there are none.
 * Returns 0 if the work must stop (a failure, or sh->poll.cancelled). */
static int dispatch(shared *sh, worker *workers, int nthreads, batch *b)
{
    if (nthreads == 1) {
        int ok = 1;
        for (size_t i = 0; i < b->n && ok; i++)
            ok = poll_progress(&sh->poll, 0) && process_zone(&workers[0], &b->z[i]);
        batch_clear(b);
        free(b);
        return ok;
    }
    pthread_mutex_lock(&sh->mu);
    while (sh->count == sh->cap && !sh->abort) {
        struct timespec until = in_100ms();
        if (pthread_cond_timedwait(&sh->not_full, &sh->mu, &until) == 0 || sh->abort)
            continue;
        pthread_mutex_unlock(&sh->mu);
        int go_on = poll_progress(&sh->poll, 1);
        if (!go_on)
            abort_all(sh);
        pthread_mutex_lock(&sh->mu);
    }
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

/* Order of raw pieces: input, class key (bytes), zone reading order. */
static int by_piece(const void *a, const void *b)
{
    const raw_piece *x = a, *y = b;
    if (x->input != y->input)
        return x->input < y->input ? -1 : 1;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Order of pointers to raw pieces: class key, zone reading order. */
static int by_key_seq(const void *a, const void *b)
{
    const raw_piece *x = *(raw_piece *const *)a, *y = *(raw_piece *const *)b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Order of zone notes: reading order. */
static int by_note_seq(const void *a, const void *b)
{
    const zone_note *x = a, *y = b;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * Every class is spelled one way: as the zone read first spells it (keys
 * equal, spellings differing: 'LUA' and 'lua').  Fills r->classes with the
 * spellings in key order.  Returns CCGIS_OK or CCGIS_ERR_NOMEM.
 */
static ccgis_status one_spelling(ccgis_ctx *ctx, raw_piece *all, size_t n,
                                 ccgis_overlay_result *r)
{
    raw_piece **by = ccgis_calloc(ctx, n + 1, sizeof *by);
    r->classes = ccgis_calloc(ctx, n + 1, sizeof *r->classes);
    if (!by || !r->classes) {
        free(by);
        return CCGIS_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        by[i] = &all[i];
    qsort(by, n, sizeof *by, by_key_seq);
    ccgis_status st = CCGIS_OK;
    for (size_t i = 0; i < n && st == CCGIS_OK;) {
        size_t j = i;
        const char *first = by[i]->klass;
        while (j < n && strcmp(by[j]->key, by[i]->key) == 0)
            j++;
        for (size_t k = i + 1; k < j && st == CCGIS_OK; k++) {
            if (strcmp(by[k]->klass, first) == 0)
                continue;
            char *c = ccgis_strdup(ctx, first);
            if (!c) {
                st = CCGIS_ERR_NOMEM;
                break;
            }
            free(by[k]->klass);
            by[k]->klass = c;
        }
        if (st == CCGIS_OK && by[i]->key[0] &&
            !(r->classes[r->n_classes++] = ccgis_strdup(ctx, first)))
            st = CCGIS_ERR_NOMEM;
        i = j;
    }
    free(by);
    return st;
}

/* The allowed classes as keys (NULL-terminated; NULL when none given). */
static char **allowed_keys(ccgis_ctx *ctx, const char *const *allowed)
{
    if (!allowed)
        return NULL;
    size_t n = 0;
    while (allowed[n])
        n++;
    char **keys = ccgis_calloc(ctx, n + 1, sizeof *keys);
    for (size_t i = 0; keys && i < n; i++) {
        char *clean = ccgis_class_clean(ctx, allowed[i]);
        keys[i] = clean ? ccgis_class_key(ctx, clean) : NULL;
        free(clean);
        if (!keys[i]) {
            for (size_t k = 0; k < i; k++)
                free(keys[k]);
            free(keys);
            return NULL;
        }
    }
    return keys;
}

/* Warn about allowed classes that no zone near the inputs has (a typo, or
 * another code list): every input would then look in conflict. */
static void warn_unmet_allowed(ccgis_ctx *ctx, const ccgis_overlay_options *o,
                               char *const *keys, const ccgis_overlay_result *r,
                               const char *what)
{
    char met[512] = "";
    size_t used = 0;
    for (size_t c = 0; c < r->n_classes && used < sizeof met - 1; c++) {
        int w = snprintf(met + used, sizeof met - used, "%s%s", c ? ", " : "", r->classes[c]);
        if (w > 0)
            used += (size_t)w < sizeof met - used ? (size_t)w : sizeof met - used - 1;
    }
    for (size_t i = 0; keys && keys[i]; i++) {
        int found = 0;
        for (size_t k = 0; k < r->n_pieces && !found; k++)
            found = strcmp(r->pieces[k].key, keys[i]) == 0;
        if (!found)
            ccgis_msg_at(ctx, CCGIS_WARNING, (ccgis_where){o->zones.source, NULL, -1},
                         "allowed class '%s' occurs in no zone near the %s -- check the code; "
                         "the classes there are: %s",
                         o->allowed[i], what, r->n_classes ? met : "(none)");
    }
}

/*
 * Settle the result: the workers' raw pieces sorted by (input, class key,
 * reading order) and each input's partition made from them (partition.c);
 * the repaired and skipped zones noted in reading order.  Takes the raw
 * pieces and notes over (the workers' lists and *rnotes are emptied).
 */
static ccgis_status settle(ccgis_ctx *ctx, const ccgis_layer *input,
                           const ccgis_overlay_options *o, worker *workers, int nthreads,
                           zone_note **rnotes, size_t *n_rnotes, reader_poll *poll,
                           ccgis_overlay_result *r)
{
    GEOSContextHandle_t h = ctx->geos;
    size_t ni = input->n;
    ccgis_status st = CCGIS_OK;
    char **keys = NULL;
    zone_note *notes = NULL;
    size_t nn = 0;

    r->n_input = ni;
    r->area_m2 = ccgis_calloc(ctx, ni + 1, sizeof *r->area_m2);
    r->allowed_m2 = ccgis_calloc(ctx, ni + 1, sizeof *r->allowed_m2);
    r->conflict_m2 = ccgis_calloc(ctx, ni + 1, sizeof *r->conflict_m2);
    r->mixed_m2 = ccgis_calloc(ctx, ni + 1, sizeof *r->mixed_m2);
    r->nozone_m2 = ccgis_calloc(ctx, ni + 1, sizeof *r->nozone_m2);
    r->tol_m2 = ccgis_calloc(ctx, ni + 1, sizeof *r->tol_m2);
    r->conflict_top = ccgis_calloc(ctx, ni + 1, sizeof *r->conflict_top);
    r->conflict_geom = ccgis_calloc(ctx, ni + 1, sizeof *r->conflict_geom);
    r->nozone_geom = ccgis_calloc(ctx, ni + 1, sizeof *r->nozone_geom);
    if (!r->area_m2 || !r->allowed_m2 || !r->conflict_m2 || !r->mixed_m2 || !r->nozone_m2 ||
        !r->tol_m2 || !r->conflict_top || !r->conflict_geom || !r->nozone_geom)
        return CCGIS_ERR_NOMEM;
    if (o->allowed && !(keys = allowed_keys(ctx, o->allowed)))
        return CCGIS_ERR_NOMEM;

    /* Repaired and skipped zones, in reading order. */
    size_t total_notes = *n_rnotes;
    for (int t = 0; t < nthreads; t++)
        total_notes += workers[t].n_notes;
    notes = ccgis_calloc(ctx, total_notes + 1, sizeof *notes);
    if (!notes) {
        st = CCGIS_ERR_NOMEM;
        goto done;
    }
    if (*n_rnotes) /* *rnotes is NULL when the reader skipped nothing */
        memcpy(notes, *rnotes, *n_rnotes * sizeof *notes);
    nn += *n_rnotes;
    *n_rnotes = 0;
    for (int t = 0; t < nthreads; t++) {
        if (workers[t].n_notes)
            memcpy(notes + nn, workers[t].notes, workers[t].n_notes * sizeof *notes);
        nn += workers[t].n_notes;
        workers[t].n_notes = 0;
    }
    qsort(notes, nn, sizeof *notes, by_note_seq);
    size_t counted[CCGIS_FINDING_KINDS] = {0};
    for (size_t k = 0; k < nn; k++) {
        ccgis_overlay_note *src = &notes[k].note;
        if (++counted[src->kind] > CCGIS_OVERLAY_NOTES_MAX)
            continue; /* counted in zones_repaired / zones_skipped, not noted */
        if (!ccgis_grow(ctx, (void **)&r->notes, &r->cap_notes, r->n_notes, sizeof *r->notes)) {
            st = CCGIS_ERR_NOMEM;
            break;
        }
        r->notes[r->n_notes++] = *src;
        src->zone = src->reason = NULL;
    }
    if (st != CCGIS_OK)
        goto done;

    /* The raw pieces, sorted. */
    size_t total = 0;
    for (int t = 0; t < nthreads; t++)
        total += workers[t].n_pieces;
    raw_piece *all = ccgis_calloc(ctx, total + 1, sizeof *all);
    r->pieces = ccgis_calloc(ctx, total + 1, sizeof *r->pieces);
    if (!all || !r->pieces) {
        free(all);
        st = CCGIS_ERR_NOMEM;
        goto done;
    }
    size_t n = 0;
    for (int t = 0; t < nthreads; t++) {
        if (workers[t].n_pieces)
            memcpy(all + n, workers[t].pieces, workers[t].n_pieces * sizeof *all);
        n += workers[t].n_pieces;
        workers[t].n_pieces = 0;
    }
    qsort(all, n, sizeof *all, by_piece);
    st = one_spelling(ctx, all, n, r);

    /* Each input's partition (a progress report at most every 100 ms). */
    for (size_t i = 0, at = 0; i < ni && st == CCGIS_OK; i++) {
        if (!poll_progress(poll, 0)) {
            st = ccgis_error(ctx, CCGIS_ERR_CANCELLED, "cancelled by the caller");
            break;
        }
        size_t end = at;
        while (end < n && all[end].input == i)
            end++;
        const ccgis_feature *f = &input->f[i];
        if ((st = ccgis_geod_area(ctx, f->geom, &r->area_m2[i])) != CCGIS_OK)
            break;
        r->tol_m2[i] = fmax(o->sliver * r->area_m2[i], o->sliver_m2);
        char name[160];
        snprintf(name, sizeof name, "%s %s", input->what, f->key);
        st = ccgis_partition(ctx, f->geom, i, name, r->area_m2[i], r->tol_m2[i],
                             (const char *const *)keys, o->allowed != NULL, all + at, end - at,
                             r);
        at = end;
    }
    for (size_t k = 0; k < n; k++)
        raw_piece_clear(h, &all[k]);
    free(all);
    if (st == CCGIS_OK && o->allowed)
        warn_unmet_allowed(ctx, o, keys, r, input->what);

done:
    for (size_t k = 0; keys && keys[k]; k++)
        free(keys[k]);
    free(keys);
    free_notes(notes, nn);
    return st;
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
 * into the zones' CRS (then every zone must be read: no pruning), or -1
 * when the progress callback cancelled (`poll`, reported every 1,000). */
static int box_index_build(ccgis_ctx *ctx, const ccgis_layer *input, ccgis_transform *to_wgs84,
                           double margin, reader_poll *poll, box_index *bi)
{
    bi->b = ccgis_calloc(ctx, input->n, sizeof *bi->b);
    if (!bi->b)
        return 0;
    for (size_t i = 0; i < input->n; i++) {
        if (i % 1000 == 999 && !poll_progress(poll, 0))
            return -1;
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

/* Inputs up to which the spatial index is queried input by input. */
#define QUERY_ONE_BY_ONE 256

/*
 * The boxes to query the zones' spatial index with, one pass each, into
 * *qbox (n boxes, caller frees): each input's box (bi's order) for up to
 * QUERY_ONE_BY_ONE inputs.  Beyond, each query costs GDAL an SQL statement
 * (about 100 us on a GeoPackage: 100,000 inputs spent 10 s on them alone),
 * so the inputs are packed in tiles of up to 16 neighbours (boxtree.c) and a
 * tile whose box is at most 4 times the area of its inputs' boxes is queried
 * as one box (*grouped set: the zones it returns must then be tested against
 * the inputs' boxes); a sparser tile is queried input by input.  Returns 1,
 * or 0 when out of memory (recorded).
 */
static int query_boxes(ccgis_ctx *ctx, const box_index *bi, double (**qbox)[4], size_t *n,
                       int *grouped)
{
    *qbox = ccgis_calloc(ctx, bi->n + 1, sizeof **qbox);
    *n = 0;
    *grouped = 0;
    if (!*qbox)
        return 0;
    if (bi->n <= QUERY_ONE_BY_ONE) {
        memcpy(*qbox, bi->b, bi->n * sizeof **qbox);
        *n = bi->n;
        return 1;
    }
    ccgis_boxtree *t = ccgis_boxtree_new(ctx, (const double(*)[4])bi->b, bi->n);
    if (!t)
        return 0;
    for (size_t k = 0; k < ccgis_boxtree_leaves(t); k++) {
        double box[4];
        size_t m;
        const size_t *items = ccgis_boxtree_leaf(t, k, box, &m);
        double sum = 0;
        for (size_t j = 0; j < m; j++) {
            const double *b = bi->b[items[j]];
            sum += (b[2] - b[0]) * (b[3] - b[1]);
        }
        if ((box[2] - box[0]) * (box[3] - box[1]) <= 4 * sum) {
            memcpy((*qbox)[(*n)++], box, sizeof box);
            *grouped = 1;
        } else {
            for (size_t j = 0; j < m; j++)
                memcpy((*qbox)[(*n)++], bi->b[items[j]], sizeof box);
        }
    }
    ccgis_boxtree_free(t);
    return 1;
}

/*
 * Open the zones, establish their CRS (*crs_out, the caller frees) and
 * transformation to WGS 84, the class field, how their text is read
 * (*encoding, the caller frees), and set the spatial filter to the input's
 * extent.
 */
static ccgis_status open_zones(ccgis_ctx *ctx, const ccgis_layer *input,
                               const ccgis_overlay_options *o, GDALDatasetH *ds, OGRLayerH *layer,
                               int *class_index, int *id_index, ccgis_transform **to_wgs84,
                               double *margin, ccgis_text_plan *text, ccgis_crs **crs_out,
                               char **encoding)
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
    ccgis_source_dropped(ctx, *ds, z->source, where.layer);
    if (z->where && OGR_L_SetAttributeFilter(*layer, z->where) != OGRERR_NONE)
        return ccgis_error_at(ctx, CCGIS_ERR_USAGE, where,
                              "where = %s is not a filter GDAL understands (%s) -- write it as "
                              "an SQL condition, e.g. code <> 'SON'",
                              z->where, ctx->gdal_msg[0] ? ctx->gdal_msg : "syntax");
    /* An empty overlay layer would put every input on no zone: refused, as an
     * empty districts or clusters layer is when loaded. */
    if (ccgis_layer_is_empty(*layer))
        return ccgis_error_at(ctx, CCGIS_ERR_INPUT, where,
                              "the layer has no features%s -- is this the right file or layer? "
                              "(All the %s would lie on no zone.)",
                              z->where ? " (none passes where =)" : "", input->what);
    *class_index = -1;
    *id_index = -1;
    if (z->id_field && (*id_index = OGR_FD_GetFieldIndex(defn, z->id_field)) < 0) {
        char names[512];
        ccgis_field_list(defn, names, sizeof names);
        return ccgis_error_at(ctx, CCGIS_ERR_USAGE, where,
                              "no field named '%s' (the zone id) -- the fields are: %s",
                              z->id_field, names);
    }
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
    if (st != CCGIS_OK) {
        ccgis_crs_free(crs);
        return st;
    }
    *crs_out = crs;

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
    /* The class and id read as every other step reads this layer: decoded
     * (given, declared or detected encoding) and NFC (encoding.c). */
    if ((st = ccgis_text_plan_make(ctx, *ds, *layer, z->encoding, where, text)) != CCGIS_OK)
        return st;
    if (!(*encoding = ccgis_strdup(ctx, text->label)))
        return CCGIS_ERR_NOMEM;

    /* Only the geometry and the class are used: GDAL need not decode the rest. */
    int nf = OGR_FD_GetFieldCount(defn);
    const char **ignored = calloc((size_t)nf + 2, sizeof *ignored);
    if (ignored) {
        int k = 0;
        for (int i = 0; i < nf; i++)
            if (i != *class_index && i != *id_index)
                ignored[k++] = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
        ignored[k++] = "OGR_STYLE";
        OGR_L_SetIgnoredFields(*layer, ignored);
        free(ignored);
    }
    return CCGIS_OK;
}

/* A copy of zone text `s` in well-formed UTF-8 (bytes that are not become
 * U+FFFD, *repaired set); NULL when out of memory (recorded). */
static char *zone_text(ccgis_ctx *ctx, const char *s, int *repaired)
{
    char *out = NULL;
    if (!ccgis_text_is_utf8(s))
        return ccgis_strdup(ctx, s);
    *repaired = 1;
    return ccgis_text_repair(ctx, s, &out, NULL) == CCGIS_OK ? out : NULL;
}

/* Read one zone into a batch slot.  Returns 1 if taken, 0 if skipped
 * (no usable geometry: *why says why), 2 if its box meets no input's box
 * (`near`, may be NULL: no pruning), -1 when out of memory.  *bad_text is
 * counted up when its class or id was not UTF-8 (then repaired). */
static int read_zone(ccgis_ctx *ctx, OGRFeatureH f, int class_index, int id_index,
                     long long seq, zone_rec *z, const box_index *near, const char **why,
                     long long *bad_text)
{
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    *why = !g ? "NULL geometry" : "empty geometry";
    if (!g || OGR_G_IsEmpty(g))
        return 0;
    if (near) {
        OGREnvelope env;
        OGR_G_GetEnvelope(g, &env);
        double e[4] = {env.MinX, env.MinY, env.MaxX, env.MaxY};
        if (!box_index_hits(near, e))
            return 2;
    }
    OGRGeometryH work = ccgis_geom_linear(g); /* curves at CCGIS_CURVE_STEP_DEG */
    if (!work)
        return -1;
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
    snprintf(fidtext, sizeof fidtext, "%lld", z->fid);
    const char *k = fidtext;
    if (class_index >= 0)
        k = OGR_F_IsFieldSetAndNotNull(f, class_index) ? OGR_F_GetFieldAsString(f, class_index)
                                                       : "";
    const char *id = fidtext;
    if (id_index >= 0 && OGR_F_IsFieldSetAndNotNull(f, id_index) &&
        *OGR_F_GetFieldAsString(f, id_index))
        id = OGR_F_GetFieldAsString(f, id_index);
    int repaired = 0;
    char *k_utf8 = zone_text(ctx, k, &repaired);
    z->zone = zone_text(ctx, id, &repaired);
    *bad_text += repaired;
    z->klass = k_utf8 ? ccgis_class_clean(ctx, k_utf8) : NULL;
    free(k_utf8);
    z->key = z->klass ? ccgis_class_key(ctx, z->klass) : NULL;
    if (!z->klass || !z->key || !z->zone) {
        free(z->klass);
        free(z->key);
        free(z->zone);
        z->klass = z->key = z->zone = NULL;
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
    int class_index = -1, id_index = -1;
    zone_note *rnotes = NULL; /* zones the reader skipped */
    size_t n_rnotes = 0, cap_rnotes = 0;
    int nthreads = ccgis_ctx_threads(ctx);
    worker *workers = NULL;
    int started = 0;
    batch *b = NULL;
    ccgis_overlay_result *r = NULL;
    shared sh = {.cap = 0};
    int sync_made = 0;
    double margin = 1.0;
    box_index near = {0, NULL, 0};
    double(*qbox)[4] = NULL; /* the boxes the spatial index is queried with */
    long long bad_text = 0;  /* zones whose class or id was not UTF-8 */
    size_t n_qbox = 0;
    fid_set seen = {NULL, 0, 0};
    ccgis_text_plan text = {.dec = NULL};
    ccgis_crs *zones_crs = NULL; /* kept in the result */
    char *zones_encoding = NULL;
    ccgis_status st;

    *out = NULL;
    ccgis_gdal_begin(ctx);
    if ((st = open_zones(ctx, input, options, &ds, &layer, &class_index, &id_index, &to_wgs84,
                         &margin, &text, &zones_crs, &zones_encoding)) != CCGIS_OK)
        goto done;
    sh.source = options->zones.source;
    sh.input = input;
    sh.layer = OGR_L_GetName(layer);
    sh.poll = (reader_poll){progress, progress_arg, 0.0, mono_s(), 0};

    st = CCGIS_ERR_NOMEM;
    r = ccgis_calloc(ctx, 1, sizeof *r);
    workers = ccgis_calloc(ctx, (size_t)nthreads, sizeof *workers);
    if (!r || !workers)
        goto done;
    r->geos = ctx->geos;
    r->zones_crs = zones_crs;
    r->zones_encoding = zones_encoding;
    zones_crs = NULL;
    zones_encoding = NULL;
    if (!(r->zones_name = ccgis_strdup(ctx, OGR_L_GetName(layer))))
        goto done;
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
        pthread_cond_init(&sh.all_done, NULL);
        sync_made = 1;
        for (; started < nthreads; started++) {
            pthread_mutex_lock(&sh.mu);
            sh.running++;
            pthread_mutex_unlock(&sh.mu);
            if (pthread_create(&workers[started].thread, NULL, worker_main, &workers[started])) {
                pthread_mutex_lock(&sh.mu);
                sh.running--;
                pthread_mutex_unlock(&sh.mu);
                st = ccgis_error(ctx, CCGIS_ERR_INTERNAL, "cannot start a worker thread");
                goto stop;
            }
        }
    }

    /* Read: one query of the spatial index per input box, or per tile of
     * neighbouring inputs, where the source has a fast one (each zone once,
     * by FID), else one pass over the box around all inputs with each zone's
     * box tested against theirs. */
    int pruned = box_index_build(ctx, input, to_wgs84, margin, &sh.poll, &near);
    if (pruned < 0) {
        st = ccgis_error(ctx, CCGIS_ERR_CANCELLED, "cancelled by the caller");
        goto stop;
    }
    if (!pruned) {
        ccgis_clear_error(ctx);
        ccgis_msg_at(ctx, CCGIS_DEBUG, (ccgis_where){sh.source, sh.layer, -1},
                     "every zone is read: the inputs' boxes cannot be expressed in its CRS");
    }
    const char *drv = GDALGetDriverShortName(GDALGetDatasetDriver(ds));
    /* A spatial index that lost entries would hide zones without a word:
     * checked, and when stale not used at all (not even for the one box). */
    int indexed = OGR_L_TestCapability(layer, OLCFastSpatialFilter), stale = 0;
    char stale_why[512];
    if (indexed && ccgis_spatial_index_stale(ds, layer, sh.source, stale_why, sizeof stale_why)) {
        char fix[1024];
        const char *geom = OGR_L_GetGeometryColumn(layer);
        if (strcmp(drv, "GPKG") == 0)
            snprintf(fix, sizeof fix,
                     "ogrinfo %s -sql \"SELECT DisableSpatialIndex('%s','%s')\", then the same "
                     "with CreateSpatialIndex (or save the layer again with ogr2ogr or QGIS)",
                     sh.source, sh.layer, geom);
        else if (strcmp(drv, "ESRI Shapefile") == 0)
            snprintf(fix, sizeof fix,
                     "delete the .qix, then ogrinfo %s -sql \"CREATE SPATIAL INDEX ON %s\"",
                     sh.source, sh.layer);
        else
            snprintf(fix, sizeof fix, "save the layer again with ogr2ogr or QGIS");
        stale = 1;
        ccgis_msg_at(ctx, CCGIS_WARNING, (ccgis_where){sh.source, sh.layer, -1},
                     "%s -- ccgis reads every zone instead (slower; the figures are right). "
                     "Rebuild the index: %s",
                     stale_why, fix);
    }
    int by_input = pruned && indexed && !stale &&
                   (strcmp(drv, "GPKG") == 0 || strcmp(drv, "ESRI Shapefile") == 0 ||
                    strcmp(drv, "PostgreSQL") == 0 || strcmp(drv, "SQLite") == 0 ||
                    strcmp(drv, "FlatGeobuf") == 0);
    if (pruned && !by_input && !stale && near.n > 0) {
        double u[4] = {near.b[0][0], near.b[0][1], near.b[0][2], near.b[0][3]};
        for (size_t i = 1; i < near.n; i++) {
            u[0] = fmin(u[0], near.b[i][0]);
            u[1] = fmin(u[1], near.b[i][1]);
            u[2] = fmax(u[2], near.b[i][2]);
            u[3] = fmax(u[3], near.b[i][3]);
        }
        OGR_L_SetSpatialFilterRect(layer, u[0], u[1], u[2], u[3]);
    }
    int grouped = 0;
    if (by_input && !query_boxes(ctx, &near, &qbox, &n_qbox, &grouped)) {
        st = CCGIS_ERR_NOMEM;
        goto stop;
    }
    GIntBig total = by_input ? (GIntBig)n_qbox : OGR_L_GetFeatureCount(layer, FALSE);
    size_t passes = by_input ? n_qbox : 1;
    long long seq = 0;
    int stop_reading = 0;
    OGRFeatureH f;
    st = CCGIS_OK;
    ctx->gdal_msg[0] = '\0';
    for (size_t pass = 0; pass < passes && !stop_reading; pass++) {
        /* A cancellation point per index query too: a query may read few zones. */
        if (by_input && progress &&
            !progress((double)pass / (double)passes, "intersecting zones", progress_arg)) {
            st = ccgis_error(ctx, CCGIS_ERR_CANCELLED, "cancelled by the caller");
            break;
        }
        if (by_input)
            OGR_L_SetSpatialFilterRect(layer, qbox[pass][0], qbox[pass][1], qbox[pass][2],
                                       qbox[pass][3]);
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
            if (!ctx->gdal_msg[0]) {
                ccgis_status ts;
                ccgis_text_plan_apply(ctx, &text, f, (ccgis_where){sh.source, sh.layer, fid}, &ts);
                if (ts != CCGIS_OK) {
                    OGR_F_Destroy(f);
                    st = ts;
                    stop_reading = 1;
                    break;
                }
            }
            const char *why = NULL;
            int taken = ctx->gdal_msg[0] ? 0
                                         : read_zone(ctx, f, class_index, id_index, seq,
                                                     &b->z[b->n],
                                                     pruned && (!by_input || grouped) ? &near
                                                                                       : NULL,
                                                     &why, &bad_text);
            if (taken == 0 && !ctx->gdal_msg[0]) {
                char fidtext[32];
                snprintf(fidtext, sizeof fidtext, "%lld", fid);
                if (!add_note(ctx, &rnotes, &n_rnotes, &cap_rnotes, r->zones_skipped + 1, seq,
                              CCGIS_ZONE_SKIPPED, fidtext, why, NAN, NAN))
                    taken = -1;
            }
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
                sh.poll.frac = by_input ? (double)pass / (double)passes
                                        : total > 0 ? (double)seq / (double)total : 0.0;
                int ok = dispatch(&sh, workers, nthreads, b);
                b = NULL;
                if (ok)
                    ok = poll_progress(&sh.poll, 1);
                if (!ok) {
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
        /* Wait for the workers to finish the queue, reporting progress. */
        pthread_mutex_lock(&sh.mu);
        sh.done = 1;
        if (st != CCGIS_OK || sh.poll.cancelled)
            sh.abort = 1;
        pthread_cond_broadcast(&sh.not_empty);
        pthread_cond_broadcast(&sh.not_full);
        while (sh.running > 0) {
            struct timespec until = in_100ms();
            if (pthread_cond_timedwait(&sh.all_done, &sh.mu, &until) == 0 || sh.abort)
                continue;
            pthread_mutex_unlock(&sh.mu);
            int go_on = poll_progress(&sh.poll, 1);
            if (!go_on)
                abort_all(&sh);
            pthread_mutex_lock(&sh.mu);
        }
        pthread_mutex_unlock(&sh.mu);
        for (int t = 0; t < started; t++)
            pthread_join(workers[t].thread, NULL);
        for (size_t i = 0; i < sh.count; i++) {
            batch_clear(sh.q[(sh.head + i) % sh.cap]);
            free(sh.q[(sh.head + i) % sh.cap]);
        }
    }
    if (st == CCGIS_OK && sh.poll.cancelled)
        st = ccgis_error(ctx, CCGIS_ERR_CANCELLED, "cancelled by the caller");
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
    if (progress && !progress(1.0, "settling the pieces", progress_arg)) {
        st = ccgis_error(ctx, CCGIS_ERR_CANCELLED, "cancelled by the caller");
        goto done;
    }
    if ((st = settle(ctx, input, options, workers, nthreads, &rnotes, &n_rnotes, &sh.poll, r)) !=
        CCGIS_OK)
        goto done;
    if (bad_text)
        ccgis_msg_at(ctx, CCGIS_WARNING, (ccgis_where){sh.source, sh.layer, -1},
                     "%lld zones have a class or id that is not valid UTF-8 -- the attribute "
                     "encoding is probably not UTF-8: declare it (encoding=); meanwhile each "
                     "byte that is not UTF-8 is shown as U+FFFD (\xEF\xBF\xBD)",
                     bad_text);
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
        pthread_cond_destroy(&sh.all_done);
    }
    free(sh.q);
    free_notes(rnotes, n_rnotes);
    free(near.b);
    free(qbox);
    free(seen.slot);
    ccgis_text_plan_clear(&text);
    ccgis_crs_free(zones_crs);
    free(zones_encoding);
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
    GEOSContextHandle_t h = r->geos;
    for (size_t i = 0; i < r->n_pieces; i++) {
        free(r->pieces[i].klass);
        free(r->pieces[i].key);
        if (r->pieces[i].geom)
            GEOSGeom_destroy_r(h, r->pieces[i].geom);
    }
    for (size_t i = 0; i < r->n_overlaps; i++) {
        ccgis_overlay_overlap *o = &r->overlaps[i];
        free(o->zone_a);
        free(o->zone_b);
        free(o->class_a);
        free(o->class_b);
        if (o->geom)
            GEOSGeom_destroy_r(h, o->geom);
    }
    for (size_t i = 0; i < r->n_notes; i++) {
        free(r->notes[i].zone);
        free(r->notes[i].reason);
        if (r->notes[i].geom)
            GEOSGeom_destroy_r(h, r->notes[i].geom);
    }
    for (size_t i = 0; r->conflict_geom && i < r->n_input; i++)
        if (r->conflict_geom[i])
            GEOSGeom_destroy_r(h, r->conflict_geom[i]);
    for (size_t i = 0; r->nozone_geom && i < r->n_input; i++)
        if (r->nozone_geom[i])
            GEOSGeom_destroy_r(h, r->nozone_geom[i]);
    for (size_t i = 0; i < r->n_classes; i++)
        free(r->classes[i]);
    free(r->classes);
    free(r->pieces);
    free(r->overlaps);
    free(r->notes);
    free(r->area_m2);
    free(r->allowed_m2);
    free(r->conflict_m2);
    free(r->mixed_m2);
    free(r->nozone_m2);
    free(r->tol_m2);
    free(r->conflict_top);
    free(r->conflict_geom);
    free(r->nozone_geom);
    free(r->zones_name);
    free(r->zones_encoding);
    ccgis_crs_free(r->zones_crs);
    free(r);
    return NULL;
}
