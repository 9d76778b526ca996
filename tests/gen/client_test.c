/* client_test.c: the in-process transport's promises, checked.
 *   - async failures are retried max_retries times, then reach the failure
 *     sink (callback and dead-letter file), never dropped;
 *   - every event accepted by _send ends exactly once (success or sink),
 *     with many threads sending at once;
 *   - drain waits for all of it; stats add up;
 *   - sync calls report function errors with their errorType;
 *   - limits: an event over 1 MB is refused before it is queued;
 *   - a controller's own settings (@retries, @max_event_age in its table):
 *     its number of attempts, and an event too old is not run. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alltypes.ctl.h"

#include "../check.h"

extern atomic_int echo_fire_runs; /* echo.c */

static atomic_int sunk;
static atomic_int sunk_attempts;
static char last_type[128];

static void on_failure(void *user, const char *controller, const char *event, size_t len, const char *error_type,
                       const char *error_message, int attempts)
{
    (void)user;
    (void)controller;
    (void)event;
    (void)len;
    (void)error_message;
    atomic_fetch_add(&sunk, 1);
    atomic_fetch_add(&sunk_attempts, attempts);
    snprintf(last_type, sizeof last_type, "%s", error_type);
}

static ctl_client *make(const char *dlq, int workers)
{
    ctl_client_config cfg = { 0 };
    cfg.workers = workers;
    cfg.retry_delay_ms[0] = 1;
    cfg.retry_delay_ms[1] = 2;
    cfg.dead_letter_path = dlq;
    cfg.on_failure = on_failure;
    ctl_client *client = ctl_client_new(&cfg);
    if (!client || ctl_client_register(client, &t_echo_controller) != CTL_OK) {
        fputs("cannot make a client\n", stderr);
        exit(2);
    }
    return client;
}

static void test_retries_and_dead_letters(const char *dir)
{
    char dlq[4096];
    snprintf(dlq, sizeof dlq, "%s/dead.jsonl", dir);
    atomic_store(&sunk, 0);
    atomic_store(&sunk_attempts, 0);
    ctl_client *client = make(dlq, 2);
    t_echo_fire_args ok = { "ok", 1 }, bad = { "bad", -1 };
    CHECK(t_echo_fire_send(client, &ok) == CTL_OK, "send ok");
    CHECK(t_echo_fire_send(client, &bad) == CTL_OK, "send bad");
    ctl_client_drain(client);
    ctl_client_stats st;
    ctl_client_stats_get(client, &st);
    CHECK(st.sent == 2 && st.succeeded == 1 && st.failed == 1 && st.retried == 2,
          "stats sent %llu succeeded %llu failed %llu retried %llu", (unsigned long long)st.sent,
          (unsigned long long)st.succeeded, (unsigned long long)st.failed, (unsigned long long)st.retried);
    CHECK(atomic_load(&sunk) == 1 && atomic_load(&sunk_attempts) == 3, "sunk %d after %d attempts",
          atomic_load(&sunk), atomic_load(&sunk_attempts));
    CHECK(strcmp(last_type, "test.FireFailed") == 0, "errorType %s", last_type);
    CHECK(count_lines(dlq) == 1, "dead letters: %d lines", count_lines(dlq));
    FILE *f = fopen(dlq, "r");
    char line[2048] = "";
    if (f) {
        if (!fgets(line, sizeof line, f))
            line[0] = '\0';
        fclose(f);
    }
    CHECK(strstr(line, "\"attempts\":3") && strstr(line, "\"errorType\":\"test.FireFailed\"") &&
              strstr(line, "\"event\":{\"function\":\"fire\",\"id\":\"bad\",\"n\":-1}"),
          "dead letter line: %s", line);
    /* An event that is not even JSON fails the same way, as a string. */
    CHECK(ctl_client_send(client, "echo", "{oops", 5) == CTL_OK, "send junk");
    ctl_client_drain(client);
    CHECK(count_lines(dlq) == 2, "dead letters after junk: %d", count_lines(dlq));
    ctl_client_free(client);
}

/* The first line of the dead-letter file at path, or "". */
static void first_line(const char *path, char *line, size_t cap)
{
    line[0] = '\0';
    FILE *f = fopen(path, "r");
    if (f) {
        if (!fgets(line, (int)cap, f))
            line[0] = '\0';
        fclose(f);
    }
}

/* A client of one worker, the client config's retries left at Lambda's
 * default, routing echo to table (a copy of echo's with its settings). */
static ctl_client *make_with(const char *dlq, const ctl_controller *table, unsigned delay_ms)
{
    ctl_client_config cfg = { 0 };
    cfg.workers = 1;
    cfg.retry_delay_ms[0] = cfg.retry_delay_ms[1] = delay_ms;
    cfg.dead_letter_path = dlq;
    cfg.on_failure = on_failure;
    ctl_client *client = ctl_client_new(&cfg);
    if (!client || ctl_client_register(client, table) != CTL_OK) {
        fputs("cannot make a client\n", stderr);
        exit(2);
    }
    atomic_store(&sunk, 0);
    atomic_store(&sunk_attempts, 0);
    atomic_store(&echo_fire_runs, 0);
    last_type[0] = '\0';
    unlink(dlq);
    return client;
}

/* @retries(N): a handler that always fails runs 1 + N times, whatever the
 * client's own max_retries (here Lambda's 2). */
static void test_controller_retries(const char *dir)
{
    char dlq[4096], line[2048];
    snprintf(dlq, sizeof dlq, "%s/retries.jsonl", dir);
    for (int retries = 0; retries <= 2; retries++) {
        static ctl_controller table;
        table = t_echo_controller;
        table.max_attempts = retries + 1;
        ctl_client *client = make_with(dlq, &table, 1);
        t_echo_fire_args bad = { "bad", -1 };
        CHECK(t_echo_fire_send(client, &bad) == CTL_OK, "send");
        ctl_client_drain(client);
        CHECK(atomic_load(&echo_fire_runs) == retries + 1, "@retries(%d): the handler ran %d times", retries,
              atomic_load(&echo_fire_runs));
        CHECK(atomic_load(&sunk) == 1 && atomic_load(&sunk_attempts) == retries + 1,
              "@retries(%d): sunk %d after %d attempts", retries, atomic_load(&sunk), atomic_load(&sunk_attempts));
        first_line(dlq, line, sizeof line);
        char want[64];
        snprintf(want, sizeof want, "\"attempts\":%d,", retries + 1);
        CHECK(strstr(line, want) && strstr(line, "\"errorType\":\"test.FireFailed\"") &&
                  strstr(line, "\"condition\":\"RetriesExhausted\""),
              "dead letter: %s", line);
        ctl_client_free(client);
    }
}

/* @max_event_age(S), S = 1 s in the table (the spec's least is 60; the
 * runtime takes any): an event that waited longer is not run, before its
 * first attempt or a retry, and goes to the sink as EventAgeExceeded. */
static void test_event_age(const char *dir)
{
    char dlq[4096], line[2048];
    snprintf(dlq, sizeof dlq, "%s/age.jsonl", dir);
    static ctl_controller table;
    table = t_echo_controller;
    table.max_event_age_s = 1;

    /* Behind a handler that takes 1.3 s on the one worker: never run. */
    ctl_client *client = make_with(dlq, &table, 1);
    t_echo_fire_args slow = { "slow", 1300 }, late = { "late", -1 };
    CHECK(t_echo_fire_send(client, &slow) == CTL_OK && t_echo_fire_send(client, &late) == CTL_OK, "send");
    ctl_client_drain(client);
    CHECK(atomic_load(&echo_fire_runs) == 1, "only the slow event ran: %d runs", atomic_load(&echo_fire_runs));
    CHECK(atomic_load(&sunk) == 1 && atomic_load(&sunk_attempts) == 0 &&
              strcmp(last_type, "ctl.EventAgeExceeded") == 0,
          "sunk %d after %d attempts as %s", atomic_load(&sunk), atomic_load(&sunk_attempts), last_type);
    first_line(dlq, line, sizeof line);
    CHECK(strstr(line, "\"attempts\":0,") && strstr(line, "\"condition\":\"EventAgeExceeded\"") &&
              strstr(line, "\"id\":\"late\""),
          "dead letter: %s", line);
    ctl_client_free(client);

    /* Its retry due after 1.5 s: the first attempt runs, the retry not. */
    client = make_with(dlq, &table, 1500);
    t_echo_fire_args bad = { "bad", -1 };
    CHECK(t_echo_fire_send(client, &bad) == CTL_OK, "send");
    ctl_client_drain(client);
    CHECK(atomic_load(&echo_fire_runs) == 1, "the retry did not run: %d runs", atomic_load(&echo_fire_runs));
    CHECK(atomic_load(&sunk) == 1 && atomic_load(&sunk_attempts) == 1 &&
              strcmp(last_type, "ctl.EventAgeExceeded") == 0,
          "sunk %d after %d attempts as %s", atomic_load(&sunk), atomic_load(&sunk_attempts), last_type);
    first_line(dlq, line, sizeof line);
    CHECK(strstr(line, "\"attempts\":1,") && strstr(line, "\"condition\":\"EventAgeExceeded\""),
          "dead letter: %s", line);
    ctl_client_free(client);
}

typedef struct sender {
    ctl_client *client;
    int n, id;
    int refused;
} sender;

static void *send_many(void *arg)
{
    sender *s = arg;
    for (int i = 0; i < s->n; i++) {
        char id[32];
        snprintf(id, sizeof id, "s%d-%d", s->id, i);
        /* every 100th event fails for good */
        t_echo_fire_args a = { id, i % 100 == 0 ? -1 : i };
        if (t_echo_fire_send(s->client, &a) != CTL_OK)
            s->refused++;
    }
    return NULL;
}

static void test_concurrent_senders(const char *dir)
{
    char dlq[4096];
    snprintf(dlq, sizeof dlq, "%s/dead-concurrent.jsonl", dir);
    atomic_store(&sunk, 0);
    ctl_client *client = make(dlq, 4);
    enum { THREADS = 8, EACH = 5000 };
    pthread_t threads[THREADS];
    sender senders[THREADS];
    for (int i = 0; i < THREADS; i++) {
        senders[i] = (sender){ client, EACH, i, 0 };
        pthread_create(&threads[i], NULL, send_many, &senders[i]);
    }
    int refused = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
        refused += senders[i].refused;
    }
    ctl_client_drain(client);
    ctl_client_stats st;
    ctl_client_stats_get(client, &st);
    int failing = THREADS * (EACH / 100);
    CHECK(refused == 0, "%d sends refused", refused);
    CHECK(st.sent == THREADS * EACH, "sent %llu", (unsigned long long)st.sent);
    CHECK(st.succeeded + st.failed == st.sent, "succeeded %llu + failed %llu != sent %llu",
          (unsigned long long)st.succeeded, (unsigned long long)st.failed, (unsigned long long)st.sent);
    CHECK((int)st.failed == failing && atomic_load(&sunk) == failing && count_lines(dlq) == failing,
          "failed %llu, sunk %d, dead letters %d, want %d", (unsigned long long)st.failed, atomic_load(&sunk),
          count_lines(dlq), failing);
    ctl_client_free(client);
}

static void test_calls_and_limits(const char *dir)
{
    char dlq[4096];
    snprintf(dlq, sizeof dlq, "%s/dead-calls.jsonl", dir);
    ctl_client *client = make(dlq, 1);
    t_echo_fail_args typed = { "leedz.NotFound", "no leed 7" };
    ctl_reply *reply = NULL;
    int rc = t_echo_fail_call(client, &typed, &reply);
    CHECK(rc == CTL_ERR_HANDLER, "typed failure rc %d", rc);
    CHECK(reply && strcmp(ctl_reply_error_type(reply), "leedz.NotFound") == 0 &&
              strcmp(ctl_reply_error_message(reply), "no leed 7") == 0,
          "typed failure: %s / %s", reply ? ctl_reply_error_type(reply) : "-",
          reply ? ctl_reply_error_message(reply) : "-");
    ctl_reply_free(reply);

    t_echo_fail_args untyped = { NULL, "boom" };
    reply = NULL;
    rc = t_echo_fail_call(client, &untyped, &reply);
    CHECK(rc == CTL_ERR_HANDLER && reply && strcmp(ctl_reply_error_type(reply), "ctl.HandlerError") == 0,
          "default errorType: %s", reply ? ctl_reply_error_type(reply) : "-");
    ctl_reply_free(reply);

    /* A required string left NULL is refused before anything is sent. */
    t_echo_flat_args bad = { NULL, 1, false, 0, t_Color_red };
    t_echo_flat_result res;
    reply = NULL;
    rc = t_echo_flat_call(client, &bad, &res, &reply);
    CHECK(rc == CTL_ERR_INVALID_ARGS && reply, "NULL string: rc %d", rc);
    ctl_reply_free(reply);

    /* Over 1 MB is refused by _send before it is queued. */
    size_t big = 1024 * 1024 + 1;
    char *id = malloc(big + 1);
    memset(id, 'x', big);
    id[big] = '\0';
    t_echo_fire_args huge = { id, 1 };
    CHECK(t_echo_fire_send(client, &huge) == CTL_ERR_TOO_LARGE, "1 MB limit");
    free(id);

    CHECK(ctl_client_send(client, "nobody", "{}", 2) == CTL_ERR_UNKNOWN_CONTROLLER, "unknown controller");
    ctl_client_free(client);
}

int main(void)
{
    char dir[] = "/tmp/ctl-client-test-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 2;
    }
    test_retries_and_dead_letters(dir);
    test_concurrent_senders(dir);
    test_calls_and_limits(dir);
    test_controller_retries(dir);
    test_event_age(dir);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    printf("%d passed, %d failed\n", checks - failures, failures);
    return failures ? 1 : 0;
}
