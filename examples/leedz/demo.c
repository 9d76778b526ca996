/* demo.c: addLeed, the seed's API-facing Lambda, done two ways.
 *
 * Both ways run the same code against the same helpers: check the booking
 * (the user must wait for that answer), store the leed, then the
 * bookkeeping: notifyUsers, textSubscribers, bumpCounters, logActivity.
 *   - synchronous: every helper is called serially and addLeed waits for
 *     each (the hand-written pattern before the seed's change; here a client
 *     with inline_sends);
 *   - async controllers: the bookkeeping goes out with the generated _send
 *     stubs and addLeed returns at once; the helpers run in the background
 *     (in-process workers here, helper Lambdas in production).
 * It prints the latency the client sees each way, and what the helpers did.
 * Then a receipt sent to an address SES refuses: async_email_helper fails it
 * three times (Lambda's retries), and its invocation record goes to the
 * controller's on-failure destination (@on_failure(sqs:
 * "leedz-failed-emails"); locally the file OUT_DIR/sqs-leedz-failed-emails.jsonl),
 * not to the dead letters; the demo prints the record.
 * Between the two: leed 123456790's notices delivered a second time, as
 * Lambda redelivers an event and as a caller retries; notifyUsers and
 * textSubscribers are @idempotent on the leed id, so the duplicates are
 * recognised in the idempotency store (OUT_DIR/ctl-idempotency.sqlite) and
 * no email or text goes out twice; the demo counts them.
 *
 *   leedz_demo [OUT_DIR] [LATENCY_MS]   (defaults: leedz-out, 20) */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "leedz.ctl.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* addLeed: returns 0 and the response the web client gets in *response. */
static int add_leed(ctl_client *client, const leedz_Leed *leed, char *response, size_t size)
{
    /* 1. The booking check: the user waits for this answer. */
    leedz_booking_helper_checkBooking_args check = { leed->trade, leed->date, leed->zip };
    leedz_booking_helper_checkBooking_result booking;
    ctl_reply *reply = NULL;
    ctl_status rc = leedz_booking_helper_checkBooking_call(client, &check, &booking, &reply);
    if (rc != CTL_OK) {
        snprintf(response, size, "{\"error\":\"%s\"}", ctl_client_error(client));
        ctl_reply_free(reply);
        return (int)rc;
    }
    if (!booking.available) {
        snprintf(response, size, "{\"error\":\"already booked\",\"conflict\":\"%s\"}",
                 booking.conflict_id ? booking.conflict_id : "");
        ctl_reply_free(reply);
        return 1;
    }
    ctl_reply_free(reply);

    /* 2. Store the leed: the user waits for this too. */
    char record[512];
    snprintf(record, sizeof record, "{\"table\":\"leedz\",\"id\":\"%s\",\"trade\":\"%s\",\"seller\":\"%s\",\"zip\":\"%s\"}",
             leed->id, leedz_Trade_to_string(leed->trade), leed->seller, leed->zip);
    leedz_db_put(record);

    /* 3. The bookkeeping, handed to the helper controllers. The first one is
     * the seed's exact event:
     * {"function":"notifyUsers","id":"123456789","trade":"caricatures","seller":"scott.gross"} */
    leedz_async_email_helper_notifyUsers_args notify = { leed->id, leed->trade, leed->seller };
    leedz_async_sms_helper_textSubscribers_args text = { leed->id, leed->trade, leed->zip, "New leed near you", true };
    leedz_async_db_helper_bumpCounters_args counters = { leed->trade, 1, 0 };
    leedz_async_db_helper_logActivity_args activity = { 0 };
    activity.username = leed->seller;
    activity.action = leedz_Activity_posted;
    activity.leed_id = leed->id;
    activity.timestamp = leed->posted_at;
    if ((rc = leedz_async_email_helper_notifyUsers_send(client, &notify)) != CTL_OK ||
        (rc = leedz_async_sms_helper_textSubscribers_send(client, &text)) != CTL_OK ||
        (rc = leedz_async_db_helper_bumpCounters_send(client, &counters)) != CTL_OK ||
        (rc = leedz_async_db_helper_logActivity_send(client, &activity)) != CTL_OK) {
        snprintf(response, size, "{\"error\":\"%s\"}", ctl_client_error(client));
        return (int)rc;
    }
    snprintf(response, size, "{\"id\":\"%s\",\"status\":\"posted\"}", leed->id);
    return 0;
}

static ctl_client *make_client(bool inline_sends, const char *dead_letters, unsigned retry_delay_ms)
{
    ctl_client_config cfg = { 0 };
    cfg.workers = 4;
    cfg.inline_sends = inline_sends;
    cfg.dead_letter_path = dead_letters; /* the destinations' files go beside it */
    cfg.retry_delay_ms[0] = cfg.retry_delay_ms[1] = retry_delay_ms;
    ctl_client *client = ctl_client_new(&cfg);
    if (!client ||
        ctl_client_register(client, &leedz_booking_helper_controller) != CTL_OK ||
        ctl_client_register(client, &leedz_async_email_helper_controller) != CTL_OK ||
        ctl_client_register(client, &leedz_async_db_helper_controller) != CTL_OK ||
        ctl_client_register(client, &leedz_async_sms_helper_controller) != CTL_OK) {
        fprintf(stderr, "leedz_demo: cannot set up the client\n");
        exit(1);
    }
    return client;
}

static int count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    int n = 0, c;
    if (!f)
        return 0;
    while ((c = fgetc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

static int count_emails(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/outbox", dir);
    DIR *d = opendir(path);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += strstr(e->d_name, ".eml") != NULL;
    if (d)
        closedir(d);
    return n;
}

/* Leed's notices delivered a second time: notifyUsers's event as Lambda
 * redelivers one it could not confirm (the same bytes, sent raw), and
 * textSubscribers as addLeed's caller retries after a timeout (the stub
 * again). A new client, as another Lambda instance would be, on the same
 * store (ctl-idempotency.sqlite beside the dead letters) finds both keys
 * completed and answers them without running the handlers. 0 when both
 * events succeeded, neither handler ran, and no email or text went out. */
static int duplicate_delivery(const char *dir, const char *dead, const leedz_Leed *leed)
{
    char sms[4096];
    snprintf(sms, sizeof sms, "%s/sms.log", dir);
    int emails = count_emails(dir), texts = count_lines(sms);
    unsigned notified = leedz_helpers_runs("notifyUsers"), texted = leedz_helpers_runs("textSubscribers");
    printf("\nleed %s's notices delivered again: notifyUsers as Lambda redelivers an event, textSubscribers as "
           "addLeed's caller retries\n",
           leed->id);
    ctl_client *client = make_client(false, dead, 0);
    char event[256];
    int n = snprintf(event, sizeof event,
                     "{\"function\":\"notifyUsers\",\"id\":\"%s\",\"trade\":\"%s\",\"seller\":\"%s\"}", leed->id,
                     leedz_Trade_to_string(leed->trade), leed->seller);
    leedz_async_sms_helper_textSubscribers_args text = { leed->id, leed->trade, leed->zip, "New leed near you", true };
    ctl_status rc = ctl_client_send(client, "async_email_helper", event, (size_t)n);
    if (rc == CTL_OK)
        rc = leedz_async_sms_helper_textSubscribers_send(client, &text);
    if (rc != CTL_OK)
        fprintf(stderr, "leedz_demo: a duplicate: %s\n", ctl_client_error(client));
    ctl_client_drain(client);
    ctl_client_stats stats;
    ctl_client_stats_get(client, &stats);
    ctl_client_free(client);
    bool recognised = leedz_helpers_runs("notifyUsers") == notified && leedz_helpers_runs("textSubscribers") == texted;
    int emails_after = count_emails(dir), texts_after = count_lines(sms);
    printf("  %s\n", event);
    printf("  %llu of 2 duplicates succeeded; %s\n", (unsigned long long)stats.succeeded,
           recognised ? "both recognised by their idempotency key (the leed id): the handlers did not run again"
                      : "a handler RAN AGAIN");
    printf("  emails in outbox/: %d before, %d after; texts in sms.log: %d before, %d after\n", emails, emails_after,
           texts, texts_after);
    return rc == CTL_OK && stats.succeeded == 2 && stats.failed == 0 && recognised && emails_after == emails &&
                   texts_after == texts
               ? 0
               : 1;
}

/* A receipt to a username where the buyer's email belongs: SES refuses it
 * on every attempt, and the record of the failure reaches the queue of
 * failed emails (retries 100 ms apart here; Lambda waits a minute, then
 * two). 0 when the record is there and no dead letter was written. */
static int failed_receipt(const char *dir, const char *dead)
{
    printf("\na receipt to a bad address: async_email_helper.sendReceipt with buyer_email \"scott.gross\"\n");
    ctl_client *client = make_client(false, dead, 100);
    leedz_async_email_helper_sendReceipt_args receipt = { 0 };
    receipt.leed.id = "123456790";
    receipt.leed.trade = leedz_Trade_caricatures;
    receipt.leed.seller = "scott.gross";
    receipt.leed.zip = "90210";
    receipt.leed.date = "2026-12-19";
    receipt.leed.status = leedz_LeedStatus_sold;
    receipt.buyer = "dj.ana";
    receipt.buyer_email = "scott.gross"; /* the bug: a username */
    receipt.paid_cents = 2500;
    receipt.currency = "USD";
    ctl_status rc = leedz_async_email_helper_sendReceipt_send(client, &receipt);
    if (rc != CTL_OK)
        fprintf(stderr, "leedz_demo: sendReceipt: %s\n", ctl_client_error(client));
    ctl_client_drain(client);
    ctl_client_stats stats;
    ctl_client_stats_get(client, &stats);
    ctl_client_free(client);
    char path[4096], line[8192] = "";
    snprintf(path, sizeof path, "%s/sqs-leedz-failed-emails.jsonl", dir);
    FILE *f = fopen(path, "r");
    if (f) {
        if (!fgets(line, sizeof line, f))
            line[0] = '\0';
        fclose(f);
    }
    printf("  %llu attempts failed; the on-failure destination @on_failure(sqs: \"leedz-failed-emails\") got the "
           "invocation record,\n  locally the line of %s:\n  %s",
           (unsigned long long)(stats.retried + stats.failed), path, *line ? line : "(none)\n");
    printf("  dead letters: %s\n", count_lines(dead) ? dead : "none (the destination took the failure)");
    return rc == CTL_OK && *line && strstr(line, "\"condition\":\"RetriesExhausted\"") && !count_lines(dead) ? 0 : 1;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "leedz-out";
    int latency = argc > 2 ? atoi(argv[2]) : 20;
    leedz_helpers_init(dir);
    leedz_helpers_set_latency(latency);
    char dead[4096], store[4096];
    snprintf(dead, sizeof dead, "%s/dead-letters.jsonl", dir);
    /* Each run posts its leeds afresh: the keys of an earlier run's notices
     * (remembered a day) would hold their emails back. */
    static const char *const store_files[] = { "", "-wal", "-shm" };
    for (size_t i = 0; i < 3; i++) {
        snprintf(store, sizeof store, "%s/ctl-idempotency.sqlite%s", dir, store_files[i]);
        unlink(store);
    }

    leedz_Leed leed = { 0 };
    leed.id = "123456789";
    leed.trade = leedz_Trade_caricatures;
    leed.seller = "scott.gross";
    leed.zip = "90210";
    leed.date = "2026-12-19";
    leed.posted_at = (int64_t)time(NULL);

    printf("addLeed %s (%s, %s, seller %s); each simulated AWS call takes %d ms\n\n", leed.id,
           leedz_Trade_to_string(leed.trade), leed.zip, leed.seller, latency);
    char response[512];

    ctl_client *sync_client = make_client(true, dead, 0);
    double t0 = now_ms();
    int rc = add_leed(sync_client, &leed, response, sizeof response);
    double sync_ms = now_ms() - t0;
    printf("  synchronous (helpers called serially):  %7.1f ms until the user gets %s\n", sync_ms, response);
    ctl_client_free(sync_client);
    if (rc != 0)
        return 1;

    leed.id = "123456790";
    ctl_client *async_client = make_client(false, dead, 0);
    t0 = now_ms();
    rc = add_leed(async_client, &leed, response, sizeof response);
    double async_ms = now_ms() - t0;
    printf("  async controllers (ctl _send stubs):    %7.1f ms until the user gets %s\n", async_ms, response);
    ctl_client_drain(async_client);
    double done_ms = now_ms() - t0;
    ctl_client_stats stats;
    ctl_client_stats_get(async_client, &stats);
    ctl_client_free(async_client);
    if (rc != 0)
        return 1;
    printf("  ... the helpers finished %.1f ms after the request, in the background\n", done_ms);
    printf("\n  the user waits %.1fx less with async controllers\n\n", sync_ms / async_ms);

    printf("what the helpers did (in %s/):\n", dir);
    char path[4096];
    snprintf(path, sizeof path, "%s/outbox", dir);
    DIR *d = opendir(path);
    int emails = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        if (strstr(e->d_name, ".eml")) {
            if (emails < 4)
                printf("  outbox/%s\n", e->d_name);
            emails++;
        }
    if (d)
        closedir(d);
    snprintf(path, sizeof path, "%s/sms.log", dir);
    int texts = count_lines(path);
    snprintf(path, sizeof path, "%s/db.jsonl", dir);
    int records = count_lines(path);
    printf("  %d emails in outbox/, %d texts in sms.log, %d records in db.jsonl\n", emails, texts, records);
    printf("  async client: %llu events sent, %llu succeeded, %llu retried, %llu failed (dead letters: %s)\n",
           (unsigned long long)stats.sent, (unsigned long long)stats.succeeded, (unsigned long long)stats.retried,
           (unsigned long long)stats.failed, stats.failed ? dead : "none");
    if (stats.failed)
        return 1;
    int bad = duplicate_delivery(dir, dead, &leed);
    return failed_receipt(dir, dead) || bad;
}
