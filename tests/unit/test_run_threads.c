/*
 * test_run_threads.c -- two jobs run at once in one process, each on its
 * own context and thread, as a host program (a QGIS plugin, a server) would
 * run them: both succeed and write exactly what one job alone writes.
 * ctx.h promises that separate contexts may run in parallel; this holds it
 * to that (the ThreadSanitizer build in CI runs it too).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define JOB SHAPES_DIR "/../samples/hanoi.ini"

/* One job: its output folder, and what came of it. */
typedef struct one_job {
    char output[512];
    ccgis_status st;
    char err[CCGIS_MSG_MAX];
} one_job;

/* Thread body: read the sample job, point it at j->output, run it. */
static void *run_one(void *arg)
{
    one_job *j = arg;
    ccgis_ctx *ctx = ccgis_ctx_new();
    ccgis_job *job = NULL;
    j->st = CCGIS_ERR_INTERNAL;
    if (!ctx)
        return NULL;
    ccgis_ctx_set_threads(ctx, 2);
    if ((j->st = ccgis_job_read(ctx, JOB, &job)) == CCGIS_OK) {
        free(job->output);
        job->output = strdup(j->output);
        ccgis_run_options o = {1};
        j->st = job->output ? ccgis_run(ctx, job, &o, NULL, NULL, NULL) : CCGIS_ERR_NOMEM;
    }
    snprintf(j->err, sizeof j->err, "%s", ccgis_errmsg(ctx));
    ccgis_job_free(job);
    ccgis_ctx_free(ctx);
    return NULL;
}

/* The text of a file (malloc'd), or NULL. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s)
        s[n] = '\0';
    fclose(f);
    return s;
}

static void two_jobs_at_once_write_what_one_writes(void **state)
{
    (void)state;
    one_job alone = {.st = CCGIS_OK}, a = {.st = CCGIS_OK}, b = {.st = CCGIS_OK};
    snprintf(alone.output, sizeof alone.output, "%s/alone", WORK_DIR);
    snprintf(a.output, sizeof a.output, "%s/a", WORK_DIR);
    snprintf(b.output, sizeof b.output, "%s/b", WORK_DIR);
    assert_int_equal(system("rm -rf '" WORK_DIR "/alone' '" WORK_DIR "/a' '" WORK_DIR "/b'"), 0);
    run_one(&alone);
    if (alone.st != CCGIS_OK)
        fprintf(stderr, "alone: %s\n", alone.err);
    assert_int_equal(alone.st, CCGIS_OK);
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, run_one, &a), 0);
    assert_int_equal(pthread_create(&tb, NULL, run_one, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    if (a.st != CCGIS_OK || b.st != CCGIS_OK)
        fprintf(stderr, "a: %s\nb: %s\n", a.err, b.err);
    assert_int_equal(a.st, CCGIS_OK);
    assert_int_equal(b.st, CCGIS_OK);
    /* summary.json and report.md hold no date or path of the output: equal bytes. */
    static const char *const files[] = {"summary.json", "report.md", "district_status.csv"};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        char p0[600], p1[600], p2[600];
        snprintf(p0, sizeof p0, "%s/%s", alone.output, files[f]);
        snprintf(p1, sizeof p1, "%s/%s", a.output, files[f]);
        snprintf(p2, sizeof p2, "%s/%s", b.output, files[f]);
        char *s0 = slurp(p0), *s1 = slurp(p1), *s2 = slurp(p2);
        assert_non_null(s0);
        assert_non_null(s1);
        assert_non_null(s2);
        assert_string_equal(s0, s1);
        assert_string_equal(s0, s2);
        free(s0);
        free(s1);
        free(s2);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_jobs_at_once_write_what_one_writes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
