/*
 * errors.c -- how failures and messages reach the context (see internal.h).
 *
 * Everything ccgis or a library below it has to say ends up here:
 *   - ccgis's own failures (ccgis_error, ccgis_error_at) become the context's
 *     last error and are also sent to the sink at CCGIS_ERROR;
 *   - ccgis's notes and warnings (ccgis_msg, ccgis_msg_at) go to the sink;
 *   - GEOS errors are kept for the caller to quote (ccgis_geos_reason),
 *     GEOS notices go to the sink at CCGIS_DEBUG;
 *   - PROJ log lines go to the sink at CCGIS_DEBUG;
 *   - GDAL/CPL messages, between ccgis_gdal_begin and ccgis_gdal_end, go to
 *     the sink (warnings) or are kept for the caller to quote (failures).
 * Nothing here prints or exits.  Every message is made one line: newlines
 * and tabs become spaces.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>

#include <cpl_error.h>

#include "internal.h"

/* Make `s` one line: control characters become spaces, trailing blanks go. */
static void one_line(char *s)
{
    size_t n = 0;
    for (char *p = s; *p; p++, n++)
        if ((unsigned char)*p < 0x20)
            *p = ' ';
    while (n > 0 && s[n - 1] == ' ')
        s[--n] = '\0';
}

/*
 * Format "where: " into buf (size cap) and return the length written (0 when
 * nothing is known of where).  The file comes first, then the layer when it
 * adds something, then the feature's id (`key`, may be NULL; left out when
 * it is only the FID as text), then its FID.
 */
static size_t format_where_key(char *buf, size_t cap, ccgis_where where, const char *key)
{
    int n = 0;
    char fidtext[32];
    buf[0] = '\0';
    snprintf(fidtext, sizeof fidtext, "%lld", where.fid);
    if (where.file)
        n += snprintf(buf + n, cap - (size_t)n, "%s", where.file);
    if (where.layer && (size_t)n < cap)
        n += snprintf(buf + n, cap - (size_t)n, "%slayer '%s'", n ? ", " : "", where.layer);
    if (key && *key && strcmp(key, fidtext) != 0 && (size_t)n < cap)
        n += snprintf(buf + n, cap - (size_t)n, "%sid '%s'", n ? ", " : "", key);
    if (where.fid >= 0 && (size_t)n < cap)
        n += snprintf(buf + n, cap - (size_t)n, "%sfeature %lld", n ? ", " : "", where.fid);
    if (n > 0 && (size_t)n < cap)
        n += snprintf(buf + n, cap - (size_t)n, ": ");
    return (size_t)n < cap ? (size_t)n : cap - 1;
}

/* Format where + fmt/ap into buf (CCGIS_MSG_MAX), one line, "..." when cut. */
static void format_msg(char *buf, ccgis_where where, const char *fmt, va_list ap)
    CCGIS_PRINTF(3, 0);

/* Send one line to the sink if the level passes, and count it. */
static void emit(ccgis_ctx *ctx, ccgis_level level, const char *line)
{
    ctx->counts[level]++;
    if (ctx->sink && level >= ctx->verbosity) {
        int quiet = ccgis_quiet_suspend(); /* the sink may print on stderr (quiet.c) */
        ctx->sink(ctx->sink_arg, level, line);
        ccgis_quiet_restore(quiet);
    }
}

/* Format where (and the feature's id `key`, may be NULL) + fmt/ap into buf
 * (CCGIS_MSG_MAX), one line, "..." when cut. */
static void format_msg_key(char *buf, ccgis_where where, const char *key, const char *fmt,
                           va_list ap) CCGIS_PRINTF(4, 0);
static void format_msg_key(char *buf, ccgis_where where, const char *key, const char *fmt,
                           va_list ap)
{
    size_t n = format_where_key(buf, CCGIS_MSG_MAX, where, key);
    int m = vsnprintf(buf + n, CCGIS_MSG_MAX - n, fmt, ap);
    if (m >= 0 && (size_t)m >= CCGIS_MSG_MAX - n)
        memcpy(buf + CCGIS_MSG_MAX - 4, "...", 4);
    one_line(buf);
}

static void format_msg(char *buf, ccgis_where where, const char *fmt, va_list ap)
{
    format_msg_key(buf, where, NULL, fmt, ap);
}

/* Record a failure and send it to the sink. */
static ccgis_status record(ccgis_ctx *ctx, ccgis_status status, ccgis_where where, const char *fmt,
                           va_list ap) CCGIS_PRINTF(4, 0);
static ccgis_status record(ccgis_ctx *ctx, ccgis_status status, ccgis_where where, const char *fmt,
                           va_list ap)
{
    format_msg(ctx->errmsg, where, fmt, ap);
    ctx->err = status;
    emit(ctx, CCGIS_ERROR, ctx->errmsg);
    return status;
}

/* ccgis_error: see internal.h. */
ccgis_status ccgis_error(ccgis_ctx *ctx, ccgis_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    record(ctx, status, CCGIS_NOWHERE, fmt, ap);
    va_end(ap);
    return status;
}

/* ccgis_error_at: see internal.h. */
ccgis_status ccgis_error_at(ccgis_ctx *ctx, ccgis_status status, ccgis_where where,
                            const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    record(ctx, status, where, fmt, ap);
    va_end(ap);
    return status;
}

/* ccgis_nomem: see internal.h. */
ccgis_status ccgis_nomem(ccgis_ctx *ctx)
{
    return ccgis_error(ctx, CCGIS_ERR_NOMEM,
                       "out of memory -- close other programs or process a smaller area");
}

/* ccgis_msg: see internal.h. */
void ccgis_msg(ccgis_ctx *ctx, ccgis_level level, const char *fmt, ...)
{
    char buf[CCGIS_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    format_msg(buf, CCGIS_NOWHERE, fmt, ap);
    va_end(ap);
    emit(ctx, level, buf);
}

/* ccgis_msg_at: see internal.h. */
void ccgis_msg_at(ccgis_ctx *ctx, ccgis_level level, ccgis_where where, const char *fmt, ...)
{
    char buf[CCGIS_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    format_msg(buf, where, fmt, ap);
    va_end(ap);
    emit(ctx, level, buf);
}

/* ccgis_msg_feature: see internal.h. */
void ccgis_msg_feature(ccgis_ctx *ctx, ccgis_level level, ccgis_where where, const char *key,
                       const char *fmt, ...)
{
    char buf[CCGIS_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    format_msg_key(buf, where, key, fmt, ap);
    va_end(ap);
    emit(ctx, level, buf);
}

/* ccgis_error_feature: see internal.h. */
ccgis_status ccgis_error_feature(ccgis_ctx *ctx, ccgis_status status, ccgis_where where,
                                 const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    format_msg_key(ctx->errmsg, where, key, fmt, ap);
    va_end(ap);
    ctx->err = status;
    emit(ctx, CCGIS_ERROR, ctx->errmsg);
    return status;
}

/* ccgis_msg_once_at: see internal.h. */
void ccgis_msg_once_at(ccgis_ctx *ctx, ccgis_level level, ccgis_where where, const char *fmt, ...)
{
    char buf[CCGIS_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    format_msg(buf, where, fmt, ap);
    va_end(ap);
    uint64_t h = 1469598103934665603u; /* FNV-1a, 64 bits */
    for (const unsigned char *p = (const unsigned char *)buf; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    size_t kept = ctx->n_said < CCGIS_SAID_MAX ? ctx->n_said : CCGIS_SAID_MAX;
    for (size_t i = 0; i < kept; i++)
        if (ctx->said[i] == h)
            return;
    ctx->said[ctx->n_said++ % CCGIS_SAID_MAX] = h;
    emit(ctx, level, buf);
}

/*
 * GEOS error handler, installed by ccgis_ctx_new: keep the text for the
 * caller (which knows the feature) to quote.
 */
void ccgis_geos_error_handler(const char *message, void *userdata)
{
    ccgis_ctx *ctx = userdata;
    snprintf(ctx->geos_msg, sizeof ctx->geos_msg, "%s", message ? message : "");
    one_line(ctx->geos_msg);
}

/* GEOS notice handler: library chatter, to the sink at CCGIS_DEBUG. */
void ccgis_geos_notice_handler(const char *message, void *userdata)
{
    ccgis_msg(userdata, CCGIS_DEBUG, "GEOS: %s", message ? message : "");
}

/* PROJ log handler: to the sink at CCGIS_DEBUG; failures come back as return values. */
void ccgis_proj_log_handler(void *userdata, int level, const char *message)
{
    (void)level;
    ccgis_msg(userdata, CCGIS_DEBUG, "PROJ: %s", message ? message : "");
}

/* ccgis_geos_reason: see internal.h. */
const char *ccgis_geos_reason(ccgis_ctx *ctx, const char *fallback)
{
    if (!ctx->geos_msg[0])
        return fallback;
    memcpy(ctx->geos_quoted, ctx->geos_msg, sizeof ctx->geos_quoted);
    ctx->geos_msg[0] = '\0';
    return ctx->geos_quoted;
}

/* CPL error handler pushed by ccgis_gdal_begin; its user data is the context. */
/*
 * GDAL's messages are written for its own tools: some sentences advise an
 * ogr2ogr option ("-mapFieldType can be used to ...", "use -skipfailures")
 * that means nothing to a ccgis user.  Copy `message` into buf (cap bytes)
 * without the sentences that name such an option.
 */
static const char *without_tool_advice(const char *message, char *buf, size_t cap)
{
    static const char *const options[] = {"-mapFieldType", "-skipfailures", "-lco ", "-dsco ",
                                          "-nlt ", "-oo ", "-doo ", "--config ", "-fieldTypeToString",
                                          "-unsetFid", "-preserve_fid", NULL};
    size_t used = 0;
    buf[0] = '\0';
    const char *s = message;
    while (*s) {
        const char *end = strstr(s, ". ");
        size_t len = end ? (size_t)(end - s) + 2 : strlen(s);
        int advice = 0;
        for (size_t k = 0; options[k] && !advice; k++) {
            const char *hit = strstr(s, options[k]);
            advice = hit && (size_t)(hit - s) < len;
        }
        if (!advice && used + len < cap) {
            memcpy(buf + used, s, len);
            used += len;
            buf[used] = '\0';
        }
        s += len;
    }
    while (used > 0 && (buf[used - 1] == ' ' || buf[used - 1] == '\n'))
        buf[--used] = '\0';
    return used ? buf : message;
}

static void CPL_STDCALL gdal_handler(CPLErr cls, CPLErrorNum num, const char *raw)
{
    ccgis_ctx *ctx = CPLGetErrorHandlerUserData();
    char clean[CCGIS_MSG_MAX];
    const char *message = raw ? without_tool_advice(raw, clean, sizeof clean) : NULL;
    (void)num;
    if (!ctx)
        return;
    switch (cls) {
    case CE_None:
    case CE_Debug:
        ccgis_msg(ctx, CCGIS_DEBUG, "GDAL: %s", message ? message : "");
        break;
    case CE_Warning:
        ccgis_msg(ctx, CCGIS_WARNING, "GDAL: %s", message ? message : "");
        break;
    case CE_Failure:
    case CE_Fatal:
        snprintf(ctx->gdal_msg, sizeof ctx->gdal_msg, "%s", message ? message : "");
        one_line(ctx->gdal_msg);
        if (!ctx->gdal_first[0])
            memcpy(ctx->gdal_first, ctx->gdal_msg, sizeof ctx->gdal_first);
        ccgis_msg(ctx, CCGIS_DEBUG, "GDAL error: %s", ctx->gdal_msg);
        break;
    }
}

/* ccgis_gdal_begin: see internal.h. */
/*
 * GDAL settings ccgis reads with: a CAD drawing's closed polylines are areas
 * (cluster boundaries); a spreadsheet of coordinates has a header row even
 * when every cell is text.  GDAL 3.6 takes these from its configuration, so
 * they are set thread-locally for the length of the outermost library call
 * (CPLSetThreadLocalConfigOption: another thread, or another library in the
 * same process, sees nothing), unless the user set them, and restored after.
 */
static const char *const gdal_settings[CCGIS_GDAL_SETTINGS][2] = {
    {"DXF_CLOSED_LINE_AS_POLYGON", "TRUE"},
    {"OGR_XLSX_HEADERS", "FORCE"},
    {"OGR_ODS_HEADERS", "FORCE"},
};

void ccgis_gdal_begin(ccgis_ctx *ctx)
{
    if (ctx->gdal_depth++ == 0) {
        ctx->gdal_msg[0] = '\0';
        ctx->gdal_first[0] = '\0';
        for (int i = 0; i < CCGIS_GDAL_SETTINGS; i++) {
            ctx->gdal_set[i] = !CPLGetConfigOption(gdal_settings[i][0], NULL);
            if (ctx->gdal_set[i])
                CPLSetThreadLocalConfigOption(gdal_settings[i][0], gdal_settings[i][1]);
        }
    }
    CPLPushErrorHandlerEx(gdal_handler, ctx);
    CPLErrorReset();
}

/* ccgis_gdal_end: see internal.h. */
void ccgis_gdal_end(ccgis_ctx *ctx)
{
    CPLPopErrorHandler();
    if (--ctx->gdal_depth == 0)
        for (int i = 0; i < CCGIS_GDAL_SETTINGS; i++)
            if (ctx->gdal_set[i]) {
                CPLSetThreadLocalConfigOption(gdal_settings[i][0], NULL);
                ctx->gdal_set[i] = 0;
            }
}

/* ccgis_strdup: see internal.h. */
char *ccgis_strdup(ccgis_ctx *ctx, const char *s)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        ccgis_nomem(ctx);
    return d;
}

/* ccgis_calloc: see internal.h. */
void *ccgis_calloc(ccgis_ctx *ctx, size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        ccgis_nomem(ctx);
    return p;
}

/* ccgis_grow: see internal.h.  Doubles the capacity, starting at 8. */
int ccgis_grow(ccgis_ctx *ctx, void **arr, size_t *cap, size_t n, size_t elem_size)
{
    if (n < *cap)
        return 1;
    size_t ncap = *cap ? *cap * 2 : 8;
    void *p = realloc(*arr, ncap * elem_size);
    if (!p) {
        ccgis_nomem(ctx);
        return 0;
    }
    *arr = p;
    *cap = ncap;
    return 1;
}
