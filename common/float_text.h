/* common/float_text.h: the text of a double, one rule for ctlc and libctl,
 * header-only so that both compile the same text: ctlc's float literals in
 * C, Python and TypeScript (gen/arena.c, ctlc_float_text) and libctl's JSON
 * writer (runtime/src/codec/write.c, ctl_write_float). The Python and
 * TypeScript runtimes write the same bytes with code of their own
 * (_ctl_float_text in gen/ctl_runtime.py.in, floatText in
 * gen/ts/ctl_runtime.ts.in); tests/lang/roundtrip.py holds them to it.
 *
 * The rule, for a finite double v:
 *   1. when 1e-5 <= |v| < 1e15: for k = 0, 1, ... 15, m = round(v * 10^k)
 *      (halves away from zero); if |m| >= 2^53, go to 2; if m / 10^k == v,
 *      the text is m with a point k digits from the right (at least one
 *      digit before it; none when k = 0): 49.25, 0.175, 0.00001, 3;
 *   2. else the shortest of printf's %.15g, %.16g and %.17g that reads back
 *      to v, with a '.' whatever LC_NUMERIC says: 1e+15, 5e-06,
 *      0.30000000000000004.
 * Where both apply they agree, but for 1e-5 <= |v| < 1e-4, which 1. writes
 * without an exponent (0.00001) where %g would not (1e-05): the bytes
 * libctl has always written. Each caller adds what its language needs
 * (".0" after an integral text).
 *
 * Not installed, not part of the public API: generated code never includes
 * it. */
#ifndef CTL_COMMON_FLOAT_TEXT_H
#define CTL_COMMON_FLOAT_TEXT_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Room for any text of the rule, "-2.2250738585072014e-308" and the like,
 * and the ".0" a caller may add. */
#define CTLI_FLOAT_TEXT_MAX 32

/* Step 2 of the rule: the shortest of %.15g, %.16g and %.17g that
 * read_back (strtod in the C locale) takes back to v; a ',' of the locale
 * becomes '.'. Any double, inf and nan included (their printf text). The
 * text into out, NUL-ended; returns its length. */
static inline int ctli_float_text_printf(char out[CTLI_FLOAT_TEXT_MAX], double v,
                                         double (*read_back)(const char *, char **))
{
    int n = 0;
    for (int prec = 15; prec <= 17; prec++) {
        n = snprintf(out, CTLI_FLOAT_TEXT_MAX, "%.*g", prec, v);
        for (int i = 0; i < n; i++)
            if (out[i] == ',')
                out[i] = '.';
        if (read_back(out, NULL) == v)
            break;
    }
    return n;
}

/* Step 1 of the rule: v's text into out, NUL-ended, and its length; 0
 * (out untouched) when step 2 must give it. Quicker than the words of the
 * rule (no call of round(), a division only where it can succeed), with
 * the same outcome (tests/runtime/writer_test.c checks it against the
 * words, over millions of doubles):
 *   - for 0 <= x < 2^53, round(x) is trunc(x), plus one when x - trunc(x)
 *     >= 0.5 (the difference is exact); round(x) >= 2^53 exactly when
 *     x >= 2^53 (doubles from 2^52 up are integers);
 *   - v * 10^k is -(|v| * 10^k), and round and the division are symmetric:
 *     |v| is tried and the sign written;
 *   - when m / 10^k == |v|, |v| * 10^k is m within two roundings of 2^-53,
 *     i.e. within 0.23 when m < 10^15: a product farther from m than 0.25
 *     cannot pass the division, which is skipped. */
static inline int ctli_float_text_short(char out[CTLI_FLOAT_TEXT_MAX], double v)
{
    static const double pow10[16] = { 1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
    static const uint64_t pow10_int[16] = { 1u,
                                            10u,
                                            100u,
                                            1000u,
                                            10000u,
                                            100000u,
                                            1000000u,
                                            10000000u,
                                            100000000u,
                                            1000000000u,
                                            10000000000u,
                                            100000000000u,
                                            1000000000000u,
                                            10000000000000u,
                                            100000000000000u,
                                            1000000000000000u };
    double a = v < 0 ? -v : v;
    if (!(a >= 1e-5 && a < 1e15)) /* nan and inf fail this too */
        return 0;
    for (int k = 0; k < 16; k++) {
        double x = a * pow10[k];
        if (x >= 9007199254740992.0)
            return 0;
        double t = (double)(int64_t)x;
        double m = x - t >= 0.5 ? t + 1 : t;
        double off = x - m;
        if ((m < 1e15 && (off > 0.25 || off < -0.25)) || m / pow10[k] != a)
            continue;
        /* The digits from the right, the point after the k-th, at least
         * one digit before it. */
        uint64_t u = (uint64_t)m;
        int digits = 1;
        while (digits < 16 && u >= pow10_int[digits])
            digits++;
        if (digits <= k)
            digits = k + 1;
        int n = (v < 0) + digits + (k > 0);
        char *p = out + n;
        *p = '\0';
        for (int d = 0; d < digits; d++) {
            if (d == k && k > 0)
                *--p = '.';
            *--p = (char)('0' + u % 10);
            u /= 10;
        }
        if (v < 0)
            *--p = '-';
        return n;
    }
    return 0;
}

/* The rule's text of v into out, NUL-ended; returns its length. Any
 * double (inf and nan take step 2: printf's words). */
static inline int ctli_float_text(char out[CTLI_FLOAT_TEXT_MAX], double v,
                                  double (*read_back)(const char *, char **))
{
    int n = ctli_float_text_short(out, v);
    return n ? n : ctli_float_text_printf(out, v, read_back);
}

#endif
