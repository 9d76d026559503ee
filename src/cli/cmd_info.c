/*
 * cmd_info.c -- `ccgis info`: what is in a vector source, as text or JSON.
 *
 * Every source is described (ccgis_info) before anything is printed, so a
 * bad source among several gives one error line and no partial listing.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

enum { OPT_LAYER, OPT_SRS, OPT_JSON, OPT_INVALID };

/* Spaces to print after UTF-8 text s to fill `width` columns of a terminal:
 * a character is one column, combining marks (U+0300-U+036F, as in NFD
 * Vietnamese) none, so Vietnamese field names line up. */
static int pad_to(const char *s, int width)
{
    int cols = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned cp = *p;
        int len = 1;
        if (cp >= 0xC0 && cp < 0xE0 && p[1])
            cp = ((cp & 0x1Fu) << 6) | (p[1] & 0x3Fu), len = 2;
        else if (cp >= 0xE0 && cp < 0xF0 && p[1] && p[2])
            cp = ((cp & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu), len = 3;
        else if (cp >= 0xF0 && p[1] && p[2] && p[3])
            len = 4;
        cols += !(cp >= 0x300 && cp <= 0x36F);
        p += len;
    }
    return cols < width ? width - cols : 0;
}

static const cli_opt info_opts[] = {
    [OPT_LAYER] = {"--layer", 'l', "NAME", "describe only this layer of each source"},
    [OPT_SRS] = {"--srs", 0, "CRS", "CRS to assume for layers without one (EPSG:5897, WKT...)"},
    [OPT_JSON] = {"--json", 'j', NULL, "print one JSON document instead of text"},
    [OPT_INVALID] = {"--invalid", 0, "N", "describe up to N invalid geometries per layer (5)"},
    {NULL, 0, NULL, NULL},
};

/* Text of `ccgis help info`. */
static const char info_description[] =
    "Reads every feature of every layer once and prints, per layer:\n"
    "  driver and layer name; features read;\n"
    "  geometry types present, with counts (ISO names, ' Z'/' M' for 3D/measured);\n"
    "  CRS name and EPSG code (declared, or identified by PROJ at >= 90% confidence),\n"
    "    or 'no CRS: pass --srs'; 'CRS problem:' when the coordinates do not fit it\n"
    "    (degrees that are VN-2000 metres, X and Y exchanged, latitude first), with\n"
    "    what to pass (a warning too; no WGS 84 extent is given then);\n"
    "  a table without geometry (CSV, XLSX, ODS): the x / y columns ccgis reads its\n"
    "    rows from (x= / y= in a job, --x / --y for near) and their extent;\n"
    "  extent in the layer's CRS (its units: metres or degrees) and in WGS 84 lon/lat\n"
    "    degrees, from every vertex transformed with PROJ (min x, min y, max x, max y);\n"
    "  fields with their OGR types, width and decimals;\n"
    "  NULL, empty and invalid geometries (GEOS validity rules), with feature id,\n"
    "    GEOS's reason and location of the first invalid ones;\n"
    "  the attribute text encoding and who declares it (.cpg, the DBF, the format).\n"
    "SOURCE is any vector dataset GDAL opens: Shapefile, GeoJSON, GeoPackage, KML, CSV,\n"
    "SpatiaLite, FileGDB, DXF, or a PostGIS connection 'PG:dbname=...'.\n"
    "With --json the same facts are one JSON document: {\"ccgis\": version, \"sources\":\n"
    "[{\"source\", \"driver\", \"layers\": [{\"name\", \"feature_count\", \"declared_geometry_type\",\n"
    "\"geometry_types\": {type: count}, \"crs\": {\"name\", \"epsg\", \"epsg_confidence\",\n"
    "\"assumed\"} or null, \"extent\", \"extent_wgs84\": [minx, miny, maxx, maxy] or null,\n"
    "\"fields\": [{\"name\", \"type\", \"width\", \"precision\"}], \"geometries\": {\"null\",\n"
    "\"empty\", \"invalid\", \"invalid_examples\": [{\"fid\", \"reason\", \"x\", \"y\"}]},\n"
    "\"encoding\": {\"name\" (null if unknown), \"source\"}, \"crs_hint\", \"table\": {\"x\",\n"
    "\"y\"} or null}]}]}.\n";

/* A JSON string of `s`, with any byte sequence that is not UTF-8 replaced by
 * U+FFFD (text of a legacy-encoded layer read without conversion). */
static json_t *json_text(const char *s)
{
    json_t *j = json_string(s);
    if (j)
        return j;
    size_t n = strlen(s);
    char *fixed = malloc(3 * n + 1), *o = fixed;
    if (!fixed)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int len = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3
                                : (*p & 0xF8) == 0xF0 ? 4 : 0;
        int ok = len > 0;
        for (int k = 1; ok && k < len; k++)
            ok = (p[k] & 0xC0) == 0x80;
        if (ok) {
            memcpy(o, p, (size_t)len);
            o += len;
            p += len;
        } else {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            p++;
        }
    }
    *o = '\0';
    j = json_string(fixed); /* still NULL for overlong forms: then give up */
    free(fixed);
    return j;
}

/* A JSON array of the 4 numbers of a box, or null. */
static json_t *json_box(int has, const double b[4])
{
    if (!has)
        return json_null();
    return json_pack("[f, f, f, f]", b[0], b[1], b[2], b[3]);
}

/* A JSON number, or null for NaN. */
static json_t *json_num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

/* The JSON object of one layer. */
static json_t *layer_json(const ccgis_layer_info *li)
{
    json_t *types = json_object();
    for (size_t i = 0; i < li->n_geom_types; i++)
        json_object_set_new(types, li->geom_types[i].name,
                            json_integer((json_int_t)li->geom_types[i].count));
    json_t *crs = li->crs_name ? json_pack("{s:o, s:o, s:i, s:b}", "name", json_text(li->crs_name), "epsg",
                                           li->epsg ? json_integer(li->epsg) : json_null(),
                                           "epsg_confidence", li->epsg_confidence, "assumed",
                                           li->crs_assumed)
                               : json_null();
    json_t *fields = json_array();
    for (size_t i = 0; i < li->n_fields; i++)
        json_array_append_new(fields, json_pack("{s:o, s:s, s:i, s:i}", "name",
                                                json_text(li->fields[i].name), "type", li->fields[i].type,
                                                "width", li->fields[i].width, "precision",
                                                li->fields[i].precision));
    json_t *examples = json_array();
    for (size_t i = 0; i < li->n_invalid_examples; i++) {
        const ccgis_invalid_geom *ex = &li->invalid_examples[i];
        json_array_append_new(examples, json_pack("{s:I, s:s, s:o, s:o}", "fid",
                                                  (json_int_t)ex->fid, "reason", ex->reason, "x",
                                                  json_num(ex->x), "y", json_num(ex->y)));
    }
    return json_pack(
        "{s:o, s:I, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:I, s:I, s:I, s:o}, s:{s:o, s:s}, "
        "s:o}",
        "name",
        json_text(li->name), "feature_count", (json_int_t)li->feature_count, "declared_geometry_type",
        li->declared_geom_type, "geometry_types", types, "crs", crs, "crs_hint",
        li->crs_hint ? json_text(li->crs_hint) : json_null(), "extent",
        json_box(li->has_extent, li->extent), "extent_wgs84",
        json_box(li->has_extent_wgs84, li->extent_wgs84), "fields", fields, "geometries", "null",
        (json_int_t)li->n_null, "empty", (json_int_t)li->n_empty, "invalid",
        (json_int_t)li->n_invalid, "invalid_examples", examples, "encoding", "name",
        li->encoding ? json_string(li->encoding) : json_null(), "source", li->encoding_source,
        "table", li->is_table ? json_pack("{s:o, s:o}", "x", li->x_field ? json_text(li->x_field) : json_null(), "y", li->y_field ? json_text(li->y_field) : json_null()) : json_null());
}

/* Print all descriptions as one JSON document.  Returns 0, or -1 if the
 * document could not be built (out of memory or text that is not UTF-8). */
static int print_json(ccgis_source_info **infos, int n)
{
    json_t *sources = json_array();
    for (int s = 0; s < n; s++) {
        json_t *layers = json_array();
        for (size_t i = 0; i < infos[s]->n_layers; i++)
            json_array_append_new(layers, layer_json(&infos[s]->layers[i]));
        json_array_append_new(sources, json_pack("{s:o, s:s, s:o}", "source", json_text(infos[s]->source),
                                                 "driver", infos[s]->driver, "layers", layers));
    }
    json_t *doc = json_pack("{s:s, s:o}", "ccgis", ccgis_version(), "sources", sources);
    if (!doc)
        return -1;
    int rc = json_dumpf(doc, stdout, JSON_INDENT(2)) == 0 ? 0 : -1;
    fputc('\n', stdout);
    json_decref(doc);
    return rc;
}

/* Print one layer as text.  Metres get 3 decimals (1 mm), degrees 7 (1 cm). */
static void print_layer_text(const ccgis_layer_info *li)
{
    printf("  layer '%s': %lld feature%s\n", li->name, li->feature_count,
           li->feature_count == 1 ? "" : "s");
    printf("    geometry: declared %s;", li->declared_geom_type);
    if (li->n_geom_types == 0)
        printf(" none present");
    for (size_t i = 0; i < li->n_geom_types; i++)
        printf("%s %s %lld", i ? "," : "", li->geom_types[i].name, li->geom_types[i].count);
    printf("\n");
    int deg = 0;
    if (li->crs_name) {
        printf("    CRS: %s", li->crs_name);
        if (li->epsg)
            printf(" (EPSG:%d%s)", li->epsg, li->epsg_confidence < 100 ? ", identified" : "");
        printf("%s\n", li->crs_assumed ? " [assumed: --srs]" : "");
        deg = li->crs_geographic;
        if (li->crs_hint)
            printf("    CRS problem: %s\n", li->crs_hint);
    } else if (li->is_table) {
        printf("    CRS: none -- %s\n", li->crs_hint);
    } else {
        printf("    CRS: none -- no CRS: pass --srs\n");
        if (li->crs_hint)
            printf("    CRS hint: %s\n", li->crs_hint);
    }
    if (li->has_extent && li->is_table)
        printf("    extent of %s, %s: %.7g %.7g %.7g %.7g (min x, min y, max x, max y)\n",
               li->x_field, li->y_field, li->extent[0], li->extent[1], li->extent[2],
               li->extent[3]);
    else if (li->has_extent)
        printf(deg ? "    extent: %.7f %.7f %.7f %.7f (min x, min y, max x, max y)\n"
                   : "    extent: %.3f %.3f %.3f %.3f (min x, min y, max x, max y)\n",
               li->extent[0], li->extent[1], li->extent[2], li->extent[3]);
    else
        printf("    extent: none (no coordinates)\n");
    if (li->has_extent_wgs84)
        printf("    extent WGS 84: %.7f %.7f %.7f %.7f (min lon, min lat, max lon, max lat)\n",
               li->extent_wgs84[0], li->extent_wgs84[1], li->extent_wgs84[2],
               li->extent_wgs84[3]);
    printf("    encoding: %s (%s)\n", li->encoding ? li->encoding : "unknown",
           li->encoding_source);
    printf("    geometries: %lld NULL, %lld empty, %lld invalid\n", li->n_null, li->n_empty,
           li->n_invalid);
    for (size_t i = 0; i < li->n_invalid_examples; i++) {
        const ccgis_invalid_geom *ex = &li->invalid_examples[i];
        printf("      feature %lld: %s", ex->fid, ex->reason);
        if (isfinite(ex->x))
            printf(deg ? " at %.7f %.7f" : " at %.3f %.3f", ex->x, ex->y);
        printf("\n");
    }
    if (li->n_invalid > (long long)li->n_invalid_examples)
        printf("      ... and %lld more (--invalid N shows more)\n",
               li->n_invalid - (long long)li->n_invalid_examples);
    printf("    fields (%zu):\n", li->n_fields);
    for (size_t i = 0; i < li->n_fields; i++) {
        const ccgis_field_info *f = &li->fields[i];
        printf("      %s%*s %s", f->name, pad_to(f->name, 20), "", f->type);
        if (f->width > 0 && f->precision > 0)
            printf("(%d.%d)", f->width, f->precision);
        else if (f->width > 0)
            printf("(%d)", f->width);
        printf("\n");
    }
}

/* `ccgis info SOURCE...`. */
static int run_info(const cli_command *cmd, const cli_args *args, ccgis_ctx *ctx)
{
    (void)cmd;
    ccgis_info_options opts = {args->value[OPT_LAYER], args->value[OPT_SRS], 0};
    if (args->value[OPT_INVALID]) {
        char *end;
        long n = strtol(args->value[OPT_INVALID], &end, 10);
        if (*end || n < 1 || n > 100000) {
            fprintf(stderr, "ccgis info: error: --invalid takes a whole number from 1 to 100000, "
                            "not '%s'\n",
                    args->value[OPT_INVALID]);
            return CLI_EXIT_INPUT;
        }
        opts.max_invalid_examples = (int)n;
    }
    int quiet = cli_common(cmd, args, CLI_OPT_QUIET) != NULL;
    ccgis_source_info **infos = calloc((size_t)args->npos, sizeof *infos);
    if (!infos)
        return CLI_EXIT_INTERNAL;
    int rc = CLI_EXIT_OK;
    for (int i = 0; i < args->npos && rc == CLI_EXIT_OK; i++)
        if (ccgis_info(ctx, args->pos[i], &opts, quiet ? NULL : cli_progress, NULL, &infos[i]) !=
            CCGIS_OK)
            rc = cli_fail(ctx);

    if (rc == CLI_EXIT_OK && args->value[OPT_JSON]) {
        if (print_json(infos, args->npos) != 0) {
            fprintf(stderr, "ccgis info: error: cannot build the JSON document (out of memory, "
                            "or text that is not UTF-8 -- see 'ccgis info' without --json)\n");
            rc = CLI_EXIT_INTERNAL;
        }
    } else if (rc == CLI_EXIT_OK) {
        for (int i = 0; i < args->npos; i++) {
            printf("%s%s (%s)\n", i ? "\n" : "", infos[i]->source, infos[i]->driver);
            for (size_t l = 0; l < infos[i]->n_layers; l++)
                print_layer_text(&infos[i]->layers[l]);
        }
    }
    for (int i = 0; i < args->npos; i++)
        ccgis_source_info_free(infos[i]);
    free(infos);
    return rc;
}

const cli_command cli_cmd_info = {
    .name = "info",
    .summary = "describe vector sources: layers, counts, CRS, extent, fields, invalid geometries",
    .synopsis = "SOURCE [SOURCE...] [--layer NAME] [--srs CRS] [--json]",
    .description = info_description,
    .opts = info_opts,
    .min_pos = 1,
    .max_pos = -1,
    .run = run_info,
};
