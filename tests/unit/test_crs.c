/*
 * test_crs.c -- CRS parsing, EPSG identification and transformation to WGS 84.
 *
 * Reference values from PROJ 9.1.1's command-line tool, which applies the
 * registered VN-2000 -> WGS 84 shift (EPSG:6960):
 *   echo "551784.381899792 2323033.966769008" | cs2cs -f %.12f EPSG:5897 EPSG:4326
 *   -> lat 20.999999996000, lon 105.500000007603
 * (that easting/northing is cs2cs's forward image of lat 21, lon 105.5; the
 * Helmert inverse is not exact, hence the sub-millimetre difference).  We must
 * agree within 1e-9 degrees (0.1 mm).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "ccgis/ccgis.h"
#include "internal.h" /* ccgis_crs_gdal_text */

static int setup(void **state)
{
    *state = ccgis_ctx_new();
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    ccgis_ctx_free(*state);
    return 0;
}

static void epsg_code_is_parsed_and_named(void **state)
{
    ccgis_ctx *ctx = *state;
    ccgis_crs *crs = NULL;
    int conf = -1;
    assert_int_equal(ccgis_crs_from_user(ctx, "EPSG:5897", &crs), CCGIS_OK);
    assert_string_equal(ccgis_crs_name(crs), "VN-2000 / TM-3 zone 482");
    assert_int_equal(ccgis_crs_epsg(crs, &conf), 5897);
    assert_int_equal(conf, 100);
    assert_false(ccgis_crs_is_geographic(crs));
    ccgis_crs_free(crs);

    assert_int_equal(ccgis_crs_from_user(ctx, "EPSG:4756", &crs), CCGIS_OK);
    assert_true(ccgis_crs_is_geographic(crs));
    ccgis_crs_free(crs);
}

/* The ESRI .prj that ArcGIS writes for EPSG:5897 carries no code: PROJ must
 * identify it. */
static void esri_wkt_without_code_is_identified(void **state)
{
    ccgis_ctx *ctx = *state;
    static const char esri[] =
        "PROJCS[\"VN_2000_TM-3_zone_482\",GEOGCS[\"GCS_VN_2000\",DATUM[\"D_Vietnam_2000\","
        "SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],"
        "UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"],"
        "PARAMETER[\"False_Easting\",500000.0],PARAMETER[\"False_Northing\",0.0],"
        "PARAMETER[\"Central_Meridian\",105.0],PARAMETER[\"Scale_Factor\",0.9999],"
        "PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]";
    ccgis_crs *crs = NULL;
    int conf = 0;
    assert_int_equal(ccgis_crs_from_user(ctx, esri, &crs), CCGIS_OK);
    assert_int_equal(ccgis_crs_epsg(crs, &conf), 5897);
    assert_in_range(conf, 90, 100);
    ccgis_crs_free(crs);
}

static void unknown_text_is_a_crs_error_quoting_it(void **state)
{
    ccgis_ctx *ctx = *state;
    ccgis_crs *crs = (ccgis_crs *)1;
    assert_int_equal(ccgis_crs_from_user(ctx, "EPSG:999999", &crs), CCGIS_ERR_CRS_BAD);
    assert_null(crs);
    assert_non_null(strstr(ccgis_errmsg(ctx), "'EPSG:999999'"));
    assert_int_equal(ccgis_crs_from_user(ctx, "", &crs), CCGIS_ERR_CRS_BAD);
    /* A transformation is not a CRS. */
    assert_int_equal(ccgis_crs_from_user(ctx, "+proj=pipeline +step +proj=axisswap +order=2,1",
                                         &crs),
                     CCGIS_ERR_CRS_BAD);
    /* A PROJ string naming a CRS is one, with or without +type=crs: UTM 48N's
     * false origin (E 500 km, N 0) is its central meridian, 105 E, on the
     * equator, by definition. */
    assert_int_equal(ccgis_crs_from_user(ctx, "+proj=utm +zone=48 +datum=WGS84 +units=m", &crs),
                     CCGIS_OK);
    assert_false(ccgis_crs_is_geographic(crs));
    ccgis_transform *t = NULL;
    assert_int_equal(ccgis_transform_to_wgs84(ctx, crs, &t), CCGIS_OK);
    double x = 500000.0, y = 0.0;
    assert_int_equal(ccgis_transform_xy(ctx, t, 1, &x, &y), CCGIS_OK);
    assert_true(fabs(x - 105.0) < 1e-12 && fabs(y) < 1e-12);
    ccgis_transform_free(t);
    ccgis_crs_free(crs);
}

static void vn2000_tm3_goes_to_wgs84_with_the_datum_shift(void **state)
{
    ccgis_ctx *ctx = *state;
    ccgis_crs *crs = NULL;
    ccgis_transform *t = NULL;
    assert_int_equal(ccgis_crs_from_user(ctx, "EPSG:5897", &crs), CCGIS_OK);
    assert_int_equal(ccgis_transform_to_wgs84(ctx, crs, &t), CCGIS_OK);
    double x[2] = {551784.381899792, 500000.0}, y[2] = {2323033.966769008, 2323033.966769008};
    assert_int_equal(ccgis_transform_xy(ctx, t, 2, x, y), CCGIS_OK);
    assert_true(fabs(x[0] - 105.500000007603) < 1e-9);
    assert_true(fabs(y[0] - 20.999999996000) < 1e-9);
    /* On the central meridian of VN-2000 the WGS 84 longitude is not 105
     * exactly: the datum shift moves it by a few arc-seconds (~ 100 m). */
    assert_true(fabs(x[1] - 105.0) > 1e-4);
    assert_true(fabs(x[1] - 105.0) < 5e-3);
    ccgis_transform_free(t);
    ccgis_crs_free(crs);
}

static void geographic_wgs84_stays_in_lon_lat_order(void **state)
{
    ccgis_ctx *ctx = *state;
    ccgis_crs *crs = NULL;
    ccgis_transform *t = NULL;
    assert_int_equal(ccgis_crs_from_user(ctx, "EPSG:4326", &crs), CCGIS_OK);
    assert_int_equal(ccgis_transform_to_wgs84(ctx, crs, &t), CCGIS_OK);
    double x = 105.8, y = 21.0;
    assert_int_equal(ccgis_transform_xy(ctx, t, 1, &x, &y), CCGIS_OK);
    assert_true(fabs(x - 105.8) < 1e-12 && fabs(y - 21.0) < 1e-12);
    ccgis_transform_free(t);
    ccgis_crs_free(crs);
}

static void point_outside_the_domain_is_a_transform_error(void **state)
{
    ccgis_ctx *ctx = *state;
    ccgis_crs *crs = NULL;
    ccgis_transform *t = NULL;
    assert_int_equal(ccgis_crs_from_user(ctx, "EPSG:5897", &crs), CCGIS_OK);
    assert_int_equal(ccgis_transform_to_wgs84(ctx, crs, &t), CCGIS_OK);
    double x = 1e300, y = 1e300;
    assert_int_equal(ccgis_transform_xy(ctx, t, 1, &x, &y), CCGIS_ERR_TRANSFORM);
    assert_non_null(strstr(ccgis_errmsg(ctx), "cannot be transformed"));
    ccgis_transform_free(t);
    ccgis_crs_free(crs);
}

/* The VN-2000 presets name the EPSG CRSs whose names the EPSG registry gives
 * (projinfo --list-crs | grep VN-2000). */
static void vn2000_presets_name_the_registry_crs(void **state)
{
    ccgis_ctx *ctx = *state;
    static const struct {
        const char *text;
        int epsg;
        const char *name;
    } cases[] = {
        {"vn2000", 4756, "VN-2000"},
        {"vn2000:utm48", 3405, "VN-2000 / UTM zone 48N"},
        {"VN2000:UTM49", 3406, "VN-2000 / UTM zone 49N"},
        {"vn2000:tm3:105", 5897, "VN-2000 / TM-3 zone 482"},
        {"vn2000:tm3:105-30", 9209, "VN-2000 / TM-3 105-30"},
        {"vn2000:tm3:105.5", 9209, "VN-2000 / TM-3 105-30"},
        {"vn2000:tm3:105:30", 9209, "VN-2000 / TM-3 105-30"},
        {"vn2000:tm3:104-45", 9208, "VN-2000 / TM-3 104-45"},
        {"vn2000:tm3:107.75", 5899, "VN-2000 / TM-3 107-45"},
        {"vn2000:tm3:102", 5896, "VN-2000 / TM-3 zone 481"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ccgis_crs *crs = NULL;
        assert_int_equal(ccgis_crs_from_user(ctx, cases[i].text, &crs), CCGIS_OK);
        assert_int_equal(ccgis_crs_epsg(crs, NULL), cases[i].epsg);
        assert_string_equal(ccgis_crs_name(crs), cases[i].name);
        ccgis_crs_free(crs);
    }
    size_t n;
    const ccgis_crs_preset *p = ccgis_crs_presets(&n);
    assert_int_equal(n, 21);
    for (size_t i = 0; i < n; i++) { /* every preset is a CRS PROJ knows */
        ccgis_crs *crs = NULL;
        assert_int_equal(ccgis_crs_from_user(ctx, p[i].name, &crs), CCGIS_OK);
        assert_int_equal(ccgis_crs_epsg(crs, NULL), p[i].epsg);
        ccgis_crs_free(crs);
    }
    ccgis_crs *crs = NULL;
    assert_int_equal(ccgis_crs_from_user(ctx, "vn2000:tm3:99", &crs), CCGIS_ERR_CRS_BAD);
    assert_non_null(strstr(ccgis_errmsg(ctx), "is not a VN-2000 preset"));
}

/* An output CRS ([job] output_crs, --t-srs) is handed to GDAL by its EPSG
 * code when it is the registry's definition of it, else as WKT. */
static void output_crs_is_recorded_by_its_code(void **state)
{
    ccgis_ctx *ctx = *state;
    ccgis_crs *crs = NULL;
    static const char *const same[] = {"EPSG:5897", "vn2000:tm3:105", "epsg:5897"};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        assert_int_equal(ccgis_crs_for_output(ctx, same[i], &crs), CCGIS_OK);
        assert_string_equal(ccgis_crs_gdal_text(ctx, crs), "EPSG:5897");
        crs = ccgis_crs_free(crs);
    }
    assert_int_equal(ccgis_crs_for_output(ctx, "EPSG:4756", &crs), CCGIS_OK);
    assert_string_equal(ccgis_crs_gdal_text(ctx, crs), "EPSG:4756"); /* geographic is fine */
    crs = ccgis_crs_free(crs);
    /* A WKT that names EPSG:5897 but puts the meridian at 106: not the code. */
    static const char moved[] =
        "PROJCS[\"VN-2000 / TM-3 zone 482\",GEOGCS[\"VN-2000\",DATUM[\"Vietnam_2000\","
        "SPHEROID[\"WGS 84\",6378137,298.257223563]],PRIMEM[\"Greenwich\",0],"
        "UNIT[\"degree\",0.0174532925199433],AUTHORITY[\"EPSG\",\"4756\"]],"
        "PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"latitude_of_origin\",0],"
        "PARAMETER[\"central_meridian\",106],PARAMETER[\"scale_factor\",0.9999],"
        "PARAMETER[\"false_easting\",500000],PARAMETER[\"false_northing\",0],"
        "UNIT[\"metre\",1],AUTHORITY[\"EPSG\",\"5897\"]]";
    assert_int_equal(ccgis_crs_for_output(ctx, moved, &crs), CCGIS_OK);
    assert_non_null(strstr(ccgis_crs_gdal_text(ctx, crs), "PROJCRS["));
    assert_non_null(strstr(ccgis_crs_gdal_text(ctx, crs), "106"));
    crs = ccgis_crs_free(crs);
    /* What is not a CRS is refused, the text quoted. */
    assert_int_equal(ccgis_crs_for_output(ctx, "+proj=helmert +x=1", &crs), CCGIS_ERR_CRS_BAD);
    assert_null(crs);
    assert_non_null(strstr(ccgis_errmsg(ctx), "is a coordinate operation, not a CRS"));
    assert_int_equal(ccgis_crs_for_output(ctx, "EPSG:99999", &crs), CCGIS_ERR_CRS_BAD);
    assert_non_null(strstr(ccgis_errmsg(ctx), "'EPSG:99999'"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(epsg_code_is_parsed_and_named, setup, teardown),
        cmocka_unit_test_setup_teardown(esri_wkt_without_code_is_identified, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_text_is_a_crs_error_quoting_it, setup, teardown),
        cmocka_unit_test_setup_teardown(vn2000_tm3_goes_to_wgs84_with_the_datum_shift, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(geographic_wgs84_stays_in_lon_lat_order, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(point_outside_the_domain_is_a_transform_error, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(vn2000_presets_name_the_registry_crs, setup, teardown),
        cmocka_unit_test_setup_teardown(output_crs_is_recorded_by_its_code, setup, teardown),
    };
    return cmocka_run_group_tests_name("crs", tests, NULL, NULL);
}
