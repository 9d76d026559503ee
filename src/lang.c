/*
 * lang.c -- the words of report.md and the workbook in both languages, and
 * numbers written each language's way (see ccgis/lang.h and lang.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "lang.h"

_Static_assert(T_FK_LAST == T_FK_FIRST + CCGIS_FINDING_KINDS - 1,
               "one finding-kind label per ccgis_finding_kind");
_Static_assert(T_CH_LAST == T_CH_FIRST + CCGIS_CHANGE_KINDS - 1,
               "one label per ccgis_change_kind");
_Static_assert(T_WW_LAST == T_WW_FIRST + CCGIS_WWTP_COMPLIANT, "one label per ccgis_wwtp_state");

/* ---- languages ------------------------------------------------------------ */

/* ccgis_lang_from_name: see ccgis/lang.h. */
int ccgis_lang_from_name(const char *name, ccgis_lang *lang)
{
    if (!name)
        return 0;
    size_t n = strcspn(name, "-_");
    if (name[n] && !name[n + 1])
        return 0; /* "vi-" */
    if (n == 2 && strncasecmp(name, "vi", 2) == 0)
        *lang = CCGIS_LANG_VI;
    else if (n == 2 && strncasecmp(name, "en", 2) == 0)
        *lang = CCGIS_LANG_EN;
    else
        return 0;
    return 1;
}

/* ccgis_lang_name: see ccgis/lang.h. */
const char *ccgis_lang_name(ccgis_lang lang)
{
    return lang == CCGIS_LANG_EN ? "en" : "vi";
}

/* ---- numbers --------------------------------------------------------------- */

/* Copy s into buf (cap bytes), cut at a UTF-8 character boundary. */
static char *copy_cut(char *buf, size_t cap, const char *s)
{
    if (!cap)
        return buf;
    size_t n = strlen(s);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memmove(buf, s, n);
    buf[n] = '\0';
    return buf;
}

/*
 * v with `decimals` places into buf: grouped (thousands separator `group`,
 * decimal mark `point`) or, group == 0, not grouped.  The C library writes
 * the digits; its decimal mark, whatever the locale, is replaced.
 */
static char *format_num(double v, int decimals, char group, char point, char *buf, size_t cap)
{
    if (!isfinite(v))
        return copy_cut(buf, cap, "-");
    if (decimals < 0)
        decimals = 0;
    if (decimals > 9)
        decimals = 9;
    char raw[400], out[560];
    snprintf(raw, sizeof raw, "%.*f", decimals, v);
    const char *p = raw;
    int negative = *p == '-';
    if (negative)
        p++;
    size_t int_len = strspn(p, "0123456789");
    const char *frac = p[int_len] ? p + int_len + 1 : ""; /* after the C decimal mark */
    /* a value that rounds to zero has no sign */
    if (negative && strspn(p, "0") == int_len && strspn(frac, "0") == strlen(frac))
        negative = 0;
    size_t o = 0;
    if (negative)
        out[o++] = '-';
    for (size_t k = 0; k < int_len; k++) {
        if (group && k > 0 && (int_len - k) % 3 == 0)
            out[o++] = group;
        out[o++] = p[k];
    }
    if (decimals > 0) {
        out[o++] = point;
        for (size_t k = 0; frac[k] && o < sizeof out - 1; k++)
            out[o++] = frac[k];
    }
    out[o] = '\0';
    return copy_cut(buf, cap, out);
}

/* ccgis_format_number: see ccgis/lang.h. */
char *ccgis_format_number(ccgis_lang lang, double v, int decimals, char *buf, size_t cap)
{
    return lang == CCGIS_LANG_EN ? format_num(v, decimals, ',', '.', buf, cap)
                                 : format_num(v, decimals, '.', ',', buf, cap);
}

/* ccgis_format_pct: see ccgis/lang.h. */
char *ccgis_format_pct(ccgis_lang lang, double v, int decimals, char *buf, size_t cap)
{
    char num[560];
    ccgis_format_number(lang, v, decimals, num, sizeof num);
    if (!isfinite(v))
        return copy_cut(buf, cap, num);
    size_t n = strlen(num);
    snprintf(num + n, sizeof num - n, "%s", lang == CCGIS_LANG_EN ? "%" : " %");
    return copy_cut(buf, cap, num);
}

/* ---- sentences ----------------------------------------------------------- */

/* Text being built into a fixed buffer; what does not fit is dropped. */
typedef struct out {
    char *buf;
    size_t cap, n;
} out;

static void put(out *o, const char *s, size_t n)
{
    if (o->n + 1 >= o->cap)
        return;
    if (n > o->cap - 1 - o->n) {
        n = o->cap - 1 - o->n;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--; /* cut before a character, not inside it */
    }
    memcpy(o->buf + o->n, s, n);
    o->n += n;
    o->buf[o->n] = '\0';
}

static void puts_(out *o, const char *s)
{
    put(o, s, strlen(s));
}

/* A figure: grouped the language's way, or plainly; a percentage with its
 * sign (% or " %"); `sign`: + before a positive value. */
static void put_figure(out *o, ccgis_lang lang, int plain, double v, int decimals, int pct,
                       int sign)
{
    char num[600];
    if (isnan(v)) {
        puts_(o, lang == CCGIS_LANG_EN || plain ? "unknown" : "không rõ");
        return;
    }
    if (plain)
        format_num(v, decimals, 0, '.', num, sizeof num);
    else
        ccgis_format_number(lang, v, decimals, num, sizeof num);
    if (sign && num[0] != '-' && strspn(num, "0,.") != strlen(num))
        puts_(o, "+");
    puts_(o, num);
    if (pct)
        puts_(o, lang == CCGIS_LANG_EN || plain ? "%" : " %");
}

/* A {sN} list: "pct\x1fname\x1e..." as "59,5 % Chương Mỹ, 40,5 % Quốc Oai". */
static void put_shares(out *o, ccgis_lang lang, int plain, const char *list)
{
    const char *p = list;
    int first = 1;
    while (*p) {
        size_t rec = strcspn(p, CCGIS_SHARES_SEP);
        size_t num = strcspn(p, CCGIS_SHARE_SEP);
        if (num > rec)
            num = rec;
        char figure[64];
        snprintf(figure, sizeof figure, "%.*s", (int)(num < 63 ? num : 63), p);
        if (!first)
            puts_(o, ", ");
        first = 0;
        put_figure(o, lang, plain, strtod(figure, NULL), 1, 1, 0);
        puts_(o, " ");
        if (num < rec)
            put(o, p + num + 1, rec - num - 1);
        p += rec;
        if (*p)
            p++;
    }
}

/* A layer's name as a Vietnamese noun inside a sentence ("cụm CCN21"). */
static const char *layer_noun(const char *layer)
{
    static const char *const nouns[][2] = {{"clusters", "cụm"},
                                           {"districts", "quận/huyện"},
                                           {"zoning", "vùng quy hoạch"},
                                           {"villages", "làng nghề"}};
    for (size_t k = 0; k < sizeof nouns / sizeof nouns[0]; k++)
        if (strcmp(layer, nouns[k][0]) == 0)
            return nouns[k][1];
    return layer;
}

/* ccgis_say: see lang.h. */
char *ccgis_say(ccgis_lang lang, int plain, const char *tmpl, const ccgis_say_args *a, char *buf,
                size_t cap)
{
    out o = {buf, cap, 0};
    if (cap)
        buf[0] = '\0';
    const char *t = tmpl;
    while (*t) {
        const char *open = strchr(t, '{');
        if (!open) {
            puts_(&o, t);
            break;
        }
        put(&o, t, (size_t)(open - t));
        const char *close = strchr(open, '}');
        if (!close) {
            puts_(&o, open);
            break;
        }
        const char *p = open + 1;
        int sign = *p == '+';
        if (sign)
            p++;
        char kind = *p++;
        int n = *p >= '0' && *p <= '9' ? *p++ - '0' : -1;
        int decimals = 0;
        if (*p == '.') {
            p++;
            char *end;
            decimals = (int)strtol(p, &end, 10);
            p = end;
        }
        const char *word = n >= 0 && n < CCGIS_SAY_WORDS && a && a->w[n] ? a->w[n] : "?";
        double fig = n >= 0 && n < CCGIS_SAY_FIGURES && a ? a->x[n] : NAN;
        int figure = kind == 'f' || kind == '%';
        if ((p != close && !figure) || n < 0) {
            put(&o, open, (size_t)(close - open + 1)); /* not a placeholder: as it is */
        } else if (figure) {
            put_figure(&o, lang, plain, fig, decimals, kind == '%', sign);
            if (isfinite(fig))
                put(&o, p, (size_t)(close - p)); /* its unit, " m²" */
        } else if (kind == 'w') {
            puts_(&o, word);
        } else if (kind == 'l') {
            puts_(&o, lang == CCGIS_LANG_EN || plain ? word : layer_noun(word));
        } else if (kind == 'i') {
            char num[64];
            snprintf(num, sizeof num, "%.0f", fig);
            puts_(&o, num);
        } else if (kind == 's') {
            put_shares(&o, lang, plain, word);
        } else {
            put(&o, open, (size_t)(close - open + 1));
        }
        t = close + 1;
    }
    return buf;
}

/* ---- the words ------------------------------------------------------------- */

/* [id][language]: Vietnamese, English. */
static const char *const texts[CCGIS_TEXT_COUNT][2] = {
    [T_SH_SUMMARY] = {"Tổng hợp", "Summary"},
    [T_SH_CLUSTERS] = {"Cụm công nghiệp", "Clusters"},
    [T_SH_DISTRICTS] = {"Quận huyện × trạng thái", "Districts × status"},
    [T_SH_CONFLICTS] = {"Xung đột theo loại đất", "Conflicts by class"},
    [T_SH_VILLAGES] = {"Làng nghề", "Craft villages"},
    [T_SH_FINDINGS] = {"Vấn đề dữ liệu", "Findings"},
    [T_SH_INPUTS] = {"Nguồn dữ liệu", "Inputs"},
    [T_SH_PROGRAMME] = {"Tiến độ chương trình", "Programme progress"},

    [T_STATUS] = {"Trạng thái", "Status"},
    [T_N_CLUSTERS] = {"Số cụm", "Clusters"},
    [T_AREA_HA] = {"Diện tích (ha)", "Area (ha)"},
    [T_SHARE_PCT] = {"Tỷ lệ diện tích (%)", "Share of the area (%)"},
    [T_ITEM] = {"Chỉ tiêu", "Item"},
    [T_VALUE] = {"Giá trị", "Value"},
    [T_TOTAL] = {"Tổng cộng", "Total"},
    [T_NO_STATUS] = {"(không có trạng thái)", "(no status)"},
    [T_CL_ID] = {"Mã cụm", "Cluster id"},
    [T_CL_NAME] = {"Tên cụm", "Cluster name"},
    [T_PLAN_HA] = {"Diện tích phẳng (ha)", "Planar area (ha)"},
    [T_DISTRICT] = {"Quận/huyện", "District"},
    [T_DIST_PCT] = {"Tỷ lệ diện tích trong quận/huyện (%)", "Share in the district (%)"},
    [T_N_DIST] = {"Số quận/huyện", "Districts"},
    [T_ALLOW_HA] = {"Đất được phép (ha)", "On allowed classes (ha)"},
    [T_CONFL_HA] = {"Đất xung đột quy hoạch (ha)", "On other classes: conflict (ha)"},
    [T_MIXED_HA] = {"Vùng quy hoạch chồng chéo (ha)", "On zones of both kinds (ha)"},
    [T_NOZONE_HA] = {"Ngoài vùng quy hoạch (ha)", "On no classified zone (ha)"},
    [T_CONFL_PCT] = {"Tỷ lệ xung đột (%)", "Conflict (%)"},
    [T_CONFL_TOP] = {"Loại đất xung đột nhiều nhất", "Class with most conflict"},
    [T_VILL_NEAR] = {"Số làng nghề trong bán kính", "Craft villages within"},
    [T_FLAGS] = {"Vấn đề phát hiện", "Findings"},
    [T_BY_STATUS_N] = {"Số cụm: ", "Clusters: "},
    [T_BY_STATUS_HA] = {"Diện tích (ha): ", "Area (ha): "},
    [T_N_TOTAL] = {"Tổng số cụm", "Clusters in all"},
    [T_HA_TOTAL] = {"Tổng diện tích (ha)", "Area in all (ha)"},
    [T_D_CONFL_HA] = {"Diện tích xung đột quy hoạch (ha)", "Conflict area (ha)"},
    [T_D_VILLAGES] = {"Số làng nghề", "Craft villages"},
    [T_NO_DISTRICT] = {"(ngoài các quận/huyện)", "(in no district)"},
    [T_CLASS] = {"Loại đất", "Land-use class"},
    [T_PIECE_HA] = {"Diện tích trên loại đất (ha)", "Area on the class (ha)"},
    [T_PIECE_PCT] = {"Tỷ lệ diện tích cụm (%)", "Share of the cluster (%)"},
    [T_N_ZONES] = {"Số vùng quy hoạch", "Zones"},
    [T_V_ID] = {"Mã làng nghề", "Village id"},
    [T_V_NAME] = {"Tên làng nghề", "Village name"},
    [T_NEAR_ID] = {"Cụm gần nhất", "Nearest cluster"},
    [T_NEAR_M] = {"Khoảng cách đến cụm gần nhất (m)", "Distance to it (m)"},
    [T_WITHIN] = {"Trong bán kính", "Within"},
    [T_YES] = {"có", "yes"},
    [T_NO] = {"không", "no"},
    [T_F_PROBLEM] = {"Vấn đề", "Problem"},
    [T_F_KIND] = {"Mã vấn đề", "Code"},
    [T_F_LAYER] = {"Lớp dữ liệu", "Layer"},
    [T_F_SUBJECT] = {"Đối tượng", "Feature"},
    [T_F_OTHER] = {"Đối tượng hoặc loại đất liên quan", "Other feature or class"},
    [T_F_AREA_HA] = {"Diện tích (ha)", "Area (ha)"},
    [T_F_DETAIL] = {"Chi tiết", "Detail"},
    [T_I_LAYER] = {"Lớp dữ liệu", "Layer"},
    [T_I_SOURCE] = {"Tệp nguồn", "Source"},
    [T_I_NAME] = {"Tên lớp trong nguồn", "Layer in the source"},
    [T_I_CRS] = {"Hệ tọa độ", "CRS"},
    [T_I_EPSG] = {"Mã EPSG", "EPSG code"},
    [T_I_ENCODING] = {"Bảng mã", "Encoding"},
    [T_I_READ] = {"Số đối tượng đã đọc", "Features read"},
    [T_I_USED] = {"Đã dùng", "Used"},
    [T_I_SKIPPED] = {"Bỏ qua", "Skipped"},
    [T_I_REPAIRED] = {"Đã sửa", "Repaired"},
    [T_I_NOTE] = {"Ghi chú", "Note"},
    [T_I_ZONING_NOTE] = {"đã đọc: các vùng có khung bao gần một cụm; đã dùng: các vùng có "
                         "khung bao giao với khung bao của một cụm",
                         "read: zones whose box is near a cluster; used: zones whose box "
                         "meets a cluster's"},
    [T_L_CLUSTERS] = {"Cụm công nghiệp", "Industrial clusters"},
    [T_L_DISTRICTS] = {"Quận/huyện", "Districts"},
    [T_L_ZONING] = {"Quy hoạch sử dụng đất", "Land-use zoning"},
    [T_L_VILLAGES] = {"Làng nghề", "Craft villages"},
    [T_L_PLAN] = {"Cụm công nghiệp quy hoạch", "Planned clusters"},
    [T_L_WASTEWATER] = {"Trạm xử lý nước thải", "Wastewater-treatment plants"},
    [T_K_CLUSTERS] = {"Số cụm công nghiệp", "Industrial clusters"},
    [T_K_AREA] = {"Tổng diện tích (ha)", "Area in all (ha)"},
    [T_K_UNION] = {"Diện tích, phần chồng lấn tính một lần (ha)",
                   "Area with overlaps counted once (ha)"},
    [T_K_PLAN] = {"Diện tích phẳng theo ", "Planar area in "},
    [T_K_ALLOW] = {"Đất được phép (ha)", "On allowed classes only (ha)"},
    [T_K_CONFL] = {"Đất xung đột quy hoạch (ha)", "On other classes only: conflict (ha)"},
    [T_K_MIXED] = {"Vùng quy hoạch chồng chéo (ha)", "On zones of both kinds (ha)"},
    [T_K_NOZONE] = {"Ngoài vùng quy hoạch (ha)", "On no classified zone (ha)"},
    [T_K_FOUR] = {"Cộng bốn phần trên (ha)", "The four parts above (ha)"},
    [T_K_N_CONFL] = {"Số cụm có đất xung đột quy hoạch", "Clusters with conflict"},
    [T_K_VILLAGES] = {"Số làng nghề", "Craft villages"},
    [T_K_WITHIN] = {"Số làng nghề trong bán kính", "Craft villages within"},
    [T_K_INSIDE] = {"Số làng nghề nằm trong một cụm", "Craft villages inside a cluster"},
    [T_K_FINDING] = {"Vấn đề: ", "Findings: "},
    [T_K_JOB] = {"Công việc", "Job"},
    [T_K_JOBFILE] = {"Tệp công việc", "Job file"},
    [T_K_MADE_BY] = {"Tạo bởi", "Made by"},
    [T_K_MEASURES] = {"Cách đo", "Measures"},
    [T_MEASURES] = {"diện tích trắc địa trên ellipsoid WGS 84, ha; khoảng cách trắc địa, m",
                    "geodesic areas on the WGS 84 ellipsoid, ha; geodesic distances, m"},
    [T_P_CHANGE] = {"Thay đổi", "Change"},
    [T_P_GROUPS] = {"Số nhóm cụm", "Groups"},
    [T_P_NOW_N] = {"Số cụm hiện nay", "Clusters now"},
    [T_P_NOW_HA] = {"Diện tích hiện nay (ha)", "Area now (ha)"},
    [T_P_PLAN_N] = {"Số cụm quy hoạch", "Clusters planned"},
    [T_P_PLAN_HA] = {"Diện tích quy hoạch (ha)", "Area planned (ha)"},
    [T_P_GAINED_HA] = {"Diện tích tăng thêm (ha)", "Land gained (ha)"},
    [T_P_LOST_HA] = {"Diện tích giảm đi (ha)", "Land lost (ha)"},
    [T_P_WWTP] = {"Xử lý nước thải", "Wastewater treatment"},
    [T_P_OPERATING] = {"Số cụm đang hoạt động", "Operating clusters"},
    [T_P_OP_COMPLIANT] = {"Số cụm đang hoạt động có trạm đạt quy chuẩn",
                          "Operating clusters with a compliant plant"},
    [T_P_OP_SHARE] = {"Tỷ lệ cụm đang hoạt động có trạm đạt quy chuẩn (%), mục tiêu 100 %",
                      "Share of operating clusters with a compliant plant (%), target 100%"},
    [T_P_YEAR_SET_UP] = {"Năm thành lập", "Year set up"},
    [T_P_CLEARANCE] = {"Giải phóng mặt bằng (%)", "Site cleared (%)"},
    [T_P_ENTERPRISES] = {"Số doanh nghiệp, hộ sản xuất", "Enterprises and households"},
    [T_P_WORKERS] = {"Số lao động", "Workers"},
    [T_P_GAPS] = {"Số làng nghề không có cụm phục vụ", "Villages no cluster serves"},
    [T_P_NEAR_PLAN] = {"Cụm quy hoạch gần nhất", "Nearest planned cluster"},
    [T_P_NEAR_KM] = {"Khoảng cách (km)", "Distance (km)"},
    [T_P_FROM_TO] = {"Hiện nay → quy hoạch", "Now → planned"},
    [T_P_NONE] = {"(không có)", "(none)"},
    [T_CH_FIRST + CCGIS_CHANGE_UNCHANGED] = {"giữ nguyên", "unchanged"},
    [T_CH_FIRST + CCGIS_CHANGE_EXPANDED] = {"mở rộng", "expanded"},
    [T_CH_FIRST + CCGIS_CHANGE_REDUCED] = {"thu hẹp", "reduced"},
    [T_CH_FIRST + CCGIS_CHANGE_MOVED] = {"dời vị trí", "moved"},
    [T_CH_FIRST + CCGIS_CHANGE_NEW] = {"thành lập mới", "new"},
    [T_CH_FIRST + CCGIS_CHANGE_REMOVED] = {"đưa ra khỏi quy hoạch", "removed"},
    [T_CH_FIRST + CCGIS_CHANGE_MERGED] = {"sáp nhập", "merged"},
    [T_CH_FIRST + CCGIS_CHANGE_SPLIT] = {"tách", "split"},
    [T_WW_FIRST + CCGIS_WWTP_NONE] = {"không có trạm", "no plant"},
    [T_WW_FIRST + CCGIS_WWTP_NOT_COMPLIANT] = {"có trạm chưa đạt quy chuẩn",
                                               "plant not meeting the standard"},
    [T_WW_FIRST + CCGIS_WWTP_COMPLIANT] = {"có trạm đạt quy chuẩn",
                                           "plant meeting the standard"},
    [T_FK_FIRST + CCGIS_GEOMETRY_SKIPPED] = {"Hình học bị bỏ qua", "Geometry skipped"},
    [T_FK_FIRST + CCGIS_GEOMETRY_REPAIRED] = {"Hình học đã được sửa", "Geometry repaired"},
    [T_FK_FIRST + CCGIS_CLUSTER_OVERLAP] = {"Các cụm chồng lấn nhau", "Clusters overlap"},
    [T_FK_FIRST + CCGIS_STRADDLES_DISTRICTS] = {"Cụm nằm trên nhiều quận/huyện",
                                                "Cluster in several districts"},
    [T_FK_FIRST + CCGIS_OUTSIDE_DISTRICTS] = {"Cụm nằm ngoài các quận/huyện",
                                              "Cluster outside the districts"},
    [T_FK_FIRST + CCGIS_ZONING_CONFLICT] = {"Xung đột quy hoạch", "Zoning conflict"},
    [T_FK_FIRST + CCGIS_ZONING_OVERLAP] = {"Vùng quy hoạch chồng lấn nhau", "Zones overlap"},
    [T_FK_FIRST + CCGIS_ZONING_GAP] = {"Khoảng trống quy hoạch", "Gap in the zoning"},
    [T_FK_FIRST + CCGIS_ZONE_REPAIRED] = {"Vùng quy hoạch đã được sửa", "Zone repaired"},
    [T_FK_FIRST + CCGIS_ZONE_SKIPPED] = {"Vùng quy hoạch bị bỏ qua", "Zone skipped"},
    [T_FK_FIRST + CCGIS_ZONE_UNCLASSIFIED] = {"Vùng chưa có loại đất hoặc tên",
                                              "Zone without a class or name"},
    [T_FK_FIRST + CCGIS_AREA_MISMATCH] = {"Diện tích không khớp diện tích quyết định",
                                          "Area differs from the declared area"},
    [T_FK_FIRST +
        CCGIS_NEEDS_MANUAL_FIX] = {"Cần sửa ranh giới thủ công", "Boundary to fix by hand"},
    [T_FK_FIRST + CCGIS_OVERLAP] = {"Chồng lấn", "Overlap"},
    [T_FK_FIRST + CCGIS_WWTP_MISSING] = {"Cụm đang hoạt động chưa có trạm xử lý nước thải đạt "
                                         "quy chuẩn",
                                         "Operating cluster without a compliant wastewater plant"},
    [T_FK_FIRST + CCGIS_RELOCATION_GAP] = {"Làng nghề không có cụm nào phục vụ",
                                           "Craft village no cluster serves"},
    [R_MADE_BY] = {"Lập bằng ccgis {w0} ({w1}) từ tệp công việc `{w2}`.",
                   "Produced by ccgis {w0} ({w1}) from the job file `{w2}`."},
    [R_MEASURES] = {"Diện tích là diện tích trắc địa trên ellipsoid WGS 84, tính bằng ha",
                    "Areas are geodesic, on the WGS 84 ellipsoid, in hectares"},
    [R_PLANAR] = {"; diện tích *phẳng* tính trên mặt phẳng của {w0}",
                  "; *planar* areas are in the plane of {w0}"},
    [R_DISTANCES] = {". Khoảng cách là khoảng cách trắc địa, tính bằng mét.",
                     ". Distances are geodesic metres."},
    [R_H_CLUSTERS] = {"Cụm công nghiệp", "Clusters"},
    [R_CLUSTERS] = {"{w0} cụm, {w1} ha", "{w0} clusters, {w1} ha"},
    [R_UNION_FIRST] = {"; {w0} ha khi phần chồng lấn của ", "; {w0} ha counting the "},
    [R_PAIRS_MORE] = {" và {w0} cặp khác", " and {w0} more"},
    [R_UNION_LAST_1] = {" chỉ tính một lần", " overlap once"},
    [R_UNION_LAST_N] = {" chỉ tính một lần", " overlaps once"},
    [R_PLAN_TOTAL] = {" (diện tích phẳng: {w0} ha)", " (planar: {w0} ha)"},
    [R_TH_STATUS] = {"| trạng thái | số cụm | diện tích (ha) |\n| --- | ---: | ---: |\n",
                     "| status | clusters | ha |\n| --- | ---: | ---: |\n"},
    [R_H_DISTRICTS] = {"Theo quận/huyện", "By district"},
    [R_DISTRICTS_HOW] = {"Mỗi cụm được tính vào quận/huyện chứa phần lớn nhất diện tích của "
                         "cụm; mỗi làng nghề vào quận/huyện nơi làng nằm.",
                         "Clusters are counted in the district holding the largest share of "
                         "their area; villages in the district they lie in."},
    [R_TH_DISTRICTS] = {"| quận/huyện | số cụm | diện tích (ha) | xung đột quy hoạch (ha) | "
                        "số làng nghề |\n| --- | ---: | ---: | ---: | ---: |\n",
                        "| district | clusters | ha | conflict ha | villages |\n"
                        "| --- | ---: | ---: | ---: | ---: |\n"},
    [R_NO_CLUSTER] = {"{w0} trong {w1} quận/huyện không có cụm nào",
                      "{w0} of the {w1} districts have no cluster"},
    [R_OUTSIDE_CLUSTERS] = {"; {w0} cụm nằm ngoài mọi quận/huyện",
                            "; {w0} clusters lie in no district"},
    [R_OUTSIDE_VILLAGES] = {"; {w0} làng nghề nằm ngoài mọi quận/huyện",
                            "; {w0} villages lie in no district"},
    [R_PER_STATUS] = {". Số cụm theo quận/huyện và trạng thái: `district_status.csv`.",
                      ". Per district and status: `district_status.csv`."},
    [R_H_CONFLICTS] = {"Cụm trên đất không được quy hoạch cho công nghiệp",
                       "Clusters on land not zoned for industry"},
    [R_CONFLICTS] = {"{w0} trong {w1} cụm có một phần diện tích trên đất có loại khác {w2}: "
                     "tổng cộng {w3} ha.",
                     "{w0} of {w1} clusters have part of their area on land whose class is "
                     "not one of {w2}: {w3} ha in all."},
    [R_FOUR_WAYS] = {"Diện tích mỗi cụm được chia thành bốn phần, cộng lại bằng diện tích cụm: "
                     "chỉ trên loại đất được phép {w0} ha, chỉ trên loại đất khác {w1} ha, trên "
                     "các vùng thuộc cả hai loại (các vùng quy hoạch chồng lấn: quy hoạch tự "
                     "mâu thuẫn) {w2} ha, ngoài mọi vùng quy hoạch có loại đất {w3} ha; tổng "
                     "cộng {w4} ha.",
                     "Every cluster's area is split four ways, which add up to it: on allowed "
                     "classes only {w0} ha, on other classes only {w1} ha, on zones of both "
                     "kinds (overlapping zones: the zoning contradicts itself) {w2} ha, on no "
                     "classified zone {w3} ha; {w4} ha in all."},
    [R_TH_CONFLICTS] = {"| mã cụm | tên cụm | quận/huyện | diện tích (ha) | xung đột (ha) | "
                        "xung đột (%) | loại đất xung đột nhiều nhất | chồng chéo (ha) | "
                        "ngoài quy hoạch (ha) |\n"
                        "| --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: |\n",
                        "| cluster | name | district | ha | conflict ha | conflict % | "
                        "most on | mixed ha | no zone ha |\n"
                        "| --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: |\n"},
    [R_H_VILLAGES] = {"Làng nghề", "Craft villages"},
    [R_VILLAGES] = {"{w0} làng nghề: {w1} làng cách một cụm không quá {w2} m ({w3} làng nằm "
                    "trong cụm), {w4} làng xa hơn.",
                    "{w0} villages: {w1} within {w2} m of a cluster ({w3} inside one), {w4} "
                    "farther."},
    [R_FARTHEST] = {"Các làng nghề xa cụm công nghiệp nhất:",
                    "The villages farthest from any cluster:"},
    [R_TH_VILLAGES] = {"| mã làng nghề | tên làng nghề | cụm gần nhất | khoảng cách (km) |\n"
                       "| --- | --- | --- | ---: |\n",
                       "| village | name | nearest cluster | distance km |\n"
                       "| --- | --- | --- | ---: |\n"},
    [R_H_BOUNDARIES] = {"Ranh giới cụm cần kiểm tra thủ công",
                        "Cluster boundaries to check by hand"},
    [R_BOUNDARIES] = {"Các số liệu trên dùng ranh giới của các cụm này như ccgis đọc được; "
                      "cần xem lại từng ranh giới trước khi nộp.",
                      "The figures above use these clusters' boundaries as ccgis could read "
                      "them; each needs a look before they are handed in."},
    [R_H_FINDINGS] = {"Vấn đề dữ liệu", "Findings"},
    [R_TH_FINDINGS] = {"| vấn đề | mã | số lượng |\n| --- | --- | ---: |\n",
                       "| kind | code | count |\n| --- | --- | ---: |\n"},
    [R_FINDINGS_MORE] = {"- … và {w0} vấn đề khác trong lớp findings",
                         "- … and {w0} more in the findings layer"},
    [R_H_INPUTS] = {"Nguồn dữ liệu", "Inputs"},
    [R_TH_INPUTS] = {"| lớp dữ liệu | tệp nguồn | tên lớp trong nguồn | hệ tọa độ | EPSG | "
                     "bảng mã | đã đọc | đã dùng | bỏ qua | đã sửa |\n"
                     "| --- | --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: |\n",
                     "| layer | source | layer in the source | CRS | EPSG | encoding | read | "
                     "used | skipped | repaired |\n"
                     "| --- | --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: |\n"},
    [R_ZONING_NOTE] = {"Quy hoạch sử dụng đất: đã đọc là các vùng có khung bao gần một cụm; đã "
                       "dùng là các vùng có khung bao giao với khung bao của một cụm.",
                       "Land-use zoning: read are the zones whose box is near a cluster; used "
                       "are those whose box meets a cluster's."},
    [R_H_OUTPUTS] = {"Đầu ra", "Outputs"},
    [R_OUT_LAYERS_IN] = {"Các lớp ở dạng ", "Layers in "},
    [R_OUT_GEOJSON] = {"Các lớp GeoJSON: WGS 84 (EPSG:4326), theo RFC 7946.",
                       "GeoJSON layers: WGS 84 (EPSG:4326), as RFC 7946 requires."},
    [R_H_PROGRAMME] = {"Tiến độ chương trình", "Programme progress"},
    [R_P_TOTALS] = {"Hiện nay {w0} cụm / {w1} ha → quy hoạch {w2} cụm / {w3} ha (phần chồng "
                    "lấn tính một lần).",
                    "Now {w0} clusters / {w1} ha → planned {w2} clusters / {w3} ha (overlaps "
                    "counted once)."},
    [R_P_FROM_TO] = {"{w0} cụm / {w1} ha → {w2} cụm / {w3} ha",
                     "{w0} clusters / {w1} ha → {w2} clusters / {w3} ha"},
    [R_P_WWTP_SAY] = {"{w0} trạm xử lý nước thải, trong đó {w1} trạm không phục vụ cụm nào "
                      "(cách mọi cụm quá {w2} m). {w3} trong {w4} cụm đang hoạt động có trạm "
                      "đạt quy chuẩn kỹ thuật quốc gia: {w5}, so với mục tiêu 100 %.",
                      "{w0} wastewater-treatment plants, {w1} of them serving no cluster (more "
                      "than {w2} m from every one). {w3} of the {w4} operating clusters have a "
                      "plant meeting the national technical standard: {w5}, against the 100% "
                      "target."},
    [R_P_GAPS_SAY] = {"{w0} trong {w1} làng nghề không có cụm hiện có hay cụm quy hoạch nào "
                      "trong bán kính {w2} m.",
                      "{w0} of the {w1} craft villages have no current or planned cluster "
                      "within {w2} m."},
    [R_P_CHANGES] = {"Hiện nay và quy hoạch, theo loại thay đổi", "Now and planned, by change"},
    [R_PA_CHANGES] = {"Cụm hiện nay được ghép với cụm quy hoạch cùng mã, nếu không thì với cụm "
                      "có phần diện tích chung ít nhất bằng một nửa cụm nhỏ hơn; mỗi nhóm cụm "
                      "ghép với nhau có một loại thay đổi (lớp plan_changes).",
                      "Today's clusters are matched to planned ones with the same id, else to "
                      "those sharing at least half of the smaller one's area; each group of "
                      "matched clusters has one change (the plan_changes layer)."},
    [R_P_BY_DISTRICT] = {"Hiện nay và quy hoạch, theo quận/huyện", "Now and planned, by district"},
    [R_P_BY_STATUS] = {"Hiện nay và quy hoạch, theo trạng thái", "Now and planned, by status"},
    [R_P_WWTP] = {"Xử lý nước thải", "Wastewater treatment"},
    [R_PA_WWTP] = {"Một trạm phục vụ cụm khi nằm trong cụm hoặc cách ranh giới cụm không quá "
                   "max_m (khoảng cách trắc địa).",
                   "A plant serves a cluster when it lies inside it or within max_m of its "
                   "boundary (geodesic distance)."},
    [R_P_NOT_STARTED] = {"Cụm thành lập năm 2018–2020 chưa khởi công xây dựng hạ tầng",
                         "Clusters set up in 2018–2020 not yet under construction"},
    [R_PA_NOT_STARTED] = {"Cụm có năm thành lập từ 2018 đến 2020 và chưa có ngày khởi công.",
                          "Clusters whose year of setting up is 2018 to 2020 and that have no "
                          "construction start."},
    [R_P_PLAN_CONFL] = {"Cụm quy hoạch trên đất không được quy hoạch cho công nghiệp",
                        "Planned clusters on land not zoned for industry"},
    [R_PA_PLAN_CONFL] = {"Kiểm tra quy hoạch sử dụng đất như với các cụm hiện nay; xung đột của "
                         "cụm thành lập mới, mở rộng hay dời vị trí là xung đột mà quy hoạch sẽ "
                         "tạo ra.",
                         "Checked against the zoning as today's clusters are; the conflicts of "
                         "new, expanded or moved clusters are those the plan would create."},
    [R_P_NO_1500] = {"Cụm chưa có quy hoạch chi tiết 1/500 được phê duyệt",
                     "Clusters without an approved 1/500 detailed plan"},
    [R_P_PEOPLE] = {"Doanh nghiệp và lao động, theo quận/huyện và trạng thái",
                    "Enterprises and workers, by district and status"},
    [R_P_GAPS_BY_DISTRICT] = {"Làng nghề không có cụm phục vụ, theo quận/huyện",
                              "Craft villages no cluster serves, by district"},
    [R_P_GAPS] = {"Làng nghề không có cụm hiện có hay cụm quy hoạch trong bán kính",
                  "Craft villages with no current or planned cluster within the radius"},
    [R_PA_GAPS] = {"Mỗi làng nghề này là một vấn đề RELOCATION_GAP.",
                   "Each of these villages is a RELOCATION_GAP finding."},
};

/* ccgis_tr: see lang.h. */
const char *ccgis_tr(ccgis_lang lang, ccgis_text_id id)
{
    if ((unsigned)id >= CCGIS_TEXT_COUNT)
        return "?";
    return texts[id][lang == CCGIS_LANG_EN];
}

/* ccgis_pct_label: see lang.h. */
void ccgis_pct_label(double v, ccgis_lang lang, char *buf, size_t size)
{
    snprintf(buf, size, "%.2f", v);
    char *dot = strchr(buf, '.');
    if (!dot)
        return;
    char *end = buf + strlen(buf);
    while (end > dot + 1 && end[-1] == '0')
        *--end = '\0';
    if (end == dot + 1)
        *dot = '\0';
    else if (lang == CCGIS_LANG_VI)
        *dot = ',';
}

/* ccgis_tr_layer: see lang.h. */
const char *ccgis_tr_layer(ccgis_lang lang, const char *layer)
{
    static const struct {
        const char *name;
        ccgis_text_id id;
    } names[] = {{"clusters", T_L_CLUSTERS},
                 {"districts", T_L_DISTRICTS},
                 {"zoning", T_L_ZONING},
                 {"villages", T_L_VILLAGES},
                 {"plan", T_L_PLAN},
                 {"wastewater", T_L_WASTEWATER}};
    for (size_t k = 0; layer && k < sizeof names / sizeof names[0]; k++)
        if (strcmp(layer, names[k].name) == 0)
            return ccgis_tr(lang, names[k].id);
    return layer ? layer : "";
}
