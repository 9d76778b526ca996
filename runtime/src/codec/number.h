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

CTLI_END_PRIVATE

#endif
