/* lambda/rtapi.c: the Lambda custom-runtime loop (provided.al2023).
 *
 * Lambda starts `bootstrap` with no arguments and AWS_LAMBDA_RUNTIME_API
 * set; ctl_main then runs this loop:
 *
 *   GET  /2018-06-01/runtime/invocation/next           (no timeout: it waits for work)
 *   dispatch the event to the controller _HANDLER names
 *   POST /2018-06-01/runtime/invocation/{id}/response  the result, or
 *   POST /2018-06-01/runtime/invocation/{id}/error     the Lambda error object
 *   run the handler's in-process events, flush its remote sends, then the next GET
 *
 * and `POST /2018-06-01/runtime/init/error` when start-up fails. What each
 * answer of the Runtime API leads to (runtime/README.md has the table):
 * 500 on any request is "container error, non-recoverable": exit at once;
 * 413 on a response: report a ctl.ResponseTooLarge error for that
 * invocation instead; 413 on an error: post it again with the start of its
 * message; 400 or 403 on a post (a malformed post, an invocation
 * already answered or timed out): log it to stderr and take the next event;
 * a broken connection: exit (the environment is gone).
 *
 * Lambda Managed Instances set AWS_LAMBDA_MAX_CONCURRENCY=N: then N
 * pollers run this loop at once in threads, each with its own connection,
 * its own invocation context and arena (dispatch's, per thread), its own
 * crash slot and its own send group, which its post-response flush waits
 * for (codec/ctx.h): never another invocation's sends. Without it (or
 * with 1) the one poller runs on the calling thread, as it always did,
 * and its flush waits for the whole client. The first poller that meets
 * an end (a 500, a broken connection) stops the others: none asks for
 * more, each finishes the invocation it has (or gets: a received event
 * is run), and the process exits once none runs one and those still in
 * GET /next had STOP_GRACE_MS to be answered.
 *
 * The requests go through rtapi_http.c, libctl's own HTTP/1.1 client, on
 * one kept-alive connection per poller. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

#include "ctl/gen.h"

#include "common/rules.h"

#include "base/clock.h"
#include "base/hex.h"
#include "base/parts.h"
#include "base/plural.h"
#include "client/client.h"
#include "client/sink.h"
#include "codec/dispatch.h"
#include "lambda/crash.h"
#include "lambda/rtapi.h"
#include "lambda/rtapi_http.h"

#define API_VERSION "/2018-06-01/runtime"

/* A header of GET /next, kept for the invocation (malloc'd, NULL if absent). */
enum { H_REQUEST_ID, H_DEADLINE, H_ARN, H_TRACE, H_CLIENT_CONTEXT, H_COGNITO, H_COUNT };
static const char *const header_names[H_COUNT] = {
    "Lambda-Runtime-Aws-Request-Id",  "Lambda-Runtime-Deadline-Ms",     "Lambda-Runtime-Invoked-Function-Arn",
    "Lambda-Runtime-Trace-Id",        "Lambda-Runtime-Client-Context", "Lambda-Runtime-Cognito-Identity",
};

/* What the pollers share. */
typedef struct shared {
    const char *prog;
    const char *api;            /* AWS_LAMBDA_RUNTIME_API, HOST:PORT */
    int npollers;               /* AWS_LAMBDA_MAX_CONCURRENCY, or 1 */
    const ctl_controller *target;
    ctl_client *client;
    pthread_mutex_t mu;         /* the rest */
    pthread_cond_t changed;     /* stopping, busy or running changed */
    bool go;                    /* the poller threads may start polling */
    bool stopping;              /* a poller met an end: no poller asks for more */
    bool closed;                /* the loop gave up on pollers still in GET /next: an event one
                                   gets now is left to Lambda (the process is ending) */
    int busy;                   /* pollers that took an event and have not finished its invocation */
    int running;                /* poller threads that have not ended */
} shared;

/* How long, once the loop is stopping and no invocation runs, it waits
 * for the pollers still in GET /next to be answered (an event is run, an
 * error ends them) before the process exits without them. */
#define STOP_GRACE_MS 1000

/* One poller: a connection to the Runtime API and the invocation it runs. */
typedef struct runtime {
    shared *sh;
    int index;                  /* its crash slot */
    const char *prog;
    ctli_rtapi_conn conn;
    bool ready;                 /* conn is set up: requests can go out */
    ctl_buf body;               /* the body of the last answer */
    char *headers[H_COUNT];
    ctli_sendgroup group;       /* the sends of its invocation (codec/ctx.h) */
    pthread_t thread;
} runtime;

/* Keeps the invocation headers of GET /next's answer (the last of a
 * repeated one). */
static const char *on_header(void *user, const char *name, size_t name_len, const char *value, size_t value_len)
{
    runtime *rt = user;
    for (int i = 0; i < H_COUNT; i++) {
        if (strlen(header_names[i]) != name_len || strncasecmp(name, header_names[i], name_len) != 0)
            continue;
        char *copy = malloc(value_len + 1);
        if (!copy)
            return "out of memory keeping a header";
        memcpy(copy, value, value_len);
        copy[value_len] = '\0';
        free(rt->headers[i]);
        rt->headers[i] = copy;
    }
    return NULL;
}

static void clear_headers(runtime *rt)
{
    for (int i = 0; i < H_COUNT; i++) {
        free(rt->headers[i]);
        rt->headers[i] = NULL;
    }
}

/* One request to the Runtime API: GET when body is NULL (its invocation
 * headers kept in rt->headers), else a POST of the len bytes at body.
 * Returns the HTTP status, or -1 when the request failed (the reason in
 * rt->conn.error). */
static long request(runtime *rt, const char *path, const char *body, size_t len, const char *error_type)
{
    char url_path[sizeof API_VERSION + 512];
    snprintf(url_path, sizeof url_path, "%s%s", API_VERSION, path);
    rt->body.len = 0;
    rt->body.failed = false;
    rt->conn.error[0] = '\0';
    const char *headers[3] = { NULL, NULL, NULL };
    char *type_line = NULL;
    if (body) {
        headers[0] = "Content-Type: application/json";
        if (error_type) {
            /* A handler chooses its errorType freely: in the header, bytes
             * other than visible ASCII become '_' (no header injection, no
             * broken request); the body keeps the type exactly. */
            static const char prefix[] = "Lambda-Runtime-Function-Error-Type: ";
            size_t n = strlen(error_type);
            type_line = malloc(sizeof prefix + n);
            if (!type_line) {
                snprintf(rt->conn.error, sizeof rt->conn.error, "out of memory");
                return -1;
            }
            memcpy(type_line, prefix, sizeof prefix - 1);
            for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char)error_type[i];
                type_line[sizeof prefix - 1 + i] = c < 0x21 || c > 0x7e ? '_' : (char)c;
            }
            type_line[sizeof prefix - 1 + n] = '\0';
            headers[1] = type_line;
        }
    }
    int status = ctli_rtapi_conn_request(&rt->conn, body ? "POST" : "GET", url_path, headers, body, len,
                                         body ? NULL : on_header, rt, &rt->body);
    free(type_line);
    return status;
}

/* The body of an answer, for a log line: at most 200 bytes. */
static void log_answer(runtime *rt, const char *what, long status)
{
    int n = rt->body.len > 200 ? 200 : (int)rt->body.len;
    if (status < 0)
        fprintf(stderr, "%s: %s failed: %s\n", rt->prog, what, rt->conn.error);
    else
        fprintf(stderr, "%s: %s: HTTP %ld %.*s\n", rt->prog, what, status, n, rt->body.data ? rt->body.data : "");
}

/* The Lambda error object as the Runtime API takes it. NULL if out of memory. */
static char *error_body(const char *type, const char *message, size_t *len)
{
    ctl_buf b = CTL_BUF_INIT;
    CTL_BUF_LIT(&b, "{\"errorMessage\":");
    if (ctl_write_string(&b, message ? message : ""))
        CTL_BUF_LIT(&b, "\"(the message was not valid UTF-8)\"");
    CTL_BUF_LIT(&b, ",\"errorType\":");
    if (ctl_write_string(&b, type ? type : "ctl.Error"))
        CTL_BUF_LIT(&b, "\"ctl.Error\"");
    CTL_BUF_LIT(&b, ",\"stackTrace\":[]}");
    ctl_buf_putc(&b, '\0');
    if (b.failed) {
        ctl_buf_free(&b);
        return NULL;
    }
    *len = b.len - 1;
    return b.data;
}

/* Reports a start-up failure and returns the exit status. */
static int init_error(runtime *rt, const char *type, const char *message)
{
    fprintf(stderr, "%s: %s\n", rt->prog, message);
    size_t len;
    char *body = error_body(type, message, &len);
    if (body && rt->ready) {
        long st = request(rt, "/init/error", body, len, type);
        if (st != 202)
            log_answer(rt, "POST /init/error", st);
    }
    free(body);
    return 1;
}

/* Posts an error for the invocation. Returns 0, or -1 when the loop must end. */
static int post_error(runtime *rt, const char *id, const char *type, const char *message)
{
    char path[512];
    snprintf(path, sizeof path, "/invocation/%s/error", id);
    size_t len;
    char *body = error_body(type, message, &len);
    if (!body) {
        /* Still answer, so the caller does not wait for the timeout. */
        static const char nomem[] =
            "{\"errorMessage\":\"out of memory\",\"errorType\":\"ctl.OutOfMemory\",\"stackTrace\":[]}";
        long st = request(rt, path, nomem, sizeof nomem - 1, "ctl.OutOfMemory");
        return st < 0 || st >= 500 ? -1 : 0;
    }
    long st = request(rt, path, body, len, type);
    free(body);
    if (st == 413 && message) {
        /* Unanswered, the caller would wait for the function's timeout: post
         * the start of the message instead (cut between UTF-8 sequences). */
        log_answer(rt, "POST error", st);
        size_t total = strlen(message), n = total < 1000 ? total : 1000;
        while (n > 0 && n < total && ((unsigned char)message[n] & 0xC0) == 0x80)
            n--;
        char cut[1200];
        snprintf(cut, sizeof cut, "the error message of %zu %s is larger than Lambda accepts; it began: %.*s", total,
                 ctli_plural(total, "byte", "bytes"), (int)n, message);
        body = error_body(type, cut, &len);
        st = body ? request(rt, path, body, len, type) : 413;
        free(body);
    }
    if (st == 202)
        return 0;
    log_answer(rt, "POST error", st);
    return st < 0 || st >= 500 ? -1 : 0;
}

/* Async events that failed for good: Lambda's log is the dead-letter file
 * here (/var/task is read-only), one line on stderr each: the dead-letter
 * line of the client's file, marked {"ctl":"dead-letter",...} so that a log
 * search finds it. The event goes in as a string, whatever it holds (a
 * log's queries then read one type), from a NUL-terminated copy. */
static void log_failure(void *user, const char *controller, const char *event, size_t len, const char *error_type,
                        const char *error_message, int attempts)
{
    (void)user;
    ctl_buf e = CTL_BUF_INIT, line = CTL_BUF_INIT;
    ctl_buf_put(&e, event, len);
    ctl_buf_putc(&e, '\0');
    if (!e.failed) {
        ctli_failure f = { controller, e.data, len, attempts, error_type, error_message, NULL, false, true };
        ctli_dead_letter_line(&line, &f, CTLI_EVENT_STRING);
    }
    if (e.failed || line.failed || line.len < 2)
        fprintf(stderr, "{\"ctl\":\"dead-letter\",\"controller\":\"%s\",\"errorMessage\":\"out of memory "
                        "writing the line\"}\n", controller); /* a controller's name is an identifier */
    else /* the line without its opening brace */
        fprintf(stderr, "{\"ctl\":\"dead-letter\",%.*s", (int)(line.len - 1), line.data + 1);
    ctl_buf_free(&e);
    ctl_buf_free(&line);
}

/* The controller the function's Handler setting names; with no setting, the
 * only hosted one. NULL with the reason in why otherwise: a Handler that
 * names nothing hosted is a mistake to report, not to paper over. */
static const ctl_controller *choose(const ctl_controller *const *hosted, size_t nhosted, char *why,
                                    size_t why_size)
{
    const char *handler = getenv("_HANDLER");
    size_t at;
    if (handler && *handler) {
        for (size_t i = 0; i < nhosted; i++)
            if (strcmp(hosted[i]->name, handler) == 0)
                return hosted[i];
        at = (size_t)snprintf(why, why_size,
                              "the function's Handler (_HANDLER) is '%.100s', which this binary does not host; "
                              "it hosts:", handler);
    } else {
        if (nhosted == 1)
            return hosted[0];
        at = (size_t)snprintf(why, why_size,
                              "the function's Handler (_HANDLER) must name the controller to run; this binary "
                              "hosts:");
    }
    for (size_t i = 0; i < nhosted && at < why_size; i++)
        at += (size_t)snprintf(why + at, why_size - at, "%s %s", i ? "," : "", hosted[i]->name);
    return NULL;
}

/* AWS_LAMBDA_MAX_CONCURRENCY: 1 when unset, else a whole number from 1 to
 * CTLI_RTAPI_MAX_CONCURRENCY; 0 with the reason in why when it is not. */
static int max_concurrency(char *why, size_t why_size)
{
    const char *v = getenv(CTLI_RTAPI_CONCURRENCY_VAR);
    if (!v)
        return 1;
    long n = *v ? 0 : -1;
    for (const char *c = v; n >= 0 && *c; c++)
        n = *c >= '0' && *c <= '9' && n <= CTLI_RTAPI_MAX_CONCURRENCY ? n * 10 + (*c - '0') : -1;
    if (n >= 1 && n <= CTLI_RTAPI_MAX_CONCURRENCY)
        return (int)n;
    snprintf(why, why_size,
             CTLI_RTAPI_CONCURRENCY_VAR " is '%.40s%s', not a whole number of pollers from 1 to %d (Lambda's range "
             "of PerExecutionEnvironmentMaxConcurrency)", v, strlen(v) > 40 ? "..." : "", CTLI_RTAPI_MAX_CONCURRENCY);
    return 0;
}

/* Files besides the pollers' connections: the process's own, the client's
 * connections, a handler's. */
#define SPARE_FILES 64

/* Room for n pollers' connections, and for the crash report's one more
 * each (crash.c): raises the soft RLIMIT_NOFILE toward the hard one when
 * it is short (as Go's runtime does at start). 0; -1 with the reason in
 * why when even the hard limit leaves no room for the connections; a
 * limit that leaves room for them but not for the crash report's is said
 * on stderr. */
static int file_room(const char *prog, int n, char *why, size_t why_size)
{
    struct rlimit rl;
    rlim_t need = (rlim_t)n * 2 + SPARE_FILES, least = (rlim_t)n + SPARE_FILES;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
        return 0;
    struct rlimit raised = rl;
    raised.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need ? need : rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
        rl = raised;
    if (rl.rlim_cur < least) {
        snprintf(why, why_size,
                 CTLI_RTAPI_CONCURRENCY_VAR " is %d: its pollers need %llu open files, but the process may open "
                 "%llu (RLIMIT_NOFILE)", n, (unsigned long long)least, (unsigned long long)rl.rlim_cur);
        return -1;
    }
    if (rl.rlim_cur < need)
        fprintf(stderr, "%s: " CTLI_RTAPI_CONCURRENCY_VAR " is %d and the process may open %llu files "
                        "(RLIMIT_NOFILE): a crash report may not reach every invocation in flight\n",
                prog, n, (unsigned long long)rl.rlim_cur);
    return 0;
}

/* The poller takes the event /next gave it, even while the loop stops (a
 * received event is run); false only once the loop has given up on the
 * pollers still waiting (the event is left to Lambda: the process is
 * ending, and the client may be gone). */
static bool take_event(shared *sh)
{
    pthread_mutex_lock(&sh->mu);
    bool ok = !sh->closed;
    if (ok)
        sh->busy++;
    pthread_mutex_unlock(&sh->mu);
    return ok;
}

/* The poller finished its invocation; stop: the loop must end. */
static void invocation_done(shared *sh, bool stop)
{
    pthread_mutex_lock(&sh->mu);
    sh->busy--;
    sh->stopping |= stop;
    pthread_cond_broadcast(&sh->changed);
    pthread_mutex_unlock(&sh->mu);
}

static void stop_loop(shared *sh)
{
    pthread_mutex_lock(&sh->mu);
    sh->stopping = true;
    pthread_cond_broadcast(&sh->changed);
    pthread_mutex_unlock(&sh->mu);
}

/* One invocation: /next, dispatch, the answer, the flush. false when the
 * loop must end. */
static bool run_one(runtime *rt)
{
    shared *sh = rt->sh;
    const char *prog = rt->prog;
    clear_headers(rt);
    long st = request(rt, "/invocation/next", NULL, 0, NULL);
    if (st != 200) {
        /* 500 is documented as non-recoverable; anything else here
         * means the environment is unusable too. */
        log_answer(rt, "GET /invocation/next", st);
        return false;
    }
    if (!take_event(sh)) {
        fprintf(stderr, "%s: request %s came after the loop ended; it is left unanswered\n", prog,
                rt->headers[H_REQUEST_ID] ? rt->headers[H_REQUEST_ID] : "(no id)");
        return false;
    }
    const char *id = rt->headers[H_REQUEST_ID];
    if (!id || !*id) {
        fprintf(stderr, "%s: GET /invocation/next answered without Lambda-Runtime-Aws-Request-Id\n", prog);
        invocation_done(sh, true);
        return false;
    }
    size_t id_len = strlen(id);
    char esc[3 * CTLI_RTAPI_ID_PATH_MAX + 1];
    if (id_len > CTLI_RTAPI_ID_PATH_MAX || ctli_percent_encode(id, id_len, esc) > CTLI_RTAPI_ID_PATH_MAX) {
        fprintf(stderr, "%s: the request id is longer than %d bytes once percent-encoded, the most this "
                        "runtime puts in a URL\n", prog, CTLI_RTAPI_ID_PATH_MAX);
        invocation_done(sh, true);
        return false;
    }
    ctli_invocation_meta meta = {
        .request_id = id,
        .function_arn = rt->headers[H_ARN],
        .client_context = rt->headers[H_CLIENT_CONTEXT],
        .cognito_identity = rt->headers[H_COGNITO],
        .deadline_ms = 0,
    };
    if (rt->headers[H_DEADLINE]) {
        char *end;
        errno = 0;
        long long d = strtoll(rt->headers[H_DEADLINE], &end, 10);
        if (errno == 0 && end != rt->headers[H_DEADLINE] && *end == '\0' && d > 0)
            meta.deadline_ms = d;
        else /* said, not silently taken as "no deadline" */
            fprintf(stderr, "%s: request %s: Lambda-Runtime-Deadline-Ms '%.40s' is not a time in ms; the "
                            "handler sees no deadline\n", prog, id, rt->headers[H_DEADLINE]);
    }
    /* X-Ray's SDKs (and botocore's recursion detection) read the trace
     * header from the environment; libctl's own sends take it from the
     * handler's invocation (ctli_invocation.trace_id), never from
     * here. With one poller it is changed only here, between invocations,
     * when the previous one's sends are flushed and drained: no thread of
     * libctl is reading it then. With several, the environment is the
     * process's, so no invocation's trace goes there (it was removed at
     * start): ctl_ctx_trace_id() is the one place. */
    const char *trace = rt->headers[H_TRACE];
    if (sh->npollers == 1) {
        if (trace)
            setenv("_X_AMZN_TRACE_ID", trace, 1);
        else
            unsetenv("_X_AMZN_TRACE_ID");
    }
    if (ctli_crash_arm(rt->index, esc) != 0)
        fprintf(stderr, "%s: request %s: no crash report possible\n", prog, id);

    /* The event is the body; keep it while the next requests reuse rt->body. */
    ctl_buf event = rt->body;
    rt->body = (ctl_buf)CTL_BUF_INIT;
    ctl_response resp;
    /* The client's store (the table, or none): a claim lasts until the
     * invocation's deadline. Whatever the handler sends joins the
     * poller's send group. */
    ctli_invocation inv = { sh->client, NULL, 0, &meta, trace, ctli_client_idem_store(sh->client), 0, 0 };
    ctli_sendgroup *outer = ctli_sendgroup_enter(&rt->group);
    ctl_status status = ctli_dispatch_invocation(sh->target, event.data, event.len, &inv, &resp);
    ctli_sendgroup_leave(outer);
    ctl_buf_free(&event);

    char path[512];
    int fatal = 0;
    if (status == CTL_OK) {
        snprintf(path, sizeof path, "/invocation/%s/response", esc);
        st = request(rt, path, resp.body, resp.len, NULL);
        if (st == 413) {
            char msg[200];
            snprintf(msg, sizeof msg, "the response of %zu %s is larger than Lambda accepts", resp.len,
                     ctli_plural(resp.len, "byte", "bytes"));
            fatal = post_error(rt, esc, "ctl.ResponseTooLarge", msg);
        } else if (st != 202) {
            log_answer(rt, "POST response", st);
            fatal = st < 0 || st >= 500;
        }
    } else {
        fatal = post_error(rt, esc, resp.error_type ? resp.error_type : ctl_status_error_type(status),
                           resp.error_message ? resp.error_message : ctl_status_str(status));
    }
    ctli_crash_disarm(rt->index);
    ctl_response_free(&resp);
    if (!fatal) {
        /* The caller has its answer; now make sure nothing the handler
         * sent is lost if Lambda freezes or recycles the environment
         * after the next /next. One poller: in-process events run to the
         * end first, since they may send to Lambda in turn, then every
         * remote send acknowledged (remote sends never start in-process
         * events, so one round ends it). Several: this invocation's sends,
         * in-process and remote, with those they started in turn (its
         * send group), and nothing of the other pollers'. */
        if (sh->npollers == 1) {
            ctl_client_drain(sh->client);
            ctl_client_flush(sh->client);
        } else {
            ctli_sendgroup_wait(&rt->group);
        }
    }
    invocation_done(sh, fatal);
    return !fatal;
}

/* A poller's loop, until the Runtime API or another poller ends it. */
static void run_poller(runtime *rt)
{
    shared *sh = rt->sh;
    pthread_mutex_lock(&sh->mu);
    while (!sh->go)
        pthread_cond_wait(&sh->changed, &sh->mu);
    bool stopped = sh->stopping;
    pthread_mutex_unlock(&sh->mu);
    void *stack = stopped ? NULL : ctli_crash_thread_start();
    if (!stopped && !stack)
        fprintf(stderr, "%s: poller %d has no alternate signal stack: a stack overflow in its handlers will end "
                        "without an error report\n", rt->prog, rt->index);
    while (!stopped && run_one(rt)) {
        pthread_mutex_lock(&sh->mu);
        stopped = sh->stopping;
        pthread_mutex_unlock(&sh->mu);
    }
    stop_loop(sh);
    ctli_crash_thread_end(stack);
    ctli_thread_release();
}

static void *poller_thread(void *arg)
{
    runtime *rt = arg;
    shared *sh = rt->sh;
    run_poller(rt);
    pthread_mutex_lock(&sh->mu);
    sh->running--;
    pthread_cond_broadcast(&sh->changed);
    pthread_mutex_unlock(&sh->mu);
    return NULL;
}

static void free_poller(runtime *rt)
{
    clear_headers(rt);
    ctl_buf_free(&rt->body);
    ctli_rtapi_conn_free(&rt->conn);
    ctli_sendgroup_destroy(&rt->group);
}

/* The pollers of a loop that ended while some were still waiting in
 * GET /next, which nothing interrupts, and what they share: theirs until
 * the process exits (reachable from here, so no leak checker counts
 * them). */
static runtime *abandoned;
static shared *abandoned_loop;

/* Runs the pollers after the first (whose connection the start-up used)
 * is set up: on this thread when there is one, else each on a thread of
 * its own. Returns when the loop has ended: true, or false when it left
 * pollers waiting in GET /next (abandoned). When a poller could not
 * start, none asks for an event, and why says what failed (else it is
 * left empty). */
static bool run_pollers(shared *sh, runtime *rts, char *why, size_t why_size)
{
    why[0] = '\0';
    if (sh->npollers == 1) {
        sh->go = true;
        run_poller(&rts[0]);
        return true;
    }
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int started = 0, err = 0;
    for (; started < sh->npollers; started++) {
        runtime *rt = &rts[started];
        if (started > 0 && ctli_rtapi_conn_init(&rt->conn, sh->api) != 0) {
            snprintf(why, why_size, "poller %d of %d: %s", started, sh->npollers, rt->conn.error);
            break;
        }
        pthread_mutex_lock(&sh->mu);
        sh->running++;
        pthread_mutex_unlock(&sh->mu);
        if ((err = pthread_create(&rt->thread, &attr, poller_thread, rt)) != 0) {
            snprintf(why, why_size, "cannot start poller %d of %d: %s", started, sh->npollers, strerror(err));
            pthread_mutex_lock(&sh->mu);
            sh->running--;
            pthread_mutex_unlock(&sh->mu);
            break;
        }
    }
    pthread_attr_destroy(&attr);
    pthread_mutex_lock(&sh->mu);
    /* All pollers or none: a loop short of its concurrency would take less
     * work than Lambda gives it, unsaid. */
    if (started < sh->npollers)
        sh->stopping = true;
    sh->go = true;
    pthread_cond_broadcast(&sh->changed);
    /* Until every poller ended; or, once the loop is stopping, until no
     * poller runs an invocation and those still in GET /next had
     * STOP_GRACE_MS to be answered: nothing interrupts that wait, and
     * after an end (a 500, a broken connection) Lambda may answer it
     * never. */
    uint64_t grace_end = 0;
    while (sh->running > 0) {
        if (!sh->stopping || sh->busy > 0) {
            pthread_cond_wait(&sh->changed, &sh->mu);
            continue;
        }
        if (!grace_end)
            grace_end = ctli_now_ms() + STOP_GRACE_MS;
        if (ctli_now_ms() >= grace_end)
            break;
        ctli_cond_wait_until(&sh->changed, &sh->mu, grace_end);
    }
    bool all_ended = sh->running == 0;
    sh->closed = !all_ended;
    pthread_mutex_unlock(&sh->mu);
    if (!all_ended) {
        abandoned = rts;
        abandoned_loop = sh;
    }
    return all_ended;
}

int ctli_rtapi_main(const char *prog, const ctl_controller *const *hosted, size_t nhosted)
{
    const char *api = getenv("AWS_LAMBDA_RUNTIME_API");
    if (!api || !*api || strlen(api) > 300) {
        fprintf(stderr, "%s: AWS_LAMBDA_RUNTIME_API must be HOST:PORT\n", prog);
        return 1;
    }
    char why[1024];
    int npollers = max_concurrency(why, sizeof why);
    shared *sh = calloc(1, sizeof *sh);
    runtime *rts = calloc(npollers ? (size_t)npollers : 1, sizeof *rts);
    if (!sh || !rts) {
        fprintf(stderr, "%s: out of memory\n", prog);
        free(sh);
        free(rts);
        return 1;
    }
    sh->prog = prog;
    sh->api = api;
    for (int k = 0; k < (npollers ? npollers : 1); k++) {
        rts[k].sh = sh;
        rts[k].index = k;
        rts[k].prog = prog;
        rts[k].conn.fd = -1;
        ctli_sendgroup_init(&rts[k].group);
    }
    runtime *rt = &rts[0];
    if (ctli_rtapi_conn_init(&rt->conn, sh->api) != 0) {
        fprintf(stderr, "%s: %s\n", prog, rt->conn.error);
        for (int k = 0; k < (npollers ? npollers : 1); k++)
            free_poller(&rts[k]);
        free(rts);
        free(sh);
        return 1;
    }
    rt->ready = true;
    pthread_mutex_init(&sh->mu, NULL);
    pthread_cond_init(&sh->changed, NULL);

    /* A handler writing to a peer that went away gets EPIPE, as in serve:
     * SIGPIPE's default action would end the runtime with the invocation
     * unanswered (and no crash report: it is not a crash). */
    signal(SIGPIPE, SIG_IGN);

    int exit_status = 1;
    ctl_client *client = NULL;
    const ctl_controller *target = NULL;
    if (!npollers) {
        exit_status = init_error(rt, "ctl.UsageError", why);
        goto out;
    }
    sh->npollers = npollers;
    if (npollers > 1 && file_room(prog, npollers, why, sizeof why) != 0) {
        exit_status = init_error(rt, "ctl.UsageError", why);
        goto out;
    }
    /* Several pollers: whatever _X_AMZN_TRACE_ID holds is no invocation's
     * (removed before any thread of libctl runs). */
    if (npollers > 1)
        unsetenv("_X_AMZN_TRACE_ID");
    target = choose(hosted, nhosted, why, sizeof why);
    if (!target) {
        exit_status = init_error(rt, "ctl.UnknownController", why);
        goto out;
    }
    sh->target = target;
    /* Handlers reach the controllers hosted here in-process; every other
     * controller is a Lambda function. Failed async events end on stderr. */
    ctl_client_config cfg = { 0 };
    cfg.dead_letter_path = "";
    /* The idempotency store on Lambda is the DynamoDB table named by
     * CTL_IDEMPOTENCY_TABLE; never a file in the read-only /var/task.
     * Without a table, said once at start per @idempotent function. */
    cfg.idempotency_path = "";
    const char *table = getenv(CTLI_RULE_IDEM_TABLE_VAR);
    bool use_table = table && *table;
    for (size_t i = 0; !use_table && i < target->count; i++)
        if (target->functions[i].idempotent)
            fprintf(stderr,
                    "%s: warning: %s.%s is @idempotent, but CTL_IDEMPOTENCY_TABLE names no DynamoDB table: "
                    "a duplicate delivery runs it again\n",
                    prog, target->name, target->functions[i].name);
    cfg.on_failure = log_failure;
    client = ctl_client_new(&cfg);
    /* libctl_aws is in the program when its spec may need it (a hosted
     * controller with @idempotent functions, stubs of one not hosted):
     * base/parts.h. */
    if (client && use_table && !ctli_linked.use_idempotency_table) {
        snprintf(why, sizeof why, CTLI_RULE_IDEM_TABLE_VAR " names a table, but %s",
                 CTLI_PART_MISSING("aws", "the DynamoDB idempotency store"));
        ctl_client_free(client);
        client = NULL;
        exit_status = init_error(rt, "ctl.UsageError", why);
        goto out;
    }
    if (client && use_table && ctli_linked.use_idempotency_table(client, table) != CTL_OK) {
        snprintf(why, sizeof why, CTLI_RULE_IDEM_TABLE_VAR ": %s", ctl_client_error(client));
        ctl_client_free(client);
        client = NULL;
        exit_status = init_error(rt, "ctl.UsageError", why);
        goto out;
    }
    for (size_t k = 0; client && k < nhosted; k++)
        if (ctl_client_register(client, hosted[k]) != CTL_OK) {
            ctl_client_free(client);
            client = NULL;
        }
    if (!client) {
        exit_status = init_error(rt, "ctl.OutOfMemory", "cannot make the handlers' client");
        goto out;
    }
    sh->client = client;
    /* The Lambda transport is made at the first send or call, and libcurl
     * and libcrypto loaded then (lambda/invoke_lazy.c): Lambda gives every
     * function its credentials and region, so making it fails only outside
     * Lambda (a test's environment), and then those sends and calls fail
     * with the reason while handlers still reach the hosted controllers.
     * Attaching it fails only for want of memory. */
    if (ctli_linked.use_lambda_lazily && ctli_linked.use_lambda_lazily(client) != CTL_OK)
        fprintf(stderr, "%s: sends to controllers not hosted here will fail: %s\n", prog,
                ctl_client_error(client));
    if (ctli_crash_init(sh->api, target->name, npollers) != 0)
        fprintf(stderr, "%s: cannot set up crash reports (AWS_LAMBDA_RUNTIME_API %s); a crashing handler "
                        "will end without an error report\n", prog, sh->api);

    bool ended = run_pollers(sh, rts, why, sizeof why);
    /* A poller that could not start fails the start: no poller took an
     * event, and the first one's connection is free again. */
    if (why[0])
        exit_status = init_error(rt, "ctl.OutOfMemory", why);
    /* No poller touches the client any more: those left in GET /next
     * (abandoned) end on their answer, seeing the loop closed. The
     * client's end ends every send, and so the last use of the pollers'
     * send groups (a transport counts a send out after a flush may have
     * seen it end): the pollers go after it. */
    ctl_client_free(client);
    if (ended) {
        ctli_crash_end();
        for (int k = 0; k < npollers; k++)
            free_poller(&rts[k]);
        free(rts);
        pthread_mutex_destroy(&sh->mu);
        pthread_cond_destroy(&sh->changed);
        free(sh);
    }
    return exit_status;
out:
    ctl_client_free(client);
    for (int k = 0; k < (npollers ? npollers : 1); k++)
        free_poller(&rts[k]);
    free(rts);
    pthread_mutex_destroy(&sh->mu);
    pthread_cond_destroy(&sh->changed);
    free(sh);
    ctli_thread_release();
    return exit_status;
}
