/*
 * cmd_overlaps.c -- `ccgis overlaps`: polygons of one layer that overlap.
 */
#include <math.h>
#include <stdlib.h>

#include <gdal.h>

#include "cli.h"

enum {
    OPT_OUTPUT,
    OPT_ID,
    OPT_MIN_AREA,
    OPT_LAYER,
    OPT_SRS,
    OPT_FORMAT,
    OPT_OVERWRITE,
    OPT_ENCODING,
    OPT_OUT_CRS
};

/* --min-area when not given: overlaps under 1 m² are counted, not listed. */
#define DEFAULT_MIN_AREA_M2 CCGIS_SLIVER_M2_DEFAULT

static const cli_opt overlaps_opts[] = {
    [OPT_OUTPUT] = {"--output", 'o', "FILE", "write the overlaps (and repairs) here"},
    [OPT_ID] = {"--id", 0, "FIELD", "field holding a unique id (default: the FID)"},
    [OPT_MIN_AREA] = {"--min-area", 0, "M2",
                      "list only overlaps of M2 square metres or more (default 1; 0: all)"},
    [OPT_LAYER] = {"--layer", 'l', "NAME", "the layer, when the source has several"},
    [OPT_SRS] = {"--srs", 0, "CRS", "assign this CRS (.prj missing or wrong)"},
    [OPT_FORMAT] = {"--format", 'f', "DRIVER", "GDAL driver to write with, e.g. GPKG"},
    [OPT_OVERWRITE] = {"--overwrite", 0, NULL, "replace FILE if it exists"},
    [OPT_ENCODING] = {"--encoding", 0, "CODE",
                      "attribute text of a shapefile: UTF-8, CP1258, VISCII, TCVN3, VNI, auto"},
    [OPT_OUT_CRS] = {"--t-srs", 0, "CRS", CLI_T_SRS_HELP},
    {NULL, 0, NULL, NULL},
};

static const char overlaps_description[] =
    "Finds the pairs of polygons of INPUT that share area (polygons drawn over\n"
    "each other) and writes one finding per pair, and per repaired or skipped\n"
    "feature, with its geometry:\n"
    "  kind     OVERLAP, GEOMETRY_REPAIRED or GEOMETRY_SKIPPED\n"
    "  layer    'input'\n"
    "  subject  id of the polygon read first;  other  id of the second\n"
    "  area_ha  geodesic area of the overlap, hectares\n"
    "           (= PostGIS ST_Area(ST_Intersection(a, b)::geography) / 10,000)\n"
    "  detail   one sentence\n"
    "Polygons that only touch are not reported.  Overlaps of less than\n"
    "--min-area square metres (geodesic; default 1 m2, the slivers a shared\n"
    "boundary digitised twice leaves) are not listed but counted: a line on\n"
    "stderr gives how many and their total area.  --min-area 0 lists every\n"
    "overlap.  (`ccgis run` lists every overlap of its clusters, as\n"
    "CLUSTER_OVERLAP.)\n"
    "Example: ccgis overlaps shapes/clusters.shp --id ma_ccn -o overlaps.gpkg\n";

/* Print, unless quiet, how many overlaps --min-area left out and their area. */
static void print_left_out(const ccgis_overlaps_summary *s, double min_area_m2)
{
    if (s->n_small == 0 || cli_is_quiet())
        return;
    char total[32];
    snprintf(total, sizeof total, s->small_m2 >= 1 ? "%.1f" : "%.2g", s->small_m2);
    fprintf(stderr, "ccgis: %zu overlap%s under %.15g m²%s (total %s m²) not listed; "
                    "--min-area 0 lists %s\n",
            s->n_small, s->n_small == 1 ? "" : "s", min_area_m2, s->n_small == 1 ? "" : " each",
            total, s->n_small == 1 ? "it" : "them");
}

/* `ccgis overlaps INPUT -o FILE`. */
static int run_overlaps(const cli_command *cmd, const cli_args *args, ccgis_ctx *ctx)
{
    const char *const *v = args->value;
    if (!v[OPT_OUTPUT])
        return cli_usage_error(cmd, "missing --output FILE");
    ccgis_overlaps_options opts = {CCGIS_OVERLAP, DEFAULT_MIN_AREA_M2};
    if (v[OPT_MIN_AREA]) {
        char *end;
        opts.min_area_m2 = strtod(v[OPT_MIN_AREA], &end);
        if (end == v[OPT_MIN_AREA] || *end || !isfinite(opts.min_area_m2) || opts.min_area_m2 < 0)
            return cli_usage_error(cmd, "--min-area takes an area in square metres, 0 or more");
    }
    int rc = cli_check_t_srs(cmd, ctx, v[OPT_OUT_CRS]);
    if (rc != CLI_EXIT_OK)
        return rc;
    ccgis_overlaps_summary summary = {0, 0, 0.0};
    ccgis_layer_spec in = {.source = args->pos[0],
                           .layer = v[OPT_LAYER],
                           .srs = v[OPT_SRS],
                           .id_field = v[OPT_ID],
                           .role = CCGIS_ROLE_POLYGONS,
                           .what = "input",
                           .encoding = v[OPT_ENCODING]};
    ccgis_findings findings = CCGIS_FINDINGS_INIT;
    ccgis_layer *input = NULL;
    void *out = NULL;
    if (ccgis_layer_load(ctx, &in, &findings, &input) != CCGIS_OK ||
        ccgis_self_overlaps(ctx, input, &opts, NULL, NULL, &findings, &summary) != CCGIS_OK ||
        ccgis_findings_table(ctx, &findings, &out) != CCGIS_OK) {
        rc = cli_fail(ctx);
    } else {
        rc = cli_write_result(ctx, out, v[OPT_OUTPUT], v[OPT_FORMAT], v[OPT_OVERWRITE] != NULL,
                              v[OPT_OUT_CRS], &findings);
        if (rc == CLI_EXIT_OK)
            print_left_out(&summary, opts.min_area_m2);
    }
    if (out)
        GDALClose(out);
    ccgis_layer_free(ctx, input);
    ccgis_findings_clear(&findings);
    return rc;
}

const cli_command cli_cmd_overlaps = {
    .name = "overlaps",
    .summary = "pairs of polygons of one layer that overlap, with the overlap area",
    .synopsis = "INPUT --output FILE [--id FIELD] [--min-area M2]",
    .description = overlaps_description,
    .opts = overlaps_opts,
    .min_pos = 1,
    .max_pos = 1,
    .run = run_overlaps,
};
