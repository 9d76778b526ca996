/* response_test.c: the response body's memory is reused (codec/response.c,
 * runtime/README.md "Memory"): a thread that dispatches and frees gets its
 * next body in the same memory; a body taken by the caller is the caller's;
 * a large one goes back to malloc; an error answer reuses it too; other
 * threads have their own, freed when they end (AddressSanitizer's leak
 * check sees any left). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/ctl.h"
#include "ctl/gen.h"

#include "../check.h"

static size_t result_bytes = 10; /* what the handler writes: a string this long, quoted */

static int fill_invoke(ctl_ctx *ctx, const ctl_json *args, ctl_cursor *text, ctl_buf *out)
{
    (void)ctx;
    (void)text;
    if (!args)
        return CTL_NOT_READ; /* this one reads the tree */
    if (!ctl_buf_reserve(out, result_bytes + 2))
        return -1;
    out->data[out->len++] = '"';
    memset(out->data + out->len, 'x', result_bytes);
    out->len += result_bytes;
    out->data[out->len++] = '"';
    return 0;
}

static int fail_invoke(ctl_ctx *ctx, const ctl_json *args, ctl_cursor *text, ctl_buf *out)
{
    (void)ctx, (void)text, (void)out;
    return args ? -1 : CTL_NOT_READ;
}

static const ctl_function functions[] = {
    { .name = "fail", .name_len = 4, .invoke = fail_invoke },
    { .name = "fill", .name_len = 4, .invoke = fill_invoke },
};
static const ctl_controller filler = { .name = "filler", .functions = functions, .count = 2 };

static const char fill_event[] = "{\"function\":\"fill\"}";
static const char fail_event[] = "{\"function\":\"fail\"}";

static char *dispatch(const char *event, ctl_response *resp, ctl_status want)
{
    ctl_status st = ctl_dispatch(&filler, event, strlen(event), NULL, resp);
    CHECK(st == want && resp->status == want && resp->body, "dispatch %s: status %d", event, (int)st);
    return resp->body;
}

static void *thread_main(void *unused)
{
    (void)unused;
    /* A thread of its own: its first body is its own malloc, kept when it
     * is freed, and freed when the thread ends. */
    ctl_response resp;
    for (int i = 0; i < 100; i++) {
        dispatch(fill_event, &resp, CTL_OK);
        ctl_response_free(&resp);
    }
    return NULL;
}

int main(void)
{
    ctl_response resp;
    result_bytes = 10;
    char *first = dispatch(fill_event, &resp, CTL_OK);
    CHECK(resp.len == 12 && resp.body_cap >= 13 && resp.body[12] == '\0', "len %zu, cap %zu", resp.len,
          resp.body_cap);
    ctl_response_free(&resp);
    CHECK(resp.body == NULL && resp.body_cap == 0, "ctl_response_free zeroes the response");

    /* The next body is written into the memory of the last one. */
    char *second = dispatch(fill_event, &resp, CTL_OK);
    CHECK(second == first, "the second body is the first's memory (%p, %p)", (void *)second, (void *)first);
    ctl_response_free(&resp);

    /* Growing past it: realloc'd, then kept as it grew. */
    result_bytes = 4000;
    char *grown = dispatch(fill_event, &resp, CTL_OK);
    CHECK(resp.len == 4002 && resp.body_cap >= 4003, "len %zu", resp.len);
    ctl_response_free(&resp);
    result_bytes = 10;
    CHECK(dispatch(fill_event, &resp, CTL_OK) == grown, "the grown memory is kept");
    ctl_response_free(&resp);

    /* An error answer is written into it too. */
    CHECK(dispatch(fail_event, &resp, CTL_ERR_HANDLER) == grown && strstr(resp.body, "\"errorType\""),
          "the error object reuses the memory: %s", resp.body ? resp.body : "(null)");
    ctl_response_free(&resp);

    /* A body the caller takes is the caller's: the next is new memory. */
    char *taken = dispatch(fill_event, &resp, CTL_OK);
    resp.body = NULL;
    ctl_response_free(&resp);
    char *after = dispatch(fill_event, &resp, CTL_OK);
    CHECK(after != taken, "a taken body is not reused");
    CHECK(strcmp(taken, "\"xxxxxxxxxx\"") == 0, "the taken body is intact: %s", taken);
    free(taken);
    ctl_response_free(&resp);

    /* Larger than 256 KiB: back to malloc, not kept. */
    result_bytes = 300 * 1024;
    dispatch(fill_event, &resp, CTL_OK);
    CHECK(resp.body_cap > 256 * 1024, "cap %zu", resp.body_cap);
    ctl_response_free(&resp);
    result_bytes = 10;
    dispatch(fill_event, &resp, CTL_OK);
    CHECK(resp.body_cap <= 256 * 1024, "a large body was kept: cap %zu", resp.body_cap);
    ctl_response_free(&resp);

    /* NULL and a zeroed response are no-ops. */
    ctl_response_free(NULL);
    ctl_response zero = { 0 };
    ctl_response_free(&zero);

    /* Threads that dispatch and end: their memory is freed (the leak check
     * of an AddressSanitizer build would see it otherwise). */
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        CHECK(pthread_create(&t[i], NULL, thread_main, NULL) == 0, "pthread_create");
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);

    printf("response: %d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
