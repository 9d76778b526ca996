/* idem_purge_test.c: the local idempotency store deletes its expired rows
 * (runtime/src/client/idem_store.c): completions past their expiration and
 * claims expired more than CTLI_IDEM_PURGE_GRACE_MS ago go, at most
 * CTLI_IDEM_PURGE_ROWS a pass; live completions, live claims and claims
 * just expired stay and still answer; a pass runs at open and after every
 * CTLI_IDEM_PURGE_EVERY claims, so a store in steady use holds its live
 * keys only. Times are given to the store, not waited for. Reads the file
 * with SQLite on the side. Links ctl_internal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "../check.h"

#include "base/clock.h"
#include "client/idem_store.h"

static const char *file;
static ctli_idem_sqlite *db;
static const ctli_idem_store *store;

/* Rows of the file whose id matches the LIKE pattern, read on a connection of
 * the test's own (what another process sees), or -1. */
static int rows(const char *like)
{
    sqlite3 *c = NULL;
    sqlite3_stmt *q = NULL;
    int n = -1;
    if (sqlite3_open_v2(file, &c, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(c, "SELECT count(*) FROM idempotency WHERE id LIKE ?1", -1, &q, NULL) == SQLITE_OK) {
        sqlite3_bind_text(q, 1, like, -1, SQLITE_STATIC);
        if (sqlite3_step(q) == SQLITE_ROW)
            n = sqlite3_column_int(q, 0);
    }
    sqlite3_finalize(q);
    sqlite3_close(c);
    return n;
}

static ctli_idem_claim claim_at(const char *key, int64_t now, int64_t until)
{
    char *res = NULL, err[256] = "";
    size_t len = 0;
    ctli_idem_claim c = store->claim(store->self, key, "v", now, until, &res, &len, err, sizeof err);
    CHECK(c != CTLI_IDEM_FAILED, "claim %s: %s", key, err);
    free(res);
    return c;
}

/* A key claimed at `at` (its claim until at + 1 s), completed or not: a
 * completion expiring at done_until when done_until is not 0. */
static void put(const char *key, int64_t at, int64_t claim_until, int64_t done_until)
{
    char err[256] = "";
    CHECK(claim_at(key, at, claim_until) == CTLI_IDEM_CLAIMED, "put %s", key);
    if (done_until)
        CHECK(store->complete(store->self, key, claim_until, "{\"r\":1}", 7, done_until, err, sizeof err) == 0, "complete %s: %s",
              key, err);
}

static void reopen(void)
{
    char err[256] = "";
    ctli_idem_sqlite_close(db);
    db = ctli_idem_sqlite_open(file, err, sizeof err);
    CHECK(db != NULL, "open %s: %s", file, err);
    if (!db)
        exit(1);
    store = ctli_idem_sqlite_store(db);
}

/* Five kinds of row, 300 each; passes as of now delete the two expired
 * kinds, 256 rows at most each, and the three others answer as before. */
static void test_kinds(void)
{
    const int64_t now = (int64_t)ctli_wall_ms(), grace = CTLI_IDEM_PURGE_GRACE_MS;
    /* claimed long before now, so that the passes the claims run find nothing
     * expired yet */
    const int64_t then = now - 3 * grace;
    char key[64];
    for (int i = 0; i < 300; i++) {
        snprintf(key, sizeof key, "expired-done-%d", i);
        put(key, then, then + 1000, now - 1);
        snprintf(key, sizeof key, "old-claim-%d", i);
        put(key, then, now - grace - 1, 0);
        snprintf(key, sizeof key, "live-done-%d", i);
        put(key, then, then + 1000, now + 100 * grace);
        snprintf(key, sizeof key, "recent-claim-%d", i);
        put(key, then, now - 1000, 0);
        snprintf(key, sizeof key, "live-claim-%d", i);
        put(key, then, now + 60000, 0);
    }
    CHECK(rows("%") == 1500, "%d rows, not 1500", rows("%"));
    char err[256] = "";
    int a = ctli_idem_sqlite_purge(db, now, CTLI_IDEM_PURGE_ROWS, err, sizeof err);
    int b = ctli_idem_sqlite_purge(db, now, CTLI_IDEM_PURGE_ROWS, err, sizeof err);
    int c = ctli_idem_sqlite_purge(db, now, CTLI_IDEM_PURGE_ROWS, err, sizeof err);
    int d = ctli_idem_sqlite_purge(db, now, CTLI_IDEM_PURGE_ROWS, err, sizeof err);
    CHECK(a == CTLI_IDEM_PURGE_ROWS && b == CTLI_IDEM_PURGE_ROWS && c == 600 - 2 * CTLI_IDEM_PURGE_ROWS && d == 0,
          "passes deleted %d, %d, %d, %d (%s)", a, b, c, d, err);
    CHECK(rows("expired-done-%") == 0 && rows("old-claim-%") == 0, "expired rows kept: %d done, %d claims",
          rows("expired-done-%"), rows("old-claim-%"));
    CHECK(rows("live-done-%") == 300 && rows("recent-claim-%") == 300 && rows("live-claim-%") == 300,
          "live rows lost: %d done, %d recent claims, %d claims", rows("live-done-%"), rows("recent-claim-%"),
          rows("live-claim-%"));
    /* the survivors still answer */
    char *res = NULL;
    size_t len = 0;
    CHECK(store->claim(store->self, "live-done-7", "v", now, now + 1000, &res, &len, err, sizeof err) ==
                  CTLI_IDEM_DONE &&
              len == 7 && memcmp(res, "{\"r\":1}", 7) == 0,
          "a live completion's result: %.*s", (int)len, res ? res : "");
    free(res);
    CHECK(claim_at("live-claim-7", now, now + 1000) == CTLI_IDEM_IN_PROGRESS, "a live claim");
    /* a claim just expired is kept, for its handler's completion, and is free to claim */
    CHECK(claim_at("recent-claim-7", now, now + 1000) == CTLI_IDEM_CLAIMED, "a claim just expired");
    /* once its grace is over, it goes too */
    CHECK(ctli_idem_sqlite_purge(db, now + grace, 1000, err, sizeof err) == 299 && rows("recent-claim-%") == 1,
          "claims expired an hour ago: %d left", rows("recent-claim-%"));
}

/* What expired while the file was closed goes at the next open. */
static void test_open(void)
{
    const int64_t now = (int64_t)ctli_wall_ms(), then = now - 3 * CTLI_IDEM_PURGE_GRACE_MS;
    char key[64];
    for (int i = 0; i < 100; i++) {
        snprintf(key, sizeof key, "closed-%d", i);
        put(key, then, then + 1000, now - 1);
    }
    CHECK(rows("closed-%") == 100, "%d rows", rows("closed-%"));
    reopen();
    CHECK(rows("closed-%") == 0, "the open kept %d expired rows", rows("closed-%"));
    CHECK(rows("live-done-%") == 300 && rows("live-claim-%") == 300, "the open lost live rows");
}

/* The claims' passes: one per CTLI_IDEM_PURGE_EVERY claims, bounded; then
 * ten rounds of 500 keys, each expiring before the next round: the file
 * holds the last round's keys only. */
static void test_claims(void)
{
    const int64_t now = (int64_t)ctli_wall_ms(), then = now - 3 * CTLI_IDEM_PURGE_GRACE_MS;
    char key[64], err[256] = "";
    for (int i = 0; i < 1000; i++) {
        snprintf(key, sizeof key, "stale-%d", i);
        put(key, then, then + 1000, now - 1);
    }
    /* the counter starts over at a pass */
    CHECK(ctli_idem_sqlite_purge(db, then, 1, err, sizeof err) == 0, "nothing expired then: %s", err);
    for (int i = 0; i < CTLI_IDEM_PURGE_EVERY - 1; i++) {
        snprintf(key, sizeof key, "fresh-%d", i);
        claim_at(key, now, now + 60000);
    }
    CHECK(rows("stale-%") == 1000, "a pass before %d claims: %d left", CTLI_IDEM_PURGE_EVERY, rows("stale-%"));
    claim_at("fresh-last", now, now + 60000);
    CHECK(rows("stale-%") == 1000 - CTLI_IDEM_PURGE_ROWS, "the pass at claim %d left %d, not %d",
          CTLI_IDEM_PURGE_EVERY, rows("stale-%"), 1000 - CTLI_IDEM_PURGE_ROWS);
    for (int i = 0; i < 4 * CTLI_IDEM_PURGE_EVERY; i++) {
        snprintf(key, sizeof key, "more-%d", i);
        claim_at(key, now, now + 60000);
    }
    CHECK(rows("stale-%") == 0, "%d stale rows after 4 more passes", rows("stale-%"));

    for (int r = 0; r < 10; r++) {
        int64_t t = now + 3 * CTLI_IDEM_PURGE_GRACE_MS + (int64_t)r * 10000;
        for (int i = 0; i < 500; i++) {
            snprintf(key, sizeof key, "round%d-%d", r, i);
            put(key, t, t + 1000, t + 5000);
        }
    }
    /* left: the last round's keys and the completions of test_kinds that
     * live for 100 hours */
    int total = rows("%"), rounds = rows("round%"), last = rows("round9-%");
    CHECK(rounds == 500 && last == 500 && total == 500 + 300,
          "after ten rounds: %d rows, %d of the rounds', %d of the last", total, rounds, last);
    printf("ten rounds of 500 keys, each expired at the next: %d of their rows left\n", rounds);
}

int main(void)
{
    char dir[] = "/tmp/ctl-idem-purge-XXXXXX";
    if (!mkdtemp(dir))
        return 2;
    char path[128];
    snprintf(path, sizeof path, "%s/idempotency.sqlite", dir);
    file = path;
    reopen();
    test_kinds();
    test_open();
    test_claims();
    ctli_idem_sqlite_close(db);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    printf("%d checks, %d failures\n", checks, failures);
    return failures > 0;
}
