#!/bin/sh
# test_styles: run style_check.py with a python3 that has QGIS's Python
# module (Debian: python3-qgis, in .ci/test-deps), offscreen.  Without one
# the test says SKIPPED and exits 77 -- a failure in CI (CI=true).
#   run.sh CCGIS SAMPLES_DIR SHAPES_DIR WORK_DIR
here=$(dirname "$0")
for py in python3 /usr/bin/python3; do
    if "$py" -c 'import qgis.core' >/dev/null 2>&1; then
        mkdir -p "$4" && export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
        QT_QPA_PLATFORM=offscreen exec "$py" "$here/style_check.py" "$@"
    fi
done
echo "*** test_styles SKIPPED: no python3 with the qgis module (apt-get install python3-qgis; .ci/test-deps) ***"
case "${CI:-}" in '' | 0 | false | FALSE | False | no | NO) exit 77 ;; *) exit 1 ;; esac
