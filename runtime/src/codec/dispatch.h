/* codec/dispatch.h: dispatch entries for libctl's transports (dispatch.c). */
#ifndef CTL_CODEC_DISPATCH_H
#define CTL_CODEC_DISPATCH_H

#include <stddef.h>

#include "ctl/ctl.h"

#include "codec/ctx.h"

/* ctl_dispatch with what the transports know: the user pointer handlers
 * see and how many times the event was tried before. */
ctl_status ctli_dispatch_attempt(const ctl_controller *c, const char *event, size_t len, ctl_client *client,
                                void *user, int attempt, ctl_response *resp);

/* ctl_dispatch for the Lambda runtime loop: handlers see meta (borrowed for
 * the call) through the ctx accessors. */
ctl_status ctli_dispatch_meta(const ctl_controller *c, const char *event, size_t len, ctl_client *client,
                             const ctli_invocation_meta *meta, ctl_response *resp);

/* Frees the calling thread's cached invocation context (worker threads and
 * ctl_main call it before they end). */
void ctli_thread_release(void);

#endif
