#!/usr/bin/env bash
# make_xls.sh — remakes bureau.xls (committed beside this script) from the
# bureau.xlsx that make_xlsx writes, with LibreOffice's headless converter:
#
#   build/tests/data/import/xlsx/make_xlsx build/xls && tests/data/import/xlsx/make_xls.sh build/xls
#
# CI does not need LibreOffice: the .xls is committed.
set -euo pipefail
src=${1:?usage: make_xls.sh DIR-with-bureau.xlsx}
here=$(cd "$(dirname "$0")" && pwd)
soffice --headless --convert-to xls:"MS Excel 97" --outdir "$here" "$src/bureau.xlsx"
