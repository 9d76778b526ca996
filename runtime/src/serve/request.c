/* serve/request.c: a request from its first header to its end: reading
 * the body within Lambda's limits (its headers checked first by door.c),
 * routing it by path and method (the
 * configuration API to config.c, ListFunctions and GetFunction to
 * discovery.c), and an Invoke
 *   POST /2015-03-31/functions/{FunctionName}/invocations[?Qualifier=Q]
 *   X-Amz-Invocation-Type: RequestResponse (default) | Event | DryRun
 * of a served controller (its FunctionName resolved by target.c) handed
 * to the event queue (events.c), the HTTP thread (inline.c) or a sync
 * runner (sync.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/clock.h"
#include "codec/json_read.h"
#include "serve/auth.h"
#include "serve/config.h"
#include "serve/discovery.h"
#include "serve/door.h"
#include "serve/drain.h"
#include "serve/events.h"
#include "serve/http.h"
#include "serve/inline.h"
#include "serve/learn.h"
#include "serve/memory.h"
#include "serve/slots.h"
#include "serve/request.h"
#include "serve/sync.h"
#include "serve/target.h"

#define DISCARD_LIMIT (64u * 1024u * 1024u) /* past this, 413 at once and close */
#define INLINE_MAX_BODY 65536               /* a body larger is parsed on its runner, not the HTTP thread */

typedef enum { INV_SYNC, INV_EVENT, INV_DRYRUN } inv_type;

/* Is the body JSON text that the controller's reader takes? Checked before
 * an event is accepted, as Lambda does (a sync call finds out in
 * dispatch). *too_deep: it may be JSON, but nests deeper than the reader
 * goes. */
static bool is_json(req *r, const char *body, size_t len, bool *too_deep)
{
    ctl_json_error err;
    bool ok = ctl_json_parse(&r->ctx.arena, body, len, &err) != NULL;
    *too_deep = !ok && ctli_json_too_deep(&err);
    ctli_arena_free(&r->ctx.arena);
    return ok;
}

static enum MHD_Result accept_event(serve *s, req *r, const char *body, size_t len)
{
    bool too_deep;
    if (!is_json(r, body, len, &too_deep)) {
        if (too_deep)
            return ctli_serve_error(s, r, 400, "InvalidRequestContentException", "message",
                                    "Could not parse request body into json: the payload is nested deeper than %d "
                                    "levels, the limit of this server's JSON reader",
                                    CTL_JSON_MAX_DEPTH);
        return ctli_serve_error(s, r, 400, "InvalidRequestContentException", "message",
                                "Could not parse request body into json: the payload is not JSON text");
    }
    pthread_mutex_lock(&s->mu);
    if (atomic_load(&s->closing)) {
        pthread_mutex_unlock(&s->mu);
        return ctli_serve_shutting_down(s, r);
    }
    /* Every live event is in memory: a flood of them is refused, by count
     * and by bytes, the check and the accept under one lock (the core's).
     * The event carries the accepting thread's trace: the request's. */
    const char *outer = ctli_trace_enter(r->trace);
    ctl_status status = ctli_serve_event_accept(s, r, body, len);
    ctli_trace_leave(outer);
    int err = errno;
    uint64_t id = r->accepted ? r->accepted->id : 0;
    pthread_mutex_unlock(&s->mu);
    if (status == CTL_ERR_THROTTLED)
        return ctli_serve_throttled(s, r, "ReservedFunctionConcurrentInvocationLimitExceeded");
    if (status == CTL_ERR_IO)
        return ctli_serve_error(s, r, 500, "ServiceException", "Message",
                                "the event cannot be journaled (%s), so it is not accepted", strerror(err));
    if (status != CTL_OK)
        return ctli_serve_error(s, r, 500, "ServiceException", "Message", "out of memory");
    ctli_serve_request_id(s, true, id, r->request_id);
    ctli_serve_log(s, r, r->controller->name, "Event", 202, NULL);
    return ctli_serve_respond(r, 202, NULL, 0, NULL, false);
}

/* An Invoke of the function in the path segment fn (n bytes). */
static enum MHD_Result invoke(serve *s, req *r, const char *fn, size_t n)
{
    const char *type_header = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Amz-Invocation-Type");
    inv_type type = INV_SYNC;
    if (!type_header || strcmp(type_header, "RequestResponse") == 0) {
        r->type = "RequestResponse";
    } else if (strcmp(type_header, "Event") == 0) {
        type = INV_EVENT;
        r->type = "Event";
    } else if (strcmp(type_header, "DryRun") == 0) {
        type = INV_DRYRUN;
        r->type = "DryRun";
    } else {
        snprintf(r->function, sizeof r->function, "%.*s", (int)(n < 60 ? n : 60), fn);
        return ctli_serve_error(s, r, 400, "InvalidParameterValueException", "message",
                                "1 validation error detected: Value '%.60s' at 'invocationType' failed to satisfy "
                                "constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]",
                                type_header);
    }
    /* The trace: the client's header when it keeps the rule, else a new
     * one (a hostile or malformed header is dropped, never cut or echoed). */
    const char *trace = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Amzn-Trace-Id");
    if (ctli_trace_ok(trace))
        snprintf(r->trace, sizeof r->trace, "%s", trace);
    else
        ctli_trace_new(r->trace);
    ctli_serve_target t;
    enum MHD_Result out;
    if (ctli_serve_resolve(s, r, fn, n, &t, &out) != 0)
        return out;
    size_t limit = type == INV_EVENT ? CTL_MAX_ASYNC_PAYLOAD : CTL_MAX_SYNC_PAYLOAD;
    if (r->too_large || r->len > limit)
        return ctli_serve_error(s, r, 413, "RequestTooLargeException", "message",
                                "Request must be smaller than %zu bytes for the InvokeFunction operation", limit);
    const char *body = r->len ? r->body : "{}"; /* no payload: the event {} */
    size_t len = r->len ? r->len : 2;

    if (type == INV_DRYRUN) {
        ctli_serve_log(s, r, r->controller->name, "DryRun", 204, NULL);
        return ctli_serve_respond(r, 204, NULL, 0, NULL, false);
    }
    /* The most its parse may take, from the budget, before it starts
     * (the arena is held to it): memory.c. */
    if (!ctli_serve_reserve_parse(s, r, len))
        return ctli_serve_memory_throttled(s, r);
    if (!ctli_serve_payload_ok(s, r, body, len, &out)) /* invalid UTF-8: events.c */
        return out;
    if (type == INV_EVENT)
        return accept_event(s, r, body, len);
    /* Where a call runs depends on its function: the body is parsed here,
     * once, and the tree goes with the call. A large one, or one that
     * cannot run here anyway, is parsed where it runs. */
    if (!s->opt.no_inline && !atomic_load(&s->inline_off) && len <= INLINE_MAX_BODY)
        r->fn = ctli_serve_prepare_call(s, r, body, len);
    if (r->fn && atomic_load(&r->fn->state) == FN_FAST)
        return ctli_serve_run_inline(s, r);
    return ctli_serve_queue_call(s, r);
}

/* Does url start with prefix? Then *rest is what follows. */
static bool starts(const char *url, const char *prefix, const char **rest)
{
    size_t n = strlen(prefix);
    if (strncmp(url, prefix, n) != 0)
        return false;
    *rest = url + n;
    return true;
}

/* Routes a request by its path and method:
 *   POST   /2015-03-31/functions/{FunctionName}/invocations        Invoke (here)
 *   GET    /2015-03-31/functions[/]                                ListFunctions (discovery.c)
 *   GET    /2015-03-31/functions/{FunctionName}                    GetFunction (discovery.c)
 *   PUT, POST, GET, DELETE
 *          /2019-09-25/functions/{FunctionName}/event-invoke-config    (config.c)
 *   GET    /2019-09-25/functions/{FunctionName}/event-invoke-config/list
 * The segment {FunctionName} holds no '/' (botocore encodes it). */
static enum MHD_Result handle(serve *s, req *r, const char *url, const char *method)
{
    ctli_serve_body_whole(s, r);
    if (r->too_large) {
        /* The body was dropped as it came (it cannot be checked against
         * a signature either): the front door refuses it. */
        return ctli_serve_error(s, r, 413, "RequestTooLargeException", "message",
                                "Request must be smaller than %u bytes for the InvokeFunction operation",
                                CTL_MAX_SYNC_PAYLOAD);
    }
    if (s->opt.require_auth) {
        enum MHD_Result out;
        if (ctli_serve_check_auth(s, r, url, method, &out) != 0)
            return out;
    }
    const char *rest, *slash;
    if (starts(url, "/2015-03-31/functions", &rest)) {
        if (strcmp(method, "GET") == 0 && (!*rest || strcmp(rest, "/") == 0))
            return ctli_serve_list_functions(s, r);
        if (*rest == '/' && rest[1]) {
            const char *fn = rest + 1;
            slash = strchr(fn, '/');
            if (!slash && strcmp(method, "GET") == 0)
                return ctli_serve_get_function(s, r, fn, strlen(fn));
            if (slash && slash > fn && strcmp(slash, "/invocations") == 0 && strcmp(method, "POST") == 0)
                return invoke(s, r, fn, (size_t)(slash - fn));
        }
    } else if (starts(url, "/2019-09-25/functions/", &rest) && (slash = strchr(rest, '/')) && slash > rest) {
        if (strcmp(slash, "/event-invoke-config") == 0)
            return ctli_serve_config_request(s, r, method, rest, (size_t)(slash - rest), false);
        if (strcmp(slash, "/event-invoke-config/list") == 0)
            return ctli_serve_config_request(s, r, method, rest, (size_t)(slash - rest), true);
    }
    snprintf(r->function, sizeof r->function, "%.60s", url);
    return ctli_serve_error(s, r, 404, "UnknownOperationException", "message",
                            "no operation %s %.200s here: this endpoint serves Invoke, ListFunctions, GetFunction "
                            "and the FunctionEventInvokeConfig operations (runtime/README.md, \"Local serve\")",
                            method, url);
}

/* Past this many bytes of a body, the connection is not read further
 * (a Content-Length that large is answered 413 before its body; a chunked
 * body is cut when it gets there, as MHD cannot answer mid-body). */
static bool past_discard_limit(uint64_t bytes)
{
    return bytes > DISCARD_LIMIT;
}

enum MHD_Result ctli_serve_on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                      const char *version, const char *upload_data, size_t *upload_size,
                                      void **req_cls)
{
    serve *s = cls;
    req *r = *req_cls;
    if (!r) {
        r = calloc(1, sizeof *r);
        if (!r)
            return MHD_NO;
        r->s = s;
        r->conn = conn;
        r->refs = 1;
        r->start_us = ctli_now_us();
        ctli_ctx_init(&r->ctx);
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
        r->slot = ci ? ci->socket_context : NULL;
        bool signalled = ctli_serve_stop_pending(); /* before draining is read: drain.h */
        pthread_mutex_lock(&s->mu);
        ctli_serve_request_id(s, false, ++s->next_sync_id, r->request_id);
        bool draining = s->draining || signalled;
        pthread_mutex_unlock(&s->mu);
        *req_cls = r;
        if (draining) {
            /* A kept-alive connection asking for more while the server
             * drains, or any request once SIGTERM is sent: no (the SDKs
             * retry a 503), and the connection closes. */
            return ctli_serve_shutting_down(s, r);
        }
        const char *broken = ctli_serve_door_check(conn, version);
        if (broken)
            return ctli_serve_bad_http(s, r, "%s", broken);
        /* With --require-auth, a request that cannot be signed right is
         * refused on its headers, before its body takes any memory; the
         * signature itself, which covers the body, once it is whole. */
        enum MHD_Result out;
        if (s->opt.require_auth && ctli_serve_check_auth_headers(s, r, &out) != 0)
            return out;
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        unsigned long long n = cl ? strtoull(cl, NULL, 10) : 0;
        if (past_discard_limit(n)) {
            /* Reading that much only to drop it is not worth it: say so
             * now; MHD closes the connection after the answer. */
            r->too_large = true;
            return ctli_serve_error(s, r, 413, "RequestTooLargeException", "message",
                                    "Request must be smaller than %u bytes for the InvokeFunction operation",
                                    CTL_MAX_SYNC_PAYLOAD);
        }
        /* What is announced, from the memory budget before a byte comes
         * (a body past the largest payload is dropped as it comes, and
         * takes nothing); the buffer is mapped as the bytes arrive. */
        if (n > CTL_MAX_SYNC_PAYLOAD)
            r->too_large = true;
        else if (n > 0) {
            if (!ctli_serve_reserve_body(s, r, (size_t)n + 1))
                return ctli_serve_memory_throttled(s, r);
            r->body = malloc((size_t)n + 1);
            r->cap = r->body ? (size_t)n + 1 : 0;
        }
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        r->received += n;
        if (past_discard_limit(r->received))
            return MHD_NO; /* a chunked body past the limit: the connection closes */
        /* Past the largest payload the body is read and dropped, so the
         * client sees the 413 instead of a reset. */
        if (!r->too_large && r->len + n > CTL_MAX_SYNC_PAYLOAD) {
            r->too_large = true;
            free(r->body);
            r->body = NULL;
            r->len = r->cap = 0;
        }
        if (!r->too_large) {
            if (r->len + n + 1 > r->cap) {
                /* A chunked body (no Content-Length): it takes from the
                 * budget as it grows; past it the connection closes, as
                 * MHD cannot answer in the middle of a body. */
                size_t cap = r->cap ? r->cap : 4096;
                while (cap < r->len + n + 1)
                    cap *= 2;
                if (!ctli_serve_reserve_body(s, r, cap - r->cap))
                    return MHD_NO;
                char *bigger = realloc(r->body, cap);
                if (!bigger)
                    return MHD_NO;
                r->body = bigger;
                r->cap = cap;
            }
            memcpy(r->body + r->len, upload_data, n);
            r->len += n;
            r->body[r->len] = '\0';
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->state == R_DONE) {
        pthread_mutex_lock(&s->mu);
        r->state = R_ANSWERED; /* answered */
        pthread_mutex_unlock(&s->mu);
        return ctli_serve_call_answer(s, r);
    }
    if (r->state != R_READING)
        return MHD_YES;
    r->state = R_ANSWERED;
    return handle(s, r, url, method);
}

void ctli_serve_on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                             enum MHD_RequestTerminationCode code)
{
    (void)conn;
    (void)code;
    serve *s = cls;
    req *r = *req_cls;
    if (!r)
        return;
    *req_cls = NULL;
    pthread_mutex_lock(&s->mu);
    ctli_serve_unhold(r);
    /* Answered (or the client left): the drain waits for nothing more of
     * it, even when a stuck runner still holds the request. */
    ctli_serve_event_release(s, r);
    if (r->committed)
        atomic_fetch_sub(&s->committed, 1);
    ctli_serve_req_unref(r);
    pthread_mutex_unlock(&s->mu);
}

size_t ctli_serve_keep_escapes(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return strlen(s);
}
