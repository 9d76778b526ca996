/* serve/watchdog.h: the thread that gives up on handlers past --timeout
 * (watchdog.c). */
#ifndef CTL_SERVE_WATCHDOG_H
#define CTL_SERVE_WATCHDOG_H

/* The watchdog thread's function (arg: the serve). It ends once serve is
 * stopping and no runner is alive. */
void *ctli_serve_watchdog_main(void *arg);

#endif
