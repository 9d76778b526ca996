/* idem_bench.c: what @idempotent adds to an invocation. One process calls
 * bench.plain and bench.once of idem_bench.ctl synchronously on the
 * in-process transport (ctl_client_call through the generated _call stubs),
 * in interleaved repetitions:
 *   plain      the handler-less dispatch cost: write the event, read it,
 *              run a handler that answers its id, write and read the result
 *   once/new   the same with a new key each time: claim, handler, complete
 *   once/dup   the same key again: the claim finds it completed and the
 *              stored result is answered (the handler does not run)
 * Usage: idem_bench STORE N REPS, STORE being a SQLite file (sqlite:PATH)
 * or a DynamoDB table (dynamodb:TABLE, endpoint and credentials from the
 * environment). Prints the median microseconds per call of each row and
 * what the store adds over plain; exits 1 when a handler ran a number of
 * times other than expected (the figures would then measure something
 * else). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "idem_bench.ctl.h"

static long plain_runs, once_runs;

int ib_bench_plain(ctl_ctx *ctx, const ib_bench_plain_args *args, ib_bench_plain_result *result)
{
    (void)ctx;
    plain_runs++;
    result->id = args->id;
    return 0;
}

int ib_bench_once(ctl_ctx *ctx, const ib_bench_once_args *args, ib_bench_once_result *result)
{
    (void)ctx;
    once_runs++;
    result->id = args->id;
    return 0;
}

/* Sync calls end in their reply; a failure sink is still required. */
static void on_failure(void *user, const char *controller, const char *event, size_t len, const char *error_type,
                       const char *error_message, int attempts)
{
    (void)user, (void)event, (void)len, (void)attempts;
    fprintf(stderr, "idem_bench: %s: %s: %s\n", controller, error_type, error_message);
}

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

enum { PLAIN, NEW, DUP, NROWS };
static const char *const row_name[NROWS] = { "plain", "once/new", "once/dup" };

/* One timed batch of n calls of a row; the mean microseconds per call, or
 * -1 after a failed call. */
static double batch(ctl_client *client, int row, int rep, long n)
{
    char id[64];
    const char *seller = "scott.gross";
    double t0 = now_us();
    for (long i = 0; i < n; i++) {
        ctl_status st;
        if (row == PLAIN) {
            ib_bench_plain_args a = { .id = "123456789", .seller = seller };
            ib_bench_plain_result r;
            st = ib_bench_plain_call(client, &a, &r, NULL);
        } else {
            if (row == NEW)
                snprintf(id, sizeof id, "%ld-%d-%ld", (long)time(NULL), rep, i);
            else
                snprintf(id, sizeof id, "the-same-key");
            ib_bench_once_args a = { .id = id, .seller = seller };
            ib_bench_once_result r;
            st = ib_bench_once_call(client, &a, &r, NULL);
        }
        if (st != CTL_OK) {
            fprintf(stderr, "%s call %ld: %s\n", row_name[row], i, ctl_client_error(client));
            return -1;
        }
    }
    return (now_us() - t0) / (double)n;
}

int main(int argc, char **argv)
{
    if (argc != 4 || (strncmp(argv[1], "sqlite:", 7) != 0 && strncmp(argv[1], "dynamodb:", 9) != 0)) {
        fprintf(stderr, "usage: idem_bench sqlite:PATH|dynamodb:TABLE N REPS\n");
        return 2;
    }
    long n = strtol(argv[2], NULL, 10);
    int reps = atoi(argv[3]);
    if (n < 1 || reps < 1 || reps > 1000) {
        fprintf(stderr, "idem_bench: N and REPS must be positive (REPS at most 1000)\n");
        return 2;
    }
    bool sqlite = argv[1][0] == 's';
    ctl_client_config cfg = { .dead_letter_path = "", .on_failure = on_failure,
                              .idempotency_path = sqlite ? argv[1] + 7 : NULL };
    ctl_client *client = ctl_client_new(&cfg);
    if (!client || (!sqlite && ctl_client_use_idempotency_table(client, argv[1] + 9) != CTL_OK) ||
        ctl_client_register(client, &ib_bench_controller) != CTL_OK) {
        fprintf(stderr, "idem_bench: cannot make the client: %s\n", client ? ctl_client_error(client) : "invalid config or out of memory");
        return 2;
    }
    /* Warm up: the store's first statements, the connection, the caches. */
    if (batch(client, PLAIN, 0, n / 10 + 1) < 0 || batch(client, NEW, 0, n / 10 + 1) < 0 ||
        batch(client, DUP, 0, n / 10 + 1) < 0)
        return 1;
    long plain_before = plain_runs, once_before = once_runs;
    double *us[NROWS];
    for (int r = 0; r < NROWS; r++)
        us[r] = calloc((size_t)reps, sizeof(double));
    for (int rep = 1; rep <= reps; rep++)
        for (int r = 0; r < NROWS; r++)
            if ((us[r][rep - 1] = batch(client, r, rep, n)) < 0)
                return 1;
    ctl_client_free(client);
    if (plain_runs - plain_before != n * reps || once_runs - once_before != n * reps) {
        fprintf(stderr, "idem_bench: plain ran %ld times, once %ld; expected %ld each (once/dup must not run)\n",
                plain_runs - plain_before, once_runs - once_before, n * reps);
        return 1;
    }
    double med[NROWS];
    for (int r = 0; r < NROWS; r++) {
        qsort(us[r], (size_t)reps, sizeof(double), cmp);
        med[r] = us[r][reps / 2];
        free(us[r]);
    }
    printf("%-9s %10s %12s %8s\n", "row", "us/call", "adds (us)", "x plain");
    for (int r = 0; r < NROWS; r++)
        printf("%-9s %10.2f %12.2f %8.2f\n", row_name[r], med[r], med[r] - med[PLAIN], med[r] / med[PLAIN]);
    return 0;
}
