# tests.cmake — the report tests (issue 8), included from tests/unit/CMakeLists.txt.
#
# cli_report: `ontrack report` on a stored run (tests/cli/t_report.sh).
# report_browser: the HTML page rendered by headless Chromium (Debian package
# `chromium`; CJK glyphs from `fonts-noto-cjk`); exits 77, reported as
# skipped, when chromium is not installed.
# report_pages: the zh and en pages (and a crowded chart) in Chromium: label
# boxes measured by getBBox, the zh page's Latin words, A4 PDF pages
# (pdfinfo, Debian `poppler-utils`); screenshots kept in
# build/report-artifacts for CI.
foreach(t IN ITEMS cli_report report_browser report_pages)
  if(t STREQUAL "cli_report")
    set(script ${PROJECT_SOURCE_DIR}/tests/cli/t_report.sh)
  elseif(t STREQUAL "report_browser")
    set(script ${PROJECT_SOURCE_DIR}/tests/report/t_browser.sh)
  else()
    set(script ${PROJECT_SOURCE_DIR}/tests/report/t_pages.sh)
  endif()
  add_test(NAME ${t} COMMAND bash ${script})
  set_tests_properties(${t} PROPERTIES LABELS "cli;report" TIMEOUT 600 SKIP_RETURN_CODE 77
    ENVIRONMENT "ONTRACK=$<TARGET_FILE:ontrack>;SRC=${PROJECT_SOURCE_DIR};PTYDRIVE=$<TARGET_FILE:ptydrive>;REPORT_ARTIFACTS=${CMAKE_BINARY_DIR}/report-artifacts")
endforeach()

# lua_report: ot.report's document formats (tests/report/test_report.lua).
add_test(NAME lua_report
         COMMAND $<TARGET_FILE:ontrack> --db ${CMAKE_CURRENT_BINARY_DIR}/report.db
                 run tests/report/test_report.lua)
set_tests_properties(lua_report PROPERTIES LABELS "lua;report" TIMEOUT 300
                     WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
