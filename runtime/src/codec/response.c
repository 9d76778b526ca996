/* codec/response.c: ctl_response: the Lambda error object, freeing, and
 * the body's memory kept for the thread's next dispatch.
 *
 * A thread that dispatches and frees the response, again and again (the
 * Runtime API loop, the in-process client, a benchmark), would call malloc
 * once per event for the body. ctl_response_free() keeps the body's memory
 * instead (one buffer per thread, at most SPARE_MAX bytes: a large answer
 * goes back to malloc, so that idle threads do not hold much), and the
 * thread's next body is written into it (ctli_response_buf). The buffer is
 * freed when the thread ends (a pthread key's destructor) or by
 * ctli_response_release (ctli_thread_release). A body the caller takes
 * (body set to NULL) is the caller's, as before. */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/gen.h"

#include "codec/response.h"

enum { SPARE_MAX = 256 * 1024 };

static _Thread_local ctl_buf spare;
static _Thread_local bool spare_registered;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;
static pthread_key_t spare_key;
static bool spare_key_made;

static void spare_at_thread_end(void *buf)
{
    ctl_buf_free(buf);
}

static void spare_key_make(void)
{
    spare_key_made = pthread_key_create(&spare_key, spare_at_thread_end) == 0;
}

ctl_buf ctli_response_buf(void)
{
    ctl_buf b = spare;
    spare = (ctl_buf)CTL_BUF_INIT;
    b.len = 0;
    b.failed = false;
    return b;
}

void ctli_response_keep(ctl_buf *b)
{
    if (!b)
        return;
    if (b->data && !spare.data && b->cap <= SPARE_MAX && !b->failed) {
        if (!spare_registered) {
            /* The destructor frees the buffer when the thread ends; without
             * one, the buffer goes back to malloc now. */
            pthread_once(&spare_once, spare_key_make);
            spare_registered = spare_key_made && pthread_setspecific(spare_key, &spare) == 0;
        }
        if (spare_registered) {
            spare = (ctl_buf){ b->data, 0, b->cap, false };
            *b = (ctl_buf)CTL_BUF_INIT;
            return;
        }
    }
    ctl_buf_free(b);
}

void ctli_response_release(void)
{
    ctl_buf_free(&spare);
}

ctl_status ctli_response_error(ctl_response *resp, ctl_status status, const char *type, const char *message)
{
    ctl_buf b = ctli_response_buf();
    if (!type)
        type = ctl_status_error_type(status);
    if (!message)
        message = ctl_status_str(status);
    /* The error object as Lambda's runtimes write it. Strings that are not
     * UTF-8 (a handler's message, say) are replaced, not dropped. */
    CTL_BUF_LIT(&b, "{\"errorType\":");
    if (ctl_write_string(&b, type))
        CTL_BUF_LIT(&b, "\"ctl.Error\"");
    CTL_BUF_LIT(&b, ",\"errorMessage\":");
    if (ctl_write_string(&b, message))
        CTL_BUF_LIT(&b, "\"(the message was not valid UTF-8)\"");
    ctl_buf_putc(&b, '}');
    ctl_buf_putc(&b, '\0');
    resp->status = status;
    resp->error_type = strdup(type);
    resp->error_message = strdup(message);
    if (b.failed || !resp->error_type || !resp->error_message) {
        ctl_buf_free(&b);
        free(resp->error_type);
        free(resp->error_message);
        resp->error_type = resp->error_message = NULL;
        resp->body = NULL;
        resp->len = resp->body_cap = 0;
        resp->status = CTL_ERR_NOMEM;
        return CTL_ERR_NOMEM;
    }
    resp->body = b.data;
    resp->len = b.len - 1;
    resp->body_cap = b.cap;
    return status;
}

void ctl_response_free(ctl_response *resp)
{
    if (!resp)
        return;
    /* A body whose size is not known (body_cap 0: an answer stored by the
     * idempotency store, a transport's reply) goes back to malloc. */
    ctl_buf body = { resp->body, 0, resp->body ? resp->body_cap : 0, false };
    if (body.cap)
        ctli_response_keep(&body);
    else
        free(resp->body);
    free(resp->error_type);
    free(resp->error_message);
    memset(resp, 0, sizeof *resp);
}
