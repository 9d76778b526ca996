/* idem_dynamodb_test.c: the DynamoDB idempotency store
 * (runtime/src/lambda/idem_dynamodb.c) through dispatch. Links ctl_internal.
 *
 *   idem_dynamodb_test fault TABLE KEYS DELIVERIES
 *       against the endpoint of the environment (idem_dynamodb.py starts
 *       dynalite behind the botocore checker): DELIVERIES deliveries of KEYS
 *       keys on 4 threads, duplicates concurrent and sequential, each key's
 *       handler run once and every duplicate answered the first result
 *       byte for byte; another payload under a used key refused; a live
 *       claim refusing and an expired one taken over; a failed handler's
 *       key released; a claim taken over after it expired, whose first
 *       holder's completion and release then change nothing; a result as
 *       large as the item limit lets stored, one byte more not stored and
 *       its key released; and the same through an in-process client given
 *       the table by ctl_client_use_idempotency_table().
 *   idem_dynamodb_test hostile
 *       against a loopback server of canned replies: a body that is not
 *       JSON, an unknown error type, a 5xx then success, a condition failure
 *       without the item (then a GetItem), a missing table, a refused
 *       connection: each a clear error or the right verdict, no crash (ASan
 *       sees the leaks). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../check.h"

#include "ctl/gen.h"
#include "base/clock.h"
#include "codec/arena.h"
#include "codec/dispatch.h"
#include "codec/idem.h"
#include "lambda/idem_dynamodb.h"

enum { NTHREADS = 4, MAXKEYS = 100000 };

static int nkeys = 1000, ndeliveries = 10000;
static atomic_int *runs;              /* the side effect: a handler run per key */
static atomic_int run_serial, fail_runs, fail_first = 1;
static char **first_result;           /* per key: the first answer's bytes */
static size_t *first_len;
static pthread_mutex_t first_mu = PTHREAD_MUTEX_INITIALIZER;

static int key_of(const ctl_json *event)
{
    for (const ctl_json *m = event->child; m; m = m->next)
        if (m->key_len == 1 && m->key[0] == 'k' && m->type == CTL_JSON_NUMBER)
            return atoi(m->str);
    return -1;
}

/* fn count { k: int; note: string; } -> json, @idempotent(key: "k"): counts its key, slowly enough that
 * concurrent duplicates meet a claim in progress; its result differs on every run and holds text that
 * JSON and DynamoDB escape (quotes, a backslash, a control character, non-ASCII), so a duplicate's
 * answer shows whether it is the stored one, byte for byte. */
static int count_invoke(ctl_ctx *ctx, const ctl_json *event, ctl_cursor *cursor, ctl_buf *out)
{
    (void)cursor;
    if (!event)
        return CTL_NOT_READ; /* this one reads the tree */
    (void)ctx;
    int k = key_of(event);
    if (k < 0 || k >= nkeys)
        return -1;
    atomic_fetch_add(&runs[k], 1);
    nanosleep(&(struct timespec){ 0, 300000 }, NULL);
    char text[160];
    int n = snprintf(text, sizeof text, "{\"k\":%d,\"run\":%d,\"at\":%llu,\"text\":\"\\\"caf\xc3\xa9\\\\\\u0001/\"}", k,
                     atomic_fetch_add(&run_serial, 1), (unsigned long long)ctli_now_us());
    ctl_buf_put(out, text, (size_t)n);
    return 0;
}

/* async fn flaky { k: int; }, @idempotent(key: "k"): fails its first run. */
static int flaky_invoke(ctl_ctx *ctx, const ctl_json *event, ctl_cursor *cursor, ctl_buf *out)
{
    (void)cursor;
    if (!event)
        return CTL_NOT_READ; /* this one reads the tree */
    (void)event;
    atomic_fetch_add(&fail_runs, 1);
    if (atomic_exchange(&fail_first, 0))
        return ctl_fail(ctx, "Flaky", "the first run fails");
    CTL_BUF_LIT(out, "null");
    return 0;
}

static const ctl_function functions[] = {
    { .name = "count", .name_len = 5, .is_async = false, .invoke = count_invoke,
      .idempotent = &(const ctl_idempotency){ .keys = (const char *const[]){ "/k" }, .nkeys = 1, .expires_s = 600 } },
    { .name = "flaky", .name_len = 5, .is_async = true, .invoke = flaky_invoke,
      .idempotent = &(const ctl_idempotency){ .keys = (const char *const[]){ "/k" }, .nkeys = 1, .expires_s = 600 } },
};
static const ctl_controller ctrl = { .name = "idem", .functions = functions, .count = 2 };

static const ctli_idem_store *store;

static ctl_status deliver(const char *event, ctl_response *resp)
{
    ctli_invocation inv = { .idem = store };
    return ctli_dispatch_invocation(&ctrl, event, strlen(event), &inv, resp);
}

static bool is_type(const ctl_response *r, const char *type)
{
    return r->status != CTL_OK && r->error_type && strcmp(r->error_type, type) == 0;
}

/* A worker: deliveries i = first, first + NTHREADS, ... of key (i / NTHREADS) % nkeys, so that the
 * threads deliver one key at once (concurrent duplicates) and every key again in each later round
 * (sequential ones); each retried while its key is in progress, as the async core retries it. */
static atomic_int in_progress_seen, delivered_ok, wrong_answers, other_failures;
static void *worker(void *arg)
{
    int first = (int)(intptr_t)arg;
    for (int i = first; i < ndeliveries; i += NTHREADS) {
        int k = (i / NTHREADS) % nkeys;
        char event[96];
        snprintf(event, sizeof event, "{\"function\":\"count\",\"note\":\"same\",\"k\":%d}", k);
        for (int tries = 0; tries < 20000; tries++) {
            ctl_response r;
            ctl_status st = deliver(event, &r);
            bool busy = is_type(&r, "ctl.IdempotencyInProgress");
            if (st == CTL_OK) {
                atomic_fetch_add(&delivered_ok, 1);
                pthread_mutex_lock(&first_mu);
                if (!first_result[k]) {
                    first_result[k] = malloc(r.len + 1);
                    memcpy(first_result[k], r.body, r.len);
                    first_len[k] = r.len;
                } else if (first_len[k] != r.len || memcmp(first_result[k], r.body, r.len) != 0) {
                    if (atomic_fetch_add(&wrong_answers, 1) < 5)
                        fprintf(stderr, "key %d: %.*s, first %.*s\n", k, (int)r.len, r.body, (int)first_len[k],
                                first_result[k]);
                }
                pthread_mutex_unlock(&first_mu);
            } else if (!busy && atomic_fetch_add(&other_failures, 1) < 5) {
                fprintf(stderr, "delivery %d: %s: %s\n", i, r.error_type, r.error_message);
            }
            ctl_response_free(&r);
            if (!busy)
                break;
            atomic_fetch_add(&in_progress_seen, 1);
            nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
        }
    }
    ctli_thread_release();
    return NULL;
}

static void test_duplicates(void)
{
    uint64_t t0 = ctli_now_ms();
    pthread_t t[NTHREADS];
    for (int i = 0; i < NTHREADS; i++)
        pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i);
    for (int i = 0; i < NTHREADS; i++)
        pthread_join(t[i], NULL);
    int once = 0;
    for (int k = 0; k < nkeys; k++) {
        once += atomic_load(&runs[k]) == 1;
        CHECK(atomic_load(&runs[k]) == 1, "key %d ran %d times", k, atomic_load(&runs[k]));
    }
    CHECK(atomic_load(&in_progress_seen) > 0, "no delivery met a claim in progress");
    CHECK(atomic_load(&delivered_ok) == ndeliveries, "%d of %d deliveries succeeded", atomic_load(&delivered_ok),
          ndeliveries);
    CHECK(atomic_load(&wrong_answers) == 0, "%d duplicates answered other bytes than the first",
          atomic_load(&wrong_answers));
    CHECK(atomic_load(&other_failures) == 0, "%d deliveries failed", atomic_load(&other_failures));
    printf("duplicates: %d deliveries of %d keys on %d threads in %llu ms: %d keys ran once, %d refusals in "
           "progress, every duplicate answered the first result byte for byte\n",
           ndeliveries, nkeys, NTHREADS, (unsigned long long)(ctli_now_ms() - t0), once,
           atomic_load(&in_progress_seen));
}

static void test_validation(void)
{
    int refused = 0, ran = 0;
    for (int k = 0; k < nkeys; k += 10) {
        char event[96];
        snprintf(event, sizeof event, "{\"function\":\"count\",\"note\":\"other\",\"k\":%d}", k);
        ctl_response r;
        int before = atomic_load(&runs[k]);
        refused += deliver(event, &r) == CTL_ERR_HANDLER && is_type(&r, "ctl.IdempotencyValidationError");
        ran += atomic_load(&runs[k]) != before;
        ctl_response_free(&r);
    }
    CHECK(refused == (nkeys + 9) / 10 && ran == 0, "another payload: %d refused, %d ran", refused, ran);
}

/* A claim as a process that died mid-handler leaves it, of key k. */
static void claim_directly(int k, int64_t until)
{
    char event[96];
    snprintf(event, sizeof event, "{\"function\":\"count\",\"note\":\"n\",\"k\":%d}", k);
    ctl_arena arena;
    ctli_arena_init(&arena);
    ctl_json_error jerr;
    const ctl_json *root = ctl_json_parse(&arena, event, strlen(event), &jerr);
    ctli_idem_key key;
    char id[CTLI_IDEM_ID_MAX], err[512], *res = NULL;
    size_t len = 0;
    CHECK(root && ctli_idem_key_of(&ctrl, &functions[0], root, &key, id, err, sizeof err) == 0, "key: %s", err);
    int64_t now = (int64_t)ctli_wall_ms();
    CHECK(store->claim(store->self, id, key.validation, now, until, &res, &len, err, sizeof err) ==
              CTLI_IDEM_CLAIMED,
          "claim: %s", err);
    ctli_arena_free(&arena);
}

static void test_claims(void)
{
    /* keys past those of the fault run, whose counters exist: nkeys - 1 and - 2 were used, so take two
     * fresh ones by shifting the key space: the counters are indexed by k, so use k = nkeys + 0/1 */
    ctl_response r;
    int live = nkeys, dead = nkeys + 1;
    claim_directly(live, (int64_t)ctli_wall_ms() + 60000);
    char event[96];
    snprintf(event, sizeof event, "{\"function\":\"count\",\"note\":\"n\",\"k\":%d}", live);
    CHECK(deliver(event, &r) == CTL_ERR_HANDLER && is_type(&r, "ctl.IdempotencyInProgress"),
          "a live claim refuses: %s", r.error_type);
    ctl_response_free(&r);
    claim_directly(dead, (int64_t)ctli_wall_ms() - 1500);
    snprintf(event, sizeof event, "{\"function\":\"count\",\"note\":\"n\",\"k\":%d}", dead);
    nkeys += 2; /* the handler counts these two now */
    CHECK(deliver(event, &r) == CTL_OK && atomic_load(&runs[dead]) == 1,
          "an expired claim is taken over, the handler runs: %s %s", r.error_type, r.error_message);
    ctl_response_free(&r);
    CHECK(deliver(event, &r) == CTL_OK && atomic_load(&runs[dead]) == 1, "its duplicate is answered: %s",
          r.error_type);
    ctl_response_free(&r);
}

static void test_failure_releases(void)
{
    ctl_response r;
    CHECK(deliver("{\"function\":\"flaky\",\"k\":1}", &r) == CTL_ERR_HANDLER && is_type(&r, "Flaky"), "first fails");
    ctl_response_free(&r);
    CHECK(deliver("{\"function\":\"flaky\",\"k\":1}", &r) == CTL_OK, "the retry runs: %s", r.error_message);
    ctl_response_free(&r);
    CHECK(deliver("{\"function\":\"flaky\",\"k\":1}", &r) == CTL_OK, "the duplicate");
    ctl_response_free(&r);
    CHECK(atomic_load(&fail_runs) == 2, "flaky ran %d times, not 2", atomic_load(&fail_runs));
}

/* An in-process client whose store is the table: its workers run sends of 50 keys, ten in a row each
 * (the async core retrying in-progress refusals), each key once; a call's duplicate byte for byte. */
static void test_client(const char *table)
{
    int base = nkeys;
    nkeys += 50;
    ctl_client_config cfg = { .workers = NTHREADS, .retry_delay_ms = { 50, 100 }, .dead_letter_path = "",
                              .on_failure = NULL, .idempotency_path = "/nonexistent/never-opened.sqlite" };
    cfg.dead_letter_path = "idem-dynamodb-dead-letters.jsonl";
    ctl_client *client = ctl_client_new(&cfg);
    CHECK(client != NULL, "client");
    CHECK(ctl_client_use_idempotency_table(client, "no/such table") == CTL_ERR_USAGE &&
              strstr(ctl_client_error(client), "table name"),
          "a bad table name: %s", ctl_client_error(client));
    CHECK(ctl_client_use_idempotency_table(client, table) == CTL_OK, "table: %s", ctl_client_error(client));
    CHECK(ctl_client_use_idempotency_table(client, table) == CTL_ERR_USAGE, "a second store is refused");
    CHECK(ctl_client_register(client, &ctrl) == CTL_OK, "register (the SQLite path is not opened): %s",
          ctl_client_error(client));
    for (int i = 0; i < 500; i++) {
        char event[96];
        int n = snprintf(event, sizeof event, "{\"function\":\"count\",\"note\":\"c\",\"k\":%d}", base + i / 10);
        CHECK(ctl_client_send(client, "idem", event, (size_t)n) == CTL_OK, "send %d", i);
    }
    ctl_client_drain(client);
    ctl_client_stats st;
    ctl_client_stats_get(client, &st);
    int once = 0;
    for (int k = base; k < base + 50; k++)
        once += atomic_load(&runs[k]) == 1;
    CHECK(once == 50, "client: %d of 50 keys ran once", once);
    CHECK(st.succeeded == 500 && st.failed == 0, "client: %llu succeeded, %llu failed",
          (unsigned long long)st.succeeded, (unsigned long long)st.failed);
    ctl_response a, b;
    char ev[96];
    snprintf(ev, sizeof ev, "{\"function\":\"count\",\"note\":\"c\",\"k\":%d}", base + 7);
    CHECK(ctl_client_call(client, "idem", ev, strlen(ev), &a) == CTL_OK, "call");
    CHECK(ctl_client_call(client, "idem", ev, strlen(ev), &b) == CTL_OK, "call again");
    CHECK(a.body && b.body && a.len == b.len && memcmp(a.body, b.body, a.len) == 0, "client: %s vs %s", a.body,
          b.body);
    printf("client: 500 sends of 50 keys on %d workers, %llu retried in progress; a call's duplicate byte for byte\n",
           NTHREADS, (unsigned long long)st.retried);
    ctl_response_free(&a);
    ctl_response_free(&b);
    ctl_client_free(client);
}

/* The race of issue 13 on the table: a claim expires, another delivery
 * takes the key over; the first holder's completion and release must not
 * touch the takeover's claim (the conditions name the claim's
 * in_progress_expiration). */
static void test_takeover(void)
{
    char err[512], *res = NULL;
    size_t len = 0;
    char key[80], v[65];
    snprintf(key, sizeof key, "idem.count#%064d", 1); /* the layout the table's check wants */
    snprintf(v, sizeof v, "%064d", 0);
    int64_t now = (int64_t)ctli_wall_ms(), first = now - 1000, second = now + 60000;
    CHECK(store->claim(store->self, key, v, now, first, &res, &len, err, sizeof err) == CTLI_IDEM_CLAIMED,
          "first claim: %s", err);
    CHECK(store->claim(store->self, key, v, now, second, &res, &len, err, sizeof err) == CTLI_IDEM_CLAIMED,
          "the expired claim is taken over: %s", err);
    CHECK(store->complete(store->self, key, first, "{\"by\":\"first\"}", 14, now + 60000, err, sizeof err) == 1 &&
              strstr(err, "no longer this delivery's claim"),
          "the first holder's completion is refused: %s", err);
    CHECK(store->release(store->self, key, first, err, sizeof err) == 0, "its release changes nothing: %s", err);
    CHECK(store->claim(store->self, key, v, now, now + 1000, &res, &len, err, sizeof err) == CTLI_IDEM_IN_PROGRESS,
          "the takeover's claim still holds the key: %s", err);
    CHECK(store->complete(store->self, key, second, "{\"by\":\"second\"}", 15, now + 60000, err, sizeof err) == 0,
          "the takeover completes: %s", err);
    CHECK(store->claim(store->self, key, v, now, now + 1000, &res, &len, err, sizeof err) == CTLI_IDEM_DONE &&
              res && strcmp(res, "{\"by\":\"second\"}") == 0,
          "a duplicate gets the takeover's result: %s", res ? res : err);
    free(res);
}

/* DynamoDB's item limit (400 KB): the largest result ctl's bound lets
 * through is stored by the table (so the bound is not looser than the
 * table's), one byte more is not stored and its key is released. */
static void test_item_limit(void)
{
    char err[512], *res = NULL;
    size_t len = 0;
    char fits_key[80], over_key[80];
    snprintf(fits_key, sizeof fits_key, "idem.count#%064d", 2);
    snprintf(over_key, sizeof over_key, "idem.count#%064d", 3);
    /* the bound counts a 64-digit validation and 21-byte numbers: the
     * largest data is the limit less the rest of the item */
    size_t rest = strlen("id") + strlen(fits_key) + strlen("status") + strlen("COMPLETED") + strlen("expiration") +
                  21 + strlen("in_progress_expiration") + 21 + strlen("validation") + 64 + strlen("data");
    size_t max = CTLI_IDEM_DYNAMODB_ITEM_MAX - rest;
    char *big = malloc(max + 2);
    CHECK(big != NULL, "malloc");
    if (!big)
        return;
    memset(big, 'a', max + 1);
    big[0] = '"';
    int64_t now = (int64_t)ctli_wall_ms(), until = now + 60000;
    char v[65];
    memset(v, 'f', 64);
    v[64] = '\0';
    CHECK(store->claim(store->self, fits_key, v, now, until, &res, &len, err, sizeof err) == CTLI_IDEM_CLAIMED,
          "claim: %s", err);
    big[max - 1] = '"';
    CHECK(store->complete(store->self, fits_key, until, big, max, now + 60000, err, sizeof err) == 0,
          "a result of %zu bytes, the most the bound lets through, is stored: %s", max, err);
    CHECK(store->claim(store->self, fits_key, v, now, until, &res, &len, err, sizeof err) == CTLI_IDEM_DONE &&
              len == max,
          "and answered: %zu bytes", len);
    free(res);
    res = NULL;
    CHECK(store->claim(store->self, over_key, v, now, until, &res, &len, err, sizeof err) == CTLI_IDEM_CLAIMED,
          "claim: %s", err);
    big[max - 1] = 'a';
    big[max] = '"';
    CHECK(store->complete(store->self, over_key, until, big, max + 1, now + 60000, err, sizeof err) == -1 &&
              strstr(err, "400 KB") && strstr(err, "released"),
          "a result one byte larger is not stored: %s", err);
    CHECK(store->claim(store->self, over_key, v, now, until, &res, &len, err, sizeof err) == CTLI_IDEM_CLAIMED,
          "its key was released: a delivery runs again: %s", err);
    free(res);
    free(big);
    printf("item limit: a result of %zu bytes stored, %zu not (key of %zu bytes)\n", max, max + 1, strlen(over_key));
}

static int fault(const char *table, int keys, int deliveries)
{
    nkeys = keys;
    ndeliveries = deliveries;
    runs = calloc((size_t)keys + 64, sizeof *runs);
    first_result = calloc((size_t)keys + 64, sizeof *first_result);
    first_len = calloc((size_t)keys + 64, sizeof *first_len);
    char err[512];
    ctli_idem_dynamodb *d = ctli_idem_dynamodb_open(table, NULL, NULL, err, sizeof err);
    CHECK(d != NULL, "open: %s", err);
    if (!d)
        return 1;
    store = ctli_idem_dynamodb_store(d);
    test_duplicates();
    test_validation();
    test_claims();
    test_failure_releases();
    test_takeover();
    test_item_limit();
    ctli_idem_dynamodb_close(d);
    test_client(table);
    for (int k = 0; k < keys + 64; k++)
        free(first_result[k]);
    free(first_result);
    free(first_len);
    free(runs);
    return 0;
}

/* ---- hostile replies ---------------------------------------------------------------------------- */

typedef struct canned {
    int status;
    const char *body;
} canned;

static int listener;
static canned script[16];
static atomic_int nscript, served;
static char last_target[128];

/* The header line named name (lower case, "\r\nname:") in buf, any case, or NULL. */
static char *find_header(char *buf, const char *name)
{
    size_t n = strlen(name);
    for (char *p = buf; *p; p++) {
        size_t i = 0;
        while (i < n && p[i] && (p[i] | (p[i] >= 'A' && p[i] <= 'Z' ? 32 : 0)) == name[i])
            i++;
        if (i == n)
            return p;
    }
    return NULL;
}

/* Answers each request with the next canned reply, then closes the connection. */
static void *serve_canned(void *arg)
{
    (void)arg;
    for (;;) {
        int c = accept(listener, NULL, NULL);
        if (c < 0)
            return NULL;
        char buf[65536];
        size_t got = 0;
        long want = -1;
        while (got < sizeof buf - 1) {
            ssize_t n = read(c, buf + got, sizeof buf - 1 - got);
            if (n <= 0)
                break;
            got += (size_t)n;
            buf[got] = '\0';
            char *end = strstr(buf, "\r\n\r\n");
            if (end && want < 0) {
                char *cl = find_header(buf, "\r\ncontent-length:");
                want = (long)(end + 4 - buf) + (cl ? atol(cl + 17) : 0);
                char *t = find_header(buf, "\r\nx-amz-target:");
                if (t)
                    sscanf(t + 15, " %127s", last_target);
            }
            if (want >= 0 && (long)got >= want)
                break;
        }
        int i = atomic_fetch_add(&served, 1);
        canned reply = i < atomic_load(&nscript) ? script[i] : (canned){ 500, "{}" };
        char head[256];
        int n = snprintf(head, sizeof head,
                         "HTTP/1.1 %d X\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: %zu\r\n"
                         "Connection: close\r\n\r\n",
                         reply.status, strlen(reply.body));
        if (write(c, head, (size_t)n) < 0 || write(c, reply.body, strlen(reply.body)) < 0)
            perror("write");
        close(c);
    }
}

static int open_port(bool listen_on)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof a;
    if (bind(s, (struct sockaddr *)&a, sizeof a) || getsockname(s, (struct sockaddr *)&a, &len))
        return -1;
    if (listen_on) {
        listen(s, 16);
        listener = s;
    } else {
        close(s);
    }
    return ntohs(a.sin_port);
}

static ctli_idem_claim claim_with(ctli_idem_dynamodb *d, const canned *replies, int n, char **res, size_t *len,
                                  char *err, size_t errlen)
{
    for (int i = 0; i < n; i++)
        script[i] = replies[i];
    atomic_store(&served, 0);
    atomic_store(&nscript, n);
    const ctli_idem_store *s = ctli_idem_dynamodb_store(d);
    int64_t now = (int64_t)ctli_wall_ms();
    err[0] = '\0';
    return s->claim(s->self, "idem.count#00ff", "abc", now, now + 5000, res, len, err, errlen);
}

static int hostile(void)
{
    int port = open_port(true);
    CHECK(port > 0, "listen");
    pthread_t t;
    pthread_create(&t, NULL, serve_canned, NULL);
    char url[64], err[512], *res = NULL;
    size_t len = 0;
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    ctli_aws_given given = { "us-east-1", url, "AKIDTEST", "secret", NULL };
    ctli_idem_dynamodb_limits limits = { .max_attempts = 3, .backoff_base_ms = 5, .timeout_ms = 5000 };
    ctli_idem_dynamodb *d = ctli_idem_dynamodb_open("hostile-table", &given, &limits, err, sizeof err);
    CHECK(d != NULL, "open: %s", err);

    ctli_idem_claim c = claim_with(d, (canned[]){ { 200, "this is not json" } }, 1, &res, &len, err, sizeof err);
    CHECK(c == CTLI_IDEM_FAILED && strstr(err, "hostile-table") && strstr(err, "not a JSON object"),
          "a 200 that is not JSON: %d %s", c, err);
    c = claim_with(d, (canned[]){ { 400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#WeirdException\","
                                        "\"message\":\"odd\"}" } },
                   1, &res, &len, err, sizeof err);
    CHECK(c == CTLI_IDEM_FAILED && strstr(err, "hostile-table") && strstr(err, "PutItem refused: WeirdException: odd"),
          "an unknown error type: %d %s", c, err);
    CHECK(atomic_load(&served) == 1, "an unknown 400 was sent again (%d requests)", atomic_load(&served));
    c = claim_with(d, (canned[]){ { 400, "{\"__type\":\"x#ResourceNotFoundException\",\"message\":\"Requested "
                                        "resource not found\"}" } },
                   1, &res, &len, err, sizeof err);
    CHECK(c == CTLI_IDEM_FAILED && strstr(err, "hostile-table") && strstr(err, "ResourceNotFoundException"),
          "a missing table: %d %s", c, err);
    c = claim_with(d, (canned[]){ { 500, "{\"__type\":\"x#InternalServerError\"}" }, { 200, "{}" } }, 2, &res, &len,
                   err, sizeof err);
    CHECK(c == CTLI_IDEM_CLAIMED && atomic_load(&served) == 2, "a 5xx then success: %d after %d requests (%s)", c,
          atomic_load(&served), err);
    c = claim_with(d, (canned[]){ { 503, "<html>busy</html>" }, { 503, "" }, { 503, "" } }, 3, &res, &len, err,
                   sizeof err);
    CHECK(c == CTLI_IDEM_FAILED && atomic_load(&served) == 3 && strstr(err, "HTTP 503") &&
              strstr(err, "after 3 attempts"),
          "3 of 503: %d %s", c, err);
    c = claim_with(d, (canned[]){ { 400, "{\"__type\":\"x#ProvisionedThroughputExceededException\"}" }, { 200, "{}" } },
                   2, &res, &len, err, sizeof err);
    CHECK(c == CTLI_IDEM_CLAIMED, "throttled, then claimed: %d %s", c, err);
    /* a condition failure without the item: a GetItem reads it */
    c = claim_with(d, (canned[]){ { 400, "{\"__type\":\"x#ConditionalCheckFailedException\"}" },
                                  { 200, "{\"Item\":{\"id\":{\"S\":\"idem.count#00ff\"},\"status\":{\"S\":\"COMPLETED\"},"
                                         "\"expiration\":{\"N\":\"99999999999\"},\"validation\":{\"S\":\"abc\"},"
                                         "\"data\":{\"S\":\"{\\\"x\\\":\\\"\\u00e9\\\"}\"}}}" } },
                   2, &res, &len, err, sizeof err);
    CHECK(c == CTLI_IDEM_DONE && res && len == strlen("{\"x\":\"\xc3\xa9\"}") && strcmp(res, "{\"x\":\"\xc3\xa9\"}") == 0 &&
              strcmp(last_target, "DynamoDB_20120810.GetItem") == 0,
          "condition failed, then GetItem: %d %s (%s)", c, res ? res : "", err);
    free(res);
    res = NULL;
    /* the item given with the failure (DynamoDB's ALL_OLD): no GetItem; another validation */
    c = claim_with(d, (canned[]){ { 400, "{\"__type\":\"x#ConditionalCheckFailedException\",\"Item\":{\"status\":"
                                        "{\"S\":\"INPROGRESS\"},\"expiration\":{\"N\":\"99999999999\"},"
                                        "\"in_progress_expiration\":{\"N\":\"99999999999000\"},\"validation\":"
                                        "{\"S\":\"zzz\"}}}" } },
                   1, &res, &len, err, sizeof err);
    CHECK(c == CTLI_IDEM_MISMATCH && atomic_load(&served) == 1, "ALL_OLD of another payload: %d (%d requests)", c,
          atomic_load(&served));
    c = claim_with(d, (canned[]){ { 400, "{\"__type\":\"x#ConditionalCheckFailedException\",\"Item\":{\"status\":"
                                        "{\"S\":\"INPROGRESS\"},\"expiration\":{\"N\":\"99999999999\"},"
                                        "\"in_progress_expiration\":{\"N\":\"99999999999000\"},\"validation\":"
                                        "{\"S\":\"abc\"}}}" } },
                   1, &res, &len, err, sizeof err);
    CHECK(c == CTLI_IDEM_IN_PROGRESS, "ALL_OLD in progress: %d", c);
    /* the item expired by the time it is read: put again, then claimed */
    c = claim_with(d, (canned[]){ { 400, "{\"__type\":\"x#ConditionalCheckFailedException\",\"Item\":{\"status\":"
                                        "{\"S\":\"COMPLETED\"},\"expiration\":{\"N\":\"10\"},\"validation\":"
                                        "{\"S\":\"abc\"},\"data\":{\"S\":\"1\"}}}" },
                                  { 400, "{\"__type\":\"x#ConditionalCheckFailedException\"}" }, { 200, "{}" },
                                  { 200, "{}" } },
                   4, &res, &len, err, sizeof err);
    CHECK(c == CTLI_IDEM_CLAIMED && atomic_load(&served) == 4, "expired, vanished, claimed: %d after %d (%s)", c,
          atomic_load(&served), err);
    c = claim_with(d, (canned[]){ { 400, "{\"__type\":\"x#ConditionalCheckFailedException\"}" },
                                  { 200, "{\"Item\":5}" } },
                   2, &res, &len, err, sizeof err);
    CHECK(c == CTLI_IDEM_FAILED && strstr(err, "not an object"), "an Item that is a number: %d %s", c, err);
    c = claim_with(d, (canned[]){ { 400, "{\"__type\":\"x#ConditionalCheckFailedException\"}" },
                                  { 200, "{\"Item\":{\"id\":{\"S\":\"k\"}}}" } },
                   2, &res, &len, err, sizeof err);
    CHECK(c == CTLI_IDEM_FAILED && strstr(err, "not an idempotency record"), "an item of another kind: %d %s", c, err);
    /* completion and release: refusals and conditions */
    const ctli_idem_store *s = ctli_idem_dynamodb_store(d);
    script[0] = (canned){ 400, "{\"__type\":\"x#ConditionalCheckFailedException\"}" };
    atomic_store(&served, 0);
    atomic_store(&nscript, 1);
    CHECK(s->complete(s->self, "k1", 5000, "{}", 2, (int64_t)ctli_wall_ms() + 1000, err, sizeof err) == 1 &&
              strstr(err, "no longer this delivery's claim") &&
              strcmp(last_target, "DynamoDB_20120810.UpdateItem") == 0,
          "completing a key that is not the caller's claim: %s", err);
    /* a result that cannot be stored: nothing updated, the claim released */
    script[0] = (canned){ 200, "{}" };
    atomic_store(&served, 0);
    CHECK(s->complete(s->self, "k1", 5000, "\xff\xfe", 2, 0, err, sizeof err) == -1 && strstr(err, "not UTF-8") &&
              strstr(err, "released") && atomic_load(&served) == 1 &&
              strcmp(last_target, "DynamoDB_20120810.DeleteItem") == 0,
          "a result that is not UTF-8: %s", err);
    size_t big_len = CTLI_IDEM_DYNAMODB_ITEM_MAX;
    char *big = malloc(big_len);
    CHECK(big != NULL, "malloc");
    if (big) {
        memset(big, 'a', big_len);
        big[0] = big[big_len - 1] = '"';
        script[0] = (canned){ 200, "{}" };
        atomic_store(&served, 0);
        CHECK(s->complete(s->self, "k1", 5000, big, big_len, 0, err, sizeof err) == -1 && strstr(err, "400 KB") &&
                  strstr(err, "released") && atomic_load(&served) == 1 &&
                  strcmp(last_target, "DynamoDB_20120810.DeleteItem") == 0,
              "a result past the item limit: %s", err);
        free(big);
    }
    script[0] = (canned){ 400, "{\"__type\":\"x#ConditionalCheckFailedException\"}" };
    atomic_store(&served, 0);
    CHECK(s->release(s->self, "k1", 5000, err, sizeof err) == 0 &&
              strcmp(last_target, "DynamoDB_20120810.DeleteItem") == 0,
          "releasing a key that is not the caller's claim is nothing to do: %s", err);
    script[0] = (canned){ 400, "{\"__type\":\"x#AccessDeniedException\",\"message\":\"no\"}" };
    atomic_store(&served, 0);
    CHECK(s->release(s->self, "k1", 5000, err, sizeof err) == -1 && strstr(err, "AccessDeniedException"),
          "a refused release: %s", err);
    ctli_idem_dynamodb_close(d);

    /* nothing listening */
    int closed = open_port(false);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", closed);
    d = ctli_idem_dynamodb_open("refused-table", &given, &limits, err, sizeof err);
    CHECK(d != NULL, "open: %s", err);
    s = ctli_idem_dynamodb_store(d);
    int64_t now = (int64_t)ctli_wall_ms();
    c = s->claim(s->self, "k", "v", now, now + 1000, &res, &len, err, sizeof err);
    CHECK(c == CTLI_IDEM_FAILED && strstr(err, "refused-table") && strstr(err, "no answer") &&
              strstr(err, "after 3 attempts"),
          "a refused connection: %d %s", c, err);
    ctli_idem_dynamodb_close(d);
    printf("refused connection: %s\n", err);

    /* settings */
    CHECK(!ctli_idem_dynamodb_open("ab", &given, NULL, err, sizeof err) && strstr(err, "not a DynamoDB table name"),
          "a short name: %s", err);
    ctli_aws_given bad = { "us-east-1", "ftp://x", "a", "b", NULL };
    CHECK(!ctli_idem_dynamodb_open("abc", &bad, NULL, err, sizeof err) && strstr(err, "DynamoDB endpoint"),
          "an ftp endpoint: %s", err);
    shutdown(listener, SHUT_RDWR);
    close(listener);
    pthread_join(t, NULL);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "fault") == 0) {
        int keys = atoi(argv[3]), deliveries = atoi(argv[4]);
        if (keys < 1 || keys > MAXKEYS || deliveries < keys) {
            fprintf(stderr, "KEYS 1..%d, DELIVERIES at least KEYS\n", MAXKEYS);
            return 2;
        }
        fault(argv[2], keys, deliveries);
    } else if (argc == 2 && strcmp(argv[1], "hostile") == 0) {
        hostile();
    } else {
        fprintf(stderr, "usage: %s fault TABLE KEYS DELIVERIES | hostile\n", argv[0]);
        return 2;
    }
    ctli_thread_release();
    printf("%d checks, %d failures\n", checks, failures);
    return failures ? 1 : 0;
}
