/* lambda/rtapi_http.h: the HTTP/1.1 client of the Runtime API loop
 * (rtapi_http.c): one kept-alive connection to AWS_LAMBDA_RUNTIME_API over
 * a blocking socket, responses read with http_response.h's parser. */
#ifndef CTL_LAMBDA_RTAPI_HTTP_H
#define CTL_LAMBDA_RTAPI_HTTP_H

#include <stddef.h>
#include <sys/socket.h>

#include "ctl/gen.h"

#include "base/private.h"
#include "lambda/http_response.h"

CTLI_BEGIN_PRIVATE

/* How long a connection may take to open. Reads have no timeout: Lambda
 * holds GET /next as long as it has no work. */
#define CTLI_RTAPI_CONNECT_TIMEOUT_MS 5000
/* The longest request id put in a URL, once percent-encoded (the loop's
 * posts, and crash reports). */
#define CTLI_RTAPI_ID_PATH_MAX 400

/* The most addresses of a host name kept (the first that answers is used). */
#define CTLI_RTAPI_ADDRS_MAX 4

/* The addresses of AWS_LAMBDA_RUNTIME_API, in the resolver's order. */
typedef struct ctli_rtapi_addrs {
    struct {
        struct sockaddr_storage sa;
        socklen_t len;
    } a[CTLI_RTAPI_ADDRS_MAX];
    int n;
} ctli_rtapi_addrs;

typedef struct ctli_rtapi_conn {
    const char *api;            /* HOST:PORT, the caller's (the Host header) */
    ctli_rtapi_addrs addrs;     /* its addresses */
    int fd;                     /* -1 when no connection is open */
    char error[320];            /* after a failure: what went wrong */
} ctli_rtapi_conn;

/* The addresses of api, AWS_LAMBDA_RUNTIME_API's HOST:PORT (an IPv4
 * address, [an IPv6 address] or a host name, and a port of 1 to 65535)
 * into *out. A numeric address (Lambda's: 127.0.0.1:9001) is read with
 * inet_pton; a host name needs glibc's resolver, which a static program
 * lacks (rtapi_http.c). Returns 0, or -1 with the reason in why
 * ("AWS_LAMBDA_RUNTIME_API 'x' ..."). The one reader of the variable's
 * form: the loop and its crash reports (crash.c) use it. */
int ctli_rtapi_resolve(const char *api, ctli_rtapi_addrs *out, char *why, size_t why_cap);

/* Readies c for api (kept, not copied: it must outlive c), resolving it;
 * no connection is opened yet. Returns 0, or -1 with the reason in
 * c->error. Free with ctli_rtapi_conn_free (even after -1). */
int ctli_rtapi_conn_init(ctli_rtapi_conn *c, const char *api);
void ctli_rtapi_conn_free(ctli_rtapi_conn *c);

/* One request: method and path ("/2018-06-01/runtime/invocation/next"),
 * extra header lines (each "Name: value", no CRLF; NULL-terminated list, or
 * NULL) and, when body is not NULL, its len bytes with Content-Length.
 * The response's headers go to on_header (may be NULL), its body to *body
 * (appended; the caller's). Opens the connection when none is open; when
 * one kept from an earlier response turns out closed by the peer (the
 * write fails, or the end comes before any byte of the answer), opens a
 * fresh one and sends again, once. Returns the status, or -1 with the
 * reason in c->error (the connection is closed then). */
int ctli_rtapi_conn_request(ctli_rtapi_conn *c, const char *method, const char *path, const char *const *headers,
                            const char *body, size_t len, ctli_http_header_fn on_header, void *user,
                            ctl_buf *out_body);

CTLI_END_PRIVATE

#endif
