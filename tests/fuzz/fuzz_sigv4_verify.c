/* fuzz_sigv4_verify.c: libFuzzer target for ctli_sigv4_verify's parser and
 * the canonical forms behind it.
 *
 * Input: "AUTHORIZATION\nPATH\nQUERY" (missing parts are empty). The
 * request is a Lambda Invoke with that path and query. Invariants, beyond
 * no crash, leak or sanitizer report:
 *   - verify accepts only the Authorization ctli_sigv4_sign gives for the
 *     request, give or take spaces and tabs; when sign refuses the request,
 *     verify refuses too;
 *   - a refusal has a non-empty reason without the secret or the token;
 *   - the canonical path and query lines hold only unreserved bytes, '/',
 *     '=', '&' and '%' followed by two upper-case hex digits. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lambda/sigv4.h"

#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define TOKEN "FwoGZXIvYXdzEXAMPLETOKEN"

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "==sigv4_check== %s: %s\n", what, detail);
    abort();
}

static void squeeze(const char *s, char *out)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t')
            *out++ = *s;
    *out = '\0';
}

/* Only what RFC 3986 encoding can produce, on the line starting at s. */
static void check_encoded_line(const char *s, const char *what)
{
    for (; *s && *s != '\n'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '%') {
            if (!strchr("0123456789ABCDEF", s[1]) || !s[1] || !strchr("0123456789ABCDEF", s[2]) || !s[2])
                fail(what, "bad escape");
            s += 2;
        } else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                     strchr("-._~/=&", c))) {
            fail(what, "unencoded byte");
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = malloc(size + 1);
    if (!in)
        return 0;
    memcpy(in, data, size);
    in[size] = '\0';
    char *auth = in, *path = strchr(in, '\n'), *query = NULL;
    if (path) {
        *path++ = '\0';
        query = strchr(path, '\n');
        if (query)
            *query++ = '\0';
    }
    static const char body[] = "{\"function\":\"f\"}";
    ctli_sigv4_header headers[] = {
        {"Host", "lambda.us-west-2.amazonaws.com"},
        {"X-Amz-Date", "20261127T101500Z"},
        {"X-Amz-Security-Token", TOKEN},
    };
    ctli_sigv4_request r = {
        .method = "POST", .path = path ? path : "/", .query = query, .headers = headers, .nheaders = 3,
        .payload = body, .payload_len = sizeof body - 1, .region = "us-west-2", .service = "lambda",
        .amz_date = "20261127T101500Z", .normalize_path = true,
    };
    ctli_sigv4_creds creds = {"AKIDEXAMPLE", SECRET, TOKEN};

    char good[CTLI_SIGV4_AUTH_MAX], why[128];
    int signed_ok = ctli_sigv4_sign(&r, &creds, good, sizeof good) == 0;
    int rc = ctli_sigv4_verify(&r, auth, &creds, why, sizeof why);
    if (rc == 0) {
        if (!signed_ok)
            fail("accepted", "a request sign refuses");
        char *a = malloc(size + 1), b[CTLI_SIGV4_AUTH_MAX];
        if (a) {
            squeeze(auth, a);
            squeeze(good, b);
            if (strcmp(a, b))
                fail("accepted a wrong Authorization", auth);
            free(a);
        }
    } else {
        if (rc != -1 || !why[0] || strlen(why) >= sizeof why)
            fail("refusal", "bad return or reason");
        if (strstr(why, "wJalrXUtnFEMI") || strstr(why, TOKEN))
            fail("reason leaks a secret", why);
    }

    static char canon[1 << 16];
    if (ctli_sigv4_canonical_request(&r, canon, sizeof canon) >= 0) {
        const char *line2 = strchr(canon, '\n') + 1;
        check_encoded_line(line2, "canonical path");
        check_encoded_line(strchr(line2, '\n') + 1, "canonical query");
    }
    free(in);
    return 0;
}
