/* job.h — reading a job file: a Lua chunk that returns a table.
 *
 * A job file names what a scheduled run projects and writes (DESIGN.md "Job
 * files").  ot_job_load runs it in a fresh state with only the safe standard
 * functions (no io, no os.execute, no require, no load of binary chunks),
 * under a time and memory limit from its first instruction, and
 * converts the returned table into an ot_job with every path made relative
 * to the job file's directory.  The CLI uses this without seeing lua.h.
 */
#ifndef OT_LUA_JOB_H
#define OT_LUA_JOB_H

#include <stddef.h>

#include "core/err.h"

typedef struct ot_job {
    char *path;        /* the job file as given */
    char *dir;         /* its directory */
    char *name;        /* `name`, else the file name without .lua */
    char *db;          /* `db` resolved against dir, or NULL */
    char *as_of;       /* "latest" or a date/period; NULL = latest */
    int year;          /* targets.year (0 = every year) */
    char *series;      /* targets.series: a glob over series keys, or NULL */
    int has_targets;   /* the file has a `targets` table */
    char **scripts;    /* scenario scripts, resolved against dir */
    size_t nscripts;
    char **outputs;    /* output path templates ({job}, {as_of}, {run}), resolved */
    size_t noutputs;
    size_t paths;      /* sample paths (default 10000) */
    unsigned long seed;/* default 1 */
    int keep;          /* runs to keep (0 = all) */
    char *method;      /* model for rich data, or NULL */
    int intervals;     /* OT_PI_MODEL (0, default) or OT_PI_CV: `intervals = "cv"` */
    int exclude_years[2]; /* `exclude_years = "2020-2022"` (or false): the records'
                             exceptional years; default OT_PROJ_EXCLUDE_FROM..TO */
    int shape_years[2];   /* `shape_years`: the shape reference's record years;
                             {0, 0} = all (the default) */
    char *title;       /* the reports' title, or NULL (the default title) */
    int lang_en;       /* `lang = "en"`: English reports (default Chinese) */
} ot_job;

/* Loads the job file at path into *out (new strings; free with ot_job_clear).
 * OT_ENOTFOUND when the file cannot be read; OT_EDATA with "path:line: ..."
 * for a syntax or runtime error, "path: ..." for a non-table result, and for
 * a bad or unknown field err's file, line and column where the field is
 * written (when a lexical look finds it) with a message naming the field and
 * what was expected. */
int ot_job_load(const char *path, ot_job *out, ot_err *err);
/* The same under limits (0 = the defaults below): the job file's chunk stops
 * with "job file stopped: time limit of S s exceeded" or runs out of memory
 * at the cap, then OT_ELIMIT.  ot_job_load uses the defaults. */
#define OT_JOB_TIMEOUT 10.0          /* seconds */
#define OT_JOB_MEMORY ((size_t)64 << 20) /* bytes */
int ot_job_load_limited(const char *path, double timeout, size_t mem, ot_job *out, ot_err *err);
/* Frees what *j owns and zeroes it; accepts NULL. */
void ot_job_clear(ot_job *j);
/* Where field key is written in the job file at path: 1-based line and
 * column (in characters), 0 when a lexical look cannot tell (a table built
 * another way, an unreadable file).  For errors found after loading. */
void ot_job_field_at(const char *path, const char *key, long *line, long *col);

#endif
