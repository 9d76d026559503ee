/*
 * layout.c -- the print layouts of a job's QGIS project (project.h).
 *
 * Two layouts, on the job's [map] paper (A3 or A4, landscape or portrait):
 *
 *   overview   title (the job's name), subtitle (date, CRS, source); the map
 *              on the clusters' extent with every visible layer; a legend
 *              filtered to what the map shows; a scale bar in kilometres; a
 *              north arrow (QGIS's own default SVG); and the per-district
 *              table: the districts layer as an attribute table, districts
 *              with clusters only, by cluster area, largest first.
 *   atlas      one page per cluster (the clusters layer is the coverage, in
 *              the order of the id field): the map zoomed to the cluster
 *              (margin 25 %) drawing the zoning pieces by class, the
 *              clusters, the villages and the district boundaries; a panel
 *              with the cluster's figures, each a QGIS expression such as
 *              [% format_number("area_ha", 2) %] headed by the column's alias
 *              (aliases.c); a legend filtered to the page; a scale bar in
 *              metres; a north arrow.
 *
 * The XML written is the subset of QGIS 3.22's layout format that QGIS reads
 * back with its defaults for everything left out:
 *   <Layouts><Layout name units printResolution>
 *     <PageCollection> <LayoutItem type=65638 size=...> (one page)
 *     <LayoutItem type=...> with uuid, id, position, positionOnPage, size,
 *       zValue, frame, background, and per type:
 *       65639 map: <Extent>, <LayerSet>, <AtlasMap>, keepLayerSet
 *       65641 label: labelText, halign, valign, <LabelFont>, <FontColor>
 *       65642 legend: map_uuid, title, columnCount, legendFilterByMap,
 *                     legendFilterByAtlas, <styles>
 *       65646 scale bar: mapUuid, style, unitType, unitLabel, segments
 *       65640 picture: file, mode, mapUuid, northMode
 *       65647 frame of the 65649 attribute table <LayoutMultiFrame>:
 *             vectorLayer, featureFilter, <displayColumns>, text formats
 *     <Atlas> (the atlas layout only): coverageLayer, pageNameExpression,
 *       sortKey, filenamePattern.
 * Every uuid is a fixed name ("ccgis-overview-map"), so that the same job
 * gives the same bytes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "project.h"

/* Layout item types (QgsLayoutItemRegistry). */
enum {
    T_PAGE = 65638,
    T_MAP = 65639,
    T_PICTURE = 65640,
    T_LABEL = 65641,
    T_LEGEND = 65642,
    T_SCALEBAR = 65646,
    T_FRAME = 65647,
    T_ATTRTABLE = 65649
};

/* Qt alignment flags. */
enum { AL_LEFT = 1, AL_RIGHT = 2, AL_HCENTER = 4, AL_TOP = 32, AL_VCENTER = 128 };

#define FONT "DejaVu Sans"
#define NORTH_ARROW ":/images/north_arrows/layout_default_north_arrow.svg"

/* The words of the layouts, [vi, en]. */
static const char *const W_OVERVIEW[2] = {"Bản đồ tổng quan", "Overview"};
static const char *const W_ATLAS[2] = {"Tập bản đồ từng cụm", "Atlas of the clusters"};
static const char *const W_LEGEND[2] = {"Chú giải", "Legend"};
static const char *const W_DISTRICT[2] = {"Quận/huyện", "District"};
static const char *const W_VILLAGES_NEAR[2] = {"Làng nghề gần cụm này nhất (trong bán kính)",
                                               "Craft villages nearest this cluster (within "
                                               "the radius)"};

/* Where the parts of a sheet go, in mm from the page's top left. */
typedef struct frame {
    double x, y, w, h;
} frame;

typedef struct sheet {
    double w, h;          /* paper */
    frame title, sub, map, panel_a, panel_b;
} sheet;

/* The sheet's parts for the paper and orientation: landscape puts the
 * panels right of the map, one above the other; portrait puts them under
 * it, side by side. */
static sheet sheet_for(const ccgis_layout_spec *s)
{
    double a = s->paper == CCGIS_PAPER_A4 ? 297 : 420, b = s->paper == CCGIS_PAPER_A4 ? 210 : 297;
    sheet p;
    memset(&p, 0, sizeof p);
    p.w = s->portrait ? b : a;
    p.h = s->portrait ? a : b;
    const double m = 10, top = 30;
    p.title = (frame){m, 6, p.w - 2 * m, 13};
    p.sub = (frame){m, 19, p.w - 2 * m, 8};
    if (!s->portrait) {
        double mw = p.w * 0.68 - m, px = m + mw + 6, pw = p.w - m - px;
        p.map = (frame){m, top, mw, p.h - top - m};
        double split = top + (p.h - top - m) * 0.6;
        p.panel_a = (frame){px, top, pw, split - top - 4};
        p.panel_b = (frame){px, split, pw, p.h - m - split};
    } else {
        double mh = (p.h - top - m) * 0.6, py = top + mh + 6, half = (p.w - 2 * m - 6) / 2;
        p.map = (frame){m, top, p.w - 2 * m, mh};
        p.panel_a = (frame){m, py, half, p.h - m - py};
        p.panel_b = (frame){m + half + 6, py, half, p.h - m - py};
    }
    return p;
}

/* A field name as a QGIS expression: "name", inner quotes doubled.  buf
 * must hold 2 * strlen(name) + 3 bytes; returns buf. */
static char *field_expr(const char *name, char *buf, size_t cap)
{
    size_t o = 0;
    if (cap < 3)
        return "";
    buf[o++] = '"';
    for (const char *c = name; *c && o + 3 < cap; c++) {
        if (*c == '"')
            buf[o++] = '"';
        buf[o++] = *c;
    }
    buf[o++] = '"';
    buf[o] = '\0';
    return buf;
}

/* A text as a QGIS expression string literal: 'text', inner quotes doubled. */
static char *string_expr(const char *text, char *buf, size_t cap)
{
    size_t o = 0;
    if (cap < 3)
        return "";
    buf[o++] = '\'';
    for (const char *c = text; *c && o + 3 < cap; c++) {
        if (*c == '\'' || *c == '\\')
            buf[o++] = *c;
        buf[o++] = *c;
    }
    buf[o++] = '\'';
    buf[o] = '\0';
    return buf;
}

/* A <LayoutItem> of `type` at f, with the attributes every item has. */
static xmlNode *item(xb *b, xmlNode *layout, int type, const char *uuid, frame f, int z,
                     int background)
{
    xmlNode *n = xb_el(b, layout, "LayoutItem", NULL);
    xb_at(b, n, "type", "%d", type);
    xb_at(b, n, "uuid", "%s", uuid);
    xb_at(b, n, "templateUuid", "%s", uuid);
    xb_at(b, n, "id", "%s", uuid + 6); /* the name after "ccgis-" */
    xb_at(b, n, "position", "%.2f,%.2f,mm", f.x, f.y);
    xb_at(b, n, "positionOnPage", "%.2f,%.2f,mm", f.x, f.y);
    xb_at(b, n, "size", "%.2f,%.2f,mm", f.w, f.h);
    xb_at(b, n, "zValue", "%d", z);
    xb_at(b, n, "visibility", "1");
    xb_at(b, n, "frame", "false");
    xb_at(b, n, "background", background ? "true" : "false");
    xb_at(b, n, "referencePoint", "0");
    xb_at(b, n, "itemRotation", "0");
    xb_at(b, n, "opacity", "1");
    xb_at(b, n, "positionLock", "false");
    if (background) {
        xmlNode *c = xb_el(b, n, "BackgroundColor", NULL);
        xb_at(b, c, "red", "255");
        xb_at(b, c, "green", "255");
        xb_at(b, c, "blue", "255");
        xb_at(b, c, "alpha", "255");
    }
    return n;
}

/* <Layout> with its one page. */
static xmlNode *layout_new(xb *b, xmlNode *layouts, const char *name, const sheet *p,
                           const char *prefix)
{
    xmlNode *l = xb_el(b, layouts, "Layout", NULL);
    xb_at(b, l, "name", "%s", name);
    xb_at(b, l, "units", "mm");
    xb_at(b, l, "printResolution", "300");
    xb_at(b, l, "worldFileMap", "%s", "");
    xmlNode *pages = xb_el(b, l, "PageCollection", NULL);
    char uuid[64];
    snprintf(uuid, sizeof uuid, "ccgis-%s-page", prefix);
    item(b, pages, T_PAGE, uuid, (frame){0, 0, p->w, p->h}, 0, 1);
    xb_at(b, xb_el(b, pages, "GuideCollection", NULL), "visible", "1");
    return l;
}

/* A text label; `text` may hold [% expressions %]. */
static void label(xb *b, xmlNode *l, const char *uuid, frame f, const char *text, double pt,
                  int bold, int halign)
{
    xmlNode *n = item(b, l, T_LABEL, uuid, f, 10, 0);
    xb_at(b, n, "labelText", "%s", text);
    xb_at(b, n, "htmlState", "0");
    xb_at(b, n, "halign", "%d", halign);
    xb_at(b, n, "valign", "%d", AL_TOP);
    xb_at(b, n, "marginX", "1");
    xb_at(b, n, "marginY", "1");
    xmlNode *font = xb_el(b, n, "LabelFont", NULL);
    xb_at(b, font, "description", FONT ",%g,-1,5,%d,0,0,0,0,0", pt, bold ? 75 : 50);
    xb_at(b, font, "style", "%s", "");
    xmlNode *c = xb_el(b, n, "FontColor", NULL);
    xb_at(b, c, "red", "0");
    xb_at(b, c, "green", "0");
    xb_at(b, c, "blue", "0");
    xb_at(b, c, "alpha", "255");
}

/* One <Layer> of a map's layer set. */
static void set_layer(xb *b, xmlNode *set, const char *id)
{
    if (id)
        xb_el(b, set, "Layer", id);
}

/* The map item: on the extent given (widened to the item's shape), or driven
 * by the atlas with the layers `ids` (top first, NULL-terminated). */
static void map_item(xb *b, xmlNode *l, const char *uuid, frame f, const ccgis_layout_spec *s,
                     int atlas, const char *const *ids)
{
    xmlNode *n = item(b, l, T_MAP, uuid, f, 1, 1);
    xb_at(b, n, "keepLayerSet", ids ? "true" : "false");
    xb_at(b, n, "followPreset", "false");
    xb_at(b, n, "drawCanvasItems", "false");
    xb_at(b, n, "mapRotation", "0");
    xb_at(b, n, "labelMargin", "0,mm");
    xb_at(b, n, "mapFlags", "0");
    /* The clusters' extent with a 5 % margin, widened to the item's shape. */
    double w = s->xmax - s->xmin, h = s->ymax - s->ymin;
    double cx = (s->xmin + s->xmax) / 2, cy = (s->ymin + s->ymax) / 2;
    w = (w > 0 ? w : 1) * 1.1;
    h = (h > 0 ? h : 1) * 1.1;
    if (w / h < f.w / f.h)
        w = h * f.w / f.h;
    else
        h = w * f.h / f.w;
    xmlNode *e = xb_el(b, n, "Extent", NULL);
    xb_at(b, e, "xmin", "%.3f", cx - w / 2);
    xb_at(b, e, "ymin", "%.3f", cy - h / 2);
    xb_at(b, e, "xmax", "%.3f", cx + w / 2);
    xb_at(b, e, "ymax", "%.3f", cy + h / 2);
    xmlNode *set = xb_el(b, n, "LayerSet", NULL);
    for (size_t i = 0; ids && ids[i]; i++)
        set_layer(b, set, ids[i]);
    xmlNode *am = xb_el(b, n, "AtlasMap", NULL);
    xb_at(b, am, "atlasDriven", atlas ? "1" : "0");
    xb_at(b, am, "scalingMode", "2"); /* auto: the feature's extent */
    xb_at(b, am, "margin", "0.25");
}

/* A legend style: its font size (pt), bold or not, and top margin (mm). */
static void legend_style(xb *b, xmlNode *styles, const char *name, double pt, int bold,
                         double margin_top)
{
    xmlNode *st = xb_el(b, styles, "style", NULL);
    xb_at(b, st, "name", "%s", name);
    xb_at(b, st, "marginTop", "%g", margin_top);
    if (strcmp(name, "symbolLabel") == 0)
        xb_at(b, st, "marginLeft", "1.5");
    if (pt > 0) {
        xmlNode *font = xb_el(b, st, "styleFont", NULL);
        xb_at(b, font, "description", FONT ",%g,-1,5,%d,0,0,0,0,0", pt, bold ? 75 : 50);
        xb_at(b, font, "style", "%s", "");
    }
}

/* The legend of map `map_uuid`, filtered to what the map (and the atlas
 * page) shows. */
static void legend(xb *b, xmlNode *l, const char *uuid, frame f, const char *map_uuid,
                   const ccgis_layout_spec *s, int atlas, int columns)
{
    xmlNode *n = item(b, l, T_LEGEND, uuid, f, 3, 1);
    xb_at(b, n, "map_uuid", "%s", map_uuid);
    xb_at(b, n, "title", "%s", W_LEGEND[s->lang == CCGIS_LANG_EN]);
    xb_at(b, n, "titleAlignment", "1");
    xb_at(b, n, "columnCount", "%d", columns);
    xb_at(b, n, "splitLayer", "1");
    xb_at(b, n, "equalColumnWidth", "1");
    xb_at(b, n, "columnSpace", "3");
    xb_at(b, n, "boxSpace", "2");
    xb_at(b, n, "symbolWidth", "6");
    xb_at(b, n, "symbolHeight", "3.5");
    xb_at(b, n, "resizeToContents", "1");
    xb_at(b, n, "legendFilterByMap", "1");
    xb_at(b, n, "legendFilterByAtlas", atlas ? "1" : "0");
    xmlNode *styles = xb_el(b, n, "styles", NULL);
    legend_style(b, styles, "title", 11, 1, 0);
    legend_style(b, styles, "group", 9, 1, 2.5);
    legend_style(b, styles, "subgroup", 8, 1, 2);
    legend_style(b, styles, "symbol", 7.5, 0, 1.2);
    legend_style(b, styles, "symbolLabel", 7.5, 0, 1.2);
}

static void text_format(xb *b, xmlNode *parent, const char *name, double pt, int bold);

/* Scale bar in km (or m) under the map's bottom left corner, inside it. */
static void scalebar(xb *b, xmlNode *l, const char *uuid, frame map, const char *map_uuid,
                     int metres)
{
    frame f = {map.x + 4, map.y + map.h - 14, 70, 10};
    xmlNode *n = item(b, l, T_SCALEBAR, uuid, f, 4, 1);
    xb_at(b, n, "mapUuid", "%s", map_uuid);
    xb_at(b, n, "style", "Single Box");
    xb_at(b, n, "unitType", metres ? "m" : "km");
    xb_at(b, n, "unitLabel", metres ? "m" : "km");
    xb_at(b, n, "numMapUnitsPerScaleBarUnit", "1");
    xb_at(b, n, "numSegments", "2");
    xb_at(b, n, "numSegmentsLeft", "0");
    xb_at(b, n, "segmentSizeMode", "1"); /* fit segments to the bar's width */
    xb_at(b, n, "minBarWidth", "25");
    xb_at(b, n, "maxBarWidth", "55");
    xb_at(b, n, "height", "2.5");
    xb_at(b, n, "labelBarSpace", "1.5");
    xb_at(b, n, "boxContentSpace", "1.5");
    xb_at(b, n, "alignment", "0");
    text_format(b, n, NULL, 8, 0);
}

/* The north arrow at the map's top right corner, inside it. */
static void north_arrow(xb *b, xmlNode *l, const char *uuid, frame map, const char *map_uuid)
{
    frame f = {map.x + map.w - 16, map.y + 4, 12, 18};
    xmlNode *n = item(b, l, T_PICTURE, uuid, f, 5, 0);
    xb_at(b, n, "file", NORTH_ARROW);
    xb_at(b, n, "mode", "0"); /* SVG */
    xb_at(b, n, "resizeMode", "0");
    xb_at(b, n, "anchorPoint", "0");
    xb_at(b, n, "mapUuid", "%s", map_uuid);
    xb_at(b, n, "northMode", "0");
    xb_at(b, n, "northOffset", "0");
    xb_at(b, n, "pictureRotation", "0");
    xb_at(b, n, "svgFillColor", "255,255,255,255");
    xb_at(b, n, "svgBorderColor", "0,0,0,255");
    xb_at(b, n, "svgBorderWidth", "0.2");
}

/* A <text-style> of `pt` points, in a `name` element (NULL: directly under parent). */
static void text_format(xb *b, xmlNode *parent, const char *name, double pt, int bold)
{
    xmlNode *t = xb_el(b, name ? xb_el(b, parent, name, NULL) : parent, "text-style", NULL);
    xb_at(b, t, "fontFamily", FONT);
    xb_at(b, t, "fontSize", "%g", pt);
    xb_at(b, t, "fontSizeUnit", "Point");
    xb_at(b, t, "fontWeight", "%d", bold ? 75 : 50);
    xb_at(b, t, "textColor", "0,0,0,255");
    xb_at(b, t, "textOpacity", "1");
}

/* One column of an attribute table. */
static void column(xb *b, xmlNode *cols, const char *expr, const char *heading, int halign,
                   int sort_rank, double width_mm)
{
    xmlNode *c = xb_el(b, cols, "column", NULL);
    xb_at(b, c, "attribute", "%s", expr);
    xb_at(b, c, "heading", "%s", heading);
    xb_at(b, c, "hAlignment", "%d", halign);
    xb_at(b, c, "vAlignment", "%d", AL_VCENTER);
    xb_at(b, c, "width", "%.1f", width_mm);
    xb_at(b, c, "sortByRank", "%d", sort_rank);
    xb_at(b, c, "sortOrder", "%d", sort_rank ? 1 : 0); /* Qt::DescendingOrder */
    xmlNode *bg = xb_el(b, c, "backgroundColor", NULL);
    xb_at(b, bg, "red", "0");
    xb_at(b, bg, "green", "0");
    xb_at(b, bg, "blue", "0");
    xb_at(b, bg, "alpha", "0");
}

/* The per-district table: districts with clusters, by cluster area. */
static void district_table(xb *b, xmlNode *l, frame f, const ccgis_layout_spec *s)
{
    static const char *const uuid = "ccgis-overview-districts",
                             *const frame_uuid = "ccgis-overview-districts-frame";
    int en = s->lang == CCGIS_LANG_EN;
    xmlNode *fr = item(b, l, T_FRAME, frame_uuid, f, 6, 0);
    xb_at(b, fr, "multiFrame", "%s", uuid);
    xb_at(b, fr, "multiFrameTemplateUuid", "%s", uuid);
    xb_at(b, fr, "hidePageIfEmpty", "0");
    xb_at(b, fr, "hideBackgroundIfEmpty", "0");
    xb_at(b, fr, "sectionX", "0");
    xb_at(b, fr, "sectionY", "0");
    xb_at(b, fr, "sectionWidth", "%.2f", f.w);
    xb_at(b, fr, "sectionHeight", "%.2f", f.h);
    xmlNode *t = xb_el(b, l, "LayoutMultiFrame", NULL);
    xb_at(b, t, "type", "%d", T_ATTRTABLE);
    xb_at(b, t, "uuid", "%s", uuid);
    xb_at(b, t, "templateUuid", "%s", uuid);
    xb_at(b, t, "resizeMode", "0");
    xb_at(b, t, "source", "0");
    xb_at(b, t, "vectorLayer", "%s", s->id[P_DISTRICTS]);
    xb_at(b, t, "vectorLayerProvider", "ogr");
    xb_at(b, t, "maxFeatures", "200");
    xb_at(b, t, "filterFeatures", "true");
    xb_at(b, t, "featureFilter", "\"n_clusters\" > 0");
    xb_at(b, t, "showOnlyVisibleFeatures", "0");
    xb_at(b, t, "filterToAtlasIntersection", "0");
    xb_at(b, t, "showUniqueRowsOnly", "0");
    xb_at(b, t, "cellMargin", "0.8");
    xb_at(b, t, "showGrid", "1");
    xb_at(b, t, "horizontalGrid", "1");
    xb_at(b, t, "verticalGrid", "0");
    xb_at(b, t, "gridStrokeWidth", "0.2");
    xb_at(b, t, "gridColor", "150,150,150,255");
    xb_at(b, t, "headerMode", "0");
    xb_at(b, t, "headerHAlignment", "0");
    xb_at(b, t, "backgroundColor", "255,255,255,255");
    xb_at(b, t, "emptyTableMode", "0");
    xb_at(b, t, "wrapBehavior", "1"); /* long headings wrap in their column */
    xmlNode *cf = xb_el(b, t, "childFrame", NULL);
    xb_at(b, cf, "uuid", "%s", frame_uuid);
    xb_at(b, cf, "templateUuid", "%s", frame_uuid);
    text_format(b, t, "headerTextFormat", 7.5, 1);
    text_format(b, t, "contentTextFormat", 7.5, 0);
    xmlNode *cols = xb_el(b, t, "displayColumns", NULL);
    char q[512];
    /* Fixed widths that fill the frame: a column's width leaves out its margins. */
    double inner = f.w - 5 * 2 * 0.8 - 1;
    column(b, cols, field_expr(s->d_name, q, sizeof q), W_DISTRICT[en], AL_LEFT, 0,
           inner * 0.28);
    static const struct {
        const char *field, *expr;
        int sort;
        double share; /* of the width */
    } figures[] = {{"n_clusters", "\"n_clusters\"", 0, 0.12},
                   {"clust_ha", "round(\"clust_ha\", 2)", 1, 0.2},
                   {"confl_ha", "round(\"confl_ha\", 2)", 0, 0.24},
                   {"n_villages", "\"n_villages\"", 0, 0.16}};
    for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++) {
        const char *h = ccgis_field_alias("districts", figures[i].field, s->lang);
        column(b, cols, figures[i].expr, h ? h : figures[i].field, AL_RIGHT, figures[i].sort,
               inner * figures[i].share);
    }
}

/* 1 if the clusters as written have field `name`. */
static int has_field(const ccgis_layout_spec *s, const char *name)
{
    for (size_t i = 0; i < s->n_cl_fields; i++)
        if (strcmp(s->cl_fields[i], name) == 0)
            return 1;
    return 0;
}

/* Append printf text to the growing string *buf (size *cap); 0 when out of memory. */
static int append(char **buf, size_t *cap, const char *fmt, ...) CCGIS_PRINTF(3, 4);
static int append(char **buf, size_t *cap, const char *fmt, ...)
{
    size_t used = *buf ? strlen(*buf) : 0;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return 0;
    if (used + (size_t)n + 1 > *cap) {
        size_t ncap = (used + (size_t)n + 1) * 2;
        char *nb = realloc(*buf, ncap);
        if (!nb)
            return 0;
        if (!*buf)
            nb[0] = '\0';
        *buf = nb;
        *cap = ncap;
    }
    va_start(ap, fmt);
    vsnprintf(*buf + used, *cap - used, fmt, ap);
    va_end(ap);
    return 1;
}

/* The atlas page's panel: one line "heading: [% value %]" per figure the
 * clusters have.  A new string (free), or NULL when out of memory. */
static char *figures_text(const ccgis_layout_spec *s)
{
    static const struct {
        const char *field;
        int decimals; /* -1: text */
    } rows[] = {{"area_ha", 2},   {"plan_ha", 2},   {"district", -1}, {"allow_ha", 2},
                {"confl_ha", 2},  {"confl_pct", 1}, {"mixed_ha", 2},  {"nozone_ha", 2},
                {"confl_top", -1}, {"vill_near", 0}, {"flags", -1}};
    char *buf = NULL, q[512], q2[512], q3[512];
    size_t cap = 0;
    int ok = 1;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0] && ok; i++) {
        if (!has_field(s, rows[i].field))
            continue;
        const char *h = ccgis_field_alias("clusters", rows[i].field, s->lang);
        field_expr(rows[i].field, q, sizeof q);
        if (rows[i].decimals >= 0)
            ok = append(&buf, &cap, "%s: [%% format_number(%s, %d) %%]\n", h ? h : rows[i].field,
                        q, rows[i].decimals);
        else
            ok = append(&buf, &cap, "%s: [%% coalesce(%s, '–') %%]\n", h ? h : rows[i].field, q);
    }
    if (ok && s->id[P_VILLAGES] && s->v_name)
        ok = append(&buf, &cap,
                    "%s: [%% coalesce(aggregate(layer:='%s', aggregate:='concatenate', "
                    "expression:=%s || ' (' || format_number(\"near_m\", 0) || ' m)', "
                    "filter:=\"near_id\" = attribute(@parent, %s) AND \"within\" = 1, "
                    "concatenator:=', ', order_by:=\"near_m\"), '–') %%]\n",
                    W_VILLAGES_NEAR[s->lang == CCGIS_LANG_EN], s->id[P_VILLAGES],
                    field_expr(s->v_name, q2, sizeof q2), string_expr(s->cl_id, q3, sizeof q3));
    if (!ok) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* The overview sheet. */
static void overview(xb *b, xmlNode *layouts, const ccgis_layout_spec *s)
{
    sheet p = sheet_for(s);
    int en = s->lang == CCGIS_LANG_EN;
    xmlNode *l = layout_new(b, layouts, W_OVERVIEW[en], &p, "overview");
    label(b, l, "ccgis-overview-title", p.title, s->title, 20, 1, AL_LEFT);
    label(b, l, "ccgis-overview-subtitle", p.sub, s->subtitle, 10, 0, AL_LEFT);
    map_item(b, l, "ccgis-overview-map", p.map, s, 0, NULL);
    legend(b, l, "ccgis-overview-legend", p.panel_a, "ccgis-overview-map", s, 0, 1);
    scalebar(b, l, "ccgis-overview-scalebar", p.map, "ccgis-overview-map", 0);
    north_arrow(b, l, "ccgis-overview-north", p.map, "ccgis-overview-map");
    if (s->id[P_DISTRICTS] && s->d_name)
        district_table(b, l, p.panel_b, s);
}

/* The atlas: a page per cluster. */
static void atlas(xb *b, xmlNode *layouts, const ccgis_layout_spec *s)
{
    sheet p = sheet_for(s);
    int en = s->lang == CCGIS_LANG_EN;
    xmlNode *l = layout_new(b, layouts, W_ATLAS[en], &p, "atlas");
    char q[512], q2[512], title[1200];
    field_expr(s->cl_id, q, sizeof q);
    if (s->cl_name)
        snprintf(title, sizeof title, "[%% %s %%] – [%% coalesce(%s, '') %%]", q,
                 field_expr(s->cl_name, q2, sizeof q2));
    else
        snprintf(title, sizeof title, "[%% %s %%]", q);
    label(b, l, "ccgis-atlas-title", p.title, title, 20, 1, AL_LEFT);
    label(b, l, "ccgis-atlas-subtitle", p.sub, s->title, 10, 0, AL_LEFT);
    /* The map: zoning pieces under the clusters, villages on top, districts under all. */
    const char *ids[] = {s->id[P_VILLAGES], s->id[P_CLUSTERS], s->id[P_ZONES],
                         s->id[P_DISTRICTS], NULL};
    const char *set[5];
    size_t n = 0;
    for (size_t i = 0; i < 4; i++)
        if (ids[i])
            set[n++] = ids[i];
    set[n] = NULL;
    map_item(b, l, "ccgis-atlas-map", p.map, s, 1, set);
    char *text = figures_text(s);
    if (!text)
        b->ok = 0;
    else
        label(b, l, "ccgis-atlas-figures", p.panel_a, text, 9, 0, AL_LEFT);
    free(text);
    legend(b, l, "ccgis-atlas-legend", p.panel_b, "ccgis-atlas-map", s, 1, 1);
    scalebar(b, l, "ccgis-atlas-scalebar", p.map, "ccgis-atlas-map", 1);
    north_arrow(b, l, "ccgis-atlas-north", p.map, "ccgis-atlas-map");
    xmlNode *a = xb_el(b, l, "Atlas", NULL);
    xb_at(b, a, "enabled", "1");
    xb_at(b, a, "coverageLayer", "%s", s->id[P_CLUSTERS]);
    xb_at(b, a, "coverageLayerProvider", "ogr");
    xb_at(b, a, "hideCoverage", "0");
    xb_at(b, a, "pageNameExpression", "%s", q);
    xb_at(b, a, "sortFeatures", "1");
    xb_at(b, a, "sortKey", "%s", q);
    xb_at(b, a, "sortAscending", "1");
    xb_at(b, a, "filterFeatures", "0");
    xb_at(b, a, "filenamePattern", "'cluster_' || %s", q);
}

/* ccgis_layouts_add: see project.h. */
int ccgis_layouts_add(xmlNode *qgis, const ccgis_layout_spec *s)
{
    xb b = {1};
    xmlNode *layouts = xb_el(&b, qgis, "Layouts", NULL);
    overview(&b, layouts, s);
    atlas(&b, layouts, s);
    return b.ok;
}
