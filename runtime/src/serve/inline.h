/* serve/inline.h: RequestResponse calls on the HTTP thread itself, for
 * functions that proved quick (inline.c). */
#ifndef CTL_SERVE_INLINE_H
#define CTL_SERVE_INLINE_H

#include <stddef.h>
#include <stdint.h>

#include "base/private.h"
#include "serve/state.h"

CTLI_BEGIN_PRIVATE

/* Runs r (prepared, of a quick function) on this HTTP thread and answers
 * it; on a runner instead when no thread would be left free to accept. */
enum MHD_Result ctli_serve_run_inline(serve *s, req *r);

/* The watchdog, under s->mu, for r overrunning on slot's thread: answers
 * Lambda's timeout error on the socket and closes it, closes the thread's
 * other connections, queues their accepted events and takes them out of
 * the drain's count; no call runs on an HTTP thread again. */
void ctli_serve_rescue_inline(serve *s, inline_slot *slot, req *r);

CTLI_END_PRIVATE

#endif
