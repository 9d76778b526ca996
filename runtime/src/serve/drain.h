/* serve/drain.h: the end of `BIN serve` on SIGTERM or SIGINT (drain.c). */
#ifndef CTL_SERVE_DRAIN_H
#define CTL_SERVE_DRAIN_H

#include <signal.h>
#include <stdbool.h>

#include "base/private.h"
#include "serve/state.h"

CTLI_BEGIN_PRIVATE

/* Waits for one of sigs (blocked in every thread), sets s->draining while
 * it is still pending, then takes it; returns it. */
int ctli_serve_wait_signal(serve *s, const sigset_t *sigs);

/* Is SIGTERM or SIGINT pending (sent, and not yet taken by the main
 * thread)? A request that starts must be refused when it is, or when
 * s->draining is set: checked in this order (the main thread sets draining
 * before it takes the signal), so one of the two sees a signal sent
 * before. */
bool ctli_serve_stop_pending(void);

/* Stops accepting (the listening socket closes; a request that starts now
 * gets 503), waits for the requests routed to a handler or the queue, then
 * refuses what still routes (503), waits until every routed request is
 * answered, and stops MHD. Returns true when MHD was left running: one of
 * its threads is stuck in a handler that may never return. */
bool ctli_serve_drain_requests(serve *s);

/* Stops the runners: with wait, once the event queue is empty (retries
 * included) and every runner has ended; else at once. */
void ctli_serve_stop_runners(serve *s, bool wait);

CTLI_END_PRIVATE

#endif
