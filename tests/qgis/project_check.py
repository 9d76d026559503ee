#!/usr/bin/python3
"""project_check.py -- QGIS itself (PyQGIS 3.22, offscreen) opens the project
`ccgis run` writes (<name>.qgz, and the same project stored in the GeoPackage)
and prints its layouts.  Run by CTest (test_qgis_project).

  project_check.py CCGIS SAMPLE_JOB SHAPES_DIR WORK_DIR [SAVE_DIR]

Runs the sample job (samples/hanoi.ini: output_crs EPSG:5897, lang vi) into
WORK_DIR/out/hanoi and checks, with the expected values taken from the job
file and from the GeoPackage read with sqlite3 -- not from ccgis or QGIS:
  - hanoi.qgz and geopackage:<copy of hanoi.gpkg alone>?projectName=hanoi
    both load: title = the job's name, project CRS EPSG:5897, the groups
    (Vấn đề phát hiện, Kết quả, Dữ liệu đầu vào) holding the five layers,
    every layer valid, in EPSG:5897, with the feature count of its table, the
    renderer type of its layer_styles QML, labels on the job's fields
    (clusters ma_ccn, districts ten, villages ten); the stored content is the
    .qgz's bytes;
  - the overview layout exported to PDF has 1 page (pdfinfo); as a PNG, the
    pixels inside cluster CCN04 (wholly on one land-use class) have the colour
    of its class drawn over the zone piece's and the district's fills (alpha
    composed here), and the legend's area is not blank;
  - the atlas exported to PDF has one page per cluster (pdfinfo), in id order,
    page i showing (pdftotext) the cluster's id, its area_ha with 2 decimals
    and its district name (NFC); to PNG, one file per cluster;
  - a second run of the same job gives the same .qgs bytes once the dates
    (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS) are masked, and the dates are there.
SAVE_DIR, when given, receives layout_overview.png and atlas_CCN12.png (72 dpi), the
pictures kept in samples/hanoi/.
Exit 0: all agree; 1: a difference (printed); 77: python3-qgis is missing
(skipped, loudly) -- or 1 then when the CI environment variable is set.
"""
import configparser
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import unicodedata
import xml.etree.ElementTree as ET
import zipfile

FAILURES = []
LAYERS = ["clusters", "cluster_zones", "districts", "villages", "findings"]
GROUPS = {"Vấn đề phát hiện": ["findings"], "Kết quả": ["clusters", "cluster_zones"],
          "Dữ liệu đầu vào": ["villages", "districts"]}
LABELS = {"clusters": "ma_ccn", "districts": "ten", "villages": "ten"}


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


def check(what, got, want):
    ok = got == want
    print(("ok   " if ok else "FAIL ") + what + ": " + repr(got) + ("" if ok else " != " + repr(want)))
    if not ok:
        FAILURES.append(what)


def check_true(what, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + what + (": " + detail if detail else ""))
    if not cond:
        FAILURES.append(what)


def run_job(ccgis, job, shapes, work, out):
    """Run a copy of the sample job with its inputs in SHAPES and output OUT."""
    with open(job, encoding="utf-8") as f:
        text = f.read().replace("../shapes/", shapes.rstrip("/") + "/")
    text = "\n".join("output = " + out if line.startswith("output ") else line
                     for line in text.split("\n"))
    copy = os.path.join(work, "hanoi.ini")
    with open(copy, "w", encoding="utf-8") as f:
        f.write(text)
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run([ccgis, "run", "-q", copy], check=True)


def pdf_pages(path):
    p = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True)
    m = re.search(r"^Pages:\s+(\d+)", p.stdout, re.M)
    return int(m.group(1)) if m else -1


def pdf_text(path, page):
    p = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", path, "-"],
                       capture_output=True, text=True, check=True)
    return unicodedata.normalize("NFC", p.stdout)


def expected(gpkg):
    """Feature counts and layer_styles renderer types, read with sqlite3."""
    db = sqlite3.connect(gpkg)
    counts = {n: db.execute('SELECT count(*) FROM "%s"' % n).fetchone()[0] for n in LAYERS}
    renderers = {}
    for name, qml in db.execute("SELECT f_table_name, styleQML FROM layer_styles"):
        r = ET.fromstring(qml).find("renderer-v2")
        renderers[name] = r.get("type") if r is not None else None
    clusters = db.execute("SELECT ma_ccn, area_ha, district FROM clusters ORDER BY ma_ccn").fetchall()
    content = db.execute("SELECT content FROM qgis_projects WHERE name = 'hanoi'").fetchone()
    db.close()
    return counts, renderers, clusters, content


def check_project(tag, project, title, counts, renderers):
    """The project as loaded: title, CRS, groups, layers."""
    check(tag + ": title", project.title(), title)
    check(tag + ": project CRS", project.crs().authid(), "EPSG:5897")
    root = project.layerTreeRoot()
    groups = {g.name(): [project.mapLayer(c.layerId()).source().split("layername=")[-1]
                         for c in g.children()] for g in root.children()}
    check(tag + ": groups and their layers", groups, GROUPS)
    by_table = {l.source().split("layername=")[-1]: l for l in project.mapLayers().values()}
    check(tag + ": layers", sorted(by_table), sorted(LAYERS))
    for name, layer in sorted(by_table.items()):
        check("%s: %s valid" % (tag, name), layer.isValid(), True)
        check("%s: %s features" % (tag, name), layer.featureCount(), counts[name])
        check("%s: %s CRS" % (tag, name), layer.crs().authid(), "EPSG:5897")
        check("%s: %s renderer" % (tag, name), layer.renderer().type(), renderers[name])
        if name in LABELS:
            check("%s: %s labels" % (tag, name),
                  (layer.labelsEnabled(), layer.labeling().settings().fieldName),
                  (True, LABELS[name]))


def blend(under, colour):
    """colour (QColor, with alpha) drawn over the RGB tuple `under`."""
    a = colour.alphaF()
    return tuple(round(c * a + u * (1 - a)) for c, u in
                 zip((colour.red(), colour.green(), colour.blue()), under))


def check_overview_png(project, layout, png, dpi):
    """CCN04's interior has its colours; the legend's area is not blank."""
    from qgis.core import (QgsFeatureRequest, QgsLayoutItemLegend, QgsLayoutItemMap,
                           QgsRenderContext)
    from qgis.PyQt.QtGui import QImage

    img = QImage(png)
    mm = dpi / 25.4
    items = layout.items()
    the_map = [i for i in items if isinstance(i, QgsLayoutItemMap)][0]
    legend = [i for i in items if isinstance(i, QgsLayoutItemLegend)][0]
    layers = {l.source().split("layername=")[-1]: l for l in project.mapLayers().values()}
    clusters = layers["clusters"]
    f = next(clusters.getFeatures(QgsFeatureRequest().setFilterExpression("\"ma_ccn\" = 'CCN04'")))
    pt = f.geometry().pointOnSurface().asPoint()
    ext = the_map.extent()
    pos = the_map.pagePos()
    x = (pos.x() + (pt.x() - ext.xMinimum()) / ext.width() * the_map.rect().width()) * mm
    y = (pos.y() + (ext.yMaximum() - pt.y()) / ext.height() * the_map.rect().height()) * mm
    window = {}
    for dx in range(-3, 4):
        for dy in range(-3, 4):
            c = img.pixelColor(min(max(int(x) + dx, 0), img.width() - 1),
                               min(max(int(y) + dy, 0), img.height() - 1))
            window[(c.red(), c.green(), c.blue())] = window.get((c.red(), c.green(), c.blue()), 0) + 1
    seen = max(window, key=window.get)
    # The colours, composed in drawing order: districts, the zone piece, the cluster.
    ctx = QgsRenderContext()

    def fill(layer, feature):
        r = layer.renderer().clone()
        ctx.expressionContext().setFeature(feature)
        r.startRender(ctx, layer.fields())
        s = r.symbolsForFeature(feature, ctx)[0]  # the fill; a rule may add an outline
        r.stopRender(ctx)
        c = s.color()
        c.setAlphaF(c.alphaF() * s.opacity())
        return c

    colour = (255, 255, 255)
    for name in ("districts", "cluster_zones"):
        for g in layers[name].getFeatures():
            if g.geometry().contains(f.geometry().pointOnSurface()):
                colour = blend(colour, fill(layers[name], g))
                break
    colour = blend(colour, fill(clusters, f))
    close = all(abs(a - b) <= 12 for a, b in zip(seen, colour))
    check_true("overview.png: inside CCN04 the colour of its class over its zone and district",
               close, "pixel %r (at %d, %d), expected %r +- 12" % (seen, x, y, colour))
    r = legend.sceneBoundingRect()
    ink = total = 0
    for px in range(int(r.left() * mm), min(int(r.right() * mm), img.width()), 2):
        for py in range(int(r.top() * mm), min(int(r.bottom() * mm), img.height()), 2):
            c = img.pixelColor(px, py)
            total += 1
            ink += (c.red(), c.green(), c.blue()) != (255, 255, 255)
    check_true("overview.png: the legend's area is not blank", total > 0 and ink > total * 0.02,
               "%d of %d sampled pixels drawn" % (ink, total))


def check_layouts(project, work, clusters, save):
    from qgis.core import QgsLayoutExporter

    layouts = {l.name(): l for l in project.layoutManager().printLayouts()}
    check("layouts", sorted(layouts), sorted(["Bản đồ tổng quan", "Tập bản đồ từng cụm"]))
    overview = layouts.get("Bản đồ tổng quan")
    atlas_layout = layouts.get("Tập bản đồ từng cụm")
    if not overview or not atlas_layout:
        return
    pdf = os.path.join(work, "overview.pdf")
    r = QgsLayoutExporter(overview).exportToPdf(pdf, QgsLayoutExporter.PdfExportSettings())
    check("overview: PDF export", r, QgsLayoutExporter.Success)
    check("overview.pdf: pages", pdf_pages(pdf), 1)
    png = os.path.join(work, "overview.png")
    s = QgsLayoutExporter.ImageExportSettings()
    s.dpi = 72
    check("overview: PNG export", QgsLayoutExporter(overview).exportToImage(png, s),
          QgsLayoutExporter.Success)
    # At 300 dpi CCN04 (10 ha, about 1.3 mm on the sheet) is 15 pixels across.
    fine = os.path.join(work, "overview_300dpi.png")
    s.dpi = 300
    check("overview: PNG export at 300 dpi", QgsLayoutExporter(overview).exportToImage(fine, s),
          QgsLayoutExporter.Success)
    check_overview_png(project, overview, fine, 300)

    atlas = atlas_layout.atlas()
    check("atlas: enabled, coverage", (atlas.enabled(), atlas.coverageLayer().featureCount()),
          (True, len(clusters)))
    pdf = os.path.join(work, "atlas.pdf")
    r, err = QgsLayoutExporter.exportToPdf(atlas, pdf, QgsLayoutExporter.PdfExportSettings())
    check("atlas: PDF export", (r, err), (QgsLayoutExporter.Success, ""))
    check("atlas.pdf: pages = clusters", pdf_pages(pdf), len(clusters))
    for page, (cid, area_ha, district) in enumerate(clusters, 1):
        text = pdf_text(pdf, page)
        want = [cid, "%.2f" % area_ha, unicodedata.normalize("NFC", district)]
        missing = [w for w in want if w not in text]
        check_true("atlas.pdf page %d: %s, its area and district" % (page, cid), not missing,
                   "missing %r" % missing if missing else "")
    pngs = os.path.join(work, "atlas_png")
    shutil.rmtree(pngs, ignore_errors=True)
    os.makedirs(pngs)
    s = QgsLayoutExporter.ImageExportSettings()
    s.dpi = 30
    r, err = QgsLayoutExporter.exportToImage(atlas, os.path.join(pngs, "page"), "png", s)
    check("atlas: PNG export", r, QgsLayoutExporter.Success)
    check("atlas PNGs: one per cluster", sorted(os.listdir(pngs)),
          sorted("cluster_%s.png" % c[0] for c in clusters))
    if save:
        shutil.copy(os.path.join(work, "overview.png"), os.path.join(save, "layout_overview.png"))
        s.dpi = 72
        atlas.beginRender()
        for i in range(atlas.count()):
            atlas.seekTo(i)
            if atlas.nameForPage(i) == "CCN12":
                QgsLayoutExporter(atlas_layout).exportToImage(
                    os.path.join(save, "atlas_CCN12.png"), s)
        atlas.endRender()


def qgs_of(qgz):
    with zipfile.ZipFile(qgz) as z:
        names = z.namelist()
        check("%s: one entry, hanoi.qgs" % os.path.basename(qgz), names, ["hanoi.qgs"])
        return z.read(names[0])


def main():
    if len(sys.argv) not in (5, 6):
        print(__doc__)
        return 2
    ccgis, job, shapes, work = sys.argv[1:5]
    save = sys.argv[5] if len(sys.argv) == 6 else None
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if "XDG_RUNTIME_DIR" not in os.environ:
        import tempfile
        os.environ["XDG_RUNTIME_DIR"] = tempfile.mkdtemp()
    if not import_qgis():
        print("*** python3-qgis not found (apt-get install python3-qgis): test_qgis_project "
              "is %s ***" % ("FAILED (CI is set)" if in_ci() else "SKIPPED"))
        return 1 if in_ci() else 77
    if not shutil.which("pdfinfo") or not shutil.which("pdftotext"):
        print("*** pdfinfo/pdftotext not found (apt-get install poppler-utils): "
              "test_qgis_project is %s ***" % ("FAILED (CI is set)" if in_ci() else "SKIPPED"))
        return 1 if in_ci() else 77
    from qgis.core import QgsApplication, QgsProject

    os.makedirs(work, exist_ok=True)
    out = os.path.join(work, "out", "hanoi")
    run_job(ccgis, job, shapes, work, out)
    cfg = configparser.ConfigParser(inline_comment_prefixes=(";",))
    cfg.read(job, encoding="utf-8")
    title = cfg["job"]["name"].strip()
    qgz = os.path.join(out, "hanoi.qgz")
    gpkg = os.path.join(out, "hanoi.gpkg")
    counts, renderers, clusters, content = expected(gpkg)
    check("clusters in the sample", len(clusters), 30)
    with open(qgz, "rb") as f:
        qgz_bytes = f.read()
    check_true("qgis_projects holds the .qgz's bytes",
               content is not None and bytes.fromhex(content[0]) == qgz_bytes)
    manifest = open(os.path.join(out, ".ccgis-manifest"), encoding="utf-8").read()
    check_true("the manifest lists hanoi.qgz", re.search(r" hanoi\.qgz$", manifest, re.M) is not None)

    app = QgsApplication([], False)
    app.initQgis()
    project = QgsProject.instance()
    check(".qgz: read", project.read(qgz), True)
    check_project("hanoi.qgz", project, title, counts, renderers)
    check_layouts(project, work, clusters, save)
    # The GeoPackage alone, elsewhere: opening the one file is enough.
    alone = os.path.join(work, "alone")
    shutil.rmtree(alone, ignore_errors=True)
    os.makedirs(alone)
    shutil.copy(gpkg, alone)
    project.clear()
    uri = "geopackage:" + os.path.join(alone, "hanoi.gpkg") + "?projectName=hanoi"
    check("geopackage project: read", project.read(uri), True)
    check_project("hanoi.gpkg project", project, title, counts, renderers)
    check("geopackage project: layouts", len(project.layoutManager().printLayouts()), 2)
    project.clear()
    app.exitQgis()

    # Determinism: the same job again, a second later.
    first = qgs_of(qgz)
    sources = re.findall(rb"<datasource>([^<]*)</datasource>", first)
    check("the .qgs: layers by relative path", sorted(sources),
          sorted(b"./hanoi.gpkg|layername=" + n.encode() for n in LAYERS))
    time.sleep(1.1)
    run_job(ccgis, job, shapes, work, out)
    second = qgs_of(qgz)
    date = rb"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2})?"
    check_true("the .qgs holds its date", re.search(rb'saveDateTime="' + date + rb'"', first)
               is not None)
    check_true("two runs: the same .qgs but for the date",
               re.sub(date, b"DATE", first) == re.sub(date, b"DATE", second),
               "%d and %d bytes" % (len(first), len(second)))
    if FAILURES:
        print("%d failure(s)" % len(FAILURES))
        return 1
    print("QGIS: the project, its layouts and the atlas are as the job says")
    return 0


if __name__ == "__main__":
    sys.exit(main())
