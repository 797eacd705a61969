"""gen_csv.py N FILE — the panel as a long CSV (series,period,value), 240 months per series.

The values are panel.lua's and panel.py's formula, printed with 6 decimals:
value(i, t) = 100 + i % 97 + 0.5 t + 10 sin(0.5236 t + i % 12), t = 1..240 from 2005-01.
Series are named s000001.. so that the store's key order is the numeric order.
"""
import sys

import numpy as np

n, path = int(sys.argv[1]), sys.argv[2]
T = 240
t = np.arange(1, T + 1)
periods = [f"{2005 + (k - 1) // 12}-{(k - 1) % 12 + 1:02d}" for k in t]
with open(path, "w") as f:
    f.write("series,period,value\n")
    for i in range(1, n + 1):
        v = (100 + i % 97) + 0.5 * t + 10 * np.sin(0.5236 * t + i % 12)
        key = f"s{i:06d}"
        f.write("".join(f"{key},{p},{x:.6f}\n" for p, x in zip(periods, v)))
