/* codec/arena.h: the per-invocation bump allocator (arena.c). */
#ifndef CTL_CODEC_ARENA_H
#define CTL_CODEC_ARENA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* A bump allocator. limit (0 = none) caps the bytes its blocks take from
 * the system (held), so a hostile event fails cleanly instead of
 * exhausting memory, and a caller that reserved limit bytes (serve's
 * memory budget) knows the arena stays within them. total is what was
 * handed out; over, that the limit refused an allocation since the last
 * reset. The struct's tag is the one ctl/json.h names. */
typedef struct ctl_arena {
    struct ctli_block *head;
    size_t total, held, limit;
    bool over;
} ctl_arena;

void ctli_arena_init(ctl_arena *a);
/* Frees all but the largest block up to 1 MiB, kept for the next use. */
void ctli_arena_reset(ctl_arena *a);
void ctli_arena_free(ctl_arena *a);
/* A block of the arena: size bytes of data, used of them handed out. */
typedef struct ctli_block {
    struct ctli_block *next;
    size_t size, used;
    max_align_t data[];
} ctli_block;

/* ctli_arena_alloc when the head block has no room: a new block. n is
 * rounded already. */
void *ctli_arena_alloc_block(ctl_arena *a, size_t n);

/* n bytes aligned for any type, or NULL (out of memory, or past limit).
 * In line: the bump in the head block. */
static inline void *ctli_arena_alloc(ctl_arena *a, size_t n)
{
    /* max_align_t's alignment (16 on x86-64), not its size (32): a
     * 48-byte JSON node takes 48 bytes, not 64. */
    const size_t align = _Alignof(max_align_t);
    if (n > SIZE_MAX / 4)
        return NULL;
    n = n ? (n + align - 1) & ~(align - 1) : align;
    ctli_block *b = a->head;
    if (!b || b->size - b->used < n)
        return ctli_arena_alloc_block(a, n);
    void *p = (char *)b->data + b->used;
    b->used += n;
    a->total += n;
    return p;
}
void *ctli_arena_zalloc(ctl_arena *a, size_t n);
/* Grows p, the arena's last allocation (of n bytes), to m bytes in place
 * when its block has the room: true then. False leaves all as it was. */
bool ctli_arena_extend(ctl_arena *a, void *p, size_t n, size_t m);

/* Counts n bytes the invocation holds outside the arena (a json field's
 * cJSON tree, which the ctx deletes when it resets or rolls back the
 * arena) against the arena's limit, as if its blocks held them: false, with
 * over set, when the limit refuses them. Reset and rollback forget the
 * charge with the memory. */
bool ctli_arena_charge(ctl_arena *a, size_t n);

/* Where an arena was: ctli_arena_rollback() frees what was allocated since
 * ctli_arena_mark(), leaving the arena exactly as it was then (blocks, what
 * it holds, its limit's verdict). */
typedef struct ctli_arena_mark {
    struct ctli_block *head;
    size_t used, total, held;
    bool over;
} ctli_arena_mark;

ctli_arena_mark ctli_arena_mark_now(const ctl_arena *a);
void ctli_arena_rollback(ctl_arena *a, ctli_arena_mark m);

CTLI_END_PRIVATE

#endif
