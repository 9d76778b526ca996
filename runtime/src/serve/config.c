/* serve/config.c: the FunctionEventInvokeConfig operations on HTTP (see
 * config.h):
 *   PUT    /2019-09-25/functions/{fn}/event-invoke-config       PutFunctionEventInvokeConfig (replaces)
 *   POST   /2019-09-25/functions/{fn}/event-invoke-config       UpdateFunctionEventInvokeConfig (merges)
 *   GET    /2019-09-25/functions/{fn}/event-invoke-config       GetFunctionEventInvokeConfig
 *   DELETE /2019-09-25/functions/{fn}/event-invoke-config       DeleteFunctionEventInvokeConfig
 *   GET    /2019-09-25/functions/{fn}/event-invoke-config/list  ListFunctionEventInvokeConfigs
 * with botocore's shapes (config_json.h). A function's config is the one put
 * through the API, else the spec's (@retries, @max_event_age in its table),
 * which is what `ctlc sam` deploys as the function's EventInvokeConfig; else
 * none. What was put is kept, and read by the async core, in
 * config_store.c. */
#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "ctl/gen.h"

#include "base/clock.h"
#include "common/rules.h"
#include "serve/config.h"
#include "serve/config_json.h"
#include "serve/config_store.h"
#include "serve/http.h"
#include "serve/target.h"

/* Lambda's range of MaxFunctionEventInvokeConfigListItems (botocore's
 * model). */
#define MAX_LIST_ITEMS 50

/* ---- the operations --------------------------------------------------------------------- */

/* What a Put or an Update gives. */
typedef struct given {
    bool has_retries, has_age;
    int retries, age_s;
    ctli_serve_dests dests;               /* DestinationConfig's sides given */
} given;

/* A range error as Lambda words it. */
static enum MHD_Result out_of_range(serve *s, req *r, const char *field, long long v, int min, int max)
{
    bool low = v < min;
    return ctli_serve_error(s, r, 400, "InvalidParameterValueException", "message",
                            "1 validation error detected: Value '%lld' at '%s' failed to satisfy constraint: Member "
                            "must have value %s than or equal to %d",
                            v, field, low ? "greater" : "less", low ? min : max);
}

/* Reads a Put's or an Update's body into *g: 0, or -1 after answering (*out). */
static int read_body(serve *s, req *r, given *g, enum MHD_Result *out)
{
    memset(g, 0, sizeof *g);
    ctl_json_error jerr;
    const ctl_json *root = ctl_json_parse(&r->ctx.arena, r->len ? r->body : "{}", r->len ? r->len : 2, &jerr);
    if (!root || root->type != CTL_JSON_OBJECT) {
        *out = ctli_serve_error(s, r, 400, "InvalidRequestContentException", "message",
                                "Could not parse request body into json: %s", root ? "not an object" : jerr.message);
        return -1;
    }
    char buf[512];
    for (const ctl_json *m = root->child; m; m = m->next) {
        bool retries = strcmp(m->key, "MaximumRetryAttempts") == 0, age = strcmp(m->key, "MaximumEventAgeInSeconds") == 0;
        if (retries || age) {
            if (m->type == CTL_JSON_NULL)
                continue;
            int64_t v;
            const ctl_path at = { &ctl_path_root, m->key, m->key_len, 0 };
            if (ctl_read_int(&r->ctx, m, &at, &v) != 0) {
                *out = ctli_serve_error(s, r, 400, "InvalidParameterValueException", "message",
                                        "%s must be an integer", m->key);
                return -1;
            }
            int min = retries ? CTLI_RULE_RETRIES_MIN : CTLI_RULE_EVENT_AGE_MIN_S,
                max = retries ? CTLI_RULE_RETRIES_MAX : CTLI_RULE_EVENT_AGE_MAX_S;
            if (v < min || v > max) {
                *out = out_of_range(s, r, retries ? "maximumRetryAttempts" : "maximumEventAgeInSeconds",
                                    (long long)v, min, max);
                return -1;
            }
            if (retries)
                g->has_retries = true, g->retries = (int)v;
            else
                g->has_age = true, g->age_s = (int)v;
        } else if (strcmp(m->key, "DestinationConfig") == 0) {
            if (ctli_serve_config_parse_dests(s, m, &g->dests, buf, sizeof buf) != 0) {
                *out = ctli_serve_error(s, r, 400, "InvalidParameterValueException", "message", "%s", buf);
                return -1;
            }
        }
    }
    return 0;
}

/* The FunctionEventInvokeConfig of v (of controller c) into b. */
static void config_json(ctl_buf *b, const serve *s, const ctli_serve_target *t, const ctl_controller *c,
                        const ctli_serve_eic *v)
{
    char arn[512], num[96];
    const char *name = c->name, *account = t ? t->account : NULL;
    ctli_serve_function_arn(s, name, account, "$LATEST", arn, sizeof arn);
    snprintf(num, sizeof num, "{\"LastModified\":%" PRIu64 ".%03u,\"FunctionArn\":", v->modified_ms / 1000,
             (unsigned)(v->modified_ms % 1000));
    ctl_buf_put(b, num, strlen(num));
    ctl_write_string(b, arn);
    ctli_serve_config_put_settings(b, v);
    CTL_BUF_LIT(b, ",\"DestinationConfig\":{\"OnSuccess\":");
    ctli_serve_config_put_destination(b, s, account, v->on_success);
    CTL_BUF_LIT(b, ",\"OnFailure\":");
    ctli_serve_config_put_destination(b, s, account, v->on_failure);
    CTL_BUF_LIT(b, "}}");
}

static enum MHD_Result answer(serve *s, req *r, ctl_buf *b)
{
    if (b->failed) {
        ctl_buf_free(b);
        return ctli_serve_error(s, r, 500, "ServiceException", "Message", "out of memory");
    }
    ctli_serve_log(s, r, r->controller->name, r->type, 200, NULL);
    return ctli_serve_respond(r, 200, b->data, b->len, NULL, false);
}

static enum MHD_Result no_config(serve *s, req *r, const ctli_serve_target *t, bool spec)
{
    char arn[512];
    ctli_serve_function_arn(s, t->name, t->account, "$LATEST", arn, sizeof arn);
    return ctli_serve_error(s, r, 404, "ResourceNotFoundException", "Message",
                            spec ? "The function %s has no EventInvokeConfig put through the API: its settings are "
                                   "its spec's (@retries, @max_event_age), built into the binary, which Delete "
                                   "cannot remove"
                                 : "The function %s doesn't have an EventInvokeConfig",
                            arn);
}

static enum MHD_Result list(serve *s, req *r, const ctli_serve_target *t, size_t k)
{
    const char *max = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "MaxItems");
    const char *marker = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "Marker");
    unsigned long n;
    if (max && (ctli_serve_parse_uint(max, 1000000, &n) != 0 || n < 1 || n > MAX_LIST_ITEMS))
        return ctli_serve_error(s, r, 400, "InvalidParameterValueException", "message",
                                "1 validation error detected: Value '%.40s' at 'maxItems' failed to satisfy "
                                "constraint: Member must be a number from 1 to %d",
                                max, MAX_LIST_ITEMS);
    /* A function has one config here (every qualifier names the one build):
     * a list never needs a second page, so no Marker was handed out. */
    if (marker && *marker)
        return ctli_serve_error(s, r, 400, "InvalidParameterValueException", "message",
                                "Marker '%.80s' is not one this server handed out (its lists have one page)", marker);
    ctli_serve_eic v;
    pthread_mutex_lock(&s->config->mu);
    ctli_serve_config_view(s, k, &v);
    pthread_mutex_unlock(&s->config->mu);
    ctl_buf b = CTL_BUF_INIT;
    CTL_BUF_LIT(&b, "{\"FunctionEventInvokeConfigs\":[");
    if (v.present)
        config_json(&b, s, t, s->hosted[k], &v);
    CTL_BUF_LIT(&b, "]}");
    return answer(s, r, &b);
}

/* Put (replace is true) or Update (merge) of served controller k. */
static enum MHD_Result put(serve *s, req *r, const ctli_serve_target *t, size_t k, bool replace)
{
    given g;
    enum MHD_Result out;
    if (read_body(s, r, &g, &out) != 0)
        return out;
    struct ctli_serve_config *cf = s->config;
    pthread_mutex_lock(&cf->mu);
    ctli_serve_eic v;
    ctli_serve_config_view(s, k, &v);
    if (!replace && !v.present) {
        pthread_mutex_unlock(&cf->mu);
        return no_config(s, r, t, false);
    }
    if (replace) /* fields left out go back to Lambda's defaults; destinations to none */
        v.retries = -1, v.age_s = 0, v.on_success = v.on_failure = NULL;
    if (g.has_retries)
        v.retries = g.retries;
    if (g.has_age)
        v.age_s = g.age_s;
    for (int i = 0; i < 2; i++) /* each side given replaces that side */
        if (g.dests.has[i])
            *(i ? &v.on_failure : &v.on_success) = g.dests.dest[i].name ? &g.dests.dest[i] : NULL;
    v.present = true;
    v.from_spec = false;
    uint64_t w;
    if (ctli_serve_config_pack(cf, &v, &w) != 0) {
        int err = errno;
        pthread_mutex_unlock(&cf->mu);
        if (err == ENOSPC)
            return ctli_serve_error(s, r, 400, "InvalidParameterValueException", "Message",
                                    "this server keeps at most %u distinct destinations a run",
                                    CTLI_SERVE_CONFIG_POOL_CAP - 1);
        return ctli_serve_error(s, r, 500, "ServiceException", "Message", "out of memory");
    }
    ctli_serve_config_unpack(cf, w, &v); /* the interned destinations, which outlive the request */
    v.present = true;
    v.from_spec = false;
    v.modified_ms = ctli_wall_ms();
    if (ctli_serve_config_save(s, k, w, v.modified_ms) != 0) {
        int err = errno;
        pthread_mutex_unlock(&cf->mu);
        return ctli_serve_error(s, r, 500, "ServiceException", "Message",
                                "cannot write %s (%s): the configuration is unchanged", cf->path, strerror(err));
    }
    cf->modified_ms[k] = v.modified_ms;
    atomic_store_explicit(&cf->put[k], w, memory_order_release); /* the core's next decision sees it */
    pthread_mutex_unlock(&cf->mu);
    ctl_buf b = CTL_BUF_INIT;
    config_json(&b, s, t, s->hosted[k], &v);
    return answer(s, r, &b);
}

static enum MHD_Result get(serve *s, req *r, const ctli_serve_target *t, size_t k)
{
    ctli_serve_eic v;
    pthread_mutex_lock(&s->config->mu);
    ctli_serve_config_view(s, k, &v);
    pthread_mutex_unlock(&s->config->mu);
    if (!v.present)
        return no_config(s, r, t, false);
    ctl_buf b = CTL_BUF_INIT;
    config_json(&b, s, t, s->hosted[k], &v);
    return answer(s, r, &b);
}

/* Delete: back to the spec's settings. */
static enum MHD_Result delete(serve *s, req *r, const ctli_serve_target *t, size_t k)
{
    struct ctli_serve_config *cf = s->config;
    pthread_mutex_lock(&cf->mu);
    ctli_serve_eic v;
    ctli_serve_config_view(s, k, &v);
    if (!v.present || v.from_spec) {
        pthread_mutex_unlock(&cf->mu);
        return no_config(s, r, t, v.from_spec);
    }
    if (ctli_serve_config_save(s, k, 0, 0) != 0) {
        int err = errno;
        pthread_mutex_unlock(&cf->mu);
        return ctli_serve_error(s, r, 500, "ServiceException", "Message",
                                "cannot write %s (%s): the configuration is unchanged", cf->path, strerror(err));
    }
    cf->modified_ms[k] = 0;
    atomic_store_explicit(&cf->put[k], 0, memory_order_release);
    pthread_mutex_unlock(&cf->mu);
    ctli_serve_log(s, r, r->controller->name, r->type, 204, NULL);
    return ctli_serve_respond(r, 204, NULL, 0, NULL, false);
}

enum MHD_Result ctli_serve_config_request(serve *s, req *r, const char *method, const char *fn, size_t n,
                                          bool is_list)
{
    enum { PUT, UPDATE, GET, DELETE, LIST, NONE } op = NONE;
    if (is_list)
        op = strcmp(method, "GET") == 0 ? LIST : NONE;
    else if (strcmp(method, "PUT") == 0)
        op = PUT;
    else if (strcmp(method, "POST") == 0)
        op = UPDATE;
    else if (strcmp(method, "GET") == 0)
        op = GET;
    else if (strcmp(method, "DELETE") == 0)
        op = DELETE;
    static const char *const names[] = { "PutFunctionEventInvokeConfig", "UpdateFunctionEventInvokeConfig",
                                         "GetFunctionEventInvokeConfig", "DeleteFunctionEventInvokeConfig",
                                         "ListFunctionEventInvokeConfigs" };
    if (op == NONE) {
        snprintf(r->function, sizeof r->function, "%.*s", (int)(n < 60 ? n : 60), fn);
        return ctli_serve_error(s, r, 404, "UnknownOperationException", "message",
                                "no operation %s on event-invoke-config%s here", method, is_list ? "/list" : "");
    }
    r->type = names[op];
    ctli_serve_target t;
    enum MHD_Result out;
    if (ctli_serve_resolve(s, r, fn, n, &t, &out) != 0)
        return out;
    size_t k = (size_t)ctli_serve_config_served_index(s, t.controller);
    switch (op) {
    case PUT:
        return put(s, r, &t, k, true);
    case UPDATE:
        return put(s, r, &t, k, false);
    case GET:
        return get(s, r, &t, k);
    case DELETE:
        return delete(s, r, &t, k);
    default:
        return list(s, r, &t, k);
    }
}
