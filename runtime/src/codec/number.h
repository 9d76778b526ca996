/* codec/number.h: what a JSON number's text is as an int64 (number.c),
 * for both of libctl's typed readers. */
#ifndef CTL_CODEC_NUMBER_H
#define CTL_CODEC_NUMBER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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
/* Eight digits a step where words are little-endian, unless
 * CTL_NUMBER_PORTABLE is defined (runtime/number_plain_portable builds it):
 * a digit at a time then. */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && \
    !defined(CTL_NUMBER_PORTABLE)
#define CTLI_NUMBER_SWAR 1

/* How many of the eight bytes of w (the first in its lowest byte) are
 * digits from the start, 0 to 8. A byte is a digit when its high nibble is
 * 3 both as it is and plus 6 (0x30 to 0x39); the sum's carries run only
 * upward, out of a byte that is not a digit, so every byte before the
 * first one that is not is judged as itself. */
static inline unsigned ctli_number_swar_len(uint64_t w)
{
    const uint64_t high = 0xF0F0F0F0F0F0F0F0u, threes = 0x3030303030303030u;
    uint64_t off = ((w & high) ^ threes) | (((w + 0x0606060606060606u) & high) ^ threes);
    return off ? (unsigned)__builtin_ctzll(off) >> 3 : 8;
}

/* The value of the first n (1 to 8) digits of w: shifted up so that the
 * bytes after them are gone and zeros lead, then combined in pairs, fours
 * and eights by three multiplications (the usual eight-digit trick). */
static inline uint64_t ctli_number_swar_value(uint64_t w, unsigned n)
{
    uint64_t v = (w - 0x3030303030303030u) << (8 * (8 - n));
    v = v * 10 + (v >> 8);
    const uint64_t pairs = 0x000000FF000000FFu;
    return (((v & pairs) * (100 + (1000000ull << 32))) + (((v >> 16) & pairs) * (1 + (10000ull << 32)))) >> 32;
}
#endif

static inline const unsigned char *ctli_number_plain(const unsigned char *p, const unsigned char *end,
                                                     uint64_t *digits, int *frac, bool *neg)
{
    *neg = p < end && *p == '-';
    p += *neg;
#if defined(CTLI_NUMBER_SWAR)
    /* The integer part and the fraction in a load of eight bytes each,
     * when both lie before end (so up to 7 bytes past the number are read,
     * as ctl_cur_key reads past a key) and each has fewer than 8 digits. */
    if (end - p >= 17) {
        static const uint32_t tens[8] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000 };
        uint64_t w;
        memcpy(&w, p, 8);
        unsigned n = ctli_number_swar_len(w), k = 0;
        const unsigned char *q = p + n;
        if (n >= 1 && n < 8 && (n == 1 || *p != '0')) {
            uint64_t m = ctli_number_swar_value(w, n);
            if (*q == '.') {
                memcpy(&w, q + 1, 8);
                k = ctli_number_swar_len(w);
                if (k >= 1 && k < 8) {
                    m = m * tens[k] + ctli_number_swar_value(w, k);
                    q += 1 + k;
                }
            }
            /* k is 0 only without a '.', then q is on what follows */
            if ((k >= 1 && k < 8) || (k == 0 && *q != '.')) {
                if (*q == '.' || *q == 'e' || *q == 'E')
                    return NULL;
                *digits = m;
                *frac = (int)k;
                return q;
            }
        }
    }
#endif
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
