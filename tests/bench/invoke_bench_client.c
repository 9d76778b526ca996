/* invoke_bench_client.c: N Event invocations of leedz's
 * async_email_helper.notifyUsers (the seed's payload) through the Lambda
 * transport, then ctl_client_flush() until every one is acknowledged.
 * Usage: invoke_bench_client N [MAX_IN_FLIGHT] (endpoint, region and
 * credentials from the environment, as a deployed caller has them;
 * MAX_IN_FLIGHT defaults to the transport's 64). Exits 1 unless all N ended
 * acknowledged. */
#include <stdio.h>
#include <stdlib.h>

#include "leedz.ctl.h"

static long failed;

static void on_failure(void *user, const char *controller, const char *event, size_t len, const char *error_type,
                       const char *error_message, int attempts)
{
    (void)user;
    (void)event;
    (void)len;
    fprintf(stderr, "%s: %s: %s (%d attempts)\n", controller, error_type, error_message, attempts);
    failed++; /* the transport thread alone calls this */
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000;
    ctl_client_config cfg = { .dead_letter_path = "", .on_failure = on_failure };
    ctl_client *client = ctl_client_new(&cfg);
    ctl_lambda_config lc = { .max_in_flight = argc > 2 ? atoi(argv[2]) : 0 };
    if (!client || ctl_client_use_lambda(client, &lc) != CTL_OK) {
        fprintf(stderr, "cannot make the client: %s\n", client ? ctl_client_error(client) : "out of memory");
        return 2;
    }
    leedz_async_email_helper_notifyUsers_args args = {
        .id = "123456789", .trade = leedz_Trade_caricatures, .seller = "scott.gross"
    };
    for (long i = 0; i < n; i++) {
        if (leedz_async_email_helper_notifyUsers_send(client, &args) != CTL_OK) {
            fprintf(stderr, "send %ld: %s\n", i, ctl_client_error(client));
            failed++;
        }
    }
    ctl_client_flush(client);
    ctl_client_stats stats;
    ctl_client_stats_get(client, &stats);
    ctl_client_free(client);
    if (failed || stats.succeeded != (uint64_t)n) {
        fprintf(stderr, "only %llu of %ld acknowledged\n", (unsigned long long)stats.succeeded, n);
        return 1;
    }
    return 0;
}
