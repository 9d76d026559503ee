/*
 * cmd_overlay.c -- `ccgis overlay`: how much of each polygon lies on each
 * class of an overlay layer (zoning), and how much of it is in conflict.
 */
#include <stdlib.h>
#include <string.h>

#include <gdal.h>

#include "cli.h"

enum {
    OPT_CLASS, OPT_ALLOWED, OPT_OUTPUT, OPT_PIECES, OPT_ID, OPT_LAYER, OPT_SRS, OPT_ZLAYER,
    OPT_ZSRS, OPT_FORMAT, OPT_OVERWRITE, OPT_ENCODING, OPT_OUT_CRS
};

static const cli_opt overlay_opts[] = {
    [OPT_CLASS] = {"--class", 'c', "FIELD", "field of OVERLAY whose value classifies each zone"},
    [OPT_ALLOWED] = {"--allowed", 'a', "LIST", "comma-separated classes that are no conflict"},
    [OPT_OUTPUT] = {"--output", 'o', "FILE", "the input polygons with their totals"},
    [OPT_PIECES] = {"--pieces", 'p', "FILE", "also write the pieces: one per input x class"},
    [OPT_ID] = {"--id", 0, "FIELD", "field of INPUT holding a unique id (default: the FID)"},
    [OPT_LAYER] = {"--layer", 'l', "NAME", "the INPUT layer, when the source has several"},
    [OPT_SRS] = {"--srs", 0, "CRS", "assign this CRS to INPUT (.prj missing or wrong)"},
    [OPT_ZLAYER] = {"--overlay-layer", 0, "NAME", "the OVERLAY layer, when it has several"},
    [OPT_ZSRS] = {"--overlay-srs", 0, "CRS", "assign this CRS to OVERLAY"},
    [OPT_FORMAT] = {"--format", 'f', "DRIVER", "GDAL driver to write with, e.g. GPKG"},
    [OPT_OVERWRITE] = {"--overwrite", 0, NULL, "replace output files that exist"},
    [OPT_ENCODING] = {"--encoding", 0, "CODE",
                      "attribute text of a shapefile: UTF-8, CP1258, VISCII, TCVN3, VNI, auto"},
    [OPT_OUT_CRS] = {"--t-srs", 0, "CRS", CLI_T_SRS_HELP},
    {NULL, 0, NULL, NULL},
};

static const char overlay_description[] =
    "Intersects every INPUT polygon (e.g. clusters) with the OVERLAY polygons\n"
    "(e.g. land-use zones: streamed, never held whole; a spatial index is used\n"
    "where the source has one) and measures the pieces on the WGS 84 ellipsoid.\n"
    "--output gets the INPUT polygons and fields, plus:\n"
    "  area_ha    geodesic area of the input polygon, hectares\n"
    "  allow_ha   its area on --allowed classes only, hectares\n"
    "  confl_ha   its area on other classes only (conflict), hectares\n"
    "  mixed_ha   its area on zones of both kinds (overlapping zones), hectares\n"
    "  nozone_ha  its area on no classified zone, hectares\n"
    "             (allow_ha + confl_ha + mixed_ha + nozone_ha = area_ha)\n"
    "  confl_pct  confl_ha / area_ha x 100, percent\n"
    "  confl_top  the other class with the largest piece (empty if none)\n"
    "--pieces gets one polygon per input x class:\n"
    "  in_id      the input's id (--id, or its FID)\n"
    "  class      the class, as the first zone read spells it\n"
    "  area_m2    geodesic area of the piece, square metres; area_ha: hectares\n"
    "  share_pct  the piece's share of the input's area, percent\n"
    "  allowed    1 if the class is in --allowed, else 0\n"
    "  n_zones    OVERLAY features the piece is made of\n"
    "A piece's area is PostGIS ST_Area(ST_Union(ST_Intersection(input, zone))\n"
    "::geography) over the class's zones: overlapping zones are counted once.\n"
    "Classes are trimmed and compared case-insensitively; a blank or NULL class\n"
    "counts as no zone. Invalid polygons are repaired (GEOS MakeValid) and\n"
    "reported.\n"
    "Example: ccgis overlay shapes/clusters.shp shapes/landuse.gpkg --id ma_ccn\n"
    "         --class loai_dat --allowed SKN,SKC,SKK -o conflicts.gpkg -p pieces.gpkg\n";

/* Split "SKN, SKC,SKK" into a NULL-terminated list; *buf owns the text. */
static char **split_list(const char *text, char **buf)
{
    size_t n = 1;
    for (const char *p = text; *p; p++)
        n += *p == ',';
    char **list = calloc(n + 1, sizeof *list);
    *buf = strdup(text);
    if (!list || !*buf) {
        free(list);
        free(*buf);
        *buf = NULL;
        return NULL;
    }
    size_t k = 0;
    for (char *tok = strtok(*buf, ","); tok; tok = strtok(NULL, ",")) {
        while (*tok == ' ')
            tok++;
        char *end = tok + strlen(tok);
        while (end > tok && end[-1] == ' ')
            *--end = '\0';
        if (*tok)
            list[k++] = tok;
    }
    return list;
}

/* `ccgis overlay INPUT OVERLAY --class FIELD -o FILE`. */
static int run_overlay(const cli_command *cmd, const cli_args *args, ccgis_ctx *ctx)
{
    const char *const *v = args->value;
    if (!v[OPT_OUTPUT])
        return cli_usage_error(cmd, "missing --output FILE");
    if (!v[OPT_CLASS])
        return cli_usage_error(cmd, "missing --class FIELD");
    int rc = cli_check_t_srs(cmd, ctx, v[OPT_OUT_CRS]);
    if (rc != CLI_EXIT_OK)
        return rc;
    char *allowed_text = NULL;
    char **allowed = v[OPT_ALLOWED] ? split_list(v[OPT_ALLOWED], &allowed_text) : NULL;
    if (v[OPT_ALLOWED] && !allowed)
        return CLI_EXIT_INTERNAL;
    ccgis_layer_spec in = {.source = args->pos[0],
                           .layer = v[OPT_LAYER],
                           .srs = v[OPT_SRS],
                           .id_field = v[OPT_ID],
                           .role = CCGIS_ROLE_POLYGONS,
                           .what = "input",
                           .encoding = v[OPT_ENCODING]};
    ccgis_overlay_options o = {
        .zones = {.source = args->pos[1],
                  .layer = v[OPT_ZLAYER],
                  .srs = v[OPT_ZSRS],
                  .role = CCGIS_ROLE_POLYGONS,
                  .what = "zones"},
        .class_field = v[OPT_CLASS],
        .allowed = (const char *const *)allowed,
        .sliver = CCGIS_SLIVER_DEFAULT,
        .sliver_m2 = CCGIS_SLIVER_M2_DEFAULT,
    };
    ccgis_findings findings = CCGIS_FINDINGS_INIT;
    ccgis_layer *input = NULL;
    ccgis_overlay_result *r = NULL;
    void *out[2] = {NULL, NULL};
    int quiet = cli_common(cmd, args, CLI_OPT_QUIET) != NULL;

    if (ccgis_layer_load(ctx, &in, &findings, &input) != CCGIS_OK ||
        ccgis_overlay(ctx, input, &o, quiet ? NULL : cli_progress, NULL, &r) != CCGIS_OK ||
        ccgis_overlay_table(ctx, input, r, &out[0]) != CCGIS_OK ||
        (v[OPT_PIECES] && ccgis_pieces_table(ctx, input, r, "pieces", "in_id", &out[1]) != CCGIS_OK)) {
        rc = cli_fail(ctx);
    } else {
        const char *paths[2] = {v[OPT_OUTPUT], v[OPT_PIECES]};
        rc = cli_write_all(ctx, out, paths, v[OPT_PIECES] ? 2 : 1, v[OPT_FORMAT],
                           v[OPT_OVERWRITE] != NULL, v[OPT_OUT_CRS], &findings);
    }
    for (int i = 0; i < 2; i++)
        if (out[i])
            GDALClose(out[i]);
    ccgis_overlay_result_free(r);
    ccgis_layer_free(ctx, input);
    ccgis_findings_clear(&findings);
    free(allowed);
    free(allowed_text);
    return rc;
}

const cli_command cli_cmd_overlay = {
    .name = "overlay",
    .summary = "area of each polygon on each class of a zoning layer; conflict area and share",
    .synopsis = "INPUT OVERLAY --class FIELD [--allowed LIST] --output FILE [--pieces FILE]",
    .description = overlay_description,
    .opts = overlay_opts,
    .min_pos = 2,
    .max_pos = 2,
    .run = run_overlay,
};
