/*
 * test_outdir.c -- the output transaction (outdir.c, manifest.c) called
 * directly, so that the world can change between its steps exactly where a
 * race would change it: a folder appearing between begin and commit, a
 * second writer, user files in a ccgis folder, a run killed after it swapped
 * the old folder aside, sources written /vsizip/... or GeoJSON:...
 *
 * The manifest's sums are checked with coreutils `sha256sum -c`, an
 * implementation independent of ccgis's.  Everything runs twice: the second
 * time as on a file system without renameat2 (the CCGIS_TEST_NO_RENAMEAT2
 * fault of testhook.c), where the fallbacks take over.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"

#define W WORK_DIR

/* Messages the library sent, by level: the last one and a count. */
typedef struct seen {
    int n[4];
    char all[4][4096];
} seen;

static seen msgs;

static void sink(void *arg, ccgis_level level, const char *msg)
{
    (void)arg;
    msgs.n[level]++;
    size_t used = strlen(msgs.all[level]);
    snprintf(msgs.all[level] + used, sizeof msgs.all[level] - used, "%s\n", msg);
}

/* Run a shell command (printf-style); returns its exit status. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Write text to a file. */
static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* The text of a file ("" when missing). */
static char *get(const char *path)
{
    static char buf[4096];
    buf[0] = '\0';
    FILE *f = fopen(path, "r");
    if (f) {
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        buf[n] = '\0';
        fclose(f);
    }
    return buf;
}

static int exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

/* Number of entries of `dir` whose name contains `part`. */
static int count(const char *dir, const char *part)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "ls -a '%s' | grep -c -- '%s'", dir, part);
    FILE *p = popen(cmd, "r");
    int n = -1;
    if (p) {
        if (fscanf(p, "%d", &n) != 1)
            n = -1;
        pclose(p);
    }
    return n;
}

static int setup(void **state)
{
    ccgis_ctx *ctx = ccgis_ctx_new();
    if (!ctx || sh("rm -rf '%s' && mkdir -p '%s'", W, W) != 0)
        return -1;
    ccgis_ctx_set_message_handler(ctx, sink, NULL);
    *state = ctx;
    return 0;
}

static int teardown(void **state)
{
    ccgis_ctx_free(*state);
    return 0;
}

/* Before each test: a fresh case folder $W/c, no messages. */
static ccgis_ctx *fresh(void **state)
{
    assert_int_equal(sh("rm -rf '%s/c' && mkdir '%s/c'", W, W), 0);
    memset(&msgs, 0, sizeof msgs);
    ccgis_clear_error(*state);
    return *state;
}

/* Stage and commit a folder at dest holding files a.txt ("A") and
 * sub/b.txt (`b`).  Returns the commit's status. */
static ccgis_status write_folder(ccgis_ctx *ctx, const char *dest, int overwrite, const char *b)
{
    ccgis_outdir_options o = {CCGIS_OUTDIR_FOLDER, overwrite};
    ccgis_outdir *od;
    ccgis_status st = ccgis_outdir_begin(ctx, dest, &o, &od);
    if (st != CCGIS_OK)
        return st;
    const char *tmp;
    st = ccgis_outdir_stage(ctx, od, &tmp);
    assert_int_equal(st, CCGIS_OK);
    char path[1024];
    snprintf(path, sizeof path, "%s/a.txt", tmp);
    put(path, "A");
    snprintf(path, sizeof path, "%s/sub", tmp);
    assert_int_equal(mkdir(path, 0777), 0);
    snprintf(path, sizeof path, "%s/sub/b.txt", tmp);
    put(path, b);
    st = ccgis_outdir_commit(ctx, od);
    return ccgis_outdir_end(ctx, od, st);
}

/* A new folder: in place, with a manifest sha256sum agrees with, and
 * nothing else left beside it (no temporary folder, no lock file). */
static void a_new_folder_gets_its_manifest(void **state)
{
    ccgis_ctx *ctx = fresh(state);
    assert_int_equal(write_folder(ctx, W "/c/deep/er/out", 0, "B"), CCGIS_OK);
    assert_string_equal(get(W "/c/deep/er/out/a.txt"), "A");
    assert_string_equal(get(W "/c/deep/er/out/sub/b.txt"), "B");
    const char *m = get(W "/c/deep/er/out/.ccgis-manifest");
    assert_non_null(strstr(m, "ccgis-manifest 1\n"));
    assert_non_null(
        strstr(m, "\n1 559aead08264d5795d3909718cdd05abd49572e84fe55590eef31a88a08fdffd  a.txt\n"));
    assert_non_null(strstr(m, "  sub/b.txt\n"));
    assert_int_equal(sh("cd '%s/c/deep/er/out' && sed '1d;/^#/d' .ccgis-manifest | cut -d' ' -f2- "
                        "| sha256sum -c --quiet",
                        W),
                     0);
    assert_int_equal(count(W "/c/deep/er", "ccgis"), 0);
}

/* The issue's first case: a folder with a user file appears at the output
 * path while the run is working.  It survives; the commit fails naming the
 * output path, not the hidden one. */
static void a_folder_appearing_during_the_run_survives(void **state)
{
    ccgis_ctx *ctx = fresh(state);
    ccgis_outdir *od;
    const char *tmp;
    assert_int_equal(ccgis_outdir_begin(ctx, W "/c/out2", NULL, &od), CCGIS_OK);
    assert_int_equal(ccgis_outdir_stage(ctx, od, &tmp), CCGIS_OK);
    char path[1024];
    snprintf(path, sizeof path, "%s/report.md", tmp);
    put(path, "new");
    assert_int_equal(sh("mkdir '%s/c/out2' && echo x > '%s/c/out2/field_survey.xlsx'", W, W), 0);
    ccgis_status st = ccgis_outdir_end(ctx, od, ccgis_outdir_commit(ctx, od));
    assert_int_equal(st, CCGIS_ERR_OUTPUT);
    assert_string_equal(get(W "/c/out2/field_survey.xlsx"), "x\n");
    assert_false(exists(W "/c/out2/report.md"));
    assert_non_null(strstr(ccgis_errmsg(ctx), W "/c/out2: something appeared there while ccgis "
                                                "was running"));
    assert_null(strstr(ccgis_errmsg(ctx), "ccgis-tmp"));
    assert_int_equal(count(W "/c", "ccgis"), 0);
    /* With overwrite too: the folder is not one ccgis wrote. */
    ccgis_outdir_options o = {CCGIS_OUTDIR_FOLDER, 1};
    assert_int_equal(sh("rm -rf '%s/c/out2'", W), 0);
    assert_int_equal(ccgis_outdir_begin(ctx, W "/c/out2", &o, &od), CCGIS_OK);
    assert_int_equal(ccgis_outdir_stage(ctx, od, &tmp), CCGIS_OK);
    assert_int_equal(sh("mkdir '%s/c/out2' && echo x > '%s/c/out2/field_survey.xlsx'", W, W), 0);
    st = ccgis_outdir_end(ctx, od, ccgis_outdir_commit(ctx, od));
    assert_int_equal(st, CCGIS_ERR_OUTPUT);
    assert_non_null(strstr(ccgis_errmsg(ctx), "is not a folder ccgis wrote"));
    assert_string_equal(get(W "/c/out2/field_survey.xlsx"), "x\n");
    assert_int_equal(count(W "/c", "ccgis"), 0);
}

/* A second writer of the same path, in another process, is refused at once
 * with the first one's pid; once the first has ended, it may go. */
static void a_second_writer_is_refused_with_the_pid(void **state)
{
    ccgis_ctx *ctx = fresh(state);
    int go[2], done[2];
    assert_int_equal(pipe(go), 0);
    assert_int_equal(pipe(done), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        ccgis_ctx *c = ccgis_ctx_new();
        ccgis_outdir *od;
        char b = 0;
        if (ccgis_outdir_begin(c, W "/c/out", NULL, &od) != CCGIS_OK)
            _exit(1);
        if (write(go[1], "1", 1) != 1 || read(done[0], &b, 1) != 1)
            _exit(2);
        ccgis_outdir_end(c, od, CCGIS_OK);
        ccgis_ctx_free(c);
        _exit(0);
    }
    char b;
    assert_int_equal(read(go[0], &b, 1), 1);
    ccgis_outdir *od = NULL;
    assert_int_equal(ccgis_outdir_begin(ctx, W "/c/out/", NULL, &od), CCGIS_ERR_OUTPUT);
    assert_null(od);
    char want[256];
    snprintf(want, sizeof want, W "/c/out: another ccgis run is writing it (pid %ld)", (long)child);
    assert_non_null(strstr(ccgis_errmsg(ctx), want));
    assert_int_equal(write(done[1], "1", 1), 1);
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(write_folder(ctx, W "/c/out", 0, "B"), CCGIS_OK);
    /* Within one process, the same path twice is a usage error. */
    ccgis_outdir *a, *c2;
    ccgis_outdir_options f = {CCGIS_OUTDIR_FILES, 0};
    assert_int_equal(ccgis_outdir_begin(ctx, W "/c/x.gpkg", &f, &a), CCGIS_OK);
    assert_int_equal(ccgis_outdir_begin(ctx, W "/c/x.gpkg", &f, &c2), CCGIS_ERR_USAGE);
    assert_non_null(strstr(ccgis_errmsg(ctx), "named twice"));
    ccgis_outdir_end(ctx, a, CCGIS_OK);
    close(go[0]), close(go[1]), close(done[0]), close(done[1]);
}

/* --overwrite on a ccgis folder: exactly the listed files go, the new ones
 * come; a file the manifest lists but that is gone is no obstacle. */
static void overwrite_replaces_a_ccgis_folder(void **state)
{
    ccgis_ctx *ctx = fresh(state);
    assert_int_equal(write_folder(ctx, W "/c/out", 0, "old"), CCGIS_OK);
    assert_int_equal(write_folder(ctx, W "/c/out", 0, "new"), CCGIS_ERR_OUTPUT);
    assert_non_null(strstr(ccgis_errmsg(ctx), "the output folder exists -- use --overwrite"));
    assert_int_equal(unlink(W "/c/out/a.txt"), 0);
    assert_int_equal(write_folder(ctx, W "/c/out", 1, "new"), CCGIS_OK);
    assert_string_equal(get(W "/c/out/sub/b.txt"), "new");
    assert_string_equal(get(W "/c/out/a.txt"), "A");
    assert_int_equal(count(W "/c", "ccgis"), 0);
    /* An empty folder may be replaced too. */
    assert_int_equal(mkdir(W "/c/empty", 0777), 0);
    assert_int_equal(write_folder(ctx, W "/c/empty", 1, "new"), CCGIS_OK);
    assert_string_equal(get(W "/c/empty/sub/b.txt"), "new");
}

/* User files in a ccgis folder, or a changed file: refused, every one
 * named, nothing touched. */
static void overwrite_refuses_what_ccgis_did_not_write(void **state)
{
    ccgis_ctx *ctx = fresh(state);
    assert_int_equal(write_folder(ctx, W "/c/out", 0, "old"), CCGIS_OK);
    put(W "/c/out/project.qgz", "qgis");
    put(W "/c/out/notes.txt", "mine");
    assert_int_equal(mkdir(W "/c/out/photos", 0777), 0);
    put(W "/c/out/sub/b.txt", "edited");
    assert_int_equal(write_folder(ctx, W "/c/out", 1, "new"), CCGIS_ERR_OUTPUT);
    const char *m = ccgis_errmsg(ctx);
    assert_non_null(strstr(m, W "/c/out: not replaced: it holds 3 files or folders ccgis did "
                                "not write (notes.txt, photos/, project.qgz) and 1 file changed "
                                "since ccgis wrote it (sub/b.txt)"));
    assert_string_equal(get(W "/c/out/project.qgz"), "qgis");
    assert_string_equal(get(W "/c/out/sub/b.txt"), "edited");
    assert_string_equal(get(W "/c/out/a.txt"), "A");
    assert_int_equal(count(W "/c", "ccgis"), 0);
    /* A change of the same size is found by the checksum. */
    assert_int_equal(sh("rm -r '%s/c/out/project.qgz' '%s/c/out/notes.txt' '%s/c/out/photos' && "
                        "printf old > '%s/c/out/sub/b.txt' && printf B > '%s/c/out/a.txt'",
                        W, W, W, W, W),
                     0);
    assert_int_equal(write_folder(ctx, W "/c/out", 1, "new"), CCGIS_ERR_OUTPUT);
    assert_non_null(strstr(ccgis_errmsg(ctx), "1 file changed since ccgis wrote it (a.txt)"));
    assert_string_equal(get(W "/c/out/a.txt"), "B");
}

/* Ownership is the manifest, not a word in summary.json; a damaged manifest
 * (here one pointing outside the folder) proves nothing. */
static void only_a_manifest_proves_ownership(void **state)
{
    ccgis_ctx *ctx = fresh(state);
    assert_int_equal(mkdir(W "/c/out", 0777), 0);
    put(W "/c/out/summary.json", "{\"ccgis\": \"0.1.0\"}");
    put(W "/c/out/precious", "keep");
    assert_int_equal(write_folder(ctx, W "/c/out", 1, "new"), CCGIS_ERR_OUTPUT);
    assert_non_null(strstr(ccgis_errmsg(ctx), W "/c/out: exists and is not a folder ccgis wrote"));
    assert_string_equal(get(W "/c/out/precious"), "keep");
    put(W "/c/victim", "keep");
    put(W "/c/out/.ccgis-manifest",
        "ccgis-manifest 1\n"
        "4 8c2574892063f995fdf756bce07f46c1a5193e54cd52837ed91e32008ccf41ac  ../victim\n");
    assert_int_equal(write_folder(ctx, W "/c/out", 1, "new"), CCGIS_ERR_OUTPUT);
    assert_non_null(strstr(ccgis_errmsg(ctx), "its .ccgis-manifest is damaged (line 2)"));
    assert_string_equal(get(W "/c/victim"), "keep");
    /* A symbolic link at the output path is not replaced either. */
    assert_int_equal(symlink(W "/c/out", W "/c/link"), 0);
    assert_int_equal(write_folder(ctx, W "/c/link", 1, "new"), CCGIS_ERR_OUTPUT);
    assert_non_null(strstr(ccgis_errmsg(ctx), "is a symbolic link"));
}

/* Temporary folders of dead runs: one without a manifest goes whole; one
 * with a manifest (killed after the swap) loses exactly its listed files and
 * is kept, said, when it holds anything else.  The live lock is respected. */
static void dead_runs_are_cleaned_and_said(void **state)
{
    ccgis_ctx *ctx = fresh(state);
    assert_int_equal(sh("cd '%s/c' && for i in AAAAAA BBBBBB CCCCCC; do mkdir -p "
                        ".out.ccgis-tmp-$i/x && head -c 500000 /dev/zero > "
                        ".out.ccgis-tmp-$i/x/big; done && mkdir .other.ccgis-tmp-DDDDDD",
                        W),
                     0);
    /* DDDDDD belongs to another output; CCCCCC is a replaced ccgis folder
     * that a user file had reached. */
    assert_int_equal(sh("cd '%s/c/.out.ccgis-tmp-CCCCCC' && echo mine > mine.txt && "
                        "printf 'ccgis-manifest 1\\n%%s %%s  x/big\\n' 500000 "
                        "$(sha256sum x/big | cut -c1-64) > .ccgis-manifest",
                        W),
                     0);
    assert_int_equal(write_folder(ctx, W "/c/out", 0, "B"), CCGIS_OK);
    assert_non_null(strstr(msgs.all[CCGIS_WARNING],
                           W "/c/out: removed 2 temporary folders (1.0 MB) left beside it by "
                             "ccgis runs that were killed"));
    assert_non_null(strstr(msgs.all[CCGIS_WARNING],
                           "the temporary folder " W "/c/.out.ccgis-tmp-CCCCCC left by a ccgis "
                           "run that was killed holds files ccgis did "
                           "not write"));
    assert_false(exists(W "/c/.out.ccgis-tmp-AAAAAA"));
    assert_false(exists(W "/c/.out.ccgis-tmp-BBBBBB"));
    assert_false(exists(W "/c/.out.ccgis-tmp-CCCCCC/x"));
    assert_string_equal(get(W "/c/.out.ccgis-tmp-CCCCCC/mine.txt"), "mine\n");
    assert_true(exists(W "/c/.other.ccgis-tmp-DDDDDD"));
}

/* What appears in a verified folder between the check and the removal (the
 * moment it is swapped aside) is kept, with the manifest, so that the
 * cleanup of a later run keeps it too. */
static void what_appears_in_a_replaced_folder_is_kept(void **state)
{
    ccgis_ctx *ctx = fresh(state);
    assert_int_equal(write_folder(ctx, W "/c/out", 0, "old"), CCGIS_OK);
    int fd = open(W "/c/out", O_RDONLY | O_DIRECTORY);
    assert_true(fd >= 0);
    ccgis_manifest *m = NULL;
    assert_int_equal(ccgis_manifest_check(ctx, fd, "out", 0, &m), CCGIS_OK);
    put(W "/c/out/sub/late.txt", "late");
    assert_int_equal(ccgis_manifest_remove(m, fd), 1);
    ccgis_manifest_free(m);
    close(fd);
    assert_false(exists(W "/c/out/a.txt"));
    assert_false(exists(W "/c/out/sub/b.txt"));
    assert_string_equal(get(W "/c/out/sub/late.txt"), "late");
    assert_true(exists(W "/c/out/.ccgis-manifest"));
    /* As if a run was killed there: the folder at a temporary name. */
    assert_int_equal(rename(W "/c/out", W "/c/.out.ccgis-tmp-KILLED"), 0);
    assert_int_equal(write_folder(ctx, W "/c/out", 0, "new"), CCGIS_OK);
    assert_non_null(strstr(msgs.all[CCGIS_WARNING], ".out.ccgis-tmp-KILLED left by a ccgis run "
                                                    "that was killed holds files ccgis did not "
                                                    "write"));
    assert_string_equal(get(W "/c/.out.ccgis-tmp-KILLED/sub/late.txt"), "late");
}

/* Trailing slashes: absolute and relative alike; the name stays. */
static void trailing_slashes_are_accepted(void **state)
{
    ccgis_ctx *ctx = fresh(state);
    assert_int_equal(write_folder(ctx, W "/c/abs///", 0, "B"), CCGIS_OK);
    assert_string_equal(get(W "/c/abs/a.txt"), "A");
    char cwd[1024];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(W "/c"), 0);
    ccgis_outdir *od;
    assert_int_equal(ccgis_outdir_begin(ctx, "rel/", NULL, &od), CCGIS_OK);
    assert_string_equal(ccgis_outdir_dest(od), "rel");
    assert_string_equal(ccgis_outdir_name(od), "rel");
    ccgis_outdir_end(ctx, od, CCGIS_OK);
    assert_int_equal(write_folder(ctx, "rel/", 0, "B"), CCGIS_OK);
    assert_int_equal(chdir(cwd), 0);
    assert_string_equal(get(W "/c/rel/a.txt"), "A");
    assert_int_equal(ccgis_outdir_begin(ctx, W "/c/..", NULL, &od), CCGIS_ERR_USAGE);
    assert_int_equal(ccgis_outdir_begin(ctx, "/", NULL, &od), CCGIS_ERR_USAGE);
}

/* A failure after staging: the message names the destination, never the
 * temporary folder, and nothing is left (not even the folders begin made). */
static void failures_name_the_destination(void **state)
{
    ccgis_ctx *ctx = fresh(state);
    ccgis_outdir *od;
    const char *tmp;
    assert_int_equal(ccgis_outdir_begin(ctx, W "/c/new/out", NULL, &od), CCGIS_OK);
    assert_int_equal(ccgis_outdir_stage(ctx, od, &tmp), CCGIS_OK);
    ccgis_status st = ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s/clusters.geojson: disk full", tmp);
    assert_int_equal(ccgis_outdir_end(ctx, od, st), CCGIS_ERR_OUTPUT);
    assert_string_equal(ccgis_errmsg(ctx), W "/c/new/out/clusters.geojson: disk full");
    assert_false(exists(W "/c/new"));
    ccgis_outdir_options f = {CCGIS_OUTDIR_FILES, 0};
    assert_int_equal(ccgis_outdir_begin(ctx, W "/c/x.gpkg", &f, &od), CCGIS_OK);
    assert_int_equal(ccgis_outdir_stage(ctx, od, &tmp), CCGIS_OK);
    st = ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s/x.gpkg: GDAL could not write it", tmp);
    assert_int_equal(ccgis_outdir_end(ctx, od, st), CCGIS_ERR_OUTPUT);
    assert_string_equal(ccgis_errmsg(ctx), W "/c/x.gpkg: GDAL could not write it");
    assert_int_equal(count(W "/c", "ccgis"), 0);
    /* A missing folder for a file is not created. */
    assert_int_equal(ccgis_outdir_begin(ctx, W "/c/none/x.gpkg", &f, &od), CCGIS_ERR_OUTPUT);
    assert_non_null(strstr(ccgis_errmsg(ctx), "the folder '" W "/c/none' does not exist"));
}

/* Stage FILES output `name` in od with the text `text`. */
static void stage_file(ccgis_ctx *ctx, ccgis_outdir *od, const char *name, const char *text)
{
    const char *tmp;
    char path[1024];
    assert_int_equal(ccgis_outdir_stage(ctx, od, &tmp), CCGIS_OK);
    snprintf(path, sizeof path, "%s/%s", tmp, name);
    put(path, text);
}

/* Single files: a file appearing meanwhile is never replaced without
 * overwrite; two outputs are both put in place or neither, also when the
 * first one replaced an earlier file. */
static void files_are_all_or_nothing(void **state)
{
    ccgis_ctx *ctx = fresh(state);
    ccgis_outdir_options f = {CCGIS_OUTDIR_FILES, 0}, fo = {CCGIS_OUTDIR_FILES, 1};
    ccgis_outdir *ods[2];
    /* b.shp's sidecar b.dbf appears: a.gpkg must not stay either. */
    assert_int_equal(ccgis_outdir_begin(ctx, W "/c/a.gpkg", &f, &ods[0]), CCGIS_OK);
    assert_int_equal(ccgis_outdir_begin(ctx, W "/c/b.shp", &f, &ods[1]), CCGIS_OK);
    stage_file(ctx, ods[0], "a.gpkg", "new a");
    stage_file(ctx, ods[1], "b.shp", "new b");
    stage_file(ctx, ods[1], "b.dbf", "new b dbf");
    put(W "/c/b.dbf", "user's");
    ccgis_status st = ccgis_outdir_commit_all(ctx, ods, 2);
    assert_int_equal(st, CCGIS_ERR_OUTPUT);
    assert_non_null(strstr(ccgis_errmsg(ctx), W "/c/b.dbf: already exists (it may have appeared "
                                                "while ccgis was running)"));
    ccgis_outdir_end(ctx, ods[1], st);
    ccgis_outdir_end(ctx, ods[0], st);
    assert_false(exists(W "/c/a.gpkg"));
    assert_false(exists(W "/c/b.shp"));
    assert_string_equal(get(W "/c/b.dbf"), "user's");
    assert_int_equal(count(W "/c", "ccgis"), 0);
    /* With overwrite: a.gpkg exists and is replaced first, then b fails (a
     * folder where b.dbf goes): a.gpkg is put back as it was. */
    put(W "/c/a.gpkg", "old a");
    assert_int_equal(unlink(W "/c/b.dbf"), 0);
    assert_int_equal(mkdir(W "/c/b.dbf", 0777), 0);
    assert_int_equal(ccgis_outdir_begin(ctx, W "/c/a.gpkg", &fo, &ods[0]), CCGIS_OK);
    assert_int_equal(ccgis_outdir_begin(ctx, W "/c/b.shp", &fo, &ods[1]), CCGIS_OK);
    stage_file(ctx, ods[0], "a.gpkg", "new a");
    stage_file(ctx, ods[1], "b.shp", "new b");
    stage_file(ctx, ods[1], "b.dbf", "new b dbf");
    st = ccgis_outdir_commit_all(ctx, ods, 2);
    assert_int_equal(st, CCGIS_ERR_OUTPUT);
    assert_non_null(strstr(ccgis_errmsg(ctx), W "/c/b.dbf: is a folder"));
    ccgis_outdir_end(ctx, ods[1], st);
    ccgis_outdir_end(ctx, ods[0], st);
    assert_string_equal(get(W "/c/a.gpkg"), "old a");
    assert_false(exists(W "/c/b.shp"));
    assert_int_equal(count(W "/c", "ccgis"), 0);
    /* And when all can go: both replaced. */
    assert_int_equal(rmdir(W "/c/b.dbf"), 0);
    assert_int_equal(ccgis_outdir_begin(ctx, W "/c/a.gpkg", &fo, &ods[0]), CCGIS_OK);
    assert_int_equal(ccgis_outdir_begin(ctx, W "/c/b.shp", &fo, &ods[1]), CCGIS_OK);
    stage_file(ctx, ods[0], "a.gpkg", "new a");
    stage_file(ctx, ods[1], "b.shp", "new b");
    assert_int_equal(ccgis_outdir_commit_all(ctx, ods, 2), CCGIS_OK);
    ccgis_outdir_end(ctx, ods[1], CCGIS_OK);
    ccgis_outdir_end(ctx, ods[0], CCGIS_OK);
    assert_string_equal(get(W "/c/a.gpkg"), "new a");
    assert_string_equal(get(W "/c/b.shp"), "new b");
    assert_int_equal(count(W "/c", "ccgis"), 0);
}

/* What earlier ccgis versions left beside a file output: single temporary
 * files .NAME.ccgis-tmp-*, and folders .ccgis-tmp-XXXXXX holding only files
 * of that output, are removed and said; anything else is left alone. */
static void earlier_versions_leftovers_are_cleaned(void **state)
{
    ccgis_ctx *ctx = fresh(state);
    assert_int_equal(sh("cd '%s/c' && head -c 300000 /dev/zero > .x.gpkg.ccgis-tmp-AbC123 && "
                        "echo j > .x.gpkg.ccgis-tmp-AbC123-journal && "
                        "mkdir .ccgis-tmp-OLD111 && echo old > .ccgis-tmp-OLD111/x.gpkg && "
                        "mkdir .ccgis-tmp-OLD222 && echo old > .ccgis-tmp-OLD222/x.shp && "
                        "echo old > .ccgis-tmp-OLD222/x.dbf && "
                        "mkdir .ccgis-tmp-OTHER1 && echo o > .ccgis-tmp-OTHER1/y.gpkg && "
                        "mkdir .ccgis-tmp-MIXED1 && echo o > .ccgis-tmp-MIXED1/x.gpkg && "
                        "echo mine > .ccgis-tmp-MIXED1/notes.txt && "
                        "echo y > .y.gpkg.ccgis-tmp-ZZZ999 && ln -s /etc/passwd .x.gpkg.ccgis-tmp-LINK11",
                        W),
                     0);
    ccgis_outdir_options f = {CCGIS_OUTDIR_FILES, 0};
    ccgis_outdir *od;
    assert_int_equal(ccgis_outdir_begin(ctx, W "/c/x.gpkg", &f, &od), CCGIS_OK);
    stage_file(ctx, od, "x.gpkg", "new");
    assert_int_equal(ccgis_outdir_commit(ctx, od), CCGIS_OK);
    ccgis_outdir_end(ctx, od, CCGIS_OK);
    assert_non_null(strstr(msgs.all[CCGIS_WARNING],
                           W "/c/x.gpkg: removed 2 temporary folders and 2 temporary files (0.3 "
                             "MB) left beside it by ccgis runs that were killed"));
    assert_false(exists(W "/c/.x.gpkg.ccgis-tmp-AbC123"));
    assert_false(exists(W "/c/.x.gpkg.ccgis-tmp-AbC123-journal"));
    assert_false(exists(W "/c/.ccgis-tmp-OLD111"));
    assert_false(exists(W "/c/.ccgis-tmp-OLD222"));
    assert_string_equal(get(W "/c/.ccgis-tmp-OTHER1/y.gpkg"), "o\n"); /* another output's */
    assert_string_equal(get(W "/c/.ccgis-tmp-MIXED1/notes.txt"), "mine\n");
    assert_string_equal(get(W "/c/.y.gpkg.ccgis-tmp-ZZZ999"), "y\n");
    struct stat sb;
    assert_int_equal(lstat(W "/c/.x.gpkg.ccgis-tmp-LINK11", &sb), 0); /* a link: not ours */
    assert_string_equal(get(W "/c/x.gpkg"), "new");
}

/* --overwrite of a shapefile: the earlier one's files the new one lacks
 * (spatial indexes, a .prj) are removed; files of other names stay; with
 * no earlier .shp nothing is removed. */
static void a_replaced_shapefile_leaves_no_stale_sidecar(void **state)
{
    ccgis_ctx *ctx = fresh(state);
    assert_int_equal(sh("cd '%s/c' && for e in shp shx dbf prj cpg qix sbn sbx QIX; do "
                        "echo old > c.$e; done && echo meta > c.shp.xml && echo i > d.qix && "
                        "echo i > e.qix",
                        W),
                     0);
    ccgis_outdir_options fo = {CCGIS_OUTDIR_FILES, 1};
    ccgis_outdir *od;
    ccgis_level was = ccgis_ctx_set_verbosity(ctx, CCGIS_INFO);
    assert_int_equal(ccgis_outdir_begin(ctx, W "/c/c.shp", &fo, &od), CCGIS_OK);
    stage_file(ctx, od, "c.shp", "new");
    stage_file(ctx, od, "c.shx", "new");
    stage_file(ctx, od, "c.dbf", "new");
    stage_file(ctx, od, "c.cpg", "new");
    assert_int_equal(ccgis_outdir_commit(ctx, od), CCGIS_OK);
    ccgis_outdir_end(ctx, od, CCGIS_OK);
    static const char *const gone[] = {"prj", "qix", "sbn", "sbx", "QIX"};
    char path[1024];
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++) {
        snprintf(path, sizeof path, W "/c/c.%s", gone[i]);
        if (exists(path))
            fprintf(stderr, "%s is still there\n", path);
        assert_false(exists(path));
    }
    assert_non_null(strstr(msgs.all[CCGIS_INFO], W "/c/c.qix: removed: a file of the shapefile " W
                                                   "/c/c.shp replaced, which the new one does "
                                                   "not have"));
    assert_string_equal(get(W "/c/c.shp"), "new");
    assert_string_equal(get(W "/c/c.cpg"), "new");
    assert_string_equal(get(W "/c/c.shp.xml"), "meta\n");
    assert_string_equal(get(W "/c/d.qix"), "i\n");
    /* e.shp did not exist: its e.qix is not ccgis's to remove. */
    assert_int_equal(ccgis_outdir_begin(ctx, W "/c/e.shp", &fo, &od), CCGIS_OK);
    stage_file(ctx, od, "e.shp", "new");
    assert_int_equal(ccgis_outdir_commit(ctx, od), CCGIS_OK);
    ccgis_outdir_end(ctx, od, CCGIS_OK);
    assert_string_equal(get(W "/c/e.qix"), "i\n");
    assert_int_equal(count(W "/c", "ccgis"), 0);
    ccgis_ctx_set_verbosity(ctx, was);
}

/* Inputs vs outputs: every form a source takes is resolved to what it reads. */
static void sources_are_resolved_to_what_they_read(void **state)
{
    (void)fresh(state);
    assert_int_equal(sh("cd '%s/c' && mkdir -p out/sub in && echo x > out/v.geojson && "
                        "echo x > out/d.gpkg && echo x > out/x.zip && echo x > out/v.csv && "
                        "echo x > out/sub/s.shp && echo x > in/v.geojson && ln -s out alias && "
                        "mkdir out2 && echo x > out2/v.geojson",
                        W),
                     0);
    static const struct {
        const char *source; /* under $W/c; "@" stands for it */
        int holds;
    } cases[] = {
        {"@/out/v.geojson", 1},
        {"@/out", 1},
        {"@/out/sub/s.shp", 1},
        {"@/out/sub/../v.geojson", 1},
        {"@/alias/v.geojson", 1},
        {"GeoJSON:@/out/v.geojson", 1},
        {"GPKG:@/out/d.gpkg:districts", 1},
        {"CSV:@/out/v.csv", 1},
        {"/vsizip/@/out/x.zip/clusters.shp", 1},
        {"/vsizip/{@/out/x.zip}/clusters.shp", 1},
        {"/vsizip//vsigzip/@/out/x.zip/a/b.shp", 1},
        {"/vsitar/@/out/x.zip", 1},
        {"/vsisubfile/100_200,@/out/d.gpkg", 1},
        {"@/out/missing.shp", 1}, /* points inside it, exists or not */
        {"@/in/v.geojson", 0},
        {"@/out2/v.geojson", 0}, /* a sibling whose name starts alike */
        {"GeoJSON:@/in/v.geojson", 0},
        {"/vsizip/@/in/x.zip/a.shp", 0},
        {"/vsicurl/https://example.com/out/v.geojson", 0},
        {"PG:dbname=gis host=/tmp", 0},
        {"https://example.com/v.geojson", 0},
        {"/vsimem/out/v.geojson", 0},
    };
    char src[1024], file[1024];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *at = strchr(cases[i].source, '@');
        if (at)
            snprintf(src, sizeof src, "%.*s%s/c%s", (int)(at - cases[i].source), cases[i].source, W,
                     at + 1);
        else
            snprintf(src, sizeof src, "%s", cases[i].source);
        int got = ccgis_outdir_holds(W "/c/out/", src, file, sizeof file);
        if (got != cases[i].holds)
            fprintf(stderr, "%s: %d, expected %d\n", src, got, cases[i].holds);
        assert_int_equal(got, cases[i].holds);
        if (got)
            assert_non_null(strstr(file, "/c/out"));
    }
    /* A folder that does not exist yet holds nothing; the output inside an
     * input folder is fine. */
    assert_int_equal(ccgis_outdir_holds(W "/c/none/out", W "/c/none/out/v.geojson", NULL, 0), 0);
    assert_int_equal(ccgis_outdir_holds(W "/c/in/result", W "/c/in/v.geojson", NULL, 0), 0);
    assert_int_equal(ccgis_outdir_holds(W "/c/in", W "/c/in/v.geojson", NULL, 0), 1);
}

/* A .vrt is followed to what it reads; an output file is compared with
 * what a source reads, shapefile sidecars included. */
static void vrt_sources_and_output_files(void **state)
{
    (void)fresh(state);
    assert_int_equal(sh("cd '%s/c' && mkdir -p out in deep && echo x > out/v.geojson && "
                        "for e in shp shx dbf prj cpg; do echo x > in/c.$e; done && "
                        "echo x > in/d.gpkg && echo x > in/z.zip && "
                        "printf '<OGRVRTDataSource><OGRVRTLayer name=\"v\"><SrcDataSource>"
                        "%s/c/out/v.geojson</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>' "
                        "> abs.vrt && "
                        "printf '<OGRVRTDataSource><OGRVRTLayer name=\"v\"><SrcDataSource "
                        "relativeToVRT=\"1\">../out/v.geojson</SrcDataSource></OGRVRTLayer>"
                        "</OGRVRTDataSource>' > deep/rel.vrt && "
                        "printf '<OGRVRTDataSource><OGRVRTLayer name=\"v\"><SrcDataSource "
                        "relativeToVRT=\"1\">deep/rel.vrt</SrcDataSource></OGRVRTLayer>"
                        "</OGRVRTDataSource>' > chain.vrt && "
                        "printf '<OGRVRTDataSource><OGRVRTLayer name=\"c\"><SrcDataSource "
                        "relativeToVRT=\"1\">c.shp</SrcDataSource></OGRVRTLayer>"
                        "</OGRVRTDataSource>' > in/c.vrt && "
                        "printf '<OGRVRTDataSource><OGRVRTLayer name=\"v\"><SrcDataSource "
                        "relativeToVRT=\"1\">self.vrt</SrcDataSource></OGRVRTLayer>"
                        "</OGRVRTDataSource>' > self.vrt && echo 'not xml' > bad.vrt",
                        W, W),
                     0);
    char file[1024];
    /* Folders (ccgis run's output). */
    assert_int_equal(ccgis_outdir_holds(W "/c/out", W "/c/abs.vrt", file, sizeof file), 1);
    assert_string_equal(file, W "/c/out/v.geojson");
    assert_int_equal(ccgis_outdir_holds(W "/c/out", W "/c/deep/rel.vrt", NULL, 0), 1);
    assert_int_equal(ccgis_outdir_holds(W "/c/out", W "/c/chain.vrt", NULL, 0), 1);
    assert_int_equal(ccgis_outdir_holds(W "/c/out", W "/c/self.vrt", NULL, 0), 0); /* a loop ends */
    assert_int_equal(ccgis_outdir_holds(W "/c/out", W "/c/bad.vrt", NULL, 0), 0);
    assert_int_equal(ccgis_outdir_holds(W "/c/in", W "/c/abs.vrt", NULL, 0), 0);
    assert_int_equal(ccgis_outdir_holds(W "/c/out",
                                        "<OGRVRTDataSource><OGRVRTLayer name=\"v\"><SrcDataSource>"
                                        "GeoJSON:" W "/c/out/v.geojson</SrcDataSource>"
                                        "</OGRVRTLayer></OGRVRTDataSource>",
                                        NULL, 0),
                     1);
    /* Files (a single command's output). */
    static const struct {
        const char *out, *source; /* under $W/c/in; "@" stands for it */
        int replaces;
    } cases[] = {
        {"@/c.shp", "@/c.shp", 1},
        {"@/c.shp", "@/../in/c.shp", 1},
        {"@/c.dbf", "@/c.shp", 1},       /* written with -f "ESRI Shapefile" */
        {"@/c.shp", "@/c.dbf", 1},       /* a .dbf read as a table */
        {"@/C.Shp", "@/c.shp", 0},       /* another name on a case-sensitive disk */
        {"@/c.gpkg", "@/c.shp", 0},      /* beside it, another format */
        {"@/c.shp", "@/c.vrt", 1},       /* relativeToVRT */
        {"@/d.gpkg", "GPKG:@/d.gpkg:districts", 1},
        {"@/d.gpkg", "@/d.gpkg", 1},
        {"@/z.zip", "/vsizip/@/z.zip/c.shp", 1},
        {"@/z.zip", "/vsizip/{@/z.zip}/c.shp", 1},
        {"@/new.shp", "@", 1},           /* a folder of shapefiles read as one source */
        {"@/new.gpkg", "@", 0},          /* which reads no GeoPackage */
        {"@/c.shp", "@/missing.shp", 0}, /* refused later, as missing */
        {"@/c.shp", "PG:dbname=gis", 0},
    };
    char out[1024], src[1024];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *at = strchr(cases[i].out, '@');
        snprintf(out, sizeof out, "%s/c/in%s", W, at + 1);
        at = strchr(cases[i].source, '@');
        if (at)
            snprintf(src, sizeof src, "%.*s%s/c/in%s", (int)(at - cases[i].source),
                     cases[i].source, W, at + 1);
        else
            snprintf(src, sizeof src, "%s", cases[i].source);
        int got = ccgis_outdir_replaces(out, src, file, sizeof file);
        if (got != cases[i].replaces)
            fprintf(stderr, "%s from %s: %d, expected %d\n", out, src, got, cases[i].replaces);
        assert_int_equal(got, cases[i].replaces);
        if (got)
            assert_non_null(strstr(file, W "/c/in"));
    }
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_new_folder_gets_its_manifest),
        cmocka_unit_test(a_folder_appearing_during_the_run_survives),
        cmocka_unit_test(a_second_writer_is_refused_with_the_pid),
        cmocka_unit_test(overwrite_replaces_a_ccgis_folder),
        cmocka_unit_test(overwrite_refuses_what_ccgis_did_not_write),
        cmocka_unit_test(only_a_manifest_proves_ownership),
        cmocka_unit_test(dead_runs_are_cleaned_and_said),
        cmocka_unit_test(what_appears_in_a_replaced_folder_is_kept),
        cmocka_unit_test(trailing_slashes_are_accepted),
        cmocka_unit_test(failures_name_the_destination),
        cmocka_unit_test(files_are_all_or_nothing),
        cmocka_unit_test(sources_are_resolved_to_what_they_read),
        cmocka_unit_test(vrt_sources_and_output_files),
        cmocka_unit_test(earlier_versions_leftovers_are_cleaned),
        cmocka_unit_test(a_replaced_shapefile_leaves_no_stale_sidecar),
    };
    int failed = cmocka_run_group_tests_name("outdir", tests, setup, teardown);
    /* Again as on a file system without renameat2 (CIFS, NFS, vfat): the
     * fallbacks must keep every promise but the atomicity. */
    setenv("CCGIS_TEST_NO_RENAMEAT2", "1", 1);
    failed += cmocka_run_group_tests_name("outdir without renameat2", tests, setup, teardown);
    return failed;
}
