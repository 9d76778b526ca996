/* fuzz_frontend.c: libFuzzer target for the whole ctlc front end.
 *
 * Feeds arbitrary bytes through loading (UTF-8 checks, lexer, parser, import
 * resolution), the checker and the AST dump, and through `ctlc fmt`: a spec
 * that parses must format (the printer walks the parser's tree and tokens,
 * and must never find them at odds), and formatting the result again must
 * give it back. Any crash, leak, sanitizer report, hang or broken invariant
 * is a bug; each one found becomes a case in tests/cases or tests/fmt. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctlc.h"

static FILE *sink(void)
{
    static FILE *null;
    if (!null)
        null = fopen("/dev/null", "w");
    return null;
}

static void violated(const char *what, const char *text, size_t len)
{
    fprintf(stderr, "\n==fuzz_frontend== INVARIANT VIOLATED: %s\n%.*s\n", what, (int)len, text);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ctlc_run *run = ctlc_run_new(sink());
    if (!run)
        return 0;
    ctlc_spec *spec;
    bool parsed = false;
    if (ctlc_load_memory(run, "fuzz.ctl", (const char *)data, size, &spec) == CTLC_OK) {
        parsed = !spec->syntax_errors;
        if (ctlc_check(run) == CTLC_OK)
            ctlc_dump(sink(), spec);
    }

    char *once = NULL, *twice = NULL;
    size_t once_len = 0, twice_len = 0;
    ctlc_status st = ctlc_fmt(run, "fuzz.ctl", (const char *)data, size, &once, &once_len);
    if (st == CTLC_OK) {
        if (!parsed)
            violated("fmt formatted a spec with syntax errors", (const char *)data, size);
        if (ctlc_fmt(run, "once.ctl", once, once_len, &twice, &twice_len) != CTLC_OK)
            violated("the formatted spec does not format", once, once_len);
        if (twice_len != once_len || memcmp(once, twice, once_len) != 0)
            violated("fmt is not idempotent on", once, once_len);
    } else if (st != CTLC_NOMEM && parsed) {
        violated("fmt refused a spec that parses", (const char *)data, size);
    }
    free(once);
    free(twice);
    ctlc_run_free(run);
    return 0;
}
