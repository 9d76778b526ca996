/* fuzz_lsp.c: libFuzzer target for `ctlc lsp` (gen/lsp.c, gen/lsp_rpc.c).
 *
 * The input is the server's whole standard input, in one of two forms:
 *   - starting "RAW\n": the rest as it is, frames and all, for the base
 *     protocol's reader (headers, lengths, truncation);
 *   - otherwise: message bodies separated by "\n--\n", each sent in a
 *     frame with its true Content-Length, so that mutations reach the
 *     JSON-RPC and LSP layers (initialize, didOpen of a spec, hover...).
 * The server's output goes to memory and is checked afterwards: it must be
 * a sequence of well-formed frames, each UTF-8 and a JSON object with
 * "jsonrpc": "2.0". Any crash, leak, sanitizer report, hang or broken invariant is a
 * bug. Imports in inputs resolve against the working folder (run.sh runs
 * in an empty one). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ctlc.h"

static const char SEPARATOR[] = "\n--\n";

static void violated(const char *what, const char *text, size_t len)
{
    fprintf(stderr, "\n==fuzz_lsp== INVARIANT VIOLATED: %s\n%.*s\n", what, (int)(len > 2000 ? 2000 : len), text);
    abort();
}

/* The input as the server's stdin (malloc'd, *len bytes). */
static char *stdin_bytes(const uint8_t *data, size_t size, size_t *len)
{
    if (size >= 4 && memcmp(data, "RAW\n", 4) == 0) {
        *len = size - 4;
        char *raw = malloc(*len + 1);
        if (raw)
            memcpy(raw, data + 4, *len);
        return raw;
    }
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    if (!f)
        return NULL;
    const char *p = (const char *)data, *end = p + size;
    while (p <= end) {
        const char *sep = p;
        while (sep + sizeof SEPARATOR - 1 <= end && memcmp(sep, SEPARATOR, sizeof SEPARATOR - 1) != 0)
            sep++;
        if (sep + sizeof SEPARATOR - 1 > end)
            sep = end;
        fprintf(f, "Content-Length: %zu\r\n\r\n", (size_t)(sep - p));
        fwrite(p, 1, (size_t)(sep - p), f);
        p = sep + sizeof SEPARATOR - 1;
    }
    fclose(f);
    *len = n;
    return text;
}

/* Every frame of the output is whole and holds a JSON-RPC object. */
static void check_output(const char *out, size_t len)
{
    size_t at = 0;
    while (at < len) {
        size_t n;
        int used;
        if (sscanf(out + at, "Content-Length: %zu\r\n\r\n%n", &n, &used) != 1 || used <= 0)
            violated("an output frame without its header", out + at, len - at);
        at += (size_t)used;
        if (n > len - at)
            violated("an output frame shorter than its Content-Length", out, len);
        for (size_t i = at; i < at + n;) {
            size_t k = ctlc_utf8_len((const unsigned char *)out + i, at + n - i);
            if (!k)
                violated("an output frame that is not UTF-8", out + at, n);
            i += k;
        }
        cJSON *msg = cJSON_ParseWithLength(out + at, n);
        const cJSON *ver = cJSON_GetObjectItemCaseSensitive(msg, "jsonrpc");
        if (!cJSON_IsObject(msg) || !cJSON_IsString(ver) || strcmp(ver->valuestring, "2.0") != 0)
            violated("an output frame that is not a JSON-RPC message", out + at, n);
        cJSON_Delete(msg);
        at += n;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t len;
    char *input = stdin_bytes(data, size, &len);
    if (!input)
        return 0;
    char *output = NULL;
    size_t output_len = 0;
    FILE *in = len ? fmemopen(input, len, "r") : fopen("/dev/null", "r");
    FILE *out = open_memstream(&output, &output_len);
    if (in && out)
        ctlc_lsp(in, out, NULL, 0);
    if (in)
        fclose(in);
    if (out) {
        fclose(out);
        check_output(output, output_len);
    }
    free(output);
    free(input);
    return 0;
}
