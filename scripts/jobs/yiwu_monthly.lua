-- yiwu_monthly.lua — the monthly job for the bundled Yiwu data (docs/scheduling.md).
--
-- Projects every stored 2023 target as of the newest data of those targets and
-- writes the status table as JSON, Markdown, CSV and plain text under
-- scripts/jobs/reports/.  Run it from cron or a systemd timer:
--
--   ontrack --db ontrack.db job run scripts/jobs/yiwu_monthly.lua --quiet
--
-- `db` is left out so that --db (or $ONTRACK_DB, else ./ontrack.db) decides.
return {
  name    = "yiwu-monthly",
  targets = {year = 2023},
  as_of   = "latest",          -- the targets' newest data (at most 2023's); --as-of overrides
  paths   = 10000,
  seed    = 1,
  outputs = {
    "reports/{job}-{as_of}.json",
    "reports/{job}-{as_of}.md",
    "reports/{job}-{as_of}.csv",
    "reports/{job}-{as_of}.txt",
  },
  keep    = 36,                -- three years of monthly runs
}
