/* destinations_test.c: the in-process client honours a controller's
 * destinations (ctl_controller's on_failure and on_success, the spec's
 * @on_failure and @on_success), in copies of echo's table:
 *   - on failure to a controller: its @records function runs once with
 *     Lambda's invocation record, every field checked, for RetriesExhausted
 *     and for EventAgeExceeded; the failure sink (callback and dead
 *     letters) is not used;
 *   - on failure to an external target: exactly the record, one JSON line
 *     of DIR/sqs-NAME.jsonl, compared byte for byte (requestId and
 *     timestamp checked for their form, then put in the expected line);
 *   - on success to a controller: the record of condition Success;
 *   - a destination that cannot be reached (a controller not registered):
 *     the dead letters take the failure as before.
 * The receiving controller is a hand-written table over ctl_record_read,
 * as ctlc writes it for a @records function (codegen goldens: bare). */
#include <cjson/cJSON.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alltypes.ctl.h"
#include "ctl/gen.h"

#include "../check.h"

extern atomic_int echo_fire_runs; /* echo.c */

static atomic_int sunk;

static void on_failure(void *user, const char *controller, const char *event, size_t len, const char *error_type,
                       const char *error_message, int attempts)
{
    (void)user, (void)controller, (void)event, (void)len, (void)error_type, (void)error_message, (void)attempts;
    atomic_fetch_add(&sunk, 1);
}

/* ---- the receiving controller: what its one run saw ---- */

static struct seen {
    int runs;
    char version[16], timestamp[64], request_id[64], arn[256], condition[64], executed[32], function_error[32];
    int64_t count, status_code;
    char request[512], response[512];
} seen;

static void copy(char *to, size_t cap, const char *s)
{
    snprintf(to, cap, "%s", s ? s : "(null)");
}

static void print(char *to, size_t cap, const cJSON *j)
{
    char *text = j ? cJSON_PrintUnformatted(j) : NULL;
    copy(to, cap, text);
    free(text);
}

static int take_invoke(ctl_ctx *ctx, const ctl_json *event, ctl_cursor *cursor, ctl_buf *out)
{
    (void)cursor;
    if (!event)
        return CTL_NOT_READ; /* this one reads the tree */
    ctl_record r;
    if (ctl_record_read(ctx, event, &r))
        return -1;
    seen.runs++;
    copy(seen.version, sizeof seen.version, r.version);
    copy(seen.timestamp, sizeof seen.timestamp, r.timestamp);
    copy(seen.request_id, sizeof seen.request_id, r.request_id);
    copy(seen.arn, sizeof seen.arn, r.function_arn);
    copy(seen.condition, sizeof seen.condition, r.condition);
    copy(seen.executed, sizeof seen.executed, r.executed_version);
    copy(seen.function_error, sizeof seen.function_error, r.function_error);
    seen.count = r.approximate_invoke_count;
    seen.status_code = r.status_code;
    print(seen.request, sizeof seen.request, r.request_payload);
    print(seen.response, sizeof seen.response, r.response_payload);
    CTL_BUF_LIT(out, "null");
    return 0;
}

static const ctl_function rec_functions[] = {
    { .name = "take", .name_len = 4, .is_async = true, .invoke = take_invoke, .receives_records = true },
};
static const ctl_controller rec_controller = { .name = "rec", .functions = rec_functions, .count = 1 };

/* ---- helpers ---- */

/* A client of one worker routing echo to table, and rec. */
static ctl_client *make(const char *dir, const ctl_controller *table, bool with_rec)
{
    char dlq[4096];
    snprintf(dlq, sizeof dlq, "%s/dead.jsonl", dir);
    unlink(dlq);
    ctl_client_config cfg = { 0 };
    cfg.workers = 1;
    cfg.retry_delay_ms[0] = cfg.retry_delay_ms[1] = 1;
    cfg.dead_letter_path = dlq;
    cfg.on_failure = on_failure;
    cfg.destination_dir = dir;
    ctl_client *client = ctl_client_new(&cfg);
    if (!client || ctl_client_register(client, table) != CTL_OK ||
        (with_rec && ctl_client_register(client, &rec_controller) != CTL_OK)) {
        fputs("cannot make a client\n", stderr);
        exit(2);
    }
    atomic_store(&sunk, 0);
    atomic_store(&echo_fire_runs, 0);
    memset(&seen, 0, sizeof seen);
    return client;
}

static int dead_letters(const char *dir)
{
    char dlq[4096];
    snprintf(dlq, sizeof dlq, "%s/dead.jsonl", dir);
    return count_lines(dlq);
}

/* A UUID's form: 8-4-4-4-12 lowercase hex digits. */
static bool uuid_form(const char *s)
{
    if (strlen(s) != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !strchr("0123456789abcdef", s[i]))
            return false;
    }
    return true;
}

/* ISO 8601, UTC, milliseconds: 2026-12-07T03:39:32.123Z. */
static bool timestamp_form(const char *s)
{
    static const char form[] = "dddd-dd-ddTdd:dd:dd.dddZ";
    if (strlen(s) != sizeof form - 1)
        return false;
    for (size_t i = 0; i < sizeof form - 1; i++)
        if (form[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != form[i])
            return false;
    return true;
}

static const char arn[] = "arn:aws:lambda:local:000000000000:function:echo:$LATEST";

/* ---- the tests ---- */

static void test_failure_to_controller(const char *dir)
{
    static ctl_controller table;
    static const ctl_destination to_rec = { CTL_DEST_CONTROLLER, "rec" };
    table = t_echo_controller;
    table.max_attempts = 2;
    table.on_failure = &to_rec;
    ctl_client *client = make(dir, &table, true);
    t_echo_fire_args bad = { "bad", -1 };
    CHECK(t_echo_fire_send(client, &bad) == CTL_OK, "send");
    ctl_client_drain(client);
    CHECK(atomic_load(&echo_fire_runs) == 2, "fire ran %d times", atomic_load(&echo_fire_runs));
    CHECK(seen.runs == 1, "the @records function ran %d times", seen.runs);
    CHECK(strcmp(seen.version, "1.0") == 0, "version %s", seen.version);
    CHECK(timestamp_form(seen.timestamp), "timestamp %s", seen.timestamp);
    CHECK(uuid_form(seen.request_id), "requestId %s", seen.request_id);
    CHECK(strcmp(seen.arn, arn) == 0, "functionArn %s", seen.arn);
    CHECK(strcmp(seen.condition, "RetriesExhausted") == 0, "condition %s", seen.condition);
    CHECK(seen.count == 2, "approximateInvokeCount %lld", (long long)seen.count);
    CHECK(strcmp(seen.request, "{\"function\":\"fire\",\"id\":\"bad\",\"n\":-1}") == 0, "requestPayload %s",
          seen.request);
    CHECK(seen.status_code == 200 && strcmp(seen.executed, "$LATEST") == 0 &&
              strcmp(seen.function_error, "Unhandled") == 0,
          "responseContext %lld %s %s", (long long)seen.status_code, seen.executed, seen.function_error);
    CHECK(strcmp(seen.response, "{\"errorMessage\":\"fire bad failed on attempt 1\",\"errorType\":\"test.FireFailed\"}") ==
              0,
          "responsePayload %s", seen.response);
    CHECK(atomic_load(&sunk) == 0 && dead_letters(dir) == 0, "the sink was used: %d callbacks, %d dead letters",
          atomic_load(&sunk), dead_letters(dir));
    ctl_client_stats st;
    ctl_client_stats_get(client, &st);
    CHECK(st.failed == 1 && st.succeeded == 1, "stats: failed %llu succeeded %llu (the record's run)",
          (unsigned long long)st.failed, (unsigned long long)st.succeeded);
    ctl_client_free(client);
}

/* @max_event_age of 1 s in the table: an event behind a slow one is never
 * run, and its record says EventAgeExceeded after 0 attempts. */
static void test_age_to_controller(const char *dir)
{
    static ctl_controller table;
    static const ctl_destination to_rec = { CTL_DEST_CONTROLLER, "rec" };
    table = t_echo_controller;
    table.max_event_age_s = 1;
    table.on_failure = &to_rec;
    ctl_client *client = make(dir, &table, true);
    t_echo_fire_args slow = { "slow", 1300 }, late = { "late", -1 };
    CHECK(t_echo_fire_send(client, &slow) == CTL_OK && t_echo_fire_send(client, &late) == CTL_OK, "send");
    ctl_client_drain(client);
    CHECK(atomic_load(&echo_fire_runs) == 1, "only the slow event ran: %d", atomic_load(&echo_fire_runs));
    CHECK(seen.runs == 1 && strcmp(seen.condition, "EventAgeExceeded") == 0 && seen.count == 0,
          "%d runs, condition %s, count %lld", seen.runs, seen.condition, (long long)seen.count);
    CHECK(strcmp(seen.request, "{\"function\":\"fire\",\"id\":\"late\",\"n\":-1}") == 0, "requestPayload %s",
          seen.request);
    CHECK(strstr(seen.response, "\"errorType\":\"ctl.EventAgeExceeded\"") != NULL, "responsePayload %s",
          seen.response);
    CHECK(atomic_load(&sunk) == 0 && dead_letters(dir) == 0, "the sink was used");
    ctl_client_free(client);
}

static void test_failure_to_file(const char *dir)
{
    static ctl_controller table;
    static const ctl_destination to_q = { CTL_DEST_SQS, "failed-q" };
    table = t_echo_controller;
    table.max_attempts = 1;
    table.on_failure = &to_q;
    char path[4096];
    snprintf(path, sizeof path, "%s/sqs-failed-q.jsonl", dir);
    unlink(path);
    ctl_client *client = make(dir, &table, false);
    t_echo_fire_args bad = { "bad", -1 };
    CHECK(t_echo_fire_send(client, &bad) == CTL_OK, "send");
    ctl_client_drain(client);
    ctl_client_free(client);
    CHECK(count_lines(path) == 1, "%s: %d lines", path, count_lines(path));
    char line[4096] = "", id[64] = "", ts[64] = "";
    FILE *f = fopen(path, "r");
    if (f) {
        if (!fgets(line, sizeof line, f))
            line[0] = '\0';
        fclose(f);
    }
    const char *p = strstr(line, "\"timestamp\":\""), *q = strstr(line, "\"requestId\":\"");
    if (p)
        sscanf(p + 13, "%63[^\"]", ts);
    if (q)
        sscanf(q + 13, "%63[^\"]", id);
    CHECK(timestamp_form(ts) && uuid_form(id), "timestamp %s, requestId %s", ts, id);
    char want[4096];
    snprintf(want, sizeof want,
             "{\"version\":\"1.0\",\"timestamp\":\"%s\",\"requestContext\":{\"requestId\":\"%s\",\"functionArn\":"
             "\"%s\",\"condition\":\"RetriesExhausted\",\"approximateInvokeCount\":1},\"requestPayload\":{"
             "\"function\":\"fire\",\"id\":\"bad\",\"n\":-1},\"responseContext\":{\"statusCode\":200,"
             "\"executedVersion\":\"$LATEST\",\"functionError\":\"Unhandled\"},\"responsePayload\":{"
             "\"errorMessage\":\"fire bad failed on attempt 0\",\"errorType\":\"test.FireFailed\"}}\n",
             ts, id, arn);
    CHECK(strcmp(line, want) == 0, "the line\n  %s  is not\n  %s", line, want);
    CHECK(atomic_load(&sunk) == 0 && dead_letters(dir) == 0, "the sink was used");
}

static void test_success_to_controller(const char *dir)
{
    static ctl_controller table;
    static const ctl_destination to_rec = { CTL_DEST_CONTROLLER, "rec" };
    table = t_echo_controller;
    table.on_success = &to_rec;
    ctl_client *client = make(dir, &table, true);
    t_echo_fire_args ok = { "ok", 1 };
    CHECK(t_echo_fire_send(client, &ok) == CTL_OK, "send");
    ctl_client_drain(client);
    CHECK(seen.runs == 1 && strcmp(seen.condition, "Success") == 0 && seen.count == 1,
          "%d runs, condition %s, count %lld", seen.runs, seen.condition, (long long)seen.count);
    CHECK(strcmp(seen.function_error, "(null)") == 0 && strcmp(seen.response, "null") == 0 &&
              seen.status_code == 200,
          "functionError %s, responsePayload %s", seen.function_error, seen.response);
    CHECK(strcmp(seen.request, "{\"function\":\"fire\",\"id\":\"ok\",\"n\":1}") == 0, "requestPayload %s",
          seen.request);
    ctl_client_free(client);
}

/* The destination controller is not registered: the record cannot be
 * delivered, and the failure reaches the dead letters as it would
 * without a destination. */
static void test_unreachable(const char *dir)
{
    static ctl_controller table;
    static const ctl_destination to_rec = { CTL_DEST_CONTROLLER, "rec" };
    table = t_echo_controller;
    table.max_attempts = 1;
    table.on_failure = &to_rec;
    ctl_client *client = make(dir, &table, false);
    t_echo_fire_args bad = { "bad", -1 };
    CHECK(t_echo_fire_send(client, &bad) == CTL_OK, "send");
    ctl_client_drain(client);
    CHECK(atomic_load(&sunk) == 1 && dead_letters(dir) == 1, "sink: %d callbacks, %d dead letters",
          atomic_load(&sunk), dead_letters(dir));
    ctl_client_free(client);
}

int main(void)
{
    char dir[] = "/tmp/ctl-destinations-test-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 2;
    }
    test_failure_to_controller(dir);
    test_age_to_controller(dir);
    test_failure_to_file(dir);
    test_success_to_controller(dir);
    test_unreachable(dir);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    printf("%d passed, %d failed\n", checks - failures, failures);
    return failures ? 1 : 0;
}
