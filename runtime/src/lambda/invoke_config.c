/* lambda/invoke_config.c: the Invoke transport's settings: ctl_lambda_config
 * and the environment (the rule every AWS service of libctl follows,
 * lambda/aws_service.c, with AWS_ENDPOINT_URL_LAMBDA), and the transport's
 * own limits: timeouts, attempts, backoff, requests in flight. */
#include <stdio.h>
#include <string.h>

#include "lambda/invoke_wire.h"

void ctli_invoke_wire_free(ctli_invoke_wire *w)
{
    ctli_aws_service_free(&w->aws);
    memset(w, 0, sizeof *w);
}

ctl_status ctli_invoke_wire_init(ctli_invoke_wire *w, const ctl_lambda_config *config, char *why, size_t why_cap)
{
    ctl_lambda_config none = { 0 };
    const ctl_lambda_config *c = config ? config : &none;
    memset(w, 0, sizeof *w);
    ctli_aws_given given = { c->region, c->endpoint_url, c->access_key_id, c->secret_access_key, c->session_token };
    ctl_status st = ctli_aws_service_init(&w->aws, "lambda", "Lambda", "AWS_ENDPOINT_URL_LAMBDA", &given, why, why_cap);
    if (st != CTL_OK)
        return st;
    if (c->max_attempts < 0 || c->max_in_flight < 0 || c->connect_timeout_ms < 0 || c->timeout_ms < 0) {
        snprintf(why, why_cap, "the Lambda config's %s is negative (0 takes the default)",
                 c->max_attempts < 0        ? "max_attempts"
                 : c->max_in_flight < 0     ? "max_in_flight"
                 : c->connect_timeout_ms < 0 ? "connect_timeout_ms"
                                             : "timeout_ms");
        return CTL_ERR_USAGE;
    }
    w->connect_timeout_ms = c->connect_timeout_ms ? c->connect_timeout_ms : 10000;
    w->send_timeout_ms = c->timeout_ms ? c->timeout_ms : 60000;
    w->call_timeout_ms = c->timeout_ms ? c->timeout_ms : 905000;
    w->max_attempts = c->max_attempts ? c->max_attempts : 3;
    w->backoff_base_ms = c->backoff_base_ms ? c->backoff_base_ms : 100;
    w->max_in_flight = c->max_in_flight ? c->max_in_flight : 64;
    return CTL_OK;
}
