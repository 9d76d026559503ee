/*
 * test_shpnames.c -- the names fields take in a Shapefile (src/shpnames.c):
 * the rule worked by hand on names met in practice (KML's description and
 * altitudeMode, numbered dien_tich_N, Vietnamese names whose 10th byte falls
 * inside a letter), its promises checked on many generated names (at most
 * 10 bytes, whole UTF-8 characters, unique ignoring ASCII case, the same on
 * every call), and the rename of an in-memory layer for a write: the
 * warning's exact text, GDAL writing the names unchanged (read back with
 * OGR), the full names put back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "internal.h"

/* A sink keeping the last warning. */
typedef struct seen {
    int n;
    char last[CCGIS_MSG_MAX];
} seen;

static void record_sink(void *arg, ccgis_level level, const char *msg)
{
    seen *s = arg;
    if (level == CCGIS_WARNING) {
        s->n++;
        snprintf(s->last, sizeof s->last, "%s", msg);
    }
}

static int setup(void **state)
{
    ccgis_ctx *ctx = ccgis_ctx_new();
    *state = ctx;
    return ctx ? 0 : -1;
}

static int teardown(void **state)
{
    ccgis_ctx_free(*state);
    return 0;
}

/* A feature definition with string fields named names[0..n). */
static OGRFeatureDefnH defn_of(const char *const *names, int n)
{
    OGRFeatureDefnH d = OGR_FD_Create("t");
    OGR_FD_Reference(d);
    for (int i = 0; i < n; i++) {
        OGRFieldDefnH f = OGR_Fld_Create(names[i], OFTString);
        OGR_FD_AddFieldDefn(d, f);
        OGR_Fld_Destroy(f);
    }
    return d;
}

/* Assert that the Shapefile names of `full` are `want`, in order. */
static void check_names(ccgis_ctx *ctx, const char *const *full, const char *const *want, int n)
{
    OGRFeatureDefnH d = defn_of(full, n);
    char(*got)[CCGIS_SHP_NAME_MAX + 1] = calloc((size_t)n, sizeof *got);
    assert_non_null(got);
    assert_int_equal(ccgis_shp_names(ctx, d, got), CCGIS_OK);
    for (int i = 0; i < n; i++) {
        if (strcmp(got[i], want[i]) != 0)
            fprintf(stderr, "'%s': got '%s', want '%s'\n", full[i], got[i], want[i]);
        assert_string_equal(got[i], want[i]);
    }
    free(got);
    OGR_FD_Release(d);
}

/* Names of at most 10 bytes are kept, case and all; longer ones cut to 10. */
static void short_names_kept_long_ones_cut(void **state)
{
    static const char *const full[] = {"Name", "description", "altitudeMode", "tessellate",
                                       "Tên làng"};
    static const char *const want[] = {"Name", "descriptio", "altitudeMo", "tessellate",
                                       "Tên làng"}; /* "Tên làng": 10 bytes */
    check_names(*state, full, want, 5);
}

/* Collisions: first 8 bytes + _1, _2 ... in column order; a name that fits
 * keeps it even when a longer name before it would cut to the same. */
static void collisions_numbered_in_column_order(void **state)
{
    static const char *const full[] = {"dien_tich_1", "dien_tich_2", "dien_tich_qd",
                                       "description", "DESCRIPTIO", "description_x"};
    static const char *const want[] = {"dien_tich_", "dien_tic_1", "dien_tic_2",
                                       "descript_1", "DESCRIPTIO", "descript_2"};
    check_names(*state, full, want, 6);
}

/* From _10 on the cut is 7 bytes. */
static void tenth_collision_cuts_to_seven_bytes(void **state)
{
    const char *full[12], *want[12];
    char fb[12][16], wb[12][16];
    for (int i = 0; i < 12; i++) {
        snprintf(fb[i], sizeof fb[i], "abcdefghijk%d", i);
        full[i] = fb[i];
        if (i == 0)
            snprintf(wb[i], sizeof wb[i], "abcdefghij");
        else if (i < 10)
            snprintf(wb[i], sizeof wb[i], "abcdefgh_%d", i);
        else
            snprintf(wb[i], sizeof wb[i], "abcdefg_%d", i);
        want[i] = wb[i];
    }
    check_names(*state, full, want, 12);
}

/* Never inside a UTF-8 character; trailing spaces dropped.  Bytes:
 * "Tên cơ s" = T ê(2) n ' ' c ơ(2) ' ' s = 10, and its 8-byte cut "Tên cơ "
 * loses its space before _1; in "abcdefghiở" ở (3 bytes) starts at the
 * 10th, so the cut is 9; "Đường ống" = Đ(2) ư(2) ờ(3) n g ' ' ố(3) n g is
 * 15 bytes, cut to "Đường " then "Đường" (9); the next cut the same way is
 * taken, and 8 bytes is "Đườn". */
static void cuts_fall_between_characters(void **state)
{
    static const char *const full[] = {"Tên cơ sở sản xuất", "Tên cơ sở khác", "abcdefghiở",
                                       "Đường ống", "Đường ống nước thải"};
    static const char *const want[] = {"Tên cơ s", "Tên cơ_1", "abcdefghi", "Đường",
                                       "Đườn_1"};
    check_names(*state, full, want, 5);
}

/* 1 if s is whole UTF-8 (no cut sequence). */
static int whole_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int len = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3
                                 : (*p & 0xF8) == 0xF0 ? 4 : 0;
        if (!len)
            return 0;
        for (int k = 1; k < len; k++)
            if ((p[k] & 0xC0) != 0x80)
                return 0;
        p += len;
    }
    return 1;
}

/* Generated names: 300 fields from a few stems with Vietnamese letters and
 * numbers, many cutting to the same 10 bytes. */
static void every_name_fits_is_whole_and_unique(void **state)
{
    static const char *const stems[] = {"Tên cơ sở", "dien_tich_", "Diện tích ", "ĐƯỜNG",
                                        "description", "x"};
    enum { N = 300 };
    char buf[N][64];
    const char *full[N];
    for (int i = 0; i < N; i++) {
        snprintf(buf[i], sizeof buf[i], "%s%s%d", stems[i % 6], i % 4 ? "ở" : "", i);
        full[i] = buf[i];
    }
    OGRFeatureDefnH d = defn_of(full, N);
    static char got[N][CCGIS_SHP_NAME_MAX + 1], again[N][CCGIS_SHP_NAME_MAX + 1];
    assert_int_equal(ccgis_shp_names(*state, d, got), CCGIS_OK);
    assert_int_equal(ccgis_shp_names(*state, d, again), CCGIS_OK);
    for (int i = 0; i < N; i++) {
        assert_true(strlen(got[i]) <= 10);
        assert_true(strlen(got[i]) > 0);
        assert_true(whole_utf8(got[i]));
        assert_string_equal(got[i], again[i]);
        if (strlen(full[i]) <= 10)
            assert_string_equal(got[i], full[i]);
        for (int k = 0; k < i; k++)
            assert_int_not_equal(strcasecmp(got[i], got[k]), 0);
    }
    OGR_FD_Release(d);
}

/* The rename for a write: one warning listing the renames, GDAL writes the
 * names as given (read back with OGR), the full names come back. */
static void renamed_for_the_write_and_put_back(void **state)
{
    ccgis_ctx *ctx = *state;
    seen s = {0, ""};
    ccgis_ctx_set_message_handler(ctx, record_sink, &s);
    GDALDatasetH mem = ccgis_result_dataset(ctx);
    assert_non_null(mem);
    OGRLayerH l = GDALDatasetCreateLayer(mem, "t", NULL, wkbPoint, NULL);
    static const char *const full[] = {"ma_ccn", "description", "Tên cơ sở sản xuất"};
    for (int i = 0; i < 3; i++) {
        OGRFieldDefnH f = OGR_Fld_Create(full[i], OFTString);
        assert_int_equal(OGR_L_CreateField(l, f, TRUE), OGRERR_NONE);
        OGR_Fld_Destroy(f);
    }
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
    OGR_F_SetFieldString(f, 2, "Bát Tràng");
    OGRGeometryH p = OGR_G_CreateGeometry(wkbPoint);
    OGR_G_SetPoint_2D(p, 0, 105.9, 21.0);
    OGR_F_SetGeometryDirectly(f, p);
    assert_int_equal(OGR_L_CreateFeature(l, f), OGRERR_NONE);
    OGR_F_Destroy(f);

    char dir[] = "/tmp/test_shpnames.XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t.shp", dir);
    assert_int_equal(ccgis_write_shown(ctx, mem, path, "out/t.shp", NULL, NULL), CCGIS_OK);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.last, "out/t.shp: field names cut to the Shapefile's 10 bytes: "
                                "'description' as 'descriptio', 'Tên cơ sở sản xuất' as "
                                "'Tên cơ s' (GeoPackage, GeoJSON and SpatiaLite keep the full "
                                "names)");
    /* The full names are back in the in-memory layer. */
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
    for (int i = 0; i < 3; i++)
        assert_string_equal(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, i)), full[i]);
    GDALClose(mem);

    /* GDAL wrote the names ccgis gave, and the value under the cut name. */
    GDALDatasetH shp = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(shp);
    OGRLayerH sl = GDALDatasetGetLayer(shp, 0);
    OGRFeatureDefnH sd = OGR_L_GetLayerDefn(sl);
    static const char *const want[] = {"ma_ccn", "descriptio", "Tên cơ s"};
    assert_int_equal(OGR_FD_GetFieldCount(sd), 3);
    for (int i = 0; i < 3; i++)
        assert_string_equal(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(sd, i)), want[i]);
    OGRFeatureH g = OGR_L_GetNextFeature(sl);
    assert_non_null(g);
    assert_string_equal(OGR_F_GetFieldAsString(g, OGR_FD_GetFieldIndex(sd, "Tên cơ s")),
                        "Bát Tràng");
    OGR_F_Destroy(g);
    GDALClose(shp);
    static const char *const exts[] = {"shp", "shx", "dbf", "prj", "cpg"};
    for (size_t i = 0; i < 5; i++) {
        snprintf(path, sizeof path, "%s/t.%s", dir, exts[i]);
        unlink(path);
    }
    assert_int_equal(rmdir(dir), 0);
    ccgis_ctx_set_message_handler(ctx, NULL, NULL);
}

/* A layer with more renames than a message holds: whole items, then how
 * many more, still whole UTF-8. */
static void long_rename_lists_end_with_a_count(void **state)
{
    ccgis_ctx *ctx = *state;
    seen s = {0, ""};
    ccgis_ctx_set_message_handler(ctx, record_sink, &s);
    GDALDatasetH mem = ccgis_result_dataset(ctx);
    OGRLayerH l = GDALDatasetCreateLayer(mem, "t", NULL, wkbNone, NULL);
    for (int i = 0; i < 100; i++) {
        char name[64];
        snprintf(name, sizeof name, "Tên cơ sở số %d", i);
        OGRFieldDefnH f = OGR_Fld_Create(name, OFTString);
        assert_int_equal(OGR_L_CreateField(l, f, TRUE), OGRERR_NONE);
        OGR_Fld_Destroy(f);
    }
    ccgis_shp_saved *saved = NULL;
    assert_int_equal(ccgis_shp_rename(ctx, l, "out/t.shp", &saved), CCGIS_OK);
    assert_int_equal(s.n, 1);
    assert_true(whole_utf8(s.last));
    assert_non_null(strstr(s.last, "'Tên cơ sở số 0' as 'Tên cơ s', 'Tên cơ sở số 1' as "
                                    "'Tên cơ_1', "));
    const char *more = strstr(s.last, " more (GeoPackage, GeoJSON and SpatiaLite keep the full "
                                      "names)");
    assert_non_null(more);
    /* Every field is counted once: listed or in "and N more". */
    int listed = 0;
    for (const char *p = s.last; (p = strstr(p, "' as '")) != NULL; p++)
        listed++;
    const char *and = strstr(s.last, "' and ");
    assert_non_null(and);
    assert_int_equal(listed + atoi(and + 6), 100);
    ccgis_shp_restore(l, saved);
    assert_string_equal(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(OGR_L_GetLayerDefn(l), 99)),
                        "Tên cơ sở số 99");
    GDALClose(mem);
    ccgis_ctx_set_message_handler(ctx, NULL, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(short_names_kept_long_ones_cut, setup, teardown),
        cmocka_unit_test_setup_teardown(collisions_numbered_in_column_order, setup, teardown),
        cmocka_unit_test_setup_teardown(tenth_collision_cuts_to_seven_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(cuts_fall_between_characters, setup, teardown),
        cmocka_unit_test_setup_teardown(every_name_fits_is_whole_and_unique, setup, teardown),
        cmocka_unit_test_setup_teardown(renamed_for_the_write_and_put_back, setup, teardown),
        cmocka_unit_test_setup_teardown(long_rename_lists_end_with_a_count, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
