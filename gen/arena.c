/* arena.c: bump allocator; see arena.h. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct block {
    struct block *next;
    size_t size, used;
    max_align_t data[];
} block;

struct ctlc_arena {
    block *head;
};

enum { BLOCK_MIN = 64 * 1024 };

static void out_of_memory(void)
{
    fputs("ctlc: error: out of memory\n", stderr);
    exit(2);
}

ctlc_arena *ctlc_arena_new(void)
{
    return calloc(1, sizeof(ctlc_arena));
}

void ctlc_arena_free(ctlc_arena *a)
{
    if (!a)
        return;
    for (block *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(a);
}

void *ctlc_alloc(ctlc_arena *a, size_t n)
{
    const size_t align = sizeof(max_align_t);
    if (n > SIZE_MAX / 2)
        out_of_memory();
    n = (n + align - 1) / align * align;
    block *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = n > BLOCK_MIN ? n : BLOCK_MIN;
        b = malloc(sizeof(block) + size);
        if (!b)
            out_of_memory();
        b->size = size;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *ctlc_strndup(ctlc_arena *a, const char *s, size_t n)
{
    char *p = ctlc_alloc(a, n + 1);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *ctlc_printf(ctlc_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        out_of_memory();
    char *p = ctlc_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void *ctlc_grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t cap2 = *cap ? *cap : 32;
    while (cap2 < need) {
        if (cap2 > SIZE_MAX / 2)
            out_of_memory();
        cap2 *= 2;
    }
    if (cap2 > SIZE_MAX / size)
        out_of_memory();
    void *q = realloc(p, cap2 * size);
    if (!q)
        out_of_memory();
    *cap = cap2;
    return q;
}

FILE *ctlc_memstream(char **text, size_t *len)
{
    FILE *f = open_memstream(text, len);
    if (!f)
        out_of_memory();
    return f;
}
