/*
 * ccgis/outdir.h -- putting an output in place: all or nothing, and never
 * over anything ccgis did not write.
 *
 * Every output of ccgis goes through this one transaction: the folder of
 * `ccgis run` (CCGIS_OUTDIR_FOLDER) and the file or files of the single
 * commands, `ccgis area -o out.gpkg` (CCGIS_OUTDIR_FILES, through
 * ccgis_write(), write.h).  For a destination DIR/NAME:
 *
 *   ccgis_outdir_begin()   takes the lock DIR/.NAME.ccgis-lock (flock; the
 *                          file holds the pid): a second ccgis writing the
 *                          same destination is refused at once, naming the
 *                          pid.  Then removes the temporary folders
 *                          DIR/.NAME.ccgis-tmp-* of runs that were killed
 *                          (while the lock is held no live run can own one),
 *                          the temporary files DIR/.NAME.ccgis-tmp-* of
 *                          earlier ccgis versions, and, for a file, their
 *                          folders DIR/.ccgis-tmp-XXXXXX holding nothing but
 *                          files of that output, with a warning saying how
 *                          many and how large;
 *                          and refuses what can be refused before any work
 *                          (see "Replacing" below).
 *   ccgis_outdir_stage()   creates the temporary folder
 *                          DIR/.NAME.ccgis-tmp-XXXXXX to write into.
 *   ccgis_outdir_commit()  syncs every file to disk and puts the result in
 *                          place with an operation that fails if something
 *                          appeared at DIR/NAME in the meantime
 *                          (renameat2 RENAME_NOREPLACE).
 *   ccgis_outdir_end()     removes what was not committed, releases and
 *                          removes the lock.
 *
 * Folders.  At commit, ccgis writes DIR/NAME/.ccgis-manifest: every file it
 * wrote in the folder, one line each,
 *
 *     ccgis-manifest 1
 *     # comment lines
 *     SIZE SHA256  PATH
 *
 * with SIZE in bytes, SHA256 the file's SHA-256 in lower-case hex, PATH
 * relative to the folder ('\' and newline written as "\\" and "\n"); the
 * part after SIZE is what `sha256sum -c` reads.  The manifest is the proof of
 * ownership: nothing else is.
 *
 * Replacing.  Without `overwrite`, an existing destination is refused, at
 * begin and again at commit (a folder or file that appeared during the run
 * is left untouched; the results are discarded).  With `overwrite`:
 *   - a folder is replaced only when it holds exactly what its manifest
 *     lists (files missing from it are fine; an empty folder is fine):
 *     any other file or folder in it, or a listed file whose size or
 *     checksum changed, is named in the refusal and nothing is touched.
 *     begin checks names and sizes (a quick, early refusal), commit checks
 *     the checksums too, just before the exchange.
 *     The verified folder is exchanged atomically with the new one
 *     (renameat2 RENAME_EXCHANGE), then exactly its listed files are
 *     removed (each only if it is still the file that was verified), then
 *     its emptied folders.  A folder without a manifest (an earlier ccgis
 *     version's, or anyone else's) is never replaced.
 *   - files (single commands): the user named the file, so `overwrite`
 *     replaces the files of that dataset by the same names (a shapefile's
 *     .shp, .shx, .dbf, .prj, .cpg) by atomic exchange; when a shapefile
 *     replaced an earlier one, the earlier one's files the new one does not
 *     have (.qix, .sbn, .sbx spatial indexes of the old geometries, a .prj
 *     or .cpg it lacks ...) are removed after the exchange, so that nothing
 *     stale is read with it (a note says which).  Nothing else is touched.
 * Several outputs committed together (ccgis_outdir_commit_all) are all put
 * in place or none is: on a failure the ones already moved are moved back.
 *
 * Messages name the destination as the user gave it, never the hidden
 * temporary folder: ccgis_outdir_end() rewrites the context's error message
 * accordingly.  A kill (SIGKILL, power loss) leaves at most the temporary
 * folder and the lock file, which the next run cleans.
 *
 * Inputs vs outputs: ccgis_outdir_holds() says whether a source, in any form
 * GDAL opens (a path, /vsizip/, /vsigzip/, /vsitar/, GeoJSON:, GPKG:, a .vrt
 * and what it reads ...), reads a file under a folder: a job whose output
 * folder holds one of its inputs is refused before anything is read.
 * ccgis_outdir_replaces() says the same of an output file: a single command
 * whose output would replace one of its inputs is refused the same way.
 *
 * Linux only (renameat2, flock); the destination's folder must be on a
 * local file system that supports them (ext4, xfs, btrfs, tmpfs do).
 */
#ifndef CCGIS_OUTDIR_H
#define CCGIS_OUTDIR_H

#include <stddef.h>

#include "ccgis/ctx.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the destination is. */
typedef enum ccgis_outdir_kind {
    CCGIS_OUTDIR_FOLDER = 0, /* a folder: the temporary folder becomes it; the
                                folders above it are created when missing */
    CCGIS_OUTDIR_FILES = 1   /* a file: the files written in the temporary folder
                                are moved beside it; its folder must exist */
} ccgis_outdir_kind;

/* Options of ccgis_outdir_begin(); NULL means a folder, no overwrite. */
typedef struct ccgis_outdir_options {
    ccgis_outdir_kind kind;
    int overwrite; /* 1: replace an existing destination as described above */
} ccgis_outdir_options;

/* One output transaction (opaque). */
typedef struct ccgis_outdir ccgis_outdir;

/*
 * ccgis_outdir_begin -- start writing `dest` (a path; trailing slashes are
 * ignored; its last part must name something to create, not "." or "..").
 *
 * Returns CCGIS_OK and *out (end it with ccgis_outdir_end()), or
 * CCGIS_ERR_USAGE (dest names no file or folder) or CCGIS_ERR_OUTPUT
 * (another ccgis is writing it; it exists and !overwrite; it is a file
 * where a folder is wanted or the reverse; a folder it may not replace,
 * with the files that prevent it; its folder cannot be created or written)
 * with *out NULL.
 */
ccgis_status ccgis_outdir_begin(ccgis_ctx *ctx, const char *dest,
                                const ccgis_outdir_options *options, ccgis_outdir **out);

/* ccgis_outdir_dest -- the destination, trailing slashes removed (borrowed). */
const char *ccgis_outdir_dest(const ccgis_outdir *od);

/* ccgis_outdir_name -- its last part, e.g. "hanoi" for "out/hanoi/" (borrowed). */
const char *ccgis_outdir_name(const ccgis_outdir *od);

/*
 * ccgis_outdir_stage -- create the temporary folder (once; later calls return
 * the same).  *path receives its path, borrowed until ccgis_outdir_end():
 * write everything there, under the names it must have in place (FILES:
 * the file named like the destination, and its sidecars).  Returns CCGIS_OK
 * or CCGIS_ERR_OUTPUT (cannot create it: permissions, disk).
 */
ccgis_status ccgis_outdir_stage(ccgis_ctx *ctx, ccgis_outdir *od, const char **path);

/*
 * ccgis_outdir_commit -- put the staged result in place (see "Replacing").
 * Returns CCGIS_OK, or CCGIS_ERR_OUTPUT with nothing changed at the
 * destination (it appeared during the run, holds what ccgis did not write,
 * the disk failed ...).  Call once, after ccgis_outdir_stage().
 */
ccgis_status ccgis_outdir_commit(ccgis_ctx *ctx, ccgis_outdir *od);

/*
 * ccgis_outdir_commit_all -- commit n transactions together: every one is
 * put in place, or (CCGIS_ERR_OUTPUT) none is and each destination is as it
 * was.  Only a crash in the middle of the moves can leave some done.
 */
ccgis_status ccgis_outdir_commit_all(ccgis_ctx *ctx, ccgis_outdir *const *ods, size_t n);

/*
 * ccgis_outdir_end -- finish a transaction: when it was not committed, remove
 * the temporary folder (and the folders begin created); release and remove
 * the lock; free od (NULL is allowed).  `status` is the outcome of the work
 * so far: when it is a failure, the context's error message is rewritten to
 * name the destination instead of the temporary folder.  Returns `status`.
 */
ccgis_status ccgis_outdir_end(ccgis_ctx *ctx, ccgis_outdir *od, ccgis_status status);

/*
 * ccgis_outdir_holds -- 1 if the source `source` reads a file or folder at
 * or under the folder `folder` (which need not exist yet), else 0.
 *
 * The source is resolved to what it reads on disk: GDAL driver prefixes
 * ("GeoJSON:", "GPKG:", "CSV:" ...) and virtual file systems (/vsizip/,
 * /vsigzip/, /vsitar/, /vsi7z/, /vsirar/, /vsisubfile/, also chained and
 * with {braces}) are stripped, then the longest part of the rest that exists
 * is resolved with realpath (symbolic links, "..").  Sidecar files (a
 * shapefile's .shx, .dbf, .prj ...) lie in the same folder as their main
 * file, so they are covered.  A GDAL virtual dataset (a .vrt file, or its
 * XML given as the source) is followed: each <SrcDataSource> and
 * <SourceFilename> it names (relative to the .vrt's folder with
 * relativeToVRT="1") is resolved the same way, up to 8 VRTs deep.
 * Database connections (PG:...) and remote sources (/vsicurl/, http://)
 * read nothing local: 0.
 *
 * `file` (may be NULL) receives, when 1 is returned, the resolved path found
 * under the folder (cap bytes).
 */
int ccgis_outdir_holds(const char *folder, const char *source, char *file, size_t cap);

/*
 * ccgis_outdir_replaces -- 1 if writing the output file `path` (which need
 * not exist yet) would create or replace a file the source `source` reads,
 * else 0.  The source is resolved as by ccgis_outdir_holds(); it reads what
 * `path` writes when it resolves to
 *   - the file `path` itself (also through /vsizip/, GPKG:, a .vrt ...);
 *   - another file of the same shapefile: a.shp read and a.dbf written, or
 *     the reverse (.shp .shx .dbf .prj .cpg .qix .sbn .sbx .qpj, any case);
 *   - a folder holding `path` when `path` is part of a shapefile (a folder
 *     of shapefiles opened as one source reads the shapefiles in it).
 * `file` (may be NULL) receives, when 1 is returned, the resolved path the
 * source reads (cap bytes).
 */
int ccgis_outdir_replaces(const char *path, const char *source, char *file, size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* CCGIS_OUTDIR_H */
