/*
 * ccgis/progress.h -- progress reporting, in GDAL's convention.
 *
 * Long calls take a ccgis_progress_fn and its `arg`.  The callback receives
 * the fraction done, 0.0 to 1.0, and an optional short UTF-8 note (may be
 * NULL).  It returns non-zero to go on, 0 to cancel: the call then stops
 * cleanly, leaves no partial output and returns CCGIS_ERR_CANCELLED with the
 * message "cancelled by the caller".  A NULL callback means no reporting.
 */
#ifndef CCGIS_PROGRESS_H
#define CCGIS_PROGRESS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef int (*ccgis_progress_fn)(double fraction, const char *note, void *arg);

/*
 * Long calls report progress often enough (every few hundred features,
 * zones or clusters, and at least every 100 ms while threads work) that a
 * callback returning 0 takes effect within a second -- except inside one
 * geometry operation on a huge polygon (MakeValid, an intersection of
 * millions of vertices), which can take seconds.  For that:
 *
 * ccgis_interrupt_request -- ask every geometry operation running in the
 * process (GEOS, any context, any thread) to stop at its next check; the
 * call then fails and the ccgis call around it returns.  Safe to call from
 * a signal handler.  The request is consumed by the first operation that
 * sees it: a caller that cancels should also make its progress callback
 * return 0, so that the work after it stops too.
 *
 * ccgis_interrupt_cancel -- withdraw a request no operation has seen yet
 * (call it once the cancelled call has returned, before new work).
 */
void ccgis_interrupt_request(void);
void ccgis_interrupt_cancel(void);

#ifdef __cplusplus
}
#endif

#endif /* CCGIS_PROGRESS_H */
