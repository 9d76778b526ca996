/* null_walk.c: bad calls never crash. Every function that the headers of
 * runtime/include/ctl declare, and every kind of generated stub (contract.ctl: _send, _call with
 * and without a result, a reply or none), is called with NULL or invalid
 * values for each pointer and size: NULL client, ctx, controller, event,
 * resp, reply, config, out; a length without data; a length past what
 * memory holds; names nothing registered; a freed-then-NULL reply. Each
 * must answer an error (a status, -1, NULL, false) and crash nothing; the
 * sanitizer build runs it under ASan and UBSan.
 *
 *   ctl_null_walk HEADER...
 *
 * reads the public headers and fails when one declares a function this
 * walk has no case for (or the walk has a case for a function no header
 * declares): a new function comes with its case. */
#include <ctype.h>
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "ctl/gen.h"
#include "ctl/json.h"
#include "contract.ctl.h"

#include "../check.h"

#define HUGE_LEN ((size_t)1 << 40) /* past any limit, and past the few bytes the walk passes */

static const char *text(const char *s)
{
    return s ? s : "(null)";
}

/* A message reads as English: not empty, no "(null)", printable. */
static bool english(const char *s)
{
    if (!s || !*s || strstr(s, "(null)"))
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20)
            return false;
    return true;
}

/* ---- the handlers (contract.ctl) ----------------------------------------------- */

static atomic_int arrived;
static void walk_with_ctx(ctl_ctx *ctx);

int c_media_resize(ctl_ctx *ctx, const c_media_resize_args *args, c_media_resize_result *result)
{
    (void)ctx;
    atomic_fetch_add(&arrived, 1);
    result->width = 1;
    result->format = args->format;
    result->label = args->name;
    return 0;
}

int c_media_thumbnail(ctl_ctx *ctx, const c_media_thumbnail_args *args)
{
    (void)ctx;
    (void)args;
    atomic_fetch_add(&arrived, 1);
    return 0;
}

int c_media_purge(ctl_ctx *ctx, const c_media_purge_args *args)
{
    atomic_fetch_add(&arrived, 1);
    if (strcmp(args->name, "walk") == 0)
        walk_with_ctx(ctx); /* the functions that want a real ctx */
    return 0;
}

int c_audit_record(ctl_ctx *ctx, const c_audit_record_args *args)
{
    (void)ctx;
    (void)args;
    return 0;
}

int c_audit_purge(ctl_ctx *ctx, const c_audit_purge_args *args)
{
    (void)ctx;
    (void)args;
    return 0;
}

static ctl_client *client;     /* media registered, inline sends */
static ctl_client *bare;       /* nothing registered, no Lambda */

static c_Size one_size[1] = { { 3, 4 } };

static c_media_resize_args good_args(void)
{
    c_media_resize_args a = { 0 };
    a.quality = 50;
    a.sizes.items = one_size;
    a.sizes.count = 1;
    a.format = c_Format_png;
    a.name = "cat.png";
    a.ratio = 0.5;
    return a;
}

/* ---- ctl.h ------------------------------------------------------------------------ */

static void w_status_str(void)
{
    CHECK(english(ctl_status_str((ctl_status)-1)) && english(ctl_status_str((ctl_status)9999)), "status text");
    for (int s = 0; s <= CTL_ERR_NETWORK; s++)
        CHECK(english(ctl_status_str((ctl_status)s)), "status %d text", s);
}

static void w_status_error_type(void)
{
    CHECK(strcmp(ctl_status_error_type((ctl_status)-1), "ctl.Error") == 0, "bad status type");
    CHECK(strcmp(ctl_status_error_type((ctl_status)9999), "ctl.Error") == 0, "bad status type");
}

static void w_alloc(void)
{
    CHECK(ctl_alloc(NULL, 8) == NULL, "ctl_alloc(NULL)");
}

static void w_strdup(void)
{
    CHECK(ctl_strdup(NULL, "x") == NULL, "ctl_strdup(NULL ctx)");
}

static void w_sprintf(void)
{
    CHECK(ctl_sprintf(NULL, "%d", 1) == NULL, "ctl_sprintf(NULL ctx)");
}

static void w_fail(void)
{
    CHECK(ctl_fail(NULL, "T", "m") == -1, "ctl_fail(NULL)");
    CHECK(ctl_fail(NULL, NULL, NULL) == -1, "ctl_fail(NULL, NULL, NULL)");
}

static void w_ctx_accessors(void)
{
    CHECK(ctl_ctx_function(NULL) == NULL && ctl_ctx_controller(NULL) == NULL && ctl_ctx_request_id(NULL) == NULL,
          "NULL ctx names");
    CHECK(ctl_ctx_deadline_ms(NULL) == 0 && ctl_ctx_remaining_ms(NULL) == INT64_MAX, "NULL ctx deadline");
    CHECK(ctl_ctx_function_arn(NULL) == NULL && ctl_ctx_trace_id(NULL) == NULL &&
              ctl_ctx_client_context(NULL) == NULL && ctl_ctx_cognito_identity(NULL) == NULL,
          "NULL ctx Lambda strings");
    CHECK(ctl_ctx_attempt(NULL) == 0 && ctl_ctx_client(NULL) == NULL && ctl_ctx_user(NULL) == NULL, "NULL ctx rest");
}

static void w_name_hash(void)
{
    CHECK(ctl_name_hash(NULL, 5) == ctl_name_hash("", 0), "hash of NULL");
}

static void w_controller_find(void)
{
    CHECK(ctl_controller_find(NULL, "resize", 6) == NULL, "find in NULL");
    CHECK(ctl_controller_find(&c_media_controller, NULL, 6) == NULL, "find NULL name");
    CHECK(ctl_controller_find(&c_media_controller, "nope", 4) == NULL, "find unknown");
    CHECK(ctl_controller_find(&c_media_controller, "resize", 6) != NULL, "find resize");
    ctl_controller empty = { .name = "empty", .count = 3 };
    CHECK(ctl_controller_find(&empty, "resize", 6) == NULL, "find in a table without functions");
}

static void w_dispatch(void)
{
    ctl_response resp;
    CHECK(ctl_dispatch(&c_media_controller, "{}", 2, NULL, NULL) == CTL_ERR_USAGE, "dispatch, NULL resp");
    CHECK(ctl_dispatch(NULL, "{}", 2, NULL, &resp) == CTL_ERR_USAGE && english(resp.error_message),
          "dispatch, NULL controller: %s", text(resp.error_message));
    ctl_response_free(&resp);
    CHECK(ctl_dispatch(&c_media_controller, NULL, 5, NULL, &resp) == CTL_ERR_USAGE && english(resp.error_message),
          "dispatch, len without data: %s", text(resp.error_message));
    ctl_response_free(&resp);
    ctl_status st = ctl_dispatch(&c_media_controller, "{}", HUGE_LEN, NULL, &resp);
    CHECK(st == CTL_ERR_NOMEM && strcmp(text(resp.error_message),
                                        "the event of 1099511627776 bytes is larger than the invocation's "
                                        "memory limit of 256 MiB") == 0,
          "dispatch, huge len: %s: %s", ctl_status_str(st), text(resp.error_message));
    ctl_response_free(&resp);
    CHECK(ctl_dispatch(&c_media_controller, NULL, 0, NULL, &resp) == CTL_ERR_INVALID_JSON, "dispatch, no event");
    ctl_response_free(&resp);
    ctl_controller bad = { .name = NULL, .count = 2 };
    CHECK(ctl_dispatch(&bad, "{}", 2, NULL, &resp) == CTL_ERR_USAGE && english(resp.error_message),
          "dispatch, malformed table: %s", text(resp.error_message));
    ctl_response_free(&resp);
    /* Text that ends in a NUL before len says: read no further. */
    static const char *const cut[] = { "{\"a", "{\"a\\", "{\"a\\u00", "[tr", "[nu", "{\"a\":\"x\\n", "[1e", "[\"\\",
                                       /* the one-pass reader's strings, keys and words */
                                       "{\"function\":\"purge\",\"name\":\"ab", "{\"function\":\"purge\",\"na",
                                       "{\"function\":\"thumbnail\",\"name\":\"a\",\"format\":\"p",
                                       "{\"function\":\"purge\",\"name\":\"ab\"", "{\"function\":\"purge\"" };
    for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++) {
        /* a block of the text and its NUL only, so that ASan sees a read
         * past it that is not one of the exempt 16-byte loads (json_scan.h) */
        char *copy = strdup(cut[i]);
        CHECK(copy && ctl_dispatch(&c_media_controller, copy, 4096, NULL, &resp) == CTL_ERR_INVALID_JSON,
              "dispatch of %s with len past its NUL", cut[i]);
        free(copy);
        ctl_response_free(&resp);
    }
}

static void w_response_free(void)
{
    ctl_response_free(NULL);
    ctl_response zero = { 0 };
    ctl_response_free(&zero);
    ctl_response_free(&zero); /* twice */
}

static void w_client_new(void)
{
    ctl_client_config nowhere = { 0 };
    nowhere.dead_letter_path = "";
    CHECK(ctl_client_new(&nowhere) == NULL, "a client with nowhere for failed events");
    ctl_client_config odd = { 0 };
    odd.workers = -5;
    odd.max_retries = -100;
    odd.dead_letter_path = "/dev/null";
    ctl_client *c = ctl_client_new(&odd);
    CHECK(c != NULL, "negative workers and retries take the defaults");
    ctl_client_free(c);
}

static void w_client_register(void)
{
    CHECK(ctl_client_register(NULL, &c_media_controller) == CTL_ERR_USAGE, "register, NULL client");
    CHECK(strcmp(ctl_client_error(NULL), "ctl_client_register: client is NULL") == 0, "message: %s",
          ctl_client_error(NULL));
    CHECK(ctl_client_register(bare, NULL) == CTL_ERR_USAGE && english(ctl_client_error(bare)),
          "register, NULL controller: %s", ctl_client_error(bare));
    ctl_controller bad = { .name = NULL, .count = 0 };
    CHECK(ctl_client_register(bare, &bad) == CTL_ERR_USAGE && english(ctl_client_error(bare)),
          "register, nameless controller: %s", ctl_client_error(bare));
    CHECK(ctl_client_register(client, &c_media_controller) == CTL_ERR_USAGE &&
              strcmp(ctl_client_error(client), "controller 'media' is registered already") == 0,
          "register twice: %s", ctl_client_error(client));
}

static void w_client_set_user(void)
{
    ctl_client_set_user(NULL, &arrived);
}

static void w_client_send(void)
{
    CHECK(ctl_client_send(NULL, "media", "{}", 2) == CTL_ERR_USAGE &&
              strcmp(ctl_client_error(NULL), "ctl_client_send: client is NULL") == 0,
          "send, NULL client: %s", ctl_client_error(NULL));
    CHECK(ctl_client_send(client, NULL, "{}", 2) == CTL_ERR_USAGE && english(ctl_client_error(client)),
          "send, NULL controller");
    CHECK(ctl_client_send(client, "media", NULL, 2) == CTL_ERR_USAGE &&
              strcmp(ctl_client_error(client), "ctl_client_send: event is NULL but its length is not 0") == 0,
          "send, len without data: %s", ctl_client_error(client));
    CHECK(ctl_client_send(client, "media", "{}", HUGE_LEN) == CTL_ERR_TOO_LARGE &&
              strcmp(ctl_client_error(client), "the event for media is 1099511627776 bytes, over Lambda's limit of "
                                               "1048576 bytes (1 MB) for async invocations") == 0,
          "send, huge len: %s", ctl_client_error(client));
    CHECK(ctl_client_send(client, "nobody", "{}", 2) == CTL_ERR_UNKNOWN_CONTROLLER &&
              strcmp(ctl_client_error(client), "no controller 'nobody' is registered, and the client does not use "
                                               "Lambda (ctl_client_use_lambda)") == 0,
          "send, unregistered: %s", ctl_client_error(client));
    CHECK(ctl_client_send(bare, "media", "{}", 2) == CTL_ERR_UNKNOWN_CONTROLLER, "send, bare client");
}

static void w_client_call(void)
{
    ctl_response resp;
    CHECK(ctl_client_call(client, "media", "{}", 2, NULL) == CTL_ERR_USAGE &&
              strcmp(ctl_client_error(client), "ctl_client_call: resp is NULL") == 0,
          "call, NULL resp: %s", ctl_client_error(client));
    CHECK(ctl_client_call(NULL, "media", "{}", 2, &resp) == CTL_ERR_USAGE &&
              strcmp(text(resp.error_message), "ctl_client_call: client is NULL") == 0,
          "call, NULL client: %s", text(resp.error_message));
    ctl_response_free(&resp);
    CHECK(ctl_client_call(client, NULL, "{}", 2, &resp) == CTL_ERR_USAGE && english(resp.error_message),
          "call, NULL controller");
    ctl_response_free(&resp);
    CHECK(ctl_client_call(client, "media", NULL, 9, &resp) == CTL_ERR_USAGE && english(resp.error_message),
          "call, len without data");
    ctl_response_free(&resp);
    CHECK(ctl_client_call(client, "media", "{}", HUGE_LEN, &resp) == CTL_ERR_TOO_LARGE &&
              strcmp(text(resp.error_message), "the event for media is 1099511627776 bytes, over Lambda's limit of "
                                               "6291456 bytes (6 MB) for synchronous invocations") == 0,
          "call, huge len: %s", text(resp.error_message));
    ctl_response_free(&resp);
    CHECK(ctl_client_call(client, "nobody", "{}", 2, &resp) == CTL_ERR_UNKNOWN_CONTROLLER &&
              strcmp(text(resp.error_type), "ctl.UnknownController") == 0,
          "call, unregistered: %s", text(resp.error_type));
    ctl_response_free(&resp);
    /* A failed call is the client's last error too. */
    CHECK(ctl_client_call(client, "media", "[]", 2, &resp) == CTL_ERR_INVALID_EVENT &&
              strcmp(ctl_client_error(client), text(resp.error_message)) == 0,
          "call, bad event: %s vs %s", ctl_client_error(client), text(resp.error_message));
    ctl_response_free(&resp);
}

static void w_client_drain(void)
{
    ctl_client_drain(NULL);
}

static void w_client_flush(void)
{
    ctl_client_flush(NULL);
}

static void w_client_stats_get(void)
{
    ctl_client_stats st;
    memset(&st, 0xff, sizeof st);
    ctl_client_stats_get(NULL, &st);
    CHECK(st.sent == 0 && st.failed == 0, "stats of NULL are zero");
    ctl_client_stats_get(client, NULL);
    ctl_client_stats_get(NULL, NULL);
}

/* Two clients used from one thread keep their own errors; a freed client's
 * error never shows for a new one (even at the same address). */
static void w_client_error(void)
{
    CHECK(ctl_client_error(NULL) != NULL, "ctl_client_error(NULL) is text");
    ctl_client_config cfg = { 0 };
    cfg.dead_letter_path = "/dev/null";
    ctl_client *a = ctl_client_new(&cfg), *b = ctl_client_new(&cfg);
    CHECK(a && b && strcmp(ctl_client_error(a), "") == 0, "a new client has no error");
    CHECK(ctl_client_send(a, "alpha", "{}", 2) == CTL_ERR_UNKNOWN_CONTROLLER, "a: unknown");
    CHECK(ctl_client_send(b, "beta", "{}", 2) == CTL_ERR_UNKNOWN_CONTROLLER, "b: unknown");
    CHECK(strstr(ctl_client_error(a), "'alpha'") && strstr(ctl_client_error(b), "'beta'"),
          "each client keeps its own: %s / %s", ctl_client_error(a), ctl_client_error(b));
    void *old = a;
    ctl_client_free(a);
    int same = 0;
    for (int i = 0; i < 64; i++) {
        ctl_client *c = ctl_client_new(&cfg);
        if (!c)
            break;
        same += (void *)c == old;
        CHECK(strcmp(ctl_client_error(c), "") == 0, "a new client (at %s address) shows an old error: %s",
              (void *)c == old ? "the freed one's" : "another", ctl_client_error(c));
        ctl_client_free(c);
    }
    /* Many clients on one thread: each still has its own. */
    ctl_client *many[40];
    for (int i = 0; i < 40; i++) {
        many[i] = ctl_client_new(&cfg);
        char name[16];
        snprintf(name, sizeof name, "c%d", i);
        CHECK(many[i] && ctl_client_send(many[i], name, "{}", 2) == CTL_ERR_UNKNOWN_CONTROLLER, "many %d", i);
    }
    for (int i = 24; i < 40; i++) { /* a thread keeps the errors of its 16 latest clients */
        char want[16];
        snprintf(want, sizeof want, "'c%d'", i);
        CHECK(strstr(ctl_client_error(many[i]), want), "client %d says %s", i, ctl_client_error(many[i]));
    }
    CHECK(strcmp(ctl_client_error(many[0]), "") == 0 && strcmp(ctl_client_error(b), "") == 0,
          "older errors are forgotten, not mixed up: %s / %s", ctl_client_error(many[0]), ctl_client_error(b));
    for (int i = 0; i < 40; i++)
        ctl_client_free(many[i]);
    ctl_client_free(b);
    printf("client errors: a new client took a freed one's address %d times of 64\n", same);
}

static void w_client_use_lambda(void)
{
    CHECK(ctl_client_use_lambda(NULL, NULL) == CTL_ERR_USAGE, "use_lambda(NULL)");
    ctl_client_config cfg = { 0 };
    cfg.dead_letter_path = "/dev/null";
    ctl_client *c = ctl_client_new(&cfg);
    ctl_lambda_config bad = { 0 };
    bad.region = "eu-west-1";
    bad.access_key_id = "AKID";
    bad.secret_access_key = "secret";
    bad.endpoint_url = "ftp://example.com";
    CHECK(ctl_client_use_lambda(c, &bad) == CTL_ERR_USAGE && english(ctl_client_error(c)),
          "use_lambda, ftp endpoint: %s", ctl_client_error(c));
    bad.endpoint_url = "http://127.0.0.1:9";
    bad.timeout_ms = -1;
    CHECK(ctl_client_use_lambda(c, &bad) == CTL_ERR_USAGE && english(ctl_client_error(c)),
          "use_lambda, negative timeout: %s", ctl_client_error(c));
    bad.timeout_ms = 0;
    bad.region = "not a region!";
    CHECK(ctl_client_use_lambda(c, &bad) == CTL_ERR_USAGE && english(ctl_client_error(c)),
          "use_lambda, bad region: %s", ctl_client_error(c));
    ctl_client_free(c);
}

static void w_client_use_idempotency_table(void)
{
    unsetenv("CTL_IDEMPOTENCY_TABLE");
    CHECK(ctl_client_use_idempotency_table(NULL, "tbl") == CTL_ERR_USAGE &&
              strcmp(ctl_client_error(NULL), "ctl_client_use_idempotency_table: client is NULL") == 0,
          "NULL client: %s", ctl_client_error(NULL));
    ctl_client_config cfg = { 0 };
    cfg.dead_letter_path = "/dev/null";
    ctl_client *c = ctl_client_new(&cfg);
    CHECK(ctl_client_use_idempotency_table(c, NULL) == CTL_ERR_USAGE && english(ctl_client_error(c)),
          "no table: %s", ctl_client_error(c));
    CHECK(ctl_client_use_idempotency_table(c, "") == CTL_ERR_USAGE && english(ctl_client_error(c)), "empty name");
    CHECK(ctl_client_use_idempotency_table(c, "a b") == CTL_ERR_USAGE && english(ctl_client_error(c)),
          "bad name: %s", ctl_client_error(c));
    setenv("AWS_REGION", "not a region!", 1);
    setenv("AWS_ACCESS_KEY_ID", "AKID", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "secret", 1);
    CHECK(ctl_client_use_idempotency_table(c, "tbl") == CTL_ERR_USAGE && english(ctl_client_error(c)),
          "bad region: %s", ctl_client_error(c));
    setenv("AWS_REGION", "eu-west-1", 1);
    setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9", 1);
    setenv("CTL_IDEMPOTENCY_TABLE", "from-the-env", 1);
    CHECK(ctl_client_use_idempotency_table(c, NULL) == CTL_OK, "the table of the environment: %s",
          ctl_client_error(c));
    CHECK(ctl_client_use_idempotency_table(c, "tbl") == CTL_ERR_USAGE && english(ctl_client_error(c)),
          "a second store: %s", ctl_client_error(c));
    ctl_client_free(c);
}

static void w_client_route(void)
{
    CHECK(ctl_client_route(NULL, "a", "b") == CTL_ERR_USAGE &&
              strcmp(ctl_client_error(NULL), "ctl_client_route: client is NULL") == 0,
          "route, NULL client: %s", ctl_client_error(NULL));
    CHECK(ctl_client_route(bare, NULL, "b") == CTL_ERR_USAGE && english(ctl_client_error(bare)), "route, NULL");
    CHECK(ctl_client_route(bare, "a", NULL) == CTL_ERR_USAGE && english(ctl_client_error(bare)), "route, NULL");
    CHECK(ctl_client_route(bare, "a", "no spaces allowed") == CTL_ERR_USAGE && english(ctl_client_error(bare)),
          "route, bad name: %s", ctl_client_error(bare));
}

static void w_client_free(void)
{
    ctl_client_free(NULL);
}

static void w_reply(void)
{
    CHECK(ctl_reply_error_type(NULL) == NULL && ctl_reply_error_message(NULL) == NULL, "reply of NULL");
    ctl_reply_free(NULL);
    /* A freed-then-NULL reply. */
    c_media_purge_args p = { NULL };
    ctl_reply *reply = NULL;
    CHECK(c_media_purge_call(client, &p, &reply) == CTL_ERR_INVALID_ARGS && reply, "a reply to free");
    ctl_reply_free(reply);
    reply = NULL;
    ctl_reply_free(reply);
    CHECK(ctl_reply_error_type(reply) == NULL, "freed-then-NULL reply");
}

static void w_main(void)
{
    unsetenv("AWS_LAMBDA_RUNTIME_API");
    CHECK(ctl_main(0, NULL, NULL) == 2, "ctl_main(0, NULL, NULL)");
    CHECK(ctl_main(3, NULL, &c_media_controller, NULL) == 2, "ctl_main with a NULL argv");
    char *cut[] = { "walk", NULL, NULL };
    CHECK(ctl_main(3, cut, &c_media_controller, NULL) == 2, "ctl_main with argv cut short by NULL");
    char *unknown[] = { "walk", "invoke", "--controller", "nobody", "{}", NULL };
    CHECK(ctl_main(5, unknown, &c_media_controller, NULL) == 2, "invoke --controller nobody");
    char *junk[] = { "walk", "invoke", "not json", NULL };
    CHECK(ctl_main(3, junk, &c_media_controller, NULL) == 1, "invoke junk");
    ctl_controller bad = { .name = NULL, .count = 1 };
    char *list[] = { "walk", "list", NULL };
    CHECK(ctl_main(2, list, &bad, NULL) == 2, "a malformed hosted controller");
    fflush(stdout);
}

/* ---- gen.h, without a ctx --------------------------------------------------------- */

static void w_buf(void)
{
    CHECK(!ctl_buf_reserve(NULL, 8), "reserve NULL");
    ctl_buf b = CTL_BUF_INIT;
    CHECK(!ctl_buf_reserve(&b, SIZE_MAX) && b.failed, "reserve SIZE_MAX");
    ctl_buf_free(&b);
    ctl_buf_free(NULL);
    ctl_buf_put(NULL, "x", 1);
    ctl_buf_put(&b, NULL, 5);
    volatile size_t huge = SIZE_MAX; /* hidden from the compiler, which would warn of it */
    ctl_buf_put(&b, "x", huge);
    CHECK(b.failed, "put SIZE_MAX fails the buffer");
    ctl_buf_free(&b);
    ctl_buf_putc(NULL, 'x');
}

static void w_writers(void)
{
    ctl_buf b = CTL_BUF_INIT;
    size_t n = 7;
    CHECK(ctl_write_string(NULL, "x") == -1 && ctl_write_string(&b, NULL) == -1, "write_string NULLs");
    CHECK(ctl_write_string_length(NULL, "x", &n) == -1 && ctl_write_string_length(&b, NULL, &n) == -1,
          "write_string_length NULLs");
    CHECK(ctl_write_string_length(&b, "x", NULL) == 0, "write_string_length, NULL length");
    ctl_write_int(NULL, 5);
    CHECK(ctl_write_float(NULL, 1.5) == 0 && ctl_write_float(&b, NAN) == -1, "write_float");
    ctl_write_bool(NULL, true);
    CHECK(ctl_write_json(NULL, NULL, NULL, NULL) == -1, "write_json, NULL out");
    CHECK(ctl_write_json(NULL, NULL, NULL, &b) == 0, "write_json, NULL value is null");
    CHECK(ctl_write_key(NULL, NULL, NULL, 0, &b) == -1 && ctl_write_key(NULL, "k", NULL, 0, NULL) == -1,
          "write_key NULLs");
    ctl_buf_free(&b);
}

static void w_readers(void)
{
    ctl_json num = { CTL_JSON_NUMBER, 0, 0, 1, "5", NULL, 0, NULL, NULL };
    ctl_json str = { CTL_JSON_STRING, 0, 0, 1, "s", NULL, 0, NULL, NULL };
    const char *s;
    int64_t i;
    double d;
    bool b;
    cJSON *j;
    CHECK(ctl_read_string(NULL, NULL, NULL, &s) == -1 && ctl_read_string(NULL, &str, NULL, NULL) == -1,
          "read_string NULLs");
    CHECK(ctl_read_int(NULL, NULL, NULL, &i) == -1 && ctl_read_int(NULL, &num, NULL, NULL) == -1, "read_int NULLs");
    CHECK(ctl_read_float(NULL, NULL, NULL, &d) == -1 && ctl_read_float(NULL, &num, NULL, NULL) == -1,
          "read_float NULLs");
    CHECK(ctl_read_float(NULL, &num, NULL, &d) == 0 && d == 5, "read_float without a ctx");
    CHECK(ctl_read_bool(NULL, NULL, NULL, &b) == -1 && ctl_read_bool(NULL, &num, NULL, NULL) == -1,
          "read_bool NULLs");
    CHECK(ctl_read_json(NULL, &num, NULL, &j) == -1, "read_json without a ctx");
    ctl_record rec;
    CHECK(ctl_record_read(NULL, NULL, &rec) == -1 && ctl_record_read(NULL, &num, NULL) == -1 &&
              ctl_record_read(NULL, &num, &rec) == -1,
          "record_read NULLs, and a value that is no object");
    CHECK(ctl_read_key(NULL, NULL, NULL, &s) == -1 && ctl_read_key(NULL, &str, NULL, NULL) == -1 &&
              ctl_read_key(NULL, &str, NULL, &s) == -1,
          "read_key NULLs, and a value that is no member");
    CHECK(ctl_check_unique_keys(NULL, NULL, NULL) == -1, "unique_keys NULL");
    ctl_json arr = { CTL_JSON_ARRAY, 0, 0, 2, NULL, NULL, 0, &num, NULL };
    CHECK(ctl_check_unique_keys(NULL, &arr, NULL) == 0, "unique_keys of an array");
    CHECK(ctl_expect(NULL, NULL, NULL, CTL_JSON_OBJECT) == -1, "expect NULL");
    CHECK(ctl_utf8_count(NULL, 10) == 0, "utf8_count NULL");
    CHECK(ctl_alloc_array(NULL, 2, 2) == NULL, "alloc_array NULL");
    /* Many keys, no ctx: the verdict still comes. */
    ctl_json members[12];
    static const char *const keys[12] = { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "a" };
    for (int k = 0; k < 12; k++)
        members[k] = (ctl_json){ CTL_JSON_NULL, 0, 0, 0, NULL, keys[k], 1, NULL, k < 11 ? &members[k + 1] : NULL };
    ctl_json obj = { CTL_JSON_OBJECT, 0, 0, 12, NULL, NULL, 0, members, NULL };
    CHECK(ctl_check_unique_keys(NULL, &obj, NULL) == -1, "a duplicate among 12 keys, no ctx");
}

static void w_fails(void)
{
    ctl_json num = { CTL_JSON_NUMBER, 0, 0, 1, "5", NULL, 0, NULL, NULL };
    CHECK(ctl_fail_missing(NULL, NULL, NULL) == -1 && ctl_fail_duplicate(NULL, NULL) == -1, "missing, duplicate");
    CHECK(ctl_fail_enum(NULL, NULL, NULL, NULL) == -1 && ctl_fail_enum(NULL, &num, NULL, NULL) == -1, "enum");
    CHECK(ctl_fail_range_length(NULL, NULL, 1, 2, 3) == -1 && ctl_fail_min_length(NULL, NULL, 1, 2) == -1 &&
              ctl_fail_max_length(NULL, NULL, 3, 2) == -1,
          "length");
    CHECK(ctl_fail_range_int(NULL, NULL, 1, 2, 3) == -1 && ctl_fail_min_int(NULL, NULL, 1, 2) == -1 &&
              ctl_fail_max_int(NULL, NULL, 3, 2) == -1,
          "int");
    CHECK(ctl_fail_range_float(NULL, NULL, 1, 2, 3) == -1 && ctl_fail_min_float(NULL, NULL, 1, 2) == -1 &&
              ctl_fail_max_float(NULL, NULL, 3, 2) == -1,
          "float");
    CHECK(ctl_fail_string_field(NULL, NULL, NULL, NULL) == -1 && ctl_fail_string(NULL, NULL, NULL) == -1 &&
              ctl_fail_float(NULL, NULL, NAN) == -1 && ctl_fail_member(NULL, NULL, 9, NULL) == -1 &&
              ctl_fail_items(NULL, NULL, 3) == -1,
          "writer failures");
    CHECK(ctl_check_map_keys(NULL, NULL, NULL, 3, 16) == -1, "map keys, NULL items");
    const char *k1[1] = { "a" };
    CHECK(ctl_check_map_keys(NULL, NULL, k1, 1, 1) == -1, "map keys, entries smaller than a key");
    CHECK(ctl_check_map_keys(NULL, NULL, k1, SIZE_MAX, 16) == -1, "map keys, count * size overflows");
    CHECK(ctl_handler_failed(NULL, -1) == -1 && ctl_fail_result(NULL) == -1, "handler_failed, fail_result");
}

static void w_stub_steps(void)
{
    CHECK(ctl_stub_start(NULL, NULL, NULL, 0) == CTL_ERR_USAGE, "stub_start(NULL)");
    CHECK(ctl_stub_refuse(NULL) == CTL_ERR_USAGE && ctl_stub_send(NULL) == CTL_ERR_USAGE &&
              ctl_stub_call(NULL) == CTL_ERR_USAGE && ctl_stub_finish(NULL, 0) == CTL_ERR_USAGE,
          "stub steps on NULL");
    CHECK(english(ctl_client_error(NULL)), "the NULL stub's error: %s", ctl_client_error(NULL));
    /* Steps out of order, on a zeroed stub. */
    ctl_stub z = { 0 };
    CHECK(ctl_stub_start(&z, &z, NULL, 0) == CTL_ERR_USAGE, "a stub with no names");
    ctl_stub y = { 0 };
    CHECK(ctl_stub_refuse(&y) == CTL_ERR_USAGE, "refuse before start");
    ctl_stub x = { 0 };
    CHECK(ctl_stub_send(&x) == CTL_ERR_USAGE, "send before start");
    ctl_stub w = { 0 };
    CHECK(ctl_stub_call(&w) == CTL_ERR_USAGE, "call before start");
    ctl_stub v = { 0 };
    CHECK(ctl_stub_finish(&v, 0) == CTL_ERR_USAGE, "finish before call");
    ctl_reply *reply = (ctl_reply *)&v;
    ctl_stub u = { .client = NULL, .controller = "media", .function = "resize", .reply = &reply };
    CHECK(ctl_stub_start(&u, NULL, NULL, 8) == CTL_ERR_USAGE && reply &&
              strcmp(text(ctl_reply_error_message(reply)), "media.resize: client is NULL") == 0,
          "start, everything NULL");
    ctl_reply_free(reply);
}

/* The one-pass readers' cursor steps: a NULL cursor or output is refused
 * (-1, NULL or false), and so is a zeroed cursor (no text, no arena, no
 * error record), as a cursor over no bytes. */
static void w_cursor(void)
{
    const char *s;
    uint32_t n;
    int64_t i;
    double d;
    bool b;
    cJSON *j;
    size_t cap = 0;
    CHECK(ctl_cur_object(NULL) == -1 && ctl_cur_array(NULL) == -1 && ctl_cur_more(NULL, '}') == -1, "containers");
    static const ctl_key keys[] = { { "\"a\":", "a", 1 } };
    CHECK(ctl_cur_more_scan(NULL, ']') == -1, "containers, out of line");
    CHECK(ctl_cur_field(NULL, keys, 1, 0) == -1 && ctl_cur_field_scan(NULL, keys, 1) == -1 &&
              ctl_cur_map_key(NULL, &s) == -1 && !ctl_cur_key(NULL, keys[0].quoted, 4),
          "keys");
    CHECK(ctl_cur_word(NULL, &s, &n) == -1, "words");
    CHECK(ctl_cur_string(NULL, &s, &n) == -1 && ctl_cur_int(NULL, &i) == -1 && ctl_cur_float(NULL, &d) == -1 &&
              ctl_cur_bool(NULL, &b) == -1 && ctl_cur_json(NULL, NULL, &j) == -1 && !ctl_cur_null(NULL),
          "values");
    CHECK(ctl_cur_skip(NULL) == -1 && ctl_cur_end(NULL) == -1, "skip and end");
    CHECK(ctl_cur_grow(NULL, NULL, 0, &cap, 8) == NULL && ctl_cur_grow(NULL, NULL, 0, NULL, 8) == NULL,
          "grow without a ctx");
    ctl_cursor z = { 0 };
    CHECK(ctl_cur_object(&z) == -1 && ctl_cur_array(&z) == -1 && ctl_cur_more(&z, ']') == -1, "zeroed: containers");
    CHECK(ctl_cur_field(&z, NULL, 1, 0) == -1 && ctl_cur_field(&z, keys, 1, 0) == -1 &&
              ctl_cur_field(&z, keys, 0, 0) == -1 && ctl_cur_field_scan(&z, keys, 1) == -1 &&
              ctl_cur_map_key(&z, NULL) == -1 && !ctl_cur_key(&z, keys[0].quoted, 4) && !ctl_cur_key(&z, NULL, 4) &&
              !ctl_cur_key(&z, keys[0].quoted, 0) && !ctl_cur_key(&z, keys[0].quoted, 25),
          "zeroed: keys");
    CHECK(ctl_cur_word(&z, NULL, NULL) == -1 && ctl_cur_word(&z, &s, &n) == -1 && ctl_cur_more_scan(&z, '}') == -1,
          "zeroed: words, containers out of line");
    CHECK(ctl_cur_string(&z, NULL, NULL) == -1 && ctl_cur_int(&z, NULL) == -1 && ctl_cur_float(&z, NULL) == -1 &&
              ctl_cur_bool(&z, NULL) == -1 && ctl_cur_json(NULL, &z, NULL) == -1 && !ctl_cur_null(&z),
          "zeroed: values");
    CHECK(ctl_cur_skip(&z) == -1 && ctl_cur_end(&z) == 0, "zeroed: nothing to skip, nothing left");
}

static void w_json_parse(void)
{
    ctl_json_error err;
    CHECK(ctl_json_parse(NULL, "{}", 2, &err) == NULL && english(err.message), "parse, NULL arena");
    CHECK(ctl_json_parse(NULL, "{}", 2, NULL) == NULL, "parse, NULL arena and err");
    CHECK(ctl_json_parse(NULL, NULL, 5, &err) == NULL, "parse, NULL text");
    CHECK(ctl_json_parse(NULL, "{}", SIZE_MAX, &err) == NULL, "parse, SIZE_MAX");
}

/* ---- generated stubs ---------------------------------------------------------------- */

static void w_stubs(void)
{
    c_media_resize_args args = good_args();
    c_media_resize_result res;
    ctl_reply *reply;
    /* _send of a function with a result, and of an async one. */
    CHECK(c_media_resize_send(NULL, &args) == CTL_ERR_USAGE && c_media_resize_send(client, NULL) == CTL_ERR_USAGE,
          "resize_send NULLs");
    CHECK(c_media_thumbnail_send(NULL, NULL) == CTL_ERR_USAGE, "thumbnail_send NULLs");
    c_media_thumbnail_args thumb = { "t.png", c_Format_jpeg };
    CHECK(c_media_thumbnail_send(bare, &thumb) == CTL_ERR_UNKNOWN_CONTROLLER && english(ctl_client_error(bare)),
          "send to a client without media: %s", ctl_client_error(bare));
    /* _call with a result: every pointer NULL in turn, reply or none. */
    for (int with_reply = 0; with_reply < 2; with_reply++) {
        ctl_reply **rp = with_reply ? &reply : NULL;
        reply = (ctl_reply *)&args; /* overwritten on every path */
        CHECK(c_media_resize_call(NULL, &args, &res, rp) == CTL_ERR_USAGE, "call, NULL client");
        if (with_reply) {
            CHECK(reply != (ctl_reply *)&args, "reply set");
            ctl_reply_free(reply);
        }
        CHECK(c_media_resize_call(client, NULL, &res, rp) == CTL_ERR_USAGE, "call, NULL args");
        if (with_reply)
            ctl_reply_free(reply);
        CHECK(c_media_resize_call(client, &args, NULL, rp) == CTL_ERR_USAGE, "call, NULL result");
        if (with_reply)
            ctl_reply_free(reply);
        CHECK(c_media_resize_call(NULL, NULL, NULL, rp) == CTL_ERR_USAGE, "call, all NULL");
        if (with_reply)
            ctl_reply_free(reply);
        CHECK(c_media_resize_call(bare, &args, &res, rp) == CTL_ERR_UNKNOWN_CONTROLLER, "call, not registered");
        if (with_reply) {
            CHECK(reply && strcmp(text(ctl_reply_error_type(reply)), "ctl.UnknownController") == 0, "reply type");
            ctl_reply_free(reply);
        }
        CHECK(c_media_resize_call(client, &args, &res, rp) == CTL_OK, "call, good: %s", ctl_client_error(client));
        if (with_reply)
            ctl_reply_free(reply);
    }
    /* _call without a result. */
    c_media_purge_args purge = { "x" };
    CHECK(c_media_purge_call(NULL, &purge, NULL) == CTL_ERR_USAGE && c_media_purge_call(client, NULL, NULL) ==
              CTL_ERR_USAGE,
          "purge_call NULLs");
    CHECK(c_media_purge_call(client, &purge, NULL) == CTL_OK, "purge_call, no reply");
    reply = NULL;
    CHECK(c_media_purge_call(client, &purge, &reply) == CTL_OK && reply, "purge_call, reply");
    ctl_reply_free(reply);
    /* Enum helpers. */
    c_Format f;
    CHECK(!c_Format_from_string(NULL, &f) && !c_Format_from_string("png", NULL) && !c_Format_to_string(0),
          "enum helpers");
}

/* ---- gen.h with a real ctx (run inside a handler) ----------------------------------- */

static bool ctx_walked;

static void walk_with_ctx(ctl_ctx *ctx)
{
    ctx_walked = true;
    CHECK(ctl_strdup(ctx, NULL) == NULL && ctl_sprintf(ctx, NULL) == NULL, "strdup, sprintf of NULL");
    CHECK(ctl_alloc(ctx, SIZE_MAX) == NULL, "alloc SIZE_MAX");
    CHECK(ctl_alloc_array(ctx, SIZE_MAX, 16) == NULL, "alloc_array overflow");
    /* Each of these fails into the ctx; the first error wins, so only the
     * verdicts are checked here, and the handler then succeeds anyway:
     * dispatch goes by the handler's return code. */
    const char *s;
    cJSON *j;
    CHECK(ctl_read_string(ctx, NULL, NULL, &s) == -1 && ctl_read_json(ctx, NULL, NULL, &j) == -1 &&
              ctl_read_json(ctx, NULL, NULL, NULL) == -1,
          "readers with a ctx");
    ctl_buf b = CTL_BUF_INIT;
    CHECK(ctl_write_json(ctx, NULL, NULL, NULL) == -1 && ctl_write_key(ctx, NULL, NULL, 3, &b) == -1, "writers");
    CHECK(ctl_fail_missing(ctx, NULL, NULL) == -1 && ctl_fail_enum(ctx, NULL, NULL, "E") == -1, "fails");
    CHECK(ctl_fail(ctx, NULL, NULL) == -1 && ctl_handler_failed(ctx, 1) == -1 && ctl_fail_result(ctx) == -1,
          "handler failures");
    CHECK(ctl_ctx_function(ctx) && strcmp(ctl_ctx_function(ctx), "purge") == 0, "the ctx still answers");
    ctl_buf_free(&b);
}

static void w_with_ctx(void)
{
    ctl_response resp;
    const char *ev = "{\"function\":\"purge\",\"name\":\"walk\"}";
    ctl_status st = ctl_dispatch(&c_media_controller, ev, strlen(ev), NULL, &resp);
    /* The handler returned 0 after failing into its ctx on purpose: the
     * result is written, whatever the ctx holds. */
    CHECK(ctx_walked, "the ctx walk ran (%s: %s)", ctl_status_str(st), text(resp.error_message));
    ctl_response_free(&resp);
}

/* ---- the table, and the headers it must cover ----------------------------------------- */

typedef struct walk_case {
    const char *functions; /* the functions a walk covers, space-separated */
    void (*run)(void);
    const char *label;     /* for a case that covers no function of its own */
} walk_case;

static const walk_case cases[] = {
    { "ctl_status_str", w_status_str, NULL },
    { "ctl_status_error_type", w_status_error_type, NULL },
    { "ctl_alloc", w_alloc, NULL },
    { "ctl_strdup", w_strdup, NULL },
    { "ctl_sprintf", w_sprintf, NULL },
    { "ctl_fail", w_fail, NULL },
    { "ctl_ctx_function ctl_ctx_controller ctl_ctx_request_id ctl_ctx_deadline_ms ctl_ctx_remaining_ms "
      "ctl_ctx_function_arn ctl_ctx_trace_id ctl_ctx_client_context ctl_ctx_cognito_identity ctl_ctx_attempt "
      "ctl_ctx_client ctl_ctx_user",
      w_ctx_accessors, NULL },
    { "ctl_name_hash", w_name_hash, NULL },
    { "ctl_controller_find", w_controller_find, NULL },
    { "ctl_dispatch", w_dispatch, NULL },
    { "ctl_response_free", w_response_free, NULL },
    { "ctl_client_new", w_client_new, NULL },
    { "ctl_client_register", w_client_register, NULL },
    { "ctl_client_set_user", w_client_set_user, NULL },
    { "ctl_client_send", w_client_send, NULL },
    { "ctl_client_call", w_client_call, NULL },
    { "ctl_client_drain", w_client_drain, NULL },
    { "ctl_client_flush", w_client_flush, NULL },
    { "ctl_client_stats_get", w_client_stats_get, NULL },
    { "ctl_client_error", w_client_error, NULL },
    { "ctl_client_use_lambda", w_client_use_lambda, NULL },
    { "ctl_client_route", w_client_route, NULL },
    { "ctl_client_use_idempotency_table", w_client_use_idempotency_table, NULL },
    { "ctl_client_free", w_client_free, NULL },
    { "ctl_reply_error_type ctl_reply_error_message ctl_reply_free", w_reply, NULL },
    { "ctl_main", w_main, NULL },
    { "ctl_buf_reserve ctl_buf_free ctl_buf_put ctl_buf_putc", w_buf, NULL },
    { "ctl_write_string ctl_write_string_length ctl_write_int ctl_write_float ctl_write_bool ctl_write_json "
      "ctl_write_key",
      w_writers, NULL },
    { "ctl_read_string ctl_read_int ctl_read_float ctl_read_bool ctl_read_json ctl_read_key ctl_check_unique_keys "
      "ctl_expect ctl_utf8_count ctl_alloc_array ctl_record_read",
      w_readers, NULL },
    { "ctl_fail_missing ctl_fail_duplicate ctl_fail_enum ctl_fail_range_length ctl_fail_min_length "
      "ctl_fail_max_length ctl_fail_range_int ctl_fail_min_int ctl_fail_max_int ctl_fail_range_float "
      "ctl_fail_min_float ctl_fail_max_float ctl_fail_string_field ctl_fail_string ctl_fail_float ctl_fail_member "
      "ctl_fail_items ctl_check_map_keys ctl_handler_failed ctl_fail_result",
      w_fails, NULL },
    { "ctl_stub_start ctl_stub_refuse ctl_stub_send ctl_stub_call ctl_stub_finish", w_stub_steps, NULL },
    { "ctl_json_parse", w_json_parse, NULL },
    { "ctl_cur_object ctl_cur_array ctl_cur_more ctl_cur_more_scan ctl_cur_key ctl_cur_field ctl_cur_field_scan "
      "ctl_cur_map_key ctl_cur_string ctl_cur_word ctl_cur_int ctl_cur_float ctl_cur_bool ctl_cur_json ctl_cur_null "
      "ctl_cur_skip ctl_cur_end ctl_cur_grow",
      w_cursor, NULL },
    { "", w_stubs, "generated stubs" },
    { "", w_with_ctx, "gen.h with a real ctx" },
};

static bool covered(const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (const char *p = cases[i].functions; (p = strstr(p, name)); p += n)
            if ((p == cases[i].functions || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
                return true;
    return false;
}

/* The functions a header declares: identifiers ctl_... followed by '(' at
 * file scope (outside comments, preprocessor lines, braces and
 * parentheses). Appends them, space-separated, to out. */
static int declared(const char *path, char *out, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    static char src[1 << 20];
    size_t n = fread(src, 1, sizeof src - 1, f);
    fclose(f);
    src[n] = '\0';
    int depth = 0, paren = 0;
    bool line_start = true;
    for (char *p = src; *p;) {
        if (p[0] == '/' && p[1] == '*') {
            char *e = strstr(p + 2, "*/");
            p = e ? e + 2 : p + strlen(p);
            continue;
        }
        if (p[0] == '/' && p[1] == '/') {
            p += strcspn(p, "\n");
            continue;
        }
        if (line_start && *p == '#') { /* a directive, with its continuations */
            while (*p && !(*p == '\n' && p[-1] != '\\'))
                p++;
            continue;
        }
        if (*p == '\n') {
            line_start = true;
            p++;
            continue;
        }
        if (*p == ' ' || *p == '\t') {
            p++;
            continue;
        }
        line_start = false;
        if (strncmp(p, "extern \"C\" {", 12) == 0) {
            p += 12;
            continue;
        }
        if (*p == '"') { /* a string literal */
            for (p++; *p && *p != '"'; p++)
                if (*p == '\\' && p[1])
                    p++;
            if (*p)
                p++;
            continue;
        }
        if (*p == '{' || *p == '}' || *p == '(' || *p == ')') {
            depth += *p == '{' ? 1 : *p == '}' ? -1 : 0;
            paren += *p == '(' ? 1 : *p == ')' ? -1 : 0;
            p++;
            continue;
        }
        if (isalpha((unsigned char)*p) || *p == '_') {
            char *id = p;
            while (isalnum((unsigned char)*p) || *p == '_')
                p++;
            size_t len = (size_t)(p - id);
            char *q = p;
            while (*q == ' ' || *q == '\t')
                q++;
            if (depth == 0 && paren == 0 && *q == '(' && len > 4 && strncmp(id, "ctl_", 4) == 0) {
                size_t used = strlen(out);
                if (used + len + 2 < cap) {
                    memcpy(out + used, id, len);
                    out[used + len] = ' ';
                    out[used + len + 1] = '\0';
                }
            }
            continue;
        }
        p++;
    }
    return 0;
}

/* Runs one case with fresh clients; its exit status: 0, or 1 when a check
 * failed. */
static int run_case(const walk_case *c)
{
    ctl_client_config cfg = { 0 };
    cfg.dead_letter_path = "/dev/null";
    cfg.inline_sends = true;
    cfg.max_retries = -1;
    client = ctl_client_new(&cfg);
    bare = ctl_client_new(&cfg);
    if (!client || !bare || ctl_client_register(client, &c_media_controller) != CTL_OK) {
        fputs("cannot make the clients\n", stderr);
        return 1;
    }
    c->run();
    ctl_client_free(client);
    ctl_client_free(bare);
    fflush(NULL);
    return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("usage: ctl_null_walk HEADER...\n", stderr);
        return 2;
    }
    static char names[1 << 16];
    for (int i = 1; i < argc; i++)
        if (declared(argv[i], names, sizeof names) != 0) {
            fprintf(stderr, "cannot read %s\n", argv[i]);
            return 2;
        }
    int ndeclared = 0;
    for (char *p = names; *p;) {
        size_t n = strcspn(p, " ");
        p[n] = '\0';
        ndeclared++;
        CHECK(covered(p), "%s is declared in a public header, and the walk has no case for it", p);
        p += n + 1;
    }
    CHECK(ndeclared > 80, "only %d functions found in the headers", ndeclared);
    /* And no case names a function the headers do not declare. */
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char list[2048];
        snprintf(list, sizeof list, "%s", cases[i].functions);
        for (char *tok = strtok(list, " "); tok; tok = strtok(NULL, " ")) {
            bool found = false;
            for (char *p = names; p < names + sizeof names && *p; p += strlen(p) + 1)
                found |= strcmp(p, tok) == 0;
            CHECK(found, "the walk has a case for %s, which no header declares", tok);
        }
    }

    /* Each case in a process of its own: a crash is reported as the case's,
     * and the others still run. */
    const char *only = getenv("CTL_WALK_ONLY"); /* the start of a case's functions or label: for debugging */
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *what = *cases[i].functions ? cases[i].functions : cases[i].label;
        if (only && strncmp(what, only, strlen(only)) != 0)
            continue;
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            return 2;
        }
        if (pid == 0)
            exit(run_case(&cases[i]));
        int st;
        while (waitpid(pid, &st, 0) < 0)
            ;
        checks++;
        if (WIFSIGNALED(st)) {
            failures++;
            fprintf(stderr, "CRASH: the case of %s died of %s\n", what, strsignal(WTERMSIG(st)));
        } else if (WEXITSTATUS(st) != 0) {
            failures++;
            fprintf(stderr, "FAIL: the case of %s failed (checks above, or a sanitizer's report)\n", what);
        }
    }
    printf("%d functions declared, %zu cases walked, each in a process of its own; %d failed\n", ndeclared,
           sizeof cases / sizeof cases[0], failures);
    return failures ? 1 : 0;
}
