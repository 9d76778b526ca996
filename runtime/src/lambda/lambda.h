/* lambda.h: the Lambda Invoke transport (lambda_invoke.c) and function-name
 * forms (lambda_name.c), private to libctl. client.c routes to it every
 * controller that is not registered in-process. */
#ifndef CTL_LAMBDA_H
#define CTL_LAMBDA_H

#include <stdbool.h>
#include <stddef.h>

#include "ctl/ctl.h"

/* The longest FunctionName Invoke accepts. */
#define CTLI_LAMBDA_NAME_MAX 170
/* Room for a name's path segment, percent-encoded. */
#define CTLI_LAMBDA_PATH_CAP (3 * CTLI_LAMBDA_NAME_MAX + 1)

/* Checks that name is one of the forms Lambda's Invoke accepts (name,
 * name:qualifier, ACCOUNT:function:name[:qualifier], a full ARN with an
 * optional qualifier) and writes it percent-encoded, as botocore sends it,
 * to out (cap >= CTLI_LAMBDA_PATH_CAP). Returns 0, or -1 with the reason in
 * why. */
int ctli_lambda_name_path(const char *name, char *out, size_t cap, char *why, size_t why_cap);

typedef struct ctli_invoke ctli_invoke;

/* Reads config and the environment and starts the transport thread for
 * client. Returns CTL_OK with *out set, or an error with the reason in why
 * (never a secret). Free with ctli_invoke_free(). */
ctl_status ctli_invoke_new(ctl_client *client, const ctl_lambda_config *config, ctli_invoke **out, char *why,
                          size_t why_cap);

/* Queues an Event invocation of the function whose encoded path segment is
 * path, for controller (both copied, as is the event). It ends acknowledged
 * or in the client's failure sink. CTL_ERR_SHUTDOWN once stopping. */
ctl_status ctli_invoke_send(ctli_invoke *l, const char *controller, const char *path, const char *event, size_t len);

/* A RequestResponse invocation, with retries; fills *resp as ctl_dispatch()
 * does (the caller frees it with ctl_response_free()). CTL_ERR_USAGE on the
 * transport thread (the failure sink's callback), which it would wait for. */
ctl_status ctli_invoke_call(ctli_invoke *l, const char *path, const char *event, size_t len, ctl_response *resp);

/* Waits until every send queued before it began is acknowledged or sunk
 * (sends queued meanwhile by other threads do not hold it up). Returns at
 * once on the transport thread (the failure sink's callback). */
void ctli_invoke_flush(ctli_invoke *l);

/* Flushes, stops the thread and frees. NULL is a no-op. */
void ctli_invoke_free(ctli_invoke *l);

/* What the transport tells its client (client.c). */
void ctli_client_sink_remote(ctl_client *client, const char *controller, const char *event, size_t len,
                            int attempts, const ctl_response *resp);
void ctli_client_count(ctl_client *client, int succeeded, int retried, int failed);

#endif
