/* serve/memory.c: serve's memory budget (--max-request-mb): each request
 * reserves its body's bytes as it is read and, once whole, the most its
 * parse may take, before anything is allocated; what does not fit is
 * answered 429 and never read or parsed. A sync call's answer holds its
 * bytes in place of the parse until MHD has sent them (or the client
 * left). So the memory of requests in progress stays within the budget
 * however they are shaped, and clients that do not read their answers
 * hold the budget, not memory beyond it. And giving freed memory back to
 * the system after a burst. */
#include <stdio.h> /* first: glibc's features.h says __GLIBC__ */
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "codec/ctx.h"
#include "serve/http.h"
#include "serve/memory.h"

/* Adds n to *used when the result stays within max. */
static bool take(atomic_size_t *used, size_t n, size_t max)
{
    size_t now = atomic_load(used);
    do {
        if (n > max || now > max - n)
            return false;
    } while (!atomic_compare_exchange_weak(used, &now, now + n));
    return true;
}

static void note_peak(serve *s)
{
    size_t used = atomic_load(&s->mem_used), peak = atomic_load(&s->mem_peak);
    while (used > peak && !atomic_compare_exchange_weak(&s->mem_peak, &peak, used))
        ;
}

bool ctli_serve_reserve_body(serve *s, req *r, size_t n)
{
    if (!take(&s->mem_reading, n, s->opt.max_request_bytes / 2))
        return false;
    if (!take(&s->mem_used, n, s->opt.max_request_bytes)) {
        atomic_fetch_sub(&s->mem_reading, n);
        return false;
    }
    r->body_reserved += n;
    note_peak(s);
    return true;
}

void ctli_serve_body_whole(serve *s, req *r)
{
    if (!r->body_whole) {
        r->body_whole = true;
        atomic_fetch_sub(&s->mem_reading, r->body_reserved);
    }
}

bool ctli_serve_reserve_parse(serve *s, req *r, size_t n)
{
    size_t cost = ctli_parse_cost(n, r->controller && r->controller->holds_json);
    if (r->parse_reserved >= cost) {
        r->ctx.arena.limit = r->parse_reserved;
        return true;
    }
    if (!take(&s->mem_used, cost - r->parse_reserved, s->opt.max_request_bytes))
        return false;
    r->parse_reserved = cost;
    r->ctx.arena.limit = cost;
    note_peak(s);
    return true;
}

void ctli_serve_hold_answer(serve *s, req *r, size_t n)
{
    /* The parse's arena is freed by the time a call is answered: its
     * reservation becomes the answer's. The bytes are taken even past the
     * budget, as they exist already (the handler ran); until MHD has sent
     * them, or the client left, the budget they hold refuses new requests. */
    if (n >= r->parse_reserved)
        atomic_fetch_add(&s->mem_used, n - r->parse_reserved);
    else
        atomic_fetch_sub(&s->mem_used, r->parse_reserved - n);
    r->parse_reserved = 0;
    r->answer_reserved += n;
    note_peak(s);
}

void ctli_serve_release(serve *s, req *r)
{
    ctli_serve_body_whole(s, r);
    atomic_fetch_sub(&s->mem_used, r->body_reserved + r->parse_reserved + r->answer_reserved);
    r->body_reserved = r->parse_reserved = r->answer_reserved = 0;
}

enum MHD_Result ctli_serve_memory_throttled(serve *s, req *r)
{
    char why[200];
    snprintf(why, sizeof why,
             "Rate Exceeded. (requests in progress hold this server's memory budget, --max-request-mb %zu)",
             s->opt.max_request_bytes >> 20);
    return ctli_serve_throttled_because(s, r, "ConcurrentInvocationLimitExceeded", why);
}

void ctli_serve_memory_tick(serve *s)
{
#ifdef __GLIBC__
    /* Trim once the budget in use is a quarter of its peak, and the peak
     * was worth it (64 MiB); the peak then starts again from now. */
    size_t used = atomic_load(&s->mem_used), peak = atomic_load(&s->mem_peak);
    if (peak >= ((size_t)64 << 20) && used <= peak / 4) {
        atomic_store(&s->mem_peak, used);
        malloc_trim(0);
    }
#else
    (void)s;
#endif
}

void ctli_serve_memory_setup(void)
{
#ifdef __GLIBC__
    /* glibc raises the threshold each time a mapped block is freed (up to
     * 32 MiB), after which 6 MB bodies come from the heap and stay in the
     * process once freed; a fixed threshold turns that off. */
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
}
