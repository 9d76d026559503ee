/*
 * test_qml.c -- the QGIS style documents made for a job (src/qml.c,
 * src/aliases.c), read back with libxml2 and XPath.
 *
 * The expected texts are written out here: the class limits and legend
 * labels for breaks 2.5, 10, 30 (Vietnamese decimal comma), the bundled
 * ramp's end colours (26,150,65 and 215,25,28, from src/styles/clusters.qml)
 * and the fill alpha, the aliases in English, a field name with the five
 * characters XML escapes, QGIS string literals as QgsExpression::quotedString
 * writes them.  tests/qgis checks the same documents in QGIS itself.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "internal.h"

static ccgis_ctx *ctx;

static int setup(void **state)
{
    (void)state;
    ctx = ccgis_ctx_new();
    return ctx ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ccgis_ctx_free(ctx);
    return 0;
}

/* Make the style and parse it back; fails the test if either fails. */
static xmlDocPtr made(const ccgis_qml_spec *s)
{
    char *qml = ccgis_style_qml(ctx, s);
    assert_non_null(qml);
    xmlDocPtr doc = xmlReadMemory(qml, (int)strlen(qml), "made.qml", "UTF-8",
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    free(qml);
    assert_non_null(doc);
    return doc;
}

/* The string values of an XPath expression, joined with '|' (free). */
static char *values(xmlDocPtr doc, const char *xpath)
{
    xmlXPathContextPtr xc = xmlXPathNewContext(doc);
    xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST xpath, xc);
    assert_non_null(r);
    size_t cap = 1;
    int n = r->nodesetval ? r->nodesetval->nodeNr : 0;
    for (int i = 0; i < n; i++) {
        xmlChar *v = xmlNodeGetContent(r->nodesetval->nodeTab[i]);
        cap += strlen((const char *)v) + 1;
        xmlFree(v);
    }
    char *out = calloc(cap, 1);
    assert_non_null(out);
    for (int i = 0; i < n; i++) {
        xmlChar *v = xmlNodeGetContent(r->nodesetval->nodeTab[i]);
        if (i)
            strcat(out, "|");
        strcat(out, (const char *)v);
        xmlFree(v);
    }
    xmlXPathFreeObject(r);
    xmlXPathFreeContext(xc);
    return out;
}

/* Assert the XPath's values, joined with '|', equal `want`. */
static void expect(xmlDocPtr doc, const char *xpath, const char *want)
{
    char *got = values(doc, xpath);
    if (strcmp(got, want) != 0)
        print_error("%s\n  got  %s\n  want %s\n", xpath, got, want);
    assert_string_equal(got, want);
    free(got);
}

static const char *const cluster_fields[] = {"Name", "flags", "area_ha", "confl_pct"};

/* Breaks 2.5, 10, 30: five classes, 0 % first, limits and labels as given,
 * the ramp's ends kept, every fill translucent. */
static void conflict_classes_follow_the_breaks(void **state)
{
    (void)state;
    const double breaks[] = {2.5, 10, 30};
    ccgis_qml_spec s = {.layer = "clusters", .label = CCGIS_QML_LABEL_FIELD,
                        .label_text = "Name", .fields = cluster_fields, .n_fields = 4,
                        .n_source = 2, .breaks = breaks, .n_breaks = 3,
                        .lang = CCGIS_LANG_VI};
    xmlDocPtr doc = made(&s);
    expect(doc, "/qgis/renderer-v2/@attr", "confl_pct");
    expect(doc, "/qgis/renderer-v2/ranges/range/@lower",
           "0.000000000000000|0.000000000000000|2.500000000000000|10.000000000000000|"
           "30.000000000000000");
    expect(doc, "/qgis/renderer-v2/ranges/range/@upper",
           "0.000000000000000|2.500000000000000|10.000000000000000|30.000000000000000|"
           "100.000000000000000");
    expect(doc, "/qgis/renderer-v2/ranges/range/@label",
           "0 %|0 – 2,5 %|2,5 – 10 %|10 – 30 %|30 – 100 %");
    expect(doc, "/qgis/renderer-v2/ranges/range/@symbol", "0|1|2|3|4");
    expect(doc, "/qgis/renderer-v2/symbols/symbol/@name", "0|1|2|3|4");
    const char *fill = "/qgis/renderer-v2/symbols/symbol/layer[@class='SimpleFill']";
    char xp[256];
    snprintf(xp, sizeof xp, "%s/Option/Option[@name='color']/@value", fill);
    char *colours = values(doc, xp);
    assert_true(strncmp(colours, "26,150,65,96|", 13) == 0);
    assert_non_null(strstr(colours, "|215,25,28,96"));
    free(colours);
    snprintf(xp, sizeof xp, "%s/prop[@k='color']/@v", fill);
    colours = values(doc, xp);
    assert_true(strncmp(colours, "26,150,65,96|", 13) == 0);
    free(colours);
    snprintf(xp, sizeof xp, "count(%s)", fill);
    xmlXPathContextPtr xc = xmlXPathNewContext(doc);
    xmlXPathObjectPtr n = xmlXPathEvalExpression(BAD_CAST xp, xc);
    assert_int_equal((int)n->floatval, 5);
    xmlXPathFreeObject(n);
    xmlXPathFreeContext(xc);
    xmlFreeDoc(doc);
}

/* English: the legend's decimal point, the aliases' English names; only
 * ccgis's columns get one (the source's "flags" does not). */
static void aliases_in_english_on_ccgis_columns_only(void **state)
{
    (void)state;
    const double breaks[] = {12.25, 60};
    ccgis_qml_spec s = {.layer = "clusters", .label = CCGIS_QML_LABEL_FIELD,
                        .label_text = "Name", .fields = cluster_fields, .n_fields = 4,
                        .n_source = 2, .breaks = breaks, .n_breaks = 2,
                        .lang = CCGIS_LANG_EN};
    xmlDocPtr doc = made(&s);
    expect(doc, "/qgis/aliases/alias/@field", "area_ha|confl_pct");
    expect(doc, "/qgis/aliases/alias/@name", "Area (ha)|Conflict (%)");
    expect(doc, "/qgis/renderer-v2/ranges/range/@label",
           "0 %|0 – 12.25 %|12.25 – 60 %|60 – 100 %");
    char *cat = values(doc, "/qgis/@styleCategories");
    assert_non_null(strstr(cat, "Fields")); /* QGIS reads aliases with this category */
    free(cat);
    xmlFreeDoc(doc);

    s.lang = CCGIS_LANG_VI;
    doc = made(&s);
    expect(doc, "/qgis/aliases/alias/@name", "Diện tích (ha)|Tỷ lệ xung đột (%)");
    xmlFreeDoc(doc);
}

/* A field name with & < > " ' is the label field exactly once parsed. */
static void label_field_with_xml_characters(void **state)
{
    (void)state;
    const char *name = "Tên & <làng> \"cũ\" 'x'";
    const char *const fields[] = {name, "near_m"};
    ccgis_qml_spec s = {.layer = "villages", .label = CCGIS_QML_LABEL_FIELD, .label_text = name,
                        .fields = fields, .n_fields = 2, .n_source = 1,
                        .lang = CCGIS_LANG_VI};
    xmlDocPtr doc = made(&s);
    expect(doc, "/qgis/@labelsEnabled", "1");
    expect(doc, "/qgis/labeling/settings/text-style/@fieldName", name);
    expect(doc, "/qgis/labeling/settings/text-style/@isExpression", "0");
    expect(doc, "/qgis/aliases/alias/@name", "Khoảng cách đến cụm gần nhất (m)");
    xmlFreeDoc(doc);
}

/* An expression label is marked as one; no label turns labels off; a kept
 * label leaves the bundled style's as it was. */
static void expression_none_and_kept_labels(void **state)
{
    (void)state;
    const char *const fields[] = {"ten", "n_clusters"};
    ccgis_qml_spec s = {.layer = "districts", .label = CCGIS_QML_LABEL_EXPRESSION,
                        .label_text = "coalesce(attribute(@feature, 'Tên quận'), "
                                      "attribute(@feature, 'Tên qu'))",
                        .fields = fields, .n_fields = 2, .n_source = 1,
                        .lang = CCGIS_LANG_EN};
    xmlDocPtr doc = made(&s);
    expect(doc, "/qgis/labeling/settings/text-style/@fieldName", s.label_text);
    expect(doc, "/qgis/labeling/settings/text-style/@isExpression", "1");
    expect(doc, "/qgis/aliases/alias/@name", "Clusters");
    xmlFreeDoc(doc);

    s.label = CCGIS_QML_LABEL_NONE;
    doc = made(&s);
    expect(doc, "/qgis/@labelsEnabled", "0");
    xmlFreeDoc(doc);

    ccgis_qml_spec z = {.layer = "cluster_zones", .label = CCGIS_QML_LABEL_KEEP,
                        .lang = CCGIS_LANG_VI};
    doc = made(&z);
    expect(doc, "/qgis/labeling/settings/text-style/@fieldName", "class");
    xmlFreeDoc(doc);
}

/* A layer without a bundled style is an internal error, not a crash. */
static void unknown_layer_is_refused(void **state)
{
    (void)state;
    ccgis_qml_spec s = {.layer = "nope", .lang = CCGIS_LANG_VI};
    assert_null(ccgis_style_qml(ctx, &s));
    assert_int_equal(ccgis_errcode(ctx), CCGIS_ERR_INTERNAL);
    assert_non_null(strstr(ccgis_errmsg(ctx), "'nope'"));
}

/* QGIS string literals: quotes doubled, backslash, newline, tab escaped. */
static void qgis_string_literals(void **state)
{
    (void)state;
    char *q = ccgis_qgis_quote_string(ctx, "Tên 'x' a\\b\n\t");
    assert_string_equal(q, "'Tên ''x'' a\\\\b\\n\\t'");
    free(q);
    q = ccgis_qgis_quote_string(ctx, "");
    assert_string_equal(q, "''");
    free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(conflict_classes_follow_the_breaks),
        cmocka_unit_test(aliases_in_english_on_ccgis_columns_only),
        cmocka_unit_test(label_field_with_xml_characters),
        cmocka_unit_test(expression_none_and_kept_labels),
        cmocka_unit_test(unknown_layer_is_refused),
        cmocka_unit_test(qgis_string_literals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
