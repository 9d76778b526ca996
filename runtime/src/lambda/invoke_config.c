/* lambda/invoke_config.c: the Invoke transport's settings: ctl_lambda_config
 * and the environment (botocore's precedence), the endpoint URL split into
 * origin, base path and Host, the CA bundle; and libcurl's start. */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lambda/invoke_wire.h"

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

void ctli_invoke_wire_free(ctli_invoke_wire *w)
{
    free(w->region);
    free(w->ca_file);
    free(w->access_key_id);
    free(w->secret_access_key);
    free(w->session_token);
    free(w->origin);
    free(w->base_path);
    free(w->host);
    memset(w, 0, sizeof *w);
}

/* Splits the endpoint into origin, base path and Host header. Only what a
 * Lambda endpoint can be: http or https, a host, a port, a path. */
static int parse_endpoint(ctli_invoke_wire *l, const char *url, char *why, size_t why_cap)
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

ctl_status ctli_invoke_wire_init(ctli_invoke_wire *w, const ctl_lambda_config *config, char *why, size_t why_cap)
{
    ctl_lambda_config none = { 0 };
    const ctl_lambda_config *c = config ? config : &none;
    memset(w, 0, sizeof *w);
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
        snprintf(why, why_cap, "the Lambda config's %s is negative (0 takes the default)",
                 c->max_attempts < 0        ? "max_attempts"
                 : c->max_in_flight < 0     ? "max_in_flight"
                 : c->connect_timeout_ms < 0 ? "connect_timeout_ms"
                                             : "timeout_ms");
        return CTL_ERR_USAGE;
    }
    w->region = strdup(region);
    w->access_key_id = strdup(key);
    w->secret_access_key = strdup(secret);
    w->session_token = dup_or_null(token);
    w->connect_timeout_ms = c->connect_timeout_ms ? c->connect_timeout_ms : 10000;
    w->send_timeout_ms = c->timeout_ms ? c->timeout_ms : 60000;
    w->call_timeout_ms = c->timeout_ms ? c->timeout_ms : 905000;
    w->max_attempts = c->max_attempts ? c->max_attempts : 3;
    w->backoff_base_ms = c->backoff_base_ms ? c->backoff_base_ms : 100;
    w->max_in_flight = c->max_in_flight ? c->max_in_flight : 64;
    w->ca_file = dup_or_null(ca_bundle());
    if (!w->region || !w->access_key_id || !w->secret_access_key || (token && !w->session_token)) {
        snprintf(why, why_cap, "out of memory");
        return CTL_ERR_NOMEM;
    }
    char fallback[128];
    if (!endpoint) {
        snprintf(fallback, sizeof fallback, "https://lambda.%s.amazonaws.com", w->region);
        endpoint = fallback;
    }
    if (parse_endpoint(w, endpoint, why, why_cap) != 0)
        return CTL_ERR_USAGE;
    return CTL_OK;
}
