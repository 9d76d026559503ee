/*
 * test_sha256.c -- SHA-256 against the FIPS 180-4 / NIST example digests,
 * fed whole and in uneven pieces (the buffering across 64-byte blocks).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The hex digest of n bytes of msg, fed `piece` bytes at a time. */
static void digest(const char *msg, size_t n, size_t piece, char hex[65])
{
    ccgis_sha256 s;
    unsigned char d[32];
    ccgis_sha256_init(&s);
    for (size_t at = 0; at < n; at += piece)
        ccgis_sha256_update(&s, msg + at, n - at < piece ? n - at : piece);
    ccgis_sha256_final(&s, d);
    ccgis_sha256_hex(d, hex);
}

static void nist_examples(void **state)
{
    (void)state;
    static const struct {
        const char *msg, *want;
    } cases[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklm"
         "nopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
    };
    char hex[65];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = strlen(cases[i].msg);
        static const size_t pieces[] = {1, 3, 63, 64, 65, 1000};
        for (size_t p = 0; p < sizeof pieces / sizeof pieces[0]; p++) {
            digest(cases[i].msg, n, pieces[p], hex);
            assert_string_equal(hex, cases[i].want);
        }
    }
}

/* One million 'a': many blocks, a length past 2^20 bytes. */
static void a_million_a(void **state)
{
    (void)state;
    char *a = malloc(1000000);
    assert_non_null(a);
    memset(a, 'a', 1000000);
    char hex[65];
    digest(a, 1000000, 4099, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(a);
}

/* Lengths around the padding boundary (55, 56, 63, 64 bytes of 'a'; digests
 * from coreutils `sha256sum`). */
static void padding_boundaries(void **state)
{
    (void)state;
    static const struct {
        size_t n;
        const char *want;
    } cases[] = {
        {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
        {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
    };
    char a[64], hex[65];
    memset(a, 'a', sizeof a);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        digest(a, cases[i].n, 7, hex);
        assert_string_equal(hex, cases[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nist_examples),
        cmocka_unit_test(a_million_a),
        cmocka_unit_test(padding_boundaries),
    };
    return cmocka_run_group_tests_name("sha256", tests, NULL, NULL);
}
