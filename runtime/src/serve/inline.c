/* serve/inline.c: the inline fast path of RequestResponse calls: a call of
 * a function that proved quick runs on the HTTP thread itself, and the
 * watchdog rescues one that overran there. */
#include <sched.h>
#include <stdio.h>
#include <sys/socket.h>

#include "base/clock.h"
#include "codec/dispatch.h"
#include "codec/response.h"
#include "serve/events.h"
#include "serve/http.h"
#include "serve/inline.h"
#include "serve/learn.h"
#include "serve/slots.h"
#include "serve/sync.h"

enum MHD_Result ctli_serve_run_inline(serve *s, req *r)
{
    inline_slot *slot = ctli_serve_my_slot();
    /* One HTTP thread is always free of handlers, to accept connections. */
    if (!slot || atomic_fetch_add(&s->inline_now, 1) >= s->http_threads - 1) {
        if (slot)
            atomic_fetch_sub(&s->inline_now, 1);
        return ctli_serve_queue_call(s, r);
    }
    /* Counted, then the drain's end checked: the drain sets closing, then
     * reads the count (drain.c), so it waits for this call or this call
     * sees closing. */
    atomic_fetch_add(&s->committed, 1);
    if (atomic_load(&s->closing)) {
        atomic_fetch_sub(&s->committed, 1);
        atomic_fetch_sub(&s->inline_now, 1);
        return ctli_serve_shutting_down(s, r);
    }
    r->committed = true;
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
