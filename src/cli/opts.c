/*
 * opts.c -- command-line parsing and help, both generated from a command's
 * option table (see cli.h), so that what `ccgis help CMD` says is exactly
 * what the parser accepts.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* Options every command takes. */
static const cli_opt common_opts[CLI_COMMON_OPTS] = {
    {"--quiet", 'q', NULL, "print errors only: no warnings, no progress"},
    {"--verbose", 'v', NULL, "print what ccgis does; twice for library debug messages"},
    {"--help", 'h', NULL, "show this help"},
    {"--jobs", 0, "N", "worker threads (default: one per core); results do not depend on it"},
};

/* cli_nopts: see cli.h. */
int cli_nopts(const cli_command *cmd)
{
    int n = 0;
    while (cmd->opts && cmd->opts[n].name)
        n++;
    return n;
}

/* The option with index i: the command's own first, then the common ones. */
static const cli_opt *opt_at(const cli_command *cmd, int i)
{
    int own = cli_nopts(cmd);
    return i < own ? &cmd->opts[i] : &common_opts[i - own];
}

/* cli_common: see cli.h. */
const char *cli_common(const cli_command *cmd, const cli_args *args, int which)
{
    return args->value[cli_nopts(cmd) + which];
}

/* Index of the option called `name` (long, with dashes, up to len bytes) or
 * with short letter `c`; -1 if none. */
static int find_opt(const cli_command *cmd, const char *name, size_t len, char c)
{
    int total = cli_nopts(cmd) + CLI_COMMON_OPTS;
    for (int i = 0; i < total; i++) {
        const cli_opt *o = opt_at(cmd, i);
        if (c ? o->short_name == c : (strlen(o->name) == len && strncmp(o->name, name, len) == 0))
            return i;
    }
    return -1;
}

/* cli_parse: see cli.h.  -v may be repeated: -vv, or -v -v, gives "2". */
int cli_parse(const cli_command *cmd, int argc, char **argv, cli_args *out, char *err, size_t cap)
{
    static const char *counts[] = {"1", "2", "3"};
    int nverbose = 0;
    memset(out, 0, sizeof *out);
    out->pos = argv;
    int ended = 0;
    for (int i = 0; i < argc; i++) {
        char *a = argv[i];
        if (ended || a[0] != '-' || a[1] == '\0') {
            argv[out->npos++] = a; /* compact positionals at the front of argv */
            continue;
        }
        if (strcmp(a, "--") == 0) {
            ended = 1;
            continue;
        }
        if (a[1] != '-') { /* short options, flags bundled (-qv), a value after: -o F, -oF */
            for (const char *c = a + 1; *c; c++) {
                int k = find_opt(cmd, NULL, 0, *c);
                if (k < 0) {
                    snprintf(err, cap, "unknown option '-%c'", *c);
                    return -1;
                }
                if (opt_at(cmd, k)->metavar) {
                    if (c[1]) {
                        out->value[k] = c + 1;
                    } else if (i + 1 < argc) {
                        out->value[k] = argv[++i];
                    } else {
                        snprintf(err, cap, "option '-%c' needs a value (%s)", *c,
                                 opt_at(cmd, k)->metavar);
                        return -1;
                    }
                    break;
                }
                if (k == cli_nopts(cmd) + CLI_OPT_VERBOSE)
                    out->value[k] = counts[nverbose < 2 ? nverbose++ : 2];
                else
                    out->value[k] = "1";
            }
            continue;
        }
        const char *eq = strchr(a, '=');
        size_t len = eq ? (size_t)(eq - a) : strlen(a);
        int k = find_opt(cmd, a, len, 0);
        if (k < 0) {
            snprintf(err, cap, "unknown option '%.*s'", (int)len, a);
            return -1;
        }
        const cli_opt *o = opt_at(cmd, k);
        if (!o->metavar) {
            if (eq) {
                snprintf(err, cap, "option '%s' takes no value", o->name);
                return -1;
            }
            out->value[k] = k == cli_nopts(cmd) + CLI_OPT_VERBOSE
                                ? counts[nverbose < 2 ? nverbose++ : 2]
                                : "1";
            continue;
        }
        if (eq) {
            out->value[k] = eq + 1;
        } else if (i + 1 < argc) {
            out->value[k] = argv[++i];
        } else {
            snprintf(err, cap, "option '%s' needs a value (%s)", o->name, o->metavar);
            return -1;
        }
    }
    if (out->value[cli_nopts(cmd) + CLI_OPT_HELP])
        return 0;
    if (out->npos < cmd->min_pos) {
        snprintf(err, cap, "missing argument: %s", cmd->synopsis);
        return -1;
    }
    if (cmd->max_pos >= 0 && out->npos > cmd->max_pos) {
        snprintf(err, cap, "too many arguments ('%s')", out->pos[cmd->max_pos]);
        return -1;
    }
    return 0;
}

/* Print one option line of the help. */
static void print_opt(const cli_opt *o, FILE *to)
{
    char left[64];
    if (o->short_name)
        snprintf(left, sizeof left, "-%c, %s%s%s", o->short_name, o->name, o->metavar ? " " : "",
                 o->metavar ? o->metavar : "");
    else
        snprintf(left, sizeof left, "    %s%s%s", o->name, o->metavar ? " " : "",
                 o->metavar ? o->metavar : "");
    fprintf(to, "  %-24s %s\n", left, o->help);
}

/* cli_print_help: see cli.h. */
void cli_print_help(const cli_command *cmd, FILE *to)
{
    fprintf(to, "usage: ccgis %s %s\n\n%s\n\n", cmd->name, cmd->synopsis, cmd->summary);
    if (cmd->description)
        fprintf(to, "%s\n", cmd->description);
    for (int i = 0; cmd->opts && cmd->opts[i].name; i++)
        if (cmd->opts[i].metavar && strcmp(cmd->opts[i].metavar, "FILE") == 0) {
            fprintf(to, "Each FILE is written whole or not at all (Ctrl-C leaves nothing), and\n"
                        "one that would replace a file an input reads (the same file, also\n"
                        "through /vsizip/, GPKG:, GeoJSON: or a .vrt, or a file of the same\n"
                        "shapefile) is refused before anything is read.\n\n");
            break;
        }
    fprintf(to, "options:\n");
    int total = cli_nopts(cmd) + CLI_COMMON_OPTS;
    for (int i = 0; i < total; i++)
        print_opt(opt_at(cmd, i), to);
    if (!strstr(cmd->description ? cmd->description : "", "Exit status"))
        fprintf(to, "\nexit status: 0 success, 2 bad input or usage (the message says what to "
                    "fix), 3 internal error, 130 interrupted.\n");
}
