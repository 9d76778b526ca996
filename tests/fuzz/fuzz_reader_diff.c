/* fuzz_reader_diff.c: differential libFuzzer target, the one-pass reader
 * against the tree reader, on the test controller `echo`
 * (tests/gen/alltypes.ctl, handlers tests/gen/echo.c, which answer what
 * they read). Inputs are mutated as JSON by fuzz_dispatch_struct.c's
 * mutator (built into this target with FUZZ_MUTATOR_ONLY).
 *
 * Each input goes three ways:
 *   tree   ctli_dispatch_parse, _find, _run: the answer before the one-pass
 *          reader (status, body: the result written back, or the error
 *          object with its errorType and message);
 *   text   ctli_dispatch_named_first, then the function's invoke on the
 *          cursor: when it reads the event, its status, message and result
 *          bytes must be the tree's; when it does not (CTL_NOT_READ), the
 *          tree must have refused the event before any handler ran
 *          (InvalidJSON, InvalidEvent, UnknownFunction, InvalidPayload,
 *          OutOfMemory): the one-pass reader refuses nothing the tree reads;
 *   whole  ctl_dispatch (one pass, or the tree after a refusal): the
 *          tree's answer, byte for byte.
 * A difference prints both and aborts. Events with "slow" in them are left
 * out: echo's fire sleeps on them (tests/gen/echo.c). At the end (or on
 * SIGINT) the counts of events read in one pass and refused by it go to
 * stderr, so a run shows the one-pass path was taken. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alltypes.ctl.h"
#include "ctl/gen.h"

#include "codec/ctx.h"
#include "codec/dispatch.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ctl_ctx tree_ctx, text_ctx;
static unsigned long long runs, read_once, not_read, other_shape;

static void counts(void)
{
    fprintf(stderr, "fuzz_reader_diff: %llu events: %llu read in one pass, %llu refused by it, %llu not its shape\n",
            runs, read_once, not_read, other_shape);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ctli_ctx_init(&tree_ctx);
    ctli_ctx_init(&text_ctx);
    atexit(counts);
    return 0;
}

static void show(const char *what, const char *s, size_t n)
{
    fprintf(stderr, "  %s (%zu bytes): ", what, n);
    for (size_t i = 0; i < n && i < 800; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f && c != '\\')
            fputc(c, stderr);
        else
            fprintf(stderr, "\\x%02x", c);
    }
    fputc('\n', stderr);
}

static void differ(const char *what, const char *event, size_t len, const ctl_response *tree, const char *other,
                   size_t other_len)
{
    fprintf(stderr, "\n==fuzz_reader_diff== %s\n", what);
    show("event", event, len);
    fprintf(stderr, "  tree status: %d\n", (int)tree->status);
    show("tree body", tree->body ? tree->body : "", tree->body ? tree->len : 0);
    show("other", other ? other : "", other ? other_len : 0);
    abort();
}

static void start(ctl_ctx *ctx)
{
    ctli_ctx_reset(ctx);
    ctx->arena.limit = ctx->arena.held + CTLI_INVOCATION_MEMORY;
    ctli_dispatch_begin(ctx, &t_echo_controller, NULL);
}

static bool same(const ctl_response *r, const char *body, size_t len)
{
    return r->body && r->len == len && memcmp(r->body, body, len) == 0;
}

/* Whether the tree path refused the event before a handler ran. */
static bool refused_before_handler(ctl_status s)
{
    return s == CTL_ERR_INVALID_JSON || s == CTL_ERR_INVALID_EVENT || s == CTL_ERR_UNKNOWN_FUNCTION ||
           s == CTL_ERR_INVALID_PAYLOAD || s == CTL_ERR_NOMEM;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *event = (const char *)data;
    for (size_t i = 0; i + 4 <= size; i++)
        if (memcmp(data + i, "slow", 4) == 0)
            return 0;
    runs++;
    const ctl_controller *c = &t_echo_controller;

    ctl_response tree;
    start(&tree_ctx);
    const ctl_json *root = ctli_dispatch_parse(&tree_ctx, event, size);
    const ctl_function *f = ctli_dispatch_find(&tree_ctx, c, root);
    ctli_dispatch_run(&tree_ctx, c, f, root, &tree);

    start(&text_ctx);
    ctl_json_error err = { 0, NULL };
    ctl_cursor cur = { .p = data, .end = data + size, .start = data, .arena = &text_ctx.arena, .err = &err };
    const ctl_function *tf = ctli_dispatch_named_first(&text_ctx, c, &cur);
    if (!tf) {
        other_shape++;
    } else {
        ctl_buf out = CTL_BUF_INIT;
        text_ctx.function = tf->name; /* as the dispatch sets it */
        int rc = tf->invoke(&text_ctx, NULL, &cur, &out);
        if (rc == CTL_NOT_READ) {
            not_read++;
            if (!refused_before_handler(tree.status))
                differ("the one-pass reader refused an event the tree reader read", event, size, &tree, NULL, 0);
        } else {
            read_once++;
            if (rc == 0) {
                if (tree.status != CTL_OK || !same(&tree, out.data ? out.data : "", out.len))
                    differ("read in one pass, the result differs from the tree's", event, size, &tree, out.data,
                           out.len);
            } else if (text_ctx.status != CTL_OK) {
                const char *m = text_ctx.error_message ? text_ctx.error_message : "";
                if (tree.status != text_ctx.status || !tree.error_message || strcmp(tree.error_message, m) != 0)
                    differ("read in one pass, the error differs from the tree's", event, size, &tree, m, strlen(m));
            } else if (tree.status != CTL_ERR_HANDLER) {
                differ("read in one pass, a handler failed, not in the tree", event, size, &tree, NULL, 0);
            }
        }
        ctl_buf_free(&out);
    }

    ctl_response whole;
    ctl_dispatch(c, event, size, NULL, &whole);
    if (whole.status != tree.status || !same(&tree, whole.body ? whole.body : "", whole.body ? whole.len : 0))
        differ("ctl_dispatch answers otherwise than the tree", event, size, &tree, whole.body, whole.len);
    ctl_response_free(&whole);
    ctl_response_free(&tree);
    return 0;
}
