/* stubs.c: the runtime side of the generated stubs (p_C_f_send, p_C_f_call)
 * and the replies of sync calls.
 *
 * A stub checks its arguments through the generated writer before anything
 * leaves the process; the writer fails into a context of this thread that
 * holds nothing between calls. A _call reads the answer with the generated
 * reader into its reply's memory. Every failure is told three ways: the
 * status, ctl_client_error(client), and the reply when the caller asked for
 * one. Nothing here trusts the stub's caller: NULL handles are usage
 * errors, never crashes. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/gen.h"

#include "client/client.h"
#include "codec/ctx.h"
#include "codec/json_read.h"

struct ctl_reply {
    ctl_ctx ctx;                /* the result's memory */
    ctl_response resp;
    char *error_type, *error_message;
};

const char *ctl_reply_error_type(const ctl_reply *reply)
{
    return reply ? reply->error_type : NULL;
}

const char *ctl_reply_error_message(const ctl_reply *reply)
{
    return reply ? reply->error_message : NULL;
}

void ctl_reply_free(ctl_reply *reply)
{
    if (!reply)
        return;
    ctli_ctx_free(&reply->ctx);
    ctl_response_free(&reply->resp);
    free(reply->error_type);
    free(reply->error_message);
    free(reply);
}

static ctl_reply *reply_new(void)
{
    ctl_reply *r = calloc(1, sizeof *r);
    if (r)
        ctli_ctx_init(&r->ctx);
    return r;
}

/* ---- where the writers fail ------------------------------------------------------- */

/* The arguments' writer needs a ctx only to fail into: one per thread. A
 * zeroed ctx is a ready one (no memory, no limit, no error), and it is
 * zeroed again after each failure, so that it holds nothing between calls
 * and a send pays nothing to set it up. */
static _Thread_local ctl_ctx args_ctx;

/* ---- results without a reply ------------------------------------------------------- */

/* A _call without a reply leaves the result's memory with its thread until
 * the thread's next such _call, or its end (the key's destructor). */
static pthread_key_t kept_key;
static bool kept_key_ok;
static pthread_once_t kept_once = PTHREAD_ONCE_INIT;
static _Thread_local ctl_reply *kept_fallback; /* if the key could not be made */

static void free_kept(void *r)
{
    ctl_reply_free(r);
}

static void make_kept_key(void)
{
    kept_key_ok = pthread_key_create(&kept_key, free_kept) == 0;
}

static void keep(ctl_reply *r)
{
    pthread_once(&kept_once, make_kept_key);
    if (kept_key_ok) {
        ctl_reply_free(pthread_getspecific(kept_key));
        if (pthread_setspecific(kept_key, r) == 0)
            return;
    }
    ctl_reply_free(kept_fallback);
    kept_fallback = r;
}

static void drop_kept(void)
{
    pthread_once(&kept_once, make_kept_key);
    if (kept_key_ok && pthread_getspecific(kept_key)) {
        ctl_reply_free(pthread_getspecific(kept_key));
        pthread_setspecific(kept_key, NULL);
    }
    ctl_reply_free(kept_fallback);
    kept_fallback = NULL;
}

/* ---- the steps of a stub ------------------------------------------------------------ */

static void reply_error(ctl_reply *r, const char *type, const char *message)
{
    char *t = strdup(type ? type : "ctl.Error"), *m = strdup(message ? message : "");
    free(r->error_type);
    free(r->error_message);
    r->error_type = t;
    r->error_message = m;
}

/* Ends the call with an error: the client's last error, the reply when one
 * was asked for, the result zeroed, everything else freed. */
static ctl_status fail(ctl_stub *s, ctl_status status, const char *type, const char *message)
{
    if (!message || !*message)
        message = ctl_status_str(status);
    ctli_client_fail(s->client, status, "%s", message);
    if (s->reply) {
        ctl_reply *r = s->r ? s->r : reply_new();
        if (r)
            reply_error(r, type ? type : ctl_status_error_type(status), message);
        *s->reply = r;
    } else {
        ctl_reply_free(s->r);
    }
    s->r = NULL;
    ctl_buf_free(&s->event);
    if (s->result)
        memset(s->result, 0, s->result_size);
    s->status = status;
    return status;
}

/* A stub's own mistake (no stub, no names): nothing to fill, the text for
 * a NULL client. */
static ctl_status stub_misused(const char *what)
{
    return ctli_client_fail(NULL, CTL_ERR_USAGE, "%s", what);
}

ctl_status ctl_stub_start(ctl_stub *s, const void *args, void *result, size_t result_size)
{
    if (!s)
        return stub_misused("ctl_stub_start: the stub is NULL");
    s->ctx = &args_ctx;
    if (!s->controller || !s->function) {
        s->result = NULL;
        s->result_size = 0;
        if (s->reply)
            *s->reply = NULL;
        return fail(s, CTL_ERR_USAGE, NULL, "ctl_stub_start: the stub names no controller or function");
    }
    if (!s->client || !args || (result_size && !result)) {
        const char *missing = !s->client ? "client" : !args ? "args" : "result";
        char message[256];
        snprintf(message, sizeof message, "%s.%s: %s is NULL", s->controller, s->function, missing);
        s->result = result;
        s->result_size = result ? result_size : 0;
        if (s->reply)
            *s->reply = NULL;
        return fail(s, CTL_ERR_USAGE, NULL, message);
    }
    if (s->reply)
        *s->reply = NULL;
    if (result) {
        s->result = result;
        s->result_size = result_size;
        memset(result, 0, result_size);
        if (!s->reply)
            drop_kept();
    }
    return CTL_OK;
}

ctl_status ctl_stub_refuse(ctl_stub *s)
{
    if (!s)
        return stub_misused("ctl_stub_refuse: the stub is NULL");
    if (!s->ctx)
        return fail(s, CTL_ERR_USAGE, NULL, "ctl_stub_refuse: the stub was not started (ctl_stub_start)");
    ctl_ctx *ctx = s->ctx;
    ctl_status status = ctx->status == CTL_ERR_NOMEM ? CTL_ERR_NOMEM : CTL_ERR_INVALID_ARGS;
    fail(s, status, NULL, ctx->error_message ? ctx->error_message : "the arguments break the contract");
    if (ctx == &args_ctx) {
        ctli_ctx_free(&args_ctx);
        memset(&args_ctx, 0, sizeof args_ctx);
    }
    return status;
}

ctl_status ctl_stub_send(ctl_stub *s)
{
    if (!s)
        return stub_misused("ctl_stub_send: the stub is NULL");
    if (!s->ctx || !s->controller)
        return fail(s, CTL_ERR_USAGE, NULL, "ctl_stub_send: the stub was not started (ctl_stub_start)");
    if (s->event.failed)
        return fail(s, CTL_ERR_NOMEM, NULL, "out of memory writing the event");
    /* The client's in-process transport takes the buffer rather than
     * copying it; what is left of it is freed. */
    ctl_status status = ctli_client_send_buf(s->client, s->controller, &s->event);
    ctl_buf_free(&s->event);
    if (status == CTL_OK)
        return CTL_OK;
    /* The client tells why for the rest; these it does not always. */
    char message[256];
    if (status == CTL_ERR_SHUTDOWN)
        snprintf(message, sizeof message, "the client is shutting down; the event for %s was not accepted",
                 s->controller);
    else if (status == CTL_ERR_NOMEM)
        snprintf(message, sizeof message, "out of memory queueing the event for %s", s->controller);
    else
        snprintf(message, sizeof message, "%s", ctl_client_error(s->client));
    return fail(s, status, NULL, message);
}

ctl_status ctl_stub_call(ctl_stub *s)
{
    if (!s)
        return stub_misused("ctl_stub_call: the stub is NULL");
    if (!s->ctx || !s->controller || !s->function)
        return fail(s, CTL_ERR_USAGE, NULL, "ctl_stub_call: the stub was not started (ctl_stub_start)");
    ctl_reply *r = reply_new();
    if (!r)
        return fail(s, CTL_ERR_NOMEM, NULL, "out of memory making the reply");
    s->r = r;
    if (s->event.failed)
        return fail(s, CTL_ERR_NOMEM, NULL, "out of memory writing the event");
    ctl_status status = ctl_client_call(s->client, s->controller, s->event.data, s->event.len, &r->resp);
    ctl_buf_free(&s->event);
    if (status != CTL_OK)
        return fail(s, status, r->resp.error_type, r->resp.error_message);
    ctl_json_error err;
    const ctl_json *root = ctl_json_parse(&r->ctx.arena, r->resp.body ? r->resp.body : "", r->resp.len, &err);
    if (!root) {
        char message[256];
        if (ctli_json_too_deep(&err))
            snprintf(message, sizeof message, "the answer of %s.%s is nested deeper than %d levels, the limit of "
                     "libctl's JSON reader (at byte %zu)", s->controller, s->function, CTL_JSON_MAX_DEPTH, err.offset);
        else
            snprintf(message, sizeof message, "the answer of %s.%s is not JSON: %s at byte %zu", s->controller,
                     s->function, err.message, err.offset);
        return fail(s, CTL_ERR_INVALID_RESULT, NULL, message);
    }
    r->ctx.controller = s->controller;
    r->ctx.function = s->function;
    s->ctx = &r->ctx;
    s->body = root;
    return CTL_OK;
}

ctl_status ctl_stub_finish(ctl_stub *s, int rc)
{
    if (!s)
        return stub_misused("ctl_stub_finish: the stub is NULL");
    ctl_reply *r = s->r;
    if (!r)
        return s->status != CTL_OK
                   ? s->status
                   : fail(s, CTL_ERR_USAGE, NULL, "ctl_stub_finish: the stub made no call (ctl_stub_call)");
    if (rc != 0) {
        ctl_status status = r->ctx.status == CTL_ERR_NOMEM ? CTL_ERR_NOMEM : CTL_ERR_INVALID_RESULT;
        return fail(s, status, NULL, r->ctx.error_message ? r->ctx.error_message : "the result breaks the contract");
    }
    if (s->reply)
        *s->reply = r;
    else if (s->result)
        keep(r);
    else
        ctl_reply_free(r);
    s->r = NULL;
    return CTL_OK;
}
