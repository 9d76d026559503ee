/*
 * source.c -- opening vector sources with GDAL and finding their layers.
 *
 * A "source" is what the user names: a file, a folder of shapefiles, or a
 * GDAL connection string ("PG:dbname=...", "/vsizip/...").  Files are checked
 * before GDAL sees them so that a missing or unreadable file gets its own
 * message instead of GDAL's generic "not recognized", and so that a named
 * pipe, socket or device -- which GDAL would wait on forever -- is refused
 * before anything opens it (also behind a GDAL prefix: "GPKG:f.gpkg:layer",
 * "/vsizip/f.zip/x.shp", and for a shapefile's sidecar files).
 *
 * Network sources must not wait forever either: a PostgreSQL connection
 * string gets connect_timeout=10 and a statement_timeout of 5 minutes unless
 * it (or PGCONNECT_TIMEOUT / PGOPTIONS) says otherwise -- without the
 * latter when a pooler such as PgBouncer refuses the options parameter --
 * and HTTP sources (WFS:, http://, /vsicurl/) run with GDAL's connect
 * timeout of 10 s and a stall limit of 60 s unless GDAL_HTTP_CONNECTTIMEOUT
 * / GDAL_HTTP_LOW_SPEED_TIME are set (GDAL configuration, process-wide).
 * What a signal must end while GDAL waits is the command's business
 * (src/cli/interrupt.c).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cpl_conv.h>

#include "internal.h"

/* 1 if `source` is a GDAL connection string or virtual path rather than a
 * plain file name: "/vsi..." or a driver prefix such as "PG:" (two or more
 * letters before the first colon, so that "C:" is not one). */
static int is_connection_string(const char *source)
{
    if (strncmp(source, "/vsi", 4) == 0)
        return 1;
    size_t n = 0;
    while (isalnum((unsigned char)source[n]) || source[n] == '_')
        n++;
    return n >= 2 && source[n] == ':';
}

/*
 * What kind of special file `st` is -- "a named pipe (FIFO)", "a socket", "a
 * character device", "a block device" -- or NULL for a regular file or a
 * folder.  Reading any of these can block until another program writes.
 */
static const char *special_kind(const struct stat *st)
{
    if (S_ISFIFO(st->st_mode))
        return "a named pipe (FIFO)";
    if (S_ISSOCK(st->st_mode))
        return "a socket";
    if (S_ISCHR(st->st_mode))
        return "a character device";
    if (S_ISBLK(st->st_mode))
        return "a block device";
    return NULL;
}

/* Refuse `path` (naming `source`) when it is a special file; CCGIS_OK when it
 * is not, or cannot be examined (GDAL will then say what is wrong). */
static ccgis_status refuse_special(ccgis_ctx *ctx, const char *source, const char *path)
{
    struct stat st;
    const char *kind = stat(path, &st) == 0 ? special_kind(&st) : NULL;
    if (!kind)
        return CCGIS_OK;
    if (strcmp(path, source) == 0)
        return ccgis_error_at(ctx, CCGIS_ERR_INPUT, (ccgis_where){source, NULL, -1},
                              "is %s, not a file -- ccgis reads only regular files (reading it "
                              "could wait forever for a writer); save the data to a file first",
                              kind);
    return ccgis_error_at(ctx, CCGIS_ERR_INPUT, (ccgis_where){source, NULL, -1},
                          "%s is %s, not a file -- ccgis reads only regular files (reading it "
                          "could wait forever for a writer); save the data to a file first",
                          path, kind);
}

/*
 * The file a connection string or virtual path reads, when it names one:
 * "/vsizip/a/b.zip/x.shp" -> "a/b.zip" (the longest leading part that
 * exists), "GPKG:a/b.gpkg:layer" or "CSV:a.csv" -> the path after the driver
 * prefix, without a trailing ":layer" when the whole does not exist.  Copies
 * it into buf (cap bytes) and returns 1, or 0 when no such file exists (a
 * database, a URL...).
 */
static int file_behind(const char *source, char *buf, size_t cap)
{
    const char *rest = source;
    struct stat st;
    if (strncmp(source, "/vsi", 4) == 0) {
        const char *slash = strchr(source + 1, '/'); /* end of "/vsizip" */
        if (!slash)
            return 0;
        rest = slash + 1;
        if (strncmp(rest, "{", 1) == 0) /* /vsizip/{path}/inner */
            rest++;
        if (snprintf(buf, cap, "%s%s", *rest == '/' ? "" : "", rest) >= (int)cap)
            return 0;
        for (;;) { /* the longest leading part that exists */
            if (stat(buf, &st) == 0)
                return 1;
            char *cut = strrchr(buf, '/');
            if (!cut || cut == buf)
                return 0;
            *cut = '\0';
        }
    }
    size_t n = 0;
    while (isalnum((unsigned char)source[n]) || source[n] == '_')
        n++;
    rest = source + n + 1;
    if (snprintf(buf, cap, "%s", rest) >= (int)cap)
        return 0;
    if (stat(buf, &st) == 0)
        return 1;
    char *colon = strrchr(buf, ':');
    if (colon) {
        *colon = '\0';
        if (stat(buf, &st) == 0)
            return 1;
    }
    return 0;
}

/* 1 if `source` starts with `prefix`, ignoring case. */
static int starts_with(const char *source, const char *prefix)
{
    return strncasecmp(source, prefix, strlen(prefix)) == 0;
}

/* 1 if the libpq connection string (after "PG:") sets `key`. */
static int pg_has_key(const char *conn, const char *key)
{
    size_t n = strlen(key);
    for (const char *p = conn; (p = strstr(p, key)) != NULL; p += n) {
        int starts = p == conn || isspace((unsigned char)p[-1]);
        const char *q = p + n;
        while (isspace((unsigned char)*q))
            q++;
        if (starts && *q == '=')
            return 1;
    }
    return 0;
}

/*
 * The connection string to give GDAL for a PostgreSQL source: the user's,
 * plus connect_timeout=10 when neither it nor PGCONNECT_TIMEOUT sets one, and
 * options='-c statement_timeout=300000' (5 minutes) when neither it nor
 * PGOPTIONS sets options.  Into buf (cap bytes); returns buf, or `source`
 * itself when nothing is added or it would not fit.
 */
static const char *pg_with_timeouts(const char *source, char *buf, size_t cap)
{
    const char *conn = source + 3;
    int add_connect = !pg_has_key(conn, "connect_timeout") && !getenv("PGCONNECT_TIMEOUT");
    int add_options = !pg_has_key(conn, "options") && !getenv("PGOPTIONS");
    if (!add_connect && !add_options)
        return source;
    int w = snprintf(buf, cap, "%s%s%s", source,
                     add_connect ? " connect_timeout=" CCGIS_PG_CONNECT_TIMEOUT_S : "",
                     add_options ? " options='-c statement_timeout=" CCGIS_PG_STATEMENT_TIMEOUT_MS
                                   "'"
                                 : "");
    return w > 0 && (size_t)w < cap ? buf : source;
}

/* For a source read over HTTP, GDAL's connect timeout and stall limit, unless
 * the user set them (GDAL configuration, process-wide). */
static void http_timeouts(const char *source)
{
    if (!starts_with(source, "WFS:") && !starts_with(source, "http://") &&
        !starts_with(source, "https://") && !starts_with(source, "/vsicurl"))
        return;
    if (!CPLGetConfigOption("GDAL_HTTP_CONNECTTIMEOUT", NULL))
        CPLSetConfigOption("GDAL_HTTP_CONNECTTIMEOUT", "10");
    if (!CPLGetConfigOption("GDAL_HTTP_LOW_SPEED_TIME", NULL)) {
        CPLSetConfigOption("GDAL_HTTP_LOW_SPEED_TIME", "60");
        CPLSetConfigOption("GDAL_HTTP_LOW_SPEED_LIMIT", "1");
    }
}

/* ccgis_source_open: see internal.h. */
ccgis_status ccgis_source_open(ccgis_ctx *ctx, const char *source, GDALDatasetH *ds)
{
    return ccgis_source_open_enc(ctx, source, NULL, ds);
}

/* 1 if the path names a shapefile or a bare DBF table. */
static int is_dbf_based(const char *source)
{
    const char *dot = strrchr(source, '.');
    return dot && (strcasecmp(dot, ".shp") == 0 || strcasecmp(dot, ".dbf") == 0);
}

/*
 * Size of the sidecar `ext` of a shapefile (".shx" or ".dbf", either case):
 * opens it into *f.  Returns 0, or -1 when there is none.
 */
static int open_sidecar(const char *shp, const char *ext, FILE **f)
{
    char path[4096];
    size_t n = strlen(shp);
    if (n < 4 || n + 1 > sizeof path)
        return -1;
    memcpy(path, shp, n - 4);
    for (int upper = 0; upper < 2; upper++) {
        for (int i = 0; i < 4; i++)
            path[n - 4 + i] = upper ? (char)toupper((unsigned char)ext[i]) : ext[i];
        path[n] = '\0';
        struct stat st;
        if (stat(path, &st) == 0 && special_kind(&st))
            return -1; /* never open a pipe (refuse_special_sidecars says why) */
        if ((*f = fopen(path, "rb")) != NULL)
            return 0;
    }
    return -1;
}

/* Refuse a shapefile (or DBF) whose sidecar file is a pipe, socket or device:
 * GDAL opens them all and would wait on it forever. */
static ccgis_status refuse_special_sidecars(ccgis_ctx *ctx, const char *source)
{
    static const char *const exts[] = {".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn",
                                       ".sbx"};
    char path[4096];
    size_t n = strlen(source);
    if (n < 4 || n + 1 > sizeof path)
        return CCGIS_OK;
    memcpy(path, source, n + 1);
    for (size_t e = 0; e < sizeof exts / sizeof exts[0]; e++)
        for (int upper = 0; upper < 2; upper++) {
            for (int i = 0; i < 4; i++)
                path[n - 4 + i] =
                    upper ? (char)toupper((unsigned char)exts[e][i]) : exts[e][i];
            ccgis_status st = refuse_special(ctx, source, path);
            if (st != CCGIS_OK)
                return st;
        }
    return CCGIS_OK;
}

/*
 * A shapefile's .shx and .dbf must describe the same number of features;
 * GDAL would otherwise silently read the smaller number.  Returns CCGIS_OK
 * (also when a count cannot be read: GDAL then says what is wrong), or
 * CCGIS_ERR_INPUT naming both counts.
 */
static ccgis_status check_shapefile_counts(ccgis_ctx *ctx, const char *shp)
{
    FILE *shx = NULL, *dbf = NULL;
    long shx_records = -1, dbf_records = -1;
    if (open_sidecar(shp, ".shx", &shx) == 0) {
        if (fseek(shx, 0, SEEK_END) == 0) {
            long size = ftell(shx);
            if (size >= 100)
                shx_records = (size - 100) / 8;
        }
        fclose(shx);
    }
    if (open_sidecar(shp, ".dbf", &dbf) == 0) {
        unsigned char h[8];
        if (fread(h, 1, 8, dbf) == 8)
            dbf_records = (long)((unsigned long)h[4] | (unsigned long)h[5] << 8 |
                                 (unsigned long)h[6] << 16 | (unsigned long)h[7] << 24);
        fclose(dbf);
    }
    if (shx_records >= 0 && dbf_records >= 0 && shx_records != dbf_records)
        return ccgis_error_at(ctx, CCGIS_ERR_INPUT, (ccgis_where){shp, NULL, -1},
                              "the .dbf holds %ld records but the .shp/.shx %ld shapes -- the "
                              "files do not belong together or one was cut short; get the "
                              "complete set again",
                              dbf_records, shx_records);
    return CCGIS_OK;
}

/* ccgis_declared_cp1258: see internal.h. */
int ccgis_declared_cp1258(const char *source)
{
    FILE *f = NULL;
    const char *dot = source ? strrchr(source, '.') : NULL;
    if (!dot || (strcasecmp(dot, ".shp") != 0 && strcasecmp(dot, ".dbf") != 0))
        return 0;
    if (open_sidecar(source, ".cpg", &f) != 0)
        return 0;
    char text[64] = "";
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    char *t = text + strspn(text, " \t\r\n");
    t[strcspn(t, " \t\r\n")] = '\0';
    return strcasecmp(t, "CP1258") == 0 || strcasecmp(t, "1258") == 0 ||
           strcasecmp(t, "windows-1258") == 0 || strcasecmp(t, "ANSI 1258") == 0;
}

/* ccgis_source_open_enc: see internal.h. */
ccgis_status ccgis_source_open_enc(ccgis_ctx *ctx, const char *source, const char *encoding,
                                   GDALDatasetH *ds)
{
    *ds = NULL;
    ccgis_where where = {source, NULL, -1};
    int is_dir = 0;
    if (!is_connection_string(source)) {
        struct stat st;
        if (stat(source, &st) != 0) {
            if (errno == ENOENT || errno == ENOTDIR)
                return ccgis_error_at(ctx, CCGIS_ERR_NOT_FOUND, where,
                                      "no such file or directory -- check the path");
            return ccgis_error_at(ctx, CCGIS_ERR_INPUT, where, "cannot be examined (%s)",
                                  strerror(errno));
        }
        ccgis_status sp = refuse_special(ctx, source, source);
        if (sp != CCGIS_OK)
            return sp;
        if (access(source, R_OK) != 0)
            return ccgis_error_at(ctx, CCGIS_ERR_INPUT, where,
                                  "cannot be read (%s) -- check its permissions",
                                  strerror(errno));
        if (S_ISREG(st.st_mode) && st.st_size == 0)
            return ccgis_error_at(ctx, CCGIS_ERR_NOT_VECTOR, where,
                                  "the file is empty (0 bytes) -- it was not written completely; "
                                  "get it again from its author");
        is_dir = S_ISDIR(st.st_mode);
        if (!is_dir && is_dbf_based(source) && (sp = refuse_special_sidecars(ctx, source)))
            return sp;
        const char *dot = strrchr(source, '.');
        if (!is_dir && dot && strcasecmp(dot, ".shp") == 0) {
            ccgis_status cs = check_shapefile_counts(ctx, source);
            if (cs != CCGIS_OK)
                return cs;
        }
    }
    char behind[4096], conn[8192];
    const char *open_as = source;
    if (is_connection_string(source)) {
        if (file_behind(source, behind, sizeof behind)) {
            ccgis_status sp = refuse_special(ctx, source, behind);
            if (sp != CCGIS_OK)
                return sp;
        }
        if (starts_with(source, "PG:"))
            open_as = pg_with_timeouts(source, conn, sizeof conn);
        http_timeouts(source);
    }
    char opt[128];
    const char *open_opts[2] = {NULL, NULL};
    if ((!encoding || !*encoding || strcasecmp(encoding, "auto") == 0) &&
        ccgis_declared_cp1258(source))
        encoding = "CP1258"; /* GDAL 3.6 would cut each field's last letter */
    if (encoding && *encoding && strcasecmp(encoding, "auto") != 0) {
        if (!is_dbf_based(source))
            return ccgis_error_at(ctx, CCGIS_ERR_USAGE, where,
                                  "an encoding can only be given for a shapefile or DBF (its "
                                  "attribute table) -- other formats declare their own");
        /* Raw bytes: ccgis decodes them itself (encoding.c), NFC included. */
        snprintf(opt, sizeof opt, "ENCODING=");
        open_opts[0] = opt;
    }
    ccgis_gdal_begin(ctx);
    *ds = GDALOpenEx(open_as, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, open_opts, NULL);
    if (!*ds && open_as == conn && strstr(ctx->gdal_msg, "options")) {
        /* A pooler (PgBouncer) may refuse the options startup parameter:
         * then the connect timeout alone. */
        snprintf(conn, sizeof conn, "%s connect_timeout=%s", source,
                 CCGIS_PG_CONNECT_TIMEOUT_S);
        ctx->gdal_msg[0] = '\0';
        *ds = GDALOpenEx(pg_has_key(source + 3, "connect_timeout") ? source : conn,
                         GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, open_opts, NULL);
    }
    ccgis_gdal_end(ctx);
    if (!*ds) {
        if (is_dir)
            return ccgis_error_at(ctx, CCGIS_ERR_NOT_VECTOR, where,
                                  "a folder in which GDAL finds no vector data -- name a file "
                                  "inside it");
        if (starts_with(source, "PG:") && strstr(ctx->gdal_msg, "timeout expired"))
            return ccgis_error_at(ctx, CCGIS_ERR_INPUT, where,
                                  "the database server did not answer in time (%s) -- check "
                                  "host and port and that PostgreSQL runs there; ccgis waits "
                                  "%s s unless connect_timeout= says otherwise",
                                  ctx->gdal_msg, CCGIS_PG_CONNECT_TIMEOUT_S);
        if (ctx->gdal_msg[0] && !strstr(ctx->gdal_msg, "not recognized as a supported"))
            return ccgis_error_at(ctx, CCGIS_ERR_NOT_VECTOR, where,
                                  "GDAL cannot open it as vector data: %s", ctx->gdal_msg);
        return ccgis_error_at(ctx, CCGIS_ERR_NOT_VECTOR, where,
                              "not a vector dataset GDAL can read -- give a Shapefile, "
                              "GeoJSON, GeoPackage, KML, CSV, DXF, SpatiaLite or PG: source "
                              "(ogrinfo --formats lists them all)");
    }
    return CCGIS_OK;
}

/* ccgis_source_layer_list: see internal.h. */
void ccgis_source_layer_list(GDALDatasetH ds, char *buf, size_t cap)
{
    size_t used = 0;
    int n = GDALDatasetGetLayerCount(ds);
    snprintf(buf, cap, "(none)");
    for (int i = 0; i < n && used < cap - 1; i++) {
        const char *ln = OGR_L_GetName(GDALDatasetGetLayer(ds, i));
        int w = snprintf(buf + used, cap - used, "%s'%s'", i ? ", " : "", ln);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* ccgis_source_layer: see internal.h. */
ccgis_status ccgis_source_layer(ccgis_ctx *ctx, GDALDatasetH ds, const char *source,
                                const char *name, OGRLayerH *layer)
{
    *layer = GDALDatasetGetLayerByName(ds, name);
    if (*layer)
        return CCGIS_OK;
    char names[512];
    ccgis_source_layer_list(ds, names, sizeof names);
    ccgis_where where = {source, NULL, -1};
    return ccgis_error_at(ctx, CCGIS_ERR_NO_LAYER, where,
                          "no layer named '%s' -- the layers are: %s", name, names);
}

/* ccgis_field_list: see internal.h. */
void ccgis_field_list(OGRFeatureDefnH defn, char *buf, size_t cap)
{
    size_t used = 0;
    int n = OGR_FD_GetFieldCount(defn);
    snprintf(buf, cap, "(none)");
    for (int i = 0; i < n && used < cap - 1; i++) {
        int w = snprintf(buf + used, cap - used, "%s%s", i ? ", " : "",
                         OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* ccgis_source_pick_layer: see internal.h. */
ccgis_status ccgis_source_pick_layer(ccgis_ctx *ctx, GDALDatasetH ds, const char *source,
                                     const char *name, OGRLayerH *layer)
{
    if (name)
        return ccgis_source_layer(ctx, ds, source, name, layer);
    int n = GDALDatasetGetLayerCount(ds);
    if (n == 1) {
        *layer = GDALDatasetGetLayer(ds, 0);
        return CCGIS_OK;
    }
    char names[512];
    ccgis_source_layer_list(ds, names, sizeof names);
    *layer = NULL;
    return ccgis_error_at(ctx, CCGIS_ERR_USAGE, (ccgis_where){source, NULL, -1},
                          "%d layers and none named -- name one with layer= (--layer): %s", n,
                          names);
}

/* ccgis_layer_is_empty: see internal.h. */
int ccgis_layer_is_empty(OGRLayerH layer)
{
    OGR_L_ResetReading(layer);
    OGRFeatureH f = OGR_L_GetNextFeature(layer);
    OGR_L_ResetReading(layer);
    if (!f)
        return 1;
    OGR_F_Destroy(f);
    return 0;
}

/* ccgis_looks_vn2000: see internal.h. */
int ccgis_looks_vn2000(OGRLayerH layer, char *what, size_t cap)
{
    OGREnvelope e;
    if (OGR_L_GetExtent(layer, &e, TRUE) != OGRERR_NONE)
        return 0;
    const double box[4] = {e.MinX, e.MinY, e.MaxX, e.MaxY};
    return ccgis_box_looks_vn2000(box, what, cap);
}
