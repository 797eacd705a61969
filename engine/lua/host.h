/* host.h — the Lua script host: one Lua state with the engine loaded as `ot`.
 *
 * The only interface the CLI (run, repl, job) uses to run Lua; the CLI never
 * includes lua.h.  A host owns its lua_State, a capped allocator (engine
 * memory made by scripts counts against the same cap) and an instruction
 * hook for timeouts and interrupts.  Every chunk runs through one protected
 * call with a traceback handler; chunks are loaded as text only.  Errors come
 * back in ot_err: the message is "chunk:LINE: message" followed by a
 * traceback, and the code is the engine code of an ontrack error raised
 * inside the script (OT_EDATA, OT_ENOTFOUND, OT_EIO, OT_ELOCKED), OT_ELIMIT
 * for a time or memory limit, else OT_ESCRIPT.  Unless commit_partial, a
 * chunk's database writes are kept only when it succeeds (a failed commit is
 * its error).  Not thread-safe: one host per thread.
 */
#ifndef OT_LUA_HOST_H
#define OT_LUA_HOST_H

#include <stddef.h>

#include "core/err.h"

typedef struct ot_host ot_host;

typedef struct ot_host_opts {
    const char *db_path; /* what ot.db() opens (lazily, on first use); NULL = $ONTRACK_DB,
                            else ./ontrack.db, as the CLI does */
    const char *as_of;   /* --as-of: a date (vintages known then) or a period (data
                            through it); NULL = latest.  Default for every read. */
    double timeout;      /* seconds of run time per chunk; 0 = none */
    size_t mem_limit;    /* bytes of Lua + engine memory; 0 = none */
    int sandbox;         /* 1 = job scripts: no os.execute, os.exit, io.popen,
                            os.tmpname, os.setlocale, package.loadlib/searchpath, C
                            modules, debug library or binary chunks (each refused by
                            name: "os.execute is not available in a job script
                            (sandbox; see docs/security.md)"); files (io.*, os.remove,
                            os.rename, loadfile, dofile, require, ot.open, db:import)
                            only inside files_dir */
    const char *files_dir; /* sandbox: the folder scripts may read and write in (it
                              must exist); NULL = no files at all.  require finds
                              Lua files (text) only there. */
    int commit_partial;  /* 0 (default): each chunk (a script, a REPL statement) is one
                            transaction per database it writes: committed when the chunk
                            succeeds, rolled back when it fails.  1: every write commits
                            at once (the old behaviour, --commit-partial). */
    struct ot_store *store; /* NULL, or the connection ot.db() uses instead of opening
                               db_path: borrowed (the caller owns it, ends its
                               transaction and closes it after ot_host_free; db:close()
                               leaves it open).  Its writes are neither held nor
                               settled by the host: a job holds them over all its
                               scripts and its results (store.h, ot_store_hold). */
} ot_host_opts;

/* Creates a host with the standard libraries (an allow-list in sandbox mode)
 * and `ot` preloaded as a global and as package.loaded.ontrack.  o may be
 * NULL (all defaults).  The strings in o are copied.  *out is new, free with
 * ot_host_free; OT_ENOMEM or OT_EDATA (an unparseable as_of) on failure. */
int ot_host_new(const ot_host_opts *o, ot_host **out, ot_err *err);

/* Closes the Lua state (running pending __gc, closing ot.db()) and frees h;
 * accepts NULL. */
void ot_host_free(ot_host *h);

/* Runs the script file at path as lua does: global `arg` with arg[0] = path
 * and arg[1..argc] = argv[0..argc), the chunk also receives argv as `...`.
 * path "-" reads standard input.  Returns OT_OK, OT_ENOTFOUND (unreadable
 * file, exit 66), or the code of the error raised (see top) with err->msg
 * holding message and traceback. */
int ot_host_run_file(ot_host *h, const char *path, int argc, char **argv, ot_err *err);

/* The command line before the script, as lua.c gives it: arg[-n..-1] =
 * before[0..n) (`ontrack --db x.db run --as-of D s.lua`: arg[-6] = "ontrack",
 * arg[-1] = "D").  The strings are not copied: they must outlive the runs. */
void ot_host_set_before(ot_host *h, int n, char **before);

/* Runs chunk (text) under the chunk name `name` ("=stdin" style names print
 * as given, others as [string "..."]).  Results are discarded.  Codes as
 * ot_host_run_file. */
int ot_host_run_string(ot_host *h, const char *chunk, const char *name, ot_err *err);

/* REPL: evaluates one input as lua.c does — first as `return <input>`, then
 * as a statement.  When the input is a complete chunk it runs and its results
 * (if any) are printed through the global `print` (plain tables shown nested
 * two levels deep and cut after 10 entries; everything else by tostring,
 * which gives series, models, targets and projections their summaries),
 * then *incomplete = 0 and
 * the return is OT_OK or an error code as above.  When the syntax error ends
 * in <eof> (an open function, string, table, ...), nothing runs, *incomplete
 * = 1 and OT_OK is returned: the caller reads another line, appends it after
 * "\n" and calls again with the whole text. */
int ot_host_eval(ot_host *h, const char *input, int *incomplete, ot_err *err);

/* REPL completion of the text before the cursor: calls fn once per candidate
 * for the word that ends `line` — a global name or keyword ("pri" -> "print"),
 * a field reached through dots ("ot.se" -> "ot.series"), a method after a
 * colon ("s:yo" -> "s:yoy", from the value's metatable), or a series key
 * inside db:series("...  (then only the key, without the quote).  Each
 * candidate is the whole word to put in place of the word's text (so the
 * caller's word breaks must not include '.' or ':'); they arrive sorted.
 * Returns the number of candidates (0 on any error; nothing is raised). */
typedef void (*ot_host_complete_fn)(void *ud, const char *candidate);
size_t ot_host_complete(ot_host *h, const char *line, ot_host_complete_fn fn, void *ud);

/* The whole text of the error the last call returned when err->msg holds it
 * cut to its size (a long message, db:import's list of problems, with its
 * traceback), else NULL.  Valid until the next call on h or ot_host_free. */
const char *ot_host_error_text(const ot_host *h);

/* The status a chunk gave os.exit (0..255: 0 for none or true, 1 for
 * false), or -1 when no chunk called it.  os.exit unwinds the chunk (no
 * pcall catches it); its writes are committed for status 0 (the call then
 * returns OT_OK, or a commit error) and rolled back otherwise (the call
 * returns OT_ESCRIPT, "os.exit(N)").  The caller then frees the host and
 * exits with the status; the REPL leaves. */
int ot_host_exit_status(const ot_host *h);

/* Asks the running chunk to stop with the error "interrupted!" at its next
 * instruction; safe to call from a signal handler (it only sets a hook), as
 * lua.c's laction does.  The state stays usable afterwards. */
void ot_host_interrupt(ot_host *h);

/* Bytes currently allocated by the state and engine objects it owns, and the
 * peak since creation. */
size_t ot_host_mem_used(const ot_host *h);
size_t ot_host_mem_peak(const ot_host *h);

#endif
