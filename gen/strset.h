/* strset.h: a map from strings to pointers, a set of strings, and an
 * ordered set: the one hash table of the generator, for the walks that must
 * see each name once (the containers of a spec, the C names the checker
 * collects): linear in the names, whatever their number. */
#ifndef CTLC_STRSET_H
#define CTLC_STRSET_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

/* Open addressing, at most half full: it grows as entries come. Keys are
 * byte strings (z, n), borrowed: they must live as long as the map. A walk
 * over slots[0..cap) sees every entry (z NULL is an empty slot) in an
 * order that depends only on the keys, their order of insertion and the
 * expected count given to ctlc_strmap_init. */
typedef struct ctlc_strmap_slot {
    const char *z;
    size_t n;
    void *value;
} ctlc_strmap_slot;

typedef struct ctlc_strmap {
    ctlc_arena *a;
    ctlc_strmap_slot *slots; /* arena */
    size_t cap, count;
} ctlc_strmap;

/* An empty map whose memory comes from a, with room for expect entries
 * before it grows. */
void ctlc_strmap_init(ctlc_strmap *m, ctlc_arena *a, size_t expect);

/* The value stored under the n bytes at z, or NULL (also for a map that
 * is all zeros, never initialized). */
void *ctlc_strmap_get(const ctlc_strmap *m, const char *z, size_t n);

/* Stores value (not NULL) under the n bytes at z unless the key is there
 * already; returns the value that was there, or NULL when it was stored. */
void *ctlc_strmap_put(ctlc_strmap *m, const char *z, size_t n, void *value);

/* A set of NUL-terminated strings: a map whose values say "present". */
typedef ctlc_strmap ctlc_strset;

/* An empty set whose memory comes from a. */
void ctlc_strset_init(ctlc_strset *s, ctlc_arena *a);

/* Adds key (borrowed: it must live as long as the set); true when it was
 * not in the set yet. */
bool ctlc_strset_add(ctlc_strset *s, const char *key);

/* True when key is in the set. */
bool ctlc_strset_has(const ctlc_strset *s, const char *key);

/* Strings with a value each, in the order first added, each once (the list
 * and map types of a spec, inner ones first). Memory from the arena. */
typedef struct ctlc_strlist {
    ctlc_strset set;
    const char **keys;
    const void **values;
    size_t n, cap;
} ctlc_strlist;

/* An empty list whose memory comes from a. */
void ctlc_strlist_init(ctlc_strlist *l, ctlc_arena *a);

/* Appends key (borrowed) with value unless key is in the list; true when
 * it was added. */
bool ctlc_strlist_add(ctlc_strlist *l, const char *key, const void *value);

#endif
