/*
 * test_outputs.c -- the output transaction seen from the command line
 * (outdir.h): what happens when the world changes under a run.
 *
 *   - a folder with a user file appears at the output path while the run is
 *     paused: the file survives, exit 2, the message names the output path;
 *   - two runs of one job at once: one writes, the other exits 2 naming the
 *     first one's pid, and the output is complete and valid;
 *   - 20 SIGKILLs at random points (loading, analysis, writing, any time):
 *     never a partial output, temporary folders do not pile up, and the next
 *     run removes the last one and says so;
 *   - two outputs of a single command are replaced both or neither;
 *   - SIGTERM while GDAL writes a layer (slowed to 20 ms a feature, so that
 *     the whole write would take 25 s): the run, or a single command, ends
 *     within 2 s, exit 130, leaving no output, no temporary folder, no lock,
 *     and an earlier output unchanged.
 *
 * Runs pause at the test hook of src/testhook.c (CCGIS_TEST_STALL, with
 * CCGIS_TEST_STALL_DIR to be told when paused and to resume them).  "Valid"
 * means: every file listed in .ccgis-manifest has the listed SHA-256
 * (coreutils sha256sum -c) and the GeoPackage holds the 30 clusters
 * (ogrinfo).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define SAMPLE SHAPES_DIR "/../samples/hanoi.ini"
#define JOB WORK_DIR "/job.ini"
#define OUT WORK_DIR "/out/hanoi"
#define STALL WORK_DIR "/stall"

/* Shell: start a paused run in the background (its pid in $pid) and wait
 * until it is paused at `point`. */
#define START_PAUSED(point, args)                                                                  \
    "rm -rf " STALL "; mkdir " STALL "; (CCGIS_TEST_STALL=" point " CCGIS_TEST_STALL_DIR=" STALL   \
    " " CCGIS_BIN " run " args " " JOB " > " STALL "/out 2> " STALL "/err; echo $? > " STALL       \
    "/exit) & pid=$!; "                                                                            \
    "i=0; while [ ! -f " STALL "/stalled ] && [ $i -lt 300 ]; do sleep 0.05; i=$((i+1)); done; "

/* Shell: resume the paused run and wait for it. */
#define RESUME "touch " STALL "/resume; wait $pid; "

/* Shell: exit 0 if OUT is a complete, valid output. */
#define VALID                                                                                      \
    "(cd " OUT " && sed '1d;/^#/d' .ccgis-manifest | cut -d' ' -f2- | sha256sum -c --quiet) && "   \
    "ogrinfo -ro -so " OUT "/hanoi.gpkg clusters | grep -q 'Feature Count: 30'"

static int setup(void **state)
{
    (void)state;
    run_result r = run("sed -e 's|\\.\\./shapes/|%s/|' -e 's|^output .*|output = %s|' "
                       "-e 's|^formats .*|formats = geojson, shp, gpkg|' %s > %s",
                       SHAPES_DIR, OUT, SAMPLE, JOB);
    int ok = r.status == 0;
    run_free(&r);
    return ok ? 0 : -1;
}

/* The repro: `mkdir out; echo x > out/field_survey.xlsx` while the
 * run works.  Before, the file was deleted and the run exited 0. */
static void a_folder_appearing_during_the_run_is_left_alone(void **state)
{
    (void)state;
    run_result r = run(
        "rm -rf %s/out; " START_PAUSED("writing", "-q") "mkdir -p " OUT " && echo x > " OUT
                                                        "/field_survey.xlsx; " RESUME "cat " STALL
                                                        "/exit " STALL "/err; ls -a %s/out " OUT,
        WORK_DIR, WORK_DIR);
    assert_non_null(strstr(r.out, "2\nccgis: error: " OUT ": something appeared there while "
                                  "ccgis was running; it was left untouched and the results "
                                  "were not written"));
    assert_null(strstr(r.out, "ccgis-")); /* no temporary folder, no lock, not in the message */
    assert_non_null(strstr(r.out, "field_survey.xlsx"));
    assert_null(strstr(r.out, "report.md"));
    run_free(&r);
    char *kept = slurp(OUT "/field_survey.xlsx");
    assert_string_equal(kept, "x\n");
    free(kept);
}

/* Two runs of one job at once: the second is refused at once, naming the
 * first; the first finishes and its output is valid. */
static void two_runs_at_once_one_wins(void **state)
{
    (void)state;
    run_result r = run("rm -rf %s/out; " START_PAUSED(
                           "writing", "-q") "%s run -q %s; echo \"second=$?\"; " RESUME
                                            "echo \"first=$(cat " STALL "/exit) pid=$(cat " STALL
                                            "/stalled)\"; " VALID " && echo valid",
                       WORK_DIR, CCGIS_BIN, JOB);
    assert_non_null(strstr(r.out, "second=2\n"));
    assert_non_null(strstr(r.out, "first=0 "));
    assert_non_null(strstr(r.out, "valid\n"));
    const char *pid = strstr(r.out, "pid=");
    assert_non_null(pid);
    char want[256];
    snprintf(want, sizeof want,
             OUT ": another ccgis run is writing it (pid %d) -- wait for it "
                 "to finish, or choose another output",
             atoi(pid + 4));
    if (!strstr(r.err, want))
        fprintf(stderr, "stderr: %s\n", r.err);
    assert_non_null(strstr(r.err, want));
    run_free(&r);
    /* Started together, unpaused, with --overwrite: whichever comes second
     * is refused, or (if the first was already done) replaces it cleanly. */
    r = run("%s run -q --overwrite %s & a=$!; %s run -q --overwrite %s & b=$!; "
            "wait $a; ea=$?; wait $b; eb=$?; echo \"$ea$eb\"; " VALID " && echo valid",
            CCGIS_BIN, JOB, CCGIS_BIN, JOB);
    assert_true(strstr(r.out, "02\n") || strstr(r.out, "20\n") || strstr(r.out, "00\n"));
    assert_non_null(strstr(r.out, "valid\n"));
    if (!strstr(r.out, "00\n")) {
        /* With the pid, or without when the winner had not written it into
         * its lock yet (outdir.c): both name the clash and the way out. */
        if (!strstr(r.err, "another ccgis run is writing it"))
            fprintf(stderr, "exit codes and check: %sstderr: %s", r.out, r.err);
        assert_non_null(strstr(r.err, "another ccgis run is writing it"));
        assert_non_null(strstr(r.err, "wait for it to finish, or choose another output"));
    }
    run_free(&r);
}

/* 20 kills at random points: loading, analysis, writing, or after a random
 * delay (which may fall during the final moves).  After each: the output,
 * when there, is whole and valid, and at most one temporary folder exists
 * (each run removes those of the runs killed before it).  Then a clean run
 * removes the last one, says so, and leaves nothing hidden behind. */
static void twenty_kills_leave_nothing_behind(void **state)
{
    (void)state;
    run_result r = run("rm -rf %s/out", WORK_DIR);
    run_free(&r);
    static const char *const points[] = {"loading", "analysis", "writing", NULL};
    srand(15);
    for (int i = 0; i < 20; i++) {
        const char *point = i == 19 ? "writing" : points[rand() % 4];
        if (point)
            r = run("rm -rf " STALL "; mkdir " STALL "; (CCGIS_TEST_STALL=%s "
                    "CCGIS_TEST_STALL_DIR=" STALL " %s run -q --overwrite %s & pid=$!; "
                    "i=0; while [ ! -f " STALL "/stalled ] && [ $i -lt 300 ]; do sleep 0.05; "
                    "i=$((i+1)); done; kill -KILL $pid; wait $pid; echo \"exit=$?\")",
                    point, CCGIS_BIN, JOB);
        else
            r = run("(%s run -q --overwrite %s & pid=$!; sleep %.3f; kill -KILL $pid; "
                    "wait $pid; echo \"exit=$?\")",
                    CCGIS_BIN, JOB, (double)(rand() % 800) / 1000.0);
        if (point)
            assert_non_null(strstr(r.out, "exit=137"));
        run_free(&r);
        r = run("n=$(ls -a %s/out | grep -c 'ccgis-tmp'); echo \"tmp=$n\"; "
                "if [ -e " OUT " ]; then " VALID " && echo valid; else echo none; fi",
                WORK_DIR);
        int tmp = atoi(strstr(r.out, "tmp=") + 4);
        if (tmp > 1 || (!strstr(r.out, "valid") && !strstr(r.out, "none")))
            fprintf(stderr, "after kill %d (%s): %s\n", i, point ? point : "random", r.out);
        assert_true(tmp <= 1);
        assert_true(strstr(r.out, "valid") || strstr(r.out, "none"));
        run_free(&r);
    }
    r = run("%s run --overwrite %s && ls -a %s/out && " VALID " && echo valid", CCGIS_BIN, JOB,
            WORK_DIR);
    if (r.status != 0 || !strstr(r.err, OUT ": removed 1 temporary folder ("))
        fprintf(stderr, "clean run: %s\n%s\n", r.out, r.err);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, OUT ": removed 1 temporary folder ("));
    assert_non_null(strstr(r.err, "MB) left beside it by ccgis runs that were killed"));
    assert_null(strstr(r.out, "ccgis-")); /* no temporary folder, no lock file */
    assert_non_null(strstr(r.out, "valid\n"));
    run_free(&r);
}

/* near -o A -t B --overwrite: when B cannot be put in place (a folder sits
 * where its .dbf goes), A is put back as it was: both or neither. */
static void two_outputs_of_a_command_are_replaced_together(void **state)
{
    (void)state;
    run_result r =
        run("cd %s && rm -rf pair && mkdir pair && cd pair && "
            "%s near -q %s/villages.geojson %s/clusters.shp --id ma_ln "
            "--targets-id ma_ccn --radius 1000 -o a.gpkg && cp a.gpkg a.before && "
            "mkdir t.dbf && %s near -q %s/villages.geojson %s/clusters.shp --id ma_ln "
            "--targets-id ma_ccn --radius 2000 -o a.gpkg -t t.shp --overwrite; "
            "echo \"exit=$?\"; cmp a.gpkg a.before && echo same; ls -a",
            WORK_DIR, CCGIS_BIN, SHAPES_DIR, SHAPES_DIR, CCGIS_BIN, SHAPES_DIR, SHAPES_DIR);
    assert_non_null(strstr(r.out, "exit=2\n"));
    assert_non_null(strstr(r.err, WORK_DIR "/pair/t.dbf: is a folder") ||
                    strstr(r.err, "t.dbf: is a folder"));
    assert_non_null(strstr(r.out, "same\n"));
    assert_null(strstr(r.out, "t.shp"));
    assert_null(strstr(r.out, "ccgis-"));
    run_free(&r);
    /* Without the obstacle both are written. */
    r = run("cd %s/pair && rmdir t.dbf && %s near -q %s/villages.geojson %s/clusters.shp "
            "--id ma_ln --targets-id ma_ccn --radius 2000 -o a.gpkg -t t.shp --overwrite && "
            "ogrinfo -ro -so t.shp t | grep -q 'Feature Count: 30' && ! cmp -s a.gpkg a.before "
            "&& ls -a",
            WORK_DIR, CCGIS_BIN, SHAPES_DIR, SHAPES_DIR);
    assert_int_equal(r.status, 0);
    assert_null(strstr(r.out, "ccgis-"));
    run_free(&r);
}

/* The output folder gets the rights the user's umask gives a new folder
 * (750 under umask 027, 755 under 022), found without changing the
 * process's umask (two jobs in one process must not see each other's). */
static void the_folder_gets_the_umask_rights(void **state)
{
    (void)state;
    run_result r = run("rm -rf %s/out && (umask 027; %s run -q %s) && stat -c '%%a' %s && "
                       "rm -rf %s/out && (umask 022; %s run -q %s) && stat -c '%%a' %s",
                       WORK_DIR, CCGIS_BIN, JOB, OUT, WORK_DIR, CCGIS_BIN, JOB, OUT);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "750\n755\n");
    run_free(&r);
}

/* Shell: start `cmd` in the background (pid in $pid) with GDAL's writing
 * slowed to 20 ms a feature, wait until it writes its first feature
 * (CCGIS_TEST_STALL=translate), let it go on for 0.3 s, send SIGTERM, and
 * print "exit=STATUS ms=MILLISECONDS" (from the signal to the end). */
#define TERM_WHILE_WRITING(cmd)                                                                    \
    "rm -rf " STALL "; mkdir " STALL "; (CCGIS_TEST_STALL=translate CCGIS_TEST_STALL_DIR=" STALL   \
    " CCGIS_TEST_SLOW_WRITE=20 " cmd " & pid=$!; "                                                 \
    "i=0; while [ ! -f " STALL "/stalled ] && [ $i -lt 300 ]; do sleep 0.05; i=$((i+1)); done; "   \
    "touch " STALL "/resume; sleep 0.3; t0=$(date +%%s%%N); kill -TERM $pid; wait $pid; "          \
    "echo \"exit=$? ms=$((($(date +%%s%%N) - t0) / 1000000))\"); "

/* Milliseconds reported by TERM_WHILE_WRITING, -1 when missing. */
static long term_ms(const char *out)
{
    const char *ms = strstr(out, " ms=");
    return ms ? atol(ms + 4) : -1;
}

/* SIGTERM while a run writes its layers: it stops within 2 s (before, the
 * write went on to the end of every layer of every format), exit 130, and
 * the earlier output it was replacing (--overwrite) is still whole. */
static void sigterm_while_a_run_writes_stops_it(void **state)
{
    (void)state;
    run_result r = run("rm -rf %s/out && %s run -q %s && cp %s/hanoi.gpkg %s/before.gpkg && " /**/
                       TERM_WHILE_WRITING("%s run --overwrite %s") "ls -a %s/out; " VALID " && cmp %s/hanoi.gpkg %s/before.gpkg && echo same",
                       WORK_DIR, CCGIS_BIN, JOB, OUT, WORK_DIR, CCGIS_BIN, JOB, WORK_DIR, OUT,
                       WORK_DIR);
    if (!strstr(r.out, "exit=130 ") || term_ms(r.out) < 0 || term_ms(r.out) >= 2000)
        fprintf(stderr, "stdout: %s\nstderr: %s\n", r.out, r.err);
    assert_non_null(strstr(r.out, "exit=130 "));
    assert_in_range(term_ms(r.out), 0, 1999);
    assert_non_null(strstr(r.err, "ccgis: interrupted: nothing was written to " OUT "\n"));
    assert_null(strstr(r.out, "ccgis-")); /* no temporary folder, no lock file */
    assert_non_null(strstr(r.out, "same\n"));
    run_free(&r);
}

/* The same for a single command writing a shapefile (five files) beside an
 * earlier GeoPackage output it was asked to replace. */
static void sigterm_while_a_command_writes_stops_it(void **state)
{
    (void)state;
    run_result r = run("cd %s && rm -rf single && mkdir single && cd single && "
                       "%s area -q %s/clusters.shp --id ma_ccn -o a.gpkg && cp a.gpkg before && " /**/
                       TERM_WHILE_WRITING("%s area -q %s/clusters.shp --id ma_ccn -o c.shp") /**/
                       TERM_WHILE_WRITING("%s area -q %s/clusters.shp --id ma_ccn -o a.gpkg "
                                          "--overwrite") "ls -a; cmp a.gpkg before && echo same",
                       WORK_DIR, CCGIS_BIN, SHAPES_DIR, CCGIS_BIN, SHAPES_DIR, CCGIS_BIN,
                       SHAPES_DIR);
    const char *second = strstr(r.out, "exit=");
    second = second ? strstr(second + 1, "exit=") : NULL;
    if (!second || !strstr(r.out, "exit=130 ") || !strstr(second, "exit=130 ") ||
        term_ms(r.out) >= 2000 || term_ms(second) >= 2000)
        fprintf(stderr, "stdout: %s\nstderr: %s\n", r.out, r.err);
    assert_non_null(second);
    assert_non_null(strstr(r.out, "exit=130 "));
    assert_non_null(strstr(second, "exit=130 "));
    assert_in_range(term_ms(r.out), 0, 1999);
    assert_in_range(term_ms(second), 0, 1999);
    assert_non_null(strstr(r.err, "ccgis: interrupted: nothing was written to c.shp\n"));
    assert_non_null(strstr(r.err, "ccgis: interrupted: nothing was written to a.gpkg\n"));
    assert_null(strstr(r.out, "c.")); /* c.shp, c.dbf ... */
    assert_null(strstr(r.out, "ccgis-"));
    assert_non_null(strstr(r.out, "same\n"));
    run_free(&r);
}

/* Shell: run `cmd` in a mount namespace with a tmpfs of `size` at $W/full
 * (unshare -rm: no root needed where user namespaces are allowed); prints
 * "exit=STATUS" and what is left on the tmpfs; exit 77 when it cannot. */
#define ON_FULL_DISK(size, cmd)                                                                   \
    "mkdir -p " WORK_DIR "/full && unshare -rm true 2>/dev/null || exit 77; "                      \
    "unshare -rm sh -c 'mount -t tmpfs -o size=" size " tmpfs " WORK_DIR "/full && cd " WORK_DIR     \
    "/full && " cmd "; echo \"exit=$?\"; ls -A'"

/* A full disk, the real thing: a SpatiaLite output on a small tmpfs.  Before,
 * libspatialite printed three raw lines even with -q, and the message blamed
 * "no such table: spatialite_history".  Now: one line naming the output the
 * user gave, the cause, exit 2, and nothing left on the disk. */
static void a_full_disk_is_named_as_such(void **state)
{
    (void)state;
    run_result r = run(ON_FULL_DISK("300k", "%s area -q %s/clusters.shp --id ma_ccn -o a.sqlite"),
                       CCGIS_BIN, SHAPES_DIR);
    if (r.status == 77) {
        run_free(&r);
        skip(); /* no mount namespace here */
    }
    assert_string_equal(r.err, "ccgis: error: a.sqlite: no space left on the disk -- free some "
                               "space there (df -h shows how much) and run again\n");
    assert_string_equal(r.out, "exit=2\n");
    run_free(&r);
    /* The job: the message names out/out.sqlite, never the temporary folder. */
    r = run(ON_FULL_DISK("2m", "sed -e \"s|^output .*|output = " WORK_DIR "/full/out|\" -e "
                               "\"s|^formats .*|formats = sqlite|\" %s > ../full.ini && "
                               "%s run -q ../full.ini"),
            JOB, CCGIS_BIN);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "ccgis: error: " WORK_DIR "/full/out/out.sqlite: no space left "
                                  "on the disk -- "));
    assert_int_equal(count_lines(r.err), 1);
    assert_null(strstr(r.err, "ccgis-tmp"));
    assert_string_equal(r.out, "exit=2\n");
    run_free(&r);
}

int main(void)
{
    reset_work_dir();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_folder_appearing_during_the_run_is_left_alone),
        cmocka_unit_test(two_runs_at_once_one_wins),
        cmocka_unit_test(twenty_kills_leave_nothing_behind),
        cmocka_unit_test(two_outputs_of_a_command_are_replaced_together),
        cmocka_unit_test(the_folder_gets_the_umask_rights),
        cmocka_unit_test(sigterm_while_a_run_writes_stops_it),
        cmocka_unit_test(sigterm_while_a_command_writes_stops_it),
        cmocka_unit_test(a_full_disk_is_named_as_such),
    };
    return cmocka_run_group_tests_name("outputs", tests, setup, NULL);
}
