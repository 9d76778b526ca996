/* serve/runners.h: the threads that run handlers (runners.c). */
#ifndef CTL_SERVE_RUNNERS_H
#define CTL_SERVE_RUNNERS_H

#include <stdbool.h>

#include "serve/state.h"

/* Under s->mu: starts a sync runner or an async worker (detached), counted
 * in s->alive_sync or s->alive_async. 0, or -1 when no thread starts. */
int ctli_serve_spawn_runner(serve *s, bool sync);

#endif
