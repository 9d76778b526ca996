/* codec/json_read.c: the strict JSON reader; see ctl/json.h.
 *
 * Recursive descent over the whole text, depth-limited, into a tree of
 * ctl_json nodes in the arena; the scanner (json_scan.c) reads each string,
 * number and literal. */
#include <string.h>

#include "ctl/json.h"

#include "codec/arena.h"
#include "codec/json_read.h"
#include "codec/json_scan.h"

bool ctli_json_too_deep(const ctl_json_error *err)
{
    return err && err->message == ctli_scan_too_deep;
}

typedef ctl_cursor reader;

static ctl_json *fail(reader *r, const unsigned char *at, const char *message)
{
    ctli_scan_fail(r, at, message);
    return NULL;
}

#define skip_ws ctli_scan_ws

static bool read_value(reader *r, ctl_json *v);

static bool read_container(reader *r, ctl_json *v, bool object)
{
    if (++r->depth > CTL_JSON_MAX_DEPTH)
        return fail(r, r->p, ctli_scan_too_deep), false;
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
            if (!ctli_scan_string(r, &item->key, &item->key_len, &item->key_flags))
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
        return ctli_scan_string(r, &v->str, &v->len, &v->flags);
    case 't':
        v->type = CTL_JSON_TRUE;
        return ctli_scan_literal(r, "true", 4);
    case 'f':
        v->type = CTL_JSON_FALSE;
        return ctli_scan_literal(r, "false", 5);
    case 'n':
        v->type = CTL_JSON_NULL;
        return ctli_scan_literal(r, "null", 4);
    default:
        if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9')) {
            v->type = CTL_JSON_NUMBER;
            return ctli_scan_number(r, &v->str, &v->len);
        }
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
    const unsigned char *bytes = (const unsigned char *)text;
    reader r = { .p = bytes, .end = bytes + len, .start = bytes, .arena = arena, .err = err };
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
