/*
 * ccgis/ccgis.h -- umbrella header of the ccgis library.
 *
 * ccgis computes what the GIS staff of Hanoi's industrial-cluster programme
 * need from their layers: geodesic areas, overlaps with zoning, district
 * assignment, proximity to craft villages, and the data problems found on the
 * way.  It reads and writes through GDAL/OGR, transforms and measures through
 * PROJ, and does geometry through GEOS's reentrant C API.
 *
 * Each concept has its own header, which is its manual:
 *   status.h    result codes
 *   ctx.h       the context: library handles, errors, messages, options
 *   progress.h  progress callbacks
 *   crs.h       coordinate reference systems: parsing, identification, to WGS84
 *   info.h      the facts about a vector source (`ccgis info`)
 *   outdir.h    putting an output in place: all or nothing, never over what
 *               ccgis did not write (the folder's manifest)
 *   write.h     writing result layers with GDAL, all or nothing
 *   findings.h  data problems found on the way
 *   geodesic.h  geodesic area and distance on the WGS 84 ellipsoid
 *   layer.h     loading a small layer into the common frame (WGS 84, valid)
 *   area.h      geodesic and planar areas (`ccgis area`)
 *   overlay.h   input polygons against a streamed overlay layer, by class
 *   assign.h    the zone (district) holding the largest share of each polygon
 *   near.h      nearest polygon of each point, points within a radius
 *   overlaps.h  polygons of one layer that overlap each other; area counting
 *               overlaps once
 *   change.h    today's clusters against the planned ones: change classes
 *   wastewater.h  clusters and their wastewater plants: compliant or not
 *   programme.h years, shares and counts of the programme fields as typed
 *   tables.h    the results as layers, for write.h
 *   job.h       the job file of `ccgis run`
 *   lang.h      the language of the report and workbook; numbers written its way
 *   run.h       the main job: every layer, the report
 *   textcode.h  Vietnamese legacy text encodings decoded to UTF-8 NFC
 *   convert.h   clean a legacy layer once (`ccgis convert`)
 */
#ifndef CCGIS_H
#define CCGIS_H

#include "ccgis/status.h"
#include "ccgis/ctx.h"
#include "ccgis/progress.h"
#include "ccgis/crs.h"
#include "ccgis/info.h"
#include "ccgis/outdir.h"
#include "ccgis/write.h"
#include "ccgis/findings.h"
#include "ccgis/geodesic.h"
#include "ccgis/layer.h"
#include "ccgis/area.h"
#include "ccgis/overlay.h"
#include "ccgis/assign.h"
#include "ccgis/near.h"
#include "ccgis/overlaps.h"
#include "ccgis/change.h"
#include "ccgis/wastewater.h"
#include "ccgis/programme.h"
#include "ccgis/tables.h"
#include "ccgis/lang.h"
#include "ccgis/job.h"
#include "ccgis/run.h"
#include "ccgis/textcode.h"
#include "ccgis/convert.h"

#include "ccgis/version.h" /* CCGIS_VERSION_*, generated from CMakeLists.txt */

#ifdef __cplusplus
extern "C" {
#endif

/*
 * ccgis_version -- the library's version string, "MAJOR.MINOR.PATCH", as
 * compiled into the library (which may differ from CCGIS_VERSION_STRING in
 * the headers a program was built with).  Static; never NULL.
 */
const char *ccgis_version(void);

/*
 * ccgis_library_versions -- one line naming the versions of GDAL, PROJ and
 * GEOS the library runs with, e.g. "GDAL 3.6.2, PROJ 9.1.1, GEOS 3.11.1".
 * Static; never NULL.
 */
const char *ccgis_library_versions(void);

#ifdef __cplusplus
}
#endif

#endif /* CCGIS_H */
