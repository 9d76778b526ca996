/* client/function_name.h: Lambda FunctionName forms (function_name.c): one
 * parser with Lambda's rules, used by the client's routes, the Invoke
 * transport and serve. */
#ifndef CTL_CLIENT_FUNCTION_NAME_H
#define CTL_CLIENT_FUNCTION_NAME_H

#include <stdbool.h>
#include <stddef.h>

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* The longest FunctionName Invoke accepts. */
#define CTLI_FUNCTION_NAME_MAX 170
/* Room for a FunctionName percent-encoded as a path segment. */
#define CTLI_FUNCTION_PATH_CAP (3 * CTLI_FUNCTION_NAME_MAX + 1)

/* A slice of the parsed text (not NUL-terminated); n == 0 when absent. */
typedef struct ctli_name_part {
    const char *s;
    size_t n;
} ctli_name_part;

/* The parts of a FunctionName. partition and region are set by the ARN
 * form only, account by the ARN and the partial ARN, qualifier when the
 * name carries one. */
typedef struct ctli_function_name {
    ctli_name_part partition, region, account, name, qualifier;
} ctli_function_name;

/* Parses name (NUL-terminated) as one of the forms Invoke accepts:
 *   NAME[:QUALIFIER]
 *   ACCOUNT:function:NAME[:QUALIFIER]                       (a partial ARN)
 *   arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]
 * with Lambda's rules: at most 170 characters; NAME 1 to 64 letters,
 * digits, '-' or '_'; QUALIFIER $LATEST, or a version or alias of 1 to 128
 * of those; ACCOUNT 12 digits; PARTITION one of AWS's (common/rules.h);
 * REGION a region's shape (eu-west-3). Returns 0 with *out filled (slices of name), or
 * -1 with the reason in why ("'x y' is not a Lambda function name: ..."). */
int ctli_function_name_parse(const char *name, ctli_function_name *out, char *why, size_t why_cap);

/* Is q (n bytes) a qualifier Lambda takes: $LATEST, a version or an alias? */
bool ctli_function_qualifier_ok(const char *q, size_t n);

/* Writes name percent-encoded as botocore puts it in the Invoke path
 * (every byte but letters, digits and "-._~" as %XX; ':' and '$'
 * included) to out, which has room for 3 * strlen(name) + 1 bytes
 * (CTLI_FUNCTION_PATH_CAP for a parsed name). Returns the length. */
size_t ctli_function_name_encode(const char *name, char *out);

/* The account of an ARN when none is known (locally): Lambda's examples'
 * twelve zeros. */
#define CTLI_FUNCTION_ACCOUNT_UNKNOWN "000000000000"

/* arn:aws:lambda:REGION:ACCOUNT:function:NAME, then ":" and qualifier when
 * it is not NULL or "", into out (cap bytes, cut to fit); ACCOUNT NULL or
 * "": CTLI_FUNCTION_ACCOUNT_UNKNOWN. The one writer of function ARNs. */
void ctli_function_arn(const char *region, const char *account, const char *name, const char *qualifier,
                       char *out, size_t cap);

CTLI_END_PRIVATE

#endif
