/* many_controllers.c: ctl_main given more controllers than it can host must
 * say so and stop, not silently drop the rest (tests/runtime_api). */
#include <stdio.h>

#include <ctl/ctl.h>

enum { N = 65 };
static char names[N][8];
static ctl_controller hosted[N];

#define P1(i) &hosted[i]
#define P5(i) P1(i), P1(i + 1), P1(i + 2), P1(i + 3), P1(i + 4)
#define P20(i) P5(i), P5(i + 5), P5(i + 10), P5(i + 15)

int main(int argc, char **argv)
{
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "c%d", i);
        hosted[i].name = names[i];
    }
    return ctl_main(argc, argv, P20(0), P20(20), P20(40), P5(60), NULL);
}
