/* err.h — status codes, the caller-allocated error record and the allocator.
 *
 * Every fallible engine function returns OT_OK or an OT_E* code and takes
 * `ot_err *err` last.  The record has a fixed message buffer, so reporting
 * an error (even "out of memory") never allocates.  err may be NULL.
 * Allocation goes through an ot_alloc (same signature as lua_Alloc), so the
 * Lua bindings can make engine memory count against a script's cap.
 */
#ifndef OT_CORE_ERR_H
#define OT_CORE_ERR_H

#include <stddef.h>

enum {
    OT_OK = 0,
    OT_ENOMEM,    /* out of memory */
    OT_EINVAL,    /* invalid argument (a caller's mistake) */
    OT_EDATA,     /* bad input data: unparseable, inconsistent (exit 65) */
    OT_ENOTFOUND, /* missing input: file, series, target (exit 66) */
    OT_EIO,       /* I/O or database error (exit 74) */
    OT_ELOCKED,   /* database or job locked, try again (exit 75) */
    OT_ERANGE,    /* value or period out of range */
    OT_ESCRIPT,   /* script or runtime error (exit 1) */
    OT_ELIMIT     /* a resource limit was hit: time, memory, error count */
};

#define OT_ERR_MSG_MAX 1024
#define OT_ERR_FILE_MAX 256

typedef struct ot_err {
    int code;                   /* OT_OK when no error was recorded */
    long line, col;             /* 1-based position in `file`; 0 when unknown */
    char file[OT_ERR_FILE_MAX]; /* input the error is about; "" when none */
    char msg[OT_ERR_MSG_MAX];   /* what went wrong, without the location */
} ot_err;

/* Clears err (code OT_OK, empty message and location). err may be NULL. */
void ot_err_clear(ot_err *err);

/* Records code and a printf-style message; returns code, so failures read
 * `return ot_err_set(err, OT_EDATA, "...")`.  err may be NULL. */
int ot_err_set(ot_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Same, with the input file and 1-based line and column (0 = unknown). */
int ot_err_setloc(ot_err *err, int code, const char *file, long line, long col,
                  const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Writes "file:line:col: msg" (the parts that are known) into buf. */
void ot_err_format(const ot_err *err, char *buf, size_t cap);

/* The sysexits code for a status: 0, 1, 2, 65, 66, 74 or 75. */
int ot_err_exit_code(int code);

/* Levenshtein distance of a and b (bytes), or INT_MAX when it exceeds max
 * (or b is longer than 256 bytes).  For "did you mean" in messages. */
int ot_edit_distance(const char *a, const char *b, int max);
/* The name of names (NULL-terminated) nearest to got, within a distance of
 * max(2, strlen(got) / 3); NULL when none is that near. */
const char *ot_nearest_name(const char *got, const char *const names[]);

/* The allocator: f(ud, ptr, osize, nsize) frees when nsize == 0 and returns
 * NULL, otherwise (re)allocates; exactly lua_Alloc's contract. */
typedef void *(*ot_allocf)(void *ud, void *ptr, size_t osize, size_t nsize);
typedef struct ot_alloc {
    ot_allocf f;
    void *ud;
} ot_alloc;

/* The malloc/realloc/free allocator. */
extern const ot_alloc ot_alloc_std;

/* Thin helpers; a NULL allocator means ot_alloc_std.  ot_free accepts NULL. */
void *ot_malloc(const ot_alloc *a, size_t n);
void *ot_realloc(const ot_alloc *a, void *p, size_t oldn, size_t newn);
void ot_free(const ot_alloc *a, void *p, size_t n);
/* Returns a new copy of s (NULL for s NULL or out of memory);
 * free with ot_free(a, p, strlen(p) + 1). */
char *ot_strdup(const ot_alloc *a, const char *s);

#endif
