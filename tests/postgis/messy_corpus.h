/*
 * messy_corpus.h -- a small "messy zoning" corpus that the tests write
 * themselves (GDAL's C API), for the partition checks of issue 13.  Nothing
 * of it is committed: messy_corpus_write() makes the layers and the job file
 * in a folder of the calling test.
 *
 * Every feature is designed for one situation; the comments of
 * messy_corpus.c give the coordinates.  Clusters and zoning are in VN-2000 /
 * TM-3 105° (EPSG:5897), designed as offsets in metres from
 * E 583000, N 2323000 (about 105.8003 E, 20.9985 N); districts and villages
 * are in WGS 84, so that a village can lie *exactly* on a district boundary.
 *
 *   clusters.gpkg  layer clusters (GEOMETRY: POLYGON and one CURVEPOLYGON),
 *                  fields ma_ccn (id), ten (name), dien_tich (declared ha)
 *     C01  SKN + padded 'SKN ' overlapping (same class) and 'lua' overlapping
 *          'SKN ' (mixed); a 2 m² 'lua' sliver on SKN (mixed, under the
 *          cluster's 4 m² tolerance: no finding, but counted); declared 4.0
 *     C02  the same 'Skk' zone three times; an 'ONT' zone with a hole; a
 *          20 m gap between them; declared 4.8 ha = 20 % off (AREA_MISMATCH)
 *     C03  on no zone at all; declared 3 % off (no finding)
 *     C04  'lua' and 'LUA' side by side (one class); NULL, '' and '   '
 *          classes (no zone: ZONE_UNCLASSIFIED, ZONING_GAP)
 *     C05  ' skc' (allowed), 'Lúa' in NFC and in NFD (one class), and a
 *          bow-tie 'ONT' zone (ZONE_REPAIRED)
 *     C06  straddles Đông Anh / Gia Lâm about 50/50; on an SKN zone with a
 *          0.5 m² hole (nozone under the tolerance: no ZONING_GAP)
 *     C07  30 % outside every district (OUTSIDE_DISTRICTS); 'ONT' and 'lua'
 *          overlapping (both conflict, not mixed); a gap
 *     C08  0.1 m x 0.1 m = 0.01 m², inside Thanh Trì, on no zone
 *     C09  CURVEPOLYGON: a half disc (r = 100 m) on a 200 x 100 m rectangle;
 *          SKN under the rectangle, ONT under the half disc
 *     C10  a rectangle with a staircase of 3-60 cm edges; villages 1-50 cm
 *          from them; all on 'Skk'
 *     C11  across the line between the two features of Thanh Trì (dissolved:
 *          100 % in one district); ONT over all of it, two stacked 'lua'
 *          zones over 60 % (confl_top is ONT by union, not 'lua' by sum); a
 *          zero-area zone (ZONE_SKIPPED)
 *     C12, C13  overlap each other by 0.5 ha (CLUSTER_OVERLAP), no zone
 *     C14  bow-tie with lobes of 0.5 and 2 ha: repair changes the area by
 *          more than 10 % (NEEDS_MANUAL_FIX)
 *     C15  a small self-crossing loop at a corner: repaired, area changed by
 *          less than 1 % (no NEEDS_MANUAL_FIX)
 *   zoning.gpkg    layer zoning (POLYGON), fields ma_vung (id Z01..), loai_dat
 *                  (class); Z25 has a NULL geometry
 *   districts.gpkg layer districts (POLYGON, WGS 84), field ten; Thanh Trì is
 *                  two features sharing an edge; feature 5 has a NULL name and
 *                  feature 6 a blank one (no cluster, no village near them)
 *   villages.gpkg  layer villages (POINT, WGS 84), fields ma_ln, ten
 *   messy.ini      the job: formats = gpkg, plan_crs = EPSG:5897, sliver,
 *                  sliver_m2, declared_ha, declared_tol_pct, [zoning] id, and
 *                  allowed = "skn;SKC,  Skk" (';', ',' and spaces)
 *   messy_noid.ini  the same job without [zoning] id (zone ids are FIDs),
 *                  writing MESSY_OUTPUT "_noid"
 *   messy_legacy.ini  the same job without the keys of issue 13 and with
 *                  allowed = SKN, SKC, SKK: what an engine without them
 *                  accepts, so that its figures can still be compared
 */
#ifndef CCGIS_TEST_MESSY_CORPUS_H
#define CCGIS_TEST_MESSY_CORPUS_H

#include <stddef.h>

/* The job's output folder, relative to the corpus folder. */
#define MESSY_OUTPUT "out/messy"

/* The curved cluster and its exact planar area in EPSG:5897, m²:
 * pi * 100² / 2 + 200 * 100. */
#define MESSY_CURVED_ID "C09"
#define MESSY_CURVED_PLAN_M2 (3.14159265358979323846 * 1e4 / 2 + 2e4)

/* A village placed at a designed distance from a cluster's edge. */
typedef struct messy_village {
    const char *id;      /* ma_ln */
    const char *cluster; /* the nearest cluster */
    double design_m;     /* designed distance, m (in the VN-2000 plane) */
    int tiny_edges;      /* 1: near the 3-60 cm edges of C10 */
} messy_village;

/* The villages placed near an edge on purpose, terminated by id NULL. */
extern const messy_village messy_near_villages[];

/*
 * messy_corpus_write -- write the layers and the two job files into `dir`
 * (which must exist).  Returns 0, or -1 with a message in err.
 */
int messy_corpus_write(const char *dir, char *err, size_t errlen);

#endif /* CCGIS_TEST_MESSY_CORPUS_H */
