/*
 * palette.c -- the colours of report.html's maps and overview.png, read from
 * the bundled QGIS styles (draw.h), so a drawing by ccgis and the layers
 * opened in QGIS look alike:
 *   - the clusters' conflict classes: the fill colours of the graduated
 *     renderer's symbols in clusters.qml are the ramp; class 0 (0 %) takes
 *     its first colour, the n + 1 classes above spread over the rest, linear
 *     in RGB -- the computation qml.c makes for the written style;
 *   - the land-use classes: cluster_zones.qml's rules `"class" = 'LUA'` and
 *     the fill of each rule's symbol; its ELSE rule for any other class.
 * Exports ccgis_palette_make, ccgis_palette_class and ccgis_palette_zone.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "draw.h"
#include "styles.h"

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

/* 1 if node is the element `name`. */
static int is_elem(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST name) == 0;
}

/* The first child element `name` of parent, or NULL. */
static xmlNode *child(const xmlNode *parent, const char *name)
{
    for (xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
        if (is_elem(c, name))
            return c;
    return NULL;
}

/* Attribute `attr` of n into buf (size); 0 when it has none. */
static int attr(const xmlNode *n, const char *name, char *buf, size_t size)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST name);
    if (!v)
        return 0;
    snprintf(buf, size, "%s", (const char *)v);
    xmlFree(v);
    return 1;
}

/* The bundled style of `layer` parsed; NULL if it cannot be (xmlFreeDoc). */
static xmlDocPtr bundled(const char *layer)
{
    const char *qml = NULL;
    for (size_t i = 0; i < ccgis_nstyles; i++)
        if (strcmp(ccgis_styles[i].layer, layer) == 0)
            qml = ccgis_styles[i].qml;
    if (!qml)
        return NULL;
    pthread_once(&xml_once, xmlInitParser);
    return xmlReadMemory(qml, (int)strlen(qml), "style.qml", "UTF-8",
                         XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
                             XML_PARSE_NOWARNING);
}

/* The fill colour of <symbol> s (its SimpleFill layer's "color"); 0 if none. */
static int symbol_fill(const xmlNode *s, ccgis_rgb *c)
{
    for (xmlNode *l = s->children; l; l = l->next) {
        char cls[64], v[64];
        if (!is_elem(l, "layer") || !attr(l, "class", cls, sizeof cls) ||
            strcmp(cls, "SimpleFill") != 0)
            continue;
        for (xmlNode *o = child(child(l, "Option"), "Option"); o; o = o->next) {
            int r, g, b, a;
            if (is_elem(o, "Option") && attr(o, "name", v, sizeof v) && strcmp(v, "color") == 0 &&
                attr(o, "value", v, sizeof v) && sscanf(v, "%d,%d,%d,%d", &r, &g, &b, &a) == 4) {
                *c = (ccgis_rgb){r / 255.0, g / 255.0, b / 255.0};
                return 1;
            }
        }
    }
    return 0;
}

/* The <symbol name="k"> of <symbols>, or NULL. */
static const xmlNode *symbol_named(const xmlNode *symbols, const char *k)
{
    char v[32];
    for (const xmlNode *s = symbols ? symbols->children : NULL; s; s = s->next)
        if (is_elem(s, "symbol") && attr(s, "name", v, sizeof v) && strcmp(v, k) == 0)
            return s;
    return NULL;
}

/* Channel of the ramp as qml.c computes it: rounded to 1/255. */
static double mix(double a, double b, double f)
{
    return (double)(int)(a * 255.0 + (b * 255.0 - a * 255.0) * f + 0.5) / 255.0;
}

/* The colour at t in [0, 1] along stops[0..n-1], as qml.c's ramp(). */
static ccgis_rgb ramp(const ccgis_rgb *stops, size_t n, double t)
{
    if (n == 1 || t <= 0)
        return stops[0];
    if (t >= 1)
        return stops[n - 1];
    double x = t * (double)(n - 1);
    size_t i = (size_t)x;
    double f = x - (double)i;
    return (ccgis_rgb){mix(stops[i].r, stops[i + 1].r, f), mix(stops[i].g, stops[i + 1].g, f),
                       mix(stops[i].b, stops[i + 1].b, f)};
}


/* The conflict classes from clusters.qml; 0 if it is not as expected. */
static int conflict_classes(const double *breaks, size_t n, ccgis_lang lang, ccgis_palette *p)
{
    xmlDocPtr doc = bundled("clusters");
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    xmlNode *symbols = child(child(root, "renderer-v2"), "symbols");
    ccgis_rgb stops[16];
    size_t ns = 0;
    for (xmlNode *s = symbols ? symbols->children : NULL; s && ns < 16; s = s->next)
        if (is_elem(s, "symbol") && symbol_fill(s, &stops[ns]))
            ns++;
    xmlFreeDoc(doc);
    if (ns < 2)
        return 0;
    p->n_classes = n + 2;
    for (size_t k = 0; k < p->n_classes; k++) {
        p->lo[k] = k <= 1 ? 0.0 : breaks[k - 2];
        p->hi[k] = k == 0 ? 0.0 : k == p->n_classes - 1 ? 100.0 : breaks[k - 1];
        p->conflict[k] =
            k == 0 ? stops[0] : ramp(stops + 1, ns - 1, n ? (double)(k - 1) / (double)n : 0);
        char a[24], b[24];
        ccgis_pct_label(p->lo[k], lang, a, sizeof a);
        ccgis_pct_label(p->hi[k], lang, b, sizeof b);
        if (k == 0)
            snprintf(p->label[k], sizeof p->label[k], "0 %%");
        else
            snprintf(p->label[k], sizeof p->label[k], "%s – %s %%", a, b);
    }
    return 1;
}

/* The land-use classes from cluster_zones.qml; 0 if it is not as expected. */
static int zone_classes(ccgis_palette *p)
{
    xmlDocPtr doc = bundled("cluster_zones");
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    xmlNode *renderer = child(root, "renderer-v2");
    xmlNode *symbols = child(renderer, "symbols");
    const xmlNode *landuse = child(child(renderer, "rules"), "rule");
    int have_else = 0;
    for (const xmlNode *r = landuse ? landuse->children : NULL; r; r = r->next) {
        char filter[128], sym[32], label[160], klass[16];
        ccgis_rgb c;
        if (!is_elem(r, "rule") || !attr(r, "filter", filter, sizeof filter) ||
            !attr(r, "symbol", sym, sizeof sym) || !symbol_fill(symbol_named(symbols, sym), &c))
            continue;
        if (strcmp(filter, "ELSE") == 0) {
            p->zone_other = c;
            have_else = 1;
        } else if (sscanf(filter, "\"class\" = '%15[^']'", klass) == 1 &&
                   p->n_zones < CCGIS_PALETTE_ZONES) {
            if (!attr(r, "label", label, sizeof label))
                snprintf(label, sizeof label, "%s", klass);
            snprintf(p->zones[p->n_zones].klass, sizeof p->zones[0].klass, "%s", klass);
            snprintf(p->zones[p->n_zones].label, sizeof p->zones[0].label, "%s", label);
            p->zones[p->n_zones++].fill = c;
        }
    }
    xmlFreeDoc(doc);
    return have_else && p->n_zones > 0;
}

/* ccgis_palette_make: see draw.h. */
ccgis_status ccgis_palette_make(ccgis_ctx *ctx, const double *breaks, size_t n, ccgis_lang lang,
                                ccgis_palette *out)
{
    memset(out, 0, sizeof *out);
    if (n > CCGIS_MAX_BREAKS)
        n = CCGIS_MAX_BREAKS;
    if (!conflict_classes(breaks, n, lang, out) || !zone_classes(out))
        return ccgis_error(ctx, CCGIS_ERR_INTERNAL,
                           "the bundled QGIS styles of the clusters and their zones cannot be "
                           "read for the report's maps (a bug in ccgis: please report it)");
    return CCGIS_OK;
}

/* ccgis_palette_class: see draw.h. */
size_t ccgis_palette_class(const ccgis_palette *p, double pct)
{
    for (size_t k = 0; k < p->n_classes; k++)
        if (p->lo[k] <= pct && pct <= p->hi[k])
            return k;
    return p->n_classes ? p->n_classes - 1 : 0;
}

/* ccgis_palette_zone: see draw.h. */
ccgis_rgb ccgis_palette_zone(const ccgis_palette *p, const char *klass, const char **label)
{
    char k[16];
    size_t n = 0;
    while (klass && isspace((unsigned char)*klass))
        klass++;
    while (klass && klass[n] && n < sizeof k - 1)
        k[n] = klass[n], n++;
    while (n > 0 && isspace((unsigned char)k[n - 1]))
        n--;
    k[n] = '\0';
    for (size_t i = 0; i < p->n_zones; i++)
        if (strcasecmp(p->zones[i].klass, k) == 0) {
            if (label)
                *label = p->zones[i].label;
            return p->zones[i].fill;
        }
    if (label)
        *label = NULL;
    return p->zone_other;
}
