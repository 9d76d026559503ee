/*
 * crs.c -- coordinate reference systems, on PROJ (see ccgis/crs.h).
 *
 * A ccgis_crs wraps a PROJ CRS object plus what ccgis reports about it (name,
 * EPSG code).  It is built from what the user typed (ccgis_crs_from_user) or
 * from a layer's OGR spatial reference (ccgis_crs_from_ogr, internal), which
 * is passed to PROJ as WKT2 so that a TOWGS84 clause or a datum the .prj
 * names survives.  Transformations to WGS 84 are PROJ's own choice of
 * operation, normalised to GIS axis order on both sides.
 */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <cpl_conv.h>
#include <ogr_srs_api.h>

#include "internal.h"

struct ccgis_crs {
    PJ *pj;         /* owned; bound to the PROJ context of the ctx that made it */
    char *name;     /* owned */
    char *wkt;      /* owned, made on demand by ccgis_crs_wkt */
    char code[24];  /* "EPSG:n" for GDAL, made on demand by ccgis_crs_gdal_text */
    int epsg;       /* 0 if none */
    int confidence; /* 100 declared, 90..100 identified, 0 none */
    int geographic;
};

struct ccgis_transform {
    PJ *pj; /* owned: source CRS -> EPSG:4326, GIS order both sides */
};

/* The CRS an identification should look at: the source of a BoundCRS (a CRS
 * with a TOWGS84 clause), else the CRS itself.  Returns a new PJ. */
static PJ *crs_core(ccgis_ctx *ctx, PJ *pj)
{
    if (proj_get_type(pj) == PJ_TYPE_BOUND_CRS)
        return proj_get_source_crs(ctx->proj, pj);
    return proj_clone(ctx->proj, pj);
}

/* Fill name, epsg, confidence and geographic from crs->pj. */
static ccgis_status crs_describe(ccgis_ctx *ctx, ccgis_crs *crs)
{
    PJ *core = crs_core(ctx, crs->pj);
    if (!core)
        return ccgis_error(ctx, CCGIS_ERR_INTERNAL, "PROJ could not read back a CRS it made");
    const char *name = proj_get_name(core);
    crs->name = ccgis_strdup(ctx, name ? name : "unnamed CRS");
    PJ_TYPE t = proj_get_type(core);
    crs->geographic = t == PJ_TYPE_GEOGRAPHIC_2D_CRS || t == PJ_TYPE_GEOGRAPHIC_3D_CRS;

    const char *auth = proj_get_id_auth_name(core, 0);
    const char *code = proj_get_id_code(core, 0);
    if (auth && code && strcmp(auth, "EPSG") == 0) {
        crs->epsg = atoi(code);
        crs->confidence = 100;
    } else {
        int *conf = NULL;
        PJ_OBJ_LIST *found = proj_identify(ctx->proj, core, "EPSG", NULL, &conf);
        if (found && proj_list_get_count(found) > 0 && conf[0] >= 90) {
            PJ *best = proj_list_get(ctx->proj, found, 0);
            const char *bc = best ? proj_get_id_code(best, 0) : NULL;
            if (bc) {
                crs->epsg = atoi(bc);
                crs->confidence = conf[0];
            }
            proj_destroy(best);
        }
        proj_int_list_destroy(conf);
        proj_list_destroy(found);
    }
    proj_destroy(core);
    return crs->name ? CCGIS_OK : CCGIS_ERR_NOMEM;
}

/* Wrap an owned PJ into a new ccgis_crs, or destroy it and fail. */
static ccgis_status crs_wrap(ccgis_ctx *ctx, PJ *pj, ccgis_crs **out)
{
    ccgis_crs *crs = ccgis_calloc(ctx, 1, sizeof *crs);
    if (!crs) {
        proj_destroy(pj);
        return CCGIS_ERR_NOMEM;
    }
    crs->pj = pj;
    ccgis_status st = crs_describe(ctx, crs);
    if (st != CCGIS_OK) {
        ccgis_crs_free(crs);
        return st;
    }
    *out = crs;
    return CCGIS_OK;
}

static const ccgis_crs_preset presets[] = {
    {"vn2000", 4756, "VN-2000 geographic (lon/lat, degrees)"},
    {"vn2000:utm48", 3405, "VN-2000 / UTM zone 48N (central meridian 105°)"},
    {"vn2000:utm49", 3406, "VN-2000 / UTM zone 49N (central meridian 111°)"},
    {"vn2000:tm3:102", 5896, "VN-2000 / TM-3 zone 481, central meridian 102°00'"},
    {"vn2000:tm3:103", 9205, "VN-2000 / TM-3 103-00"},
    {"vn2000:tm3:104", 9206, "VN-2000 / TM-3 104-00"},
    {"vn2000:tm3:104-30", 9207, "VN-2000 / TM-3 104-30"},
    {"vn2000:tm3:104-45", 9208, "VN-2000 / TM-3 104-45"},
    {"vn2000:tm3:105", 5897, "VN-2000 / TM-3 zone 482, central meridian 105°00' (Hà Nội)"},
    {"vn2000:tm3:105-30", 9209, "VN-2000 / TM-3 105-30"},
    {"vn2000:tm3:105-45", 9210, "VN-2000 / TM-3 105-45"},
    {"vn2000:tm3:106", 9211, "VN-2000 / TM-3 106-00"},
    {"vn2000:tm3:106-15", 9212, "VN-2000 / TM-3 106-15"},
    {"vn2000:tm3:106-30", 9213, "VN-2000 / TM-3 106-30"},
    {"vn2000:tm3:107", 9214, "VN-2000 / TM-3 107-00"},
    {"vn2000:tm3:107-15", 9215, "VN-2000 / TM-3 107-15"},
    {"vn2000:tm3:107-30", 9216, "VN-2000 / TM-3 107-30"},
    {"vn2000:tm3:107-45", 5899, "VN-2000 / TM-3 107-45"},
    {"vn2000:tm3:108", 5898, "VN-2000 / TM-3 zone 491, central meridian 108°00'"},
    {"vn2000:tm3:108-15", 9217, "VN-2000 / TM-3 108-15"},
    {"vn2000:tm3:108-30", 9218, "VN-2000 / TM-3 108-30"},
};
#define NPRESETS (sizeof presets / sizeof presets[0])

/* ccgis_crs_presets: see crs.h. */
const ccgis_crs_preset *ccgis_crs_presets(size_t *n)
{
    *n = NPRESETS;
    return presets;
}

/*
 * The EPSG code of a preset name, or 0.  The TM-3 meridian may be written
 * 105, 105-30, 105:30, 105.5 or 105-00; names compare case-insensitively.
 */
static int preset_epsg(const char *text)
{
    char want[64];
    const char *tm3 = "vn2000:tm3:";
    if (strncasecmp(text, tm3, strlen(tm3)) == 0) {
        const char *m = text + strlen(tm3);
        char *end;
        double deg = strtod(m, &end);
        int minutes = 0;
        if ((*end == '-' || *end == ':') && end[1]) {
            minutes = atoi(end + 1);
            end += 1 + strspn(end + 1, "0123456789");
        }
        if (end == m || *end || (deg != floor(deg) && minutes))
            return 0;
        double total = deg + minutes / 60.0;
        int whole = (int)floor(total + 1e-9);
        int mins = (int)lround((total - whole) * 60.0);
        if (mins)
            snprintf(want, sizeof want, "vn2000:tm3:%d-%02d", whole, mins);
        else
            snprintf(want, sizeof want, "vn2000:tm3:%d", whole);
        text = want;
    }
    for (size_t i = 0; i < NPRESETS; i++)
        if (strcasecmp(presets[i].name, text) == 0)
            return presets[i].epsg;
    return 0;
}

/* ccgis_crs_from_user: see crs.h. */
ccgis_status ccgis_crs_from_user(ccgis_ctx *ctx, const char *text, ccgis_crs **out)
{
    *out = NULL;
    if (!text || !*text)
        return ccgis_error(ctx, CCGIS_ERR_CRS_BAD,
                           "empty CRS -- give e.g. EPSG:5897 (VN-2000 / TM-3 105) or EPSG:4326");
    char epsg[32];
    int code = preset_epsg(text);
    if (code) {
        snprintf(epsg, sizeof epsg, "EPSG:%d", code);
        text = epsg;
    } else if (strncasecmp(text, "vn2000", 6) == 0) {
        return ccgis_error(ctx, CCGIS_ERR_CRS_BAD,
                           "'%s' is not a VN-2000 preset -- use vn2000, vn2000:utm48, "
                           "vn2000:utm49 or vn2000:tm3:MERIDIAN (e.g. vn2000:tm3:105 for Ha Noi, "
                           "vn2000:tm3:105-30); 'ccgis help crs' lists them",
                           text);
    }
    char with_type[1024];
    if (strncmp(text, "+proj=", 6) == 0 && !strstr(text, "+type=crs") &&
        snprintf(with_type, sizeof with_type, "%s +type=crs", text) < (int)sizeof with_type)
        text = with_type; /* a PROJ string names a CRS only with +type=crs */
    proj_errno_reset(NULL);
    PJ *pj = proj_create(ctx->proj, text);
    if (!pj) {
        int e = proj_context_errno(ctx->proj);
        return ccgis_error(ctx, CCGIS_ERR_CRS_BAD,
                           "'%s' is not a CRS PROJ knows (%s) -- give e.g. EPSG:5897, a WKT or "
                           "a PROJ string",
                           text, e ? proj_context_errno_string(ctx->proj, e) : "unrecognised");
    }
    if (!proj_is_crs(pj)) {
        proj_destroy(pj);
        return ccgis_error(ctx, CCGIS_ERR_CRS_BAD,
                           "'%s' is a coordinate operation, not a CRS -- give e.g. EPSG:5897",
                           text);
    }
    return crs_wrap(ctx, pj, out);
}

/*
 * ccgis_crs_from_ogr -- see internal.h.  The spatial reference is exported
 * as WKT2:2019 (which keeps a TOWGS84 clause as a BoundCRS) and parsed by
 * PROJ in this context.
 */
ccgis_status ccgis_crs_from_ogr(ccgis_ctx *ctx, OGRSpatialReferenceH srs, ccgis_where where,
                                ccgis_crs **out)
{
    *out = NULL;
    char *wkt = NULL;
    const char *const opts[] = {"FORMAT=WKT2_2019", NULL};
    ccgis_gdal_begin(ctx);
    OGRErr e = OSRExportToWktEx(srs, &wkt, opts);
    ccgis_gdal_end(ctx);
    if (e != OGRERR_NONE || !wkt) {
        CPLFree(wkt);
        return ccgis_error_at(ctx, CCGIS_ERR_CRS_BAD, where,
                              "the layer's CRS cannot be written as WKT (%s) -- pass --srs",
                              ctx->gdal_msg[0] ? ctx->gdal_msg : "GDAL gave no reason");
    }
    PJ *pj = proj_create(ctx->proj, wkt);
    CPLFree(wkt);
    if (!pj || !proj_is_crs(pj)) {
        proj_destroy(pj);
        return ccgis_error_at(ctx, CCGIS_ERR_CRS_BAD, where,
                              "PROJ does not understand the layer's CRS -- pass --srs with "
                              "the right one, e.g. --srs EPSG:5897");
    }
    return crs_wrap(ctx, pj, out);
}

/* ccgis_crs_free: see crs.h. */
ccgis_crs *ccgis_crs_free(ccgis_crs *crs)
{
    if (crs) {
        proj_destroy(crs->pj);
        free(crs->name);
        free(crs->wkt);
        free(crs);
    }
    return NULL;
}

/* ccgis_crs_name: see crs.h. */
const char *ccgis_crs_name(const ccgis_crs *crs)
{
    return crs->name;
}

/* ccgis_crs_epsg: see crs.h. */
int ccgis_crs_epsg(const ccgis_crs *crs, int *confidence)
{
    if (confidence)
        *confidence = crs->confidence;
    return crs->epsg;
}

/* ccgis_crs_is_geographic: see crs.h. */
int ccgis_crs_is_geographic(const ccgis_crs *crs)
{
    return crs->geographic;
}

/*
 * A transformation from src_pj to dst_pj, GIS order on both sides (PROJ's
 * own choice of operation).  dst_name names the target in the message.
 * Returns CCGIS_OK and sets *out, or CCGIS_ERR_TRANSFORM / NOMEM.
 */
static ccgis_status make_transform(ccgis_ctx *ctx, const ccgis_crs *src, PJ *dst_pj,
                                   const char *dst_name, ccgis_transform **out)
{
    *out = NULL;
    PJ *op = proj_create_crs_to_crs_from_pj(ctx->proj, src->pj, dst_pj, NULL, NULL);
    PJ *norm = op ? proj_normalize_for_visualization(ctx->proj, op) : NULL;
    proj_destroy(op);
    if (!norm)
        return ccgis_error(ctx, CCGIS_ERR_TRANSFORM,
                           "PROJ has no transformation from %s to %s -- check the CRSs or pass "
                           "--srs",
                           src->name, dst_name);
    ccgis_transform *t = ccgis_calloc(ctx, 1, sizeof *t);
    if (!t) {
        proj_destroy(norm);
        return CCGIS_ERR_NOMEM;
    }
    t->pj = norm;
    *out = t;
    return CCGIS_OK;
}

/* ccgis_transform_to_wgs84: see crs.h. */
ccgis_status ccgis_transform_to_wgs84(ccgis_ctx *ctx, const ccgis_crs *src,
                                      ccgis_transform **out)
{
    *out = NULL;
    PJ *wgs84 = proj_create(ctx->proj, "EPSG:4326");
    if (!wgs84)
        return ccgis_error(ctx, CCGIS_ERR_INTERNAL,
                           "PROJ cannot find EPSG:4326 -- check that proj-data is installed "
                           "(projinfo EPSG:4326)");
    ccgis_status st = make_transform(ctx, src, wgs84, "WGS 84", out);
    proj_destroy(wgs84);
    return st;
}

/* ccgis_transform_between: see internal.h. */
ccgis_status ccgis_transform_between(ccgis_ctx *ctx, const ccgis_crs *src, const ccgis_crs *dst,
                                     ccgis_transform **out)
{
    return make_transform(ctx, src, dst->pj, dst->name, out);
}

/* ccgis_transform_xy: see crs.h. */
ccgis_status ccgis_transform_xy(ccgis_ctx *ctx, ccgis_transform *t, size_t n, double *x,
                                double *y)
{
    if (n == 0)
        return CCGIS_OK;
    double x0 = x[0], y0 = y[0];
    proj_errno_reset(t->pj);
    proj_trans_generic(t->pj, PJ_FWD, x, sizeof *x, n, y, sizeof *y, n, NULL, 0, 0, NULL, 0,
                       0);
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i]) || x[i] == HUGE_VAL || y[i] == HUGE_VAL) {
            return ccgis_error(ctx, CCGIS_ERR_TRANSFORM,
                               "point %zu of %zu (first point %.3f %.3f) cannot be transformed "
                               "to WGS 84 -- check that the layer's CRS is right",
                               i + 1, n, x0, y0);
        }
    }
    return CCGIS_OK;
}

/* ccgis_transform_free: see crs.h. */
ccgis_transform *ccgis_transform_free(ccgis_transform *t)
{
    if (t) {
        proj_destroy(t->pj);
        free(t);
    }
    return NULL;
}

/* GEOSGeom_transformXY_r callback: one point through the transformation
 * (none once ccgis_interrupt_request() came: the transformation fails). */
static int transform_point(double *x, double *y, void *arg)
{
    if (ccgis_interrupt_pending())
        return 0;
    PJ_COORD c = proj_coord(*x, *y, 0, 0);
    c = proj_trans(arg, PJ_FWD, c);
    if (!isfinite(c.xy.x) || !isfinite(c.xy.y) || c.xy.x == HUGE_VAL)
        return 0;
    *x = c.xy.x;
    *y = c.xy.y;
    return 1;
}

/* ccgis_transform_geom: see internal.h. */
GEOSGeometry *ccgis_transform_geom(ccgis_ctx *ctx, ccgis_transform *t, const GEOSGeometry *g)
{
    return GEOSGeom_transformXY_r(ctx->geos, g, transform_point, t->pj);
}

/* ccgis_transform_clone: see internal.h. */
ccgis_status ccgis_transform_clone(ccgis_ctx *ctx, const ccgis_transform *t,
                                   ccgis_transform **out)
{
    *out = NULL;
    PJ *pj = proj_clone(ctx->proj, t->pj);
    if (!pj)
        return ccgis_error(ctx, CCGIS_ERR_INTERNAL, "PROJ cannot copy a transformation");
    ccgis_transform *c = ccgis_calloc(ctx, 1, sizeof *c);
    if (!c) {
        proj_destroy(pj);
        return CCGIS_ERR_NOMEM;
    }
    c->pj = pj;
    *out = c;
    return CCGIS_OK;
}

/* ccgis_transform_bounds: see internal.h. */
int ccgis_transform_bounds(ccgis_ctx *ctx, ccgis_transform *t, int inverse, const double in[4],
                           double out[4])
{
    return proj_trans_bounds(ctx->proj, t->pj, inverse ? PJ_INV : PJ_FWD, in[0], in[1], in[2],
                             in[3], &out[0], &out[1], &out[2], &out[3], 21) &&
           isfinite(out[0]) && isfinite(out[1]) && isfinite(out[2]) && isfinite(out[3]);
}

/* 1 if `hay` contains `needle`, ignoring ASCII case. */
static int contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return 1;
    return 0;
}

/* The value of "+key=" in a PROJ string, or NAN. */
static double proj_param(const char *projstr, const char *key)
{
    char pat[32];
    snprintf(pat, sizeof pat, " +%s=", key);
    const char *p = strstr(projstr, pat);
    return p ? atof(p + strlen(pat)) : NAN;
}

/* ccgis_crs_vn2000_suspect: see internal.h. */
int ccgis_crs_vn2000_suspect(ccgis_ctx *ctx, const ccgis_crs *crs, char *fix, size_t cap)
{
    if (proj_get_type(crs->pj) == PJ_TYPE_BOUND_CRS)
        return 0; /* carries its own shift to WGS 84 */
    PJ *datum = proj_crs_get_datum(ctx->proj, crs->pj);
    if (!datum)
        datum = proj_crs_get_datum_ensemble(ctx->proj, crs->pj);
    const char *code = datum ? proj_get_id_code(datum, 0) : NULL;
    const char *dname = datum ? proj_get_name(datum) : "";
    int wgs84 = (code && strcmp(code, "6326") == 0) || (dname && strstr(dname, "WGS"));
    int vn_datum = (code && strcmp(code, "6756") == 0) || (dname && strstr(dname, "Vietnam"));
    proj_destroy(datum);
    if (vn_datum || !wgs84)
        return 0;
    int named = contains_nocase(crs->name, "VN-2000") || contains_nocase(crs->name, "VN_2000") ||
                contains_nocase(crs->name, "VN2000");
    const char *ps = proj_as_proj_string(ctx->proj, crs->pj, PJ_PROJ_5, NULL);
    double k = ps ? proj_param(ps, "k") : NAN, x0 = ps ? proj_param(ps, "x_0") : NAN;
    double lon0 = ps ? proj_param(ps, "lon_0") : NAN;
    int tmerc = ps && strstr(ps, "+proj=tmerc") != NULL;
    int tm3 = tmerc && fabs(k - 0.9999) < 1e-9 && fabs(x0 - 500000) < 1e-6 && lon0 >= 102 &&
              lon0 <= 109;
    int utm48 = tmerc && fabs(k - 0.9996) < 1e-9 && fabs(lon0 - 105) < 1e-9 && named;
    if (!named && !tm3)
        return 0;
    if (tm3) {
        int whole = (int)floor(lon0 + 1e-9), mins = (int)lround((lon0 - whole) * 60.0);
        if (mins)
            snprintf(fix, cap, "vn2000:tm3:%d-%02d", whole, mins);
        else
            snprintf(fix, cap, "vn2000:tm3:%d", whole);
    } else {
        snprintf(fix, cap, "%s", utm48 ? "vn2000:utm48" : "vn2000");
    }
    return 1;
}

/* ccgis_crs_wkt: see internal.h. */
const char *ccgis_crs_wkt(ccgis_ctx *ctx, const ccgis_crs *crs)
{
    ccgis_crs *c = (ccgis_crs *)crs; /* the cache is not part of the value */
    if (!c->wkt) {
        const char *w = proj_as_wkt(ctx->proj, c->pj, PJ_WKT2_2019, NULL);
        c->wkt = w ? ccgis_strdup(ctx, w) : NULL;
    }
    return c->wkt;
}

/* 1 if the CRS is the EPSG registry's definition of its own code (axis
 * order aside), so that "EPSG:n" says all of it. */
static int is_registry_crs(ccgis_ctx *ctx, const ccgis_crs *crs)
{
    if (!crs->epsg || crs->confidence != 100 || proj_get_type(crs->pj) == PJ_TYPE_BOUND_CRS)
        return 0;
    char code[16];
    snprintf(code, sizeof code, "%d", crs->epsg);
    PJ *reg = proj_create_from_database(ctx->proj, "EPSG", code, PJ_CATEGORY_CRS, 0, NULL);
    int same = reg && proj_is_equivalent_to_with_ctx(ctx->proj, crs->pj, reg,
                                                     PJ_COMP_EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS);
    proj_destroy(reg);
    return same;
}

/* ccgis_crs_gdal_text: see internal.h. */
const char *ccgis_crs_gdal_text(ccgis_ctx *ctx, const ccgis_crs *crs)
{
    ccgis_crs *c = (ccgis_crs *)crs; /* the cache is not part of the value */
    if (c->code[0])
        return c->code;
    if (!is_registry_crs(ctx, crs))
        return ccgis_crs_wkt(ctx, crs);
    snprintf(c->code, sizeof c->code, "EPSG:%d", crs->epsg);
    return c->code;
}

/* ccgis_crs_for_output: see crs.h. */
ccgis_status ccgis_crs_for_output(ccgis_ctx *ctx, const char *text, ccgis_crs **out)
{
    ccgis_crs *crs = NULL, *wgs84 = NULL;
    ccgis_transform *t = NULL;
    OGRSpatialReferenceH srs = NULL;
    *out = NULL;
    ccgis_status st = ccgis_crs_from_user(ctx, text, &crs);
    if (st != CCGIS_OK)
        return st;
    const char *g = ccgis_crs_gdal_text(ctx, crs);
    ccgis_gdal_begin(ctx);
    srs = g ? OSRNewSpatialReference(NULL) : NULL;
    if (!srs) {
        st = ccgis_nomem(ctx);
    } else if (OSRSetFromUserInput(srs, g) != OGRERR_NONE) {
        st = ccgis_error(ctx, CCGIS_ERR_CRS_BAD,
                         "'%s' (%s) cannot be recorded in a file by GDAL (%s) -- give e.g. "
                         "EPSG:5897",
                         text, crs->name, ctx->gdal_msg[0] ? ctx->gdal_msg : "no reason given");
    }
    ccgis_gdal_end(ctx);
    if (srs)
        OSRRelease(srs);
    if (st == CCGIS_OK && (st = ccgis_crs_from_user(ctx, "EPSG:4326", &wgs84)) == CCGIS_OK &&
        (st = ccgis_transform_between(ctx, wgs84, crs, &t)) != CCGIS_OK)
        st = ccgis_error(ctx, st,
                         "'%s' (%s): PROJ has no transformation from WGS 84 to it -- give a CRS "
                         "the data can be carried to, e.g. EPSG:5897",
                         text, crs->name);
    ccgis_transform_free(t);
    ccgis_crs_free(wgs84);
    if (st != CCGIS_OK)
        ccgis_crs_free(crs);
    else
        *out = crs;
    return st;
}
