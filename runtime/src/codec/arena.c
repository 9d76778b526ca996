/* codec/arena.c: the per-invocation allocator of libctl.
 *
 * Everything one invocation needs (the parsed event, decoded strings, the
 * typed arguments, list items) comes from one arena that is reset in one go
 * when the invocation ends. Blocks are kept across resets, so a warm
 * controller allocates nothing from the system for events no larger than the
 * ones before. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/arena.h"

enum { BLOCK_MIN = 16 * 1024 };

void ctli_arena_init(ctl_arena *a)
{
    memset(a, 0, sizeof *a);
}

enum { KEEP_MAX = 1024 * 1024 };

void ctli_arena_reset(ctl_arena *a)
{
    /* Keep the largest block up to 1 MB for the next invocation (a huge
     * event must not leave a warm controller holding its memory); free the
     * rest. */
    ctli_block *keep = NULL;
    for (ctli_block *b = a->head, *next; b; b = next) {
        next = b->next;
        if (b->size <= KEEP_MAX && (!keep || b->size > keep->size)) {
            if (keep)
                free(keep);
            keep = b;
        } else {
            free(b);
        }
    }
    if (keep) {
        keep->next = NULL;
        keep->used = 0;
    }
    a->head = keep;
    a->total = 0;
    a->held = keep ? sizeof *keep + keep->size : 0;
    a->over = false;
}

void ctli_arena_free(ctl_arena *a)
{
    for (ctli_block *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    a->head = NULL;
    a->total = a->held = 0;
    a->over = false;
}

void *ctli_arena_alloc_block(ctl_arena *a, size_t n)
{
    ctli_block *b = a->head;
    size_t size = n > BLOCK_MIN ? n : BLOCK_MIN;
    if (b && b->size * 2 > size && n <= b->size)
        size = b->size * 2;
    if (a->limit) {
        /* The doubling stops at what the limit leaves, so nearly all of it
         * can be handed out. */
        size_t left = a->held < a->limit ? a->limit - a->held : 0;
        if (left < sizeof(ctli_block) + n) {
            a->over = true;
            return NULL;
        }
        if (sizeof(ctli_block) + size > left)
            size = left - sizeof(ctli_block);
    }
    ctli_block *nb = malloc(sizeof *nb + size);
    if (!nb)
        return NULL;
    a->held += sizeof *nb + size;
    nb->size = size;
    nb->used = n;
    nb->next = b;
    a->head = nb;
    a->total += n;
    return nb->data;
}

bool ctli_arena_charge(ctl_arena *a, size_t n)
{
    if (a->limit && (a->held > a->limit || a->limit - a->held < n)) {
        a->over = true;
        return false;
    }
    a->held += n;
    return true;
}

void *ctli_arena_zalloc(ctl_arena *a, size_t n)
{
    void *p = ctli_arena_alloc(a, n);
    if (p)
        memset(p, 0, n);
    return p;
}

bool ctli_arena_extend(ctl_arena *a, void *p, size_t n, size_t m)
{
    const size_t align = _Alignof(max_align_t);
    ctli_block *b = a->head;
    if (!b || !p || m < n || m > SIZE_MAX / 4)
        return false;
    n = n ? (n + align - 1) & ~(align - 1) : align;
    m = (m + align - 1) & ~(align - 1);
    if ((char *)p + n != (char *)b->data + b->used || b->size - b->used < m - n)
        return false;
    b->used += m - n;
    a->total += m - n;
    return true;
}

ctli_arena_mark ctli_arena_mark_now(const ctl_arena *a)
{
    return (ctli_arena_mark){ a->head, a->head ? a->head->used : 0, a->total, a->held, a->over };
}

void ctli_arena_rollback(ctl_arena *a, ctli_arena_mark m)
{
    while (a->head && a->head != m.head) {
        ctli_block *b = a->head;
        a->head = b->next;
        free(b);
    }
    if (a->head)
        a->head->used = m.used;
    a->total = m.total;
    a->held = m.held;
    a->over = m.over;
}
