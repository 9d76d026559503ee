/*
 * wastewater_cases.h -- known-answer clusters and plants for the
 * wastewater check (wastewater.h), shared by tests/unit/test_wastewater.c
 * (states, shares, the yes/no reading) and
 * tests/postgis/test_wastewater_postgis.c (every distance and every
 * within-max_m pair against PostGIS ST_Distance / ST_DWithin on geography).
 *
 * Near 21°N one degree of longitude is about 103.9 km, so 0.001° is about
 * 104 m east-west; max_m is 200 m.
 */
#ifndef WASTEWATER_CASES_H
#define WASTEWATER_CASES_H

typedef struct ww_box {
    const char *id;
    double x0, y0, x1, y1;
    const char *want; /* expected state with max_m = 200 */
    const char *plant; /* the plant named, "" for none */
} ww_box;

typedef struct ww_plant {
    const char *id;
    double x, y;
    const char *standard; /* the field value as typed */
} ww_plant;

static const ww_box ww_clusters[] = {
    {"P1", 105.000, 21.000, 105.010, 21.010, "compliant", "W1"},     /* W1 inside */
    {"P2", 105.020, 21.000, 105.030, 21.010, "not_compliant", "W2"}, /* W2 ~145 m, fails */
    {"P3", 105.040, 21.000, 105.050, 21.010, "none", ""},            /* W4 ~260 m away */
    {"P5", 105.100, 21.000, 105.110, 21.010, "compliant", "W5"},     /* W5 between P5, P6 */
    {"P6", 105.1115, 21.000, 105.120, 21.010, "compliant", "W5"},
    {"P7", 105.200, 21.000, 105.210, 21.010, "compliant", "W7"}, /* W6 fails inside, W7 ~100 m meets */
};

static const ww_plant ww_plants[] = {
    {"W1", 105.005, 21.005, "Đạt"},
    {"W2", 105.0314, 21.005, "chưa đạt"},
    {"W3", 105.017, 21.005, "có"},   /* ~312 m west of P2, ~727 m east of P1 */
    {"W4", 105.0525, 21.005, "1"},
    {"W5", 105.1107, 21.005, "TRUE"},
    {"W6", 105.205, 21.005, "không"},
    {"W7", 105.205, 21.011, "yes"},  /* 0.001° of latitude north: ~111 m */
};

#define WW_N_CLUSTERS (sizeof ww_clusters / sizeof ww_clusters[0])
#define WW_N_PLANTS (sizeof ww_plants / sizeof ww_plants[0])

#endif /* WASTEWATER_CASES_H */
