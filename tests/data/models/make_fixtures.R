# make_fixtures.R — reference values from R's forecast package for test_ets.c
# and test_theta.c.  Run from this directory:
#   Rscript make_fixtures.R /work/shared/datasets/m3
# (R 4.2, forecast 8.20 from Debian's r-cran-forecast).  Writes
#   series.txt   one series a line: name freq n value...
#   ets.txt      name spec loglik aicc sigma2 alpha beta gamma phi | h means | h upper95
#   ets_auto.txt name method aicc
#   theta.txt    name | h means | h upper80
#   arima.txt    name order loglik aicc sigma2 coef... | h means | h upper95
#   arima_auto.txt name aicc model
# The tests read these files; neither R nor the M3 files are needed at test time.
suppressMessages(library(forecast))
args <- commandArgs(TRUE)
m3 <- if (length(args)) args[1] else "/work/shared/datasets/m3"
train <- read.csv(file.path(m3, "train.csv"), stringsAsFactors = FALSE)
info <- read.csv(file.path(m3, "info.csv"), stringsAsFactors = FALSE)
m3series <- function(id) ts(train$value[train$series == id], frequency = info$frequency[info$series == id])
S <- list(
  AirPassengers = AirPassengers, USAccDeaths = USAccDeaths, UKgas = UKgas, nottem = nottem,
  Nile = Nile, WWWusage = WWWusage, lynx = lynx, LakeHuron = LakeHuron - 580,
  N0001 = m3series("N0001"), N0700 = m3series("N0700"), N1402 = m3series("N1402"),
  N1500 = m3series("N1500"), N2000 = m3series("N2000"))
num <- function(x) paste(format(as.numeric(x), digits = 15), collapse = " ")
unlink(c("series.txt", "ets.txt", "ets_auto.txt", "theta.txt", "arima.txt", "arima_auto.txt"))
for (name in names(S)) {
  y <- S[[name]]; m <- frequency(y); h <- if (m > 1) 2 * m else 10
  cat(name, m, length(y), num(y), "\n", file = "series.txt", append = TRUE)
  pos <- min(y) > 0
  specs <- if (m > 1) c("ANA", "AAA", "AAdA", if (pos) c("MNA", "MAdA", "MNM", "MAM")) else
    c("ANN", "AAN", "AAdN", if (pos) c("MNN", "MAN", "MAdN"))
  for (spec in specs) {
    damped <- nchar(spec) == 4
    fit <- ets(y, model = sub("d", "", spec), damped = damped)
    fc <- forecast(fit, h = h, level = 95)
    p <- fit$par
    g <- function(k) if (is.na(p[k])) "NA" else format(p[k], digits = 15)
    cat(name, spec, format(fit$loglik, digits = 15), format(fit$aicc, digits = 15),
        format(fit$sigma2, digits = 15), g("alpha"), g("beta"), g("gamma"), g("phi"),
        "|", num(fc$mean), "|", num(fc$upper[, 1]), "\n", file = "ets.txt", append = TRUE)
  }
  fit <- ets(y)
  cat(name, fit$method, format(fit$aicc, digits = 15), "\n", file = "ets_auto.txt", append = TRUE)
  orders <- if (m > 1) list(c(0, 1, 1, 0, 1, 1), c(1, 0, 0, 0, 1, 1), c(2, 1, 0, 1, 1, 0)) else
    list(c(1, 0, 1, 0, 0, 0), c(0, 1, 1, 0, 0, 0), c(2, 1, 0, 0, 0, 0))
  for (o in orders) {
    fit <- try(Arima(y, order = o[1:3], seasonal = o[4:6]), silent = TRUE)
    if (inherits(fit, "try-error")) next
    fc <- forecast(fit, h = h, level = 95)
    spec <- if (m > 1) sprintf("(%d,%d,%d)(%d,%d,%d)", o[1], o[2], o[3], o[4], o[5], o[6]) else
      sprintf("(%d,%d,%d)", o[1], o[2], o[3])
    cat(name, spec, format(fit$loglik, digits = 15), format(fit$aicc, digits = 15),
        format(fit$sigma2, digits = 15), num(coef(fit)), "|", num(fc$mean), "|",
        num(fc$upper[, 1]), "\n", file = "arima.txt", append = TRUE)
  }
  a <- auto.arima(y)
  cat(name, format(a$aicc, digits = 15), as.character(a), "\n", file = "arima_auto.txt", append = TRUE)
  th <- thetaf(y, h = h, level = 80)
  cat(name, "|", num(th$mean), "|", num(th$upper[, 1]), "\n", file = "theta.txt", append = TRUE)
}

# stl.txt: stats::stl components for test_stl.c, one case a line:
#   name period s.window s.degree inner outer | seasonal | trend | strength
# where strength is forecast's seasonal strength of that decomposition,
# max(0, min(1, 1 - var(R) / var(R + S))) (forecast:::seas.heuristic; for a
# plain ts, mstl(y) is stl(y, s.window = 11)).  To rewrite stl.txt alone:
#   Rscript -e 'L <- readLines("make_fixtures.R"); e <- grep("^unlink..stl", L);
#     eval(parse(text = c(L[12:23], L[e:length(L)])))'
unlink("stl.txt")
stl_cases <- list(
  list("AirPassengers", 11, 0, 2, 0), list("nottem", 7, 0, 2, 0),
  list("UKgas", 11, 0, 2, 0), list("USAccDeaths", 11, 1, 2, 0),
  list("USAccDeaths", 13, 0, 1, 2), list("N2000", 11, 0, 2, 0))
for (cs in stl_cases) {
  y <- S[[cs[[1]]]]
  f <- stl(y, s.window = cs[[2]], s.degree = cs[[3]], inner = cs[[4]], outer = cs[[5]],
           robust = cs[[5]] > 0)$time.series
  r <- f[, "remainder"]; s <- f[, "seasonal"]
  cat(cs[[1]], frequency(y), cs[[2]], cs[[3]], cs[[4]], cs[[5]], "|", num(s), "|",
      num(f[, "trend"]), "|", format(max(0, min(1, 1 - var(r) / var(r + s))), digits = 15),
      "\n", file = "stl.txt", append = TRUE)
}
