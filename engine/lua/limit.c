/* limit.c — the counting allocator and the stop hook every state of ours uses.
 *
 * The allocator counts with atomics: engine threads (parallel projections)
 * allocate through it while the Lua thread waits in the C call, and the cap
 * holds across them (a compare-and-swap reserves the bytes before realloc).
 *
 * The hook is a count hook every 100k instructions (as Redis does), set
 * whether or not there is a time limit so an interrupt reaches coroutines.  Past the
 * time limit it marks the limit stopped and re-arms itself on every line and
 * every instruction, on the thread it runs in and on the main thread; any
 * other thread (a coroutine) meets its own count hook within 100k
 * instructions and is re-armed the same way, and a coroutine created later
 * inherits the armed hook (lua_newthread copies it).  So an error caught by
 * pcall, in any coroutine, is raised again at the next instruction until the
 * chunk has unwound.
 */
#include "lua/limit.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>

#define HOOK_COUNT 100000

void *ot_limit_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    ot_limit *lim = ud;
    size_t old = ptr ? osize : 0; /* with ptr NULL, osize is a type tag */
    if (nsize == 0) {
        free(ptr);
        atomic_fetch_sub(&lim->used, old);
        return NULL;
    }
    if (nsize > old) {
        size_t grow = nsize - old, cur = atomic_load(&lim->used);
        do {
            if (lim->cap && (cur + grow > lim->cap || cur + grow < cur))
                return NULL;
        } while (!atomic_compare_exchange_weak(&lim->used, &cur, cur + grow));
        void *p = realloc(ptr, nsize);
        if (!p) {
            atomic_fetch_sub(&lim->used, grow);
            return NULL;
        }
        size_t now = cur + grow, pk = atomic_load(&lim->peak);
        while (now > pk && !atomic_compare_exchange_weak(&lim->peak, &pk, now))
            ;
        return p;
    }
    void *p = realloc(ptr, nsize); /* shrinking: may move, never fails in practice */
    if (!p)
        return NULL;               /* Lua keeps the old block: nothing changes */
    atomic_fetch_sub(&lim->used, old - nsize);
    return p;
}

lua_State *ot_limit_newstate(ot_limit *lim)
{
    lua_State *L = lua_newstate(ot_limit_alloc, lim);
    if (!L)
        return NULL;
    *(ot_limit **)lua_getextraspace(L) = lim;
    lim->main = L;
    return L;
}

ot_limit *ot_limit_of(lua_State *L)
{
    return *(ot_limit **)lua_getextraspace(L);
}

static double elapsed(const ot_limit *lim)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - lim->t0.tv_sec) + (double)(now.tv_nsec - lim->t0.tv_nsec) * 1e-9;
}

static void hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    ot_limit *lim = ot_limit_of(L);
    if (lim->exiting) {
        lua_sethook(L, hook, LUA_MASKLINE | LUA_MASKCOUNT, 1);
        luaL_error(L, "os.exit(%d)", lim->exit_status);
    }
    if (lim->interrupted) {
        lim->interrupted = 0;
        lua_sethook(L, hook, LUA_MASKCOUNT, HOOK_COUNT);
        if (L != lim->main)
            lua_sethook(lim->main, hook, LUA_MASKCOUNT, HOOK_COUNT);
        luaL_error(L, "interrupted!");
    }
    if (!lim->stopped && lim->timeout > 0 && elapsed(lim) > lim->timeout) {
        lim->stopped = 1;
        if (L != lim->main)
            lua_sethook(lim->main, hook, LUA_MASKLINE | LUA_MASKCOUNT, 1);
    }
    if (lim->stopped) {
        lua_sethook(L, hook, LUA_MASKLINE | LUA_MASKCOUNT, 1);
        char msg[96]; /* lua_pushfstring has no %g */
        snprintf(msg, sizeof msg, "%s stopped: time limit of %g s exceeded",
                 lim->what ? lim->what : "script", lim->timeout);
        luaL_error(L, "%s", msg);
    }
    /* a coroutine left armed by an earlier stop goes back to the count */
    if (lua_gethookmask(L) != LUA_MASKCOUNT || lua_gethookcount(L) != HOOK_COUNT)
        lua_sethook(L, hook, LUA_MASKCOUNT, HOOK_COUNT);
}

void ot_limit_arm(ot_limit *lim)
{
    clock_gettime(CLOCK_MONOTONIC, &lim->t0);
    lim->stopped = 0;
    lim->exiting = 0;
    lim->interrupted = 0;
    /* always a count hook: it also carries interrupts into coroutines */
    lua_sethook(lim->main, hook, LUA_MASKCOUNT, HOOK_COUNT);
}

int ot_limit_exit(lua_State *L, int status)
{
    ot_limit *lim = ot_limit_of(L);
    lim->exiting = 1;
    lim->exit_status = status & 0xff;
    lua_sethook(L, hook, LUA_MASKLINE | LUA_MASKCOUNT, 1);
    if (L != lim->main)
        lua_sethook(lim->main, hook, LUA_MASKLINE | LUA_MASKCOUNT, 1);
    return luaL_error(L, "os.exit(%d)", lim->exit_status);
}

void ot_limit_disarm(ot_limit *lim)
{
    lua_sethook(lim->main, NULL, 0, 0);
}

void ot_limit_interrupt(ot_limit *lim)
{
    lim->interrupted = 1;
    lua_sethook(lim->main, hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT, 1);
}
