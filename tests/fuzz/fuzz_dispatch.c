/* fuzz_dispatch.c: libFuzzer target for ctl_dispatch on arbitrary bytes.
 *
 * Every input is an event for the test controller `echo` (alltypes.ctl,
 * handlers in tests/gen/echo.c): the JSON reader, the event checks, the
 * dispatch table, every generated reader and writer and the error objects.
 * The invariants (dispatch_check.h) hold for any input; a crash, a leak, a
 * sanitizer report or a violated invariant is a bug. */
#include <stddef.h>
#include <stdint.h>

#include "dispatch_check.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    dispatch_check_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dispatch_check(data, size);
    return 0;
}
