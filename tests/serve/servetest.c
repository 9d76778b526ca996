/* servetest.c: the handlers of servetest.ctl, a controller that misbehaves
 * on purpose for serve's fault tests and benchmark, and its binary:
 *   ctl_serve_test serve [OPTIONS]
 * record, crash and hangEvent append their tag (one line) to the file named
 * by $SERVETEST_OUT before doing what they do; so do the fail functions of
 * retry0, retry1 and retry2 (which then fail) and aged's record. */
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

int main(int argc, char **argv)
{
    return ctl_main(argc, argv, &servetest_servetest_controller, &servetest_retry0_controller,
                    &servetest_retry1_controller, &servetest_retry2_controller, &servetest_aged_controller, NULL);
}
