/* serve/sync.c: RequestResponse calls on sync runners: the queue, the
 * runners' loop, the call's end and its answer. */
#include <stdio.h>
#include <stdlib.h>

#include "base/clock.h"
#include "client/client.h"
#include "codec/dispatch.h"
#include "serve/http.h"
#include "serve/learn.h"
#include "serve/memory.h"
#include "serve/runners.h"
#include "serve/slots.h"
#include "serve/sync.h"

void ctli_serve_call_finished(req *r, ctl_response *resp)
{
    r->resp = *resp;
    r->state = R_DONE;
    MHD_resume_connection(r->conn);
}

void ctli_serve_req_unref(req *r)
{
    if (--r->refs > 0)
        return;
    free(r->body);
    ctli_ctx_free(&r->ctx);
    ctl_response_free(&r->resp);
    ctli_serve_release(r->s, r);
    free(r);
}

enum MHD_Result ctli_serve_call_answer(serve *s, req *r)
{
    ctl_response *resp = &r->resp;
    const char *controller = r->controller->name;
    if (resp->status == CTL_ERR_INVALID_JSON) {
        /* Lambda refuses a body that is not JSON before running anything. */
        return ctli_serve_error(s, r, 400, "InvalidRequestContentException", "message",
                                "Could not parse request body into json: %s",
                                resp->error_message ? resp->error_message : "not JSON");
    }
    if (!resp->body) {
        return ctli_serve_error(s, r, 500, "ServiceException", "Message", "out of memory");
    }
    bool failed = resp->status != CTL_OK;
    char *body = resp->body;
    size_t len = resp->len;
    resp->body = NULL;
    ctli_serve_hold_answer(s, r, len);
    ctli_serve_log(s, r, controller, "RequestResponse", 200,
                   failed ? (resp->error_type ? resp->error_type : "?") : NULL);
    return ctli_serve_respond(r, 200, body, len, NULL, failed);
}

enum MHD_Result ctli_serve_queue_call(serve *s, req *r)
{
    pthread_mutex_lock(&s->mu);
    if (atomic_load(&s->closing)) {
        pthread_mutex_unlock(&s->mu);
        return ctli_serve_shutting_down(s, r);
    }
    /* Like Lambda's concurrency: past --concurrency calls running or
     * waiting, 429 as Lambda answers, rather than a queue that waits
     * without a deadline for a runner that may never come (a runner given
     * up on stops counting: its thread is replaced). Below it, runners grow
     * with the calls waiting, so slow or stuck handlers do not hold up
     * others. A runner just started counts as free: it is about to wait
     * for a call. */
    if (s->busy_sync + s->sync_queued >= s->opt.max_sync ||
        (s->sync_queued >= s->alive_sync - s->busy_sync &&
         ctli_serve_spawn_runner(s, true, ctli_serve_calls_work) != 0)) {
        int nstuck = s->stuck, max_stuck = s->opt.max_stuck;
        bool stuck = nstuck >= max_stuck;
        pthread_mutex_unlock(&s->mu);
        if (stuck) {
            char why[200];
            snprintf(why, sizeof why,
                     "Rate Exceeded. (no runner is free, and %d threads are still in handlers that overran: "
                     "--max-stuck %d)",
                     nstuck, max_stuck);
            return ctli_serve_throttled_because(s, r, "ConcurrentInvocationLimitExceeded", why);
        }
        return ctli_serve_throttled(s, r, "ConcurrentInvocationLimitExceeded");
    }
    r->committed = true;
    atomic_fetch_add(&s->committed, 1);
    ctli_serve_hold(r);
    r->state = R_QUEUED;
    r->refs++;
    r->next = NULL;
    if (s->sync_tail)
        s->sync_tail->next = r;
    else
        s->sync_head = r;
    s->sync_tail = r;
    MHD_suspend_connection(r->conn);
    s->sync_queued++;
    pthread_cond_signal(&s->sync_cv);
    pthread_mutex_unlock(&s->mu);
    return MHD_YES;
}

/* Runs r: on the tree the HTTP thread parsed, else from its body. */
static void run_call(serve *s, req *r, ctl_response *resp)
{
    if (r->parsed) {
        ctli_dispatch_run(&r->ctx, r->controller, r->f, r->root, resp);
        ctli_ctx_free(&r->ctx);
        return;
    }
    ctli_invocation inv = { s->client, NULL, 0, NULL, r->trace, ctli_client_idem_store(s->client),
                            (int64_t)(ctli_wall_ms() + s->opt.timeout_ms), r->parse_reserved };
    ctli_dispatch_invocation(r->controller, r->len ? r->body : "{}", r->len ? r->len : 2, &inv, resp);
}

bool ctli_serve_calls_work(runner *w)
{
    serve *s = w->s;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        if (!s->sync_head) {
            if (s->stopping)
                break;
            pthread_cond_wait(&s->sync_cv, &s->mu);
            continue;
        }
        req *r = s->sync_head;
        s->sync_queued--;
        s->busy_sync++;
        s->sync_head = r->next;
        if (!s->sync_head)
            s->sync_tail = NULL;
        w->r = r;
        w->deadline_ms = ctli_now_ms() + s->opt.timeout_ms;
        pthread_mutex_unlock(&s->mu);

        uint64_t t0 = ctli_now_us();
        ctl_response resp;
        run_call(s, r, &resp);
        ctli_serve_learn(r->fn, ctli_now_us() - t0);

        pthread_mutex_lock(&s->mu);
        if (!w->abandoned) {
            s->busy_sync--; /* the watchdog uncounted an abandoned one */
            r->on = "runner";
            ctli_serve_call_finished(r, &resp);
        } else {
            ctl_response_free(&resp);
        }
        ctli_serve_req_unref(r);
        w->r = NULL;
        w->deadline_ms = 0;
        if (w->abandoned) {
            pthread_mutex_unlock(&s->mu);
            return true;
        }
    }
    pthread_mutex_unlock(&s->mu);
    return false;
}
