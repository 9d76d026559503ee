/*
 * make_shapes.c - deterministic generator of ccgis's synthetic sample layers (shapes/).
 *
 * Why: ccgis needs Hanoi-like test data that can be committed and redistributed, and no
 * licensed real boundary layer was available.  This tool fabricates plausible layers from
 * the real district codes and names and the approximate district centres of
 * ../shared/data/hanoi_districts.csv (embedded below), with a fixed-seed PRNG, so that
 * every run writes the same features.  Everything except the district codes, names and
 * approximate centres is invented.
 *
 * What it writes into an existing OUTDIR (replacing only its own earlier outputs):
 *   districts.gpkg    layer districts  EPSG:4326   30 Voronoi cells of the district centres,
 *                                                  clipped to a hand-drawn city outline
 *   clusters.shp      layer clusters   EPSG:5897   30 industrial clusters (CCN) with three
 *   (.shx .dbf .prj .cpg)                          deliberate data problems (see README.md)
 *   villages.geojson  layer villages   EPSG:4326   150 craft villages, RFC 7946
 *   landuse.gpkg      layer landuse    EPSG:5897   ~2,000 land-use zones partitioning the
 *                                                  outline, with approved SKN/SKC/SKK zones
 *   clusters_2030.gpkg layer clusters_2030 EPSG:5897  the clusters planned to 2030: each
 *                                                  change class (unchanged, expanded, reduced,
 *                                                  moved, split, merged, removed, new) on purpose
 *   wastewater.geojson layer wastewater EPSG:4326  21 wastewater plants, RFC 7946
 * clusters.shp also carries issue 18's programme fields (construction start, 1/500 plan
 * approval, site clearance, enterprises, workers).
 *
 * How: all geometry is built in VN-2000 / TM-3 zone 482 (EPSG:5897, metres) with the GEOS
 * reentrant C API; PROJ converts the outline and centres from WGS 84 and the WGS 84 layers
 * back; GDAL/OGR writes the files.  Determinism: splitmix64 with fixed seeds (one stream per
 * layer), no clock, no rand(); GeoPackage timestamps are pinned with OGR_CURRENT_DATE and
 * the DBF header date with DBF_DATE_LAST_UPDATE, so reruns are byte-identical for the same
 * build on the same platform and libraries.  If writing fails, partial outputs are removed.
 *
 * Usage:  make_shapes OUTDIR [DISTRICTS_CSV]
 *         DISTRICTS_CSV (optional) replaces the embedded names/centres; it must list the same
 *         30 ma_huyen codes with the header ma_huyen,loai,ten,lon,lat.
 * Build:  gcc -std=c11 -Wall -Wextra -Wshadow -O2 make_shapes.c $(gdal-config --cflags) \
 *             -lgdal -lgeos_c -lproj -lm -o make_shapes
 * Exit:   0 success, 1 failure (message on stderr), 2 usage error or OUTDIR not a directory.
 */

/* VSIStatBufL is struct stat64 on Linux: expose it under -std=c11. */
#ifndef _LARGEFILE64_SOURCE
#define _LARGEFILE64_SOURCE 1
#endif
/* GEOS's reentrant API only: the non-_r functions are not even declared. */
#ifndef GEOS_USE_ONLY_R_API
#define GEOS_USE_ONLY_R_API
#endif
#include <geos_c.h>
#include <proj.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_multiproc.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PI_D 3.14159265358979323846

#if defined(__GNUC__)
#define PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define PRINTF_LIKE(fmt, args)
#endif

enum {
    N_DIST = 30,          /* district-level units */
    N_CCN = 30,           /* industrial clusters */
    N_LN = 150,           /* craft villages */
    N_LN_INSIDE = 3,      /* villages placed inside a cluster polygon */
    N_LN_NEAR = 45,       /* villages placed 0.3-4 km from a cluster; with the uniformly
                             scattered rest, ~58 % of all end up 0.3-4 km from one */
    N_LU_SEEDS = 2000,    /* land-use Voronoi seeds */
    N_LU_NEAR = 1700      /* of which within 2.5 km of a cluster centre (85 %) */
};

/* Tunables, all in metres or square metres of EPSG:5897. */
#define CCN_GAP_M 400.0          /* minimum distance between clusters (except the pair) */
#define CCN_EDGE_M 150.0         /* minimum distance of a cluster to its district border */
#define CCN_MIN_M2 80000.0       /* 8 ha */
#define CCN_MAX_M2 750000.0      /* 75 ha */
#define LN_SPACING_M 200.0       /* minimum distance between two villages */
#define LU_NEAR_M 2500.0         /* "near a cluster" radius for land-use seeds and codes */
#define PARTITION_TOL_M2 1.0     /* tolerated overlap/gap area in a partition */

/* Seeds of the PRNG streams (one per layer so that editing one layer leaves the others). */
#define SEED_CLUSTERS 0xCC6150C1A5E2024ULL
#define SEED_VILLAGES 0x1A6C4A7D00E2024ULL
#define SEED_LANDUSE 0x5D0B1E5E0F12024ULL
#define SEED_PROGRAMME 0x960C1A5E0F12024ULL
#define SEED_PLAN 0x2030C1A5E012024ULL
#define SEED_WASTEWATER 0x3A57E3A7E012024ULL

/* The 2030 plan, the wastewater plants and the programme fields. */
enum {
    N_NEW = 22,          /* new planned clusters, CCN31 ... */
    N_NEW_ANCHORED = 10, /* of which placed to serve a village > 5 km from every cluster */
    N_PLAN_MAX = 64,     /* capacity of the planned-cluster table */
    N_PLANT_MAX = 32     /* capacity of the wastewater-plant table */
};
#define PLAN_MAX_M2 1200000.0  /* 120 ha: largest planned cluster */
#define NEAR_RADIUS_M 2000.0   /* villages' radius_m in samples/hanoi.ini */
#define RADIUS_MARGIN_M 10.0   /* no village-to-planned-cluster distance this close to it */
#define FAR_M 5000.0           /* "far from every cluster" for villages */
#define WW_MAX_M 200.0         /* a plant serves clusters within this distance (max_m) */
#define SO_DN_TOTAL 1191       /* enterprises in operating clusters: 4,169 x 30 / 105 */
#define LAO_DONG_TOTAL 22857   /* workers in operating clusters: 80,000 x 30 / 105 */

/* ------------------------------------------------------------------------------------- */
/* Embedded reference data                                                               */
/* ------------------------------------------------------------------------------------- */

/* One district-level unit: national code, type, Vietnamese name, approximate centre. */
typedef struct {
    char code[4];   /* ma_huyen, three digits */
    char loai[16];  /* Quận / Huyện / Thị xã */
    char ten[64];   /* name, UTF-8 NFC */
    double lon;     /* approximate centre, WGS 84 degrees east */
    double lat;     /* approximate centre, WGS 84 degrees north */
} district_row;

/* Copied from ../shared/data/hanoi_districts.csv (same 30 rows, same order).
 * Not const: an optional CSV given on the command line may replace names and centres. */
static district_row g_dist_rows[N_DIST] = {
    {"001", "Quận", "Ba Đình", 105.814248, 21.033916},
    {"002", "Quận", "Hoàn Kiếm", 105.842117, 21.023880},
    {"003", "Quận", "Tây Hồ", 105.810847, 21.069508},
    {"004", "Quận", "Long Biên", 105.889214, 21.055625},
    {"005", "Quận", "Cầu Giấy", 105.800255, 21.031477},
    {"006", "Quận", "Đống Đa", 105.828788, 21.016354},
    {"007", "Quận", "Hai Bà Trưng", 105.849559, 21.010229},
    {"008", "Quận", "Hoàng Mai", 105.849063, 20.968078},
    {"009", "Quận", "Thanh Xuân", 105.800098, 20.995087},
    {"016", "Huyện", "Sóc Sơn", 105.847934, 21.257379},
    {"017", "Huyện", "Đông Anh", 105.848758, 21.139194},
    {"018", "Huyện", "Gia Lâm", 105.940797, 21.028571},
    {"019", "Quận", "Nam Từ Liêm", 105.767130, 21.039626},
    {"020", "Huyện", "Thanh Trì", 105.844471, 20.946278},
    {"021", "Quận", "Bắc Từ Liêm", 105.753633, 21.042075},
    {"250", "Huyện", "Mê Linh", 105.720210, 21.181735},
    {"268", "Quận", "Hà Đông", 105.771010, 20.964554},
    {"269", "Thị xã", "Sơn Tây", 105.506075, 21.140651},
    {"271", "Huyện", "Ba Vì", 105.423449, 21.199231},
    {"272", "Huyện", "Phúc Thọ", 105.545539, 21.104216},
    {"273", "Huyện", "Đan Phượng", 105.672508, 21.083119},
    {"274", "Huyện", "Hoài Đức", 105.707638, 21.066144},
    {"275", "Huyện", "Quốc Oai", 105.641004, 20.990051},
    {"276", "Huyện", "Thạch Thất", 105.578375, 21.056181},
    {"277", "Huyện", "Chương Mỹ", 105.702406, 20.923773},
    {"278", "Huyện", "Thanh Oai", 105.769056, 20.852508},
    {"279", "Huyện", "Thường Tín", 105.861996, 20.868836},
    {"280", "Huyện", "Phú Xuyên", 105.912000, 20.744300},
    {"281", "Huyện", "Ứng Hòa", 105.771352, 20.735542},
    {"282", "Huyện", "Mỹ Đức", 105.744873, 20.686388},
};

/* Districts with hills and forest (Ba Vì range, Sóc Sơn, the western and southern fringe):
 * their far-from-cluster land-use cells may be production or protection forest. */
static const char *const k_hilly_codes[] = {"016", "269", "271", "275", "276", "282"};

/* Hand-drawn city outline, WGS 84 lon/lat, clockwise from the northern tip of Sóc Sơn.
 * Roughly lon 105.28-106.02, lat 20.56-21.39; about 3,500 km² in the TM-3 plane. */
static const double k_outline_lonlat[][2] = {
    {105.850, 21.390}, {105.925, 21.330}, {105.930, 21.250}, {105.900, 21.170},
    {106.020, 21.070}, {105.980, 20.970}, {105.930, 20.860}, {105.960, 20.720},
    {105.900, 20.620}, {105.800, 20.560}, {105.720, 20.630}, {105.670, 20.770},
    {105.580, 20.870}, {105.480, 20.980}, {105.360, 21.030}, {105.280, 21.130},
    {105.300, 21.260}, {105.420, 21.280}, {105.530, 21.200}, {105.660, 21.220},
    {105.770, 21.300},
};
#define N_OUTLINE ((int)(sizeof k_outline_lonlat / sizeof k_outline_lonlat[0]))

/* Cluster status (trang_thai). */
typedef enum { ST_OPERATING, ST_BUILDING, ST_FOUNDED, ST_PLANNED } ccn_status;
static const char *const k_status_text[] = {"đang hoạt động", "đang xây dựng", "đã thành lập",
                                            "quy hoạch"};

/* One cluster to generate: name, district code, status, optional anchor (a real place the
 * cluster should lie 0.5-2.5 km from; 0 = none) and the code of its approved plan zone in
 * the land-use layer ("" = violator: no industrial zone at all). */
typedef struct {
    const char *ten;
    const char *ma_huyen;
    ccn_status st;
    double anchor_lon, anchor_lat;
    const char *zone;
} ccn_spec;

/* ma_ccn is "CCN" + the 1-based position in this table. */
static const ccn_spec k_ccn[N_CCN] = {
    {"CCN Phùng Xá", "276", ST_OPERATING, 105.600, 21.030, "SKN"},    /* CCN01 */
    {"CCN Bình Phú", "276", ST_OPERATING, 0, 0, "SKN"},               /* CCN02 */
    {"CCN Ngọc Hồi", "020", ST_OPERATING, 0, 0, "SKN"},               /* CCN03 */
    {"CCN Liên Ninh", "020", ST_OPERATING, 0, 0, ""},                 /* CCN04 violator */
    {"CCN Vân Côn", "274", ST_OPERATING, 0, 0, "SKN"},                /* CCN05 */
    {"CCN Lại Yên", "274", ST_FOUNDED, 0, 0, "SKN"},                  /* CCN06 */
    {"CCN Quất Động", "279", ST_OPERATING, 105.867, 20.889, "SKN"},   /* CCN07 overlap A */
    {"CCN Liên Phương", "279", ST_BUILDING, 0, 0, "SKN"},             /* CCN08 overlap B */
    {"CCN Phú Túc", "280", ST_OPERATING, 0, 0, "SKC"},                /* CCN09 */
    {"CCN Đại Thắng", "280", ST_PLANNED, 0, 0, "SKN"},                /* CCN10 */
    {"CCN Ngọc Sơn", "277", ST_OPERATING, 0, 0, "SKN"},               /* CCN11 */
    {"CCN Đông Phương Yên", "277", ST_OPERATING, 0, 0, "SKN"},        /* CCN12 straddler */
    {"CCN Bình Minh", "278", ST_OPERATING, 0, 0, "SKN"},              /* CCN13 */
    {"CCN Tam Hưng", "278", ST_FOUNDED, 0, 0, "SKN"},                 /* CCN14 */
    {"CCN Xà Cầu", "281", ST_OPERATING, 0, 0, ""},                    /* CCN15 violator */
    {"CCN Cầu Bầu", "281", ST_PLANNED, 0, 0, "SKN"},                  /* CCN16 */
    {"CCN Xuy Xá", "282", ST_OPERATING, 0, 0, "SKN"},                 /* CCN17 */
    {"CCN Tân Lập", "273", ST_OPERATING, 0, 0, "SKN"},                /* CCN18 */
    {"CCN Thanh Đa", "272", ST_OPERATING, 0, 0, ""},                  /* CCN19 violator */
    {"CCN Ngọc Mỹ", "275", ST_PLANNED, 0, 0, "SKN"},                  /* CCN20 */
    {"CCN Yên Sơn", "275", ST_FOUNDED, 0, 0, "SKN"},                  /* CCN21 bow-tie */
    {"CCN Cam Thượng", "271", ST_OPERATING, 0, 0, "SKN"},             /* CCN22 */
    {"CCN Phú Thịnh", "269", ST_OPERATING, 0, 0, "SKC"},              /* CCN23 */
    {"CCN Nguyên Khê", "017", ST_OPERATING, 0, 0, "SKK"},             /* CCN24 */
    {"CCN Dục Tú", "017", ST_BUILDING, 0, 0, "SKN"},                  /* CCN25 */
    {"CCN Kiêu Kỵ", "018", ST_OPERATING, 0, 0, ""},                   /* CCN26 violator */
    {"CCN Tiền Phong", "250", ST_FOUNDED, 0, 0, "SKN"},               /* CCN27 */
    {"CCN Kim Hoa", "250", ST_PLANNED, 0, 0, "SKN"},                  /* CCN28 */
    {"CCN Phù Linh", "016", ST_BUILDING, 0, 0, ""},                   /* CCN29 violator */
    {"CCN Yên Nghĩa", "268", ST_FOUNDED, 0, 0, "SKN"},                /* CCN30 */
};

/* The deliberate problems (0-based indices into k_ccn). */
#define CCN_OVERLAP_A 6  /* CCN07: overlapped partially by CCN08 */
#define CCN_OVERLAP_B 7  /* CCN08 */
#define CCN_STRADDLER 11 /* CCN12: ~60 % in its district, ~40 % in a neighbour */
#define CCN_BOWTIE 20    /* CCN21: self-intersecting quadrilateral */

/* What the 2030 plan does with each of today's clusters; the plan also adds N_NEW new ones
 * (PC_NEW).  Merged: CCN07 and CCN08 become one planned CCN07.  Split: CCN05 becomes
 * CCN05A and CCN05B.  Removed: absent from the plan. */
typedef enum {
    PC_UNCHANGED, PC_EXPANDED, PC_REDUCED, PC_MOVED, PC_SPLIT, PC_MERGED, PC_REMOVED, PC_NEW,
    PC_COUNT
} plan_change;
static const char *const k_change_name[PC_COUNT] = {
    "unchanged", "expanded", "reduced", "moved", "split", "merged", "removed", "new"};

/* Change of each of today's clusters (unlisted: unchanged, same id and geometry). */
static const plan_change k_plan_design[N_CCN] = {
    [1] = PC_EXPANDED,  /* CCN02 Thạch Thất, operating */
    [4] = PC_SPLIT,     /* CCN05 -> CCN05A + CCN05B */
    [6] = PC_MERGED,    /* CCN07 + CCN08 -> CCN07 */
    [7] = PC_MERGED,
    [8] = PC_EXPANDED,  /* CCN09 Phú Xuyên */
    [12] = PC_EXPANDED, /* CCN13 Thanh Oai */
    [16] = PC_EXPANDED, /* CCN17 Mỹ Đức */
    [19] = PC_MOVED,    /* CCN20 Quốc Oai, planned: same id, another place */
    [21] = PC_EXPANDED, /* CCN22 Ba Vì */
    [23] = PC_EXPANDED, /* CCN24 Đông Anh */
    [26] = PC_REDUCED,  /* CCN27 Mê Linh, founded */
    [27] = PC_REMOVED,  /* CCN28 Mê Linh, planned: dropped from the plan */
    [29] = PC_EXPANDED, /* CCN30 Hà Đông, founded */
};
#define CCN_SPLIT 4 /* CCN05 */

/* Where a wastewater plant lies relative to the cluster it was built for. */
typedef enum {
    WW_INSIDE, /* inside the cluster, >= 20 m from its boundary */
    WW_NEAR,   /* outside, 60-140 m from it: served (max_m = 200) */
    WW_BEYOND, /* outside, 310-390 m from it: too far to serve it */
    WW_FAR     /* >= 2 km from every cluster, today's and planned */
} ww_where;

/* One wastewater plant to generate: the cluster it was built for (0-based, -1: none), a
 * second cluster it also lies within 60-140 m of (-1: none), where it lies, whether it
 * meets the national technical standard (QCVN 40:2011/BTNMT), and a name suffix. */
typedef struct {
    int ccn, ccn2;
    ww_where where;
    int met;
    const char *suffix;
} plant_spec;

/* ma_xlnt is "XL" + the 1-based position in this table.  Operating clusters: 12 served by a
 * plant meeting the standard, 3 (CCN04, CCN19, CCN22) only by plants that do not, 3 (CCN15,
 * CCN23, CCN26) by none within 200 m. */
static const plant_spec k_plants[] = {
    {0, -1, WW_INSIDE, 1, ""},        /* XL01 CCN01 */
    {1, -1, WW_NEAR, 1, ""},          /* XL02 CCN02 */
    {2, -1, WW_INSIDE, 1, ""},        /* XL03 CCN03 */
    {3, -1, WW_INSIDE, 0, ""},        /* XL04 CCN04: does not meet the standard */
    {4, -1, WW_NEAR, 1, ""},          /* XL05 CCN05 */
    {6, 7, WW_INSIDE, 1, ""},         /* XL06 inside CCN07, near CCN08: shared */
    {8, -1, WW_INSIDE, 1, ""},        /* XL07 CCN09 */
    {10, -1, WW_NEAR, 1, ""},         /* XL08 CCN11 */
    {11, -1, WW_INSIDE, 1, ""},       /* XL09 CCN12 */
    {12, -1, WW_INSIDE, 0, " (cũ)"},  /* XL10 CCN13: the old plant, does not meet it */
    {12, -1, WW_NEAR, 1, " (mới)"},   /* XL11 CCN13: the new plant, meets it */
    {14, -1, WW_BEYOND, 1, ""},       /* XL12 CCN15: 310-390 m away, serves nothing */
    {16, -1, WW_NEAR, 1, ""},         /* XL13 CCN17 */
    {17, -1, WW_INSIDE, 1, ""},       /* XL14 CCN18 */
    {18, -1, WW_INSIDE, 0, ""},       /* XL15 CCN19: does not meet it */
    {21, -1, WW_NEAR, 0, ""},         /* XL16 CCN22: does not meet it */
    {23, -1, WW_NEAR, 1, ""},         /* XL17 CCN24 */
    {24, -1, WW_INSIDE, 1, ""},       /* XL18 CCN25, under construction */
    {28, -1, WW_NEAR, 0, ""},         /* XL19 CCN29, under construction: does not meet it */
    {-1, -1, WW_FAR, 1, ""},          /* XL20 a municipal plant far from every cluster */
    {-1, -1, WW_FAR, 0, ""},          /* XL21 another, not meeting the standard */
};
#define N_PLANTS ((int)(sizeof k_plants / sizeof k_plants[0]))

/* Clusters without an approved 1/500 detailed plan besides the planned (quy hoạch) ones,
 * and the operating one that never had one (0-based). */
static const int k_no_1500[] = {13, 18, 20, 26}; /* CCN14, CCN19, CCN21, CCN27 */

/* Craft (nghe) and the short word used in a village name ("Làng <label> <place>"). */
typedef struct {
    const char *nghe;
    const char *label;
} craft;

static const craft k_crafts[] = {
    {"gốm sứ", "gốm"},
    {"lụa", "lụa"},
    {"mây tre đan", "mây tre đan"},
    {"đồ gỗ mỹ nghệ", "mộc"},
    {"sơn mài", "sơn mài"},
    {"khảm trai", "khảm trai"},
    {"thêu ren", "thêu"},
    {"cơ khí", "cơ khí"},
    {"tái chế nhựa", "tái chế nhựa"},
    {"chế biến nông sản", "chế biến nông sản"},
    {"dệt may", "dệt"},
    {"tạc tượng", "tạc tượng"},
    {"nón lá", "nón"},
    {"đúc đồng", "đúc đồng"},
    {"da giày", "da giày"},
    {"làm hương", "hương"},
};
#define N_CRAFTS ((int)(sizeof k_crafts / sizeof k_crafts[0]))

/* Well-known villages, placed at their approximate real position (WGS 84, to ~1-2 km). */
typedef struct {
    const char *ten;
    const char *place; /* the place-name part, kept out of the generated names */
    const char *nghe;
    double lon, lat;
} famous_village;

static const famous_village k_famous[] = {
    {"Làng gốm Bát Tràng", "Bát Tràng", "gốm sứ", 105.918, 20.980},
    {"Làng lụa Vạn Phúc", "Vạn Phúc", "lụa", 105.771, 20.979},
    {"Làng mây tre đan Phú Vinh", "Phú Vinh", "mây tre đan", 105.661, 20.927},
    {"Làng khảm trai Chuyên Mỹ", "Chuyên Mỹ", "khảm trai", 105.866, 20.738},
    {"Làng sơn mài Hạ Thái", "Hạ Thái", "sơn mài", 105.858, 20.901},
    {"Làng tạc tượng Sơn Đồng", "Sơn Đồng", "tạc tượng", 105.709, 21.046},
    {"Làng thêu Quất Động", "Quất Động", "thêu ren", 105.867, 20.889},
    {"Làng cơ khí Phùng Xá", "Phùng Xá", "cơ khí", 105.600, 21.030},
    {"Làng mộc Chàng Sơn", "Chàng Sơn", "đồ gỗ mỹ nghệ", 105.592, 21.052},
    {"Làng nón Chuông", "Chuông", "nón lá", 105.764, 20.847},
};
#define N_FAMOUS ((int)(sizeof k_famous / sizeof k_famous[0]))

/* Syllables of the generated commune-like place names. */
static const char *const k_syl1[] = {"Phú",  "Vân",  "Đại",  "Hạ",    "Thượng", "Yên", "Tân",
                                     "Đông", "Kim",  "Ninh", "Hòa",   "Xuân",   "Thanh",
                                     "Liên", "Nhị",  "Tam",  "Cao",   "Văn",    "Minh"};
static const char *const k_syl2[] = {"Khê",   "Lộc",   "Sơn",    "Mỹ",  "Xá",   "Đình",  "Hiệp",
                                     "Nghĩa", "Thịnh", "Phương", "Trung", "Lâm", "Hà",    "Tảo",
                                     "Viên",  "Canh",  "Dực",    "Thái", "Động", "An"};
#define N_SYL1 ((int)(sizeof k_syl1 / sizeof k_syl1[0]))
#define N_SYL2 ((int)(sizeof k_syl2 / sizeof k_syl2[0]))

/* Land-use codes of the Vietnamese land classification used here. */
enum {
    LU_LUA, LU_ONT, LU_ODT, LU_SKN, LU_SKC, LU_SKK, LU_DGT, LU_HNK, LU_CLN,
    LU_NTS, LU_SON, LU_DTL, LU_TMD, LU_NTD, LU_DGD, LU_RSX, LU_RPH, LU_COUNT
};

static const char *const k_lu_code[LU_COUNT] = {
    "LUA", "ONT", "ODT", "SKN", "SKC", "SKK", "DGT", "HNK", "CLN",
    "NTS", "SON", "DTL", "TMD", "NTD", "DGD", "RSX", "RPH"};

static const char *const k_lu_name[LU_COUNT] = {
    "Đất trồng lúa",
    "Đất ở tại nông thôn",
    "Đất ở tại đô thị",
    "Đất cụm công nghiệp",
    "Đất cơ sở sản xuất phi nông nghiệp",
    "Đất khu công nghiệp",
    "Đất giao thông",
    "Đất trồng cây hằng năm khác",
    "Đất trồng cây lâu năm",
    "Đất nuôi trồng thủy sản",
    "Đất sông, ngòi, kênh, rạch, suối",
    "Đất thủy lợi",
    "Đất thương mại, dịch vụ",
    "Đất nghĩa trang, nghĩa địa",
    "Đất xây dựng cơ sở giáo dục và đào tạo",
    "Đất rừng sản xuất",
    "Đất rừng phòng hộ",
};

/* Code weights in percent (each table sums to 100). */
static const int k_w_near[LU_COUNT] = {
    [LU_LUA] = 35, [LU_ONT] = 18, [LU_SKC] = 8, [LU_DGT] = 8, [LU_HNK] = 8,
    [LU_CLN] = 7,  [LU_NTS] = 4,  [LU_SON] = 3, [LU_DTL] = 3, [LU_TMD] = 2,
    [LU_ODT] = 2,  [LU_NTD] = 1,  [LU_DGD] = 1};
static const int k_w_far[LU_COUNT] = {[LU_LUA] = 45, [LU_ONT] = 17, [LU_CLN] = 10,
                                      [LU_HNK] = 14, [LU_SON] = 6,  [LU_DGT] = 8};
static const int k_w_far_hilly[LU_COUNT] = {[LU_LUA] = 30, [LU_ONT] = 12, [LU_CLN] = 14,
                                            [LU_HNK] = 10, [LU_RSX] = 16, [LU_RPH] = 8,
                                            [LU_SON] = 4,  [LU_DGT] = 6};
static const int k_w_far_urban[LU_COUNT] = {[LU_ODT] = 50, [LU_DGT] = 18, [LU_TMD] = 12,
                                            [LU_DGD] = 6,  [LU_SON] = 6,  [LU_CLN] = 4,
                                            [LU_NTD] = 4};
static const int k_w_violator[LU_COUNT] = {[LU_LUA] = 65, [LU_ONT] = 35};

/* ------------------------------------------------------------------------------------- */
/* State                                                                                 */
/* ------------------------------------------------------------------------------------- */

/* An open ring of up to 8 vertices (the closing vertex is implied). */
typedef struct {
    double x[8], y[8]; /* EPSG:5897 metres (or local offsets before placement) */
    int n;             /* 4..8 */
} ring8;

/* One generated industrial cluster. */
typedef struct {
    ring8 ring;             /* valid footprint, EPSG:5897, vertices rounded to 0.01 m */
    GEOSGeometry *geom;     /* valid footprint polygon (bow-tie: the quadrilateral before the
                               swap, used for its plan zone); owned */
    GEOSGeometry *geom_out; /* geometry as written (bow-tie: self-intersecting); owned */
    char wkt[512];          /* WKT of geom_out, written to the shapefile */
    double cx, cy;          /* centroid of geom, m */
    double area_ha;         /* planar area of geom, ha */
    double stated_ha;       /* dt_qd_ha: area in the founding decision, ha */
    int dist;               /* index of the district written to huyen */
    int year;               /* nam_tl; 0 = NULL */
} cluster;

/* One generated craft village. */
typedef struct {
    double x, y;      /* EPSG:5897 metres */
    double lon, lat;  /* WGS 84 degrees */
    char ten[128];    /* name, UTF-8 */
    const char *nghe; /* craft, borrowed from a static table */
    int dist;         /* index of the district containing it */
    int year;         /* nam_cn; 0 = NULL (not yet recognised) */
} village;

/* One cluster of the 2030 plan. */
typedef struct {
    char id[16];         /* ma_ccn */
    char ten[128];       /* name, UTF-8 */
    ccn_status st;       /* trang_thai */
    int dist;            /* index of the district written to huyen */
    int src;             /* today's cluster it comes from (0-based), -1 for a new one */
    plan_change change;  /* as designed */
    int anchor;          /* village it was placed to serve (0-based), -1 if none */
    GEOSGeometry *geom;  /* valid footprint, EPSG:5897, vertices on a 1 cm grid; owned */
    const char *wkt;     /* unchanged ones: today's WKT, written as is (borrowed); else NULL */
} plan_cluster;

/* One wastewater plant. */
typedef struct {
    double x, y;      /* EPSG:5897 metres */
    double lon, lat;  /* WGS 84 degrees */
    char ten[160];    /* name, UTF-8 */
    int cong_suat;    /* capacity, m³/day */
} plant;

/* One land-use feature. */
typedef struct {
    GEOSGeometry *geom; /* Polygon or MultiPolygon, EPSG:5897; owned */
    int code;           /* LU_* */
} lu_feature;

/* Everything the generator owns; freed by gen_free(). */
typedef struct {
    GEOSContextHandle_t gh;
    GEOSWKBWriter *wkbw;
    PJ_CONTEXT *pjc;
    PJ *pj; /* EPSG:4326 (lon, lat) <-> EPSG:5897 (E, N), normalized axis order */
    uint64_t rng;
    GEOSGeometry *outline; /* city outline polygon, EPSG:5897 */
    GEOSGeometry *outline_bnd;
    const GEOSPreparedGeometry *outline_prep;
    double outline_area_m2;
    double oxmin, oymin, oxmax, oymax;
    double dcx[N_DIST], dcy[N_DIST]; /* district centres, EPSG:5897 */
    GEOSGeometry *dgeom[N_DIST];     /* district polygons, EPSG:5897 */
    GEOSGeometry *dbnd[N_DIST];      /* their boundaries */
    const GEOSPreparedGeometry *dprep[N_DIST];
    int ccn_dist[N_CCN]; /* district index of each cluster spec */
    int used_dist[N_DIST];
    cluster cl[N_CCN];
    int straddle_other;   /* district holding the straddler's smaller part */
    double straddle_frac; /* share of the straddler in its own district */
    double overlap_frac;  /* overlap of the pair / area of the smaller one */
    village vl[N_LN];
    lu_feature *lu;
    size_t n_lu;
    GEOSGeometry *zone[N_CCN]; /* plan zone of each cluster (NULL for violators); owned */
    /* programme fields of each cluster (0 / -1 / "" = NULL) */
    int nam_kc[N_CCN];        /* year construction started; 0 = not started */
    char qh_1500[N_CCN][40];  /* 1/500 plan approval as written; "" = none */
    double gpmb_pct[N_CCN];   /* site clearance, percent */
    int so_dn[N_CCN];         /* enterprises and households; 0 = NULL */
    int lao_dong[N_CCN];      /* workers; 0 = NULL */
    plan_cluster pl[N_PLAN_MAX]; /* the 2030 plan, in output order */
    int n_plan;
    GEOSGeometry *vpt[N_LN];  /* village points, EPSG:5897; owned */
    plant pt[N_PLANT_MAX];    /* wastewater plants */
} gen;

/* ------------------------------------------------------------------------------------- */
/* Small utilities                                                                       */
/* ------------------------------------------------------------------------------------- */

/* Print "make_shapes: error: <message>" on stderr.  Returns -1 so callers can
 * `return fail(...)`. */
static int fail(const char *fmt, ...) PRINTF_LIKE(1, 2);
static int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("make_shapes: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return -1;
}

/* GEOS error handler: prints the message on stderr (userdata unused). */
static void geos_error_handler(const char *message, void *userdata)
{
    (void)userdata;
    fprintf(stderr, "make_shapes: GEOS: %s\n", message);
}

/* GEOS notice handler: validity notices are expected (the bow-tie), so they are dropped. */
static void geos_notice_handler(const char *message, void *userdata)
{
    (void)message;
    (void)userdata;
}

/* Reset the PRNG state to a fixed seed. */
static void rng_seed(gen *g, uint64_t seed) { g->rng = seed; }

/* splitmix64: advance the state and return the next 64-bit output. */
static uint64_t rng_next(gen *g)
{
    uint64_t z = (g->rng += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Uniform double in [0, 1) with 53 random bits. */
static double rng_u01(gen *g) { return (double)(rng_next(g) >> 11) * (1.0 / 9007199254740992.0); }

/* Uniform double in [a, b). */
static double rng_range(gen *g, double a, double b) { return a + (b - a) * rng_u01(g); }

/* Uniform integer in [0, n), n > 0. */
static int rng_below(gen *g, int n) { return (int)(rng_u01(g) * (double)n); }

/* Draw an index 0..LU_COUNT-1 with the given percent weights (summing to 100). */
static int rng_weighted(gen *g, const int *w)
{
    int r = rng_below(g, 100), acc = 0;
    for (int i = 0; i < LU_COUNT; i++) {
        acc += w[i];
        if (r < acc)
            return i;
    }
    return LU_LUA;
}

/* Round a coordinate to 0.01 (one centimetre). */
static double round_cm(double v) { return floor(v * 100.0 + 0.5) / 100.0; }

/* Index of the district row with code `code`, or -1. */
static int district_index(const char *code)
{
    for (int i = 0; i < N_DIST; i++)
        if (strcmp(g_dist_rows[i].code, code) == 0)
            return i;
    return -1;
}

/* Non-zero if district i is one of the nine central urban districts (001-009). */
static int district_is_inner(int i) { return strcmp(g_dist_rows[i].code, "009") <= 0; }

/* Non-zero if district i is listed in k_hilly_codes. */
static int district_is_hilly(int i)
{
    for (size_t k = 0; k < sizeof k_hilly_codes / sizeof k_hilly_codes[0]; k++)
        if (strcmp(g_dist_rows[i].code, k_hilly_codes[k]) == 0)
            return 1;
    return 0;
}

/* ------------------------------------------------------------------------------------- */
/* Optional districts CSV                                                                */
/* ------------------------------------------------------------------------------------- */

/* Copy src into dst (capacity cap bytes).  Returns 0, or -1 if it does not fit. */
static int copy_field(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        return -1;
    memcpy(dst, src, n + 1);
    return 0;
}

/* Read a districts CSV (header ma_huyen,loai,ten,lon,lat; the same 30 codes as the
 * embedded table, each once) and replace loai, ten and the centre of each embedded row.
 * Returns 0, or -1 after printing a message (the table may then be partly updated). */
static int load_districts_csv(const char *path)
{
    int rc = -1, seen[N_DIST] = {0}, line_no = 0;
    char line[512];
    FILE *fp = fopen(path, "r");
    if (!fp)
        return fail("cannot open districts CSV %s", path);
    while (fgets(line, sizeof line, fp)) {
        char *field[5], *p = line;
        int nf = 0;
        line_no++;
        line[strcspn(line, "\r\n")] = '\0';
        if (line_no == 1) {
            const char *hdr = "ma_huyen,loai,ten,lon,lat";
            /* tolerate a UTF-8 byte-order mark */
            if (strncmp(p, "\xEF\xBB\xBF", 3) == 0)
                p += 3;
            if (strcmp(p, hdr) != 0) {
                fail("%s: header must be \"%s\"", path, hdr);
                goto done;
            }
            continue;
        }
        if (line[0] == '\0')
            continue;
        field[nf++] = p;
        for (; *p && nf < 5; p++)
            if (*p == ',') {
                *p = '\0';
                field[nf++] = p + 1;
            }
        if (nf != 5 || strchr(field[4], ',')) {
            fail("%s:%d: expected 5 comma-separated fields", path, line_no);
            goto done;
        }
        int i = district_index(field[0]);
        if (i < 0 || seen[i]) {
            fail("%s:%d: unknown or repeated ma_huyen \"%s\"", path, line_no, field[0]);
            goto done;
        }
        char *end1, *end2;
        double lon = strtod(field[3], &end1), lat = strtod(field[4], &end2);
        if (*end1 || *end2 || lon < 102.0 || lon > 110.0 || lat < 8.0 || lat > 24.0) {
            fail("%s:%d: bad lon/lat", path, line_no);
            goto done;
        }
        if (copy_field(g_dist_rows[i].loai, sizeof g_dist_rows[i].loai, field[1]) ||
            copy_field(g_dist_rows[i].ten, sizeof g_dist_rows[i].ten, field[2])) {
            fail("%s:%d: loai or ten too long", path, line_no);
            goto done;
        }
        g_dist_rows[i].lon = lon;
        g_dist_rows[i].lat = lat;
        seen[i] = 1;
    }
    for (int i = 0; i < N_DIST; i++)
        if (!seen[i]) {
            fail("%s: ma_huyen %s missing", path, g_dist_rows[i].code);
            goto done;
        }
    rc = 0;
done:
    fclose(fp);
    return rc;
}

/* ------------------------------------------------------------------------------------- */
/* PROJ                                                                                  */
/* ------------------------------------------------------------------------------------- */

/* Create the PROJ context and the EPSG:4326 -> EPSG:5897 operation in lon/lat, E/N order.
 * Returns 0, or -1 after printing a message. */
static int proj_setup(gen *g)
{
    PJ *raw;
    g->pjc = proj_context_create();
    if (!g->pjc)
        return fail("proj_context_create failed");
    raw = proj_create_crs_to_crs(g->pjc, "EPSG:4326", "EPSG:5897", NULL);
    if (!raw)
        return fail("PROJ: EPSG:4326 -> EPSG:5897: %s",
                    proj_context_errno_string(g->pjc, proj_context_errno(g->pjc)));
    g->pj = proj_normalize_for_visualization(g->pjc, raw);
    proj_destroy(raw);
    if (!g->pj)
        return fail("PROJ: proj_normalize_for_visualization: %s",
                    proj_context_errno_string(g->pjc, proj_context_errno(g->pjc)));
    return 0;
}

/* Convert WGS 84 lon/lat (degrees) to EPSG:5897 easting/northing (metres) in *x, *y.
 * Returns 0, or -1 after printing a message. */
static int lonlat_to_tm(gen *g, double lon, double lat, double *x, double *y)
{
    PJ_COORD c = proj_coord(lon, lat, 0.0, 0.0);
    PJ_COORD r = proj_trans(g->pj, PJ_FWD, c);
    if (!isfinite(r.xy.x) || !isfinite(r.xy.y))
        return fail("PROJ: cannot transform lon %.6f lat %.6f: %s", lon, lat,
                    proj_context_errno_string(g->pjc, proj_errno(g->pj)));
    *x = r.xy.x;
    *y = r.xy.y;
    return 0;
}

/* GEOS transform callback: EPSG:5897 (x, y) in place to WGS 84 (lon, lat).
 * userdata is the normalized PJ.  Returns 1 on success, 0 on failure (GEOS contract). */
static int tm_to_lonlat_cb(double *x, double *y, void *userdata)
{
    PJ_COORD r = proj_trans((PJ *)userdata, PJ_INV, proj_coord(*x, *y, 0.0, 0.0));
    if (!isfinite(r.xy.x) || !isfinite(r.xy.y))
        return 0;
    *x = r.xy.x;
    *y = r.xy.y;
    return 1;
}

/* ------------------------------------------------------------------------------------- */
/* GEOS helpers                                                                          */
/* ------------------------------------------------------------------------------------- */

/* Build a polygon from an open ring of n >= 3 vertices (closed here).
 * Returns a new geometry (free with GEOSGeom_destroy_r) or NULL on failure. */
static GEOSGeometry *poly_from_xy(gen *g, const double *x, const double *y, int n)
{
    GEOSCoordSequence *cs = GEOSCoordSeq_create_r(g->gh, (unsigned)n + 1u, 2);
    GEOSGeometry *ring;
    if (!cs)
        return NULL;
    for (int i = 0; i <= n; i++)
        if (!GEOSCoordSeq_setXY_r(g->gh, cs, (unsigned)i, x[i % n], y[i % n])) {
            GEOSCoordSeq_destroy_r(g->gh, cs);
            return NULL;
        }
    ring = GEOSGeom_createLinearRing_r(g->gh, cs); /* takes cs */
    if (!ring)
        return NULL;
    return GEOSGeom_createPolygon_r(g->gh, ring, NULL, 0); /* takes ring */
}

/* Build a polygon from a ring8.  Returns a new geometry or NULL. */
static GEOSGeometry *poly_from_ring(gen *g, const ring8 *r)
{
    return poly_from_xy(g, r->x, r->y, r->n);
}

/* Planar area of a geometry in m², or -1 on failure. */
static double area_of(gen *g, const GEOSGeometry *geom)
{
    double a;
    if (!GEOSArea_r(g->gh, geom, &a))
        return -1.0;
    return a;
}

/* Area of the intersection of a and b in m², or -1 on failure. */
static double inter_area(gen *g, const GEOSGeometry *a, const GEOSGeometry *b)
{
    GEOSGeometry *i = GEOSIntersection_r(g->gh, a, b);
    double ar;
    if (!i)
        return -1.0;
    ar = area_of(g, i);
    GEOSGeom_destroy_r(g->gh, i);
    return ar;
}

/* Distance between a and b in metres, or -1 on failure. */
static double dist_of(gen *g, const GEOSGeometry *a, const GEOSGeometry *b)
{
    double d;
    if (!GEOSDistance_r(g->gh, a, b, &d))
        return -1.0;
    return d;
}

/* Centroid of geom in *x, *y.  Returns 0 or -1. */
static int centroid_of(gen *g, const GEOSGeometry *geom, double *x, double *y)
{
    GEOSGeometry *c = GEOSGetCentroid_r(g->gh, geom);
    int ok;
    if (!c)
        return -1;
    ok = GEOSGeomGetX_r(g->gh, c, x) && GEOSGeomGetY_r(g->gh, c, y);
    GEOSGeom_destroy_r(g->gh, c);
    return ok ? 0 : -1;
}

/* Bounds of geom in *x0, *y0, *x1, *y1.  Returns 0 or -1. */
static int bounds_of(gen *g, const GEOSGeometry *geom, double *x0, double *y0, double *x1,
                     double *y1)
{
    return (GEOSGeom_getXMin_r(g->gh, geom, x0) && GEOSGeom_getYMin_r(g->gh, geom, y0) &&
            GEOSGeom_getXMax_r(g->gh, geom, x1) && GEOSGeom_getYMax_r(g->gh, geom, y1))
               ? 0
               : -1;
}

/* Append the polygons of geom (any type, recursively) to *arr as new clones.
 * n and cap track the array's length and capacity.  Returns 0 or -1. */
static int collect_polygons(gen *g, const GEOSGeometry *geom, GEOSGeometry ***arr, size_t *n,
                            size_t *cap)
{
    int t = GEOSGeomTypeId_r(g->gh, geom);
    if (t == GEOS_POLYGON) {
        if (GEOSisEmpty_r(g->gh, geom))
            return 0;
        if (*n == *cap) {
            size_t nc = *cap ? *cap * 2 : 8;
            GEOSGeometry **na = realloc(*arr, nc * sizeof *na);
            if (!na)
                return -1;
            *arr = na;
            *cap = nc;
        }
        (*arr)[*n] = GEOSGeom_clone_r(g->gh, geom);
        if (!(*arr)[*n])
            return -1;
        (*n)++;
        return 0;
    }
    if (t == GEOS_MULTIPOLYGON || t == GEOS_GEOMETRYCOLLECTION) {
        int k = GEOSGetNumGeometries_r(g->gh, geom);
        for (int i = 0; i < k; i++)
            if (collect_polygons(g, GEOSGetGeometryN_r(g->gh, geom, i), arr, n, cap))
                return -1;
    }
    return 0; /* points and lines are dropped */
}

/* Reduce geom to its polygonal part: NULL if it has none, a Polygon if it has one, else a
 * MultiPolygon.  Consumes geom.  *err is set to 1 on failure (the result is then NULL). */
static GEOSGeometry *polygonal_part(gen *g, GEOSGeometry *geom, int *err)
{
    GEOSGeometry **arr = NULL, *out = NULL;
    size_t n = 0, cap = 0;
    int t = GEOSGeomTypeId_r(g->gh, geom);
    *err = 0;
    if ((t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON) && !GEOSisEmpty_r(g->gh, geom))
        return geom;
    if (collect_polygons(g, geom, &arr, &n, &cap)) {
        *err = 1;
        goto done;
    }
    if (n == 1) {
        out = arr[0];
        n = 0;
    } else if (n > 1) {
        out = GEOSGeom_createCollection_r(g->gh, GEOS_MULTIPOLYGON, arr, (unsigned)n);
        if (!out)
            *err = 1;
        n = 0; /* taken by the collection (GEOS frees them on failure too) */
    }
done:
    for (size_t i = 0; i < n; i++)
        GEOSGeom_destroy_r(g->gh, arr[i]);
    free(arr);
    GEOSGeom_destroy_r(g->gh, geom);
    return out;
}

/* Make *geom valid if it is not (GEOSMakeValid_r, polygonal part kept) and assert the
 * result is valid and non-empty.  *geom may be replaced.  Returns 0, or -1 after a message
 * (*geom is then NULL or unchanged and still owned by the caller). */
static int ensure_valid(gen *g, GEOSGeometry **geom, const char *what)
{
    char v = GEOSisValid_r(g->gh, *geom);
    GEOSGeometry *mv;
    int err;
    if (v == 1)
        return 0;
    if (v != 0)
        return fail("%s: validity test failed", what);
    mv = GEOSMakeValid_r(g->gh, *geom);
    if (!mv)
        return fail("%s: GEOSMakeValid failed", what);
    mv = polygonal_part(g, mv, &err);
    if (err || !mv || GEOSisValid_r(g->gh, mv) != 1) {
        if (mv)
            GEOSGeom_destroy_r(g->gh, mv);
        return fail("%s: still invalid after GEOSMakeValid", what);
    }
    GEOSGeom_destroy_r(g->gh, *geom);
    *geom = mv;
    return 0;
}

/* ------------------------------------------------------------------------------------- */
/* Partitions: Voronoi cells clipped to the outline, and their check                     */
/* ------------------------------------------------------------------------------------- */

/* Partition the city outline into the Voronoi cells of n seeds.
 * in:  sx, sy: seed coordinates (EPSG:5897 m), all inside the outline, pairwise distinct.
 * out: cells[i] = new Polygon or MultiPolygon, the part of seed i's cell inside the outline
 *      (free with GEOSGeom_destroy_r).  The cells are faces of one polygonization of the
 *      noded Voronoi edges plus the outline, so neighbours share identical vertices.
 * Returns 0, or -1 after a message (cells[] then holds only NULLs). */
static int voronoi_partition(gen *g, const double *sx, const double *sy, size_t n,
                             GEOSGeometry **cells)
{
    int rc = -1;
    GEOSGeometry **pts = NULL, *mp = NULL, *env = NULL, *edges = NULL, *noded = NULL,
                 *faces = NULL, **group = NULL;
    size_t *owner = NULL, *count = NULL, nfaces = 0;

    for (size_t i = 0; i < n; i++)
        cells[i] = NULL;
    pts = calloc(n, sizeof *pts);
    count = calloc(n, sizeof *count);
    if (!pts || !count) {
        fail("out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        if (!(pts[i] = GEOSGeom_createPointFromXY_r(g->gh, sx[i], sy[i]))) {
            fail("cannot create seed point");
            goto done;
        }
    mp = GEOSGeom_createCollection_r(g->gh, GEOS_MULTIPOINT, pts, (unsigned)n);
    free(pts); /* the points now belong to mp (or were freed by GEOS on failure) */
    pts = NULL;
    if (!mp) {
        fail("cannot create seed multipoint");
        goto done;
    }
    env = GEOSGeom_createRectangle_r(g->gh, g->oxmin - 20000.0, g->oymin - 20000.0,
                                     g->oxmax + 20000.0, g->oymax + 20000.0);
    if (!env) {
        fail("cannot create Voronoi envelope");
        goto done;
    }
    edges = GEOSVoronoiDiagram_r(g->gh, mp, env, 0.0, 1);
    if (!edges) {
        fail("GEOSVoronoiDiagram failed");
        goto done;
    }
    noded = GEOSUnion_r(g->gh, edges, g->outline_bnd);
    if (!noded) {
        fail("noding Voronoi edges with the outline failed");
        goto done;
    }
    faces = GEOSPolygonize_r(g->gh, (const GEOSGeometry *const *)&noded, 1);
    if (!faces) {
        fail("GEOSPolygonize failed");
        goto done;
    }
    nfaces = (size_t)GEOSGetNumGeometries_r(g->gh, faces);
    owner = malloc((nfaces ? nfaces : 1) * sizeof *owner);
    if (!owner) {
        fail("out of memory");
        goto done;
    }
    /* Each face lies wholly inside or outside the outline; an inside face belongs to the
     * seed nearest to any of its interior points (Voronoi property). */
    for (size_t f = 0; f < nfaces; f++) {
        const GEOSGeometry *face = GEOSGetGeometryN_r(g->gh, faces, (int)f);
        GEOSGeometry *ip = GEOSPointOnSurface_r(g->gh, face);
        double px, py, best = HUGE_VAL;
        char in;
        owner[f] = SIZE_MAX;
        if (!ip || !GEOSGeomGetX_r(g->gh, ip, &px) || !GEOSGeomGetY_r(g->gh, ip, &py)) {
            if (ip)
                GEOSGeom_destroy_r(g->gh, ip);
            fail("GEOSPointOnSurface failed");
            goto done;
        }
        in = GEOSPreparedContains_r(g->gh, g->outline_prep, ip);
        GEOSGeom_destroy_r(g->gh, ip);
        if (in == 2) {
            fail("point-in-outline test failed");
            goto done;
        }
        if (!in)
            continue;
        for (size_t s = 0; s < n; s++) {
            double d2 = (px - sx[s]) * (px - sx[s]) + (py - sy[s]) * (py - sy[s]);
            if (d2 < best) {
                best = d2;
                owner[f] = s;
            }
        }
        count[owner[f]]++;
    }
    group = malloc((nfaces ? nfaces : 1) * sizeof *group);
    if (!group) {
        fail("out of memory");
        goto done;
    }
    for (size_t s = 0; s < n; s++) {
        size_t k = 0;
        if (count[s] == 0) {
            fail("seed %zu (%.1f, %.1f) has no cell inside the outline", s, sx[s], sy[s]);
            goto done;
        }
        for (size_t f = 0; f < nfaces; f++)
            if (owner[f] == s) {
                group[k] = GEOSGeom_clone_r(g->gh, GEOSGetGeometryN_r(g->gh, faces, (int)f));
                if (!group[k]) {
                    for (size_t j = 0; j < k; j++)
                        GEOSGeom_destroy_r(g->gh, group[j]);
                    fail("clone failed");
                    goto done;
                }
                k++;
            }
        if (k == 1)
            cells[s] = group[0];
        else
            cells[s] = GEOSGeom_createCollection_r(g->gh, GEOS_MULTIPOLYGON, group, (unsigned)k);
        if (!cells[s]) {
            fail("cannot assemble cell %zu", s);
            goto done;
        }
        if (GEOSisValid_r(g->gh, cells[s]) != 1) {
            /* parts touching along a line: dissolve them */
            GEOSGeometry *u = GEOSUnaryUnion_r(g->gh, cells[s]);
            if (!u) {
                fail("cannot dissolve cell %zu", s);
                goto done;
            }
            GEOSGeom_destroy_r(g->gh, cells[s]);
            cells[s] = u;
            if (ensure_valid(g, &cells[s], "Voronoi cell"))
                goto done;
        }
    }
    rc = 0;
done:
    if (rc != 0)
        for (size_t i = 0; i < n; i++)
            if (cells[i]) {
                GEOSGeom_destroy_r(g->gh, cells[i]);
                cells[i] = NULL;
            }
    if (pts) {
        for (size_t i = 0; i < n; i++)
            if (pts[i])
                GEOSGeom_destroy_r(g->gh, pts[i]);
        free(pts);
    }
    free(group);
    free(owner);
    free(count);
    if (faces)
        GEOSGeom_destroy_r(g->gh, faces);
    if (noded)
        GEOSGeom_destroy_r(g->gh, noded);
    if (edges)
        GEOSGeom_destroy_r(g->gh, edges);
    if (env)
        GEOSGeom_destroy_r(g->gh, env);
    if (mp)
        GEOSGeom_destroy_r(g->gh, mp);
    return rc;
}

/* A growable list of indices filled by an STRtree query. */
typedef struct {
    size_t *v;
    size_t n, cap;
    int oom;
} hitlist;

/* STRtree query callback: item points at a size_t index; appended to the hitlist. */
static void hit_cb(void *item, void *userdata)
{
    hitlist *h = userdata;
    if (h->n == h->cap) {
        size_t nc = h->cap ? h->cap * 2 : 32;
        size_t *nv = realloc(h->v, nc * sizeof *nv);
        if (!nv) {
            h->oom = 1;
            return;
        }
        h->v = nv;
        h->cap = nc;
    }
    h->v[h->n++] = *(const size_t *)item;
}

/* Check that geoms[0..n) partition the city outline: total pairwise overlap area and the
 * gap (outline area minus covered area) must both stay under PARTITION_TOL_M2.
 * Prints one summary line with `label`.  Returns 0, or -1 after a message. */
static int check_partition(gen *g, GEOSGeometry *const *geoms, size_t n, const char *label)
{
    int rc = -1;
    GEOSSTRtree *tree = GEOSSTRtree_create_r(g->gh, 10);
    size_t *ids = malloc((n ? n : 1) * sizeof *ids);
    hitlist h = {NULL, 0, 0, 0};
    double overlap = 0.0, sum = 0.0, gap;
    if (!tree || !ids) {
        fail("%s: cannot build the partition check index", label);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        ids[i] = i;
        GEOSSTRtree_insert_r(g->gh, tree, geoms[i], &ids[i]);
    }
    for (size_t i = 0; i < n; i++) {
        double a = area_of(g, geoms[i]);
        if (a < 0) {
            fail("%s: area failed", label);
            goto done;
        }
        sum += a;
        h.n = 0;
        GEOSSTRtree_query_r(g->gh, tree, geoms[i], hit_cb, &h);
        if (h.oom) {
            fail("out of memory");
            goto done;
        }
        for (size_t k = 0; k < h.n; k++) {
            size_t j = h.v[k];
            char hit;
            double ia;
            if (j <= i)
                continue;
            hit = GEOSIntersects_r(g->gh, geoms[i], geoms[j]);
            if (hit == 2) {
                fail("%s: intersects test failed", label);
                goto done;
            }
            if (!hit)
                continue;
            ia = inter_area(g, geoms[i], geoms[j]);
            if (ia < 0) {
                fail("%s: intersection failed", label);
                goto done;
            }
            overlap += ia;
        }
    }
    gap = g->outline_area_m2 - (sum - overlap);
    printf("  %s: %zu polygons, %.3f km², overlap %.6f m², gap %.6f m²\n", label, n, sum / 1e6,
           overlap, gap);
    if (overlap > PARTITION_TOL_M2 || fabs(gap) > PARTITION_TOL_M2) {
        fail("%s is not a partition of the outline", label);
        goto done;
    }
    rc = 0;
done:
    free(h.v);
    free(ids);
    if (tree)
        GEOSSTRtree_destroy_r(g->gh, tree);
    return rc;
}

/* ------------------------------------------------------------------------------------- */
/* City outline and districts                                                            */
/* ------------------------------------------------------------------------------------- */

/* Project the hand-drawn outline to EPSG:5897, check it (valid, 3,000-3,600 km², holds all
 * district centres) and prepare it.  Fills g->outline*, g->dcx/dcy.  Returns 0 or -1. */
static int build_outline(gen *g)
{
    double x[N_OUTLINE], y[N_OUTLINE];
    for (int i = 0; i < N_OUTLINE; i++)
        if (lonlat_to_tm(g, k_outline_lonlat[i][0], k_outline_lonlat[i][1], &x[i], &y[i]))
            return -1;
    g->outline = poly_from_xy(g, x, y, N_OUTLINE);
    if (!g->outline)
        return fail("cannot build the city outline");
    if (GEOSisValid_r(g->gh, g->outline) != 1)
        return fail("the city outline is not a valid polygon");
    g->outline_area_m2 = area_of(g, g->outline);
    if (g->outline_area_m2 < 3000e6 || g->outline_area_m2 > 3600e6)
        return fail("outline area %.1f km² outside 3,000-3,600", g->outline_area_m2 / 1e6);
    if (bounds_of(g, g->outline, &g->oxmin, &g->oymin, &g->oxmax, &g->oymax))
        return fail("outline bounds failed");
    g->outline_bnd = GEOSBoundary_r(g->gh, g->outline);
    g->outline_prep = GEOSPrepare_r(g->gh, g->outline);
    if (!g->outline_bnd || !g->outline_prep)
        return fail("cannot prepare the outline");
    for (int i = 0; i < N_DIST; i++) {
        GEOSGeometry *p;
        char in;
        if (lonlat_to_tm(g, g_dist_rows[i].lon, g_dist_rows[i].lat, &g->dcx[i], &g->dcy[i]))
            return -1;
        p = GEOSGeom_createPointFromXY_r(g->gh, g->dcx[i], g->dcy[i]);
        if (!p)
            return fail("cannot create a point");
        in = GEOSPreparedContainsProperly_r(g->gh, g->outline_prep, p);
        GEOSGeom_destroy_r(g->gh, p);
        if (in != 1)
            return fail("centre of %s lies outside the city outline", g_dist_rows[i].ten);
    }
    printf("  outline: %d vertices, %.1f km² (EPSG:5897 planar)\n", N_OUTLINE,
           g->outline_area_m2 / 1e6);
    return 0;
}

/* Build the 30 district polygons (EPSG:5897) as clipped Voronoi cells of the centres;
 * check each centre lies inside its own cell and that the cells partition the outline.
 * Fills g->dgeom, g->dbnd, g->dprep.  Returns 0 or -1. */
static int make_districts(gen *g)
{
    if (voronoi_partition(g, g->dcx, g->dcy, N_DIST, g->dgeom))
        return -1;
    for (int i = 0; i < N_DIST; i++) {
        GEOSGeometry *p = GEOSGeom_createPointFromXY_r(g->gh, g->dcx[i], g->dcy[i]);
        char in;
        if (!p)
            return fail("cannot create a point");
        in = GEOSContains_r(g->gh, g->dgeom[i], p);
        GEOSGeom_destroy_r(g->gh, p);
        if (in != 1)
            return fail("centre of %s is not inside its own cell", g_dist_rows[i].ten);
        if (GEOSisValid_r(g->gh, g->dgeom[i]) != 1)
            return fail("district %s is invalid", g_dist_rows[i].ten);
        g->dbnd[i] = GEOSBoundary_r(g->gh, g->dgeom[i]);
        g->dprep[i] = GEOSPrepare_r(g->gh, g->dgeom[i]);
        if (!g->dbnd[i] || !g->dprep[i])
            return fail("cannot prepare district %s", g_dist_rows[i].ten);
    }
    return check_partition(g, g->dgeom, N_DIST, "districts");
}

/* Index of the district containing (x, y) (on a border: the first touching it), or -1 if
 * none; -2 on a GEOS failure. */
static int district_of_xy(gen *g, double x, double y)
{
    GEOSGeometry *p = GEOSGeom_createPointFromXY_r(g->gh, x, y);
    int found = -1;
    if (!p)
        return -2;
    for (int i = 0; i < N_DIST && found == -1; i++) {
        char in = GEOSPreparedContains_r(g->gh, g->dprep[i], p);
        if (in == 2)
            found = -2;
        else if (in)
            found = i;
    }
    for (int i = 0; i < N_DIST && found == -1; i++) {
        char in = GEOSPreparedIntersects_r(g->gh, g->dprep[i], p);
        if (in == 2)
            found = -2;
        else if (in)
            found = i;
    }
    GEOSGeom_destroy_r(g->gh, p);
    return found;
}

/* 1 if (x, y) lies strictly inside the outline, 0 if not, -1 on failure. */
static int in_outline(gen *g, double x, double y)
{
    GEOSGeometry *p = GEOSGeom_createPointFromXY_r(g->gh, x, y);
    char in;
    if (!p)
        return -1;
    in = GEOSPreparedContainsProperly_r(g->gh, g->outline_prep, p);
    GEOSGeom_destroy_r(g->gh, p);
    return in == 2 ? -1 : in;
}

/* Draw a uniform random point inside the outline into *x, *y.  Returns 0 or -1. */
static int random_in_outline(gen *g, double *x, double *y)
{
    for (int tries = 0; tries < 100000; tries++) {
        int in;
        *x = rng_range(g, g->oxmin, g->oxmax);
        *y = rng_range(g, g->oymin, g->oymax);
        in = in_outline(g, *x, *y);
        if (in < 0)
            return fail("point-in-outline test failed");
        if (in)
            return 0;
    }
    return fail("cannot draw a point inside the outline");
}

/* ------------------------------------------------------------------------------------- */
/* Clusters                                                                              */
/* ------------------------------------------------------------------------------------- */

/* Draw a footprint centred on the origin: a rectangle of about area_m2 with side ratio
 * `aspect`, rotated by `angle` (radians), corners jittered by up to 4 % of the short side,
 * plus `nextra` (0..4) vertices pushed slightly off the middle of distinct sides.
 * Writes local offsets (metres) to *out, counter-clockwise. */
static void make_shape(gen *g, double area_m2, double aspect, double angle, int nextra,
                       ring8 *out)
{
    double w = sqrt(area_m2 * aspect), h = area_m2 / w, s = fmin(w, h);
    double cx[4] = {-w / 2, w / 2, w / 2, -w / 2}, cy[4] = {-h / 2, -h / 2, h / 2, h / 2};
    int extra[4] = {0, 0, 0, 0}, order[4] = {0, 1, 2, 3};
    double ca = cos(angle), sa = sin(angle);
    for (int i = 3; i > 0; i--) { /* choose which sides get an extra vertex */
        int j = rng_below(g, i + 1), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (int i = 0; i < nextra && i < 4; i++)
        extra[order[i]] = 1;
    for (int i = 0; i < 4; i++) {
        cx[i] += rng_range(g, -0.04, 0.04) * s;
        cy[i] += rng_range(g, -0.04, 0.04) * s;
    }
    out->n = 0;
    for (int i = 0; i < 4; i++) {
        int j = (i + 1) % 4;
        out->x[out->n] = cx[i];
        out->y[out->n] = cy[i];
        out->n++;
        if (extra[i]) {
            double ex = cx[j] - cx[i], ey = cy[j] - cy[i], len = hypot(ex, ey);
            double t = 0.5 + rng_range(g, -0.15, 0.15), off = rng_range(g, -0.04, 0.07) * len;
            /* outward normal of a counter-clockwise ring is (ey, -ex)/len */
            out->x[out->n] = cx[i] + t * ex + off * ey / len;
            out->y[out->n] = cy[i] + t * ey - off * ex / len;
            out->n++;
        }
    }
    for (int i = 0; i < out->n; i++) {
        double lx = out->x[i], ly = out->y[i];
        out->x[i] = lx * ca - ly * sa;
        out->y[i] = lx * sa + ly * ca;
    }
}

/* Translate local offsets to centre (cx, cy), rounding vertices to 0.01 m, into *out. */
static void place_shape(const ring8 *local, double cx, double cy, ring8 *out)
{
    out->n = local->n;
    for (int i = 0; i < local->n; i++) {
        out->x[i] = round_cm(cx + local->x[i]);
        out->y[i] = round_cm(cy + local->y[i]);
    }
}

/* Largest distance of a local shape's vertices from its origin (metres). */
static double shape_radius(const ring8 *local)
{
    double r = 0.0;
    for (int i = 0; i < local->n; i++)
        r = fmax(r, hypot(local->x[i], local->y[i]));
    return r;
}

/* Test a candidate footprint.  Returns 1 if it is valid, 8-75 ha, lies inside district d at
 * least `edge_m` from its border (d < 0: skip that test) and at least CCN_GAP_M from every
 * placed cluster other than `skip`; 0 if not; -1 on a GEOS failure. */
static int cluster_fits(gen *g, const GEOSGeometry *poly, int d, double edge_m, int skip)
{
    double a, dd;
    char v = GEOSisValid_r(g->gh, poly);
    if (v == 2)
        return -1;
    if (!v)
        return 0;
    a = area_of(g, poly);
    if (a < 0)
        return -1;
    if (a < CCN_MIN_M2 || a > CCN_MAX_M2)
        return 0;
    if (d >= 0) {
        char in = GEOSPreparedContainsProperly_r(g->gh, g->dprep[d], poly);
        if (in == 2)
            return -1;
        if (!in)
            return 0;
        if ((dd = dist_of(g, poly, g->dbnd[d])) < 0)
            return -1;
        if (dd < edge_m)
            return 0;
    }
    for (int j = 0; j < N_CCN; j++) {
        if (j == skip || !g->cl[j].geom)
            continue;
        if ((dd = dist_of(g, poly, g->cl[j].geom)) < 0)
            return -1;
        if (dd < CCN_GAP_M)
            return 0;
    }
    return 1;
}

/* Record footprint r as cluster k in district d (takes ownership of poly).
 * Returns 0 or -1. */
static int accept_cluster(gen *g, int k, int d, const ring8 *r, GEOSGeometry *poly)
{
    cluster *c = &g->cl[k];
    c->ring = *r;
    c->geom = poly;
    c->dist = d;
    c->area_ha = area_of(g, poly) / 1e4;
    if (c->area_ha < 0 || centroid_of(g, poly, &c->cx, &c->cy))
        return fail("CCN%02d: area/centroid failed", k + 1);
    return 0;
}

/* Place cluster k in district d at a random free spot (near its anchor if it has one),
 * keeping edge_m from the district border.  nextra_max bounds the extra vertices (0 gives
 * a plain quadrilateral).  Returns 0 or -1. */
static int place_normal(gen *g, int k, int d, double edge_m, int nextra_max)
{
    const ccn_spec *sp = &k_ccn[k];
    double ax = 0, ay = 0, x0, y0, x1, y1;
    int has_anchor = sp->anchor_lon != 0.0;
    ring8 local = {{0}, {0}, 0}, r;
    if (has_anchor && lonlat_to_tm(g, sp->anchor_lon, sp->anchor_lat, &ax, &ay))
        return -1;
    if (bounds_of(g, g->dgeom[d], &x0, &y0, &x1, &y1))
        return fail("district bounds failed");
    for (int attempt = 0; attempt < 20000; attempt++) {
        double cx, cy;
        GEOSGeometry *poly;
        int ok;
        if (attempt % 40 == 0) {
            double area = exp(rng_range(g, log(9e4), log(70e4)));
            if (attempt >= 10000)
                area = rng_range(g, 9e4, 25e4); /* a tight district: try smaller shapes */
            make_shape(g, area, rng_range(g, 1.0, 2.2), rng_range(g, 0.0, PI_D),
                       nextra_max ? rng_below(g, nextra_max + 1) : 0, &local);
        }
        if (has_anchor && attempt < 5000) {
            double t = rng_range(g, 0.0, 2.0 * PI_D), rr = rng_range(g, 500.0, 2500.0);
            cx = ax + rr * cos(t);
            cy = ay + rr * sin(t);
        } else {
            cx = rng_range(g, x0, x1);
            cy = rng_range(g, y0, y1);
        }
        place_shape(&local, cx, cy, &r);
        poly = poly_from_ring(g, &r);
        if (!poly)
            return fail("cannot build a polygon");
        ok = cluster_fits(g, poly, d, edge_m, -1);
        if (ok < 0) {
            GEOSGeom_destroy_r(g->gh, poly);
            return fail("GEOS failure while placing CCN%02d", k + 1);
        }
        if (ok)
            return accept_cluster(g, k, d, &r, poly);
        GEOSGeom_destroy_r(g->gh, poly);
    }
    return fail("cannot place CCN%02d in %s", k + 1, g_dist_rows[d].ten);
}

/* Longest LineString of the border shared by districts a and b, as a new geometry in *line
 * (NULL if they share no line).  Returns 0 or -1. */
static int shared_border(gen *g, int a, int b, GEOSGeometry **line)
{
    GEOSGeometry *in = NULL, *merged = NULL;
    double best = 0.0;
    int n, besti = -1;
    *line = NULL;
    in = GEOSIntersection_r(g->gh, g->dbnd[a], g->dbnd[b]);
    if (!in)
        return fail("border intersection failed");
    merged = GEOSLineMerge_r(g->gh, in);
    GEOSGeom_destroy_r(g->gh, in);
    if (!merged)
        return fail("GEOSLineMerge failed");
    n = GEOSGetNumGeometries_r(g->gh, merged);
    for (int i = 0; i < n; i++) {
        const GEOSGeometry *part = GEOSGetGeometryN_r(g->gh, merged, i);
        double len;
        if (GEOSGeomTypeId_r(g->gh, part) != GEOS_LINESTRING)
            continue;
        if (!GEOSLength_r(g->gh, part, &len)) {
            GEOSGeom_destroy_r(g->gh, merged);
            return fail("GEOSLength failed");
        }
        if (len > best) {
            best = len;
            besti = i;
        }
    }
    if (besti >= 0) {
        *line = GEOSGeom_clone_r(g->gh, GEOSGetGeometryN_r(g->gh, merged, besti));
        if (!*line) {
            GEOSGeom_destroy_r(g->gh, merged);
            return fail("clone failed");
        }
    }
    GEOSGeom_destroy_r(g->gh, merged);
    return 0;
}

/* Try to place straddler k across the border of district d (its own) and e: centred on the
 * middle of the shared border and shifted across it so that ~60 % lies in d.
 * Returns 1 if placed, 0 if this pair does not work, -1 on failure. */
static int try_straddle(gen *g, int k, int d, int e)
{
    GEOSGeometry *line = NULL, *mid = NULL, *sp = NULL, *ep = NULL;
    double len, mx, my, sx, sy, ex, ey, ux, uy, nx, ny;
    int rc = -1;
    if (shared_border(g, d, e, &line))
        return -1;
    if (!line)
        return 0;
    if (!GEOSLength_r(g->gh, line, &len)) {
        fail("GEOSLength failed");
        goto done;
    }
    if (len < 3000.0) {
        rc = 0;
        goto done;
    }
    mid = GEOSInterpolateNormalized_r(g->gh, line, 0.5);
    sp = GEOSGeomGetStartPoint_r(g->gh, line);
    ep = GEOSGeomGetEndPoint_r(g->gh, line);
    if (!mid || !sp || !ep || !GEOSGeomGetX_r(g->gh, mid, &mx) ||
        !GEOSGeomGetY_r(g->gh, mid, &my) || !GEOSGeomGetX_r(g->gh, sp, &sx) ||
        !GEOSGeomGetY_r(g->gh, sp, &sy) || !GEOSGeomGetX_r(g->gh, ep, &ex) ||
        !GEOSGeomGetY_r(g->gh, ep, &ey)) {
        fail("cannot read the shared border");
        goto done;
    }
    ux = (ex - sx) / hypot(ex - sx, ey - sy);
    uy = (ey - sy) / hypot(ex - sx, ey - sy);
    nx = -uy;
    ny = ux;
    {
        int in = district_of_xy(g, mx + 50.0 * nx, my + 50.0 * ny);
        if (in == -2) {
            fail("point-in-district test failed");
            goto done;
        }
        if (in != d) { /* make the normal point into d */
            nx = -nx;
            ny = -ny;
        }
    }
    for (int tries = 0; tries < 50; tries++) {
        ring8 local, r;
        double area = rng_range(g, 30e4, 50e4), aspect = rng_range(g, 1.2, 1.6);
        double lo, hi, f = 0.0, a, ad, ae, dd;
        GEOSGeometry *poly = NULL;
        int ok;
        /* local x runs along the border, local y (the short side) across it */
        make_shape(g, area, aspect, atan2(uy, ux), rng_below(g, 3), &local);
        hi = sqrt(area / aspect);
        lo = -hi;
        for (int it = 0; it < 40; it++) { /* share in d grows with the shift into d */
            double off = 0.5 * (lo + hi);
            place_shape(&local, mx + off * nx, my + off * ny, &r);
            if (!(poly = poly_from_ring(g, &r))) {
                fail("cannot build a polygon");
                goto done;
            }
            a = area_of(g, poly);
            ad = inter_area(g, poly, g->dgeom[d]);
            GEOSGeom_destroy_r(g->gh, poly);
            poly = NULL;
            if (a <= 0 || ad < 0) {
                fail("area failed");
                goto done;
            }
            f = ad / a;
            if (f < 0.60)
                lo = off;
            else
                hi = off;
        }
        if (!(poly = poly_from_ring(g, &r))) {
            fail("cannot build a polygon");
            goto done;
        }
        ok = cluster_fits(g, poly, -1, 0.0, -1);
        a = area_of(g, poly);
        ad = inter_area(g, poly, g->dgeom[d]);
        ae = inter_area(g, poly, g->dgeom[e]);
        dd = dist_of(g, poly, g->outline_bnd);
        if (ok < 0 || a < 0 || ad < 0 || ae < 0 || dd < 0) {
            GEOSGeom_destroy_r(g->gh, poly);
            fail("GEOS failure while placing the straddler");
            goto done;
        }
        f = ad / a;
        if (ok && f > 0.57 && f < 0.63 && (ad + ae) > 0.9999 * a && dd > CCN_EDGE_M) {
            g->straddle_other = e;
            g->straddle_frac = f;
            if (accept_cluster(g, k, d, &r, poly))
                goto done;
            rc = 1;
            goto done;
        }
        GEOSGeom_destroy_r(g->gh, poly);
    }
    rc = 0;
done:
    if (line)
        GEOSGeom_destroy_r(g->gh, line);
    if (mid)
        GEOSGeom_destroy_r(g->gh, mid);
    if (sp)
        GEOSGeom_destroy_r(g->gh, sp);
    if (ep)
        GEOSGeom_destroy_r(g->gh, ep);
    return rc;
}

/* Place the straddler (cluster k of district d) across d's longest border with another
 * cluster district.  Returns 0 or -1. */
static int place_straddler(gen *g, int k, int d)
{
    double len[N_DIST];
    int tried[N_DIST] = {0};
    for (int e = 0; e < N_DIST; e++) {
        GEOSGeometry *line;
        len[e] = 0.0;
        if (e == d || !g->used_dist[e])
            continue;
        if (shared_border(g, d, e, &line))
            return -1;
        if (line) {
            if (!GEOSLength_r(g->gh, line, &len[e])) {
                GEOSGeom_destroy_r(g->gh, line);
                return fail("GEOSLength failed");
            }
            GEOSGeom_destroy_r(g->gh, line);
        }
    }
    for (;;) { /* longest border first */
        int best = -1, r;
        for (int e = 0; e < N_DIST; e++)
            if (!tried[e] && len[e] > 0.0 && (best < 0 || len[e] > len[best]))
                best = e;
        if (best < 0)
            return fail("no border of %s can take the straddling cluster", g_dist_rows[d].ten);
        tried[best] = 1;
        r = try_straddle(g, k, d, best);
        if (r < 0)
            return -1;
        if (r)
            return 0;
    }
}

/* Place cluster b so that it overlaps cluster a (already placed, same district d) by
 * 15-40 % of the smaller footprint (target 25 %).  Returns 0 or -1. */
static int place_overlapper(gen *g, int a, int b, int d)
{
    const cluster *ca = &g->cl[a];
    double ra = 0.0;
    for (int i = 0; i < ca->ring.n; i++)
        ra = fmax(ra, hypot(ca->ring.x[i] - ca->cx, ca->ring.y[i] - ca->cy));
    for (int tries = 0; tries < 500; tries++) {
        ring8 local, r;
        double area = rng_range(g, 15e4, 45e4), th = rng_range(g, 0.0, 2.0 * PI_D);
        double lo = 0.0, hi, f = 0.0;
        GEOSGeometry *poly = NULL;
        char ov;
        int ok;
        make_shape(g, area, rng_range(g, 1.0, 2.0), rng_range(g, 0.0, PI_D), rng_below(g, 4),
                   &local);
        hi = ra + shape_radius(&local);
        for (int it = 0; it < 40; it++) { /* overlap shrinks as b moves away */
            double t = 0.5 * (lo + hi), ab, ai;
            place_shape(&local, ca->cx + t * cos(th), ca->cy + t * sin(th), &r);
            if (!(poly = poly_from_ring(g, &r)))
                return fail("cannot build a polygon");
            ab = area_of(g, poly);
            ai = inter_area(g, poly, ca->geom);
            GEOSGeom_destroy_r(g->gh, poly);
            if (ab < 0 || ai < 0)
                return fail("area failed");
            f = ai / fmin(ab, ca->area_ha * 1e4); /* share of the smaller footprint */
            if (f > 0.25)
                lo = t;
            else
                hi = t;
        }
        if (!(poly = poly_from_ring(g, &r)))
            return fail("cannot build a polygon");
        ok = cluster_fits(g, poly, d, CCN_EDGE_M, a);
        ov = GEOSOverlaps_r(g->gh, poly, ca->geom);
        if (ok < 0 || ov == 2) {
            GEOSGeom_destroy_r(g->gh, poly);
            return fail("GEOS failure while placing CCN%02d", b + 1);
        }
        if (ok && ov == 1 && f >= 0.15 && f <= 0.40) {
            g->overlap_frac = f;
            return accept_cluster(g, b, d, &r, poly);
        }
        GEOSGeom_destroy_r(g->gh, poly);
    }
    return fail("cannot place CCN%02d overlapping CCN%02d", b + 1, a + 1);
}

/* Write the WKT "POLYGON ((...))" of ring r (vertex order `order`, closed) into buf.
 * Returns 0, or -1 if buf is too small. */
static int ring_wkt(const ring8 *r, const int *order, char *buf, size_t cap)
{
    size_t used = 0;
    int w = snprintf(buf, cap, "POLYGON ((");
    if (w < 0 || (size_t)w >= cap)
        return -1;
    used = (size_t)w;
    for (int i = 0; i <= r->n; i++) {
        int v = order[i % r->n];
        w = snprintf(buf + used, cap - used, "%s%.2f %.2f", i ? ", " : "", r->x[v], r->y[v]);
        if (w < 0 || (size_t)w >= cap - used)
            return -1;
        used += (size_t)w;
    }
    w = snprintf(buf + used, cap - used, "))");
    return (w < 0 || (size_t)w >= cap - used) ? -1 : 0;
}

/* Build every cluster's output geometry and WKT (the bow-tie swaps two vertices and must be
 * reported by GEOS as a self-intersection) and its attributes.  Returns 0 or -1. */
static int finish_clusters(gen *g)
{
    GEOSWKTReader *rd = GEOSWKTReader_create_r(g->gh);
    int rc = -1;
    if (!rd)
        return fail("cannot create a WKT reader");
    for (int k = 0; k < N_CCN; k++) {
        cluster *c = &g->cl[k];
        int order[8];
        double delta;
        for (int i = 0; i < c->ring.n; i++)
            order[i] = i;
        if (k == CCN_BOWTIE) { /* p0 p1 p2 p3 -> p0 p2 p1 p3: the diagonals become sides */
            order[1] = 2;
            order[2] = 1;
        }
        if (ring_wkt(&c->ring, order, c->wkt, sizeof c->wkt)) {
            fail("CCN%02d: WKT buffer too small", k + 1);
            goto done;
        }
        c->geom_out = GEOSWKTReader_read_r(g->gh, rd, c->wkt);
        if (!c->geom_out) {
            fail("CCN%02d: cannot read back its WKT", k + 1);
            goto done;
        }
        if (k == CCN_BOWTIE) {
            char *why = GEOSisValidReason_r(g->gh, c->geom_out);
            int self = why && strncmp(why, "Self-intersection", 17) == 0;
            if (why)
                GEOSFree_r(g->gh, why);
            if (!self) {
                fail("CCN%02d: the bow-tie is not reported as a self-intersection", k + 1);
                goto done;
            }
        } else if (GEOSisValid_r(g->gh, c->geom_out) != 1) {
            fail("CCN%02d: footprint invalid after WKT round trip", k + 1);
            goto done;
        }
        /* Founding decision area: a third exactly the planar area, the rest within +-3 %. */
        delta = rng_below(g, 3) == 0 ? 0.0 : rng_range(g, -0.03, 0.03);
        c->stated_ha = floor(c->area_ha * (1.0 + delta) * 100.0 + 0.5) / 100.0;
        switch (k_ccn[k].st) {
        case ST_OPERATING:
            c->year = 2005 + rng_below(g, 12); /* 2005-2016 */
            break;
        case ST_BUILDING:
            c->year = 2017 + rng_below(g, 5); /* 2017-2021 */
            break;
        case ST_FOUNDED:
            c->year = 2019 + rng_below(g, 6); /* 2019-2024 */
            break;
        case ST_PLANNED:
            c->year = 0;
            break;
        }
    }
    rc = 0;
done:
    GEOSWKTReader_destroy_r(g->gh, rd);
    return rc;
}

/* Generate the 30 clusters: straddler first, then the overlapping pair, then the rest in
 * table order (the bow-tie as a plain quadrilateral), then their attributes.
 * Returns 0 or -1. */
static int make_clusters(gen *g)
{
    rng_seed(g, SEED_CLUSTERS);
    for (int k = 0; k < N_CCN; k++) {
        int d = district_index(k_ccn[k].ma_huyen);
        if (d < 0 || district_is_inner(d))
            return fail("CCN%02d: bad district code %s", k + 1, k_ccn[k].ma_huyen);
        g->ccn_dist[k] = d;
        g->used_dist[d] = 1;
    }
    if (place_straddler(g, CCN_STRADDLER, g->ccn_dist[CCN_STRADDLER]))
        return -1;
    if (place_normal(g, CCN_OVERLAP_A, g->ccn_dist[CCN_OVERLAP_A], 900.0, 4) ||
        place_overlapper(g, CCN_OVERLAP_A, CCN_OVERLAP_B, g->ccn_dist[CCN_OVERLAP_A]))
        return -1;
    for (int k = 0; k < N_CCN; k++) {
        if (k == CCN_STRADDLER || k == CCN_OVERLAP_A || k == CCN_OVERLAP_B)
            continue;
        if (place_normal(g, k, g->ccn_dist[k], CCN_EDGE_M, k == CCN_BOWTIE ? 0 : 4))
            return -1;
    }
    if (finish_clusters(g))
        return -1;
    {
        int nd = 0;
        for (int i = 0; i < N_DIST; i++)
            nd += g->used_dist[i];
        printf("  clusters: %d in %d districts; CCN%02d overlaps CCN%02d by %.1f %% of the "
               "smaller; CCN%02d is %.1f %% in %s, rest in %s; CCN%02d is a bow-tie\n",
               N_CCN, nd, CCN_OVERLAP_B + 1, CCN_OVERLAP_A + 1, 100.0 * g->overlap_frac,
               CCN_STRADDLER + 1, 100.0 * g->straddle_frac,
               g_dist_rows[g->ccn_dist[CCN_STRADDLER]].ten, g_dist_rows[g->straddle_other].ten,
               CCN_BOWTIE + 1);
    }
    return 0;
}

/* ------------------------------------------------------------------------------------- */
/* Villages                                                                              */
/* ------------------------------------------------------------------------------------- */

/* Distance in metres from (x, y) to the nearest cluster as written (bow-tie included) in
 * *dmin.  Returns 0 or -1. */
static int nearest_cluster(gen *g, double x, double y, double *dmin)
{
    GEOSGeometry *p = GEOSGeom_createPointFromXY_r(g->gh, x, y);
    if (!p)
        return fail("cannot create a point");
    *dmin = HUGE_VAL;
    for (int k = 0; k < N_CCN; k++) {
        double d = dist_of(g, p, g->cl[k].geom_out);
        if (d < 0) {
            GEOSGeom_destroy_r(g->gh, p);
            return fail("distance failed");
        }
        *dmin = fmin(*dmin, d);
    }
    GEOSGeom_destroy_r(g->gh, p);
    return 0;
}

/* 1 if (x, y) is at least LN_SPACING_M from villages 0..n-1, else 0. */
static int village_spaced(const gen *g, int n, double x, double y)
{
    for (int i = 0; i < n; i++)
        if (hypot(g->vl[i].x - x, g->vl[i].y - y) < LN_SPACING_M)
            return 0;
    return 1;
}

/* 1 if `place` (a generated commune name) is already used by villages 0..n-1 or by a
 * famous village, else 0. */
static int place_used(const gen *g, int n, const char *place)
{
    for (int i = 0; i < N_FAMOUS; i++)
        if (strcmp(k_famous[i].place, place) == 0)
            return 1;
    for (int i = N_FAMOUS; i < n; i++) {
        const char *tail = strrchr(g->vl[i].ten, '\0');
        size_t lp = strlen(place), lt = strlen(g->vl[i].ten);
        if (lt > lp && strcmp(tail - lp, place) == 0 && g->vl[i].ten[lt - lp - 1] == ' ')
            return 1;
    }
    return 0;
}

/* Village placement modes. */
enum { LN_INSIDE, LN_NEAR, LN_SCATTER };

/* Place generated village i by `mode`: inside a (valid, ordinary) cluster, 0.3-4 km from
 * the nearest cluster, or uniformly in the outline; all at least LN_SPACING_M apart.
 * Fills vl[i].x, .y.  Returns 0 or -1. */
static int place_village(gen *g, int i, int mode)
{
    village *v = &g->vl[i];
    for (int tries = 0; tries < 200000; tries++) {
        double x, y, dmin;
        if (mode == LN_SCATTER) {
            if (random_in_outline(g, &x, &y))
                return -1;
        } else if (mode == LN_INSIDE) {
            int k = rng_below(g, N_CCN);
            const cluster *c = &g->cl[k];
            double x0, y0, x1, y1, db;
            GEOSGeometry *p;
            char in;
            if (k == CCN_BOWTIE || k == CCN_STRADDLER || k == CCN_OVERLAP_A ||
                k == CCN_OVERLAP_B)
                continue;
            if (bounds_of(g, c->geom, &x0, &y0, &x1, &y1))
                return fail("bounds failed");
            x = rng_range(g, x0, x1);
            y = rng_range(g, y0, y1);
            if (!(p = GEOSGeom_createPointFromXY_r(g->gh, x, y)))
                return fail("cannot create a point");
            in = GEOSContains_r(g->gh, c->geom, p);
            db = in == 1 ? 0.0 : -1.0;
            if (in == 1) {
                GEOSGeometry *b = GEOSBoundary_r(g->gh, c->geom);
                db = b ? dist_of(g, p, b) : -1.0;
                if (b)
                    GEOSGeom_destroy_r(g->gh, b);
                if (db < 0) {
                    GEOSGeom_destroy_r(g->gh, p);
                    return fail("distance failed");
                }
            }
            GEOSGeom_destroy_r(g->gh, p);
            if (in == 2)
                return fail("point-in-cluster test failed");
            if (in != 1 || db < 40.0)
                continue;
        } else {
            int k = rng_below(g, N_CCN), in;
            double t = rng_range(g, 0.0, 2.0 * PI_D), r = rng_range(g, 300.0, 5000.0);
            x = g->cl[k].cx + r * cos(t);
            y = g->cl[k].cy + r * sin(t);
            if ((in = in_outline(g, x, y)) < 0)
                return fail("point-in-outline test failed");
            if (!in)
                continue;
            if (nearest_cluster(g, x, y, &dmin))
                return -1;
            if (dmin < 300.0 || dmin > 4000.0)
                continue;
        }
        if (!village_spaced(g, i, x, y))
            continue;
        v->x = x;
        v->y = y;
        return 0;
    }
    return fail("cannot place village LN%03d", i + 1);
}

/* Generate the 150 villages: the famous ones at their approximate real places, then the
 * generated ones (modes shuffled) with unique names; district, year and lon/lat for all.
 * Returns 0 or -1. */
static int make_villages(gen *g)
{
    int mode[N_LN], n_in = 0, n_near = 0, n_far = 0, n_null = 0;
    rng_seed(g, SEED_VILLAGES);
    for (int i = 0; i < N_LN; i++)
        mode[i] = i < N_FAMOUS                          ? -1
                  : i < N_FAMOUS + N_LN_INSIDE             ? LN_INSIDE
                  : i < N_FAMOUS + N_LN_INSIDE + N_LN_NEAR ? LN_NEAR
                                                           : LN_SCATTER;
    for (int i = N_LN - 1; i > N_FAMOUS; i--) { /* Fisher-Yates over the generated ones */
        int j = N_FAMOUS + rng_below(g, i - N_FAMOUS + 1), t = mode[i];
        mode[i] = mode[j];
        mode[j] = t;
    }
    for (int i = 0; i < N_LN; i++) {
        village *v = &g->vl[i];
        if (i < N_FAMOUS) {
            const famous_village *f = &k_famous[i];
            if (lonlat_to_tm(g, f->lon, f->lat, &v->x, &v->y))
                return -1;
            if (in_outline(g, v->x, v->y) != 1)
                return fail("%s lies outside the outline", f->ten);
            snprintf(v->ten, sizeof v->ten, "%s", f->ten);
            v->nghe = f->nghe;
            v->year = 2000 + rng_below(g, 11); /* recognised early: 2000-2010 */
        } else {
            const craft *cr = &k_crafts[rng_below(g, N_CRAFTS)];
            char place[64];
            if (place_village(g, i, mode[i]))
                return -1;
            do {
                snprintf(place, sizeof place, "%s %s", k_syl1[rng_below(g, N_SYL1)],
                         k_syl2[rng_below(g, N_SYL2)]);
            } while (place_used(g, i, place));
            snprintf(v->ten, sizeof v->ten, "Làng %s %s", cr->label, place);
            v->nghe = cr->nghe;
            v->year = rng_u01(g) < 0.2 ? 0 : 2000 + rng_below(g, 23); /* 2000-2022 */
        }
        v->dist = district_of_xy(g, v->x, v->y);
        if (v->dist < 0)
            return fail("village %s: no district", v->ten);
        {
            double lon = v->x, lat = v->y;
            if (!tm_to_lonlat_cb(&lon, &lat, g->pj))
                return fail("PROJ: cannot transform village %s", v->ten);
            v->lon = lon;
            v->lat = lat;
        }
    }
    for (int i = 0; i < N_LN; i++) {
        double d;
        if (nearest_cluster(g, g->vl[i].x, g->vl[i].y, &d))
            return -1;
        n_in += d == 0.0;
        n_near += d >= 300.0 && d <= 4000.0;
        n_far += d > 5000.0;
        n_null += g->vl[i].year == 0;
    }
    printf("  villages: %d; inside a cluster %d, 0.3-4 km from one %d (%.0f %%), "
           "> 5 km from all %d; not recognised %d\n",
           N_LN, n_in, n_near, 100.0 * n_near / N_LN, n_far, n_null);
    if (n_in < 2)
        return fail("fewer than 2 villages inside a cluster");
    return 0;
}

/* ------------------------------------------------------------------------------------- */
/* Land use                                                                              */
/* ------------------------------------------------------------------------------------- */

/* Build the plan zone of every non-violator cluster (in table order): its valid footprint
 * scaled by 0.85-1.05 about the centroid, shifted 15-60 m, clipped to the outline, minus
 * the zones built before it.  Fills g->zone[].  Returns 0 or -1. */
static int make_zones(gen *g)
{
    for (int k = 0; k < N_CCN; k++) {
        const cluster *c = &g->cl[k];
        double s = rng_range(g, 0.85, 1.05), t = rng_range(g, 0.0, 2.0 * PI_D);
        double sh = rng_range(g, 15.0, 60.0), x[8], y[8];
        GEOSGeometry *z, *tmp;
        if (k_ccn[k].zone[0] == '\0')
            continue;
        for (int i = 0; i < c->ring.n; i++) {
            x[i] = round_cm(c->cx + s * (c->ring.x[i] - c->cx) + sh * cos(t));
            y[i] = round_cm(c->cy + s * (c->ring.y[i] - c->cy) + sh * sin(t));
        }
        if (!(z = poly_from_xy(g, x, y, c->ring.n)))
            return fail("cannot build zone of CCN%02d", k + 1);
        if (ensure_valid(g, &z, "plan zone")) {
            GEOSGeom_destroy_r(g->gh, z);
            return -1;
        }
        tmp = GEOSIntersection_r(g->gh, z, g->outline);
        GEOSGeom_destroy_r(g->gh, z);
        if (!tmp)
            return fail("clipping zone of CCN%02d failed", k + 1);
        z = tmp;
        for (int j = 0; j < k; j++) {
            char hit;
            if (!g->zone[j])
                continue;
            hit = GEOSIntersects_r(g->gh, z, g->zone[j]);
            if (hit == 2) {
                GEOSGeom_destroy_r(g->gh, z);
                return fail("intersects test failed");
            }
            if (!hit)
                continue;
            tmp = GEOSDifference_r(g->gh, z, g->zone[j]);
            GEOSGeom_destroy_r(g->gh, z);
            if (!tmp)
                return fail("subtracting zones failed");
            z = tmp;
        }
        {
            int err;
            z = polygonal_part(g, z, &err);
            if (err || !z)
                return fail("zone of CCN%02d is empty", k + 1);
        }
        if (ensure_valid(g, &z, "plan zone")) {
            GEOSGeom_destroy_r(g->gh, z);
            return -1;
        }
        g->zone[k] = z;
    }
    return 0;
}

/* Code of the plan zone of cluster k (LU_SKN, LU_SKC or LU_SKK). */
static int zone_code(int k)
{
    if (strcmp(k_ccn[k].zone, "SKC") == 0)
        return LU_SKC;
    if (strcmp(k_ccn[k].zone, "SKK") == 0)
        return LU_SKK;
    return LU_SKN;
}

/* Draw the land-use seeds: N_LU_NEAR within LU_NEAR_M of a random cluster centre, the rest
 * uniform in the outline, all at least 5 m apart.  Fills sx/sy[0..N_LU_SEEDS).
 * Returns 0 or -1. */
static int make_lu_seeds(gen *g, double *sx, double *sy)
{
    for (int i = 0; i < N_LU_SEEDS; i++) {
        for (int tries = 0;; tries++) {
            double x, y;
            int in = 1, ok = 1;
            if (tries > 100000)
                return fail("cannot draw land-use seed %d", i);
            if (i < N_LU_NEAR) {
                const cluster *c = &g->cl[rng_below(g, N_CCN)];
                double r = LU_NEAR_M * sqrt(rng_u01(g)), t = rng_range(g, 0.0, 2.0 * PI_D);
                x = c->cx + r * cos(t);
                y = c->cy + r * sin(t);
                if ((in = in_outline(g, x, y)) < 0)
                    return fail("point-in-outline test failed");
            } else if (random_in_outline(g, &x, &y)) {
                return -1;
            }
            if (!in)
                continue;
            for (int j = 0; j < i && ok; j++)
                ok = hypot(sx[j] - x, sy[j] - y) >= 5.0;
            if (!ok)
                continue;
            sx[i] = x;
            sy[i] = y;
            break;
        }
    }
    return 0;
}

/* Choose the code of the cell of seed (x, y) whose geometry is `cell`: forced to LUA/ONT
 * where it touches a violator; else drawn by the near/far weights.  Returns the code, or
 * -1 on failure. */
static int cell_code(gen *g, double x, double y, const GEOSGeometry *cell)
{
    double dmin = HUGE_VAL, dc = HUGE_VAL;
    int nearest_d = 0;
    for (int k = 0; k < N_CCN; k++) {
        if (k_ccn[k].zone[0] == '\0') {
            char hit = GEOSIntersects_r(g->gh, cell, g->cl[k].geom);
            if (hit == 2)
                return -1;
            if (hit)
                return rng_weighted(g, k_w_violator);
        }
        dmin = fmin(dmin, hypot(g->cl[k].cx - x, g->cl[k].cy - y));
    }
    if (dmin <= LU_NEAR_M)
        return rng_weighted(g, k_w_near);
    for (int i = 0; i < N_DIST; i++) {
        double d = hypot(g->dcx[i] - x, g->dcy[i] - y);
        if (d < dc) {
            dc = d;
            nearest_d = i;
        }
    }
    if (strcmp(g_dist_rows[nearest_d].loai, "Quận") == 0)
        return rng_weighted(g, k_w_far_urban);
    return rng_weighted(g, district_is_hilly(nearest_d) ? k_w_far_hilly : k_w_far);
}

/* Build the land-use partition: coded Voronoi cells of the seeds minus the union of the
 * plan zones, plus the zones themselves.  Fills g->lu/g->n_lu.  Returns 0 or -1. */
static int make_landuse(gen *g)
{
    int rc = -1;
    double *sx = malloc(N_LU_SEEDS * sizeof *sx), *sy = malloc(N_LU_SEEDS * sizeof *sy);
    GEOSGeometry **cells = calloc(N_LU_SEEDS, sizeof *cells), **zs = NULL, *zunion = NULL,
                 **all = NULL;
    const GEOSPreparedGeometry *zprep = NULL;
    size_t nz = 0, ndropped = 0;
    rng_seed(g, SEED_LANDUSE);
    g->lu = calloc(N_LU_SEEDS + N_CCN, sizeof *g->lu);
    zs = calloc(N_CCN, sizeof *zs);
    if (!sx || !sy || !cells || !g->lu || !zs) {
        fail("out of memory");
        goto done;
    }
    if (make_lu_seeds(g, sx, sy) || voronoi_partition(g, sx, sy, N_LU_SEEDS, cells) ||
        make_zones(g))
        goto done;
    for (int k = 0; k < N_CCN; k++)
        if (g->zone[k] && !(zs[nz++] = GEOSGeom_clone_r(g->gh, g->zone[k]))) {
            fail("clone failed");
            goto done;
        }
    {
        GEOSGeometry *coll = GEOSGeom_createCollection_r(g->gh, GEOS_GEOMETRYCOLLECTION, zs,
                                                         (unsigned)nz);
        nz = 0; /* now owned by coll */
        if (!coll) {
            fail("cannot collect the zones");
            goto done;
        }
        zunion = GEOSUnaryUnion_r(g->gh, coll);
        GEOSGeom_destroy_r(g->gh, coll);
        if (!zunion || !(zprep = GEOSPrepare_r(g->gh, zunion))) {
            fail("cannot union the zones");
            goto done;
        }
    }
    for (int i = 0; i < N_LU_SEEDS; i++) {
        int code = cell_code(g, sx[i], sy[i], cells[i]), err;
        char hit;
        GEOSGeometry *geom = cells[i];
        cells[i] = NULL;
        if (code < 0) {
            GEOSGeom_destroy_r(g->gh, geom);
            fail("cannot choose a land-use code");
            goto done;
        }
        hit = GEOSPreparedIntersects_r(g->gh, zprep, geom);
        if (hit == 2) {
            GEOSGeom_destroy_r(g->gh, geom);
            fail("intersects test failed");
            goto done;
        }
        if (hit) {
            GEOSGeometry *d = GEOSDifference_r(g->gh, geom, zunion);
            GEOSGeom_destroy_r(g->gh, geom);
            if (!d) {
                fail("GEOSDifference failed");
                goto done;
            }
            geom = polygonal_part(g, d, &err);
            if (err) {
                fail("cannot extract polygons");
                goto done;
            }
            if (!geom) {
                ndropped++;
                continue;
            }
        }
        if (ensure_valid(g, &geom, "land-use cell")) {
            GEOSGeom_destroy_r(g->gh, geom);
            goto done;
        }
        g->lu[g->n_lu].geom = geom;
        g->lu[g->n_lu].code = code;
        g->n_lu++;
    }
    for (int k = 0; k < N_CCN; k++) {
        if (!g->zone[k])
            continue;
        if (!(g->lu[g->n_lu].geom = GEOSGeom_clone_r(g->gh, g->zone[k]))) {
            fail("clone failed");
            goto done;
        }
        g->lu[g->n_lu].code = zone_code(k);
        g->n_lu++;
    }
    all = malloc(g->n_lu * sizeof *all);
    if (!all) {
        fail("out of memory");
        goto done;
    }
    for (size_t i = 0; i < g->n_lu; i++)
        all[i] = g->lu[i].geom;
    printf("  landuse: %zu features (%zu cells emptied by the plan zones and dropped)\n",
           g->n_lu, ndropped);
    if (check_partition(g, all, g->n_lu, "landuse"))
        goto done;
    rc = 0;
done:
    free(all);
    if (zprep)
        GEOSPreparedGeom_destroy_r(g->gh, zprep);
    if (zunion)
        GEOSGeom_destroy_r(g->gh, zunion);
    for (size_t i = 0; i < nz; i++)
        if (zs[i])
            GEOSGeom_destroy_r(g->gh, zs[i]);
    free(zs);
    if (cells)
        for (int i = 0; i < N_LU_SEEDS; i++)
            if (cells[i])
                GEOSGeom_destroy_r(g->gh, cells[i]);
    free(cells);
    free(sx);
    free(sy);
    return rc;
}

/* Print, for every cluster, the share of its footprint on its own plan zone and on
 * rice/residential land (LUA, ONT, ODT).  Returns 0 or -1. */
static int report_cluster_landuse(gen *g)
{
    printf("  cluster footprint on land use (own zone / LUA+ONT+ODT):");
    for (int k = 0; k < N_CCN; k++) {
        const cluster *c = &g->cl[k];
        const GEOSPreparedGeometry *pp = GEOSPrepare_r(g->gh, c->geom);
        double a = c->area_ha * 1e4, own = 0.0, res = 0.0;
        if (!pp)
            return fail("prepare failed");
        for (size_t i = 0; i < g->n_lu; i++) {
            int code = g->lu[i].code;
            double ia;
            char hit;
            if (code != LU_LUA && code != LU_ONT && code != LU_ODT)
                continue;
            hit = GEOSPreparedIntersects_r(g->gh, pp, g->lu[i].geom);
            if (hit == 2 || (hit && (ia = inter_area(g, c->geom, g->lu[i].geom)) < 0)) {
                GEOSPreparedGeom_destroy_r(g->gh, pp);
                return fail("intersection failed");
            }
            if (hit)
                res += ia;
        }
        if (g->zone[k]) {
            double ia = inter_area(g, c->geom, g->zone[k]);
            if (ia < 0) {
                GEOSPreparedGeom_destroy_r(g->gh, pp);
                return fail("intersection failed");
            }
            own = ia;
        }
        GEOSPreparedGeom_destroy_r(g->gh, pp);
        printf("%s CCN%02d %.0f/%.0f", k % 6 ? "," : "\n   ", k + 1, 100.0 * own / a,
               100.0 * res / a);
    }
    printf(" (%%)\n");
    return 0;
}

/* ------------------------------------------------------------------------------------- */
/* Programme fields of today's clusters                                                  */
/* ------------------------------------------------------------------------------------- */

/* 1 if cluster k is listed in k_no_1500, else 0. */
static int lacks_1500(int k)
{
    for (size_t i = 0; i < sizeof k_no_1500 / sizeof k_no_1500[0]; i++)
        if (k_no_1500[i] == k)
            return 1;
    return 0;
}

/* Spread `total` over the n weights w[] as non-negative integers summing to exactly total
 * (largest remainder), into out[]. */
static void apportion(const double *w, int n, int total, int *out)
{
    double sum = 0.0, rem[N_CCN];
    int given = 0;
    for (int i = 0; i < n; i++)
        sum += w[i];
    for (int i = 0; i < n; i++) {
        double q = sum > 0.0 ? total * w[i] / sum : 0.0;
        out[i] = (int)floor(q);
        rem[i] = q - out[i];
        given += out[i];
    }
    while (given < total) { /* one more to the largest remainder, first one on ties */
        int best = 0;
        for (int i = 1; i < n; i++)
            if (rem[i] > rem[best])
                best = i;
        out[best]++;
        rem[best] = -1.0;
        given++;
    }
}

/* Give every cluster its programme fields (nam_kc, qh_1500, gpmb_pct, so_dn, lao_dong):
 *   operating: construction 0-2 years after nam_tl, 1/500 plan approved in the year set up
 *     or the next (CCN19 never had one), site cleared 100 %, enterprises and workers
 *     (SO_DN_TOTAL and LAO_DONG_TOTAL spread by area);
 *   under construction: construction 1-2 years after nam_tl (by 2022), plan approved,
 *     clearance 70-95 %;
 *   founded: not started (NULL), plan approved for some, clearance 0-60 %;
 *   planned: nothing started, no plan, clearance 0.
 * The 1/500 date is written as "YYYY-MM-DD", "MM/YYYY" or "YYYY" in turn, as real records
 * mix them.  Prints the totals and the lists tests rely on.  Returns 0 or -1. */
static int make_programme(gen *g)
{
    double w_dn[N_CCN], w_ld[N_CCN];
    int op[N_CCN], n_op = 0, dn[N_CCN], ld[N_CCN], form = 0, sum_dn = 0, sum_ld = 0;
    rng_seed(g, SEED_PROGRAMME);
    for (int k = 0; k < N_CCN; k++) {
        cluster *c = &g->cl[k];
        int y_plan = 0;
        switch (k_ccn[k].st) {
        case ST_OPERATING:
            g->nam_kc[k] = c->year + rng_below(g, 3);
            y_plan = c->year + rng_below(g, 2);
            if (y_plan > g->nam_kc[k])
                y_plan = g->nam_kc[k];
            g->gpmb_pct[k] = 100.0;
            op[n_op] = k;
            w_dn[n_op] = c->area_ha * rng_range(g, 0.6, 1.4);
            w_ld[n_op] = rng_range(g, 12.0, 26.0); /* workers per enterprise */
            n_op++;
            break;
        case ST_BUILDING:
            g->nam_kc[k] = c->year + 1 + rng_below(g, 2);
            if (g->nam_kc[k] > 2022)
                g->nam_kc[k] = 2022;
            y_plan = c->year;
            g->gpmb_pct[k] = floor(rng_range(g, 70.0, 95.0) * 10.0 + 0.5) / 10.0;
            break;
        case ST_FOUNDED:
            g->nam_kc[k] = 0;
            y_plan = c->year + 1 <= 2024 ? c->year + 1 : c->year;
            g->gpmb_pct[k] = floor(rng_range(g, 0.0, 60.0) * 10.0 + 0.5) / 10.0;
            break;
        case ST_PLANNED:
            g->nam_kc[k] = 0;
            g->gpmb_pct[k] = 0.0;
            break;
        }
        if (k_ccn[k].st == ST_FOUNDED && lacks_1500(k))
            g->gpmb_pct[k] = 0.0; /* no detailed plan: no clearance either */
        g->qh_1500[k][0] = '\0';
        if (y_plan && !lacks_1500(k)) {
            int mm = 1 + rng_below(g, 12), dd = 1 + rng_below(g, 28);
            switch (form++ % 3) {
            case 0:
                snprintf(g->qh_1500[k], sizeof g->qh_1500[k], "%04d-%02d-%02d", y_plan, mm, dd);
                break;
            case 1:
                snprintf(g->qh_1500[k], sizeof g->qh_1500[k], "%02d/%04d", mm, y_plan);
                break;
            default:
                snprintf(g->qh_1500[k], sizeof g->qh_1500[k], "%04d", y_plan);
                break;
            }
        }
    }
    apportion(w_dn, n_op, SO_DN_TOTAL, dn);
    for (int i = 0; i < n_op; i++) {
        if (dn[i] < 1)
            return fail("CCN%02d: no enterprise", op[i] + 1);
        w_ld[i] *= dn[i];
    }
    apportion(w_ld, n_op, LAO_DONG_TOTAL, ld);
    for (int i = 0; i < n_op; i++) {
        g->so_dn[op[i]] = dn[i];
        g->lao_dong[op[i]] = ld[i];
        sum_dn += dn[i];
        sum_ld += ld[i];
    }
    printf("  programme: %d operating clusters: %d enterprises, %d workers; set up 2018-2020 "
           "and not started:",
           n_op, sum_dn, sum_ld);
    for (int k = 0; k < N_CCN; k++)
        if (g->cl[k].year >= 2018 && g->cl[k].year <= 2020 && g->nam_kc[k] == 0)
            printf(" CCN%02d", k + 1);
    printf("; no 1/500 plan:");
    for (int k = 0; k < N_CCN; k++)
        if (!g->qh_1500[k][0])
            printf(" CCN%02d", k + 1);
    printf("\n");
    return 0;
}

/* ------------------------------------------------------------------------------------- */
/* The 2030 plan                                                                         */
/* ------------------------------------------------------------------------------------- */

/* Area in m² of geom as a GIS would measure it after repair: the planar area if valid,
 * else that of GEOSMakeValid's result (CCN21's bow-tie).  -1 on failure. */
static double repaired_area(gen *g, const GEOSGeometry *geom)
{
    char v = GEOSisValid_r(g->gh, geom);
    GEOSGeometry *mv;
    double a;
    if (v == 1)
        return area_of(g, geom);
    if (v != 0 || !(mv = GEOSMakeValid_r(g->gh, geom)))
        return -1.0;
    a = area_of(g, mv);
    GEOSGeom_destroy_r(g->gh, mv);
    return a;
}

/* New polygon from the exterior ring of polygon `geom` with every vertex rounded to 1 cm
 * (repeated vertices dropped).  Returns it, or NULL if geom is not a hole-free Polygon of
 * at most 64 vertices or GEOS fails. */
static GEOSGeometry *round_polygon(gen *g, const GEOSGeometry *geom)
{
    const GEOSGeometry *ring;
    const GEOSCoordSequence *cs;
    double x[64], y[64];
    unsigned n = 0;
    int m = 0;
    if (GEOSGeomTypeId_r(g->gh, geom) != GEOS_POLYGON ||
        GEOSGetNumInteriorRings_r(g->gh, geom) != 0 ||
        !(ring = GEOSGetExteriorRing_r(g->gh, geom)) ||
        !(cs = GEOSGeom_getCoordSeq_r(g->gh, ring)) || !GEOSCoordSeq_getSize_r(g->gh, cs, &n) ||
        n < 4 || n > 65)
        return NULL;
    for (unsigned i = 0; i + 1 < n; i++) { /* the closing vertex is implied */
        double px, py;
        if (!GEOSCoordSeq_getXY_r(g->gh, cs, i, &px, &py))
            return NULL;
        px = round_cm(px);
        py = round_cm(py);
        if (m && px == x[m - 1] && py == y[m - 1])
            continue;
        x[m] = px;
        y[m] = py;
        m++;
    }
    if (m > 1 && x[m - 1] == x[0] && y[m - 1] == y[0])
        m--;
    return m >= 3 ? poly_from_xy(g, x, y, m) : NULL;
}

/* Convex hull of a and b as a new geometry (its vertices are theirs), or NULL. */
static GEOSGeometry *hull_of_two(gen *g, const GEOSGeometry *a, const GEOSGeometry *b)
{
    GEOSGeometry *parts[2] = {GEOSGeom_clone_r(g->gh, a), GEOSGeom_clone_r(g->gh, b)}, *coll,
                 *hull;
    if (!parts[0] || !parts[1]) {
        if (parts[0])
            GEOSGeom_destroy_r(g->gh, parts[0]);
        if (parts[1])
            GEOSGeom_destroy_r(g->gh, parts[1]);
        return NULL;
    }
    coll = GEOSGeom_createCollection_r(g->gh, GEOS_GEOMETRYCOLLECTION, parts, 2);
    if (!coll)
        return NULL;
    hull = GEOSConvexHull_r(g->gh, coll);
    GEOSGeom_destroy_r(g->gh, coll);
    return hull;
}

/* Test a candidate planned footprint.  Returns 1 if it is valid, 8 ha to PLAN_MAX_M2, lies in
 * district d at least CCN_EDGE_M from its border (d < 0: skip), at least CCN_GAP_M from
 * every current cluster except skip_a/skip_b (-1: none) and from every planned one placed
 * so far, and no village is within RADIUS_MARGIN_M of NEAR_RADIUS_M from it (so that
 * planar and geodesic distances agree on "within 2 km"); 0 if not; -1 on a GEOS failure. */
static int plan_fits(gen *g, const GEOSGeometry *poly, int d, int skip_a, int skip_b)
{
    double a, dd;
    char v = GEOSisValid_r(g->gh, poly);
    if (v == 2)
        return -1;
    if (!v || GEOSGeomTypeId_r(g->gh, poly) != GEOS_POLYGON)
        return 0;
    if ((a = area_of(g, poly)) < 0)
        return -1;
    if (a < CCN_MIN_M2 || a > PLAN_MAX_M2)
        return 0;
    if (d >= 0) {
        char in = GEOSPreparedContainsProperly_r(g->gh, g->dprep[d], poly);
        if (in == 2)
            return -1;
        if (!in)
            return 0;
        if ((dd = dist_of(g, poly, g->dbnd[d])) < 0)
            return -1;
        if (dd < CCN_EDGE_M)
            return 0;
    }
    for (int j = 0; j < N_CCN; j++) {
        if (j == skip_a || j == skip_b)
            continue;
        if ((dd = dist_of(g, poly, g->cl[j].geom)) < 0)
            return -1;
        if (dd < CCN_GAP_M)
            return 0;
    }
    for (int j = 0; j < g->n_plan; j++) {
        if (!g->pl[j].geom)
            continue;
        if ((dd = dist_of(g, poly, g->pl[j].geom)) < 0)
            return -1;
        if (dd < CCN_GAP_M)
            return 0;
    }
    for (int i = 0; i < N_LN; i++) {
        if ((dd = dist_of(g, poly, g->vpt[i])) < 0)
            return -1;
        if (fabs(dd - NEAR_RADIUS_M) < RADIUS_MARGIN_M) {
            return 0;
        }
    }
    return 1;
}

/* Copy the place-name part of village i (the last two words of its name) into buf. */
static void village_place(const gen *g, int i, char *buf, size_t cap)
{
    const char *ten = g->vl[i].ten, *p = strrchr(ten, ' ');
    if (i < N_FAMOUS) {
        snprintf(buf, cap, "%s", k_famous[i].place);
        return;
    }
    while (p && p > ten && p[-1] != ' ')
        p--;
    snprintf(buf, cap, "%s", p && p > ten ? p - 1 : ten);
    if (buf[0] == ' ')
        memmove(buf, buf + 1, strlen(buf));
}

/* 1 if `ten` is already the name of a current or planned cluster, else 0. */
static int cluster_name_used(const gen *g, const char *ten)
{
    for (int k = 0; k < N_CCN; k++)
        if (strcmp(k_ccn[k].ten, ten) == 0)
            return 1;
    for (int j = 0; j < g->n_plan; j++)
        if (strcmp(g->pl[j].ten, ten) == 0)
            return 1;
    return 0;
}

/* Append a planned cluster taken from today's cluster k (geometry set later, except for
 * unchanged ones).  Returns its slot, or -1. */
static int plan_add_kept(gen *g, int k, const char *id, plan_change ch)
{
    plan_cluster *p;
    if (g->n_plan >= N_PLAN_MAX)
        return fail("too many planned clusters");
    p = &g->pl[g->n_plan];
    snprintf(p->id, sizeof p->id, "%s", id);
    snprintf(p->ten, sizeof p->ten, "%s", k_ccn[k].ten);
    p->st = k_ccn[k].st;
    p->dist = g->cl[k].dist;
    p->src = k;
    p->change = ch;
    p->anchor = -1;
    if (ch == PC_UNCHANGED) {
        p->wkt = g->cl[k].wkt;
        if (!(p->geom = GEOSGeom_clone_r(g->gh, g->cl[k].geom)))
            return fail("clone failed");
    }
    return g->n_plan++;
}

/* Planned CCN07: the convex hull of CCN07 and CCN08 (one cluster filling the gap).
 * Returns 0 or -1. */
static int plan_merge(gen *g, int slot)
{
    GEOSGeometry *h = hull_of_two(g, g->cl[CCN_OVERLAP_A].geom, g->cl[CCN_OVERLAP_B].geom);
    int ok;
    if (!h)
        return fail("hull of CCN07 and CCN08 failed");
    ok = plan_fits(g, h, g->cl[CCN_OVERLAP_A].dist, CCN_OVERLAP_A, CCN_OVERLAP_B);
    if (ok != 1) {
        GEOSGeom_destroy_r(g->gh, h);
        return fail("the merged CCN07 does not fit (%d)", ok);
    }
    g->pl[slot].geom = h;
    return 0;
}

/* Planned CCN05A/CCN05B: today's CCN05 cut across its longest side through the centroid,
 * a 30 m strip (a road) left between the halves; CCN05B is then scaled by 1.2 about the
 * centroid, so it grows outwards only.  Returns 0 or -1. */
static int plan_split(gen *g, int slot_a, int slot_b)
{
    const cluster *c = &g->cl[CCN_SPLIT];
    double ux = 0.0, uy = 0.0, best = -1.0, big = 5000.0;
    GEOSGeometry *half[2] = {NULL, NULL};
    int rc = -1;
    for (int i = 0; i < c->ring.n; i++) { /* direction of the longest side */
        int j = (i + 1) % c->ring.n;
        double ex = c->ring.x[j] - c->ring.x[i], ey = c->ring.y[j] - c->ring.y[i];
        if (hypot(ex, ey) > best) {
            best = hypot(ex, ey);
            ux = ex / best;
            uy = ey / best;
        }
    }
    for (int s = 0; s < 2; s++) {
        /* half-plane s as a large rectangle: (p - c).u <= -15 m (s = 0) or >= 15 m (s = 1);
         * corner v is c + along * u + across * n, n the normal of u */
        double sg = s ? 1.0 : -1.0, x[4], y[4];
        static const double along_k[4] = {0, 1, 1, 0}, across_k[4] = {-1, -1, 1, 1};
        GEOSGeometry *box, *cut, *r;
        for (int v = 0; v < 4; v++) {
            double along = sg * (along_k[v] ? big : 15.0), across = across_k[v] * big;
            x[v] = c->cx + along * ux - across * uy;
            y[v] = c->cy + along * uy + across * ux;
        }
        if (!(box = poly_from_xy(g, x, y, 4)))
            goto done;
        cut = GEOSIntersection_r(g->gh, c->geom, box);
        GEOSGeom_destroy_r(g->gh, box);
        if (!cut)
            goto done;
        r = round_polygon(g, cut);
        GEOSGeom_destroy_r(g->gh, cut);
        if (!r) {
            fail("CCN%02d: a half is not a simple polygon", CCN_SPLIT + 1);
            goto done;
        }
        half[s] = r;
    }
    { /* scale half 1 by 1.2 about the centroid: it stays on its side of the cut */
        const GEOSGeometry *ring = GEOSGetExteriorRing_r(g->gh, half[1]);
        const GEOSCoordSequence *cs = ring ? GEOSGeom_getCoordSeq_r(g->gh, ring) : NULL;
        double x[64], y[64];
        unsigned n = 0;
        GEOSGeometry *r;
        if (!cs || !GEOSCoordSeq_getSize_r(g->gh, cs, &n) || n < 4 || n > 65)
            goto done;
        for (unsigned i = 0; i + 1 < n; i++) {
            double px, py;
            if (!GEOSCoordSeq_getXY_r(g->gh, cs, i, &px, &py))
                goto done;
            x[i] = round_cm(c->cx + 1.2 * (px - c->cx));
            y[i] = round_cm(c->cy + 1.2 * (py - c->cy));
        }
        if (!(r = poly_from_xy(g, x, y, (int)n - 1)))
            goto done;
        GEOSGeom_destroy_r(g->gh, half[1]);
        half[1] = r;
    }
    for (int s = 0; s < 2; s++) { /* both checked before either is set: 30 m apart */
        int ok = plan_fits(g, half[s], c->dist, CCN_SPLIT, -1);
        if (ok != 1) {
            fail("CCN%02d%c does not fit (%d)", CCN_SPLIT + 1, 'A' + s, ok);
            goto done;
        }
    }
    g->pl[slot_a].geom = half[0];
    g->pl[slot_b].geom = half[1];
    half[0] = half[1] = NULL;
    rc = 0;
done:
    if (rc)
        fail("splitting CCN%02d failed", CCN_SPLIT + 1);
    for (int s = 0; s < 2; s++)
        if (half[s])
            GEOSGeom_destroy_r(g->gh, half[s]);
    return rc;
}

/* Planned CCN27: today's footprint scaled about its centroid to 62-70 % of its area (it
 * stays inside the old one).  Returns 0 or -1. */
static int plan_reduce(gen *g, int k, int slot)
{
    const cluster *c = &g->cl[k];
    double s = sqrt(rng_range(g, 0.62, 0.70)), x[8], y[8];
    GEOSGeometry *p;
    for (int i = 0; i < c->ring.n; i++) {
        x[i] = round_cm(c->cx + s * (c->ring.x[i] - c->cx));
        y[i] = round_cm(c->cy + s * (c->ring.y[i] - c->cy));
    }
    if (!(p = poly_from_xy(g, x, y, c->ring.n)))
        return fail("cannot build a polygon");
    if (plan_fits(g, p, c->dist, k, -1) != 1) {
        GEOSGeom_destroy_r(g->gh, p);
        return fail("the reduced CCN%02d does not fit", k + 1);
    }
    g->pl[slot].geom = p;
    return 0;
}

/* Planned expansion of cluster k: the convex hull of today's footprint and a copy shifted
 * by 0.5-1.1 times the square root of its area in a random direction (an adjacent block
 * added), grown by 40-130 % and fitting.  Returns 0 or -1. */
static int plan_expand(gen *g, int k, int slot)
{
    const cluster *c = &g->cl[k];
    for (int tries = 0; tries < 2000; tries++) {
        double t = rng_range(g, 0.0, 2.0 * PI_D), L = rng_range(g, 0.5, 1.1) * sqrt(c->area_ha * 1e4);
        double x[8], y[8], a;
        GEOSGeometry *sh, *h;
        int ok;
        for (int i = 0; i < c->ring.n; i++) {
            x[i] = round_cm(c->ring.x[i] + L * cos(t));
            y[i] = round_cm(c->ring.y[i] + L * sin(t));
        }
        if (!(sh = poly_from_xy(g, x, y, c->ring.n)))
            return fail("cannot build a polygon");
        h = hull_of_two(g, c->geom, sh);
        GEOSGeom_destroy_r(g->gh, sh);
        if (!h || (a = area_of(g, h)) < 0) {
            if (h)
                GEOSGeom_destroy_r(g->gh, h);
            return fail("hull failed");
        }
        ok = a >= 1.4 * c->area_ha * 1e4 && a <= 2.3 * c->area_ha * 1e4
                 ? plan_fits(g, h, c->dist, k, -1)
                 : 0;
        if (ok < 0) {
            GEOSGeom_destroy_r(g->gh, h);
            return fail("GEOS failure while expanding CCN%02d", k + 1);
        }
        if (ok) {
            g->pl[slot].geom = h;
            return 0;
        }
        GEOSGeom_destroy_r(g->gh, h);
    }
    return fail("cannot expand CCN%02d", k + 1);
}

/* Planned CCN20: today's footprint moved elsewhere in its district, at least CCN_GAP_M from
 * its old place and from everything else.  Returns 0 or -1. */
static int plan_move(gen *g, int k, int slot)
{
    const cluster *c = &g->cl[k];
    double x0, y0, x1, y1;
    if (bounds_of(g, g->dgeom[c->dist], &x0, &y0, &x1, &y1))
        return fail("district bounds failed");
    for (int tries = 0; tries < 20000; tries++) {
        double cx = rng_range(g, x0, x1), cy = rng_range(g, y0, y1), x[8], y[8];
        GEOSGeometry *p;
        int ok;
        for (int i = 0; i < c->ring.n; i++) {
            x[i] = round_cm(cx + c->ring.x[i] - c->cx);
            y[i] = round_cm(cy + c->ring.y[i] - c->cy);
        }
        if (!(p = poly_from_xy(g, x, y, c->ring.n)))
            return fail("cannot build a polygon");
        ok = plan_fits(g, p, c->dist, -1, -1);
        if (ok < 0) {
            GEOSGeom_destroy_r(g->gh, p);
            return fail("GEOS failure while moving CCN%02d", k + 1);
        }
        if (ok) {
            g->pl[slot].geom = p;
            return 0;
        }
        GEOSGeom_destroy_r(g->gh, p);
    }
    return fail("cannot move CCN%02d", k + 1);
}

/* 1 if a new cluster may go into district d (not the urban core 001-009, nor Nam/Bắc Từ
 * Liêm), else 0. */
static int district_takes_new(int d)
{
    return !district_is_inner(d) && strcmp(g_dist_rows[d].code, "019") != 0 &&
           strcmp(g_dist_rows[d].code, "021") != 0;
}

/* Try to place one new planned cluster in district d; if village v >= 0, within 1.8 km of
 * it.  No village may lie within 200 m of it.  On success appends it to the plan and
 * returns 1; returns 0 if nothing fits, -1 on failure. */
static int plan_new(gen *g, int d, int v)
{
    double x0, y0, x1, y1;
    ring8 local = {{0}, {0}, 0}, r;
    if (bounds_of(g, g->dgeom[d], &x0, &y0, &x1, &y1))
        return fail("district bounds failed");
    if (g->n_plan >= N_PLAN_MAX)
        return fail("too many planned clusters");
    for (int attempt = 0; attempt < 6000; attempt++) {
        double cx, cy, dv = 0.0, dmin = HUGE_VAL;
        GEOSGeometry *poly;
        int ok;
        if (attempt % 40 == 0)
            make_shape(g, rng_range(g, 45e4, 80e4), rng_range(g, 1.0, 2.0),
                       rng_range(g, 0.0, PI_D), rng_below(g, 5), &local);
        if (v >= 0) {
            double t = rng_range(g, 0.0, 2.0 * PI_D), rr = rng_range(g, 500.0, 2200.0);
            cx = g->vl[v].x + rr * cos(t);
            cy = g->vl[v].y + rr * sin(t);
        } else {
            cx = rng_range(g, x0, x1);
            cy = rng_range(g, y0, y1);
        }
        place_shape(&local, cx, cy, &r);
        if (!(poly = poly_from_ring(g, &r)))
            return fail("cannot build a polygon");
        ok = plan_fits(g, poly, d, -1, -1);
        for (int i = 0; ok == 1 && i < N_LN; i++) {
            double dd = dist_of(g, poly, g->vpt[i]);
            if (dd < 0)
                ok = -1;
            dmin = fmin(dmin, dd);
            if (i == v)
                dv = dd;
        }
        if (ok == 1 && (dmin < 200.0 || (v >= 0 && dv > 1800.0)))
            ok = 0;
        if (ok < 0) {
            GEOSGeom_destroy_r(g->gh, poly);
            return fail("GEOS failure while placing a new cluster");
        }
        if (ok) {
            plan_cluster *p = &g->pl[g->n_plan];
            int n_new = 0;
            char place[64];
            for (int j = 0; j < g->n_plan; j++)
                n_new += g->pl[j].change == PC_NEW;
            snprintf(p->id, sizeof p->id, "CCN%02d", N_CCN + 1 + n_new);
            p->ten[0] = '\0';
            if (v >= 0) { /* named after the village it serves, as real ones often are */
                village_place(g, v, place, sizeof place);
                snprintf(p->ten, sizeof p->ten, "CCN làng nghề %s", place);
            }
            while (!p->ten[0] || cluster_name_used(g, p->ten))
                snprintf(p->ten, sizeof p->ten, "CCN %s %s", k_syl1[rng_below(g, N_SYL1)],
                         k_syl2[rng_below(g, N_SYL2)]);
            p->st = ST_PLANNED;
            p->dist = d;
            p->src = -1;
            p->change = PC_NEW;
            p->anchor = v;
            p->geom = poly;
            p->wkt = NULL;
            g->n_plan++;
            return 1;
        }
        GEOSGeom_destroy_r(g->gh, poly);
    }
    return 0;
}

/* Area in m² of planned cluster j as written (an unchanged bow-tie: repaired), or -1. */
static double plan_area(gen *g, int j)
{
    const plan_cluster *p = &g->pl[j];
    return p->wkt ? repaired_area(g, g->cl[p->src].geom_out) : area_of(g, p->geom);
}

/* Classify the plan against today's clusters by the rule ccgis documents, independently of
 * the design: a planned cluster matches a current one with the same id, else one whose
 * common area is at least half of the smaller of the two.  1:1 pairs are unchanged (same
 * geometry), moved (no common area), expanded or reduced; a current cluster matched by
 * several planned ones is split, a planned one matching several is merged; unmatched are
 * removed / new.  Fails if the result differs from the design or if any planned cluster
 * touches a current one it was not designed from.  Prints the counts.  Returns 0 or -1. */
static int plan_check(gen *g)
{
    static char match[N_PLAN_MAX][N_CCN];
    int np_of[N_PLAN_MAX] = {0}, nc_of[N_CCN] = {0}, count[PC_COUNT] = {0};
    for (int j = 0; j < g->n_plan; j++) {
        const plan_cluster *p = &g->pl[j];
        double aj = area_of(g, p->geom);
        for (int k = 0; k < N_CCN; k++) {
            char id[16];
            double ak = g->cl[k].area_ha * 1e4, ia = inter_area(g, p->geom, g->cl[k].geom);
            int designed = k == p->src || (p->change == PC_MERGED && k == CCN_OVERLAP_B);
            if (ia < 0 || aj < 0)
                return fail("intersection failed");
            if (ia > 0.0 && !designed)
                return fail("planned %s overlaps CCN%02d by %.1f m²", p->id, k + 1, ia);
            snprintf(id, sizeof id, "CCN%02d", k + 1);
            match[j][k] = strcmp(id, p->id) == 0 || ia >= 0.5 * fmin(aj, ak);
            np_of[j] += match[j][k];
            nc_of[k] += match[j][k];
        }
    }
    for (int j = 0; j < g->n_plan; j++) {
        const plan_cluster *p = &g->pl[j];
        plan_change ch = PC_NEW;
        for (int k = 0; k < N_CCN; k++) {
            if (!match[j][k])
                continue;
            if (np_of[j] > 1) {
                ch = PC_MERGED;
            } else if (nc_of[k] > 1) {
                ch = PC_SPLIT;
            } else {
                double ia = inter_area(g, p->geom, g->cl[k].geom), aj = area_of(g, p->geom);
                char eq = GEOSEqualsExact_r(g->gh, p->geom, g->cl[k].geom, 0.0);
                if (eq == 2 || ia < 0 || aj < 0)
                    return fail("comparison failed");
                ch = eq ? PC_UNCHANGED
                     : ia == 0.0 ? PC_MOVED
                     : aj > g->cl[k].area_ha * 1e4 ? PC_EXPANDED
                                                   : PC_REDUCED;
            }
        }
        if (ch != p->change)
            return fail("planned %s comes out %s, designed %s", p->id, k_change_name[ch],
                        k_change_name[p->change]);
        count[ch]++;
    }
    for (int k = 0; k < N_CCN; k++) {
        if ((nc_of[k] == 0) != (k_plan_design[k] == PC_REMOVED))
            return fail("CCN%02d: removed or not against the design", k + 1);
        count[PC_REMOVED] += nc_of[k] == 0;
    }
    printf("  plan 2030 by the matching rule (same id, else common area >= half of the "
           "smaller), as designed:\n   ");
    for (int c = 0; c < PC_COUNT; c++)
        printf("%s %s %d", c ? "," : "", k_change_name[c], count[c]);
    printf(" (planned features)\n");
    return 0;
}

/* Print the designed cases with their figures, the totals now -> planned per district and
 * per status, and fail unless the planned total is 2.4-3.1 times today's.  Returns 0 or -1. */
static int plan_report(gen *g)
{
    double cur_ha[N_DIST] = {0}, pl_ha[N_DIST] = {0}, st_cur_ha[4] = {0}, st_pl_ha[4] = {0};
    int cur_n[N_DIST] = {0}, pl_n[N_DIST] = {0}, st_cur_n[4] = {0}, st_pl_n[4] = {0};
    double tot_cur = 0.0, tot_pl = 0.0;
    printf("  plan 2030 (areas planar, CCN21's bow-tie as repaired by GEOSMakeValid):\n");
    for (int k = 0; k < N_CCN; k++) {
        double a = repaired_area(g, g->cl[k].geom_out);
        if (a < 0)
            return fail("area failed");
        cur_ha[g->cl[k].dist] += a / 1e4;
        cur_n[g->cl[k].dist]++;
        st_cur_ha[k_ccn[k].st] += a / 1e4;
        st_cur_n[k_ccn[k].st]++;
        tot_cur += a / 1e4;
    }
    for (int j = 0; j < g->n_plan; j++) {
        const plan_cluster *p = &g->pl[j];
        double a = plan_area(g, j);
        if (a < 0)
            return fail("area failed");
        pl_ha[p->dist] += a / 1e4;
        pl_n[p->dist]++;
        st_pl_ha[p->st] += a / 1e4;
        st_pl_n[p->st]++;
        tot_pl += a / 1e4;
        if (p->change == PC_UNCHANGED || p->change == PC_NEW)
            continue;
        if (p->change == PC_MERGED) {
            printf("    merged   %s %.2f ha <- CCN%02d %.2f ha + CCN%02d %.2f ha (convex hull)\n",
                   p->id, a / 1e4, CCN_OVERLAP_A + 1, g->cl[CCN_OVERLAP_A].area_ha,
                   CCN_OVERLAP_B + 1, g->cl[CCN_OVERLAP_B].area_ha);
        } else {
            const cluster *c = &g->cl[p->src];
            double ia = inter_area(g, p->geom, c->geom), d = dist_of(g, p->geom, c->geom);
            if (ia < 0 || d < 0)
                return fail("intersection failed");
            printf("    %-8s %s %.2f ha <- CCN%02d %.2f ha (%+.1f %%); %.1f %% of it inside "
                   "the old footprint, %.1f %% of the old covered",
                   k_change_name[p->change], p->id, a / 1e4, p->src + 1, c->area_ha,
                   100.0 * (a / 1e4 - c->area_ha) / c->area_ha, 100.0 * ia / a,
                   100.0 * ia / (c->area_ha * 1e4));
            if (p->change == PC_MOVED)
                printf("; %.0f m from it", d);
            printf("\n");
        }
    }
    for (int k = 0; k < N_CCN; k++)
        if (k_plan_design[k] == PC_REMOVED)
            printf("    removed  CCN%02d %.2f ha (%s)\n", k + 1, g->cl[k].area_ha, k_ccn[k].ten);
    printf("    new      ");
    for (int j = 0, n = 0; j < g->n_plan; j++)
        if (g->pl[j].change == PC_NEW) {
            double a = plan_area(g, j);
            printf("%s%s %.1f ha%s", n % 6 ? ", " : n ? "\n             " : "", g->pl[j].id,
                   a / 1e4, g->pl[j].anchor >= 0 ? "*" : "");
            n++;
        }
    printf("\n             (* placed within 1.8 km of a village > 5 km from every cluster today)\n");
    printf("    total: %d clusters %.2f ha -> %d clusters %.2f ha (x%.2f)\n", N_CCN, tot_cur,
           g->n_plan, tot_pl, tot_pl / tot_cur);
    printf("    per district (today -> plan):");
    for (int i = 0, n = 0; i < N_DIST; i++)
        if (cur_n[i] || pl_n[i]) {
            printf("%s%s %d/%.2f -> %d/%.2f", n % 4 ? "; " : "\n      ", g_dist_rows[i].ten,
                   cur_n[i], cur_ha[i], pl_n[i], pl_ha[i]);
            n++;
        }
    printf("\n    per status (today -> plan):");
    for (int s = 0; s < 4; s++)
        printf("%s %s %d/%.2f -> %d/%.2f", s ? ";" : "", k_status_text[s], st_cur_n[s],
               st_cur_ha[s], st_pl_n[s], st_pl_ha[s]);
    printf("\n");
    if (tot_pl < 2.4 * tot_cur || tot_pl > 3.1 * tot_cur)
        return fail("the plan has %.2f times today's area, not 2.4-3.1", tot_pl / tot_cur);
    return 0;
}

/* Distance in metres from village i to the nearest planned cluster (an unchanged bow-tie
 * as written) in *d.  Returns 0 or -1. */
static int nearest_planned(gen *g, int i, double *d)
{
    *d = HUGE_VAL;
    for (int j = 0; j < g->n_plan; j++) {
        const plan_cluster *p = &g->pl[j];
        double dd = dist_of(g, g->vpt[i], p->wkt ? g->cl[p->src].geom_out : p->geom);
        if (dd < 0)
            return fail("distance failed");
        *d = fmin(*d, dd);
    }
    return 0;
}

/* Build the 2030 plan: today's clusters in id order (unchanged, or transformed as
 * k_plan_design says), then N_NEW new ones: N_NEW_ANCHORED near villages > 5 km from every
 * cluster today, the rest in the eligible districts with the fewest planned clusters.
 * Checks it with plan_check and prints plan_report and the villages' figures.
 * Returns 0 or -1. */
static int make_plan(gen *g)
{
    int slot[N_CCN], slot_b = -1, order[N_LN], n_new = 0, n_anch = 0, tried[N_DIST] = {0};
    double dcur[N_LN];
    rng_seed(g, SEED_PLAN);
    for (int i = 0; i < N_LN; i++) {
        if (!(g->vpt[i] = GEOSGeom_createPointFromXY_r(g->gh, g->vl[i].x, g->vl[i].y)))
            return fail("cannot create a point");
        if (nearest_cluster(g, g->vl[i].x, g->vl[i].y, &dcur[i]))
            return -1;
    }
    for (int k = 0; k < N_CCN; k++) {
        char id[16];
        plan_change ch = k_plan_design[k];
        slot[k] = -1;
        if (ch == PC_REMOVED || k == CCN_OVERLAP_B)
            continue;
        snprintf(id, sizeof id, ch == PC_SPLIT ? "CCN%02dA" : "CCN%02d", k + 1);
        if ((slot[k] = plan_add_kept(g, k, id, ch)) < 0)
            return -1;
        if (ch == PC_SPLIT) {
            snprintf(id, sizeof id, "CCN%02dB", k + 1);
            if ((slot_b = plan_add_kept(g, k, id, ch)) < 0)
                return -1;
            snprintf(g->pl[slot[k]].ten, sizeof g->pl[slot[k]].ten, "%s 1", k_ccn[k].ten);
            snprintf(g->pl[slot_b].ten, sizeof g->pl[slot_b].ten, "%s 2", k_ccn[k].ten);
        }
    }
    for (int k = 0; k < N_CCN; k++) {
        int r = 0;
        switch (k_plan_design[k]) {
        case PC_MERGED:
            r = k == CCN_OVERLAP_A ? plan_merge(g, slot[k]) : 0;
            break;
        case PC_SPLIT:
            r = plan_split(g, slot[k], slot_b);
            break;
        case PC_REDUCED:
            r = plan_reduce(g, k, slot[k]);
            break;
        case PC_EXPANDED:
            r = plan_expand(g, k, slot[k]);
            break;
        case PC_MOVED:
            r = plan_move(g, k, slot[k]);
            break;
        default:
            break;
        }
        if (r)
            return -1;
    }
    for (int i = 0; i < N_LN; i++)
        order[i] = i;
    for (int i = N_LN - 1; i > 0; i--) {
        int j = rng_below(g, i + 1), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (int n = 0; n < N_LN && n_anch < N_NEW_ANCHORED; n++) {
        int v = order[n], r;
        double dp;
        if (dcur[v] <= FAR_M || !district_takes_new(g->vl[v].dist))
            continue;
        if (nearest_planned(g, v, &dp))
            return -1;
        if (dp <= NEAR_RADIUS_M)
            continue; /* already served by a planned cluster placed before */
        if ((r = plan_new(g, g->vl[v].dist, v)) < 0)
            return -1;
        n_anch += r;
    }
    n_new = n_anch;
    while (n_new < N_NEW) {
        int best = -1, cnt[N_DIST] = {0}, r;
        double area[N_DIST];
        for (int j = 0; j < g->n_plan; j++)
            cnt[g->pl[j].dist]++;
        for (int i = 0; i < N_DIST; i++) {
            if (!district_takes_new(i) || tried[i])
                continue;
            if ((area[i] = area_of(g, g->dgeom[i])) < 0)
                return fail("area failed");
            if (best < 0 || cnt[i] < cnt[best] || (cnt[i] == cnt[best] && area[i] > area[best]))
                best = i;
        }
        if (best < 0)
            return fail("no district can take another new cluster");
        if ((r = plan_new(g, best, -1)) < 0)
            return -1;
        if (r)
            n_new++;
        else
            tried[best] = 1;
    }
    if (plan_check(g) || plan_report(g))
        return -1;
    {
        int n_far = 0, n_far_served = 0, n_gap = 0;
        double dmin_new = HUGE_VAL, margin = HUGE_VAL;
        for (int i = 0; i < N_LN; i++) {
            double dp;
            if (nearest_planned(g, i, &dp))
                return -1;
            margin = fmin(margin, fmin(fabs(dcur[i] - NEAR_RADIUS_M), fabs(dp - NEAR_RADIUS_M)));
            n_far += dcur[i] > FAR_M;
            n_far_served += dcur[i] > FAR_M && dp <= NEAR_RADIUS_M;
            n_gap += dcur[i] > NEAR_RADIUS_M && dp > NEAR_RADIUS_M;
        }
        for (int j = 0; j < g->n_plan; j++) {
            if (g->pl[j].change != PC_NEW)
                continue;
            for (int k = 0; k < N_CCN; k++) {
                double d = dist_of(g, g->pl[j].geom, g->cl[k].geom_out);
                if (d < 0)
                    return fail("distance failed");
                dmin_new = fmin(dmin_new, d);
            }
            for (int m = 0; m < g->n_plan; m++) {
                double d = m == j ? HUGE_VAL : dist_of(g, g->pl[j].geom, g->pl[m].geom);
                if (d < 0)
                    return fail("distance failed");
                dmin_new = fmin(dmin_new, d);
            }
        }
        printf("    new clusters: %d, nearest other cluster (today's or planned) %.0f m away\n",
               n_new, dmin_new);
        printf("  villages > 5 km from every cluster today: %d, of which %d get a planned "
               "cluster within 2 km; villages with no cluster within 2 km, today or planned: "
               "%d (every nearest distance is at least %.1f m from 2 km)\n",
               n_far, n_far_served, n_gap, margin);
        if (n_far_served < 5)
            return fail("fewer than 5 far villages get a planned cluster");
    }
    return 0;
}

/* ------------------------------------------------------------------------------------- */
/* Wastewater plants                                                                     */
/* ------------------------------------------------------------------------------------- */

/* Distance in metres from (x, y) to today's cluster k (the smaller of the distances to its
 * valid and to its written footprint), or -1. */
static double dist_to_cluster(gen *g, int k, double x, double y)
{
    GEOSGeometry *p = GEOSGeom_createPointFromXY_r(g->gh, x, y);
    double a, b;
    if (!p)
        return -1.0;
    a = dist_of(g, p, g->cl[k].geom);
    b = dist_of(g, p, g->cl[k].geom_out);
    GEOSGeom_destroy_r(g->gh, p);
    return a < 0 || b < 0 ? -1.0 : fmin(a, b);
}

/* Distance in metres from (x, y) to the boundary of today's cluster k's valid footprint if
 * the point lies inside it, else -1 (also on failure). */
static double depth_in_cluster(gen *g, int k, double x, double y)
{
    GEOSGeometry *p = GEOSGeom_createPointFromXY_r(g->gh, x, y), *b;
    double d = -1.0;
    char in;
    if (!p)
        return -1.0;
    in = GEOSContains_r(g->gh, g->cl[k].geom, p);
    if (in == 1 && (b = GEOSBoundary_r(g->gh, g->cl[k].geom))) {
        d = dist_of(g, p, b);
        GEOSGeom_destroy_r(g->gh, b);
    }
    GEOSGeom_destroy_r(g->gh, p);
    return d;
}

/* Place plant i as k_plants[i] says; every plant keeps at least 300 m from the clusters it
 * was not built for.  Fills pt[i].x/.y.  Returns 0 or -1. */
static int place_plant(gen *g, int i)
{
    const plant_spec *sp = &k_plants[i];
    double x0 = g->oxmin, y0 = g->oymin, x1 = g->oxmax, y1 = g->oymax, pad;
    pad = sp->where == WW_INSIDE ? 0.0 : sp->where == WW_NEAR ? 150.0 : 400.0;
    if (sp->ccn >= 0) {
        if (bounds_of(g, g->cl[sp->ccn].geom, &x0, &y0, &x1, &y1))
            return fail("bounds failed");
        x0 -= pad;
        y0 -= pad;
        x1 += pad;
        y1 += pad;
    }
    for (int tries = 0; tries < 200000; tries++) {
        double x = rng_range(g, x0, x1), y = rng_range(g, y0, y1), d;
        int ok = 1;
        if (sp->where == WW_FAR) {
            GEOSGeometry *p;
            int in = in_outline(g, x, y);
            if (in < 0)
                return fail("point-in-outline test failed");
            if (!in)
                continue;
            if (!(p = GEOSGeom_createPointFromXY_r(g->gh, x, y)))
                return fail("cannot create a point");
            for (int j = 0; ok && j < g->n_plan; j++) {
                double dp = dist_of(g, p, g->pl[j].geom);
                ok = dp >= 2000.0;
                if (dp < 0) {
                    GEOSGeom_destroy_r(g->gh, p);
                    return fail("distance failed");
                }
            }
            GEOSGeom_destroy_r(g->gh, p);
        } else if (sp->where == WW_INSIDE) {
            ok = depth_in_cluster(g, sp->ccn, x, y) >= 20.0;
        } else {
            double lo = sp->where == WW_NEAR ? 60.0 : 310.0, hi = sp->where == WW_NEAR ? 140.0 : 390.0;
            if ((d = dist_to_cluster(g, sp->ccn, x, y)) < 0)
                return fail("distance failed");
            ok = d >= lo && d <= hi;
        }
        if (ok && sp->ccn2 >= 0) {
            if ((d = dist_to_cluster(g, sp->ccn2, x, y)) < 0)
                return fail("distance failed");
            ok = d >= 60.0 && d <= 140.0;
        }
        for (int k = 0; ok && k < N_CCN; k++) {
            if (k == sp->ccn || k == sp->ccn2)
                continue;
            if ((d = dist_to_cluster(g, k, x, y)) < 0)
                return fail("distance failed");
            ok = d >= (sp->where == WW_FAR ? 2000.0 : 300.0);
        }
        for (int j = 0; ok && j < i; j++)
            ok = hypot(g->pt[j].x - x, g->pt[j].y - y) >= 50.0;
        if (!ok)
            continue;
        g->pt[i].x = x;
        g->pt[i].y = y;
        return 0;
    }
    return fail("cannot place plant XL%02d", i + 1);
}

/* Generate the wastewater plants of k_plants: position, name, capacity (30-45 m³/day per
 * hectare served, rounded to 50, at least 200; far ones 1,500-4,000), lon/lat.  Then
 * classify every cluster by the rule ccgis documents (compliant: a plant meeting the
 * standard inside it or within WW_MAX_M; not_compliant: only plants that do not; none),
 * print it, and fail unless it gives the designed 12 / 3 / 3 of the 18 operating clusters.
 * Returns 0 or -1. */
static int make_wastewater(gen *g)
{
    int n_op = 0, n_c = 0, n_n = 0, n_none = 0;
    rng_seed(g, SEED_WASTEWATER);
    if (N_PLANTS > N_PLANT_MAX)
        return fail("too many plants");
    for (int i = 0; i < N_PLANTS; i++) {
        const plant_spec *sp = &k_plants[i];
        plant *p = &g->pt[i];
        double ha = 0.0;
        if (place_plant(g, i))
            return -1;
        if (sp->ccn >= 0 && sp->ccn2 >= 0) {
            snprintf(p->ten, sizeof p->ten, "Trạm XLNT %s – %s%s", k_ccn[sp->ccn].ten,
                     k_ccn[sp->ccn2].ten + 4, sp->suffix); /* drop the second "CCN " */
            ha = g->cl[sp->ccn].area_ha + g->cl[sp->ccn2].area_ha;
        } else if (sp->ccn >= 0) {
            snprintf(p->ten, sizeof p->ten, "Trạm XLNT %s%s", k_ccn[sp->ccn].ten, sp->suffix);
            ha = g->cl[sp->ccn].area_ha;
        } else {
            do
                snprintf(p->ten, sizeof p->ten, "Nhà máy XLNT %s %s",
                         k_syl1[rng_below(g, N_SYL1)], k_syl2[rng_below(g, N_SYL2)]);
            while (i > 0 && strcmp(p->ten, g->pt[i - 1].ten) == 0);
        }
        if (sp->ccn >= 0) {
            p->cong_suat = 50 * (int)floor(ha * rng_range(g, 30.0, 45.0) / 50.0 + 0.5);
            if (p->cong_suat < 200)
                p->cong_suat = 200;
        } else {
            p->cong_suat = 1500 + 500 * rng_below(g, 6);
        }
        p->lon = p->x;
        p->lat = p->y;
        if (!tm_to_lonlat_cb(&p->lon, &p->lat, g->pj))
            return fail("PROJ: cannot transform plant XL%02d", i + 1);
    }
    printf("  wastewater: %d plants; distance to the cluster each was built for (m, 0 = "
           "inside):", N_PLANTS);
    for (int i = 0; i < N_PLANTS; i++) {
        const plant_spec *sp = &k_plants[i];
        double d = HUGE_VAL;
        if (sp->ccn >= 0)
            d = dist_to_cluster(g, sp->ccn, g->pt[i].x, g->pt[i].y);
        else
            for (int k = 0; k < N_CCN; k++)
                d = fmin(d, dist_to_cluster(g, k, g->pt[i].x, g->pt[i].y));
        if (d < 0)
            return fail("distance failed");
        printf("%s XL%02d %s %.0f%s", i % 6 ? "," : "\n   ", i + 1,
               sp->ccn >= 0 ? k_ccn[sp->ccn].ten + 4 : "(nearest)", d, sp->met ? "" : " ✗");
        if (sp->ccn2 >= 0) {
            double d2 = dist_to_cluster(g, sp->ccn2, g->pt[i].x, g->pt[i].y);
            if (d2 < 0)
                return fail("distance failed");
            printf(" & %s %.0f", k_ccn[sp->ccn2].ten + 4, d2);
        }
    }
    printf(" (✗ = does not meet the standard)\n  wastewater by cluster (max_m %.0f):",
           WW_MAX_M);
    for (int k = 0; k < N_CCN; k++) {
        int met = 0, any = 0;
        const char *state;
        for (int i = 0; i < N_PLANTS; i++) {
            double d = dist_to_cluster(g, k, g->pt[i].x, g->pt[i].y);
            if (d < 0)
                return fail("distance failed");
            if (d <= WW_MAX_M) {
                any = 1;
                met |= k_plants[i].met;
            }
        }
        state = met ? "compliant" : any ? "not_compliant" : "none";
        printf("%s CCN%02d %s", k % 5 ? "," : "\n   ", k + 1, state);
        if (k_ccn[k].st == ST_OPERATING) {
            n_op++;
            n_c += met;
            n_n += !met && any;
            n_none += !any;
        }
    }
    printf("\n  wastewater, operating clusters: %d, compliant %d (%.1f %%), not compliant %d, "
           "none %d\n",
           n_op, n_c, 100.0 * n_c / n_op, n_n, n_none);
    if (n_c != 12 || n_n != 3 || n_none != 3)
        return fail("wastewater states differ from the design (12 / 3 / 3)");
    return 0;
}

/* ------------------------------------------------------------------------------------- */
/* Output                                                                                */
/* ------------------------------------------------------------------------------------- */

/* Remove this tool's earlier outputs from outdir (nothing else).  Returns 0 or -1. */
static int remove_outputs(const char *outdir)
{
    static const char *const names[] = {
        "districts.gpkg", "districts.gpkg-wal", "districts.gpkg-shm", "districts.gpkg-journal",
        "clusters.shp",   "clusters.shx",       "clusters.dbf",       "clusters.prj",
        "clusters.cpg",   "clusters.qix",       "villages.geojson",   "landuse.gpkg",
        "landuse.gpkg-wal", "landuse.gpkg-shm", "landuse.gpkg-journal", "clusters_2030.gpkg",
        "clusters_2030.gpkg-wal", "clusters_2030.gpkg-shm", "clusters_2030.gpkg-journal",
        "wastewater.geojson"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[4096];
        VSIStatBufL st;
        if (snprintf(path, sizeof path, "%s/%s", outdir, names[i]) >= (int)sizeof path)
            return fail("output path too long");
        if (VSIStatL(path, &st) != 0)
            continue;
        if (VSIUnlink(path) != 0)
            return fail("cannot remove %s", path);
    }
    return 0;
}

/* New spatial reference for `epsg` with x = longitude/easting order, or NULL after a
 * message.  Free with OSRDestroySpatialReference. */
static OGRSpatialReferenceH make_srs(int epsg)
{
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    if (!srs || OSRImportFromEPSG(srs, epsg) != OGRERR_NONE) {
        if (srs)
            OSRDestroySpatialReference(srs);
        fail("cannot create EPSG:%d", epsg);
        return NULL;
    }
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

/* Create dataset `outdir/name` with driver `driver`.  Returns it (close with GDALClose),
 * or NULL after a message. */
static GDALDatasetH create_ds(const char *driver, const char *outdir, const char *name)
{
    char path[4096];
    GDALDriverH drv = GDALGetDriverByName(driver);
    GDALDatasetH ds;
    if (!drv) {
        fail("GDAL driver %s not available", driver);
        return NULL;
    }
    if (snprintf(path, sizeof path, "%s/%s", outdir, name) >= (int)sizeof path) {
        fail("output path too long");
        return NULL;
    }
    ds = GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL);
    if (!ds)
        fail("cannot create %s: %s", path, CPLGetLastErrorMsg());
    return ds;
}

/* Add a field to lyr (width/precision 0 = unset).  Returns 0 or -1. */
static int add_field(OGRLayerH lyr, const char *name, OGRFieldType type, int width, int prec)
{
    OGRFieldDefnH fd = OGR_Fld_Create(name, type);
    OGRErr e;
    if (!fd)
        return fail("cannot create field %s", name);
    if (width)
        OGR_Fld_SetWidth(fd, width);
    if (prec)
        OGR_Fld_SetPrecision(fd, prec);
    e = OGR_L_CreateField(lyr, fd, TRUE);
    OGR_Fld_Destroy(fd);
    if (e != OGRERR_NONE)
        return fail("cannot add field %s: %s", name, CPLGetLastErrorMsg());
    return 0;
}

/* Convert a GEOS geometry to a new OGR geometry through WKB, promoted to MultiPolygon if
 * `to_multi`.  Returns it (owned by the caller) or NULL after a message. */
static OGRGeometryH ogr_from_geos(gen *g, const GEOSGeometry *geom, OGRSpatialReferenceH srs,
                                  int to_multi)
{
    size_t size = 0;
    unsigned char *wkb = GEOSWKBWriter_write_r(g->gh, g->wkbw, geom, &size);
    OGRGeometryH og = NULL;
    OGRErr e;
    if (!wkb) {
        fail("GEOS WKB writer failed");
        return NULL;
    }
    e = OGR_G_CreateFromWkb(wkb, srs, &og, (int)size);
    GEOSFree_r(g->gh, wkb);
    if (e != OGRERR_NONE || !og) {
        fail("OGR cannot read GEOS WKB");
        return NULL;
    }
    if (to_multi)
        og = OGR_G_ForceToMultiPolygon(og);
    return og;
}

/* Set field `name` of f to a string (NULL: field set to null). */
static void set_str(OGRFeatureH f, const char *name, const char *v)
{
    int i = OGR_F_GetFieldIndex(f, name);
    if (v)
        OGR_F_SetFieldString(f, i, v);
    else
        OGR_F_SetFieldNull(f, i);
}

/* Set integer field `name` of f, or null if v == 0. */
static void set_int_or_null(OGRFeatureH f, const char *name, int v)
{
    int i = OGR_F_GetFieldIndex(f, name);
    if (v)
        OGR_F_SetFieldInteger(f, i, v);
    else
        OGR_F_SetFieldNull(f, i);
}

/* Give f the geometry og (taken), write it to lyr and destroy f.  Returns 0 or -1. */
static int write_feature(OGRLayerH lyr, OGRFeatureH f, OGRGeometryH og)
{
    OGRErr e = OGR_F_SetGeometryDirectly(f, og);
    if (e == OGRERR_NONE)
        e = OGR_L_CreateFeature(lyr, f);
    OGR_F_Destroy(f);
    if (e != OGRERR_NONE)
        return fail("cannot write a feature: %s", CPLGetLastErrorMsg());
    return 0;
}

/* Close ds and report a failure raised while flushing it.  Returns 0 or -1. */
static int close_ds(GDALDatasetH ds, const char *name)
{
    CPLErrorReset();
    GDALClose(ds);
    if (CPLGetLastErrorType() >= CE_Failure)
        return fail("closing %s: %s", name, CPLGetLastErrorMsg());
    return 0;
}

/* Write districts.gpkg: the district polygons transformed to EPSG:4326.
 * Returns 0 or -1. */
static int write_districts(gen *g, const char *outdir)
{
    int rc = -1, multi = 0;
    GDALDatasetH ds = NULL;
    OGRSpatialReferenceH srs = make_srs(4326);
    OGRLayerH lyr;
    GEOSGeometry *ll[N_DIST] = {NULL};
    if (!srs)
        goto done;
    for (int i = 0; i < N_DIST; i++) {
        ll[i] = GEOSGeom_transformXY_r(g->gh, g->dgeom[i], tm_to_lonlat_cb, g->pj);
        if (!ll[i]) {
            fail("cannot transform district %s to EPSG:4326", g_dist_rows[i].ten);
            goto done;
        }
        if (GEOSisValid_r(g->gh, ll[i]) != 1) {
            fail("district %s is invalid in EPSG:4326", g_dist_rows[i].ten);
            goto done;
        }
        multi |= GEOSGeomTypeId_r(g->gh, ll[i]) == GEOS_MULTIPOLYGON;
    }
    if (!(ds = create_ds("GPKG", outdir, "districts.gpkg")))
        goto done;
    lyr = GDALDatasetCreateLayer(ds, "districts", srs, multi ? wkbMultiPolygon : wkbPolygon,
                                 NULL);
    if (!lyr) {
        fail("cannot create layer districts");
        goto done;
    }
    if (add_field(lyr, "ma_huyen", OFTString, 3, 0) || add_field(lyr, "loai", OFTString, 0, 0) ||
        add_field(lyr, "ten", OFTString, 0, 0))
        goto done;
    if (GDALDatasetStartTransaction(ds, FALSE) != OGRERR_NONE) {
        fail("cannot start a transaction");
        goto done;
    }
    for (int i = 0; i < N_DIST; i++) {
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        OGRGeometryH og = ogr_from_geos(g, ll[i], srs, multi);
        if (!f || !og) {
            if (f)
                OGR_F_Destroy(f);
            if (og)
                OGR_G_DestroyGeometry(og);
            fail("cannot build district feature");
            goto done;
        }
        set_str(f, "ma_huyen", g_dist_rows[i].code);
        set_str(f, "loai", g_dist_rows[i].loai);
        set_str(f, "ten", g_dist_rows[i].ten);
        if (write_feature(lyr, f, og))
            goto done;
    }
    if (GDALDatasetCommitTransaction(ds) != OGRERR_NONE) {
        fail("cannot commit districts.gpkg");
        goto done;
    }
    rc = 0;
done:
    if (ds && close_ds(ds, "districts.gpkg"))
        rc = -1;
    for (int i = 0; i < N_DIST; i++)
        if (ll[i])
            GEOSGeom_destroy_r(g->gh, ll[i]);
    if (srs)
        OSRDestroySpatialReference(srs);
    return rc;
}

/* Write clusters.shp (+ .shx .dbf .prj .cpg) in EPSG:5897 from each cluster's WKT (so the
 * bow-tie is written as drawn).  Returns 0 or -1. */
static int write_clusters(gen *g, const char *outdir)
{
    int rc = -1;
    GDALDatasetH ds = NULL;
    OGRSpatialReferenceH srs = make_srs(5897);
    OGRLayerH lyr;
    char **opts = NULL;
    if (!srs)
        goto done;
    if (!(ds = create_ds("ESRI Shapefile", outdir, "clusters.shp")))
        goto done;
    opts = CSLSetNameValue(opts, "ENCODING", "UTF-8");
    opts = CSLSetNameValue(opts, "DBF_DATE_LAST_UPDATE", "2024-01-01"); /* not today */
    lyr = GDALDatasetCreateLayer(ds, "clusters", srs, wkbPolygon, opts);
    if (!lyr) {
        fail("cannot create layer clusters");
        goto done;
    }
    if (add_field(lyr, "ma_ccn", OFTString, 10, 0) || add_field(lyr, "ten", OFTString, 80, 0) ||
        add_field(lyr, "huyen", OFTString, 40, 0) ||
        add_field(lyr, "trang_thai", OFTString, 30, 0) ||
        add_field(lyr, "dt_qd_ha", OFTReal, 10, 2) || add_field(lyr, "nam_tl", OFTInteger, 0, 0) ||
        add_field(lyr, "nam_kc", OFTInteger, 0, 0) || add_field(lyr, "qh_1500", OFTString, 10, 0) ||
        add_field(lyr, "gpmb_pct", OFTReal, 5, 1) || add_field(lyr, "so_dn", OFTInteger, 0, 0) ||
        add_field(lyr, "lao_dong", OFTInteger, 0, 0))
        goto done;
    for (int k = 0; k < N_CCN; k++) {
        const cluster *c = &g->cl[k];
        char id[16], wkt[sizeof c->wkt], *p = wkt;
        OGRGeometryH og = NULL;
        OGRFeatureH f;
        memcpy(wkt, c->wkt, sizeof wkt);
        if (OGR_G_CreateFromWkt(&p, srs, &og) != OGRERR_NONE || !og) {
            fail("OGR cannot read the WKT of CCN%02d", k + 1);
            goto done;
        }
        if (!(f = OGR_F_Create(OGR_L_GetLayerDefn(lyr)))) {
            OGR_G_DestroyGeometry(og);
            fail("cannot create a feature");
            goto done;
        }
        snprintf(id, sizeof id, "CCN%02d", k + 1);
        set_str(f, "ma_ccn", id);
        set_str(f, "ten", k_ccn[k].ten);
        set_str(f, "huyen", g_dist_rows[c->dist].ten);
        set_str(f, "trang_thai", k_status_text[k_ccn[k].st]);
        OGR_F_SetFieldDouble(f, OGR_F_GetFieldIndex(f, "dt_qd_ha"), c->stated_ha);
        set_int_or_null(f, "nam_tl", c->year);
        set_int_or_null(f, "nam_kc", g->nam_kc[k]);
        set_str(f, "qh_1500", g->qh_1500[k][0] ? g->qh_1500[k] : NULL);
        OGR_F_SetFieldDouble(f, OGR_F_GetFieldIndex(f, "gpmb_pct"), g->gpmb_pct[k]);
        set_int_or_null(f, "so_dn", g->so_dn[k]);
        set_int_or_null(f, "lao_dong", g->lao_dong[k]);
        if (write_feature(lyr, f, og))
            goto done;
    }
    rc = 0;
done:
    if (ds && close_ds(ds, "clusters.shp"))
        rc = -1;
    CSLDestroy(opts);
    if (srs)
        OSRDestroySpatialReference(srs);
    return rc;
}

/* Write villages.geojson (RFC 7946, WGS 84, 7 decimals).  Returns 0 or -1. */
static int write_villages(gen *g, const char *outdir)
{
    int rc = -1;
    GDALDatasetH ds = NULL;
    OGRSpatialReferenceH srs = make_srs(4326);
    OGRLayerH lyr;
    char **opts = NULL;
    if (!srs)
        goto done;
    if (!(ds = create_ds("GeoJSON", outdir, "villages.geojson")))
        goto done;
    opts = CSLSetNameValue(opts, "RFC7946", "YES");
    opts = CSLSetNameValue(opts, "COORDINATE_PRECISION", "7");
    lyr = GDALDatasetCreateLayer(ds, "villages", srs, wkbPoint, opts);
    if (!lyr) {
        fail("cannot create layer villages");
        goto done;
    }
    if (add_field(lyr, "ma_ln", OFTString, 0, 0) || add_field(lyr, "ten", OFTString, 0, 0) ||
        add_field(lyr, "nghe", OFTString, 0, 0) || add_field(lyr, "huyen", OFTString, 0, 0) ||
        add_field(lyr, "nam_cn", OFTInteger, 0, 0))
        goto done;
    for (int i = 0; i < N_LN; i++) {
        const village *v = &g->vl[i];
        char id[16];
        OGRGeometryH og = OGR_G_CreateGeometry(wkbPoint);
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        if (!og || !f) {
            if (og)
                OGR_G_DestroyGeometry(og);
            if (f)
                OGR_F_Destroy(f);
            fail("cannot create a feature");
            goto done;
        }
        OGR_G_SetPoint_2D(og, 0, v->lon, v->lat);
        OGR_G_AssignSpatialReference(og, srs);
        snprintf(id, sizeof id, "LN%03d", i + 1);
        set_str(f, "ma_ln", id);
        set_str(f, "ten", v->ten);
        set_str(f, "nghe", v->nghe);
        set_str(f, "huyen", g_dist_rows[v->dist].ten);
        set_int_or_null(f, "nam_cn", v->year);
        if (write_feature(lyr, f, og))
            goto done;
    }
    rc = 0;
done:
    if (ds && close_ds(ds, "villages.geojson"))
        rc = -1;
    CSLDestroy(opts);
    if (srs)
        OSRDestroySpatialReference(srs);
    return rc;
}

/* Write clusters_2030.gpkg (layer clusters_2030, EPSG:5897, Polygon): the planned clusters
 * in table order; unchanged ones from today's WKT (so the bow-tie stays as drawn).
 * Returns 0 or -1. */
static int write_plan(gen *g, const char *outdir)
{
    int rc = -1;
    GDALDatasetH ds = NULL;
    OGRSpatialReferenceH srs = make_srs(5897);
    OGRLayerH lyr;
    if (!srs)
        goto done;
    if (!(ds = create_ds("GPKG", outdir, "clusters_2030.gpkg")))
        goto done;
    lyr = GDALDatasetCreateLayer(ds, "clusters_2030", srs, wkbPolygon, NULL);
    if (!lyr) {
        fail("cannot create layer clusters_2030");
        goto done;
    }
    if (add_field(lyr, "ma_ccn", OFTString, 0, 0) || add_field(lyr, "ten", OFTString, 0, 0) ||
        add_field(lyr, "trang_thai", OFTString, 0, 0) || add_field(lyr, "huyen", OFTString, 0, 0))
        goto done;
    if (GDALDatasetStartTransaction(ds, FALSE) != OGRERR_NONE) {
        fail("cannot start a transaction");
        goto done;
    }
    for (int j = 0; j < g->n_plan; j++) {
        const plan_cluster *p = &g->pl[j];
        OGRGeometryH og = NULL;
        OGRFeatureH f;
        if (p->wkt) {
            char wkt[sizeof g->cl[0].wkt], *w = wkt;
            memcpy(wkt, p->wkt, sizeof wkt);
            if (OGR_G_CreateFromWkt(&w, srs, &og) != OGRERR_NONE)
                og = NULL;
        } else {
            og = ogr_from_geos(g, p->geom, srs, 0);
        }
        if (!og) {
            fail("cannot build the geometry of planned %s", p->id);
            goto done;
        }
        if (!(f = OGR_F_Create(OGR_L_GetLayerDefn(lyr)))) {
            OGR_G_DestroyGeometry(og);
            fail("cannot create a feature");
            goto done;
        }
        set_str(f, "ma_ccn", p->id);
        set_str(f, "ten", p->ten);
        set_str(f, "trang_thai", k_status_text[p->st]);
        set_str(f, "huyen", g_dist_rows[p->dist].ten);
        if (write_feature(lyr, f, og))
            goto done;
    }
    if (GDALDatasetCommitTransaction(ds) != OGRERR_NONE) {
        fail("cannot commit clusters_2030.gpkg");
        goto done;
    }
    rc = 0;
done:
    if (ds && close_ds(ds, "clusters_2030.gpkg"))
        rc = -1;
    if (srs)
        OSRDestroySpatialReference(srs);
    return rc;
}

/* Write wastewater.geojson (RFC 7946, WGS 84, 7 decimals).  Returns 0 or -1. */
static int write_wastewater(gen *g, const char *outdir)
{
    int rc = -1;
    GDALDatasetH ds = NULL;
    OGRSpatialReferenceH srs = make_srs(4326);
    OGRLayerH lyr;
    char **opts = NULL;
    if (!srs)
        goto done;
    if (!(ds = create_ds("GeoJSON", outdir, "wastewater.geojson")))
        goto done;
    opts = CSLSetNameValue(opts, "RFC7946", "YES");
    opts = CSLSetNameValue(opts, "COORDINATE_PRECISION", "7");
    lyr = GDALDatasetCreateLayer(ds, "wastewater", srs, wkbPoint, opts);
    if (!lyr) {
        fail("cannot create layer wastewater");
        goto done;
    }
    if (add_field(lyr, "ma_xlnt", OFTString, 0, 0) || add_field(lyr, "ten", OFTString, 0, 0) ||
        add_field(lyr, "dat_qc", OFTString, 0, 0) || add_field(lyr, "cong_suat", OFTInteger, 0, 0))
        goto done;
    for (int i = 0; i < N_PLANTS; i++) {
        const plant *p = &g->pt[i];
        char id[16];
        OGRGeometryH og = OGR_G_CreateGeometry(wkbPoint);
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        if (!og || !f) {
            if (og)
                OGR_G_DestroyGeometry(og);
            if (f)
                OGR_F_Destroy(f);
            fail("cannot create a feature");
            goto done;
        }
        OGR_G_SetPoint_2D(og, 0, p->lon, p->lat);
        OGR_G_AssignSpatialReference(og, srs);
        snprintf(id, sizeof id, "XL%02d", i + 1);
        set_str(f, "ma_xlnt", id);
        set_str(f, "ten", p->ten);
        set_str(f, "dat_qc", k_plants[i].met ? "đạt" : "chưa đạt");
        OGR_F_SetFieldInteger(f, OGR_F_GetFieldIndex(f, "cong_suat"), p->cong_suat);
        if (write_feature(lyr, f, og))
            goto done;
    }
    rc = 0;
done:
    if (ds && close_ds(ds, "wastewater.geojson"))
        rc = -1;
    CSLDestroy(opts);
    if (srs)
        OSRDestroySpatialReference(srs);
    return rc;
}

/* Write landuse.gpkg in EPSG:5897.  Returns 0 or -1. */
static int write_landuse(gen *g, const char *outdir)
{
    int rc = -1, multi = 0;
    GDALDatasetH ds = NULL;
    OGRSpatialReferenceH srs = make_srs(5897);
    OGRLayerH lyr;
    if (!srs)
        goto done;
    for (size_t i = 0; i < g->n_lu; i++)
        multi |= GEOSGeomTypeId_r(g->gh, g->lu[i].geom) == GEOS_MULTIPOLYGON;
    if (!(ds = create_ds("GPKG", outdir, "landuse.gpkg")))
        goto done;
    lyr = GDALDatasetCreateLayer(ds, "landuse", srs, multi ? wkbMultiPolygon : wkbPolygon,
                                 NULL);
    if (!lyr) {
        fail("cannot create layer landuse");
        goto done;
    }
    if (add_field(lyr, "loai_dat", OFTString, 4, 0) ||
        add_field(lyr, "ten_loai", OFTString, 0, 0) || add_field(lyr, "dien_tich", OFTReal, 0, 0))
        goto done;
    if (GDALDatasetStartTransaction(ds, FALSE) != OGRERR_NONE) {
        fail("cannot start a transaction");
        goto done;
    }
    for (size_t i = 0; i < g->n_lu; i++) {
        double a = area_of(g, g->lu[i].geom);
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        OGRGeometryH og = ogr_from_geos(g, g->lu[i].geom, srs, multi);
        if (!f || !og || a < 0) {
            if (f)
                OGR_F_Destroy(f);
            if (og)
                OGR_G_DestroyGeometry(og);
            fail("cannot build land-use feature");
            goto done;
        }
        set_str(f, "loai_dat", k_lu_code[g->lu[i].code]);
        set_str(f, "ten_loai", k_lu_name[g->lu[i].code]);
        OGR_F_SetFieldDouble(f, OGR_F_GetFieldIndex(f, "dien_tich"), floor(a * 10.0 + 0.5) / 10.0);
        if (write_feature(lyr, f, og))
            goto done;
    }
    if (GDALDatasetCommitTransaction(ds) != OGRERR_NONE) {
        fail("cannot commit landuse.gpkg");
        goto done;
    }
    rc = 0;
done:
    if (ds && close_ds(ds, "landuse.gpkg"))
        rc = -1;
    if (srs)
        OSRDestroySpatialReference(srs);
    return rc;
}

/* ------------------------------------------------------------------------------------- */
/* Driver                                                                                */
/* ------------------------------------------------------------------------------------- */

/* Free everything g owns (safe on a partly built g). */
static void gen_free(gen *g)
{
    if (g->gh) {
        for (int k = 0; k < N_CCN; k++) {
            if (g->cl[k].geom)
                GEOSGeom_destroy_r(g->gh, g->cl[k].geom);
            if (g->cl[k].geom_out)
                GEOSGeom_destroy_r(g->gh, g->cl[k].geom_out);
            if (g->zone[k])
                GEOSGeom_destroy_r(g->gh, g->zone[k]);
        }
        for (size_t i = 0; i < g->n_lu; i++)
            GEOSGeom_destroy_r(g->gh, g->lu[i].geom);
        for (int j = 0; j < g->n_plan; j++)
            if (g->pl[j].geom)
                GEOSGeom_destroy_r(g->gh, g->pl[j].geom);
        for (int i = 0; i < N_LN; i++)
            if (g->vpt[i])
                GEOSGeom_destroy_r(g->gh, g->vpt[i]);
        for (int i = 0; i < N_DIST; i++) {
            if (g->dprep[i])
                GEOSPreparedGeom_destroy_r(g->gh, g->dprep[i]);
            if (g->dbnd[i])
                GEOSGeom_destroy_r(g->gh, g->dbnd[i]);
            if (g->dgeom[i])
                GEOSGeom_destroy_r(g->gh, g->dgeom[i]);
        }
        if (g->outline_prep)
            GEOSPreparedGeom_destroy_r(g->gh, g->outline_prep);
        if (g->outline_bnd)
            GEOSGeom_destroy_r(g->gh, g->outline_bnd);
        if (g->outline)
            GEOSGeom_destroy_r(g->gh, g->outline);
        if (g->wkbw)
            GEOSWKBWriter_destroy_r(g->gh, g->wkbw);
        GEOS_finish_r(g->gh);
    }
    free(g->lu);
    if (g->pj)
        proj_destroy(g->pj);
    if (g->pjc)
        proj_context_destroy(g->pjc);
}

/* Entry point: make_shapes OUTDIR [DISTRICTS_CSV].  Returns the process exit status. */
int main(int argc, char **argv)
{
    static gen g; /* large; zero-initialised */
    const char *outdir;
    VSIStatBufL st;
    int rc = 1, writing = 0;

    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: make_shapes OUTDIR [DISTRICTS_CSV]\n"
                        "Writes districts.gpkg, clusters.shp, villages.geojson, "
                        "landuse.gpkg, clusters_2030.gpkg and wastewater.geojson into the "
                        "existing directory OUTDIR.\n");
        return 2;
    }
    outdir = argv[1];
    GDALAllRegister();
    if (VSIStatL(outdir, &st) != 0 || !VSI_ISDIR(st.st_mode)) {
        fprintf(stderr, "make_shapes: error: %s is not an existing directory\n", outdir);
        rc = 2;
        goto cleanup;
    }
    if (argc == 3 && load_districts_csv(argv[2]))
        goto cleanup;
    /* Reproducible GeoPackages: fixed timestamps, single-threaded R-tree build. */
    CPLSetConfigOption("OGR_CURRENT_DATE", "2024-01-01T00:00:00.000Z");
    CPLSetConfigOption("OGR_GPKG_ALLOW_THREADED_RTREE", "NO");

    g.gh = GEOS_init_r();
    if (!g.gh) {
        fail("GEOS_init_r failed");
        goto cleanup;
    }
    GEOSContext_setErrorMessageHandler_r(g.gh, geos_error_handler, NULL);
    GEOSContext_setNoticeMessageHandler_r(g.gh, geos_notice_handler, NULL);
    g.wkbw = GEOSWKBWriter_create_r(g.gh);
    if (!g.wkbw) {
        fail("cannot create a WKB writer");
        goto cleanup;
    }
    printf("make_shapes: building layers\n");
    if (proj_setup(&g) || build_outline(&g) || make_districts(&g) || make_clusters(&g) ||
        make_villages(&g) || make_landuse(&g) || report_cluster_landuse(&g) ||
        make_programme(&g) || make_plan(&g) || make_wastewater(&g))
        goto cleanup;
    printf("make_shapes: writing into %s\n", outdir);
    writing = 1;
    if (remove_outputs(outdir) || write_districts(&g, outdir) || write_clusters(&g, outdir) ||
        write_villages(&g, outdir) || write_landuse(&g, outdir) || write_plan(&g, outdir) ||
        write_wastewater(&g, outdir))
        goto cleanup;
    printf("make_shapes: done\n");
    rc = 0;
cleanup:
    if (rc != 0 && writing && remove_outputs(outdir) == 0)
        fprintf(stderr, "make_shapes: partial outputs removed from %s\n", outdir);
    gen_free(&g);
    GDALDestroyDriverManager();
    OSRCleanup();
    CPLCleanupTLS();
    proj_cleanup();
    return rc;
}
