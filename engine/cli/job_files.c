/* job_files.c — the files of a job run: hashes, outputs, the scripts' folder. */
#include "cli/job_files.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/csv.h"

/* ---- hashes ------------------------------------------------------------ */

void job_feed_xxh(void *ud, const void *p, size_t n)
{
    ot_xxh64_update(ud, p, n);
}

/* The name of path as the job names it: path without the job's folder dir
 * in front ("jobs/j.lua" in "jobs" is "j.lua"), else path itself (an
 * absolute script name stays as written).  Points into path. */
const char *job_rel_name(const char *dir, const char *path)
{
    size_t n = strlen(dir);
    if (n == 0 || strcmp(dir, ".") == 0)
        return path[0] == '.' && path[1] == '/' ? path + 2 : path;
    if (strncmp(path, dir, n) == 0 && (path[n] == '/' || dir[n - 1] == '/'))
        return path + n + (path[n] == '/');
    return path;
}

/* Adds the name of the file at path relative to the job's folder dir
 * (job_rel_name) and its bytes to h: the hash is the same whatever folder the
 * job is run from and however its path is written.  OT_ENOTFOUND when it
 * cannot be read. */
int job_hash_file(ot_xxh64 *h, const char *dir, const char *path, ot_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ot_err_set(err, OT_ENOTFOUND, "%s: %s", path, strerror(errno));
    const char *name = job_rel_name(dir, path);
    uint32_t len = (uint32_t)strlen(name);
    ot_xxh64_update(h, &len, sizeof len);
    ot_xxh64_update(h, name, len);
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

static const char supported[] = OT_REPORT_EXTENSIONS;

/* The report format of an output path by its extension; -1 when unsupported. */
int job_out_format_of(const char *path)
{
    ot_report_format f;
    return ot_report_format_from_path(path, &f) == 0 ? (int)f : -1;
}

/* Expands {job}, {as_of} and {run} in tmpl into buf.  OT_EDATA for another
 * {name} or a path too long. */
int job_expand(const char *tmpl, const char *job, const char *as_of, int64_t run, char *buf,
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
 * not climb ("..").  A prefix that is a file (ENOTDIR: "report.txt/x.json")
 * counts as existing: the path is then inside or outside as that file is, and
 * writing it fails later with the true reason.  Returns 1 inside, 0 outside,
 * -1 when a prefix cannot be resolved (errno says why: EACCES, ELOOP, a name
 * too long). */
static int inside_dir(const char *path, const char *dir)
{
    char buf[PATH_MAX], real[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    char *tail = NULL; /* the part that does not exist yet */
    for (;;) {
        if (realpath(buf[0] ? buf : ".", real))
            break;
        if (errno != ENOENT && errno != ENOTDIR)
            return -1;
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
                return -1;
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
 * placeholders, and (unless trusted) that each lies inside the job's folder
 * (folder: --folder, else NULL for the job file's own folder), so a job file
 * cannot write where it likes (docs/security.md).  OT_EDATA naming the first
 * bad one. */
int job_check_outputs(const ot_job *j, const char *folder, int trusted, ot_err *err)
{
    char buf[4096], dir[PATH_MAX];
    const char *bound = folder ? folder : j->dir;
    if (!trusted && j->noutputs && !realpath(bound, dir))
        return ot_err_set(err, OT_EIO, "%s: cannot resolve the job's folder '%s': %s", j->path,
                          bound, strerror(errno));
    for (size_t i = 0; i < j->noutputs; i++) {
        if (job_out_format_of(j->outputs[i]) < 0)
            return ot_err_set(err, OT_EDATA, "%s: output '%s': unsupported format (supported: %s)",
                              j->path, j->outputs[i], supported);
        /* as a run names it (an as-of date, a run number) */
        int rc = job_expand(j->outputs[i], j->name, "2023-10-31", 1, buf, sizeof buf, err);
        if (rc)
            return rc;
        /* every name in it fits a file system's NAME_MAX, the last one with
         * the ".NAME.XXXXXX" of its temporary file: a job file whose {job}
         * makes too long a name is a bad job file, found before anything runs,
         * not an I/O error once the run is recorded */
        for (const char *p = buf; *p;) {
            size_t k = strcspn(p, "/"), max = p[k] ? NAME_MAX : NAME_MAX - 8, cut = 24;
            while (cut > 0 && ((unsigned char)p[cut] & 0xC0) == 0x80)
                cut--; /* the name's beginning, whole characters */
            if (k > max)
                return ot_err_set(err, OT_EDATA,
                                  "%s: output '%s': the name '%.*s…' is too long (%zu bytes; at "
                                  "most %zu%s)",
                                  j->path, j->outputs[i], (int)cut, p, k, max,
                                  p[k] ? "" : ", for its temporary file .NAME.XXXXXX");
            p += k + (p[k] == '/');
        }
        int in = trusted ? 1 : inside_dir(buf, dir);
        if (in < 0)
            return ot_err_set(err, OT_EIO, "%s: output '%s': cannot resolve '%s': %s", j->path,
                              j->outputs[i], buf, strerror(errno));
        if (!in)
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
 * (docs/security.md): folder (--folder) when given, else the job file's own
 * folder, whatever its outputs say (they are checked to lie inside it); ""
 * when neither --folder nor an output is given (then scripts have no
 * files). */
int job_files_dir(const ot_job *j, const char *folder, char *buf, size_t cap, ot_err *err)
{
    buf[0] = '\0';
    if (j->noutputs == 0 && !folder)
        return OT_OK;
    /* the first output's folder (cut before a placeholder) exists when the
     * scripts run, as they may write beside it */
    char first[4096];
    snprintf(first, sizeof first, "%s", j->noutputs ? j->outputs[0] : "");
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
    const char *bound = folder ? folder : j->dir;
    if (snprintf(buf, cap, "%s", bound) >= (int)cap)
        return ot_err_set(err, OT_EINVAL, "%s: path too long", bound);
    return OT_OK;
}

/* fsyncs the folder holding path (so a rename in it is durable). */
void job_sync_parent(const char *path)
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


/* Writes doc in format fmt into a new temporary file ".NAME.XXXXXX" beside
 * path, in path's folder (mkstemp, write, fflush, fsync, fclose: each
 * checked); *po receives both paths (new, caller frees).  The file at path is
 * not touched.  OT_EIO naming path and the reason on failure, the temporary
 * file then removed.  csv_cols: the CSV's first columns, 0 for all. */
int out_write_tmp(const char *path, ot_report_format fmt, size_t csv_cols,
                  const ot_report_doc *doc, pending_out *po, ot_err *err)
{
    int rc;
    const char *slash = strrchr(path, '/');
    size_t dlen = slash ? (size_t)(slash - path + 1) : 0;
    size_t cap = strlen(path) + 16;
    char *tmp = malloc(cap), *final = strdup(path);
    if (!tmp || !final) {
        free(tmp);
        free(final);
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    }
    /* a folder in the file's place would fail the rename, after a job's
     * commit: say so now, before anything is written */
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        free(tmp);
        free(final);
        return ot_err_set(err, OT_EIO, "%s: is a folder, not a file", path);
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
    errno = 0;
    rc = fmt == OT_REPORT_CSV && csv_cols ? ot_report_csv_columns(doc, csv_cols, f, err)
                                          : ot_report_write(doc, fmt, f, err);
    if (rc == OT_EIO) /* name the file and the reason */
        rc = ot_err_set(err, OT_EIO, "%s: write error: %s", path,
                        errno ? strerror(errno) : "cannot write");
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

/* Writes one job output: its folders made (mkdir -p), then out_write_tmp
 * with the first 20 CSV columns (docs/scheduling.md). */
int job_write_output(const char *path, ot_report_format fmt, const ot_report_doc *doc,
                     pending_out *po, ot_err *err)
{
    int rc = make_parents(path, err);
    return rc ? rc : out_write_tmp(path, fmt, 20, doc, po, err);
}

/* Renames po's temporary file over its final path (atomic: the old file
 * stays whole until then) and fsyncs the folder.  OT_EIO naming both paths
 * on failure, the temporary file then removed. */
int out_place(const pending_out *po, ot_err *err)
{
    if (rename(po->tmp, po->final) != 0) {
        int rc = ot_err_set(err, OT_EIO, "%s: cannot rename %s into place: %s", po->final, po->tmp,
                            strerror(errno));
        unlink(po->tmp);
        return rc;
    }
    job_sync_parent(po->final);
    return OT_OK;
}

