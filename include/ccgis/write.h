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
 *   .shp             ESRI Shapefile with .prj and a .cpg declaring UTF-8
 *   .gpkg            GeoPackage
 *   .sqlite          SpatiaLite database (SQLite driver, SPATIALITE=YES,
 *                    spatial index)
 *   .csv             CSV with the geometry as WKT in a column "WKT", and a
 *                    .csvt file giving the column types (as QGIS reads them)
 *   .kml .fgb .gml   KML, FlatGeobuf, GML
 * or any GDAL vector driver named by its short name (e.g. "GPKG").
 *
 * Writing is atomic: the output is first written under a temporary name in
 * the same folder and renamed into place only when GDAL has written and
 * closed everything.  A failure leaves no output file and leaves an existing
 * one untouched.  An existing output is replaced only when asked to.
 */
#ifndef CCGIS_WRITE_H
#define CCGIS_WRITE_H

#include "ccgis/ctx.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Options of ccgis_write(); NULL means all defaults. */
typedef struct ccgis_write_options {
    const char *format; /* GDAL driver short name; NULL: chosen by the path's extension */
    int overwrite;      /* 1: replace an existing output; 0: refuse (CCGIS_ERR_OUTPUT) */
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
 * a one-layer format) or CCGIS_ERR_OUTPUT (exists and !overwrite, folder
 * missing or read-only, disk full, GDAL refused), the message naming the path.
 */
ccgis_status ccgis_write(ccgis_ctx *ctx, void *mem, const char *path,
                         const ccgis_write_options *options);

#ifdef __cplusplus
}
#endif

#endif /* CCGIS_WRITE_H */
