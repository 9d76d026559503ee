/*
 * lang.h -- the words of report.md and the workbook in Vietnamese and
 * English, and the sentences built from them (internal; lang.c).
 *
 * One table holds every heading, label and sentence a job writes for people,
 * in both languages, so that report.md and <name>.xlsx say the same thing
 * the same way.  A sentence is a template whose placeholders are filled at
 * writing time (ccgis_say):
 *
 *   {wN}       word N as it is (an id, a class, a name, a formatted number)
 *   {lN}       word N as the name of a layer: "clusters" -> "cụm" in
 *              Vietnamese; other names, and every name in English, as they are
 *   {fN.D}     figure N with D decimals, the language's way ("unknown" for NaN)
 *   {fN.D u}   the same followed by unit " u" (" m²"), left out for NaN
 *   {+fN.D}    the same with its sign, + included
 *   {%N.D}     figure N as a percentage: "12,5 %" / "12.5%"
 *   {+%N.D}    the same with its sign
 *   {iN}       figure N as a whole number, not grouped (a feature id)
 *   {sN}       word N as a list of shares "pct\x1fname\x1e..." written
 *              "59,5 % Chương Mỹ, 40,5 % Quốc Oai"
 *
 * The findings' sentences are in findings.c, beside their kinds; they use
 * the same placeholders.
 */
#ifndef CCGIS_LANG_INTERNAL_H
#define CCGIS_LANG_INTERNAL_H

#include <stddef.h>

#include "ccgis/lang.h"

/* What a template's placeholders take. */
#define CCGIS_SAY_WORDS 6
#define CCGIS_SAY_FIGURES 4
typedef struct ccgis_say_args {
    const char *w[CCGIS_SAY_WORDS]; /* words, borrowed; NULL shown as "?" */
    double x[CCGIS_SAY_FIGURES];    /* figures */
} ccgis_say_args;

/* Separators of a {sN} list of shares. */
#define CCGIS_SHARE_SEP "\x1f"
#define CCGIS_SHARES_SEP "\x1e"

/*
 * ccgis_say -- fill template `tmpl` (see above) into buf (cap bytes; cut at a
 * character boundary when longer).  `plain`: numbers as C writes them
 * (2344.50, 13.4%: for machine-read text such as a finding's detail), not
 * grouped, whatever the language; else the language's way.  Returns buf.
 */
char *ccgis_say(ccgis_lang lang, int plain, const char *tmpl, const ccgis_say_args *a, char *buf,
                size_t cap);

/* The words and sentences of the table in lang.c. */
typedef enum ccgis_text_id {
    /* workbook: sheet names (at most 31 characters, none of []:*?/\) */
    T_SH_SUMMARY,
    T_SH_CLUSTERS,
    T_SH_DISTRICTS,
    T_SH_CONFLICTS,
    T_SH_VILLAGES,
    T_SH_FINDINGS,
    T_SH_INPUTS,
    T_SH_PROGRAMME,
    /* workbook: headings */
    T_STATUS,
    T_N_CLUSTERS,
    T_AREA_HA,
    T_SHARE_PCT,
    T_ITEM,
    T_VALUE,
    T_TOTAL,
    T_NO_STATUS,
    T_CL_ID,
    T_CL_NAME,
    T_PLAN_HA,
    T_DISTRICT,
    T_DIST_PCT,
    T_N_DIST,
    T_ALLOW_HA,
    T_CONFL_HA,
    T_MIXED_HA,
    T_NOZONE_HA,
    T_CONFL_PCT,
    T_CONFL_TOP,
    T_VILL_NEAR,
    T_FLAGS,
    T_BY_STATUS_N,
    T_BY_STATUS_HA,
    T_N_TOTAL,
    T_HA_TOTAL,
    T_D_CONFL_HA,
    T_D_VILLAGES,
    T_NO_DISTRICT,
    T_CLASS,
    T_PIECE_HA,
    T_PIECE_PCT,
    T_N_ZONES,
    T_V_ID,
    T_V_NAME,
    T_NEAR_ID,
    T_NEAR_M,
    T_WITHIN,
    T_YES,
    T_NO,
    T_F_PROBLEM,
    T_F_KIND,
    T_F_LAYER,
    T_F_SUBJECT,
    T_F_OTHER,
    T_F_AREA_HA,
    T_F_DETAIL,
    T_I_LAYER,
    T_I_SOURCE,
    T_I_NAME,
    T_I_CRS,
    T_I_EPSG,
    T_I_ENCODING,
    T_I_READ,
    T_I_USED,
    T_I_SKIPPED,
    T_I_REPAIRED,
    T_I_NOTE,
    T_I_ZONING_NOTE,
    /* layer names as shown */
    T_L_CLUSTERS,
    T_L_DISTRICTS,
    T_L_ZONING,
    T_L_VILLAGES,
    T_L_PLAN,
    T_L_WASTEWATER,
    /* workbook: the summary's items */
    T_K_CLUSTERS,
    T_K_AREA,
    T_K_UNION,
    T_K_PLAN,
    T_K_ALLOW,
    T_K_CONFL,
    T_K_MIXED,
    T_K_NOZONE,
    T_K_FOUR,
    T_K_N_CONFL,
    T_K_VILLAGES,
    T_K_WITHIN,
    T_K_INSIDE,
    T_K_FINDING,
    T_K_JOB,
    T_K_JOBFILE,
    T_K_MADE_BY,
    T_K_MEASURES,
    T_MEASURES,
    /* the programme (programme_run.c): columns */
    T_P_CHANGE,
    T_P_GROUPS,
    T_P_NOW_N,
    T_P_NOW_HA,
    T_P_PLAN_N,
    T_P_PLAN_HA,
    T_P_GAINED_HA,
    T_P_LOST_HA,
    T_P_WWTP,
    T_P_OPERATING,
    T_P_OP_COMPLIANT,
    T_P_OP_SHARE,
    T_P_YEAR_SET_UP,
    T_P_CLEARANCE,
    T_P_ENTERPRISES,
    T_P_WORKERS,
    T_P_GAPS,
    T_P_NEAR_PLAN,
    T_P_NEAR_KM,
    T_P_FROM_TO,
    T_P_NONE,
    /* change classes, in ccgis_change_kind order; plant states, in ccgis_wwtp_state order */
    T_CH_FIRST,
    T_CH_LAST = T_CH_FIRST + 7,
    T_WW_FIRST,
    T_WW_LAST = T_WW_FIRST + 2,
    /* finding kinds, in ccgis_finding_kind order */
    T_FK_FIRST,
    T_FK_LAST = T_FK_FIRST + 15, /* CCGIS_FINDING_KINDS - 1: checked in lang.c */

    /* report.md: sentences ({wN}: numbers already written the language's way) */
    R_MADE_BY,  /* w0 version, w1 libraries, w2 job file */
    R_MEASURES, /* areas are geodesic ... */
    R_PLANAR,   /* w0 CRS name */
    R_DISTANCES,
    R_H_CLUSTERS,
    R_CLUSTERS,     /* w0 count, w1 ha */
    R_UNION_FIRST,  /* w0 ha */
    R_PAIRS_MORE,   /* w0 how many more */
    R_UNION_LAST_1, /* one overlap */
    R_UNION_LAST_N, /* several */
    R_PLAN_TOTAL,   /* w0 ha */
    R_TH_STATUS,
    R_H_DISTRICTS,
    R_DISTRICTS_HOW,
    R_TH_DISTRICTS,
    R_NO_CLUSTER,       /* w0 districts without a cluster, w1 districts */
    R_OUTSIDE_CLUSTERS, /* w0 */
    R_OUTSIDE_VILLAGES, /* w0 */
    R_PER_STATUS,
    R_H_CONFLICTS,
    R_CONFLICTS, /* w0 n, w1 of, w2 allowed classes, w3 ha */
    R_FOUR_WAYS, /* w0..w4 ha */
    R_TH_CONFLICTS,
    R_H_VILLAGES,
    R_VILLAGES, /* w0 n, w1 within, w2 radius m, w3 inside, w4 farther */
    R_FARTHEST,
    R_TH_VILLAGES,
    R_H_BOUNDARIES,
    R_BOUNDARIES,
    R_H_FINDINGS,
    R_TH_FINDINGS,
    R_FINDINGS_MORE, /* w0 */
    R_H_INPUTS,
    R_TH_INPUTS,
    R_ZONING_NOTE,
    R_H_OUTPUTS,
    R_OUT_LAYERS_IN, /* followed by the formats, then ": CRS (EPSG:n)." */
    R_OUT_GEOJSON,
    /* the programme section */
    R_H_PROGRAMME,
    R_P_TOTALS,  /* w0 n now, w1 ha now, w2 n planned, w3 ha planned */
    R_P_FROM_TO, /* the same, one cell */
    R_P_WWTP_SAY, /* w0 plants, w1 unused, w2 max m, w3 operating compliant, w4 operating,
                     w5 share */
    R_P_GAPS_SAY, /* w0 gaps, w1 villages, w2 radius m */
    R_P_CHANGES,
    R_PA_CHANGES,
    R_P_BY_DISTRICT,
    R_P_BY_STATUS,
    R_P_WWTP,
    R_PA_WWTP,
    R_P_NOT_STARTED,
    R_PA_NOT_STARTED,
    R_P_NO_1500,
    R_P_PLAN_CONFL,
    R_PA_PLAN_CONFL,
    R_P_PEOPLE,
    R_P_GAPS_BY_DISTRICT,
    R_P_GAPS,
    R_PA_GAPS,
    CCGIS_TEXT_COUNT
} ccgis_text_id;

/* ccgis_pct_label -- a class limit for a legend (the QGIS styles and the
 * drawings alike): at most 2 decimals, trailing zeros dropped, a decimal
 * comma in Vietnamese ("12,5", "5"), into buf (size bytes). */
void ccgis_pct_label(double v, ccgis_lang lang, char *buf, size_t size);

/* ccgis_tr -- text `id` in `lang` (static). */
const char *ccgis_tr(ccgis_lang lang, ccgis_text_id id);

/* ccgis_tr_layer -- a layer's name as shown: "clusters" -> T_L_CLUSTERS
 * ("Cụm công nghiệp"), "districts", "zoning", "villages" likewise; any other
 * name as it is ("" for NULL). */
const char *ccgis_tr_layer(ccgis_lang lang, const char *layer);

#endif /* CCGIS_LANG_INTERNAL_H */
