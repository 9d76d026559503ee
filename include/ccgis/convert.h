/*
 * ccgis/convert.h -- clean a legacy layer once: text to UTF-8 NFC, CRS
 * assigned or transformed, any format GDAL writes.
 *
 * The tool staff use on a department's old layer (TCVN3 names, VN-2000
 * TM-3 coordinates, no .prj) before anything else: every feature is copied
 * with its attributes decoded (encoding given, declared, or detected -- see
 * layer.h), its geometry transformed by PROJ from the source CRS (its own, or
 * the one assigned) to the target CRS when one is asked for, and the CRS
 * recorded in the output (.prj, GeoPackage SRS...).  Geometries of any type
 * are kept (curves are linearised, M values dropped); no feature is dropped:
 * one PROJ cannot transform is an error naming it.
 */
#ifndef CCGIS_CONVERT_H
#define CCGIS_CONVERT_H

#include "ccgis/ctx.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Options of ccgis_convert(). */
typedef struct ccgis_convert_options {
    const char *source;   /* input path or connection string */
    const char *layer;    /* layer name; NULL when the source has one layer */
    const char *srs;      /* CRS to assign (the .prj is missing or wrong); NULL: the source's */
    const char *t_srs;    /* CRS to transform to; NULL: keep the source CRS */
    const char *encoding; /* attribute encoding (layer.h); NULL: declared or detected */
} ccgis_convert_options;

/*
 * ccgis_convert -- read the layer and return it converted as a new in-memory
 * GDAL dataset (GDALClose), one layer named like the source's, ready for
 * ccgis_write().  *n_features (may be NULL) receives the count.
 *
 * Returns CCGIS_OK, or the failures of opening a source (info.h),
 * CCGIS_ERR_CRS_NONE (t_srs asked but the source has no CRS and none was
 * assigned), CCGIS_ERR_CRS_BAD, CCGIS_ERR_TRANSFORM (naming the feature),
 * CCGIS_ERR_INPUT (text that cannot be decoded, naming feature and field).
 */
ccgis_status ccgis_convert(ccgis_ctx *ctx, const ccgis_convert_options *options, void **result,
                           long long *n_features);

#ifdef __cplusplus
}
#endif

#endif /* CCGIS_CONVERT_H */
