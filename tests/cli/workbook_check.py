#!/usr/bin/python3
"""workbook_check.py -- read back the workbook `ccgis run` writes for the
sample job (samples/hanoi.ini), with readers ccgis has no part in, and
compare every figure with the run's other outputs.  Run by test_workbook.c.

  workbook_check.py read XLSX SUMMARY_JSON GPKG DISTRICT_STATUS_CSV
      openpyxl: sheet names, headings, number formats, frozen header rows,
      filters, column widths; every number against summary.json and the
      GeoPackage's layers (and district_status.csv); the formulas' text and
      their stored values against the totals.
  workbook_check.py strip XLSX OUT_XLSX
      a copy with the stored values of the formulas removed, so that a
      reader must evaluate them to show anything.
  workbook_check.py programme XLSX SUMMARY_JSON
      openpyxl: the "Tiến độ chương trình" sheet of a job with [plan] and
      [wastewater] (tests/cli/test_programme_run.c): the headline figures,
      the change classes' table and the relocation gaps against
      summary.json's "programme".
  workbook_check.py evaluated CSV_DIR PREFIX SUMMARY_JSON GPKG
      the CSVs LibreOffice wrote, one per sheet (PREFIX-<sheet>.csv), of the
      stripped copy: every total equals its reference.

Prints what it compares; exits 0 when everything agrees, 1 otherwise.
The expected sheet names and headings are written out here again, not taken
from ccgis: they are what staff read.
"""
import csv
import json
import math
import os
import re
import sqlite3
import sys
import zipfile

SHEETS = ["Tổng hợp", "Cụm công nghiệp", "Quận huyện × trạng thái",
          "Xung đột theo loại đất", "Làng nghề", "Tiến độ chương trình", "Vấn đề dữ liệu",
          "Nguồn dữ liệu"]
TOTAL = "Tổng cộng"
NO_STATUS = "(không có trạng thái)"
NO_DISTRICT = "(ngoài các quận/huyện)"
HEADS = {
    "Tổng hợp": ["Trạng thái", "Số cụm", "Diện tích (ha)", "Tỷ lệ diện tích (%)"],
    "Cụm công nghiệp": [
        "Mã cụm", "Tên cụm", "Trạng thái", "Diện tích (ha)", "Diện tích phẳng (ha)",
        "Quận/huyện", "Tỷ lệ diện tích trong quận/huyện (%)", "Số quận/huyện",
        "Đất được phép (ha)", "Đất xung đột quy hoạch (ha)",
        "Vùng quy hoạch chồng chéo (ha)", "Ngoài vùng quy hoạch (ha)", "Tỷ lệ xung đột (%)",
        "Loại đất xung đột nhiều nhất", "Số làng nghề trong bán kính 2000 m",
        "Vấn đề phát hiện"],
    "Xung đột theo loại đất": [
        "Mã cụm", "Tên cụm", "Quận/huyện", "Loại đất", "Diện tích trên loại đất (ha)",
        "Tỷ lệ diện tích cụm (%)", "Số vùng quy hoạch"],
    "Làng nghề": ["Mã làng nghề", "Tên làng nghề", "Cụm gần nhất",
                  "Khoảng cách đến cụm gần nhất (m)", "Trong bán kính 2000 m"],
    "Vấn đề dữ liệu": ["Vấn đề", "Mã vấn đề", "Lớp dữ liệu", "Đối tượng",
                       "Đối tượng hoặc loại đất liên quan", "Diện tích (ha)", "Chi tiết"],
    "Nguồn dữ liệu": ["Lớp dữ liệu", "Tệp nguồn", "Tên lớp trong nguồn", "Hệ tọa độ",
                      "Mã EPSG", "Số đối tượng đã đọc", "Đã dùng", "Bỏ qua", "Đã sửa",
                      "Ghi chú"],
}
# The cluster columns' fields in the GeoPackage (samples/hanoi.ini: id ma_ccn,
# name ten, status trang_thai) and their number formats.
CLUSTER_FIELDS = ["ma_ccn", "ten", "trang_thai", "area_ha", "plan_ha", "district", "dist_pct",
                  "n_dist", "allow_ha", "confl_ha", "mixed_ha", "nozone_ha", "confl_pct",
                  "confl_top", "vill_near", "flags"]
HA, PCT, COUNT = "#,##0.00", "0.0", "#,##0"
FORMATS = {"area_ha": HA, "plan_ha": HA, "dist_pct": PCT, "n_dist": COUNT, "allow_ha": HA,
           "confl_ha": HA, "mixed_ha": HA, "nozone_ha": HA, "confl_pct": PCT,
           "vill_near": COUNT}
KIND_LABELS = {
    "GEOMETRY_SKIPPED": "Hình học bị bỏ qua",
    "GEOMETRY_REPAIRED": "Hình học đã được sửa",
    "CLUSTER_OVERLAP": "Các cụm chồng lấn nhau",
    "STRADDLES_DISTRICTS": "Cụm nằm trên nhiều quận/huyện",
    "OUTSIDE_DISTRICTS": "Cụm nằm ngoài các quận/huyện",
    "ZONING_CONFLICT": "Xung đột quy hoạch",
    "ZONING_OVERLAP": "Vùng quy hoạch chồng lấn nhau",
    "ZONING_GAP": "Khoảng trống quy hoạch",
    "ZONE_REPAIRED": "Vùng quy hoạch đã được sửa",
    "ZONE_SKIPPED": "Vùng quy hoạch bị bỏ qua",
    "ZONE_UNCLASSIFIED": "Vùng chưa có loại đất hoặc tên",
    "AREA_MISMATCH": "Diện tích không khớp diện tích quyết định",
    "NEEDS_MANUAL_FIX": "Cần sửa ranh giới thủ công",
    "OVERLAP": "Chồng lấn",
    "WWTP_MISSING": "Cụm đang hoạt động chưa có trạm xử lý nước thải đạt quy chuẩn",
    "RELOCATION_GAP": "Làng nghề không có cụm nào phục vụ",
}
LAYER_LABELS = {"clusters": "Cụm công nghiệp", "districts": "Quận/huyện",
                "zoning": "Quy hoạch sử dụng đất", "villages": "Làng nghề",
                "plan": "Cụm công nghiệp quy hoạch", "wastewater": "Trạm xử lý nước thải"}


class Checker:
    """Counts comparisons and failures; prints each failure and a line per group."""

    def __init__(self):
        self.failures = 0
        self.compared = 0
        self.worst = 0.0

    def fail(self, what):
        self.failures += 1
        if self.failures <= 40:
            print("  MISMATCH: " + what)

    def equal(self, what, got, want, rel=1e-14, floor=1e-300):
        """Numbers within `rel` of max(|want|, floor) -- relative, as the workbook
        keeps 16 significant digits; floor 1 for references that are sums or
        differences --, lists item by item, anything else exactly; None is ''."""
        if isinstance(want, list) and isinstance(got, list) and len(got) == len(want):
            for k, (g, w) in enumerate(zip(got, want)):
                self.equal("%s [%d]" % (what, k + 1), g, w, rel, floor)
            return
        self.compared += 1
        if got is None:
            got = ""
        if want is None:
            want = ""
        if isinstance(want, (int, float)) and not isinstance(want, bool):
            try:
                g = float(got)
            except (TypeError, ValueError):
                self.fail("%s: %r, want %r" % (what, got, want))
                return
            d = abs(g - want) / max(floor, abs(want))
            self.worst = max(self.worst, d)
            if not d <= rel:
                self.fail("%s: %r, want %r (difference %.3g)" % (what, got, want, d))
        elif got != want:
            self.fail("%s: %r, want %r" % (what, got, want))

    def group(self, text):
        print("  %s: %d compared, %s (largest relative difference %.1e)" % (
            text, self.compared, "all equal" if not self.failures else
            "%d MISMATCHES so far" % self.failures, self.worst))
        self.compared = 0
        self.worst = 0.0


def rows_of(db, sql):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    con.row_factory = sqlite3.Row
    out = [dict(r) for r in con.execute(sql)]
    con.close()
    return out


def references(summary_path, gpkg):
    """What the run's other outputs say."""
    with open(summary_path, encoding="utf-8") as f:
        s = json.load(f)
    return {
        "summary": s,
        "clusters": rows_of(gpkg, "SELECT * FROM clusters ORDER BY fid"),
        "pieces": rows_of(gpkg, "SELECT * FROM cluster_zones WHERE allowed = 0 ORDER BY fid"),
        "districts": rows_of(gpkg, "SELECT * FROM districts ORDER BY fid"),
        "villages": rows_of(gpkg, "SELECT * FROM villages ORDER BY fid"),
        "findings": rows_of(gpkg, "SELECT * FROM findings ORDER BY fid"),
    }


def statuses(ref):
    return [b["status"] for b in ref["summary"]["clusters"]["by_status"]]


def status_label(s):
    return s if s else NO_STATUS


def district_heads(ref):
    st = [status_label(s) for s in statuses(ref)]
    return (["Quận/huyện"] + ["Số cụm: " + s for s in st] + ["Tổng số cụm"] +
            ["Diện tích (ha): " + s for s in st] + ["Tổng diện tích (ha)",
                                                    "Diện tích xung đột quy hoạch (ha)",
                                                    "Số làng nghề"])


def expected_totals(ref):
    """Every total the workbook shows as a formula: sheet -> [(row label, column, value, what)]."""
    s = ref["summary"]
    c = s["clusters"]
    z = s["zoning"]
    ns = len(statuses(ref))
    nd = len(s["districts"])
    out = {
        "Tổng hợp": [(TOTAL, 1, c["count"], "clusters.count"),
                     (TOTAL, 2, c["area_ha"], "clusters.area_ha"),
                     (TOTAL, 3, 100.0, "100 %"),
                     ("Cộng bốn phần trên (ha)", 1, c["area_ha"], "clusters.area_ha")],
        "Cụm công nghiệp": [(TOTAL, 3, c["area_ha"], "clusters.area_ha"),
                            (TOTAL, 4, c["plan_ha"], "clusters.plan_ha"),
                            (TOTAL, 8, z["allowed_ha"], "zoning.allowed_ha"),
                            (TOTAL, 9, z["conflict_ha"], "zoning.conflict_ha"),
                            (TOTAL, 10, z["mixed_ha"], "zoning.mixed_ha"),
                            (TOTAL, 11, z["nozone_ha"], "zoning.nozone_ha"),
                            (TOTAL, 12, 100.0 * z["conflict_ha"] / c["area_ha"],
                             "100 x zoning.conflict_ha / clusters.area_ha")],
        "Quận huyện × trạng thái": [(TOTAL, 1 + ns, c["count"], "clusters.count"),
                                    (TOTAL, 2 + 2 * ns, c["area_ha"], "clusters.area_ha"),
                                    (TOTAL, 3 + 2 * ns, z["conflict_ha"], "zoning.conflict_ha"),
                                    (TOTAL, 4 + 2 * ns, s["villages"]["count"],
                                     "villages.count")],
        "Xung đột theo loại đất": [(TOTAL, 4, sum(p["area_ha"] for p in ref["pieces"]),
                                    "sum of cluster_zones.area_ha where allowed = 0")],
        "Làng nghề": [(TOTAL, 4, s["villages"]["within"], "villages.within")],
        "Vấn đề dữ liệu": [(TOTAL, 1, sum(s["findings"].values()), "findings, all kinds")],
    }
    for k, b in enumerate(s["clusters"]["by_status"]):
        out["Quận huyện × trạng thái"].append(
            (TOTAL, 1 + k, b["count"], "by_status[%d].count" % k))
        out["Quận huyện × trạng thái"].append(
            (TOTAL, 2 + ns + k, b["area_ha"], "by_status[%d].area_ha" % k))
    for d in s["districts"]:
        out["Quận huyện × trạng thái"].append(
            (d["name"], 1 + ns, d["n_clusters"], "districts[%s].n_clusters" % d["name"]))
        out["Quận huyện × trạng thái"].append(
            (d["name"], 2 + 2 * ns, d["clust_ha"], "districts[%s].clust_ha" % d["name"]))
    outside_n = c["count"] - sum(d["n_clusters"] for d in s["districts"])
    outside_ha = c["area_ha"] - sum(d["clust_ha"] for d in s["districts"])
    out["Quận huyện × trạng thái"].append((NO_DISTRICT, 1 + ns, outside_n, "clusters outside"))
    out["Quận huyện × trạng thái"].append((NO_DISTRICT, 2 + 2 * ns, outside_ha,
                                           "hectares outside"))
    for kind, n in s["findings"].items():
        out["Tổng hợp"].append(("Vấn đề: " + KIND_LABELS[kind], 1, n, "findings." + kind))
    assert nd > 0
    return out


def check_totals(ck, grid, totals, rel, who):
    """grid: sheet -> list of rows (first cell the row's label)."""
    for sheet, items in totals.items():
        rows = {}
        for r in grid.get(sheet, []):
            if r and r[0] not in rows:
                rows[r[0]] = r
        for label, col, want, what in items:
            r = rows.get(label)
            got = r[col] if r is not None and col < len(r) else None
            ck.equal("%s, row '%s', column %d (%s)" % (sheet, label, col + 1, what), got, want,
                     rel, 1.0)
        ck.group("%s: %s totals == summary.json / GeoPackage" % (who, sheet))


def display_width(text):
    import unicodedata
    return sum(0 if unicodedata.combining(ch) else
               2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def check_sheet_form(ck, ws, heads, last_row):
    """Headings, frozen header row, filter over the table, widths from the content."""
    got = [c.value for c in ws[1]][:len(heads)]
    ck.equal("%s: headings" % ws.title, got, heads)
    ck.equal("%s: frozen panes" % ws.title, ws.freeze_panes, "A2")
    last_col = ws.cell(row=1, column=len(heads)).column_letter
    ck.equal("%s: filter" % ws.title, ws.auto_filter.ref, "A1:%s%d" % (last_col, last_row))
    for col in range(1, len(heads) + 1):
        letter = ws.cell(row=1, column=col).column_letter
        width = ws.column_dimensions[letter].width
        widest = 0
        for row in ws.iter_rows(min_row=2, max_row=last_row, min_col=col, max_col=col):
            v = row[0].value
            if isinstance(v, str) and not v.startswith("="):
                widest = max(widest, display_width(v))
        word = max(display_width(w) for w in heads[col - 1].split())
        if not (width >= min(widest, 60) and width >= word and width <= 66):
            ck.fail("%s: column %s is %.1f wide for text %d and a heading word %d wide" % (
                ws.title, letter, width, widest, word))
        ck.compared += 1
    ck.group("%s: headings, frozen row, filter, widths" % ws.title)


def check_formula(ck, ws, cell, pattern):
    v = ws[cell].value
    ck.compared += 1
    if not (isinstance(v, str) and re.fullmatch(pattern, v)):
        ck.fail("%s!%s: formula %r, want %s" % (ws.title, cell, v, pattern))


def read(xlsx, summary_path, gpkg, status_csv):
    import openpyxl
    ck = Checker()
    ref = references(summary_path, gpkg)
    s = ref["summary"]
    wf = openpyxl.load_workbook(xlsx)                  # formulas as written
    wv = openpyxl.load_workbook(xlsx, data_only=True)  # their stored values
    print("openpyxl %s reads %s" % (openpyxl.__version__, xlsx))
    ck.equal("sheet names", wf.sheetnames, SHEETS)
    ck.equal("title", wf.properties.title, s["name"])
    ck.group("sheet names and title")

    # -- summary ------------------------------------------------------------
    ws, vs = wf["Tổng hợp"], wv["Tổng hợp"]
    by = s["clusters"]["by_status"]
    check_sheet_form(ck, ws, HEADS["Tổng hợp"], len(by) + 1)
    for k, b in enumerate(by):
        r = k + 2
        ck.equal("status %d" % k, ws.cell(r, 1).value, status_label(b["status"]))
        ck.equal("status %d count" % k, ws.cell(r, 2).value, b["count"])
        ck.equal("status %d area_ha" % k, ws.cell(r, 3).value, b["area_ha"])
        ck.equal("status %d share" % k, ws.cell(r, 4).value,
                 100 * b["area_ha"] / s["clusters"]["area_ha"], 1e-12)
        ck.equal("status %d formats" % k, [ws.cell(r, c).number_format for c in (2, 3, 4)],
                 [COUNT, HA, PCT])
    t = len(by) + 2
    for col, letter in ((2, "B"), (3, "C"), (4, "D")):
        check_formula(ck, ws, "%s%d" % (letter, t), r"=SUM\(%s2:%s%d\)" % (letter, letter, t - 1))
    ck.group("summary: clusters by status == summary.json clusters.by_status")
    items = {}
    for r in range(t + 2, ws.max_row + 1):
        items[ws.cell(r, 1).value] = (ws.cell(r, 2), vs.cell(r, 2))
    z = s["zoning"]
    plan_label = [k for k in items if k and k.startswith("Diện tích phẳng theo ")]
    ck.equal("planar area label", len(plan_label), 1)
    wants = [("Số cụm công nghiệp", s["clusters"]["count"]),
             ("Tổng diện tích (ha)", s["clusters"]["area_ha"]),
             ("Diện tích, phần chồng lấn tính một lần (ha)", s["clusters"]["union_ha"]),
             (plan_label[0] if plan_label else "?", s["clusters"]["plan_ha"]),
             ("Đất được phép (ha)", z["allowed_ha"]),
             ("Đất xung đột quy hoạch (ha)", z["conflict_ha"]),
             ("Vùng quy hoạch chồng chéo (ha)", z["mixed_ha"]),
             ("Ngoài vùng quy hoạch (ha)", z["nozone_ha"]),
             ("Số cụm có đất xung đột quy hoạch", len(s["conflicts"])),
             ("Số làng nghề", s["villages"]["count"]),
             ("Số làng nghề trong bán kính 2000 m", s["villages"]["within"]),
             ("Số làng nghề nằm trong một cụm", s["villages"]["inside"]),
             ("Công việc", s["name"]),
             ("Tệp công việc", s["job"]),
             ("Tạo bởi", "ccgis %s (%s)" % (s["ccgis"], s["libraries"]))]
    for kind, n in s["findings"].items():
        wants.append(("Vấn đề: " + KIND_LABELS[kind], n))
    for label, want in wants:
        cell = items.get(label, (None, None))[1]
        ck.equal("summary item '%s'" % label, cell.value if cell else None, want, 1e-14)
    four = items.get("Cộng bốn phần trên (ha)", (None, None))[0]
    ck.compared += 1
    if not (four and re.fullmatch(r"=SUM\(B\d+:B\d+\)", str(four.value))):
        ck.fail("the four parts' total is not a SUM: %r" % (four.value if four else None))
    for kind in s["findings"]:
        cell = items.get("Vấn đề: " + KIND_LABELS[kind], (None, None))[0]
        ck.compared += 1
        if not (cell and str(cell.value).startswith("=COUNTIF('Vấn đề dữ liệu'!B2:B")):
            ck.fail("findings count %s is not a COUNTIF: %r" % (kind, cell.value if cell else None))
    ck.group("summary: headline figures == summary.json (clusters, zoning, villages, "
             "findings, job)")

    # -- clusters -------------------------------------------------------------
    ws = wf["Cụm công nghiệp"]
    cl = ref["clusters"]
    check_sheet_form(ck, ws, HEADS["Cụm công nghiệp"], len(cl) + 1)
    conflicts = {c["id"]: c for c in s["conflicts"]}
    for i, c in enumerate(cl):
        r = i + 2
        for j, field in enumerate(CLUSTER_FIELDS):
            cell = ws.cell(r, j + 1)
            ck.equal("cluster %s %s" % (c["ma_ccn"], field), cell.value, c[field])
            if field in FORMATS:
                ck.equal("cluster %s %s format" % (c["ma_ccn"], field), cell.number_format,
                         FORMATS[field])
        j = conflicts.get(c["ma_ccn"])
        if j:
            for field, col in (("area_ha", 4), ("confl_ha", 10), ("confl_pct", 13),
                               ("mixed_ha", 11), ("nozone_ha", 12), ("confl_top", 14),
                               ("district", 6), ("name", 2)):
                ck.equal("cluster %s %s (summary.json)" % (c["ma_ccn"], field),
                         ws.cell(r, col).value, j[field])
    ck.group("clusters: %d rows == GeoPackage clusters (%d fields) and summary.json "
             "conflicts" % (len(cl), len(CLUSTER_FIELDS)))
    t = len(cl) + 2
    ck.equal("clusters total label", ws.cell(t, 1).value, TOTAL)
    for letter in "DEIJKL":
        check_formula(ck, ws, "%s%d" % (letter, t), r"=SUM\(%s2:%s%d\)" % (letter, letter, t - 1))
    check_formula(ck, ws, "M%d" % t, r"=IF\(D%d>0,100\*J%d/D%d,0\)" % (t, t, t))
    ck.group("clusters: totals are formulas")

    # -- districts x status ---------------------------------------------------
    ws = wf["Quận huyện × trạng thái"]
    ds = s["districts"]
    heads = district_heads(ref)
    check_sheet_form(ck, ws, heads, len(ds) + 2)
    ns = len(statuses(ref))
    with open(status_csv, encoding="utf-8-sig", newline="") as f:
        per = {(row["district"], row["status"]): row for row in csv.DictReader(f)}
    names = [ws.cell(r, 1).value for r in range(2, len(ds) + 3)]
    ck.equal("district rows", names, [d["name"] for d in ds] + [NO_DISTRICT])
    layer_names = sorted(set(d["ten"] for d in ref["districts"]))
    ck.equal("every district of the GeoPackage", sorted(n for n in names[:-1]), layer_names)
    for k, d in enumerate(ds + [None]):
        r = k + 2
        name = d["name"] if d else ""
        for j, st in enumerate(statuses(ref)):
            row = per.get((name, st))
            ck.equal("%s / %s clusters" % (name or NO_DISTRICT, st), ws.cell(r, 2 + j).value,
                     int(row["n_clusters"]) if row else 0)
            ck.equal("%s / %s ha" % (name or NO_DISTRICT, st), ws.cell(r, 3 + ns + j).value,
                     float(row["area_ha"]) if row else 0, 1e-13)
        check_formula(ck, ws, "%s%d" % (ws.cell(r, 2 + ns).column_letter, r),
                      r"=SUM\(B%d:%s%d\)" % (r, ws.cell(r, 1 + ns).column_letter, r))
        if d:
            ck.equal("%s confl_ha" % name, ws.cell(r, 3 + 2 * ns + 1).value, d["confl_ha"])
            ck.equal("%s n_villages" % name, ws.cell(r, 3 + 2 * ns + 2).value, d["n_villages"])
        else:
            ck.equal("outside confl_ha", ws.cell(r, 3 + 2 * ns + 1).value,
                     s["zoning"]["conflict_ha"] - sum(x["confl_ha"] for x in ds), 1e-12, 1.0)
            ck.equal("outside n_villages", ws.cell(r, 3 + 2 * ns + 2).value,
                     s["villages"]["count"] - sum(x["n_villages"] for x in ds))
    ck.group("districts x status: %d districts + no district == summary.json districts and "
             "district_status.csv, zeros elsewhere" % len(ds))

    # -- conflicts by class -----------------------------------------------------
    ws = wf["Xung đột theo loại đất"]
    pieces = ref["pieces"]
    check_sheet_form(ck, ws, HEADS["Xung đột theo loại đất"], len(pieces) + 1)
    by_id = {c["ma_ccn"]: c for c in cl}
    for k, p in enumerate(pieces):
        r = k + 2
        c = by_id[p["cluster_id"]]
        want = [p["cluster_id"], c["ten"], c["district"], p["class"], p["area_ha"],
                p["share_pct"], p["n_zones"]]
        ck.equal("piece %s/%s" % (p["cluster_id"], p["class"]),
                 [ws.cell(r, j).value for j in range(1, 8)], want)
    ck.group("conflicts: %d rows == GeoPackage cluster_zones where allowed = 0" % len(pieces))

    # -- villages -------------------------------------------------------------------
    ws = wf["Làng nghề"]
    vl = ref["villages"]
    check_sheet_form(ck, ws, HEADS["Làng nghề"], len(vl) + 1)
    row_of = {}
    for k, v in enumerate(vl):
        r = k + 2
        row_of[v["ma_ln"]] = r
        for j, want in enumerate([v["ma_ln"], v["ten"], v["near_id"], v["near_m"],
                                  "có" if v["within"] else "không"]):
            ck.equal("village %s column %d" % (v["ma_ln"], j + 1), ws.cell(r, j + 1).value, want)
    for far in s["villages"]["farthest"]:
        r = row_of.get(far["id"])
        ck.equal("farthest %s near_id" % far["id"], ws.cell(r, 3).value if r else None,
                 far["near_id"])
        ck.equal("farthest %s near_m" % far["id"], ws.cell(r, 4).value if r else None,
                 far["near_m"])
    check_formula(ck, ws, "E%d" % (len(vl) + 2), r'=COUNTIF\(E2:E%d,"có"\)' % (len(vl) + 1))
    ck.group("villages: %d rows == GeoPackage villages and summary.json farthest" % len(vl))

    # -- findings -------------------------------------------------------------------
    ws = wf["Vấn đề dữ liệu"]
    fl = ref["findings"]
    check_sheet_form(ck, ws, HEADS["Vấn đề dữ liệu"], len(fl) + 1)
    for k, f in enumerate(fl):
        r = k + 2
        want = [KIND_LABELS[f["kind"]], f["kind"], LAYER_LABELS.get(f["layer"], f["layer"]),
                f["subject"], f["other"], f["area_ha"], f["detail"]]
        ck.equal("finding %d" % (k + 1), [ws.cell(r, j).value for j in range(1, 8)], want)
    ck.equal("findings by kind", {kd: sum(1 for f in fl if f["kind"] == kd)
                                  for kd in s["findings"]}, s["findings"])
    ck.group("findings: %d rows == GeoPackage findings, counts == summary.json" % len(fl))

    # -- inputs ------------------------------------------------------------------------
    ws = wf["Nguồn dữ liệu"]
    ins = s["inputs"]
    check_sheet_form(ck, ws, HEADS["Nguồn dữ liệu"], len(ins) + 1)
    for k, i in enumerate(ins):
        r = k + 2
        got = [ws.cell(r, j).value for j in range(1, 10)]
        want = [LAYER_LABELS[i["layer"]], i["source"], i.get("name"), i.get("crs"),
                i.get("epsg"), i["read"], i.get("used", i.get("near")), i["skipped"],
                i["repaired"]]
        ck.equal("input %s" % i["layer"], got, want)
    ck.group("inputs: %d rows == summary.json inputs" % len(ins))

    # -- every total: a formula, and its stored value ---------------------------------------
    grid = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wv.worksheets}
    check_totals(ck, grid, expected_totals(ref), 1e-12, "stored values")
    for sheet, items in expected_totals(ref).items():
        wsf = wf[sheet]
        for label, col, _, what in items:
            for row in wsf.iter_rows():
                if row[0].value == label:
                    ck.compared += 1
                    if not str(row[col].value).startswith("="):
                        ck.fail("%s, row '%s', column %d (%s) is not a formula: %r" % (
                            sheet, label, col + 1, what, row[col].value))
                    break
    ck.group("every total above is a formula")
    return ck.failures


def strip(xlsx, out):
    """Copy xlsx to out without the values stored beside its formulas."""
    n = 0
    with zipfile.ZipFile(xlsx) as zi, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in zi.infolist():
            data = zi.read(info.filename)
            if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", info.filename):
                text, k = re.subn(r"(<f>[^<]*</f>)<v>[^<]*</v>", r"\1", data.decode("utf-8"))
                n += k
                data = text.encode("utf-8")
            zo.writestr(info, data)
    print("stripped the stored values of %d formulas: %s" % (n, out))
    return 0 if n > 0 else 1


def evaluated(csv_dir, prefix, summary_path, gpkg):
    ck = Checker()
    ref = references(summary_path, gpkg)
    grid = {}
    for sheet in SHEETS:
        path = os.path.join(csv_dir, "%s-%s.csv" % (prefix, sheet))
        if not os.path.exists(path):
            ck.fail("LibreOffice wrote no %s" % path)
            continue
        with open(path, encoding="utf-8", newline="") as f:
            grid[sheet] = list(csv.reader(f))
        ck.compared += 1
    ck.group("LibreOffice: one CSV per sheet, named after it")
    for sheet, want in HEADS.items():
        if sheet in grid:
            ck.equal("%s: headings (LibreOffice)" % sheet, grid[sheet][0][:len(want)], want)
    if "Quận huyện × trạng thái" in grid:
        h = district_heads(ref)
        ck.equal("districts headings (LibreOffice)", grid["Quận huyện × trạng thái"][0][:len(h)], h)
    ck.group("LibreOffice: headings")
    # LibreOffice prints 15 significant digits.
    check_totals(ck, grid, expected_totals(ref), 1e-12, "LibreOffice evaluated")
    return ck.failures


def programme(xlsx, summary_json):
    """The programme sheet against summary.json's "programme"."""
    import openpyxl
    with open(summary_json, encoding="utf-8") as f:
        prog = json.load(f)["programme"]
    wb = openpyxl.load_workbook(xlsx)
    failures = 0

    def same(what, got, want):
        nonlocal failures
        ok = (isinstance(want, float) and isinstance(got, (int, float)) and
              math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-9)) or got == want
        print("%s %s: %r%s" % ("ok  " if ok else "FAIL", what, got,
                               "" if ok else " (want %r)" % (want,)))
        failures += 0 if ok else 1

    name = "Tiến độ chương trình"
    same("sheet present", name in wb.sheetnames, True)
    if name not in wb.sheetnames:
        return failures + 1
    rows = [list(r) for r in wb[name].iter_rows(values_only=True)]
    items = {r[0]: r[1] for r in rows if r and r[0] is not None}
    same("heading", rows[0][:2], ["Chỉ tiêu", "Giá trị"])
    w = prog["wastewater_plants"]
    same("operating clusters", items.get("Số cụm đang hoạt động"), w["operating"])
    same("operating compliant", items.get("Số cụm đang hoạt động có trạm đạt quy chuẩn"),
         w["operating_compliant"])
    same("compliant share %",
         items.get("Tỷ lệ cụm đang hoạt động có trạm đạt quy chuẩn (%), mục tiêu 100 %"),
         w["operating_compliant_pct"])
    same("clusters now", items.get("Số cụm hiện nay"), prog["now"]["count"])
    same("area now", items.get("Diện tích hiện nay (ha)"), prog["now"]["union_ha"])
    same("area planned", items.get("Diện tích quy hoạch (ha)"), prog["plan"]["union_ha"])
    # The change classes: the rows under their title, in summary.json's order.
    names = {"unchanged": "giữ nguyên", "expanded": "mở rộng", "reduced": "thu hẹp",
             "moved": "dời vị trí", "new": "thành lập mới", "removed": "đưa ra khỏi quy hoạch",
             "merged": "sáp nhập", "split": "tách"}
    at = [i for i, r in enumerate(rows) if r[0] == "Hiện nay và quy hoạch, theo loại thay đổi"]
    same("changes table present", len(at), 1)
    if at:
        head = rows[at[0] + 1]
        same("changes headings", head[:3], ["Thay đổi", "Số nhóm cụm", "Số cụm hiện nay"])
        keys = ["groups", "now_count", "now_ha", "plan_count", "plan_ha", "gained_ha", "lost_ha"]
        for k, want in enumerate(prog["changes"]):
            row = rows[at[0] + 2 + k]
            same("change %s" % want["change"], row[0], names[want["change"]])
            for c, key in enumerate(keys):
                same("change %s %s" % (want["change"], key), row[1 + c],
                     float(want[key]) if isinstance(want[key], float) else want[key])
    at = [i for i, r in enumerate(rows)
          if r[0] == "Làng nghề không có cụm hiện có hay cụm quy hoạch trong bán kính"]
    same("gaps table present", len(at), 1)
    if at:
        for k, want in enumerate(prog["relocation_gaps"]):
            row = rows[at[0] + 2 + k]
            same("gap %d id" % k, row[0], want["id"])
            same("gap %d nearest" % k, row[3], want["near_plan_id"])
            same("gap %d km" % k, row[4], want["near_plan_km"])
    return failures


def main(argv):
    if len(argv) == 6 and argv[1] == "read":
        failures = read(*argv[2:])
    elif len(argv) == 4 and argv[1] == "programme":
        failures = programme(argv[2], argv[3])
    elif len(argv) == 4 and argv[1] == "strip":
        return strip(argv[2], argv[3])
    elif len(argv) == 6 and argv[1] == "evaluated":
        failures = evaluated(*argv[2:])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print("%s: %s" % (argv[1], "everything agrees" if not failures else
                      "%d MISMATCHES" % failures))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
