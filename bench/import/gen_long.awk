# gen_long.awk — a long CSV of N rows (awk -v n=1000000 -f gen_long.awk):
# series s0..s(N/240), 240 months each from 2004-01, measure ytd, values with
# one decimal; deterministic.
BEGIN {
    print "series,period,measure,value"
    for (r = 0; r < n; r++) {
        k = int(r / 240); m = r % 240
        printf "s%d,%d-%02d,ytd,%d.%d\n", k, 2004 + int(m / 12), m % 12 + 1, (r * 7919) % 100000, r % 10
    }
}
