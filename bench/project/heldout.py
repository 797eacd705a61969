#!/usr/bin/env python3
"""heldout.py -- the held-out sets of score.lua (README.md), as CSV files for `ontrack import`.

    bench/project/heldout.py cn OUTDIR    # the longer national histories of ../shared/datasets/cn
    bench/project/heldout.py m3 OUTDIR    # every 13th monthly M3 series with ten years or more

Writes OUTDIR/series.csv (the series' metadata) and OUTDIR/obs.csv (observations without a vintage
column, so that score.lua's as-of periods read the data through them).  Keys: `h.<indicator>` for
cn (from the Choice and iFinD files, which reach back to the 1990s: target years 2000-2019 have
ten years of record before them), `m3.<id>` for M3.  Standard library only.
"""
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "datasets"))

# the cn measures as ontrack measures (formats.md)
MEASURE = {"level_month": "value", "level_ytd": "ytd", "growth_yoy_month": "yoy",
           "growth_ytd": "ytd_yoy"}
CN_FILES = ["china_macro_choice_afan_macropage.csv", "china_industrial_value_added_monthly_ifind.csv"]


def cn(out):
    rows, meta = [], {}
    for name in CN_FILES:
        with open(os.path.join(SHARED, "cn", name), newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                m = MEASURE.get(r["measure"])
                p = r["period"]
                if m is None or not (len(p) == 7 and (p[4] == "-")):
                    continue            # full years (FAI before the 1990s) and other measures
                key = "h." + r["indicator"]
                freq = "Q" if "Q" in p else "M"
                if meta.setdefault(key, freq) != freq:
                    continue
                rows.append((key, p, r["value"], m))
    with open(os.path.join(out, "series.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["series", "name", "freq", "kind", "agg"])
        for key in sorted(meta):
            w.writerow([key, key[2:], meta[key], "flow", "sum"])
    with open(os.path.join(out, "obs.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["series", "period", "value", "measure"])
        w.writerows(sorted(set(rows)))
    print(" ".join(sorted(meta)))


def m3(out):
    info = {}
    with open(os.path.join(SHARED, "m3", "info.csv"), newline="") as f:
        monthly = [r for r in csv.DictReader(f) if r["frequency"] == "12"]
    chosen = [r for r in monthly[::13] if int(r["n"]) + int(r["h"]) >= 120]
    for r in chosen:
        info[r["series"]] = (int(r["start_year"]), int(r["start_period"]))
    values = {k: [] for k in info}
    for name in ("train.csv", "test.csv"):
        with open(os.path.join(SHARED, "m3", name), newline="") as f:
            for r in csv.DictReader(f):
                if r["series"] in values:
                    values[r["series"]].append((int(r["t"]), r["value"]))
    with open(os.path.join(out, "series.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["series", "name", "freq", "kind", "agg"])
        for k in info:
            w.writerow(["m3." + k, k, "M", "flow", "sum"])
    with open(os.path.join(out, "obs.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["series", "period", "value", "measure"])
        for k, (y0, m0) in info.items():
            for t, v in sorted(values[k]):
                i = (m0 - 1) + (t - 1)
                w.writerow(["m3." + k, "%04d-%02d" % (y0 + i // 12, i % 12 + 1), v, "value"])
    print(" ".join("m3." + k for k in info))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("cn", "m3"):
        sys.exit(__doc__)
    os.makedirs(sys.argv[2], exist_ok=True)
    {"cn": cn, "m3": m3}[sys.argv[1]](sys.argv[2])
