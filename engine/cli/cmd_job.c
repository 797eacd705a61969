/* cmd_job.c — `ontrack job run|history|show|backfill`: scheduled forecast jobs.
 *
 * A run takes the job's lock (an OFD lock on one byte of the database file,
 * job_lock.h: every name of the file takes the same one; a second run exits
 * 75, --wait waits; the descriptor is closed only after the store, by
 * job_store_close), marks the runs a dead process left "running" as failed,
 * records itself, projects the job's targets, runs its scripts in the
 * sandboxed host, writes each output to a temporary file in the output's
 * folder, then stores the projections together with the status "ok" in one
 * transaction and renames the outputs into place.  A run killed at any point
 * leaves either nothing or everything; files carry no times, so the same job
 * on the same data and as-of gives byte-identical files.  docs/scheduling.md.
 */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lua/host.h"
#include "cli/job_files.h"
#include "cli/job_lock.h"
#include "cli/job_stop.h"
#include "lua/job.h"
#include "project/kinds.h"
#include "project/projection.h"
#include "report/csv.h"
#include "report/report.h"
#include "report/runinfo.h"
#include "report/status.h"
#include "report/table.h"
#include "run/run.h"
#include "store/jobs.h"

/* In cmd_run.c. */
static const char help[] =
    "usage: ontrack job run JOBFILE [--as-of DATE|PERIOD|latest] [--wait] [--quiet]\n"
    "                       [--fail-on off-track] [--timeout S] [--memory MB]\n"
    "                       [--trusted] [--commit-partial] [--folder DIR]\n"
    "       ontrack job history [JOB] [--limit N] [--lang en|zh]\n"
    "       ontrack job show RUN|latest [--lang en|zh]\n"
    "       ontrack job backfill JOBFILE --from MONTH --to MONTH [run options]\n\n"
    "run: projects the job's targets, runs its scripts (sandboxed unless --trusted;\n"
    "--timeout and --memory limit each script) and writes its outputs (.json, .txt,\n"
    ".md, .csv, .html); the run and its projections are stored.  A run is all or\n"
    "nothing: its scripts' writes and its results are kept only when the whole run\n"
    "succeeds (--commit-partial keeps each script's writes at once).  --folder DIR\n"
    "is the one folder its scripts may use and its outputs must lie in (default: the\n"
    "job file's own folder).  Logs one line per\n"
    "event on standard error; --quiet prints nothing on success.  A run of a job\n"
    "already running exits 75 (--wait waits for it).  --fail-on off-track exits 3\n"
    "when a target is off track or missed, naming them in a warning (--quiet too).\n"
    "history: the runs (of JOB) with status, as-of and timing, newest first; a run\n"
    "whose process is gone shows as interrupted; --lang zh: headings and statuses\n"
    "in Chinese (default en).\n"
    "show: a run's projections (RUN is a number or 'latest'), and how each target\n"
    "moved over the job's runs, ordered by as-of; --lang zh prints it in Chinese, as\n"
    "'ontrack report RUN --format txt' does (default en, as 'ontrack project').\n"
    "backfill: runs the job as of the last day of each month from --from to --to,\n"
    "with the data vintages known then.\n"
    "Exit codes: 0 ran, 1 script error, 2 usage, 3 off track (--fail-on),\n"
    "65 bad data or job file, 66 missing input, 74 I/O error, 75 locked,\n"
    "130/143 stopped by SIGINT/SIGTERM (the run rolled back, marked failed).\n"
    "Job files and scheduling: docs/scheduling.md.\n";

/* ---- one job's context and its log ------------------------------------- */

typedef struct jobctx {
    ot_job job;
    const char *db_path;
    const char *as_of_arg; /* --as-of, else NULL */
    const char *folder;    /* --folder: the sandbox's bounds, else NULL (the job file's folder) */
    int quiet, wait, trusted, fail_on, commit_partial;
    double timeout;
    size_t mem;
    int64_t run;           /* the run being made, 0 before it is recorded */
} jobctx;

static void now_utc(char *buf, size_t cap)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* One event on stderr: "TIME LEVEL JOB [run=N] message".  --quiet keeps
 * only warnings and errors.  A multi-line message (a traceback) continues on
 * lines indented by two spaces. */
static void jlog(const jobctx *c, const char *level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void jlog(const jobctx *c, const char *level, const char *fmt, ...)
{
    if (c->quiet && strcmp(level, "info") == 0)
        return;
    char ts[32], small[OT_ERR_MSG_MAX + 256], *msg = small;
    now_utc(ts, sizeof ts);
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof small && (msg = malloc((size_t)n + 1))) /* a long error, whole */
        vsnprintf(msg, (size_t)n + 1, fmt, ap2);
    else if (!msg)
        msg = small; /* out of memory: the message cut */
    va_end(ap2);
    fprintf(stderr, "%s %s ", ts, level);
    cli_eputs(c->job.name);
    if (c->run)
        fprintf(stderr, " run=%lld", (long long)c->run);
    fputc(' ', stderr);
    for (const char *p = msg; *p; p++) {
        cli_eputc((unsigned char)*p);
        if (*p == '\n' && p[1])
            fputs("  ", stderr);
    }
    if (!*msg || msg[strlen(msg) - 1] != '\n')
        fputc('\n', stderr);
    if (msg != small)
        free(msg);
}

/* ---- the lock ---------------------------------------------------------- */

/* Appends s to the glob pattern at buf[*n], its glob characters escaped. */
static void glob_lit(char *buf, size_t cap, size_t *n, const char *s)
{
    for (; *s && *n + 3 < cap; s++) {
        if (strchr("*?[]\\", *s))
            buf[(*n)++] = '\\';
        buf[(*n)++] = *s;
    }
    buf[*n] = '\0';
}

/* Removes the temporary files a killed run of this job left beside its
 * outputs (".NAME.XXXXXX" of write_output), called with the job's lock held,
 * so no live run owns them: only regular files matching an output's own
 * pattern ({job} the name, {as_of} and {run} any text) and older than the
 * lock.  Best effort: a file that cannot be removed stays. */
static void clean_stale(jobctx *c)
{
    time_t locked = time(NULL);
    for (size_t i = 0; i < c->job.noutputs; i++) {
        const char *tmpl = c->job.outputs[i];
        const char *base = strrchr(tmpl, '/');
        base = base ? base + 1 : tmpl;
        char pat[4096];
        size_t n = 0;
        pat[0] = '\0';
        for (const char *p = tmpl; *p && n + 16 < sizeof pat;) {
            if (p == base) {
                pat[n++] = '.';
                pat[n] = '\0';
            }
            if (strncmp(p, "{job}", 5) == 0) {
                glob_lit(pat, sizeof pat, &n, c->job.name);
                p += 5;
            } else if (strncmp(p, "{as_of}", 7) == 0 || strncmp(p, "{run}", 5) == 0) {
                p += p[1] == 'a' ? 7 : 5;
                pat[n++] = '*';
                pat[n] = '\0';
            } else {
                char one[2] = {*p++, '\0'};
                glob_lit(pat, sizeof pat, &n, one);
            }
        }
        if (n + 8 >= sizeof pat)
            continue;
        strcat(pat, ".??????");
        glob_t g;
        if (glob(pat, GLOB_NOSORT, NULL, &g) != 0)
            continue;
        for (size_t k = 0; k < g.gl_pathc; k++) {
            struct stat sb;
            if (lstat(g.gl_pathv[k], &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_mtime > locked)
                continue;
            if (unlink(g.gl_pathv[k]) == 0)
                jlog(c, "warn", "removed %s, left by a run that did not finish", g.gl_pathv[k]);
        }
        globfree(&g);
    }
}

/* Takes the job's lock (job_lock.h) on fd, a descriptor of the database
 * file job_lock_open gave, and removes what killed runs left.  OT_OK, or
 * OT_ELOCKED naming the running run, OT_EIO.  fd stays open either way: only
 * job_store_close closes it, after the store. */
static int take_lock(jobctx *c, ot_store *st, int fd, ot_err *err)
{
    int rc = job_lock_try(fd, c->job.name);
    if (rc == OT_OK) {
        clean_stale(c);
        return OT_OK;
    }
    if (rc != OT_ELOCKED)
        return ot_err_set(err, OT_EIO, "%s: cannot lock job '%s': %s", c->db_path, c->job.name,
                          strerror(errno));
    /* Someone runs the job: name the run when it is recorded already (a run
     * through another name of the file may not show yet). */
    ot_run_rec *r = NULL;
    size_t n = 0;
    ot_err e2;
    char who[4400];
    if (ot_store_runs(st, c->job.name, 0, 1, &r, &n, &e2) == OT_OK && n == 1 &&
        strcmp(r[0].status, "running") == 0)
        snprintf(who, sizeof who, "run %lld, started %s", (long long)r[0].id, r[0].started);
    else
        snprintf(who, sizeof who, "its lock in %s is held", c->db_path);
    ot_store_runs_free(r, n);
    if (!c->wait)
        return ot_err_set(err, OT_ELOCKED, "job '%s' is running (%s); try again later or use --wait",
                          c->job.name, who);
    jlog(c, "info", "waiting for the running job (%s)", who);
    if ((rc = job_lock_wait(fd, c->job.name, job_stop_flag())) == OT_ELIMIT)
        return ot_err_set(err, OT_ELIMIT, "stopped by %s while waiting for the running job",
                          job_stop_name());
    if (rc != OT_OK)
        return ot_err_set(err, OT_EIO, "%s: cannot lock job '%s': %s", c->db_path, c->job.name,
                          strerror(errno));
    clean_stale(c);
    return OT_OK;
}

/* Closes the store, THEN the job lock's descriptor of the database file:
 * closing any descriptor of the file drops every POSIX lock this process
 * holds on it, SQLite's included (job_lock.h), so the one order that is
 * safe lives here, and every command that opened lockfd ends through it. */
static void job_store_close(ot_store *st, int lockfd)
{
    ot_store_close(st);
    if (lockfd >= 0)
        close(lockfd);
}

/* ---- one run ----------------------------------------------------------- */

/* Draws the progress bar on a terminal. */
static void progress(size_t done, size_t n)
{
    int w = 30, k = n ? (int)(w * done / n) : w;
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu targets", k, "##############################", w - k, "",
            done, n);
    if (done == n)
        fputc('\n', stderr);
    fflush(stderr);
}

#define PROGRESS_MIN 200 /* targets from which a terminal gets a progress bar */
#define CHUNK 64         /* targets projected between progress updates */

/* ot_run_progress_fn of the bar. */
static void progress_cb(void *ud, size_t done, size_t n)
{
    (void)ud;
    progress(done, n);
}

/* The alert of --fail-on off-track, a warning so that --quiet keeps it: cron
 * mails what a job prints, not its exit status, so a quiet run exiting 3 in
 * silence would alert no one.  Names each target off track or missed. */
static void warn_off_track(const jobctx *c, const ot_run_set *set, size_t n)
{
    char buf[2048];
    size_t k = 0, named = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < set->n; i++) {
        ot_proj_status s = set->p[i].status;
        if (s != OT_STATUS_OFF_TRACK && s != OT_STATUS_MISSED)
            continue;
        const char *name = set->t[i].label ? set->t[i].label
                           : set->t[i].series ? set->t[i].series : "?";
        int w = snprintf(buf + k, sizeof buf - k, "%s%s (%s)", k ? "; " : "", name,
                         ot_status_label(s, 0));
        if (w < 0 || (size_t)w >= sizeof buf - k) { /* whole names only */
            buf[k] = '\0';
            break;
        }
        k += (size_t)w;
        named++;
    }
    jlog(c, "warn", "%zu target%s off track or missed (--fail-on off-track: exit 3): %s%s", n,
         n == 1 ? "" : "s", buf, named < n ? "; …" : "");
}

/* Runs the job once as of as_of (NULL: the job's as_of).  Returns an exit
 * code; *off_track receives how many targets are off track or missed. */
static int run_once(jobctx *c, ot_store *st, const char *as_of, size_t *off_track)
{
    ot_err err;
    ot_err_clear(&err);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ot_run_set set = {0};
    ot_run_doc doc = {0};
    ot_run_asof a;
    int64_t *stale = NULL;
    size_t nstale = 0, nout = 0;
    char *whole = NULL; /* a script's error whole, when err.msg holds it cut */
    pending_out *outs = NULL;
    int in_tx = 0, held = 0;
    c->run = 0;
    *off_track = 0;

    /* a stop signal before the run is recorded: nothing to record */
    int rc = job_stop_check(&err);
    if (rc)
        goto done;
    /* The targets first: "latest" is the newest period with their data. */
    rc = c->job.has_targets ? ot_run_targets(st, c->job.year, c->job.series, &set, &err) : OT_OK;
    size_t nall = 1;
    if (rc == OT_OK && set.n == 0 && c->job.has_targets) {
        ot_run_set all = {0};
        rc = ot_run_targets(st, 0, NULL, &all, &err);
        nall = all.n;
        ot_run_set_free(&all);
    }
    if (rc == OT_OK && nall == 0 && c->job.nscripts)
        jlog(c, "warn", "the database %s holds no targets: the scripts run, nothing is projected",
             ot_store_path(st));
    if (rc == OT_OK && nall == 0 && !c->job.nscripts) {
        /* no target at all: most often the wrong database (a mistyped `db`
         * or --db is created empty), never a run that does nothing; a job
         * with scripts still runs them (they may fill the database) */
        rc = ot_err_set(&err, OT_ENOTFOUND,
                        "%s: the database %s holds no targets (a wrong `db` or --db? import "
                        "them with ontrack import --format targets)",
                        c->job.path, ot_store_path(st));
    } else if (rc == OT_OK && set.n == 0 && nall > 0 && (c->job.year || c->job.series)) {
        /* a filter matching nothing is a mistake (a year or a pattern mistyped),
         * not a run that finishes "ok" having projected nothing; as `project`.
         * In a database without any target the job's scripts run (the warning
         * above): they may be what fills it */
        char yb[32] = "";
        if (c->job.year)
            snprintf(yb, sizeof yb, "year = %d", c->job.year);
        rc = ot_err_set(&err, OT_ENOTFOUND,
                        "%s: no stored target matches its targets {%s%s%s%s%s} (ontrack targets "
                        "lists them)",
                        c->job.path, yb, c->job.year && c->job.series ? ", " : "",
                        c->job.series ? "series = \"" : "", c->job.series ? c->job.series : "",
                        c->job.series ? "\"" : "");
    }
    if (rc == OT_OK && (rc = ot_run_asof_resolve(st, &set, as_of ? as_of : c->job.as_of, &a,
                                                 &err)) == OT_EDATA && !as_of) {
        char msg[sizeof err.msg]; /* the job file's as_of: say which file */
        snprintf(msg, sizeof msg, "%s", err.msg);
        ot_err_set(&err, rc, "%s: %s", c->job.path, msg);
    }
    if (rc)
        goto done;
    const char *asked = as_of ? as_of : c->job.as_of ? c->job.as_of : "latest";
    if (strcmp(asked, "latest") == 0)
        jlog(c, "info", "as of latest: %s, %s", a.text,
             a.through.freq != OT_FREQ_NONE ? "the newest period with data among the job's "
                                              "targets' series"
                                            : "the newest data stored");

    /* What the run reads: its files and its data. */
    ot_xxh64 hs, hd;
    ot_xxh64_init(&hs, 0);
    if ((rc = job_hash_file(&hs, c->job.dir, c->job.path, &err)))
        goto done;
    for (size_t i = 0; i < c->job.nscripts; i++)
        if ((rc = job_hash_file(&hs, c->job.dir, c->job.scripts[i], &err)))
            goto done;
    ot_xxh64_init(&hd, 0);
    if ((rc = ot_store_data_feed(st, a.days, job_feed_xxh, &hd, &err)))
        goto done;
    char scripts_hash[17], data_hash[17];
    snprintf(scripts_hash, sizeof scripts_hash, "%016llx", (unsigned long long)ot_xxh64_digest(&hs));
    snprintf(data_hash, sizeof data_hash, "%016llx", (unsigned long long)ot_xxh64_digest(&hd));

    if ((rc = ot_store_runs_fail_stale(st, c->job.name, &stale, &nstale, &err)))
        goto done;
    for (size_t i = 0; i < nstale; i++)
        jlog(c, "warn", "run %lld did not finish (its process died): marked failed",
             (long long)stale[i]);

    ot_run r = {c->job.name, a.days, ONTRACK_VERSION_STRING, scripts_hash, data_hash,
                a.through.freq != OT_FREQ_NONE ? a.text : NULL};
    if ((rc = ot_store_run_begin(st, &r, &c->run, &err)))
        goto done;
    jlog(c, "info", "started as of %s (data %s, scripts %s)", a.text, data_hash, scripts_hash);
    /* From here to the end the run is one transaction on st: the scripts
     * write through st (their ot.db()), the results join them, and nothing is
     * committed unless the whole run succeeds (docs/reliability.md).  The
     * record "running" above is committed already, so a killed run is found. */
    if (!c->commit_partial) {
        ot_store_hold(st);
        held = 1;
    }

    if (c->job.has_targets) {
        ot_proj_opts po;
        ot_proj_opts_init(&po);
        po.paths = c->job.paths;
        po.seed = c->job.seed;
        po.method = c->job.method;
        po.intervals = c->job.intervals;
        memcpy(po.exclude_years, c->job.exclude_years, sizeof po.exclude_years);
        memcpy(po.shape_years, c->job.shape_years, sizeof po.shape_years);
        int bar = !c->quiet && set.n >= PROGRESS_MIN && isatty(STDERR_FILENO);
        if (bar)
            progress(0, set.n);
        if ((rc = job_stop_check(&err)) ||
            (rc = ot_run_project(st, &set, &a, &po, bar ? CHUNK : 0, bar ? progress_cb : NULL,
                                 NULL, &err)) || (rc = job_stop_check(&err)))
            goto fail;
        for (size_t i = 0; i < set.n; i++)
            *off_track += set.p[i].status == OT_STATUS_OFF_TRACK ||
                          set.p[i].status == OT_STATUS_MISSED;
        jlog(c, "info", "projected %zu target%s (%zu off track or missed)", set.n,
             set.n == 1 ? "" : "s", *off_track);
    }

    char files[4096];
    if (c->job.nscripts && (rc = job_files_dir(&c->job, c->folder, files, sizeof files, &err)))
        goto fail;
    /* {as_of} and the scripts' ot.as_of(): one point (2023-02 for a run on
     * the 2023-01/02 release), a file name and a period every reader parses */
    char point[sizeof a.text];
    ot_run_asof_point(&a, point, sizeof point);
    /* the scripts' ot.compare saves its comparisons with this run */
    char runid[24];
    snprintf(runid, sizeof runid, "%lld", (long long)c->run);
    if (c->job.nscripts)
        setenv(OT_RUN_ENV, runid, 1);
    for (size_t i = 0; i < c->job.nscripts; i++) {
        ot_host_opts ho = {c->db_path, a.days == OT_ASOF_LATEST && a.through.freq == OT_FREQ_NONE
                                           ? NULL : point,
                           c->timeout, c->mem, !c->trusted, files[0] ? files : NULL,
                           c->commit_partial, st};
        ot_host *h;
        if ((rc = job_stop_check(&err)) || (rc = ot_host_new(&ho, &h, &err)))
            goto fail;
        job_stop_host(h);
        cli_watchdog(c->timeout);
        rc = ot_host_run_file(h, c->job.scripts[i], 0, NULL, &err);
        cli_watchdog(0);
        job_stop_host(NULL);
        if (job_stop_check(&err)) { /* why the script ended, not "interrupted!" */
            rc = OT_ELIMIT;
            ot_host_free(h);
            goto fail;
        }
        if (rc && ot_host_error_text(h))
            whole = strdup(ot_host_error_text(h));
        ot_host_free(h);
        if (rc)
            goto fail;
        jlog(c, "info", "ran %s", c->job.scripts[i]);
    }
    unsetenv(OT_RUN_ENV);

    /* The outputs: one document (charts read as the run read its data); the
     * source line names the job only and no 编制日期 (the day of rendering)
     * is written, so the same data give the same bytes on any day: no file
     * holds a time (docs/scheduling.md, "Idempotence"). */
    if (c->job.noutputs) {
        if ((rc = ot_run_doc_build(&doc, &set, st, &a, c->job.name, NULL, &err)) ||
            (rc = ot_run_doc_compares(&doc, st, c->run, &err)))
            goto fail;
        doc.doc.compiled = NULL;
        doc.doc.title = c->job.title;
        doc.doc.lang = c->job.lang_en ? OT_LANG_EN : OT_LANG_ZH;
        if (!(outs = calloc(c->job.noutputs, sizeof *outs))) {
            rc = ot_err_set(&err, OT_ENOMEM, "out of memory");
            goto fail;
        }
    }
    for (; nout < c->job.noutputs; nout++) {
        char path[4096];
        if ((rc = job_expand(c->job.outputs[nout], c->job.name, point, c->run, path, sizeof path,
                         &err)))
            goto fail;
        if ((rc = job_write_output(path, (ot_report_format)job_out_format_of(path), &doc.doc, &outs[nout],
                               &err)))
            goto fail;
    }

    /* The projections and the status "ok" in one transaction: the last
     * moment a stop signal rolls the run back */
    if ((rc = job_stop_check(&err)) || (rc = ot_store_begin(st, &err)))
        goto fail;
    in_tx = 1;
    if ((rc = ot_run_save(st, c->run, &a, &set, &err)))
        goto fail;
    if ((rc = ot_store_run_finish(st, c->run, "ok", &err)))
        goto fail;
    /* the reports' title and language, so `report RUN` renders this page */
    if ((c->job.title || c->job.lang_en) &&
        (rc = ot_store_run_set_look(st, c->run, c->job.title, c->job.lang_en ? "en" : NULL, &err)))
        goto fail;
    size_t pruned = 0;
    if (c->job.keep > 0 &&
        (rc = ot_store_runs_prune(st, c->job.name, (size_t)c->job.keep, &pruned, &err)))
        goto fail;
    in_tx = 0;
    if ((rc = ot_store_commit(st, &err)))
        goto fail;
    if (held) { /* the scripts' writes and the results, together */
        held = 0;
        rc = ot_store_settle(st, 1, &err);
        ot_store_unhold(st);
        if (rc)
            goto fail;
    }
    if (pruned)
        jlog(c, "info", "pruned %zu old run%s (keep = %d)", pruned, pruned == 1 ? "" : "s",
             c->job.keep);

    /* The outputs into place: a rename is atomic, the folder's fsync makes it last. */
    for (size_t i = 0; i < nout; i++) {
        ot_err e2;
        if (out_place(&outs[i], &e2) != OT_OK) {
            jlog(c, "error", "%s", e2.msg);
            rc = OT_EIO;
            ot_err_set(&err, OT_EIO, "run %lld is stored, but %s is not in place",
                       (long long)c->run, outs[i].final);
            continue;
        }
        jlog(c, "info", "wrote %s", outs[i].final);
    }
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc == OT_OK)
        jlog(c, "info", "finished ok in %.1f s",
             (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec));
    if (rc == OT_OK && c->fail_on && *off_track)
        warn_off_track(c, &set, *off_track);
    goto done;

fail:
    unsetenv(OT_RUN_ENV);
    if (job_stop_signal() && rc) { /* the engine's "interrupted!": say what asked it */
        free(whole);
        whole = NULL;
        rc = job_stop_check(&err);
    }
    if (in_tx)
        ot_store_rollback(st);
    if (held) /* everything the run wrote since it was recorded goes */
        ot_store_unhold(st);
    if (c->run) { /* then the failure and why, in a transaction of its own */
        ot_err e2;
        char why[OT_ERR_MSG_MAX + OT_ERR_FILE_MAX + 64];
        ot_err_format(&err, why, sizeof why);
        if (ot_store_run_fail(st, c->run, rc ? (whole ? whole : why) : NULL, &e2) != OT_OK)
            jlog(c, "warn", "cannot mark the run failed: %s", e2.msg);
    }
done:
    if (rc) {
        char buf[OT_ERR_MSG_MAX + OT_ERR_FILE_MAX + 64];
        ot_err_format(&err, buf, sizeof buf);
        jlog(c, "error", "%s", whole ? whole : buf);
    }
    free(whole);
    for (size_t i = 0; i < nout; i++) {
        if (rc && outs[i].tmp)
            unlink(outs[i].tmp);
        free(outs[i].tmp);
        free(outs[i].final);
    }
    free(outs);
    ot_run_doc_free(&doc);
    ot_run_set_free(&set);
    free(stale);
    return rc ? ot_err_exit_code(rc) : 0;
}

/* ---- job run / backfill -------------------------------------------------- */

/* Loads the job file, opens the store, takes the lock.  Returns 0 or an
 * exit code (the error printed). */
static int job_open(jobctx *c, cli_global *g, const char *file, ot_store **st, int *lockfd)
{
    ot_err err;
    ot_err_clear(&err);
    if (ot_job_load_limited(file, c->timeout, c->mem, &c->job, &err) != OT_OK)
        return cli_fail(&err);
    struct stat fs;
    if (c->folder) { /* the bounds the command line sets must be a folder */
        int e = stat(c->folder, &fs) != 0 ? errno : S_ISDIR(fs.st_mode) ? 0 : ENOTDIR;
        if (e) {
            ot_err_set(&err, OT_ENOTFOUND, "--folder: '%s': %s", c->folder, strerror(e));
            return cli_fail(&err);
        }
    }
    if (job_check_outputs(&c->job, c->folder, c->trusted, &err) != OT_OK)
        return cli_fail(&err);
    /* its scripts are there, before a database is opened (or made): a
     * missing one is an error of the job file, where it names them */
    for (size_t i = 0; i < c->job.nscripts; i++) {
        const char *sp = c->job.scripts[i];
        int e = stat(sp, &fs) != 0 ? errno : S_ISDIR(fs.st_mode) ? EISDIR : 0;
        if (e) {
            long line, col;
            ot_job_field_at(c->job.path, "scripts", &line, &col);
            ot_err_setloc(&err, e == ENOENT || e == ENOTDIR ? OT_ENOTFOUND
                                : e == EISDIR                 ? OT_EDATA
                                                              : OT_EIO,
                          c->job.path, line, col, "script '%s': %s", sp, strerror(e));
            return cli_fail(&err);
        }
    }
    /* --db, then the job's db, then $ONTRACK_DB / ./ontrack.db */
    c->db_path = g->db_path ? g->db_path : c->job.db ? c->job.db : cli_db_path(g);
    if (ot_store_open(c->db_path, OT_STORE_CREATE, st, &err) != OT_OK)
        return cli_fail(&err);
    /* *lockfd is the caller's to close, through job_store_close, even when
     * the lock is not taken */
    if (job_lock_open(ot_store_path(*st), 1, lockfd, &err) != OT_OK) {
        jlog(c, "error", "%s", err.msg);
        return ot_err_exit_code(err.code);
    }
    /* the lock holds across hard links, SQLite does not: its journal is
     * named after the name it opened (https://www.sqlite.org/howtocorrupt.html) */
    struct stat ds;
    if (*lockfd >= 0 && fstat(*lockfd, &ds) == 0 && ds.st_nlink > 1)
        jlog(c, "warn", "%s has %ju names (hard links): SQLite keeps its journal beside the name it "
             "opens, so use one name only (docs/reliability.md)", c->db_path, (uintmax_t)ds.st_nlink);
    if (take_lock(c, *st, *lockfd, &err) != OT_OK) {
        jlog(c, "error", "%s", err.msg);
        return ot_err_exit_code(err.code);
    }
    return 0;
}

static const char *const fail_on_values[] = {"off-track", NULL};

/* The options run and backfill share. */
#define RUN_OPTS                                                                          \
    {"as-of", 1, &as_of, NULL}, {"wait", 0, NULL, &c.wait}, {"quiet", 0, NULL, &c.quiet}, \
        {"fail-on", 1, &fail_on, NULL}, {"timeout", 1, &timeout, NULL},                   \
        {"memory", 1, &memory, NULL}, {"trusted", 0, NULL, &c.trusted},                  \
        {"commit-partial", 0, NULL, &c.commit_partial}, {"folder", 1, &c.folder, NULL}

/* Checks the shared options into c.  Returns 0 or 2. */
static int run_options(const char *cmd, jobctx *c, const char *fail_on, const char *timeout,
                       const char *memory)
{
    if (fail_on) {
        if (strcmp(fail_on, fail_on_values[0]) != 0)
            return cli_usage_error(cmd, "--fail-on: expected 'off-track', got '%s'", fail_on);
        c->fail_on = 1;
    }
    return cli_parse_limits(cmd, timeout, memory, &c->timeout, &c->mem);
}

static int job_run(cli_global *g, int argc, char **argv)
{
    jobctx c;
    memset(&c, 0, sizeof c);
    const char *as_of = NULL, *fail_on = NULL, *timeout = NULL, *memory = NULL;
    const cli_opt opts[] = {RUN_OPTS, {NULL, 0, NULL, NULL}};
    char **pos = argv;
    int npos, rc;
    if ((rc = cli_args("job run", help, argc, argv, opts, 0, g, &npos)) != CLI_GO)
        return rc;
    if (npos != 1)
        return cli_usage_error("job run", npos ? "one job file only" : "which job file? "
                                                                     "(ontrack job run job.lua)");
    if ((rc = run_options("job run", &c, fail_on, timeout, memory)))
        return rc;
    if (as_of && strcmp(as_of, "latest") != 0) { /* "latest" overrides a job's fixed as_of */
        int32_t d;
        ot_period th;
        if ((rc = cli_parse_asof("job run", as_of, &d, &th)))
            return rc;
    }
    ot_store *st = NULL;
    int fd = -1;
    size_t off = 0;
    struct sigaction old[2];
    job_stop_catch(old);
    if (!(rc = job_open(&c, g, pos[0], &st, &fd)))
        rc = run_once(&c, st, as_of, &off);
    if (rc == 0 && c.fail_on && off)
        rc = 3;
    job_store_close(st, fd);
    job_stop_restore(old);
    if (rc && job_stop_signal()) /* as a process the signal ended: 143 for SIGTERM */
        rc = 128 + job_stop_signal();
    ot_job_clear(&c.job);
    return rc;
}

static int job_backfill(cli_global *g, int argc, char **argv)
{
    jobctx c;
    memset(&c, 0, sizeof c);
    const char *as_of = NULL, *fail_on = NULL, *timeout = NULL, *memory = NULL, *from = NULL,
               *to = NULL;
    const cli_opt opts[] = {RUN_OPTS, {"from", 1, &from, NULL}, {"to", 1, &to, NULL},
                            {NULL, 0, NULL, NULL}};
    char **pos = argv;
    int npos, rc;
    if ((rc = cli_args("job backfill", help, argc, argv, opts, 0, g, &npos)) != CLI_GO)
        return rc;
    if (npos != 1)
        return cli_usage_error("job backfill", "which job file? (ontrack job backfill job.lua "
                                               "--from 2023-01 --to 2023-10)");
    if (as_of)
        return cli_usage_error("job backfill", "--as-of: backfill sets the as-of of each run "
                                               "(--from and --to)");
    if (!from || !to)
        return cli_usage_error("job backfill", "--from and --to are required (months: 2023-01)");
    ot_period pf, pt;
    ot_err err;
    if (ot_period_parse(from, (size_t)-1, &pf, &err) != OT_OK || pf.freq != OT_FREQ_M)
        return cli_usage_error("job backfill", "--from: expected a month (2023-01), got '%s'", from);
    if (ot_period_parse(to, (size_t)-1, &pt, &err) != OT_OK || pt.freq != OT_FREQ_M)
        return cli_usage_error("job backfill", "--to: expected a month (2023-10), got '%s'", to);
    /* a January–February period (2023年1-2月) is both months: --from starts
     * at its January, --to ends at its February */
    pf.ord = ot_period_ord_in(pf, OT_FREQ_M, 0);
    if (pt.ord < pf.ord)
        return cli_usage_error("job backfill", "--to %s is before --from %s", to, from);
    if ((rc = run_options("job backfill", &c, fail_on, timeout, memory)))
        return rc;
    ot_store *st = NULL;
    int fd = -1;
    size_t off_any = 0;
    struct sigaction old[2];
    job_stop_catch(old);
    if (!(rc = job_open(&c, g, pos[0], &st, &fd))) {
        for (ot_ord m = pf.ord; m <= pt.ord && rc == 0; m++) {
            char day[OT_PERIOD_STRMAX];
            ot_date_format(ot_period_last_day(OT_FREQ_M, m), day, sizeof day);
            size_t off = 0;
            rc = run_once(&c, st, day, &off);
            off_any += off;
        }
    }
    if (rc == 0 && c.fail_on && off_any)
        rc = 3;
    job_store_close(st, fd);
    job_stop_restore(old);
    if (rc && job_stop_signal())
        rc = 128 + job_stop_signal();
    ot_job_clear(&c.job);
    return rc;
}

/* ---- job history / show ------------------------------------------------- */

/* Seconds between two "YYYY-MM-DDTHH:MM:SSZ" times; NaN when either is missing. */
static double span_secs(const char *a, const char *b)
{
    int y[2], mo[2], d[2], h[2], mi[2], s[2];
    const char *v[2] = {a, b};
    for (int i = 0; i < 2; i++)
        if (!v[i] || sscanf(v[i], "%d-%d-%dT%d:%d:%d", &y[i], &mo[i], &d[i], &h[i], &mi[i], &s[i]) != 6)
            return NAN;
    double sec[2];
    for (int i = 0; i < 2; i++)
        sec[i] = 86400.0 * ot_days_from_civil(y[i], mo[i], d[i]) + 3600.0 * h[i] + 60.0 * mi[i] + s[i];
    return sec[1] - sec[0];
}

/* Whether run r, recorded "running", has lost its process: no one holds the
 * job's lock.  lockfd is a descriptor of the database file (job_lock_open,
 * for reading), kept open by the caller until after the store is closed:
 * testing the lock takes nothing and closes nothing while the store is open. */
static int interrupted(int lockfd, const ot_run_rec *r)
{
    if (strcmp(r->status, "running") != 0 || !r->job || lockfd < 0) /* < 0: cannot tell */
        return 0;
    return job_lock_busy(lockfd, r->job) == 0;
}

/* The status shown for run r: "interrupted" for a dead "running" one. */
static const char *shown_status(int lockfd, const ot_run_rec *r)
{
    return interrupted(lockfd, r) ? "interrupted" : r->status;
}

/* Opens the store read-only and a descriptor of its file for testing job
 * locks (-1 when it cannot be opened: runs then show as recorded).  Returns 0
 * or an exit code.  The two are closed by job_store_close. */
static int open_for_reading(cli_global *g, ot_store **st, int *lockfd)
{
    *lockfd = -1;
    int rc = cli_open_store(g, 1, st);
    if (rc == 0) {
        ot_err e;
        (void)job_lock_open(ot_store_path(*st), 0, lockfd, &e);
    }
    return rc;
}

static int job_history(cli_global *g, int argc, char **argv)
{
    const char *limit_s = NULL, *lang_s = NULL;
    const cli_opt opts[] = {{"limit", 1, &limit_s, NULL}, {"lang", 1, &lang_s, NULL},
                            {NULL, 0, NULL, NULL}};
    char **pos = argv;
    int npos, rc;
    if ((rc = cli_args("job history", help, argc, argv, opts, 0, g, &npos)) != CLI_GO)
        return rc;
    ot_report_lang lang = OT_LANG_EN; /* as job show */
    if (lang_s && ot_report_lang_parse(lang_s, &lang) != 0)
        return cli_usage_error("job history", "--lang: expected zh or en, got '%s'", lang_s);
    if (npos > 1)
        return cli_usage_error("job history", "unexpected argument '%s'", pos[1]);
    size_t limit = 0;
    if (limit_s) {
        char *end;
        unsigned long v = strtoul(limit_s, &end, 10);
        if (!*limit_s || *end || limit_s[0] == '-' || v == 0)
            return cli_usage_error("job history", "--limit: expected a whole number above 0, got '%s'",
                                   limit_s);
        limit = v;
    }
    ot_store *st;
    int lockfd;
    if ((rc = open_for_reading(g, &st, &lockfd)))
        return rc;
    ot_err err;
    ot_err_clear(&err);
    ot_run_rec *r = NULL;
    size_t n = 0;
    ot_table *tab = NULL;
    if ((rc = ot_store_runs(st, npos ? pos[0] : NULL, 0, limit, &r, &n, &err)))
        goto done;
    if (n == 0) {
        rc = ot_err_set(&err, OT_ENOTFOUND, "no runs%s%s%s", npos ? " of job '" : "",
                        npos ? pos[0] : "", npos ? "'" : "");
        goto done;
    }
    if (!(tab = ot_table_new(7, &err))) {
        rc = err.code;
        goto done;
    }
    static const char *const head[] = {"run", "job", "status", "as of", "started", "seconds", "data"};
    static const char *const head_zh[] = {"运行", "任务", "状态", "数据截至", "开始时间", "耗时（秒）",
                                          "数据哈希"};
    rc = ot_table_header(tab, lang == OT_LANG_ZH ? head_zh : head, &err);
    ot_table_right(tab, 0);
    ot_table_right(tab, 5);
    for (size_t i = 0; i < n && !rc; i++) {
        char id[24], secs[32] = "";
        ot_run_asof a;
        ot_run_asof_of(&r[i], &a);
        snprintf(id, sizeof id, "%lld", (long long)r[i].id);
        double s = span_secs(r[i].started, r[i].finished);
        if (!isnan(s))
            snprintf(secs, sizeof secs, "%.0f", s);
        const char *row[] = {id, r[i].job ? r[i].job : "",
                             ot_report_run_status(shown_status(lockfd, &r[i]), lang), a.text,
                             r[i].started, secs, r[i].data_hash ? r[i].data_hash : ""};
        rc = ot_table_row(tab, row, &err);
    }
    if (!rc && ot_table_print(tab, stdout) != OT_OK)
        rc = ot_err_set(&err, OT_EIO, "cannot write the table");
done:
    ot_table_free(tab);
    ot_store_runs_free(r, n);
    job_store_close(st, lockfd);
    return rc ? cli_fail(&err) : 0;
}

#define SHOW_RUNS 12 /* runs the movement table goes back */

/* Prints how each target of set moved over the ok runs of job made up to
 * run `upto`, ordered by as-of (the last SHOW_RUNS), in lang. */
static int show_moves(ot_store *st, const char *job, int64_t upto, const ot_run_set *set,
                      ot_report_lang lang, ot_err *err)
{
    ot_run_history h;
    ot_report_run runs[SHOW_RUNS];
    int rc = ot_run_history_load(st, job, upto, SHOW_RUNS, &h, err);
    if (rc == OT_OK && h.m >= 2) {
        for (size_t i = 0; i < h.m; i++)
            runs[i] = (ot_report_run){h.run[i]->id, h.asof[i].text, h.sets[i].t, h.sets[i].ids,
                                      h.sets[i].p, h.sets[i].n};
        rc = ot_report_moves_heading(h.m, job, lang, stdout, err);
        if (rc == OT_OK)
            rc = ot_report_moves_text(set->t, set->ids, set->n, runs, h.m, lang, stdout, err);
    }
    ot_run_history_free(&h);
    return rc;
}

static int job_show(cli_global *g, int argc, char **argv)
{
    const char *lang_s = NULL;
    const cli_opt opts[] = {{"lang", 1, &lang_s, NULL}, {NULL, 0, NULL, NULL}};
    char **pos = argv;
    int npos, rc;
    if ((rc = cli_args("job show", help, argc, argv, opts, 0, g, &npos)) != CLI_GO)
        return rc;
    /* English by default, as `ontrack project` prints its table */
    ot_report_lang lang = OT_LANG_EN;
    if (lang_s && ot_report_lang_parse(lang_s, &lang) != 0)
        return cli_usage_error("job show", "--lang: expected zh or en, got '%s'", lang_s);
    if (npos != 1)
        return cli_usage_error("job show", "which run? (ontrack job history lists them)");
    int64_t id = cli_parse_run(pos[0]);
    if (id < 0)
        return cli_usage_error("job show", "expected a run number or 'latest', got '%s'", pos[0]);
    ot_store *st;
    int lockfd;
    if ((rc = open_for_reading(g, &st, &lockfd)))
        return rc;
    ot_err err;
    ot_err_clear(&err);
    ot_run_rec *run = NULL;
    ot_run_set set = {0};
    ot_run_doc doc = {0};
    char *why = NULL;
    if ((rc = ot_run_open(st, id, &run, &set, &err)))
        goto done;
    ot_run_asof a;
    ot_run_asof_of(run, &a);
    if ((rc = ot_store_run_error(st, run->id, &why, &err)))
        goto done;
    const ot_report_run_info info = {run->id,           run->job,          shown_status(lockfd, run),
                                     a.text,            run->started,      run->finished,
                                     run->engine_version, run->scripts_hash, run->data_hash,
                                     why};
    if ((rc = ot_report_run_head(&info, lang, stdout, &err)))
        goto done;
    if (set.n == 0) {
        rc = ot_report_run_none(&info, lang, stdout, &err);
        goto done;
    }
    if ((rc = ot_run_doc_table(&doc, &set, st, &a, lang, &err)) ||
        (rc = ot_run_doc_compares(&doc, st, run->id, &err)) ||
        (rc = ot_report_text(&doc.doc, stdout, &err)))
        goto done;
    if (run->job)
        rc = show_moves(st, run->job, run->id, &set, lang, &err);
done:
    free(why);
    ot_run_doc_free(&doc);
    ot_run_set_free(&set);
    ot_store_runs_free(run, run ? 1 : 0);
    job_store_close(st, lockfd);
    return rc ? cli_fail(&err) : 0;
}

int cmd_job(cli_global *g, int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(cli_global *, int, char **);
    } subs[] = {{"run", job_run},
                {"history", job_history},
                {"show", job_show},
                {"backfill", job_backfill}};
    while (argc > 0 && strncmp(argv[0], "--db", 4) == 0 && (argv[0][4] == '=' || !argv[0][4])) {
        if (argv[0][4] == '=') { /* --db, the option of every command, also before the subcommand */
            g->db_path = argv[0] + 5;
        } else if (argc < 2) {
            return cli_usage_error("job", "option '--db' needs a value");
        } else {
            g->db_path = argv[1];
            argc--, argv++;
        }
        argc--, argv++;
    }
    if (argc < 1 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        fputs(help, argc < 1 ? stderr : stdout);
        return argc < 1 ? 2 : 0;
    }
    for (size_t i = 0; i < sizeof subs / sizeof *subs; i++)
        if (strcmp(argv[0], subs[i].name) == 0)
            return subs[i].fn(g, argc - 1, argv + 1);
    return cli_usage_error("job", "unknown subcommand '%s' (run, history, show, backfill%s)", argv[0],
                           argv[0][0] == '-' ? "; options follow the subcommand" : "");
}
