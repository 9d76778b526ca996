/* stub.c: what the generated stubs call (ctl/gen.h: ctl_stub_*), and the
 * replies of sync calls (ctl/ctl.h: ctl_reply_*). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/gen.h"

#include "codec/ctx.h"

/* ---- stubs and replies ---------------------------------------------------------------- */

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

static void reply_error(ctl_reply *reply, const char *type, const char *message)
{
    free(reply->error_type);
    free(reply->error_message);
    reply->error_type = strdup(type ? type : "ctl.Error");
    reply->error_message = strdup(message ? message : "");
}

int ctl_stub_send(ctl_client *client, const char *controller, ctl_buf *b)
{
    ctl_status status = b->failed ? CTL_ERR_NOMEM : ctl_client_send(client, controller, b->data, b->len);
    ctl_buf_free(b);
    return (int)status;
}

int ctl_stub_call(ctl_client *client, const char *controller, ctl_buf *b, ctl_reply **reply, ctl_ctx **ctx,
                  const ctl_json **body)
{
    ctl_reply *r = calloc(1, sizeof *r);
    *reply = r;
    if (!r) {
        ctl_buf_free(b);
        return CTL_ERR_NOMEM;
    }
    ctli_ctx_init(&r->ctx);
    if (b->failed) {
        ctl_buf_free(b);
        reply_error(r, ctl_status_error_type(CTL_ERR_NOMEM), "out of memory writing the event");
        return CTL_ERR_NOMEM;
    }
    ctl_status status = ctl_client_call(client, controller, b->data, b->len, &r->resp);
    ctl_buf_free(b);
    if (status != CTL_OK) {
        reply_error(r, r->resp.error_type, r->resp.error_message);
        return (int)status;
    }
    ctl_json_error err;
    const ctl_json *root = ctl_json_parse(&r->ctx.arena, r->resp.body, r->resp.len, &err);
    if (!root) {
        reply_error(r, ctl_status_error_type(CTL_ERR_INVALID_RESULT), "the response is not JSON");
        return CTL_ERR_INVALID_RESULT;
    }
    r->ctx.controller = controller;
    r->ctx.function = "";
    *ctx = &r->ctx;
    *body = root;
    return 0;
}

int ctl_stub_done(ctl_reply *reply, int rc)
{
    if (rc == 0)
        return 0;
    reply_error(reply, ctl_status_error_type(CTL_ERR_INVALID_RESULT),
                reply->ctx.error_message ? reply->ctx.error_message : "the result does not match the spec");
    return CTL_ERR_INVALID_RESULT;
}

int ctl_stub_bad_args(ctl_buf *b, ctl_reply **reply, const char *controller, const char *function)
{
    ctl_buf_free(b);
    if (reply) {
        ctl_reply *r = calloc(1, sizeof *r);
        *reply = r;
        if (r) {
            ctli_ctx_init(&r->ctx);
            char msg[256];
            snprintf(msg, sizeof msg,
                     "the arguments of %s.%s cannot be written (a required string is NULL or not UTF-8, "
                     "or a float is not finite)",
                     controller, function);
            reply_error(r, ctl_status_error_type(CTL_ERR_INVALID_ARGS), msg);
        }
    }
    return CTL_ERR_INVALID_ARGS;
}
