/* host.c: a host-only program (ctl_generate(... CONTROLLERS greeter)): the
 * greeter's controller binary, `greeter_host invoke|serve|list`. */
#include "hello.ctl.h"

int main(int argc, char **argv)
{
    return ctl_main(argc, argv, &hello_greeter_controller, NULL);
}
