/* codec/ctx.c: the invocation context (memory, first error, identity), and
 * what the thread's sends carry of its invocation (trace, send group). */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "ctl/gen.h"

#include "codec/ctx.h"

void ctli_ctx_init(ctl_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    ctli_arena_init(&ctx->arena);
    ctx->arena.limit = CTLI_INVOCATION_MEMORY;
}

static void delete_trees(ctl_ctx *ctx)
{
    for (size_t i = 0; i < ctx->ntrees; i++)
        cJSON_Delete(ctx->trees[i]);
    ctx->ntrees = 0;
}

ctli_ctx_mark ctli_ctx_mark_now(const ctl_ctx *ctx)
{
    return (ctli_ctx_mark){ ctli_arena_mark_now(&ctx->arena), ctx->ntrees };
}

void ctli_ctx_rollback(ctl_ctx *ctx, ctli_ctx_mark m)
{
    while (ctx->ntrees > m.ntrees)
        cJSON_Delete(ctx->trees[--ctx->ntrees]);
    ctli_arena_rollback(&ctx->arena, m.arena);
    ctx->status = CTL_OK;
    ctx->error_type = ctx->error_message = NULL;
}

void ctli_ctx_reset(ctl_ctx *ctx)
{
    delete_trees(ctx);
    ctli_arena_reset(&ctx->arena);
    ctx->status = CTL_OK;
    ctx->error_type = ctx->error_message = NULL;
}

void ctli_ctx_free(ctl_ctx *ctx)
{
    delete_trees(ctx);
    free(ctx->trees);
    ctx->trees = NULL;
    ctx->cap_trees = 0;
    ctli_arena_free(&ctx->arena);
}

void *ctl_alloc(ctl_ctx *ctx, size_t n)
{
    if (!ctx)
        return NULL;
    void *p = ctli_arena_alloc(&ctx->arena, n);
    if (!p)
        ctli_ctx_error(ctx, CTL_ERR_NOMEM, NULL, "the invocation ran out of memory");
    return p;
}

void *ctl_alloc_array(ctl_ctx *ctx, size_t n, size_t size)
{
    if (!ctx)
        return NULL;
    if (size && n > SIZE_MAX / size) {
        ctli_ctx_error(ctx, CTL_ERR_NOMEM, NULL, "an array of %zu items of %zu bytes is larger than memory", n,
                       size);
        return NULL;
    }
    size_t bytes = n * size;
    void *p = ctl_alloc(ctx, bytes ? bytes : 1);
    if (p)
        memset(p, 0, bytes);
    return p;
}

char *ctl_strdup(ctl_ctx *ctx, const char *s)
{
    if (!ctx || !s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = ctl_alloc(ctx, n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static char *vformat(ctl_ctx *ctx, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return NULL;
    char *p = ctli_arena_alloc(&ctx->arena, (size_t)n + 1);
    if (p)
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *ctl_sprintf(ctl_ctx *ctx, const char *fmt, ...)
{
    if (!ctx || !fmt)
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    char *p = vformat(ctx, fmt, ap);
    va_end(ap);
    if (!p)
        ctli_ctx_error(ctx, CTL_ERR_NOMEM, NULL, "the invocation ran out of memory");
    return p;
}

int ctli_ctx_verror(ctl_ctx *ctx, ctl_status status, const char *error_type, const char *fmt, va_list ap)
{
    if (!ctx || ctx->status != CTL_OK)
        return -1;
    ctx->status = status;
    const char *type = error_type && *error_type ? error_type : ctl_status_error_type(status);
    size_t n = strlen(type) + 1;
    ctx->error_type = ctli_arena_alloc(&ctx->arena, n);
    if (ctx->error_type)
        memcpy(ctx->error_type, type, n);
    ctx->error_message = vformat(ctx, fmt, ap);
    return -1;
}

int ctli_ctx_error(ctl_ctx *ctx, ctl_status status, const char *error_type, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ctli_ctx_verror(ctx, status, error_type, fmt, ap);
    va_end(ap);
    return -1;
}

int ctl_fail(ctl_ctx *ctx, const char *error_type, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ctli_ctx_verror(ctx, CTL_ERR_HANDLER, error_type, fmt ? fmt : "", ap);
    va_end(ap);
    return -1;
}

int ctl_handler_failed(ctl_ctx *ctx, int rc)
{
    (void)rc;
    if (ctx && ctx->status == CTL_OK)
        ctli_ctx_error(ctx, CTL_ERR_HANDLER, NULL, "%s.%s failed without saying why", ctx->controller,
                      ctx->function);
    return -1;
}

/* Accessors: a NULL ctx has nothing to tell (NULL, 0, or no deadline). */
const char *ctl_ctx_function(const ctl_ctx *ctx) { return ctx ? ctx->function : NULL; }
const char *ctl_ctx_controller(const ctl_ctx *ctx) { return ctx ? ctx->controller : NULL; }
const char *ctl_ctx_request_id(const ctl_ctx *ctx)
{
    if (!ctx)
        return NULL;
    if (ctx->meta && ctx->meta->request_id)
        return ctx->meta->request_id;
    /* Formatted on first use: most handlers never ask. */
    ctl_ctx *c = (ctl_ctx *)ctx;
    if (!c->request_id[0])
        snprintf(c->request_id, sizeof c->request_id, "local-%llu", (unsigned long long)c->request_number);
    return c->request_id;
}
int ctl_ctx_attempt(const ctl_ctx *ctx) { return ctx ? ctx->attempt : 0; }
ctl_client *ctl_ctx_client(const ctl_ctx *ctx) { return ctx ? ctx->client : NULL; }
void *ctl_ctx_user(const ctl_ctx *ctx) { return ctx ? ctx->user : NULL; }

static const ctli_invocation_meta *meta_of(const ctl_ctx *ctx)
{
    return ctx ? ctx->meta : NULL;
}

int64_t ctl_ctx_deadline_ms(const ctl_ctx *ctx) { return meta_of(ctx) ? ctx->meta->deadline_ms : 0; }

int64_t ctl_ctx_remaining_ms(const ctl_ctx *ctx)
{
    if (!meta_of(ctx) || ctx->meta->deadline_ms <= 0)
        return INT64_MAX;
    /* The deadline is wall-clock time (Lambda's clock), so compare with ours. */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    return ctx->meta->deadline_ms > now ? ctx->meta->deadline_ms - now : 0;
}

const char *ctl_ctx_function_arn(const ctl_ctx *ctx) { return meta_of(ctx) ? ctx->meta->function_arn : NULL; }
const char *ctl_ctx_trace_id(const ctl_ctx *ctx) { return ctx ? ctx->trace_id : NULL; }
const char *ctl_ctx_client_context(const ctl_ctx *ctx) { return meta_of(ctx) ? ctx->meta->client_context : NULL; }
const char *ctl_ctx_cognito_identity(const ctl_ctx *ctx)
{
    return meta_of(ctx) ? ctx->meta->cognito_identity : NULL;
}

/* ---- the trace ------------------------------------------------------------------- */

bool ctli_trace_ok(const char *s)
{
    if (!s)
        return false;
    bool root = false, field_start = true;
    size_t n = 0;
    for (; s[n]; n++) {
        unsigned char c = (unsigned char)s[n];
        if (n >= CTLI_TRACE_MAX || c <= ' ' || c >= 0x7f)
            return false;
        if (field_start && strncmp(s + n, "Root=", 5) == 0)
            root = true;
        field_start = c == ';';
    }
    return n > 0 && root;
}

void ctli_trace_new(char out[CTLI_TRACE_NEW_LEN + 1])
{
    unsigned char r[12];
    size_t got = 0;
    while (got < sizeof r) {
        ssize_t k = getrandom(r + got, sizeof r - got, 0);
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    if (got < sizeof r) {
        /* No entropy source: the clock and a counter still make the id
         * unique in this process, which is what a local trace needs. */
        static atomic_uint_fast64_t n;
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        uint64_t a = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30), b = atomic_fetch_add(&n, 1) + 1;
        memcpy(r, &a, 8);
        memcpy(r + 8, &b, 4);
    }
    static const char hex[] = "0123456789abcdef";
    uint32_t now = (uint32_t)time(NULL);
    char *p = out + snprintf(out, CTLI_TRACE_NEW_LEN + 1, "Root=1-%08x-", (unsigned)now);
    for (size_t i = 0; i < sizeof r; i++) {
        *p++ = hex[r[i] >> 4];
        *p++ = hex[r[i] & 15];
    }
    *p = '\0';
}

/* The trace of the handler running on this thread: dispatch sets it around
 * the handler, so a send from the handler finds it without a ctx. */
static _Thread_local const char *tls_trace;

const char *ctli_trace_current(void) { return tls_trace; }

const char *ctli_trace_enter(const char *trace)
{
    const char *previous = tls_trace;
    tls_trace = trace;
    return previous;
}

void ctli_trace_leave(const char *previous) { tls_trace = previous; }

/* ---- the invocation's sends -------------------------------------------------------- */

void ctli_sendgroup_init(ctli_sendgroup *g)
{
    pthread_mutex_init(&g->mu, NULL);
    pthread_cond_init(&g->empty, NULL);
    g->pending = 0;
}

void ctli_sendgroup_destroy(ctli_sendgroup *g)
{
    pthread_mutex_destroy(&g->mu);
    pthread_cond_destroy(&g->empty);
}

void ctli_sendgroup_add(ctli_sendgroup *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->mu);
    g->pending++;
    pthread_mutex_unlock(&g->mu);
}

/* Nothing touches g after its unlock: the waiter may reuse it at once. */
void ctli_sendgroup_done(ctli_sendgroup *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->mu);
    if (g->pending > 0 && --g->pending == 0)
        pthread_cond_broadcast(&g->empty);
    pthread_mutex_unlock(&g->mu);
}

void ctli_sendgroup_wait(ctli_sendgroup *g)
{
    pthread_mutex_lock(&g->mu);
    while (g->pending > 0)
        pthread_cond_wait(&g->empty, &g->mu);
    pthread_mutex_unlock(&g->mu);
}

static _Thread_local ctli_sendgroup *tls_group;

ctli_sendgroup *ctli_sendgroup_current(void) { return tls_group; }

ctli_sendgroup *ctli_sendgroup_enter(ctli_sendgroup *g)
{
    ctli_sendgroup *previous = tls_group;
    tls_group = g;
    return previous;
}

void ctli_sendgroup_leave(ctli_sendgroup *previous) { tls_group = previous; }
