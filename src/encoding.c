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

/* ccgis_text_guess: see internal.h. */
ccgis_status ccgis_text_guess(ccgis_ctx *ctx, OGRLayerH layer, ccgis_textcode *code,
                              int *confidence)
{
    char **values = NULL;
    size_t *lens = NULL, n = 0, cap = 0;
    ccgis_status st = CCGIS_OK;
    OGRFeatureH f;
    long features = 0;
    *code = CCGIS_TEXT_UTF8;
    *confidence = 100;
    OGR_L_ResetReading(layer);
    while (n < GUESS_MAX_VALUES && features++ < GUESS_MAX_FEATURES &&
           (f = OGR_L_GetNextFeature(layer)) != NULL) {
        for (int i = 0; i < OGR_F_GetFieldCount(f) && st == CCGIS_OK; i++) {
            const char *v = non_ascii_text(f, i);
            if (!v)
                continue; /* ASCII tells nothing */
            if (n == cap) {
                size_t ncap = cap ? 2 * cap : 256;
                char **nv = realloc(values, ncap * sizeof *nv);
                size_t *nl = nv ? realloc(lens, ncap * sizeof *nl) : NULL;
                if (nv)
                    values = nv;
                if (!nv || !nl) {
                    st = ccgis_nomem(ctx);
                    break;
                }
                lens = nl;
                cap = ncap;
            }
            if (!(values[n] = strdup(v))) {
                st = ccgis_nomem(ctx);
                break;
            }
            lens[n] = strlen(v);
            n++;
        }
        OGR_F_Destroy(f);
        if (st != CCGIS_OK)
            break;
    }
    OGR_L_ResetReading(layer);
    if (st == CCGIS_OK && n > 0)
        *code = ccgis_text_detect((const char *const *)values, lens, n, confidence);
    for (size_t i = 0; i < n; i++)
        free(values[i]);
    free(values);
    free(lens);
    return st;
}

/* ccgis_text_plan_make: see internal.h. */
ccgis_status ccgis_text_plan_make(ccgis_ctx *ctx, GDALDatasetH ds, OGRLayerH layer,
                                  const char *encoding, ccgis_where where, ccgis_text_plan *plan)
{
    char label[160];
    ccgis_textcode code = CCGIS_TEXT_UTF8;
    memset(plan, 0, sizeof *plan);
    if ((!encoding || !*encoding || strcasecmp(encoding, "auto") == 0) &&
        ccgis_declared_cp1258(GDALGetDescription(ds)))
        encoding = "CP1258"; /* opened raw: see ccgis_declared_cp1258 */
    if (encoding && *encoding && strcasecmp(encoding, "auto") != 0) {
        code = ccgis_textcode_from_name(encoding);
        if (code == CCGIS_TEXT_UNKNOWN)
            return ccgis_error_at(ctx, CCGIS_ERR_USAGE, where,
                                  "encoding '%s' is not one ccgis reads -- use UTF-8, CP1258, "
                                  "VISCII, TCVN3 (ABC) or VNI, or auto",
                                  encoding);
        snprintf(label, sizeof label, "%s (given)", ccgis_textcode_name(code));
    } else {
        char *declared = NULL, *why = NULL;
        if (ccgis_layer_encoding(ctx, ds, layer, &declared, &why) != CCGIS_OK) {
            free(declared);
            free(why);
            return CCGIS_ERR_NOMEM;
        }
        if (declared) {
            snprintf(label, sizeof label, "%s (%s)", declared, why);
        } else {
            int confidence = 0;
            ccgis_status st = ccgis_text_guess(ctx, layer, &code, &confidence);
            if (st != CCGIS_OK) {
                free(why);
                return st;
            }
            if (code == CCGIS_TEXT_UNKNOWN) {
                free(why);
                return ccgis_error_at(ctx, CCGIS_ERR_INPUT, where,
                                      "the attribute encoding is not declared and the text fits "
                                      "several (%s) -- set encoding= (--encoding) to UTF-8, "
                                      "CP1258, VISCII, TCVN3 or VNI",
                                      "ccgis info shows what it sees");
            }
            snprintf(label, sizeof label, "%s (not declared; detected from the text, %d%% "
                                          "confidence)",
                     ccgis_textcode_name(code), confidence);
            if (confidence < 100)
                ccgis_msg_at(ctx, CCGIS_WARNING, where,
                             "attribute encoding not declared; the text reads as %s (%d%% "
                             "confidence) -- set encoding= to be sure",
                             ccgis_textcode_name(code), confidence);
        }
        free(declared);
        free(why);
    }
    plan->label = ccgis_strdup(ctx, label);
    if (!plan->label)
        return CCGIS_ERR_NOMEM;
    if (code != CCGIS_TEXT_UTF8)
        return ccgis_text_decoder_new(ctx, code, &plan->dec);
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
        char *out = NULL;
        if (plan->dec) {
            if (ccgis_text_decoder_decode(ctx, plan->dec, v, strlen(v), &out) != CCGIS_OK) {
                char msg[CCGIS_MSG_MAX];
                snprintf(msg, sizeof msg, "%s", ccgis_errmsg(ctx));
                *st = ccgis_error_at(ctx, CCGIS_ERR_INPUT, at,
                                     "field '%s' cannot be read as %s: %s",
                                     OGR_Fld_GetNameRef(OGR_F_GetFieldDefnRef(f, i)),
                                     ccgis_textcode_name(ccgis_text_decoder_code(plan->dec)),
                                     msg);
                return suspect;
            }
        } else if (ccgis_text_suspect(v) || ccgis_text_nfc(ctx, v, &out) != CCGIS_OK) {
            ccgis_clear_error(ctx);
            suspect = 1; /* left as it is; the caller counts and warns */
            continue;
        }
        if (strcmp(out, v) != 0)
            OGR_F_SetFieldString(f, i, out);
        free(out);
    }
    return suspect;
}

/* ccgis_text_plan_clear: see internal.h. */
void ccgis_text_plan_clear(ccgis_text_plan *plan)
{
    ccgis_text_decoder_free(plan->dec);
    free(plan->label);
    memset(plan, 0, sizeof *plan);
}
