/* strset.h: a set of strings, for the walks that must see each name once
 * (the containers of a spec): linear in the names, whatever their number. */
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

#endif
