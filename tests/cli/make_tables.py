#!/usr/bin/env python3
"""make_tables.py -- the village tables colleagues send, made from one decimal table.

Usage: make_tables.py DECIMAL.csv TM3.csv OUTDIR

DECIMAL.csv is the sample villages as ogr2ogr writes them with GEOMETRY=AS_XY
(X = longitude, Y = latitude, degrees); TM3.csv the same in VN-2000 / TM-3 105
(X = easting, Y = northing, metres).  Written into OUTDIR:

  dms.csv      "Kinh độ", "Vĩ độ": degrees-minutes-seconds with hemisphere and a
               decimal comma (105°55'04,8000"E), seconds rounded to 1e-4"
               (3 mm at most);
  vn.csv       "Kinh Độ (°)", "VĨ ĐỘ" (NFD, upper case): decimal comma;
  spaced.csv   "lng", "lat": "105 55 4.8 E" style, degrees minutes seconds apart;
  survey.csv   "X (m)" the northing, "Y (m)" the easting, as Vietnamese surveys
               head them;
  swapped.csv  "lon", "lat" holding latitude and longitude the wrong way round.
"""
import csv
import sys
import unicodedata


def dms(v, pos, neg, sep_deg, sep_min, sep_sec, comma):
    """v in degrees as D°MM'SS.ssss"H, rounded on the seconds (never 60")."""
    h = pos if v >= 0 else neg
    tenths = round(abs(v) * 3600 * 10000)  # 1e-4 seconds
    d, rest = divmod(tenths, 3600 * 10000)
    m, s = divmod(rest, 60 * 10000)
    sec = "%d.%04d" % (s // 10000, s % 10000)
    if comma:
        sec = sec.replace(".", ",")
    return "%d%s%02d%s%s%s%s" % (d, sep_deg, m, sep_min, sec, sep_sec, h)


def main():
    dec, tm3, out = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(dec, encoding="utf-8") as f:
        rows = list(csv.reader(f))
    with open(tm3, encoding="utf-8") as f:
        mrows = list(csv.reader(f))
    head, body = rows[0], rows[1:]
    rest = head[2:]

    def write(name, heading, make, src=body):
        with open("%s/%s" % (out, name), "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(heading + rest)
            for r in src:
                w.writerow(make(r) + r[2:])

    write("dms.csv", ["Kinh độ", "Vĩ độ"],
          lambda r: [dms(float(r[0]), "E", "W", "°", "'", '"', True),
                     dms(float(r[1]), "N", "S", "°", "'", '"', True)])
    write("vn.csv", [unicodedata.normalize("NFD", "Kinh Độ (°)"),
                     unicodedata.normalize("NFD", "VĨ ĐỘ")],
          lambda r: [r[0].replace(".", ","), r[1].replace(".", ",")])
    write("spaced.csv", ["lng", "lat"],
          lambda r: [dms(float(r[0]), "E", "W", " ", " ", " ", False),
                     dms(float(r[1]), "N", "S", " ", " ", " ", False)])
    write("survey.csv", ["X (m)", "Y (m)"], lambda r: [r[1], r[0]], mrows[1:])
    write("swapped.csv", ["lon", "lat"], lambda r: [r[1], r[0]])


if __name__ == "__main__":
    main()
