/* job_files.c — the files of a job run: hashes, outputs, the scripts' folder. */
#include "cli/job_files.h"

#include <errno.h>
#include <fcntl.h>
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

/* Adds the name and bytes of the file at path to h.  OT_ENOTFOUND when it
 * cannot be read. */
int job_hash_file(ot_xxh64 *h, const char *path, ot_err *err)
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

/* Checks the outputs of a job before anything runs: known formats and
 * placeholders.  OT_EDATA naming the first bad one. */
int job_check_outputs(const ot_job *j, ot_err *err)
{
    char buf[4096];
    for (size_t i = 0; i < j->noutputs; i++) {
        if (job_out_format_of(j->outputs[i]) < 0)
            return ot_err_set(err, OT_EDATA, "%s: output '%s': unsupported format (supported: %s)",
                              j->path, j->outputs[i], supported);
        int rc = job_expand(j->outputs[i], j->name, "x", 1, buf, sizeof buf, err);
        if (rc)
            return rc;
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

/* The folder the job's scripts may use for files (docs/security.md): the
 * folder of its first output, cut before the first placeholder, created when
 * missing; "" when the job declares no outputs (then scripts have no files). */
int job_files_dir(const ot_job *j, char *buf, size_t cap, ot_err *err)
{
    buf[0] = '\0';
    if (j->noutputs == 0)
        return OT_OK;
    snprintf(buf, cap, "%s", j->outputs[0]);
    char *brace = strchr(buf, '{');
    if (brace)
        *brace = '\0';
    char *slash = strrchr(buf, '/');
    if (!slash) {
        snprintf(buf, cap, ".");
        return OT_OK;
    }
    if ((size_t)(slash - buf) + 3 > cap)
        return ot_err_set(err, OT_EINVAL, "%s: output path too long", j->outputs[0]);
    slash[1] = '_'; /* make_parents creates the folders above a file */
    slash[2] = '\0';
    int rc = make_parents(buf, err);
    slash[slash == buf ? 1 : 0] = '\0';
    return rc;
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


/* Writes one output (the run's document doc in format fmt) into a new
 * temporary file beside its final path (mkstemp, write, fflush, fsync); *po
 * receives both paths (new, caller frees).  OT_EIO on failure, the
 * temporary file then removed.  CSV takes the first 20 columns of the
 * report's (docs/scheduling.md). */
int job_write_output(const char *path, ot_report_format fmt, const ot_report_doc *doc,
                        pending_out *po, ot_err *err)
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
    rc = fmt == OT_REPORT_CSV ? ot_report_csv_columns(doc, 20, f, err)
                              : ot_report_write(doc, fmt, f, err);
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

