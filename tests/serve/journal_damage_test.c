/* journal_damage_test.c: the journal's replay parser (ctli_journal_parse)
 * on a journal of 100 framed records (A records of events 1..100), damaged
 * at every record: a single flipped byte at each byte of record k (every
 * bit value 0x01..0x80 in turn), the file cut at each record boundary and
 * inside each record, record k duplicated, records k and k+1 swapped, and
 * the whole file (and the part from record k on) converted to CRLF. For
 * each, the events kept must be exactly the intact ones and the damage
 * reported must be the bytes of the damaged record alone. Prints the
 * totals.
 *   journal_damage_test */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve/journal.h"

#define N 100

static int failures;
#define CHECK(cond)                                                                         \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);        \
            failures++;                                                                     \
            if (failures > 20)                                                              \
                exit(1);                                                                    \
        }                                                                                   \
    } while (0)

static char journal[N * 128];
static size_t start[N + 1]; /* start[k]: record k's frame (0-based); start[N]: the end */

static void build(void)
{
    size_t at = 0;
    for (int k = 0; k < N; k++) {
        char rec[96], body[48];
        int bl = snprintf(body, sizeof body, "{\"n\":%d}", k + 1);
        int n = snprintf(rec, sizeof rec, "A %d ctl_t %d %d\n%s\n", k + 1, bl, 1700000000 + k, body);
        start[k] = at;
        at += (size_t)sprintf(journal + at, "J %d %08x\n", n, (unsigned)ctli_journal_crc32c(0, rec, (size_t)n));
        memcpy(journal + at, rec, (size_t)n);
        at += (size_t)n;
    }
    start[N] = at;
}

typedef struct kept {
    bool id[N + 2];
    int n;
    bool bad_body;
} kept;

static void on_live(void *user, uint64_t id, const char *controller, const char *event, size_t len, int attempts,
                    uint64_t accepted_ms, const char *trace)
{
    kept *k = user;
    char body[48];
    snprintf(body, sizeof body, "{\"n\":%d}", (int)id);
    if (id < 1 || id > N || strcmp(controller, "ctl_t") != 0 || len != strlen(body) || memcmp(event, body, len) != 0 ||
        attempts != 0 || accepted_ms != 1700000000u + id - 1 || trace)
        k->bad_body = true;
    else
        k->id[id] = true;
    k->n++;
}

/* Parses text (copied) and returns what was kept. */
static kept parse(const char *text, size_t size, ctli_journal_scan *scan)
{
    kept k = { { false }, 0, false };
    char *copy = malloc(size ? size : 1);
    memcpy(copy, text, size);
    CHECK(ctli_journal_parse(copy, size, on_live, &k, scan) == k.n);
    free(copy);
    CHECK(!k.bad_body);
    return k;
}

/* Every event but `lost` (0: none; a range [lost, lost_to]) was kept. */
static bool all_but(const kept *k, int lost, int lost_to)
{
    for (int id = 1; id <= N; id++)
        if (k->id[id] != !(lost && id >= lost && id <= lost_to))
            return false;
    return true;
}

int main(void)
{
    build();
    ctli_journal_scan scan;
    long flips = 0, flip_lost = 0, flip_kept_records = 0;
    char *t = malloc(start[N]);

    /* The journal as written: 100 events, no damage. */
    kept k = parse(journal, start[N], &scan);
    CHECK(all_but(&k, 0, 0) && scan.n_damaged == 0 && scan.records == N);
    ctli_journal_scan_free(&scan);

    /* A single flipped byte anywhere: loses at most its own record, and the
     * damage reported is inside that record's frame. */
    for (int r = 0; r < N; r++) {
        for (size_t b = start[r]; b < start[r + 1]; b++) {
            for (int bit = 0; bit < 8; bit++) {
                memcpy(t, journal, start[N]);
                t[b] ^= (char)(1 << bit);
                k = parse(t, start[N], &scan);
                flips++;
                bool lost = !k.id[r + 1];
                flip_lost += lost;
                flip_kept_records += (long)scan.records;
                CHECK(all_but(&k, lost ? r + 1 : 0, r + 1));
                CHECK(lost ? scan.n_damaged == 1 && scan.damaged[0].start == start[r] &&
                                 scan.damaged[0].end == start[r + 1]
                           : scan.n_damaged == 0);
                ctli_journal_scan_free(&scan);
            }
        }
    }
    CHECK(flip_lost == flips); /* the checksum catches every single-bit flip */

    /* Cut at every record boundary (nothing lost but what is gone) and in
     * the middle of each record (a torn end: reported, the rest kept). */
    long cuts = 0;
    for (int r = 0; r <= N; r++) {
        k = parse(journal, start[r], &scan);
        CHECK(all_but(&k, r + 1, N) && scan.n_damaged == 0);
        ctli_journal_scan_free(&scan);
        cuts++;
        if (r < N) {
            size_t mid = start[r] + (start[r + 1] - start[r]) / 2;
            k = parse(journal, mid, &scan);
            CHECK(all_but(&k, r + 1, N) && scan.n_damaged == 1 && scan.damaged[0].start == start[r] &&
                  scan.damaged[0].end == mid);
            ctli_journal_scan_free(&scan);
            cuts++;
        }
    }

    /* Record r duplicated, and records r and r + 1 swapped: all kept. */
    char *big = malloc(start[N] * 2 + 16);
    long dups = 0, swaps = 0;
    for (int r = 0; r < N; r++) {
        size_t len = start[r + 1] - start[r], at = 0;
        memcpy(big, journal, start[r + 1]);
        at = start[r + 1];
        memcpy(big + at, journal + start[r], len);
        at += len;
        memcpy(big + at, journal + start[r + 1], start[N] - start[r + 1]);
        at += start[N] - start[r + 1];
        k = parse(big, at, &scan);
        CHECK(all_but(&k, 0, 0) && scan.n_damaged == 0 && scan.duplicates == 1 && k.n == N);
        ctli_journal_scan_free(&scan);
        dups++;
        if (r + 1 < N) {
            size_t l2 = start[r + 2] - start[r + 1];
            memcpy(big, journal, start[N]);
            memcpy(big + start[r], journal + start[r + 1], l2);
            memcpy(big + start[r] + l2, journal + start[r], len);
            k = parse(big, start[N], &scan);
            CHECK(all_but(&k, 0, 0) && scan.n_damaged == 0 && k.n == N);
            ctli_journal_scan_free(&scan);
            swaps++;
        }
    }

    /* CRLF: the whole file, and the part from record r on (a copy that
     * converted a tail), read back whole. */
    long crlfs = 0;
    for (int r = 0; r <= N; r++) {
        size_t at = 0;
        memcpy(big, journal, start[r]);
        at = start[r];
        for (size_t b = start[r]; b < start[N]; b++) {
            if (journal[b] == '\n')
                big[at++] = '\r';
            big[at++] = journal[b];
        }
        k = parse(big, at, &scan);
        CHECK(all_but(&k, 0, 0) && scan.n_damaged == 0 && scan.crlf == (size_t)(N - r));
        ctli_journal_scan_free(&scan);
        crlfs++;
    }
    free(big);
    free(t);

    printf("journal_damage_test: %d records; %ld single-bit flips: each lost its own record only (%ld of %ld), "
           "%.2f records kept on average of %d; %ld cuts, %ld duplicates, %ld swaps, %ld CRLF conversions: every "
           "intact record kept\n",
           N, flips, flip_lost, flips, (double)flip_kept_records / (double)flips, N, cuts, dups, swaps, crlfs);
    if (failures)
        fprintf(stderr, "journal_damage_test: %d checks failed\n", failures);
    return failures ? 1 : 0;
}
