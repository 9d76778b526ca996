/* helpers.c: the Leedz helper controllers, written against the generated
 * leedz.ctl.h. Each handler gets typed arguments; none parses JSON.
 *
 * The AWS services behind them are simulated: emails become .eml files in
 * outbox/, texts lines in sms.log, table writes lines in db.jsonl, and each
 * service call sleeps for a set latency (20 ms by default) so that the demo
 * shows what the async pattern saves a user. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "helpers.h"
#include "leedz.ctl.h"

static const char *out_dir = ".";
static int latency_ms = 20;
static pthread_mutex_t files = PTHREAD_MUTEX_INITIALIZER;
static atomic_uint notify_runs, text_runs; /* handler runs, for leedz_helpers_runs */

void leedz_helpers_init(const char *dir)
{
    out_dir = dir;
    char path[4096];
    mkdir(dir, 0777);
    snprintf(path, sizeof path, "%s/outbox", dir);
    mkdir(path, 0777);
}

void leedz_helpers_set_latency(int ms)
{
    latency_ms = ms;
}

unsigned leedz_helpers_runs(const char *function)
{
    if (strcmp(function, "notifyUsers") == 0)
        return atomic_load(&notify_runs);
    if (strcmp(function, "textSubscribers") == 0)
        return atomic_load(&text_runs);
    return 0;
}

void leedz_service_call(void)
{
    struct timespec ts = { latency_ms / 1000, (long)(latency_ms % 1000) * 1000000L };
    if (latency_ms > 0)
        nanosleep(&ts, NULL);
}

static void append(const char *name, const char *line)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", out_dir, name);
    pthread_mutex_lock(&files);
    FILE *f = fopen(path, "a");
    if (f) {
        fprintf(f, "%s\n", line);
        fclose(f);
    }
    pthread_mutex_unlock(&files);
}

void leedz_db_put(const char *json)
{
    leedz_service_call(); /* DynamoDB PutItem */
    append("db.jsonl", json);
}

/* A small subscriber table standing in for the users' table. */
static const struct {
    const char *username, *email, *phone, *zip;
    leedz_Trade trade;
    leedz_NotifyChannel notify;
} subscribers[] = {
    { "ana.draws", "ana@example.com", NULL, "90210", leedz_Trade_caricatures, leedz_NotifyChannel_email },
    { "bo.sketch", "bo@example.com", "+15550100", "90211", leedz_Trade_caricatures, leedz_NotifyChannel_sms },
    { "cy.inks", "cy@example.com", NULL, "90212", leedz_Trade_caricatures, leedz_NotifyChannel_email },
    { "di.spins", "di@example.com", NULL, "90210", leedz_Trade_dj, leedz_NotifyChannel_email },
    { "ed.magic", "ed@example.com", "+15550101", "10001", leedz_Trade_magician, leedz_NotifyChannel_sms },
};

/* ---- booking_helper ---------------------------------------------------------- */

int leedz_booking_helper_checkBooking(ctl_ctx *ctx, const leedz_booking_helper_checkBooking_args *args,
                                      leedz_booking_helper_checkBooking_result *result)
{
    (void)ctx;
    leedz_service_call(); /* Location Service search */
    /* One known booking: a DJ on New Year's Eve in 90210. */
    bool taken = args->trade == leedz_Trade_dj && strcmp(args->date, "2026-12-31") == 0 &&
                 strcmp(args->zip, "90210") == 0;
    result->available = !taken;
    if (taken) {
        result->conflict_id = "leed-nye-0001";
    }
    return 0;
}

int leedz_booking_helper_recordBooking(ctl_ctx *ctx, const leedz_booking_helper_recordBooking_args *args)
{
    char *rec = ctl_sprintf(ctx, "{\"table\":\"bookings\",\"leed_id\":\"%s\",\"buyer\":\"%s\"}",
                            args->booking.leed_id, args->booking.buyer);
    if (!rec)
        return -1;
    leedz_db_put(rec);
    return 0;
}

/* ---- async_db_helper ------------------------------------------------------------ */

int leedz_async_db_helper_bumpCounters(ctl_ctx *ctx, const leedz_async_db_helper_bumpCounters_args *args)
{
    char *rec = ctl_sprintf(ctx, "{\"table\":\"counters\",\"trade\":\"%s\",\"posted\":%lld,\"sold\":%lld}",
                            leedz_Trade_to_string(args->trade), (long long)args->posted, (long long)args->sold);
    if (!rec)
        return -1;
    leedz_db_put(rec);
    return 0;
}

int leedz_async_db_helper_logActivity(ctl_ctx *ctx, const leedz_async_db_helper_logActivity_args *args)
{
    char *rec = ctl_sprintf(ctx, "{\"table\":\"activity\",\"user\":\"%s\",\"action\":\"%s\",\"leed_id\":\"%s\",\"ts\":%lld}",
                            args->username, leedz_Activity_to_string(args->action),
                            args->leed_id ? args->leed_id : "", (long long)args->timestamp);
    if (!rec)
        return -1;
    leedz_db_put(rec);
    return 0;
}

int leedz_async_db_helper_markLeedSold(ctl_ctx *ctx, const leedz_async_db_helper_markLeedSold_args *args)
{
    char *rec = ctl_sprintf(ctx, "{\"table\":\"leedz\",\"id\":\"%s\",\"status\":\"sold\",\"buyer\":\"%s\"}", args->id,
                            args->buyer);
    if (!rec)
        return -1;
    leedz_db_put(rec);
    return 0;
}

int leedz_async_db_helper_getLeed(ctl_ctx *ctx, const leedz_async_db_helper_getLeed_args *args, leedz_Leed *result)
{
    (void)result;
    leedz_service_call(); /* DynamoDB GetItem */
    return ctl_fail(ctx, "leedz.NotFound", "no leed %s in the demo table", args->id);
}

int leedz_async_db_helper_findSubscribers(ctl_ctx *ctx, const leedz_async_db_helper_findSubscribers_args *args,
                                          leedz_async_db_helper_findSubscribers_result *result)
{
    leedz_service_call(); /* DynamoDB Query on the trade index */
    size_t n = sizeof subscribers / sizeof subscribers[0];
    result->users.items = ctl_alloc(ctx, n * sizeof *result->users.items);
    if (!result->users.items)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (subscribers[i].trade != args->trade || subscribers[i].notify != args->channel)
            continue;
        leedz_User *u = &result->users.items[result->users.count++];
        memset(u, 0, sizeof *u);
        u->username = subscribers[i].username;
        u->email = subscribers[i].email;
        u->phone = subscribers[i].phone;
        u->home_zip = subscribers[i].zip;
        u->radius_miles = 25;
        u->notify = subscribers[i].notify;
        u->trades.items = (leedz_Trade *)&subscribers[i].trade;
        u->trades.count = 1;
    }
    return 0;
}

/* ---- async_email_helper --------------------------------------------------------- */

static int send_email(ctl_ctx *ctx, const char *to, const char *subject, const char *body)
{
    leedz_service_call(); /* SES SendEmail */
    if (!strchr(to, '@')) /* as SES refuses it */
        return ctl_fail(ctx, "leedz.EmailRejected", "SES refused the address '%s': Missing final '@domain'", to);
    char path[4096];
    snprintf(path, sizeof path, "%s/outbox/%s-%s.eml", out_dir, ctl_ctx_request_id(ctx), to);
    FILE *f = fopen(path, "w");
    if (!f)
        return ctl_fail(ctx, "leedz.EmailFailed", "cannot write %s: %s", path, strerror(errno));
    fprintf(f, "To: %s\r\nFrom: noreply@theleedz.com\r\nSubject: %s\r\n\r\n%s\r\n", to, subject, body);
    fclose(f);
    return 0;
}

int leedz_async_email_helper_notifyUsers(ctl_ctx *ctx, const leedz_async_email_helper_notifyUsers_args *args)
{
    /* The controller finds the subscribers itself (a sync call to the DB
     * helper), then mails each: the caller does not wait for any of it. */
    atomic_fetch_add(&notify_runs, 1);
    leedz_async_db_helper_findSubscribers_args q = { args->trade, "", leedz_NotifyChannel_email };
    leedz_async_db_helper_findSubscribers_result found;
    ctl_reply *reply = NULL;
    if (leedz_async_db_helper_findSubscribers_call(ctl_ctx_client(ctx), &q, &found, &reply) != CTL_OK) {
        ctl_fail(ctx, ctl_reply_error_type(reply), "findSubscribers: %s", ctl_client_error(ctl_ctx_client(ctx)));
        ctl_reply_free(reply);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < found.users.count && rc == 0; i++) {
        const leedz_User *u = &found.users.items[i];
        if (strcmp(u->username, args->seller) == 0)
            continue;
        char *subject = ctl_sprintf(ctx, "New %s leed %s", leedz_Trade_to_string(args->trade), args->id);
        char *body = ctl_sprintf(ctx, "Hi %s,\r\n\r\n%s posted a %s leed (%s) on theleedz.com.", u->username,
                                 args->seller, leedz_Trade_to_string(args->trade), args->id);
        rc = subject && body ? send_email(ctx, u->email, subject, body) : -1;
    }
    ctl_reply_free(reply);
    return rc;
}

int leedz_async_email_helper_sendReceipt(ctl_ctx *ctx, const leedz_async_email_helper_sendReceipt_args *args)
{
    char *body = ctl_sprintf(ctx, "You bought leed %s for %lld %s cents.", args->leed.id, (long long)args->paid_cents,
                             args->currency);
    return body ? send_email(ctx, args->buyer_email, "Your leed receipt", body) : -1;
}

int leedz_async_email_helper_notifySeller(ctl_ctx *ctx, const leedz_async_email_helper_notifySeller_args *args)
{
    char *body = ctl_sprintf(ctx, "%s bought your leed %s.", args->buyer, args->leed_id);
    return body ? send_email(ctx, args->seller, "Your leed sold", body) : -1;
}

int leedz_async_email_helper_notifyTradeList(ctl_ctx *ctx, const leedz_async_email_helper_notifyTradeList_args *args)
{
    for (size_t i = 0; i < args->emails.count; i++)
        if (send_email(ctx, args->emails.items[i], "New leed", args->id))
            return -1;
    return 0;
}

/* ---- async_sms_helper -------------------------------------------------------------- */

int leedz_async_sms_helper_textSubscribers(ctl_ctx *ctx, const leedz_async_sms_helper_textSubscribers_args *args)
{
    atomic_fetch_add(&text_runs, 1);
    leedz_async_db_helper_findSubscribers_args q = { args->trade, args->zip, leedz_NotifyChannel_sms };
    leedz_async_db_helper_findSubscribers_result found;
    ctl_reply *reply = NULL;
    if (leedz_async_db_helper_findSubscribers_call(ctl_ctx_client(ctx), &q, &found, &reply) != CTL_OK) {
        ctl_fail(ctx, ctl_reply_error_type(reply), "findSubscribers: %s", ctl_client_error(ctl_ctx_client(ctx)));
        ctl_reply_free(reply);
        return -1;
    }
    for (size_t i = 0; i < found.users.count; i++) {
        const leedz_User *u = &found.users.items[i];
        if (!u->phone)
            continue;
        leedz_service_call(); /* SNS Publish */
        char *line = ctl_sprintf(ctx, "to %s (%s): %s", u->phone, u->username, args->message);
        if (line)
            append("sms.log", line);
    }
    ctl_reply_free(reply);
    return 0;
}
