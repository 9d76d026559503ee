/*
 * cli.h -- what the files of the ccgis command-line tool share.
 *
 * The tool is a thin shell over the library: main.c holds the command table
 * and maps failures to exit codes; opts.c parses argv against a command's
 * option table and generates its help from the same table, so help cannot
 * drift from parsing; term.c prints messages and progress on stderr;
 * cmd_<name>.c is one command each.  Only these files print or exit.
 */
#ifndef CCGIS_CLI_H
#define CCGIS_CLI_H

#include <stdio.h>

#include "ccgis/ccgis.h"

/* Exit codes: a contract, documented in `ccgis help`. */
enum {
    CLI_EXIT_OK = 0,       /* success */
    CLI_EXIT_PROBLEMS = 1, /* the analysis found problems and --strict was given */
    CLI_EXIT_INPUT = 2,    /* bad input or usage: the message says what to fix */
    CLI_EXIT_INTERNAL = 3, /* internal error: out of memory or a bug */
    CLI_EXIT_CANCELLED = 130 /* interrupted (Ctrl-C, SIGTERM): 128 + SIGINT, as shells say */
};

#define CLI_MAX_OPTS 24

/* One option of a command.  A NULL metavar makes a flag without value. */
typedef struct cli_opt {
    const char *name;    /* long name with dashes: "--layer" */
    char short_name;     /* e.g. 'q', or 0 */
    const char *metavar; /* "NAME", or NULL for a flag; "FILE" marks an output
                            (main.c refuses one that would replace an input) */
    const char *help;    /* one line */
} cli_opt;

/* The parsed command line of one command. */
typedef struct cli_args {
    const char *value[CLI_MAX_OPTS]; /* by option index: its value, "1" for a set flag, or NULL */
    char **pos;                      /* positional arguments (borrowed from argv) */
    int npos;
} cli_args;

struct cli_command;
typedef int (*cli_run_fn)(const struct cli_command *cmd, const cli_args *args, ccgis_ctx *ctx);

/* One command of the tool. */
typedef struct cli_command {
    const char *name;        /* "info" */
    const char *summary;     /* one line, for the command list */
    const char *synopsis;    /* "SOURCE [SOURCE...] [options]" */
    const char *description; /* paragraphs: what it does, what each output means, units */
    const cli_opt *opts;     /* terminated by a {NULL} entry; common options are added */
    int min_pos, max_pos;    /* positional arguments allowed; max_pos -1: no limit */
    cli_run_fn run;
} cli_command;

/* Options every command takes, appended after the command's own; their
 * indexes in cli_args.value are cli_nopts(cmd) + CLI_OPT_QUIET etc. */
enum {
    CLI_OPT_QUIET = 0,
    CLI_OPT_VERBOSE = 1,
    CLI_OPT_HELP = 2,
    CLI_OPT_JOBS = 3,
    CLI_COMMON_OPTS = 4
};

/* opts.c */

/* Number of the command's own options. */
int cli_nopts(const cli_command *cmd);

/* Value of the command's common option `which` (CLI_OPT_...), or NULL. */
const char *cli_common(const cli_command *cmd, const cli_args *args, int which);

/*
 * cli_parse -- parse argv[0..argc) (the words after the command name).
 * Returns 0 and fills *out, or -1 with a one-line reason in err (cap bytes).
 * "--name=value" and "--name value" are both accepted; "--" ends options.
 */
int cli_parse(const cli_command *cmd, int argc, char **argv, cli_args *out, char *err,
              size_t cap);

/* cli_print_help -- the command's help, generated from its table, to `to`. */
void cli_print_help(const cli_command *cmd, FILE *to);

/* term.c */

/* The message sink the tool installs: warnings and notes to stderr. */
void cli_print_message(void *arg, ccgis_level level, const char *msg);

/* --quiet: only errors on stderr (set once by main). */
void cli_set_quiet(int on);
int cli_is_quiet(void);

/* Print the count of messages the sink held back, if any, and reset. */
void cli_flush_messages(void);

/* Let the sink print every message (with -v). */
void cli_show_all_messages(void);

/* A progress callback drawing a one-line bar on stderr when it is a terminal. */
int cli_progress(double fraction, const char *note, void *arg);

/* Print "ccgis: error: MSG" for the context's last error and return the
 * exit code for its status. */
int cli_fail(ccgis_ctx *ctx);

/* Exit code for a status (CLI_EXIT_*). */
int cli_exit_code(ccgis_status st);

/* interrupt.c: SIGINT and SIGTERM during `ccgis run`, and while a single
 * command writes its output (see interrupt.c for what happens when). */

/* Catch SIGINT and SIGTERM (and SIGALRM) until cli_interrupt_remove();
 * `output` names what would have been written, for the message printed when
 * a blocked read forces the process to end. */
void cli_interrupt_install(const char *output);

/* For the progress callback, at each report of `fraction` (ccgis_run's):
 * 1 when a signal came (the report acknowledges it: the call is
 * cancelled), else 0; from CCGIS_RUN_WRITING on, the command counts as
 * writing and is no longer ended by force after the first signal. */
int cli_interrupt_check(double fraction);

/* From now on the command counts as writing (as cli_interrupt_check does
 * from CCGIS_RUN_WRITING on): a signal cancels, nothing ends it by force
 * but a second signal. */
void cli_interrupt_writing(void);

/* 1 once SIGINT or SIGTERM came. */
int cli_interrupted(void);

/* Restore the default actions, cancel the timer and any pending GEOS
 * interruption. */
void cli_interrupt_remove(void);

/* output.c */

/*
 * cli_check_outputs -- before a command reads anything: refuse (print the
 * error, return CLI_EXIT_INPUT) an output (an option whose metavar is
 * "FILE") that would create or replace a file one of the command's inputs
 * (its positional arguments) reads: the same file, through /vsizip/,
 * GPKG:, GeoJSON: or a .vrt, or a file of the same shapefile
 * (ccgis_outdir_replaces).  Returns CLI_EXIT_OK when there is none.
 */
int cli_check_outputs(const cli_command *cmd, const cli_args *args);

/*
 * cli_write_result -- write a command's result dataset to `path` (format from
 * the extension, or `format`; in the CRS `t_srs`, NULL: WGS 84 -- write.h),
 * then print a one-line summary of the findings on stderr.  Returns an exit
 * code.
 */
int cli_write_result(ccgis_ctx *ctx, void *result, const char *path, const char *format,
                     int overwrite, const char *t_srs, const ccgis_findings *findings);

/*
 * cli_write_all -- write n result datasets to their paths, all or nothing
 * (ccgis_write_all: every path written or replaced, or none touched).  Then
 * print the findings summary.  Returns an exit code.
 */
int cli_write_all(ccgis_ctx *ctx, void *const *results, const char *const *paths, int n,
                  const char *format, int overwrite, const char *t_srs,
                  const ccgis_findings *findings);

/*
 * cli_check_t_srs -- refuse a --t-srs that layers cannot be written in
 * (ccgis_crs_for_output) before the command does any work: the usage error
 * "ccgis CMD: error: --t-srs: WHY".  NULL is fine.  Returns CLI_EXIT_OK or
 * CLI_EXIT_INPUT.
 */
int cli_check_t_srs(const cli_command *cmd, ccgis_ctx *ctx, const char *t_srs);

/* The help line of --t-srs, shared by the commands that write layers. */
#define CLI_T_SRS_HELP                                                                             \
    "write the layers in this CRS (e.g. EPSG:5897, vn2000:tm3:105); GeoJSON stays WGS 84"

/* cli_usage_error -- print "ccgis CMD: error: WHAT -- see 'ccgis help CMD'";
 * returns CLI_EXIT_INPUT. */
int cli_usage_error(const cli_command *cmd, const char *what);

/* commands */
extern const cli_command cli_cmd_run;
extern const cli_command cli_cmd_info;
extern const cli_command cli_cmd_area;
extern const cli_command cli_cmd_overlay;
extern const cli_command cli_cmd_assign;
extern const cli_command cli_cmd_near;
extern const cli_command cli_cmd_overlaps;
extern const cli_command cli_cmd_convert;

#endif /* CCGIS_CLI_H */
