/* limit.h — time and memory limits for a Lua state, from its first instruction.
 *
 * Every state ontrack creates for code it did not write (scripts, REPL
 * statements, job files) is made by ot_limit_newstate: a counting allocator
 * that refuses to pass the cap (thread-safe, so engine threads may allocate
 * through it too) and a count hook that, once the time limit is passed or a
 * stop is asked for, re-arms itself on every line of every coroutine so no
 * pcall can swallow the stop.  Internal to engine/lua (it includes lua.h).
 */
#ifndef OT_LUA_LIMIT_H
#define OT_LUA_LIMIT_H

#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <time.h>

#include <lua.h>

typedef struct ot_limit {
    atomic_size_t used, peak;         /* bytes allocated now, and the most at once */
    size_t cap;                       /* bytes; 0 = none */
    double timeout;                   /* seconds from ot_limit_arm; 0 = none */
    const char *what;                 /* "script", "job file": named in the stop message */
    struct timespec t0;
    volatile sig_atomic_t interrupted;
    int stopped;                      /* the time limit was passed */
    int exiting;                      /* os.exit was called: the chunk unwinds */
    int exit_status;                  /* its status, 0..255 */
    lua_State *main;                  /* the main thread, re-armed with every coroutine */
} ot_limit;

/* Creates a state allocating through lim (which must outlive it) and records
 * lim in the state's extra space.  NULL when even that fails. */
lua_State *ot_limit_newstate(ot_limit *lim);

/* The limit of a state made by ot_limit_newstate (any of its threads). */
ot_limit *ot_limit_of(lua_State *L);

/* Starts the clock of a chunk and sets the count hook (none without a time
 * limit); clears a previous stop or interrupt. */
void ot_limit_arm(ot_limit *lim);

/* Removes the hook (between chunks). */
void ot_limit_disarm(ot_limit *lim);

/* Asks the running chunk to stop with "interrupted!" at its next instruction;
 * safe in a signal handler. */
void ot_limit_interrupt(ot_limit *lim);

/* os.exit(status) inside a chunk: marks the limit exiting with status
 * (0..255) and raises; like a stop, the error is raised again at every next
 * instruction of every coroutine until the chunk has unwound, so no pcall
 * keeps the script running.  Never returns. */
int ot_limit_exit(lua_State *L, int status);

/* The lua_Alloc of ot_limit_newstate, for callers that pass it on. */
void *ot_limit_alloc(void *ud, void *ptr, size_t osize, size_t nsize);

#endif
