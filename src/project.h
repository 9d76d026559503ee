/*
 * project.h -- what project.c (the QGIS project of a job) and layout.c (its
 * print layouts) share (internal).
 *
 * The project is built as a libxml2 tree.  Building goes through an xb, a
 * builder that remembers the first failure (out of memory): every call after
 * it does nothing, so a function adds its elements in a straight line and
 * checks xb.ok once at the end.
 */
#ifndef CCGIS_PROJECT_H
#define CCGIS_PROJECT_H

#include <libxml/tree.h>

#include "internal.h"

/* A tree under construction; ok drops to 0 at the first failure. */
typedef struct xb {
    int ok;
} xb;

/* xb_el -- a new child element `name` of parent, holding `text` (NULL: none);
 * NULL (and b->ok = 0) on failure or when parent is NULL. */
xmlNode *xb_el(xb *b, xmlNode *parent, const char *name, const char *text);

/* xb_at -- set attribute `name` of n to the printf-formatted value. */
void xb_at(xb *b, xmlNode *n, const char *name, const char *fmt, ...) CCGIS_PRINTF(4, 5);

/* The layers of a job as the project holds them (ids fixed, from the name). */
enum { P_CLUSTERS, P_ZONES, P_DISTRICTS, P_VILLAGES, P_FINDINGS, P_COUNT };

/* What the print layouts are drawn from.  Every pointer is borrowed; a layer
 * not written (no districts, no zoning...) has id NULL. */
typedef struct ccgis_layout_spec {
    ccgis_lang lang;
    ccgis_paper paper;
    int portrait;
    const char *title;                /* the job's name */
    const char *subtitle;             /* date, CRS and source */
    double xmin, ymin, xmax, ymax;    /* the clusters' extent, in the project's CRS */
    const char *id[P_COUNT];          /* the layers' ids in the project */
    const char *cl_id, *cl_name;      /* the clusters' id and name fields (name NULL) */
    const char *const *cl_fields;     /* the clusters' fields as written */
    size_t n_cl_fields;
    const char *d_name;               /* the districts' name field (NULL: no table) */
    const char *v_name;               /* the villages' label field (NULL: none) */
} ccgis_layout_spec;

/*
 * ccgis_layouts_add -- add <Layouts> to the project root `qgis`: the
 * overview sheet and the per-cluster atlas (layout.c).  Returns 1, or 0 when
 * out of memory.
 */
int ccgis_layouts_add(xmlNode *qgis, const ccgis_layout_spec *s);

#endif /* CCGIS_PROJECT_H */
