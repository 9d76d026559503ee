/*
 * main.c -- a program using the installed library: it compiles against the
 * installed headers, links, finds GDAL, PROJ and GEOS at run time, and the
 * headers' version is the library's.
 */
#include <stdio.h>
#include <string.h>

#include <ccgis/ccgis.h>

int main(void)
{
    if (strcmp(ccgis_version(), CCGIS_VERSION_STRING) != 0) {
        fprintf(stderr, "library %s, headers %s\n", ccgis_version(), CCGIS_VERSION_STRING);
        return 1;
    }
    ccgis_ctx *ctx = ccgis_ctx_new();
    if (!ctx)
        return 1;
    printf("ccgis %s: %s\n", ccgis_version(), ccgis_library_versions());
    ccgis_ctx_free(ctx);
    return 0;
}
