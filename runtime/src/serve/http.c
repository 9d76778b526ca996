/* serve/http.c: serve's HTTP answers: a response with Lambda's headers,
 * service errors and throttling as Lambda sends them, request ids, and the
 * access log. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctl/gen.h"

#include "base/clock.h"
#include "serve/http.h"

/* The kind in the variant digit (8: an event, whose number is its journal
 * id; 9: any other request, numbered by the process) and 60 bits of the
 * number, so no two requests of a process share one (journal ids come from
 * the file and may be anything: they cannot meet the other numbers). */
void ctli_serve_request_id(const serve *s, bool event, uint64_t n, char out[40])
{
    snprintf(out, 40, "%08" PRIx32 "-%04" PRIx32 "-4%03" PRIx32 "-%c%03" PRIx32 "-%012" PRIx64,
             (uint32_t)(s->id_hi >> 32), (uint32_t)(s->id_hi >> 16) & 0xffffu, (uint32_t)(s->id_hi >> 4) & 0xfffu,
             event ? '8' : '9', (uint32_t)(n >> 48) & 0xfffu, (uint64_t)(n & 0xffffffffffffu));
}

/* ---- the access log ------------------------------------------------------------------- */

/* The start of a line, up to durationMs: time, requestId, function,
 * controller (NULL: null), type, status, durationMs. */
static void log_head(ctl_buf *b, const char *request_id, const char *function, const char *controller,
                     const char *type, unsigned status, uint64_t start_us)
{
    char when[32], num[64];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    CTL_BUF_LIT(b, "{\"time\":\"");
    ctl_buf_put(b, when, strlen(when));
    snprintf(num, sizeof num, ".%03ldZ\",\"requestId\":", ts.tv_nsec / 1000000L);
    ctl_buf_put(b, num, strlen(num));
    ctl_write_string(b, request_id);
    CTL_BUF_LIT(b, ",\"function\":");
    if (ctl_write_string(b, function))
        CTL_BUF_LIT(b, "\"?\"");
    CTL_BUF_LIT(b, ",\"controller\":");
    if (controller)
        ctl_write_string(b, controller);
    else
        CTL_BUF_LIT(b, "null");
    CTL_BUF_LIT(b, ",\"type\":");
    ctl_write_string(b, type);
    snprintf(num, sizeof num, ",\"status\":%u,\"durationMs\":%.3f", status,
             (double)(ctli_now_us() - start_us) / 1000.0);
    ctl_buf_put(b, num, strlen(num));
}

static void log_error(ctl_buf *b, const char *error_type)
{
    if (error_type) {
        CTL_BUF_LIT(b, ",\"error\":");
        if (ctl_write_string(b, error_type))
            CTL_BUF_LIT(b, "\"?\"");
    }
}

/* The line's end, and its one write: lines from many threads never
 * interleave. */
static void log_write(ctl_buf *b)
{
    CTL_BUF_LIT(b, "}\n");
    if (!b->failed && write(2, b->data, b->len) < 0) {
        /* stderr is gone; nothing better to do */
    }
    ctl_buf_free(b);
}

/* ,"traceId":"..." when there is a trace: the JSON writer escapes whatever
 * it holds, though serve's traces keep the rule (codec/ctx.h). */
static void log_trace(ctl_buf *b, const char *trace)
{
    if (!trace || !*trace)
        return;
    CTL_BUF_LIT(b, ",\"traceId\":");
    ctl_write_string(b, trace);
}

void ctli_serve_log(serve *s, const req *r, const char *controller, const char *type, unsigned status,
                    const char *error_type)
{
    if (s->opt.quiet)
        return;
    ctl_buf b = CTL_BUF_INIT;
    log_head(&b, r->request_id, r->function, controller, type, status, r->start_us);
    log_trace(&b, r->trace);
    if (r->on) {
        CTL_BUF_LIT(&b, ",\"on\":");
        ctl_write_string(&b, r->on);
    }
    log_error(&b, error_type);
    log_write(&b);
}

void ctli_serve_log_attempt(serve *s, uint64_t event_id, const char *controller, const char *trace, int attempt,
                            uint64_t start_us, const char *error_type, const char *then)
{
    if (s->opt.quiet)
        return;
    char request_id[40], num[48];
    ctli_serve_request_id(s, true, event_id, request_id);
    ctl_buf b = CTL_BUF_INIT;
    log_head(&b, request_id, controller, controller, "Event", 200, start_us);
    log_trace(&b, trace);
    snprintf(num, sizeof num, ",\"attempt\":%d", attempt);
    ctl_buf_put(&b, num, strlen(num));
    log_error(&b, error_type);
    CTL_BUF_LIT(&b, ",\"then\":");
    ctl_write_string(&b, then);
    log_write(&b);
}

/* ---- responses ----------------------------------------------------------------------- */

/* ctli_serve_respond, and Connection: close when close (or on a 503). */
static enum MHD_Result respond(req *r, unsigned status, char *body, size_t len, const char *error_type,
                               bool function_error, bool close)
{
    struct MHD_Response *resp =
        body ? MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE)
             : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "x-amzn-RequestId", r->request_id);
    if (body)
        MHD_add_response_header(resp, "Content-Type", "application/json");
    if (error_type)
        MHD_add_response_header(resp, "x-amzn-ErrorType", error_type);
    if (status == MHD_HTTP_OK || status == MHD_HTTP_NO_CONTENT)
        MHD_add_response_header(resp, "X-Amz-Executed-Version", "$LATEST");
    if (function_error)
        MHD_add_response_header(resp, "X-Amz-Function-Error", "Unhandled");
    if (close || status == MHD_HTTP_SERVICE_UNAVAILABLE)
        MHD_add_response_header(resp, "Connection", "close");
    enum MHD_Result rc = MHD_queue_response(r->conn, status, resp);
    MHD_destroy_response(resp);
    return rc;
}

enum MHD_Result ctli_serve_respond(req *r, unsigned status, char *body, size_t len, const char *error_type,
                                   bool function_error)
{
    return respond(r, status, body, len, error_type, function_error, false);
}

/* ctli_serve_error with the message's arguments in ap; close: the
 * connection closes after the answer. */
static enum MHD_Result error_va(serve *s, req *r, unsigned status, const char *type, const char *message_key,
                                bool close, const char *fmt, va_list ap)
{
    char message[1024];
    vsnprintf(message, sizeof message, fmt, ap);
    ctl_buf b = CTL_BUF_INIT;
    CTL_BUF_LIT(&b, "{\"Type\":\"");
    ctl_buf_put(&b, status >= 500 ? "Service" : "User", status >= 500 ? 7 : 4);
    CTL_BUF_LIT(&b, "\",\"");
    ctl_buf_put(&b, message_key, strlen(message_key));
    CTL_BUF_LIT(&b, "\":");
    if (ctl_write_string(&b, message))
        CTL_BUF_LIT(&b, "\"(not UTF-8)\"");
    ctl_buf_putc(&b, '}');
    ctli_serve_log(s, r, r->controller ? r->controller->name : NULL, r->type ? r->type : "-", status, type);
    if (b.failed) {
        ctl_buf_free(&b);
        return MHD_NO;
    }
    return respond(r, status, b.data, b.len, type, false, close);
}

enum MHD_Result ctli_serve_error(serve *s, req *r, unsigned status, const char *type, const char *message_key,
                                 const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum MHD_Result rc = error_va(s, r, status, type, message_key, false, fmt, ap);
    va_end(ap);
    return rc;
}

enum MHD_Result ctli_serve_bad_http(serve *s, req *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum MHD_Result rc = error_va(s, r, 400, "InvalidRequestContentException", "message", true, fmt, ap);
    va_end(ap);
    return rc;
}

enum MHD_Result ctli_serve_shutting_down(serve *s, req *r)
{
    return ctli_serve_error(s, r, 503, "ServiceException", "Message",
                            "the server is shutting down and accepts no new invocations");
}

enum MHD_Result ctli_serve_throttled(serve *s, req *r, const char *reason)
{
    return ctli_serve_throttled_because(s, r, reason, "Rate Exceeded.");
}

enum MHD_Result ctli_serve_throttled_because(serve *s, req *r, const char *reason, const char *message)
{
    char body[512];
    int n = snprintf(body, sizeof body, "{\"Reason\":\"%s\",\"Type\":\"User\",\"message\":\"%s\"}", reason,
                     message);
    char *copy = n > 0 && (size_t)n < sizeof body ? malloc((size_t)n) : NULL;
    if (!copy)
        return MHD_NO;
    memcpy(copy, body, (size_t)n);
    ctli_serve_log(s, r, r->controller ? r->controller->name : NULL, r->type ? r->type : "-", 429,
                   "TooManyRequestsException");
    struct MHD_Response *resp = MHD_create_response_from_buffer((size_t)n, copy, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(copy);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "x-amzn-RequestId", r->request_id);
    MHD_add_response_header(resp, "Content-Type", "application/json");
    MHD_add_response_header(resp, "x-amzn-ErrorType", "TooManyRequestsException");
    MHD_add_response_header(resp, "Retry-After", "1");
    enum MHD_Result rc = MHD_queue_response(r->conn, 429, resp);
    MHD_destroy_response(resp);
    return rc;
}
