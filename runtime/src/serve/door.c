/* serve/door.c: strict HTTP at the door. What RFC 9112 tells a server
 * to refuse, or what lets a proxy in front and this server disagree on
 * where a request ends (request smuggling), checked on the headers as
 * libmicrohttpd 0.9.75 hands them over, before any byte of the body is
 * read (runtime/README.md, "Strict HTTP"). MHD itself refuses a
 * Content-Length that is not a decimal number. */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "serve/door.h"

/* What the field lines seen so far hold. */
typedef struct door {
    int content_length, transfer_encoding, host;
    const char *why; /* the first rule broken (a constant), or NULL */
} door;

/* Is c a tchar of RFC 9110's token (a field name's characters)? */
static bool is_tchar(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

static enum MHD_Result door_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    door *d = cls;
    size_t n = strlen(key);
    /* MHD 0.9.75 keeps a field line's name and value where they were read,
     * side by side: NAME '\0' OWS VALUE. It glues an obs-fold continuation
     * line (one starting with SP or HTAB) to the end of the *name*, in a
     * copy made elsewhere, so a name no longer right before its value is a
     * folded line. */
    const char *after = key + n + 1;
    bool adjacent = value && value >= after && value - after <= 1024;
    for (const char *p = after; adjacent && p < value; p++)
        adjacent = *p == ' ' || *p == '\t';
    if (!adjacent) {
        d->why = "a header line is folded onto the next (obsolete line folding, RFC 9112 section 5.2)";
        return MHD_NO;
    }
    for (size_t i = 0; i < n; i++) {
        if (key[i] == ' ' || key[i] == '\t') {
            d->why = "whitespace between a header name and the colon (RFC 9112 section 5.1)";
            return MHD_NO;
        }
        if (!is_tchar((unsigned char)key[i])) {
            d->why = "a header name has a character that is not allowed in a field name (RFC 9110 section 5.1)";
            return MHD_NO;
        }
    }
    if (n == 0) {
        d->why = "a header line has no name";
        return MHD_NO;
    }
    for (const char *p = value; p && *p; p++)
        if (*p == '\r' || *p == '\n') {
            d->why = "a header value has a bare CR or LF (RFC 9112 section 2.2)";
            return MHD_NO;
        }
    if (strcasecmp(key, "Content-Length") == 0)
        d->content_length++;
    else if (strcasecmp(key, "Transfer-Encoding") == 0)
        d->transfer_encoding++;
    else if (strcasecmp(key, "Host") == 0)
        d->host++;
    return MHD_YES;
}

const char *ctli_serve_door_check(struct MHD_Connection *conn, const char *version)
{
    door d = { 0 };
    MHD_get_connection_values(conn, MHD_HEADER_KIND, door_header, &d);
    if (d.why)
        return d.why;
    if (d.content_length > 1)
        return "the request has more than one Content-Length header";
    if (d.transfer_encoding && d.content_length)
        return "the request has both Transfer-Encoding and Content-Length (RFC 9112 section 6.1)";
    if (d.transfer_encoding > 1)
        return "the request has more than one Transfer-Encoding header";
    if (d.transfer_encoding) {
        /* MHD reads a body as chunked only when the value is exactly
         * "chunked"; anything else it would read up to the connection's
         * end, where a proxy may see another framing. */
        const char *te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Transfer-Encoding");
        if (!te || strcasecmp(te, "chunked") != 0)
            return "Transfer-Encoding must be chunked alone: this server decodes no other transfer coding "
                   "(RFC 9112 section 6.1)";
        if (version && strcmp(version, "HTTP/1.0") == 0)
            return "Transfer-Encoding in an HTTP/1.0 request (RFC 9112 section 6.1)";
    }
    if (d.host > 1)
        return "the request has more than one Host header (RFC 9112 section 3.2)";
    if (!d.host && version && strcmp(version, "HTTP/1.0") != 0)
        return "an HTTP/1.1 request without a Host header (RFC 9112 section 3.2)";
    return NULL;
}
