/*
 * ccgis/ctx.h -- the ccgis context: one per thread of work.
 *
 * A ccgis_ctx owns everything a ccgis call needs besides its arguments:
 *
 *   - a GEOS context handle (GEOS_init_r), used with GEOS's reentrant "_r"
 *     functions only;
 *   - a PROJ context (proj_context_create);
 *   - the last error: a status code and a one-line message naming the file,
 *     the layer, the feature id and what the user can do about it;
 *   - a message sink: a callback that receives warnings and notes as they
 *     happen (repairs, skipped features, CRS guesses), filtered by verbosity;
 *   - options: verbosity and the number of worker threads.
 *
 * Messages from the libraries below (GDAL/CPL errors, GEOS errors and notices,
 * PROJ log lines) are routed into the same sink or into the last error; ccgis
 * itself never prints, never calls exit() and never aborts.
 *
 * Rules:
 *   - A context is used by one thread at a time.  Work split over threads
 *     gives each thread its own context.
 *   - ccgis_errmsg() and ccgis_errcode() describe the most recent failing
 *     call.  A successful call does not clear them; ccgis_clear_error() does.
 *   - Strings returned as `const char *` are borrowed from the context and
 *     valid until the next call that takes the context.
 *
 * Example:
 *
 *     ccgis_ctx *ctx = ccgis_ctx_new();
 *     if (!ctx) return 3;                          // out of memory
 *     ccgis_ctx_set_message_handler(ctx, print_to_stderr, NULL);
 *     if (ccgis_info(ctx, "clusters.shp", NULL, &info) != CCGIS_OK)
 *         fprintf(stderr, "ccgis: %s\n", ccgis_errmsg(ctx));
 *     ctx = ccgis_ctx_free(ctx);
 */
#ifndef CCGIS_CTX_H
#define CCGIS_CTX_H

#include <stdarg.h>

#include "ccgis/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ccgis_ctx ccgis_ctx;

/* Severity of a message sent to the sink, least to most severe. */
typedef enum ccgis_level {
    CCGIS_DEBUG = 0,   /* library chatter; shown with -vv */
    CCGIS_INFO = 1,    /* what ccgis did: "repaired feature 12 (Self-intersection)" */
    CCGIS_WARNING = 2, /* a result may not be what the user expects */
    CCGIS_ERROR = 3    /* a failure; the same text is also ccgis_errmsg() */
} ccgis_level;

/*
 * A message sink.  `msg` is one line of UTF-8 without a trailing newline,
 * borrowed for the duration of the call.  `arg` is the pointer given to
 * ccgis_ctx_set_message_handler().  The sink must not call back into ccgis
 * with the same context.
 */
typedef void (*ccgis_message_fn)(void *arg, ccgis_level level, const char *msg);

/*
 * ccgis_ctx_new -- create a context with a fresh GEOS handle and PROJ
 * context, no message sink, verbosity CCGIS_WARNING and threads 0 (= one per
 * core).
 *
 * Returns the new context, to be released with ccgis_ctx_free(), or NULL if
 * memory or one of the libraries' own contexts could not be had.
 */
ccgis_ctx *ccgis_ctx_new(void);

/*
 * ccgis_ctx_free -- release a context and everything it owns.  NULL is
 * accepted.  Returns NULL, so that `ctx = ccgis_ctx_free(ctx);` clears the
 * caller's pointer in one statement.
 */
ccgis_ctx *ccgis_ctx_free(ccgis_ctx *ctx);

/*
 * ccgis_ctx_set_message_handler -- install the sink for messages at or above
 * the context's verbosity.  `fn` NULL removes it: messages are then only
 * counted (ccgis_ctx_message_count).  `arg` is passed back to `fn`.
 */
void ccgis_ctx_set_message_handler(ccgis_ctx *ctx, ccgis_message_fn fn, void *arg);

/*
 * ccgis_ctx_set_verbosity -- the least severe level passed to the sink
 * (default CCGIS_WARNING).  Returns the previous level.
 */
ccgis_level ccgis_ctx_set_verbosity(ccgis_ctx *ctx, ccgis_level level);

/*
 * ccgis_ctx_set_threads -- number of worker threads for parallel work, 0 for
 * one per online core.  Returns CCGIS_OK, or CCGIS_ERR_USAGE if `n` is
 * negative or over 256.
 */
ccgis_status ccgis_ctx_set_threads(ccgis_ctx *ctx, int n);

/*
 * ccgis_ctx_threads -- the number of worker threads work will use: the value
 * set, or the number of online cores when it was 0.  Always >= 1.
 */
int ccgis_ctx_threads(const ccgis_ctx *ctx);

/*
 * ccgis_ctx_message_count -- how many messages of exactly `level` were
 * emitted through this context since it was created, whether or not a sink
 * saw them.
 */
long ccgis_ctx_message_count(const ccgis_ctx *ctx, ccgis_level level);

/*
 * ccgis_ctx_geos, ccgis_ctx_proj -- the context's GEOS handle and PROJ
 * context, borrowed, for callers that work with GEOS geometries or PROJ
 * objects alongside ccgis (the geometry-level functions of geodesic.h take
 * GEOS geometries made in this handle).  Never NULL for a live context.
 */
struct GEOSContextHandle_HS;
struct pj_ctx;
struct GEOSContextHandle_HS *ccgis_ctx_geos(ccgis_ctx *ctx);
struct pj_ctx *ccgis_ctx_proj(ccgis_ctx *ctx);

/*
 * ccgis_errcode -- status of the last failure recorded in the context, or
 * CCGIS_OK if none was recorded since creation or ccgis_clear_error().
 */
ccgis_status ccgis_errcode(const ccgis_ctx *ctx);

/*
 * ccgis_errmsg -- message of the last failure: one line naming what failed
 * (file, layer, feature id) and what the user can do.  Returns "" when there
 * is none.  Borrowed: valid until the next call that takes `ctx`.
 */
const char *ccgis_errmsg(const ccgis_ctx *ctx);

/* ccgis_clear_error -- forget the last failure. */
void ccgis_clear_error(ccgis_ctx *ctx);

#ifdef __cplusplus
}
#endif

#endif /* CCGIS_CTX_H */
