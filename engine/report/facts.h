/* facts.h — a projection's method and notes in words (Chinese or English).
 *
 * project/ says what it did as facts (project/facts.h: a code and values);
 * this module holds each code's wording in both languages and names the
 * series a fact mentions by their names where the caller knows them (else
 * by key).  Writes into the caller's buffer; nothing allocated.
 */
#ifndef OT_REPORT_FACTS_H
#define OT_REPORT_FACTS_H

#include <stddef.h>

#include "project/facts.h"
#include "report/report.h"

/* The name of key in lang from names[0..n) (name, or name_en in English);
 * key itself when none is known. */
const char *ot_report_name_of(const char *key, ot_report_lang lang, const ot_report_name *names,
                              size_t n);

/* One fact in words into buf (cap bytes), "" for code 0; a fact said of the
 * ref is prefixed by ref's name ("zhejiang.exports: …").  Returns buf. */
char *ot_report_fact(const ot_proj_fact *f, const char *ref, ot_report_lang lang,
                     const ot_report_name *names, size_t n, char *buf, size_t cap);

/* Every fact of fs in words, joined by "; " (English) or "；" (Chinese);
 * truncated at cap.  Returns buf. */
char *ot_report_facts(const ot_proj_facts *fs, const char *ref, ot_report_lang lang,
                      const ot_report_name *names, size_t n, char *buf, size_t cap);

/* As ot_report_facts, for a text that names the target's series already
 * (a footnote "[1] label (name): …"): a fact of series (its key; NULL =
 * none) that would begin with its name does not.  Returns buf. */
char *ot_report_facts_of(const ot_proj_facts *fs, const char *series, const char *ref,
                         ot_report_lang lang, const ot_report_name *names, size_t n, char *buf,
                         size_t cap);

#endif
