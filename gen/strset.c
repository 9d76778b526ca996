/* strset.c: a set of strings (see strset.h). */
#include <stdint.h>
#include <string.h>

#include "strset.h"

static uint64_t hash(const char *key)
{
    uint64_t h = 14695981039346656037u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    return h;
}

void ctlc_strset_init(ctlc_strset *s, ctlc_arena *a)
{
    memset(s, 0, sizeof *s);
    s->a = a;
}

/* The slot of key: where it is, or the empty one where it would go. */
static size_t find(const ctlc_strset *s, const char *key)
{
    size_t i = (size_t)hash(key) & (s->cap - 1);
    while (s->slots[i] && strcmp(s->slots[i], key) != 0)
        i = (i + 1) & (s->cap - 1);
    return i;
}

bool ctlc_strset_has(const ctlc_strset *s, const char *key)
{
    return s->cap && s->slots[find(s, key)];
}

bool ctlc_strset_add(ctlc_strset *s, const char *key)
{
    if ((s->n + 1) * 2 > s->cap) {
        /* At most half full: grow, and put the old keys in their new places. */
        const char **old = s->slots;
        size_t old_cap = s->cap;
        s->cap = old_cap ? old_cap * 2 : 64;
        s->slots = ctlc_alloc(s->a, s->cap * sizeof *s->slots);
        for (size_t i = 0; i < old_cap; i++)
            if (old[i])
                s->slots[find(s, old[i])] = old[i];
    }
    size_t i = find(s, key);
    if (s->slots[i])
        return false;
    s->slots[i] = key;
    s->n++;
    return true;
}

void ctlc_strlist_init(ctlc_strlist *l, ctlc_arena *a)
{
    memset(l, 0, sizeof *l);
    ctlc_strset_init(&l->set, a);
}

bool ctlc_strlist_add(ctlc_strlist *l, const char *key, const void *value)
{
    if (!ctlc_strset_add(&l->set, key))
        return false;
    if (l->n == l->cap) { /* the arena cannot resize: new arrays, twice as long */
        size_t cap = l->cap ? l->cap * 2 : 16;
        const char **keys = ctlc_alloc(l->set.a, cap * sizeof *keys);
        const void **values = ctlc_alloc(l->set.a, cap * sizeof *values);
        if (l->n) {
            memcpy(keys, l->keys, l->n * sizeof *keys);
            memcpy(values, l->values, l->n * sizeof *values);
        }
        l->keys = keys;
        l->values = values;
        l->cap = cap;
    }
    l->keys[l->n] = key;
    l->values[l->n++] = value;
    return true;
}
