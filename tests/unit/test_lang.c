/*
 * test_lang.c -- numbers written the Vietnamese and the English way, the
 * sentence templates, and the findings' sentences in both languages
 * (src/lang.c, src/findings.c).
 *
 * The expected texts are written by hand from the conventions in
 * /work/shared/DOMAIN.md ("2.344,50 ha", "13,4 %") and from the sentences
 * the findings carried before they were made translatable (their printf
 * formats, reproduced here with snprintf as the reference for the English
 * detail).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

static void num_is(ccgis_lang lang, double v, int decimals, const char *want)
{
    char buf[128];
    ccgis_format_number(lang, v, decimals, buf, sizeof buf);
    if (strcmp(buf, want) != 0)
        fprintf(stderr, "  %s %.17g with %d decimals: got '%s', want '%s'\n", ccgis_lang_name(lang),
                v, decimals, buf, want);
    assert_string_equal(buf, want);
}

static void pct_is(ccgis_lang lang, double v, int decimals, const char *want)
{
    char buf[128];
    assert_string_equal(ccgis_format_pct(lang, v, decimals, buf, sizeof buf), want);
}

/* The issue's own example and the ordinary cases. */
static void numbers_are_written_each_languages_way(void **state)
{
    (void)state;
    num_is(CCGIS_LANG_VI, 2344.5, 2, "2.344,50");
    num_is(CCGIS_LANG_EN, 2344.5, 2, "2,344.50");
    num_is(CCGIS_LANG_VI, 967.97, 2, "967,97");
    num_is(CCGIS_LANG_EN, 967.97, 2, "967.97");
    num_is(CCGIS_LANG_VI, 2000, 0, "2.000");
    num_is(CCGIS_LANG_EN, 2000, 0, "2,000");
    num_is(CCGIS_LANG_VI, 999, 0, "999");
    num_is(CCGIS_LANG_VI, 1000, 0, "1.000");
    num_is(CCGIS_LANG_VI, 88393.9, 1, "88.393,9");
    num_is(CCGIS_LANG_EN, 88393.9, 1, "88,393.9");
    num_is(CCGIS_LANG_VI, 0.74, 2, "0,74");
}

static void negatives_zero_and_rounding(void **state)
{
    (void)state;
    num_is(CCGIS_LANG_VI, -2344.5, 2, "-2.344,50");
    num_is(CCGIS_LANG_EN, -1234567, 0, "-1,234,567");
    num_is(CCGIS_LANG_VI, 0, 2, "0,00");
    num_is(CCGIS_LANG_EN, 0, 0, "0");
    /* a value that rounds to zero carries no sign */
    num_is(CCGIS_LANG_VI, -0.004, 2, "0,00");
    num_is(CCGIS_LANG_EN, -0.0, 1, "0.0");
    /* rounding carries into a new group of thousands */
    num_is(CCGIS_LANG_VI, 999.999, 2, "1.000,00");
    num_is(CCGIS_LANG_EN, 999999.6, 0, "1,000,000");
    num_is(CCGIS_LANG_VI, 1234.5678, 2, "1.234,57");
    num_is(CCGIS_LANG_EN, 1234.5678, 3, "1,234.568");
    num_is(CCGIS_LANG_VI, 0.06, 1, "0,1");
    /* not a number */
    num_is(CCGIS_LANG_VI, NAN, 2, "-");
    num_is(CCGIS_LANG_EN, INFINITY, 2, "-");
}

static void large_numbers(void **state)
{
    (void)state;
    num_is(CCGIS_LANG_VI, 1234567890123.0, 0, "1.234.567.890.123");
    num_is(CCGIS_LANG_EN, 1e15, 2, "1,000,000,000,000,000.00");
    num_is(CCGIS_LANG_VI, 33600000000.0, 0, "33.600.000.000"); /* Hà Nội in m² */
    /* cut short at a character boundary when the buffer is small */
    char buf[4];
    assert_string_equal(ccgis_format_number(CCGIS_LANG_VI, 2344.5, 2, buf, sizeof buf), "2.3");
}

static void percentages(void **state)
{
    (void)state;
    pct_is(CCGIS_LANG_VI, 12.5, 1, "12,5 %");
    pct_is(CCGIS_LANG_EN, 12.5, 1, "12.5%");
    pct_is(CCGIS_LANG_VI, 100, 1, "100,0 %");
    pct_is(CCGIS_LANG_VI, -49.3, 1, "-49,3 %");
    pct_is(CCGIS_LANG_EN, 4592.2, 0, "4,592%");
    pct_is(CCGIS_LANG_VI, NAN, 1, "-");
}

static void language_names(void **state)
{
    (void)state;
    ccgis_lang l = CCGIS_LANG_VI;
    assert_true(ccgis_lang_from_name("en", &l) && l == CCGIS_LANG_EN);
    assert_true(ccgis_lang_from_name("vi", &l) && l == CCGIS_LANG_VI);
    assert_true(ccgis_lang_from_name("EN-gb", &l) && l == CCGIS_LANG_EN);
    assert_true(ccgis_lang_from_name("vi_VN", &l) && l == CCGIS_LANG_VI);
    l = CCGIS_LANG_EN;
    assert_false(ccgis_lang_from_name("fr", &l));
    assert_false(ccgis_lang_from_name("", &l));
    assert_false(ccgis_lang_from_name("v", &l));
    assert_false(ccgis_lang_from_name("vi-", &l));
    assert_false(ccgis_lang_from_name("vietnamese", &l));
    assert_false(ccgis_lang_from_name(NULL, &l));
    assert_int_equal(l, CCGIS_LANG_EN); /* untouched */
    assert_string_equal(ccgis_lang_name(CCGIS_LANG_VI), "vi");
    assert_string_equal(ccgis_lang_name(CCGIS_LANG_EN), "en");
}

/* Every placeholder of lang.h. */
static void templates_fill_every_placeholder(void **state)
{
    (void)state;
    char buf[512];
    ccgis_say_args a = {{"clusters", "CCN12",
                         "59.5" CCGIS_SHARE_SEP "Chương Mỹ" CCGIS_SHARES_SEP "40.5" CCGIS_SHARE_SEP
                         "Quốc Oai"},
                        {1883.9, 13.44, 4592.2, 2}};
    const char *t = "{l0} {w1}: {f0.1 m²}, {%1.1}, {+%2.0}, {i3}, {s2}, {w5}, {x}";
    assert_string_equal(ccgis_say(CCGIS_LANG_VI, 0, t, &a, buf, sizeof buf),
                        "cụm CCN12: 1.883,9 m², 13,4 %, +4.592 %, 2, 59,5 % Chương Mỹ, "
                        "40,5 % Quốc Oai, ?, {x}");
    assert_string_equal(ccgis_say(CCGIS_LANG_EN, 0, t, &a, buf, sizeof buf),
                        "clusters CCN12: 1,883.9 m², 13.4%, +4,592%, 2, 59.5% Chương Mỹ, "
                        "40.5% Quốc Oai, ?, {x}");
    assert_string_equal(ccgis_say(CCGIS_LANG_VI, 1, t, &a, buf, sizeof buf),
                        "clusters CCN12: 1883.9 m², 13.4%, +4592%, 2, 59.5% Chương Mỹ, "
                        "40.5% Quốc Oai, ?, {x}");
    /* an unknown figure: the word for it, and no unit */
    a.x[0] = NAN;
    assert_string_equal(ccgis_say(CCGIS_LANG_VI, 0, "{f0.1 m²}", &a, buf, sizeof buf), "không rõ");
    assert_string_equal(ccgis_say(CCGIS_LANG_EN, 1, "{f0.1 m²}", &a, buf, sizeof buf), "unknown");
    /* a small buffer cuts at a character, never inside one */
    char small[6];
    ccgis_say(CCGIS_LANG_VI, 0, "{l0}", &a, small, sizeof small); /* "cụm": c, ụ (3), m */
    assert_string_equal(small, "cụm");
    char tiny[4];
    ccgis_say(CCGIS_LANG_VI, 0, "{l0}", &a, tiny, sizeof tiny);
    assert_string_equal(tiny, "c");
}

/* The report's and the workbook's words exist in both languages. */
static void every_text_has_both_languages(void **state)
{
    (void)state;
    for (int id = 0; id < CCGIS_TEXT_COUNT; id++) {
        const char *vi = ccgis_tr(CCGIS_LANG_VI, (ccgis_text_id)id);
        const char *en = ccgis_tr(CCGIS_LANG_EN, (ccgis_text_id)id);
        if (!vi || !en || !vi[0] || !en[0])
            fprintf(stderr, "  text %d has no %s\n", id, !vi || !vi[0] ? "vi" : "en");
        assert_true(vi && en && vi[0] && en[0]);
        assert_int_equal(ccgis_text_is_utf8(vi), 0);
    }
    assert_string_equal(ccgis_tr_layer(CCGIS_LANG_VI, "zoning"), "Quy hoạch sử dụng đất");
    assert_string_equal(ccgis_tr_layer(CCGIS_LANG_EN, "zoning"), "Land-use zoning");
    assert_string_equal(ccgis_tr_layer(CCGIS_LANG_VI, "landuse"), "landuse");
}

/* A findings list in a context that is freed after. */
static ccgis_ctx *ctx;
static ccgis_findings list;

static int setup(void **state)
{
    (void)state;
    ctx = ccgis_ctx_new();
    return ctx ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ccgis_findings_clear(&list);
    ccgis_ctx_free(ctx);
    return 0;
}

/* The English detail is what the old printf format gave; the report's
 * sentence in each language. */
static void findings_tell_their_sentence_in_both_languages(void **state)
{
    (void)state;
    char want[512], vi[1024], en[1024];
    /* ZONING_CONFLICT, as run.c made it before: "cluster %s: %.2f ha (%.1f%% of its area) on
     * land not zoned for industry, most on %s" */
    assert_int_equal(ccgis_finding_say(ctx, &list, CCGIS_ZONING_CONFLICT, "clusters", "CCN01",
                                       "DGD", 22000, NULL, CCGIS_SAY_CONFLICT,
                                       &(ccgis_say_args){{"CCN01", "DGD"}, {2.2, 13.42}}),
                     CCGIS_OK);
    snprintf(want, sizeof want,
             "cluster %s: %.2f ha (%.1f%% of its area) on land not zoned for industry, most on "
             "%s",
             "CCN01", 2.2, 13.42, "DGD");
    const ccgis_finding *f = &list.items[0];
    assert_string_equal(f->detail, want);
    assert_string_equal(ccgis_finding_text(f, CCGIS_LANG_VI, vi, sizeof vi),
                        "cụm CCN01: 2,20 ha (13,4 % diện tích) trên đất không được quy hoạch cho "
                        "công nghiệp, nhiều nhất là DGD");
    assert_string_equal(ccgis_finding_text(f, CCGIS_LANG_EN, en, sizeof en),
                        "cluster CCN01: 2.20 ha (13.4% of its area) on land not zoned for "
                        "industry, most on DGD");

    /* GEOMETRY_REPAIRED, as layer.c made it: "%s %s: invalid polygon (%s) repaired with
     * MakeValid; geodesic area %s before, %.1f m² after" with before "%.1f m²" */
    assert_int_equal(ccgis_finding_say(ctx, &list, CCGIS_GEOMETRY_REPAIRED, "clusters", "CCN21",
                                       NULL, 88393.9, NULL, CCGIS_SAY_REPAIRED,
                                       &(ccgis_say_args){{"clusters", "CCN21", "Self-intersection"},
                                                         {1883.9, 88393.9}}),
                     CCGIS_OK);
    snprintf(want, sizeof want,
             "%s %s: invalid polygon (%s) repaired with MakeValid; geodesic area %.1f m² before, "
             "%.1f m² after",
             "clusters", "CCN21", "Self-intersection", 1883.9, 88393.9);
    f = &list.items[1];
    assert_string_equal(f->detail, want);
    assert_string_equal(ccgis_finding_text(f, CCGIS_LANG_VI, vi, sizeof vi),
                        "cụm CCN21: đa giác không hợp lệ (Self-intersection) đã được sửa bằng "
                        "MakeValid; diện tích trắc địa trước khi sửa 1.883,9 m², sau khi sửa "
                        "88.393,9 m²");
    assert_string_equal(ccgis_finding_text(f, CCGIS_LANG_EN, en, sizeof en),
                        "clusters CCN21: invalid polygon (Self-intersection) repaired with "
                        "MakeValid; geodesic area 1,883.9 m² before, 88,393.9 m² after");

    /* AREA_MISMATCH: "cluster %s: its boundary measures %.2f ha but %.2f ha are declared
     * (%s), %+.1f%% -- more than the %.0f%% allowed; check the boundary or the declaration" */
    assert_int_equal(
        ccgis_finding_say(ctx, &list, CCGIS_AREA_MISMATCH, "clusters", "CCN21", NULL, 88393.9, NULL,
                          CCGIS_SAY_MISMATCH,
                          &(ccgis_say_args){{"CCN21", "dt_qd_ha"}, {8.84, 17.43, -49.28, 5}}),
        CCGIS_OK);
    snprintf(want, sizeof want,
             "cluster %s: its boundary measures %.2f ha but %.2f ha are declared (%s), %+.1f%% "
             "-- more than the %.0f%% allowed; check the boundary or the declaration",
             "CCN21", 8.84, 17.43, "dt_qd_ha", -49.28, 5.0);
    f = &list.items[2];
    assert_string_equal(f->detail, want);
    assert_string_equal(ccgis_finding_text(f, CCGIS_LANG_VI, vi, sizeof vi),
                        "cụm CCN21: ranh giới đo được 8,84 ha nhưng diện tích quyết định là "
                        "17,43 ha (dt_qd_ha), chênh -49,3 % — vượt mức 5 % cho phép; hãy kiểm tra "
                        "ranh giới hoặc quyết định");

    /* A finding made with a plain sentence says it in every language. */
    assert_int_equal(ccgis_finding_add(ctx, &list, CCGIS_OVERLAP, "x", "a", "b", 1.5, NULL,
                                       "a and b overlap on %.1f m²", 1.5),
                     CCGIS_OK);
    f = &list.items[3];
    assert_int_equal(f->form, 0);
    assert_string_equal(ccgis_finding_text(f, CCGIS_LANG_VI, vi, sizeof vi),
                        "a and b overlap on 1.5 m²");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbers_are_written_each_languages_way),
        cmocka_unit_test(negatives_zero_and_rounding),
        cmocka_unit_test(large_numbers),
        cmocka_unit_test(percentages),
        cmocka_unit_test(language_names),
        cmocka_unit_test(templates_fill_every_placeholder),
        cmocka_unit_test(every_text_has_both_languages),
        cmocka_unit_test_setup_teardown(findings_tell_their_sentence_in_both_languages, setup,
                                        teardown),
    };
    return cmocka_run_group_tests_name("lang", tests, NULL, NULL);
}
