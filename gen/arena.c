/* arena.c: bump allocator, growable arrays, and where memory runs out;
 * see arena.h and oom.h. */
#include "arena.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/float_text.h"
#include "ctlc.h"
#include "oom.h"

typedef struct block {
    struct block *next;
    size_t size, used;
    max_align_t data[];
} block;

struct ctlc_arena {
    block *head;
};

enum { BLOCK_MIN = 64 * 1024 };

/* The innermost guard of this thread (oom.h), and the last resort. */
static _Thread_local ctlc_oom_guard *guards;
static void (*oom_handler)(void);

void ctlc_oom_push(ctlc_oom_guard *g)
{
    g->prev = guards;
    g->nheld = 0;
    guards = g;
}

void ctlc_oom_hold(void *p, void *q, void (*release)(void *p, void *q))
{
    ctlc_oom_guard *g = guards;
    if (g && g->nheld < CTLC_OOM_HELD)
        g->held[g->nheld++] = (ctlc_oom_held){ p, q, release };
}

static void release_ptr(void *slot, void *unused)
{
    (void)unused;
    free(*(void **)slot);
    *(void **)slot = NULL;
}

void ctlc_oom_hold_ptr(void *slot)
{
    ctlc_oom_hold(slot, NULL, release_ptr);
}

void ctlc_oom_drop(const void *p)
{
    ctlc_oom_guard *g = guards;
    for (int i = g ? g->nheld - 1 : -1; i >= 0; i--)
        if (g->held[i].p == p) {
            g->held[i] = g->held[--g->nheld];
            return;
        }
}

void ctlc_oom_pop(ctlc_oom_guard *g)
{
    guards = g->prev;
}

void ctlc_set_oom_handler(void (*handler)(void))
{
    oom_handler = handler;
}

void ctlc_out_of_memory(void)
{
    ctlc_oom_guard *g = guards;
    if (g) {
        guards = g->prev;
        while (g->nheld > 0) {
            ctlc_oom_held *h = &g->held[--g->nheld];
            h->release(h->p, h->q);
        }
        longjmp(g->env, 1);
    }
    if (oom_handler)
        oom_handler();
    abort();
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
        ctlc_out_of_memory();
    n = (n + align - 1) / align * align;
    block *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = n > BLOCK_MIN ? n : BLOCK_MIN;
        b = malloc(sizeof(block) + size);
        if (!b)
            ctlc_out_of_memory();
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

/* Formats fmt into buf (cap bytes) when it has no conversion but %s, %.*s
 * and %%: the spelling of names, which the checker does for every C name of
 * a spec on each check (ctlc lsp's path for each change), where vsnprintf
 * cost a third of the check. Returns the length, or -1 for any other
 * conversion or a result that does not fit (the caller prints then). */
static int print_names(char *buf, size_t cap, const char *fmt, va_list ap)
{
    size_t n = 0;
    for (const char *f = fmt; *f; f++) {
        if (*f != '%' || f[1] == '%') {
            if (n + 1 >= cap)
                return -1;
            buf[n++] = *f;
            f += *f == '%';
            continue;
        }
        const char *s;
        size_t len;
        if (f[1] == 's') {
            s = va_arg(ap, const char *);
            len = strlen(s);
            f++;
        } else if (f[1] == '.' && f[2] == '*' && f[3] == 's') {
            int prec = va_arg(ap, int);
            s = va_arg(ap, const char *);
            /* printf reads at most prec bytes and stops at a NUL; a
             * negative precision is taken as none. */
            len = prec < 0 ? strlen(s) : strnlen(s, (size_t)prec);
            f += 3;
        } else {
            return -1;
        }
        if (len >= cap - n)
            return -1;
        memcpy(buf + n, s, len);
        n += len;
    }
    buf[n] = '\0';
    return (int)n;
}

char *ctlc_printf(ctlc_arena *a, const char *fmt, ...)
{
    /* Most strings are short names: put together by hand when the format
     * allows (print_names), else printed once into a buffer on the stack,
     * twice only when they do not fit. */
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = print_names(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        va_start(ap, fmt);
        n = vsnprintf(small, sizeof small, fmt, ap);
        va_end(ap);
    }
    if (n < 0)
        ctlc_out_of_memory();
    char *p = ctlc_alloc(a, (size_t)n + 1);
    if ((size_t)n < sizeof small) {
        memcpy(p, small, (size_t)n + 1);
        return p;
    }
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
            ctlc_out_of_memory();
        cap2 *= 2;
    }
    if (cap2 > SIZE_MAX / size)
        ctlc_out_of_memory();
    void *q = realloc(p, cap2 * size);
    if (!q)
        ctlc_out_of_memory();
    *cap = cap2;
    return q;
}

static void release_memstream(void *f, void *text)
{
    fclose(f);
    free(*(char **)text);
    *(char **)text = NULL;
}

FILE *ctlc_memstream(char **text, size_t *len)
{
    FILE *f = open_memstream(text, len);
    if (!f)
        ctlc_out_of_memory();
    ctlc_oom_hold(f, text, release_memstream);
    return f;
}

void ctlc_memstream_close(FILE *f, char **text)
{
    ctlc_oom_drop(f);
    /* A write that failed (realloc inside stdio) leaves only the error flag
     * behind; the text would be cut short. */
    bool failed = ferror(f) != 0;
    if (fclose(f) != 0 || failed || !*text) {
        free(*text);
        *text = NULL;
        ctlc_out_of_memory();
    }
    ctlc_oom_hold_ptr(text);
}

void ctlc_text_free(char **text)
{
    ctlc_oom_drop(text);
    free(*text);
    *text = NULL;
}

char *ctlc_float_text(ctlc_arena *a, double v)
{
    char buf[CTLI_FLOAT_TEXT_MAX];
    int n = ctli_float_text(buf, v, strtod);
    return ctlc_strndup(a, buf, (size_t)n);
}
