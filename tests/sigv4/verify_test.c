/* verify_test.c: ctli_sigv4_verify, the check behind `serve --require-auth`,
 * and ctli_sigv4_sign's refusals.
 *   - a signed Lambda Invoke request is accepted (also in the compact
 *     "a=1,b=2" form without spaces);
 *   - a change to the body, path, query, method, a header, the date, the
 *     region, the service, the key id, the secret or the session token is
 *     refused with a reason;
 *   - malformed Authorization values are refused without crashing: every
 *     truncation, repeated and unknown components, broken Credential
 *     scopes, huge values, and 20,000 seeded random mutations (accepted only
 *     when the mutation changed nothing but white space);
 *   - no reason ever contains the secret, the session token or the
 *     signature, and a short why buffer is cut, NUL-terminated;
 *   - sign refuses what it cannot sign faithfully (no Host, bad names,
 *     dates, regions, buffers) and requests over the size limits, and
 *     canonicalizes queries and empty paths as the SigV4 rules say;
 *   - ctli_sigv4_parse_amz_date gives the right time and refuses
 *     impossible dates. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lambda/sigv4.h"
#include "testutil.h"

static const char SECRET[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
static const char TOKEN[] = "FwoGZXIvYXdzEXAMPLE//////////wEaDEXAMPLETOKEN+tail==";

typedef struct fixture {
    ctli_sigv4_header headers[6];
    ctli_sigv4_request r;
    ctli_sigv4_creds creds;
    char auth[CTLI_SIGV4_AUTH_MAX];
} fixture;

static void setup(fixture *f)
{
    static const char body[] = "{\"function\":\"notifyUsers\",\"id\":\"123456789\",\"trade\":\"caricatures\"}";
    memset(f, 0, sizeof *f);
    f->headers[0] = (ctli_sigv4_header){"Host", "lambda.us-west-2.amazonaws.com"};
    f->headers[1] = (ctli_sigv4_header){"X-Amz-Date", "20261127T101500Z"};
    f->headers[2] = (ctli_sigv4_header){"X-Amz-Invocation-Type", "Event"};
    f->headers[3] = (ctli_sigv4_header){"X-Amz-Security-Token", TOKEN};
    f->headers[4] = (ctli_sigv4_header){"Content-Type", "application/json"};
    f->r = (ctli_sigv4_request){
        .method = "POST",
        .path = "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-west-2%3A123456789012%3Afunction%3Amy-fn/invocations",
        .query = "Qualifier=live",
        .headers = f->headers,
        .nheaders = 5,
        .payload = body,
        .payload_len = sizeof body - 1,
        .region = "us-west-2",
        .service = "lambda",
        .amz_date = "20261127T101500Z",
        .normalize_path = true,
    };
    f->creds = (ctli_sigv4_creds){"AKIDEXAMPLE", SECRET, TOKEN};
    if (ctli_sigv4_sign(&f->r, &f->creds, f->auth, sizeof f->auth) != 0) {
        fprintf(stderr, "FAIL: the fixture cannot be signed\n");
        exit(1);
    }
}

/* The reason must say something and give nothing away. */
static void check_why(const char *why, const char *auth, const char *what)
{
    const char *sig = auth ? strstr(auth, "Signature=") : NULL;
    CHECK(*why, "%s: empty reason", what);
    CHECK(!strstr(why, SECRET) && !strstr(why, "wJalrXUtnFEMI") && !strstr(why, TOKEN) && !strstr(why, "FwoGZXIv"),
          "%s: the reason leaks a secret: %s", what, why);
    CHECK(!sig || strlen(sig) < 20 || !strstr(why, sig + 10), "%s: the reason holds the signature", what);
}

static int verify(const ctli_sigv4_request *r, const char *auth, const ctli_sigv4_creds *c, char *why, size_t cap)
{
    memset(why, 'x', cap);
    why[cap - 1] = '\0';
    return ctli_sigv4_verify(r, auth, c, why, cap);
}

/* Refused, with a reason containing `reason` (NULL: any). */
static void expect_refused(const ctli_sigv4_request *r, const char *auth, const ctli_sigv4_creds *c, const char *reason,
                           const char *what)
{
    char why[256];
    int rc = verify(r, auth, c, why, sizeof why);
    CHECK(rc == -1, "%s: accepted", what);
    if (rc == -1) {
        check_why(why, auth, what);
        CHECK(!reason || strstr(why, reason), "%s: reason \"%s\", expected one with \"%s\"", what, why, reason);
    }
}

static void test_accepts(void)
{
    fixture f;
    setup(&f);
    char why[256];
    CHECK(verify(&f.r, f.auth, &f.creds, why, sizeof why) == 0 && why[0] == '\0', "good signature refused: %s", why);
    /* The region and service of a local endpoint: whatever the client used. */
    ctli_sigv4_request any = f.r;
    any.region = NULL;
    any.service = NULL;
    CHECK(verify(&any, f.auth, &f.creds, why, sizeof why) == 0, "refused without a region: %s", why);
    /* Compact separators and tabs are the same value. */
    char compact[CTLI_SIGV4_AUTH_MAX];
    size_t o = 0;
    for (const char *p = f.auth; *p; p++)
        if (!(*p == ' ' && p > f.auth && p[-1] == ','))
            compact[o++] = *p;
    compact[o] = '\0';
    CHECK(verify(&f.r, compact, &f.creds, why, sizeof why) == 0, "compact form refused: %s", why);
    /* Header names in any case, values with extra white space: same
     * canonical form. */
    fixture g;
    setup(&g);
    g.headers[2] = (ctli_sigv4_header){"x-amz-invocation-type", "  Event \t"};
    CHECK(verify(&g.r, f.auth, &g.creds, why, sizeof why) == 0, "header case/space changed the signature: %s", why);
    /* A server without a session token accepts a token-signed request. */
    ctli_sigv4_creds no_token = f.creds;
    no_token.session_token = NULL;
    CHECK(verify(&f.r, f.auth, &no_token, why, sizeof why) == 0, "refused with no token configured: %s", why);
}

static void test_tampering(void)
{
    fixture f;
    setup(&f);
    const char *mismatch = "signature does not match";
    ctli_sigv4_request t;

    char body[256];
    memcpy(body, f.r.payload, f.r.payload_len);
    body[10] ^= 0x20;
    t = f.r;
    t.payload = body;
    expect_refused(&t, f.auth, &f.creds, mismatch, "tampered body");
    t = f.r;
    t.payload_len--;
    expect_refused(&t, f.auth, &f.creds, mismatch, "truncated body");
    t = f.r;
    t.path = "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-west-2%3A123456789012%3Afunction%3Amy-fm/invocations";
    expect_refused(&t, f.auth, &f.creds, mismatch, "tampered path");
    t = f.r;
    t.query = "Qualifier=dead";
    expect_refused(&t, f.auth, &f.creds, mismatch, "tampered query");
    t = f.r;
    t.query = "";
    expect_refused(&t, f.auth, &f.creds, mismatch, "removed query");
    t = f.r;
    t.method = "PUT";
    expect_refused(&t, f.auth, &f.creds, mismatch, "tampered method");

    fixture g;
    setup(&g);
    g.headers[2].value = "RequestResponse";
    expect_refused(&g.r, f.auth, &g.creds, mismatch, "tampered header");
    setup(&g);
    g.headers[5] = (ctli_sigv4_header){"X-Extra", "1"};
    g.r.nheaders = 6;
    expect_refused(&g.r, f.auth, &g.creds, "SignedHeaders", "unsigned header passed as signed");
    setup(&g);
    g.r.nheaders = 4;   /* content-type missing */
    expect_refused(&g.r, f.auth, &g.creds, "SignedHeaders", "signed header missing");

    /* The date: another second of the same day, then another day. */
    setup(&g);
    g.headers[1].value = g.r.amz_date = "20261127T101501Z";
    expect_refused(&g.r, f.auth, &g.creds, mismatch, "tampered time");
    setup(&g);
    g.headers[1].value = g.r.amz_date = "20261128T101500Z";
    expect_refused(&g.r, f.auth, &g.creds, "date", "tampered day");
    t = f.r;
    t.amz_date = "2026-11-27T10:15:00Z";
    expect_refused(&t, f.auth, &f.creds, "X-Amz-Date", "malformed date");

    t = f.r;
    t.region = "us-east-1";
    expect_refused(&t, f.auth, &f.creds, "region", "other region expected");
    t = f.r;
    t.service = "s3";
    expect_refused(&t, f.auth, &f.creds, "service", "other service expected");

    /* The Authorization's own scope edited: the signature no longer fits. */
    char edited[CTLI_SIGV4_AUTH_MAX];
    snprintf(edited, sizeof edited, "%s", f.auth);
    memcpy(strstr(edited, "us-west-2"), "us-west-1", 9);
    t = f.r;
    t.region = NULL;
    expect_refused(&t, edited, &f.creds, mismatch, "Credential region edited");
    snprintf(edited, sizeof edited, "%s", f.auth);
    memcpy(strstr(edited, "AKIDEXAMPLE"), "AKIDEXAMPLF", 11);
    expect_refused(&f.r, edited, &f.creds, "access key id", "other key id");
    snprintf(edited, sizeof edited, "%s", f.auth);
    char *sig = strstr(edited, "Signature=") + 10;
    sig[63] = sig[63] == '0' ? '1' : '0';
    expect_refused(&f.r, edited, &f.creds, mismatch, "one hex digit of the signature");

    ctli_sigv4_creds c = f.creds;
    c.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEZ";
    expect_refused(&f.r, f.auth, &c, mismatch, "other secret");
    c = f.creds;
    c.session_token = "another-token";
    expect_refused(&f.r, f.auth, &c, "X-Amz-Security-Token", "other session token");
    c = f.creds;
    c.access_key_id = "AKIDOTHER";
    expect_refused(&f.r, f.auth, &c, "access key id", "server has another key id");
}

static void test_malformed(void)
{
    fixture f;
    setup(&f);
    size_t n = strlen(f.auth);
    char buf[CTLI_SIGV4_AUTH_MAX + 64], what[64];

    for (size_t i = 0; i < n; i++) {
        memcpy(buf, f.auth, i);
        buf[i] = '\0';
        snprintf(what, sizeof what, "truncated to %zu bytes", i);
        expect_refused(&f.r, buf, &f.creds, NULL, what);
    }
    expect_refused(&f.r, NULL, &f.creds, "missing", "NULL Authorization");
    expect_refused(&f.r, "AWS4-HMAC-SHA1 Credential=x", &f.creds, "AWS4-HMAC-SHA256", "other algorithm");
    expect_refused(&f.r, "AWS4-HMAC-SHA256Credential=x", &f.creds, "AWS4-HMAC-SHA256", "no space after algorithm");

    const char *sig = strstr(f.auth, "Signature=");
    snprintf(buf, sizeof buf, "%s, %s", f.auth, sig);
    expect_refused(&f.r, buf, &f.creds, "repeated", "repeated Signature");
    snprintf(buf, sizeof buf, "%s, Credential=AKIDEXAMPLE/20261127/us-west-2/lambda/aws4_request", f.auth);
    expect_refused(&f.r, buf, &f.creds, "repeated", "repeated Credential");
    snprintf(buf, sizeof buf, "%s, Foo=bar", f.auth);
    expect_refused(&f.r, buf, &f.creds, "unknown", "unknown component");
    snprintf(buf, sizeof buf, "%s,", f.auth);
    expect_refused(&f.r, buf, &f.creds, NULL, "trailing comma");
    snprintf(buf, sizeof buf, "%.*s,, %s", (int)(sig - 2 - f.auth), f.auth, sig);
    expect_refused(&f.r, buf, &f.creds, NULL, "empty component");

    static const char *creds[] = {
        "AKIDEXAMPLE/20261127/us-west-2/lambda",
        "AKIDEXAMPLE/20261127/us-west-2/lambda/aws4_request/extra",
        "AKIDEXAMPLE/20261127/us-west-2/lambda/aws5_request",
        "AKIDEXAMPLE/2026112/us-west-2/lambda/aws4_request",
        "AKIDEXAMPLE/20261127//lambda/aws4_request",
        "AKIDEXAMPLE/20261127/us-west-2//aws4_request",
        "AKIDEXAMPLE/20261127/us west/lambda/aws4_request",
        "/20261127/us-west-2/lambda/aws4_request",
        "////",
        "",
    };
    const char *sh = strstr(f.auth, "SignedHeaders=");
    for (size_t i = 0; i < sizeof creds / sizeof *creds; i++) {
        snprintf(buf, sizeof buf, "AWS4-HMAC-SHA256 Credential=%s, %s", creds[i], sh);
        snprintf(what, sizeof what, "Credential #%zu", i);
        expect_refused(&f.r, buf, &f.creds, NULL, what);
    }
    /* Signature: upper case, short, long, not hex. */
    static const char *sigs[] = {"ABCDEF", "0123", "", "zz"};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        snprintf(buf, sizeof buf, "%.*s%s", (int)(sig + 10 - f.auth), f.auth, sigs[i]);
        expect_refused(&f.r, buf, &f.creds, NULL, "bad Signature");
    }
    snprintf(buf, sizeof buf, "%.*s", (int)n, f.auth);
    for (char *p = strstr(buf, "Signature=") + 10; *p; p++)
        *p = (char)(*p >= 'a' ? *p - 32 : *p);
    expect_refused(&f.r, buf, &f.creds, "Signature", "upper-case Signature");
    /* SignedHeaders out of order or upper case. */
    snprintf(buf, sizeof buf, "%s", f.auth);
    memcpy(strstr(buf, "content-type;host"), "host;content-type", 17);
    expect_refused(&f.r, buf, &f.creds, "SignedHeaders", "unsorted SignedHeaders");
    snprintf(buf, sizeof buf, "%s", f.auth);
    memcpy(strstr(buf, "host;"), "HOST;", 5);
    expect_refused(&f.r, buf, &f.creds, "SignedHeaders", "upper-case SignedHeaders");

    /* Huge values. */
    size_t big = 1 << 20;
    char *huge = malloc(big + 1);
    if (huge) {
        memset(huge, 'A', big);
        huge[big] = '\0';
        expect_refused(&f.r, huge, &f.creds, NULL, "1 MiB of A");
        memcpy(huge, "AWS4-HMAC-SHA256 Credential=", 28);
        expect_refused(&f.r, huge, &f.creds, "too long", "1 MiB Credential");
        size_t at = (size_t)snprintf(huge, big, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261127/us-west-2/lambda/"
                                                "aws4_request, Signature=%s, SignedHeaders=", sig + 10);
        memset(huge + at, ';', 3000);
        huge[at + 3000] = '\0';
        expect_refused(&f.r, huge, &f.creds, "SignedHeaders", "3000 empty SignedHeaders");
        free(huge);
    }
    /* A why buffer too small for the reason: cut and terminated. */
    char small[8];
    CHECK(verify(&f.r, "nonsense", &f.creds, small, sizeof small) == -1 && strlen(small) == 7, "small why buffer");
    CHECK(ctli_sigv4_verify(&f.r, "nonsense", &f.creds, NULL, 0) == -1, "NULL why");
}

/* white space removed, for comparing mutated values with the original */
static void squeeze(const char *s, char *out)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t')
            *out++ = *s;
    *out = '\0';
}

static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

static void test_mutations(void)
{
    fixture f;
    setup(&f);
    static const char alphabet[] = "AWS4-HMAC-SHA256 ,=/;abcdef0123456789\t\r\nCredentialSignedHeadersSignature%\x7f\xff";
    char buf[CTLI_SIGV4_AUTH_MAX * 2], a[sizeof buf], b[sizeof buf], why[256];
    squeeze(f.auth, a);
    int accepted = 0;
    for (int round = 0; round < 20000; round++) {
        snprintf(buf, sizeof buf, "%s", f.auth);
        int edits = 1 + (int)(rnd() % 4);
        for (int e = 0; e < edits; e++) {
            size_t n = strlen(buf), at = rnd() % (n + 1);
            char c = alphabet[rnd() % (sizeof alphabet - 1)];
            switch (rnd() % 3) {
            case 0:     /* replace */
                if (at < n)
                    buf[at] = c;
                break;
            case 1:     /* delete */
                if (at < n)
                    memmove(buf + at, buf + at + 1, n - at);
                break;
            default:    /* insert */
                if (n + 2 < sizeof buf) {
                    memmove(buf + at + 1, buf + at, n - at + 1);
                    buf[at] = c;
                }
            }
        }
        int rc = verify(&f.r, buf, &f.creds, why, sizeof why);
        squeeze(buf, b);
        if (rc == 0) {
            accepted++;
            CHECK(!strcmp(a, b), "mutation accepted: %s", buf);
        } else {
            check_why(why, buf, "mutation");
        }
    }
    printf("mutations: 20000 tried, %d accepted (white space only)\n", accepted);
}

static void test_sign_refusals(void)
{
    fixture f;
    setup(&f);
    char auth[CTLI_SIGV4_AUTH_MAX];
    ctli_sigv4_request t = f.r;
    t.nheaders = 0;
    CHECK(ctli_sigv4_sign(&t, &f.creds, auth, sizeof auth) == -1, "signed without a Host header");
    t = f.r;
    t.amz_date = "20261127T1015Z";
    CHECK(ctli_sigv4_sign(&t, &f.creds, auth, sizeof auth) == -1, "signed with a short date");
    t = f.r;
    t.region = "us/west";
    CHECK(ctli_sigv4_sign(&t, &f.creds, auth, sizeof auth) == -1, "signed with '/' in the region");
    t = f.r;
    t.payload = NULL;
    CHECK(ctli_sigv4_sign(&t, &f.creds, auth, sizeof auth) == -1, "signed a NULL payload of nonzero length");
    CHECK(ctli_sigv4_sign(&f.r, NULL, auth, sizeof auth) == -1, "signed without credentials");
    CHECK(ctli_sigv4_sign(&f.r, &f.creds, auth, 40) == -1, "signed into a small buffer");
    fixture g;
    setup(&g);
    g.headers[4].name = "Bad Name";
    CHECK(ctli_sigv4_sign(&g.r, &g.creds, auth, sizeof auth) == -1, "signed a header name with a space");
    g.headers[4].name = "X-Line\nBreak";
    CHECK(ctli_sigv4_sign(&g.r, &g.creds, auth, sizeof auth) == -1, "signed a header name with a line break");
    char creq[64];
    CHECK(ctli_sigv4_canonical_request(&f.r, creq, sizeof creq) == -1, "canonical request into a small buffer");

    /* The limits: at the limit signed, one over refused. */
    static char path[CTLI_SIGV4_MAX_PATH + 2], query[CTLI_SIGV4_MAX_QUERY + 2];
    memset(path, 'a', sizeof path - 1);
    path[0] = '/';
    path[CTLI_SIGV4_MAX_PATH] = '\0';
    t = f.r;
    t.path = path;
    CHECK(ctli_sigv4_sign(&t, &f.creds, auth, sizeof auth) == 0, "path at the limit refused");
    path[CTLI_SIGV4_MAX_PATH] = 'a';
    CHECK(ctli_sigv4_sign(&t, &f.creds, auth, sizeof auth) == -1, "path over the limit signed");
    size_t q = 0;
    for (int i = 0; i < CTLI_SIGV4_MAX_PARAMS; i++)
        q += (size_t)snprintf(query + q, sizeof query - q, "%sp%d=%d", i ? "&" : "", i % 7, i);
    t = f.r;
    t.query = query;
    CHECK(ctli_sigv4_sign(&t, &f.creds, auth, sizeof auth) == 0, "%d parameters refused", CTLI_SIGV4_MAX_PARAMS);
    snprintf(query + q, sizeof query - q, "&x");
    CHECK(ctli_sigv4_sign(&t, &f.creds, auth, sizeof auth) == -1, "%d parameters signed", CTLI_SIGV4_MAX_PARAMS + 1);
    memset(query, 'q', sizeof query - 1);
    query[sizeof query - 1] = '\0';
    CHECK(ctli_sigv4_sign(&t, &f.creds, auth, sizeof auth) == -1, "query over the limit signed");
    ctli_sigv4_header many[CTLI_SIGV4_MAX_HEADERS + 1];
    for (size_t i = 0; i < sizeof many / sizeof *many; i++)
        many[i] = (ctli_sigv4_header){"Host", "h"};
    t = f.r;
    t.headers = many;
    t.nheaders = CTLI_SIGV4_MAX_HEADERS;
    CHECK(ctli_sigv4_sign(&t, &f.creds, auth, sizeof auth) == 0, "%d headers refused", CTLI_SIGV4_MAX_HEADERS);
    t.nheaders++;
    CHECK(ctli_sigv4_sign(&t, &f.creds, auth, sizeof auth) == -1, "%d headers signed", CTLI_SIGV4_MAX_HEADERS + 1);

    /* Canonical forms the suite does not show: the empty path is "/";
     * query pieces without '=' get an empty value, empty pieces go, lower-case
     * escapes and '+' are re-encoded, order is by encoded key then value. */
    static char canon[4096];
    t = f.r;
    t.path = "";
    t.query = "b=2&&a&%7e=%2a&b=1&c=+&";
    t.nheaders = 1;
    long n = ctli_sigv4_canonical_request(&t, canon, sizeof canon);
    const char *want = "POST\n/\na=&b=1&b=2&c=%2B&~=%2A\nhost:lambda.us-west-2.amazonaws.com\n\nhost\n";
    CHECK(n > 0 && !strncmp(canon, want, strlen(want)), "canonical forms:\n%s", canon);
    CHECK(ctli_sigv4_string_to_sign(&f.r, "2026112", auth, sizeof auth) == -1, "string to sign with a bad date");
    /* Signing is deterministic and the result is well formed. */
    char again[CTLI_SIGV4_AUTH_MAX];
    CHECK(ctli_sigv4_sign(&f.r, &f.creds, again, sizeof again) == 0 && !strcmp(again, f.auth), "signing twice");
    CHECK(!strncmp(f.auth,
                   "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261127/us-west-2/lambda/aws4_request, "
                   "SignedHeaders=content-type;host;x-amz-date;x-amz-invocation-type;x-amz-security-token, "
                   "Signature=",
                   strlen(f.auth) - 64),
          "Authorization form: %s", f.auth);
}

static void test_dates(void)
{
    static const struct {
        const char *d;
        long long epoch;
    } good[] = {
        {"19700101T000000Z", 0},
        {"20150830T123600Z", 1440938160},
        {"20000229T235959Z", 951868799},
        {"20261127T101500Z", 1795774500},
        {"21000301T000000Z", 4107542400},
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        long long e = -1;
        CHECK(ctli_sigv4_parse_amz_date(good[i].d, &e) == 0 && e == good[i].epoch, "%s: %lld, expected %lld",
              good[i].d, e, good[i].epoch);
    }
    static const char *bad[] = {"20150230T000000Z", "21000229T000000Z", "20151301T000000Z", "20150830T240000Z",
                                "20150830T126000Z", "2015-08-30T12:36:00Z", "20150830T123600", "19691231T235959Z",
                                "20150830t123600Z", "", "2015083OT123600Z"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        long long e = 0;
        CHECK(ctli_sigv4_parse_amz_date(bad[i], &e) == -1, "%s accepted", bad[i]);
    }
    CHECK(ctli_sigv4_parse_amz_date(NULL, NULL) == -1, "NULL accepted");
}

int main(void)
{
    test_dates();
    test_accepts();
    test_tampering();
    test_malformed();
    test_mutations();
    test_sign_refusals();
    printf("verify: %d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
