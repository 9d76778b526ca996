/* echo_main.c: the test controller binary (`ctl_echo invoke EVENT`). */
#include "alltypes.ctl.h"

int main(int argc, char **argv)
{
    return ctl_main(argc, argv, &t_echo_controller, NULL);
}
