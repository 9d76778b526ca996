/* scan_plain_test.c: ctli_scan_plain (codec/json_scan.h), the search for
 * the byte that ends a run of plain string text, and ctli_copy_plain,
 * which copies the run as it finds it, agree with the rule
 * read byte by byte ('"', '\\', below 0x20, 0x80 and up) for every start
 * and end in buffers holding each kind of stopper at each place: the SSE2
 * loop's aligned loads see bytes before start and past end, which its
 * masks must leave out. Each buffer is copied to the end of a heap block,
 * so that ASan sees a read past it by the portable loops (the SSE2 one's
 * aligned overreads are exempt; json_scan.h says why). Built twice: as is
 * (SSE2 on x86-64) and with CTL_SCAN_PORTABLE (the word-at-a-time and byte
 * loops alone). Links ctl_internal. */
#include <stdlib.h>
#include <string.h>

#include "../check.h"

#include "codec/json_scan.h"

static const unsigned char *by_bytes(const unsigned char *s, const unsigned char *end)
{
    while (s < end && *s != '"' && *s != '\\' && *s >= 0x20 && *s < 0x80)
        s++;
    return s;
}

/* Every start and end of the n bytes of text. */
static void agree(const unsigned char *text, size_t n, const char *what)
{
    unsigned char *copy = malloc(n ? n : 1);
    if (!copy) {
        CHECK(false, "out of memory");
        return;
    }
    memcpy(copy, text, n);
    for (size_t from = 0; from <= n; from++)
        for (size_t to = from; to <= n; to++) {
            /* the block ends at to: nothing past it is readable */
            const unsigned char *s = copy + from, *end = copy + to;
            const unsigned char *want = by_bytes(s, end), *got = ctli_scan_plain(s, end);
            if (got != want) {
                CHECK(got == want, "%s: from %zu to %zu: stopped at %td, not %td", what, from, to, got - copy,
                      want - copy);
                free(copy);
                return;
            }
            /* ctli_copy_plain: the same run, copied, into room for it and 16 bytes more */
            unsigned char out[64 + 16];
            size_t run = ctli_copy_plain(s, end, out);
            if (run != (size_t)(want - s) || memcmp(out, s, run) != 0) {
                CHECK(run == (size_t)(want - s), "%s: from %zu to %zu: copied %zu, not %td", what, from, to, run,
                      want - s);
                CHECK(memcmp(out, s, run) == 0, "%s: from %zu to %zu: the copy differs", what, from, to);
                free(copy);
                return;
            }
        }
    free(copy);
    checks++;
}

/* Runs that start in the last 40 bytes of a page and go on into the next:
 * the in-one-page steps (ctli_plain_short's) stop at the boundary and the
 * general path goes on, with the same answer and copy. */
static void across_pages(void)
{
    unsigned char *two = aligned_alloc(4096, 8192);
    if (!two) {
        CHECK(false, "out of memory");
        return;
    }
    memset(two, 'p', 8192);
    for (size_t stop_at = 4060; stop_at < 4140; stop_at++) {
        two[stop_at] = '"';
        for (size_t from = 4056; from <= stop_at; from++) {
            const unsigned char *s = two + from, *end = two + 8192;
            unsigned char out[160 + 16];
            size_t want = stop_at - from, run = ctli_copy_plain(s, end, out);
            const unsigned char *got = ctli_scan_plain(s, end);
            if (run != want || (size_t)(got - s) != want || memcmp(out, s, want) != 0) {
                CHECK(run == want && (size_t)(got - s) == want, "from %zu, the quote at %zu: copied %zu, found %td",
                      from, stop_at, run, got - s);
                CHECK(memcmp(out, s, want) == 0, "from %zu, the quote at %zu: the copy differs", from, stop_at);
                free(two);
                return;
            }
        }
        two[stop_at] = 'p';
    }
    free(two);
    checks++;
}

int main(void)
{
    across_pages();
    static const unsigned char stoppers[] = { '"', '\\', 0x00, 0x1f, 0x0a, 0x80, 0xc3, 0xff };
    unsigned char text[40];
    for (size_t k = 0; k < sizeof stoppers; k++)
        for (size_t at = 0; at < sizeof text; at++) {
            memset(text, 'a', sizeof text);
            /* bytes next to each stopper's value that are plain */
            text[(at + 7) % sizeof text] = 0x20;
            text[(at + 11) % sizeof text] = 0x7f;
            text[(at + 13) % sizeof text] = '!';
            text[(at + 17) % sizeof text] = ']';
            text[at] = stoppers[k];
            agree(text, sizeof text, "one stopper");
        }
    /* Two stoppers: the first one wins, in either lane of a step. */
    for (size_t a = 0; a < 34; a++) {
        memset(text, 'x', sizeof text);
        text[a] = '\\';
        text[a + 5] = '"';
        agree(text, sizeof text, "two stoppers");
    }
    memset(text, 'z', sizeof text);
    agree(text, sizeof text, "no stopper");
    agree(text, 0, "empty");
#if defined(__SSE2__) && !defined(CTL_SCAN_PORTABLE)
    const char *path = "SSE2";
#else
    const char *path = "portable";
#endif
    printf("scan_plain (%s): %d checks, %d failures\n", path, checks, failures);
    return failures ? 1 : 0;
}
