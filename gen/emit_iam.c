/* emit_iam.c: `ctlc iam`, least-privilege IAM policies from `uses`.
 *
 * A client or controller that uses others may invoke exactly those Lambda
 * functions, in place of the `"Resource": "*"` of the hand-written pattern.
 * IAM cannot look inside the event, so `uses C.f` grants the whole of C
 * (the function is picked by the payload's "function" field).
 *
 * Each used controller gets two ARNs: `...:function:C` for unqualified
 * invocations, and `...:function:C:*` for a version or an alias (`C:prod`),
 * which Lambda authorises against the qualified ARN only. Both name the
 * same function, so this is still that function and nothing else.
 *
 * Region, account and partition not given on the command line are left as
 * CloudFormation pseudo parameters (`${AWS::Region}`, `${AWS::AccountId}`,
 * `${AWS::Partition}`), ready for `Fn::Sub`; a partition not given but
 * implied by a given region is written out. Values given are checked before
 * they go into an ARN: a `*` or a `:` there would widen the grant to other
 * accounts, regions or functions, which is the opposite of this command. */
#include <stdlib.h>
#include <string.h>

#include "common/rules.h"
#include "ctlc.h"
#include "emit_iam.h"
#include "files.h"
#include "oom.h"

/* Partitions and the region prefixes that place a region in each (from
 * the AWS SDKs' partition table: us-gov-west-1 is in aws-us-gov, cn-north-1
 * in aws-cn, ...). Longer prefixes first; a region matching none is in
 * "aws". */
static const struct {
    const char *prefix, *partition;
} region_partitions[] = {
    { "us-gov-", "aws-us-gov" }, { "us-isob-", "aws-iso-b" }, { "us-isof-", "aws-iso-f" },
    { "us-iso-", "aws-iso" },    { "eu-isoe-", "aws-iso-e" }, { "eusc-", "aws-eusc" },
    { "cn-", "aws-cn" },
};

static ctlc_status resolve(ctlc_run *run, ctlc_iam_options *opt)
{
    ctlc_loc nowhere = { NULL, 0, 0 };
    const char *implied = NULL;
    if (opt->region) {
        if (!ctli_rule_region_ok(opt->region, strlen(opt->region))) {
            ctlc_error(&run->diags, nowhere, "--region '%s' is not a region name like 'eu-west-3'", opt->region);
            return CTLC_INVALID;
        }
        implied = "aws";
        for (size_t i = 0; i < sizeof region_partitions / sizeof *region_partitions; i++)
            if (strncmp(opt->region, region_partitions[i].prefix, strlen(region_partitions[i].prefix)) == 0) {
                implied = region_partitions[i].partition;
                break;
            }
    }
    if (opt->account) {
        size_t n = strspn(opt->account, "0123456789");
        if (n != 12 || opt->account[n] != '\0') {
            ctlc_error(&run->diags, nowhere, "--account '%s' is not a 12-digit AWS account ID", opt->account);
            return CTLC_INVALID;
        }
    }
    if (opt->partition) {
        if (!ctli_rule_partition_ok(opt->partition, strlen(opt->partition))) {
            ctlc_error(&run->diags, nowhere, "--partition '%s' is not an AWS partition (aws, aws-cn, aws-us-gov, ...)",
                       opt->partition);
            return CTLC_INVALID;
        }
        if (implied && strcmp(implied, opt->partition) != 0) {
            ctlc_error(&run->diags, nowhere, "region '%s' is in partition '%s', not '%s'", opt->region, implied,
                       opt->partition);
            return CTLC_INVALID;
        }
    }
    if (!opt->partition)
        opt->partition = implied;
    if (opt->idempotency_table &&
        !ctli_rule_dest_name_ok(&ctli_rule_table_name, opt->idempotency_table, strlen(opt->idempotency_table))) {
        ctlc_error(&run->diags, nowhere, "--idempotency-table '%s': %s", opt->idempotency_table,
                   ctli_rule_table_name.rule);
        return CTLC_INVALID;
    }
    return CTLC_OK;
}

ctlc_status ctlc_iam_resolve(ctlc_run *run, ctlc_iam_options *opt)
{
    CTLC_GUARDED(run, resolve(run, opt));
}

size_t ctlc_iam_used(ctlc_run *run, const ctlc_decl *d, const ctlc_decl ***out)
{
    size_t n = 0;
    for (const ctlc_target *t = d->uses; t; t = t->next)
        n++;
    const ctlc_decl **list = ctlc_alloc(run->arena, (n ? n : 1) * sizeof *list);
    size_t k = 0;
    for (const ctlc_target *t = d->uses; t; t = t->next) {
        bool seen = false;
        for (size_t i = 0; i < k; i++)
            seen |= list[i] == t->decl;
        if (!seen && t->decl)
            list[k++] = t->decl;
    }
    *out = list;
    return k;
}

const char *ctlc_iam_function_arn(ctlc_run *run, const ctlc_iam_options *opt)
{
    return ctlc_printf(run->arena, "arn:%s:lambda:%s:%s:function:",
                       opt->partition ? opt->partition : "${AWS::Partition}",
                       opt->region ? opt->region : "${AWS::Region}",
                       opt->account ? opt->account : "${AWS::AccountId}");
}

/* One ARN of the Resource list: a string, or {"Fn::Sub": ARN}. */
static void resource(ctlc_json *j, const char *arn, bool sub)
{
    if (sub) {
        ctlc_json_object(j);
        ctlc_json_kcstr(j, "Fn::Sub", arn);
        ctlc_json_end(j);
    } else {
        ctlc_json_str(j, arn, strlen(arn));
    }
}

const char *ctlc_iam_destination_arn(ctlc_run *run, const ctlc_iam_options *opt, const ctlc_dest *dest,
                                     const char *function_prefix)
{
    const char *kind = ctlc_dest_kind_word(dest->kind);
    const char *part = opt->partition ? opt->partition : "${AWS::Partition}";
    const char *region = opt->region ? opt->region : "${AWS::Region}";
    const char *account = opt->account ? opt->account : "${AWS::AccountId}";
    int n = ctli_rule_destination_arn(NULL, 0, kind, part, region, account, function_prefix, dest->name,
                                      (int)dest->len);
    char *arn = ctlc_alloc(run->arena, (size_t)n + 1);
    ctli_rule_destination_arn(arn, (size_t)n + 1, kind, part, region, account, function_prefix, dest->name,
                              (int)dest->len);
    return arn;
}

/* A destination's grant: Lambda sends a controller's invocation records
 * with the controller's own execution role, so the role may invoke a
 * controller destination (both ARNs, as `uses`), or send to the external
 * target: sqs:SendMessage on the queue, sns:Publish on the topic,
 * events:PutEvents on the event bus, s3:PutObject on the bucket's objects. */
static void destination_statement(ctlc_run *run, ctlc_json *j, const char *sid, const ctlc_dest *dest,
                                  const char *prefix, const ctlc_iam_options *opt, bool sub)
{
    if (!dest->annot)
        return;
    const char *arn = ctlc_iam_destination_arn(run, opt, dest, prefix), *also = NULL, *action;
    switch (dest->kind) {
    case CTLC_DEST_CONTROLLER:
        action = "lambda:InvokeFunction";
        also = ctlc_printf(run->arena, "%s:*", arn);
        break;
    case CTLC_DEST_SQS:
        action = "sqs:SendMessage";
        break;
    case CTLC_DEST_SNS:
        action = "sns:Publish";
        break;
    case CTLC_DEST_EVENTBRIDGE:
        action = "events:PutEvents";
        break;
    default:
        action = "s3:PutObject";
        arn = ctlc_printf(run->arena, "%s/*", arn);
        break;
    }
    ctlc_json_object(j);
    ctlc_json_kcstr(j, "Sid", sid);
    ctlc_json_kcstr(j, "Effect", "Allow");
    ctlc_json_kcstr(j, "Action", action);
    ctlc_json_karray(j, "Resource");
    resource(j, arn, sub);
    if (also)
        resource(j, also, sub);
    ctlc_json_end(j);
    ctlc_json_end(j);
}

bool ctlc_iam_idempotent(const ctlc_decl *d)
{
    if (d->kind != CTLC_D_CONTROLLER)
        return false;
    for (const ctlc_func *f = d->funcs; f; f = f->next)
        if (f->traits.idempotent)
            return true;
    return false;
}

bool ctlc_iam_needs_policy(const ctlc_decl *d)
{
    return (d->kind == CTLC_D_CLIENT || d->kind == CTLC_D_CONTROLLER) &&
           (d->uses || d->traits.on_failure.annot || d->traits.on_success.annot || ctlc_iam_idempotent(d));
}

/* The grant of a controller with @idempotent functions: the calls libctl's
 * DynamoDB store makes on the idempotency table (a conditional PutItem to
 * claim, GetItem to read a record it lost to, UpdateItem to complete,
 * DeleteItem to release), and no other; Powertools' documentation grants
 * the same four. */
static void idempotency_statement(ctlc_run *run, ctlc_json *j, const ctlc_iam_options *opt, bool sub)
{
    static const char *const actions[] = { "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem",
                                           "dynamodb:UpdateItem" };
    ctlc_json_object(j);
    ctlc_json_kcstr(j, "Sid", "IdempotencyTable");
    ctlc_json_kcstr(j, "Effect", "Allow");
    ctlc_json_karray(j, "Action");
    for (size_t i = 0; i < sizeof actions / sizeof *actions; i++)
        ctlc_json_str(j, actions[i], strlen(actions[i]));
    ctlc_json_end(j);
    ctlc_json_karray(j, "Resource");
    resource(j, ctlc_iam_table_arn(run, opt), sub);
    ctlc_json_end(j);
    ctlc_json_end(j);
}

const char *ctlc_iam_table_arn(ctlc_run *run, const ctlc_iam_options *opt)
{
    return ctlc_printf(run->arena, "arn:%s:dynamodb:%s:%s:table/%s",
                       opt->partition ? opt->partition : "${AWS::Partition}",
                       opt->region ? opt->region : "${AWS::Region}",
                       opt->account ? opt->account : "${AWS::AccountId}",
                       opt->idempotency_table ? opt->idempotency_table : CTLC_IDEM_TABLE);
}

void ctlc_iam_policy(ctlc_run *run, ctlc_json *j, const ctlc_decl *d, const ctlc_iam_options *opt,
                     const char *function_prefix, bool sub)
{
    const ctlc_decl **used;
    size_t n = ctlc_iam_used(run, d, &used);
    const char *arn = ctlc_iam_function_arn(run, opt);
    const char *prefix = function_prefix ? function_prefix : "";
    ctlc_json_object(j);
    ctlc_json_kcstr(j, "Version", "2012-10-17");
    ctlc_json_karray(j, "Statement");
    if (n) {
        ctlc_json_object(j);
        ctlc_json_kcstr(j, "Sid", "InvokeUsedControllers");
        ctlc_json_kcstr(j, "Effect", "Allow");
        ctlc_json_kcstr(j, "Action", "lambda:InvokeFunction");
        ctlc_json_karray(j, "Resource");
        for (size_t i = 0; i < n; i++) {
            const ctlc_name *c = &used[i]->name;
            resource(j, ctlc_printf(run->arena, "%s%s%.*s", arn, prefix, (int)c->n, c->z), sub);
            resource(j, ctlc_printf(run->arena, "%s%s%.*s:*", arn, prefix, (int)c->n, c->z), sub);
        }
        ctlc_json_end(j);
        ctlc_json_end(j);
    }
    destination_statement(run, j, "OnFailureDestination", &d->traits.on_failure, prefix, opt, sub);
    destination_statement(run, j, "OnSuccessDestination", &d->traits.on_success, prefix, opt, sub);
    if (ctlc_iam_idempotent(d))
        idempotency_statement(run, j, opt, sub);
    ctlc_json_end(j);
    ctlc_json_end(j);
}

static ctlc_status emit_iam(ctlc_run *run, const ctlc_spec *spec, const ctlc_iam_options *opt, FILE *out)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = NULL;
    ctlc_json j;
    int rc = 0;
    if (!opt->outdir) {
        mem = ctlc_memstream(&text, &len);
        ctlc_json_init(&j, mem, run->arena);
        ctlc_json_object(&j);
    }
    for (const ctlc_decl *d = spec->decls; d; d = d->next) {
        if (!ctlc_iam_needs_policy(d))
            continue;
        if (!opt->outdir) {
            ctlc_json_key(&j, d->name.z, d->name.n);
            ctlc_iam_policy(run, &j, d, opt, NULL, false);
            continue;
        }
        char *one = NULL;
        size_t one_len = 0;
        FILE *f = ctlc_memstream(&one, &one_len);
        ctlc_json_init(&j, f, run->arena);
        ctlc_iam_policy(run, &j, d, opt, NULL, false);
        ctlc_memstream_close(f, &one);
        rc |= ctlc_write_file(run, ctlc_printf(run->arena, "%s/%.*s.policy.json", opt->outdir, (int)d->name.n, d->name.z),
                              one, one_len);
        ctlc_text_free(&one);
        if (rc)
            break; /* the folder is unwritable: one message is enough */
    }
    if (!opt->outdir) {
        ctlc_json_end(&j);
        ctlc_memstream_close(mem, &text);
        if (fwrite(text, 1, len, out) != len)
            rc = -1; /* the caller, who owns out, says why */
        ctlc_text_free(&text);
    }
    return rc ? CTLC_IO : CTLC_OK;
}

ctlc_status ctlc_emit_iam(ctlc_run *run, const ctlc_spec *spec, const ctlc_iam_options *opt, FILE *out)
{
    CTLC_GUARDED(run, emit_iam(run, spec, opt, out));
}
