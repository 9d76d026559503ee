/*
 * ccgis/textcode.h -- Vietnamese legacy text encodings: naming, decoding to
 * UTF-8 NFC, normalisation and detection.
 *
 * Attribute tables of Vietnamese GIS data typed in the 1990s and 2000s come in
 * one of four legacy 8-bit encodings besides UTF-8.  ccgis turns any of them
 * into UTF-8 in Unicode Normalization Form C (precomposed letters: "ế" is the
 * one code point U+1EBF, never "e" + U+0302 + U+0301), so that names compare,
 * sort and join as the user expects.
 *
 * THE ENCODINGS
 *
 *   UTF-8    Validated (no overlong forms, no surrogates, nothing past
 *            U+10FFFF) and normalised to NFC.
 *
 *   CP1258   Windows-1258.  Windows-1252 with five combining tone marks
 *            (0xCC grave, 0xEC acute, 0xD2 hook above, 0xDE tilde, 0xF2 dot
 *            below) and the letters Ă ă Đ đ Ơ ơ Ư ư.  A toned letter is a base
 *            letter followed by its mark: "ử" is 0xFD 0xD2 (ư + hook).
 *            Decoded by glibc iconv ("CP1258"), then composed to NFC.  Bytes
 *            0x81 0x8A 0x8D-0x90 0x9A 0x9D 0x9E are undefined: an error.
 *
 *   VISCII   VISCII 1.1 (RFC 1456): all 134 precomposed letters, six of them
 *            in C0 control positions (0x02 Ẳ, 0x05 Ẵ, 0x06 Ẫ, 0x14 Ỷ, 0x19 Ỹ,
 *            0x1E Ỵ).  Decoded by glibc iconv ("VISCII").  Every byte has a
 *            meaning, so VISCII decoding never fails.
 *
 *   TCVN3    TCVN 5712:1993, as glibc iconv's "TCVN5712-1" decodes it.  The
 *            "ABC" fonts (.VnTime, .VnArial...) use its VN3 subset: lower-case
 *            toned letters at 0xB5-0xFE, Ă Â Ê Ô Ơ Ư Đ at 0xA1-0xA7, ă â ê ô ơ
 *            ư đ at 0xA8-0xAE.  glibc implements the full VN1 table, which
 *            also puts the upper-case toned letters where VN3 has controls
 *            or nothing: 0x01 0x02 0x04-0x06 0x11-0x17 (Ú Ụ Ừ Ử Ữ Ứ Ự Ỳ Ỷ Ỹ Ý
 *            Ỵ), 0x80-0x9F, and the VN3 gaps 0xAF 0xBA 0xBF 0xC0-0xC5 0xCD
 *            0xD9-0xDB 0xE0 0xF0 0xFF; 0xB0-0xB4 are combining tone marks
 *            (grave, hook, tilde, acute, dot below), composed with the
 *            letter before them.  ccgis decodes exactly what glibc decodes,
 *            so:
 *              - text written by a VN1-aware program (or by iconv) decodes
 *                exactly, capitals included;
 *              - text typed in ABC fonts has no upper-case toned letters.
 *                Typists used the "H" capital fonts (.VnTimeH), which draw
 *                the lower-case byte as a capital: "ỨNG HÒA" typed in
 *                .VnTimeH is stored as the bytes of "ứNG HòA" (0xF8 'N' 'G'
 *                ' ' 'H' 0xDF 'A') and decodes to exactly that.  The font is
 *                not in the data, so ccgis cannot restore the capitals; fix
 *                such values by hand or upper-case them afterwards.
 *            Decoding TCVN3 never fails: every byte has a meaning.
 *
 *   VNI      VNI-Windows (the VNI-Times family of fonts).  A toned letter is
 *            an ASCII base letter followed by one mark byte that carries both
 *            the vowel mark and the tone: "ệ" is 'e' 0xE4, "ắ" is 'a' 0xE9;
 *            ơ ư đ (0xF4 0xF6 0xF1) and í ì ỉ ĩ ị ỵ (0xED 0xEC 0xE6 0xF3
 *            0xF2 0xEE) are single bytes; capitals use the same layout 0x20
 *            lower (Ệ is 'E' 0xC4).  No library implements VNI: ccgis carries
 *            the table of the 134 letters (src/textcode_vni.c; where it comes
 *            from is told in tests/unit/textcode_reference.md).  Rules:
 *              - a base letter followed by a mark byte it can carry is one
 *                letter; the case of the result is the case of the base, and
 *                a mark byte of the other case is accepted ("Aù" is "Á":
 *                what a Windows-1252 UPPER() or LOWER() makes of VNI text);
 *              - 0x80-0xBF are read as Windows-1252, so 0x93 is U+201C.  This
 *                is an assumption: the VNI tables found list the letters
 *                only, and VNI fonts are Windows "ANSI" fonts;
 *              - a mark byte after anything else, and the bytes 0xC7 0xD0
 *                0xD7 0xDD-0xDF 0xE7 0xF0 0xF7 0xFD-0xFF and the
 *                Windows-1252 holes 0x81 0x8D 0x8F 0x90 0x9D, are errors.
 *
 * OUTPUT, ERRORS AND NUL BYTES
 *
 *   Decoded text is always UTF-8 NFC (see ccgis_text_nfc() for what NFC
 *   covers) in a new NUL-terminated string the caller frees with free().
 *   A byte that means nothing in the chosen encoding fails the call with
 *   CCGIS_ERR_INPUT and a message naming its offset and value, e.g.
 *   "byte 0x81 at offset 2 has no meaning in CP1258 -- ...".  A NUL byte
 *   ends the text: what follows it is ignored (DBF writers pad with NULs).
 *   Printable ASCII (0x20-0x7E), tab, line feed and carriage return decode
 *   to themselves in every encoding, and all of 0x01-0x7F does in UTF-8,
 *   CP1258 and VNI; VISCII and TCVN3 put letters on some C0 control bytes
 *   (listed above), which decode to those letters.
 *
 * DETECTION
 *
 *   ccgis_text_detect() guesses the encoding of a set of strings, typically
 *   every text value of a layer; the command line asks for encoding= when it
 *   returns CCGIS_TEXT_UNKNOWN.  See the function for the scoring.
 *
 * THREADS
 *
 *   Every function here is reentrant.  A ccgis_text_decoder is used by one
 *   thread at a time.
 *
 * EXAMPLE
 *
 *     // "Làng gốm Bát Tràng" as stored in a TCVN3 (ABC) DBF
 *     static const char raw[] = "L\xb5ng g\xe8m B\xb8t Tr\xb5ng";
 *     char *name = NULL;
 *     if (ccgis_text_decode(ctx, CCGIS_TEXT_TCVN3, raw, sizeof raw - 1, &name) == CCGIS_OK) {
 *         puts(name);                  // Làng gốm Bát Tràng
 *         free(name);
 *     }
 */
#ifndef CCGIS_TEXTCODE_H
#define CCGIS_TEXTCODE_H

#include <stddef.h>

#include "ccgis/ctx.h"
#include "ccgis/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The text encodings ccgis knows. */
typedef enum ccgis_textcode {
    CCGIS_TEXT_UNKNOWN = 0, /* not known / not decided */
    CCGIS_TEXT_UTF8,        /* UTF-8 */
    CCGIS_TEXT_CP1258,      /* Windows-1258 */
    CCGIS_TEXT_VISCII,      /* VISCII 1.1 */
    CCGIS_TEXT_TCVN3,       /* TCVN 5712:1993 (ABC fonts), as glibc's TCVN5712-1 */
    CCGIS_TEXT_VNI          /* VNI-Windows */
} ccgis_textcode;

/*
 * ccgis_textcode_name -- the canonical name of a code: "UTF-8", "CP1258",
 * "VISCII", "TCVN3", "VNI"; "unknown" for CCGIS_TEXT_UNKNOWN or any other
 * value.  Static string.
 */
const char *ccgis_textcode_name(ccgis_textcode code);

/*
 * ccgis_textcode_from_name -- the code a user's name stands for,
 * case-insensitively:
 *   UTF-8   "utf-8", "utf8"
 *   CP1258  "cp1258", "windows-1258", "win1258"
 *   VISCII  "viscii"
 *   TCVN3   "tcvn3", "tcvn", "tcvn5712", "tcvn5712-1", "tcvn-5712", "abc", "vn3"
 *   VNI     "vni", "vni-windows", "vniwin"
 * Returns CCGIS_TEXT_UNKNOWN for NULL or any other name.
 */
ccgis_textcode ccgis_textcode_from_name(const char *name);

/*
 * ccgis_text_decode -- decode legacy bytes to UTF-8 NFC.
 *
 *   code   in   the encoding of `bytes` (not CCGIS_TEXT_UNKNOWN)
 *   bytes  in   the text; need not be NUL-terminated; a NUL byte ends it
 *   len    in   number of bytes at `bytes`
 *   out    out  a new NUL-terminated UTF-8 NFC string (free()), NULL on failure
 *
 * Returns CCGIS_OK; CCGIS_ERR_INPUT when a byte has no meaning in `code`
 * (invalid UTF-8, a CP1258 hole, a VNI mark with no letter before it), the
 * message naming the offset and value of the first such byte;
 * CCGIS_ERR_USAGE for CCGIS_TEXT_UNKNOWN or a value not in the enum;
 * CCGIS_ERR_INTERNAL when glibc has no converter (gconv modules missing);
 * CCGIS_ERR_NOMEM.
 *
 * Each call opens its own converter; to decode many values in one encoding
 * (a whole layer) use a ccgis_text_decoder.
 */
ccgis_status ccgis_text_decode(ccgis_ctx *ctx, ccgis_textcode code, const char *bytes, size_t len,
                               char **out);

/*
 * ccgis_text_nfc -- normalise UTF-8 Vietnamese text to NFC.
 *
 *   utf8  in   NUL-terminated UTF-8
 *   out   out  a new NUL-terminated string (free()), NULL on failure
 *
 * Composition is table-driven: the marks Vietnamese uses -- grave U+0300,
 * acute U+0301, circumflex U+0302, tilde U+0303, breve U+0306, hook above
 * U+0309, horn U+031B, dot below U+0323 (and the deprecated tone marks
 * U+0340, U+0341, which NFC maps to U+0300, U+0301) -- and the diaeresis
 * U+0308, ring U+030A and cedilla U+0327 of the other letters Windows-1258
 * has, are put in canonical order and composed with the letter before them
 * wherever Unicode has a precomposed Latin letter (U+00C0-U+024F,
 * U+1E00-U+1EFF), exactly as Unicode's NFC does: "a" U+0323 U+0302 and "a"
 * U+0302 U+0323 both give "ậ" (U+1EAD); "ư" U+0309 gives "ử"; "ạ" U+0301,
 * which has no precomposed form, stays as it is.  Any other character
 * passes unchanged, so text that uses other combining marks (a macron, a
 * caron, Greek tonos) may not come out in strict NFC; decoded legacy text
 * always does.  The result is stable: normalising it again changes
 * nothing, and text already in NFC is returned unchanged.
 *
 * Returns CCGIS_OK; CCGIS_ERR_INPUT for invalid UTF-8, the message naming
 * the offset and value of the byte that starts the bad sequence;
 * CCGIS_ERR_USAGE for a NULL string; CCGIS_ERR_NOMEM.
 */
ccgis_status ccgis_text_nfc(ccgis_ctx *ctx, const char *utf8, char **out);

/*
 * ccgis_text_is_utf8 -- where the NUL-terminated `s` stops being well-formed
 * UTF-8 (overlong forms, surrogates, values past U+10FFFF and truncated
 * sequences are not, as for ccgis_text_nfc): 0 when all of it is, else the
 * 1-based offset of the first byte that starts no valid sequence.
 */
size_t ccgis_text_is_utf8(const char *s);

/*
 * ccgis_text_repair -- a copy of `s` that is well-formed UTF-8: every byte
 * that starts no valid sequence becomes U+FFFD (the replacement character,
 * shown as a question mark in a box), the rest is kept as it is.
 *
 *   out       out  the copy (free()); NULL on failure
 *   replaced  out  the bytes replaced (may be NULL); 0 when s was valid
 *
 * Returns CCGIS_OK or CCGIS_ERR_NOMEM.
 */
ccgis_status ccgis_text_repair(ccgis_ctx *ctx, const char *s, char **out, size_t *replaced);

/*
 * ccgis_text_detect -- guess the encoding of a set of strings.
 *
 *   strings     in   n strings (a NULL entry is skipped)
 *   lens        in   their lengths in bytes, or NULL when all are NUL-terminated
 *   n           in   number of strings
 *   confidence  out  0..100 (may be NULL); 0 with CCGIS_TEXT_UNKNOWN
 *
 * Method.  Each string is cut into words at ASCII spaces, digits and
 * punctuation.  Words of ASCII letters only read the same in every encoding
 * and are not looked at; the others are the "informative" words (at most the
 * first 20,000 are used).  Each informative word is decoded in each of the
 * five encodings, and counts for an encoding when it decodes (every byte has
 * a meaning there: this is where the byte values that occur weigh in) and
 * the result looks like a Vietnamese syllable:
 *
 *   - only Vietnamese letters (a-z without f j w z, the 67 toned/marked
 *     letters, đ), in lower case or Title case, or UPPER case when the
 *     string has no lower-case ASCII letter ("HÀ NỘI" yes, "Hai BỔ Trưng"
 *     no);
 *   - onset (none, b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t
 *     th tr v x) + a vowel group Vietnamese spelling has (a, ă, â, e, ê, i,
 *     o, ô, ơ, u, ư, y, ai, ao, ..., iê, oa, oă, uô, ươ, uyê, ươi, ...) +
 *     an optional final (c ch m n ng nh p t), where groups that end in a
 *     glide (ai, âu, ươi...) take no final and ă â iê yê oă uâ uô ươ uyê oo
 *     need one;
 *   - the spelling rules that tie the parts: k before i e ê y and c
 *     elsewhere, gh ngh before i e ê and g ng elsewhere; finals nh ch only
 *     after a ê i y; finals ng c never after i y ê ơ (but iêng, ương);
 *   - at most one tone mark, and after a final c, ch, p or t only the acute
 *     or the dot below.
 *
 * score(code) = counted words / informative words, 0..1.  Then:
 *
 *   1. No informative word (all ASCII): CCGIS_TEXT_UTF8, confidence 100 --
 *      there is nothing to decode.
 *   2. Every string valid UTF-8: CCGIS_TEXT_UTF8 with confidence
 *      90 + 10 * score(UTF-8), unless some legacy code scores at least 0.2
 *      more than UTF-8 (then step 3 decides among all five).
 *   3. b = the code with the best score (ties go to the first of UTF-8,
 *      CP1258, VISCII, TCVN3, VNI).  Against every other code r, only the
 *      words that b and r decode differently can tell them apart (CP1258
 *      and VISCII read à á â è é ê í ó ô ù ú đ alike), so
 *        margin(b, r) = (such words b reads as syllables
 *                        - such words r reads as syllables) / such words,
 *      and a code that reads every word as b does is no rival.  If
 *      score(b) < 0.5, or margin(b, r) < 0.2 for some rival r, the result
 *      is CCGIS_TEXT_UNKNOWN: ambiguous, ask the user.  Otherwise
 *        confidence = 100 * score(b) * min(1, smallest margin / 0.5)
 *                                    * min(1, informative words / 5),
 *      rounded: fewer than five informative words never give full
 *      confidence.
 *
 * Results.  On ten Hanoi names (cluster, village and district names,
 * statuses) typed in each encoding, and on eight in capitals, the right
 * code wins with confidence 100.  The two strings "c\xf3", "m\xe3" (có,
 * mã in VISCII; cú, mó in TCVN3; có, mă in CP1258) are CCGIS_TEXT_UNKNOWN.
 * On the 231 distinct non-ASCII names of shapes/ in each encoding: the
 * whole set is recognised (UTF-8, CP1258, VISCII, VNI 100; TCVN3 90); in
 * 23 groups of ten, every group is right except three TCVN3 groups that
 * come out UNKNOWN (TCVN3 and VISCII both give syllables for many words:
 * "Làng" reads "Lộng" in VISCII); one string at a time, no answer decodes
 * any string differently from the truth, 4 to 18 % are UNKNOWN, and where
 * another code is named (a VISCII "Liên" named CP1258) it decodes the
 * string to the same text.  Detection is a guess about the data, not about
 * each value: decode with the code it names, and treat failures
 * (CCGIS_ERR_INPUT) as a sign that the guess was wrong.
 *
 * Never fails: out of memory or a missing iconv converter leaves the codes
 * concerned with score 0 (and all-out failure gives CCGIS_TEXT_UNKNOWN, 0).
 */
ccgis_textcode ccgis_text_detect(const char *const *strings, const size_t *lens, size_t n,
                                 int *confidence);

/*
 * A decoder for one encoding, for decoding many values: it keeps its iconv
 * converter and buffers between calls.  One thread at a time.
 */
typedef struct ccgis_text_decoder ccgis_text_decoder;

/*
 * ccgis_text_decoder_new -- a decoder for `code`.  Returns CCGIS_OK and sets
 * *out (release with ccgis_text_decoder_free()), or CCGIS_ERR_USAGE (code
 * unknown), CCGIS_ERR_INTERNAL (no iconv converter), CCGIS_ERR_NOMEM; *out is
 * then NULL.
 */
ccgis_status ccgis_text_decoder_new(ccgis_ctx *ctx, ccgis_textcode code, ccgis_text_decoder **out);

/*
 * ccgis_text_decoder_decode -- ccgis_text_decode() with this decoder's
 * encoding; same arguments, result and errors.
 */
ccgis_status ccgis_text_decoder_decode(ccgis_ctx *ctx, ccgis_text_decoder *dec, const char *bytes,
                                       size_t len, char **out);

/* ccgis_text_decoder_code -- the encoding a decoder decodes. */
ccgis_textcode ccgis_text_decoder_code(const ccgis_text_decoder *dec);

/*
 * ccgis_text_decoder_free -- release a decoder.  NULL is accepted.  Returns
 * NULL, so that `dec = ccgis_text_decoder_free(dec);` clears the pointer.
 */
ccgis_text_decoder *ccgis_text_decoder_free(ccgis_text_decoder *dec);

#ifdef __cplusplus
}
#endif

#endif /* CCGIS_TEXTCODE_H */
