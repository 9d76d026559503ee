/*
 * messy_corpus.c -- see messy_corpus.h.
 *
 * Coordinates of the clusters and zones are offsets in metres from
 * (E 583000, N 2323000) of EPSG:5897; WKT is written with %.17g so that an
 * edge shared by two features is the same pair of doubles in both.  The
 * districts are lon/lat rectangles whose sides go through designed points
 * carried into WGS 84 by GDAL/PROJ (the same single VN-2000 -> WGS 84
 * operation, EPSG:6960, that ccgis and PostGIS use); the villages near edges
 * are designed in the plane and carried the same way.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "messy_corpus.h"

#define E0 583000.0
#define N0 2323000.0

/* "Lúa" with a precomposed ú (U+00FA), and with u + combining acute (U+0301). */
#define LUA_NFC "L\u00faa"
#define LUA_NFD "Lu\u0301a"

const messy_village messy_near_villages[] = {
    {"V01", "C10", 0.01, 1},  /* 1 cm right of the 60 cm edge */
    {"V02", "C10", 0.05, 1},  /* 5 cm below the 30 cm edge */
    {"V03", "C10", 0.50, 1},  /* 50 cm right of a 5 cm edge */
    {"V04", "C10", 0.02, 1},  /* 2 cm from the corner of the 3 cm and 60 cm edges */
    {"V05", "C10", 0.01, 1},  /* 1 cm above the 43 cm edge */
    {"V06", "C10", 0.015, 1}, /* 1.5 cm right of the main side, 3 cm below a 3 cm edge */
    {"V07", "C09", 3.0, 0},   /* 3 m outside the top of the curved cluster's arc */
    {NULL, NULL, 0, 0},
};

/* What writing needs: the error buffer and the transformation. */
typedef struct writer {
    char *err;
    size_t errlen;
    OGRCoordinateTransformationH to_wgs84;
    int failed;
} writer;

static void set_err(writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_err(writer *w, const char *fmt, ...)
{
    if (w->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->err, w->errlen, fmt, ap);
    va_end(ap);
    w->failed = 1;
}

/* A growing WKT string. */
typedef struct wkt {
    char s[8192];
    size_t n;
} wkt;

static void put(wkt *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(wkt *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(b->s + b->n, sizeof b->s - b->n, fmt, ap);
    va_end(ap);
    if (k > 0)
        b->n += (size_t)k < sizeof b->s - b->n ? (size_t)k : sizeof b->s - b->n - 1;
}

/* A ring of n offset points (closed here), as "(x y, ...)" in EPSG:5897. */
static void ring(wkt *b, const double (*p)[2], size_t n)
{
    put(b, "(");
    for (size_t i = 0; i <= n; i++)
        put(b, "%s%.17g %.17g", i ? "," : "", E0 + p[i % n][0], N0 + p[i % n][1]);
    put(b, ")");
}

/* POLYGON of the offset rectangle [x0,x1] x [y0,y1], optionally with the
 * rectangular hole h (x0, y0, x1, y1) when h is not NULL. */
static const char *rect(wkt *b, double x0, double y0, double x1, double y1, const double *h)
{
    b->n = 0;
    const double r[4][2] = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
    put(b, "POLYGON(");
    ring(b, r, 4);
    if (h) {
        const double hr[4][2] = {{h[0], h[1]}, {h[0], h[3]}, {h[2], h[3]}, {h[2], h[1]}};
        put(b, ",");
        ring(b, hr, 4);
    }
    put(b, ")");
    return b->s;
}

/* POLYGON of one ring of n offset points. */
static const char *poly(wkt *b, const double (*p)[2], size_t n)
{
    b->n = 0;
    put(b, "POLYGON(");
    ring(b, p, n);
    put(b, ")");
    return b->s;
}

/* Offset (dx, dy) of EPSG:5897 to lon/lat. */
static void lonlat(writer *w, double dx, double dy, double *lon, double *lat)
{
    double x = E0 + dx, y = N0 + dy;
    if (!OCTTransform(w->to_wgs84, 1, &x, &y, NULL))
        set_err(w, "cannot transform (%g, %g) to WGS 84", dx, dy);
    *lon = x;
    *lat = y;
}

/* A new GPKG with one layer and its text / real fields ("name:S", "name:R"). */
static GDALDatasetH create(writer *w, const char *dir, const char *file, const char *layer,
                           int epsg, OGRwkbGeometryType gt, const char *const *fields,
                           OGRLayerH *out)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    GDALDriverH drv = GDALGetDriverByName("GPKG");
    GDALDatasetH ds = drv ? GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL) : NULL;
    if (!ds) {
        set_err(w, "%s: cannot create (%s)", path, CPLGetLastErrorMsg());
        return NULL;
    }
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(srs, epsg);
    *out = GDALDatasetCreateLayer(ds, layer, srs, gt, NULL);
    OSRRelease(srs);
    for (size_t i = 0; *out && fields[i]; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s", fields[i]);
        char *colon = strchr(name, ':');
        OGRFieldType t = colon && colon[1] == 'R' ? OFTReal : OFTString;
        if (colon)
            *colon = '\0';
        OGRFieldDefnH fd = OGR_Fld_Create(name, t);
        if (OGR_L_CreateField(*out, fd, TRUE) != OGRERR_NONE)
            set_err(w, "%s: cannot create field %s", path, name);
        OGR_Fld_Destroy(fd);
    }
    if (!*out) {
        set_err(w, "%s: cannot create layer %s", path, layer);
        GDALClose(ds);
        return NULL;
    }
    return ds;
}

/* Add a feature: geometry from WKT (NULL: no geometry), then the fields in
 * order as text (NULL: a NULL field); a field named in `real_field` index
 * `ri` (>= 0) gets the number `real` instead (NaN: NULL). */
static void add(writer *w, OGRLayerH l, const char *geom_wkt, int ri, double real, ...)
{
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
    int nf = OGR_F_GetFieldCount(f);
    va_list ap;
    va_start(ap, real);
    for (int i = 0; i < nf; i++) {
        if (i == ri) {
            if (isnan(real))
                OGR_F_SetFieldNull(f, i);
            else
                OGR_F_SetFieldDouble(f, i, real);
            continue;
        }
        const char *v = va_arg(ap, const char *);
        if (v)
            OGR_F_SetFieldString(f, i, v);
        else
            OGR_F_SetFieldNull(f, i);
    }
    va_end(ap);
    if (geom_wkt) {
        OGRGeometryH g = NULL;
        char *p = (char *)geom_wkt;
        if (OGR_G_CreateFromWkt(&p, NULL, &g) != OGRERR_NONE || !g) {
            set_err(w, "bad WKT: %.200s", geom_wkt);
            OGR_F_Destroy(f);
            return;
        }
        OGR_F_SetGeometryDirectly(f, g);
    }
    if (OGR_L_CreateFeature(l, f) != OGRERR_NONE)
        set_err(w, "cannot write a feature: %s", CPLGetLastErrorMsg());
    OGR_F_Destroy(f);
}

/* ---- clusters ------------------------------------------------------------- */

static void write_clusters(writer *w, const char *dir)
{
    static const char *const fields[] = {"ma_ccn", "ten", "dien_tich:R", NULL};
    OGRLayerH l;
    GDALDatasetH ds = create(w, dir, "clusters.gpkg", "clusters", 5897, wkbUnknown, fields, &l);
    if (!ds)
        return;
    wkt b;
    const double no_ha = NAN;
    add(w, l, rect(&b, 0, 0, 200, 200, NULL), 2, 4.0, "C01", "Chồng lấn SKN / lúa");
    add(w, l, rect(&b, 400, 0, 600, 200, NULL), 2, 4.8, "C02", "Ba vùng trùng nhau");
    add(w, l, rect(&b, 800, 0, 950, 150, NULL), 2, 2.25 * 1.03, "C03", "Không có quy hoạch");
    add(w, l, rect(&b, 0, 400, 200, 600, NULL), 2, 4.0, "C04", "Mã loại đất lộn xộn");
    add(w, l, rect(&b, 400, 400, 600, 600, NULL), 2, no_ha, "C05", "Lúa NFC / NFD");
    add(w, l, rect(&b, 800, 400, 1000, 600, NULL), 2, no_ha, "C06", "Giữa hai huyện");
    add(w, l, rect(&b, 1300, 0, 1500, 200, NULL), 2, no_ha, "C07", "Ra ngoài ranh giới");
    add(w, l, rect(&b, 1300, 1450, 1300.1, 1450.1, NULL), 2, no_ha, "C08", "Rất nhỏ");
    /* The curved cluster: a half disc (centre (500, 900), r = 100) on top of
     * the rectangle [400, 600] x [800, 900]. */
    b.n = 0;
    put(&b,
        "CURVEPOLYGON(COMPOUNDCURVE(CIRCULARSTRING(%.17g %.17g,%.17g %.17g,%.17g %.17g),"
        "(%.17g %.17g,%.17g %.17g,%.17g %.17g,%.17g %.17g)))",
        E0 + 400, N0 + 900, E0 + 500, N0 + 1000, E0 + 600, N0 + 900, E0 + 600, N0 + 900, E0 + 600,
        N0 + 800, E0 + 400, N0 + 800, E0 + 400, N0 + 900);
    add(w, l, b.s, 2, MESSY_CURVED_PLAN_M2 / 1e4, "C09", "Cong");
    /* The staircase of short edges on the right side of C10: 3, 60, 10, 5,
     * 30, 5 and 43 cm. */
    static const double stair[][2] = {
        {0, 800},        {200, 800},      {200, 900},       {200.03, 900},
        {200.03, 900.6}, {200.13, 900.6}, {200.13, 900.65}, {200.43, 900.65},
        {200.43, 900.7}, {200, 900.7},    {200, 1000},      {0, 1000},
    };
    add(w, l, poly(&b, stair, sizeof stair / sizeof stair[0]), 2, no_ha, "C10", "Cạnh rất ngắn");
    add(w, l, rect(&b, 800, 800, 1000, 1000, NULL), 2, no_ha, "C11", "Huyện tách hai mảnh");
    add(w, l, rect(&b, 950, 1100, 1100, 1250, NULL), 2, no_ha, "C12", "Chồng cụm A");
    add(w, l, rect(&b, 1050, 1150, 1200, 1300, NULL), 2, no_ha, "C13", "Chồng cụm B");
    /* Bow-tie: A(250,1150) B(550,1350) C(550,1150) D(250,1250); AB and CD
     * cross at (350, 1216.67): lobes of 5,000 and 20,000 m². */
    static const double bowtie[][2] = {{250, 1150}, {550, 1350}, {550, 1150}, {250, 1250}};
    add(w, l, poly(&b, bowtie, 4), 2, no_ha, "C14", "Hình nơ");
    /* A square with a 47 m² loop at its south-west corner: D -> E crosses AB. */
    static const double loop[][2] = {
        {600, 1150}, {750, 1150}, {750, 1300}, {600, 1300}, {610, 1140}};
    add(w, l, poly(&b, loop, 5), 2, no_ha, "C15", "Vòng nhỏ");
    GDALClose(ds);
}

/* ---- zoning --------------------------------------------------------------- */

static void write_zoning(writer *w, const char *dir)
{
    static const char *const fields[] = {"ma_vung", "loai_dat", NULL};
    OGRLayerH l;
    GDALDatasetH ds = create(w, dir, "zoning.gpkg", "zoning", 5897, wkbPolygon, fields, &l);
    if (!ds)
        return;
    wkt b;
    const double no_ha = NAN;
    /* C01 [0,200]^2 */
    add(w, l, rect(&b, -50, -50, 120, 250, NULL), -1, no_ha, "Z01", "SKN");
    add(w, l, rect(&b, 100, -50, 150, 250, NULL), -1, no_ha, "Z02", "SKN ");
    add(w, l, rect(&b, 140, -50, 250, 250, NULL), -1, no_ha, "Z03", "lua");
    add(w, l, rect(&b, 60, 100, 62, 101, NULL), -1, no_ha, "Z04", "lua");
    /* C02 [400,600] x [0,200] */
    static const char *const stacked[3] = {"Z05", "Z06", "Z07"};
    for (int k = 0; k < 3; k++)
        add(w, l, rect(&b, 380, -20, 520, 220, NULL), -1, no_ha, stacked[k], "Skk");
    const double hole08[4] = {560, 80, 580, 120};
    add(w, l, rect(&b, 540, -20, 620, 220, hole08), -1, no_ha, "Z08", "ONT");
    /* C04 [0,200] x [400,600] */
    add(w, l, rect(&b, -20, 380, 100, 620, NULL), -1, no_ha, "Z09", "lua");
    add(w, l, rect(&b, 100, 380, 160, 620, NULL), -1, no_ha, "Z10", "LUA");
    add(w, l, rect(&b, 160, 380, 220, 500, NULL), -1, no_ha, "Z11", (const char *)NULL);
    add(w, l, rect(&b, 160, 500, 220, 560, NULL), -1, no_ha, "Z12", "");
    add(w, l, rect(&b, 160, 560, 220, 620, NULL), -1, no_ha, "Z13", "   ");
    /* C05 [400,600]^2 */
    add(w, l, rect(&b, 380, 380, 500, 620, NULL), -1, no_ha, "Z14", " skc");
    add(w, l, rect(&b, 500, 380, 560, 500, NULL), -1, no_ha, "Z15", LUA_NFC);
    add(w, l, rect(&b, 500, 500, 560, 620, NULL), -1, no_ha, "Z16", LUA_NFD);
    static const double bowtie[][2] = {{560, 380}, {620, 620}, {620, 380}, {560, 620}};
    add(w, l, poly(&b, bowtie, 4), -1, no_ha, "Z17", "ONT");
    /* C06 [800,1000] x [400,600]: a 1 m x 0.5 m hole */
    const double hole18[4] = {850, 450, 851, 450.5};
    add(w, l, rect(&b, 780, 380, 1020, 620, hole18), -1, no_ha, "Z18", "SKN");
    /* C07 [1300,1500] x [0,200] */
    add(w, l, rect(&b, 1280, -20, 1400, 220, NULL), -1, no_ha, "Z19", "ONT");
    /* C09 (curved): SKN under the rectangle, ONT under the half disc */
    add(w, l, rect(&b, 380, 780, 620, 900, NULL), -1, no_ha, "Z20", "SKN");
    add(w, l, rect(&b, 380, 900, 620, 1020, NULL), -1, no_ha, "Z21", "ONT");
    /* C10 */
    add(w, l, rect(&b, -20, 780, 220, 1020, NULL), -1, no_ha, "Z22", "Skk");
    /* C11 [800,1000]^2 */
    add(w, l, rect(&b, 780, 780, 1020, 1020, NULL), -1, no_ha, "Z23", "ONT");
    static const double flat[][2] = {{850, 850}, {950, 950}, {900, 900}};
    add(w, l, poly(&b, flat, 3), -1, no_ha, "Z24", "ONT");
    add(w, l, NULL, -1, no_ha, "Z25", "SKN");
    add(w, l, rect(&b, 1380, -20, 1450, 220, NULL), -1, no_ha, "Z26", "lua");
    add(w, l, rect(&b, 800, 800, 1000, 920, NULL), -1, no_ha, "Z27", "lua");
    add(w, l, rect(&b, 800, 800, 1000, 920, NULL), -1, no_ha, "Z28", "LUA");
    GDALClose(ds);
}

/* ---- districts and villages ----------------------------------------------- */

/* POLYGON of the lon/lat rectangle. */
static const char *ll_rect(wkt *b, double w0, double s0, double e0, double n0)
{
    b->n = 0;
    put(b, "POLYGON((%.17g %.17g,%.17g %.17g,%.17g %.17g,%.17g %.17g,%.17g %.17g))", w0, s0, e0, s0,
        e0, n0, w0, n0, w0, s0);
    return b->s;
}

/* The lon/lat lines of the district grid. */
typedef struct grid {
    double lon_w, lon_m, lon_e, lat_s, lat_mid, lat_n;
} grid;

static void make_grid(writer *w, grid *g)
{
    double dummy;
    lonlat(w, -300, 500, &g->lon_w, &dummy);
    lonlat(w, 900, 500, &g->lon_m, &dummy);  /* through the centre of C06 */
    lonlat(w, 1440, 100, &g->lon_e, &dummy); /* 60 m of C07 east of it */
    lonlat(w, 500, -300, &dummy, &g->lat_s);
    lonlat(w, 900, 700, &dummy, &g->lat_mid);
    lonlat(w, 500, 1600, &dummy, &g->lat_n);
}

static void write_districts(writer *w, const char *dir, const grid *g)
{
    static const char *const fields[] = {"ten", NULL};
    OGRLayerH l;
    GDALDatasetH ds = create(w, dir, "districts.gpkg", "districts", 4326, wkbPolygon, fields, &l);
    if (!ds)
        return;
    wkt b;
    const double no_ha = NAN;
    add(w, l, ll_rect(&b, g->lon_w, g->lat_s, g->lon_m, g->lat_mid), -1, no_ha, "Đông Anh");
    add(w, l, ll_rect(&b, g->lon_m, g->lat_s, g->lon_e, g->lat_mid), -1, no_ha, "Gia Lâm");
    add(w, l, ll_rect(&b, g->lon_w, g->lat_mid, g->lon_m, g->lat_n), -1, no_ha, "Thanh Trì");
    add(w, l, ll_rect(&b, g->lon_m, g->lat_mid, g->lon_e, g->lat_n), -1, no_ha, "Thanh Trì");
    double w0, s0, e0, n0;
    lonlat(w, 1600, 1000, &w0, &s0);
    lonlat(w, 1800, 1200, &e0, &n0);
    add(w, l, ll_rect(&b, w0, s0, e0, n0), -1, no_ha, (const char *)NULL);
    lonlat(w, 1600, 1300, &w0, &s0);
    lonlat(w, 1800, 1500, &e0, &n0);
    add(w, l, ll_rect(&b, w0, s0, e0, n0), -1, no_ha, "  ");
    GDALClose(ds);
}

static void write_villages(writer *w, const char *dir, const grid *g)
{
    static const char *const fields[] = {"ma_ln", "ten", NULL};
    OGRLayerH l;
    GDALDatasetH ds = create(w, dir, "villages.gpkg", "villages", 4326, wkbPoint, fields, &l);
    if (!ds)
        return;
    const double r2 = 0.02 / sqrt(2.0);
    /* Designed in the plane (offsets), carried into WGS 84. */
    static const struct {
        const char *id, *name;
        double dx, dy;
    } planar[] = {
        {"V01", "Làng cạnh 60 cm", 200.04, 900.3},
        {"V02", "Làng cạnh 30 cm", 200.30, 900.60},
        {"V03", "Làng cạnh 5 cm", 200.93, 900.675},
        {"V04", "Làng góc", 0, 0}, /* set below: 2 cm from (200.03, 900) */
        {"V05", "Làng cạnh 43 cm", 200.2, 900.71},
        {"V06", "Làng cạnh 3 cm", 200.015, 899.97},
        {"V07", "Làng gần cung", 500, 1003},
        {"V08", "Làng trong C01", 100, 100},
        {"V09", "Làng Đông Anh", 300, 300},
        {"V10", "Làng Gia Lâm", 1100, 300},
        {"V11", "Làng Thanh Trì 1", 300, 1100},
        {"V12", "Làng Thanh Trì 2", 1350, 1000},
        {"V13", "Làng xa phía đông", 3800, 500},
        {"V14", "Làng xa phía tây", -2500, 2500},
    };
    wkt b;
    const double no_ha = NAN;
    for (size_t i = 0; i < sizeof planar / sizeof planar[0]; i++) {
        double dx = planar[i].dx, dy = planar[i].dy, lon, lat;
        if (strcmp(planar[i].id, "V04") == 0) {
            dx = 200.03 + r2;
            dy = 900 - r2;
        }
        lonlat(w, dx, dy, &lon, &lat);
        b.n = 0;
        put(&b, "POINT(%.17g %.17g)", lon, lat);
        add(w, l, b.s, -1, no_ha, planar[i].id, planar[i].name);
    }
    /* Exactly on district boundaries (same doubles as the districts' sides). */
    double dummy, lat;
    b.n = 0;
    put(&b, "POINT(%.17g %.17g)", g->lon_m, g->lat_mid); /* the corner of all four */
    add(w, l, b.s, -1, no_ha, "V15", "Làng ở góc bốn huyện");
    lonlat(w, 900, 300, &dummy, &lat);
    b.n = 0;
    put(&b, "POINT(%.17g %.17g)", g->lon_m, lat); /* Đông Anh | Gia Lâm */
    add(w, l, b.s, -1, no_ha, "V16", "Làng trên ranh giới");
    lonlat(w, 900, 1300, &dummy, &lat);
    b.n = 0;
    put(&b, "POINT(%.17g %.17g)", g->lon_m, lat); /* Thanh Trì | Thanh Trì */
    add(w, l, b.s, -1, no_ha, "V17", "Làng giữa hai mảnh Thanh Trì");
    GDALClose(ds);
}

/* ---- the job files -------------------------------------------------------- */

static void write_text(writer *w, const char *dir, const char *file, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0)
        set_err(w, "%s: cannot write", path);
    if (f)
        fclose(f);
}

/* The job of issue 13, with `zoning_id` as its [zoning] id line ("" for
 * none: zone ids are then FIDs) and its output folder. */
static void write_job(writer *w, const char *dir, const char *file, const char *zoning_id,
                      const char *output)
{
    char text[2048];
    snprintf(text, sizeof text,
             "; The messy-zoning corpus of tests/postgis/messy_corpus.h (issue 13).\n"
             "[job]\n"
             "name      = Quy hoạch lộn xộn\n"
             "output    = %s\n"
             "formats   = gpkg\n"
             "plan_crs  = EPSG:5897\n"
             "sliver    = 1e-4\n"
             "sliver_m2 = 1\n"
             "\n"
             "[clusters]\n"
             "source           = clusters.gpkg\n"
             "id               = ma_ccn\n"
             "name             = ten\n"
             "declared_ha      = dien_tich\n"
             "declared_tol_pct = 5\n"
             "\n"
             "[districts]\n"
             "source = districts.gpkg\n"
             "name   = ten\n"
             "\n"
             "[zoning]\n"
             "source  = zoning.gpkg\n"
             "%s"
             "class   = loai_dat\n"
             "allowed = skn;SKC,  Skk\n"
             "\n"
             "[villages]\n"
             "source   = villages.gpkg\n"
             "id       = ma_ln\n"
             "name     = ten\n"
             "radius_m = 2000\n",
             output, zoning_id);
    write_text(w, dir, file, text);
}

static const char legacy_text[] =
    "; messy.ini without the keys of issue 13, for an engine that refuses them.\n"
    "[job]\n"
    "name      = Quy hoạch lộn xộn\n"
    "output    = " MESSY_OUTPUT "\n"
    "formats   = gpkg\n"
    "plan_crs  = EPSG:5897\n"
    "\n"
    "[clusters]\n"
    "source = clusters.gpkg\n"
    "id     = ma_ccn\n"
    "name   = ten\n"
    "\n"
    "[districts]\n"
    "source = districts.gpkg\n"
    "name   = ten\n"
    "\n"
    "[zoning]\n"
    "source  = zoning.gpkg\n"
    "class   = loai_dat\n"
    "allowed = SKN, SKC, SKK\n"
    "\n"
    "[villages]\n"
    "source   = villages.gpkg\n"
    "id       = ma_ln\n"
    "name     = ten\n"
    "radius_m = 2000\n";

/* messy_corpus_write: see messy_corpus.h. */
int messy_corpus_write(const char *dir, char *err, size_t errlen)
{
    writer w = {err, errlen, NULL, 0};
    GDALAllRegister();
    OGRSpatialReferenceH src = OSRNewSpatialReference(NULL), dst = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(src, 5897);
    OSRImportFromEPSG(dst, 4326);
    OSRSetAxisMappingStrategy(src, OAMS_TRADITIONAL_GIS_ORDER);
    OSRSetAxisMappingStrategy(dst, OAMS_TRADITIONAL_GIS_ORDER);
    w.to_wgs84 = OCTNewCoordinateTransformation(src, dst);
    OSRRelease(src);
    OSRRelease(dst);
    if (!w.to_wgs84) {
        set_err(&w, "no EPSG:5897 -> EPSG:4326 transformation: %s", CPLGetLastErrorMsg());
        return -1;
    }
    grid g;
    make_grid(&w, &g);
    write_clusters(&w, dir);
    write_zoning(&w, dir);
    write_districts(&w, dir, &g);
    write_villages(&w, dir, &g);
    write_job(&w, dir, "messy.ini", "id      = ma_vung\n", MESSY_OUTPUT);
    write_job(&w, dir, "messy_noid.ini", "", MESSY_OUTPUT "_noid");
    write_text(&w, dir, "messy_legacy.ini", legacy_text);
    OCTDestroyCoordinateTransformation(w.to_wgs84);
    return w.failed ? -1 : 0;
}
