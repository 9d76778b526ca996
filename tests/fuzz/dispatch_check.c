/* dispatch_check.c: see dispatch_check.h. */
#include "dispatch_check.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "alltypes.ctl.h"
#include "ctl/json.h"
#include "fuzz_json.h"

static ctl_client *client;

static void on_failure(void *user, const char *controller, const char *event, size_t len, const char *error_type,
                       const char *error_message, int attempts)
{
    (void)user, (void)controller, (void)event, (void)len, (void)error_type, (void)error_message, (void)attempts;
}

void dispatch_check_init(void)
{
    if (client)
        return;
    ctl_client_config cfg = { 0 };
    cfg.workers = 1;
    cfg.max_retries = -1;
    cfg.dead_letter_path = "";
    cfg.on_failure = on_failure;
    cfg.inline_sends = true;
    client = ctl_client_new(&cfg);
    if (!client || ctl_client_register(client, &t_echo_controller) != CTL_OK) {
        fprintf(stderr, "dispatch_check: cannot make the client\n");
        abort();
    }
}

/* ---- reporting ---------------------------------------------------------------------- */

static const char *cur_event;
static size_t cur_len;
static const ctl_response *cur_resp;

static void show(const char *what, const char *s, size_t n)
{
    fprintf(stderr, "  %s (%zu bytes): ", what, n);
    size_t shown = n > 600 ? 600 : n;
    for (size_t i = 0; i < shown; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f && c != '\\')
            fputc(c, stderr);
        else
            fprintf(stderr, "\\x%02x", c);
    }
    fprintf(stderr, "%s\n", shown < n ? "..." : "");
}

static void violated(const char *fmt, ...) CTL_PRINTF(1, 2);
static void violated(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "\n==dispatch_check== INVARIANT VIOLATED: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    if (cur_event)
        show("event", cur_event, cur_len);
    if (cur_resp) {
        fprintf(stderr, "  status: %d (%s)\n", (int)cur_resp->status, ctl_status_str(cur_resp->status));
        if (cur_resp->body)
            show("body", cur_resp->body, cur_resp->len);
    }
    abort();
}

#define CHECK(cond, ...)                                                                                              \
    do {                                                                                                              \
        if (!(cond))                                                                                                  \
            violated(__VA_ARGS__);                                                                                    \
    } while (0)

/* ---- what the event asks for, read independently of libctl ------------------------ */

typedef enum fn_state {
    FN_NOT_JSON,   /* fj_validate rejects it */
    FN_NOT_OBJECT,
    FN_MISSING,    /* no "function" member */
    FN_DUPLICATE,  /* two of them */
    FN_NOT_STRING,
    FN_MALFORMED,  /* a string with \u0000, a lone surrogate or bytes that are not UTF-8 */
    FN_NAMED       /* name holds it */
} fn_state;

static const char *const functions[] = { "all", "fail", "fire", "flat", "ping", "tree" };

static fn_state read_function(const char *event, size_t len, char *name, size_t cap, size_t *name_len)
{
    fj_type root_type;
    if (fj_validate((const unsigned char *)event, len, 0, CTL_JSON_MAX_DEPTH, &root_type) != 0)
        return FN_NOT_JSON;
    if (root_type != FJ_OBJECT)
        return FN_NOT_OBJECT;
    fj_node *root = fj_parse(event, len);
    CHECK(root && root->type == FJ_OBJECT, "the test's own parser rejects what fj_validate accepts");
    fn_state state = FN_MISSING;
    char *key = NULL;
    for (size_t i = 0; i < root->n; i++) {
        const fj_node *m = root->kids[i];
        key = realloc(key, m->key_len + 1);
        if (!key)
            abort();
        size_t key_len;
        fj_decode(m->key, m->key_len, key, &key_len);
        if (key_len != 8 || memcmp(key, "function", 8) != 0)
            continue;
        if (state != FN_MISSING) {
            state = FN_DUPLICATE;
            break;
        }
        if (m->type != FJ_STRING) {
            state = FN_NOT_STRING;
            continue;
        }
        char *s = malloc(m->len + 1);
        if (!s)
            abort();
        size_t n;
        int flags = fj_decode(m->text, m->len, s, &n);
        if (flags & (FJ_DEC_NUL | FJ_DEC_SURROGATE | FJ_DEC_BAD_UTF8)) {
            state = FN_MALFORMED;
        } else {
            state = FN_NAMED;
            *name_len = n;
            memcpy(name, s, n < cap ? n : cap);
            if (n >= cap)
                *name_len = cap; /* longer than any function: compares unequal */
        }
        free(s);
    }
    free(key);
    fj_free(root);
    return state;
}

static bool is_function(const char *name, size_t len, const char *want)
{
    return len == strlen(want) && memcmp(name, want, len) == 0;
}

/* ---- the response ------------------------------------------------------------------- */

static bool utf8(const char *s)
{
    return fj_utf8_valid((const unsigned char *)s, strlen(s));
}

static void check_response(const ctl_response *resp, ctl_status returned)
{
    CHECK(returned == resp->status, "ctl_dispatch returned %d but resp.status is %d", (int)returned,
          (int)resp->status);
    if (!resp->body) {
        CHECK(resp->status == CTL_ERR_NOMEM, "no response body (status %d)", (int)resp->status);
        return;
    }
    CHECK(strlen(resp->body) == resp->len, "resp.len is %zu but the body holds %zu bytes before a NUL", resp->len,
          strlen(resp->body));
    CHECK(fj_validate((const unsigned char *)resp->body, resp->len, FJ_UTF8 | FJ_NO_SURROGATE, 100000, NULL) == 0,
          "the response body is not strict JSON (RFC 8259, UTF-8)");
    if (resp->status == CTL_OK) {
        CHECK(!resp->error_type && !resp->error_message, "success with an error type or message");
        return;
    }
    CHECK(resp->error_type && resp->error_message, "an error without resp.error_type or resp.error_message");
    const char *end = NULL;
    cJSON *obj = cJSON_ParseWithOpts(resp->body, &end, 1);
    CHECK(obj, "cJSON cannot parse the error body");
    CHECK(cJSON_IsObject(obj) && cJSON_GetArraySize(obj) == 2, "the error body is not an object of two members");
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(obj, "errorType");
    const cJSON *message = cJSON_GetObjectItemCaseSensitive(obj, "errorMessage");
    CHECK(cJSON_IsString(type) && cJSON_IsString(message), "errorType or errorMessage is missing or not a string");
    CHECK(type->valuestring[0], "errorType is empty");
    const char *want_type = utf8(resp->error_type) ? resp->error_type : "ctl.Error";
    const char *want_message = utf8(resp->error_message) ? resp->error_message : "(the message was not valid UTF-8)";
    CHECK(strcmp(type->valuestring, want_type) == 0, "errorType in the body is not resp.error_type");
    CHECK(strcmp(message->valuestring, want_message) == 0, "errorMessage in the body is not resp.error_message");
    if (resp->status != CTL_ERR_HANDLER)
        CHECK(strcmp(resp->error_type, ctl_status_error_type(resp->status)) == 0,
              "errorType %s is not the type of status %d", resp->error_type, (int)resp->status);
    cJSON_Delete(obj);
}

/* Dispatches event (len bytes) and returns the response, checked. */
static ctl_status dispatch(const char *event, size_t len, ctl_client *with, ctl_response *resp)
{
    ctl_status status = ctl_dispatch(&t_echo_controller, event, len, with, resp);
    const ctl_response *saved = cur_resp;
    cur_resp = resp;
    check_response(resp, status);
    cur_resp = saved;
    return status;
}

/* write(read(x)) == x: the response, as the argument again, comes back
 * unchanged. prefix and suffix wrap the body into an event. */
static void check_fixed_point(const ctl_response *first, const char *prefix, size_t skip, const char *suffix)
{
    size_t np = strlen(prefix), ns = strlen(suffix);
    CHECK(first->len >= skip, "the response is shorter than expected");
    size_t len = np + first->len - skip + ns;
    char *event = malloc(len + 1);
    if (!event)
        abort();
    memcpy(event, prefix, np);
    memcpy(event + np, first->body + skip, first->len - skip);
    memcpy(event + np + first->len - skip, suffix, ns);
    event[len] = '\0';
    ctl_response again;
    ctl_status status = dispatch(event, len, NULL, &again);
    if (status != CTL_OK || again.len != first->len || memcmp(again.body, first->body, first->len) != 0) {
        show("re-dispatched event", event, len);
        if (again.body)
            show("its response", again.body, again.len);
        violated("write(read(x)) is not a fixed point: the response, sent back, %s",
                 status != CTL_OK ? "fails" : "comes back different");
    }
    ctl_response_free(&again);
    free(event);
}

/* ---- json fields come back as they were sent ------------------------------------- */

/* The member of obj whose decoded key is name (the last one), or NULL. */
static const fj_node *member(const fj_node *obj, const char *name)
{
    const fj_node *found = NULL;
    if (!obj || obj->type != FJ_OBJECT)
        return NULL;
    for (size_t i = 0; i < obj->n; i++) {
        char *key = malloc(obj->kids[i]->key_len + 1);
        if (!key)
            abort();
        size_t n;
        fj_decode(obj->kids[i]->key, obj->kids[i]->key_len, key, &n);
        if (n == strlen(name) && memcmp(key, name, n) == 0)
            found = obj->kids[i];
        free(key);
    }
    return found;
}

enum { SAME = 0, DIFF_KEY = 1, DIFF_NUMBER = 2, DIFF = 4 };

/* How the json value out (from the response) differs from in (the event). */
static int compare_json(const fj_node *in, const fj_node *out)
{
    if (in->type != out->type)
        return DIFF;
    switch (in->type) {
    case FJ_NUMBER: {
        char *a = malloc(in->len + 1), *b = malloc(out->len + 1);
        if (!a || !b)
            abort();
        memcpy(a, in->text, in->len), a[in->len] = '\0';
        memcpy(b, out->text, out->len), b[out->len] = '\0';
        double x = strtod(a, NULL), y = strtod(b, NULL);
        free(a);
        free(b);
        if (x == y)
            return SAME;
        if (isfinite(x) && isfinite(y) && fabs(x - y) <= fmax(fabs(x), fabs(y)) * DBL_EPSILON)
            return DIFF_NUMBER;
        /* DBL_MAX printed with too few digits rounds up past the largest
         * double. */
        if (isfinite(x) && isinf(y) && fabs(x) >= 1.79769313486231e308)
            return DIFF_NUMBER;
        return DIFF;
    }
    case FJ_STRING: {
        char *a = malloc(in->len + 1), *b = malloc(out->len + 1);
        if (!a || !b)
            abort();
        size_t na, nb;
        fj_decode(in->text, in->len, a, &na);
        fj_decode(out->text, out->len, b, &nb);
        int rc = na == nb && memcmp(a, b, na) == 0 ? SAME : DIFF;
        free(a);
        free(b);
        return rc;
    }
    case FJ_ARRAY:
    case FJ_OBJECT: {
        if (in->n != out->n)
            return DIFF;
        int rc = SAME;
        for (size_t i = 0; i < in->n; i++) {
            if (in->type == FJ_OBJECT) {
                const fj_node *p = in->kids[i], *q = out->kids[i];
                char *a = malloc(p->key_len + 1), *b = malloc(q->key_len + 1);
                if (!a || !b)
                    abort();
                size_t na, nb;
                int flags = fj_decode(p->key, p->key_len, a, &na);
                fj_decode(q->key, q->key_len, b, &nb);
                /* Such a key cannot come back as it was (U+FFFD stands in for
                 * a lone surrogate): it should have been refused. */
                if (flags & (FJ_DEC_NUL | FJ_DEC_SURROGATE | FJ_DEC_BAD_UTF8))
                    rc |= DIFF_KEY;
                else if (na != nb || memcmp(a, b, na) != 0)
                    rc |= DIFF;
                free(a);
                free(b);
            }
            rc |= compare_json(in->kids[i], out->kids[i]);
        }
        return rc;
    }
    default: return SAME;
    }
}

static void check_json_field(const fj_node *in, const fj_node *out, const char *field)
{
    if (!in || in->type == FJ_NULL) {
        if (strcmp(field, "j") != 0)
            CHECK(!out, "json field %s: absent or null in the event, yet in the response", field);
        return;
    }
    CHECK(out, "json field %s: sent, but not in the response", field);
    int rc = compare_json(in, out);
    CHECK(!(rc & DIFF), "json field %s does not come back as it was sent", field);
    CHECK(!(rc & DIFF_KEY),
          "json field %s: an object key with U+0000, an unpaired surrogate escape or bytes that are not UTF-8 "
          "is accepted (and comes back cut, replaced or raw)",
          field);
    CHECK(!(rc & DIFF_NUMBER),
          "json field %s: a number comes back as another double (precision lost, or printed past DBL_MAX)", field);
}

/* After all succeeded: the json fields j, oj and lj hold what the event
 * held, compared as JSON values (numbers as doubles, strings decoded). */
static void check_json_fields(const char *event, size_t len, const ctl_response *resp)
{
    fj_node *in_root = fj_parse(event, len);
    fj_node *out = fj_parse(resp->body, resp->len);
    CHECK(in_root && out, "the test's own parser cannot read the event or the response");
    const fj_node *in = member(in_root, "v");
    CHECK(in && in->type == FJ_OBJECT, "all succeeded without an object v");
    check_json_field(member(in, "j"), member(out, "j"), "j");
    check_json_field(member(in, "oj"), member(out, "oj"), "oj");
    check_json_field(member(in, "lj"), member(out, "lj"), "lj");
    fj_free(in_root);
    fj_free(out);
}

void dispatch_check(const uint8_t *data, size_t size)
{
    const char *event = (const char *)data;
    cur_event = event;
    cur_len = size;
    cur_resp = NULL;

    char name[64];
    size_t name_len = 0;
    fn_state fn = read_function(event, size, name, sizeof name, &name_len);

    /* Odd sizes go with a client, even ones without: both are legal. */
    ctl_response resp;
    ctl_status status = dispatch(event, size, (size & 1) ? client : NULL, &resp);
    cur_resp = &resp;

    CHECK(status != CTL_ERR_INVALID_RESULT && status != CTL_ERR_INVALID_ARGS && status != CTL_ERR_UNKNOWN_CONTROLLER &&
              status != CTL_ERR_TOO_LARGE && status != CTL_ERR_SHUTDOWN && status != CTL_ERR_IO &&
              status != CTL_ERR_USAGE,
          "status %d (%s) cannot come from dispatching to echo", (int)status, ctl_status_str(status));
    if (status != CTL_ERR_NOMEM) {
        switch (fn) {
        case FN_NOT_JSON:
            CHECK(status == CTL_ERR_INVALID_JSON, "ctl accepts text that is not JSON (RFC 8259)");
            break;
        case FN_NOT_OBJECT:
        case FN_MISSING:
        case FN_DUPLICATE:
        case FN_NOT_STRING:
        case FN_MALFORMED:
            CHECK(status != CTL_ERR_INVALID_JSON, "ctl rejects valid JSON as InvalidJSON");
            CHECK(status == CTL_ERR_INVALID_EVENT, "an event without a single well-formed \"function\" gives %s (case %d)",
                  ctl_status_str(status), (int)fn);
            break;
        case FN_NAMED: {
            bool known = false;
            for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
                known |= is_function(name, name_len, functions[i]);
            if (!known) {
                CHECK(status == CTL_ERR_UNKNOWN_FUNCTION, "function %.*s is not in the table but gives %s",
                      (int)name_len, name, ctl_status_str(status));
                break;
            }
            CHECK(status == CTL_OK || status == CTL_ERR_INVALID_PAYLOAD || status == CTL_ERR_HANDLER,
                  "function %.*s gives %s", (int)name_len, name, ctl_status_str(status));
            if (status == CTL_ERR_HANDLER)
                CHECK(is_function(name, name_len, "fail") || is_function(name, name_len, "fire"),
                      "handler %.*s never fails, yet HandlerError", (int)name_len, name);
            if (status == CTL_OK) {
                CHECK(!is_function(name, name_len, "fail"), "fail succeeded");
                if (is_function(name, name_len, "fire") || is_function(name, name_len, "ping"))
                    CHECK(resp.len == 4 && memcmp(resp.body, "null", 4) == 0, "fire/ping answer something but null");
            }
            break;
        }
        }
    }

    /* The same event through the client's call path: the same bytes. */
    ctl_response called;
    ctl_status status2 = ctl_client_call(client, "echo", event, size, &called);
    cur_resp = &called;
    check_response(&called, status2);
    cur_resp = &resp;
    CHECK(status2 == status && called.len == resp.len && (!resp.body || memcmp(called.body, resp.body, resp.len) == 0),
          "ctl_client_call and ctl_dispatch answer the same event differently");
    ctl_response_free(&called);

    if (status == CTL_OK && fn == FN_NAMED) {
        if (is_function(name, name_len, "all")) {
            check_json_fields(event, size, &resp);
            check_fixed_point(&resp, "{\"function\":\"all\",\"v\":", 0, "}");
        } else if (is_function(name, name_len, "tree")) {
            check_fixed_point(&resp, "{\"function\":\"tree\",\"t\":", 0, "}");
        } else if (is_function(name, name_len, "flat")) {
            check_fixed_point(&resp, "{\"function\":\"flat\",", 1, "");
        }
    }
    ctl_response_free(&resp);
    cur_event = NULL;
    cur_resp = NULL;
}
