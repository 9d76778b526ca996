/* codec/ctx.h: the invocation context behind ctl_ctx (ctx.c): its memory,
 * its first error, where the invocation came from; what the sends a
 * handler makes carry of its invocation (its trace, its send group). */
#ifndef CTL_CODEC_CTX_H
#define CTL_CODEC_CTX_H

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "ctl/ctl.h"

#include "base/private.h"
#include "codec/arena.h"

CTLI_BEGIN_PRIVATE

/* What one invocation may allocate: generous for any event Lambda accepts
 * (6 MB), small enough that a hostile one cannot take the machine. */
#define CTLI_INVOCATION_MEMORY (256u * 1024u * 1024u)

/* What the parse of an n-byte event may take from the system, tree and
 * typed arguments: the arena limit a caller that reserves memory for it
 * sets (serve's --max-request-mb). JSON text amplifies at most this much:
 * the worst, "[0,0,...]", is 2 bytes per 48-byte node (24 n); typed
 * arguments add their own copies. For a controller that holds_json, a json
 * field's cJSON tree adds up to 40 n (an 80-byte malloc chunk per 2 bytes),
 * charged to the same limit (codec/read.c) beside the parse's blocks, which
 * hold up to 43 n (the nodes' 24 n and the slack of the arena's doubling
 * blocks): 96. Capped at CTLI_INVOCATION_MEMORY. */
static inline size_t ctli_parse_cost(size_t n, bool holds_json)
{
    const size_t factor = holds_json ? 96 : 32, base = 64 * 1024;
    return n > (CTLI_INVOCATION_MEMORY - base) / factor ? CTLI_INVOCATION_MEMORY : base + factor * n;
}

/* What the Lambda Runtime API says of one invocation (the headers of
 * GET /next). Borrowed by the ctx for the call; NULL strings are absent. */
typedef struct ctli_invocation_meta {
    const char *request_id;
    const char *function_arn;
    const char *client_context;
    const char *cognito_identity;
    int64_t deadline_ms;        /* ms since the epoch; 0 = none */
} ctli_invocation_meta;

struct ctl_ctx {
    ctl_arena arena;
    ctl_status status;          /* first error wins */
    char *error_type;           /* in the arena */
    char *error_message;        /* in the arena */
    const char *controller, *function;
    uint64_t request_number;     /* formatted into request_id on first use */
    char request_id[40];
    int attempt;
    const ctli_invocation_meta *meta; /* NULL outside the Lambda runtime loop */
    const char *trace_id;       /* the X-Ray trace header (ctli_trace_ok), borrowed for the call; or NULL */
    ctl_client *client;
    void *user;
    const struct ctli_idem_store *idem; /* where @idempotent functions claim keys (borrowed for the
                                           call), or NULL: they run as any other */
    int64_t idem_until_ms;      /* ctli_invocation's: when a claim expires (wall ms), or 0 */
    struct cJSON **trees;       /* json fields to delete at the end (malloc'd array) */
    size_t ntrees, cap_trees;
};

void ctli_ctx_init(ctl_ctx *ctx);
/* Deletes json trees and resets the arena (keeps its biggest block). */
void ctli_ctx_reset(ctl_ctx *ctx);
/* Where a ctx without an error was: ctli_ctx_rollback() deletes the json
 * trees made since ctli_ctx_mark_now(), rolls the arena back and clears the
 * error set since (the dispatch, after a one-pass reader declined). */
typedef struct ctli_ctx_mark {
    ctli_arena_mark arena;
    size_t ntrees;
} ctli_ctx_mark;
ctli_ctx_mark ctli_ctx_mark_now(const ctl_ctx *ctx);
void ctli_ctx_rollback(ctl_ctx *ctx, ctli_ctx_mark m);
/* Frees everything the ctx holds. */
void ctli_ctx_free(ctl_ctx *ctx);
/* Sets the error unless one is set; returns -1. error_type NULL means the
 * status's own type. */
int ctli_ctx_error(ctl_ctx *ctx, ctl_status status, const char *error_type, const char *fmt, ...)
    CTL_PRINTF(4, 5);
int ctli_ctx_verror(ctl_ctx *ctx, ctl_status status, const char *error_type, const char *fmt, va_list ap);

/* ---- the trace ------------------------------------------------------------------- */

/* An invocation's X-Ray trace header (Root=1-5759e988-bd862e3fe1be46a994272793;
 * Parent=53995c3f42cd8ad8;Sampled=1) goes with everything its handler sends.
 * The rule, here only: a trace header is 1 to CTLI_TRACE_MAX bytes of
 * visible ASCII (0x21..0x7e: no space, no control character), and one of
 * its ';'-separated fields starts "Root=". Whatever comes in breaking it
 * (a client's header, an event's) is dropped, never cut: dispatch gives
 * the handler no trace then, and serve starts one. */
#define CTLI_TRACE_MAX 256
/* The length of the trace header Root=1-XXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXX. */
#define CTLI_TRACE_NEW_LEN 40

/* True when s (NUL-terminated; NULL is false) keeps the rule above. */
bool ctli_trace_ok(const char *s);

/* Writes a new trace header into out: Root=1-<the epoch seconds, 8 hex
 * digits>-<96 random bits, 24 hex digits>, X-Ray's format. */
void ctli_trace_new(char out[CTLI_TRACE_NEW_LEN + 1]);

/* The trace of the invocation whose handler runs on the calling thread
 * (set by dispatch around the handler), or NULL: what a send made on this
 * thread carries. Borrowed: valid until the handler returns. */
const char *ctli_trace_current(void);

/* Makes trace (NULL: none) the calling thread's until ctli_trace_leave(),
 * which restores what ctli_trace_enter returned. Nests. trace is borrowed
 * and must outlive the scope. */
const char *ctli_trace_enter(const char *trace);
void ctli_trace_leave(const char *previous);

/* ---- the invocation's sends ------------------------------------------------------ */

/* The sends one invocation of the Lambda loop has made and that have not
 * ended yet: the in-process events it started (and those they start in
 * turn, being run in the same group), and its sends to other Lambda
 * functions until acknowledged or sunk. A poller of the loop waits for its
 * group to empty after posting the response (the post-response flush), so
 * that with concurrent pollers it waits for its own invocation's sends
 * and never for another's (runtime/README.md, "Concurrent pollers"). The
 * accepting transport counts a send in (add) before it can end, and out
 * (done) at its end; a send made on a thread with no group is nobody's. */
typedef struct ctli_sendgroup {
    pthread_mutex_t mu;
    pthread_cond_t empty;
    size_t pending;
} ctli_sendgroup;

void ctli_sendgroup_init(ctli_sendgroup *g);
void ctli_sendgroup_destroy(ctli_sendgroup *g);
/* One more send, one fewer; NULL g: nothing. */
void ctli_sendgroup_add(ctli_sendgroup *g);
void ctli_sendgroup_done(ctli_sendgroup *g);
/* Waits until nothing of g is pending. */
void ctli_sendgroup_wait(ctli_sendgroup *g);

/* The group the sends made on the calling thread join, or NULL; enter
 * makes g the thread's until ctli_sendgroup_leave(the returned previous
 * one). g is borrowed and must outlive the scope. */
ctli_sendgroup *ctli_sendgroup_current(void);
ctli_sendgroup *ctli_sendgroup_enter(ctli_sendgroup *g);
void ctli_sendgroup_leave(ctli_sendgroup *previous);

CTLI_END_PRIVATE

#endif
