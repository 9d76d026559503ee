/*
 * test_ctx.c -- the context: creation and release, options, error recording,
 * and the routing of GDAL, GEOS and PROJ messages into it (never to stderr).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <cpl_conv.h>
#include <cpl_error.h>

#include "internal.h"

/* A sink that records what it is sent. */
typedef struct seen {
    int n[4];
    char last[4][CCGIS_MSG_MAX];
} seen;

static void record_sink(void *arg, ccgis_level level, const char *msg)
{
    seen *s = arg;
    s->n[level]++;
    snprintf(s->last[level], sizeof s->last[level], "%s", msg);
}

static int setup(void **state)
{
    ccgis_ctx *ctx = ccgis_ctx_new();
    if (!ctx)
        return -1;
    *state = ctx;
    return 0;
}

static int teardown(void **state)
{
    assert_null(ccgis_ctx_free(*state));
    return 0;
}

static void new_context_has_no_error_and_sane_defaults(void **state)
{
    ccgis_ctx *ctx = *state;
    assert_int_equal(ccgis_errcode(ctx), CCGIS_OK);
    assert_string_equal(ccgis_errmsg(ctx), "");
    assert_true(ccgis_ctx_threads(ctx) >= 1);
    assert_int_equal(ccgis_ctx_set_verbosity(ctx, CCGIS_INFO), CCGIS_WARNING);
    assert_non_null(ctx->geos);
    assert_non_null(ctx->proj);
}

static void free_accepts_null(void **state)
{
    (void)state;
    assert_null(ccgis_ctx_free(NULL));
}

static void threads_out_of_range_is_a_usage_error(void **state)
{
    ccgis_ctx *ctx = *state;
    assert_int_equal(ccgis_ctx_set_threads(ctx, -1), CCGIS_ERR_USAGE);
    assert_int_equal(ccgis_errcode(ctx), CCGIS_ERR_USAGE);
    assert_non_null(strstr(ccgis_errmsg(ctx), "-1"));
    assert_int_equal(ccgis_ctx_set_threads(ctx, 3), CCGIS_OK);
    assert_int_equal(ccgis_ctx_threads(ctx), 3);
}

static void error_is_kept_sent_to_sink_and_cleared(void **state)
{
    ccgis_ctx *ctx = *state;
    seen s = {0};
    ccgis_ctx_set_message_handler(ctx, record_sink, &s);
    ccgis_where w = {"cum.shp", "cum", 7};
    assert_int_equal(ccgis_error_at(ctx, CCGIS_ERR_GEOMETRY, w, "ring not closed -- %s", "fix it"),
                     CCGIS_ERR_GEOMETRY);
    assert_string_equal(ccgis_errmsg(ctx),
                        "cum.shp, layer 'cum', feature 7: ring not closed -- fix it");
    assert_int_equal(s.n[CCGIS_ERROR], 1);
    assert_string_equal(s.last[CCGIS_ERROR], ccgis_errmsg(ctx));
    assert_int_equal(ccgis_ctx_message_count(ctx, CCGIS_ERROR), 1);
    ccgis_clear_error(ctx);
    assert_int_equal(ccgis_errcode(ctx), CCGIS_OK);
    assert_string_equal(ccgis_errmsg(ctx), "");
}

static void messages_are_one_line_and_cut_when_long(void **state)
{
    ccgis_ctx *ctx = *state;
    char big[3000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    ccgis_error(ctx, CCGIS_ERR_INPUT, "two\nlines\tand %s", big);
    const char *m = ccgis_errmsg(ctx);
    assert_null(strchr(m, '\n'));
    assert_null(strchr(m, '\t'));
    assert_int_equal(strncmp(m, "two lines and x", 15), 0);
    assert_int_equal(strlen(m), CCGIS_MSG_MAX - 1);
    assert_string_equal(m + strlen(m) - 3, "...");
}

static void verbosity_filters_the_sink_but_not_the_counts(void **state)
{
    ccgis_ctx *ctx = *state;
    seen s = {0};
    ccgis_ctx_set_message_handler(ctx, record_sink, &s);
    ccgis_msg(ctx, CCGIS_INFO, "repaired %d", 1);
    ccgis_msg(ctx, CCGIS_WARNING, "odd %d", 2);
    assert_int_equal(s.n[CCGIS_INFO], 0); /* default verbosity: warnings */
    assert_int_equal(s.n[CCGIS_WARNING], 1);
    assert_string_equal(s.last[CCGIS_WARNING], "odd 2");
    assert_int_equal(ccgis_ctx_message_count(ctx, CCGIS_INFO), 1);
    ccgis_ctx_set_verbosity(ctx, CCGIS_DEBUG);
    ccgis_msg(ctx, CCGIS_INFO, "repaired %d", 3);
    assert_int_equal(s.n[CCGIS_INFO], 1);
    assert_int_equal(ccgis_errcode(ctx), CCGIS_OK); /* messages are not errors */
}

static void gdal_messages_reach_the_context(void **state)
{
    ccgis_ctx *ctx = *state;
    seen s = {0};
    ccgis_ctx_set_message_handler(ctx, record_sink, &s);
    ccgis_gdal_begin(ctx);
    CPLError(CE_Warning, CPLE_AppDefined, "odd value in %s", "x.dbf");
    CPLError(CE_Failure, CPLE_OpenFailed, "cannot open %s", "y.shp");
    ccgis_gdal_end(ctx);
    assert_int_equal(s.n[CCGIS_WARNING], 1);
    assert_string_equal(s.last[CCGIS_WARNING], "GDAL: odd value in x.dbf");
    assert_string_equal(ctx->gdal_msg, "cannot open y.shp");
    /* A GDAL failure is for the caller to report, not an error by itself. */
    assert_int_equal(ccgis_errcode(ctx), CCGIS_OK);
}

static void geos_errors_are_kept_for_the_caller(void **state)
{
    ccgis_ctx *ctx = *state;
    GEOSWKTReader *r = GEOSWKTReader_create_r(ctx->geos);
    GEOSGeometry *g = GEOSWKTReader_read_r(ctx->geos, r, "POLYGON((0 0, 1 1))");
    GEOSWKTReader_destroy_r(ctx->geos, r);
    assert_null(g);
    const char *why = ccgis_geos_reason(ctx, "none");
    assert_non_null(strstr(why, "closed"));
    /* Quoted once: the next ask without a new error gets the fallback. */
    assert_string_equal(ccgis_geos_reason(ctx, "none"), "none");
}

static void proj_log_goes_to_debug(void **state)
{
    ccgis_ctx *ctx = *state;
    seen s = {0};
    ccgis_ctx_set_message_handler(ctx, record_sink, &s);
    ccgis_ctx_set_verbosity(ctx, CCGIS_DEBUG);
    PJ *pj = proj_create(ctx->proj, "EPSG:999999");
    assert_null(pj);
    assert_true(s.n[CCGIS_DEBUG] >= 1);
    assert_int_equal(strncmp(s.last[CCGIS_DEBUG], "PROJ: ", 6), 0);
}

/* The OGR_XLSX_HEADERS setting as this thread sees it (a thread's body). */
static void *xlsx_headers_here(void *arg)
{
    (void)arg;
    return (void *)CPLGetConfigOption("OGR_XLSX_HEADERS", NULL);
}

/* ccgis's GDAL settings hold inside its calls and on its thread only: the
 * process's configuration is as it was (a host running other GDAL work is
 * not changed), and a user's own setting wins. */
static void gdal_settings_are_thread_local_and_scoped(void **state)
{
    ccgis_ctx *ctx = *state;
    assert_null(CPLGetConfigOption("OGR_XLSX_HEADERS", NULL));
    ccgis_gdal_begin(ctx);
    assert_string_equal(CPLGetConfigOption("OGR_XLSX_HEADERS", "?"), "FORCE");
    assert_string_equal(CPLGetConfigOption("DXF_CLOSED_LINE_AS_POLYGON", "?"), "TRUE");
    /* Another thread meanwhile sees nothing. */
    pthread_t t;
    void *other = (void *)1;
    assert_int_equal(pthread_create(&t, NULL, xlsx_headers_here, NULL), 0);
    assert_int_equal(pthread_join(t, &other), 0);
    assert_null(other);
    ccgis_gdal_begin(ctx); /* nested: still set */
    ccgis_gdal_end(ctx);
    assert_string_equal(CPLGetConfigOption("OGR_XLSX_HEADERS", "?"), "FORCE");
    ccgis_gdal_end(ctx);
    assert_null(CPLGetConfigOption("OGR_XLSX_HEADERS", NULL));
    assert_null(CPLGetConfigOption("DXF_CLOSED_LINE_AS_POLYGON", NULL));
    /* The user's own value is kept. */
    CPLSetConfigOption("OGR_ODS_HEADERS", "DISABLE");
    ccgis_gdal_begin(ctx);
    assert_string_equal(CPLGetConfigOption("OGR_ODS_HEADERS", "?"), "DISABLE");
    ccgis_gdal_end(ctx);
    assert_string_equal(CPLGetConfigOption("OGR_ODS_HEADERS", "?"), "DISABLE");
    CPLSetConfigOption("OGR_ODS_HEADERS", NULL);
}

static void status_strings_and_families(void **state)
{
    (void)state;
    assert_string_equal(ccgis_status_str(CCGIS_OK), "success");
    assert_string_equal(ccgis_status_str(CCGIS_ERR_NOT_FOUND), "no such file");
    assert_string_equal(ccgis_status_str((ccgis_status)12345), "unknown status");
    assert_int_equal(ccgis_status_family(CCGIS_OK), 0);
    assert_int_equal(ccgis_status_family(CCGIS_ERR_NO_LAYER), 100);
    assert_int_equal(ccgis_status_family(CCGIS_ERR_READ), 200);
    assert_int_equal(ccgis_status_family(CCGIS_ERR_TRANSFORM), 300);
    assert_int_equal(ccgis_status_family(CCGIS_ERR_NOMEM), 900);
}

static void versions_name_the_libraries(void **state)
{
    (void)state;
    assert_string_equal(ccgis_version(), CCGIS_VERSION_STRING);
    const char *v = ccgis_library_versions();
    assert_non_null(strstr(v, "GDAL 3."));
    assert_non_null(strstr(v, "PROJ "));
    assert_non_null(strstr(v, "GEOS 3."));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(new_context_has_no_error_and_sane_defaults, setup,
                                        teardown),
        cmocka_unit_test(free_accepts_null),
        cmocka_unit_test_setup_teardown(threads_out_of_range_is_a_usage_error, setup, teardown),
        cmocka_unit_test_setup_teardown(error_is_kept_sent_to_sink_and_cleared, setup, teardown),
        cmocka_unit_test_setup_teardown(messages_are_one_line_and_cut_when_long, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(verbosity_filters_the_sink_but_not_the_counts, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(gdal_messages_reach_the_context, setup, teardown),
        cmocka_unit_test_setup_teardown(geos_errors_are_kept_for_the_caller, setup, teardown),
        cmocka_unit_test_setup_teardown(proj_log_goes_to_debug, setup, teardown),
        cmocka_unit_test_setup_teardown(gdal_settings_are_thread_local_and_scoped, setup,
                                        teardown),
        cmocka_unit_test(status_strings_and_families),
        cmocka_unit_test(versions_name_the_libraries),
    };
    return cmocka_run_group_tests_name("ctx", tests, NULL, NULL);
}
