/*
 * ccgis/write.h -- writing result layers with GDAL, all or nothing.
 *
 * Results are built as layers of a GDAL in-memory dataset (driver "Memory",
 * geometries in WGS 84 longitude/latitude, text in UTF-8) and written out by
 * GDAL's own translator (the library behind ogr2ogr) with the options QGIS
 * users expect of each format:
 *
 *   .geojson .json   GeoJSON per RFC 7946 (WGS 84, counter-clockwise
 *                    exteriors), 8 decimals (about 1 mm)
 *   .shp             ESRI Shapefile with .prj and a .cpg declaring UTF-8;
 *                    field names longer than the 10 bytes a .dbf holds are
 *                    cut by one rule, the same on every run (a warning lists
 *                    each): first 10 bytes, never inside a UTF-8 character;
 *                    if taken (ignoring ASCII case), first 8 bytes + _1, _2 ...
 *   .gpkg            GeoPackage
 *   .sqlite          SpatiaLite database (SQLite driver, SPATIALITE=YES,
 *                    spatial index, field names kept as they are)
 *   .csv             CSV in UTF-8 starting with a byte-order mark (so that
 *                    Excel on Windows reads the Vietnamese text as UTF-8),
 *                    the geometry as WKT in a column "WKT", and a .csvt file
 *                    giving the column types (as QGIS reads them)
 *   .kml .fgb .gml   KML, FlatGeobuf, GML
 * or any GDAL vector driver named by its short name (e.g. "GPKG").  Every
 * format but the Shapefile keeps field names whole.
 *
 * Writing is atomic, through the output transaction of outdir.h: the
 * output is first written into a temporary folder beside it
 * (.NAME.ccgis-tmp-XXXXXX) and its files are moved into place only when
 * GDAL has written and closed everything, by an operation that fails if a
 * file of that name appeared meanwhile.  A failure leaves no output file and
 * an existing one untouched.  An existing output is replaced only when
 * asked to (overwrite), and then only the files of that dataset (a
 * shapefile's .shp, .shx, .dbf, .prj, .cpg), by atomic exchange.  Another
 * ccgis writing the same path at the same time is refused.
 *
 * Output CRS.  With t_srs (--t-srs, or [job] output_crs in `ccgis run`) the
 * layers are carried from WGS 84 to that CRS by GDAL's translator (PROJ's
 * choice of operation: for VN-2000 the registered 7-parameter shift, the
 * inverse of the one used to read VN-2000 data) and the CRS is recorded in
 * the file: a CRS from the EPSG registry by its code (GeoPackage's
 * gpkg_spatial_ref_sys and SpatiaLite's spatial_ref_sys hold "EPSG", 5897; a
 * Shapefile's .prj holds GDAL's ESRI WKT, e.g. "VN_2000_TM-3_zone_482",
 * which GDAL 3.6 identifies as EPSG:5897 when it reads the .prj, and QGIS
 * 3.22 takes the CRS from GDAL -- checked by tests/cli/qgis_crs_check.py),
 * any other CRS by its WKT.  GeoJSON and KML are
 * always written in WGS 84, as RFC 7946 and OGC KML require (a warning says
 * so when t_srs names another CRS).
 */
#ifndef CCGIS_WRITE_H
#define CCGIS_WRITE_H

#include <stddef.h>

#include "ccgis/ctx.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Options of ccgis_write(); NULL means all defaults. */
typedef struct ccgis_write_options {
    const char *format; /* GDAL driver short name; NULL: chosen by the path's extension */
    int overwrite;      /* 1: replace an existing output; 0: refuse (CCGIS_ERR_OUTPUT) */
    const char *t_srs;  /* CRS to write the layers in (see "Output CRS" above), as
                           ccgis_crs_from_user() reads it; NULL: WGS 84 */
} ccgis_write_options;

/*
 * ccgis_output_driver -- the GDAL driver ccgis uses for a path: the one named
 * by `format` if not NULL, else the one for the path's extension (see the
 * list above).  Returns the driver's short name (static), or NULL with
 * CCGIS_ERR_USAGE recorded when the extension is not known or the named
 * driver does not exist or cannot write vector data.
 */
const char *ccgis_output_driver(ccgis_ctx *ctx, const char *path, const char *format);

/*
 * ccgis_write -- write every layer of an in-memory dataset to `path`.
 *
 *   mem   in: a GDAL dataset whose layers are the results (borrowed; GDALDatasetH).
 *   path  in: the output file.  Formats holding one layer per file
 *         (GeoJSON, Shapefile, CSV, FlatGeobuf) need `mem` to have exactly
 *         one layer.
 *
 * Returns CCGIS_OK, or CCGIS_ERR_USAGE (unknown format, several layers for
 * a one-layer format), CCGIS_ERR_CRS_BAD / CCGIS_ERR_TRANSFORM (t_srs not a
 * CRS the layers can be written in: ccgis_crs_for_output, crs.h; checked
 * before anything is written) or CCGIS_ERR_OUTPUT (exists and !overwrite, appeared
 * while writing, another ccgis writing it, folder missing or read-only, disk
 * full, GDAL refused), the message naming the path.
 */
ccgis_status ccgis_write(ccgis_ctx *ctx, void *mem, const char *path,
                         const ccgis_write_options *options);

/*
 * ccgis_write_all -- ccgis_write() for n datasets and paths together (a
 * command's main output and its second one): every path is written (or
 * replaced, with overwrite) or none is touched.  Paths must differ.
 * Returns as ccgis_write(), for the first failure.
 */
ccgis_status ccgis_write_all(ccgis_ctx *ctx, void *const *mems, const char *const *paths,
                             size_t n, const ccgis_write_options *options);

#ifdef __cplusplus
}
#endif

#endif /* CCGIS_WRITE_H */
