/* fuzz_frontend.c: libFuzzer target for the whole ctlc front end.
 *
 * Feeds arbitrary bytes through loading (UTF-8 checks, lexer, parser, import
 * resolution), the checker and the AST dump. Any crash, leak, sanitizer report
 * or hang is a bug; each one found becomes a case in tests/cases. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ctlc.h"

static FILE *sink(void)
{
    static FILE *null;
    if (!null)
        null = fopen("/dev/null", "w");
    return null;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ctlc_run *run = ctlc_run_new(sink());
    if (!run)
        return 0;
    ctlc_spec *spec;
    if (ctlc_load_memory(run, "fuzz.ctl", (const char *)data, size, &spec) == CTLC_OK && ctlc_check(run) == CTLC_OK)
        ctlc_dump(sink(), spec);
    ctlc_run_free(run);
    return 0;
}
