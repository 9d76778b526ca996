/* leaf_caller.c: leaf.ctl's leaf_caller, a controller whose stubs reach
 * leaf_echo, which this binary does not host. */
#include "leaf.ctl.h"

int leaf_leaf_caller_echo(ctl_ctx *ctx, const leaf_leaf_caller_echo_args *args,
                          leaf_leaf_caller_echo_result *result)
{
    if (args->text[0] == '>') { /* relayed: leaf_echo answers */
        leaf_leaf_echo_echo_args a = { args->text + 1 };
        leaf_leaf_echo_echo_result r;
        ctl_reply *reply = NULL;
        ctl_status st = leaf_leaf_echo_echo_call(ctl_ctx_client(ctx), &a, &r, &reply);
        if (st != CTL_OK) {
            int rc = ctl_fail(ctx, "leaf.Relay", "%s", ctl_client_error(ctl_ctx_client(ctx)));
            ctl_reply_free(reply);
            return rc;
        }
        result->text = ctl_strdup(ctx, r.text);
        ctl_reply_free(reply);
        return 0;
    }
    result->text = args->text;
    return 0;
}

int main(int argc, char **argv)
{
    return ctl_main(argc, argv, &leaf_leaf_caller_controller, NULL);
}
