/* common/rules.h: the rules ctlc and libctl must apply alike, header-only
 * so that both compile the same text:
 *   - the ARN of an async destination and its inverse: `ctlc iam` and
 *     `ctlc sam` grant and configure it (gen/emit_iam.c), serve's
 *     configuration API reports and reads it (runtime/src/serve/config_json.c);
 *   - AWS's naming rules of SQS queues, SNS topics, EventBridge buses and
 *     S3 buckets: the checker (gen/check_annot.c) and serve's API apply them;
 *   - the hash of a function name in a dispatch table: ctlc builds the
 *     tables (gen/emit_c_source.c), ctl_controller_find() probes them
 *     (runtime/src/codec/dispatch.c);
 *   - the environment variable that routes calls of a controller to a
 *     deployed function: `ctlc sam` sets it (gen/emit_sam.c), the Lambda
 *     transport reads it (runtime/src/client/client.c);
 *   - Lambda's ranges of the async settings (@retries, @max_event_age,
 *     serve's configuration API, the async core's defaults);
 *   - the variable naming the idempotency table on Lambda and DynamoDB's
 *     table naming rule: `ctlc sam` and `ctlc iam` write them, libctl
 *     reads and checks them;
 *   - AWS's partitions and the shape of a region name: `ctlc iam` checks
 *     its --partition and --region (gen/emit_iam.c), libctl the ARNs of
 *     function names (runtime/src/client/function_name.c) and serve its
 *     --region;
 *   - the longest key a one-pass reader matches in place (ctl_key.quoted
 *     of ctl/gen.h, checked against it in runtime/src/codec/text_read.c):
 *     ctlc writes the keys (gen/emit_c_read.c).
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

/* AWS's naming rule of each external destination kind (the spec's word),
 * which the spec checker (gen/check_annot.c) applies to @on_failure/@on_success
 * names and serve's configuration API (runtime/src/serve/config_json.c) to the
 * names in a DestinationConfig's ARNs:
 *   sqs          a queue name: 1..80 of [A-Za-z0-9_-] (SQS CreateQueue's
 *                QueueName; a FIFO queue's ".fifo" cannot be a destination)
 *   sns          a topic name: 1..256 of [A-Za-z0-9_-] (SNS CreateTopic's Name)
 *   eventbridge  an event bus name: 1..256 of [A-Za-z0-9/._-] (EventBridge
 *                CreateEventBus's Name)
 *   s3           a bucket name: 3..63 of [a-z0-9.-], starting and ending with
 *                a letter or digit, no ".." (S3's bucket naming rules) */
typedef struct ctli_rule_dest_name {
    const char *word;           /* the spec's kind word */
    size_t min, max;
    const char *extra;          /* characters allowed besides letters and digits */
    int lower;                  /* letters must be lowercase (and the first and last characters alphanumeric,
                                   no "..": S3's) */
    const char *rule;           /* the rule, as messages name it */
} ctli_rule_dest_name;

static const ctli_rule_dest_name ctli_rule_dest_names[] = {
    { "eventbridge", 1, 256, "/._-", 0,
      "an EventBridge event bus name is 1..256 characters of A-Z, a-z, 0-9, '/', '.', '_', '-'" },
    { "s3", 3, 63, ".-", 1,
      "an S3 bucket name is 3..63 characters of a-z, 0-9, '.', '-', starts and ends with a letter or digit and "
      "holds no '..'" },
    { "sns", 1, 256, "_-", 0,
      "an SNS topic name is 1..256 characters of A-Z, a-z, 0-9, '_', '-' (a FIFO topic cannot be a destination)" },
    { "sqs", 1, 80, "_-", 0,
      "an SQS queue name is 1..80 characters of A-Z, a-z, 0-9, '_', '-' (a FIFO queue cannot be a destination)" },
};
#define CTLI_RULE_NDEST_NAMES (sizeof ctli_rule_dest_names / sizeof ctli_rule_dest_names[0])

/* The naming rule of external kind `word` (len bytes), or NULL. */
static inline const ctli_rule_dest_name *ctli_rule_dest_name_of(const char *word, size_t len)
{
    for (size_t i = 0; i < CTLI_RULE_NDEST_NAMES; i++)
        if (strlen(ctli_rule_dest_names[i].word) == len && memcmp(ctli_rule_dest_names[i].word, word, len) == 0)
            return &ctli_rule_dest_names[i];
    return NULL;
}

static inline int ctli_rule_alnum(unsigned char ch, int lower)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (!lower && ch >= 'A' && ch <= 'Z');
}

/* Lambda's ranges of a function's asynchronous invocation settings
 * (botocore's model of PutFunctionEventInvokeConfig: MaximumRetryAttempts,
 * MaximumEventAgeInSeconds); each maximum is also Lambda's default. The
 * checker bounds @retries and @max_event_age by them, serve's configuration
 * API the values put, the async core defaults to them. */
#define CTLI_RULE_RETRIES_MIN 0
#define CTLI_RULE_RETRIES_MAX 2
#define CTLI_RULE_EVENT_AGE_MIN_S 60
#define CTLI_RULE_EVENT_AGE_MAX_S 21600
/* Lambda's longest function timeout (CreateFunction's Timeout, 1..900 s):
 * serve's --timeout is bounded by it, and an idempotency claim made without
 * an invocation deadline lasts that long. */
#define CTLI_RULE_TIMEOUT_MAX_S 900
/* The DynamoDB table of @idempotent functions' keys on Lambda: the
 * variable that names it to libctl (the Runtime API loop reads it; `ctlc
 * sam` sets it), and DynamoDB's table naming rule (CreateTable's
 * TableName), which libctl checks the variable's value by and `ctlc iam`
 * its --idempotency-table. */
#define CTLI_RULE_IDEM_TABLE_VAR "CTL_IDEMPOTENCY_TABLE"
/* The table's partition key and TTL attribute (Powertools' item layout:
 * the store writes them, `ctlc sam` declares the table with them). */
#define CTLI_RULE_IDEM_KEY_ATTR "id"
#define CTLI_RULE_IDEM_TTL_ATTR "expiration"
static const ctli_rule_dest_name ctli_rule_table_name = {
    "dynamodb", 3, 255, "_.-", 0, "a DynamoDB table name is 3..255 characters of A-Z, a-z, 0-9, '_', '-', '.'"
};

/* Whether name (len bytes) follows rule r. */
static inline int ctli_rule_dest_name_ok(const ctli_rule_dest_name *r, const char *name, size_t len)
{
    if (len < r->min || len > r->max)
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)name[i];
        if (!ctli_rule_alnum(ch, r->lower) && !(ch && strchr(r->extra, ch)))
            return 0;
    }
    if (!r->lower)
        return 1;
    for (size_t i = 1; i < len; i++)
        if (name[i] == '.' && name[i - 1] == '.')
            return 0;
    return ctli_rule_alnum((unsigned char)name[0], 1) && ctli_rule_alnum((unsigned char)name[len - 1], 1);
}

/* The inverse of ctli_rule_destination_arn: the kind (the spec's word, in
 * *kind) and name (*name, *name_len bytes into arn) of a destination ARN:
 *   arn:P:sqs:REGION:ACCOUNT:NAME          sqs
 *   arn:P:sns:REGION:ACCOUNT:NAME          sns
 *   arn:P:events:REGION:ACCOUNT:event-bus/NAME   eventbridge
 *   arn:P:s3:::BUCKET                      s3
 *   arn:P:lambda:REGION:ACCOUNT:function:NAME    controller (a function
 *                                          prefix is the caller's to strip;
 *                                          the name is not checked here)
 * an external target's name checked by its naming rule above. 0, or -1
 * with why (cap bytes) saying what is wrong. */
static inline int ctli_rule_destination_parse(const char *arn, const char **kind, const char **name,
                                              size_t *name_len, char *why, size_t cap)
{
    const char *f[6];           /* the starts of arn's first six ':'-separated fields */
    size_t n[6];
    const char *p = arn;
    int nf = 0;
    if (strncmp(arn, "arn:", 4) != 0) {
        snprintf(why, cap, "'%.200s' is not an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE)", arn);
        return -1;
    }
    for (; nf < 6; nf++) {
        const char *colon = nf < 5 ? strchr(p, ':') : NULL;
        f[nf] = p;
        n[nf] = colon ? (size_t)(colon - p) : strlen(p);
        if (!colon) {
            nf++;
            break;
        }
        p = colon + 1;
    }
    if (nf < 6 || n[1] == 0) {
        snprintf(why, cap, "'%.200s' is not an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE)", arn);
        return -1;
    }
#define CTLI_FIELD_IS(i, z) (n[i] == sizeof z - 1 && memcmp(f[i], z, sizeof z - 1) == 0)
    const char *res = f[5];
    size_t rlen = n[5];
    const char *word;
    if (CTLI_FIELD_IS(2, "s3")) {
        if (n[3] || n[4]) {
            snprintf(why, cap, "'%.200s' is not an S3 bucket's ARN (arn:aws:s3:::BUCKET names no region or account)",
                     arn);
            return -1;
        }
        word = "s3";
    } else {
        if (!n[3] || !n[4]) {
            snprintf(why, cap, "'%.200s' names no region or no account", arn);
            return -1;
        }
        if (CTLI_FIELD_IS(2, "sqs"))
            word = "sqs";
        else if (CTLI_FIELD_IS(2, "sns"))
            word = "sns";
        else if (CTLI_FIELD_IS(2, "events")) {
            word = "eventbridge";
            if (rlen < 10 || memcmp(res, "event-bus/", 10) != 0) {
                snprintf(why, cap, "'%.200s' is not an EventBridge event bus's ARN (its resource is event-bus/NAME)",
                         arn);
                return -1;
            }
            res += 10, rlen -= 10;
        } else if (CTLI_FIELD_IS(2, "lambda")) {
            if (rlen < 9 || memcmp(res, "function:", 9) != 0 || rlen == 9 || memchr(res + 9, ':', rlen - 9)) {
                snprintf(why, cap, "'%.200s' is not an unqualified function's ARN (its resource is function:NAME)",
                         arn);
                return -1;
            }
            *kind = "controller";
            *name = res + 9;
            *name_len = rlen - 9;
            return 0;
        } else {
            snprintf(why, cap,
                     "'%.200s' is not a destination's ARN: its service is '%.*s'; a destination is an SQS queue "
                     "(sqs), an SNS topic (sns), an EventBridge event bus (events), an S3 bucket (s3) or a "
                     "function (lambda)",
                     arn, (int)(n[2] > 40 ? 40 : n[2]), f[2]);
            return -1;
        }
    }
#undef CTLI_FIELD_IS
    const ctli_rule_dest_name *r = ctli_rule_dest_name_of(word, strlen(word));
    if (!ctli_rule_dest_name_ok(r, res, rlen)) {
        snprintf(why, cap, "'%.200s' does not name a valid %s destination: %s", arn, word, r->rule);
        return -1;
    }
    *kind = word;
    *name = res;
    *name_len = rlen;
    return 0;
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

/* AWS's partitions, as the SDKs' partition table names them. */
static const char *const ctli_rule_partitions[] = { "aws",       "aws-cn",    "aws-us-gov", "aws-iso",
                                                    "aws-iso-b", "aws-iso-e", "aws-iso-f",  "aws-eusc" };
#define CTLI_RULE_NPARTITIONS (sizeof ctli_rule_partitions / sizeof ctli_rule_partitions[0])

/* Are the len bytes at p one of ctli_rule_partitions? */
static inline int ctli_rule_partition_ok(const char *p, size_t len)
{
    for (size_t i = 0; i < CTLI_RULE_NPARTITIONS; i++)
        if (strlen(ctli_rule_partitions[i]) == len && memcmp(ctli_rule_partitions[i], p, len) == 0)
            return 1;
    return 0;
}

/* Are the len bytes at r a region name: lowercase words and a number,
 * joined by '-', at least three parts ("eu-west-3", "us-gov-west-1",
 * "us-isob-east-1")? */
static inline int ctli_rule_region_ok(const char *r, size_t len)
{
    size_t words = 0, i = 0;
    for (;;) {
        size_t start = i;
        while (i < len && r[i] >= 'a' && r[i] <= 'z')
            i++;
        if (i == start)
            break;
        words++;
        if (i == len || r[i] != '-')
            return 0;
        i++;
    }
    size_t digits = i;
    while (i < len && r[i] >= '0' && r[i] <= '9')
        i++;
    return words >= 2 && i > digits && i == len;
}

/* The bytes of a quoted key with its ':' ("\"sku\":") that ctl_key holds. */
#define CTLI_RULE_KEY_QUOTED_MAX 24

#endif
