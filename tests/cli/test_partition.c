/*
 * test_partition.c -- properties of a cluster's zoning partition (issue 13)
 * on random messy zoning, without PostGIS.
 *
 * For each of 20 seeds the test writes (GDAL's C API) a few random clusters
 * (rotated rectangles and star polygons, some with a hole, one in ten a
 * bow-tie) and 260-900 random zones (more than one batch of 256 for the
 * overlay's workers) over and around them: rotated
 * rectangles and star polygons of 10-400 m, some with holes, some exact
 * copies of an earlier zone, classes drawn from allowed, conflicting,
 * padded, mixed-case, blank and NULL codes; and two district names, one
 * split over two features, the layer sometimes ending inside the clusters.
 * `ccgis run` writes a GeoPackage, read back with GDAL.
 *
 * Properties (the specification of issue 13; A and C the unions of the
 * cluster's parts on allowed and on other non-blank classes):
 *   - allow_ha + confl_ha + mixed_ha + nozone_ha = area_ha, 1e-9 relative;
 *     each part >= 0 (to 1e-9 of area_ha);
 *   - confl_pct = 100 confl_ha / area_ha (1e-9 relative), share_pct,
 *     confl_pct and dist_pct in [0, 100];
 *   - cluster_zones: one row per cluster and class (trimmed, compared
 *     case-insensitively), none for a blank class; share_pct = 100 area_m2 /
 *     area; allowed as the class is listed; and the rows bound the parts:
 *     max over allowed rows <= area(A) = allow + mixed <= sum over them,
 *     likewise for the other classes with confl + mixed, and for all rows
 *     with area - nozone (tolerance max(1e-6 of the area, 0.01 m²), the
 *     figures' tolerance against PostGIS);
 *   - confl_top is the class of the largest non-allowed row;
 *   - `ccgis overlay --jobs 1` and `--jobs 4` write identical figures and
 *     geometries (every double compared bit for bit).
 * Every failure names the seed, the cluster and the figure; all seeds run
 * before the test fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "harness.h"

#define N_SEEDS 20
#define PI 3.14159265358979323846
#define E0 583000.0
#define N0 2323000.0

/* ---- random numbers (splitmix64: the same sequence everywhere) ------------------ */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t next_u64(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Uniform in [a, b). */
static double uniform(rng *r, double a, double b)
{
    return a + (b - a) * (double)(next_u64(r) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, n). */
static int pick(rng *r, int n)
{
    return (int)(next_u64(r) % (uint64_t)n);
}

/* ---- random polygons ------------------------------------------------------------ */

/* A ring of n points (closed here) at offsets from (E0, N0). */
static OGRGeometryH make_ring(const double (*p)[2], int n)
{
    OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
    for (int i = 0; i <= n; i++)
        OGR_G_AddPoint_2D(ring, E0 + p[i % n][0], N0 + p[i % n][1]);
    return ring;
}

/* The corners of a w x h rectangle centred on (cx, cy), turned by a. */
static void rect_points(double cx, double cy, double w, double h, double a, double (*p)[2])
{
    static const double sx[4] = {-1, 1, 1, -1}, sy[4] = {-1, -1, 1, 1};
    for (int i = 0; i < 4; i++) {
        double x = sx[i] * w / 2, y = sy[i] * h / 2;
        p[i][0] = cx + x * cos(a) - y * sin(a);
        p[i][1] = cy + x * sin(a) + y * cos(a);
    }
}

/*
 * A random polygon around (cx, cy) of about `size` metres: a turned
 * rectangle or a star polygon (vertices at increasing angles: simple), with
 * a hole (a smaller copy scaled about the centre) when `hole`.
 */
static OGRGeometryH random_polygon(rng *r, double cx, double cy, double size, int hole)
{
    double p[12][2];
    int n;
    if (pick(r, 2) == 0) {
        n = 4;
        rect_points(cx, cy, size * uniform(r, 0.4, 1.0), size * uniform(r, 0.4, 1.0),
                    uniform(r, 0, PI), p);
    } else {
        n = 5 + pick(r, 7);
        double a0 = uniform(r, 0, 2 * PI);
        for (int i = 0; i < n; i++) {
            double a = a0 + 2 * PI * (i + uniform(r, 0.1, 0.9)) / n;
            double rad = size / 2 * uniform(r, 0.5, 1.0);
            p[i][0] = cx + rad * cos(a);
            p[i][1] = cy + rad * sin(a);
        }
    }
    OGRGeometryH g = OGR_G_CreateGeometry(wkbPolygon);
    OGR_G_AddGeometryDirectly(g, make_ring(p, n));
    if (hole) {
        double q[12][2], k = uniform(r, 0.15, 0.35); /* inside: the shape is star-shaped */
        for (int i = 0; i < n; i++) {
            q[n - 1 - i][0] = cx + k * (p[i][0] - cx);
            q[n - 1 - i][1] = cy + k * (p[i][1] - cy);
        }
        OGR_G_AddGeometryDirectly(g, make_ring(q, n));
    }
    return g;
}

/* A bow-tie (self-crossing) of about `size` metres around (cx, cy). */
static OGRGeometryH bowtie(rng *r, double cx, double cy, double size)
{
    double w = size / 2, h = size / 2 * uniform(r, 0.5, 1.0), t = uniform(r, 0.3, 1.0);
    const double p[4][2] = {
        {cx - w, cy - h}, {cx + w, cy + h * t}, {cx + w, cy - h}, {cx - w, cy + h}};
    OGRGeometryH g = OGR_G_CreateGeometry(wkbPolygon);
    OGR_G_AddGeometryDirectly(g, make_ring(p, 4));
    return g;
}

/* ---- writing a seed's layers ------------------------------------------------------ */

/* Create a GPKG layer in EPSG:5897 with string fields. */
static GDALDatasetH new_layer(const char *path, const char *name, const char *const *fields,
                              OGRLayerH *l)
{
    GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GPKG"), path, 0, 0, 0, GDT_Unknown, NULL);
    assert_non_null(ds);
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(srs, 5897);
    *l = GDALDatasetCreateLayer(ds, name, srs, wkbPolygon, NULL);
    OSRRelease(srs);
    assert_non_null(*l);
    for (size_t i = 0; fields[i]; i++) {
        OGRFieldDefnH fd = OGR_Fld_Create(fields[i], OFTString);
        assert_int_equal(OGR_L_CreateField(*l, fd, TRUE), OGRERR_NONE);
        OGR_Fld_Destroy(fd);
    }
    return ds;
}

/* Write a feature with geometry g (taken) and two text fields (b may be NULL). */
static void put_feature(OGRLayerH l, OGRGeometryH g, const char *a, const char *b, int set_b)
{
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
    OGR_F_SetFieldString(f, 0, a);
    if (set_b) {
        if (b)
            OGR_F_SetFieldString(f, 1, b);
        else
            OGR_F_SetFieldNull(f, 1);
    }
    OGR_F_SetGeometryDirectly(f, g);
    assert_int_equal(OGR_L_CreateFeature(l, f), OGRERR_NONE);
    OGR_F_Destroy(f);
}

/* Classes a zone may get: allowed, conflicting, padded, mixed case, blank, NULL. */
static const char *const class_pool[] = {"SKN", "skn ", "SKC", " Skc", "SKK", "LUA", "lua",
                                         "ONT", "odt",  "ODT", "",     "  ",  NULL};
#define N_CLASSES (int)(sizeof class_pool / sizeof class_pool[0])

/* The folder of seed s. */
static void seed_dir(int s, char *buf, size_t n)
{
    snprintf(buf, n, "%s/seed%02d", WORK_DIR, s);
}

/* Write seed s's clusters, zoning, districts and job file. */
static void write_seed(int s)
{
    char dir[512], path[600];
    seed_dir(s, dir, sizeof dir);
    run_result rr = run("mkdir -p '%s'", dir);
    assert_int_equal(rr.status, 0);
    run_free(&rr);
    rng r = {0x5EED0000u + (uint64_t)s};
    OGRLayerH l;

    /* Clusters: 2-4 of 80-250 m in [0, 600]^2, one in ten a bow-tie. */
    static const char *const cfields[] = {"ma", NULL};
    snprintf(path, sizeof path, "%s/clusters.gpkg", dir);
    GDALDatasetH ds = new_layer(path, "clusters", cfields, &l);
    int nc = 2 + pick(&r, 3);
    double cx[4], cy[4];
    for (int i = 0; i < nc; i++) {
        char id[16];
        snprintf(id, sizeof id, "R%d", i + 1);
        cx[i] = uniform(&r, 100, 500);
        cy[i] = uniform(&r, 100, 500);
        double size = uniform(&r, 80, 250);
        OGRGeometryH g = pick(&r, 10) == 0
                             ? bowtie(&r, cx[i], cy[i], size)
                             : random_polygon(&r, cx[i], cy[i], size, pick(&r, 3) == 0);
        put_feature(l, g, id, NULL, 0);
    }
    GDALClose(ds);

    /* Zones: 260-900; most small near the clusters, some large anywhere;
     * some exact copies of an earlier zone (duplicates, stacked). */
    static const char *const zfields[] = {"ma_vung", "loai", NULL};
    snprintf(path, sizeof path, "%s/zoning.gpkg", dir);
    ds = new_layer(path, "zoning", zfields, &l);
    int nz = 260 + pick(&r, 641);
    OGRGeometryH *made = calloc((size_t)nz, sizeof *made);
    assert_non_null(made);
    for (int k = 0; k < nz; k++) {
        char id[16];
        snprintf(id, sizeof id, "Z%d", k + 1);
        OGRGeometryH g;
        if (k > 0 && pick(&r, 8) == 0) {
            g = OGR_G_Clone(made[pick(&r, k)]);
        } else if (pick(&r, 10) == 0) {
            g = random_polygon(&r, uniform(&r, -100, 700), uniform(&r, -100, 700),
                               uniform(&r, 100, 400), pick(&r, 3) == 0);
        } else if (pick(&r, 40) == 0) {
            g = bowtie(&r, uniform(&r, 0, 600), uniform(&r, 0, 600), uniform(&r, 10, 80));
        } else {
            int c = pick(&r, nc);
            g = random_polygon(&r, cx[c] + uniform(&r, -150, 150), cy[c] + uniform(&r, -150, 150),
                               uniform(&r, 10, 80), pick(&r, 5) == 0);
        }
        made[k] = OGR_G_Clone(g);
        put_feature(l, g, id, class_pool[pick(&r, N_CLASSES)], 1);
    }
    for (int k = 0; k < nz; k++)
        OGR_G_DestroyGeometry(made[k]);
    free(made);
    GDALClose(ds);

    /* Districts: Tây west of x0, Đông east of it in two features split at y0;
     * the layer ends at 800 m, or inside the clusters' range (650 m). */
    static const char *const dfields[] = {"ten", NULL};
    snprintf(path, sizeof path, "%s/districts.gpkg", dir);
    ds = new_layer(path, "districts", dfields, &l);
    double x0 = uniform(&r, 150, 450), y0 = uniform(&r, 150, 450);
    double east = pick(&r, 2) ? 800 : 650;
    double p[4][2];
    rect_points((x0 - 300) / 2, 300, x0 + 300, 1000, 0, p);
    OGRGeometryH g = OGR_G_CreateGeometry(wkbPolygon);
    OGR_G_AddGeometryDirectly(g, make_ring(p, 4));
    put_feature(l, g, "Tây", NULL, 0);
    const double e1[4][2] = {{x0, -200}, {east, -200}, {east, y0}, {x0, y0}};
    const double e2[4][2] = {{x0, y0}, {east, y0}, {east, 800}, {x0, 800}};
    g = OGR_G_CreateGeometry(wkbPolygon);
    OGR_G_AddGeometryDirectly(g, make_ring(e1, 4));
    put_feature(l, g, "Đông", NULL, 0);
    g = OGR_G_CreateGeometry(wkbPolygon);
    OGR_G_AddGeometryDirectly(g, make_ring(e2, 4));
    put_feature(l, g, "Đông", NULL, 0);
    GDALClose(ds);

    snprintf(path, sizeof path, "%s/job.ini", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f,
            "[job]\nname = partition seed %d\noutput = out/p\nformats = gpkg\n\n"
            "[clusters]\nsource = clusters.gpkg\nid = ma\n\n"
            "[districts]\nsource = districts.gpkg\nname = ten\n\n"
            "[zoning]\nsource = zoning.gpkg\nclass = loai\nallowed = SKN, SKC, SKK\n",
            s);
    fclose(f);
}

/* ---- reading the output back --------------------------------------------------------- */

/* One cluster's figures (NaN when the field is missing or NULL). */
typedef struct cluster_row {
    char id[16];
    double area, allow, confl, mixed, nozone, confl_pct, dist_pct; /* ha, percent */
    char top[64];
} cluster_row;

/* One cluster_zones row. */
typedef struct zone_row {
    char cluster[16], klass[64], key[64];
    double area_m2, share_pct;
    int allowed;
} zone_row;

/* A seed's output. */
typedef struct seed_out {
    int ran;        /* ccgis run succeeded */
    char err[1024]; /* its stderr otherwise */
    int n_clusters, n_rows;
    cluster_row c[4];
    zone_row *z;
    char missing[256]; /* fields of the specification not in the output */
} seed_out;

static seed_out seeds[N_SEEDS + 1];

/* A field's value as a double; NaN when the field is missing or NULL. */
static double real_field(OGRFeatureH f, const char *name, char *missing, size_t n)
{
    int k = OGR_F_GetFieldIndex(f, name);
    if (k < 0) {
        if (!strstr(missing, name)) {
            strncat(missing, " ", n - strlen(missing) - 1);
            strncat(missing, name, n - strlen(missing) - 1);
        }
        return NAN;
    }
    return OGR_F_IsFieldSetAndNotNull(f, k) ? OGR_F_GetFieldAsDouble(f, k) : NAN;
}

static void text_field(OGRFeatureH f, const char *name, char *out, size_t n)
{
    int k = OGR_F_GetFieldIndex(f, name);
    snprintf(out, n, "%s",
             k >= 0 && OGR_F_IsFieldSetAndNotNull(f, k) ? OGR_F_GetFieldAsString(f, k) : "");
}

/* A class as the specification compares it: trimmed, upper case (ASCII here). */
static void class_key(const char *c, char *out, size_t n)
{
    while (*c == ' ')
        c++;
    size_t len = strlen(c);
    while (len && c[len - 1] == ' ')
        len--;
    size_t i = 0;
    for (; i < len && i + 1 < n; i++)
        out[i] = (c[i] >= 'a' && c[i] <= 'z') ? (char)(c[i] - 'a' + 'A') : c[i];
    out[i] = '\0';
}

static void read_seed(int s, seed_out *o)
{
    char dir[512], path[600];
    seed_dir(s, dir, sizeof dir);
    snprintf(path, sizeof path, "%s/out/p/p.gpkg", dir);
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "clusters");
    assert_non_null(l);
    OGRFeatureH f;
    OGR_L_ResetReading(l);
    while ((f = OGR_L_GetNextFeature(l)) != NULL && o->n_clusters < 4) {
        cluster_row *c = &o->c[o->n_clusters++];
        size_t m = sizeof o->missing;
        text_field(f, "ma", c->id, sizeof c->id);
        c->area = real_field(f, "area_ha", o->missing, m);
        c->allow = real_field(f, "allow_ha", o->missing, m);
        c->confl = real_field(f, "confl_ha", o->missing, m);
        c->mixed = real_field(f, "mixed_ha", o->missing, m);
        c->nozone = real_field(f, "nozone_ha", o->missing, m);
        c->confl_pct = real_field(f, "confl_pct", o->missing, m);
        c->dist_pct = real_field(f, "dist_pct", o->missing, m);
        text_field(f, "confl_top", c->top, sizeof c->top);
        OGR_F_Destroy(f);
    }
    if (f)
        OGR_F_Destroy(f);
    l = GDALDatasetGetLayerByName(ds, "cluster_zones");
    assert_non_null(l);
    GIntBig n = OGR_L_GetFeatureCount(l, TRUE);
    o->z = calloc((size_t)n + 1, sizeof *o->z);
    assert_non_null(o->z);
    OGR_L_ResetReading(l);
    while ((f = OGR_L_GetNextFeature(l)) != NULL && o->n_rows < n) {
        zone_row *z = &o->z[o->n_rows++];
        text_field(f, "cluster_id", z->cluster, sizeof z->cluster);
        text_field(f, "class", z->klass, sizeof z->klass);
        class_key(z->klass, z->key, sizeof z->key);
        z->area_m2 = real_field(f, "area_m2", o->missing, sizeof o->missing);
        z->share_pct = real_field(f, "share_pct", o->missing, sizeof o->missing);
        double allowed = real_field(f, "allowed", o->missing, sizeof o->missing);
        z->allowed = allowed == 1 ? 1 : allowed == 0 ? 0 : -1;
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
}

static int setup_all(void **state)
{
    (void)state;
    GDALAllRegister();
    for (int s = 1; s <= N_SEEDS; s++) {
        write_seed(s);
        char dir[512];
        seed_dir(s, dir, sizeof dir);
        run_result r = run("%s run -q '%s/job.ini'", CCGIS_BIN, dir);
        seeds[s].ran = r.status == 0;
        snprintf(seeds[s].err, sizeof seeds[s].err, "%s", r.err);
        run_free(&r);
        if (seeds[s].ran)
            read_seed(s, &seeds[s]);
    }
    return 0;
}

static int teardown_all(void **state)
{
    (void)state;
    for (int s = 1; s <= N_SEEDS; s++)
        free(seeds[s].z);
    return 0;
}

/* ---- checking ------------------------------------------------------------------------ */

/* Print one failure (with the seed) and count it. */
static int failures;
static void bad(int s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bad(int s, const char *fmt, ...)
{
    if (failures < 60) {
        va_list ap;
        va_start(ap, fmt);
        fprintf(stderr, "  seed %2d: ", s);
        vfprintf(stderr, fmt, ap);
        fprintf(stderr, "\n");
        va_end(ap);
    } else if (failures == 60) {
        fprintf(stderr, "  ... (more failures not shown)\n");
    }
    failures++;
}

/* Start a check over the seeds: the run must have worked. */
static int seed_usable(int s)
{
    if (!seeds[s].ran) {
        bad(s, "ccgis run failed: %s", seeds[s].err);
        return 0;
    }
    return 1;
}

/* allow + confl + mixed + nozone = area_ha, each part >= 0. */
static void parts_add_up_to_the_area(void **state)
{
    (void)state;
    failures = 0;
    for (int s = 1; s <= N_SEEDS; s++) {
        if (!seed_usable(s))
            continue;
        if (seeds[s].missing[0]) {
            /* Without the four parts, what can be said of the two there are. */
            bad(s, "the output lacks fields of the specification:%s", seeds[s].missing);
            for (int i = 0; i < seeds[s].n_clusters; i++) {
                const cluster_row *c = &seeds[s].c[i];
                if (!(c->allow + c->confl <= c->area * (1 + 1e-9)))
                    bad(s, "%s: allow_ha %.9g + confl_ha %.9g > area_ha %.9g", c->id, c->allow,
                        c->confl, c->area);
            }
            continue;
        }
        for (int i = 0; i < seeds[s].n_clusters; i++) {
            const cluster_row *c = &seeds[s].c[i];
            double sum = c->allow + c->confl + c->mixed + c->nozone;
            if (!(fabs(sum - c->area) <= 1e-9 * c->area))
                bad(s,
                    "%s: allow %.9g + confl %.9g + mixed %.9g + nozone %.9g = %.12g ha, "
                    "area_ha %.12g (relative difference %.2g)",
                    c->id, c->allow, c->confl, c->mixed, c->nozone, sum, c->area,
                    fabs(sum - c->area) / c->area);
            const double parts[4] = {c->allow, c->confl, c->mixed, c->nozone};
            static const char *const names[4] = {"allow_ha", "confl_ha", "mixed_ha", "nozone_ha"};
            for (int k = 0; k < 4; k++)
                if (!(parts[k] >= -1e-9 * c->area))
                    bad(s, "%s: %s = %.9g < 0", c->id, names[k], parts[k]);
        }
    }
    assert_int_equal(failures, 0);
}

/* share_pct, confl_pct, dist_pct in [0, 100]; confl_pct and share_pct as defined. */
static void percentages_are_shares_of_the_area(void **state)
{
    (void)state;
    failures = 0;
    for (int s = 1; s <= N_SEEDS; s++) {
        if (!seed_usable(s))
            continue;
        const seed_out *o = &seeds[s];
        for (int i = 0; i < o->n_clusters; i++) {
            const cluster_row *c = &o->c[i];
            if (!(c->confl_pct >= 0 && c->confl_pct <= 100))
                bad(s, "%s: confl_pct %.12g not in [0, 100]", c->id, c->confl_pct);
            if (!(c->dist_pct >= 0 && c->dist_pct <= 100))
                bad(s, "%s: dist_pct %.12g not in [0, 100]", c->id, c->dist_pct);
            if (!(fabs(c->confl_pct - 100 * c->confl / c->area) <= 1e-7))
                bad(s, "%s: confl_pct %.12g, 100 confl_ha / area_ha = %.12g", c->id, c->confl_pct,
                    100 * c->confl / c->area);
        }
        for (int k = 0; k < o->n_rows; k++) {
            const zone_row *z = &o->z[k];
            if (!(z->share_pct >= 0 && z->share_pct <= 100))
                bad(s, "%s class '%s': share_pct %.12g not in [0, 100]", z->cluster, z->klass,
                    z->share_pct);
            for (int i = 0; i < o->n_clusters; i++)
                if (strcmp(o->c[i].id, z->cluster) == 0 &&
                    !(fabs(z->share_pct - z->area_m2 / o->c[i].area / 100) <= 1e-7))
                    bad(s, "%s class '%s': share_pct %.12g, 100 area_m2 / area = %.12g", z->cluster,
                        z->klass, z->share_pct, z->area_m2 / o->c[i].area / 100);
        }
    }
    assert_int_equal(failures, 0);
}

/* One row per class, none blank, allowed as listed; the rows bound A, C and
 * A ∪ C; confl_top is the largest other class. */
static void class_rows_bound_the_parts(void **state)
{
    (void)state;
    failures = 0;
    for (int s = 1; s <= N_SEEDS; s++) {
        if (!seed_usable(s))
            continue;
        const seed_out *o = &seeds[s];
        for (int k = 0; k < o->n_rows; k++) {
            const zone_row *z = &o->z[k];
            if (!z->key[0])
                bad(s, "%s: a row for the blank class '%s'", z->cluster, z->klass);
            int listed = strcmp(z->key, "SKN") == 0 || strcmp(z->key, "SKC") == 0 ||
                         strcmp(z->key, "SKK") == 0;
            if (z->allowed != listed)
                bad(s, "%s class '%s': allowed %d", z->cluster, z->klass, z->allowed);
            for (int j = 0; j < k; j++)
                if (strcmp(o->z[j].cluster, z->cluster) == 0 && strcmp(o->z[j].key, z->key) == 0)
                    bad(s, "%s: two rows for one class ('%s' and '%s')", z->cluster, o->z[j].klass,
                        z->klass);
        }
        if (o->missing[0])
            bad(s, "the rows' bounds on the parts not checked: the output lacks%s", o->missing);
        for (int i = 0; i < o->n_clusters; i++) {
            const cluster_row *c = &o->c[i];
            double area_m2 = c->area * 1e4, tol = fmax(1e-6 * area_m2, 0.01);
            /* [0] allowed rows, [1] the others, [2] all */
            double mx[3] = {0, 0, 0}, sum[3] = {0, 0, 0}, top_a = 0, second_a = 0;
            const char *top = "";
            for (int k = 0; k < o->n_rows; k++) {
                const zone_row *z = &o->z[k];
                if (strcmp(z->cluster, c->id) != 0)
                    continue;
                int g = z->allowed ? 0 : 1;
                mx[g] = fmax(mx[g], z->area_m2);
                sum[g] += z->area_m2;
                mx[2] = fmax(mx[2], z->area_m2);
                sum[2] += z->area_m2;
                if (!z->allowed && z->area_m2 > top_a) {
                    second_a = top_a;
                    top_a = z->area_m2;
                    top = z->klass;
                } else if (!z->allowed && z->area_m2 > second_a) {
                    second_a = z->area_m2;
                }
            }
            const double part[3] = {(c->allow + c->mixed) * 1e4, (c->confl + c->mixed) * 1e4,
                                    (c->area - c->nozone) * 1e4};
            static const char *const what[3] = {"allow + mixed (area of A)",
                                                "confl + mixed (area of C)",
                                                "area - nozone (area of A u C)"};
            for (int h = 0; h < 3 && !o->missing[0]; h++)
                if (!(mx[h] <= part[h] + tol && part[h] <= sum[h] + tol))
                    bad(s,
                        "%s: %s = %.6f m2 not between the largest row %.6f and the sum of "
                        "rows %.6f",
                        c->id, what[h], part[h], mx[h], sum[h]);
            if (top_a - second_a > 1e-9 * area_m2 && strcmp(c->top, top) != 0)
                bad(s, "%s: confl_top '%s', the largest other class is '%s' (%.3f m2)", c->id,
                    c->top, top, top_a);
        }
    }
    assert_int_equal(failures, 0);
}

/* Every layer of two overlay outputs: the same features, fields bit for bit
 * and geometries byte for byte.  Returns the number of differences. */
static int compare_outputs(int s, const char *a, const char *b)
{
    GDALDatasetH da = GDALOpenEx(a, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    GDALDatasetH db = GDALOpenEx(b, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    int diffs = 0;
    if (!da || !db) {
        bad(s, "cannot open %s or %s", a, b);
        diffs++;
        goto done;
    }
    OGRLayerH la = GDALDatasetGetLayer(da, 0), lb = GDALDatasetGetLayer(db, 0);
    OGR_L_ResetReading(la);
    OGR_L_ResetReading(lb);
    for (long long k = 0;; k++) {
        OGRFeatureH fa = OGR_L_GetNextFeature(la), fb = OGR_L_GetNextFeature(lb);
        if (!fa || !fb) {
            if (fa || fb) {
                bad(s, "%s: --jobs 1 and --jobs 4 differ in feature count", a);
                diffs++;
            }
            if (fa)
                OGR_F_Destroy(fa);
            if (fb)
                OGR_F_Destroy(fb);
            break;
        }
        int nf = OGR_F_GetFieldCount(fa);
        if (nf != OGR_F_GetFieldCount(fb)) {
            bad(s, "%s: field counts differ", a);
            diffs++;
        }
        for (int i = 0; i < nf && i < OGR_F_GetFieldCount(fb); i++) {
            OGRFieldDefnH fd = OGR_F_GetFieldDefnRef(fa, i);
            const char *name = OGR_Fld_GetNameRef(fd);
            if (OGR_Fld_GetType(fd) == OFTReal) {
                double x = OGR_F_GetFieldAsDouble(fa, i), y = OGR_F_GetFieldAsDouble(fb, i);
                if (memcmp(&x, &y, sizeof x) != 0) {
                    bad(s, "%s feature %lld %s: %.17g with --jobs 1, %.17g with --jobs 4", a, k,
                        name, x, y);
                    diffs++;
                }
            } else if (strcmp(OGR_F_GetFieldAsString(fa, i), OGR_F_GetFieldAsString(fb, i)) != 0) {
                bad(s, "%s feature %lld %s: '%s' with --jobs 1, '%s' with --jobs 4", a, k, name,
                    OGR_F_GetFieldAsString(fa, i), OGR_F_GetFieldAsString(fb, i));
                diffs++;
            }
        }
        OGRGeometryH ga = OGR_F_GetGeometryRef(fa), gb = OGR_F_GetGeometryRef(fb);
        int na = ga ? OGR_G_WkbSize(ga) : 0, nb = gb ? OGR_G_WkbSize(gb) : 0;
        unsigned char *wa = malloc((size_t)na + 1), *wb = malloc((size_t)nb + 1);
        if (ga)
            OGR_G_ExportToWkb(ga, wkbNDR, wa);
        if (gb)
            OGR_G_ExportToWkb(gb, wkbNDR, wb);
        if (na != nb || (na && memcmp(wa, wb, (size_t)na) != 0)) {
            bad(s, "%s feature %lld: geometries differ between --jobs 1 and --jobs 4", a, k);
            diffs++;
        }
        free(wa);
        free(wb);
        OGR_F_Destroy(fa);
        OGR_F_Destroy(fb);
    }
done:
    if (da)
        GDALClose(da);
    if (db)
        GDALClose(db);
    return diffs;
}

/* `ccgis overlay` (the analysis command: `ccgis run` has no --jobs) with 1
 * and with 4 worker threads: identical outputs. */
static void one_and_four_threads_write_identical_figures(void **state)
{
    (void)state;
    failures = 0;
    for (int s = 1; s <= N_SEEDS; s++) {
        char dir[512];
        seed_dir(s, dir, sizeof dir);
        for (int jobs = 1; jobs <= 4; jobs += 3) {
            run_result r = run("cd '%s' && %s overlay clusters.gpkg zoning.gpkg --id ma --class "
                               "loai --allowed SKN,SKC,SKK -o o%d.gpkg -p p%d.gpkg --jobs %d -q "
                               "--overwrite",
                               dir, CCGIS_BIN, jobs, jobs, jobs);
            if (r.status != 0)
                bad(s, "ccgis overlay --jobs %d failed: %s", jobs, r.err);
            run_free(&r);
        }
        char a[600], b[600];
        snprintf(a, sizeof a, "%s/o1.gpkg", dir);
        snprintf(b, sizeof b, "%s/o4.gpkg", dir);
        compare_outputs(s, a, b);
        snprintf(a, sizeof a, "%s/p1.gpkg", dir);
        snprintf(b, sizeof b, "%s/p4.gpkg", dir);
        compare_outputs(s, a, b);
    }
    assert_int_equal(failures, 0);
}

int main(void)
{
    reset_work_dir();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parts_add_up_to_the_area),
        cmocka_unit_test(percentages_are_shares_of_the_area),
        cmocka_unit_test(class_rows_bound_the_parts),
        cmocka_unit_test(one_and_four_threads_write_identical_figures),
    };
    return cmocka_run_group_tests_name("partition properties", tests, setup_all, teardown_all);
}
