/* lambda/http_response.c: the parser of one HTTP/1.1 response, fed bytes
 * as they come (RFC 9112): the status line, the headers, and a body of
 * Content-Length bytes, in chunks (extensions and trailers taken and
 * dropped) or up to the close. No socket, no allocation but the body's:
 * a state machine over bytes, split anywhere. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/hex.h"
#include "lambda/http_response.h"

enum { ST_STATUS, ST_HEADER, ST_BODY, ST_EOF_BODY, ST_CHUNK_SIZE, ST_CHUNK_DATA, ST_CHUNK_END, ST_TRAILER, ST_DONE,
       ST_FAILED };

void ctli_http_parser_init(ctli_http_parser *p, ctl_buf *body, ctli_http_header_fn on_header, void *user)
{
    memset(p, 0, offsetof(ctli_http_parser, line));
    p->body = body;
    p->on_header = on_header;
    p->user = user;
    p->state = ST_STATUS;
}

static ctli_http_result fail(ctli_http_parser *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->error, sizeof p->error, fmt, ap);
    va_end(ap);
    p->state = ST_FAILED;
    return CTLI_HTTP_ERROR;
}

/* At most 60 bytes of s (n bytes) for a message: bytes other than
 * printable ASCII as '?'. */
static const char *excerpt(char out[64], const char *s, size_t n)
{
    size_t k = n < 60 ? n : 60;
    for (size_t i = 0; i < k; i++)
        out[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
    out[k] = '\0';
    return out;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* RFC 9110's tchar: the bytes of a header's name. */
static bool is_tchar(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

/* Does the list value (n bytes) hold the token tok, case-insensitively? */
static bool has_token(const char *v, size_t n, const char *tok)
{
    size_t tl = strlen(tok), i = 0;
    while (i < n) {
        while (i < n && (is_blank(v[i]) || v[i] == ','))
            i++;
        size_t start = i;
        while (i < n && v[i] != ',')
            i++;
        size_t end = i;
        while (end > start && is_blank(v[end - 1]))
            end--;
        if (end - start == tl && strncasecmp(v + start, tok, tl) == 0)
            return true;
    }
    return false;
}

static ctli_http_result status_line(ctli_http_parser *p, const char *s, size_t n)
{
    char ex[64];
    if (n < 12 || memcmp(s, "HTTP/1.", 7) != 0 || !is_digit(s[7]) || s[8] != ' ' || !is_digit(s[9]) ||
        !is_digit(s[10]) || !is_digit(s[11]) || (n > 12 && s[12] != ' ') || s[9] == '0')
        return fail(p, "malformed status line '%s' (expected HTTP/1.x, a space and a 3-digit status)",
                    excerpt(ex, s, n));
    p->minor = s[7] - '0';
    p->status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
    p->state = ST_HEADER;
    p->lines = 0;
    p->chunked = p->has_length = p->close_asked = p->keep_asked = false;
    return CTLI_HTTP_MORE;
}

static ctli_http_result header_line(ctli_http_parser *p, const char *s, size_t n)
{
    char ex[64];
    if (++p->lines > CTLI_HTTP_HEADERS_MAX)
        return fail(p, "the response has more than %d header lines (CTLI_HTTP_HEADERS_MAX)", CTLI_HTTP_HEADERS_MAX);
    if (is_blank(s[0]))
        return fail(p, "header line '%s' is folded onto the previous one (obsolete line folding is refused)",
                    excerpt(ex, s, n));
    const char *colon = memchr(s, ':', n);
    size_t name_len = colon ? (size_t)(colon - s) : 0;
    for (size_t i = 0; i < name_len; i++)
        if (!is_tchar((unsigned char)s[i]))
            name_len = 0;
    if (!name_len)
        return fail(p, "malformed header line '%s' (expected a name, ':' and a value)", excerpt(ex, s, n));
    const char *v = colon + 1, *end = s + n;
    while (v < end && is_blank(*v))
        v++;
    while (end > v && is_blank(end[-1]))
        end--;
    for (const char *c = v; c < end; c++)
        if (((unsigned char)*c < 0x20 && *c != '\t') || *c == 0x7f)
            return fail(p, "header '%.*s' holds a control byte (0x%02x)", (int)(name_len < 60 ? name_len : 60), s,
                        (unsigned char)*c);
    size_t vn = (size_t)(end - v);
    if (name_len == 14 && strncasecmp(s, "Content-Length", 14) == 0) {
        size_t len = 0;
        bool number = vn > 0, big = false;
        for (size_t i = 0; i < vn; i++) {
            number &= is_digit(v[i]);
            if (number && !big) {
                len = len * 10 + (size_t)(v[i] - '0');
                big = len > CTLI_HTTP_BODY_MAX;
            }
        }
        if (!number)
            return fail(p, "Content-Length '%s' is not a number of bytes", excerpt(ex, v, vn));
        if (big)
            return fail(p, "the body of %s bytes is larger than %zu bytes, the most kept (CTLI_HTTP_BODY_MAX, "
                           "Lambda's largest payload)", excerpt(ex, v, vn), CTLI_HTTP_BODY_MAX);
        if (p->has_length && p->remaining != len)
            return fail(p, "two Content-Length headers disagree (%zu and %zu)", p->remaining, len);
        p->has_length = true;
        p->remaining = len;
    } else if (name_len == 17 && strncasecmp(s, "Transfer-Encoding", 17) == 0) {
        if (vn != 7 || strncasecmp(v, "chunked", 7) != 0)
            return fail(p, "Transfer-Encoding '%s' is not supported (only chunked is)", excerpt(ex, v, vn));
        p->chunked = true;
    } else if (name_len == 10 && strncasecmp(s, "Connection", 10) == 0) {
        p->close_asked |= has_token(v, vn, "close");
        p->keep_asked |= has_token(v, vn, "keep-alive");
    }
    if (p->on_header) {
        const char *why = p->on_header(p->user, s, name_len, v, vn);
        if (why)
            return fail(p, "%s", why);
    }
    return CTLI_HTTP_MORE;
}

static ctli_http_result done(ctli_http_parser *p)
{
    p->state = ST_DONE;
    return CTLI_HTTP_DONE;
}

static ctli_http_result end_of_head(ctli_http_parser *p)
{
    if (p->status < 200) { /* an interim answer (100 Continue): the response follows */
        p->state = ST_STATUS;
        return CTLI_HTTP_MORE;
    }
    if (p->chunked && p->has_length)
        return fail(p, "the response has both Content-Length and Transfer-Encoding (a response may not)");
    p->keep_alive = !p->close_asked && (p->minor >= 1 || p->keep_asked);
    if (p->status == 204 || p->status == 304)
        return done(p);
    if (p->chunked) {
        p->state = ST_CHUNK_SIZE;
        return CTLI_HTTP_MORE;
    }
    if (p->has_length) {
        p->state = ST_BODY;
        return p->remaining ? CTLI_HTTP_MORE : done(p);
    }
    p->keep_alive = false; /* the body runs to the close */
    p->state = ST_EOF_BODY;
    return CTLI_HTTP_MORE;
}

static ctli_http_result chunk_size_line(ctli_http_parser *p, const char *s, size_t n)
{
    char ex[64];
    size_t i = 0, size = 0;
    for (; i < n && ctli_hex_digit((unsigned char)s[i]) >= 0; i++) {
        size = size * 16 + (size_t)ctli_hex_digit((unsigned char)s[i]);
        if (size > CTLI_HTTP_BODY_MAX)
            return fail(p, "a chunk of more than %zu bytes: the body would be larger than the most kept "
                           "(CTLI_HTTP_BODY_MAX, Lambda's largest payload)", CTLI_HTTP_BODY_MAX);
    }
    size_t digits = i;
    while (i < n && is_blank(s[i]))
        i++;
    if (!digits || (i < n && s[i] != ';')) /* after ';', extensions: taken and dropped */
        return fail(p, "malformed chunk size line '%s' (expected hexadecimal digits, then at most ';' and "
                       "extensions)", excerpt(ex, s, n));
    if (p->body->len + size > CTLI_HTTP_BODY_MAX)
        return fail(p, "the chunked body is larger than %zu bytes, the most kept (CTLI_HTTP_BODY_MAX, Lambda's "
                       "largest payload)", CTLI_HTTP_BODY_MAX);
    if (size == 0) {
        p->state = ST_TRAILER;
        p->lines = 0;
        p->head_bytes = 0;
        return CTLI_HTTP_MORE;
    }
    p->remaining = size;
    p->state = ST_CHUNK_DATA;
    return CTLI_HTTP_MORE;
}

/* A whole line (n bytes, without its CRLF or LF) in a state that reads
 * lines. */
static ctli_http_result on_line(ctli_http_parser *p, const char *s, size_t n)
{
    switch (p->state) {
    case ST_STATUS:
        return status_line(p, s, n);
    case ST_HEADER:
        return n ? header_line(p, s, n) : end_of_head(p);
    case ST_CHUNK_SIZE:
        return chunk_size_line(p, s, n);
    case ST_CHUNK_END:
        if (n)
            return fail(p, "chunk data not followed by CRLF (the chunk is longer than its size says)");
        p->state = ST_CHUNK_SIZE;
        return CTLI_HTTP_MORE;
    default: /* ST_TRAILER: trailers are taken and dropped */
        if (!n)
            return done(p);
        if (++p->lines > CTLI_HTTP_HEADERS_MAX)
            return fail(p, "the response has more than %d trailer lines (CTLI_HTTP_HEADERS_MAX)",
                        CTLI_HTTP_HEADERS_MAX);
        return CTLI_HTTP_MORE;
    }
}

static bool reads_lines(int state)
{
    return state == ST_STATUS || state == ST_HEADER || state == ST_CHUNK_SIZE || state == ST_CHUNK_END ||
           state == ST_TRAILER;
}

ctli_http_result ctli_http_parse(ctli_http_parser *p, const char *data, size_t len, size_t *used)
{
    size_t i = 0;
    ctli_http_result r = p->state == ST_DONE ? CTLI_HTTP_DONE : p->state == ST_FAILED ? CTLI_HTTP_ERROR
                                                                                         : CTLI_HTTP_MORE;
    while (i < len && r == CTLI_HTTP_MORE) {
        if (reads_lines(p->state)) {
            const char *nl = memchr(data + i, '\n', len - i);
            size_t take = nl ? (size_t)(nl - (data + i)) + 1 : len - i;
            /* Of the two limits, the one whose last byte comes first is
             * named, however the bytes were split. */
            bool in_head = p->state != ST_CHUNK_SIZE && p->state != ST_CHUNK_END;
            size_t line_room = CTLI_HTTP_LINE_MAX - p->line_len;
            size_t head_room = in_head ? CTLI_HTTP_HEAD_MAX - p->head_bytes : SIZE_MAX;
            if (take > line_room && line_room <= head_room) {
                r = fail(p, "a line of the response's %s is longer than %d bytes (CTLI_HTTP_LINE_MAX)",
                         p->state == ST_STATUS || p->state == ST_HEADER ? "head"
                         : p->state == ST_TRAILER                      ? "trailers"
                                                                       : "chunked body",
                         CTLI_HTTP_LINE_MAX);
                break;
            }
            if (take > head_room) {
                r = fail(p, "the response's %s are larger than %d bytes (CTLI_HTTP_HEAD_MAX)",
                         p->state == ST_TRAILER ? "trailers" : "status line and headers", CTLI_HTTP_HEAD_MAX);
                break;
            }
            if (in_head)
                p->head_bytes += take;
            memcpy(p->line + p->line_len, data + i, take);
            p->line_len += take;
            i += take;
            p->received += take;
            if (nl) {
                size_t n = p->line_len - 1;
                if (n && p->line[n - 1] == '\r')
                    n--;
                p->line_len = 0;
                r = on_line(p, p->line, n);
            }
        } else {
            size_t take = len - i;
            if (p->state != ST_EOF_BODY && take > p->remaining)
                take = p->remaining;
            if (p->state == ST_EOF_BODY && p->body->len + take > CTLI_HTTP_BODY_MAX) {
                r = fail(p, "the body is larger than %zu bytes, the most kept (CTLI_HTTP_BODY_MAX, Lambda's "
                            "largest payload)", CTLI_HTTP_BODY_MAX);
                break;
            }
            ctl_buf_put(p->body, data + i, take);
            if (p->body->failed) {
                r = fail(p, "out of memory keeping the body (%zu bytes)", p->body->len + take);
                break;
            }
            i += take;
            p->received += take;
            if (p->state != ST_EOF_BODY && !(p->remaining -= take)) {
                if (p->state == ST_BODY)
                    r = done(p);
                else
                    p->state = ST_CHUNK_END;
            }
        }
    }
    *used = i;
    return r;
}

ctli_http_result ctli_http_parse_eof(ctli_http_parser *p)
{
    switch (p->state) {
    case ST_DONE:
        return CTLI_HTTP_DONE;
    case ST_FAILED:
        return CTLI_HTTP_ERROR;
    case ST_EOF_BODY:
        return done(p);
    case ST_STATUS:
    case ST_HEADER:
        if (!p->received)
            return CTLI_HTTP_CLOSED;
        return fail(p, "the connection closed in the head of the response (after %zu bytes)", p->received);
    case ST_BODY:
        return fail(p, "the connection closed after %zu bytes of a body of %zu", p->body->len,
                    p->body->len + p->remaining);
    default:
        return fail(p, "the connection closed in the chunked body (after %zu bytes of data)", p->body->len);
    }
}
