/* write.c: JSON text straight into a buffer, for generated writers.
 *
 * Strings are escaped as JSON requires (", \ and control characters) and
 * checked to be UTF-8; other characters pass as they are. Floats take the
 * shortest of %.15g, %.16g and %.17g that reads back to the same double
 * (common/float_text.h, the rule ctlc's literals follow too).
 * What the generated writers cannot check inline (json values, map keys)
 * is checked here, with the readers' words (fail.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ctl/gen.h"

#include "base/strtod.h"
#include "base/utf8.h"
#include "common/float_text.h"
#include "codec/ctx.h"
#include "codec/fail.h"
#include "codec/plain_run.h"


/* Copies n bytes from src to dst: up to 16 inline, in two overlapping
 * pieces (no call for the short strings most fields hold), longer ones by
 * memcpy. */
static inline void copy_run(char *dst, const unsigned char *src, size_t n)
{
    if (n > 16) {
        memcpy(dst, src, n);
    } else if (n >= 8) {
        uint64_t head, tail;
        memcpy(&head, src, 8);
        memcpy(&tail, src + n - 8, 8);
        memcpy(dst, &head, 8);
        memcpy(dst + n - 8, &tail, 8);
    } else if (n >= 4) {
        uint32_t head, tail;
        memcpy(&head, src, 4);
        memcpy(&tail, src + n - 4, 4);
        memcpy(dst, &head, 4);
        memcpy(dst + n - 4, &tail, 4);
    } else if (n > 0) {
        dst[0] = (char)src[0];
        dst[n / 2] = (char)src[n / 2];
        dst[n - 1] = (char)src[n - 1];
    }
}

/* The JSON string of s; *length is set to its code points. Inlined into
 * both public writers, so that ctl_write_string, which drops the count,
 * pays nothing for it; the count costs the plain runs nothing either (it
 * is the bytes, less the continuation bytes of the rare multibyte ones).
 * Plain runs are found sixteen bytes a step (plain_run.h) and copied in
 * one piece. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline int write_string(ctl_buf *b, const char *s, size_t *length)
{
    static const char hex[] = "0123456789abcdef";
    if (!s || !b)
        return -1;
    const unsigned char *p = (const unsigned char *)s, *run = p;
    p += ctli_plain_run(p);
    if (*p == 0) {
        /* All plain, as most strings are: one check of room, the quotes
         * and the bytes. */
        size_t n = (size_t)(p - run);
        if (b->cap - b->len >= n + 2 || ctl_buf_reserve(b, n + 2)) {
            char *d = b->data + b->len;
            d[0] = '"';
            copy_run(d + 1, run, n);
            d[n + 1] = '"';
            b->len += n + 2;
        }
        *length = n;
        return 0;
    }
    size_t start = b->len, continuation = 0;
    ctl_buf_putc(b, '"');
    for (;; p += ctli_plain_run(p)) {
        unsigned c = *p;
        if (c >= 0x80) {
            /* The NUL ends the string: a sequence cut by it is invalid. */
            size_t n = ctli_utf8_seq(p, p + strnlen((const char *)p, 4));
            if (n == 0) {
                b->len = start; /* nothing written */
                return -1;
            }
            p += n;
            continuation += n - 1;
            continue;
        }
        ctl_buf_put(b, (const char *)run, (size_t)(p - run));
        if (c == 0)
            break;
        switch (c) {
        case '"': ctl_buf_put(b, "\\\"", 2); break;
        case '\\': ctl_buf_put(b, "\\\\", 2); break;
        case '\n': ctl_buf_put(b, "\\n", 2); break;
        case '\r': ctl_buf_put(b, "\\r", 2); break;
        case '\t': ctl_buf_put(b, "\\t", 2); break;
        case '\b': ctl_buf_put(b, "\\b", 2); break;
        case '\f': ctl_buf_put(b, "\\f", 2); break;
        default: {
            char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
            ctl_buf_put(b, esc, sizeof esc);
            break;
        }
        }
        run = ++p;
    }
    ctl_buf_putc(b, '"');
    *length = (size_t)(p - (const unsigned char *)s) - continuation;
    return 0;
}

int ctl_write_string(ctl_buf *b, const char *s)
{
    size_t length;
    return write_string(b, s, &length);
}

int ctl_write_string_length(ctl_buf *b, const char *s, size_t *length)
{
    size_t ignored;
    return write_string(b, s, length ? length : &ignored);
}

/* "00" to "99": two digits a step, half the divisions. */
static const char digit_pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                  "8081828384858687888990919293949596979899";

void ctl_write_int(ctl_buf *b, int64_t v)
{
    if (v >= 0 && v < 10) {
        ctl_buf_putc(b, (char)('0' + v));
        return;
    }
    char tmp[24];
    char *end = tmp + sizeof tmp, *p = end;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    while (u >= 100) {
        p -= 2;
        memcpy(p, digit_pairs + 2 * (u % 100), 2);
        u /= 100;
    }
    if (u >= 10) {
        p -= 2;
        memcpy(p, digit_pairs + 2 * u, 2);
    } else {
        *--p = (char)('0' + u);
    }
    if (v < 0)
        *--p = '-';
    ctl_buf_put(b, p, (size_t)(end - p));
}

int ctl_write_float(ctl_buf *b, double v)
{
    if (!isfinite(v))
        return -1;
    /* The text straight into the buffer. A buffer that failed stays failed
     * (its writer's caller sees `failed`), as with ctl_buf_put. */
    if (!b || (b->cap - b->len < CTLI_FLOAT_TEXT_MAX && !ctl_buf_reserve(b, CTLI_FLOAT_TEXT_MAX)))
        return 0;
    char *text = b->data + b->len;
    int n = ctli_float_text(text, v, ctli_strtod_c);
    /* A float stays a float for readers that tell them apart (Python's
     * json reads "3" as an int, and "-0" as 0, losing the sign). The
     * longest text is 24 bytes: the ".0" fits. */
    int i = 0;
    while (i < n && text[i] != '.' && text[i] != 'e')
        i++;
    if (i == n) {
        text[n++] = '.';
        text[n++] = '0';
    }
    b->len += (size_t)n;
    return 0;
}

void ctl_write_bool(ctl_buf *b, bool v)
{
    if (v)
        CTL_BUF_LIT(b, "true");
    else
        CTL_BUF_LIT(b, "false");
}

/* The containers around a value at path: the event (or result) object
 * counts for the root, and each step is inside one more. */
static int path_depth(const ctl_path *path)
{
    int n = 0;
    for (const ctl_path *p = path; p && p->up; p = p->up)
        n++;
    return n;
}

/* A cJSON tree as compact JSON, with libctl's number and string writers
 * (cJSON's own printer rounds numbers to 15 digits), checked as the reader
 * would check it: depth is the number of containers around v. */
static int write_tree(ctl_ctx *ctx, const cJSON *v, const ctl_path *path, int depth, ctl_buf *out)
{
    if (cJSON_IsNull(v)) {
        CTL_BUF_LIT(out, "null");
    } else if (cJSON_IsFalse(v)) {
        CTL_BUF_LIT(out, "false");
    } else if (cJSON_IsTrue(v)) {
        CTL_BUF_LIT(out, "true");
    } else if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        /* Integers print as integers, as they came in. The range test comes
         * first: casting a double outside int64 to int64_t is undefined. */
        if (d >= -9007199254740992.0 && d <= 9007199254740992.0 && d == (double)(int64_t)d &&
            !(d == 0 && signbit(d)))
            ctl_write_int(out, (int64_t)d);
        else if (ctl_write_float(out, d))
            return ctl_fail_float(ctx, path, d);
    } else if (cJSON_IsString(v)) {
        if (ctl_write_string(out, v->valuestring))
            return ctl_fail_string(ctx, path, v->valuestring);
    } else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
        if (depth + 1 > CTL_JSON_MAX_DEPTH)
            return ctli_fail_at(ctx, path, "nested deeper than %d levels, the limit of the reader", CTL_JSON_MAX_DEPTH);
        bool object = cJSON_IsObject(v);
        ctl_buf_putc(out, object ? '{' : '[');
        uint32_t i = 0;
        for (const cJSON *c = v->child; c; c = c->next, i++) {
            const char *key = object ? c->string : NULL;
            ctl_path p = { path, key, key ? (uint32_t)strlen(key) : 0, i };
            if (c != v->child)
                ctl_buf_putc(out, ',');
            if (object) {
                if (!key)
                    return ctli_fail_at(ctx, path, "member %u has no key", (unsigned)i);
                if (ctl_write_string(out, key))
                    return ctli_fail_at(ctx, &p, "key is not valid UTF-8");
                ctl_buf_putc(out, ':');
            }
            if (write_tree(ctx, c, &p, depth + 1, out))
                return -1;
        }
        ctl_buf_putc(out, object ? '}' : ']');
    } else {
        return ctli_fail_at(ctx, path, "a cJSON node that is no JSON value (cJSON_Raw or invalid)");
    }
    return 0;
}

int ctl_write_json(ctl_ctx *ctx, const struct cJSON *v, const ctl_path *path, ctl_buf *out)
{
    if (!out)
        return ctli_fail_usage(ctx, "ctl_write_json", "out is NULL");
    if (!v) {
        CTL_BUF_LIT(out, "null");
        return 0;
    }
    size_t start = out->len;
    if (write_tree(ctx, v, path, path_depth(path), out)) {
        out->len = start;
        return -1;
    }
    return 0;
}



/* ---- checks of maps and results ------------------------------------------------------ */

static const char *entry_key(const void *items, size_t i, size_t size)
{
    const char *key;
    memcpy(&key, (const char *)items + i * size, sizeof key);
    return key;
}

typedef struct keyed {
    const char *key;
    size_t index;
} keyed;

static int by_key(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

static int fail_key(ctl_ctx *ctx, const ctl_path *path, const char *key, size_t i, const char *what)
{
    ctl_path p = { path, key, (uint32_t)strlen(key), (uint32_t)i };
    return ctli_fail_at(ctx, &p, "%s", what);
}

int ctl_check_map_keys(ctl_ctx *ctx, const ctl_path *path, const void *items, size_t count, size_t size)
{
    if (count == 0)
        return 0;
    if (!items)
        return ctl_fail_items(ctx, path, count);
    /* Each entry starts with its key: smaller entries, or more than memory
     * holds, are a caller's mistake. */
    if (size < sizeof(const char *) || count > SIZE_MAX / size)
        return ctli_fail_usage(ctx, "ctl_check_map_keys",
                               size < sizeof(const char *) ? "an entry is smaller than its key pointer"
                                                           : "count * size overflows");
    for (size_t i = 0; i < count; i++)
        if (!entry_key(items, i, size))
            return ctli_fail_at(ctx, path, "entry %zu has no key (NULL)", i);
    if (count <= 8) {
        /* Few keys: compare each pair, as the reader does; the first bytes
         * first, which settles most pairs. */
        for (size_t i = 1; i < count; i++) {
            const char *a = entry_key(items, i, size);
            for (size_t k = 0; k < i; k++) {
                const char *b = entry_key(items, k, size);
                if (a[0] == b[0] && strcmp(a, b) == 0)
                    return fail_key(ctx, path, a, i, "duplicate key");
            }
        }
        return 0;
    }
    /* Sorting keeps it O(n log n); the later of two equal keys is reported,
     * as the reader reports the second. */
    keyed *sorted = malloc(count * sizeof *sorted);
    if (!sorted)
        return ctx ? ctli_ctx_error(ctx, CTL_ERR_NOMEM, NULL, "out of memory checking the keys of a map") : -1;
    for (size_t i = 0; i < count; i++)
        sorted[i] = (keyed){ entry_key(items, i, size), i };
    qsort(sorted, count, sizeof *sorted, by_key);
    size_t dup = count;
    for (size_t i = 1; i < count; i++)
        if (strcmp(sorted[i - 1].key, sorted[i].key) == 0 && sorted[i].index < dup)
            dup = sorted[i].index;
    free(sorted);
    if (dup < count)
        return fail_key(ctx, path, entry_key(items, dup, size), dup, "duplicate key");
    return 0;
}

int ctl_write_key(ctl_ctx *ctx, const char *key, const ctl_path *path, size_t index, ctl_buf *out)
{
    if (!out)
        return ctli_fail_usage(ctx, "ctl_write_key", "out is NULL");
    if (!key)
        return ctli_fail_at(ctx, path, "entry %zu has no key (NULL)", index);
    if (ctl_write_string(out, key))
        return fail_key(ctx, path, key, index, "key is not valid UTF-8");
    ctl_buf_putc(out, ':');
    return 0;
}

