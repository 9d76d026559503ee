/*
 * ccgis/job.h -- the job file of `ccgis run`: what to read, how, and where to
 * write.
 *
 * A job file is INI text in UTF-8 (parsed with libinih).  Paths are relative
 * to the job file's folder; a path may be written in "double" or 'single'
 * quotes, which are removed (a trailing '/' is fine too).  Comments start
 * with ';' or '#' at the start of a line, or ' ;' after a value.
 *
 *   [job]
 *   name     = Hà Nội — cụm công nghiệp 2030   ; title of the report
 *   output   = ../out/hanoi                    ; folder to create (required)
 *   formats  = geojson, shp, gpkg, sqlite      ; any subset; default geojson, shp
 *   plan_crs = EPSG:5897                       ; optional: planar areas (plan_ha) in this CRS
 *   lang     = vi                              ; report.md and the workbook in Vietnamese
 *                                              ; (vi, the default) or English (en)
 *   output_crs = EPSG:5897                     ; optional: CRS of the .shp, .gpkg and .sqlite
 *                                              ; layers (default WGS 84; GeoJSON stays WGS 84)
 *   sliver   = 1e-4                            ; findings under this share of the cluster,
 *   sliver_m2 = 1                              ; or under this many m², are not listed
 *
 *   [clusters]      ; required: the industrial-cluster polygons
 *   source   = ../shapes/clusters.shp          ; required
 *   layer    =                                 ; for multi-layer sources
 *   id       = ma_ccn                          ; required: unique, non-empty id field
 *   name     = ten                             ; optional
 *   status   = trang_thai                      ; optional: grouped in the summaries
 *   declared_ha = dien_tich                    ; optional: the declared area, hectares
 *   declared_tol_pct = 5                       ; AREA_MISMATCH beyond this (default 5)
 *   srs      =                                 ; assign a CRS (.prj missing or wrong)
 *   encoding =                                 ; a shapefile's attribute encoding when its
 *                                              ; .cpg is missing or wrong: UTF-8, CP1258,
 *                                              ; VISCII, TCVN3, VNI (default: declared,
 *                                              ; else detected; layer.h)
 *
 *   [districts]     ; optional: administrative units
 *   source, layer, srs, encoding as above;  name = field naming each unit (required)
 *
 *   [zoning]        ; optional: land-use zones (may be very large: streamed)
 *   source, layer, srs, encoding;  class = field with the land-use code (required);
 *   allowed = SKN, SKC, SKK                    ; classes that are no conflict (default;
 *                                              ; separated by ',', ';' or spaces)
 *   id       = ma_vung                         ; optional: zone id in findings (default FID)
 *
 *   [villages]      ; optional: craft villages (points; polygons -> a point on their surface)
 *   source, layer, srs, encoding, where, x, y;  id (default: FID), name;
 *   radius_m = 2000                            ; metres (default 2000)
 *
 *   The programme fields of [clusters] (all optional; read as typed, programme.h):
 *   operating = đang hoạt động, operating      ; status values meaning operating (the
 *                                              ; default; ',' or ';' between; compared
 *                                              ; after NFC and case folding)
 *   year_set_up = nam_kc                       ; year the cluster was set up (2019,
 *                                              ; 2019-05-10, 05/2019)
 *   construction_start = khoi_cong             ; date infrastructure building started
 *   plan_1500 = qh_1500                        ; approval date of its 1/500 detailed plan
 *   clearance_pct = gpmb_pct                   ; share of the site cleared, %
 *   enterprises = so_dn                        ; enterprises and households hosted
 *   workers = lao_dong                         ; workers
 *
 *   [plan]          ; optional: the planned clusters (e.g. the 2030 plan; change.h)
 *   source, layer, srs, encoding, where as above;  id = field (required; unique in
 *   the layer; equal ids match today's clusters), status = field (optional)
 *
 *   [wastewater]    ; optional: wastewater-treatment plants (points; wastewater.h)
 *   source, layer, srs, encoding, where, x, y;  id (default: FID);
 *   standard_met = dat_qc                      ; yes/no: meets the national standard
 *                                              ; (1/yes/true/có/đạt; else no)
 *   max_m = 200                                ; a plant serves a cluster it lies in or
 *                                              ; within this many metres of (default 200)
 *
 *   [style]         ; optional: the QGIS styles written with the layers
 *   conflict_breaks = 5, 10, 20, 50            ; class limits of the clusters' conflict
 *                                              ; share, %: classes 0 %, 0-5, 5-10, 10-20,
 *                                              ; 20-50, 50-100 (the default); ascending,
 *                                              ; each above 0 and below 100, at most 16
 *
 *   [map]           ; optional: the QGIS project <name>.qgz written with the GeoPackage
 *   paper    = A3                              ; its print layouts' paper: A3 (default) or A4
 *   orientation = landscape                    ; landscape (default) or portrait
 *   author   = Phòng Quản lý cụm công nghiệp   ; the project's author (metadata); optional
 *   abstract = ...                             ; its abstract; default: what the job is
 *
 * Every input section also takes where (an attribute filter, e.g. a DXF
 * drawing's CAD layer: where = Layer = 'RANH_GIOI') and, for a table of
 * points without geometry, x and y (the columns; recognised by name when
 * not given: x/lon/kinh_do, y/lat/vi_do).
 *
 * Everything that can be checked before work starts is checked by
 * ccgis_job_read() (syntax, sections, keys, values) and ccgis_job_check()
 * (sources open, layers and fields exist); their messages begin with
 * "FILE:LINE:" pointing at the job file line concerned.
 */
#ifndef CCGIS_JOB_H
#define CCGIS_JOB_H

#include <stddef.h>

#include "ccgis/ctx.h"
#include "ccgis/lang.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Output formats, a bit each. */
enum {
    CCGIS_FMT_GEOJSON = 1,
    CCGIS_FMT_SHP = 2,
    CCGIS_FMT_GPKG = 4,
    CCGIS_FMT_SQLITE = 8
};

/* [map] paper: the print layouts' paper size. */
typedef enum ccgis_paper {
    CCGIS_PAPER_A3 = 0, /* 420 x 297 mm, the default */
    CCGIS_PAPER_A4      /* 297 x 210 mm */
} ccgis_paper;

/* At most this many [style] conflict_breaks. */
#define CCGIS_MAX_BREAKS 16

/* One input section.  Strings are owned by the job; NULL when not given. */
typedef struct ccgis_job_input {
    int present;    /* the section is in the file */
    int line;       /* line of its [header] */
    char *source;   /* resolved against the job file's folder (connection strings kept) */
    char *layer, *srs, *encoding;
    char *where;    /* attribute filter, e.g. Layer = 'RANH_GIOI' (a DXF's CAD layer) */
    char *x, *y;    /* x / y columns of a table of points (CSV, XLSX, ODS) */
    char *keep_fields; /* "all": keep a KML's Google Earth housekeeping fields */
    char *id, *name, *status, *klass; /* fields, as the section uses them */
    char *declared; /* [clusters] declared_ha: field with each polygon's declared hectares */
    int line_source, line_id, line_name, line_status, line_class, line_declared; /* their
                                                                lines, 0 if unset */
    int line_layer, line_srs, line_encoding, line_where, line_x, line_y;         /* likewise */
    /* [clusters] programme fields (all optional; programme.h reads them) */
    char *year_set_up, *construction_start, *plan_1500, *clearance_pct, *enterprises,
        *workers;
    char *standard_met; /* [wastewater] standard_met: yes/no field (ccgis_yes) */
    int line_year_set_up, line_construction_start, line_plan_1500, line_clearance_pct,
        line_enterprises, line_workers, line_standard_met; /* 0 if unset */
} ccgis_job_input;

typedef struct ccgis_job {
    char *path;    /* the job file as given */
    char *name;    /* [job] name, or the file's base name */
    char *output;  /* resolved output folder */
    int line_output;
    unsigned formats;
    char *plan_crs; /* NULL: none */
    ccgis_lang lang; /* [job] lang: report.md and the workbook (default CCGIS_LANG_VI) */
    char *output_crs; /* [job] output_crs: CRS of the layers written (write.h, "Output
                         CRS"); NULL: WGS 84 */
    int line_output_crs;
    ccgis_job_input clusters, districts, zoning, villages;
    ccgis_job_input plan;       /* [plan]: the planned clusters (change.h); present 0 if none */
    ccgis_job_input wastewater; /* [wastewater]: the treatment plants (wastewater.h) */
    char **allowed; /* NULL-terminated allowed classes, as written */
    int line_allowed;
    char **operating; /* [clusters] operating: NULL-terminated status values meaning
                         operating (default "đang hoạt động", "operating") */
    int line_operating;
    double wwtp_max_m; /* [wastewater] max_m (default CCGIS_WWTP_MAX_M_DEFAULT, 200) */
    double radius_m;
    double sliver;           /* [job] sliver: findings smaller than this fraction of the
                                cluster's area are not listed (default 1e-4) */
    double sliver_m2;        /* [job] sliver_m2: ... nor smaller than this, m² (default 1) */
    double declared_tol_pct; /* [clusters] declared_tol_pct (default 5) */
    double conflict_breaks[CCGIS_MAX_BREAKS]; /* [style] conflict_breaks, % (ascending, in
                                                 (0, 100); default 5, 10, 20, 50) */
    size_t n_conflict_breaks;
    int line_conflict_breaks; /* 0 if unset */
    ccgis_paper paper;        /* [map] paper (default CCGIS_PAPER_A3) */
    int portrait;             /* [map] orientation = portrait; 0: landscape (the default) */
    char *author, *abstract;  /* [map] author, abstract: the QGIS project's; NULL if unset */
} ccgis_job;

/*
 * ccgis_job_read -- parse and validate a job file.  Returns CCGIS_OK and
 * sets *out (ccgis_job_free), or CCGIS_ERR_USAGE with "FILE:LINE: ..." for a
 * syntax error, unknown section or key, bad value or missing required key,
 * or CCGIS_ERR_NOT_FOUND / CCGIS_ERR_INPUT when the file cannot be read.
 */
ccgis_status ccgis_job_read(ccgis_ctx *ctx, const char *path, ccgis_job **out);

/*
 * ccgis_job_check -- check that the layers can be written in output_crs
 * (ccgis_crs_for_output, crs.h), then open every source of the job and check
 * its layer and fields exist, without reading features.  Returns CCGIS_OK or
 * the failure, its message prefixed with the job file line of the offending
 * key.
 */
ccgis_status ccgis_job_check(ccgis_ctx *ctx, const ccgis_job *job);

/*
 * ccgis_job_check_classes -- read the class of every zone (nothing else)
 * and warn, naming the job file line, about each allowed class no zone has
 * (a typo such as SKX, or another code list), listing the classes the layer
 * does have.  *unmet gets how many.  Reads the whole zoning layer: meant for
 * `ccgis run --check`; a run warns about the classes near the clusters
 * instead (overlay.h).  Returns CCGIS_OK or a failure to open the layer.
 */
ccgis_status ccgis_job_check_classes(ccgis_ctx *ctx, const ccgis_job *job, size_t *unmet);

/* ccgis_job_free -- release a job; NULL is accepted.  Returns NULL. */
ccgis_job *ccgis_job_free(ccgis_job *job);

#ifdef __cplusplus
}
#endif

#endif /* CCGIS_JOB_H */
