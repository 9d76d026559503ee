/*
 * test_bad.c -- the bad-input corpus: what GIS staff get sent, and what
 * ccgis says about it.
 *
 * Each case builds its input in its own folder (shell: printf, cp, sed,
 * ogr2ogr from the sample layers), runs ccgis, and checks
 *   - the exit status,
 *   - a fragment of what the user reads (stderr, or stdout for `info`),
 *   - that a named output does not exist afterwards (no partial output),
 *   - optionally a shell check on what was written (e.g. a feature count).
 * The `says` column is the contract: the message names the file, the layer,
 * the feature and the fix.  Cases are listed in tests/bad/README.md.
 *
 * Shell variables available to `setup`, `cmd` and `check`:
 *   $S  the sample layers (shapes/)   $W  this case's folder
 *   $C  the ccgis binary               mkjob [sed args]  writes $W/job.ini from
 *   samples/hanoi.ini with its sources in $S and its output in $W/out.
 *   $L  silent_listener (a TCP server on 127.0.0.1 that never answers:
 *       `$L PORTFILE` writes its port to PORTFILE)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

typedef struct bad_case {
    const char *name;   /* what the user did */
    const char *setup;  /* shell, run in $W */
    const char *cmd;    /* shell, run in $W */
    int exit;           /* expected exit status */
    const char *says;   /* expected in stderr (or stdout) */
    const char *absent; /* path under $W that must not exist afterwards, or NULL */
    const char *check;  /* shell that must exit 0 afterwards, or NULL */
} bad_case;

/* A GeoJSON FeatureCollection of one feature with id "a" and GEOM. */
#define GJ1(geom)                                                                                 \
    "printf '%s' '{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","           \
    "\"properties\":{\"id\":\"a\"},\"geometry\":" geom "}]}' > in.geojson"
/* Two features: "a" with GEOM, then "ok" with a good square, so the layer is usable. */
#define GJ2(geom)                                                                                 \
    "printf '%s' '{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","           \
    "\"properties\":{\"id\":\"a\"},\"geometry\":" geom "},{\"type\":\"Feature\",\"properties\":" \
    "{\"id\":\"ok\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[105.8,21.0],"         \
    "[105.81,21.0],[105.81,21.01],[105.8,21.01],[105.8,21.0]]]}}]}' > in.geojson"
#define POLY(ring) "{\"type\":\"Polygon\",\"coordinates\":[" ring "]}"
#define AREA "$C area in.geojson --id id -o out.gpkg"
#define COUNT(file, n)                                                                            \
    "[ \"$(ogrinfo -ro -so -al " file " | sed -n 's/^Feature Count: //p')\" = " #n " ]"
/* The job's output folder $W/out is whole: every file its manifest lists has
 * the listed SHA-256 (coreutils sha256sum). */
#define VALID_OUT                                                                                 \
    "(cd out && sed '1d;/^#/d' .ccgis-manifest | cut -d' ' -f2- | sha256sum -c --quiet)"
/* Start silent_listener in the background ($lp) and wait for its port ($port). */
#define LISTEN                                                                                    \
    "$L port 60 & lp=$!; while [ ! -s port ]; do sleep 0.05; done; port=$(cat port); "
/* Milliseconds since the epoch. */
#define NOW_MS "$(($(date +%s%N) / 1000000))"
/* Wait (up to 30 s) until a run paused with CCGIS_TEST_STALL_DIR=. says so
 * (testhook.c writes "stalled"): a fixed sleep can end before a run on a
 * loaded machine reaches its pause point. */
#define WAIT_STALLED                                                                              \
    "i=0; while [ ! -e stalled ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done; "
/* Run as an unprivileged user when root (root reads any file). */
#define AS_USER(c) "if [ $(id -u) = 0 ]; then runuser -u nobody -- " c "; else " c "; fi"

static const bad_case cases[] = {
    /* ---- files ---- */
    {"missing file", NULL, "$C info $W/nope.shp", 2,
     "nope.shp: no such file or directory -- check the path", NULL, NULL},
    {"unreadable file", "cp $S/districts.gpkg d.gpkg && chmod 000 d.gpkg",
     AS_USER("$C info $W/d.gpkg"), 2, "d.gpkg: cannot be read (Permission denied)", NULL, NULL},
    {"empty file (0 bytes)", ": > e.shp", "$C info e.shp", 2,
     "e.shp: the file is empty (0 bytes)", NULL, NULL},
    {"truncated .shp", "for e in shx dbf prj cpg; do cp $S/clusters.$e c.$e; done && "
                       "head -c 300 $S/clusters.shp > c.shp",
     "$C area c.shp -o out.gpkg", 2, "GDAL reported an error while reading it", "out.gpkg",
     NULL},
    {".shx missing", "cp $S/clusters.shp c.shp && cp $S/clusters.dbf c.dbf", "$C info c.shp", 2,
     "Unable to open c.shx or c.SHX", NULL, NULL},
    {".dbf with fewer records than the .shp",
     "for e in shp shx prj cpg; do cp $S/clusters.$e c.$e; done && ogr2ogr -f 'ESRI Shapefile' "
     "few.dbf $S/clusters.shp -where \"ma_ccn < 'CCN10'\" -nlt NONE && cp few.dbf c.dbf",
     "$C area c.shp -o out.gpkg", 2,
     "c.shp: the .dbf holds 9 records but the .shp/.shx 30 shapes", "out.gpkg", NULL},
    {"GeoJSON syntax error", "printf '{\"type\":\"FeatureCollection\",\"features\":[{' > g.geojson",
     "$C info g.geojson", 2, "g.geojson: GDAL cannot open it as vector data", NULL, NULL},
    {"GeoJSON with a non-numeric coordinate",
     GJ1(POLY("[[105.8,21.0],[\"x\",21.0],[105.81,21.01],[105.8,21.0]]")), AREA, 2,
     "in.geojson, layer 'in', feature 0: GDAL reported an error while reading it: Invalid 'x' "
     "coordinate",
     "out.gpkg", NULL},
    {"GeoPackage that is not SQLite", "echo hello > f.gpkg", "$C info f.gpkg", 2,
     "f.gpkg: not a vector dataset GDAL can read", NULL, NULL},
    {"a directory instead of a file", "mkdir d", "$C area d -o out.gpkg", 2,
     "d: a folder in which GDAL finds no vector data -- name a file inside it", "out.gpkg",
     NULL},

    /* ---- sources that would keep ccgis waiting ---- */
    {"a named pipe (FIFO) as a source", "mkfifo f.geojson", "timeout -s KILL 10 $C info f.geojson",
     2, "f.geojson: is a named pipe (FIFO), not a file -- ccgis reads only regular files", NULL,
     NULL},
    {"a named pipe behind a GDAL prefix, in a job",
     "mkfifo z.gpkg && mkjob -e \"s|^source .*landuse.gpkg.*|source = GPKG:$W/z.gpkg:landuse|\"",
     "timeout -s KILL 10 $C run job.ini", 2,
     "z.gpkg is a named pipe (FIFO), not a file", "out",
     "grep -q 'job.ini:29: \\[zoning\\]' .err"},
    {"a shapefile whose .dbf is a named pipe",
     "for e in shp shx prj cpg; do cp $S/clusters.$e c.$e; done && mkfifo c.dbf",
     "timeout -s KILL 10 $C area c.shp -o out.gpkg", 2,
     "c.shp: c.dbf is a named pipe (FIFO), not a file", "out.gpkg", NULL},
    {"a device as a source", NULL, "timeout -s KILL 10 $C info /dev/zero", 2,
     "/dev/zero: is a character device, not a file", NULL, NULL},
    {"a PostgreSQL server that never answers (connect timeout)", NULL,
     LISTEN "t0=" NOW_MS "; $C info \"PG:host=127.0.0.1 port=$port dbname=x\"; rc=$?; "
     "echo \"answered after $((" NOW_MS " - t0)) ms\"; kill $lp; exit $rc",
     2, "the database server did not answer in time", NULL,
     "ms=$(sed -n 's/^answered after \\([0-9]*\\) ms$/\\1/p' .out) && [ \"$ms\" -ge 9000 ] && "
     "[ \"$ms\" -lt 15000 ]"},
    {"a PostgreSQL server that never answers, ended by SIGTERM", NULL,
     LISTEN "mkjob -e \"s|^source .*landuse.gpkg.*|source = PG:host=127.0.0.1 port=$port "
     "dbname=x|\"; $C run job.ini & pid=$!; sleep 1; t0=" NOW_MS "; kill -TERM $pid; wait $pid; "
     "rc=$?; echo \"ended $((" NOW_MS " - t0)) ms after SIGTERM\"; kill $lp; exit $rc",
     143, "did not stop within a second, so ccgis stopped at once; nothing was written", "out",
     "ms=$(sed -n 's/^ended \\([0-9]*\\) ms after SIGTERM$/\\1/p' .out) && [ \"$ms\" -lt 2000 ] "
     "&& ! ls -a | grep -q ccgis-tmp"},
    {"a WFS server that never answers, ended by SIGTERM", NULL,
     LISTEN "mkjob -e \"s|^source .*landuse.gpkg.*|source = WFS:http://127.0.0.1:$port/wfs|\"; "
     "$C run job.ini & pid=$!; sleep 1.5; t0=" NOW_MS "; kill -TERM $pid; wait $pid; rc=$?; "
     "echo \"ended $((" NOW_MS " - t0)) ms after SIGTERM\"; kill $lp; exit $rc",
     143, "did not stop within a second, so ccgis stopped at once; nothing was written", "out",
     "ms=$(sed -n 's/^ended \\([0-9]*\\) ms after SIGTERM$/\\1/p' .out) && [ \"$ms\" -lt 2000 ] "
     "&& ! ls -a | grep -q ccgis-tmp"},
    {"a WFS server that stops sending (stall limit, set to 2 s here; 60 s by default)", NULL,
     LISTEN "GDAL_HTTP_LOW_SPEED_TIME=2 timeout -s KILL 30 $C info WFS:http://127.0.0.1:$port/wfs; "
     "rc=$?; kill $lp; exit $rc",
     2, "GDAL cannot open it as vector data: Error returned by server : Operation too slow", NULL,
     NULL},

    /* ---- geometry ---- */
    {"NULL geometry", GJ2("null"), AREA, 0, "in.geojson, layer 'in', id 'a', feature 0: skipped: "
                                            "no geometry (NULL)",
     NULL, COUNT("out.gpkg", 1)},
    {"empty geometry", GJ2(POLY("")), AREA, 0, "feature 0: skipped: ", NULL,
     COUNT("out.gpkg", 1)},
    {"self-intersecting bow-tie",
     GJ1(POLY("[[105.8,21.0],[105.81,21.01],[105.81,21.0],[105.8,21.01],[105.8,21.0]]")), AREA, 0,
     "feature 0: repaired (Self-intersection)", NULL, COUNT("out.gpkg", 1)},
    {"figure-eight ring",
     GJ1(POLY("[[105.8,21.0],[105.81,21.01],[105.82,21.0],[105.82,21.02],[105.81,21.01],"
              "[105.8,21.02],[105.8,21.0]]")),
     AREA, 0, "feature 0: repaired (Ring Self-intersection)", NULL, COUNT("out.gpkg", 1)},
    {"unclosed ring", GJ1(POLY("[[105.8,21.0],[105.81,21.0],[105.81,21.01],[105.8,21.01]]")), AREA,
     0, "feature 0: repaired (ring not closed)", NULL, COUNT("out.gpkg", 1)},
    {"ring with fewer than 4 points", GJ2(POLY("[[105.8,21.0],[105.81,21.0],[105.8,21.0]]")),
     AREA, 0, "feature 0: skipped: invalid polygon (Too few points in geometry component) with "
              "no area left after MakeValid",
     NULL, COUNT("out.gpkg", 1)},
    {"duplicate consecutive points",
     GJ1(POLY("[[105.8,21.0],[105.81,21.0],[105.81,21.0],[105.81,21.01],[105.8,21.0]]")), AREA, 0,
     "", NULL, COUNT("out.gpkg", 1) " && ! grep -q repaired .err"},
    {"spike",
     GJ1(POLY("[[105.8,21.0],[105.81,21.0],[105.81,21.01],[105.83,21.03],[105.81,21.01],"
              "[105.8,21.01],[105.8,21.0]]")),
     AREA, 0, "feature 0: repaired (", NULL, COUNT("out.gpkg", 1)},
    {"hole outside the shell",
     GJ1(POLY("[[105.8,21.0],[105.81,21.0],[105.81,21.01],[105.8,21.01],[105.8,21.0]],"
              "[[105.9,21.0],[105.91,21.0],[105.91,21.01],[105.9,21.0]]")),
     AREA, 0, "feature 0: repaired (Hole lies outside shell)", NULL, COUNT("out.gpkg", 1)},
    {"hole touching the shell at a point",
     GJ1(POLY("[[105.8,21.0],[105.82,21.0],[105.82,21.02],[105.8,21.02],[105.8,21.0]],"
              "[[105.8,21.0],[105.81,21.005],[105.81,21.01],[105.8,21.0]]")),
     AREA, 0, "", NULL, COUNT("out.gpkg", 1) " && ! grep -q repaired .err"},
    {"nested shells",
     GJ1("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[105.8,21.0],[105.82,21.0],[105.82,21.02],"
         "[105.8,21.02],[105.8,21.0]]],[[[105.805,21.005],[105.81,21.005],[105.81,21.01],"
         "[105.805,21.005]]]]}"),
     AREA, 0, "feature 0: repaired (Nested shells)", NULL, COUNT("out.gpkg", 1)},
    {"NaN coordinates",
     "printf 'id,WKT\\na,\"POLYGON ((105.8 21,nan 21,105.81 21.01,105.8 21))\"\\n"
     "ok,\"POLYGON ((105.8 21,105.81 21,105.81 21.01,105.8 21))\"\\n' > in.csv",
     "$C area in.csv --srs EPSG:4326 --id id -o out.gpkg", 0, "feature 1: skipped: ", NULL,
     COUNT("out.gpkg", 1)},
    {"coordinates of 1e300",
     "printf 'id,WKT\\na,\"POLYGON ((105.8 21,1e300 21,105.81 21.01,105.8 21))\"\\n"
     "ok,\"POLYGON ((105.8 21,105.81 21,105.81 21.01,105.8 21))\"\\n' > in.csv",
     "$C area in.csv --srs EPSG:4326 --id id -o out.gpkg", 0,
     "feature 1: skipped: its WGS 84 position (lon 105.8..1e+300, lat 21..21.01) is off the "
     "globe",
     NULL, COUNT("out.gpkg", 1)},
    {"lines where polygons are expected",
     GJ1("{\"type\":\"LineString\",\"coordinates\":[[105.8,21.0],[105.9,21.1]]}"), AREA, 2,
     "in.geojson, layer 'in': no usable polygon among 1 features read (1 skipped) -- is this the "
     "right layer?",
     "out.gpkg", "grep -q 'a LineString where polygons are expected' .err"},
    {"points where polygons are expected", NULL,
     "$C area $S/villages.geojson -o out.gpkg", 2, "no usable polygon among 150 features read",
     "out.gpkg", NULL},
    {"GeometryCollection", GJ1("{\"type\":\"GeometryCollection\",\"geometries\":[{\"type\":"
                               "\"Point\",\"coordinates\":[105.7,21.0]},"
                               POLY("[[105.8,21.0],[105.81,21.0],[105.81,21.01],[105.8,21.0]]")
                               "]}"),
     AREA, 0, "", NULL, COUNT("out.gpkg", 1)},
    {"3D and measured geometries",
     "printf 'id,WKT\\na,\"POLYGON ZM ((105.8 21 5 1,105.81 21 5 2,105.81 21.01 5 3,"
     "105.8 21 5 1))\"\\n' > in.csv",
     "$C area in.csv --srs EPSG:4326 --id id -o out.gpkg", 0, "", NULL,
     COUNT("out.gpkg", 1) " && ogrinfo -ro -so out.gpkg in | grep -q '^Geometry: Multi Polygon$'"},
    {"a 100,000-vertex polygon",
     "awk 'BEGIN{printf \"{\\\"type\\\":\\\"FeatureCollection\\\",\\\"features\\\":[{\\\"type"
     "\\\":\\\"Feature\\\",\\\"properties\\\":{\\\"id\\\":\\\"a\\\"},\\\"geometry\\\":{\\\"type"
     "\\\":\\\"Polygon\\\",\\\"coordinates\\\":[[\"; for(i=0;i<100000;i++){t=6.283185307179586*i/"
     "100000; printf \"[%.9f,%.9f],\", 105.8+0.01*cos(t), 21.0+0.01*sin(t)} printf \"[%.9f,%.9f]"
     "]]}}]}\", 105.81, 21.0}' > in.geojson",
     AREA, 0, "", NULL, COUNT("out.gpkg", 1)},

    /* ---- CRS ---- */
    {"no CRS (no .prj)", "for e in shp shx dbf cpg; do cp $S/clusters.$e c.$e; done",
     "$C area c.shp -o out.gpkg", 2,
     "c.shp, layer 'c': the layer has no CRS and its coordinates (E 534344-601961, N "
     "2288509-2351320) look like VN-2000 TM-3 or UTM 48N metres -- assign the right one with "
     "srs= (--srs), e.g. srs=vn2000:tm3:105",
     "out.gpkg", NULL},
    {"no CRS, lon/lat coordinates",
     "printf 'id,WKT\na,\"POLYGON ((105.8 21,105.81 21,105.81 21.01,105.8 21))\"\n' > in.csv",
     "$C area in.csv --id id -o out.gpkg", 2,
     "in.csv, layer 'in': the layer has no CRS (the source declares none) -- assign one "
     "with srs= (--srs)",
     "out.gpkg", NULL},
    {"VN-2000 without its .prj, with srs=vn2000:tm3:105",
     "mkdir a b && for e in shp shx dbf cpg; do cp $S/clusters.$e a/clusters.$e; done && "
     "for e in shp shx dbf cpg prj; do cp $S/clusters.$e b/clusters.$e; done",
     "$C area -q a/clusters.shp --srs vn2000:tm3:105 --id ma_ccn -o a.gpkg && "
     "$C area -q b/clusters.shp --id ma_ccn -o b.gpkg",
     0, "", NULL,
     "ogrinfo -ro -al -q a.gpkg | grep -v '^INFO' > a.txt && ogrinfo -ro -al -q b.gpkg | "
     "grep -v '^INFO' > b.txt && cmp a.txt b.txt && grep -q POLYGON a.txt"},
    {"VN-2000 .prj on plain WGS 84 (the datum shift lost)",
     "for e in shp shx dbf cpg; do cp $S/clusters.$e c.$e; done && "
     "projinfo EPSG:5897 -o WKT1_ESRI -q | sed 's/GEOGCS\\[\"GCS_VN_2000\",DATUM\\[\""
     "D_Vietnam_2000\"/GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\"/' > c.prj && "
     "grep -q D_WGS_1984 c.prj",
     "$C area c.shp --id ma_ccn -o out.gpkg", 0,
     "c.shp, layer 'c': its CRS (VN-2000 / TM-3 zone 482) is VN-2000 without the VN-2000 datum "
     "shift (a .prj on plain WGS 84): positions would be about 200 m off -- if the coordinates "
     "are VN-2000, set srs=vn2000:tm3:105",
     NULL, NULL},
    {"a .prj GDAL cannot read",
     "for e in shp shx dbf cpg; do cp $S/clusters.$e c.$e; done && echo 'PROJCS[\"x\",GEOGCS[' "
     "> c.prj",
     "$C area c.shp -o out.gpkg", 2,
     "the layer has no CRS (its .prj is not a CRS GDAL can read) and its coordinates",
     "out.gpkg", NULL},
    {"lon/lat with swapped axes",
     "printf 'id,WKT\\na,\"POLYGON ((21 105.8,21 105.81,21.01 105.81,21 105.8))\"\\n' > in.csv",
     "$C area in.csv --srs EPSG:4326 --id id -o out.gpkg", 2,
     "in.csv, layer 'in': its coordinates (x 21..21.01, y 105.8..105.81) are off the globe as "
     "longitude, latitude and look like latitude, longitude -- swap the axes", "out.gpkg",
     "grep -q 'exchange x and y in the data' .err"},
    {"a layer in the wrong CRS (lands far away)",
     "mkjob -e 's|^source   = .*districts.gpkg.*|&\\nsrs = EPSG:3406|'",
     "$C run job.ini", 0, "do not overlap at all once both are in WGS 84", NULL,
     "grep -q '30 OUTSIDE_DISTRICTS' .err"},

    /* ---- attributes ---- */
    {"duplicate ids", "mkjob -e 's|^id .*= ma_ccn|id = huyen|'", "$C run -q job.ini", 2,
     "job.ini:13: [clusters]", "out",
     "grep -q \"duplicate id 'Chương Mỹ' in field 'huyen' (also feature 10)\" .err"},
    {"a where filter GDAL refuses: the message points at the where line",
     "mkjob -e 's|^radius_m = 2000|&\\nwhere = nope ===|'", "$C run -q job.ini", 2,
     "job.ini:38: [villages]", "out", "grep -q 'where = nope === is not a filter' .err"},
    {"a bad srs: the message points at the srs line",
     "mkjob -e 's|^radius_m = 2000|&\\nsrs = EPSG:999999|'", "$C run -q job.ini", 2,
     "job.ini:38: [villages]", "out", "grep -q \"'EPSG:999999' is not a CRS\" .err"},
    {"empty ids",
     "printf '%s' '{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
     "\"properties\":{\"id\":\"\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[105.8,21],"
     "[105.81,21],[105.81,21.01],[105.8,21]]]}}]}' > in.geojson",
     AREA, 2, "in.geojson, layer 'in', feature 0: the id field 'id' is empty -- give every input "
              "a unique id",
     "out.gpkg", NULL},
    {"NULL status",
     "ogr2ogr c.shp $S/clusters.shp -dialect sqlite -sql \"SELECT ma_ccn, ten, dt_qd_ha, nam_tl, "
     "nam_kc, qh_1500, gpmb_pct, so_dn, lao_dong, CASE WHEN ma_ccn = 'CCN01' THEN NULL ELSE "
     "trang_thai END AS trang_thai, geometry FROM clusters\" && "
     "mkjob -e \"s|$S/clusters.shp|$W/c.shp|\"",
     "$C run -q job.ini", 0, "", NULL, "grep -q '| (không có trạng thái) | 1 |' out/report.md"},
    {"a 300-character name (Shapefile keeps 254)",
     "n=$(head -c 300 /dev/zero | tr '\\0' 'x') && printf '%s' \"{\\\"type\\\":"
     "\\\"FeatureCollection\\\",\\\"features\\\":[{\\\"type\\\":\\\"Feature\\\",\\\"properties\\\":"
     "{\\\"id\\\":\\\"a\\\",\\\"ten\\\":\\\"$n\\\"},\\\"geometry\\\":{\\\"type\\\":\\\"Polygon\\\","
     "\\\"coordinates\\\":[[[105.8,21],[105.81,21],[105.81,21.01],[105.8,21]]]}}]}\" > in.geojson",
     "$C area in.geojson --id id -o out.shp && $C area in.geojson --id id -o out.geojson", 0,
     "of field ten has been truncated to 254 characters", NULL,
     "grep -q \"$(head -c 300 /dev/zero | tr '\\0' 'x')\" out.geojson"},
    {"invalid UTF-8 bytes",
     "printf '{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
     "{\"id\":\"a\",\"ten\":\"L\\340ng g\\364m\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":"
     "[105.8,21.0]}}]}' > in.geojson",
     "$C near in.geojson $S/clusters.shp --radius 100 -o out.gpkg", 0,
     "in.geojson, layer 'in': 1 features have text that is not valid UTF-8 (first: feature 0, "
     "field 'ten') -- the attribute encoding is probably not UTF-8",
     NULL, COUNT("out.gpkg", 1)},
    {"legacy-encoded text without a declaration",
     "for e in shp shx dbf prj; do cp $S/clusters.$e c.$e; done && "
     "printf '\\0' | dd of=c.dbf bs=1 seek=29 conv=notrunc 2>/dev/null && "
     "ogr2ogr -f 'ESRI Shapefile' -lco ENCODING=CP1258 l.shp $S/clusters.shp",
     "rm -f l.cpg && $C info l.shp", 0,
     "encoding: CP1258 (not declared (no .cpg file, no language driver id); the text reads "
     "as CP1258",
     NULL, NULL},
    {"TCVN3 (ABC) text without a declaration is decoded",
     "ogr2ogr -f 'ESRI Shapefile' -lco ENCODING=TCVN5712-1 t.shp $S/clusters.shp && rm t.cpg",
     "$C area -q t.shp --id ma_ccn -o out.geojson", 0, "", NULL,
     "grep -q '\"ten\": \"CCN Ngọc Hồi\"' out.geojson && grep -q 'Đông Phương Yên' "
     "out.geojson"},
    {"legacy text the bytes cannot tell apart",
     "printf 'id,ten,WKT\na,c\363,\"POLYGON((105.8 21,105.81 21,105.81 21.01,105.8 21))\"\n"
     "b,m\343,\"POLYGON((105.9 21,105.91 21,105.91 21.01,105.9 21))\"\n' > a.csv && "
     "ogr2ogr -f 'ESRI Shapefile' -lco ENCODING= -a_srs EPSG:4326 a.shp a.csv",
     "$C area a.shp --id id -o out.gpkg", 2,
     "a.shp, layer 'a': the attribute encoding is not declared and the text fits several",
     "out.gpkg", NULL},
    {"a legacy layer cleaned with convert (TCVN3, VN-2000 TM-3, no .prj)",
     "ogr2ogr -f 'ESRI Shapefile' -lco ENCODING=TCVN5712-1 old.shp $S/clusters.shp && "
     "rm old.cpg old.prj && ogr2ogr -f GPKG ref.gpkg $S/clusters.shp -t_srs EPSG:4326",
     "$C convert old.shp --srs vn2000:tm3:105 --t-srs EPSG:4326 -o clean.gpkg", 0,
     "30 features written to clean.gpkg", NULL,
     "ogrinfo -ro -q clean.gpkg old -where \"ma_ccn='CCN12'\" | grep -q 'ten (String) = CCN "
     "Đông Phương Yên' && for f in clean:old ref:clusters; do ogrinfo -ro -q ${f%:*}.gpkg "
     "${f#*:} | grep POLYGON | sed 's/\\([0-9]\\.[0-9]\\{9\\}\\)[0-9]*/\\1/g' > ${f%:*}.txt; "
     "done && cmp clean.txt ref.txt && [ $(wc -l < ref.txt) = 30 ]"},
    {"legacy text in the wrong encoding given",
     "ogr2ogr -f 'ESRI Shapefile' -lco ENCODING=TCVN5712-1 t.shp $S/clusters.shp && rm t.cpg",
     "$C area -q t.shp --id ma_ccn --encoding VNI -o out.gpkg", 2,
     "t.shp, layer 't', feature 0: field 'ten' cannot be read as VNI", "out.gpkg", NULL},

    /* ---- answers that must not come out silently wrong ---- */
    {"an empty zoning layer",
     "ogr2ogr -f GPKG z.gpkg $S/landuse.gpkg -where '1=0' -nln landuse && "
     "mkjob -e \"s|^source .*landuse.gpkg.*|source = $W/z.gpkg|\"",
     "$C run job.ini", 2,
     "layer 'landuse': the layer has no features -- is this the right file or layer?", "out",
     "grep -q 'job.ini:29: \\[zoning\\]' .err"},
    {"an empty zoning layer in ccgis overlay",
     "ogr2ogr -f GPKG z.gpkg $S/landuse.gpkg -where '1=0' -nln landuse",
     "$C overlay $S/clusters.shp z.gpkg --class loai_dat --allowed SKN -o out.gpkg", 2,
     "z.gpkg, layer 'landuse': the layer has no features -- is this the right file or layer? "
     "(All the input would lie on no zone.)",
     "out.gpkg", NULL},
    {"a GeoPackage whose R-tree lost half its entries",
     "cp $S/landuse.gpkg z.gpkg && "
     "ogrinfo z.gpkg -q -sql 'DELETE FROM rtree_landuse_geom WHERE id % 2 = 0' && "
     "mkjob -e \"s|^output .*|output = $W/ref|\" && mv job.ini ref.ini && "
     "mkjob -e \"s|^source .*landuse.gpkg.*|source = $W/z.gpkg|\"",
     "$C run -q ref.ini && $C run job.ini", 0,
     "layer 'landuse': its spatial index rtree_landuse_geom holds 1012 entries but the layer has "
     "2024 geometries: the index is out of date and would hide part of the zones -- ccgis reads "
     "every zone instead",
     NULL,
     "grep -q 'tổng cộng 219,70 ha' out/report.md && "
     "grep -q '^| Quy hoạch sử dụng đất | .* | 2.024 | ' out/report.md && "
     "grep -v 'Lập bằng\\|^| Quy hoạch sử dụng đất' out/report.md > a.md && "
     "grep -v 'Lập bằng\\|^| Quy hoạch sử dụng đất' ref/report.md > b.md && cmp a.md b.md && "
     "cmp out/clusters.geojson ref/clusters.geojson && "
     "sed -n '/\"zoning\": {/,/}/p' out/summary.json > a.json && "
     "sed -n '/\"zoning\": {/,/}/p' ref/summary.json > b.json && cmp a.json b.json && "
     "grep -q '\"conflict_ha\": 219.69' a.json"},
    {"a shapefile whose .qix was made for another version of it",
     "ogr2ogr -lco ENCODING=UTF-8 lu.shp $S/landuse.gpkg -nln lu && "
     "ogr2ogr -lco ENCODING=UTF-8 half.shp $S/landuse.gpkg -nln half -where 'fid % 2 = 0' && "
     "ogrinfo -q half.shp -sql 'CREATE SPATIAL INDEX ON half' && cp half.qix lu.qix && "
     "mkjob -e \"s|^source .*landuse.gpkg.*|source = $W/lu.shp|\"",
     "$C run job.ini", 0,
     "lu.qix was made for 1012 shapes but the shapefile has 2024: the index is out of date", NULL,
     "grep -q 'tổng cộng 219,70 ha' out/report.md"},
    {"cluster ids that are not UTF-8",
     "ogr2ogr -f GeoJSON c.geojson $S/clusters.shp -t_srs EPSG:4326 && "
     "sed 's/\"CCN03\"/\"CCN\\xe003\"/' c.geojson > ids.geojson && "
     "mkjob -e \"s|^source .*clusters.shp.*|source = $W/ids.geojson|\"",
     "$C run job.ini", 2,
     "ids.geojson, layer 'clusters', feature 2: the id in field 'ma_ccn' is not valid UTF-8 (byte "
     "0xE0 at offset 3) -- an id must be read exactly",
     "out", "grep -q 'job.ini:13: \\[clusters\\]' .err"},
    {"cluster names that are not UTF-8: report.md and summary.json agree",
     "ogr2ogr -f GeoJSON c.geojson $S/clusters.shp -t_srs EPSG:4326 && "
     "sed -e 's/\"ten\": \"CCN Ngọc Hồi\"/\"ten\": \"CCN Ng\\xe0c H\\xf4i\"/' "
     "-e 's/\"ten\": \"CCN Phùng Xá\"/\"ten\": \"CCN Ph\\xf9ng X\\xe1\"/' c.geojson > n.geojson && "
     "mkjob -e \"s|^source .*clusters.shp.*|source = $W/n.geojson|\"",
     "$C run job.ini", 0,
     "n.geojson, layer 'clusters': 2 features have text that is not valid UTF-8 (first: feature "
     "0, field 'ten') -- the attribute encoding is probably not UTF-8",
     NULL,
     "[ $(sed -n '/^## Cụm trên đất không được quy hoạch/,/^## Làng nghề/p' out/report.md | "
     "grep -c '^| CCN') = 30 ] && [ $(python3 -c \"import json; print(len(json.load(open("
     "'out/summary.json'))['conflicts']))\") = 30 ] && "
     "grep -q '| CCN Ng�c H�i |' out/report.md && grep -q '\"CCN Ng�c H�i\"' out/summary.json && "
     "grep -q 'CCN Ph�ng X�' out/clusters.geojson"},
    {"a job name that is not UTF-8", "mkjob -e 's|^name .*|name = H\\xe0 N\\xf4i|'",
     "$C run job.ini", 2, "job.ini:6: this line is not UTF-8 text (byte 0xE0 at byte 9)", "out",
     NULL},
    {".dbf records flagged deleted",
     "for e in shp shx dbf prj cpg; do cp $S/clusters.$e c.$e; done && "
     "hl=$(od -An -tu2 -j8 -N2 c.dbf | tr -d ' ') && rl=$(od -An -tu2 -j10 -N2 c.dbf | tr -d ' ') "
     "&& for r in 3 7; do printf '*' | dd of=c.dbf bs=1 seek=$((hl + r * rl)) conv=notrunc "
     "2>/dev/null; done",
     "$C area c.shp --id ma_ccn -o out.gpkg", 0,
     "c.shp, layer 'c': 2 records of its .dbf are flagged deleted (the first is record 3): GDAL "
     "does not read them, so those 2 features are left out of every figure",
     NULL, COUNT("out.gpkg", 28)},
    {"a NUL character inside a GeoJSON string",
     "printf '%s' '{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
     "\"properties\":{\"id\":\"a\\u0000b\"},\"geometry\":" POLY("[[105.8,21.0],[105.81,21.0],"
     "[105.81,21.01],[105.8,21.0]]") "}]}' > in.geojson",
     AREA, 0,
     "in.geojson, layer 'in': 1 text values hold a NUL character (\\u0000; the first on line 1) "
     "and are read cut short there -- ids and names included",
     NULL, COUNT("out.gpkg", 1)},

    /* ---- job files ---- */
    {"unknown key in the job file", "mkjob -e 's|^class .*|klass = loai_dat|'", "$C run job.ini", 2,
     "job.ini:30: unknown key 'klass' in [zoning] -- the keys are: source, layer, srs, encoding, "
     "where, x, y, keep_fields, class, id, allowed",
     "out", NULL},
    {"conflict breaks not in ascending order",
     "mkjob && printf '\\n[style]\\nconflict_breaks = 10, 5\\n' >> job.ini", "$C run job.ini", 2,
     "job.ini:52: [style] conflict_breaks: 5 does not come after 10 -- give ascending "
     "percentages between 0 and 100, e.g. conflict_breaks = 5, 10, 20, 50",
     "out", NULL},
    {"a conflict break of 100 %",
     "mkjob && printf '\\n[style]\\nconflict_breaks = 5%%, 100\\n' >> job.ini", "$C run job.ini",
     2, "job.ini:52: [style] conflict_breaks: 100 is not between 0 and 100 (the classes always "
        "start at 0 % and end at 100 %)",
     "out", NULL},
    {"a conflict break that is not a number",
     "mkjob && printf '\\n[style]\\nconflict_breaks = 5; mười\\n' >> job.ini", "$C run job.ini",
     2, "job.ini:52: [style] conflict_breaks: 'mười' is not a number", "out", NULL},
    {"missing required key", "mkjob -e '/^id .*= ma_ccn/d'", "$C run job.ini", 2,
     "job.ini:11: [clusters] needs id = FIELD -- the field holding each cluster's id", "out",
     NULL},
    {"a job file line longer than the limit, counted in bytes",
     "n=$(for i in $(seq 150); do printf 'Hà Nội '; done) && mkjob -e \"s|^name .*|name = $n|\"",
     "$C run job.ini", 2, "job.ini:6: line longer than ", "out",
     "grep -q 'bytes (a Vietnamese letter takes 2 or 3) -- shorten it' .err"},
    {"wrong field name", "mkjob -e 's|^name     = ten|name = tên|'", "$C run job.ini", 2,
     "job.ini:14: [clusters] name = tên: " /* SHAPES_DIR */, "out",
     "grep -q \"has no field 'tên' -- the fields are: ma_ccn, ten, huyen\" .err"},
    {"output folder that holds an input",
     "mkdir in && cp $S/clusters.* in/ && mkjob -e \"s|$S/clusters.shp|$W/in/clusters.shp|\" "
     "-e \"s|^output .*|output = $W/in|\"",
     "$C run --overwrite job.ini", 2,
     "[job] output = " /* $W */, NULL,
     "grep -q 'holds the input' .err && [ -f in/clusters.shp ]"},
    {"output path inside an input folder (allowed)",
     "mkdir in && cp $S/clusters.* in/ && mkjob -e \"s|$S/clusters.shp|$W/in/clusters.shp|\" "
     "-e \"s|^output .*|output = $W/in/result|\"",
     "$C run -q job.ini", 0, "", NULL, "[ -f in/result/report.md ] && [ -f in/clusters.shp ]"},
    {"output path that is a file", "mkjob && touch out", "$C run job.ini", 2,
     "is a file, not a folder -- choose another output", NULL, "[ -f out ] && [ ! -s out ]"},
    {"output folder holding an input read through /vsizip/",
     "mkjob && $C run -q job.ini && ogr2ogr -f GeoJSON /vsizip/$W/out/v.zip/v.geojson "
     "$S/villages.geojson && mkjob -e \"s|$S/villages.geojson|/vsizip/$W/out/v.zip/v.geojson|\"",
     "$C run --overwrite job.ini", 2,
     "holds the input /vsizip/" /* $W/out/v.zip/v.geojson (which reads $W/out/v.zip) */, NULL,
     "[ -f out/v.zip ] && [ -f out/report.md ]"},
    {"output folder holding an input read through GeoJSON:",
     "mkjob && $C run -q job.ini && mkjob -e \"s|$S/villages.geojson|GeoJSON:$W/out/villages.geojson|\"",
     "$C run --overwrite job.ini", 2, "holds the input GeoJSON:", NULL,
     VALID_OUT},
    {"output folder holding an input read through GPKG:FILE:LAYER",
     "mkjob && $C run -q job.ini && mkjob -e \"s|$S/districts.gpkg|GPKG:$W/out/out.gpkg:districts|\"",
     "$C run --overwrite job.ini", 2, "holds the input GPKG:", NULL, VALID_OUT},
    {"output folder holding an input read through a .vrt",
     "mkjob && $C run -q job.ini && printf '<OGRVRTDataSource><OGRVRTLayer name=\"v\">"
     "<SrcDataSource>%s/out/villages.geojson</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>' "
     "$W > v.vrt && mkjob -e \"s|$S/villages.geojson|$W/v.vrt|\"",
     "$C run --overwrite job.ini", 2, "/v.vrt (which reads " /* $W/out/villages.geojson) */, NULL,
     VALID_OUT " && grep -q 'out/villages.geojson) -- writing there would replace' .err"},
    /* ---- a single command's output that is one of its inputs ---- */
#define SHP_COPY "for e in shp shx dbf prj cpg; do cp $S/clusters.$e c.$e; done"
#define SUMS "md5sum * > $W.md5"
#define SAME "md5sum -c --quiet $W.md5 && ! ls -a | grep -q ccgis"
    {"command writing over its input (-o c.shp --overwrite)", SHP_COPY " && " SUMS,
     "$C area c.shp --id ma_ccn -o c.shp --overwrite", 2,
     "ccgis: error: c.shp: is also the input -- writing it would replace the data being read; "
     "choose another output name",
     NULL, SAME},
    {"command writing over a sidecar of its input (-o c.dbf -f 'ESRI Shapefile')",
     SHP_COPY " && " SUMS, "$C area c.shp --id ma_ccn -o c.dbf -f 'ESRI Shapefile' --overwrite",
     2, "ccgis: error: c.dbf: would replace " /* $W/c.shp */, NULL,
     SAME " && grep -q '/c.shp, which the input c.shp reads -- choose another output name' .err"},
    {"command writing its input through GPKG:FILE:LAYER",
     "cp $S/districts.gpkg d.gpkg && " SUMS,
     "$C convert GPKG:d.gpkg:districts -o d.gpkg --overwrite", 2,
     "which the input GPKG:d.gpkg:districts reads -- choose another output name", NULL, SAME},
    {"command writing its input through /vsizip/",
     "ogr2ogr -f GeoJSON /vsizip/$W/z.zip/v.geojson $S/villages.geojson && " SUMS,
     "$C convert /vsizip/z.zip/v.geojson -o z.zip -f GPKG --overwrite", 2,
     "which the input /vsizip/z.zip/v.geojson reads", NULL, SAME},
    {"command writing its input through GeoJSON:",
     "cp $S/villages.geojson v.geojson && " SUMS,
     "$C convert GeoJSON:v.geojson -o v.geojson --overwrite", 2,
     "which the input GeoJSON:v.geojson reads", NULL, SAME},
    {"command writing a file a .vrt input reads (relativeToVRT)",
     SHP_COPY " && printf '<OGRVRTDataSource><OGRVRTLayer name=\"c\"><SrcDataSource "
     "relativeToVRT=\"1\">c.shp</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>' > v.vrt && " SUMS,
     "$C area v.vrt --id ma_ccn -o c.shp --overwrite", 2, "which the input v.vrt reads", NULL,
     SAME},
    {"command whose second output is its first input (near -t)",
     SHP_COPY " && cp $S/villages.geojson v.geojson && " SUMS,
     "$C near v.geojson c.shp --radius 1000 -o n.gpkg -t ./c.shp --overwrite", 2,
     "ccgis: error: ./c.shp: would replace ", "n.gpkg", SAME},
    {"command writing a shapefile into a folder it reads as a source",
     SHP_COPY " && " SUMS, "$C convert . -o d.shp", 2,
     "ccgis: error: d.shp: is in the folder " /* $W */, "d.shp",
     SAME " && grep -q ', which the input . reads -- choose another output name or folder' .err"},
    {"--overwrite of a shapefile that has a spatial index (.qix) of the old geometries",
     "$C area -q $S/clusters.shp --id ma_ccn -o c.shp && "
     "ogrinfo -q c.shp -sql 'CREATE SPATIAL INDEX ON c' && [ -f c.qix ] && echo keep > c.shp.xml",
     "$C area -v $S/clusters.shp --id ma_ccn -o c.shp --overwrite", 0,
     "c.qix: removed: a file of the shapefile c.shp replaced, which the new one does not have",
     "c.qix", "[ -f c.shp.xml ] && ! ls -a | grep -q ccgis && " COUNT("c.shp", 30)},
    {"command writing beside its input under another name (allowed)", SHP_COPY,
     "$C convert -q c.shp -o c.gpkg && $C convert -q c.gpkg -o d.shp", 0, "", NULL,
     COUNT("d.shp", 30)},
    {"output that is not a ccgis folder, with --overwrite",
     "mkjob && mkdir out && echo keep > out/precious", "$C run --overwrite job.ini", 2,
     "exists and is not a folder ccgis wrote", NULL, "grep -q keep out/precious"},
    {"output whose summary.json merely says ccgis, with --overwrite",
     "mkjob && mkdir -p out/sub && echo '{\"ccgis\": \"0.1.0\"}' > out/summary.json && "
     "echo keep > out/precious && echo keep > out/sub/deeper",
     "$C run --overwrite job.ini", 2, "exists and is not a folder ccgis wrote", NULL,
     "grep -q keep out/precious && grep -q keep out/sub/deeper && grep -q ccgis out/summary.json"},
    {"files of the user's in a ccgis output, with --overwrite",
     "mkjob && $C run -q job.ini && echo mine > out/notes.txt && echo qgis > out/hanoi.qgz && "
     "echo ' ' >> out/report.md",
     "$C run --overwrite job.ini", 2,
     "not replaced: it holds 2 files or folders ccgis did not write (hanoi.qgz, notes.txt) and "
     "1 file changed since ccgis wrote it (report.md)",
     NULL, "grep -q mine out/notes.txt && [ -f out/hanoi.qgz ] && [ -f out/clusters.shp ]"},
    {"paths in quotes", "mkjob -e \"s|^output .*|output = \\\"$W/out put\\\"|\" -e "
     "\"s|$S/clusters.shp |'$S/clusters.shp' |\" && grep -q \"'$S/clusters.shp'\" job.ini",
     "$C run -q job.ini", 0, "", NULL, "[ -f 'out put/report.md' ] && ! ls -a | grep -q '\"'"},
    {"absolute output path with a trailing slash", "mkjob -e \"s|^output .*|output = $W/out/|\"",
     "$C run -q job.ini", 0, "", NULL, VALID_OUT " && ! ls -a | grep -q ccgis-"},
    {"relative paths that escape with .. (resolved and printed)",
     "mkdir -p a/b && mkjob -e 's|^output .*|output = ../../out/x|' && mv job.ini a/b/",
     "$C run a/b/job.ini", 0, "results in out/x;", NULL, "[ -f out/x/report.md ]"},
    {"output in a read-only folder",
     "mkdir ro && chmod 555 ro && chmod 755 . && mkjob -e \"s|^output .*|output = $W/ro/out|\"",
     AS_USER("$C run $W/job.ini"), 2, "/ro/out: cannot write beside it in '" /* $W/ro */,
     "ro/out", "grep -q \"ro' (Permission denied) -- check the folder's permissions\" .err"},
    {"disk full (file size limit)", "mkjob", "ulimit -f 200 && $C run job.ini", 2,
     "check free space", "out", "! ls -a | grep -q ccgis-tmp"},
    {"SpatiaLite output past the file-size limit (a single command, -q)", NULL,
     "ulimit -f 20 && $C area -q $S/clusters.shp --id ma_ccn -o a.sqlite", 2,
     "ccgis: error: a.sqlite: the file outgrew the file-size limit set for ccgis (10 KiB, "
     "ulimit -f) -- raise the limit (ulimit -f unlimited) or check free space, and run again\n",
     "a.sqlite",
     /* that one line only: no libspatialite line, no hidden temporary name */
     "[ $(wc -l < .err) = 1 ] && ! ls -a | grep -q ccgis"},
    {"job with SpatiaLite output past the file-size limit",
     "mkjob -e 's|^formats .*|formats = sqlite|'", "ulimit -f 1000 && $C run -q job.ini", 2,
     "/out/out.sqlite: the file outgrew the file-size limit set for ccgis (500 KiB, ulimit -f)",
     "out",
     "[ $(wc -l < .err) = 1 ] && ! grep -q -e InitSpatia -e spatialite_history -e ccgis-tmp .err "
     "&& ! ls -a | grep -q ccgis"},
    {"Ctrl-C while loading", "mkjob",
     "CCGIS_TEST_STALL=loading CCGIS_TEST_STALL_DIR=. $C run job.ini & pid=$!; " WAIT_STALLED
     "kill -INT $pid; wait $pid",
     130, "interrupted: nothing was written", "out", "! ls -a | grep -q ccgis-tmp"},
    {"killed (SIGKILL) while loading", "mkjob",
     "CCGIS_TEST_STALL=loading CCGIS_TEST_STALL_DIR=. $C run job.ini & pid=$!; " WAIT_STALLED
     "kill -KILL $pid; wait $pid",
     137, "", "out", "! ls -a | grep -q ccgis-tmp"},
    {"killed (SIGKILL) during the analysis", "mkjob",
     "CCGIS_TEST_STALL=analysis CCGIS_TEST_STALL_DIR=. $C run job.ini & pid=$!; " WAIT_STALLED
     "kill -KILL $pid; wait $pid",
     137, "", "out", "! ls -a | grep -q ccgis-tmp"},
    {"Ctrl-C during the analysis", "mkjob",
     "CCGIS_TEST_STALL=analysis CCGIS_TEST_STALL_DIR=. $C run job.ini & pid=$!; " WAIT_STALLED
     "kill -INT $pid; wait $pid",
     130, "interrupted: nothing was written", "out", "! ls -a | grep -q ccgis-tmp"},
};

/* Write `text` to the file `name` in dir. */
static void put(const char *dir, const char *name, const char *text)
{
    char path[1024];
    int n = snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_true(n > 0 && (size_t)n < sizeof path); /* checked: no silent cut */
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void run_case(void **state)
{
    const bad_case *c = *state;
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/%02d", WORK_DIR, (int)(c - cases));
    run_result r = run("rm -rf %s && mkdir -p %s && chmod 755 %s", dir, dir, dir);
    run_free(&r);
    char prelude[2048];
    snprintf(prelude, sizeof prelude,
             "S=%s; W=%s; C=%s; L=%s; cd \"$W\" || exit 99\n"
             "mkjob() { sed -e \"s|\\.\\./shapes/|$S/|\" -e \"s|^output .*|output = $W/out|\" "
             "\"$@\" %s/../samples/hanoi.ini > \"$W/job.ini\"; }\n",
             SHAPES_DIR, dir, CCGIS_BIN, SILENT_LISTENER, SHAPES_DIR);
    char script[16384];
    if (c->setup) {
        snprintf(script, sizeof script, "%s%s\n", prelude, c->setup);
        put(dir, "setup.sh", script);
        r = run("sh %s/setup.sh", dir);
        if (r.status != 0)
            fprintf(stderr, "setup of '%s' failed: %s\n", c->name, r.err);
        assert_int_equal(r.status, 0);
        run_free(&r);
    }
    snprintf(script, sizeof script, "%s%s\n", prelude, c->cmd);
    put(dir, "cmd.sh", script);
    r = run("sh %s/cmd.sh > %s/.out 2> %s/.err; s=$?; cat %s/.out %s/.err; exit $s", dir, dir,
            dir, dir, dir);
    if (r.status != c->exit || !strstr(r.out, c->says))
        fprintf(stderr, "case '%s': exit %d (expected %d), said:\n%s\n", c->name, r.status,
                c->exit, r.out);
    assert_int_equal(r.status, c->exit);
    assert_non_null(strstr(r.out, c->says));
    run_free(&r);
    if (c->absent) {
        r = run("test ! -e %s/%s", dir, c->absent);
        if (r.status != 0)
            fprintf(stderr, "case '%s': %s was left behind\n", c->name, c->absent);
        assert_int_equal(r.status, 0);
        run_free(&r);
    }
    if (c->check) {
        snprintf(script, sizeof script, "%s%s\n", prelude, c->check);
        put(dir, "check.sh", script);
        r = run("sh %s/check.sh", dir);
        if (r.status != 0)
            fprintf(stderr, "case '%s': check failed: %s\n", c->name, c->check);
        assert_int_equal(r.status, 0);
        run_free(&r);
    }
}

int main(void)
{
    reset_work_dir();
    enum { N = sizeof cases / sizeof cases[0] };
    struct CMUnitTest tests[N];
    for (size_t i = 0; i < N; i++)
        tests[i] = (struct CMUnitTest){cases[i].name, run_case, NULL, NULL, (void *)&cases[i]};
    return cmocka_run_group_tests_name("bad input", tests, NULL, NULL);
}
