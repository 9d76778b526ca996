/* strset.h: a set of strings, and an ordered one, for the walks that must
 * see each name once (the containers of a spec): linear in the names,
 * whatever their number. */
#ifndef CTLC_STRSET_H
#define CTLC_STRSET_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

typedef struct ctlc_strset {
    ctlc_arena *a;
    const char **slots;    /* open addressing; NULL is empty (arena) */
    size_t cap, n;
} ctlc_strset;

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
