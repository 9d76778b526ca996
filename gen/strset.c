/* strset.c: the string map, set and ordered set of strset.h. */
#include <stdint.h>
#include <string.h>

#include "strset.h"

/* FNV-1a, from an offset basis that is not FNV's published one: the
 * checker's table had it before it moved here, and the order of a walk
 * over the global names (which suggestion wins a tie) follows from it. */
static uint64_t hash(const char *z, size_t n)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)z[i]) * 1099511628211u;
    return h;
}

void ctlc_strmap_init(ctlc_strmap *m, ctlc_arena *a, size_t expect)
{
    size_t cap = 8;
    while (cap < expect * 2)
        cap *= 2;
    m->a = a;
    m->slots = ctlc_alloc(a, cap * sizeof *m->slots);
    m->cap = cap;
    m->count = 0;
}

/* The slot of a key: where it is, or the empty one where it would go. */
static ctlc_strmap_slot *find(const ctlc_strmap *m, const char *z, size_t n)
{
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)hash(z, n) & mask;; i = (i + 1) & mask) {
        ctlc_strmap_slot *s = &m->slots[i];
        if (!s->z || (s->n == n && memcmp(s->z, z, n) == 0))
            return s;
    }
}

void *ctlc_strmap_get(const ctlc_strmap *m, const char *z, size_t n)
{
    return m->cap ? find(m, z, n)->value : NULL; /* a zeroed map is empty */
}

void *ctlc_strmap_put(ctlc_strmap *m, const char *z, size_t n, void *value)
{
    ctlc_strmap_slot *s = find(m, z, n);
    if (s->z)
        return s->value;
    if ((m->count + 1) * 2 > m->cap) {
        /* Past half full: twice the slots, the old keys in their new places. */
        ctlc_strmap_slot *old = m->slots;
        size_t old_cap = m->cap;
        m->cap *= 2;
        m->slots = ctlc_alloc(m->a, m->cap * sizeof *m->slots);
        for (size_t i = 0; i < old_cap; i++)
            if (old[i].z)
                *find(m, old[i].z, old[i].n) = old[i];
        s = find(m, z, n);
    }
    *s = (ctlc_strmap_slot){ z, n, value };
    m->count++;
    return NULL;
}

void ctlc_strset_init(ctlc_strset *s, ctlc_arena *a)
{
    ctlc_strmap_init(s, a, 0);
}

bool ctlc_strset_has(const ctlc_strset *s, const char *key)
{
    return ctlc_strmap_get(s, key, strlen(key)) != NULL;
}

bool ctlc_strset_add(ctlc_strset *s, const char *key)
{
    static char present; /* the value of every key: the map's values are not NULL */
    return ctlc_strmap_put(s, key, strlen(key), &present) == NULL;
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
