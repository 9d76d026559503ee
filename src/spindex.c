/*
 * spindex.c -- whether a source's spatial index agrees with its table (see
 * internal.h, ccgis_spatial_index_stale).
 *
 * The overlay reads only the zones near the inputs by asking the source's
 * spatial index.  An index that lost entries (a GeoPackage copied by a tool
 * that dropped part of its R-tree, a shapefile edited after its .qix was
 * made) makes GDAL return only part of the zones, without any error: the
 * figures come out wrong.  So before trusting an index ccgis counts what it
 * holds against what the table holds:
 *
 *   GeoPackage   rtree_<table>_<geom>: one entry per geometry that is
 *                neither NULL nor empty;
 *   SpatiaLite   idx_<table>_<geom>: the same;
 *   Shapefile    the .qix header's shape count against the .shx's records.
 *
 * Counting costs one pass over the index's rowid table (15 ms for a million
 * entries) and, when its count differs from the layer's feature count (NULL
 * or empty geometries, or a stale index), one pass over the table.  Extents
 * are not compared: that would read every geometry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <cpl_error.h>

#include "internal.h"

/* The single integer a COUNT(*) statement gives, or -1 when it fails (no
 * such table, no such function...).  GDAL's complaints are silenced. */
static long long count_of(GDALDatasetH ds, const char *sql)
{
    long long n = -1;
    CPLPushErrorHandler(CPLQuietErrorHandler);
    OGRLayerH r = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
    if (r) {
        OGRFeatureH f = OGR_L_GetNextFeature(r);
        if (f) {
            if (OGR_F_GetFieldCount(f) > 0 && OGR_F_IsFieldSetAndNotNull(f, 0))
                n = (long long)OGR_F_GetFieldAsInteger64(f, 0);
            OGR_F_Destroy(f);
        }
        GDALDatasetReleaseResultSet(ds, r);
    }
    CPLPopErrorHandler();
    CPLErrorReset();
    return n;
}

/* `name` as an SQL identifier ("..." with inner quotes doubled) into buf;
 * returns 0 when it does not fit. */
static int quoted(const char *name, char *buf, size_t cap)
{
    size_t k = 0;
    if (cap < 3)
        return 0;
    buf[k++] = '"';
    for (const char *p = name; *p; p++) {
        if (k + 3 >= cap)
            return 0;
        if (*p == '"')
            buf[k++] = '"';
        buf[k++] = *p;
    }
    buf[k++] = '"';
    buf[k] = '\0';
    return 1;
}

/* An SQLite index table (GeoPackage R-tree, SpatiaLite idx_) against the
 * table: 1 and the sentence in why when they disagree. */
static int sqlite_index_stale(GDALDatasetH ds, OGRLayerH layer, const char *prefix,
                              const char *empty_test, char *why, size_t cap)
{
    const char *table = OGR_L_GetName(layer), *geom = OGR_L_GetGeometryColumn(layer);
    if (!geom || !*geom)
        return 0;
    char index[512], shadow[520], qindex[1100], qshadow[1100], qtable[1100], qgeom[1100], sql[4096];
    if (snprintf(index, sizeof index, "%s%s_%s", prefix, table, geom) >= (int)sizeof index ||
        snprintf(shadow, sizeof shadow, "%s_rowid", index) >= (int)sizeof shadow ||
        !quoted(index, qindex, sizeof qindex) || !quoted(shadow, qshadow, sizeof qshadow) ||
        !quoted(table, qtable, sizeof qtable) || !quoted(geom, qgeom, sizeof qgeom))
        return 0;
    /* The R-tree's rowid shadow table has a row per entry and counts 100 times
     * faster than the virtual table (15 ms for a million). */
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", qshadow);
    long long in_index = count_of(ds, sql);
    if (in_index < 0) {
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", qindex);
        in_index = count_of(ds, sql);
    }
    if (in_index < 0)
        return 0; /* no index table: GDAL does not use one either */
    GIntBig features = OGR_L_GetFeatureCount(layer, FALSE);
    if (features >= 0 && in_index == (long long)features)
        return 0; /* the usual case: one entry per feature */
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s WHERE %s IS NOT NULL%s%s%s", qtable, qgeom,
             empty_test ? " AND NOT " : "", empty_test ? empty_test : "", empty_test ? qgeom : "");
    if (empty_test)
        strncat(sql, ")", sizeof sql - strlen(sql) - 1);
    long long with_geometry = count_of(ds, sql);
    if (with_geometry < 0 || with_geometry == in_index)
        return 0;
    snprintf(why, cap,
             "its spatial index %s holds %lld entries but the layer has %lld geometries: the "
             "index is out of date and would hide %s",
             index, in_index, with_geometry,
             in_index < with_geometry ? "part of the zones" : "nothing, yet cannot be trusted");
    return 1;
}

/* A 32-bit integer of the .qix header, in its byte order (1: LSB first). */
static long qix_int(const unsigned char *b, int lsb)
{
    unsigned long v = lsb ? (unsigned long)b[0] | (unsigned long)b[1] << 8 |
                                (unsigned long)b[2] << 16 | (unsigned long)b[3] << 24
                          : (unsigned long)b[3] | (unsigned long)b[2] << 8 |
                                (unsigned long)b[1] << 16 | (unsigned long)b[0] << 24;
    return (long)v;
}

/* Path of the sidecar `ext` (".qix"...) of a shapefile, either case, that
 * exists, into buf; 0 when there is none. */
static int sidecar(const char *shp, const char *ext, char *buf, size_t cap)
{
    size_t n = strlen(shp);
    if (n < 4 || n + 1 > cap || strcasecmp(shp + n - 4, ".shp") != 0)
        return 0;
    struct stat st;
    for (int upper = 0; upper < 2; upper++) {
        memcpy(buf, shp, n + 1);
        for (int i = 0; i < 4; i++)
            buf[n - 4 + i] = upper ? (char)(ext[i] >= 'a' ? ext[i] - 32 : ext[i]) : ext[i];
        if (stat(buf, &st) == 0 && S_ISREG(st.st_mode))
            return 1;
    }
    return 0;
}

/* A shapefile's .qix against its .shx: 1 and the sentence when they differ. */
static int qix_stale(const char *source, char *why, size_t cap)
{
    char qix[4096], shx[4096];
    if (!sidecar(source, ".qix", qix, sizeof qix) || !sidecar(source, ".shx", shx, sizeof shx))
        return 0;
    unsigned char h[16];
    FILE *f = fopen(qix, "rb");
    size_t got = f ? fread(h, 1, sizeof h, f) : 0;
    if (f)
        fclose(f);
    struct stat st;
    if (got != sizeof h || memcmp(h, "SQT", 3) != 0 || stat(shx, &st) != 0 || st.st_size < 100)
        return 0; /* not a shapelib quadtree: GDAL does not use it either */
    long shapes = qix_int(h + 8, h[3] != 2);
    long records = (long)((st.st_size - 100) / 8);
    if (shapes == records)
        return 0;
    snprintf(why, cap,
             "its spatial index %s was made for %ld shapes but the shapefile has %ld: the index "
             "is out of date and would hide part of the zones",
             qix, shapes, records);
    return 1;
}

/* ccgis_spatial_index_stale: see internal.h. */
int ccgis_spatial_index_stale(GDALDatasetH ds, OGRLayerH layer, const char *source, char *why,
                              size_t cap)
{
    const char *drv = GDALGetDriverShortName(GDALGetDatasetDriver(ds));
    if (strcmp(drv, "GPKG") == 0)
        return sqlite_index_stale(ds, layer, "rtree_", "ST_IsEmpty(", why, cap);
    if (strcmp(drv, "SQLite") == 0)
        return sqlite_index_stale(ds, layer, "idx_", NULL, why, cap);
    if (strcmp(drv, "ESRI Shapefile") == 0)
        return qix_stale(source, why, cap);
    return 0;
}
