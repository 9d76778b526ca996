/* lambda/invoke_wire.h: what the Invoke transport (invoke.c) puts on the
 * wire: its settings from ctl_lambda_config and the environment
 * (invoke_config.c), and one request with its attempts: signed, sent,
 * answered and judged (invoke_http.c). */
#ifndef CTL_LAMBDA_INVOKE_WIRE_H
#define CTL_LAMBDA_INVOKE_WIRE_H

#include <stdbool.h>
#include <stdint.h>

#include <curl/curl.h>

#include "ctl/gen.h"

#include "base/private.h"
#include "lambda/aws_service.h"

CTLI_BEGIN_PRIVATE

/* The endpoint and how to reach it. */
typedef struct ctli_invoke_wire {
    ctli_aws_service aws;       /* region, credentials, endpoint, CA bundle (lambda/aws_service.h) */
    long connect_timeout_ms, send_timeout_ms, call_timeout_ms;
    int max_attempts, max_in_flight;
    unsigned backoff_base_ms;
} ctli_invoke_wire;

/* Fills w from config (NULL: none) and the environment, starting libcurl
 * the first time. CTL_OK, or an error with the reason in why (never a
 * secret). ctli_invoke_wire_free() frees what it holds, also after an
 * error. */
ctl_status ctli_invoke_wire_init(ctli_invoke_wire *w, const ctl_lambda_config *config, char *why, size_t why_cap);
void ctli_invoke_wire_free(ctli_invoke_wire *w);

/* One Invoke request, from its acceptance to its final outcome. */
typedef struct ctli_invoke_req {
    struct ctli_invoke_req *next;          /* in incoming, or delayed */
    struct ctli_invoke_req *older, *newer; /* sends: in the outstanding list */
    uint64_t seq;               /* sends: the order they were accepted in */
    bool sync;                  /* RequestResponse; else Event */
    int attempts;               /* made so far */
    uint64_t due_ms;            /* when a retry may start */
    char *controller;           /* sends: for the failure sink */
    char *url;                  /* origin, then path */
    const char *path;           /* in url: "/2015-03-31/functions/NAME/invocations", after any base path */
    char *body;                 /* len bytes, then a NUL */
    size_t len;
    char *trace;                /* the X-Amzn-Trace-Id value (ctli_invoke_trace_value), or NULL */
    struct ctli_sendgroup *group; /* sends: the sender's send group (codec/ctx.h), counted out at the
                                     final outcome; or NULL */

    /* the attempt on the wire */
    CURL *easy;
    struct curl_slist *headers;
    ctli_aws_reply reply;       /* up to MAX_REPLY (invoke_http.c) */
    char error_type[128];       /* x-amzn-ErrorType, without its ":..." part */
    char function_error[64];    /* X-Amz-Function-Error */
    long retry_after_ms;        /* -1: none */
    char curl_error[CURL_ERROR_SIZE];

    /* sync: the answer, and done when it is there */
    ctl_response *out;
    bool done;
} ctli_invoke_req;

/* The X-Amzn-Trace-Id value for trace (a header that keeps the rule of
 * codec/ctx.h; NULL: none), as botocore's recursion detection writes it:
 * urllib's quote(trace, safe='-=;:+&[]{}"\',') (letters, digits and
 * "_.-~" stay too; any other byte is %XX, upper case). malloc'd, or NULL
 * for no trace or out of memory. The header is sent, never signed (botocore
 * keeps x-amzn-trace-id out of SigV4). */
char *ctli_invoke_trace_value(const char *trace);

/* Prepares the easy handle of r's next attempt: headers, signature,
 * timeouts. false when out of memory or the signer refuses. */
bool ctli_invoke_prepare(const ctli_invoke_wire *w, ctli_invoke_req *r);

/* The outcome of one attempt. */
typedef struct ctli_invoke_outcome {
    ctl_status status;
    bool retry;                 /* worth another attempt (the SDKs' standard mode) */
    char type[128];
    char message[512];
} ctli_invoke_outcome;

/* Judges r's finished attempt (code: libcurl's result) as the AWS SDKs
 * do: status, type and message, and whether to retry. */
void ctli_invoke_judge(const ctli_invoke_wire *w, ctli_invoke_req *r, CURLcode code, ctli_invoke_outcome *o);

CTLI_END_PRIVATE

#endif
