/* echo.c: handlers of the test controller `echo` (alltypes.ctl). */
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "alltypes.ctl.h"

/* Runs of fire, counted for the client test (client_test.c). */
atomic_int echo_fire_runs;

int t_echo_all(ctl_ctx *ctx, const t_echo_all_args *args, t_All *result)
{
    (void)ctx;
    *result = args->v; /* a result may point into args */
    return 0;
}

int t_echo_tree(ctl_ctx *ctx, const t_echo_tree_args *args, t_Tree *result)
{
    (void)ctx;
    *result = args->t;
    return 0;
}

int t_echo_flat(ctl_ctx *ctx, const t_echo_flat_args *args, t_echo_flat_result *result)
{
    (void)ctx;
    result->id = args->id;
    result->n = args->n;
    result->has_x = args->has_x;
    result->x = args->x;
    result->c = args->c;
    return 0;
}

int t_echo_fire(ctl_ctx *ctx, const t_echo_fire_args *args)
{
    atomic_fetch_add(&echo_fire_runs, 1);
    /* id "slow" takes n ms first: events behind it wait that long. */
    if (strcmp(args->id, "slow") == 0 && args->n > 0)
        nanosleep(&(struct timespec){ args->n / 1000, (long)(args->n % 1000) * 1000000L }, NULL);
    /* n < 0 asks for a failure, to exercise retries and dead letters. */
    if (args->n < 0)
        return ctl_fail(ctx, "test.FireFailed", "fire %s failed on attempt %d", args->id, ctl_ctx_attempt(ctx));
    return 0;
}

int t_echo_fail(ctl_ctx *ctx, const t_echo_fail_args *args)
{
    if (args->error_type)
        return ctl_fail(ctx, args->error_type, "%s", args->message);
    return -1; /* no error set: the runtime supplies ctl.HandlerError */
}

int t_echo_ping(ctl_ctx *ctx, const t_echo_ping_args *args)
{
    (void)ctx;
    (void)args;
    return 0;
}
