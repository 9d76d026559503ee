/*
 * fuzz_load.c -- libFuzzer harness for layer loading, ccgis_layer_load()
 * (src/layer.c, src/geom.c, src/source.c, src/crs.c, src/geodesic.c), fed
 * GeoJSON.
 *
 * Each input becomes the in-memory file /vsimem/fuzz.geojson, which is
 * loaded (fuzz_load_all in fuzz_loadcheck.c):
 *   1. as polygons, id field NULL (keys are FIDs);
 *   2. as points (polygons stand for their centroids);
 *   3. when load 1 succeeded and the layer has fields: as polygons again with
 *      its first field as the id field (feature keys, empty and duplicate ids).
 * (No encoding: ccgis takes one for shapefiles and DBF only.)
 * That drives GDAL's GeoJSON (and ESRIJSON, TopoJSON...) reader, the OGR to
 * GEOS conversion, ring closing, the validity check, MakeValid repair and
 * its geodesic areas, the transformation to WGS 84 (a "crs" member makes it a
 * real one), the off-the-globe test and the skipping of NULL, empty and
 * wrong-kind geometries.  After each load the findings are cleared and the
 * layer freed; what fuzz_loadcheck.c checks is said there.
 *
 * Seeds: corpus/load/ (one small case each).  Dictionary: load.dict.
 */
#include <stdint.h>

#include "fuzz_common.h"
#include "fuzz_loadcheck.h"

#define FUZZ_PATH "/vsimem/fuzz.geojson"

/* LLVMFuzzerInitialize: make the context once. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    return 0;
}

/* LLVMFuzzerTestOneInput: the bytes as a GeoJSON file. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ccgis_ctx *ctx = fuzz_init();
    if (fuzz_vsimem_put(FUZZ_PATH, data, size) != 0)
        return 0;
    fuzz_load_all(ctx, FUZZ_PATH, 1, NULL);
    fuzz_vsimem_drop(FUZZ_PATH);
    return 0;
}
