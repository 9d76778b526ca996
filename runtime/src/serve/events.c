/* serve/events.c: serve's Event invocations on the async core (client/
 * async.c): the journal (journal.c) as the core's store, so that an event
 * is recorded before its 202 and each attempt before it starts, and the
 * end after success or the dead letter; replay and compaction; the async
 * workers' loop under the watchdog's eye. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/utf8.h"
#include "client/client.h"
#include "codec/dispatch.h"
#include "serve/events.h"
#include "serve/http.h"
#include "serve/slots.h"

/* ---- the store and the sink (under the core's lock) --------------------------------- */

static int store_accept(void *self, ctli_event *e)
{
    serve *s = self;
    return ctli_journal_accept(s->journal, e->name, e->body, e->len, e->accepted_ms, e->trace, &e->id);
}

static void store_attempt(void *self, const ctli_event *e)
{
    serve *s = self;
    if (ctli_journal_attempt(s->journal, e->id, e->attempts) != 0)
        fprintf(stderr, "%s serve: cannot write to the journal: %s\n", s->prog, strerror(errno));
}

/* Compaction's view of the live set. */
typedef struct live_iter {
    const ctli_async *q;
    const ctli_event *at;
} live_iter;

static bool next_live(void *user, uint64_t *id, const char **controller, const char **body, size_t *len,
                      int *attempts, uint64_t *accepted_ms, const char **trace)
{
    live_iter *it = user;
    const ctli_event *e = it->at = ctli_async_live_next(it->q, it->at);
    if (!e)
        return false;
    *id = e->id;
    *controller = e->name;
    *body = e->body;
    *len = e->len;
    *attempts = e->attempts;
    *accepted_ms = e->accepted_ms;
    *trace = e->trace;
    return true;
}

static void compact(serve *s, const ctli_async *q)
{
    live_iter it = { q, NULL };
    if (ctli_journal_compact(s->journal, next_live, &it) != 0)
        fprintf(stderr, "%s serve: cannot compact the journal: %s\n", s->prog, strerror(errno));
}

static void store_done(void *self, ctli_async *q, const ctli_event *e)
{
    serve *s = self;
    if (ctli_journal_done(s->journal, e->id) != 0)
        fprintf(stderr, "%s serve: cannot write to the journal: %s (event %" PRIu64 " may run again after a restart)\n",
                s->prog, strerror(errno), e->id);
    if (ctli_journal_wants_compaction(s->journal))
        compact(s, q);
}

/* A dead letter: 0 once written (fsync'd with --fsync), so that the
 * event is done only then; -1 keeps it live (and journaled) for the core
 * to write again. */
static int sink(void *user, const ctli_failure *f)
{
    serve *s = user;
    return ctli_sink_put(&s->sink, f);
}

/* A record for a controller destination: an event of this server's core
 * (journaled like any other), when it serves that controller. */
static ctl_status send_record(void *user, const char *controller, const char *record, size_t len)
{
    serve *s = user;
    const ctl_controller *c = ctli_serve_find_controller(s, controller);
    if (!c) {
        fprintf(stderr, "%s serve: the destination %s is not served here (not in the binary, or left out by --only)\n",
                s->prog, controller);
        return CTL_ERR_USAGE;
    }
    return ctli_async_accept(s->events, c, NULL, record, len, CTLI_QUEUE_RECORD, NULL);
}

/* A record's requestId: the 202's x-amzn-RequestId of its event (after a
 * restart, the same journal id under the new process's random part). */
static void request_id(void *user, const ctli_event *e, char out[40])
{
    ctli_serve_request_id(user, true, e->id, out);
}

/* --destinations, else the dead-letter file's folder. */
static void set_records_dir(serve *s)
{
    const char *dir = s->opt.destination_dir, *dl = s->opt.dead_letter_path ? s->opt.dead_letter_path : "";
    const char *slash = strrchr(dl, '/');
    if (dir && *dir)
        snprintf(s->records_dir, sizeof s->records_dir, "%s", dir);
    else if (!slash)
        snprintf(s->records_dir, sizeof s->records_dir, ".");
    else
        snprintf(s->records_dir, sizeof s->records_dir, "%.*s", slash == dl ? 1 : (int)(slash - dl), dl);
}

/* ---- the core ------------------------------------------------------------------------ */

int ctli_serve_events_open(serve *s)
{
    snprintf(s->sink_who, sizeof s->sink_who, "%s serve", s->prog);
    ctli_sink_init(&s->sink, NULL, NULL, s->opt.dead_letter_path, s->opt.fsync_each, s->sink_who);
    ctli_async_store store = { s, store_accept, store_attempt, store_done };
    ctli_async_config cfg = {
        .retry = s->opt.retry,
        .max_live = CTLI_SERVE_MAX_QUEUED,
        .max_live_bytes = s->opt.max_live_bytes,
        .sink = sink,
        .user = s,
        .store = &store,
        .send_record = send_record,
        .records_dir = s->records_dir,
        .records_sync = s->opt.fsync_each,
        .arn_region = s->region,
        .request_id = request_id,
    };
    set_records_dir(s);
    s->events = ctli_async_new(&cfg);
    if (!s->events) {
        ctli_sink_destroy(&s->sink);
        return -1;
    }
    return 0;
}

void ctli_serve_events_close(serve *s)
{
    if (!s->events)
        return;
    ctli_async_free(s->events);
    s->events = NULL;
    ctli_sink_destroy(&s->sink);
}

static void on_replayed(void *user, uint64_t id, const char *controller, const char *body, size_t len, int attempts,
                        uint64_t accepted_ms, const char *trace)
{
    serve *s = user;
    const ctl_controller *c = ctli_serve_find_controller(s, controller);
    ctli_event *e = ctli_async_restore(s->events, c, controller, id, body, len, attempts, accepted_ms, trace);
    if (!e) {
        fprintf(stderr, "%s serve: out of memory replaying the journal (event %" PRIu64 " stays in it)\n", s->prog, id);
        return;
    }
    char message[256];
    if (!c) {
        snprintf(message, sizeof message,
                 "this server no longer serves a controller named %s (not in the binary, or left out by --only)",
                 controller);
        ctli_async_give_up(s->events, e, NULL, "ctl.UnknownController", message);
    } else if (ctli_retry_after(&s->opt.retry, c, attempts) < 0) {
        /* Its last attempt was running when the process ended (an event
         * that takes the process down ends here instead of looping), or
         * had failed and its dead letter was not written yet: the journal
         * keeps no error, so the line says both. */
        snprintf(message, sizeof message,
                 "the process ended while attempt %d of %d ran, or before that attempt's failure was written",
                 attempts, ctli_async_max_attempts(&s->opt.retry, c));
        ctli_async_give_up(s->events, e, CTLI_RETRIES_EXHAUSTED, "Runtime.ExitError", message);
    } else {
        ctli_async_queue(s->events, e);
    }
}

long ctli_serve_events_replay(serve *s, char *err, size_t cap)
{
    return ctli_journal_replay(s->journal, on_replayed, s, err, cap);
}

void ctli_serve_events_compact(serve *s)
{
    compact(s, s->events);
}

ctl_status ctli_serve_event_accept(serve *s, req *r, const char *body, size_t len)
{
    ctli_event *e;
    ctl_status status = ctli_async_accept(s->events, r->controller, NULL, body, len, CTLI_QUEUE_LATER, &e);
    if (status != CTL_OK)
        return status;
    r->committed = true;
    atomic_fetch_add(&s->committed, 1);
    ctli_serve_hold(r);
    /* Queued when the 202 has gone out (on_completed): a handler that
     * takes the process down cannot cost the client its answer. */
    r->accepted = e;
    return CTL_OK;
}

void ctli_serve_event_release(serve *s, req *r)
{
    if (r->accepted) {
        ctli_async_queue(s->events, r->accepted);
        r->accepted = NULL;
    }
}

/* ---- the door ----------------------------------------------------------------------- */

bool ctli_serve_payload_ok(serve *s, req *r, const char *body, size_t len, enum MHD_Result *out)
{
    /* Outside its strings JSON text is ASCII: one pass over the bytes
     * checks the strings' UTF-8, which libctl's reader lets through. */
    if (ctli_utf8_valid(body, len))
        return true;
    char why[96];
    ctli_utf8_describe(body, len, why, sizeof why);
    *out = ctli_serve_error(s, r, 400, "InvalidRequestContentException", "message",
                            "Could not parse request body into json: Could not parse payload into json: %s", why);
    return false;
}

/* ---- the workers -------------------------------------------------------------------- */

bool ctli_serve_events_work(runner *w)
{
    serve *s = w->s;
    ctli_event *e;
    while ((e = ctli_async_next(s->events))) {
        /* The attempt is on record: the watchdog may give up on it now. */
        pthread_mutex_lock(&s->mu);
        w->e = e;
        w->deadline_ms = ctli_now_ms() + s->opt.timeout_ms;
        pthread_mutex_unlock(&s->mu);

        ctl_response resp;
        ctli_invocation inv = { s->client, NULL, e->attempts - 1, NULL, e->trace, ctli_client_idem_store(s->client),
                                (int64_t)(ctli_wall_ms() + s->opt.timeout_ms), 0 };
        char trace[CTLI_TRACE_MAX + 1]; /* for the log: e may be gone by then */
        snprintf(trace, sizeof trace, "%s", e->trace ? e->trace : "");
        uint64_t start_us = ctli_now_us(), id = e->id;
        int attempt = e->attempts;
        const char *name = e->controller->name; /* static, unlike e once it ended */
        ctl_status status = ctli_dispatch_invocation(e->controller, e->body, e->len, &inv, &resp);

        pthread_mutex_lock(&s->mu);
        w->e = NULL;
        w->deadline_ms = 0;
        bool taken = w->event_taken, abandoned = w->abandoned;
        pthread_mutex_unlock(&s->mu);
        if (taken) /* the watchdog went on with a copy; this one is ours */
            ctli_async_discard(e);
        else { /* late as it may be, the outcome is this thread's to report */
            resp.status = status;
            ctli_async_end end = ctli_async_finish_response(s->events, e, &resp);
            if (end != CTLI_ASYNC_SUCCEEDED) /* every failed attempt, not only the last */
                ctli_serve_log_attempt(s, id, name, trace, attempt, start_us,
                                       resp.error_type ? resp.error_type : ctl_status_error_type(status),
                                       end == CTLI_ASYNC_RETRY ? "retry" : "failed");
        }
        ctl_response_free(&resp);
        if (abandoned)
            return true;
    }
    return false;
}
