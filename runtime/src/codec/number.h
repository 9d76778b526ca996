/* codec/number.h: what a JSON number's text is as an int64 (number.c),
 * for both of libctl's typed readers. */
#ifndef CTL_CODEC_NUMBER_H
#define CTL_CODEC_NUMBER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/private.h"

CTLI_BEGIN_PRIVATE

typedef enum ctli_number_verdict {
    CTLI_NUMBER_OK,
    CTLI_NUMBER_FRACTION,       /* not an integer: 1.5, 1e-1 */
    CTLI_NUMBER_RANGE           /* an integer outside int64 */
} ctli_number_verdict;

/* The integer that the len bytes of text (a number the scanner checked)
 * stand for, exactly: 9007199254740993 stays itself, 1.0 and 1e3 are
 * integers, 1.5 is not, and anything outside int64 is out of range.
 * *out is set only on CTLI_NUMBER_OK. */
ctli_number_verdict ctli_number_int(const char *text, size_t len, int64_t *out);

/* The double nearest to the len bytes of text (a number the scanner
 * checked) when it can be had exactly without strtod: at most 15
 * significant digits and a power of ten within 10^22 (Clinger's fast path:
 * both exact in a double, so one multiplication or division rounds right).
 * False otherwise (strtod's turn). */
bool ctli_number_double_fast(const char *text, size_t len, double *out);

/* Powers of ten exact in a double: 1e0 to 1e22. */
extern const double ctli_number_pow10[23];

/* The common number read and checked in one pass: at p (before end), an
 * optional '-', an integer part and maybe a fraction, at most 15 digits in
 * all and no exponent, followed by a byte that cannot continue a number.
 * Its digits as one integer in *digits (exact: below 10^15), the count of
 * them after the '.' in *frac; returns the byte after it, or NULL when the
 * text is anything else (the scanner's and ctli_number_*'s turn, which
 * judge it as before). */
static inline const unsigned char *ctli_number_plain(const unsigned char *p, const unsigned char *end,
                                                     uint64_t *digits, int *frac, bool *neg)
{
    *neg = p < end && *p == '-';
    p += *neg;
    const unsigned char *start = p;
    uint64_t m = 0;
    if (p < end && *p == '0') {
        p++;
    } else {
        while (p < end && (unsigned)(*p - '0') < 10)
            m = m * 10 + (unsigned)(*p++ - '0');
        if (p == start)
            return NULL;
    }
    size_t ndigits = (size_t)(p - start);
    int nfrac = 0;
    if (p < end && *p == '.') {
        const unsigned char *f = ++p;
        while (p < end && (unsigned)(*p - '0') < 10)
            m = m * 10 + (unsigned)(*p++ - '0');
        if (p == f)
            return NULL;
        nfrac = (int)(p - f);
        ndigits += (size_t)nfrac;
    }
    /* "01", "1.5.", "1e5" and long numbers are not this path's; m may have
     * wrapped past 15 digits, and is then not used. */
    if (ndigits > 15 || (p < end && ((unsigned)(*p - '0') < 10 || *p == '.' || *p == 'e' || *p == 'E')))
        return NULL;
    *digits = m;
    *frac = nfrac;
    return p;
}

CTLI_END_PRIVATE

#endif
