#!/usr/bin/python3
"""style_check.py -- QGIS itself (PyQGIS 3.22, offscreen) opens what `ccgis run`
writes and is asked what style each layer got.  Run by CTest (test_styles)
through tests/qgis/run.sh, which finds a python3 with the qgis module.

  style_check.py CCGIS SAMPLES_DIR SHAPES_DIR WORK_DIR

Two jobs are run:
  sample  samples/hanoi.ini as it is (clusters id ma_ccn, villages and
          districts name ten), default conflict breaks;
  renamed the same data with other field names, built here with ogr2ogr:
          clusters id `Name` (as a KML gives it) and name `Tên cụm`,
          villages id `Mã` and name `Tên làng`
          (as a spreadsheet heading), districts name `Tên & 'q'` (XML and
          QGIS-expression special characters), [style] conflict_breaks =
          2.5; 10; 30.
For each, and for each way QGIS finds a default style -- the GeoPackage's
layer_styles table, the SpatiaLite file's, the .qml beside the .geojson and
the .shp -- QGIS must report:
  - labels enabled, from the job's own field (fieldName, not an expression);
  - the clusters' graduated renderer on confl_pct with the ranges
    [0,0], [0,b1], ..., [bn,100] for the job's breaks, each fill's alpha
    below 255 (the land-use pieces show through);
  - aliases in Vietnamese with units on ccgis's columns, none on the
    source's;
and a map rendered offscreen with the renamed job's clusters draws labels
whose texts are the `Name` values of the features.
The expected values are written out here, not taken from ccgis.
Prints what it checks; exits 0 when all agree, 1 otherwise.
"""
import os
import sqlite3
import subprocess
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (QgsApplication, QgsMapRendererSequentialJob, QgsMapSettings,  # noqa: E402
                       QgsVectorLayer)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtXml import QDomDocument  # noqa: E402

FAILURES = []


def check(what, got, want):
    ok = got == want
    print(("ok   " if ok else "FAIL ") + what + ": " + repr(got) + ("" if ok else " != " + repr(want)))
    if not ok:
        FAILURES.append(what)


def check_true(what, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + what + (": " + detail if detail else ""))
    if not cond:
        FAILURES.append(what)


def run(*args):
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stdout + p.stderr)
        raise SystemExit("%s exited %d" % (" ".join(args), p.returncode))
    return p


# Aliases QGIS must show (the report's language is Vietnamese).
ALIASES = {
    "clusters": {"area_ha": "Diện tích (ha)", "confl_pct": "Tỷ lệ xung đột (%)",
                 "confl_ha": "Đất xung đột quy hoạch (ha)", "vill_near": "Số làng nghề trong bán kính"},
    "villages": {"near_m": "Khoảng cách đến cụm gần nhất (m)", "near_id": "Cụm gần nhất"},
    "districts": {"n_clusters": "Số cụm", "clust_ha": "Diện tích cụm (ha)"},
}


def ranges_for(breaks):
    r = [(0.0, 0.0), (0.0, breaks[0])]
    r += [(breaks[i], breaks[i + 1]) for i in range(len(breaks) - 1)]
    return r + [(breaks[-1], 100.0)]


def laundered(field):
    """The name GDAL's SQLite driver gives a field by default (LAUNDER=YES:
    ASCII letters in lower case, quote and dash as '_')."""
    field = "".join(c.lower() if c.isascii() else c for c in field)
    return field.replace("'", "_").replace("-", "_").replace("#", "_")


def check_layer(tag, layer, name, label_field, source_fields, breaks):
    check_true(tag + " is valid", layer.isValid())
    if not layer.isValid():
        return
    fields = layer.fields()
    if ("sqlite" in tag or "spatialite" in tag) and fields.indexOf(label_field) < 0:
        # The file names the fields as GDAL's SQLite driver laundered them:
        # the style must use the names the file has.
        label_field = laundered(label_field)
        source_fields = [laundered(f) for f in source_fields]
    check(tag + " labels enabled", layer.labelsEnabled(), True)
    settings = layer.labeling().settings() if layer.labeling() else None
    check(tag + " label field", settings.fieldName if settings else None, label_field)
    check(tag + " label is a field", settings.isExpression if settings else None, False)
    for f, alias in ALIASES[name].items():
        check(tag + " alias of " + f, layer.attributeAlias(fields.indexOf(f)), alias)
    for f in source_fields:
        i = fields.indexOf(f)
        check_true(tag + " has the source field " + f, i >= 0)
        check(tag + " no alias on the source field " + f, layer.attributeAlias(i), "")
    if name != "clusters":
        return
    r = layer.renderer()
    check(tag + " renderer", r.type(), "graduatedSymbol")
    if r.type() != "graduatedSymbol":
        return
    check(tag + " renderer attribute", r.classAttribute(), "confl_pct")
    check(tag + " ranges", [(x.lowerValue(), x.upperValue()) for x in r.ranges()],
          ranges_for(breaks))
    alphas = [x.symbol().symbolLayer(0).color().alpha() for x in r.ranges()]
    check_true(tag + " fills translucent", all(a < 255 for a in alphas), repr(alphas))


def db_style(path, table):
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT styleQML FROM layer_styles WHERE f_table_name = ? AND "
                          "useAsDefault", (table,)).fetchall()
    return [r[0] for r in rows]


def check_job(tag, out, base, labels, source_fields, breaks):
    for name, label in labels.items():
        gpkg = "%s/%s.gpkg" % (out, base)
        sqlite = "%s/%s.sqlite" % (out, base)
        # What QGIS loads by itself when the layer is opened.
        for uri, how in [(gpkg + "|layername=" + name, "gpkg"),
                         (sqlite + "|layername=" + name, "sqlite"),
                         ("%s/%s.geojson" % (out, name), "geojson+qml"),
                         ("%s/%s.shp" % (out, name), "shp+qml")]:
            layer = QgsVectorLayer(uri, name, "ogr")
            check_layer("%s %s %s" % (tag, how, name), layer, name, label,
                        source_fields[name], breaks)
        # The QGIS SpatiaLite provider reads its own row of layer_styles.
        layer = QgsVectorLayer("dbname='%s' table=\"%s\" (geometry)" % (sqlite, name), name,
                               "spatialite")
        check_layer("%s spatialite-provider %s" % (tag, name), layer, name, label,
                    source_fields[name], breaks)
        # The layer_styles rows and the .qml applied explicitly to a bare layer.
        for how, uri, qmls in [
                ("gpkg layer_styles", gpkg + "|layername=" + name, db_style(gpkg, name)),
                ("sqlite layer_styles", sqlite + "|layername=" + name, db_style(sqlite, name)),
                (".qml", "%s/%s.geojson" % (out, name),
                 [open("%s/%s.qml" % (out, name), encoding="utf-8").read()])]:
            check_true("%s %s %s: rows" % (tag, how, name), len(qmls) >= 1, str(len(qmls)))
            for qml in qmls:
                doc = QDomDocument()
                check_true("%s %s %s parses" % (tag, how, name), doc.setContent(qml)[0])
                layer = QgsVectorLayer(uri, name, "ogr",
                                       QgsVectorLayer.LayerOptions(loadDefaultStyle=False))
                ok, err = layer.importNamedStyle(doc)
                check_true("%s %s %s imports" % (tag, how, name), ok, err)
                check_layer("%s %s %s" % (tag, how, name), layer, name, label,
                            source_fields[name], breaks)


def rendered_labels(layer):
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setExtent(layer.extent())
    settings.setOutputSize(QSize(1600, 1600))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    results = job.takeLabelingResults()
    return sorted({lp.labelText for lp in results.allLabels()})


def main():
    ccgis, samples, shapes, work = sys.argv[1:5]
    run("rm", "-rf", work)
    os.makedirs(work)
    app = QgsApplication([], False)
    app.initQgis()

    # The sample job, pointed at shapes/ and written into work/.
    with open(os.path.join(samples, "hanoi.ini"), encoding="utf-8") as f:
        job = f.read().replace("../shapes/", shapes + "/")
    job = "\n".join("output = " + work + "/sample" if line.startswith("output ") else line
                    for line in job.split("\n"))
    with open(work + "/sample.ini", "w", encoding="utf-8") as f:
        f.write(job)
    run(ccgis, "run", "-q", work + "/sample.ini")
    check_job("sample", work + "/sample", "sample",
              {"clusters": "ma_ccn", "villages": "ten", "districts": "ten"},
              {"clusters": ["ma_ccn", "ten"], "villages": ["ma_ln", "ten"],
               "districts": ["ten"]},
              [5.0, 10.0, 20.0, 50.0])

    # The same data under other field names.
    run("ogr2ogr", "-f", "GPKG", work + "/in_clusters.gpkg", shapes + "/clusters.shp",
        "-nln", "clusters", "-sql",
        'SELECT ma_ccn AS "Name", ten AS "Tên cụm", trang_thai FROM clusters')
    run("ogr2ogr", "-f", "GPKG", work + "/in_villages.gpkg", shapes + "/villages.geojson",
        "-nln", "villages", "-sql",
        'SELECT ma_ln AS "Mã", ten AS "Tên làng" FROM villages')
    run("ogr2ogr", "-f", "GPKG", work + "/in_districts.gpkg", shapes + "/districts.gpkg",
        "-nln", "districts", "-sql",
        "SELECT geom, ten AS \"Tên & 'q'\" FROM districts")
    with open(work + "/renamed.ini", "w", encoding="utf-8") as f:
        f.write("""[job]
name = Tên khác
output = renamed
formats = geojson, shp, gpkg, sqlite

[clusters]
source = in_clusters.gpkg
id = Name
name = Tên cụm

[districts]
source = in_districts.gpkg
name = Tên & 'q'

[zoning]
source = %s/landuse.gpkg
class = loai_dat

[villages]
source = in_villages.gpkg
id = Mã
name = Tên làng

[style]
conflict_breaks = 2.5; 10; 30
""" % shapes)
    run(ccgis, "run", "-q", work + "/renamed.ini")
    check_job("renamed", work + "/renamed", "renamed",
              {"clusters": "Name", "villages": "Tên làng", "districts": "Tên & 'q'"},
              {"clusters": ["Name", "Tên cụm"], "villages": ["Mã", "Tên làng"],
               "districts": ["Tên & 'q'"]},
              [2.5, 10.0, 30.0])

    # Rendered: the labels drawn are the clusters' `Name` values.
    layer = QgsVectorLayer(work + "/renamed/renamed.gpkg|layername=clusters", "c", "ogr")
    names = sorted({f["Name"] for f in layer.getFeatures()})
    drawn = rendered_labels(layer)
    check_true("renamed: labels drawn", len(drawn) > 0, "%d labels" % len(drawn))
    check_true("renamed: every label drawn is a cluster's Name",
               bool(drawn) and set(drawn) <= set(names), repr(drawn[:5]))

    # No exitQgis(): after offscreen rendering it crashes in PyQGIS 3.22.
    sys.stderr.flush()
    if FAILURES:
        print("style_check: %d check(s) failed" % len(FAILURES))
        return 1
    print("style_check: QGIS reads every style as the job asked")
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    # Past exitQgis(), the interpreter's own teardown can crash in Qt's
    # destructors (PyQGIS 3.22): leave without it.
    os._exit(code)
