/* lambda/invoke_http.c: one attempt of an Invoke request on the wire: the
 * signed request (SigV4 by libctl, lambda/sigv4.c), the answer's headers
 * and body as they come, and the verdict on the answer as the AWS SDKs'
 * standard retry mode gives it. Secrets: the secret key only enters
 * ctli_sigv4_sign(); error texts name the endpoint and what went wrong,
 * never a credential. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "ctl/version.h"

#include "base/plural.h"
#include "lambda/aws_libs.h"
#include "lambda/invoke_wire.h"
#include "lambda/sigv4.h"

/* A reply bigger than any Lambda sends (6 MB and headroom) is cut off. */
#define MAX_REPLY (8u * 1024u * 1024u)
/* The longest header line sent: session tokens run to a few KB. */
#define HEADER_LINE_MAX 8192

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
    ctli_invoke_req *r = arg;
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
    struct curl_slist *next = ctli_aws_lib.curl_slist_append(list, line);
    if (!next) {
        *ok = false;
        return list;
    }
    return next;
}

char *ctli_invoke_trace_value(const char *trace)
{
    if (!trace)
        return NULL;
    static const char safe[] = "-=;:+&[]{}\"',_.~";
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(trace);
    char *out = malloc(3 * n + 1), *p = out;
    if (!out)
        return NULL;
    for (const unsigned char *c = (const unsigned char *)trace; *c; c++) {
        bool alnum = (*c >= '0' && *c <= '9') || ((*c | 32) >= 'a' && (*c | 32) <= 'z');
        if (alnum || strchr(safe, *c)) {
            *p++ = (char)*c;
        } else {
            *p++ = '%';
            *p++ = hex[*c >> 4];
            *p++ = hex[*c & 15];
        }
    }
    *p = '\0';
    return out;
}

/* Prepares the easy handle of r's next attempt: headers, signature,
 * timeouts. Returns false when out of memory or the signer refuses. */
bool ctli_invoke_prepare(const ctli_invoke_wire *l, ctli_invoke_req *r)
{
    r->easy = ctli_aws_lib.curl_easy_init();
    if (!r->easy)
        return false;
    ctli_aws_lib.curl_slist_free_all(r->headers);
    r->headers = NULL;
    ctl_buf_free(&r->reply.body);
    r->reply.max = MAX_REPLY;
    r->reply.too_big = false;
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
    h = add_header(h, &ok, "Host: %s%s", l->aws.host, "");
    h = add_header(h, &ok, "Content-Type: %s%s", "application/json", "");
    h = add_header(h, &ok, "X-Amz-Date: %s%s", amz_date, "");
    h = add_header(h, &ok, "X-Amz-Invocation-Type: %s%s", type, "");
    if (l->aws.session_token)
        h = add_header(h, &ok, "X-Amz-Security-Token: %s%s", l->aws.session_token, "");
    /* The invocation's trace, as botocore adds it inside Lambda: sent, not
     * signed (x-amzn-trace-id is on its list of headers never signed). */
    if (r->trace)
        h = add_header(h, &ok, "X-Amzn-Trace-Id: %s%s", r->trace, "");
    ctli_sigv4_header signed_headers[5] = {
        { "host", l->aws.host },
        { "content-type", "application/json" },
        { "x-amz-date", amz_date },
        { "x-amz-invocation-type", type },
        { "x-amz-security-token", l->aws.session_token },
    };
    ctli_sigv4_request req = {
        .method = "POST",
        .path = r->path,
        .query = NULL,
        .headers = signed_headers,
        .nheaders = l->aws.session_token ? 5 : 4,
        .payload = r->body,
        .payload_len = r->len,
        .region = l->aws.region,
        .service = "lambda",
        .amz_date = amz_date,
        .normalize_path = true, /* as botocore does for every service but S3 */
    };
    ctli_sigv4_creds creds = { l->aws.access_key_id, l->aws.secret_access_key, l->aws.session_token };
    char auth[CTLI_SIGV4_AUTH_MAX];
    if (ctli_sigv4_sign(&req, &creds, auth, sizeof auth) != 0) {
        ctli_aws_lib.curl_slist_free_all(h);
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
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_URL, r->url);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_POST, 1L);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->len);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->headers);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_USERAGENT, "ctl/" CTL_VERSION_STRING);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, ctli_aws_on_body);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_WRITEDATA, &r->reply);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->curl_error);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, l->connect_timeout_ms);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, r->sync ? l->call_timeout_ms : l->send_timeout_ms);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_PRIVATE, r);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    /* Never follow redirects: a signed request is for one host only. */
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    if (l->aws.ca_file)
        ctli_aws_lib.curl_easy_setopt(e, CURLOPT_CAINFO, l->aws.ca_file);
    return true;
}

/* ---- answers ------------------------------------------------------------------------------- */

/* A string member of a JSON object, or NULL. */
static const char *member(const cJSON *o, const char *name)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(m) ? m->valuestring : NULL;
}



void ctli_invoke_judge(const ctli_invoke_wire *l, ctli_invoke_req *r, CURLcode code, ctli_invoke_outcome *o)
{
    memset(o, 0, sizeof *o);
    if (code != CURLE_OK) {
        o->status = r->reply.too_big ? CTL_ERR_SERVICE : CTL_ERR_NETWORK;
        o->retry = ctli_aws_transient_curl(code);
        if (r->reply.too_big) {
            /* The status line came before the body was cut: a 5xx the
             * SDKs retry is retried whatever its body. */
            long http = 0;
            ctli_aws_lib.curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &http);
            o->retry = ctli_aws_transient_http(http);
        }
        snprintf(o->type, sizeof o->type, "%s", ctl_status_error_type(o->status));
        snprintf(o->message, sizeof o->message, "%s from %s: %s",
                 r->reply.too_big ? "a reply over 8 MB" : "no answer", l->aws.origin,
                 r->curl_error[0] ? r->curl_error : ctli_aws_lib.curl_easy_strerror(code));
        return;
    }
    long http = 0;
    ctli_aws_lib.curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &http);
    cJSON *json = r->reply.body.len ? cJSON_ParseWithLength(r->reply.body.data, r->reply.body.len) : NULL;
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
        else if (r->reply.body.len == 0)
            snprintf(o->message, sizeof o->message, "the function failed (%s) and sent no error", r->function_error);
        else if (!json)
            snprintf(o->message, sizeof o->message,
                     "the function failed (%s) with an error that is not JSON (%zu %s)", r->function_error,
                     r->reply.body.len, ctli_plural(r->reply.body.len, "byte", "bytes"));
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
        if (http == 429 || ctli_aws_throttle_type(t))
            o->status = CTL_ERR_THROTTLED;
        else if (http == 404 || strcmp(t, "ResourceNotFoundException") == 0)
            o->status = CTL_ERR_NOT_FOUND;
        else if (http == 413 || strcmp(t, "RequestTooLargeException") == 0)
            o->status = CTL_ERR_TOO_LARGE;
        else if (ctli_aws_access_type(t) || (!type && (http == 401 || http == 403)))
            o->status = CTL_ERR_ACCESS_DENIED;
        else if (http >= 500)
            o->status = CTL_ERR_SERVICE;
        else
            o->status = CTL_ERR_REJECTED;
        o->retry = o->status == CTL_ERR_THROTTLED || ctli_aws_transient_http(http) || ctli_aws_transient_type(t);
        snprintf(o->type, sizeof o->type, "%s", type ? type : ctl_status_error_type(o->status));
        if (msg)
            snprintf(o->message, sizeof o->message, "%s", msg);
        else
            snprintf(o->message, sizeof o->message, "HTTP %ld from %s", http, l->aws.origin);
    }
    cJSON_Delete(json);
}
