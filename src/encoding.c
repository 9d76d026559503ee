/*
 * encoding.c -- a layer's attribute text: which encoding it declares, which
 * one it really has, and turning it into UTF-8 NFC.
 *
 * Shapefiles declare theirs in a .cpg file or, in older files, with the
 * language driver id (LDID) byte of the .dbf; GDAL reports both as layer
 * metadata in the "SHAPEFILE" domain and recodes the text to UTF-8.  Formats
 * defined as UTF-8 (GeoJSON, GeoPackage, KML...) are recognised by GDAL's
 * OLCStringsAsUTF8 capability.  Anything else is "unknown", with the reason.
 *
 * A text plan (ccgis_text_plan_make) decides, per layer, how its strings
 * reach ccgis: declared ones as GDAL gives them, normalised to NFC; an
 * encoding the user names (encoding=) or, where nothing is declared, the one
 * the bytes reveal (textcode.h's detection), through ccgis's own decoders
 * (CP1258, VISCII, TCVN3 and VNI, which GDAL alone cannot all read).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <iconv.h>

#include "internal.h"

/* ccgis_layer_encoding: see internal.h. */
ccgis_status ccgis_layer_encoding(ccgis_ctx *ctx, GDALDatasetH ds, OGRLayerH layer, char **name,
                                  char **source)
{
    const char *driver = GDALGetDriverShortName(GDALGetDatasetDriver(ds));
    const char *enc = NULL, *why = NULL;
    char buf[160];

    *name = *source = NULL;
    if (strcmp(driver, "ESRI Shapefile") == 0) {
        const char *cpg = GDALGetMetadataItem(layer, "ENCODING_FROM_CPG", "SHAPEFILE");
        const char *ldid = GDALGetMetadataItem(layer, "ENCODING_FROM_LDID", "SHAPEFILE");
        if (cpg && *cpg) {
            enc = cpg;
            why = ".cpg file";
        } else if (ldid && *ldid) {
            enc = ldid;
            why = "DBF language driver id";
        } else {
            why = "no .cpg file and no language driver id in the .dbf; text is read "
                  "as stored, unconverted";
        }
    } else if (OGR_L_TestCapability(layer, OLCStringsAsUTF8)) {
        enc = "UTF-8";
        snprintf(buf, sizeof buf, "declared by the %s driver", driver);
        why = buf;
    } else {
        snprintf(buf, sizeof buf, "the %s driver declares none", driver);
        why = buf;
    }
    *name = ccgis_strdup(ctx, enc);
    *source = ccgis_strdup(ctx, why);
    if ((enc && !*name) || !*source)
        return CCGIS_ERR_NOMEM;
    return CCGIS_OK;
}

/* ccgis_text_suspect: see internal.h. */
int ccgis_text_suspect(const char *s)
{
    if (ccgis_text_is_utf8(s))
        return 1;
    return strstr(s, "\xEF\xBF\xBD") != NULL; /* U+FFFD: a reader already replaced bytes */
}

/* The value of string field i of f when it holds a byte above ASCII, else
 * NULL (unset, not text, or ASCII: the same in every encoding). */
static const char *non_ascii_text(OGRFeatureH f, int i)
{
    if (OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, i)) != OFTString ||
        !OGR_F_IsFieldSetAndNotNull(f, i))
        return NULL;
    const char *v = OGR_F_GetFieldAsString(f, i);
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p >= 0x80)
            return v;
    return NULL;
}

/* Most string values, and most features, looked at to guess an encoding. */
#define GUESS_MAX_VALUES 20000
#define GUESS_MAX_FEATURES 100000

/* A declared code page is overruled by the text only at this confidence
 * (textcode.h) or more; below it, with text that reads as Vietnamese, the
 * layer is refused as ambiguous. */
#define OVERRULE_CONFIDENCE 90

/* Share of words read as Vietnamese syllables from which text "reads as
 * Vietnamese" in some code (textcode.c's DETECT_MIN). */
#define VIETNAMESE_SHARE 0.5

/*
 * The bytes a declared code page gave, back from GDAL's UTF-8: `v` encoded
 * with `back` (UTF-8 -> the code page).  Returns a new NUL-terminated string
 * and its length in *len, or NULL when v holds a character the code page
 * lacks (it then did not come from it) or out of memory (*nomem set).
 */
static char *encode_back(iconv_t back, const char *v, size_t *len, int *nomem)
{
    size_t in_left = strlen(v), cap = 4 * in_left + 8, out_left = cap - 1;
    char *out = malloc(cap), *o = out;
    char *in = (char *)v;
    *nomem = 0;
    if (!out) {
        *nomem = 1;
        return NULL;
    }
    iconv(back, NULL, NULL, NULL, NULL);
    if (iconv(back, &in, &in_left, &o, &out_left) == (size_t)-1 ||
        iconv(back, NULL, NULL, &o, &out_left) == (size_t)-1) {
        free(out);
        return NULL;
    }
    *o = '\0';
    *len = (size_t)(o - out);
    return out;
}

/*
 * The non-ASCII string values of up to GUESS_MAX_FEATURES features of a
 * layer (at most GUESS_MAX_VALUES), as the bytes they were: through `back`
 * when not (iconv_t)-1 (values it cannot encode are left out).  The
 * geometry is not read meanwhile (the layer's ignored fields are reset
 * after: call this before setting any).  Returns CCGIS_OK or
 * CCGIS_ERR_NOMEM (recorded); *values (each and the array: free()) and
 * *lens hold *n values.  Reading position is reset.
 */
static ccgis_status sample_text(ccgis_ctx *ctx, OGRLayerH layer, iconv_t back, char ***values,
                                size_t **lens, size_t *n)
{
    static const char *const no_geometry[] = {"OGR_GEOMETRY", "OGR_STYLE", NULL};
    size_t cap = 0;
    ccgis_status st = CCGIS_OK;
    OGRFeatureH f;
    long features = 0;
    *values = NULL;
    *lens = NULL;
    *n = 0;
    OGR_L_SetIgnoredFields(layer, (const char **)no_geometry);
    OGR_L_ResetReading(layer);
    while (*n < GUESS_MAX_VALUES && features++ < GUESS_MAX_FEATURES &&
           (f = OGR_L_GetNextFeature(layer)) != NULL) {
        for (int i = 0; i < OGR_F_GetFieldCount(f) && st == CCGIS_OK; i++) {
            const char *v = non_ascii_text(f, i);
            if (!v)
                continue; /* ASCII tells nothing */
            if (*n == cap) {
                size_t ncap = cap ? 2 * cap : 256;
                char **nv = realloc(*values, ncap * sizeof *nv);
                size_t *nl = nv ? realloc(*lens, ncap * sizeof *nl) : NULL;
                if (nv)
                    *values = nv;
                if (!nv || !nl) {
                    st = ccgis_nomem(ctx);
                    break;
                }
                *lens = nl;
                cap = ncap;
            }
            int nomem = 0;
            char *copy =
                back == (iconv_t)-1 ? strdup(v) : encode_back(back, v, &(*lens)[*n], &nomem);
            if (back == (iconv_t)-1 && copy)
                (*lens)[*n] = strlen(copy);
            if (!copy && (back == (iconv_t)-1 || nomem)) {
                st = ccgis_nomem(ctx);
                break;
            }
            if (copy)
                (*values)[(*n)++] = copy;
        }
        OGR_F_Destroy(f);
        if (st != CCGIS_OK)
            break;
    }
    OGR_L_SetIgnoredFields(layer, NULL);
    OGR_L_ResetReading(layer);
    return st;
}

/* Free what sample_text() gave. */
static void sample_free(char **values, size_t *lens, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(values[i]);
    free(values);
    free(lens);
}

/* ccgis_text_guess: see internal.h. */
ccgis_status ccgis_text_guess(ccgis_ctx *ctx, OGRLayerH layer, ccgis_textcode *code,
                              int *confidence)
{
    char **values;
    size_t *lens, n;
    *code = CCGIS_TEXT_UTF8;
    *confidence = 100;
    ccgis_status st = sample_text(ctx, layer, (iconv_t)-1, &values, &lens, &n);
    if (st == CCGIS_OK && n > 0)
        *code = ccgis_text_detect((const char *const *)values, lens, n, confidence);
    sample_free(values, lens, n);
    return st;
}

/* 1 if `name` (as GDAL names encodings) is UTF-8. */
static int is_utf8_name(const char *name)
{
    return strcasecmp(name, "UTF-8") == 0 || strcasecmp(name, "UTF8") == 0;
}

/*
 * A declared code page GDAL decodes (ISO-8859-1, CP1252...) against the
 * bytes: d->declared set, d->code UTF-8.  When the bytes, encoded back from
 * GDAL's text, read as another code with OVERRULE_CONFIDENCE or more, that
 * code wins (d->overruled, d->code, d->confidence); when they read as
 * Vietnamese but not clearly in one code, d->code becomes UNKNOWN
 * (ambiguous, d->best the likeliest).  Otherwise the declaration stands.
 */
static ccgis_status check_declared(ccgis_ctx *ctx, OGRLayerH layer, ccgis_text_decision *d)
{
    if (is_utf8_name(d->declared) || ccgis_textcode_from_name(d->declared) != CCGIS_TEXT_UNKNOWN)
        return CCGIS_OK; /* UTF-8 is checked value by value; Vietnamese codes are read raw */
    iconv_t back = iconv_open(d->declared, "UTF-8");
    if (back == (iconv_t)-1)
        return CCGIS_OK; /* iconv does not know it: GDAL's reading stands */
    char **values;
    size_t *lens, n;
    ccgis_status st = sample_text(ctx, layer, back, &values, &lens, &n);
    iconv_close(back);
    if (st == CCGIS_OK && n > 0) {
        int confidence = 0;
        double share = 0;
        ccgis_textcode best = CCGIS_TEXT_UNKNOWN;
        ccgis_textcode code =
            ccgis_text_detect_ex((const char *const *)values, lens, n, &confidence, &best, &share);
        if (code != CCGIS_TEXT_UNKNOWN && confidence >= OVERRULE_CONFIDENCE &&
            share >= VIETNAMESE_SHARE) {
            d->overruled = 1;
            d->code = code;
            d->confidence = confidence;
        } else if (share >= VIETNAMESE_SHARE && best != CCGIS_TEXT_UNKNOWN) {
            d->code = CCGIS_TEXT_UNKNOWN;
            d->best = code != CCGIS_TEXT_UNKNOWN ? code : best;
            d->confidence = confidence;
        }
    }
    sample_free(values, lens, n);
    return st;
}

/* ccgis_text_decide: see internal.h. */
ccgis_status ccgis_text_decide(ccgis_ctx *ctx, GDALDatasetH ds, OGRLayerH layer,
                               const char *encoding, ccgis_text_decision *d)
{
    memset(d, 0, sizeof *d);
    d->code = CCGIS_TEXT_UTF8;
    d->confidence = 100;
    if (encoding && *encoding && strcasecmp(encoding, "auto") != 0) {
        d->given = 1;
        d->code = ccgis_textcode_from_name(encoding);
        snprintf(d->declared, sizeof d->declared, "%s", encoding);
        snprintf(d->source, sizeof d->source, "given");
        return CCGIS_OK;
    }
    if (ccgis_declared_cp1258(GDALGetDescription(ds))) {
        d->raw = 1; /* opened raw: see ccgis_declared_cp1258 */
        d->code = CCGIS_TEXT_CP1258;
        snprintf(d->declared, sizeof d->declared, "CP1258");
        snprintf(d->source, sizeof d->source, ".cpg file");
        return CCGIS_OK;
    }
    char *declared = NULL, *why = NULL;
    ccgis_status st = ccgis_layer_encoding(ctx, ds, layer, &declared, &why);
    if (st == CCGIS_OK) {
        snprintf(d->declared, sizeof d->declared, "%s", declared ? declared : "");
        snprintf(d->source, sizeof d->source, "%s", why);
    }
    free(declared);
    free(why);
    if (st != CCGIS_OK)
        return st;
    if (d->declared[0])
        return check_declared(ctx, layer, d);
    d->raw = 1; /* nothing declared: GDAL gives the bytes as stored */
    char **values;
    size_t *lens, n;
    if ((st = sample_text(ctx, layer, (iconv_t)-1, &values, &lens, &n)) == CCGIS_OK && n > 0) {
        double share = 0;
        d->code = ccgis_text_detect_ex((const char *const *)values, lens, n, &d->confidence,
                                       &d->best, &share);
    }
    sample_free(values, lens, n);
    return st;
}

/* ccgis_text_plan_make: see internal.h. */
ccgis_status ccgis_text_plan_make(ccgis_ctx *ctx, GDALDatasetH ds, OGRLayerH layer,
                                  const char *encoding, ccgis_where where, ccgis_text_plan *plan)
{
    char label[512];
    ccgis_text_decision d;
    memset(plan, 0, sizeof *plan);
    ccgis_status st = ccgis_text_decide(ctx, ds, layer, encoding, &d);
    if (st != CCGIS_OK)
        return st;
    if (d.given && d.code == CCGIS_TEXT_UNKNOWN)
        return ccgis_error_at(ctx, CCGIS_ERR_USAGE, where,
                              "encoding '%s' is not one ccgis reads -- use UTF-8, CP1258, "
                              "VISCII, TCVN3 (ABC) or VNI, or auto",
                              encoding);
    if (d.code == CCGIS_TEXT_UNKNOWN && d.declared[0])
        return ccgis_error_at(ctx, CCGIS_ERR_INPUT, where,
                              "the attribute encoding is declared %s (%s) but the text reads as "
                              "Vietnamese in another encoding, and fits several (likeliest %s, "
                              "%d%% confidence) -- write encoding = %s (or whichever of UTF-8, "
                              "CP1258, VISCII, TCVN3, VNI shows the names right: try ccgis "
                              "convert --encoding) in the job file, or pass --encoding",
                              d.declared, d.source, ccgis_textcode_name(d.best), d.confidence,
                              ccgis_textcode_name(d.best));
    if (d.code == CCGIS_TEXT_UNKNOWN)
        return ccgis_error_at(ctx, CCGIS_ERR_INPUT, where,
                              "the attribute encoding is not declared and the text fits several "
                              "(likeliest %s; ccgis info shows what it sees) -- write encoding = "
                              "%s (or whichever of UTF-8, CP1258, VISCII, TCVN3, VNI is right) in "
                              "the job file, or pass --encoding",
                              ccgis_textcode_name(d.best), ccgis_textcode_name(d.best));
    if (d.given) {
        snprintf(label, sizeof label, "%s (given)", ccgis_textcode_name(d.code));
    } else if (d.overruled) {
        snprintf(label, sizeof label,
                 "%s (declared %s by the %s, but the text reads as %s, %d%% "
                 "confidence)",
                 ccgis_textcode_name(d.code), d.declared, d.source, ccgis_textcode_name(d.code),
                 d.confidence);
        ccgis_msg_once_at(
            ctx, CCGIS_WARNING, where,
            "the attribute encoding is declared %s (%s) but the text reads as %s (%d%% "
            "confidence): read as %s -- if the names look wrong, write encoding = "
            "<the right one> in the job file (--encoding for a command)",
            d.declared, d.source, ccgis_textcode_name(d.code), d.confidence,
            ccgis_textcode_name(d.code));
        iconv_t back = iconv_open(d.declared, "UTF-8");
        if (back == (iconv_t)-1)
            return ccgis_error(ctx, CCGIS_ERR_INTERNAL, "iconv cannot encode %s", d.declared);
        plan->back = back;
    } else if (d.declared[0]) {
        snprintf(label, sizeof label, "%s (%s)", d.declared, d.source);
    } else {
        snprintf(label, sizeof label,
                 "%s (not declared; detected from the text, %d%% "
                 "confidence)",
                 ccgis_textcode_name(d.code), d.confidence);
        if (d.confidence < 100)
            ccgis_msg_once_at(ctx, CCGIS_WARNING, where,
                              "attribute encoding not declared; the text reads as %s (%d%% "
                              "confidence) -- set encoding= to be sure",
                              ccgis_textcode_name(d.code), d.confidence);
    }
    plan->label = ccgis_strdup(ctx, label);
    if (!plan->label)
        return CCGIS_ERR_NOMEM;
    if (d.code != CCGIS_TEXT_UTF8)
        return ccgis_text_decoder_new(ctx, d.code, &plan->dec);
    return CCGIS_OK;
}

/* ccgis_text_plan_apply: see internal.h. */
int ccgis_text_plan_apply(ccgis_ctx *ctx, const ccgis_text_plan *plan, OGRFeatureH f,
                          ccgis_where at, ccgis_status *st)
{
    int suspect = 0;
    *st = CCGIS_OK;
    for (int i = 0; i < OGR_F_GetFieldCount(f); i++) {
        const char *v = non_ascii_text(f, i);
        if (!v)
            continue; /* ASCII: the same in every encoding, already NFC */
        char *out = NULL, *bytes = NULL;
        size_t len = strlen(v);
        if (plan->back) {
            int nomem = 0;
            bytes = encode_back((iconv_t)plan->back, v, &len, &nomem);
            if (!bytes) {
                *st = nomem ? ccgis_nomem(ctx)
                            : ccgis_error_at(ctx, CCGIS_ERR_INPUT, at,
                                             "field '%s' holds a character its declared code "
                                             "page lacks, so it is not in that code page -- "
                                             "write encoding = <the right one> in the job "
                                             "file (--encoding for a command)",
                                             OGR_Fld_GetNameRef(OGR_F_GetFieldDefnRef(f, i)));
                return suspect;
            }
            v = bytes;
        }
        if (plan->dec) {
            if (ccgis_text_decoder_decode(ctx, plan->dec, v, len, &out) != CCGIS_OK) {
                char msg[CCGIS_MSG_MAX];
                snprintf(msg, sizeof msg, "%s", ccgis_errmsg(ctx));
                *st = ccgis_error_at(ctx, CCGIS_ERR_INPUT, at,
                                     "field '%s' cannot be read as %s: %s",
                                     OGR_Fld_GetNameRef(OGR_F_GetFieldDefnRef(f, i)),
                                     ccgis_textcode_name(ccgis_text_decoder_code(plan->dec)),
                                     msg);
                free(bytes);
                return suspect;
            }
        } else if (ccgis_text_suspect(v) || ccgis_text_nfc(ctx, v, &out) != CCGIS_OK) {
            ccgis_clear_error(ctx);
            if (bytes)
                OGR_F_SetFieldString(f, i, bytes); /* the bytes, for the caller to repair */
            free(bytes);
            suspect = 1; /* left as it is; the caller counts and warns */
            continue;
        }
        if (strcmp(out, v) != 0 || bytes)
            OGR_F_SetFieldString(f, i, out);
        free(out);
        free(bytes);
    }
    return suspect;
}

/* ccgis_text_plan_names: see internal.h. */
int ccgis_text_plan_names(ccgis_ctx *ctx, const ccgis_text_plan *plan, OGRFeatureDefnH defn)
{
    int renamed = 0;
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); i++) {
        OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, i);
        const char *name = OGR_Fld_GetNameRef(fd);
        const unsigned char *c = (const unsigned char *)name;
        while (*c && *c < 0x80)
            c++;
        if (!*c)
            continue; /* ASCII: the same in every encoding */
        int valid = ccgis_text_is_utf8(name) == 0;
        if (!plan->dec && !plan->back && valid)
            continue; /* UTF-8 as declared: drivers may use the name in SQL, leave it */
        char *bytes = NULL, *out = NULL;
        size_t len = strlen(name);
        const char *v = name;
        if (plan->back) {
            int nomem = 0;
            if (!(bytes = encode_back((iconv_t)plan->back, name, &len, &nomem)))
                continue;
            v = bytes;
        }
        if (plan->dec) {
            if (ccgis_text_decoder_decode(ctx, plan->dec, v, len, &out) != CCGIS_OK)
                ccgis_clear_error(ctx), out = NULL;
        }
        if (out && strcmp(out, name) != 0) {
            OGR_Fld_SetName(fd, out);
            renamed++;
        }
        free(out);
        free(bytes);
    }
    return renamed;
}

/* ccgis_text_plan_clear: see internal.h. */
void ccgis_text_plan_clear(ccgis_text_plan *plan)
{
    ccgis_text_decoder_free(plan->dec);
    if (plan->back)
        iconv_close((iconv_t)plan->back);
    free(plan->label);
    memset(plan, 0, sizeof *plan);
}
