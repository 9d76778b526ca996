/* serve/inline.c: the inline fast path of RequestResponse calls: what
 * serve learns of each function, the HTTP threads' records (the call each
 * runs itself, the connections it owns), the call on the HTTP thread, and
 * the watchdog's rescue of one that overran there. */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "base/clock.h"
#include "codec/dispatch.h"
#include "codec/response.h"
#include "serve/events.h"
#include "serve/http.h"
#include "serve/inline.h"
#include "serve/sync.h"

#define FAST_US 5000            /* a call this quick may run on the HTTP thread */
#define FAST_STREAK 8           /* ... once a function had this many in a row */
#define SLOW_STRIKES 3          /* slow calls after which a function stays on runners */

void ctli_serve_learn(fn_stat *fn, uint64_t us)
{
    if (!fn || atomic_load(&fn->state) == FN_SLOW)
        return;
    if (us > FAST_US) {
        atomic_store(&fn->streak, 0);
        if (atomic_fetch_add(&fn->strikes, 1) + 1 >= SLOW_STRIKES)
            atomic_store(&fn->state, FN_SLOW);
        else
            atomic_store(&fn->state, FN_LEARNING);
        return;
    }
    int learning = FN_LEARNING;
    if (atomic_load(&fn->state) == FN_LEARNING && atomic_fetch_add(&fn->streak, 1) + 1 >= FAST_STREAK)
        atomic_compare_exchange_strong(&fn->state, &learning, FN_FAST);
}

fn_stat *ctli_serve_prepare_call(serve *s, req *r, const char *body, size_t len)
{
    size_t k = 0;
    while (k < s->nhosted && s->hosted[k] != r->controller)
        k++;
    if (k == s->nhosted)
        return NULL;
    ctli_invocation inv = { s->client, NULL, 0, NULL };
    ctli_dispatch_begin(&r->ctx, r->controller, &inv);
    r->root = ctli_dispatch_parse(&r->ctx, body, len);
    r->f = ctli_dispatch_find(&r->ctx, r->controller, r->root);
    r->parsed = true;
    return r->f ? &s->fn_stats[k][r->f - r->controller->functions] : NULL;
}

static pthread_key_t http_thread_key;
static pthread_once_t http_thread_once = PTHREAD_ONCE_INIT;
static _Thread_local inline_slot *my_slot;

/* MHD's threads end without telling us: free dispatch's cached context
 * when they do. */
static void http_thread_end(void *slot)
{
    (void)slot;
    ctli_thread_release();
}

static void make_http_thread_key(void)
{
    pthread_key_create(&http_thread_key, http_thread_end);
}

/* The calling HTTP thread's record, made on its first connection; NULL
 * when out of memory (then nothing runs on it, and what it owns is not
 * released when it gets stuck: it cannot, with nothing running there). */
static inline_slot *thread_slot(serve *s)
{
    inline_slot *slot = my_slot;
    if (!slot) {
        pthread_once(&http_thread_once, make_http_thread_key);
        slot = calloc(1, sizeof *slot);
        if (!slot)
            return NULL;
        pthread_mutex_lock(&s->mu);
        slot->next = s->slots;
        s->slots = slot;
        pthread_mutex_unlock(&s->mu);
        pthread_setspecific(http_thread_key, slot);
        my_slot = slot;
    }
    return slot;
}

/* MHD tells the thread that owns a connection (each thread of the pool
 * accepts its own) when it starts and closes: the thread's record keeps
 * its socket, so that a hung call can release the thread's others. */
void ctli_serve_on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                              enum MHD_ConnectionNotificationCode code)
{
    serve *s = cls;
    bool started = code == MHD_CONNECTION_NOTIFY_STARTED;
    inline_slot *slot = started ? thread_slot(s) : *socket_context;
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!slot || !ci)
        return;
    int fd = ci->connect_fd;
    pthread_mutex_lock(&s->mu);
    if (started) {
        if (slot->nfds == slot->cap_fds) {
            size_t cap = slot->cap_fds ? slot->cap_fds * 2 : 64;
            int *bigger = realloc(slot->fds, cap * sizeof *bigger);
            if (bigger) {
                slot->fds = bigger;
                slot->cap_fds = cap;
            }
        }
        if (slot->nfds < slot->cap_fds) {
            slot->fds[slot->nfds++] = fd;
            *socket_context = slot;
        }
    } else {
        for (size_t i = 0; i < slot->nfds; i++)
            if (slot->fds[i] == fd) {
                slot->fds[i] = slot->fds[--slot->nfds];
                break;
            }
        *socket_context = NULL;
    }
    pthread_mutex_unlock(&s->mu);
}

/* Under s->mu: r waits on a runner or in the queue; its thread's record
 * holds it until it completes. */
void ctli_serve_hold(req *r)
{
    inline_slot *slot = r->slot;
    if (!slot)
        return;
    r->held_prev = NULL;
    r->held_next = slot->held;
    if (slot->held)
        slot->held->held_prev = r;
    slot->held = r;
}

void ctli_serve_unhold(req *r)
{
    inline_slot *slot = r->slot;
    if (!slot || (!r->held_prev && slot->held != r))
        return;
    if (r->held_prev)
        r->held_prev->held_next = r->held_next;
    else
        slot->held = r->held_next;
    if (r->held_next)
        r->held_next->held_prev = r->held_prev;
    r->held_prev = r->held_next = NULL;
}

enum MHD_Result ctli_serve_run_inline(serve *s, req *r)
{
    inline_slot *slot = my_slot;
    /* One HTTP thread is always free of handlers, to accept connections. */
    if (!slot || atomic_fetch_add(&s->inline_now, 1) >= s->http_threads - 1) {
        if (slot)
            atomic_fetch_sub(&s->inline_now, 1);
        return ctli_serve_queue_call(s, r);
    }
    r->committed = true;
    atomic_fetch_add(&s->committed, 1);
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    slot->fd = ci ? ci->connect_fd : -1;
    slot->fn = r->fn;
    atomic_store(&slot->deadline_ms, ctli_now_ms() + s->opt.timeout_ms);
    atomic_store(&slot->r, r);
    uint64_t t0 = ctli_now_us();
    ctl_response resp;
    ctli_dispatch_run(&r->ctx, r->controller, r->f, r->root, &resp);
    ctli_ctx_free(&r->ctx);
    uint64_t us = ctli_now_us() - t0;
    atomic_fetch_sub(&s->inline_now, 1);
    req *mine = r;
    if (!atomic_compare_exchange_strong(&slot->r, &mine, NULL)) {
        /* Too late: the watchdog answered the caller and closed the
         * socket. Wait until it is done with r, then close. */
        while (!atomic_load(&slot->rescued))
            sched_yield();
        atomic_store(&slot->rescued, 0);
        ctl_response_free(&resp);
        pthread_mutex_lock(&s->mu);
        s->stuck_http--;
        pthread_mutex_unlock(&s->mu);
        return MHD_NO;
    }
    ctli_serve_learn(r->fn, us);
    r->on = "http";
    r->resp = resp;
    return ctli_serve_call_answer(s, r);
}

/* The watchdog, for a call that overran on an HTTP thread: answers with
 * Lambda's timeout error straight on the socket and closes it (the thread
 * is in the handler, so nothing else touches the socket). Under s->mu, so
 * it never blocks: a client that reads nothing loses the answer, not the
 * server. */
void ctli_serve_rescue_inline(serve *s, inline_slot *slot, req *r)
{
    char message[256], head[512];
    snprintf(message, sizeof message, "RequestId: %s Error: Task timed out after %u.%02u seconds", r->request_id,
             s->opt.timeout_ms / 1000, (s->opt.timeout_ms % 1000) / 10);
    ctl_response resp;
    ctli_response_error(&resp, CTL_ERR_HANDLER, "Sandbox.Timedout", message);
    if (resp.body && slot->fd >= 0) {
        int hn = snprintf(head, sizeof head,
                          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nx-amzn-RequestId: %s\r\n"
                          "X-Amz-Executed-Version: $LATEST\r\nX-Amz-Function-Error: Unhandled\r\n"
                          "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                          r->request_id, resp.len);
        if (send(slot->fd, head, (size_t)hn, MSG_NOSIGNAL | MSG_DONTWAIT) == hn)
            (void)!send(slot->fd, resp.body, resp.len, MSG_NOSIGNAL | MSG_DONTWAIT);
        shutdown(slot->fd, SHUT_RDWR);
    }
    ctl_response_free(&resp);
    if (slot->fn)
        atomic_store(&slot->fn->state, FN_SLOW);
    s->stuck_http++;
    /* Handlers may hang: none runs on an HTTP thread again. The thread's
     * other connections would wait as long as the handler: close them (their
     * clients see the connection drop and retry on a new one, which another
     * thread accepts), and take its requests out of the drain's count. An
     * event among them is queued now, not when its 202 has gone out: its
     * client may retry it (at least once, as in Lambda). */
    atomic_store(&s->inline_off, true);
    for (size_t i = 0; i < slot->nfds; i++)
        if (slot->fds[i] != slot->fd)
            shutdown(slot->fds[i], SHUT_RDWR);
    while (slot->held) {
        req *q = slot->held;
        ctli_serve_unhold(q);
        ctli_serve_event_release(s, q);
        if (q->committed) {
            q->committed = false;
            atomic_fetch_sub(&s->committed, 1);
        }
    }
    r->on = "http";
    ctli_serve_log(s, r, r->controller->name, "RequestResponse", 200, "Sandbox.Timedout");
    fprintf(stderr, "%s serve: a handler of %s overran on an HTTP thread; that thread's other connections are "
                    "closed, and every call now runs on runners\n",
            s->prog, r->controller->name);
}
