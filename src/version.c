/*
 * version.c -- the library's own version and those of the libraries it runs on.
 */
#include <pthread.h>
#include <stdio.h>

#include <gdal.h>
#include <geos_c.h>
#include <proj.h>

#include "ccgis/ccgis.h"

/* ccgis_version: see ccgis.h. */
const char *ccgis_version(void)
{
    return CCGIS_VERSION_STRING;
}

static char versions_line[128];
static pthread_once_t versions_once = PTHREAD_ONCE_INIT;

/* Fill versions_line; run once. */
static void versions_init(void)
{
    PJ_INFO pi = proj_info();
    snprintf(versions_line, sizeof versions_line, "GDAL %s, PROJ %s, GEOS %s",
             GDALVersionInfo("RELEASE_NAME"), pi.version, GEOSversion());
}

/* ccgis_library_versions: see ccgis.h.  Built once; the result is static. */
const char *ccgis_library_versions(void)
{
    pthread_once(&versions_once, versions_init);
    return versions_line;
}
