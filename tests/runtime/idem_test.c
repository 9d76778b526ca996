/* idem_test.c: idempotent functions through dispatch with the local store
 * (runtime/src/codec/idem.c, client/idem_store.c): each key's handler runs
 * once under concurrent and sequential duplicates; a sync duplicate gets
 * the stored result byte for byte; another payload under a key is refused;
 * a failing handler releases its key; a live claim refuses, an expired one
 * lets a delivery run; a completion survives a SIGKILL of the process that
 * wrote it; the key is canonical; sync duplicates at once on every key get
 * one result; another payload under every used key is refused; a
 * handler that overran its claim, whose key another delivery took over,
 * neither completes nor releases that delivery's claim. Links ctl_internal.
 *
 *   ctl_idem_test [DELIVERIES KEYS]   (default 10000 1000: each key's handler
 *                                      runs once among DELIVERIES deliveries,
 *                                      through dispatch and through the client) */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../check.h"

#include "ctl/gen.h"
#include "base/clock.h"
#include "client/idem_store.h"
#include "codec/arena.h"
#include "codec/dispatch.h"
#include "codec/idem.h"

enum { NTHREADS = 4 };

static int nkeys = 1000, ndeliveries = 10000;
static atomic_int *runs;                /* the side effect: a handler run per key (nkeys) */
static atomic_int sync_runs, fail_runs, fail_first = 1;

/* The "k" field of an event (0..nkeys-1), or -1. */
static int key_of(const ctl_json *event)
{
    for (const ctl_json *m = event->child; m; m = m->next)
        if (m->key_len == 1 && m->key[0] == 'k' && m->type == CTL_JSON_NUMBER)
            return atoi(m->str);
    return -1;
}

/* async fn count { k: int; note: string; }, @idempotent(key: "k"): counts its key, slowly enough that
 * concurrent duplicates meet a claim in progress. */
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
    nanosleep(&(struct timespec){ 0, 200000 }, NULL);
    CTL_BUF_LIT(out, "null");
    return 0;
}

/* fn stamp { k: int; } -> { n: int; }, @idempotent (the whole payload): a result that differs on every run. */
static int stamp_invoke(ctl_ctx *ctx, const ctl_json *event, ctl_cursor *cursor, ctl_buf *out)
{
    (void)cursor;
    if (!event)
        return CTL_NOT_READ; /* this one reads the tree */
    (void)ctx;
    (void)event;
    char text[64];
    snprintf(text, sizeof text, "{\"n\":%d,\"at\":%llu}", atomic_fetch_add(&sync_runs, 1) + 1,
             (unsigned long long)ctli_now_us());
    ctl_buf_put(out, text, strlen(text));
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

/* The overrun's race: its claim's end (set by the test), the claim that
 * took its key over while it ran. */
static int64_t overrun_until, takeover_until;
static atomic_int overrun_runs;
static const ctli_idem_store *store;
static void take_over(const char *event, int64_t until);

/* async fn overrun { k: int; fail: bool; }, @idempotent(key: "k"): runs past its claim, and another
 * delivery takes its key over before it returns (succeeding, or failing when "fail" is true). */
static int overrun_invoke(ctl_ctx *ctx, const ctl_json *event, ctl_cursor *cursor, ctl_buf *out)
{
    (void)cursor;
    if (!event)
        return CTL_NOT_READ; /* this one reads the tree */
    atomic_fetch_add(&overrun_runs, 1);
    while ((int64_t)ctli_wall_ms() <= overrun_until)
        nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
    bool fail = false;
    for (const ctl_json *m = event->child; m; m = m->next)
        if (m->key_len == 4 && memcmp(m->key, "fail", 4) == 0)
            fail = m->type == CTL_JSON_TRUE;
    takeover_until = (int64_t)ctli_wall_ms() + 60000;
    take_over(fail ? "{\"function\":\"overrun\",\"k\":2,\"fail\":true}" : "{\"function\":\"overrun\",\"k\":1}",
              takeover_until);
    if (fail)
        return ctl_fail(ctx, "Overran", "failed after its claim was taken over");
    CTL_BUF_LIT(out, "{\"by\":\"overrun\"}");
    return 0;
}

/* in the order of their names, as a controller lists them */
static const ctl_function functions[] = {
    { .name = "count", .name_len = 5, .is_async = true, .invoke = count_invoke,
      .idempotent = &(const ctl_idempotency){ .keys = (const char *const[]){ "/k" }, .nkeys = 1, .expires_s = 60 } },
    { .name = "flaky", .name_len = 5, .is_async = true, .invoke = flaky_invoke,
      .idempotent = &(const ctl_idempotency){ .keys = (const char *const[]){ "/k" }, .nkeys = 1, .expires_s = 60 } },
    { .name = "overrun", .name_len = 7, .is_async = true, .invoke = overrun_invoke,
      .idempotent = &(const ctl_idempotency){ .keys = (const char *const[]){ "/k" }, .nkeys = 1, .expires_s = 60 } },
    { .name = "stamp", .name_len = 5, .is_async = false, .invoke = stamp_invoke,
      .idempotent = &(const ctl_idempotency){ .keys = NULL, .nkeys = 0, .expires_s = 60 } },
};
static const ctl_controller ctrl = { .name = "idem", .functions = functions, .count = 4 };

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
 * threads deliver one key at once (concurrent duplicates) and every key again in each of the rounds
 * (sequential ones); each retried while its key is in progress (as the async core retries a
 * handler-class failure). */
static atomic_int in_progress_seen, delivered_ok;
static void *worker(void *arg)
{
    int first = (int)(intptr_t)arg;
    for (int i = first; i < ndeliveries; i += NTHREADS) {
        char event[96];
        snprintf(event, sizeof event, "{\"function\":\"count\",\"note\":\"same\",\"k\":%d}",
                 (i / NTHREADS) % nkeys);
        for (int tries = 0; tries < 10000; tries++) {
            ctl_response r;
            ctl_status st = deliver(event, &r);
            bool busy = is_type(&r, "ctl.IdempotencyInProgress");
            if (st == CTL_OK)
                atomic_fetch_add(&delivered_ok, 1);
            else if (!busy)
                CHECK(false, "delivery %d: %s: %s", i, r.error_type, r.error_message);
            ctl_response_free(&r);
            if (!busy)
                break;
            atomic_fetch_add(&in_progress_seen, 1);
            nanosleep(&(struct timespec){ 0, 100000 }, NULL);
        }
    }
    ctli_thread_release();
    return NULL;
}

static void test_duplicates(void)
{
    pthread_t t[NTHREADS];
    for (int i = 0; i < NTHREADS; i++)
        pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i);
    for (int i = 0; i < NTHREADS; i++)
        pthread_join(t[i], NULL);
    int once = 0;
    for (int k = 0; k < nkeys; k++)
        once += atomic_load(&runs[k]) == 1;
    CHECK(once == nkeys, "%d of %d keys ran once", once, nkeys);
    for (int k = 0, shown = 0; k < nkeys && shown < 5; k++)
        if (atomic_load(&runs[k]) != 1) {
            fprintf(stderr, "key %d ran %d times\n", k, atomic_load(&runs[k]));
            shown++;
        }
    /* concurrent duplicates did meet: some delivery found its key in progress */
    CHECK(atomic_load(&in_progress_seen) > 0, "no delivery met a claim in progress");
    CHECK(atomic_load(&delivered_ok) == ndeliveries, "%d of %d deliveries succeeded", atomic_load(&delivered_ok),
          ndeliveries);
    /* every key again with another payload: refused, not run */
    int refused = 0;
    for (int k = 0; k < nkeys; k++) {
        char event[96];
        snprintf(event, sizeof event, "{\"function\":\"count\",\"note\":\"another\",\"k\":%d}", k);
        ctl_response r;
        refused += deliver(event, &r) == CTL_ERR_HANDLER && is_type(&r, "ctl.IdempotencyValidationError");
        ctl_response_free(&r);
    }
    once = 0;
    for (int k = 0; k < nkeys; k++)
        once += atomic_load(&runs[k]) == 1;
    CHECK(refused == nkeys && once == nkeys, "another payload under each key: %d of %d refused, %d keys still ran once",
          refused, nkeys, once);
    printf("duplicates: %d deliveries of %d keys on %d threads, %d refusals in progress, %d of %d keys ran once; "
           "another payload under each key refused %d times\n",
           ndeliveries, nkeys, NTHREADS, atomic_load(&in_progress_seen), once, nkeys, refused);
}

/* Sync duplicates at once: NTHREADS threads deliver stamp (its key the
 * whole payload) for every key, members in two orders; every thread gets
 * the one stored result of each key, byte for byte, and stamp runs once a
 * key. */
static char **sync_bodies;              /* [thread * nkeys + key], malloc'd */
static void *sync_worker(void *arg)
{
    int t = (int)(intptr_t)arg;
    for (int k = 0; k < nkeys; k++) {
        char event[96];
        snprintf(event, sizeof event, t % 2 ? "{\"k\":%d,\"function\":\"stamp\"}" : "{\"function\":\"stamp\",\"k\":%d}",
                 k);
        for (int tries = 0; tries < 10000; tries++) {
            ctl_response r;
            ctl_status st = deliver(event, &r);
            bool busy = is_type(&r, "ctl.IdempotencyInProgress");
            if (st == CTL_OK && r.body)
                sync_bodies[t * nkeys + k] = strndup(r.body, r.len);
            else if (!busy)
                CHECK(false, "stamp %d: %s: %s", k, r.error_type, r.error_message);
            ctl_response_free(&r);
            if (!busy)
                break;
            nanosleep(&(struct timespec){ 0, 100000 }, NULL);
        }
    }
    ctli_thread_release();
    return NULL;
}

static void test_sync_duplicates(void)
{
    int before = atomic_load(&sync_runs);
    sync_bodies = calloc((size_t)(NTHREADS * nkeys), sizeof *sync_bodies);
    pthread_t t[NTHREADS];
    for (int i = 0; i < NTHREADS; i++)
        pthread_create(&t[i], NULL, sync_worker, (void *)(intptr_t)i);
    for (int i = 0; i < NTHREADS; i++)
        pthread_join(t[i], NULL);
    int same = 0;
    for (int k = 0; k < nkeys; k++) {
        bool all = sync_bodies[k] != NULL;
        for (int i = 1; all && i < NTHREADS; i++)
            all = sync_bodies[i * nkeys + k] && strcmp(sync_bodies[i * nkeys + k], sync_bodies[k]) == 0;
        same += all;
    }
    int ran = atomic_load(&sync_runs) - before;
    CHECK(same == nkeys && ran == nkeys, "sync duplicates: %d of %d keys answered alike, stamp ran %d times", same,
          nkeys, ran);
    printf("sync duplicates: %d keys on %d threads at once, %d answered byte for byte alike, stamp ran %d times\n",
           nkeys, NTHREADS, same, ran);
    for (int i = 0; i < NTHREADS * nkeys; i++)
        free(sync_bodies[i]);
    free(sync_bodies);
}

static void test_sync_replay(void)
{
    ctl_response a, b, c;
    int base = atomic_load(&sync_runs);
    CHECK(deliver("{\"function\":\"stamp\",\"k\":1,\"x\":[1,2]}", &a) == CTL_OK, "first");
    /* the same payload written differently: members reordered, 1.0 for 1 */
    CHECK(deliver("{\"x\":[1.0,2],\"k\":1,\"function\":\"stamp\"}", &b) == CTL_OK, "duplicate");
    CHECK(a.body && b.body && a.len == b.len && memcmp(a.body, b.body, a.len) == 0,
          "the duplicate's result is not the stored one: %s vs %s", a.body, b.body);
    CHECK(atomic_load(&sync_runs) == base + 1, "stamp ran %d times", atomic_load(&sync_runs) - base);
    CHECK(deliver("{\"function\":\"stamp\",\"k\":2,\"x\":[1,2]}", &c) == CTL_OK, "another payload");
    CHECK(atomic_load(&sync_runs) == base + 2 && c.body && strcmp(c.body, a.body) != 0,
          "another payload is another key");
    ctl_response_free(&a);
    ctl_response_free(&b);
    ctl_response_free(&c);
}

static void test_validation(void)
{
    ctl_response r;
    int before = atomic_load(&runs[7]);
    CHECK(deliver("{\"function\":\"count\",\"note\":\"other\",\"k\":7}", &r) == CTL_ERR_HANDLER, "status");
    CHECK(is_type(&r, "ctl.IdempotencyValidationError"), "another payload under key 7: %s", r.error_type);
    CHECK(atomic_load(&runs[7]) == before, "the handler ran");
    ctl_response_free(&r);
    CHECK(deliver("{\"function\":\"count\",\"note\":\"same\"}", &r) == CTL_ERR_INVALID_PAYLOAD &&
              r.error_message && strstr(r.error_message, "/k"),
          "a missing key field: %s", r.error_message);
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

/* A claim as a process that died mid-handler leaves it. */
static void claim_directly(const char *event, int64_t until)
{
    ctl_arena arena;
    ctli_arena_init(&arena);
    ctl_json_error jerr;
    const ctl_json *root = ctl_json_parse(&arena, event, strlen(event), &jerr);
    ctli_idem_key k;
    char id[CTLI_IDEM_ID_MAX], err[256], *res = NULL;
    size_t len = 0;
    CHECK(root && ctli_idem_key_of(&ctrl, &functions[0], root, &k, id, err, sizeof err) == 0, "key: %s", err);
    int64_t now = (int64_t)ctli_wall_ms();
    CHECK(store->claim(store->self, id, k.validation, now, until, &res, &len, err, sizeof err) == CTLI_IDEM_CLAIMED,
          "claim: %s", err);
    ctli_arena_free(&arena);
}

static void test_claims(void)
{
    ctl_response r;
    claim_directly("{\"function\":\"count\",\"note\":\"n\",\"k\":-1}", (int64_t)ctli_wall_ms() + 60000);
    CHECK(deliver("{\"function\":\"count\",\"note\":\"n\",\"k\":-1}", &r) == CTL_ERR_HANDLER &&
              is_type(&r, "ctl.IdempotencyInProgress"),
          "a live claim refuses: %s", r.error_type);
    ctl_response_free(&r);
    claim_directly("{\"function\":\"count\",\"note\":\"n\",\"k\":-2}", (int64_t)ctli_wall_ms() - 1);
    /* k -2 is outside the counters: the handler fails, which shows it ran */
    CHECK(deliver("{\"function\":\"count\",\"note\":\"n\",\"k\":-2}", &r) == CTL_ERR_HANDLER &&
              is_type(&r, "ctl.HandlerError"),
          "an expired claim lets the delivery run: %s", r.error_type);
    ctl_response_free(&r);
}

/* Another delivery's claim of event's key (of the function it names), as
 * a delivery that came once the first claim expired makes it. */
static void take_over(const char *event, int64_t until)
{
    ctl_arena arena;
    ctli_arena_init(&arena);
    ctl_json_error jerr;
    const ctl_json *root = ctl_json_parse(&arena, event, strlen(event), &jerr);
    ctli_idem_key k;
    char id[CTLI_IDEM_ID_MAX], err[256], *res = NULL;
    size_t len = 0;
    const ctl_function *f = &functions[2];
    CHECK(root && ctli_idem_key_of(&ctrl, f, root, &k, id, err, sizeof err) == 0, "key: %s", err);
    CHECK(store->claim(store->self, id, k.validation, (int64_t)ctli_wall_ms(), until, &res, &len, err, sizeof err) ==
              CTLI_IDEM_CLAIMED,
          "the takeover's claim: %s", err);
    free(res);
    ctli_arena_free(&arena);
}

/* The race of issue 13: a handler overruns its claim, another delivery
 * takes the key over; the first one's completion (or release) must not
 * touch the second one's claim. Before completions were conditioned on
 * the claim, the overrun's result overwrote the takeover's claim, and a
 * third delivery was answered the overrun's result while the takeover
 * still ran (or, after a failure, found the key free and ran a third
 * time). */
static void test_takeover(void)
{
    const char *ev = "{\"function\":\"overrun\",\"k\":1}";
    overrun_until = (int64_t)ctli_wall_ms() + 20;
    ctli_invocation inv = { .idem = store, .idem_until_ms = overrun_until };
    ctl_response r;
    CHECK(ctli_dispatch_invocation(&ctrl, ev, strlen(ev), &inv, &r) == CTL_OK && r.body &&
              strcmp(r.body, "{\"by\":\"overrun\"}") == 0,
          "the overrun's own answer stands: %s %s", r.error_type, r.error_message);
    ctl_response_free(&r);
    CHECK(deliver(ev, &r) == CTL_ERR_HANDLER && is_type(&r, "ctl.IdempotencyInProgress"),
          "after the overrun completed, the takeover's claim still holds the key: %s %s", r.error_type,
          r.body ? r.body : "");
    ctl_response_free(&r);
    /* the takeover completes its own claim; its result is what duplicates get */
    char id[CTLI_IDEM_ID_MAX], err[256];
    ctli_idem_key k;
    ctl_arena arena;
    ctli_arena_init(&arena);
    ctl_json_error jerr;
    const ctl_json *root = ctl_json_parse(&arena, ev, strlen(ev), &jerr);
    CHECK(root && ctli_idem_key_of(&ctrl, &functions[2], root, &k, id, err, sizeof err) == 0, "key: %s", err);
    CHECK(store->complete(store->self, id, overrun_until, "{}", 2, (int64_t)ctli_wall_ms() + 60000, err,
                          sizeof err) == 1,
          "a stale claim's completion is refused: %s", err);
    CHECK(store->complete(store->self, id, takeover_until, "{\"by\":\"takeover\"}", 17,
                          (int64_t)ctli_wall_ms() + 60000, err, sizeof err) == 0,
          "the takeover completes: %s", err);
    ctli_arena_free(&arena);
    CHECK(deliver(ev, &r) == CTL_OK && r.body && strcmp(r.body, "{\"by\":\"takeover\"}") == 0,
          "a duplicate gets the takeover's result: %s", r.body ? r.body : r.error_message);
    ctl_response_free(&r);

    const char *fails = "{\"function\":\"overrun\",\"k\":2,\"fail\":true}";
    overrun_until = (int64_t)ctli_wall_ms() + 20;
    inv.idem_until_ms = overrun_until;
    CHECK(ctli_dispatch_invocation(&ctrl, fails, strlen(fails), &inv, &r) == CTL_ERR_HANDLER && is_type(&r, "Overran"),
          "the overrun fails: %s", r.error_type);
    ctl_response_free(&r);
    int before = atomic_load(&overrun_runs);
    CHECK(deliver(fails, &r) == CTL_ERR_HANDLER && is_type(&r, "ctl.IdempotencyInProgress") &&
              atomic_load(&overrun_runs) == before,
          "the failed overrun did not release the takeover's claim: %s", r.error_type);
    ctl_response_free(&r);
}

/* A child completes a key and is killed with SIGKILL before it closes the
 * store; a new opening of the file answers the key's stored result. */
static void test_sigkill(const char *path)
{
    pid_t pid = fork();
    if (pid == 0) {
        char err[256];
        ctli_idem_sqlite *s = ctli_idem_sqlite_open(path, err, sizeof err);
        if (!s)
            _exit(3);
        store = ctli_idem_sqlite_store(s);
        ctl_response r;
        if (deliver("{\"function\":\"stamp\",\"k\":99}", &r) != CTL_OK)
            _exit(4);
        fprintf(stderr, "child's result: %s\n", r.body);
        raise(SIGKILL);
        _exit(5);
    }
    int wst = 0;
    waitpid(pid, &wst, 0);
    CHECK(WIFSIGNALED(wst) && WTERMSIG(wst) == SIGKILL, "the child ended otherwise (%d)", wst);
    char err[256];
    ctli_idem_sqlite *s = ctli_idem_sqlite_open(path, err, sizeof err);
    CHECK(s != NULL, "reopen: %s", err);
    store = ctli_idem_sqlite_store(s);
    int before = atomic_load(&sync_runs);
    ctl_response r;
    CHECK(deliver("{\"function\":\"stamp\",\"k\":99}", &r) == CTL_OK && r.body && strstr(r.body, "\"at\""),
          "the killed child's result: %s", r.body);
    CHECK(atomic_load(&sync_runs) == before, "the handler ran again after the kill");
    ctl_response_free(&r);
    ctli_idem_sqlite_close(s);
}

/* The in-process client: its workers run @idempotent functions through the
 * store at idempotency_path (the async core retrying in-progress refusals),
 * and its calls answer a duplicate's stored result; without a path, the
 * store is ctl-idempotency.sqlite beside the dead letters. */
static void test_client(const char *dir)
{
    for (int k = 0; k < nkeys; k++)
        atomic_store(&runs[k], 0);
    char path[160], dl[160];
    snprintf(path, sizeof path, "%s/client.sqlite", dir);
    snprintf(dl, sizeof dl, "%s/dead-letters.jsonl", dir);
    ctl_client_config cfg = { .workers = NTHREADS, .retry_delay_ms = { 50, 100 }, .dead_letter_path = dl,
                              .idempotency_path = path };
    ctl_client *client = ctl_client_new(&cfg);
    CHECK(client && ctl_client_register(client, &ctrl) == CTL_OK, "client: %s", ctl_client_error(client));
    /* the deliveries of each key in a row (ten of 10,000 for 1,000 keys): the
     * workers take duplicates at once */
    int row = ndeliveries / nkeys;
    for (int i = 0; i < ndeliveries; i++) {
        char event[96];
        int n = snprintf(event, sizeof event, "{\"function\":\"count\",\"note\":\"c\",\"k\":%d}", i / row);
        CHECK(ctl_client_send(client, "idem", event, (size_t)n) == CTL_OK, "send %d", i);
    }
    ctl_client_drain(client);
    ctl_client_stats st;
    ctl_client_stats_get(client, &st);
    int once = 0;
    for (int k = 0; k < nkeys; k++)
        once += atomic_load(&runs[k]) == 1;
    CHECK(once == nkeys, "client: %d of %d keys ran once", once, nkeys);
    CHECK(st.succeeded == (uint64_t)ndeliveries && st.failed == 0, "client: %llu succeeded, %llu failed",
          (unsigned long long)st.succeeded, (unsigned long long)st.failed);
    printf("client: %d sends of %d keys on %d workers, %llu retried in progress, %d of %d keys ran once\n",
           ndeliveries, nkeys, NTHREADS, (unsigned long long)st.retried, once, nkeys);
    ctl_response a, b;
    const char *ev = "{\"function\":\"stamp\",\"k\":\"client\"}";
    CHECK(ctl_client_call(client, "idem", ev, strlen(ev), &a) == CTL_OK, "call");
    CHECK(ctl_client_call(client, "idem", ev, strlen(ev), &b) == CTL_OK, "call again");
    CHECK(a.body && b.body && a.len == b.len && memcmp(a.body, b.body, a.len) == 0, "client: %s vs %s", a.body,
          b.body);
    ctl_response_free(&a);
    ctl_response_free(&b);
    ctl_client_free(client);
    CHECK(access(path, F_OK) == 0, "no store at %s", path);

    char sub[160], dl2[200], dflt[200];
    snprintf(sub, sizeof sub, "%s/default", dir);
    mkdir(sub, 0700);
    snprintf(dl2, sizeof dl2, "%s/dl.jsonl", sub);
    snprintf(dflt, sizeof dflt, "%s/ctl-idempotency.sqlite", sub);
    client = ctl_client_new(&(ctl_client_config){ .dead_letter_path = dl2 });
    CHECK(client && ctl_client_register(client, &ctrl) == CTL_OK, "client: %s", ctl_client_error(client));
    ctl_client_free(client);
    CHECK(access(dflt, F_OK) == 0, "no store beside the dead letters at %s", dflt);
}

static void test_canonical(void)
{
    static const char *const same[][2] = {
        { "{\"b\":1,\"a\":[true,null,\"x\"]}", "{\"a\":[true,null,\"\\u0078\"],\"b\":1.0}" },
        { "{\"n\":-0,\"f\":1e3}", "{\"f\":1000,\"n\":0}" },
        { "{\"function\":\"f\",\"a\":{\"d\":2,\"c\":1}}", "{\"a\":{\"c\":1,\"d\":2}}" },
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        ctl_arena arena;
        ctli_arena_init(&arena);
        ctl_json_error err;
        ctl_buf x = CTL_BUF_INIT, y = CTL_BUF_INIT;
        const ctl_json *a = ctl_json_parse(&arena, same[i][0], strlen(same[i][0]), &err);
        const ctl_json *b = ctl_json_parse(&arena, same[i][1], strlen(same[i][1]), &err);
        ctli_idem_canonical(&x, a, true);
        ctli_idem_canonical(&y, b, true);
        ctl_buf_putc(&x, '\0');
        ctl_buf_putc(&y, '\0');
        CHECK(strcmp(x.data, y.data) == 0, "%s and %s: %s vs %s", same[i][0], same[i][1], x.data, y.data);
        ctl_buf_free(&x);
        ctl_buf_free(&y);
        ctli_arena_free(&arena);
    }
}

/* Key fields found by their JSON Pointers: escapes (~1 is '/', ~0 is '~')
 * and a wire name longer than any fixed buffer. */
static void test_pointers(void)
{
    static char longname[700], event[1200], ptr[720];
    memset(longname, 'w', sizeof longname - 1);
    snprintf(event, sizeof event, "{\"function\":\"f\",\"a/b\":{\"c~d\":1},\"%s\":2}", longname);
    snprintf(ptr, sizeof ptr, "/%s", longname);
    const char *const keys[] = { "/a~1b/c~0d", ptr };
    const ctl_function fs[] = {
        { .name = "f", .name_len = 1, .invoke = count_invoke,
          .idempotent = &(const ctl_idempotency){ .keys = keys, .nkeys = 2, .expires_s = 1 } },
        { .name = "g", .name_len = 1, .invoke = count_invoke,
          .idempotent = &(const ctl_idempotency){ .keys = (const char *const[]){ "/a~1b/cd" }, .nkeys = 1,
                                                  .expires_s = 1 } },
    };
    const ctl_controller c = { .name = "p", .functions = fs, .count = 2 };
    ctl_arena arena;
    ctli_arena_init(&arena);
    ctl_json_error jerr;
    const ctl_json *root = ctl_json_parse(&arena, event, strlen(event), &jerr);
    ctli_idem_key k;
    char id[CTLI_IDEM_ID_MAX], err[256] = "";
    CHECK(root && ctli_idem_key_of(&c, &fs[0], root, &k, id, err, sizeof err) == 0, "escaped and long keys: %s", err);
    CHECK(ctli_idem_key_of(&c, &fs[1], root, &k, id, err, sizeof err) != 0 && strstr(err, "/a~1b/cd"),
          "a pointer that names nothing: %s", err);
    ctli_arena_free(&arena);
}

int main(int argc, char **argv)
{
    if (argc == 3) {
        ndeliveries = atoi(argv[1]);
        nkeys = atoi(argv[2]);
    }
    if (argc != 1 && argc != 3) {
        fprintf(stderr, "usage: ctl_idem_test [DELIVERIES KEYS]\n");
        return 2;
    }
    /* key 7 is test_validation's; whole rows of the client's deliveries per key */
    if (nkeys < 8 || ndeliveries < nkeys || ndeliveries % nkeys) {
        fprintf(stderr, "ctl_idem_test: DELIVERIES a multiple of KEYS, KEYS at least 8\n");
        return 2;
    }
    runs = calloc((size_t)nkeys, sizeof *runs);
    if (!runs)
        return 2;
    char dir[] = "/tmp/ctl-idem-XXXXXX";
    if (!mkdtemp(dir))
        return 2;
    char path[128];
    snprintf(path, sizeof path, "%s/idempotency.sqlite", dir);
    char err[256];
    ctli_idem_sqlite *s = ctli_idem_sqlite_open(path, err, sizeof err);
    if (!s) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    store = ctli_idem_sqlite_store(s);
    test_canonical();
    test_pointers();
    uint64_t t0 = ctli_now_ms();
    test_duplicates();
    uint64_t t1 = ctli_now_ms();
    test_sync_duplicates();
    uint64_t t2 = ctli_now_ms();
    test_sync_replay();
    test_validation();
    test_failure_releases();
    test_claims();
    test_takeover();
    ctli_idem_sqlite_close(s);
    ctli_thread_release();
    uint64_t t3 = ctli_now_ms();
    test_client(dir);
    uint64_t t4 = ctli_now_ms();
    printf("times: dispatch %llu ms, sync duplicates %llu ms, client %llu ms\n", (unsigned long long)(t1 - t0),
           (unsigned long long)(t2 - t1), (unsigned long long)(t4 - t3));
    test_sigkill(path);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    free(runs);
    printf("%d checks, %d failures\n", checks, failures);
    return failures > 0;
}
