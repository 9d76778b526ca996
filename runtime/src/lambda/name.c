/* lambda_name.c: Lambda function names in the forms Invoke accepts, checked
 * and written as the path segment of the Invoke URL.
 *
 * Checking here rather than letting Lambda answer 400 gives the error where
 * the route is set (ctl_client_route, or the first send under a
 * CTL_FUNCTION_ variable), in words that say which part is wrong. */
#include <stdio.h>
#include <string.h>

#include "lambda/lambda.h"

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static bool all_of(const char *s, size_t n, bool (*ok)(char))
{
    for (size_t i = 0; i < n; i++)
        if (!ok(s[i]))
            return false;
    return n > 0;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_region_char(char c)
{
    return (c >= 'a' && c <= 'z') || is_digit(c) || c == '-';
}

/* A slice of the name between colons. */
typedef struct part {
    const char *s;
    size_t n;
} part;

static bool eq(part p, const char *lit)
{
    return p.n == strlen(lit) && memcmp(p.s, lit, p.n) == 0;
}

static int fail(char *why, size_t cap, const char *name, const char *what)
{
    snprintf(why, cap, "'%.180s' is not a Lambda function name: %s", name, what);
    return -1;
}

/* Unreserved characters (RFC 3986) stay; everything else is %XX, which is
 * what botocore puts on the wire for the FunctionName label (':' and '$'
 * included). */
static size_t encode(const char *s, char *out)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (is_name_char((char)c) || c == '.' || c == '~') {
            out[n++] = (char)c;
        } else {
            out[n++] = '%';
            out[n++] = hex[c >> 4];
            out[n++] = hex[c & 15];
        }
    }
    out[n] = '\0';
    return n;
}

int ctli_lambda_name_path(const char *name, char *out, size_t cap, char *why, size_t why_cap)
{
    size_t len = name ? strlen(name) : 0;
    if (len == 0)
        return fail(why, why_cap, "", "it is empty");
    if (len > CTLI_LAMBDA_NAME_MAX)
        return fail(why, why_cap, name, "longer than 170 characters");
    if (cap < 3 * len + 1)
        return fail(why, why_cap, name, "no room to encode it");

    part parts[9];
    size_t nparts = 0;
    const char *start = name;
    for (const char *p = name;; p++) {
        if (*p == ':' || *p == '\0') {
            if (nparts == 9)
                return fail(why, why_cap, name, "too many ':'-separated parts");
            parts[nparts++] = (part){ start, (size_t)(p - start) };
            if (*p == '\0')
                break;
            start = p + 1;
        }
    }

    /* Where the function's own name and the optional qualifier sit. */
    size_t at;
    switch (nparts) {
    case 1:
    case 2:
        at = 0;
        break;
    case 3:
    case 4:
        if (parts[0].n != 12 || !all_of(parts[0].s, 12, is_digit))
            return fail(why, why_cap, name, "a partial ARN starts with a 12-digit account id");
        if (!eq(parts[1], "function"))
            return fail(why, why_cap, name, "a partial ARN reads ACCOUNT:function:NAME");
        at = 2;
        break;
    case 7:
    case 8:
        if (!eq(parts[0], "arn"))
            return fail(why, why_cap, name, "an ARN starts with 'arn:'");
        if (parts[1].n < 3 || memcmp(parts[1].s, "aws", 3) != 0 || !all_of(parts[1].s, parts[1].n, is_region_char))
            return fail(why, why_cap, name, "the ARN's partition is not aws or aws-*");
        if (!eq(parts[2], "lambda"))
            return fail(why, why_cap, name, "the ARN's service is not lambda");
        if (!all_of(parts[3].s, parts[3].n, is_region_char))
            return fail(why, why_cap, name, "the ARN's region is not a region name");
        if (parts[4].n != 12 || !all_of(parts[4].s, 12, is_digit))
            return fail(why, why_cap, name, "the ARN's account id is not 12 digits");
        if (!eq(parts[5], "function"))
            return fail(why, why_cap, name, "the ARN's resource type is not 'function'");
        at = 6;
        break;
    default:
        return fail(why, why_cap, name, "expected NAME, NAME:QUALIFIER, ACCOUNT:function:NAME[:QUALIFIER] or "
                                        "arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]");
    }
    part fn = parts[at];
    if (fn.n > 64 || !all_of(fn.s, fn.n, is_name_char))
        return fail(why, why_cap, name, "the function name is 1 to 64 letters, digits, '-' or '_'");
    if (at + 1 < nparts) {
        part q = parts[at + 1];
        if (!eq(q, "$LATEST") && (q.n > 128 || !all_of(q.s, q.n, is_name_char)))
            return fail(why, why_cap, name, "the qualifier is $LATEST, a version or an alias (letters, digits, "
                                            "'-', '_')");
    }
    encode(name, out);
    return 0;
}
