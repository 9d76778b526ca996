/* codec/plain_run.h: the plain bytes of JSON string text (ASCII other than
 * '"', '\' and the controls), one rule for the reader's scan
 * (json_scan.h, ctli_scan_plain) and the writer; and how many bytes at the
 * start of a NUL-ended string are plain, for the string writer (write.c),
 * which copies such a run in one piece. Two ways, giving the same answer: SSE2, sixteen bytes a step,
 * where the compiler has it (every x86-64), and a byte at a time elsewhere;
 * tests/runtime/writer_test.c holds them to each other. */
#ifndef CTL_CODEC_PLAIN_RUN_H
#define CTL_CODEC_PLAIN_RUN_H

#include <stddef.h>
#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Is c plain: a byte a JSON string holds as it is, which the reader
 * (codec/json_scan.h) need not decode and the writer need not escape? */
static inline int ctli_plain_byte(unsigned char c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* The run at s, a byte at a time: it ends at the first byte that is not
 * plain (the NUL ends every string). */
static inline size_t ctli_plain_run_bytes(const unsigned char *s)
{
    const unsigned char *p = s;
    while (ctli_plain_byte(*p))
        p++;
    return (size_t)(p - s);
}

#if defined(__SSE2__)
#define CTLI_PLAIN_RUN_SSE2 1

/* No AddressSanitizer checks on the loads below (ctli_plain_run_sse2 says
 * why). */
#if defined(__clang__) || defined(__GNUC__)
#define CTLI_NO_ASAN __attribute__((no_sanitize_address))
#else
#define CTLI_NO_ASAN
#endif

/* Bit i set when byte i of the 16 in c is not plain: below 0x20 or at or
 * above 0x80 (together: below 0x20 as a signed byte), '"' or '\'. */
static inline unsigned ctli_plain_stops_of(__m128i c)
{
    __m128i stop = _mm_or_si128(_mm_cmplt_epi8(c, _mm_set1_epi8(0x20)),
                                _mm_or_si128(_mm_cmpeq_epi8(c, _mm_set1_epi8('"')),
                                             _mm_cmpeq_epi8(c, _mm_set1_epi8('\\'))));
    return (unsigned)_mm_movemask_epi8(stop);
}

/* The 16 bytes at p, which lie in one page (the reader's caller checks),
 * loaded whole: some of them may be past the text's end where a caller's
 * length runs past a NUL (json_scan.h), so AddressSanitizer is told not to
 * check this load, as for the aligned ones below; the stores that copy
 * the bytes are checked where they are made. */
CTLI_NO_ASAN static inline __m128i ctli_plain_load16(const unsigned char *p)
{
    return _mm_loadu_si128((const __m128i *)(const void *)p);
}

/* The same of the 16 bytes at p, aligned to 16. */
CTLI_NO_ASAN static inline unsigned ctli_plain_stops(const unsigned char *p)
{
    return ctli_plain_stops_of(_mm_load_si128((const __m128i *)(const void *)p));
}

/* The run at s, sixteen bytes a step. The loads are aligned to 16 bytes,
 * so they never cross into another page: the bytes they read before s and
 * after the NUL are in the string's pages, and their bits are dropped (the
 * ones before s) or never reached (the NUL stops first). Those bytes are
 * outside the string's object, so AddressSanitizer is told not to check
 * these functions' loads. */
CTLI_NO_ASAN static inline size_t ctli_plain_run_sse2(const unsigned char *s)
{
    const unsigned char *p = (const unsigned char *)((uintptr_t)s & ~(uintptr_t)15);
    unsigned stops = ctli_plain_stops(p) >> (unsigned)(s - p);
    if (stops)
        return (size_t)__builtin_ctz(stops);
    for (;;) {
        p += 16;
        stops = ctli_plain_stops(p);
        if (stops)
            return (size_t)(p - s) + (size_t)__builtin_ctz(stops);
    }
}
#endif

/* The run at s, the fastest way this build has. */
static inline size_t ctli_plain_run(const unsigned char *s)
{
#if defined(CTLI_PLAIN_RUN_SSE2)
    return ctli_plain_run_sse2(s);
#else
    return ctli_plain_run_bytes(s);
#endif
}

#endif
