/* codec/number.c: a JSON number's text as an int64, exactly, and as a
 * double without strtod where that is exact; see number.h. */
#include <stdbool.h>

#include "codec/number.h"

ctli_number_verdict ctli_number_int(const char *text, size_t len, int64_t *out)
{
    /* Most integers are a few plain digits: at most 18 cannot overflow. */
    if (len > 0 && len <= 18) {
        const char *p = text + (*text == '-');
        const char *stop = text + len;
        if (p < stop && (*p != '0' || p + 1 == stop)) {
            int64_t v = 0;
            for (; p < stop && *p >= '0' && *p <= '9'; p++)
                v = v * 10 + (*p - '0');
            if (p == stop) {
                *out = *text == '-' ? -v : v;
                return CTLI_NUMBER_OK;
            }
        }
    }
    const char *s = text, *end = text + len;
    bool neg = *s == '-';
    s += neg;
    /* Split into digits (integer part, then fraction) and a decimal
     * exponent; the value is DIGITS x 10^exp. */
    const char *int_start = s;
    while (s < end && *s >= '0' && *s <= '9')
        s++;
    const char *int_end = s, *frac_start = s, *frac_end = s;
    if (s < end && *s == '.') {
        frac_start = ++s;
        while (s < end && *s >= '0' && *s <= '9')
            s++;
        frac_end = s;
    }
    long long exp = 0;
    if (s < end && (*s == 'e' || *s == 'E')) {
        s++;
        bool eneg = *s == '-';
        if (*s == '-' || *s == '+')
            s++;
        for (; s < end; s++)
            if (exp < 100000)
                exp = exp * 10 + (*s - '0');
        if (eneg)
            exp = -exp;
    }
    /* Significant digits (no leading zeros); each fraction digit lowers
     * the exponent. Past 32 digits, a zero only scales and anything else
     * is surely out of range or fractional. */
    char digits[32];
    size_t nd = 0;
    bool overflow = false;
    for (int part = 0; part < 2; part++) {
        const char *p = part ? frac_start : int_start, *stop = part ? frac_end : int_end;
        for (; p < stop; p++) {
            if (part)
                exp--;
            if (nd == 0 && *p == '0')
                continue;
            if (nd < sizeof digits)
                digits[nd++] = *p;
            else if (*p == '0')
                exp++;
            else
                overflow = true;
        }
    }
    while (nd > 0 && digits[nd - 1] == '0') {
        nd--;
        exp++;
    }
    if (nd == 0) {
        *out = 0;
        return CTLI_NUMBER_OK;
    }
    if (exp < 0)
        return CTLI_NUMBER_FRACTION;
    if (overflow && frac_end > frac_start)
        return CTLI_NUMBER_FRACTION;
    if (overflow || (long long)nd + exp > 19)
        return CTLI_NUMBER_RANGE;
    /* Accumulate negatively so that INT64_MIN fits. */
    int64_t acc = 0;
    for (size_t i = 0; i < nd + (size_t)exp; i++) {
        int d = i < nd ? digits[i] - '0' : 0;
        if (acc < (INT64_MIN + d) / 10)
            return CTLI_NUMBER_RANGE;
        acc = acc * 10 - d;
    }
    if (!neg && acc == INT64_MIN)
        return CTLI_NUMBER_RANGE;
    *out = neg ? acc : -acc;
    return CTLI_NUMBER_OK;
}


const double ctli_number_pow10[23] = { 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                       1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

bool ctli_number_double_fast(const char *text, size_t len, double *out)
{
    const double *powers = ctli_number_pow10;
    const char *s = text, *end = text + len;
    bool neg = s < end && *s == '-';
    s += neg;
    uint64_t m = 0;
    int digits = 0, exp = 0;
    for (; s < end && *s >= '0' && *s <= '9'; s++) {
        if (m == 0 && *s == '0')
            continue;
        if (++digits > 15)
            return false;
        m = m * 10 + (uint64_t)(*s - '0');
    }
    if (s < end && *s == '.')
        for (s++; s < end && *s >= '0' && *s <= '9'; s++) {
            exp--;
            if (m == 0 && *s == '0')
                continue;
            if (++digits > 15)
                return false;
            m = m * 10 + (uint64_t)(*s - '0');
        }
    if (s < end && (*s == 'e' || *s == 'E')) {
        s++;
        bool eneg = s < end && *s == '-';
        if (s < end && (*s == '-' || *s == '+'))
            s++;
        int e = 0;
        for (; s < end; s++) {
            if (e > 1000)
                return false;
            e = e * 10 + (*s - '0');
        }
        exp += eneg ? -e : e;
    }
    if (s != end || exp < -22 || exp > 22)
        return false;
    double d = (double)m;
    d = exp < 0 ? d / powers[-exp] : d * powers[exp];
    *out = neg ? -d : d;
    return true;
}
