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

/* The Runtime API loop's transport: attached to client at once, made by
 * ctli_invoke_new (config NULL) at the first send or call (invoke_lazy.c),
 * so that libcurl and libcrypto are loaded then, not at the start. When it
 * cannot be made, each send goes to the failure sink and each call fails,
 * with the status ctli_invoke_new gave and "the Lambda transport could not
 * start: " its reason; it is not tried again. */
ctl_status ctli_invoke_attach_lazily(ctl_client *client);

CTLI_END_PRIVATE

#endif
