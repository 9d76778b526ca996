/* botocore_test.c: ctli_sigv4_sign against botocore on Lambda Invoke
 * requests. Usage: sigv4_botocore CORPUS.jsonl, the file that
 * botocore_corpus.py writes (format in README.md).
 *
 * For each request: sign the headers botocore signed (its SignedHeaders;
 * which headers to sign is the transport's choice, the computation is
 * what is checked here), with the path and query exactly as botocore put
 * them on the wire and path normalization on (botocore normalizes every
 * service's path but S3's), and require the identical Authorization value;
 * the same for the CRT signer's value when the corpus has one. Then
 * ctli_sigv4_verify must accept botocore's Authorization, with and without
 * the region given, and refuse it for a payload with one byte changed.
 *
 * With --bench ROUNDS (for tests/bench/sigv4_bench.sh, never in a test) it
 * also times ROUNDS signatures of each request and prints the mean. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "lambda/sigv4.h"
#include "testutil.h"

#define MAX_HEADERS 32

static long bench_rounds;
static double bench_ns;
static long bench_signs;

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int b64val(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decodes standard base64 (with padding) into a malloc'd buffer; NULL when
 * malformed. */
static unsigned char *b64decode(const char *s, size_t *len)
{
    size_t n = strlen(s);
    unsigned char *out = malloc(n / 4 * 3 + 1);
    size_t o = 0;
    if (!out || n % 4) {
        free(out);
        return NULL;
    }
    for (size_t i = 0; i < n; i += 4) {
        int v[4];
        for (int k = 0; k < 4; k++)
            v[k] = s[i + k] == '=' && i + 4 == n && k >= 2 ? 0 : b64val((unsigned char)s[i + k]);
        if (v[0] < 0 || v[1] < 0 || v[2] < 0 || v[3] < 0) {
            free(out);
            return NULL;
        }
        unsigned long w = (unsigned long)v[0] << 18 | (unsigned long)v[1] << 12 | (unsigned long)v[2] << 6 |
                          (unsigned long)v[3];
        out[o++] = (unsigned char)(w >> 16);
        if (s[i + 2] != '=')
            out[o++] = (unsigned char)(w >> 8);
        if (s[i + 3] != '=')
            out[o++] = (unsigned char)w;
    }
    *len = o;
    return out;
}

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool listed(const cJSON *names, const char *name)
{
    const cJSON *n;
    cJSON_ArrayForEach(n, names) if (cJSON_IsString(n) && !strcasecmp(n->valuestring, name)) return true;
    return false;
}

/* Checks one record; returns false when it does not agree. */
static bool check_record(const cJSON *rec, long line)
{
    int before = failures;
    const cJSON *creds_j = cJSON_GetObjectItemCaseSensitive(rec, "creds");
    const cJSON *hdrs = cJSON_GetObjectItemCaseSensitive(rec, "headers");
    const cJSON *signed_names = cJSON_GetObjectItemCaseSensitive(rec, "signed_headers");
    const char *want = str(rec, "authorization"), *want_crt = str(rec, "authorization_crt");
    const char *body_b64 = str(rec, "body");
    size_t body_len = 0;
    unsigned char *body = body_b64 ? b64decode(body_b64, &body_len) : NULL;
    CHECK(creds_j && cJSON_IsArray(hdrs) && cJSON_IsArray(signed_names) && want && body, "line %ld: malformed record",
          line);
    if (failures != before) {
        free(body);
        return false;
    }
    ctli_sigv4_creds creds = {str(creds_j, "access_key_id"), str(creds_j, "secret_access_key"),
                             str(creds_j, "session_token")};
    ctli_sigv4_header headers[MAX_HEADERS];
    size_t nh = 0;
    const cJSON *h;
    cJSON_ArrayForEach(h, hdrs)
    {
        const char *name = cJSON_GetArrayItem(h, 0) ? cJSON_GetArrayItem(h, 0)->valuestring : NULL;
        const char *value = cJSON_GetArrayItem(h, 1) ? cJSON_GetArrayItem(h, 1)->valuestring : NULL;
        if (name && value && nh < MAX_HEADERS && listed(signed_names, name))
            headers[nh++] = (ctli_sigv4_header){name, value};
    }
    ctli_sigv4_request r = {
        .method = str(rec, "method"), .path = str(rec, "path"), .query = str(rec, "query"), .headers = headers,
        .nheaders = nh, .payload = body, .payload_len = body_len, .region = str(rec, "region"),
        .service = str(rec, "service"), .amz_date = str(rec, "amz_date"), .normalize_path = true,
    };
    char auth[CTLI_SIGV4_AUTH_MAX], why[256];
    int rc = ctli_sigv4_sign(&r, &creds, auth, sizeof auth);
    CHECK(rc == 0 && !strcmp(auth, want), "line %ld (%s): botocore\n  %s\nctl\n  %s", line,
          str(rec, "function_name"), want, rc ? "(error)" : auth);
    if (want_crt)
        CHECK(rc == 0 && !strcmp(auth, want_crt), "line %ld: CRT signer\n  %s\nctl\n  %s", line, want_crt,
              rc ? "(error)" : auth);
    CHECK(ctli_sigv4_verify(&r, want, &creds, why, sizeof why) == 0, "line %ld: verify: %s", line, why);
    ctli_sigv4_request any_region = r;
    any_region.region = NULL;
    any_region.service = NULL;
    CHECK(ctli_sigv4_verify(&any_region, want, &creds, why, sizeof why) == 0, "line %ld: verify (any region): %s",
          line, why);
    if (rc == 0 && bench_rounds > 0) {
        double t0 = now_ns();
        for (long i = 0; i < bench_rounds; i++)
            rc |= ctli_sigv4_sign(&r, &creds, auth, sizeof auth);
        bench_ns += now_ns() - t0;
        bench_signs += bench_rounds;
        CHECK(rc == 0, "line %ld: signing failed while timing", line);
    }
    if (body_len) {
        body[body_len / 2] ^= 1;
        CHECK(ctli_sigv4_verify(&r, want, &creds, why, sizeof why) == -1 && !strcmp(why, "signature does not match"),
              "line %ld: verify accepted a changed payload", line);
    }
    free(body);
    return failures == before;
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[2], "--bench"))
        bench_rounds = atol(argv[3]);
    if ((argc != 2 && argc != 4) || (argc == 4 && bench_rounds <= 0)) {
        fprintf(stderr, "usage: %s CORPUS.jsonl [--bench ROUNDS]\n", argv[0]);
        return 2;
    }
    char *text = read_file(argv[1], NULL);
    if (!text) {
        fprintf(stderr, "FAIL: cannot read %s\n", argv[1]);
        return 1;
    }
    long line = 0, total = 0, agreed = 0, with_crt = 0;
    for (char *p = text, *nl; *p; p = nl ? nl + 1 : p + strlen(p)) {
        nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        line++;
        if (!*p)
            continue;
        cJSON *rec = cJSON_Parse(p);
        CHECK(rec, "line %ld: not JSON", line);
        if (!rec)
            continue;
        total++;
        with_crt += str(rec, "authorization_crt") != NULL;
        agreed += check_record(rec, line);
        cJSON_Delete(rec);
    }
    free(text);
    printf("botocore corpus %s: %ld requests, %ld agree (%ld also checked against the CRT signer), %d checks, "
           "%d failed\n",
           argv[1], total, agreed, with_crt, checks, failures);
    if (bench_signs)
        printf("bench: ctli_sigv4_sign %.2f us per request (%ld signatures)\n", bench_ns / 1e3 / (double)bench_signs,
               bench_signs);
    if (total < 300) {
        fprintf(stderr, "FAIL: fewer than 300 requests in the corpus\n");
        return 1;
    }
    return failures ? 1 : 0;
}
