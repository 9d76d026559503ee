/*
 * ccgis/lang.h -- the language of what a job writes for people, and its way
 * of writing numbers.
 *
 * report.md and the Excel workbook are written in the job's language
 * ([job] lang = vi | en; Vietnamese by default): headings, labels, the names
 * of finding kinds and the findings' sentences.  Numbers follow the
 * language's custom:
 *
 *   Vietnamese  2.344,50 ha   12,5 %    (thousands '.', decimals ',', a space
 *                                        before %: TCVN and state documents)
 *   English     2,344.50 ha   12.5%
 *
 * Machine-read outputs -- summary.json, the layers' fields, the findings'
 * `kind` codes and `detail` text, messages on the terminal -- stay in
 * English with plain numbers (2344.50) whatever the language.
 *
 * Nothing here allocates; every function is thread-safe.
 */
#ifndef CCGIS_LANG_H
#define CCGIS_LANG_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Languages of what a job writes for people. */
typedef enum ccgis_lang { CCGIS_LANG_VI = 0, CCGIS_LANG_EN = 1 } ccgis_lang;

/*
 * ccgis_lang_from_name -- the language called `name`: "vi" or "en" (also
 * "vi-VN", "en-GB", any case).  Returns 1 and sets *lang, or 0 (unknown;
 * *lang untouched).
 */
int ccgis_lang_from_name(const char *name, ccgis_lang *lang);

/* ccgis_lang_name -- "vi" or "en" (static). */
const char *ccgis_lang_name(ccgis_lang lang);

/*
 * ccgis_format_number -- v rounded to `decimals` places (0-9) and written
 * the language's way, thousands grouped: 2344.5 with 2 decimals is
 * "2.344,50" (vi) or "2,344.50" (en); -1234567 with 0 is "-1.234.567".  A
 * value that rounds to zero has no sign ("0,00", never "-0,00").  NaN and
 * infinities are written "-".
 *
 *   buf, cap  out: the text, cut (at a character) to cap - 1 bytes.
 *
 * Returns buf.
 */
char *ccgis_format_number(ccgis_lang lang, double v, int decimals, char *buf, size_t cap);

/*
 * ccgis_format_pct -- a percentage, v in percent (12.5 for 12.5 %), the
 * language's way: "12,5 %" (vi), "12.5%" (en).  As ccgis_format_number
 * otherwise.  Returns buf.
 */
char *ccgis_format_pct(ccgis_lang lang, double v, int decimals, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* CCGIS_LANG_H */
