/* lambda/sigv4.c: AWS Signature Version 4 (header form) for the Lambda transport
 * and for `serve --require-auth`.
 *
 * The canonical request is never built in memory when signing: every piece
 * goes through an emitter that either appends to a caller's buffer (for
 * ctli_sigv4_canonical_request) or feeds SHA-256 directly. Sorting headers
 * and query parameters is done by repeated selection of the next smallest
 * item, which needs no scratch storage; requests carry a handful of each,
 * so the quadratic cost is irrelevant and nothing is allocated but
 * OpenSSL's digest context, freed before returning. */
#include "base/hex.h"
#include "lambda/aws_libs.h"
#include "lambda/sigv4.h"

#include <stdint.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

/* Bounds on the scope fields, so the Authorization value fits
 * CTLI_SIGV4_AUTH_MAX (IAM access key ids are at most 128 characters). */
#define KEY_ID_MAX 128
#define SCOPE_FIELD_MAX 64
#define SECRET_MAX 512
_Static_assert(sizeof "AWS4-HMAC-SHA256 Credential=" - 1 + KEY_ID_MAX + sizeof "/20150830/" - 1 + SCOPE_FIELD_MAX +
                       1 + SCOPE_FIELD_MAX + sizeof "/aws4_request, SignedHeaders=" - 1 +
                       CTLI_SIGV4_MAX_SIGNED_NAMES + sizeof ", Signature=" - 1 + 64 + 1 <=
                   CTLI_SIGV4_AUTH_MAX,
               "CTLI_SIGV4_AUTH_MAX too small for the field limits");

static const char hexdigits[] = "0123456789abcdef";
static const char HEXDIGITS[] = "0123456789ABCDEF";

/* ---- emitter: a bounded buffer or a running SHA-256 ------------------- */

typedef struct emitter {
    char *buf;          /* NULL when hashing */
    size_t cap, len;
    bool overflow;
    EVP_MD_CTX *md;     /* NULL when writing to buf */
    bool md_failed;
} emitter;

static void emit(emitter *e, const char *s, size_t n)
{
    if (e->md) {
        if (n && ctli_aws_lib.EVP_DigestUpdate(e->md, s, n) != 1)
            e->md_failed = true;
        e->len += n;
        return;
    }
    if (e->overflow || n >= e->cap - e->len) {   /* keep room for the NUL */
        e->overflow = true;
        return;
    }
    memcpy(e->buf + e->len, s, n);
    e->len += n;
}

static void emit_str(emitter *e, const char *s) { emit(e, s, strlen(s)); }
static void emit_char(emitter *e, char c) { emit(e, &c, 1); }

static void emit_hex(emitter *e, const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char pair[2] = {hexdigits[b[i] >> 4], hexdigits[b[i] & 15]};
        emit(e, pair, 2);
    }
}

static bool is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == '~';
}

/* RFC 3986 encoding of one byte: unreserved bytes (and '/' in paths) stay. */
static void emit_encoded(emitter *e, unsigned char c, bool keep_slash)
{
    if (is_unreserved(c) || (keep_slash && c == '/')) {
        emit_char(e, (char)c);
    } else {
        char esc[3] = {'%', HEXDIGITS[c >> 4], HEXDIGITS[c & 15]};
        emit(e, esc, 3);
    }
}

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static unsigned char lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c; }

/* ---- the canonical URI ------------------------------------------------- */

/* A path segment is a slice between slashes. */
typedef struct slice {
    const char *p;
    size_t n;
} slice;

static bool seg_is(slice s, const char *lit) { return s.n == strlen(lit) && memcmp(s.p, lit, s.n) == 0; }

/* The segment starting at p (just after a '/', or the path's start), and
 * where the next one starts (NULL at the end). */
static slice next_segment(const char *p, const char **rest)
{
    const char *slash = strchr(p, '/');
    slice s = {p, slash ? (size_t)(slash - p) : strlen(p)};
    *rest = slash ? slash + 1 : NULL;
    return s;
}

/* With normalization, a segment is dropped when it is empty, ".", "..", or
 * cancelled by a later ".." (one that is not used up by segments between).
 * Deciding that by looking ahead keeps the path in place without a stack
 * of segments. */
static bool segment_kept(slice s, const char *rest)
{
    if (s.n == 0 || seg_is(s, ".") || seg_is(s, ".."))
        return false;
    size_t depth = 0;
    while (rest) {
        slice t = next_segment(rest, &rest);
        if (seg_is(t, "..")) {
            if (depth == 0)
                return false;
            depth--;
        } else if (t.n && !seg_is(t, ".")) {
            depth++;
        }
    }
    return true;
}

/* The wire path, normalized if asked (as RFC 3986 5.2.4 plus removal of
 * empty segments, the rule of every service but S3) and encoded once more:
 * for services other than S3 AWS signs the encoding of the path as sent,
 * so "%3A" on the wire is "%253A" here. */
static void emit_path(emitter *e, const char *path, bool normalize)
{
    if (!*path) {       /* an empty path is the root, for every signer */
        emit_char(e, '/');
        return;
    }
    if (!normalize) {
        for (const unsigned char *p = (const unsigned char *)path; *p; p++)
            emit_encoded(e, *p, true);
        return;
    }
    bool absolute = path[0] == '/';
    const char *rest = absolute ? path + 1 : path;
    size_t kept = 0;
    if (absolute)
        emit_char(e, '/');
    while (rest) {
        slice s = next_segment(rest, &rest);
        if (!segment_kept(s, rest))
            continue;
        if (kept++)
            emit_char(e, '/');
        for (size_t i = 0; i < s.n; i++)
            emit_encoded(e, (unsigned char)s.p[i], false);
    }
    size_t n = strlen(path);
    if (kept && n && path[n - 1] == '/')
        emit_char(e, '/');
}

/* ---- the canonical query ---------------------------------------------- */

/* One query parameter as it is on the wire: key and value slices. */
typedef struct param {
    slice key, value;
    size_t index;       /* position in the query, to order exact duplicates */
} param;

/* Reads the parameter starting at *p (pieces between '&'; empty pieces are
 * skipped). Returns false at the end. */
static bool next_param(const char **p, param *out, size_t *index)
{
    const char *s = *p;
    while (*s == '&')
        s++;
    if (!*s)
        return false;
    const char *amp = strchr(s, '&');
    size_t n = amp ? (size_t)(amp - s) : strlen(s);
    const char *eq = memchr(s, '=', n);
    out->key = (slice){s, eq ? (size_t)(eq - s) : n};
    out->value = eq ? (slice){eq + 1, n - (size_t)(eq + 1 - s)} : (slice){s + n, 0};
    out->index = (*index)++;
    *p = s + n;
    return true;
}

/* The bytes a wire component stands for, read one at a time: "%XX" is a
 * byte, anything else (a stray '%' too) is itself. */
static size_t decode_at(slice s, size_t i, unsigned char *byte)
{
    if (s.p[i] == '%' && i + 2 < s.n) {
        int hi = ctli_hex_digit((unsigned char)s.p[i + 1]), lo = ctli_hex_digit((unsigned char)s.p[i + 2]);
        if (hi >= 0 && lo >= 0) {
            *byte = (unsigned char)(hi << 4 | lo);
            return 3;
        }
    }
    *byte = (unsigned char)s.p[i];
    return 1;
}

/* An iterator over the canonical (decoded, then encoded) form of a
 * component, byte by byte, so two components compare without copies. */
typedef struct enc_iter {
    slice s;
    size_t i;
    char pending[3];
    size_t npending, at;
} enc_iter;

static int enc_next(enc_iter *it)
{
    if (it->at < it->npending)
        return (unsigned char)it->pending[it->at++];
    if (it->i >= it->s.n)
        return -1;
    unsigned char c;
    it->i += decode_at(it->s, it->i, &c);
    if (is_unreserved(c))
        return c;
    it->pending[0] = '%';
    it->pending[1] = HEXDIGITS[c >> 4];
    it->pending[2] = HEXDIGITS[c & 15];
    it->npending = 3;
    it->at = 1;
    return '%';
}

static int cmp_encoded(slice a, slice b)
{
    enc_iter x = {.s = a}, y = {.s = b};
    for (;;) {
        int ca = enc_next(&x), cb = enc_next(&y);
        if (ca != cb)
            return ca < cb ? -1 : 1;
        if (ca < 0)
            return 0;
    }
}

/* Order of the canonical query: encoded key, then encoded value, then the
 * position (so equal pairs are all kept). */
static int cmp_param(const param *a, const param *b)
{
    int c = cmp_encoded(a->key, b->key);
    if (!c)
        c = cmp_encoded(a->value, b->value);
    if (!c)
        c = a->index < b->index ? -1 : a->index > b->index;
    return c;
}

static void emit_component(emitter *e, slice s)
{
    for (size_t i = 0; i < s.n;) {
        unsigned char c;
        i += decode_at(s, i, &c);
        emit_encoded(e, c, false);
    }
}

static void emit_query(emitter *e, const char *query)
{
    if (!query)
        return;
    param prev = {{NULL, 0}, {NULL, 0}, 0};
    bool have_prev = false, first = true;
    for (;;) {
        param best = {{NULL, 0}, {NULL, 0}, 0}, cur;
        bool have_best = false;
        const char *p = query;
        size_t index = 0;
        while (next_param(&p, &cur, &index)) {
            if (have_prev && cmp_param(&cur, &prev) <= 0)
                continue;
            if (!have_best || cmp_param(&cur, &best) < 0) {
                best = cur;
                have_best = true;
            }
        }
        if (!have_best)
            return;
        if (!first)
            emit_char(e, '&');
        first = false;
        emit_component(e, best.key);
        emit_char(e, '=');
        emit_component(e, best.value);
        prev = best;
        have_prev = true;
    }
}

/* ---- canonical headers ------------------------------------------------- */

static int cmp_name(const char *a, const char *b)
{
    for (;; a++, b++) {
        unsigned char x = lower((unsigned char)*a), y = lower((unsigned char)*b);
        if (x != y || !x)
            return x < y ? -1 : x > y;
    }
}

/* Header names must be HTTP tokens: anything else could forge lines of the
 * canonical request. */
static bool valid_name(const char *name)
{
    if (!name || !*name)
        return false;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p <= ' ' || *p >= 127 || strchr("\"(),/:;<=>?@[\\]{}", *p))
            return false;
    return true;
}

/* The next header name after prev (NULL: the first) in sorted lower-case
 * order, or -1 when none is left. */
static long next_header(const ctli_sigv4_request *r, const char *prev)
{
    long best = -1;
    for (size_t i = 0; i < r->nheaders; i++) {
        const char *n = r->headers[i].name;
        if (prev && cmp_name(n, prev) <= 0)
            continue;
        if (best < 0 || cmp_name(n, r->headers[best].name) < 0)
            best = (long)i;
    }
    return best;
}

static void emit_lower(emitter *e, const char *s)
{
    for (; *s; s++)
        emit_char(e, (char)lower((unsigned char)*s));
}

/* A value trimmed, each run of white space (line breaks of folded
 * continuation lines too) made one space. */
static void emit_value(emitter *e, const char *v)
{
    bool started = false, space = false;
    for (; *v; v++) {
        if (is_space((unsigned char)*v)) {
            space = true;
            continue;
        }
        if (started && space)
            emit_char(e, ' ');
        emit_char(e, *v);
        started = true;
        space = false;
    }
}

static void emit_signed_names(emitter *e, const ctli_sigv4_request *r)
{
    const char *prev = NULL;
    for (long i; (i = next_header(r, prev)) >= 0; prev = r->headers[i].name) {
        if (prev)
            emit_char(e, ';');
        emit_lower(e, r->headers[i].name);
    }
}

static void emit_headers(emitter *e, const ctli_sigv4_request *r)
{
    const char *prev = NULL;
    for (long i; (i = next_header(r, prev)) >= 0; prev = r->headers[i].name) {
        emit_lower(e, r->headers[i].name);
        emit_char(e, ':');
        /* Every header of that name, in the order given, joined by ','. */
        bool first = true;
        for (size_t j = (size_t)i; j < r->nheaders; j++) {
            if (cmp_name(r->headers[j].name, r->headers[i].name))
                continue;
            if (!first)
                emit_char(e, ',');
            first = false;
            emit_value(e, r->headers[j].value);
        }
        emit_char(e, '\n');
    }
}

/* The header's value when r has one by that (lower-case) name, else NULL. */
static const char *find_header(const ctli_sigv4_request *r, const char *name)
{
    for (size_t i = 0; i < r->nheaders; i++)
        if (!cmp_name(r->headers[i].name, name))
            return r->headers[i].value;
    return NULL;
}

/* ---- checks -------------------------------------------------------------- */

static bool valid_scope_field(const char *s)
{
    if (!s || !*s || strlen(s) > SCOPE_FIELD_MAX)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || *p >= 127 || *p == '/' || *p == ',' || *p == ';' || *p == '=')
            return false;
    return true;
}

/* "YYYYMMDDTHHMMSSZ", the basic ISO 8601 form X-Amz-Date carries. */
static bool valid_amz_date(const char *d)
{
    if (!d || strlen(d) != 16 || d[8] != 'T' || d[15] != 'Z')
        return false;
    for (int i = 0; i < 15; i++)
        if (i != 8 && (d[i] < '0' || d[i] > '9'))
            return false;
    return true;
}

/* The number of parameters in a query (its non-empty pieces between
 * '&'), counted up to a little over the limit. */
static size_t count_params(const char *query)
{
    param p;
    size_t n = 0, index = 0;
    while (query && n <= CTLI_SIGV4_MAX_PARAMS && next_param(&query, &p, &index))
        n++;
    return n;
}

static bool valid_request(const ctli_sigv4_request *r)
{
    if (!r || !r->method || !*r->method || !r->path || strlen(r->path) > CTLI_SIGV4_MAX_PATH ||
        (r->query && strlen(r->query) > CTLI_SIGV4_MAX_QUERY) || count_params(r->query) > CTLI_SIGV4_MAX_PARAMS ||
        r->nheaders > CTLI_SIGV4_MAX_HEADERS || !valid_scope_field(r->region) || !valid_scope_field(r->service) ||
        !valid_amz_date(r->amz_date) || (r->payload_len && !r->payload) || (r->nheaders && !r->headers))
        return false;
    for (const unsigned char *p = (const unsigned char *)r->method; *p; p++)
        if (*p <= ' ' || *p >= 127)
            return false;
    bool host = false;
    for (size_t i = 0; i < r->nheaders; i++) {
        if (!valid_name(r->headers[i].name) || !r->headers[i].value)
            return false;
        host |= !cmp_name(r->headers[i].name, "host");
    }
    return host;
}

/* ---- the canonical request and the string to sign ---------------------- */

static bool sha256(const void *data, size_t n, unsigned char out[32])
{
    unsigned int len = 0;
    return ctli_aws_lib.EVP_Digest(data, n, out, &len, ctli_aws_lib.EVP_sha256(), NULL) == 1 && len == 32;
}

static void emit_canonical(emitter *e, const ctli_sigv4_request *r, const unsigned char payload_hash[32])
{
    emit_str(e, r->method);
    emit_char(e, '\n');
    emit_path(e, r->path, r->normalize_path);
    emit_char(e, '\n');
    emit_query(e, r->query);
    emit_char(e, '\n');
    emit_headers(e, r);
    emit_char(e, '\n');
    emit_signed_names(e, r);
    emit_char(e, '\n');
    /* A signed x-amz-content-sha256 (S3's header, and UNSIGNED-PAYLOAD)
     * stands for the payload, as AWS reads it. */
    const char *declared = find_header(r, "x-amz-content-sha256");
    if (declared)
        emit_value(e, declared);
    else
        emit_hex(e, payload_hash, 32);
}

static long finish(emitter *e)
{
    if (e->overflow)
        return -1;
    e->buf[e->len] = '\0';
    return (long)e->len;
}

int ctli_sigv4_sha256_hex(const void *data, size_t len, char hex[65])
{
    unsigned char md[32];
    if (ctli_aws_libs_open(NULL, 0) != 0 || !sha256(data, len, md))
        return -1;
    for (int i = 0; i < 32; i++) {
        hex[2 * i] = hexdigits[md[i] >> 4];
        hex[2 * i + 1] = hexdigits[md[i] & 15];
    }
    hex[64] = '\0';
    return 0;
}

long ctli_sigv4_canonical_request(const ctli_sigv4_request *r, char *out, size_t cap)
{
    if (ctli_aws_libs_open(NULL, 0) != 0) /* libcrypto (aws_libs.h) */
        return -1;
    unsigned char ph[32];
    if (!out || !cap || !valid_request(r) || !sha256(r->payload ? r->payload : "", r->payload_len, ph))
        return -1;
    emitter e = {.buf = out, .cap = cap};
    emit_canonical(&e, r, ph);
    return finish(&e);
}

/* SHA-256 of the canonical request, streamed. */
static bool canonical_hash(const ctli_sigv4_request *r, unsigned char out[32])
{
    unsigned char ph[32];
    if (!sha256(r->payload ? r->payload : "", r->payload_len, ph))
        return false;
    EVP_MD_CTX *md = ctli_aws_lib.EVP_MD_CTX_new();
    if (!md)
        return false;
    emitter e = {.md = md};
    unsigned int len = 0;
    bool ok = ctli_aws_lib.EVP_DigestInit_ex(md, ctli_aws_lib.EVP_sha256(), NULL) == 1;
    if (ok) {
        emit_canonical(&e, r, ph);
        ok = !e.md_failed && ctli_aws_lib.EVP_DigestFinal_ex(md, out, &len) == 1 && len == 32;
    }
    ctli_aws_lib.EVP_MD_CTX_free(md);
    return ok;
}

static void emit_string_to_sign(emitter *e, const ctli_sigv4_request *r, const char *date8,
                                const unsigned char creq_hash[32])
{
    emit_str(e, "AWS4-HMAC-SHA256\n");
    emit_str(e, r->amz_date);
    emit_char(e, '\n');
    emit(e, date8, 8);
    emit_char(e, '/');
    emit_str(e, r->region);
    emit_char(e, '/');
    emit_str(e, r->service);
    emit_str(e, "/aws4_request\n");
    emit_hex(e, creq_hash, 32);
}

static bool valid_date8(const char *d)
{
    if (!d || strlen(d) != 8)
        return false;
    for (int i = 0; i < 8; i++)
        if (d[i] < '0' || d[i] > '9')
            return false;
    return true;
}

long ctli_sigv4_string_to_sign(const ctli_sigv4_request *r, const char *credential_scope_date, char *out, size_t cap)
{
    if (ctli_aws_libs_open(NULL, 0) != 0) /* libcrypto (aws_libs.h) */
        return -1;
    unsigned char h[32];
    if (!out || !cap || !valid_request(r))
        return -1;
    const char *date8 = credential_scope_date ? credential_scope_date : r->amz_date;
    if (credential_scope_date && !valid_date8(credential_scope_date))
        return -1;
    if (!canonical_hash(r, h))
        return -1;
    emitter e = {.buf = out, .cap = cap};
    emit_string_to_sign(&e, r, date8, h);
    return finish(&e);
}

/* ---- the signature ----------------------------------------------------- */

static bool hmac(const void *key, size_t keylen, const void *msg, size_t n, unsigned char out[32])
{
    unsigned int len = 0;
    return ctli_aws_lib.HMAC(ctli_aws_lib.EVP_sha256(), key, (int)keylen, msg, n, out, &len) && len == 32;
}

/* The hex signature of r under creds for the scope date date8 (64 chars
 * and a NUL into sig). The derived keys are wiped before returning. */
static bool signature_hex(const ctli_sigv4_request *r, const ctli_sigv4_creds *creds, const char *date8,
                          char sig[65])
{
    size_t slen = strlen(creds->secret_access_key);
    if (slen > SECRET_MAX)
        return false;
    unsigned char creq_hash[32], k[32], mac[32];
    char sts[320];
    unsigned char secret[4 + SECRET_MAX];
    if (!canonical_hash(r, creq_hash))
        return false;
    emitter e = {.buf = sts, .cap = sizeof sts};
    emit_string_to_sign(&e, r, date8, creq_hash);
    if (finish(&e) < 0)
        return false;
    memcpy(secret, "AWS4", 4);
    memcpy(secret + 4, creds->secret_access_key, slen);
    bool ok = hmac(secret, 4 + slen, date8, 8, k) && hmac(k, 32, r->region, strlen(r->region), k) &&
              hmac(k, 32, r->service, strlen(r->service), k) && hmac(k, 32, "aws4_request", 12, k) &&
              hmac(k, 32, sts, e.len, mac);
    ctli_aws_lib.OPENSSL_cleanse(secret, sizeof secret);
    ctli_aws_lib.OPENSSL_cleanse(k, sizeof k);
    if (!ok)
        return false;
    emitter h = {.buf = sig, .cap = 65};
    emit_hex(&h, mac, 32);
    return finish(&h) == 64;
}

static bool valid_creds(const ctli_sigv4_creds *c)
{
    if (!c || !c->secret_access_key || !*c->secret_access_key || !c->access_key_id)
        return false;
    size_t n = strlen(c->access_key_id);
    if (!n || n > KEY_ID_MAX)
        return false;
    for (const unsigned char *p = (const unsigned char *)c->access_key_id; *p; p++)
        if (*p <= ' ' || *p >= 127 || *p == '/' || *p == ',')
            return false;
    return true;
}

int ctli_sigv4_sign(const ctli_sigv4_request *r, const ctli_sigv4_creds *creds, char *auth, size_t cap)
{
    if (ctli_aws_libs_open(NULL, 0) != 0) /* libcrypto (aws_libs.h) */
        return -1;
    char sig[65];
    if (!auth || !cap || !valid_request(r) || !valid_creds(creds) || !signature_hex(r, creds, r->amz_date, sig))
        return -1;
    emitter e = {.buf = auth, .cap = cap};
    emit_str(&e, "AWS4-HMAC-SHA256 Credential=");
    emit_str(&e, creds->access_key_id);
    emit_char(&e, '/');
    emit(&e, r->amz_date, 8);
    emit_char(&e, '/');
    emit_str(&e, r->region);
    emit_char(&e, '/');
    emit_str(&e, r->service);
    emit_str(&e, "/aws4_request, SignedHeaders=");
    emit_signed_names(&e, r);
    emit_str(&e, ", Signature=");
    emit(&e, sig, 64);
    ctli_aws_lib.OPENSSL_cleanse(sig, sizeof sig);
    return finish(&e) < 0 ? -1 : 0;
}

/* ---- the date -------------------------------------------------------- */

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

int ctli_sigv4_parse_amz_date(const char *amz_date, long long *epoch)
{
    if (!valid_amz_date(amz_date) || !epoch)
        return -1;
    const char *d = amz_date;
    int y = digits(d, 4), mo = digits(d + 4, 2), day = digits(d + 6, 2);
    int h = digits(d + 9, 2), mi = digits(d + 11, 2), sec = digits(d + 13, 2);
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1970 || mo < 1 || mo > 12 || day < 1 || day > mdays[mo - 1] + (mo == 2 && leap) || h > 23 || mi > 59 ||
        sec > 60)
        return -1;
    /* Days since 1970-01-01 of a proleptic Gregorian date, counting years
     * from March so that the leap day comes last. */
    long long yy = y - (mo <= 2), era = yy / 400, yoe = yy - era * 400;
    long long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long long days = era * 146097 + doe - 719468;
    *epoch = days * 86400 + h * 3600 + mi * 60 + sec;
    return 0;
}

/* ---- verification ------------------------------------------------------- */

/* The longest Authorization value verify reads; longer ones are refused
 * before any parsing. */
#define AUTH_INPUT_MAX 4096

static int refuse(char *why, size_t cap, const char *reason)
{
    if (why && cap) {
        size_t n = strlen(reason);
        if (n >= cap)
            n = cap - 1;
        memcpy(why, reason, n);
        why[n] = '\0';
    }
    return -1;
}

static bool slice_eq(slice s, const char *lit) { return s.n == strlen(lit) && !memcmp(s.p, lit, s.n); }

static bool is_lower_hex(slice s)
{
    for (size_t i = 0; i < s.n; i++)
        if (!((s.p[i] >= '0' && s.p[i] <= '9') || (s.p[i] >= 'a' && s.p[i] <= 'f')))
            return false;
    return true;
}

/* Splits s at the first sep: *head before it, s after it (the rest). */
static bool split_at(slice *s, char sep, slice *head)
{
    const char *p = memchr(s->p, sep, s->n);
    if (!p)
        return false;
    *head = (slice){s->p, (size_t)(p - s->p)};
    s->n -= (size_t)(p + 1 - s->p);
    s->p = p + 1;
    return true;
}

/* Copies a scope field into out (NUL-terminated) when it is one. */
static bool scope_field(slice s, char out[SCOPE_FIELD_MAX + 1])
{
    if (!s.n || s.n > SCOPE_FIELD_MAX)
        return false;
    memcpy(out, s.p, s.n);
    out[s.n] = '\0';
    return valid_scope_field(out);
}

typedef struct parsed_auth {
    slice credential, signed_headers, signature;
} parsed_auth;

/* "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...":
 * each component once, in any order, separated by ',' and optional white
 * space. Returns NULL or the reason it is malformed. */
static const char *parse_auth(const char *a, parsed_auth *out)
{
    static const char alg[] = "AWS4-HMAC-SHA256";
    size_t n = strlen(a);
    if (n > AUTH_INPUT_MAX)
        return "Authorization header too long";
    if (n < sizeof alg || memcmp(a, alg, sizeof alg - 1) || (a[sizeof alg - 1] != ' ' && a[sizeof alg - 1] != '\t'))
        return "Authorization is not AWS4-HMAC-SHA256";
    slice rest = {a + sizeof alg - 1, n - (sizeof alg - 1)};
    *out = (parsed_auth){{NULL, 0}, {NULL, 0}, {NULL, 0}};
    for (bool more = true; more;) {
        slice comp;
        if (!split_at(&rest, ',', &comp)) {
            comp = rest;
            more = false;
        }
        /* HTTP's optional white space: spaces and tabs only. */
        while (comp.n && (*comp.p == ' ' || *comp.p == '\t'))
            comp.p++, comp.n--;
        while (comp.n && (comp.p[comp.n - 1] == ' ' || comp.p[comp.n - 1] == '\t'))
            comp.n--;
        if (!comp.n)
            return "empty Authorization component";
        slice name;
        if (!split_at(&comp, '=', &name))
            return "malformed Authorization component (name=value expected)";
        slice *field = slice_eq(name, "Credential")      ? &out->credential
                       : slice_eq(name, "SignedHeaders") ? &out->signed_headers
                       : slice_eq(name, "Signature")     ? &out->signature
                                                         : NULL;
        if (!field)
            return "unknown Authorization component";
        if (field->p)
            return "repeated Authorization component";
        if (!comp.n)
            return "empty Authorization component";
        *field = comp;
    }
    if (!out->credential.p)
        return "Authorization has no Credential";
    if (!out->signed_headers.p)
        return "Authorization has no SignedHeaders";
    if (!out->signature.p)
        return "Authorization has no Signature";
    return NULL;
}

/* True when the hex SHA-256 of the payload is h (64 lower-case hex). */
static bool payload_hash_is(const ctli_sigv4_request *r, const char *h)
{
    unsigned char ph[32];
    char hex[65];
    if (!sha256(r->payload ? r->payload : "", r->payload_len, ph))
        return false;
    emitter e = {.buf = hex, .cap = sizeof hex};
    emit_hex(&e, ph, 32);
    return finish(&e) == 64 && strlen(h) == 64 && !ctli_aws_lib.CRYPTO_memcmp(hex, h, 64);
}

int ctli_sigv4_verify(const ctli_sigv4_request *r, const char *authorization, const ctli_sigv4_creds *creds,
                     char *why, size_t why_cap)
{
    if (why && why_cap)
        why[0] = '\0';
    char opened[300];
    if (ctli_aws_libs_open(opened, sizeof opened) != 0) /* libcrypto (aws_libs.h) */
        return refuse(why, why_cap, opened);
    if (!valid_creds(creds))
        return refuse(why, why_cap, "server credentials are not usable");
    if (!authorization || !*authorization)
        return refuse(why, why_cap, "missing Authorization");
    parsed_auth pa;
    const char *bad = parse_auth(authorization, &pa);
    if (bad)
        return refuse(why, why_cap, bad);

    /* Credential=KEYID/DATE/REGION/SERVICE/aws4_request */
    slice cred = pa.credential, key_id, date, region, service;
    char region_s[SCOPE_FIELD_MAX + 1], service_s[SCOPE_FIELD_MAX + 1];
    if (!split_at(&cred, '/', &key_id) || !split_at(&cred, '/', &date) || !split_at(&cred, '/', &region) ||
        !split_at(&cred, '/', &service) || !slice_eq(cred, "aws4_request"))
        return refuse(why, why_cap, "malformed Credential (KEYID/DATE/REGION/SERVICE/aws4_request expected)");
    if (!slice_eq(key_id, creds->access_key_id))
        return refuse(why, why_cap, "unknown access key id");
    if (!scope_field(region, region_s) || !scope_field(service, service_s))
        return refuse(why, why_cap, "malformed Credential scope");
    if (!r || !valid_amz_date(r->amz_date))
        return refuse(why, why_cap, "missing or malformed X-Amz-Date");
    if (date.n != 8 || memcmp(date.p, r->amz_date, 8))
        return refuse(why, why_cap, "Credential date does not match X-Amz-Date");
    if (r->region && strcmp(r->region, region_s))
        return refuse(why, why_cap, "Credential region does not match this endpoint's");
    if (r->service && strcmp(r->service, service_s))
        return refuse(why, why_cap, "Credential service does not match this endpoint's");
    ctli_sigv4_request req = *r;
    req.region = region_s;
    req.service = service_s;
    if (!valid_request(&req))
        return refuse(why, why_cap,
                      "request cannot be verified (method, path or Host header missing, a bad header name, "
                      "or a path, query or header count over the limits)");

    /* SignedHeaders must name exactly the headers given, sorted and lower
     * case, and include host and x-amz-date. */
    char names[CTLI_SIGV4_MAX_SIGNED_NAMES + 1];
    emitter e = {.buf = names, .cap = sizeof names};
    emit_signed_names(&e, &req);
    if (finish(&e) < 0 || !slice_eq(pa.signed_headers, names))
        return refuse(why, why_cap, "SignedHeaders do not match the request's signed headers");
    if (!find_header(&req, "x-amz-date"))
        return refuse(why, why_cap, "X-Amz-Date is not signed");
    if (pa.signature.n != 64 || !is_lower_hex(pa.signature))
        return refuse(why, why_cap, "malformed Signature (64 lower-case hex digits expected)");

    if (creds->session_token && *creds->session_token) {
        const char *t = find_header(&req, "x-amz-security-token");
        size_t n = strlen(creds->session_token);
        if (!t || strlen(t) != n || ctli_aws_lib.CRYPTO_memcmp(t, creds->session_token, n))
            return refuse(why, why_cap, "missing or wrong X-Amz-Security-Token");
    }
    /* A declared payload hash is signed in place of the payload: it must be
     * the payload's (UNSIGNED-PAYLOAD is accepted, as AWS does). */
    const char *declared = find_header(&req, "x-amz-content-sha256");
    if (declared && strcmp(declared, "UNSIGNED-PAYLOAD") && !payload_hash_is(&req, declared))
        return refuse(why, why_cap, "X-Amz-Content-SHA256 does not match the payload");

    char sig[65];
    if (!signature_hex(&req, creds, req.amz_date, sig))
        return refuse(why, why_cap, "request cannot be signed");
    int diff = ctli_aws_lib.CRYPTO_memcmp(sig, pa.signature.p, 64);
    ctli_aws_lib.OPENSSL_cleanse(sig, sizeof sig);
    if (diff)
        return refuse(why, why_cap, "signature does not match");
    return 0;
}
