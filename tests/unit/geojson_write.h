/*
 * geojson_write.h -- writing the small known-answer layers of the tests as
 * GeoJSON (RFC 7946, lon/lat), shared by the unit and PostGIS tests.
 *
 *   gj_begin(f)                 the FeatureCollection's opening
 *   gj_box(f, k, props, box)    feature k (0 first) with properties `props`
 *                               (a JSON object's inside, e.g. "\"id\":\"A\"")
 *                               and the lon/lat box x0, y0, x1, y1 as a
 *                               counter-clockwise polygon
 *   gj_point(f, k, props, x, y) the same for a point
 *   gj_end(f)                   the closing
 */
#ifndef CCGIS_TEST_GEOJSON_WRITE_H
#define CCGIS_TEST_GEOJSON_WRITE_H

#include <stdio.h>

static inline void gj_begin(FILE *f)
{
    fputs("{\"type\":\"FeatureCollection\",\"features\":[\n", f);
}

static inline void gj_box(FILE *f, size_t k, const char *props, double x0, double y0, double x1,
                          double y1)
{
    fprintf(f,
            "%s{\"type\":\"Feature\",\"properties\":{%s},\"geometry\":{\"type\":\"Polygon\","
            "\"coordinates\":[[[%.9f,%.9f],[%.9f,%.9f],[%.9f,%.9f],[%.9f,%.9f],[%.9f,%.9f]]]}}\n",
            k ? "," : "", props, x0, y0, x1, y0, x1, y1, x0, y1, x0, y0);
}

static inline void gj_point(FILE *f, size_t k, const char *props, double x, double y)
{
    fprintf(f,
            "%s{\"type\":\"Feature\",\"properties\":{%s},\"geometry\":{\"type\":\"Point\","
            "\"coordinates\":[%.9f,%.9f]}}\n",
            k ? "," : "", props, x, y);
}

static inline void gj_end(FILE *f)
{
    fputs("]}\n", f);
}

#endif /* CCGIS_TEST_GEOJSON_WRITE_H */
