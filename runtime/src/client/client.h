/* client/client.h: what the layers above see of a ctl_client (client.c):
 * attaching a remote transport, a stub's send, and the client's error
 * text. */
#ifndef CTL_CLIENT_CLIENT_H
#define CTL_CLIENT_CLIENT_H

#include <stdbool.h>

#include "ctl/ctl.h"

#include "base/private.h"
#include "client/transport.h"

CTLI_BEGIN_PRIVATE

/* The hooks a transport made for client must be given. */
ctli_transport_hooks ctli_client_hooks(ctl_client *client);

/* True once a remote transport is attached. */
/* The idempotency store the client opened for its @idempotent functions
 * (borrowed: lives as long as the client), or NULL. */
const struct ctli_idem_store *ctli_client_idem_store(ctl_client *client);

/* Makes store the client's idempotency store in place of the SQLite file
 * of idempotency_path; the client owns it from then on: its free calls
 * close(store->self) after the workers have stopped. CTL_ERR_USAGE (and
 * nothing taken) when the client has a store already: one was given, or a
 * controller with an @idempotent function was registered. */
ctl_status ctli_client_use_idem_store(ctl_client *client, const struct ctli_idem_store *store,
                                      void (*close)(void *self));

bool ctli_client_has_remote(ctl_client *client);

/* Makes t (made with ctli_client_hooks(client)) the transport of every
 * controller not registered in-process; the client frees it. CTL_ERR_USAGE
 * (t not taken) when one is attached already. */
ctl_status ctli_client_attach_remote(ctl_client *client, ctli_transport *t);

/* ctl_client_send() of the event b holds (ctl/gen.h; not failed), letting
 * the transport take b's memory instead of copying it: b is emptied when
 * it is taken (on CTL_OK only), and otherwise stays the caller's. */
ctl_status ctli_client_send_buf(ctl_client *client, const char *controller, ctl_buf *b);

/* Sets the text ctl_client_error() gives on this thread; returns status. */
ctl_status ctli_client_fail(ctl_client *client, ctl_status status, const char *fmt, ...) CTL_PRINTF(3, 4);

CTLI_END_PRIVATE

#endif
