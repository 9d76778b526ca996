/* lambda/invoke.c: the Lambda Invoke transport over libcurl, a transport
 * of the client (client/transport.h), and ctl_client_use_lambda(), which
 * attaches it.
 *
 * One thread per client drives a curl multi handle: requests queued by
 * _send and _call are started as long as fewer than max_in_flight are on
 * the wire, and the multi handle's connection cache keeps connections alive
 * between them. _call queues its request like a send and waits on a
 * condition variable, so there is one code path for signing, retries and
 * answers (invoke_http.c).
 *
 * Retries follow the AWS SDKs' standard mode: at most max_attempts
 * attempts; throttling, 500/502/503/504 and connection errors are retried
 * after a random delay in [0, base * 2^n) capped at 20 s, or after the
 * server's Retry-After; other 4xx never are. A send that fails for good
 * goes to the client's failure sink (the hooks), so nothing accepted is
 * lost silently. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "client/client.h"
#include "client/function_name.h"
#include "codec/ctx.h"
#include "codec/response.h"
#include "lambda/aws_libs.h"
#include "lambda/invoke.h"
#include "lambda/invoke_wire.h"

#define RETRY_CAP_MS 20000u

typedef ctli_invoke_req lreq;

typedef struct ctli_invoke {
    ctli_transport base;
    ctli_transport_hooks hooks;
    ctli_invoke_wire wire;
    unsigned seed;              /* for the jitter; the transport thread's alone */

    CURLM *multi;
    pthread_t thread;
    bool started;
    pthread_mutex_t mu;
    pthread_cond_t cv;          /* a call is done, or the oldest outstanding send ended */
    lreq *incoming, *incoming_tail;
    /* Sends accepted and not yet ended (queued, on the wire or waiting to
     * retry), oldest first. A flush waits for those accepted before it
     * began, not for the list to empty: with other threads sending, it may
     * never be empty. */
    lreq *oldest, *newest;
    uint64_t last_seq;
    bool stopping;

    /* the transport thread's own */
    lreq *delayed;              /* by due time */
    int in_flight;
} ctli_invoke;

/* ---- requests ------------------------------------------------------------------------ */

static void free_req(lreq *r)
{
    if (r->easy)
        ctli_aws_lib.curl_easy_cleanup(r->easy);
    ctli_aws_lib.curl_slist_free_all(r->headers);
    ctl_buf_free(&r->reply.body);
    free(r->controller);
    free(r->url);
    free(r->body);
    free(r->trace);
    free(r);
}

static lreq *make_req(ctli_invoke *l, bool sync, const char *controller, const char *function, const char *event,
                      size_t len)
{
    lreq *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->sync = sync;
    r->retry_after_ms = -1;
    char name_path[CTLI_FUNCTION_PATH_CAP];
    if (strlen(function) > CTLI_FUNCTION_NAME_MAX) {
        free(r);
        return NULL;
    }
    ctli_function_name_encode(function, name_path);
    size_t origin = strlen(l->wire.aws.origin);
    size_t n = origin + strlen(l->wire.aws.base_path) + strlen(name_path) + 40;
    r->url = malloc(n);
    r->body = malloc(len + 1);
    r->controller = controller ? strdup(controller) : NULL;
    /* Made on the sender's thread: the trace of the handler running there. */
    const char *trace = ctli_trace_current();
    r->trace = ctli_invoke_trace_value(trace);
    if (!r->url || !r->body || (controller && !r->controller) || (trace && !r->trace)) {
        free_req(r);
        return NULL;
    }
    snprintf(r->url, n, "%s%s/2015-03-31/functions/%s/invocations", l->wire.aws.origin, l->wire.aws.base_path, name_path);
    r->path = r->url + origin;
    if (len)
        memcpy(r->body, event, len);
    r->body[len] = '\0';
    r->len = len;
    return r;
}

static void enqueue(ctli_invoke *l, lreq *r)
{
    r->next = NULL;
    if (l->incoming_tail)
        l->incoming_tail->next = r;
    else
        l->incoming = r;
    l->incoming_tail = r;
    ctli_aws_lib.curl_multi_wakeup(l->multi);
}

/* own is not taken: the request keeps its own copy. */
static ctl_status invoke_send(ctli_transport *t, const ctli_target *to, const char *event, size_t len,
                              ctl_buf *own)
{
    (void)own;
    ctli_invoke *l = (ctli_invoke *)t;
    lreq *r = make_req(l, false, to->controller, to->function, event, len);
    if (!r)
        return CTL_ERR_NOMEM;
    pthread_mutex_lock(&l->mu);
    if (l->stopping) {
        pthread_mutex_unlock(&l->mu);
        free_req(r);
        return CTL_ERR_SHUTDOWN;
    }
    r->seq = ++l->last_seq;
    /* Counted in before the transport thread can end it. */
    r->group = ctli_sendgroup_current();
    ctli_sendgroup_add(r->group);
    r->older = l->newest;
    if (l->newest)
        l->newest->newer = r;
    else
        l->oldest = r;
    l->newest = r;
    enqueue(l, r);
    pthread_mutex_unlock(&l->mu);
    return CTL_OK;
}

/* True on the transport thread, where the failure sink's callback runs:
 * waiting there for the transport would wait forever. */
static bool on_transport(const ctli_invoke *l)
{
    return l->started && pthread_equal(pthread_self(), l->thread);
}

static ctl_status invoke_call(ctli_transport *t, const ctli_target *to, const char *event, size_t len,
                              ctl_response *resp)
{
    ctli_invoke *l = (ctli_invoke *)t;
    memset(resp, 0, sizeof *resp);
    if (on_transport(l))
        return ctli_response_error(resp, CTL_ERR_USAGE, NULL,
                                  "a sync call from the failure sink's callback (the Lambda transport's thread) "
                                  "would wait for itself");
    lreq *r = make_req(l, true, NULL, to->function, event, len);
    if (!r)
        return ctli_response_error(resp, CTL_ERR_NOMEM, NULL, NULL);
    r->out = resp;
    pthread_mutex_lock(&l->mu);
    if (l->stopping) {
        pthread_mutex_unlock(&l->mu);
        free_req(r);
        return ctli_response_error(resp, CTL_ERR_SHUTDOWN, NULL, "the client is shutting down");
    }
    enqueue(l, r);
    while (!r->done)
        pthread_cond_wait(&l->cv, &l->mu);
    pthread_mutex_unlock(&l->mu);
    ctl_status status = resp->status;
    free_req(r);
    return status;
}

static void invoke_flush(ctli_transport *t)
{
    ctli_invoke *l = (ctli_invoke *)t;
    if (on_transport(l))
        return;
    pthread_mutex_lock(&l->mu);
    uint64_t upto = l->last_seq;
    while (l->oldest && l->oldest->seq <= upto)
        pthread_cond_wait(&l->cv, &l->mu);
    pthread_mutex_unlock(&l->mu);
}

/* Frees what new made, before or after the thread started. */
static void free_invoke(ctli_invoke *l)
{
    ctli_invoke_wire_free(&l->wire);
    if (l->multi)
        ctli_aws_lib.curl_multi_cleanup(l->multi);
    pthread_mutex_destroy(&l->mu);
    pthread_cond_destroy(&l->cv);
    free(l);
}

static void invoke_free(ctli_transport *t)
{
    ctli_invoke *l = (ctli_invoke *)t;
    if (!l)
        return;
    invoke_flush(t);
    pthread_mutex_lock(&l->mu);
    l->stopping = true;
    ctli_aws_lib.curl_multi_wakeup(l->multi);
    pthread_mutex_unlock(&l->mu);
    if (l->started)
        pthread_join(l->thread, NULL);
    free_invoke(l);
}

/* ---- the transport thread ------------------------------------------------------------ */

/* Full jitter: a random time in [0, min(cap, base * 2^n)). */
static uint64_t backoff_ms(ctli_invoke *l, int attempts)
{
    uint64_t ceiling = l->wire.backoff_base_ms;
    for (int i = 1; i < attempts && ceiling < RETRY_CAP_MS; i++)
        ceiling *= 2;
    if (ceiling > RETRY_CAP_MS)
        ceiling = RETRY_CAP_MS;
    return ceiling ? (uint64_t)rand_r(&l->seed) % ceiling : 0;
}

static void push_delayed(ctli_invoke *l, lreq *r)
{
    lreq **at = &l->delayed;
    while (*at && (*at)->due_ms <= r->due_ms)
        at = &(*at)->next;
    r->next = *at;
    *at = r;
}

/* The request has its final outcome: tell whoever waits. */
static void finish(ctli_invoke *l, lreq *r, const ctli_invoke_outcome *o)
{
    if (r->sync) {
        ctl_response *resp = r->out;
        if (o->status == CTL_OK) {
            /* The result's JSON; a 204 (DryRun) or an empty body reads as null. */
            if (r->reply.body.len == 0) {
                ctl_buf_free(&r->reply.body);
                ctl_buf_put(&r->reply.body, "null", 4);
            }
            ctl_buf_putc(&r->reply.body, '\0');
            if (r->reply.body.failed) {
                ctli_response_error(resp, CTL_ERR_NOMEM, NULL, NULL);
            } else {
                resp->status = CTL_OK;
                resp->body = r->reply.body.data;
                resp->len = r->reply.body.len - 1;
                r->reply.body = (ctl_buf)CTL_BUF_INIT;
            }
        } else {
            ctli_response_error(resp, o->status, o->type, o->message);
        }
        pthread_mutex_lock(&l->mu);
        r->done = true;
        pthread_cond_broadcast(&l->cv);
        pthread_mutex_unlock(&l->mu);
        return;
    }
    if (o->status == CTL_OK) {
        l->hooks.counted(l->hooks.owner, CTLI_COUNT_SUCCEEDED);
    } else {
        /* Nothing here keeps the event: a dead letter that cannot be
         * written goes to stderr (last). */
        ctli_failure f = { r->controller, r->body, r->len, r->attempts, o->type, o->message, NULL, false, true };
        (void)l->hooks.sunk(l->hooks.owner, &f);
        l->hooks.counted(l->hooks.owner, CTLI_COUNT_FAILED);
    }
    pthread_mutex_lock(&l->mu);
    if (!r->older)
        pthread_cond_broadcast(&l->cv); /* the oldest ended: a flush may be done */
    if (r->older)
        r->older->newer = r->newer;
    else
        l->oldest = r->newer;
    if (r->newer)
        r->newer->older = r->older;
    else
        l->newest = r->older;
    pthread_mutex_unlock(&l->mu);
    ctli_sendgroup *group = r->group;
    free_req(r);
    ctli_sendgroup_done(group);
}

static void start(ctli_invoke *l, lreq *r)
{
    r->attempts++;
    if (!ctli_invoke_prepare(&l->wire, r) || ctli_aws_lib.curl_multi_add_handle(l->multi, r->easy) != CURLM_OK) {
        ctli_invoke_outcome o = { .status = CTL_ERR_NOMEM };
        snprintf(o.type, sizeof o.type, "%s", ctl_status_error_type(CTL_ERR_NOMEM));
        snprintf(o.message, sizeof o.message, "out of memory preparing the request (or it could not be signed)");
        finish(l, r, &o);
        return;
    }
    l->in_flight++;
}

static void completed(ctli_invoke *l, lreq *r, CURLcode code)
{
    ctli_invoke_outcome o;
    ctli_invoke_judge(&l->wire, r, code, &o);
    ctli_aws_lib.curl_multi_remove_handle(l->multi, r->easy);
    ctli_aws_lib.curl_easy_cleanup(r->easy);
    r->easy = NULL;
    l->in_flight--;
    if (o.status != CTL_OK && o.retry && r->attempts < l->wire.max_attempts) {
        uint64_t wait = r->retry_after_ms >= 0 ? (uint64_t)r->retry_after_ms : backoff_ms(l, r->attempts);
        if (wait > RETRY_CAP_MS)
            wait = RETRY_CAP_MS;
        r->due_ms = ctli_now_ms() + wait;
        push_delayed(l, r);
        if (!r->sync)
            l->hooks.counted(l->hooks.owner, CTLI_COUNT_RETRIED);
        return;
    }
    finish(l, r, &o);
}

static void *transport(void *arg)
{
    ctli_invoke *l = arg;
    for (;;) {
        /* Start what may start: due retries first, then new requests. */
        uint64_t now = ctli_now_ms();
        while (l->in_flight < l->wire.max_in_flight && l->delayed && l->delayed->due_ms <= now) {
            lreq *r = l->delayed;
            l->delayed = r->next;
            start(l, r);
        }
        pthread_mutex_lock(&l->mu);
        lreq *fresh = NULL;
        int room = l->wire.max_in_flight - l->in_flight;
        lreq **tail = &fresh;
        while (room > 0 && l->incoming) {
            lreq *r = l->incoming;
            l->incoming = r->next;
            r->next = NULL;
            *tail = r;
            tail = &r->next;
            room--;
        }
        if (!l->incoming)
            l->incoming_tail = NULL;
        bool more = l->incoming != NULL;
        bool stop = l->stopping && !l->incoming && !fresh && !l->delayed && l->in_flight == 0;
        pthread_mutex_unlock(&l->mu);
        if (stop)
            break;
        while (fresh) {
            lreq *r = fresh;
            fresh = r->next;
            start(l, r);
        }

        int running = 0;
        ctli_aws_lib.curl_multi_perform(l->multi, &running);
        CURLMsg *msg;
        int left;
        while ((msg = ctli_aws_lib.curl_multi_info_read(l->multi, &left))) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            lreq *r = NULL;
            CURLcode code = msg->data.result;
            ctli_aws_lib.curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&r);
            completed(l, r, code);
        }

        /* With every slot taken nothing can start before a transfer ends,
         * which wakes the poll: a due retry or a queued request must not
         * turn it into a loop. */
        int wait = 1000;
        bool has_room = l->in_flight < l->wire.max_in_flight;
        if (more && has_room) {
            wait = 0;
        } else if (l->delayed && has_room) {
            now = ctli_now_ms();
            uint64_t due = l->delayed->due_ms;
            wait = due <= now ? 0 : (due - now < 1000 ? (int)(due - now) : 1000);
        }
        if (wait > 0 || running > 0)
            ctli_aws_lib.curl_multi_poll(l->multi, NULL, 0, wait, NULL);
    }
    return NULL;
}

/* ---- making it --------------------------------------------------------------------------- */

static const ctli_transport_ops invoke_ops = {
    .send = invoke_send,
    .call = invoke_call,
    .flush = invoke_flush,
    .drain = NULL,
    .free = invoke_free,
};

ctl_status ctli_invoke_new(const ctli_transport_hooks *hooks, const ctl_lambda_config *config, ctli_transport **out,
                           char *why, size_t why_cap)
{
    *out = NULL;
    ctli_invoke *l = calloc(1, sizeof *l);
    if (!l) {
        snprintf(why, why_cap, "out of memory");
        return CTL_ERR_NOMEM;
    }
    l->base.ops = &invoke_ops;
    l->hooks = *hooks;
    pthread_mutex_init(&l->mu, NULL);
    pthread_cond_init(&l->cv, NULL);
    ctl_status status = ctli_invoke_wire_init(&l->wire, config, why, why_cap);
    if (status != CTL_OK) {
        free_invoke(l);
        return status;
    }
    l->seed = (unsigned)time(NULL) ^ (unsigned)(uintptr_t)l;
    l->multi = ctli_aws_lib.curl_multi_init();
    if (!l->multi) {
        snprintf(why, why_cap, "out of memory");
        free_invoke(l);
        return CTL_ERR_NOMEM;
    }
    ctli_aws_lib.curl_multi_setopt(l->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)l->wire.max_in_flight);
    ctli_aws_lib.curl_multi_setopt(l->multi, CURLMOPT_MAXCONNECTS, (long)l->wire.max_in_flight);
    if (pthread_create(&l->thread, NULL, transport, l) != 0) {
        snprintf(why, why_cap, "cannot start the Lambda transport thread");
        free_invoke(l);
        return CTL_ERR_NOMEM;
    }
    l->started = true;
    *out = &l->base;
    return CTL_OK;
}

ctl_status ctl_client_use_lambda(ctl_client *client, const ctl_lambda_config *config)
{
    if (!client)
        return CTL_ERR_USAGE;
    if (ctli_client_has_remote(client))
        return ctli_client_fail(client, CTL_ERR_USAGE, "ctl_client_use_lambda: the client uses Lambda already");
    char why[256];
    ctli_transport_hooks hooks = ctli_client_hooks(client);
    ctli_transport *t;
    ctl_status status = ctli_invoke_new(&hooks, config, &t, why, sizeof why);
    if (status != CTL_OK)
        return ctli_client_fail(client, status, "%s", why);
    if (ctli_client_attach_remote(client, t) != CTL_OK) {
        /* Another thread attached one meanwhile. */
        t->ops->free(t);
        return ctli_client_fail(client, CTL_ERR_USAGE, "ctl_client_use_lambda: the client uses Lambda already");
    }
    return CTL_OK;
}
