/* fuzz_journal.c: libFuzzer target for the parser of serve's journal
 * (ctli_journal_parse, what replay reads a journal file with).
 *
 * Input: the bytes of a journal file. Invariants, beyond no crash, leak or
 * sanitizer report:
 *   - only whole records are read: every live event lies inside the whole
 *     prefix and was followed by a newline there; its name is 1 to
 *     CTLI_JOURNAL_MAX_NAME printable bytes without a space; its trace,
 *     when it has one, keeps the trace rule (ctli_trace_ok) and lies in
 *     the record's head;
 *   - ids come out strictly increasing and below next_id;
 *   - parsing the whole prefix alone gives the same prefix and the same
 *     events (nothing past a record's end changed what was read), and
 *     what follows it reads as a record on its own only when it is an A
 *     record (whose id did not go up). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/ctx.h"
#include "serve/journal.h"

static void fail(const char *what)
{
    fprintf(stderr, "==journal_check== %s\n", what);
    abort();
}

typedef struct seen {
    const char *base, *limit; /* the parsed copy, and the end of its whole prefix (set after) */
    const uint8_t *orig;      /* the input, to check the bytes around an event */
    size_t n;
    uint64_t last_id, sum_len;
    uint64_t ids_hash;
    long long attempts_sum; /* of up to INT_MAX each: an int would overflow */
} seen;

static void on_live(void *user, uint64_t id, const char *controller, const char *event, size_t len, int attempts,
                    uint64_t accepted_ms, const char *trace)
{
    (void)accepted_ms; /* any number the record holds */
    seen *s = user;
    if (trace && (!ctli_trace_ok(trace) || trace < controller || trace >= event))
        fail("a trace that breaks the rule, or outside its record's head");
    size_t name_len = strlen(controller);
    if (name_len == 0 || name_len > CTLI_JOURNAL_MAX_NAME)
        fail("a name of no or too many bytes");
    for (size_t i = 0; i < name_len; i++)
        if (controller[i] <= ' ' || controller[i] >= 0x7f)
            fail("a name with a byte accept refuses");
    if (event < s->base || controller < s->base)
        fail("a string outside the text");
    size_t at = (size_t)(event - s->base);
    if (s->orig[at + len] != '\n' || event[len] != '\0')
        fail("an event not followed by its newline");
    if (memcmp(event, s->orig + at, len) != 0)
        fail("an event's bytes changed");
    if (attempts < 0)
        fail("negative attempts");
    if (s->n && id <= s->last_id)
        fail("ids not increasing");
    s->last_id = id;
    s->n++;
    s->sum_len += len + at;
    s->ids_hash = s->ids_hash * 31 + id;
    s->attempts_sum += attempts;
}

static long parse(const uint8_t *data, size_t size, seen *s, size_t *whole, uint64_t *next_id)
{
    char *text = malloc(size ? size : 1);
    if (!text)
        return -2;
    if (size)
        memcpy(text, data, size);
    memset(s, 0, sizeof *s);
    s->base = text;
    s->orig = data;
    long n = ctli_journal_parse(text, size, on_live, s, whole, next_id);
    free(text);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    seen a, b, c;
    size_t whole, whole2, whole3;
    uint64_t next_id, next_id2, next_id3;
    long n = parse(data, size, &a, &whole, &next_id);
    if (n < 0)
        return 0; /* out of memory */
    if (whole > size)
        fail("whole past the end");
    if ((size_t)n != a.n)
        fail("the count differs from the events handed out");
    if (a.n && a.last_id >= next_id)
        fail("next_id not above every id");
    long n2 = parse(data, whole, &b, &whole2, &next_id2);
    if (n2 != n || whole2 != whole || b.ids_hash != a.ids_hash || b.sum_len != a.sum_len ||
        b.attempts_sum != a.attempts_sum || next_id2 != next_id)
        fail("the whole prefix alone reads differently");
    if (whole < size) {
        /* What stopped the parse is no record; alone, it may read as one
         * only when it is an A record whose id did not go up. */
        parse(data + whole, size - whole, &c, &whole3, &next_id3);
        if (whole3 != 0 && data[whole] != 'A')
            fail("bytes after the whole prefix start a record");
    }
    return 0;
}
