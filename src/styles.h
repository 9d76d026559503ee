/*
 * styles.h -- the QGIS styles ccgis gives its output layers (internal).
 *
 * src/styles/<layer>.qml, made and checked in QGIS 3.22 for the layers of a
 * job (clusters, cluster_zones, districts, villages, findings), are compiled
 * into the library (src/styles/embed.cmake).  style.c writes them where QGIS
 * looks for a layer's default style: a <layer>.qml beside a Shapefile or
 * GeoJSON, and the layer_styles table of a GeoPackage or SpatiaLite file.
 */
#ifndef CCGIS_STYLES_H
#define CCGIS_STYLES_H

#include <stddef.h>

typedef struct ccgis_style {
    const char *layer; /* layer name, e.g. "clusters" */
    const char *qml;   /* QGIS style document, UTF-8, NUL-terminated */
} ccgis_style;

extern const ccgis_style ccgis_styles[];
extern const size_t ccgis_nstyles;

#endif /* CCGIS_STYLES_H */
