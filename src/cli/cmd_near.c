/*
 * cmd_near.c -- `ccgis near`: nearest polygon of each point, points within
 * a radius of each polygon.
 */
#include <math.h>
#include <stdlib.h>

#include <gdal.h>

#include "cli.h"

enum { OPT_RADIUS, OPT_OUTPUT, OPT_TARGETS_OUT, OPT_ID, OPT_TID, OPT_LAYER, OPT_SRS, OPT_TLAYER,
       OPT_TSRS, OPT_FORMAT, OPT_OVERWRITE, OPT_ENCODING, OPT_X, OPT_Y, OPT_WHERE,
       OPT_OUT_CRS };

static const cli_opt near_opts[] = {
    [OPT_RADIUS] = {"--radius", 'r', "M", "radius in metres for 'within' and the counts"},
    [OPT_OUTPUT] = {"--output", 'o', "FILE", "the points with their nearest polygon"},
    [OPT_TARGETS_OUT] = {"--targets-output", 't', "FILE", "also the polygons with their counts"},
    [OPT_ID] = {"--id", 0, "FIELD", "field of POINTS holding a unique id (default: the FID)"},
    [OPT_TID] = {"--targets-id", 0, "FIELD", "field of TARGETS holding a unique id"},
    [OPT_LAYER] = {"--layer", 'l', "NAME", "the POINTS layer, when the source has several"},
    [OPT_SRS] = {"--srs", 0, "CRS", "assign this CRS to POINTS"},
    [OPT_TLAYER] = {"--targets-layer", 0, "NAME", "the TARGETS layer, when it has several"},
    [OPT_TSRS] = {"--targets-srs", 0, "CRS", "assign this CRS to TARGETS"},
    [OPT_FORMAT] = {"--format", 'f', "DRIVER", "GDAL driver to write with, e.g. GPKG"},
    [OPT_OVERWRITE] = {"--overwrite", 0, NULL, "replace output files that exist"},
    [OPT_ENCODING] = {"--encoding", 0, "CODE",
                      "attribute text of a shapefile: UTF-8, CP1258, VISCII, TCVN3, VNI, auto"},
    [OPT_X] = {"--x", 0, "COLUMN", "POINTS is a table: the column of x (longitude, easting)"},
    [OPT_Y] = {"--y", 0, "COLUMN", "POINTS is a table: the column of y (latitude, northing)"},
    [OPT_WHERE] = {"--where", 0, "SQL", "only the POINTS rows meeting this condition"},
    [OPT_OUT_CRS] = {"--t-srs", 0, "CRS", CLI_T_SRS_HELP},
    {NULL, 0, NULL, NULL},
};

static const char near_description[] =
    "For each point of POINTS (e.g. craft villages; a polygon stands for a point\n"
    "on its surface, inside it) finds the nearest polygon of TARGETS (e.g.\n"
    "clusters); on equal distances (inside two overlapping ones) the smaller id.\n"
    "--output gets the points and their fields, plus:\n"
    "  near_id   id of the nearest polygon (--targets-id, or its FID)\n"
    "  near_m    geodesic distance to its boundary on WGS 84, metres; 0 inside\n"
    "            (= PostGIS ST_Distance(point::geography, polygon::geography))\n"
    "  within    1 if near_m <= --radius, else 0\n"
    "--targets-output gets the polygons and their fields, plus:\n"
    "  n_within  points within --radius metres of the polygon\n"
    "            (= PostGIS ST_DWithin(point::geography, polygon::geography, M))\n"
    "POINTS may be a table without geometry (CSV, XLSX, ODS): x and y are read from\n"
    "--x / --y, or from the columns headed x, lon, lng, long, longitude, Kinh độ,\n"
    "X (m), easting and y, lat, latitude, Vĩ độ, Y (m), northing (compared after\n"
    "NFC and case folding, a unit in brackets ignored); cells may be numbers\n"
    "(105.8534, 105,8534) or degrees-minutes-seconds (21°01'28.5\"N, 105 51 12 E);\n"
    "--where keeps the rows meeting an OGR SQL condition; give the CRS with --srs\n"
    "(EPSG:4326 for degrees, vn2000:tm3:105 for TM-3 metres).\n"
    "Coordinates that fit only with x and y exchanged are refused, naming the\n"
    "--x / --y to give (Vietnamese surveys head the northing X).\n"
    "Example: ccgis near shapes/villages.geojson shapes/clusters.shp --id ma_ln\n"
    "         --targets-id ma_ccn --radius 2000 -o villages_near.gpkg\n";

/* `ccgis near POINTS TARGETS --radius M -o FILE`. */
static int run_near(const cli_command *cmd, const cli_args *args, ccgis_ctx *ctx)
{
    const char *const *v = args->value;
    if (!v[OPT_OUTPUT])
        return cli_usage_error(cmd, "missing --output FILE");
    if (!v[OPT_RADIUS])
        return cli_usage_error(cmd, "missing --radius M");
    char *end;
    double radius = strtod(v[OPT_RADIUS], &end);
    if (*end || !isfinite(radius) || radius < 0)
        return cli_usage_error(cmd, "--radius takes a distance in metres, 0 or more");
    int rc = cli_check_t_srs(cmd, ctx, v[OPT_OUT_CRS]);
    if (rc != CLI_EXIT_OK)
        return rc;
    ccgis_layer_spec ps = {.source = args->pos[0],
                           .layer = v[OPT_LAYER],
                           .srs = v[OPT_SRS],
                           .id_field = v[OPT_ID],
                           .role = CCGIS_ROLE_POINTS,
                           .what = "points",
                           .encoding = v[OPT_ENCODING],
                           .where = v[OPT_WHERE],
                           .x_field = v[OPT_X],
                           .y_field = v[OPT_Y]};
    ccgis_layer_spec ts = {.source = args->pos[1],
                           .layer = v[OPT_TLAYER],
                           .srs = v[OPT_TSRS],
                           .id_field = v[OPT_TID],
                           .role = CCGIS_ROLE_POLYGONS,
                           .what = "targets"};
    ccgis_findings findings = CCGIS_FINDINGS_INIT;
    ccgis_layer *points = NULL, *targets = NULL;
    ccgis_near_result *r = NULL;
    void *out[2] = {NULL, NULL};
    if (ccgis_layer_load(ctx, &ps, &findings, &points) != CCGIS_OK ||
        ccgis_layer_load(ctx, &ts, &findings, &targets) != CCGIS_OK ||
        ccgis_near(ctx, points, targets, radius, NULL, NULL, &r) != CCGIS_OK ||
        ccgis_near_points_table(ctx, points, targets, r, &out[0]) != CCGIS_OK ||
        (v[OPT_TARGETS_OUT] && ccgis_near_targets_table(ctx, targets, r, &out[1]) != CCGIS_OK)) {
        rc = cli_fail(ctx);
    } else {
        if (!ccgis_layers_overlap(points, targets))
            fprintf(stderr, "ccgis: warning: %s and %s do not overlap at all in WGS 84 -- one of "
                            "them is probably in the wrong CRS\n",
                    points->source, targets->source);
        const char *paths[2] = {v[OPT_OUTPUT], v[OPT_TARGETS_OUT]};
        rc = cli_write_all(ctx, out, paths, v[OPT_TARGETS_OUT] ? 2 : 1, v[OPT_FORMAT],
                           v[OPT_OVERWRITE] != NULL, v[OPT_OUT_CRS], &findings);
    }
    for (int i = 0; i < 2; i++)
        if (out[i])
            GDALClose(out[i]);
    ccgis_near_result_free(r);
    ccgis_layer_free(ctx, points);
    ccgis_layer_free(ctx, targets);
    ccgis_findings_clear(&findings);
    return rc;
}

const cli_command cli_cmd_near = {
    .name = "near",
    .summary = "nearest polygon and geodesic distance of each point; points within a radius",
    .synopsis = "POINTS TARGETS --radius M --output FILE [--targets-output FILE]",
    .description = near_description,
    .opts = near_opts,
    .min_pos = 2,
    .max_pos = 2,
    .run = run_near,
};
