/*
 * textcode.c -- Vietnamese text encodings to UTF-8 NFC: naming, decoding,
 * normalisation and detection (see ccgis/textcode.h).
 *
 * CP1258, VISCII and TCVN3 are decoded by glibc iconv ("CP1258", "VISCII",
 * "TCVN5712-1"); VNI by the table of textcode_vni.c; UTF-8 is validated
 * here.  Every result then goes through the NFC step of this file, a
 * table-driven canonical reordering and composition of the eight combining
 * marks Vietnamese uses.  Detection decodes each word of a sample in all five
 * encodings and counts which encoding gives Vietnamese syllables.
 *
 * Internal results are the TC_* codes below; only the public functions turn
 * them into ccgis_error() messages, so that detection, which has no context,
 * can share the decoders.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ccgis/textcode.h"
#include "internal.h"

/* Results of the internal steps. */
enum { TC_OK = 0, TC_BAD = 1, TC_NOMEM = -1, TC_BUG = -2 };

/* ---- growing byte buffer -------------------------------------------------- */

typedef struct sbuf {
    char *p;       /* owned; NULL until the first byte */
    size_t n, cap; /* bytes in use, bytes allocated */
} sbuf;

/*
 * Make room in b for `more` bytes after those in use, plus a NUL.
 * Returns 0, or -1 out of memory (b unchanged).
 */
static int sb_room(sbuf *b, size_t more)
{
    if (more > SIZE_MAX / 4 || b->n > SIZE_MAX / 4 - more)
        return -1;
    if (b->n + more + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->n + more + 1)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p)
        return -1;
    b->p = p;
    b->cap = cap;
    return 0;
}

/* Append code point cp as UTF-8.  Returns 0, or -1 out of memory. */
static int sb_cp(sbuf *b, uint32_t cp)
{
    if (sb_room(b, 4))
        return -1;
    unsigned char *o = (unsigned char *)b->p + b->n;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        b->n += 1;
    } else if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        b->n += 2;
    } else if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        b->n += 3;
    } else {
        o[0] = (unsigned char)(0xF0 | (cp >> 18));
        o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[3] = (unsigned char)(0x80 | (cp & 0x3F));
        b->n += 4;
    }
    return 0;
}

/* A new NUL-terminated copy of b's bytes, or NULL out of memory. */
static char *sb_dup(const sbuf *b)
{
    char *s = malloc(b->n + 1);
    if (s) {
        if (b->n)
            memcpy(s, b->p, b->n);
        s[b->n] = '\0';
    }
    return s;
}

/* ---- UTF-8 ---------------------------------------------------------------- */

/*
 * The well-formed UTF-8 sequence at the start of s (n >= 1 bytes): sets *cp
 * and returns its length 1..4, or returns 0 if s does not start one
 * (overlong forms, surrogates, values past U+10FFFF and truncated sequences
 * are all refused, as Unicode's Table 3-7 says).
 */
static size_t utf8_step(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char b = s[0], lo = 0x80, hi = 0xBF;
    size_t len;
    uint32_t c;

    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    if (b >= 0xC2 && b <= 0xDF) {
        len = 2;
        c = b & 0x1Fu;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3;
        c = b & 0x0Fu;
        if (b == 0xE0)
            lo = 0xA0;
        else if (b == 0xED)
            hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4;
        c = b & 0x07u;
        if (b == 0xF0)
            lo = 0x90;
        else if (b == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if (s[i] < lo || s[i] > hi)
            return 0;
        lo = 0x80;
        hi = 0xBF;
        c = (c << 6) | (s[i] & 0x3Fu);
    }
    *cp = c;
    return len;
}

/* 1 if s[0..n) is well-formed UTF-8, else 0. */
static int utf8_valid(const unsigned char *s, size_t n)
{
    uint32_t cp;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_step(s + i, n - i, &cp);
        if (!k)
            return 0;
        i += k;
    }
    return 1;
}

/* ---- NFC for the Vietnamese marks ------------------------------------------- */

/*
 * Canonical composition pairs {base, mark, composite}: every character whose
 * canonical decomposition is a base plus one of the marks below, which NFC
 * composes (no composition exclusion), and whose base or itself lies in
 * U+0000-U+024F or U+1E00-U+1EFF: 299 pairs -- the Latin letters with these
 * marks, and the Greek accents U+0385 and U+1FED that NFC makes of "¨" +
 * acute or grave.  Extracted from UnicodeData.txt (Unicode 14.0, via
 * Python's unicodedata; the script is in tests/unit/textcode_reference.md)
 * and stored twice, sorted by (base, mark) for composing and by composite
 * for decomposing.  The marks are the eight Vietnamese uses -- U+0300 grave,
 * U+0301 acute, U+0302 circumflex, U+0303 tilde, U+0306 breve, U+0309 hook
 * above, U+031B horn, U+0323 dot below -- and the three other marks of the
 * letters Windows-1258 has (Ä Å Ç Ë Ï Ö Ü Ÿ ...): U+0308 diaeresis, U+030A
 * ring above, U+0327 cedilla, so that any decoded CP1258 text, "ü" + dot
 * below included, comes out in exact NFC.  Canonical decompositions are
 * stable across Unicode versions.
 */
typedef struct upair {
    uint16_t base, mark, comp;
} upair;

/* clang-format off */
static const upair compose_tab[] = {
    {0x0041, 0x0300, 0x00C0}, {0x0041, 0x0301, 0x00C1}, {0x0041, 0x0302, 0x00C2}, {0x0041, 0x0303, 0x00C3},
    {0x0041, 0x0306, 0x0102}, {0x0041, 0x0308, 0x00C4}, {0x0041, 0x0309, 0x1EA2}, {0x0041, 0x030A, 0x00C5},
    {0x0041, 0x0323, 0x1EA0}, {0x0042, 0x0323, 0x1E04}, {0x0043, 0x0301, 0x0106}, {0x0043, 0x0302, 0x0108},
    {0x0043, 0x0327, 0x00C7}, {0x0044, 0x0323, 0x1E0C}, {0x0044, 0x0327, 0x1E10}, {0x0045, 0x0300, 0x00C8},
    {0x0045, 0x0301, 0x00C9}, {0x0045, 0x0302, 0x00CA}, {0x0045, 0x0303, 0x1EBC}, {0x0045, 0x0306, 0x0114},
    {0x0045, 0x0308, 0x00CB}, {0x0045, 0x0309, 0x1EBA}, {0x0045, 0x0323, 0x1EB8}, {0x0045, 0x0327, 0x0228},
    {0x0047, 0x0301, 0x01F4}, {0x0047, 0x0302, 0x011C}, {0x0047, 0x0306, 0x011E}, {0x0047, 0x0327, 0x0122},
    {0x0048, 0x0302, 0x0124}, {0x0048, 0x0308, 0x1E26}, {0x0048, 0x0323, 0x1E24}, {0x0048, 0x0327, 0x1E28},
    {0x0049, 0x0300, 0x00CC}, {0x0049, 0x0301, 0x00CD}, {0x0049, 0x0302, 0x00CE}, {0x0049, 0x0303, 0x0128},
    {0x0049, 0x0306, 0x012C}, {0x0049, 0x0308, 0x00CF}, {0x0049, 0x0309, 0x1EC8}, {0x0049, 0x0323, 0x1ECA},
    {0x004A, 0x0302, 0x0134}, {0x004B, 0x0301, 0x1E30}, {0x004B, 0x0323, 0x1E32}, {0x004B, 0x0327, 0x0136},
    {0x004C, 0x0301, 0x0139}, {0x004C, 0x0323, 0x1E36}, {0x004C, 0x0327, 0x013B}, {0x004D, 0x0301, 0x1E3E},
    {0x004D, 0x0323, 0x1E42}, {0x004E, 0x0300, 0x01F8}, {0x004E, 0x0301, 0x0143}, {0x004E, 0x0303, 0x00D1},
    {0x004E, 0x0323, 0x1E46}, {0x004E, 0x0327, 0x0145}, {0x004F, 0x0300, 0x00D2}, {0x004F, 0x0301, 0x00D3},
    {0x004F, 0x0302, 0x00D4}, {0x004F, 0x0303, 0x00D5}, {0x004F, 0x0306, 0x014E}, {0x004F, 0x0308, 0x00D6},
    {0x004F, 0x0309, 0x1ECE}, {0x004F, 0x031B, 0x01A0}, {0x004F, 0x0323, 0x1ECC}, {0x0050, 0x0301, 0x1E54},
    {0x0052, 0x0301, 0x0154}, {0x0052, 0x0323, 0x1E5A}, {0x0052, 0x0327, 0x0156}, {0x0053, 0x0301, 0x015A},
    {0x0053, 0x0302, 0x015C}, {0x0053, 0x0323, 0x1E62}, {0x0053, 0x0327, 0x015E}, {0x0054, 0x0323, 0x1E6C},
    {0x0054, 0x0327, 0x0162}, {0x0055, 0x0300, 0x00D9}, {0x0055, 0x0301, 0x00DA}, {0x0055, 0x0302, 0x00DB},
    {0x0055, 0x0303, 0x0168}, {0x0055, 0x0306, 0x016C}, {0x0055, 0x0308, 0x00DC}, {0x0055, 0x0309, 0x1EE6},
    {0x0055, 0x030A, 0x016E}, {0x0055, 0x031B, 0x01AF}, {0x0055, 0x0323, 0x1EE4}, {0x0056, 0x0303, 0x1E7C},
    {0x0056, 0x0323, 0x1E7E}, {0x0057, 0x0300, 0x1E80}, {0x0057, 0x0301, 0x1E82}, {0x0057, 0x0302, 0x0174},
    {0x0057, 0x0308, 0x1E84}, {0x0057, 0x0323, 0x1E88}, {0x0058, 0x0308, 0x1E8C}, {0x0059, 0x0300, 0x1EF2},
    {0x0059, 0x0301, 0x00DD}, {0x0059, 0x0302, 0x0176}, {0x0059, 0x0303, 0x1EF8}, {0x0059, 0x0308, 0x0178},
    {0x0059, 0x0309, 0x1EF6}, {0x0059, 0x0323, 0x1EF4}, {0x005A, 0x0301, 0x0179}, {0x005A, 0x0302, 0x1E90},
    {0x005A, 0x0323, 0x1E92}, {0x0061, 0x0300, 0x00E0}, {0x0061, 0x0301, 0x00E1}, {0x0061, 0x0302, 0x00E2},
    {0x0061, 0x0303, 0x00E3}, {0x0061, 0x0306, 0x0103}, {0x0061, 0x0308, 0x00E4}, {0x0061, 0x0309, 0x1EA3},
    {0x0061, 0x030A, 0x00E5}, {0x0061, 0x0323, 0x1EA1}, {0x0062, 0x0323, 0x1E05}, {0x0063, 0x0301, 0x0107},
    {0x0063, 0x0302, 0x0109}, {0x0063, 0x0327, 0x00E7}, {0x0064, 0x0323, 0x1E0D}, {0x0064, 0x0327, 0x1E11},
    {0x0065, 0x0300, 0x00E8}, {0x0065, 0x0301, 0x00E9}, {0x0065, 0x0302, 0x00EA}, {0x0065, 0x0303, 0x1EBD},
    {0x0065, 0x0306, 0x0115}, {0x0065, 0x0308, 0x00EB}, {0x0065, 0x0309, 0x1EBB}, {0x0065, 0x0323, 0x1EB9},
    {0x0065, 0x0327, 0x0229}, {0x0067, 0x0301, 0x01F5}, {0x0067, 0x0302, 0x011D}, {0x0067, 0x0306, 0x011F},
    {0x0067, 0x0327, 0x0123}, {0x0068, 0x0302, 0x0125}, {0x0068, 0x0308, 0x1E27}, {0x0068, 0x0323, 0x1E25},
    {0x0068, 0x0327, 0x1E29}, {0x0069, 0x0300, 0x00EC}, {0x0069, 0x0301, 0x00ED}, {0x0069, 0x0302, 0x00EE},
    {0x0069, 0x0303, 0x0129}, {0x0069, 0x0306, 0x012D}, {0x0069, 0x0308, 0x00EF}, {0x0069, 0x0309, 0x1EC9},
    {0x0069, 0x0323, 0x1ECB}, {0x006A, 0x0302, 0x0135}, {0x006B, 0x0301, 0x1E31}, {0x006B, 0x0323, 0x1E33},
    {0x006B, 0x0327, 0x0137}, {0x006C, 0x0301, 0x013A}, {0x006C, 0x0323, 0x1E37}, {0x006C, 0x0327, 0x013C},
    {0x006D, 0x0301, 0x1E3F}, {0x006D, 0x0323, 0x1E43}, {0x006E, 0x0300, 0x01F9}, {0x006E, 0x0301, 0x0144},
    {0x006E, 0x0303, 0x00F1}, {0x006E, 0x0323, 0x1E47}, {0x006E, 0x0327, 0x0146}, {0x006F, 0x0300, 0x00F2},
    {0x006F, 0x0301, 0x00F3}, {0x006F, 0x0302, 0x00F4}, {0x006F, 0x0303, 0x00F5}, {0x006F, 0x0306, 0x014F},
    {0x006F, 0x0308, 0x00F6}, {0x006F, 0x0309, 0x1ECF}, {0x006F, 0x031B, 0x01A1}, {0x006F, 0x0323, 0x1ECD},
    {0x0070, 0x0301, 0x1E55}, {0x0072, 0x0301, 0x0155}, {0x0072, 0x0323, 0x1E5B}, {0x0072, 0x0327, 0x0157},
    {0x0073, 0x0301, 0x015B}, {0x0073, 0x0302, 0x015D}, {0x0073, 0x0323, 0x1E63}, {0x0073, 0x0327, 0x015F},
    {0x0074, 0x0308, 0x1E97}, {0x0074, 0x0323, 0x1E6D}, {0x0074, 0x0327, 0x0163}, {0x0075, 0x0300, 0x00F9},
    {0x0075, 0x0301, 0x00FA}, {0x0075, 0x0302, 0x00FB}, {0x0075, 0x0303, 0x0169}, {0x0075, 0x0306, 0x016D},
    {0x0075, 0x0308, 0x00FC}, {0x0075, 0x0309, 0x1EE7}, {0x0075, 0x030A, 0x016F}, {0x0075, 0x031B, 0x01B0},
    {0x0075, 0x0323, 0x1EE5}, {0x0076, 0x0303, 0x1E7D}, {0x0076, 0x0323, 0x1E7F}, {0x0077, 0x0300, 0x1E81},
    {0x0077, 0x0301, 0x1E83}, {0x0077, 0x0302, 0x0175}, {0x0077, 0x0308, 0x1E85}, {0x0077, 0x030A, 0x1E98},
    {0x0077, 0x0323, 0x1E89}, {0x0078, 0x0308, 0x1E8D}, {0x0079, 0x0300, 0x1EF3}, {0x0079, 0x0301, 0x00FD},
    {0x0079, 0x0302, 0x0177}, {0x0079, 0x0303, 0x1EF9}, {0x0079, 0x0308, 0x00FF}, {0x0079, 0x0309, 0x1EF7},
    {0x0079, 0x030A, 0x1E99}, {0x0079, 0x0323, 0x1EF5}, {0x007A, 0x0301, 0x017A}, {0x007A, 0x0302, 0x1E91},
    {0x007A, 0x0323, 0x1E93}, {0x00A8, 0x0300, 0x1FED}, {0x00A8, 0x0301, 0x0385}, {0x00C2, 0x0300, 0x1EA6},
    {0x00C2, 0x0301, 0x1EA4}, {0x00C2, 0x0303, 0x1EAA}, {0x00C2, 0x0309, 0x1EA8}, {0x00C5, 0x0301, 0x01FA},
    {0x00C6, 0x0301, 0x01FC}, {0x00C7, 0x0301, 0x1E08}, {0x00CA, 0x0300, 0x1EC0}, {0x00CA, 0x0301, 0x1EBE},
    {0x00CA, 0x0303, 0x1EC4}, {0x00CA, 0x0309, 0x1EC2}, {0x00CF, 0x0301, 0x1E2E}, {0x00D4, 0x0300, 0x1ED2},
    {0x00D4, 0x0301, 0x1ED0}, {0x00D4, 0x0303, 0x1ED6}, {0x00D4, 0x0309, 0x1ED4}, {0x00D5, 0x0301, 0x1E4C},
    {0x00D5, 0x0308, 0x1E4E}, {0x00D8, 0x0301, 0x01FE}, {0x00DC, 0x0300, 0x01DB}, {0x00DC, 0x0301, 0x01D7},
    {0x00E2, 0x0300, 0x1EA7}, {0x00E2, 0x0301, 0x1EA5}, {0x00E2, 0x0303, 0x1EAB}, {0x00E2, 0x0309, 0x1EA9},
    {0x00E5, 0x0301, 0x01FB}, {0x00E6, 0x0301, 0x01FD}, {0x00E7, 0x0301, 0x1E09}, {0x00EA, 0x0300, 0x1EC1},
    {0x00EA, 0x0301, 0x1EBF}, {0x00EA, 0x0303, 0x1EC5}, {0x00EA, 0x0309, 0x1EC3}, {0x00EF, 0x0301, 0x1E2F},
    {0x00F4, 0x0300, 0x1ED3}, {0x00F4, 0x0301, 0x1ED1}, {0x00F4, 0x0303, 0x1ED7}, {0x00F4, 0x0309, 0x1ED5},
    {0x00F5, 0x0301, 0x1E4D}, {0x00F5, 0x0308, 0x1E4F}, {0x00F8, 0x0301, 0x01FF}, {0x00FC, 0x0300, 0x01DC},
    {0x00FC, 0x0301, 0x01D8}, {0x0102, 0x0300, 0x1EB0}, {0x0102, 0x0301, 0x1EAE}, {0x0102, 0x0303, 0x1EB4},
    {0x0102, 0x0309, 0x1EB2}, {0x0103, 0x0300, 0x1EB1}, {0x0103, 0x0301, 0x1EAF}, {0x0103, 0x0303, 0x1EB5},
    {0x0103, 0x0309, 0x1EB3}, {0x0112, 0x0300, 0x1E14}, {0x0112, 0x0301, 0x1E16}, {0x0113, 0x0300, 0x1E15},
    {0x0113, 0x0301, 0x1E17}, {0x014C, 0x0300, 0x1E50}, {0x014C, 0x0301, 0x1E52}, {0x014D, 0x0300, 0x1E51},
    {0x014D, 0x0301, 0x1E53}, {0x0168, 0x0301, 0x1E78}, {0x0169, 0x0301, 0x1E79}, {0x016A, 0x0308, 0x1E7A},
    {0x016B, 0x0308, 0x1E7B}, {0x01A0, 0x0300, 0x1EDC}, {0x01A0, 0x0301, 0x1EDA}, {0x01A0, 0x0303, 0x1EE0},
    {0x01A0, 0x0309, 0x1EDE}, {0x01A0, 0x0323, 0x1EE2}, {0x01A1, 0x0300, 0x1EDD}, {0x01A1, 0x0301, 0x1EDB},
    {0x01A1, 0x0303, 0x1EE1}, {0x01A1, 0x0309, 0x1EDF}, {0x01A1, 0x0323, 0x1EE3}, {0x01AF, 0x0300, 0x1EEA},
    {0x01AF, 0x0301, 0x1EE8}, {0x01AF, 0x0303, 0x1EEE}, {0x01AF, 0x0309, 0x1EEC}, {0x01AF, 0x0323, 0x1EF0},
    {0x01B0, 0x0300, 0x1EEB}, {0x01B0, 0x0301, 0x1EE9}, {0x01B0, 0x0303, 0x1EEF}, {0x01B0, 0x0309, 0x1EED},
    {0x01B0, 0x0323, 0x1EF1}, {0x0228, 0x0306, 0x1E1C}, {0x0229, 0x0306, 0x1E1D}, {0x1EA0, 0x0302, 0x1EAC},
    {0x1EA0, 0x0306, 0x1EB6}, {0x1EA1, 0x0302, 0x1EAD}, {0x1EA1, 0x0306, 0x1EB7}, {0x1EB8, 0x0302, 0x1EC6},
    {0x1EB9, 0x0302, 0x1EC7}, {0x1ECC, 0x0302, 0x1ED8}, {0x1ECD, 0x0302, 0x1ED9},
};
/* clang-format on */

/* clang-format off */
static const upair decompose_tab[] = {
    {0x0041, 0x0300, 0x00C0}, {0x0041, 0x0301, 0x00C1}, {0x0041, 0x0302, 0x00C2}, {0x0041, 0x0303, 0x00C3},
    {0x0041, 0x0308, 0x00C4}, {0x0041, 0x030A, 0x00C5}, {0x0043, 0x0327, 0x00C7}, {0x0045, 0x0300, 0x00C8},
    {0x0045, 0x0301, 0x00C9}, {0x0045, 0x0302, 0x00CA}, {0x0045, 0x0308, 0x00CB}, {0x0049, 0x0300, 0x00CC},
    {0x0049, 0x0301, 0x00CD}, {0x0049, 0x0302, 0x00CE}, {0x0049, 0x0308, 0x00CF}, {0x004E, 0x0303, 0x00D1},
    {0x004F, 0x0300, 0x00D2}, {0x004F, 0x0301, 0x00D3}, {0x004F, 0x0302, 0x00D4}, {0x004F, 0x0303, 0x00D5},
    {0x004F, 0x0308, 0x00D6}, {0x0055, 0x0300, 0x00D9}, {0x0055, 0x0301, 0x00DA}, {0x0055, 0x0302, 0x00DB},
    {0x0055, 0x0308, 0x00DC}, {0x0059, 0x0301, 0x00DD}, {0x0061, 0x0300, 0x00E0}, {0x0061, 0x0301, 0x00E1},
    {0x0061, 0x0302, 0x00E2}, {0x0061, 0x0303, 0x00E3}, {0x0061, 0x0308, 0x00E4}, {0x0061, 0x030A, 0x00E5},
    {0x0063, 0x0327, 0x00E7}, {0x0065, 0x0300, 0x00E8}, {0x0065, 0x0301, 0x00E9}, {0x0065, 0x0302, 0x00EA},
    {0x0065, 0x0308, 0x00EB}, {0x0069, 0x0300, 0x00EC}, {0x0069, 0x0301, 0x00ED}, {0x0069, 0x0302, 0x00EE},
    {0x0069, 0x0308, 0x00EF}, {0x006E, 0x0303, 0x00F1}, {0x006F, 0x0300, 0x00F2}, {0x006F, 0x0301, 0x00F3},
    {0x006F, 0x0302, 0x00F4}, {0x006F, 0x0303, 0x00F5}, {0x006F, 0x0308, 0x00F6}, {0x0075, 0x0300, 0x00F9},
    {0x0075, 0x0301, 0x00FA}, {0x0075, 0x0302, 0x00FB}, {0x0075, 0x0308, 0x00FC}, {0x0079, 0x0301, 0x00FD},
    {0x0079, 0x0308, 0x00FF}, {0x0041, 0x0306, 0x0102}, {0x0061, 0x0306, 0x0103}, {0x0043, 0x0301, 0x0106},
    {0x0063, 0x0301, 0x0107}, {0x0043, 0x0302, 0x0108}, {0x0063, 0x0302, 0x0109}, {0x0045, 0x0306, 0x0114},
    {0x0065, 0x0306, 0x0115}, {0x0047, 0x0302, 0x011C}, {0x0067, 0x0302, 0x011D}, {0x0047, 0x0306, 0x011E},
    {0x0067, 0x0306, 0x011F}, {0x0047, 0x0327, 0x0122}, {0x0067, 0x0327, 0x0123}, {0x0048, 0x0302, 0x0124},
    {0x0068, 0x0302, 0x0125}, {0x0049, 0x0303, 0x0128}, {0x0069, 0x0303, 0x0129}, {0x0049, 0x0306, 0x012C},
    {0x0069, 0x0306, 0x012D}, {0x004A, 0x0302, 0x0134}, {0x006A, 0x0302, 0x0135}, {0x004B, 0x0327, 0x0136},
    {0x006B, 0x0327, 0x0137}, {0x004C, 0x0301, 0x0139}, {0x006C, 0x0301, 0x013A}, {0x004C, 0x0327, 0x013B},
    {0x006C, 0x0327, 0x013C}, {0x004E, 0x0301, 0x0143}, {0x006E, 0x0301, 0x0144}, {0x004E, 0x0327, 0x0145},
    {0x006E, 0x0327, 0x0146}, {0x004F, 0x0306, 0x014E}, {0x006F, 0x0306, 0x014F}, {0x0052, 0x0301, 0x0154},
    {0x0072, 0x0301, 0x0155}, {0x0052, 0x0327, 0x0156}, {0x0072, 0x0327, 0x0157}, {0x0053, 0x0301, 0x015A},
    {0x0073, 0x0301, 0x015B}, {0x0053, 0x0302, 0x015C}, {0x0073, 0x0302, 0x015D}, {0x0053, 0x0327, 0x015E},
    {0x0073, 0x0327, 0x015F}, {0x0054, 0x0327, 0x0162}, {0x0074, 0x0327, 0x0163}, {0x0055, 0x0303, 0x0168},
    {0x0075, 0x0303, 0x0169}, {0x0055, 0x0306, 0x016C}, {0x0075, 0x0306, 0x016D}, {0x0055, 0x030A, 0x016E},
    {0x0075, 0x030A, 0x016F}, {0x0057, 0x0302, 0x0174}, {0x0077, 0x0302, 0x0175}, {0x0059, 0x0302, 0x0176},
    {0x0079, 0x0302, 0x0177}, {0x0059, 0x0308, 0x0178}, {0x005A, 0x0301, 0x0179}, {0x007A, 0x0301, 0x017A},
    {0x004F, 0x031B, 0x01A0}, {0x006F, 0x031B, 0x01A1}, {0x0055, 0x031B, 0x01AF}, {0x0075, 0x031B, 0x01B0},
    {0x00DC, 0x0301, 0x01D7}, {0x00FC, 0x0301, 0x01D8}, {0x00DC, 0x0300, 0x01DB}, {0x00FC, 0x0300, 0x01DC},
    {0x0047, 0x0301, 0x01F4}, {0x0067, 0x0301, 0x01F5}, {0x004E, 0x0300, 0x01F8}, {0x006E, 0x0300, 0x01F9},
    {0x00C5, 0x0301, 0x01FA}, {0x00E5, 0x0301, 0x01FB}, {0x00C6, 0x0301, 0x01FC}, {0x00E6, 0x0301, 0x01FD},
    {0x00D8, 0x0301, 0x01FE}, {0x00F8, 0x0301, 0x01FF}, {0x0045, 0x0327, 0x0228}, {0x0065, 0x0327, 0x0229},
    {0x00A8, 0x0301, 0x0385}, {0x0042, 0x0323, 0x1E04}, {0x0062, 0x0323, 0x1E05}, {0x00C7, 0x0301, 0x1E08},
    {0x00E7, 0x0301, 0x1E09}, {0x0044, 0x0323, 0x1E0C}, {0x0064, 0x0323, 0x1E0D}, {0x0044, 0x0327, 0x1E10},
    {0x0064, 0x0327, 0x1E11}, {0x0112, 0x0300, 0x1E14}, {0x0113, 0x0300, 0x1E15}, {0x0112, 0x0301, 0x1E16},
    {0x0113, 0x0301, 0x1E17}, {0x0228, 0x0306, 0x1E1C}, {0x0229, 0x0306, 0x1E1D}, {0x0048, 0x0323, 0x1E24},
    {0x0068, 0x0323, 0x1E25}, {0x0048, 0x0308, 0x1E26}, {0x0068, 0x0308, 0x1E27}, {0x0048, 0x0327, 0x1E28},
    {0x0068, 0x0327, 0x1E29}, {0x00CF, 0x0301, 0x1E2E}, {0x00EF, 0x0301, 0x1E2F}, {0x004B, 0x0301, 0x1E30},
    {0x006B, 0x0301, 0x1E31}, {0x004B, 0x0323, 0x1E32}, {0x006B, 0x0323, 0x1E33}, {0x004C, 0x0323, 0x1E36},
    {0x006C, 0x0323, 0x1E37}, {0x004D, 0x0301, 0x1E3E}, {0x006D, 0x0301, 0x1E3F}, {0x004D, 0x0323, 0x1E42},
    {0x006D, 0x0323, 0x1E43}, {0x004E, 0x0323, 0x1E46}, {0x006E, 0x0323, 0x1E47}, {0x00D5, 0x0301, 0x1E4C},
    {0x00F5, 0x0301, 0x1E4D}, {0x00D5, 0x0308, 0x1E4E}, {0x00F5, 0x0308, 0x1E4F}, {0x014C, 0x0300, 0x1E50},
    {0x014D, 0x0300, 0x1E51}, {0x014C, 0x0301, 0x1E52}, {0x014D, 0x0301, 0x1E53}, {0x0050, 0x0301, 0x1E54},
    {0x0070, 0x0301, 0x1E55}, {0x0052, 0x0323, 0x1E5A}, {0x0072, 0x0323, 0x1E5B}, {0x0053, 0x0323, 0x1E62},
    {0x0073, 0x0323, 0x1E63}, {0x0054, 0x0323, 0x1E6C}, {0x0074, 0x0323, 0x1E6D}, {0x0168, 0x0301, 0x1E78},
    {0x0169, 0x0301, 0x1E79}, {0x016A, 0x0308, 0x1E7A}, {0x016B, 0x0308, 0x1E7B}, {0x0056, 0x0303, 0x1E7C},
    {0x0076, 0x0303, 0x1E7D}, {0x0056, 0x0323, 0x1E7E}, {0x0076, 0x0323, 0x1E7F}, {0x0057, 0x0300, 0x1E80},
    {0x0077, 0x0300, 0x1E81}, {0x0057, 0x0301, 0x1E82}, {0x0077, 0x0301, 0x1E83}, {0x0057, 0x0308, 0x1E84},
    {0x0077, 0x0308, 0x1E85}, {0x0057, 0x0323, 0x1E88}, {0x0077, 0x0323, 0x1E89}, {0x0058, 0x0308, 0x1E8C},
    {0x0078, 0x0308, 0x1E8D}, {0x005A, 0x0302, 0x1E90}, {0x007A, 0x0302, 0x1E91}, {0x005A, 0x0323, 0x1E92},
    {0x007A, 0x0323, 0x1E93}, {0x0074, 0x0308, 0x1E97}, {0x0077, 0x030A, 0x1E98}, {0x0079, 0x030A, 0x1E99},
    {0x0041, 0x0323, 0x1EA0}, {0x0061, 0x0323, 0x1EA1}, {0x0041, 0x0309, 0x1EA2}, {0x0061, 0x0309, 0x1EA3},
    {0x00C2, 0x0301, 0x1EA4}, {0x00E2, 0x0301, 0x1EA5}, {0x00C2, 0x0300, 0x1EA6}, {0x00E2, 0x0300, 0x1EA7},
    {0x00C2, 0x0309, 0x1EA8}, {0x00E2, 0x0309, 0x1EA9}, {0x00C2, 0x0303, 0x1EAA}, {0x00E2, 0x0303, 0x1EAB},
    {0x1EA0, 0x0302, 0x1EAC}, {0x1EA1, 0x0302, 0x1EAD}, {0x0102, 0x0301, 0x1EAE}, {0x0103, 0x0301, 0x1EAF},
    {0x0102, 0x0300, 0x1EB0}, {0x0103, 0x0300, 0x1EB1}, {0x0102, 0x0309, 0x1EB2}, {0x0103, 0x0309, 0x1EB3},
    {0x0102, 0x0303, 0x1EB4}, {0x0103, 0x0303, 0x1EB5}, {0x1EA0, 0x0306, 0x1EB6}, {0x1EA1, 0x0306, 0x1EB7},
    {0x0045, 0x0323, 0x1EB8}, {0x0065, 0x0323, 0x1EB9}, {0x0045, 0x0309, 0x1EBA}, {0x0065, 0x0309, 0x1EBB},
    {0x0045, 0x0303, 0x1EBC}, {0x0065, 0x0303, 0x1EBD}, {0x00CA, 0x0301, 0x1EBE}, {0x00EA, 0x0301, 0x1EBF},
    {0x00CA, 0x0300, 0x1EC0}, {0x00EA, 0x0300, 0x1EC1}, {0x00CA, 0x0309, 0x1EC2}, {0x00EA, 0x0309, 0x1EC3},
    {0x00CA, 0x0303, 0x1EC4}, {0x00EA, 0x0303, 0x1EC5}, {0x1EB8, 0x0302, 0x1EC6}, {0x1EB9, 0x0302, 0x1EC7},
    {0x0049, 0x0309, 0x1EC8}, {0x0069, 0x0309, 0x1EC9}, {0x0049, 0x0323, 0x1ECA}, {0x0069, 0x0323, 0x1ECB},
    {0x004F, 0x0323, 0x1ECC}, {0x006F, 0x0323, 0x1ECD}, {0x004F, 0x0309, 0x1ECE}, {0x006F, 0x0309, 0x1ECF},
    {0x00D4, 0x0301, 0x1ED0}, {0x00F4, 0x0301, 0x1ED1}, {0x00D4, 0x0300, 0x1ED2}, {0x00F4, 0x0300, 0x1ED3},
    {0x00D4, 0x0309, 0x1ED4}, {0x00F4, 0x0309, 0x1ED5}, {0x00D4, 0x0303, 0x1ED6}, {0x00F4, 0x0303, 0x1ED7},
    {0x1ECC, 0x0302, 0x1ED8}, {0x1ECD, 0x0302, 0x1ED9}, {0x01A0, 0x0301, 0x1EDA}, {0x01A1, 0x0301, 0x1EDB},
    {0x01A0, 0x0300, 0x1EDC}, {0x01A1, 0x0300, 0x1EDD}, {0x01A0, 0x0309, 0x1EDE}, {0x01A1, 0x0309, 0x1EDF},
    {0x01A0, 0x0303, 0x1EE0}, {0x01A1, 0x0303, 0x1EE1}, {0x01A0, 0x0323, 0x1EE2}, {0x01A1, 0x0323, 0x1EE3},
    {0x0055, 0x0323, 0x1EE4}, {0x0075, 0x0323, 0x1EE5}, {0x0055, 0x0309, 0x1EE6}, {0x0075, 0x0309, 0x1EE7},
    {0x01AF, 0x0301, 0x1EE8}, {0x01B0, 0x0301, 0x1EE9}, {0x01AF, 0x0300, 0x1EEA}, {0x01B0, 0x0300, 0x1EEB},
    {0x01AF, 0x0309, 0x1EEC}, {0x01B0, 0x0309, 0x1EED}, {0x01AF, 0x0303, 0x1EEE}, {0x01B0, 0x0303, 0x1EEF},
    {0x01AF, 0x0323, 0x1EF0}, {0x01B0, 0x0323, 0x1EF1}, {0x0059, 0x0300, 0x1EF2}, {0x0079, 0x0300, 0x1EF3},
    {0x0059, 0x0323, 0x1EF4}, {0x0079, 0x0323, 0x1EF5}, {0x0059, 0x0309, 0x1EF6}, {0x0079, 0x0309, 0x1EF7},
    {0x0059, 0x0303, 0x1EF8}, {0x0079, 0x0303, 0x1EF9}, {0x00A8, 0x0300, 0x1FED},
};
/* clang-format on */

#define N_PAIRS (sizeof compose_tab / sizeof compose_tab[0])

/*
 * Canonical combining class of the marks handled here (Unicode's
 * DerivedCombiningClass): 230 above, 220 below, 216 attached above right
 * (horn), 202 attached below (cedilla).
 * Returns 0 for anything else, which this file treats as a starter.
 */
static int mark_class(uint32_t cp)
{
    switch (cp) {
    case 0x0300:
    case 0x0301:
    case 0x0302:
    case 0x0303:
    case 0x0306:
    case 0x0308:
    case 0x0309:
    case 0x030A:
        return 230;
    case 0x0323:
        return 220;
    case 0x031B:
        return 216;
    case 0x0327:
        return 202;
    default:
        return 0;
    }
}

/* The precomposed character for base + mark, or 0 if Unicode has none. */
static uint32_t compose(uint32_t base, uint32_t mark)
{
    size_t lo = 0, hi = N_PAIRS;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const upair *p = &compose_tab[mid];
        if (p->base == base && p->mark == mark)
            return p->comp;
        if (p->base < base || (p->base == base && p->mark < mark))
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/*
 * One step of canonical decomposition of c, if c is one of the composites
 * of the table: sets *base and *mark and returns 1; else returns 0.
 */
static int decompose(uint32_t c, uint32_t *base, uint32_t *mark)
{
    size_t lo = 0, hi = N_PAIRS;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const upair *p = &decompose_tab[mid];
        if (p->comp == c) {
            *base = p->base;
            *mark = p->mark;
            return 1;
        }
        if (p->comp < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* A starter (or none) and the marks after it, however many. */
#define CLUSTER_SMALL 32
typedef struct cluster {
    uint32_t *cp; /* `small`, or owned heap storage; cp[0] is the starter if has_starter */
    size_t n, cap;
    int has_starter;
    uint32_t small[CLUSTER_SMALL];
} cluster;

/* Make cl an empty cluster using its own small storage. */
static void cluster_init(cluster *cl)
{
    cl->cp = cl->small;
    cl->n = 0;
    cl->cap = CLUSTER_SMALL;
    cl->has_starter = 0;
}

/* Release cl's heap storage, if any, and empty it. */
static void cluster_free(cluster *cl)
{
    if (cl->cp != cl->small)
        free(cl->cp);
    cluster_init(cl);
}

/* Append cp to cl.  Returns 0, or -1 out of memory (cl unchanged). */
static int cluster_push(cluster *cl, uint32_t cp)
{
    if (cl->n == cl->cap) {
        if (cl->cap > SIZE_MAX / 8 / sizeof *cl->cp)
            return -1;
        size_t cap = 2 * cl->cap;
        uint32_t *p =
            cl->cp == cl->small ? malloc(cap * sizeof *p) : realloc(cl->cp, cap * sizeof *p);
        if (!p)
            return -1;
        if (cl->cp == cl->small)
            memcpy(p, cl->small, sizeof cl->small);
        cl->cp = p;
        cl->cap = cap;
    }
    cl->cp[cl->n++] = cp;
    return 0;
}

/*
 * Write the NFC form of cluster cl to out and empty cl (keeping its
 * storage): the starter is decomposed, all marks are put in canonical order
 * (stable sort by class), and each mark is composed with the starter unless
 * Unicode has no such letter or an uncomposed mark of the same or higher
 * class comes before it (the "blocked" rule of UAX #15).  Returns 0, or -1
 * out of memory.
 */
static int cluster_flush(sbuf *out, cluster *cl)
{
    uint32_t stack[2 * (CLUSTER_SMALL + 8)], *marks = stack, *keep;
    size_t nm = 0, nk = 0, first = 0, room = cl->n + 8;
    uint32_t base = 0;
    int rc = 0;

    if (cl->n == 0)
        return 0;
    if (cl->has_starter && cl->n == 1) {
        rc = sb_cp(out, cl->cp[0]);
        goto done;
    }
    if (room > CLUSTER_SMALL + 8) {
        marks = malloc(2 * room * sizeof *marks);
        if (!marks) {
            rc = -1;
            goto done;
        }
    }
    keep = marks + room;
    if (cl->has_starter) {
        uint32_t dec[8], a, m;
        size_t nd = 0;
        base = cl->cp[0];
        while (nd < 8 && decompose(base, &a, &m)) {
            dec[nd++] = m;
            base = a;
        }
        while (nd)
            marks[nm++] = dec[--nd];
        first = 1;
    }
    for (size_t i = first; i < cl->n; i++)
        marks[nm++] = cl->cp[i];
    for (size_t i = 1; i < nm; i++) { /* stable insertion sort by class */
        uint32_t m = marks[i];
        size_t j = i;
        while (j > 0 && mark_class(marks[j - 1]) > mark_class(m)) {
            marks[j] = marks[j - 1];
            j--;
        }
        marks[j] = m;
    }
    if (cl->has_starter) {
        int last = -1; /* class of the last uncomposed mark */
        for (size_t i = 0; i < nm; i++) {
            int k = mark_class(marks[i]);
            uint32_t c = last < k ? compose(base, marks[i]) : 0;
            if (c) {
                base = c;
            } else {
                keep[nk++] = marks[i];
                last = k;
            }
        }
        if ((rc = sb_cp(out, base)) != 0)
            goto done;
    } else {
        memcpy(keep, marks, nm * sizeof marks[0]);
        nk = nm;
    }
    for (size_t i = 0; i < nk && rc == 0; i++)
        rc = sb_cp(out, keep[i]);
done:
    if (marks != stack)
        free(marks);
    cl->n = 0;
    cl->has_starter = 0;
    return rc;
}

/*
 * Append the NFC form of the UTF-8 text in[0..len) to out.
 * Returns TC_OK; TC_BAD with *bad_off the offset of the byte that starts an
 * ill-formed sequence; TC_NOMEM.
 */
static int nfc_run(const char *in, size_t len, sbuf *out, size_t *bad_off)
{
    const unsigned char *s = (const unsigned char *)in;
    cluster cl;
    int rc = TC_OK;

    cluster_init(&cl);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = utf8_step(s + i, len - i, &cp);
        if (!k) {
            *bad_off = i;
            rc = TC_BAD;
            goto done;
        }
        i += k;
        if (cp == 0x0340 || cp == 0x0341) /* deprecated tone marks: NFC maps them */
            cp -= 0x40;
        if (!mark_class(cp)) {
            if (cluster_flush(out, &cl)) {
                rc = TC_NOMEM;
                goto done;
            }
            cl.has_starter = 1;
        }
        if (cluster_push(&cl, cp)) {
            rc = TC_NOMEM;
            goto done;
        }
    }
    if (cluster_flush(out, &cl))
        rc = TC_NOMEM;
done:
    cluster_free(&cl);
    return rc;
}

/* ---- decoders ------------------------------------------------------------- */

struct ccgis_text_decoder {
    ccgis_textcode code;
    iconv_t cd; /* owned; (iconv_t)-1 for UTF-8 and VNI */
    sbuf raw;   /* iconv's output, before NFC */
    sbuf out;   /* the last result */
};

/* glibc iconv's name for a code decoded by iconv, else NULL. */
static const char *iconv_name(ccgis_textcode code)
{
    switch (code) {
    case CCGIS_TEXT_CP1258:
        return "CP1258";
    case CCGIS_TEXT_VISCII:
        return "VISCII";
    case CCGIS_TEXT_TCVN3:
        return "TCVN5712-1";
    default:
        return NULL;
    }
}

/* 1 if code is one of the five encodings, else 0. */
static int code_known(ccgis_textcode code)
{
    return code >= CCGIS_TEXT_UTF8 && code <= CCGIS_TEXT_VNI;
}

/*
 * Set up d (caller's storage) for `code`, which must be known.  Returns 0,
 * or -1 when iconv has no converter (errno from iconv_open); d then holds
 * nothing to release.
 */
static int dec_open(struct ccgis_text_decoder *d, ccgis_textcode code)
{
    memset(d, 0, sizeof *d);
    d->code = code;
    d->cd = (iconv_t)-1;
    const char *name = iconv_name(code);
    if (name) {
        d->cd = iconv_open("UTF-8", name);
        if (d->cd == (iconv_t)-1)
            return -1;
    }
    return 0;
}

/* Release what d owns (not d itself). */
static void dec_close(struct ccgis_text_decoder *d)
{
    if (d->cd != (iconv_t)-1)
        iconv_close(d->cd);
    d->cd = (iconv_t)-1;
    free(d->raw.p);
    free(d->out.p);
    memset(&d->raw, 0, sizeof d->raw);
    memset(&d->out, 0, sizeof d->out);
}

/*
 * iconv bytes[0..len) into d->raw (reset first).  Returns TC_OK, TC_BAD with
 * *bad_off the offset of the byte iconv refused, or TC_NOMEM.
 */
static int dec_iconv(struct ccgis_text_decoder *d, const char *bytes, size_t len, size_t *bad_off)
{
    char *in = (char *)bytes; /* iconv's prototype; it does not write there */
    size_t inleft = len;
    int flushing = 0;

    iconv(d->cd, NULL, NULL, NULL, NULL);
    d->raw.n = 0;
    if (len > SIZE_MAX / 8 || sb_room(&d->raw, 3 * len + 16)) /* 3 bytes per letter at most */
        return TC_NOMEM;
    for (;;) {
        char *o = d->raw.p + d->raw.n;
        size_t oleft = d->raw.cap - 1 - d->raw.n;
        size_t r = flushing ? iconv(d->cd, NULL, NULL, &o, &oleft)
                            : iconv(d->cd, &in, &inleft, &o, &oleft);
        int e = errno;
        d->raw.n = (size_t)(o - d->raw.p);
        if (r == (size_t)-1 && e == E2BIG) {
            if (sb_room(&d->raw, d->raw.cap))
                return TC_NOMEM;
            continue;
        }
        if (r == (size_t)-1) { /* EILSEQ, or EINVAL: a sequence cut short */
            *bad_off = (size_t)(in - bytes);
            return TC_BAD;
        }
        if (flushing)
            return TC_OK;
        flushing = 1; /* CP1258 and TCVN hold back the last letter for a mark */
    }
}

/*
 * Decode bytes[0..len) (up to a NUL) with d into d->out (reset first).
 * Returns TC_OK, TC_BAD with *bad_off, TC_NOMEM, or TC_BUG when iconv's
 * output was not UTF-8.
 */
static int dec_run(struct ccgis_text_decoder *d, const char *bytes, size_t len, size_t *bad_off)
{
    const char *nul = len ? memchr(bytes, '\0', len) : NULL;
    const unsigned char *s = (const unsigned char *)bytes;
    size_t junk;
    int rc;

    if (nul)
        len = (size_t)(nul - bytes);
    d->out.n = 0;
    switch (d->code) {
    case CCGIS_TEXT_UTF8:
        return nfc_run(bytes, len, &d->out, bad_off);
    case CCGIS_TEXT_VNI:
        for (size_t i = 0; i < len;) {
            uint32_t cp;
            size_t k = ccgis_vni_next(s + i, len - i, &cp);
            if (!k) {
                *bad_off = i;
                return TC_BAD;
            }
            if (sb_cp(&d->out, cp))
                return TC_NOMEM;
            i += k;
        }
        return TC_OK;
    default:
        rc = dec_iconv(d, bytes, len, bad_off);
        if (rc != TC_OK)
            return rc;
        rc = nfc_run(d->raw.p, d->raw.n, &d->out, &junk);
        return rc == TC_BAD ? TC_BUG : rc;
    }
}

/*
 * Record the failure rc of decoding `bytes` in `code` in ctx (off: the bad
 * byte's offset for TC_BAD).  Returns the status recorded.
 */
static ccgis_status dec_fail(ccgis_ctx *ctx, int rc, ccgis_textcode code, const char *bytes,
                             size_t off)
{
    unsigned v = off < SIZE_MAX ? (unsigned char)bytes[off] : 0;

    if (rc == TC_NOMEM)
        return ccgis_nomem(ctx);
    if (rc == TC_BAD && code == CCGIS_TEXT_UTF8)
        return ccgis_error(ctx, CCGIS_ERR_INPUT,
                           "invalid UTF-8: byte 0x%02X at offset %zu does not start a valid "
                           "sequence -- the text is in a legacy encoding; give it as "
                           "encoding=CP1258, VISCII, TCVN3 or VNI",
                           v, off);
    if (rc == TC_BAD)
        return ccgis_error(ctx, CCGIS_ERR_INPUT,
                           "byte 0x%02X at offset %zu has no meaning in %s -- the text is in "
                           "another encoding; give the right one as encoding=UTF-8, CP1258, "
                           "VISCII, TCVN3 or VNI",
                           v, off, ccgis_textcode_name(code));
    return ccgis_error(ctx, CCGIS_ERR_INTERNAL,
                       "iconv's %s converter gave text that is not UTF-8 -- report this bug",
                       ccgis_textcode_name(code));
}

/* ---- public: names ---------------------------------------------------------- */

/* ccgis_textcode_name: see textcode.h. */
const char *ccgis_textcode_name(ccgis_textcode code)
{
    switch (code) {
    case CCGIS_TEXT_UTF8:
        return "UTF-8";
    case CCGIS_TEXT_CP1258:
        return "CP1258";
    case CCGIS_TEXT_VISCII:
        return "VISCII";
    case CCGIS_TEXT_TCVN3:
        return "TCVN3";
    case CCGIS_TEXT_VNI:
        return "VNI";
    default:
        return "unknown";
    }
}

/* ccgis_textcode_from_name: see textcode.h. */
ccgis_textcode ccgis_textcode_from_name(const char *name)
{
    static const struct {
        const char *name;
        ccgis_textcode code;
    } names[] = {
        {"utf-8", CCGIS_TEXT_UTF8},      {"utf8", CCGIS_TEXT_UTF8},
        {"cp1258", CCGIS_TEXT_CP1258},   {"windows-1258", CCGIS_TEXT_CP1258},
        {"win1258", CCGIS_TEXT_CP1258},  {"viscii", CCGIS_TEXT_VISCII},
        {"tcvn3", CCGIS_TEXT_TCVN3},     {"tcvn", CCGIS_TEXT_TCVN3},
        {"tcvn5712", CCGIS_TEXT_TCVN3},  {"tcvn5712-1", CCGIS_TEXT_TCVN3},
        {"tcvn-5712", CCGIS_TEXT_TCVN3}, {"abc", CCGIS_TEXT_TCVN3},
        {"vn3", CCGIS_TEXT_TCVN3},       {"vni", CCGIS_TEXT_VNI},
        {"vni-windows", CCGIS_TEXT_VNI}, {"vniwin", CCGIS_TEXT_VNI},
    };
    if (!name)
        return CCGIS_TEXT_UNKNOWN;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(name, names[i].name) == 0)
            return names[i].code;
    return CCGIS_TEXT_UNKNOWN;
}

/* ---- public: decoding --------------------------------------------------------- */

/* ccgis_text_decoder_new: see textcode.h. */
ccgis_status ccgis_text_decoder_new(ccgis_ctx *ctx, ccgis_textcode code, ccgis_text_decoder **out)
{
    *out = NULL;
    if (!code_known(code))
        return ccgis_error(ctx, CCGIS_ERR_USAGE,
                           "no text encoding to decode with -- give encoding=UTF-8, CP1258, "
                           "VISCII, TCVN3 or VNI");
    ccgis_text_decoder *d = ccgis_calloc(ctx, 1, sizeof *d);
    if (!d)
        return CCGIS_ERR_NOMEM;
    if (dec_open(d, code) != 0) {
        int e = errno;
        free(d);
        return ccgis_error(ctx, CCGIS_ERR_INTERNAL,
                           "iconv cannot convert from %s (%s) -- install glibc's gconv modules "
                           "(Debian: libc6)",
                           iconv_name(code), strerror(e));
    }
    *out = d;
    return CCGIS_OK;
}

/* ccgis_text_decoder_decode: see textcode.h. */
ccgis_status ccgis_text_decoder_decode(ccgis_ctx *ctx, ccgis_text_decoder *dec, const char *bytes,
                                       size_t len, char **out)
{
    size_t off = SIZE_MAX;

    *out = NULL;
    if (!bytes && len)
        return ccgis_error(ctx, CCGIS_ERR_USAGE, "no text given to decode (NULL with length %zu)",
                           len);
    int rc = dec_run(dec, bytes ? bytes : "", len, &off);
    if (rc != TC_OK)
        return dec_fail(ctx, rc, dec->code, bytes, off);
    *out = sb_dup(&dec->out);
    return *out ? CCGIS_OK : ccgis_nomem(ctx);
}

/* ccgis_text_decoder_code: see textcode.h. */
ccgis_textcode ccgis_text_decoder_code(const ccgis_text_decoder *dec)
{
    return dec->code;
}

/* ccgis_text_decoder_free: see textcode.h. */
ccgis_text_decoder *ccgis_text_decoder_free(ccgis_text_decoder *dec)
{
    if (dec) {
        dec_close(dec);
        free(dec);
    }
    return NULL;
}

/* ccgis_text_decode: see textcode.h. */
ccgis_status ccgis_text_decode(ccgis_ctx *ctx, ccgis_textcode code, const char *bytes, size_t len,
                               char **out)
{
    ccgis_text_decoder *dec = NULL;

    *out = NULL;
    ccgis_status st = ccgis_text_decoder_new(ctx, code, &dec);
    if (st == CCGIS_OK)
        st = ccgis_text_decoder_decode(ctx, dec, bytes, len, out);
    ccgis_text_decoder_free(dec);
    return st;
}

/* ccgis_text_nfc: see textcode.h. */
ccgis_status ccgis_text_nfc(ccgis_ctx *ctx, const char *utf8, char **out)
{
    sbuf b = {NULL, 0, 0};
    size_t off = 0;
    ccgis_status st = CCGIS_OK;

    *out = NULL;
    if (!utf8)
        return ccgis_error(ctx, CCGIS_ERR_USAGE, "no text given to normalise (NULL)");
    int rc = nfc_run(utf8, strlen(utf8), &b, &off);
    if (rc != TC_OK) {
        st = dec_fail(ctx, rc, CCGIS_TEXT_UTF8, utf8, off);
        goto done;
    }
    *out = sb_dup(&b);
    if (!*out)
        st = ccgis_nomem(ctx);
done:
    free(b.p);
    return st;
}

/* ccgis_text_is_utf8: see textcode.h. */
size_t ccgis_text_is_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    uint32_t cp;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_step(p + i, n - i, &cp);
        if (!k)
            return i + 1;
        i += k;
    }
    return 0;
}

/* ccgis_text_repair: see textcode.h. */
ccgis_status ccgis_text_repair(ccgis_ctx *ctx, const char *s, char **out, size_t *replaced)
{
    sbuf b = {NULL, 0, 0};
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), bad = 0;
    uint32_t cp;
    *out = NULL;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_step(p + i, n - i, &cp);
        if (!k) {
            cp = 0xFFFD; /* one replacement per byte that starts no sequence */
            k = 1;
            bad++;
        }
        if (sb_cp(&b, cp)) {
            free(b.p);
            return ccgis_nomem(ctx);
        }
        i += k;
    }
    *out = sb_dup(&b);
    free(b.p);
    if (!*out)
        return ccgis_nomem(ctx);
    if (replaced)
        *replaced = bad;
    return CCGIS_OK;
}

/* ---- detection: does a word look like a Vietnamese syllable? --------------------- */

/*
 * Letters are reduced to a one-character "skeleton" without tone and case:
 * ASCII letters stand for themselves in lower case, and the marked vowels
 * and đ are A ă, B â, E ê, O ô, P ơ, U ư, D đ.
 */
#define SK_VOWELS "aeiouyABEOPU"

/* Tones, as counted by the syllable check. */
enum { TONE_NONE = 0, TONE_GRAVE, TONE_ACUTE, TONE_HOOK, TONE_TILDE, TONE_DOT };

/*
 * Classify code point cp as a Vietnamese letter: sets *sk (skeleton), *tone
 * and *upper and returns 1; returns 0 if cp is not a letter of the
 * Vietnamese alphabet (a Latin letter with other marks, a symbol, a
 * combining mark left over, ...).
 */
static int vi_letter(uint32_t cp, char *sk, int *tone, int *upper)
{
    uint32_t base = cp, a, m, quality = 0;

    *tone = TONE_NONE;
    if (cp == 0x0110 || cp == 0x0111) {
        *sk = 'D';
        *upper = cp == 0x0110;
        return 1;
    }
    while (decompose(base, &a, &m)) {
        int t = m == 0x0300   ? TONE_GRAVE
                : m == 0x0301 ? TONE_ACUTE
                : m == 0x0309 ? TONE_HOOK
                : m == 0x0303 ? TONE_TILDE
                : m == 0x0323 ? TONE_DOT
                              : TONE_NONE;
        if (t) {
            if (*tone)
                return 0;
            *tone = t;
        } else {
            if (quality)
                return 0;
            quality = m;
        }
        base = a;
    }
    if (base >= 'A' && base <= 'Z') {
        *upper = 1;
        base += 'a' - 'A';
    } else if (base >= 'a' && base <= 'z') {
        *upper = 0;
    } else {
        return 0;
    }
    if (!quality) {
        if (*tone && !strchr("aeiouy", (int)base))
            return 0;
        *sk = (char)base;
        return 1;
    }
    if (base == 'a' && quality == 0x0306)
        *sk = 'A';
    else if (base == 'a' && quality == 0x0302)
        *sk = 'B';
    else if (base == 'e' && quality == 0x0302)
        *sk = 'E';
    else if (base == 'o' && quality == 0x0302)
        *sk = 'O';
    else if (base == 'o' && quality == 0x031B)
        *sk = 'P';
    else if (base == 'u' && quality == 0x031B)
        *sk = 'U';
    else
        return 0;
    return 1;
}

/* Initial consonants, longest first where one is a prefix of another. */
static const char *const onsets[] = {
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d",
    "D",   "g",  "h",  "k",  "l",  "m",  "n",  "p",  "r",  "s",  "t",  "v", "x", "",
};

/* Final consonants (the glide finals i y o u belong to the vowel groups). */
static const char *const codas[] = {"", "c", "ch", "m", "n", "ng", "nh", "p", "t"};

/*
 * Vowel groups of Vietnamese spelling, in skeleton letters, and whether a
 * final consonant may follow: 'o' optional, 'n' never (the group ends in a
 * glide), 'r' required.
 */
/* clang-format off */
static const struct {
    const char *v;
    char fin;
} groups[] = {
    {"a", 'o'},   {"A", 'r'},   {"B", 'r'},   {"e", 'o'},   {"E", 'o'},   {"i", 'o'},
    {"y", 'o'},   {"o", 'o'},   {"O", 'o'},   {"P", 'o'},   {"u", 'o'},   {"U", 'o'},
    {"ai", 'n'},  {"ao", 'n'},  {"au", 'n'},  {"ay", 'n'},  {"Bu", 'n'},  {"By", 'n'},
    {"eo", 'n'},  {"Eu", 'n'},  {"ia", 'n'},  {"iu", 'n'},  {"oi", 'n'},  {"Oi", 'n'},
    {"Pi", 'n'},  {"ua", 'n'},  {"ui", 'n'},  {"Ua", 'n'},  {"Ui", 'n'},  {"Uu", 'n'},
    {"iE", 'r'},  {"yE", 'r'},  {"oa", 'o'},  {"oA", 'r'},  {"oe", 'o'},  {"oo", 'r'},
    {"uB", 'r'},  {"uE", 'o'},  {"uP", 'n'},  {"uy", 'o'},  {"uO", 'r'},  {"UP", 'r'},
    {"iEu", 'n'}, {"yEu", 'n'}, {"oai", 'n'}, {"oay", 'n'}, {"oao", 'n'}, {"oeo", 'n'},
    {"uBy", 'n'}, {"uOi", 'n'}, {"uya", 'n'}, {"uyu", 'n'}, {"UPi", 'n'}, {"UPu", 'n'},
    {"uyE", 'r'},
};
/* clang-format on */

/*
 * 1 if onset `on`, vowel group grp[0..gl) and final `fin` (all skeleton)
 * follow the spelling rules that tie them together, else 0:
 *   - k before i e ê y, c elsewhere; gh and ngh before i e ê, g and ng
 *     elsewhere (g before i too: "gì");
 *   - finals nh and ch only after a, ê, i, y (anh, ênh, inh, oanh, uynh);
 *   - finals ng and c never after i, y, ê, ơ, except in iê yê ươ (iêng,
 *     ương).
 */
static int spelling_ok(const char *on, const char *grp, size_t gl, const char *fin)
{
    char first = grp[0], last = grp[gl - 1], before = gl > 1 ? grp[gl - 2] : 0;
    int front = first == 'i' || first == 'e' || first == 'E' || first == 'y';

    if ((strcmp(on, "k") == 0 && !front) || (strcmp(on, "c") == 0 && front))
        return 0;
    if ((strcmp(on, "gh") == 0 || strcmp(on, "ngh") == 0) && !(front && first != 'y'))
        return 0;
    if ((strcmp(on, "ng") == 0 && front && first != 'y') ||
        (strcmp(on, "g") == 0 && (first == 'e' || first == 'E')))
        return 0;
    if ((strcmp(fin, "nh") == 0 || strcmp(fin, "ch") == 0) &&
        !(last == 'a' || last == 'E' || last == 'i' || last == 'y'))
        return 0;
    if (strcmp(fin, "ng") == 0 || strcmp(fin, "c") == 0) {
        int diphthong =
            (last == 'E' && (before == 'i' || before == 'y')) || (last == 'P' && before == 'U');
        if ((last == 'i' || last == 'y' || last == 'E' || last == 'P') && !diphthong)
            return 0;
    }
    return 1;
}

/*
 * 1 if skeleton sk[0..n) with the given tone parses as onset + vowel group +
 * final under the rules above and spelling_ok(), with a final c, ch, p or t
 * only after the acute, the dot below or no tone; else 0.
 */
static int syllable_ok(const char *sk, size_t n, int tone)
{
    for (size_t o = 0; o < sizeof onsets / sizeof onsets[0]; o++) {
        size_t lo = strlen(onsets[o]), v = lo;
        if (lo > n || memcmp(sk, onsets[o], lo) != 0)
            continue;
        while (v < n && strchr(SK_VOWELS, sk[v]))
            v++;
        if (v == lo)
            continue;
        char fin = 0;
        for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++)
            if (strlen(groups[g].v) == v - lo && memcmp(sk + lo, groups[g].v, v - lo) == 0)
                fin = groups[g].fin;
        if (!fin)
            continue;
        const char *coda = NULL;
        for (size_t c = 0; c < sizeof codas / sizeof codas[0]; c++)
            if (strlen(codas[c]) == n - v && memcmp(sk + v, codas[c], n - v) == 0)
                coda = codas[c];
        if (!coda || (fin == 'n' && *coda) || (fin == 'r' && !*coda))
            continue;
        if (!spelling_ok(onsets[o], sk + lo, v - lo, coda))
            continue;
        int stop = *coda == 'p' || *coda == 't' || *coda == 'c';
        if (stop && tone != TONE_NONE && tone != TONE_ACUTE && tone != TONE_DOT)
            continue;
        return 1;
    }
    return 0;
}

/*
 * 1 if the UTF-8 NFC word w[0..len) is one Vietnamese syllable in lower,
 * Title or UPPER case with at most one tone mark, else 0.  UPPER case
 * counts only when `caps_ok`: the word stands in a string with no
 * lower-case ASCII letter ("HÀ NỘI", not "Hai BỔ Trưng").
 */
static int word_is_vietnamese(const char *w, size_t len, int caps_ok)
{
    const unsigned char *s = (const unsigned char *)w;
    char sk[12];
    size_t n = 0, nup = 0;
    int tone = TONE_NONE, first_up = 0;

    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int t, up;
        size_t k = utf8_step(s + i, len - i, &cp);
        if (!k || n == sizeof sk || !vi_letter(cp, &sk[n], &t, &up))
            return 0;
        if (t) {
            if (tone)
                return 0;
            tone = t;
        }
        if (up) {
            nup++;
            first_up |= n == 0;
        }
        n++;
        i += k;
    }
    if (n == 0 || !(nup == 0 || (nup == n && caps_ok) || (nup == 1 && first_up)))
        return 0;
    return syllable_ok(sk, n, tone);
}

/* ---- detection ------------------------------------------------------------------ */

#define DETECT_CODES 5
#define DETECT_MAX_WORDS 20000
#define DETECT_MARGIN 0.2 /* best minus runner-up below this: ambiguous */
#define DETECT_MIN 0.5    /* best below this: not Vietnamese in any code */

static const ccgis_textcode detect_order[DETECT_CODES] = {
    CCGIS_TEXT_UTF8, CCGIS_TEXT_CP1258, CCGIS_TEXT_VISCII, CCGIS_TEXT_TCVN3, CCGIS_TEXT_VNI,
};

/*
 * 1 if byte b belongs to a word: ASCII letters, every byte >= 0x80, and the
 * C0 controls other than whitespace (VISCII and TCVN put letters there).
 */
static int word_byte(unsigned char b)
{
    if (b >= 0x80 || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z'))
        return 1;
    return b > 0 && b < 0x20 && b != '\t' && b != '\n' && b != '\v' && b != '\f' && b != '\r';
}

/*
 * The next informative word (one with a byte that is not an ASCII letter)
 * of s[0..len) at or after *pos: sets *start and *wlen, advances *pos past
 * it and returns 1; returns 0 when there is none.
 */
static int next_word(const unsigned char *s, size_t len, size_t *pos, size_t *start, size_t *wlen)
{
    size_t i = *pos;
    while (i < len) {
        while (i < len && !word_byte(s[i]))
            i++;
        size_t b = i;
        int informative = 0;
        while (i < len && word_byte(s[i])) {
            informative |= s[i] >= 0x80 || s[i] < 0x20;
            i++;
        }
        if (informative) {
            *start = b;
            *wlen = i - b;
            *pos = i;
            return 1;
        }
    }
    *pos = i;
    return 0;
}

/* The length of string i of a detection input, up to its first NUL. */
static size_t input_len(const char *const *strings, const size_t *lens, size_t i)
{
    if (!lens)
        return strlen(strings[i]);
    const char *nul = lens[i] ? memchr(strings[i], '\0', lens[i]) : NULL;
    return nul ? (size_t)(nul - strings[i]) : lens[i];
}

/* What pass 1 of detection counts. */
typedef struct tally {
    size_t words;                            /* informative words seen */
    size_t good[DETECT_CODES];               /* words code c reads as a syllable */
    size_t diff[DETECT_CODES][DETECT_CODES]; /* words a and b decode differently */
    size_t gd[DETECT_CODES][DETECT_CODES];   /* of those, words a reads as a syllable */
} tally;

/*
 * Decode the word w[0..len) with every usable decoder and add to t; caps_ok
 * as for word_is_vietnamese().  Two codes read a word the same when both
 * fail or both give the same text.
 */
static void tally_word(tally *t, struct ccgis_text_decoder *dec, const int *usable, const char *w,
                       size_t len, int caps_ok)
{
    int ok[DETECT_CODES], valid[DETECT_CODES];
    size_t off;

    t->words++;
    for (int c = 0; c < DETECT_CODES; c++) {
        ok[c] = usable[c] && dec_run(&dec[c], w, len, &off) == TC_OK;
        valid[c] = ok[c] && word_is_vietnamese(dec[c].out.p, dec[c].out.n, caps_ok);
        t->good[c] += (size_t)valid[c];
    }
    for (int a = 0; a < DETECT_CODES; a++)
        for (int b = a + 1; b < DETECT_CODES; b++) {
            int same = ok[a] == ok[b] &&
                       (!ok[a] || (dec[a].out.n == dec[b].out.n &&
                                   memcmp(dec[a].out.p, dec[b].out.p, dec[a].out.n) == 0));
            if (same)
                continue;
            t->diff[a][b]++;
            t->diff[b][a]++;
            t->gd[a][b] += (size_t)valid[a];
            t->gd[b][a] += (size_t)valid[b];
        }
}

/* ccgis_text_detect: see textcode.h. */
ccgis_textcode ccgis_text_detect(const char *const *strings, const size_t *lens, size_t n,
                                 int *confidence)
{
    return ccgis_text_detect_ex(strings, lens, n, confidence, NULL, NULL);
}

/* ccgis_text_detect_ex: see internal.h. */
ccgis_textcode ccgis_text_detect_ex(const char *const *strings, const size_t *lens, size_t n,
                                    int *confidence, ccgis_textcode *best_code, double *share)
{
    struct ccgis_text_decoder dec[DETECT_CODES];
    int usable[DETECT_CODES];
    double score[DETECT_CODES];
    int all_utf8 = 1, conf = 0;
    ccgis_textcode result = CCGIS_TEXT_UNKNOWN;
    tally *t = calloc(1, sizeof *t);

    if (best_code)
        *best_code = CCGIS_TEXT_UNKNOWN;
    if (share)
        *share = 0.0;
    for (int c = 0; c < DETECT_CODES; c++)
        usable[c] = t && dec_open(&dec[c], detect_order[c]) == 0;
    if (!t)
        goto done;

    /* Pass over the input: what each code makes of each informative word. */
    for (size_t i = 0; i < n; i++) {
        if (!strings[i])
            continue;
        const unsigned char *s = (const unsigned char *)strings[i];
        size_t len = input_len(strings, lens, i), pos = 0, st, wl;
        int caps_ok = 1;
        for (size_t k = 0; k < len && caps_ok; k++)
            caps_ok = !(s[k] >= 'a' && s[k] <= 'z');
        all_utf8 = all_utf8 && utf8_valid(s, len);
        while (t->words < DETECT_MAX_WORDS && next_word(s, len, &pos, &st, &wl))
            tally_word(t, dec, usable, strings[i] + st, wl, caps_ok);
    }
    if (t->words == 0) { /* all ASCII: nothing to decode */
        result = CCGIS_TEXT_UTF8;
        conf = 100;
        if (best_code)
            *best_code = CCGIS_TEXT_UTF8;
        if (share)
            *share = 1.0;
        goto done;
    }
    for (int c = 0; c < DETECT_CODES; c++)
        score[c] = (double)t->good[c] / (double)t->words;
    int top = 0; /* the code reading the most words as syllables, ties to the first */
    for (int c = 1; c < DETECT_CODES; c++)
        if (score[c] > score[top])
            top = c;
    if (best_code)
        *best_code = detect_order[top];
    if (share)
        *share = score[top];

    /* Valid UTF-8 is UTF-8 unless a legacy code reads clearly better. */
    if (all_utf8) {
        int better = 0;
        for (int c = 1; c < DETECT_CODES; c++)
            better |= score[c] >= score[0] + DETECT_MARGIN;
        if (!better) {
            result = CCGIS_TEXT_UTF8;
            conf = 90 + (int)(10.0 * score[0] + 0.5);
            if (best_code)
                *best_code = CCGIS_TEXT_UTF8;
            if (share)
                *share = score[0];
            goto done;
        }
    }

    /* The best code, and its margin over each rival on the words where
     * the two differ. */
    int best = top;
    double margin = 1.0;
    for (int c = 0; c < DETECT_CODES; c++) {
        if (c == best || t->diff[best][c] == 0)
            continue;
        double m = ((double)t->gd[best][c] - (double)t->gd[c][best]) / (double)t->diff[best][c];
        if (m < margin)
            margin = m;
    }
    if (score[best] < DETECT_MIN || margin < DETECT_MARGIN)
        goto done;
    double f = 100.0 * score[best] * (margin < 0.5 ? margin / 0.5 : 1.0) *
               (t->words < 5 ? (double)t->words / 5.0 : 1.0);
    result = detect_order[best];
    conf = (int)(f + 0.5);
done:
    for (int c = 0; c < DETECT_CODES; c++)
        if (usable[c])
            dec_close(&dec[c]);
    free(t);
    if (confidence)
        *confidence = conf;
    return result;
}
