/*
 * ccgis/progress.h -- progress reporting, in GDAL's convention.
 *
 * Long calls take a ccgis_progress_fn and its `arg`.  The callback receives
 * the fraction done, 0.0 to 1.0, and an optional short UTF-8 note (may be
 * NULL).  It returns non-zero to go on, 0 to cancel: the call then stops
 * cleanly, leaves no partial output and returns CCGIS_ERR_USAGE with the
 * message "cancelled by the caller".  A NULL callback means no reporting.
 */
#ifndef CCGIS_PROGRESS_H
#define CCGIS_PROGRESS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef int (*ccgis_progress_fn)(double fraction, const char *note, void *arg);

#ifdef __cplusplus
}
#endif

#endif /* CCGIS_PROGRESS_H */
