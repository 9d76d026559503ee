/*
 * project.c -- the QGIS project of a job: <name>.qgz beside <name>.gpkg, and
 * the same project inside the GeoPackage, in QGIS's qgis_projects table, so
 * that opening the one file is enough (QGIS: Project > Open From >
 * GeoPackage).  Loadable by QGIS 3.22 (Debian 12) and later.
 *
 * The project is a .qgs document built with libxml2 and zipped with libzip
 * as a one-entry archive (<name>.qgs), which is what a .qgz is.  The element
 * set is kept small; QGIS fills in its defaults for the rest:
 *   <qgis projectname version saveDateTime>
 *     <homePath path="">, <title>
 *     <projectCrs><spatialrefsys>: WKT2:2019, proj string, authority id and
 *       name of the layers' CRS (the job's output_crs, or WGS 84); no QGIS
 *       srsid, so QGIS reads the WKT
 *     <layer-tree-group>: the groups, in the job's language --
 *       findings (the findings layer, unticked: it covers the clusters),
 *       results (clusters, cluster_zones), inputs (villages, districts, as
 *       written with their figures) -- and a <custom-order> drawing the
 *       villages above the clusters
 *     <projectlayers><maplayer>: id ("ccgis_<layer>", fixed), datasource
 *       ./<name>.gpkg|layername=<layer> (relative: the folder can move),
 *       the layer's name in the job's language, its CRS, provider ogr, and
 *       the children and attributes of the layer's style document -- the
 *       same QML the run stores in layer_styles (style.c, qml.c): renderer,
 *       labels, aliases
 *     <properties>: relative paths, the CRS's ellipsoid, metres and hectares
 *     <mapcanvas>: the clusters' extent
 *     <projectMetadata>: title (the job's name), author and abstract ([map]),
 *       language, ccgis's version, the job file and the date in <history>,
 *       creation date
 *     <Layouts>: layout.c
 * Everything but the date (saveDateTime, the metadata's creation, the
 * history line and the layouts' subtitle) is the same for the same job: the
 * ids are fixed, the archive entry has a fixed time.
 *
 * qgis_projects is the table QGIS's GeoPackage project storage reads
 * (name TEXT PRIMARY KEY, metadata BLOB, content BLOB): content holds the
 * .qgz's bytes in hexadecimal text, metadata a small JSON document with
 * last_modified_time and last_modified_user, as QGIS 3.22 writes them.
 *
 * Exports ccgis_write_project, xb_el and xb_at (project.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <cpl_conv.h>
#include <zip.h>

#include "project.h"

/* ---- the builder (project.h) ------------------------------------------------ */

/* xb_el: see project.h. */
xmlNode *xb_el(xb *b, xmlNode *parent, const char *name, const char *text)
{
    xmlNode *n = b->ok && parent ? xmlNewChild(parent, NULL, BAD_CAST name, NULL) : NULL;
    if (n && text) {
        xmlNode *t = xmlNewText(BAD_CAST text); /* escaped when written */
        if (!t || !xmlAddChild(n, t)) {
            xmlFreeNode(t);
            n = NULL;
        }
    }
    if (!n)
        b->ok = 0;
    return n;
}

/* xb_at: see project.h. */
void xb_at(xb *b, xmlNode *n, const char *name, const char *fmt, ...)
{
    if (!b->ok || !n) {
        b->ok = 0;
        return;
    }
    char small[256], *v = small;
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (len < 0) {
        b->ok = 0;
        return;
    }
    if ((size_t)len >= sizeof small) {
        v = malloc((size_t)len + 1);
        if (!v) {
            b->ok = 0;
            return;
        }
        va_start(ap, fmt);
        vsnprintf(v, (size_t)len + 1, fmt, ap);
        va_end(ap);
    }
    if (!xmlSetProp(n, BAD_CAST name, BAD_CAST v))
        b->ok = 0;
    if (v != small)
        free(v);
}

/* ---- the layers ------------------------------------------------------------------ */

static const char *const layer_names[P_COUNT] = {"clusters", "cluster_zones", "districts",
                                                 "villages", "findings"};

/* The layers' names in the project, [vi, en]. */
static const char *const layer_titles[P_COUNT][2] = {
    {"Cụm công nghiệp", "Industrial clusters"},
    {"Cụm theo loại đất quy hoạch", "Clusters by land-use class"},
    {"Quận/huyện", "Districts"},
    {"Làng nghề", "Craft villages"},
    {"Vấn đề phát hiện", "Findings"}};

/* The groups, top first, and which layers each holds (top first). */
enum { G_FINDINGS, G_RESULTS, G_INPUTS, G_COUNT };
static const char *const group_titles[G_COUNT][2] = {
    {"Vấn đề phát hiện", "Findings"}, {"Kết quả", "Results"}, {"Dữ liệu đầu vào", "Inputs"}};
static const int group_layers[G_COUNT][3] = {
    {P_FINDINGS, -1, -1}, {P_CLUSTERS, P_ZONES, -1}, {P_VILLAGES, P_DISTRICTS, -1}};

/* The drawing order, top first. */
static const int draw_order[P_COUNT] = {P_FINDINGS, P_VILLAGES, P_CLUSTERS, P_ZONES, P_DISTRICTS};

/* One layer of the GeoPackage as the project needs it. */
typedef struct player {
    int present;
    char id[32];
    char source[4200];          /* ./<name>.gpkg|layername=<layer> */
    const char *geometry, *wkb; /* QGIS's names: "Polygon", "MultiPolygon" */
    char *qml;                  /* the style document (free) */
} player;

/* QGIS's geometry and WKB type names of an OGR layer. */
static void geometry_names(OGRLayerH l, const char **geometry, const char **wkb)
{
    switch (wkbFlatten(OGR_L_GetGeomType(l))) {
    case wkbPoint:
        *geometry = "Point", *wkb = "Point";
        break;
    case wkbMultiPoint:
        *geometry = "Point", *wkb = "MultiPoint";
        break;
    case wkbPolygon:
        *geometry = "Polygon", *wkb = "Polygon";
        break;
    case wkbMultiPolygon:
        *geometry = "Polygon", *wkb = "MultiPolygon";
        break;
    case wkbLineString:
        *geometry = "Line", *wkb = "LineString";
        break;
    case wkbMultiLineString:
        *geometry = "Line", *wkb = "MultiLineString";
        break;
    default:
        *geometry = "Unknown", *wkb = "Unknown";
    }
}

/* ---- the CRS ------------------------------------------------------------------------- */

/* What the project says of its CRS. */
typedef struct pcrs {
    char *wkt, *proj4;      /* CPLFree */
    char authid[64];        /* "EPSG:5897", or "" */
    char name[256];
    char ellipsoid[96];     /* PARAMETER:a:b */
    int geographic;
} pcrs;

/* Fill c from srs (borrowed); 0 when GDAL cannot export it. */
static int crs_read(OGRSpatialReferenceH srs, pcrs *c)
{
    const char *opts[] = {"FORMAT=WKT2_2019", NULL};
    memset(c, 0, sizeof *c);
    if (!srs || OSRExportToWktEx(srs, &c->wkt, opts) != OGRERR_NONE)
        return 0;
    if (OSRExportToProj4(srs, &c->proj4) != OGRERR_NONE) {
        CPLFree(c->proj4);
        c->proj4 = NULL;
    }
    const char *auth = OSRGetAuthorityName(srs, NULL), *code = OSRGetAuthorityCode(srs, NULL);
    if (auth && code)
        snprintf(c->authid, sizeof c->authid, "%s:%s", auth, code);
    const char *name = OSRGetName(srs);
    snprintf(c->name, sizeof c->name, "%s", name ? name : "");
    /* QGIS names an ellipsoid by its EPSG code, or else by its axes. */
    const char *ea = OSRGetAuthorityName(srs, "GEOGCS|DATUM|SPHEROID"),
               *ec = OSRGetAuthorityCode(srs, "GEOGCS|DATUM|SPHEROID");
    OGRErr err;
    if (ea && ec)
        snprintf(c->ellipsoid, sizeof c->ellipsoid, "%s:%s", ea, ec);
    else
        snprintf(c->ellipsoid, sizeof c->ellipsoid, "PARAMETER:%.6f:%.6f",
                 OSRGetSemiMajor(srs, &err), OSRGetSemiMinor(srs, &err));
    c->geographic = OSRIsGeographic(srs);
    return 1;
}

static void crs_clear(pcrs *c)
{
    CPLFree(c->wkt);
    CPLFree(c->proj4);
}

/* <spatialrefsys> under parent. */
static void spatialrefsys(xb *b, xmlNode *parent, const pcrs *c)
{
    xmlNode *s = xb_el(b, parent, "spatialrefsys", NULL);
    xb_at(b, s, "nativeFormat", "Wkt");
    xb_el(b, s, "wkt", c->wkt);
    xb_el(b, s, "proj4", c->proj4 ? c->proj4 : "");
    xb_el(b, s, "authid", c->authid);
    xb_el(b, s, "description", c->name);
    xb_el(b, s, "geographicflag", c->geographic ? "true" : "false");
}

/* ---- the document ------------------------------------------------------------------ */

/* A maplayer: the layer's source and the children and attributes of its
 * style document (whose root is <qgis>).  CCGIS_OK (check b->ok too) or
 * CCGIS_ERR_INTERNAL when the style cannot be read. */
static ccgis_status maplayer(xb *b, xmlNode *list, const player *l, int k, const pcrs *c,
                    ccgis_lang lang, ccgis_ctx *ctx)
{
    xmlNode *m = xb_el(b, list, "maplayer", NULL);
    xb_at(b, m, "type", "vector");
    xb_at(b, m, "geometry", "%s", l->geometry);
    xb_at(b, m, "wkbType", "%s", l->wkb);
    xb_el(b, m, "id", l->id);
    xb_el(b, m, "datasource", l->source);
    xb_el(b, m, "layername", layer_titles[k][lang == CCGIS_LANG_EN]);
    spatialrefsys(b, xb_el(b, m, "srs", NULL), c);
    xmlNode *prov = xb_el(b, m, "provider", "ogr");
    xb_at(b, prov, "encoding", "UTF-8");
    if (!b->ok || !l->qml)
        return CCGIS_OK;
    xmlDocPtr style = xmlReadMemory(l->qml, (int)strlen(l->qml), "style.qml", "UTF-8",
                                    XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
                                        XML_PARSE_NOWARNING);
    xmlNode *root = style ? xmlDocGetRootElement(style) : NULL;
    if (!root) {
        xmlFreeDoc(style);
        b->ok = 0;
        return ccgis_error(ctx, CCGIS_ERR_INTERNAL, "the QGIS style of '%s' cannot be read back",
                           layer_names[k]);
    }
    for (xmlAttr *a = root->properties; a && b->ok; a = a->next) {
        if (xmlStrcmp(a->name, BAD_CAST "version") == 0 ||
            xmlStrcmp(a->name, BAD_CAST "styleCategories") == 0)
            continue;
        xmlChar *v = xmlGetProp(root, a->name);
        if (!v || !xmlSetProp(m, a->name, v))
            b->ok = 0;
        xmlFree(v);
    }
    for (xmlNode *ch = root->children; ch && b->ok; ch = ch->next) {
        xmlNode *copy = xmlDocCopyNode(ch, m->doc, 1);
        if (!copy || !xmlAddChild(m, copy)) {
            xmlFreeNode(copy);
            b->ok = 0;
        }
    }
    xmlFreeDoc(style);
    return CCGIS_OK;
}

/* What the document is made from. */
typedef struct pdoc {
    const ccgis_project_spec *spec;
    player layers[P_COUNT];
    pcrs crs;
    OGREnvelope extent; /* the clusters' */
    const char **cl_fields;
    size_t n_cl_fields;
    long long n_clusters;
} pdoc;

/* The layer tree: groups, layers, drawing order. */
static void layer_tree(xb *b, xmlNode *root, const pdoc *d, ccgis_lang lang)
{
    int en = lang == CCGIS_LANG_EN;
    xmlNode *tree = xb_el(b, root, "layer-tree-group", NULL);
    for (int g = 0; g < G_COUNT; g++) {
        int any = 0;
        for (int i = 0; i < 3 && group_layers[g][i] >= 0; i++)
            any |= d->layers[group_layers[g][i]].present;
        if (!any)
            continue;
        xmlNode *grp = xb_el(b, tree, "layer-tree-group", NULL);
        xb_at(b, grp, "name", "%s", group_titles[g][en]);
        xb_at(b, grp, "checked", "Qt::Checked");
        xb_at(b, grp, "expanded", "1");
        for (int i = 0; i < 3 && group_layers[g][i] >= 0; i++) {
            int k = group_layers[g][i];
            const player *l = &d->layers[k];
            if (!l->present)
                continue;
            xmlNode *n = xb_el(b, grp, "layer-tree-layer", NULL);
            xb_at(b, n, "id", "%s", l->id);
            xb_at(b, n, "name", "%s", layer_titles[k][en]);
            xb_at(b, n, "source", "%s", l->source);
            xb_at(b, n, "providerKey", "ogr");
            xb_at(b, n, "checked", k == P_FINDINGS ? "Qt::Unchecked" : "Qt::Checked");
            xb_at(b, n, "expanded", k == P_ZONES ? "0" : "1");
        }
    }
    xmlNode *order = xb_el(b, tree, "custom-order", NULL);
    xb_at(b, order, "enabled", "1");
    for (int i = 0; i < P_COUNT; i++)
        if (d->layers[draw_order[i]].present)
            xb_el(b, order, "item", d->layers[draw_order[i]].id);
}

/* A project <properties> entry: <group><key type="QString">value</key></group>. */
static void property(xb *b, xmlNode *props, const char *group, const char *key, const char *type,
                     const char *value)
{
    xmlNode *g = NULL;
    for (xmlNode *c = props ? props->children : NULL; c; c = c->next)
        if (xmlStrcmp(c->name, BAD_CAST group) == 0)
            g = c;
    if (!g)
        g = xb_el(b, props, group, NULL);
    xb_at(b, xb_el(b, g, key, value), "type", "%s", type);
}

/* The file name part of a path. */
static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* The .qgs document, serialised: a new buffer (xmlFree) in *out, *len bytes. */
static ccgis_status build(ccgis_ctx *ctx, pdoc *d, xmlChar **out, int *len)
{
    const ccgis_project_spec *sp = d->spec;
    const ccgis_job *job = sp->job;
    ccgis_lang lang = job->lang;
    int en = lang == CCGIS_LANG_EN;
    xb b = {1};
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNode *root = doc ? xmlNewNode(NULL, BAD_CAST "qgis") : NULL;
    if (!root) {
        xmlFreeDoc(doc);
        return ccgis_nomem(ctx);
    }
    xmlDocSetRootElement(doc, root);
    const char *title = job->name ? job->name : sp->base;
    xb_at(&b, root, "projectname", "%s", title);
    xb_at(&b, root, "version", "3.22.0-Białowieża");
    xb_at(&b, root, "saveDateTime", "%s", sp->date);
    xb_at(&b, root, "saveUser", "ccgis");
    xb_at(&b, xb_el(&b, root, "homePath", NULL), "path", "%s", "");
    xb_el(&b, root, "title", title);
    spatialrefsys(&b, xb_el(&b, root, "projectCrs", NULL), &d->crs);
    layer_tree(&b, root, d, lang);
    xmlNode *list = xb_el(&b, root, "projectlayers", NULL);
    for (int k = 0; k < P_COUNT && b.ok; k++) {
        ccgis_status st = d->layers[k].present
                              ? maplayer(&b, list, &d->layers[k], k, &d->crs, lang, ctx)
                              : CCGIS_OK;
        if (st != CCGIS_OK) {
            xmlFreeDoc(doc);
            return st;
        }
    }
    xmlNode *props = xb_el(&b, root, "properties", NULL);
    property(&b, props, "Paths", "Absolute", "bool", "false");
    property(&b, props, "SpatialRefSys", "ProjectionsEnabled", "int", "1"); /* read projectCrs */
    property(&b, props, "Measure", "Ellipsoid", "QString", d->crs.ellipsoid);
    property(&b, props, "Measurement", "DistanceUnits", "QString", "meters");
    property(&b, props, "Measurement", "AreaUnits", "QString", "ha");
    /* The canvas opens on the clusters. */
    xmlNode *canvas = xb_el(&b, root, "mapcanvas", NULL);
    xb_at(&b, canvas, "name", "theMapCanvas");
    xb_at(&b, canvas, "annotationsVisible", "1");
    xb_el(&b, canvas, "units", d->crs.geographic ? "degrees" : "meters");
    xmlNode *ext = xb_el(&b, canvas, "extent", NULL);
    char v[64];
    double box[4] = {d->extent.MinX, d->extent.MinY, d->extent.MaxX, d->extent.MaxY};
    const char *corner[4] = {"xmin", "ymin", "xmax", "ymax"};
    for (int i = 0; i < 4; i++) {
        snprintf(v, sizeof v, "%.3f", box[i]);
        xb_el(&b, ext, corner[i], v);
    }
    xb_el(&b, canvas, "rotation", "0");
    spatialrefsys(&b, xb_el(&b, canvas, "destinationsrs", NULL), &d->crs);
    /* Metadata. */
    xmlNode *md = xb_el(&b, root, "projectMetadata", NULL);
    char text[2048];
    snprintf(text, sizeof text, "ccgis:%s", sp->base);
    xb_el(&b, md, "identifier", text);
    xb_el(&b, md, "parentidentifier", "");
    xb_el(&b, md, "language", en ? "en" : "vi");
    xb_el(&b, md, "type", "dataset");
    xb_el(&b, md, "title", title);
    if (job->abstract)
        snprintf(text, sizeof text, "%s", job->abstract);
    else
        snprintf(text, sizeof text,
                 en ? "%lld industrial clusters measured by ccgis against the districts, the "
                      "land-use plan and the craft villages (job file %s)."
                    : "%lld cụm công nghiệp được ccgis đo đạc, đối chiếu với quận/huyện, quy "
                      "hoạch sử dụng đất và làng nghề (tệp công việc %s).",
                 d->n_clusters, base_name(job->path));
    xb_el(&b, md, "abstract", text);
    xmlNode *kw = xb_el(&b, md, "keywords", NULL);
    xb_at(&b, kw, "vocabulary", "ccgis");
    xb_el(&b, kw, "keyword", en ? "industrial clusters" : "cụm công nghiệp");
    xb_el(&b, kw, "keyword", "ccgis");
    snprintf(text, sizeof text, "ccgis %s, %s, %s", ccgis_version(), base_name(job->path),
             sp->date);
    xb_el(&b, md, "history", text);
    xb_el(&b, md, "author", job->author ? job->author : "");
    xb_el(&b, md, "creation", sp->date);
    /* Layouts. */
    if (b.ok) {
        char subtitle[1024], day[16];
        snprintf(day, sizeof day, "%.10s", sp->date);
        const char *crs = d->crs.authid[0] ? d->crs.authid : "";
        snprintf(subtitle, sizeof subtitle,
                 en ? "%s · CRS %s (%s) · source: ccgis %s, %s"
                    : "Ngày %s · Hệ tọa độ %s (%s) · Nguồn: ccgis %s, %s",
                 day, d->crs.name, crs, ccgis_version(), base_name(job->path));
        ccgis_layout_spec ls = {
            .lang = lang,
            .paper = job->paper,
            .portrait = job->portrait,
            .title = title,
            .subtitle = subtitle,
            .xmin = d->extent.MinX,
            .ymin = d->extent.MinY,
            .xmax = d->extent.MaxX,
            .ymax = d->extent.MaxY,
            .cl_id = job->clusters.id,
            .cl_name = job->clusters.name,
            .cl_fields = d->cl_fields,
            .n_cl_fields = d->n_cl_fields,
            .d_name = job->districts.name,
            .v_name = job->villages.name ? job->villages.name : job->villages.id};
        for (int k = 0; k < P_COUNT; k++)
            ls.id[k] = d->layers[k].present ? d->layers[k].id : NULL;
        if (!ccgis_layouts_add(root, &ls))
            b.ok = 0;
    }
    if (b.ok)
        xmlDocDumpFormatMemoryEnc(doc, out, len, "UTF-8", 1);
    xmlFreeDoc(doc);
    if (!b.ok || !*out || *len <= 0)
        return ccgis_nomem(ctx);
    return CCGIS_OK;
}

/* ---- the archive and where it goes ---------------------------------------------- */

/* The .qgz: one entry <base>.qgs, deflated, with a fixed time (2020-01-01
 * 00:00 local, as a zip stores it).  A new buffer (free) in *zbuf. */
static ccgis_status zip_qgs(ccgis_ctx *ctx, const char *base, const void *qgs, size_t n,
                            void **zbuf, size_t *zlen)
{
    zip_error_t err;
    zip_error_init(&err);
    *zbuf = NULL;
    zip_source_t *mem = zip_source_buffer_create(NULL, 0, 0, &err);
    zip_t *z = mem ? zip_open_from_source(mem, ZIP_TRUNCATE, &err) : NULL;
    zip_source_t *entry = NULL;
    ccgis_status st = CCGIS_OK;
    char name[1024];
    snprintf(name, sizeof name, "%s.qgs", base);
    struct tm tm = {.tm_year = 120, .tm_mon = 0, .tm_mday = 1, .tm_isdst = -1};
    time_t fixed = mktime(&tm);
    zip_int64_t idx = -1;
    if (z) {
        zip_source_keep(mem);
        entry = zip_source_buffer(z, qgs, n, 0);
        idx = entry ? zip_file_add(z, name, entry, ZIP_FL_ENC_UTF_8) : -1;
        if (idx < 0)
            zip_source_free(entry);
    }
    if (idx < 0 || zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 9) != 0 ||
        zip_file_set_mtime(z, (zip_uint64_t)idx, fixed, 0) != 0 || zip_close(z) != 0) {
        st = ccgis_error(ctx, CCGIS_ERR_INTERNAL, "cannot make the QGIS project archive: %s",
                         z ? zip_strerror(z) : zip_error_strerror(&err));
        if (z)
            zip_discard(z);
        goto done;
    }
    zip_stat_t zs;
    if (zip_source_stat(mem, &zs) != 0 || zip_source_open(mem) != 0) {
        st = ccgis_error(ctx, CCGIS_ERR_INTERNAL, "cannot read the QGIS project archive back");
        goto done;
    }
    *zbuf = malloc(zs.size ? zs.size : 1);
    if (!*zbuf) {
        zip_source_close(mem);
        st = ccgis_nomem(ctx);
        goto done;
    }
    zip_int64_t got = zip_source_read(mem, *zbuf, zs.size);
    zip_source_close(mem);
    if (got < 0 || (zip_uint64_t)got != zs.size) {
        free(*zbuf);
        *zbuf = NULL;
        st = ccgis_error(ctx, CCGIS_ERR_INTERNAL, "cannot read the QGIS project archive back");
        goto done;
    }
    *zlen = zs.size;
done:
    if (mem)
        zip_source_free(mem);
    zip_error_fini(&err);
    return st;
}

/* Write the bytes to path; CCGIS_ERR_OUTPUT naming it on failure. */
static ccgis_status write_file(ccgis_ctx *ctx, const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s: cannot be written -- check the folder",
                           path);
    int bad = fwrite(data, 1, n, f) != n;
    bad |= fclose(f) != 0;
    if (bad)
        return ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                           "%s: could not be written completely -- check free space", path);
    return CCGIS_OK;
}

/* Store the archive in the GeoPackage's qgis_projects table, as QGIS does. */
static ccgis_status store_in_gpkg(ccgis_ctx *ctx, const char *gpkg, const char *name,
                                  const char *date, const unsigned char *z, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t qn = strlen(name);
    char *q = ccgis_calloc(ctx, 2 * qn + 1, 1);
    size_t cap = 2 * n + 2 * qn + strlen(date) + 256;
    char *sql = q ? ccgis_calloc(ctx, cap, 1) : NULL;
    if (!sql) {
        free(q);
        return CCGIS_ERR_NOMEM;
    }
    for (size_t i = 0, o = 0; i < qn; i++) { /* the name as an SQL literal */
        if (name[i] == '\'')
            q[o++] = '\'';
        q[o++] = name[i];
    }
    int at = snprintf(sql, cap,
                      "INSERT INTO qgis_projects VALUES ('%s', '{\"last_modified_time\": \"%s\", "
                      "\"last_modified_user\": \"ccgis\" }', '",
                      q, date);
    char *o = sql + at;
    for (size_t i = 0; i < n; i++) {
        *o++ = hex[z[i] >> 4];
        *o++ = hex[z[i] & 15];
    }
    memcpy(o, "')", 3);
    free(q);
    ccgis_status st = CCGIS_OK;
    ccgis_gdal_begin(ctx);
    GDALDatasetH ds = GDALOpenEx(gpkg, GDAL_OF_VECTOR | GDAL_OF_UPDATE, NULL, NULL, NULL);
    if (ds) {
        GDALDatasetExecuteSQL(ds,
                              "CREATE TABLE qgis_projects(name TEXT PRIMARY KEY, metadata BLOB, "
                              "content BLOB)",
                              NULL, NULL);
        if (!ctx->gdal_msg[0])
            GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
        GDALClose(ds);
    }
    if (!ds || ctx->gdal_msg[0])
        st = ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s: cannot store the QGIS project in it: %s",
                         gpkg, ctx->gdal_msg[0] ? ctx->gdal_msg : "GDAL gave no reason");
    ccgis_gdal_end(ctx);
    free(sql);
    return st;
}

/* Read what the project needs from the written GeoPackage. */
static ccgis_status read_gpkg(ccgis_ctx *ctx, GDALDatasetH ds, const char *gpkg, pdoc *d)
{
    const ccgis_project_spec *sp = d->spec;
    for (int k = 0; k < P_COUNT; k++) {
        OGRLayerH l = GDALDatasetGetLayerByName(ds, layer_names[k]);
        if (!l)
            continue;
        player *pl = &d->layers[k];
        pl->present = 1;
        snprintf(pl->id, sizeof pl->id, "ccgis_%s", layer_names[k]);
        snprintf(pl->source, sizeof pl->source, "./%s.gpkg|layername=%s", sp->base,
                 layer_names[k]);
        geometry_names(l, &pl->geometry, &pl->wkb);
        const ccgis_style_layer *sl = NULL;
        for (size_t i = 0; i < sp->n_layers; i++)
            if (strcmp(sp->layers[i].layer, layer_names[k]) == 0)
                sl = &sp->layers[i];
        if (sl && !(pl->qml = ccgis_style_written_qml(ctx, sp->style, sl, l)))
            return ccgis_errcode(ctx);
        if (k == P_CLUSTERS) {
            if (!crs_read(OGR_L_GetSpatialRef(l), &d->crs))
                return ccgis_error(ctx, CCGIS_ERR_OUTPUT,
                                   "%s: the CRS of the clusters layer cannot be read back", gpkg);
            if (OGR_L_GetExtent(l, &d->extent, TRUE) != OGRERR_NONE)
                memset(&d->extent, 0, sizeof d->extent);
            d->n_clusters = (long long)OGR_L_GetFeatureCount(l, TRUE);
            OGRFeatureDefnH fd = OGR_L_GetLayerDefn(l);
            int nf = OGR_FD_GetFieldCount(fd);
            d->cl_fields = ccgis_calloc(ctx, (size_t)nf + 1, sizeof *d->cl_fields);
            if (!d->cl_fields)
                return CCGIS_ERR_NOMEM;
            for (int i = 0; i < nf; i++)
                d->cl_fields[i] = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(fd, i));
            d->n_cl_fields = (size_t)nf;
        }
    }
    if (!d->layers[P_CLUSTERS].present)
        return ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s: has no clusters layer", gpkg);
    return CCGIS_OK;
}

/* ccgis_write_project: see internal.h. */
ccgis_status ccgis_write_project(ccgis_ctx *ctx, const ccgis_project_spec *spec)
{
    char gpkg[4096], qgz[4096];
    snprintf(gpkg, sizeof gpkg, "%s/%s.gpkg", spec->dir, spec->base);
    snprintf(qgz, sizeof qgz, "%s/%s.qgz", spec->dir, spec->base);
    pdoc d = {.spec = spec};
    xmlChar *qgs = NULL;
    int qgs_len = 0;
    void *z = NULL;
    size_t zlen = 0;
    ccgis_status st;
    ccgis_gdal_begin(ctx);
    GDALDatasetH ds = GDALOpenEx(gpkg, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!ds)
        st = ccgis_error(ctx, CCGIS_ERR_OUTPUT, "%s: cannot be read back for the QGIS project: %s",
                         gpkg, ctx->gdal_msg[0] ? ctx->gdal_msg : "GDAL gave no reason");
    else
        st = read_gpkg(ctx, ds, gpkg, &d);
    ccgis_gdal_end(ctx);
    if (st == CCGIS_OK)
        st = build(ctx, &d, &qgs, &qgs_len);
    if (ds)
        GDALClose(ds); /* after build: cl_fields borrows from it */
    if (st == CCGIS_OK)
        st = zip_qgs(ctx, spec->base, qgs, (size_t)qgs_len, &z, &zlen);
    if (st == CCGIS_OK)
        st = write_file(ctx, qgz, z, zlen);
    if (st == CCGIS_OK)
        st = store_in_gpkg(ctx, gpkg, spec->base, spec->date, z, zlen);
    for (int k = 0; k < P_COUNT; k++)
        free(d.layers[k].qml);
    free(d.cl_fields);
    crs_clear(&d.crs);
    xmlFree(qgs);
    free(z);
    return st;
}
