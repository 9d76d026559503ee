#!/bin/sh
# shpframe.sh -- pack a shapefile into the one-input frame fuzz_shapefile reads,
# or unpack such an input back into a shapefile to look at.
#
#   shpframe.sh pack   BASE.shp OUT    frame BASE.shp/.shx/.dbf into the file OUT
#   shpframe.sh unpack IN DIR          write DIR/fuzz.shp, .shx, .dbf and .prj
#                                      (the .prj fuzz_shapefile.c uses), e.g. to
#                                      run `ogrinfo -al DIR/fuzz.shp` on a crash
#
# The frame (fuzz_shapefile.c): 2 bytes little-endian length of the .shx part,
# 2 bytes little-endian length of the .dbf part, the .shx, the .dbf, then the
# .shp to the end.  A length larger than what is left is cut to what is left.
# The .shx and .dbf must each be under 64 KiB; the .shp may be any size.
set -eu

usage() {
    echo "usage: $0 pack BASE.shp OUT | unpack IN DIR" >&2
    exit 2
}

# size FILE -- its length in bytes.
size() {
    wc -c < "$1" | tr -d ' '
}

# u16le N -- write N (0..65535) as two bytes, low byte first.
u16le() {
    printf "\\$(printf %03o $(($1 % 256)))\\$(printf %03o $(($1 / 256)))"
}

# sidecar BASE.shp EXT -- the sidecar file with extension EXT (either case).
sidecar() {
    base=${1%.*}
    for e in "$2" "$(echo "$2" | tr a-z A-Z)"; do
        if [ -f "$base.$e" ]; then
            echo "$base.$e"
            return
        fi
    done
    echo "$0: no .$2 beside $1" >&2
    exit 1
}

# pack BASE.shp OUT -- see the file comment.
pack() {
    shx=$(sidecar "$1" shx)
    dbf=$(sidecar "$1" dbf)
    n_shx=$(size "$shx")
    n_dbf=$(size "$dbf")
    if [ "$n_shx" -gt 65535 ] || [ "$n_dbf" -gt 65535 ]; then
        echo "$0: $shx or $dbf is 64 KiB or more: cannot be framed" >&2
        exit 1
    fi
    { u16le "$n_shx"; u16le "$n_dbf"; cat "$shx" "$dbf" "$1"; } > "$2"
}

# unpack IN DIR -- see the file comment.
unpack() {
    mkdir -p "$2"
    total=$(size "$1")
    set -- "$1" "$2" $(od -An -tu1 -N4 "$1")
    if [ $# -lt 6 ]; then # under 4 bytes: three empty parts
        n_shx=0 n_dbf=0 start=$((total + 1))
    else
        n_shx=$(($3 + 256 * $4)) n_dbf=$(($5 + 256 * $6)) start=5
    fi
    left=$((total - start + 1))
    [ "$left" -ge 0 ] || left=0
    [ "$n_shx" -le "$left" ] || n_shx=$left
    left=$((left - n_shx))
    [ "$n_dbf" -le "$left" ] || n_dbf=$left
    tail -c +"$start" "$1" | head -c "$n_shx" > "$2/fuzz.shx"
    tail -c +$((start + n_shx)) "$1" | head -c "$n_dbf" > "$2/fuzz.dbf"
    tail -c +$((start + n_shx + n_dbf)) "$1" > "$2/fuzz.shp"
    # The fixed .prj of fuzz_shapefile.c (shapes/clusters.prj).
    printf '%s' 'PROJCS["VN_2000_TM-3_zone_482",GEOGCS["GCS_VN_2000",DATUM["D_Vietnam_2000",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Scale_Factor",0.9999],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]' > "$2/fuzz.prj"
    echo "$2/fuzz.shp: .shx $n_shx bytes, .dbf $n_dbf bytes, .shp $(size "$2/fuzz.shp") bytes"
}

[ $# -eq 3 ] || usage
case $1 in
pack) pack "$2" "$3" ;;
unpack) unpack "$2" "$3" ;;
*) usage ;;
esac
