/* serve/watchdog.h: the thread that gives up on handlers past --timeout
 * (watchdog.c). */
#ifndef CTL_SERVE_WATCHDOG_H
#define CTL_SERVE_WATCHDOG_H

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* The watchdog thread's function (arg: the serve). It ends once serve is
 * stopping and no runner is alive. While clients are connected it also
 * pokes the HTTP threads every CTLI_SERVE_POKE_MS (watchdog.c says why). */
void *ctli_serve_watchdog_main(void *arg);

CTLI_END_PRIVATE

#endif
