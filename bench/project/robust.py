#!/usr/bin/env python3
"""robust.py -- awkward real series for a robustness sweep of projection and backtest.

    bench/project/robust.py OUTDIR     # writes OUTDIR/series.csv and OUTDIR/obs.csv, prints the keys

The series no rule was designed on, in the shapes a user may bring (docs/methods-projection.md
§14): from ../shared/datasets/cn (the NBS files via akshare), each indicator once per measure it
is published in -- `r.<ind>` period yoy only (当月同比), `g.<ind>` ytd growth only (累计同比),
`l.<ind>` ytd levels only, `v.<ind>` period values only; from ../shared/datasets/m3, every 40th
quarterly series (`q.<id>`, freq Q), every 60th yearly one (`y.<id>`, freq Y), every 25th monthly
one with fewer than six years (`s.<id>`), every 50th monthly one as a stock (`k.<id>`, agg last),
and three monthly series altered as a user's data may be: values shifted below zero (`neg.<id>`),
every fifth value zero (`zero.<id>`) and a year-long gap (`gap.<id>`).  No vintage column, so as-of
periods read the data through them.  Standard library only.
"""
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "datasets"))
PREFIX = {"growth_yoy_month": ("r", "yoy"), "growth_ytd": ("g", "ytd_yoy"),
          "level_ytd": ("l", "ytd"), "level_month": ("v", "value")}


def main(out):
    meta, rows = {}, []
    with open(os.path.join(SHARED, "cn", "china_monthly_nbs_via_akshare.csv"), newline="",
              encoding="utf-8") as f:
        for r in csv.DictReader(f):
            pm = PREFIX.get(r["measure"])
            p = r["period"]
            if pm is None or len(p) != 7:
                continue
            key = "%s.%s" % (pm[0], r["indicator"])
            freq = "Q" if "Q" in p else "M"
            if meta.setdefault(key, (freq, "flow", "sum"))[0] != freq:
                continue
            rows.append((key, p, r["value"], pm[1]))
    with open(os.path.join(SHARED, "m3", "info.csv"), newline="") as f:
        info = list(csv.DictReader(f))
    pick = {}
    q = [r for r in info if r["frequency"] == "4"][::40]
    y = [r for r in info if r["frequency"] == "1"][::60]
    mo = [r for r in info if r["frequency"] == "12"]
    short = [r for r in mo if int(r["n"]) + int(r["h"]) < 72][::25]
    stock = mo[5::50]
    alt = mo[7::400][:3]
    for r in q:
        pick[r["series"]] = [("q", "Q", "flow", "sum", r)]
    for r in y:
        pick.setdefault(r["series"], []).append(("y", "Y", "flow", "sum", r))
    for r in short:
        pick.setdefault(r["series"], []).append(("s", "M", "flow", "sum", r))
    for r in stock:
        pick.setdefault(r["series"], []).append(("k", "M", "stock", "last", r))
    for tag, r in zip(("neg", "zero", "gap"), alt):
        pick.setdefault(r["series"], []).append((tag, "M", "flow", "sum", r))
    values = {k: [] for k in pick}
    for name in ("train.csv", "test.csv"):
        with open(os.path.join(SHARED, "m3", name), newline="") as f:
            for r in csv.DictReader(f):
                if r["series"] in values:
                    values[r["series"]].append((int(r["t"]), float(r["value"])))
    for sid, uses in pick.items():
        vals = sorted(values[sid])
        mean = sum(v for _, v in vals) / len(vals)
        for tag, freq, kind, agg, r in uses:
            key = "%s.%s" % (tag, sid)
            meta[key] = (freq, kind, agg)
            y0, p0 = int(r["start_year"]), int(r["start_period"])
            if y0 < 1900:   # M3 gives no start for some series: place them in 1980
                y0 = 1980
            per = {"Y": 1, "Q": 4, "M": 12}[freq]
            for t, v in vals:
                i = (p0 - 1) + (t - 1)
                yr, j = y0 + i // per, i % per + 1
                if tag == "neg":
                    v = v - 1.2 * mean
                elif tag == "zero" and t % 5 == 0:
                    v = 0.0
                elif tag == "gap" and 30 <= t < 42:
                    continue
                p = str(yr) if freq == "Y" else ("%04dQ%d" % (yr, j) if freq == "Q"
                                                   else "%04d-%02d" % (yr, j))
                rows.append((key, p, repr(v), "value"))
    with open(os.path.join(out, "series.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["series", "name", "freq", "kind", "agg"])
        for key in sorted(meta):
            w.writerow([key, key, *meta[key]])
    with open(os.path.join(out, "obs.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["series", "period", "value", "measure"])
        w.writerows(sorted(set(rows)))
    print(" ".join(sorted(meta)))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: robust.py OUTDIR")
    main(sys.argv[1])
