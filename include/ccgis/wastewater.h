/*
 * ccgis/wastewater.h -- which clusters have a wastewater-treatment plant
 * meeting the national technical standard.
 *
 * Hà Nội's target (2023 plan): 100 % of operating clusters with a plant
 * meeting the standard.  A plant serves a cluster when it lies inside it or
 * within max_m metres of its boundary -- the geodesic distance from the
 * plant to the polygon, as PostGIS ST_DWithin(plant::geography,
 * cluster::geography, max_m) (geodesic.h gives the method).  Each cluster
 * is then
 *   compliant      served by at least one plant meeting the standard;
 *   not_compliant  served only by plants that do not (or whose standard is
 *                  unknown);
 *   none           served by no plant.
 * A plant may serve several clusters (a shared plant between two clusters
 * is common); a plant serving none is counted (n_unused) so that a layer in
 * the wrong place does not pass silently.
 */
#ifndef CCGIS_WASTEWATER_H
#define CCGIS_WASTEWATER_H

#include <stddef.h>

#include "ccgis/ctx.h"
#include "ccgis/layer.h"
#include "ccgis/progress.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A cluster's state (names: ccgis_wwtp_name). */
typedef enum ccgis_wwtp_state {
    CCGIS_WWTP_NONE = 0,
    CCGIS_WWTP_NOT_COMPLIANT,
    CCGIS_WWTP_COMPLIANT
} ccgis_wwtp_state;

/* "none", "not_compliant", "compliant": the machine names written in the
 * `wwtp` field and summary.json; "?" for any other value. */
const char *ccgis_wwtp_name(ccgis_wwtp_state state);

/* The default of max_m, metres. */
#define CCGIS_WWTP_MAX_M_DEFAULT 200.0

/* The result of ccgis_wastewater(). */
typedef struct ccgis_wwtp_result {
    size_t n_clusters;
    ccgis_wwtp_state *state; /* [n_clusters] */
    size_t *plant;   /* [n_clusters] the plant deciding the state: the nearest
                        meeting the standard when compliant, else the nearest
                        serving one; SIZE_MAX for none */
    double *dist_m;  /* [n_clusters] its geodesic distance, 0 inside; NaN for none */
    size_t n_plants;
    size_t *n_served; /* [n_plants] clusters each plant serves */
    size_t n_unused;  /* plants serving no cluster */
    double max_m;
} ccgis_wwtp_result;

/*
 * ccgis_wastewater -- the plant state of every cluster.
 *
 *   clusters  in: loaded with CCGIS_ROLE_POLYGONS; borrowed.
 *   plants    in: loaded with CCGIS_ROLE_POINTS; borrowed.
 *   meets     in: [plants->n] 1 if the plant meets the standard, 0 if not or
 *             unknown (ccgis_yes() reads the usual field values).
 *   max_m     in: metres, >= 0 and finite.
 *   progress, progress_arg
 *             in: called about every 1,000 clusters; may be NULL.
 *   out       out: the result (ccgis_wwtp_result_free); NULL on failure.
 *
 * Returns CCGIS_OK; CCGIS_ERR_USAGE (a bad max_m); CCGIS_ERR_CANCELLED;
 * CCGIS_ERR_GEOMETRY (a distance cannot be measured; the cluster and plant
 * named); CCGIS_ERR_NOMEM.
 */
ccgis_status ccgis_wastewater(ccgis_ctx *ctx, const ccgis_layer *clusters,
                              const ccgis_layer *plants, const int *meets, double max_m,
                              ccgis_progress_fn progress, void *progress_arg,
                              ccgis_wwtp_result **out);

/* ccgis_wwtp_result_free -- release a result; NULL is accepted.  Returns NULL. */
ccgis_wwtp_result *ccgis_wwtp_result_free(ccgis_wwtp_result *r);

/*
 * ccgis_yes -- how a yes/no field value reads: 1 for yes ("1", "yes", "y",
 * "true", "có", "đạt", "x"), 0 for no ("0", "no", "n", "false", "không",
 * "không đạt", "chưa đạt", "chưa", "" or NULL), -1 for anything else (the
 * caller warns, naming the feature).  Compared after trimming, NFC and case
 * folding (so "Đạt", "CÓ", "True " read as yes).  Out of memory reads as
 * -1 (and is recorded in ctx).
 */
int ccgis_yes(ccgis_ctx *ctx, const char *value);

#ifdef __cplusplus
}
#endif

#endif /* CCGIS_WASTEWATER_H */
