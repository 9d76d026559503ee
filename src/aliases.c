/*
 * aliases.c -- the names people read for ccgis's own columns, with units.
 *
 * A column such as confl_pct is short so that every format, the Shapefile's
 * ten characters included, has the same schema; QGIS shows an alias in its
 * place (attribute table, identify results, forms) when the layer's style
 * carries one (qml.c writes them into <aliases>).  The texts are those of
 * the workbook's headings (workbook.c), in Vietnamese and English, the unit
 * in brackets: "Diện tích (ha)", "Area (ha)".
 *
 * Exports ccgis_field_alias.
 */
#include <string.h>

#include "internal.h"

/* One column of a layer: its alias in Vietnamese and in English. */
typedef struct alias {
    const char *layer; /* NULL: any layer */
    const char *field;
    const char *text[2]; /* [ccgis_lang] */
} alias;

/* Layer-specific rows first: the first match wins. */
static const alias aliases[] = {
    /* cluster_zones: one piece of a cluster on one land-use zone */
    {"cluster_zones", "cluster_id", {"Mã cụm", "Cluster id"}},
    {"cluster_zones", "class", {"Loại đất", "Land-use class"}},
    {"cluster_zones", "area_m2", {"Diện tích trên loại đất (m²)", "Area on the class (m²)"}},
    {"cluster_zones", "area_ha", {"Diện tích trên loại đất (ha)", "Area on the class (ha)"}},
    {"cluster_zones", "share_pct", {"Tỷ lệ diện tích cụm (%)", "Share of the cluster (%)"}},
    {"cluster_zones", "allowed", {"Loại đất được phép (1 = có)", "Allowed class (1 = yes)"}},
    {"cluster_zones", "n_zones", {"Số vùng quy hoạch", "Zones"}},
    /* districts: the aggregates */
    {"districts", "n_clusters", {"Số cụm", "Clusters"}},
    {"districts", "clust_ha", {"Diện tích cụm (ha)", "Cluster area (ha)"}},
    {"districts", "confl_ha", {"Diện tích xung đột quy hoạch (ha)", "Conflict area (ha)"}},
    {"districts", "n_villages", {"Số làng nghề", "Craft villages"}},
    /* villages */
    {"villages", "near_id", {"Cụm gần nhất", "Nearest cluster"}},
    {"villages", "near_m", {"Khoảng cách đến cụm gần nhất (m)", "Distance to it (m)"}},
    {"villages", "within", {"Trong bán kính (1 = có)", "Within the radius (1 = yes)"}},
    /* plan_changes: one group of matched clusters, today against the plan */
    {"plan_changes", "cluster_id", {"Mã cụm hiện nay", "Cluster ids now"}},
    {"plan_changes", "plan_id", {"Mã cụm quy hoạch", "Planned cluster ids"}},
    {"plan_changes", "change", {"Thay đổi", "Change"}},
    {"plan_changes", "area_ha", {"Diện tích hiện nay (ha)", "Area now (ha)"}},
    {"plan_changes", "plan_area_ha", {"Diện tích quy hoạch (ha)", "Area planned (ha)"}},
    {"plan_changes", "delta_ha", {"Chênh lệch diện tích (ha)", "Change in area (ha)"}},
    {"plan_changes", "gained_ha", {"Diện tích tăng thêm (ha)", "Land gained (ha)"}},
    {"plan_changes", "lost_ha", {"Diện tích giảm đi (ha)", "Land lost (ha)"}},
    /* findings */
    {"findings", "kind", {"Mã vấn đề", "Code"}},
    {"findings", "layer", {"Lớp dữ liệu", "Layer"}},
    {"findings", "subject", {"Đối tượng", "Feature"}},
    {"findings", "other", {"Đối tượng hoặc loại đất liên quan", "Other feature or class"}},
    {"findings", "detail", {"Chi tiết", "Detail"}},
    /* clusters (and any layer with the same measure) */
    {NULL, "area_ha", {"Diện tích (ha)", "Area (ha)"}},
    {NULL, "area_m2", {"Diện tích (m²)", "Area (m²)"}},
    {NULL, "plan_ha", {"Diện tích phẳng (ha)", "Planar area (ha)"}},
    {NULL, "district", {"Quận/huyện", "District"}},
    {NULL, "dist_pct", {"Tỷ lệ diện tích trong quận/huyện (%)", "Share in the district (%)"}},
    {NULL, "n_dist", {"Số quận/huyện", "Districts"}},
    {NULL, "allow_ha", {"Đất được phép (ha)", "On allowed classes (ha)"}},
    {NULL, "confl_ha", {"Đất xung đột quy hoạch (ha)", "On other classes: conflict (ha)"}},
    {NULL, "mixed_ha", {"Vùng quy hoạch chồng chéo (ha)", "On zones of both kinds (ha)"}},
    {NULL, "nozone_ha", {"Ngoài vùng quy hoạch (ha)", "On no classified zone (ha)"}},
    {NULL, "confl_pct", {"Tỷ lệ xung đột (%)", "Conflict (%)"}},
    {NULL, "confl_top", {"Loại đất xung đột nhiều nhất", "Class with most conflict"}},
    {NULL, "vill_near", {"Số làng nghề trong bán kính", "Craft villages within the radius"}},
    {NULL, "flags", {"Vấn đề phát hiện", "Findings"}},
    {NULL, "change", {"Thay đổi theo quy hoạch", "Change in the plan"}},
    {NULL, "wwtp", {"Xử lý nước thải", "Wastewater treatment"}},
};

/* ccgis_field_alias: see internal.h. */
const char *ccgis_field_alias(const char *layer, const char *field, ccgis_lang lang)
{
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        const alias *a = &aliases[i];
        if ((!a->layer || strcmp(a->layer, layer) == 0) && strcmp(a->field, field) == 0)
            return a->text[lang == CCGIS_LANG_EN];
    }
    return NULL;
}
