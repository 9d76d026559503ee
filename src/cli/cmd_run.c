/*
 * cmd_run.c -- `ccgis run JOB.ini`: the main job.
 *
 * Ctrl-C (SIGINT) and SIGTERM are caught (interrupt.c) and turned into a
 * cancellation at the next progress report: the library then removes its
 * temporary folder, so an interrupted run leaves no output folder and an
 * earlier one intact.  A read blocked in a driver is ended by force one
 * second later, before anything was written.  (SIGKILL cannot be caught:
 * what it leaves is only the hidden temporary folder
 * ".NAME.ccgis-tmp-XXXXXX" and the lock file ".NAME.ccgis-lock", never a
 * partial output folder; the next run on that output removes them.)
 */
#include <stdio.h>

#include "cli.h"

enum { OPT_OVERWRITE, OPT_STRICT, OPT_CHECK, OPT_TIMINGS };

static const cli_opt run_opts[] = {
    [OPT_OVERWRITE] = {"--overwrite", 0, NULL,
                       "replace the output folder if it holds only what ccgis wrote there"},
    [OPT_STRICT] = {"--strict", 0, NULL, "exit 1 when the analysis finds problems"},
    [OPT_CHECK] = {"--check", 0, NULL, "only check the job file and its sources; write nothing"},
    [OPT_TIMINGS] = {"--timings", 0, NULL, "print the wall time of each phase on stderr"},
    {NULL, 0, NULL, NULL},
};

static const char run_description[] =
    "Runs a job file (INI, UTF-8; paths relative to it; see samples/hanoi.ini):\n"
    "[job] name, output (folder to create), formats (geojson, shp, gpkg, sqlite;\n"
    "default geojson, shp), plan_crs, output_crs (the CRS of the .shp, .gpkg and\n"
    ".sqlite layers, e.g. EPSG:5897; default WGS 84; GeoJSON stays WGS 84),\n"
    "lang (vi or en: report.md and the workbook; default vi), sliver (1e-4) and\n"
    "sliver_m2 (1): findings smaller than max(sliver x the cluster's area,\n"
    "sliver_m2) are not listed;\n"
    "[clusters] source, layer, id, name, status, srs, encoding, declared_ha (a field\n"
    "of declared hectares), declared_tol_pct (5); [districts] source, name;\n"
    "[zoning] source, class, allowed (default SKN, SKC, SKK; ',' ';' or spaces),\n"
    "id (zone ids in findings; default the FID); [villages] source, id, name,\n"
    "radius_m (default 2000); [style] conflict_breaks (default 5, 10, 20, 50): the\n"
    "limits, %, of the clusters' conflict classes in the QGIS styles (ascending,\n"
    "each above 0 and below 100); [map] paper (A3, the default, or A4),\n"
    "orientation (landscape, the default, or portrait), author, abstract: the\n"
    "QGIS project NAME.qgz written with the GeoPackage (formats has gpkg).\n"
    "Only [job] output and [clusters] source and id\n"
    "are required. --check also warns about allowed classes no zone has.\n"
    "The programme (README: \"The programme in figures\"): [clusters] operating\n"
    "(status values meaning operating; default đang hoạt động, operating; ',' or\n"
    "';' between), year_set_up, construction_start, plan_1500, clearance_pct,\n"
    "enterprises, workers (fields read as typed: 2019, 2019-05-10, 05/2019; 85 %;\n"
    "4.169); [plan] source, id (required), status: the planned clusters, matched\n"
    "to today's by id, else by overlap (half of the smaller one); [wastewater]\n"
    "source, id, standard_met (yes: 1/yes/true/có/đạt), max_m (default 200).\n"
    "Every input section also takes layer, srs (the CRS when the .prj is missing\n"
    "or wrong: EPSG:5897, vn2000:tm3:105...), encoding, where (only the features\n"
    "meeting an OGR SQL condition, e.g. where = Layer = 'RANH_GIOI'), keep_fields\n"
    "(= all keeps a KML's Google Earth fields: timestamp, begin, end, altitudeMode,\n"
    "tessellate, extrude, visibility, drawOrder, icon; dropped otherwise), and for\n"
    "a table of points without geometry (CSV, XLSX, ODS; [villages]) x and y: the\n"
    "columns of x (longitude, easting) and y (latitude, northing), by default those\n"
    "headed x, lon, lng, long, longitude, Kinh độ, X (m), easting / y, lat,\n"
    "latitude, Vĩ độ, Y (m), northing (compared after NFC and case folding, a\n"
    "unit in brackets ignored; Kinh do without accents too); cells may be numbers (105.8534 or 105,8534) or degrees-minutes-\n"
    "seconds (21°01'28.5\"N, 105 51 12 E). A KML/KMZ without layer is read as one\n"
    "layer of all its folders, with a 'folder' field.\n"
    "Coordinates that do not fit the CRS are refused with what to write: degrees\n"
    "that are VN-2000 metres (a .prj saying WGS 84: set srs=), metres that fit\n"
    "only with X and Y exchanged (Vietnamese surveys head the northing X: the\n"
    "x = / y = lines to write), a layer stored latitude first.\n"
    "\n"
    "Writes into the output folder (built under a temporary name, moved into\n"
    "place only when all succeeded and only if nothing appeared there meanwhile;\n"
    "one run per output at a time; GeoPackage/SpatiaLite: one NAME.gpkg/.sqlite).\n"
    "The folder's .ccgis-manifest lists every file ccgis wrote (size, SHA-256):\n"
    "--overwrite replaces a folder only while it holds exactly those, unchanged,\n"
    "and removes only them; anything else in it is named and nothing is touched.\n"
    "An output folder holding a file a source reads (also through /vsizip/,\n"
    "GeoJSON:, GPKG:...) is refused.\n"
    "\n"
    "What it holds:\n"
    "clusters: source fields, plus\n"
    "  area_ha    geodesic area, hectares (WGS 84 ellipsoid)\n"
    "  plan_ha    planar area in plan_crs, hectares (with plan_crs)\n"
    "  district   the district holding the largest share of the cluster\n"
    "  dist_pct   that share, percent (0-100; one name = one district);\n"
    "  n_dist     districts holding at least the tolerance\n"
    "  allow_ha   area on allowed zoning classes only, ha;  confl_ha  on the\n"
    "             others only, ha;  mixed_ha  on zones of both kinds, ha;\n"
    "  nozone_ha  on no classified zone, ha (the four add up to area_ha)\n"
    "  confl_pct  confl_ha / area_ha, percent;  confl_top  class with most conflict\n"
    "  vill_near  craft villages within radius_m metres of the cluster\n"
    "  flags      finding kinds about the cluster, separated by ';'\n"
    "cluster_zones: one polygon per cluster x zoning class: cluster_id, class,\n"
    "  area_m2, area_ha (geodesic), share_pct (of the cluster), allowed (1/0), n_zones\n"
    "districts: source fields, plus n_clusters, clust_ha (ha of the clusters\n"
    "  assigned to it), confl_ha (their conflict ha), n_villages (villages inside)\n"
    "villages: source fields, plus near_id (nearest cluster), near_m (geodesic\n"
    "  metres to its boundary, 0 inside), within (1 if near_m <= radius_m)\n"
    "findings: kind (CLUSTER_OVERLAP, STRADDLES_DISTRICTS, OUTSIDE_DISTRICTS,\n"
    "  ZONING_CONFLICT, ZONING_OVERLAP, ZONING_GAP, ZONE_REPAIRED, ZONE_SKIPPED,\n"
    "  ZONE_UNCLASSIFIED, AREA_MISMATCH, NEEDS_MANUAL_FIX, GEOMETRY_REPAIRED,\n"
    "  GEOMETRY_SKIPPED, WWTP_MISSING, RELOCATION_GAP), layer, subject, other,\n"
    "  area_ha, detail (README: \"How areas are split\")\n"
    "plan_changes (with [plan]): one feature per group of matched clusters:\n"
    "  cluster_id, plan_id, change (unchanged, expanded, reduced, moved, new,\n"
    "  removed, merged, split), area_ha, plan_area_ha, delta_ha, gained_ha,\n"
    "  lost_ha; the land gained and lost. clusters then get change; with\n"
    "  [wastewater] wwtp (compliant, not_compliant, none); flags may hold\n"
    "  NOT_STARTED, NO_PLAN_1500\n"
    "district_status.csv: district, status, n_clusters, area_ha (UTF-8 with a BOM)\n"
    "fields.csv: layer, field, shp_field, unit, meaning -- every field of every layer;\n"
    "  field names are whole in GeoPackage, GeoJSON and SpatiaLite, cut in the\n"
    "  Shapefile (10 bytes: first 10 bytes, never inside a character; if taken,\n"
    "  first 8 + _1, _2 ...); a source field named like a ccgis column of its\n"
    "  layer is written as src_<name>; each renaming is warned about\n"
    "report.md, summary.json: totals, per district, conflicts, villages, findings,\n"
    "  inputs used\n"
    "report.html: report.md's text and every table with the same figures, one file\n"
    "  that opens offline (CSS and SVG inline) and prints on A4; maps drawn by\n"
    "  ccgis: the overview (clusters by conflict share at [style] conflict_breaks,\n"
    "  districts with names, villages) and a locator map per listed conflict\n"
    "  cluster (its land-use pieces by class), with legend, scale bar and north\n"
    "  arrow, on output_crs's plane (else a local equirectangular projection on\n"
    "  WGS 84, true to scale at the map's centre); a bar chart of hectares per\n"
    "  district by status\n"
    "overview.png, overview.svg: the overview map, for report.md and documents\n"
    "NAME.xlsx (NAME: the output folder's name), written whatever formats says:\n"
    "  the report's tables for Excel, one sheet each -- summary, clusters,\n"
    "  districts x status (every district), conflicts by cluster and class,\n"
    "  villages, findings, inputs; Vietnamese headings with units (ha, %, m),\n"
    "  numbers as numbers, totals as formulas\n"
    "<layer>.qml beside .shp/.geojson, layer_styles in .gpkg/.sqlite: each layer's\n"
    "  default QGIS style, made for the job: labels from its id/name fields,\n"
    "  clusters graded by confl_pct at conflict_breaks with a translucent fill,\n"
    "  ccgis's columns aliased with units (\"Diện tích (ha)\")\n"
    ".ccgis-manifest: each file ccgis wrote: size in bytes, SHA-256, path\n"
    "\n"
    "Exit status: 0 success; 1 the analysis found problems and --strict was given;\n"
    "2 bad input or usage (the message names the job file line, file, feature);\n"
    "3 internal error; 130 interrupted: Ctrl-C (or SIGTERM) stops cleanly within a\n"
    "second, no output folder is left; a source that does not answer (a hung\n"
    "database server) is left by ending the process one second later (exit 130, or\n"
    "143 for SIGTERM); a second Ctrl-C ends it at once.\n";

/* Progress: the terminal bar, and the interruption check. */
static int run_progress(double fraction, const char *note, void *arg)
{
    if (cli_interrupt_check(fraction))
        return 0;
    return arg ? cli_progress(fraction, note, NULL) : 1;
}

/* `ccgis run JOB.ini`. */
static int run_run(const cli_command *cmd, const cli_args *args, ccgis_ctx *ctx)
{
    ccgis_job *job = NULL;
    if (ccgis_job_read(ctx, args->pos[0], &job) != CCGIS_OK)
        return cli_fail(ctx);
    int quiet = cli_common(cmd, args, CLI_OPT_QUIET) != NULL;
    int rc = CLI_EXIT_OK;
    if (args->value[OPT_CHECK]) {
        size_t unmet = 0;
        if (ccgis_job_check(ctx, job) != CCGIS_OK ||
            ccgis_job_check_classes(ctx, job, &unmet) != CCGIS_OK)
            rc = cli_fail(ctx);
        else if (unmet && args->value[OPT_STRICT])
            rc = CLI_EXIT_PROBLEMS;
        else if (!quiet)
            fprintf(stderr, "ccgis: %s: the job file and its sources are in order\n",
                    args->pos[0]);
        ccgis_job_free(job);
        return rc;
    }
    cli_interrupt_install(job->output);
    ccgis_run_options o = {args->value[OPT_OVERWRITE] != NULL};
    ccgis_run_summary sum;
    ccgis_status st = ccgis_run(ctx, job, &o, run_progress, quiet ? NULL : (void *)1, &sum);
    int interrupted = cli_interrupted();
    cli_interrupt_remove();
    if (st != CCGIS_OK) {
        if (interrupted)
            fprintf(stderr, "ccgis: interrupted: nothing was written to %s\n", job->output);
        rc = interrupted ? CLI_EXIT_CANCELLED : cli_fail(ctx);
    } else {
        size_t problems = 0;
        for (int k = 0; k < CCGIS_FINDING_KINDS; k++)
            problems += sum.findings[k];
        if (!quiet) {
            fprintf(stderr, "ccgis: %zu clusters analysed; results in %s", sum.n_clusters,
                    job->output);
            const char *sep = "; findings:";
            for (int k = 0; k < CCGIS_FINDING_KINDS; k++)
                if (sum.findings[k]) {
                    fprintf(stderr, "%s %zu %s", sep, sum.findings[k],
                            ccgis_finding_kind_name((ccgis_finding_kind)k));
                    sep = ",";
                }
            fputc('\n', stderr);
        }
        if (problems && args->value[OPT_STRICT])
            rc = CLI_EXIT_PROBLEMS;
        if (args->value[OPT_TIMINGS]) {
            double total = 0;
            fprintf(stderr, "ccgis: timings (wall seconds):");
            for (int p = 0; p < CCGIS_PHASES; p++) {
                fprintf(stderr, " %s %.3f", ccgis_run_phase_name((ccgis_run_phase)p),
                        sum.phase_s[p]);
                total += sum.phase_s[p];
            }
            fprintf(stderr, "; total %.3f; zones read %lld, near a cluster %lld\n", total,
                    sum.zones_read, sum.zones_near);
        }
    }
    ccgis_job_free(job);
    return rc;
}

const cli_command cli_cmd_run = {
    .name = "run",
    .summary = "run a job: clusters vs districts, zoning and villages -> layers and report",
    .synopsis = "JOB.ini [--overwrite] [--strict] [--check]",
    .description = run_description,
    .opts = run_opts,
    .min_pos = 1,
    .max_pos = 1,
    .run = run_run,
};
