/*
 * harness.c -- see harness.h.
 */
#define _GNU_SOURCE /* vasprintf */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "harness.h"

char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n < 2) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

run_result run(const char *fmt, ...)
{
    run_result r = {-1, NULL, NULL};
    char *cmd = NULL, *full = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&cmd, fmt, ap) < 0)
        abort();
    va_end(ap);
    if (asprintf(&full, "( %s ) >%s/.out 2>%s/.err </dev/null", cmd, WORK_DIR, WORK_DIR) < 0)
        abort();
    int st = system(full);
    if (st == -1)
        abort();
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    r.out = slurp(WORK_DIR "/.out");
    r.err = slurp(WORK_DIR "/.err");
    if (!r.out || !r.err)
        abort();
    free(cmd);
    free(full);
    return r;
}

void run_free(run_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

int count_lines(const char *s)
{
    int n = 0;
    for (const char *p = s; *p; p++)
        if (*p == '\n')
            n++;
    if (*s && s[strlen(s) - 1] != '\n')
        n++;
    return n;
}

int ogrinfo_summary(const char *source, const char *layer, ogr_summary *out)
{
    memset(out, 0, sizeof *out);
    run_result r = run("ogrinfo -ro -so -al '%s'", source);
    int found = -1;
    /* Find the block of our layer. */
    char key[512];
    snprintf(key, sizeof key, "Layer name: %s\n", layer);
    char *block = r.status == 0 ? strstr(r.out, key) : NULL;
    if (block) {
        char *next = strstr(block + 1, "Layer name: ");
        if (next)
            *next = '\0';
        char *p = strstr(block, "Feature Count: ");
        if (p && sscanf(p, "Feature Count: %lld", &out->count) == 1)
            found = 0;
        p = strstr(block, "Geometry Column = ");
        if (!p || sscanf(p, "Geometry Column = %63s", out->geom_column) != 1)
            snprintf(out->geom_column, sizeof out->geom_column, "GEOMETRY");
        p = strstr(block, "Extent: (");
        if (p && sscanf(p, "Extent: (%lf, %lf) - (%lf, %lf)", &out->extent[0], &out->extent[1],
                        &out->extent[2], &out->extent[3]) == 4)
            out->has_extent = 1;
        /* The WKT's top-level ID is the last ID[...] before "Data axis". */
        char *end = strstr(block, "Data axis to CRS axis mapping");
        if (end) {
            *end = '\0';
            char *id = NULL, *q = block;
            while ((q = strstr(q, "ID[\"EPSG\",")) != NULL)
                id = q++;
            if (id)
                out->epsg = atoi(id + strlen("ID[\"EPSG\","));
        }
    }
    run_free(&r);
    return found;
}

void reset_work_dir(void)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", WORK_DIR, WORK_DIR);
    if (system(cmd) != 0)
        abort();
}
