/*
 * dropped.c -- what GDAL leaves out of a source without a word, counted and
 * warned about before it is read (see internal.h, ccgis_source_dropped).
 *
 *   - A .dbf record whose deletion flag is set ('*' instead of ' ' in its
 *     first byte: a record "deleted" in an editor that never packed the
 *     table) is skipped by GDAL's shapefile driver as if it did not exist,
 *     though its shape is still in the .shp.
 *   - A NUL character written as \u0000 inside a JSON string cuts the value
 *     there: GDAL's strings end at the first NUL, so "CCN01\u0000x" is read
 *     "CCN01" -- an id too.
 *
 * Both are found by reading the file's bytes: the .dbf's deletion flags (one
 * byte per record, read in 1 MiB blocks) and the JSON text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "internal.h"

#define BLOCK (1 << 20)

/* The .dbf beside `source` (a .shp or .dbf path, either case) into buf;
 * 0 when there is none. */
static int dbf_path(const char *source, char *buf, size_t cap)
{
    size_t n = strlen(source);
    if (n < 4 || n + 1 > cap ||
        (strcasecmp(source + n - 4, ".shp") != 0 && strcasecmp(source + n - 4, ".dbf") != 0))
        return 0;
    struct stat st;
    static const char *const ext[] = {".dbf", ".DBF"};
    for (int e = 0; e < 2; e++) {
        memcpy(buf, source, n - 4);
        memcpy(buf + n - 4, ext[e], 5);
        if (stat(buf, &st) == 0 && S_ISREG(st.st_mode))
            return 1;
    }
    return 0;
}

/* Records of a .dbf flagged deleted (the first at *first, 0-based), or -1
 * when the file cannot be read as a dBASE table (GDAL will then say so). */
static long long deleted_records(const char *dbf, long long *first)
{
    FILE *f = fopen(dbf, "rb");
    unsigned char h[12];
    if (!f)
        return -1;
    if (fread(h, 1, sizeof h, f) != sizeof h) {
        fclose(f);
        return -1;
    }
    unsigned long records = (unsigned long)h[4] | (unsigned long)h[5] << 8 |
                            (unsigned long)h[6] << 16 | (unsigned long)h[7] << 24;
    unsigned header = (unsigned)h[8] | (unsigned)h[9] << 8;
    unsigned size = (unsigned)h[10] | (unsigned)h[11] << 8;
    unsigned char *buf = malloc(BLOCK);
    long long deleted = 0;
    *first = -1;
    if (!buf || size == 0 || header < 32 || fseek(f, (long)header, SEEK_SET) != 0) {
        free(buf);
        fclose(f);
        return -1;
    }
    /* Whole records per block; a record is never split between blocks. */
    size_t per_block = size <= BLOCK ? BLOCK / size : 1;
    unsigned long done = 0;
    while (done < records) {
        size_t want = records - done < per_block ? (size_t)(records - done) : per_block;
        size_t got = fread(buf, 1, want * size, f) / size;
        for (size_t r = 0; r < got; r++)
            if (buf[r * size] == '*' && deleted++ == 0)
                *first = (long long)(done + r);
        done += got;
        if (got < want)
            break; /* cut short: GDAL reports that */
    }
    free(buf);
    fclose(f);
    return deleted;
}

/* NUL characters (\u0000, either case) inside the JSON file `path`, the
 * line of the first in *line; -1 when it cannot be read. */
static long long json_nuls(const char *path, long long *line)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    unsigned char *buf = malloc(BLOCK);
    if (!buf) {
        fclose(f);
        return -1;
    }
    /* A small state machine over the bytes: the run of backslashes before
     * the current byte (odd: the byte is escaped), then how much of "u0000"
     * followed an escaping backslash. */
    static const char pattern[] = "u0000";
    long long count = 0, lines = 1;
    size_t slashes = 0, matched = 0, got;
    *line = 0;
    while ((got = fread(buf, 1, BLOCK, f)) > 0) {
        for (size_t i = 0; i < got; i++) {
            unsigned char c = buf[i];
            if (c == '\n')
                lines++;
            if (matched) {
                if (c == (unsigned char)pattern[matched]) {
                    if (++matched == sizeof pattern - 1) {
                        if (count++ == 0)
                            *line = lines;
                        matched = 0;
                    }
                    continue;
                }
                matched = 0; /* another escape: c is read afresh */
            }
            if (c == '\\') {
                slashes++;
                continue;
            }
            if (c == 'u' && slashes % 2 == 1)
                matched = 1;
            slashes = 0;
        }
    }
    free(buf);
    fclose(f);
    return count;
}

/* 1 if the driver reads JSON text (GeoJSON and its kin). */
static int json_driver(const char *driver)
{
    return strcmp(driver, "GeoJSON") == 0 || strcmp(driver, "GeoJSONSeq") == 0 ||
           strcmp(driver, "ESRIJSON") == 0 || strcmp(driver, "TopoJSON") == 0;
}

/* ccgis_source_dropped: see internal.h. */
void ccgis_source_dropped(ccgis_ctx *ctx, GDALDatasetH ds, const char *source, const char *layer)
{
    const char *driver = GDALGetDriverShortName(GDALGetDatasetDriver(ds));
    ccgis_where where = {source, layer, -1};
    struct stat st;
    if (stat(source, &st) != 0 || !S_ISREG(st.st_mode))
        return; /* a connection string, a folder, a virtual path: not looked at */
    char dbf[4096];
    if (strcmp(driver, "ESRI Shapefile") == 0 && dbf_path(source, dbf, sizeof dbf)) {
        long long first = -1, n = deleted_records(dbf, &first);
        if (n > 0)
            ccgis_msg_at(ctx, CCGIS_WARNING, where,
                         "%lld records of its .dbf are flagged deleted (the first is record "
                         "%lld): GDAL does not read them, so those %lld features are left out of "
                         "every figure -- if they should count, undelete them in the editor that "
                         "deleted them; if not, pack the table (save the layer again)",
                         n, first, n);
    }
    if (json_driver(driver)) {
        long long line = 0, n = json_nuls(source, &line);
        if (n > 0)
            ccgis_msg_at(ctx, CCGIS_WARNING, where,
                         "%lld text values hold a NUL character (\\u0000; the first on line "
                         "%lld) and are read cut short there -- ids and names included; remove "
                         "the \\u0000 from the file",
                         n, line);
    }
}
