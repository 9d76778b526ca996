/* base/hex.h: hexadecimal digits both ways: the value of a digit (JSON's
 * \uXXXX, percent-decoding) and percent-encoding. */
#ifndef CTL_BASE_HEX_H
#define CTL_BASE_HEX_H

#include <stddef.h>

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* The value of a hexadecimal digit, or -1. */
static inline int ctli_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Writes the n bytes at s percent-encoded as one URL path segment (RFC
 * 3986: every byte but letters, digits and "-._~" as %XX, upper-case hex;
 * what botocore and curl_easy_escape write) to out, which has room for
 * 3 * n + 1 bytes; NUL-terminates it and returns its length. The one
 * encoder of a path segment: the FunctionName of the Invoke path, the
 * request id of the Runtime API's paths. */
static inline size_t ctli_percent_encode(const char *s, size_t n, char *out)
{
    static const char digits[] = "0123456789ABCDEF";
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z') || c == '-' || c == '.' || c == '_' ||
            c == '~') {
            out[k++] = (char)c;
        } else {
            out[k++] = '%';
            out[k++] = digits[c >> 4];
            out[k++] = digits[c & 15];
        }
    }
    out[k] = '\0';
    return k;
}

CTLI_END_PRIVATE

#endif
