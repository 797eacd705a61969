local v = {}
for m = 2, 48 do v[m] = 50 + m + 3 * math.cos(m / 2) end
local s = ot.series{freq = "M", start = "2019-01", values = v}
for _, method in ipairs{"naive", "snaive", "drift", "mean", "tes", "theta", "auto"} do
  local ok, m = pcall(ot.fit, s, method)
  if ok then print(m, m:forecast(6, {levels = {80, 95}}), m:simulate(3,1), m:residuals(), m:fitted()) end
end
