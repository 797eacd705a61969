/* run.h — a run: project a set of targets as of a date, save the whole
 * projection, load it back exactly, and build the report document.
 *
 * The one path for `ontrack project`, `job run`, `job show`, `report` and
 * ot.project/ot.report: they select targets and options and print; what a
 * run is — which data it reads (a vintage date and an optional period cut),
 * what it stores (every field of every ot_projection, run/fields.h) and what
 * its report shows (the stored projections, charts read as known then) — is
 * decided here.  An ot_run_set owns its targets; documents borrow the set.
 * Uses project (projection, history), store (view, runs) and report (the
 * document); no Lua.
 */
#ifndef OT_RUN_RUN_H
#define OT_RUN_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/period.h"
#include "core/target.h"
#include "project/projection.h"
#include "report/report.h"
#include "run/compare.h"
#include "store/store.h"

/* The targets of a run with their projections.  Owned: free with
 * ot_run_set_free. */
typedef struct ot_run_set {
    ot_target *t;      /* n targets (each cleared by ot_run_set_free) */
    int64_t *ids;      /* their ids in the store; 0 = not stored */
    ot_projection *p;  /* n projections (ot_projection_init until projected) */
    size_t n;
} ot_run_set;

/* Frees what s owns and zeroes it; accepts NULL. */
void ot_run_set_free(ot_run_set *s);

/* The stored targets of year (0 = every year) whose series matches glob
 * (fnmatch; NULL = all), in the store's order, with projections "nothing
 * projected".  *out new (free with ot_run_set_free); OT_ENOMEM, OT_EIO. */
int ot_run_targets(ot_store *st, int year, const char *glob, ot_run_set *out, ot_err *err);

/* What a run reads: the vintages known at `days` (OT_ASOF_LATEST = all),
 * cut after period `through` when its freq is not OT_FREQ_NONE.  `text` is
 * how files and reports name it: the date, the period, or "latest". */
typedef struct ot_run_asof {
    int32_t days;
    ot_period through;
    char text[OT_PERIOD_STRMAX + 16];
} ot_run_asof;

/* Parses an as-of: a date ("2023-10-31": the vintages known that day) or a
 * period ("2023-09": the newest vintages, cut after it; days is then the
 * newest vintage stored, so the run can be read again the same way).  NULL
 * or "latest" is the newest period with data among the series (and refs)
 * of the targets in s, at most the last period of their last year — so a
 * job on 2023 targets reads through 2023's last data, not a later vintage
 * of some other series — or, when s has none, the newest vintage stored;
 * a January–February release found so keeps its span (text "2023-01/02").
 * OT_EDATA for other text. */
int ot_run_asof_resolve(ot_store *st, const ot_run_set *s, const char *text, ot_run_asof *out,
                        ot_err *err);
/* Parses an as-of text: a period ("2023-09", "2023Q3"), or a date in any
 * form of docs/formats.md ("2023-10-31", "20231031", "2023年10月31日") as a
 * daily period.  The one parser of --as-of and a job's as_of.  OT_EDATA
 * ("'x' is neither a date (2023-10-31) nor a period (2023-09)"). */
int ot_run_asof_parse(const char *text, ot_period *out, ot_err *err);

/* An as-of from its parts (the CLI's --as-of, cli_parse_asof), text made. */
void ot_run_asof_set(ot_run_asof *out, int32_t days, ot_period through);

/* a's text as one point, into buf: a January–February release
 * ("2023-01/02", the as-of of a run on the newest data when that is the
 * 1-2月 figure) as its February ("2023-02"), anything else as a->text.  The
 * {as_of} of file names (never a folder "2023-01/") and a script's
 * ot.as_of(); it reads the same data. */
void ot_run_asof_point(const ot_run_asof *a, char *buf, size_t cap);

/* The as-of of a stored run. */
void ot_run_asof_of(const ot_run_rec *r, ot_run_asof *out);

/* Called after each chunk of ot_run_project: done of n targets projected. */
typedef void (*ot_run_progress_fn)(void *ud, size_t done, size_t n);

/* Projects every target of s as of a into s->p, reading the store through
 * a view (po's as_of_period, shape and alloc are set here; the rest is the
 * caller's).  With chunk > 0 the targets go in chunks of that many and
 * progress (may be NULL) is called after each.  Fails as ot_project_many. */
int ot_run_project(ot_store *st, ot_run_set *s, const ot_run_asof *a, const ot_proj_opts *po,
                   size_t chunk, ot_run_progress_fn progress, void *ud, ot_err *err);

/* Stores every projection of s as part of run run_id, each with every
 * field (status by name).  Call inside the caller's transaction to make the
 * run all-or-nothing.  OT_ENOMEM, OT_EIO, OT_ELOCKED. */
int ot_run_save(ot_store *st, int64_t run_id, const ot_run_asof *a, const ot_run_set *s,
                ot_err *err);

/* Loads the projections of run run_id as saved, with their targets (from
 * the store; a target no longer stored, or never stored, is an unquantified
 * target carrying the saved label).  *out new.  OT_EDATA for a projection
 * that cannot be read. */
int ot_run_load(ot_store *st, int64_t run_id, ot_run_set *out, ot_err *err);

/* A stored run: its record (id 0 = the newest run) and what it projected.
 * *rec new (free with ot_store_runs_free(*rec, 1)), *set new.  OT_ENOTFOUND
 * "no run N" / "no runs stored". */
int ot_run_open(ot_store *st, int64_t id, ot_run_rec **rec, ot_run_set *set, ot_err *err);

/* The ok runs of a job made up to a run, ordered by as-of (the day their
 * data end, then the run number), with what each projected. */
typedef struct ot_run_history {
    ot_run_rec *recs;      /* every run of the job (owned) */
    size_t nrecs;
    const ot_run_rec **run; /* m of them, oldest as-of first */
    ot_run_set *sets;      /* m, what each projected */
    ot_run_asof *asof;     /* m, each one's as-of */
    size_t m;
} ot_run_history;

/* Loads the last `max` ok runs of job made up to run `upto`, by as-of.
 * *out new (free with ot_run_history_free, also after a failure).  Store
 * errors, OT_EDATA, OT_ENOMEM. */
int ot_run_history_load(ot_store *st, const char *job, int64_t upto, size_t max,
                        ot_run_history *out, ot_err *err);
void ot_run_history_free(ot_run_history *h);

/* A report document built from a run set, and what it owns besides. */
typedef struct ot_run_doc {
    ot_report_doc doc;      /* points into this struct and the set */
    ot_report_item *items;
    ot_target *targets;     /* the set's targets as the items show them: shallow copies
                               (pointers into the set), a target without a unit given
                               its series' unit */
    ot_series **hist;       /* chart histories (NULL entries: none) */
    ot_series_meta *refs;   /* the metadata of each item's ref (names), or empty */
    ot_series_meta *metas;  /* the metadata of every series the items and their
                               notes mention (nnames), for names */
    ot_report_name *names;
    size_t nnames;
    char compiled[16];              /* the day the document was built */
    char region[64];                /* the targets' region, from their names */
    ot_run_compares cmp;    /* the run's scenario comparisons (ot_run_doc_compares) */
    size_t n;
    char as_of[OT_PERIOD_STRMAX + 16];
    char source[512];
    char (*vintages)[16];   /* per item: the newest vintage date its data read */
    char known_on[16];      /* the date the data were read as known on */
    char vintage[16];       /* the newest vintage date among all the data read */
} ot_run_doc;

/* Builds the document of s as of a: one item per target, its chart history
 * read from st (may be NULL: no charts, refs named by key) as known at
 * a->days and cut after a->through, so a report of an old run shows what
 * was known then, and its ref series named by their names.  source
 * (may be NULL) is the document's source line.  *d is filled; release with
 * ot_run_doc_free (also after a failure).  OT_ENOMEM, store errors. */
int ot_run_doc_build(ot_run_doc *d, const ot_run_set *s, ot_store *st, const ot_run_asof *a,
                     const char *source, const ot_alloc *alloc, ot_err *err);
void ot_run_doc_free(ot_run_doc *d);
/* The document of the status table in the terminal (ot_report_text): as
 * ot_run_doc_build without charts or source, its indicators named from st
 * (NULL: by key), in lang.  Release with ot_run_doc_free (also after a
 * failure).  OT_ENOMEM, store errors. */
int ot_run_doc_table(ot_run_doc *d, const ot_run_set *s, ot_store *st, const ot_run_asof *a,
                     ot_report_lang lang, ot_err *err);
/* Adds the scenario comparisons stored with run run_id to the document
 * d (built already).  OT_EDATA, OT_ENOMEM, store errors. */
int ot_run_doc_compares(ot_run_doc *d, ot_store *st, int64_t run_id, ot_err *err);

/* The source line of a stored run in lang: "run 12 (yiwu-monthly), STARTED,
 * data HASH12, ontrack VERSION" / "运行 12（yiwu-monthly），STARTED，数据哈希
 * HASH12，ontrack VERSION". */
void ot_run_source(const ot_run_rec *r, ot_report_lang lang, char *buf, size_t cap);

#endif
