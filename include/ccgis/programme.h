/*
 * ccgis/programme.h -- the programme fields of a cluster layer as staff
 * type them: years, shares, counts.
 *
 * The city tracks each cluster's year of setting up, the start of
 * construction, the approval of its 1/500 detailed plan, the share of its
 * site cleared, and the enterprises and workers it hosts.  These come from
 * attribute tables kept by hand, in text or number fields, so each reader
 * accepts the spellings met in practice and refuses anything else (the
 * caller names the feature and the value):
 *
 *   year   2019 · 2019.0 (a DBF real) · 2019-05-10 · 2019/05 · 05/2019 ·
 *          10/05/2019 (day/month/year, as written in Việt Nam) · "năm 2019"
 *          -- a year from 1900 to 2100;
 *   share  85 · 85 % · 85,5 · 85.5 -- a percentage from 0 to 100 (a share
 *          written as a fraction, 0.85, reads as 0.85 %: the job file's
 *          documentation says percentages);
 *   count  4169 · 4.169 · 4,169 · 4 169 (thousands grouped by '.', ',' or a
 *          space, every group of three digits) · 4169.0 -- a whole number
 *          >= 0.
 * Empty and NULL values are "not given" (0 returned): the caller counts
 * them apart from values it cannot read (-1).
 */
#ifndef CCGIS_PROGRAMME_H
#define CCGIS_PROGRAMME_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * ccgis_read_year, ccgis_read_share, ccgis_read_count -- read one value.
 *
 *   s    in: the field's text (NULL or blank: not given).
 *   out  out: the year, the percentage, the count; untouched unless read.
 *
 * Return 1 when a value was read, 0 when none was given, -1 when the text
 * is not one of the forms above.
 */
int ccgis_read_year(const char *s, int *out);
int ccgis_read_share(const char *s, double *out);
int ccgis_read_count(const char *s, long long *out);

#ifdef __cplusplus
}
#endif

#endif /* CCGIS_PROGRAMME_H */
