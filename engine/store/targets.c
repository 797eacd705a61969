/* targets.c — storing and listing annual targets (core/target.h values).
 *
 * A target's identity is (year, kind, series, ref, label): re-importing the
 * same targets file changes nothing, and a corrected threshold under the same
 * identity updates the row in place (targets are not vintaged).
 */
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

static const char SQL_FIND[] =
    "SELECT id, op, value, tolerance, source, shape, unit, shape_from, shape_to FROM targets\n"
    "WHERE year = ?1 AND kind = ?2 AND coalesce(series,'') = coalesce(?3,'')\n"
    "  AND coalesce(ref,'') = coalesce(?4,'') AND coalesce(label,'') = coalesce(?5,'')";
static const char SQL_INSERT[] =
    "INSERT INTO targets(year, kind, series, ref, label, op, value, tolerance, source, shape,\n"
    "  unit, shape_from, shape_to)\n"
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?13, ?14)";
static const char SQL_UPDATE[] =
    "UPDATE targets SET op = ?6, value = ?7, tolerance = ?8, source = ?9, shape = ?10,\n"
    "  unit = ?11, shape_from = ?13, shape_to = ?14 WHERE id = ?12";
#define SQL_COLUMNS \
    "SELECT id, year, kind, series, ref, label, op, value, tolerance, source, shape, unit,\n" \
    "  shape_from, shape_to\n" \
    "FROM targets "
static const char SQL_ALL[] = SQL_COLUMNS "ORDER BY year, id";
static const char SQL_YEAR[] = SQL_COLUMNS "WHERE year = ?1 ORDER BY id";

static void bind_double(sqlite3_stmt *q, int i, double x)
{
    if (isnan(x))
        sqlite3_bind_null(q, i);
    else
        sqlite3_bind_double(q, i, x);
}

static double col_double(sqlite3_stmt *q, int i)
{
    return sqlite3_column_type(q, i) == SQLITE_NULL ? NAN : sqlite3_column_double(q, i);
}

static int same_text(sqlite3_stmt *q, int i, const char *s)
{
    const char *c = (const char *)sqlite3_column_text(q, i);
    return strcmp(c ? c : "", s ? s : "") == 0;
}

static int same_double(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

/* Binds the identity ?1..?5. */
static void bind_identity(sqlite3_stmt *q, const ot_target *t)
{
    sqlite3_bind_int(q, 1, t->year);
    sqlite3_bind_text(q, 2, ot_target_kind_name(t->kind), -1, SQLITE_STATIC);
    store_bind_text(q, 3, t->series && *t->series ? t->series : NULL);
    store_bind_text(q, 4, t->ref && *t->ref ? t->ref : NULL);
    store_bind_text(q, 5, t->label && *t->label ? t->label : NULL);
}

/* Binds the other fields ?6..?11. */
static void bind_fields(sqlite3_stmt *q, const ot_target *t)
{
    sqlite3_bind_text(q, 6, ot_target_op_name(t->op), -1, SQLITE_STATIC);
    bind_double(q, 7, t->value);
    bind_double(q, 8, t->tolerance);
    store_bind_text(q, 9, t->source && *t->source ? t->source : NULL);
    store_bind_text(q, 10, t->shape && *t->shape ? t->shape : NULL);
    const char *canon = ot_unit_canonical(t->unit);
    store_bind_text(q, 11, canon ? canon : t->unit && *t->unit ? t->unit : NULL);
    for (int i = 0; i < 2; i++) {
        if (t->shape_years[0])
            sqlite3_bind_int(q, 13 + i, t->shape_years[i]);
        else
            sqlite3_bind_null(q, 13 + i);
    }
}

static int put(ot_store *st, const ot_target *t, int64_t *id, ot_put_result *res, ot_err *err)
{
    const char *unit = ot_unit_canonical(t->unit) ? ot_unit_canonical(t->unit) : t->unit;
    sqlite3_stmt *q = store_stmt(st, S_TARGET_FIND, SQL_FIND, err);
    if (!q)
        return err ? err->code : OT_EIO;
    bind_identity(q, t);
    int s = sqlite3_step(q);
    if (s == SQLITE_ROW) {
        int64_t found = sqlite3_column_int64(q, 0);
        int same = same_text(q, 1, ot_target_op_name(t->op)) &&
                   same_double(col_double(q, 2), t->value) &&
                   same_double(col_double(q, 3), t->tolerance) && same_text(q, 4, t->source) &&
                   same_text(q, 5, t->shape) && same_text(q, 6, unit) &&
                   sqlite3_column_int(q, 7) == t->shape_years[0] &&
                   sqlite3_column_int(q, 8) == t->shape_years[1];
        sqlite3_reset(q);
        if (!same) {
            if (!(q = store_stmt(st, S_TARGET_UPDATE, SQL_UPDATE, err)))
                return err ? err->code : OT_EIO;
            bind_fields(q, t);
            sqlite3_bind_int64(q, 12, found);
            if ((s = sqlite3_step(q)) != SQLITE_DONE) {
                sqlite3_reset(q);
                return store_sqlerr(st, s, "updating a target", err);
            }
            sqlite3_reset(q);
        }
        if (id)
            *id = found;
        if (res)
            *res = same ? OT_PUT_UNCHANGED : OT_PUT_INSERTED;
        return OT_OK;
    }
    sqlite3_reset(q);
    if (s != SQLITE_DONE)
        return store_sqlerr(st, s, "reading targets", err);
    if (!(q = store_stmt(st, S_TARGET_INSERT, SQL_INSERT, err)))
        return err ? err->code : OT_EIO;
    bind_identity(q, t);
    bind_fields(q, t);
    s = sqlite3_step(q);
    sqlite3_reset(q);
    if (s != SQLITE_DONE)
        return store_sqlerr(st, s, "storing a target", err);
    if (id)
        *id = sqlite3_last_insert_rowid(st->db);
    if (res)
        *res = OT_PUT_INSERTED;
    return OT_OK;
}

int ot_store_put_target(ot_store *st, const ot_target *t, int64_t *id, ot_err *err)
{
    return ot_store_put_target_res(st, t, id, NULL, err);
}

int ot_store_put_target_res(ot_store *st, const ot_target *t, int64_t *id, ot_put_result *res,
                            ot_err *err)
{
    ot_target c = *t; /* shallow: the check may fill the kind's default value */
    int rc = ot_target_check(&c, err);
    const char *const texts[] = {t->series, t->ref, t->label, t->source, t->shape, t->unit};
    static const char *const names[] = {"series", "ref", "label", "source", "shape", "unit"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts && !rc; i++)
        rc = store_text_check("target", names[i], texts[i], err);
    if (rc)
        return rc;
    int own;
    if ((rc = store_wbegin(st, &own, err)))
        return rc;
    rc = put(st, &c, id, res, err);
    return store_wend(st, own, rc, err);
}

void ot_store_targets_free(ot_target *t, size_t n)
{
    if (!t)
        return;
    for (size_t i = 0; i < n; i++)
        ot_target_clear(&t[i]);
    free(t);
}

/* Reads one row into t (initialised here); returns non-zero on out of
 * memory or an unknown kind/operator name. */
static int read_row(sqlite3_stmt *q, ot_target *t)
{
    int oom = 0;
    ot_target_init(t);
    t->year = sqlite3_column_int(q, 1);
    const char *k = (const char *)sqlite3_column_text(q, 2);
    const char *op = (const char *)sqlite3_column_text(q, 6);
    int bad = !k || ot_target_kind_parse(k, &t->kind) || !op || ot_target_op_parse(op, &t->op);
    t->series = store_col_strdup(q, 3, &oom);
    t->ref = store_col_strdup(q, 4, &oom);
    t->label = store_col_strdup(q, 5, &oom);
    t->value = col_double(q, 7);
    t->tolerance = col_double(q, 8);
    t->source = store_col_strdup(q, 9, &oom);
    t->shape = store_col_strdup(q, 10, &oom);
    t->unit = store_col_strdup(q, 11, &oom);
    t->shape_years[0] = sqlite3_column_int(q, 12); /* NULL reads 0: none */
    t->shape_years[1] = sqlite3_column_int(q, 13);
    return oom ? 1 : bad ? 2 : 0;
}

int ot_store_targets(ot_store *st, int year, ot_target **out, int64_t **ids, size_t *n,
                     ot_err *err)
{
    sqlite3_stmt *q = year ? store_stmt(st, S_TARGETS_YEAR, SQL_YEAR, err)
                           : store_stmt(st, S_TARGETS_ALL, SQL_ALL, err);
    if (!q)
        return err ? err->code : OT_EIO;
    if (year)
        sqlite3_bind_int(q, 1, year);
    ot_target *ts = NULL;
    int64_t *is = NULL;
    size_t len = 0, cap = 0;
    int rc = OT_OK, s;
    while ((s = sqlite3_step(q)) == SQLITE_ROW) {
        if (len == cap) {
            size_t nc = cap ? 2 * cap : 16;
            ot_target *nt = realloc(ts, nc * sizeof *nt);
            if (nt)
                ts = nt;
            int64_t *ni = nt ? realloc(is, nc * sizeof *ni) : NULL;
            if (!ni) {
                rc = ot_err_set(err, OT_ENOMEM, "out of memory reading targets");
                break;
            }
            is = ni;
            cap = nc;
        }
        is[len] = sqlite3_column_int64(q, 0);
        int r = read_row(q, &ts[len]);
        len++;
        if (r) {
            rc = r == 1 ? ot_err_set(err, OT_ENOMEM, "out of memory reading targets")
                        : ot_err_set(err, OT_EDATA, "target %lld has an unknown kind or operator",
                                     (long long)is[len - 1]);
            break;
        }
    }
    sqlite3_reset(q);
    if (!rc && s != SQLITE_DONE)
        rc = store_sqlerr(st, s, "reading targets", err);
    if (rc) {
        ot_store_targets_free(ts, len);
        free(is);
        return rc;
    }
    *out = ts;
    *n = len;
    if (ids)
        *ids = is;
    else
        free(is);
    return OT_OK;
}
