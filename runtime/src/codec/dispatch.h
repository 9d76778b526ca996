/* codec/dispatch.h: dispatch entries for libctl's transports and servers
 * (dispatch.c). */
#ifndef CTL_CODEC_DISPATCH_H
#define CTL_CODEC_DISPATCH_H

#include <stddef.h>

#include "ctl/ctl.h"
#include "ctl/gen.h"
#include "ctl/json.h"

#include "base/private.h"
#include "codec/ctx.h"

CTLI_BEGIN_PRIVATE

/* What a transport knows of an invocation, for the handler's ctx. */
typedef struct ctli_invocation {
    ctl_client *client;         /* ctl_ctx_client() */
    void *user;                 /* ctl_ctx_user() */
    int attempt;                /* ctl_ctx_attempt(): tries before this one */
    const ctli_invocation_meta *meta; /* the Lambda runtime loop's (borrowed for the call), else NULL */
    const char *trace_id;       /* the X-Ray trace header it came with (borrowed for the call), or NULL:
                                   ctl_ctx_trace_id() when it keeps the rule (ctli_trace_ok), and the
                                   trace of every send the handler makes on its thread */
    const struct ctli_idem_store *idem; /* the idempotency store (borrowed for the call), or NULL:
                                           @idempotent functions run as any other (codec/idem.h) */
    int64_t idem_until_ms;      /* when a claim of an idempotency key expires (wall ms): the
                                   invocation's deadline; 0: the Lambda loop's (meta), else 900 s */
    size_t memory;              /* what the call's arena may take from the system beyond the warm
                                   block it starts with (serve's reservation for it); 0:
                                   CTLI_INVOCATION_MEMORY */
} ctli_invocation;

/* ctl_dispatch with what the transport knows (inv may be NULL), on the
 * calling thread's cached context. */
ctl_status ctli_dispatch_invocation(const ctl_controller *c, const char *event, size_t len,
                                    const ctli_invocation *inv, ctl_response *resp);

/* The steps of ctli_dispatch_invocation, on a context of the caller's
 * (ctli_ctx_init'ed; ctli_ctx_reset or _free it after run): begin sets
 * who runs (and the trace, dropped when it breaks the rule); run makes
 * the ctx's trace the thread's (ctli_trace_current) while the handler
 * runs; parse reads the event into the ctx's arena (NULL: the error,
 * ctl.InvalidJSON or ctl.OutOfMemory, is in the ctx); find looks up the
 * function the "function" field names (NULL: the error, ctl.InvalidEvent or
 * ctl.UnknownFunction, is in the ctx; NULL root: parse's); run invokes it,
 * or with f NULL answers the ctx's error, filling *resp either way. */
void ctli_dispatch_begin(ctl_ctx *ctx, const ctl_controller *c, const ctli_invocation *inv);
const ctl_json *ctli_dispatch_parse(ctl_ctx *ctx, const char *event, size_t len);
const ctl_function *ctli_dispatch_find(ctl_ctx *ctx, const ctl_controller *c, const ctl_json *root);
ctl_status ctli_dispatch_run(ctl_ctx *ctx, const ctl_controller *c, const ctl_function *f, const ctl_json *root,
                             ctl_response *resp);

/* The one-pass read's first step (dispatch.c's top comment): the function
 * an event names when it starts {"function":"NAME" with a plain name
 * (printable ASCII, no escape), cur (on the event) then after the name,
 * ready for the function's invoke; NULL for any other event and for the
 * functions read from a tree only (@records, @idempotent with a store). */
const ctl_function *ctli_dispatch_named_first(ctl_ctx *ctx, const ctl_controller *c, ctl_cursor *cur);

/* Frees the calling thread's cached invocation context and the response
 * body memory it kept (response.c) (worker threads and ctl_main call it
 * before they end). */
void ctli_thread_release(void);

CTLI_END_PRIVATE

#endif
