/* arena_test.c: the arena's limit (codec/arena.c) caps the bytes its
 * blocks take from the system, and a parse stays within ctli_parse_cost
 * (codec/ctx.h) for the shapes of JSON that amplify most: serve reserves
 * that much of its memory budget for a body before parsing it. Prints the
 * bytes each shape took per byte of text. A json field's cJSON tree,
 * malloc'd outside the arena, is charged to the same limit. Links
 * ctl_internal. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ctl/ctl.h"
#include "ctl/gen.h"
#include "ctl/json.h"

#include "../check.h"

#include "codec/arena.h"
#include "codec/ctx.h"

static void test_limit(void)
{
    ctl_arena a;
    ctli_arena_init(&a);
    a.limit = 1024 * 1024;
    size_t n = 0;
    while (ctli_arena_alloc(&a, 1000))
        n++;
    CHECK(a.over, "the refusal is the limit's");
    CHECK(a.held <= a.limit, "held %zu within the limit %zu", a.held, a.limit);
    /* The doubling stops at what the limit leaves: nearly all of it is
     * handed out (at most a block's header and an allocation short). */
    CHECK(a.total + 4096 >= a.limit - 2048, "handed out %zu of %zu", a.total, a.limit);
    CHECK(n * 1008 == a.total, "%zu allocations of 1000 bytes (1008 aligned), %zu bytes handed out", n, a.total);
    ctli_arena_reset(&a);
    CHECK(!a.over && a.total == 0 && a.held <= 1024 * 1024 + 64, "reset keeps one block: held %zu", a.held);
    CHECK(ctli_arena_alloc(&a, 100) != NULL, "usable after reset");
    ctli_arena_free(&a);
    CHECK(a.held == 0 && a.total == 0, "free gives everything back");

    /* One allocation larger than what is left: refused, nothing taken. */
    ctli_arena_init(&a);
    a.limit = 64 * 1024;
    CHECK(ctli_arena_alloc(&a, 100 * 1024) == NULL && a.over && a.held == 0, "too large for the limit");
    ctli_arena_free(&a);
}

/* text of about n bytes: open, then unit repeated with sep, then close. */
static char *shape(const char *open, const char *unit, const char *sep, const char *close, size_t n, size_t *len)
{
    char *t = malloc(n + 64);
    size_t k = strlen(open), u = strlen(unit), s = strlen(sep), c = strlen(close);
    memcpy(t, open, k);
    size_t at = k;
    for (size_t i = 0; at + u + s + c < n; i++) {
        if (i) {
            memcpy(t + at, sep, s);
            at += s;
        }
        memcpy(t + at, unit, u);
        at += u;
    }
    memcpy(t + at, close, c);
    at += c;
    t[at] = '\0';
    *len = at;
    return t;
}

static void test_parse_cost(void)
{
    static const struct {
        const char *what, *open, *unit, *sep, *close;
    } shapes[] = {
        { "numbers", "[", "0", ",", "]" },
        { "empty strings", "[", "\"\"", ",", "]" },
        { "empty arrays", "[", "[]", ",", "]" },
        { "empty objects", "[", "{}", ",", "]" },
        { "nested pairs", "[", "[0]", ",", "]" },
        { "escapes", "[", "\"\\u0041\"", ",", "]" },
        { "true", "[", "true", ",", "]" },
    };
    static const size_t sizes[] = { 2, 100, 4096, 1 << 20, 6 * 1024 * 1024 };
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
            size_t len;
            char *t = shape(shapes[i].open, shapes[i].unit, shapes[i].sep, shapes[i].close, sizes[k], &len);
            ctl_arena a;
            ctli_arena_init(&a);
            a.limit = ctli_parse_cost(len, false);
            ctl_json_error err;
            const ctl_json *root = ctl_json_parse(&a, t, len, &err);
            CHECK(root != NULL, "%s, %zu bytes: %s", shapes[i].what, len, root ? "" : err.message);
            if (k == sizeof sizes / sizeof sizes[0] - 1)
                printf("%-14s %zu bytes: %zu handed out (%.1f per byte of text), %zu held; the reservation is %zu "
                       "(%.1f per byte)\n",
                       shapes[i].what, len, a.total, (double)a.total / (double)len, a.held, ctli_parse_cost(len, false),
                       (double)ctli_parse_cost(len, false) / (double)len);
            ctli_arena_free(&a);
            free(t);
        }
    }
    /* An object of distinct keys ("k0":0,"k1":0,...). */
    size_t cap = 6 * 1024 * 1024, at = 0;
    char *t = malloc(cap + 64);
    t[at++] = '{';
    for (size_t i = 0; at + 32 < cap; i++)
        at += (size_t)snprintf(t + at, 32, "%s\"%zx\":0", i ? "," : "", i);
    t[at++] = '}';
    ctl_arena a;
    ctli_arena_init(&a);
    a.limit = ctli_parse_cost(at, false);
    ctl_json_error err;
    CHECK(ctl_json_parse(&a, t, at, &err) != NULL, "distinct keys: %s", err.message);
    printf("%-14s %zu bytes: %zu handed out (%.1f per byte of text)\n", "distinct keys", at, a.total,
           (double)a.total / (double)at);
    ctli_arena_free(&a);
    free(t);
}

/* A json field's value as ctl_read_json makes it a cJSON tree: its nodes
 * and strings count against the invocation's limit, so a value that
 * amplifies past what serve reserved for the parse is refused by name
 * instead of taking memory nobody counted. */
static void test_json_tree(void)
{
    /* Small: read, charged, and forgotten with the memory. */
    const char *small = "{\"a\":[1,2,3],\"b\":{\"c\":\"text\"}}";
    ctl_ctx ctx;
    ctli_ctx_init(&ctx);
    ctx.arena.limit = ctli_parse_cost(strlen(small), true);
    ctl_json_error err;
    const ctl_json *root = ctl_json_parse(&ctx.arena, small, strlen(small), &err);
    CHECK(root != NULL, "small parse");
    size_t before = ctx.arena.held;
    ctli_ctx_mark m = ctli_ctx_mark_now(&ctx);
    struct cJSON *tree = NULL;
    CHECK(root && ctl_read_json(&ctx, root, &ctl_path_root, &tree) == 0 && tree, "small json read");
    /* 7 nodes of 80 bytes at least, the keys and the string besides. */
    CHECK(ctx.arena.held >= before + 7 * 80, "the tree is charged: held %zu, was %zu", ctx.arena.held, before);
    ctli_ctx_rollback(&ctx, m);
    CHECK(ctx.arena.held == before, "a rollback forgets the charge with the tree: held %zu, was %zu", ctx.arena.held,
          before);
    ctli_ctx_reset(&ctx);

    /* The shape that amplifies most, [0,0,...]: its arena tree takes 24
     * bytes a byte of text, its cJSON tree 40 more. 1 and 3 MiB of it:
     * refused within the reservation of a controller without json fields,
     * read within that of one that holds_json. */
    const ctl_path field = { &ctl_path_root, "doc", 3, 0 };
    size_t len;
    char *t = NULL;
    for (int i = 0; i < 4; i++) {
        int json = i & 1;
        if (!json) {
            free(t);
            t = shape("[", "0", ",", "]", (i ? 3 : 1) * 1024 * 1024, &len);
        }
        ctx.arena.limit = ctx.arena.held + ctli_parse_cost(len, json);
        root = ctl_json_parse(&ctx.arena, t, len, &err);
        CHECK(root != NULL, "%zu bytes of numbers parse within the reservation", len);
        tree = NULL;
        int rc = root ? ctl_read_json(&ctx, root, &field, &tree) : -1;
        CHECK(json ? rc == 0 && tree : rc != 0 && !tree && ctx.status == CTL_ERR_NOMEM,
              "%zu bytes of [0,0,...] in a json field, holds_json %d: %s", len, json, rc ? ctx.error_message : "read");
        CHECK(ctx.arena.held <= ctx.arena.limit, "held %zu within the limit %zu", ctx.arena.held, ctx.arena.limit);
        ctli_ctx_reset(&ctx);
    }
    free(t);

    /* 6 MiB of it: past even the invocation's memory limit, refused by name. */
    t = shape("[", "0", ",", "]", 6 * 1024 * 1024, &len);
    ctx.arena.limit = ctx.arena.held + ctli_parse_cost(len, true);
    root = ctl_json_parse(&ctx.arena, t, len, &err);
    CHECK(root != NULL, "6 MiB of numbers parse within the reservation");
    tree = NULL;
    CHECK(root && ctl_read_json(&ctx, root, &field, &tree) != 0 && !tree, "the cJSON tree is refused");
    CHECK(ctx.status == CTL_ERR_NOMEM, "refused as out of memory: %d", (int)ctx.status);
    const char *msg = ctx.error_message;
    CHECK(msg && strstr(msg, "the json value at $.doc") && strstr(msg, "memory limit of "),
          "the message names the value and the limit: %s", msg ? msg : "(none)");
    CHECK(ctx.arena.held <= ctx.arena.limit, "held %zu within the limit %zu", ctx.arena.held, ctx.arena.limit);
    printf("json field    %zu bytes of [0,0,...]: refused, %s\n", len, msg ? msg : "");
    ctli_ctx_reset(&ctx);
    free(t);

    /* A document as people send them, 1 MiB of an object of distinct keys:
     * both trees fit in the reservation. */
    size_t cap = 1024 * 1024, at = 0;
    t = malloc(cap + 64);
    t[at++] = '{';
    for (size_t i = 0; at + 32 < cap; i++)
        at += (size_t)snprintf(t + at, 32, "%s\"%zx\":\"v\"", i ? "," : "", i);
    t[at++] = '}';
    ctx.arena.limit = ctx.arena.held + ctli_parse_cost(at, true);
    root = ctl_json_parse(&ctx.arena, t, at, &err);
    tree = NULL;
    CHECK(root && ctl_read_json(&ctx, root, &field, &tree) == 0 && tree, "1 MiB of distinct keys in a json field: %s",
          ctx.error_message ? ctx.error_message : "");
    printf("json field    %zu bytes of distinct keys: read, %zu held of the reservation %zu (%.1f per byte)\n", at,
           ctx.arena.held, ctx.arena.limit, (double)ctx.arena.held / (double)at);
    ctli_ctx_free(&ctx);
    free(t);
}

int main(void)
{
    test_limit();
    test_parse_cost();
    test_json_tree();
    printf("arena: %d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
