/*
 * status.c -- names of the ccgis_status codes (see ccgis/status.h).
 */
#include "ccgis/status.h"

/* ccgis_status_str: see status.h.  One phrase per code; static strings. */
const char *ccgis_status_str(ccgis_status status)
{
    switch (status) {
    case CCGIS_OK: return "success";
    case CCGIS_ERR_USAGE: return "invalid usage";
    case CCGIS_ERR_NO_LAYER: return "no such layer";
    case CCGIS_ERR_INPUT: return "input error";
    case CCGIS_ERR_NOT_FOUND: return "no such file";
    case CCGIS_ERR_NOT_VECTOR: return "not a vector dataset";
    case CCGIS_ERR_READ: return "read error";
    case CCGIS_ERR_CRS: return "CRS error";
    case CCGIS_ERR_CRS_NONE: return "no CRS";
    case CCGIS_ERR_CRS_BAD: return "unknown CRS";
    case CCGIS_ERR_TRANSFORM: return "no transformation";
    case CCGIS_ERR_GEOMETRY: return "unusable geometry";
    case CCGIS_ERR_OUTPUT: return "output error";
    case CCGIS_ERR_CANCELLED: return "cancelled";
    case CCGIS_ERR_INTERNAL: return "internal error";
    case CCGIS_ERR_NOMEM: return "out of memory";
    }
    return "unknown status";
}

/* ccgis_status_family: see status.h. */
int ccgis_status_family(ccgis_status status)
{
    return ((int)status / 100) * 100;
}
