/* qt_shim.c: the stand-ins declared in list.h and hashtable.h. */
#include <stdlib.h>
#include <string.h>

#include "hashtable.h"
#include "list.h"

struct qt_list_node {
    qt_list_node *next;
    void *e;
};

static void *stored(bool copy, void *e, size_t size)
{
    if (!copy || !size)
        return e;
    void *p = malloc(size);
    if (p)
        memcpy(p, e, size);
    return p;
}

list_t *list_create(bool alloc, bool (*sort)(list_t *, void *, void *))
{
    (void)sort; /* the generated code passes NULL */
    list_t *l = calloc(1, sizeof *l);
    if (l)
        l->copy = alloc;
    return l;
}

int list_add_tail(list_t *l, void *e, size_t size)
{
    qt_list_node *n = malloc(sizeof *n);
    if (!n)
        return -1;
    n->next = NULL;
    n->e = stored(l->copy, e, size);
    if (l->last)
        l->last->next = n;
    else
        l->first = l->cursor = n;
    l->last = n;
    l->count++;
    return 0;
}

size_t list_get_count(list_t *l) { return l->count; }

void *list_get_head(list_t *l)
{
    l->cursor = l->first;
    return l->cursor ? l->cursor->e : NULL;
}

void *list_get_next(list_t *l)
{
    if (l->cursor)
        l->cursor = l->cursor->next;
    return l->cursor ? l->cursor->e : NULL;
}

void list_release(list_t *l)
{
    if (!l)
        return;
    for (qt_list_node *n = l->first, *next; n; n = next) {
        next = n->next;
        if (l->copy)
            free(n->e);
        free(n);
    }
    free(l);
}

struct qt_hash_entry {
    qt_hash_entry *next;
    char *key;
    void *e;
};

/* FNV-1a over the key's bytes. */
static size_t bucket_of(const hashtable_t *t, const char *key)
{
    size_t h = 14695981039346656037u;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    return h % t->nbuckets;
}

hashtable_t *hashtable_create(size_t size, bool alloc)
{
    hashtable_t *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->nbuckets = size ? size : 1;
    t->copy = alloc;
    t->buckets = calloc(t->nbuckets, sizeof *t->buckets);
    if (!t->buckets) {
        free(t);
        return NULL;
    }
    return t;
}

int hashtable_add(hashtable_t *t, char *key, void *e, size_t size)
{
    qt_hash_entry **at = &t->buckets[bucket_of(t, key)];
    for (; *at; at = &(*at)->next) {
        if (strcmp((*at)->key, key) == 0) {
            if (t->copy)
                free((*at)->e);
            (*at)->e = stored(t->copy, e, size);
            return 0;
        }
    }
    qt_hash_entry *n = malloc(sizeof *n);
    if (!n)
        return -1;
    n->key = strdup(key);
    if (!n->key) {
        free(n);
        return -1;
    }
    n->next = NULL;
    n->e = stored(t->copy, e, size);
    *at = n;
    t->count++;
    return 0;
}

size_t hashtable_get_count(hashtable_t *t) { return t->count; }

size_t hashtable_get_keys(hashtable_t *t, char ***keys)
{
    *keys = NULL;
    if (!t->count)
        return 0;
    char **k = malloc(t->count * sizeof *k);
    if (!k)
        return 0;
    size_t n = 0;
    for (size_t b = 0; b < t->nbuckets; b++)
        for (qt_hash_entry *e = t->buckets[b]; e; e = e->next)
            k[n++] = e->key;
    *keys = k;
    return n;
}

void *hashtable_lookup(hashtable_t *t, char *key)
{
    for (qt_hash_entry *e = t->buckets[bucket_of(t, key)]; e; e = e->next)
        if (strcmp(e->key, key) == 0)
            return e->e;
    return NULL;
}

void hashtable_release(hashtable_t *t)
{
    if (!t)
        return;
    for (size_t b = 0; b < t->nbuckets; b++) {
        for (qt_hash_entry *e = t->buckets[b], *next; e; e = next) {
            next = e->next;
            if (t->copy)
                free(e->e);
            free(e->key);
            free(e);
        }
    }
    free(t->buckets);
    free(t);
}
