/* strings.c: the generator's string helpers that the checker leans on for
 * speed: ctlc_printf, which puts %s, %.*s and %% together itself and must
 * give what snprintf gives for every format, and the hash map of strset.c
 * (what put and get return, growth past half full, a map never
 * initialized). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../check.h"
#include "arena.h"
#include "strset.h"

/* ctlc_printf(fmt, ...) next to snprintf(fmt, ...), the same arguments. */
#define SAME(...)                                                                                                      \
    do {                                                                                                               \
        char want[1024];                                                                                               \
        snprintf(want, sizeof want, __VA_ARGS__);                                                                      \
        const char *got = ctlc_printf(a, __VA_ARGS__);                                                                 \
        CHECK(strcmp(got, want) == 0, "ctlc_printf gave '%s', snprintf '%s'", got, want);                             \
    } while (0)

static void check_printf(ctlc_arena *a)
{
    char long_name[600];
    memset(long_name, 'x', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    const char cut[] = { 'a', 'b', 'c', '\0', 'd' };
    SAME("plain text");
    SAME("%s", "");
    SAME("%s_%s", "p", "S");
    SAME("%.*s_", 4, "leedz and more");
    SAME("%.*s|", 0, "gone");
    SAME("%.*s|", 9, cut);            /* stops at the NUL before the precision */
    SAME("%.*s|", -1, "whole");       /* a negative precision is none */
    SAME("100%% of '%s'", "it");
    SAME("%%s stays %%");
    SAME("%s%s", long_name, "tail");  /* past the buffer on the stack */
    SAME("%.*s", 300, long_name);
    SAME("%d and %s", 42, "a number"); /* other conversions: printf's way */
    SAME("%s: %zu", "n", (size_t)7);
    SAME("%5s|%-3s|", "ab", "c");
}

static void check_map(ctlc_arena *a)
{
    ctlc_strmap zero = { 0 };
    CHECK(ctlc_strmap_get(&zero, "k", 1) == NULL, "a zeroed map is empty");
    ctlc_strset zero_set = { 0 };
    CHECK(!ctlc_strset_has(&zero_set, "k"), "a zeroed set is empty");

    ctlc_strmap m;
    ctlc_strmap_init(&m, a, 0);
    static int values[1000];
    char *keys[1000];
    for (int i = 0; i < 1000; i++) {
        keys[i] = ctlc_printf(a, "name_%d", i);
        /* The keys are slices: "name_1" and "name_1x" are two. */
        CHECK(ctlc_strmap_put(&m, keys[i], strlen(keys[i]), &values[i]) == NULL, "key %d is new", i);
    }
    CHECK(m.count == 1000, "1000 keys, not %zu", m.count);
    CHECK(m.cap >= 2000, "at most half full: %zu slots for 1000", m.cap);
    for (int i = 0; i < 1000; i++) {
        CHECK(ctlc_strmap_get(&m, keys[i], strlen(keys[i])) == &values[i], "key %d keeps its value", i);
        CHECK(ctlc_strmap_put(&m, keys[i], strlen(keys[i]), &values[0]) == &values[i],
              "putting key %d again returns what is there and changes nothing", i);
    }
    CHECK(ctlc_strmap_get(&m, "name_1", 5) == NULL, "a prefix of a key is not the key");
    CHECK(ctlc_strmap_get(&m, "name_1000", 9) == NULL, "a key never put is absent");
    size_t seen = 0;
    for (size_t i = 0; i < m.cap; i++)
        seen += m.slots[i].z != NULL;
    CHECK(seen == 1000, "a walk over the slots sees every key once: %zu", seen);

    ctlc_strset s;
    ctlc_strset_init(&s, a);
    CHECK(ctlc_strset_add(&s, "a") && !ctlc_strset_add(&s, "a"), "a set takes a key once");
    CHECK(ctlc_strset_has(&s, "a") && !ctlc_strset_has(&s, "b"), "a set knows its keys");
}

int main(void)
{
    ctlc_arena *a = ctlc_arena_new();
    if (!a)
        return 2;
    check_printf(a);
    check_map(a);
    ctlc_arena_free(a);
    printf("strings: %d checks, %d failures\n", checks, failures);
    return failures > 0;
}
