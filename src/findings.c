/*
 * findings.c -- the list of data problems (see ccgis/findings.h), and the
 * sentences that tell each, in English and Vietnamese.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const kind_names[CCGIS_FINDING_KINDS] = {
    "GEOMETRY_SKIPPED",     "GEOMETRY_REPAIRED",   "CLUSTER_OVERLAP",
    "STRADDLES_DISTRICTS", "OUTSIDE_DISTRICTS", "ZONING_CONFLICT",
    "ZONING_OVERLAP",      "ZONING_GAP",        "ZONE_REPAIRED",
    "ZONE_SKIPPED",        "ZONE_UNCLASSIFIED", "AREA_MISMATCH",
    "NEEDS_MANUAL_FIX",    "OVERLAP",           "WWTP_MISSING",
    "RELOCATION_GAP",
};

_Static_assert(CCGIS_SAY_WORDS == CCGIS_FINDING_WORDS && CCGIS_SAY_FIGURES == CCGIS_FINDING_FIGURES,
               "a finding keeps every word and figure of its sentence");

/*
 * The sentences, [form][language]: Vietnamese, English (placeholders:
 * lang.h).  The English one, with plain numbers, is each finding's detail
 * (the findings layer, the messages); report.md tells the job's language.
 */
static const char *const sentences[CCGIS_SAY_FORMS][2] = {
    [CCGIS_SAY_SKIPPED] = {"đối tượng {i0} của lớp {l0} bị bỏ qua: {w1}",
                           "feature {i0} of {w0} skipped: {w1}"},
    [CCGIS_SAY_REPAIRED] = {"{l0} {w1}: đa giác không hợp lệ ({w2}) đã được sửa bằng "
                            "MakeValid; diện tích trắc địa trước khi sửa {f0.1 m²}, sau khi "
                            "sửa {f1.1 m²}",
                            "{w0} {w1}: invalid polygon ({w2}) repaired with MakeValid; "
                            "geodesic area {f0.1 m²} before, {f1.1 m²} after"},
    [CCGIS_SAY_OVERLAP] = {"{l0} {w1} và {w2} chồng lấn nhau trên {f0.1} m² ({f1.2} ha)",
                           "{w0} {w1} and {w2} overlap on {f0.1} m² ({f1.2} ha)"},
    [CCGIS_SAY_STRADDLES] = {"{l0} {w1} nằm trên {i0} quận/huyện: {s2}; được tính vào {w3}",
                             "{w0} {w1} lies in {i0} districts: {s2}; assigned to {w3}"},
    [CCGIS_SAY_OUTSIDE_ALL] = {"{l0} {w1} nằm ngoài mọi quận/huyện ({f0.2} ha)",
                               "{w0} {w1} lies in no district ({f0.2} ha)"},
    [CCGIS_SAY_OUTSIDE_PART] = {"{l0} {w1}: {f0.2} ha ({%1.1} diện tích) nằm ngoài mọi "
                                "quận/huyện",
                                "{w0} {w1}: {f0.2} ha ({%1.1} of its area) lie in no district"},
    [CCGIS_SAY_UNNAMED_UNDER] = {"đối tượng quận/huyện {w0} không có tên: {f0.2} ha của {l1} "
                                 "{w2} nằm trên đó được tính là ngoài mọi quận/huyện — hãy "
                                 "điền tên cho đối tượng này",
                                 "district feature {w0} has no name: the {f0.2} ha of {w1} "
                                 "{w2} on it count as in no district -- give it its name"},
    [CCGIS_SAY_CONFLICT] = {"cụm {w0}: {f0.2} ha ({%1.1} diện tích) trên đất không được quy "
                            "hoạch cho công nghiệp, nhiều nhất là {w1}",
                            "cluster {w0}: {f0.2} ha ({%1.1} of its area) on land not zoned "
                            "for industry, most on {w1}"},
    [CCGIS_SAY_GAP_ALL] = {"cụm {w0} nằm ngoài mọi vùng quy hoạch có loại đất ({f0.2} ha): "
                           "không thể kiểm tra quy hoạch của cụm — lớp quy hoạch không phủ "
                           "tới cụm",
                           "cluster {w0} lies on no classified zone ({f0.2} ha): its zoning "
                           "cannot be checked -- the zoning layer does not cover it"},
    [CCGIS_SAY_GAP_PART] = {"cụm {w0}: {f0.2} ha ({%1.1} diện tích) nằm ngoài mọi vùng quy "
                            "hoạch có loại đất — lớp quy hoạch để trống chỗ này",
                            "cluster {w0}: {f0.2} ha ({%1.1} of its area) on no classified "
                            "zone -- the zoning layer leaves a gap there"},
    [CCGIS_SAY_ZONES_MIXED] = {"vùng {w0} ({w1}) và {w2} ({w3}) chồng lấn nhau trên {f0.2} ha "
                               "trong cụm {w4}: chồng chéo — một vùng cho phép công nghiệp, "
                               "vùng kia không, nên quy hoạch tự mâu thuẫn tại đây (tính vào "
                               "mixed_ha)",
                               "zones {w0} ({w1}) and {w2} ({w3}) overlap on {f0.2} ha inside "
                               "cluster {w4}: mixed -- one allows industry and the other does "
                               "not, so the zoning contradicts itself there (counted as "
                               "mixed_ha)"},
    [CCGIS_SAY_ZONES_ONCE] = {"vùng {w0} ({w1}) và {w2} ({w3}) chồng lấn nhau trên {f0.2} ha "
                              "trong cụm {w4}: chỉ tính một lần",
                              "zones {w0} ({w1}) and {w2} ({w3}) overlap on {f0.2} ha inside "
                              "cluster {w4}: counted once"},
    [CCGIS_SAY_NO_CLASS] = {"vùng {w0} không có loại đất (trống hoặc NULL): {f0.2} ha của cụm "
                            "{w1} nằm trên vùng này được tính là ngoài quy hoạch — hãy điền "
                            "mã loại đất cho vùng",
                            "zone {w0} has no land-use class (blank or NULL): the {f0.2} ha of "
                            "cluster {w1} on it count as on no zone -- give it its code"},
    [CCGIS_SAY_ZONE_REPAIRED] = {"vùng {w0}: đa giác không hợp lệ ({w1}) đã được sửa bằng "
                                 "MakeValid; diện tích trắc địa trước khi sửa {f0.1 m²}, sau "
                                 "khi sửa {f1.1 m²}",
                                 "zone {w0}: invalid polygon ({w1}) repaired with MakeValid; "
                                 "geodesic area {f0.1 m²} before, {f1.1 m²} after"},
    [CCGIS_SAY_ZONE_SKIPPED] = {"vùng {w0} bị bỏ qua: {w1}", "zone {w0} skipped: {w1}"},
    [CCGIS_SAY_MANUAL_FIX] = {"cụm {w0} được vẽ không hợp lệ: như đã vẽ đo được {f0.2} ha, sau "
                              "khi sửa {f1.2} ha ({+%2.0}) — các số liệu của cụm dùng {f1.2} "
                              "ha; hãy vẽ lại ranh giới bằng tay",
                              "cluster {w0} was drawn invalid: as drawn it measures {f0.2} ha, "
                              "once repaired {f1.2} ha ({+%2.0}) -- its figures use {f1.2} ha; "
                              "redraw its boundary by hand"},
    [CCGIS_SAY_DECLARED_BAD] = {"cụm {w0}: diện tích quyết định {w1} = '{w2}' không phải là "
                                "một số ha dương; hình học của cụm đo được {f0.2} ha",
                                "cluster {w0}: declared area {w1} = '{w2}' is not a positive "
                                "number of hectares; its geometry measures {f0.2} ha"},
    [CCGIS_SAY_MISMATCH] = {"cụm {w0}: ranh giới đo được {f0.2} ha nhưng diện tích quyết định "
                            "là {f1.2} ha ({w1}), chênh {+%2.1} — vượt mức {%3.0} cho phép; "
                            "hãy kiểm tra ranh giới hoặc quyết định",
                            "cluster {w0}: its boundary measures {f0.2} ha but {f1.2} ha are "
                            "declared ({w1}), {+%2.1} -- more than the {%3.0} allowed; check "
                            "the boundary or the declaration"},
    [CCGIS_SAY_DISTRICT_NO_NAME] = {"đối tượng quận/huyện {w0} không có tên ({w1} = NULL hoặc "
                                    "trống): {f0.2} ha của đối tượng này được tính là ngoài mọi "
                                    "quận/huyện — hãy điền tên cho đối tượng này",
                                    "district feature {w0} has no name ({w1} = NULL or blank): "
                                    "its {f0.2} ha count as in no district -- give it its name"},
    [CCGIS_SAY_WWTP_NONE] = {"cụm {w0} đang hoạt động nhưng không có trạm xử lý nước thải nào "
                             "trong cụm hoặc cách cụm không quá {f0.0} m",
                             "cluster {w0} is operating but no wastewater-treatment plant lies "
                             "inside it or within {f0.0} m"},
    [CCGIS_SAY_WWTP_FAILS] = {"cụm {w0} đang hoạt động nhưng trạm xử lý nước thải {w1} (cách "
                              "{f1.0} m) chưa đạt quy chuẩn kỹ thuật quốc gia",
                              "cluster {w0} is operating but its wastewater-treatment plant "
                              "{w1} ({f1.0} m away) does not meet the national technical "
                              "standard"},
    [CCGIS_SAY_RELOCATION_GAP] = {"làng nghề {w0} ({w1}): không có cụm hiện có hay cụm quy "
                                  "hoạch nào trong bán kính {f0.0} m; cụm quy hoạch gần nhất "
                                  "là {w2}, cách {f1.2} km",
                                  "craft village {w0} ({w1}): no current or planned cluster "
                                  "within {f0.0} m; the nearest planned cluster is {w2}, "
                                  "{f1.2} km away"},
};

/* ccgis_finding_kind_name: see findings.h. */
const char *ccgis_finding_kind_name(ccgis_finding_kind kind)
{
    return (unsigned)kind < CCGIS_FINDING_KINDS ? kind_names[kind] : "UNKNOWN";
}

/* ccgis_findings_count: see findings.h. */
size_t ccgis_findings_count(const ccgis_findings *list, ccgis_finding_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < list->n; i++)
        n += list->items[i].kind == kind;
    return n;
}

/* ccgis_findings_clear: see findings.h. */
void ccgis_findings_clear(ccgis_findings *list)
{
    for (size_t i = 0; i < list->n; i++) {
        ccgis_finding *f = &list->items[i];
        free(f->layer);
        free(f->subject);
        free(f->other);
        free(f->detail);
        for (int w = 0; w < CCGIS_FINDING_WORDS; w++)
            free(f->words[w]);
        if (f->geom)
            GEOSGeom_destroy_r(list->geos, f->geom);
    }
    free(list->items);
    list->items = NULL;
    list->n = list->cap = 0;
}

/* Append a finding with its detail; `form` and `args` (may be 0 / NULL)
 * kept.  Returns CCGIS_OK or CCGIS_ERR_NOMEM (recorded; geom destroyed). */
static ccgis_status push(ccgis_ctx *ctx, ccgis_findings *list, ccgis_finding_kind kind,
                         const char *layer, const char *subject, const char *other, double area_m2,
                         GEOSGeometry *geom, const char *detail, ccgis_finding_form form,
                         const ccgis_say_args *args)
{
    if (!ccgis_grow(ctx, (void **)&list->items, &list->cap, list->n, sizeof *list->items)) {
        if (geom)
            GEOSGeom_destroy_r(ctx->geos, geom);
        return CCGIS_ERR_NOMEM;
    }
    list->geos = ctx->geos;
    ccgis_finding *f = &list->items[list->n];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->area_m2 = area_m2;
    f->geom = geom;
    f->layer = ccgis_strdup(ctx, layer);
    f->subject = ccgis_strdup(ctx, subject);
    f->other = ccgis_strdup(ctx, other);
    f->detail = ccgis_strdup(ctx, detail);
    list->n++; /* counted even if a string failed: clear() frees what is there */
    int failed =
        (layer && !f->layer) || (subject && !f->subject) || (other && !f->other) || !f->detail;
    if (args) {
        f->form = (int)form;
        for (int w = 0; w < CCGIS_FINDING_WORDS; w++)
            if (args->w[w] && !(f->words[w] = ccgis_strdup(ctx, args->w[w])))
                failed = 1;
        for (int x = 0; x < CCGIS_FINDING_FIGURES; x++)
            f->figures[x] = args->x[x];
    }
    return failed ? CCGIS_ERR_NOMEM : CCGIS_OK;
}

/* ccgis_finding_add: see internal.h. */
ccgis_status ccgis_finding_add(ccgis_ctx *ctx, ccgis_findings *list, ccgis_finding_kind kind,
                               const char *layer, const char *subject, const char *other,
                               double area_m2, GEOSGeometry *geom, const char *fmt, ...)
{
    char detail[CCGIS_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    return push(ctx, list, kind, layer, subject, other, area_m2, geom, detail, CCGIS_SAY_NONE,
                NULL);
}

/* ccgis_finding_say: see internal.h. */
ccgis_status ccgis_finding_say(ccgis_ctx *ctx, ccgis_findings *list, ccgis_finding_kind kind,
                               const char *layer, const char *subject, const char *other,
                               double area_m2, GEOSGeometry *geom, ccgis_finding_form form,
                               const ccgis_say_args *args)
{
    char detail[CCGIS_MSG_MAX];
    if (form <= CCGIS_SAY_NONE || form >= CCGIS_SAY_FORMS)
        form = CCGIS_SAY_NONE;
    ccgis_say(CCGIS_LANG_EN, 1, form ? sentences[form][1] : "?", args, detail, sizeof detail);
    return push(ctx, list, kind, layer, subject, other, area_m2, geom, detail, form, args);
}

/* ccgis_finding_text: see findings.h. */
char *ccgis_finding_text(const ccgis_finding *f, ccgis_lang lang, char *buf, size_t cap)
{
    if (f->form <= CCGIS_SAY_NONE || f->form >= CCGIS_SAY_FORMS) {
        ccgis_say_args none = {{f->detail ? f->detail : ""}, {0}};
        return ccgis_say(lang, 1, "{w0}", &none, buf, cap);
    }
    ccgis_say_args a;
    for (int w = 0; w < CCGIS_FINDING_WORDS; w++)
        a.w[w] = f->words[w];
    for (int x = 0; x < CCGIS_FINDING_FIGURES; x++)
        a.x[x] = f->figures[x];
    return ccgis_say(lang, 0, sentences[f->form][lang == CCGIS_LANG_EN], &a, buf, cap);
}
