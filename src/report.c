/*
 * report.c -- report.md and summary.json of a job (see ccgis/run.h).
 *
 * The report tells the story a department writes up after each run: how
 * many clusters and hectares, per status and per district; which clusters
 * lie on land not zoned for industry and by how much; which craft villages
 * are far from any cluster; what data problems were found; and exactly
 * which inputs were used.  summary.json holds the same facts as data
 * (jansson).  Neither holds a date, so that a rerun on the same inputs gives
 * the same files.
 */
#define _GNU_SOURCE /* qsort_r */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "internal.h"

/* Clusters' status groups, in order of first appearance. */
typedef struct status_row {
    const char *status;
    long long n;
    double area_m2;
    size_t first; /* the first cluster with it */
} status_row;

/* Order of rows by status (bytes), then first appearance. */
static int by_status(const void *a, const void *b)
{
    const status_row *x = a, *y = b;
    int c = strcmp(x->status, y->status);
    if (c)
        return c;
    return x->first < y->first ? -1 : x->first > y->first;
}

/* Order of rows by first appearance. */
static int by_first(const void *a, const void *b)
{
    const status_row *x = a, *y = b;
    return x->first < y->first ? -1 : x->first > y->first;
}

/* Fill rows (room for clusters->n) with the status groups; return how many.
 * One row per cluster, sorted by status, then merged: O(n log n). */
static size_t status_rows(const run_data *d, status_row *rows)
{
    size_t nc = d->clusters->n, n = 0;
    for (size_t i = 0; i < nc; i++)
        rows[i] = (status_row){d->status[i], 1, d->area_m2[i], i};
    qsort(rows, nc, sizeof *rows, by_status);
    for (size_t i = 0; i < nc; i++) {
        if (n > 0 && strcmp(rows[n - 1].status, rows[i].status) == 0) {
            rows[n - 1].n++;
            rows[n - 1].area_m2 += rows[i].area_m2; /* in reading order */
        } else {
            rows[n++] = rows[i];
        }
    }
    qsort(rows, n, sizeof *rows, by_first);
    return n;
}

/* Name of cluster i from its name field, or "". */
static const char *cluster_name(const run_data *d, size_t i)
{
    const char *field = d->job->clusters.name;
    int k = field ? OGR_FD_GetFieldIndex(d->clusters->defn, field) : -1;
    if (k < 0 || !OGR_F_IsFieldSetAndNotNull(d->clusters->f[i].attrs, k))
        return "";
    return OGR_F_GetFieldAsString(d->clusters->f[i].attrs, k);
}

/* Name of village v from its name field, or its id. */
static const char *village_name(const run_data *d, size_t v)
{
    const char *field = d->job->villages.name;
    int k = field ? OGR_FD_GetFieldIndex(d->villages->defn, field) : -1;
    if (k < 0 || !OGR_F_IsFieldSetAndNotNull(d->villages->f[v].attrs, k))
        return d->villages->f[v].key;
    return OGR_F_GetFieldAsString(d->villages->f[v].attrs, k);
}

/* Markdown table cells must not break the table. */
static void cell(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputc('\\', f);
        fputc((unsigned char)*s < 0x20 ? ' ' : *s, f); /* control characters would break it */
    }
}

/* Order helpers for qsort_r over indices; the run_data is the argument. */

/* Clusters by conflict share, largest first, then by id. */
static int by_conflict(const void *a, const void *b, void *arg)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    const run_data *d = arg;
    double si = d->zoning->conflict_m2[i] / d->area_m2[i];
    double sj = d->zoning->conflict_m2[j] / d->area_m2[j];
    if (si != sj)
        return si > sj ? -1 : 1;
    return strcmp(d->clusters->f[i].key, d->clusters->f[j].key);
}

/* Villages by distance to the nearest cluster, farthest first. */
static int by_distance(const void *a, const void *b, void *arg)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    const run_data *d = arg;
    if (d->near->dist_m[i] != d->near->dist_m[j])
        return d->near->dist_m[i] > d->near->dist_m[j] ? -1 : 1;
    return strcmp(d->villages->f[i].key, d->villages->f[j].key);
}

/* One row of the inputs table, and its JSON. */
static void input_row(FILE *f, json_t *inputs, const char *what, const ccgis_layer *l)
{
    int epsg = ccgis_crs_epsg(l->crs, NULL);
    fprintf(f, "| %s | `%s` (%s) | %s", what, l->source, l->name, ccgis_crs_name(l->crs));
    if (epsg)
        fprintf(f, " (EPSG:%d)", epsg);
    fprintf(f, " | %lld | %zu | %lld | %lld |\n", l->n_read, l->n, l->n_skipped, l->n_repaired);
    json_array_append_new(inputs,
                          json_pack("{s:s, s:s, s:s, s:s, s:o, s:I, s:I, s:I, s:I}", "layer",
                                    what, "source", l->source, "name", l->name, "crs",
                                    ccgis_crs_name(l->crs), "epsg",
                                    epsg ? json_integer(epsg) : json_null(), "read",
                                    (json_int_t)l->n_read, "used", (json_int_t)l->n,
                                    "skipped", (json_int_t)l->n_skipped, "repaired",
                                    (json_int_t)l->n_repaired));
}

/* Write report.md to f and fill the JSON document `doc`. */
static void write_story(const run_data *d, FILE *f, json_t *doc, size_t *order)
{
    const ccgis_job *job = d->job;
    const ccgis_layer *c = d->clusters;
    size_t nc = c->n;
    double total = 0, plan_total = 0;
    for (size_t i = 0; i < nc; i++) {
        total += d->area_m2[i];
        plan_total += d->plan_m2[i];
    }

    fprintf(f, "# %s\n\n", job->name);
    fprintf(f, "Produced by ccgis %s (%s) from the job file `%s`.\n", ccgis_version(),
            ccgis_library_versions(), job->path);
    fprintf(f, "Areas are geodesic, on the WGS 84 ellipsoid, in hectares");
    if (d->plan)
        fprintf(f, "; *planar* areas are in the plane of %s", ccgis_crs_name(d->plan));
    fprintf(f, ". Distances are geodesic metres.\n\n");

    /* Clusters by status. */
    status_row *rows = calloc(nc, sizeof *rows);
    size_t nrows = rows ? status_rows(d, rows) : 0;
    fprintf(f, "## Clusters\n\n%zu clusters, %.2f ha", nc, total / 1e4);
    /* Overlapping clusters: say what the area is with the shared ground once. */
    int overlapping = d->sum_m2 - d->union_m2 > 1e-9 * d->sum_m2;
    if (overlapping) {
        fprintf(f, "; %.2f ha counting the ", d->union_m2 / 1e4);
        size_t shown = 0, n_pairs = ccgis_findings_count(&d->findings, CCGIS_CLUSTER_OVERLAP);
        for (size_t k = 0; k < d->findings.n && shown < 5; k++) {
            const ccgis_finding *fi = &d->findings.items[k];
            if (fi->kind != CCGIS_CLUSTER_OVERLAP)
                continue;
            fprintf(f, "%s", shown ? ", " : "");
            cell(f, fi->subject);
            fputc('/', f);
            cell(f, fi->other ? fi->other : "?");
            shown++;
        }
        if (n_pairs > shown)
            fprintf(f, " and %zu more", n_pairs - shown);
        fprintf(f, " overlap%s once", n_pairs == 1 ? "" : "s");
    }
    if (d->plan)
        fprintf(f, " (planar: %.2f ha)", plan_total / 1e4);
    fprintf(f, ".\n\n| status | clusters | ha |\n| --- | ---: | ---: |\n");
    json_t *by_status = json_array();
    for (size_t k = 0; k < nrows; k++) {
        fprintf(f, "| ");
        cell(f, rows[k].status[0] ? rows[k].status : "(no status)");
        fprintf(f, " | %lld | %.2f |\n", rows[k].n, rows[k].area_m2 / 1e4);
        json_array_append_new(by_status, json_pack("{s:s, s:I, s:f}", "status", rows[k].status,
                                                   "count", (json_int_t)rows[k].n, "area_ha",
                                                   rows[k].area_m2 / 1e4));
    }
    free(rows);
    json_object_set_new(doc, "clusters",
                        json_pack("{s:I, s:f, s:f, s:o, s:o}", "count", (json_int_t)nc,
                                  "area_ha", total / 1e4, "union_ha", d->union_m2 / 1e4,
                                  "plan_ha",
                                  d->plan ? json_real(plan_total / 1e4) : json_null(),
                                  "by_status", by_status));

    /* Districts. */
    if (d->districts) {
        fprintf(f, "\n## By district\n\nClusters are counted in the district holding the "
                   "largest share of their area; villages in the district they lie in.\n\n"
                   "| district | clusters | ha | conflict ha | villages |\n"
                   "| --- | ---: | ---: | ---: | ---: |\n");
        json_t *dj = json_array();
        size_t empty = 0;
        for (size_t k = 0; k < d->districts->n; k++) {
            if (d->district_of[k] != k)
                continue; /* a second feature of a district, or nameless */
            json_array_append_new(
                dj, json_pack("{s:s, s:I, s:f, s:o, s:o}", "name", d->dname[k], "n_clusters",
                              (json_int_t)d->d_clusters[k], "clust_ha", d->d_area_m2[k] / 1e4,
                              "confl_ha", d->zoning ? json_real(d->d_confl_m2[k] / 1e4) : json_null(),
                              "n_villages",
                              d->villages ? json_integer(d->d_villages[k]) : json_null()));
            if (d->d_clusters[k] == 0) {
                empty++;
                continue;
            }
            fprintf(f, "| ");
            cell(f, d->dname[k]);
            fprintf(f, " | %lld | %.2f | ", d->d_clusters[k], d->d_area_m2[k] / 1e4);
            d->zoning ? fprintf(f, "%.2f", d->d_confl_m2[k] / 1e4) : fprintf(f, "-");
            fprintf(f, " | ");
            d->villages ? fprintf(f, "%lld", d->d_villages[k]) : fprintf(f, "-");
            fprintf(f, " |\n");
        }
        size_t outside = 0;
        for (size_t i = 0; i < nc; i++)
            outside += d->cluster_district[i] == SIZE_MAX;
        fprintf(f, "\n%zu districts have no cluster", empty);
        if (outside)
            fprintf(f, "; %zu clusters lie in no district", outside);
        fprintf(f, ". Per district and status: `district_status.csv`.\n");
        json_object_set_new(doc, "districts", dj);
    }

    /* Zoning conflicts. */
    if (d->zoning) {
        const ccgis_overlay_result *z = d->zoning;
        size_t n = 0;
        double sum[4] = {0, 0, 0, 0}; /* allowed, conflict, mixed, no zone */
        for (size_t i = 0; i < nc; i++) {
            sum[0] += z->allowed_m2[i];
            sum[1] += z->conflict_m2[i];
            sum[2] += z->mixed_m2[i];
            sum[3] += z->nozone_m2[i];
            if (z->conflict_m2[i] > 0 && z->conflict_m2[i] >= z->tol_m2[i])
                order[n++] = i;
        }
        qsort_r(order, n, sizeof *order, by_conflict, (void *)d);
        fprintf(f, "\n## Clusters on land not zoned for industry\n\n%zu of %zu clusters have "
                   "part of their area on land whose class is not one of ",
                n, nc);
        for (char **a = job->allowed; a && *a; a++)
            fprintf(f, "%s%s", a == job->allowed ? "" : ", ", *a);
        fprintf(f, ": %.2f ha in all.\n\n", sum[1] / 1e4);
        fprintf(f, "Every cluster's area is split four ways, which add up to it: on allowed "
                   "classes only %.2f ha, on other classes only %.2f ha, on zones of both "
                   "kinds (overlapping zones: the zoning contradicts itself) %.2f ha, on no "
                   "classified zone %.2f ha; %.2f ha in all.\n\n",
                sum[0] / 1e4, sum[1] / 1e4, sum[2] / 1e4, sum[3] / 1e4,
                (sum[0] + sum[1] + sum[2] + sum[3]) / 1e4);
        json_object_set_new(doc, "zoning",
                            json_pack("{s:f, s:f, s:f, s:f}", "allowed_ha", sum[0] / 1e4,
                                      "conflict_ha", sum[1] / 1e4, "mixed_ha", sum[2] / 1e4,
                                      "nozone_ha", sum[3] / 1e4));
        json_t *cj = json_array();
        if (n) {
            fprintf(f, "| cluster | name | district | ha | conflict ha | conflict %% | "
                       "most on | mixed ha | no zone ha |\n"
                       "| --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: |\n");
        }
        for (size_t k = 0; k < n; k++) {
            size_t i = order[k];
            const char *dist = d->assign ? d->assign->zone[i] : "";
            double pct = ccgis_pct(z->conflict_m2[i], z->area_m2[i]);
            const char *top = d->zoning->conflict_top[i] ? d->zoning->conflict_top[i] : "";
            fprintf(f, "| ");
            cell(f, c->f[i].key);
            fprintf(f, " | ");
            cell(f, cluster_name(d, i));
            fprintf(f, " | ");
            cell(f, dist);
            fprintf(f, " | %.2f | %.2f | %.1f | ", d->area_m2[i] / 1e4,
                    d->zoning->conflict_m2[i] / 1e4, pct);
            cell(f, top);
            fprintf(f, " | %.2f | %.2f |\n", z->mixed_m2[i] / 1e4, z->nozone_m2[i] / 1e4);
            json_array_append_new(
                cj, json_pack("{s:s, s:s, s:s, s:f, s:f, s:f, s:s, s:f, s:f}", "id", c->f[i].key,
                              "name", cluster_name(d, i), "district", dist, "area_ha",
                              d->area_m2[i] / 1e4, "confl_ha", z->conflict_m2[i] / 1e4,
                              "confl_pct", pct, "confl_top", top, "mixed_ha",
                              z->mixed_m2[i] / 1e4, "nozone_ha", z->nozone_m2[i] / 1e4));
        }
        json_object_set_new(doc, "conflicts", cj);
    }

    /* Villages. */
    if (d->near) {
        size_t nv = d->villages->n, within = 0, inside = 0;
        for (size_t v = 0; v < nv; v++) {
            within += d->near->within[v] != 0;
            inside += d->near->dist_m[v] == 0;
            order[v] = v;
        }
        qsort_r(order, nv, sizeof *order, by_distance, (void *)d);
        fprintf(f, "\n## Craft villages\n\n%zu villages: %zu within %.0f m of a cluster (%zu "
                   "inside one), %zu farther.\n\nThe villages farthest from any cluster:\n\n"
                   "| village | name | nearest cluster | distance km |\n"
                   "| --- | --- | --- | ---: |\n",
                nv, within, job->radius_m, inside, nv - within);
        json_t *far = json_array();
        for (size_t k = 0; k < nv && k < 10; k++) {
            size_t v = order[k];
            const char *near_id = c->f[d->near->nearest[v]].key;
            fprintf(f, "| ");
            cell(f, d->villages->f[v].key);
            fprintf(f, " | ");
            cell(f, village_name(d, v));
            fprintf(f, " | ");
            cell(f, near_id);
            fprintf(f, " | %.2f |\n", d->near->dist_m[v] / 1000.0);
            json_array_append_new(far, json_pack("{s:s, s:s, s:s, s:f}", "id",
                                                 d->villages->f[v].key, "name",
                                                 village_name(d, v), "near_id", near_id,
                                                 "near_m", d->near->dist_m[v]));
        }
        json_object_set_new(doc, "villages",
                            json_pack("{s:I, s:I, s:I, s:f, s:o}", "count", (json_int_t)nv,
                                      "within", (json_int_t)within, "inside",
                                      (json_int_t)inside, "radius_m", job->radius_m,
                                      "farthest", far));
    }

    /* Boundaries to check by hand: they decide every figure of their cluster. */
    size_t n_fix = ccgis_findings_count(&d->findings, CCGIS_NEEDS_MANUAL_FIX) +
                   ccgis_findings_count(&d->findings, CCGIS_AREA_MISMATCH);
    if (n_fix) {
        fprintf(f, "\n## Cluster boundaries to check by hand\n\nThe figures above use these "
                   "clusters' boundaries as ccgis could read them; each needs a look before "
                   "they are handed in.\n\n");
        for (size_t i = 0; i < d->findings.n; i++) {
            const ccgis_finding *fi = &d->findings.items[i];
            if (fi->kind != CCGIS_NEEDS_MANUAL_FIX && fi->kind != CCGIS_AREA_MISMATCH)
                continue;
            fprintf(f, "- %s: ", ccgis_finding_kind_name(fi->kind));
            cell(f, fi->detail);
            fprintf(f, "\n");
        }
    }

    /* Findings. */
    fprintf(f, "\n## Findings\n\n| kind | count |\n| --- | ---: |\n");
    json_t *fj = json_object();
    for (int k = 0; k < CCGIS_FINDING_KINDS; k++) {
        size_t n = ccgis_findings_count(&d->findings, (ccgis_finding_kind)k);
        fprintf(f, "| %s | %zu |\n", ccgis_finding_kind_name((ccgis_finding_kind)k), n);
        json_object_set_new(fj, ccgis_finding_kind_name((ccgis_finding_kind)k),
                            json_integer((json_int_t)n));
    }
    json_object_set_new(doc, "findings", fj);
    if (d->findings.n)
        fprintf(f, "\n");
    for (size_t i = 0; i < d->findings.n && i < 50; i++) {
        fprintf(f, "- %s: ", ccgis_finding_kind_name(d->findings.items[i].kind));
        cell(f, d->findings.items[i].detail);
        fprintf(f, "\n");
    }
    if (d->findings.n > 50)
        fprintf(f, "- … and %zu more in the findings layer\n", d->findings.n - 50);

    /* Inputs. */
    fprintf(f, "\n## Inputs\n\n| layer | source | CRS | read | used | skipped | repaired |\n"
               "| --- | --- | --- | ---: | ---: | ---: | ---: |\n");
    json_t *inputs = json_array();
    input_row(f, inputs, "clusters", c);
    if (d->districts)
        input_row(f, inputs, "districts", d->districts);
    if (d->villages)
        input_row(f, inputs, "villages", d->villages);
    if (d->zoning) {
        const ccgis_overlay_result *z = d->zoning;
        fprintf(f, "| zoning | `%s` | | %lld read (box near a cluster) | %lld met a cluster's "
                   "box | %lld | %lld |\n",
                job->zoning.source, z->zones_read, z->zones_near, z->zones_skipped,
                z->zones_repaired);
        json_array_append_new(inputs, json_pack("{s:s, s:s, s:I, s:I, s:I, s:I}", "layer",
                                                "zoning", "source", job->zoning.source, "read",
                                                (json_int_t)z->zones_read, "near",
                                                (json_int_t)z->zones_near, "skipped",
                                                (json_int_t)z->zones_skipped, "repaired",
                                                (json_int_t)z->zones_repaired));
    }
    json_object_set_new(doc, "inputs", inputs);
}

/* ccgis_write_report: see internal.h. */
ccgis_status ccgis_write_report(run_data *d, const char *dir)
{
    ccgis_ctx *ctx = d->ctx;
    char path[4096];
    size_t n = d->clusters->n;
    if (d->villages && d->villages->n > n)
        n = d->villages->n;
    size_t *order = ccgis_calloc(ctx, n, sizeof *order);
    json_t *doc = json_pack("{s:s, s:s, s:s, s:s}", "ccgis", ccgis_version(), "libraries",
                            ccgis_library_versions(), "job", d->job->path, "name",
                            d->job->name);
    if (!order || !doc) {
        free(order);
        json_decref(doc);
        return ccgis_nomem(ctx);
    }
    snprintf(path, sizeof path, "%s/report.md", dir);
    FILE *f = fopen(path, "w");
    ccgis_status st = CCGIS_OK;
    if (!f) {
        st = ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s: cannot be written -- check the folder",
                         path);
    } else {
        write_story(d, f, doc, order);
        if (ferror(f) | fclose(f))
            st = ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                             "%s: could not be written completely -- check free space", path);
    }
    snprintf(path, sizeof path, "%s/summary.json", dir);
    if (st == CCGIS_OK && json_dump_file(doc, path, JSON_INDENT(2)) != 0)
        st = ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                         "%s: could not be written completely -- check free space", path);
    json_decref(doc);
    free(order);
    return st;
}
