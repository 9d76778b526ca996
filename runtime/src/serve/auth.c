/* serve/auth.c: --require-auth: a request's SigV4 signature checked with
 * libctl's signer (lambda/sigv4.c) against the server's credentials, its
 * credential scope against serve's region and the service lambda, and its
 * X-Amz-Date against the clock. */
#include <string.h>
#include <time.h>

#include "ctl/gen.h"

#include "lambda/sigv4.h"
#include "serve/auth.h"
#include "serve/http.h"

typedef struct query_acc {
    ctl_buf b;
} query_acc;

static enum MHD_Result add_query(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    query_acc *q = cls;
    if (q->b.len)
        ctl_buf_putc(&q->b, '&');
    ctl_buf_put(&q->b, key, strlen(key));
    if (value) {
        ctl_buf_putc(&q->b, '=');
        ctl_buf_put(&q->b, value, strlen(value));
    }
    return MHD_YES;
}

/* What the Authorization header says, read and checked (auth_headers). */
typedef struct auth_parts {
    const char *auth, *date;
    ctli_sigv4_header headers[32];
    size_t nh;
    char names[CTLI_SIGV4_MAX_SIGNED_NAMES];
} auth_parts;

/* Everything but the signature: 0, or -1 when r has been answered (403). */
static int auth_headers(serve *s, req *r, auth_parts *a, enum MHD_Result *out)
{
    const char *auth = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
    if (!auth || !*auth) {
        *out = ctli_serve_error(s, r, 403, "MissingAuthenticationTokenException", "message",
                                "Missing Authentication Token");
        return -1;
    }
    const char *cred = strstr(auth, "Credential="), *signed_headers = strstr(auth, "SignedHeaders=");
    const char *date = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Amz-Date");
    if (strncmp(auth, "AWS4-HMAC-SHA256 ", 17) != 0 || !cred || !signed_headers || !strstr(auth, "Signature=") ||
        !date) {
        *out = ctli_serve_error(s, r, 403, "IncompleteSignatureException", "message",
                                "Authorization header requires 'Credential', 'Signature', 'SignedHeaders' and an "
                                "X-Amz-Date header; got '%.200s'",
                                auth);
        return -1;
    }
    cred += 11;
    size_t idlen = strcspn(cred, "/");
    if (idlen != strlen(s->creds.access_key_id) || memcmp(cred, s->creds.access_key_id, idlen) != 0) {
        *out = ctli_serve_error(s, r, 403, "UnrecognizedClientException", "message",
                                "The security token included in the request is invalid.");
        return -1;
    }
    /* The scope, KEY/DATE/REGION/SERVICE/aws4_request: signed for this
     * server's region and for Lambda, or refused as AWS does (the
     * signature could not be valid here), naming what was expected. */
    const char *scope = cred + idlen, *region = NULL, *service = NULL;
    size_t region_n = 0, service_n = 0;
    if (*scope == '/') {
        const char *day = scope + 1;
        const char *r0 = day + strcspn(day, "/, ");
        if (*r0 == '/') {
            region = r0 + 1;
            region_n = strcspn(region, "/, ");
            if (region[region_n] == '/') {
                service = region + region_n + 1;
                service_n = strcspn(service, "/, ");
            }
        }
    }
    if (!region || !service) {
        *out = ctli_serve_error(s, r, 403, "IncompleteSignatureException", "message",
                                "Credential must have the form KEY/DATE/REGION/SERVICE/aws4_request");
        return -1;
    }
    if (region_n != strlen(s->region) || memcmp(region, s->region, region_n) != 0) {
        *out = ctli_serve_error(s, r, 403, "InvalidSignatureException", "message",
                                "Credential should be scoped to a valid region. This endpoint serves '%s', not "
                                "'%.*s'.",
                                s->region, (int)(region_n < 64 ? region_n : 64), region);
        return -1;
    }
    if (service_n != 6 || memcmp(service, "lambda", 6) != 0) {
        *out = ctli_serve_error(s, r, 403, "InvalidSignatureException", "message",
                                "Credential should be scoped to correct service: 'lambda'.");
        return -1;
    }
    /* The headers the client signed, by name. */
    ctli_sigv4_header *headers = a->headers;
    char *names = a->names;
    const char *sh = signed_headers + 14;
    size_t shlen = strcspn(sh, ", ");
    size_t nh = 0;
    if (shlen >= sizeof a->names) {
        *out = ctli_serve_error(s, r, 403, "IncompleteSignatureException", "message", "too many signed headers");
        return -1;
    }
    memcpy(names, sh, shlen);
    names[shlen] = '\0';
    for (char *name = names; name && *name;) {
        char *semi = strchr(name, ';');
        if (semi)
            *semi = '\0';
        const char *value = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
        if (nh == 32 || !value) {
            *out = ctli_serve_error(s, r, 403, "IncompleteSignatureException", "message",
                                    "the signed header '%s' is missing from the request", name);
            return -1;
        }
        headers[nh++] = (ctli_sigv4_header){ name, value };
        name = semi ? semi + 1 : NULL;
    }
    /* AWS refuses a signature more than 15 minutes off its clock. */
    long long signed_at, now = (long long)time(NULL);
    if (ctli_sigv4_parse_amz_date(date, &signed_at) != 0) {
        *out = ctli_serve_error(s, r, 403, "IncompleteSignatureException", "message",
                                "X-Amz-Date must be of the form YYYYMMDDTHHMMSSZ");
        return -1;
    }
    if (signed_at < now - 900 || signed_at > now + 900) {
        *out = ctli_serve_error(s, r, 403, "InvalidSignatureException", "message",
                                "Signature expired: %s is more than 15 minutes away from the server's time", date);
        return -1;
    }
    a->auth = auth;
    a->date = date;
    a->nh = nh;
    return 0;
}

int ctli_serve_check_auth_headers(serve *s, req *r, enum MHD_Result *out)
{
    auth_parts a;
    return auth_headers(s, r, &a, out);
}

int ctli_serve_check_auth(serve *s, req *r, const char *url, const char *method, enum MHD_Result *out)
{
    auth_parts a;
    if (auth_headers(s, r, &a, out) != 0)
        return -1;
    query_acc q = { CTL_BUF_INIT };
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_query, &q);
    ctl_buf_putc(&q.b, '\0');
    ctli_sigv4_request req = {
        .method = method,
        .path = url,
        .query = q.b.data ? q.b.data : "",
        .headers = a.headers,
        .nheaders = a.nh,
        .payload = r->body,
        .payload_len = r->len,
        .region = s->region, /* serve's own (--region, AWS_REGION, ...) */
        .service = "lambda",
        .amz_date = a.date,
        .normalize_path = true, /* as AWS does for every service but S3 */
    };
    char why[256] = "";
    int rc = q.b.failed ? -1 : ctli_sigv4_verify(&req, a.auth, &s->creds, why, sizeof why);
    ctl_buf_free(&q.b);
    if (rc != 0) {
        *out = ctli_serve_error(s, r, 403, "InvalidSignatureException", "message",
                                "The request signature we calculated does not match the signature you provided. "
                                "Check your AWS Secret Access Key and signing method. (%s)",
                                why);
        return -1;
    }
    return 0;
}
