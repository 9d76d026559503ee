/*
 * outdir.c -- the output transaction (see ccgis/outdir.h): lock, clean,
 * stage, commit, end; and whether a source lies under an output folder.
 *
 * Everything after ccgis_outdir_begin() works relative to a descriptor of
 * the destination's folder (pfd), so a rename of a folder above it cannot
 * send a move elsewhere.  The moves are renameat2(): RENAME_NOREPLACE to
 * put something where nothing is, RENAME_EXCHANGE to swap with what
 * --overwrite may replace (a folder after ccgis_manifest_check, a file the
 * user named), so the destination always shows a complete old or a
 * complete new output.  A commit records its moves so that a failure can
 * move them back.
 */
#define _GNU_SOURCE /* renameat2, RENAME_NOREPLACE, RENAME_EXCHANGE, flock */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cpl_error.h>
#include <cpl_minixml.h>

#include "internal.h"

#define TMP_TAG ".ccgis-tmp-"
#define LOCK_TAG ".ccgis-lock"

/* One move of a commit: from (in the temporary folder, or the temporary
 * folder itself) to its place. */
typedef struct move {
    int from_fd, to_fd; /* borrowed: od->tmpfd or od->pfd */
    char *from, *to;    /* names in them */
    int state;          /* 0 not done; 1 moved (nothing was there); 2 exchanged */
    dev_t dev;          /* what was put at `to` */
    ino_t ino;
} move;

struct ccgis_outdir {
    ccgis_outdir_kind kind;
    int overwrite;
    char *dest;    /* as given, trailing slashes removed */
    char *dirpart; /* dest up to and with its last '/', "" when none */
    char *parent;  /* the folder holding dest: dirpart without the slash, "." or "/" */
    char *name;    /* dest's last part */
    char *lockname;
    int pfd, lockfd, tmpfd;
    char *tmp;     /* the temporary folder's path (dirpart + tmpname), NULL until staged */
    char *tmpname; /* its name in parent */
    int tmp_gone;  /* the temporary folder became the destination */
    int keep_tmp;  /* it holds what may not be removed (a move back failed) */
    char **made;   /* folders begin created, outermost first */
    size_t n_made;
    int committed;
    move *moves;
    size_t n_moves;
    ccgis_manifest *old; /* FOLDER exchanged: the replaced folder's checked manifest */
};

/* ---- small helpers ----------------------------------------------------------- */

/* "a" + "b" (+ "c"), newly allocated, or NULL. */
static char *cat3(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s%s", a, b, c);
    return s;
}

/* Remove the entry `name` of dfd and everything under it, not following
 * links.  Returns 0, or -1 if something could not be removed. */
static int remove_tree_at(int dfd, const char *name, int depth)
{
    struct stat sb;
    if (fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(sb.st_mode))
        return unlinkat(dfd, name, 0) == 0 || errno == ENOENT ? 0 : -1;
    int rc = 0;
    int fd = depth < 32 ? openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    /* Collect the names first: removing while reading may skip entries. */
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (n == cap) {
            size_t c = cap ? 2 * cap : 32;
            char **nn = realloc(names, c * sizeof *nn);
            if (!nn) {
                rc = -1;
                break;
            }
            names = nn;
            cap = c;
        }
        if (!(names[n] = strdup(de->d_name))) {
            rc = -1;
            break;
        }
        n++;
    }
    for (size_t i = 0; i < n; i++) {
        if (remove_tree_at(dirfd(d), names[i], depth + 1) != 0)
            rc = -1;
        free(names[i]);
    }
    free(names);
    closedir(d);
    if (unlinkat(dfd, name, AT_REMOVEDIR) != 0 && errno != ENOENT)
        rc = -1;
    return rc;
}

/* ccgis_walk_fn: add up the sizes of regular files. */
static int add_size(void *arg, int dfd, const char *name, const char *rel, const struct stat *sb)
{
    (void)dfd, (void)name, (void)rel;
    if (S_ISREG(sb->st_mode))
        *(unsigned long long *)arg += (unsigned long long)sb->st_size;
    return 0;
}

/* Bytes in the files under the folder `name` of dfd. */
static unsigned long long tree_size(int dfd, const char *name)
{
    unsigned long long total = 0;
    int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        ccgis_walk(fd, add_size, &total);
        close(fd);
    }
    return total;
}

/* mkdir -p of `path`, remembering in od->made the folders it created. */
static int make_folders(ccgis_outdir *od, const char *path)
{
    char *buf = strdup(path);
    if (!buf)
        return -1;
    int rc = 0;
    size_t len = strlen(buf);
    for (size_t i = 1; i <= len && rc == 0; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        char c = buf[i];
        buf[i] = '\0';
        if (mkdir(buf, 0777) == 0) {
            char **m = realloc(od->made, (od->n_made + 1) * sizeof *m);
            if (!m || !(m[od->n_made] = strdup(buf))) {
                if (m)
                    od->made = m;
                rc = -1;
            } else {
                od->made = m;
                od->n_made++;
            }
        } else if (errno != EEXIST) {
            rc = -1;
        }
        buf[i] = c;
    }
    free(buf);
    return rc;
}

/* ---- the lock ------------------------------------------------------------------- */

/*
 * Take the lock file beside the destination: created if missing, flock'ed,
 * and checked to still be the file at that name (a run ending removes it,
 * and one that opened the old file just before must not believe it holds
 * the new one).  Writes our pid into it.
 */
static ccgis_status take_lock(ccgis_ctx *ctx, ccgis_outdir *od)
{
    for (int tries = 0; tries < 100; tries++) {
        int fd = openat(od->pfd, od->lockname, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd < 0)
            return ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                               "%s: cannot write beside it in '%s' (%s) -- check the folder's "
                               "permissions",
                               od->dest, od->parent, strerror(errno));
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int err = errno;
            char buf[32] = "";
            ssize_t n = err == EWOULDBLOCK ? pread(fd, buf, sizeof buf - 1, 0) : -1;
            close(fd);
            if (err != EWOULDBLOCK)
                return ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s: cannot be locked for writing (%s)",
                                   od->dest, strerror(err));
            buf[n > 0 ? n : 0] = '\0';
            long pid = atol(buf);
            if (pid == (long)getpid())
                return ccgis_error(ctx, CCGIS_ERR_USAGE,
                                   "%s: named twice as an output of one command -- give each "
                                   "output its own name",
                                   od->dest);
            if (pid > 0)
                return ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                                   "%s: another ccgis run is writing it (pid %ld) -- wait for it "
                                   "to finish, or choose another output",
                                   od->dest, pid);
            return ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                               "%s: another ccgis run is writing it -- wait for it to finish, or "
                               "choose another output",
                               od->dest);
        }
        struct stat held, named;
        if (fstat(fd, &held) == 0 &&
            fstatat(od->pfd, od->lockname, &named, AT_SYMLINK_NOFOLLOW) == 0 &&
            held.st_dev == named.st_dev && held.st_ino == named.st_ino) {
            char pid[32];
            int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
            if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
                close(fd);
                return ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                                   "%s: cannot write beside it in '%s' (%s) -- check free space",
                                   od->dest, od->parent, strerror(errno));
            }
            od->lockfd = fd;
            return CCGIS_OK;
        }
        close(fd); /* removed or replaced by a run that ended: take the new one */
    }
    return ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s: its lock file %s/%s keeps changing", od->dest,
                       od->parent, od->lockname);
}

/* Release the lock: remove the file while still holding it, then close. */
static void release_lock(ccgis_outdir *od)
{
    if (od->lockfd < 0)
        return;
    unlinkat(od->pfd, od->lockname, 0);
    close(od->lockfd);
    od->lockfd = -1;
}

/* ---- temporary folders of dead runs ----------------------------------------------- */

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* 1 if `entry` is what the single commands of ccgis versions before the
 * output transaction left of an output named `name` in their temporary
 * folder DIR/.ccgis-tmp-XXXXXX: `name` itself, or a file of the same
 * dataset (its stem and another extension: a shapefile's sidecars, a
 * CSV's .csvt, SQLite's -journal). */
static int old_output_file(const char *name, const char *entry)
{
    const char *dot = strrchr(name, '.');
    size_t stem = dot && dot != name ? (size_t)(dot - name) : strlen(name);
    return strcmp(entry, name) == 0 ||
           (strncmp(entry, name, stem) == 0 && (entry[stem] == '.' || entry[stem] == '-'));
}

/* 1 if the folder `dir` of pfd holds only regular files that
 * old_output_file() recognises (and at least one). */
static int old_output_folder(int pfd, const char *dir, const char *name)
{
    int fd = openat(pfd, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    int ok = 1, n = 0;
    struct dirent *de;
    while (ok && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        struct stat sb;
        ok = fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
             S_ISREG(sb.st_mode) && old_output_file(name, de->d_name);
        n++;
    }
    closedir(d);
    return ok && n > 0;
}

/*
 * Remove what runs that died left beside the destination; with the lock
 * held, none of it belongs to a live run:
 *   - the temporary folders .NAME.ccgis-tmp-XXXXXX: one with a manifest (a
 *     result about to be moved, or a replaced folder about to be removed)
 *     loses exactly its listed files; one without holds only what a run
 *     that died wrote, and goes whole;
 *   - regular files .NAME.ccgis-tmp-*: single temporary files of earlier
 *     ccgis versions;
 *   - for a file destination, the folders .ccgis-tmp-XXXXXX in which
 *     earlier versions' single commands wrote, when they hold nothing but
 *     files of this output (old_output_folder).
 * Says what it did.
 */
static void clean_stale(ccgis_ctx *ctx, ccgis_outdir *od)
{
    char *prefix = cat3(".", od->name, TMP_TAG);
    int fd = prefix ? openat(od->pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        free(prefix);
        return;
    }
    size_t plen = strlen(prefix), olen = strlen(TMP_TAG);
    char **found = NULL;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        int ours = strncmp(de->d_name, prefix, plen) == 0 && len >= plen + 6;
        int old = od->kind == CCGIS_OUTDIR_FILES && strncmp(de->d_name, TMP_TAG, olen) == 0 &&
                  len == olen + 6;
        if (!ours && !old)
            continue;
        char **f = realloc(found, (n + 1) * sizeof *f);
        if (!f)
            break;
        found = f;
        if (!(found[n] = strdup(de->d_name)))
            break;
        n++;
    }
    closedir(d);
    if (n)
        qsort(found, n, sizeof *found, by_name);
    size_t removed = 0, files = 0, kept = 0;
    unsigned long long bytes = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        const char *name = found[i];
        if (fstatat(od->pfd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        if (strncmp(name, prefix, plen) == 0 && S_ISREG(sb.st_mode)) {
            if (unlinkat(od->pfd, name, 0) == 0) {
                files++;
                bytes += (unsigned long long)sb.st_size;
            }
            continue;
        }
        if (!S_ISDIR(sb.st_mode) ||
            (strncmp(name, prefix, plen) != 0 && !old_output_folder(od->pfd, name, od->name)))
            continue;
        if (strncmp(name, prefix, plen) == 0 && strlen(name) != plen + 6)
            continue; /* not a name mkdtemp gives */
        unsigned long long size = tree_size(od->pfd, name);
        int sfd = openat(od->pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        ccgis_manifest *m = sfd >= 0 ? ccgis_manifest_read(sfd) : NULL;
        int ok;
        if (m)
            ok = ccgis_manifest_remove(m, sfd) == 0 && unlinkat(od->pfd, name, AT_REMOVEDIR) == 0;
        else
            ok = remove_tree_at(od->pfd, name, 0) == 0;
        ccgis_manifest_free(m);
        if (sfd >= 0)
            close(sfd);
        if (ok) {
            removed++;
            bytes += size;
        } else {
            kept++;
            ccgis_msg(ctx, CCGIS_WARNING,
                      "%s: the temporary folder %s%s left by a ccgis run that was killed holds "
                      "files ccgis did not write, or cannot be removed; it was kept -- move "
                      "out what you need and delete it",
                      od->dest, od->dirpart, name);
        }
    }
    if (removed && !files)
        ccgis_msg(ctx, CCGIS_WARNING,
                  "%s: removed %zu temporary folder%s (%.1f MB) left beside it by ccgis runs that "
                  "were killed",
                  od->dest, removed, removed == 1 ? "" : "s", (double)bytes / 1e6);
    else if (files && !removed)
        ccgis_msg(ctx, CCGIS_WARNING,
                  "%s: removed %zu temporary file%s (%.1f MB) left beside it by ccgis runs that "
                  "were killed",
                  od->dest, files, files == 1 ? "" : "s", (double)bytes / 1e6);
    else if (files)
        ccgis_msg(ctx, CCGIS_WARNING,
                  "%s: removed %zu temporary folder%s and %zu temporary file%s (%.1f MB) left "
                  "beside it by ccgis runs that were killed",
                  od->dest, removed, removed == 1 ? "" : "s", files, files == 1 ? "" : "s",
                  (double)bytes / 1e6);
    for (size_t i = 0; i < n; i++)
        free(found[i]);
    free(found);
    free(prefix);
}

/* ---- begin ------------------------------------------------------------------------ */

/* What is at the destination now: refuse what cannot be replaced. */
static ccgis_status check_dest(ccgis_ctx *ctx, ccgis_outdir *od)
{
    struct stat sb;
    if (fstatat(od->pfd, od->name, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT)
            return CCGIS_OK;
        return ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s: cannot be looked at (%s)", od->dest,
                           strerror(errno));
    }
    if (od->kind == CCGIS_OUTDIR_FILES) {
        if (S_ISDIR(sb.st_mode))
            return ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                               "%s: is a folder -- give the name of a file to write, e.g. "
                               "out.gpkg",
                               od->dest);
        if (!od->overwrite)
            return ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                               "%s: already exists -- remove it, choose another name, or use "
                               "--overwrite",
                               od->dest);
        return CCGIS_OK;
    }
    if (S_ISLNK(sb.st_mode))
        return ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                           "%s: is a symbolic link -- ccgis replaces only folders it wrote; give "
                           "the real path of the output folder",
                           od->dest);
    if (!S_ISDIR(sb.st_mode))
        return ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                           "%s: is a file, not a folder -- choose another output", od->dest);
    if (!od->overwrite)
        return ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                           "%s: the output folder exists -- use --overwrite to replace it, or "
                           "choose another output",
                           od->dest);
    int fd = openat(od->pfd, od->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s: cannot be opened (%s)", od->dest,
                           strerror(errno));
    ccgis_manifest *m = NULL;
    ccgis_status st = ccgis_manifest_check(ctx, fd, od->dest, 1, &m); /* sums at commit */
    ccgis_manifest_free(m);
    close(fd);
    return st;
}

/* ccgis_outdir_begin: see outdir.h. */
ccgis_status ccgis_outdir_begin(ccgis_ctx *ctx, const char *dest,
                                const ccgis_outdir_options *options, ccgis_outdir **out)
{
    static const ccgis_outdir_options defaults = {CCGIS_OUTDIR_FOLDER, 0};
    const ccgis_outdir_options *o = options ? options : &defaults;
    ccgis_status st = CCGIS_OK;
    *out = NULL;
    ccgis_outdir *od = calloc(1, sizeof *od);
    if (!od)
        return ccgis_nomem(ctx);
    od->kind = o->kind;
    od->overwrite = o->overwrite;
    od->pfd = od->lockfd = od->tmpfd = -1;
    if (!(od->dest = strdup(dest))) {
        st = ccgis_nomem(ctx);
        goto fail;
    }
    size_t len = strlen(od->dest);
    while (len > 1 && od->dest[len - 1] == '/')
        od->dest[--len] = '\0';
    const char *slash = strrchr(od->dest, '/');
    const char *name = slash ? slash + 1 : od->dest;
    od->name = strdup(name);
    od->dirpart = strndup(od->dest, (size_t)(name - od->dest));
    od->parent = !slash              ? strdup(".")
                 : slash == od->dest ? strdup("/")
                                     : strndup(od->dest, (size_t)(slash - od->dest));
    od->lockname = od->name ? cat3(".", od->name, LOCK_TAG) : NULL;
    if (!od->name || !od->dirpart || !od->parent || !od->lockname) {
        st = ccgis_nomem(ctx);
        goto fail;
    }
    if (!od->name[0] || strcmp(od->name, ".") == 0 || strcmp(od->name, "..") == 0) {
        st = ccgis_error(ctx, CCGIS_ERR_USAGE, "%s: must name a %s to create, e.g. %s", dest,
                         od->kind == CCGIS_OUTDIR_FOLDER ? "folder" : "file",
                         od->kind == CCGIS_OUTDIR_FOLDER ? "out/hanoi" : "out/result.gpkg");
        goto fail;
    }
    if (strlen(od->name) + sizeof "." TMP_TAG "XXXXXX" > NAME_MAX) {
        st = ccgis_error(ctx, CCGIS_ERR_USAGE,
                         "%s: the name is too long (at most %d bytes) -- choose a shorter one",
                         od->dest, (int)(NAME_MAX - sizeof "." TMP_TAG "XXXXXX"));
        goto fail;
    }
    if (od->kind == CCGIS_OUTDIR_FOLDER && make_folders(od, od->parent) != 0) {
        st = ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s: cannot create the folders above it (%s)",
                         od->dest, strerror(errno));
        goto fail;
    }
    od->pfd = open(od->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (od->pfd < 0) {
        st = errno == ENOENT || errno == ENOTDIR
                 ? ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                               "%s: the folder '%s' does not exist -- create it first", od->dest,
                               od->parent)
                 : ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s: the folder '%s' cannot be opened (%s)",
                               od->dest, od->parent, strerror(errno));
        goto fail;
    }
    if ((st = take_lock(ctx, od)) != CCGIS_OK)
        goto fail;
    clean_stale(ctx, od);
    if ((st = check_dest(ctx, od)) != CCGIS_OK)
        goto fail;
    *out = od;
    return CCGIS_OK;
fail:
    ccgis_outdir_end(ctx, od, st);
    return st;
}

/* ccgis_outdir_dest: see outdir.h. */
const char *ccgis_outdir_dest(const ccgis_outdir *od)
{
    return od->dest;
}

/* ccgis_outdir_name: see outdir.h. */
const char *ccgis_outdir_name(const ccgis_outdir *od)
{
    return od->name;
}

/* ---- stage ---------------------------------------------------------------------------- */

/* ccgis_outdir_stage: see outdir.h. */
ccgis_status ccgis_outdir_stage(ccgis_ctx *ctx, ccgis_outdir *od, const char **path)
{
    if (!od->tmp) {
        char *tmp = cat3(od->dirpart, ".", od->name);
        char *full = tmp ? cat3(tmp, TMP_TAG, "XXXXXX") : NULL;
        free(tmp);
        if (!full)
            return ccgis_nomem(ctx);
        if (!mkdtemp(full)) {
            int err = errno;
            free(full);
            return ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                               "%s: cannot create a folder beside it (%s) -- check the "
                               "permissions and free space",
                               od->dest, strerror(err));
        }
        od->tmp = full;
        od->tmpname = full + strlen(od->dirpart);
        od->tmpfd = openat(od->pfd, od->tmpname, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (od->tmpfd < 0)
            return ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s: cannot open the folder beside it (%s)",
                               od->dest, strerror(errno));
        /* mkdtemp makes 0700: give the folder the rights mkdir would, read off a
         * probe folder made inside it -- not with umask(), which would change
         * the whole process's mask for a moment (another thread's files). */
        struct stat sb;
        if (od->kind == CCGIS_OUTDIR_FOLDER && mkdirat(od->tmpfd, ".mode", 0777) == 0) {
            if (fstatat(od->tmpfd, ".mode", &sb, AT_SYMLINK_NOFOLLOW) == 0)
                fchmodat(od->pfd, od->tmpname, sb.st_mode & 0777, 0);
            unlinkat(od->tmpfd, ".mode", AT_REMOVEDIR);
        }
    }
    *path = od->tmp;
    return CCGIS_OK;
}

/* ---- commit ------------------------------------------------------------------------------- */

/* Record a move of od. */
static int add_move(ccgis_outdir *od, int from_fd, const char *from, int to_fd, const char *to)
{
    move *m = realloc(od->moves, (od->n_moves + 1) * sizeof *m);
    if (!m)
        return -1;
    od->moves = m;
    m += od->n_moves;
    memset(m, 0, sizeof *m);
    m->from_fd = from_fd;
    m->to_fd = to_fd;
    m->from = strdup(from);
    m->to = strdup(to);
    od->n_moves++;
    return m->from && m->to ? 0 : -1;
}

/* FILES: sync every file written in the temporary folder and plan its move
 * beside the destination. */
static ccgis_status prepare_files(ccgis_ctx *ctx, ccgis_outdir *od)
{
    int fd = openat(od->tmpfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s: cannot read back what was written (%s)",
                           od->dest, strerror(errno));
    }
    ccgis_status st = CCGIS_OK;
    struct dirent *de;
    char **names = NULL;
    size_t n = 0;
    while (st == CCGIS_OK && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char **nn = realloc(names, (n + 1) * sizeof *nn);
        if (!nn || !(nn[n] = strdup(de->d_name))) {
            names = nn ? nn : names;
            st = ccgis_nomem(ctx);
            break;
        }
        names = nn;
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n && st == CCGIS_OK; i++) {
        int f = openat(od->tmpfd, names[i], O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (f < 0 || fsync(f) != 0) {
            st = ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                             "%s%s: cannot be synced to disk (%s) -- check free space", od->dirpart,
                             names[i], strerror(errno));
        } else if (add_move(od, od->tmpfd, names[i], od->pfd, names[i]) != 0) {
            st = ccgis_nomem(ctx);
        }
        if (f >= 0)
            close(f);
    }
    if (st == CCGIS_OK && n == 0)
        st = ccgis_error(ctx, CCGIS_ERR_INTERNAL, "%s: GDAL wrote no file", od->dest);
    if (st == CCGIS_OK && fsync(od->tmpfd) != 0)
        st = ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s: cannot be synced to disk (%s)", od->dest,
                         strerror(errno));
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return st;
}

/* Note in m what is now at its destination. */
static void note_placed(move *m)
{
    struct stat sb;
    if (fstatat(m->to_fd, m->to, &sb, AT_SYMLINK_NOFOLLOW) == 0) {
        m->dev = sb.st_dev;
        m->ino = sb.st_ino;
    }
}

/* 1 if what is at m's destination is still what the move put there. */
static int still_placed(const move *m)
{
    struct stat sb;
    return fstatat(m->to_fd, m->to, &sb, AT_SYMLINK_NOFOLLOW) == 0 && sb.st_dev == m->dev &&
           sb.st_ino == m->ino;
}

/* renameat2(), or EINVAL as from a file system without it when the test
 * suite asks (CCGIS_TEST_NO_RENAMEAT2, testhook.c). */
static int rename2(int from_fd, const char *from, int to_fd, const char *to, unsigned flags)
{
    if (ccgis_test_flag("CCGIS_TEST_NO_RENAMEAT2")) {
        errno = EINVAL;
        return -1;
    }
    return renameat2(from_fd, from, to_fd, to, flags);
}

/*
 * renameat2 RENAME_NOREPLACE, with a fallback for file systems without it
 * (EINVAL): a file is linked (atomic, fails if the name exists) then
 * unlinked; a folder is renamed after checking the name is free (a window
 * of microseconds, on those file systems only).
 */
static int rename_noreplace(int from_fd, const char *from, int to_fd, const char *to)
{
    if (rename2(from_fd, from, to_fd, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
    struct stat sb;
    if (fstatat(from_fd, from, &sb, AT_SYMLINK_NOFOLLOW) != 0)
        return -1;
    if (!S_ISDIR(sb.st_mode) && linkat(from_fd, from, to_fd, to, 0) == 0)
        return unlinkat(from_fd, from, 0);
    if (!S_ISDIR(sb.st_mode) && errno == EEXIST)
        return -1;
    if (fstatat(to_fd, to, &sb, AT_SYMLINK_NOFOLLOW) == 0) {
        errno = EEXIST;
        return -1;
    }
    return renameat(from_fd, from, to_fd, to);
}

/*
 * Swap what is at m's destination with what is at its source: renameat2
 * RENAME_EXCHANGE, atomic.  Where the file system lacks it (EINVAL: CIFS,
 * NFS, vfat), three renames through a free name beside the source: the
 * destination is missing for a moment, and a crash right then leaves the
 * earlier output in a temporary folder, which the next run removes.
 * Returns 0, or -1 with errno and both as they were.
 */
static int exchange(ccgis_outdir *od, const move *m)
{
    if (rename2(m->from_fd, m->from, m->to_fd, m->to, RENAME_EXCHANGE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
    char *aside = NULL;
    const char *name; /* aside's name in m->from_fd */
    if (od->kind == CCGIS_OUTDIR_FOLDER) {
        /* An empty folder of the temporary pattern, replaced by the rename. */
        char *tmp = cat3(od->dirpart, ".", od->name);
        aside = tmp ? cat3(tmp, TMP_TAG, "XXXXXX") : NULL;
        free(tmp);
        if (!aside || !mkdtemp(aside)) {
            free(aside);
            return -1;
        }
        name = aside + strlen(od->dirpart);
    } else {
        if (!(aside = cat3(m->from, ".ccgis-old", "")))
            return -1;
        name = aside;
    }
    int rc = -1, err = 0;
    if (renameat(m->to_fd, m->to, m->from_fd, name) != 0) {
        err = errno;
    } else if (rename_noreplace(m->from_fd, m->from, m->to_fd, m->to) != 0) {
        err = errno;
        renameat(m->from_fd, name, m->to_fd, m->to); /* put it back */
    } else if (renameat(m->from_fd, name, m->from_fd, m->from) != 0) {
        err = errno; /* in place; the old one stays at the temporary name */
        rc = 0;
        name = NULL;
    } else {
        rc = 0;
        name = NULL;
    }
    if (rc != 0 && od->kind == CCGIS_OUTDIR_FOLDER && name)
        unlinkat(m->from_fd, name, AT_REMOVEDIR); /* the empty placeholder, if still there */
    free(aside);
    errno = err;
    return rc;
}

/* Put one move in place (see "Replacing" in outdir.h). */
static ccgis_status install(ccgis_ctx *ctx, ccgis_outdir *od, move *m)
{
    if (rename_noreplace(m->from_fd, m->from, m->to_fd, m->to) == 0) {
        m->state = 1;
        note_placed(m);
        return CCGIS_OK;
    }
    int folder = od->kind == CCGIS_OUTDIR_FOLDER;
    char *shown = folder ? strdup(od->dest) : cat3(od->dirpart, m->to, "");
    if (!shown)
        return ccgis_nomem(ctx);
    ccgis_status st = CCGIS_OK;
    struct stat sb;
    if (errno != EEXIST && errno != ENOTEMPTY) {
        st = ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s: cannot move the result into place (%s)", shown,
                         strerror(errno));
    } else if (!od->overwrite) {
        st = folder ? ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                                  "%s: something appeared there while ccgis was running; it was "
                                  "left untouched and the results were not written -- choose "
                                  "another output, or run again",
                                  shown)
                    : ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                                  "%s: already exists (it may have appeared while ccgis was "
                                  "running) -- it was left untouched and nothing was written; "
                                  "remove it, choose another name, or use --overwrite",
                                  shown);
    } else if (fstatat(m->to_fd, m->to, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
        st = ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s: cannot be looked at (%s)", shown,
                         strerror(errno));
    } else if (folder) {
        /* Replace only a folder proven to hold what ccgis wrote, and swap with
         * exactly the folder that was checked. */
        int fd = -1;
        struct stat seen, now;
        if (!S_ISDIR(sb.st_mode)) {
            st = ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                             "%s: a file or link appeared there while ccgis was running; it was "
                             "left untouched and the results were not written -- choose another "
                             "output",
                             shown);
        } else if ((fd = openat(m->to_fd, m->to, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) <
                       0 ||
                   fstat(fd, &seen) != 0) {
            st = ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s: cannot be opened (%s)", shown,
                             strerror(errno));
        } else if ((st = ccgis_manifest_check(ctx, fd, shown, 0, &od->old)) != CCGIS_OK) {
            /* refused, named */
        } else if (exchange(od, m) != 0) {
            st = ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s: cannot replace it (%s)", shown,
                             strerror(errno));
        } else if (fstatat(m->from_fd, m->from, &now, AT_SYMLINK_NOFOLLOW) != 0 ||
                   now.st_dev != seen.st_dev || now.st_ino != seen.st_ino) {
            /* Replaced by another folder between the check and the swap: undo. */
            exchange(od, m);
            st = ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                             "%s: was replaced by another folder while ccgis was replacing it; "
                             "it was left untouched and the results were not written -- run "
                             "again",
                             shown);
        } else {
            m->state = 2;
            note_placed(m);
        }
        if (fd >= 0)
            close(fd);
        if (st != CCGIS_OK) {
            ccgis_manifest_free(od->old);
            od->old = NULL;
        }
    } else if (S_ISDIR(sb.st_mode)) {
        st = ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                         "%s: is a folder -- ccgis replaces only files here; remove it or choose "
                         "another name",
                         shown);
    } else if (exchange(od, m) != 0) {
        st = ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s: cannot replace it (%s)", shown,
                         strerror(errno));
    } else {
        m->state = 2;
        note_placed(m);
    }
    free(shown);
    return st;
}

/* Undo one move; on failure keep the temporary folder (it may hold the
 * earlier output) and say so. */
static void move_back(ccgis_ctx *ctx, ccgis_outdir *od, move *m)
{
    int ok = 1;
    if (m->state == 1)
        ok = still_placed(m) &&
             renameat2(m->to_fd, m->to, m->from_fd, m->from, RENAME_NOREPLACE) == 0;
    else if (m->state == 2)
        ok = still_placed(m) && exchange(od, m) == 0;
    if (!ok) {
        od->keep_tmp = 1;
        if (m->state == 2)
            ccgis_msg(ctx, CCGIS_WARNING,
                      "%s%s: the earlier version could not be put back (%s); it is in %s",
                      od->dirpart, m->to, strerror(errno), od->tmp);
    }
    m->state = 0;
}

/*
 * FILES, a shapefile NAME.shp that replaced an earlier one (--overwrite):
 * remove the earlier one's files that the new one does not have, which
 * would otherwise be read with it -- its spatial indexes (.qix, .sbn, .sbx:
 * boxes of the old geometries), a .prj or .cpg (the old CRS, the old
 * encoding), .shx/.dbf/.qpj.  Only regular files named like the dataset,
 * in either case of extension; said at CCGIS_INFO.
 */
static void remove_stale_sidecars(ccgis_ctx *ctx, ccgis_outdir *od)
{
    static const char *const exts[] = {"shx", "dbf", "prj", "cpg", "qix", "sbn", "sbx", "qpj",
                                       "SHX", "DBF", "PRJ", "CPG", "QIX", "SBN", "SBX", "QPJ"};
    const char *dot = strrchr(od->name, '.');
    int replaced = 0;
    for (size_t i = 0; i < od->n_moves; i++)
        replaced |= od->moves[i].state == 2 && strcmp(od->moves[i].to, od->name) == 0;
    if (!od->overwrite || !dot || strcasecmp(dot, ".shp") != 0 || !replaced)
        return;
    char name[NAME_MAX + 1];
    for (size_t e = 0; e < sizeof exts / sizeof exts[0]; e++) {
        if (snprintf(name, sizeof name, "%.*s.%s", (int)(dot - od->name), od->name, exts[e]) >=
            (int)sizeof name)
            continue;
        int written = 0;
        for (size_t i = 0; i < od->n_moves; i++)
            written |= strcmp(od->moves[i].to, name) == 0;
        struct stat sb;
        if (!written && fstatat(od->pfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISREG(sb.st_mode) && unlinkat(od->pfd, name, 0) == 0)
            ccgis_msg(ctx, CCGIS_INFO,
                      "%s%s: removed: a file of the shapefile %s replaced, which the new one "
                      "does not have",
                      od->dirpart, name, od->dest);
    }
}

/* After every move succeeded: sync, and remove what was replaced. */
static void finish(ccgis_ctx *ctx, ccgis_outdir *od)
{
    fsync(od->pfd);
    od->committed = 1;
    if (od->kind != CCGIS_OUTDIR_FOLDER) {
        remove_stale_sidecars(ctx, od);
        return; /* replaced files are in the temporary folder, removed by end */
    }
    if (od->n_moves && od->moves[0].state == 1) {
        od->tmp_gone = 1;
        return;
    }
    /* The replaced folder is now at the temporary name: remove exactly what
     * its manifest lists. */
    int fd = openat(od->pfd, od->tmpname, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    size_t left = fd >= 0 ? ccgis_manifest_remove(od->old, fd) : 1;
    if (fd >= 0)
        close(fd);
    if (left == 0 && unlinkat(od->pfd, od->tmpname, AT_REMOVEDIR) == 0) {
        od->tmp_gone = 1;
    } else {
        od->keep_tmp = 1;
        ccgis_msg(ctx, CCGIS_WARNING,
                  "%s: replaced, but files of the earlier folder that appeared while it was "
                  "being replaced, or could not be removed, were kept in %s -- move out what "
                  "you need and delete it",
                  od->dest, od->tmp);
    }
    ccgis_manifest_free(od->old);
    od->old = NULL;
}

/* ccgis_outdir_commit_all: see outdir.h. */
ccgis_status ccgis_outdir_commit_all(ccgis_ctx *ctx, ccgis_outdir *const *ods, size_t n)
{
    ccgis_status st = CCGIS_OK;
    for (size_t i = 0; i < n && st == CCGIS_OK; i++) {
        ccgis_outdir *od = ods[i];
        if (!od->tmp || od->committed || od->n_moves)
            return ccgis_error(ctx, CCGIS_ERR_INTERNAL,
                               "%s: committed without being staged, or twice", od->dest);
        if (od->kind == CCGIS_OUTDIR_FOLDER) {
            if ((st = ccgis_manifest_write(ctx, od->tmpfd, od->dest)) == CCGIS_OK &&
                add_move(od, od->pfd, od->tmpname, od->pfd, od->name) != 0)
                st = ccgis_nomem(ctx);
        } else {
            st = prepare_files(ctx, od);
        }
    }
    for (size_t i = 0; i < n && st == CCGIS_OK; i++)
        for (size_t k = 0; k < ods[i]->n_moves && st == CCGIS_OK; k++)
            st = install(ctx, ods[i], &ods[i]->moves[k]);
    if (st != CCGIS_OK) {
        for (size_t i = n; i-- > 0;)
            for (size_t k = ods[i]->n_moves; k-- > 0;)
                move_back(ctx, ods[i], &ods[i]->moves[k]);
        return st;
    }
    for (size_t i = 0; i < n; i++)
        finish(ctx, ods[i]);
    return CCGIS_OK;
}

/* ccgis_outdir_commit: see outdir.h. */
ccgis_status ccgis_outdir_commit(ccgis_ctx *ctx, ccgis_outdir *od)
{
    return ccgis_outdir_commit_all(ctx, &od, 1);
}

/* ---- end ------------------------------------------------------------------------------------ */

/* In the context's error message, replace every `from` by `to`. */
static void rename_in_message(ccgis_ctx *ctx, const char *from, const char *to)
{
    size_t nf = strlen(from), nt = strlen(to);
    if (!nf)
        return;
    char buf[CCGIS_MSG_MAX];
    size_t o = 0;
    const char *s = ctx->errmsg;
    for (const char *hit; (hit = strstr(s, from)) != NULL; s = hit + nf) {
        size_t k = (size_t)(hit - s);
        if (o + k + nt >= sizeof buf)
            return;
        memcpy(buf + o, s, k);
        memcpy(buf + o + k, to, nt);
        o += k + nt;
    }
    if (o + strlen(s) >= sizeof buf)
        return;
    strcpy(buf + o, s);
    strcpy(ctx->errmsg, buf);
}

/* ccgis_outdir_end: see outdir.h. */
ccgis_status ccgis_outdir_end(ccgis_ctx *ctx, ccgis_outdir *od, ccgis_status status)
{
    if (!od)
        return status;
    if (status != CCGIS_OK && od->tmp) {
        if (od->kind == CCGIS_OUTDIR_FOLDER) {
            rename_in_message(ctx, od->tmp, od->dest);
        } else {
            char *from = cat3(od->tmp, "/", "");
            if (from)
                rename_in_message(ctx, from, od->dirpart);
            free(from);
        }
    }
    if (od->tmp && !od->tmp_gone && !od->keep_tmp && od->pfd >= 0)
        remove_tree_at(od->pfd, od->tmpname, 0);
    release_lock(od);
    if (!od->committed)
        for (size_t i = od->n_made; i-- > 0;)
            rmdir(od->made[i]); /* only while empty */
    for (size_t i = 0; i < od->n_made; i++)
        free(od->made[i]);
    for (size_t i = 0; i < od->n_moves; i++) {
        free(od->moves[i].from);
        free(od->moves[i].to);
    }
    if (od->tmpfd >= 0)
        close(od->tmpfd);
    if (od->pfd >= 0)
        close(od->pfd);
    ccgis_manifest_free(od->old);
    free(od->moves);
    free(od->made);
    free(od->tmp);
    free(od->lockname);
    free(od->name);
    free(od->dirpart);
    free(od->parent);
    free(od->dest);
    free(od);
    return status;
}

/* ---- inputs vs outputs -------------------------------------------------------------------- */

/*
 * One step of stripping what GDAL puts before a path: a virtual file system
 * (/vsizip/ ...; {braces} around the archive) or a "DRIVER:" prefix.  Writes
 * the rest into out.  Returns 1 when something was stripped, 0 when s is a
 * plain path, -1 when it names nothing local (a database, a URL, memory).
 */
static int strip_once(const char *s, char *out, size_t cap)
{
    static const char *const archives[] = {"/vsizip/", "/vsigzip/", "/vsitar/",
                                           "/vsi7z/",  "/vsirar/",  "/vsisubfile/"};
    if (strncmp(s, "/vsi", 4) == 0) {
        size_t k;
        for (k = 0; k < sizeof archives / sizeof archives[0]; k++)
            if (strncmp(s, archives[k], strlen(archives[k])) == 0)
                break;
        if (k == sizeof archives / sizeof archives[0])
            return -1; /* /vsimem/, /vsicurl/, /vsis3/ ...: nothing local */
        s += strlen(archives[k]);
        if (strcmp(archives[k], "/vsisubfile/") == 0) {
            const char *comma = strchr(s, ',');
            if (!comma)
                return -1;
            s = comma + 1;
        }
        if (*s == '{') {
            const char *close = strrchr(s, '}');
            if (!close)
                return -1;
            snprintf(out, cap, "%.*s", (int)(close - s - 1), s + 1);
            return 1;
        }
        snprintf(out, cap, "%s", s);
        return 1;
    }
    size_t n = 0;
    while (isalnum((unsigned char)s[n]) || s[n] == '_' || s[n] == '-')
        n++;
    if (n >= 2 && s[n] == ':') {
        if (s[n + 1] == '/' && s[n + 2] == '/')
            return -1; /* a URL */
        snprintf(out, cap, "%s", s + n + 1);
        return 1;
    }
    return 0;
}

/*
 * The longest leading part of `path` that exists, cut at a '/' or ':',
 * resolved with realpath into res (PATH_MAX).  Returns 1 when that is the
 * whole of path, 0 when only a leading part, -1 if none.
 */
static int existing_part(const char *path, char *res)
{
    char cand[PATH_MAX];
    if (snprintf(cand, sizeof cand, "%s", path) >= (int)sizeof cand)
        return -1;
    for (int whole = 1;; whole = 0) {
        if (cand[0] && realpath(cand, res))
            return whole;
        size_t n = strlen(cand);
        while (n > 0 && cand[n - 1] != '/' && cand[n - 1] != ':')
            n--;
        if (n == 0)
            return -1;
        cand[n - 1] = '\0';
        if (n == 1) /* "/x" cut to "" */
            return -1;
    }
}

/* What a resolved part of a source is compared with: a folder (anything at
 * or under it matches) or an output file (the files written with it). */
typedef struct read_target {
    const char *folder; /* resolved, or NULL */
    const char *file;   /* resolved output file, or NULL */
} read_target;

/* 1 if the extension of path (after its last '.') is one of a shapefile's
 * files: what the Shapefile driver reads or writes beside the .shp. */
static int shapefile_part(const char *path)
{
    static const char *const exts[] = {"shp", "shx", "dbf", "prj", "cpg",
                                       "qix", "sbn", "sbx", "qpj"};
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/'))
        return 0;
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (strcasecmp(dot + 1, exts[i]) == 0)
            return 1;
    return 0;
}

/* 1 if the resolved path res (all of the source's form when whole) is what
 * t names: at or under t->folder; or t->file itself, a file of the same
 * shapefile as t->file (a.shp read, a.dbf written), or, when whole and
 * t->file is part of a shapefile, a folder holding it (a folder of
 * shapefiles read as one source). */
static int matches(const read_target *t, const char *res, int whole)
{
    if (t->folder) {
        size_t n = strlen(t->folder);
        return strncmp(res, t->folder, n) == 0 && (res[n] == '/' || res[n] == '\0');
    }
    if (strcmp(res, t->file) == 0)
        return 1;
    const char *a = strrchr(res, '.'), *b = strrchr(t->file, '.');
    if (a && b && shapefile_part(res) && shapefile_part(t->file) && a - res == b - t->file &&
        strncmp(res, t->file, (size_t)(a - res)) == 0)
        return 1;
    size_t n = strlen(res);
    struct stat sb;
    return whole && shapefile_part(t->file) && strncmp(t->file, res, n) == 0 &&
           t->file[n] == '/' && stat(res, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int source_reads(const read_target *t, const char *source, char *file, size_t cap,
                        int depth);

/*
 * The sources a VRT (a GDAL virtual dataset: an XML file, or the XML text
 * itself as a source) reads: every <SrcDataSource> (OGR) and
 * <SourceFilename> (raster), relative to the VRT's folder when
 * relativeToVRT="1", each resolved in turn.  Returns 1 at the first one
 * that reads what t names (its resolved path in file), else 0.
 */
static int vrt_reads(const read_target *t, const CPLXMLNode *node, const char *vrt_dir, char *file,
                     size_t cap, int depth)
{
    for (const CPLXMLNode *n = node; n; n = n->psNext) {
        if (n->eType != CXT_Element)
            continue;
        if (strcasecmp(n->pszValue, "SrcDataSource") == 0 ||
            strcasecmp(n->pszValue, "SourceFilename") == 0) {
            const char *text = NULL;
            int relative = 0;
            for (const CPLXMLNode *c = n->psChild; c; c = c->psNext) {
                if (c->eType == CXT_Text)
                    text = c->pszValue;
                else if (c->eType == CXT_Attribute &&
                         strcasecmp(c->pszValue, "relativeToVRT") == 0 && c->psChild)
                    relative = atoi(c->psChild->pszValue) != 0;
            }
            char src[PATH_MAX];
            if (!text || snprintf(src, sizeof src, "%s%s%s", relative && text[0] != '/' ? vrt_dir : "",
                                  relative && text[0] != '/' ? "/" : "", text) >= (int)sizeof src)
                continue;
            if (source_reads(t, src, file, cap, depth + 1))
                return 1;
        }
        if (vrt_reads(t, n->psChild, vrt_dir, file, cap, depth))
            return 1;
    }
    return 0;
}

/* 1 if path ends in ".vrt" (any case). */
static int is_vrt(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && strcasecmp(path + n - 4, ".vrt") == 0;
}

/* The VRT at path (resolved, or XML text when xml): see vrt_reads. */
static int vrt_file_reads(const read_target *t, const char *path, int xml, char *file, size_t cap,
                          int depth)
{
    if (depth >= 8)
        return 0;
    char dir[PATH_MAX] = ".";
    if (!xml) {
        const char *slash = strrchr(path, '/');
        if (slash)
            snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    }
    CPLPushErrorHandler(CPLQuietErrorHandler); /* not a VRT after all: nothing to say */
    CPLXMLNode *root = xml ? CPLParseXMLString(path) : CPLParseXMLFile(path);
    CPLPopErrorHandler();
    CPLErrorReset();
    int hit = root && vrt_reads(t, root, dir, file, cap, depth);
    CPLDestroyXMLNode(root);
    return hit;
}

/*
 * 1 if the source, in any form GDAL opens, reads what t names: it is taken
 * as written, then with one prefix stripped at a time (strip_once), each
 * form resolved to the longest part of it that exists (existing_part); a
 * .vrt found is followed (vrt_file_reads).  The resolved path goes to file.
 */
static int source_reads(const read_target *t, const char *source, char *file, size_t cap,
                        int depth)
{
    char res[PATH_MAX];
    if (strncmp(source, "<OGRVRTDataSource", 17) == 0 || strncmp(source, "<VRTDataset", 11) == 0)
        return vrt_file_reads(t, source, 1, file, cap, depth);
    char a[PATH_MAX], b[PATH_MAX];
    char *cur = a, *next = b;
    if (snprintf(a, sizeof a, "%s", source) >= (int)sizeof a)
        return 0;
    for (int step = 0; step < 8; step++) {
        int whole = existing_part(cur, res);
        if (whole >= 0 && matches(t, res, whole)) {
            if (file)
                snprintf(file, cap, "%s", res);
            return 1;
        }
        struct stat sb;
        if (whole >= 0 && is_vrt(res) && stat(res, &sb) == 0 && S_ISREG(sb.st_mode) &&
            vrt_file_reads(t, res, 0, file, cap, depth))
            return 1;
        if (strip_once(cur, next, PATH_MAX) != 1)
            break;
        char *tmp = cur;
        cur = next;
        next = tmp;
    }
    return 0;
}

/*
 * `path` resolved into out (PATH_MAX) even when it does not exist yet: its
 * folder resolved with realpath, then its last part.  Returns 0, or -1
 * when not even its folder exists.
 */
static int resolve_new(const char *path, char *out)
{
    char f[PATH_MAX], parent[PATH_MAX], res[PATH_MAX];
    if (snprintf(f, sizeof f, "%s", path) >= (int)sizeof f)
        return -1;
    size_t len = strlen(f);
    while (len > 1 && f[len - 1] == '/')
        f[--len] = '\0';
    if (realpath(f, out))
        return 0;
    const char *slash = strrchr(f, '/');
    snprintf(parent, sizeof parent, "%.*s", slash ? (int)(slash - f) : 1, slash ? f : ".");
    if (!realpath(parent[0] ? parent : "/", res))
        return -1;
    if (snprintf(out, PATH_MAX, "%s/%s", strcmp(res, "/") == 0 ? "" : res,
                 slash ? slash + 1 : f) >= PATH_MAX)
        return -1;
    return 0;
}

/* ccgis_outdir_holds: see outdir.h. */
int ccgis_outdir_holds(const char *folder, const char *source, char *file, size_t cap)
{
    char out[PATH_MAX];
    if (resolve_new(folder, out) != 0)
        return 0; /* neither it nor its parent exists: nothing can be under it */
    read_target t = {out, NULL};
    return source_reads(&t, source, file, cap, 0);
}

/* ccgis_outdir_replaces: see outdir.h. */
int ccgis_outdir_replaces(const char *path, const char *source, char *file, size_t cap)
{
    char out[PATH_MAX];
    if (resolve_new(path, out) != 0)
        return 0; /* its folder does not exist: it cannot be a source */
    read_target t = {NULL, out};
    return source_reads(&t, source, file, cap, 0);
}
