/* read.c: typed readers for generated code.
 *
 * Every mismatch names the JSON path of the value, in the words of fail.c.
 * Integers are read from the number's text, exactly (number.c). */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "base/strtod.h"
#include "base/utf8.h"
#include "codec/ctx.h"
#include "codec/fail.h"
#include "codec/number.h"

const ctl_path ctl_path_root = { NULL, NULL, 0, 0 };

static const char *type_name(const ctl_json *v)
{
    switch (v->type) {
    case CTL_JSON_NULL: return "null";
    case CTL_JSON_FALSE:
    case CTL_JSON_TRUE: return "boolean";
    case CTL_JSON_NUMBER: return "number";
    case CTL_JSON_STRING: return "string";
    case CTL_JSON_ARRAY: return "array";
    default: return "object";
    }
}

static int mismatch(ctl_ctx *ctx, const ctl_path *path, const ctl_json *v, const char *want)
{
    return ctli_fail_at(ctx, path, "expected %s, got %s", want, type_name(v));
}

int ctl_expect(ctl_ctx *ctx, const ctl_json *v, const ctl_path *path, ctl_json_type type)
{
    if (!v)
        return ctli_fail_usage(ctx, "ctl_expect", "v is NULL");
    if (v->type == type)
        return 0;
    return mismatch(ctx, path, v, type == CTL_JSON_OBJECT ? "object" : type == CTL_JSON_ARRAY ? "array" : "value");
}

static int check_string(ctl_ctx *ctx, const ctl_json *v, const ctl_path *path)
{
    if (v->flags & CTL_JSON_HAS_NUL)
        return ctli_fail_at(ctx, path, "string holds U+0000");
    if (v->flags & CTL_JSON_BAD_UTF8)
        return ctli_fail_at(ctx, path, "string is not valid UTF-8");
    if (v->flags & CTL_JSON_LONE_SURROGATE)
        return ctli_fail_at(ctx, path, "string holds an unpaired surrogate escape");
    return 0;
}

int ctl_read_string(ctl_ctx *ctx, const ctl_json *v, const ctl_path *path, const char **out)
{
    if (!v || !out)
        return ctli_fail_usage(ctx, "ctl_read_string", !v ? "v is NULL" : "out is NULL");
    if (v->type != CTL_JSON_STRING)
        return mismatch(ctx, path, v, "string");
    if (v->flags && check_string(ctx, v, path))
        return -1;
    *out = v->str;
    return 0;
}

int ctl_read_key(ctl_ctx *ctx, const ctl_json *m, const ctl_path *path, const char **out)
{
    if (!m || !out)
        return ctli_fail_usage(ctx, "ctl_read_key", !m ? "m is NULL" : "out is NULL");
    if (!m->key)
        return ctli_fail_usage(ctx, "ctl_read_key", "m is no member of an object (its key is NULL)");
    if (m->key_flags & CTL_JSON_HAS_NUL)
        return ctli_fail_at(ctx, path, "key holds U+0000");
    if (m->key_flags & CTL_JSON_BAD_UTF8)
        return ctli_fail_at(ctx, path, "key is not valid UTF-8");
    if (m->key_flags & CTL_JSON_LONE_SURROGATE)
        return ctli_fail_at(ctx, path, "key holds an unpaired surrogate escape");
    *out = m->key;
    return 0;
}

static int by_key(const void *a, const void *b)
{
    const ctl_json *x = *(const ctl_json *const *)a, *y = *(const ctl_json *const *)b;
    if (x->key_len != y->key_len)
        return x->key_len < y->key_len ? -1 : 1;
    return memcmp(x->key, y->key, x->key_len);
}

int ctl_check_unique_keys(ctl_ctx *ctx, const ctl_json *v, const ctl_path *path)
{
    if (!v)
        return ctli_fail_usage(ctx, "ctl_check_unique_keys", "v is NULL");
    if (v->type != CTL_JSON_OBJECT || v->len < 2)
        return 0;
    if (v->len <= 8) {
        /* Few keys: compare each pair. */
        for (const ctl_json *a = v->child; a; a = a->next)
            for (const ctl_json *b = v->child; b != a; b = b->next)
                if (a->key_len == b->key_len && memcmp(a->key, b->key, a->key_len) == 0) {
                    ctl_path p = { path, a->key, a->key_len, 0 };
                    return ctl_fail_duplicate(ctx, &p);
                }
        return 0;
    }
    /* Sorting, not hashing: O(n log n) whatever keys a hostile event picks
     * (glibc's qsort is a merge sort). */
    /* Without a ctx (a verdict only), the array comes from the heap. */
    const ctl_json **keys = ctx ? ctl_alloc_array(ctx, v->len, sizeof *keys) : calloc(v->len, sizeof *keys);
    if (!keys)
        return -1;
    size_t n = 0;
    for (const ctl_json *m = v->child; m && n < v->len; m = m->next)
        keys[n++] = m;
    qsort(keys, n, sizeof *keys, by_key);
    int rc = 0;
    for (size_t i = 1; i < n && rc == 0; i++)
        if (by_key(&keys[i - 1], &keys[i]) == 0) {
            ctl_path p = { path, keys[i]->key, keys[i]->key_len, 0 };
            rc = ctl_fail_duplicate(ctx, &p);
        }
    if (!ctx)
        free(keys);
    return rc;
}

int ctl_read_bool(ctl_ctx *ctx, const ctl_json *v, const ctl_path *path, bool *out)
{
    if (!v || !out)
        return ctli_fail_usage(ctx, "ctl_read_bool", !v ? "v is NULL" : "out is NULL");
    if (v->type == CTL_JSON_TRUE)
        *out = true;
    else if (v->type == CTL_JSON_FALSE)
        *out = false;
    else
        return mismatch(ctx, path, v, "boolean");
    return 0;
}

int ctl_read_int(ctl_ctx *ctx, const ctl_json *v, const ctl_path *path, int64_t *out)
{
    if (!v || !out)
        return ctli_fail_usage(ctx, "ctl_read_int", !v ? "v is NULL" : "out is NULL");
    if (v->type != CTL_JSON_NUMBER)
        return mismatch(ctx, path, v, "integer");
    switch (ctli_number_int(v->str, v->len, out)) {
    case CTLI_NUMBER_OK: return 0;
    case CTLI_NUMBER_FRACTION:
        return ctli_fail_at(ctx, path, "expected integer, got %.*s", v->len > 40 ? 40 : (int)v->len, v->str);
    default:
        return ctli_fail_at(ctx, path, "integer %.*s is out of the signed 64-bit range", v->len > 40 ? 40 : (int)v->len,
                            v->str);
    }
}

int ctl_read_float(ctl_ctx *ctx, const ctl_json *v, const ctl_path *path, double *out)
{
    if (!v || !out)
        return ctli_fail_usage(ctx, "ctl_read_float", !v ? "v is NULL" : "out is NULL");
    if (v->type != CTL_JSON_NUMBER)
        return mismatch(ctx, path, v, "number");
    char small[64];
    char *text = small;
    if (v->len >= sizeof small) {
        text = ctx ? ctl_alloc(ctx, (size_t)v->len + 1) : malloc((size_t)v->len + 1);
        if (!text)
            return -1;
    }
    memcpy(text, v->str, v->len);
    text[v->len] = '\0';
    double d = ctli_strtod_c(text, NULL);
    if (!ctx && text != small)
        free(text);
    if (!isfinite(d))
        return ctli_fail_at(ctx, path, "number %.*s is out of the range of a double", v->len > 40 ? 40 : (int)v->len,
                       v->str);
    *out = d;
    return 0;
}

/* What a cJSON node, and each key or string cJSON copies with malloc, takes
 * from the system: its bytes and glibc's chunk header, rounded up to a
 * chunk (a 64-byte node is an 80-byte chunk, a short string 32). The tree
 * is charged to the invocation's memory limit (ctli_arena_charge), so that
 * what serve reserves for a parse bounds a json field's tree too. */
static size_t malloc_cost(size_t n)
{
    size_t chunk = (n + 8 + 15) & ~(size_t)15;
    return chunk < 32 ? 32 : chunk;
}

static bool charge(ctl_ctx *ctx, const ctl_json *v, const ctl_path *path, bool object)
{
    size_t n = malloc_cost(sizeof(cJSON));
    if (v->type == CTL_JSON_STRING)
        n += malloc_cost((size_t)v->len + 1);
    if (object)
        n += malloc_cost((size_t)v->key_len + 1);
    if (ctli_arena_charge(&ctx->arena, n))
        return true;
    if (ctx->status == CTL_OK) {
        ctl_buf b = CTL_BUF_INIT;
        ctli_path_format(&b, path);
        ctli_ctx_error(ctx, CTL_ERR_NOMEM, NULL, "the json value at %.*s does not fit in the invocation's memory "
                       "limit of %zu KiB", b.failed ? 1 : (int)b.len, b.failed ? "$" : b.data,
                       ctx->arena.limit / 1024);
        ctl_buf_free(&b);
    }
    return false;
}

static cJSON *to_cjson(ctl_ctx *ctx, const ctl_json *v, const ctl_path *path, bool object_member)
{
    if (!charge(ctx, v, path, object_member))
        return NULL;
    switch (v->type) {
    case CTL_JSON_NULL: return cJSON_CreateNull();
    case CTL_JSON_FALSE: return cJSON_CreateFalse();
    case CTL_JSON_TRUE: return cJSON_CreateTrue();
    case CTL_JSON_NUMBER: {
        double d;
        if (ctl_read_float(ctx, v, path, &d))
            return NULL;
        return cJSON_CreateNumber(d);
    }
    case CTL_JSON_STRING:
        if (v->flags && check_string(ctx, v, path))
            return NULL;
        return cJSON_CreateString(v->str);
    default: {
        bool object = v->type == CTL_JSON_OBJECT;
        cJSON *out = object ? cJSON_CreateObject() : cJSON_CreateArray();
        if (!out)
            return NULL;
        uint32_t i = 0;
        for (const ctl_json *c = v->child; c; c = c->next, i++) {
            ctl_path p = { path, object ? c->key : NULL, c->key_len, i };
            const char *key;
            if (object && c->key_flags && ctl_read_key(ctx, c, &p, &key)) {
                cJSON_Delete(out);
                return NULL;
            }
            cJSON *item = to_cjson(ctx, c, &p, object);
            if (!item) {
                cJSON_Delete(out);
                return NULL;
            }
            if (object)
                cJSON_AddItemToObject(out, c->key, item);
            else
                cJSON_AddItemToArray(out, item);
        }
        return out;
    }
    }
}

int ctl_read_json(ctl_ctx *ctx, const ctl_json *v, const ctl_path *path, struct cJSON **out)
{
    /* The tree is the ctx's to delete: no ctx, no tree. */
    if (!ctx || !v || !out)
        return ctli_fail_usage(ctx, "ctl_read_json", !ctx ? "ctx is NULL" : !v ? "v is NULL" : "out is NULL");
    if (ctx->ntrees == ctx->cap_trees) {
        size_t cap = ctx->cap_trees ? ctx->cap_trees * 2 : 8;
        cJSON **trees = realloc(ctx->trees, cap * sizeof *trees);
        if (!trees)
            return ctli_ctx_error(ctx, CTL_ERR_NOMEM, NULL, "out of memory");
        ctx->trees = trees;
        ctx->cap_trees = cap;
    }
    cJSON *tree = to_cjson(ctx, v, path, false);
    if (!tree)
        return ctx->status != CTL_OK ? -1 : ctli_ctx_error(ctx, CTL_ERR_NOMEM, NULL, "out of memory");
    ctx->trees[ctx->ntrees++] = tree;
    *out = tree;
    return 0;
}

int ctl_fail_enum(ctl_ctx *ctx, const ctl_json *v, const ctl_path *path, const char *enum_name)
{
    if (!v || !enum_name)
        return ctli_fail_usage(ctx, "ctl_fail_enum", !v ? "v is NULL" : "enum_name is NULL");
    if (v->type != CTL_JSON_STRING)
        return mismatch(ctx, path, v, "string");
    if (v->flags && check_string(ctx, v, path))
        return -1;
    ctl_buf b = CTL_BUF_INIT;
    ctli_put_quoted(&b, v->str, v->len > 64 ? 64 : v->len);
    int rc = ctli_fail_at(ctx, path, "%.*s is not a member of enum %s", (int)b.len, b.data ? b.data : "", enum_name);
    ctl_buf_free(&b);
    return rc;
}

size_t ctl_utf8_count(const char *s, size_t n)
{
    if (!s)
        return 0;
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += ((unsigned char)s[i] & 0xc0) != 0x80;
    return count;
}
