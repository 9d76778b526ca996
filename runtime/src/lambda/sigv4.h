/* lambda/sigv4.h: AWS Signature Version 4, computed in libctl (sigv4.c) with
 * OpenSSL's libcrypto for SHA-256 and HMAC.
 *
 * Used by the Lambda transport to sign Invoke requests and by `serve
 * --require-auth` to check them. Nothing here logs; secrets are never
 * copied into error text. Internal to libctl (tests include it too). */
#ifndef CTL_LAMBDA_SIGV4_H
#define CTL_LAMBDA_SIGV4_H

#include <stdbool.h>
#include <stddef.h>

#include "base/private.h"

CTLI_BEGIN_PRIVATE

typedef struct ctli_sigv4_creds {
    const char *access_key_id;
    const char *secret_access_key;
    const char *session_token;  /* NULL or "" when there is none */
} ctli_sigv4_creds;

typedef struct ctli_sigv4_header {
    const char *name;           /* any case; signed lower-cased */
    const char *value;          /* trimmed, inner runs of spaces folded, when signed */
} ctli_sigv4_header;

typedef struct ctli_sigv4_request {
    const char *method;         /* "POST" */
    const char *path;           /* the path as it goes on the wire, percent-encoded
                                   ("/2015-03-31/functions/arn%3Aaws%3A.../invocations") */
    const char *query;          /* the query as on the wire, without '?'; NULL or "" for none */
    const ctli_sigv4_header *headers; /* every header to sign, host among them */
    size_t nheaders;
    const void *payload;
    size_t payload_len;
    const char *region;         /* "us-east-1" */
    const char *service;        /* "lambda" */
    const char *amz_date;       /* "20150830T123600Z": the X-Amz-Date the request carries */
    bool normalize_path;        /* remove dot segments and empty segments before encoding
                                   (every service but S3: botocore and the CRT signer do it
                                   for Lambda, so a function named ".." signs as AWS expects) */
} ctli_sigv4_request;

/* Limits on what is signed or verified, so that hostile requests cost
 * little (sorting and path normalization work in place, in quadratic
 * time): a longer path or query, or more parameters or headers, is
 * refused. Lambda's Invoke requests are far below them. */
#define CTLI_SIGV4_MAX_PATH 4096
#define CTLI_SIGV4_MAX_QUERY 8192
#define CTLI_SIGV4_MAX_PARAMS 256
#define CTLI_SIGV4_MAX_HEADERS 128

/* The longest Authorization value ctli_sigv4_sign() writes for headers whose
 * names fit in CTLI_SIGV4_MAX_SIGNED_NAMES bytes joined. The signer refuses
 * access key ids over 128 bytes, regions and services over 64, secrets
 * over 512. */
#define CTLI_SIGV4_MAX_SIGNED_NAMES 1024
#define CTLI_SIGV4_AUTH_MAX (512 + CTLI_SIGV4_MAX_SIGNED_NAMES)

/* Writes the Authorization header's value ("AWS4-HMAC-SHA256
 * Credential=AKID/20150830/us-east-1/lambda/aws4_request,
 * SignedHeaders=host;x-amz-date, Signature=<64 hex>") to auth (cap bytes,
 * NUL-terminated). The caller adds X-Amz-Date (and X-Amz-Security-Token
 * when creds has a session token) to r->headers itself, so what is signed
 * is what is sent. Returns 0, or -1 when a field is missing or malformed
 * (no Host header, a header name that is not an HTTP token, an X-Amz-Date
 * not of the form above, a region or service with '/' or white space) or
 * auth is too small; nothing is allocated that outlives the call. A signed
 * X-Amz-Content-SHA256 header stands for the payload's hash, as in AWS. */
int ctli_sigv4_sign(const ctli_sigv4_request *r, const ctli_sigv4_creds *creds, char *auth, size_t cap);

/* For tests and `serve`: the canonical request and the string to sign that
 * ctli_sigv4_sign() hashes, written to the caller's buffers (NUL-terminated).
 * Return the length written, or -1 when the buffer is too small. */
long ctli_sigv4_canonical_request(const ctli_sigv4_request *r, char *out, size_t cap);
long ctli_sigv4_string_to_sign(const ctli_sigv4_request *r, const char *credential_scope_date,
                              char *out, size_t cap);

/* Checks a received request's Authorization value against creds: parses
 * its Credential (key id, date, region, service), SignedHeaders and
 * Signature, signs r (whose headers must be those SignedHeaders names) with
 * the same scope and compares in constant time. Returns 0 when it matches;
 * -1 otherwise, with a reason fit to send back (never a secret, nor any
 * byte of the input) in why (why_cap bytes, NUL-terminated; may be NULL).
 *
 * r->region and r->service may be NULL: the Credential's are then taken
 * (a local endpoint does not know which region its clients configured);
 * when set they must match. SignedHeaders must list exactly r's header
 * names (lower case, sorted) and include host and x-amz-date; the
 * Credential date must be r->amz_date's day. When creds has a session
 * token, the request must carry the same X-Amz-Security-Token. A signed
 * X-Amz-Content-SHA256 must be the payload's hash or UNSIGNED-PAYLOAD.
 * The clock is not checked here: the caller compares r->amz_date with
 * its own time (AWS allows 15 minutes of skew). */
int ctli_sigv4_verify(const ctli_sigv4_request *r, const char *authorization, const ctli_sigv4_creds *creds,
                     char *why, size_t why_cap);

/* The time an X-Amz-Date value ("20150830T123600Z", UTC) names, in
 * seconds since 1970-01-01 UTC, into *epoch; for `serve` to refuse requests
 * whose date is too far from its clock (AWS allows 15 minutes). Returns 0,
 * or -1 when amz_date is not that form or not a valid date and time. */
int ctli_sigv4_parse_amz_date(const char *amz_date, long long *epoch);

/* The lowercase hex SHA-256 of len bytes into hex (64 digits and a NUL):
 * libctl_aws's digest of idempotency keys (base/parts.h; libctl_sqlite's
 * is codec/sha256.c, which calls libcrypto directly). 0, or -1 when
 * libcrypto fails or cannot be opened. */
int ctli_sigv4_sha256_hex(const void *data, size_t len, char hex[65]);

CTLI_END_PRIVATE

#endif
