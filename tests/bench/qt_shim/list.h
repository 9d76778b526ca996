/* list.h: the list API that quicktype's C (cJSON) output calls, written for
 * tests/bench/codec_bench.sh; not the c-list library. quicktype's code
 * includes <list.h> and <hashtable.h> (the c-list and c-hashtable libraries);
 * the bench builds with these stand-ins unless QT_CLIST_DIR and
 * QT_HASHTABLE_DIR point at checkouts of the real ones. They do what the
 * generated code needs (a list of pointers with a read cursor, appended at
 * the tail) and take no locks, where the real libraries take a semaphore on
 * every call: quicktype's figures are, if anything, flattered by them. */
#ifndef CTL_BENCH_QT_LIST_H
#define CTL_BENCH_QT_LIST_H

#include <stdbool.h>
#include <stddef.h>

typedef struct qt_list_node qt_list_node;

typedef struct list_t {
    qt_list_node *first, *last, *cursor;
    size_t count;
    bool copy;                  /* store a malloc'd copy of size bytes instead of the pointer */
} list_t;

list_t *list_create(bool alloc, bool (*sort)(list_t *, void *, void *));
int list_add_tail(list_t *list, void *e, size_t size);
size_t list_get_count(list_t *list);
void *list_get_head(list_t *list);
void *list_get_next(list_t *list);
void list_release(list_t *list);

#endif
