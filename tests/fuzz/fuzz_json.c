/* fuzz_json.c: see fuzz_json.h. Written from RFC 8259, not from libctl's
 * reader, so that the two can be compared. */
#include "fuzz_json.h"

#include <stdlib.h>
#include <string.h>

/* ---- UTF-8 -------------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned cp;
    if (c >= 0xc2 && c <= 0xdf)
        len = 2, cp = c & 0x1fu;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3, cp = c & 0x0fu;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4, cp = c & 0x07u;
    else
        return 0;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3fu);
    }
    static const unsigned min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (cp < min[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

bool fj_utf8_valid(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t k = utf8_len(s + i, n - i);
        if (!k)
            return false;
        i += k;
    }
    return true;
}

/* ---- the strict checker -------------------------------------------------------- */

typedef struct checker {
    const unsigned char *p, *end;
    int flags, max_depth, depth;
} checker;

static void ws(checker *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

static int hex(unsigned char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* The code unit of the \uXXXX at p (6 bytes available), or -1. */
static long u_escape(const unsigned char *p, const unsigned char *end)
{
    if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
        return -1;
    long v = 0;
    for (int i = 2; i < 6; i++) {
        int h = hex(p[i]);
        if (h < 0)
            return -1;
        v = v << 4 | h;
    }
    return v;
}

static bool check_string(checker *c)
{
    c->p++; /* the opening quote */
    while (c->p < c->end) {
        unsigned char ch = *c->p;
        if (ch == '"') {
            c->p++;
            return true;
        }
        if (ch < 0x20)
            return false;
        if (ch == '\\') {
            if (c->end - c->p < 2)
                return false;
            unsigned char e = c->p[1];
            if (e == 'u') {
                long u = u_escape(c->p, c->end);
                if (u < 0)
                    return false;
                c->p += 6;
                if (u >= 0xd800 && u <= 0xdbff) {
                    long lo = u_escape(c->p, c->end);
                    if (lo >= 0xdc00 && lo <= 0xdfff)
                        c->p += 6;
                    else if (c->flags & FJ_NO_SURROGATE)
                        return false;
                } else if (u >= 0xdc00 && u <= 0xdfff && (c->flags & FJ_NO_SURROGATE)) {
                    return false;
                }
                continue;
            }
            if (!strchr("\"\\/bfnrt", e) || e == 0)
                return false;
            c->p += 2;
            continue;
        }
        if (ch >= 0x80 && (c->flags & FJ_UTF8)) {
            size_t k = utf8_len(c->p, (size_t)(c->end - c->p));
            if (!k)
                return false;
            c->p += k;
            continue;
        }
        c->p++;
    }
    return false;
}

static bool digits(checker *c)
{
    const unsigned char *start = c->p;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
        c->p++;
    return c->p > start;
}

static bool check_number(checker *c)
{
    if (c->p < c->end && *c->p == '-')
        c->p++;
    if (c->p >= c->end)
        return false;
    if (*c->p == '0')
        c->p++;
    else if (*c->p >= '1' && *c->p <= '9')
        digits(c);
    else
        return false;
    if (c->p < c->end && *c->p == '.') {
        c->p++;
        if (!digits(c))
            return false;
    }
    if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
        c->p++;
        if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
            c->p++;
        if (!digits(c))
            return false;
    }
    return true;
}

static bool word(checker *c, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n) != 0)
        return false;
    c->p += n;
    return true;
}

static bool check_value(checker *c, fj_type *type)
{
    if (c->p >= c->end)
        return false;
    fj_type ignored;
    if (!type)
        type = &ignored;
    switch (*c->p) {
    case '{':
    case '[': {
        bool object = *c->p == '{';
        *type = object ? FJ_OBJECT : FJ_ARRAY;
        if (++c->depth > c->max_depth)
            return false;
        c->p++;
        ws(c);
        if (c->p < c->end && *c->p == (object ? '}' : ']')) {
            c->p++;
            c->depth--;
            return true;
        }
        for (;;) {
            if (object) {
                if (c->p >= c->end || *c->p != '"' || !check_string(c))
                    return false;
                ws(c);
                if (c->p >= c->end || *c->p != ':')
                    return false;
                c->p++;
                ws(c);
            }
            if (!check_value(c, NULL))
                return false;
            ws(c);
            if (c->p < c->end && *c->p == ',') {
                c->p++;
                ws(c);
                continue;
            }
            if (c->p < c->end && *c->p == (object ? '}' : ']')) {
                c->p++;
                c->depth--;
                return true;
            }
            return false;
        }
    }
    case '"':
        *type = FJ_STRING;
        return check_string(c);
    case 't':
        *type = FJ_TRUE;
        return word(c, "true");
    case 'f':
        *type = FJ_FALSE;
        return word(c, "false");
    case 'n':
        *type = FJ_NULL;
        return word(c, "null");
    default:
        *type = FJ_NUMBER;
        return check_number(c);
    }
}

int fj_validate(const unsigned char *s, size_t n, int flags, int max_depth, fj_type *root_type)
{
    checker c = { s, s + n, flags, max_depth, 0 };
    fj_type type = FJ_NULL;
    ws(&c);
    if (!check_value(&c, &type))
        return -1;
    ws(&c);
    if (c.p != c.end)
        return -1;
    if (root_type)
        *root_type = type;
    return 0;
}

/* ---- lossless trees ------------------------------------------------------------- */

static char *dup_bytes(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        if (n)
            memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

fj_node *fj_new(fj_type type, const char *text, size_t len)
{
    fj_node *node = calloc(1, sizeof *node);
    if (!node)
        return NULL;
    node->type = type;
    if (type == FJ_NUMBER || type == FJ_STRING) {
        node->text = dup_bytes(text ? text : "", text ? len : 0);
        node->len = text ? len : 0;
        if (!node->text) {
            free(node);
            return NULL;
        }
    }
    return node;
}

bool fj_set_text(fj_node *node, const char *text, size_t len)
{
    char *t = dup_bytes(text, len);
    if (!t)
        return false;
    free(node->text);
    node->text = t;
    node->len = len;
    return true;
}

bool fj_set_key(fj_node *node, const char *key, size_t len)
{
    char *k = dup_bytes(key, len);
    if (!k)
        return false;
    free(node->key);
    node->key = k;
    node->key_len = len;
    return true;
}

void fj_free(fj_node *node)
{
    if (!node)
        return;
    for (size_t i = 0; i < node->n; i++)
        fj_free(node->kids[i]);
    free(node->kids);
    free(node->text);
    free(node->key);
    free(node);
}

bool fj_insert(fj_node *parent, size_t at, fj_node *kid)
{
    if (!kid)
        return false;
    if (parent->n == parent->cap) {
        size_t cap = parent->cap ? parent->cap * 2 : 4;
        fj_node **kids = realloc(parent->kids, cap * sizeof *kids);
        if (!kids) {
            fj_free(kid);
            return false;
        }
        parent->kids = kids;
        parent->cap = cap;
    }
    if (at > parent->n)
        at = parent->n;
    memmove(parent->kids + at + 1, parent->kids + at, (parent->n - at) * sizeof *parent->kids);
    parent->kids[at] = kid;
    parent->n++;
    return true;
}

fj_node *fj_remove(fj_node *parent, size_t at)
{
    fj_node *kid = parent->kids[at];
    memmove(parent->kids + at, parent->kids + at + 1, (parent->n - at - 1) * sizeof *parent->kids);
    parent->n--;
    return kid;
}

fj_node *fj_copy(const fj_node *node)
{
    fj_node *c = fj_new(node->type, node->text, node->len);
    if (!c)
        return NULL;
    if (node->key && !fj_set_key(c, node->key, node->key_len)) {
        fj_free(c);
        return NULL;
    }
    for (size_t i = 0; i < node->n; i++) {
        if (!fj_insert(c, c->n, fj_copy(node->kids[i]))) {
            fj_free(c);
            return NULL;
        }
    }
    return c;
}

typedef struct parser {
    const char *p, *end;
    int depth;
} parser;

static void pws(parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

/* The raw text of the string at ps->p (on its quote). */
static bool raw_string(parser *ps, const char **text, size_t *len)
{
    const char *s = ++ps->p;
    while (ps->p < ps->end && *ps->p != '"') {
        if (*ps->p == '\\')
            ps->p++;
        ps->p++;
    }
    if (ps->p >= ps->end)
        return false;
    *text = s;
    *len = (size_t)(ps->p - s);
    ps->p++;
    return true;
}

static fj_node *parse_value(parser *ps)
{
    pws(ps);
    if (ps->p >= ps->end || ps->depth > 1000)
        return NULL;
    char ch = *ps->p;
    if (ch == '{' || ch == '[') {
        bool object = ch == '{';
        fj_node *node = fj_new(object ? FJ_OBJECT : FJ_ARRAY, NULL, 0);
        if (!node)
            return NULL;
        ps->p++;
        ps->depth++;
        pws(ps);
        if (ps->p < ps->end && *ps->p == (object ? '}' : ']')) {
            ps->p++;
            ps->depth--;
            return node;
        }
        for (;;) {
            const char *key = NULL;
            size_t key_len = 0;
            if (object) {
                pws(ps);
                if (ps->p >= ps->end || *ps->p != '"' || !raw_string(ps, &key, &key_len))
                    goto fail;
                pws(ps);
                if (ps->p >= ps->end || *ps->p != ':')
                    goto fail;
                ps->p++;
            }
            fj_node *kid = parse_value(ps);
            if (!kid)
                goto fail;
            if (object && !fj_set_key(kid, key, key_len)) {
                fj_free(kid);
                goto fail;
            }
            if (!fj_insert(node, node->n, kid))
                goto fail;
            pws(ps);
            if (ps->p < ps->end && *ps->p == ',') {
                ps->p++;
                continue;
            }
            if (ps->p < ps->end && *ps->p == (object ? '}' : ']')) {
                ps->p++;
                ps->depth--;
                return node;
            }
            goto fail;
        }
    fail:
        fj_free(node);
        return NULL;
    }
    if (ch == '"') {
        const char *text;
        size_t len;
        if (!raw_string(ps, &text, &len))
            return NULL;
        return fj_new(FJ_STRING, text, len);
    }
    static const struct {
        const char *word;
        fj_type type;
    } words[] = { { "true", FJ_TRUE }, { "false", FJ_FALSE }, { "null", FJ_NULL } };
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(words[i].word);
        if ((size_t)(ps->end - ps->p) >= n && memcmp(ps->p, words[i].word, n) == 0) {
            ps->p += n;
            return fj_new(words[i].type, NULL, 0);
        }
    }
    const char *s = ps->p;
    while (ps->p < ps->end && strchr("-+.0123456789eE", *ps->p) && *ps->p)
        ps->p++;
    if (ps->p == s)
        return NULL;
    return fj_new(FJ_NUMBER, s, (size_t)(ps->p - s));
}

fj_node *fj_parse(const char *s, size_t n)
{
    parser ps = { s, s + n, 0 };
    fj_node *root = parse_value(&ps);
    if (!root)
        return NULL;
    pws(&ps);
    if (ps.p != ps.end) {
        fj_free(root);
        return NULL;
    }
    return root;
}

void fj_buf_put(fj_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->cap - b->len < n) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap - b->len < n)
            cap *= 2;
        char *data = realloc(b->data, cap);
        if (!data) {
            b->failed = true;
            return;
        }
        b->data = data;
        b->cap = cap;
    }
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
}

void fj_buf_free(fj_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

#define PUT_LIT(b, lit) fj_buf_put((b), (lit), sizeof(lit) - 1)

void fj_print(fj_buf *b, const fj_node *node, bool spaced)
{
    switch (node->type) {
    case FJ_NULL: PUT_LIT(b, "null"); return;
    case FJ_FALSE: PUT_LIT(b, "false"); return;
    case FJ_TRUE: PUT_LIT(b, "true"); return;
    case FJ_NUMBER: fj_buf_put(b, node->text, node->len); return;
    case FJ_STRING:
        PUT_LIT(b, "\"");
        fj_buf_put(b, node->text, node->len);
        PUT_LIT(b, "\"");
        return;
    case FJ_ARRAY:
    case FJ_OBJECT: {
        bool object = node->type == FJ_OBJECT;
        fj_buf_put(b, object ? "{" : "[", 1);
        for (size_t i = 0; i < node->n; i++) {
            if (i)
                fj_buf_put(b, spaced ? ",\n " : ",", spaced ? 3 : 1);
            else if (spaced)
                PUT_LIT(b, " ");
            if (object) {
                PUT_LIT(b, "\"");
                fj_buf_put(b, node->kids[i]->key ? node->kids[i]->key : "", node->kids[i]->key_len);
                fj_buf_put(b, spaced ? "\" : " : "\":", spaced ? 4 : 2);
            }
            fj_print(b, node->kids[i], spaced);
        }
        if (spaced)
            PUT_LIT(b, "\t\r\n");
        fj_buf_put(b, object ? "}" : "]", 1);
        return;
    }
    }
}

/* ---- strings ------------------------------------------------------------------------ */

static size_t put_cp(char *o, unsigned long cp)
{
    unsigned char *u = (unsigned char *)o;
    if (cp < 0x80) {
        u[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        u[0] = (unsigned char)(0xc0 | cp >> 6);
        u[1] = (unsigned char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        u[0] = (unsigned char)(0xe0 | cp >> 12);
        u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
        u[2] = (unsigned char)(0x80 | (cp & 0x3f));
        return 3;
    }
    u[0] = (unsigned char)(0xf0 | cp >> 18);
    u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
    u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
    u[3] = (unsigned char)(0x80 | (cp & 0x3f));
    return 4;
}

int fj_decode(const char *raw, size_t n, char *out, size_t *outlen)
{
    const unsigned char *p = (const unsigned char *)raw, *end = p + n;
    size_t o = 0;
    int flags = 0;
    while (p < end) {
        if (*p != '\\') {
            if (*p < 0x20)
                flags |= FJ_DEC_CONTROL;
            if (*p >= 0x80) {
                size_t k = utf8_len(p, (size_t)(end - p));
                if (!k) {
                    flags |= FJ_DEC_BAD_UTF8;
                    k = 1;
                }
                memcpy(out + o, p, k);
                o += k;
                p += k;
                continue;
            }
            out[o++] = (char)*p++;
            continue;
        }
        if (end - p < 2) {
            flags |= FJ_DEC_BAD_ESCAPE;
            break;
        }
        const char *simple = "\"\"\\\\//b\bf\fn\nr\rt\t";
        const char *hit = NULL;
        for (const char *q = simple; *q; q += 2)
            if ((unsigned char)*q == p[1])
                hit = q;
        if (hit) {
            out[o++] = hit[1];
            p += 2;
            continue;
        }
        long u = u_escape(p, end);
        if (u < 0) {
            flags |= FJ_DEC_BAD_ESCAPE;
            p += 2;
            continue;
        }
        p += 6;
        unsigned long cp = (unsigned long)u;
        if (u >= 0xd800 && u <= 0xdbff) {
            long lo = u_escape(p, end);
            if (lo >= 0xdc00 && lo <= 0xdfff) {
                cp = 0x10000 + ((unsigned long)(u - 0xd800) << 10) + (unsigned long)(lo - 0xdc00);
                p += 6;
            } else {
                flags |= FJ_DEC_SURROGATE;
                cp = 0xfffd;
            }
        } else if (u >= 0xdc00 && u <= 0xdfff) {
            flags |= FJ_DEC_SURROGATE;
            cp = 0xfffd;
        } else if (u == 0) {
            flags |= FJ_DEC_NUL;
        }
        o += put_cp(out + o, cp);
    }
    out[o] = '\0';
    *outlen = o;
    return flags;
}
