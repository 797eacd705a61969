/* job_files.h — the files of a job run (internal to cli/): the hashes of its
 * job file and scripts, its outputs (placeholders, formats, temporary files
 * renamed into place) and the one folder its sandboxed scripts may use.
 * docs/scheduling.md says what they are; cmd_job.c runs them.
 */
#ifndef OT_CLI_JOB_FILES_H
#define OT_CLI_JOB_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "io/xxh64.h"
#include "lua/job.h"
#include "report/report.h"

/* ot_store_feed_fn over an ot_xxh64. */
void job_feed_xxh(void *ud, const void *p, size_t n);
/* path without the job's folder dir in front ("jobs/j.lua" in "jobs" is
 * "j.lua"), else path itself; points into path. */
const char *job_rel_name(const char *dir, const char *path);
/* Adds the name of the file at path relative to the job's folder dir
 * (job_rel_name: the same from any working folder) and its bytes to h.
 * OT_ENOTFOUND when it cannot be read, OT_EIO on a read error. */
int job_hash_file(ot_xxh64 *h, const char *dir, const char *path, ot_err *err);

/* The report format of an output path by its extension; -1 when unsupported. */
int job_out_format_of(const char *path);
/* Expands {job}, {as_of} and {run} in tmpl into buf.  OT_EDATA for another
 * {name} or a path too long. */
int job_expand(const char *tmpl, const char *job, const char *as_of, int64_t run, char *buf,
               size_t cap, ot_err *err);
/* Checks the outputs of a job before anything runs: known formats and
 * placeholders, and (unless trusted) that each lies inside the job's folder:
 * folder (--folder) when not NULL, else the job file's own folder.  OT_EDATA
 * naming the first bad one, OT_EIO when the folder cannot be resolved. */
int job_check_outputs(const ot_job *j, const char *folder, int trusted, ot_err *err);
/* The folder the job's scripts may use for files and require
 * (docs/security.md): folder (--folder) when not NULL, else the job file's
 * own folder (the first output's folder made when missing); "" when neither
 * --folder nor an output is given. */
int job_files_dir(const ot_job *j, const char *folder, char *buf, size_t cap, ot_err *err);
/* fsyncs the folder holding path (so a rename in it is durable). */
void job_sync_parent(const char *path);

/* A written temporary file and where it goes (both owned, free()). */
typedef struct pending_out {
    char *tmp, *final;
} pending_out;

/* Writes doc (format fmt; CSV: its first csv_cols columns, 0 for all) into
 * a new temporary file ".NAME.XXXXXX" beside path (whose folder must exist):
 * mkstemp, write, fflush, fsync, fclose, each checked; the file at path is not
 * touched.  *po receives both paths (new, caller frees).  OT_EIO naming path
 * and the reason, the temporary file then removed.  Job outputs and
 * `report -o` both write through it. */
int out_write_tmp(const char *path, ot_report_format fmt, size_t csv_cols,
                  const ot_report_doc *doc, pending_out *po, ot_err *err);
/* Renames po->tmp over po->final (atomic) and fsyncs the folder.  OT_EIO
 * naming both on failure, the temporary file then removed. */
int out_place(const pending_out *po, ot_err *err);
/* One job output: its folders made, then out_write_tmp with the 20 CSV
 * columns of docs/scheduling.md. */
int job_write_output(const char *path, ot_report_format fmt, const ot_report_doc *doc,
                     pending_out *po, ot_err *err);

#endif
