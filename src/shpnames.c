/*
 * shpnames.c -- the names fields take in a Shapefile (see internal.h).
 *
 * A Shapefile keeps its attributes in a dBASE file (.dbf), whose field
 * names hold at most 10 bytes; ccgis writes them in UTF-8 (the .cpg says
 * so), where a Vietnamese letter takes 2 or 3 bytes ("Tên làng" is 10
 * bytes).  GeoPackage, GeoJSON and SpatiaLite keep every name whole; only
 * the Shapefile gets these names, by one rule, the same on every run:
 *
 *   1. a name of at most 10 bytes is kept as it is;
 *   2. a longer name, in column order, is cut to its first 10 bytes, never
 *      inside a UTF-8 character (the cut moves back to the character's
 *      start), trailing spaces dropped: description -> descriptio;
 *   3. if that is taken -- by any field's name from rule 1 or an earlier
 *      field's from rule 2, compared without regard to ASCII case, as the
 *      dBASE reader compares them -- the name is cut to 8 bytes (the same
 *      way) followed by _1, or else _2, ... (cut to 7 bytes from _10 on):
 *      description_1, description_2 -> descriptio, descript_1.
 *
 * ccgis_shp_names() gives the names; ccgis_shp_rename() renames an
 * in-memory layer's fields to them for the length of a write, warning
 * once with every rename, and ccgis_shp_restore() puts the full names back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

/* The length of the longest prefix of s (len bytes) of at most max bytes
 * that ends on a UTF-8 character boundary, trailing spaces dropped. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
    size_t n = len < max ? len : max;
    if (n < len)
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--; /* s[n] continues a character begun before it */
    while (n > 0 && s[n - 1] == ' ')
        n--;
    return n;
}

/* 1 if `name` equals, ignoring ASCII case, one of names[0..n) that are set. */
static int taken(char (*names)[CCGIS_SHP_NAME_MAX + 1], const int *set, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (set[i] && strcasecmp(names[i], name) == 0)
            return 1;
    return 0;
}

/* ccgis_shp_names: see internal.h. */
ccgis_status ccgis_shp_names(ccgis_ctx *ctx, OGRFeatureDefnH defn,
                             char (*names)[CCGIS_SHP_NAME_MAX + 1])
{
    int n = OGR_FD_GetFieldCount(defn);
    int *set = ccgis_calloc(ctx, (size_t)(n > 0 ? n : 1), sizeof *set);
    if (!set)
        return CCGIS_ERR_NOMEM;
    /* Rule 1: the names that fit (a repeat of one, which no layer ccgis
     * builds has, goes through rules 2 and 3). */
    for (int i = 0; i < n; i++) {
        const char *full = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
        if (strlen(full) <= CCGIS_SHP_NAME_MAX && !taken(names, set, n, full)) {
            memcpy(names[i], full, strlen(full) + 1);
            set[i] = 1;
        }
    }
    /* Rules 2 and 3, in column order. */
    for (int i = 0; i < n; i++) {
        if (set[i])
            continue;
        const char *full = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
        size_t len = strlen(full);
        size_t keep = utf8_cut(full, len, CCGIS_SHP_NAME_MAX);
        memcpy(names[i], full, keep);
        names[i][keep] = '\0';
        for (unsigned k = 1; taken(names, set, n, names[i]); k++) {
            char suffix[CCGIS_SHP_NAME_MAX + 1];
            size_t sl = (size_t)snprintf(suffix, sizeof suffix, "_%u", k);
            keep = utf8_cut(full, len, CCGIS_SHP_NAME_MAX - sl);
            memcpy(names[i], full, keep);
            memcpy(names[i] + keep, suffix, sl + 1);
        }
        set[i] = 1;
    }
    free(set);
    return CCGIS_OK;
}

/* What ccgis_shp_rename() changed: the full names, to put back. */
struct ccgis_shp_saved {
    int n;
    char **full; /* [n]: the field's full name, or NULL when not renamed */
};

/* ccgis_shp_restore: see internal.h. */
void ccgis_shp_restore(OGRLayerH layer, ccgis_shp_saved *saved)
{
    if (!saved)
        return;
    OGRFeatureDefnH defn = layer ? OGR_L_GetLayerDefn(layer) : NULL;
    for (int i = 0; i < saved->n; i++) {
        if (!saved->full[i])
            continue;
        if (defn) {
            OGRFieldDefnH fd = OGR_Fld_Create(saved->full[i], OFTString);
            OGR_L_AlterFieldDefn(layer, i, fd, ALTER_NAME_FLAG);
            OGR_Fld_Destroy(fd);
        }
        free(saved->full[i]);
    }
    free(saved->full);
    free(saved);
}

/* ccgis_shp_rename: see internal.h. */
ccgis_status ccgis_shp_rename(ccgis_ctx *ctx, OGRLayerH layer, const char *shown,
                              ccgis_shp_saved **saved)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int n = OGR_FD_GetFieldCount(defn);
    ccgis_status st = CCGIS_OK;
    char(*names)[CCGIS_SHP_NAME_MAX + 1] = ccgis_calloc(ctx, (size_t)(n > 0 ? n : 1),
                                                        sizeof *names);
    ccgis_shp_saved *s = ccgis_calloc(ctx, 1, sizeof *s);
    char list[CCGIS_MSG_MAX - 200];
    size_t used = 0;
    int listed = 0, more = 0;
    *saved = NULL;
    if (!names || !s || !(s->full = ccgis_calloc(ctx, (size_t)(n > 0 ? n : 1), sizeof *s->full))) {
        st = CCGIS_ERR_NOMEM;
        goto done;
    }
    s->n = n;
    if ((st = ccgis_shp_names(ctx, defn, names)) != CCGIS_OK)
        goto done;
    list[0] = '\0';
    for (int i = 0; i < n; i++) {
        const char *full = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
        if (strcmp(full, names[i]) == 0)
            continue;
        char item[CCGIS_MSG_MAX];
        int il = snprintf(item, sizeof item, "%s'%s' as '%s'", listed ? ", " : "", full,
                          names[i]);
        if (il > 0 && used + (size_t)il < sizeof list && !more) {
            memcpy(list + used, item, (size_t)il + 1);
            used += (size_t)il;
            listed++;
        } else {
            more++;
        }
        if (!(s->full[i] = ccgis_strdup(ctx, full))) {
            st = CCGIS_ERR_NOMEM;
            goto done;
        }
        OGRFieldDefnH fd = OGR_Fld_Create(names[i], OFTString);
        OGRErr e = OGR_L_AlterFieldDefn(layer, i, fd, ALTER_NAME_FLAG);
        OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE) {
            st = ccgis_error(ctx, CCGIS_ERR_INTERNAL, "%s: cannot rename field '%s' to '%s': %s",
                             shown, full, names[i],
                             ctx->gdal_msg[0] ? ctx->gdal_msg : "GDAL gave no reason");
            goto done;
        }
    }
    if (listed) {
        char tail[64] = "";
        if (more)
            snprintf(tail, sizeof tail, " and %d more", more);
        ccgis_msg(ctx, CCGIS_WARNING,
                  "%s: field names cut to the Shapefile's 10 bytes: %s%s (GeoPackage, GeoJSON "
                  "and SpatiaLite keep the full names)",
                  shown, list, tail);
    }
done:
    free(names);
    if (st != CCGIS_OK) {
        ccgis_shp_restore(layer, s);
        s = NULL;
    }
    *saved = s;
    return st;
}
