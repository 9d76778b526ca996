/* serve/drain.h: the end of `BIN serve` on SIGTERM or SIGINT (drain.c). */
#ifndef CTL_SERVE_DRAIN_H
#define CTL_SERVE_DRAIN_H

#include <stdbool.h>

#include "base/private.h"
#include "serve/state.h"

CTLI_BEGIN_PRIVATE

/* Stops accepting (the listening socket closes; a request that starts now
 * gets 503), waits for the requests routed to a handler or the queue, and
 * stops MHD. Returns true when MHD was left running: one of its threads is
 * stuck in a handler that may never return. */
bool ctli_serve_drain_requests(serve *s);

/* Stops the runners: with wait, once the event queue is empty (retries
 * included) and every runner has ended; else at once. */
void ctli_serve_stop_runners(serve *s, bool wait);

CTLI_END_PRIVATE

#endif
