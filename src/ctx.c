/*
 * ctx.c -- creation, options and release of the ccgis context (see ccgis/ctx.h).
 *
 * The context owns one GEOS handle and one PROJ context.  Their error and log
 * output is routed into the context by handlers installed here and defined in
 * errors.c.  GDAL's drivers are registered once per process on first use.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include <gdal.h>

#include "internal.h"

static pthread_once_t gdal_once = PTHREAD_ONCE_INIT;

/* Register GDAL's drivers; run once per process.  (ccgis's own GDAL
 * settings are thread-local, set around each library call: errors.c.) */
static void gdal_register(void)
{
    GDALAllRegister();
}

/* ccgis_ctx_new: see ctx.h. */
ccgis_ctx *ccgis_ctx_new(void)
{
    ccgis_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return NULL;
    ctx->verbosity = CCGIS_WARNING;

    ctx->geos = GEOS_init_r();
    if (!ctx->geos)
        goto fail;
    GEOSContext_setErrorMessageHandler_r(ctx->geos, ccgis_geos_error_handler, ctx);
    GEOSContext_setNoticeMessageHandler_r(ctx->geos, ccgis_geos_notice_handler, ctx);

    ctx->proj = proj_context_create();
    if (!ctx->proj)
        goto fail;
    proj_log_func(ctx->proj, ctx, ccgis_proj_log_handler);

    pthread_once(&gdal_once, gdal_register);
    ccgis_interrupt_init();
    return ctx;

fail:
    return ccgis_ctx_free(ctx);
}

/* ccgis_ctx_free: see ctx.h. */
ccgis_ctx *ccgis_ctx_free(ccgis_ctx *ctx)
{
    if (!ctx)
        return NULL;
    if (ctx->geos)
        GEOS_finish_r(ctx->geos);
    if (ctx->proj)
        proj_context_destroy(ctx->proj);
    free(ctx);
    return NULL;
}

/* ccgis_ctx_set_message_handler: see ctx.h. */
void ccgis_ctx_set_message_handler(ccgis_ctx *ctx, ccgis_message_fn fn, void *arg)
{
    ctx->sink = fn;
    ctx->sink_arg = arg;
}

/* ccgis_ctx_set_verbosity: see ctx.h. */
ccgis_level ccgis_ctx_set_verbosity(ccgis_ctx *ctx, ccgis_level level)
{
    ccgis_level old = ctx->verbosity;
    if (level < CCGIS_DEBUG)
        level = CCGIS_DEBUG;
    if (level > CCGIS_ERROR)
        level = CCGIS_ERROR;
    ctx->verbosity = level;
    return old;
}

/* ccgis_ctx_set_threads: see ctx.h. */
ccgis_status ccgis_ctx_set_threads(ccgis_ctx *ctx, int n)
{
    if (n < 0 || n > 256)
        return ccgis_error(ctx, CCGIS_ERR_USAGE,
                           "thread count %d is out of range -- give 0 (one per core) to 256", n);
    ctx->threads = n;
    return CCGIS_OK;
}

/* ccgis_ctx_threads: see ctx.h. */
int ccgis_ctx_threads(const ccgis_ctx *ctx)
{
    if (ctx->threads > 0)
        return ctx->threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 1 ? (int)(n > 256 ? 256 : n) : 1;
}

/* ccgis_ctx_message_count: see ctx.h. */
long ccgis_ctx_message_count(const ccgis_ctx *ctx, ccgis_level level)
{
    if (level < CCGIS_DEBUG || level > CCGIS_ERROR)
        return 0;
    return ctx->counts[level];
}

/* ccgis_ctx_geos: see ctx.h. */
GEOSContextHandle_t ccgis_ctx_geos(ccgis_ctx *ctx)
{
    return ctx->geos;
}

/* ccgis_ctx_proj: see ctx.h. */
PJ_CONTEXT *ccgis_ctx_proj(ccgis_ctx *ctx)
{
    return ctx->proj;
}

/* ccgis_errcode: see ctx.h. */
ccgis_status ccgis_errcode(const ccgis_ctx *ctx)
{
    return ctx->err;
}

/* ccgis_errmsg: see ctx.h. */
const char *ccgis_errmsg(const ccgis_ctx *ctx)
{
    return ctx->errmsg;
}

/* ccgis_clear_error: see ctx.h. */
void ccgis_clear_error(ccgis_ctx *ctx)
{
    ctx->err = CCGIS_OK;
    ctx->errmsg[0] = '\0';
}
