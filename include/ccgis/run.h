/*
 * ccgis/run.h -- the main job: clusters checked against districts, zoning
 * and craft villages, written as a folder of layers, tables and a report.
 *
 * ccgis_run() does what the GIS staff do every time a plan changes:
 *
 *   1. checks the job (job.h) and every source before any work;
 *   2. loads the clusters (repairing invalid polygons, reporting skips),
 *      the districts and the villages;
 *   3. measures: geodesic area (and planar area in plan_crs), the district
 *      holding the largest share of each cluster, the area of each cluster
 *      on each zoning class (zoning streamed), the nearest cluster of each
 *      village and the villages within radius_m of each cluster, and the
 *      clusters that overlap each other;
 *   4. writes, into a new folder built under a temporary name beside
 *      `output` and renamed into place only when everything succeeded:
 *        clusters, cluster_zones, districts, villages, findings
 *          -- one file per layer for GeoJSON and Shapefile, one
 *             <folder name>.gpkg / .sqlite holding all layers;
 *        district_status.csv -- clusters and hectares per district x status;
 *        fields.csv -- every field of every layer: full name (GeoPackage,
 *          GeoJSON, SpatiaLite), Shapefile name (10 bytes at most), unit,
 *          meaning;
 *        report.md, summary.json -- the story, and the same as data;
 *        <folder name>.xlsx -- the report's tables as an Excel workbook
 *          (always, whatever the formats), Vietnamese headings.
 *
 * The layers' columns are listed in `ccgis help run` and in README.md.  All
 * areas are geodesic on WGS 84 in hectares unless prefixed plan_; distances
 * are geodesic metres; percentages are 0-100.
 *
 * The folder is put in place by the output transaction of outdir.h: a
 * failure or cancellation at any point leaves no output folder (and an
 * earlier one untouched); a folder that appears at `output` during the run
 * is left alone (CCGIS_ERR_OUTPUT); a second run on the same output is
 * refused at once; the folder lists what ccgis wrote in .ccgis-manifest,
 * and an existing output folder is replaced only with options->overwrite,
 * atomically, and only when it holds exactly those files.  A job whose
 * output folder holds a file one of its sources reads, in whatever form the
 * source is written, is refused before anything is read.
 */
#ifndef CCGIS_RUN_H
#define CCGIS_RUN_H

#include "ccgis/ctx.h"
#include "ccgis/findings.h"
#include "ccgis/job.h"
#include "ccgis/progress.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Options of ccgis_run(). */
typedef struct ccgis_run_options {
    int overwrite; /* replace an existing output folder ccgis wrote (outdir.h) */
} ccgis_run_options;

/* The phases of a run, timed in ccgis_run_summary.phase_s. */
typedef enum ccgis_run_phase {
    CCGIS_PHASE_CHECK = 0, /* job and sources checked */
    CCGIS_PHASE_LOAD,      /* clusters, districts, villages read and repaired */
    CCGIS_PHASE_AREA,      /* geodesic and planar areas */
    CCGIS_PHASE_DISTRICTS, /* districts streamed and intersected */
    CCGIS_PHASE_ZONING,    /* zoning streamed and intersected */
    CCGIS_PHASE_VILLAGES,  /* distances and radius counts */
    CCGIS_PHASE_OVERLAPS,  /* cluster-cluster overlaps, aggregates, flags */
    CCGIS_PHASE_LAYERS,    /* result layers built */
    CCGIS_PHASE_WRITE,     /* every format written, report, rename */
    CCGIS_PHASES
} ccgis_run_phase;

/* ccgis_run_phase_name -- "check", "load", ... (static). */
const char *ccgis_run_phase_name(ccgis_run_phase phase);

/* What a run found, for the caller's exit status and summary line. */
typedef struct ccgis_run_summary {
    size_t n_clusters;                   /* clusters analysed */
    size_t findings[CCGIS_FINDING_KINDS]; /* findings by kind */
    double phase_s[CCGIS_PHASES];        /* wall-clock seconds spent in each phase */
    long long zones_read, zones_near;    /* zoning features read / near a cluster */
} ccgis_run_summary;

/*
 * The progress fraction from which ccgis_run is writing its output into the
 * temporary folder (the note is then "writing").  Before it nothing is on
 * disk, so a caller that must end the process by force (a read blocked in a
 * driver never reports progress) leaves nothing behind; after it, ending by
 * force may leave the hidden temporary folder.
 */
#define CCGIS_RUN_WRITING 0.9

/*
 * ccgis_run -- run a job.
 *
 *   job       in: read with ccgis_job_read().
 *   options   in: may be NULL (defaults: no overwrite).
 *   progress  in: may be NULL; returning 0 cancels the run cleanly.  It is
 *             called at least every second of work in every phase (progress.h)
 *             -- but not while GDAL waits for a source's server to answer.
 *   summary   out: may be NULL.
 *
 * Returns CCGIS_OK, or the first failure: the job's (job.h), loading's
 * (layer.h), the engine's (overlay.h ...), CCGIS_ERR_OUTPUT (output exists,
 * is being written by another run, appeared meanwhile, holds what ccgis did
 * not write, cannot be created, disk full...), CCGIS_ERR_CANCELLED (the
 * progress callback said stop, or Ctrl-C), CCGIS_ERR_USAGE (the output
 * folder holds an input).
 */
ccgis_status ccgis_run(ccgis_ctx *ctx, const ccgis_job *job, const ccgis_run_options *options,
                       ccgis_progress_fn progress, void *progress_arg,
                       ccgis_run_summary *summary);

#ifdef __cplusplus
}
#endif

#endif /* CCGIS_RUN_H */
