/*
 * ccgis/findings.h -- data problems found on the way, as a list the caller owns.
 *
 * Loading and analysis never drop or change a feature silently: each skipped
 * or repaired feature, and each problem the analysis detects, becomes a
 * finding.  The same list feeds the messages of a run, the "findings" output
 * layer and the report.
 */
#ifndef CCGIS_FINDINGS_H
#define CCGIS_FINDINGS_H

#include <stddef.h>

#include <geos_c.h>

#include "ccgis/lang.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ccgis_finding_kind {
    CCGIS_GEOMETRY_SKIPPED = 0,  /* NULL, empty, or not the expected kind of geometry */
    CCGIS_GEOMETRY_REPAIRED,     /* invalid polygon made valid with GEOS MakeValid */
    CCGIS_CLUSTER_OVERLAP,       /* two input polygons overlap */
    CCGIS_STRADDLES_DISTRICTS,   /* a polygon lies in more than one district */
    CCGIS_OUTSIDE_DISTRICTS,     /* a polygon lies in no district */
    CCGIS_ZONING_CONFLICT,       /* part of a polygon lies on zoning not allowed */
    CCGIS_ZONING_OVERLAP,        /* two zones overlap inside a polygon (detail: same kind
                                    of class, or "mixed": one allowed, one not) */
    CCGIS_ZONING_GAP,            /* part of a polygon lies on no classified zone */
    CCGIS_ZONE_REPAIRED,         /* an invalid zone made valid before use */
    CCGIS_ZONE_SKIPPED,          /* a zone near a polygon with no usable geometry */
    CCGIS_ZONE_UNCLASSIFIED,     /* a zone with a blank or NULL class: counted as no zone */
    CCGIS_AREA_MISMATCH,         /* geometry's area differs from the declared area */
    CCGIS_NEEDS_MANUAL_FIX,      /* a repair changed a polygon's area by more than 10 % */
    CCGIS_OVERLAP,               /* two polygons of a layer overlap (ccgis overlaps) */
    CCGIS_WWTP_MISSING,          /* an operating cluster without a wastewater-treatment
                                    plant meeting the standard (wastewater.h) */
    CCGIS_RELOCATION_GAP,        /* a craft village with no current or planned cluster
                                    within radius_m */
    CCGIS_FINDING_KINDS          /* number of kinds */
} ccgis_finding_kind;

/* The words and figures a finding's sentence is made of (see ccgis_finding_text). */
#define CCGIS_FINDING_WORDS 6
#define CCGIS_FINDING_FIGURES 4

/* One finding.  Strings are owned by the list. */
typedef struct ccgis_finding {
    ccgis_finding_kind kind;
    char *layer;     /* layer the subject belongs to, e.g. "clusters" */
    char *subject;   /* the feature's id (its id field, or its FID as text) */
    char *other;     /* the other feature's id, or a class; NULL if none */
    double area_m2;  /* area concerned, geodesic m²; NaN when none applies */
    char *detail;    /* one human sentence, in English with plain numbers (2344.50) */
    GEOSGeometry *geom; /* in WGS 84 lon/lat, owned; NULL if none */
    /* What `detail` says, kept to tell it in another language
     * (ccgis_finding_text): which sentence (0: none, detail is the same in
     * every language), its words (ids, classes, reasons; owned, NULL when
     * unused) and its figures (m², ha, %, as the sentence uses them). */
    int form;
    char *words[CCGIS_FINDING_WORDS];
    double figures[CCGIS_FINDING_FIGURES];
} ccgis_finding;

typedef struct ccgis_findings {
    size_t n, cap;
    ccgis_finding *items;
    GEOSContextHandle_t geos; /* handle used to free geometries; set by the first add */
} ccgis_findings;

/* Initialiser for an empty list. */
#define CCGIS_FINDINGS_INIT {0, 0, NULL, NULL}

/* ccgis_finding_kind_name -- "GEOMETRY_SKIPPED", "CLUSTER_OVERLAP", ... (static). */
const char *ccgis_finding_kind_name(ccgis_finding_kind kind);

/*
 * ccgis_finding_text -- the finding's sentence in `lang`, numbers written
 * its way: "cụm CCN01: 2,20 ha (13,4 % diện tích) trên đất không được quy
 * hoạch cho công nghiệp, nhiều nhất là DGD" (vi), "cluster CCN01: 2.20 ha
 * (13.4% of its area) on land not zoned for industry, most on DGD" (en).
 * Reasons quoted from GDAL or GEOS ("Self-intersection") stay as they are.
 * A finding without a form gives its detail.
 *
 *   buf, cap  out: the sentence, cut at a character to cap - 1 bytes.
 *
 * Returns buf.
 */
char *ccgis_finding_text(const ccgis_finding *f, ccgis_lang lang, char *buf, size_t cap);

/* ccgis_findings_count -- how many findings of `kind` the list holds. */
size_t ccgis_findings_count(const ccgis_findings *list, ccgis_finding_kind kind);

/* ccgis_findings_clear -- free everything the list holds and empty it. */
void ccgis_findings_clear(ccgis_findings *list);

#ifdef __cplusplus
}
#endif

#endif /* CCGIS_FINDINGS_H */
