/*
 * output.c -- what commands share at their end: writing the result dataset
 * and telling the user what was written and what was found.
 */
#include <stdio.h>

#include "cli.h"

/* cli_write_result: see cli.h. */
int cli_write_result(ccgis_ctx *ctx, void *result, const char *path, const char *format,
                     int overwrite, const ccgis_findings *findings)
{
    ccgis_write_options w = {format, overwrite};
    if (ccgis_write(ctx, result, path, &w) != CCGIS_OK)
        return cli_fail(ctx);
    if (findings && findings->n > 0) {
        fprintf(stderr, "ccgis: findings:");
        for (int k = 0; k < CCGIS_FINDING_KINDS; k++) {
            size_t n = ccgis_findings_count(findings, (ccgis_finding_kind)k);
            if (n)
                fprintf(stderr, " %zu %s", n, ccgis_finding_kind_name((ccgis_finding_kind)k));
        }
        fputc('\n', stderr);
    }
    return CLI_EXIT_OK;
}

/* cli_usage_error: see cli.h. */
int cli_usage_error(const cli_command *cmd, const char *what)
{
    fprintf(stderr, "ccgis %s: error: %s -- see 'ccgis help %s'\n", cmd->name, what, cmd->name);
    return CLI_EXIT_INPUT;
}
