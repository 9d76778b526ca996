/* servetest.c: the handlers of servetest.ctl, a controller that misbehaves
 * on purpose for serve's fault tests and benchmark, and its binary:
 *   ctl_serve_test serve [OPTIONS]
 * record, crash and hangEvent append their tag (one line) to the file named
 * by $SERVETEST_OUT before doing what they do; so do the fail functions of
 * retry0, retry1 and retry2 (which then fail) and aged's record, and the
 * dest_ controllers' functions; records.take appends each invocation
 * record it gets, as one JSON line of its fields, to $SERVETEST_RECORDS. */
#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "servetest.ctl.h"

static void record(const char *tag)
{
    const char *path = getenv("SERVETEST_OUT");
    if (!path || !*path)
        return;
    /* One write of a whole line in append mode: lines from many workers
     * never interleave, and a line written is there after a SIGKILL. */
    FILE *f = fopen(path, "a");
    if (!f)
        return;
    fprintf(f, "%s\n", tag);
    fclose(f);
}

static void sleep_forever(void)
{
    for (;;) {
        struct timespec ts = { 3600, 0 };
        nanosleep(&ts, NULL);
    }
}

int servetest_servetest_noop(ctl_ctx *ctx, const servetest_servetest_noop_args *args,
                             servetest_servetest_noop_result *result)
{
    (void)ctx;
    (void)args;
    result->ok = true;
    return 0;
}

/* big's answers: letters in static storage (a result may point there), so
 * that the only memory an answer takes is the bytes serve sends. */
enum { BIG_MAX = 6000000 };
static char big_pad[BIG_MAX + 1];
static pthread_once_t big_once = PTHREAD_ONCE_INIT;

static void big_fill(void)
{
    memset(big_pad, 'x', BIG_MAX);
}

int servetest_servetest_big(ctl_ctx *ctx, const servetest_servetest_big_args *args,
                            servetest_servetest_big_result *result)
{
    (void)ctx;
    pthread_once(&big_once, big_fill);
    result->pad = big_pad + (BIG_MAX - args->bytes); /* @range keeps bytes within 0..BIG_MAX */
    return 0;
}

int servetest_servetest_fail(ctl_ctx *ctx, const servetest_servetest_fail_args *args)
{
    return ctl_fail(ctx, "servetest.Failed", "%s", args->why);
}

int servetest_servetest_crash(ctl_ctx *ctx, const servetest_servetest_crash_args *args)
{
    (void)ctx;
    record(args->tag);
    abort();
}

int servetest_servetest_hang(ctl_ctx *ctx, const servetest_servetest_hang_args *args)
{
    (void)ctx;
    if (args->tag)
        record(args->tag);
    sleep_forever();
    return 0;
}

int servetest_servetest_maybeHang(ctl_ctx *ctx, const servetest_servetest_maybeHang_args *args)
{
    (void)ctx;
    if (args->hang)
        sleep_forever();
    return 0;
}

int servetest_servetest_hangEvent(ctl_ctx *ctx, const servetest_servetest_hangEvent_args *args)
{
    (void)ctx;
    record(args->tag);
    sleep_forever();
    return 0;
}

int servetest_servetest_record(ctl_ctx *ctx, const servetest_servetest_record_args *args)
{
    (void)ctx;
    record(args->tag);
    return 0;
}

/* The controllers with @retries: each attempt leaves its tag, then fails. */
static int record_and_fail(ctl_ctx *ctx, const char *tag)
{
    record(tag);
    return ctl_fail(ctx, "servetest.Failed", "%s failed on attempt %d", tag, ctl_ctx_attempt(ctx) + 1);
}

int servetest_retry0_fail(ctl_ctx *ctx, const servetest_retry0_fail_args *args)
{
    return record_and_fail(ctx, args->tag);
}

int servetest_retry1_fail(ctl_ctx *ctx, const servetest_retry1_fail_args *args)
{
    return record_and_fail(ctx, args->tag);
}

int servetest_retry2_fail(ctl_ctx *ctx, const servetest_retry2_fail_args *args)
{
    return record_and_fail(ctx, args->tag);
}

int servetest_aged_record(ctl_ctx *ctx, const servetest_aged_record_args *args)
{
    (void)ctx;
    record(args->tag);
    return 0;
}

int servetest_dest_fail_fail(ctl_ctx *ctx, const servetest_dest_fail_fail_args *args)
{
    return record_and_fail(ctx, args->tag);
}

int servetest_dest_aged_record(ctl_ctx *ctx, const servetest_dest_aged_record_args *args)
{
    (void)ctx;
    record(args->tag);
    return 0;
}

int servetest_dest_file_fail(ctl_ctx *ctx, const servetest_dest_file_fail_args *args)
{
    return record_and_fail(ctx, args->tag);
}

int servetest_dest_ok_record(ctl_ctx *ctx, const servetest_dest_ok_record_args *args)
{
    (void)ctx;
    record(args->tag);
    return 0;
}

/* The record's fields as the handler sees them (ctl_record), one line. */
int servetest_records_take(ctl_ctx *ctx, const ctl_record *r)
{
    const char *path = getenv("SERVETEST_RECORDS");
    if (!path || !*path)
        return ctl_fail(ctx, "servetest.NoRecordsFile", "SERVETEST_RECORDS is not set");
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "version", r->version ? r->version : "(null)");
    cJSON_AddStringToObject(o, "timestamp", r->timestamp ? r->timestamp : "(null)");
    cJSON_AddStringToObject(o, "requestId", r->request_id ? r->request_id : "(null)");
    cJSON_AddStringToObject(o, "functionArn", r->function_arn ? r->function_arn : "(null)");
    cJSON_AddStringToObject(o, "condition", r->condition ? r->condition : "(null)");
    cJSON_AddNumberToObject(o, "approximateInvokeCount", (double)r->approximate_invoke_count);
    cJSON_AddNumberToObject(o, "statusCode", (double)r->status_code);
    if (r->executed_version)
        cJSON_AddStringToObject(o, "executedVersion", r->executed_version);
    if (r->function_error)
        cJSON_AddStringToObject(o, "functionError", r->function_error);
    cJSON_AddItemToObject(o, "requestPayload", cJSON_Duplicate(r->request_payload, true));
    if (r->response_payload)
        cJSON_AddItemToObject(o, "responsePayload", cJSON_Duplicate(r->response_payload, true));
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    FILE *f = text ? fopen(path, "a") : NULL;
    if (f) {
        fprintf(f, "%s\n", text);
        fclose(f);
    }
    free(text);
    return f ? 0 : ctl_fail(ctx, "servetest.RecordsFile", "cannot write %s", path);
}

/* The @idempotent functions: once records its tag (a run per id); stamp
 * answers the time in microseconds, so a duplicate's answer shows it did
 * not run. */
int servetest_idem_once(ctl_ctx *ctx, const servetest_idem_once_args *args)
{
    (void)ctx;
    record(args->tag);
    return 0;
}

int servetest_idem_stamp(ctl_ctx *ctx, const servetest_idem_stamp_args *args, servetest_idem_stamp_result *result)
{
    (void)ctx;
    (void)args;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    result->at = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
    return 0;
}

/* count: the items at the top of a json document (memory_test.py's json
 * case: the tree it reads is cJSON's, malloc'd beside the call's arena). */
int servetest_jsonfield_count(ctl_ctx *ctx, const servetest_jsonfield_count_args *args,
                              servetest_jsonfield_count_result *result)
{
    (void)ctx;
    result->items = cJSON_GetArraySize(args->doc);
    return 0;
}

int main(int argc, char **argv)
{
    return ctl_main(argc, argv, &servetest_servetest_controller, &servetest_retry0_controller,
                    &servetest_retry1_controller, &servetest_retry2_controller, &servetest_aged_controller,
                    &servetest_dest_fail_controller, &servetest_dest_aged_controller, &servetest_dest_file_controller,
                    &servetest_dest_ok_controller, &servetest_records_controller, &servetest_idem_controller,
                    &servetest_jsonfield_controller, NULL);
}
