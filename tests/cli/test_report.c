/*
 * test_report.c -- report.md in Vietnamese (lang = vi, the default) and in
 * English (lang = en): headings, numbers written each language's way, the
 * district table listing every district, the Inputs table giving layer, CRS
 * and EPSG code of all four inputs, the findings' sentences; the workbook's
 * sheet names following the language; a bad lang refused with its line;
 * samples/hanoi/report.en.md kept current.
 *
 * The jobs are samples/hanoi.ini and samples/hanoi_en.ini, pointed at
 * shapes/ and this test's scratch folder.  References: GDAL's ogrinfo (the
 * districts' names, the inputs' CRS), summary.json's plain numbers written
 * by hand the Vietnamese way (thousands '.', decimals ','), and the findings
 * layer's English detail.
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

#include <jansson.h>

#include "harness.h"

#define SAMPLES SHAPES_DIR "/../samples"
#define OUT_VI WORK_DIR "/out/hanoi"
#define OUT_EN WORK_DIR "/out/hanoi_en"

static char *report_vi, *report_en;

/* Write WORK_DIR/NAME from samples/SAMPLE with its paths pointed here. */
static void make_job(const char *sample, const char *name, const char *extra)
{
    run_result r = run("sed -e 's|\\.\\./shapes/|%s/|' -e 's|^output *= *\\.\\./|output = %s/|' "
                       "%s %s/%s > %s/%s",
                       SHAPES_DIR, WORK_DIR, extra ? extra : "", SAMPLES, sample, WORK_DIR, name);
    assert_int_equal(r.status, 0);
    run_free(&r);
}

static int setup(void **state)
{
    (void)state;
    make_job("hanoi.ini", "vi.ini", NULL);
    make_job("hanoi_en.ini", "en.ini", NULL);
    run_result r =
        run("%s run -q %s/vi.ini && %s run -q %s/en.ini", CCGIS_BIN, WORK_DIR, CCGIS_BIN, WORK_DIR);
    if (r.status != 0)
        fprintf(stderr, "%s", r.err);
    int ok = r.status == 0;
    run_free(&r);
    report_vi = slurp(OUT_VI "/report.md");
    report_en = slurp(OUT_EN "/report.md");
    return ok && report_vi && report_en ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(report_vi);
    free(report_en);
    return 0;
}

/* Hand-written Vietnamese number: "%.*f" with ',' for '.', and '.' every
 * three digits of the whole part. */
static void vi_number(double v, int decimals, char *out, size_t cap)
{
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", decimals, v);
    char *dot = strchr(raw, '.');
    size_t whole = dot ? (size_t)(dot - raw) : strlen(raw), o = 0;
    for (size_t k = 0; k < whole && o + 2 < cap; k++) {
        if (k > 0 && (whole - k) % 3 == 0)
            out[o++] = '.';
        out[o++] = raw[k];
    }
    if (dot)
        for (size_t k = whole; raw[k] && o + 1 < cap; k++)
            out[o++] = raw[k] == '.' ? ',' : raw[k];
    out[o] = '\0';
}

static void contains(const char *report, const char *what)
{
    if (!strstr(report, what))
        fprintf(stderr, "  report.md has no '%s'\n", what);
    assert_non_null(strstr(report, what));
}

static void lacks(const char *report, const char *what)
{
    if (strstr(report, what))
        fprintf(stderr, "  report.md should not have '%s'\n", what);
    assert_null(strstr(report, what));
}

/* Each language's headings, and none of the other's. */
static void headings_are_in_the_jobs_language(void **state)
{
    (void)state;
    static const char *const vi[] = {
        "\n## Cụm công nghiệp\n",
        "\n## Theo quận/huyện\n",
        "\n## Cụm trên đất không được quy hoạch cho công nghiệp\n",
        "\n## Làng nghề\n",
        "\n## Ranh giới cụm cần kiểm tra thủ công\n",
        "\n## Vấn đề dữ liệu\n",
        "\n## Nguồn dữ liệu\n",
        "| trạng thái | số cụm | diện tích (ha) |",
        "| quận/huyện | số cụm | diện tích (ha) | xung đột quy hoạch (ha) | số làng nghề |",
        "| vấn đề | mã | số lượng |",
    };
    static const char *const en[] = {
        "\n## Clusters\n",
        "\n## By district\n",
        "\n## Clusters on land not zoned for industry\n",
        "\n## Craft villages\n",
        "\n## Cluster boundaries to check by hand\n",
        "\n## Findings\n",
        "\n## Inputs\n",
        "| status | clusters | ha |",
        "| district | clusters | ha | conflict ha | villages |",
        "| kind | code | count |",
    };
    for (size_t k = 0; k < sizeof vi / sizeof vi[0]; k++) {
        contains(report_vi, vi[k]);
        contains(report_en, en[k]);
        lacks(report_vi, en[k]);
        lacks(report_en, vi[k]);
    }
    contains(report_vi, "Lập bằng ccgis ");
    contains(report_en, "Produced by ccgis ");
}

/* The figures of summary.json, written each language's way. */
static void numbers_are_written_each_languages_way(void **state)
{
    (void)state;
    json_error_t e;
    json_t *doc = json_load_file(OUT_VI "/summary.json", 0, &e);
    assert_non_null(doc);
    json_t *c = json_object_get(doc, "clusters");
    double total = json_real_value(json_object_get(c, "area_ha"));
    double conflict =
        json_real_value(json_object_get(json_object_get(doc, "zoning"), "conflict_ha"));
    long long n = json_integer_value(json_object_get(c, "count"));
    assert_true(total > 900 && total < 1100);
    char vi[64], want[160];
    vi_number(total, 2, vi, sizeof vi);
    snprintf(want, sizeof want, "%lld cụm, %s ha", n, vi);
    contains(report_vi, want);
    snprintf(want, sizeof want, "%lld clusters, %.2f ha", n, total);
    contains(report_en, want);
    vi_number(conflict, 2, vi, sizeof vi);
    snprintf(want, sizeof want, "tổng cộng %s ha.", vi);
    contains(report_vi, want);
    snprintf(want, sizeof want, ": %.2f ha in all.", conflict);
    contains(report_en, want);
    /* thousands: the radius, 2000 m */
    double radius = json_real_value(json_object_get(json_object_get(doc, "villages"), "radius_m"));
    assert_true(fabs(radius - 2000) < 1e-9);
    contains(report_vi, "không quá 2.000 m");
    contains(report_en, "within 2,000 m");
    /* summary.json keeps plain numbers and machine names in both */
    char *json_vi = slurp(OUT_VI "/summary.json"), *json_en = slurp(OUT_EN "/summary.json");
    assert_non_null(json_vi);
    assert_non_null(json_en);
    assert_non_null(strstr(json_vi, "\"CLUSTER_OVERLAP\": 1"));
    run_result r = run("sed '/\"job\"/d' %s/summary.json > %s/a.json && "
                       "sed '/\"job\"/d' %s/summary.json > %s/b.json && cmp %s/a.json %s/b.json",
                       OUT_VI, WORK_DIR, OUT_EN, WORK_DIR, WORK_DIR, WORK_DIR);
    assert_int_equal(r.status, 0); /* the same facts, whatever the language */
    run_free(&r);
    free(json_vi);
    free(json_en);
    json_decref(doc);
}

/* The rows of the table under heading `h` (up to the next "## "). */
static int table_rows(const char *report, const char *h, char *names, size_t cap)
{
    const char *p = strstr(report, h);
    assert_non_null(p);
    const char *end = strstr(p + strlen(h), "\n## ");
    int rows = 0;
    size_t used = 0;
    names[0] = '\0';
    for (const char *line = strchr(p, '\n'); line && (!end || line < end);
         line = strchr(line + 1, '\n')) {
        if (strncmp(line, "\n| ", 3) != 0 || strncmp(line, "\n| --- ", 7) == 0)
            continue;
        rows++;
        size_t n = strcspn(line + 3, "|");
        used += (size_t)snprintf(names + used, cap - used, "%.*s\n", (int)n, line + 3);
    }
    return rows - 1; /* the header */
}

/* Every district of the layer, with zeros where it has no cluster. */
static void the_district_table_lists_every_district(void **state)
{
    (void)state;
    run_result r = run("ogrinfo -ro -q -sql 'SELECT DISTINCT ten AS v FROM districts' "
                       "%s/districts.gpkg | sed -n 's/^  v (String) = //p'",
                       SHAPES_DIR);
    assert_int_equal(r.status, 0);
    int distinct = count_lines(r.out);
    assert_int_equal(distinct, 30);
    static char names_vi[8192], names_en[8192];
    assert_int_equal(table_rows(report_vi, "\n## Theo quận/huyện\n", names_vi, sizeof names_vi),
                     distinct);
    assert_int_equal(table_rows(report_en, "\n## By district\n", names_en, sizeof names_en),
                     distinct);
    for (char *line = r.out; *line;) {
        size_t n = strcspn(line, "\n");
        char want[256];
        snprintf(want, sizeof want, "%.*s \n", (int)n, line);
        if (!strstr(names_vi, want))
            fprintf(stderr, "  district '%.*s' is not in the table\n", (int)n, line);
        assert_non_null(strstr(names_vi, want));
        line += n + (line[n] == '\n');
    }
    run_free(&r);
    /* A district without a cluster shows its villages (issue 16: Hoàng Mai 4, Tây Hồ 2). */
    contains(report_vi, "| Hoàng Mai | 0 | 0,00 | 0,00 | 4 |");
    contains(report_en, "| Tây Hồ | 0 | 0.00 | 0.00 | 2 |");
    contains(report_vi, "11 trong 30 quận/huyện không có cụm nào");
    contains(report_en, "11 of the 30 districts have no cluster");
}

/* The EPSG code GDAL reads for a source's layer. */
static int gdal_epsg(const char *source)
{
    run_result r = run("ogrinfo -ro -so -al '%s' | grep -o 'ID\\[\"EPSG\",[0-9]*\\]\\]$' | "
                       "tail -1 | tr -dc 0-9",
                       source);
    assert_int_equal(r.status, 0);
    int epsg = atoi(r.out);
    run_free(&r);
    return epsg;
}

/* Every input has its layer name, CRS name and EPSG code. */
static void inputs_give_layer_crs_and_epsg(void **state)
{
    (void)state;
    static const struct {
        const char *vi, *en, *file, *layer, *crs;
    } in[] = {
        {"Cụm công nghiệp", "Industrial clusters", "clusters.shp", "clusters",
         "VN-2000 / TM-3 zone 482"},
        {"Quận/huyện", "Districts", "districts.gpkg", "districts", "WGS 84"},
        {"Quy hoạch sử dụng đất", "Land-use zoning", "landuse.gpkg", "landuse",
         "VN-2000 / TM-3 zone 482"},
        {"Làng nghề", "Craft villages", "villages.geojson", "villages", "WGS 84"},
    };
    for (size_t k = 0; k < sizeof in / sizeof in[0]; k++) {
        char src[512], want[1024];
        snprintf(src, sizeof src, "%s/%s", SHAPES_DIR, in[k].file);
        int epsg = gdal_epsg(src);
        assert_true(epsg == 4326 || epsg == 5897);
        snprintf(want, sizeof want, "| %s | `%s` | %s | %s | EPSG:%d | UTF-8 (", in[k].vi, src,
                 in[k].layer, in[k].crs, epsg);
        contains(report_vi, want);
        snprintf(want, sizeof want, "| %s | `%s` | %s | %s | EPSG:%d | UTF-8 (", in[k].en, src,
                 in[k].layer, in[k].crs, epsg);
        contains(report_en, want);
    }
    /* the zoning's counts: 2,024 zones in the layer, fewer read near the clusters */
    contains(report_en, "| Land-use zoning |");
    /* summary.json has the zoning's layer and CRS too */
    json_error_t e;
    json_t *doc = json_load_file(OUT_VI "/summary.json", 0, &e);
    assert_non_null(doc);
    json_t *inputs = json_object_get(doc, "inputs");
    /* clusters, districts, zoning, villages, and the programme's plan and plants */
    assert_int_equal(json_array_size(inputs), 6);
    for (size_t k = 0; k < 6; k++) {
        json_t *i = json_array_get(inputs, k);
        assert_non_null(json_string_value(json_object_get(i, "name")));
        assert_true(json_integer_value(json_object_get(i, "epsg")) > 0);
    }
    json_decref(doc);
}

/* The findings' sentences, each in the report's language; the English one
 * is the findings layer's detail with its numbers grouped. */
static void findings_are_told_in_the_jobs_language(void **state)
{
    (void)state;
    contains(report_vi, "- Cụm nằm trên nhiều quận/huyện: cụm CCN12 nằm trên 2 quận/huyện: "
                        "59,5 % Chương Mỹ, 40,5 % Quốc Oai; được tính vào Chương Mỹ\n");
    contains(report_en, "- Cluster in several districts: clusters CCN12 lies in 2 districts: "
                        "59.5% Chương Mỹ, 40.5% Quốc Oai; assigned to Chương Mỹ\n");
    contains(report_vi, "- Xung đột quy hoạch: cụm CCN01: 2,20 ha (13,4 % diện tích) trên đất "
                        "không được quy hoạch cho công nghiệp, nhiều nhất là DGD\n");
    contains(report_en, "- Zoning conflict: cluster CCN01: 2.20 ha (13.4% of its area) on land "
                        "not zoned for industry, most on DGD\n");
    contains(report_vi, "- Các cụm chồng lấn nhau: cụm CCN07 và CCN08 chồng lấn nhau trên "
                        "57.711,9 m² (5,77 ha)\n");
    contains(report_vi, "| Hình học đã được sửa | `GEOMETRY_REPAIRED` | 2 |");
    contains(report_en, "| Geometry repaired | `GEOMETRY_REPAIRED` | 2 |");
    /* The repair's areas: the findings layer's plain detail, grouped by hand. */
    run_result r = run("ogrinfo -ro -q -sql \"SELECT detail AS v FROM findings WHERE kind = "
                       "'GEOMETRY_REPAIRED'\" %s/findings.geojson | sed -n 's/^  v (String) = //p'",
                       OUT_VI);
    assert_int_equal(r.status, 0);
    double before = 0, after = 0;
    const char *p = strstr(r.out, "geodesic area ");
    assert_non_null(p);
    assert_int_equal(sscanf(p, "geodesic area %lf m² before, %lf m² after", &before, &after), 2);
    char b[64], a[64], want[256];
    vi_number(before, 1, b, sizeof b);
    vi_number(after, 1, a, sizeof a);
    snprintf(want, sizeof want, "trước khi sửa %s m², sau khi sửa %s m²\n", b, a);
    contains(report_vi, want);
    assert_true(after > 1000); /* so that the thousands are grouped */
    snprintf(want, sizeof want, "geodesic area %.0f,%05.1f m² before, %.0f,%05.1f m² after\n",
             floor(before / 1000), fmod(before, 1000), floor(after / 1000), fmod(after, 1000));
    contains(report_en, want);
    run_free(&r);
}

/* The workbook's sheets are named in the job's language. */
static void the_workbook_follows_the_language(void **state)
{
    (void)state;
    run_result r = run("unzip -p %s/hanoi.xlsx xl/workbook.xml | grep -c 'name=\"Tổng hợp\"' && "
                       "unzip -p %s/hanoi_en.xlsx xl/workbook.xml | grep -c 'name=\"Summary\"' && "
                       "unzip -p %s/hanoi_en.xlsx xl/sharedStrings.xml | grep -c 'Area (ha)'",
                       OUT_VI, OUT_EN, OUT_EN);
    assert_int_equal(r.status, 0);
    run_free(&r);
}

/* lang = fr is refused before any work, naming the line. */
static void a_bad_lang_is_refused_with_its_line(void **state)
{
    (void)state;
    make_job("hanoi.ini", "fr.ini", "-e 's|^plan_crs .*|&\\nlang = fr|'");
    run_result r = run("%s run --check %s/fr.ini", CCGIS_BIN, WORK_DIR);
    assert_int_equal(r.status, 2);
    assert_int_equal(count_lines(r.err), 1);
    assert_non_null(strstr(r.err, "fr.ini:10: [job] lang = fr is not a language ccgis writes -- "
                                  "give vi (Vietnamese, the default) or en (English)"));
    run_free(&r);
}

/* samples/hanoi/report.en.md is what samples/hanoi_en.ini produces (but for
 * the paths), and hanoi_en.ini is hanoi.ini but for its output and lang. */
static void the_english_sample_report_is_current(void **state)
{
    (void)state;
    run_result r = run("sed -e 's|job file `[^`]*`|job file `samples/hanoi_en.ini`|' "
                       "-e 's|%s/|shapes/|g' %s/report.md",
                       SHAPES_DIR, OUT_EN);
    assert_int_equal(r.status, 0);
    char *committed = slurp(SAMPLES "/hanoi/report.en.md");
    assert_non_null(committed);
    if (strcmp(committed, r.out) != 0)
        fprintf(stderr, "samples/hanoi/report.en.md is out of date: run samples/hanoi_en.ini and "
                        "copy out/hanoi_en/report.md there (samples/README.md)\n");
    assert_string_equal(committed, r.out);
    free(committed);
    run_free(&r);
    r = run("bash -c \"cd %s && diff <(grep -v '^output\\|^lang\\|^;' hanoi.ini) "
            "<(grep -v '^output\\|^lang\\|^;' hanoi_en.ini)\"",
            SAMPLES);
    if (r.status != 0)
        fprintf(stderr, "samples/hanoi_en.ini differs from hanoi.ini:\n%s%s", r.out, r.err);
    assert_int_equal(r.status, 0);
    run_free(&r);
}

int main(void)
{
    reset_work_dir();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(headings_are_in_the_jobs_language),
        cmocka_unit_test(numbers_are_written_each_languages_way),
        cmocka_unit_test(the_district_table_lists_every_district),
        cmocka_unit_test(inputs_give_layer_crs_and_epsg),
        cmocka_unit_test(findings_are_told_in_the_jobs_language),
        cmocka_unit_test(the_workbook_follows_the_language),
        cmocka_unit_test(a_bad_lang_is_refused_with_its_line),
        cmocka_unit_test(the_english_sample_report_is_current),
    };
    return cmocka_run_group_tests_name("report", tests, setup, teardown);
}
