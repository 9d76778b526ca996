/* codec/json_scan.h: the JSON scanner both of libctl's readers stand on
 * (json_scan.c): whitespace, strings, numbers, literals, and a value
 * skipped whole. The tree reader (json_read.c) builds ctl_json nodes from
 * what it scans; the one-pass readers of generated code (text_read.c) read
 * typed values from it straight into their structs. Same grammar, same
 * limits, same messages for both. */
#ifndef CTL_CODEC_JSON_SCAN_H
#define CTL_CODEC_JSON_SCAN_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ctl/gen.h"

#include "base/private.h"
#include "codec/plain_run.h"

CTLI_BEGIN_PRIVATE

/* The message of nesting deeper than CTL_JSON_MAX_DEPTH (compared by
 * address: ctli_json_too_deep). */
extern const char ctli_scan_too_deep[];

/* Records message at byte at as the cursor's error unless one is set;
 * returns false. */
bool ctli_scan_fail(ctl_cursor *r, const unsigned char *at, const char *message);

/* Steps over JSON whitespace. */
static inline void ctli_scan_ws(ctl_cursor *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
        r->p++;
}

/* A short plain run found, and copied to o when o is not NULL, in one
 * step, when the sixteen bytes at s lie before end in one page: its length
 * when it ends among them (0 to 15), 16 when all are plain, all sixteen
 * copied to o (which has room for them) either way; -1 otherwise, nothing
 * copied, and the caller takes its general path. Always -1 without SSE2 or
 * with CTL_SCAN_PORTABLE. */
static inline int ctli_plain_short(const unsigned char *s, const unsigned char *end, unsigned char *o)
{
#if defined(__SSE2__) && !defined(CTL_SCAN_PORTABLE)
    if (end - s < 16 || ((uintptr_t)s & 4095) > 4096 - 16)
        return -1;
    __m128i v = ctli_plain_load16(s);
    if (o)
        _mm_storeu_si128((__m128i *)(void *)o, v);
    unsigned stops = ctli_plain_stops_of(v);
    return stops ? __builtin_ctz(stops) : 16;
#else
    (void)s, (void)end, (void)o;
    return -1;
#endif
}

/* The first byte from s on (before end) that ends a run of plain string
 * text: '"', '\\', a control character or a byte of 0x80 and up; end when
 * there is none.
 *
 * With SSE2 (baseline on x86-64), sixteen bytes a step: as signed bytes,
 * those below 0x20 and those of 0x80 and up are all less than 0x20, so one
 * compare finds both. After a first load of the sixteen bytes at s when
 * they lie before end in one page, the loads are of aligned blocks, the bytes before s
 * and from end on masked off: a block is loaded only when it holds a byte
 * of the text not yet passed, and a block never spans two pages, so text
 * that ends in a NUL before end says (a caller's wrong length) is never
 * read into a page it does not touch, though up to 15 bytes of its block
 * past the NUL are loaded. ASan is told so (no_sanitize_address); the
 * scan_plain tests hold the masks to the byte-by-byte rule.
 *
 * Elsewhere, or with CTL_SCAN_PORTABLE defined (runtime/scan_plain_portable
 * builds it), eight bytes a step read as a word, the first flagged byte
 * found from the lowest set bit (little-endian; up to 7 bytes past a NUL
 * are read), then byte by byte. */
#if defined(__SSE2__) && !defined(CTL_SCAN_PORTABLE)
#include <emmintrin.h>

__attribute__((no_sanitize_address)) static inline const unsigned char *ctli_scan_plain(const unsigned char *s,
                                                                                         const unsigned char *end)
{
    if (s >= end)
        return s;
    /* Most runs are short: the sixteen bytes at s first, in one load. */
    int first = ctli_plain_short(s, end, NULL);
    if (first >= 0 && first < 16)
        return s + first;
    size_t skip = (uintptr_t)s & 15;
    const unsigned char *block = (const unsigned char *)((uintptr_t)s - skip);
    unsigned mask = ctli_plain_stops(block) & (0xffffu << skip);
    for (;;) {
        size_t left = (size_t)((uintptr_t)end - (uintptr_t)block);
        if (left < 16)
            mask &= (1u << left) - 1;
        if (mask)
            return block + __builtin_ctz(mask);
        if (left <= 16)
            return end;
        block += 16;
        mask = ctli_plain_stops(block);
    }
}
#else
static inline const unsigned char *ctli_scan_plain(const unsigned char *s, const unsigned char *end)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    while (end - s >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        uint64_t quote = w ^ (ones * '"'), slash = w ^ (ones * '\\');
        uint64_t hit = ((quote - ones) & ~quote) | ((slash - ones) & ~slash) | ((w - ones * 0x20) & ~w) | w;
        hit &= highs;
        if (hit)
            return s + (__builtin_ctzll(hit) >> 3);
        s += 8;
    }
#endif
    while (s < end && ctli_plain_byte(*s))
        s++;
    return s;
}
#endif

/* The plain run at s (before end) copied to o, which has room for it and
 * 16 bytes more: its length (the run ends at the first byte that is not
 * plain, or at end). The copy is made as the run is found, sixteen bytes a
 * step by ctli_plain_short (up to 15 bytes past the run are written to o,
 * and overwritten by whatever o holds next), while it can take the step;
 * the rest found by ctli_scan_plain and copied by memcpy. */
static inline size_t ctli_copy_plain(const unsigned char *s, const unsigned char *end, unsigned char *o)
{
    const unsigned char *p = s;
    int n;
    while ((n = ctli_plain_short(p, end, o + (p - s))) == 16)
        p += 16;
    if (n >= 0)
        return (size_t)(p - s) + (size_t)n;
    const unsigned char *stop = ctli_scan_plain(p, end);
    memcpy(o + (p - s), p, (size_t)(stop - p));
    return (size_t)(stop - s);
}

/* The string at r->p (on its opening quote), decoded into r->arena,
 * NUL-terminated, with its length and CTL_JSON_* flags; with out NULL it is
 * only checked (nothing is allocated; outlen and flags may be NULL then). */
bool ctli_scan_string(ctl_cursor *r, const char **out, uint32_t *outlen, uint8_t *flags);

/* The number at r->p, checked against the JSON grammar: its text. */
bool ctli_scan_number(ctl_cursor *r, const char **text, uint32_t *len);

/* Whether the n bytes at r->p are word, compared a byte at a time and
 * never past the first byte that differs (so never past a NUL that ends
 * the text before r->end says). */
static inline bool ctli_scan_word_here(const ctl_cursor *r, const char *word, size_t n)
{
    if ((size_t)(r->end - r->p) < n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (r->p[i] != (unsigned char)word[i])
            return false;
    return true;
}

/* The literal word (true, false, null) of n bytes at r->p. */
bool ctli_scan_literal(ctl_cursor *r, const char *word, size_t n);

/* Steps over one value at r->p, checked as the tree reader checks it
 * (depth included); nothing is allocated. */
bool ctli_scan_skip(ctl_cursor *r);

CTLI_END_PRIVATE

#endif
