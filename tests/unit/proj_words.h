/* proj_words.h — a projection's method and notes in English words
 * (report/facts.c), for tests that check what a projection says.  The
 * result lives in a static buffer, one of four in turn (enough for the
 * operands of one assertion). */
#ifndef OT_TEST_PROJ_WORDS_H
#define OT_TEST_PROJ_WORDS_H

#include "project/projection.h"
#include "report/facts.h"

static char *proj_words_buf(void)
{
    static char bufs[4][4096];
    static int next;
    next = (next + 1) % 4;
    return bufs[next];
}

__attribute__((unused)) static const char *EN_NOTES(const ot_projection *p)
{
    return ot_report_facts(&p->notes, NULL, OT_LANG_EN, NULL, 0, proj_words_buf(), 4096);
}

__attribute__((unused)) static const char *EN_METHOD(const ot_projection *p)
{
    return ot_report_fact(&p->method, NULL, OT_LANG_EN, NULL, 0, proj_words_buf(), 4096);
}

#endif
