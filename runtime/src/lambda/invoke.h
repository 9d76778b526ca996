/* lambda/invoke.h: the Lambda Invoke transport (invoke.c). Made by
 * ctl_client_use_lambda(); the client reaches it through its transport
 * table (client/transport.h) only. */
#ifndef CTL_LAMBDA_INVOKE_H
#define CTL_LAMBDA_INVOKE_H

#include <stddef.h>

#include "ctl/ctl.h"

#include "base/private.h"
#include "client/transport.h"

CTLI_BEGIN_PRIVATE

/* Reads config (NULL: none) and the environment and starts the transport
 * thread. CTL_OK with *out set, or an error with the reason in why (never
 * a secret). Its free flushes, stops the thread and frees; its flush
 * returns at once on the transport thread, and a call from there fails with
 * CTL_ERR_USAGE (the failure sink's callback runs there: either would wait
 * for itself). */
ctl_status ctli_invoke_new(const ctli_transport_hooks *hooks, const ctl_lambda_config *config, ctli_transport **out,
                           char *why, size_t why_cap);

CTLI_END_PRIVATE

#endif
