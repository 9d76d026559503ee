/*
 * ccgis/change.h -- how the planned clusters differ from today's: the
 * programme's change classes.
 *
 * Two polygon layers of clusters, "now" (the current layer) and "plan" (the
 * planned state, e.g. the 2030 plan), are matched: a cluster of each layer
 * with the same id, or -- when ids differ -- two clusters whose common area
 * is at least half of the smaller one's.  Matched clusters form groups (the
 * connected parts of the matching: one cluster split in two planned ones is
 * one group of three), and each group gets one change class:
 *
 *   unchanged  one now, one plan; neither gains nor loses more than the
 *              tolerance
 *   expanded   one now, one plan, sharing at least half of the smaller;
 *              the plan gains land (and loses at most the tolerance), or
 *              both gain and lose and the area grows by more than it
 *   reduced    the same, the area shrinking
 *   moved      one now, one plan sharing less than half of the smaller
 *              (e.g. the same id somewhere else), or both gaining and losing
 *              land with the area the same within the tolerance; also a
 *              group of as many now as plan clusters, two or more of each
 *              (boundaries redrawn among them)
 *   new        a planned cluster matching none of today's
 *   removed    a cluster of today matching no planned one
 *   merged     two or more of today's clusters into fewer planned ones
 *   split      one of today's into two or more planned ones (or several
 *              into more)
 *
 * Land is measured geodesically on WGS 84 (geodesic.h; PostGIS
 * ST_Area(geography)): for a group, common = |now ∩ plan|, gained =
 * |plan \ now|, lost = |now \ plan|, where now and plan are the unions of
 * the group's clusters of each layer.  The tolerance is max(sliver x the
 * larger of the two areas, sliver_m2), as for the zoning findings (job.h).
 * Parts add up, and are checked to in code: |now| = common + lost and
 * |plan| = common + gained (within 1e-6 relative; the unions measured
 * directly), and every cluster of both layers is in exactly one group.
 */
#ifndef CCGIS_CHANGE_H
#define CCGIS_CHANGE_H

#include <stddef.h>

#include "ccgis/ctx.h"
#include "ccgis/layer.h"
#include "ccgis/progress.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The change classes (their names: ccgis_change_name). */
typedef enum ccgis_change_kind {
    CCGIS_CHANGE_UNCHANGED = 0,
    CCGIS_CHANGE_EXPANDED,
    CCGIS_CHANGE_REDUCED,
    CCGIS_CHANGE_MOVED,
    CCGIS_CHANGE_NEW,
    CCGIS_CHANGE_REMOVED,
    CCGIS_CHANGE_MERGED,
    CCGIS_CHANGE_SPLIT,
    CCGIS_CHANGE_KINDS /* how many there are */
} ccgis_change_kind;

/*
 * ccgis_change_name -- the machine name of a class ("unchanged", "expanded",
 * "reduced", "moved", "new", "removed", "merged", "split"), as written in
 * summary.json and in the `change` field; "?" for any other value.
 */
const char *ccgis_change_name(ccgis_change_kind kind);

/* One group of matched clusters. */
typedef struct ccgis_change_group {
    ccgis_change_kind kind;
    size_t n_now, n_plan;
    size_t *now;    /* [n_now] indexes into the now layer's f[], ascending */
    size_t *plan;   /* [n_plan] indexes into the plan layer's f[], ascending */
    int by_id;      /* 1 if some match of the group is by id */
    double now_m2;  /* geodesic area of the union of its now clusters */
    double plan_m2; /* ... of its plan clusters */
    double common_m2, gained_m2, lost_m2; /* see the file comment */
    void *gained;   /* GEOSGeometry *: plan \ now in lon/lat (may be empty); owned */
    void *lost;     /* GEOSGeometry *: now \ plan (may be empty); owned */
} ccgis_change_group;

/* The result of ccgis_change(). */
typedef struct ccgis_change_result {
    size_t n_groups;
    ccgis_change_group *g; /* ordered by the smallest now index, then plan index;
                              groups without now clusters (new) last */
    size_t n_now, n_plan;
    size_t *now_group;  /* [n_now] the group of each now cluster */
    size_t *plan_group; /* [n_plan] the group of each plan cluster */
    size_t count[CCGIS_CHANGE_KINDS]; /* groups per class */
} ccgis_change_result;

/*
 * ccgis_change -- match the planned clusters to today's and classify the
 * groups.
 *
 *   now, plan  in: loaded with CCGIS_ROLE_POLYGONS (ids from their id
 *              fields: equal keys match); borrowed.
 *   sliver, sliver_m2
 *              in: the tolerance (CCGIS_SLIVER_DEFAULT, CCGIS_SLIVER_M2_DEFAULT
 *              in job.h), >= 0.
 *   progress, progress_arg
 *              in: called once per now cluster (progress.h); may be NULL.
 *   out        out: the result (ccgis_change_result_free); NULL on failure.
 *
 * Returns CCGIS_OK; CCGIS_ERR_USAGE (a negative tolerance); CCGIS_ERR_CANCELLED
 * (the callback returned 0 or Ctrl-C came); CCGIS_ERR_GEOMETRY (GEOS could
 * not intersect two clusters: the message names both); CCGIS_ERR_INTERNAL
 * (the parts of a group do not add up); CCGIS_ERR_NOMEM.
 */
ccgis_status ccgis_change(ccgis_ctx *ctx, const ccgis_layer *now, const ccgis_layer *plan,
                          double sliver, double sliver_m2, ccgis_progress_fn progress,
                          void *progress_arg, ccgis_change_result **out);

/* ccgis_change_result_free -- release a result; NULL is accepted.  Returns NULL. */
ccgis_change_result *ccgis_change_result_free(ccgis_ctx *ctx, ccgis_change_result *r);

#ifdef __cplusplus
}
#endif

#endif /* CCGIS_CHANGE_H */
