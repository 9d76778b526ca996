/* base/utf8.c: checking UTF-8: one sequence, or a whole text. */
#include <stdio.h>
#include <string.h>

#include "base/utf8.h"

size_t ctli_utf8_seq(const unsigned char *s, const unsigned char *end)
{
    unsigned c = s[0];
    size_t len;
    unsigned cp, min;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        len = 2, cp = c & 0x1f, min = 0x80;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3, cp = c & 0x0f, min = 0x800;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4, cp = c & 0x07, min = 0x10000;
    else
        return 0;
    if ((size_t)(end - s) < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

size_t ctli_utf8_invalid_at(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        /* ASCII runs, 8 bytes at a time: most payloads are all ASCII. */
        while (end - p >= 8) {
            unsigned long long w;
            memcpy(&w, p, 8);
            if (w & 0x8080808080808080ull)
                break;
            p += 8;
        }
        if (p >= end)
            break;
        if (*p < 0x80) {
            p++;
            continue;
        }
        size_t k = ctli_utf8_seq(p, end);
        if (k == 0)
            return (size_t)(p - (const unsigned char *)s);
        p += k;
    }
    return n;
}

void ctli_utf8_describe(const char *s, size_t n, char *out, size_t cap)
{
    size_t at = ctli_utf8_invalid_at(s, n);
    if (at >= n) {
        snprintf(out, cap, "valid UTF-8");
        return;
    }
    const unsigned char *p = (const unsigned char *)s + at, *end = (const unsigned char *)s + n;
    unsigned c = p[0];
    if (c < 0xc2 || c > 0xf4) {
        snprintf(out, cap, "Invalid UTF-8 start byte 0x%02x", c);
        return;
    }
    /* A lead byte whose sequence goes wrong after it: the first byte that
     * is not a continuation, else (overlong forms, surrogates, past
     * U+10FFFF, cut short) the byte after the lead. */
    const unsigned char *q = p + 1;
    size_t len = c <= 0xdf ? 2 : c <= 0xef ? 3 : 4;
    while (q < end && q < p + len && (*q & 0xc0) == 0x80)
        q++;
    if (q >= end)
        snprintf(out, cap, "Invalid UTF-8 middle byte: the payload ends inside a sequence");
    else if (q < p + len)
        snprintf(out, cap, "Invalid UTF-8 middle byte 0x%02x", *q);
    else
        snprintf(out, cap, "Invalid UTF-8 middle byte 0x%02x", p[1]);
}
