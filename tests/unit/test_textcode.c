/*
 * test_textcode.c -- Vietnamese legacy encodings: decoding to UTF-8 NFC,
 * normalisation and detection (ccgis/textcode.h).
 *
 * The legacy bytes every test decodes are made without ccgis's decoders:
 * CP1258, VISCII and TCVN3 bytes by glibc iconv in the UTF-8 -> legacy
 * direction (iconv_enc below), VNI bytes from the reference table vni_ref[]
 * of this file, copied from a source other than the one src/textcode_vni.c
 * was taken from, in the form VNI text takes in a Windows-1252 font ("aø"
 * for à), and turned into bytes by iconv's CP1252 encoder.  Where every
 * expected byte sequence comes from is told in textcode_reference.md.
 *
 * Byte strings use hex escapes, or octal ones where a hex digit follows
 * ("H\337a": 0xDF then 'a').
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "ccgis/ctx.h"
#include "ccgis/textcode.h"

/* The 67 lower-case letters: for each vowel a ă â e ê i o ô ơ u ư y, its
 * forms with no tone (when that is not plain ASCII), grave, acute, hook
 * above, tilde, dot below; then đ. */
/* clang-format off */
static const char *const lower[67] = {
    "à", "á", "ả", "ã", "ạ", "ă", "ằ", "ắ", "ẳ", "ẵ", "ặ", "â",
    "ầ", "ấ", "ẩ", "ẫ", "ậ", "è", "é", "ẻ", "ẽ", "ẹ", "ê", "ề",
    "ế", "ể", "ễ", "ệ", "ì", "í", "ỉ", "ĩ", "ị", "ò", "ó", "ỏ",
    "õ", "ọ", "ô", "ồ", "ố", "ổ", "ỗ", "ộ", "ơ", "ờ", "ớ", "ở",
    "ỡ", "ợ", "ù", "ú", "ủ", "ũ", "ụ", "ư", "ừ", "ứ", "ử", "ữ",
    "ự", "ỳ", "ý", "ỷ", "ỹ", "ỵ", "đ",
};
/* clang-format on */

/* The 67 upper-case letters, in the same order. */
/* clang-format off */
static const char *const upper[67] = {
    "À", "Á", "Ả", "Ã", "Ạ", "Ă", "Ằ", "Ắ", "Ẳ", "Ẵ", "Ặ", "Â",
    "Ầ", "Ấ", "Ẩ", "Ẫ", "Ậ", "È", "É", "Ẻ", "Ẽ", "Ẹ", "Ê", "Ề",
    "Ế", "Ể", "Ễ", "Ệ", "Ì", "Í", "Ỉ", "Ĩ", "Ị", "Ò", "Ó", "Ỏ",
    "Õ", "Ọ", "Ô", "Ồ", "Ố", "Ổ", "Ỗ", "Ộ", "Ơ", "Ờ", "Ớ", "Ở",
    "Ỡ", "Ợ", "Ù", "Ú", "Ủ", "Ũ", "Ụ", "Ư", "Ừ", "Ứ", "Ử", "Ữ",
    "Ự", "Ỳ", "Ý", "Ỷ", "Ỹ", "Ỵ", "Đ",
};
/* clang-format on */

/* Decomposed (NFD-style) bases of the twelve vowel rows, and whether the
 * row's first letter is the plain ASCII vowel (which is not in the lists). */
static const struct {
    const char *lower, *upper;
    int plain;
} rows[12] = {
    {"a", "A", 1}, {"a\u0306", "A\u0306", 0}, {"a\u0302", "A\u0302", 0},
    {"e", "E", 1}, {"e\u0302", "E\u0302", 0}, {"i", "I", 1},
    {"o", "O", 1}, {"o\u0302", "O\u0302", 0}, {"o\u031B", "O\u031B", 0},
    {"u", "U", 1}, {"u\u031B", "U\u031B", 0}, {"y", "Y", 1},
};

/* Combining tone marks in row order: none, grave, acute, hook, tilde, dot. */
static const char *const tones[6] = {"", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"};

/*
 * VNI-Windows reference: each letter and its VNI bytes as they show in a
 * Windows-1252 font.  Source: the `vni` column of charsets.ts in the npm
 * package vietnamese-conversion, first version (duydev/vietnamese-conversion
 * commit 46413a05, 2021-07-23), see textcode_reference.md.  Independent of
 * src/textcode_vni.c, which was taken from xvnkb's vni.h.
 */
/* clang-format off */
static const struct {
    const char *letter, *vni;
} vni_ref[134] = {
    {"à", "aø"}, {"À", "AØ"},
    {"á", "aù"}, {"Á", "AÙ"},
    {"ả", "aû"}, {"Ả", "AÛ"},
    {"ã", "aõ"}, {"Ã", "AÕ"},
    {"ạ", "aï"}, {"Ạ", "AÏ"},
    {"ă", "aê"}, {"Ă", "AÊ"},
    {"ằ", "aè"}, {"Ằ", "AÈ"},
    {"ắ", "aé"}, {"Ắ", "AÉ"},
    {"ẳ", "aú"}, {"Ẳ", "AÚ"},
    {"ẵ", "aü"}, {"Ẵ", "AÜ"},
    {"ặ", "aë"}, {"Ặ", "AË"},
    {"â", "aâ"}, {"Â", "AÂ"},
    {"ầ", "aà"}, {"Ầ", "AÀ"},
    {"ấ", "aá"}, {"Ấ", "AÁ"},
    {"ẩ", "aå"}, {"Ẩ", "AÅ"},
    {"ẫ", "aã"}, {"Ẫ", "AÃ"},
    {"ậ", "aä"}, {"Ậ", "AÄ"},
    {"è", "eø"}, {"È", "EØ"},
    {"é", "eù"}, {"É", "EÙ"},
    {"ẻ", "eû"}, {"Ẻ", "EÛ"},
    {"ẽ", "eõ"}, {"Ẽ", "EÕ"},
    {"ẹ", "eï"}, {"Ẹ", "EÏ"},
    {"ê", "eâ"}, {"Ê", "EÂ"},
    {"ề", "eà"}, {"Ề", "EÀ"},
    {"ế", "eá"}, {"Ế", "EÁ"},
    {"ể", "eå"}, {"Ể", "EÅ"},
    {"ễ", "eã"}, {"Ễ", "EÃ"},
    {"ệ", "eä"}, {"Ệ", "EÄ"},
    {"ì", "ì"}, {"Ì", "Ì"},
    {"í", "í"}, {"Í", "Í"},
    {"ỉ", "æ"}, {"Ỉ", "Æ"},
    {"ĩ", "ó"}, {"Ĩ", "Ó"},
    {"ị", "ò"}, {"Ị", "Ò"},
    {"ò", "oø"}, {"Ò", "OØ"},
    {"ó", "où"}, {"Ó", "OÙ"},
    {"ỏ", "oû"}, {"Ỏ", "OÛ"},
    {"õ", "oõ"}, {"Õ", "OÕ"},
    {"ọ", "oï"}, {"Ọ", "OÏ"},
    {"ô", "oâ"}, {"Ô", "OÂ"},
    {"ồ", "oà"}, {"Ồ", "OÀ"},
    {"ố", "oá"}, {"Ố", "OÁ"},
    {"ổ", "oå"}, {"Ổ", "OÅ"},
    {"ỗ", "oã"}, {"Ỗ", "OÃ"},
    {"ộ", "oä"}, {"Ộ", "OÄ"},
    {"ơ", "ô"}, {"Ơ", "Ô"},
    {"ờ", "ôø"}, {"Ờ", "ÔØ"},
    {"ớ", "ôù"}, {"Ớ", "ÔÙ"},
    {"ở", "ôû"}, {"Ở", "ÔÛ"},
    {"ỡ", "ôõ"}, {"Ỡ", "ÔÕ"},
    {"ợ", "ôï"}, {"Ợ", "ÔÏ"},
    {"ù", "uø"}, {"Ù", "UØ"},
    {"ú", "uù"}, {"Ú", "UÙ"},
    {"ủ", "uû"}, {"Ủ", "UÛ"},
    {"ũ", "uõ"}, {"Ũ", "UÕ"},
    {"ụ", "uï"}, {"Ụ", "UÏ"},
    {"ư", "ö"}, {"Ư", "Ö"},
    {"ừ", "öø"}, {"Ừ", "ÖØ"},
    {"ứ", "öù"}, {"Ứ", "ÖÙ"},
    {"ử", "öû"}, {"Ử", "ÖÛ"},
    {"ữ", "öõ"}, {"Ữ", "ÖÕ"},
    {"ự", "öï"}, {"Ự", "ÖÏ"},
    {"ỳ", "yø"}, {"Ỳ", "YØ"},
    {"ý", "yù"}, {"Ý", "YÙ"},
    {"ỷ", "yû"}, {"Ỷ", "YÛ"},
    {"ỹ", "yõ"}, {"Ỹ", "YÕ"},
    {"ỵ", "î"}, {"Ỵ", "Î"},
    {"đ", "ñ"}, {"Đ", "Ñ"},
};
/* clang-format on */

/* Hanoi names from shapes/ (clusters, villages, districts, statuses). */
static const char *const names[] = {
    "Cụm công nghiệp Phùng Xá",
    "Làng gốm Bát Tràng",
    "Thạch Thất",
    "Ứng Hòa",
    "Đông Anh",
    "đang hoạt động",
    "Làng mây tre đan Phú Vinh",
    "CCN Ngọc Hồi",
    "Thường Tín",
    "Hoài Đức",
    "CCN Quất Động",
    "đã thành lập",
};
#define N_NAMES (sizeof names / sizeof names[0])

/* ---- helpers ------------------------------------------------------------ */

/*
 * utf8 encoded by glibc iconv into `code` (an iconv name): a new
 * NUL-terminated buffer, its length in *len.  Fails the test if iconv
 * cannot encode it.
 */
static char *iconv_enc(const char *code, const char *utf8, size_t *len)
{
    iconv_t cd = iconv_open(code, "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t inleft = strlen(utf8), cap = 4 * inleft + 16, outleft = cap - 1;
    char *buf = calloc(1, cap), *in = (char *)utf8, *o = buf;
    assert_non_null(buf);
    assert_true(iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1);
    assert_true(iconv(cd, NULL, NULL, &o, &outleft) != (size_t)-1);
    iconv_close(cd);
    *len = (size_t)(o - buf);
    *o = '\0';
    return buf;
}

/*
 * utf8 written in VNI from vni_ref[] (letters) and as is (ASCII): a new
 * NUL-terminated buffer, its length in *len.
 */
static char *vni_enc(const char *utf8, size_t *len)
{
    size_t cap = 4 * strlen(utf8) + 16, n = 0;
    char *buf = calloc(1, cap);
    assert_non_null(buf);
    for (const char *s = utf8; *s;) {
        unsigned char b = (unsigned char)*s;
        size_t k = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        size_t i = 0;
        while (i < 134 && (strlen(vni_ref[i].letter) != k || memcmp(vni_ref[i].letter, s, k)))
            i++;
        if (i < 134) {
            size_t bl;
            char *bytes = iconv_enc("CP1252", vni_ref[i].vni, &bl);
            memcpy(buf + n, bytes, bl);
            n += bl;
            free(bytes);
        } else {
            assert_true(k == 1); /* only ASCII is left as it is */
            buf[n++] = *s;
        }
        s += k;
    }
    *len = n;
    return buf;
}

/* utf8 in the legacy code `code`, made as the file header says. */
static char *legacy_enc(ccgis_textcode code, const char *utf8, size_t *len)
{
    switch (code) {
    case CCGIS_TEXT_CP1258:
        return iconv_enc("CP1258", utf8, len);
    case CCGIS_TEXT_VISCII:
        return iconv_enc("VISCII", utf8, len);
    case CCGIS_TEXT_TCVN3:
        return iconv_enc("TCVN5712-1", utf8, len);
    case CCGIS_TEXT_VNI:
        return vni_enc(utf8, len);
    default:
        *len = strlen(utf8);
        return strdup(utf8);
    }
}

/* Decode bytes[0..len) in `code` and assert the result is `expect`. */
static void assert_decodes(ccgis_ctx *ctx, ccgis_textcode code, const char *bytes, size_t len,
                           const char *expect)
{
    char *out = NULL;
    ccgis_status st = ccgis_text_decode(ctx, code, bytes, len, &out);
    if (st != CCGIS_OK)
        fail_msg("%s: '%s' does not decode: %s", ccgis_textcode_name(code), expect,
                 ccgis_errmsg(ctx));
    assert_string_equal(out, expect);
    free(out);
}

/* Decode bytes in `code`, assert CCGIS_ERR_INPUT and that the message holds
 * both `what1` and `what2`. */
static void assert_refused(ccgis_ctx *ctx, ccgis_textcode code, const char *bytes, size_t len,
                           const char *what1, const char *what2)
{
    char *out = (char *)1;
    assert_int_equal(ccgis_text_decode(ctx, code, bytes, len, &out), CCGIS_ERR_INPUT);
    assert_null(out);
    assert_non_null(strstr(ccgis_errmsg(ctx), what1));
    assert_non_null(strstr(ccgis_errmsg(ctx), what2));
}

/* Assert that the NFC of `in` is `expect`. */
static void assert_nfc(ccgis_ctx *ctx, const char *in, const char *expect)
{
    char *out = NULL;
    assert_int_equal(ccgis_text_nfc(ctx, in, &out), CCGIS_OK);
    assert_string_equal(out, expect);
    free(out);
}

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

/* ---- names ---------------------------------------------------------------- */

static void names_and_aliases_are_recognised(void **state)
{
    (void)state;
    assert_string_equal(ccgis_textcode_name(CCGIS_TEXT_UTF8), "UTF-8");
    assert_string_equal(ccgis_textcode_name(CCGIS_TEXT_CP1258), "CP1258");
    assert_string_equal(ccgis_textcode_name(CCGIS_TEXT_VISCII), "VISCII");
    assert_string_equal(ccgis_textcode_name(CCGIS_TEXT_TCVN3), "TCVN3");
    assert_string_equal(ccgis_textcode_name(CCGIS_TEXT_VNI), "VNI");
    assert_string_equal(ccgis_textcode_name(CCGIS_TEXT_UNKNOWN), "unknown");
    assert_string_equal(ccgis_textcode_name((ccgis_textcode)42), "unknown");

    static const struct {
        const char *name;
        ccgis_textcode code;
    } aliases[] = {
        {"UTF-8", CCGIS_TEXT_UTF8},
        {"utf8", CCGIS_TEXT_UTF8},
        {"Windows-1258", CCGIS_TEXT_CP1258},
        {"cp1258", CCGIS_TEXT_CP1258},
        {"CP1258", CCGIS_TEXT_CP1258},
        {"tcvn", CCGIS_TEXT_TCVN3},
        {"TCVN3", CCGIS_TEXT_TCVN3},
        {"tcvn5712", CCGIS_TEXT_TCVN3},
        {"ABC", CCGIS_TEXT_TCVN3},
        {"vni", CCGIS_TEXT_VNI},
        {"VNI-Windows", CCGIS_TEXT_VNI},
        {"viscii", CCGIS_TEXT_VISCII},
        {"VISCII", CCGIS_TEXT_VISCII},
        {"latin1", CCGIS_TEXT_UNKNOWN},
        {"", CCGIS_TEXT_UNKNOWN},
        {"utf-16", CCGIS_TEXT_UNKNOWN},
    };
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        assert_int_equal(ccgis_textcode_from_name(aliases[i].name), aliases[i].code);
    assert_int_equal(ccgis_textcode_from_name(NULL), CCGIS_TEXT_UNKNOWN);
    for (int c = CCGIS_TEXT_UTF8; c <= CCGIS_TEXT_VNI; c++)
        assert_int_equal(ccgis_textcode_from_name(ccgis_textcode_name((ccgis_textcode)c)), c);
}

/* ---- every letter in every code ------------------------------------------------ */

/* Every one of the 134 letters, alone and all 67 of a case in a row, encoded
 * in `code` independently and decoded back. */
static void every_letter_round_trips(ccgis_ctx *ctx, ccgis_textcode code)
{
    const char *const *cases[2] = {lower, upper};
    for (int u = 0; u < 2; u++) {
        char all[67 * 4 + 1] = "";
        for (size_t i = 0; i < 67; i++) {
            size_t len;
            char *bytes = legacy_enc(code, cases[u][i], &len);
            assert_decodes(ctx, code, bytes, len, cases[u][i]);
            free(bytes);
            strcat(all, cases[u][i]);
        }
        size_t len;
        char *bytes = legacy_enc(code, all, &len);
        assert_decodes(ctx, code, bytes, len, all);
        free(bytes);
    }
}

static void every_letter_round_trips_through_cp1258(void **state)
{
    every_letter_round_trips(*state, CCGIS_TEXT_CP1258);
}

static void every_letter_round_trips_through_viscii(void **state)
{
    every_letter_round_trips(*state, CCGIS_TEXT_VISCII);
}

/* glibc's TCVN5712-1 is the full VN1 table: iconv writes the upper-case
 * toned letters in VN1's extra positions and they come back exactly. */
static void every_letter_round_trips_through_tcvn3(void **state)
{
    every_letter_round_trips(*state, CCGIS_TEXT_TCVN3);
}

static void every_letter_round_trips_through_vni(void **state)
{
    every_letter_round_trips(*state, CCGIS_TEXT_VNI);
}

static void every_letter_round_trips_through_utf8(void **state)
{
    every_letter_round_trips(*state, CCGIS_TEXT_UTF8);
}

/* The VNI reference table lists the same letters in the same order. */
static void vni_reference_table_covers_all_134_letters(void **state)
{
    (void)state;
    for (size_t i = 0; i < 67; i++) {
        assert_string_equal(vni_ref[2 * i].letter, lower[i]);
        assert_string_equal(vni_ref[2 * i + 1].letter, upper[i]);
    }
}

/* What iconv does with the capitals ABC fonts cannot hold, and what an ABC
 * text typed with a .VnTimeH capital font gives. */
static void tcvn3_capitals_follow_glibc_and_vn3h_text_stays_lower_case(void **state)
{
    ccgis_ctx *ctx = *state;
    size_t len;
    char *b = iconv_enc("TCVN5712-1", "Ứ", &len);
    assert_int_equal(len, 1);
    assert_int_equal((unsigned char)b[0], 0x11); /* a C0 control position in VN3 */
    free(b);
    b = iconv_enc("TCVN5712-1", "À", &len);
    assert_int_equal((unsigned char)b[0], 0x80);
    free(b);
    static const char vn1[] = "\x11ng H\337a";
    assert_decodes(ctx, CCGIS_TEXT_TCVN3, vn1, sizeof vn1 - 1, "Ứng Hòa");
    /* "ỨNG HÒA" typed in .VnTimeH is stored with the lower-case bytes. */
    static const char vn3h[] = "\xf8NG H\337A";
    assert_decodes(ctx, CCGIS_TEXT_TCVN3, vn3h, sizeof vn3h - 1, "ứNG HòA");
    /* Ă Â Ê Ô Ơ Ư Đ exist in VN3 itself. */
    static const char caps[] = "\xa1\xa2\xa3\xa4\xa5\xa6\xa7";
    assert_decodes(ctx, CCGIS_TEXT_TCVN3, caps, sizeof caps - 1, "ĂÂÊÔƠƯĐ");
}

/* ---- realistic names -------------------------------------------------------------- */

static void hanoi_names_decode_exactly_in_each_code(void **state)
{
    ccgis_ctx *ctx = *state;
    for (int c = CCGIS_TEXT_UTF8; c <= CCGIS_TEXT_VNI; c++)
        for (size_t i = 0; i < N_NAMES; i++) {
            size_t len;
            char *bytes = legacy_enc((ccgis_textcode)c, names[i], &len);
            assert_decodes(ctx, (ccgis_textcode)c, bytes, len, names[i]);
            free(bytes);
        }
}

/* A few byte strings written out, as textcode_reference.md lists them. */
static void known_byte_strings_decode(void **state)
{
    ccgis_ctx *ctx = *state;
    static const char tcvn[] = "L\xb5ng g\xe8m B\xb8t Tr\xb5ng";
    static const char vni[] = "Cu\xefm co\xe2ng nghie\xe4p Phu\xf8ng Xa\xf9";
    static const char viscii[] = "\360ang ho\xd5t \xf0\xb5ng";
    static const char cp1258[] = "Th\xe0nh ph\xf4\xec H\xe0 N\xf4\xf2i";
    assert_decodes(ctx, CCGIS_TEXT_TCVN3, tcvn, sizeof tcvn - 1, "Làng gốm Bát Tràng");
    assert_decodes(ctx, CCGIS_TEXT_VNI, vni, sizeof vni - 1, "Cụm công nghiệp Phùng Xá");
    assert_decodes(ctx, CCGIS_TEXT_VISCII, viscii, sizeof viscii - 1, "đang hoạt động");
    assert_decodes(ctx, CCGIS_TEXT_CP1258, cp1258, sizeof cp1258 - 1, "Thành phố Hà Nội");
    /* CP1258 base + combining mark composes: "ư" + hook is "ử", "a" + acute "á". */
    assert_decodes(ctx, CCGIS_TEXT_CP1258, "\xfd\xd2", 2, "ử");
    assert_decodes(ctx, CCGIS_TEXT_CP1258, "a\xec", 2, "á");
    assert_decodes(ctx, CCGIS_TEXT_CP1258, "\xdd\xd2", 2, "Ử");
    /* Other Latin-1 letters with a Vietnamese mark come out in NFC too. */
    assert_decodes(ctx, CCGIS_TEXT_CP1258, "\xfc\xf2", 2, "\u1ee5\u0308");
    /* ASCII is itself everywhere; empty is empty. */
    for (int c = CCGIS_TEXT_UTF8; c <= CCGIS_TEXT_VNI; c++) {
        assert_decodes(ctx, (ccgis_textcode)c, "CCN-01 (2024)", 13, "CCN-01 (2024)");
        assert_decodes(ctx, (ccgis_textcode)c, "", 0, "");
    }
}

/* VNI: a mark byte of the other case is taken with the base's case;
 * 0x80-0xBF are Windows-1252. */
static void vni_marks_of_either_case_and_windows_punctuation(void **state)
{
    ccgis_ctx *ctx = *state;
    assert_decodes(ctx, CCGIS_TEXT_VNI, "A\xf9", 2, "Á");
    assert_decodes(ctx, CCGIS_TEXT_VNI, "a\xd9", 2, "á");
    assert_decodes(ctx, CCGIS_TEXT_VNI, "HA\xd8 NO\xc4I", 8, "HÀ NỘI");
    static const char quoted[] = "\223Ba\xf9t Tra\xf8ng\x94 \x96 1\xb0";
    assert_decodes(ctx, CCGIS_TEXT_VNI, quoted, sizeof quoted - 1, "“Bát Tràng” – 1°");
}

/* A NUL byte ends the text. */
static void nul_byte_ends_the_text(void **state)
{
    ccgis_ctx *ctx = *state;
    assert_decodes(ctx, CCGIS_TEXT_TCVN3, "B\xb8t\0\xff\xff", 6, "Bát");
    assert_decodes(ctx, CCGIS_TEXT_VNI, "Ba\xf9t\0\xff", 6, "Bát");
    assert_decodes(ctx, CCGIS_TEXT_UTF8, "B\xc3\xa1t\0\xff", 6, "Bát");
}

/* ---- decoding failures -------------------------------------------------------------- */

static void undecodable_bytes_are_input_errors_naming_offset_and_value(void **state)
{
    ccgis_ctx *ctx = *state;
    assert_refused(ctx, CCGIS_TEXT_CP1258, "ab\201c", 4, "0x81", "offset 2");
    assert_refused(ctx, CCGIS_TEXT_CP1258, "\x90", 1, "0x90", "offset 0");
    /* VNI: a mark byte with no vowel before it, an unassigned byte, a
     * Windows-1252 hole. */
    assert_refused(ctx, CCGIS_TEXT_VNI, "g\xe8m", 3, "0xE8", "offset 1");
    assert_refused(ctx, CCGIS_TEXT_VNI, "Xa\xf9 \xff", 5, "0xFF", "offset 4");
    assert_refused(ctx, CCGIS_TEXT_VNI, "\x8d", 1, "0x8D", "offset 0");
    assert_non_null(strstr(ccgis_errmsg(ctx), "VNI"));
    /* UTF-8: a lone continuation byte, an overlong form, a surrogate, a cut
     * sequence. */
    assert_refused(ctx, CCGIS_TEXT_UTF8, "H\xe0 N\xf4i", 6, "0xE0", "offset 1");
    assert_refused(ctx, CCGIS_TEXT_UTF8, "ab\x80", 3, "0x80", "offset 2");
    assert_refused(ctx, CCGIS_TEXT_UTF8, "\xc0\xaf", 2, "0xC0", "offset 0");
    assert_refused(ctx, CCGIS_TEXT_UTF8, "x\xed\xa0\x80", 4, "0xED", "offset 1");
    assert_refused(ctx, CCGIS_TEXT_UTF8, "Vi\xe1\xbb", 4, "0xE1", "offset 2");
    assert_non_null(strstr(ccgis_errmsg(ctx), "UTF-8"));
}

static void unknown_code_is_a_usage_error(void **state)
{
    ccgis_ctx *ctx = *state;
    char *out = (char *)1;
    assert_int_equal(ccgis_text_decode(ctx, CCGIS_TEXT_UNKNOWN, "a", 1, &out), CCGIS_ERR_USAGE);
    assert_null(out);
    assert_int_equal(ccgis_text_decode(ctx, (ccgis_textcode)99, "a", 1, &out), CCGIS_ERR_USAGE);
    assert_non_null(strstr(ccgis_errmsg(ctx), "encoding="));
    assert_int_equal(ccgis_text_nfc(ctx, NULL, &out), CCGIS_ERR_USAGE);
    assert_null(out);
}

/* One decoder for many values. */
static void decoder_object_decodes_many_values(void **state)
{
    ccgis_ctx *ctx = *state;
    ccgis_text_decoder *dec = NULL;
    assert_int_equal(ccgis_text_decoder_new(ctx, CCGIS_TEXT_CP1258, &dec), CCGIS_OK);
    assert_int_equal(ccgis_text_decoder_code(dec), CCGIS_TEXT_CP1258);
    for (size_t i = 0; i < N_NAMES; i++) {
        size_t len;
        char *bytes = legacy_enc(CCGIS_TEXT_CP1258, names[i], &len), *out = NULL;
        assert_int_equal(ccgis_text_decoder_decode(ctx, dec, bytes, len, &out), CCGIS_OK);
        assert_string_equal(out, names[i]);
        free(out);
        free(bytes);
    }
    /* A failure leaves the decoder usable. */
    char *out = NULL;
    assert_int_equal(ccgis_text_decoder_decode(ctx, dec, "\x81", 1, &out), CCGIS_ERR_INPUT);
    assert_int_equal(ccgis_text_decoder_decode(ctx, dec, "Ha\xcc", 3, &out), CCGIS_OK);
    assert_string_equal(out, "Hà");
    free(out);
    assert_null(ccgis_text_decoder_free(dec));
    assert_null(ccgis_text_decoder_free(NULL));
    dec = (ccgis_text_decoder *)1;
    assert_int_equal(ccgis_text_decoder_new(ctx, CCGIS_TEXT_UNKNOWN, &dec), CCGIS_ERR_USAGE);
    assert_null(dec);
}

/* ---- NFC ----------------------------------------------------------------------------- */

static void decomposed_text_composes_to_nfc(void **state)
{
    ccgis_ctx *ctx = *state;
    assert_nfc(ctx, "a\u0323\u0302", "ậ");
    assert_nfc(ctx, "a\u0302\u0323", "ậ"); /* marks out of canonical order */
    assert_nfc(ctx, "\u01b0\u0309", "ử");
    assert_nfc(ctx, "u\u031b\u0309", "ử");
    assert_nfc(ctx, "Vie\u0302\u0323t Nam", "Việt Nam");
    assert_nfc(ctx, "Ha\u0300 No\u0323\u0302i", "Hà Nội");
    assert_nfc(ctx, "\u1ea1\u0302", "ậ");            /* precomposed base + mark */
    assert_nfc(ctx, "\u00e2\u0323", "ậ");            /* â + dot below reorders */
    assert_nfc(ctx, "a\u0341", "á");                 /* deprecated acute tone mark */
    assert_nfc(ctx, "\u00e1\u0323", "\u1ea1\u0301"); /* no precomposed form: NFC keeps ạ + ◌́ */
    assert_nfc(ctx, "a\u0301\u0302", "\u00e1\u0302"); /* same class: blocked, as in Unicode */
    assert_nfc(ctx, "\u0301a", "\u0301a");            /* a mark with nothing before it */
    assert_nfc(ctx, "\u00fc\u0323", "\u1ee5\u0308");  /* ü + dot below: ụ + diaeresis */
    assert_nfc(ctx, "C\u0327\u0301", "\u1e08");       /* Ç + acute: Ḉ */
}

/* Each letter from its base, vowel mark and tone mark, both cases. */
static void all_134_letters_compose_from_their_parts(void **state)
{
    ccgis_ctx *ctx = *state;
    size_t k = 0;
    for (size_t r = 0; r < 12; r++)
        for (size_t t = rows[r].plain ? 1 : 0; t < 6; t++, k++) {
            char lo[16], up[16];
            strcpy(lo, rows[r].lower);
            strcat(lo, tones[t]);
            strcpy(up, rows[r].upper);
            strcat(up, tones[t]);
            assert_nfc(ctx, lo, lower[k]);
            assert_nfc(ctx, up, upper[k]);
            assert_nfc(ctx, lower[k], lower[k]); /* NFC stays NFC */
            assert_nfc(ctx, upper[k], upper[k]);
        }
    assert_int_equal(k, 66); /* and đ, which has no parts */
}

static void nfc_text_and_other_scripts_pass_unchanged(void **state)
{
    ccgis_ctx *ctx = *state;
    static const char *const same[] = {
        "",
        "Cụm công nghiệp Phùng Xá, Thạch Thất, Hà Nội: đang hoạt động (2007)",
        "Zürich, São Paulo, Kraków, Ελλάδα, Москва, 北京, 😀",
        "ASCII only",
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
        assert_nfc(ctx, same[i], same[i]);
    for (size_t i = 0; i < N_NAMES; i++)
        assert_nfc(ctx, names[i], names[i]);
}

static void invalid_utf8_is_an_input_error_with_its_offset(void **state)
{
    ccgis_ctx *ctx = *state;
    char *out = (char *)1;
    assert_int_equal(ccgis_text_nfc(ctx, "L\xc3\xa0ng \xe0 B\xc3", &out), CCGIS_ERR_INPUT);
    assert_null(out);
    assert_non_null(strstr(ccgis_errmsg(ctx), "offset 6"));
    assert_non_null(strstr(ccgis_errmsg(ctx), "0xE0"));
    assert_int_equal(ccgis_text_nfc(ctx, "abc\xf5\x80\x80\x80", &out), CCGIS_ERR_INPUT);
    assert_non_null(strstr(ccgis_errmsg(ctx), "offset 3"));
}

/* ccgis_text_is_utf8 finds the first byte that starts no well-formed sequence,
 * as strictly as JSON writers check (overlong forms, surrogates, truncation). */
static void utf8_check_is_strict_and_names_the_byte(void **state)
{
    (void)state;
    assert_int_equal(ccgis_text_is_utf8(""), 0);
    assert_int_equal(ccgis_text_is_utf8("H\xc3\xa0 N\xe1\xbb\x99i"), 0); /* Hà Nội */
    assert_int_equal(ccgis_text_is_utf8("L\xe0ng"), 2);                  /* CP1258 à */
    assert_int_equal(ccgis_text_is_utf8("ab\xc0\xaf"), 3);               /* overlong '/' */
    assert_int_equal(ccgis_text_is_utf8("\xed\xa0\x80x"), 1);            /* a surrogate */
    assert_int_equal(ccgis_text_is_utf8("x\xf4\x90\x80\x80"), 2);        /* past U+10FFFF */
    assert_int_equal(ccgis_text_is_utf8("abc\xe1\xbb"), 4);              /* cut short */
}

/* ccgis_text_repair replaces each bad byte by U+FFFD and keeps the rest. */
static void repair_replaces_each_bad_byte_with_u_fffd(void **state)
{
    ccgis_ctx *ctx = *state;
    char *out = NULL;
    size_t replaced = 99;
    assert_int_equal(ccgis_text_repair(ctx, "L\xe0ng g\xf4m", &out, &replaced), CCGIS_OK);
    assert_string_equal(out, "L\xef\xbf\xbdng g\xef\xbf\xbdm");
    assert_int_equal(replaced, 2);
    assert_int_equal(ccgis_text_is_utf8(out), 0);
    free(out);
    assert_int_equal(ccgis_text_repair(ctx, "a\xe1\xbb", &out, &replaced), CCGIS_OK);
    assert_string_equal(out, "a\xef\xbf\xbd\xef\xbf\xbd");
    assert_int_equal(replaced, 2);
    free(out);
    assert_int_equal(ccgis_text_repair(ctx, "H\xc3\xa0 N\xe1\xbb\x99i", &out, &replaced),
                     CCGIS_OK);
    assert_string_equal(out, "H\xc3\xa0 N\xe1\xbb\x99i");
    assert_int_equal(replaced, 0);
    free(out);
}

/* ---- detection ------------------------------------------------------------------------- */

/* Detect the names written in `code` (with explicit lengths) and return the
 * guess; *conf gets the confidence. */
static ccgis_textcode detect_names(ccgis_textcode code, int *conf)
{
    char *bytes[N_NAMES];
    size_t lens[N_NAMES];
    for (size_t i = 0; i < N_NAMES; i++)
        bytes[i] = legacy_enc(code, names[i], &lens[i]);
    ccgis_textcode got = ccgis_text_detect((const char *const *)bytes, lens, N_NAMES, conf);
    for (size_t i = 0; i < N_NAMES; i++)
        free(bytes[i]);
    return got;
}

static void detection_picks_each_code_on_hanoi_names(void **state)
{
    (void)state;
    for (int c = CCGIS_TEXT_UTF8; c <= CCGIS_TEXT_VNI; c++) {
        int conf = -1;
        ccgis_textcode got = detect_names((ccgis_textcode)c, &conf);
        print_message("      %-6s -> %-7s confidence %d\n", ccgis_textcode_name((ccgis_textcode)c),
                      ccgis_textcode_name(got), conf);
        assert_int_equal(got, c);
        assert_in_range(conf, 80, 100);
    }
}

static void detection_of_ascii_is_utf8_for_sure(void **state)
{
    (void)state;
    static const char *const ascii[] = {"CCN01", "Quy hoach", NULL, "Bat Trang 2024"};
    int conf = -1;
    assert_int_equal(ccgis_text_detect(ascii, NULL, 4, &conf), CCGIS_TEXT_UTF8);
    assert_int_equal(conf, 100);
    assert_int_equal(ccgis_text_detect(NULL, NULL, 0, &conf), CCGIS_TEXT_UTF8);
    assert_int_equal(conf, 100);
}

static void detection_of_utf8_is_utf8(void **state)
{
    (void)state;
    int conf = -1;
    assert_int_equal(ccgis_text_detect(names, NULL, N_NAMES, &conf), CCGIS_TEXT_UTF8);
    assert_int_equal(conf, 100);
    /* Decomposed UTF-8 too; confidence may be NULL. */
    static const char *const nfd[] = {"Ha\u0300 No\u0323\u0302i"};
    assert_int_equal(ccgis_text_detect(nfd, NULL, 1, NULL), CCGIS_TEXT_UTF8);
}

/* The same names in capitals, as some tables hold them. */
static void detection_reads_names_in_capitals(void **state)
{
    (void)state;
    static const char *const caps[] = {
        "CỤM CÔNG NGHIỆP PHÙNG XÁ", "LÀNG GỐM BÁT TRÀNG", "THẠCH THẤT", "ỨNG HÒA", "ĐÔNG ANH",
        "ĐANG HOẠT ĐỘNG",           "HOÀI ĐỨC",           "THƯỜNG TÍN",
    };
    for (int c = CCGIS_TEXT_UTF8; c <= CCGIS_TEXT_VNI; c++) {
        char *bytes[8];
        size_t lens[8];
        int conf = -1;
        for (size_t i = 0; i < 8; i++)
            bytes[i] = legacy_enc((ccgis_textcode)c, caps[i], &lens[i]);
        ccgis_textcode got = ccgis_text_detect((const char *const *)bytes, lens, 8, &conf);
        print_message("      %-6s -> %-7s confidence %d\n", ccgis_textcode_name((ccgis_textcode)c),
                      ccgis_textcode_name(got), conf);
        assert_int_equal(got, c);
        assert_in_range(conf, 80, 100);
        for (size_t i = 0; i < 8; i++)
            free(bytes[i]);
    }
}

/* "có", "mã" in VISCII and "cú", "mó" in TCVN3: both Vietnamese.  (CP1258
 * reads "có", "mă", and "mă" is no syllable.) */
static void detection_of_ambiguous_short_strings_is_unknown(void **state)
{
    (void)state;
    static const char *const two[] = {"c\xf3", "m\xe3"};
    int conf = -1;
    assert_int_equal(ccgis_text_detect(two, NULL, 2, &conf), CCGIS_TEXT_UNKNOWN);
    assert_int_equal(conf, 0);
}

/* Latin-1 text that is no Vietnamese in any code. */
static void detection_of_non_vietnamese_text_is_unknown(void **state)
{
    (void)state;
    static const char *const german[] = {"M\xfcller Stra\337e", "K\xf6ln", "Gr\xfc\337e"};
    int conf = -1;
    assert_int_equal(ccgis_text_detect(german, NULL, 3, &conf), CCGIS_TEXT_UNKNOWN);
    assert_int_equal(conf, 0);
}

/* Strings with lengths need no NUL; a NUL ends a string early. */
static void detection_honours_lengths(void **state)
{
    (void)state;
    static const char buf[] = "L\xb5ng g\xe8m B\xb8t Tr\xb5ng|\xa7\xabng Anh";
    const char *s[3] = {buf, buf + 19, "Th\271ch Th\xCAt\0\xff\xff"};
    size_t lens[3] = {18, 9, 13};
    int conf = -1;
    assert_int_equal(ccgis_text_detect(s, lens, 3, &conf), CCGIS_TEXT_TCVN3);
    assert_in_range(conf, 80, 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_and_aliases_are_recognised),
        cmocka_unit_test(utf8_check_is_strict_and_names_the_byte),
        cmocka_unit_test_setup_teardown(repair_replaces_each_bad_byte_with_u_fffd, setup, teardown),
        cmocka_unit_test(vni_reference_table_covers_all_134_letters),
        cmocka_unit_test_setup_teardown(every_letter_round_trips_through_cp1258, setup, teardown),
        cmocka_unit_test_setup_teardown(every_letter_round_trips_through_viscii, setup, teardown),
        cmocka_unit_test_setup_teardown(every_letter_round_trips_through_tcvn3, setup, teardown),
        cmocka_unit_test_setup_teardown(every_letter_round_trips_through_vni, setup, teardown),
        cmocka_unit_test_setup_teardown(every_letter_round_trips_through_utf8, setup, teardown),
        cmocka_unit_test_setup_teardown(tcvn3_capitals_follow_glibc_and_vn3h_text_stays_lower_case,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(hanoi_names_decode_exactly_in_each_code, setup, teardown),
        cmocka_unit_test_setup_teardown(known_byte_strings_decode, setup, teardown),
        cmocka_unit_test_setup_teardown(vni_marks_of_either_case_and_windows_punctuation, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(nul_byte_ends_the_text, setup, teardown),
        cmocka_unit_test_setup_teardown(undecodable_bytes_are_input_errors_naming_offset_and_value,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_code_is_a_usage_error, setup, teardown),
        cmocka_unit_test_setup_teardown(decoder_object_decodes_many_values, setup, teardown),
        cmocka_unit_test_setup_teardown(decomposed_text_composes_to_nfc, setup, teardown),
        cmocka_unit_test_setup_teardown(all_134_letters_compose_from_their_parts, setup, teardown),
        cmocka_unit_test_setup_teardown(nfc_text_and_other_scripts_pass_unchanged, setup, teardown),
        cmocka_unit_test_setup_teardown(invalid_utf8_is_an_input_error_with_its_offset, setup,
                                        teardown),
        cmocka_unit_test(detection_picks_each_code_on_hanoi_names),
        cmocka_unit_test(detection_of_ascii_is_utf8_for_sure),
        cmocka_unit_test(detection_of_utf8_is_utf8),
        cmocka_unit_test(detection_reads_names_in_capitals),
        cmocka_unit_test(detection_of_ambiguous_short_strings_is_unknown),
        cmocka_unit_test(detection_of_non_vietnamese_text_is_unknown),
        cmocka_unit_test(detection_honours_lengths),
    };
    return cmocka_run_group_tests_name("textcode", tests, NULL, NULL);
}
