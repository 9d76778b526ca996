/* codec/dispatch.c: one event through a controller's dispatch table.
 *
 * event bytes -> JSON tree (in the invocation's arena) -> the "function"
 * field (or, for Lambda's invocation record, the @records function) ->
 * the function in the table (hash or bisection) -> the generated
 * invoke (read the payload, run the handler, write the result) -> the
 * response body, or the Lambda error object. Each step is an entry of its
 * own for serve, which parses a request once and decides from the function
 * where to run it.
 *
 * An event that starts {"function":"NAME" with a plain name, as ctl's
 * writers write it, is read once instead: the function's one-pass reader
 * reads the rest of the bytes straight into the arguments (text_read.c),
 * checking all of them, and the handler runs only when the whole text was
 * read. When it cannot read them (anything the tree path would refuse, or
 * a limit of its own), nothing has run: the arena and errors are rolled
 * back and the event takes the tree path, whose answer is the one given.
 * So the verdicts, messages and their order (ctl.InvalidJSON anywhere in
 * the text before ctl.InvalidPayload, a second "function" before either)
 * are the tree path's by construction; an event refused costs a second
 * read. @records and @idempotent functions (with a store) read the tree. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/gen.h"
#include "ctl/json.h"

#include "codec/ctx.h"
#include "base/clock.h"
#include "codec/dispatch.h"
#include "codec/idem.h"
#include "common/rules.h"
#include "codec/json_read.h"
#include "codec/json_scan.h"
#include "codec/record_read.h"
#include "codec/response.h"

uint32_t ctl_name_hash(const char *name, size_t len)
{
    return ctli_rule_name_hash(name ? name : "", name ? len : 0); /* NULL: the hash of "" */
}

const ctl_function *ctl_controller_find(const ctl_controller *c, const char *name, size_t len)
{
    if (!c || !c->functions || (!name && len))
        return NULL;
    if (!name)
        name = "";
    if (c->slots) {
        /* The table ctlc built: open addressing, at most max_probe steps
         * whatever name an event carries. */
        uint32_t mask = c->slot_mask, h = ctl_name_hash(name, len) & mask;
        for (uint32_t i = 0; i <= c->max_probe; i++) {
            uint16_t slot = c->slots[(h + i) & mask];
            if (slot == 0)
                return NULL;
            const ctl_function *f = &c->functions[slot - 1];
            if (f->name_len == len && memcmp(f->name, name, len) == 0)
                return f;
        }
        return NULL;
    }
    size_t lo = 0, hi = c->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const ctl_function *f = &c->functions[mid];
        size_t n = f->name_len < len ? f->name_len : len;
        int cmp = memcmp(f->name, name, n);
        if (cmp == 0)
            cmp = f->name_len < len ? -1 : f->name_len > len;
        if (cmp == 0)
            return f;
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Each thread keeps one context, so a warm controller reuses its arena;
 * a pthread key's destructor frees it when the thread ends (threads of
 * libctl's own free it before, with ctli_thread_release). */
static _Thread_local ctl_ctx tls_ctx;
static _Thread_local bool tls_ready;
static _Thread_local int tls_depth;
static atomic_uint_fast64_t request_counter;
static pthread_once_t tls_once = PTHREAD_ONCE_INIT;
static pthread_key_t tls_key;
static bool tls_key_made;

static void tls_at_thread_end(void *unused)
{
    (void)unused;
    ctli_thread_release();
}

static void tls_key_make(void)
{
    tls_key_made = pthread_key_create(&tls_key, tls_at_thread_end) == 0;
}

static ctl_status finish_error(ctl_ctx *ctx, ctl_response *resp)
{
    return ctli_response_error(resp, ctx->status, ctx->error_type,
                              ctx->error_message ? ctx->error_message : ctl_status_str(ctx->status));
}

void ctli_dispatch_begin(ctl_ctx *ctx, const ctl_controller *c, const ctli_invocation *inv)
{
    ctx->controller = c->name;
    ctx->function = "";
    ctx->client = inv ? inv->client : NULL;
    ctx->user = inv ? inv->user : NULL;
    ctx->attempt = inv ? inv->attempt : 0;
    ctx->meta = inv ? inv->meta : NULL;
    ctx->trace_id = inv && ctli_trace_ok(inv->trace_id) ? inv->trace_id : NULL;
    ctx->idem = inv ? inv->idem : NULL;
    ctx->idem_until_ms = inv ? inv->idem_until_ms : 0;
    ctx->request_number = (uint64_t)atomic_fetch_add(&request_counter, 1) + 1;
    ctx->request_id[0] = '\0';
}

const ctl_json *ctli_dispatch_parse(ctl_ctx *ctx, const char *event, size_t len)
{
    ctl_json_error err;
    const ctl_json *root = ctl_json_parse(&ctx->arena, event ? event : "", len, &err);
    if (!root) {
        if (ctx->arena.over)
            ctli_ctx_error(ctx, CTL_ERR_NOMEM, NULL, "the event of %zu bytes does not fit in the invocation's memory "
                          "limit of %zu KiB", len, ctx->arena.limit / 1024);
        else if (ctli_json_too_deep(&err))
            ctli_ctx_error(ctx, CTL_ERR_INVALID_JSON, NULL, "the event is nested deeper than %d levels, the limit of "
                          "libctl's JSON reader (at byte %zu)", CTL_JSON_MAX_DEPTH, err.offset);
        else
            ctli_ctx_error(ctx, CTL_ERR_INVALID_JSON, NULL, "the event is not JSON: %s at byte %zu", err.message,
                          err.offset);
    }
    return root;
}

const ctl_function *ctli_dispatch_find(ctl_ctx *ctx, const ctl_controller *c, const ctl_json *root)
{
    if (!root)
        return NULL;
    if (root->type != CTL_JSON_OBJECT) {
        static const char *const names[] = { "null", "false", "true", "a number", "a string", "an array" };
        ctli_ctx_error(ctx, CTL_ERR_INVALID_EVENT, NULL, "the event must be a JSON object, got %s",
                      names[root->type < 6 ? root->type : 0]);
        return NULL;
    }
    const ctl_json *fn = NULL;
    for (const ctl_json *m = root->child; m; m = m->next) {
        if (m->key_len != 8 || memcmp(m->key, "function", 8) != 0)
            continue;
        if (fn) {
            ctli_ctx_error(ctx, CTL_ERR_INVALID_EVENT, NULL, "$.function: duplicate key");
            return NULL;
        }
        fn = m;
    }
    if (!fn && ctli_is_record(root)) {
        /* Lambda's invocation record, sent by a controller whose
         * destination this one is: its @records function takes it. */
        for (size_t i = 0; i < c->count; i++)
            if (c->functions[i].receives_records) {
                ctx->function = c->functions[i].name;
                return &c->functions[i];
            }
        ctli_ctx_error(ctx, CTL_ERR_UNKNOWN_FUNCTION, NULL,
                      "the event is an invocation record (requestContext, requestPayload, no \"function\"), "
                      "but controller %s has no @records function to receive it", c->name);
        return NULL;
    }
    if (!fn) {
        ctli_ctx_error(ctx, CTL_ERR_INVALID_EVENT, NULL,
                      "the event has no \"function\" field naming the function of %s to run", c->name);
        return NULL;
    }
    if (fn->type != CTL_JSON_STRING || fn->flags) {
        ctli_ctx_error(ctx, CTL_ERR_INVALID_EVENT, NULL, "$.function: expected the name of a function, got %s",
                      fn->type == CTL_JSON_STRING ? "a malformed string" : "a non-string");
        return NULL;
    }
    const ctl_function *f = ctl_controller_find(c, fn->str, fn->len);
    if (!f) {
        ctl_buf name = CTL_BUF_INIT;
        if (ctl_write_string(&name, fn->len > 100 ? "(a long name)" : fn->str) || name.failed)
            CTL_BUF_LIT(&name, "?");
        ctli_ctx_error(ctx, CTL_ERR_UNKNOWN_FUNCTION, NULL, "controller %s has no function %.*s", c->name,
                      (int)name.len, name.data ? name.data : "");
        ctl_buf_free(&name);
        return NULL;
    }
    ctx->function = f->name;
    return f;
}

/* Runs the function's invoke on the tree root or, with root NULL, on the
 * text: the result in *resp, or the error. From text, false when the
 * invoke did not read it (CTL_NOT_READ: nothing ran, *resp untouched). */
static bool run_handler(ctl_ctx *ctx, const ctl_controller *c, const ctl_function *f, const ctl_json *root,
                        ctl_cursor *text, ctl_response *resp, ctl_status *status)
{
    /* The result into the memory of the thread's last freed body, if any
     * (response.c): no malloc per event once warm. */
    ctl_buf out = ctli_response_buf();
    /* The handler's sends carry its trace (ctli_trace_current); a nested
     * in-process call sets its own and gives this one back. */
    const char *outer = ctli_trace_enter(ctx->trace_id);
    int rc = f->invoke(ctx, root, root ? NULL : text, &out);
    ctli_trace_leave(outer);
    if (!root && rc == CTL_NOT_READ) {
        ctli_response_keep(&out);
        return false;
    }
    if (rc != 0) {
        ctli_response_keep(&out);
        if (ctx->status == CTL_OK)
            ctli_ctx_error(ctx, CTL_ERR_HANDLER, NULL, "%s.%s failed", c->name, f->name);
        *status = finish_error(ctx, resp);
        return true;
    }
    ctl_buf_putc(&out, '\0');
    if (out.failed) {
        ctl_buf_free(&out);
        ctli_ctx_error(ctx, CTL_ERR_NOMEM, NULL, "out of memory writing the result");
        *status = finish_error(ctx, resp);
        return true;
    }
    resp->status = CTL_OK;
    resp->body = out.data;
    resp->len = out.len - 1;
    resp->body_cap = out.cap;
    *status = CTL_OK;
    return true;
}

const ctl_function *ctli_dispatch_named_first(ctl_ctx *ctx, const ctl_controller *c, ctl_cursor *cur)
{
    static const char key[] = "\"function\"";
    ctli_scan_ws(cur);
    if (cur->p >= cur->end || *cur->p != '{')
        return NULL;
    cur->p++;
    cur->depth = 1;
    ctli_scan_ws(cur);
    if (!ctli_scan_word_here(cur, key, sizeof key - 1))
        return NULL;
    cur->p += sizeof key - 1;
    ctli_scan_ws(cur);
    if (cur->p >= cur->end || *cur->p != ':')
        return NULL;
    cur->p++;
    ctli_scan_ws(cur);
    if (cur->p >= cur->end || *cur->p != '"')
        return NULL;
    /* A name with escapes or bytes past ASCII is no function's: the tree
     * reader takes it. */
    const unsigned char *name = ++cur->p;
    cur->p = ctli_scan_plain(name, cur->end);
    if (cur->p >= cur->end || *cur->p != '"')
        return NULL;
    const ctl_function *f = ctl_controller_find(c, (const char *)name, (size_t)(cur->p - name));
    cur->p++;
    if (!f || f->receives_records || (f->idempotent && ctx->idem))
        return NULL;
    return f;
}

/* The event read once (the top of this file): true when it was, with the
 * answer in *resp and *status; false when the tree path must take it. */
static bool dispatch_text(ctl_ctx *ctx, const ctl_controller *c, const char *event, size_t len,
                          ctl_response *resp, ctl_status *status)
{
    if (!event)
        return false;
    ctl_json_error err = { 0, NULL };
    const unsigned char *text = (const unsigned char *)event;
    ctl_cursor cur = { .p = text, .end = text + len, .start = text, .arena = &ctx->arena, .err = &err };
    const ctl_function *f = ctli_dispatch_named_first(ctx, c, &cur);
    if (!f)
        return false;
    ctli_ctx_mark mark = ctli_ctx_mark_now(ctx);
    ctx->function = f->name;
    if (run_handler(ctx, c, f, NULL, &cur, resp, status))
        return true;
    ctli_ctx_rollback(ctx, mark);
    ctx->function = "";
    return false;
}

/* An @idempotent function with a store: the key is claimed before the
 * handler runs (in progress until the invocation's deadline, or Lambda's
 * longest timeout, 900 s, without one), completed with the result bytes
 * after it succeeds and released after it fails. A completed key answers
 * its stored result as it is; a key in progress, or one whose record holds
 * another payload, is a handler-class failure of a type of its own, which
 * the async core retries as Lambda retries Powertools' exceptions
 * (runtime/README.md, "Idempotency"). */
static ctl_status run_idempotent(ctl_ctx *ctx, const ctl_controller *c, const ctl_function *f, const ctl_json *root,
                                 ctl_response *resp)
{
    const ctli_idem_store *st = ctx->idem;
    ctli_idem_key k;
    char id[CTLI_IDEM_ID_MAX], err[256];
    if (ctli_idem_key_of(c, f, root, &k, id, err, sizeof err)) {
        ctli_ctx_error(ctx, CTL_ERR_INVALID_PAYLOAD, NULL, "%s", err);
        return finish_error(ctx, resp);
    }
    int64_t now = (int64_t)ctli_wall_ms(), deadline = ctx->idem_until_ms ? ctx->idem_until_ms
                                                                          : ctl_ctx_deadline_ms(ctx);
    int64_t until = deadline > now ? deadline : now + CTLI_RULE_TIMEOUT_MAX_S * 1000;
    char *stored = NULL;
    size_t stored_len = 0;
    switch (st->claim(st->self, id, k.validation, now, until, &stored, &stored_len, err, sizeof err)) {
    case CTLI_IDEM_CLAIMED: break;
    case CTLI_IDEM_DONE:
        resp->status = CTL_OK;
        resp->body = stored;
        resp->len = stored_len;
        return CTL_OK;
    case CTLI_IDEM_IN_PROGRESS:
        ctli_ctx_error(ctx, CTL_ERR_HANDLER, "ctl.IdempotencyInProgress",
                       "%s.%s: an event with the same idempotency key is in progress; try again later", c->name,
                       f->name);
        return finish_error(ctx, resp);
    case CTLI_IDEM_MISMATCH:
        ctli_ctx_error(ctx, CTL_ERR_HANDLER, "ctl.IdempotencyValidationError",
                       "%s.%s: an event with the same idempotency key had another payload", c->name, f->name);
        return finish_error(ctx, resp);
    default:
        ctli_ctx_error(ctx, CTL_ERR_IO, NULL, "%s.%s: the idempotency store failed: %s", c->name, f->name, err);
        return finish_error(ctx, resp);
    }
    ctl_status status;
    run_handler(ctx, c, f, root, NULL, resp, &status);
    if (status == CTL_OK) {
        int64_t expires = (int64_t)ctli_wall_ms() + (int64_t)f->idempotent->expires_s * 1000;
        /* The handler ran: its result stands. A key that could not be
         * completed stays in progress until its claim expires. */
        if (st->complete(st->self, id, until, resp->body, resp->len, expires, err, sizeof err))
            fprintf(stderr, "ctl: %s.%s: the idempotency key's result is not stored: %s\n", c->name, f->name, err);
    } else if (st->release(st->self, id, until, err, sizeof err)) {
        fprintf(stderr, "ctl: %s.%s: releasing the idempotency key failed (its claim expires at the deadline): %s\n",
                c->name, f->name, err);
    }
    return status;
}

ctl_status ctli_dispatch_run(ctl_ctx *ctx, const ctl_controller *c, const ctl_function *f, const ctl_json *root,
                             ctl_response *resp)
{
    memset(resp, 0, sizeof *resp);
    if (!f || ctx->status != CTL_OK)
        return finish_error(ctx, resp);
    if (f->idempotent && ctx->idem)
        return run_idempotent(ctx, c, f, root, resp);
    ctl_status status;
    run_handler(ctx, c, f, root, NULL, resp, &status);
    return status;
}

ctl_status ctli_dispatch_invocation(const ctl_controller *c, const char *event, size_t len,
                                    const ctli_invocation *inv, ctl_response *resp)
{
    if (!resp)
        return CTL_ERR_USAGE;
    memset(resp, 0, sizeof *resp);
    if (!c || !c->name || (!c->functions && c->count))
        return ctli_response_error(resp, CTL_ERR_USAGE, NULL,
                                   !c ? "ctl_dispatch: the controller is NULL"
                                      : "ctl_dispatch: the controller table is malformed (no name, or no functions)");
    if (!event && len)
        return ctli_response_error(resp, CTL_ERR_USAGE, NULL,
                                   "ctl_dispatch: the event is NULL but its length is not 0");
    /* Refused before a byte is read: the parse could not fit anyway. */
    if (len > CTLI_INVOCATION_MEMORY) {
        char message[160];
        snprintf(message, sizeof message,
                 "the event of %zu bytes is larger than the invocation's memory limit of %u MiB", len,
                 CTLI_INVOCATION_MEMORY / (1024u * 1024u));
        return ctli_response_error(resp, CTL_ERR_NOMEM, NULL, message);
    }
    /* A handler that calls a controller in-process re-enters here: the
     * inner call gets a context of its own. */
    ctl_ctx local, *ctx = &tls_ctx;
    if (tls_depth > 0) {
        ctx = &local;
        ctli_ctx_init(ctx);
    } else if (!tls_ready) {
        ctli_ctx_init(ctx);
        tls_ready = true;
        pthread_once(&tls_once, tls_key_make);
        if (tls_key_made)
            (void)pthread_setspecific(tls_key, &tls_ctx); /* any value but NULL: the destructor runs */
    }
    tls_depth++;
    size_t memory = inv && inv->memory && inv->memory < CTLI_INVOCATION_MEMORY ? inv->memory : CTLI_INVOCATION_MEMORY;
    ctx->arena.limit = ctx->arena.held + memory;
    ctli_dispatch_begin(ctx, c, inv);
    ctl_status status;
    if (!dispatch_text(ctx, c, event, len, resp, &status)) {
        const ctl_json *root = ctli_dispatch_parse(ctx, event, len);
        const ctl_function *f = ctli_dispatch_find(ctx, c, root);
        status = ctli_dispatch_run(ctx, c, f, root, resp);
    }
    tls_depth--;
    if (ctx == &local)
        ctli_ctx_free(ctx);
    else
        ctli_ctx_reset(ctx);
    return status;
}

ctl_status ctl_dispatch(const ctl_controller *c, const char *event, size_t len, ctl_client *client,
                        ctl_response *resp)
{
    ctli_invocation inv = { client, NULL, 0, NULL, NULL, NULL, 0, 0 };
    return ctli_dispatch_invocation(c, event, len, &inv, resp);
}

void ctli_thread_release(void)
{
    if (tls_ready) {
        ctli_ctx_free(&tls_ctx);
        tls_ready = false;
    }
    ctli_response_release();
}
