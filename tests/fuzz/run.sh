#!/bin/bash
# run.sh -- run every ccgis libFuzzer harness for a fixed time and fail if any
# of them found something (README.md here tells the whole story).
#
#   tests/fuzz/run.sh BUILD_DIR SECONDS [HARNESS...]
#
#   BUILD_DIR  a build configured with -DCCGIS_FUZZ=ON (CC=clang-14) and built
#   SECONDS    fuzzing time per harness
#   HARNESS    job, load, shapefile, textcode (default: all that are built;
#              textcode is skipped with a note when the build has not got it)
#
# Environment: CCGIS_FUZZ_RESULTS (results folder), CCGIS_FUZZ_RSS_MB (memory
# limit per harness, default 2048), ASAN_OPTIONS and UBSAN_OPTIONS (defaults
# below), and the harnesses' own CCGIS_FUZZ_VALID and CCGIS_FUZZ_VERBOSE.
#
# Each harness runs on a COPY of its seed corpus (corpus/NAME), so what it
# finds never touches the committed corpus, with its dictionary (NAME.dict)
# when there is one.  Everything goes to RESULTS/NAME/ -- RESULTS is
# $CCGIS_FUZZ_RESULTS, or BUILD_DIR/fuzz-results: corpus/ (the grown copy),
# artifacts/ (crash-*, leak-*, timeout-*, oom-*, slow-unit-*) and fuzz.log.
#
# Exit status: 0 when no harness left a crash, leak, timeout or oom artifact
# (or failed otherwise); 1 when one did -- the artifacts are listed with the
# command that reproduces each; 2 for bad usage or a harness not built.
set -u

usage() {
    echo "usage: $0 BUILD_DIR SECONDS [job|load|shapefile|textcode ...]" >&2
    exit 2
}
[ $# -ge 2 ] || usage
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" 2>/dev/null && pwd) || { echo "run.sh: no build folder $1" >&2; exit 2; }
secs=$2
shift 2
case $secs in '' | *[!0-9]*) usage ;; esac
results=${CCGIS_FUZZ_RESULTS:-$build/fuzz-results}
# Memory ceiling per harness.  Under ASan fuzz_load's RSS creeps up by about
# 3 KB per input (the sanitizer's own bookkeeping: the same loop without
# sanitizers stays flat), so runs much longer than 10 minutes need more.
rss_mb=${CCGIS_FUZZ_RSS_MB:-2048}
all=(job load shapefile textcode)
[ $# -gt 0 ] && all=("$@")

# Sanitizers: stop at the first report, with a stack; leaks are checked.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# max_len NAME -- the largest input libFuzzer makes for harness NAME: a job
# file of a few dozen lines; a GeoJSON of a few features; a framed shapefile
# as large as the seeds (the sample clusters are 11 KB); a handful of names.
max_len() {
    case $1 in
    job) echo 4096 ;;
    load) echo 16384 ;;
    shapefile) echo 16384 ;;
    textcode) echo 4096 ;;
    *) echo 4096 ;;
    esac
}

# stat LOG NAME -- a final statistic libFuzzer printed (-print_final_stats=1).
stat() {
    sed -n "s/^stat::$2: *//p" "$1" | tail -1
}

failed=0
summary=()
for name in "${all[@]}"; do
    bin=$build/tests/fuzz/fuzz_$name
    seeds=$here/corpus/$name
    if [ ! -x "$bin" ]; then
        if [ "$name" = textcode ] && [ $# -eq 0 ]; then
            summary+=("$(printf '%-10s not built (src/textcode.c not in the library yet)' "$name")")
            continue
        fi
        echo "run.sh: $bin is not built (cmake --build $build --target fuzz)" >&2
        exit 2
    fi
    if [ ! -d "$seeds" ]; then
        echo "run.sh: no seed corpus $seeds" >&2
        exit 2
    fi
    out=$results/$name
    rm -rf "$out"
    mkdir -p "$out/corpus" "$out/artifacts"
    cp -R "$seeds/." "$out/corpus/"
    args=(-max_total_time="$secs" -max_len="$(max_len "$name")" -rss_limit_mb="$rss_mb" -timeout=10
          -artifact_prefix="$out/artifacts/" -print_final_stats=1)
    [ -f "$here/$name.dict" ] && args+=(-dict="$here/$name.dict")

    echo "run.sh: fuzz_$name for ${secs}s (log: $out/fuzz.log)"
    (cd "$out" && "$bin" "${args[@]}" "$out/corpus") > "$out/fuzz.log" 2>&1
    rc=$?

    found=()
    for a in "$out"/artifacts/crash-* "$out"/artifacts/leak-* "$out"/artifacts/timeout-* \
             "$out"/artifacts/oom-*; do
        [ -e "$a" ] && found+=("$a")
    done
    last=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$out/fuzz.log" | tail -1)
    cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
    ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
    corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p')
    line=$(printf '%-10s %8s execs %6s exec/s  cov %5s  ft %6s  corpus %5s  ' "$name" \
        "$(stat "$out/fuzz.log" number_of_executed_units)" \
        "$(stat "$out/fuzz.log" average_exec_per_sec)" "${cov:-?}" "${ft:-?}" "${corp:-?}")

    if [ ${#found[@]} -eq 0 ] && [ $rc -eq 0 ]; then
        summary+=("${line}ok")
        continue
    fi
    failed=1
    summary+=("${line}FAILED (exit $rc, ${#found[@]} artifacts)")
    echo
    echo "run.sh: fuzz_$name FAILED (exit status $rc). What the sanitizer or check said:"
    grep -E -m1 -A30 '^==[0-9]+==ERROR|^ccgis fuzz: promise broken|runtime error:|^==[0-9]+== ERROR: libFuzzer' \
        "$out/fuzz.log" | head -40 | sed 's/^/    /'
    [ ${#found[@]} -eq 0 ] && echo "    (no artifact was written: see $out/fuzz.log)"
    for a in "${found[@]}"; do
        echo "  artifact:  $a"
        echo "  reproduce: $bin $a"
        if [ "$name" = shapefile ]; then
            echo "  as files:  $here/shpframe.sh unpack $a /tmp/fuzz-shp && ogrinfo -al /tmp/fuzz-shp/fuzz.shp"
        fi
        echo "  see what ccgis says: CCGIS_FUZZ_VERBOSE=1 $bin $a"
    done
    echo
done

echo
echo "run.sh: results in $results"
for s in "${summary[@]}"; do
    echo "  $s"
done
exit $failed
