# r_bench.R — R's forecast package on the M3 data: the reference side of bench/m3.
# Usage: Rscript r_bench.R DATADIR GROUP METHODS OUTPREFIX
#   GROUP: monthly | quarterly | yearly; METHODS: comma list of ets,arima,theta
# Writes OUTPREFIX-summary.csv (method, series, sMAPE, MASE, cov80, cov95, seconds)
# and OUTPREFIX-models.csv (series, method, model, aicc, mean forecasts).
suppressMessages(library(forecast))
args <- commandArgs(TRUE)
dir <- args[1]; group <- args[2]; methods <- strsplit(args[3], ",")[[1]]; out <- args[4]
info <- read.csv(file.path(dir, "info.csv"), stringsAsFactors = FALSE)
train <- read.csv(file.path(dir, "train.csv"), stringsAsFactors = FALSE)
test <- read.csv(file.path(dir, "test.csv"), stringsAsFactors = FALSE)
sel <- switch(group,
  monthly = info$frequency == 12, quarterly = info$frequency == 4,
  yearly = info$frequency == 1 & info$h == 6, other = info$frequency == 1 & info$h == 8)
if (length(args) >= 5) sel <- sel & seq_len(nrow(info)) %% as.integer(args[5]) == 0
info <- info[sel, ]
tr <- split(train$value, train$series); te <- split(test$value, test$series)
fit1 <- function(method, y, h) switch(method,
  ets = { f <- ets(y); list(fc = forecast(f, h = h, level = c(80, 95)), model = f$method, aicc = f$aicc) },
  arima = { f <- auto.arima(y); list(fc = forecast(f, h = h, level = c(80, 95)),
                                     model = as.character(f), aicc = f$aicc) },
  theta = list(fc = thetaf(y, h = h, level = c(80, 95)), model = "theta", aicc = NA))
rows <- list(); mrows <- list()
for (method in methods) {
  t0 <- proc.time()[["elapsed"]]
  for (i in seq_len(nrow(info))) {
    id <- info$series[i]; m <- info$frequency[i]; h <- info$h[i]
    y <- ts(tr[[id]], frequency = m); yt <- te[[id]]
    r <- fit1(method, y, h)
    f <- as.numeric(r$fc$mean)
    scale <- mean(abs(diff(as.numeric(y), lag = m)))
    rows[[length(rows) + 1]] <- data.frame(method = method, series = id,
      smape = mean(200 * abs(yt - f) / (abs(yt) + abs(f))),
      mase = mean(abs(yt - f)) / scale,
      cov80 = mean(yt >= r$fc$lower[, 1] & yt <= r$fc$upper[, 1]),
      cov95 = mean(yt >= r$fc$lower[, 2] & yt <= r$fc$upper[, 2]))
    mrows[[length(mrows) + 1]] <- data.frame(series = id, method = method, model = r$model,
      aicc = r$aicc, mean = paste(format(f, digits = 10), collapse = " "))
  }
  cat(sprintf("%s %s: %.1f s\n", group, method, proc.time()[["elapsed"]] - t0))
  write(sprintf("%s,%s,%.3f", group, method, proc.time()[["elapsed"]] - t0),
        file = paste0(out, "-times.csv"), append = TRUE)
}
write.csv(do.call(rbind, rows), paste0(out, "-summary.csv"), row.names = FALSE)
write.csv(do.call(rbind, mrows), paste0(out, "-models.csv"), row.names = FALSE)
