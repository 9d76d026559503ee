/*
 * interrupt.c -- asking running geometry work to stop now (see
 * ccgis/progress.h).
 *
 * A request sets a process-wide flag that stays set until cancelled.  ccgis's
 * own long loops (geodesic areas and distances over the vertices of a ring)
 * look at it every 65,536 vertices.  GEOS looks at its own flag inside its
 * long loops and throws when it is set; its C API turns that into a failed
 * call.  GEOS clears its flag when it acts on it, so a callback GEOS calls
 * before each check sets it again while ccgis's flag is up: every GEOS
 * operation after the request fails too, not only the first.
 */
#include <pthread.h>
#include <signal.h>

#include <geos_c.h>

#include "internal.h"

static volatile sig_atomic_t requested;
static GEOSInterruptCallback *geos_previous; /* callback installed before ours */
static pthread_once_t installed = PTHREAD_ONCE_INIT;

/* Called by GEOS before each of its interruption checks. */
static void before_geos_check(void)
{
    if (requested)
        GEOS_interruptRequest();
    if (geos_previous)
        geos_previous();
}

/* Install the callback (once per process). */
static void install(void)
{
    geos_previous = GEOS_interruptRegisterCallback(before_geos_check);
}

/* ccgis_interrupt_init: see internal.h. */
void ccgis_interrupt_init(void)
{
    pthread_once(&installed, install);
}

/* ccgis_interrupt_request: see progress.h. */
void ccgis_interrupt_request(void)
{
    requested = 1;
    GEOS_interruptRequest(); /* sets a flag: safe in a signal handler */
}

/* ccgis_interrupt_cancel: see progress.h. */
void ccgis_interrupt_cancel(void)
{
    requested = 0;
    GEOS_interruptCancel();
}

/* ccgis_interrupt_pending: see internal.h. */
int ccgis_interrupt_pending(void)
{
    return requested != 0;
}
