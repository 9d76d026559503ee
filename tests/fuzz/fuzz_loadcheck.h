/*
 * fuzz_loadcheck.h -- loading a fuzzed source with ccgis_layer_load() and
 * checking what layer.h promises about the result (fuzz_loadcheck.c).
 * Shared by fuzz_load.c (GeoJSON) and fuzz_shapefile.c (shapefiles).
 */
#ifndef CCGIS_FUZZ_LOADCHECK_H
#define CCGIS_FUZZ_LOADCHECK_H

#include "ccgis/ctx.h"
#include "ccgis/layer.h"

/*
 * fuzz_load_one -- load `source` once with the given role, id field (NULL:
 * the FID) and attribute encoding (NULL: as declared), check the result,
 * clear the findings and free the layer.  When `first_field` is not NULL
 * (size cap) and the load succeeded, it receives the name of the layer's
 * first attribute field, or "" when it has none.  Returns the status.
 */
ccgis_status fuzz_load_one(ccgis_ctx *ctx, const char *source, ccgis_role role,
                           const char *id_field, const char *encoding, char *first_field,
                           size_t cap);

/*
 * fuzz_load_all -- the loads a loading harness makes of `source`:
 *   1. polygons, keys from the FID;
 *   2. when `points`: points (polygons stand for their centroids);
 *   3. when load 1 succeeded and the layer has fields: polygons keyed by its
 *      first field (feature keys, empty and duplicate ids);
 *   4. when load 1 succeeded and `encoding` is not NULL: polygons read with
 *      that attribute encoding ("CP1258" makes GDAL recode a shapefile's
 *      field names and text with iconv).
 */
void fuzz_load_all(ccgis_ctx *ctx, const char *source, int points, const char *encoding);

#endif /* CCGIS_FUZZ_LOADCHECK_H */
