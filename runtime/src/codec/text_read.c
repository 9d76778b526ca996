/* codec/text_read.c: the one-pass readers of generated code (ctl_cur_*,
 * ctl/gen.h): typed values read straight from an event's bytes, with the
 * checks of the tree's readers (read.c) and the scanner's grammar
 * (json_scan.c), and no tree.
 *
 * They answer only 0 (read) or -1 (not read) and set no error: an event
 * they refuse is read again by the tree reader, whose message is the answer
 * (dispatch.c). So a refusal here only has to be one the tree's readers
 * make too; tests/fuzz/fuzz_reader_diff.c holds both to that. */
#include <math.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "base/strtod.h"
#include "codec/arena.h"
#include "codec/ctx.h"
#include "codec/json_scan.h"
#include "codec/number.h"
#include "common/rules.h"

_Static_assert(sizeof((ctl_key *)0)->quoted == CTLI_RULE_KEY_QUOTED_MAX, "ctl_key.quoted is the rule's size");

static int open_container(ctl_cursor *c, unsigned char open, unsigned char close)
{
    if (c->p >= c->end || *c->p != open)
        return -1;
    if (++c->depth > CTL_JSON_MAX_DEPTH)
        return -1;
    c->p++;
    ctli_scan_ws(c);
    if (c->p < c->end && *c->p == close) {
        c->p++;
        c->depth--;
        ctli_scan_ws(c);
        return 0;
    }
    return 1;
}

int ctl_cur_object(ctl_cursor *c)
{
    return c ? open_container(c, '{', '}') : -1;
}

int ctl_cur_array(ctl_cursor *c)
{
    return c ? open_container(c, '[', ']') : -1;
}

int ctl_cur_more_scan(ctl_cursor *c, char close)
{
    if (!c)
        return -1;
    ctli_scan_ws(c);
    if (c->p < c->end && *c->p == ',') {
        c->p++;
        ctli_scan_ws(c);
        return 1;
    }
    if (c->p < c->end && *c->p == (unsigned char)close) {
        c->p++;
        c->depth--;
        ctli_scan_ws(c);
        return 0;
    }
    return -1;
}

/* The ':' after a key, and the whitespace around it. */
static int colon(ctl_cursor *c)
{
    ctli_scan_ws(c);
    if (c->p >= c->end || *c->p != ':')
        return -1;
    c->p++;
    ctli_scan_ws(c);
    return 0;
}

/* The string at c->p (on its quote) where it lies when it has no escapes
 * (len bytes, not terminated), else decoded into the arena (NUL-terminated;
 * *flags gets the scanner's flags, 0 in place: bytes in place are only
 * matched). */
static int string_here(ctl_cursor *c, const char **out, uint32_t *len, uint8_t *flags)
{
    if (c->p >= c->end || *c->p != '"')
        return -1;
    const unsigned char *q = c->p + 1;
    int n = ctli_plain_short(q, c->end, NULL);
    if (n >= 0 && n < 16 && q[n] == '"') {
        *out = (const char *)q;
        *len = (uint32_t)n;
        *flags = 0;
        c->p = q + n + 1;
        return 0;
    }
    const unsigned char *s = ctli_scan_plain(q, c->end);
    while (s < c->end && *s >= 0x80) /* bytes of UTF-8 (or not: only matched) */
        s = ctli_scan_plain(s + 1, c->end);
    if (s < c->end && *s == '"' && (size_t)(s - q) <= UINT32_MAX) {
        *out = (const char *)q;
        *len = (uint32_t)(s - q);
        *flags = 0;
        c->p = s + 1;
        return 0;
    }
    return ctli_scan_string(c, out, len, flags) ? 0 : -1;
}

/* A member's key and its ':' (the key points into the text or the arena;
 * valid for the invocation). */
static int read_key(ctl_cursor *c, const char **key, uint32_t *len)
{
    uint8_t flags;
    if (string_here(c, key, len, &flags))
        return -1;
    /* The event's "function" was read before its fields: twice is the
     * tree reader's "duplicate key". */
    if (c->depth == 1 && *len == 8 && memcmp(*key, "function", 8) == 0)
        return -1;
    return colon(c);
}

int ctl_cur_word(ctl_cursor *c, const char **out, uint32_t *len)
{
    uint8_t flags;
    if (!c || !out || !len || string_here(c, out, len, &flags) || flags)
        return -1;
    return 0;
}

int ctl_cur_field_scan(ctl_cursor *c, const ctl_key *keys, int n)
{
    const char *key;
    uint32_t len;
    if (!c || (!keys && n > 0) || read_key(c, &key, &len))
        return -1;
    for (int i = 0; i < n; i++)
        if (keys[i].len == len && memcmp(keys[i].name, key, len) == 0)
            return i;
    return n;
}

int ctl_cur_map_key(ctl_cursor *c, const char **out)
{
    /* A key is refused for what a string value is (U+0000, bytes that are
     * not UTF-8, an unpaired surrogate): read as one. */
    if (ctl_cur_string(c, out, NULL))
        return -1;
    return colon(c);
}

/* Whether c->str has room for a string of the left bytes of text after
 * its quote and 16 bytes more (ctli_copy_plain's and ctli_plain_short's
 * overrun). Kept while the cursor reads forward, since each string takes
 * no more of it than of the text. */
static inline bool string_fits(const ctl_cursor *c, size_t left)
{
    return c->str && (size_t)(c->str_end - c->str) >= left + 16;
}

/* string_fits, or a new run of the arena (the event's first string, or the
 * cursor was moved back). */
static bool string_room(ctl_cursor *c, size_t left)
{
    if (string_fits(c, left))
        return true;
    if (left > SIZE_MAX / 2 || !(c->str = ctli_arena_alloc(c->arena, left + 16)))
        return false;
    c->str_end = c->str + left + 16;
    return true;
}

/* The n bytes just copied to c->str, the text of the string at q (after
 * its quote): terminated, taken, and the cursor past the closing quote. */
static inline int string_taken(ctl_cursor *c, const unsigned char *q, size_t n, const char **out, uint32_t *len)
{
    char *o = (char *)c->str;
    o[n] = '\0';
    c->str += n + 1;
    *out = o;
    if (len)
        *len = (uint32_t)n;
    c->p = q + n + 1;
    return 0;
}

/* ctl_cur_string's string with escapes or bytes past ASCII: the scanner's. */
CTLI_COLD static int string_decoded(ctl_cursor *c, const char **out, uint32_t *len)
{
    uint32_t n;
    uint8_t flags;
    if (!ctli_scan_string(c, out, &n, &flags) || flags)
        return -1;
    if (len)
        *len = n;
    return 0;
}

/* ctl_cur_string's string that is not short, or the event's first: copied
 * into c->str as it is found (ctli_copy_plain), or the scanner's. */
CTLI_NOINLINE static int string_long(ctl_cursor *c, const char **out, uint32_t *len)
{
    const unsigned char *q = c->p + 1;
    size_t left = (size_t)(c->end - q);
    if (!string_room(c, left))
        return -1;
    size_t bytes = ctli_copy_plain(q, c->end, c->str);
    if (bytes < left && q[bytes] == '"' && bytes < UINT32_MAX)
        return string_taken(c, q, bytes, out, len);
    return string_decoded(c, out, len);
}

int ctl_cur_string(ctl_cursor *c, const char **out, uint32_t *len)
{
    if (!c || !out || c->p >= c->end || *c->p != '"')
        return -1;
    /* ASCII without escapes goes to c->str: a string shorter than 32
     * bytes in one or two steps of 16 here, when c->str has the room
     * string_room keeps (the text left and 16 bytes more: the second step
     * is taken only after 16 plain bytes, so it too stays within it); the
     * rest in string_long. */
    const unsigned char *q = c->p + 1;
    if (string_fits(c, (size_t)(c->end - q))) {
        int n = ctli_plain_short(q, c->end, c->str);
        if (n == 16)
            n = (n = ctli_plain_short(q + 16, c->end, c->str + 16)) >= 0 ? 16 + n : -1;
        if (n >= 0 && n < 32 && q[n] == '"')
            return string_taken(c, q, (size_t)n, out, len);
    }
    return string_long(c, out, len);
}

/* The numbers that are not ctli_number_plain's (exponents, long or odd
 * ones) and the refusals: the scanner's grammar, then number.c's rules. */
CTLI_COLD static int int_scanned(ctl_cursor *c, int64_t *out)
{
    const char *text;
    uint32_t len;
    if (!c || !out || c->p >= c->end || (*c->p != '-' && (*c->p < '0' || *c->p > '9')) ||
        !ctli_scan_number(c, &text, &len))
        return -1;
    return ctli_number_int(text, len, out) == CTLI_NUMBER_OK ? 0 : -1;
}

int ctl_cur_int(ctl_cursor *c, int64_t *out)
{
    uint64_t digits;
    int frac;
    bool neg;
    const unsigned char *after;
    if (c && out && c->p < c->end && (after = ctli_number_plain(c->p, c->end, &digits, &frac, &neg)) && frac == 0) {
        *out = neg ? -(int64_t)digits : (int64_t)digits;
        c->p = after;
        return 0;
    }
    return int_scanned(c, out);
}

CTLI_COLD static int float_scanned(ctl_cursor *c, double *out)
{
    const char *text;
    uint32_t len;
    if (!c || !out || c->p >= c->end || (*c->p != '-' && (*c->p < '0' || *c->p > '9')) ||
        !ctli_scan_number(c, &text, &len))
        return -1;
    if (ctli_number_double_fast(text, len, out))
        return 0;
    /* strtod wants a terminated copy: on the stack, or in the arena for a
     * number of 64 bytes or more. */
    char small[64], *copy = small;
    if (len >= sizeof small && !(copy = ctli_arena_alloc(c->arena, (size_t)len + 1)))
        return -1;
    memcpy(copy, text, len);
    copy[len] = '\0';
    double d = ctli_strtod_c(copy, NULL);
    if (!isfinite(d))
        return -1;
    *out = d;
    return 0;
}

int ctl_cur_float(ctl_cursor *c, double *out)
{
    uint64_t digits;
    int frac;
    bool neg;
    const unsigned char *after;
    if (c && out && c->p < c->end && (after = ctli_number_plain(c->p, c->end, &digits, &frac, &neg))) {
        /* Clinger's fast path, as ctli_number_double_fast takes it. */
        double d = (double)digits / ctli_number_pow10[frac];
        *out = neg ? -d : d;
        c->p = after;
        return 0;
    }
    return float_scanned(c, out);
}

int ctl_cur_bool(ctl_cursor *c, bool *out)
{
    if (!c || !out)
        return -1;
    if (ctli_scan_word_here(c, "true", 4)) {
        *out = true;
        c->p += 4;
    } else if (ctli_scan_word_here(c, "false", 5)) {
        *out = false;
        c->p += 5;
    } else {
        return -1;
    }
    return 0;
}

bool ctl_cur_null(ctl_cursor *c)
{
    if (!c || !ctli_scan_word_here(c, "null", 4))
        return false;
    c->p += 4;
    return true;
}

int ctl_cur_skip(ctl_cursor *c)
{
    return c && ctli_scan_skip(c) ? 0 : -1;
}

int ctl_cur_json(ctl_ctx *ctx, ctl_cursor *c, struct cJSON **out)
{
    /* The value is checked whole where it lies (at its depth in the event),
     * then read by the tree reader and copied as the tree's readers copy
     * it: one rule for what a json field may hold. */
    const unsigned char *start = c ? c->p : NULL;
    if (!ctx || !c || !out || !ctli_scan_skip(c))
        return -1;
    ctl_json_error err;
    const ctl_json *v = ctl_json_parse(&ctx->arena, (const char *)start, (size_t)(c->p - start), &err);
    return v && ctl_read_json(ctx, v, &ctl_path_root, out) == 0 ? 0 : -1;
}

int ctl_cur_end(ctl_cursor *c)
{
    if (!c)
        return -1;
    ctli_scan_ws(c);
    return c->p == c->end ? 0 : -1;
}

void *ctl_cur_grow(ctl_ctx *ctx, void *items, size_t count, size_t *cap, size_t size)
{
    if (!ctx || !cap || size == 0 || (count && !items) || count > *cap)
        return NULL;
    size_t room = *cap ? *cap * 2 : 4, bytes;
    /* the product checked without a division (a list grows often) */
    if (room < count + 1 || __builtin_mul_overflow(room, size, &bytes))
        return NULL;
    /* In place when the items are the arena's last allocation (a list of
     * numbers); else a new run with the items copied. The new room is not
     * zeroed: the reader zeroes an item it needs zeroed. */
    char *grown = items;
    if (!items || !ctli_arena_extend(&ctx->arena, items, *cap * size, bytes)) {
        if (!(grown = ctli_arena_alloc(&ctx->arena, bytes)))
            return NULL;
        if (count)
            memcpy(grown, items, count * size);
    }
    *cap = room;
    return grown;
}
