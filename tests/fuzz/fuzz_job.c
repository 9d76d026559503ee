/*
 * fuzz_job.c -- libFuzzer harness for the job-file parser, ccgis_job_read()
 * (src/job.c, on libinih).
 *
 * Each input is written as it is to one scratch file fixed for the process
 * (/dev/shm/ccgis-fuzz-PID-job.ini, see fuzz_scratch_path) and read with
 * ccgis_job_read().  That covers the line reader (long lines, "[" without
 * "]"), the key tables, repeated keys, formats and allowed lists, radius_m,
 * path resolution against the job file's folder (normalise_path), the
 * required-key checks and plan_crs (PROJ parses it: proj_create).
 * ccgis_job_check() and ccgis_run() are not called: they open the sources.
 *
 * Checked besides memory safety: a failure leaves a one-line message and
 * the context records its status; a job read successfully has what
 * validate() promises (output, name, a [clusters] section with source and
 * id; allowed classes when there is zoning).
 *
 * Seeds: corpus/job/.  Dictionary: job.dict.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ccgis/job.h"
#include "fuzz_common.h"

/* LLVMFuzzerInitialize: make the context once. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    return 0;
}

/* Read every string of an input section, so that ASan sees a bad one. */
static size_t touch_input(const ccgis_job_input *in)
{
    const char *s[] = {in->source, in->layer, in->srs,    in->encoding,
                       in->id,     in->name,  in->status, in->klass};
    size_t n = 0;
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        n += s[i] ? strlen(s[i]) : 0;
    return n;
}

/* The promises of a job that ccgis_job_read() accepted. */
static void check_job(const ccgis_job *job)
{
    if (!job->path || !job->name || !job->output)
        fuzz_fail("accepted job without path, name or output");
    if (!job->clusters.present || !job->clusters.source || !job->clusters.id)
        fuzz_fail("accepted job without [clusters] source and id");
    if (job->districts.present && (!job->districts.source || !job->districts.name))
        fuzz_fail("accepted job with [districts] lacking source or name");
    if (job->zoning.present && (!job->zoning.source || !job->zoning.klass || !job->allowed))
        fuzz_fail("accepted job with [zoning] lacking source, class or allowed classes");
    if (job->villages.present && !job->villages.source)
        fuzz_fail("accepted job with [villages] lacking source");
    if (!(job->radius_m >= 0))
        fuzz_fail("accepted job with radius_m %g", job->radius_m);
    if (!job->formats || job->formats & ~0xFu)
        fuzz_fail("accepted job with formats 0x%x", job->formats);
    volatile size_t n = strlen(job->path) + strlen(job->name) + strlen(job->output);
    n += job->plan_crs ? strlen(job->plan_crs) : 0;
    n += touch_input(&job->clusters) + touch_input(&job->districts) +
         touch_input(&job->zoning) + touch_input(&job->villages);
    for (char **a = job->allowed; a && *a; a++)
        n += strlen(*a);
    (void)n;
}

/* LLVMFuzzerTestOneInput: the bytes as a job file. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ccgis_ctx *ctx = fuzz_init();
    const char *path = fuzz_scratch_path("job.ini");
    fuzz_write_file(path, data, size);

    ccgis_job *job = NULL;
    ccgis_status st = ccgis_job_read(ctx, path, &job);
    if ((st == CCGIS_OK) != (job != NULL))
        fuzz_fail("ccgis_job_read returned %d with job %p", (int)st, (void *)job);
    if (job)
        check_job(job);
    fuzz_after_call(ctx, st, "ccgis_job_read");
    job = ccgis_job_free(job);
    return 0;
}
