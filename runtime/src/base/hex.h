/* base/hex.h: the value of a hexadecimal digit (JSON's \uXXXX,
 * percent-encoding). */
#ifndef CTL_BASE_HEX_H
#define CTL_BASE_HEX_H

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

CTLI_END_PRIVATE

#endif
