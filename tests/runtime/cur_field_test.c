/* cur_field_test.c: ctl_cur_field (ctl/gen.h), which tries the guessed
 * key in place as bytes, answers what ctl_cur_field_scan (the key read and
 * looked up) answers, and leaves the cursor where it does, for every key of
 * a table holding names of each quoted length the in-place match handles
 * (4 to 24 bytes), one too long for it, one that is not its own JSON text
 * and a one-letter one; on members written plainly, with whitespace, with
 * escapes, unknown or truncated at every byte. Each text is copied to the
 * end of its own heap block, so that ASan sees any read past it. Links
 * ctl_internal (the arena escaped keys are decoded into). */
#include <stdlib.h>
#include <string.h>

#include "ctl/gen.h"

#include "../check.h"

#include "codec/arena.h"

static ctl_arena arena;

/* "\"NAME\":" for the table (plain names of up to 21 bytes), "" else. */
#define KEY(name, quoted) { quoted, name, sizeof name - 1 }
static const ctl_key keys[] = {
    KEY("a", "\"a\":"),
    KEY("abc", "\"abc\":"),         /* 6 bytes quoted */
    KEY("abcd", "\"abcd\":"),       /* 7 */
    KEY("abcde", "\"abcde\":"),     /* 8 */
    KEY("abcdefghijklm", "\"abcdefghijklm\":"),  /* 16 */
    KEY("abcdefghijklmn", "\"abcdefghijklmn\":"), /* 17 */
    KEY("abcdefghijklmnopqrstu", "\"abcdefghijklmnopqrstu\":"), /* 24 */
    KEY("abcdefghijklmnopqrstuv", ""), /* 25: too long to hold */
    KEY("q\"uote", ""),                /* not its own JSON text */
    KEY("x\\y", ""),
};
enum { NKEYS = sizeof keys / sizeof keys[0] };

/* Both ways from the start of text (n bytes), at depth: same answer and
 * same place. */
static void agree(const char *text, size_t n, int depth, int guess)
{
    unsigned char *a = malloc(n ? n : 1), *b = malloc(n ? n : 1);
    if (!a || !b) {
        CHECK(false, "out of memory");
        free(a);
        free(b);
        return;
    }
    memcpy(a, text, n);
    memcpy(b, text, n);
    ctl_json_error ea = { 0 }, eb = { 0 };
    ctl_cursor ca = { .p = a, .end = a + n, .start = a, .arena = &arena, .err = &ea, .depth = depth };
    ctl_cursor cb = { .p = b, .end = b + n, .start = b, .arena = &arena, .err = &eb, .depth = depth };
    int fast = ctl_cur_field(&ca, keys, NKEYS, guess), slow = ctl_cur_field_scan(&cb, keys, NKEYS);
    CHECK(fast == slow && ca.p - a == cb.p - b, "'%.*s' (guess %d): %d at %td, scan %d at %td", (int)n, text, guess,
          fast, ca.p - a, slow, cb.p - b);
    free(a);
    free(b);
}

int main(void)
{
    ctli_arena_init(&arena);
    char text[128];
    for (int k = 0; k < NKEYS; k++) {
        const ctl_key *key = &keys[k];
        /* the key written plainly, then with whitespace and an escape */
        const char *forms[] = { "\"%s\":1", "\"%s\": 1", "\"%s\" :1", "\"%s\":\t1", "\"%s\":", "\"%sz\":1" };
        for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
            if (strchr(key->name, '"') || strchr(key->name, '\\'))
                break; /* written escaped below */
            int n = snprintf(text, sizeof text, forms[f], key->name);
            for (int guess = -1; guess <= NKEYS; guess++) {
                agree(text, (size_t)n, 2, guess);
                for (int cut = 0; cut < n; cut++)
                    agree(text, (size_t)cut, 2, guess);
            }
        }
    }
    /* Escaped keys: the scan decodes them into the arena and finds them;
     * the in-place match must not take them as their bytes. */
    const char *escaped[] = { "\"q\\\"uote\":1", "\"x\\\\y\":1", "\"\\u0061\":1", "\"a\\\"\":1" };
    for (size_t e = 0; e < sizeof escaped / sizeof escaped[0]; e++)
        for (int guess = -1; guess <= NKEYS; guess++)
            agree(escaped[e], strlen(escaped[e]), 2, guess);
    /* and what they find */
    struct {
        const char *text;
        int want;
    } finds[] = { { "\"q\\\"uote\":1", 8 }, { "\"x\\\\y\":1", 9 }, { "\"\\u0061\":1", 0 },
                  { "\"abcdefghijklmnopqrstuv\":1", 7 }, { "\"abcdefghijklmnopqrstu\":1", 6 },
                  { "\"abcdz\":1", NKEYS }, { "\"ab\":1", NKEYS } };
    for (size_t i = 0; i < sizeof finds / sizeof finds[0]; i++) {
        size_t n = strlen(finds[i].text);
        ctl_json_error err = { 0 };
        const unsigned char *text = (const unsigned char *)finds[i].text;
        ctl_cursor c = { .p = text, .end = text + n, .start = text, .arena = &arena, .err = &err, .depth = 2 };
        int got = ctl_cur_field(&c, keys, NKEYS, 6);
        CHECK(got == finds[i].want && *c.p == '1', "%s: %d, not %d", finds[i].text, got, finds[i].want);
    }
    /* A second "function" at the event's top is refused; deeper it is a key
     * like any. */
    for (int guess = 0; guess < NKEYS; guess++) {
        agree("\"function\":1", 12, 1, guess);
        agree("\"function\":1", 12, 2, guess);
    }
    ctl_cursor z = { 0 };
    CHECK(ctl_cur_field(&z, keys, NKEYS, 0) == -1 && ctl_cur_field(NULL, keys, NKEYS, 0) == -1 &&
              ctl_cur_field(&z, NULL, 0, 0) == -1,
          "nothing to read");
    ctli_arena_free(&arena);
    printf("cur_field: %d checks, %d failures\n", checks, failures);
    return failures ? 1 : 0;
}
