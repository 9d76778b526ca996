/* fuzz_dispatch_struct.c: structure-aware libFuzzer target for ctl_dispatch.
 *
 * The same test controller and invariants as fuzz_dispatch (see
 * dispatch_check.h), but inputs stay JSON: LLVMFuzzerCustomMutator parses
 * each input into a lossless tree (fuzz_json.h: number text, escaped string
 * text, duplicate keys and key order all survive), edits it where libctl's
 * readers make decisions, and prints it again:
 *
 *   - values change type (null, booleans, numbers, strings, [], {}) or are
 *     replaced by a copy of another subtree of the event;
 *   - numbers become boundary values: 9223372036854775807, ...808, -0, 1e308,
 *     1e309, 4.9e-324, 1.5, 1e2, digits past 2^53, the @range bounds, ...;
 *     or are nudged (a digit, a sign, ".0", "e-1");
 *   - strings become ones with escapes, U+0000, lone and paired surrogates,
 *     bytes that are not UTF-8, overlong forms, enum and function names,
 *     the @length bounds in bytes and code points; or are byte-mutated;
 *   - members are dropped, duplicated (same key), renamed, added under the
 *     spec's field names, swapped; arrays are grown and emptied;
 *   - values are nested deeper, also to just under, at and over libctl's
 *     nesting limit (CTL_JSON_MAX_DEPTH);
 *   - now and then the text is spaced out or byte-mutated, so that the
 *     reader's syntax errors stay covered.
 *
 * Inputs that do not parse are mutated bytewise (LLVMFuzzerMutate). Seeds:
 * tests/fuzz/seeds/dispatch (a valid event for every function of echo). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/json.h"
#include "dispatch_check.h"
#include "fuzz_json.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2, size_t size2,
                                 uint8_t *out, size_t max_out_size, unsigned int seed);

/* Built with FUZZ_MUTATOR_ONLY, this file is the mutator of another target
 * (fuzz_reader_diff) on the same events. */
#ifndef FUZZ_MUTATOR_ONLY
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    dispatch_check_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dispatch_check(data, size);
    return 0;
}
#endif

/* ---- randomness ------------------------------------------------------------------- */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t next(rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static size_t below(rng *r, size_t n)
{
    return n ? (size_t)(next(r) % n) : 0;
}

static bool one_in(rng *r, size_t n)
{
    return below(r, n) == 0;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(r, a) ((a)[below((r), COUNT(a))])

/* ---- the values that matter -------------------------------------------------------- */

static const char *const numbers[] = {
    "0", "-0", "1", "-1", "2", "3", "4", "7", "-7", "8", "9", "63", "64", "65", "100", "-100", "101", "-101",
    "2147483647", "2147483648", "-2147483649", "4294967296",
    "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
    "18446744073709551615", "18446744073709551616", "9007199254740992", "9007199254740993", "-9007199254740993",
    "92233720368547758070e-1", "922337203685477580.7e1", "9.223372036854775807e18", "9.223372036854775808e18",
    "-9.223372036854775808e18", "1e18", "1e19", "-1e19", "123456789012345678901234567890",
    "1e308", "-1e308", "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1e309",
    "-1e309", "1e-308", "2.2250738585072014e-308", "2.2250738585072011e-308", "4.9e-324", "5e-324", "2e-324",
    "1e-400", "-1e-400", "1e99999", "1e-99999", "1e100000", "1e2147483648",
    "1.5", "0.5", "0.4999999999999999", "0.49999999999999994", "1.5000000000000002", "1.4999999999999998",
    "0.1", "2.5", "1.0", "1.00", "-1.0", "0.0", "-0.0", "0e0", "-0e-0", "0E+0", "1e2", "1E+2", "1e-2", "100e-2",
    "1e0", "10e-1", "0.000000000000000000000000000000001e33", "100000000000000000000000000000000000000e-38",
    "1000000000000000000000000000000000000000000000000000000000000000000000000000000000e-81",
    "0.30000000000000004", "3.141592653589793", "1e-7", "123e-20", "5e-1",
};

/* Not JSON numbers: libctl must say InvalidJSON. */
static const char *const bad_numbers[] = {
    "1.", "01", "+1", "-", "1e", "1e+", ".5", "0x10", "NaN", "Infinity", "-Infinity", "1.5e3.2", "--1", "-01",
};

static const char *const strings[] = {
    "", "x", "a", "red", "green", "blue", "deep-blue", "deep_blue", "Red", "red ", " red", "DEEP-BLUE",
    "all", "tree", "flat", "fire", "fail", "ping", "function", "ALL", "al", "alll", "fire\\u0000",
    "\\u0000", "a\\u0000b", "\\u0000red", "\\ud800", "\\udc00", "\\ud800\\ud800", "\\udbff\\udfff",
    "\\ud83d\\ude00", "\\ud83d", "\\ude00\\ud83d", "\\ud800x", "\\uD834\\uDD1E", "\\ud800\\u0041",
    "\xc3\xa9", "\xf0\x9f\x98\x80", "\xe2\x82\xac", "\xff", "\xfe\xff", "\xc3\x28", "\xc0\xaf", "\xc1\xbf",
    "\xe0\x80\xaf", "\xed\xa0\x80", "\xed\xbf\xbf", "\xef\xbf\xbf", "\xf4\x8f\xbf\xbf", "\xf4\x90\x80\x80",
    "\xf5\x80\x80\x80", "\xe2\x82", "\x80", "a\xff" "b",
    "\\\"", "\\\\", "\\/", "\\b\\f\\n\\r\\t", "\\u001f", "\\u0001", "\\u007f", "\\u0080", "\\u00e9",
    "\\uFFFF", "\\uFEFF", "\\u2028", "\\u0022\\u005c", "%s%n%x%p", "$.v[0]", "\\\\u0000",
    "12345678", "123456789", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
    "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80"
    "\xf0\x9f\x98\x80\xf0\x9f\x98\x80",
    "\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "ctl.Custom", "test.FireFailed", "ctl.InvalidPayload", "",
};

/* Not JSON strings (raw text): libctl must say InvalidJSON. */
static const char *const bad_strings[] = {
    "\x01", "a\nb", "\x1f", "\\x41", "\\u12", "\\u12G4", "\\", "\\U0041", "\\'", "\t",
};

static const char *const keys[] = {
    "function", "v", "t", "s", "i", "f", "b", "j", "c", "inner", "ls", "li", "lf", "lb", "lc", "linner", "lls",
    "lj", "ms", "mi", "minner", "mls", "os", "oi", "of", "ob", "oj", "oc", "oinner", "ols", "oms", "wire-name",
    "renamed", "di", "df", "db", "dc", "ss", "ri", "rf", "lsmall", "mnonempty", "name", "n", "tags", "label",
    "kids", "id", "x", "error_type", "message",
    "", "k", "functio\\u006e", "\\u0066unction", "function\\u0000", "\\u0000", "a\\u0000b", "\xff", "a\xc3\x28",
    "\\ud800", "\\udc00", "\\ud83d\\ude00", "\\\"", "\\\\", "a.b", "0", "[0]", "$", "\xc3\xa9", "v ",
};

static const char *const function_names[] = { "all", "tree", "flat", "fire", "fail", "ping" };

/* ---- trees -------------------------------------------------------------------------- */

typedef struct slot {
    fj_node *node;
    fj_node *parent; /* NULL for the root */
    size_t index;
    int depth;       /* containers above the node */
} slot;

typedef struct slots {
    slot *items;
    size_t n, cap;
} slots;

static void collect(slots *s, fj_node *node, fj_node *parent, size_t index, int depth)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        slot *items = realloc(s->items, cap * sizeof *items);
        if (!items)
            return;
        s->items = items;
        s->cap = cap;
    }
    s->items[s->n++] = (slot){ node, parent, index, depth };
    for (size_t i = 0; i < node->n; i++)
        collect(s, node->kids[i], node, i, depth + 1);
}

static fj_node *new_string(const char *text)
{
    return fj_new(FJ_STRING, text, strlen(text));
}

static fj_node *new_number(const char *text)
{
    return fj_new(FJ_NUMBER, text, strlen(text));
}

/* A string of n copies of unit (n bounded). */
static fj_node *repeated_string(const char *unit, size_t n)
{
    size_t u = strlen(unit);
    char *s = malloc(u * n + 1);
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * u, unit, u);
    fj_node *node = fj_new(FJ_STRING, s, u * n);
    free(s);
    return node;
}

static fj_node *random_number(rng *r)
{
    if (one_in(r, 6)) {
        /* Long digit strings around the int64 and double limits. */
        static const size_t widths[] = { 17, 18, 19, 20, 31, 32, 33, 40, 310, 400 };
        size_t w = PICK(r, widths);
        char buf[420];
        size_t n = 0;
        if (one_in(r, 2))
            buf[n++] = '-';
        buf[n++] = (char)('1' + below(r, 9));
        for (size_t i = 1; i < w; i++)
            buf[n++] = one_in(r, 2) ? '0' : (char)('0' + below(r, 10));
        if (one_in(r, 3)) {
            static const char *const tails[] = { ".0", ".5", "e-1", "e-20", "e1", "E-400", ".000e0" };
            const char *t = PICK(r, tails);
            memcpy(buf + n, t, strlen(t));
            n += strlen(t);
        }
        return fj_new(FJ_NUMBER, buf, n);
    }
    return new_number(one_in(r, 24) ? PICK(r, bad_numbers) : PICK(r, numbers));
}

static fj_node *random_string(rng *r)
{
    switch (below(r, 8)) {
    case 0: return repeated_string(one_in(r, 2) ? "a" : "\xc3\xa9", 60 + below(r, 8));
    case 1: return repeated_string(one_in(r, 2) ? "\\u0041" : "\\ud83d\\ude00", 1 + below(r, 10));
    case 2: return new_string(PICK(r, function_names));
    case 3:
        if (one_in(r, 3))
            return new_string(PICK(r, bad_strings));
        /* fall through */
    default: return new_string(PICK(r, strings));
    }
}

static fj_node *random_scalar(rng *r)
{
    switch (below(r, 8)) {
    case 0: return fj_new(FJ_NULL, NULL, 0);
    case 1: return fj_new(FJ_TRUE, NULL, 0);
    case 2: return fj_new(FJ_FALSE, NULL, 0);
    case 3:
    case 4: return random_number(r);
    default: return random_string(r);
    }
}

static fj_node *keyed(fj_node *node, const char *key)
{
    if (node && !fj_set_key(node, key, strlen(key))) {
        fj_free(node);
        return NULL;
    }
    return node;
}

static fj_node *random_value(rng *r, const slots *all)
{
    switch (below(r, 10)) {
    case 0: return fj_new(FJ_ARRAY, NULL, 0);
    case 1: return fj_new(FJ_OBJECT, NULL, 0);
    case 2: {
        fj_node *a = fj_new(FJ_ARRAY, NULL, 0);
        if (a)
            fj_insert(a, 0, random_scalar(r));
        return a;
    }
    case 3: {
        fj_node *o = fj_new(FJ_OBJECT, NULL, 0);
        if (o)
            fj_insert(o, 0, keyed(random_scalar(r), PICK(r, keys)));
        return o;
    }
    case 4:
    case 5:
        if (all->n)
            return fj_copy(all->items[below(r, all->n)].node);
        return random_scalar(r);
    default: return random_scalar(r);
    }
}

/* Puts value where the slot's node is, keeping its key; frees the old node. */
static void replace(fj_node **root, const slot *s, fj_node *value)
{
    if (!value)
        return;
    if (s->node->key && !fj_set_key(value, s->node->key, s->node->key_len)) {
        fj_free(value);
        return;
    }
    if (s->parent)
        s->parent->kids[s->index] = value;
    else
        *root = value;
    fj_free(s->node);
}

static void nudge_number(rng *r, fj_node *node)
{
    char buf[512];
    size_t n = node->len < 400 ? node->len : 400;
    memcpy(buf, node->text, n);
    switch (below(r, 8)) {
    case 0: /* another digit */
        buf[n++] = (char)('0' + below(r, 10));
        break;
    case 1: /* flip the sign */
        if (n && buf[0] == '-') {
            memmove(buf, buf + 1, --n);
        } else {
            memmove(buf + 1, buf, n++);
            buf[0] = '-';
        }
        break;
    case 2: memcpy(buf + n, ".0", 2), n += 2; break;
    case 3: memcpy(buf + n, "e-1", 3), n += 3; break;
    case 4: memcpy(buf + n, "e1", 2), n += 2; break;
    case 5: /* the last digit up or down */
        if (n && buf[n - 1] >= '0' && buf[n - 1] <= '9')
            buf[n - 1] = (char)(buf[n - 1] == '9' ? '0' : buf[n - 1] + 1);
        break;
    case 6: /* drop the last character */
        if (n > 1)
            n--;
        break;
    default: n = 0; break;
    }
    if (n)
        fj_set_text(node, buf, n);
}

/* Byte mutation of a string's raw text. */
static void mutate_string_bytes(fj_node *node)
{
    size_t cap = node->len * 2 + 16;
    if (cap > 4096)
        cap = 4096;
    if (node->len > cap)
        return;
    uint8_t *buf = malloc(cap);
    if (!buf)
        return;
    memcpy(buf, node->text, node->len);
    size_t n = LLVMFuzzerMutate(buf, node->len, cap);
    /* An unescaped quote would end the string early: escape it away. */
    for (size_t i = 0; i < n; i++)
        if (buf[i] == '"')
            buf[i] = '\'';
    if (n && buf[n - 1] == '\\')
        buf[n - 1] = 'x';
    fj_set_text(node, (const char *)buf, n);
    free(buf);
}

/* Wraps the slot's node in k arrays, or in k objects {"k": ...}. */
static void wrap(fj_node **root, const slot *s, size_t k, bool object)
{
    fj_node *value = fj_copy(s->node);
    if (!value)
        return;
    free(value->key);
    value->key = NULL;
    value->key_len = 0;
    for (size_t i = 0; i < k && value; i++) {
        fj_node *w = fj_new(object ? FJ_OBJECT : FJ_ARRAY, NULL, 0);
        if (!w) {
            fj_free(value);
            return;
        }
        if (object && !fj_set_key(value, "k", 1)) {
            fj_free(value);
            fj_free(w);
            return;
        }
        if (!fj_insert(w, 0, value)) {
            fj_free(w);
            return;
        }
        value = w;
    }
    replace(root, s, value);
}

/* Containers on the longest path down from node, node included. */
static int height(const fj_node *node)
{
    int h = 0;
    for (size_t i = 0; i < node->n; i++) {
        int k = height(node->kids[i]);
        if (k > h)
            h = k;
    }
    return node->type == FJ_ARRAY || node->type == FJ_OBJECT ? h + 1 : 0;
}

static bool is_envelope(const slot *s, const fj_node *root)
{
    if (!s->parent)
        return true;
    return s->parent == root && s->node->key_len == 8 && memcmp(s->node->key, "function", 8) == 0;
}

/* One edit of the tree at a random place. */
static void mutate_once(rng *r, fj_node **root)
{
    slots all = { 0 };
    collect(&all, *root, NULL, 0, 0);
    if (!all.n) {
        free(all.items);
        return;
    }
    /* The envelope (the root object and its "function") is broken only now
     * and then: most edits should reach the payload readers. Small events
     * (ping's) grow instead. */
    slot s = all.items[below(r, all.n)];
    size_t op = below(r, 20);
    for (int tries = 0; tries < 4 && is_envelope(&s, *root) && !one_in(r, 8); tries++)
        s = all.items[below(r, all.n)];
    if (is_envelope(&s, *root) && !one_in(r, 4))
        op = one_in(r, 4) ? 17 : 8;
    fj_node *node = s.node;
    bool container = node->type == FJ_ARRAY || node->type == FJ_OBJECT;
    switch (op) {
    case 0:
    case 1: /* another type or value */
        replace(root, &s, random_value(r, &all));
        break;
    case 2:
    case 3: /* a number that matters */
        if (node->type == FJ_NUMBER && one_in(r, 2))
            nudge_number(r, node);
        else
            replace(root, &s, random_number(r));
        break;
    case 4:
    case 5: /* a string that matters */
        if (node->type == FJ_STRING && one_in(r, 3))
            mutate_string_bytes(node);
        else
            replace(root, &s, random_string(r));
        break;
    case 6: /* drop it */
        if (s.parent)
            fj_free(fj_remove(s.parent, s.index));
        break;
    case 7: /* duplicate it (the same key, right after or at the end) */
        if (s.parent)
            fj_insert(s.parent, one_in(r, 2) ? s.index + 1 : s.parent->n, fj_copy(node));
        break;
    case 8: /* a member under one of the spec's names */
    case 9: {
        fj_node *obj = node->type == FJ_OBJECT ? node : s.parent && s.parent->type == FJ_OBJECT ? s.parent : NULL;
        if (obj)
            fj_insert(obj, below(r, obj->n + 1), keyed(random_value(r, &all), PICK(r, keys)));
        break;
    }
    case 10: /* rename */
        if (node->key) {
            const char *k = PICK(r, keys);
            fj_set_key(node, k, strlen(k));
        }
        break;
    case 11: /* swap with a sibling */
        if (s.parent && s.parent->n > 1) {
            size_t j = below(r, s.parent->n);
            fj_node *t = s.parent->kids[j];
            s.parent->kids[j] = s.parent->kids[s.index];
            s.parent->kids[s.index] = t;
        }
        break;
    case 12: /* nest a little deeper */
        wrap(root, &s, 1 + below(r, 3), one_in(r, 2));
        break;
    case 13: { /* nest to just under, at or over the limit */
        int target = CTL_JSON_MAX_DEPTH - 1 + (int)below(r, 3);
        int k = target - s.depth - height(node);
        if (k > 0)
            wrap(root, &s, (size_t)k, one_in(r, 4));
        break;
    }
    case 14: /* grow an array (the @length bounds are 1 and 3) */
        if (node->type == FJ_ARRAY && node->n) {
            size_t want = one_in(r, 2) ? 2 + below(r, 3) : 8 + below(r, 60);
            fj_node *item = node->kids[below(r, node->n)];
            while (node->n < want)
                if (!fj_insert(node, node->n, fj_copy(item)))
                    break;
        } else if (node->type == FJ_ARRAY) {
            fj_insert(node, 0, random_value(r, &all));
        }
        break;
    case 15: /* empty a container */
        if (container)
            while (node->n)
                fj_free(fj_remove(node, node->n - 1));
        break;
    case 16: /* an array becomes an object and back, the members kept */
        if (container) {
            node->type = node->type == FJ_ARRAY ? FJ_OBJECT : FJ_ARRAY;
            for (size_t i = 0; i < node->n; i++) {
                fj_node *kid = node->kids[i];
                if (node->type == FJ_OBJECT) {
                    const char *k = PICK(r, keys);
                    fj_set_key(kid, k, strlen(k));
                } else {
                    free(kid->key);
                    kid->key = NULL;
                    kid->key_len = 0;
                }
            }
        }
        break;
    case 17: /* another function */
        if ((*root)->type == FJ_OBJECT) {
            for (size_t i = 0; i < (*root)->n; i++) {
                fj_node *m = (*root)->kids[i];
                if (m->key_len == 8 && memcmp(m->key, "function", 8) == 0) {
                    slot fs = { m, *root, i, 1 };
                    replace(root, &fs, new_string(PICK(r, function_names)));
                    break;
                }
            }
        }
        break;
    case 18: /* the payload of one function under another's name: move a
                member up to the root or down into a container */
        if (s.parent && (*root)->type == FJ_OBJECT && s.parent != *root) {
            fj_node *copy = fj_copy(node);
            if (copy && !copy->key)
                copy = keyed(copy, PICK(r, keys));
            fj_insert(*root, (*root)->n, copy);
        }
        break;
    default: /* a value of the same type from elsewhere in the event */
        for (int tries = 0; tries < 8; tries++) {
            const fj_node *other = all.items[below(r, all.n)].node;
            if (other != node && other->type == node->type) {
                replace(root, &s, fj_copy(other));
                break;
            }
        }
        break;
    }
    free(all.items);
}

/* The tree's text into out, when it fits; 0 otherwise. */
static size_t emit(rng *r, const fj_node *root, uint8_t *out, size_t max_size)
{
    fj_buf b = { 0 };
    fj_print(&b, root, one_in(r, 16));
    size_t n = 0;
    if (!b.failed && b.len <= max_size) {
        memcpy(out, b.data, b.len);
        n = b.len;
    }
    fj_buf_free(&b);
    return n;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    rng r = { seed * 0x2545f4914f6cdd1du + 1 };
    fj_node *root = fj_parse((const char *)data, size);
    if (!root) {
        /* Not JSON-shaped (a byte mutation of an earlier round, say). Mostly
         * mutate bytewise; sometimes start a fresh event. */
        if (!one_in(&r, 4) || max_size < 64)
            return LLVMFuzzerMutate(data, size, max_size);
        root = fj_new(FJ_OBJECT, NULL, 0);
        if (!root)
            return LLVMFuzzerMutate(data, size, max_size);
        fj_insert(root, 0, keyed(new_string(PICK(&r, function_names)), "function"));
    }
    for (int attempt = 0; attempt < 4; attempt++) {
        fj_node *work = fj_copy(root);
        if (!work)
            break;
        size_t edits = 1 + below(&r, 4);
        for (size_t i = 0; i < edits; i++)
            mutate_once(&r, &work);
        size_t n = emit(&r, work, data, max_size);
        fj_free(work);
        if (n) {
            fj_free(root);
            if (one_in(&r, 20))
                n = LLVMFuzzerMutate(data, n, max_size);
            return n;
        }
    }
    fj_free(root);
    return LLVMFuzzerMutate(data, size, max_size);
}

size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2, size_t size2,
                                 uint8_t *out, size_t max_out_size, unsigned int seed)
{
    rng r = { seed * 0x9e3779b97f4a7c15u + 7 };
    fj_node *a = fj_parse((const char *)data1, size1);
    fj_node *b = fj_parse((const char *)data2, size2);
    size_t n = 0;
    if (a && b) {
        /* A subtree of the second event in place of one of the first, or
         * added to one of its objects. */
        slots sa = { 0 }, sb = { 0 };
        collect(&sa, a, NULL, 0, 0);
        collect(&sb, b, NULL, 0, 0);
        if (sa.n && sb.n) {
            slot s = sa.items[below(&r, sa.n)];
            const fj_node *donor = sb.items[below(&r, sb.n)].node;
            fj_node *copy = fj_copy(donor);
            if (copy && s.node->type == FJ_OBJECT && donor->key && one_in(&r, 2)) {
                fj_insert(s.node, s.node->n, copy);
            } else if (copy) {
                free(copy->key);
                copy->key = NULL;
                copy->key_len = 0;
                replace(&a, &s, copy);
            }
            n = emit(&r, a, out, max_out_size);
        }
        free(sa.items);
        free(sb.items);
    }
    if (!n) {
        /* A plain splice: a prefix of one, a suffix of the other. */
        size_t i = below(&r, size1 + 1), j = below(&r, size2 + 1);
        if (i > max_out_size)
            i = max_out_size;
        size_t rest = size2 - j;
        if (rest > max_out_size - i)
            rest = max_out_size - i;
        if (i)
            memcpy(out, data1, i);
        if (rest)
            memcpy(out + i, data2 + j, rest);
        n = i + rest;
    }
    fj_free(a);
    fj_free(b);
    return n;
}
