/*
 * layer.c -- loading a small layer into the common frame (see ccgis/layer.h).
 *
 * For each feature read: drop Z/M, linearise curves, convert to GEOS, check
 * its kind against the role, repair it if invalid, transform it to WGS 84,
 * keep its attributes.  Whatever is skipped or repaired is reported as a
 * finding and a message.  Keys are checked for uniqueness once all are read.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "ccgis/geodesic.h"
#include "internal.h"

/* Work state of one load. */
typedef struct loader {
    ccgis_ctx *ctx;
    const ccgis_layer_spec *spec;
    ccgis_findings *findings;
    ccgis_layer *layer;
    ccgis_transform *to_wgs84;
    int id_index; /* field index of the id, -1 for the FID */
    size_t cap;
    ccgis_where where;
    char why[512];   /* text of the last "wrong kind" or range reason */
    long long bad_text;      /* features with text that is not clean UTF-8 */
    long long bad_text_fid;  /* the first of them */
    int bad_text_field;      /* and its field */
    char closed[32]; /* "ring not closed" when usable_geometry closed a ring */
    ccgis_text_plan text; /* how attribute text becomes UTF-8 NFC */
    int x_index, y_index; /* columns of a table of points without geometry, -1 if not */
    int has_box;          /* box holds the coordinates as stored (the CRS check) */
    double box[4];
    long long swapped;    /* features skipped off the globe that fit swapped */
    ccgis_spec_member blame; /* the spec member a failure now is about (layer.h) */
} loader;

/* Record a skipped feature: a finding, a warning, a count. */
static ccgis_status skip(loader *L, long long fid, const char *key, const char *why)
{
    ccgis_where at = L->where;
    at.fid = fid;
    L->layer->n_skipped++;
    ccgis_msg_feature(L->ctx, CCGIS_WARNING, at, key, "skipped: %s", why);
    if (!L->findings)
        return CCGIS_OK;
    return ccgis_finding_say(L->ctx, L->findings, CCGIS_GEOMETRY_SKIPPED, L->layer->what, key, NULL,
                             NAN, NULL, CCGIS_SAY_SKIPPED,
                             &(ccgis_say_args){{L->layer->what, why}, {(double)fid}});
}

/* The feature's key: the id field as text, or the FID.  Returns a new
 * string, or NULL (recorded) when out of memory or the id is empty. */
static char *feature_key(loader *L, OGRFeatureH f, long long fid)
{
    char buf[32];
    if (L->id_index < 0) {
        snprintf(buf, sizeof buf, "%lld", fid);
        return ccgis_strdup(L->ctx, buf);
    }
    const char *v = OGR_F_IsFieldSetAndNotNull(f, L->id_index)
                        ? OGR_F_GetFieldAsString(f, L->id_index)
                        : "";
    if (!v[0]) {
        ccgis_where at = L->where;
        at.fid = fid;
        L->blame = CCGIS_SPEC_ID;
        ccgis_error_at(L->ctx, CCGIS_ERR_INPUT, at,
                       "the id field '%s' is empty -- give every %s a unique id", L->spec->id_field,
                       L->layer->what);
        return NULL;
    }
    return ccgis_strdup(L->ctx, v);
}

/*
 * The polygons bounded by a LineString or MultiLineString whose every line is
 * closed (first point = last, at least 4 points), as a new MultiPolygon; NULL
 * when a line is open (g is then not an area).
 */
static GEOSGeometry *closed_lines_to_polygons(ccgis_ctx *ctx, const GEOSGeometry *g)
{
    GEOSContextHandle_t h = ctx->geos;
    int n = GEOSGetNumGeometries_r(h, g);
    if (n < 1)
        return NULL;
    GEOSGeometry **polys = calloc((size_t)n, sizeof *polys);
    if (!polys)
        return NULL;
    int made = 0, ok = 1;
    for (int i = 0; i < n && ok; i++) {
        const GEOSGeometry *line = GEOSGetGeometryN_r(h, g, i);
        ok = GEOSisClosed_r(h, line) == 1 && GEOSGeomGetNumPoints_r(h, line) >= 4;
        if (!ok)
            break;
        GEOSCoordSequence *seq = GEOSCoordSeq_clone_r(h, GEOSGeom_getCoordSeq_r(h, line));
        GEOSGeometry *ring = seq ? GEOSGeom_createLinearRing_r(h, seq) : NULL;
        polys[made] = ring ? GEOSGeom_createPolygon_r(h, ring, NULL, 0) : NULL;
        ok = polys[made] != NULL;
        made += ok;
    }
    GEOSGeometry *out = ok ? GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys,
                                                         (unsigned)made)
                           : NULL;
    if (!out)
        for (int i = 0; i < made; i++)
            GEOSGeom_destroy_r(h, polys[i]);
    free(polys);
    return out;
}

/*
 * Bring an OGR geometry (borrowed) to a GEOS geometry of the role, valid and
 * 2D, in the source CRS.  Returns it, or NULL with *why saying why the
 * feature is unusable (and *fatal set when the cause is out of memory).
 * *repaired_reason receives GEOS's reason when MakeValid was applied.
 */
static GEOSGeometry *usable_geometry(loader *L, OGRGeometryH g, const char **why,
                                     char *repaired_reason, size_t cap, int *fatal)
{
    ccgis_ctx *ctx = L->ctx;
    *why = NULL;
    *fatal = 0;
    repaired_reason[0] = '\0';

    OGRGeometryH flat = OGR_G_Clone(g);
    if (!flat) {
        *fatal = 1;
        return NULL;
    }
    OGR_G_FlattenTo2D(flat);
    OGR_G_SetMeasured(flat, FALSE);
    if (OGR_G_IsEmpty(flat)) {
        OGR_G_DestroyGeometry(flat);
        *why = "empty geometry";
        return NULL;
    }
    GEOSGeometry *gg = ccgis_geom_to_geos(ctx, flat, why);
    if (!gg && *why && strstr(*why, "closed")) {
        /* A ring not closed: close it (GDAL warned) and say so as a repair. */
        OGR_G_CloseRings(flat);
        gg = ccgis_geom_to_geos(ctx, flat, why);
        if (gg)
            snprintf(L->closed, sizeof L->closed, "ring not closed");
    }
    OGR_G_DestroyGeometry(flat);
    if (!gg)
        return NULL;

    int type = GEOSGeomTypeId_r(ctx->geos, gg);
    if (L->spec->role == CCGIS_ROLE_POLYGONS &&
        (type == GEOS_LINESTRING || type == GEOS_MULTILINESTRING)) {
        /* A closed polyline of a CAD drawing is the boundary of an area. */
        GEOSGeometry *area = closed_lines_to_polygons(ctx, gg);
        if (area) {
            GEOSGeom_destroy_r(ctx->geos, gg);
            gg = area;
            type = GEOSGeomTypeId_r(ctx->geos, gg);
        }
    }
    int polygonal = type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON;
    if (type == GEOS_GEOMETRYCOLLECTION) {
        gg = ccgis_geom_polygonal(ctx, gg);
        polygonal = gg != NULL;
    }
    if (L->spec->role == CCGIS_ROLE_POINTS && type == GEOS_POINT)
        return gg;
    if (!polygonal || (L->spec->role == CCGIS_ROLE_POINTS && type == GEOS_MULTIPOINT)) {
        char *tname = gg ? GEOSGeomType_r(ctx->geos, gg) : NULL; /* GEOSFree_r */
        snprintf(L->why, sizeof L->why, "a %s where %s are expected",
                 tname ? tname : "GeometryCollection without polygons",
                 L->spec->role == CCGIS_ROLE_POINTS ? "points (or polygons)" : "polygons");
        if (tname)
            GEOSFree_r(ctx->geos, tname);
        *why = L->why;
        if (gg)
            GEOSGeom_destroy_r(ctx->geos, gg);
        return NULL;
    }

    double x, y;
    int valid = ccgis_geom_check(ctx, gg, repaired_reason, cap, &x, &y);
    if (valid != 1 && strstr(repaired_reason, "Invalid Coordinate")) {
        GEOSGeom_destroy_r(ctx->geos, gg);
        *why = "a coordinate is not a number (NaN or infinite)";
        repaired_reason[0] = '\0';
        return NULL;
    }
    if (valid != 1) {
        GEOSGeometry *fixed = ccgis_geom_polygonal(ctx, GEOSMakeValid_r(ctx->geos, gg));
        GEOSGeom_destroy_r(ctx->geos, gg);
        if (!fixed || GEOSisEmpty_r(ctx->geos, fixed)) {
            if (fixed)
                GEOSGeom_destroy_r(ctx->geos, fixed);
            snprintf(L->why, sizeof L->why,
                     "invalid polygon (%s) with no area left after MakeValid", repaired_reason);
            *why = L->why;
            L->closed[0] = '\0';
            return NULL;
        }
        gg = fixed;
    } else {
        repaired_reason[0] = '\0';
    }
    if (L->closed[0]) { /* closed above: that is a repair too */
        char both[CCGIS_MSG_MAX];
        snprintf(both, sizeof both, "%s%s%s", L->closed, repaired_reason[0] ? "; " : "",
                 repaired_reason);
        snprintf(repaired_reason, cap, "%s", both);
        L->closed[0] = '\0';
    }
    if (L->spec->role == CCGIS_ROLE_POINTS) {
        /* A point on the surface, not the centroid: an L-shaped or ring-shaped
         * village's centroid can lie outside it (PostGIS ST_PointOnSurface). */
        GEOSGeometry *c = GEOSPointOnSurface_r(ctx->geos, gg);
        GEOSGeom_destroy_r(ctx->geos, gg);
        if (c && GEOSisEmpty_r(ctx->geos, c)) { /* e.g. its area sum overflowed */
            GEOSGeom_destroy_r(ctx->geos, c);
            c = NULL;
        }
        if (!c)
            *why = "polygon on whose surface GEOS cannot find a point";
        return c;
    }
    return gg;
}

/*
 * Why a WGS 84 geometry cannot be measured, or NULL if it can: every
 * longitude must be within -180..180 and every latitude within -90..90.
 * Coordinates that fit once swapped get a hint to swap the axes.  The text
 * lives in the loader.
 */
static const char *lonlat_problem(loader *L, const GEOSGeometry *g)
{
    double b[4];
    GEOSContextHandle_t h = L->ctx->geos;
    if (!GEOSGeom_getXMin_r(h, g, &b[0]) || !GEOSGeom_getYMin_r(h, g, &b[1]) ||
        !GEOSGeom_getXMax_r(h, g, &b[2]) || !GEOSGeom_getYMax_r(h, g, &b[3]))
        return "it has no coordinates left (empty once transformed)";
    int ok = isfinite(b[0]) && isfinite(b[1]) && isfinite(b[2]) && isfinite(b[3]) &&
             b[0] >= -180 && b[2] <= 180 && b[1] >= -90 && b[3] <= 90;
    if (ok)
        return NULL;
    int swapped = isfinite(b[0]) && isfinite(b[2]) && b[0] >= -90 && b[2] <= 90 &&
                  isfinite(b[1]) && isfinite(b[3]) && b[1] >= -180 && b[3] <= 180;
    char looks[160] = "";
    if (!swapped && ccgis_box_looks_vn2000(b, looks, sizeof looks))
        snprintf(looks, sizeof looks, ": they look like VN-2000 metres, not degrees");
    snprintf(L->why, sizeof L->why,
             "its WGS 84 position (lon %.6g..%.6g, lat %.6g..%.6g) is off the globe%s", b[0],
             b[2], b[1], b[3],
             swapped ? ": the coordinates look like latitude, longitude -- swap the axes" : looks);
    return L->why;
}

/* Geodesic area of a source-CRS geometry, m², NaN if it cannot be had. */
static double area_of_src(loader *L, const GEOSGeometry *src)
{
    double a = NAN;
    GEOSGeometry *w = ccgis_transform_geom(L->ctx, L->to_wgs84, src);
    if (w) {
        if (ccgis_geod_area(L->ctx, w, &a) != CCGIS_OK) {
            a = NAN;
            ccgis_clear_error(L->ctx);
        }
        GEOSGeom_destroy_r(L->ctx->geos, w);
    }
    return a;
}

/*
 * For a layer without a geometry column: find its x and y columns (given, or
 * recognised by their headings, pointtable.c).  Returns CCGIS_OK
 * (L->x_index/y_index set, or -1 when the layer has geometry), or
 * CCGIS_ERR_USAGE naming the columns there are.
 */
static ccgis_status find_xy(loader *L, OGRFeatureDefnH defn)
{
    L->x_index = L->y_index = -1;
    if (OGR_FD_GetGeomFieldCount(defn) > 0)
        return CCGIS_OK;
    char names[512];
    ccgis_field_list(defn, names, sizeof names);
    if (L->spec->role != CCGIS_ROLE_POINTS)
        return ccgis_error_at(L->ctx, CCGIS_ERR_USAGE, L->where,
                              "a table without geometry: its rows can only be points, and the "
                              "%s must be polygons -- give a layer with polygons (the columns "
                              "are: %s)",
                              L->spec->what ? L->spec->what : "layer", names);
    L->x_index = ccgis_xy_field(L->ctx, defn, L->spec->x_field, 0);
    L->y_index = ccgis_xy_field(L->ctx, defn, L->spec->y_field, 1);
    if (L->x_index >= 0 && L->y_index >= 0)
        return CCGIS_OK;
    const char *given = L->x_index < 0 ? L->spec->x_field : L->spec->y_field;
    L->blame = L->x_index < 0 ? CCGIS_SPEC_X : CCGIS_SPEC_Y;
    if (given)
        return ccgis_error_at(L->ctx, CCGIS_ERR_USAGE, L->where,
                              "no column named '%s' (%s =) -- the columns are: %s", given,
                              L->x_index < 0 ? "x" : "y", names);
    return ccgis_error_at(L->ctx, CCGIS_ERR_USAGE, L->where,
                          "a table without geometry and no %s column found -- name the "
                          "columns with x = and y = in the job file (--x, --y for ccgis near); "
                          "the columns are: %s",
                          L->x_index < 0 ? "x (lon, Kinh độ, X (m), easting...)"
                                         : "y (lat, Vĩ độ, Y (m), northing...)",
                          names);
}

/* The name of field i of f. */
static const char *field_name(OGRFeatureH f, int i)
{
    return OGR_Fld_GetNameRef(OGR_F_GetFieldDefnRef(f, i));
}

/*
 * The point of a table row from its x and y cells: 1 and *x, *y, or 0 with
 * L->why saying which cell is empty or unreadable, quoting it.
 */
static int row_point(loader *L, OGRFeatureH f, double *x, double *y)
{
    int cx = ccgis_xy_cell(f, L->x_index, x), cy = ccgis_xy_cell(f, L->y_index, y);
    if (cx == 1 && cy == 1)
        return 1;
    int i = cx != 1 ? L->x_index : L->y_index, c = cx != 1 ? cx : cy;
    if (c == 0)
        snprintf(L->why, sizeof L->why, "its %s cell (column '%s') is empty",
                 i == L->x_index ? "x" : "y", field_name(f, i));
    else
        snprintf(L->why, sizeof L->why,
                 "its %s cell (column '%s') holds '%.60s', which is neither a number nor "
                 "degrees-minutes-seconds (e.g. 105.8534, 105,8534 or 105°51'12\"E)",
                 i == L->x_index ? "x" : "y", field_name(f, i), OGR_F_GetFieldAsString(f, i));
    return 0;
}

/*
 * Text field i of f holds text that is not clean UTF-8.  An id cannot be
 * guessed at: one that is not UTF-8 is refused (CCGIS_ERR_INPUT, naming the
 * byte).  Any other field is kept with each byte that starts no UTF-8
 * sequence replaced by U+FFFD, so that every output -- layers, report.md,
 * summary.json -- shows the same text (the caller warns once per layer).
 * Returns CCGIS_OK or the failure (recorded).
 */
static ccgis_status repair_text(loader *L, OGRFeatureH f, int i, ccgis_where at)
{
    const char *v = OGR_F_GetFieldAsString(f, i);
    size_t bad_at = ccgis_text_is_utf8(v);
    if (!bad_at)
        return CCGIS_OK; /* valid, with U+FFFD from the reader: counted only */
    if (i == L->id_index) {
        L->blame = CCGIS_SPEC_ID;
        return ccgis_error_at(L->ctx, CCGIS_ERR_INPUT, at,
                              "the id in field '%s' is not valid UTF-8 (byte 0x%02X at offset %zu) "
                              "-- an id must be read exactly: fix it, or for a shapefile declare "
                              "the attribute encoding (encoding=, e.g. CP1258, or a .cpg file)",
                              L->spec->id_field, (unsigned char)v[bad_at - 1], bad_at - 1);
    }
    char *fixed = NULL;
    ccgis_status st = ccgis_text_repair(L->ctx, v, &fixed, NULL);
    if (st == CCGIS_OK)
        OGR_F_SetFieldString(f, i, fixed);
    free(fixed);
    return st;
}

/* Take one feature: add it to the layer, or skip it with a finding. */
static ccgis_status take_feature(loader *L, OGRFeatureH f)
{
    ccgis_ctx *ctx = L->ctx;
    ccgis_layer *layer = L->layer;
    long long fid = (long long)OGR_F_GetFID(f);
    ccgis_where at = L->where;
    at.fid = fid;
    ccgis_status st = CCGIS_OK;
    GEOSGeometry *src = NULL, *wgs = NULL;
    char reason[CCGIS_MSG_MAX];

    layer->n_read++;
    int suspect = ccgis_text_plan_apply(ctx, &L->text, f, at, &st);
    if (st != CCGIS_OK)
        return st;
    int counted = 0;
    for (int i = 0; suspect && i < OGR_F_GetFieldCount(f); i++) {
        if (OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, i)) != OFTString ||
            !OGR_F_IsFieldSetAndNotNull(f, i) || !ccgis_text_suspect(OGR_F_GetFieldAsString(f, i)))
            continue;
        if (!counted++ && L->bad_text++ == 0) {
            L->bad_text_fid = fid;
            L->bad_text_field = i;
        }
        if ((st = repair_text(L, f, i, at)) != CCGIS_OK)
            return st;
    }
    char *key = feature_key(L, f, fid);
    if (!key)
        return ccgis_errcode(ctx);

    OGRGeometryH g = OGR_F_GetGeometryRef(f), made = NULL;
    if (!g && L->x_index >= 0) {
        double x, y;
        if (!row_point(L, f, &x, &y)) {
            st = skip(L, fid, key, L->why);
            goto done;
        }
        g = made = OGR_G_CreateGeometry(wkbPoint);
        if (!g) {
            st = ccgis_nomem(ctx);
            goto done;
        }
        OGR_G_SetPoint_2D(g, 0, x, y);
    }
    if (!g) {
        st = skip(L, fid, key, "no geometry (NULL)");
        goto done;
    }
    const char *why = NULL;
    int fatal = 0;
    src = usable_geometry(L, g, &why, reason, sizeof reason, &fatal);
    if (fatal) {
        st = ccgis_nomem(ctx);
        goto done;
    }
    if (!src) {
        st = skip(L, fid, key, why ? why : "unusable geometry");
        goto done;
    }
    wgs = ccgis_transform_geom(ctx, L->to_wgs84, src);
    const char *range = wgs ? lonlat_problem(L, wgs) : NULL;
    if (range && strstr(range, "latitude, longitude"))
        L->swapped++;
    if (!wgs || range) {
        char why2[CCGIS_MSG_MAX];
        snprintf(why2, sizeof why2, "%s -- check the layer's CRS (%s) or pass the right srs",
                 wgs ? range : "its coordinates cannot be transformed to WGS 84",
                 ccgis_crs_name(layer->crs));
        st = skip(L, fid, key, why2);
        goto done;
    }
    double drawn_m2 = NAN;
    if (reason[0]) {
        /* Repaired: state GEOS's reason and the geodesic areas. */
        OGRGeometryH flat = OGR_G_Clone(g);
        const char *w2 = NULL;
        GEOSGeometry *orig = NULL;
        if (flat) {
            OGR_G_FlattenTo2D(flat);
            orig = ccgis_geom_to_geos(ctx, flat, &w2);
            OGR_G_DestroyGeometry(flat);
        }
        double before = orig ? area_of_src(L, orig) : NAN, after = NAN;
        drawn_m2 = before;
        if (orig)
            GEOSGeom_destroy_r(ctx->geos, orig);
        if (ccgis_geod_area(ctx, wgs, &after) != CCGIS_OK)
            ccgis_clear_error(ctx);
        layer->n_repaired++;
        char before_txt[32];
        if (isnan(before))
            snprintf(before_txt, sizeof before_txt, "unknown");
        else
            snprintf(before_txt, sizeof before_txt, "%.1f m²", before);
        ccgis_msg_feature(ctx, CCGIS_WARNING, at, key,
                          "repaired (%s): geodesic area %s before, %.1f m² after", reason,
                          before_txt, after);
        if (L->findings) {
            GEOSGeometry *copy = GEOSGeom_clone_r(ctx->geos, wgs);
            st = ccgis_finding_say(ctx, L->findings, CCGIS_GEOMETRY_REPAIRED, layer->what, key,
                                   NULL, after, copy, CCGIS_SAY_REPAIRED,
                                   &(ccgis_say_args){{layer->what, key, reason}, {before, after}});
            if (st != CCGIS_OK)
                goto done;
        }
    }

    if (!ccgis_grow(ctx, (void **)&layer->f, &L->cap, layer->n, sizeof *layer->f)) {
        st = CCGIS_ERR_NOMEM;
        goto done;
    }
    OGRFeatureH attrs = OGR_F_Clone(f);
    if (!attrs) {
        st = ccgis_nomem(ctx);
        goto done;
    }
    OGR_F_SetGeometryDirectly(attrs, NULL);
    ccgis_feature *cf = &layer->f[layer->n++];
    cf->fid = fid;
    cf->key = key;
    cf->geom = wgs;
    cf->geom_src = src;
    cf->attrs = attrs;
    cf->repaired = reason[0] != '\0';
    cf->drawn_m2 = drawn_m2;
    key = NULL;
    wgs = src = NULL;

    double box[4];
    if (!GEOSGeom_getXMin_r(ctx->geos, cf->geom, &box[0]) ||
        !GEOSGeom_getYMin_r(ctx->geos, cf->geom, &box[1]) ||
        !GEOSGeom_getXMax_r(ctx->geos, cf->geom, &box[2]) ||
        !GEOSGeom_getYMax_r(ctx->geos, cf->geom, &box[3])) {
        st = ccgis_error_feature(ctx, CCGIS_ERR_INTERNAL, at, cf->key,
                                 "GEOS gives no box for a kept geometry");
        goto done;
    }
    if (!layer->has_extent) {
        memcpy(layer->extent, box, sizeof box);
        layer->has_extent = 1;
    } else {
        layer->extent[0] = fmin(layer->extent[0], box[0]);
        layer->extent[1] = fmin(layer->extent[1], box[1]);
        layer->extent[2] = fmax(layer->extent[2], box[2]);
        layer->extent[3] = fmax(layer->extent[3], box[3]);
    }

done:
    free(key);
    if (made)
        OGR_G_DestroyGeometry(made);
    if (src)
        GEOSGeom_destroy_r(ctx->geos, src);
    if (wgs)
        GEOSGeom_destroy_r(ctx->geos, wgs);
    return st;
}

/* qsort comparator of feature pointers by key. */
static int by_key(const void *a, const void *b)
{
    const ccgis_feature *const *x = a, *const *y = b;
    return strcmp((*x)->key, (*y)->key);
}

/* Fail on the first duplicate key, naming both features. */
static ccgis_status check_unique(loader *L)
{
    ccgis_layer *layer = L->layer;
    if (layer->n < 2)
        return CCGIS_OK;
    ccgis_feature **idx = ccgis_calloc(L->ctx, layer->n, sizeof *idx);
    if (!idx)
        return CCGIS_ERR_NOMEM;
    for (size_t i = 0; i < layer->n; i++)
        idx[i] = &layer->f[i];
    qsort(idx, layer->n, sizeof *idx, by_key);
    ccgis_status st = CCGIS_OK;
    for (size_t i = 1; i < layer->n && st == CCGIS_OK; i++) {
        if (strcmp(idx[i - 1]->key, idx[i]->key) == 0) {
            const ccgis_feature *a = idx[i - 1]->fid < idx[i]->fid ? idx[i - 1] : idx[i];
            const ccgis_feature *b = a == idx[i] ? idx[i - 1] : idx[i];
            ccgis_where at = L->where;
            at.fid = b->fid;
            L->blame = CCGIS_SPEC_ID;
            st = ccgis_error_at(L->ctx, CCGIS_ERR_INPUT, at,
                                "duplicate id '%s' in field '%s' (also feature %lld) -- ids "
                                "must be unique: fix the data or choose another id field",
                                a->key, L->spec->id_field, a->fid);
        }
    }
    free(idx);
    return st;
}

/* 1 if the path names a shapefile. */
static int is_shp(const char *source)
{
    size_t n = strlen(source);
    return n >= 4 && strcasecmp(source + n - 4, ".shp") == 0;
}

/* 1 if a shapefile path has a .prj beside it. */
static int has_prj(const char *source)
{
    size_t n = strlen(source);
    char path[4096];
    if (n < 4 || n >= sizeof path || strcasecmp(source + n - 4, ".shp") != 0)
        return 0;
    memcpy(path, source, n - 4);
    memcpy(path + n - 4, ".prj", 5);
    return access(path, F_OK) == 0;
}

/*
 * The coordinates against the CRS (crscheck.c), before any feature is used:
 * a mislabel the box shows (degrees on metres, X and Y exchanged, latitude
 * first) is refused, CCGIS_ERR_CRS, with what to write.  CCGIS_OK otherwise.
 */
static ccgis_status check_crs(loader *L)
{
    if (!L->has_box)
        return CCGIS_OK;
    char hint[CCGIS_MSG_MAX];
    const char *xcol = NULL, *ycol = NULL;
    if (L->x_index >= 0) {
        OGRFeatureDefnH defn = L->layer->defn;
        xcol = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, L->x_index));
        ycol = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, L->y_index));
    }
    ccgis_crs_verdict v = ccgis_crs_check(L->ctx, ccgis_crs_name(L->layer->crs),
                                          ccgis_crs_is_geographic(L->layer->crs), L->to_wgs84,
                                          L->box, xcol, ycol, hint, sizeof hint);
    if (v == CCGIS_CRS_FITS)
        return CCGIS_OK;
    /* A table's axes exchanged are fixed by its x = / y = keys; a layer's
     * (geometry) in the data; a mislabelled CRS by srs = (the caller's blame). */
    if (v == CCGIS_CRS_XY_EXCHANGED || v == CCGIS_CRS_LATLON_SWAPPED)
        L->blame = L->x_index >= 0 ? CCGIS_SPEC_X : CCGIS_SPEC_SOURCE;
    return ccgis_error_at(L->ctx, CCGIS_ERR_CRS, L->where, "%s", hint);
}

/* Establish the CRS (assigned or own) and the transformation to WGS 84. */
static ccgis_status setup_crs(loader *L, OGRLayerH layer)
{
    ccgis_ctx *ctx = L->ctx;
    ccgis_status st;
    if (L->spec->srs) {
        st = ccgis_crs_from_user(ctx, L->spec->srs, &L->layer->crs);
    } else {
        OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer);
        char looks[256];
        int vn = L->x_index >= 0 ? L->has_box && ccgis_box_looks_vn2000(L->box, looks, sizeof looks)
                                 : ccgis_looks_vn2000(layer, looks, sizeof looks);
        if (!srs && vn)
            return ccgis_error_at(ctx, CCGIS_ERR_CRS_NONE, L->where,
                                  "the layer has no CRS%s and %s -- " CCGIS_VN2000_SRS_ADVICE,
                                  has_prj(L->spec->source)
                                      ? " (its .prj is not a CRS GDAL can read)"
                                      : "",
                                  looks);
        double sw[4] = {L->box[1], L->box[0], L->box[3], L->box[2]};
        if (!srs && L->x_index >= 0 && L->has_box && ccgis_box_looks_vn2000(sw, looks, sizeof looks))
            return ccgis_error_at(ctx, CCGIS_ERR_CRS_NONE, L->where,
                                  "a table of points says nothing of its CRS, and its "
                                  "coordinates (x %.0f-%.0f, y %.0f-%.0f) look like VN-2000 "
                                  "metres with X and Y exchanged (Vietnamese surveys name the "
                                  "northing X and the easting Y) -- write  x = %s  and  y = %s  "
                                  "in the job file (--x, --y for ccgis near), and "
                                  CCGIS_VN2000_SRS_ADVICE,
                                  L->box[0], L->box[2], L->box[1], L->box[3],
                                  OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(L->layer->defn, L->y_index)),
                                  OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(L->layer->defn, L->x_index)));
        if (!srs && L->x_index >= 0)
            return ccgis_error_at(ctx, CCGIS_ERR_CRS_NONE, L->where,
                                  "a table of points says nothing of its CRS -- give it with "
                                  "srs= (--srs): EPSG:4326 when the columns are longitude and "
                                  "latitude in degrees (GPS, Google Earth), vn2000:tm3:105 "
                                  "(EPSG:5897) for VN-2000 / TM-3 105 metres");
        if (!srs)
            return ccgis_error_at(ctx, CCGIS_ERR_CRS_NONE, L->where,
                                  "the layer has no CRS (%s) -- assign one with srs= (--srs), "
                                  "e.g. EPSG:5897 for VN-2000 / TM-3 105, EPSG:4326 for lon/lat",
                                  has_prj(L->spec->source)
                                      ? "its .prj is not a CRS GDAL can read"
                                  : is_shp(L->spec->source) ? "no .prj?"
                                                            : "the source declares none");
        st = ccgis_crs_from_ogr(ctx, srs, L->where, &L->layer->crs);
        char fix[48];
        if (st == CCGIS_OK && ccgis_crs_vn2000_suspect(ctx, L->layer->crs, fix, sizeof fix))
            ccgis_msg_at(ctx, CCGIS_WARNING, L->where,
                         "its CRS (%s) is VN-2000 without the VN-2000 datum shift (a .prj on "
                         "plain WGS 84): positions would be about 200 m off -- if the "
                         "coordinates are VN-2000, set srs=%s",
                         ccgis_crs_name(L->layer->crs), fix);
    }
    if (st != CCGIS_OK)
        return st;
    if ((st = ccgis_transform_to_wgs84(ctx, L->layer->crs, &L->to_wgs84)) != CCGIS_OK)
        return st;
    return check_crs(L);
}

/* ccgis_layer_load: see layer.h. */
ccgis_status ccgis_layer_load(ccgis_ctx *ctx, const ccgis_layer_spec *spec,
                              ccgis_findings *findings, ccgis_layer **out)
{
    return ccgis_layer_load_progress(ctx, spec, findings, NULL, NULL, out);
}

/* Features read between two progress reports. */
#define PROGRESS_EVERY 64

/* ccgis_layer_load_progress: see layer.h. */
ccgis_status ccgis_layer_load_progress(ccgis_ctx *ctx, const ccgis_layer_spec *spec,
                                       ccgis_findings *findings, ccgis_progress_fn progress,
                                       void *progress_arg, ccgis_layer **out)
{
    loader L = {.ctx = ctx, .spec = spec, .findings = findings, .id_index = -1, .x_index = -1,
                .y_index = -1};
    GDALDatasetH ds = NULL;
    OGRLayerH olayer = NULL;
    ccgis_status st;

    *out = NULL;
    ctx->spec_member = CCGIS_SPEC_NONE;
    ccgis_gdal_begin(ctx);
    L.layer = ccgis_calloc(ctx, 1, sizeof *L.layer);
    if (!L.layer) {
        st = CCGIS_ERR_NOMEM;
        goto done;
    }
    L.blame = CCGIS_SPEC_SOURCE;
    if ((st = ccgis_source_open_enc(ctx, spec->source, spec->encoding, &ds)) != CCGIS_OK)
        goto done;
    GDALDatasetH merged = NULL; /* a KML's folders as one layer (kml.c) */
    if ((st = ccgis_kml_merge(ctx, ds, spec->source, spec->layer,
                              spec->keep_fields && strcasecmp(spec->keep_fields, "all") == 0,
                              &merged)) != CCGIS_OK)
        goto done;
    if (merged) {
        GDALClose(ds);
        ds = merged;
    }
    L.blame = CCGIS_SPEC_LAYER;
    if ((st = ccgis_source_pick_layer(ctx, ds, spec->source, spec->layer, &olayer)) != CCGIS_OK)
        goto done;
    L.blame = CCGIS_SPEC_NONE;
    L.layer->source = ccgis_strdup(ctx, spec->source);
    L.layer->name = ccgis_strdup(ctx, OGR_L_GetName(olayer));
    L.layer->what = ccgis_strdup(ctx, spec->what ? spec->what : OGR_L_GetName(olayer));
    if (!L.layer->source || !L.layer->name || !L.layer->what) {
        st = CCGIS_ERR_NOMEM;
        goto done;
    }
    L.where = (ccgis_where){L.layer->source, L.layer->name, -1};
    ccgis_source_dropped(ctx, ds, spec->source, L.layer->name);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(olayer);
    OGR_FD_Reference(defn);
    L.layer->defn = defn;

    if (spec->where && OGR_L_SetAttributeFilter(olayer, spec->where) != OGRERR_NONE) {
        L.blame = CCGIS_SPEC_WHERE;
        st = ccgis_error_at(ctx, CCGIS_ERR_USAGE, L.where,
                            "where = %s is not a filter GDAL understands (%s) -- write it as "
                            "an SQL condition, e.g. Layer = 'RANH_GIOI'",
                            spec->where, ctx->gdal_msg[0] ? ctx->gdal_msg : "syntax");
        goto done;
    }
    /* The text plan first: a legacy .dbf's field names are in its code page
     * too, and the id and x/y fields are looked up by their decoded names.
     * A plan that cannot be made (text that fits several encodings) is
     * reported after the CRS check, whose fix comes first. */
    char plan_msg[CCGIS_MSG_MAX] = "";
    ccgis_status plan_st = ccgis_text_plan_make(ctx, ds, olayer, spec->encoding, L.where, &L.text);
    if (plan_st == CCGIS_ERR_NOMEM) {
        st = plan_st;
        goto done;
    }
    if (plan_st != CCGIS_OK) {
        snprintf(plan_msg, sizeof plan_msg, "%s", ccgis_errmsg(ctx));
        ccgis_clear_error(ctx);
    } else {
        L.layer->encoding = ccgis_strdup(ctx, L.text.label);
        if (L.layer->encoding)
            ccgis_text_plan_names(ctx, &L.text, defn);
    }

    if (spec->id_field) {
        L.id_index = OGR_FD_GetFieldIndex(defn, spec->id_field);
        if (L.id_index < 0 && plan_st == CCGIS_OK) {
            L.blame = CCGIS_SPEC_ID;
            char names[512];
            ccgis_field_list(defn, names, sizeof names);
            st = ccgis_error_at(ctx, CCGIS_ERR_USAGE, L.where,
                                "no field named '%s' -- the fields are: %s", spec->id_field,
                                names);
            goto done;
        }
    }
    if ((st = find_xy(&L, defn)) != CCGIS_OK)
        goto done;
    if (L.x_index >= 0) {
        L.has_box = ccgis_xy_box(olayer, L.x_index, L.y_index, L.box);
    } else {
        OGREnvelope e = {0, 0, 0, 0};
        L.has_box = OGR_L_GetExtent(olayer, &e, TRUE) == OGRERR_NONE;
        L.box[0] = e.MinX, L.box[1] = e.MinY, L.box[2] = e.MaxX, L.box[3] = e.MaxY;
        ctx->gdal_msg[0] = '\0';
    }
    L.blame = CCGIS_SPEC_SRS; /* the fix for every CRS failure: srs = */
    if ((st = setup_crs(&L, olayer)) != CCGIS_OK)
        goto done;
    if (plan_st != CCGIS_OK) {
        L.blame = CCGIS_SPEC_ENCODING;
        st = ccgis_error(ctx, plan_st, "%s", plan_msg);
        goto done;
    }
    L.blame = CCGIS_SPEC_NONE;

    OGRFeatureH f;
    GIntBig total = progress ? OGR_L_GetFeatureCount(olayer, FALSE) : -1;
    ctx->gdal_msg[0] = '\0';
    OGR_L_ResetReading(olayer);
    while ((f = OGR_L_GetNextFeature(olayer)) != NULL) {
        long long fid = (long long)OGR_F_GetFID(f);
        if (progress && L.layer->n_read % PROGRESS_EVERY == PROGRESS_EVERY - 1 &&
            !progress(total > 0 ? fmin(1.0, (double)L.layer->n_read / (double)total) : 0.0,
                      L.layer->what, progress_arg)) {
            OGR_F_Destroy(f);
            st = ccgis_error(ctx, CCGIS_ERR_CANCELLED, "cancelled by the caller");
            goto done;
        }
        /* A feature GDAL could not read whole is an error, not a skip. */
        st = ctx->gdal_msg[0]
                 ? ccgis_error_at(ctx, CCGIS_ERR_READ,
                                  (ccgis_where){spec->source, L.layer->name, fid},
                                  "GDAL reported an error while reading it: %s -- the file may "
                                  "be damaged; repair it or get it again",
                                  ctx->gdal_msg)
                 : take_feature(&L, f);
        OGR_F_Destroy(f);
        if (st != CCGIS_OK)
            goto done;
    }
    if (ctx->gdal_msg[0]) {
        st = ccgis_error_at(ctx, CCGIS_ERR_READ, L.where,
                            "reading stopped after %lld features: %s -- the file may be "
                            "truncated or damaged; repair it or get it again",
                            L.layer->n_read, ctx->gdal_msg);
        goto done;
    }
    if (L.bad_text)
        ccgis_msg_at(ctx, CCGIS_WARNING, L.where,
                     "%lld features have text that is not valid UTF-8 (first: feature %lld, "
                     "field '%s') -- the attribute encoding is probably not UTF-8: declare it "
                     "(encoding=, e.g. CP1258, or a .cpg file); meanwhile each byte that is not "
                     "UTF-8 is shown as U+FFFD (\xEF\xBF\xBD) in every output",
                     L.bad_text, L.bad_text_fid,
                     OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, L.bad_text_field)));
    if (L.layer->n == 0) {
        if (L.swapped)
            st = ccgis_error_at(ctx, CCGIS_ERR_GEOMETRY, L.where,
                                "no usable %s among %lld features read (%lld skipped; %lld of "
                                "them off the globe as longitude, latitude and look like "
                                "latitude, longitude) -- swap the axes%s",
                                spec->role == CCGIS_ROLE_POINTS ? "point" : "polygon",
                                L.layer->n_read, L.layer->n_skipped, L.swapped,
                                L.x_index >= 0 ? ": take the x and y columns the other way round"
                                               : " in the data");
        else
            st = ccgis_error_at(ctx, CCGIS_ERR_GEOMETRY, L.where,
                                "no usable %s among %lld features read (%lld skipped) -- is "
                                "this the right layer?",
                                spec->role == CCGIS_ROLE_POINTS ? "point" : "polygon",
                                L.layer->n_read, L.layer->n_skipped);
        goto done;
    }
    if (spec->id_field && (st = check_unique(&L)) != CCGIS_OK)
        goto done;
    *out = L.layer;
    L.layer = NULL;

done:
    if (st == CCGIS_ERR_NOMEM && ccgis_errcode(ctx) != CCGIS_ERR_NOMEM)
        ccgis_nomem(ctx);
    if (st != CCGIS_OK && st != CCGIS_ERR_NOMEM && st != CCGIS_ERR_CANCELLED)
        ctx->spec_member = (int)L.blame;
    ccgis_layer_free(ctx, L.layer);
    ccgis_transform_free(L.to_wgs84);
    ccgis_text_plan_clear(&L.text);
    if (ds)
        GDALClose(ds);
    ccgis_gdal_end(ctx);
    return st;
}

/* ccgis_layer_failed_on: see layer.h. */
ccgis_spec_member ccgis_layer_failed_on(const ccgis_ctx *ctx)
{
    return (ccgis_spec_member)ctx->spec_member;
}

/* ccgis_layer_free: see layer.h. */
ccgis_layer *ccgis_layer_free(ccgis_ctx *ctx, ccgis_layer *layer)
{
    if (!layer)
        return NULL;
    for (size_t i = 0; i < layer->n; i++) {
        ccgis_feature *f = &layer->f[i];
        free(f->key);
        GEOSGeom_destroy_r(ctx->geos, f->geom);
        GEOSGeom_destroy_r(ctx->geos, f->geom_src);
        OGR_F_Destroy(f->attrs);
    }
    free(layer->f);
    if (layer->defn)
        OGR_FD_Release(layer->defn);
    ccgis_crs_free(layer->crs);
    free(layer->source);
    free(layer->name);
    free(layer->what);
    free(layer->encoding);
    free(layer);
    return NULL;
}

/* ccgis_layers_overlap: see layer.h. */
int ccgis_layers_overlap(const ccgis_layer *a, const ccgis_layer *b)
{
    if (!a->has_extent || !b->has_extent)
        return 0;
    return a->extent[0] <= b->extent[2] && b->extent[0] <= a->extent[2] &&
           a->extent[1] <= b->extent[3] && b->extent[1] <= a->extent[3];
}
