/*
 * fuzz_shapefile.c -- libFuzzer harness for layer loading from a shapefile:
 * ccgis_layer_load() on GDAL's shapefile driver (shapelib: .shp geometry,
 * .shx index, .dbf attributes).
 *
 * An input is one shapefile in three parts, framed as:
 *
 *   bytes 0-1   n_shx, the length of the .shx part (unsigned, little-endian)
 *   bytes 2-3   n_dbf, the length of the .dbf part (unsigned, little-endian)
 *   then        n_shx bytes of .shx, n_dbf bytes of .dbf,
 *               and all the rest is the .shp.
 *
 * A length larger than what is left is cut to what is left, so every input
 * means something (an input under 4 bytes is three empty files).  shpframe.sh
 * packs a shapefile into this frame (how the seeds were made) and unpacks an
 * input back into fuzz.shp/.shx/.dbf/.prj to look at with ogrinfo.
 *
 * The parts become /vsimem/fuzz.shx, /vsimem/fuzz.dbf and /vsimem/fuzz.shp,
 * beside a fixed /vsimem/fuzz.prj: VN-2000 / TM-3 105 (EPSG:5897), as ESRI
 * WKT -- the .prj of shapes/clusters.shp -- so the transformation to WGS 84
 * is the real datum shift.  The loads (fuzz_load_all in fuzz_loadcheck.c):
 * polygons; polygons keyed by the first field; polygons with encoding =
 * CP1258, which makes GDAL recode the .dbf field names and text.  Not as
 * points: each load that gets as far as the CRS costs some 20 ms of PROJ
 * database queries (under ASan), and the role logic is the same for every
 * format -- fuzz_load.c covers it, a hundred times faster.
 *
 * Not covered here: source.c's checks of real files (the .shx/.dbf record
 * counts, the .prj test) -- /vsimem paths are connection strings to ccgis.
 *
 * Seeds: corpus/shapefile/.  No dictionary: the formats are binary.
 */
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"
#include "fuzz_loadcheck.h"

/* shapes/clusters.prj: VN-2000 / TM-3 zone 105 (EPSG:5897) in ESRI WKT. */
static const char prj[] =
    "PROJCS[\"VN_2000_TM-3_zone_482\",GEOGCS[\"GCS_VN_2000\",DATUM[\"D_Vietnam_2000\","
    "SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],"
    "UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"],"
    "PARAMETER[\"False_Easting\",500000.0],PARAMETER[\"False_Northing\",0.0],"
    "PARAMETER[\"Central_Meridian\",105.0],PARAMETER[\"Scale_Factor\",0.9999],"
    "PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]";

/* LLVMFuzzerInitialize: make the context and the .prj once. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    if (fuzz_vsimem_put("/vsimem/fuzz.prj", (const uint8_t *)prj, strlen(prj)) != 0)
        fuzz_fail("cannot make /vsimem/fuzz.prj");
    return 0;
}

/* Take the next part of at most `want` bytes from *data / *left. */
static size_t take(const uint8_t **data, size_t *left, size_t want, const uint8_t **part)
{
    size_t n = want < *left ? want : *left;
    *part = *data;
    *data += n;
    *left -= n;
    return n;
}

/* LLVMFuzzerTestOneInput: the bytes as a framed shapefile. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ccgis_ctx *ctx = fuzz_init();
    size_t want_shx = 0, want_dbf = 0;
    if (size >= 4) {
        want_shx = (size_t)data[0] | (size_t)data[1] << 8;
        want_dbf = (size_t)data[2] | (size_t)data[3] << 8;
        data += 4;
        size -= 4;
    } else {
        size = 0;
    }
    const uint8_t *shx, *dbf, *shp;
    size_t n_shx = take(&data, &size, want_shx, &shx);
    size_t n_dbf = take(&data, &size, want_dbf, &dbf);
    size_t n_shp = take(&data, &size, size, &shp);

    if (fuzz_vsimem_put("/vsimem/fuzz.shx", shx, n_shx) == 0 &&
        fuzz_vsimem_put("/vsimem/fuzz.dbf", dbf, n_dbf) == 0 &&
        fuzz_vsimem_put("/vsimem/fuzz.shp", shp, n_shp) == 0)
        fuzz_load_all(ctx, "/vsimem/fuzz.shp", 0, "CP1258");
    fuzz_vsimem_drop("/vsimem/fuzz.shp");
    fuzz_vsimem_drop("/vsimem/fuzz.shx");
    fuzz_vsimem_drop("/vsimem/fuzz.dbf");
    return 0;
}
