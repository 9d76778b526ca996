/* serve/sync.h: RequestResponse calls on sync runners (sync.c). */
#ifndef CTL_SERVE_SYNC_H
#define CTL_SERVE_SYNC_H

#include <stdbool.h>

#include "base/private.h"
#include "serve/state.h"

CTLI_BEGIN_PRIVATE

/* Queues r for a sync runner and suspends its connection; starts a runner
 * when none is idle, up to --concurrency (past it: 429, as Lambda). */
enum MHD_Result ctli_serve_queue_call(serve *s, req *r);

/* A sync runner's loop: runs queued calls until serve stops, or until the
 * watchdog gave up on the thread (then true). */
bool ctli_serve_calls_work(runner *w);

/* Under s->mu: r's outcome is resp (taken); resumes its connection. Called
 * once, by whoever ends the call first: its runner, or the watchdog. */
void ctli_serve_call_finished(req *r, ctl_response *resp);

/* Answers a finished call: 200 with the result or the function's error
 * object (X-Amz-Function-Error), 400 for a body that is not JSON, as
 * Lambda. */
enum MHD_Result ctli_serve_call_answer(serve *s, req *r);

/* Under s->mu: drops a reference to r, freeing it with the last. */
void ctli_serve_req_unref(req *r);

CTLI_END_PRIVATE

#endif
