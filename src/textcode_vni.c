/*
 * textcode_vni.c -- the VNI-Windows byte table and a one-letter decoder
 * (see ccgis/textcode.h, encoding VNI).
 *
 * No library knows VNI-Windows, so ccgis carries its table: for each of the
 * 134 precomposed Vietnamese letters, the byte or two bytes VNI fonts use.
 * The table was taken from the VNI array of xvnkb (Dao Hai Lam, 2002,
 * vni.h) and checked entry by entry against two independent tables, the
 * VNI_WINDOWS_TABLE of VBKey (mdlCodeTable.bas) and the `vni` column of the
 * npm package vietnamese-conversion (charsets.ts); all three agree on all
 * 134 letters.  tests/unit/textcode_reference.md tells the details; the
 * unit test checks every letter of this table against the third source,
 * which it keeps in another form (VNI text as a Windows-1252 font shows it).
 *
 * The layout, for the record: a vowel with marks is its ASCII base letter
 * followed by one byte for the marks -- tones 0xF9 acute, 0xF8 grave, 0xFB
 * hook, 0xF5 tilde, 0xEF dot below; circumflex 0xE2 and circumflex with a
 * tone 0xE1 0xE0 0xE5 0xE3 0xE4; breve 0xEA and breve with a tone 0xE9 0xE8
 * 0xFA 0xFC 0xEB -- and capitals use the same bytes 0x20 lower.  ơ ư đ are
 * the single bytes 0xF4 0xF6 0xF1 (and take tone bytes after them); í ì ỉ
 * ĩ ị ỵ are single bytes too.
 *
 * Exports one function, ccgis_vni_next(), used by textcode.c and declared in
 * internal.h.
 */
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* One letter: its code point and its VNI bytes (b1 0 for a single byte). */
typedef struct vni_letter {
    uint16_t cp;
    unsigned char b0, b1;
} vni_letter;

/* The 134 letters, lower case then upper case on each line. */
/* clang-format off */
static const vni_letter vni_letters[] = {
    {0x00E0, 'a', 0xF8}, {0x00C0, 'A', 0xD8}, /* à À */
    {0x00E1, 'a', 0xF9}, {0x00C1, 'A', 0xD9}, /* á Á */
    {0x1EA3, 'a', 0xFB}, {0x1EA2, 'A', 0xDB}, /* ả Ả */
    {0x00E3, 'a', 0xF5}, {0x00C3, 'A', 0xD5}, /* ã Ã */
    {0x1EA1, 'a', 0xEF}, {0x1EA0, 'A', 0xCF}, /* ạ Ạ */
    {0x0103, 'a', 0xEA}, {0x0102, 'A', 0xCA}, /* ă Ă */
    {0x1EB1, 'a', 0xE8}, {0x1EB0, 'A', 0xC8}, /* ằ Ằ */
    {0x1EAF, 'a', 0xE9}, {0x1EAE, 'A', 0xC9}, /* ắ Ắ */
    {0x1EB3, 'a', 0xFA}, {0x1EB2, 'A', 0xDA}, /* ẳ Ẳ */
    {0x1EB5, 'a', 0xFC}, {0x1EB4, 'A', 0xDC}, /* ẵ Ẵ */
    {0x1EB7, 'a', 0xEB}, {0x1EB6, 'A', 0xCB}, /* ặ Ặ */
    {0x00E2, 'a', 0xE2}, {0x00C2, 'A', 0xC2}, /* â Â */
    {0x1EA7, 'a', 0xE0}, {0x1EA6, 'A', 0xC0}, /* ầ Ầ */
    {0x1EA5, 'a', 0xE1}, {0x1EA4, 'A', 0xC1}, /* ấ Ấ */
    {0x1EA9, 'a', 0xE5}, {0x1EA8, 'A', 0xC5}, /* ẩ Ẩ */
    {0x1EAB, 'a', 0xE3}, {0x1EAA, 'A', 0xC3}, /* ẫ Ẫ */
    {0x1EAD, 'a', 0xE4}, {0x1EAC, 'A', 0xC4}, /* ậ Ậ */
    {0x00E8, 'e', 0xF8}, {0x00C8, 'E', 0xD8}, /* è È */
    {0x00E9, 'e', 0xF9}, {0x00C9, 'E', 0xD9}, /* é É */
    {0x1EBB, 'e', 0xFB}, {0x1EBA, 'E', 0xDB}, /* ẻ Ẻ */
    {0x1EBD, 'e', 0xF5}, {0x1EBC, 'E', 0xD5}, /* ẽ Ẽ */
    {0x1EB9, 'e', 0xEF}, {0x1EB8, 'E', 0xCF}, /* ẹ Ẹ */
    {0x00EA, 'e', 0xE2}, {0x00CA, 'E', 0xC2}, /* ê Ê */
    {0x1EC1, 'e', 0xE0}, {0x1EC0, 'E', 0xC0}, /* ề Ề */
    {0x1EBF, 'e', 0xE1}, {0x1EBE, 'E', 0xC1}, /* ế Ế */
    {0x1EC3, 'e', 0xE5}, {0x1EC2, 'E', 0xC5}, /* ể Ể */
    {0x1EC5, 'e', 0xE3}, {0x1EC4, 'E', 0xC3}, /* ễ Ễ */
    {0x1EC7, 'e', 0xE4}, {0x1EC6, 'E', 0xC4}, /* ệ Ệ */
    {0x00EC, 0xEC, 0}, {0x00CC, 0xCC, 0}, /* ì Ì */
    {0x00ED, 0xED, 0}, {0x00CD, 0xCD, 0}, /* í Í */
    {0x1EC9, 0xE6, 0}, {0x1EC8, 0xC6, 0}, /* ỉ Ỉ */
    {0x0129, 0xF3, 0}, {0x0128, 0xD3, 0}, /* ĩ Ĩ */
    {0x1ECB, 0xF2, 0}, {0x1ECA, 0xD2, 0}, /* ị Ị */
    {0x00F2, 'o', 0xF8}, {0x00D2, 'O', 0xD8}, /* ò Ò */
    {0x00F3, 'o', 0xF9}, {0x00D3, 'O', 0xD9}, /* ó Ó */
    {0x1ECF, 'o', 0xFB}, {0x1ECE, 'O', 0xDB}, /* ỏ Ỏ */
    {0x00F5, 'o', 0xF5}, {0x00D5, 'O', 0xD5}, /* õ Õ */
    {0x1ECD, 'o', 0xEF}, {0x1ECC, 'O', 0xCF}, /* ọ Ọ */
    {0x00F4, 'o', 0xE2}, {0x00D4, 'O', 0xC2}, /* ô Ô */
    {0x1ED3, 'o', 0xE0}, {0x1ED2, 'O', 0xC0}, /* ồ Ồ */
    {0x1ED1, 'o', 0xE1}, {0x1ED0, 'O', 0xC1}, /* ố Ố */
    {0x1ED5, 'o', 0xE5}, {0x1ED4, 'O', 0xC5}, /* ổ Ổ */
    {0x1ED7, 'o', 0xE3}, {0x1ED6, 'O', 0xC3}, /* ỗ Ỗ */
    {0x1ED9, 'o', 0xE4}, {0x1ED8, 'O', 0xC4}, /* ộ Ộ */
    {0x01A1, 0xF4, 0}, {0x01A0, 0xD4, 0}, /* ơ Ơ */
    {0x1EDD, 0xF4, 0xF8}, {0x1EDC, 0xD4, 0xD8}, /* ờ Ờ */
    {0x1EDB, 0xF4, 0xF9}, {0x1EDA, 0xD4, 0xD9}, /* ớ Ớ */
    {0x1EDF, 0xF4, 0xFB}, {0x1EDE, 0xD4, 0xDB}, /* ở Ở */
    {0x1EE1, 0xF4, 0xF5}, {0x1EE0, 0xD4, 0xD5}, /* ỡ Ỡ */
    {0x1EE3, 0xF4, 0xEF}, {0x1EE2, 0xD4, 0xCF}, /* ợ Ợ */
    {0x00F9, 'u', 0xF8}, {0x00D9, 'U', 0xD8}, /* ù Ù */
    {0x00FA, 'u', 0xF9}, {0x00DA, 'U', 0xD9}, /* ú Ú */
    {0x1EE7, 'u', 0xFB}, {0x1EE6, 'U', 0xDB}, /* ủ Ủ */
    {0x0169, 'u', 0xF5}, {0x0168, 'U', 0xD5}, /* ũ Ũ */
    {0x1EE5, 'u', 0xEF}, {0x1EE4, 'U', 0xCF}, /* ụ Ụ */
    {0x01B0, 0xF6, 0}, {0x01AF, 0xD6, 0}, /* ư Ư */
    {0x1EEB, 0xF6, 0xF8}, {0x1EEA, 0xD6, 0xD8}, /* ừ Ừ */
    {0x1EE9, 0xF6, 0xF9}, {0x1EE8, 0xD6, 0xD9}, /* ứ Ứ */
    {0x1EED, 0xF6, 0xFB}, {0x1EEC, 0xD6, 0xDB}, /* ử Ử */
    {0x1EEF, 0xF6, 0xF5}, {0x1EEE, 0xD6, 0xD5}, /* ữ Ữ */
    {0x1EF1, 0xF6, 0xEF}, {0x1EF0, 0xD6, 0xCF}, /* ự Ự */
    {0x1EF3, 'y', 0xF8}, {0x1EF2, 'Y', 0xD8}, /* ỳ Ỳ */
    {0x00FD, 'y', 0xF9}, {0x00DD, 'Y', 0xD9}, /* ý Ý */
    {0x1EF7, 'y', 0xFB}, {0x1EF6, 'Y', 0xDB}, /* ỷ Ỷ */
    {0x1EF9, 'y', 0xF5}, {0x1EF8, 'Y', 0xD5}, /* ỹ Ỹ */
    {0x1EF5, 0xEE, 0}, {0x1EF4, 0xCE, 0}, /* ỵ Ỵ */
    {0x0111, 0xF1, 0}, {0x0110, 0xD1, 0}, /* đ Đ */
};
/* clang-format on */

#define VNI_LETTERS (sizeof vni_letters / sizeof vni_letters[0])

/*
 * Windows-1252 at 0x80-0x9F (as glibc's CP1252 charmap has it), which is
 * how ccgis reads these VNI bytes -- an assumption, as textcode.h says: no
 * VNI table lists them.  0 marks the five positions Windows-1252 leaves
 * undefined.  0xA0-0xBF are the Latin-1 characters of the same value.
 */
/* clang-format off */
static const uint16_t cp1252_80[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};
/* clang-format on */

/*
 * The letter whose VNI bytes are exactly b0 b1 (b1 0: the single byte b0).
 * Returns its code point, or 0 if no letter is written so.
 */
static uint32_t vni_lookup(unsigned char b0, unsigned char b1)
{
    for (size_t i = 0; i < VNI_LETTERS; i++)
        if (vni_letters[i].b0 == b0 && vni_letters[i].b1 == b1)
            return vni_letters[i].cp;
    return 0;
}

/*
 * ccgis_vni_next -- decode the character at the start of s.
 *
 *   s   in   the bytes, n >= 1 of them
 *   cp  out  the character's code point
 *
 * A base followed by a mark byte it can carry is one letter, whatever the
 * case of the mark byte (the base gives the case); otherwise one byte is one
 * character: ASCII, Windows-1252 at 0x80-0xBF, or a single-byte letter.
 * Returns the number of bytes used (1 or 2), or 0 when s[0] means nothing
 * here (a mark byte with no base before it, or an unassigned byte).
 */
size_t ccgis_vni_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char b = s[0];
    uint32_t c;

    if (n >= 2 && s[1] >= 0xC0) {
        c = vni_lookup(b, s[1]);
        if (!c)
            c = vni_lookup(b, (unsigned char)(s[1] ^ 0x20)); /* mark of the other case */
        if (c) {
            *cp = c;
            return 2;
        }
    }
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    if (b < 0xA0) {
        *cp = cp1252_80[b - 0x80];
        return *cp ? 1 : 0;
    }
    if (b < 0xC0) {
        *cp = b;
        return 1;
    }
    c = vni_lookup(b, 0);
    if (!c)
        return 0;
    *cp = c;
    return 1;
}
