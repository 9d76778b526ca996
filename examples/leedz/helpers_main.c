/* helpers_main.c: one controller binary hosting every Leedz helper.
 *   leedz_helpers invoke --controller async_email_helper \
 *     '{"function":"notifyUsers","id":"123456789","trade":"caricatures","seller":"scott.gross"}'
 * The helpers write into $LEEDZ_OUT (default ./leedz-out, or /tmp/leedz-out
 * on AWS Lambda, where /tmp is the only writable place); $LEEDZ_LATENCY_MS
 * sets the simulated latency of each AWS call (default 20). */
#include <stdlib.h>

#include "helpers.h"
#include "leedz.ctl.h"

int main(int argc, char **argv)
{
    const char *dir = getenv("LEEDZ_OUT");
    if (!dir || !*dir)
        dir = getenv("AWS_LAMBDA_RUNTIME_API") ? "/tmp/leedz-out" : "leedz-out";
    leedz_helpers_init(dir);
    const char *latency = getenv("LEEDZ_LATENCY_MS");
    if (latency && *latency)
        leedz_helpers_set_latency(atoi(latency));
    return ctl_main(argc, argv, &leedz_async_email_helper_controller, &leedz_async_db_helper_controller,
                    &leedz_async_sms_helper_controller, &leedz_booking_helper_controller, NULL);
}
