/* https_probe: one RequestResponse call over the Lambda transport to the
 * endpoint in AWS_ENDPOINT_URL_LAMBDA; prints the status and the response
 * or error. Used by https_test.py to check which CA bundle https trusts. */
#include <stdio.h>
#include <string.h>

#include "ctl/ctl.h"

int main(void)
{
    ctl_client *client = ctl_client_new(NULL);
    if (!client)
        return 2;
    ctl_lambda_config cfg = { .max_attempts = 1, .connect_timeout_ms = 5000, .timeout_ms = 10000 };
    if (ctl_client_use_lambda(client, &cfg) != CTL_OK) {
        printf("use_lambda failed: %s\n", ctl_client_error(client));
        ctl_client_free(client);
        return 2;
    }
    const char *event = "{\"function\":\"ping\"}";
    ctl_response resp;
    ctl_status st = ctl_client_call(client, "probe", event, strlen(event), &resp);
    printf("%s %s\n", st == CTL_OK ? "ok" : ctl_status_error_type(st), resp.body ? resp.body : "(no body)");
    ctl_response_free(&resp);
    ctl_client_free(client);
    return st == CTL_OK ? 0 : 1;
}
