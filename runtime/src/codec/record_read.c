/* codec/record_read.c: the reader of Lambda's invocation record
 * (ctl_record, ctl.h) for @records functions, and the test that tells a
 * record from an event (dispatch.c). The record's writer is
 * client/record.c. */
#include <string.h>

#include "ctl/gen.h"
#include "ctl/json.h"

#include "codec/fail.h"
#include "codec/record_read.h"

static const ctl_json *member(const ctl_json *obj, const char *key)
{
    size_t n = strlen(key);
    for (const ctl_json *m = obj->child; m; m = m->next)
        if (m->key_len == n && memcmp(m->key, key, n) == 0)
            return m;
    return NULL;
}

bool ctli_is_record(const ctl_json *root)
{
    return root && root->type == CTL_JSON_OBJECT && member(root, "requestContext") &&
           member(root, "requestPayload") && !member(root, "function");
}

#define STEP(up, k) (&(ctl_path){ (up), (k), (uint32_t)strlen(k), 0 })

/* An optional string member (absent or null: NULL). */
static int opt_string(ctl_ctx *ctx, const ctl_json *obj, const ctl_path *at, const char *key, const char **out)
{
    const ctl_json *v = member(obj, key);
    *out = NULL;
    if (!v || v->type == CTL_JSON_NULL)
        return 0;
    return ctl_read_string(ctx, v, STEP(at, key), out);
}

static int opt_int(ctl_ctx *ctx, const ctl_json *obj, const ctl_path *at, const char *key, int64_t *out)
{
    const ctl_json *v = member(obj, key);
    *out = 0;
    if (!v || v->type == CTL_JSON_NULL)
        return 0;
    return ctl_read_int(ctx, v, STEP(at, key), out);
}

int ctl_record_read(ctl_ctx *ctx, const ctl_json *event, ctl_record *out)
{
    if (!event || !out)
        return ctli_fail_usage(ctx, "ctl_record_read", !event ? "event is NULL" : "out is NULL");
    memset(out, 0, sizeof *out);
    const ctl_path *root = &ctl_path_root;
    if (ctl_expect(ctx, event, root, CTL_JSON_OBJECT))
        return -1;
    const ctl_json *rc = member(event, "requestContext"), *req = member(event, "requestPayload");
    if (!rc)
        return ctl_fail_missing(ctx, root, "requestContext");
    if (!req)
        return ctl_fail_missing(ctx, root, "requestPayload");
    const ctl_path *rcp = STEP(root, "requestContext");
    if (ctl_expect(ctx, rc, rcp, CTL_JSON_OBJECT))
        return -1;
    if (opt_string(ctx, event, root, "version", &out->version) ||
        opt_string(ctx, event, root, "timestamp", &out->timestamp) ||
        opt_string(ctx, rc, rcp, "requestId", &out->request_id) ||
        opt_string(ctx, rc, rcp, "functionArn", &out->function_arn) ||
        opt_string(ctx, rc, rcp, "condition", &out->condition) ||
        opt_int(ctx, rc, rcp, "approximateInvokeCount", &out->approximate_invoke_count) ||
        ctl_read_json(ctx, req, STEP(root, "requestPayload"), &out->request_payload))
        return -1;
    const ctl_json *resp = member(event, "responseContext");
    if (resp && resp->type != CTL_JSON_NULL) {
        const ctl_path *rsp = STEP(root, "responseContext");
        if (ctl_expect(ctx, resp, rsp, CTL_JSON_OBJECT) || opt_int(ctx, resp, rsp, "statusCode", &out->status_code) ||
            opt_string(ctx, resp, rsp, "executedVersion", &out->executed_version) ||
            opt_string(ctx, resp, rsp, "functionError", &out->function_error))
            return -1;
    }
    const ctl_json *payload = member(event, "responsePayload");
    if (payload && ctl_read_json(ctx, payload, STEP(root, "responsePayload"), &out->response_payload))
        return -1;
    return 0;
}
