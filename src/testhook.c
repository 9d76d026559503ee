/*
 * testhook.c -- fault injection for the test suite, as SQLite builds it in:
 * places where a test can pause a run to interrupt it, kill it, or change
 * the world under it (a folder appearing at the output path).
 *
 * Compiled only with CCGIS_TEST_HOOKS, which the top CMakeLists.txt defines
 * for the library when the tests are built (CCGIS_BUILD_TESTS, the default);
 * configure with -DCCGIS_BUILD_TESTS=OFF for a library without it.  The
 * environment variables read:
 *
 *   CCGIS_TEST_STALL      the point to pause at: "loading", "analysis",
 *                         "writing" (run.c), "translate" (write.c: GDAL's
 *                         first progress report of each file it writes);
 *   CCGIS_TEST_STALL_DIR  optional: a folder where the run, once paused,
 *                         creates the file "stalled" (holding its pid), and
 *                         where it waits for a file "resume" to go on.
 *
 * The pause lasts at most 30 s, reporting progress every 10 ms so that a
 * cancellation (Ctrl-C) is noticed.  And faults to inject:
 *
 *   CCGIS_TEST_NO_RENAMEAT2  renameat2() fails with EINVAL, as on a file
 *                            system without it (CIFS, NFS, vfat): outdir.c
 *                            takes its fallbacks.
 *   CCGIS_TEST_SLOW_WRITE    milliseconds to wait after each feature GDAL
 *                            writes (write.c): a slow disk, so that a test
 *                            can interrupt a write in its middle.
 */
#ifdef CCGIS_TEST_HOOKS

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

/* ccgis_test_stall: see internal.h. */
ccgis_status ccgis_test_stall(ccgis_ctx *ctx, const char *point, ccgis_progress_fn fn, void *arg,
                              double at)
{
    const char *want = getenv("CCGIS_TEST_STALL");
    if (!want || strcmp(want, point) != 0)
        return CCGIS_OK;
    const char *dir = getenv("CCGIS_TEST_STALL_DIR");
    char resume[4096] = "";
    if (dir) {
        char path[4096];
        snprintf(path, sizeof path, "%s/stalled", dir);
        snprintf(resume, sizeof resume, "%s/resume", dir);
        FILE *f = fopen(path, "w");
        if (f) {
            fprintf(f, "%ld\n", (long)getpid());
            fclose(f);
        }
    }
    for (int i = 0; i < 3000; i++) {
        if (fn && !fn(at, point, arg))
            return ccgis_error(ctx, CCGIS_ERR_CANCELLED, "cancelled by the caller");
        if (resume[0] && access(resume, F_OK) == 0)
            break;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return CCGIS_OK;
}

/* ccgis_test_flag: see internal.h. */
int ccgis_test_flag(const char *name)
{
    const char *v = getenv(name);
    return v && v[0];
}

/* ccgis_test_delay: see internal.h. */
void ccgis_test_delay(const char *name)
{
    const char *v = getenv(name);
    long ms = v ? atol(v) : 0;
    if (ms <= 0)
        return;
    if (ms > 999)
        ms = 999;
    struct timespec ts = {0, ms * 1000 * 1000};
    nanosleep(&ts, NULL);
}

#else
typedef int ccgis_testhook_unused; /* ISO C wants something in a file */
#endif
