/*
 * fuzz_common.h -- what the ccgis libFuzzer harnesses share (fuzz_common.c).
 *
 *   - the libFuzzer entry points, declared so that -Wmissing-prototypes is
 *     satisfied;
 *   - one ccgis context per process, made by fuzz_init() with GDAL's own
 *     error output silenced and a message sink that reads (and checks) every
 *     message ccgis sends;
 *   - checks of the promises ctx.h makes about messages;
 *   - writing the input into GDAL's in-memory filesystem (/vsimem) or into a
 *     real scratch file.
 *
 * A broken promise is reported with fuzz_fail(), which prints what was
 * expected and aborts: libFuzzer then saves the input as a crash artifact.
 */
#ifndef CCGIS_FUZZ_COMMON_H
#define CCGIS_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "ccgis/ctx.h"

/* libFuzzer's entry points, defined once in each harness. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * fuzz_init -- make the process-wide context (first call only) and return
 * it: GDAL drivers registered (ccgis_ctx_new does GDALAllRegister), GDAL's
 * default error handler replaced by CPLQuietErrorHandler, verbosity
 * CCGIS_DEBUG so that every message passes through fuzz_sink.  Aborts when
 * the context cannot be made.
 */
ccgis_ctx *fuzz_init(void);

/*
 * fuzz_fail -- report a broken promise ("what" says which, printf-style) on
 * stderr and abort(), so that libFuzzer keeps the input as a crash.
 */
void fuzz_fail(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2), noreturn))
#endif
    ;

/*
 * fuzz_check_line -- fail unless `msg` is one line as ctx.h and errors.c
 * promise: not NULL, no control character (newline, tab...).  `what` names
 * the message in the report ("ccgis_errmsg()", "a message to the sink").
 */
void fuzz_check_line(const char *what, const char *msg);

/*
 * fuzz_after_call -- the checks every harness makes after a ccgis call that
 * returned `st`: a failure has a message and the context records that
 * status (except CCGIS_ERR_NOMEM paths, which record their own); then the
 * error is cleared for the next call.  With CCGIS_FUZZ_VERBOSE set in the
 * environment the call, its status and message are printed on stderr (to
 * see what ccgis makes of an input when running the harness on one file).
 */
void fuzz_after_call(ccgis_ctx *ctx, ccgis_status st, const char *call);

/*
 * fuzz_vsimem_put -- put `size` bytes at `data` into the in-memory file
 * `path` (a "/vsimem/..." name), replacing any file of that name.  The bytes
 * are copied, so the caller's buffer may go.  Returns 0, or -1 when GDAL
 * refused (out of memory).  Remove the file with fuzz_vsimem_drop().
 */
int fuzz_vsimem_put(const char *path, const uint8_t *data, size_t size);

/* fuzz_vsimem_drop -- remove the in-memory file `path`, if there is one. */
void fuzz_vsimem_drop(const char *path);

/*
 * fuzz_scratch_path -- a file name fixed for this process: "<dir>/ccgis-fuzz-
 * <pid>-<name>", <dir> being /dev/shm when writable (memory: fast), else
 * $TMPDIR, else /tmp.  Static buffer.  The file is removed at exit.
 */
const char *fuzz_scratch_path(const char *name);

/*
 * fuzz_write_file -- (re)write `path` with `size` bytes at `data`.  Aborts
 * when the file cannot be written: a fuzzing run on a full disk proves
 * nothing.
 */
void fuzz_write_file(const char *path, const uint8_t *data, size_t size);

#endif /* CCGIS_FUZZ_COMMON_H */
