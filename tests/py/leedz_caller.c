/* leedz_caller.c: addLeed's calls from C, through libctl's Lambda transport,
 * to controllers that the Python module of the same spec hosts
 * (tests/py/leedz_host.py; the endpoint comes from AWS_ENDPOINT_URL_LAMBDA).
 * Prints what each call came to; run_leedz_host.sh compares it. */
#include <stdio.h>

#include "leedz.ctl.h"

static void check(ctl_client *client, const char *date, const char *zip)
{
    leedz_booking_helper_checkBooking_args args = { .trade = leedz_Trade_caricatures, .date = date, .zip = zip };
    leedz_booking_helper_checkBooking_result result;
    ctl_reply *reply = NULL;
    ctl_status st = leedz_booking_helper_checkBooking_call(client, &args, &result, &reply);
    if (st == CTL_OK)
        printf("checkBooking %s %s: available=%s conflict_id=%s\n", date, zip, result.available ? "true" : "false",
               result.conflict_id ? result.conflict_id : "(none)");
    else
        printf("checkBooking %s %s: %s: %s: %s\n", date, zip, ctl_status_str(st),
               ctl_reply_error_type(reply) ? ctl_reply_error_type(reply) : "(no type)",
               ctl_reply_error_message(reply) ? ctl_reply_error_message(reply) : ctl_client_error(client));
    ctl_reply_free(reply);
}

int main(void)
{
    ctl_client *client = ctl_client_new(NULL);
    if (!client || ctl_client_use_lambda(client, NULL) != CTL_OK) {
        fprintf(stderr, "leedz_caller: no Lambda client: %s\n", ctl_client_error(client));
        ctl_client_free(client);
        return 1;
    }
    check(client, "2026-12-24", "90210");
    check(client, "2026-12-25", "90210");
    check(client, "2026-12-24", "00000");
    leedz_async_email_helper_notifyUsers_args notice = { .id = "123456789", .trade = leedz_Trade_dj,
                                                         .seller = "scott.gross" };
    ctl_status st = leedz_async_email_helper_notifyUsers_send(client, &notice);
    printf("notifyUsers: %s\n", ctl_status_str(st));
    ctl_client_flush(client);
    ctl_client_free(client);
    return 0;
}
