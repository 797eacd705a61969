#!/usr/bin/env python3
"""Lint the bundled data: python3 datasets/check.py [--coverage]

Checks every CSV under datasets/ against the formats of DESIGN.md ("CSV
formats") as the bundled files use them, and the rules of datasets/README.md:

* each file parses as CSV and every row has the header's column count;
* long files: known measures, numeric values, periods in the form of the
  series' frequency (M: 2023-01 or 2023-01/02, Q: 2023-Q1, Y: 2023), a
  non-empty unit and source, a vintage that is empty or an ISO date not
  before the period's last day; one row per (series, period, measure) across
  all files, and no Jan-Feb combined value beside a January or February one;
* series.csv: one row per key, known freq/kind/agg, shapes that exist;
* targets: known kinds and operators, numeric thresholds, a ref for relative
  and in_step, a tolerance for in_step, every key defined in series.csv;
* calendar/cny.csv: one valid date per year, between 21 Jan and 20 Feb;
* manifest.csv: every importable file once, in import order, series.csv
  first, with the format its header has.

Exits 1 and lists the problems when any is found.  --coverage prints the
coverage table of README.md (series, measures, periods, rows).
"""

import calendar
import collections
import csv
import datetime as dt
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.abspath(__file__))
LONG = ["series", "period", "value", "measure", "unit", "vintage", "source"]
TARGETS = ["series", "year", "kind", "op", "value", "ref", "tolerance", "label", "source", "shape"]
SERIES = ["series", "name", "name_en", "region", "unit", "freq", "kind", "agg", "shape"]
CNY = ["year", "date"]
MEASURES = ("value", "ytd", "yoy", "ytd_yoy")
KINDS = ("growth", "level", "daily_avg", "relative", "in_step", "count", "decline", "unquantified")
OPS = (">=", ">", "<=", "<", "=")
KEY = re.compile(r"[a-z]+(\.[a-z0-9_]+)+")
PERIOD = {"M": re.compile(r"(\d{4})-(0[1-9]|1[0-2])|(\d{4})-01/02"),
          "Q": re.compile(r"(\d{4})-Q([1-4])"),
          "Y": re.compile(r"(\d{4})")}

problems = []


def bad(where, msg):
    problems.append(f"{where}: {msg}")


def rows_of(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def is_num(s):
    try:
        float(s)
        return True
    except ValueError:
        return False


def period_end(freq, p):
    """Last day of period p (canonical form for freq)."""
    if freq == "Y":
        return dt.date(int(p), 12, 31)
    if freq == "Q":
        y, q = int(p[:4]), int(p[-1])
        return dt.date(y, 3 * q, calendar.monthrange(y, 3 * q)[1])
    y, m = int(p[:4]), (2 if p.endswith("/02") else int(p[5:7]))
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def check_series(path):
    header, rows = rows_of(path)
    meta = {}
    if header != SERIES:
        bad(path, f"header {header}, expected {SERIES}")
        return meta
    for i, r in enumerate(rows, 2):
        w = f"{path}:{i}"
        if len(r) != len(header):
            bad(w, f"{len(r)} columns, expected {len(header)}")
            continue
        d = dict(zip(header, r))
        if not KEY.fullmatch(d["series"]):
            bad(w, f"key '{d['series']}' is not region.indicator")
        if d["series"] in meta:
            bad(w, f"series '{d['series']}' listed twice")
        if d["freq"] not in PERIOD:
            bad(w, f"freq '{d['freq']}'")
        if d["kind"] not in ("flow", "stock", "rate"):
            bad(w, f"kind '{d['kind']}'")
        if d["agg"] not in ("sum", "mean", "last"):
            bad(w, f"agg '{d['agg']}'")
        if not d["name"] or not d["unit"]:
            bad(w, "name and unit are required")
        meta[d["series"]] = d
    for k, d in meta.items():
        if d["shape"] and d["shape"] not in meta:
            bad(path, f"{k}: shape '{d['shape']}' is not a listed series")
    return meta


def check_long(path, meta, seen, cover):
    header, rows = rows_of(path)
    if header != LONG:
        bad(path, f"header {header}, expected {LONG}")
        return
    for i, r in enumerate(rows, 2):
        w = f"{path}:{i}"
        if len(r) != len(header):
            bad(w, f"{len(r)} columns, expected {len(header)}")
            continue
        d = dict(zip(header, r))
        key, p, m = d["series"], d["period"], d["measure"]
        if key not in meta:
            bad(w, f"series '{key}' not in series.csv")
            continue
        freq = meta[key]["freq"]
        if not PERIOD[freq].fullmatch(p):
            bad(w, f"period '{p}' is not a {freq} period")
            continue
        if m not in MEASURES:
            bad(w, f"measure '{m}'")
        if p.endswith("/02") and m not in ("value", "yoy"):
            bad(w, f"Jan-Feb period '{p}' with cumulative measure '{m}' (use {p[:4]}-02)")
        if not is_num(d["value"]):
            bad(w, f"value '{d['value']}' is not a number")
        if not d["unit"] or not d["source"]:
            bad(w, "unit and source are required")
        if m in ("yoy", "ytd_yoy") and d["unit"] != "%":
            bad(w, f"growth measure with unit '{d['unit']}'")
        if d["vintage"]:
            try:
                v = dt.date.fromisoformat(d["vintage"])
            except ValueError:
                bad(w, f"vintage '{d['vintage']}' is not YYYY-MM-DD")
            else:
                if v <= period_end(freq, p):
                    bad(w, f"vintage {v} not after the period {p} ends")
        k = (key, p, m)
        if k in seen:
            bad(w, f"duplicate {key} {p} {m} (first at {seen[k]})")
        seen[k] = w
        c = cover[key]
        c["measures"].add(m)
        c["periods"].add(p)
        c["rows"] += 1
        c["files"].add(os.path.relpath(path, ROOT))


def check_targets(path, meta):
    header, rows = rows_of(path)
    if header != TARGETS:
        bad(path, f"header {header}, expected {TARGETS}")
        return
    for i, r in enumerate(rows, 2):
        w = f"{path}:{i}"
        if len(r) != len(header):
            bad(w, f"{len(r)} columns, expected {len(header)}")
            continue
        d = dict(zip(header, r))
        if not re.fullmatch(r"\d{4}", d["year"]):
            bad(w, f"year '{d['year']}'")
        if d["kind"] not in KINDS:
            bad(w, f"kind '{d['kind']}'")
        if not d["label"] or not d["source"]:
            bad(w, "label and source are required")
        if d["kind"] == "unquantified":
            if d["op"] or d["value"]:
                bad(w, "an unquantified target has no op or value")
            continue
        if d["op"] not in OPS:
            bad(w, f"op '{d['op']}'")
        if not is_num(d["value"]):
            bad(w, f"value '{d['value']}' is not a number")
        for col in ("series", "ref", "shape"):
            if d[col] and d[col] not in meta:
                bad(w, f"{col} '{d[col]}' not in series.csv")
        if not d["series"]:
            bad(w, "a quantified target needs a series")
        if d["kind"] in ("relative", "in_step") and not d["ref"]:
            bad(w, f"{d['kind']} needs a ref")
        if d["kind"] == "in_step" and not is_num(d["tolerance"]):
            bad(w, "in_step needs a numeric tolerance")


def check_cny(path):
    header, rows = rows_of(path)
    if header != CNY:
        bad(path, f"header {header}, expected {CNY}")
        return
    years = set()
    for i, r in enumerate(rows, 2):
        w = f"{path}:{i}"
        try:
            y, d = int(r[0]), dt.date.fromisoformat(r[1])
        except (ValueError, IndexError):
            bad(w, f"row {r}")
            continue
        if d.year != y or not (dt.date(y, 1, 21) <= d <= dt.date(y, 2, 20)) or y in years:
            bad(w, f"date {d} for year {y}")
        years.add(y)


def check_manifest(path, found):
    """manifest.csv lists every importable file once, series.csv first, with
    the format its header has."""
    header, rows = rows_of(path)
    if header != ["file", "format"]:
        bad(path, f"header {header}, expected ['file', 'format']")
        return
    listed = [r[0] for r in rows if r]
    if not listed or listed[0] != "series.csv":
        bad(path, "series.csv must come first (metadata before observations)")
    want = {"series.csv": "series", **{f: k for f, k in found.items() if k}}
    for i, r in enumerate(rows, 2):
        if len(r) != 2 or r[0] not in want or want[r[0]] != r[1] or listed.count(r[0]) != 1:
            bad(f"{path}:{i}", f"entry {r} does not match the file's header or is repeated")
    for f in sorted(set(want) - set(listed)):
        bad(path, f"{f} is not listed")


def main():
    meta = check_series(os.path.join(ROOT, "series.csv"))
    seen = {}
    cover = collections.defaultdict(lambda: {"measures": set(), "periods": set(), "rows": 0,
                                             "files": set()})
    found = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "**", "*.csv"), recursive=True)):
        rel = os.path.relpath(path, ROOT)
        if rel in ("series.csv", "manifest.csv"):
            continue
        head = rows_of(path)[0]
        found[rel] = {tuple(LONG): "long", tuple(TARGETS): "targets"}.get(tuple(head))
        if head == LONG:
            check_long(path, meta, seen, cover)
        elif head == TARGETS:
            check_targets(path, meta)
        elif rel == os.path.join("calendar", "cny.csv"):
            check_cny(path)
        else:
            bad(rel, f"unrecognised header {head}")
    check_manifest(os.path.join(ROOT, "manifest.csv"), found)
    # a Jan-Feb combined value sits on February: no separate Jan/Feb beside it
    for (key, p, m), where in seen.items():
        if p.endswith("/02"):
            for mm in ("01", "02"):
                if (key, f"{p[:4]}-{mm}", m) in seen:
                    bad(where, f"{key} {m}: {p} and {p[:4]}-{mm} both present")
    if "--coverage" in sys.argv:
        print("| series | freq | measures | periods | rows | file |")
        print("|---|---|---|---|---|---|")
        for k in sorted(cover):
            c = cover[k]
            ms = ", ".join(m for m in MEASURES if m in c["measures"])
            ps = sorted(c["periods"], key=lambda p: (p[:4], p.replace("01/02", "02")))
            print(f"| `{k}` | {meta[k]['freq']} | {ms} | {ps[0]} .. {ps[-1]} | {c['rows']} | "
                  f"{', '.join(sorted(c['files']))} |")
        nodata = sorted(set(meta) - set(cover))
        print("\nNo observations:", ", ".join(f"`{k}`" for k in nodata))
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"ok: {len(seen)} observations, {len(meta)} series", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
