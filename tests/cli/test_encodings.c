/*
 * test_encodings.c -- legacy-encoded DBFs, as departments have them, come
 * out of ccgis as the exact UTF-8 NFC text.
 *
 * For CP1258, VISCII and TCVN3 the shapefile is written by GDAL from UTF-8
 * text (its ENCODING layer option, which recodes through iconv; for CP1258
 * iconv writes base letters with combining tone marks), then its .cpg is
 * removed and its language driver id zeroed so nothing declares the
 * encoding.  For VNI, which iconv does not know, the bytes are typed from
 * the VNI reference table (tests/unit/textcode_reference.md), by hand for a
 * name and through GDAL's Windows-1252 encoder for the 134 letters.  The text
 * holds all 134 precomposed Vietnamese letters (67 lower, 67 upper case,
 * with đ/Đ) and realistic names; the reference is the UTF-8 text itself.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* The 134 precomposed letters, lower then upper case. */
#define LOWER                                                                                     \
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
#define UPPER                                                                                     \
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"

/* The names, one per row of the CSV (row 1: the lower-case letters, row 2:
 * the upper-case ones). */
static const char *const names[] = {
    LOWER,
    UPPER,
    "Cụm công nghiệp Phùng Xá",
    "Làng gốm Bát Tràng",
    "Thạch Thất",
    "Ứng Hòa",
    "Đông Anh",
    "đang hoạt động",
    "Làng mây tre đan Phú Vinh",
    "Làng lụa Vạn Phúc",
    "Quất Động",
    "Liên Phương",
};
#define NNAMES (sizeof names / sizeof names[0])

/* Write WORK_DIR/names.csv (UTF-8) with id, ten and a point per name. */
static void write_csv(void)
{
    FILE *f = fopen(WORK_DIR "/names.csv", "w");
    assert_non_null(f);
    fprintf(f, "id,ten,WKT\n");
    for (size_t i = 0; i < NNAMES; i++)
        fprintf(f, "n%02zu,\"%s\",\"POINT (105.8 21.0)\"\n", i, names[i]);
    fclose(f);
}

/* Convert WORK_DIR/<base>.shp with `extra` options to GeoJSON and check every
 * name came out exactly as the UTF-8 original. */
static void assert_names_decoded(const char *base, const char *extra)
{
    run_result r = run("cd %s && rm -f %s.geojson && %s convert -q %s.shp --srs EPSG:4326 %s "
                       "-o %s.geojson",
                       WORK_DIR, base, CCGIS_BIN, base, extra, base);
    if (r.status != 0)
        fprintf(stderr, "%s: %s", base, r.err);
    assert_int_equal(r.status, 0);
    run_free(&r);
    char path[512];
    snprintf(path, sizeof path, "%s/%s.geojson", WORK_DIR, base);
    char *json = slurp(path);
    assert_non_null(json);
    for (size_t i = 0; i < NNAMES; i++) {
        char want[1024];
        snprintf(want, sizeof want, "\"ten\": \"%s\"", names[i]);
        if (!strstr(json, want))
            fprintf(stderr, "%s: '%s' did not come out as written\n", base, names[i]);
        assert_non_null(strstr(json, want));
    }
    free(json);
}

/* The shapefile of names in an iconv encoding, with nothing declaring it. */
static void make_legacy_shapefile(const char *base, const char *iconv_name)
{
    run_result r = run("cd %s && rm -f %s.* && ogr2ogr -f 'ESRI Shapefile' -lco ENCODING=%s "
                       "%s.shp names.csv -a_srs EPSG:4326 && rm -f %s.cpg && printf '\\0' | "
                       "dd of=%s.dbf bs=1 seek=29 conv=notrunc 2>/dev/null",
                       WORK_DIR, base, iconv_name, base, base, base);
    assert_int_equal(r.status, 0);
    run_free(&r);
}

static void cp1258_viscii_tcvn3_decode_every_letter(void **state)
{
    (void)state;
    static const struct {
        const char *base, *iconv, *code;
    } codes[] = {
        {"cp1258", "CP1258", "CP1258"},
        {"viscii", "VISCII", "VISCII"},
        {"tcvn3", "TCVN5712-1", "TCVN3"},
    };
    write_csv();
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        make_legacy_shapefile(codes[i].base, codes[i].iconv);
        char extra[64];
        snprintf(extra, sizeof extra, "--encoding %s", codes[i].code);
        assert_names_decoded(codes[i].base, extra);
        /* Undeclared: ccgis reads the encoding from the bytes. */
        assert_names_decoded(codes[i].base, "");
        run_result r = run("%s info %s/%s.shp", CCGIS_BIN, WORK_DIR, codes[i].base);
        char want[128];
        snprintf(want, sizeof want, "encoding: %s (not declared", codes[i].code);
        assert_non_null(strstr(r.out, want));
        run_free(&r);
    }
}

/* The 134 letters typed in VNI, written as their bytes read in Windows-1252
 * (VNI text as a Windows-1252 font shows it: "aø" for à), taken from the VNI
 * reference table of tests/unit/test_textcode.c (vni_ref[], source 3 of
 * tests/unit/textcode_reference.md), lower then upper case. */
static const char vni_lower_cp1252[] = "aøaùaûaõaïaêaèaéaúaüaëaâaàaáaåaãaäeøeùeûeõeïeâeàeáeåeãeäìíæóòoøoùoûoõoïoâoàoáoåoãoäôôøôùôûôõôïuøuùuûuõuïööøöùöûöõöïyøyùyûyõîñ";
static const char vni_upper_cp1252[] = "AØAÙAÛAÕAÏAÊAÈAÉAÚAÜAËAÂAÀAÁAÅAÃAÄEØEÙEÛEÕEÏEÂEÀEÁEÅEÃEÄÌÍÆÓÒOØOÙOÛOÕOÏOÂOÀOÁOÅOÃOÄÔÔØÔÙÔÛÔÕÔÏUØUÙUÛUÕUÏÖÖØÖÙÖÛÖÕÖÏYØYÙYÛYÕÎÑ";

/* A DBF in VNI holding all 134 letters (written by GDAL through its
 * Windows-1252 encoder, which gives the VNI bytes) decodes to them exactly. */
static void vni_decodes_every_letter(void **state)
{
    (void)state;
    FILE *f = fopen(WORK_DIR "/vni134.csv", "w");
    assert_non_null(f);
    fprintf(f, "id,ten,WKT\nlo,%s,\"POINT (105.8 21.0)\"\nup,%s,\"POINT (105.8 21.0)\"\n",
            vni_lower_cp1252, vni_upper_cp1252);
    fclose(f);
    run_result r = run("cd %s && rm -f v134.* && ogr2ogr -f 'ESRI Shapefile' -lco ENCODING=CP1252 "
                       "-a_srs EPSG:4326 v134.shp vni134.csv && rm -f v134.cpg && printf '\\0' | "
                       "dd of=v134.dbf bs=1 seek=29 conv=notrunc 2>/dev/null && %s convert -q "
                       "v134.shp --encoding VNI -o v134.geojson",
                       WORK_DIR, CCGIS_BIN);
    if (r.status != 0)
        fprintf(stderr, "%s", r.err);
    assert_int_equal(r.status, 0);
    run_free(&r);
    char *json = slurp(WORK_DIR "/v134.geojson");
    assert_non_null(json);
    assert_non_null(strstr(json, "\"ten\": \"" LOWER "\""));
    assert_non_null(strstr(json, "\"ten\": \"" UPPER "\""));
    free(json);
}

/* VNI: "Cụm công nghiệp Phùng Xá" typed from the reference table (hex in
 * tests/unit/textcode_reference.md), in a DBF written byte for byte. */
static void vni_names_decode(void **state)
{
    (void)state;
    static const char hex[] = "4375ef6d20636fe26e67206e67686965e47020506875f86e67205861f9";
    char octal[256] = "", *o = octal; /* the bytes as printf escapes: \ooo */
    for (size_t i = 0; i + 1 < sizeof hex; i += 2) {
        unsigned b;
        sscanf(hex + i, "%2x", &b);
        o += sprintf(o, "\\%03o", b);
    }
    run_result r = run("cd %s && rm -f vni.* && printf 'id,ten,WKT\\na,%s,\"POINT (105.8 21.0)\"\\n' "
                       "> vni.csv && ogr2ogr -f 'ESRI Shapefile' -lco ENCODING= -a_srs EPSG:4326 "
                       "vni.shp vni.csv && rm -f vni.cpg && %s convert -q vni.shp --encoding VNI "
                       "-o vni.geojson",
                       WORK_DIR, octal, CCGIS_BIN);
    if (r.status != 0)
        fprintf(stderr, "%s", r.err);
    assert_int_equal(r.status, 0);
    run_free(&r);
    char *json = slurp(WORK_DIR "/vni.geojson");
    assert_non_null(json);
    assert_non_null(strstr(json, "\"ten\": \"Cụm công nghiệp Phùng Xá\""));
    free(json);
}

int main(void)
{
    reset_work_dir();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cp1258_viscii_tcvn3_decode_every_letter),
        cmocka_unit_test(vni_names_decode),
        cmocka_unit_test(vni_decodes_every_letter),
    };
    return cmocka_run_group_tests_name("legacy encodings", tests, NULL, NULL);
}
