/* contract_test.c: nothing that breaks the contract travels, and every side
 * says so in the same words (contract.ctl).
 *   - every stub kind (_send, _call with and without a result) given a NULL
 *     client, args or result answers CTL_ERR_USAGE with a message, and a
 *     NULL reply is allowed;
 *   - arguments that break the spec are CTL_ERR_INVALID_ARGS
 *     (ctl.InvalidArguments) with the exact message the controller gives
 *     for the same event, and nothing reaches the controller;
 *   - a zeroed enum is no member;
 *   - a handler's result that breaks the spec is ctl.InvalidResult from
 *     ctl_dispatch, and _call says the same.
 * `ctl_contract_test invoke EVENT` is the controller binary (ctl_main). */
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "contract.ctl.h"

#include "../check.h"

static atomic_int arrived; /* handler runs: what reached the controller */

int c_media_resize(ctl_ctx *ctx, const c_media_resize_args *args, c_media_resize_result *result)
{
    (void)ctx;
    atomic_fetch_add(&arrived, 1);
    result->width = args->sizes.items[0].width;
    result->format = args->format;
    result->label = args->name;
    if (strcmp(args->name, "break-range") == 0)
        result->width = 0;
    else if (strcmp(args->name, "break-enum") == 0)
        result->format = 0; /* forgotten: zero is no member */
    else if (strcmp(args->name, "break-string") == 0)
        result->label = NULL;
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
    (void)ctx;
    (void)args;
    atomic_fetch_add(&arrived, 1);
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

static const char *text(const char *s)
{
    return s ? s : "(null)";
}

static c_Size two_sizes[2] = { { 3, 4 }, { 5, 6 } };

/* Arguments that keep the contract. */
static c_media_resize_args good(void)
{
    c_media_resize_args a = { 0 };
    a.quality = 50;
    a.sizes.items = two_sizes;
    a.sizes.count = 1;
    a.format = c_Format_png;
    a.name = "cat.png";
    a.ratio = 0.5;
    return a;
}

/* ---- NULLs ------------------------------------------------------------------------- */

static void test_nulls(ctl_client *client)
{
    c_media_resize_args args = good();
    c_media_resize_result res;
    ctl_reply *reply = (ctl_reply *)&res; /* must be overwritten */

    CHECK(c_media_resize_send(NULL, &args) == CTL_ERR_USAGE, "send, NULL client");
    CHECK(strcmp(ctl_client_error(NULL), "media.resize: client is NULL") == 0, "message: %s",
          ctl_client_error(NULL));
    CHECK(c_media_resize_send(client, NULL) == CTL_ERR_USAGE, "send, NULL args");
    CHECK(strcmp(ctl_client_error(client), "media.resize: args is NULL") == 0, "message: %s",
          ctl_client_error(client));
    CHECK(c_media_thumbnail_send(client, NULL) == CTL_ERR_USAGE, "async send, NULL args");

    CHECK(c_media_resize_call(NULL, &args, &res, &reply) == CTL_ERR_USAGE, "call, NULL client");
    CHECK(reply && strcmp(text(ctl_reply_error_type(reply)), "ctl.UsageError") == 0 &&
              strcmp(text(ctl_reply_error_message(reply)), "media.resize: client is NULL") == 0,
          "reply: %s: %s", text(ctl_reply_error_type(reply)), text(ctl_reply_error_message(reply)));
    ctl_reply_free(reply);
    reply = NULL;
    CHECK(c_media_resize_call(client, NULL, &res, &reply) == CTL_ERR_USAGE, "call, NULL args");
    CHECK(reply && strcmp(text(ctl_reply_error_message(reply)), "media.resize: args is NULL") == 0, "reply: %s",
          text(ctl_reply_error_message(reply)));
    ctl_reply_free(reply);
    reply = NULL;
    CHECK(c_media_resize_call(client, &args, NULL, &reply) == CTL_ERR_USAGE, "call, NULL result");
    CHECK(reply && strcmp(text(ctl_reply_error_message(reply)), "media.resize: result is NULL") == 0,
          "reply: %s", text(ctl_reply_error_message(reply)));
    ctl_reply_free(reply);
    CHECK(c_media_resize_call(client, NULL, NULL, NULL) == CTL_ERR_USAGE, "call, everything NULL");
    CHECK(c_media_purge_call(NULL, NULL, NULL) == CTL_ERR_USAGE, "call without result, NULLs");
    CHECK(strcmp(ctl_client_error(NULL), "media.purge: client is NULL") == 0, "message: %s",
          ctl_client_error(NULL));
    c_media_purge_args purge = { NULL };
    CHECK(c_media_purge_call(client, &purge, NULL) == CTL_ERR_INVALID_ARGS, "purge, NULL name, no reply");
    CHECK(strcmp(ctl_client_error(client), "$: missing required field \"name\"") == 0, "message: %s",
          ctl_client_error(client));
    CHECK(atomic_load(&arrived) == 0, "%d handler runs", atomic_load(&arrived));

    /* No reply: the result's memory stays with the thread until its next
     * such call; errors go to ctl_client_error. */
    CHECK(c_media_resize_call(client, &args, &res, NULL) == CTL_OK, "call, NULL reply: %s",
          ctl_client_error(client));
    CHECK(res.width == 3 && res.format == c_Format_png && res.label && strcmp(res.label, "cat.png") == 0,
          "result %lld %d %s", (long long)res.width, (int)res.format, text(res.label));
    c_media_resize_result second;
    args.name = "dog.png";
    CHECK(c_media_resize_call(client, &args, &second, NULL) == CTL_OK, "second call, NULL reply");
    CHECK(second.label && strcmp(second.label, "dog.png") == 0, "second result %s", text(second.label));
    args.name = "break-range";
    CHECK(c_media_resize_call(client, &args, &second, NULL) == CTL_ERR_INVALID_RESULT, "failed call, NULL reply");
    CHECK(strcmp(ctl_client_error(client), "$.width: 0 is below the minimum 1") == 0, "message: %s",
          ctl_client_error(client));
    CHECK(second.label == NULL && second.width == 0, "a failed call leaves the result zeroed");
    c_media_purge_args ok = { "x" };
    CHECK(c_media_purge_call(client, &ok, NULL) == CTL_OK, "purge, NULL reply");
    atomic_store(&arrived, 0);
}

/* ---- bad arguments ---------------------------------------------------------------------- */

typedef struct bad_case {
    const char *what;
    void (*spoil)(c_media_resize_args *a);
    const char *message;  /* what the stub and the controller say */
    const char *event;    /* the same mistake as an event, when JSON can carry it */
} bad_case;

static c_Size zero_width[2] = { { 3, 4 }, { 0, 6 } };
static c_Size nine[9] = { { 1, 1 }, { 1, 1 }, { 1, 1 }, { 1, 1 }, { 1, 1 }, { 1, 1 }, { 1, 1 }, { 1, 1 }, { 1, 1 } };

static void quality_0(c_media_resize_args *a) { a->quality = 0; }
static void quality_101(c_media_resize_args *a) { a->quality = 101; }
static void sizes_9(c_media_resize_args *a) { a->sizes.items = nine; a->sizes.count = 9; }
static void sizes_0(c_media_resize_args *a) { a->sizes.count = 0; }
static void sizes_null(c_media_resize_args *a) { a->sizes.items = NULL; a->sizes.count = 2; }
static void width_0(c_media_resize_args *a) { a->sizes.items = zero_width; a->sizes.count = 2; }
static void format_zero(c_media_resize_args *a) { a->format = 0; }
static void format_3(c_media_resize_args *a) { a->format = (c_Format)3; }
static void name_null(c_media_resize_args *a) { a->name = NULL; }
static void name_empty(c_media_resize_args *a) { a->name = ""; }
#define E9 "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9" /* 9 code points, 18 bytes */
static void name_long(c_media_resize_args *a) { a->name = E9 E9; }
static void name_utf8(c_media_resize_args *a) { a->name = "caf\xe9"; }
static void note_utf8(c_media_resize_args *a) { a->note = "\xed\xa0\x80"; } /* an encoded surrogate */
static void ratio_nan(c_media_resize_args *a) { a->ratio = NAN; }
static void ratio_high(c_media_resize_args *a) { a->ratio = 1.5; }
static void ratio_inf(c_media_resize_args *a) { a->ratio = -INFINITY; }

static c_map_string_entry dup_tags[2] = { { "a", "1" }, { "a", "2" } };
static c_map_string_entry null_key[2] = { { "a", "1" }, { NULL, "2" } };
static c_map_string_entry null_value[1] = { { "k", NULL } };
static void tags_dup(c_media_resize_args *a) { a->has_tags = true; a->tags.items = dup_tags; a->tags.count = 2; }
static void tags_null_key(c_media_resize_args *a) { a->has_tags = true; a->tags.items = null_key; a->tags.count = 2; }
static void tags_null_value(c_media_resize_args *a) { a->has_tags = true; a->tags.items = null_value; a->tags.count = 1; }

static cJSON *extra;
static void extra_nan(c_media_resize_args *a) { a->extra = extra; }

static const bad_case bad_cases[] = {
    { "quality 0", quality_0, "$.quality: 0 is outside 1..100",
      "{\"function\":\"resize\",\"quality\":0,\"sizes\":[{\"width\":3,\"height\":4}],\"format\":\"png\",\"name\":\"n\"}" },
    { "quality 101", quality_101, "$.quality: 101 is outside 1..100",
      "{\"function\":\"resize\",\"quality\":101,\"sizes\":[{\"width\":3,\"height\":4}],\"format\":\"png\",\"name\":\"n\"}" },
    { "9 sizes", sizes_9, "$.sizes: length 9 is outside 1..8",
      "{\"function\":\"resize\",\"quality\":1,\"sizes\":[{\"width\":1,\"height\":1},{\"width\":1,\"height\":1},"
      "{\"width\":1,\"height\":1},{\"width\":1,\"height\":1},{\"width\":1,\"height\":1},{\"width\":1,\"height\":1},"
      "{\"width\":1,\"height\":1},{\"width\":1,\"height\":1},{\"width\":1,\"height\":1}],\"format\":\"png\","
      "\"name\":\"n\"}" },
    { "no sizes", sizes_0, "$.sizes: length 0 is outside 1..8",
      "{\"function\":\"resize\",\"quality\":1,\"sizes\":[],\"format\":\"png\",\"name\":\"n\"}" },
    { "sizes without items", sizes_null, "$.sizes: count is 2 but items is NULL", NULL },
    { "width 0", width_0, "$.sizes[1].width: 0 is below the minimum 1",
      "{\"function\":\"resize\",\"quality\":1,\"sizes\":[{\"width\":3,\"height\":4},{\"width\":0,\"height\":6}],"
      "\"format\":\"png\",\"name\":\"n\"}" },
    { "zeroed format", format_zero, "$.format: 0 is not a member of enum Format", NULL },
    { "format 3", format_3, "$.format: 3 is not a member of enum Format", NULL },
    { "NULL name", name_null, "$: missing required field \"name\"",
      "{\"function\":\"resize\",\"quality\":1,\"sizes\":[{\"width\":3,\"height\":4}],\"format\":\"png\"}" },
    { "empty name", name_empty, "$.name: length 0 is outside 1..16",
      "{\"function\":\"resize\",\"quality\":1,\"sizes\":[{\"width\":3,\"height\":4}],\"format\":\"png\",\"name\":\"\"}" },
    { "long name", name_long, "$.name: length 18 is outside 1..16",
      "{\"function\":\"resize\",\"quality\":1,\"sizes\":[{\"width\":3,\"height\":4}],\"format\":\"png\","
      "\"name\":\"" E9 E9 "\"}" },
    { "name not UTF-8", name_utf8, "$.name: string is not valid UTF-8",
      "{\"function\":\"resize\",\"quality\":1,\"sizes\":[{\"width\":3,\"height\":4}],\"format\":\"png\","
      "\"name\":\"caf\xe9\"}" },
    { "note with a surrogate", note_utf8, "$.note: string is not valid UTF-8",
      "{\"function\":\"resize\",\"quality\":1,\"sizes\":[{\"width\":3,\"height\":4}],\"format\":\"png\","
      "\"name\":\"n\",\"note\":\"\xed\xa0\x80\"}" },
    { "ratio NaN", ratio_nan, "$.ratio: NaN is not a finite number", NULL },
    { "ratio -inf", ratio_inf, "$.ratio: -Infinity is not a finite number", NULL },
    { "ratio 1.5", ratio_high, "$.ratio: 1.5 is outside 0..1",
      "{\"function\":\"resize\",\"quality\":1,\"sizes\":[{\"width\":3,\"height\":4}],\"format\":\"png\","
      "\"name\":\"n\",\"ratio\":1.5}" },
    { "duplicate tag", tags_dup, "$.tags.a: duplicate key",
      "{\"function\":\"resize\",\"quality\":1,\"sizes\":[{\"width\":3,\"height\":4}],\"format\":\"png\","
      "\"name\":\"n\",\"tags\":{\"a\":\"1\",\"a\":\"2\"}}" },
    { "NULL tag key", tags_null_key, "$.tags: entry 1 has no key (NULL)", NULL },
    { "NULL tag value", tags_null_value, "$.tags.k: expected string, got null",
      "{\"function\":\"resize\",\"quality\":1,\"sizes\":[{\"width\":3,\"height\":4}],\"format\":\"png\","
      "\"name\":\"n\",\"tags\":{\"k\":null}}" },
    { "NaN in json", extra_nan, "$.extra.deep[1]: NaN is not a finite number", NULL },
};

static void test_bad_args(ctl_client *client)
{
    extra = cJSON_CreateObject();
    cJSON *deep = cJSON_AddArrayToObject(extra, "deep");
    cJSON_AddItemToArray(deep, cJSON_CreateNumber(1));
    cJSON_AddItemToArray(deep, cJSON_CreateNumber(NAN));
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *bc = &bad_cases[i];
        c_media_resize_args args = good();
        bc->spoil(&args);
        ctl_client_stats before, after;
        ctl_client_stats_get(client, &before);

        c_media_resize_result res;
        ctl_reply *reply = NULL;
        ctl_status st = c_media_resize_call(client, &args, &res, &reply);
        CHECK(st == CTL_ERR_INVALID_ARGS, "%s: call status %s", bc->what, ctl_status_str(st));
        CHECK(reply && strcmp(text(ctl_reply_error_type(reply)), "ctl.InvalidArguments") == 0,
              "%s: errorType %s", bc->what, text(ctl_reply_error_type(reply)));
        CHECK(reply && strcmp(text(ctl_reply_error_message(reply)), bc->message) == 0, "%s: reply says %s", bc->what,
              text(ctl_reply_error_message(reply)));
        CHECK(strcmp(ctl_client_error(client), bc->message) == 0, "%s: client error %s", bc->what,
              ctl_client_error(client));
        ctl_reply_free(reply);

        st = c_media_resize_send(client, &args);
        CHECK(st == CTL_ERR_INVALID_ARGS, "%s: send status %s", bc->what, ctl_status_str(st));
        CHECK(strcmp(ctl_client_error(client), bc->message) == 0, "%s: send says %s", bc->what,
              ctl_client_error(client));
        ctl_client_stats_get(client, &after);
        CHECK(after.sent == before.sent && atomic_load(&arrived) == 0, "%s: something was sent", bc->what);
        CHECK(strcmp(ctl_status_error_type(CTL_ERR_INVALID_ARGS), "ctl.InvalidArguments") == 0, "errorType");

        /* The controller says the same of the same mistake on the wire. */
        if (bc->event) {
            ctl_response resp;
            ctl_status ds = ctl_dispatch(&c_media_controller, bc->event, strlen(bc->event), NULL, &resp);
            CHECK(ds == CTL_ERR_INVALID_PAYLOAD && strcmp(text(resp.error_message), bc->message) == 0,
                  "%s: the controller says %s: %s", bc->what, ctl_status_str(ds), text(resp.error_message));
            ctl_response_free(&resp);
        }
    }
    /* And after all that, good arguments still go through. */
    c_media_resize_args args = good();
    CHECK(c_media_resize_send(client, &args) == CTL_OK, "good send: %s", ctl_client_error(client));
    ctl_client_drain(client);
    CHECK(atomic_load(&arrived) == 1, "the good send arrived (%d)", atomic_load(&arrived));
    c_media_thumbnail_args thumb = { "t.png", 0 };
    CHECK(c_media_thumbnail_send(client, &thumb) == CTL_ERR_INVALID_ARGS &&
              strcmp(ctl_client_error(client), "$.format: 0 is not a member of enum Format") == 0,
          "a zeroed enum in an async send: %s", ctl_client_error(client));
    cJSON_Delete(extra);
    atomic_store(&arrived, 0);
}

/* ---- bad results ------------------------------------------------------------------------- */

static void test_bad_results(ctl_client *client)
{
    static const struct {
        const char *name, *message;
    } cases[] = {
        { "break-range", "$.width: 0 is below the minimum 1" },
        { "break-enum", "$.format: 0 is not a member of enum Format" },
        { "break-string", "$: missing required field \"label\"" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char event[256];
        snprintf(event, sizeof event,
                 "{\"function\":\"resize\",\"quality\":5,\"sizes\":[{\"width\":3,\"height\":4}],\"format\":\"jpeg\","
                 "\"name\":\"%s\"}",
                 cases[i].name);
        ctl_response resp;
        ctl_status st = ctl_dispatch(&c_media_controller, event, strlen(event), NULL, &resp);
        CHECK(st == CTL_ERR_INVALID_RESULT, "%s: dispatch %s", cases[i].name, ctl_status_str(st));
        CHECK(strcmp(text(resp.error_type), "ctl.InvalidResult") == 0 &&
                  strcmp(text(resp.error_message), cases[i].message) == 0,
              "%s: dispatch says %s: %s", cases[i].name, text(resp.error_type), text(resp.error_message));
        ctl_response_free(&resp);

        c_media_resize_args args = good();
        args.name = cases[i].name;
        c_media_resize_result res;
        ctl_reply *reply = NULL;
        st = c_media_resize_call(client, &args, &res, &reply);
        CHECK(st == CTL_ERR_INVALID_RESULT, "%s: call %s", cases[i].name, ctl_status_str(st));
        CHECK(reply && strcmp(text(ctl_reply_error_type(reply)), "ctl.InvalidResult") == 0 &&
                  strcmp(text(ctl_reply_error_message(reply)), cases[i].message) == 0,
              "%s: _call says %s: %s", cases[i].name, text(ctl_reply_error_type(reply)),
              text(ctl_reply_error_message(reply)));
        ctl_reply_free(reply);
    }
}

/* ---- verdicts: the in-process side of verdicts_test.py ------------------------------- */

/* The typed arguments an event would give, read loosely (nothing checked:
 * the stub checks them), so that a stub can be handed the same mistake.
 * Strings point into tree; items are malloc'd into *sizes and *tags. */
static bool loose_args(const cJSON *tree, c_media_resize_args *a, c_Size **sizes, c_map_string_entry **tags)
{
    memset(a, 0, sizeof *a);
    a->ratio = 0.5; /* the spec's default */
    const cJSON *q = cJSON_GetObjectItemCaseSensitive(tree, "quality");
    if (q && !cJSON_IsNumber(q))
        return false;
    a->quality = q ? (int64_t)q->valuedouble : 0;
    const cJSON *sz = cJSON_GetObjectItemCaseSensitive(tree, "sizes");
    int n = cJSON_GetArraySize(sz);
    *sizes = calloc((size_t)n + 1, sizeof **sizes);
    for (int i = 0; i < n; i++) {
        const cJSON *e = cJSON_GetArrayItem(sz, i);
        (*sizes)[i].width = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(e, "width"));
        (*sizes)[i].height = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(e, "height"));
    }
    a->sizes.items = *sizes;
    a->sizes.count = (size_t)n;
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(tree, "format");
    if (!cJSON_IsString(f) || !c_Format_from_string(f->valuestring, &a->format))
        a->format = 0; /* no member: C has no value for "gif" */
    a->name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(tree, "name"));
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(tree, "ratio");
    if (cJSON_IsNumber(r))
        a->ratio = r->valuedouble;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(tree, "tags");
    int nt = cJSON_GetArraySize(t);
    *tags = calloc((size_t)nt + 1, sizeof **tags);
    if (t) {
        int i = 0;
        for (const cJSON *e = t->child; e; e = e->next, i++)
            (*tags)[i] = (c_map_string_entry){ e->string, e->valuestring };
        a->has_tags = true;
        a->tags.items = *tags;
        a->tags.count = (size_t)nt;
    }
    return true;
}

static void verdict_line(const char *row, const char *via, const char *type, const char *message, int sent)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "row", row);
    cJSON_AddStringToObject(o, "via", via);
    cJSON_AddStringToObject(o, "errorType", type ? type : "");
    cJSON_AddStringToObject(o, "errorMessage", message ? message : "");
    cJSON_AddNumberToObject(o, "sent", sent);
    char *line = cJSON_PrintUnformatted(o);
    printf("%s\n", line);
    free(line);
    cJSON_Delete(o);
}

/* verdicts TABLE: each row through the in-process client (the raw event,
 * then the generated _call and _send with the same mistake in C), or,
 * with CTL_VERDICTS_LAMBDA set, the stubs over the Lambda transport to
 * whatever AWS_ENDPOINT_URL_LAMBDA names (a serve). One JSON line per
 * verdict; sent: what reached the handlers (in-process) or was sent. */
static int verdicts(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 2;
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    cJSON *table = cJSON_Parse(text);
    bool lambda = getenv("CTL_VERDICTS_LAMBDA") != NULL;
    ctl_client_config cfg = { 0 };
    cfg.dead_letter_path = "/dev/null";
    cfg.inline_sends = true;
    cfg.max_retries = -1;
    ctl_client *client = ctl_client_new(&cfg);
    if (!table || !client)
        return 2;
    if (lambda ? ctl_client_use_lambda(client, NULL) != CTL_OK
               : ctl_client_register(client, &c_media_controller) != CTL_OK) {
        fprintf(stderr, "cannot set the client up: %s\n", ctl_client_error(client));
        return 2;
    }
    const cJSON *row;
    cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(table, "rows"))
    {
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, "name"));
        const char *event = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, "event"));
        bool is_result = strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, "errorType")),
                                "ctl.InvalidResult") == 0;
        ctl_client_stats before, after;
        if (!lambda) {
            ctl_response resp;
            int was = atomic_load(&arrived);
            (void)!ctl_client_call(client, "media", event, strlen(event), &resp);
            verdict_line(name, "in-process ctl_client_call", resp.error_type, resp.error_message,
                         atomic_load(&arrived) - was);
            ctl_response_free(&resp);
        }
        if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(row, "stub")))
            continue;
        cJSON *tree = cJSON_Parse(event);
        c_media_resize_args args;
        c_Size *sizes = NULL;
        c_map_string_entry *tags = NULL;
        if (tree && loose_args(tree, &args, &sizes, &tags)) {
            c_media_resize_result res;
            ctl_reply *reply = NULL;
            int was = atomic_load(&arrived);
            ctl_client_stats_get(client, &before);
            c_media_resize_call(client, &args, &res, &reply);
            ctl_client_flush(client);
            ctl_client_stats_get(client, &after);
            verdict_line(name, lambda ? "Lambda transport _call" : "in-process _call", ctl_reply_error_type(reply),
                         ctl_reply_error_message(reply),
                         lambda ? (int)(after.sent - before.sent) : atomic_load(&arrived) - was);
            ctl_reply_free(reply);
            if (!is_result) { /* a result's mistake is the handler's: a send would go */
                ctl_client_stats_get(client, &before);
                ctl_status st = c_media_resize_send(client, &args);
                ctl_client_flush(client);
                ctl_client_stats_get(client, &after);
                verdict_line(name, lambda ? "Lambda transport _send" : "in-process _send",
                             st == CTL_OK ? "" : ctl_status_error_type(st), ctl_client_error(client),
                             (int)(after.sent - before.sent));
            }
        }
        free(sizes);
        free(tags);
        cJSON_Delete(tree);
    }
    fflush(stdout);
    cJSON_Delete(table);
    ctl_client_free(client);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "verdicts") == 0)
        return verdicts(argv[2]);
    if (argc > 1 || getenv("AWS_LAMBDA_RUNTIME_API")) /* the controller binary, on Lambda too */
        return ctl_main(argc, argv, &c_media_controller, &c_audit_controller, NULL);
    ctl_client_config cfg = { 0 };
    cfg.dead_letter_path = "";
    cfg.on_failure = NULL;
    cfg.inline_sends = true;
    cfg.max_retries = -1;
    cfg.dead_letter_path = "/dev/null";
    ctl_client *client = ctl_client_new(&cfg);
    if (!client || ctl_client_register(client, &c_media_controller) != CTL_OK) {
        fputs("cannot make the client\n", stderr);
        return 2;
    }
    test_nulls(client);
    test_bad_args(client);
    test_bad_results(client);
    ctl_client_free(client);
    printf("%d passed, %d failed\n", checks - failures, failures);
    return failures ? 1 : 0;
}
