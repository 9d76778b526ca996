/* serve/state.h: the state of `BIN serve`, shared by serve's files: the
 * server, its HTTP requests, the threads that run handlers, and what it
 * learns of functions. Who holds s->mu for what is said at each field. */
#ifndef CTL_SERVE_STATE_H
#define CTL_SERVE_STATE_H

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "ctl/ctl.h"
#include "ctl/json.h"

#include "base/private.h"
#include "client/async.h"
#include "client/sink.h"
#include "codec/ctx.h"
#include "lambda/sigv4.h"
#include "serve/journal.h"
#include "serve/options.h"

CTLI_BEGIN_PRIVATE

#define CTLI_SERVE_MAX_QUEUED 200000     /* events in memory before 429 */
#define CTLI_SERVE_POKE_MS 200           /* the watchdog's pokes while clients are connected */

typedef struct serve serve;

/* What serve learned of one function's RequestResponse calls (inline.c). */
enum { FN_LEARNING, FN_FAST, FN_SLOW };
typedef struct fn_stat {
    atomic_int state;          /* FN_*; FN_SLOW is for good */
    atomic_int streak;         /* quick calls in a row */
    atomic_int strikes;        /* slow calls so far */
} fn_stat;

typedef enum { R_READING, R_QUEUED, R_DONE, R_ANSWERED } req_state;

/* One HTTP request, from its first header to its completion. */
typedef struct req {
    serve *s;
    struct MHD_Connection *conn;
    struct req *next;          /* sync queue */
    int refs;                  /* MHD's, and a sync runner's while it holds it (under s->mu) */
    req_state state;
    bool too_large;
    char *body;
    size_t len, cap;
    uint64_t received;
    uint64_t start_us;
    const ctl_controller *controller;
    char function[80];         /* the function name as asked, for the log */
    const char *type;          /* the invocation type, for the log (static) */
    const char *on;            /* where a sync call ran: "http" or "runner" (static) */
    /* A sync call parsed on the HTTP thread (to choose where it runs): its
     * tree in ctx, and the function it names (NULL: ctx holds the error). */
    ctl_ctx ctx;
    bool parsed;
    const ctl_json *root;
    const ctl_function *f;
    ctl_response resp;         /* a sync call's outcome */
    fn_stat *fn;               /* the function called, when it was found */
    ctli_event *accepted;      /* an Event accepted, queued once its 202 is out */
    bool timed_out;
    bool committed;            /* counted in s->committed */
    struct inline_slot *slot;  /* the HTTP thread that owns the connection, or NULL */
    struct req *held_prev, *held_next; /* in slot->held while committed and on a runner or queued */
    /* What it holds of the memory budget (memory.c): its body's bytes
     * (counted as being read until body_whole), its parse's arena, and
     * then its sync answer's bytes until they are sent. */
    size_t body_reserved, parse_reserved, answer_reserved;
    bool body_whole;
    char request_id[40];
    /* An Invoke's trace header: the client's X-Amzn-Trace-Id when it keeps
     * the rule (codec/ctx.h), else a new one; "" for other operations. */
    char trace[CTLI_TRACE_MAX + 1];
} req;

/* An HTTP thread's record, for the watchdog: the call it runs itself, and
 * what it owns, which waits while that call hangs. */
typedef struct inline_slot {
    struct inline_slot *next;
    _Atomic(struct req *) r;   /* the call under way, or NULL */
    atomic_ullong deadline_ms;
    atomic_int rescued;        /* the watchdog answered it and is done */
    int fd;
    fn_stat *fn;
    /* Under s->mu: */
    int *fds;                  /* the sockets of the connections it owns */
    size_t nfds, cap_fds;
    struct req *held;          /* its requests handed to a runner or the queue, not completed */
} inline_slot;

/* A thread that runs handlers: a sync runner or an async worker. Under
 * s->mu but for e, which its thread reads while it runs. */
typedef struct runner {
    struct runner *next;
    serve *s;
    bool sync;                 /* a sync runner; else an async worker */
    bool (*work)(struct runner *w); /* its loop: true when it ends abandoned */
    bool abandoned;            /* its handler overran; the thread ends when it returns */
    bool event_taken;          /* abandoned: the watchdog went on with a copy of its event */
    uint64_t deadline_ms;      /* 0 when idle */
    req *r;
    ctli_event *e;
} runner;

struct serve {
    const char *prog;
    const ctl_controller *const *hosted; /* the served controllers */
    size_t nhosted;
    ctli_serve_options opt;
    ctli_sigv4_creds creds;    /* --require-auth */
    char region[64];
    uint64_t started_ms;       /* wall clock at the start: functions' LastModified (discovery.c, config_store.c) */
    struct ctli_serve_config *config; /* the event-invoke configs (config_store.c; set before any thread starts) */

    ctli_journal *journal;     /* events.c's store; its calls are under the core's lock */
    ctli_async *events;        /* the async-delivery core */
    ctli_sink sink;            /* --dead-letters */
    char sink_who[256];        /* "PROG serve", for the sink's messages */
    char records_dir[4096];    /* --destinations, or the dead letters' folder */
    ctl_client *client;        /* what handlers call other controllers through */
    struct MHD_Daemon *daemon;
    struct sockaddr_storage listen_addr; /* where a client reaches the socket: the watchdog's pokes */
    socklen_t listen_len;      /* 0: unknown, no pokes */

    pthread_mutex_t mu;
    pthread_cond_t sync_cv, changed;
    req *sync_head, *sync_tail;
    runner *runners;
    fn_stat **fn_stats;        /* per served controller, per function */
    inline_slot *slots;        /* one per HTTP thread that ran a call itself */
    int stuck_http;            /* HTTP threads stuck in a handler */
    atomic_bool inline_off;    /* an HTTP thread got stuck: no call runs on one again */
    atomic_int inline_now;     /* calls running on HTTP threads */
    int http_threads;          /* MHD's pool; inline calls leave one of them free */
    int alive_sync, alive_async;
    int busy_sync;             /* sync runners running a call (not given up on): the calls running,
                                  what --concurrency bounds; alive_sync - busy_sync are free or
                                  starting */
    int sync_queued;           /* calls waiting for a runner */
    int stuck;                 /* threads still in a handler that overran */
    bool stuck_said;           /* --max-stuck reached, and said on stderr */
    atomic_int committed;      /* requests routed to a handler or the queue, not yet completed:
                                  what a drain waits for (not requests still sending) */
    bool draining;             /* SIGTERM: requests that start now are refused */
    atomic_bool closing;       /* the drain's end: requests that route now are refused (set under
                                  mu, then committed is read: a request counts itself committed,
                                  then reads closing, so one of the two sees the other) */
    bool stopping;             /* runners end once their queue is empty */
    /* --max-request-mb (memory.c), without the lock: */
    atomic_size_t mem_used;    /* reserved by requests in progress */
    atomic_size_t mem_reading; /* of which: bodies still being read */
    atomic_size_t mem_peak;    /* mem_used's peak since the last trim */
    uint64_t id_hi;            /* random, per process: request ids */
    uint64_t next_sync_id;     /* request ids of what is not an event */
};

/* The served controller of that name, or NULL. */
static inline const ctl_controller *ctli_serve_find_controller(const serve *s, const char *name)
{
    for (size_t i = 0; i < s->nhosted; i++)
        if (strcmp(s->hosted[i]->name, name) == 0)
            return s->hosted[i];
    return NULL;
}

CTLI_END_PRIVATE

#endif
