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
 *
 *   leedz_demo [OUT_DIR] [LATENCY_MS]   (defaults: leedz-out, 20) */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

static ctl_client *make_client(bool inline_sends, const char *dead_letters)
{
    ctl_client_config cfg = { 0 };
    cfg.workers = 4;
    cfg.inline_sends = inline_sends;
    cfg.dead_letter_path = dead_letters;
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

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "leedz-out";
    int latency = argc > 2 ? atoi(argv[2]) : 20;
    leedz_helpers_init(dir);
    leedz_helpers_set_latency(latency);
    char dead[4096];
    snprintf(dead, sizeof dead, "%s/dead-letters.jsonl", dir);

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

    ctl_client *sync_client = make_client(true, dead);
    double t0 = now_ms();
    int rc = add_leed(sync_client, &leed, response, sizeof response);
    double sync_ms = now_ms() - t0;
    printf("  synchronous (helpers called serially):  %7.1f ms until the user gets %s\n", sync_ms, response);
    ctl_client_free(sync_client);
    if (rc != 0)
        return 1;

    leed.id = "123456790";
    ctl_client *async_client = make_client(false, dead);
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
    return stats.failed ? 1 : 0;
}
