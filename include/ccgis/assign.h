/*
 * ccgis/assign.h -- which zone (district, commune...) each polygon belongs to.
 *
 * Each input polygon is given the zone holding the largest share of its
 * geodesic area, that share, and how many zones it touches.  Zones are
 * identified by the value of a name field, compared as class keys (trimmed,
 * NFC, case-folded: overlay.h): features with the same name are one zone,
 * their pieces unioned, so a share never exceeds 100 %.  A feature with a
 * blank or NULL name is no zone.  Pieces under the input's tolerance
 * (max(sliver x its area, sliver_m2): slivers along shared borders) are not
 * counted as touching.  The areas come from the overlay engine (overlay.h),
 * so the zones layer is streamed and may be large.
 *
 * Findings: STRADDLES_DISTRICTS for a polygon in more than one zone (detail
 * gives the shares); OUTSIDE_DISTRICTS for the part of a polygon in no zone,
 * when it reaches the tolerance (area and share, with its geometry);
 * ZONE_UNCLASSIFIED for a nameless zone feature holding part of it.
 */
#ifndef CCGIS_ASSIGN_H
#define CCGIS_ASSIGN_H

#include <stddef.h>

#include "ccgis/ctx.h"
#include "ccgis/findings.h"
#include "ccgis/layer.h"
#include "ccgis/overlay.h"
#include "ccgis/progress.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The result of ccgis_assign(). */
typedef struct ccgis_assign_result {
    size_t n;          /* = input->n */
    const char **zone; /* [n] name of the zone with the largest share; "" if none
                          (borrowed from `overlay`) */
    double *share_pct; /* [n] that zone's share of the input's geodesic area, 0-100 */
    int *n_zones;      /* [n] zones holding at least the input's tolerance (1 when only
                          the assigned one holds any of it, however little) */
    ccgis_overlay_result *overlay; /* the areas behind it (owned) */
} ccgis_assign_result;

/*
 * ccgis_assign -- assign each input polygon to a zone.
 *
 *   input       in: polygons loaded with ccgis_layer_load().
 *   zones       in: the zones layer (streamed).
 *   name_field  in: field naming each zone.
 *   sliver, sliver_m2  in: the tolerance (CCGIS_SLIVER_DEFAULT, CCGIS_SLIVER_M2_DEFAULT).
 *   findings    in/out: STRADDLES_DISTRICTS / OUTSIDE_DISTRICTS appended (may be NULL).
 *   out         out: the result (ccgis_assign_result_free); NULL on failure.
 *
 * Returns CCGIS_OK or a failure of ccgis_overlay().
 */
ccgis_status ccgis_assign(ccgis_ctx *ctx, const ccgis_layer *input, const ccgis_layer_spec *zones,
                          const char *name_field, double sliver, double sliver_m2,
                          ccgis_findings *findings, ccgis_progress_fn progress,
                          void *progress_arg, ccgis_assign_result **out);

/* ccgis_assign_result_free -- release a result; NULL is accepted.  Returns NULL. */
ccgis_assign_result *ccgis_assign_result_free(ccgis_assign_result *r);

#ifdef __cplusplus
}
#endif

#endif /* CCGIS_ASSIGN_H */
