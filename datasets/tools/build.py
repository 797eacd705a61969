#!/usr/bin/env python3
"""Rebuild the observation files of datasets/ from the collected source files.

    python3 datasets/tools/build.py [SOURCE_DIR]

SOURCE_DIR defaults to ../shared/datasets/cn (relative to the repository root);
it holds the files described in its README (region,indicator,period,value,unit,
measure,source).  This script is provenance, not part of the build: it records
exactly how every row of the long-format files was derived (measure and unit
mapping, Jan-Feb handling, vintages) so the figures can be audited.  Figures
are copied as text; the only arithmetic is the decimal shift of US$ billions to
亿美元 (x10).  datasets/README.md explains the rules.
"""

import calendar
import csv
import datetime as dt
import os
import re
import sys
from decimal import Decimal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # datasets/
REPO = os.path.dirname(ROOT)
SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "..", "shared", "datasets", "cn")

HEADER = ["series", "period", "value", "measure", "unit", "vintage", "source"]
MEASURE = {"level_month": "value", "level_ytd": "ytd",
           "growth_yoy_month": "yoy", "growth_ytd": "ytd_yoy"}
UNIT = {"100m_cny": "亿元", "usd_bn": "亿美元", "pct": "%"}
COUNT_UNIT = {"china_europe_trains": "列", "express_parcels": "件", "market_entities": "户"}
# Only ever reported for a whole year: yearly series (level -> value, growth -> yoy).
YEARLY = {"china_europe_trains", "express_parcels", "market_entities"}
QUARTERLY = {"gdp", "gdp_primary", "gdp_secondary", "gdp_tertiary"}


def read(name):
    with open(os.path.join(SRC, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def month_end(y, m):
    """The last day of month m of year y (m may run past 12)."""
    y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def value_text(v, unit):
    if unit == "usd_bn":  # billion US$ -> 亿美元: shift the decimal point
        d = Decimal(v) * 10
        s = format(d, "f")
        return s.rstrip("0").rstrip(".") if "." in s else s
    return v


# ---- vintages ----------------------------------------------------------------
# National series: no release dates in the sources, so a conservative bound
# from the release calendars: the last day of the month after the period
# (NBS ~15th-18th, customs ~7th-20th, MOF mid/late month; quarterly GDP
# ~17th-20th after the quarter, 2022-Q3 on 24 Oct).  Exceptions: MOF's
# December (full-year) budget figures -> end of February (MOF releases the
# full year in late January or early February); customs January figures from 2020 on, released only together with
# February in early March -> end of March.
def national_vintage(indicator, period):
    m = re.fullmatch(r"(\d{4})-Q([1-4])", period)
    if m:
        return month_end(int(m[1]), int(m[2]) * 3 + 1)
    y, mo = int(period[:4]), int(period[5:7])
    if indicator == "budget_revenue" and mo == 12:
        return month_end(y + 1, 2)
    if indicator in ("exports_usd", "imports_usd", "trade_usd", "exports_cny", "imports_cny") \
            and mo == 1 and y >= 2020:
        return month_end(y, 3)
    return month_end(y, mo + 1)


# Local pages: the release date stated on the page (or in its address, which
# is never before the release); see README "Vintages".
PAGE_DATE = {
    "big5.china.com.cn/gate/big5/zjnews.china.com.cn/zj/jinhua/2024-01-25/409856.html": "2024-01-25",
    "chain.bitekongjian.com/jrsc/30171.html": "2025-09-16",        # 中新社义乌9月16日电, Yiwu customs "16日发布"
    "code.python88.com/l/O1vtOtmqxR": "2023-10-24",                # "10月24日，今年我市前三季度经济数据出炉"
    "en.people.cn/n3/2023/0419/c90000-20007905.html": "2023-04-19",
    "en.people.cn/n3/2023/0721/c90000-20047514.html": "2023-07-21",
    "english.jinhua.gov.cn/art/2023/5/26/art_1229181171_58899025.html": "2023-05-26",
    "ezhejiang.gov.cn/lishui/2023-11/17/c_940558.htm": "2023-11-17",
    "german.china.org.cn/txt/2024-12/24/content_117626612.htm": "2024-12-24",
    "m.ynhybx.com/a/201801/06/WS5a5095a2a31008cf16da5800.html": "2018-01-06",
    "news.gtxh.com/rdxw/2023/0420/177849.html": "2023-04-20",
    "news.zgyww.cn/system/2018/07/18/010136207.shtml": "2018-07-18",
    "news.zgyww.cn/system/2023/10/24/010258971.shtml": "2023-10-24",
    "qwitaly.com/video/44275.html": "2024-02-04",                  # Zhejiang Daily 2024-02-04 (shared README)
    "wap.qwitaly.com/wap/cjxw/39644.html": "2023-08-29",           # page time 2023-08-29 12:16
    "www.ezhejiang.gov.cn/2024-02/05/c_962376.htm": "2024-02-05",
    "www.liangziled.com/cn/Instant/local/202511/t20251119_7890584.html": "2025-11-19",
    "www.xiaomonv0755.com/tjgb/11zj/37664.html": "2024-03-04",     # Zhejiang 2023 communiqué, published 2024-03-04
    "www.yw.gov.cn/art/2021/9/16/art_1229145763_59274022.html": "2021-09-16",
    "www.zj.chinanews.com/nqx/2022-07-28/detail-ihcaqyxf0809094.shtml": "2022-07-26",  # 中新网义乌7月26日电
    "yiliao.pasah.cn/zixun/52788.html": "2023-10-21",              # "10月21日，浙江省统计局...发布"
    "yiwuzhejiang.chinadaily.com.cn/2021-08/03/c_648224.htm": "2021-08-03",
    "yiwuzhejiang.chinadaily.com.cn/2022-06/09/c_819876.htm": "2022-06-09",
    "yiwuzhejiang.chinadaily.com.cn/2024-05/20/c_989054.htm": "2024-05-20",
    "zjrb.zjol.com.cn/html/2023-03/11/content_3632254.htm?div=-1": "2023-03-10",  # "本报杭州3月10日讯"
    "zjzd.stats.gov.cn/zwgk/xxgkml/tjxx/tjgb/202403/t20240304_110816.html": "2024-03-04",
    "epaper.jhnews.com.cn/jhrb//jhrbpaper/pc/con/202501/27/content_495972.html": "2025-01-27",
    "news.cnstock.com/news,yw-202403-5204254.htm": "2024-03-12",    # "12日，记者从杭州海关获悉"
    "nanmuxuan.com/zh-sg/economy/fyngygljmtm.html": "2021-10-20",   # 中新网义乌10月20日电
    "nfa5.com/yejie/202107/23135103.html": "2021-07-23",           # 中新网义乌7月23日电
    "regional.chinadaily.com.cn/ezhejiang/eyiwu/2020-07/25/c_523896.htm": "2020-07-25",
    "www.cronachenuoresi.it/2023/04/26/cina-q1-mercato-piccole-merci-registra-aumento-esportazioni": "2023-04-26",
    "www.ibnews.com/jp/2025/10/30/3319.html": "2025-10-30",
    "www.ridgemeadowsmaternity.ca/46crunchfx/29064ISMPst/2024MFM08DJKS03SLM/": "2024-07-22",  # 中新网义乌7月22日电 (same article)
    "z.hangzhou.com.cn/2022/qqszmyblh/content/content_8252367.htm": "2022-05-11",  # page 2022-05-12: "昨天，杭州海关发布"
    "zjnews.zjol.com.cn/zjnews/202304/t20230424_25668152.shtml": "2023-04-24",
    "tfhid.com/art/2023/11/17/art_1229767794_60183365.html": "2023-11-17",
}
# Statistical communiqués without a date: published in spring; end of April.
COMMUNIQUE = {"www.xiaomonv0755.com/tjgb/11zj/37347.html", "m.xiaomonv0755.com/tjgb/11zj/37971.html"}


def page_vintage(source, period):
    key = re.sub(r"^https?://", "", source)
    if key in PAGE_DATE:
        return dt.date.fromisoformat(PAGE_DATE[key])
    # Undated page: conservative bound from the local release calendar.
    if re.fullmatch(r"\d{4}", period):
        y = int(period)
        return dt.date(y + 1, 4, 30) if key in COMMUNIQUE else dt.date(y + 1, 3, 31)
    m = re.fullmatch(r"(\d{4})-Q([1-4])", period)
    if m:
        return month_end(int(m[1]), int(m[2]) * 3 + 1)
    return month_end(int(period[:4]), int(period[5:7]) + 1)


# ---- local (Yiwu, Zhejiang, Jinhua) -----------------------------------------
def local_rows(rows):
    out = []
    for r in rows:
        ind, per, meas = r["indicator"], r["period"], r["measure"]
        key = f"{r['region']}.{ind}"
        unit = COUNT_UNIT.get(ind) if r["unit"] == "count" else UNIT[r["unit"]]
        vin = page_vintage(r["source"], per)
        if meas in ("level_year", "growth_year"):
            y = per
            if ind in YEARLY:
                p, m = y, ("value" if meas == "level_year" else "yoy")
            elif ind in QUARTERLY:
                p, m = f"{y}-Q4", ("ytd" if meas == "level_year" else "ytd_yoy")
            else:
                p, m = f"{y}-12", ("ytd" if meas == "level_year" else "ytd_yoy")
        else:
            p, m = per, MEASURE[meas]
            if ind in QUARTERLY:
                assert re.fullmatch(r"\d{4}-Q[1-4]", p), (key, p)
            else:
                assert re.fullmatch(r"\d{4}-\d{2}", p), (key, p)
        out.append([key, p, r["value"], m, unit, vin.isoformat(), r["source"]])
    return out


# ---- national ------------------------------------------------------------------
def national_rows(rows, keep, first="2010"):
    """keep: {(indicator, measure)}; Jan-Feb combined releases (a February ytd
    with no January at all in that series and year) also give value/yoy rows
    on YYYY-01/02 when the source has no single-month February row."""
    rows = [r for r in rows if r["period"][:4] >= first and (r["indicator"], r["measure"]) in keep]
    have = {(r["indicator"], r["measure"], r["period"]) for r in rows}
    out = []
    for r in rows:
        ind, per, meas = r["indicator"], r["period"], r["measure"]
        unit = UNIT[r["unit"]]
        vin = national_vintage(ind, per).isoformat()
        out.append([f"china.{ind}", per, value_text(r["value"], r["unit"]), MEASURE[meas], unit,
                    vin, r["source"]])
        # Jan-Feb combined: the February ytd is the single value of the period 01/02.
        if meas in ("level_ytd", "growth_ytd") and per.endswith("-02"):
            y = per[:4]
            single = "level_month" if meas == "level_ytd" else "growth_yoy_month"
            if (ind, meas, f"{y}-01") not in have and (ind, single, per) not in have \
                    and (ind, single) in keep:
                out.append([f"china.{ind}", f"{y}-01/02", value_text(r["value"], r["unit"]),
                            MEASURE[single], unit, vin, r["source"]])
    return out


def write(path, rows):
    seen = set()
    for r in rows:
        k = (r[0], r[1], r[3])
        assert k not in seen, f"duplicate {k} in {path}"
        seen.add(k)
    rows.sort(key=lambda r: (r[0], ["value", "ytd", "yoy", "ytd_yoy"].index(r[3]), r[1]))
    full = os.path.join(ROOT, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows)
    print(f"{path}: {len(rows)} rows")


def main():
    write("yiwu/yiwu.csv", local_rows(read("yiwu_compiled_from_news_and_official_pages.csv")))
    write("zhejiang/zhejiang.csv",
          local_rows(read("zhejiang_jinhua_compiled_from_news_and_official_pages.csv")))

    ak = read("china_monthly_nbs_via_akshare.csv")
    keep = {(i, m) for i in ("retail_sales", "exports_usd", "imports_usd", "budget_revenue")
            for m in ("level_month", "level_ytd", "growth_yoy_month", "growth_ytd")}
    write("china/china_monthly_nbs.csv", national_rows(ak, keep))

    afan = read("china_macro_choice_afan_macropage.csv")
    keep = {("gdp", m) for m in ("level_month", "level_ytd", "growth_yoy_month", "growth_ytd")}
    keep |= {(i, m) for i in ("gdp_primary", "gdp_secondary", "gdp_tertiary")
             for m in ("level_ytd", "growth_ytd")}
    keep |= {("fixed_asset_investment", "level_ytd"), ("fixed_asset_investment", "growth_ytd")}
    keep |= {("trade_usd", "level_month"), ("trade_usd", "growth_yoy_month"),
             ("exports_cny", "growth_yoy_month"), ("imports_cny", "growth_yoy_month")}
    write("china/china_afan_macropage.csv", national_rows(afan, keep))

    # NBS quarterly GDP: only the quarters after AFAN's last (2025-Q1); the
    # overlapping quarters hold later revisions and are left out.
    last = max(r["period"] for r in afan if r["indicator"] == "gdp")
    nbs = [r for r in read("china_quarterly_gdp_nbs_2021q4_2026q1.csv")
           if r["indicator"] == "gdp" and r["period"] > last]
    keep = {("gdp", m) for m in ("level_month", "level_ytd", "growth_yoy_month", "growth_ytd")}
    write("china/china_gdp_nbs.csv", national_rows(nbs, keep))

    ifind = read("china_industrial_value_added_monthly_ifind.csv")
    keep = {("industrial_value_added", "growth_yoy_month"),
            ("industrial_value_added_manufacturing", "growth_yoy_month")}
    write("china/china_industrial_value_added_ifind.csv", national_rows(ifind, keep))


if __name__ == "__main__":
    main()
