/* codec/ctx.h: the invocation context behind ctl_ctx (ctx.c): its memory,
 * its first error, where the invocation came from. */
#ifndef CTL_CODEC_CTX_H
#define CTL_CODEC_CTX_H

#include <stdarg.h>
#include <stdint.h>

#include "ctl/ctl.h"

#include "base/private.h"
#include "codec/arena.h"

CTLI_BEGIN_PRIVATE

/* What one invocation may allocate: generous for any event Lambda accepts
 * (6 MB), small enough that a hostile one cannot take the machine. */
#define CTLI_INVOCATION_MEMORY (256u * 1024u * 1024u)

/* What the Lambda Runtime API says of one invocation (the headers of
 * GET /next). Borrowed by the ctx for the call; NULL strings are absent. */
typedef struct ctli_invocation_meta {
    const char *request_id;
    const char *function_arn;
    const char *trace_id;
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
    ctl_client *client;
    void *user;
    struct cJSON **trees;       /* json fields to delete at the end (malloc'd array) */
    size_t ntrees, cap_trees;
};

void ctli_ctx_init(ctl_ctx *ctx);
/* Deletes json trees and resets the arena (keeps its biggest block). */
void ctli_ctx_reset(ctl_ctx *ctx);
/* Frees everything the ctx holds. */
void ctli_ctx_free(ctl_ctx *ctx);
/* Sets the error unless one is set; returns -1. error_type NULL means the
 * status's own type. */
int ctli_ctx_error(ctl_ctx *ctx, ctl_status status, const char *error_type, const char *fmt, ...)
    CTL_PRINTF(4, 5);
int ctli_ctx_verror(ctl_ctx *ctx, ctl_status status, const char *error_type, const char *fmt, va_list ap);

CTLI_END_PRIVATE

#endif
