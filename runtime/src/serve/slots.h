/* serve/slots.h: the HTTP threads' records (slots.c). */
#ifndef CTL_SERVE_SLOTS_H
#define CTL_SERVE_SLOTS_H

#include "base/private.h"
#include "serve/state.h"

CTLI_BEGIN_PRIVATE

/* MHD's connection notifications: the owning HTTP thread's record keeps
 * the connection's socket, so that a hung call can release the others. */
void ctli_serve_on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                              enum MHD_ConnectionNotificationCode code);

/* Under s->mu: r waits on a runner or in the queue, and its thread's
 * record holds it until it completes (hold); it completed (unhold). */
void ctli_serve_hold(req *r);
void ctli_serve_unhold(req *r);

/* The calling HTTP thread's record, or NULL (not an HTTP thread, or out of
 * memory when it was made). */
inline_slot *ctli_serve_my_slot(void);

CTLI_END_PRIVATE

#endif
