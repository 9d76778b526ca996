/* suite_test.c: the official SigV4 test suite (aws-c-auth's
 * tests/aws-signing-test-suite/v4, kept outside the project in
 * ../shared/aws-sigv4-test-suite) against ctli_sigv4.
 *
 * Usage: sigv4_suite [CANDIDATE_DIR...]. The suite is looked for in
 * $CTLI_SIGV4_SUITE, then in each candidate (CMake passes the source tree's
 * ../shared and, for a clone or worktree of a local repository, that
 * repository's ../shared). Without one it exits 77 (CTest's SKIP) saying
 * where it looked.
 *
 * Each case folder holds request.txt (the raw request), context.json
 * (credentials, region, service, time, flags) and the expected results.
 * The request line's target is taken as the wire path and query, verbatim;
 * headers keep continuation lines (joined with "\n", which the signer folds
 * like any white space). The test adds X-Amz-Date, X-Amz-Security-Token
 * (unless omit_session_token: the token is then sent unsigned) and, with
 * sign_body, X-Amz-Content-SHA256, as a signer of the header form does;
 * then compares header-canonical-request.txt, header-string-to-sign.txt,
 * header-signature.txt and the Authorization line of
 * header-signed-request.txt byte for byte, and checks that
 * ctli_sigv4_verify accepts the result.
 *
 * Not applicable (counted and printed as such): the query-* expectations of
 * every case. They are presigned URLs (X-Amz-Signature in the query), a
 * form the Lambda Invoke client never sends and `serve` does not accept;
 * libctl signs with the Authorization header only. Every case's header-*
 * expectations apply, including the *-unnormalized ones (normalize=false)
 * and post-sts-header-after (token sent but not signed). */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>

#include "lambda/sigv4.h"
#include "testutil.h"

#define SKIP_CODE 77
#define MAX_HEADERS 32

typedef struct suite_request {
    char *text;                 /* request.txt, cut in place */
    const char *method, *path, *query;
    ctli_sigv4_header headers[MAX_HEADERS + 3];
    size_t nheaders;
    const char *body;
    size_t body_len;
} suite_request;

/* Cuts a line at *p (ending in \n or \r\n, or the end); returns its start. */
static char *cut_line(char **p)
{
    char *start = *p, *nl = strchr(start, '\n');
    if (nl) {
        *nl = '\0';
        *p = nl + 1;
        if (nl > start && nl[-1] == '\r')
            nl[-1] = '\0';
    } else {
        *p = start + strlen(start);
    }
    return start;
}

/* Parses request.txt into q. Continuation lines (starting with white space)
 * are appended to the previous value with a "\n" between, in place: the
 * line terminator is put back. Returns false when malformed. */
static bool parse_request(char *text, size_t len, suite_request *q)
{
    memset(q, 0, sizeof *q);
    q->text = text;
    char *p = text, *end = text + len;
    char *line = cut_line(&p);
    char *sp1 = strchr(line, ' '), *sp2 = strrchr(line, ' ');
    if (!sp1 || sp2 == sp1)
        return false;
    *sp1 = '\0';
    *sp2 = '\0';
    q->method = line;
    char *target = sp1 + 1, *qm = strchr(target, '?');
    if (qm)
        *qm = '\0';
    q->path = target;
    q->query = qm ? qm + 1 : "";
    char *last_value_end = NULL;
    while (p < end) {
        if (*p == '\n' || (*p == '\r' && p[1] == '\n')) {   /* blank line: the body follows */
            p += *p == '\r' ? 2 : 1;
            break;
        }
        bool continuation = *p == ' ' || *p == '\t';
        char *h = cut_line(&p);
        if (continuation) {
            if (!last_value_end)
                return false;
            /* Rejoin with the previous value: the NUL that ended it becomes
             * a line break again (a '\r' before it was cut too). */
            *last_value_end = '\n';
            if (h - last_value_end > 1)
                memmove(last_value_end + 1, h, strlen(h) + 1);
            last_value_end += 1 + strlen(last_value_end + 1);
            continue;
        }
        char *colon = strchr(h, ':');
        if (!colon || q->nheaders == MAX_HEADERS)
            return false;
        *colon = '\0';
        q->headers[q->nheaders++] = (ctli_sigv4_header){h, colon + 1};
        last_value_end = colon + 1 + strlen(colon + 1);
    }
    q->body = p < end ? p : "";
    q->body_len = p < end ? (size_t)(end - p) : 0;
    return true;
}

static char *read_case_file(const char *dir, const char *name, const char *file)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s/%s", dir, name, file);
    return read_file(path, NULL);
}

/* The Authorization value in header-signed-request.txt. */
static const char *signed_authorization(char *signed_request)
{
    for (char *p = signed_request; *p;) {
        char *line = cut_line(&p);
        if (!strncmp(line, "Authorization:", 14))
            return line + 14;
    }
    return NULL;
}

static const char *json_str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool json_true(const cJSON *o, const char *k) { return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, k)); }

/* Runs one case; returns true when every comparison holds. */
static bool run_case(const char *dir, const char *name)
{
    int before = failures;
    size_t len = 0;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s/request.txt", dir, name);
    char *req_text = read_file(path, &len);
    char *ctx_text = read_case_file(dir, name, "context.json");
    char *creq = read_case_file(dir, name, "header-canonical-request.txt");
    char *sts = read_case_file(dir, name, "header-string-to-sign.txt");
    char *sig = read_case_file(dir, name, "header-signature.txt");
    char *signed_req = read_case_file(dir, name, "header-signed-request.txt");
    cJSON *ctx = ctx_text ? cJSON_Parse(ctx_text) : NULL;
    suite_request q;
    CHECK(req_text && ctx && creq && sts && sig && signed_req, "%s: a file is missing or context.json is not JSON",
          name);
    if (failures != before)
        goto done;
    CHECK(parse_request(req_text, len, &q), "%s: request.txt is malformed", name);
    if (failures != before)
        goto done;

    const cJSON *cj = cJSON_GetObjectItemCaseSensitive(ctx, "credentials");
    ctli_sigv4_creds creds = {json_str(cj, "access_key_id"), json_str(cj, "secret_access_key"),
                             json_str(cj, "token")};
    const char *ts = json_str(ctx, "timestamp");   /* 2015-08-30T12:36:00Z */
    char amz_date[17] = "";
    if (ts && strlen(ts) == 20)
        snprintf(amz_date, sizeof amz_date, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", ts, ts + 5, ts + 8, ts + 11, ts + 14,
                 ts + 17);
    q.headers[q.nheaders++] = (ctli_sigv4_header){"X-Amz-Date", amz_date};
    if (creds.session_token && !json_true(ctx, "omit_session_token"))
        q.headers[q.nheaders++] = (ctli_sigv4_header){"X-Amz-Security-Token", creds.session_token};
    char body_hash[65] = "";
    if (json_true(ctx, "sign_body")) {
        unsigned char h[32];
        unsigned int hl = 0;
        EVP_Digest(q.body, q.body_len, h, &hl, EVP_sha256(), NULL);
        for (int i = 0; i < 32; i++)
            snprintf(body_hash + 2 * i, 3, "%02x", h[i]);
        q.headers[q.nheaders++] = (ctli_sigv4_header){"x-amz-content-sha256", body_hash};
    }
    ctli_sigv4_request r = {
        .method = q.method, .path = q.path, .query = q.query, .headers = q.headers, .nheaders = q.nheaders,
        .payload = q.body, .payload_len = q.body_len, .region = json_str(ctx, "region"),
        .service = json_str(ctx, "service"), .amz_date = amz_date, .normalize_path = json_true(ctx, "normalize"),
    };

    static char got[1 << 16];
    long n = ctli_sigv4_canonical_request(&r, got, sizeof got);
    CHECK(n >= 0 && !strcmp(got, creq), "%s: canonical request\n--- expected\n%s\n--- got\n%s", name, creq,
          n >= 0 ? got : "(error)");
    n = ctli_sigv4_string_to_sign(&r, NULL, got, sizeof got);
    CHECK(n >= 0 && !strcmp(got, sts), "%s: string to sign\n--- expected\n%s\n--- got\n%s", name, sts,
          n >= 0 ? got : "(error)");
    char auth[CTLI_SIGV4_AUTH_MAX];
    int rc = ctli_sigv4_sign(&r, &creds, auth, sizeof auth);
    const char *want = signed_authorization(signed_req);
    CHECK(rc == 0 && want && !strcmp(auth, want), "%s: Authorization\n--- expected\n%s\n--- got\n%s", name,
          want ? want : "(none in header-signed-request.txt)", rc == 0 ? auth : "(error)");
    const char *s = rc == 0 ? strstr(auth, "Signature=") : NULL;
    CHECK(s && !strcmp(s + 10, sig), "%s: signature, expected %s", name, sig);

    /* What sign produced, verify accepts (the unsigned token aside). */
    ctli_sigv4_creds vcreds = creds;
    if (json_true(ctx, "omit_session_token"))
        vcreds.session_token = NULL;
    char why[256];
    rc = ctli_sigv4_verify(&r, want ? want : "", &vcreds, why, sizeof why);
    CHECK(rc == 0, "%s: verify refused the suite's Authorization: %s", name, why);

done:
    cJSON_Delete(ctx);
    free(req_text);
    free(ctx_text);
    free(creq);
    free(sts);
    free(sig);
    free(signed_req);
    return failures == before;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv)
{
    const char *dir = NULL;
    const char *env = getenv("CTLI_SIGV4_SUITE");
    char probe[4096];
    if (env && *env) {
        dir = env;
    } else {
        for (int i = 1; i < argc && !dir; i++) {
            snprintf(probe, sizeof probe, "%s/get-vanilla/request.txt", argv[i]);
            FILE *f = fopen(probe, "rb");
            if (f) {
                fclose(f);
                dir = argv[i];
            }
        }
    }
    if (!dir) {
        printf("SKIP: the SigV4 test suite was not found. Looked in $CTLI_SIGV4_SUITE (%s)", env ? env : "unset");
        for (int i = 1; i < argc; i++)
            printf(", %s", argv[i]);
        printf(".\n");
        return SKIP_CODE;
    }
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "FAIL: cannot open the suite at %s\n", dir);
        return 1;
    }
    char *names[256];
    size_t count = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.' || count == 256)
            continue;
        snprintf(probe, sizeof probe, "%s/%s/request.txt", dir, e->d_name);
        FILE *f = fopen(probe, "rb");
        if (!f)
            continue;
        fclose(f);
        names[count++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, count, sizeof *names, cmp_str);
    size_t passed = 0, query_forms = 0;
    for (size_t i = 0; i < count; i++) {
        bool ok = run_case(dir, names[i]);
        passed += ok;
        printf("%s %s\n", ok ? "pass" : "FAIL", names[i]);
        snprintf(probe, sizeof probe, "%s/%s/query-signature.txt", dir, names[i]);
        FILE *f = fopen(probe, "rb");
        if (f) {
            fclose(f);
            query_forms++;
        }
        free(names[i]);
    }
    printf("suite %s: %zu cases, %zu passed, %zu failed (header form); %zu presigned-URL (query-*) forms not "
           "applicable: libctl signs with the Authorization header only\n",
           dir, count, passed, count - passed, query_forms);
    if (count == 0) {
        fprintf(stderr, "FAIL: no cases found in %s\n", dir);
        return 1;
    }
    return failures ? 1 : 0;
}
