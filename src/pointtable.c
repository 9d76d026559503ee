/*
 * pointtable.c -- tables of points as colleagues send them (CSV, XLSX, ODS
 * without a geometry column): which columns hold x and y, and what a cell
 * says.
 *
 * Headings.  A column is compared in one form: trimmed, NFC, lower-cased
 * (classkey.c), '_' '-' '.' as spaces, a trailing unit in brackets dropped
 * ("X (m)" -> "x", "Kinh_độ [°]" -> "kinh độ").  x is the first of x, lon,
 * lng, long, longitude, kinh độ / kinh do, easting, east, tọa độ x; y the
 * first of y, lat, latitude, vĩ độ / vi do, northing, north, tọa độ y.
 * Columns named in the job (x = , y = ) are compared in the same form.
 *
 * Cells.  A number (105.8534, a decimal comma 105,8534, thousands written
 * 2.288.508,93 or 2,288,508.93), or degrees-minutes-seconds: 21°01'28.5"N,
 * 21° 01' 28,5" N, 105 51 12 E, N 21:01:28.5, -105°51.2' (° º ˚, ' ′ ’,
 * " ″ ” or ''; N/S/E/W before or after; S and W negative).  Minutes and
 * seconds must be below 60, and only the last part may have decimals.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The compared form of a heading (see the top of this file), or NULL
 * (recorded) when out of memory. */
static char *heading_form(ccgis_ctx *ctx, const char *name)
{
    char *clean = ccgis_class_clean(ctx, name);
    char *key = clean ? ccgis_class_key(ctx, clean) : NULL;
    free(clean);
    if (!key)
        return NULL;
    size_t n = strlen(key);
    if (n > 0 && (key[n - 1] == ')' || key[n - 1] == ']')) { /* a unit: "(m)", "[°]" */
        char open = key[n - 1] == ')' ? '(' : '[';
        char *o = strrchr(key, open);
        if (o && o != key)
            *o = '\0';
    }
    char *w = key;
    int space = 1; /* drops leading spaces and runs of them */
    for (const char *r = key; *r; r++) {
        char c = (*r == '_' || *r == '-' || *r == '.' || *r == '\t') ? ' ' : *r;
        if (c == ' ' && space)
            continue;
        space = c == ' ';
        *w++ = c;
    }
    if (w > key && w[-1] == ' ')
        w--;
    *w = '\0';
    return key;
}

/* The index of the first field of defn whose compared form is one of
 * `forms` (NULL-terminated, in order of preference), or -1. */
static int field_by_forms(ccgis_ctx *ctx, OGRFeatureDefnH defn, const char *const *forms)
{
    int n = OGR_FD_GetFieldCount(defn);
    char **have = ccgis_calloc(ctx, (size_t)n + 1, sizeof *have);
    if (!have)
        return -1;
    for (int i = 0; i < n; i++)
        have[i] = heading_form(ctx, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
    int found = -1;
    for (; *forms && found < 0; forms++)
        for (int i = 0; i < n && found < 0; i++)
            if (have[i] && strcmp(have[i], *forms) == 0)
                found = i;
    for (int i = 0; i < n; i++)
        free(have[i]);
    free(have);
    return found;
}

/* ccgis_xy_field: see internal.h. */
int ccgis_xy_field(ccgis_ctx *ctx, OGRFeatureDefnH defn, const char *given, int want_y)
{
    static const char *const xs[] = {
        "x", "lon", "lng", "long", "longitude", "kinh \xC4\x91\xE1\xBB\x99", "kinh do", "kinhdo",
        "kinh \xC4\x91o", "easting", "east", "t\xE1\xBB\x8D" "a \xC4\x91\xE1\xBB\x99 x",
        "to\xE1\xBA\xA1 \xC4\x91\xE1\xBB\x99 x", "toa do x", NULL};
    static const char *const ys[] = {
        "y", "lat", "latitude", "v\xC4\xA9 \xC4\x91\xE1\xBB\x99", "vi do", "vido",
        "v\xC4\xA9 do", "northing", "north", "t\xE1\xBB\x8D" "a \xC4\x91\xE1\xBB\x99 y",
        "to\xE1\xBA\xA1 \xC4\x91\xE1\xBB\x99 y", "toa do y", NULL};
    if (!given)
        return field_by_forms(ctx, defn, want_y ? ys : xs);
    int i = OGR_FD_GetFieldIndex(defn, given);
    if (i >= 0)
        return i;
    char *form = heading_form(ctx, given);
    if (!form)
        return -1;
    const char *one[] = {form, NULL};
    i = field_by_forms(ctx, defn, one);
    free(form);
    return i;
}

/* 1 if s[0..n) is digits in groups of 3 after the first group, separated
 * by `sep` (thousands), the first group 1-3 digits. */
static int grouped(const char *s, size_t n, char sep)
{
    size_t run = 0, groups = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == sep) {
            if (run == 0 || run > 3 || (groups && run != 3))
                return 0;
            groups++;
            run = 0;
        } else if (isdigit((unsigned char)s[i])) {
            run++;
        } else {
            return 0;
        }
    }
    return groups && run == 3;
}

/* A plain number: sign, digits, '.' and ',' as decimal or thousands
 * separators.  1 and *v, or 0. */
static int plain_number(const char *s, double *v)
{
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    size_t n = strlen(p);
    if (n == 0 || strspn(p, "0123456789.,") != n)
        return 0;
    const char *dot = strrchr(p, '.'), *comma = strrchr(p, ',');
    char buf[96];
    size_t o = 0;
    if (s != p)
        buf[o++] = *s;
    /* The decimal separator: the last of the two kinds when both occur, a
     * lone '.' or ',' otherwise; the other kind must group thousands. */
    const char *dec = NULL;
    char thou = 0;
    if (dot && comma) {
        dec = dot > comma ? dot : comma;
        thou = dot > comma ? ',' : '.';
    } else if (dot || comma) {
        char c = dot ? '.' : ',';
        const char *first = strchr(p, c), *last = dot ? dot : comma;
        if (first == last)
            dec = last;
        else
            thou = c;
    }
    size_t int_len = dec ? (size_t)(dec - p) : n;
    if (thou && !grouped(p, int_len, thou))
        return 0;
    if (int_len + 2 + o >= sizeof buf || n >= sizeof buf - 2)
        return 0;
    for (size_t i = 0; i < int_len; i++)
        if (p[i] != thou)
            buf[o++] = p[i];
    if (dec) {
        buf[o++] = '.';
        for (const char *q = dec + 1; *q; q++) {
            if (!isdigit((unsigned char)*q))
                return 0;
            buf[o++] = *q;
        }
    }
    buf[o] = '\0';
    char *end;
    *v = strtod(buf, &end);
    return end != buf && !*end && isfinite(*v);
}

/* The length of a degree, minute or second mark (or separator) at s, 0 if
 * none. */
static size_t mark_at(const unsigned char *s)
{
    if (*s == ' ' || *s == ':' || *s == '\'' || *s == '"' || *s == '\t')
        return 1;
    if (s[0] == 0xC2 && (s[1] == 0xB0 || s[1] == 0xBA || s[1] == 0xA0)) /* ° º nbsp */
        return 2;
    if (s[0] == 0xCB && s[1] == 0x9A) /* ˚ */
        return 2;
    if (s[0] == 0xE2 && s[1] == 0x80 &&
        (s[2] == 0xB2 || s[2] == 0xB3 || s[2] == 0x98 || s[2] == 0x99 || s[2] == 0x9C ||
         s[2] == 0x9D)) /* ′ ″ ‘ ’ “ ” */
        return 3;
    return 0;
}

/* Degrees-minutes-seconds (see the top of this file).  1 and *v, or 0. */
static int dms(const char *text, double *v)
{
    const unsigned char *s = (const unsigned char *)text;
    double part[3];
    int nparts = 0, negative = 0, hemi = 0, hemi_after = 0, marks = 0, decimals_at = -1;
    if (*s == '-') {
        negative = 1;
        s++;
    }
    while (*s) {
        size_t m = mark_at(s);
        if (m) {
            marks += *s != ' ';
            s += m;
            continue;
        }
        int c = toupper(*s);
        if ((c == 'N' || c == 'S' || c == 'E' || c == 'W') && !isalpha(s[1]) && !hemi) {
            hemi = c; /* before the numbers or after them, never between */
            hemi_after = nparts > 0;
            s++;
            continue;
        }
        if (!isdigit(*s) || nparts == 3 || hemi_after)
            return 0;
        char num[40];
        size_t k = 0;
        int sep = 0;
        while ((isdigit(*s) || ((*s == '.' || *s == ',') && !sep && isdigit(s[1]))) &&
               k < sizeof num - 1) {
            if (*s == '.' || *s == ',') {
                sep = 1;
                num[k++] = '.';
            } else {
                num[k++] = (char)*s;
            }
            s++;
        }
        num[k] = '\0';
        if (sep)
            decimals_at = nparts;
        part[nparts++] = strtod(num, NULL);
    }
    if (nparts == 0 || (nparts == 1 && !marks && !hemi))
        return 0;
    if (decimals_at >= 0 && decimals_at != nparts - 1)
        return 0; /* only the last part may have decimals */
    if ((nparts > 1 && part[1] >= 60) || (nparts > 2 && part[2] >= 60))
        return 0;
    double d = part[0] + (nparts > 1 ? part[1] / 60 : 0) + (nparts > 2 ? part[2] / 3600 : 0);
    if (hemi == 'S' || hemi == 'W')
        negative = 1;
    *v = negative ? -d : d;
    return isfinite(*v);
}

/* ccgis_coord_parse: see internal.h. */
int ccgis_coord_parse(const char *text, double *v)
{
    char buf[96];
    while (*text == ' ' || *text == '\t')
        text++;
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t' || text[n - 1] == '\r'))
        n--;
    if (n == 0 || n >= sizeof buf)
        return 0;
    memcpy(buf, text, n);
    buf[n] = '\0';
    if (plain_number(buf, v))
        return 1;
    char *end;
    *v = strtod(buf, &end); /* 1e5, .5 */
    if (end != buf && !*end && isfinite(*v) && !strchr(buf, ','))
        return 1;
    return dms(buf, v);
}

/* ccgis_xy_cell: see internal.h. */
int ccgis_xy_cell(OGRFeatureH f, int i, double *v)
{
    if (!OGR_F_IsFieldSetAndNotNull(f, i))
        return 0;
    OGRFieldType t = OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, i));
    if (t == OFTReal || t == OFTInteger || t == OFTInteger64) {
        *v = OGR_F_GetFieldAsDouble(f, i);
        return isfinite(*v) ? 1 : -1;
    }
    const char *s = OGR_F_GetFieldAsString(f, i);
    if (strspn(s, " \t\r") == strlen(s))
        return 0;
    return ccgis_coord_parse(s, v) ? 1 : -1;
}

/* ccgis_xy_box: see internal.h. */
int ccgis_xy_box(OGRLayerH layer, int xi, int yi, double box[4])
{
    int has = 0;
    OGRFeatureH f;
    OGR_L_ResetReading(layer);
    while ((f = OGR_L_GetNextFeature(layer)) != NULL) {
        double x, y;
        if (ccgis_xy_cell(f, xi, &x) == 1 && ccgis_xy_cell(f, yi, &y) == 1) {
            if (!has) {
                box[0] = box[2] = x;
                box[1] = box[3] = y;
                has = 1;
            } else {
                box[0] = fmin(box[0], x);
                box[1] = fmin(box[1], y);
                box[2] = fmax(box[2], x);
                box[3] = fmax(box[3], y);
            }
        }
        OGR_F_Destroy(f);
    }
    OGR_L_ResetReading(layer);
    return has;
}
