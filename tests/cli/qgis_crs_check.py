#!/usr/bin/env python3
"""QGIS opens the sample job's VN-2000 outputs as EPSG:5897.

    qgis_crs_check.py CCGIS_BIN SAMPLE_JOB SHAPES_DIR WORK_DIR

Runs the sample job (samples/hanoi.ini, inputs from SHAPES_DIR, output into
WORK_DIR/out/hanoi; [job] output_crs = EPSG:5897), then opens every layer of
the Shapefiles, the GeoPackage and the SpatiaLite file in QGIS (python3-qgis,
offscreen; SpatiaLite both through the OGR provider, as a file dropped on
QGIS, and through the spatialite provider, as a Browser connection) and
asserts for each:
  - layer.isValid() and layer.crs().authid() == 'EPSG:5897';
  - the feature count of the same layer in GeoJSON, which QGIS reads as
    EPSG:4326 (RFC 7946), and for clusters, districts and villages the
    counts summary.json gives for the inputs (30, 30, 150);
  - every vertex as QGIS reads it within 1 mm of one of the same feature in
    `ogr2ogr -t_srs EPSG:5897` of the GeoJSON (same vertex count).
Exit 0: all agree; 1: a difference (printed); 77: python3-qgis is missing
(skipped, loudly) -- or 1 then when the CI environment variable is set.
Debian's QGIS bindings live in /usr/bin/python3's path: another python3
(pyenv...) without them re-runs the script with /usr/bin/python3.
"""
import json
import math
import os
import subprocess
import sys

LAYERS = ["clusters", "cluster_zones", "districts", "villages", "findings"]
TOL_M = 1e-3


def in_ci():
    return os.environ.get("CI", "") not in ("", "0", "false", "FALSE", "False", "no", "NO")


def import_qgis():
    """Import qgis.core, re-running under /usr/bin/python3 if need be."""
    try:
        import qgis.core  # noqa: F401
        return True
    except ImportError:
        system = "/usr/bin/python3"
        if (os.path.exists(system) and os.path.realpath(sys.executable) != os.path.realpath(system)
                and not os.environ.get("CCGIS_QGIS_REEXEC")):
            os.environ["CCGIS_QGIS_REEXEC"] = "1"
            os.execv(system, [system] + sys.argv)
        return False


def vertices(geom):
    """Every vertex of a QgsGeometry, as (x, y) tuples."""
    return [(v.x(), v.y()) for v in geom.vertices()]


def farthest(a, b):
    """The largest distance from a vertex of a to the nearest vertex of b."""
    worst = 0.0
    for (x, y) in a:
        worst = max(worst, min(math.hypot(x - u, y - v) for (u, v) in b))
    return worst


def main():
    if len(sys.argv) != 5:
        print(__doc__)
        return 2
    ccgis, job, shapes, work = sys.argv[1:]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if not import_qgis():
        print("*** python3-qgis not found (apt-get install python3-qgis): the QGIS check "
              "is %s ***" % ("FAILED (CI is set)" if in_ci() else "SKIPPED"))
        return 1 if in_ci() else 77
    from qgis.core import QgsApplication

    os.makedirs(work, exist_ok=True)
    out = os.path.join(work, "out", "hanoi")
    subprocess.run(["rm", "-rf", os.path.join(work, "out")], check=True)
    with open(job, encoding="utf-8") as f:
        text = f.read().replace("../shapes/", shapes.rstrip("/") + "/")
    text = "\n".join("output = " + out if line.startswith("output ") else line
                     for line in text.split("\n"))
    job_copy = os.path.join(work, "hanoi.ini")
    with open(job_copy, "w", encoding="utf-8") as f:
        f.write(text)
    subprocess.run([ccgis, "run", "-q", job_copy], check=True)
    with open(os.path.join(out, "summary.json"), encoding="utf-8") as f:
        summary = json.load(f)
    used = {i["layer"]: i["used"] for i in summary["inputs"] if "used" in i}

    app = QgsApplication([], False)
    app.initQgis()
    failures = check_layers(out, work, used)
    app.exitQgis()
    if failures:
        print("%d difference(s)" % len(failures))
        return 1
    print("QGIS: every layer EPSG:5897, counts and coordinates agree")
    return 0


def check_layers(out, work, used):
    """Open every output layer in QGIS; return the list of differences found.
    (In a function of its own: its layers are gone before QGIS exits.)"""
    from qgis.core import QgsDataSourceUri, QgsVectorLayer

    failures = []

    def expect(ok, what):
        if not ok:
            failures.append(what)
            print("FAIL: " + what)

    for name in LAYERS:
        ref_path = os.path.join(work, "qgis_ref_%s.gpkg" % name)
        if os.path.exists(ref_path):
            os.remove(ref_path)
        subprocess.run(["ogr2ogr", "-t_srs", "EPSG:5897", ref_path,
                        os.path.join(out, name + ".geojson")], check=True)
        ref = QgsVectorLayer(ref_path, "ref", "ogr")
        gj = QgsVectorLayer(os.path.join(out, name + ".geojson"), name, "ogr")
        expect(gj.isValid() and gj.crs().authid() == "EPSG:4326",
               "%s.geojson: valid %s, CRS %s (want EPSG:4326)"
               % (name, gj.isValid(), gj.crs().authid()))
        want = gj.featureCount()
        if name in used:
            expect(want == used[name], "%s.geojson: %d features, summary.json says %d"
                   % (name, want, used[name]))
        ref_geoms = [f.geometry() for f in ref.getFeatures()]
        uri = QgsDataSourceUri()
        uri.setDatabase(os.path.join(out, "hanoi.sqlite"))
        uri.setDataSource("", name, "geometry")
        opened = [
            ("%s.shp" % name, QgsVectorLayer(os.path.join(out, name + ".shp"), name, "ogr")),
            ("hanoi.gpkg|%s" % name,
             QgsVectorLayer(os.path.join(out, "hanoi.gpkg") + "|layername=" + name, name, "ogr")),
            ("hanoi.sqlite|%s (ogr)" % name,
             QgsVectorLayer(os.path.join(out, "hanoi.sqlite") + "|layername=" + name, name,
                            "ogr")),
            ("hanoi.sqlite|%s (spatialite)" % name,
             QgsVectorLayer(uri.uri(), name, "spatialite")),
        ]
        for label, layer in opened:
            valid = layer.isValid()
            authid = layer.crs().authid() if valid else ""
            count = layer.featureCount() if valid else -1
            print("    %-36s valid %-5s %-10s %4d features" % (label, valid, authid, count))
            expect(valid, label + ": not a valid layer")
            if not valid:
                continue
            expect(authid == "EPSG:5897", "%s: CRS %s (want EPSG:5897)" % (label, authid))
            expect(count == want, "%s: %d features, GeoJSON has %d" % (label, count, want))
            worst = 0.0
            for i, feat in enumerate(layer.getFeatures()):
                if i >= len(ref_geoms):
                    break
                g, r = feat.geometry(), ref_geoms[i]
                if g.isNull() or r.isNull():
                    expect(g.isNull() == r.isNull(), "%s: feature %d: geometry null in one only"
                           % (label, i))
                    continue
                a, b = vertices(g), vertices(r)
                expect(len(a) == len(b), "%s: feature %d: %d vertices, reference %d"
                       % (label, i, len(a), len(b)))
                worst = max(worst, farthest(a, b), farthest(b, a))
            expect(worst <= TOL_M, "%s: a vertex %.4f m from the reference" % (label, worst))
            print("    %-36s largest difference from ogr2ogr -t_srs: %.2e m" % ("", worst))
    return failures


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)  # no interpreter teardown: PyQt and QGIS can crash in it
