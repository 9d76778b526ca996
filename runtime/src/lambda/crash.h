/* lambda/crash.h: crash reports of the Runtime API loop (crash.c). */
#ifndef CTL_LAMBDA_CRASH_H
#define CTL_LAMBDA_CRASH_H

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* init resolves the Runtime API's address (HOST:PORT), makes a slot for
 * each of the loop's pollers (0 .. pollers-1) reporting for controller
 * (the function's, an identifier) and installs the signal handlers; end
 * removes them and frees the slots, once no poller arms any more. init
 * returns 0, or -1 when it cannot. Only the process that called init
 * reports: a forked child's crash is not an invocation's.
 *
 * A poller thread calls thread_start first (its alternate signal stack,
 * so that a stack overflow in a handler is reported too: the stack, or
 * NULL when none could be set) and thread_end with it before it ends.
 *
 * arm prepares its slot's error POST for a request (its id already
 * URL-escaped, at most CTLI_RTAPI_ID_PATH_MAX bytes) before the handler
 * runs, disarm ends it after the answer. arm returns 0, or -1 when it
 * cannot (also when a thread is already reporting a crash). */
int ctli_crash_init(const char *api, const char *controller, int pollers);
void ctli_crash_end(void);
void *ctli_crash_thread_start(void);
void ctli_crash_thread_end(void *stack);
int ctli_crash_arm(int slot, const char *request_id_escaped);
void ctli_crash_disarm(int slot);

CTLI_END_PRIVATE

#endif
