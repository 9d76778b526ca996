/* client/async.h: the async-delivery core (async.c): Lambda's rule for
 * Event invocations, in one place for every runtime that runs them (the
 * in-process transport, serve).
 *
 * An event is accepted (copied, counted against the limits, recorded by the
 * store when there is one), waits in the ready FIFO, is run by one of its
 * user's threads, and ends in exactly one way: it succeeded, or it went to
 * the failure sink, having failed its controller's number of attempts
 * (RetriesExhausted) or grown older than its controller's max event age
 * before an attempt, which then does not run (EventAgeExceeded). Its
 * controller's destinations get the record of that end (Lambda's
 * invocation record, client/record.h): on success its on_success; on
 * failure its on_failure, instead of the sink. A failed
 * attempt is retried after the policy's delay, from a list ordered by due
 * time. Every
 * event between acceptance and its end is live: a drain waits for the live
 * set to empty, and a store rewrites itself from it.
 *
 * Threads are the users': a worker loops on ctli_async_next() and reports
 * each attempt with ctli_async_finish(). A store's hooks (serve's journal)
 * run under the core's lock in the order below, so a record never lags
 * behind what happened:
 *   accept   before the event is live (and before its user answers 202)
 *   attempt  before each attempt starts
 *   done     after the event ended (succeeded, or its dead letter was
 *            written), once it left the live set
 *
 * An event's end is written before it is done: the record of a success or
 * failure that goes to a file (a destination's KIND-NAME.jsonl, the dead-
 * letter file through the sink). When that write fails (a full disk, an
 * unwritable file) the event stays live, its end decided, and a worker
 * writes it again after a delay that doubles from CTLI_ASYNC_END_RETRY_MS
 * up to CTLI_ASYNC_END_RETRY_MAX_MS (ctli_async_next does it, between
 * events); the done hook runs once it is written. A core stopping tries
 * each such write once more: with a store, an event it still cannot write
 * stays live (parked: the store keeps it, a restart ends it again); without
 * one, the line goes to stderr (ctli_failure's last) and the event ends.
 * The sink runs outside the lock: its callback may send to the same core.
 *
 * A controller's settings (attempts, max event age, destinations) are read
 * at each decision through ctli_async_max_attempts, ctli_async_max_age_ms
 * and ctli_async_destination, the one rule: the policy's settings hook (serve's event-invoke configs) when
 * it answers, else the controller's table, else the policy's defaults. */
#ifndef CTL_CLIENT_ASYNC_H
#define CTL_CLIENT_ASYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctl/ctl.h"

#include "base/private.h"
#include "client/sink.h"
#include "common/rules.h"

CTLI_BEGIN_PRIVATE

/* ---- the retry policy ------------------------------------------------------------ */

/* Lambda's defaults: two retries; it waits about a minute, then two. Local
 * runs wait 1 and 2 seconds (tests less). An event is kept up to 6 hours. */
#define CTLI_ASYNC_MAX_RETRIES CTLI_RULE_RETRIES_MAX
#define CTLI_ASYNC_DELAY1_MS 1000u
#define CTLI_ASYNC_DELAY2_MS 2000u
#define CTLI_ASYNC_MAX_EVENT_AGE_S CTLI_RULE_EVENT_AGE_MAX_S

/* An event's end that could not be written is written again after this
 * delay, doubled each time up to the max. */
#define CTLI_ASYNC_END_RETRY_MS 100u
#define CTLI_ASYNC_END_RETRY_MAX_MS 10000u

/* Settings that replace a controller's own while they are set: serve's
 * FunctionEventInvokeConfig, put through Lambda's API (serve/config.c) and
 * kept by serve/config_store.c, which installs the hook. A field of 0 is
 * one the config leaves out: Lambda's default for it (the policy's
 * max_retries + 1 attempts; 6 hours), not the spec's, since a config
 * replaces the spec's settings whole, as a Put replaces the config
 * deployed from the spec on Lambda. */
typedef struct ctli_async_settings {
    int max_attempts;           /* 1 + MaximumRetryAttempts (1..3); 0: not in the config */
    int max_event_age_s;        /* MaximumEventAgeInSeconds (60..21600); 0: not in the config */
    /* DestinationConfig's OnSuccess and OnFailure, replacing c's
     * on_success and on_failure (NULL: none, not the spec's, as a Put on
     * Lambda replaces them). The hook's owner keeps them alive until the
     * core is freed (serve interns them for its whole run). */
    const ctl_destination *on_success, *on_failure;
} ctli_async_settings;

/* Asks whether c's settings are replaced right now: true with *out filled,
 * or false (c's own settings hold). The core calls it at every decision
 * (each retry or give-up, each age check before an attempt), from any
 * thread, sometimes under the core's lock: it must not take a lock that is
 * held around calls into the core (serve's s->mu is): a lock-free read or
 * a leaf lock. */
typedef bool (*ctli_async_settings_fn)(void *user, const ctl_controller *c, ctli_async_settings *out);

/* The retry policy of a transport (the client config's, serve's). A
 * controller's settings take precedence where they are set: the settings
 * hook's when it answers true, else the controller's own (ctl_controller's
 * max_attempts and max_event_age_s, from its spec's @retries and
 * @max_event_age). The rule is in ctli_async_max_attempts and
 * ctli_async_max_age_ms, and nowhere else. */
typedef struct ctli_retry_policy {
    int max_retries;            /* attempts after the first, for controllers that do not say; 0: none */
    unsigned delay_ms[2];       /* before retry 1, and before retry 2 and later */
    ctli_async_settings_fn settings; /* NULL: controllers' own settings only */
    void *settings_user;        /* for settings (borrowed) */
} ctli_retry_policy;

/* The policy with every 0 (or negative max_retries) of p replaced: a
 * max_retries of 0 takes the default (-1 means none), delays of 0,0 take
 * the defaults. NULL p: the defaults. */
ctli_retry_policy ctli_retry_policy_or_defaults(const ctli_retry_policy *p);

/* How many attempts an event of controller c (may be NULL) gets, asked
 * now: the settings hook's (its max_attempts, or 1 + p's max_retries when
 * the config leaves it out) when it answers for c; else c's max_attempts
 * when set; else 1 + p's max_retries. */
int ctli_async_max_attempts(const ctli_retry_policy *p, const ctl_controller *c);

/* After `failed` attempts of an event of c (may be NULL) failed (1 = its
 * first), the delay in ms before the next attempt, or -1: give up, the
 * event goes to the sink (RetriesExhausted). */
long ctli_retry_after(const ctli_retry_policy *p, const ctl_controller *c, int failed);

/* How old (ms of wall clock since acceptance) an event of c (may be NULL)
 * may be when an attempt would start, asked now: the settings hook's (its
 * max_event_age_s, or Lambda's 6 hours when the config leaves it out) when
 * it answers for c; else c's max_event_age_s when set; else 6 hours. */
uint64_t ctli_async_max_age_ms(const ctli_retry_policy *p, const ctl_controller *c);

/* Where the record of an event of c (may be NULL) that ended goes, asked
 * now: on success (failure false) or failure: the settings hook's
 * destination when it answers for c, else c's own (on_success,
 * on_failure); NULL: none. */
const ctl_destination *ctli_async_destination(const ctli_retry_policy *p, const ctl_controller *c, bool failure);

/* ---- events -------------------------------------------------------------------------- */

/* One accepted event. Users read its fields; the core writes them. An
 * event is one block of memory: its body and a NUL, then this struct
 * (aligned), then its name when the name is a copy, then its trace. The block is a copy
 * the core made, or the buffer a sender wrote the event in
 * (ctli_async_accept_buf), taken over instead of copied. */
typedef struct ctli_event {
    struct ctli_event *next;                  /* the ready FIFO or the delayed list */
    struct ctli_event *live_prev, *live_next; /* the live set */
    uint64_t id;                              /* the store's id (journal); 0 without a store */
    uint64_t seq;                             /* its number in this core (1, 2, ...): the local
                                                 request id of its records */
    const ctl_controller *controller;         /* what runs it; NULL for a restored event of a
                                                 controller no longer served */
    const char *name;                         /* its controller's name (controller's, or a copy
                                                 in this allocation) */
    const char *trace;                        /* the trace header it carries, in this allocation,
                                                 or NULL: the accepting thread's (ctli_trace_current),
                                                 a restored event's from the store */
    struct ctli_sendgroup *group;             /* the send group of the accepting thread
                                                 (codec/ctx.h), counted in while the event is
                                                 live and made its runner's while it runs; or
                                                 NULL */
    uint64_t accepted_ms;                     /* wall clock (ms since the epoch) of its first
                                                 acceptance (a restored event's from the store) */
    uint64_t due_ms;                          /* a retry's start (ctli_now_ms's clock) */
    int attempts;                             /* attempts started */
    int mode;                                 /* ctli_async_mode */
    struct ctli_ending *ending;               /* its end, decided but not yet written (a failed
                                                 write, retried); NULL otherwise */
    size_t len;
    char *body;                               /* len bytes, a NUL: the start of the block */
} ctli_event;

/* What happens to an accepted event. */
typedef enum ctli_async_mode {
    CTLI_QUEUE_NOW,             /* into the ready FIFO at once */
    CTLI_QUEUE_LATER,           /* live, but queued only by ctli_async_queue() (serve: after its 202) */
    CTLI_RUN_HERE,              /* run by its accepter on its own thread: ctli_async_start() before each
                                   attempt (false: the event ended instead); a retry comes back to it
                                   at once, without the delay */
    CTLI_QUEUE_RECORD           /* as CTLI_QUEUE_NOW, and accepted while the core stops as long as
                                   events are live: the invocation record of an event's end, sent
                                   (send_record) while that event is still live, so a drain runs it */
} ctli_async_mode;

/* How an attempt ended the event, or did not. */
typedef enum ctli_async_end {
    CTLI_ASYNC_SUCCEEDED,       /* done; the event is the core's (freed, or live until its record
                                   is written) */
    CTLI_ASYNC_RETRY,           /* it waits for a retry (CTLI_RUN_HERE: its owner runs it now) */
    CTLI_ASYNC_SUNK             /* it failed for good, went to the sink; the event is the core's
                                   (freed, or live until its dead letter is written) */
} ctli_async_end;

/* ---- the core ------------------------------------------------------------------------ */

typedef struct ctli_async ctli_async;

/* Persistence hooks, called under the core's lock (see the top). accept
 * records the event and sets e->id; returning -1 (errno set) refuses it.
 * done gets the core to iterate its live set (ctli_async_live_next) when
 * it rewrites itself. */
typedef struct ctli_async_store {
    void *self;
    int (*accept)(void *self, ctli_event *e);
    void (*attempt)(void *self, const ctli_event *e);
    void (*done)(void *self, ctli_async *q, const ctli_event *e);
} ctli_async_store;

/* Where failed events go: a callback that usually hands them to a
 * ctli_sink (the client's, or serve's): 0 when the failure is written (or
 * needs no writing), -1 when it could not be (the core keeps the event and
 * calls again later with f->again). */
typedef int (*ctli_async_sink_fn)(void *user, const ctli_failure *f);

/* Told how each attempt ended, before the event can leave the live set (so
 * a drain that returns has seen every outcome): counters. */
typedef void (*ctli_async_outcome_fn)(void *user, ctli_async_end how);

typedef struct ctli_async_config {
    ctli_retry_policy retry;    /* as given (the client's zeros-for-defaults: ctli_retry_policy_or_defaults) */
    size_t max_live;            /* events live at once; 0: no limit */
    size_t max_live_bytes;      /* their bytes; 0: no limit */
    ctli_async_sink_fn sink;    /* required */
    ctli_async_outcome_fn outcome; /* may be NULL */
    void *user;                 /* for sink, outcome, send_record and request_id */
    const ctli_async_store *store; /* NULL: in memory only (copied) */
    /* Destinations (ctl_controller's on_success and on_failure): the
     * record of an event's end (client/record.h) goes to a controller
     * through send_record (an Event of the same transport; NULL: such a
     * destination cannot be reached), to an external target as one line
     * of records_dir/KIND-NAME.jsonl (NULL: "."). A failure's record that
     * a destination took does not reach the sink. */
    ctl_status (*send_record)(void *user, const char *controller, const char *record, size_t len);
    const char *records_dir;
    bool records_sync;          /* fsync each record line (serve's --fsync) */
    const char *arn_region;     /* the region of the records' functionArn; NULL: "local" */
    void (*request_id)(void *user, const ctli_event *e, char out[40]); /* the record's requestId;
                                   NULL: the core's local form (ctli_record_local_id) */
} ctli_async_config;

/* NULL when out of memory. Free with ctli_async_free() once no thread uses
 * it; events still live are freed with it. */
ctli_async *ctli_async_new(const ctli_async_config *config);
void ctli_async_free(ctli_async *q);

/* Accepts an event of controller c under name (NULL: c's), copying its len
 * bytes and the calling thread's trace (ctli_trace_current, codec/ctx.h): CTL_OK, or CTL_ERR_THROTTLED (a limit), CTL_ERR_SHUTDOWN
 * (stopping), CTL_ERR_NOMEM, CTL_ERR_IO (the store could not record it;
 * errno set). With CTLI_QUEUE_LATER and CTLI_RUN_HERE, *out is the event,
 * which the caller keeps; with CTLI_QUEUE_NOW and CTLI_QUEUE_RECORD out may be NULL, and *out is
 * NULL (a worker may have ended the event already). */
ctl_status ctli_async_accept(ctli_async *q, const ctl_controller *c, const char *name, const char *event,
                             size_t len, ctli_async_mode mode, ctli_event **out);

/* The same, taking the event's len bytes from the sender's buffer b
 * (ctl/gen.h) instead of copying them: on CTL_OK b's memory is the event's
 * and b is emptied; on an error b keeps its bytes (its capacity may have
 * grown). The in-process transport's path for stubs, which write each
 * event into a buffer of their own: the caller's thread allocates, copies
 * and frees one block less per send. */
ctl_status ctli_async_accept_buf(ctli_async *q, const ctl_controller *c, const char *name, ctl_buf *b,
                                 ctli_async_mode mode, ctli_event **out);

/* An event the store held when the process started (already recorded;
 * attempts_started of its attempts had begun; first accepted at wall-clock
 * accepted_ms, or 0 when the store did not record it: its age then counts
 * from now), with the trace it carried (NULL: none; copied): live,
 * CTLI_QUEUE_LATER, so that the caller queues it or gives it up
 * (ctli_async_give_up). NULL when out of memory. Limits do not
 * apply. */
ctli_event *ctli_async_restore(ctli_async *q, const ctl_controller *c, const char *name, uint64_t id,
                               const char *event, size_t len, int attempts_started, uint64_t accepted_ms,
                               const char *trace);

/* A CTLI_QUEUE_LATER event joins the ready FIFO. */
void ctli_async_queue(ctli_async *q, ctli_event *e);

/* Waits for a ready event, or a delayed one that is due, and starts its
 * attempt (attempts + 1, the store's attempt hook). An event past its max
 * event age is not started: it goes to the sink (EventAgeExceeded) and
 * the wait goes on. NULL once the core is stopping and nothing is live. */
ctli_event *ctli_async_next(ctli_async *q);

/* Starts an attempt of a CTLI_RUN_HERE event (as ctli_async_next does):
 * true; or false when the event is past its max event age, and so ended
 * in the sink and was freed. */
bool ctli_async_start(ctli_async *q, ctli_event *e);

/* Reports how e's attempt went: status CTL_OK, or an error with its type
 * and message (NULL: the status's own type, ""). The event succeeds, waits
 * for a retry, or goes to the sink (RetriesExhausted), as the policy and
 * its controller say. */
ctli_async_end ctli_async_finish(ctli_async *q, ctli_event *e, ctl_status status, const char *error_type,
                                 const char *error_message);

/* The same from the attempt's response (its body is the success record's
 * responsePayload). */
ctli_async_end ctli_async_finish_response(ctli_async *q, ctli_event *e, const ctl_response *resp);

/* Ends e in the sink at once with that error and condition (NULL: none;
 * see ctli_failure), without a retry (a restored event that cannot or must
 * not run again). Its attempts are at least 1. */
void ctli_async_give_up(ctli_async *q, ctli_event *e, const char *condition, const char *error_type,
                        const char *error_message);

/* For a watchdog that gives up on an attempt still running: a copy of e
 * takes e's place in the live set and its attempt fails with the error
 * (retry or sink, as ctli_async_finish); e becomes the running thread's
 * own, which frees it with ctli_async_discard() and reports nothing.
 * false when out of memory: e stays live until its thread reports. */
bool ctli_async_take_over(ctli_async *q, ctli_event *e, const char *error_type, const char *error_message);
void ctli_async_discard(ctli_event *e);

/* No more acceptances; ctli_async_next() returns NULL to every worker once
 * nothing is live. */
void ctli_async_stop(ctli_async *q);

/* Waits until nothing is live (the drain). */
void ctli_async_wait_idle(ctli_async *q);

/* Waits until every live event is one whose end is decided but could not
 * be written yet (nothing else to run): before ctli_async_stop, so that a
 * client that closes does not wait forever for an unwritable file. */
void ctli_async_wait_settled(ctli_async *q);

/* How many events are live. */
size_t ctli_async_live_count(ctli_async *q);

/* The live events in acceptance order: pass NULL for the first; NULL after
 * the last. Only for a core with a store (others do not link the set, which
 * costs a sender time), from a store hook (the lock is held) or while no
 * other thread uses q. */
const ctli_event *ctli_async_live_next(const ctli_async *q, const ctli_event *after);

CTLI_END_PRIVATE

#endif
