/*
 * harness.h -- running commands from the CLI tests and reading what GDAL's
 * own tools say, for comparison.
 *
 * Every test program under tests/cli/ is built with these definitions:
 *   CCGIS_BIN   the ccgis executable under test
 *   SHAPES_DIR  the repository's shapes/ folder
 *   WORK_DIR    a scratch folder of this test program, emptied at start
 */
#ifndef CCGIS_TEST_HARNESS_H
#define CCGIS_TEST_HARNESS_H

#include <stddef.h>

/* What a command did. */
typedef struct run_result {
    int status; /* exit status, or -1 if it did not exit normally */
    char *out;  /* everything it wrote to stdout (owned) */
    char *err;  /* everything it wrote to stderr (owned) */
} run_result;

/*
 * run -- run a shell command line (printf-style) with stdout and stderr
 * captured in files under WORK_DIR.  Returns the result; free it with
 * run_free().  Aborts the test program if the shell cannot run at all.
 */
run_result run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void run_free(run_result *r);

/* Number of lines in s (a last line without newline counts). */
int count_lines(const char *s);

/* Read a whole file into a new string; NULL if it cannot be read. */
char *slurp(const char *path);

/*
 * ogrinfo_summary -- what `ogrinfo -ro -so -al` reports for one layer:
 * feature count, extent (6 decimals as printed), and the EPSG code of the
 * layer's CRS (the top-level ID of its WKT), 0 if none.  Returns 0, or -1
 * if ogrinfo failed or printed no such layer.
 */
typedef struct ogr_summary {
    long long count;
    int has_extent;
    double extent[4]; /* minx, miny, maxx, maxy */
    int epsg;
    char geom_column[64]; /* "Geometry Column = X", or "GEOMETRY" when not printed */
} ogr_summary;
int ogrinfo_summary(const char *source, const char *layer, ogr_summary *out);

/* Empty and re-create WORK_DIR.  Call once at start. */
void reset_work_dir(void);

#endif /* CCGIS_TEST_HARNESS_H */
