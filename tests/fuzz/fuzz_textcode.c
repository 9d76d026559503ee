/*
 * fuzz_textcode.c -- libFuzzer harness for the Vietnamese text decoders
 * (ccgis/textcode.h): ccgis_text_decode() in each of the five encodings,
 * the reusable ccgis_text_decoder, ccgis_text_nfc() and
 * ccgis_text_detect().
 *
 * For each input:
 *   1. decode it in UTF-8, CP1258, VISCII, TCVN3 and VNI with
 *      ccgis_text_decode(), and again with a decoder of that code kept for
 *      the whole run (its buffers are reused from input to input);
 *   2. NFC-normalise the input cut at its first NUL (ccgis_text_nfc);
 *   3. guess its encoding (ccgis_text_detect), the input split into strings
 *      at each '\n' -- as the text values of a layer;
 *   4. ccgis_textcode_from_name() on the input as a name.
 * Checked besides memory safety, from textcode.h:
 *   - a decode gives OK with a string, or a failure with NULL and a message;
 *     VISCII and TCVN3 never fail; the decoder gives exactly what
 *     ccgis_text_decode() gives;
 *   - decoded text is UTF-8 in NFC: ccgis_text_nfc() accepts it and returns
 *     it unchanged;
 *   - printable ASCII (with tab, LF, CR) decodes to itself in every encoding;
 *   - text already in NFC comes back unchanged from ccgis_text_nfc(), so
 *     normalising twice is normalising once;
 *   - detection gives a code in the enum, confidence 0..100, and 0 with
 *     CCGIS_TEXT_UNKNOWN.
 *
 * Seeds: corpus/textcode/ (Vietnamese names in each encoding, broken UTF-8).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ccgis/textcode.h"
#include "fuzz_common.h"

/* The codes decoded, in the order of the enum. */
static const ccgis_textcode codes[] = {CCGIS_TEXT_UTF8, CCGIS_TEXT_CP1258, CCGIS_TEXT_VISCII,
                                       CCGIS_TEXT_TCVN3, CCGIS_TEXT_VNI};
#define N_CODES (sizeof codes / sizeof codes[0])

static ccgis_text_decoder *decoders[N_CODES]; /* one per code, for the whole run */

/* LLVMFuzzerInitialize: the context and the decoders, once. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ccgis_ctx *ctx = fuzz_init();
    for (size_t i = 0; i < N_CODES; i++)
        if (ccgis_text_decoder_new(ctx, codes[i], &decoders[i]) != CCGIS_OK)
            fuzz_fail("no decoder for %s: %s", ccgis_textcode_name(codes[i]),
                      ccgis_errmsg(ctx));
    return 0;
}

/* Check that `s` is already NFC UTF-8: ccgis_text_nfc() returns it unchanged. */
static void check_nfc(ccgis_ctx *ctx, const char *s, const char *what)
{
    char *again = NULL;
    ccgis_status st = ccgis_text_nfc(ctx, s, &again);
    if (st != CCGIS_OK)
        fuzz_fail("%s is not UTF-8 that ccgis_text_nfc() accepts: %s", what, ccgis_errmsg(ctx));
    if (strcmp(again, s) != 0)
        fuzz_fail("%s is not in NFC: normalising it changes it", what);
    free(again);
    fuzz_after_call(ctx, st, "ccgis_text_nfc");
}

/*
 * 1 if the first n bytes of s, up to a NUL, are printable ASCII, tab, LF or
 * CR: the text every encoding must give back as it is.  (Not the other C0
 * controls: TCVN3 and VISCII put capital letters on some of them.)
 */
static int is_ascii(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n && s[i]; i++)
        if (s[i] >= 0x7F || (s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r'))
            return 0;
    return 1;
}

/* Step 1 for code i: decode both ways and compare. */
static void decode_one(ccgis_ctx *ctx, size_t i, const uint8_t *data, size_t size)
{
    const char *name = ccgis_textcode_name(codes[i]);
    char *out = NULL, *out2 = NULL;
    ccgis_status st = ccgis_text_decode(ctx, codes[i], (const char *)data, size, &out);
    if ((st == CCGIS_OK) != (out != NULL))
        fuzz_fail("decode %s returned %d with out %p", name, (int)st, (void *)out);
    if (st != CCGIS_OK && (codes[i] == CCGIS_TEXT_VISCII || codes[i] == CCGIS_TEXT_TCVN3))
        fuzz_fail("decode %s failed, which it never should: %s", name, ccgis_errmsg(ctx));
    fuzz_after_call(ctx, st, "ccgis_text_decode");

    ccgis_status st2 = ccgis_text_decoder_decode(ctx, decoders[i], (const char *)data, size, &out2);
    if (st2 != st || (out && strcmp(out, out2) != 0))
        fuzz_fail("decoder %s gave %d, ccgis_text_decode %d, or another text", name, (int)st2,
                  (int)st);
    fuzz_after_call(ctx, st2, "ccgis_text_decoder_decode");

    if (out) {
        check_nfc(ctx, out, "decoded text");
        if (is_ascii(data, size)) {
            size_t n = strnlen((const char *)data, size);
            if (strlen(out) != n || memcmp(out, data, n) != 0)
                fuzz_fail("ASCII decoded as %s is not itself", name);
        }
    }
    free(out);
    free(out2);
}

/* Step 3: the input as strings cut at '\n', to ccgis_text_detect(). */
static void detect(const uint8_t *data, size_t size)
{
    size_t n = 1;
    for (size_t i = 0; i < size; i++)
        n += data[i] == '\n';
    const char **strings = calloc(n, sizeof *strings);
    size_t *lens = calloc(n, sizeof *lens);
    if (!strings || !lens)
        goto done;
    size_t k = 0, start = 0;
    for (size_t i = 0; i <= size; i++) {
        if (i == size || data[i] == '\n') {
            strings[k] = (const char *)data + start;
            lens[k++] = i - start;
            start = i + 1;
        }
    }
    int confidence = -1;
    ccgis_textcode c = ccgis_text_detect(strings, lens, n, &confidence);
    if ((int)c < CCGIS_TEXT_UNKNOWN || (int)c > CCGIS_TEXT_VNI || confidence < 0 ||
        confidence > 100 || (c == CCGIS_TEXT_UNKNOWN && confidence != 0))
        fuzz_fail("ccgis_text_detect gave code %d with confidence %d", (int)c, confidence);
done:
    free(strings);
    free(lens);
}

/* LLVMFuzzerTestOneInput: the bytes as text in each encoding. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ccgis_ctx *ctx = fuzz_init();
    for (size_t i = 0; i < N_CODES; i++)
        decode_one(ctx, i, data, size);

    /* Step 2: NFC of the input up to its first NUL; the result is NFC itself. */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char *nfc = NULL;
    ccgis_status st = ccgis_text_nfc(ctx, text, &nfc);
    if ((st == CCGIS_OK) != (nfc != NULL))
        fuzz_fail("ccgis_text_nfc returned %d with out %p", (int)st, (void *)nfc);
    fuzz_after_call(ctx, st, "ccgis_text_nfc");
    if (nfc)
        check_nfc(ctx, nfc, "ccgis_text_nfc() output");
    free(nfc);

    detect(data, size);

    /* Step 4: the input as an encoding name. */
    ccgis_textcode c = ccgis_textcode_from_name(text);
    if ((int)c < CCGIS_TEXT_UNKNOWN || (int)c > CCGIS_TEXT_VNI)
        fuzz_fail("ccgis_textcode_from_name gave %d", (int)c);
    free(text);
    return 0;
}
