/*
 * term.c -- what the tool shows on stderr: messages, progress, the final
 * error line.  Standard output is kept for results (text or JSON).
 */
#include <stdio.h>
#include <unistd.h>

#include "cli.h"

/* Warnings and notes beyond this many are counted, not printed: a layer
 * with thousands of problems gets a summary, not thousands of lines. */
#define MAX_SHOWN 20

static long shown, hidden;
static int quiet;

/* cli_set_quiet: see cli.h. */
void cli_set_quiet(int on)
{
    quiet = on;
}

/* cli_is_quiet: see cli.h. */
int cli_is_quiet(void)
{
    return quiet;
}

/* cli_print_message: see cli.h.  Errors are not printed here: the command
 * prints the final one once, through cli_fail(). */
void cli_print_message(void *arg, ccgis_level level, const char *msg)
{
    (void)arg;
    static const char *const tag[] = {"debug", "note", "warning", "error"};
    if (level == CCGIS_ERROR)
        return;
    if (level != CCGIS_DEBUG && shown >= MAX_SHOWN) {
        hidden++;
        return;
    }
    if (level != CCGIS_DEBUG)
        shown++;
    fprintf(stderr, "ccgis: %s: %s\n", tag[level], msg);
}

/* Print the count of messages not shown; `failed`: nothing was written, so
 * no findings layer or report is pointed to. */
static void flush(int failed)
{
    if (hidden && failed)
        fprintf(stderr, "ccgis: %ld more warnings and notes not shown (-v shows them all)\n",
                hidden);
    else if (hidden)
        fprintf(stderr, "ccgis: %ld more warnings and notes not shown (the findings layer and "
                        "report list every skipped or repaired feature; -v shows them all)\n",
                hidden);
    shown = hidden = 0;
}

/* cli_flush_messages: see cli.h. */
void cli_flush_messages(void)
{
    flush(0);
}

/* cli_show_all_messages: see cli.h. */
void cli_show_all_messages(void)
{
    shown = -1000000000L;
}

/* cli_progress: see cli.h.  Draws "ccgis: NOTE  42%" over itself; a final
 * newline at 100%.  Silent when stderr is not a terminal. */
int cli_progress(double fraction, const char *note, void *arg)
{
    (void)arg;
    static int tty = -1;
    if (tty < 0)
        tty = isatty(STDERR_FILENO);
    if (!tty)
        return 1;
    fprintf(stderr, "\rccgis: %-40.40s %3d%%", note ? note : "", (int)(fraction * 100.0 + 0.5));
    if (fraction >= 1.0)
        fputc('\n', stderr);
    fflush(stderr);
    return 1;
}

/* cli_exit_code: see cli.h. */
int cli_exit_code(ccgis_status st)
{
    if (st == CCGIS_OK)
        return CLI_EXIT_OK;
    switch (ccgis_status_family(st)) {
    case 600: return CLI_EXIT_CANCELLED;
    case 900: return CLI_EXIT_INTERNAL;
    default: return CLI_EXIT_INPUT;
    }
}

/* cli_fail: see cli.h. */
int cli_fail(ccgis_ctx *ctx)
{
    ccgis_status st = ccgis_errcode(ctx);
    flush(1); /* the error line comes last; nothing was written */
    fprintf(stderr, "ccgis: error: %s\n",
            ccgis_errmsg(ctx)[0] ? ccgis_errmsg(ctx) : ccgis_status_str(st));
    return cli_exit_code(st == CCGIS_OK ? CCGIS_ERR_INTERNAL : st);
}
