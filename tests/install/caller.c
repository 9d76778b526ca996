/* caller.c: a caller-only program (ctl_generate(... CLIENT caller)): it
 * defines no handler and hosts nothing, and calls greeter.greet on the
 * Lambda Invoke API at ENDPOINT (a `greeter_host serve` in the test).
 *   greeter_caller ENDPOINT NAME... */
#include <stdio.h>

#include "hello.ctl.h"

/* Failed sends would end here; this program only calls. */
static void on_failure(void *user, const char *controller, const char *event, size_t len, const char *error_type,
                       const char *error_message, int attempts)
{
    (void)user;
    (void)event;
    (void)len;
    fprintf(stderr, "%s: %s: %s (%d attempts)\n", controller, error_type, error_message, attempts);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: greeter_caller ENDPOINT NAME...\n");
        return 2;
    }
    ctl_client_config cfg = { .dead_letter_path = "", .on_failure = on_failure };
    ctl_client *client = ctl_client_new(&cfg);
    ctl_lambda_config lc = { .region = "us-east-1", .endpoint_url = argv[1], .access_key_id = "test",
                             .secret_access_key = "test", .max_attempts = 1 };
    if (!client || ctl_client_use_lambda(client, &lc) != CTL_OK) {
        fprintf(stderr, "greeter_caller: %s\n", client ? ctl_client_error(client) : "out of memory");
        ctl_client_free(client);
        return 2;
    }
    int status = 0;
    for (int i = 2; i < argc; i++) {
        hello_greeter_greet_args args = { argv[i] };
        hello_greeter_greet_result result;
        ctl_reply *reply = NULL;
        if (hello_greeter_greet_call(client, &args, &result, &reply) == CTL_OK) {
            printf("%s\n", result.greeting);
        } else {
            const char *type = ctl_reply_error_type(reply);
            printf("error %s: %s\n", type ? type : "?", ctl_client_error(client));
            status = 1;
        }
        ctl_reply_free(reply);
    }
    ctl_client_free(client);
    return status;
}
