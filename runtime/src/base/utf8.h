/* base/utf8.h: checking UTF-8: one sequence, or a whole text (utf8.c). */
#ifndef CTL_BASE_UTF8_H
#define CTL_BASE_UTF8_H

#include <stddef.h>

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* Length of the valid UTF-8 sequence at s (not past end), or 0 for an
 * invalid one: overlong forms, surrogates and code points past U+10FFFF are
 * invalid. ASCII is a sequence of 1. */
size_t ctli_utf8_seq(const unsigned char *s, const unsigned char *end);

/* Where the first invalid UTF-8 sequence of the n bytes at s starts, or n
 * when they are all valid UTF-8 text (NUL bytes included). */
size_t ctli_utf8_invalid_at(const char *s, size_t n);

/* Whether the n bytes at s are valid UTF-8. */
static inline int ctli_utf8_valid(const char *s, size_t n)
{
    return ctli_utf8_invalid_at(s, n) == n;
}

/* Jackson's words for the first invalid byte of the n bytes at s (Lambda's
 * Invoke reports invalid payloads in them): "Invalid UTF-8 start byte
 * 0x97", "Invalid UTF-8 middle byte 0x28", into out (cap bytes). */
void ctli_utf8_describe(const char *s, size_t n, char *out, size_t cap);

CTLI_END_PRIVATE

#endif
