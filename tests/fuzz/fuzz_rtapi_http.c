/* fuzz_rtapi_http.c: libFuzzer target for the response parser of the
 * Runtime API client (ctli_http_parse, runtime/src/lambda/http_response.c).
 *
 * Input: byte 0 is the size of the pieces the rest is fed in (0: all at
 * once; n: n bytes a call); the rest is what the peer sent, then the
 * connection ends. The rest is parsed twice, whole and in pieces.
 * Invariants, beyond no crash, leak or sanitizer report:
 *   - both parses end alike: the same result, status, keep-alive verdict,
 *     body bytes and error text, and, unless they failed, the same number
 *     of bytes taken (no more than given);
 *   - the end of the connection leaves no parse wanting more;
 *   - a body is never larger than CTLI_HTTP_BODY_MAX; a whole response
 *     has a final status (200 to 999);
 *   - an error says something;
 *   - each header given to the callback has a name of tchars, and a value
 *     with no control byte but HTAB, not starting or ending with a blank. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lambda/http_response.h"

static void fail(const char *what)
{
    fprintf(stderr, "==rtapi_http_check== %s\n", what);
    abort();
}

static const char *check_header(void *user, const char *name, size_t nl, const char *value, size_t vl)
{
    (void)user;
    if (!nl)
        fail("a header without a name");
    for (size_t i = 0; i < nl; i++)
        if ((unsigned char)name[i] <= 0x20 || (unsigned char)name[i] >= 0x7f || name[i] == ':')
            fail("a header name with a byte that is not a tchar");
    for (size_t i = 0; i < vl; i++)
        if (((unsigned char)value[i] < 0x20 && value[i] != '\t') || value[i] == 0x7f)
            fail("a header value with a control byte");
    if (vl && (value[0] == ' ' || value[0] == '\t' || value[vl - 1] == ' ' || value[vl - 1] == '\t'))
        fail("a header value with blanks around it");
    return NULL;
}

typedef struct outcome {
    ctli_http_result result;
    int status;
    bool keep_alive;
    size_t used;
    ctl_buf body;
    char error[256];
} outcome;

static void parse(const uint8_t *data, size_t size, size_t piece, outcome *o)
{
    static ctli_http_parser p; /* 8 KiB: not on the stack each run */
    memset(o, 0, sizeof *o);
    ctli_http_parser_init(&p, &o->body, check_header, NULL);
    size_t at = 0;
    ctli_http_result r = CTLI_HTTP_MORE;
    while (at < size && r == CTLI_HTTP_MORE) {
        size_t k = piece && piece < size - at ? piece : size - at, used = 0;
        r = ctli_http_parse(&p, (const char *)data + at, k, &used);
        if (used > k || (r == CTLI_HTTP_MORE && used != k))
            fail("took more bytes than given, or fewer while wanting more");
        at += used;
    }
    if (r == CTLI_HTTP_MORE)
        r = ctli_http_parse_eof(&p);
    if (r == CTLI_HTTP_MORE)
        fail("wants more after the end of the connection");
    if (o->body.len > CTLI_HTTP_BODY_MAX)
        fail("a body larger than CTLI_HTTP_BODY_MAX");
    if (r == CTLI_HTTP_DONE && (p.status < 200 || p.status > 999))
        fail("a whole response without a final status");
    if (r == CTLI_HTTP_ERROR && (!p.error[0] || !memchr(p.error, '\0', sizeof p.error)))
        fail("an error that says nothing");
    o->result = r;
    o->status = p.status;
    o->keep_alive = p.keep_alive;
    o->used = at;
    memcpy(o->error, p.error, sizeof o->error);
    if (r != CTLI_HTTP_ERROR)
        o->error[0] = '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t piece = data[0];
    outcome whole, pieces;
    parse(data + 1, size - 1, 0, &whole);
    parse(data + 1, size - 1, piece, &pieces);
    if (whole.result != pieces.result || whole.status != pieces.status || whole.keep_alive != pieces.keep_alive ||
        strcmp(whole.error, pieces.error) != 0)
        fail("whole and in pieces end differently");
    if (whole.result != CTLI_HTTP_ERROR &&
        (whole.used != pieces.used || whole.body.len != pieces.body.len ||
         (whole.body.len && memcmp(whole.body.data, pieces.body.data, whole.body.len) != 0)))
        fail("whole and in pieces take different bytes or bodies");
    ctl_buf_free(&whole.body);
    ctl_buf_free(&pieces.body);
    return 0;
}
