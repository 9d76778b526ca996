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
 * "S attempts type message (condition)", "O how". */
static char seen[64][256];
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

static int sink_fails; /* the sink's next writes that fail */

static int on_sink(void *user, const ctli_failure *f)
{
    (void)user;
    char line[256];
    snprintf(line, sizeof line, "S %d %s %s%s%s%s%s", f->attempts, f->error_type, f->error_message,
             f->condition ? " (" : "", f->condition ? f->condition : "", f->condition ? ")" : "",
             f->again ? " again" : "");
    note(line);
    CHECK(f->len == strlen(f->event), "the sink gets the event's bytes");
    if (sink_fails > 0) {
        sink_fails--;
        return -1;
    }
    return 0;
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
        .retry = { .max_retries = max_retries, .delay_ms = { 1, 2 } },
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

static bool hook_on;

static bool settings_hook(void *user, const ctl_controller *c, ctli_async_settings *out)
{
    if (!hook_on || strcmp(c->name, "aged") != 0)
        return false;
    *out = *(const ctli_async_settings *)user;
    return true;
}

static void test_policy(void)
{
    ctli_retry_policy d = ctli_retry_policy_or_defaults(NULL);
    CHECK(d.max_retries == 2 && d.delay_ms[0] == 1000 && d.delay_ms[1] == 2000, "defaults %d %u %u", d.max_retries,
          d.delay_ms[0], d.delay_ms[1]);
    ctli_retry_policy none = { .max_retries = -1, .delay_ms = { 5, 6 } };
    none = ctli_retry_policy_or_defaults(&none);
    CHECK(none.max_retries == 0 && none.delay_ms[0] == 5, "-1 retries: none");
    CHECK(ctli_retry_after(&d, NULL, 1) == 1000 && ctli_retry_after(&d, NULL, 2) == 2000 &&
              ctli_retry_after(&d, NULL, 3) == -1,
          "Lambda's rule: retry after 1 s, then 2 s, then give up");
    ctli_retry_policy five = { .max_retries = 5, .delay_ms = { 10, 20 } };
    CHECK(ctli_retry_after(&five, NULL, 4) == 20 && ctli_retry_after(&five, NULL, 5) == 20 &&
              ctli_retry_after(&five, NULL, 6) == -1,
          "later retries wait the second delay");
    CHECK(ctli_retry_after(&none, NULL, 1) == -1, "no retries: the first failure sinks");
    /* A controller's @retries (max_attempts = 1 + N) wins over the policy's
     * count, not its delays; 0 leaves the policy's. */
    ctl_controller once = { .name = "once", .max_attempts = 2 }, unset = { .name = "unset" };
    CHECK(ctli_retry_after(&five, &once, 1) == 10 && ctli_retry_after(&five, &once, 2) == -1,
          "@retries(1): one retry, after the policy's delay");
    CHECK(ctli_retry_after(&none, &once, 1) == 10 - 5, "@retries(1) on a policy of none");
    CHECK(ctli_async_max_attempts(&d, &unset) == 3 && ctli_async_max_attempts(&five, &unset) == 6 &&
              ctli_async_max_attempts(&d, &once) == 2,
          "attempts");
    CHECK(ctli_async_max_age_ms(&d, NULL) == 21600000 && ctli_async_max_age_ms(&d, &unset) == 21600000,
          "Lambda's 6 hours by default");
    /* The settings hook (serve's FunctionEventInvokeConfig) replaces a
     * controller's settings whole while it answers: a field it leaves out
     * is Lambda's default, not the controller's; asked at every call. */
    static const ctl_destination spec_dlq = { CTL_DEST_SQS, "spec-dlq" }, put_q = { CTL_DEST_SNS, "put-topic" };
    ctl_controller aged = { .name = "aged", .max_attempts = 1, .max_event_age_s = 60, .on_failure = &spec_dlq };
    ctli_async_settings put = { 0, 0, NULL, NULL };
    ctli_retry_policy hooked = d;
    hooked.settings = settings_hook;
    hooked.settings_user = &put;
    CHECK(ctli_async_max_attempts(&hooked, &aged) == 1 && ctli_async_max_age_ms(&hooked, &aged) == 60000,
          "no config: the controller's own");
    CHECK(ctli_async_destination(&hooked, &aged, true) == &spec_dlq &&
              ctli_async_destination(&hooked, &aged, false) == NULL && ctli_async_destination(&hooked, NULL, true) == NULL,
          "no config: the controller's own destinations");
    hook_on = true;
    CHECK(ctli_async_max_attempts(&hooked, &aged) == 3 && ctli_async_max_age_ms(&hooked, &aged) == 21600000,
          "a config that leaves both out: Lambda's defaults, not the spec's");
    CHECK(ctli_async_destination(&hooked, &aged, true) == NULL,
          "a config without destinations: none, not the spec's");
    put = (ctli_async_settings){ 2, 120, &put_q, &put_q };
    CHECK(ctli_async_destination(&hooked, &aged, true) == &put_q &&
              ctli_async_destination(&hooked, &aged, false) == &put_q,
          "the config's destinations");
    CHECK(ctli_retry_after(&hooked, &aged, 1) == 1000 && ctli_retry_after(&hooked, &aged, 2) == -1 &&
              ctli_async_max_age_ms(&hooked, &aged) == 120000,
          "the config's values, read at the moment of the decision");
    hook_on = false;
    CHECK(ctli_retry_after(&hooked, &aged, 1) == -1, "the config deleted: the spec's @retries(0) again");
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
                                       "S 3 t.Bad no (RetriesExhausted)", "O sunk", "D 2" };
    expect_seen(bad, 9, "three failures");
    CHECK(ctli_async_live_count(q) == 0, "nothing live");

    /* Run here: retries come back at once; a NULL type is the status's. */
    CHECK(ctli_async_accept(q, NULL, "c", "{}", 2, CTLI_RUN_HERE, &e) == CTL_OK && e, "accept here");
    int runs = 0;
    do {
        CHECK(ctli_async_start(q, e), "a young event starts");
        runs++;
    } while (ctli_async_finish(q, e, CTL_ERR_INVALID_PAYLOAD, NULL, NULL) == CTLI_ASYNC_RETRY);
    CHECK(runs == 3, "%d runs here", runs);
    CHECK(nseen == 9 && strcmp(seen[6], "S 3 ctl.InvalidPayload  (RetriesExhausted)") == 0, "sunk here: %s",
          seen[6]);
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
    ctli_event *r = ctli_async_restore(q, NULL, "gone", 77, "{}", 2, 0, 1234, NULL);
    CHECK(r && r->id == 77 && r->accepted_ms == 1234 && ctli_async_live_count(q) == 1,
          "restore: the store's acceptance time");
    ctli_async_give_up(q, r, NULL, "ctl.UnknownController", "gone");
    static const char *const gone[] = { "S 1 ctl.UnknownController gone", "O sunk", "D 77" };
    expect_seen(gone, 3, "give up");
    ctli_async_free(q);
}

/* Counts the attempts of a controller's events that always fail, until the
 * sink: 1 + its @retries, whatever the policy's count. */
static int attempts_until_sunk(ctli_async *q, const ctl_controller *c)
{
    CHECK(ctli_async_accept(q, c, NULL, "{}", 2, CTLI_QUEUE_NOW, NULL) == CTL_OK, "accept");
    int runs = 0;
    ctli_async_end how;
    do {
        ctli_event *e = ctli_async_next(q);
        runs++;
        how = ctli_async_finish(q, e, CTL_ERR_HANDLER, "t.Bad", "no");
    } while (how == CTLI_ASYNC_RETRY && runs < 10);
    CHECK(how == CTLI_ASYNC_SUNK, "sunk");
    nseen = 0;
    return runs;
}

static bool seen_starts(int i, const char *prefix)
{
    return i < nseen && strncmp(seen[i], prefix, strlen(prefix)) == 0;
}

static void test_controller_settings(void)
{
    ctli_async *q = make(2, 0, 0);
    for (int retries = 0; retries <= 2; retries++) {
        ctl_controller c = { .name = "c", .max_attempts = retries + 1 };
        int runs = attempts_until_sunk(q, &c);
        CHECK(runs == retries + 1, "@retries(%d): %d attempts", retries, runs);
    }
    ctl_controller unset = { .name = "c" };
    CHECK(attempts_until_sunk(q, &unset) == 3, "no @retries: the policy's");
    ctli_async_free(q);
    q = make(0, 0, 0); /* a policy of no retries (the client's -1, as the core gets it) */
    ctl_controller twice = { .name = "c", .max_attempts = 3 };
    CHECK(attempts_until_sunk(q, &twice) == 3, "@retries(2) over a policy of none");

    /* Too old before its first attempt: never started, sunk with the
     * condition, and the next event runs. */
    ctl_controller young = { .name = "y", .max_attempts = 2, .max_event_age_s = 1 };
    ctli_event *e;
    CHECK(ctli_async_accept(q, &young, NULL, "{}", 2, CTLI_QUEUE_LATER, &e) == CTL_OK, "accept");
    e->accepted_ms -= 1500;
    ctli_async_queue(q, e);
    CHECK(ctli_async_accept(q, &young, NULL, "{\"n\":2}", 7, CTLI_QUEUE_NOW, NULL) == CTL_OK, "accept");
    e = ctli_async_next(q);
    CHECK(e && strcmp(e->body, "{\"n\":2}") == 0 && e->attempts == 1, "the aged event is skipped");
    CHECK(ctli_async_finish(q, e, CTL_OK, NULL, NULL) == CTLI_ASYNC_SUCCEEDED, "the young one runs");
    CHECK(nseen == 8 && strcmp(seen[1], "A y") == 0 &&
              seen_starts(2, "S 0 ctl.EventAgeExceeded the event was accepted 1 s ago, past the max event age "
                             "of 1 s of y; 0 attempts had run (EventAgeExceeded)") &&
              strcmp(seen[3], "O sunk") == 0 && strcmp(seen[4], "D 2") == 0 && strcmp(seen[5], "T 3 1") == 0,
          "never started: %s", seen[2]);
    nseen = 0;

    /* Too old when its retry is due: the retry does not start. */
    CHECK(ctli_async_accept(q, &young, NULL, "{}", 2, CTLI_QUEUE_NOW, NULL) == CTL_OK, "accept");
    e = ctli_async_next(q);
    e->accepted_ms -= 1500;
    CHECK(ctli_async_finish(q, e, CTL_ERR_HANDLER, "t.Bad", "no") == CTLI_ASYNC_RETRY, "retry");
    ctli_async_stop(q);
    CHECK(ctli_async_next(q) == NULL, "the retry is not handed out");
    CHECK(nseen == 6 && seen_starts(3, "S 1 ctl.EventAgeExceeded ") && strstr(seen[3], "(EventAgeExceeded)"),
          "aged retry: %s", nseen > 3 ? seen[3] : "");
    nseen = 0;
    ctli_async_free(q);

    /* Run here: ctli_async_start refuses an aged event and ends it. */
    q = make(2, 0, 0);
    CHECK(ctli_async_accept(q, &young, NULL, "{}", 2, CTLI_RUN_HERE, &e) == CTL_OK, "accept here");
    e->accepted_ms -= 1500;
    CHECK(!ctli_async_start(q, e), "an aged event does not start here");
    CHECK(ctli_async_live_count(q) == 0 && seen_starts(1, "S 0 ctl.EventAgeExceeded "), "sunk here");
    nseen = 0;
    /* Without @max_event_age, Lambda's 6 hours: 1.5 s is young. */
    CHECK(ctli_async_accept(q, &unset, NULL, "{}", 2, CTLI_RUN_HERE, &e) == CTL_OK, "accept here");
    e->accepted_ms -= 1500;
    CHECK(ctli_async_start(q, e), "young under the default");
    ctli_async_finish(q, e, CTL_OK, NULL, NULL);
    nseen = 0;
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

/* A dead letter that cannot be written: the event stays live, done waits
 * for the line; other events run meanwhile; the stop tries the line again
 * at once (f->again: the sink's callback knows it had it); a stopping core
 * with a store parks what it still cannot write. */
static void test_unwritten_end(void)
{
    ctli_async *q = make(-1, 0, 0); /* one attempt */
    CHECK(ctli_async_accept(q, NULL, "c", "{}", 2, CTLI_QUEUE_NOW, NULL) == CTL_OK, "accept");
    ctli_event *e = ctli_async_next(q);
    sink_fails = 1;
    CHECK(ctli_async_finish(q, e, CTL_ERR_HANDLER, "t.Bad", "no") == CTLI_ASYNC_SUNK, "sunk");
    CHECK(ctli_async_live_count(q) == 1, "live while its dead letter is not written");
    static const char *const first[] = { "A c", "T 1 1", "S 1 t.Bad no (RetriesExhausted)", "O sunk" };
    expect_seen(first, 4, "a dead letter not written");
    /* A second event runs while the line waits for its next try (100 ms). */
    CHECK(ctli_async_accept(q, NULL, "c", "{\"n\":2}", 7, CTLI_QUEUE_NOW, NULL) == CTL_OK, "accept 2");
    e = ctli_async_next(q);
    CHECK(e && e->id == 2, "the second event runs");
    CHECK(ctli_async_finish(q, e, CTL_OK, NULL, NULL) == CTLI_ASYNC_SUCCEEDED, "succeeded");
    static const char *const second[] = { "A c", "T 2 1", "O ok", "D 2" };
    expect_seen(second, 4, "another event meanwhile");
    CHECK(ctli_async_live_count(q) == 1, "the first still live");
    /* The stop tries the line at once: written now, then done. */
    ctli_async_stop(q);
    CHECK(ctli_async_next(q) == NULL, "nothing left to run");
    static const char *const third[] = { "S 1 t.Bad no (RetriesExhausted) again", "D 1" };
    expect_seen(third, 2, "written at the stop's try, then done");
    CHECK(ctli_async_live_count(q) == 0, "nothing live");
    ctli_async_free(q);

    /* Stopping with a store: a line it still cannot write is parked, live
     * for the store (a restart ends it), and the workers return. */
    q = make(-1, 0, 0);
    CHECK(ctli_async_accept(q, NULL, "c", "{}", 2, CTLI_QUEUE_NOW, NULL) == CTL_OK, "accept");
    e = ctli_async_next(q);
    sink_fails = 100;
    CHECK(ctli_async_finish(q, e, CTL_ERR_HANDLER, "t.Bad", "no") == CTLI_ASYNC_SUNK, "sunk");
    ctli_async_stop(q);
    CHECK(ctli_async_next(q) == NULL, "the worker returns");
    CHECK(ctli_async_live_count(q) == 1, "parked: still live");
    static const char *const parked[] = { "A c", "T 1 1", "S 1 t.Bad no (RetriesExhausted)", "O sunk",
                                          "S 1 t.Bad no (RetriesExhausted) again" };
    expect_seen(parked, 5, "parked, never done");
    sink_fails = 0;
    ctli_async_free(q);
}

int main(void)
{
    test_policy();
    test_ends();
    test_limits_and_store();
    test_take_over_and_restore();
    test_controller_settings();
    test_stop_and_drain();
    test_unwritten_end();
    printf("async core: %d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
