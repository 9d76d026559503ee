/*
 * encoding.c -- what attribute text encoding a layer declares.
 *
 * Shapefiles declare theirs in a .cpg file or, in older files, with the
 * language driver id (LDID) byte of the .dbf; GDAL reports both as layer
 * metadata in the "SHAPEFILE" domain.  Formats defined as UTF-8 (GeoJSON,
 * GeoPackage, KML...) are recognised by GDAL's OLCStringsAsUTF8 capability.
 * Anything else is "unknown", with the reason.
 */
#include <stdio.h>
#include <string.h>

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
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p < 0x80) {
            p++;
            continue;
        }
        int len = (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : (*p & 0xF8) == 0xF0 ? 4 : 0;
        if (len == 0 || (len == 2 && *p < 0xC2))
            return 1;
        for (int k = 1; k < len; k++)
            if ((p[k] & 0xC0) != 0x80)
                return 1;
        if (len == 3 && p[0] == 0xEF && p[1] == 0xBF && p[2] == 0xBD)
            return 1; /* U+FFFD: a reader already replaced bytes it could not decode */
        p += len;
    }
    return 0;
}
