/* lsp_lines.c: the line table of a document that ctlc lsp edits
 * (ctlc_lsp_lines_splice) equals the one built from scratch
 * (ctlc_lsp_lines_build) after every edit of a long random sequence: texts
 * made of 'a', '\r' and '\n' (every way "\r\n" can be made or split),
 * edits anywhere, of any length, at the ends too. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check.h"
#include "lsp.h"

static uint32_t seed = 12345;

static uint32_t next(uint32_t below)
{
    seed = seed * 1103515245u + 12345u;
    return (seed >> 8) % below;
}

static char random_byte(void)
{
    static const char bytes[] = "aa\r\n";
    return bytes[next(4)];
}

int main(void)
{
    enum { MAX = 64, EDITS = 20000 };
    char text[MAX + 1] = { 0 }, out[2 * MAX + 1];
    size_t len = 0;
    ctlc_lsp_lines t = { 0 }, want = { 0 };
    ctlc_lsp_lines_build(&t, text, len);
    for (int e = 0; e < EDITS; e++) {
        size_t from = next((uint32_t)len + 1);
        size_t to = from + next((uint32_t)(len - from) + 1);
        size_t n = next(5);
        if (len - (to - from) + n > MAX)
            n = 0;
        memcpy(out, text, from);
        for (size_t i = 0; i < n; i++)
            out[from + i] = random_byte();
        memcpy(out + from + n, text + to, len - to);
        len = len - (to - from) + n;
        memcpy(text, out, len);
        ctlc_lsp_lines_splice(&t, text, len, from, to, n);
        ctlc_lsp_lines_build(&want, text, len);
        bool same = t.n == want.n && memcmp(t.start, want.start, t.n * sizeof *t.start) == 0;
        CHECK(same, "edit %d ([%zu, %zu) to %zu bytes): %zu lines, %zu when built", e, from, to, n, t.n, want.n);
        if (!same)
            ctlc_lsp_lines_build(&t, text, len); /* go on from the right table */
    }
    free(t.start);
    free(want.start);
    printf("lsp_lines: %d checks, %d failures\n", checks, failures);
    return failures > 0;
}
