/*
 * job.c -- reading and checking a job file (see ccgis/job.h).
 *
 * libinih splits the file into (section, key, value); a line-counting reader
 * gives each key its line, so that every message can point at it.  Keys are
 * looked up in one table per section that says where the value goes and
 * whether it is a path to resolve against the job file's folder.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "internal.h"

/* How a key's value is kept. */
typedef enum {
    K_TEXT,
    K_PATH,
    K_FORMATS,
    K_LIST,
    K_NUMBER,
    K_LANG,
    K_BREAKS,
    K_STATUSES,
    K_PAPER,
    K_ORIENTATION
} key_kind;

/* One allowed key of a section: where its value and its line go. */
typedef struct key_def {
    const char *name;
    key_kind kind;
    size_t value_off; /* offset of the char * (or double) in the struct */
    size_t line_off;  /* offset of the int line, or (size_t)-1 */
} key_def;

#define NO_LINE ((size_t)-1)
#define IN(f) offsetof(ccgis_job_input, f)
#define JOB(f) offsetof(ccgis_job, f)

static const key_def job_keys[] = {
    {"name", K_TEXT, JOB(name), NO_LINE},
    {"output", K_PATH, JOB(output), JOB(line_output)},
    {"formats", K_FORMATS, 0, NO_LINE},
    {"plan_crs", K_TEXT, JOB(plan_crs), NO_LINE},
    {"output_crs", K_TEXT, JOB(output_crs), JOB(line_output_crs)},
    {"sliver", K_NUMBER, JOB(sliver), NO_LINE},
    {"sliver_m2", K_NUMBER, JOB(sliver_m2), NO_LINE},
    {"lang", K_LANG, JOB(lang), NO_LINE},
    {NULL, 0, 0, 0},
};

/* Keys every input section has. */
#define INPUT_KEYS                                                                                 \
    {"source", K_PATH, IN(source), IN(line_source)}, {"layer", K_TEXT, IN(layer), IN(line_layer)}, \
        {"srs", K_TEXT, IN(srs), IN(line_srs)},                                                    \
        {"encoding", K_TEXT, IN(encoding), IN(line_encoding)},                                     \
        {"where", K_TEXT, IN(where), IN(line_where)}, {"x", K_TEXT, IN(x), IN(line_x)},            \
        {"y", K_TEXT, IN(y), IN(line_y)},                                                          \
    {                                                                                              \
        "keep_fields", K_TEXT, IN(keep_fields), NO_LINE                                            \
    }

static const key_def cluster_keys[] = {
    INPUT_KEYS,
    {"id", K_TEXT, IN(id), IN(line_id)},
    {"name", K_TEXT, IN(name), IN(line_name)},
    {"status", K_TEXT, IN(status), IN(line_status)},
    {"declared_ha", K_TEXT, IN(declared), IN(line_declared)},
    {"declared_tol_pct", K_NUMBER, JOB(declared_tol_pct), NO_LINE},
    {"operating", K_STATUSES, 0, JOB(line_operating)},
    {"year_set_up", K_TEXT, IN(year_set_up), IN(line_year_set_up)},
    {"construction_start", K_TEXT, IN(construction_start), IN(line_construction_start)},
    {"plan_1500", K_TEXT, IN(plan_1500), IN(line_plan_1500)},
    {"clearance_pct", K_TEXT, IN(clearance_pct), IN(line_clearance_pct)},
    {"enterprises", K_TEXT, IN(enterprises), IN(line_enterprises)},
    {"workers", K_TEXT, IN(workers), IN(line_workers)},
    {NULL, 0, 0, 0},
};
static const key_def district_keys[] = {
    INPUT_KEYS,
    {"name", K_TEXT, IN(name), IN(line_name)},
    {NULL, 0, 0, 0},
};
static const key_def zoning_keys[] = {
    INPUT_KEYS,
    {"class", K_TEXT, IN(klass), IN(line_class)},
    {"id", K_TEXT, IN(id), IN(line_id)},
    {"allowed", K_LIST, 0, NO_LINE},
    {NULL, 0, 0, 0},
};
static const key_def village_keys[] = {
    INPUT_KEYS,
    {"id", K_TEXT, IN(id), IN(line_id)},
    {"name", K_TEXT, IN(name), IN(line_name)},
    {"radius_m", K_NUMBER, JOB(radius_m), NO_LINE},
    {NULL, 0, 0, 0},
};

static const key_def plan_keys[] = {
    INPUT_KEYS,
    {"id", K_TEXT, IN(id), IN(line_id)},
    {"name", K_TEXT, IN(name), IN(line_name)},
    {"status", K_TEXT, IN(status), IN(line_status)},
    {NULL, 0, 0, 0},
};
static const key_def wastewater_keys[] = {
    INPUT_KEYS,
    {"id", K_TEXT, IN(id), IN(line_id)},
    {"name", K_TEXT, IN(name), IN(line_name)},
    {"standard_met", K_TEXT, IN(standard_met), IN(line_standard_met)},
    {"max_m", K_NUMBER, JOB(wwtp_max_m), NO_LINE},
    {NULL, 0, 0, 0},
};

static const key_def style_keys[] = {
    {"conflict_breaks", K_BREAKS, 0, JOB(line_conflict_breaks)},
    {NULL, 0, 0, 0},
};

static const key_def map_keys[] = {
    {"paper", K_PAPER, 0, NO_LINE},
    {"orientation", K_ORIENTATION, 0, NO_LINE},
    {"author", K_TEXT, JOB(author), NO_LINE},
    {"abstract", K_TEXT, JOB(abstract), NO_LINE},
    {NULL, 0, 0, 0},
};

/* Parse state shared by the reader and the handler. */
typedef struct parse {
    ccgis_ctx *ctx;
    ccgis_job *job;
    FILE *f;
    const char *dir; /* the job file's folder */
    int line;        /* line being parsed */
    int section_line; /* line of the last [section] header */
    int bad_header;   /* line of the first "[" line without "]", 0 if none */
    int indented;     /* the current line starts with blanks (libinih: a continuation) */
    int long_line;   /* a line too long for libinih was met (its number) */
    ccgis_status st; /* first failure */
    unsigned seen[9][32]; /* keys given, per section, to refuse repeats */
} parse;

static int fail(parse *p, const char *fmt, ...) CCGIS_PRINTF(2, 3);

/* ini_reader: fgets that counts lines and notices lines libinih would cut. */
static char *read_line(char *str, int num, void *arg)
{
    parse *p = arg;
    long start = ftell(p->f);
    char *s = fgets(str, num, p->f);
    if (!s)
        return NULL;
    p->line++;
    /* A NUL byte would silently cut the line: refuse it. */
    long end = ftell(p->f);
    if (start >= 0 && end > start && (size_t)(end - start) > strlen(s)) {
        fail(p, "a NUL byte in this line -- the job file must be plain UTF-8 text");
        return s;
    }
    /* Names and paths go into report.md and summary.json as they are (a line
     * cut short for length may end inside a letter: that is the other error). */
    size_t len = strlen(s);
    int cut = len == (size_t)num - 1 && s[len - 1] != '\n' && !feof(p->f);
    size_t bad = cut ? 0 : ccgis_text_is_utf8(s);
    if (bad) {
        fail(p, "this line is not UTF-8 text (byte 0x%02X at byte %zu) -- save the job file as "
                "UTF-8 (in Notepad: Save as, Encoding UTF-8)",
             (unsigned char)s[bad - 1], bad);
        return s;
    }
    p->indented = (s[0] == ' ' || s[0] == '\t') && strspn(s, " \t\r\n") < strlen(s);
    const char *t = s + strspn(s, " \t");
    if (*t == '[') {
        p->section_line = p->line;
        if (!strchr(t, ']')) {
            if (!p->bad_header)
                p->bad_header = p->line;
            fail(p, "not a job file line -- write [section] or key = value");
        }
    }
    size_t n = strlen(s);
    if (n == (size_t)num - 1 && s[n - 1] != '\n' && !feof(p->f)) {
        if (!p->long_line)
            p->long_line = p->line;
        int c; /* skip the rest of the line */
        while ((c = fgetc(p->f)) != EOF && c != '\n')
            ;
    }
    return s;
}

/* Record a failure at the current line (once). */
static int fail(parse *p, const char *fmt, ...) CCGIS_PRINTF(2, 3);
static int fail(parse *p, const char *fmt, ...)
{
    if (p->st != CCGIS_OK)
        return 0;
    char msg[CCGIS_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    p->st = ccgis_error(p->ctx, CCGIS_ERR_USAGE, "%s:%d: %s", p->job->path, p->line, msg);
    return 0;
}

/* 1 if s names a connection string or virtual path rather than a file. */
static int is_connection(const char *s)
{
    if (strncmp(s, "/vsi", 4) == 0)
        return 1;
    size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
    return n >= 2 && s[n] == ':';
}

/*
 * Collapse "./" and "dir/../" in a relative or absolute path, in place,
 * lexically (symbolic links are not followed): "samples/../out/hanoi"
 * becomes "out/hanoi".  Leading ".." of a relative path are kept.
 */
static void normalise_path(char *path)
{
    char *seg[PATH_MAX / 2];
    size_t n = 0;
    int absolute = path[0] == '/';
    char *save = NULL;
    char *copy = strdup(path);
    if (!copy)
        return;
    for (char *t = strtok_r(copy, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
        if (strcmp(t, ".") == 0)
            continue;
        if (strcmp(t, "..") == 0 && n > 0 && strcmp(seg[n - 1], "..") != 0) {
            n--;
            continue;
        }
        if (strcmp(t, "..") == 0 && absolute)
            continue;
        if (n < sizeof seg / sizeof seg[0])
            seg[n++] = t;
    }
    char *o = path;
    if (absolute)
        *o++ = '/';
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(seg[i]);
        memmove(o, seg[i], len); /* never longer than the original */
        o += len;
        if (i + 1 < n)
            *o++ = '/';
    }
    if (o == path)
        *o++ = '.';
    *o = '\0';
    free(copy);
}

/* A path from the job file made usable: relative ones are joined to the job
 * file's folder.  Returns a new string or NULL (out of memory, recorded). */
static char *resolve(parse *p, const char *value)
{
    if (value[0] == '/' || is_connection(value) || strcmp(p->dir, ".") == 0)
        return ccgis_strdup(p->ctx, value);
    size_t n = strlen(p->dir) + strlen(value) + 2;
    char *s = malloc(n);
    if (!s) {
        ccgis_nomem(p->ctx);
        return NULL;
    }
    snprintf(s, n, "%s/%s", p->dir, value);
    normalise_path(s);
    return s;
}

/* Parse "geojson, shp, gpkg, sqlite" into format bits. */
static int parse_formats(parse *p, const char *value)
{
    static const struct {
        const char *name;
        unsigned bit;
    } names[] = {{"geojson", CCGIS_FMT_GEOJSON}, {"shp", CCGIS_FMT_SHP},
                 {"shapefile", CCGIS_FMT_SHP},   {"gpkg", CCGIS_FMT_GPKG},
                 {"geopackage", CCGIS_FMT_GPKG}, {"sqlite", CCGIS_FMT_SQLITE},
                 {"spatialite", CCGIS_FMT_SQLITE}};
    unsigned bits = 0;
    const char *s = value;
    while (*s) {
        s += strspn(s, " ,\t");
        size_t n = strcspn(s, " ,\t");
        if (n == 0)
            break;
        size_t k;
        for (k = 0; k < sizeof names / sizeof names[0]; k++)
            if (strlen(names[k].name) == n && strncasecmp(names[k].name, s, n) == 0)
                break;
        if (k == sizeof names / sizeof names[0])
            return fail(p, "[job] formats: unknown format '%.*s' -- use geojson, shp, gpkg, "
                           "sqlite",
                        (int)n, s);
        bits |= names[k].bit;
        s += n;
    }
    if (!bits)
        return fail(p, "[job] formats is empty -- give geojson, shp, gpkg and/or sqlite");
    p->job->formats = bits;
    return 1;
}

/* Parse "SKN, SKC, SKK" (or "SKN; SKC; SKK", "SKN SKC SKK") into the job's
 * allowed list.  Codes are kept as written; they are compared as class keys
 * (classkey.c). */
static int parse_allowed(parse *p, const char *value)
{
    static const char seps[] = " ,;\t";
    size_t n = 1;
    for (const char *c = value; *c; c++)
        n += strchr(seps, *c) != NULL;
    char **list = ccgis_calloc(p->ctx, n + 1, sizeof *list);
    if (!list)
        return 0;
    size_t k = 0;
    const char *s = value;
    while (*s) {
        s += strspn(s, seps);
        size_t len = strcspn(s, seps);
        if (len == 0)
            break;
        list[k] = strndup(s, len);
        if (!list[k++]) {
            ccgis_nomem(p->ctx);
            break;
        }
        s += len;
    }
    if (k == 0) {
        free(list);
        return fail(p, "[zoning] allowed is empty -- give the land-use codes that are no "
                       "conflict, e.g. allowed = SKN, SKC, SKK");
    }
    for (char **o = p->job->allowed; o && *o; o++)
        free(*o);
    free(p->job->allowed);
    p->job->allowed = list;
    return 1;
}

/*
 * Parse a list of status values, "đang hoạt động, operating": separated by
 * ',' or ';' only (a status has spaces), each trimmed, into *slot (a
 * NULL-terminated list replacing the one there).
 */
static int parse_statuses(parse *p, const char *value, char ***slot)
{
    static const char seps[] = ",;";
    size_t n = 1;
    for (const char *c = value; *c; c++)
        n += strchr(seps, *c) != NULL;
    char **list = ccgis_calloc(p->ctx, n + 1, sizeof *list);
    if (!list)
        return 0;
    size_t k = 0;
    for (const char *s = value; *s;) {
        size_t len = strcspn(s, seps);
        const char *a = s, *b = s + len;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        if (b > a && !(list[k++] = strndup(a, (size_t)(b - a)))) {
            for (size_t i = 0; i + 1 < k; i++)
                free(list[i]);
            free(list);
            ccgis_nomem(p->ctx);
            return 0;
        }
        s += len;
        if (*s)
            s++;
    }
    if (k == 0) {
        free(list);
        return fail(p, "[clusters] operating is empty -- give the status values that mean "
                       "operating, e.g. operating = đang hoạt động, operating");
    }
    for (char **o = *slot; o && *o; o++)
        free(*o);
    free(*slot);
    *slot = list;
    return 1;
}

/*
 * Parse "5, 10, 20, 50" (',', ';' or spaces between; "10%" is 10) into the
 * job's conflict breaks: percentages, ascending, each above 0 and below 100
 * (the classes always start at 0 % and end at 100 %).
 */
static int parse_breaks(parse *p, const char *value)
{
    static const char seps[] = " ,;\t";
    static const char hint[] = "give ascending percentages between 0 and 100, e.g. "
                               "conflict_breaks = 5, 10, 20, 50";
    ccgis_job *job = p->job;
    size_t n = 0;
    const char *s = value + strspn(value, seps);
    while (*s) {
        size_t len = strcspn(s, seps);
        char num[64];
        snprintf(num, sizeof num, "%.*s", (int)(len < 63 ? len : 63), s);
        size_t nl = strlen(num);
        if (nl > 1 && num[nl - 1] == '%') /* "10%" is read as 10 */
            num[nl - 1] = '\0';
        char *end;
        double v = strtod(num, &end);
        if (*end || end == num || len > 63 || !isfinite(v))
            return fail(p, "[style] conflict_breaks: '%.*s' is not a number -- %s", (int)len, s,
                        hint);
        if (!(v > 0 && v < 100))
            return fail(p, "[style] conflict_breaks: %s is not between 0 and 100 (the classes "
                           "always start at 0 %% and end at 100 %%) -- %s",
                        num, hint);
        if (n > 0 && !(v > job->conflict_breaks[n - 1]))
            return fail(p, "[style] conflict_breaks: %s does not come after %g -- %s", num,
                        job->conflict_breaks[n - 1], hint);
        if (n == CCGIS_MAX_BREAKS)
            return fail(p, "[style] conflict_breaks: more than %d breaks -- give fewer",
                        CCGIS_MAX_BREAKS);
        job->conflict_breaks[n++] = v;
        s += len;
        s += strspn(s, seps);
    }
    if (n == 0)
        return fail(p, "[style] conflict_breaks is empty -- %s", hint);
    job->n_conflict_breaks = n;
    return 1;
}

/* The key table and target struct of a section; -1 when unknown. */
static int section_index(const char *section)
{
    static const char *const names[] = {"job",      "clusters", "districts", "zoning",
                                        "villages", "style",    "plan",      "wastewater",
                                        "map"};
    for (int i = 0; i < 9; i++)
        if (strcmp(section, names[i]) == 0)
            return i;
    return -1;
}

/* ini_handler: one key = value of a section. */
static int on_key(void *arg, const char *section, const char *name, const char *value)
{
    parse *p = arg;
    ccgis_job *job = p->job;
    static const key_def *const tables[] = {job_keys,    cluster_keys, district_keys,
                                            zoning_keys, village_keys, style_keys,
                                            plan_keys,   wastewater_keys, map_keys};
    int si = section_index(section);
    if (!section[0]) {
        if (p->bad_header)
            p->line = p->bad_header;
        return fail(p, p->bad_header ? "not a job file line -- write [section] or key = value"
                                     : "'%s' comes before any [section] -- put it under [job], "
                                       "[clusters], [districts], [zoning], [villages], "
                                       "[plan], [wastewater], [style] or [map]",
                    name);
    }
    if (si < 0) {
        p->line = p->section_line;
        return fail(p, "unknown section [%s] -- the sections are [job], [clusters], [districts], "
                       "[zoning], [villages], [plan], [wastewater], [style], [map]",
                    section);
    }
    int ki = -1;
    for (int k = 0; tables[si][k].name; k++)
        if (strcmp(tables[si][k].name, name) == 0)
            ki = k;
    if (ki < 0) {
        char keys[256] = "";
        for (int k = 0; tables[si][k].name; k++) {
            strncat(keys, k ? ", " : "", sizeof keys - strlen(keys) - 1);
            strncat(keys, tables[si][k].name, sizeof keys - strlen(keys) - 1);
        }
        return fail(p, "unknown key '%s' in [%s] -- the keys are: %s", name, section, keys);
    }
    if (p->seen[si][ki] && p->indented)
        return fail(p, "an indented line is read as the continuation of [%s] %s (line %u) -- "
                       "remove the indentation",
                    section, name, p->seen[si][ki]);
    if (p->seen[si][ki])
        return fail(p, "[%s] %s is given twice (first on line %u)", section, name,
                    p->seen[si][ki]);
    p->seen[si][ki] = (unsigned)p->line;

    ccgis_job_input *in = si == 1   ? &job->clusters
                          : si == 2 ? &job->districts
                          : si == 3 ? &job->zoning
                          : si == 4 ? &job->villages
                          : si == 6 ? &job->plan
                          : si == 7 ? &job->wastewater
                                    : NULL;
    char *base = in ? (char *)in : (char *)job;
    if (in && !in->present) {
        in->present = 1;
        in->line = p->section_line ? p->section_line : p->line;
    }
    const key_def *k = &tables[si][ki];
    if (k->line_off != NO_LINE)
        *(int *)(base + k->line_off) = p->line;
    if (!value[0])
        return 1; /* an empty value is the same as no value */
    switch (k->kind) {
    case K_FORMATS:
        return parse_formats(p, value);
    case K_LIST:
        job->line_allowed = p->line;
        return parse_allowed(p, value);
    case K_STATUSES:
        return parse_statuses(p, value, &job->operating);
    case K_LANG:
        if (!ccgis_lang_from_name(value, &job->lang))
            return fail(p, "[%s] lang = %s is not a language ccgis writes -- give vi "
                           "(Vietnamese, the default) or en (English)",
                        section, value);
        return 1;
    case K_BREAKS:
        return parse_breaks(p, value);
    case K_PAPER:
        if (strcasecmp(value, "A3") == 0 || strcasecmp(value, "A4") == 0) {
            job->paper = strcasecmp(value, "A4") == 0 ? CCGIS_PAPER_A4 : CCGIS_PAPER_A3;
            return 1;
        }
        return fail(p, "[map] paper = %s is not a paper size ccgis lays out -- give A3 (the "
                       "default) or A4",
                    value);
    case K_ORIENTATION:
        if (strcasecmp(value, "landscape") == 0 || strcasecmp(value, "portrait") == 0) {
            job->portrait = strcasecmp(value, "portrait") == 0;
            return 1;
        }
        return fail(p, "[map] orientation = %s is not an orientation -- give landscape (the "
                       "default) or portrait",
                    value);
    case K_NUMBER: {
        char *end;
        double v = strtod(value, &end);
        if (*end || end == value || !isfinite(v) || v < 0)
            return strcmp(name, "radius_m") == 0
                       ? fail(p, "[%s] %s = %s is not a distance in metres (0 or more)",
                              section, name, value)
                       : fail(p, "[%s] %s = %s is not a number (0 or more)", section, name,
                              value);
        if (strcmp(name, "sliver") == 0 && v >= 1)
            return fail(p, "[%s] sliver = %s is a fraction of each cluster's area -- give "
                           "a number below 1, e.g. 1e-4",
                        section, value);
        *(double *)((char *)job + k->value_off) = v;
        return 1;
    }
    case K_PATH:
    case K_TEXT: {
        char **slot = (char **)(base + k->value_off);
        char *unquoted = NULL;
        size_t n = strlen(value);
        if (k->kind == K_PATH && n >= 2 && (value[0] == '"' || value[0] == '\'') &&
            value[n - 1] == value[0]) {
            /* A path in quotes, as people write them in shells: the quotes go. */
            if (!(unquoted = ccgis_strdup(p->ctx, value + 1)))
                return 0;
            unquoted[n - 2] = '\0';
            if (!unquoted[0]) {
                free(unquoted);
                return 1;
            }
            value = unquoted;
        }
        free(*slot);
        *slot = k->kind == K_PATH ? resolve(p, value) : ccgis_strdup(p->ctx, value);
        free(unquoted);
        return *slot != NULL;
    }
    }
    return 1;
}

/* A required key that is missing: error naming the section's line. */
static ccgis_status missing(ccgis_ctx *ctx, const ccgis_job *job, int line, const char *section,
                            const char *key, const char *hint)
{
    return ccgis_error(ctx, CCGIS_ERR_USAGE, "%s:%d: [%s] needs %s -- %s", job->path, line,
                       section, key, hint);
}

/* Checks that need the whole file. */
static ccgis_status validate(ccgis_ctx *ctx, ccgis_job *job)
{
    if (!job->output)
        return missing(ctx, job, 1, "job", "output = FOLDER",
                       "the folder to create, relative to the job file");
    if (!job->clusters.present)
        return ccgis_error(ctx, CCGIS_ERR_USAGE,
                           "%s: no [clusters] section -- it is required: source = the cluster "
                           "polygons, id = their id field",
                           job->path);
    const struct {
        const ccgis_job_input *in;
        const char *section;
        const char *need_key;
        size_t need_off;
        const char *hint;
    } req[] = {
        {&job->clusters, "clusters", "id = FIELD", IN(id), "the field holding each cluster's id"},
        {&job->districts, "districts", "name = FIELD", IN(name),
         "the field naming each district"},
        {&job->zoning, "zoning", "class = FIELD", IN(klass), "the field with the land-use code"},
        {&job->plan, "plan", "id = FIELD", IN(id),
         "the field holding each planned cluster's id (equal ids match today's clusters)"},
    };
    const ccgis_job_input *all[] = {&job->clusters, &job->districts, &job->zoning,
                                    &job->villages, &job->plan,      &job->wastewater};
    const char *names[] = {"clusters", "districts", "zoning", "villages", "plan", "wastewater"};
    for (int i = 0; i < 6; i++)
        if (all[i]->present && !all[i]->source)
            return missing(ctx, job, all[i]->line, names[i], "source = FILE",
                           "the layer to read, relative to the job file");
    for (size_t i = 0; i < sizeof req / sizeof req[0]; i++)
        if (req[i].in->present && !*(char *const *)((const char *)req[i].in + req[i].need_off))
            return missing(ctx, job, req[i].in->line, req[i].section, req[i].need_key,
                           req[i].hint);
    if (job->plan_crs) {
        ccgis_crs *crs = NULL;
        if (ccgis_crs_from_user(ctx, job->plan_crs, &crs) != CCGIS_OK) {
            char msg[CCGIS_MSG_MAX];
            snprintf(msg, sizeof msg, "%s", ccgis_errmsg(ctx));
            return ccgis_error(ctx, CCGIS_ERR_USAGE, "%s: [job] plan_crs: %s", job->path, msg);
        }
        int geographic = ccgis_crs_is_geographic(crs);
        ccgis_crs_free(crs);
        if (geographic)
            return ccgis_error(ctx, CCGIS_ERR_USAGE,
                               "%s: [job] plan_crs = %s is geographic (degrees) -- give a "
                               "projected CRS such as EPSG:5897",
                               job->path, job->plan_crs);
    }
    if (job->output_crs) { /* a CRS at all; ccgis_job_check() sees it can be written in */
        ccgis_crs *crs = NULL;
        if (ccgis_crs_from_user(ctx, job->output_crs, &crs) != CCGIS_OK) {
            char msg[CCGIS_MSG_MAX];
            snprintf(msg, sizeof msg, "%s", ccgis_errmsg(ctx));
            return ccgis_error(ctx, CCGIS_ERR_USAGE, "%s:%d: [job] output_crs: %s", job->path,
                               job->line_output_crs, msg);
        }
        ccgis_crs_free(crs);
    }
    if (job->zoning.present && !job->allowed) {
        static const char *const defaults[] = {"SKN", "SKC", "SKK"};
        job->allowed = ccgis_calloc(ctx, 4, sizeof *job->allowed);
        if (!job->allowed)
            return CCGIS_ERR_NOMEM;
        for (int i = 0; i < 3; i++)
            if (!(job->allowed[i] = ccgis_strdup(ctx, defaults[i])))
                return CCGIS_ERR_NOMEM;
    }
    if (!job->operating) {
        static const char *const defaults[] = {"đang hoạt động", "operating"};
        job->operating = ccgis_calloc(ctx, 3, sizeof *job->operating);
        if (!job->operating)
            return CCGIS_ERR_NOMEM;
        for (int i = 0; i < 2; i++)
            if (!(job->operating[i] = ccgis_strdup(ctx, defaults[i])))
                return CCGIS_ERR_NOMEM;
    }
    if (!job->name) {
        const char *b = strrchr(job->path, '/');
        job->name = ccgis_strdup(ctx, b ? b + 1 : job->path);
        if (!job->name)
            return CCGIS_ERR_NOMEM;
    }
    return CCGIS_OK;
}

/* ccgis_job_read: see job.h. */
ccgis_status ccgis_job_read(ccgis_ctx *ctx, const char *path, ccgis_job **out)
{
    *out = NULL;
    ccgis_job *job = ccgis_calloc(ctx, 1, sizeof *job);
    if (!job)
        return CCGIS_ERR_NOMEM;
    job->formats = CCGIS_FMT_GEOJSON | CCGIS_FMT_SHP;
    job->radius_m = 2000.0;
    job->sliver = 1e-4;
    job->sliver_m2 = 1.0;
    job->declared_tol_pct = 5.0;
    job->wwtp_max_m = CCGIS_WWTP_MAX_M_DEFAULT;
    static const double breaks[] = {5, 10, 20, 50}; /* [style] conflict_breaks */
    memcpy(job->conflict_breaks, breaks, sizeof breaks);
    job->n_conflict_breaks = 4;
    job->path = ccgis_strdup(ctx, path);
    char *dir = ccgis_strdup(ctx, path);
    parse p = {.ctx = ctx, .job = job};
    ccgis_status st = CCGIS_OK;
    if (!job->path || !dir) {
        st = CCGIS_ERR_NOMEM;
        goto done;
    }
    char *slash = strrchr(dir, '/');
    if (slash)
        slash == dir ? (void)(dir[1] = '\0') : (void)(*slash = '\0');
    p.dir = slash ? dir : ".";
    p.f = fopen(path, "r");
    if (!p.f) {
        st = ccgis_error(ctx, errno == ENOENT ? CCGIS_ERR_NOT_FOUND : CCGIS_ERR_INPUT,
                         "%s: cannot read the job file (%s) -- check the path", path,
                         strerror(errno));
        goto done;
    }
    int bad = ini_parse_stream(read_line, &p, on_key, &p);
    fclose(p.f);
    if (p.st != CCGIS_OK) {
        st = p.st;
        goto done;
    }
    if (p.long_line) {
        st = ccgis_error(ctx, CCGIS_ERR_USAGE,
                         "%s:%d: line longer than %d bytes (a Vietnamese letter takes 2 or 3) "
                         "-- shorten it (use a shorter relative path)",
                         path, p.long_line, INI_MAX_LINE - 2);
        goto done;
    }
    if (bad) {
        st = ccgis_error(ctx, CCGIS_ERR_USAGE,
                         "%s:%d: not a job file line -- write [section] or key = value",
                         path, bad);
        goto done;
    }
    st = validate(ctx, job);
done:
    free(dir);
    if (st == CCGIS_OK)
        *out = job;
    else
        ccgis_job_free(job);
    return st;
}

/* Re-record the context's error with "FILE:LINE: [section] " in front. */
static ccgis_status at_line(ccgis_ctx *ctx, ccgis_status st, const ccgis_job *job, int line,
                            const char *section)
{
    char msg[CCGIS_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", ccgis_errmsg(ctx));
    return ccgis_error(ctx, st, "%s:%d: [%s] %s", job->path, line, section, msg);
}

/* Check one input: it opens, the layer is there, each named field exists. */
static ccgis_status check_input(ccgis_ctx *ctx, const ccgis_job *job, const ccgis_job_input *in,
                                const char *section)
{
    if (!in->present)
        return CCGIS_OK;
    GDALDatasetH ds = NULL;
    OGRLayerH layer = NULL;
    ccgis_status st = ccgis_source_open_enc(ctx, in->source, in->encoding, &ds);
    if (st != CCGIS_OK)
        return at_line(ctx, st, job, in->line_source, section);
    GDALDatasetH merged = NULL; /* a KML's folders read as one layer */
    st = ccgis_kml_merge(ctx, ds, in->source, in->layer,
                         in->keep_fields && strcasecmp(in->keep_fields, "all") == 0, &merged);
    if (merged) {
        GDALClose(ds);
        ds = merged;
    }
    if (st == CCGIS_OK)
        st = ccgis_source_pick_layer(ctx, ds, in->source, in->layer, &layer);
    if (st == CCGIS_OK && ccgis_layer_is_empty(layer))
        st = ccgis_error_at(ctx, CCGIS_ERR_INPUT,
                            (ccgis_where){in->source, OGR_L_GetName(layer), -1},
                            "the layer has no features -- is this the right file or layer?");
    if (st != CCGIS_OK) {
        GDALClose(ds);
        return at_line(ctx, st, job, in->line_source, section);
    }
    const struct {
        const char *field, *key;
        int line;
    } fields[] = {{in->id, "id", in->line_id},
                  {in->name, "name", in->line_name},
                  {in->status, "status", in->line_status},
                  {in->klass, "class", in->line_class},
                  {in->declared, "declared_ha", in->line_declared},
                  {in->year_set_up, "year_set_up", in->line_year_set_up},
                  {in->construction_start, "construction_start", in->line_construction_start},
                  {in->plan_1500, "plan_1500", in->line_plan_1500},
                  {in->clearance_pct, "clearance_pct", in->line_clearance_pct},
                  {in->enterprises, "enterprises", in->line_enterprises},
                  {in->workers, "workers", in->line_workers},
                  {in->standard_met, "standard_met", in->line_standard_met}};
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int decoded = 0; /* the names read as the layer's text (a legacy .dbf's) */
    for (size_t i = 0; i < sizeof fields / sizeof fields[0] && st == CCGIS_OK; i++) {
        if (!fields[i].field || OGR_FD_GetFieldIndex(defn, fields[i].field) >= 0)
            continue;
        if (!decoded++) {
            ccgis_text_plan plan = {.dec = NULL};
            if (ccgis_text_plan_make(ctx, ds, layer, in->encoding,
                                     (ccgis_where){in->source, OGR_L_GetName(layer), -1},
                                     &plan) == CCGIS_OK)
                ccgis_text_plan_names(ctx, &plan, defn);
            else
                ccgis_clear_error(ctx); /* undecided: the run says why */
            ccgis_text_plan_clear(&plan);
            if (OGR_FD_GetFieldIndex(defn, fields[i].field) >= 0)
                continue;
        }
        char names[512];
        ccgis_field_list(defn, names, sizeof names);
        st = ccgis_error(ctx, CCGIS_ERR_USAGE,
                         "%s:%d: [%s] %s = %s: %s has no field '%s' -- the fields are: %s",
                         job->path, fields[i].line, section, fields[i].key, fields[i].field,
                         in->source, fields[i].field, names);
    }
    GDALClose(ds);
    return st;
}

/* ccgis_job_check: see job.h. */
ccgis_status ccgis_job_check(ccgis_ctx *ctx, const ccgis_job *job)
{
    ccgis_status st;
    ccgis_crs *out = NULL;
    if (job->output_crs && ccgis_crs_for_output(ctx, job->output_crs, &out) != CCGIS_OK) {
        char msg[CCGIS_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", ccgis_errmsg(ctx));
        return ccgis_error(ctx, CCGIS_ERR_USAGE, "%s:%d: [job] output_crs: %s", job->path,
                           job->line_output_crs, msg);
    }
    ccgis_crs_free(out);
    ccgis_gdal_begin(ctx);
    if ((st = check_input(ctx, job, &job->clusters, "clusters")) == CCGIS_OK &&
        (st = check_input(ctx, job, &job->districts, "districts")) == CCGIS_OK &&
        (st = check_input(ctx, job, &job->zoning, "zoning")) == CCGIS_OK &&
        (st = check_input(ctx, job, &job->villages, "villages")) == CCGIS_OK &&
        (st = check_input(ctx, job, &job->plan, "plan")) == CCGIS_OK)
        st = check_input(ctx, job, &job->wastewater, "wastewater");
    ccgis_gdal_end(ctx);
    return st;
}

/* ccgis_job_check_classes: see job.h. */
ccgis_status ccgis_job_check_classes(ccgis_ctx *ctx, const ccgis_job *job, size_t *unmet)
{
    const ccgis_job_input *z = &job->zoning;
    *unmet = 0;
    if (!z->present || !z->klass || !job->allowed)
        return CCGIS_OK;
    GDALDatasetH ds = NULL;
    OGRLayerH layer = NULL;
    ccgis_text_plan text = {.dec = NULL};
    ccgis_status st;
    ccgis_gdal_begin(ctx);
    if ((st = ccgis_source_open_enc(ctx, z->source, z->encoding, &ds)) != CCGIS_OK ||
        (st = ccgis_source_pick_layer(ctx, ds, z->source, z->layer, &layer)) != CCGIS_OK) {
        st = at_line(ctx, st, job, z->line_source, "zoning");
        goto done;
    }
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int ci = OGR_FD_GetFieldIndex(defn, z->klass);
    if (ci < 0)
        goto done; /* ccgis_job_check() says so */
    if (z->where)
        OGR_L_SetAttributeFilter(layer, z->where);
    /* The classes read as the overlay reads them (encoding.c). */
    ccgis_where where = {z->source, OGR_L_GetName(layer), -1};
    if ((st = ccgis_text_plan_make(ctx, ds, layer, z->encoding, where, &text)) != CCGIS_OK) {
        st = at_line(ctx, st, job, z->line_source, "zoning");
        goto done;
    }
    /* Only the class is read: no geometry, no other field. */
    int nf = OGR_FD_GetFieldCount(defn);
    const char **ignored = calloc((size_t)nf + 3, sizeof *ignored);
    if (ignored) {
        int k = 0;
        for (int i = 0; i < nf; i++)
            if (i != ci)
                ignored[k++] = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
        ignored[k++] = "OGR_GEOMETRY";
        ignored[k++] = "OGR_STYLE";
        OGR_L_SetIgnoredFields(layer, ignored);
        free(ignored);
    }
    /* The distinct class keys, with the first spelling of each. */
    char **keys = NULL, **shown = NULL;
    size_t n = 0, cap = 0, cap2 = 0;
    OGRFeatureH f;
    OGR_L_ResetReading(layer);
    while (st == CCGIS_OK && (f = OGR_L_GetNextFeature(layer)) != NULL) {
        ccgis_status ts;
        where.fid = (long long)OGR_F_GetFID(f);
        ccgis_text_plan_apply(ctx, &text, f, where, &ts);
        if (ts != CCGIS_OK) {
            OGR_F_Destroy(f);
            st = at_line(ctx, ts, job, z->line_source, "zoning");
            break;
        }
        char *clean = OGR_F_IsFieldSetAndNotNull(f, ci)
                          ? ccgis_class_clean(ctx, OGR_F_GetFieldAsString(f, ci))
                          : ccgis_strdup(ctx, "");
        char *key = clean ? ccgis_class_key(ctx, clean) : NULL;
        OGR_F_Destroy(f);
        if (!clean || !key) {
            free(clean);
            free(key);
            st = CCGIS_ERR_NOMEM;
            break;
        }
        size_t k = 0;
        while (k < n && strcmp(keys[k], key) != 0)
            k++;
        if (k < n || !key[0] || n >= 200) { /* known, blank, or enough to list */
            free(clean);
            free(key);
            continue;
        }
        if (!ccgis_grow(ctx, (void **)&keys, &cap, n, sizeof *keys) ||
            !ccgis_grow(ctx, (void **)&shown, &cap2, n, sizeof *shown)) {
            free(clean);
            free(key);
            st = CCGIS_ERR_NOMEM;
            break;
        }
        keys[n] = key;
        shown[n++] = clean;
    }
    char met[512] = "";
    size_t used = 0;
    for (size_t k = 0; k < n && used < sizeof met - 1; k++) {
        int w = snprintf(met + used, sizeof met - used, "%s%s", k ? ", " : "", shown[k]);
        if (w > 0)
            used += (size_t)w < sizeof met - used ? (size_t)w : sizeof met - used - 1;
    }
    for (char **a = job->allowed; st == CCGIS_OK && *a; a++) {
        char *clean = ccgis_class_clean(ctx, *a);
        char *key = clean ? ccgis_class_key(ctx, clean) : NULL;
        int found = 0;
        for (size_t k = 0; key && k < n && !found; k++)
            found = strcmp(keys[k], key) == 0;
        if (key && !found) {
            (*unmet)++;
            ccgis_msg(ctx, CCGIS_WARNING,
                      "%s:%d: [zoning] allowed class '%s' occurs in no zone of %s -- check the "
                      "code; the classes there are: %s",
                      job->path, job->line_allowed, *a, z->source, n ? met : "(none)");
        }
        if (!key)
            st = CCGIS_ERR_NOMEM;
        free(clean);
        free(key);
    }
    for (size_t k = 0; k < n; k++) {
        free(keys[k]);
        free(shown[k]);
    }
    free(keys);
    free(shown);
done:
    ccgis_text_plan_clear(&text);
    if (ds)
        GDALClose(ds);
    ccgis_gdal_end(ctx);
    return st;
}

/* Free the strings of one input section. */
static void input_clear(ccgis_job_input *in)
{
    free(in->source);
    free(in->layer);
    free(in->srs);
    free(in->encoding);
    free(in->id);
    free(in->name);
    free(in->status);
    free(in->declared);
    free(in->klass);
    free(in->where);
    free(in->x);
    free(in->y);
    free(in->keep_fields);
    free(in->year_set_up);
    free(in->construction_start);
    free(in->plan_1500);
    free(in->clearance_pct);
    free(in->enterprises);
    free(in->workers);
    free(in->standard_met);
}

/* ccgis_job_free: see job.h. */
ccgis_job *ccgis_job_free(ccgis_job *job)
{
    if (!job)
        return NULL;
    input_clear(&job->clusters);
    input_clear(&job->districts);
    input_clear(&job->zoning);
    input_clear(&job->villages);
    input_clear(&job->plan);
    input_clear(&job->wastewater);
    for (char **a = job->allowed; a && *a; a++)
        free(*a);
    free(job->allowed);
    for (char **a = job->operating; a && *a; a++)
        free(*a);
    free(job->operating);
    free(job->path);
    free(job->name);
    free(job->output);
    free(job->plan_crs);
    free(job->output_crs);
    free(job->author);
    free(job->abstract);
    free(job);
    return NULL;
}
