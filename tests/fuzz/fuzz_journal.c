/* fuzz_journal.c: libFuzzer target for the parser of serve's journal
 * (ctli_journal_parse, what replay reads a journal file with).
 *
 * Input: a mutation of a journal of RECORDS whole framed records (A
 * records of events 1..EVENTS, T records for some of them, and an A and
 * a D record for one ended event), built here:
 *   byte 0      where the mutation starts (a fraction of the journal)
 *   byte 1      how many of the journal's bytes it replaces (0 to 255)
 *   byte 2      bit 0: the whole journal was converted to CRLF first
 *               bit 1: the mutation is a copy of one of the journal's
 *                      own frames (a duplicated record) rather than
 *                      the input's bytes
 *   the rest    the bytes put in their place
 * Invariants, beyond no crash, leak or sanitizer report:
 *   - every record whose frame lies wholly outside the replaced bytes is
 *     kept: each live event whose A record is intact comes out with its
 *     own bytes, its controller, its time and at least the attempts of its
 *     intact T records (a frame the input forged, whose checksum verifies,
 *     may only add: a duplicate of an id, an attempt or a D naming it);
 *   - the ended event does not come out when both its records are intact;
 *   - what was skipped (scan.damaged) lies within the text, in order,
 *     and covers the replaced bytes' frames only;
 *   - ids come out strictly increasing and below next_id.
 * The input's bytes are also parsed alone as a whole file (a journal of an
 * earlier serve, or any bytes): no crash, ids increasing. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve/journal.h"

#define EVENTS 12
#define ENDED_ID 100

static void fail(const char *what)
{
    fprintf(stderr, "==journal_check== %s\n", what);
    abort();
}

typedef struct record {
    size_t start, end; /* its frame in the built journal */
    char kind;
    uint64_t id;
    int attempt;
} record;

typedef struct out {
    const char *base;
    size_t size;
    int n;
    uint64_t last_id;
    bool seen[EVENTS + 1];
    int attempts[EVENTS + 1];
    bool ended_seen;
    const char *event[EVENTS + 1];
    size_t len[EVENTS + 1];
    char controller[EVENTS + 1][16];
    uint64_t ms[EVENTS + 1];
} out;

static void on_live(void *user, uint64_t id, const char *controller, const char *event, size_t len, int attempts,
                    uint64_t accepted_ms, const char *trace)
{
    out *o = user;
    (void)trace;
    if (o->n && id <= o->last_id)
        fail("ids not increasing");
    if (event < o->base || event + len > o->base + o->size)
        fail("an event outside the text");
    o->last_id = id;
    o->n++;
    if (id == ENDED_ID)
        o->ended_seen = true;
    if (id >= 1 && id <= EVENTS) {
        o->seen[id] = true;
        o->attempts[id] = attempts;
        o->event[id] = event;
        o->len[id] = len;
        snprintf(o->controller[id], sizeof o->controller[id], "%s", controller);
        o->ms[id] = accepted_ms;
    }
}

static size_t put_frame(char *buf, const char *rec, size_t n)
{
    int h = sprintf(buf, "J %zu %08x\n", n, (unsigned)ctli_journal_crc32c(0, rec, n));
    memcpy(buf + h, rec, n);
    return (size_t)h + n;
}

static void body_of(int e, char *body)
{
    sprintf(body, "{\"n\":%d,\"pad\":\"%.*s\"}", e, e * 3, "JJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJ");
}

/* The journal before the mutation, and its records. */
static size_t build(char *buf, record *r, int *nr)
{
    size_t at = 0;
    int k = 0;
    char rec[256], body[128];
    for (int e = 1; e <= EVENTS; e++) {
        body_of(e, body);
        int n = sprintf(rec, "A %d ctl_%d %zu %d\n%s\n", e, e, strlen(body), 1700000000 + e, body);
        r[k] = (record){ at, 0, 'A', (uint64_t)e, 0 };
        at += put_frame(buf + at, rec, (size_t)n);
        r[k++].end = at;
        if (e % 3 == 0) {
            n = sprintf(rec, "T %d %d\n", e, e / 3);
            r[k] = (record){ at, 0, 'T', (uint64_t)e, e / 3 };
            at += put_frame(buf + at, rec, (size_t)n);
            r[k++].end = at;
        }
        if (e == EVENTS / 2) {
            n = sprintf(rec, "A %d ctl_x 2 1\n{}\n", ENDED_ID);
            r[k] = (record){ at, 0, 'A', ENDED_ID, 0 };
            at += put_frame(buf + at, rec, (size_t)n);
            r[k++].end = at;
            n = sprintf(rec, "D %d\n", ENDED_ID);
            r[k] = (record){ at, 0, 'D', ENDED_ID, 0 };
            at += put_frame(buf + at, rec, (size_t)n);
            r[k++].end = at;
        }
    }
    *nr = k;
    return at;
}

/* Every "\n" as "\r\n"; positions of the records follow. */
static size_t to_crlf(const char *in, size_t n, char *outb, record *r, int nr)
{
    size_t o = 0;
    size_t *map = malloc((n + 1) * sizeof *map);
    if (!map)
        abort();
    for (size_t i = 0; i < n; i++) {
        map[i] = o;
        if (in[i] == '\n')
            outb[o++] = '\r';
        outb[o++] = in[i];
    }
    map[n] = o;
    for (int k = 0; k < nr; k++) {
        r[k].start = map[r[k].start];
        r[k].end = map[r[k].end];
    }
    free(map);
    return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The bytes alone, as a whole file. */
    {
        char *text = malloc(size ? size : 1);
        if (!text)
            return 0;
        if (size)
            memcpy(text, data, size);
        out o = { 0 };
        o.base = text;
        o.size = size;
        ctli_journal_scan scan;
        long n = ctli_journal_parse(text, size, on_live, &o, &scan);
        if (n >= 0 && (size_t)n != (size_t)o.n)
            fail("the count differs from the events handed out");
        size_t prev = 0;
        for (size_t i = 0; i < scan.n_damaged; i++) {
            if (scan.damaged[i].start < prev || scan.damaged[i].end <= scan.damaged[i].start ||
                scan.damaged[i].end > size)
                fail("damaged ranges out of order or outside the text");
            prev = scan.damaged[i].end;
        }
        if (o.n && o.last_id >= scan.next_id)
            fail("next_id not above every id");
        ctli_journal_scan_free(&scan);
        free(text);
    }
    if (size < 3)
        return 0;

    static char base[16384], crlf[32768];
    record r[64];
    int nr;
    size_t blen = build(base, r, &nr);
    const char *j = base;
    if (data[2] & 1) {
        blen = to_crlf(base, blen, crlf, r, nr);
        j = crlf;
    }
    size_t off = (size_t)data[0] * blen / 256, cut = data[1];
    if (cut > blen - off)
        cut = blen - off;
    const uint8_t *ins = data + 3;
    size_t ins_len = size - 3;
    if (data[2] & 2) { /* a copy of one of the journal's frames */
        const record *c = &r[(size_t)data[1] % (size_t)nr];
        ins = (const uint8_t *)j + c->start;
        ins_len = c->end - c->start;
        cut = 0;
    }
    size_t tlen = blen - cut + ins_len;
    char *text = malloc(tlen ? tlen : 1);
    if (!text)
        return 0;
    memcpy(text, j, off);
    memcpy(text + off, ins, ins_len);
    memcpy(text + off + ins_len, j + off + cut, blen - off - cut);
    /* Where a record of the built journal is now (its bytes untouched), or
     * false when the mutation touched its frame. */
    out o = { 0 };
    o.base = text;
    o.size = tlen;
    ctli_journal_scan scan;
    long n = ctli_journal_parse(text, tlen, on_live, &o, &scan);
    if (n < 0) {
        free(text);
        return 0;
    }
    const char *region = text + off, *region_end = text + off + ins_len;
    bool intact_d = false, intact_ended_a = false;
    int want_attempts[EVENTS + 1] = { 0 };
    bool intact_a[EVENTS + 1] = { false };
    for (int k = 0; k < nr; k++) {
        bool before = r[k].end <= off, after = r[k].start >= off + cut;
        if (!before && !after)
            continue; /* touched (a frame the replaced bytes cut into) */
        if (cut == 0 && ins_len > 0 && r[k].start < off && r[k].end > off)
            continue; /* bytes put in the middle of it */
        if (r[k].kind == 'A' && r[k].id == ENDED_ID)
            intact_ended_a = true;
        else if (r[k].kind == 'D')
            intact_d = true;
        else if (r[k].kind == 'A')
            intact_a[r[k].id] = true;
        else if (r[k].kind == 'T' && r[k].attempt > want_attempts[r[k].id])
            want_attempts[r[k].id] = r[k].attempt;
    }
    bool forged = false;
    for (const char *q = region; q + 1 < region_end && !forged; q++)
        forged = q[0] == 'D' && q[1] == ' ';
    for (int e = 1; e <= EVENTS; e++) {
        if (!intact_a[e])
            continue;
        if (!o.seen[e]) {
            if (!forged)
                fail("an intact record was lost");
            continue;
        }
        if (o.event[e] >= region && o.event[e] < region_end)
            continue; /* a forged duplicate came first */
        char body[128], ctl[16];
        body_of(e, body);
        sprintf(ctl, "ctl_%d", e);
        if (o.len[e] != strlen(body) || memcmp(o.event[e], body, o.len[e]) != 0 || strcmp(o.controller[e], ctl) != 0 ||
            o.ms[e] != 1700000000u + (unsigned)e)
            fail("an intact event came out changed");
        if (o.attempts[e] < want_attempts[e])
            fail("an intact attempt was lost");
    }
    if (intact_d && intact_ended_a && o.ended_seen)
        fail("an ended event came out");
    if (o.last_id && o.last_id >= scan.next_id)
        fail("next_id not above every id");
    if (!(data[2] & 2) && ins_len == 0 && cut == 0 && (scan.n_damaged != 0 || (size_t)o.n != EVENTS))
        fail("an untouched journal has damage");
    ctli_journal_scan_free(&scan);
    free(text);
    return 0;
}
