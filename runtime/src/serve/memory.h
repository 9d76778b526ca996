/* serve/memory.h: serve's memory budget, --max-request-mb (memory.c):
 * what requests may hold at once: bodies, the parses of them, and sync
 * answers not yet sent. */
#ifndef CTL_SERVE_MEMORY_H
#define CTL_SERVE_MEMORY_H

#include <stdbool.h>
#include <stddef.h>

#include "base/private.h"
#include "serve/state.h"

CTLI_BEGIN_PRIVATE

/* Takes n bytes of the budget for a body being read: false when bodies
 * being read would then hold more than half of it (the other half is
 * kept for requests whose body is whole, so stalled uploads cannot starve
 * them), or the whole budget is taken. */
bool ctli_serve_reserve_body(serve *s, req *r, size_t n);

/* r's body is whole: its bytes no longer count as being read. */
void ctli_serve_body_whole(serve *s, req *r);

/* Takes ctli_parse_cost(n) (codec/ctx.h) for the parse of r's body of n bytes,
 * and sets r's arena limit to it: false when the budget cannot give it. */
bool ctli_serve_reserve_parse(serve *s, req *r, size_t n);

/* r's sync call is answered with n bytes (its parse's arena freed): they
 * take the place of its parse reservation until r is completed (MHD has
 * sent them, or the client left). Taken even past the budget: the bytes
 * exist; meanwhile the full budget refuses new requests. */
void ctli_serve_hold_answer(serve *s, req *r, size_t n);

/* Gives back all r holds (its last reference is going). */
void ctli_serve_release(serve *s, req *r);

/* 429 TooManyRequestsException: the budget cannot take r now. */
enum MHD_Result ctli_serve_memory_throttled(serve *s, req *r);

/* The watchdog's turn (s->mu not held): after a burst, when the budget
 * in use has fallen well below its peak, glibc's malloc gives the freed
 * pages back to the system (malloc_trim), so RSS comes back down. */
void ctli_serve_memory_tick(serve *s);

/* At start: glibc's malloc hands out large blocks (bodies, arena blocks)
 * by mmap at a fixed threshold, so freeing one returns it at once. */
void ctli_serve_memory_setup(void);

CTLI_END_PRIVATE

#endif
