/* client/inproc.h: the in-process transport (inproc.c). */
#ifndef CTL_CLIENT_INPROC_H
#define CTL_CLIENT_INPROC_H

#include <stdbool.h>

#include "base/private.h"
#include "client/async.h"
#include "client/transport.h"

CTLI_BEGIN_PRIVATE

typedef struct ctli_inproc_config {
    int workers;                /* threads running events, at least 1 */
    ctli_retry_policy retry;    /* as given */
    bool inline_sends;          /* run each event on its sender's thread, retries at once */
    const char *records_dir;    /* records for external destinations (borrowed): ctli_async_config's */
} ctli_inproc_config;

/* Controllers of this process (the target's table), run through dispatch:
 * sends on worker threads over the async core, calls on the caller's
 * thread. Returns CTL_OK with *out set, or CTL_ERR_NOMEM. The workers
 * start at the first send that queues an event; that send, and the next
 * ones until one succeeds, fail with CTL_ERR_NOMEM when no thread could
 * start. flush is NULL: a send is handed off once queued; drain waits for
 * every event to end; free drains, then stops the workers. */
ctl_status ctli_inproc_new(const ctli_transport_hooks *hooks, const ctli_inproc_config *config,
                           ctli_transport **out);

CTLI_END_PRIVATE

#endif
