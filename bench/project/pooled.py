#!/usr/bin/env python3
"""pooled.py -- would a drift pooled across series have helped? (docs/methods-projection.md §13, round 6)

    CELLS=1 ontrack --db DB run bench/project/score.lua - [KEY...] 2> cells.txt
    bench/project/pooled.py cells.txt [cells2.txt ...]

Reads the per-target lines score.lua writes with CELLS=1.  For every scored projection (series s,
target year Y, as-of month k) it takes the errors outcome - point of every series of the file at
the same month k in years before Y (strictly out of sample: the outcomes of those years are known
by then), each divided by the width of its own 80 % range, and their median z (at least MIN = 10
errors).  The point moves by f * z * (this projection's 80 % width), f = 0, 0.5, 1; its
probabilities move with it under a normal approximation of the projection's range (sd = width /
2.563): p' = Phi(Phi^-1(p) + shift / sd).  Reported as MAE x carry-forward's and Brier x the
baseline's, summed over all cells of the file, and the number of series whose MAE is worse than
carry-forward's.  The series itself is in the pool ("own") or left out ("others").  Standard
library only.
"""
import statistics
import sys
from statistics import NormalDist

MIN = 10
N01 = NormalDist()


def load(path):
    cells = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("CELL,"):
                continue
            p = line.rstrip("\n").split(",")
            key, year, month, i = p[1], int(p[2]), int(p[3]), int(p[4])
            target, outcome, prob, pbase, met, point, carry, lo, hi = map(float, p[5:14])
            cells.setdefault((key, year, month), {})[i] = (target, outcome, prob, pbase, int(met),
                                                           point, carry, lo, hi)
    return cells


def score(cells, frac, own):
    per = {}
    # the scaled errors by month, with their series and year, for the pools
    by_month = {}
    for (key, year, month), d in cells.items():
        _, outcome, _, _, _, point, _, lo, hi = d[2]
        if hi > lo:
            by_month.setdefault(month, []).append((year, key, (outcome - point) / (hi - lo)))
    for (key, year, month), d in cells.items():
        _, outcome, _, _, _, point, carry, lo, hi = d[2]
        width = hi - lo
        zs = [z for y, k, z in by_month.get(month, []) if y < year and (own or k != key)]
        shift = frac * statistics.median(zs) * width if len(zs) >= MIN else 0.0
        r = per.setdefault(key, [0.0, 0.0, 0.0, 0.0])
        r[0] += abs(point + shift - outcome)
        r[1] += abs(carry - outcome)
        sd = width / 2.5631 if width > 0 else 0.0
        for i in sorted(d):
            _, _, prob, pbase, met, *_ = d[i]
            p = prob
            if shift != 0 and sd > 0:
                q = N01.inv_cdf(min(max(prob, 1e-4), 1 - 1e-4))
                p = N01.cdf(q + shift / sd)
            r[2] += (p - met) ** 2
            r[3] += (pbase - met) ** 2
    tot = [sum(r[j] for r in per.values()) for j in range(4)]
    worse = sum(1 for r in per.values() if r[0] > r[1] + 1e-9)
    return tot[0] / tot[1], tot[2] / tot[3], worse, len(per)


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: pooled.py CELLS.txt [CELLS.txt ...]")
    for path in sys.argv[1:]:
        cells = load(path)
        for own in (True, False):
            for frac in (0.0, 0.5, 1.0):
                mae, brier, worse, n = score(cells, frac, own)
                print(f"{path}  pool={'own' if own else 'others'}  f={frac:.1f}:  "
                      f"MAE {mae:.3f} x carry, Brier {brier:.3f} x baseline, "
                      f"{worse} of {n} series worse than carry")


if __name__ == "__main__":
    main()
