/*
 * fuzz_common.c -- the context, message checks and scratch files the ccgis
 * libFuzzer harnesses share (see fuzz_common.h).
 *
 * Linked into every harness.  Nothing here is fuzzed itself; it only makes
 * each harness short and makes sure all of them hold ccgis to the same
 * promises (ctx.h: messages are one line; a failure leaves a message).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_vsi.h>

#include "fuzz_common.h"

static ccgis_ctx *the_ctx;        /* made once by fuzz_init */
static char scratch[16][512];     /* files made by fuzz_scratch_path, removed at exit */
static int n_scratch;

/* fuzz_fail: see fuzz_common.h. */
void fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "\nccgis fuzz: promise broken: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    abort();
}

/* fuzz_check_line: see fuzz_common.h. */
void fuzz_check_line(const char *what, const char *msg)
{
    if (!msg)
        fuzz_fail("%s is NULL", what);
    size_t n = strlen(msg);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)msg[i] < 0x20)
            fuzz_fail("%s has control character 0x%02x at offset %zu: \"%s\"", what,
                      (unsigned char)msg[i], i, msg);
}

/* Message sink: every message ccgis sends must be one line. */
static void fuzz_sink(void *arg, ccgis_level level, const char *msg)
{
    (void)arg;
    if (level < CCGIS_DEBUG || level > CCGIS_ERROR)
        fuzz_fail("sink got level %d", (int)level);
    fuzz_check_line("a message to the sink", msg);
}

/* Remove the scratch files at exit (a crash leaves them: they are small). */
static void remove_scratch(void)
{
    for (int i = 0; i < n_scratch; i++)
        unlink(scratch[i]);
}

/* fuzz_init: see fuzz_common.h. */
ccgis_ctx *fuzz_init(void)
{
    if (the_ctx)
        return the_ctx;
    the_ctx = ccgis_ctx_new();
    if (!the_ctx)
        fuzz_fail("ccgis_ctx_new failed (out of memory, or GEOS/PROJ would not start)");
    /* Outside ccgis's own brackets GDAL would print to stderr on every input. */
    CPLSetErrorHandler(CPLQuietErrorHandler);
    ccgis_ctx_set_message_handler(the_ctx, fuzz_sink, NULL);
    ccgis_ctx_set_verbosity(the_ctx, CCGIS_DEBUG);
    ccgis_ctx_set_threads(the_ctx, 1);
    atexit(remove_scratch);
    return the_ctx;
}

/* fuzz_after_call: see fuzz_common.h. */
void fuzz_after_call(ccgis_ctx *ctx, ccgis_status st, const char *call)
{
    const char *msg = ccgis_errmsg(ctx);
    fuzz_check_line("ccgis_errmsg()", msg);
    static int verbose = -1;
    if (verbose < 0)
        verbose = getenv("CCGIS_FUZZ_VERBOSE") != NULL;
    if (verbose)
        fprintf(stderr, "%s: %d %s%s%s\n", call, (int)st, ccgis_status_str(st),
                st != CCGIS_OK ? ": " : "", st != CCGIS_OK ? msg : "");
    if (st != CCGIS_OK) {
        if (!msg[0])
            fuzz_fail("%s failed with %d (%s) but left no message", call, (int)st,
                      ccgis_status_str(st));
        if (ccgis_errcode(ctx) != st && st != CCGIS_ERR_NOMEM)
            fuzz_fail("%s returned %d but the context records %d (\"%s\")", call, (int)st,
                      (int)ccgis_errcode(ctx), msg);
    }
    ccgis_clear_error(ctx);
}

/* fuzz_vsimem_put: see fuzz_common.h. */
int fuzz_vsimem_put(const char *path, const uint8_t *data, size_t size)
{
    fuzz_vsimem_drop(path);
    /* An exact-size copy that GDAL owns: reading past its end is a heap overflow. */
    GByte *copy = VSIMalloc(size ? size : 1);
    if (!copy)
        return -1;
    if (size)
        memcpy(copy, data, size);
    VSILFILE *f = VSIFileFromMemBuffer(path, copy, (vsi_l_offset)size, TRUE);
    if (!f) {
        VSIFree(copy);
        return -1;
    }
    VSIFCloseL(f);
    return 0;
}

/* fuzz_vsimem_drop: see fuzz_common.h. */
void fuzz_vsimem_drop(const char *path)
{
    VSIUnlink(path);
}

/* fuzz_scratch_path: see fuzz_common.h. */
const char *fuzz_scratch_path(const char *name)
{
    static char buf[512];
    const char *dir = "/dev/shm";
    if (access(dir, W_OK) != 0) {
        dir = getenv("TMPDIR");
        if (!dir || !*dir)
            dir = "/tmp";
    }
    snprintf(buf, sizeof buf, "%s/ccgis-fuzz-%ld-%s", dir, (long)getpid(), name);
    int known = 0;
    for (int i = 0; i < n_scratch; i++)
        known |= strcmp(scratch[i], buf) == 0;
    if (!known && n_scratch < (int)(sizeof scratch / sizeof scratch[0]))
        snprintf(scratch[n_scratch++], sizeof scratch[0], "%s", buf);
    return buf;
}

/* fuzz_write_file: see fuzz_common.h. */
void fuzz_write_file(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        fuzz_fail("cannot write the scratch file %s", path);
    int bad = size && fwrite(data, 1, size, f) != size;
    if (fclose(f) != 0 || bad)
        fuzz_fail("cannot write the scratch file %s (disk full?)", path);
}
