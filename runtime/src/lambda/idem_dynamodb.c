/* lambda/idem_dynamodb.c: the idempotency store in a DynamoDB table, one
 * item per key in Powertools' layout, so that Python functions using
 * Powertools and ctl's controllers can share a table (runtime/README.md,
 * "Idempotency", says where the layout was checked from):
 *
 *   id                      S  "CONTROLLER.FUNCTION#<sha256 hex>" (the partition key)
 *   status                  S  "INPROGRESS" or "COMPLETED"
 *   expiration              N  epoch seconds: the record's end (the table's TTL attribute)
 *   in_progress_expiration  N  epoch milliseconds: the end of a claim
 *   validation              S  the payload's hash
 *   data                    S  the result's bytes, a JSON text
 *
 * A claim is a conditional PutItem (Powertools' condition: no item, or an
 * expired one, or one in progress whose claim expired), asking for the item
 * it met (ReturnValuesOnConditionCheckFailure ALL_OLD; a consistent GetItem
 * where the reply does not carry it); a completion an UpdateItem and a
 * release a DeleteItem, both only while the item is in progress. Requests
 * are DynamoDB's JSON 1.0 protocol over libcurl, signed by libctl's SigV4;
 * easy handles (and so their connections) are pooled for the threads. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "ctl/gen.h"
#include "ctl/version.h"

#include "common/rules.h"

#include "base/clock.h"
#include "base/utf8.h"
#include "client/client.h"
#include "lambda/aws_libs.h"
#include "lambda/idem_dynamodb.h"
#include "lambda/sigv4.h"

#define POOL_MAX 32                         /* idle easy handles kept */
#define MAX_REPLY (4u * 1024u * 1024u)      /* an item is at most 400 KB */
#define CLAIM_ROUNDS 5                      /* puts of one claim whose item changed under it */
#define CONDITION_FAILED "ConditionalCheckFailedException"

static const char *const IN_PROGRESS = "INPROGRESS", *const COMPLETED = "COMPLETED";

struct ctli_idem_dynamodb {
    ctli_aws_service aws;
    char *table;
    char *url;                  /* origin, base path, "/" */
    char *path;                 /* base path and "/": what is signed */
    ctli_idem_dynamodb_limits limits;
    pthread_mutex_t mu;         /* guards idle */
    CURL *idle[POOL_MAX];
    size_t nidle;
    ctli_idem_store iface;
};

/* ---- one operation on the wire ---------------------------------------------------------------- */

typedef struct reply {
    long http;
    ctli_aws_reply raw;         /* the body as it came, up to MAX_REPLY */
    cJSON *json;                /* the parsed body, or NULL */
    char type[128];             /* DynamoDB's __type after its '#', when refused */
    char message[256];
} reply;

static void reply_free(reply *r)
{
    ctl_buf_free(&r->raw.body);
    cJSON_Delete(r->json);
    memset(r, 0, sizeof *r);
}

static CURL *take_handle(ctli_idem_dynamodb *d)
{
    CURL *e = NULL;
    pthread_mutex_lock(&d->mu);
    if (d->nidle)
        e = d->idle[--d->nidle];
    pthread_mutex_unlock(&d->mu);
    if (e)
        ctli_aws_lib.curl_easy_reset(e); /* options cleared, connection kept */
    else
        e = ctli_aws_lib.curl_easy_init();
    return e;
}

static void give_handle(ctli_idem_dynamodb *d, CURL *e)
{
    pthread_mutex_lock(&d->mu);
    if (d->nidle < POOL_MAX) {
        d->idle[d->nidle++] = e;
        e = NULL;
    }
    pthread_mutex_unlock(&d->mu);
    if (e)
        ctli_aws_lib.curl_easy_cleanup(e);
}

static struct curl_slist *header(struct curl_slist *list, bool *ok, const char *name, const char *value)
{
    char line[8192];
    int n = snprintf(line, sizeof line, "%s: %s", name, value);
    struct curl_slist *next = n > 0 && (size_t)n < sizeof line ? ctli_aws_lib.curl_slist_append(list, line) : NULL;
    if (!next) {
        *ok = false;
        return list;
    }
    return next;
}

/* One attempt of operation op with body (len bytes) into *r. A CURLcode;
 * CURLE_OUT_OF_MEMORY also when the request cannot be built or signed. */
static CURLcode attempt(ctli_idem_dynamodb *d, const char *op, const char *body, size_t len, reply *r,
                        char *curl_error)
{
    char amz_date[32], target[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(amz_date, sizeof amz_date, "%Y%m%dT%H%M%SZ", &tm);
    snprintf(target, sizeof target, "DynamoDB_20120810.%s", op);
    const char *ctype = "application/x-amz-json-1.0";
    const char *token = d->aws.session_token;
    /* What botocore signs for DynamoDB, sorted: every header it sends but
     * User-Agent (and Content-Length, added after signing). */
    ctli_sigv4_header signed_headers[5] = {
        { "content-type", ctype },   { "host", d->aws.host },        { "x-amz-date", amz_date },
        { "x-amz-security-token", token }, { "x-amz-target", target },
    };
    if (!token)
        signed_headers[3] = signed_headers[4];
    ctli_sigv4_request req = {
        .method = "POST",
        .path = d->path,
        .headers = signed_headers,
        .nheaders = token ? 5 : 4,
        .payload = body,
        .payload_len = len,
        .region = d->aws.region,
        .service = "dynamodb",
        .amz_date = amz_date,
        .normalize_path = true,
    };
    ctli_sigv4_creds creds = { d->aws.access_key_id, d->aws.secret_access_key, token };
    char auth[CTLI_SIGV4_AUTH_MAX];
    if (ctli_sigv4_sign(&req, &creds, auth, sizeof auth) != 0)
        return CURLE_OUT_OF_MEMORY;
    bool ok = true;
    struct curl_slist *h = NULL;
    h = header(h, &ok, "Host", d->aws.host);
    h = header(h, &ok, "X-Amz-Target", target);
    h = header(h, &ok, "Content-Type", ctype);
    h = header(h, &ok, "X-Amz-Date", amz_date);
    if (token)
        h = header(h, &ok, "X-Amz-Security-Token", token);
    h = header(h, &ok, "Authorization", auth);
    h = header(h, &ok, "Expect", ""); /* libcurl's own additions, which botocore does not send */
    h = header(h, &ok, "Accept", "");
    CURL *e = ok ? take_handle(d) : NULL;
    if (!e) {
        ctli_aws_lib.curl_slist_free_all(h);
        return CURLE_OUT_OF_MEMORY;
    }
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_URL, d->url);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_POST, 1L);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_USERAGENT, "ctl/" CTL_VERSION_STRING);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, ctli_aws_on_body);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_WRITEDATA, &r->raw);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_ERRORBUFFER, curl_error);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, d->limits.connect_timeout_ms);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, d->limits.timeout_ms);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L); /* a signed request is for one host only */
    if (d->aws.ca_file)
        ctli_aws_lib.curl_easy_setopt(e, CURLOPT_CAINFO, d->aws.ca_file);
    curl_error[0] = '\0';
    CURLcode code = ctli_aws_lib.curl_easy_perform(e);
    ctli_aws_lib.curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &r->http);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_ERRORBUFFER, NULL);
    ctli_aws_lib.curl_easy_setopt(e, CURLOPT_HTTPHEADER, NULL);
    ctli_aws_lib.curl_slist_free_all(h);
    if (code == CURLE_OK)
        give_handle(d, e);
    else
        ctli_aws_lib.curl_easy_cleanup(e); /* its connection is in doubt */
    return code;
}

/* Full jitter: a random time in [0, min(2 s, base * 2^n)). */
static void backoff(const ctli_idem_dynamodb *d, int n)
{
    static _Thread_local unsigned seed;
    if (!seed)
        seed = (unsigned)ctli_now_us() ^ (unsigned)(uintptr_t)&seed;
    uint64_t ceiling = (uint64_t)d->limits.backoff_base_ms << (n < 10 ? n : 10);
    if (ceiling > 2000)
        ceiling = 2000;
    uint64_t ms = ceiling ? (uint64_t)rand_r(&seed) % ceiling : 0;
    nanosleep(&(struct timespec){ (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L }, NULL);
}

/* Sends op with body, trying again after throttling, a 5xx or a lost
 * connection. 0: a 2xx, r->json its body; 1: DynamoDB refused the request
 * with r->type (and r->message), not retried; -1: failed, err says so
 * (naming the table and operation). */
static int call(ctli_idem_dynamodb *d, const char *op, const cJSON *body, reply *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    char *text = cJSON_PrintUnformatted(body);
    if (!text) {
        snprintf(err, errlen, "DynamoDB table %s: %s: out of memory", d->table, op);
        return -1;
    }
    size_t len = strlen(text);
    int rc = -1;
    for (int n = 0;; n++) {
        reply_free(r);
        r->raw.max = MAX_REPLY;
        char curl_error[CURL_ERROR_SIZE];
        CURLcode code = attempt(d, op, text, len, r, curl_error);
        bool last = n + 1 >= d->limits.max_attempts, retry;
        if (code == CURLE_OUT_OF_MEMORY && !r->raw.too_big) {
            snprintf(err, errlen, "DynamoDB table %s: %s: out of memory, or the request could not be signed", d->table,
                     op);
            break;
        }
        if (code != CURLE_OK) {
            retry = !r->raw.too_big && ctli_aws_transient_curl(code);
            snprintf(err, errlen, "DynamoDB table %s: %s: %s from %s: %s", d->table, op,
                     r->raw.too_big ? "a reply over 4 MB" : "no answer", d->aws.origin,
                     curl_error[0] ? curl_error : ctli_aws_lib.curl_easy_strerror(code));
        } else {
            r->json = r->raw.body.len ? cJSON_ParseWithLength(r->raw.body.data, r->raw.body.len) : NULL;
            if (r->http >= 200 && r->http < 300) {
                if (cJSON_IsObject(r->json)) {
                    rc = 0;
                    break;
                }
                snprintf(err, errlen, "DynamoDB table %s: %s: HTTP %ld from %s with a body that is not a JSON object "
                         "(%zu bytes)", d->table, op, r->http, d->aws.origin, r->raw.body.len);
                break;
            }
            const cJSON *t = cJSON_GetObjectItemCaseSensitive(r->json, "__type");
            const cJSON *m = cJSON_GetObjectItemCaseSensitive(r->json, "message");
            if (!cJSON_IsString(m))
                m = cJSON_GetObjectItemCaseSensitive(r->json, "Message");
            if (cJSON_IsString(t)) {
                const char *hash = strrchr(t->valuestring, '#');
                snprintf(r->type, sizeof r->type, "%s", hash ? hash + 1 : t->valuestring);
            }
            if (cJSON_IsString(m))
                snprintf(r->message, sizeof r->message, "%s", m->valuestring);
            retry = r->http == 429 || ctli_aws_transient_http(r->http) || ctli_aws_throttle_type(r->type) ||
                    ctli_aws_transient_type(r->type) || strcmp(r->type, "InternalServerError") == 0;
            if (r->type[0] && !retry && r->http >= 400 && r->http < 500) {
                rc = 1; /* DynamoDB's answer: the caller judges it */
                snprintf(err, errlen, "DynamoDB table %s: %s refused: %s%s%s", d->table, op, r->type,
                         r->message[0] ? ": " : "", r->message);
                break;
            }
            if (r->type[0])
                snprintf(err, errlen, "DynamoDB table %s: %s: HTTP %ld %s%s%s", d->table, op, r->http, r->type,
                         r->message[0] ? ": " : "", r->message);
            else
                snprintf(err, errlen, "DynamoDB table %s: %s: HTTP %ld from %s, %s", d->table, op, r->http,
                         d->aws.origin, r->json ? "without an error type" : "a body that is not JSON");
        }
        if (!retry)
            break;
        if (last) {
            size_t used = strlen(err);
            if (used < errlen)
                snprintf(err + used, errlen - used, ", after %d attempts", n + 1);
            break;
        }
        backoff(d, n);
    }
    free(text);
    return rc;
}

/* ---- items ------------------------------------------------------------------------------------- */

/* Adds name: {type: value} to o. */
static void attr(cJSON *o, const char *name, const char *type, const char *value)
{
    cJSON *a = cJSON_AddObjectToObject(o, name);
    if (a)
        cJSON_AddStringToObject(a, type, value);
}

static void attr_n(cJSON *o, const char *name, long long v)
{
    char text[32];
    snprintf(text, sizeof text, "%lld", v);
    attr(o, name, "N", text);
}

static void attr_s(cJSON *o, const char *name, const char *v)
{
    attr(o, name, "S", v);
}

/* A request naming the table, and the item's key when key is set. */
static cJSON *request(const ctli_idem_dynamodb *d, const char *key)
{
    cJSON *o = cJSON_CreateObject();
    if (o && !cJSON_AddStringToObject(o, "TableName", d->table)) {
        cJSON_Delete(o);
        return NULL;
    }
    if (o && key)
        attr_s(cJSON_AddObjectToObject(o, "Key"), CTLI_RULE_IDEM_KEY_ATTR, key);
    return o;
}

/* The expression names and values every conditional request uses. */
static void names(cJSON *o, const char *const *pairs, size_t n)
{
    cJSON *m = cJSON_AddObjectToObject(o, "ExpressionAttributeNames");
    for (size_t i = 0; m && i + 1 < n; i += 2)
        cJSON_AddStringToObject(m, pairs[i], pairs[i + 1]);
}

/* A member's value of DynamoDB type type ("S", "N"), or NULL. */
static const char *value(const cJSON *item, const char *name, const char *type)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(item, name);
    const cJSON *v = cJSON_IsObject(a) ? cJSON_GetObjectItemCaseSensitive(a, type) : NULL;
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* An N member as an integer into *out; false when absent or not one. */
static bool number(const cJSON *item, const char *name, long long *out)
{
    const char *s = value(item, name, "N");
    if (!s || !*s)
        return false;
    char *end;
    double v = strtod(s, &end);
    if (*end || v != v)
        return false;
    *out = v > 9e18 ? (long long)9e18 : v < -9e18 ? (long long)-9e18 : (long long)v;
    return true;
}

static int64_t ceil_s(int64_t ms)
{
    return ms >= 0 ? (ms + 999) / 1000 : -((-ms) / 1000);
}

typedef enum { ITEM_FREE, ITEM_LIVE, ITEM_BAD } item_state;

/* Whether the item met is still in force at now_ms, by the condition the
 * put used: not expired, and not in progress with an expired claim. */
static item_state judge(const cJSON *item, int64_t now_ms, char *why, size_t whylen)
{
    const char *status = value(item, "status", "S");
    long long exp, ip_exp;
    if (!status || !number(item, CTLI_RULE_IDEM_TTL_ATTR, &exp)) {
        snprintf(why, whylen, "an item without a status or an expiration");
        return ITEM_BAD;
    }
    if (exp < now_ms / 1000)
        return ITEM_FREE;
    if (strcmp(status, IN_PROGRESS) == 0 && number(item, "in_progress_expiration", &ip_exp) && ip_exp < now_ms)
        return ITEM_FREE;
    if (strcmp(status, IN_PROGRESS) != 0 && strcmp(status, COMPLETED) != 0) {
        snprintf(why, whylen, "an item of status '%.40s'", status);
        return ITEM_BAD;
    }
    return ITEM_LIVE;
}

/* The item of key by a consistent read into *item (NULL: none). 0 or -1. */
static int get_item(ctli_idem_dynamodb *d, const char *key, cJSON **item, char *err, size_t errlen)
{
    *item = NULL;
    cJSON *q = request(d, key);
    if (!q || !cJSON_AddTrueToObject(q, "ConsistentRead")) {
        cJSON_Delete(q);
        snprintf(err, errlen, "DynamoDB table %s: GetItem: out of memory", d->table);
        return -1;
    }
    reply r;
    int rc = call(d, "GetItem", q, &r, err, errlen);
    cJSON_Delete(q);
    if (rc == 0) {
        cJSON *it = cJSON_DetachItemFromObjectCaseSensitive(r.json, "Item");
        if (it && !cJSON_IsObject(it)) {
            cJSON_Delete(it);
            snprintf(err, errlen, "DynamoDB table %s: GetItem: an Item that is not an object", d->table);
            rc = -1;
        } else {
            *item = it;
        }
    }
    reply_free(&r);
    return rc == 0 ? 0 : -1;
}

static ctli_idem_claim claim(void *self, const char *key, const char *validation, int64_t now_ms,
                             int64_t in_progress_until_ms, char **result, size_t *len, char *err, size_t errlen)
{
    ctli_idem_dynamodb *d = self;
    *result = NULL;
    *len = 0;
    cJSON *q = request(d, NULL);
    cJSON *item = q ? cJSON_AddObjectToObject(q, "Item") : NULL;
    if (item) {
        attr_s(item, CTLI_RULE_IDEM_KEY_ATTR, key);
        /* The record ends with its claim until it is completed, so that
         * DynamoDB's TTL removes what a dead process left. */
        attr_n(item, CTLI_RULE_IDEM_TTL_ATTR, ceil_s(in_progress_until_ms));
        attr_n(item, "in_progress_expiration", in_progress_until_ms);
        attr_s(item, "status", IN_PROGRESS);
        attr_s(item, "validation", validation);
        cJSON_AddStringToObject(q, "ConditionExpression",
                                "attribute_not_exists(#id) OR #expiry < :now OR "
                                "(#status = :inprogress AND attribute_exists(#in_progress_expiry) AND "
                                "#in_progress_expiry < :now_in_millis)");
        names(q, (const char *const[]){ "#id", CTLI_RULE_IDEM_KEY_ATTR, "#expiry", CTLI_RULE_IDEM_TTL_ATTR, "#in_progress_expiry",
                                        "in_progress_expiration", "#status", "status" }, 8);
        cJSON *v = cJSON_AddObjectToObject(q, "ExpressionAttributeValues");
        attr_n(v, ":now", now_ms / 1000);
        attr_n(v, ":now_in_millis", now_ms);
        attr_s(v, ":inprogress", IN_PROGRESS);
        cJSON_AddStringToObject(q, "ReturnValuesOnConditionCheckFailure", "ALL_OLD");
    }
    if (!item) {
        cJSON_Delete(q);
        snprintf(err, errlen, "DynamoDB table %s: PutItem: out of memory", d->table);
        return CTLI_IDEM_FAILED;
    }
    ctli_idem_claim out = CTLI_IDEM_FAILED;
    bool settled = false;
    for (int round = 0; round < CLAIM_ROUNDS && !settled; round++) {
        reply r;
        int rc = call(d, "PutItem", q, &r, err, errlen);
        cJSON *old = NULL;
        settled = true;
        if (rc == 0) {
            out = CTLI_IDEM_CLAIMED;
        } else if (rc == 1 && strcmp(r.type, CONDITION_FAILED) == 0) {
            /* DynamoDB gives the item met; a service that does not, a
             * consistent read (which may find it changed since). */
            old = cJSON_DetachItemFromObjectCaseSensitive(r.json, "Item");
            if ((!old || !cJSON_IsObject(old)) && (cJSON_Delete(old), get_item(d, key, &old, err, errlen) != 0)) {
                out = CTLI_IDEM_FAILED;
            } else if (!old) {
                settled = false; /* gone since: put again */
            } else {
                char why[128];
                item_state s = judge(old, now_ms, why, sizeof why);
                const char *v = value(old, "validation", "S"), *data = value(old, "data", "S");
                bool completed = strcmp(value(old, "status", "S") ? value(old, "status", "S") : "", COMPLETED) == 0;
                if (s == ITEM_FREE) {
                    settled = false; /* expired since: put again */
                } else if (s == ITEM_BAD) {
                    snprintf(err, errlen, "DynamoDB table %s: the record of %s is not an idempotency record: %s",
                             d->table, key, why);
                } else if (!v || strcmp(v, validation) != 0) {
                    out = CTLI_IDEM_MISMATCH;
                } else if (!completed) {
                    out = CTLI_IDEM_IN_PROGRESS;
                } else if (!data) {
                    snprintf(err, errlen, "DynamoDB table %s: the completed record of %s has no data", d->table, key);
                } else if (!(*result = strdup(data))) {
                    snprintf(err, errlen, "out of memory copying a stored result");
                } else {
                    *len = strlen(data);
                    out = CTLI_IDEM_DONE;
                }
            }
        }
        cJSON_Delete(old);
        reply_free(&r);
    }
    if (!settled)
        snprintf(err, errlen, "DynamoDB table %s: the record of %s changed under %d claims in a row", d->table, key,
                 CLAIM_ROUNDS);
    cJSON_Delete(q);
    return out;
}

/* UpdateItem or DeleteItem q of key, on condition that it is in progress
 * under the caller's claim: its in_progress_expiration is the one the
 * claim wrote (codec/idem.h says why that identifies it). 0: done; 1: the
 * item was not that claim; -1: failed. */
static int while_claimed(ctli_idem_dynamodb *d, const char *op, cJSON *q, cJSON *values, int64_t claimed_until_ms,
                         char *err, size_t errlen)
{
    attr_s(values, ":inprogress", IN_PROGRESS);
    attr_n(values, ":claimed_until", claimed_until_ms);
    cJSON_AddStringToObject(q, "ConditionExpression", "#status = :inprogress AND #in_progress_expiry = :claimed_until");
    reply r;
    int rc = call(d, op, q, &r, err, errlen);
    if (rc == 1)
        rc = strcmp(r.type, CONDITION_FAILED) == 0 ? 1 : -1;
    reply_free(&r);
    return rc;
}

static int release(void *self, const char *key, int64_t claimed_until_ms, char *err, size_t errlen);

static bool valid_utf8(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        size_t n = *p ? ctli_utf8_seq(p, end) : 0; /* a NUL would end DynamoDB's string early here */
        if (!n)
            return false;
        p += n;
    }
    return true;
}

/* The size DynamoDB counts for the completed item of key (its attribute
 * names' and values' bytes; a number taken at its largest, 21 bytes), for
 * data of len bytes. */
static size_t completed_item_size(const char *key, size_t len)
{
    return strlen(CTLI_RULE_IDEM_KEY_ATTR) + strlen(key) + strlen("status") + strlen(COMPLETED) +
           strlen(CTLI_RULE_IDEM_TTL_ATTR) + 21 + strlen("in_progress_expiration") + 21 + strlen("validation") +
           (sizeof ((ctli_idem_key *)0)->validation - 1) + strlen("data") + len;
}

static int complete(void *self, const char *key, int64_t claimed_until_ms, const char *result, size_t len,
                    int64_t expires_at_ms, char *err, size_t errlen)
{
    ctli_idem_dynamodb *d = self;
    if (!result)
        result = "", len = 0;
    const char *why = NULL;
    char reason[256];
    if (!valid_utf8(result, len)) {
        why = "it is not UTF-8 text (or holds a NUL): a string attribute cannot keep it";
    } else if (completed_item_size(key, len) > CTLI_IDEM_DYNAMODB_ITEM_MAX) {
        snprintf(reason, sizeof reason, "the item would be larger than DynamoDB's limit of %u bytes (400 KB) for "
                 "one item", CTLI_IDEM_DYNAMODB_ITEM_MAX);
        why = reason;
    }
    if (why) {
        /* The handler ran and its result is answered; the key is released
         * so that a later delivery runs rather than waits out the claim
         * (runtime/README.md, "Idempotency"). */
        char ignored[256];
        int released = release(d, key, claimed_until_ms, ignored, sizeof ignored);
        snprintf(err, errlen, "DynamoDB table %s: the result of %s (%zu bytes) is not stored: %s; the key is %s, so "
                 "a later delivery runs the handler again", d->table, key, len, why,
                 released == 0 ? "released" : "left in progress until its claim expires");
        return -1;
    }
    char *text = malloc(len + 1);
    cJSON *q = text ? request(d, key) : NULL;
    cJSON *v = q ? cJSON_AddObjectToObject(q, "ExpressionAttributeValues") : NULL;
    if (!v) {
        free(text);
        cJSON_Delete(q);
        snprintf(err, errlen, "DynamoDB table %s: UpdateItem: out of memory", d->table);
        return -1;
    }
    memcpy(text, result, len);
    text[len] = '\0';
    cJSON_AddStringToObject(q, "UpdateExpression", "SET #data = :data, #expiry = :expiry, #status = :completed");
    names(q, (const char *const[]){ "#data", "data", "#expiry", CTLI_RULE_IDEM_TTL_ATTR, "#status", "status",
                                    "#in_progress_expiry", "in_progress_expiration" }, 8);
    attr_s(v, ":data", text);
    attr_n(v, ":expiry", ceil_s(expires_at_ms));
    attr_s(v, ":completed", COMPLETED);
    free(text);
    int rc = while_claimed(d, "UpdateItem", q, v, claimed_until_ms, err, errlen);
    cJSON_Delete(q);
    if (rc == 1)
        snprintf(err, errlen, "DynamoDB table %s: the record of %s is no longer this delivery's claim (it expired, "
                 "and another delivery took the key over, completed or released it)", d->table, key);
    return rc;
}

static int release(void *self, const char *key, int64_t claimed_until_ms, char *err, size_t errlen)
{
    ctli_idem_dynamodb *d = self;
    cJSON *q = request(d, key);
    cJSON *v = q ? cJSON_AddObjectToObject(q, "ExpressionAttributeValues") : NULL;
    if (!v) {
        cJSON_Delete(q);
        snprintf(err, errlen, "DynamoDB table %s: DeleteItem: out of memory", d->table);
        return -1;
    }
    names(q, (const char *const[]){ "#status", "status", "#in_progress_expiry", "in_progress_expiration" }, 4);
    /* Not this delivery's claim: nothing of its own to release. */
    int rc = while_claimed(d, "DeleteItem", q, v, claimed_until_ms, err, errlen);
    cJSON_Delete(q);
    return rc < 0 ? -1 : 0;
}

/* ---- the store ---------------------------------------------------------------------------------- */

ctli_idem_dynamodb *ctli_idem_dynamodb_open(const char *table, const ctli_aws_given *given,
                                            const ctli_idem_dynamodb_limits *limits, char *err, size_t errlen)
{
    /* DynamoDB's rule, the one ctlc sam and iam check too (common/rules.h) */
    if (!table || !ctli_rule_dest_name_ok(&ctli_rule_table_name, table, strlen(table))) {
        snprintf(err, errlen, "the idempotency table name '%.80s' is not a DynamoDB table name: %s", table ? table : "",
                 ctli_rule_table_name.rule);
        return NULL;
    }
    ctli_idem_dynamodb *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(err, errlen, "out of memory opening the idempotency table %s", table);
        return NULL;
    }
    char why[512];
    if (ctli_aws_service_init(&d->aws, "dynamodb", "DynamoDB", "AWS_ENDPOINT_URL_DYNAMODB", given, why, sizeof why) !=
        CTL_OK) {
        snprintf(err, errlen, "the idempotency table %s: %s", table, why);
        ctli_aws_service_free(&d->aws);
        free(d);
        return NULL;
    }
    ctli_idem_dynamodb_limits none = { 0 };
    const ctli_idem_dynamodb_limits *l = limits ? limits : &none;
    d->limits.max_attempts = l->max_attempts > 0 ? l->max_attempts : 4;
    d->limits.backoff_base_ms = l->backoff_base_ms ? l->backoff_base_ms : 50;
    d->limits.connect_timeout_ms = l->connect_timeout_ms > 0 ? l->connect_timeout_ms : 5000;
    d->limits.timeout_ms = l->timeout_ms > 0 ? l->timeout_ms : 10000;
    size_t n = strlen(d->aws.origin) + strlen(d->aws.base_path) + 2;
    d->table = strdup(table);
    d->url = malloc(n);
    d->path = malloc(strlen(d->aws.base_path) + 2);
    if (!d->table || !d->url || !d->path) {
        snprintf(err, errlen, "out of memory opening the idempotency table %s", table);
        ctli_aws_service_free(&d->aws);
        free(d->table);
        free(d->url);
        free(d->path);
        free(d);
        return NULL;
    }
    snprintf(d->url, n, "%s%s/", d->aws.origin, d->aws.base_path);
    sprintf(d->path, "%s/", d->aws.base_path);
    pthread_mutex_init(&d->mu, NULL);
    d->iface = (ctli_idem_store){ d, claim, complete, release };
    return d;
}

const ctli_idem_store *ctli_idem_dynamodb_store(ctli_idem_dynamodb *d)
{
    return d ? &d->iface : NULL;
}

void ctli_idem_dynamodb_close(ctli_idem_dynamodb *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nidle; i++)
        ctli_aws_lib.curl_easy_cleanup(d->idle[i]);
    pthread_mutex_destroy(&d->mu);
    ctli_aws_service_free(&d->aws);
    free(d->table);
    free(d->url);
    free(d->path);
    free(d);
}

static void close_store(void *self)
{
    ctli_idem_dynamodb_close(self);
}

ctl_status ctl_client_use_idempotency_table(ctl_client *client, const char *table)
{
    if (!client)
        return ctli_client_fail(client, CTL_ERR_USAGE, "ctl_client_use_idempotency_table: client is NULL");
    if (!table || !*table)
        table = getenv(CTLI_RULE_IDEM_TABLE_VAR);
    if (!table || !*table)
        return ctli_client_fail(client, CTL_ERR_USAGE,
                                "ctl_client_use_idempotency_table: no table: name one, or set CTL_IDEMPOTENCY_TABLE");
    if (ctli_client_idem_store(client))
        return ctli_client_fail(client, CTL_ERR_USAGE,
                                "ctl_client_use_idempotency_table: the client has its idempotency store already "
                                "(call it before registering a controller with @idempotent functions)");
    char err[768];
    ctli_idem_dynamodb *d = ctli_idem_dynamodb_open(table, NULL, NULL, err, sizeof err);
    if (!d)
        return ctli_client_fail(client, strstr(err, "out of memory") ? CTL_ERR_NOMEM : CTL_ERR_USAGE, "%s", err);
    if (ctli_client_use_idem_store(client, ctli_idem_dynamodb_store(d), close_store) != CTL_OK) {
        ctli_idem_dynamodb_close(d);
        return ctli_client_fail(client, CTL_ERR_USAGE, "ctl_client_use_idempotency_table: the client has its "
                                "idempotency store already");
    }
    return CTL_OK;
}
