/* serve/discovery.c: ListFunctions and GetFunction, with the fields of
 * botocore's FunctionConfiguration that describe a served controller: its
 * name (FunctionName, and Handler), its ARN (serve's region, the account
 * Lambda's 000000000000 unless the FunctionName gave one), Runtime
 * provided.al2023 (what `ctlc sam` deploys), Timeout (--timeout), the
 * version $LATEST, State Active, the start of the server as LastModified.
 * Fields serve has nothing true to say of (Role, CodeSha256, Code) are
 * left out. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ctl/gen.h"

#include "serve/discovery.h"
#include "serve/http.h"
#include "serve/options.h"
#include "serve/target.h"

#define LIST_DEFAULT 50
#define LIST_MAX 10000

#if defined(__aarch64__)
#define ARCHITECTURE "arm64"
#else
#define ARCHITECTURE "x86_64"
#endif

/* The FunctionConfiguration of served controller c into b. */
static void function_json(ctl_buf *b, const serve *s, const ctl_controller *c, const char *account)
{
    char arn[512], when[64], num[128];
    ctli_serve_function_arn(s, c->name, account, NULL, arn, sizeof arn);
    time_t secs = (time_t)(s->started_ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    size_t w = strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(when + w, sizeof when - w, ".%03u+0000", (unsigned)(s->started_ms % 1000));
    CTL_BUF_LIT(b, "{\"FunctionName\":");
    ctl_write_string(b, c->name);
    CTL_BUF_LIT(b, ",\"FunctionArn\":");
    ctl_write_string(b, arn);
    CTL_BUF_LIT(b, ",\"Runtime\":\"provided.al2023\",\"Handler\":");
    ctl_write_string(b, c->name);
    snprintf(num, sizeof num, ",\"CodeSize\":0,\"Description\":\"\",\"Timeout\":%u,\"MemorySize\":128",
             s->opt.timeout_ms / 1000);
    ctl_buf_put(b, num, strlen(num));
    CTL_BUF_LIT(b, ",\"LastModified\":");
    ctl_write_string(b, when);
    CTL_BUF_LIT(b, ",\"Version\":\"$LATEST\",\"State\":\"Active\",\"LastUpdateStatus\":\"Successful\","
                   "\"PackageType\":\"Zip\",\"Architectures\":[\"" ARCHITECTURE "\"]}");
}

static enum MHD_Result answer(serve *s, req *r, ctl_buf *b)
{
    if (b->failed) {
        ctl_buf_free(b);
        return ctli_serve_error(s, r, 500, "ServiceException", "Message", "out of memory");
    }
    ctli_serve_log(s, r, r->controller ? r->controller->name : NULL, r->type, 200, NULL);
    return ctli_serve_respond(r, 200, b->data, b->len, NULL, false);
}

enum MHD_Result ctli_serve_list_functions(serve *s, req *r)
{
    r->type = "ListFunctions";
    snprintf(r->function, sizeof r->function, "-");
    const char *max = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "MaxItems");
    const char *marker = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "Marker");
    unsigned long n = LIST_DEFAULT, from = 0;
    if (max && (ctli_serve_parse_uint(max, LIST_MAX, &n) != 0 || n < 1))
        return ctli_serve_error(s, r, 400, "InvalidParameterValueException", "message",
                                "1 validation error detected: Value '%.40s' at 'maxItems' failed to satisfy "
                                "constraint: Member must be a number from 1 to %d",
                                max, LIST_MAX);
    /* The markers handed out are the index of the next function. */
    if (marker && *marker && (ctli_serve_parse_uint(marker, s->nhosted, &from) != 0 || from == 0))
        return ctli_serve_error(s, r, 400, "InvalidParameterValueException", "message",
                                "Marker '%.80s' is not one this server handed out", marker);
    ctl_buf b = CTL_BUF_INIT;
    CTL_BUF_LIT(&b, "{\"Functions\":[");
    size_t k = from;
    for (; k < s->nhosted && k < from + n; k++) {
        if (k > from)
            ctl_buf_putc(&b, ',');
        function_json(&b, s, s->hosted[k], NULL);
    }
    ctl_buf_putc(&b, ']');
    if (k < s->nhosted) {
        char next[64];
        snprintf(next, sizeof next, ",\"NextMarker\":\"%zu\"", k);
        ctl_buf_put(&b, next, strlen(next));
    }
    ctl_buf_putc(&b, '}');
    return answer(s, r, &b);
}

enum MHD_Result ctli_serve_get_function(serve *s, req *r, const char *fn, size_t n)
{
    r->type = "GetFunction";
    ctli_serve_target t;
    enum MHD_Result out;
    if (ctli_serve_resolve(s, r, fn, n, &t, &out) != 0)
        return out;
    ctl_buf b = CTL_BUF_INIT;
    CTL_BUF_LIT(&b, "{\"Configuration\":");
    function_json(&b, s, t.controller, t.account);
    ctl_buf_putc(&b, '}');
    return answer(s, r, &b);
}
