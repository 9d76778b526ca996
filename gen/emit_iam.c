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
 * `${AWS::Partition}`), ready for `Fn::Sub`. */
#include <stdlib.h>
#include <string.h>

#include "ctlc.h"
#include "emit.h"
#include "emit_json.h"

/* The controllers that d uses, each once, in the order of its `uses`. */
static size_t used_controllers(ctlc_run *run, const ctlc_decl *d, const ctlc_decl ***out)
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

static void policy(ctlc_run *run, ctlc_json *j, const ctlc_decl *d, const ctlc_iam_options *opt)
{
    const ctlc_decl **used;
    size_t n = used_controllers(run, d, &used);
    const char *arn = ctlc_printf(run->arena, "arn:%s:lambda:%s:%s:function:",
                                  opt->partition ? opt->partition : "${AWS::Partition}",
                                  opt->region ? opt->region : "${AWS::Region}",
                                  opt->account ? opt->account : "${AWS::AccountId}");
    ctlc_json_object(j);
    ctlc_json_kcstr(j, "Version", "2012-10-17");
    ctlc_json_karray(j, "Statement");
    ctlc_json_object(j);
    ctlc_json_kcstr(j, "Sid", "InvokeUsedControllers");
    ctlc_json_kcstr(j, "Effect", "Allow");
    ctlc_json_kcstr(j, "Action", "lambda:InvokeFunction");
    ctlc_json_karray(j, "Resource");
    for (size_t i = 0; i < n; i++) {
        const ctlc_name *c = &used[i]->name;
        ctlc_json_str(j, ctlc_printf(run->arena, "%s%.*s", arn, (int)c->n, c->z), strlen(arn) + c->n);
        ctlc_json_str(j, ctlc_printf(run->arena, "%s%.*s:*", arn, (int)c->n, c->z), strlen(arn) + c->n + 2);
    }
    ctlc_json_end(j);
    ctlc_json_end(j);
    ctlc_json_end(j);
    ctlc_json_end(j);
}

static bool principal(const ctlc_decl *d)
{
    return (d->kind == CTLC_D_CLIENT || d->kind == CTLC_D_CONTROLLER) && d->uses;
}

int ctlc_emit_iam(ctlc_run *run, const ctlc_spec *spec, const ctlc_iam_options *opt)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = NULL;
    ctlc_json j;
    int rc = 0;
    if (!opt->outdir) {
        mem = ctlc_memstream(&text, &len);
        ctlc_json_init(&j, mem);
        ctlc_json_object(&j);
    }
    for (const ctlc_decl *d = spec->decls; d; d = d->next) {
        if (!principal(d))
            continue;
        if (!opt->outdir) {
            ctlc_json_key(&j, d->name.z, d->name.n);
            policy(run, &j, d, opt);
            continue;
        }
        char *one = NULL;
        size_t one_len = 0;
        FILE *f = ctlc_memstream(&one, &one_len);
        ctlc_json_init(&j, f);
        policy(run, &j, d, opt);
        fclose(f);
        rc |= ctlc_write_file(run, ctlc_printf(run->arena, "%s/%.*s.policy.json", opt->outdir, (int)d->name.n, d->name.z),
                              one, one_len);
        free(one);
        if (rc)
            break; /* the folder is unwritable: one message is enough */
    }
    if (!opt->outdir) {
        ctlc_json_end(&j);
        fclose(mem);
        if (fwrite(text, 1, len, stdout) != len)
            rc = -1;
        free(text);
    }
    return rc;
}
