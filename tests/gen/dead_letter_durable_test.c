/* dead_letter_durable_test.c: the in-process client's dead letters are
 * durable and valid (issue 18, items 3 and 4):
 *   - a dead-letter file that cannot be written (its folder missing; a
 *     symlink to /dev/full, which fails every write with ENOSPC, as root
 *     ignores chmod) keeps the event live: a drain waits, the callback is
 *     told once, and once the file can be written the dead letter appears
 *     exactly once;
 *   - a client freed while the file cannot be written does not hang (the
 *     line goes to stderr);
 *   - an event whose bytes are not UTF-8 (the in-process client sends any
 *     bytes) is dead-lettered as a UTF-8 line with "eventBase64";
 *   - the same for a destination's file (@on_success(sqs: "q")): the
 *     record is written once when the file can be written, and an event
 *     that is not UTF-8 has "requestPayloadBase64". */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "alltypes.ctl.h"

#include "../check.h"

static atomic_int told;

static void on_failure(void *user, const char *controller, const char *event, size_t len, const char *error_type,
                       const char *error_message, int attempts)
{
    (void)user, (void)controller, (void)event, (void)len, (void)error_type, (void)error_message, (void)attempts;
    atomic_fetch_add(&told, 1);
}

static ctl_client *make(const char *dlq)
{
    ctl_client_config cfg = { 0 };
    cfg.workers = 2;
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

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* The file's lines (0 when it does not exist); *all_ascii: no byte past
 * 0x7f; *parsed: every line parses as JSON. */
static int file_lines(const char *path, bool *all_ascii, bool *parsed)
{
    FILE *f = fopen(path, "rb");
    if (all_ascii)
        *all_ascii = true;
    if (parsed)
        *parsed = true;
    if (!f)
        return 0;
    char line[65536];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        n++;
        for (const unsigned char *p = (const unsigned char *)line; *p; p++)
            if (*p >= 0x80 && all_ascii)
                *all_ascii = false;
        cJSON *j = cJSON_Parse(line);
        if (!j && parsed)
            *parsed = false;
        cJSON_Delete(j);
    }
    fclose(f);
    return n;
}

typedef struct drainer {
    ctl_client *client;
    atomic_bool done;
} drainer;

static void *drain_thread(void *arg)
{
    drainer *d = arg;
    ctl_client_drain(d->client);
    atomic_store(&d->done, true);
    return NULL;
}

/* One failing event with the file unwritable until make_writable() runs. */
static void unwritable_then_writable(const char *what, const char *dlq, void (*make_writable)(const char *),
                                     const char *arg)
{
    atomic_store(&told, 0);
    ctl_client *client = make(dlq);
    t_echo_fire_args bad = { "bad", -1 };
    CHECK(t_echo_fire_send(client, &bad) == CTL_OK, "%s: send", what);
    drainer d = { client, false };
    pthread_t th;
    CHECK(pthread_create(&th, NULL, drain_thread, &d) == 0, "thread");
    for (int i = 0; i < 200 && atomic_load(&told) == 0; i++)
        sleep_ms(10);
    CHECK(atomic_load(&told) == 1, "%s: the callback is told once the event failed for good", what);
    sleep_ms(600); /* several tries of the write: 100, 200 ms ... */
    CHECK(!atomic_load(&d.done), "%s: the drain waits while the dead letter is not written", what);
    ctl_client_stats st;
    ctl_client_stats_get(client, &st);
    CHECK(st.failed == 1, "%s: counted failed once (%llu)", what, (unsigned long long)st.failed);
    make_writable(arg);
    for (int i = 0; i < 500 && !atomic_load(&d.done); i++)
        sleep_ms(10);
    CHECK(atomic_load(&d.done), "%s: the drain ends once the dead letter is written", what);
    pthread_join(th, NULL);
    bool ascii, parsed;
    int n = file_lines(dlq, &ascii, &parsed);
    CHECK(n == 1 && parsed, "%s: exactly one dead letter (%d), JSON", what, n);
    CHECK(atomic_load(&told) == 1, "%s: the callback is told once, not at each try (%d)", what, atomic_load(&told));
    ctl_client_free(client);
}

static void make_dir(const char *dir)
{
    CHECK(mkdir(dir, 0777) == 0, "mkdir %s: %s", dir, strerror(errno));
}

static void unlink_link(const char *path)
{
    CHECK(unlink(path) == 0, "unlink %s: %s", path, strerror(errno));
}

/* Freed while the file cannot be written: no hang, nothing in the file. */
static void free_while_unwritable(const char *dlq)
{
    atomic_store(&told, 0);
    ctl_client *client = make(dlq);
    t_echo_fire_args bad = { "closing", -1 };
    CHECK(t_echo_fire_send(client, &bad) == CTL_OK, "send");
    for (int i = 0; i < 200 && atomic_load(&told) == 0; i++)
        sleep_ms(10);
    time_t start = time(NULL);
    ctl_client_free(client);
    CHECK(time(NULL) - start < 5, "the client is freed at once (the line goes to stderr)");
}

static void invalid_utf8(const char *dlq)
{
    atomic_store(&told, 0);
    ctl_client *client = make(dlq);
    /* Any bytes go out of ctl_client_send: the event fails its reader
     * (not UTF-8), three attempts, then the dead letter. */
    static const char event[] = "{\"function\":\"fire\",\"id\":\"\xff\xfe bad \xc3\",\"n\":1}";
    CHECK(ctl_client_send(client, "echo", event, sizeof event - 1) == CTL_OK, "send the invalid UTF-8");
    ctl_client_drain(client);
    ctl_client_free(client);
    bool ascii, parsed;
    CHECK(file_lines(dlq, &ascii, &parsed) == 1 && ascii && parsed, "one dead letter, ASCII, JSON");
    FILE *f = fopen(dlq, "rb");
    char line[4096] = "";
    CHECK(f && fgets(line, sizeof line, f), "read the dead letter");
    if (f)
        fclose(f);
    cJSON *j = cJSON_Parse(line);
    const cJSON *b64 = cJSON_GetObjectItemCaseSensitive(j, "eventBase64");
    CHECK(j && cJSON_IsString(b64) && !cJSON_GetObjectItemCaseSensitive(j, "event"),
          "eventBase64 in place of event: %s", line);
    /* base64 of the event's bytes, by hand: python3 -c 'import base64;...' */
    static const char want[] = "eyJmdW5jdGlvbiI6ImZpcmUiLCJpZCI6Iv/+IGJhZCDDIiwibiI6MX0=";
    CHECK(b64 && cJSON_IsString(b64) && strcmp(b64->valuestring, want) == 0, "eventBase64 %s",
          b64 && cJSON_IsString(b64) ? b64->valuestring : "?");
    cJSON_Delete(j);
}

/* A client whose echo has on_success and on_failure to sqs "q", records in
 * dir. */
static ctl_client *make_with_queue(const char *dir)
{
    static ctl_controller table;
    static const ctl_destination to_q = { CTL_DEST_SQS, "q" };
    table = t_echo_controller;
    table.max_attempts = 1;
    table.on_success = table.on_failure = &to_q;
    char dlq[4200];
    CHECK(snprintf(dlq, sizeof dlq, "%s/dead.jsonl", dir) < (int)sizeof dlq, "path too long");
    ctl_client_config cfg = { 0 };
    cfg.workers = 1;
    cfg.dead_letter_path = dlq;
    cfg.destination_dir = dir;
    ctl_client *client = ctl_client_new(&cfg);
    if (!client || ctl_client_register(client, &table) != CTL_OK) {
        fputs("cannot make a client\n", stderr);
        exit(2);
    }
    return client;
}

static void records(const char *dir)
{
    char q[4200];
    CHECK(snprintf(q, sizeof q, "%s/sqs-q.jsonl", dir) < (int)sizeof q, "path too long");
    CHECK(symlink("/dev/full", q) == 0, "symlink: %s", strerror(errno));
    ctl_client *client = make_with_queue(dir);
    t_echo_fire_args ok = { "ok", 1 };
    CHECK(t_echo_fire_send(client, &ok) == CTL_OK, "send ok");
    drainer d = { client, false };
    pthread_t th;
    CHECK(pthread_create(&th, NULL, drain_thread, &d) == 0, "thread");
    sleep_ms(500);
    CHECK(!atomic_load(&d.done), "records: the drain waits while the record is not written");
    unlink_link(q);
    for (int i = 0; i < 500 && !atomic_load(&d.done); i++)
        sleep_ms(10);
    CHECK(atomic_load(&d.done), "records: the drain ends once the record is written");
    pthread_join(th, NULL);
    /* An event that is not UTF-8 fails; its record carries the bytes. */
    static const char event[] = "{\"function\":\"fire\",\"id\":\"\x80\",\"n\":1}";
    CHECK(ctl_client_send(client, "echo", event, sizeof event - 1) == CTL_OK, "send the invalid UTF-8");
    ctl_client_drain(client);
    ctl_client_free(client);
    bool ascii, parsed;
    CHECK(file_lines(q, &ascii, &parsed) == 2 && ascii && parsed, "records: two lines, ASCII, JSON");
    FILE *f = fopen(q, "rb");
    char line[4096] = "";
    CHECK(f && fgets(line, sizeof line, f) && fgets(line, sizeof line, f), "read the second record");
    if (f)
        fclose(f);
    cJSON *j = cJSON_Parse(line);
    const cJSON *b64 = cJSON_GetObjectItemCaseSensitive(j, "requestPayloadBase64");
    CHECK(j && cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j, "requestPayload")) && cJSON_IsString(b64) &&
              strcmp(b64->valuestring, "eyJmdW5jdGlvbiI6ImZpcmUiLCJpZCI6IoAiLCJuIjoxfQ==") == 0,
          "requestPayload null, requestPayloadBase64: %s", line);
    cJSON_Delete(j);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "dead_letter_durable";
    char cmd[4200], sub[4096], dlq[4200], full[4200], bad[4200], closing[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0, "rm");
    make_dir(dir);

    /* Its folder missing (removed, say): open() fails with ENOENT. */
    snprintf(sub, sizeof sub, "%s/gone", dir);
    snprintf(dlq, sizeof dlq, "%s/dead.jsonl", sub);
    unwritable_then_writable("folder missing", dlq, make_dir, sub);

    /* A full disk: every write fails with ENOSPC. */
    snprintf(full, sizeof full, "%s/full.jsonl", dir);
    CHECK(symlink("/dev/full", full) == 0, "symlink: %s", strerror(errno));
    unwritable_then_writable("disk full", full, unlink_link, full);

    snprintf(closing, sizeof closing, "%s/closing.jsonl", dir);
    CHECK(symlink("/dev/full", closing) == 0, "symlink: %s", strerror(errno));
    free_while_unwritable(closing);

    snprintf(bad, sizeof bad, "%s/utf8.jsonl", dir);
    invalid_utf8(bad);

    char rdir[4200];
    snprintf(rdir, sizeof rdir, "%s/records", dir);
    make_dir(rdir);
    records(rdir);
    printf("dead_letter_durable: %d checks, %d failures\n", checks, failures);
    return failures ? 1 : 0;
}
