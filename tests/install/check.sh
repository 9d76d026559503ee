#!/bin/sh
# tests/install/check.sh BUILD_DIR SOURCE_DIR WORK_DIR
# Install the built ccgis into WORK_DIR/prefix, then build a program against
# it twice -- with CMake's find_package(ccgis) and with pkg-config ccgis --
# and run both.  Fails on the first step that fails.
set -eu
build=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
test -f "$work/prefix/include/ccgis/version.h"
cmake -S "$src/tests/install/consumer" -B "$work/cmake-build" \
      -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/cmake-build" >/dev/null
"$work/cmake-build/consumer"
libdir=$(ls -d "$work"/prefix/lib*/pkgconfig | head -n 1)
PKG_CONFIG_PATH="$libdir" pkg-config --modversion ccgis
cc -o "$work/pc-consumer" "$src/tests/install/consumer/main.c" \
   $(PKG_CONFIG_PATH="$libdir" pkg-config --cflags --libs ccgis)
"$work/pc-consumer"
echo "install check: find_package(ccgis) and pkg-config ccgis both build and run"
