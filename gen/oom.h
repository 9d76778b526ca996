/* oom.h: running out of memory without exiting (private to the library).
 *
 * Every allocation of the library fails in one place,
 * ctlc_out_of_memory(), which does not return: it jumps back to the
 * innermost guard, set by each entry point of ctlc.h (CTLC_GUARDED). The
 * entry point then marks the run (run->nomem) and returns CTLC_NOMEM, as
 * Lua's allocator failures unwind to the last protected call. The arena
 * is freed with the run. What a call holds outside the arena (malloc'd
 * scratch arrays, the lemon parser, an open memstream) it registers with
 * ctlc_oom_hold() while it holds it; running out releases those before
 * unwinding, while the frames that own them still exist. */
#ifndef CTLC_OOM_H
#define CTLC_OOM_H

#include <setjmp.h>

enum { CTLC_OOM_HELD = 32 };

typedef struct ctlc_oom_held {
    void *p, *q;
    void (*release)(void *p, void *q);
} ctlc_oom_held;

typedef struct ctlc_oom_guard {
    jmp_buf env;
    struct ctlc_oom_guard *prev;
    ctlc_oom_held held[CTLC_OOM_HELD];  /* what the call holds outside the arena */
    int nheld;
} ctlc_oom_guard;

/* Makes g the innermost guard of this thread; g->env must be set first. */
void ctlc_oom_push(ctlc_oom_guard *g);

/* Removes g, the innermost guard, after its call returned normally. */
void ctlc_oom_pop(ctlc_oom_guard *g);

/* Registers with the innermost guard that the running call holds p (and
 * q): memory running out calls release(p, q). Outside every guard, and
 * past CTLC_OOM_HELD things held at once, it does nothing (a leak then,
 * only if memory runs out). */
void ctlc_oom_hold(void *p, void *q, void (*release)(void *p, void *q));

/* Holds the malloc'd block that the pointer at slot points to when memory
 * runs out (for an array that ctlc_grow() moves, or NULL). */
void ctlc_oom_hold_ptr(void *slot);

/* Forgets p, which the call released itself or handed on. */
void ctlc_oom_drop(const void *p);

/* Memory ran out: releases what the innermost guard holds and jumps to
 * it; the guard is removed. Outside
 * every guard, calls the handler set with ctlc_set_oom_handler(), or
 * abort()s when there is none. */
#if defined(__GNUC__)
__attribute__((noreturn))
#endif
void ctlc_out_of_memory(void);

/* The body of an entry point of ctlc.h: evaluates call (a ctlc_status)
 * under a guard and returns its value, or CTLC_NOMEM when memory ran out
 * in it or in an earlier call on the same run. */
#define CTLC_GUARDED(run, call)                                                                                      \
    do {                                                                                                              \
        ctlc_oom_guard guard_;                                                                                        \
        if ((run)->nomem)                                                                                             \
            return CTLC_NOMEM;                                                                                        \
        if (setjmp(guard_.env)) {                                                                                     \
            (run)->nomem = true;                                                                                      \
            return CTLC_NOMEM;                                                                                        \
        }                                                                                                             \
        ctlc_oom_push(&guard_);                                                                                       \
        ctlc_status status_ = (call);                                                                                 \
        ctlc_oom_pop(&guard_);                                                                                        \
        return status_;                                                                                               \
    } while (0)

#endif
