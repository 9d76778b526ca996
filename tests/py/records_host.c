/* records_host.c: the C side of py/records. Hosts the controllers failures
 * and audit of tests/cases/ok_destinations.ctl (`invoke --controller NAME -`,
 * ctl_main); each @records handler prints the invocation record it was given,
 * one line, before the answer, in the form records_test.py prints Python's. */
#include <stdio.h>

#include <cjson/cJSON.h>

#include "ok_destinations.ctl.h"

static const char *text(const char *s)
{
    return s ? s : "(none)";
}

/* A payload as cJSON prints it; an absent one (NULL) as null: Python's
 * CtlRecord has one None for both (README.md, "Python"). */
static void print_json(const char *name, const cJSON *v)
{
    char *s = v ? cJSON_PrintUnformatted(v) : NULL;
    printf(" %s=%s", name, s ? s : "null");
    cJSON_free(s);
}

static int print_record(const char *fn, const ctl_record *r)
{
    printf("%s: version=%s timestamp=%s request_id=%s function_arn=%s condition=%s count=%lld", fn,
           text(r->version), text(r->timestamp), text(r->request_id), text(r->function_arn), text(r->condition),
           (long long)r->approximate_invoke_count);
    print_json("request", r->request_payload);
    printf(" status=%lld executed=%s function_error=%s", (long long)r->status_code, text(r->executed_version),
           text(r->function_error));
    print_json("response", r->response_payload);
    putchar('\n');
    return 0;
}

int dest_failures_failed(ctl_ctx *ctx, const ctl_record *record)
{
    (void)ctx;
    return print_record("failures.failed", record);
}

int dest_audit_delivered(ctl_ctx *ctx, const ctl_record *record)
{
    (void)ctx;
    return print_record("audit.delivered", record);
}

int dest_audit_count(ctl_ctx *ctx, const dest_audit_count_args *args, dest_audit_count_result *result)
{
    (void)ctx;
    (void)args;
    result->n = 7;
    return 0;
}

int main(int argc, char **argv)
{
    return ctl_main(argc, argv, &dest_failures_controller, &dest_audit_controller, NULL);
}
