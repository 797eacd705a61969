/* cmd_job.c — `ontrack job run|history|show|backfill`: scheduled forecast jobs.
 *
 * A run takes the job's lock (flock on "<db>.<job>.lock": a second run exits
 * 75, --wait waits), marks the runs a dead process left "running" as failed,
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
#include <fnmatch.h>
#include <glob.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "io/xxh64.h"
#include "lua/host.h"
#include "lua/job.h"
#include "project/projection.h"
#include "report/html.h"
#include "report/status.h"
#include "report/table.h"
#include "store/jobs.h"
#include "store/view.h"

/* In cmd_run.c. */
static const char help[] =
    "usage: ontrack job run JOBFILE [--as-of DATE|PERIOD] [--wait] [--quiet]\n"
    "                       [--fail-on off-track] [--timeout S] [--memory MB]\n"
    "                       [--trusted]\n"
    "       ontrack job history [JOB] [--limit N]\n"
    "       ontrack job show RUN\n"
    "       ontrack job backfill JOBFILE --from PERIOD --to PERIOD [run options]\n\n"
    "run: projects the job's targets, runs its scripts (sandboxed unless --trusted;\n"
    "--timeout and --memory limit each script) and writes its outputs (.json, .txt,\n"
    ".md, .csv, .html); the run and its projections are stored.  Logs one line per\n"
    "event on standard error; --quiet prints nothing on success.  A run of a job\n"
    "already running exits 75 (--wait waits for it).  --fail-on off-track exits 3\n"
    "when a target is off track or missed.\n"
    "history: the runs (of JOB) with status, as-of and timing, newest first.\n"
    "show: a run's projections, and how each target moved over the job's runs.\n"
    "backfill: runs the job as of the last day of each month from --from to --to,\n"
    "with the data vintages known then.\n"
    "Exit codes: 0 ran, 1 script error, 2 usage, 3 off track (--fail-on),\n"
    "65 bad data or job file, 66 missing input, 74 I/O error, 75 locked.\n"
    "Job files and scheduling: docs/scheduling.md.\n";

/* ---- one job's context and its log ------------------------------------- */

typedef struct jobctx {
    ot_job job;
    const char *db_path;
    const char *as_of_arg; /* --as-of, else NULL */
    int quiet, wait, trusted, fail_on;
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
    char ts[32], msg[OT_ERR_MSG_MAX + 256];
    now_utc(ts, sizeof ts);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->run)
        fprintf(stderr, "%s %s %s run=%lld ", ts, level, c->job.name, (long long)c->run);
    else
        fprintf(stderr, "%s %s %s ", ts, level, c->job.name);
    for (const char *p = msg; *p; p++) {
        fputc(*p, stderr);
        if (*p == '\n' && p[1])
            fputs("  ", stderr);
    }
    if (!*msg || msg[strlen(msg) - 1] != '\n')
        fputc('\n', stderr);
}

/* ---- hashes ------------------------------------------------------------ */

static void feed_xxh(void *ud, const void *p, size_t n)
{
    ot_xxh64_update(ud, p, n);
}

/* Adds the name and bytes of the file at path to h.  OT_ENOTFOUND when it
 * cannot be read. */
static int hash_file(ot_xxh64 *h, const char *path, ot_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ot_err_set(err, OT_ENOTFOUND, "%s: %s", path, strerror(errno));
    uint32_t len = (uint32_t)strlen(path);
    ot_xxh64_update(h, &len, sizeof len);
    ot_xxh64_update(h, path, len);
    char buf[65536];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, f)) > 0)
        ot_xxh64_update(h, buf, k);
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return ot_err_set(err, OT_EIO, "%s: read error", path);
    return OT_OK;
}

/* ---- output files ------------------------------------------------------- */

typedef enum { OUT_JSON, OUT_TXT, OUT_MD, OUT_CSV, OUT_HTML } out_format;

static const char supported[] = ".json, .txt, .md, .csv, .html";

/* The format of an output path by its extension; -1 when unsupported. */
static int out_format_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        return -1;
    static const struct {
        const char *ext;
        out_format f;
    } exts[] = {{".json", OUT_JSON}, {".txt", OUT_TXT}, {".md", OUT_MD},
                {".csv", OUT_CSV},   {".html", OUT_HTML}};
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++)
        if (strcmp(dot, exts[i].ext) == 0)
            return (int)exts[i].f;
    return -1;
}

/* Expands {job}, {as_of} and {run} in tmpl into buf.  OT_EDATA for another
 * {name} or a path too long. */
static int expand(const char *tmpl, const char *job, const char *as_of, int64_t run, char *buf,
                  size_t cap, ot_err *err)
{
    size_t n = 0;
    for (const char *p = tmpl; *p;) {
        char piece[64];
        const char *add;
        size_t len;
        if (*p == '{') {
            const char *e = strchr(p, '}');
            len = e ? (size_t)(e - p + 1) : 0;
            if (len == 5 && strncmp(p, "{job}", 5) == 0) {
                add = job;
            } else if (len == 7 && strncmp(p, "{as_of}", 7) == 0) {
                add = as_of;
            } else if (len == 5 && strncmp(p, "{run}", 5) == 0) {
                snprintf(piece, sizeof piece, "%lld", (long long)run);
                add = piece;
            } else {
                return ot_err_set(err, OT_EDATA,
                                  "output '%s': unknown placeholder (use {job}, {as_of}, {run})",
                                  tmpl);
            }
            p += len;
        } else {
            piece[0] = *p++;
            piece[1] = '\0';
            add = piece;
        }
        len = strlen(add);
        if (n + len >= cap)
            return ot_err_set(err, OT_EDATA, "output '%s': path too long", tmpl);
        memcpy(buf + n, add, len);
        n += len;
    }
    buf[n] = '\0';
    return OT_OK;
}

/* Whether path (relative to the current folder, maybe not existing yet)
 * lies inside the folder whose real path is dir: the longest existing
 * prefix of path is resolved (symbolic links, ".."), and what follows it must
 * not climb ("..").  Returns 1 inside, 0 outside or unresolvable. */
static int inside_dir(const char *path, const char *dir)
{
    char buf[PATH_MAX], real[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return 0;
    char *tail = NULL; /* the part that does not exist yet */
    for (;;) {
        if (realpath(buf[0] ? buf : ".", real))
            break;
        if (errno != ENOENT)
            return 0;
        char *slash = strrchr(buf, '/');
        if (tail)
            tail[-1] = '/';
        if (!slash) {
            tail = buf;
            memmove(buf + 2, buf, strlen(buf) + 1);
            buf[0] = '.';
            buf[1] = '\0';
            tail = buf + 2;
            if (!realpath(".", real))
                return 0;
            break;
        }
        *slash = '\0';
        tail = slash + 1;
        if (slash == buf) { /* only "/" exists */
            snprintf(real, sizeof real, "/");
            break;
        }
    }
    for (const char *t = tail; t && *t;) {
        size_t k = strcspn(t, "/");
        if (k == 2 && t[0] == '.' && t[1] == '.')
            return 0;
        t += k + (t[k] == '/');
    }
    size_t dl = strlen(dir);
    if (strcmp(dir, "/") == 0)
        return 1;
    return strncmp(real, dir, dl) == 0 && (real[dl] == '/' || real[dl] == '\0');
}

/* Checks the outputs of a job before anything runs: known formats and
 * placeholders, and (unless trusted) that each lies inside the job file's
 * own folder, so a job file cannot write where it likes (docs/security.md).
 * OT_EDATA naming the first bad one. */
static int check_outputs(const ot_job *j, int trusted, ot_err *err)
{
    char buf[4096], dir[PATH_MAX];
    if (!trusted && j->noutputs && !realpath(j->dir, dir))
        return ot_err_set(err, OT_EIO, "%s: cannot resolve the job's folder '%s': %s", j->path,
                          j->dir, strerror(errno));
    for (size_t i = 0; i < j->noutputs; i++) {
        if (out_format_of(j->outputs[i]) < 0)
            return ot_err_set(err, OT_EDATA, "%s: output '%s': unsupported format (supported: %s)",
                              j->path, j->outputs[i], supported);
        int rc = expand(j->outputs[i], j->name, "x", 1, buf, sizeof buf, err);
        if (rc)
            return rc;
        if (!trusted && !inside_dir(buf, dir))
            return ot_err_set(err, OT_EDATA,
                              "%s: output '%s' is outside the job's folder '%s' (sandbox; see "
                              "docs/security.md; --trusted allows it)",
                              j->path, j->outputs[i], dir);
    }
    return OT_OK;
}

/* Creates the folders of path's parent, as mkdir -p.  OT_EIO on failure. */
static int make_parents(const char *path, ot_err *err)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return OT_OK;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0777) != 0 && errno != EEXIST)
            return ot_err_set(err, OT_EIO, "%s: cannot create the folder: %s", dir, strerror(errno));
        *p = '/';
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return ot_err_set(err, OT_EIO, "%s: cannot create the folder: %s", dir, strerror(errno));
    return OT_OK;
}

/* The folder the job's scripts may use for files and require
 * (docs/security.md): the job file's own folder, whatever its outputs say
 * (they are checked to lie inside it); "" when the job declares no outputs
 * (then scripts have no files). */
static int files_dir(const ot_job *j, char *buf, size_t cap, ot_err *err)
{
    buf[0] = '\0';
    if (j->noutputs == 0)
        return OT_OK;
    /* the first output's folder (cut before a placeholder) exists when the
     * scripts run, as they may write beside it */
    char first[4096];
    snprintf(first, sizeof first, "%s", j->outputs[0]);
    char *brace = strchr(first, '{');
    if (brace)
        *brace = '\0';
    char *slash = strrchr(first, '/');
    if (slash) {
        slash[1] = '\0';
        if (strlen(first) + 2 > sizeof first)
            return ot_err_set(err, OT_EINVAL, "%s: output path too long", j->outputs[0]);
        strcat(first, "_"); /* make_parents creates the folders above a file */
        int rc = make_parents(first, err);
        if (rc)
            return rc;
    }
    if (snprintf(buf, cap, "%s", j->dir) >= (int)cap)
        return ot_err_set(err, OT_EINVAL, "%s: path too long", j->dir);
    return OT_OK;
}

/* fsyncs the folder holding path (so a rename in it is durable). */
static void sync_parent(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* The CSV of docs/scheduling.md: the first 20 columns of the report's CSV
 * (docs/reports.md), one row per target. */
static int write_csv(const ot_target *t, const int64_t *ids, const ot_projection *p, size_t n,
                     const char *as_of, FILE *f, ot_err *err)
{
    ot_report_item *items = calloc(n ? n : 1, sizeof *items);
    if (!items)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        items[i] = (ot_report_item){&t[i], &p[i], NULL, NULL, (long long)ids[i]};
    ot_report_doc doc;
    ot_report_doc_init(&doc);
    doc.as_of = as_of;
    doc.items = items;
    doc.n = n;
    int rc = ot_report_csv_columns(&doc, 20, f, err);
    free(items);
    return rc;
}

/* Writes s into a Markdown table cell: pipes escaped, newlines as spaces. */
static void md_cell(FILE *f, const char *s)
{
    fputs("| ", f);
    for (; s && *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', f);
        else
            fputc(*s, f);
    }
    fputc(' ', f);
}

/* The status table as a Markdown table, numbers formatted as the terminal
 * table formats them. */
static void write_md(const char *job, const char *as_of, const ot_target *t,
                     const ot_projection *p, size_t n, FILE *f)
{
    fprintf(f, "# %s — as of %s\n\n", job, as_of);
    fputs("| target | test | through | ytd | point | 80% range | prob | required | carry | status |\n"
          "|---|---|---|--:|--:|--:|--:|--:|--:|---|\n",
          f);
    for (size_t i = 0; i < n; i++) {
        char test[160], ytd[48] = "", point[48], lo[48], hi[48], range[112] = "", prob[16] = "",
             req[48] = "", carry[48];
        ot_fmt_test(&t[i], test, sizeof test);
        if (!isnan(p[i].ytd_growth))
            snprintf(ytd, sizeof ytd, "%.1f%%", p[i].ytd_growth);
        ot_fmt_metric(&t[i], p[i].point, point, sizeof point);
        if (!isnan(p[i].lo80) && !isnan(p[i].hi80))
            snprintf(range, sizeof range, "%s .. %s", ot_fmt_metric(&t[i], p[i].lo80, lo, sizeof lo),
                     ot_fmt_metric(&t[i], p[i].hi80, hi, sizeof hi));
        if (!isnan(p[i].prob))
            snprintf(prob, sizeof prob, "%.0f%%", 100 * p[i].prob);
        if (!isnan(p[i].required))
            snprintf(req, sizeof req, "%.1f%%", p[i].required);
        ot_fmt_metric(&t[i], p[i].carry, carry, sizeof carry);
        const char *cells[] = {t[i].label ? t[i].label : t[i].series, test, p[i].latest, ytd, point,
                               range, prob, req, carry, ot_status_label(p[i].status)};
        for (size_t k = 0; k < sizeof cells / sizeof *cells; k++)
            md_cell(f, cells[k]);
        fputs("|\n", f);
    }
}

/* The HTML report of docs/reports.md, with each target's chart history read
 * through view (the run's as-of).  The source line names the job only: no
 * run number or time, so the page is the same for the same data. */
static int write_html(const char *job, const char *as_of, const ot_target *t, const int64_t *ids,
                      const ot_projection *p, size_t n, ot_store_view *view, FILE *f, ot_err *err)
{
    ot_series **hist = calloc(n ? n : 1, sizeof *hist);
    ot_report_item *items = calloc(n ? n : 1, sizeof *items);
    int rc = OT_OK;
    if (!hist || !items) {
        rc = ot_err_set(err, OT_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        if (view && t[i].kind != OT_TARGET_UNQUANTIFIED &&
            (rc = ot_project_history(&t[i], ot_store_view_read, view, 1, NULL, &hist[i], err)))
            goto done;
        items[i] = (ot_report_item){&t[i], &p[i], hist[i], NULL, (long long)ids[i]};
    }
    ot_report_doc doc;
    ot_report_doc_init(&doc);
    doc.as_of = as_of;
    doc.source = job;
    doc.items = items;
    doc.n = n;
    rc = ot_report_html(&doc, f, err);
done:
    for (size_t i = 0; hist && i < n; i++)
        ot_series_free(hist[i]);
    free(hist);
    free(items);
    return rc;
}

/* A written temporary file and where it goes. */
typedef struct pending_out {
    char *tmp, *final;
} pending_out;

/* Writes one output into a new temporary file beside its final path
 * (mkstemp, write, fflush, fsync); *po receives both paths (new, caller
 * frees).  OT_EIO on failure, the temporary file then removed. */
static int write_output(const char *path, out_format fmt, const char *job, const char *as_of,
                        const ot_target *t, const int64_t *ids, const ot_projection *p, size_t n,
                        ot_store_view *view, pending_out *po, ot_err *err)
{
    int rc = make_parents(path, err);
    if (rc)
        return rc;
    const char *slash = strrchr(path, '/');
    size_t dlen = slash ? (size_t)(slash - path + 1) : 0;
    size_t cap = strlen(path) + 16;
    char *tmp = malloc(cap), *final = strdup(path);
    if (!tmp || !final) {
        free(tmp);
        free(final);
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    }
    snprintf(tmp, cap, "%.*s.%s.XXXXXX", (int)dlen, path, path + dlen);
    int fd = mkstemp(tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        rc = ot_err_set(err, OT_EIO, "%s: cannot create a temporary file: %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        free(tmp);
        free(final);
        return rc;
    }
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    switch (fmt) {
    case OUT_JSON:
        rc = ot_report_json(t, p, n, as_of, f, err);
        break;
    case OUT_TXT:
        rc = ot_report_status(t, p, n, f, err);
        break;
    case OUT_MD:
        write_md(job, as_of, t, p, n, f);
        break;
    case OUT_CSV:
        rc = write_csv(t, ids, p, n, as_of, f, err);
        break;
    case OUT_HTML:
        rc = write_html(job, as_of, t, ids, p, n, view, f, err);
        break;
    }
    if (rc == OT_OK && (fflush(f) != 0 || ferror(f) || fsync(fd) != 0))
        rc = ot_err_set(err, OT_EIO, "%s: write error: %s", path, strerror(errno));
    if (fclose(f) != 0 && rc == OT_OK)
        rc = ot_err_set(err, OT_EIO, "%s: write error: %s", path, strerror(errno));
    if (rc) {
        unlink(tmp);
        free(tmp);
        free(final);
        return rc;
    }
    po->tmp = tmp;
    po->final = final;
    return OT_OK;
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

/* Takes the job's lock: "<db>.<job>.lock" (db the database's real path), the
 * job name's characters other
 * than letters, digits, '.', '-' and '_' replaced by '_'.  Returns the open
 * descriptor (the lock lasts until it is closed) or -1 with err set:
 * OT_ELOCKED naming the running run, OT_EIO. */
static int take_lock(jobctx *c, ot_store *st, ot_err *err)
{
    char path[4096], real[PATH_MAX];
    /* keyed by the database's real path: --db j.db and --db link.db (a
     * symbolic link to it, or a path through one) take the same lock */
    const char *db = realpath(c->db_path, real) ? real : c->db_path;
    int k = snprintf(path, sizeof path, "%s.", db);
    for (const char *s = c->job.name; *s && k < (int)sizeof path - 6; s++) {
        unsigned char ch = (unsigned char)*s;
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 ch == '.' || ch == '-' || ch == '_';
        path[k++] = ok ? (char)ch : '_';
    }
    snprintf(path + k, sizeof path - (size_t)k, ".lock");
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) {
        ot_err_set(err, OT_EIO, "%s: cannot open the lock file: %s", path, strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
        clean_stale(c);
        return fd;
    }
    if (errno != EWOULDBLOCK) {
        ot_err_set(err, OT_EIO, "%s: cannot lock: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    /* Someone runs the job: name the run when it is recorded already. */
    ot_run_rec *r = NULL;
    size_t n = 0;
    ot_err e2;
    char who[4400];
    if (ot_store_runs(st, c->job.name, 0, 1, &r, &n, &e2) == OT_OK && n == 1 &&
        strcmp(r[0].status, "running") == 0)
        snprintf(who, sizeof who, "run %lld, started %s", (long long)r[0].id, r[0].started);
    else
        snprintf(who, sizeof who, "%s is held", path);
    ot_store_runs_free(r, n);
    if (!c->wait) {
        ot_err_set(err, OT_ELOCKED, "job '%s' is running (%s); try again later or use --wait",
                   c->job.name, who);
        close(fd);
        return -1;
    }
    jlog(c, "info", "waiting for the running job (%s)", who);
    while (flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            ot_err_set(err, OT_EIO, "%s: cannot lock: %s", path, strerror(errno));
            close(fd);
            return -1;
        }
    }
    clean_stale(c);
    return fd;
}

/* ---- one run ----------------------------------------------------------- */

/* The as-of of a run: s is "latest", NULL, a date or a period.  A date
 * reads the vintages known that day; "latest" is the newest vintage stored
 * (so the run's date is a fact of the data, not of the clock); a period
 * reads the latest vintages through it.  as_of_s receives the text used in
 * file names and reports. */
static int resolve_asof(ot_store *st, const char *s, int32_t *days, ot_period *through,
                        char *as_of_s, size_t cap, ot_err *err)
{
    through->freq = OT_FREQ_NONE;
    if (s && strcmp(s, "latest") != 0) {
        ot_period p;
        ot_err e2;
        if (ot_period_parse(s, (size_t)-1, &p, &e2) != OT_OK)
            return ot_err_set(err, OT_EDATA,
                              "as_of '%s' is neither \"latest\", a date (2023-10-31) nor a period "
                              "(2023-09)",
                              s);
        if (p.freq == OT_FREQ_D) {
            *days = p.ord;
            ot_date_format(p.ord, as_of_s, cap);
            return OT_OK;
        }
        *through = p;
        ot_period_format(p, as_of_s, cap);
        int rc = ot_store_latest_vintage(st, days, err);
        if (rc == OT_ENOTFOUND) {
            *days = OT_ASOF_LATEST;
            rc = OT_OK;
        }
        return rc;
    }
    int rc = ot_store_latest_vintage(st, days, err);
    if (rc == OT_ENOTFOUND) {
        *days = OT_ASOF_LATEST;
        snprintf(as_of_s, cap, "latest");
        return OT_OK;
    }
    if (rc == OT_OK)
        ot_date_format(*days, as_of_s, cap);
    return rc;
}

/* Keeps the targets matching the job's series glob (all when none), moving
 * them to the front; the rest are cleared.  Returns how many are kept. */
static size_t filter_targets(const char *glob, ot_target *t, int64_t *ids, size_t n)
{
    if (!glob)
        return n;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (t[i].series && fnmatch(glob, t[i].series, 0) == 0) {
            if (m != i) {
                t[m] = t[i];
                ids[m] = ids[i];
                ot_target_init(&t[i]);
            }
            m++;
        } else {
            ot_target_clear(&t[i]);
        }
    }
    return m;
}

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

/* Projects t[0..n) into p, in chunks when a bar is drawn. */
static int project_all(const jobctx *c, ot_store_view *view, const ot_proj_opts *po,
                       const ot_target *t, size_t n, ot_projection *p, ot_err *err)
{
    int bar = !c->quiet && n >= PROGRESS_MIN && isatty(STDERR_FILENO);
    size_t step = bar ? CHUNK : n;
    if (bar)
        progress(0, n);
    for (size_t i = 0; i < n; i += step) {
        size_t k = n - i < step ? n - i : step;
        int rc = ot_project_many(t + i, k, ot_store_view_read, view, po, p + i, err);
        if (rc)
            return rc;
        if (bar)
            progress(i + k, n);
    }
    return OT_OK;
}

/* Runs the job once as of as_of (NULL: the job's as_of).  Returns an exit
 * code; *off_track receives how many targets are off track or missed. */
static int run_once(jobctx *c, ot_store *st, const char *as_of, size_t *off_track)
{
    ot_err err;
    ot_err_clear(&err);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char as_of_s[OT_PERIOD_STRMAX + 16], through_s[OT_PERIOD_STRMAX];
    int32_t days;
    ot_period through;
    ot_target *t = NULL;
    int64_t *ids = NULL, *stale = NULL;
    size_t n = 0, nall = 0, nstale = 0, nout = 0;
    ot_projection *p = NULL;
    pending_out *outs = NULL;
    int in_tx = 0, view_ok = 0;
    ot_store_view view;
    c->run = 0;
    *off_track = 0;

    int rc = resolve_asof(st, as_of ? as_of : c->job.as_of, &days, &through, as_of_s,
                          sizeof as_of_s, &err);
    if (rc)
        goto done;

    /* What the run reads: its files and its data. */
    ot_xxh64 hs, hd;
    ot_xxh64_init(&hs, 0);
    if ((rc = hash_file(&hs, c->job.path, &err)))
        goto done;
    for (size_t i = 0; i < c->job.nscripts; i++)
        if ((rc = hash_file(&hs, c->job.scripts[i], &err)))
            goto done;
    ot_xxh64_init(&hd, 0);
    if ((rc = ot_store_data_feed(st, days, feed_xxh, &hd, &err)))
        goto done;
    char scripts_hash[17], data_hash[17];
    snprintf(scripts_hash, sizeof scripts_hash, "%016llx", (unsigned long long)ot_xxh64_digest(&hs));
    snprintf(data_hash, sizeof data_hash, "%016llx", (unsigned long long)ot_xxh64_digest(&hd));

    if ((rc = ot_store_runs_fail_stale(st, c->job.name, &stale, &nstale, &err)))
        goto done;
    for (size_t i = 0; i < nstale; i++)
        jlog(c, "warn", "run %lld did not finish (its process died): marked failed",
             (long long)stale[i]);

    ot_run r = {c->job.name, days, ONTRACK_VERSION_STRING, scripts_hash, data_hash};
    if ((rc = ot_store_run_begin(st, &r, &c->run, &err)))
        goto done;
    jlog(c, "info", "started as of %s (data %s, scripts %s)", as_of_s, data_hash, scripts_hash);

    if (c->job.has_targets) {
        if ((rc = ot_store_targets(st, c->job.year, &t, &ids, &nall, &err)))
            goto fail;
        n = filter_targets(c->job.series, t, ids, nall);
        if (n && !(p = calloc(n, sizeof *p))) {
            rc = ot_err_set(&err, OT_ENOMEM, "out of memory");
            goto fail;
        }
        ot_proj_opts po;
        ot_proj_opts_init(&po);
        po.paths = c->job.paths;
        po.seed = c->job.seed;
        po.method = c->job.method;
        po.intervals = c->job.intervals;
        if (through.freq != OT_FREQ_NONE) {
            ot_period_format(through, through_s, sizeof through_s);
            po.as_of_period = through_s;
        }
        ot_store_view_init(&view, st, days, NULL);
        view_ok = 1;
        po.shape = ot_store_view_shape;
        if ((rc = project_all(c, &view, &po, t, n, p, &err)))
            goto fail;
        for (size_t i = 0; i < n; i++)
            *off_track += p[i].status == OT_STATUS_OFF_TRACK || p[i].status == OT_STATUS_MISSED;
        jlog(c, "info", "projected %zu target%s (%zu off track or missed)", n, n == 1 ? "" : "s",
             *off_track);
    }

    char files[4096];
    if (c->job.nscripts && (rc = files_dir(&c->job, files, sizeof files, &err)))
        goto fail;
    for (size_t i = 0; i < c->job.nscripts; i++) {
        ot_host_opts ho = {c->db_path, days == OT_ASOF_LATEST ? NULL : as_of_s, c->timeout, c->mem,
                           !c->trusted, files[0] ? files : NULL, 0};
        ot_host *h;
        if ((rc = ot_host_new(&ho, &h, &err)))
            goto fail;
        cli_watchdog(c->timeout);
        rc = ot_host_run_file(h, c->job.scripts[i], 0, NULL, &err);
        cli_watchdog(0);
        ot_host_free(h);
        if (rc)
            goto fail;
        jlog(c, "info", "ran %s", c->job.scripts[i]);
    }

    if (c->job.noutputs && !(outs = calloc(c->job.noutputs, sizeof *outs))) {
        rc = ot_err_set(&err, OT_ENOMEM, "out of memory");
        goto fail;
    }
    for (; nout < c->job.noutputs; nout++) {
        char path[4096];
        if ((rc = expand(c->job.outputs[nout], c->job.name, as_of_s, c->run, path, sizeof path,
                         &err)))
            goto fail;
        if ((rc = write_output(path, (out_format)out_format_of(path), c->job.name, as_of_s, t, ids,
                               p, n, view_ok ? &view : NULL, &outs[nout], &err)))
            goto fail;
    }

    /* The projections and the status "ok" in one transaction. */
    if ((rc = ot_store_begin(st, &err)))
        goto fail;
    in_tx = 1;
    for (size_t i = 0; i < n; i++) {
        ot_projection_row row = {c->run,      ids[i],     t[i].label ? t[i].label : t[i].series,
                                 days,        p[i].point, p[i].lo80,
                                 p[i].hi80,   p[i].lo95,  p[i].hi95,
                                 p[i].prob,   p[i].required, p[i].carry,
                                 ot_proj_status_name(p[i].status),
                                 p[i].method[0] ? p[i].method : NULL,
                                 p[i].notes[0] ? p[i].notes : NULL};
        if ((rc = ot_store_put_projection(st, &row, &err)))
            goto fail;
    }
    if ((rc = ot_store_run_finish(st, c->run, "ok", &err)))
        goto fail;
    size_t pruned = 0;
    if (c->job.keep > 0 &&
        (rc = ot_store_runs_prune(st, c->job.name, (size_t)c->job.keep, &pruned, &err)))
        goto fail;
    in_tx = 0;
    if ((rc = ot_store_commit(st, &err)))
        goto fail;
    if (pruned)
        jlog(c, "info", "pruned %zu old run%s (keep = %d)", pruned, pruned == 1 ? "" : "s",
             c->job.keep);

    /* The outputs into place: a rename is atomic, the folder's fsync makes it last. */
    for (size_t i = 0; i < nout; i++) {
        if (rename(outs[i].tmp, outs[i].final) != 0) {
            jlog(c, "error", "%s: cannot rename %s into place: %s", outs[i].final, outs[i].tmp,
                 strerror(errno));
            rc = OT_EIO;
            ot_err_set(&err, OT_EIO, "%s: cannot write", outs[i].final);
            continue;
        }
        sync_parent(outs[i].final);
        jlog(c, "info", "wrote %s", outs[i].final);
    }
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc == OT_OK)
        jlog(c, "info", "finished ok in %.1f s",
             (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec));
    goto done;

fail:
    if (in_tx)
        ot_store_rollback(st);
    if (c->run) {
        ot_err e2;
        if (ot_store_run_finish(st, c->run, "failed", &e2) != OT_OK)
            jlog(c, "warn", "cannot mark the run failed: %s", e2.msg);
    }
done:
    if (rc) {
        char buf[OT_ERR_MSG_MAX + OT_ERR_FILE_MAX + 64];
        ot_err_format(&err, buf, sizeof buf);
        jlog(c, "error", "%s", buf);
    }
    for (size_t i = 0; i < nout; i++) {
        if (rc && outs[i].tmp)
            unlink(outs[i].tmp);
        free(outs[i].tmp);
        free(outs[i].final);
    }
    free(outs);
    if (view_ok)
        ot_store_view_destroy(&view);
    free(p);
    ot_store_targets_free(t, nall);
    free(ids);
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
    if (check_outputs(&c->job, c->trusted, &err) != OT_OK)
        return cli_fail(&err);
    /* --db, then the job's db, then $ONTRACK_DB / ./ontrack.db */
    c->db_path = g->db_path ? g->db_path : c->job.db ? c->job.db : cli_db_path(g);
    if (ot_store_open(c->db_path, OT_STORE_CREATE, st, &err) != OT_OK)
        return cli_fail(&err);
    if ((*lockfd = take_lock(c, *st, &err)) < 0) {
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
        {"memory", 1, &memory, NULL}, {"trusted", 0, NULL, &c.trusted}

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
    if (as_of) {
        int32_t d;
        ot_period th;
        if ((rc = cli_parse_asof("job run", as_of, &d, &th)))
            return rc;
    }
    ot_store *st = NULL;
    int fd = -1;
    size_t off = 0;
    if (!(rc = job_open(&c, g, pos[0], &st, &fd)))
        rc = run_once(&c, st, as_of, &off);
    if (rc == 0 && c.fail_on && off)
        rc = 3;
    if (fd >= 0)
        close(fd);
    ot_store_close(st);
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
    if (pt.ord < pf.ord)
        return cli_usage_error("job backfill", "--to %s is before --from %s", to, from);
    if ((rc = run_options("job backfill", &c, fail_on, timeout, memory)))
        return rc;
    ot_store *st = NULL;
    int fd = -1;
    size_t off_any = 0;
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
    if (fd >= 0)
        close(fd);
    ot_store_close(st);
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

static void fmt_asof(int32_t days, char *buf, size_t cap)
{
    if (days == OT_ASOF_LATEST)
        snprintf(buf, cap, "latest");
    else
        ot_date_format(days, buf, cap);
}

static int job_history(cli_global *g, int argc, char **argv)
{
    const char *limit_s = NULL;
    const cli_opt opts[] = {{"limit", 1, &limit_s, NULL}, {NULL, 0, NULL, NULL}};
    char **pos = argv;
    int npos, rc;
    if ((rc = cli_args("job history", help, argc, argv, opts, 0, g, &npos)) != CLI_GO)
        return rc;
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
    if ((rc = cli_open_store(g, 1, &st)))
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
    rc = ot_table_header(tab, head, &err);
    ot_table_right(tab, 0);
    ot_table_right(tab, 5);
    for (size_t i = 0; i < n && !rc; i++) {
        char id[24], as_of[OT_PERIOD_STRMAX], secs[32] = "";
        snprintf(id, sizeof id, "%lld", (long long)r[i].id);
        fmt_asof(r[i].as_of, as_of, sizeof as_of);
        double s = span_secs(r[i].started, r[i].finished);
        if (!isnan(s))
            snprintf(secs, sizeof secs, "%.0f", s);
        const char *row[] = {id, r[i].job ? r[i].job : "", r[i].status, as_of, r[i].started, secs,
                             r[i].data_hash ? r[i].data_hash : ""};
        rc = ot_table_row(tab, row, &err);
    }
    if (!rc && ot_table_print(tab, stdout) != OT_OK)
        rc = ot_err_set(&err, OT_EIO, "cannot write the table");
done:
    ot_table_free(tab);
    ot_store_runs_free(r, n);
    ot_store_close(st);
    return rc ? cli_fail(&err) : 0;
}

/* The index in rows of the projection of target id (or, for an unstored
 * target, of label); -1 when none. */
static long find_row(const ot_projection_row *rows, size_t n, int64_t id, const char *label)
{
    for (size_t i = 0; i < n; i++)
        if (id ? rows[i].target_id == id
               : (!rows[i].target_id && rows[i].label && label && strcmp(rows[i].label, label) == 0))
            return (long)i;
    return -1;
}

#define SHOW_RUNS 12 /* runs the movement table goes back */

static int job_show(cli_global *g, int argc, char **argv)
{
    const cli_opt opts[] = {{NULL, 0, NULL, NULL}};
    char **pos = argv;
    int npos, rc;
    if ((rc = cli_args("job show", help, argc, argv, opts, 0, g, &npos)) != CLI_GO)
        return rc;
    if (npos != 1)
        return cli_usage_error("job show", "which run? (ontrack job history lists them)");
    char *end;
    long long id = strtoll(pos[0], &end, 10);
    if (!*pos[0] || *end || id <= 0)
        return cli_usage_error("job show", "expected a run number, got '%s'", pos[0]);
    ot_store *st;
    if ((rc = cli_open_store(g, 1, &st)))
        return rc;
    ot_err err;
    ot_err_clear(&err);
    ot_run_rec *run = NULL, *runs = NULL;
    size_t nrun = 0, nruns = 0, nt = 0, np = 0;
    ot_target *all = NULL, *t = NULL;
    int64_t *ids = NULL;
    ot_projection_row *rows = NULL;
    ot_projection *p = NULL;
    ot_projection_row **hist = NULL;
    size_t *nhist = NULL;
    ot_table *tab = NULL;
    if ((rc = ot_store_runs(st, NULL, id, 0, &run, &nrun, &err)))
        goto done;
    char as_of[OT_PERIOD_STRMAX];
    fmt_asof(run->as_of, as_of, sizeof as_of);
    printf("run %lld  %s  %s  as of %s  started %s  finished %s\n", id, run->job ? run->job : "-",
           run->status, as_of, run->started, run->finished ? run->finished : "-");
    printf("engine %s  scripts %s  data %s\n\n", run->engine_version ? run->engine_version : "-",
           run->scripts_hash ? run->scripts_hash : "-", run->data_hash ? run->data_hash : "-");
    if ((rc = ot_store_projections(st, id, &rows, &np, &err)))
        goto done;
    if (np == 0) {
        printf("no projections (%s)\n", strcmp(run->status, "ok") == 0 ? "the job projects no targets"
                                         : strcmp(run->status, "running") == 0 ? "the run is not finished"
                                                                                : "the run failed");
        goto done;
    }
    if ((rc = ot_store_targets(st, 0, &all, &ids, &nt, &err)))
        goto done;
    if (!(t = calloc(np, sizeof *t)) || !(p = calloc(np, sizeof *p))) {
        rc = ot_err_set(&err, OT_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < np; i++) {
        ot_target_init(&t[i]);
        const ot_target *src = NULL;
        for (size_t k = 0; k < nt && rows[i].target_id; k++)
            if (ids[k] == rows[i].target_id)
                src = &all[k];
        if (src)
            rc = ot_target_copy(&t[i], src, &err);
        else
            rc = ot_target_set_str(&t[i].label, rows[i].label, &err);
        if (rc)
            goto done;
        if (!src)
            t[i].kind = OT_TARGET_UNQUANTIFIED;
        cli_projection_from_row(&rows[i], &p[i]);
    }
    if ((rc = ot_report_status(t, p, np, stdout, &err)))
        goto done;

    /* How each target moved over the job's runs up to this one. */
    if (!run->job)
        goto done;
    ot_run_rec *older = NULL;
    size_t nolder = 0;
    if ((rc = ot_store_runs(st, run->job, 0, 0, &older, &nolder, &err)))
        goto done;
    runs = older;
    nruns = nolder;
    size_t first = 0; /* runs[] newest first: skip those after this one */
    while (first < nruns && runs[first].id > id)
        first++;
    size_t m = 0;
    if (!(hist = calloc(SHOW_RUNS, sizeof *hist)) || !(nhist = calloc(SHOW_RUNS, sizeof *nhist))) {
        rc = ot_err_set(&err, OT_ENOMEM, "out of memory");
        goto done;
    }
    size_t sel[SHOW_RUNS];
    for (size_t i = first; i < nruns && m < SHOW_RUNS; i++) {
        if (strcmp(runs[i].status, "ok") != 0)
            continue;
        if ((rc = ot_store_projections(st, runs[i].id, &hist[m], &nhist[m], &err)))
            goto done;
        sel[m++] = i;
    }
    if (m < 2)
        goto done;
    printf("\nhow the projections moved (the last %zu ok runs of %s, oldest first):\n\n", m, run->job);
    if (!(tab = ot_table_new(7, &err))) {
        rc = err.code;
        goto done;
    }
    static const char *const head[] = {"target", "run", "as of", "point", "80% range", "prob", "status"};
    rc = ot_table_header(tab, head, &err);
    for (size_t j = 1; j < 6; j++)
        ot_table_right(tab, j);
    size_t shown = 0;
    for (size_t i = 0; i < np && !rc; i++) {
        /* targets never projected (no data, unquantified) have nothing to show */
        int any = 0;
        for (size_t k = 0; k < m && !any; k++) {
            long r = find_row(hist[k], nhist[k], rows[i].target_id, rows[i].label);
            any = r >= 0 && !isnan(hist[k][r].point);
        }
        if (!any)
            continue;
        if (shown++ > 0 && (rc = ot_table_rule(tab, &err)))
            break;
        char lab[160];
        ot_fmt_clip(t[i].label ? t[i].label : t[i].series ? t[i].series : "", 36, lab, sizeof lab);
        int firstrow = 1;
        for (size_t k = m; k-- > 0 && !rc;) {
            long r = find_row(hist[k], nhist[k], rows[i].target_id, rows[i].label);
            if (r < 0)
                continue;
            ot_projection q;
            cli_projection_from_row(&hist[k][r], &q);
            char rid[24], day[OT_PERIOD_STRMAX], point[48], lo[48], hi[48], range[112] = "",
                 prob[16] = "";
            snprintf(rid, sizeof rid, "%lld", (long long)runs[sel[k]].id);
            fmt_asof(runs[sel[k]].as_of, day, sizeof day);
            ot_fmt_metric(&t[i], q.point, point, sizeof point);
            if (!isnan(q.lo80) && !isnan(q.hi80))
                snprintf(range, sizeof range, "%s .. %s", ot_fmt_metric(&t[i], q.lo80, lo, sizeof lo),
                         ot_fmt_metric(&t[i], q.hi80, hi, sizeof hi));
            if (!isnan(q.prob))
                snprintf(prob, sizeof prob, "%.0f%%", 100 * q.prob);
            const char *cells[] = {firstrow ? lab : "", rid, day, point, range, prob,
                                   ot_status_label(q.status)};
            firstrow = 0;
            rc = ot_table_row(tab, cells, &err);
        }
    }
    if (!rc && ot_table_print(tab, stdout) != OT_OK)
        rc = ot_err_set(&err, OT_EIO, "cannot write the table");
done:
    ot_table_free(tab);
    if (hist)
        for (size_t k = 0; k < SHOW_RUNS; k++)
            ot_store_projections_free(hist[k], nhist[k]);
    free(hist);
    free(nhist);
    if (t)
        for (size_t i = 0; i < np; i++)
            ot_target_clear(&t[i]);
    free(t);
    free(p);
    ot_store_projections_free(rows, np);
    ot_store_targets_free(all, nt);
    free(ids);
    ot_store_runs_free(runs, nruns);
    ot_store_runs_free(run, nrun);
    ot_store_close(st);
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
    if (argc < 1 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        fputs(help, argc < 1 ? stderr : stdout);
        return argc < 1 ? 2 : 0;
    }
    for (size_t i = 0; i < sizeof subs / sizeof *subs; i++)
        if (strcmp(argv[0], subs[i].name) == 0)
            return subs[i].fn(g, argc - 1, argv + 1);
    return cli_usage_error("job", "unknown subcommand '%s' (run, history, show, backfill)", argv[0]);
}
