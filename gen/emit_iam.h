/* emit_iam.h: the policy of `ctlc iam` (emit_iam.c), which `ctlc sam`
 * (emit_sam.c) writes into its template too: one rule for what a client or
 * controller may invoke, and for the ARNs that name it. Private to the
 * library. */
#ifndef CTLC_EMIT_IAM_H
#define CTLC_EMIT_IAM_H

#include <stdbool.h>
#include <stddef.h>

#include "ctlc.h"
#include "emit_json.h"

/* The controllers that d (a client or controller) uses, each once, in the
 * order of its `uses`, into *out (arena); returns how many. */
size_t ctlc_iam_used(ctlc_run *run, const ctlc_decl *d, const ctlc_decl ***out);

/* The prefix of every function ARN under opt (through ctlc_iam_resolve()):
 * "arn:PARTITION:lambda:REGION:ACCOUNT:function:", with
 * ${AWS::Partition}-style variables for what opt leaves NULL (arena). */
const char *ctlc_iam_function_arn(ctlc_run *run, const ctlc_iam_options *opt);

/* Whether d (a client or controller) needs a policy: it uses controllers,
 * sends invocation records to a destination, or has @idempotent functions. */
bool ctlc_iam_needs_policy(const ctlc_decl *d);

/* Whether d is a controller with an @idempotent function (whose keys live
 * in the idempotency table on Lambda). */
bool ctlc_iam_idempotent(const ctlc_decl *d);

/* The ARN of opt's idempotency table, as ctlc_iam_function_arn() (arena). */
const char *ctlc_iam_table_arn(ctlc_run *run, const ctlc_iam_options *opt);

/* The ARN of destination dest (a controller's function named
 * function_prefix + its name, NULL: no prefix; an SQS queue, SNS topic,
 * EventBridge bus or S3 bucket), as ctlc_iam_function_arn() (arena). */
const char *ctlc_iam_destination_arn(ctlc_run *run, const ctlc_iam_options *opt, const ctlc_dest *dest,
                                     const char *function_prefix);

/* Writes the policy document of d: lambda:InvokeFunction on each
 * controller d uses, the function `function_prefix` + its name (NULL: no
 * prefix) and its qualified form NAME:*, ARNs as ctlc_iam_function_arn();
 * then what its destinations need (sqs:SendMessage, sns:Publish,
 * events:PutEvents, s3:PutObject, or lambda:InvokeFunction); then, for a
 * controller with @idempotent functions, the item calls on the idempotency
 * table (ctlc_iam_table_arn()).
 * With sub, each ARN is written as {"Fn::Sub": ARN} for a CloudFormation
 * template, whose ${AWS::...} variables it fills. */
void ctlc_iam_policy(ctlc_run *run, ctlc_json *j, const ctlc_decl *d, const ctlc_iam_options *opt,
                     const char *function_prefix, bool sub);

#endif
