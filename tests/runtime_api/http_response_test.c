/* http_response_test.c: the Runtime API client's response parser
 * (runtime/src/lambda/http_response.c) on bytes, without sockets: every
 * response split at every byte and fed a byte at a time gives the same
 * result; Content-Length, chunked (extensions, trailers), to-the-close
 * bodies; Connection and HTTP/1.0; interim 1xx; each limit and each
 * malformation refused with an error naming it; every truncation of a
 * response refused at the end of the connection. Exits 0 when all pass. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lambda/http_response.h"

static int failures;

#define CHECK(cond, ...)                                                                                              \
    do {                                                                                                              \
        if (!(cond)) {                                                                                                \
            failures++;                                                                                               \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                                     \
            fprintf(stderr, __VA_ARGS__);                                                                             \
            fputc('\n', stderr);                                                                                      \
        }                                                                                                             \
    } while (0)

/* What one parse gave. */
typedef struct outcome {
    ctli_http_result result;
    int status;
    bool keep_alive;
    size_t used;                /* bytes of the input taken */
    char body[256];
    size_t body_len;
    char headers[512];          /* "name=value;" for each header */
    char error[256];
} outcome;

static const char *refuse_name; /* a header name the callback refuses */

static const char *on_header(void *user, const char *name, size_t nl, const char *value, size_t vl)
{
    outcome *o = user;
    if (refuse_name && strlen(refuse_name) == nl && memcmp(refuse_name, name, nl) == 0)
        return "refused by the callback";
    size_t at = strlen(o->headers);
    snprintf(o->headers + at, sizeof o->headers - at, "%.*s=%.*s;", (int)nl, name, (int)vl, value);
    return NULL;
}

/* Parses the n bytes at s, fed in pieces of `piece` bytes after the
 * first `split` (0: all at once), then the end of the connection when
 * eof is set and the response is not over. */
static outcome parse(const char *s, size_t n, size_t split, size_t piece, bool eof)
{
    outcome o;
    memset(&o, 0, sizeof o);
    ctl_buf body = CTL_BUF_INIT;
    ctli_http_parser *p = malloc(sizeof *p);
    ctli_http_parser_init(p, &body, on_header, &o);
    size_t at = 0;
    ctli_http_result r = CTLI_HTTP_MORE;
    while (at < n && r == CTLI_HTTP_MORE) {
        size_t k = at < split ? split - at : piece ? piece : n - at;
        if (k > n - at)
            k = n - at;
        size_t used = 0;
        r = ctli_http_parse(p, s + at, k, &used);
        at += used;
        if (r == CTLI_HTTP_MORE && used != k) {
            failures++;
            fprintf(stderr, "FAIL: MORE but took %zu of %zu bytes\n", used, k);
        }
    }
    if (r == CTLI_HTTP_MORE && eof)
        r = ctli_http_parse_eof(p);
    o.result = r;
    o.status = p->status;
    o.keep_alive = p->keep_alive;
    o.used = at;
    o.body_len = body.len;
    if (body.len)
        memcpy(o.body, body.data, body.len < sizeof o.body ? body.len : sizeof o.body - 1);
    snprintf(o.error, sizeof o.error, "%s", r == CTLI_HTTP_ERROR ? p->error : "");
    ctl_buf_free(&body);
    free(p);
    return o;
}

static bool same(const outcome *a, const outcome *b)
{
    /* Where an error stops depends on the pieces: not compared. */
    return a->result == b->result && a->status == b->status && a->keep_alive == b->keep_alive &&
           (a->result == CTLI_HTTP_ERROR || a->used == b->used) && a->body_len == b->body_len && memcmp(a->body, b->body, sizeof a->body) == 0 &&
           strcmp(a->headers, b->headers) == 0 && strcmp(a->error, b->error) == 0;
}

/* The response s parsed whole, and split at every byte, and a byte at a
 * time: the same outcome each way. Returns the whole one. */
static outcome every_split(const char *s, size_t n, bool eof)
{
    outcome whole = parse(s, n, 0, 0, eof);
    for (size_t split = 1; split < n; split++) {
        outcome o = parse(s, n, split, 0, eof);
        CHECK(same(&o, &whole), "split at %zu of %.40s: a different outcome (%s)", split, s, o.error);
    }
    outcome bytes = parse(s, n, 0, 1, eof);
    CHECK(same(&bytes, &whole), "fed byte by byte, %.40s: a different outcome (%s)", s, bytes.error);
    return whole;
}

#define S(lit) lit, sizeof(lit) - 1

static void expect_error(const char *s, size_t n, const char *needle)
{
    outcome o = every_split(s, n, true);
    CHECK(o.result == CTLI_HTTP_ERROR && strstr(o.error, needle), "%.60s: expected an error with '%s', got %d '%s'",
          s, needle, (int)o.result, o.error);
}

static void test_content_length(void)
{
    const char r[] = "HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id:  id-1 \r\nContent-Length: 5\r\n"
                     "Lambda-Runtime-Trace-Id:\tRoot=1\r\n\r\nhello";
    outcome o = every_split(S(r), false);
    CHECK(o.result == CTLI_HTTP_DONE && o.status == 200 && o.keep_alive, "Content-Length: %d %s", (int)o.result,
          o.error);
    CHECK(o.body_len == 5 && memcmp(o.body, "hello", 5) == 0, "body '%s'", o.body);
    CHECK(strcmp(o.headers, "Lambda-Runtime-Aws-Request-Id=id-1;Content-Length=5;Lambda-Runtime-Trace-Id=Root=1;") ==
              0,
          "headers '%s'", o.headers);
    /* Bytes past the response are not taken. */
    const char two[] = "HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 500 X\r\n";
    o = every_split(S(two), false);
    CHECK(o.result == CTLI_HTTP_DONE && o.used == sizeof two - 1 - 16 && o.status == 202, "used %zu", o.used);
    /* Content-Length 0, and repeated alike. */
    o = every_split(S("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\ncontent-length: 0\r\n\r\n"), false);
    CHECK(o.result == CTLI_HTTP_DONE && o.body_len == 0, "Content-Length 0: %s", o.error);
    /* LF alone ends lines too; no reason phrase. */
    o = every_split(S("HTTP/1.1 200\nContent-Length: 1\n\nx"), false);
    CHECK(o.result == CTLI_HTTP_DONE && o.body_len == 1, "bare LF: %s", o.error);
}

static void test_chunked(void)
{
    const char r[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n"
                     "5;name=value\r\nhello\r\n6 ; a=\"b;c\"\r\n world\r\nA\r\n0123456789\r\n"
                     "0;last\r\nX-Trailer: t\r\nY: u\r\n\r\n";
    outcome o = every_split(S(r), false);
    CHECK(o.result == CTLI_HTTP_DONE && o.keep_alive && o.body_len == 21 &&
              memcmp(o.body, "hello world0123456789", 21) == 0,
          "chunked: %d '%s' %s", (int)o.result, o.body, o.error);
    CHECK(!strstr(o.headers, "X-Trailer"), "a trailer went to the callback: %s", o.headers);
    o = every_split(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), false);
    CHECK(o.result == CTLI_HTTP_DONE && o.body_len == 0, "empty chunked body: %s", o.error);
    expect_error(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"), "malformed chunk size");
    expect_error(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n"), "malformed chunk size");
    expect_error(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5x\r\nhello\r\n"), "malformed chunk size");
    expect_error(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n"), "malformed chunk size");
    expect_error(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffffffff\r\n"),
                 "CTLI_HTTP_BODY_MAX");
    expect_error(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n600001\r\n"), "CTLI_HTTP_BODY_MAX");
    expect_error(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n"),
                 "not followed by CRLF");
    expect_error(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"), "only chunked");
    expect_error(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"),
                 "both Content-Length and Transfer-Encoding");
}

static void test_connection(void)
{
    outcome o = every_split(S("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx"), false);
    CHECK(o.result == CTLI_HTTP_DONE && !o.keep_alive, "Connection: close kept alive");
    o = every_split(S("HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 1\r\n\r\nx"), false);
    CHECK(o.result == CTLI_HTTP_DONE && !o.keep_alive, "Connection: keep-alive, Close kept alive");
    o = every_split(S("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx"), false);
    CHECK(o.result == CTLI_HTTP_DONE && !o.keep_alive, "HTTP/1.0 kept alive");
    o = every_split(S("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx"), false);
    CHECK(o.result == CTLI_HTTP_DONE && o.keep_alive, "HTTP/1.0 with keep-alive closed");
    /* No length: the body runs to the close, and the connection ends. */
    const char r[] = "HTTP/1.1 200 OK\r\nX: y\r\n\r\nto the end";
    o = every_split(S(r), true);
    CHECK(o.result == CTLI_HTTP_DONE && !o.keep_alive && o.body_len == 10, "body to the close: %s", o.error);
    o = every_split(S(r), false);
    CHECK(o.result == CTLI_HTTP_MORE, "a body to the close ended before the close");
    /* 204 has no body; 100 Continue comes before the response. */
    o = every_split(S("HTTP/1.1 204 No Content\r\n\r\n"), false);
    CHECK(o.result == CTLI_HTTP_DONE && o.status == 204, "204: %s", o.error);
    o = every_split(S("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\nok"), false);
    CHECK(o.result == CTLI_HTTP_DONE && o.status == 202 && o.body_len == 2, "100 then 202: %d %s", o.status,
          o.error);
}

static void test_status_line(void)
{
    expect_error(S("HTTP/2 200 OK\r\n\r\n"), "malformed status line 'HTTP/2 200 OK'");
    expect_error(S("HTTP/1.1 20 OK\r\n\r\n"), "malformed status line");
    expect_error(S("HTTP/1.1 200OK\r\n\r\n"), "malformed status line");
    expect_error(S("HTTP/1.1 099 Low\r\n\r\n"), "malformed status line");
    expect_error(S("\r\n"), "malformed status line");
    expect_error(S("SSH-2.0-OpenSSH\r\n"), "malformed status line 'SSH-2.0-OpenSSH'");
    outcome o = every_split(S("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"), false);
    CHECK(o.result == CTLI_HTTP_DONE && o.status == 404, "404: %d", o.status);
}

static void test_headers(void)
{
    expect_error(S("HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n"), "malformed header line 'No colon here'");
    expect_error(S("HTTP/1.1 200 OK\r\n: empty name\r\n\r\n"), "malformed header line");
    expect_error(S("HTTP/1.1 200 OK\r\nName : v\r\n\r\n"), "malformed header line");
    expect_error(S("HTTP/1.1 200 OK\r\nA: b\r\n  folded\r\n\r\n"), "obsolete line folding");
    expect_error(S("HTTP/1.1 200 OK\r\nA: b\x00" "c\r\n\r\n"), "control byte (0x00)");
    expect_error(S("HTTP/1.1 200 OK\r\nA: b\rc\r\n\r\n"), "control byte (0x0d)");
    expect_error(S("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n"), "Content-Length '1x' is not a number");
    expect_error(S("HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n"), "is not a number");
    expect_error(S("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n"), "disagree");
    expect_error(S("HTTP/1.1 200 OK\r\nContent-Length: 6291457\r\n\r\n"), "CTLI_HTTP_BODY_MAX");
    expect_error(S("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999999\r\n\r\n"), "CTLI_HTTP_BODY_MAX");
    refuse_name = "Bad";
    expect_error(S("HTTP/1.1 200 OK\r\nBad: x\r\n\r\n"), "refused by the callback");
    refuse_name = NULL;
}

static void test_limits(void)
{
    static char r[200000];
    /* A line of CTLI_HTTP_LINE_MAX bytes is taken, one more is not. */
    for (int extra = 0; extra < 2; extra++) {
        int n = snprintf(r, sizeof r, "HTTP/1.1 200 OK\r\nX: ");
        while (n < 17 + CTLI_HTTP_LINE_MAX - 2 + extra)
            r[n++] = 'a';
        n += snprintf(r + n, sizeof r - (size_t)n, "\r\nContent-Length: 0\r\n\r\n");
        outcome o = parse(r, (size_t)n, 0, 0, true);
        if (extra)
            CHECK(o.result == CTLI_HTTP_ERROR && strstr(o.error, "longer than 8192 bytes (CTLI_HTTP_LINE_MAX)"),
                  "a line too long: %s", o.error);
        else
            CHECK(o.result == CTLI_HTTP_DONE, "a line of the most bytes: %s", o.error);
    }
    /* CTLI_HTTP_HEADERS_MAX header lines are taken, one more is not. */
    for (int extra = 0; extra < 2; extra++) {
        int n = snprintf(r, sizeof r, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n");
        for (int i = 1; i < CTLI_HTTP_HEADERS_MAX + extra; i++)
            n += snprintf(r + n, sizeof r - (size_t)n, "H%d: v\r\n", i);
        n += snprintf(r + n, sizeof r - (size_t)n, "\r\n");
        outcome o = parse(r, (size_t)n, 0, 0, true);
        if (extra)
            CHECK(o.result == CTLI_HTTP_ERROR && strstr(o.error, "more than 100 header lines (CTLI_HTTP_HEADERS_MAX)"),
                  "too many headers: %s", o.error);
        else
            CHECK(o.result == CTLI_HTTP_DONE, "the most headers: %s", o.error);
    }
    /* Nine lines of 8000 bytes: each under the line cap, all over the head's. */
    int n = snprintf(r, sizeof r, "HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < 9; i++) {
        n += snprintf(r + n, sizeof r - (size_t)n, "H%d: ", i);
        memset(r + n, 'v', 7990);
        n += 7990;
        n += snprintf(r + n, sizeof r - (size_t)n, "\r\n");
    }
    n += snprintf(r + n, sizeof r - (size_t)n, "\r\n");
    outcome o = parse(r, (size_t)n, 0, 0, true);
    CHECK(o.result == CTLI_HTTP_ERROR && strstr(o.error, "larger than 65536 bytes (CTLI_HTTP_HEAD_MAX)"),
          "a head too large: %s", o.error);
    /* Trailers too. */
    n = snprintf(r, sizeof r, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n");
    for (int i = 0; i <= CTLI_HTTP_HEADERS_MAX; i++)
        n += snprintf(r + n, sizeof r - (size_t)n, "T%d: v\r\n", i);
    o = parse(r, (size_t)n, 0, 0, true);
    CHECK(o.result == CTLI_HTTP_ERROR && strstr(o.error, "trailer lines (CTLI_HTTP_HEADERS_MAX)"),
          "too many trailers: %s", o.error);

    /* Bodies: exactly the most is taken, one byte more is not, whatever the
     * framing. */
    size_t max = CTLI_HTTP_BODY_MAX;
    char *big = malloc(max + 200);
    for (int extra = 0; extra < 2; extra++) {
        for (int framing = 0; framing < 3; framing++) {
            size_t len = max + (size_t)extra;
            int h = framing == 0   ? snprintf(big, 200, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n", len)
                    : framing == 1 ? snprintf(big, 200, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                                        "%zx\r\n", len - 1)
                                   : snprintf(big, 200, "HTTP/1.1 200 OK\r\n\r\n");
            memset(big + h, 'b', framing == 1 ? len - 1 : len);
            size_t total = (size_t)h + (framing == 1 ? len - 1 : len);
            if (framing == 1)
                total += (size_t)snprintf(big + total, 200, "\r\n1\r\nb\r\n0\r\n\r\n");
            ctl_buf body = CTL_BUF_INIT;
            ctli_http_parser *p = malloc(sizeof *p);
            ctli_http_parser_init(p, &body, NULL, NULL);
            size_t used;
            ctli_http_result res = ctli_http_parse(p, big, total, &used);
            if (res == CTLI_HTTP_MORE)
                res = ctli_http_parse_eof(p);
            if (extra)
                CHECK(res == CTLI_HTTP_ERROR && strstr(p->error, "CTLI_HTTP_BODY_MAX"),
                      "framing %d: a body of the most bytes and one: %d %s", framing, (int)res, p->error);
            else
                CHECK(res == CTLI_HTTP_DONE && body.len == max, "framing %d: a body of the most bytes: %d %s",
                      framing, (int)res, p->error);
            ctl_buf_free(&body);
            free(p);
        }
    }
    free(big);
}

/* Every prefix of a response, then the end of the connection: refused,
 * saying where (or CLOSED for nothing at all). */
static void test_truncated(void)
{
    const char *whole[] = {
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\nT: v\r\n\r\n",
    };
    for (size_t w = 0; w < 2; w++) {
        size_t n = strlen(whole[w]);
        for (size_t k = 0; k < n; k++) {
            outcome o = parse(whole[w], k, 0, 0, true);
            if (k == 0)
                CHECK(o.result == CTLI_HTTP_CLOSED, "nothing, then the end: %d", (int)o.result);
            else
                CHECK(o.result == CTLI_HTTP_ERROR && strstr(o.error, "the connection closed"),
                      "%zu bytes of %zu, then the end: %d %s", k, n, (int)o.result, o.error);
        }
        outcome o = parse(whole[w], n, 0, 0, true);
        CHECK(o.result == CTLI_HTTP_DONE, "whole: %s", o.error);
    }
    outcome o = parse(S("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel"), 0, 0, true);
    CHECK(strstr(o.error, "after 3 bytes of a body of 5"), "where: %s", o.error);
}

int main(void)
{
    test_content_length();
    test_chunked();
    test_connection();
    test_status_line();
    test_headers();
    test_limits();
    test_truncated();
    if (failures) {
        fprintf(stderr, "%d checks failed\n", failures);
        return 1;
    }
    printf("http_response: ok\n");
    return 0;
}
