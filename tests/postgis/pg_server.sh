#!/bin/bash
# pg_server.sh -- a throwaway PostgreSQL 15 + PostGIS server for the PostGIS
# accuracy tests, started and stopped by CTest (the `postgis` fixture in
# tests/postgis/CMakeLists.txt).
#
# Usage: pg_server.sh start|stop|status DIR PORT
#
#   start   stop any server left in DIR by an earlier run, remove DIR, create
#           a fresh cluster in DIR/data, run it on 127.0.0.1:PORT only (unix
#           socket in DIR, trust authentication, fsync off), create database
#           ccgis_test with the postgis extension, and load the sample layers
#           of shapes/ as tables districts, clusters, villages and landuse
#           (native CRS, geometries exactly as stored, fid = GDAL's FID:
#           from 0 for the shapefile and the GeoJSON, from 1 for GeoPackages).
#   stop    stop the server of DIR and remove DIR.
#   status  say whether the server of DIR is running and accepting
#           connections on PORT (exit 0) or not (exit 1).
#
# Skip rule: when `start` cannot bring the server up, it fails (exit 1) only
# when the environment variable CI is set (CI=true, as CI services set it).
# Otherwise it prints a loud SKIPPED message, writes the reason into the
# marker file DIR.skipped and exits 0; pg_connect_or_skip() (pg.c) sees the
# marker and makes every PostGIS test program exit 77, which CTest reports
# as skipped.
#
# PostgreSQL refuses to run as root: when started as root, the server and
# its tools run as the `postgres` system user, which then owns DIR (every
# parent of DIR must be traversable by it).  Otherwise they run as the
# current user.
#
# Environment (all optional; CMake sets the first three):
#   PGBIN       PostgreSQL server binaries   (/usr/lib/postgresql/15/bin)
#   OGR2OGR     GDAL's ogr2ogr               (ogr2ogr from PATH)
#   SHAPES_DIR  the sample layers            (the repository's shapes/)
#   CI          set and not "false"/"0": failures to start are errors
set -uo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
OGR2OGR=${OGR2OGR:-ogr2ogr}
SHAPES_DIR=${SHAPES_DIR:-$(cd "$(dirname "$0")/../../shapes" 2>/dev/null && pwd)}
DB=ccgis_test
# Written into every DIR this script creates: only such folders are removed.
OURS=.ccgis_pg_server

# usage -- print how to call this script and exit 2.
usage() {
    echo "usage: $0 start|stop|status DIR PORT" >&2
    exit 2
}

# is_ci -- true when running under CI (CI set, and not "false"/"0"/"no").
is_ci() {
    case "${CI:-}" in
    "" | 0 | false | FALSE | False | no | NO) return 1 ;;
    *) return 0 ;;
    esac
}

# as_pg CMD ARGS... -- run a command as the server's owner: the postgres
# system user when we are root, ourselves otherwise.
as_pg() {
    if [ "$(id -u)" != 0 ]; then
        "$@"
    elif command -v runuser >/dev/null; then
        runuser -u postgres -- "$@"
    else
        su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    fi
}

# now -- seconds since the epoch, with fractions.
now() { date +%s.%N; }

# elapsed T0 T1 -- T1 - T0 in seconds, one decimal.
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# log_tail FILE -- the last lines of a log, indented, for error messages.
log_tail() {
    [ -f "$1" ] && tail -n 15 "$1" | sed 's/^/    | /'
}

# log_head FILE -- the first lines of a log (where a tool says what went
# wrong before it lists what it knows), indented.
log_head() {
    [ -f "$1" ] && head -n 15 "$1" | sed 's/^/    | /'
}

# server_running -- true when DIR's cluster has a live postmaster.
server_running() {
    [ -f "$DIR/data/postmaster.pid" ] &&
        as_pg "$PGBIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1
}

# stop_server MODE -- stop DIR's server if one runs (pg_ctl -m MODE), and
# kill its postmaster if pg_ctl cannot.  Returns 1 if it is still alive.
stop_server() {
    [ -f "$DIR/data/postmaster.pid" ] || return 0
    if server_running; then
        as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -m "$1" -w -t 60 stop >/dev/null 2>&1
    fi
    local pid
    pid=$(head -n 1 "$DIR/data/postmaster.pid" 2>/dev/null)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
        [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$PGBIN/postgres" ]; then
        kill -QUIT "$pid" 2>/dev/null
        sleep 1
        kill -0 "$pid" 2>/dev/null && return 1
    fi
    return 0
}

# remove_dir -- remove DIR (and the skip marker), refusing a folder this
# script did not create.
remove_dir() {
    rm -f "$DIR.skipped"
    [ -e "$DIR" ] || return 0
    if [ ! -f "$DIR/$OURS" ] && [ -n "$(ls -A "$DIR" 2>/dev/null)" ]; then
        echo "pg_server.sh: refusing to remove $DIR: it is not empty and was not" \
            "created by this script (no $OURS file)" >&2
        return 1
    fi
    rm -rf "$DIR"
}

# give_up REASON [LOG] -- start failed: stop what was started, then fail
# (CI) or leave the skip marker and succeed (elsewhere).  The end of LOG is
# shown; the logs stay in DIR.
give_up() {
    local reason=$1 details=
    case "${2:-}" in
    "") ;;
    *load-*.log) details=$(log_head "$2") ;;
    *) details=$(log_tail "$2") ;;
    esac
    stop_server immediate
    if is_ci; then
        echo "*** PostGIS could not be started: $reason ***" >&2
        [ -n "$details" ] && printf '%s\n' "$details" >&2
        echo "*** CI is set (CI=$CI): the PostGIS accuracy tests FAIL ***" >&2
        exit 1
    fi
    mkdir -p "$(dirname "$DIR")" 2>/dev/null
    printf '%s\n' "$reason" >"$DIR.skipped" 2>/dev/null
    echo "*** PostGIS could not be started: $reason; the PostGIS accuracy tests are SKIPPED ***"
    [ -n "$details" ] && printf '%s\n' "$details"
    echo "*** (outside CI this is not an error; with CI=true it is) ***"
    exit 0
}

# psql_do SQL -- run SQL on database $1 of our server, stopping at the
# first error; output goes to DIR/setup.log.
psql_do() {
    "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d "$1" \
        -c "$2" >>"$DIR/setup.log" 2>&1
}

# load LAYER FILE [OGR2OGR OPTIONS...] -- copy one sample layer into table
# LAYER with ogr2ogr: native CRS, geometries untouched, fid = GDAL's FID.
# ogr2ogr's messages go to DIR/load-LAYER.log.
load() {
    local layer=$1 file=$2
    shift 2
    if ! "$OGR2OGR" -f PostgreSQL \
        "PG:host=127.0.0.1 port=$PORT dbname=$DB user=postgres" \
        "$SHAPES_DIR/$file" "$layer" -nln "$layer" \
        -lco GEOMETRY_NAME=geom -lco FID=fid -preserve_fid "$@" >"$DIR/load-$layer.log" 2>&1; then
        give_up "ogr2ogr could not load $SHAPES_DIR/$file" "$DIR/load-$layer.log"
    fi
}

# start -- the `start` command (see the header).
start() {
    local t0 t1 t2 parent
    t0=$(now)
    [ -x "$PGBIN/initdb" ] && [ -x "$PGBIN/pg_ctl" ] && [ -x "$PGBIN/psql" ] ||
        give_up "no PostgreSQL server in $PGBIN (install postgresql-15 postgresql-15-postgis-3)"
    command -v "$OGR2OGR" >/dev/null || give_up "ogr2ogr not found (install gdal-bin)"
    [ -f "$SHAPES_DIR/clusters.shp" ] || give_up "no sample layers in '$SHAPES_DIR'"
    if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
        give_up "running as root, but there is no 'postgres' system user to run the server"
    fi

    # A server left by an earlier run (killed ctest): stop it, then start afresh.
    stop_server immediate || give_up "the old server in $DIR/data would not stop"
    remove_dir || give_up "cannot reuse $DIR"
    if "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" >/dev/null 2>&1 ||
        [ $? = 1 ]; then
        give_up "port $PORT on 127.0.0.1 is already used by another server (choose another with cmake -DCCGIS_PG_PORT=N)"
    fi
    parent=$(dirname "$DIR")
    { mkdir -p "$DIR" && touch "$DIR/$OURS"; } || give_up "cannot create $DIR"
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$DIR" "$DIR/$OURS" || give_up "cannot give $DIR to the postgres user"
        runuser -u postgres -- test -w "$DIR" 2>/dev/null ||
            give_up "the postgres user cannot reach $DIR: make every parent of $parent traversable (chmod o+x)"
    fi
    cd "$DIR" || give_up "cannot enter $DIR"

    # The cluster: UTF-8, trust for local connections only, no durability.
    as_pg "$PGBIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
        >"$DIR/initdb.log" 2>&1 ||
        give_up "initdb failed" "$DIR/initdb.log"
    local sockdir=$DIR
    # A unix socket path is limited to 107 bytes; TCP is what everyone uses.
    [ ${#DIR} -gt 90 ] && sockdir=
    {
        echo "# ccgis test server (pg_server.sh)"
        echo "listen_addresses = '127.0.0.1'"
        echo "port = $PORT"
        echo "unix_socket_directories = '${sockdir//\'/\'\'}'"
        echo "fsync = off"
        echo "synchronous_commit = off"
        echo "full_page_writes = off"
        echo "max_connections = 40"
    } >>"$DIR/data/postgresql.conf" || give_up "cannot write $DIR/data/postgresql.conf"
    as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 start \
        >"$DIR/pg_ctl.log" 2>&1 ||
        give_up "the server did not start" "$DIR/server.log"
    for _ in $(seq 100); do
        "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" && break
        sleep 0.1
    done
    "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" ||
        give_up "the server does not accept connections on 127.0.0.1:$PORT" "$DIR/server.log"
    psql_do postgres "CREATE DATABASE $DB" ||
        give_up "CREATE DATABASE failed" "$DIR/setup.log"
    psql_do "$DB" "CREATE EXTENSION postgis" ||
        give_up "CREATE EXTENSION postgis failed (is postgresql-15-postgis-3 installed?)" \
            "$DIR/setup.log"
    t1=$(now)

    # The sample layers, as stored, with their declared geometry types.
    load districts districts.gpkg
    load clusters clusters.shp
    load villages villages.geojson
    load landuse landuse.gpkg
    psql_do "$DB" "ANALYZE" || give_up "ANALYZE failed" "$DIR/setup.log"
    t2=$(now)
    echo "PostGIS ready on 127.0.0.1:$PORT, database $DB, data in $DIR" \
        "(server $(elapsed "$t0" "$t1") s, load $(elapsed "$t1" "$t2") s," \
        "total $(elapsed "$t0" "$t2") s)"
}

# stop -- the `stop` command.
stop() {
    if [ ! -e "$DIR" ] && [ ! -e "$DIR.skipped" ]; then
        echo "no PostGIS test server in $DIR: nothing to stop"
        return
    fi
    if ! stop_server fast; then
        echo "pg_server.sh: the server in $DIR/data would not stop" >&2
        exit 1
    fi
    remove_dir || exit 1
    echo "PostGIS test server in $DIR stopped and removed"
}

# status -- the `status` command.
status() {
    if server_running && "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
        echo "running: 127.0.0.1:$PORT, data in $DIR/data"
        exit 0
    fi
    if [ -f "$DIR.skipped" ]; then
        echo "not running: start was skipped: $(cat "$DIR.skipped")"
    else
        echo "not running"
    fi
    exit 1
}

[ $# = 3 ] || usage
CMD=$1
DIR=$2
PORT=$3
case "$PORT" in '' | *[!0-9]*) usage ;; esac
case "$DIR" in /*) ;; *) DIR=$(pwd)/$DIR ;; esac
DIR=${DIR%/}
if [ -z "$DIR" ] || [ "$DIR" = / ]; then usage; fi
case "$CMD" in
start) start ;;
stop) stop ;;
status) status ;;
*) usage ;;
esac
