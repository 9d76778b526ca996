/* lambda_invoke.c: the Lambda Invoke transport over libcurl.
 *
 * One thread per client drives a curl multi handle: requests queued by
 * _send and _call are started as long as fewer than max_in_flight are on
 * the wire, and the multi handle's connection cache keeps connections alive
 * between them. _call queues its request like a send and waits on a
 * condition variable, so there is one code path for signing, retries and
 * answers.
 *
 * Retries follow the AWS SDKs' standard mode: at most max_attempts
 * attempts; throttling, 500/502/503/504 and connection errors are retried after a
 * random delay in [0, base * 2^n) capped at 20 s, or after the server's
 * Retry-After; other 4xx never are. A send that fails for good goes to the
 * client's failure sink, so nothing accepted is lost silently.
 *
 * Secrets: the secret key only enters ctli_sigv4_sign(); error texts name
 * the endpoint and what went wrong, never a credential. */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "ctl/gen.h"

#include "base/clock.h"
#include "codec/response.h"
#include "lambda/lambda.h"
#include "lambda/sigv4.h"

#define RETRY_CAP_MS 20000u
/* A reply bigger than any Lambda sends (6 MB and headroom) is cut off. */
#define MAX_REPLY (8u * 1024u * 1024u)
/* The longest header line sent: session tokens run to a few KB. */
#define HEADER_LINE_MAX 8192

typedef struct lreq {
    struct lreq *next;          /* in incoming, or delayed */
    struct lreq *older, *newer; /* sends: in the outstanding list, under mu */
    uint64_t seq;               /* sends: the order they were accepted in */
    bool sync;
    int attempts;               /* made so far */
    uint64_t due_ms;            /* when a retry may start */
    char *controller;           /* sends: for the failure sink */
    char *url;                  /* origin, then path */
    const char *path;           /* in url: "/2015-03-31/functions/NAME/invocations", after any base path */
    char *body;
    size_t len;

    CURL *easy;
    struct curl_slist *headers;
    ctl_buf reply;
    bool reply_too_big;
    char error_type[128];       /* x-amzn-ErrorType, without its ":..." part */
    char function_error[64];    /* X-Amz-Function-Error */
    long retry_after_ms;        /* -1: none */
    char curl_error[CURL_ERROR_SIZE];

    /* sync: the answer, and done when it is there */
    ctl_response *out;
    bool done;
} lreq;

struct ctli_invoke {
    ctl_client *client;
    char *region, *access_key_id, *secret_access_key, *session_token;
    char *origin;               /* "http://127.0.0.1:9001": scheme, host, port */
    char *base_path;            /* the endpoint's path without a trailing '/', often "" */
    char *host;                 /* the Host header: host, and :port unless the default */
    char *ca_file;              /* CA bundle for https, or NULL for libcurl's own (see ca_bundle) */
    long connect_timeout_ms, send_timeout_ms, call_timeout_ms;
    int max_attempts, max_in_flight;
    unsigned backoff_base_ms;
    unsigned seed;              /* for the jitter; the transport thread's alone */

    CURLM *multi;
    pthread_t thread;
    bool started;
    pthread_mutex_t mu;
    pthread_cond_t cv;          /* a call is done, or the oldest outstanding send ended */
    lreq *incoming, *incoming_tail;
    /* Sends accepted and not yet ended (queued, on the wire or waiting to
     * retry), oldest first. A flush waits for those accepted before it
     * began, not for the list to empty: with other threads sending, it may
     * never be empty. */
    lreq *oldest, *newest;
    uint64_t last_seq;
    bool stopping;

    /* the transport thread's own */
    lreq *delayed;              /* by due time */
    int in_flight;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_code;

static void init_curl(void)
{
    curl_init_code = curl_global_init(CURL_GLOBAL_DEFAULT);
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

/* The config field, else the first set environment variable. */
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

static void free_lambda(ctli_invoke *l)
{
    free(l->region);
    free(l->ca_file);
    free(l->access_key_id);
    free(l->secret_access_key);
    free(l->session_token);
    free(l->origin);
    free(l->base_path);
    free(l->host);
    if (l->multi)
        curl_multi_cleanup(l->multi);
    pthread_mutex_destroy(&l->mu);
    pthread_cond_destroy(&l->cv);
    free(l);
}

/* Splits the endpoint into origin, base path and Host header. Only what a
 * Lambda endpoint can be: http or https, a host, a port, a path. */
static int parse_endpoint(ctli_invoke *l, const char *url, char *why, size_t why_cap)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL, *query = NULL, *user = NULL;
    int rc = -1;
    if (!u) {
        snprintf(why, why_cap, "out of memory");
        return -1;
    }
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        /* Echoed only when it cannot hold a password (user:pass@host). */
        if (strchr(url, '@'))
            snprintf(why, why_cap, "the Lambda endpoint is not a URL");
        else
            snprintf(why, why_cap, "the Lambda endpoint '%.200s' is not a URL", url);
        goto out;
    }
    if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
        snprintf(why, why_cap, "the Lambda endpoint's scheme '%.20s' is not http or https", scheme);
        goto out;
    }
    if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
        curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK) {
        /* The URL itself is not echoed: user info may hold a password. */
        snprintf(why, why_cap, "the Lambda endpoint must have no user info and no query");
        goto out;
    }
    curl_url_get(u, CURLUPART_PORT, &port, 0);
    curl_url_get(u, CURLUPART_PATH, &path, 0);
    bool default_port = !port || (strcmp(scheme, "http") == 0 && strcmp(port, "80") == 0) ||
                        (strcmp(scheme, "https") == 0 && strcmp(port, "443") == 0);
    size_t n = strlen(scheme) + strlen(host) + (port ? strlen(port) : 0) + 8;
    l->origin = malloc(n);
    l->host = malloc(n);
    size_t plen = path ? strlen(path) : 0;
    while (plen > 0 && path[plen - 1] == '/')
        plen--;
    l->base_path = malloc(plen + 1);
    if (!l->origin || !l->host || !l->base_path) {
        snprintf(why, why_cap, "out of memory");
        goto out;
    }
    if (default_port) {
        snprintf(l->host, n, "%s", host);
    } else {
        snprintf(l->host, n, "%s:%s", host, port);
    }
    snprintf(l->origin, n, "%s://%s", scheme, l->host);
    if (plen)
        memcpy(l->base_path, path, plen);
    l->base_path[plen] = '\0';
    rc = 0;
out:
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_free(path);
    curl_free(query);
    curl_free(user);
    curl_url_cleanup(u);
    return rc;
}

static void *transport(void *arg);

ctl_status ctli_invoke_new(ctl_client *client, const ctl_lambda_config *config, ctli_invoke **out, char *why,
                          size_t why_cap)
{
    ctl_lambda_config none = { 0 };
    const ctl_lambda_config *c = config ? config : &none;
    *out = NULL;
    pthread_once(&curl_once, init_curl);
    if (curl_init_code != CURLE_OK) {
        snprintf(why, why_cap, "libcurl could not start: %s", curl_easy_strerror(curl_init_code));
        return CTL_ERR_IO;
    }
    const char *region = pick(c->region, "AWS_REGION", "AWS_DEFAULT_REGION");
    const char *key = pick(c->access_key_id, "AWS_ACCESS_KEY_ID", NULL);
    const char *secret = pick(c->secret_access_key, "AWS_SECRET_ACCESS_KEY", NULL);
    const char *token = pick(c->session_token, "AWS_SESSION_TOKEN", NULL);
    const char *endpoint = pick(c->endpoint_url, "AWS_ENDPOINT_URL_LAMBDA", "AWS_ENDPOINT_URL");
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
    if (c->max_attempts < 0 || c->max_in_flight < 0 || c->connect_timeout_ms < 0 || c->timeout_ms < 0) {
        snprintf(why, why_cap, "a negative number in the Lambda config");
        return CTL_ERR_USAGE;
    }
    ctli_invoke *l = calloc(1, sizeof *l);
    if (!l) {
        snprintf(why, why_cap, "out of memory");
        return CTL_ERR_NOMEM;
    }
    pthread_mutex_init(&l->mu, NULL);
    pthread_cond_init(&l->cv, NULL);
    l->client = client;
    l->region = strdup(region);
    l->access_key_id = strdup(key);
    l->secret_access_key = strdup(secret);
    l->session_token = dup_or_null(token);
    l->connect_timeout_ms = c->connect_timeout_ms ? c->connect_timeout_ms : 10000;
    l->send_timeout_ms = c->timeout_ms ? c->timeout_ms : 60000;
    l->call_timeout_ms = c->timeout_ms ? c->timeout_ms : 905000;
    l->max_attempts = c->max_attempts ? c->max_attempts : 3;
    l->backoff_base_ms = c->backoff_base_ms ? c->backoff_base_ms : 100;
    l->max_in_flight = c->max_in_flight ? c->max_in_flight : 64;
    l->seed = (unsigned)time(NULL) ^ (unsigned)(uintptr_t)l;
    l->ca_file = dup_or_null(ca_bundle());
    if (!l->region || !l->access_key_id || !l->secret_access_key || (token && !l->session_token)) {
        snprintf(why, why_cap, "out of memory");
        free_lambda(l);
        return CTL_ERR_NOMEM;
    }
    char fallback[128];
    if (!endpoint) {
        snprintf(fallback, sizeof fallback, "https://lambda.%s.amazonaws.com", l->region);
        endpoint = fallback;
    }
    if (parse_endpoint(l, endpoint, why, why_cap) != 0) {
        free_lambda(l);
        return CTL_ERR_USAGE;
    }
    l->multi = curl_multi_init();
    if (!l->multi) {
        snprintf(why, why_cap, "out of memory");
        free_lambda(l);
        return CTL_ERR_NOMEM;
    }
    curl_multi_setopt(l->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)l->max_in_flight);
    curl_multi_setopt(l->multi, CURLMOPT_MAXCONNECTS, (long)l->max_in_flight);
    if (pthread_create(&l->thread, NULL, transport, l) != 0) {
        snprintf(why, why_cap, "cannot start the Lambda transport thread");
        free_lambda(l);
        return CTL_ERR_NOMEM;
    }
    l->started = true;
    *out = l;
    return CTL_OK;
}

/* ---- requests ------------------------------------------------------------------------ */

static void free_req(lreq *r)
{
    if (r->easy)
        curl_easy_cleanup(r->easy);
    curl_slist_free_all(r->headers);
    ctl_buf_free(&r->reply);
    free(r->controller);
    free(r->url);
    free(r->body);
    free(r);
}

static lreq *make_req(ctli_invoke *l, bool sync, const char *controller, const char *name_path, const char *event,
                      size_t len)
{
    lreq *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->sync = sync;
    r->retry_after_ms = -1;
    size_t origin = strlen(l->origin);
    size_t n = origin + strlen(l->base_path) + strlen(name_path) + 40;
    r->url = malloc(n);
    r->body = malloc(len + 1);
    r->controller = controller ? strdup(controller) : NULL;
    if (!r->url || !r->body || (controller && !r->controller)) {
        free_req(r);
        return NULL;
    }
    snprintf(r->url, n, "%s%s/2015-03-31/functions/%s/invocations", l->origin, l->base_path, name_path);
    r->path = r->url + origin;
    if (len)
        memcpy(r->body, event, len);
    r->body[len] = '\0';
    r->len = len;
    return r;
}

static void enqueue(ctli_invoke *l, lreq *r)
{
    r->next = NULL;
    if (l->incoming_tail)
        l->incoming_tail->next = r;
    else
        l->incoming = r;
    l->incoming_tail = r;
    curl_multi_wakeup(l->multi);
}

ctl_status ctli_invoke_send(ctli_invoke *l, const char *controller, const char *path, const char *event, size_t len)
{
    lreq *r = make_req(l, false, controller, path, event, len);
    if (!r)
        return CTL_ERR_NOMEM;
    pthread_mutex_lock(&l->mu);
    if (l->stopping) {
        pthread_mutex_unlock(&l->mu);
        free_req(r);
        return CTL_ERR_SHUTDOWN;
    }
    r->seq = ++l->last_seq;
    r->older = l->newest;
    if (l->newest)
        l->newest->newer = r;
    else
        l->oldest = r;
    l->newest = r;
    enqueue(l, r);
    pthread_mutex_unlock(&l->mu);
    return CTL_OK;
}

/* True on the transport thread, where the failure sink's callback runs:
 * waiting there for the transport would wait forever. */
static bool on_transport(const ctli_invoke *l)
{
    return l->started && pthread_equal(pthread_self(), l->thread);
}

ctl_status ctli_invoke_call(ctli_invoke *l, const char *path, const char *event, size_t len, ctl_response *resp)
{
    memset(resp, 0, sizeof *resp);
    if (on_transport(l))
        return ctli_response_error(resp, CTL_ERR_USAGE, NULL,
                                  "a sync call from the failure sink's callback (the Lambda transport's thread) "
                                  "would wait for itself");
    lreq *r = make_req(l, true, NULL, path, event, len);
    if (!r)
        return ctli_response_error(resp, CTL_ERR_NOMEM, NULL, NULL);
    r->out = resp;
    pthread_mutex_lock(&l->mu);
    if (l->stopping) {
        pthread_mutex_unlock(&l->mu);
        free_req(r);
        return ctli_response_error(resp, CTL_ERR_SHUTDOWN, NULL, "the client is shutting down");
    }
    enqueue(l, r);
    while (!r->done)
        pthread_cond_wait(&l->cv, &l->mu);
    pthread_mutex_unlock(&l->mu);
    ctl_status status = resp->status;
    free_req(r);
    return status;
}

void ctli_invoke_flush(ctli_invoke *l)
{
    if (on_transport(l))
        return;
    pthread_mutex_lock(&l->mu);
    uint64_t upto = l->last_seq;
    while (l->oldest && l->oldest->seq <= upto)
        pthread_cond_wait(&l->cv, &l->mu);
    pthread_mutex_unlock(&l->mu);
}

void ctli_invoke_free(ctli_invoke *l)
{
    if (!l)
        return;
    ctli_invoke_flush(l);
    pthread_mutex_lock(&l->mu);
    l->stopping = true;
    curl_multi_wakeup(l->multi);
    pthread_mutex_unlock(&l->mu);
    if (l->started)
        pthread_join(l->thread, NULL);
    free_lambda(l);
}

/* ---- one attempt ------------------------------------------------------------------------ */

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
    lreq *r = arg;
    size_t len = size * n;
    if (r->reply.len + len > MAX_REPLY) {
        r->reply_too_big = true;
        return 0;
    }
    ctl_buf_put(&r->reply, data, len);
    return r->reply.failed ? 0 : len;
}

/* The value of header `name` in line, trimmed, or NULL. */
static const char *header_value(const char *line, size_t len, const char *name, size_t *vlen)
{
    size_t n = strlen(name);
    if (len <= n || strncasecmp(line, name, n) != 0 || line[n] != ':')
        return NULL;
    const char *v = line + n + 1, *end = line + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
        end--;
    *vlen = (size_t)(end - v);
    return v;
}

static void copy_value(char *dst, size_t cap, const char *v, size_t n)
{
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, v, n);
    dst[n] = '\0';
}

static size_t on_header(char *line, size_t size, size_t n, void *arg)
{
    lreq *r = arg;
    size_t len = size * n, vlen;
    const char *v;
    if (len >= 5 && memcmp(line, "HTTP/", 5) == 0) {
        /* A new response (after a 100 Continue, say): forget the last. */
        r->error_type[0] = r->function_error[0] = '\0';
        r->retry_after_ms = -1;
    } else if ((v = header_value(line, len, "x-amzn-ErrorType", &vlen))) {
        /* "Type:http://internal.amazon.com/coral/..." carries a suffix. */
        const char *colon = memchr(v, ':', vlen);
        copy_value(r->error_type, sizeof r->error_type, v, colon ? (size_t)(colon - v) : vlen);
    } else if ((v = header_value(line, len, "X-Amz-Function-Error", &vlen))) {
        copy_value(r->function_error, sizeof r->function_error, v, vlen);
    } else if ((v = header_value(line, len, "Retry-After", &vlen))) {
        /* Seconds only; an HTTP date is ignored and the backoff applies. */
        long s = 0;
        size_t i = 0;
        for (; i < vlen && isdigit((unsigned char)v[i]) && s < 100000; i++)
            s = s * 10 + (v[i] - '0');
        if (i == vlen && vlen > 0)
            r->retry_after_ms = s * 1000;
    }
    return len;
}

static struct curl_slist *add_header(struct curl_slist *list, bool *ok, const char *fmt, const char *a,
                                     const char *b)
{
    char line[HEADER_LINE_MAX];
    int n = snprintf(line, sizeof line, fmt, a, b);
    if (n < 0 || (size_t)n >= sizeof line) {
        *ok = false; /* a session token this long is not one */
        return list;
    }
    struct curl_slist *next = curl_slist_append(list, line);
    if (!next) {
        *ok = false;
        return list;
    }
    return next;
}

/* Prepares the easy handle of r's next attempt: headers, signature,
 * timeouts. Returns false when out of memory or the signer refuses. */
static bool start_attempt(ctli_invoke *l, lreq *r)
{
    r->easy = curl_easy_init();
    if (!r->easy)
        return false;
    curl_slist_free_all(r->headers);
    r->headers = NULL;
    ctl_buf_free(&r->reply);
    r->reply_too_big = false;
    r->error_type[0] = r->function_error[0] = r->curl_error[0] = '\0';
    r->retry_after_ms = -1;

    char amz_date[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(amz_date, sizeof amz_date, "%Y%m%dT%H%M%SZ", &tm);
    const char *type = r->sync ? "RequestResponse" : "Event";
    bool ok = true;
    struct curl_slist *h = NULL;
    h = add_header(h, &ok, "Host: %s%s", l->host, "");
    h = add_header(h, &ok, "Content-Type: %s%s", "application/json", "");
    h = add_header(h, &ok, "X-Amz-Date: %s%s", amz_date, "");
    h = add_header(h, &ok, "X-Amz-Invocation-Type: %s%s", type, "");
    if (l->session_token)
        h = add_header(h, &ok, "X-Amz-Security-Token: %s%s", l->session_token, "");
    ctli_sigv4_header signed_headers[5] = {
        { "host", l->host },
        { "content-type", "application/json" },
        { "x-amz-date", amz_date },
        { "x-amz-invocation-type", type },
        { "x-amz-security-token", l->session_token },
    };
    ctli_sigv4_request req = {
        .method = "POST",
        .path = r->path,
        .query = NULL,
        .headers = signed_headers,
        .nheaders = l->session_token ? 5 : 4,
        .payload = r->body,
        .payload_len = r->len,
        .region = l->region,
        .service = "lambda",
        .amz_date = amz_date,
        .normalize_path = true, /* as botocore does for every service but S3 */
    };
    ctli_sigv4_creds creds = { l->access_key_id, l->secret_access_key, l->session_token };
    char auth[CTLI_SIGV4_AUTH_MAX];
    if (ctli_sigv4_sign(&req, &creds, auth, sizeof auth) != 0) {
        curl_slist_free_all(h);
        return false;
    }
    h = add_header(h, &ok, "Authorization: %s%s", auth, "");
    /* libcurl's own additions that nobody signed or needs. */
    h = add_header(h, &ok, "Expect:%s%s", "", "");
    h = add_header(h, &ok, "Accept:%s%s", "", "");
    r->headers = h;
    if (!ok)
        return false;

    CURL *e = r->easy;
    curl_easy_setopt(e, CURLOPT_URL, r->url);
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->len);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->headers);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "ctl/" CTL_VERSION_STRING);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->curl_error);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, l->connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, r->sync ? l->call_timeout_ms : l->send_timeout_ms);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PRIVATE, r);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    /* Never follow redirects: a signed request is for one host only. */
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    if (l->ca_file)
        curl_easy_setopt(e, CURLOPT_CAINFO, l->ca_file);
    return true;
}

/* ---- answers ------------------------------------------------------------------------------- */

static bool is_throttle(const char *type)
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
static bool is_transient(const char *type)
{
    return strcmp(type, "RequestTimeout") == 0 || strcmp(type, "RequestTimeoutException") == 0 ||
           strcmp(type, "InternalError") == 0;
}

static bool is_access(const char *type)
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

/* A string member of a JSON object, or NULL. */
static const char *member(const cJSON *o, const char *name)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(m) ? m->valuestring : NULL;
}

/* Which connection failures are worth another attempt: all of those where
 * the request may not have reached Lambda or its answer was lost. */
static bool transient_curl(CURLcode code)
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

/* The SDKs' transient statuses: 501, 505 and the like say the request
 * itself will not work, so it is not sent again. */
static bool transient_http(long http)
{
    return http == 500 || http == 502 || http == 503 || http == 504;
}

/* The outcome of one attempt. */
typedef struct outcome {
    ctl_status status;
    bool retry;
    char type[128];
    char message[512];
} outcome;

static void judge(ctli_invoke *l, lreq *r, CURLcode code, outcome *o)
{
    memset(o, 0, sizeof *o);
    if (code != CURLE_OK) {
        o->status = r->reply_too_big ? CTL_ERR_SERVICE : CTL_ERR_NETWORK;
        o->retry = transient_curl(code);
        if (r->reply_too_big) {
            /* The status line came before the body was cut: a 5xx the
             * SDKs retry is retried whatever its body. */
            long http = 0;
            curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &http);
            o->retry = transient_http(http);
        }
        snprintf(o->type, sizeof o->type, "%s", ctl_status_error_type(o->status));
        snprintf(o->message, sizeof o->message, "%s from %s: %s",
                 r->reply_too_big ? "a reply over 8 MB" : "no answer", l->origin,
                 r->curl_error[0] ? r->curl_error : curl_easy_strerror(code));
        return;
    }
    long http = 0;
    curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &http);
    cJSON *json = r->reply.len ? cJSON_ParseWithLength(r->reply.data, r->reply.len) : NULL;
    if (http >= 200 && http < 300 && !r->function_error[0]) {
        o->status = CTL_OK;
    } else if (http >= 200 && http < 300) {
        /* The function failed: its own error object, typed. */
        const char *type = cJSON_IsObject(json) ? member(json, "errorType") : NULL;
        const char *msg = cJSON_IsObject(json) ? member(json, "errorMessage") : NULL;
        o->status = CTL_ERR_HANDLER;
        snprintf(o->type, sizeof o->type, "%s", type ? type : r->function_error);
        /* A body that is not the error object (a runtime that died, say)
         * is described, not echoed: it may be any bytes. */
        if (msg)
            snprintf(o->message, sizeof o->message, "%s", msg);
        else if (r->reply.len == 0)
            snprintf(o->message, sizeof o->message, "the function failed (%s) and sent no error", r->function_error);
        else if (!json)
            snprintf(o->message, sizeof o->message,
                     "the function failed (%s) with an error that is not JSON (%zu bytes)", r->function_error,
                     r->reply.len);
        else
            snprintf(o->message, sizeof o->message, "the function failed (%s) with no errorMessage",
                     r->function_error);
    } else {
        const char *type = r->error_type[0] ? r->error_type : NULL;
        const char *msg = NULL;
        if (cJSON_IsObject(json)) {
            if (!type)
                type = member(json, "__type");
            if (!type)
                type = member(json, "Type");
            if (!type)
                type = member(json, "code");
            msg = member(json, "message");
            if (!msg)
                msg = member(json, "Message");
        }
        if (type && strchr(type, '#'))
            type = strchr(type, '#') + 1; /* "com.amazon.coral...#Type" */
        const char *t = type ? type : "";
        if (http == 429 || is_throttle(t))
            o->status = CTL_ERR_THROTTLED;
        else if (http == 404 || strcmp(t, "ResourceNotFoundException") == 0)
            o->status = CTL_ERR_NOT_FOUND;
        else if (http == 413 || strcmp(t, "RequestTooLargeException") == 0)
            o->status = CTL_ERR_TOO_LARGE;
        else if (is_access(t) || (!type && (http == 401 || http == 403)))
            o->status = CTL_ERR_ACCESS_DENIED;
        else if (http >= 500)
            o->status = CTL_ERR_SERVICE;
        else
            o->status = CTL_ERR_REJECTED;
        o->retry = o->status == CTL_ERR_THROTTLED || transient_http(http) || is_transient(t);
        snprintf(o->type, sizeof o->type, "%s", type ? type : ctl_status_error_type(o->status));
        if (msg)
            snprintf(o->message, sizeof o->message, "%s", msg);
        else
            snprintf(o->message, sizeof o->message, "HTTP %ld from %s", http, l->origin);
    }
    cJSON_Delete(json);
}

/* Full jitter: a random time in [0, min(cap, base * 2^n)). */
static uint64_t backoff_ms(ctli_invoke *l, int attempts)
{
    uint64_t ceiling = l->backoff_base_ms;
    for (int i = 1; i < attempts && ceiling < RETRY_CAP_MS; i++)
        ceiling *= 2;
    if (ceiling > RETRY_CAP_MS)
        ceiling = RETRY_CAP_MS;
    return ceiling ? (uint64_t)rand_r(&l->seed) % ceiling : 0;
}

static void push_delayed(ctli_invoke *l, lreq *r)
{
    lreq **at = &l->delayed;
    while (*at && (*at)->due_ms <= r->due_ms)
        at = &(*at)->next;
    r->next = *at;
    *at = r;
}

/* The request has its final outcome: tell whoever waits. */
static void finish(ctli_invoke *l, lreq *r, const outcome *o)
{
    if (r->sync) {
        ctl_response *resp = r->out;
        if (o->status == CTL_OK) {
            /* The result's JSON; a 204 (DryRun) or an empty body reads as null. */
            if (r->reply.len == 0) {
                ctl_buf_free(&r->reply);
                ctl_buf_put(&r->reply, "null", 4);
            }
            ctl_buf_putc(&r->reply, '\0');
            if (r->reply.failed) {
                ctli_response_error(resp, CTL_ERR_NOMEM, NULL, NULL);
            } else {
                resp->status = CTL_OK;
                resp->body = r->reply.data;
                resp->len = r->reply.len - 1;
                r->reply = (ctl_buf)CTL_BUF_INIT;
            }
        } else {
            ctli_response_error(resp, o->status, o->type, o->message);
        }
        pthread_mutex_lock(&l->mu);
        r->done = true;
        pthread_cond_broadcast(&l->cv);
        pthread_mutex_unlock(&l->mu);
        return;
    }
    if (o->status == CTL_OK) {
        ctli_client_count(l->client, 1, 0, 0);
    } else {
        ctl_response resp;
        ctli_response_error(&resp, o->status, o->type, o->message);
        ctli_client_sink_remote(l->client, r->controller, r->body, r->len, r->attempts, &resp);
        ctl_response_free(&resp);
        ctli_client_count(l->client, 0, 0, 1);
    }
    pthread_mutex_lock(&l->mu);
    if (!r->older)
        pthread_cond_broadcast(&l->cv); /* the oldest ended: a flush may be done */
    if (r->older)
        r->older->newer = r->newer;
    else
        l->oldest = r->newer;
    if (r->newer)
        r->newer->older = r->older;
    else
        l->newest = r->older;
    pthread_mutex_unlock(&l->mu);
    free_req(r);
}

static void start(ctli_invoke *l, lreq *r)
{
    r->attempts++;
    if (!start_attempt(l, r) || curl_multi_add_handle(l->multi, r->easy) != CURLM_OK) {
        outcome o = { .status = CTL_ERR_NOMEM };
        snprintf(o.type, sizeof o.type, "%s", ctl_status_error_type(CTL_ERR_NOMEM));
        snprintf(o.message, sizeof o.message, "out of memory preparing the request (or it could not be signed)");
        finish(l, r, &o);
        return;
    }
    l->in_flight++;
}

static void completed(ctli_invoke *l, lreq *r, CURLcode code)
{
    outcome o;
    judge(l, r, code, &o);
    curl_multi_remove_handle(l->multi, r->easy);
    curl_easy_cleanup(r->easy);
    r->easy = NULL;
    l->in_flight--;
    if (o.status != CTL_OK && o.retry && r->attempts < l->max_attempts) {
        uint64_t wait = r->retry_after_ms >= 0 ? (uint64_t)r->retry_after_ms : backoff_ms(l, r->attempts);
        if (wait > RETRY_CAP_MS)
            wait = RETRY_CAP_MS;
        r->due_ms = ctli_now_ms() + wait;
        push_delayed(l, r);
        if (!r->sync)
            ctli_client_count(l->client, 0, 1, 0);
        return;
    }
    finish(l, r, &o);
}

static void *transport(void *arg)
{
    ctli_invoke *l = arg;
    for (;;) {
        /* Start what may start: due retries first, then new requests. */
        uint64_t now = ctli_now_ms();
        while (l->in_flight < l->max_in_flight && l->delayed && l->delayed->due_ms <= now) {
            lreq *r = l->delayed;
            l->delayed = r->next;
            start(l, r);
        }
        pthread_mutex_lock(&l->mu);
        lreq *fresh = NULL;
        int room = l->max_in_flight - l->in_flight;
        lreq **tail = &fresh;
        while (room > 0 && l->incoming) {
            lreq *r = l->incoming;
            l->incoming = r->next;
            r->next = NULL;
            *tail = r;
            tail = &r->next;
            room--;
        }
        if (!l->incoming)
            l->incoming_tail = NULL;
        bool more = l->incoming != NULL;
        bool stop = l->stopping && !l->incoming && !fresh && !l->delayed && l->in_flight == 0;
        pthread_mutex_unlock(&l->mu);
        if (stop)
            break;
        while (fresh) {
            lreq *r = fresh;
            fresh = r->next;
            start(l, r);
        }

        int running = 0;
        curl_multi_perform(l->multi, &running);
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(l->multi, &left))) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            lreq *r = NULL;
            CURLcode code = msg->data.result;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&r);
            completed(l, r, code);
        }

        /* With every slot taken nothing can start before a transfer ends,
         * which wakes the poll: a due retry or a queued request must not
         * turn it into a loop. */
        int wait = 1000;
        bool has_room = l->in_flight < l->max_in_flight;
        if (more && has_room) {
            wait = 0;
        } else if (l->delayed && has_room) {
            now = ctli_now_ms();
            uint64_t due = l->delayed->due_ms;
            wait = due <= now ? 0 : (due - now < 1000 ? (int)(due - now) : 1000);
        }
        if (wait > 0 || running > 0)
            curl_multi_poll(l->multi, NULL, 0, wait, NULL);
    }
    return NULL;
}
