/*
 * manifest.c -- what ccgis wrote in a folder, and the proof of it: the
 * file .ccgis-manifest (format in ccgis/outdir.h).
 *
 *   ccgis_manifest_write()  lists a staged folder: every file synced to
 *                           disk, its size and SHA-256, the list written
 *                           atomically;
 *   ccgis_manifest_check()  proves a folder holds only what its manifest
 *                           lists, unchanged, or names what else it holds;
 *   ccgis_manifest_read()   reads one without checking (a dead run's
 *                           temporary folder);
 *   ccgis_manifest_remove() removes exactly the listed files (those still as
 *                           checked), the manifest, then the emptied folders;
 *   ccgis_walk()            the folder walk all of them use: file
 *                           descriptors all the way, symbolic links never
 *                           followed.
 * Nothing here follows a symbolic link or accepts a listed path that could
 * leave the folder ("..", absolute, empty parts).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define MANIFEST ".ccgis-manifest"
#define MANIFEST_TMP ".ccgis-manifest.tmp"
#define MAX_DEPTH 32

/* One listed file. */
typedef struct entry {
    char *path; /* relative, '/'-separated */
    unsigned long long size;
    unsigned char sha[32];
    int seen;  /* check: found, same size and sum */
    dev_t dev; /* what check saw, when seen */
    ino_t ino;
    struct timespec mtime;
} entry;

struct ccgis_manifest {
    entry *e;
    size_t n, cap;
    int checked; /* from ccgis_manifest_check: remove only what was seen */
};

/* ---- walking ------------------------------------------------------------ */

/* Walk dfd's entries; prefix is the relative path of dfd ("" at the top). */
static int walk_at(int dfd, const char *prefix, int depth, ccgis_walk_fn fn, void *arg)
{
    if (depth > MAX_DEPTH) {
        errno = ELOOP;
        return -1;
    }
    int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && (errno = 0, de = readdir(d)) != NULL) {
        const char *name = de->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        struct stat sb;
        if (fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno == ENOENT)
                continue; /* went away meanwhile */
            rc = -1;
            break;
        }
        size_t n = strlen(prefix) + strlen(name) + 2;
        char *rel = malloc(n);
        if (!rel) {
            errno = ENOMEM;
            rc = -1;
            break;
        }
        snprintf(rel, n, "%s%s%s", prefix, prefix[0] ? "/" : "", name);
        int r = fn(arg, dfd, name, rel, &sb);
        if (r < 0) {
            rc = -1;
        } else if (r == 0 && S_ISDIR(sb.st_mode)) {
            int sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub < 0) {
                rc = -1;
            } else {
                rc = walk_at(sub, rel, depth + 1, fn, arg);
                close(sub);
            }
        }
        free(rel);
    }
    if (rc == 0 && errno != 0)
        rc = -1;
    int saved = errno;
    closedir(d);
    errno = saved;
    return rc;
}

/* ccgis_walk: see internal.h. */
int ccgis_walk(int dirfd, ccgis_walk_fn fn, void *arg)
{
    return walk_at(dirfd, "", 0, fn, arg);
}

/* ---- the list ------------------------------------------------------------ */

/* Free a manifest (NULL allowed). */
void ccgis_manifest_free(ccgis_manifest *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        free(m->e[i].path);
    free(m->e);
    free(m);
}

/* Append a path (copied) to m; returns its entry or NULL (out of memory). */
static entry *add(ccgis_manifest *m, const char *path)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 32;
        entry *e = realloc(m->e, cap * sizeof *e);
        if (!e)
            return NULL;
        m->e = e;
        m->cap = cap;
    }
    entry *e = &m->e[m->n];
    memset(e, 0, sizeof *e);
    if (!(e->path = strdup(path)))
        return NULL;
    m->n++;
    return e;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->path, ((const entry *)b)->path);
}

/* The entry listing `path`, or NULL (m sorted by path). */
static entry *find(const ccgis_manifest *m, const char *path)
{
    entry probe = {.path = (char *)path};
    return m->n ? bsearch(&probe, m->e, m->n, sizeof *m->e, by_path) : NULL;
}

/* 1 if some listed path lies inside the folder `dir` (relative). */
static int lists_under(const ccgis_manifest *m, const char *dir)
{
    size_t n = strlen(dir);
    for (size_t i = 0; i < m->n; i++)
        if (strncmp(m->e[i].path, dir, n) == 0 && m->e[i].path[n] == '/')
            return 1;
    return 0;
}

/* 1 if a listed path stays inside the folder: relative, no "", "." or "..". */
static int safe_path(const char *p)
{
    if (!p[0] || p[0] == '/')
        return 0;
    for (const char *s = p; *s;) {
        size_t n = strcspn(s, "/");
        if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
            return 0;
        s += n;
        if (*s == '/' && !*++s)
            return 0; /* trailing slash */
    }
    return strcmp(p, MANIFEST) != 0 && strcmp(p, MANIFEST_TMP) != 0;
}

/* SHA-256 and size of the file `name` in dfd, not following a link; fsync it
 * too when `sync`.  Returns 0, or -1 with errno. */
static int hash_file(int dfd, const char *name, int sync, unsigned char sha[32],
                     unsigned long long *size, struct stat *sb)
{
    int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    /* Sync before reading: reading a file just written updates its access
     * time (relatime), and a sync after that would cost a journal commit of
     * its own for every file; this way the first sync carries them all. */
    if (sync && fsync(fd) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    ccgis_sha256 s;
    ccgis_sha256_init(&s);
    unsigned char buf[1 << 15];
    unsigned long long total = 0;
    ssize_t got;
    while ((got = read(fd, buf, sizeof buf)) > 0) {
        ccgis_sha256_update(&s, buf, (size_t)got);
        total += (unsigned long long)got;
    }
    int rc = got < 0 || (sb && fstat(fd, sb) != 0) ? -1 : 0;
    int saved = errno;
    close(fd);
    errno = saved;
    ccgis_sha256_final(&s, sha);
    *size = total;
    return rc;
}

/* Write p escaped ('\' and newline) to f. */
static void put_escaped(FILE *f, const char *p)
{
    for (; *p; p++) {
        if (*p == '\\')
            fputs("\\\\", f);
        else if (*p == '\n')
            fputs("\\n", f);
        else
            fputc(*p, f);
    }
}

/* ---- writing --------------------------------------------------------------- */

/* What the listing walk collects. */
typedef struct listing {
    ccgis_manifest *m;
    int err;            /* errno of the first failure */
    const char *failed; /* its file (points into m or a literal) */
    char *odd;          /* first entry that is neither file nor folder */
} listing;

/* ccgis_walk_fn: list and sync every regular file; sync every folder. */
static int list_one(void *arg, int dfd, const char *name, const char *rel, const struct stat *sb)
{
    listing *l = arg;
    if (strcmp(rel, MANIFEST) == 0 || strcmp(rel, MANIFEST_TMP) == 0)
        return 1;
    if (S_ISDIR(sb->st_mode)) {
        int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 || fsync(fd) != 0) {
            l->err = errno;
            if (fd >= 0)
                close(fd);
            return -1;
        }
        close(fd);
        return 0;
    }
    if (!S_ISREG(sb->st_mode)) {
        l->odd = strdup(rel);
        l->err = EINVAL;
        return -1;
    }
    entry *e = add(l->m, rel);
    if (!e) {
        l->err = ENOMEM;
        return -1;
    }
    if (hash_file(dfd, name, 1, e->sha, &e->size, NULL) != 0) {
        l->err = errno;
        l->failed = e->path;
        return -1;
    }
    return 0;
}

/* ccgis_manifest_write: see internal.h. */
ccgis_status ccgis_manifest_write(ccgis_ctx *ctx, int dirfd, const char *shown)
{
    listing l = {calloc(1, sizeof(ccgis_manifest)), 0, NULL, NULL};
    ccgis_status st = CCGIS_OK;
    FILE *f = NULL;
    if (!l.m)
        return ccgis_nomem(ctx);
    if (ccgis_walk(dirfd, list_one, &l) != 0) {
        int err = l.err ? l.err : errno;
        if (err == ENOMEM)
            st = ccgis_nomem(ctx);
        else if (l.odd)
            st = ccgis_error(ctx, CCGIS_ERR_INTERNAL,
                             "%s/%s: is neither a file nor a folder -- ccgis writes only files",
                             shown, l.odd);
        else
            st = ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                             "%s%s%s: cannot be read back and synced to disk (%s) -- check free "
                             "space and the disk",
                             shown, l.failed ? "/" : "", l.failed ? l.failed : "", strerror(err));
        goto done;
    }
    if (l.m->n)
        qsort(l.m->e, l.m->n, sizeof *l.m->e, by_path);
    int fd =
        openat(dirfd, MANIFEST_TMP, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0 || !(f = fdopen(fd, "w"))) {
        if (fd >= 0)
            close(fd);
        st = ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s/%s: cannot be written (%s)", shown, MANIFEST,
                         strerror(errno));
        goto done;
    }
    fprintf(f,
            "ccgis-manifest 1\n"
            "# The files ccgis %s wrote in this folder: size in bytes, SHA-256, path.\n"
            "# --overwrite replaces the folder only while it holds these files, unchanged,\n"
            "# and nothing else; it then removes exactly them.\n",
            ccgis_version());
    char hex[65];
    for (size_t i = 0; i < l.m->n; i++) {
        ccgis_sha256_hex(l.m->e[i].sha, hex);
        fprintf(f, "%llu %s  ", l.m->e[i].size, hex);
        put_escaped(f, l.m->e[i].path);
        fputc('\n', f);
    }
    int bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
    int saved = errno;
    bad |= fclose(f) != 0;
    f = NULL;
    if (bad || renameat(dirfd, MANIFEST_TMP, dirfd, MANIFEST) != 0 || fsync(dirfd) != 0) {
        st = ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s/%s: cannot be written (%s) -- check free space",
                         shown, MANIFEST, strerror(bad ? saved : errno));
        goto done;
    }
done:
    free(l.odd);
    ccgis_manifest_free(l.m);
    return st;
}

/* ---- reading ----------------------------------------------------------------- */

/* Parse one entry line "SIZE SHA256  PATH" into m.  Returns 0, or -1. */
static int parse_line(ccgis_manifest *m, char *line)
{
    char *end;
    errno = 0;
    if (line[0] < '0' || line[0] > '9')
        return -1;
    unsigned long long size = strtoull(line, &end, 10);
    if (errno || *end != ' ')
        return -1;
    const char *hex = end + 1;
    unsigned char sha[32];
    for (int i = 0; i < 32; i++) {
        unsigned v = 0;
        for (int k = 0; k < 2; k++) {
            char c = hex[2 * i + k];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (d < 0)
                return -1;
            v = v * 16 + (unsigned)d;
        }
        sha[i] = (unsigned char)v;
    }
    if (hex[64] != ' ' || hex[65] != ' ')
        return -1;
    char *p = (char *)hex + 66, *o = p;
    for (char *s = p; *s; s++) { /* unescape in place */
        if (*s == '\\') {
            s++;
            if (*s == '\\')
                *o++ = '\\';
            else if (*s == 'n')
                *o++ = '\n';
            else
                return -1;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
    if (!safe_path(p))
        return -1;
    entry *e = add(m, p);
    if (!e)
        return -1;
    e->size = size;
    memcpy(e->sha, sha, 32);
    return 0;
}

/*
 * Read dirfd's manifest.  Returns 0 and *out (sorted, no duplicates);
 * 1 when there is none (ENOENT); -1 when it is not a readable regular file
 * or damaged, with its line in *bad_line (0: not a file).
 */
static int read_manifest(int dirfd, ccgis_manifest **out, int *bad_line)
{
    *out = NULL;
    *bad_line = 0;
    int fd = openat(dirfd, MANIFEST, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return errno == ENOENT ? 1 : -1;
    struct stat sb;
    FILE *f = NULL;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || !(f = fdopen(fd, "r"))) {
        close(fd);
        return -1;
    }
    ccgis_manifest *m = calloc(1, sizeof *m);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int n = 0, rc = m ? 0 : -1;
    while (rc == 0 && (len = getline(&line, &cap, f)) >= 0) {
        n++;
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        else
            rc = -1; /* every line ends with a newline: a cut file is damaged */
        if (rc == 0 && n == 1)
            rc = strcmp(line, "ccgis-manifest 1") == 0 ? 0 : -1;
        else if (rc == 0 && line[0] != '#')
            rc = parse_line(m, line);
        if (rc != 0)
            *bad_line = n;
    }
    if (rc == 0 && n == 0) {
        rc = -1;
        *bad_line = 1;
    }
    free(line);
    fclose(f);
    if (rc == 0) {
        if (m->n)
            qsort(m->e, m->n, sizeof *m->e, by_path);
        for (size_t i = 1; i < m->n && rc == 0; i++)
            if (strcmp(m->e[i - 1].path, m->e[i].path) == 0)
                rc = -1;
    }
    if (rc != 0) {
        ccgis_manifest_free(m);
        return -1;
    }
    *out = m;
    return 0;
}

/* ccgis_manifest_read: see internal.h. */
ccgis_manifest *ccgis_manifest_read(int dirfd)
{
    ccgis_manifest *m;
    int line;
    return read_manifest(dirfd, &m, &line) == 0 ? m : NULL;
}

/* ---- checking ------------------------------------------------------------------ */

/* At most this many names are quoted in a refusal; the rest are counted. */
#define NAMES_SHOWN 6

/* A list of names for a message: all counted, the first few (in byte
 * order, so the message does not depend on the file system's order) quoted. */
typedef struct names {
    char **v;
    size_t n;
    char text[600];
} names;

/* Add rel + suffix; returns 0, or -1 out of memory. */
static int name_add(names *l, const char *rel, const char *suffix)
{
    char **v = realloc(l->v, (l->n + 1) * sizeof *v);
    if (!v)
        return -1;
    l->v = v;
    size_t len = strlen(rel) + strlen(suffix) + 1;
    if (!(v[l->n] = malloc(len)))
        return -1;
    snprintf(v[l->n++], len, "%s%s", rel, suffix);
    return 0;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Format the list into l->text: "a, b, c" or "a, b ... and 3 more". */
static void name_end(names *l)
{
    if (l->n)
        qsort(l->v, l->n, sizeof *l->v, by_string);
    size_t used = 0;
    for (size_t i = 0; i < l->n && i < NAMES_SHOWN; i++) {
        snprintf(l->text + used, sizeof l->text - used, "%s%s", i ? ", " : "", l->v[i]);
        used = strlen(l->text);
    }
    if (l->n > NAMES_SHOWN)
        snprintf(l->text + used, sizeof l->text - used, " and %zu more", l->n - NAMES_SHOWN);
}

static void name_free(names *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

/* What the checking walk collects. */
typedef struct checking {
    ccgis_manifest *m;
    int quick; /* sizes only, no checksums */
    names extra, changed;
    int err;
} checking;

/* ccgis_walk_fn: compare one entry with the manifest. */
static int check_one(void *arg, int dfd, const char *name, const char *rel, const struct stat *sb)
{
    checking *c = arg;
    if (strcmp(rel, MANIFEST) == 0)
        return 1;
    if (S_ISDIR(sb->st_mode)) {
        if (lists_under(c->m, rel))
            return 0;
        return name_add(&c->extra, rel, "/") == 0 ? 1 : -1;
    }
    entry *e = S_ISREG(sb->st_mode) ? find(c->m, rel) : NULL;
    if (!e)
        return name_add(&c->extra, rel, "");
    unsigned char sha[32];
    unsigned long long size;
    struct stat now;
    if ((unsigned long long)sb->st_size != e->size)
        return name_add(&c->changed, rel, "");
    if (c->quick)
        return 0;
    if (hash_file(dfd, name, 0, sha, &size, &now) != 0) {
        c->err = errno;
        return -1;
    }
    if (size != e->size || memcmp(sha, e->sha, 32) != 0)
        return name_add(&c->changed, rel, "");
    e->seen = 1;
    e->dev = now.st_dev;
    e->ino = now.st_ino;
    e->mtime = now.st_mtim;
    return 0;
}

/* 1 if the folder dirfd holds no entry at all. */
static int is_empty(int dirfd)
{
    int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    struct dirent *de;
    int empty = 1;
    while (empty && (de = readdir(d)) != NULL)
        empty = strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0;
    closedir(d);
    return empty;
}

/* ccgis_manifest_check: see internal.h. */
ccgis_status ccgis_manifest_check(ccgis_ctx *ctx, int dirfd, const char *shown, int quick,
                                  ccgis_manifest **out)
{
    *out = NULL;
    ccgis_manifest *m;
    int line;
    int r = read_manifest(dirfd, &m, &line);
    if (r == 1 && is_empty(dirfd)) {
        if (!(m = calloc(1, sizeof *m)))
            return ccgis_nomem(ctx);
    } else if (r == 1) {
        return ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                           "%s: exists and is not a folder ccgis wrote (it has no %s listing "
                           "what ccgis wrote) -- ccgis will not replace it even with "
                           "--overwrite; choose another output or remove it yourself",
                           shown, MANIFEST);
    } else if (r < 0) {
        if (line)
            return ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                               "%s: its %s is damaged (line %d), so what ccgis wrote there is "
                               "not known -- ccgis will not replace it even with --overwrite; "
                               "choose another output or remove it yourself",
                               shown, MANIFEST, line);
        return ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                           "%s: exists and is not a folder ccgis wrote (its %s cannot be "
                           "read: %s) -- ccgis will not replace it even with --overwrite; choose "
                           "another output or remove it yourself",
                           shown, MANIFEST, strerror(errno));
    }
    checking c = {.m = m, .quick = quick};
    if (ccgis_walk(dirfd, check_one, &c) != 0) {
        int err = c.err ? c.err : errno ? errno : ENOMEM;
        name_free(&c.extra);
        name_free(&c.changed);
        ccgis_manifest_free(m);
        return err == ENOMEM ? ccgis_nomem(ctx)
                             : ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                                           "%s: cannot be read through to check what ccgis "
                                           "wrote there (%s) -- check its permissions",
                                           shown, strerror(err));
    }
    if (c.extra.n || c.changed.n) {
        name_end(&c.extra);
        name_end(&c.changed);
        ccgis_manifest_free(m);
        char what[1400] = "";
        if (c.extra.n)
            snprintf(what, sizeof what, "%zu file%s or folder%s ccgis did not write (%s)",
                     c.extra.n, c.extra.n == 1 ? "" : "s", c.extra.n == 1 ? "" : "s", c.extra.text);
        if (c.changed.n) {
            size_t used = strlen(what);
            snprintf(what + used, sizeof what - used,
                     "%s%zu file%s changed since ccgis wrote "
                     "%s (%s)",
                     used ? " and " : "", c.changed.n, c.changed.n == 1 ? "" : "s",
                     c.changed.n == 1 ? "it" : "them", c.changed.text);
        }
        size_t total = c.extra.n + c.changed.n;
        name_free(&c.extra);
        name_free(&c.changed);
        return ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                           "%s: not replaced: it holds %s -- --overwrite removes only what "
                           "ccgis wrote; move %s out of the folder or choose another output "
                           "(nothing was changed)",
                           shown, what, total == 1 ? "it" : "them");
    }
    m->checked = !quick;
    if (quick) {
        ccgis_manifest_free(m);
        m = NULL;
    }
    *out = m;
    return CCGIS_OK;
}

/* ---- removing ------------------------------------------------------------------------ */

/*
 * Open the folder holding `path` (relative to dirfd) one part at a time,
 * never following a link; *leaf points at the last part of path.  Returns
 * a new descriptor (close it), or -1.
 */
static int open_parent(int dirfd, const char *path, const char **leaf)
{
    int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    const char *s = path;
    const char *slash;
    char part[NAME_MAX + 1];
    while (fd >= 0 && (slash = strchr(s, '/')) != NULL) {
        size_t n = (size_t)(slash - s);
        if (n > NAME_MAX) {
            close(fd);
            return -1;
        }
        memcpy(part, s, n);
        part[n] = '\0';
        int next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        close(fd);
        fd = next;
        s = slash + 1;
    }
    *leaf = s;
    return fd;
}

static int by_length_desc(const void *a, const void *b)
{
    size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);
    return la < lb ? 1 : la > lb ? -1 : 0;
}

/* ccgis_manifest_remove: see internal.h. */
size_t ccgis_manifest_remove(const ccgis_manifest *m, int dirfd)
{
    size_t kept = 0;
    char **dirs = NULL;
    size_t nd = 0, capd = 0;
    for (size_t i = 0; m && i < m->n; i++) {
        const entry *e = &m->e[i];
        const char *leaf;
        if (m->checked && !e->seen)
            continue; /* was missing, or changed: not ours to remove */
        int fd = open_parent(dirfd, e->path, &leaf);
        if (fd < 0)
            continue;
        struct stat sb;
        if (fstatat(fd, leaf, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(sb.st_mode) &&
            (!m->checked ||
             (sb.st_dev == e->dev && sb.st_ino == e->ino && sb.st_mtim.tv_sec == e->mtime.tv_sec &&
              sb.st_mtim.tv_nsec == e->mtime.tv_nsec && (unsigned long long)sb.st_size == e->size)))
            unlinkat(fd, leaf, 0);
        close(fd);
        /* The folders this path leads through, to remove once empty. */
        for (const char *s = strchr(e->path, '/'); s; s = strchr(s + 1, '/')) {
            if (nd == capd) {
                size_t cap = capd ? 2 * capd : 16;
                char **nds = realloc(dirs, cap * sizeof *nds);
                if (!nds)
                    break;
                dirs = nds;
                capd = cap;
            }
            if (!(dirs[nd] = strndup(e->path, (size_t)(s - e->path))))
                break;
            nd++;
        }
    }
    unlinkat(dirfd, MANIFEST_TMP, 0);
    if (nd)
        qsort(dirs, nd, sizeof *dirs, by_length_desc);
    for (size_t i = 0; i < nd; i++) {
        const char *leaf;
        int fd = open_parent(dirfd, dirs[i], &leaf);
        if (fd >= 0) {
            unlinkat(fd, leaf, AT_REMOVEDIR); /* fails while not empty: fine */
            close(fd);
        }
        free(dirs[i]);
    }
    free(dirs);
    /* What is left. */
    int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return 1;
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0 &&
            strcmp(de->d_name, MANIFEST) != 0)
            kept++;
    closedir(d);
    /* The manifest goes last, and only when nothing else is left: what is
     * left is then still known not to be ccgis's (a later cleanup keeps it). */
    if (kept == 0 && unlinkat(dirfd, MANIFEST, 0) != 0 && errno != ENOENT)
        kept = 1;
    return kept;
}
