/* write.c: JSON text straight into a buffer, for generated writers.
 *
 * Strings are escaped as JSON requires (", \ and control characters) and
 * checked to be UTF-8; other characters pass as they are. Floats take the
 * shortest of %.15g, %.16g and %.17g that reads back to the same double. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ctl/gen.h"

#include "base/strtod.h"
#include "base/utf8.h"


bool ctl_buf_reserve(ctl_buf *b, size_t n)
{
    if (b->failed)
        return false;
    if (b->cap - b->len >= n)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len < n) {
        if (cap > SIZE_MAX / 2) {
            b->failed = true;
            return false;
        }
        cap *= 2;
    }
    char *data = realloc(b->data, cap);
    if (!data) {
        b->failed = true;
        return false;
    }
    b->data = data;
    b->cap = cap;
    return true;
}

void ctl_buf_free(ctl_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}

/* Bytes that need an escape: ", \ and the controls. */
static const unsigned char needs_escape[256] = {
    [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1, [0x07] = 1,
    [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1, [0x0e] = 1, [0x0f] = 1,
    [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1,
    [0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1, [0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1,
    ['"'] = 1, ['\\'] = 1,
};

int ctl_write_string(ctl_buf *b, const char *s)
{
    if (!s)
        return -1;
    size_t start = b->len;
    ctl_buf_putc(b, '"');
    const unsigned char *p = (const unsigned char *)s, *run = p;
    for (;;) {
        unsigned c = *p;
        if (c < 0x80 && !needs_escape[c]) {
            p++;
            continue;
        }
        if (c >= 0x80) {
            /* The NUL ends the string: a sequence cut by it is invalid. */
            size_t n = ctli_utf8_seq(p, p + strnlen((const char *)p, 4));
            if (n == 0) {
                b->len = start; /* nothing written */
                return -1;
            }
            p += n;
            continue;
        }
        ctl_buf_put(b, (const char *)run, (size_t)(p - run));
        if (c == 0)
            break;
        char esc[8];
        switch (c) {
        case '"': ctl_buf_put(b, "\\\"", 2); break;
        case '\\': ctl_buf_put(b, "\\\\", 2); break;
        case '\n': ctl_buf_put(b, "\\n", 2); break;
        case '\r': ctl_buf_put(b, "\\r", 2); break;
        case '\t': ctl_buf_put(b, "\\t", 2); break;
        case '\b': ctl_buf_put(b, "\\b", 2); break;
        case '\f': ctl_buf_put(b, "\\f", 2); break;
        default:
            snprintf(esc, sizeof esc, "\\u%04x", c);
            ctl_buf_put(b, esc, 6);
            break;
        }
        run = ++p;
    }
    ctl_buf_putc(b, '"');
    return 0;
}

void ctl_write_int(ctl_buf *b, int64_t v)
{
    char tmp[24];
    char *end = tmp + sizeof tmp, *p = end;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    ctl_buf_put(b, p, (size_t)(end - p));
}

/* Fast path for the common case, a value with a short decimal form: the
 * smallest k <= 15 with m = round(v * 10^k) below 2^53 and m / 10^k == v.
 * Both operands of that division are exact doubles and IEEE division rounds
 * correctly, as strtod does, so the text m/10^k reads back as v. Returns
 * false when v needs the general path. */
static bool write_short_decimal(ctl_buf *b, double v)
{
    static const double pow10[16] = { 1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
    double a = fabs(v);
    if (!(a >= 1e-5 && a < 1e15))
        return false;
    for (int k = 0; k < 16; k++) {
        double m = round(v * pow10[k]);
        if (fabs(m) >= 9007199254740992.0)
            return false;
        if (m / pow10[k] != v)
            continue;
        char digits[24], out[48];
        int nd = 0, n = 0;
        uint64_t u = (uint64_t)fabs(m);
        do {
            digits[nd++] = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        while (nd <= k)
            digits[nd++] = '0'; /* at least one digit before the point */
        if (v < 0)
            out[n++] = '-';
        for (int i = nd - 1; i >= 0; i--) {
            out[n++] = digits[i];
            if (i == k && k > 0)
                out[n++] = '.';
        }
        if (k == 0) {
            out[n++] = '.';
            out[n++] = '0';
        }
        ctl_buf_put(b, out, (size_t)n);
        return true;
    }
    return false;
}

int ctl_write_float(ctl_buf *b, double v)
{
    if (!isfinite(v))
        return -1;
    if (write_short_decimal(b, v))
        return 0;
    char tmp[40];
    int n = 0;
    for (int prec = 15; prec <= 17; prec++) {
        n = snprintf(tmp, sizeof tmp, "%.*g", prec, v);
        /* %g follows LC_NUMERIC; JSON wants a '.', whatever the locale. */
        for (int i = 0; i < n; i++)
            if (tmp[i] == ',')
                tmp[i] = '.';
        if (ctli_strtod_c(tmp, NULL) == v)
            break;
    }
    /* A float stays a float for readers that tell them apart (Python's
     * json reads "3" as an int, and "-0" as 0, losing the sign). */
    if (!memchr(tmp, '.', (size_t)n) && !memchr(tmp, 'e', (size_t)n) && n + 2 < (int)sizeof tmp) {
        tmp[n++] = '.';
        tmp[n++] = '0';
    }
    ctl_buf_put(b, tmp, (size_t)n);
    return 0;
}

void ctl_write_bool(ctl_buf *b, bool v)
{
    if (v)
        CTL_BUF_LIT(b, "true");
    else
        CTL_BUF_LIT(b, "false");
}

/* A cJSON tree as compact JSON, with libctl's number and string writers
 * (cJSON's own printer rounds numbers to 15 digits). */
static int write_tree(ctl_buf *b, const cJSON *v, int depth)
{
    if (depth > CTL_JSON_MAX_DEPTH)
        return -1;
    if (cJSON_IsNull(v)) {
        CTL_BUF_LIT(b, "null");
    } else if (cJSON_IsFalse(v)) {
        CTL_BUF_LIT(b, "false");
    } else if (cJSON_IsTrue(v)) {
        CTL_BUF_LIT(b, "true");
    } else if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        /* Integers print as integers, as they came in. */
        /* The range test comes first: casting a double outside int64 to
         * int64_t is undefined behaviour. */
        if (d >= -9007199254740992.0 && d <= 9007199254740992.0 && d == (double)(int64_t)d &&
            !(d == 0 && signbit(d)))
            ctl_write_int(b, (int64_t)d);
        else if (ctl_write_float(b, d))
            return -1;
    } else if (cJSON_IsString(v)) {
        if (ctl_write_string(b, v->valuestring))
            return -1;
    } else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
        bool object = cJSON_IsObject(v);
        ctl_buf_putc(b, object ? '{' : '[');
        for (const cJSON *c = v->child; c; c = c->next) {
            if (c != v->child)
                ctl_buf_putc(b, ',');
            if (object) {
                if (ctl_write_string(b, c->string))
                    return -1;
                ctl_buf_putc(b, ':');
            }
            if (write_tree(b, c, depth + 1))
                return -1;
        }
        ctl_buf_putc(b, object ? '}' : ']');
    } else {
        return -1; /* cJSON_Raw or an invalid node */
    }
    return 0;
}

int ctl_write_json(ctl_buf *b, const struct cJSON *v)
{
    if (!v) {
        CTL_BUF_LIT(b, "null");
        return 0;
    }
    size_t start = b->len;
    if (write_tree(b, v, 0)) {
        b->len = start;
        return -1;
    }
    return 0;
}
