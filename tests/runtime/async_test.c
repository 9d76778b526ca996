/* async_test.c: the async-delivery core (runtime/src/client/async.c) on its
 * own: the retry policy, each way an event ends, the store's hooks in
 * their order, the limits, a watchdog's take-over, restored events, stop
 * and the drain. Links ctl_internal. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "../check.h"

#include "client/async.h"

/* What the hooks saw, as one line each: "A name", "T id n", "D id",
 * "S name attempts type message", "O how". */
static char seen[64][128];
static int nseen;
static pthread_mutex_t seen_mu = PTHREAD_MUTEX_INITIALIZER;
static uint64_t next_id = 1;
static int refuse_next;

static void note(const char *line)
{
    pthread_mutex_lock(&seen_mu);
    if (nseen < 64)
        snprintf(seen[nseen++], sizeof seen[0], "%s", line);
    pthread_mutex_unlock(&seen_mu);
}

static int on_accept(void *self, ctli_event *e)
{
    (void)self;
    if (refuse_next) {
        refuse_next = 0;
        return -1;
    }
    e->id = next_id++;
    char line[128];
    snprintf(line, sizeof line, "A %s", e->name);
    note(line);
    return 0;
}

static void on_attempt(void *self, const ctli_event *e)
{
    (void)self;
    char line[128];
    snprintf(line, sizeof line, "T %llu %d", (unsigned long long)e->id, e->attempts);
    note(line);
}

static void on_done(void *self, ctli_async *q, const ctli_event *e)
{
    (void)self;
    /* The event has left the live set when the store hears of its end. */
    for (const ctli_event *l = ctli_async_live_next(q, NULL); l; l = ctli_async_live_next(q, l))
        CHECK(l != e, "event %llu still live in done", (unsigned long long)e->id);
    char line[128];
    snprintf(line, sizeof line, "D %llu", (unsigned long long)e->id);
    note(line);
}

static void on_sink(void *user, const ctli_failure *f)
{
    (void)user;
    char line[128];
    snprintf(line, sizeof line, "S %d %s %s", f->attempts, f->error_type, f->error_message);
    note(line);
    CHECK(f->len == strlen(f->event), "the sink gets the event's bytes");
}

static void on_outcome(void *user, ctli_async_end how)
{
    (void)user;
    note(how == CTLI_ASYNC_SUCCEEDED ? "O ok" : how == CTLI_ASYNC_RETRY ? "O retry" : "O sunk");
}

static void expect_seen(const char *const *want, int n, const char *what)
{
    CHECK(nseen == n, "%s: %d hook calls, not %d", what, nseen, n);
    for (int i = 0; i < n && i < nseen; i++)
        CHECK(strcmp(seen[i], want[i]) == 0, "%s: call %d is '%s', not '%s'", what, i, seen[i], want[i]);
    nseen = 0;
}

static ctli_async *make(int max_retries, size_t max_live, size_t max_bytes)
{
    next_id = 1;
    ctli_async_store store = { NULL, on_accept, on_attempt, on_done };
    ctli_async_config cfg = {
        .retry = { max_retries, { 1, 2 } },
        .max_live = max_live,
        .max_live_bytes = max_bytes,
        .sink = on_sink,
        .outcome = on_outcome,
        .store = &store,
    };
    ctli_async *q = ctli_async_new(&cfg);
    CHECK(q != NULL, "core");
    return q;
}

static void test_policy(void)
{
    ctli_retry_policy d = ctli_retry_policy_or_defaults(NULL);
    CHECK(d.max_retries == 2 && d.delay_ms[0] == 1000 && d.delay_ms[1] == 2000, "defaults %d %u %u", d.max_retries,
          d.delay_ms[0], d.delay_ms[1]);
    ctli_retry_policy none = { -1, { 5, 6 } };
    none = ctli_retry_policy_or_defaults(&none);
    CHECK(none.max_retries == 0 && none.delay_ms[0] == 5, "-1 retries: none");
    CHECK(ctli_retry_after(&d, 1) == 1000 && ctli_retry_after(&d, 2) == 2000 && ctli_retry_after(&d, 3) == -1,
          "Lambda's rule: retry after 1 s, then 2 s, then give up");
    ctli_retry_policy five = { 5, { 10, 20 } };
    CHECK(ctli_retry_after(&five, 4) == 20 && ctli_retry_after(&five, 5) == 20 && ctli_retry_after(&five, 6) == -1,
          "later retries wait the second delay");
    CHECK(ctli_retry_after(&none, 1) == -1, "no retries: the first failure sinks");
}

static void test_ends(void)
{
    ctli_async *q = make(2, 0, 0);
    CHECK(ctli_async_accept(q, NULL, "c", "{\"n\":1}", 7, CTLI_QUEUE_NOW, NULL) == CTL_OK, "accept");
    ctli_event *e = ctli_async_next(q);
    CHECK(e && e->attempts == 1 && e->id == 1 && strcmp(e->body, "{\"n\":1}") == 0 && e->accepted_ms > 0, "next");
    CHECK(ctli_async_finish(q, e, CTL_OK, NULL, NULL) == CTLI_ASYNC_SUCCEEDED, "succeeded");
    static const char *const ok[] = { "A c", "T 1 1", "O ok", "D 1" };
    expect_seen(ok, 4, "a success");

    /* Three failures: two retries after their delays, then the sink. */
    CHECK(ctli_async_accept(q, NULL, "c", "{}", 2, CTLI_QUEUE_NOW, NULL) == CTL_OK, "accept");
    for (int i = 1; i <= 3; i++) {
        e = ctli_async_next(q);
        CHECK(e && e->attempts == i, "attempt %d", i);
        ctli_async_end how = ctli_async_finish(q, e, CTL_ERR_HANDLER, "t.Bad", "no");
        CHECK(how == (i < 3 ? CTLI_ASYNC_RETRY : CTLI_ASYNC_SUNK), "attempt %d ended %d", i, (int)how);
    }
    static const char *const bad[] = { "A c", "T 2 1", "O retry", "T 2 2", "O retry", "T 2 3",
                                       "S 3 t.Bad no", "O sunk", "D 2" };
    expect_seen(bad, 9, "three failures");
    CHECK(ctli_async_live_count(q) == 0, "nothing live");

    /* Run here: retries come back at once; a NULL type is the status's. */
    CHECK(ctli_async_accept(q, NULL, "c", "{}", 2, CTLI_RUN_HERE, &e) == CTL_OK && e, "accept here");
    int runs = 0;
    do {
        ctli_async_start(q, e);
        runs++;
    } while (ctli_async_finish(q, e, CTL_ERR_INVALID_PAYLOAD, NULL, NULL) == CTLI_ASYNC_RETRY);
    CHECK(runs == 3, "%d runs here", runs);
    CHECK(nseen == 9 && strcmp(seen[6], "S 3 ctl.InvalidPayload ") == 0, "sunk here: %s", seen[6]);
    nseen = 0;
    ctli_async_free(q);
}

static void test_limits_and_store(void)
{
    ctli_async *q = make(2, 2, 10);
    ctli_event *a, *b;
    CHECK(ctli_async_accept(q, NULL, "c", "12345", 5, CTLI_QUEUE_LATER, &a) == CTL_OK, "first");
    CHECK(ctli_async_accept(q, NULL, "c", "123456", 6, CTLI_QUEUE_LATER, &b) == CTL_ERR_THROTTLED, "bytes limit");
    CHECK(ctli_async_accept(q, NULL, "c", "1234", 4, CTLI_QUEUE_LATER, &b) == CTL_OK, "fits");
    CHECK(ctli_async_accept(q, NULL, "c", "1", 1, CTLI_QUEUE_LATER, NULL) == CTL_ERR_THROTTLED, "count limit");
    refuse_next = 1;
    ctli_async *q2 = make(2, 0, 0);
    CHECK(ctli_async_accept(q2, NULL, "c", "1", 1, CTLI_QUEUE_NOW, NULL) == CTL_ERR_IO, "the store refuses");
    CHECK(ctli_async_live_count(q2) == 0, "a refused event is not live");
    ctli_async_free(q2);
    /* Live in acceptance order, queued later. */
    const ctli_event *l = ctli_async_live_next(q, NULL);
    CHECK(l == a && ctli_async_live_next(q, l) == b && !ctli_async_live_next(q, b), "live order");
    ctli_async_queue(q, b);
    ctli_async_queue(q, a);
    CHECK(ctli_async_next(q) == b, "queued order");
    nseen = 0;
    ctli_async_free(q); /* frees what is live */
}

static void test_take_over_and_restore(void)
{
    ctli_async *q = make(2, 0, 0);
    CHECK(ctli_async_accept(q, NULL, "c", "{}", 2, CTLI_QUEUE_NOW, NULL) == CTL_OK, "accept");
    ctli_event *e = ctli_async_next(q);
    nseen = 0;
    /* A watchdog gives up: a copy goes on (its retry), e is the runner's. */
    CHECK(ctli_async_take_over(q, e, "Sandbox.Timedout", "late"), "take over");
    ctli_event *copy = ctli_async_next(q);
    CHECK(copy && copy != e && copy->id == e->id && copy->attempts == 2, "the copy runs attempt 2");
    ctli_async_discard(e);
    CHECK(ctli_async_finish(q, copy, CTL_OK, NULL, NULL) == CTLI_ASYNC_SUCCEEDED, "the copy ends");
    static const char *const took[] = { "O retry", "T 1 2", "O ok", "D 1" };
    expect_seen(took, 4, "take over");

    /* Restored: not recorded again; the caller queues it or gives it up. */
    ctli_event *r = ctli_async_restore(q, NULL, "gone", 77, "{}", 2, 0);
    CHECK(r && r->id == 77 && ctli_async_live_count(q) == 1, "restore");
    ctli_async_give_up(q, r, "ctl.UnknownController", "gone");
    static const char *const gone[] = { "S 1 ctl.UnknownController gone", "O sunk", "D 77" };
    expect_seen(gone, 3, "give up");
    ctli_async_free(q);
}

static void *drain_worker(void *arg)
{
    ctli_async *q = arg;
    ctli_event *e;
    while ((e = ctli_async_next(q)))
        ctli_async_finish(q, e, e->attempts < 2 ? CTL_ERR_HANDLER : CTL_OK, NULL, NULL);
    return NULL;
}

static void test_stop_and_drain(void)
{
    ctli_async *q = make(2, 0, 0);
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, drain_worker, q);
    for (int i = 0; i < 50; i++)
        CHECK(ctli_async_accept(q, NULL, "c", "{}", 2, CTLI_QUEUE_NOW, NULL) == CTL_OK, "accept %d", i);
    ctli_async_wait_idle(q);
    CHECK(ctli_async_live_count(q) == 0, "drained");
    ctli_async_stop(q);
    CHECK(ctli_async_accept(q, NULL, "c", "{}", 2, CTLI_QUEUE_NOW, NULL) == CTL_ERR_SHUTDOWN, "refused once stopping");
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    int oks = 0;
    for (int i = 0; i < nseen; i++)
        oks += strcmp(seen[i], "O ok") == 0;
    CHECK(oks == 50 || nseen == 64, "%d successes", oks);
    nseen = 0;
    ctli_async_free(q);
}

int main(void)
{
    test_policy();
    test_ends();
    test_limits_and_store();
    test_take_over_and_restore();
    test_stop_and_drain();
    printf("async core: %d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
