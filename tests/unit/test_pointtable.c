/*
 * test_pointtable.c -- coordinates as written in the cells of a table
 * (pointtable.c): numbers with a decimal point or comma, thousands grouped,
 * degrees-minutes-seconds.  Expected values by hand: D + M/60 + S/3600.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "internal.h"

/* text reads as `want` (to 1e-12). */
static void reads_as(const char *text, double want)
{
    double v = NAN;
    int ok = ccgis_coord_parse(text, &v);
    if (!ok || fabs(v - want) > 1e-12)
        print_error("'%s': got %d, %.15g; want %.15g\n", text, ok, v, want);
    assert_true(ok);
    assert_true(fabs(v - want) <= 1e-12);
}

/* text is refused. */
static void refused(const char *text)
{
    double v;
    if (ccgis_coord_parse(text, &v))
        print_error("'%s' read as %.15g\n", text, v);
    assert_false(ccgis_coord_parse(text, &v));
}

static void numbers(void **state)
{
    (void)state;
    reads_as("105.8534", 105.8534);
    reads_as("105,8534", 105.8534);
    reads_as(" -21.5 ", -21.5);
    reads_as("2.321.012,39", 2321012.39);  /* Vietnamese: dot thousands, comma decimals */
    reads_as("2,321,012.39", 2321012.39);  /* English */
    reads_as("2.321.012", 2321012.0);
    reads_as("595254", 595254.0);
    refused("21.5.3");
    refused("2.32.1");
    refused("abc");
    refused("");
    refused("12,34,5");
}

static void degrees_minutes_seconds(void **state)
{
    (void)state;
    double want = 21 + 1 / 60.0 + 28.5 / 3600;
    reads_as("21°01'28.5\"N", want);
    reads_as("21° 01' 28,5\" N", want);
    reads_as("N 21:01:28.5", want);
    reads_as("21º01′28.5″N", want); /* ordinal sign, prime, double prime */
    reads_as("21°01’28.5”N", want); /* typographic quotes */
    reads_as("21 01 28.5", want);
    reads_as("21°01'28.5\"S", -want);
    reads_as("105 51 12 E", 105 + 51 / 60.0 + 12 / 3600.0);
    reads_as("105°51'12\"W", -(105 + 51 / 60.0 + 12 / 3600.0));
    reads_as("-105°51.2'", -(105 + 51.2 / 60));
    reads_as("21.0245°", 21.0245);
    refused("21°60'00\"N");    /* minutes below 60 */
    refused("21°01'60\"N");    /* seconds below 60 */
    refused("21.5°30'");       /* only the last part has decimals */
    refused("21°01'28.5\"N 3"); /* nothing after the hemisphere */
    refused("1°2'3\"4");        /* four parts */
    refused("21°01' khoảng");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbers),
        cmocka_unit_test(degrees_minutes_seconds),
    };
    return cmocka_run_group_tests_name("coordinates in table cells", tests, NULL, NULL);
}
