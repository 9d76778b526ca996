/* leaf_echo.c: leaf.ctl's leaf_echo, a controller that calls nobody. */
#include "leaf.ctl.h"

int leaf_leaf_echo_echo(ctl_ctx *ctx, const leaf_leaf_echo_echo_args *args, leaf_leaf_echo_echo_result *result)
{
    (void)ctx;
    result->text = args->text;
    return 0;
}

int main(int argc, char **argv)
{
    return ctl_main(argc, argv, &leaf_leaf_echo_controller, NULL);
}
