/* lsp_rpc.c: LSP's base protocol and JSON-RPC 2.0 framing; see lsp_rpc.h. */
#include "lsp_rpc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"

#define JSONRPC "2.0"

static void say(char *why, size_t size, const char *fmt, ...) CTLC_PRINTF(3, 4);
static void say(char *why, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, size, fmt, ap);
    va_end(ap);
}

/* Reads one header line into line (its end, "\r\n" or "\n", dropped).
 * Returns its length, -1 at EOF before any byte, -2 when it is longer
 * than CTLC_RPC_MAX_HEADER_LINE (the rest of it is consumed). */
static long read_line(FILE *in, char *line)
{
    long n = 0;
    bool any = false, too_long = false;
    int c;
    while ((c = getc(in)) != EOF) {
        any = true;
        if (c == '\n')
            break;
        if (n < CTLC_RPC_MAX_HEADER_LINE)
            line[n++] = (char)c;
        else
            too_long = true;
    }
    if (!any)
        return -1;
    if (too_long)
        return -2;
    if (n > 0 && line[n - 1] == '\r')
        n--;
    line[n] = '\0';
    return n;
}

/* Skips the rest of a header block, up to and including its empty line.
 * Returns false at EOF. */
static bool skip_headers(FILE *in)
{
    char line[CTLC_RPC_MAX_HEADER_LINE + 1];
    for (;;) {
        long n = read_line(in, line);
        if (n == -1)
            return false;
        if (n == 0)
            return true;
    }
}

/* Discards n bytes of input. Returns false at EOF. */
static bool skip_bytes(FILE *in, size_t n)
{
    char buf[8192];
    while (n) {
        size_t want = n < sizeof buf ? n : sizeof buf;
        size_t got = fread(buf, 1, want, in);
        n -= got;
        if (got < want)
            return false;
    }
    return true;
}

/* Parses a Content-Length value: decimal digits only. */
static bool parse_length(const char *s, size_t *len)
{
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s < '0' || *s > '9')
        return false;
    size_t v = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (v > (SIZE_MAX - 9) / 10)
            v = SIZE_MAX; /* saturates: past the cap anyway */
        else
            v = v * 10 + (size_t)(*s - '0');
    }
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s)
        return false;
    *len = v;
    return true;
}

/* Reads len bytes into a malloc'd, NUL-terminated buffer, growing it as
 * the bytes arrive so that a length the peer does not send costs nothing.
 * NULL at EOF (or when memory runs out: *nomem). */
static char *read_body(FILE *in, size_t len, bool *nomem)
{
    size_t cap = len < 65536 ? len + 1 : 65536, have = 0;
    char *buf = malloc(cap);
    *nomem = !buf;
    while (buf && have < len) {
        if (have == cap - 1) {
            size_t bigger = cap * 2 > len + 1 ? len + 1 : cap * 2;
            char *grown = realloc(buf, bigger);
            if (!grown) {
                *nomem = true;
                skip_bytes(in, len - have);
                free(buf);
                return NULL;
            }
            buf = grown;
            cap = bigger;
        }
        size_t got = fread(buf + have, 1, cap - 1 - have, in);
        have += got;
        if (got == 0) {
            free(buf);
            return NULL;
        }
    }
    if (buf)
        buf[len] = '\0';
    return buf;
}

/* The byte offset of the first invalid UTF-8 sequence in s, or len. */
static size_t utf8_valid_prefix(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        size_t n = ctlc_utf8_len(p + i, len - i);
        if (n == 0)
            return i;
        i += n;
    }
    return len;
}

/* An upper bound on the values of the JSON text s: one for the text, one
 * more for each ',' and each '[' or '{' outside strings. */
static size_t count_values(const char *s, size_t len)
{
    size_t n = 1;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == ',' || c == '[' || c == '{') {
            n++;
        }
    }
    return n;
}

ctlc_rpc_read_status ctlc_rpc_read(ctlc_rpc *rpc, cJSON **msg, cJSON **id, int *code, char *why, size_t why_size)
{
    *msg = NULL;
    *id = NULL;
    *code = 0;
    why[0] = '\0';
    if (rpc->skip) {
        size_t n = rpc->skip;
        rpc->skip = 0;
        if (!skip_bytes(rpc->in, n))
            return CTLC_RPC_EOF;
    }
    char line[CTLC_RPC_MAX_HEADER_LINE + 1];
    bool have_length = false;
    size_t len = 0;
    int nlines = 0;
    for (;;) {
        long n = read_line(rpc->in, line);
        if (n == -1)
            return CTLC_RPC_EOF;
        if (n == 0) {
            if (nlines == 0)
                continue; /* blank lines between frames are tolerated */
            break;
        }
        if (n == -2 || ++nlines > CTLC_RPC_MAX_HEADERS) {
            *code = CTLC_RPC_PARSE_ERROR;
            if (n == -2)
                say(why, why_size, "header line longer than %d bytes", CTLC_RPC_MAX_HEADER_LINE);
            else
                say(why, why_size, "more than %d header lines", CTLC_RPC_MAX_HEADERS);
            return skip_headers(rpc->in) ? CTLC_RPC_BAD : CTLC_RPC_EOF;
        }
        char *colon = strchr(line, ':');
        if (!colon || colon == line || memchr(line, '\0', (size_t)n)) {
            *code = CTLC_RPC_PARSE_ERROR;
            say(why, why_size, "malformed header line (no 'Name: value')");
            return skip_headers(rpc->in) ? CTLC_RPC_BAD : CTLC_RPC_EOF;
        }
        *colon = '\0';
        if (strcasecmp(line, "Content-Length") == 0) {
            if (have_length || !parse_length(colon + 1, &len)) {
                *code = CTLC_RPC_PARSE_ERROR;
                say(why, why_size, have_length ? "Content-Length given twice" : "Content-Length is not a number");
                return skip_headers(rpc->in) ? CTLC_RPC_BAD : CTLC_RPC_EOF;
            }
            have_length = true;
        }
        /* Content-Type and other headers are ignored: the body is UTF-8 JSON. */
    }
    if (!have_length) {
        *code = CTLC_RPC_PARSE_ERROR;
        say(why, why_size, "frame without a Content-Length header");
        return CTLC_RPC_BAD;
    }
    if (len > CTLC_RPC_MAX_MESSAGE) {
        *code = CTLC_RPC_PARSE_ERROR;
        say(why, why_size, "message of %zu bytes is over the limit of %zu bytes (CTLC_RPC_MAX_MESSAGE)", len,
            CTLC_RPC_MAX_MESSAGE);
        rpc->skip = len; /* discarded by the next read, once the error is answered */
        return CTLC_RPC_BAD;
    }
    bool nomem;
    char *body = read_body(rpc->in, len, &nomem);
    if (!body) {
        if (!nomem)
            return CTLC_RPC_EOF;
        *code = CTLC_RPC_INTERNAL_ERROR;
        say(why, why_size, "out of memory reading a message of %zu bytes", len);
        return CTLC_RPC_BAD;
    }
    size_t valid = utf8_valid_prefix(body, len);
    if (valid < len) {
        free(body);
        *code = CTLC_RPC_PARSE_ERROR;
        say(why, why_size, "message is not valid UTF-8 (byte %zu)", valid);
        return CTLC_RPC_BAD;
    }
    if (count_values(body, len) > CTLC_RPC_MAX_VALUES) {
        free(body);
        *code = CTLC_RPC_INVALID_REQUEST;
        say(why, why_size, "message of more than %zu JSON values (CTLC_RPC_MAX_VALUES)", CTLC_RPC_MAX_VALUES);
        return CTLC_RPC_BAD;
    }
    cJSON *json = cJSON_ParseWithLength(body, len);
    free(body);
    if (!json) {
        *code = CTLC_RPC_PARSE_ERROR;
        say(why, why_size, "message is not JSON");
        return CTLC_RPC_BAD;
    }
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(json, "jsonrpc");
    const cJSON *the_id = cJSON_IsObject(json) ? cJSON_GetObjectItemCaseSensitive(json, "id") : NULL;
    const cJSON *method = cJSON_IsObject(json) ? cJSON_GetObjectItemCaseSensitive(json, "method") : NULL;
    const char *bad = NULL;
    if (!cJSON_IsObject(json))
        bad = "message is not a JSON object";
    else if (!cJSON_IsString(ver) || strcmp(ver->valuestring, JSONRPC) != 0)
        bad = "message without \"jsonrpc\": \"2.0\"";
    else if (the_id && !cJSON_IsString(the_id) && !cJSON_IsNumber(the_id) && !cJSON_IsNull(the_id))
        bad = "\"id\" is neither a number nor a string";
    else if (method && !cJSON_IsString(method))
        bad = "\"method\" is not a string";
    if (bad) {
        if (the_id && (cJSON_IsString(the_id) || cJSON_IsNumber(the_id)))
            *id = cJSON_Duplicate(the_id, true);
        cJSON_Delete(json);
        *code = CTLC_RPC_INVALID_REQUEST;
        say(why, why_size, "%s", bad);
        return CTLC_RPC_BAD;
    }
    *msg = json;
    return CTLC_RPC_MESSAGE;
}

/* text (malloc'd, NUL-terminated) with each byte that is not part of a
 * valid UTF-8 sequence replaced by U+FFFD; such bytes can only be inside
 * strings (a path from a URI's %FF, a message cut at a byte limit), so
 * the JSON stays JSON. Returns the new text (text freed), or NULL. */
static char *repair_utf8(char *text, size_t *len)
{
    size_t valid = utf8_valid_prefix(text, *len);
    if (valid == *len)
        return text;
    char *out = malloc(*len * 3 + 1);
    if (!out) {
        free(text);
        return NULL;
    }
    size_t n = 0;
    for (size_t i = 0; i < *len;) {
        size_t k = ctlc_utf8_len((const unsigned char *)text + i, *len - i);
        if (k) {
            memcpy(out + n, text + i, k);
            n += k;
            i += k;
        } else {
            memcpy(out + n, "\xef\xbf\xbd", 3);
            n += 3;
            i++;
        }
    }
    out[n] = '\0';
    free(text);
    *len = n;
    return out;
}

bool ctlc_rpc_write(ctlc_rpc *rpc, const cJSON *msg)
{
    char *text = cJSON_PrintUnformatted(msg);
    if (!text)
        return false;
    size_t len = strlen(text);
    text = repair_utf8(text, &len);
    if (!text)
        return false;
    bool ok = fprintf(rpc->out, "Content-Length: %zu\r\n\r\n", len) > 0 && fwrite(text, 1, len, rpc->out) == len &&
              fflush(rpc->out) == 0;
    free(text);
    return ok;
}

/* A message with "jsonrpc" set, or NULL when memory ran out. */
static cJSON *envelope(void)
{
    cJSON *m = cJSON_CreateObject();
    if (m && !cJSON_AddStringToObject(m, "jsonrpc", JSONRPC)) {
        cJSON_Delete(m);
        return NULL;
    }
    return m;
}

/* Adds a copy of id, or null. */
static bool add_id(cJSON *m, const cJSON *id)
{
    cJSON *copy = id ? cJSON_Duplicate(id, true) : cJSON_CreateNull();
    return copy && cJSON_AddItemToObject(m, "id", copy);
}

/* Writes m and frees it, and what it took. */
static bool send_and_free(ctlc_rpc *rpc, cJSON *m, bool built)
{
    bool ok = built && ctlc_rpc_write(rpc, m);
    cJSON_Delete(m);
    return ok;
}

bool ctlc_rpc_result(ctlc_rpc *rpc, const cJSON *id, cJSON *result)
{
    cJSON *m = envelope();
    if (!result)
        result = cJSON_CreateNull();
    if (!m || !result) {
        cJSON_Delete(m);
        cJSON_Delete(result);
        return false;
    }
    bool built = add_id(m, id);
    if (!cJSON_AddItemToObject(m, "result", result)) {
        cJSON_Delete(result);
        built = false;
    }
    return send_and_free(rpc, m, built);
}

bool ctlc_rpc_error(ctlc_rpc *rpc, const cJSON *id, int code, const char *message)
{
    cJSON *m = envelope();
    if (!m)
        return false;
    bool built = add_id(m, id);
    cJSON *err = cJSON_AddObjectToObject(m, "error");
    built = built && err && cJSON_AddNumberToObject(err, "code", code) && cJSON_AddStringToObject(err, "message", message);
    return send_and_free(rpc, m, built);
}

bool ctlc_rpc_notify(ctlc_rpc *rpc, const char *method, cJSON *params)
{
    cJSON *m = envelope();
    if (!m || !params) {
        cJSON_Delete(m);
        cJSON_Delete(params);
        return false;
    }
    bool built = cJSON_AddStringToObject(m, "method", method) != NULL;
    if (!cJSON_AddItemToObject(m, "params", params)) {
        cJSON_Delete(params);
        built = false;
    }
    return send_and_free(rpc, m, built);
}
