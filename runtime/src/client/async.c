/* client/async.c: the async-delivery core: the retry policy and the event
 * age, the ready FIFO and the delayed list, the live set, and the end of
 * every event in success or the sink, with its record to the controller's
 * destination. See async.h. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/gen.h"

#include "base/clock.h"
#include "base/plural.h"
#include "client/async.h"
#include "client/function_name.h"
#include "client/record.h"
#include "codec/ctx.h"

struct ctli_async {
    ctli_async_config cfg;
    ctli_async_store store;     /* zeros without one */
    pthread_mutex_t mu;
    pthread_cond_t work;        /* an event is ready, a retry is due earlier, nothing is live, or stopping */
    pthread_cond_t idle;        /* nothing is live */
    ctli_event *ready, *ready_tail;
    ctli_event *delayed;        /* by due time */
    ctli_event *live_head, *live_tail; /* linked only with a store, which reads it */
    size_t nlive, live_bytes;
    size_t nending;             /* live events whose end is decided, its write failed (e->ending) */
    size_t parked;              /* of those, the ones a stopping core leaves to its store */
    bool stopping;
    bool records_failing;       /* a record's line could not be written (said once) */
    uint64_t seq;               /* events accepted */
    uint64_t id_hi;             /* the local request ids' random part */
};

/* ---- the retry policy ---------------------------------------------------------------- */

ctli_retry_policy ctli_retry_policy_or_defaults(const ctli_retry_policy *p)
{
    ctli_retry_policy r = { .max_retries = 0 };
    if (p)
        r = *p;
    if (r.max_retries == 0)
        r.max_retries = CTLI_ASYNC_MAX_RETRIES;
    else if (r.max_retries < 0)
        r.max_retries = 0;
    if (r.delay_ms[0] == 0 && r.delay_ms[1] == 0) {
        r.delay_ms[0] = CTLI_ASYNC_DELAY1_MS;
        r.delay_ms[1] = CTLI_ASYNC_DELAY2_MS;
    }
    return r;
}

/* The settings that replace c's own right now, if any (the hook). */
static bool replaced(const ctli_retry_policy *p, const ctl_controller *c, ctli_async_settings *out)
{
    return p && p->settings && c && p->settings(p->settings_user, c, out);
}

int ctli_async_max_attempts(const ctli_retry_policy *p, const ctl_controller *c)
{
    ctli_async_settings o;
    if (replaced(p, c, &o))
        return o.max_attempts > 0 ? o.max_attempts : 1 + p->max_retries;
    return c && c->max_attempts > 0 ? c->max_attempts : 1 + p->max_retries;
}

long ctli_retry_after(const ctli_retry_policy *p, const ctl_controller *c, int failed)
{
    if (failed >= ctli_async_max_attempts(p, c))
        return -1;
    return (long)p->delay_ms[failed <= 1 ? 0 : 1];
}

uint64_t ctli_async_max_age_ms(const ctli_retry_policy *p, const ctl_controller *c)
{
    ctli_async_settings o;
    int seconds;
    if (replaced(p, c, &o))
        seconds = o.max_event_age_s > 0 ? o.max_event_age_s : CTLI_ASYNC_MAX_EVENT_AGE_S;
    else
        seconds = c && c->max_event_age_s > 0 ? c->max_event_age_s : CTLI_ASYNC_MAX_EVENT_AGE_S;
    return (uint64_t)seconds * 1000u;
}

const ctl_destination *ctli_async_destination(const ctli_retry_policy *p, const ctl_controller *c, bool failure)
{
    ctli_async_settings o;
    if (replaced(p, c, &o))
        return failure ? o.on_failure : o.on_success;
    return !c ? NULL : failure ? c->on_failure : c->on_success;
}

/* Whether e is too old for an attempt to start now: the one check, before
 * every attempt (ctli_async_next, ctli_async_start). */
static bool too_old(const ctli_async *q, const ctli_event *e)
{
    uint64_t now = ctli_wall_ms();
    return now > e->accepted_ms && now - e->accepted_ms > ctli_async_max_age_ms(&q->cfg.retry, e->controller);
}

/* ---- an event's block ----------------------------------------------------------------- */

/* How an event ended, kept while its line cannot be written: everything
 * the line is made of again, in one block. */
struct ctli_ending {
    bool success;
    bool told;                  /* the sink had it once (its callback is not called again) */
    const char *condition;      /* static; NULL: none */
    const char *error_type, *error_message; /* in this block, or NULL */
    const char *response;       /* success: its JSON text, in this block, or NULL */
    size_t response_len;
    unsigned delay_ms;          /* before the next try */
};

/* Where the struct lies in a block whose body is len bytes: after the body
 * and its NUL, aligned. */
static size_t header_at(size_t len)
{
    size_t align = _Alignof(ctli_event);
    return (len + 1 + align - 1) / align * align;
}

/* The bytes after the struct: a copy of the name, when it is not c's
 * (static) name. */
static size_t name_bytes(const ctl_controller *c, const char *name)
{
    bool own = !c || (name != c->name && strcmp(name, c->name) != 0);
    return own ? strlen(name) + 1 : 0;
}

/* The size of a block, or 0 when it would not fit in a size_t. */
static size_t block_size(size_t len, size_t nlen)
{
    if (len > SIZE_MAX / 2 || nlen > SIZE_MAX / 4)
        return 0;
    return header_at(len) + sizeof(ctli_event) + nlen;
}

/* Then the trace's copy, when there is one. */
static size_t trace_bytes(const char *trace)
{
    return trace ? strlen(trace) + 1 : 0;
}

/* Makes block (len bytes of body, block_size() long) an event. */
static ctli_event *event_init(char *block, const ctl_controller *c, const char *name, size_t nlen,
                              const char *trace, size_t tlen, size_t len, ctli_async_mode mode)
{
    ctli_event *e = (ctli_event *)(void *)(block + header_at(len));
    e->next = e->live_prev = e->live_next = NULL;
    e->id = e->seq = 0;
    e->controller = c;
    e->group = NULL;
    e->accepted_ms = ctli_wall_ms();
    e->due_ms = 0;
    e->attempts = 0;
    e->mode = (int)mode;
    e->ending = NULL;
    e->len = len;
    e->body = block;
    block[len] = '\0';
    e->name = nlen ? memcpy((char *)(e + 1), name, nlen) : c->name;
    e->trace = tlen ? memcpy((char *)(e + 1) + nlen, trace, tlen) : NULL;
    return e;
}

/* A new event: a copy of body. */
static ctli_event *event_new(const ctl_controller *c, const char *name, const char *trace, const char *body,
                             size_t len, ctli_async_mode mode)
{
    size_t nlen = name_bytes(c, name), tlen = trace_bytes(trace), size = block_size(len, nlen + tlen);
    char *block = size ? malloc(size) : NULL;
    if (!block)
        return NULL;
    if (len)
        memcpy(block, body, len);
    return event_init(block, c, name, nlen, trace, tlen, len, mode);
}

static void event_free(ctli_event *e)
{
    free(e->ending);
    free(e->body);
}

/* A copy of x in one block, or NULL when out of memory. */
static struct ctli_ending *ending_copy(const struct ctli_ending *x)
{
    size_t tl = x->error_type ? strlen(x->error_type) + 1 : 0, ml = x->error_message ? strlen(x->error_message) + 1 : 0,
           rl = x->response ? x->response_len + 1 : 0;
    struct ctli_ending *k = malloc(sizeof *k + tl + ml + rl);
    if (!k)
        return NULL;
    *k = *x;
    char *p = (char *)(k + 1);
    if (tl)
        k->error_type = memcpy(p, x->error_type, tl), p += tl;
    if (ml)
        k->error_message = memcpy(p, x->error_message, ml), p += ml;
    if (rl) {
        memcpy(p, x->response, x->response_len);
        p[x->response_len] = '\0';
        k->response = p;
    }
    return k;
}

/* ---- the core -------------------------------------------------------------------------- */

ctli_async *ctli_async_new(const ctli_async_config *config)
{
    ctli_async *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    q->cfg = *config;
    if (config->store)
        q->store = *config->store;
    q->cfg.store = NULL;
    /* Not secret, only unlikely to repeat: the clocks and where q is. */
    q->id_hi = (ctli_wall_ms() << 20) ^ ctli_now_ms() ^ (uint64_t)(uintptr_t)q * 0x9e3779b97f4a7c15u;
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->work, NULL);
    pthread_cond_init(&q->idle, NULL);
    return q;
}

void ctli_async_free(ctli_async *q)
{
    if (!q)
        return;
    /* What is still live: all of it from the live list when linked, else
     * what waits in the queues (a running event is its worker's). */
    if (q->store.done) {
        for (ctli_event *e = q->live_head, *next; e; e = next) {
            next = e->live_next;
            event_free(e);
        }
    } else {
        for (ctli_event *e = q->ready, *next; e; e = next) {
            next = e->next;
            event_free(e);
        }
        for (ctli_event *e = q->delayed, *next; e; e = next) {
            next = e->next;
            event_free(e);
        }
    }
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->work);
    pthread_cond_destroy(&q->idle);
    free(q);
}

/* The rest under q->mu. */

static void live_add(ctli_async *q, ctli_event *e)
{
    q->nlive++;
    q->live_bytes += e->len;
    if (!q->store.done)
        return; /* nobody reads the list */
    e->live_next = NULL;
    e->live_prev = q->live_tail;
    if (q->live_tail)
        q->live_tail->live_next = e;
    else
        q->live_head = e;
    q->live_tail = e;
}

/* Puts by in e's place in the live list (by NULL: takes e out). */
static void live_replace(ctli_async *q, ctli_event *e, ctli_event *by)
{
    ctli_event *prev = e->live_prev, *next = e->live_next;
    if (by) {
        by->live_prev = prev;
        by->live_next = next;
    }
    if (prev)
        prev->live_next = by ? by : next;
    else
        q->live_head = by ? by : next;
    if (next)
        next->live_prev = by ? by : prev;
    else
        q->live_tail = by ? by : prev;
    e->live_prev = e->live_next = NULL;
}

static void live_remove(ctli_async *q, ctli_event *e)
{
    if (q->store.done)
        live_replace(q, e, NULL);
    q->nlive--;
    q->live_bytes -= e->len;
    if (q->nlive == q->nending) {
        /* A drain may end (nothing live), or a close that waits for the
         * events that can still run; so may the workers of a stopping core
         * (only then: waking idle workers for nothing costs a sender
         * time). */
        pthread_cond_broadcast(&q->idle);
        if (q->stopping && q->nlive == q->parked)
            pthread_cond_broadcast(&q->work);
    }
}

static void push_ready(ctli_async *q, ctli_event *e)
{
    e->next = NULL;
    if (q->ready_tail)
        q->ready_tail->next = e;
    else
        q->ready = e;
    q->ready_tail = e;
    pthread_cond_signal(&q->work);
}

static void push_delayed(ctli_async *q, ctli_event *e)
{
    ctli_event **at = &q->delayed;
    while (*at && (*at)->due_ms <= e->due_ms)
        at = &(*at)->next;
    e->next = *at;
    *at = e;
    /* A worker waiting for a later retry must wait less now. */
    pthread_cond_signal(&q->work);
}

/* The attempt is on record before it starts: if it takes the process
 * down, a restart counts it. */
static void start_locked(ctli_async *q, ctli_event *e)
{
    e->attempts++;
    if (q->store.attempt)
        q->store.attempt(q->store.self, e);
}

/* Makes e live, unless a limit, the store or a stop refuses it (the
 * caller then frees or keeps its block). */
static ctl_status accept_event(ctli_async *q, ctli_event *e, ctli_async_mode mode, ctli_event **out)
{
    pthread_mutex_lock(&q->mu);
    ctl_status status = CTL_OK;
    if (q->stopping && !(mode == CTLI_QUEUE_RECORD && q->nlive > 0))
        status = CTL_ERR_SHUTDOWN;
    else if ((q->cfg.max_live && q->nlive >= q->cfg.max_live) ||
             (q->cfg.max_live_bytes && q->live_bytes + e->len > q->cfg.max_live_bytes))
        status = CTL_ERR_THROTTLED;
    else if (q->store.accept && q->store.accept(q->store.self, e) != 0)
        status = CTL_ERR_IO;
    if (status != CTL_OK) {
        int saved = errno; /* the store's reason */
        pthread_mutex_unlock(&q->mu);
        errno = saved;
        return status;
    }
    e->seq = ++q->seq;
    live_add(q, e);
    /* Counted in before any worker can end it. */
    e->group = ctli_sendgroup_current();
    ctli_sendgroup_add(e->group);
    if (mode == CTLI_QUEUE_NOW || mode == CTLI_QUEUE_RECORD)
        push_ready(q, e);
    else if (out)
        *out = e; /* the caller's: no worker can have it yet */
    pthread_mutex_unlock(&q->mu);
    return CTL_OK;
}

ctl_status ctli_async_accept(ctli_async *q, const ctl_controller *c, const char *name, const char *event,
                             size_t len, ctli_async_mode mode, ctli_event **out)
{
    if (out)
        *out = NULL;
    ctli_event *e = event_new(c, name ? name : c->name, ctli_trace_current(), event, len, mode);
    if (!e)
        return CTL_ERR_NOMEM;
    ctl_status status = accept_event(q, e, mode, out);
    if (status != CTL_OK) {
        int saved = errno;
        event_free(e);
        errno = saved;
    }
    return status;
}

/* Past this much room left in a taken buffer, the block is cut to size
 * before it waits in a queue. */
enum { SLACK_KEPT = 4096 };

ctl_status ctli_async_accept_buf(ctli_async *q, const ctl_controller *c, const char *name, ctl_buf *b,
                                 ctli_async_mode mode, ctli_event **out)
{
    if (out)
        *out = NULL;
    if (!name)
        name = c->name;
    const char *trace = ctli_trace_current();
    size_t len = b->len, nlen = name_bytes(c, name), tlen = trace_bytes(trace), size = block_size(len, nlen + tlen);
    if (b->failed || !size || !ctl_buf_reserve(b, size - len))
        return CTL_ERR_NOMEM;
    if (b->cap - size >= SLACK_KEPT) {
        char *fit = realloc(b->data, size);
        if (fit) {
            b->data = fit;
            b->cap = size;
        }
    }
    ctli_event *e = event_init(b->data, c, name, nlen, trace, tlen, len, mode);
    ctl_status status = accept_event(q, e, mode, out);
    if (status == CTL_OK)
        *b = (ctl_buf)CTL_BUF_INIT; /* the event's now (a worker may have freed it already) */
    return status;
}

ctli_event *ctli_async_restore(ctli_async *q, const ctl_controller *c, const char *name, uint64_t id,
                               const char *event, size_t len, int attempts_started, uint64_t accepted_ms,
                               const char *trace)
{
    ctli_event *e = event_new(c, name, trace, event, len, CTLI_QUEUE_LATER);
    if (!e)
        return NULL;
    e->id = id;
    e->attempts = attempts_started;
    if (accepted_ms)
        e->accepted_ms = accepted_ms;
    pthread_mutex_lock(&q->mu);
    e->seq = ++q->seq;
    live_add(q, e);
    pthread_mutex_unlock(&q->mu);
    return e;
}

void ctli_async_queue(ctli_async *q, ctli_event *e)
{
    pthread_mutex_lock(&q->mu);
    push_ready(q, e);
    pthread_mutex_unlock(&q->mu);
}

static void age_exceeded(ctli_async *q, ctli_event *e);
static void retry_end(ctli_async *q, ctli_event *e, bool last);

ctli_event *ctli_async_next(ctli_async *q)
{
    pthread_mutex_lock(&q->mu);
    ctli_event *e;
    for (;;) {
        uint64_t now = ctli_now_ms();
        while (q->delayed && q->delayed->due_ms <= now) {
            ctli_event *d = q->delayed;
            q->delayed = d->next;
            push_ready(q, d);
        }
        if ((e = q->ready)) {
            q->ready = e->next;
            if (!q->ready)
                q->ready_tail = NULL;
            e->next = NULL;
            if (e->ending) { /* its end, to write again: not an attempt */
                bool last = q->stopping && !q->store.done;
                pthread_mutex_unlock(&q->mu);
                retry_end(q, e, last);
                pthread_mutex_lock(&q->mu);
                continue;
            }
            if (!too_old(q, e))
                break;
            pthread_mutex_unlock(&q->mu);
            age_exceeded(q, e);
            pthread_mutex_lock(&q->mu);
            continue;
        }
        if (q->stopping && q->nlive == q->parked) {
            pthread_mutex_unlock(&q->mu);
            return NULL;
        }
        if (q->delayed)
            ctli_cond_wait_until(&q->work, &q->mu, q->delayed->due_ms);
        else
            pthread_cond_wait(&q->work, &q->mu);
    }
    start_locked(q, e);
    pthread_mutex_unlock(&q->mu);
    return e;
}

bool ctli_async_start(ctli_async *q, ctli_event *e)
{
    if (too_old(q, e)) {
        age_exceeded(q, e);
        return false;
    }
    pthread_mutex_lock(&q->mu);
    start_locked(q, e);
    pthread_mutex_unlock(&q->mu);
    return true;
}

/* e ended: out of the live set, the store told, freed, its send group's
 * count down. */
static void end_event(ctli_async *q, ctli_event *e)
{
    ctli_sendgroup *group = e->group;
    pthread_mutex_lock(&q->mu);
    if (e->ending)
        q->nending--;
    live_remove(q, e);
    if (q->store.done)
        q->store.done(q->store.self, q, e);
    pthread_mutex_unlock(&q->mu);
    event_free(e);
    ctli_sendgroup_done(group);
}

/* What became of a record. */
typedef enum { DELIVERED, REFUSED, NOT_WRITTEN } delivery;

/* Says once that record lines cannot be written, and once that they can
 * again. */
static void records_failing(ctli_async *q, bool failing, const char *path, const char *why)
{
    pthread_mutex_lock(&q->mu);
    bool was = q->records_failing;
    q->records_failing = failing;
    pthread_mutex_unlock(&q->mu);
    if (failing && !was)
        fprintf(stderr, "ctl: cannot write a record to %s: %s; the event stays live and the record is written again "
                        "later (said once, until a record is written)\n", path, why);
    else if (!failing && was)
        fprintf(stderr, "ctl: records are written again (%s)\n", path);
}

/* Delivers the record of e's end (the lock not held) to d: DELIVERED;
 * REFUSED after saying why on stderr (d cannot take it: the sink's then);
 * NOT_WRITTEN when its file cannot be written now (the event waits and
 * tries again), unless last: then the record goes to stderr. */
static delivery deliver(ctli_async *q, const ctli_event *e, const ctl_destination *d, const ctli_record *r, bool last)
{
    ctl_buf b = CTL_BUF_INIT;
    ctli_record_write(&b, r);
    const char *why = NULL;
    delivery out = DELIVERED;
    char path[4096];
    if (b.failed) {
        why = "out of memory";
    } else if (d->kind == CTL_DEST_CONTROLLER) {
        ctl_status status = q->cfg.send_record ? q->cfg.send_record(q->cfg.user, d->name, b.data, b.len)
                                               : CTL_ERR_USAGE;
        if (status != CTL_OK)
            why = q->cfg.send_record ? ctl_status_str(status) : "this transport sends no records";
    } else if (ctli_record_path(path, sizeof path, q->cfg.records_dir, d) != 0) {
        why = "the file's path is too long";
    } else {
        ctl_buf_putc(&b, '\n');
        if (b.failed) {
            why = "out of memory";
        } else if (ctli_dead_letter_append(path, b.data, b.len, q->cfg.records_sync) != 0) {
            const char *err = strerror(errno);
            if (last) {
                fprintf(stderr, "ctl: cannot write the %s record of an event of %s to %s: %s; the record was:\n%.*s",
                        r->condition, e->name, path, err, (int)b.len, b.data);
            } else {
                records_failing(q, true, path, err);
                out = NOT_WRITTEN;
            }
        } else {
            records_failing(q, false, path, NULL);
        }
    }
    if (why) {
        fprintf(stderr, "ctl: cannot deliver the %s record of an event of %s to %s %s: %s\n", r->condition, e->name,
                ctli_destination_word(d->kind), d->name, why);
        out = REFUSED;
    }
    ctl_buf_free(&b);
    return out;
}

/* Sends the record of e's end to d, when there is one (none: REFUSED). */
static delivery record_end(ctli_async *q, const ctli_event *e, const ctl_destination *d, const char *condition,
                           const char *response, size_t response_len, const char *error_type,
                           const char *error_message, bool last)
{
    if (!d || !d->name)
        return REFUSED;
    char request_id[40], arn[512];
    if (q->cfg.request_id)
        q->cfg.request_id(q->cfg.user, e, request_id);
    else
        ctli_record_local_id(q->id_hi, e->seq, request_id);
    ctli_function_arn(q->cfg.arn_region && *q->cfg.arn_region ? q->cfg.arn_region : "local", NULL, e->name,
                      "$LATEST", arn, sizeof arn); /* an unknown account, the unpublished version */
    ctli_record r = { condition, request_id, arn, e->attempts, e->body, e->len, response, response_len,
                      error_type, error_message, ctli_wall_ms() };
    return deliver(q, e, d, &r, last);
}

/* Writes e's end x: a success's record to its on-success destination; a
 * failure's to its on-failure destination, or the failure to the sink. 0
 * when written (or nothing to write), -1 when it could not be. */
static int write_end(ctli_async *q, const ctli_event *e, struct ctli_ending *x, bool last)
{
    const ctli_retry_policy *p = &q->cfg.retry;
    if (x->success) {
        if (!e->controller)
            return 0;
        return record_end(q, e, ctli_async_destination(p, e->controller, false), CTLI_SUCCESS, x->response,
                          x->response_len, NULL, NULL, last) == NOT_WRITTEN ? -1 : 0;
    }
    if (x->condition && e->controller) {
        delivery d = record_end(q, e, ctli_async_destination(p, e->controller, true), x->condition, NULL, 0,
                                x->error_type, x->error_message, last);
        if (d != REFUSED)
            return d == DELIVERED ? 0 : -1;
    }
    ctli_failure f = { e->name, e->body, e->len, e->attempts, x->error_type, x->error_message, x->condition,
                       x->told, last };
    x->told = true;
    return q->cfg.sink(q->cfg.user, &f);
}

/* Under the lock: e, whose end could not be written, waits for its next
 * try; or, in a stopping core with a store, stays live for the store
 * (parked) and is not tried again here. */
static void hold_end(ctli_async *q, ctli_event *e)
{
    if (q->stopping && q->store.done) {
        q->parked++;
        if (q->nlive == q->parked)
            pthread_cond_broadcast(&q->work);
        return;
    }
    e->due_ms = ctli_now_ms() + e->ending->delay_ms;
    push_delayed(q, e);
}

static void tell(ctli_async *q, ctli_async_end how);

/* e ended as x says (strings borrowed), its outcome how: its end is
 * written, the outcome told, and it is done; or, when the write fails, it
 * stays live with a copy of x and is written again later (hold_end). */
static void conclude(ctli_async *q, ctli_event *e, struct ctli_ending *x, ctli_async_end how)
{
    pthread_mutex_lock(&q->mu);
    bool last = q->stopping && !q->store.done;
    pthread_mutex_unlock(&q->mu);
    int written = write_end(q, e, x, last);
    tell(q, how);
    if (written == 0) {
        end_event(q, e);
        return;
    }
    struct ctli_ending *k = ending_copy(x);
    if (!k) { /* nothing to keep it with: one last try, then stderr */
        write_end(q, e, x, true);
        end_event(q, e);
        return;
    }
    k->delay_ms = CTLI_ASYNC_END_RETRY_MS;
    pthread_mutex_lock(&q->mu);
    e->ending = k;
    q->nending++;
    if (q->nlive == q->nending)
        pthread_cond_broadcast(&q->idle); /* a close may go on */
    hold_end(q, e);
    pthread_mutex_unlock(&q->mu);
}

/* A worker's try at writing e's end again. */
static void retry_end(ctli_async *q, ctli_event *e, bool last)
{
    if (write_end(q, e, e->ending, last) == 0) {
        end_event(q, e);
        return;
    }
    pthread_mutex_lock(&q->mu);
    unsigned d = e->ending->delay_ms * 2;
    e->ending->delay_ms = d < CTLI_ASYNC_END_RETRY_MAX_MS ? d : CTLI_ASYNC_END_RETRY_MAX_MS;
    hold_end(q, e);
    pthread_mutex_unlock(&q->mu);
}

/* e failed for good: its on-failure destination gets the record, or the
 * sink the failure; then the end. */
static void sink_event(ctli_async *q, ctli_event *e, const char *condition, const char *error_type,
                       const char *error_message)
{
    struct ctli_ending x = { false, false, condition, error_type, error_message, NULL, 0, 0 };
    conclude(q, e, &x, CTLI_ASYNC_SUNK);
}

static void tell(ctli_async *q, ctli_async_end how)
{
    if (q->cfg.outcome)
        q->cfg.outcome(q->cfg.user, how);
}

/* An attempt of e failed: a retry, or the sink and the end. */
static ctli_async_end attempt_failed(ctli_async *q, ctli_event *e, const char *error_type,
                                     const char *error_message)
{
    long delay = ctli_retry_after(&q->cfg.retry, e->controller, e->attempts);
    if (delay >= 0) {
        tell(q, CTLI_ASYNC_RETRY);
        if (e->mode == CTLI_RUN_HERE)
            return CTLI_ASYNC_RETRY;
        pthread_mutex_lock(&q->mu);
        e->due_ms = ctli_now_ms() + (uint64_t)delay;
        push_delayed(q, e);
        pthread_mutex_unlock(&q->mu);
        return CTLI_ASYNC_RETRY;
    }
    sink_event(q, e, CTLI_RETRIES_EXHAUSTED, error_type, error_message);
    return CTLI_ASYNC_SUNK;
}

/* e was found too old for its next attempt (the lock not held): the sink
 * and the end, without the attempt. */
static void age_exceeded(ctli_async *q, ctli_event *e)
{
    char message[256];
    snprintf(message, sizeof message,
             "the event was accepted %" PRIu64 " s ago, past the max event age of %" PRIu64
             " s of %s; %d %s had run",
             (ctli_wall_ms() - e->accepted_ms) / 1000, ctli_async_max_age_ms(&q->cfg.retry, e->controller) / 1000,
             e->name, e->attempts, ctli_plural((uintmax_t)e->attempts, "attempt", "attempts"));
    sink_event(q, e, CTLI_EVENT_AGE_EXCEEDED, "ctl.EventAgeExceeded", message);
}

static ctli_async_end finish(ctli_async *q, ctli_event *e, ctl_status status, const char *response,
                             size_t response_len, const char *error_type, const char *error_message)
{
    if (status == CTL_OK) {
        struct ctli_ending x = { true, false, CTLI_SUCCESS, NULL, NULL, response, response_len, 0 };
        conclude(q, e, &x, CTLI_ASYNC_SUCCEEDED);
        return CTLI_ASYNC_SUCCEEDED;
    }
    return attempt_failed(q, e, error_type ? error_type : ctl_status_error_type(status),
                          error_message ? error_message : "");
}

ctli_async_end ctli_async_finish(ctli_async *q, ctli_event *e, ctl_status status, const char *error_type,
                                 const char *error_message)
{
    return finish(q, e, status, NULL, 0, error_type, error_message);
}

ctli_async_end ctli_async_finish_response(ctli_async *q, ctli_event *e, const ctl_response *resp)
{
    return finish(q, e, resp->status, resp->body, resp->body ? resp->len : 0, resp->error_type,
                  resp->error_message);
}

void ctli_async_give_up(ctli_async *q, ctli_event *e, const char *condition, const char *error_type,
                        const char *error_message)
{
    if (e->attempts < 1)
        e->attempts = 1;
    sink_event(q, e, condition, error_type, error_message);
}

bool ctli_async_take_over(ctli_async *q, ctli_event *e, const char *error_type, const char *error_message)
{
    ctli_event *copy = event_new(e->controller, e->name, e->trace, e->body, e->len, (ctli_async_mode)e->mode);
    if (!copy)
        return false;
    copy->id = e->id;
    copy->seq = e->seq;
    copy->group = e->group; /* the copy's end counts it out; e is discarded */
    copy->attempts = e->attempts;
    copy->accepted_ms = e->accepted_ms;
    if (q->store.done) {
        pthread_mutex_lock(&q->mu);
        live_replace(q, e, copy);
        pthread_mutex_unlock(&q->mu);
    }
    attempt_failed(q, copy, error_type, error_message);
    return true;
}

void ctli_async_discard(ctli_event *e)
{
    event_free(e);
}

void ctli_async_stop(ctli_async *q)
{
    pthread_mutex_lock(&q->mu);
    q->stopping = true;
    /* Ends waiting to be written again are tried once more now. */
    for (ctli_event **at = &q->delayed; *at;) {
        ctli_event *e = *at;
        if (e->ending) {
            *at = e->next;
            push_ready(q, e);
        } else {
            at = &e->next;
        }
    }
    pthread_cond_broadcast(&q->work);
    pthread_mutex_unlock(&q->mu);
}

void ctli_async_wait_idle(ctli_async *q)
{
    pthread_mutex_lock(&q->mu);
    while (q->nlive > 0)
        pthread_cond_wait(&q->idle, &q->mu);
    pthread_mutex_unlock(&q->mu);
}

void ctli_async_wait_settled(ctli_async *q)
{
    pthread_mutex_lock(&q->mu);
    while (q->nlive > q->nending)
        pthread_cond_wait(&q->idle, &q->mu);
    pthread_mutex_unlock(&q->mu);
}

size_t ctli_async_live_count(ctli_async *q)
{
    pthread_mutex_lock(&q->mu);
    size_t n = q->nlive;
    pthread_mutex_unlock(&q->mu);
    return n;
}

const ctli_event *ctli_async_live_next(const ctli_async *q, const ctli_event *after)
{
    return after ? after->live_next : q->live_head;
}
