/* main.c: the install test's outside program that is everything at once
 * (ctl_generate without CONTROLLERS or CLIENT; the handler is greet.c).
 *   hello NAME...        calls greeter.greet for each NAME through the
 *                        generated stub and an in-process ctl_client
 *   hello invoke EVENT   ctl_main, as a controller binary would
 *   hello list */
#include <stdio.h>
#include <string.h>

#include "hello.ctl.h"

int main(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "invoke") == 0 || strcmp(argv[1], "list") == 0))
        return ctl_main(argc, argv, &hello_greeter_controller, NULL);

    ctl_client *client = ctl_client_new(NULL);
    if (!client) {
        fprintf(stderr, "hello: ctl_client_new failed\n");
        return 2;
    }
    if (ctl_client_register(client, &hello_greeter_controller) != CTL_OK) {
        fprintf(stderr, "hello: %s\n", ctl_client_error(client));
        ctl_client_free(client);
        return 2;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        hello_greeter_greet_args args = { argv[i] };
        hello_greeter_greet_result result;
        ctl_reply *reply = NULL;
        ctl_status rc = hello_greeter_greet_call(client, &args, &result, &reply);
        if (rc == CTL_OK) {
            printf("%s\n", result.greeting);
        } else {
            const char *type = reply ? ctl_reply_error_type(reply) : NULL;
            printf("error %s: %s\n", type ? type : "?", ctl_client_error(client));
            status = 1;
        }
        ctl_reply_free(reply);
    }
    ctl_client_free(client);
    return status;
}
