/* trace_test.c: an invocation's trace goes with what its handler sends
 * (runtime/README.md, "Tracing"). Links ctl_internal: it starts
 * invocations with a trace as the transports do (ctli_dispatch_invocation
 * with ctli_invocation.trace_id).
 *
 *   trace_test inproc
 *     Two threads run invocations of `front` at once, each with its own
 *     trace, many times. Each front handler sends to `back` (an async
 *     event, on the client's workers) and calls `mid` (in-process, on its
 *     thread), writing its own trace into the event; mid and back compare
 *     their ctx's trace with it, and back sends on to `leaf`, which does
 *     the same: no event or call may see another invocation's trace, and
 *     none may see none. A send made outside any handler carries none.
 *
 *   trace_test invoke PYTHON3 invoke_double.py
 *     A handler run with a trace sends and calls the remote `ok` through
 *     the Lambda transport to the Invoke double, which checks every
 *     request's signature with botocore (the trace header given to it as
 *     sent) and records X-Amzn-Trace-Id: the trace as botocore's
 *     recursion detection writes it (quote() with its safe set), none for
 *     a send outside a handler. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "ctl/gen.h"
#include "ctl/json.h"

#include "codec/dispatch.h"

#include "../check.h"

#define T1 "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
#define T2 "Root=1-6759e988-00000000000000000000abcd;Sampled=0"
#define ROUNDS 2000

static void pause_us(long us)
{
    struct timespec ts = { 0, us * 1000 };
    nanosleep(&ts, NULL);
}

static atomic_int mismatches, untraced, leaf_runs, back_runs, mid_runs;
static ctl_client *client;

/* The "sent" field of an event: the trace its sender had. */
static const char *sent_field(const ctl_json *event)
{
    for (const ctl_json *m = event ? event->child : NULL; m; m = m->next)
        if (strcmp(m->key, "sent") == 0 && m->type == CTL_JSON_STRING)
            return m->str;
    return NULL;
}

/* Compares the ctx's trace with what the sender wrote. */
static void compare(ctl_ctx *ctx, const ctl_json *event)
{
    const char *mine = ctl_ctx_trace_id(ctx), *sent = sent_field(event);
    if (!mine || !sent)
        atomic_fetch_add(&untraced, 1);
    else if (strcmp(mine, sent) != 0)
        atomic_fetch_add(&mismatches, 1);
}

/* An event {"function":F,"sent":TRACE} for the current handler's trace. */
static ctl_buf event_of(const char *function, ctl_ctx *ctx)
{
    ctl_buf b = CTL_BUF_INIT;
    CTL_BUF_LIT(&b, "{\"function\":");
    ctl_write_string(&b, function);
    CTL_BUF_LIT(&b, ",\"sent\":");
    ctl_write_string(&b, ctl_ctx_trace_id(ctx) ? ctl_ctx_trace_id(ctx) : "");
    ctl_buf_putc(&b, '}');
    return b;
}

static int result_null(ctl_buf *out)
{
    ctl_buf_put(out, "null", 4);
    return 0;
}

static int leaf_run(ctl_ctx *ctx, const ctl_json *event, ctl_cursor *cursor, ctl_buf *out)
{
    (void)cursor;
    if (!event)
        return CTL_NOT_READ; /* this one reads the tree */
    compare(ctx, event);
    atomic_fetch_add(&leaf_runs, 1);
    return result_null(out);
}

static int back_run(ctl_ctx *ctx, const ctl_json *event, ctl_cursor *cursor, ctl_buf *out)
{
    (void)cursor;
    if (!event)
        return CTL_NOT_READ; /* this one reads the tree */
    compare(ctx, event);
    atomic_fetch_add(&back_runs, 1);
    ctl_buf e = event_of("run", ctx);
    if (ctl_client_send(ctl_ctx_client(ctx), "leaf", e.data, e.len) != CTL_OK)
        atomic_fetch_add(&mismatches, 1000000);
    ctl_buf_free(&e);
    return result_null(out);
}

static int mid_run(ctl_ctx *ctx, const ctl_json *event, ctl_cursor *cursor, ctl_buf *out)
{
    (void)cursor;
    if (!event)
        return CTL_NOT_READ; /* this one reads the tree */
    compare(ctx, event);
    atomic_fetch_add(&mid_runs, 1);
    return result_null(out);
}

static int front_run(ctl_ctx *ctx, const ctl_json *event, ctl_cursor *cursor, ctl_buf *out)
{
    (void)cursor;
    if (!event)
        return CTL_NOT_READ; /* this one reads the tree */
    (void)event;
    /* Both invokers' handlers are under way at once (a trace kept
     * anywhere but per thread would be overwritten in this window). */
    pause_us(20);
    ctl_buf e = event_of("run", ctx);
    if (ctl_client_send(ctl_ctx_client(ctx), "back", e.data, e.len) != CTL_OK)
        atomic_fetch_add(&mismatches, 1000000);
    ctl_response resp;
    pause_us(20);
    if (ctl_client_call(ctl_ctx_client(ctx), "mid", e.data, e.len, &resp) != CTL_OK)
        atomic_fetch_add(&mismatches, 1000000);
    ctl_response_free(&resp);
    ctl_buf_free(&e);
    /* The call's callee set its own trace and gave this one back. */
    if (!ctl_ctx_trace_id(ctx))
        atomic_fetch_add(&untraced, 1);
    return result_null(out);
}

#define TABLE(var, fn)                                                                                      \
    static const ctl_function var##_fns[] = { { .name = "run", .name_len = 3, .is_async = true,            \
                                                .invoke = fn } };                                          \
    static const ctl_controller var = { .name = #var, .functions = var##_fns, .count = 1 }
TABLE(front, front_run);
TABLE(back, back_run);
TABLE(mid, mid_run);
TABLE(leaf, leaf_run);

static void run_front(const ctl_controller *c, const char *trace)
{
    ctli_invocation inv = { client, NULL, 0, NULL, trace, NULL, 0, 0 };
    ctl_response resp;
    ctl_status st = ctli_dispatch_invocation(c, "{\"function\":\"run\"}", 18, &inv, &resp);
    CHECK(st == CTL_OK, "front: %s", resp.body ? resp.body : "");
    ctl_response_free(&resp);
}

static void *invoker(void *arg)
{
    const char *trace = arg;
    for (int i = 0; i < ROUNDS; i++)
        run_front(&front, trace);
    ctli_thread_release();
    return NULL;
}

static int inproc(void)
{
    ctl_client_config cfg = { .workers = 4, .dead_letter_path = "trace_test-dead-letters.jsonl" };
    client = ctl_client_new(&cfg);
    CHECK(client != NULL, "client");
    if (!client)
        return 1;
    CHECK(ctl_client_register(client, &back) == CTL_OK && ctl_client_register(client, &mid) == CTL_OK &&
              ctl_client_register(client, &leaf) == CTL_OK,
          "register");
    pthread_t a, b;
    pthread_create(&a, NULL, invoker, (void *)T1);
    pthread_create(&b, NULL, invoker, (void *)T2);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    ctl_client_drain(client);
    CHECK(atomic_load(&mid_runs) == 2 * ROUNDS && atomic_load(&back_runs) == 2 * ROUNDS &&
              atomic_load(&leaf_runs) == 2 * ROUNDS,
          "runs: mid %d back %d leaf %d", atomic_load(&mid_runs), atomic_load(&back_runs), atomic_load(&leaf_runs));
    CHECK(atomic_load(&mismatches) == 0, "%d events or calls saw another invocation's trace",
          atomic_load(&mismatches));
    CHECK(atomic_load(&untraced) == 0, "%d events or calls saw no trace", atomic_load(&untraced));

    /* Outside any handler a send carries no trace; a trace that breaks the
     * rule is not given to the handler (and so goes nowhere). */
    atomic_store(&untraced, 0);
    CHECK(ctl_client_send(client, "leaf", "{\"function\":\"run\",\"sent\":\"x\"}", 29) == CTL_OK, "send");
    ctl_client_drain(client);
    CHECK(atomic_load(&untraced) == 1, "a send from no handler carried a trace");
    atomic_store(&untraced, 0);
    run_front(&front, "Root=1-5759e988 has a space");
    run_front(&front, "Parent=53995c3f42cd8ad8");
    ctl_client_drain(client);
    CHECK(atomic_load(&untraced) == 8, "traces breaking the rule: %d of 8 untraced (front, mid, back, leaf, twice)",
          atomic_load(&untraced));
    ctl_client_free(client);
    remove("trace_test-dead-letters.jsonl");
    printf("trace_test inproc: %d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}

/* ---- the Invoke transport -------------------------------------------------------- */

static char base[64];

static size_t collect(char *data, size_t size, size_t n, void *arg)
{
    ctl_buf_put(arg, data, size * n);
    return size * n;
}

static cJSON *control(const char *path)
{
    char url[256];
    snprintf(url, sizeof url, "%s%s", base, path);
    ctl_buf b = CTL_BUF_INIT;
    CURL *e = curl_easy_init();
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &b);
    CURLcode rc = curl_easy_perform(e);
    curl_easy_cleanup(e);
    cJSON *j = rc == CURLE_OK && b.len ? cJSON_ParseWithLength(b.data, b.len) : NULL;
    ctl_buf_free(&b);
    if (!j) {
        fprintf(stderr, "cannot read %s from the double\n", path);
        exit(2);
    }
    return j;
}

static int remote_run(ctl_ctx *ctx, const ctl_json *event, ctl_cursor *cursor, ctl_buf *out)
{
    (void)cursor;
    if (!event)
        return CTL_NOT_READ; /* this one reads the tree */
    (void)event;
    static const char ev[] = "{\"function\":\"f\"}";
    CHECK(ctl_client_send(ctl_ctx_client(ctx), "ok", ev, sizeof ev - 1) == CTL_OK, "send");
    ctl_response resp;
    CHECK(ctl_client_call(ctl_ctx_client(ctx), "ok", ev, sizeof ev - 1, &resp) == CTL_OK, "call: %s",
          resp.body ? resp.body : "");
    ctl_response_free(&resp);
    return result_null(out);
}
TABLE(remote, remote_run);

static int invoke(const char *python, const char *script)
{
    int in[2], outp[2];
    if (pipe(in) != 0 || pipe(outp) != 0)
        return 2;
    setenv("DOUBLE_ACCESS_KEY", "AKIDTRACE", 1);
    setenv("DOUBLE_SECRET", "trace-secret", 1);
    setenv("DOUBLE_TOKEN", "", 1);
    setenv("DOUBLE_REGION", "us-east-1", 1);
    setenv("DOUBLE_REQUIRE_SIG", "1", 1);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(outp[1], 1);
        close(in[1]);
        close(outp[0]);
        execlp(python, python, script, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(outp[1]);
    FILE *f = fdopen(outp[0], "r");
    char line[64];
    int port;
    if (!f || !fgets(line, sizeof line, f) || sscanf(line, "PORT %d", &port) != 1) {
        fprintf(stderr, "the Invoke double did not start (python3 with botocore needed)\n");
        return 2;
    }
    fclose(f);
    snprintf(base, sizeof base, "http://127.0.0.1:%d", port);

    ctl_client_config cfg = { .workers = 1, .dead_letter_path = "trace_test-dead-letters.jsonl" };
    client = ctl_client_new(&cfg);
    ctl_lambda_config lc = { .region = "us-east-1", .endpoint_url = base, .access_key_id = "AKIDTRACE",
                             .secret_access_key = "trace-secret" };
    CHECK(ctl_client_use_lambda(client, &lc) == CTL_OK, "use_lambda: %s", ctl_client_error(client));
    /* A trace with bytes botocore's quote() escapes: a backslash, a '|',
     * a '/'; '"', '{', '}', ',' and ''' it leaves alone. */
    static const char odd[] = "Root=1-5759e988-bd862e3fe1be46a994272793;Lineage=a|b/c\\d\"{},'";
    static const char odd_quoted[] = "Root=1-5759e988-bd862e3fe1be46a994272793;Lineage=a%7Cb%2Fc%5Cd\"{},'";
    run_front(&remote, T1);
    run_front(&remote, odd);
    static const char ev[] = "{\"function\":\"f\"}";
    CHECK(ctl_client_send(client, "ok", ev, sizeof ev - 1) == CTL_OK, "send from no handler");
    ctl_client_flush(client);

    cJSON *r = control("/_record?name=ok");
    cJSON *traces = cJSON_GetObjectItem(r, "traces"), *types = cJSON_GetObjectItem(r, "types");
    CHECK(cJSON_GetArraySize(traces) == 5, "requests: %d", cJSON_GetArraySize(traces));
    /* In order per kind: the handler's sends and calls, then the bare send. */
    int sends = 0, calls = 0;
    const char *want_send[] = { T1, odd_quoted, NULL }, *want_call[] = { T1, odd_quoted };
    for (int i = 0; i < cJSON_GetArraySize(traces); i++) {
        cJSON *t = cJSON_GetArrayItem(traces, i);
        const char *type = cJSON_GetArrayItem(types, i)->valuestring;
        const char *got = cJSON_IsString(t) ? t->valuestring : NULL;
        const char *want = strcmp(type, "Event") == 0 ? (sends < 3 ? want_send[sends++] : "?")
                                                      : (calls < 2 ? want_call[calls++] : "?");
        CHECK(want ? got && strcmp(got, want) == 0 : !got, "request %d (%s): X-Amzn-Trace-Id %s, want %s", i, type,
              got ? got : "(none)", want ? want : "(none)");
    }
    cJSON_Delete(r);
    cJSON *problems = control("/_problems");
    CHECK(cJSON_GetArraySize(problems) == 0, "the double's problems (signatures included): %s",
          cJSON_PrintUnformatted(problems));
    cJSON_Delete(problems);
    ctl_client_free(client);
    remove("trace_test-dead-letters.jsonl");
    close(in[1]);
    int st;
    waitpid(pid, &st, 0);
    printf("trace_test invoke: %d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "inproc") == 0)
        return inproc();
    if (argc == 4 && strcmp(argv[1], "invoke") == 0)
        return invoke(argv[2], argv[3]);
    fprintf(stderr, "usage: trace_test inproc | trace_test invoke PYTHON3 invoke_double.py\n");
    return 2;
}
