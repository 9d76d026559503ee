/*
 * main.c -- the ccgis command: the command table, dispatch, `help`, exit codes.
 *
 * Each command lives in cmd_<name>.c and is listed once in `commands` below;
 * `ccgis help` and `ccgis help CMD` are generated from that table and the
 * commands' option tables.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const cli_command *const commands[] = {
    &cli_cmd_run,
    &cli_cmd_info,
    &cli_cmd_area,
    &cli_cmd_overlay,
    &cli_cmd_assign,
    &cli_cmd_near,
    &cli_cmd_overlaps,
    &cli_cmd_convert,
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

/* Print the list of commands to `to`. */
static void print_usage(FILE *to)
{
    fprintf(to, "usage: ccgis COMMAND [ARGS...] [OPTIONS]\n\n"
                "ccgis checks Hanoi's industrial clusters against districts, zoning and craft "
                "villages.\n\ncommands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(to, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(to, "  %-10s %s\n\n", "help",
            "help on a command: ccgis help COMMAND; the CRS presets: ccgis help crs");
    fprintf(to, "ccgis --version prints the versions of ccgis, GDAL, PROJ and GEOS.\n"
                "exit status: 0 success, 2 bad input or usage, 3 internal error,\n"
                "130 interrupted.\n");
}

/* The command called `name`, or NULL. */
static const cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

/* `ccgis help [COMMAND]`. */
static int run_help(int argc, char **argv)
{
    if (argc == 0 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0 ||
        strcmp(argv[0], "help") == 0) {
        print_usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(argv[0], "crs") == 0) {
        size_t n;
        const ccgis_crs_preset *p = ccgis_crs_presets(&n);
        printf("Anywhere a CRS is asked for (--srs, srs=, plan_crs=, --plan-crs, output_crs=,\n"
               "--t-srs) ccgis takes an EPSG code (EPSG:5897), WKT, a PROJ string, or one of\n"
               "these presets:\n\n");
        for (size_t i = 0; i < n; i++)
            printf("  %-20s EPSG:%-5d %s\n", p[i].name, p[i].epsg, p[i].description);
        printf("\nA TM-3 meridian may also be written 105.5 or 105:30. VN-2000 layers are\n"
               "placed in WGS 84 through the registered 7-parameter shift (EPSG:6960, about\n"
               "1 m); a .prj that names VN-2000 without it puts Hanoi about 200 m off.\n");
        return CLI_EXIT_OK;
    }
    const cli_command *cmd = find_command(argv[0]);
    if (!cmd) {
        fprintf(stderr, "ccgis: error: no command '%s' -- 'ccgis help' lists them\n", argv[0]);
        return CLI_EXIT_INPUT;
    }
    cli_print_help(cmd, stdout);
    return CLI_EXIT_OK;
}

/* Parse the command's arguments, set up a context, run it. */
static int run_command(const cli_command *cmd, int argc, char **argv)
{
    cli_args args;
    char err[256];
    if (cli_parse(cmd, argc, argv, &args, err, sizeof err) != 0) {
        fprintf(stderr, "ccgis %s: error: %s -- see 'ccgis help %s'\n", cmd->name, err,
                cmd->name);
        return CLI_EXIT_INPUT;
    }
    if (cli_common(cmd, &args, CLI_OPT_HELP)) {
        cli_print_help(cmd, stdout);
        return CLI_EXIT_OK;
    }
    int apart = cli_check_outputs(cmd, &args); /* before anything is read */
    if (apart != CLI_EXIT_OK)
        return apart;
    ccgis_ctx *ctx = ccgis_ctx_new();
    if (!ctx) {
        fprintf(stderr, "ccgis: error: cannot start: out of memory\n");
        return CLI_EXIT_INTERNAL;
    }
    ccgis_ctx_set_message_handler(ctx, cli_print_message, NULL);
    const char *v = cli_common(cmd, &args, CLI_OPT_VERBOSE);
    if (cli_common(cmd, &args, CLI_OPT_QUIET)) {
        ccgis_ctx_set_verbosity(ctx, CCGIS_ERROR);
        cli_set_quiet(1);
    }
    else if (v) {
        ccgis_ctx_set_verbosity(ctx, strcmp(v, "1") == 0 ? CCGIS_INFO : CCGIS_DEBUG);
        cli_show_all_messages();
    }
    const char *jobs = cli_common(cmd, &args, CLI_OPT_JOBS);
    if (jobs) {
        char *end;
        long n = strtol(jobs, &end, 10);
        if (*end || n < 1 || n > 256) {
            ccgis_ctx_free(ctx);
            return cli_usage_error(cmd, "--jobs takes a whole number from 1 to 256");
        }
        ccgis_ctx_set_threads(ctx, (int)n);
    }
    int rc = cmd->run(cmd, &args, ctx);
    cli_flush_messages();
    ccgis_ctx_free(ctx);
    return rc;
}

int main(int argc, char **argv)
{
    /* Past a file-size limit (ulimit -f) writes must fail with EFBIG, which
     * GDAL reports and ccgis cleans up after, rather than kill the process. */
    signal(SIGXFSZ, SIG_IGN);
    if (argc < 2) {
        print_usage(stderr);
        return CLI_EXIT_INPUT;
    }
    const char *name = argv[1];
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("ccgis %s (%s)\n", ccgis_version(), ccgis_library_versions());
        return CLI_EXIT_OK;
    }
    if (strcmp(name, "help") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
        return run_help(argc - 2, argv + 2);
    const cli_command *cmd = find_command(name);
    if (!cmd) {
        fprintf(stderr, "ccgis: error: no command '%s' -- 'ccgis help' lists them\n", name);
        return CLI_EXIT_INPUT;
    }
    return run_command(cmd, argc - 2, argv + 2);
}
