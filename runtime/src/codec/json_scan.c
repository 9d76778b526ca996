/* codec/json_scan.c: the JSON scanner of libctl's readers; see json_scan.h.
 *
 * Strict RFC 8259. Strings are decoded into the arena (the output is never
 * longer than the input) with flags for what a typed reader refuses and the
 * grammar allows: raw bytes that are not UTF-8, \u0000, an unpaired
 * surrogate escape (read as U+FFFD). Numbers keep their text. */
#include <string.h>

#include "base/hex.h"
#include "base/utf8.h"
#include "codec/arena.h"
#include "codec/json_scan.h"

#define STR_(x) #x
#define STR(x) STR_(x)
const char ctli_scan_too_deep[] = "nested deeper than " STR(CTL_JSON_MAX_DEPTH) " levels, the reader's limit";

static const char no_memory[] = "out of memory (the invocation's memory limit, or malloc)";
static const char too_long[] = "a string longer than 4 GiB, the reader's limit";

bool ctli_scan_fail(ctl_cursor *r, const unsigned char *at, const char *message)
{
    /* A cursor without an error record (one a caller zeroed) still fails. */
    if (r->err && !r->err->message) {
        r->err->offset = (size_t)(at - r->start);
        r->err->message = message;
    }
    return false;
}

static int hex4(const unsigned char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        int h = ctli_hex_digit(p[i]);
        if (h < 0)
            return -1;
        v = v << 4 | h;
    }
    return v;
}

static size_t put_utf8(unsigned char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xc0 | cp >> 6);
        o[1] = (unsigned char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xe0 | cp >> 12);
        o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
        o[2] = (unsigned char)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (unsigned char)(0xf0 | cp >> 18);
    o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
    o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
    o[3] = (unsigned char)(0x80 | (cp & 0x3f));
    return 4;
}

bool ctli_scan_string(ctl_cursor *r, const char **out, uint32_t *outlen, uint8_t *flags)
{
    const unsigned char *q = r->p + 1;
    /* Fast path: find the closing quote; plain ASCII/UTF-8 without escapes
     * is copied as is. */
    const unsigned char *s = q;
    uint8_t fl = 0;
    for (;;) {
        s = ctli_scan_plain(s, r->end);
        if (s >= r->end || *s < 0x80)
            break;
        size_t n = ctli_utf8_seq(s, r->end);
        if (n == 0) {
            fl |= CTL_JSON_BAD_UTF8;
            n = 1;
        }
        s += n;
    }
    if (s >= r->end)
        return ctli_scan_fail(r, r->p, "unterminated string");
    if (*s == '"') {
        size_t n = (size_t)(s - q);
        if (n > UINT32_MAX)
            return ctli_scan_fail(r, r->p, too_long);
        if (out) {
            char *o = ctli_arena_alloc(r->arena, n + 1);
            if (!o)
                return ctli_scan_fail(r, r->p, no_memory);
            memcpy(o, q, n);
            o[n] = '\0';
            *out = o;
            *outlen = (uint32_t)n;
            *flags = fl;
        }
        r->p = s + 1;
        return true;
    }
    /* Slow path: escapes. The decoded text is never longer than the raw.
     * The scan for the closing quote stops at a control character (an
     * error anyway), so that it never reads past a NUL the text ends with
     * when len says more. */
    const unsigned char *e = s;
    while (e < r->end && *e != '"' && *e >= 0x20) {
        if (*e == '\\' && (++e >= r->end || *e < 0x20))
            break;
        e++;
    }
    if (e < r->end && *e < 0x20)
        return ctli_scan_fail(r, e, "control character in string");
    if (e >= r->end)
        return ctli_scan_fail(r, r->p, "unterminated string");
    size_t raw = (size_t)(e - q);
    if (raw > UINT32_MAX)
        return ctli_scan_fail(r, r->p, too_long);
    /* Only checked: the decoded bytes go to a scratch of 4, one code point
     * at a time. */
    unsigned char scratch[4], *o = scratch;
    if (out) {
        o = ctli_arena_alloc(r->arena, raw + 1);
        if (!o)
            return ctli_scan_fail(r, r->p, no_memory);
    }
    size_t n = (size_t)(s - q);
    if (out)
        memcpy(o, q, n);
    for (s = q + n; s < e;) {
        unsigned c = *s;
        if (c < 0x20)
            return ctli_scan_fail(r, s, "control character in string");
        if (c != '\\') {
            if (c >= 0x80) {
                size_t k = ctli_utf8_seq(s, e);
                if (k == 0) {
                    fl |= CTL_JSON_BAD_UTF8;
                    k = 1;
                }
                if (out)
                    memcpy(o + n, s, k);
                n += k;
                s += k;
            } else {
                if (out)
                    o[n] = (unsigned char)c;
                n++;
                s++;
            }
            continue;
        }
        unsigned char esc = s[1], put;
        switch (esc) {
        case '"': put = '"'; break;
        case '\\': put = '\\'; break;
        case '/': put = '/'; break;
        case 'b': put = '\b'; break;
        case 'f': put = '\f'; break;
        case 'n': put = '\n'; break;
        case 'r': put = '\r'; break;
        case 't': put = '\t'; break;
        case 'u': put = 0; break;
        default: return ctli_scan_fail(r, s, "invalid escape in string");
        }
        if (esc != 'u') {
            if (out)
                o[n] = put;
            n++;
            s += 2;
            continue;
        }
        int cp = e - s >= 6 ? hex4(s + 2) : -1;
        if (cp < 0)
            return ctli_scan_fail(r, s, "invalid \\u escape in string");
        s += 6;
        if (cp >= 0xd800 && cp <= 0xdbff) {
            int lo = e - s >= 6 && s[0] == '\\' && s[1] == 'u' ? hex4(s + 2) : -1;
            if (lo >= 0xdc00 && lo <= 0xdfff) {
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                s += 6;
            } else {
                fl |= CTL_JSON_LONE_SURROGATE;
                cp = 0xfffd;
            }
        } else if (cp >= 0xdc00 && cp <= 0xdfff) {
            fl |= CTL_JSON_LONE_SURROGATE;
            cp = 0xfffd;
        } else if (cp == 0) {
            fl |= CTL_JSON_HAS_NUL;
        }
        n += put_utf8(out ? o + n : scratch, (unsigned)cp);
    }
    if (out) {
        o[n] = '\0';
        *out = (const char *)o;
        *outlen = (uint32_t)n;
        *flags = fl;
    }
    r->p = e + 1;
    return true;
}

/* number = [ "-" ] int [ frac ] [ exp ] */
bool ctli_scan_number(ctl_cursor *r, const char **text, uint32_t *len)
{
    const unsigned char *s = r->p, *p = s;
    if (p < r->end && *p == '-')
        p++;
    if (p >= r->end)
        return ctli_scan_fail(r, s, "invalid number");
    if (*p == '0') {
        p++;
    } else if (*p >= '1' && *p <= '9') {
        while (p < r->end && *p >= '0' && *p <= '9')
            p++;
    } else {
        return ctli_scan_fail(r, s, "invalid number");
    }
    if (p < r->end && *p == '.') {
        p++;
        if (p >= r->end || *p < '0' || *p > '9')
            return ctli_scan_fail(r, s, "invalid number");
        while (p < r->end && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < r->end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < r->end && (*p == '+' || *p == '-'))
            p++;
        if (p >= r->end || *p < '0' || *p > '9')
            return ctli_scan_fail(r, s, "invalid number");
        while (p < r->end && *p >= '0' && *p <= '9')
            p++;
    }
    if ((size_t)(p - s) > UINT32_MAX)
        return ctli_scan_fail(r, s, "a number longer than 4 GiB, the reader's limit");
    *text = (const char *)s;
    *len = (uint32_t)(p - s);
    r->p = p;
    return true;
}

bool ctli_scan_literal(ctl_cursor *r, const char *word, size_t n)
{
    if (!ctli_scan_word_here(r, word, n))
        return ctli_scan_fail(r, r->p, "invalid literal");
    r->p += n;
    return true;
}

/* The members or items of the object or array at r->p, its brackets
 * included. */
static bool skip_container(ctl_cursor *r, bool object)
{
    if (++r->depth > CTL_JSON_MAX_DEPTH)
        return ctli_scan_fail(r, r->p, ctli_scan_too_deep);
    unsigned char close = object ? '}' : ']';
    r->p++;
    ctli_scan_ws(r);
    if (r->p < r->end && *r->p == close) {
        r->p++;
        r->depth--;
        return true;
    }
    for (;;) {
        if (object) {
            if (r->p >= r->end || *r->p != '"')
                return ctli_scan_fail(r, r->p, "expected a string key");
            if (!ctli_scan_string(r, NULL, NULL, NULL))
                return false;
            ctli_scan_ws(r);
            if (r->p >= r->end || *r->p != ':')
                return ctli_scan_fail(r, r->p, "expected ':'");
            r->p++;
            ctli_scan_ws(r);
        }
        if (!ctli_scan_skip(r))
            return false;
        ctli_scan_ws(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            ctli_scan_ws(r);
            continue;
        }
        if (r->p < r->end && *r->p == close) {
            r->p++;
            r->depth--;
            return true;
        }
        return ctli_scan_fail(r, r->p, object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

bool ctli_scan_skip(ctl_cursor *r)
{
    if (r->p >= r->end)
        return ctli_scan_fail(r, r->p, "unexpected end of text");
    const char *text;
    uint32_t len;
    switch (*r->p) {
    case '{': return skip_container(r, true);
    case '[': return skip_container(r, false);
    case '"': return ctli_scan_string(r, NULL, NULL, NULL);
    case 't': return ctli_scan_literal(r, "true", 4);
    case 'f': return ctli_scan_literal(r, "false", 5);
    case 'n': return ctli_scan_literal(r, "null", 4);
    default:
        if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9'))
            return ctli_scan_number(r, &text, &len);
        return ctli_scan_fail(r, r->p, "unexpected character");
    }
}
