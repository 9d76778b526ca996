/* serve.c: `BIN serve`, the AWS Lambda Invoke API on HTTP for the
 * controllers linked into the binary, so boto3, the AWS CLI and the AWS
 * SDKs call them unchanged (with endpoint_url pointing here).
 *
 *   POST /2015-03-31/functions/{FunctionName}/invocations[?Qualifier=Q]
 *   X-Amz-Invocation-Type: RequestResponse (default) | Event | DryRun
 *
 * Threads: libmicrohttpd runs the sockets on a pool of epoll threads (one
 * per core and one more: each owns its connections, no lock on the hot
 * path). An Event
 * is journaled, answered 202 and run by a pool of async workers. A
 * RequestResponse call suspends its connection and goes to a sync runner,
 * unless its function has proven quick: then it runs on the HTTP thread
 * itself, since the handoff costs as much as a no-op call. A watchdog
 * thread gives up on a handler that runs past --timeout: the caller gets
 * Lambda's timeout error (an event counts it as a failed attempt), a fresh
 * runner takes the stuck one's place, and the stuck thread ends whenever
 * its handler returns.
 *
 * Async events follow Lambda: each failure is retried twice (after
 * --retry-delays), then the event goes to the dead-letter file. Every event
 * is in the journal (journal.c) before its 202 leaves, and each attempt is
 * recorded before it starts, so a restart after SIGKILL runs what was not
 * finished and an event that kills the process ends in the dead letters
 * after three attempts instead of looping. SIGTERM or SIGINT: stop
 * accepting, finish what was accepted, exit 0. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ctl/gen.h"

#include "base/clock.h"
#include "base/hex.h"
#include "client/sink.h"
#include "codec/ctx.h"
#include "codec/dispatch.h"
#include "codec/response.h"
#include "lambda/sigv4.h"
#include "serve/journal.h"
#include "serve/serve.h"

#define SERVE_MAX_RETRIES 2         /* Lambda's rule for async events */
#define SERVE_MAX_SYNC_RUNNERS 1024 /* Lambda's default concurrency, 1,000: --concurrency's default */
#define SERVE_FAST_US 5000            /* a call this quick may run on the HTTP thread */
#define SERVE_FAST_STREAK 8           /* ... once a function had this many in a row */
#define SERVE_SLOW_STRIKES 3          /* slow calls after which a function stays on runners */
#define SERVE_MAX_QUEUED 200000     /* events in memory before 429 */
#define SERVE_QUEUE_MB 256          /* their bytes in memory before 429 (--max-queue-mb) */
#define SERVE_DISCARD_LIMIT (64u * 1024u * 1024u) /* past this, 413 at once and close */

typedef enum { INV_SYNC, INV_EVENT, INV_DRYRUN } inv_type;

/* ---- state -------------------------------------------------------------------------- */

typedef struct serve serve;

/* An accepted async event; lives until it succeeds or is dead-lettered. */
typedef struct event {
    struct event *next;                  /* ready FIFO or delayed list */
    struct event *live_prev, *live_next; /* every event not ended, for compaction */
    uint64_t id;                         /* journal id */
    const ctl_controller *controller;
    int attempts;                        /* attempts started */
    uint64_t due_ms;
    size_t len;
    char body[];                         /* len bytes, then a NUL */
} event;

/* What serve learned of one function's RequestResponse calls. */
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
    int refs;                  /* MHD's, and a sync runner's while it holds it */
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
    ctl_response resp;         /* a sync call's outcome */
    fn_stat *fn;               /* the function called, when it was found */
    struct event *accepted;    /* an Event journaled, queued once its 202 is out */
    bool timed_out;
    bool committed;            /* counted in s->committed */
    struct inline_slot *slot;  /* the HTTP thread that owns the connection, or NULL */
    struct req *held_prev, *held_next; /* in slot->held while committed and on a runner or queued */
    char request_id[40];
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

/* A thread that runs handlers: a sync runner or an async worker. */
typedef struct runner {
    struct runner *next;
    serve *s;
    bool sync;
    bool abandoned;            /* its handler overran; the thread ends when it returns */
    bool event_taken;          /* abandoned: the watchdog went on with a copy of its event */
    uint64_t deadline_ms;      /* 0 when idle */
    req *r;
    event *e;
} runner;

struct serve {
    const char *prog;
    const ctl_controller *const *hosted;
    size_t nhosted;
    /* options */
    int workers;
    unsigned retry_delay_ms[2];
    unsigned timeout_ms;
    int max_sync;              /* --concurrency: sync calls running on runners at once */
    bool quiet, require_auth, fsync_each, no_inline;
    const char *journal_dir, *dead_letter_path;
    const char *only;          /* --only: the controllers served (NULL: all hosted) */
    ctli_sigv4_creds creds;
    char region[64];

    ctli_journal *journal;
    ctl_client *client;        /* what handlers call other controllers through */
    struct MHD_Daemon *daemon;

    pthread_mutex_t mu;
    pthread_cond_t async_cv, sync_cv, changed;
    event *ready, *ready_tail, *delayed;
    event *live;               /* sentinel of the live list */
    size_t nlive;
    size_t live_bytes;         /* the bodies of the live events: what a flood of events costs */
    size_t max_live_bytes;     /* --max-queue-mb */
    req *sync_head, *sync_tail;
    runner *runners;
    fn_stat **fn_stats;        /* per served controller, per function */
    inline_slot *slots;        /* one per HTTP thread that ran a call itself */
    int stuck_http;            /* HTTP threads stuck in a handler */
    atomic_bool inline_off;    /* an HTTP thread got stuck: no call runs on one again */
    atomic_int inline_now;     /* calls running on HTTP threads */
    int http_threads;          /* MHD's pool; inline calls leave one of them free */
    int alive_sync, alive_async;
    int idle_sync;             /* sync runners waiting for a call */
    int sync_queued;           /* calls waiting for a runner */
    int stuck;                 /* threads still in a handler that overran */
    atomic_int committed;      /* requests routed to a handler or the queue, not yet completed:
                                  what a drain waits for (not requests still sending) */
    bool draining;             /* SIGTERM: requests that start now are refused */
    bool stopping;             /* runners end once their queue is empty */
    uint64_t id_hi;            /* random, per process: request ids */
    uint64_t next_sync_id;     /* request ids of what is not an event */
};

/* A request id shaped like Lambda's (a UUID): the process's random part,
 * the kind in the variant digit (8: an event, whose number is its journal
 * id; 9: any other request, numbered by the process) and 60 bits of the
 * number, so no two requests of a process share one (journal ids come from
 * the file and may be anything: they cannot meet the other numbers). */
static void make_request_id(const serve *s, bool event, uint64_t n, char out[40])
{
    snprintf(out, 40, "%08" PRIx32 "-%04" PRIx32 "-4%03" PRIx32 "-%c%03" PRIx32 "-%012" PRIx64,
             (uint32_t)(s->id_hi >> 32), (uint32_t)(s->id_hi >> 16) & 0xffffu, (uint32_t)(s->id_hi >> 4) & 0xfffu,
             event ? '8' : '9', (uint32_t)(n >> 48) & 0xfffu, (uint64_t)(n & 0xffffffffffffu));
}

/* ---- the access log ------------------------------------------------------------------- */

static void access_log(serve *s, const req *r, const char *controller, const char *type, unsigned status,
                       const char *error_type)
{
    if (s->quiet)
        return;
    ctl_buf b = CTL_BUF_INIT;
    char when[32], num[64];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    CTL_BUF_LIT(&b, "{\"time\":\"");
    ctl_buf_put(&b, when, strlen(when));
    snprintf(num, sizeof num, ".%03ldZ\",\"requestId\":", ts.tv_nsec / 1000000L);
    ctl_buf_put(&b, num, strlen(num));
    ctl_write_string(&b, r->request_id);
    CTL_BUF_LIT(&b, ",\"function\":");
    if (ctl_write_string(&b, r->function))
        CTL_BUF_LIT(&b, "\"?\"");
    CTL_BUF_LIT(&b, ",\"controller\":");
    if (controller)
        ctl_write_string(&b, controller);
    else
        CTL_BUF_LIT(&b, "null");
    CTL_BUF_LIT(&b, ",\"type\":");
    ctl_write_string(&b, type);
    snprintf(num, sizeof num, ",\"status\":%u,\"durationMs\":%.3f", status,
             (double)(ctli_now_us() - r->start_us) / 1000.0);
    ctl_buf_put(&b, num, strlen(num));
    if (r->on) {
        CTL_BUF_LIT(&b, ",\"on\":");
        ctl_write_string(&b, r->on);
    }
    if (error_type) {
        CTL_BUF_LIT(&b, ",\"error\":");
        if (ctl_write_string(&b, error_type))
            CTL_BUF_LIT(&b, "\"?\"");
    }
    CTL_BUF_LIT(&b, "}\n");
    /* One write per line, so lines from many threads never interleave. */
    if (!b.failed && write(2, b.data, b.len) < 0) {
        /* stderr is gone; nothing better to do */
    }
    ctl_buf_free(&b);
}

/* ---- responses ----------------------------------------------------------------------- */

/* Queues a response of len bytes of body (taken: freed by MHD) or none. */
static enum MHD_Result respond(req *r, unsigned status, char *body, size_t len, const char *error_type,
                               bool function_error)
{
    struct MHD_Response *resp =
        body ? MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE)
             : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "x-amzn-RequestId", r->request_id);
    if (body)
        MHD_add_response_header(resp, "Content-Type", "application/json");
    if (error_type)
        MHD_add_response_header(resp, "x-amzn-ErrorType", error_type);
    if (status == MHD_HTTP_OK || status == MHD_HTTP_NO_CONTENT)
        MHD_add_response_header(resp, "X-Amz-Executed-Version", "$LATEST");
    if (function_error)
        MHD_add_response_header(resp, "X-Amz-Function-Error", "Unhandled");
    if (status == MHD_HTTP_SERVICE_UNAVAILABLE)
        MHD_add_response_header(resp, "Connection", "close");
    enum MHD_Result rc = MHD_queue_response(r->conn, status, resp);
    MHD_destroy_response(resp);
    return rc;
}

/* A service error as Lambda sends it: the type in x-amzn-ErrorType and a
 * JSON body {"Type":"User","message":...}. Lambda's own model spells the
 * key "Message" for some errors (ResourceNotFoundException,
 * ServiceException) and "message" for others; message_key follows it. */
static enum MHD_Result service_error(serve *s, req *r, unsigned status, const char *type, const char *message_key,
                                     const char *fmt, ...) CTL_PRINTF(6, 7);
static enum MHD_Result service_error(serve *s, req *r, unsigned status, const char *type, const char *message_key,
                                     const char *fmt, ...)
{
    char message[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    ctl_buf b = CTL_BUF_INIT;
    CTL_BUF_LIT(&b, "{\"Type\":\"");
    ctl_buf_put(&b, status >= 500 ? "Service" : "User", status >= 500 ? 7 : 4);
    CTL_BUF_LIT(&b, "\",\"");
    ctl_buf_put(&b, message_key, strlen(message_key));
    CTL_BUF_LIT(&b, "\":");
    if (ctl_write_string(&b, message))
        CTL_BUF_LIT(&b, "\"(not UTF-8)\"");
    ctl_buf_putc(&b, '}');
    access_log(s, r, r->controller ? r->controller->name : NULL, r->type ? r->type : "-", status, type);
    if (b.failed) {
        ctl_buf_free(&b);
        return MHD_NO;
    }
    return respond(r, status, b.data, b.len, type, false);
}

/* 429, as Lambda throttles: the event queue is full, or every runner is
 * busy; clients retry (the SDKs do, after Retry-After). reason is one of
 * the model's ThrottleReason values (a constant: it goes in as is). */
static enum MHD_Result throttled(serve *s, req *r, const char *reason)
{
    char body[256];
    int n = snprintf(body, sizeof body, "{\"Reason\":\"%s\",\"Type\":\"User\",\"message\":\"Rate Exceeded.\"}",
                     reason);
    char *copy = n > 0 && (size_t)n < sizeof body ? malloc((size_t)n) : NULL;
    if (!copy)
        return MHD_NO;
    memcpy(copy, body, (size_t)n);
    access_log(s, r, r->controller ? r->controller->name : NULL, r->type ? r->type : "-", 429,
               "TooManyRequestsException");
    struct MHD_Response *resp = MHD_create_response_from_buffer((size_t)n, copy, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(copy);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "x-amzn-RequestId", r->request_id);
    MHD_add_response_header(resp, "Content-Type", "application/json");
    MHD_add_response_header(resp, "x-amzn-ErrorType", "TooManyRequestsException");
    MHD_add_response_header(resp, "Retry-After", "1");
    enum MHD_Result rc = MHD_queue_response(r->conn, 429, resp);
    MHD_destroy_response(resp);
    return rc;
}

/* ---- the dead-letter file ------------------------------------------------------------- */

/* Caller holds s->mu. controller is the name the event was accepted for
 * (a replayed event may name one no longer served: e->controller is then
 * only a stand-in). */
static void dead_letter(serve *s, const event *e, const char *controller, const char *error_type,
                        const char *error_message, bool event_is_json)
{
    ctl_buf b = CTL_BUF_INIT;
    ctli_failure f = { controller, e->body, e->len, e->attempts, error_type, error_message };
    ctli_dead_letter_line(&b, &f, event_is_json ? CTLI_EVENT_AUTO : CTLI_EVENT_STRING);
    if (b.failed || ctli_dead_letter_append(s->dead_letter_path, b.data, b.len, s->fsync_each) != 0)
        fprintf(stderr, "%s serve: cannot write to the dead-letter file %s: %s; the event was:\n%.*s\n", s->prog,
                s->dead_letter_path, b.failed ? "out of memory" : strerror(errno), (int)e->len, e->body);
    ctl_buf_free(&b);
}

/* ---- the async queue (all under s->mu) -------------------------------------------------- */

static void live_add(serve *s, event *e)
{
    e->live_prev = s->live->live_prev;
    e->live_next = s->live;
    s->live->live_prev->live_next = e;
    s->live->live_prev = e;
    s->nlive++;
    s->live_bytes += e->len;
}

static void live_remove(serve *s, event *e)
{
    e->live_prev->live_next = e->live_next;
    e->live_next->live_prev = e->live_prev;
    s->nlive--;
    s->live_bytes -= e->len;
    if (s->nlive == 0) {
        /* Workers waiting to drain may end now. */
        pthread_cond_broadcast(&s->async_cv);
        pthread_cond_broadcast(&s->changed);
    }
}

static void push_ready(serve *s, event *e)
{
    e->next = NULL;
    if (s->ready_tail)
        s->ready_tail->next = e;
    else
        s->ready = e;
    s->ready_tail = e;
    pthread_cond_signal(&s->async_cv);
}

static void push_delayed(serve *s, event *e)
{
    event **at = &s->delayed;
    while (*at && (*at)->due_ms <= e->due_ms)
        at = &(*at)->next;
    e->next = *at;
    *at = e;
    pthread_cond_signal(&s->async_cv);
}

static event *event_new(const ctl_controller *c, uint64_t id, const char *body, size_t len, int attempts)
{
    event *e = malloc(sizeof *e + len + 1);
    if (!e)
        return NULL;
    memset(e, 0, sizeof *e);
    e->controller = c;
    e->id = id;
    e->attempts = attempts;
    e->len = len;
    memcpy(e->body, body, len);
    e->body[len] = '\0';
    return e;
}

typedef struct compact_iter {
    event *at, *end;
} compact_iter;

static bool compact_next(void *user, uint64_t *id, const char **controller, const char **body, size_t *len,
                         int *attempts)
{
    compact_iter *it = user;
    if (it->at == it->end)
        return false;
    event *e = it->at;
    it->at = e->live_next;
    *id = e->id;
    *controller = e->controller->name;
    *body = e->body;
    *len = e->len;
    *attempts = e->attempts;
    return true;
}

static void journal_done(serve *s, event *e)
{
    if (ctli_journal_done(s->journal, e->id) != 0)
        fprintf(stderr, "%s serve: cannot write to the journal: %s (event %" PRIu64 " may run again after a restart)\n",
                s->prog, strerror(errno), e->id);
    live_remove(s, e);
    if (ctli_journal_wants_compaction(s->journal)) {
        compact_iter it = { s->live->live_next, s->live };
        if (ctli_journal_compact(s->journal, compact_next, &it) != 0) {
            fprintf(stderr, "%s serve: cannot compact the journal: %s\n", s->prog, strerror(errno));
        }
    }
}

/* After an attempt of e failed: schedule the next one or end it in the
 * dead letters. */
static void attempt_failed(serve *s, event *e, const char *error_type, const char *error_message, bool is_json)
{
    if (e->attempts < 1 + SERVE_MAX_RETRIES) {
        e->due_ms = ctli_now_ms() + s->retry_delay_ms[e->attempts - 1];
        push_delayed(s, e);
        return;
    }
    dead_letter(s, e, e->controller->name, error_type, error_message, is_json);
    journal_done(s, e);
    free(e);
}

/* ---- runners -------------------------------------------------------------------------- */

static int spawn_runner(serve *s, bool sync);

static void finish_sync(req *r, ctl_response *resp)
{
    /* Under s->mu. Whoever ends the request first (the runner, or the
     * watchdog on a timeout) resumes the connection; once. */
    r->resp = *resp;
    r->state = R_DONE;
    MHD_resume_connection(r->conn);
}

static void req_unref(req *r)
{
    /* Under s->mu. */
    if (--r->refs > 0)
        return;
    free(r->body);
    ctl_response_free(&r->resp);
    free(r);
}

/* ---- RequestResponse on the HTTP thread ------------------------------------------------ */

/* A handoff to a runner costs two thread switches, as much as the rest of
 * a no-op call: functions seen to return quickly (SERVE_FAST_STREAK calls in
 * a row under SERVE_FAST_US) run on the HTTP thread itself. A slower call
 * sends its function back to learning; the third makes it FN_SLOW for good,
 * as does a timeout. (One slow call may be the machine, not the handler.) */
static void learn(fn_stat *fn, uint64_t us)
{
    if (!fn || atomic_load(&fn->state) == FN_SLOW)
        return;
    if (us > SERVE_FAST_US) {
        atomic_store(&fn->streak, 0);
        if (atomic_fetch_add(&fn->strikes, 1) + 1 >= SERVE_SLOW_STRIKES)
            atomic_store(&fn->state, FN_SLOW);
        else
            atomic_store(&fn->state, FN_LEARNING);
        return;
    }
    int learning = FN_LEARNING;
    if (atomic_load(&fn->state) == FN_LEARNING && atomic_fetch_add(&fn->streak, 1) + 1 >= SERVE_FAST_STREAK)
        atomic_compare_exchange_strong(&fn->state, &learning, FN_FAST);
}

/* The stats of the function an event names, or NULL (not JSON, no such
 * function: dispatch answers those, on a runner). */
static fn_stat *find_fn(serve *s, const ctl_controller *c, const char *body, size_t len)
{
    size_t k = 0;
    while (k < s->nhosted && s->hosted[k] != c)
        k++;
    if (k == s->nhosted)
        return NULL;
    ctl_arena arena;
    ctli_arena_init(&arena);
    arena.limit = CTLI_INVOCATION_MEMORY;
    ctl_json_error err;
    const ctl_json *root = ctl_json_parse(&arena, body, len, &err);
    fn_stat *found = NULL;
    for (const ctl_json *m = root && root->type == CTL_JSON_OBJECT ? root->child : NULL; m; m = m->next) {
        if (m->key_len == 8 && memcmp(m->key, "function", 8) == 0 && m->type == CTL_JSON_STRING) {
            const ctl_function *f = ctl_controller_find(c, m->str, m->len);
            found = f ? &s->fn_stats[k][f - c->functions] : NULL;
            break;
        }
    }
    ctli_arena_free(&arena);
    return found;
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

static enum MHD_Result queue_sync(serve *s, req *r);
static enum MHD_Result sync_done(serve *s, req *r);

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
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
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
static void hold(req *r)
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

static void unhold(req *r)
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

static enum MHD_Result run_inline(serve *s, req *r, const char *body, size_t len)
{
    inline_slot *slot = my_slot;
    /* One HTTP thread is always free of handlers, to accept connections. */
    if (!slot || atomic_fetch_add(&s->inline_now, 1) >= s->http_threads - 1) {
        if (slot)
            atomic_fetch_sub(&s->inline_now, 1);
        return queue_sync(s, r);
    }
    r->committed = true;
    atomic_fetch_add(&s->committed, 1);
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    slot->fd = ci ? ci->connect_fd : -1;
    slot->fn = r->fn;
    atomic_store(&slot->deadline_ms, ctli_now_ms() + s->timeout_ms);
    atomic_store(&slot->r, r);
    uint64_t t0 = ctli_now_us();
    ctl_response resp;
    ctli_invocation inv = { s->client, NULL, 0, NULL };
    ctli_dispatch_invocation(r->controller, body, len, &inv, &resp);
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
    learn(r->fn, us);
    r->on = "http";
    r->resp = resp;
    return sync_done(s, r);
}

/* The watchdog, for a call that overran on an HTTP thread: answers with
 * Lambda's timeout error straight on the socket and closes it (the thread
 * is in the handler, so nothing else touches the socket). Under s->mu, so
 * it never blocks: a client that reads nothing loses the answer, not the
 * server. */
static void rescue_inline(serve *s, inline_slot *slot, req *r)
{
    char message[256], head[512];
    snprintf(message, sizeof message, "RequestId: %s Error: Task timed out after %u.%02u seconds", r->request_id,
             s->timeout_ms / 1000, (s->timeout_ms % 1000) / 10);
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
        unhold(q);
        if (q->accepted) {
            push_ready(s, q->accepted);
            q->accepted = NULL;
        }
        if (q->committed) {
            q->committed = false;
            atomic_fetch_sub(&s->committed, 1);
        }
    }
    r->on = "http";
    access_log(s, r, r->controller->name, "RequestResponse", 200, "Sandbox.Timedout");
    fprintf(stderr, "%s serve: a handler of %s overran on an HTTP thread; that thread's other connections are "
                    "closed, and every call now runs on runners\n",
            s->prog, r->controller->name);
}

static void *runner_main(void *arg)
{
    runner *w = arg;
    serve *s = w->s;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        if (w->sync) {
            if (!s->sync_head) {
                if (s->stopping)
                    break;
                s->idle_sync++;
                pthread_cond_wait(&s->sync_cv, &s->mu);
                s->idle_sync--;
                continue;
            }
            req *r = s->sync_head;
            s->sync_queued--;
            s->sync_head = r->next;
            if (!s->sync_head)
                s->sync_tail = NULL;
            w->r = r;
            w->deadline_ms = ctli_now_ms() + s->timeout_ms;
            pthread_mutex_unlock(&s->mu);

            uint64_t t0 = ctli_now_us();
            ctl_response resp;
            ctli_invocation inv = { s->client, NULL, 0, NULL };
            ctli_dispatch_invocation(r->controller, r->len ? r->body : "{}", r->len ? r->len : 2, &inv, &resp);
            learn(r->fn, ctli_now_us() - t0);

            pthread_mutex_lock(&s->mu);
            if (!w->abandoned) {
                r->on = "runner";
                finish_sync(r, &resp);
            }
            else
                ctl_response_free(&resp);
            req_unref(r);
            w->r = NULL;
            w->deadline_ms = 0;
            if (w->abandoned) {
                s->stuck--;
                break;
            }
            continue;
        }
        uint64_t now = ctli_now_ms();
        while (s->delayed && s->delayed->due_ms <= now) {
            event *e = s->delayed;
            s->delayed = e->next;
            push_ready(s, e);
        }
        if (!s->ready) {
            if (s->stopping && s->nlive == 0)
                break;
            if (s->delayed) {
                ctli_cond_wait_until(&s->async_cv, &s->mu, s->delayed->due_ms);
            } else {
                pthread_cond_wait(&s->async_cv, &s->mu);
            }
            continue;
        }
        event *e = s->ready;
        s->ready = e->next;
        if (!s->ready)
            s->ready_tail = NULL;
        /* The attempt is on record before it starts: if it takes the
         * process down, the restart counts it. */
        e->attempts++;
        if (ctli_journal_attempt(s->journal, e->id, e->attempts) != 0)
            fprintf(stderr, "%s serve: cannot write to the journal: %s\n", s->prog, strerror(errno));
        w->e = e;
        w->deadline_ms = ctli_now_ms() + s->timeout_ms;
        pthread_mutex_unlock(&s->mu);

        ctl_response resp;
        ctli_invocation inv = { s->client, NULL, e->attempts - 1, NULL };
        ctl_status status = ctli_dispatch_invocation(e->controller, e->body, e->len, &inv, &resp);

        pthread_mutex_lock(&s->mu);
        w->e = NULL;
        w->deadline_ms = 0;
        if (w->event_taken) {
            /* The watchdog took the event over (a copy); this one is ours. */
            ctl_response_free(&resp);
            free(e);
            s->stuck--;
            break;
        }
        /* Not given up on, or given up on without memory for a copy: the
         * outcome is this thread's to record, late as it is. */
        if (status == CTL_OK) {
            journal_done(s, e);
            free(e);
        } else {
            attempt_failed(s, e, resp.error_type ? resp.error_type : ctl_status_error_type(status),
                           resp.error_message ? resp.error_message : "", status != CTL_ERR_INVALID_JSON);
        }
        ctl_response_free(&resp);
        if (w->abandoned) {
            s->stuck--;
            break;
        }
    }
    /* Leaving: unlink unless the watchdog did. */
    if (!w->abandoned) {
        for (runner **at = &s->runners; *at; at = &(*at)->next)
            if (*at == w) {
                *at = w->next;
                break;
            }
        if (w->sync)
            s->alive_sync--;
        else
            s->alive_async--;
    }
    pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->mu);
    free(w);
    ctli_thread_release();
    return NULL;
}

/* Under s->mu. */
static int spawn_runner(serve *s, bool sync)
{
    runner *w = calloc(1, sizeof *w);
    if (!w)
        return -1;
    w->s = s;
    w->sync = sync;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t t;
    int rc = pthread_create(&t, &attr, runner_main, w);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        free(w);
        return -1;
    }
    w->next = s->runners;
    s->runners = w;
    if (sync)
        s->alive_sync++;
    else
        s->alive_async++;
    return 0;
}

/* The watchdog: every 20 ms, gives up on handlers past their deadline. */
static void give_up(serve *s, runner *w)
{
    w->abandoned = true;
    s->stuck++;
    if (w->sync)
        s->alive_sync--;
    else
        s->alive_async--;
    char message[160];
    snprintf(message, sizeof message, "Task timed out after %u.%02u seconds", s->timeout_ms / 1000,
             (s->timeout_ms % 1000) / 10);
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
        finish_sync(r, &resp);
    } else if (w->e) {
        /* The stuck thread keeps reading its event: continue with a copy. */
        event *e = w->e, *copy = event_new(e->controller, e->id, e->body, e->len, e->attempts);
        if (copy) {
            copy->live_prev = e->live_prev;
            copy->live_next = e->live_next;
            copy->live_prev->live_next = copy;
            copy->live_next->live_prev = copy;
            w->event_taken = true;
            attempt_failed(s, copy, "Sandbox.Timedout", message, true);
        }
        /* Else the event stays live (and in the journal, which a compaction
         * would drop it from were it taken out of the live list) until the
         * stuck thread returns and records how it went. */
    }
    if (spawn_runner(s, w->sync) != 0)
        fprintf(stderr, "%s serve: cannot start a thread to replace a stuck handler\n", s->prog);
}

static void *watchdog_main(void *arg)
{
    serve *s = arg;
    pthread_mutex_lock(&s->mu);
    while (!(s->stopping && s->alive_sync == 0 && s->alive_async == 0)) {
        uint64_t now = ctli_now_ms();
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
            rescue_inline(s, slot, r);
            atomic_store(&slot->rescued, 1);
        }
        ctli_cond_wait_until(&s->changed, &s->mu, now + 20);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/* ---- parsing the request ------------------------------------------------------------------ */

/* Percent-decodes n bytes of s into out (cap bytes, NUL-terminated).
 * -1 on a bad escape, a NUL or overflow. */
static int url_decode(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        if (c == '%') {
            int a = i + 1 < n ? ctli_hex_digit(s[i + 1]) : -1, b = i + 2 < n ? ctli_hex_digit(s[i + 2]) : -1;
            if (a < 0 || b < 0)
                return -1;
            c = a * 16 + b;
            i += 2;
        }
        if (c == 0 || o + 1 >= cap)
            return -1;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    return 0;
}

static bool valid_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '-' ||
              *s == '_'))
            return false;
    return true;
}

/* Splits the FunctionName forms Lambda takes: "name", "name:qualifier",
 * "123456789012:function:name[:qualifier]" and
 * "arn:aws:lambda:REGION:ACCOUNT:function:name[:qualifier]". Writes the
 * name, the qualifier ("" when none) and the account ("" when none). */
static bool split_function(const char *in, char *name, char *qualifier, char *account, size_t cap)
{
    char buf[256];
    if (strlen(in) >= sizeof buf)
        return false;
    strcpy(buf, in);
    char *parts[9];
    int n = 0;
    for (char *p = buf;; ) {
        if (n == 9)
            return false;
        parts[n++] = p;
        char *colon = strchr(p, ':');
        if (!colon)
            break;
        *colon = '\0';
        p = colon + 1;
    }
    const char *nm, *q = "", *acct = "";
    if (n >= 7 && strcmp(parts[0], "arn") == 0) {
        if (n > 8 || strcmp(parts[2], "lambda") != 0 || strcmp(parts[5], "function") != 0)
            return false;
        acct = parts[4];
        nm = parts[6];
        if (n == 8)
            q = parts[7];
    } else if (n >= 3 && strcmp(parts[1], "function") == 0) {
        if (n > 4)
            return false;
        acct = parts[0];
        nm = parts[2];
        if (n == 4)
            q = parts[3];
    } else if (n <= 2) {
        nm = parts[0];
        if (n == 2)
            q = parts[1];
    } else {
        return false;
    }
    if (strlen(nm) >= cap || strlen(q) >= cap || strlen(acct) >= cap)
        return false;
    strcpy(name, nm);
    strcpy(qualifier, q);
    strcpy(account, acct);
    return true;
}

static bool valid_qualifier(const char *q)
{
    if (strcmp(q, "$LATEST") == 0)
        return true;
    return valid_name(q) && strlen(q) <= 128;
}

/* ---- SigV4 (--require-auth) ------------------------------------------------------------- */

typedef struct query_acc {
    ctl_buf b;
} query_acc;

static enum MHD_Result add_query(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    query_acc *q = cls;
    if (q->b.len)
        ctl_buf_putc(&q->b, '&');
    ctl_buf_put(&q->b, key, strlen(key));
    if (value) {
        ctl_buf_putc(&q->b, '=');
        ctl_buf_put(&q->b, value, strlen(value));
    }
    return MHD_YES;
}

/* Seconds since the epoch of a UTC date (timegm is not POSIX): days from
 * the civil calendar, by the usual era arithmetic. */
static time_t utc_seconds(const struct tm *tm)
{
    long y = tm->tm_year + 1900L, m = tm->tm_mon + 1L, d = tm->tm_mday;
    if (m < 1 || m > 12 || d < 1 || d > 31)
        return (time_t)-1;
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long days = era * 146097 + doe - 719468;
    return (time_t)(days * 86400L + tm->tm_hour * 3600L + tm->tm_min * 60L + tm->tm_sec);
}

/* 0 when the request may go on; otherwise it has been answered (403). */
static int check_auth(serve *s, req *r, const char *url, const char *method, enum MHD_Result *out)
{
    const char *auth = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
    if (!auth || !*auth) {
        *out = service_error(s, r, 403, "MissingAuthenticationTokenException", "message",
                             "Missing Authentication Token");
        return -1;
    }
    const char *cred = strstr(auth, "Credential="), *signed_headers = strstr(auth, "SignedHeaders=");
    const char *date = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Amz-Date");
    if (strncmp(auth, "AWS4-HMAC-SHA256 ", 17) != 0 || !cred || !signed_headers || !strstr(auth, "Signature=") ||
        !date) {
        *out = service_error(s, r, 403, "IncompleteSignatureException", "message",
                             "Authorization header requires 'Credential', 'Signature', 'SignedHeaders' and an "
                             "X-Amz-Date header; got '%.200s'",
                             auth);
        return -1;
    }
    cred += 11;
    size_t idlen = strcspn(cred, "/");
    if (idlen != strlen(s->creds.access_key_id) || memcmp(cred, s->creds.access_key_id, idlen) != 0) {
        *out = service_error(s, r, 403, "UnrecognizedClientException", "message",
                             "The security token included in the request is invalid.");
        return -1;
    }
    /* The headers the client signed, by name. */
    ctli_sigv4_header headers[32];
    char names[CTLI_SIGV4_MAX_SIGNED_NAMES];
    const char *sh = signed_headers + 14;
    size_t shlen = strcspn(sh, ", ");
    size_t nh = 0;
    if (shlen >= sizeof names) {
        *out = service_error(s, r, 403, "IncompleteSignatureException", "message", "too many signed headers");
        return -1;
    }
    memcpy(names, sh, shlen);
    names[shlen] = '\0';
    for (char *name = names; name && *name;) {
        char *semi = strchr(name, ';');
        if (semi)
            *semi = '\0';
        const char *value = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
        if (nh == 32 || !value) {
            *out = service_error(s, r, 403, "IncompleteSignatureException", "message",
                                 "the signed header '%s' is missing from the request", name);
            return -1;
        }
        headers[nh++] = (ctli_sigv4_header){ name, value };
        name = semi ? semi + 1 : NULL;
    }
    /* AWS refuses a signature more than 15 minutes off its clock. */
    struct tm tm = { 0 };
    if (strlen(date) != 16 || sscanf(date, "%4d%2d%2dT%2d%2d%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                                     &tm.tm_min, &tm.tm_sec) != 6) {
        *out = service_error(s, r, 403, "IncompleteSignatureException", "message",
                             "X-Amz-Date must be of the form YYYYMMDDTHHMMSSZ");
        return -1;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t signed_at = utc_seconds(&tm), now = time(NULL);
    if (signed_at == (time_t)-1 || signed_at < now - 900 || signed_at > now + 900) {
        *out = service_error(s, r, 403, "InvalidSignatureException", "message",
                             "Signature expired: %s is more than 15 minutes away from the server's time", date);
        return -1;
    }
    query_acc q = { CTL_BUF_INIT };
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_query, &q);
    ctl_buf_putc(&q.b, '\0');
    ctli_sigv4_request req = {
        .method = method,
        .path = url,
        .query = q.b.data ? q.b.data : "",
        .headers = headers,
        .nheaders = nh,
        .payload = r->body,
        .payload_len = r->len,
        .region = NULL, /* the client's region, from its Credential */
        .service = "lambda",
        .amz_date = date,
        .normalize_path = true, /* as AWS does for every service but S3 */
    };
    char why[256] = "";
    int rc = q.b.failed ? -1 : ctli_sigv4_verify(&req, auth, &s->creds, why, sizeof why);
    ctl_buf_free(&q.b);
    if (rc != 0) {
        *out = service_error(s, r, 403, "InvalidSignatureException", "message",
                             "The request signature we calculated does not match the signature you provided. "
                             "Check your AWS Secret Access Key and signing method. (%s)",
                             why);
        return -1;
    }
    return 0;
}

/* ---- the request handler ------------------------------------------------------------------ */

static const ctl_controller *find_controller(serve *s, const char *name)
{
    for (size_t i = 0; i < s->nhosted; i++)
        if (strcmp(s->hosted[i]->name, name) == 0)
            return s->hosted[i];
    return NULL;
}

/* Is the body JSON text? Checked before an event is accepted, as Lambda
 * does (a sync call finds out in dispatch). */
static bool is_json(const char *body, size_t len)
{
    /* Its own arena: MHD's threads end without telling us, so nothing
     * may stay cached in them. */
    ctl_arena arena;
    ctli_arena_init(&arena);
    arena.limit = CTLI_INVOCATION_MEMORY;
    ctl_json_error err;
    bool ok = ctl_json_parse(&arena, body, len, &err) != NULL;
    ctli_arena_free(&arena);
    return ok;
}

static enum MHD_Result sync_done(serve *s, req *r)
{
    ctl_response *resp = &r->resp;
    const char *controller = r->controller->name;
    if (resp->status == CTL_ERR_INVALID_JSON) {
        /* Lambda refuses a body that is not JSON before running anything. */
        return service_error(s, r, 400, "InvalidRequestContentException", "message",
                             "Could not parse request body into json: %s",
                             resp->error_message ? resp->error_message : "not JSON");
    }
    if (!resp->body) {
        return service_error(s, r, 500, "ServiceException", "Message", "out of memory");
    }
    bool failed = resp->status != CTL_OK;
    char *body = resp->body;
    size_t len = resp->len;
    resp->body = NULL;
    access_log(s, r, controller, "RequestResponse", 200, failed ? (resp->error_type ? resp->error_type : "?") : NULL);
    return respond(r, 200, body, len, NULL, failed);
}

static enum MHD_Result handle(serve *s, req *r, const char *url, const char *method)
{
    static const char prefix[] = "/2015-03-31/functions/", suffix[] = "/invocations";
    if (r->too_large) {
        /* The body was dropped as it came (it cannot be checked against
         * a signature either): the front door refuses it. */
        return service_error(s, r, 413, "RequestTooLargeException", "message",
                             "Request must be smaller than %u bytes for the InvokeFunction operation",
                             CTL_MAX_SYNC_PAYLOAD);
    }
    if (s->require_auth) {
        enum MHD_Result out;
        if (check_auth(s, r, url, method, &out) != 0)
            return out;
    }
    size_t ulen = strlen(url), plen = sizeof prefix - 1, slen = sizeof suffix - 1;
    bool is_invoke = ulen > plen + slen && memcmp(url, prefix, plen) == 0 &&
                     memcmp(url + ulen - slen, suffix, slen) == 0 &&
                     memchr(url + plen, '/', ulen - plen - slen) == NULL;
    if (!is_invoke || strcmp(method, "POST") != 0) {
        snprintf(r->function, sizeof r->function, "%.60s", url);
        return service_error(s, r, 404, "UnknownOperationException", "message",
                             "no operation %s %.200s here: this endpoint serves only POST "
                             "/2015-03-31/functions/{FunctionName}/invocations",
                             method, url);
    }
    char decoded[256], name[256], qualifier[256], account[256];
    if (url_decode(url + plen, ulen - plen - slen, decoded, sizeof decoded) != 0 ||
        !split_function(decoded, name, qualifier, account, sizeof name) || !valid_name(name) ||
        (*qualifier && !valid_qualifier(qualifier))) {
        snprintf(r->function, sizeof r->function, "%.60s", url + plen);
        return service_error(s, r, 400, "ValidationException", "message",
                             "1 validation error detected: Value '%.200s' at 'functionName' failed to satisfy "
                             "constraint: Member must be a function name, a name:qualifier, a partial ARN "
                             "or a function ARN",
                             url + plen);
    }
    snprintf(r->function, sizeof r->function, "%s", name);
    const char *qparam = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "Qualifier");
    if (qparam) {
        char qdec[256];
        if (url_decode(qparam, strlen(qparam), qdec, sizeof qdec) != 0 || !valid_qualifier(qdec))
            return service_error(s, r, 400, "ValidationException", "message",
                                 "1 validation error detected: Value '%.100s' at 'qualifier' failed to satisfy "
                                 "constraint: Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)",
                                 qparam);
        if (*qualifier && strcmp(qualifier, qdec) != 0)
            return service_error(s, r, 400, "InvalidParameterValueException", "message",
                                 "The derived qualifier from the function name does not match the specified "
                                 "qualifier.");
        strcpy(qualifier, qdec);
    }
    const char *type_header = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Amz-Invocation-Type");
    inv_type type = INV_SYNC;
    if (!type_header || strcmp(type_header, "RequestResponse") == 0) {
        r->type = "RequestResponse";
    } else if (strcmp(type_header, "Event") == 0) {
        type = INV_EVENT;
        r->type = "Event";
    } else if (strcmp(type_header, "DryRun") == 0) {
        type = INV_DRYRUN;
        r->type = "DryRun";
    } else {
        return service_error(s, r, 400, "InvalidParameterValueException", "message",
                             "1 validation error detected: Value '%.60s' at 'invocationType' failed to satisfy "
                             "constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]",
                             type_header);
    }
    r->controller = find_controller(s, name);
    if (!r->controller)
        return service_error(s, r, 404, "ResourceNotFoundException", "Message",
                             "Function not found: arn:aws:lambda:%s:%s:function:%s%s%s", s->region,
                             *account ? account : "000000000000", name, *qualifier ? ":" : "", qualifier);
    size_t limit = type == INV_EVENT ? CTL_MAX_ASYNC_PAYLOAD : CTL_MAX_SYNC_PAYLOAD;
    if (r->too_large || r->len > limit)
        return service_error(s, r, 413, "RequestTooLargeException", "message",
                             "Request must be smaller than %zu bytes for the InvokeFunction operation", limit);
    const char *body = r->len ? r->body : "{}"; /* no payload: the event {} */
    size_t len = r->len ? r->len : 2;

    if (type == INV_DRYRUN) {
        access_log(s, r, r->controller->name, "DryRun", 204, NULL);
        return respond(r, 204, NULL, 0, NULL, false);
    }
    if (type == INV_EVENT) {
        if (!is_json(body, len))
            return service_error(s, r, 400, "InvalidRequestContentException", "message",
                                 "Could not parse request body into json: the payload is not JSON text");
        event *e = event_new(r->controller, 0, body, len, 0);
        if (!e)
            return service_error(s, r, 500, "ServiceException", "Message", "out of memory");
        pthread_mutex_lock(&s->mu);
        /* Every live event is in memory: a flood of them is refused, by
         * count and by bytes, the check and the accept under one lock. */
        if (s->nlive >= SERVE_MAX_QUEUED || s->live_bytes + len > s->max_live_bytes) {
            pthread_mutex_unlock(&s->mu);
            free(e);
            return throttled(s, r, "ReservedFunctionConcurrentInvocationLimitExceeded");
        }
        if (ctli_journal_accept(s->journal, r->controller->name, body, len, &e->id) != 0) {
            int err = errno;
            pthread_mutex_unlock(&s->mu);
            free(e);
            return service_error(s, r, 500, "ServiceException", "Message",
                                 "the event cannot be journaled (%s), so it is not accepted", strerror(err));
        }
        live_add(s, e);
        r->committed = true;
        atomic_fetch_add(&s->committed, 1);
        hold(r);
        /* Queued when the 202 has gone out (on_completed): a handler that
         * takes the process down cannot cost the client its answer. */
        r->accepted = e;
        pthread_mutex_unlock(&s->mu);
        make_request_id(s, true, e->id, r->request_id);
        access_log(s, r, r->controller->name, "Event", 202, NULL);
        return respond(r, 202, NULL, 0, NULL, false);
    }
    r->fn = s->no_inline || atomic_load(&s->inline_off) || len > 65536 ? NULL : find_fn(s, r->controller, body, len);
    if (r->fn && atomic_load(&r->fn->state) == FN_FAST)
        return run_inline(s, r, body, len);
    return queue_sync(s, r);
}

/* RequestResponse on a runner; the connection waits, suspended. */
static enum MHD_Result queue_sync(serve *s, req *r)
{
    pthread_mutex_lock(&s->mu);
    /* Like Lambda's concurrency, sync runners grow with the calls waiting,
     * up to --concurrency, so slow or stuck handlers do not hold up others
     * (a runner given up on stops counting: its thread is replaced). Past
     * that, 429 as Lambda answers, rather than a queue that waits without
     * a deadline for a runner that may never come. */
    if (s->sync_queued >= s->idle_sync &&
        (s->alive_sync >= s->max_sync || spawn_runner(s, true) != 0)) {
        pthread_mutex_unlock(&s->mu);
        return throttled(s, r, "ConcurrentInvocationLimitExceeded");
    }
    r->committed = true;
    atomic_fetch_add(&s->committed, 1);
    hold(r);
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

/* Counts the Content-Length headers into *(int *)cls: a request with two
 * is ambiguous (a smuggling vector), and refused. */
static enum MHD_Result count_content_length(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    (void)value;
    if (strcasecmp(key, "Content-Length") == 0)
        ++*(int *)cls;
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_size,
                                  void **req_cls)
{
    (void)version;
    serve *s = cls;
    req *r = *req_cls;
    if (!r) {
        r = calloc(1, sizeof *r);
        if (!r)
            return MHD_NO;
        r->s = s;
        r->conn = conn;
        r->refs = 1;
        r->start_us = ctli_now_us();
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
        r->slot = ci ? ci->socket_context : NULL;
        pthread_mutex_lock(&s->mu);
        make_request_id(s, false, ++s->next_sync_id, r->request_id);
        bool draining = s->draining;
        pthread_mutex_unlock(&s->mu);
        *req_cls = r;
        if (draining) {
            /* A kept-alive connection asking for more while the server
             * drains: no (the SDKs retry a 503), and the connection closes. */
            return service_error(s, r, 503, "ServiceException", "Message",
                                 "the server is shutting down and accepts no new invocations");
        }
        int lengths = 0;
        MHD_get_connection_values(conn, MHD_HEADER_KIND, count_content_length, &lengths);
        if (lengths > 1)
            return service_error(s, r, 400, "InvalidRequestContentException", "message",
                                 "the request has more than one Content-Length header");
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        unsigned long long n = cl ? strtoull(cl, NULL, 10) : 0;
        if (n > SERVE_DISCARD_LIMIT) {
            /* Reading that much only to drop it is not worth it: say so
             * now; MHD closes the connection after the answer. */
            r->too_large = true;
            return service_error(s, r, 413, "RequestTooLargeException", "message",
                                 "Request must be smaller than %u bytes for the InvokeFunction operation",
                                 CTL_MAX_SYNC_PAYLOAD);
        }
        /* Room for what is announced, up to 1 MiB: past that the buffer
         * grows as the bytes really come. */
        if (n > 0 && n <= 1024 * 1024) {
            r->body = malloc((size_t)n + 1);
            r->cap = r->body ? (size_t)n + 1 : 0;
        }
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        r->received += n;
        /* Past the largest payload the body is read and dropped, so the
         * client sees the 413 instead of a reset. */
        if (!r->too_large && r->len + n > CTL_MAX_SYNC_PAYLOAD) {
            r->too_large = true;
            free(r->body);
            r->body = NULL;
            r->len = r->cap = 0;
        }
        if (!r->too_large) {
            if (r->len + n + 1 > r->cap) {
                size_t cap = r->cap ? r->cap : 4096;
                while (cap < r->len + n + 1)
                    cap *= 2;
                char *bigger = realloc(r->body, cap);
                if (!bigger)
                    return MHD_NO;
                r->body = bigger;
                r->cap = cap;
            }
            memcpy(r->body + r->len, upload_data, n);
            r->len += n;
            r->body[r->len] = '\0';
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->state == R_DONE) {
        pthread_mutex_lock(&s->mu);
        r->state = R_ANSWERED; /* answered */
        pthread_mutex_unlock(&s->mu);
        return sync_done(s, r);
    }
    if (r->state != R_READING)
        return MHD_YES;
    r->state = R_ANSWERED;
    return handle(s, r, url, method);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls, enum MHD_RequestTerminationCode code)
{
    (void)conn;
    (void)code;
    serve *s = cls;
    req *r = *req_cls;
    if (!r)
        return;
    *req_cls = NULL;
    pthread_mutex_lock(&s->mu);
    unhold(r);
    /* Answered (or the client left): the drain waits for nothing more of
     * it, even when a stuck runner still holds the request. */
    if (r->accepted)
        push_ready(s, r->accepted);
    if (r->committed)
        atomic_fetch_sub(&s->committed, 1);
    req_unref(r);
    pthread_mutex_unlock(&s->mu);
}

/* The path and query as they came: serve decodes the FunctionName itself
 * (an ARN's colons may arrive as %3A) and SigV4 signs the raw form. */
static size_t keep_escapes(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return strlen(s);
}

/* ---- start-up --------------------------------------------------------------------------- */

static void on_replayed(void *user, uint64_t id, const char *controller, const char *body, size_t len, int attempts)
{
    serve *s = user;
    const ctl_controller *c = find_controller(s, controller);
    event *e = event_new(c ? c : s->hosted[0], id, body, len, attempts);
    if (!e) {
        fprintf(stderr, "%s serve: out of memory replaying the journal (event %" PRIu64 " stays in it)\n", s->prog, id);
        return;
    }
    pthread_mutex_lock(&s->mu);
    live_add(s, e);
    if (!c) {
        e->attempts = attempts > 0 ? attempts : 1;
        char message[256];
        snprintf(message, sizeof message,
                 "this server no longer serves a controller named %s (not in the binary, or left out by --only)",
                 controller);
        dead_letter(s, e, controller, "ctl.UnknownController", message, true);
        journal_done(s, e);
        free(e);
    } else if (attempts >= 1 + SERVE_MAX_RETRIES) {
        /* Its last attempt was running when the process ended: an event
         * that takes the process down ends here instead of looping. */
        char message[256];
        snprintf(message, sizeof message, "the process ended while attempt %d of %d ran", attempts,
                 1 + SERVE_MAX_RETRIES);
        dead_letter(s, e, controller, "Runtime.ExitError", message, true);
        journal_done(s, e);
        free(e);
    } else {
        push_ready(s, e);
    }
    pthread_mutex_unlock(&s->mu);
}

static int usage(const char *prog, int status)
{
    fprintf(status ? stderr : stdout,
            "usage: %s serve [--listen HOST:PORT] [--require-auth] [--quiet] [--journal DIR] [--fsync]\n"
            "                [--dead-letters FILE] [--workers N] [--retry-delays MS,MS] [--timeout SECONDS]\n"
            "                [--only NAME,...] [--no-inline] [--max-queue-mb N] [--concurrency N]\n"
            "  --listen HOST:PORT    where to listen (default 127.0.0.1:9001; port 0 picks a free one)\n"
            "  --require-auth        check SigV4 signatures against AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY\n"
            "  --quiet               no access log on stderr\n"
            "  --journal DIR         journal of accepted events (default ./ctl-serve-journal)\n"
            "  --fsync               sync the journal to disk before each 202 (survives power loss)\n"
            "  --dead-letters FILE   failed events, JSON lines (default ./ctl-dead-letters.jsonl)\n"
            "  --workers N           threads running events, and as many for sync calls (default 8)\n"
            "  --retry-delays MS,MS  delays before retry 1 and 2 of a failed event (default 1000,2000)\n"
            "  --timeout SECONDS     a handler's time limit (default 3, as in Lambda)\n"
            "  --no-inline           run every RequestResponse call on a runner thread, never on the\n"
            "                        HTTP threads (slower for quick handlers; see the README)\n"
            "  --only NAME,...       serve only these hosted controllers; handlers reach the others\n"
            "                        through the Lambda transport (AWS_ENDPOINT_URL_LAMBDA, ...)\n"
            "  --max-queue-mb N      events accepted and not ended hold at most N MiB in memory; past\n"
            "                        that, 429 TooManyRequestsException (default 256)\n"
            "  --concurrency N       RequestResponse calls running on runners at once; past that,\n"
            "                        429 TooManyRequestsException (default 1024, the most)\n",
            prog);
    return status;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    errno = 0;
    if (!s || !*s || *s == '-')
        return -1;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

static int open_listener(const char *listen_at, char *shown, size_t cap)
{
    char host[256];
    const char *colon = strrchr(listen_at, ':');
    if (!colon || colon == listen_at || (size_t)(colon - listen_at) >= sizeof host)
        return -1;
    memcpy(host, listen_at, (size_t)(colon - listen_at));
    host[colon - listen_at] = '\0';
    const char *port = colon + 1;
    unsigned long p;
    if (parse_uint(port, 65535, &p) != 0)
        return -1;
    char *h = host;
    if (h[0] == '[') { /* [::1]:9001 */
        size_t n = strlen(h);
        if (n < 3 || h[n - 1] != ']')
            return -1;
        h[n - 1] = '\0';
        h++;
    }
    struct addrinfo hints = { 0 }, *ai = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    if (getaddrinfo(h, port, &hints, &ai) != 0 || !ai)
        return -1;
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 4096) != 0) {
        if (fd >= 0)
            close(fd);
        freeaddrinfo(ai);
        return -2;
    }
    freeaddrinfo(ai);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    char addr[INET6_ADDRSTRLEN] = "?";
    unsigned bound = 0;
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
        if (ss.ss_family == AF_INET6) {
            struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
            inet_ntop(AF_INET6, &a->sin6_addr, addr, sizeof addr);
            bound = ntohs(a->sin6_port);
            snprintf(shown, cap, "[%s]:%u", addr, bound);
        } else {
            struct sockaddr_in *a = (struct sockaddr_in *)&ss;
            inet_ntop(AF_INET, &a->sin_addr, addr, sizeof addr);
            bound = ntohs(a->sin_port);
            snprintf(shown, cap, "%s:%u", addr, bound);
        }
    }
    return fd;
}

/* Frees what start-up made before it failed, before any thread started:
 * the listening socket (fd, or -1), the table of served controllers and
 * its stats, the client, the journal, and s. Bad input leaks nothing. */
static int unstarted_free(serve *s, int fd, const ctl_controller **served)
{
    if (fd >= 0)
        close(fd);
    for (size_t k = 0; s->fn_stats && k < s->nhosted; k++)
        free(s->fn_stats[k]);
    free(s->fn_stats);
    free(served);
    ctl_client_free(s->client);
    ctli_journal_close(s->journal);
    free(s->live);
    free(s);
    return 2;
}

int ctli_serve_main(const char *prog, int argc, char **argv, const ctl_controller *const *hosted, size_t n)
{
    serve *s = calloc(1, sizeof *s);
    if (!s)
        return 2;
    s->prog = prog;
    s->hosted = hosted;
    s->nhosted = n;
    s->workers = 8;
    s->retry_delay_ms[0] = 1000;
    s->retry_delay_ms[1] = 2000;
    s->timeout_ms = 3000;
    s->max_sync = SERVE_MAX_SYNC_RUNNERS;
    s->max_live_bytes = (size_t)SERVE_QUEUE_MB << 20;
    s->journal_dir = "ctl-serve-journal";
    s->dead_letter_path = "ctl-dead-letters.jsonl";
    const char *listen_at = "127.0.0.1:9001";
    int status = 2;
    bool daemon_left = false; /* MHD still runs: a thread of it is stuck in a handler */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long num;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            free(s);
            return usage(prog, 0);
        } else if (strcmp(a, "--require-auth") == 0) {
            s->require_auth = true;
        } else if (strcmp(a, "--quiet") == 0) {
            s->quiet = true;
        } else if (strcmp(a, "--no-inline") == 0) {
            s->no_inline = true;
        } else if (strcmp(a, "--fsync") == 0) {
            s->fsync_each = true;
        } else if (!v) {
            fprintf(stderr, "%s serve: unknown option or missing value: %s\n", prog, a);
            goto usage_error;
        } else if (strcmp(a, "--listen") == 0) {
            listen_at = v, i++;
        } else if (strcmp(a, "--only") == 0) {
            s->only = v, i++;
        } else if (strcmp(a, "--journal") == 0) {
            s->journal_dir = v, i++;
        } else if (strcmp(a, "--dead-letters") == 0) {
            s->dead_letter_path = v, i++;
        } else if (strcmp(a, "--workers") == 0) {
            if (parse_uint(v, 256, &num) != 0 || num == 0) {
                fprintf(stderr, "%s serve: --workers wants a number from 1 to 256, not %s\n", prog, v);
                goto usage_error;
            }
            s->workers = (int)num, i++;
        } else if (strcmp(a, "--concurrency") == 0) {
            if (parse_uint(v, SERVE_MAX_SYNC_RUNNERS, &num) != 0 || num == 0) {
                fprintf(stderr, "%s serve: --concurrency wants a number from 1 to %d, not %s\n", prog,
                        SERVE_MAX_SYNC_RUNNERS, v);
                goto usage_error;
            }
            s->max_sync = (int)num, i++;
        } else if (strcmp(a, "--max-queue-mb") == 0) {
            /* At least one event of the largest size fits. */
            if (parse_uint(v, 1024 * 1024, &num) != 0 || num == 0) {
                fprintf(stderr, "%s serve: --max-queue-mb wants a number from 1 to 1048576, not %s\n", prog, v);
                goto usage_error;
            }
            s->max_live_bytes = (size_t)num << 20, i++;
        } else if (strcmp(a, "--timeout") == 0) {
            if (parse_uint(v, 900, &num) != 0 || num == 0) {
                fprintf(stderr, "%s serve: --timeout wants seconds from 1 to 900 (Lambda's range), not %s\n",
                        prog, v);
                goto usage_error;
            }
            s->timeout_ms = (unsigned)num * 1000u, i++;
        } else if (strcmp(a, "--retry-delays") == 0) {
            char one[32], two[32];
            const char *comma = strchr(v, ',');
            unsigned long d1, d2;
            if (!comma || (size_t)(comma - v) >= sizeof one || strlen(comma + 1) >= sizeof two) {
                fprintf(stderr, "%s serve: --retry-delays wants MS,MS, not %s\n", prog, v);
                goto usage_error;
            }
            memcpy(one, v, (size_t)(comma - v));
            one[comma - v] = '\0';
            strcpy(two, comma + 1);
            if (parse_uint(one, 3600000, &d1) != 0 || parse_uint(two, 3600000, &d2) != 0) {
                fprintf(stderr, "%s serve: --retry-delays wants two delays in milliseconds (up to an hour), not %s\n",
                        prog, v);
                goto usage_error;
            }
            s->retry_delay_ms[0] = (unsigned)d1;
            s->retry_delay_ms[1] = (unsigned)d2;
            i++;
        } else {
            fprintf(stderr, "%s serve: unknown option %s\n", prog, a);
            goto usage_error;
        }
    }
    const char *region = getenv("AWS_REGION");
    if (!region || !*region)
        region = getenv("AWS_DEFAULT_REGION");
    snprintf(s->region, sizeof s->region, "%s", region && *region ? region : "us-east-1");
    if (s->require_auth) {
        s->creds.access_key_id = getenv("AWS_ACCESS_KEY_ID");
        s->creds.secret_access_key = getenv("AWS_SECRET_ACCESS_KEY");
        s->creds.session_token = getenv("AWS_SESSION_TOKEN");
        if (!s->creds.access_key_id || !*s->creds.access_key_id || !s->creds.secret_access_key ||
            !*s->creds.secret_access_key) {
            fprintf(stderr, "%s serve: --require-auth needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the "
                            "environment\n", prog);
            goto usage_error;
        }
    }

    /* Signals go to the main thread alone, which waits for them below. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* A thousand clients need a thousand descriptors. */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }

    char shown[300] = "";
    int fd = open_listener(listen_at, shown, sizeof shown);
    if (fd < 0) {
        fprintf(stderr, fd == -1 ? "%s serve: --listen wants HOST:PORT, not %s\n"
                                 : "%s serve: cannot listen on %s: %s\n",
                prog, listen_at, strerror(errno));
        goto usage_error;
    }
    char err[512];
    s->journal = ctli_journal_open(s->journal_dir, s->fsync_each, err, sizeof err);
    if (!s->journal) {
        fprintf(stderr, "%s serve: %s\n", prog, err);
        return unstarted_free(s, fd, NULL);
    }
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->async_cv, NULL);
    pthread_cond_init(&s->sync_cv, NULL);
    pthread_cond_init(&s->changed, NULL);
    s->live = calloc(1, sizeof *s->live);
    if (!s->live)
        return unstarted_free(s, fd, NULL);
    s->live->live_next = s->live->live_prev = s->live;
    {
        uint64_t seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ ctli_now_us();
        FILE *ur = fopen("/dev/urandom", "rb");
        if (ur) {
            if (fread(&seed, sizeof seed, 1, ur) != 1)
                seed ^= ctli_now_us();
            fclose(ur);
        }
        s->id_hi = seed;
    }
    /* --only: keep the named controllers (the table is the caller's: copy). */
    const ctl_controller **served = calloc(n, sizeof *served);
    size_t nserved = 0;
    if (!served)
        return unstarted_free(s, fd, NULL);
    for (size_t k = 0; k < n; k++) {
        const char *name = hosted[k]->name;
        size_t len = strlen(name);
        bool keep = !s->only;
        for (const char *p = s->only; p && *p && !keep;) {
            size_t w = strcspn(p, ",");
            keep = w == len && memcmp(p, name, len) == 0;
            p += w + (p[w] == ',');
        }
        if (keep)
            served[nserved++] = hosted[k];
    }
    for (const char *p = s->only; p && *p;) {
        size_t w = strcspn(p, ",");
        bool known = false;
        for (size_t k = 0; k < n; k++)
            known |= strlen(hosted[k]->name) == w && memcmp(hosted[k]->name, p, w) == 0;
        if (!known) {
            fprintf(stderr, "%s serve: --only: this binary hosts no controller named %.*s\n", prog, (int)w, p);
            return unstarted_free(s, fd, served);
        }
        p += w + (p[w] == ',');
    }
    if (nserved == 0) {
        fprintf(stderr, "%s serve: --only names no controller\n", prog);
        return unstarted_free(s, fd, served);
    }
    s->hosted = served;
    s->nhosted = nserved;
    s->fn_stats = calloc(nserved, sizeof *s->fn_stats);
    for (size_t k = 0; s->fn_stats && k < nserved; k++)
        if (!(s->fn_stats[k] = calloc(served[k]->count ? served[k]->count : 1, sizeof **s->fn_stats)))
            s->no_inline = true; /* without stats, every call takes a runner */
    if (!s->fn_stats)
        s->no_inline = true;
    /* Handlers reach the served controllers in-process, and the others
     * through the Lambda transport when the environment names a region or
     * an endpoint (a second serve, say). */
    ctl_client_config cfg = { 0 };
    cfg.dead_letter_path = s->dead_letter_path;
    cfg.retry_delay_ms[0] = s->retry_delay_ms[0];
    cfg.retry_delay_ms[1] = s->retry_delay_ms[1];
    s->client = ctl_client_new(&cfg);
    for (size_t k = 0; s->client && k < nserved; k++)
        if (ctl_client_register(s->client, served[k]) != CTL_OK) {
            ctl_client_free(s->client);
            s->client = NULL;
        }
    if (!s->client) {
        fprintf(stderr, "%s serve: cannot make the in-process client\n", prog);
        return unstarted_free(s, fd, served);
    }
    const char *remote = NULL;
    static const char *const remote_env[] = { "AWS_ENDPOINT_URL_LAMBDA", "AWS_ENDPOINT_URL", "AWS_REGION",
                                              "AWS_DEFAULT_REGION" };
    for (size_t k = 0; k < 4 && !remote; k++)
        if (getenv(remote_env[k]) && *getenv(remote_env[k]))
            remote = remote_env[k];
    if (remote && ctl_client_use_lambda(s->client, NULL) != CTL_OK) {
        fprintf(stderr, "%s serve: %s is set, but handlers cannot call other controllers through Lambda: %s\n", prog,
                remote, ctl_client_error(s->client));
        remote = NULL;
    }
    long replayed = ctli_journal_replay(s->journal, on_replayed, s, err, sizeof err);
    if (replayed < 0) {
        /* Replay fails before it hands out any event: nothing is live. */
        fprintf(stderr, "%s serve: %s\n", prog, err);
        return unstarted_free(s, fd, served);
    }
    pthread_mutex_lock(&s->mu);
    {
        /* Start clean: the journal holds only what is live. */
        compact_iter it = { s->live->live_next, s->live };
        if (ctli_journal_compact(s->journal, compact_next, &it) != 0)
            fprintf(stderr, "%s serve: cannot compact the journal: %s\n", prog, strerror(errno));
    }
    for (int k = 0; k < s->workers; k++)
        if (spawn_runner(s, false) != 0 || (k < s->max_sync && spawn_runner(s, true) != 0))
            break;
    pthread_mutex_unlock(&s->mu);
    pthread_t watchdog;
    pthread_create(&watchdog, NULL, watchdog_main, s);

    /* A thread per core, and one more: calls that run on HTTP threads
     * leave one free (run_inline). */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    s->http_threads = (int)(cores > 0 && cores < 64 ? cores : 2) + 1;
    s->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO | MHD_ALLOW_SUSPEND_RESUME, 0, NULL, NULL,
        on_request, s, MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned int)s->http_threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
        MHD_OPTION_UNESCAPE_CALLBACK, keep_escapes, NULL, MHD_OPTION_CONNECTION_LIMIT, (unsigned int)16384,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30, MHD_OPTION_END);
    if (!s->daemon) {
        fprintf(stderr, "%s serve: cannot start the HTTP server on %s\n", prog, shown);
        close(fd);
        status = 2;
    } else {
        if (!s->quiet)
            fprintf(stderr,
                    "%s serve: listening on http://%s (%zu controllers, journal %s, %ld events replayed; "
                    "other controllers: %s)\n",
                    prog, shown, s->nhosted, s->journal_dir, replayed,
                    remote ? "through the Lambda transport" : "none");
        /* Last: a script that waits for this line finds the server ready. */
        printf("listening on %s\n", shown);
        fflush(stdout);
        int sig = 0;
        sigwait(&sigs, &sig);
        if (!s->quiet)
            fprintf(stderr, "%s serve: %s: no new connections; finishing what was accepted\n", prog,
                    sig == SIGINT ? "SIGINT" : "SIGTERM");
        /* Drain: no new connections; requests under way finish (sync
         * calls reach their answer or their timeout); then the queue. */
        pthread_mutex_lock(&s->mu);
        s->draining = true;
        pthread_mutex_unlock(&s->mu);
        MHD_socket listen_fd = MHD_quiesce_daemon(s->daemon);
        if (listen_fd != MHD_INVALID_SOCKET)
            close(listen_fd);
        /* Wait for the requests routed to a handler or the queue (not for
         * those still sending: they are dropped with their connections).
         * A call that overran on an HTTP thread was answered, but its
         * request ends only when its handler returns: not waited for. A
         * request between its last byte and its routing takes microseconds:
         * the quiet period covers it. */
        for (int quiet = 0; quiet < 5;) {
            pthread_mutex_lock(&s->mu);
            int stuck = s->stuck_http;
            pthread_mutex_unlock(&s->mu);
            quiet = atomic_load(&s->committed) > stuck ? 0 : quiet + 1;
            struct timespec pause = { 0, 10 * 1000000L };
            nanosleep(&pause, NULL);
        }
        pthread_mutex_lock(&s->mu);
        bool http_stuck = s->stuck_http > 0;
        pthread_mutex_unlock(&s->mu);
        /* Stopping joins MHD's threads: not when one is in a handler that
         * may never return (the process's end stops it). */
        if (!http_stuck)
            MHD_stop_daemon(s->daemon);
        daemon_left = http_stuck;
        status = 0;
    }
    pthread_mutex_lock(&s->mu);
    s->stopping = true;
    pthread_cond_broadcast(&s->async_cv);
    pthread_cond_broadcast(&s->sync_cv);
    if (status == 0) {
        while (s->alive_sync > 0 || s->alive_async > 0)
            pthread_cond_wait(&s->changed, &s->mu);
    }
    pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->mu);
    /* A thread still stuck in a handler uses s and the client when (if)
     * it returns: leave them to the process's end. */
    if (status == 0 && s->nlive == 0) {
        /* Everything ended: leave an empty journal behind. */
        compact_iter it = { s->live->live_next, s->live };
        if (ctli_journal_compact(s->journal, compact_next, &it) != 0)
            fprintf(stderr, "%s serve: cannot compact the journal: %s\n", prog, strerror(errno));
    }
    if (status == 0 && s->stuck == 0 && !daemon_left) {
        pthread_join(watchdog, NULL);
        ctl_client_free(s->client);
        ctli_journal_close(s->journal);
        pthread_mutex_destroy(&s->mu);
        pthread_cond_destroy(&s->async_cv);
        pthread_cond_destroy(&s->sync_cv);
        pthread_cond_destroy(&s->changed);
        free(s->live);
        for (size_t k = 0; s->fn_stats && k < s->nhosted; k++)
            free(s->fn_stats[k]);
        free(s->fn_stats);
        while (s->slots) {
            inline_slot *next = s->slots->next;
            free(s->slots->fds);
            free(s->slots);
            s->slots = next;
        }
        free((void *)s->hosted);
        free(s);
        /* Threads stuck in handlers that overran still run; the process
         * ending stops them. */
        ctli_thread_release();
    }
    return status;
usage_error:
    free(s);
    return 2;
}
