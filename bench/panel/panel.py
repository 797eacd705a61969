"""panel.py — the panel benchmark's work in pandas (bench/panel/README.md).

    python3 panel.py gen [N]        generate N series (default 10000) x 240 months with numpy
    python3 panel.py csv FILE       read the long CSV (series,period,value) and pivot it

The same computation as panel.lua, the idiomatic pandas way (whole-frame operations): per
series yoy, ytd and the annual sum; across series the sum of the series and of each result.
Prints the same four checksums.
"""
import sys

import numpy as np
import pandas as pd

mode = sys.argv[1] if len(sys.argv) > 1 else "gen"
T = 240
if mode == "gen":
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    i = np.arange(1, n + 1)
    t = np.arange(1, T + 1)
    v = (100 + i % 97)[None, :] + 0.5 * t[:, None] + 10 * np.sin(0.5236 * t[:, None] + (i % 12)[None, :])
    df = pd.DataFrame(v, index=pd.period_range("2005-01", periods=T, freq="M"),
                      columns=[f"s{k}" for k in i])
elif mode == "csv":
    long = pd.read_csv(sys.argv[2], dtype={"series": str, "period": str, "value": float})
    df = long.pivot(index="period", columns="series", values="value")
    df.index = pd.PeriodIndex(df.index, freq="M")
else:
    sys.exit(f"mode is gen or csv, got {mode}")

years = df.index.year
yoy = (df / df.shift(12) - 1) * 100
ytd = df.groupby(years).cumsum()
annual = df.groupby(years).sum()
total = df.sum(axis=1)
print("series %d  total %.10e  yoy %.10e  ytd %.10e  annual %.10e"
      % (df.shape[1], total.sum(), yoy.sum(axis=1).sum(), ytd.sum(axis=1).sum(), annual.sum(axis=1).sum()))
