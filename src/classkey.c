/*
 * classkey.c -- class codes as users write them, and the one form they are
 * compared in.
 *
 * Zoning classes ("SKN", "LUA") and district names come from layers typed
 * by hand: 'SKN ', ' skc', "Đông Anh" in NFD from a Mac.  ccgis compares
 * them in one way everywhere (allowed list, grouping of pieces, the top
 * conflict class, district names):
 *
 *   clean  trim spaces (ASCII white space and U+00A0) at both ends, then
 *          NFC (ccgis_text_nfc) -- this is how a class is shown;
 *   key    the clean form with letters lower-cased: ASCII, Latin-1,
 *          Latin Extended-A/B letters Vietnamese uses (Đ, Ơ, Ư) and
 *          Latin Extended Additional (U+1E00-U+1EFF: ạ, ấ, ...) -- this is
 *          how classes are compared.  Text in other scripts is compared as
 *          it is.
 *
 * A value whose clean form is empty (NULL, "", "  ") has no class.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The length in bytes of the space we trim at s, 0 if none. */
static size_t space_at(const char *s)
{
    unsigned char c = (unsigned char)s[0];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')
        return 1;
    if (c == 0xC2 && (unsigned char)s[1] == 0xA0) /* U+00A0 NO-BREAK SPACE */
        return 2;
    return 0;
}

/* ccgis_class_clean: see internal.h. */
char *ccgis_class_clean(ccgis_ctx *ctx, const char *raw)
{
    if (!raw)
        return ccgis_strdup(ctx, "");
    const char *s = raw;
    size_t k;
    while ((k = space_at(s)) != 0)
        s += k;
    size_t len = strlen(s);
    /* Trailing spaces: walk back over ASCII ones and U+00A0. */
    for (;;) {
        if (len >= 1 && space_at(s + len - 1) == 1) {
            len--;
        } else if (len >= 2 && (unsigned char)s[len - 2] == 0xC2 &&
                   (unsigned char)s[len - 1] == 0xA0) {
            len -= 2;
        } else {
            break;
        }
    }
    char *cut = strndup(s, len);
    if (!cut) {
        ccgis_nomem(ctx);
        return NULL;
    }
    char *nfc = NULL;
    ccgis_status st = ccgis_text_nfc(ctx, cut, &nfc);
    if (st == CCGIS_ERR_INPUT) { /* not UTF-8: compared as bytes */
        ccgis_clear_error(ctx);
        return cut;
    }
    free(cut);
    return st == CCGIS_OK ? nfc : NULL;
}

/* The lower-case letter of code point cp (the letters named above). */
static unsigned lower_cp(unsigned cp)
{
    if (cp >= 'A' && cp <= 'Z')
        return cp + 32;
    if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7))
        return cp + 32;
    if (cp >= 0x100 && cp <= 0x17F && cp != 0x130 && cp != 0x138 && cp != 0x149 &&
        cp != 0x178 && cp != 0x17F) {
        /* Pairs: even upper, odd lower, except 0x139-0x148 and 0x179-0x17E
         * where odd is upper. */
        int odd_upper = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
        if (odd_upper)
            return (cp & 1) ? cp + 1 : cp;
        return (cp & 1) ? cp : cp + 1;
    }
    if (cp == 0x1A0 || cp == 0x1AF) /* Ơ, Ư */
        return cp + 1;
    if (cp >= 0x1E00 && cp <= 0x1EFF && !(cp & 1) && !(cp >= 0x1E96 && cp <= 0x1E9F))
        return cp + 1;
    return cp;
}

/* ccgis_class_key: see internal.h. */
char *ccgis_class_key(ccgis_ctx *ctx, const char *clean)
{
    size_t n = strlen(clean);
    char *out = ccgis_calloc(ctx, n + 1, 1);
    if (!out)
        return NULL;
    const unsigned char *s = (const unsigned char *)clean;
    size_t i = 0, o = 0;
    while (i < n) {
        unsigned cp;
        size_t len;
        if (s[i] < 0x80) {
            cp = s[i], len = 1;
        } else if ((s[i] & 0xE0) == 0xC0 && i + 1 < n && (s[i + 1] & 0xC0) == 0x80) {
            cp = ((s[i] & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu), len = 2;
        } else if ((s[i] & 0xF0) == 0xE0 && i + 2 < n && (s[i + 1] & 0xC0) == 0x80 &&
                   (s[i + 2] & 0xC0) == 0x80) {
            cp = ((s[i] & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
            len = 3;
        } else { /* anything else is copied as it is */
            out[o++] = (char)s[i++];
            continue;
        }
        unsigned lc = lower_cp(cp);
        /* Every mapping above keeps the UTF-8 length. */
        if (len == 1) {
            out[o++] = (char)lc;
        } else if (len == 2) {
            out[o++] = (char)(0xC0 | (lc >> 6));
            out[o++] = (char)(0x80 | (lc & 0x3F));
        } else {
            out[o++] = (char)(0xE0 | (lc >> 12));
            out[o++] = (char)(0x80 | ((lc >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (lc & 0x3F));
        }
        i += len;
    }
    out[o] = '\0';
    return out;
}
