/*
 * test_legacy_job.c -- a job whose every input is a legacy-encoded shapefile
 * gives the results of its UTF-8 original: one reading of each layer, the
 * same in every step.
 *
 * The reference is the sample job run on shapes/ as they are (UTF-8 .cpg
 * shapefile, GeoPackages, GeoJSON): its summary.json and clusters.geojson.
 * Each legacy job reads the same four layers -- clusters, districts, zoning,
 * villages -- converted to shapefiles in one encoding with nothing declaring
 * it (no .cpg, language driver id 0), zoning classed by its Vietnamese names
 * (ten_loai) instead of the codes so that the classes themselves are
 * legacy text.  Its figures must equal the reference's: every district's
 * name (exact UTF-8 NFC bytes), cluster and village counts, cluster and
 * conflict hectares (within 1e-6 ha = 0.01 m²: the districts and zones come
 * from a shapefile instead of a GeoPackage, whose rings GDAL may turn the
 * other way), the zoning totals, the status groups, the villages farthest
 * from a cluster, and each cluster's district in clusters.geojson.
 *
 * The encodings are written from the UTF-8 text: TCVN3 and CP1258 by GDAL's
 * ENCODING layer option (glibc iconv: TCVN5712-1, CP1258); VNI, which iconv
 * does not know, by re-encoding the .dbf's text fields in place from the VNI
 * reference table (tests/unit/textcode_reference.md, the strings of
 * test_encodings.c); "UTF-8" is the UTF-8 .dbf with its .cpg removed.
 *
 * Then: district names in NFD (as macOS writes them), one district split
 * over an NFC and an NFD feature, a language driver id (0x57, ISO-8859-1)
 * contradicted by TCVN3 bytes (the warning checked exactly), declared
 * ISO-8859-1 that really is Latin-1 (left alone), an ambiguous contradiction
 * (refused with the fix), and `ccgis assign` on TCVN3 districts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* Hectares compared within this (0.01 m²). */
#define HA_TOL 1e-6

/* The allowed classes of the sample job (SKN, SKC, SKK) by their names, as
 * landuse_vi.gpkg spells them (spaces separate codes in allowed =). */
#define ALLOWED_NAMES "Đất_cụm_công_nghiệp, Đất_cơ_sở_sản_xuất_phi_nông_nghiệp, Đất_khu_công_nghiệp"

/* ---- VNI, from the reference table ------------------------------------------- */

/* The 134 precomposed letters, lower then upper case, and the same typed in
 * VNI, its bytes shown as Windows-1252 (as in test_encodings.c). */
static const char vn_lower[] =
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ";
static const char vn_upper[] =
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ";
static const char vni_lower_cp1252[] =
    "aøaùaûaõaïaêaèaéaúaüaëaâaàaáaåaãaäeøeùeûeõeïeâeàeáeåeãeäìíæóòoøoùoûoõoïoâoàoáoåoãoäôôøôùôûôõôï"
    "uøuùuûuõuïööøöùöûöõöïyøyùyûyõîñ";
static const char vni_upper_cp1252[] =
    "AØAÙAÛAÕAÏAÊAÈAÉAÚAÜAËAÂAÀAÁAÅAÃAÄEØEÙEÛEÕEÏEÂEÀEÁEÅEÃEÄÌÍÆÓÒOØOÙOÛOÕOÏOÂOÀOÁOÅOÃOÄÔÔØÔÙÔÛÔÕÔÏ"
    "UØUÙUÛUÕUÏÖÖØÖÙÖÛÖÕÖÏYØYÙYÛYÕÎÑ";

/* One letter: its UTF-8 bytes and its VNI bytes. */
typedef struct vni_letter {
    char utf8[4];
    size_t n8;
    unsigned char vni[2];
    size_t nv;
} vni_letter;

static vni_letter vni_tab[134];

/* The code point of the UTF-8 character at s, its length in *len. */
static unsigned next_cp(const char *s, size_t *len)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80) {
        *len = 1;
        return u[0];
    }
    if (u[0] < 0xE0) {
        *len = 2;
        return (unsigned)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
    }
    *len = 3;
    return (unsigned)(u[0] & 0x0F) << 12 | (unsigned)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
}

/* Fill vni_tab from the two pairs of strings.  A letter is one VNI byte when
 * it is ơ ư đ or an i with a tone, or ỵ (textcode.h), else two: a base
 * letter (or the ơ / ư byte) and a mark byte. */
static void vni_table(void)
{
    static const char *const single = "ơưđíìỉĩịỵƠƯĐÍÌỈĨỊỴ";
    const char *letters[2] = {vn_lower, vn_upper}, *typed[2] = {vni_lower_cp1252, vni_upper_cp1252};
    size_t k = 0;
    for (int c = 0; c < 2; c++) {
        const char *l = letters[c], *t = typed[c];
        while (*l) {
            vni_letter *e = &vni_tab[k++];
            next_cp(l, &e->n8);
            memcpy(e->utf8, l, e->n8);
            char one[4] = "";
            memcpy(one, l, e->n8);
            e->nv = strstr(single, one) ? 1 : 2;
            for (size_t i = 0; i < e->nv; i++) {
                size_t n;
                unsigned cp = next_cp(t, &n);
                assert_true(cp < 0x100); /* Latin-1: the byte is the code point */
                e->vni[i] = (unsigned char)cp;
                t += n;
            }
            l += e->n8;
        }
        assert_int_equal(*t, '\0'); /* the typed string is used up exactly */
    }
    assert_int_equal(k, 134);
}

/* `in` (UTF-8, n bytes) in VNI into out (room for n bytes: VNI is never
 * longer).  Returns the bytes written. */
static size_t vni_encode(const char *in, size_t n, unsigned char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        const vni_letter *hit = NULL;
        for (size_t k = 0; k < 134 && !hit; k++)
            if (vni_tab[k].n8 <= n - i && memcmp(in + i, vni_tab[k].utf8, vni_tab[k].n8) == 0)
                hit = &vni_tab[k];
        if (hit) {
            memcpy(out + o, hit->vni, hit->nv);
            o += hit->nv;
            i += hit->n8;
        } else {
            assert_true((unsigned char)in[i] < 0x80); /* no other non-ASCII in shapes/ */
            out[o++] = (unsigned char)in[i++];
        }
    }
    return o;
}

/* Re-encode every text field of a UTF-8 .dbf to VNI, in place (values
 * padded with spaces, as dBase does). */
static void dbf_to_vni(const char *path)
{
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    unsigned char *b = malloc((size_t)size);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)size, f), (size_t)size);
    size_t nrec = (size_t)b[4] | (size_t)b[5] << 8 | (size_t)b[6] << 16 | (size_t)b[7] << 24;
    size_t hdr = (size_t)b[8] | (size_t)b[9] << 8, rec = (size_t)b[10] | (size_t)b[11] << 8;
    for (size_t r = 0; r < nrec; r++) {
        size_t off = hdr + r * rec + 1; /* after the deletion flag */
        for (size_t d = 32; b[d] != 0x0D; d += 32) {
            size_t len = b[d + 16];
            if (b[d + 11] == 'C') {
                size_t n = len;
                while (n > 0 && b[off + n - 1] == ' ')
                    n--;
                unsigned char out[256];
                size_t m = vni_encode((const char *)b + off, n, out);
                memset(b + off, ' ', len);
                memcpy(b + off, out, m);
            }
            off += len;
        }
    }
    rewind(f);
    assert_int_equal(fwrite(b, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    free(b);
}

/* ---- building the inputs ------------------------------------------------------- */

/* WORK_DIR/<dir>/<name>.shp from `src` in iconv encoding `enc` ("VNI": UTF-8
 * re-encoded), with no .cpg and language driver id `ldid`. */
static void legacy_shapefile(const char *dir, const char *name, const char *src, const char *enc,
                             int ldid)
{
    int vni = strcmp(enc, "VNI") == 0;
    run_result r = run("mkdir -p %s/%s && cd %s/%s && rm -f %s.* && ogr2ogr -f 'ESRI Shapefile' "
                       "-lco ENCODING=%s %s.shp %s && rm -f %s.cpg",
                       WORK_DIR, dir, WORK_DIR, dir, name, vni ? "UTF-8" : enc, name, src, name);
    if (r.status != 0)
        fprintf(stderr, "%s", r.err);
    assert_int_equal(r.status, 0);
    run_free(&r);
    char path[512];
    snprintf(path, sizeof path, "%s/%s/%s.dbf", WORK_DIR, dir, name);
    if (vni)
        dbf_to_vni(path);
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    fseek(f, 29, SEEK_SET);
    fputc(ldid, f);
    fclose(f);
}

/* All four inputs of the job in `enc`, in WORK_DIR/<dir>. */
static void legacy_inputs(const char *dir, const char *enc)
{
    legacy_shapefile(dir, "clusters", SHAPES_DIR "/clusters.shp", enc, 0);
    legacy_shapefile(dir, "districts", SHAPES_DIR "/districts.gpkg", enc, 0);
    legacy_shapefile(dir, "landuse", WORK_DIR "/landuse_vi.gpkg", enc, 0);
    legacy_shapefile(dir, "villages", SHAPES_DIR "/villages.geojson", enc, 0);
}

/* Write WORK_DIR/<dir>/job.ini: the sample job on the given sources, zoning
 * classed by `klass` with `allowed`; output in WORK_DIR/<dir>/out. */
static void write_job(const char *dir, const char *clusters, const char *districts,
                      const char *landuse, const char *villages, const char *klass,
                      const char *allowed)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", WORK_DIR, dir);
    run_result r = run("mkdir -p %s", path);
    run_free(&r);
    snprintf(path, sizeof path, "%s/%s/job.ini", WORK_DIR, dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f,
            "[job]\nname = legacy\noutput = out\nformats = geojson\nplan_crs = EPSG:5897\n\n"
            "[clusters]\nsource = %s\nid = ma_ccn\nname = ten\nstatus = trang_thai\n"
            "declared_ha = dt_qd_ha\n\n"
            "[districts]\nsource = %s\nname = ten\n\n"
            "[zoning]\nsource = %s\nclass = %s\nallowed = %s\n\n"
            "[villages]\nsource = %s\nid = ma_ln\nname = ten\nradius_m = 2000\n",
            clusters, districts, landuse, klass, allowed, villages);
    fclose(f);
}

/* Run WORK_DIR/<dir>/job.ini; its stderr is returned (free()). */
static char *run_job(const char *dir)
{
    run_result r = run("cd %s/%s && %s run job.ini --overwrite", WORK_DIR, dir, CCGIS_BIN);
    if (r.status != 0)
        fprintf(stderr, "%s: %s", dir, r.err);
    assert_int_equal(r.status, 0);
    char *err = strdup(r.err);
    run_free(&r);
    return err;
}

/* ---- the reference -------------------------------------------------------------- */

static json_t *clean_summary, *clean_clusters;

/* A JSON file of WORK_DIR/<dir>/out. */
static json_t *load_out(const char *dir, const char *file)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/out/%s", WORK_DIR, dir, file);
    json_error_t e;
    json_t *j = json_load_file(path, 0, &e);
    if (!j)
        fprintf(stderr, "%s: %s\n", path, e.text);
    assert_non_null(j);
    return j;
}

/* The clean run, once. */
static int clean_setup(void **state)
{
    (void)state;
    vni_table();
    /* The zoning layer with its classes named in Vietnamese: ten_loai with '_'
     * for ' ', in field loai. */
    run_result r = run("cd %s && ogr2ogr -f GPKG landuse_vi.gpkg %s/landuse.gpkg -nln landuse "
                       "-dialect sqlite -sql \"SELECT geom, loai_dat, replace(ten_loai, ' ', '_') "
                       "AS loai FROM landuse\"",
                       WORK_DIR, SHAPES_DIR);
    if (r.status != 0)
        fprintf(stderr, "%s", r.err);
    assert_int_equal(r.status, 0);
    run_free(&r);
    write_job("clean", SHAPES_DIR "/clusters.shp", SHAPES_DIR "/districts.gpkg",
              SHAPES_DIR "/landuse.gpkg", SHAPES_DIR "/villages.geojson", "loai_dat",
              "SKN, SKC, SKK");
    char *err = run_job("clean");
    /* A warning about a feature names it by its id, as the report does. */
    assert_non_null(strstr(err, "/clusters.shp, layer 'clusters', id 'CCN21', feature 20: "
                                "repaired (Self-intersection)"));
    free(err);
    clean_summary = load_out("clean", "summary.json");
    clean_clusters = load_out("clean", "clusters.geojson");
    return 0;
}

static int clean_teardown(void **state)
{
    (void)state;
    json_decref(clean_summary);
    json_decref(clean_clusters);
    return 0;
}

/* Hectares equal within HA_TOL. */
static void assert_ha(json_t *a, json_t *b, const char *what, const char *name)
{
    double x = json_number_value(a), y = json_number_value(b);
    if (!(fabs(x - y) <= HA_TOL))
        fprintf(stderr, "%s of '%s': %.9f, clean %.9f\n", what, name, x, y);
    assert_true(json_is_number(a) && json_is_number(b));
    assert_true(fabs(x - y) <= HA_TOL);
}

/* Strings equal, byte for byte. */
static void assert_same_text(json_t *a, json_t *b, const char *what)
{
    const char *x = json_string_value(a), *y = json_string_value(b);
    if (!x || !y || strcmp(x, y) != 0)
        fprintf(stderr, "%s: '%s', clean '%s'\n", what, x ? x : "(null)", y ? y : "(null)");
    assert_non_null(x);
    assert_non_null(y);
    assert_string_equal(x, y);
}

/* The run in WORK_DIR/<dir>/out gave the clean run's figures. */
static void assert_as_clean(const char *dir)
{
    json_t *s = load_out(dir, "summary.json"), *c = load_out(dir, "clusters.geojson");
    /* Districts: the same names (exact bytes), the same figures. */
    json_t *d = json_object_get(s, "districts"), *dc = json_object_get(clean_summary, "districts");
    assert_int_equal(json_array_size(d), json_array_size(dc));
    assert_int_equal(json_array_size(d), 30);
    long long in_some = 0;
    for (size_t i = 0; i < json_array_size(d); i++) {
        json_t *x = json_array_get(d, i), *y = NULL;
        const char *name = json_string_value(json_object_get(x, "name"));
        assert_non_null(name);
        for (size_t k = 0; k < json_array_size(dc) && !y; k++)
            if (strcmp(json_string_value(json_object_get(json_array_get(dc, k), "name")), name) ==
                0)
                y = json_array_get(dc, k);
        if (!y)
            fprintf(stderr, "district '%s' is not in the clean run\n", name);
        assert_non_null(y);
        assert_int_equal(json_integer_value(json_object_get(x, "n_clusters")),
                         json_integer_value(json_object_get(y, "n_clusters")));
        assert_int_equal(json_integer_value(json_object_get(x, "n_villages")),
                         json_integer_value(json_object_get(y, "n_villages")));
        assert_ha(json_object_get(x, "clust_ha"), json_object_get(y, "clust_ha"), "clust_ha", name);
        assert_ha(json_object_get(x, "confl_ha"), json_object_get(y, "confl_ha"), "confl_ha", name);
        in_some += json_integer_value(json_object_get(x, "n_clusters"));
    }
    assert_true(in_some > 0);
    /* Zoning totals. */
    static const char *const zk[] = {"allowed_ha", "conflict_ha", "mixed_ha", "nozone_ha"};
    for (size_t k = 0; k < 4; k++)
        assert_ha(json_object_get(json_object_get(s, "zoning"), zk[k]),
                  json_object_get(json_object_get(clean_summary, "zoning"), zk[k]), zk[k],
                  "zoning");
    /* Statuses, in the same groups. */
    json_t *st = json_object_get(json_object_get(s, "clusters"), "by_status"),
           *stc = json_object_get(json_object_get(clean_summary, "clusters"), "by_status");
    assert_int_equal(json_array_size(st), json_array_size(stc));
    for (size_t i = 0; i < json_array_size(st); i++) {
        assert_same_text(json_object_get(json_array_get(st, i), "status"),
                         json_object_get(json_array_get(stc, i), "status"), "status");
        assert_int_equal(json_integer_value(json_object_get(json_array_get(st, i), "count")),
                         json_integer_value(json_object_get(json_array_get(stc, i), "count")));
    }
    /* Villages farthest from a cluster: ids, names, their cluster. */
    json_t *v = json_object_get(json_object_get(s, "villages"), "farthest"),
           *vc = json_object_get(json_object_get(clean_summary, "villages"), "farthest");
    assert_int_equal(json_array_size(v), json_array_size(vc));
    assert_true(json_array_size(v) > 0);
    for (size_t i = 0; i < json_array_size(v); i++)
        for (const char *const *k = (const char *const[]){"id", "name", "near_id", NULL}; *k; k++)
            assert_same_text(json_object_get(json_array_get(v, i), *k),
                             json_object_get(json_array_get(vc, i), *k), *k);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(s, "villages"), "within")),
        json_integer_value(json_object_get(json_object_get(clean_summary, "villages"), "within")));
    /* Each cluster's name and district, exactly. */
    json_t *fs = json_object_get(c, "features"), *fc = json_object_get(clean_clusters, "features");
    assert_int_equal(json_array_size(fs), json_array_size(fc));
    for (size_t i = 0; i < json_array_size(fs); i++) {
        json_t *p = json_object_get(json_array_get(fs, i), "properties"),
               *q = json_object_get(json_array_get(fc, i), "properties");
        assert_same_text(json_object_get(p, "ma_ccn"), json_object_get(q, "ma_ccn"), "ma_ccn");
        assert_same_text(json_object_get(p, "ten"), json_object_get(q, "ten"), "ten");
        assert_same_text(json_object_get(p, "district"), json_object_get(q, "district"),
                         "district");
    }
    json_decref(s);
    json_decref(c);
}

/* The conflict class of CCN19 (ONT in the clean run) is named as in the zoning layer. */
static void assert_class_names(const char *dir)
{
    json_t *s = load_out(dir, "summary.json");
    json_t *cf = json_object_get(s, "conflicts");
    int seen = 0;
    for (size_t i = 0; i < json_array_size(cf); i++) {
        json_t *x = json_array_get(cf, i);
        if (strcmp(json_string_value(json_object_get(x, "id")), "CCN19") != 0)
            continue;
        assert_string_equal(json_string_value(json_object_get(x, "confl_top")),
                            "Đất_ở_tại_nông_thôn");
        seen = 1;
    }
    assert_true(seen);
    json_decref(s);
}

/* Nothing GDAL or ccgis says about text that is not UTF-8. */
static void assert_clean_text(const char *err)
{
    assert_null(strstr(err, "not a valid UTF-8"));
    assert_null(strstr(err, "not valid UTF-8"));
    assert_null(strstr(err, "\xEF\xBF\xBD"));
}

/* ---- the cases -------------------------------------------------------------------- */

static void legacy_encodings_give_the_clean_figures(void **state)
{
    (void)state;
    static const struct {
        const char *dir, *enc;
    } codes[] = {{"tcvn3", "TCVN5712-1"}, {"vni", "VNI"}, {"cp1258", "CP1258"}, {"utf8", "UTF-8"}};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        legacy_inputs(codes[i].dir, codes[i].enc);
        write_job(codes[i].dir, "clusters.shp", "districts.shp", "landuse.shp", "villages.shp",
                  "loai", ALLOWED_NAMES);
        char *err = run_job(codes[i].dir);
        assert_clean_text(err);
        free(err);
        assert_as_clean(codes[i].dir);
        assert_class_names(codes[i].dir);
    }
}

/* What `ccgis info` says of the TCVN3 districts is what the run read. */
static void info_reports_what_run_reads(void **state)
{
    (void)state;
    legacy_shapefile("tcvn3", "districts", SHAPES_DIR "/districts.gpkg", "TCVN5712-1", 0);
    run_result r = run("%s info %s/tcvn3/districts.shp", CCGIS_BIN, WORK_DIR);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "encoding: TCVN3 (not declared"));
    run_free(&r);
}

/* District names in NFD; and one district (Đông Anh, split at 105.8727° E
 * through cluster CCN24) as an NFC and an NFD feature: one district. */
static void nfd_district_names_join(void **state)
{
    (void)state;
    run_result r =
        run("mkdir -p %s/nfd && cd %s/nfd && rm -f *.geojson && "
            "ogr2ogr -f GeoJSON nfc.geojson %s/districts.gpkg && "
            "python3 -c 'import json,sys,unicodedata as u\n"
            "d=json.load(open(\"nfc.geojson\"))\n"
            "for f in d[\"features\"]: "
            "f[\"properties\"][\"ten\"]=u.normalize(\"NFD\",f[\"properties\"][\"ten\"])\n"
            "json.dump(d,open(\"all_nfd.geojson\",\"w\"),ensure_ascii=False)' && "
            "ogr2ogr -f GeoJSON split.geojson nfc.geojson -where \"ten <> 'Đông Anh'\" && "
            "ogr2ogr -append split.geojson nfc.geojson -where \"ten = 'Đông Anh'\" "
            "-clipsrc 105.0 20.0 105.8727 22.0 && "
            "ogr2ogr -append split.geojson all_nfd.geojson -where \"ma_huyen = '017'\" "
            "-clipsrc 105.8727 20.0 107.0 22.0",
            WORK_DIR, WORK_DIR, SHAPES_DIR);
    if (r.status != 0)
        fprintf(stderr, "%s", r.err);
    assert_int_equal(r.status, 0);
    run_free(&r);
    /* The split really holds both spellings. */
    char *split = slurp(WORK_DIR "/nfd/split.geojson");
    assert_non_null(split);
    assert_non_null(strstr(split, "\"ten\": \"Đông Anh\""));
    assert_non_null(strstr(split, "\"ten\": \"\xC4\x90o\xCC\x82ng Anh\"")); /* Đ o U+0302 ng */
    free(split);
    static const char *const sources[] = {"all_nfd.geojson", "split.geojson"};
    for (size_t i = 0; i < 2; i++) {
        char dir[64], src[256];
        snprintf(dir, sizeof dir, "nfd%zu", i);
        snprintf(src, sizeof src, "%s/nfd/%s", WORK_DIR, sources[i]);
        write_job(dir, SHAPES_DIR "/clusters.shp", src, SHAPES_DIR "/landuse.gpkg",
                  SHAPES_DIR "/villages.geojson", "loai_dat", "SKN, SKC, SKK");
        char *err = run_job(dir);
        free(err);
        assert_as_clean(dir);
    }
    /* One Đông Anh row, CCN24 100 % in it, no more straddling than the clean run. */
    json_t *s = load_out("nfd1", "summary.json");
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(s, "findings"), "STRADDLES_DISTRICTS")),
        json_integer_value(
            json_object_get(json_object_get(clean_summary, "findings"), "STRADDLES_DISTRICTS")));
    json_decref(s);
    json_t *c = load_out("nfd1", "clusters.geojson");
    json_t *fs = json_object_get(c, "features");
    int seen = 0;
    for (size_t i = 0; i < json_array_size(fs); i++) {
        json_t *p = json_object_get(json_array_get(fs, i), "properties");
        if (strcmp(json_string_value(json_object_get(p, "ma_ccn")), "CCN24") != 0)
            continue;
        assert_string_equal(json_string_value(json_object_get(p, "district")), "Đông Anh");
        assert_true(fabs(json_number_value(json_object_get(p, "dist_pct")) - 100.0) < 1e-6);
        seen = 1;
    }
    assert_true(seen);
    json_decref(c);
}

/* A language driver id of ISO-8859-1 over TCVN3 bytes: the text wins, with
 * one warning naming both. */
static void ldid_contradicted_by_tcvn3(void **state)
{
    (void)state;
    legacy_shapefile("ldid", "districts", SHAPES_DIR "/districts.gpkg", "TCVN5712-1", 0x57);
    write_job("ldid", SHAPES_DIR "/clusters.shp", "districts.shp", SHAPES_DIR "/landuse.gpkg",
              SHAPES_DIR "/villages.geojson", "loai_dat", "SKN, SKC, SKK");
    char *err = run_job("ldid");
    static const char want[] =
        "ccgis: warning: districts.shp, layer 'districts': the attribute encoding is declared "
        "ISO-8859-1 (DBF language driver id) but the text reads as TCVN3 (100% confidence): "
        "read as TCVN3 -- if the names look wrong, write encoding = <the right one> in the job "
        "file (--encoding for a command)\n";
    if (!strstr(err, want))
        fprintf(stderr, "%s", err);
    const char *at = strstr(err, want);
    assert_non_null(at);
    assert_null(strstr(at + 1, want)); /* once, though two steps read the layer */
    assert_clean_text(err);
    free(err);
    assert_as_clean("ldid");
    run_result r = run("%s info %s/ldid/districts.shp", CCGIS_BIN, WORK_DIR);
    assert_non_null(strstr(r.out, "encoding: TCVN3 (declared ISO-8859-1 (DBF language driver "
                                  "id), but the text reads as TCVN3, 100% confidence"));
    run_free(&r);
}

/* A one-field table of raw bytes `octal` (printf escapes), language driver
 * id 0x57, converted: the result. */
static run_result convert_ldid57(const char *name, const char *octal)
{
    run_result r = run("mkdir -p %s/ldid && cd %s/ldid && rm -f %s.* && "
                       "printf 'id,ten,WKT\\na,%s,\"POINT (105.8 21.0)\"\\n' > %s.csv && "
                       "ogr2ogr -f 'ESRI Shapefile' -lco ENCODING= -a_srs EPSG:4326 %s.shp "
                       "%s.csv && rm -f %s.cpg && printf '\\127' | dd of=%s.dbf bs=1 seek=29 "
                       "conv=notrunc 2>/dev/null",
                       WORK_DIR, WORK_DIR, name, octal, name, name, name, name, name);
    assert_int_equal(r.status, 0);
    run_free(&r);
    return run("cd %s/ldid && %s convert %s.shp -o %s.geojson --overwrite", WORK_DIR, CCGIS_BIN,
               name, name);
}

/* Real Latin-1 under ISO-8859-1 stays so; Vietnamese that fits several codes
 * is refused with what to write. */
static void ldid_kept_or_refused(void **state)
{
    (void)state;
    run_result r = convert_ldid57("latin1", "Caf\\351 M\\374ller"); /* Café Müller */
    assert_int_equal(r.status, 0);
    assert_null(strstr(r.err, "declared"));
    run_free(&r);
    char *json = slurp(WORK_DIR "/ldid/latin1.geojson");
    assert_non_null(json);
    assert_non_null(strstr(json, "\"ten\": \"Café Müller\""));
    free(json);
    /* "c\xf3 m\xe3": có mã in VISCII, cú mó in TCVN3 (textcode.h). */
    r = convert_ldid57("ambiguous", "c\\363 m\\343");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "ambiguous.shp, layer 'ambiguous': the attribute encoding is "
                                  "declared ISO-8859-1 (DBF language driver id) but the text "
                                  "reads as Vietnamese in another encoding, and fits several"));
    assert_non_null(strstr(r.err, "in the job file, or pass --encoding"));
    assert_non_null(strstr(r.err, "write encoding = "));
    assert_int_equal(count_lines(r.err), 1);
    run_free(&r);
}

/* ccgis assign on TCVN3 districts without .cpg writes the decoded names. */
static void assign_decodes_the_zones(void **state)
{
    (void)state;
    legacy_shapefile("assign", "districts", SHAPES_DIR "/districts.gpkg", "TCVN5712-1", 0);
    run_result r = run("cd %s/assign && %s assign %s/clusters.shp districts.shp --id ma_ccn "
                       "--name ten -o a.geojson --overwrite -q",
                       WORK_DIR, CCGIS_BIN, SHAPES_DIR);
    if (r.status != 0)
        fprintf(stderr, "%s", r.err);
    assert_int_equal(r.status, 0);
    run_free(&r);
    json_error_t e;
    json_t *a = json_load_file(WORK_DIR "/assign/a.geojson", 0, &e);
    assert_non_null(a);
    json_t *fs = json_object_get(a, "features"), *fc = json_object_get(clean_clusters, "features");
    assert_int_equal(json_array_size(fs), json_array_size(fc));
    for (size_t i = 0; i < json_array_size(fs); i++) {
        json_t *p = json_object_get(json_array_get(fs, i), "properties"),
               *q = json_object_get(json_array_get(fc, i), "properties");
        assert_same_text(json_object_get(p, "ma_ccn"), json_object_get(q, "ma_ccn"), "ma_ccn");
        assert_same_text(json_object_get(p, "zone"), json_object_get(q, "district"), "zone");
    }
    json_decref(a);
}

/* A TCVN3 .dbf stores its field names in TCVN3 too ("Tên cụm" as
 * "T\xaan c\xf4m"): info lists them decoded, the job finds `name = Tên cụm`,
 * and run and convert write them as UTF-8, values decoded alike. */
static void field_names_are_decoded_too(void **state)
{
    (void)state;
    run_result r = run("mkdir -p %s/names && cd %s/names && rm -f c.* && ogr2ogr -f "
                       "'ESRI Shapefile' -lco ENCODING=TCVN5712-1 -dialect sqlite -sql \"SELECT "
                       "ma_ccn, ten AS \\\"Tên cụm\\\", huyen AS \\\"Huyện\\\", geometry FROM "
                       "clusters\" c.shp %s/clusters.shp && rm -f c.cpg && "
                       "printf '[job]\\noutput = out\\nformats = gpkg\\n[clusters]\\nsource = "
                       "c.shp\\nid = ma_ccn\\nname = Tên cụm\\n' > job.ini",
                       WORK_DIR, WORK_DIR, SHAPES_DIR);
    if (r.status != 0)
        fprintf(stderr, "%s", r.err);
    assert_int_equal(r.status, 0);
    run_free(&r);
    /* The bytes really are TCVN3 (0xAA ê, 0xF4 ụ), not UTF-8. */
    r = run("grep -c \"$(printf 'T\\252n c\\364m')\" %s/names/c.dbf", WORK_DIR);
    assert_string_equal(r.out, "1\n");
    run_free(&r);
    r = run("cd %s/names && %s info c.shp", WORK_DIR, CCGIS_BIN);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Tên cụm"));
    assert_non_null(strstr(r.out, "Huyện"));
    run_free(&r);
    r = run("cd %s/names && %s run job.ini --overwrite -q && %s convert c.shp -o cv.gpkg "
            "--overwrite -q && ogrinfo -q out/out.gpkg clusters -where \"ma_ccn = 'CCN01'\" "
            "&& ogrinfo -q cv.gpkg c -where \"ma_ccn = 'CCN01'\" | iconv -f UTF-8 -t UTF-8",
            WORK_DIR, CCGIS_BIN, CCGIS_BIN);
    if (r.status != 0)
        fprintf(stderr, "%s", r.err);
    assert_int_equal(r.status, 0);
    const char *p = r.out;
    for (int k = 0; k < 2; k++) { /* the run's output, then convert's; all UTF-8 (iconv) */
        p = strstr(p, "Tên cụm (String) = CCN Phùng Xá");
        assert_non_null(p);
        p = strstr(p, "Huyện (String) = Thạch Thất");
        assert_non_null(p);
    }
    run_free(&r);
}

int main(void)
{
    reset_work_dir();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(legacy_encodings_give_the_clean_figures),
        cmocka_unit_test(info_reports_what_run_reads),
        cmocka_unit_test(nfd_district_names_join),
        cmocka_unit_test(ldid_contradicted_by_tcvn3),
        cmocka_unit_test(ldid_kept_or_refused),
        cmocka_unit_test(assign_decodes_the_zones),
        cmocka_unit_test(field_names_are_decoded_too),
    };
    return cmocka_run_group_tests_name("one reading of legacy layers", tests, clean_setup,
                                       clean_teardown);
}
