/* greet.c: the greeter's handler, for the programs that host it (hello,
 * greeter_host). */
#include <string.h>

#include "hello.ctl.h"

int hello_greeter_greet(ctl_ctx *ctx, const hello_greeter_greet_args *args, hello_greeter_greet_result *result)
{
    if (strcmp(args->name, "nobody") == 0)
        return ctl_fail(ctx, "hello.NoOne", "nobody to greet");
    result->greeting = ctl_sprintf(ctx, "Hello, %s!", args->name);
    return result->greeting ? 0 : -1;
}
