/* fuzz_period.c — ot_period_parse, ot_date_parse and ot_freq_parse on
 * arbitrary bytes.
 *
 * Besides memory safety it checks the round trips the headers promise: the
 * canonical text of a parsed period parses back to the same period, and a
 * parsed date formats as YYYY-MM-DD and parses back to the same day.  The
 * period parser gets the bytes with their length and no NUL (a read past
 * the end is an ASan finding); the NUL-terminated parsers get a copy cut at
 * the first NUL.
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/period.h"

static void check_period(const uint8_t *data, size_t size)
{
    ot_period p;
    ot_err err;
    ot_err_clear(&err);
    if (ot_period_parse((const char *)data, size, &p, &err) != OT_OK) {
        CHECK(err.code == OT_EDATA && err.msg[0] != '\0');
        return;
    }
    CHECK(p.freq == OT_FREQ_D || p.freq == OT_FREQ_M || p.freq == OT_FREQ_Q ||
          p.freq == OT_FREQ_Y);
    CHECK(p.span == 1 || (p.span == 2 && p.freq == OT_FREQ_M));

    char text[OT_PERIOD_STRMAX];
    int n = ot_period_format(p, text, sizeof text);
    CHECK(n > 0 && n < OT_PERIOD_STRMAX && (size_t)n == strlen(text));
    ot_period q;
    if (ot_period_parse(text, (size_t)-1, &q, &err) != OT_OK) {
        fprintf(stderr, "fuzz_period: '%s' (canonical text of a parsed period) does not parse: %s\n",
                text, err.msg);
        abort();
    }
    CHECK(q.freq == p.freq && q.ord == p.ord && q.span == p.span);

    /* the calendar of the period is consistent */
    int32_t first = ot_period_first_day(p.freq, p.ord), last = ot_period_last_day(p.freq, p.ord);
    CHECK(first <= last);
    CHECK(ot_period_convert(OT_FREQ_D, first, p.freq) == p.ord);
    CHECK(ot_period_convert(OT_FREQ_D, last, p.freq) == p.ord);
    int year = ot_period_year(p.freq, p.ord);
    CHECK(ot_period_make(p.freq, year, ot_period_sub(p.freq, p.ord)) == p.ord);
}

static void check_date(const char *s)
{
    int32_t days;
    ot_err err;
    ot_err_clear(&err);
    if (ot_date_parse(s, &days, &err) != OT_OK) {
        CHECK(err.code == OT_EDATA && err.msg[0] != '\0');
        return;
    }
    char text[32];
    int n = ot_date_format(days, text, sizeof text);
    CHECK(n > 0 && (size_t)n < sizeof text);
    int32_t again;
    if (ot_date_parse(text, &again, &err) != OT_OK) {
        fprintf(stderr, "fuzz_period: '%s' (formatted date) does not parse: %s\n", text, err.msg);
        abort();
    }
    CHECK(again == days);
    int y, m, d;
    ot_civil_from_days(days, &y, &m, &d);
    CHECK(m >= 1 && m <= 12 && d >= 1 && d <= ot_days_in_month(y, m));
    CHECK(ot_days_from_civil(y, m, d) == days);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_period(data, size);

    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    check_date(s);
    ot_freq f = ot_freq_parse(s);
    CHECK(f == OT_FREQ_NONE || f == OT_FREQ_D || f == OT_FREQ_M || f == OT_FREQ_Q ||
          f == OT_FREQ_Y);
    if (strlen(s) == size) {
        /* the NUL-terminated form of the period parser agrees with the counted one */
        ot_period a, b;
        int ra = ot_period_parse(s, (size_t)-1, &a, NULL);
        int rb = ot_period_parse((const char *)data, size, &b, NULL);
        CHECK(ra == rb);
        CHECK(ra != OT_OK || (a.freq == b.freq && a.ord == b.ord && a.span == b.span));
    }
    free(s);
    return 0;
}
