/* serve/runners.h: the threads that run handlers (runners.c). */
#ifndef CTL_SERVE_RUNNERS_H
#define CTL_SERVE_RUNNERS_H

#include <stdbool.h>

#include "base/private.h"
#include "serve/state.h"

CTLI_BEGIN_PRIVATE

/* Under s->mu: starts a detached thread running work (sync.c's
 * ctli_serve_calls_work for a sync runner, events.c's ctli_serve_events_work
 * for an async worker), counted in s->alive_sync or s->alive_async; it
 * ends when work returns. 0, or -1 when no thread starts. */
int ctli_serve_spawn_runner(serve *s, bool sync, bool (*work)(runner *w));

CTLI_END_PRIVATE

#endif
