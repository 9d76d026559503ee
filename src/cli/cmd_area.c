/*
 * cmd_area.c -- `ccgis area`: geodesic (and planar) area of every polygon.
 */
#include <stdlib.h>

#include <gdal.h>

#include "cli.h"

enum { OPT_OUTPUT, OPT_LAYER, OPT_SRS, OPT_ID, OPT_PLAN, OPT_FORMAT, OPT_OVERWRITE, OPT_ENCODING,
       OPT_OUT_CRS };

static const cli_opt area_opts[] = {
    [OPT_OUTPUT] = {"--output", 'o', "FILE", "write the result here (format from the extension)"},
    [OPT_LAYER] = {"--layer", 'l', "NAME", "the input layer, when the source has several"},
    [OPT_SRS] = {"--srs", 0, "CRS", "assign this CRS to the input (its .prj is missing or wrong)"},
    [OPT_ID] = {"--id", 0, "FIELD", "field holding a unique id (checked; default: the FID)"},
    [OPT_PLAN] = {"--plan-crs", 0, "CRS", "also give planar area in this projected CRS (plan_ha)"},
    [OPT_FORMAT] = {"--format", 'f', "DRIVER", "GDAL driver to write with, e.g. GPKG"},
    [OPT_OVERWRITE] = {"--overwrite", 0, NULL, "replace FILE if it exists"},
    [OPT_ENCODING] = {"--encoding", 0, "CODE",
                      "attribute text of a shapefile: UTF-8, CP1258, VISCII, TCVN3, VNI, auto"},
    [OPT_OUT_CRS] = {"--t-srs", 0, "CRS", CLI_T_SRS_HELP},
    {NULL, 0, NULL, NULL},
};

static const char area_description[] =
    "Writes the input polygons, repaired where invalid, with their fields and:\n"
    "  area_m2  geodesic area on the WGS 84 ellipsoid, square metres (PROJ's\n"
    "           geod_polygon: holes subtracted, parts summed; = PostGIS\n"
    "           ST_Area(geom::geography))\n"
    "  area_ha  the same in hectares (area_m2 / 10,000)\n"
    "  plan_ha  with --plan-crs: planar area in that CRS, hectares (= PostGIS\n"
    "           ST_Area(ST_Transform(geom, CRS)) / 10,000); EPSG:5897, VN-2000 /\n"
    "           TM-3 105, is the plane of Hanoi's cadastral areas\n"
    "Output geometries are in WGS 84 lon/lat, or in --t-srs (GeoJSON stays WGS 84;\n"
    "area_ha and plan_ha do not change). Invalid polygons are repaired with\n"
    "GEOS MakeValid and reported; NULL or empty geometries and non-polygons are\n"
    "skipped and reported.\n";

/* `ccgis area INPUT -o FILE`. */
static int run_area(const cli_command *cmd, const cli_args *args, ccgis_ctx *ctx)
{
    (void)cmd;
    if (!args->value[OPT_OUTPUT])
        return cli_usage_error(cmd, "missing --output FILE");
    int rc = cli_check_t_srs(cmd, ctx, args->value[OPT_OUT_CRS]);
    if (rc != CLI_EXIT_OK)
        return rc;
    ccgis_area_options o = {
        .input = {.source = args->pos[0],
                  .layer = args->value[OPT_LAYER],
                  .srs = args->value[OPT_SRS],
                  .id_field = args->value[OPT_ID],
                  .role = CCGIS_ROLE_POLYGONS,
                  .what = "input",
                  .encoding = args->value[OPT_ENCODING]},
        .plan_crs = args->value[OPT_PLAN],
    };
    ccgis_findings findings = CCGIS_FINDINGS_INIT;
    void *result = NULL;
    if (ccgis_area(ctx, &o, &findings, &result) != CCGIS_OK)
        rc = cli_fail(ctx);
    else
        rc = cli_write_result(ctx, result, args->value[OPT_OUTPUT], args->value[OPT_FORMAT],
                              args->value[OPT_OVERWRITE] != NULL, args->value[OPT_OUT_CRS],
                              &findings);
    if (result)
        GDALClose(result);
    ccgis_findings_clear(&findings);
    return rc;
}

const cli_command cli_cmd_area = {
    .name = "area",
    .summary = "geodesic area of each polygon (and planar area in a CRS), written to a layer",
    .synopsis = "INPUT --output FILE [--plan-crs CRS] [--id FIELD] [--layer NAME] [--srs CRS]",
    .description = area_description,
    .opts = area_opts,
    .min_pos = 1,
    .max_pos = 1,
    .run = run_area,
};
