/*
 * programme.c -- reading the programme fields of a cluster layer: years,
 * shares, counts (see ccgis/programme.h).
 *
 * Each reader trims the value, then tries its accepted forms in turn with
 * plain character scanning (no locale: strtod would read "85,5" as 85 in
 * the C locale and differently elsewhere).
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ccgis/programme.h"

/* s without leading and trailing ASCII spaces, as [*b, *e). Returns 0 if
 * nothing is left. */
static int trimmed(const char *s, const char **b, const char **e)
{
    if (!s)
        return 0;
    while (*s && isspace((unsigned char)*s))
        s++;
    const char *t = s + strlen(s);
    while (t > s && isspace((unsigned char)t[-1]))
        t--;
    *b = s;
    *e = t;
    return t > s;
}

/* Read a run of digits at *p (at most max of them) into *v; returns how
 * many digits were read. */
static int digits(const char **p, const char *e, int max, long long *v)
{
    int n = 0;
    long long x = 0;
    while (*p < e && isdigit((unsigned char)**p) && n < max) {
        x = 10 * x + (**p - '0');
        (*p)++;
        n++;
    }
    *v = x;
    return n;
}

int ccgis_read_year(const char *s, int *out)
{
    const char *b, *e;
    if (!trimmed(s, &b, &e))
        return 0;
    /* "năm 2019" (năm = year). */
    static const char nam[] = "n\xc4\x83m"; /* "năm" */
    static const char Nam[] = "N\xc4\x83m";
    if ((size_t)(e - b) > sizeof nam && (!strncmp(b, nam, sizeof nam - 1) ||
                                          !strncmp(b, Nam, sizeof Nam - 1))) {
        b += sizeof nam - 1;
        while (b < e && isspace((unsigned char)*b))
            b++;
    }
    const char *p = b;
    long long a = 0, m = 0, y = 0;
    int na = digits(&p, e, 4, &a);
    long long year = -1;
    if (na == 4) {
        if (p == e) {
            year = a; /* 2019 */
        } else if (*p == '.') {
            /* 2019.0, 2019.00: a number field read as text */
            const char *q = p + 1;
            while (q < e && *q == '0')
                q++;
            if (q == e && q > p + 1)
                year = a;
        } else if (*p == '-' || *p == '/') {
            /* 2019-05-10, 2019/05, 2019-05 */
            char sep = *p++;
            long long d = 0;
            if (digits(&p, e, 2, &m) >= 1 && m >= 1 && m <= 12) {
                if (p == e)
                    year = a;
                else if (*p == sep && (p++, digits(&p, e, 2, &d) >= 1) && p == e && d >= 1 &&
                         d <= 31)
                    year = a;
            }
        }
    } else if (na >= 1 && na <= 2 && p < e && (*p == '/' || *p == '-' || *p == '.')) {
        /* 05/2019 (month/year) or 10/05/2019 (day/month/year) */
        char sep = *p++;
        long long x = 0;
        int nx = digits(&p, e, 4, &x);
        if (nx == 4 && p == e && a >= 1 && a <= 12) {
            year = x;
        } else if (nx >= 1 && nx <= 2 && p < e && *p == sep) {
            p++;
            if (digits(&p, e, 4, &y) == 4 && p == e && a >= 1 && a <= 31 && x >= 1 && x <= 12)
                year = y;
        }
    }
    if (year < 1900 || year > 2100)
        return -1;
    *out = (int)year;
    return 1;
}

int ccgis_read_share(const char *s, double *out)
{
    const char *b, *e;
    if (!trimmed(s, &b, &e))
        return 0;
    if (e[-1] == '%') {
        e--;
        while (e > b && isspace((unsigned char)e[-1]))
            e--;
    }
    const char *p = b;
    long long whole = 0, frac = 0;
    int nw = digits(&p, e, 3, &whole), nf = 0;
    if (nw == 0)
        return -1;
    if (p < e && (*p == '.' || *p == ',')) {
        p++;
        nf = digits(&p, e, 9, &frac);
        if (nf == 0)
            return -1;
    }
    if (p != e)
        return -1;
    double v = (double)whole + (double)frac / pow(10, nf);
    if (v > 100)
        return -1;
    *out = v;
    return 1;
}

int ccgis_read_count(const char *s, long long *out)
{
    const char *b, *e;
    if (!trimmed(s, &b, &e))
        return 0;
    const char *p = b;
    long long v = 0, g = 0;
    int n = digits(&p, e, 15, &v);
    if (n == 0)
        return -1;
    if (p < e && (*p == '.' || *p == ',' || *p == ' ') && n <= 3) {
        /* Grouped thousands: one separator throughout, groups of three. */
        char sep = *p;
        int groups = 0;
        while (p < e && *p == sep) {
            const char *q = p + 1;
            if (digits(&q, e, 3, &g) != 3 || (q < e && isdigit((unsigned char)*q)))
                break;
            v = v * 1000 + g;
            p = q;
            groups++;
        }
        if (groups == 0)
            p = b + n; /* not thousands: "12.0" is tried below */
    }
    if (p < e && *p == '.') {
        /* 4169.0: a number field read as text */
        const char *q = p + 1;
        while (q < e && *q == '0')
            q++;
        if (q == e && q > p + 1)
            p = e;
    }
    if (p != e)
        return -1;
    *out = v;
    return 1;
}
