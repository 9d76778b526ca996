/* serve/http.h: serve's HTTP answers and its access log (http.c). */
#ifndef CTL_SERVE_HTTP_H
#define CTL_SERVE_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/private.h"
#include "serve/state.h"

CTLI_BEGIN_PRIVATE

/* A request id shaped like Lambda's (a UUID) from the process's random
 * part, the request's kind (an event or not) and its number n. */
void ctli_serve_request_id(const serve *s, bool event, uint64_t n, char out[40]);

/* One JSON line per request on stderr, written with one write() (unless
 * --quiet): time, requestId, function, controller (NULL: null), type,
 * status, durationMs, traceId (an Invoke's trace header), where a sync
 * call ran, the error's type. */
void ctli_serve_log(serve *s, const req *r, const char *controller, const char *type, unsigned status,
                    const char *error_type);

/* The line of a failed attempt of an event (unless --quiet), in the same
 * format: the event's requestId (its 202's), function and controller its
 * controller's name, type "Event", status 200 (the handler ran; the
 * failure is the function's), durationMs since start_us, traceId (trace,
 * the event's; NULL or "": none), "attempt" (1 =
 * the first), "error" its errorType, and "then": "retry" or
 * "dead-letter" (the core's decision, made with the settings in force). */
void ctli_serve_log_attempt(serve *s, uint64_t event_id, const char *controller, const char *trace, int attempt,
                            uint64_t start_us, const char *error_type, const char *then);

/* Queues a response of len bytes of body (taken: freed by MHD) or none,
 * with x-amzn-RequestId, X-Amz-Executed-Version on 200 and 204,
 * X-Amz-Function-Error when function_error, x-amzn-ErrorType when
 * error_type; a 503 closes the connection. */
enum MHD_Result ctli_serve_respond(req *r, unsigned status, char *body, size_t len, const char *error_type,
                                   bool function_error);

/* A service error as Lambda sends it, logged: the type in x-amzn-ErrorType
 * and a JSON body {"Type":"User","message":...}. Lambda's own model spells
 * the key "Message" for some errors (ResourceNotFoundException,
 * ServiceException) and "message" for others; message_key follows it. */
enum MHD_Result ctli_serve_error(serve *s, req *r, unsigned status, const char *type, const char *message_key,
                                 const char *fmt, ...) CTL_PRINTF(6, 7);

/* 400 InvalidRequestContentException (Lambda's error for "a request
 * header is invalid"), logged, and the connection closes after it: the
 * request's framing is not trusted (door.c, the checks at the door), so
 * no byte after its headers is read as another request. */
enum MHD_Result ctli_serve_bad_http(serve *s, req *r, const char *fmt, ...) CTL_PRINTF(3, 4);

/* 429, as Lambda throttles: the event queue is full, or every runner is
 * busy; clients retry (the SDKs do, after Retry-After). reason is one of
 * the model's ThrottleReason values (a constant: it goes in as is). */
enum MHD_Result ctli_serve_throttled(serve *s, req *r, const char *reason);

/* The same with message in place of Lambda's "Rate Exceeded." (no
 * character in it that JSON escapes). */
enum MHD_Result ctli_serve_throttled_because(serve *s, req *r, const char *reason, const char *message);

/* 503 ServiceException, and the connection closes: the server is shutting
 * down (SIGTERM or SIGINT) and takes no new invocation; nothing of the
 * request runs. The SDKs retry a 503 (on another server, or later). */
enum MHD_Result ctli_serve_shutting_down(serve *s, req *r);

CTLI_END_PRIVATE

#endif
