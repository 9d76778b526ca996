/* invoke_test.c: the Lambda Invoke transport against a loopback double of
 * the Invoke API (invoke_double.py), through the generated stubs of
 * tests/gen/alltypes.ctl (controller `echo`).
 *
 * Usage: ctl_invoke_test PYTHON3 invoke_double.py SCRATCH_DIR
 *
 * The double checks every header, the path encoding, the body and the
 * signature of each request (see its header comment) and records them; this
 * program checks what the client makes of each scripted answer, and at the
 * end that the double saw no malformed request. */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "alltypes.ctl.h"
#include "ctl/gen.h"

#include "../check.h"

/* Credentials that must never show up in any error text or file. */
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYSECRETKEY"
#define TOKEN "FwoGZXIvYXdzEXAMPLESESSIONTOKENvalue//+=="
#define KEY_ID "AKIDEXAMPLE"

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int port;
static char base[64];
static const char *scratch;

/* ---- the double ---------------------------------------------------------------------- */

static pid_t double_pid;
static int double_stdin = -1;

static void start_double(const char *python, const char *script)
{
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0) {
        perror("pipe");
        exit(2);
    }
    setenv("DOUBLE_ACCESS_KEY", KEY_ID, 1);
    setenv("DOUBLE_SECRET", SECRET, 1);
    setenv("DOUBLE_TOKEN", TOKEN, 1);
    setenv("DOUBLE_REGION", "us-east-1", 1);
    setenv("DOUBLE_REQUIRE_SIG", "1", 1);
    double_pid = fork();
    if (double_pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[1]);
        close(out[0]);
        execlp(python, python, script, (char *)NULL);
        perror("exec");
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    double_stdin = in[1];
    FILE *f = fdopen(out[0], "r");
    char line[64];
    if (!f || !fgets(line, sizeof line, f) || sscanf(line, "PORT %d", &port) != 1) {
        fprintf(stderr, "the Invoke double did not start (python3 with botocore needed)\n");
        exit(2);
    }
    fclose(f);
    snprintf(base, sizeof base, "http://127.0.0.1:%d", port);
}

static void stop_double(void)
{
    if (double_stdin >= 0)
        close(double_stdin);
    if (double_pid > 0) {
        int st;
        waitpid(double_pid, &st, 0);
    }
}

static size_t collect(char *data, size_t size, size_t n, void *arg)
{
    size_t len = size * n;
    ctl_buf *b = arg;
    ctl_buf_put(b, data, len);
    return len;
}

/* GET base + path from the double, parsed. */
static cJSON *control(const char *path)
{
    char url[512];
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

static cJSON *record(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "/_record?name=%s", name);
    return control(path);
}

static int record_count(const char *name)
{
    cJSON *r = record(name);
    int n = cJSON_GetObjectItem(r, "count")->valueint;
    cJSON_Delete(r);
    return n;
}

/* ---- clients ------------------------------------------------------------------------------ */

static atomic_int sunk;
static pthread_mutex_t sink_mu = PTHREAD_MUTEX_INITIALIZER;
static char sink_text[1 << 16]; /* every type and message the sink got */

static void on_failure(void *user, const char *controller, const char *event, size_t len, const char *error_type,
                       const char *error_message, int attempts)
{
    (void)user;
    (void)event;
    (void)len;
    atomic_fetch_add(&sunk, 1);
    pthread_mutex_lock(&sink_mu);
    size_t n = strlen(sink_text);
    snprintf(sink_text + n, sizeof sink_text - n, "%s %s %s %d\n", controller, error_type, error_message, attempts);
    pthread_mutex_unlock(&sink_mu);
}

/* Every error text the tests saw, to look for secrets at the end. */
static char seen_errors[1 << 16];

static void saw(const char *text)
{
    size_t n = strlen(seen_errors);
    snprintf(seen_errors + n, sizeof seen_errors - n, "%s\n", text ? text : "");
}

static char dlq[4096];

static ctl_client *make_client(const ctl_lambda_config *lc)
{
    ctl_client_config cfg = { 0 };
    cfg.dead_letter_path = dlq;
    cfg.on_failure = on_failure;
    ctl_client *client = ctl_client_new(&cfg);
    if (!client) {
        fputs("cannot make a client\n", stderr);
        exit(2);
    }
    ctl_status st = ctl_client_use_lambda(client, lc);
    if (st != CTL_OK) {
        fprintf(stderr, "ctl_client_use_lambda: %s: %s\n", ctl_status_str(st), ctl_client_error(client));
        exit(2);
    }
    return client;
}

static ctl_lambda_config fast(void)
{
    ctl_lambda_config lc = { 0 };
    lc.backoff_base_ms = 5;
    return lc;
}

/* A ping call routed to function `name`: its status, reply type and message. */
static ctl_status ping(ctl_client *client, const char *name, char *type, char *message)
{
    ctl_status rs = ctl_client_route(client, "echo", name);
    CHECK(rs == CTL_OK, "route %s: %s", name, ctl_client_error(client));
    t_echo_ping_args args = { 0 };
    ctl_reply *reply = NULL;
    ctl_status st = t_echo_ping_call(client, &args, &reply);
    snprintf(type, 128, "%s", ctl_reply_error_type(reply) ? ctl_reply_error_type(reply) : "");
    snprintf(message, 512, "%s", ctl_reply_error_message(reply) ? ctl_reply_error_message(reply) : "");
    saw(type);
    saw(message);
    ctl_reply_free(reply);
    return st;
}

/* ---- the tests ------------------------------------------------------------------------------ */

static void test_success(void)
{
    ctl_lambda_config lc = fast();
    ctl_client *client = make_client(&lc);
    CHECK(ctl_client_route(client, "echo", "ok-send") == CTL_OK, "route");
    t_echo_fire_args fire = { .id = "a1", .n = 7 };
    CHECK(t_echo_fire_send(client, &fire) == CTL_OK, "send: %s", ctl_client_error(client));
    ctl_client_flush(client);
    ctl_client_stats stats;
    ctl_client_stats_get(client, &stats);
    CHECK(stats.sent == 1 && stats.succeeded == 1 && stats.failed == 0, "stats %llu/%llu/%llu",
          (unsigned long long)stats.sent, (unsigned long long)stats.succeeded, (unsigned long long)stats.failed);
    cJSON *r = record("ok-send");
    CHECK(cJSON_GetObjectItem(r, "count")->valueint == 1, "one request");
    const char *body = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "bodies"), 0)->valuestring;
    CHECK(strcmp(body, "{\"function\":\"fire\",\"id\":\"a1\",\"n\":7}") == 0, "body %s", body);
    CHECK(strcmp(cJSON_GetArrayItem(cJSON_GetObjectItem(r, "types"), 0)->valuestring, "Event") == 0, "Event");
    CHECK(strcmp(cJSON_GetArrayItem(cJSON_GetObjectItem(r, "paths"), 0)->valuestring,
                 "/2015-03-31/functions/ok-send/invocations") == 0,
          "path");
    cJSON_Delete(r);

    /* A sync call: the double echoes the payload as the result. */
    CHECK(ctl_client_route(client, "echo", "ok-call") == CTL_OK, "route");
    t_echo_flat_args flat = { .id = "x\xc3\xa9y", .n = -42, .has_x = true, .x = 2.5, .c = t_Color_blue };
    t_echo_flat_result res;
    ctl_reply *reply = NULL;
    ctl_status st = t_echo_flat_call(client, &flat, &res, &reply);
    CHECK(st == CTL_OK, "flat call: %s %s", ctl_status_str(st),
          ctl_reply_error_message(reply) ? ctl_reply_error_message(reply) : "");
    if (st == CTL_OK)
        CHECK(strcmp(res.id, flat.id) == 0 && res.n == -42 && res.has_x && res.x == 2.5 && res.c == t_Color_blue,
              "flat result");
    ctl_reply_free(reply);
    r = record("ok-call");
    CHECK(strcmp(cJSON_GetArrayItem(cJSON_GetObjectItem(r, "types"), 0)->valuestring, "RequestResponse") == 0,
          "RequestResponse");
    cJSON_Delete(r);

    /* 204 (DryRun) reads as a null result. */
    char type[128], message[512];
    CHECK(ping(client, "dryrun", type, message) == CTL_OK, "204: %s %s", type, message);
    ctl_client_free(client);
}

/* What a ping routed to function `name` must end in. */
typedef struct ping_case {
    const char *name;
    ctl_status status;
    const char *type;
    const char *message_part;
    int attempts; /* requests the double got */
} ping_case;

static void expect_pings(ctl_client *client, const ping_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char type[128], message[512];
        int before = record_count(cases[i].name);
        ctl_status st = ping(client, cases[i].name, type, message);
        CHECK(st == cases[i].status, "%s: %s, not %s (%s)", cases[i].name, ctl_status_str(st),
              ctl_status_str(cases[i].status), message);
        CHECK(strcmp(type, cases[i].type) == 0, "%s: type %s", cases[i].name, type);
        CHECK(strstr(message, cases[i].message_part) != NULL, "%s: message %s", cases[i].name, message);
        int attempts = record_count(cases[i].name) - before;
        CHECK(attempts == cases[i].attempts, "%s: %d attempts, not %d", cases[i].name, attempts,
              cases[i].attempts);
    }
}

static void test_errors(void)
{
    static const ping_case cases[] = {
        { "missing", CTL_ERR_NOT_FOUND, "ResourceNotFoundException", "Function not found", 1 },
        { "denied", CTL_ERR_ACCESS_DENIED, "AccessDeniedException", "not authorized", 1 },
        { "badsig", CTL_ERR_ACCESS_DENIED, "InvalidSignatureException", "signature", 1 },
        { "invalid", CTL_ERR_REJECTED, "InvalidRequestContentException", "Could not parse", 1 },
        { "toolarge", CTL_ERR_TOO_LARGE, "RequestTooLargeException", "smaller than", 1 },
        { "broken", CTL_ERR_SERVICE, "ServiceException", "internal error", 3 },
    };
    ctl_lambda_config lc = fast();
    ctl_client *client = make_client(&lc);
    expect_pings(client, cases, sizeof cases / sizeof cases[0]);
    /* Lambda's other documented Invoke errors, each with its status. */
    static const struct {
        int http;
        const char *type;
        ctl_status status;
        int attempts;
    } more[] = {
        { 415, "UnsupportedMediaTypeException", CTL_ERR_REJECTED, 1 },
        { 400, "InvalidParameterValueException", CTL_ERR_REJECTED, 1 },
        { 409, "ResourceConflictException", CTL_ERR_REJECTED, 1 },
        { 400, "RecursiveInvocationException", CTL_ERR_REJECTED, 1 },
        { 403, "EFSMountFailureException", CTL_ERR_REJECTED, 1 },
        { 408, "EFSMountTimeoutException", CTL_ERR_REJECTED, 1 },
        { 403, "ExpiredTokenException", CTL_ERR_ACCESS_DENIED, 1 },
        { 400, "UnrecognizedClientException", CTL_ERR_ACCESS_DENIED, 1 },
        { 400, "ThrottlingException", CTL_ERR_THROTTLED, 3 },
        { 502, "EC2ThrottledException", CTL_ERR_THROTTLED, 3 },
        { 502, "ENILimitReachedException", CTL_ERR_SERVICE, 3 },
        { 502, "KMSAccessDeniedException", CTL_ERR_SERVICE, 3 },
        { 502, "ResourceNotReadyException", CTL_ERR_SERVICE, 3 },
        { 503, "ServiceUnavailableException", CTL_ERR_SERVICE, 3 },
        { 504, "GatewayTimeout", CTL_ERR_SERVICE, 3 },
        /* The SDKs retry 500, 502, 503 and 504 only. */
        { 501, "NotImplemented", CTL_ERR_SERVICE, 1 },
        { 505, "HttpVersionNotSupported", CTL_ERR_SERVICE, 1 },
        { 400, "RequestTimeoutException", CTL_ERR_REJECTED, 3 },
    };
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
        char name[96];
        snprintf(name, sizeof name, "err-%d-%s", more[i].http, more[i].type);
        ping_case c = { name, more[i].status, more[i].type, "scripted", more[i].attempts };
        expect_pings(client, &c, 1);
    }

    /* The statuses' own types and texts exist. */
    CHECK(strcmp(ctl_status_error_type(CTL_ERR_NETWORK), "ctl.NetworkError") == 0, "type");
    CHECK(strcmp(ctl_status_str(CTL_ERR_THROTTLED), "throttled") == 0, "text");
    ctl_client_free(client);
}

static void test_retries(void)
{
    ctl_lambda_config lc = fast();
    ctl_client *client = make_client(&lc);
    char type[128], message[512];

    /* 503 twice, then the answer: three attempts, success. */
    CHECK(ping(client, "flaky-call", type, message) == CTL_OK, "flaky call: %s", message);
    CHECK(record_count("flaky-call") == 3, "flaky call: %d attempts", record_count("flaky-call"));
    CHECK(ctl_client_route(client, "echo", "flaky-send") == CTL_OK, "route");
    t_echo_fire_args fire = { .id = "f", .n = 1 };
    CHECK(t_echo_fire_send(client, &fire) == CTL_OK, "send");
    ctl_client_flush(client);
    ctl_client_stats stats;
    ctl_client_stats_get(client, &stats);
    CHECK(stats.succeeded == 1 && stats.retried == 2 && stats.failed == 0, "flaky send stats %llu/%llu/%llu",
          (unsigned long long)stats.succeeded, (unsigned long long)stats.retried,
          (unsigned long long)stats.failed);
    CHECK(record_count("flaky-send") == 3, "flaky send attempts");

    /* 429 with Retry-After: 1, then success: the retry waits the second. */
    CHECK(ping(client, "throttle1-call", type, message) == CTL_OK, "throttle1: %s", message);
    cJSON *r = record("throttle1-call");
    cJSON *times = cJSON_GetObjectItem(r, "times");
    CHECK(cJSON_GetArraySize(times) == 2, "throttle1 attempts");
    if (cJSON_GetArraySize(times) == 2) {
        double gap = cJSON_GetArrayItem(times, 1)->valuedouble - cJSON_GetArrayItem(times, 0)->valuedouble;
        CHECK(gap >= 950 && gap < 5000, "Retry-After 1 s honoured: gap %.0f ms", gap);
    }
    cJSON_Delete(r);
    ctl_client_free(client);

    /* Throttled for good: max_attempts attempts, CTL_ERR_THROTTLED. */
    lc.max_attempts = 2;
    client = make_client(&lc);
    CHECK(ping(client, "throttle", type, message) == CTL_ERR_THROTTLED, "throttle: %s", type);
    CHECK(strcmp(type, "TooManyRequestsException") == 0, "throttle type %s", type);
    CHECK(record_count("throttle") == 2, "throttle: %d attempts", record_count("throttle"));
    ctl_client_free(client);
}

static void test_network(void)
{
    ctl_lambda_config lc = fast();
    ctl_client *client = make_client(&lc);
    char type[128], message[512];
    CHECK(ping(client, "reset", type, message) == CTL_ERR_NETWORK, "reset: %s %s", type, message);
    CHECK(strcmp(type, "ctl.NetworkError") == 0, "reset type %s", type);
    CHECK(strstr(message, base) != NULL, "reset message names the endpoint: %s", message);
    CHECK(record_count("reset") == 3, "reset: %d attempts", record_count("reset"));

    /* Reset while the body is still being sent (300 KB, half read). */
    CHECK(ctl_client_route(client, "echo", "cut") == CTL_OK, "route");
    size_t n = 300 * 1024;
    char *id = malloc(n + 1);
    memset(id, 'z', n);
    id[n] = '\0';
    /* fail's message has no @length: flat's id (at most 64) would be refused
     * by the stub before anything is sent. */
    t_echo_fail_args big = { .message = id };
    ctl_reply *reply = NULL;
    ctl_status st = t_echo_fail_call(client, &big, &reply);
    CHECK(st == CTL_ERR_NETWORK, "cut: %s %s", ctl_status_str(st),
          ctl_reply_error_message(reply) ? ctl_reply_error_message(reply) : "");
    saw(ctl_reply_error_message(reply));
    ctl_reply_free(reply);
    free(id);
    CHECK(record_count("cut") == 3, "cut: %d attempts", record_count("cut"));
    ctl_client_free(client);

    /* A server slower than the client's timeout. */
    lc.timeout_ms = 300;
    lc.max_attempts = 1;
    client = make_client(&lc);
    uint64_t t0 = now_ms();
    CHECK(ping(client, "slow", type, message) == CTL_ERR_NETWORK, "slow: %s %s", type, message);
    uint64_t took = now_ms() - t0;
    CHECK(took >= 250 && took < 1800, "the timeout cut the call at %llu ms", (unsigned long long)took);
    CHECK(strstr(message, "imeout") || strstr(message, "timed out"), "slow message: %s", message);
    ctl_client_free(client);

    /* Nothing listening: connection refused, retried, then network error. */
    ctl_lambda_config closed = fast();
    closed.endpoint_url = "http://127.0.0.1:1";
    client = make_client(&closed);
    CHECK(ping(client, "ok", type, message) == CTL_ERR_NETWORK, "refused: %s", message);
    ctl_client_free(client);
}

static void test_limits(void)
{
    ctl_lambda_config lc = fast();
    ctl_client *client = make_client(&lc);
    CHECK(ctl_client_route(client, "echo", "big") == CTL_OK, "route");
    size_t n = CTL_MAX_ASYNC_PAYLOAD;
    char *id = malloc(n + 1);
    memset(id, 'a', n);
    id[n] = '\0';
    t_echo_fire_args fire = { .id = id, .n = 1 };
    ctl_status st = t_echo_fire_send(client, &fire);
    CHECK(st == CTL_ERR_TOO_LARGE, "1 MB send: %s", ctl_status_str(st));
    CHECK(strstr(ctl_client_error(client), "1 MB") != NULL, "message: %s", ctl_client_error(client));
    free(id);

    n = CTL_MAX_SYNC_PAYLOAD;
    id = malloc(n + 1);
    memset(id, 'b', n);
    id[n] = '\0';
    t_echo_fail_args big = { .message = id };
    ctl_reply *reply = NULL;
    st = t_echo_fail_call(client, &big, &reply);
    CHECK(st == CTL_ERR_TOO_LARGE, "6 MB call: %s", ctl_status_str(st));
    CHECK(ctl_reply_error_message(reply) && strstr(ctl_reply_error_message(reply), "6 MB"), "call message");
    ctl_reply_free(reply);
    free(id);

    /* Just under the async limit goes through. */
    n = CTL_MAX_ASYNC_PAYLOAD - 64;
    id = malloc(n + 1);
    memset(id, 'c', n);
    id[n] = '\0';
    fire.id = id;
    CHECK(t_echo_fire_send(client, &fire) == CTL_OK, "under 1 MB");
    ctl_client_flush(client);
    free(id);
    CHECK(record_count("big") == 1, "only the one under the limit reached the server");
    ctl_client_free(client);
}

static void test_function_error(void)
{
    ctl_lambda_config lc = fast();
    ctl_client *client = make_client(&lc);
    CHECK(ctl_client_route(client, "echo", "fn-error") == CTL_OK, "route");
    t_echo_fail_args args = { .error_type = "leedz.Boom", .message = "kaput \"now\"" };
    ctl_reply *reply = NULL;
    ctl_status st = t_echo_fail_call(client, &args, &reply);
    CHECK(st == CTL_ERR_HANDLER, "function error: %s", ctl_status_str(st));
    CHECK(ctl_reply_error_type(reply) && strcmp(ctl_reply_error_type(reply), "leedz.Boom") == 0, "type");
    CHECK(ctl_reply_error_message(reply) && strcmp(ctl_reply_error_message(reply), "kaput \"now\"") == 0,
          "message");
    ctl_reply_free(reply);
    CHECK(record_count("fn-error") == 1, "function errors are not retried by the caller");
    ctl_client_free(client);
}

typedef struct sender {
    ctl_client *client;
    int from, count;
    int errors;
} sender;

static void *send_many(void *arg)
{
    sender *s = arg;
    for (int i = s->from; i < s->from + s->count; i++) {
        char id[32];
        snprintf(id, sizeof id, "c%d", i);
        t_echo_fire_args fire = { .id = id, .n = i };
        if (t_echo_fire_send(s->client, &fire) != CTL_OK)
            s->errors++;
    }
    return NULL;
}

static void test_concurrent(void)
{
    ctl_lambda_config lc = fast();
    lc.max_in_flight = 32;
    ctl_client *client = make_client(&lc);
    CHECK(ctl_client_route(client, "echo", "many") == CTL_OK, "route");
    enum { THREADS = 4, EACH = 250 };
    pthread_t threads[THREADS];
    sender senders[THREADS];
    for (int t = 0; t < THREADS; t++) {
        senders[t] = (sender){ client, t * EACH, EACH, 0 };
        pthread_create(&threads[t], NULL, send_many, &senders[t]);
    }
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        CHECK(senders[t].errors == 0, "sender %d refused %d", t, senders[t].errors);
    }
    ctl_client_flush(client);
    ctl_client_stats stats;
    ctl_client_stats_get(client, &stats);
    CHECK(stats.sent == 1000 && stats.succeeded == 1000 && stats.failed == 0, "1000 sends: %llu/%llu/%llu",
          (unsigned long long)stats.sent, (unsigned long long)stats.succeeded, (unsigned long long)stats.failed);
    cJSON *r = record("many");
    cJSON *bodies = cJSON_GetObjectItem(r, "bodies");
    CHECK(cJSON_GetArraySize(bodies) == 1000, "the server got %d", cJSON_GetArraySize(bodies));
    static unsigned char got[THREADS * EACH];
    memset(got, 0, sizeof got);
    int bad = 0;
    cJSON *b;
    cJSON_ArrayForEach(b, bodies)
    {
        int i = -1, n = -2;
        char expect[96];
        if (sscanf(b->valuestring, "{\"function\":\"fire\",\"id\":\"c%d\",\"n\":%d}", &i, &n) != 2 || i != n ||
            i < 0 || i >= THREADS * EACH) {
            bad++;
            continue;
        }
        snprintf(expect, sizeof expect, "{\"function\":\"fire\",\"id\":\"c%d\",\"n\":%d}", i, i);
        if (strcmp(expect, b->valuestring) != 0)
            bad++;
        else
            got[i]++;
    }
    int once = 0;
    for (int i = 0; i < THREADS * EACH; i++)
        once += got[i] == 1;
    CHECK(bad == 0 && once == THREADS * EACH, "each event exactly once: %d bad, %d once", bad, once);
    /* Keep-alive: 1000 requests over at most max_in_flight connections. */
    int conns = cJSON_GetObjectItem(r, "connections")->valueint;
    CHECK(conns >= 1 && conns <= 32, "1000 requests over %d connections", conns);
    printf("1000 sends: %d connections (max_in_flight 32)\n", conns);
    cJSON_Delete(r);
    ctl_client_free(client);

    /* max_in_flight bounds what is on the wire, and is reached: 64 sends to
     * a function that takes 50 ms, at most 8 at once. */
    lc.max_in_flight = 8;
    client = make_client(&lc);
    CHECK(ctl_client_route(client, "echo", "pause-8") == CTL_OK, "route");
    for (int i = 0; i < 64; i++) {
        t_echo_fire_args fire = { .id = "p", .n = i };
        CHECK(t_echo_fire_send(client, &fire) == CTL_OK, "send");
    }
    ctl_client_flush(client);
    r = record("pause-8");
    int peak = cJSON_GetObjectItem(r, "max_in_flight")->valueint;
    CHECK(cJSON_GetObjectItem(r, "count")->valueint == 64, "64 answered");
    CHECK(peak >= 2 && peak <= 8, "%d in flight at once, not between 2 and 8", peak);
    printf("64 slow sends: at most %d in flight (max_in_flight 8)\n", peak);
    cJSON_Delete(r);
    ctl_client_free(client);
}

/* A sender that keeps one or more sends to a 50 ms function outstanding,
 * one every 5 ms, until told to stop or it reaches its cap. */
#define FLUSH_SENDER_CAP 4000
static atomic_int flush_stop, flush_sent;

static void *flush_sender(void *arg)
{
    ctl_client *client = arg;
    while (!atomic_load(&flush_stop) && atomic_load(&flush_sent) < FLUSH_SENDER_CAP) {
        t_echo_fire_args fire = { .id = "s", .n = atomic_load(&flush_sent) };
        if (t_echo_fire_send(client, &fire) != CTL_OK)
            break;
        atomic_fetch_add(&flush_sent, 1);
        struct timespec ts = { 0, 5 * 1000000L };
        nanosleep(&ts, NULL);
    }
    return NULL;
}

/* ctl_client_flush waits for the sends made before it, not for a moment
 * when nothing is outstanding: another thread that keeps sending must not
 * hold it up. Shown by order, not by time: flush returns while the other
 * thread is still sending (before its cap of 4000, i.e. 20 s of sends). */
static void test_flush_while_sending(void)
{
    ctl_lambda_config lc = fast();
    ctl_client *client = make_client(&lc);
    CHECK(ctl_client_route(client, "echo", "pause-flush") == CTL_OK, "route");
    t_echo_fire_args mine = { .id = "m", .n = -1 };
    CHECK(t_echo_fire_send(client, &mine) == CTL_OK, "send");
    atomic_store(&flush_stop, 0);
    atomic_store(&flush_sent, 0);
    pthread_t t;
    pthread_create(&t, NULL, flush_sender, client);
    while (atomic_load(&flush_sent) < 3)
        sched_yield();
    ctl_client_stats before;
    ctl_client_stats_get(client, &before);
    ctl_client_flush(client);
    int sent_at_return = atomic_load(&flush_sent);
    ctl_client_stats after;
    ctl_client_stats_get(client, &after);
    atomic_store(&flush_stop, 1);
    pthread_join(t, NULL);
    CHECK(sent_at_return < FLUSH_SENDER_CAP, "flush waited for the other thread to stop sending (%d sends)",
          sent_at_return);
    /* Everything sent before the flush began has ended. */
    CHECK(after.succeeded + after.failed >= before.sent, "flush returned with sends of before it pending: %llu of %llu",
          (unsigned long long)(after.succeeded + after.failed), (unsigned long long)before.sent);
    ctl_client_flush(client);
    ctl_client_stats_get(client, &after);
    CHECK(after.sent == (uint64_t)atomic_load(&flush_sent) + 1 && after.succeeded == after.sent,
          "all sends acknowledged: %llu of %llu", (unsigned long long)after.succeeded,
          (unsigned long long)after.sent);
    printf("flush under load: returned after %d other sends\n", sent_at_return);
    ctl_client_free(client);
}

/* The failure sink's callback runs on the transport thread: a sync call or
 * a flush from there would wait for that thread itself. The call fails at
 * once with CTL_ERR_USAGE and the flush returns; a send is accepted. */
static atomic_int cb_calls;
static ctl_status cb_call_status;
static ctl_status cb_send_status;

static void calling_sink(void *user, const char *controller, const char *event, size_t len, const char *error_type,
                         const char *error_message, int attempts)
{
    (void)controller;
    (void)event;
    (void)len;
    (void)error_type;
    (void)error_message;
    (void)attempts;
    ctl_client *client = *(ctl_client **)user;
    ctl_response resp;
    static const char ping_event[] = "{\"function\":\"ping\"}";
    static const char fire_event[] = "{\"function\":\"fire\",\"id\":\"x\",\"n\":1}";
    cb_call_status = ctl_client_call(client, "echo", ping_event, strlen(ping_event), &resp);
    saw(resp.error_message);
    ctl_response_free(&resp);
    ctl_client_flush(client);
    if (atomic_fetch_add(&cb_calls, 1) == 0)
        cb_send_status = ctl_client_send(client, "echo-after", fire_event, strlen(fire_event));
}

static void test_sink_callback_calls(void)
{
    static ctl_client *client;
    ctl_client_config cfg = { .dead_letter_path = "", .on_failure = calling_sink, .failure_user = &client };
    client = ctl_client_new(&cfg);
    ctl_lambda_config lc = fast();
    CHECK(client && ctl_client_use_lambda(client, &lc) == CTL_OK, "client");
    CHECK(ctl_client_route(client, "echo", "missing") == CTL_OK, "route");
    t_echo_fire_args fire = { .id = "cb", .n = 1 };
    int before = record_count("echo-after");
    CHECK(t_echo_fire_send(client, &fire) == CTL_OK, "send");
    ctl_client_flush(client);
    ctl_client_flush(client); /* the callback's own send */
    CHECK(atomic_load(&cb_calls) == 1, "the callback ran %d times", atomic_load(&cb_calls));
    CHECK(cb_call_status == CTL_ERR_USAGE, "a call from the callback: %s", ctl_status_str(cb_call_status));
    CHECK(cb_send_status == CTL_OK, "a send from the callback: %s", ctl_status_str(cb_send_status));
    CHECK(record_count("echo-after") == before + 1, "the callback's send arrived");
    ctl_client_free(client);
}

/* Answers no client should trust or choke on: each gets a clear status,
 * none crashes or grows memory past the reply cap. */
static void test_hostile(void)
{
    static const ping_case cases[] = {
        { "hostile-huge", CTL_ERR_SERVICE, "ctl.ServiceError", "over 8 MB", 1 },
        { "hostile-hugeerr", CTL_ERR_SERVICE, "ctl.ServiceError", "over 8 MB", 3 }, /* a 500: retried */
        { "hostile-header", CTL_ERR_NETWORK, "ctl.NetworkError", "from http://127.0.0.1:", 1 },
        { "hostile-fnjunk", CTL_ERR_HANDLER, "Unhandled", "not JSON (28 bytes)", 1 },
        { "hostile-fnempty", CTL_ERR_HANDLER, "Unhandled", "sent no error", 1 },
        { "hostile-fnnumtype", CTL_ERR_HANDLER, "Unhandled", "typed badly", 1 },
    };
    ctl_lambda_config lc = fast();
    ctl_client *client = make_client(&lc);
    expect_pings(client, cases, sizeof cases / sizeof cases[0]);

    /* A type longer than any AWS sends is cut, not overrun. */
    char type[128], message[512];
    CHECK(ping(client, "hostile-longtype", type, message) == CTL_ERR_REJECTED, "long type");
    CHECK(strlen(type) == 127 && strspn(type, "T") == 127, "long type kept as %zu bytes", strlen(type));

    /* No Content-Type on a result: the body is the result all the same. */
    CHECK(ctl_client_route(client, "echo", "hostile-noctype") == CTL_OK, "route");
    static const char ping_event[] = "{\"function\":\"ping\"}";
    ctl_response resp;
    ctl_status st = ctl_client_call(client, "echo", ping_event, strlen(ping_event), &resp);
    CHECK(st == CTL_OK && resp.body && strcmp(resp.body, "{\"ok\":true}") == 0, "no Content-Type: %s %s",
          ctl_status_str(st), resp.body ? resp.body : "(none)");
    ctl_response_free(&resp);
    ctl_client_free(client);
}

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* A retry that is due while every slot is taken waits for a slot without
 * spinning: one slot, a send throttled with Retry-After: 1, then a send
 * that takes 2 s. For the second half of those 2 s the retry is due and
 * has no room; the transport thread must sleep, not poll in a loop. The
 * process's CPU time over the flush shows which (a loop burns most of a
 * second; sleeping, a few ms). */
static void test_no_spin(void)
{
    ctl_lambda_config lc = fast();
    lc.max_in_flight = 1;
    ctl_client *client = make_client(&lc);
    t_echo_fire_args fire = { .id = "spin", .n = 1 };
    CHECK(ctl_client_route(client, "echo", "throttle1-spin") == CTL_OK, "route");
    CHECK(t_echo_fire_send(client, &fire) == CTL_OK, "send");
    CHECK(ctl_client_route(client, "echo", "slow") == CTL_OK, "route");
    CHECK(t_echo_fire_send(client, &fire) == CTL_OK, "send");
    double cpu0 = cpu_ms();
    uint64_t t0 = now_ms();
    ctl_client_flush(client);
    double cpu = cpu_ms() - cpu0;
    uint64_t wall = now_ms() - t0;
    ctl_client_stats stats;
    ctl_client_stats_get(client, &stats);
    CHECK(stats.succeeded == 2 && stats.retried == 1, "both sent: %llu succeeded, %llu retried",
          (unsigned long long)stats.succeeded, (unsigned long long)stats.retried);
    CHECK(cpu < 200.0, "%.0f ms of CPU while waiting %llu ms for a slot", cpu, (unsigned long long)wall);
    printf("a due retry waiting %llu ms for a slot: %.1f ms CPU\n", (unsigned long long)wall, cpu);
    ctl_client_free(client);
}

static void test_failure_sink(void)
{
    atomic_store(&sunk, 0);
    remove(dlq);
    ctl_lambda_config lc = fast();
    ctl_client *client = make_client(&lc);
    t_echo_fire_args fire = { .id = "lost?", .n = 3 };
    CHECK(ctl_client_route(client, "echo", "missing") == CTL_OK, "route");
    for (int i = 0; i < 3; i++)
        CHECK(t_echo_fire_send(client, &fire) == CTL_OK, "send");
    CHECK(ctl_client_route(client, "echo", "broken") == CTL_OK, "route");
    for (int i = 0; i < 2; i++)
        CHECK(t_echo_fire_send(client, &fire) == CTL_OK, "send");
    /* ctl_client_free flushes: nothing is lost when the client ends. */
    ctl_client_free(client);
    CHECK(atomic_load(&sunk) == 5, "sunk %d", atomic_load(&sunk));
    CHECK(count_lines(dlq) == 5, "dead letters %d", count_lines(dlq));
    CHECK(strstr(sink_text, "echo ResourceNotFoundException Function not found") != NULL, "sink text: %s",
          sink_text);
    CHECK(strstr(sink_text, "echo ServiceException An internal error occurred 3") != NULL, "attempts in sink: %s",
          sink_text);
    FILE *f = fopen(dlq, "r");
    char line[4096];
    int parsed = 0;
    while (f && fgets(line, sizeof line, f)) {
        cJSON *j = cJSON_Parse(line);
        cJSON *ev = cJSON_GetObjectItem(j, "event");
        if (ev && cJSON_IsString(cJSON_GetObjectItem(ev, "id")) &&
            strcmp(cJSON_GetObjectItem(ev, "id")->valuestring, "lost?") == 0)
            parsed++;
        saw(line);
        cJSON_Delete(j);
    }
    if (f)
        fclose(f);
    CHECK(parsed == 5, "dead-letter lines carry the event: %d", parsed);
}

static void test_names(void)
{
    /* What boto3 1.43 (botocore) puts on the wire for each FunctionName,
     * captured from its requests to a loopback server. A qualifier given as
     * boto3's Qualifier= parameter travels in the query instead; libctl
     * takes it in the name (name:qualifier), which Lambda treats the same. */
    static const struct {
        const char *name, *path;
    } forms[] = {
        { "f", "/2015-03-31/functions/f/invocations" },
        { "f:prod", "/2015-03-31/functions/f%3Aprod/invocations" },
        { "f:$LATEST", "/2015-03-31/functions/f%3A%24LATEST/invocations" },
        { "arn:aws:lambda:us-east-1:123456789012:function:f",
          "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Af/invocations" },
        { "arn:aws:lambda:us-east-1:123456789012:function:f:prod",
          "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Af%3Aprod/invocations" },
        { "123456789012:function:f", "/2015-03-31/functions/123456789012%3Afunction%3Af/invocations" },
        { "123456789012:function:f:3", "/2015-03-31/functions/123456789012%3Afunction%3Af%3A3/invocations" },
    };
    ctl_lambda_config lc = fast();
    ctl_client *client = make_client(&lc);
    t_echo_fire_args fire = { .id = "n", .n = 0 };
    size_t nforms = sizeof forms / sizeof forms[0];
    for (size_t i = 0; i < nforms; i++) {
        CHECK(ctl_client_route(client, "echo", forms[i].name) == CTL_OK, "route %s: %s", forms[i].name,
              ctl_client_error(client));
        CHECK(t_echo_fire_send(client, &fire) == CTL_OK, "send");
        ctl_client_flush(client); /* in order */
    }
    cJSON *r = record("f");
    cJSON *paths = cJSON_GetObjectItem(r, "paths");
    CHECK((size_t)cJSON_GetArraySize(paths) == nforms, "%d requests", cJSON_GetArraySize(paths));
    for (size_t i = 0; i < nforms && i < (size_t)cJSON_GetArraySize(paths); i++) {
        const char *p = cJSON_GetArrayItem(paths, (int)i)->valuestring;
        CHECK(strcmp(p, forms[i].path) == 0, "%s went to %s", forms[i].name, p);
    }
    cJSON_Delete(r);

    /* Other partitions, the longest name and qualifier: accepted. */
    static const char *const good[] = {
        "arn:aws-cn:lambda:cn-north-1:123456789012:function:f",
        "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f:1",
        "x123456789012345678901234567890123456789012345678901234567890123",
        "f:q2345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        CHECK(ctl_client_route(client, "echo", good[i]) == CTL_OK, "'%s' refused: %s", good[i],
              ctl_client_error(client));
    static const char *const bad[] = {
        "f:q23456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "arn:aws:lambda:us-east-1:123456789012:function:f:1:2", "arn:gcp:lambda:us-east-1:123456789012:function:f",
        "", "has space", "a:b:c", "arn:aws:s3:us-east-1:123456789012:function:f", "12345:function:f",
        "arn:aws:lambda:us-east-1:123456789012:layer:f", "f:", "f:bad.qualifier",
        "x12345678901234567890123456789012345678901234567890123456789012345",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ctl_status st = ctl_client_route(client, "echo", bad[i]);
        CHECK(st == CTL_ERR_USAGE, "'%s' accepted", bad[i]);
        CHECK(strstr(ctl_client_error(client), "not a Lambda function name") != NULL, "message: %s",
              ctl_client_error(client));
    }
    /* Lambda's exact rules (issue 18): each refusal names the rule. */
    static const struct {
        const char *name, *rule;
    } refused[] = {
        { "f:", "the qualifier is $LATEST, a version number or an alias of 1 to 128" },
        { "arn:evil:lambda:us-east-1:123456789012:function:f", "not an AWS partition" },
        { "arn:aws-evil:lambda:us-east-1:123456789012:function:f", "not an AWS partition" },
        { "arn::lambda:::function:x", "not an AWS partition" },
        { "arn:aws:lambda:::function:x", "not a region name" },
        { "arn:aws:lambda:x:123456789012:function:f", "not a region name" },
        { "arn:aws:lambda:us-east-:123456789012:function:f", "not a region name" },
        { "arn:aws:lambda:US-EAST-1:123456789012:function:f", "not a region name" },
        { "arn:aws:lambda:us-east-1::function:f", "account id is not 12 digits" },
        { "arn:aws:lambda:us-east-1:12345678901\r:function:f", "account id is not 12 digits" },
        { "arn:aws:lambda:us-east-1:1234567890\r\n:function:f", "account id is not 12 digits" },
        { "12345678901\n:function:f", "12-digit account id" },
        { "arn:aws:lambda:us-east-1:123456789012:function:", "the function name is 1 to 64" },
        { "f:a.b", "the qualifier is $LATEST" },
        { "f:$latest", "the qualifier is $LATEST" },
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        CHECK(ctl_client_route(client, "echo", refused[i].name) == CTL_ERR_USAGE, "'%s' accepted", refused[i].name);
        CHECK(strstr(ctl_client_error(client), refused[i].rule) != NULL, "'%s': %s", refused[i].name,
              ctl_client_error(client));
    }
    /* Aliases of 65 to 128 characters (Lambda's Alias: 1 to 128), a
     * version, and every partition with a region of its own. */
    char alias[160];
    for (size_t len = 65; len <= 128; len += 63) {
        static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
        alias[0] = 'f', alias[1] = ':';
        for (size_t k = 0; k < len; k++)
            alias[2 + k] = chars[k % (sizeof chars - 1)];
        alias[2 + len] = '\0';
        CHECK(strlen(alias) == len + 2, "alias length %zu", strlen(alias) - 2);
        CHECK(ctl_client_route(client, "echo", alias) == CTL_OK, "a %zu-character alias: %s", len,
              ctl_client_error(client));
    }
    static const char *const accepted[] = {
        "f:42",
        "arn:aws-iso:lambda:us-iso-east-1:123456789012:function:f",
        "arn:aws-iso-b:lambda:us-isob-east-1:123456789012:function:f:$LATEST",
        "arn:aws-eusc:lambda:eusc-de-east-1:123456789012:function:f:live",
    };
    for (size_t i = 0; i < sizeof accepted / sizeof accepted[0]; i++)
        CHECK(ctl_client_route(client, "echo", accepted[i]) == CTL_OK, "'%s' refused: %s", accepted[i],
              ctl_client_error(client));
    ctl_client_free(client);

    /* CTL_FUNCTION_<NAME> routes without code; a bad one fails the send. */
    setenv("CTL_FUNCTION_ECHO", "env-routed:live", 1);
    client = make_client(&lc);
    CHECK(t_echo_fire_send(client, &fire) == CTL_OK, "env route: %s", ctl_client_error(client));
    ctl_client_flush(client);
    cJSON *er = record("env-routed");
    cJSON *ep = cJSON_GetArrayItem(cJSON_GetObjectItem(er, "paths"), 0);
    CHECK(ep && strcmp(ep->valuestring, "/2015-03-31/functions/env-routed%3Alive/invocations") == 0, "env path");
    cJSON_Delete(er);
    ctl_client_free(client);
    setenv("CTL_FUNCTION_ECHO", "no way", 1);
    client = make_client(&lc);
    CHECK(t_echo_fire_send(client, &fire) == CTL_ERR_USAGE, "bad env route");
    CHECK(strstr(ctl_client_error(client), "CTL_FUNCTION_ECHO") != NULL, "names the variable: %s",
          ctl_client_error(client));
    ctl_client_free(client);
    unsetenv("CTL_FUNCTION_ECHO");

    /* The variable's whole name counts: with a controller name of 120
     * characters, one cut at any length must not be taken for it. */
    char controller[121], var[160], cut[160];
    memset(controller, 'x', 120);
    controller[120] = '\0';
    snprintf(var, sizeof var, "CTL_FUNCTION_%s", controller);
    for (char *p = var + 13; *p; p++)
        *p = 'X';
    snprintf(cut, sizeof cut, "%.127s", var); /* what a 128-byte buffer kept */
    setenv(cut, "env-cut", 1);
    setenv(var, "env-whole", 1);
    client = make_client(&lc);
    static const char fire_event[] = "{\"function\":\"fire\",\"id\":\"w\",\"n\":1}";
    int cut_before = record_count("env-cut");
    CHECK(ctl_client_send(client, controller, fire_event, strlen(fire_event)) == CTL_OK, "long controller: %s",
          ctl_client_error(client));
    ctl_client_flush(client);
    CHECK(record_count("env-whole") == 1 && record_count("env-cut") == cut_before,
          "a long controller's variable: %d whole, %d cut", record_count("env-whole"),
          record_count("env-cut") - cut_before);
    ctl_client_free(client);
    unsetenv(cut);
    unsetenv(var);

    /* Without a route the function has the controller's name. */
    client = make_client(&lc);
    CHECK(t_echo_fire_send(client, &fire) == CTL_OK, "default route");
    ctl_client_flush(client);
    CHECK(record_count("echo") == 1, "went to 'echo'");
    ctl_client_free(client);
}

static void test_environment(void)
{
    ctl_lambda_config lc = fast();
    lc.max_attempts = 1;
    lc.connect_timeout_ms = 2000;

    /* AWS_ENDPOINT_URL_LAMBDA wins over AWS_ENDPOINT_URL. */
    char good[96];
    snprintf(good, sizeof good, "%s/", base);
    setenv("AWS_ENDPOINT_URL_LAMBDA", good, 1);
    setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1", 1);
    ctl_client *client = make_client(&lc);
    char type[128], message[512];
    CHECK(ping(client, "env-a", type, message) == CTL_OK, "AWS_ENDPOINT_URL_LAMBDA first: %s", message);
    ctl_client_free(client);
    /* ... and AWS_ENDPOINT_URL when it is the only one. */
    unsetenv("AWS_ENDPOINT_URL_LAMBDA");
    setenv("AWS_ENDPOINT_URL", base, 1);
    client = make_client(&lc);
    CHECK(ping(client, "env-b", type, message) == CTL_OK, "AWS_ENDPOINT_URL: %s", message);
    ctl_client_free(client);
    /* The config wins over both. */
    setenv("AWS_ENDPOINT_URL_LAMBDA", "http://127.0.0.1:1", 1);
    lc.endpoint_url = base;
    client = make_client(&lc);
    CHECK(ping(client, "env-c", type, message) == CTL_OK, "config endpoint: %s", message);
    ctl_client_free(client);
    unsetenv("AWS_ENDPOINT_URL_LAMBDA");
    setenv("AWS_ENDPOINT_URL", base, 1);
    lc.endpoint_url = NULL;

    /* Region: AWS_REGION, then AWS_DEFAULT_REGION, else an error. */
    setenv("AWS_REGION", "us-east-1", 1);
    setenv("AWS_DEFAULT_REGION", "eu-west-3", 1);
    client = make_client(&lc);
    CHECK(ping(client, "region-a", type, message) == CTL_OK, "region a");
    ctl_client_free(client);
    unsetenv("AWS_REGION");
    client = make_client(&lc);
    CHECK(ping(client, "region-b", type, message) == CTL_OK, "region b");
    ctl_client_free(client);
    cJSON *ra = record("region-a"), *rb = record("region-b");
    const char *a = cJSON_GetArrayItem(cJSON_GetObjectItem(ra, "regions"), 0)->valuestring;
    const char *b = cJSON_GetArrayItem(cJSON_GetObjectItem(rb, "regions"), 0)->valuestring;
    CHECK(a && strcmp(a, "us-east-1") == 0, "AWS_REGION first: %s", a ? a : "none");
    CHECK(b && strcmp(b, "eu-west-3") == 0, "AWS_DEFAULT_REGION: %s", b ? b : "none");
    cJSON_Delete(ra);
    cJSON_Delete(rb);
    unsetenv("AWS_DEFAULT_REGION");
    ctl_client_config cfg = { .dead_letter_path = dlq };
    client = ctl_client_new(&cfg);
    CHECK(ctl_client_use_lambda(client, &lc) == CTL_ERR_USAGE, "no region");
    CHECK(strstr(ctl_client_error(client), "AWS_REGION") != NULL, "says so: %s", ctl_client_error(client));
    ctl_client_free(client);
    setenv("AWS_REGION", "us-east-1", 1);

    /* Credentials are required; the message names the variables only. */
    unsetenv("AWS_SECRET_ACCESS_KEY");
    client = ctl_client_new(&cfg);
    CHECK(ctl_client_use_lambda(client, &lc) == CTL_ERR_USAGE, "no credentials");
    CHECK(strstr(ctl_client_error(client), "AWS_SECRET_ACCESS_KEY") != NULL, "says so");
    saw(ctl_client_error(client));
    ctl_client_free(client);
    setenv("AWS_SECRET_ACCESS_KEY", SECRET, 1);

    /* Endpoints that are not http(s) URLs are refused, and a URL with user
     * info is not echoed back. */
    static const char *const bad[] = { "ftp://127.0.0.1:21", "not a url", "http://user:" SECRET "@127.0.0.1:1/",
                                       "http://127.0.0.1:1/?q=1" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lc.endpoint_url = bad[i];
        client = ctl_client_new(&cfg);
        CHECK(ctl_client_use_lambda(client, &lc) == CTL_ERR_USAGE, "endpoint %zu accepted", i);
        saw(ctl_client_error(client));
        ctl_client_free(client);
    }
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fputs("usage: ctl_invoke_test PYTHON3 invoke_double.py SCRATCH_DIR\n", stderr);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    scratch = argv[3];
    snprintf(dlq, sizeof dlq, "%s/invoke-dead.jsonl", scratch);
    remove(dlq);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    start_double(argv[1], argv[2]);
    unsetenv("AWS_ENDPOINT_URL_LAMBDA");
    unsetenv("AWS_DEFAULT_REGION");
    unsetenv("AWS_PROFILE");
    unsetenv("CTL_FUNCTION_ECHO");
    setenv("AWS_ENDPOINT_URL", base, 1);
    setenv("AWS_REGION", "us-east-1", 1);
    setenv("AWS_ACCESS_KEY_ID", KEY_ID, 1);
    setenv("AWS_SECRET_ACCESS_KEY", SECRET, 1);
    setenv("AWS_SESSION_TOKEN", TOKEN, 1);

    test_success();
    test_errors();
    test_retries();
    test_network();
    test_limits();
    test_function_error();
    test_hostile();
    test_concurrent();
    test_flush_while_sending();
    test_no_spin();
    test_sink_callback_calls();
    test_failure_sink();
    test_names();
    test_environment();

    /* The double found nothing wrong with any request. */
    cJSON *problems = control("/_problems");
    int nproblems = cJSON_GetArraySize(problems);
    CHECK(nproblems == 0, "the double saw %d malformed requests", nproblems);
    for (int i = 0; i < nproblems && i < 10; i++)
        fprintf(stderr, "  %s\n", cJSON_GetArrayItem(problems, i)->valuestring);
    cJSON_Delete(problems);

    /* No secret in any error text, sink message or dead letter. */
    const char *leak = strstr(seen_errors, "SECRETKEY");
    CHECK(leak == NULL, "a secret leaked: %.300s", leak ? (leak - 100 > seen_errors ? leak - 100 : seen_errors) : "");
    CHECK(strstr(seen_errors, TOKEN) == NULL && strstr(sink_text, TOKEN) == NULL, "the token leaked");
    CHECK(strstr(sink_text, "SECRETKEY") == NULL, "a secret reached the sink");

    stop_double();
    curl_global_cleanup();
    printf("invoke_test: %d checks, %d failures\n", checks, failures);
    return failures ? 1 : 0;
}
