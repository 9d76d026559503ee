/*
 * cmd_convert.c -- `ccgis convert`: clean a legacy layer once.
 */
#include <gdal.h>

#include "cli.h"

enum { OPT_OUTPUT, OPT_LAYER, OPT_SRS, OPT_TSRS, OPT_ENCODING, OPT_FORMAT, OPT_OVERWRITE };

static const cli_opt convert_opts[] = {
    [OPT_OUTPUT] = {"--output", 'o', "FILE", "the converted layer (format from the extension)"},
    [OPT_LAYER] = {"--layer", 'l', "NAME", "the layer, when the source has several"},
    [OPT_SRS] = {"--srs", 0, "CRS", "assign this CRS (the .prj is missing or wrong)"},
    [OPT_TSRS] = {"--t-srs", 0, "CRS", "transform to this CRS (e.g. EPSG:4326)"},
    [OPT_ENCODING] = {"--encoding", 0, "CODE",
                      "attribute text: UTF-8, CP1258, VISCII, TCVN3, VNI (default: detected)"},
    [OPT_FORMAT] = {"--format", 'f', "DRIVER", "GDAL driver to write with, e.g. GPKG"},
    [OPT_OVERWRITE] = {"--overwrite", 0, NULL, "replace FILE if it exists"},
    {NULL, 0, NULL, NULL},
};

static const char convert_description[] =
    "Copies every feature of INPUT to --output with:\n"
    "  - attribute text in UTF-8 NFC: decoded from --encoding, or from what the\n"
    "    file declares (.cpg), or from what its bytes read as (TCVN3/ABC, VNI,\n"
    "    VISCII, CP1258; refused when ambiguous: then give --encoding);\n"
    "  - the CRS given with --srs recorded (presets: 'ccgis help crs'), and the\n"
    "    geometry transformed by PROJ to --t-srs when given (VN-2000 goes to\n"
    "    WGS 84 through the registered shift, about 1 m);\n"
    "  - fields and geometry types as they were (curves linearised, M dropped).\n"
    "Example, a district's old layer (TCVN3 names, VN-2000 TM-3, no .prj):\n"
    "  ccgis convert old.shp --srs vn2000:tm3:105 --t-srs EPSG:4326 -o clean.gpkg\n";

/* `ccgis convert INPUT -o FILE`. */
static int run_convert(const cli_command *cmd, const cli_args *args, ccgis_ctx *ctx)
{
    const char *const *v = args->value;
    if (!v[OPT_OUTPUT])
        return cli_usage_error(cmd, "missing --output FILE");
    ccgis_convert_options o = {args->pos[0], v[OPT_LAYER], v[OPT_SRS], v[OPT_TSRS],
                               v[OPT_ENCODING]};
    void *out = NULL;
    long long n = 0;
    int rc;
    if (ccgis_convert(ctx, &o, &out, &n) != CCGIS_OK)
        rc = cli_fail(ctx);
    else
        rc = cli_write_result(ctx, out, v[OPT_OUTPUT], v[OPT_FORMAT], v[OPT_OVERWRITE] != NULL,
                              NULL, NULL); /* --t-srs is done by ccgis_convert */
    if (rc == CLI_EXIT_OK && !cli_is_quiet())
        fprintf(stderr, "ccgis: %lld features written to %s\n", n, v[OPT_OUTPUT]);
    if (out)
        GDALClose(out);
    return rc;
}

const cli_command cli_cmd_convert = {
    .name = "convert",
    .summary = "clean a legacy layer: text to UTF-8, CRS assigned or transformed, any format",
    .synopsis = "INPUT --output FILE [--srs CRS] [--t-srs CRS] [--encoding CODE]",
    .description = convert_description,
    .opts = convert_opts,
    .min_pos = 1,
    .max_pos = 1,
    .run = run_convert,
};
