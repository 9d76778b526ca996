/* client/function_name.c: Lambda FunctionName forms, parsed with Lambda's
 * rules into their parts, and percent-encoded for the Invoke path.
 *
 * Checking here rather than letting Lambda answer 400 gives the error where
 * the route is set (ctl_client_route, or the first send under a
 * CTL_FUNCTION_ variable), in words that say which part is wrong; serve
 * refuses what Lambda would refuse with the same parser.
 *
 * The rules, from the Lambda API reference (Invoke, and botocore's model
 * of it, lambda/2015-03-31/service-2.json):
 *   FunctionName (NamespacedFunctionName): 1 to 170 characters, pattern
 *     (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?
 *     (\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?
 *     "If you specify only the function name, it is limited to 64
 *     characters in length" (and CreateFunction's names have no '.');
 *   Qualifier: 1 to 128 characters; a Version is $LATEST or [0-9]+, an
 *     Alias (?!^[0-9]+$)([a-zA-Z0-9-_]+), 1 to 128 characters.
 * The pattern is unanchored and looser than what Lambda resolves: here a
 * partition is one AWS has (common/rules.h), a region has a region's shape
 * (eu-west-3, us-gov-west-1, us-isob-east-1), an account is 12 digits, and
 * every part is present: `arn:evil:lambda:...`, `arn::lambda:::function:x`
 * and `name:` are refused. */
#include <stdio.h>
#include <string.h>

#include "base/hex.h"
#include "client/function_name.h"
#include "common/rules.h"

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Every byte of p is ok, and there is at least one. */
static bool all_of(ctli_name_part p, bool (*ok)(char))
{
    for (size_t i = 0; i < p.n; i++)
        if (!ok(p.s[i]))
            return false;
    return p.n > 0;
}

static bool eq(ctli_name_part p, const char *lit)
{
    return p.n == strlen(lit) && memcmp(p.s, lit, p.n) == 0;
}

static int fail(char *why, size_t cap, const char *name, const char *what)
{
    snprintf(why, cap, "'%.180s' is not a Lambda function name: %s", name, what);
    return -1;
}

bool ctli_function_qualifier_ok(const char *q, size_t n)
{
    ctli_name_part p = { q, n };
    return eq(p, "$LATEST") || (n <= 128 && all_of(p, is_name_char));
}

int ctli_function_name_parse(const char *name, ctli_function_name *out, char *why, size_t why_cap)
{
    memset(out, 0, sizeof *out);
    size_t len = name ? strlen(name) : 0;
    if (len == 0)
        return fail(why, why_cap, "", "it is empty");
    if (len > CTLI_FUNCTION_NAME_MAX)
        return fail(why, why_cap, name, "longer than 170 characters");

    ctli_name_part parts[9];
    size_t nparts = 0;
    const char *start = name;
    for (const char *p = name;; p++) {
        if (*p == ':' || *p == '\0') {
            if (nparts == 9)
                return fail(why, why_cap, name, "too many ':'-separated parts");
            parts[nparts++] = (ctli_name_part){ start, (size_t)(p - start) };
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
        if (parts[0].n != 12 || !all_of(parts[0], is_digit))
            return fail(why, why_cap, name, "a partial ARN starts with a 12-digit account id");
        if (!eq(parts[1], "function"))
            return fail(why, why_cap, name, "a partial ARN reads ACCOUNT:function:NAME");
        out->account = parts[0];
        at = 2;
        break;
    case 7:
    case 8:
        if (!eq(parts[0], "arn"))
            return fail(why, why_cap, name, "an ARN starts with 'arn:'");
        if (!ctli_rule_partition_ok(parts[1].s, parts[1].n))
            return fail(why, why_cap, name, "the ARN's partition is not an AWS partition (aws, aws-cn, aws-us-gov, "
                                            "aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc)");
        if (!eq(parts[2], "lambda"))
            return fail(why, why_cap, name, "the ARN's service is not lambda");
        if (!ctli_rule_region_ok(parts[3].s, parts[3].n))
            return fail(why, why_cap, name, "the ARN's region is not a region name like eu-west-3 (lower-case "
                                            "words and a number joined by '-')");
        if (parts[4].n != 12 || !all_of(parts[4], is_digit))
            return fail(why, why_cap, name, "the ARN's account id is not 12 digits");
        if (!eq(parts[5], "function"))
            return fail(why, why_cap, name, "the ARN's resource type is not 'function'");
        out->partition = parts[1];
        out->region = parts[3];
        out->account = parts[4];
        at = 6;
        break;
    default:
        return fail(why, why_cap, name, "expected NAME, NAME:QUALIFIER, ACCOUNT:function:NAME[:QUALIFIER] or "
                                        "arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]");
    }
    if (parts[at].n > 64 || !all_of(parts[at], is_name_char))
        return fail(why, why_cap, name, "the function name is 1 to 64 letters, digits, '-' or '_'");
    out->name = parts[at];
    if (at + 1 < nparts) {
        if (!ctli_function_qualifier_ok(parts[at + 1].s, parts[at + 1].n))
            return fail(why, why_cap, name, "the qualifier is $LATEST, a version number or an alias of 1 to 128 "
                                            "letters, digits, '-' or '_'");
        out->qualifier = parts[at + 1];
    }
    return 0;
}

size_t ctli_function_name_encode(const char *name, char *out)
{
    return ctli_percent_encode(name, strlen(name), out);
}

void ctli_function_arn(const char *region, const char *account, const char *name, const char *qualifier,
                       char *out, size_t cap)
{
    bool q = qualifier && *qualifier;
    snprintf(out, cap, "arn:aws:lambda:%s:%s:function:%s%s%s", region,
             account && *account ? account : CTLI_FUNCTION_ACCOUNT_UNKNOWN, name, q ? ":" : "", q ? qualifier : "");
}
