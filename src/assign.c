/*
 * assign.c -- which zone each polygon belongs to (see ccgis/assign.h).
 *
 * The overlay engine gives, per input, the area on each zone name (features
 * with one name dissolved: the union of their pieces); the zone with the
 * largest area wins (the smaller name key on a tie), and the zones holding
 * at least the input's tolerance are counted.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Findings about input i: part or all of it in no zone, zones without a
 * name under it, several zones.  The notes and pieces come by input
 * (overlay.h): *note_at and *piece_at are cursors into them, moved past
 * input i, so that the inputs in order cost one pass over each list. */
static ccgis_status add_findings(ccgis_ctx *ctx, const ccgis_layer *input, size_t i,
                                 const ccgis_assign_result *r, ccgis_findings *findings,
                                 size_t *note_at, size_t *piece_at)
{
    const ccgis_feature *f = &input->f[i];
    const ccgis_overlay_result *o = r->overlay;
    GEOSContextHandle_t h = ctx->geos;
    ccgis_status st = CCGIS_OK;
    if (!findings)
        return CCGIS_OK;
    double out = o->nozone_m2[i], area = o->area_m2[i];
    if (out > 0 && out >= o->tol_m2[i]) {
        GEOSGeometry *g = o->nozone_geom[i] ? GEOSGeom_clone_r(h, o->nozone_geom[i]) : NULL;
        if (r->n_zones[i] == 0)
            st = ccgis_finding_say(ctx, findings, CCGIS_OUTSIDE_DISTRICTS, input->what, f->key,
                                   NULL, out, g, CCGIS_SAY_OUTSIDE_ALL,
                                   &(ccgis_say_args){{input->what, f->key}, {out / 1e4}});
        else
            st = ccgis_finding_say(
                ctx, findings, CCGIS_OUTSIDE_DISTRICTS, input->what, f->key, NULL, out, g,
                CCGIS_SAY_OUTSIDE_PART,
                &(ccgis_say_args){{input->what, f->key}, {out / 1e4, 100.0 * out / area}});
    }
    while (*note_at < o->n_notes && (o->notes[*note_at].kind != CCGIS_ZONE_UNCLASSIFIED ||
                                     o->notes[*note_at].input < i))
        (*note_at)++; /* the repaired and skipped zones come first */
    for (; *note_at < o->n_notes && o->notes[*note_at].input == i && st == CCGIS_OK;
         (*note_at)++) {
        const ccgis_overlay_note *nt = &o->notes[*note_at];
        if (nt->kind != CCGIS_ZONE_UNCLASSIFIED || nt->area_m2 < o->tol_m2[i])
            continue;
        st = ccgis_finding_say(
            ctx, findings, CCGIS_ZONE_UNCLASSIFIED, input->what, f->key, nt->zone, nt->area_m2,
            nt->geom ? GEOSGeom_clone_r(h, nt->geom) : NULL, CCGIS_SAY_UNNAMED_UNDER,
            &(ccgis_say_args){{nt->zone, input->what, f->key}, {nt->area_m2 / 1e4}});
    }
    if (st != CCGIS_OK || r->n_zones[i] < 2)
        return st;
    /* "60.0% Chương Mỹ, 40.0% Quốc Oai" from the pieces of input i, as a list of
     * shares (lang.h {sN}): "60.0\x1fChương Mỹ\x1e40.0\x1fQuốc Oai". */
    char shares[512] = "";
    size_t used = 0;
    const char *second = NULL;
    while (*piece_at < o->n_pieces && o->pieces[*piece_at].input < i)
        (*piece_at)++;
    for (size_t k = *piece_at; k < o->n_pieces && o->pieces[k].input == i; k++) {
        const ccgis_overlay_piece *p = &o->pieces[k];
        if (p->area_m2 < o->tol_m2[i])
            continue;
        if (!second && strcmp(p->klass, r->zone[i]) != 0)
            second = p->klass;
        int w = snprintf(shares + used, sizeof shares - used, "%s%.1f" CCGIS_SHARE_SEP "%s",
                         used ? CCGIS_SHARES_SEP : "", 100.0 * p->area_m2 / area, p->klass);
        if (w > 0 && (size_t)w < sizeof shares - used)
            used += (size_t)w;
    }
    return ccgis_finding_say(
        ctx, findings, CCGIS_STRADDLES_DISTRICTS, input->what, f->key, second, area, NULL,
        CCGIS_SAY_STRADDLES,
        &(ccgis_say_args){{input->what, f->key, shares, r->zone[i]}, {r->n_zones[i]}});
}

/* ccgis_assign: see assign.h. */
ccgis_status ccgis_assign(ccgis_ctx *ctx, const ccgis_layer *input, const ccgis_layer_spec *zones,
                          const char *name_field, double sliver, double sliver_m2,
                          ccgis_findings *findings, ccgis_progress_fn progress,
                          void *progress_arg, ccgis_assign_result **out)
{
    ccgis_overlay_options o = {*zones, name_field, NULL, sliver, sliver_m2};
    ccgis_assign_result *r = NULL;
    ccgis_status st;

    *out = NULL;
    r = ccgis_calloc(ctx, 1, sizeof *r);
    if (!r)
        return CCGIS_ERR_NOMEM;
    if ((st = ccgis_overlay(ctx, input, &o, progress, progress_arg, &r->overlay)) != CCGIS_OK)
        goto done;
    r->n = input->n;
    r->zone = ccgis_calloc(ctx, input->n, sizeof *r->zone);
    r->share_pct = ccgis_calloc(ctx, input->n, sizeof *r->share_pct);
    r->n_zones = ccgis_calloc(ctx, input->n, sizeof *r->n_zones);
    if (!r->zone || !r->share_pct || !r->n_zones) {
        st = CCGIS_ERR_NOMEM;
        goto done;
    }
    double *best = ccgis_calloc(ctx, input->n, sizeof *best);
    if (!best) {
        st = CCGIS_ERR_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < input->n; i++)
        r->zone[i] = "";
    const ccgis_overlay_result *ov = r->overlay;
    /* Pieces come by input then name key: on equal areas the smaller key wins. */
    /* The largest piece names the zone whatever its size (a cluster smaller than
     * the tolerance still has a district); pieces from the tolerance up count. */
    for (size_t k = 0; k < ov->n_pieces; k++) {
        const ccgis_overlay_piece *p = &ov->pieces[k];
        if (!(p->area_m2 > 0))
            continue;
        if (p->area_m2 >= ov->tol_m2[p->input])
            r->n_zones[p->input]++;
        if (p->area_m2 > best[p->input]) {
            best[p->input] = p->area_m2;
            r->zone[p->input] = p->klass;
        }
    }
    for (size_t i = 0; i < input->n; i++)
        if (r->n_zones[i] == 0 && best[i] > 0)
            r->n_zones[i] = 1;
    size_t note_at = 0, piece_at = 0;
    for (size_t i = 0; i < input->n && st == CCGIS_OK; i++) {
        r->share_pct[i] =
            ov->area_m2[i] > 0 ? fmin(100.0, 100.0 * best[i] / ov->area_m2[i]) : 0.0;
        st = add_findings(ctx, input, i, r, findings, &note_at, &piece_at);
    }
    free(best);
    if (st == CCGIS_OK) {
        *out = r;
        r = NULL;
    }
done:
    ccgis_assign_result_free(r);
    return st;
}

/* ccgis_assign_result_free: see assign.h. */
ccgis_assign_result *ccgis_assign_result_free(ccgis_assign_result *r)
{
    if (!r)
        return NULL;
    free(r->zone);
    free(r->share_pct);
    free(r->n_zones);
    ccgis_overlay_result_free(r->overlay);
    free(r);
    return NULL;
}
