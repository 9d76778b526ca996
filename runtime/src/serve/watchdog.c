/* serve/watchdog.c: the watchdog: every 20 ms, gives up on handlers past
 * their deadline. A call's caller gets Lambda's timeout error; an event's
 * attempt counts as failed (the core goes on with a copy of the event); a
 * fresh runner takes the stuck one's place, and the stuck thread ends
 * whenever its handler returns. A call that overran on an HTTP thread is
 * answered on its socket (inline.c). And every 200 ms, while clients are
 * connected, a connection to serve's own socket wakes every HTTP thread
 * out of a stall of libmicrohttpd's epoll loop (below). */
#include <stdio.h>

#include "base/clock.h"
#include "codec/response.h"
#include "serve/http.h"
#include "serve/inline.h"
#include "serve/listen.h"
#include "serve/memory.h"
#include "serve/runners.h"
#include "serve/sync.h"
#include "serve/watchdog.h"

/* Under s->mu; w is out of s->runners. */
static void give_up(serve *s, runner *w)
{
    w->abandoned = true;
    s->stuck++;
    if (w->sync) {
        s->alive_sync--;
        if (w->r)
            s->busy_sync--; /* it no longer counts against --concurrency */
    } else {
        s->alive_async--;
    }
    char message[160];
    snprintf(message, sizeof message, "Task timed out after %u.%02u seconds", s->opt.timeout_ms / 1000,
             (s->opt.timeout_ms % 1000) / 10);
    if (w->r) {
        req *r = w->r;
        r->timed_out = true;
        char full[256];
        snprintf(full, sizeof full, "RequestId: %s Error: %s", r->request_id, message);
        ctl_response resp;
        ctli_response_error(&resp, CTL_ERR_HANDLER, "Sandbox.Timedout", full);
        if (r->fn)
            atomic_store(&r->fn->state, FN_SLOW);
        r->on = "runner";
        ctli_serve_call_finished(r, &resp);
    } else if (w->e) {
        /* The stuck thread keeps reading its event: go on with a copy. Without
         * memory for one, the event stays live (and in the journal) until the
         * stuck thread returns and reports how it went. */
        ctli_event *e = w->e;
        uint64_t id = e->id;
        int attempt = e->attempts;
        bool retry = ctli_retry_after(&s->opt.retry, e->controller, attempt) >= 0; /* the rule the core applies */
        if (ctli_async_take_over(s->events, e, "Sandbox.Timedout", message)) {
            w->event_taken = true;
            ctli_serve_log_attempt(s, id, e->controller->name, e->trace, attempt,
                                   ctli_now_us() - s->opt.timeout_ms * 1000ull, "Sandbox.Timedout",
                                   retry ? "retry" : "failed");
        }
    }
    if (ctli_serve_spawn_runner(s, w->sync, w->work) != 0 && s->stuck < s->opt.max_stuck) /* else said */
        fprintf(stderr, "%s serve: cannot start a thread to replace a stuck handler\n", s->prog);
}

/* Under s->mu: does any HTTP thread own a connection? */
static bool connections_open(serve *s)
{
    for (inline_slot *slot = s->slots; slot; slot = slot->next)
        if (slot->nfds > 0)
            return true;
    return false;
}

void *ctli_serve_watchdog_main(void *arg)
{
    serve *s = arg;
    uint64_t next_poke_ms = 0;
    pthread_mutex_lock(&s->mu);
    while (!(s->stopping && s->alive_sync == 0 && s->alive_async == 0)) {
        uint64_t now = ctli_now_ms();
        /* libmicrohttpd's epoll loop (0.9.75 to 1.0.1) drains its events
         * in rounds of 128 (MAX_EVENTS) and waits again after a full
         * round, with the timeout it computed before: when exactly 128
         * were ready, the thread sleeps on them until a new event comes,
         * up to the connection timeout (30 s), and then closes them as
         * timed out. A connection to the listening socket is such an
         * event for every HTTP thread (each polls it), so while clients
         * are connected a poke bounds that stall. */
        if (now >= next_poke_ms) {
            next_poke_ms = now + CTLI_SERVE_POKE_MS;
            if (s->listen_len && !s->draining && connections_open(s)) {
                pthread_mutex_unlock(&s->mu);
                ctli_serve_poke(&s->listen_addr, s->listen_len);
                pthread_mutex_lock(&s->mu);
            }
        }
        for (runner **at = &s->runners; *at;) {
            runner *w = *at;
            if (w->deadline_ms && now >= w->deadline_ms) {
                *at = w->next;
                give_up(s, w);
            } else {
                at = &w->next;
            }
        }
        for (inline_slot *slot = s->slots; slot; slot = slot->next) {
            req *r = atomic_load(&slot->r);
            if (!r || now < atomic_load(&slot->deadline_ms))
                continue;
            req *claimed = r;
            if (!atomic_compare_exchange_strong(&slot->r, &claimed, NULL))
                continue; /* it returned in time */
            ctli_serve_rescue_inline(s, slot, r);
            atomic_store(&slot->rescued, 1);
        }
        pthread_mutex_unlock(&s->mu);
        ctli_serve_memory_tick(s);
        pthread_mutex_lock(&s->mu);
        ctli_cond_wait_until(&s->changed, &s->mu, now + 20);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}
