/* emit_sam.c: `ctlc sam`, an AWS SAM template (JSON) deploying a spec's
 * controllers as Lambda functions.
 *
 * JSON, not YAML: CloudFormation and SAM read both, the JSON writer of the
 * other emitters (emit_json.h) makes it byte-for-byte reproducible, and
 * tests check it with a JSON parser and SAM's JSON Schema. The intrinsic
 * functions are in their long form ({"Fn::Sub": ...}), the only one JSON
 * has.
 *
 * Each controller C of the spec (not of its imports: as with `ctlc c`, an
 * imported spec has a template of its own) is one AWS::Serverless::Function
 * named PREFIX + C: Runtime provided.al2023, Handler C (ctl_main runs the
 * controller _HANDLER names), CodeUri the function.zip of
 * ctl_package_lambda, the Architectures asked for. When C uses others:
 *   - Environment: CTL_FUNCTION_<D> = PREFIX + D for each controller D it
 *     uses, which is how libctl routes a call of D (runtime/README.md,
 *     "Function names");
 *   - Policies: the policy of `ctlc iam` (emit_iam.h), the functions named
 *     PREFIX + D, ARNs built with Fn::Sub from ${AWS::Partition},
 *     ${AWS::Region} and ${AWS::AccountId}.
 * Names and ARNs are spelled out rather than taken with Ref or Fn::GetAtt:
 * a controller that uses itself, or two that use each other, would make a
 * dependency cycle (function -> role -> policy -> function), which
 * CloudFormation refuses. A used controller of an imported spec is named
 * the same way: deployed by its own stack with the same prefix.
 *
 * A controller with @idempotent functions gets CTL_IDEMPOTENCY_TABLE (the
 * table libctl's DynamoDB store keeps their keys in, on Lambda) and the
 * policy's grant on that table: the table given with --idempotency-table
 * (say, one that Powertools' Python helpers already use: the layout is the
 * same), else one the template makes, IdempotencyTable (an
 * AWS::DynamoDB::Table with Powertools' key and TTL attribute, named by
 * CloudFormation; referred to with Ref, as nothing it depends on refers
 * back), its name among the Outputs.
 *
 * EventInvokeConfig is always written, with Lambda's defaults when the
 * controller has no @retries or @max_event_age: the deployed settings are
 * then the spec's, even when someone changed them by hand, and removing an
 * annotation restores the default on the next deploy as the spec says.
 *
 * Each client K that uses controllers gets an AWS::IAM::ManagedPolicy with
 * the same policy, for K's own function (deployed elsewhere) to attach;
 * the Outputs export its ARN and each function's ARN (a client's
 * CTL_FUNCTION_<C> may be that ARN), as ${AWS::StackName}-ID.
 *
 * Logical IDs are the names in PascalCase ("async_email_helper" ->
 * "AsyncEmailHelper") with "Function" or "Policy" after it (SAM adds
 * "Role" for a function's role); two names that give the same ID (a_b and
 * aB) get 2, 3, ... in declaration order. */
#include <stdlib.h>
#include <string.h>

#include "common/rules.h"
#include "emit_iam.h"
#include "files.h"
#include "oom.h"
#include "strset.h"


/* Lambda's longest function name (the name part of a FunctionName). */
enum { LAMBDA_NAME_MAX = 64 };

/* The defaults of ctlc_sam_options, also in main.c's help and the docs. */
#define DEFAULT_ARCH "x86_64"
#define DEFAULT_CODE_URI "lambda/%.*s/function.zip"

typedef struct sam {
    ctlc_run *run;
    ctlc_arena *a;
    ctlc_json *j;
    const ctlc_spec *spec;
    const ctlc_sam_options *opt;
    const char *prefix; /* "" when none */
    ctlc_strset ids;    /* logical IDs given out */
    const char **base;  /* base[i]: the ID stem of the i-th client or controller */
    bool make_table;    /* a controller has @idempotent functions and no table was given */
} sam;

/* The logical ID of the idempotency table the template makes. */
#define TABLE_ID "IdempotencyTable"

/* The ARN variables of the template's policies: the pseudo parameters, and
 * the idempotency table given, or the one made (${IdempotencyTable} is its
 * name in a Fn::Sub). */
static ctlc_iam_options arn_options(const sam *s)
{
    ctlc_iam_options o = { NULL, NULL, NULL, NULL,
                           s->opt->idempotency_table ? s->opt->idempotency_table : "${" TABLE_ID "}" };
    return o;
}

/* The deployed name of controller c: PREFIX + C. */
static const char *function_name(const sam *s, const ctlc_decl *c)
{
    return ctlc_printf(s->a, "%s%.*s", s->prefix, NAME(c->name));
}

/* The variable that routes controller c in libctl (common/rules.h, the
 * rule libctl reads it by). */
static const char *route_variable(const sam *s, const ctlc_decl *c)
{
    const char *var = ctlc_printf(s->a, CTLI_RULE_ROUTE_PREFIX "%.*s", NAME(c->name));
    for (char *p = (char *)var + strlen(CTLI_RULE_ROUTE_PREFIX); *p; p++)
        *p = ctli_rule_route_char(*p);
    return var;
}

/* A logical ID (letters and digits) for d: its name in PascalCase, a
 * number after it when an earlier one took it. */
static const char *logical_base(sam *s, const ctlc_decl *d)
{
    char *pascal = ctlc_alloc(s->a, d->name.n + 1);
    size_t k = 0;
    bool up = true;
    for (size_t i = 0; i < d->name.n; i++) {
        char ch = d->name.z[i];
        if (ch == '_') {
            up = true;
            continue;
        }
        pascal[k++] = up && ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
        up = false;
    }
    pascal[k] = '\0';
    const char *id = k ? pascal : "Unnamed";
    for (int n = 2; !ctlc_strset_add(&s->ids, id); n++)
        id = ctlc_printf(s->a, "%s%d", k ? pascal : "Unnamed", n);
    return id;
}

static void sub(ctlc_json *j, const char *key, const char *text)
{
    ctlc_json_kobject(j, key);
    ctlc_json_kcstr(j, "Fn::Sub", text);
    ctlc_json_end(j);
}

/* ---- checks of the options and of the names they make ------------------------------------- */

static bool name_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
        ch == '-' || ch == '_';
}

static ctlc_status check(sam *s)
{
    ctlc_loc nowhere = { NULL, 0, 0 };
    const ctlc_sam_options *opt = s->opt;
    if (opt->arch && strcmp(opt->arch, "x86_64") != 0 && strcmp(opt->arch, "arm64") != 0) {
        ctlc_error(&s->run->diags, nowhere,
                   "--arch '%s' is not a Lambda architecture (x86_64 or arm64)", opt->arch);
        return CTLC_INVALID;
    }
    for (const char *p = s->prefix; *p; p++)
        if (!name_char(*p)) {
            ctlc_error(
                &s->run->diags, nowhere,
                "--prefix '%s' cannot begin a Lambda function name (letters, digits, '-' and '_')",
                s->prefix);
            return CTLC_INVALID;
        }
    if (opt->code_uri && !*opt->code_uri) {
        ctlc_error(&s->run->diags, nowhere, "--code-uri is empty");
        return CTLC_INVALID;
    }
    if (opt->idempotency_table &&
        !ctli_rule_dest_name_ok(&ctli_rule_table_name, opt->idempotency_table, strlen(opt->idempotency_table))) {
        ctlc_error(&s->run->diags, nowhere, "--idempotency-table '%s': %s", opt->idempotency_table,
                   ctli_rule_table_name.rule);
        return CTLC_INVALID;
    }
    ctlc_status st = CTLC_OK;
    for (const ctlc_decl *d = s->spec->decls; d; d = d->next) {
        if (d->kind != CTLC_D_CONTROLLER)
            continue;
        size_t n = strlen(s->prefix) + d->name.n;
        if (n > LAMBDA_NAME_MAX) {
            ctlc_error(&s->run->diags, d->loc,
                       "the function name '%s' is %zu characters long; Lambda's limit is %d",
                       function_name(s, d), n, LAMBDA_NAME_MAX);
            st = CTLC_INVALID;
        }
    }
    /* Two controllers whose names differ only where the variable does not
     * (ab, AB) cannot both be routed by one function. */
    for (const ctlc_decl *d = s->spec->decls; d; d = d->next) {
        if (d->kind != CTLC_D_CONTROLLER)
            continue;
        const ctlc_decl **used;
        size_t n = ctlc_iam_used(s->run, d, &used);
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < i; k++)
                if (strcmp(route_variable(s, used[i]), route_variable(s, used[k])) == 0) {
                    ctlc_error(
                        &s->run->diags, d->loc,
                        "controller '%.*s' uses '%.*s' and '%.*s', which one variable, %s, routes",
                        NAME(d->name), NAME(used[k]->name), NAME(used[i]->name),
                        route_variable(s, used[i]));
                    st = CTLC_INVALID;
                }
    }
    return st;
}

/* ---- resources ------------------------------------------------------------------------------ */

/* SAM's Type of a destination (SAM's translator requires it). */
static const char *destination_type(const ctlc_dest *d)
{
    switch (d->kind) {
    case CTLC_DEST_CONTROLLER:
        return "Lambda";
    case CTLC_DEST_SQS:
        return "SQS";
    case CTLC_DEST_SNS:
        return "SNS";
    case CTLC_DEST_EVENTBRIDGE:
        return "EventBridge";
    default:
        return "S3Bucket";
    }
}

static void destination(sam *s, const char *key, const ctlc_dest *d)
{
    if (!d->annot)
        return;
    ctlc_iam_options arns = arn_options(s);
    ctlc_json_kobject(s->j, key);
    ctlc_json_kcstr(s->j, "Type", destination_type(d));
    sub(s->j, "Destination", ctlc_iam_destination_arn(s->run, &arns, d, s->prefix));
    ctlc_json_end(s->j);
}

/* The DestinationConfig of controller c, when it has destinations. With a
 * Type, SAM adds the permission to reach each destination to the
 * function's role; function_policies() writes the same grants (the policy
 * of `ctlc iam`), so that the template says them itself. */
static void destination_config(sam *s, const ctlc_decl *c)
{
    if (!c->traits.on_success.annot && !c->traits.on_failure.annot)
        return;
    ctlc_json_kobject(s->j, "DestinationConfig");
    destination(s, "OnSuccess", &c->traits.on_success);
    destination(s, "OnFailure", &c->traits.on_failure);
    ctlc_json_end(s->j);
}

/* The Policies of controller c: the policy of `ctlc iam` (what it uses,
 * and what its destinations need). */
static void function_policies(sam *s, const ctlc_decl *c)
{
    ctlc_iam_options arns = arn_options(s);
    ctlc_json_karray(s->j, "Policies");
    ctlc_iam_policy(s->run, s->j, c, &arns, s->prefix, true);
    ctlc_json_end(s->j);
}

static void function(sam *s, const ctlc_decl *c, const char *id)
{
    ctlc_json *j = s->j;
    const char *name = function_name(s, c);
    ctlc_json_key(j, id, strlen(id));
    ctlc_json_object(j);
    ctlc_json_kcstr(j, "Type", "AWS::Serverless::Function");
    ctlc_json_kobject(j, "Properties");
    ctlc_json_kcstr(j, "FunctionName", name);
    ctlc_json_kcstr(j, "Runtime", "provided.al2023");
    ctlc_json_kinline_array(j, "Architectures");
    const char *arch = s->opt->arch ? s->opt->arch : DEFAULT_ARCH;
    ctlc_json_str(j, arch, strlen(arch));
    ctlc_json_end(j);
    ctlc_json_kcstr(j, "CodeUri",
                    s->opt->code_uri ? s->opt->code_uri
                                     : ctlc_printf(s->a, DEFAULT_CODE_URI, NAME(c->name)));
    ctlc_json_kstr(j, "Handler", c->name.z, c->name.n);

    const ctlc_decl **used;
    size_t n = ctlc_iam_used(s->run, c, &used);
    bool idempotent = ctlc_iam_idempotent(c);
    if (n || idempotent) {
        ctlc_json_kobject(j, "Environment");
        ctlc_json_kobject(j, "Variables");
        for (size_t i = 0; i < n; i++)
            ctlc_json_kcstr(j, route_variable(s, used[i]), function_name(s, used[i]));
        if (idempotent && s->opt->idempotency_table) {
            ctlc_json_kcstr(j, CTLI_RULE_IDEM_TABLE_VAR, s->opt->idempotency_table);
        } else if (idempotent) {
            ctlc_json_kobject(j, CTLI_RULE_IDEM_TABLE_VAR);
            ctlc_json_kcstr(j, "Ref", TABLE_ID);
            ctlc_json_end(j);
        }
        ctlc_json_end(j);
        ctlc_json_end(j);
    }
    if (ctlc_iam_needs_policy(c))
        function_policies(s, c);

    ctlc_json_kobject(j, "EventInvokeConfig");
    ctlc_json_kraw(j, "MaximumRetryAttempts", ctlc_printf(s->a, "%d", ctlc_retries(&c->traits)));
    ctlc_json_kraw(j, "MaximumEventAgeInSeconds",
                   ctlc_printf(s->a, "%d", ctlc_max_event_age(&c->traits)));
    destination_config(s, c);
    ctlc_json_end(j);
    ctlc_json_end(j);
    ctlc_json_end(j);
}

/* The idempotency table: Powertools' layout (partition key id, a string;
 * TTL on expiration, epoch seconds), billed per request. */
static void table(sam *s)
{
    ctlc_json *j = s->j;
    ctlc_json_kobject(j, TABLE_ID);
    ctlc_json_kcstr(j, "Type", "AWS::DynamoDB::Table");
    ctlc_json_kobject(j, "Properties");
    ctlc_json_karray(j, "AttributeDefinitions");
    ctlc_json_object(j);
    ctlc_json_kcstr(j, "AttributeName", CTLI_RULE_IDEM_KEY_ATTR);
    ctlc_json_kcstr(j, "AttributeType", "S");
    ctlc_json_end(j);
    ctlc_json_end(j);
    ctlc_json_karray(j, "KeySchema");
    ctlc_json_object(j);
    ctlc_json_kcstr(j, "AttributeName", CTLI_RULE_IDEM_KEY_ATTR);
    ctlc_json_kcstr(j, "KeyType", "HASH");
    ctlc_json_end(j);
    ctlc_json_end(j);
    ctlc_json_kcstr(j, "BillingMode", "PAY_PER_REQUEST");
    ctlc_json_kobject(j, "TimeToLiveSpecification");
    ctlc_json_kcstr(j, "AttributeName", CTLI_RULE_IDEM_TTL_ATTR);
    ctlc_json_kraw(j, "Enabled", "true");
    ctlc_json_end(j);
    ctlc_json_end(j);
    ctlc_json_end(j);
}

/* The managed policy of client k, for its own function to attach. */
static void client_policy(sam *s, const ctlc_decl *k, const char *id)
{
    ctlc_json *j = s->j;
    ctlc_iam_options arns = arn_options(s);
    ctlc_json_key(j, id, strlen(id));
    ctlc_json_object(j);
    ctlc_json_kcstr(j, "Type", "AWS::IAM::ManagedPolicy");
    ctlc_json_kobject(j, "Properties");
    ctlc_json_kcstr(
        j, "Description",
        ctlc_printf(s->a, "ctl client %.*s: invoke the controllers it uses", NAME(k->name)));
    ctlc_json_key(j, "PolicyDocument", strlen("PolicyDocument"));
    ctlc_iam_policy(s->run, j, k, &arns, s->prefix, true);
    ctlc_json_end(j);
    ctlc_json_end(j);
}

/* An output with its export, ${AWS::StackName}-ID. */
static void output(sam *s, const char *id, const char *description, const char *resource,
                   bool get_arn)
{
    ctlc_json *j = s->j;
    ctlc_json_key(j, id, strlen(id));
    ctlc_json_object(j);
    ctlc_json_kcstr(j, "Description", description);
    ctlc_json_kobject(j, "Value");
    if (get_arn) {
        ctlc_json_kinline_array(j, "Fn::GetAtt");
        ctlc_json_str(j, resource, strlen(resource));
        ctlc_json_str(j, "Arn", 3);
        ctlc_json_end(j);
    } else {
        ctlc_json_kcstr(j, "Ref", resource); /* a managed policy's Ref is its ARN */
    }
    ctlc_json_end(j);
    ctlc_json_kobject(j, "Export");
    sub(j, "Name", ctlc_printf(s->a, "${AWS::StackName}-%s", id));
    ctlc_json_end(j);
    ctlc_json_end(j);
}

/* A client with a policy, or a controller: what the template holds. */
static bool deployed(const ctlc_decl *d)
{
    return d->kind == CTLC_D_CONTROLLER || (d->kind == CTLC_D_CLIENT && d->uses);
}

static void template(sam *s)
{
    ctlc_json *j = s->j;
    size_t n = 0;
    for (const ctlc_decl *d = s->spec->decls; d; d = d->next)
        n += deployed(d);
    s->base = ctlc_alloc(s->a, (n ? n : 1) * sizeof *s->base);
    size_t i = 0;
    for (const ctlc_decl *d = s->spec->decls; d; d = d->next) {
        if (deployed(d))
            s->base[i++] = logical_base(s, d);
        s->make_table |= !s->opt->idempotency_table && ctlc_iam_idempotent(d);
    }

    ctlc_json_object(j);
    ctlc_json_kcstr(j, "AWSTemplateFormatVersion", "2010-09-09");
    ctlc_json_kcstr(j, "Transform", "AWS::Serverless-2016-10-31");
    ctlc_json_kcstr(j, "Description",
                    ctlc_printf(s->a,
                                "%s: the controllers of %s.ctl on AWS Lambda (written by ctlc sam)",
                                ctlc_spec_title(s->a, s->spec), ctlc_spec_stem(s->a, s->spec)));
    ctlc_json_kobject(j, "Resources");
    i = 0;
    for (const ctlc_decl *d = s->spec->decls; d; d = d->next) {
        if (!deployed(d))
            continue;
        const char *base = s->base[i++];
        if (d->kind == CTLC_D_CONTROLLER)
            function(s, d, ctlc_printf(s->a, "%sFunction", base));
        else
            client_policy(s, d, ctlc_printf(s->a, "%sPolicy", base));
    }
    if (s->make_table)
        table(s);
    ctlc_json_end(j);
    if (n) {
        ctlc_json_kobject(j, "Outputs");
        i = 0;
        for (const ctlc_decl *d = s->spec->decls; d; d = d->next) {
            if (!deployed(d))
                continue;
            const char *base = s->base[i++];
            bool ctrl = d->kind == CTLC_D_CONTROLLER;
            const char *res = ctlc_printf(s->a, "%s%s", base, ctrl ? "Function" : "Policy");
            const char *what = ctrl
                ? ctlc_printf(s->a, "The ARN of function %s (controller %.*s)", function_name(s, d),
                              NAME(d->name))
                : ctlc_printf(s->a, "The ARN of the policy of client %.*s", NAME(d->name));
            output(s, ctlc_printf(s->a, "%sArn", res), what, res, ctrl);
        }
        if (s->make_table)
            output(s, TABLE_ID "Name", "The name of the idempotency table of the @idempotent functions",
                   TABLE_ID, false);
        ctlc_json_end(j);
    }
    ctlc_json_end(j);
}

static ctlc_status emit_sam(ctlc_run *run, const ctlc_spec *spec, const ctlc_sam_options *opt,
                            FILE *out)
{
    ctlc_json j;
    sam s = { .run = run, .a = run->arena, .j = &j, .spec = spec, .opt = opt };
    s.prefix = opt->prefix ? opt->prefix : "";
    ctlc_strset_init(&s.ids, run->arena);
    ctlc_status st = check(&s);
    if (st != CTLC_OK)
        return st;
    bool any = false;
    for (const ctlc_decl *d = spec->decls; d; d = d->next)
        any |= deployed(d);
    if (!any) {
        ctlc_loc nowhere = { NULL, 0, 0 };
        ctlc_warning(&run->diags, nowhere,
                     "%s declares no controller and no client that uses one: the template has no "
                     "resources, which CloudFormation refuses",
                     spec->src->path);
        if (run->diags.werror)
            return CTLC_ERRORS;
    }

    char *text = NULL;
    size_t len = 0;
    FILE *mem = ctlc_memstream(&text, &len);
    ctlc_json_init(&j, mem, run->arena);
    template(&s);
    ctlc_memstream_close(mem, &text);
    if (opt->path) {
        if (ctlc_write_file(run, opt->path, text, len) != 0)
            st = CTLC_IO;
    } else if (fwrite(text, 1, len, out) != len) {
        st = CTLC_IO; /* the caller, who owns out, says why */
    }
    ctlc_text_free(&text);
    return st;
}

ctlc_status ctlc_emit_sam(ctlc_run *run, const ctlc_spec *spec, const ctlc_sam_options *opt,
                          FILE *out)
{
    CTLC_GUARDED(run, emit_sam(run, spec, opt, out));
}
