/* lambda/crash.h: crash reports of the Runtime API loop (crash.c). */
#ifndef CTL_LAMBDA_CRASH_H
#define CTL_LAMBDA_CRASH_H

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* init resolves the Runtime API's address (HOST:PORT) and installs the
 * signal handlers; arm prepares the error POST for a request (its id
 * already URL-escaped) and disarm ends it. init and arm return 0, or -1
 * when they cannot (arm: also when a thread is already reporting a crash).
 * Only the process that armed reports: a forked child's crash is not the
 * invocation's. */
int ctli_crash_init(const char *api);
int ctli_crash_arm(const char *api, const char *request_id_escaped, const char *controller);
void ctli_crash_disarm(void);

CTLI_END_PRIVATE

#endif
