/*
 * quiet.c -- keeping what the libraries below print on stderr off the
 * user's terminal (see internal.h, ccgis_quiet_begin).
 *
 * libspatialite reports a failure with fprintf(stderr, ...) and nothing else
 * ("InitSpatiaMetaData() error: ..." when GDAL creates a SpatiaLite file on
 * a full disk): no handler to install, no silent switch reachable through
 * GDAL.  libxlsxwriter does the same ("[ERROR] workbook_close(): ...").  So
 * while ccgis writes, stdio's `stderr` (a variable in glibc, which it
 * documents as assignable) points at a stream of ours, made once with
 * fopencookie: what a thread that asked for quiet writes to it is kept, for
 * the caller to route to the context's sink (CCGIS_DEBUG: `-vv` shows it)
 * and to read the real cause of a failure in; what any other thread
 * writes, and what the sink itself prints, goes through to the real stderr
 * unchanged.  The switch is counted under a mutex so that threads writing
 * at the same time (two jobs in one process) share it.  File descriptor 2
 * is never touched.
 */
#define _GNU_SOURCE /* fopencookie */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define KEPT_MAX 4096

/* This thread's state. */
static _Thread_local struct {
    int depth;   /* ccgis_quiet_begin() calls not yet ended */
    int in_sink; /* the context's sink is printing: let it through */
    int counted; /* this thread is one of `users` */
    size_t n;    /* bytes kept in buf */
    char buf[KEPT_MAX];
} tl;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int users;           /* threads between begin and end, under lock */
static FILE *real_stderr;   /* what stderr was before the first switch */
static FILE *ours;          /* the cookie stream, made once, never closed */

/* cookie write: keep, or pass through to the real stderr. */
static ssize_t quiet_write(void *cookie, const char *b, size_t n)
{
    (void)cookie;
    if (tl.depth > 0 && !tl.in_sink) {
        size_t room = sizeof tl.buf - 1 - tl.n;
        size_t k = n < room ? n : room;
        memcpy(tl.buf + tl.n, b, k);
        tl.n += k;
        tl.buf[tl.n] = '\0';
    } else if (real_stderr) {
        fwrite(b, 1, n, real_stderr);
    }
    return (ssize_t)n;
}

/* ccgis_quiet_begin: see internal.h. */
size_t ccgis_quiet_begin(void)
{
    pthread_mutex_lock(&lock);
    if (!ours) {
        cookie_io_functions_t io = {NULL, quiet_write, NULL, NULL};
        ours = fopencookie(NULL, "w", io);
        if (ours)
            setvbuf(ours, NULL, _IONBF, 0);
    }
    if (ours && tl.depth == 0) {
        tl.counted = 1;
        if (users++ == 0) {
            fflush(stderr);
            real_stderr = stderr;
            stderr = ours;
        }
    }
    pthread_mutex_unlock(&lock);
    if (tl.depth++ == 0)
        tl.n = 0;
    return tl.n;
}

/* ccgis_quiet_end: see internal.h. */
void ccgis_quiet_end(ccgis_ctx *ctx, size_t mark, char *kept, size_t cap)
{
    if (tl.depth <= 0)
        return;
    if (mark > tl.n)
        mark = tl.n;
    if (kept && cap)
        snprintf(kept, cap, "%s", tl.buf + mark);
    /* One debug message per line kept since the mark; then forget them. */
    char *line = tl.buf + mark;
    while (*line) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        while (*line == ' ')
            line++;
        if (*line)
            ccgis_msg(ctx, CCGIS_DEBUG, "printed by a library while writing: %s", line);
        if (!nl)
            break;
        line = nl + 1;
    }
    tl.n = mark;
    tl.buf[tl.n] = '\0';
    if (--tl.depth > 0)
        return;
    if (!tl.counted)
        return;
    tl.counted = 0;
    pthread_mutex_lock(&lock);
    if (--users == 0 && stderr == ours)
        stderr = real_stderr;
    pthread_mutex_unlock(&lock);
}

/* ccgis_quiet_suspend: see internal.h. */
int ccgis_quiet_suspend(void)
{
    int was = tl.in_sink;
    tl.in_sink = 1;
    return was;
}

/* ccgis_quiet_restore: see internal.h. */
void ccgis_quiet_restore(int was)
{
    tl.in_sink = was;
}
