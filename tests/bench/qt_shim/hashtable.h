/* hashtable.h: the string-keyed table API that quicktype's C (cJSON) output
 * calls for JSON Schema maps, written for tests/bench/codec_bench.sh; not the
 * c-hashtable library (see list.h beside this file). Chained buckets, keys
 * copied, values stored as given. */
#ifndef CTL_BENCH_QT_HASHTABLE_H
#define CTL_BENCH_QT_HASHTABLE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct qt_hash_entry qt_hash_entry;

typedef struct hashtable_t {
    qt_hash_entry **buckets;
    size_t nbuckets, count;
    bool copy;
} hashtable_t;

hashtable_t *hashtable_create(size_t size, bool alloc);
int hashtable_add(hashtable_t *table, char *key, void *e, size_t size);
size_t hashtable_get_count(hashtable_t *table);
size_t hashtable_get_keys(hashtable_t *table, char ***keys);
void *hashtable_lookup(hashtable_t *table, char *key);
void hashtable_release(hashtable_t *table);

#endif
