/* codec/idem.c: the key of an idempotent function's event, in one place.
 *
 * The key is the SHA-256 of the key fields' JSON values as a canonical
 * JSON array (or of the whole payload but "function"), so that the same
 * values written differently (member order, 1.0 for 1, escapes) are one
 * key; the validation hash is the SHA-256 of the whole payload, canonical
 * likewise. Powertools hashes with MD5 by default (hash_function="md5"):
 * the DynamoDB store, to share records with Powertools, must hash as it
 * does; the local store is ctl's own and takes SHA-256. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/gen.h"

#include "base/parts.h"
#include "base/strtod.h"
#include "codec/idem.h"

/* Members sorted by key bytes, for the canonical form. */
static int by_key(const void *a, const void *b)
{
    const ctl_json *x = *(const ctl_json *const *)a, *y = *(const ctl_json *const *)b;
    size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
    int cmp = memcmp(x->key, y->key, n);
    return cmp ? cmp : (x->key_len > y->key_len) - (x->key_len < y->key_len);
}

static void put_number(ctl_buf *b, const ctl_json *v)
{
    bool integer = true;
    for (uint32_t i = 0; i < v->len; i++)
        if (v->str[i] == '.' || v->str[i] == 'e' || v->str[i] == 'E')
            integer = false;
    if (integer) {
        /* exact, however long; "-0" is 0 */
        if (v->len == 2 && v->str[0] == '-' && v->str[1] == '0')
            ctl_buf_putc(b, '0');
        else
            ctl_buf_put(b, v->str, v->len);
        return;
    }
    char text[64], out[40];
    size_t n = v->len < sizeof text - 1 ? v->len : sizeof text - 1;
    memcpy(text, v->str, n);
    text[n] = '\0';
    double d = ctli_strtod_c(text, NULL);
    if (d == 0)
        d = 0; /* -0.0 is 0 */
    /* in range before the cast: converting 1e21 to int64_t is undefined */
    if (d > -9007199254740992.0 && d < 9007199254740992.0 && d == (double)(int64_t)d)
        snprintf(out, sizeof out, "%" PRId64, (int64_t)d); /* 1.0 and 1e3 are the integers they are */
    else
        snprintf(out, sizeof out, "%.17g", d);
    ctl_buf_put(b, out, strlen(out));
}

void ctli_idem_canonical(ctl_buf *b, const ctl_json *v, bool top)
{
    switch (v->type) {
    case CTL_JSON_NULL: CTL_BUF_LIT(b, "null"); return;
    case CTL_JSON_FALSE: CTL_BUF_LIT(b, "false"); return;
    case CTL_JSON_TRUE: CTL_BUF_LIT(b, "true"); return;
    case CTL_JSON_NUMBER: put_number(b, v); return;
    case CTL_JSON_STRING:
        if (ctl_write_string(b, v->str))
            b->failed = true;
        return;
    case CTL_JSON_ARRAY:
        ctl_buf_putc(b, '[');
        for (const ctl_json *m = v->child; m; m = m->next) {
            if (m != v->child)
                ctl_buf_putc(b, ',');
            ctli_idem_canonical(b, m, false);
        }
        ctl_buf_putc(b, ']');
        return;
    default: break;
    }
    size_t n = 0;
    for (const ctl_json *m = v->child; m; m = m->next)
        n++;
    const ctl_json **members = malloc((n ? n : 1) * sizeof *members);
    if (!members) {
        b->failed = true;
        return;
    }
    n = 0;
    for (const ctl_json *m = v->child; m; m = m->next)
        if (!(top && m->key_len == 8 && memcmp(m->key, "function", 8) == 0))
            members[n++] = m;
    qsort(members, n, sizeof *members, by_key);
    ctl_buf_putc(b, '{');
    for (size_t i = 0; i < n; i++) {
        if (i)
            ctl_buf_putc(b, ',');
        if (ctl_write_string(b, members[i]->key))
            b->failed = true;
        ctl_buf_putc(b, ':');
        ctli_idem_canonical(b, members[i], false);
    }
    ctl_buf_putc(b, '}');
    free(members);
}

/* Whether the len bytes of a JSON Pointer segment (RFC 6901: ~1 is '/',
 * ~0 is '~') name the key of n bytes. */
static bool segment_is(const char *seg, size_t len, const char *key, size_t n)
{
    size_t j = 0;
    for (size_t i = 0; i < len; i++, j++) {
        char ch = seg[i];
        if (ch == '~' && i + 1 < len)
            ch = seg[++i] == '1' ? '/' : '~';
        if (j >= n || key[j] != ch)
            return false;
    }
    return j == n;
}

/* The member at a JSON Pointer of wire names ("/leed/id"), or NULL. */
static const ctl_json *at_pointer(const ctl_json *v, const char *ptr)
{
    while (v && *ptr == '/') {
        const char *seg = ++ptr;
        size_t len = strcspn(seg, "/");
        ptr = seg + len;
        if (v->type != CTL_JSON_OBJECT)
            return NULL;
        const ctl_json *found = NULL;
        for (const ctl_json *m = v->child; m; m = m->next)
            if (segment_is(seg, len, m->key, m->key_len))
                found = m;
        v = found;
    }
    return v;
}

/* The digest through the part that links libcrypto (base/parts.h): a
 * store comes from such a part, so it is there whenever a key is needed. */
static int sha256_hex(const ctl_buf *b, char hex[65])
{
    if (!ctli_linked.sha256_hex)
        return -1;
    return ctli_linked.sha256_hex(b->data ? b->data : "", b->len, hex);
}

int ctli_idem_key_of(const ctl_controller *c, const ctl_function *f, const ctl_json *root, ctli_idem_key *out,
                     char *id, char *err, size_t errlen)
{
    const ctl_idempotency *idem = f->idempotent;
    ctl_buf whole = CTL_BUF_INIT, key = CTL_BUF_INIT;
    ctli_idem_canonical(&whole, root, true);
    if (idem->nkeys == 0) {
        ctl_buf_put(&key, whole.data ? whole.data : "", whole.len);
    } else {
        ctl_buf_putc(&key, '[');
        for (size_t i = 0; i < idem->nkeys; i++) {
            const ctl_json *v = at_pointer(root, idem->keys[i]);
            if (!v || v->type == CTL_JSON_NULL) {
                snprintf(err, errlen, "the idempotency key field %s of %s.%s is absent", idem->keys[i], c->name,
                         f->name);
                ctl_buf_free(&whole);
                ctl_buf_free(&key);
                return -1;
            }
            if (i)
                ctl_buf_putc(&key, ',');
            ctli_idem_canonical(&key, v, false);
        }
        ctl_buf_putc(&key, ']');
    }
    int rc = 0;
    if (whole.failed || key.failed || sha256_hex(&whole, out->validation) || sha256_hex(&key, out->key)) {
        snprintf(err, errlen,
                 "out of memory, or libcrypto failed or is not linked (libctl_sqlite or libctl_aws), hashing the "
                 "idempotency key of %s.%s",
                 c->name, f->name);
        rc = -1;
    } else if ((size_t)snprintf(id, CTLI_IDEM_ID_MAX, "%s.%s#%s", c->name, f->name, out->key) >= CTLI_IDEM_ID_MAX) {
        snprintf(err, errlen, "the idempotency record id of %s.%s is longer than %d bytes", c->name, f->name,
                 CTLI_IDEM_ID_MAX - 1);
        rc = -1;
    }
    ctl_buf_free(&whole);
    ctl_buf_free(&key);
    return rc;
}
