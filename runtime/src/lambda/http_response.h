/* lambda/http_response.h: the parser of one HTTP/1.1 response
 * (http_response.c), fed bytes as they come, with no socket of its own:
 * the Runtime API client (rtapi_http.c) reads with it, and the unit test
 * and fuzz target feed it bytes directly. */
#ifndef CTL_LAMBDA_HTTP_RESPONSE_H
#define CTL_LAMBDA_HTTP_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>

#include "ctl/ctl.h"
#include "ctl/gen.h"

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* The limits of a response; a response past one is refused with an error
 * naming it. */
#define CTLI_HTTP_LINE_MAX 8192      /* one line of the head (status, header, chunk size, trailer), CRLF included */
#define CTLI_HTTP_HEADERS_MAX 100    /* header lines of the head, and trailer lines, each */
#define CTLI_HTTP_HEAD_MAX 65536     /* the status line and headers together, CRLFs included */
/* The body: the largest payload Lambda passes (a RequestResponse event),
 * so no event of Lambda's is refused and nothing larger is kept. */
#define CTLI_HTTP_BODY_MAX ((size_t)CTL_MAX_SYNC_PAYLOAD)

/* Called for each header of the head (not for trailers), name and value
 * not NUL-terminated, the value without its surrounding blanks; both valid
 * only during the call. Returns NULL, or an error that ends the parse
 * (a static string: "out of memory keeping a header"). */
typedef const char *(*ctli_http_header_fn)(void *user, const char *name, size_t name_len, const char *value,
                                           size_t value_len);

typedef enum {
    CTLI_HTTP_MORE,   /* every byte taken; the response goes on */
    CTLI_HTTP_DONE,   /* the response is whole */
    CTLI_HTTP_ERROR,  /* the response is malformed or past a limit: the reason in error */
    CTLI_HTTP_CLOSED, /* (ctli_http_parse_eof only) the end came before any byte of a response */
} ctli_http_result;

typedef struct ctli_http_parser {
    /* Results. */
    int status;                 /* the status code, once the status line is read */
    bool keep_alive;            /* once DONE: the connection may carry another request */
    char error[256];            /* after ERROR: what was wrong */
    /* The parser's own. */
    ctl_buf *body;
    ctli_http_header_fn on_header;
    void *user;
    int state;
    int minor;                  /* HTTP/1.minor of the status line */
    bool chunked, has_length, close_asked, keep_asked;
    size_t received;            /* bytes taken so far */
    size_t head_bytes, lines;   /* of the head, or of the trailers */
    size_t remaining;           /* bytes left of the body or the chunk */
    size_t line_len;
    char line[CTLI_HTTP_LINE_MAX];
} ctli_http_parser;

/* Readies p for one response. The body goes to *body (appended; the
 * caller owns it and frees it), the headers to on_header (may be NULL). */
void ctli_http_parser_init(ctli_http_parser *p, ctl_buf *body, ctli_http_header_fn on_header, void *user);

/* Takes the len bytes at data. *used is set to how many were taken: all
 * of them on MORE, up to the end of the response on DONE (the rest
 * belongs to no response asked for). After DONE or ERROR, p takes nothing
 * more until init again. */
ctli_http_result ctli_http_parse(ctli_http_parser *p, const char *data, size_t len, size_t *used);

/* The peer closed the connection: DONE when that ends the response (a
 * body without Content-Length or chunking runs to the close), CLOSED when
 * no byte of it came, ERROR (truncated, saying where) otherwise. */
ctli_http_result ctli_http_parse_eof(ctli_http_parser *p);

CTLI_END_PRIVATE

#endif
