/*
 * interrupt.c -- Ctrl-C (SIGINT) and SIGTERM for a command that cleans up
 * after itself (`ccgis run`; the single commands while they write, output.c).
 *
 * The first signal sets a flag that the command's progress callback turns
 * into a cancellation, and asks GEOS to stop the geometry operation under
 * way (ccgis_interrupt_request): the library then stops within a second,
 * removes what it wrote and returns, and the command says "interrupted".
 *
 * A read blocked inside a driver -- a PostgreSQL server that accepted the
 * connection and never answers, a hung network share -- reports no progress
 * at all, and a few geometry operations on huge polygons (a coverage union
 * or a clip of a million vertices) do not look at GEOS's interruption flag.
 * So if the command is still running one second later, no progress report
 * has acknowledged the signal, and it has not started writing its output,
 * the process is ended by the signal's own default action (exit status
 * 128 + signal in the shell), after a line saying so: nothing had been
 * written yet.
 *
 * Once writing has started the command is left to finish its cleanup,
 * however long a write takes.  A second signal ends the process at once,
 * whatever it is doing; while writing, that may leave the hidden temporary
 * folder ".NAME.ccgis-tmp-XXXXXX" beside the output (never a partial output
 * folder).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static volatile sig_atomic_t caught;  /* the first signal, 0 before */
static volatile sig_atomic_t acked;   /* a progress report has seen it */
static volatile sig_atomic_t writing; /* the command is writing its output */
static char last_words[1024];         /* printed when the process is ended */
static size_t last_len;

/* End the process by signal `sig`'s default action, after the last words.
 * Only async-signal-safe calls. */
static void end_now(int sig)
{
    if (last_len) {
        ssize_t w = write(STDERR_FILENO, last_words, last_len);
        (void)w;
    }
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(sig, &dfl, NULL);
    raise(sig);
}

/* SIGINT / SIGTERM. */
static void on_signal(int sig)
{
    if (caught) {
        end_now(sig); /* the second: at once */
        return;
    }
    caught = sig;
    ccgis_interrupt_request();
    if (!writing)
        alarm(1);
}

/* SIGALRM, one second after the first signal. */
static void on_alarm(int sig)
{
    (void)sig;
    if (caught && !acked && !writing)
        end_now(caught);
}

/* cli_interrupt_install: see cli.h. */
void cli_interrupt_install(const char *output)
{
    caught = acked = writing = 0;
    int n = snprintf(last_words, sizeof last_words,
                     "ccgis: interrupted: the work under way (or a source that does not "
                     "answer) did not stop within a second, so ccgis stopped at once; nothing "
                     "was written to %s\n",
                     output);
    last_len = n > 0 ? ((size_t)n < sizeof last_words ? (size_t)n : sizeof last_words - 1) : 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
}

/* cli_interrupt_check: see cli.h. */
int cli_interrupt_check(double fraction)
{
    if (caught) {
        acked = 1;
        return 1;
    }
    if (fraction >= CCGIS_RUN_WRITING)
        writing = 1;
    return 0;
}

/* cli_interrupt_writing: see cli.h. */
void cli_interrupt_writing(void)
{
    writing = 1;
}

/* cli_interrupted: see cli.h. */
int cli_interrupted(void)
{
    return caught != 0;
}

/* cli_interrupt_remove: see cli.h. */
void cli_interrupt_remove(void)
{
    alarm(0);
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGINT, &dfl, NULL);
    sigaction(SIGTERM, &dfl, NULL);
    sigaction(SIGALRM, &dfl, NULL);
    ccgis_interrupt_cancel();
}
