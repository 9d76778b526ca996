/* serve/events.h: serve's Event invocations on the async core, with the
 * journal as its store (events.c). */
#ifndef CTL_SERVE_EVENTS_H
#define CTL_SERVE_EVENTS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/private.h"
#include "serve/state.h"

CTLI_BEGIN_PRIVATE

/* Makes s->events (Lambda's retries per s->opt, the 429 limits) with the
 * journal s->journal as its store and s->sink (the dead-letter file) as its
 * sink. 0, or -1 when out of memory. */
int ctli_serve_events_open(serve *s);

/* Frees the core and the sink. */
void ctli_serve_events_close(serve *s);

/* Runs the journal's replay into the core: every event accepted and not
 * ended is queued, or dead-lettered when its controller is no longer
 * served or its last attempt was running when the process ended. The
 * number of live events found, or -1 with err set. */
long ctli_serve_events_replay(serve *s, char *err, size_t cap);

/* Rewrites the journal with the live events only (start-up, and after a
 * clean drain); not while workers run. */
void ctli_serve_events_compact(serve *s);

/* Accepts r's event (len bytes of JSON text): journaled and live, queued
 * only once its 202 is out (ctli_serve_event_release). Caller holds
 * s->mu. CTL_OK; CTL_ERR_THROTTLED (the 429 limits), CTL_ERR_IO (the
 * journal refused it, errno set) or CTL_ERR_NOMEM. */
ctl_status ctli_serve_event_accept(serve *s, req *r, const char *body, size_t len);

/* Whether an Invoke's payload (len bytes) is UTF-8 text, as Lambda
 * requires of JSON before it runs or accepts anything: true; or false with
 * *out Lambda's answer, 400 InvalidRequestContentException ("Could not
 * parse request body into json: Could not parse payload into json: Invalid
 * UTF-8 start byte 0x97"). For Event and RequestResponse alike: nothing
 * is journaled, nothing runs. */
bool ctli_serve_payload_ok(serve *s, req *r, const char *body, size_t len, enum MHD_Result *out);

/* r's accepted event, if any, joins the queue. Caller holds s->mu. */
void ctli_serve_event_release(serve *s, req *r);

/* An async worker's loop: runs events until the core is stopped and
 * empty, or until the watchdog gave up on the thread (then true). */
bool ctli_serve_events_work(runner *w);

CTLI_END_PRIVATE

#endif
