/* idem_keys.c: C's idempotency keys for py/idem_keys. `idem_keys CONTROLLER
 * FUNCTION [POINTER]...` reads events from stdin, one a line, and prints for
 * each what libctl's key function (codec/idem.c, ctli_idem_key_of) makes of
 * it for an @idempotent function with those key fields (JSON Pointers of
 * wire names; none: the whole payload): `OK C.F#KEY`, `ERR MESSAGE`, or
 * `JSON` when the line is not JSON. */
#include <stdio.h>
#include <string.h>

#include "ctl/gen.h"
#include "codec/arena.h"
#include "codec/idem.h"

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: idem_keys CONTROLLER FUNCTION [POINTER]...\n");
        return 2;
    }
    ctl_idempotency idem = { (const char *const *)(argc > 3 ? argv + 3 : NULL), (size_t)(argc - 3), 3600 };
    ctl_function f = { .name = argv[2], .name_len = (uint32_t)strlen(argv[2]), .idempotent = &idem };
    ctl_controller c = { .name = argv[1], .functions = &f, .count = 1 };
    static char line[1 << 20];
    while (fgets(line, sizeof line, stdin)) {
        size_t len = strcspn(line, "\n");
        ctl_arena arena;
        ctli_arena_init(&arena);
        ctl_json_error jerr;
        const ctl_json *root = ctl_json_parse(&arena, line, len, &jerr);
        ctli_idem_key k;
        char id[CTLI_IDEM_ID_MAX], err[256];
        if (!root)
            puts("JSON");
        else if (ctli_idem_key_of(&c, &f, root, &k, id, err, sizeof err))
            printf("ERR %s\n", err);
        else
            printf("OK %s\n", id);
        ctli_arena_free(&arena);
    }
    return 0;
}
