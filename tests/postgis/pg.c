/*
 * pg.c -- see pg.h.  libpq for SQL, ogr2ogr (through popen) for loading
 * files, cmocka's _fail() to fail the calling test at the caller's line.
 *
 * Built with (tests/postgis/CMakeLists.txt):
 *   CCGIS_PG_PORT   the test server's TCP port
 *   CCGIS_PG_DIR    the server's folder; "CCGIS_PG_DIR.skipped" exists when
 *                   pg_server.sh could not start it (and says why)
 *   CCGIS_OGR2OGR   GDAL's ogr2ogr
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <libpq-fe.h>

#include "pg.h"

#ifndef CCGIS_OGR2OGR
#define CCGIS_OGR2OGR "ogr2ogr"
#endif

/* What libpq connects to; CCGIS_PG_PORT is pasted in by pg_conninfo(). */
#define PG_DBNAME "ccgis_test"
#define PG_USER "postgres"

struct pg_conn {
    PGconn *c;
};

/* A growing string. */
typedef struct strbuf {
    char *s;
    size_t n, cap;
} strbuf;

/* Append len bytes to b; aborts when out of memory. */
static void sb_add(strbuf *b, const char *p, size_t len)
{
    if (b->n + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (b->n + len + 1 > cap)
            cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s)
            abort();
        b->s = s;
        b->cap = cap;
    }
    memcpy(b->s + b->n, p, len);
    b->n += len;
    b->s[b->n] = '\0';
}

/* Append a C string to b. */
static void sb_str(strbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

/* Append s to b quoted for /bin/sh ('...', with ' written as '\''). */
static void sb_shell_quoted(strbuf *b, const char *s)
{
    sb_str(b, "'");
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            sb_str(b, "'\\''");
        else
            sb_add(b, p, 1);
    }
    sb_str(b, "'");
}

/* Fail the running cmocka test at file:line (or end the program when no
 * test runs); never returns. */
static _Noreturn void fail_at(const char *file, int line)
{
    fflush(stdout);
    _fail(file, line);
    abort(); /* not reached: _fail jumps out of the test or exits */
}

/* Print a failed statement and the server's message, free res, and fail. */
static _Noreturn void sql_failed(pg_conn *pg, PGresult *res, const char *sql, const char *what,
                                 const char *file, int line)
{
    const char *msg = res ? PQresultErrorMessage(res) : "";
    if (!*msg)
        msg = PQerrorMessage(pg->c);
    fprintf(stderr, "pg: %s\n  SQL: %s\n  PostgreSQL: %s%s", what, sql, *msg ? msg : "(no message)",
            *msg && msg[strlen(msg) - 1] == '\n' ? "" : "\n");
    PQclear(res);
    fail_at(file, line);
}

/* True when the environment says we run in CI (CI set, not false/0/no). */
static int in_ci(void)
{
    const char *ci = getenv("CI");
    if (!ci || !*ci)
        return 0;
    static const char *const no[] = {"0", "false", "FALSE", "False", "no", "NO"};
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (strcmp(ci, no[i]) == 0)
            return 0;
    return 1;
}

/* The first line of a small text file as a new string, or NULL. */
static char *first_line(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char buf[1024];
    char *line = fgets(buf, sizeof buf, f) ? strdup(buf) : strdup("(no reason given)");
    fclose(f);
    if (line)
        line[strcspn(line, "\n")] = '\0';
    return line;
}

/* Skip the test program (exit 77), or fail it (exit 1) in CI, because
 * there is no test server; why is printed. */
static _Noreturn void no_server(const char *why)
{
    fflush(stdout);
    if (in_ci()) {
        fprintf(stderr,
                "pg: no PostGIS test server: %s\n"
                "pg: CI is set, so this is a failure, not a skip\n",
                why);
        exit(1);
    }
    fprintf(stderr,
            "pg: no PostGIS test server: %s\n"
            "pg: SKIPPED (exit 77): the PostGIS tests need the `postgis` fixture: "
            "ctest --test-dir build -R postgis\n",
            why);
    exit(77);
}

pg_conn *pg_connect_or_skip(void)
{
    /* pg_server.sh start leaves this marker when it could not start. */
    char *why = first_line(CCGIS_PG_DIR ".skipped");
    if (why) {
        char msg[1200];
        snprintf(msg, sizeof msg, "postgis_start could not start it: %s", why);
        free(why);
        no_server(msg);
    }

    char conninfo[512];
    snprintf(conninfo, sizeof conninfo,
             "host=127.0.0.1 port=%d dbname=" PG_DBNAME " user=" PG_USER " connect_timeout=10 "
             "sslmode=disable gssencmode=disable client_encoding=UTF8 "
             "application_name=ccgis_tests options='-c client_min_messages=warning'",
             (int)CCGIS_PG_PORT);
    PGconn *c = PQconnectdb(conninfo);
    if (!c) {
        fprintf(stderr, "pg: out of memory\n");
        abort();
    }
    if (PQstatus(c) != CONNECTION_OK) {
        char msg[1200];
        snprintf(msg, sizeof msg, "cannot connect (%s): %s", conninfo, PQerrorMessage(c));
        msg[strcspn(msg, "\n")] = '\0';
        PQfinish(c);
        no_server(msg);
    }
    pg_conn *pg = malloc(sizeof *pg);
    if (!pg)
        abort();
    pg->c = c;
    return pg;
}

void pg_disconnect(pg_conn *pg)
{
    if (!pg)
        return;
    PQfinish(pg->c);
    free(pg);
}

void pg_exec_at(pg_conn *pg, const char *sql, const char *file, int line)
{
    PGresult *res = PQexec(pg->c, sql);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        sql_failed(pg, res, sql, "statement failed", file, line);
    PQclear(res);
}

/* strdup that aborts when out of memory. */
static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d)
        abort();
    return d;
}

pg_rows *pg_query_at(pg_conn *pg, const char *sql, const char *file, int line)
{
    PGresult *res = PQexec(pg->c, sql);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        sql_failed(pg, res, sql,
                   PQresultStatus(res) == PGRES_COMMAND_OK ? "query returned no result set"
                                                           : "query failed",
                   file, line);
    pg_rows *r = calloc(1, sizeof *r);
    if (!r)
        abort();
    r->nrows = PQntuples(res);
    r->ncols = PQnfields(res);
    r->names = calloc((size_t)r->ncols + 1, sizeof *r->names);
    r->cells = calloc((size_t)r->nrows * (size_t)r->ncols + 1, sizeof *r->cells);
    if (!r->names || !r->cells)
        abort();
    for (int j = 0; j < r->ncols; j++)
        r->names[j] = xstrdup(PQfname(res, j));
    for (int i = 0; i < r->nrows; i++)
        for (int j = 0; j < r->ncols; j++)
            if (!PQgetisnull(res, i, j))
                r->cells[(size_t)i * (size_t)r->ncols + (size_t)j] = xstrdup(PQgetvalue(res, i, j));
    PQclear(res);
    return r;
}

const char *pg_cell_at(const pg_rows *r, int row, int col, const char *file, int line)
{
    if (row < 0 || row >= r->nrows || col < 0 || col >= r->ncols) {
        fprintf(stderr, "pg: cell (%d, %d) asked of a result of %d rows x %d columns\n", row, col,
                r->nrows, r->ncols);
        fail_at(file, line);
    }
    return r->cells[(size_t)row * (size_t)r->ncols + (size_t)col];
}

void pg_rows_free(pg_rows *r)
{
    if (!r)
        return;
    for (int j = 0; j < r->ncols; j++)
        free(r->names[j]);
    for (size_t k = 0; k < (size_t)r->nrows * (size_t)r->ncols; k++)
        free(r->cells[k]);
    free(r->names);
    free(r->cells);
    free(r);
}

/* The one non-NULL value of a one-row, one-column query, as a new string. */
static char *scalar(pg_conn *pg, const char *sql, const char *file, int line)
{
    PGresult *res = PQexec(pg->c, sql);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        sql_failed(pg, res, sql, "query failed", file, line);
    if (PQntuples(res) != 1 || PQnfields(res) != 1) {
        fprintf(stderr,
                "pg: a single value was expected, the query returned %d rows x %d columns\n"
                "  SQL: %s\n",
                PQntuples(res), PQnfields(res), sql);
        PQclear(res);
        fail_at(file, line);
    }
    if (PQgetisnull(res, 0, 0)) {
        fprintf(stderr, "pg: the query returned NULL where a value was expected\n  SQL: %s\n", sql);
        PQclear(res);
        fail_at(file, line);
    }
    char *v = xstrdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return v;
}

double pg_scalar_double_at(pg_conn *pg, const char *sql, const char *file, int line)
{
    char *v = scalar(pg, sql, file, line), *end;
    errno = 0;
    double d = strtod(v, &end);
    if (end == v || *end) {
        fprintf(stderr, "pg: '%s' is not a number\n  SQL: %s\n", v, sql);
        free(v);
        fail_at(file, line);
    }
    free(v);
    return d;
}

long long pg_scalar_int_at(pg_conn *pg, const char *sql, const char *file, int line)
{
    char *v = scalar(pg, sql, file, line), *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (end == v || *end || errno == ERANGE) {
        fprintf(stderr, "pg: '%s' is not a whole number (long long)\n  SQL: %s\n", v, sql);
        free(v);
        fail_at(file, line);
    }
    free(v);
    return n;
}

char *pg_scalar_text_at(pg_conn *pg, const char *sql, const char *file, int line)
{
    return scalar(pg, sql, file, line);
}

void pg_load_at(pg_conn *pg, const char *path, const char *layer, const char *table,
                const char *file, int line)
{
    (void)pg; /* ogr2ogr makes its own connection to the same server */
    char dsn[256];
    snprintf(dsn, sizeof dsn, "PG:host=127.0.0.1 port=%d dbname=" PG_DBNAME " user=" PG_USER,
             (int)CCGIS_PG_PORT);
    strbuf cmd = {0};
    sb_shell_quoted(&cmd, CCGIS_OGR2OGR);
    sb_str(&cmd, " -f PostgreSQL ");
    sb_shell_quoted(&cmd, dsn);
    sb_str(&cmd, " ");
    sb_shell_quoted(&cmd, path);
    if (layer) {
        sb_str(&cmd, " ");
        sb_shell_quoted(&cmd, layer);
    }
    sb_str(&cmd, " -overwrite -nln ");
    sb_shell_quoted(&cmd, table);
    sb_str(&cmd, " -lco GEOMETRY_NAME=geom -lco FID=fid -preserve_fid");

    strbuf full = {0}, out = {0};
    sb_str(&full, cmd.s);
    sb_str(&full, " 2>&1 </dev/null");
    fflush(NULL);
    FILE *p = popen(full.s, "r");
    if (!p) {
        fprintf(stderr, "pg: cannot run: %s\n", cmd.s);
        free(cmd.s);
        free(full.s);
        fail_at(file, line);
    }
    char buf[4096];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, p)) > 0)
        sb_add(&out, buf, got);
    int st = pclose(p);
    if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "pg: ogr2ogr failed (status %d)\n  command: %s\n%s", st, cmd.s,
                out.s ? out.s : "");
        free(cmd.s);
        free(full.s);
        free(out.s);
        fail_at(file, line);
    }
    free(cmd.s);
    free(full.s);
    free(out.s);
}
