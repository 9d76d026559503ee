/*
 * test_programme_run.c -- the programme in a run: a job with [plan],
 * [wastewater], villages, districts and the programme fields of [clusters]
 * on known-answer layers written here, checked in every output.
 *
 * Inputs (GeoJSON written by this test): today's clusters and the planned
 * ones are the boxes of tests/unit/change_cases.h (one case per change
 * class; test_change_postgis proved ccgis_change's areas on them against
 * PostGIS); the plants are those of tests/unit/wastewater_cases.h, whose
 * clusters P1, P2 and P3 are the boxes A, B and C here (test_wastewater_
 * postgis proved those distances against PostGIS).  A second run reads the
 * plan layer carried to VN-2000 / TM-3 105° (EPSG:5897) by ogr2ogr: the
 * run reprojects it and finds the same groups.
 *
 * References, computed here without ccgis:
 *   - areas: PROJ's geod_polygonarea (the geodesic area PostGIS
 *     ST_Area(geography) gives) of each box, and of the boxes gained and
 *     lost, added by hand; tolerance 1e-6 relative (cut points lie on
 *     lon/lat-straight edges, not on the geodesic: about 2e-9 here);
 *   - the plant states, WWTP_MISSING and the operating share: counted by
 *     hand from wastewater_cases.h (W1 inside A; W2 145 m from B and fails;
 *     W5 inside F; W3, W4, W6, W7 serve none of these clusters);
 *   - the programme lists: counted by hand from the fields written below;
 *   - the relocation gap: V3 is far from every cluster; its nearest planned
 *     cluster is L, whose north-east corner is its nearest point: PROJ's
 *     geod_inverse to it, tolerance 0.5 m.
 * The layers are read back with GDAL's OGR C API, summary.json with jansson,
 * the workbook with openpyxl (workbook_check.py programme; skipped when
 * python3-openpyxl is missing).
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
#include <geodesic.h>
#include <jansson.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "../unit/change_cases.h"
#include "../unit/wastewater_cases.h"
#include "harness.h"

#define OUT WORK_DIR "/out"
#define OUT_EN WORK_DIR "/out_en"

static struct geod_geodesic wgs84;
static char *run_err; /* the vi run's stderr */

/* Geodesic area of a lon/lat box, m² (PROJ). */
static double box_m2(double x0, double y0, double x1, double y1)
{
    double lats[4] = {y0, y0, y1, y1}, lons[4] = {x0, x1, x1, x0}, a = 0;
    geod_polygonarea(&wgs84, lats, lons, 4, &a, NULL);
    return fabs(a);
}

/* Today's statuses, programme fields, by box of change_now. */
static const struct {
    const char *status, *year, *start, *p1500, *ent;
} now_fields[] = {
    /* A */ {"Đang hoạt động", "2019", NULL, "2021-03-01", "1.200"},
    /* B */ {"đang hoạt động", "2019-05-10", "2020", NULL, "4 169"},
    /* C */ {"Operating", "05/2019", NULL, NULL, "35"},
    /* D */ {"Đang xây dựng", "2015", NULL, "2018", NULL},
    /* E */ {"Đang xây dựng", "20l9", NULL, NULL, NULL},
    /* F */ {"Quy hoạch", "2018", NULL, NULL, NULL},
    /* G */ {"Quy hoạch", NULL, NULL, NULL, NULL},
    /* I */ {"Quy hoạch", NULL, NULL, NULL, NULL},
    /* J */ {"Quy hoạch", NULL, NULL, NULL, NULL},
    /* K */ {"Quy hoạch", NULL, NULL, NULL, NULL},
    /* L */ {"Quy hoạch", NULL, NULL, NULL, NULL},
};

/* A JSON string member or null. */
static void jmember(FILE *f, const char *name, const char *v, int last)
{
    if (v)
        fprintf(f, "\"%s\": \"%s\"%s", name, v, last ? "" : ", ");
    else
        fprintf(f, "\"%s\": null%s", name, last ? "" : ", ");
}

/* Write the inputs and the jobs. */
static void write_inputs(void)
{
    FILE *f = fopen(WORK_DIR "/now.geojson", "w");
    assert_non_null(f);
    fprintf(f, "{\"type\": \"FeatureCollection\", \"features\": [\n");
    for (size_t k = 0; k < CHANGE_N_NOW; k++) {
        const change_box *b = &change_now[k];
        fprintf(f, "%s{\"type\": \"Feature\", \"properties\": {", k ? ",\n" : "");
        jmember(f, "ma", b->id, 0);
        jmember(f, "tt", now_fields[k].status, 0);
        jmember(f, "nam", now_fields[k].year, 0);
        jmember(f, "kc", now_fields[k].start, 0);
        jmember(f, "qh", now_fields[k].p1500, 0);
        jmember(f, "dn", now_fields[k].ent, 1);
        fprintf(f,
                "}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[%.7f, %.7f], "
                "[%.7f, %.7f], [%.7f, %.7f], [%.7f, %.7f], [%.7f, %.7f]]]}}",
                b->x0, b->y0, b->x1, b->y0, b->x1, b->y1, b->x0, b->y1, b->x0, b->y0);
    }
    fprintf(f, "]}\n");
    fclose(f);
    /* The plan in lon/lat first, then carried to EPSG:5897 by ogr2ogr. */
    f = fopen(WORK_DIR "/plan_ll.geojson", "w");
    assert_non_null(f);
    fprintf(f, "{\"type\": \"FeatureCollection\", \"features\": [\n");
    for (size_t k = 0; k < CHANGE_N_PLAN; k++) {
        const change_box *b = &change_plan[k];
        fprintf(f,
                "%s{\"type\": \"Feature\", \"properties\": {\"ma\": \"%s\", \"tt\": \"Quy "
                "hoạch\"}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[%.7f, "
                "%.7f], [%.7f, %.7f], [%.7f, %.7f], [%.7f, %.7f], [%.7f, %.7f]]]}}",
                k ? ",\n" : "", b->id, b->x0, b->y0, b->x1, b->y0, b->x1, b->y1, b->x0, b->y1,
                b->x0, b->y0);
    }
    fprintf(f, "]}\n");
    fclose(f);
    run_result r = run("ogr2ogr -f GPKG -t_srs EPSG:5897 %s/plan.gpkg %s/plan_ll.geojson "
                       "-nln plan",
                       WORK_DIR, WORK_DIR);
    assert_int_equal(r.status, 0);
    run_free(&r);
    f = fopen(WORK_DIR "/plants.geojson", "w");
    assert_non_null(f);
    fprintf(f, "{\"type\": \"FeatureCollection\", \"features\": [\n");
    for (size_t k = 0; k < WW_N_PLANTS; k++)
        fprintf(f,
                "%s{\"type\": \"Feature\", \"properties\": {\"id\": \"%s\", \"dat\": \"%s\"}, "
                "\"geometry\": {\"type\": \"Point\", \"coordinates\": [%.7f, %.7f]}}",
                k ? ",\n" : "", ww_plants[k].id, ww_plants[k].standard, ww_plants[k].x,
                ww_plants[k].y);
    /* and one whose standard reads neither yes nor no, far from everything */
    fprintf(f, ",\n{\"type\": \"Feature\", \"properties\": {\"id\": \"W8\", \"dat\": "
               "\"đang xét\"}, \"geometry\": {\"type\": \"Point\", \"coordinates\": [106.5, "
               "21.5]}}");
    fprintf(f, "]}\n");
    fclose(f);
    f = fopen(WORK_DIR "/villages.geojson", "w");
    assert_non_null(f);
    fprintf(f,
            "{\"type\": \"FeatureCollection\", \"features\": [\n"
            "{\"type\": \"Feature\", \"properties\": {\"id\": \"V1\", \"ten\": \"Làng Vạn "
            "Phúc\"}, \"geometry\": {\"type\": \"Point\", \"coordinates\": [105.005, 21.02]}},\n"
            "{\"type\": \"Feature\", \"properties\": {\"id\": \"V2\", \"ten\": \"Làng Bát "
            "Tràng\"}, \"geometry\": {\"type\": \"Point\", \"coordinates\": [105.205, 21.105]}},\n"
            "{\"type\": \"Feature\", \"properties\": {\"id\": \"V3\", \"ten\": \"Làng Đa "
            "Sỹ\"}, \"geometry\": {\"type\": \"Point\", \"coordinates\": [105.80, 21.30]}}]}\n");
    fclose(f);
    f = fopen(WORK_DIR "/districts.geojson", "w");
    assert_non_null(f);
    fprintf(f, "{\"type\": \"FeatureCollection\", \"features\": [\n"
               "{\"type\": \"Feature\", \"properties\": {\"ten\": \"Huyện Tây\"}, \"geometry\": "
               "{\"type\": \"Polygon\", \"coordinates\": [[[104.9, 20.9], [105.105, 20.9], "
               "[105.105, 21.4], [104.9, 21.4], [104.9, 20.9]]]}},\n"
               "{\"type\": \"Feature\", \"properties\": {\"ten\": \"Huyện Đông\"}, "
               "\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[105.105, 20.9], "
               "[105.9, 20.9], [105.9, 21.4], [105.105, 21.4], [105.105, 20.9]]]}}]}\n");
    fclose(f);
    static const char job[] = "[job]\n"
                              "name = Chương trình\n"
                              "output = %s\n"
                              "formats = geojson, gpkg\n"
                              "lang = %s\n"
                              "[clusters]\n"
                              "source = now.geojson\n"
                              "id = ma\n"
                              "status = tt\n"
                              "operating = đang hoạt động; OPERATING\n"
                              "year_set_up = nam\n"
                              "construction_start = kc\n"
                              "plan_1500 = qh\n"
                              "enterprises = dn\n"
                              "[districts]\n"
                              "source = districts.geojson\n"
                              "name = ten\n"
                              "[villages]\n"
                              "source = villages.geojson\n"
                              "id = id\n"
                              "name = ten\n"
                              "[plan]\n"
                              "source = plan_ll.geojson\n"
                              "id = ma\n"
                              "status = tt\n"
                              "[wastewater]\n"
                              "source = plants.geojson\n"
                              "id = id\n"
                              "standard_met = dat\n";
    const char *names[2] = {"/vi.ini", "/en.ini"}, *outs[2] = {"out", "out_en"},
               *langs[2] = {"vi", "en"};
    for (int k = 0; k < 2; k++) {
        char path[512];
        snprintf(path, sizeof path, "%s%s", WORK_DIR, names[k]);
        f = fopen(path, "w");
        assert_non_null(f);
        fprintf(f, job, outs[k], langs[k]);
        fclose(f);
    }
}

static int setup(void **state)
{
    (void)state;
    reset_work_dir();
    geod_init(&wgs84, 6378137.0, 1 / 298.257223563);
    GDALAllRegister();
    write_inputs();
    run_result r = run("%s run %s/vi.ini", CCGIS_BIN, WORK_DIR);
    if (r.status != 0)
        fprintf(stderr, "%s", r.err);
    int ok = r.status == 0;
    run_err = r.err;
    r.err = NULL;
    run_free(&r);
    r = run("%s run -q %s/en.ini", CCGIS_BIN, WORK_DIR);
    if (r.status != 0)
        fprintf(stderr, "%s", r.err);
    ok = ok && r.status == 0;
    run_free(&r);
    return ok ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(run_err);
    return 0;
}

/* The box of `id` in boxes[0..n). */
static const change_box *box_of(const change_box *boxes, size_t n, const char *id)
{
    for (size_t k = 0; k < n; k++)
        if (strcmp(boxes[k].id, id) == 0)
            return &boxes[k];
    fail_msg("no box %s", id);
    return NULL;
}

/* The summed box areas of the ids in `list` ("E1,E2"; "" none), m². */
static double boxes_m2(const change_box *boxes, size_t n, const char *list)
{
    double a = 0;
    char copy[64];
    snprintf(copy, sizeof copy, "%s", list);
    for (char *save = NULL, *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        const change_box *b = box_of(boxes, n, t);
        a += box_m2(b->x0, b->y0, b->x1, b->y1);
    }
    return a;
}

/* "E1,E2" as the layer writes it: "E1, E2". */
static void spaced(const char *list, char *out, size_t cap)
{
    size_t o = 0;
    for (const char *c = list; *c && o + 2 < cap; c++) {
        out[o++] = *c;
        if (*c == ',')
            out[o++] = ' ';
    }
    out[o] = '\0';
}

/* Land gained and lost by hand, m², for the groups whose pieces are boxes. */
static void gained_lost(const char *id, double *gained, double *lost)
{
    *gained = *lost = 0;
    if (strcmp(id, "B") == 0)
        *gained = box_m2(105.03, 21.00, 105.035, 21.01);
    else if (strcmp(id, "C") == 0)
        *lost = box_m2(105.045, 21.00, 105.05, 21.01);
    else if (strcmp(id, "D") == 0) {
        *gained = box_m2(105.06, 21.05, 105.07, 21.06);
        *lost = box_m2(105.06, 21.00, 105.07, 21.01);
    } else if (strcmp(id, "J") == 0) {
        *gained = box_m2(105.41, 21.00, 105.415, 21.01);
        *lost = box_m2(105.40, 21.00, 105.402, 21.01);
    } else if (strcmp(id, "K") == 0) {
        *gained = box_m2(105.51, 21.00, 105.512, 21.01);
        *lost = box_m2(105.50, 21.00, 105.502, 21.01);
    } else if (strcmp(id, "I") == 0)
        *lost = box_m2(105.30, 21.10, 105.31, 21.11);
    else if (strcmp(id, "") == 0) /* H, new */
        *gained = box_m2(105.20, 21.10, 105.21, 21.11);
}

static int close_rel(double got, double want, double rel)
{
    double scale = fabs(want) > 1 ? fabs(want) : 1;
    if (fabs(got - want) <= rel * scale)
        return 1;
    fprintf(stderr, "got %.9f, want %.9f\n", got, want);
    return 0;
}

/* plan_changes: one feature per group, its class and areas against PROJ. */
static void test_plan_changes_layer(void **state)
{
    (void)state;
    GDALDatasetH ds =
        GDALOpenEx(OUT "/out.gpkg", GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "plan_changes");
    assert_non_null(l);
    assert_int_equal(OGR_L_GetFeatureCount(l, 1), (long long)CHANGE_N_GROUPS);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(l);
    int fi[8];
    static const char *const names[8] = {"cluster_id",   "plan_id",  "change",    "area_ha",
                                         "plan_area_ha", "delta_ha", "gained_ha", "lost_ha"};
    for (int k = 0; k < 8; k++)
        assert_true((fi[k] = OGR_FD_GetFieldIndex(defn, names[k])) >= 0);
    size_t seen = 0;
    OGRFeatureH f;
    OGR_L_ResetReading(l);
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        const char *now = OGR_F_GetFieldAsString(f, fi[0]);
        const char *plan = OGR_F_GetFieldAsString(f, fi[1]);
        const change_want *w = NULL;
        for (size_t g = 0; g < CHANGE_N_GROUPS; g++) {
            char a[64], b[64];
            spaced(change_groups[g].now, a, sizeof a);
            spaced(change_groups[g].plan, b, sizeof b);
            if (strcmp(a, now) == 0 && strcmp(b, plan) == 0)
                w = &change_groups[g];
        }
        if (!w)
            fail_msg("unexpected group '%s' / '%s'", now, plan);
        seen++;
        assert_string_equal(OGR_F_GetFieldAsString(f, fi[2]), w->kind);
        double now_m2 = boxes_m2(change_now, CHANGE_N_NOW, w->now);
        double plan_m2 = boxes_m2(change_plan, CHANGE_N_PLAN, w->plan);
        assert_true(close_rel(OGR_F_GetFieldAsDouble(f, fi[3]), now_m2 / 1e4, 1e-6));
        assert_true(close_rel(OGR_F_GetFieldAsDouble(f, fi[4]), plan_m2 / 1e4, 1e-6));
        assert_true(fabs(OGR_F_GetFieldAsDouble(f, fi[5]) - (plan_m2 - now_m2) / 1e4) <=
                    1e-6 * (now_m2 > plan_m2 ? now_m2 : plan_m2) / 1e4);
        const char *first = strcmp(w->now, "") ? w->now : "";
        if (strchr(first, ',') == NULL && strcmp(w->kind, "split") != 0 &&
            strcmp(w->kind, "unchanged") != 0) {
            double g, lo;
            gained_lost(first, &g, &lo);
            double slack = 1e-6 * (now_m2 > plan_m2 ? now_m2 : plan_m2) / 1e4;
            assert_true(fabs(OGR_F_GetFieldAsDouble(f, fi[6]) - g / 1e4) <= slack);
            assert_true(fabs(OGR_F_GetFieldAsDouble(f, fi[7]) - lo / 1e4) <= slack);
        }
        /* the land that changes hands is the geometry: none for unchanged A */
        OGRGeometryH geom = OGR_F_GetGeometryRef(f);
        if (strcmp(w->now, "A") == 0)
            assert_true(geom == NULL || OGR_G_IsEmpty(geom));
        if (strcmp(w->kind, "moved") == 0 || strcmp(w->kind, "new") == 0)
            assert_true(geom != NULL && !OGR_G_IsEmpty(geom));
        OGR_F_Destroy(f);
    }
    assert_int_equal(seen, CHANGE_N_GROUPS);
    GDALClose(ds);
}

/* The clusters' change and wwtp fields; the flags. */
static void test_cluster_fields(void **state)
{
    (void)state;
    GDALDatasetH ds =
        GDALOpenEx(OUT "/out.gpkg", GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "clusters");
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(l);
    int ci = OGR_FD_GetFieldIndex(defn, "change"), wi = OGR_FD_GetFieldIndex(defn, "wwtp");
    int ii = OGR_FD_GetFieldIndex(defn, "ma"), fl = OGR_FD_GetFieldIndex(defn, "flags");
    assert_true(ci >= 0 && wi >= 0 && ii >= 0 && fl >= 0);
    static const struct {
        const char *id, *change, *wwtp, *flags;
    } want[] = {
        {"A", "unchanged", "compliant", "NOT_STARTED"},
        {"B", "expanded", "not_compliant", "WWTP_MISSING;NO_PLAN_1500"},
        {"C", "reduced", "none", "WWTP_MISSING;NOT_STARTED;NO_PLAN_1500"},
        {"D", "moved", "none", ""},
        {"E", "split", "none", "NO_PLAN_1500"},
        {"F", "merged", "compliant", "NOT_STARTED;NO_PLAN_1500"},
        {"G", "merged", "none", "NO_PLAN_1500"},
        {"I", "removed", "none", "NO_PLAN_1500"},
        {"L", "unchanged", "none", "NO_PLAN_1500"},
    };
    size_t matched = 0;
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
            if (strcmp(OGR_F_GetFieldAsString(f, ii), want[k].id) != 0)
                continue;
            assert_string_equal(OGR_F_GetFieldAsString(f, ci), want[k].change);
            assert_string_equal(OGR_F_GetFieldAsString(f, wi), want[k].wwtp);
            assert_string_equal(OGR_F_GetFieldAsString(f, fl), want[k].flags);
            matched++;
        }
        OGR_F_Destroy(f);
    }
    assert_int_equal(matched, sizeof want / sizeof want[0]);
    GDALClose(ds);
}

/* The findings: WWTP_MISSING for B and C, RELOCATION_GAP for V3. */
static void test_findings(void **state)
{
    (void)state;
    GDALDatasetH ds =
        GDALOpenEx(OUT "/out.gpkg", GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "findings");
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(l);
    int ki = OGR_FD_GetFieldIndex(defn, "kind"), si = OGR_FD_GetFieldIndex(defn, "subject");
    int oi = OGR_FD_GetFieldIndex(defn, "other"), di = OGR_FD_GetFieldIndex(defn, "detail");
    char wwtp[64] = "", gaps[64] = "";
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        const char *kind = OGR_F_GetFieldAsString(f, ki);
        const char *subject = OGR_F_GetFieldAsString(f, si);
        if (strcmp(kind, "WWTP_MISSING") == 0) {
            strcat(wwtp, subject);
            if (strcmp(subject, "B") == 0) {
                assert_string_equal(OGR_F_GetFieldAsString(f, oi), "W2");
                assert_non_null(strstr(OGR_F_GetFieldAsString(f, di), "W2"));
            }
        }
        if (strcmp(kind, "RELOCATION_GAP") == 0) {
            strcat(gaps, subject);
            assert_string_equal(OGR_F_GetFieldAsString(f, oi), "L");
        }
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    assert_string_equal(wwtp, "BC");
    assert_string_equal(gaps, "V3");
}

/* summary.json's programme object. */
static void test_summary(void **state)
{
    (void)state;
    json_error_t e;
    json_t *doc = json_load_file(OUT "/summary.json", 0, &e);
    assert_non_null(doc);
    json_t *p = json_object_get(doc, "programme");
    assert_non_null(p);
    json_t *now = json_object_get(p, "now"), *plan = json_object_get(p, "plan");
    assert_int_equal(json_integer_value(json_object_get(now, "count")), CHANGE_N_NOW);
    assert_int_equal(json_integer_value(json_object_get(plan, "count")), CHANGE_N_PLAN);
    /* today's boxes do not overlap: their union is their sum (F and G touch) */
    double now_m2 = 0, plan_m2 = 0;
    for (size_t k = 0; k < CHANGE_N_NOW; k++)
        now_m2 += box_m2(change_now[k].x0, change_now[k].y0, change_now[k].x1, change_now[k].y1);
    for (size_t k = 0; k < CHANGE_N_PLAN; k++)
        plan_m2 +=
            box_m2(change_plan[k].x0, change_plan[k].y0, change_plan[k].x1, change_plan[k].y1);
    assert_true(close_rel(json_real_value(json_object_get(now, "union_ha")), now_m2 / 1e4, 1e-6));
    assert_true(close_rel(json_real_value(json_object_get(plan, "union_ha")), plan_m2 / 1e4, 1e-6));
    /* per class: the groups of change_cases.h */
    json_t *changes = json_object_get(p, "changes");
    assert_int_equal(json_array_size(changes), 8);
    size_t idx;
    json_t *row;
    json_array_foreach(changes, idx, row)
    {
        const char *kind = json_string_value(json_object_get(row, "change"));
        long long groups = 0;
        for (size_t g = 0; g < CHANGE_N_GROUPS; g++)
            groups += strcmp(change_groups[g].kind, kind) == 0;
        assert_int_equal(json_integer_value(json_object_get(row, "groups")), groups);
    }
    /* wastewater: operating A, B, C; only A compliant; 5 plants of 8 serve none */
    json_t *w = json_object_get(p, "wastewater_plants");
    assert_int_equal(json_integer_value(json_object_get(w, "plants")), 8);
    assert_int_equal(json_integer_value(json_object_get(w, "serving_none")), 5);
    assert_int_equal(json_integer_value(json_object_get(w, "compliant")), 2);
    assert_int_equal(json_integer_value(json_object_get(w, "not_compliant")), 1);
    assert_int_equal(json_integer_value(json_object_get(w, "operating")), 3);
    assert_int_equal(json_integer_value(json_object_get(w, "operating_compliant")), 1);
    assert_true(fabs(json_real_value(json_object_get(w, "operating_compliant_pct")) - 100.0 / 3) <
                1e-9);
    assert_true(json_real_value(json_object_get(w, "target_pct")) == 100.0);
    /* the lists: not started A, C, F; without a 1/500 plan all but A and D */
    json_t *ns = json_object_get(p, "not_started");
    assert_int_equal(json_array_size(ns), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(ns, 2), "id")), "F");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(ns, 1), "year_set_up")),
                     2019);
    assert_int_equal(json_array_size(json_object_get(p, "no_plan_1500")), CHANGE_N_NOW - 2);
    /* enterprises: 1.200 + 4 169 among the operating (one status), 35 too */
    json_t *ent = json_object_get(p, "enterprises");
    long long total = 0;
    json_array_foreach(ent, idx, row) total +=
        json_integer_value(json_object_get(row, "enterprises"));
    assert_int_equal(total, 1200 + 4169 + 35);
    /* relocation: V3 alone, in Huyện Đông; nearest planned cluster L */
    json_t *rel = json_object_get(p, "relocation");
    assert_int_equal(json_integer_value(json_object_get(rel, "gaps")), 1);
    json_t *gap = json_array_get(json_object_get(p, "relocation_gaps"), 0);
    assert_string_equal(json_string_value(json_object_get(gap, "id")), "V3");
    assert_string_equal(json_string_value(json_object_get(gap, "district")), "Huyện Đông");
    assert_string_equal(json_string_value(json_object_get(gap, "near_plan_id")), "L");
    double s12 = 0;
    geod_inverse(&wgs84, 21.30, 105.80, 21.01, 105.6100001, &s12, NULL, NULL);
    assert_true(fabs(json_real_value(json_object_get(gap, "near_plan_km")) * 1000 - s12) < 0.5);
    json_t *gd = json_object_get(p, "gaps_by_district");
    assert_int_equal(json_array_size(gd), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(gd, 1), "gaps")), 1);
    json_decref(doc);
}

/* The report section in both languages, with the same rows. */
static void test_report_section(void **state)
{
    (void)state;
    char *vi = slurp(OUT "/report.md"), *en = slurp(OUT_EN "/report.md");
    assert_non_null(vi);
    assert_non_null(en);
    assert_non_null(strstr(vi, "## Tiến độ chương trình"));
    assert_non_null(strstr(en, "## Programme progress"));
    /* the shape the city uses, numbers each language's way */
    assert_non_null(strstr(vi, "| Huyện Đông | "));
    assert_non_null(strstr(vi, " cụm / "));
    assert_non_null(strstr(en, " clusters / "));
    assert_non_null(strstr(vi, "1 trong 3 cụm đang hoạt động có trạm đạt quy chuẩn kỹ thuật "
                               "quốc gia: 33,3 %, so với mục tiêu 100 %."));
    assert_non_null(strstr(en, "1 of the 3 operating clusters have a plant meeting the national "
                               "technical standard: 33.3%, against the 100% target."));
    assert_non_null(strstr(vi, "| tách |"));
    assert_non_null(strstr(en, "| split |"));
    assert_non_null(strstr(vi, "| F |"));
    assert_non_null(strstr(en, "RELOCATION_GAP"));
    free(vi);
    free(en);
}

/* Warnings: the unreadable year names cluster E by id; the plant W8's
 * standard; the plan layer in EPSG:5897 is used (no CRS warning). */
static void test_warnings(void **state)
{
    (void)state;
    assert_non_null(run_err);
    assert_non_null(strstr(run_err, "id 'E'"));
    assert_non_null(strstr(run_err, "'20l9' is not a year"));
    assert_non_null(strstr(run_err, "id 'W8'"));
    assert_non_null(strstr(run_err, "'đang xét' is neither yes"));
    assert_null(strstr(run_err, "do not overlap at all"));
}

/* The plan in EPSG:5897 (ogr2ogr's copy): reprojected by the run, the same
 * groups and classes, the planned areas within 1e-5 relative of the WGS 84
 * run's (VN-2000's datum shift there and back moves a vertex by about a
 * centimetre). */
static void test_plan_in_another_crs(void **state)
{
    (void)state;
    run_result r = run("sed -e 's|^source = plan_ll.geojson|source = plan.gpkg|' -e "
                       "'s|^output = out|output = out_5897|' %s/vi.ini > %s/crs.ini && %s run -q "
                       "%s/crs.ini",
                       WORK_DIR, WORK_DIR, CCGIS_BIN, WORK_DIR);
    if (r.status != 0)
        fprintf(stderr, "%s", r.err);
    assert_int_equal(r.status, 0);
    run_free(&r);
    GDALDatasetH a =
        GDALOpenEx(OUT "/out.gpkg", GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    GDALDatasetH b = GDALOpenEx(WORK_DIR "/out_5897/out_5897.gpkg",
                                GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    assert_non_null(a);
    assert_non_null(b);
    OGRLayerH la = GDALDatasetGetLayerByName(a, "plan_changes");
    OGRLayerH lb = GDALDatasetGetLayerByName(b, "plan_changes");
    assert_int_equal(OGR_L_GetFeatureCount(la, 1), OGR_L_GetFeatureCount(lb, 1));
    OGRFeatureH fa, fb;
    while ((fa = OGR_L_GetNextFeature(la)) != NULL) {
        fb = OGR_L_GetNextFeature(lb);
        assert_non_null(fb);
        for (int k = 0; k < 3; k++) /* cluster_id, plan_id, change */
            assert_string_equal(OGR_F_GetFieldAsString(fa, k), OGR_F_GetFieldAsString(fb, k));
        double pa = OGR_F_GetFieldAsDouble(fa, 4), pb = OGR_F_GetFieldAsDouble(fb, 4);
        assert_true(fabs(pa - pb) <= 1e-5 * pa);
        OGR_F_Destroy(fa);
        OGR_F_Destroy(fb);
    }
    GDALClose(a);
    GDALClose(b);
}

/* A plan layer repeating an id is refused, naming both features; nothing is written. */
static void test_duplicate_plan_id(void **state)
{
    (void)state;
    run_result r =
        run("sed 's/\"ma\": \"C\"/\"ma\": \"B\"/' %s/plan_ll.geojson > "
            "%s/dup.geojson && sed -e 's|^source = plan_ll.geojson|source = dup.geojson|' "
            "-e 's|^output = out|output = out_dup|' %s/vi.ini > %s/dup.ini && %s run "
            "%s/dup.ini",
            WORK_DIR, WORK_DIR, WORK_DIR, WORK_DIR, CCGIS_BIN, WORK_DIR);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "duplicate id 'B'"));
    assert_non_null(strstr(r.err, "(also feature"));
    assert_non_null(strstr(r.err, "[plan]"));
    run_free(&r);
    r = run("test -e %s/out_dup", WORK_DIR);
    assert_int_not_equal(r.status, 0);
    run_free(&r);
}

/* A programme field naming no field of the layer is refused with its line. */
static void test_missing_field(void **state)
{
    (void)state;
    run_result r = run("sed -e 's|^plan_1500 = qh|plan_1500 = qh_1500|' -e 's|^output = out|"
                       "output = out_bad|' %s/vi.ini > %s/bad.ini && %s run %s/bad.ini",
                       WORK_DIR, WORK_DIR, CCGIS_BIN, WORK_DIR);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "bad.ini:13: [clusters] plan_1500 = qh_1500"));
    assert_non_null(strstr(r.err, "has no field 'qh_1500'"));
    run_free(&r);
}

/* The workbook's programme sheet holds the same figures (openpyxl). */
static void test_workbook_sheet(void **state)
{
    (void)state;
    /* Debian's python3-openpyxl is for /usr/bin/python3, which another python3
     * on the PATH may hide. */
    const char *py = NULL;
    static const char *const pythons[] = {"python3", "/usr/bin/python3"};
    for (size_t k = 0; k < 2 && !py; k++) {
        run_result q = run("%s -c 'import openpyxl' 2>/dev/null", pythons[k]);
        if (q.status == 0)
            py = pythons[k];
        run_free(&q);
    }
    run_result r;
    if (!py) {
        fprintf(stderr, "python3-openpyxl missing: the workbook sheet is not checked\n");
        skip();
    }
    r = run("%s %s programme %s/out.xlsx %s/summary.json", py, WORKBOOK_CHECK, OUT, OUT);
    if (r.status != 0)
        fprintf(stderr, "%s%s", r.out, r.err);
    assert_int_equal(r.status, 0);
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan_changes_layer),
        cmocka_unit_test(test_cluster_fields),
        cmocka_unit_test(test_findings),
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_report_section),
        cmocka_unit_test(test_warnings),
        cmocka_unit_test(test_duplicate_plan_id),
        cmocka_unit_test(test_missing_field),
        cmocka_unit_test(test_plan_in_another_crs),
        cmocka_unit_test(test_workbook_sheet),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
