/*
 * output.c -- what commands share at their end: writing the result dataset
 * and telling the user what was written and what was found.
 */
#include <stdio.h>

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

/* cli_write_all: see cli.h. */
int cli_write_all(ccgis_ctx *ctx, void *const *results, const char *const *paths, int n,
                  const char *format, int overwrite, const char *t_srs,
                  const ccgis_findings *findings)
{
    ccgis_write_options w = {format, overwrite, t_srs};
    if (ccgis_write_all(ctx, results, paths, n > 0 ? (size_t)n : 0, &w) != CCGIS_OK)
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

/* cli_usage_error: see cli.h. */
int cli_usage_error(const cli_command *cmd, const char *what)
{
    fprintf(stderr, "ccgis %s: error: %s -- see 'ccgis help %s'\n", cmd->name, what, cmd->name);
    return CLI_EXIT_INPUT;
}
