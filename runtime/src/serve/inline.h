/* serve/inline.h: RequestResponse calls on the HTTP thread itself, for
 * functions that proved quick (inline.c). */
#ifndef CTL_SERVE_INLINE_H
#define CTL_SERVE_INLINE_H

#include <stddef.h>
#include <stdint.h>

#include "serve/state.h"

/* A handoff to a runner costs two thread switches, as much as the rest of
 * a no-op call: a function whose calls kept under 5 ms (8 in a row) runs
 * on the HTTP thread. A call of us microseconds teaches fn (NULL: nothing
 * to learn): a slower one sends it back to learning, the third makes it
 * FN_SLOW for good, as does a timeout. */
void ctli_serve_learn(fn_stat *fn, uint64_t us);

/* Parses r's body (len bytes) into r->ctx, once, and finds the function it
 * names (r->root, r->f; a parse or lookup error stays in r->ctx for the
 * run to answer). Returns that function's stats, or NULL. */
fn_stat *ctli_serve_prepare_call(serve *s, req *r, const char *body, size_t len);

/* MHD's connection notifications: the owning HTTP thread's record keeps
 * the connection's socket, so that a hung call can release the others. */
void ctli_serve_on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                              enum MHD_ConnectionNotificationCode code);

/* Under s->mu: r waits on a runner or in the queue, and its thread's
 * record holds it until it completes (hold); it completed (unhold). */
void ctli_serve_hold(req *r);
void ctli_serve_unhold(req *r);

/* Runs r (prepared, of a quick function) on this HTTP thread and answers
 * it; on a runner instead when no thread would be left free to accept. */
enum MHD_Result ctli_serve_run_inline(serve *s, req *r);

/* The watchdog, under s->mu, for r overrunning on slot's thread: answers
 * Lambda's timeout error on the socket and closes it, closes the thread's
 * other connections, queues their accepted events and takes them out of
 * the drain's count; no call runs on an HTTP thread again. */
void ctli_serve_rescue_inline(serve *s, inline_slot *slot, req *r);

#endif
