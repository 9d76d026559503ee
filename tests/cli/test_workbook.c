/*
 * test_workbook.c -- the workbook `ccgis run` writes (<name>.xlsx), read
 * back by real readers ccgis has no part in, and the byte-order mark of the
 * CSVs ccgis writes.
 *
 *   - python3-openpyxl (workbook_check.py read): sheet names, headings,
 *     number formats, frozen header rows, filters, column widths, and every
 *     number against summary.json, the GeoPackage's layers and
 *     district_status.csv; every total a formula whose stored value is the
 *     total;
 *   - LibreOffice (soffice --headless --convert-to csv, every sheet) on a
 *     copy whose formulas lost their stored values (workbook_check.py
 *     strip): the totals it computes equal summary.json's
 *     (workbook_check.py evaluated);
 *   - a rerun writes the same bytes; a job without districts, zoning and
 *     villages has only the sheets it can fill;
 *   - district_status.csv starts with EF BB BF and the rest is what GDAL's
 *     own ogr2ogr writes from it (with ccgis's CSV options, without the
 *     mark); any CSV written with -o starts with it, and GDAL reads its
 *     first column's name without it.
 *
 * The job is samples/hanoi.ini, pointed at shapes/ (as test_run.c does).
 * Without python3-openpyxl or LibreOffice (Debian: python3-openpyxl,
 * libreoffice-calc-nogui; .ci/test-deps) the tests needing them are skipped
 * and the program says so and exits 77 (CTest: skipped) -- or fails when the
 * CI environment variable is set.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define SAMPLE SHAPES_DIR "/../samples/hanoi.ini"
#define JOB WORK_DIR "/hanoi.ini"
#define OUT WORK_DIR "/out/hanoi"
#define XLSX OUT "/hanoi.xlsx"

/* A python3 that imports openpyxl, or NULL; soffice found; tests skipped. */
static const char *python;
static int have_soffice;
static int skipped;

/* Write WORK_DIR/NAME from samples/hanoi.ini with `extra` sed expressions
 * (output into WORK_DIR/out/hanoi). */
static void make_job(const char *name, const char *extra)
{
    run_result r = run("sed -e 's|\\.\\./shapes/|%s/|' -e 's|^output .*|output = %s/out/hanoi|' "
                       "%s %s > %s/%s",
                       SHAPES_DIR, WORK_DIR, extra ? extra : "", SAMPLE, WORK_DIR, name);
    assert_int_equal(r.status, 0);
    run_free(&r);
}

/* Note a missing reader: the test is skipped, loudly. */
static void skip_without(const char *what)
{
    fprintf(stderr, "*** %s not found: this test is SKIPPED ***\n", what);
    skipped = 1;
    skip();
}

static int setup(void **state)
{
    (void)state;
    static const char *const pythons[] = {"python3", "/usr/bin/python3"};
    for (size_t i = 0; i < 2 && !python; i++) {
        run_result r = run("%s -c 'import openpyxl'", pythons[i]);
        if (r.status == 0)
            python = pythons[i];
        run_free(&r);
    }
    run_result r = run("command -v soffice");
    have_soffice = r.status == 0;
    run_free(&r);
    make_job("hanoi.ini", NULL);
    r = run("%s run -q %s", CCGIS_BIN, JOB);
    if (r.status != 0)
        fprintf(stderr, "%s", r.err);
    int ok = r.status == 0;
    run_free(&r);
    return ok ? 0 : -1;
}

/* Run workbook_check.py with `args`; print what it compared; assert it agreed. */
static void check(const char *py, const char *args, const char *verdict)
{
    run_result r = run("%s %s %s", py, WORKBOOK_CHECK, args);
    fprintf(stderr, "%s%s", r.out, r.err);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, verdict));
    run_free(&r);
}

/* openpyxl: sheets, headings, formats, and every number against the run's other outputs. */
static void openpyxl_reads_every_figure_of_the_report(void **state)
{
    (void)state;
    if (!python)
        skip_without("python3-openpyxl");
    check(python,
          "read " XLSX " " OUT "/summary.json " OUT "/hanoi.gpkg " OUT "/district_status.csv",
          "read: everything agrees");
}

/* LibreOffice computes the totals from the formulas alone. */
static void libreoffice_evaluates_the_totals(void **state)
{
    (void)state;
    if (!python)
        skip_without("python3-openpyxl");
    if (!have_soffice)
        skip_without("LibreOffice (soffice)");
    check(python, "strip " XLSX " " WORK_DIR "/stripped.xlsx", "stripped the stored values");
    /* Every sheet to its own CSV (sheet -1), cells as values, not as shown
     * (token 9 false), UTF-8 (76); a profile of its own under WORK_DIR. */
    run_result r = run("rm -rf %s/csv && soffice -env:UserInstallation=file://%s/lo-profile "
                       "--headless --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,"
                       "false,true,false,false,false,-1' --outdir %s/csv %s/stripped.xlsx",
                       WORK_DIR, WORK_DIR, WORK_DIR, WORK_DIR);
    if (r.status != 0)
        fprintf(stderr, "soffice failed:\n%s%s", r.out, r.err);
    assert_int_equal(r.status, 0);
    run_free(&r);
    check(python, "evaluated " WORK_DIR "/csv stripped " OUT "/summary.json " OUT "/hanoi.gpkg",
          "evaluated: everything agrees");
}

/* The workbook holds no date: the same job writes the same bytes. */
static void a_rerun_writes_the_same_workbook(void **state)
{
    (void)state;
    run_result r = run("cp %s %s/first.xlsx && %s run -q --overwrite %s && cmp %s/first.xlsx %s",
                       XLSX, WORK_DIR, CCGIS_BIN, JOB, WORK_DIR, XLSX);
    if (r.status != 0)
        fprintf(stderr, "%s%s", r.out, r.err);
    assert_int_equal(r.status, 0);
    run_free(&r);
}

/* Only clusters: the sheets of the missing layers are left out. */
static void a_job_without_optional_layers_has_only_its_sheets(void **state)
{
    (void)state;
    if (!python)
        skip_without("python3-openpyxl");
    make_job("alone.ini", "-e '/^\\[districts\\]/,$d'");
    run_result r = run("rm -rf %s/out && %s run -q %s/alone.ini && %s -c \"import openpyxl; "
                       "print('|'.join(openpyxl.load_workbook('%s').sheetnames))\"",
                       WORK_DIR, CCGIS_BIN, WORK_DIR, python, XLSX);
    if (r.status != 0)
        fprintf(stderr, "%s", r.err);
    assert_int_equal(r.status, 0);
    fprintf(stderr, "    sheets: %s", r.out);
    /* The clusters' programme fields stay in the job: their sheet with them. */
    assert_string_equal(r.out, "Tổng hợp|Cụm công nghiệp|Tiến độ chương trình|Vấn đề dữ liệu|"
                               "Nguồn dữ liệu\n");
    run_free(&r);
    r = run("rm -rf %s/out && %s run -q %s", WORK_DIR, CCGIS_BIN, JOB); /* back to the full job */
    assert_int_equal(r.status, 0);
    run_free(&r);
}

/* district_status.csv: EF BB BF, then exactly what GDAL writes without the mark. */
static void district_status_csv_starts_with_a_bom(void **state)
{
    (void)state;
    char *csv = slurp(OUT "/district_status.csv");
    assert_non_null(csv);
    assert_memory_equal(csv, "\xEF\xBB\xBF", 3);
    assert_true(strncmp(csv + 3, "district,status,n_clusters,area_ha\n", 35) == 0);
    /* The reference: ogr2ogr reads the file (GDAL skips the mark) and writes it
     * again with ccgis's options but no mark. */
    run_result r = run("cd %s && rm -f ref.csv ref.csvt && ogr2ogr -f CSV -lco "
                       "STRING_QUOTING=IF_NEEDED -lco CREATE_CSVT=YES ref.csv %s/district_status.csv",
                       WORK_DIR, OUT);
    assert_int_equal(r.status, 0);
    run_free(&r);
    char *ref = slurp(WORK_DIR "/ref.csv");
    assert_non_null(ref);
    assert_true(strncmp(ref, "\xEF\xBB\xBF", 3) != 0);
    fprintf(stderr, "    district_status.csv: %zu bytes after the mark, ogr2ogr's copy %zu\n",
            strlen(csv + 3), strlen(ref));
    assert_string_equal(csv + 3, ref);
    assert_non_null(strstr(ref, "\nỨng Hòa,quy hoạch,1,"));
    free(ref);
    free(csv);
}

/* Any CSV ccgis writes starts with the mark (here `ccgis near -o v.csv`:
 * the geometry column WKT first), and GDAL reads the first column's name
 * without it. */
static void every_csv_starts_with_a_bom(void **state)
{
    (void)state;
    run_result r = run("cd %s && rm -f v.csv v.csvt && %s near -q %s/villages.geojson "
                       "%s/clusters.shp --id ma_ln --radius 2000 -o v.csv && head -c 10 v.csv | "
                       "od -An -tx1 && ogrinfo -ro -so v.csv v | grep '^WKT: \\|^ma_ln: '",
                       WORK_DIR, CCGIS_BIN, SHAPES_DIR, SHAPES_DIR);
    if (r.status != 0)
        fprintf(stderr, "%s%s", r.out, r.err);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, " ef bb bf 57 4b 54 2c 6d 61 5f")); /* BOM, "WKT,ma_" */
    assert_non_null(strstr(r.out, "\nWKT: String"));
    assert_non_null(strstr(r.out, "\nma_ln: String"));
    run_free(&r);
}

int main(void)
{
    reset_work_dir();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(openpyxl_reads_every_figure_of_the_report),
        cmocka_unit_test(libreoffice_evaluates_the_totals),
        cmocka_unit_test(a_rerun_writes_the_same_workbook),
        cmocka_unit_test(a_job_without_optional_layers_has_only_its_sheets),
        cmocka_unit_test(district_status_csv_starts_with_a_bom),
        cmocka_unit_test(every_csv_starts_with_a_bom),
    };
    int failed = cmocka_run_group_tests_name("workbook", tests, setup, NULL);
    if (failed)
        return 1;
    if (skipped) {
        const char *ci = getenv("CI");
        int in_ci = ci && *ci && strcmp(ci, "0") != 0 && strcmp(ci, "false") != 0 &&
                    strcmp(ci, "FALSE") != 0 && strcmp(ci, "False") != 0 &&
                    strcmp(ci, "no") != 0 && strcmp(ci, "NO") != 0;
        fprintf(stderr, "*** test_workbook: readers missing (apt-get install python3-openpyxl "
                        "libreoffice-calc-nogui; .ci/test-deps): some tests SKIPPED%s ***\n",
                in_ci ? " -- a failure in CI" : "");
        return in_ci ? 1 : 77;
    }
    return 0;
}
