/* lambda/aws_service.c: one AWS service's settings from a config and the
 * environment (botocore's precedence), the endpoint URL split into origin,
 * base path and Host, the CA bundle, libcurl's start; and the AWS SDKs'
 * standard-mode verdict on retrying a failure. Shared by the Invoke
 * transport and the DynamoDB idempotency store, so both read the
 * environment by one rule. */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lambda/aws_libs.h"
#include "lambda/aws_service.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_code;

static void init_curl(void)
{
    curl_init_code = ctli_aws_lib.curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* The CA bundle to verify https endpoints with. A function.zip carries
 * Debian's libcurl, which looks for Debian's bundle; Amazon Linux keeps it
 * elsewhere. So: SSL_CERT_FILE when set (OpenSSL's own variable), else the
 * first bundle that exists, else libcurl's compiled-in default. */
static const char *ca_bundle(void)
{
    const char *env = getenv("SSL_CERT_FILE");
    if (env && *env)
        return env;
    static const char *const known[] = {
        "/etc/ssl/certs/ca-certificates.crt", /* Debian, Ubuntu */
        "/etc/pki/tls/certs/ca-bundle.crt",   /* Amazon Linux 2023 (Lambda's provided.al2023), Fedora */
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (access(known[i], R_OK) == 0)
            return known[i];
    return NULL;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* The given value, else the first set environment variable. */
static const char *pick(const char *given, const char *env1, const char *env2)
{
    if (given && *given)
        return given;
    const char *v = env1 ? getenv(env1) : NULL;
    if (v && *v)
        return v;
    v = env2 ? getenv(env2) : NULL;
    return v && *v ? v : NULL;
}

void ctli_aws_service_free(ctli_aws_service *s)
{
    free(s->region);
    free(s->ca_file);
    free(s->access_key_id);
    free(s->secret_access_key);
    free(s->session_token);
    free(s->origin);
    free(s->base_path);
    free(s->host);
    memset(s, 0, sizeof *s);
}

/* Splits the endpoint into origin, base path and Host header. Only what an
 * AWS endpoint can be: http or https, a host, a port, a path. */
static int parse_endpoint(ctli_aws_service *s, const char *label, const char *url, char *why, size_t why_cap)
{
    CURLU *u = ctli_aws_lib.curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL, *query = NULL, *user = NULL;
    int rc = -1;
    if (!u) {
        snprintf(why, why_cap, "out of memory");
        return -1;
    }
    if (ctli_aws_lib.curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        ctli_aws_lib.curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        ctli_aws_lib.curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        /* Echoed only when it cannot hold a password (user:pass@host). */
        if (strchr(url, '@'))
            snprintf(why, why_cap, "the %s endpoint is not a URL", label);
        else
            snprintf(why, why_cap, "the %s endpoint '%.200s' is not a URL", label, url);
        goto out;
    }
    if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
        snprintf(why, why_cap, "the %s endpoint's scheme '%.20s' is not http or https", label, scheme);
        goto out;
    }
    if (ctli_aws_lib.curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
        ctli_aws_lib.curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK) {
        /* The URL itself is not echoed: user info may hold a password. */
        snprintf(why, why_cap, "the %s endpoint must have no user info and no query", label);
        goto out;
    }
    ctli_aws_lib.curl_url_get(u, CURLUPART_PORT, &port, 0);
    ctli_aws_lib.curl_url_get(u, CURLUPART_PATH, &path, 0);
    bool default_port = !port || (strcmp(scheme, "http") == 0 && strcmp(port, "80") == 0) ||
                        (strcmp(scheme, "https") == 0 && strcmp(port, "443") == 0);
    size_t n = strlen(scheme) + strlen(host) + (port ? strlen(port) : 0) + 8;
    s->origin = malloc(n);
    s->host = malloc(n);
    size_t plen = path ? strlen(path) : 0;
    while (plen > 0 && path[plen - 1] == '/')
        plen--;
    s->base_path = malloc(plen + 1);
    if (!s->origin || !s->host || !s->base_path) {
        snprintf(why, why_cap, "out of memory");
        goto out;
    }
    if (default_port)
        snprintf(s->host, n, "%s", host);
    else
        snprintf(s->host, n, "%s:%s", host, port);
    snprintf(s->origin, n, "%s://%s", scheme, s->host);
    if (plen)
        memcpy(s->base_path, path, plen);
    s->base_path[plen] = '\0';
    rc = 0;
out:
    ctli_aws_lib.curl_free(scheme);
    ctli_aws_lib.curl_free(host);
    ctli_aws_lib.curl_free(port);
    ctli_aws_lib.curl_free(path);
    ctli_aws_lib.curl_free(query);
    ctli_aws_lib.curl_free(user);
    ctli_aws_lib.curl_url_cleanup(u);
    return rc;
}

ctl_status ctli_aws_service_init(ctli_aws_service *s, const char *service, const char *label, const char *endpoint_env,
                                 const ctli_aws_given *given, char *why, size_t why_cap)
{
    ctli_aws_given none = { 0 };
    const ctli_aws_given *g = given ? given : &none;
    memset(s, 0, sizeof *s);
    /* libcurl and libcrypto come in here, at the first service made
     * (aws_libs.h): the Invoke transport's, at its first send, or the
     * DynamoDB store's. */
    if (ctli_aws_libs_open(why, why_cap) != 0)
        return CTL_ERR_IO;
    pthread_once(&curl_once, init_curl);
    if (curl_init_code != CURLE_OK) {
        snprintf(why, why_cap, "libcurl could not start: %s", ctli_aws_lib.curl_easy_strerror(curl_init_code));
        return CTL_ERR_IO;
    }
    const char *region = pick(g->region, "AWS_REGION", "AWS_DEFAULT_REGION");
    const char *key = pick(g->access_key_id, "AWS_ACCESS_KEY_ID", NULL);
    const char *secret = pick(g->secret_access_key, "AWS_SECRET_ACCESS_KEY", NULL);
    const char *token = pick(g->session_token, "AWS_SESSION_TOKEN", NULL);
    const char *endpoint = pick(g->endpoint_url, endpoint_env, "AWS_ENDPOINT_URL");
    if (!region) {
        snprintf(why, why_cap, "no AWS region: set AWS_REGION (or AWS_DEFAULT_REGION), or the config's region");
        return CTL_ERR_USAGE;
    }
    for (const char *p = region; *p; p++) {
        if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-') {
            snprintf(why, why_cap, "the AWS region '%.64s' is not a region name", region);
            return CTL_ERR_USAGE;
        }
    }
    if (!key || !secret) {
        snprintf(why, why_cap, "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the "
                               "config's access_key_id and secret_access_key");
        return CTL_ERR_USAGE;
    }
    s->region = strdup(region);
    s->access_key_id = strdup(key);
    s->secret_access_key = strdup(secret);
    s->session_token = dup_or_null(token);
    s->ca_file = dup_or_null(ca_bundle());
    if (!s->region || !s->access_key_id || !s->secret_access_key || (token && !s->session_token)) {
        snprintf(why, why_cap, "out of memory");
        return CTL_ERR_NOMEM;
    }
    char fallback[160];
    if (!endpoint) {
        snprintf(fallback, sizeof fallback, "https://%s.%s.amazonaws.com", service, s->region);
        endpoint = fallback;
    }
    if (parse_endpoint(s, label, endpoint, why, why_cap) != 0)
        return CTL_ERR_USAGE;
    return CTL_OK;
}

/* ---- the SDKs' verdict on a failure ------------------------------------------------------------ */

bool ctli_aws_throttle_type(const char *type)
{
    static const char *const names[] = {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(type, names[i]) == 0)
            return true;
    return false;
}

/* Error types the SDKs' standard mode retries whatever their status. */
bool ctli_aws_transient_type(const char *type)
{
    return strcmp(type, "RequestTimeout") == 0 || strcmp(type, "RequestTimeoutException") == 0 ||
           strcmp(type, "InternalError") == 0;
}

bool ctli_aws_access_type(const char *type)
{
    static const char *const names[] = {
        "AccessDeniedException", "UnrecognizedClientException", "InvalidSignatureException",
        "IncompleteSignature", "ExpiredTokenException", "InvalidClientTokenId", "MissingAuthenticationToken",
        "SignatureDoesNotMatch",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(type, names[i]) == 0)
            return true;
    return false;
}

/* The SDKs' transient statuses: 501, 505 and the like say the request
 * itself will not work, so it is not sent again. */
bool ctli_aws_transient_http(long http)
{
    return http == 500 || http == 502 || http == 503 || http == 504;
}

bool ctli_aws_transient_curl(CURLcode code)
{
    switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return true;
    default:
        return false;
    }
}

size_t ctli_aws_on_body(char *data, size_t size, size_t n, void *arg)
{
    ctli_aws_reply *r = arg;
    size_t len = size * n;
    if (r->body.len + len > r->max) {
        r->too_big = true;
        return 0;
    }
    ctl_buf_put(&r->body, data, len);
    return r->body.failed ? 0 : len;
}
