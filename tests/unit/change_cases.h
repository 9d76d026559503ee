/*
 * change_cases.h -- the known-answer layers of the plan comparison
 * (change.h), shared by tests/unit/test_change.c (the classes, the
 * invariants, hand-computed ratios) and tests/postgis/test_change_postgis.c
 * (every area against PostGIS).
 *
 * Boxes in lon/lat degrees near Hà Nội (0.01° is about 1.04 km east-west
 * and 1.11 km north-south at 21°N): today's clusters and the planned ones,
 * one case per change class, each far from the others.
 */
#ifndef CHANGE_CASES_H
#define CHANGE_CASES_H

typedef struct change_box {
    const char *id;
    double x0, y0, x1, y1;
} change_box;

static const change_box change_now[] = {
    {"A", 105.00, 21.00, 105.01, 21.01},  /* unchanged */
    {"B", 105.02, 21.00, 105.03, 21.01},  /* expanded: +50 % to the east */
    {"C", 105.04, 21.00, 105.05, 21.01},  /* reduced: the west half kept */
    {"D", 105.06, 21.00, 105.07, 21.01},  /* moved: same id, 5 km north */
    {"E", 105.08, 21.00, 105.10, 21.01},  /* split into E1 and E2 */
    {"F", 105.11, 21.00, 105.12, 21.01},  /* merged with G into FG */
    {"G", 105.12, 21.00, 105.13, 21.01},
    {"I", 105.30, 21.10, 105.31, 21.11},  /* removed */
    {"J", 105.40, 21.00, 105.41, 21.01},  /* gains 0.005°, loses 0.002°: expanded */
    {"K", 105.50, 21.00, 105.51, 21.01},  /* shifted 0.002° east: moved */
    {"L", 105.60, 21.00, 105.61, 21.01},  /* an edge moved 1 cm: unchanged */
};

static const change_box change_plan[] = {
    {"A", 105.00, 21.00, 105.01, 21.01},
    {"B", 105.02, 21.00, 105.035, 21.01},
    {"C", 105.04, 21.00, 105.045, 21.01},
    {"D", 105.06, 21.05, 105.07, 21.06},
    {"E1", 105.08, 21.00, 105.09, 21.01},
    {"E2", 105.09, 21.00, 105.10, 21.01},
    {"FG", 105.11, 21.00, 105.13, 21.01},
    {"H", 105.20, 21.10, 105.21, 21.11},  /* new */
    {"J", 105.402, 21.00, 105.415, 21.01},
    {"K", 105.502, 21.00, 105.512, 21.01},
    {"L", 105.60, 21.00, 105.6100001, 21.01},
};

#define CHANGE_N_NOW (sizeof change_now / sizeof change_now[0])
#define CHANGE_N_PLAN (sizeof change_plan / sizeof change_plan[0])

/* The expected groups: the now ids and plan ids ("," separated, "" for
 * none) and the class name, in the order ccgis_change gives them. */
typedef struct change_want {
    const char *now, *plan, *kind;
} change_want;

static const change_want change_groups[] = {
    {"A", "A", "unchanged"}, {"B", "B", "expanded"},  {"C", "C", "reduced"},
    {"D", "D", "moved"},     {"E", "E1,E2", "split"}, {"F,G", "FG", "merged"},
    {"I", "", "removed"},    {"J", "J", "expanded"},  {"K", "K", "moved"},
    {"L", "L", "unchanged"}, {"", "H", "new"},
};

#define CHANGE_N_GROUPS (sizeof change_groups / sizeof change_groups[0])

#endif /* CHANGE_CASES_H */
