/*
 * test_html.c -- report.html of the sample job (samples/hanoi.ini) as a
 * browser reads it: headless Chromium (Debian `chromium`) loads it offline,
 * dumps its DOM, prints it to PDF and takes a screenshot; pdftotext
 * (poppler-utils) reads the PDF back.  Also overview.png / overview.svg.
 *
 * References: summary.json's plain numbers, written here by hand the
 * Vietnamese way (thousands '.', decimals ','), for every row of the
 * status, district and conflict tables; the district names byte for byte.
 * samples/hanoi/report.png and report.pdf are this test's screenshot and
 * PDF of the sample (kept current by copying them from WORK_DIR).
 *
 * Without chromium or pdftotext the browser checks are SKIPPED (exit 77),
 * and fail in CI (CI=true), like test_workbook.
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
#define OUT WORK_DIR "/out/hanoi"
#define CHROMIUM "chromium --headless --disable-gpu --no-sandbox --no-first-run "

static char *html, *dom;
static json_t *summary;

static int setup(void **state)
{
    (void)state;
    reset_work_dir();
    run_result r = run("sed -e 's|\\.\\./shapes/|%s/|' -e 's|^output *= *\\.\\./|output = %s/|' "
                       "%s/hanoi.ini > %s/vi.ini && %s run -q %s/vi.ini",
                       SHAPES_DIR, WORK_DIR, SAMPLES, WORK_DIR, CCGIS_BIN, WORK_DIR);
    if (r.status != 0)
        fprintf(stderr, "%s", r.err);
    int ok = r.status == 0;
    run_free(&r);
    html = slurp(OUT "/report.html");
    summary = json_load_file(OUT "/summary.json", 0, NULL);
    return ok && html && summary ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(html);
    free(dom);
    json_decref(summary);
    return 0;
}

/* v with `decimals` places the Vietnamese way: 1.234,56. */
static void vi_number(double v, int decimals, char *buf, size_t size)
{
    char plain[64], grouped[96];
    snprintf(plain, sizeof plain, "%.*f", decimals, fabs(v));
    char *dot = strchr(plain, '.');
    size_t int_len = dot ? (size_t)(dot - plain) : strlen(plain), o = 0;
    for (size_t i = 0; i < int_len; i++) {
        if (i > 0 && (int_len - i) % 3 == 0)
            grouped[o++] = '.';
        grouped[o++] = plain[i];
    }
    grouped[o] = '\0';
    snprintf(buf, size, "%s%s%s%s", v < 0 && strtod(plain, NULL) != 0 ? "-" : "", grouped,
             dot ? "," : "", dot ? dot + 1 : "");
}

/* 1 if the browser tools are here; else skip (77), or fail in CI. */
static int have_browser(void)
{
    run_result r = run("command -v chromium && command -v pdftotext");
    int ok = r.status == 0;
    run_free(&r);
    if (!ok) {
        const char *ci = getenv("CI");
        fprintf(stderr, "*** chromium or pdftotext (poppler-utils) missing: the browser checks "
                        "are SKIPPED (.ci/test-deps installs them) ***\n");
        if (ci && *ci && strcmp(ci, "0") != 0 && strcmp(ci, "false") != 0)
            fail_msg("CI=%s: chromium and pdftotext are required", ci);
        exit(77);
    }
    return 1;
}

/* Nothing is fetched: no script, no link, no img, no http(s) address but
 * the SVG namespaces. */
static void the_page_is_self_contained(void **state)
{
    (void)state;
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "<link"));
    assert_null(strstr(html, "<img"));
    assert_null(strstr(html, "<iframe"));
    assert_null(strstr(html, "@import"));
    for (const char *p = strstr(html, "http"); p; p = strstr(p + 4, "http")) {
        int ns = (p - html >= 7 && strncmp(p - 7, "xmlns=\"", 7) == 0) ||
                 (p - html >= 13 && strncmp(p - 13, "xmlns:xlink=\"", 13) == 0);
        if (!ns)
            fail_msg("report.html names an address: %.60s", p);
    }
    /* Maps and the chart are inline SVG: the overview, the chart, a
     * locator per listed conflict cluster. */
    size_t n_svg = 0;
    for (const char *p = strstr(html, "<svg"); p; p = strstr(p + 4, "<svg"))
        n_svg++;
    assert_int_equal(n_svg, 2 + json_array_size(json_object_get(summary, "conflicts")));
    assert_non_null(strstr(html, "@page{size:A4"));
    assert_non_null(strstr(html, "<html lang=\"vi\">"));
}

/* The DOM Chromium builds holds every row of the status, district and
 * conflict tables with summary.json's figures; no console message. */
static void the_dom_holds_the_tables(void **state)
{
    (void)state;
    have_browser();
    run_result r = run(CHROMIUM "--enable-logging=stderr --v=0 --dump-dom file://%s",
                       OUT "/report.html");
    assert_int_equal(r.status, 0);
    assert_null(strstr(r.err, "CONSOLE"));
    dom = strdup(r.out);
    run_free(&r);
    char row[1024], a[64], b[64], c[64], e[64];
    size_t k;
    json_t *v;
    json_array_foreach(json_object_get(json_object_get(summary, "clusters"), "by_status"), k, v)
    {
        vi_number(json_real_value(json_object_get(v, "area_ha")), 2, a, sizeof a);
        snprintf(row, sizeof row, "<tr><td>%s</td><td class=\"num\">%lld</td><td class=\"num\">%s</td></tr>",
                 json_string_value(json_object_get(v, "status")),
                 (long long)json_integer_value(json_object_get(v, "count")), a);
        if (!strstr(dom, row))
            fail_msg("the DOM has no row %s", row);
    }
    size_t n_districts = 0;
    json_array_foreach(json_object_get(summary, "districts"), k, v)
    {
        vi_number(json_real_value(json_object_get(v, "clust_ha")), 2, a, sizeof a);
        vi_number(json_real_value(json_object_get(v, "confl_ha")), 2, b, sizeof b);
        snprintf(row, sizeof row,
                 "<tr><td>%s</td><td class=\"num\">%lld</td><td class=\"num\">%s</td>"
                 "<td class=\"num\">%s</td><td class=\"num\">%lld</td></tr>",
                 json_string_value(json_object_get(v, "name")),
                 (long long)json_integer_value(json_object_get(v, "n_clusters")), a, b,
                 (long long)json_integer_value(json_object_get(v, "n_villages")));
        if (!strstr(dom, row))
            fail_msg("the DOM has no row %s", row);
        n_districts++;
    }
    assert_int_equal(n_districts, 30);
    json_array_foreach(json_object_get(summary, "conflicts"), k, v)
    {
        vi_number(json_real_value(json_object_get(v, "area_ha")), 2, a, sizeof a);
        vi_number(json_real_value(json_object_get(v, "confl_ha")), 2, b, sizeof b);
        vi_number(json_real_value(json_object_get(v, "confl_pct")), 1, c, sizeof c);
        vi_number(json_real_value(json_object_get(v, "mixed_ha")), 2, e, sizeof e);
        snprintf(row, sizeof row,
                 "<tr><td>%s</td><td>%s</td><td>%s</td><td class=\"num\">%s</td>"
                 "<td class=\"num\">%s</td><td class=\"num\">%s</td><td>%s</td>"
                 "<td class=\"num\">%s</td>",
                 json_string_value(json_object_get(v, "id")),
                 json_string_value(json_object_get(v, "name")),
                 json_string_value(json_object_get(v, "district")), a, b, c,
                 json_string_value(json_object_get(v, "confl_top")), e);
        if (!strstr(dom, row))
            fail_msg("the DOM has no row %s", row);
    }
}

/* Printed to PDF (A4), the text holds every district name byte for byte;
 * a screenshot is made.  Both are the samples' report.pdf / report.png. */
static void it_prints_on_a4_with_every_district(void **state)
{
    (void)state;
    have_browser();
    run_result r = run(CHROMIUM "--no-pdf-header-footer --print-to-pdf=%s/report.pdf file://%s "
                       "&& pdfinfo %s/report.pdf && pdftotext -enc UTF-8 %s/report.pdf -",
                       WORK_DIR, OUT "/report.html", WORK_DIR, WORK_DIR);
    assert_int_equal(r.status, 0);
    /* pdfinfo's page size: A4 (595 x 842 pts). */
    assert_non_null(strstr(r.out, "(A4)"));
    size_t k;
    json_t *v;
    json_array_foreach(json_object_get(summary, "districts"), k, v)
    {
        const char *name = json_string_value(json_object_get(v, "name"));
        if (!strstr(r.out, name))
            fail_msg("the printed report has no '%s'", name);
    }
    run_free(&r);
    r = run(CHROMIUM "--window-size=1100,1800 --screenshot=%s/report.png file://%s", WORK_DIR,
            OUT "/report.html");
    assert_int_equal(r.status, 0);
    run_free(&r);
    char *png = slurp(WORK_DIR "/report.png");
    assert_non_null(png);
    assert_memory_equal(png, "\x89PNG", 4);
    free(png);
}

/* overview.png and overview.svg are written, listed in report.md, and the
 * same bytes when the job is run again. */
static void the_overview_files_are_stable(void **state)
{
    (void)state;
    char *md = slurp(OUT "/report.md");
    assert_non_null(md);
    assert_non_null(strstr(md, "](overview.png)\n"));
    free(md);
    run_result r = run("cd %s && sha256sum overview.png overview.svg report.html > %s/sums && "
                       "%s run -q --overwrite %s/vi.ini && cd %s && sha256sum -c %s/sums",
                       OUT, WORK_DIR, CCGIS_BIN, WORK_DIR, OUT, WORK_DIR);
    if (r.status != 0)
        fprintf(stderr, "%s%s", r.out, r.err);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "overview.png: OK"));
    assert_non_null(strstr(r.out, "overview.svg: OK"));
    assert_non_null(strstr(r.out, "report.html: OK"));
    run_free(&r);
    /* Listed in the output's manifest, as every file ccgis writes. */
    r = run("grep -c -E ' (overview\\.png|overview\\.svg|report\\.html)$' %s/.ccgis-manifest",
            OUT);
    assert_int_equal(r.status, 0);
    assert_int_equal(atoi(r.out), 3);
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_page_is_self_contained),
        cmocka_unit_test(the_overview_files_are_stable),
        cmocka_unit_test(the_dom_holds_the_tables),
        cmocka_unit_test(it_prints_on_a4_with_every_district),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
