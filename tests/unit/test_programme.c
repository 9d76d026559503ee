/*
 * test_programme.c -- the readers of programme fields (programme.h): every
 * accepted spelling gives the hand-read value, everything else -1, blank 0.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccgis/programme.h"

static void years(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int rc, year;
    } cases[] = {
        {"2019", 1, 2019},        {" 2019 ", 1, 2019},      {"2019.0", 1, 2019},
        {"2019.00", 1, 2019},     {"2019-05-10", 1, 2019},  {"2019/05", 1, 2019},
        {"2019-5", 1, 2019},      {"05/2019", 1, 2019},     {"5/2019", 1, 2019},
        {"10/05/2019", 1, 2019},  {"1/5/2019", 1, 2019},    {"10.05.2019", 1, 2019},
        {"năm 2019", 1, 2019},    {"Năm 2020", 1, 2020},    {"", 0, 0},
        {"   ", 0, 0},            {NULL, 0, 0},             {"19", -1, 0},
        {"2019.5", -1, 0},        {"2019-13-01", -1, 0},    {"13/2019", -1, 0},
        {"32/05/2019", -1, 0},    {"10/13/2019", -1, 0},    {"1850", -1, 0},
        {"2150", -1, 0},          {"2019a", -1, 0},         {"chưa", -1, 0},
        {"2019-05-10T00:00", -1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int y = -7;
        int rc = ccgis_read_year(cases[i].s, &y);
        if (rc != cases[i].rc || (rc == 1 && y != cases[i].year))
            fail_msg("year '%s': got rc %d year %d, want rc %d year %d",
                     cases[i].s ? cases[i].s : "(null)", rc, y, cases[i].rc, cases[i].year);
        if (rc != 1)
            assert_int_equal(y, -7); /* untouched */
    }
}

static void shares(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int rc;
        double v;
    } cases[] = {
        {"85", 1, 85},     {"85 %", 1, 85}, {"85%", 1, 85},   {"85,5", 1, 85.5},
        {"85.5", 1, 85.5}, {"0", 1, 0},     {"100", 1, 100},  {"0.85", 1, 0.85},
        {"", 0, 0},        {"101", -1, 0},  {"-5", -1, 0},    {"85,", -1, 0},
        {"abc", -1, 0},    {"8 5", -1, 0},  {"100.5", -1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double v = -7;
        int rc = ccgis_read_share(cases[i].s, &v);
        if (rc != cases[i].rc || (rc == 1 && v != cases[i].v))
            fail_msg("share '%s': got rc %d value %g, want rc %d value %g", cases[i].s, rc, v,
                     cases[i].rc, cases[i].v);
    }
}

static void counts(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int rc;
        long long v;
    } cases[] = {
        {"4169", 1, 4169},       {"4.169", 1, 4169},      {"4,169", 1, 4169},
        {"4 169", 1, 4169},      {"80.000", 1, 80000},    {"1.234.567", 1, 1234567},
        {"4169.0", 1, 4169},     {"0", 1, 0},             {"", 0, 0},
        {"4.16", -1, 0},         {"4.1690", -1, 0},       {"4.169,5", -1, 0},
        {"-3", -1, 0},           {"12.5", -1, 0},         {"1234.567", -1, 0},
        {"khoảng 80.000", -1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        long long v = -7;
        int rc = ccgis_read_count(cases[i].s, &v);
        if (rc != cases[i].rc || (rc == 1 && v != cases[i].v))
            fail_msg("count '%s': got rc %d value %lld, want rc %d value %lld", cases[i].s, rc, v,
                     cases[i].rc, cases[i].v);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(years),
        cmocka_unit_test(shares),
        cmocka_unit_test(counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
