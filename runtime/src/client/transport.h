/* client/transport.h: the interface between a ctl_client and its
 * transports (the in-process one, the Lambda Invoke one): a table of
 * functions each transport fills, and the hooks through which a transport
 * tells its client what became of the sends. Neither side sees the
 * other's internals. */
#ifndef CTL_CLIENT_TRANSPORT_H
#define CTL_CLIENT_TRANSPORT_H

#include <stddef.h>

#include "ctl/ctl.h"

#include "base/private.h"
#include "client/sink.h"

CTLI_BEGIN_PRIVATE

/* Where an invocation goes, as the client routed it. */
typedef struct ctli_target {
    const char *controller;         /* the controller's name */
    const ctl_controller *table;    /* in-process: its dispatch table; else NULL */
    const char *function;           /* remote: the Lambda FunctionName (checked); else NULL */
} ctli_target;

typedef struct ctli_transport ctli_transport;

typedef struct ctli_transport_ops {
    /* Queues an Event invocation, copying the event: CTL_OK once accepted
     * (it then ends acknowledged or in the failure sink), else
     * CTL_ERR_SHUTDOWN or CTL_ERR_NOMEM. own is NULL, or the buffer
     * (ctl/gen.h) the event is the bytes of, which the transport may take
     * instead of copying them: it then empties own, on CTL_OK only. */
    ctl_status (*send)(ctli_transport *t, const ctli_target *to, const char *event, size_t len, ctl_buf *own);
    /* A RequestResponse invocation: fills *resp as ctl_dispatch() does. */
    ctl_status (*call)(ctli_transport *t, const ctli_target *to, const char *event, size_t len,
                       ctl_response *resp);
    /* Waits until every send made before it is handed off for good; NULL
     * when a send is handed off once accepted. */
    void (*flush)(ctli_transport *t);
    /* Waits until every send so far has ended; NULL when flush says it. */
    void (*drain)(ctli_transport *t);
    /* As drain, except for events whose only business left is a line that
     * cannot be written now (the dead-letter file): before free, which
     * gives those a last try. NULL: drain. */
    void (*settle)(ctli_transport *t);
    /* Flushes, stops and frees. */
    void (*free)(ctli_transport *t);
} ctli_transport_ops;

/* The first member of every transport. */
struct ctli_transport {
    const ctli_transport_ops *ops;
};

/* What became of one attempt of a send, for the client's counters. */
typedef enum ctli_count { CTLI_COUNT_SUCCEEDED, CTLI_COUNT_RETRIED, CTLI_COUNT_FAILED } ctli_count;

/* Given to a transport when it is made (copied). */
typedef struct ctli_transport_hooks {
    void *owner;
    /* A send failed for good: to the client's failure sink. 0, or -1 when
     * its dead letter could not be written (ctli_sink_put): a transport
     * that keeps the event calls again later with f->again, one that
     * cannot sets f->last. */
    int (*sunk)(void *owner, const ctli_failure *f);
    /* An attempt of a send ended: it succeeded, will be retried, or failed
     * for good (after sunk). */
    void (*counted)(void *owner, ctli_count what);
    /* What handlers of in-process controllers see: ctl_ctx_client(), and
     * ctl_ctx_user() (read at each dispatch: it may be set later). */
    ctl_client *client;
    void *const *user;
    /* The store @idempotent functions claim keys in (read at each dispatch:
     * it is opened when such a controller is registered); NULL: none. */
    const struct ctli_idem_store *const *idem;
    /* Sends an event through the client, routed as ctl_client_send routes
     * it: the records of the core's destinations that are controllers. */
    ctl_status (*send)(void *owner, const char *controller, const char *event, size_t len);
} ctli_transport_hooks;

CTLI_END_PRIVATE

#endif
