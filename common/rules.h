/* common/rules.h: the rules ctlc and libctl must apply alike, header-only
 * so that both compile the same text:
 *   - the ARN of an async destination: `ctlc iam` and `ctlc sam` grant and
 *     configure it (gen/emit_iam.c), serve's configuration API reports it
 *     (runtime/src/serve/config.c);
 *   - the hash of a function name in a dispatch table: ctlc builds the
 *     tables (gen/emit_c_source.c), ctl_controller_find() probes them
 *     (runtime/src/codec/dispatch.c);
 *   - the environment variable that routes calls of a controller to a
 *     deployed function: `ctlc sam` sets it (gen/emit_sam.c), the Lambda
 *     transport reads it (runtime/src/client/client.c).
 * Not installed, not part of the public API: generated code never includes
 * it. */
#ifndef CTL_COMMON_RULES_H
#define CTL_COMMON_RULES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* FNV-1a, 32 bits, of the len bytes at name. */
static inline uint32_t ctli_rule_name_hash(const char *name, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)name[i]) * 16777619u;
    return h;
}

/* The ARN of an async destination (@on_failure, @on_success) of kind
 * (the spec's word: "controller", "sqs", "sns", "eventbridge", "s3")
 * named by the len bytes at name: a controller's function (named
 * function_prefix + name), an SQS queue, SNS topic, EventBridge event bus
 * or S3 bucket (whose ARN names no region or account), in the partition,
 * region and account given (ctlc gives ${AWS::...} variables; serve its
 * own). Into out (cap bytes, cut to fit); returns snprintf's count. */
static inline int ctli_rule_destination_arn(char *out, size_t cap, const char *kind, const char *partition,
                                            const char *region, const char *account,
                                            const char *function_prefix, const char *name, int len)
{
    if (strcmp(kind, "controller") == 0)
        return snprintf(out, cap, "arn:%s:lambda:%s:%s:function:%s%.*s", partition, region, account,
                        function_prefix ? function_prefix : "", len, name);
    if (strcmp(kind, "eventbridge") == 0)
        return snprintf(out, cap, "arn:%s:events:%s:%s:event-bus/%.*s", partition, region, account, len, name);
    if (strcmp(kind, "s3") == 0)
        return snprintf(out, cap, "arn:%s:s3:::%.*s", partition, len, name);
    return snprintf(out, cap, "arn:%s:%s:%s:%s:%.*s", partition, kind, region, account, len, name); /* sqs, sns */
}

/* The routing variable of controller c is this prefix, then each character
 * of c's name through ctli_rule_route_char(): CTL_FUNCTION_ASYNC_EMAIL_HELPER. */
#define CTLI_RULE_ROUTE_PREFIX "CTL_FUNCTION_"

/* ASCII letters upper-cased, digits kept, anything else '_' (whatever the
 * locale). */
static inline char ctli_rule_route_char(char ch)
{
    if (ch >= 'a' && ch <= 'z')
        return (char)(ch - 'a' + 'A');
    if ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
        return ch;
    return '_';
}

#endif
