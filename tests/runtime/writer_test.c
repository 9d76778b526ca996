/* writer_test.c: the writer's fast paths give the bytes of the rules they
 * stand for.
 *   - Floats: ctli_float_text (common/float_text.h) against the rule in
 *     its own words (libm's round(), a division at every step, printf) on
 *     doubles of random bits, decimals of 1 to 17 digits, and the edges of
 *     the rule's steps; and ctl_write_float's text is that text (".0"
 *     after an integral one).
 *   - Strings: the run of plain bytes found sixteen at a time (SSE2) is
 *     the run found a byte at a time, at every alignment, and
 *     ctl_write_string escapes what JSON needs.
 * Deterministic: a fixed seed (CTL_WRITER_SEED overrides it). */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/gen.h"

#include "../check.h"
#include "base/strtod.h"
#include "codec/plain_run.h"
#include "common/float_text.h"

static uint64_t state;

static uint64_t next(void)
{
    /* xorshift64* */
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 2685821657736338717ull;
}

static long fast_hits, compared, agreed;

/* Step 1 of the rule (common/float_text.h) in its own words: libm's
 * round(), a division at every k, printf for the digits. */
static int rule_step1(char *out, double v)
{
    double a = fabs(v);
    if (!(a >= 1e-5 && a < 1e15))
        return 0;
    for (int k = 0; k < 16; k++) {
        double p = pow(10, k), m = round(v * p);
        if (fabs(m) >= 9007199254740992.0)
            return 0;
        if (m / p != v)
            continue;
        char digits[24];
        int nd = snprintf(digits, sizeof digits, "%0*lld", k + 1, (long long)fabs(m));
        return snprintf(out, CTLI_FLOAT_TEXT_MAX, "%s%.*s%s%.*s", v < 0 ? "-" : "", nd - k, digits, k ? "." : "",
                        k, digits + nd - k);
    }
    return 0;
}

/* The digits of a text without an exponent, less its leading zeros. */
static int significant_digits(const char *t)
{
    int n = 0;
    bool leading = true;
    for (; *t; t++) {
        if (*t < '0' || *t > '9')
            continue;
        leading = leading && *t == '0';
        n += !leading;
    }
    return n;
}

/* v's text by ctli_float_text (and its step 1 alone) and by the words of
 * the rule: the same. Where step 1 applies to a decimal of at most 15
 * digits from 1e-4 up, printf's text is the same too (the header says
 * so). */
static void check_float(double v)
{
    char fast[CTLI_FLOAT_TEXT_MAX], rule[CTLI_FLOAT_TEXT_MAX], g[CTLI_FLOAT_TEXT_MAX];
    int s = ctli_float_text_short(fast, v);
    int w = rule_step1(rule, v);
    compared++;
    CHECK(s == w && (s == 0 || memcmp(fast, rule, (size_t)s + 1) == 0), "%.17g: step 1 \"%s\", in words \"%s\"", v,
          s ? fast : "", w ? rule : "");
    fast_hits += s > 0;
    if (!w)
        w = ctli_float_text_printf(rule, v, ctli_strtod_c);
    int n = ctli_float_text(fast, v, ctli_strtod_c);
    CHECK(n == w && memcmp(fast, rule, (size_t)n + 1) == 0, "%.17g: \"%s\", the rule \"%s\"", v, fast, rule);
    if (s && fabs(v) >= 1e-4 && significant_digits(fast) <= 15) {
        int gn = ctli_float_text_printf(g, v, ctli_strtod_c);
        CHECK(gn == s && memcmp(g, fast, (size_t)s) == 0, "%.17g: step 1 \"%s\", printf \"%s\"", v, fast, g);
        agreed++;
    }
}

static void check_write_float(double v)
{
    char rule[CTLI_FLOAT_TEXT_MAX + 2];
    int r = rule_step1(rule, v);
    if (!r)
        r = ctli_float_text_printf(rule, v, ctli_strtod_c);
    if (!strpbrk(rule, ".e"))
        memcpy(rule + r, ".0", 3), r += 2;
    ctl_buf b = CTL_BUF_INIT;
    CHECK(ctl_write_float(&b, v) == 0 && !b.failed, "ctl_write_float(%.17g)", v);
    CHECK(b.len == (size_t)r && memcmp(b.data, rule, (size_t)r) == 0, "ctl_write_float(%.17g): \"%.*s\", want \"%s\"",
          v, (int)b.len, b.data ? b.data : "", rule);
    ctl_buf_free(&b);
}

static void floats(void)
{
    /* The edges of the fast path, and around them. */
    static const double edges[] = { 1e-4, 0.0001234, 9007199254740991.0 / 1e3, 4503599627370497.0 / 1e2, 0.49999999999999994,
                                    4503599627370495.5 / 1e5, 1e15 / 3, 123456789012345.6, 1234567890123.4567, 9.9999e-5, 1e-5, 2.5e-5, 0.1, 0.5, 0.3, 0.1 + 0.2, 1.0, 49.25,
                                    0.175, 999999999999999.0, 99999999999999.9, 1e15, 1e15 - 1, 123456789012345.0,
                                    12345678901234.5, 1.2345678901234e-4, 9007199254740993.0, 0.0, -0.0, 5e-324,
                                    2.2250738585072014e-308, 1.7976931348623157e308, 1e21, 1e22, 3.14159,
                                    -2.5, -0.0001, 0.30000000000000004, 100.0, 1e14, 0.000999 };
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
        for (int d = -2; d <= 2; d++) {
            double v = edges[i];
            for (int k = 0; k < (d < 0 ? -d : d); k++)
                v = nextafter(v, d < 0 ? -INFINITY : INFINITY);
            if (!isfinite(v))
                continue;
            check_float(v);
            check_float(-v);
            check_write_float(v);
        }
    }
    /* Doubles of random bits (nan and inf left out: the fast path turns
     * them down, printf has its own words). */
    for (long i = 0; i < 1000000; i++) {
        uint64_t bits = next();
        double v;
        memcpy(&v, &bits, sizeof v);
        if (isfinite(v))
            check_float(v);
    }
    /* Decimals of 1 to 17 significant digits and 0 to 20 decimals: what
     * data holds, and where the fast path gives up. */
    long before = fast_hits;
    for (long i = 0; i < 2000000; i++) {
        int digits = 1 + (int)(next() % 17), decimals = (int)(next() % 21);
        uint64_t m = next() % (uint64_t)pow(10, digits);
        char text[64];
        snprintf(text, sizeof text, "%s%llue-%d", next() & 1 ? "-" : "", (unsigned long long)m, decimals);
        double v = ctli_strtod_c(text, NULL);
        check_float(v);
        if (i % 64 == 0)
            check_write_float(v);
    }
    /* The test means something only if the fast path took a good share. */
    CHECK(fast_hits - before > 600000, "the fast path took only %ld of 2,000,000 decimals", fast_hits - before);
    printf("floats: %ld compared, %ld by step 1 (%ld of them also printf's text)\n", compared, fast_hits, agreed);
}

static void plain_runs(void)
{
    /* Room for every alignment and run length, and a page of slack. */
    enum { room = 4096 };
    unsigned char *buf = aligned_alloc(64, room);
    CHECK(buf != NULL, "aligned_alloc");
    if (!buf)
        return;
    static const unsigned char stops[] = { 0, '"', '\\', 0x01, 0x1f, 0x80, 0xc3, 0xff }; /* 0x7f is plain */
    long runs = 0;
    for (int round = 0; round < 200000; round++) {
        size_t start = next() % 64, len = next() % 200;
        if (start + len + 1 >= room)
            continue;
        for (size_t i = 0; i < room - 1; i++)
            buf[i] = (unsigned char)(0x20 + next() % 0x5f); /* plain: 0x20 to 0x7e */
        buf[room - 1] = 0;
        /* Some stop bytes inside, and the end. */
        int extra = (int)(next() % 3);
        for (int e = 0; e < extra; e++)
            buf[start + next() % (len + 1)] = stops[next() % sizeof stops];
        buf[start + len] = stops[next() % sizeof stops];
        size_t want = ctli_plain_run_bytes(buf + start);
#if defined(CTLI_PLAIN_RUN_SSE2)
        size_t got = ctli_plain_run_sse2(buf + start);
        CHECK(got == want, "start %zu, len %zu: SSE2 run %zu, byte run %zu", start, len, got, want);
#endif
        CHECK(want <= len, "the byte run passed its stop");
        CHECK(ctli_plain_run(buf + start) == want, "ctli_plain_run");
        runs++;
    }
    free(buf);
#if defined(CTLI_PLAIN_RUN_SSE2)
    printf("plain runs: %ld compared (SSE2 and bytes)\n", runs);
#else
    printf("plain runs: %ld (bytes only: no SSE2 in this build)\n", runs);
#endif
}

static void strings(void)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        { "", "\"\"" },
        { "plain text that is longer than sixteen bytes, twice over", "\"plain text that is longer than sixteen bytes, twice over\"" },
        { "a\"b\\c\n\r\t\b\f", "\"a\\\"b\\\\c\\n\\r\\t\\b\\f\"" },
        { "\x01\x1f\x7f", "\"\\u0001\\u001f\x7f\"" },
        { "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 and on and on past sixteen", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 and on and on past sixteen\"" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ctl_buf b = CTL_BUF_INIT;
        size_t length = 0;
        CHECK(ctl_write_string_length(&b, cases[i].in, &length) == 0, "case %zu", i);
        CHECK(b.len == strlen(cases[i].out) && memcmp(b.data, cases[i].out, b.len) == 0, "case %zu: %.*s", i,
              (int)b.len, b.data ? b.data : "");
        ctl_buf_free(&b);
    }
    /* Invalid UTF-8, cut by the NUL or not: refused, nothing written. */
    static const char *const bad[] = { "ok \xc3", "ok \xc3(", "\xed\xa0\x80", "\xff", "a long plain run, then \xe2\x82" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ctl_buf b = CTL_BUF_INIT;
        CTL_BUF_LIT(&b, "x");
        CHECK(ctl_write_string(&b, bad[i]) == -1 && b.len == 1, "bad case %zu", i);
        ctl_buf_free(&b);
    }
    CHECK(ctl_write_string(NULL, "x") == -1, "NULL buffer");
    ctl_buf b = CTL_BUF_INIT;
    CHECK(ctl_write_string(&b, NULL) == -1 && b.len == 0, "NULL string");
    CHECK(ctl_write_float(&b, NAN) == -1 && ctl_write_float(&b, INFINITY) == -1 && b.len == 0, "non-finite");
    CHECK(ctl_write_float(NULL, 1.5) == 0, "a NULL buffer writes nothing, as ctl_buf_put");
    ctl_buf_free(&b);
}

int main(void)
{
    const char *seed = getenv("CTL_WRITER_SEED");
    state = seed ? strtoull(seed, NULL, 0) : 0x9e3779b97f4a7c15ull;
    if (!state)
        state = 1;
    printf("seed %#llx\n", (unsigned long long)state);
    floats();
    plain_runs();
    strings();
    printf("writer: %d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
