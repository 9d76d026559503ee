/*
 * ccgis/status.h -- result codes of every ccgis call.
 *
 * Every library function that can fail returns a ccgis_status.  CCGIS_OK is
 * zero; any other value is an error whose message, naming the file, layer and
 * feature concerned and what the user can do, is kept in the context and read
 * back with ccgis_errmsg() (see ctx.h).
 *
 * Codes come in families, by hundreds, so that a caller can decide what to do
 * from the family alone:
 *
 *   1xx  usage     the caller asked for something impossible (bad option,
 *                  unknown layer name): fix the command line or job file
 *   2xx  input     a source cannot be opened or read: fix or replace the file
 *   3xx  CRS       a coordinate reference system is missing, unknown or
 *                  cannot be transformed: pass or fix --srs
 *   4xx  geometry  a geometry cannot be used even after repair
 *   5xx  output    a result cannot be written: check the path, space, rights
 *   6xx  cancelled the caller stopped the work (a progress callback returned
 *                  0, as GDAL's CPLE_UserInterrupt): nothing is wrong
 *   9xx  internal  out of memory, or a bug in ccgis or a library below it
 *
 * The command-line tool turns families into exit codes: 1xx-5xx exit 2
 * ("bad input or usage"), 6xx exit 130 (interrupted, as a shell reports
 * Ctrl-C), 9xx exit 3 ("internal error").
 */
#ifndef CCGIS_STATUS_H
#define CCGIS_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ccgis_status {
    CCGIS_OK = 0,

    CCGIS_ERR_USAGE = 100,      /* generic misuse of an option or argument */
    CCGIS_ERR_NO_LAYER = 101,   /* the named layer is not in the source */

    CCGIS_ERR_INPUT = 200,      /* generic input failure */
    CCGIS_ERR_NOT_FOUND = 201,  /* the path does not exist */
    CCGIS_ERR_NOT_VECTOR = 202, /* exists, but no GDAL vector driver opens it */
    CCGIS_ERR_READ = 203,       /* opened, but reading a feature failed */

    CCGIS_ERR_CRS = 300,       /* generic CRS failure */
    CCGIS_ERR_CRS_NONE = 301,  /* the layer has no CRS and none was given */
    CCGIS_ERR_CRS_BAD = 302,   /* a CRS definition PROJ does not understand */
    CCGIS_ERR_TRANSFORM = 303, /* no usable transformation between two CRSs */

    CCGIS_ERR_GEOMETRY = 400, /* a geometry that cannot be used */

    CCGIS_ERR_OUTPUT = 500, /* a result cannot be written */

    CCGIS_ERR_CANCELLED = 600, /* stopped by the caller (progress callback, Ctrl-C) */

    CCGIS_ERR_INTERNAL = 900, /* a bug: a library call failed unexpectedly */
    CCGIS_ERR_NOMEM = 901     /* out of memory */
} ccgis_status;

/*
 * ccgis_status_str -- a short English phrase for a status code.
 *
 * Returns a static string (never NULL; "unknown status" for a value that is
 * not a ccgis_status).  The phrase describes the kind of failure only; the
 * full message of a particular failure is ccgis_errmsg().
 */
const char *ccgis_status_str(ccgis_status status);

/*
 * ccgis_status_family -- the family of a status: 0 for CCGIS_OK, otherwise
 * the hundreds (100 usage, 200 input, 300 CRS, 400 geometry, 500 output,
 * 600 cancelled, 900 internal).
 */
int ccgis_status_family(ccgis_status status);

#ifdef __cplusplus
}
#endif

#endif /* CCGIS_STATUS_H */
