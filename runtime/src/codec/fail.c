/* fail.c: the words readers and writers fail with (ctl/gen.h's ctl_fail_*).
 *
 * Every failure names the JSON path of the value ("$.leed.tags[3]"), and
 * bounds name the bound ("$.quality: 0 is outside 1..100"), so a stub that
 * refuses its arguments, a controller that refuses an event and one that
 * refuses its handler's result say the same thing. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/strtod.h"
#include "base/utf8.h"
#include "codec/ctx.h"
#include "codec/fail.h"

static bool plain_key(const char *k, uint32_t n)
{
    if (n == 0 || !((k[0] >= 'A' && k[0] <= 'Z') || (k[0] >= 'a' && k[0] <= 'z') || k[0] == '_'))
        return false;
    for (uint32_t i = 1; i < n; i++) {
        char c = k[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
    }
    return true;
}

/* Writes a key as a JSON string, bytes that are not printable ASCII as \u
 * escapes (a message must stay valid text whatever the key holds). */
void ctli_put_quoted(ctl_buf *b, const char *k, uint32_t n)
{
    ctl_buf_putc(b, '"');
    for (uint32_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)k[i];
        size_t seq = c >= 0x80 ? ctli_utf8_seq((const unsigned char *)k + i, (const unsigned char *)k + n) : 0;
        if (seq) {
            ctl_buf_put(b, k + i, seq); /* valid UTF-8 passes as it is */
            i += (uint32_t)seq - 1;
        } else if (c == '"' || c == '\\') {
            ctl_buf_putc(b, '\\');
            ctl_buf_putc(b, (char)c);
        } else if (c < 0x20 || c >= 0x7f) {
            char esc[8];
            snprintf(esc, sizeof esc, "\\u%04x", c);
            ctl_buf_put(b, esc, 6);
        } else {
            ctl_buf_putc(b, (char)c);
        }
    }
    ctl_buf_putc(b, '"');
}

void ctli_path_format(ctl_buf *b, const ctl_path *path)
{
    const ctl_path *steps[CTL_JSON_MAX_DEPTH + 8];
    size_t n = 0;
    for (const ctl_path *p = path; p && p->up && n < sizeof steps / sizeof steps[0]; p = p->up)
        steps[n++] = p;
    ctl_buf_putc(b, '$');
    while (n--) {
        const ctl_path *p = steps[n];
        if (p->key && plain_key(p->key, p->key_len)) {
            ctl_buf_putc(b, '.');
            ctl_buf_put(b, p->key, p->key_len);
        } else if (p->key) {
            ctl_buf_putc(b, '[');
            ctli_put_quoted(b, p->key, p->key_len);
            ctl_buf_putc(b, ']');
        } else {
            char idx[16];
            int k = snprintf(idx, sizeof idx, "[%u]", (unsigned)p->index);
            ctl_buf_put(b, idx, (size_t)k);
        }
    }
}

int ctli_fail_at(ctl_ctx *ctx, const ctl_path *path, const char *fmt, ...)
{
    if (!ctx || ctx->status != CTL_OK)
        return -1;
    ctl_buf b = CTL_BUF_INIT;
    ctli_path_format(&b, path);
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (b.failed)
        ctli_ctx_error(ctx, CTL_ERR_NOMEM, NULL, "out of memory");
    else
        ctli_ctx_error(ctx, CTL_ERR_INVALID_PAYLOAD, NULL, "%.*s: %s", (int)b.len, b.data, msg);
    ctl_buf_free(&b);
    return -1;
}

int ctli_fail_usage(ctl_ctx *ctx, const char *function, const char *what)
{
    if (!ctx)
        return -1;
    return ctli_ctx_error(ctx, CTL_ERR_USAGE, NULL, "%s: %s", function, what);
}

/* A name for messages: NULL is told as such rather than passed to printf. */
static const char *name_or(const char *s)
{
    return s ? s : "(NULL)";
}

int ctl_fail_missing(ctl_ctx *ctx, const ctl_path *object, const char *field)
{
    if (!field)
        return ctli_fail_usage(ctx, "ctl_fail_missing", "field is NULL");
    return ctli_fail_at(ctx, object, "missing required field \"%s\"", field);
}

int ctl_fail_duplicate(ctl_ctx *ctx, const ctl_path *member)
{
    return ctli_fail_at(ctx, member, "duplicate key");
}

/* ---- bounds: the same words for readers and writers ---------------------------------- */

int ctl_fail_range_length(ctl_ctx *ctx, const ctl_path *path, size_t n, size_t min, size_t max)
{
    if (min == max)
        return ctli_fail_at(ctx, path, "length %zu is not %zu", n, min);
    return ctli_fail_at(ctx, path, "length %zu is outside %zu..%zu", n, min, max);
}

int ctl_fail_min_length(ctl_ctx *ctx, const ctl_path *path, size_t n, size_t min)
{
    return ctli_fail_at(ctx, path, "length %zu is below the minimum %zu", n, min);
}

int ctl_fail_max_length(ctl_ctx *ctx, const ctl_path *path, size_t n, size_t max)
{
    return ctli_fail_at(ctx, path, "length %zu is above the maximum %zu", n, max);
}

int ctl_fail_range_int(ctl_ctx *ctx, const ctl_path *path, int64_t v, int64_t min, int64_t max)
{
    if (min == max)
        return ctli_fail_at(ctx, path, "%lld is not %lld", (long long)v, (long long)min);
    return ctli_fail_at(ctx, path, "%lld is outside %lld..%lld", (long long)v, (long long)min, (long long)max);
}

int ctl_fail_min_int(ctl_ctx *ctx, const ctl_path *path, int64_t v, int64_t min)
{
    return ctli_fail_at(ctx, path, "%lld is below the minimum %lld", (long long)v, (long long)min);
}

int ctl_fail_max_int(ctl_ctx *ctx, const ctl_path *path, int64_t v, int64_t max)
{
    return ctli_fail_at(ctx, path, "%lld is above the maximum %lld", (long long)v, (long long)max);
}

/* The shortest text that reads back as v (as the writer writes floats). */
static const char *shortest(char buf[32], double v)
{
    if (isnan(v))
        return "NaN";
    if (isinf(v))
        return v < 0 ? "-Infinity" : "Infinity";
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, 32, "%.*g", prec, v);
        for (char *p = buf; *p; p++)
            if (*p == ',')
                *p = '.'; /* %g follows LC_NUMERIC */
        if (ctli_strtod_c(buf, NULL) == v)
            break;
    }
    return buf;
}

int ctl_fail_range_float(ctl_ctx *ctx, const ctl_path *path, double v, double min, double max)
{
    char a[32], b[32], c[32];
    if (min == max)
        return ctli_fail_at(ctx, path, "%s is not %s", shortest(a, v), shortest(b, min));
    return ctli_fail_at(ctx, path, "%s is outside %s..%s", shortest(a, v), shortest(b, min), shortest(c, max));
}

int ctl_fail_min_float(ctl_ctx *ctx, const ctl_path *path, double v, double min)
{
    char a[32], b[32];
    return ctli_fail_at(ctx, path, "%s is below the minimum %s", shortest(a, v), shortest(b, min));
}

int ctl_fail_max_float(ctl_ctx *ctx, const ctl_path *path, double v, double max)
{
    char a[32], b[32];
    return ctli_fail_at(ctx, path, "%s is above the maximum %s", shortest(a, v), shortest(b, max));
}

/* ---- what only writers meet -------------------------------------------------------------- */

int ctl_fail_string_field(ctl_ctx *ctx, const ctl_path *object, const char *field, const char *s)
{
    if (!field)
        return ctli_fail_usage(ctx, "ctl_fail_string_field", "field is NULL");
    if (!s)
        return ctl_fail_missing(ctx, object, field);
    ctl_path p = { object, field, (uint32_t)strlen(field), 0 };
    return ctl_fail_string(ctx, &p, s);
}

int ctl_fail_string(ctl_ctx *ctx, const ctl_path *path, const char *s)
{
    if (!s)
        return ctli_fail_at(ctx, path, "expected string, got null");
    return ctli_fail_at(ctx, path, "string is not valid UTF-8");
}

int ctl_fail_float(ctl_ctx *ctx, const ctl_path *path, double v)
{
    char a[32];
    return ctli_fail_at(ctx, path, "%s is not a finite number", shortest(a, v));
}

int ctl_fail_member(ctl_ctx *ctx, const ctl_path *path, int64_t v, const char *enum_name)
{
    return ctli_fail_at(ctx, path, "%lld is not a member of enum %s", (long long)v, name_or(enum_name));
}

int ctl_fail_items(ctl_ctx *ctx, const ctl_path *path, size_t count)
{
    return ctli_fail_at(ctx, path, "count is %zu but items is NULL", count);
}

/* ---- results ------------------------------------------------------------------------ */

int ctl_fail_result(ctl_ctx *ctx)
{
    if (!ctx)
        return -1;
    if (ctx->status == CTL_ERR_INVALID_PAYLOAD) {
        const char *type = ctl_status_error_type(CTL_ERR_INVALID_RESULT);
        char *copy = ctli_arena_alloc(&ctx->arena, strlen(type) + 1);
        if (copy)
            strcpy(copy, type);
        ctx->status = CTL_ERR_INVALID_RESULT;
        ctx->error_type = copy;
    } else if (ctx->status == CTL_OK) {
        ctli_ctx_error(ctx, CTL_ERR_INVALID_RESULT, NULL, "the result of %s.%s cannot be written",
                      ctx->controller, ctx->function);
    }
    return -1;
}
