/*
 * qml.c -- the QGIS style document (QML) of one layer of a job.
 *
 * The bundled styles (src/styles/<layer>.qml, made in QGIS 3.22, compiled
 * in: styles.h) give each layer its look.  What depends on the job is set
 * here on a libxml2 tree of the bundled document, so that every name and
 * text -- Vietnamese field names, "Tên làng", a quote in a field name -- is
 * escaped as XML requires:
 *   - the label: the field the job names (the clusters' id, the villages'
 *     or districts' name), as it is called in the written layer, or a QGIS
 *     expression when one .qml serves files whose names differ; no label
 *     when the job gives no such field;
 *   - the clusters' graduated renderer on confl_pct: one class for 0 %,
 *     then one per interval of the job's conflict breaks up to 100 %, the
 *     colours spread over the bundled green-to-red ramp, and a translucent
 *     fill (alpha CCGIS_QML_FILL_ALPHA of 255) that lets the land-use pieces
 *     underneath show;
 *   - <aliases>: the names of ccgis's own columns in the report's language,
 *     with units (aliases.c), which QGIS shows in the attribute table and
 *     the identify results.
 *
 * libxml2 is used with its error output turned off (XML_PARSE_NOERROR): the
 * library prints nothing; a failure is recorded in the context.
 * Exports ccgis_style_qml and ccgis_qgis_quote_string.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "internal.h"
#include "styles.h"

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

/* The bundled style of a layer, or NULL. */
static const char *bundled(const char *layer)
{
    for (size_t i = 0; i < ccgis_nstyles; i++)
        if (strcmp(ccgis_styles[i].layer, layer) == 0)
            return ccgis_styles[i].qml;
    return NULL;
}

/* 1 if node is the element `name`. */
static int is_elem(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST name) == 0;
}

/* The first child element `name` of parent, or NULL. */
static xmlNode *child(xmlNode *parent, const char *name)
{
    for (xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
        if (is_elem(c, name))
            return c;
    return NULL;
}

/* The first element `name` at or under n (document order), or NULL. */
static xmlNode *find(xmlNode *n, const char *name)
{
    for (; n; n = n->next) {
        if (is_elem(n, name))
            return n;
        xmlNode *in = find(n->children, name);
        if (in)
            return in;
    }
    return NULL;
}

/* 1 if element n has attribute `attr` equal to `value`. */
static int attr_is(xmlNode *n, const char *attr, const char *value)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST attr);
    int same = v && xmlStrcmp(v, BAD_CAST value) == 0;
    xmlFree(v);
    return same;
}

/* Set (or add) attribute `attr`; 0 when out of memory. */
static int set_attr(xmlNode *n, const char *attr, const char *value)
{
    return xmlSetProp(n, BAD_CAST attr, BAD_CAST value) != NULL;
}

/* ---- colours ------------------------------------------------------------- */

typedef struct rgba {
    int r, g, b, a;
} rgba;

/*
 * A symbol layer's property `key`, which QGIS 3.22 writes twice: as
 * <Option name="key" value="..."/> in its <Option type="Map"> and as
 * <prop k="key" v="..."/>.  get_prop returns the first (xmlFree), set_prop
 * sets both; 0 when out of memory.
 */
static xmlChar *get_prop(xmlNode *layer, const char *key)
{
    for (xmlNode *o = child(child(layer, "Option"), "Option"); o; o = o->next)
        if (is_elem(o, "Option") && attr_is(o, "name", key))
            return xmlGetProp(o, BAD_CAST "value");
    for (xmlNode *p = layer->children; p; p = p->next)
        if (is_elem(p, "prop") && attr_is(p, "k", key))
            return xmlGetProp(p, BAD_CAST "v");
    return NULL;
}

static int set_prop(xmlNode *layer, const char *key, const char *value)
{
    for (xmlNode *o = child(child(layer, "Option"), "Option"); o; o = o->next)
        if (is_elem(o, "Option") && attr_is(o, "name", key) && !set_attr(o, "value", value))
            return 0;
    for (xmlNode *p = layer->children; p; p = p->next)
        if (is_elem(p, "prop") && attr_is(p, "k", key) && !set_attr(p, "v", value))
            return 0;
    return 1;
}

/* The SimpleFill layer of a symbol, or NULL. */
static xmlNode *fill_layer(xmlNode *symbol)
{
    for (xmlNode *l = symbol->children; l; l = l->next)
        if (is_elem(l, "layer") && attr_is(l, "class", "SimpleFill"))
            return l;
    return NULL;
}

/* The fill colour of a symbol; 0 if it has none readable. */
static int fill_colour(xmlNode *symbol, rgba *c)
{
    xmlNode *l = fill_layer(symbol);
    xmlChar *v = l ? get_prop(l, "color") : NULL;
    int ok = v && sscanf((const char *)v, "%d,%d,%d,%d", &c->r, &c->g, &c->b, &c->a) == 4;
    xmlFree(v);
    return ok;
}

/* Set a symbol's fill colour; 0 when out of memory. */
static int set_fill_colour(xmlNode *symbol, rgba c)
{
    xmlNode *l = fill_layer(symbol);
    if (!l)
        return 1;
    char v[64];
    snprintf(v, sizeof v, "%d,%d,%d,%d", c.r, c.g, c.b, c.a);
    return set_prop(l, "color", v);
}

/* The colour at t in [0, 1] along stops[0..n-1] (linear in RGB). */
static rgba ramp(const rgba *stops, size_t n, double t)
{
    if (n == 1 || t <= 0)
        return stops[0];
    if (t >= 1)
        return stops[n - 1];
    double x = t * (double)(n - 1);
    size_t i = (size_t)x;
    double f = x - (double)i;
    const rgba *a = &stops[i], *b = &stops[i + 1];
    return (rgba){(int)(a->r + (b->r - a->r) * f + 0.5), (int)(a->g + (b->g - a->g) * f + 0.5),
                  (int)(a->b + (b->b - a->b) * f + 0.5), a->a};
}

/* ---- the conflict classes --------------------------------------------------- */


/* Add one <range>; 0 when out of memory. */
static int add_range(xmlNode *ranges, double lo, double hi, int symbol, const char *label)
{
    xmlNode *r = xmlNewChild(ranges, NULL, BAD_CAST "range", NULL);
    char v[64];
    if (!r)
        return 0;
    snprintf(v, sizeof v, "%.15f", lo);
    int ok = set_attr(r, "lower", v);
    snprintf(v, sizeof v, "%.15f", hi);
    ok = ok && set_attr(r, "upper", v);
    snprintf(v, sizeof v, "%d", symbol);
    ok = ok && set_attr(r, "symbol", v) && set_attr(r, "render", "true") &&
         set_attr(r, "label", label);
    return ok;
}

/*
 * Replace the ranges and symbols of the clusters' graduated renderer:
 * [0, 0] "0 %", then [0, b1], [b1, b2], ..., [bn, 100], each with a copy of
 * the bundled first symbol coloured along the bundled symbols' ramp, with a
 * translucent fill.  Returns 0 when out of memory or when the bundled
 * renderer is not the expected one.
 */
static int conflict_classes(xmlNode *renderer, const double *breaks, size_t n, ccgis_lang lang)
{
    xmlNode *ranges = child(renderer, "ranges"), *symbols = child(renderer, "symbols");
    xmlNode *first = child(symbols, "symbol");
    if (!ranges || !first)
        return 0;
    rgba stops[16];
    size_t ns = 0;
    for (xmlNode *s = first; s && ns < 16; s = s->next)
        if (is_elem(s, "symbol") && fill_colour(s, &stops[ns]))
            ns++;
    if (ns < 2)
        return 0;
    xmlNode *model = xmlCopyNode(first, 1);
    if (!model)
        return 0;
    /* Empty both lists. */
    for (xmlNode *p[2] = {ranges, symbols}, **q = p; q < p + 2; q++)
        while ((*q)->children) {
            xmlNode *c = (*q)->children;
            xmlUnlinkNode(c);
            xmlFreeNode(c);
        }
    int ok = 1;
    size_t nclasses = n + 2;
    for (size_t k = 0; k < nclasses && ok; k++) {
        double lo = k == 0 ? 0.0 : k == 1 ? 0.0 : breaks[k - 2];
        double hi = k == 0 ? 0.0 : k == nclasses - 1 ? 100.0 : breaks[k - 1];
        char a[32], b[32], label[80];
        ccgis_pct_label(lo, lang, a, sizeof a);
        ccgis_pct_label(hi, lang, b, sizeof b);
        if (k == 0)
            snprintf(label, sizeof label, "0 %%");
        else
            snprintf(label, sizeof label, "%s – %s %%", a, b);
        ok = add_range(ranges, lo, hi, (int)k, label);
        /* 0 %: the ramp's first colour; the others spread over the rest. */
        rgba c = k == 0 ? stops[0] : ramp(stops + 1, ns - 1, n ? (double)(k - 1) / (double)n : 0);
        c.a = CCGIS_QML_FILL_ALPHA;
        xmlNode *s = ok ? xmlCopyNode(model, 1) : NULL;
        char name[24];
        snprintf(name, sizeof name, "%zu", k);
        ok = s && xmlAddChild(symbols, s) && set_attr(s, "name", name) && set_fill_colour(s, c);
    }
    xmlFreeNode(model);
    return ok;
}

/* ---- the change classes ------------------------------------------------------ */

/*
 * The plan_changes layer's categories (one per change class, on `change`):
 * each labelled with its class in the job's language, "mở rộng (expanded)".
 * Returns 0 when out of memory.
 */
static int change_labels(xmlNode *renderer, ccgis_lang lang)
{
    for (xmlNode *c = child(child(renderer, "categories"), "category"); c; c = c->next) {
        if (!is_elem(c, "category"))
            continue;
        xmlChar *v = xmlGetProp(c, BAD_CAST "value");
        int ok = 1;
        for (int k = 0; v && k < CCGIS_CHANGE_KINDS; k++) {
            const char *name = ccgis_change_name((ccgis_change_kind)k);
            if (strcmp((const char *)v, name) != 0)
                continue;
            char label[160];
            snprintf(label, sizeof label, "%s (%s)",
                     ccgis_tr(lang, (ccgis_text_id)(T_CH_FIRST + k)), name);
            ok = set_attr(c, "label", label);
        }
        xmlFree(v);
        if (!ok)
            return 0;
    }
    return 1;
}

/* ---- labels and aliases ----------------------------------------------------- */

/* Point the labels at the job's field (or expression), or turn them off. */
static int set_label(xmlNode *root, const ccgis_qml_spec *s)
{
    if (s->label == CCGIS_QML_LABEL_KEEP)
        return 1;
    xmlNode *text = find(child(root, "labeling"), "text-style");
    if (s->label == CCGIS_QML_LABEL_NONE || !text)
        return set_attr(root, "labelsEnabled", "0");
    return set_attr(root, "labelsEnabled", "1") &&
           set_attr(text, "fieldName", s->label_text) &&
           set_attr(text, "isExpression", s->label == CCGIS_QML_LABEL_EXPRESSION ? "1" : "0");
}

/* <aliases>: one <alias> per ccgis column of the written layer. */
static int set_aliases(xmlNode *root, const ccgis_qml_spec *s)
{
    xmlNode *old = child(root, "aliases");
    if (old) {
        xmlUnlinkNode(old);
        xmlFreeNode(old);
    }
    xmlNode *list = xmlNewChild(root, NULL, BAD_CAST "aliases", NULL);
    if (!list)
        return 0;
    for (size_t i = s->n_source; i < s->n_fields; i++) {
        const char *text = ccgis_field_alias(s->layer, s->fields[i], s->lang);
        if (!text)
            continue;
        /* By name only: QGIS counts a GeoPackage's fid as a field, OGR does not. */
        xmlNode *a = xmlNewChild(list, NULL, BAD_CAST "alias", NULL);
        if (!a || !set_attr(a, "field", s->fields[i]) || !set_attr(a, "name", text))
            return 0;
    }
    /* QGIS 3.22 reads aliases with the "Fields" style category. */
    xmlChar *cat = xmlGetProp(root, BAD_CAST "styleCategories");
    int ok = 1;
    if (cat && !xmlStrstr(cat, BAD_CAST "Fields")) {
        char v[256];
        snprintf(v, sizeof v, "%s|Fields", (const char *)cat);
        ok = set_attr(root, "styleCategories", v);
    }
    xmlFree(cat);
    return ok;
}

/* ---- the document -------------------------------------------------------------- */

/* ccgis_style_qml: see internal.h. */
char *ccgis_style_qml(ccgis_ctx *ctx, const ccgis_qml_spec *s)
{
    const char *qml = bundled(s->layer);
    if (!qml) {
        ccgis_error(ctx, CCGIS_ERR_INTERNAL, "no bundled QGIS style for the layer '%s'",
                    s->layer);
        return NULL;
    }
    pthread_once(&xml_once, xmlInitParser);
    xmlParserCtxtPtr px = xmlNewParserCtxt();
    xmlDocPtr doc = px ? xmlCtxtReadMemory(px, qml, (int)strlen(qml), "style.qml", "UTF-8",
                                           XML_PARSE_NONET | XML_PARSE_NOBLANKS |
                                               XML_PARSE_NOERROR | XML_PARSE_NOWARNING)
                       : NULL;
    xmlChar *out = NULL;
    int len = 0;
    char *result = NULL;
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!is_elem(root, "qgis")) {
        ccgis_error(ctx, CCGIS_ERR_INTERNAL, "the bundled QGIS style of '%s' cannot be read",
                    s->layer);
        goto done;
    }
    int ok = set_label(root, s) && set_aliases(root, s);
    xmlNode *renderer = child(root, "renderer-v2");
    if (ok && s->n_breaks && renderer && attr_is(renderer, "type", "graduatedSymbol") &&
        attr_is(renderer, "attr", "confl_pct"))
        ok = conflict_classes(renderer, s->breaks, s->n_breaks, s->lang);
    if (ok && renderer && attr_is(renderer, "type", "categorizedSymbol") &&
        attr_is(renderer, "attr", "change"))
        ok = change_labels(renderer, s->lang);
    if (ok)
        xmlDocDumpFormatMemoryEnc(doc, &out, &len, "UTF-8", 1);
    if (!out || len <= 0) {
        ccgis_error(ctx, CCGIS_ERR_INTERNAL, "cannot make the QGIS style of '%s'", s->layer);
        goto done;
    }
    result = malloc((size_t)len + 1);
    if (!result) {
        ccgis_nomem(ctx);
        goto done;
    }
    memcpy(result, out, (size_t)len);
    result[len] = '\0';
done:
    xmlFree(out);
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(px);
    return result;
}

/* ccgis_qgis_quote_string: see internal.h. */
char *ccgis_qgis_quote_string(ccgis_ctx *ctx, const char *text)
{
    size_t n = 3;
    for (const char *c = text; *c; c++)
        n += strchr("'\\\n\t", *c) ? 2 : 1;
    char *s = ccgis_calloc(ctx, n, 1), *o = s;
    if (!s)
        return NULL;
    *o++ = '\'';
    for (const char *c = text; *c; c++) {
        switch (*c) {
        case '\'':
            *o++ = '\'';
            *o++ = '\'';
            break;
        case '\\':
            *o++ = '\\';
            *o++ = '\\';
            break;
        case '\n':
            *o++ = '\\';
            *o++ = 'n';
            break;
        case '\t':
            *o++ = '\\';
            *o++ = 't';
            break;
        default:
            *o++ = *c;
        }
    }
    *o++ = '\'';
    *o = '\0';
    return s;
}
