/* lambda/aws_service.h: what libctl's clients of AWS services (Lambda's
 * Invoke, DynamoDB's idempotency store) share, in aws_service.c: the
 * settings of one service from a config and the environment, in botocore's
 * precedence (region, credentials, endpoint URL, CA bundle), and the AWS
 * SDKs' standard-mode verdict on which failures are worth another attempt. */
#ifndef CTL_LAMBDA_AWS_SERVICE_H
#define CTL_LAMBDA_AWS_SERVICE_H

#include <stdbool.h>
#include <stddef.h>

#include <curl/curl.h>

#include "ctl/ctl.h"
#include "ctl/gen.h"

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* How to reach one AWS service. Strings malloc'd, owned by the struct. */
typedef struct ctli_aws_service {
    char *region, *access_key_id, *secret_access_key, *session_token; /* session_token may be NULL */
    char *origin;               /* "http://127.0.0.1:9001": scheme, host, port */
    char *base_path;            /* the endpoint's path without a trailing '/', often "" */
    char *host;                 /* the Host header: host, and :port unless the default */
    char *ca_file;              /* CA bundle for https, or NULL for libcurl's own */
} ctli_aws_service;

/* What a caller gives; each NULL or "" field takes the environment. */
typedef struct ctli_aws_given {
    const char *region, *endpoint_url, *access_key_id, *secret_access_key, *session_token;
} ctli_aws_given;

/* Fills s for the service whose endpoint prefix is service ("lambda",
 * "dynamodb") and whose own endpoint variable is endpoint_env
 * ("AWS_ENDPOINT_URL_DYNAMODB"): region from given, AWS_REGION,
 * AWS_DEFAULT_REGION (required); credentials from given, AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY (required), AWS_SESSION_TOKEN; endpoint from given,
 * endpoint_env, AWS_ENDPOINT_URL, else https://SERVICE.REGION.amazonaws.com
 * (http or https, no user info, no query); the CA bundle from SSL_CERT_FILE
 * or the first known system bundle. label names the service in messages
 * ("Lambda"). Opens libcurl and libcrypto (aws_libs.h) and starts libcurl
 * the first time. CTL_OK, or CTL_ERR_USAGE /
 * CTL_ERR_NOMEM / CTL_ERR_IO with the reason in why (never a secret, nor a
 * URL that may hold a password). ctli_aws_service_free() frees what s
 * holds, also after an error. */
ctl_status ctli_aws_service_init(ctli_aws_service *s, const char *service, const char *label, const char *endpoint_env,
                                 const ctli_aws_given *given, char *why, size_t why_cap);
void ctli_aws_service_free(ctli_aws_service *s);

/* A reply's body as libcurl hands it over, up to max bytes: the
 * CURLOPT_WRITEFUNCTION ctli_aws_on_body() fills it (CURLOPT_WRITEDATA:
 * the struct); past max it stops the transfer and sets too_big. */
typedef struct ctli_aws_reply {
    ctl_buf body;
    size_t max;
    bool too_big;
} ctli_aws_reply;
size_t ctli_aws_on_body(char *data, size_t size, size_t n, void *arg);

/* The SDKs' standard retry mode, by an error's type (the part after any
 * '#' or before any ':', as AWS sends it): throttling, transient, or a
 * refusal of the credentials. */
bool ctli_aws_throttle_type(const char *type);
bool ctli_aws_transient_type(const char *type);
bool ctli_aws_access_type(const char *type);
/* An HTTP status the SDKs send again (500, 502, 503, 504). */
bool ctli_aws_transient_http(long http);
/* A libcurl failure after which the request may not have arrived or its
 * answer was lost: worth another attempt. */
bool ctli_aws_transient_curl(CURLcode code);

CTLI_END_PRIVATE

#endif
