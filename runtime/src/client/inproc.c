/* client/inproc.c: the in-process transport: worker threads over the async
 * core, or each event on its sender's thread (inline_sends), and calls on
 * the caller's thread. An event runs with the trace and the send group it
 * was accepted with (the sender's, ctli_trace_current and
 * ctli_sendgroup_current), a call with its caller's. The workers start at
 * the first send that queues an event, not with the transport: a program
 * that never sends (a leaf controller on Lambda) makes no thread, which was
 * a tenth of a millisecond of its cold start (issue 15). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "client/inproc.h"
#include "codec/dispatch.h"

typedef struct inproc {
    ctli_transport base;
    ctli_transport_hooks hooks;
    bool inline_sends;
    ctli_async *q;
    pthread_t *threads;
    int workers;                /* how many to start */
    int nthreads;               /* how many started (under start_lock) */
    atomic_bool started;        /* some are: the senders' fast path */
    pthread_mutex_t start_lock;
} inproc;

static int sink(void *user, const ctli_failure *f)
{
    inproc *p = user;
    return p->hooks.sunk(p->hooks.owner, f);
}

/* A record for a controller destination: sent through the client, to
 * wherever that controller runs. */
static ctl_status send_record(void *user, const char *controller, const char *record, size_t len)
{
    inproc *p = user;
    return p->hooks.send(p->hooks.owner, controller, record, len);
}

static void outcome(void *user, ctli_async_end how)
{
    inproc *p = user;
    p->hooks.counted(p->hooks.owner, how == CTLI_ASYNC_SUCCEEDED ? CTLI_COUNT_SUCCEEDED
                                     : how == CTLI_ASYNC_RETRY   ? CTLI_COUNT_RETRIED
                                                                 : CTLI_COUNT_FAILED);
}

/* The idempotency store the client has opened, or NULL. */
static const struct ctli_idem_store *idem_store(const inproc *p)
{
    return p->hooks.idem ? *p->hooks.idem : NULL;
}

/* One attempt of e: dispatch, and the core's verdict. The event's send
 * group is the thread's meanwhile: what its handler sends, and the record
 * of its end, belong to the invocation that sent it. */
static ctli_async_end attempt(inproc *p, ctli_event *e)
{
    ctli_sendgroup *outer = ctli_sendgroup_enter(e->group);
    ctl_response resp;
    ctli_invocation inv = { p->hooks.client, *p->hooks.user, e->attempts - 1, NULL, e->trace, idem_store(p), 0, 0 };
    ctl_status status = ctli_dispatch_invocation(e->controller, e->body, e->len, &inv, &resp);
    resp.status = status;
    ctli_async_end how = ctli_async_finish_response(p->q, e, &resp);
    ctl_response_free(&resp);
    ctli_sendgroup_leave(outer);
    return how;
}

static void *worker(void *arg)
{
    inproc *p = arg;
    ctli_event *e;
    while ((e = ctli_async_next(p->q)))
        attempt(p, e);
    ctli_thread_release();
    return NULL;
}

/* Starts the workers unless some are; false when none could start. */
static bool start_workers(inproc *p)
{
    if (atomic_load_explicit(&p->started, memory_order_acquire))
        return true;
    pthread_mutex_lock(&p->start_lock);
    for (int i = p->nthreads; i < p->workers; i++) {
        if (pthread_create(&p->threads[i], NULL, worker, p) != 0)
            break;
        p->nthreads++;
    }
    bool any = p->nthreads > 0;
    atomic_store_explicit(&p->started, any, memory_order_release);
    pthread_mutex_unlock(&p->start_lock);
    return any;
}

/* Accepts the event: takes own's memory when there is one, else copies. */
static ctl_status accept(inproc *p, const ctli_target *to, const char *event, size_t len, ctl_buf *own,
                         ctli_async_mode mode, ctli_event **e)
{
    if (own)
        return ctli_async_accept_buf(p->q, to->table, NULL, own, mode, e);
    return ctli_async_accept(p->q, to->table, NULL, event, len, mode, e);
}

static ctl_status inproc_send(ctli_transport *t, const ctli_target *to, const char *event, size_t len,
                              ctl_buf *own)
{
    inproc *p = (inproc *)t;
    if (!p->inline_sends)
        return start_workers(p) ? accept(p, to, event, len, own, CTLI_QUEUE_NOW, NULL) : CTL_ERR_NOMEM;
    /* Serial, like the hand-written pattern: the event runs now, and its
     * retries too; it ends in success or the sink before _send returns. */
    ctli_event *e;
    ctl_status status = accept(p, to, event, len, own, CTLI_RUN_HERE, &e);
    if (status != CTL_OK)
        return status;
    while (ctli_async_start(p->q, e) && attempt(p, e) == CTLI_ASYNC_RETRY)
        ;
    return CTL_OK;
}

static ctl_status inproc_call(ctli_transport *t, const ctli_target *to, const char *event, size_t len,
                              ctl_response *resp)
{
    inproc *p = (inproc *)t;
    /* On the caller's thread: the callee's handler gets the caller's trace. */
    ctli_invocation inv = { p->hooks.client, *p->hooks.user, 0, NULL, ctli_trace_current(), idem_store(p), 0, 0 };
    return ctli_dispatch_invocation(to->table, event, len, &inv, resp);
}

static void inproc_drain(ctli_transport *t)
{
    ctli_async_wait_idle(((inproc *)t)->q);
}

static void inproc_settle(ctli_transport *t)
{
    ctli_async_wait_settled(((inproc *)t)->q);
}

static void inproc_free(ctli_transport *t)
{
    inproc *p = (inproc *)t;
    if (!p)
        return;
    if (p->q) {
        /* Everything runs to its end; an end that cannot be written (the
         * dead-letter file) is tried once more by the stop, then goes to
         * stderr: waiting for the file would wait forever. */
        ctli_async_wait_settled(p->q);
        ctli_async_stop(p->q);
    }
    for (int i = 0; i < p->nthreads; i++)
        pthread_join(p->threads[i], NULL);
    free(p->threads);
    ctli_async_free(p->q);
    pthread_mutex_destroy(&p->start_lock);
    free(p);
}

static const ctli_transport_ops inproc_ops = {
    .send = inproc_send,
    .call = inproc_call,
    .flush = NULL,
    .drain = inproc_drain,
    .settle = inproc_settle,
    .free = inproc_free,
};

ctl_status ctli_inproc_new(const ctli_transport_hooks *hooks, const ctli_inproc_config *config,
                           ctli_transport **out)
{
    *out = NULL;
    inproc *p = calloc(1, sizeof *p);
    if (!p)
        return CTL_ERR_NOMEM;
    p->base.ops = &inproc_ops;
    p->hooks = *hooks;
    p->inline_sends = config->inline_sends;
    ctli_async_config qc = {
        .retry = config->retry,
        .sink = sink,
        .outcome = outcome,
        .user = p,
        .send_record = hooks->send ? send_record : NULL,
        .records_dir = config->records_dir,
    };
    pthread_mutex_init(&p->start_lock, NULL);
    atomic_init(&p->started, false);
    p->workers = config->workers;
    p->q = ctli_async_new(&qc);
    p->threads = calloc((size_t)config->workers, sizeof *p->threads);
    if (!p->q || !p->threads) {
        inproc_free(&p->base);
        return CTL_ERR_NOMEM;
    }
    *out = &p->base;
    return CTL_OK;
}
