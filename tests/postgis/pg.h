/*
 * pg.h -- running SQL on the throwaway PostGIS test server from cmocka test
 * programs, to compare ccgis's results with PostGIS's.
 *
 * The server is the CTest fixture `postgis` (pg_server.sh, started by the
 * test postgis_start): PostgreSQL on 127.0.0.1:CCGIS_PG_PORT, database
 * ccgis_test with the postgis extension and the sample layers of shapes/ as
 * tables districts, clusters, villages and landuse (native CRS, geometry
 * column geom, fid = GDAL's FID).  See tests/postgis/README.md.
 *
 * Every function that talks to the server fails the current cmocka test on
 * any error, after printing the SQL (or the ogr2ogr command) and the
 * server's (or ogr2ogr's) message on stderr, so tests need no error handling
 * of their own.  The functions are macros that pass the caller's file and
 * line, where cmocka then reports the failure.
 *
 * Programs including this file are built with (tests/postgis/CMakeLists.txt):
 *   CCGIS_PG_PORT  the server's TCP port
 *   SHAPES_DIR     the repository's shapes/ folder
 */
#ifndef CCGIS_TEST_PG_H
#define CCGIS_TEST_PG_H

/* A connection to the test server (opaque). */
typedef struct pg_conn pg_conn;

/* The result of a query: nrows x ncols cells of text, as PostgreSQL prints
 * them; a cell is NULL for SQL NULL. */
typedef struct pg_rows {
    int nrows, ncols;
    char **names; /* ncols column names */
    char **cells; /* row-major: cell (i, j) is cells[i * ncols + j] */
} pg_rows;

/*
 * pg_connect_or_skip -- connect to the test server.  When it is not there,
 * the whole test program is skipped: it exits 77 (SKIP_RETURN_CODE for
 * CTest) after saying why -- unless the environment variable CI is set (and
 * not "false" or "0"), in which case it exits 1: in CI the PostGIS tests
 * must run.  Call it from main() before running the tests.
 *
 * Session settings: client_encoding UTF8, client_min_messages warning (so
 * NOTICEs such as ST_IsValid's reasons are not printed; warnings are).
 */
pg_conn *pg_connect_or_skip(void);

/* Close the connection and free it; NULL is allowed. */
void pg_disconnect(pg_conn *pg);

/* Run SQL that returns no rows, or whose rows are not wanted (several
 * statements separated by ';' are allowed). */
#define pg_exec(pg, sql) pg_exec_at((pg), (sql), __FILE__, __LINE__)

/* Run a query; free the result with pg_rows_free(). */
#define pg_query(pg, sql) pg_query_at((pg), (sql), __FILE__, __LINE__)

/* Cell (row, col) of a result, NULL for SQL NULL; out of range fails. */
#define pg_cell(r, row, col) pg_cell_at((r), (row), (col), __FILE__, __LINE__)

/* Free a result; NULL is allowed. */
void pg_rows_free(pg_rows *r);

/*
 * The single value of a query that must return exactly one row of one
 * column, not NULL (anything else fails the test, naming the SQL):
 *   pg_scalar_double  parsed with strtod (PostgreSQL prints float8 with
 *                     enough digits to round-trip exactly);
 *   pg_scalar_int     parsed with strtoll (counts, ids, SRIDs);
 *   pg_scalar_text    a new string, which the caller frees.
 * To test for NULL, use pg_query() and pg_cell().
 */
#define pg_scalar_double(pg, sql) pg_scalar_double_at((pg), (sql), __FILE__, __LINE__)
#define pg_scalar_int(pg, sql) pg_scalar_int_at((pg), (sql), __FILE__, __LINE__)
#define pg_scalar_text(pg, sql) pg_scalar_text_at((pg), (sql), __FILE__, __LINE__)

/*
 * pg_load -- copy a file GDAL can read into table `table` with ogr2ogr:
 * -overwrite, the layer's own CRS (no reprojection), geometry column geom,
 * column fid holding GDAL's FID, geometry type as the layer declares it,
 * geometries untouched.  The table name should be lower case (ogr2ogr
 * launders names).  pg_load takes the file's first layer; pg_load_layer
 * names it.  A failure shows ogr2ogr's command line and messages.
 */
#define pg_load(pg, path, table) pg_load_at((pg), (path), NULL, (table), __FILE__, __LINE__)
#define pg_load_layer(pg, path, layer, table)                                                      \
    pg_load_at((pg), (path), (layer), (table), __FILE__, __LINE__)

/* The functions behind the macros above; file and line are the caller's. */
void pg_exec_at(pg_conn *pg, const char *sql, const char *file, int line);
pg_rows *pg_query_at(pg_conn *pg, const char *sql, const char *file, int line);
const char *pg_cell_at(const pg_rows *r, int row, int col, const char *file, int line);
double pg_scalar_double_at(pg_conn *pg, const char *sql, const char *file, int line);
long long pg_scalar_int_at(pg_conn *pg, const char *sql, const char *file, int line);
char *pg_scalar_text_at(pg_conn *pg, const char *sql, const char *file, int line);
void pg_load_at(pg_conn *pg, const char *path, const char *layer, const char *table,
                const char *file, int line);

#endif /* CCGIS_TEST_PG_H */
