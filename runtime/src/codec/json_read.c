/* codec/json_read.c: the strict JSON reader; see ctl/json.h.
 *
 * Recursive descent over the whole text, depth-limited. Strings are decoded
 * into the arena (the output is never longer than the input); numbers keep
 * their text, checked against the JSON number grammar. */
#include <string.h>

#include "ctl/json.h"

#include "base/hex.h"
#include "base/utf8.h"
#include "codec/arena.h"
#include "codec/json_read.h"

#define STR_(x) #x
#define STR(x) STR_(x)
static const char too_deep[] = "nested deeper than " STR(CTL_JSON_MAX_DEPTH) " levels, the reader's limit";

bool ctli_json_too_deep(const ctl_json_error *err)
{
    return err && err->message == too_deep;
}

typedef struct reader {
    const unsigned char *p, *end, *start;
    ctl_arena *arena;
    ctl_json_error *err;
    int depth;
} reader;

static ctl_json *fail(reader *r, const unsigned char *at, const char *message)
{
    if (!r->err->message) {
        r->err->offset = (size_t)(at - r->start);
        r->err->message = message;
    }
    return NULL;
}

static void skip_ws(reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
        r->p++;
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

/* Reads the string at r->p (on the opening quote). */
static bool read_string(reader *r, const char **out, uint32_t *outlen, uint8_t *flags)
{
    const unsigned char *q = r->p + 1;
    /* Fast path: find the closing quote; plain ASCII/UTF-8 without escapes
     * is copied as is. */
    const unsigned char *s = q;
    uint8_t fl = 0;
    while (s < r->end && *s != '"' && *s != '\\' && *s >= 0x20) {
        if (*s >= 0x80) {
            size_t n = ctli_utf8_seq(s, r->end);
            if (n == 0) {
                fl |= CTL_JSON_BAD_UTF8;
                n = 1;
            }
            s += n;
        } else {
            s++;
        }
    }
    if (s >= r->end)
        return fail(r, r->p, "unterminated string"), false;
    if (*s == '"') {
        size_t n = (size_t)(s - q);
        if (n > UINT32_MAX)
            return fail(r, r->p, "a string longer than 4 GiB, the reader's limit"), false;
        char *o = ctli_arena_alloc(r->arena, n + 1);
        if (!o)
            return fail(r, r->p, "out of memory (the invocation's memory limit, or malloc)"), false;
        memcpy(o, q, n);
        o[n] = '\0';
        *out = o;
        *outlen = (uint32_t)n;
        *flags = fl;
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
        return fail(r, e, "control character in string"), false;
    if (e >= r->end)
        return fail(r, r->p, "unterminated string"), false;
    size_t raw = (size_t)(e - q);
    if (raw > UINT32_MAX)
        return fail(r, r->p, "a string longer than 4 GiB, the reader's limit"), false;
    unsigned char *o = ctli_arena_alloc(r->arena, raw + 1);
    if (!o)
        return fail(r, r->p, "out of memory (the invocation's memory limit, or malloc)"), false;
    size_t n = (size_t)(s - q);
    memcpy(o, q, n);
    for (s = q + n; s < e;) {
        unsigned c = *s;
        if (c < 0x20)
            return fail(r, s, "control character in string"), false;
        if (c != '\\') {
            if (c >= 0x80) {
                size_t k = ctli_utf8_seq(s, e);
                if (k == 0) {
                    fl |= CTL_JSON_BAD_UTF8;
                    k = 1;
                }
                memcpy(o + n, s, k);
                n += k;
                s += k;
            } else {
                o[n++] = (unsigned char)c;
                s++;
            }
            continue;
        }
        unsigned char esc = s[1];
        switch (esc) {
        case '"': o[n++] = '"'; s += 2; continue;
        case '\\': o[n++] = '\\'; s += 2; continue;
        case '/': o[n++] = '/'; s += 2; continue;
        case 'b': o[n++] = '\b'; s += 2; continue;
        case 'f': o[n++] = '\f'; s += 2; continue;
        case 'n': o[n++] = '\n'; s += 2; continue;
        case 'r': o[n++] = '\r'; s += 2; continue;
        case 't': o[n++] = '\t'; s += 2; continue;
        case 'u': break;
        default: return fail(r, s, "invalid escape in string"), false;
        }
        int cp = e - s >= 6 ? hex4(s + 2) : -1;
        if (cp < 0)
            return fail(r, s, "invalid \\u escape in string"), false;
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
        n += put_utf8(o + n, (unsigned)cp);
    }
    o[n] = '\0';
    *out = (const char *)o;
    *outlen = (uint32_t)n;
    *flags = fl;
    r->p = e + 1;
    return true;
}

/* number = [ "-" ] int [ frac ] [ exp ] */
static bool read_number(reader *r, ctl_json *v)
{
    const unsigned char *s = r->p, *p = s;
    if (p < r->end && *p == '-')
        p++;
    if (p >= r->end)
        return fail(r, s, "invalid number"), false;
    if (*p == '0') {
        p++;
    } else if (*p >= '1' && *p <= '9') {
        while (p < r->end && *p >= '0' && *p <= '9')
            p++;
    } else {
        return fail(r, s, "invalid number"), false;
    }
    if (p < r->end && *p == '.') {
        p++;
        if (p >= r->end || *p < '0' || *p > '9')
            return fail(r, s, "invalid number"), false;
        while (p < r->end && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < r->end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < r->end && (*p == '+' || *p == '-'))
            p++;
        if (p >= r->end || *p < '0' || *p > '9')
            return fail(r, s, "invalid number"), false;
        while (p < r->end && *p >= '0' && *p <= '9')
            p++;
    }
    if ((size_t)(p - s) > UINT32_MAX)
        return fail(r, s, "a number longer than 4 GiB, the reader's limit"), false;
    v->type = CTL_JSON_NUMBER;
    v->str = (const char *)s;
    v->len = (uint32_t)(p - s);
    r->p = p;
    return true;
}

static bool read_value(reader *r, ctl_json *v);

static bool read_container(reader *r, ctl_json *v, bool object)
{
    if (++r->depth > CTL_JSON_MAX_DEPTH)
        return fail(r, r->p, too_deep), false;
    v->type = object ? CTL_JSON_OBJECT : CTL_JSON_ARRAY;
    unsigned char close = object ? '}' : ']';
    r->p++;
    skip_ws(r);
    if (r->p < r->end && *r->p == close) {
        r->p++;
        r->depth--;
        return true;
    }
    ctl_json **tail = &v->child;
    for (;;) {
        ctl_json *item = ctli_arena_alloc(r->arena, sizeof *item);
        if (!item)
            return fail(r, r->p, "out of memory (the invocation's memory limit, or malloc)"), false;
        memset(item, 0, sizeof *item);
        if (object) {
            if (r->p >= r->end || *r->p != '"')
                return fail(r, r->p, "expected a string key"), false;
            if (!read_string(r, &item->key, &item->key_len, &item->key_flags))
                return false;
            skip_ws(r);
            if (r->p >= r->end || *r->p != ':')
                return fail(r, r->p, "expected ':'"), false;
            r->p++;
            skip_ws(r);
        }
        if (!read_value(r, item))
            return false;
        if (v->len == UINT32_MAX)
            return fail(r, r->p, "more than 4294967295 items in one array or object, the reader's limit"), false;
        v->len++;
        *tail = item;
        tail = &item->next;
        skip_ws(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            skip_ws(r);
            continue;
        }
        if (r->p < r->end && *r->p == close) {
            r->p++;
            r->depth--;
            return true;
        }
        return fail(r, r->p, object ? "expected ',' or '}'" : "expected ',' or ']'"), false;
    }
}

static bool literal(reader *r, const char *word, size_t n)
{
    /* Byte by byte: never past the first byte that differs. */
    if ((size_t)(r->end - r->p) < n)
        return fail(r, r->p, "invalid literal"), false;
    for (size_t i = 0; i < n; i++)
        if (r->p[i] != (unsigned char)word[i])
            return fail(r, r->p, "invalid literal"), false;
    r->p += n;
    return true;
}

static bool read_value(reader *r, ctl_json *v)
{
    if (r->p >= r->end)
        return fail(r, r->p, "unexpected end of text"), false;
    switch (*r->p) {
    case '{':
        return read_container(r, v, true);
    case '[':
        return read_container(r, v, false);
    case '"':
        v->type = CTL_JSON_STRING;
        return read_string(r, &v->str, &v->len, &v->flags);
    case 't':
        v->type = CTL_JSON_TRUE;
        return literal(r, "true", 4);
    case 'f':
        v->type = CTL_JSON_FALSE;
        return literal(r, "false", 5);
    case 'n':
        v->type = CTL_JSON_NULL;
        return literal(r, "null", 4);
    default:
        if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9'))
            return read_number(r, v);
        return fail(r, r->p, "unexpected character"), false;
    }
}

ctl_json *ctl_json_parse(struct ctl_arena *arena, const char *text, size_t len, ctl_json_error *err)
{
    ctl_json_error ignored;
    if (!err)
        err = &ignored;
    err->offset = 0;
    err->message = NULL;
    if (!arena || (!text && len)) {
        err->message = !arena ? "no arena (NULL)" : "no text (NULL) for a length that is not 0";
        return NULL;
    }
    if (!text)
        text = "";
    /* A length past what memory can hold is a caller's mistake: refused
     * before a byte is read. */
    if (len > (size_t)PTRDIFF_MAX || (uintptr_t)text + len < (uintptr_t)text) {
        err->message = "the length is larger than memory";
        return NULL;
    }
    reader r = { (const unsigned char *)text, (const unsigned char *)text + len,
                 (const unsigned char *)text, arena, err, 0 };
    ctl_json *root = ctli_arena_alloc(arena, sizeof *root);
    if (!root) {
        fail(&r, r.p, "out of memory (the invocation's memory limit, or malloc)");
        return NULL;
    }
    memset(root, 0, sizeof *root);
    skip_ws(&r);
    if (!read_value(&r, root))
        return NULL;
    skip_ws(&r);
    if (r.p != r.end)
        return fail(&r, r.p, "text after the JSON value");
    return root;
}
