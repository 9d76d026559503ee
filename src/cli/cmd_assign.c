/*
 * cmd_assign.c -- `ccgis assign`: the district (zone) of each polygon.
 */
#include <gdal.h>

#include "cli.h"

enum { OPT_NAME, OPT_OUTPUT, OPT_ID, OPT_LAYER, OPT_SRS, OPT_ZLAYER, OPT_ZSRS, OPT_FORMAT,
       OPT_OVERWRITE, OPT_ENCODING, OPT_OUT_CRS };

static const cli_opt assign_opts[] = {
    [OPT_NAME] = {"--name", 'n', "FIELD", "field of ZONES naming each zone"},
    [OPT_OUTPUT] = {"--output", 'o', "FILE", "the input polygons with their zone"},
    [OPT_ID] = {"--id", 0, "FIELD", "field of INPUT holding a unique id (default: the FID)"},
    [OPT_LAYER] = {"--layer", 'l', "NAME", "the INPUT layer, when the source has several"},
    [OPT_SRS] = {"--srs", 0, "CRS", "assign this CRS to INPUT (.prj missing or wrong)"},
    [OPT_ZLAYER] = {"--zones-layer", 0, "NAME", "the ZONES layer, when it has several"},
    [OPT_ZSRS] = {"--zones-srs", 0, "CRS", "assign this CRS to ZONES"},
    [OPT_FORMAT] = {"--format", 'f', "DRIVER", "GDAL driver to write with, e.g. GPKG"},
    [OPT_OVERWRITE] = {"--overwrite", 0, NULL, "replace FILE if it exists"},
    [OPT_ENCODING] = {"--encoding", 0, "CODE",
                      "attribute text of a shapefile: UTF-8, CP1258, VISCII, TCVN3, VNI, auto"},
    [OPT_OUT_CRS] = {"--t-srs", 0, "CRS", CLI_T_SRS_HELP},
    {NULL, 0, NULL, NULL},
};

static const char assign_description[] =
    "Gives each INPUT polygon (e.g. a cluster) the ZONES feature (e.g. a district)\n"
    "holding the largest share of its geodesic area. --output gets the INPUT\n"
    "polygons and fields, plus:\n"
    "  zone      the --name value of that zone (empty when it lies in none)\n"
    "  zone_pct  that zone's share of the polygon's area, percent (0-100)\n"
    "  n_zones   how many zones it touches, not counting slivers under 1 m2\n"
    "Areas are geodesic on WGS 84 (as PostGIS ST_Area(... ::geography)).\n"
    "Polygons in several zones are reported as STRADDLES_DISTRICTS with their\n"
    "shares, polygons in none as OUTSIDE_DISTRICTS. ZONES is streamed.\n"
    "Example: ccgis assign shapes/clusters.shp shapes/districts.gpkg --id ma_ccn\n"
    "         --name ten -o clusters_districts.gpkg\n";

/* `ccgis assign INPUT ZONES --name FIELD -o FILE`. */
static int run_assign(const cli_command *cmd, const cli_args *args, ccgis_ctx *ctx)
{
    const char *const *v = args->value;
    if (!v[OPT_OUTPUT])
        return cli_usage_error(cmd, "missing --output FILE");
    if (!v[OPT_NAME])
        return cli_usage_error(cmd, "missing --name FIELD");
    int rc = cli_check_t_srs(cmd, ctx, v[OPT_OUT_CRS]);
    if (rc != CLI_EXIT_OK)
        return rc;
    ccgis_layer_spec in = {.source = args->pos[0],
                           .layer = v[OPT_LAYER],
                           .srs = v[OPT_SRS],
                           .id_field = v[OPT_ID],
                           .role = CCGIS_ROLE_POLYGONS,
                           .what = "input",
                           .encoding = v[OPT_ENCODING]};
    ccgis_layer_spec zones = {.source = args->pos[1],
                              .layer = v[OPT_ZLAYER],
                              .srs = v[OPT_ZSRS],
                              .role = CCGIS_ROLE_POLYGONS,
                              .what = "zones"};
    ccgis_findings findings = CCGIS_FINDINGS_INIT;
    ccgis_layer *input = NULL;
    ccgis_assign_result *r = NULL;
    void *out = NULL;
    int quiet = cli_common(cmd, args, CLI_OPT_QUIET) != NULL;
    if (ccgis_layer_load(ctx, &in, &findings, &input) != CCGIS_OK ||
        ccgis_assign(ctx, input, &zones, v[OPT_NAME], CCGIS_SLIVER_DEFAULT,
                     CCGIS_SLIVER_M2_DEFAULT, &findings, quiet ? NULL : cli_progress, NULL,
                     &r) != CCGIS_OK ||
        ccgis_assign_table(ctx, input, r, &out) != CCGIS_OK)
        rc = cli_fail(ctx);
    else
        rc = cli_write_result(ctx, out, v[OPT_OUTPUT], v[OPT_FORMAT], v[OPT_OVERWRITE] != NULL,
                              v[OPT_OUT_CRS], &findings);
    if (out)
        GDALClose(out);
    ccgis_assign_result_free(r);
    ccgis_layer_free(ctx, input);
    ccgis_findings_clear(&findings);
    return rc;
}

const cli_command cli_cmd_assign = {
    .name = "assign",
    .summary = "the zone (district) holding the largest share of each polygon",
    .synopsis = "INPUT ZONES --name FIELD --output FILE [--id FIELD]",
    .description = assign_description,
    .opts = assign_opts,
    .min_pos = 2,
    .max_pos = 2,
    .run = run_assign,
};
