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
 * The requests go through rtapi_http.c, libctl's own HTTP/1.1 client, on
 * one kept-alive connection. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ctl/gen.h"

#include "common/rules.h"

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
/* The longest request id put in a URL, once percent-encoded. */
#define REQUEST_ID_PATH_MAX 400

/* A header of GET /next, kept for the invocation (malloc'd, NULL if absent). */
enum { H_REQUEST_ID, H_DEADLINE, H_ARN, H_TRACE, H_CLIENT_CONTEXT, H_COGNITO, H_COUNT };
static const char *const header_names[H_COUNT] = {
    "Lambda-Runtime-Aws-Request-Id",  "Lambda-Runtime-Deadline-Ms",     "Lambda-Runtime-Invoked-Function-Arn",
    "Lambda-Runtime-Trace-Id",        "Lambda-Runtime-Client-Context", "Lambda-Runtime-Cognito-Identity",
};

typedef struct runtime {
    const char *prog;
    const char *api;          /* AWS_LAMBDA_RUNTIME_API, HOST:PORT */
    ctli_rtapi_conn conn;
    bool ready;               /* conn is set up: requests can go out */
    ctl_buf body;             /* the body of the last answer */
    char *headers[H_COUNT];
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

int ctli_rtapi_main(const char *prog, const ctl_controller *const *hosted, size_t nhosted)
{
    runtime rt;
    memset(&rt, 0, sizeof rt);
    rt.prog = prog;
    rt.api = getenv("AWS_LAMBDA_RUNTIME_API");
    if (!rt.api || !*rt.api || strlen(rt.api) > 300) {
        fprintf(stderr, "%s: AWS_LAMBDA_RUNTIME_API must be HOST:PORT\n", prog);
        return 1;
    }
    if (ctli_rtapi_conn_init(&rt.conn, rt.api) != 0) {
        fprintf(stderr, "%s: %s\n", prog, rt.conn.error);
        ctli_rtapi_conn_free(&rt.conn);
        return 1;
    }
    rt.ready = true;

    /* A handler writing to a peer that went away gets EPIPE, as in serve:
     * SIGPIPE's default action would end the runtime with the invocation
     * unanswered (and no crash report: it is not a crash). */
    signal(SIGPIPE, SIG_IGN);

    int exit_status = 1;
    ctl_client *client = NULL;
    char why[1024];
    const ctl_controller *target = choose(hosted, nhosted, why, sizeof why);
    if (!target) {
        exit_status = init_error(&rt, "ctl.UnknownController", why);
        goto out;
    }
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
        exit_status = init_error(&rt, "ctl.UsageError", why);
        goto out;
    }
    if (client && use_table && ctli_linked.use_idempotency_table(client, table) != CTL_OK) {
        snprintf(why, sizeof why, CTLI_RULE_IDEM_TABLE_VAR ": %s", ctl_client_error(client));
        ctl_client_free(client);
        client = NULL;
        exit_status = init_error(&rt, "ctl.UsageError", why);
        goto out;
    }
    for (size_t k = 0; client && k < nhosted; k++)
        if (ctl_client_register(client, hosted[k]) != CTL_OK) {
            ctl_client_free(client);
            client = NULL;
        }
    if (!client) {
        exit_status = init_error(&rt, "ctl.OutOfMemory", "cannot make the handlers' client");
        goto out;
    }
    /* The Lambda transport is made at the first send or call, and libcurl
     * and libcrypto loaded then (lambda/invoke_lazy.c): Lambda gives every
     * function its credentials and region, so making it fails only outside
     * Lambda (a test's environment), and then those sends and calls fail
     * with the reason while handlers still reach the hosted controllers.
     * Attaching it fails only for want of memory. */
    if (ctli_linked.use_lambda_lazily && ctli_linked.use_lambda_lazily(client) != CTL_OK)
        fprintf(stderr, "%s: sends to controllers not hosted here will fail: %s\n", prog,
                ctl_client_error(client));
    if (ctli_crash_init(rt.api) != 0)
        fprintf(stderr, "%s: cannot set up crash reports (AWS_LAMBDA_RUNTIME_API %s); a crashing handler "
                        "will end without an error report\n", prog, rt.api);

    for (;;) {
        clear_headers(&rt);
        long st = request(&rt, "/invocation/next", NULL, 0, NULL);
        if (st != 200) {
            /* 500 is documented as non-recoverable; anything else here
             * means the environment is unusable too. */
            log_answer(&rt, "GET /invocation/next", st);
            break;
        }
        const char *id = rt.headers[H_REQUEST_ID];
        if (!id || !*id) {
            fprintf(stderr, "%s: GET /invocation/next answered without Lambda-Runtime-Aws-Request-Id\n", prog);
            break;
        }
        size_t id_len = strlen(id);
        char esc[3 * REQUEST_ID_PATH_MAX + 1];
        if (id_len > REQUEST_ID_PATH_MAX || ctli_percent_encode(id, id_len, esc) > REQUEST_ID_PATH_MAX) {
            fprintf(stderr, "%s: the request id is longer than %d bytes once percent-encoded, the most this "
                            "runtime puts in a URL\n", prog, REQUEST_ID_PATH_MAX);
            break;
        }
        ctli_invocation_meta meta = {
            .request_id = id,
            .function_arn = rt.headers[H_ARN],
            .client_context = rt.headers[H_CLIENT_CONTEXT],
            .cognito_identity = rt.headers[H_COGNITO],
            .deadline_ms = 0,
        };
        if (rt.headers[H_DEADLINE]) {
            char *end;
            errno = 0;
            long long d = strtoll(rt.headers[H_DEADLINE], &end, 10);
            if (errno == 0 && end != rt.headers[H_DEADLINE] && *end == '\0' && d > 0)
                meta.deadline_ms = d;
            else /* said, not silently taken as "no deadline" */
                fprintf(stderr, "%s: request %s: Lambda-Runtime-Deadline-Ms '%.40s' is not a time in ms; the "
                                "handler sees no deadline\n", prog, id, rt.headers[H_DEADLINE]);
        }
        /* X-Ray's SDKs (and botocore's recursion detection) read the trace
         * header from the environment; libctl's own sends take it from the
         * handler's invocation (ctli_invocation.trace_id), never from
         * here. Changed only here, between invocations, when the previous one's sends are
         * flushed and drained: no thread of libctl is reading it then. */
        const char *trace = rt.headers[H_TRACE];
        if (trace)
            setenv("_X_AMZN_TRACE_ID", trace, 1);
        else
            unsetenv("_X_AMZN_TRACE_ID");
        if (ctli_crash_arm(rt.api, esc, target->name) != 0)
            fprintf(stderr, "%s: request %s: no crash report possible\n", prog, id);

        /* The event is the body; keep it while the next requests reuse rt.body. */
        ctl_buf event = rt.body;
        rt.body = (ctl_buf)CTL_BUF_INIT;
        ctl_response resp;
        /* The client's store (the table, or none): a claim lasts until the
         * invocation's deadline. */
        ctli_invocation inv = { client, NULL, 0, &meta, trace, ctli_client_idem_store(client), 0, 0 };
        ctl_status status = ctli_dispatch_invocation(target, event.data, event.len, &inv, &resp);
        ctl_buf_free(&event);

        char path[512];
        int fatal = 0;
        if (status == CTL_OK) {
            snprintf(path, sizeof path, "/invocation/%s/response", esc);
            st = request(&rt, path, resp.body, resp.len, NULL);
            if (st == 413) {
                char msg[200];
                snprintf(msg, sizeof msg, "the response of %zu %s is larger than Lambda accepts", resp.len,
                         ctli_plural(resp.len, "byte", "bytes"));
                fatal = post_error(&rt, esc, "ctl.ResponseTooLarge", msg);
            } else if (st != 202) {
                log_answer(&rt, "POST response", st);
                fatal = st < 0 || st >= 500;
            }
        } else {
            fatal = post_error(&rt, esc, resp.error_type ? resp.error_type : ctl_status_error_type(status),
                               resp.error_message ? resp.error_message : ctl_status_str(status));
        }
        ctli_crash_disarm();
        ctl_response_free(&resp);
        if (fatal)
            break;
        /* The caller has its answer; now make sure nothing the handler sent
         * is lost if Lambda freezes or recycles the environment after the
         * next /next: in-process events run to the end first, since they
         * may send to Lambda in turn, then every remote send acknowledged
         * (remote sends never start in-process events, so one round ends
         * it). */
        ctl_client_drain(client);
        ctl_client_flush(client);
    }
out:
    clear_headers(&rt);
    ctl_buf_free(&rt.body);
    ctl_client_free(client);
    ctli_rtapi_conn_free(&rt.conn);
    ctli_thread_release();
    return exit_status;
}
