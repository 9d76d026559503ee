/*
 * output.c -- what commands share at their end: writing the result dataset
 * and telling the user what was written and what was found.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

/* Print the one-line summary of findings by kind on stderr. */
static void print_findings_summary(const ccgis_findings *findings)
{
    if (findings && findings->n > 0 && !cli_is_quiet()) {
        fprintf(stderr, "ccgis: findings:");
        for (int k = 0; k < CCGIS_FINDING_KINDS; k++) {
            size_t n = ccgis_findings_count(findings, (ccgis_finding_kind)k);
            if (n)
                fprintf(stderr, " %zu %s", n, ccgis_finding_kind_name((ccgis_finding_kind)k));
        }
        fputc('\n', stderr);
    }
}

/* cli_write_result: see cli.h. */
int cli_write_result(ccgis_ctx *ctx, void *result, const char *path, const char *format,
                     int overwrite, const char *t_srs, const ccgis_findings *findings)
{
    return cli_write_all(ctx, &result, &path, 1, format, overwrite, t_srs, findings);
}

/* cli_write_all: see cli.h.  Ctrl-C (SIGINT) or SIGTERM while writing
 * stops GDAL after the feature it is writing (ccgis_interrupt_request, by
 * interrupt.c); the library removes what it wrote and the command exits 130. */
int cli_write_all(ccgis_ctx *ctx, void *const *results, const char *const *paths, int n,
                  const char *format, int overwrite, const char *t_srs,
                  const ccgis_findings *findings)
{
    ccgis_write_options w = {format, overwrite, t_srs};
    cli_interrupt_install(n > 0 ? paths[0] : "");
    cli_interrupt_writing();
    ccgis_status st = ccgis_write_all(ctx, results, paths, n > 0 ? (size_t)n : 0, &w);
    int interrupted = cli_interrupted();
    cli_interrupt_remove();
    if (st != CCGIS_OK && interrupted) {
        cli_flush_messages();
        fprintf(stderr, "ccgis: interrupted: nothing was written to %s", n > 0 ? paths[0] : "");
        for (int i = 1; i < n; i++)
            fprintf(stderr, " or %s", paths[i]);
        fputc('\n', stderr);
        return CLI_EXIT_CANCELLED;
    }
    if (st != CCGIS_OK)
        return cli_fail(ctx);
    print_findings_summary(findings);
    return CLI_EXIT_OK;
}

/* cli_check_t_srs: see cli.h. */
int cli_check_t_srs(const cli_command *cmd, ccgis_ctx *ctx, const char *t_srs)
{
    ccgis_crs *crs = NULL;
    if (!t_srs)
        return CLI_EXIT_OK;
    if (ccgis_crs_for_output(ctx, t_srs, &crs) != CCGIS_OK) {
        char what[1100];
        snprintf(what, sizeof what, "--t-srs: %s", ccgis_errmsg(ctx));
        return cli_usage_error(cmd, what);
    }
    ccgis_crs_free(crs);
    return CLI_EXIT_OK;
}

/* cli_check_outputs: see cli.h. */
int cli_check_outputs(const cli_command *cmd, const cli_args *args)
{
    char file[PATH_MAX];
    for (int k = 0; cmd->opts[k].name; k++) {
        const char *out = args->value[k];
        if (!out || !cmd->opts[k].metavar || strcmp(cmd->opts[k].metavar, "FILE") != 0)
            continue;
        for (int i = 0; i < args->npos; i++) {
            const char *src = args->pos[i];
            if (!ccgis_outdir_replaces(out, src, file, sizeof file))
                continue;
            struct stat sb;
            if (stat(file, &sb) == 0 && S_ISDIR(sb.st_mode))
                fprintf(stderr,
                        "ccgis: error: %s: is in the folder %s, which the input %s reads -- "
                        "choose another output name or folder\n",
                        out, file, src);
            else if (strcmp(out, src) == 0)
                fprintf(stderr,
                        "ccgis: error: %s: is also the input -- writing it would replace the "
                        "data being read; choose another output name\n",
                        out);
            else
                fprintf(stderr,
                        "ccgis: error: %s: would replace %s, which the input %s reads -- "
                        "choose another output name\n",
                        out, file, src);
            return CLI_EXIT_INPUT;
        }
    }
    return CLI_EXIT_OK;
}

/* cli_usage_error: see cli.h. */
int cli_usage_error(const cli_command *cmd, const char *what)
{
    fprintf(stderr, "ccgis %s: error: %s -- see 'ccgis help %s'\n", cmd->name, what, cmd->name);
    return CLI_EXIT_INPUT;
}
