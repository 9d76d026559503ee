/*
 * fields.c -- fields.csv: every field of a run's layers, under its full name
 * and its Shapefile name, with its unit and meaning (see internal.h).
 *
 * A row per field of each layer the run writes, in layer then column order:
 *   layer      clusters, cluster_zones, districts, villages, findings
 *   field      the full name (GeoPackage, GeoJSON, SpatiaLite)
 *   shp_field  the name in the Shapefile (shpnames.c: at most 10 bytes)
 *   unit       ha, m², m, %, count, 1/0 for ccgis's columns; empty for text
 *              and for the source's fields
 *   meaning    for ccgis's columns what they hold; for a source field
 *              "from <source>", naming the field there when ccgis renamed it
 *              (result.c: src_area_ha for a source's own area_ha).
 * The source's fields come first in a layer (result.c), so a field is the
 * source's when its position is below the source layer's field count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A ccgis column: the layer it is in (NULL: any), name, unit, meaning. */
typedef struct column_doc {
    const char *layer, *name, *unit, *meaning;
} column_doc;

static const column_doc docs[] = {
    {"clusters", "area_ha", "ha", "geodesic area of the cluster (WGS 84 ellipsoid)"},
    {"clusters", "plan_ha", "ha", "planar area of the cluster in the job's plan_crs"},
    {"clusters", "district", "", "the district holding the largest share of the cluster"},
    {"clusters", "dist_pct", "%", "that district's share of the cluster's area"},
    {"clusters", "n_dist", "count", "districts holding at least the tolerance of the cluster"},
    {"clusters", "allow_ha", "ha", "area on allowed zoning classes only"},
    {"clusters", "confl_ha", "ha", "area on other zoning classes only (conflict)"},
    {"clusters", "mixed_ha", "ha", "area on zones of both kinds (the zoning contradicts itself)"},
    {"clusters", "nozone_ha", "ha",
     "area on no classified zone (allow_ha + confl_ha + mixed_ha + nozone_ha = area_ha)"},
    {"clusters", "confl_pct", "%", "confl_ha / area_ha x 100"},
    {"clusters", "confl_top", "", "the conflicting class with the largest area"},
    {"clusters", "vill_near", "count", "craft villages within radius_m of the cluster"},
    {"clusters", "flags", "",
     "kinds of the findings about the cluster, and its programme flags (NOT_STARTED, "
     "NO_PLAN_1500), separated by ';'"},
    {"clusters", "change", "",
     "change class of the cluster's group against the [plan] layer: unchanged, expanded, "
     "reduced, moved, removed, merged, split"},
    {"clusters", "wwtp", "",
     "wastewater plant: compliant (one meeting the standard inside or within max_m), "
     "not_compliant (only plants that do not), none"},
    {"plan_changes", "cluster_id", "", "ids of today's clusters of the group, joined by ', '"},
    {"plan_changes", "plan_id", "", "ids of the planned clusters of the group, joined by ', '"},
    {"plan_changes", "change", "",
     "change class: unchanged, expanded, reduced, moved, new, removed, merged, split"},
    {"plan_changes", "area_ha", "ha", "geodesic area of the union of today's clusters"},
    {"plan_changes", "plan_area_ha", "ha", "geodesic area of the union of the planned clusters"},
    {"plan_changes", "delta_ha", "ha", "plan_area_ha - area_ha"},
    {"plan_changes", "gained_ha", "ha", "planned land not in today's clusters"},
    {"plan_changes", "lost_ha", "ha",
     "today's land not in the planned clusters (area_ha + gained_ha - lost_ha = "
     "plan_area_ha)"},
    {"cluster_zones", "cluster_id", "", "id of the cluster ([clusters] id)"},
    {"cluster_zones", "class", "", "land-use class of the zones under the piece"},
    {"cluster_zones", "area_m2", "m²", "geodesic area of the piece"},
    {"cluster_zones", "area_ha", "ha", "geodesic area of the piece"},
    {"cluster_zones", "share_pct", "%", "the piece's share of the cluster's area"},
    {"cluster_zones", "allowed", "1/0", "1 if the class is allowed"},
    {"cluster_zones", "n_zones", "count", "zones of that class under the cluster"},
    {"districts", "n_clusters", "count", "clusters assigned to the district"},
    {"districts", "clust_ha", "ha", "geodesic area of the clusters assigned to it"},
    {"districts", "confl_ha", "ha", "their area on conflicting classes"},
    {"districts", "n_villages", "count", "craft villages inside the district"},
    {"villages", "near_id", "", "id of the nearest cluster"},
    {"villages", "near_m", "m", "geodesic distance to that cluster's boundary (0 inside)"},
    {"villages", "within", "1/0", "1 if near_m <= radius_m"},
    {"findings", "kind", "", "the kind of finding (`ccgis help run` lists them)"},
    {"findings", "layer", "", "the layer of the feature concerned"},
    {"findings", "subject", "", "id of the feature concerned"},
    {"findings", "other", "", "the other feature or class concerned"},
    {"findings", "area_ha", "ha", "geodesic area concerned"},
    {"findings", "detail", "", "the finding in words"},
};

/* The documentation of column `name` of `layer`, or NULL. */
static const column_doc *doc_of(const char *layer, const char *name)
{
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++)
        if (strcmp(docs[i].layer, layer) == 0 && strcmp(docs[i].name, name) == 0)
            return &docs[i];
    return NULL;
}

/* Add the rows of one layer to table `t`. */
static ccgis_status layer_rows(ccgis_ctx *ctx, OGRLayerH t, const char *lname, GDALDatasetH ds,
                               const ccgis_layer *src)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(GDALDatasetGetLayer(ds, 0));
    OGRFeatureDefnH sd = src ? src->defn : NULL;
    int n = OGR_FD_GetFieldCount(defn), nsrc = sd ? OGR_FD_GetFieldCount(sd) : 0;
    char(*shp)[CCGIS_SHP_NAME_MAX + 1] = ccgis_calloc(ctx, (size_t)(n > 0 ? n : 1), sizeof *shp);
    ccgis_status st = shp ? ccgis_shp_names(ctx, defn, shp) : CCGIS_ERR_NOMEM;
    for (int i = 0; i < n && st == CCGIS_OK; i++) {
        const char *full = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
        const char *unit = "";
        char meaning[CCGIS_MSG_MAX];
        if (i < nsrc) {
            const char *orig = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(sd, i));
            if (strcmp(orig, full) == 0)
                snprintf(meaning, sizeof meaning, "from %s", src->source);
            else
                snprintf(meaning, sizeof meaning, "from %s, where it is named %s", src->source,
                         orig);
        } else {
            const column_doc *doc = doc_of(lname, full);
            unit = doc ? doc->unit : "";
            snprintf(meaning, sizeof meaning, "%s", doc ? doc->meaning : "computed by ccgis");
        }
        ccgis_value v[5] = {CCGIS_VSTR(lname), CCGIS_VSTR(full), CCGIS_VSTR(shp[i]),
                            CCGIS_VSTR(unit), CCGIS_VSTR(meaning)};
        st = ccgis_result_add(ctx, t, NULL, NULL, v, 5);
    }
    free(shp);
    return st;
}

/* ccgis_fields_table: see internal.h. */
ccgis_status ccgis_fields_table(ccgis_ctx *ctx, const char *const *names,
                                const GDALDatasetH *layers, const ccgis_layer *const *sources,
                                size_t n, GDALDatasetH *out)
{
    static const ccgis_field_spec cols[] = {
        {"layer", CCGIS_F_STRING, 0, 0},     {"field", CCGIS_F_STRING, 0, 0},
        {"shp_field", CCGIS_F_STRING, 0, 0}, {"unit", CCGIS_F_STRING, 0, 0},
        {"meaning", CCGIS_F_STRING, 0, 0},
    };
    OGRLayerH t;
    *out = NULL;
    GDALDatasetH ds = ccgis_table_new(ctx, "fields", wkbNone, NULL, cols, 5, &t);
    if (!ds)
        return ccgis_errcode(ctx);
    ccgis_status st = CCGIS_OK;
    for (size_t k = 0; k < n && st == CCGIS_OK; k++)
        if (layers[k])
            st = layer_rows(ctx, t, names[k], layers[k], sources[k]);
    return ccgis_table_finish(st, ds, out);
}
