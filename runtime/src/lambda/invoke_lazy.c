/* lambda/invoke_lazy.c: the Runtime API loop's Lambda transport, made at
 * its first send or call rather than at the loop's start (invoke.h). Until
 * then nothing of libcurl or libcrypto is loaded (aws_libs.h): a
 * controller that may call Lambda starts as one that calls nobody. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "client/client.h"
#include "codec/response.h"
#include "lambda/invoke.h"

typedef struct lazy {
    ctli_transport base;
    ctli_transport_hooks hooks;
    pthread_mutex_t mu;
    ctli_transport *real;       /* NULL until the first send or call made it */
    ctl_status failed;          /* CTL_OK, or why it could not be made (then never tried again) */
    char why[300];
} lazy;

/* The transport, made on first use; NULL when it could not be. */
static ctli_transport *real_of(lazy *z)
{
    pthread_mutex_lock(&z->mu);
    if (!z->real && z->failed == CTL_OK) {
        char why[256];
        z->failed = ctli_invoke_new(&z->hooks, NULL, &z->real, why, sizeof why);
        if (z->failed != CTL_OK)
            snprintf(z->why, sizeof z->why, "the Lambda transport could not start: %s", why);
    }
    ctli_transport *t = z->real;
    pthread_mutex_unlock(&z->mu);
    return t;
}

static ctl_status lazy_send(ctli_transport *t, const ctli_target *to, const char *event, size_t len, ctl_buf *own)
{
    lazy *z = (lazy *)t;
    ctli_transport *real = real_of(z);
    if (real)
        return real->ops->send(real, to, event, len, own);
    /* Accepted, and failed for good at once: to the failure sink, as a send
     * whose attempts all failed. */
    ctli_failure f = { to->controller, event, len, 1, ctl_status_error_type(z->failed), z->why, NULL, false, true };
    (void)z->hooks.sunk(z->hooks.owner, &f);
    z->hooks.counted(z->hooks.owner, CTLI_COUNT_FAILED);
    return CTL_OK;
}

static ctl_status lazy_call(ctli_transport *t, const ctli_target *to, const char *event, size_t len,
                            ctl_response *resp)
{
    lazy *z = (lazy *)t;
    ctli_transport *real = real_of(z);
    if (real)
        return real->ops->call(real, to, event, len, resp);
    return ctli_response_error(resp, z->failed, NULL, z->why);
}

static void lazy_flush(ctli_transport *t)
{
    lazy *z = (lazy *)t;
    pthread_mutex_lock(&z->mu);
    ctli_transport *real = z->real;
    pthread_mutex_unlock(&z->mu);
    if (real && real->ops->flush)
        real->ops->flush(real);
}

static void lazy_drain(ctli_transport *t)
{
    lazy *z = (lazy *)t;
    pthread_mutex_lock(&z->mu);
    ctli_transport *real = z->real;
    pthread_mutex_unlock(&z->mu);
    if (real && real->ops->drain)
        real->ops->drain(real);
    else if (real && real->ops->flush)
        real->ops->flush(real);
}

static void lazy_free(ctli_transport *t)
{
    lazy *z = (lazy *)t;
    if (z->real)
        z->real->ops->free(z->real);
    pthread_mutex_destroy(&z->mu);
    free(z);
}

static const ctli_transport_ops lazy_ops = { lazy_send, lazy_call, lazy_flush, lazy_drain, NULL, lazy_free };

ctl_status ctli_invoke_attach_lazily(ctl_client *client)
{
    if (!client)
        return CTL_ERR_USAGE;
    lazy *z = calloc(1, sizeof *z);
    if (!z)
        return ctli_client_fail(client, CTL_ERR_NOMEM, "out of memory attaching the Lambda transport");
    z->base.ops = &lazy_ops;
    z->hooks = ctli_client_hooks(client);
    pthread_mutex_init(&z->mu, NULL);
    if (ctli_client_attach_remote(client, &z->base) != CTL_OK) {
        lazy_free(&z->base);
        return ctli_client_fail(client, CTL_ERR_USAGE, "the client uses Lambda already");
    }
    return CTL_OK;
}
