/* serve/journal_parse.c: the journal's text read back: CRC-32C, frames
 * and records, and the parse that keeps every whole record and reports the
 * damage it skips (journal.h). A pure function over bytes, so the fuzz
 * target and the damage test call it without a file; journal.c reads the
 * file and writes in the same format. */
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/ctx.h"
#include "serve/journal.h"

/* ---- CRC32C ------------------------------------------------------------------------ */

/* CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), table-driven,
 * one byte at a time: ~10 lines here rather than a new dependency (zlib's
 * crc32 is not linked by libctl), and the checksum ext4, iSCSI and
 * LevelDB's log use. Check value: "123456789" -> 0xe3069283. */
static const uint32_t crc32c_table[256] = {
    0x00000000u, 0xf26b8303u, 0xe13b70f7u, 0x1350f3f4u, 0xc79a971fu, 0x35f1141cu,
    0x26a1e7e8u, 0xd4ca64ebu, 0x8ad958cfu, 0x78b2dbccu, 0x6be22838u, 0x9989ab3bu,
    0x4d43cfd0u, 0xbf284cd3u, 0xac78bf27u, 0x5e133c24u, 0x105ec76fu, 0xe235446cu,
    0xf165b798u, 0x030e349bu, 0xd7c45070u, 0x25afd373u, 0x36ff2087u, 0xc494a384u,
    0x9a879fa0u, 0x68ec1ca3u, 0x7bbcef57u, 0x89d76c54u, 0x5d1d08bfu, 0xaf768bbcu,
    0xbc267848u, 0x4e4dfb4bu, 0x20bd8edeu, 0xd2d60dddu, 0xc186fe29u, 0x33ed7d2au,
    0xe72719c1u, 0x154c9ac2u, 0x061c6936u, 0xf477ea35u, 0xaa64d611u, 0x580f5512u,
    0x4b5fa6e6u, 0xb93425e5u, 0x6dfe410eu, 0x9f95c20du, 0x8cc531f9u, 0x7eaeb2fau,
    0x30e349b1u, 0xc288cab2u, 0xd1d83946u, 0x23b3ba45u, 0xf779deaeu, 0x05125dadu,
    0x1642ae59u, 0xe4292d5au, 0xba3a117eu, 0x4851927du, 0x5b016189u, 0xa96ae28au,
    0x7da08661u, 0x8fcb0562u, 0x9c9bf696u, 0x6ef07595u, 0x417b1dbcu, 0xb3109ebfu,
    0xa0406d4bu, 0x522bee48u, 0x86e18aa3u, 0x748a09a0u, 0x67dafa54u, 0x95b17957u,
    0xcba24573u, 0x39c9c670u, 0x2a993584u, 0xd8f2b687u, 0x0c38d26cu, 0xfe53516fu,
    0xed03a29bu, 0x1f682198u, 0x5125dad3u, 0xa34e59d0u, 0xb01eaa24u, 0x42752927u,
    0x96bf4dccu, 0x64d4cecfu, 0x77843d3bu, 0x85efbe38u, 0xdbfc821cu, 0x2997011fu,
    0x3ac7f2ebu, 0xc8ac71e8u, 0x1c661503u, 0xee0d9600u, 0xfd5d65f4u, 0x0f36e6f7u,
    0x61c69362u, 0x93ad1061u, 0x80fde395u, 0x72966096u, 0xa65c047du, 0x5437877eu,
    0x4767748au, 0xb50cf789u, 0xeb1fcbadu, 0x197448aeu, 0x0a24bb5au, 0xf84f3859u,
    0x2c855cb2u, 0xdeeedfb1u, 0xcdbe2c45u, 0x3fd5af46u, 0x7198540du, 0x83f3d70eu,
    0x90a324fau, 0x62c8a7f9u, 0xb602c312u, 0x44694011u, 0x5739b3e5u, 0xa55230e6u,
    0xfb410cc2u, 0x092a8fc1u, 0x1a7a7c35u, 0xe811ff36u, 0x3cdb9bddu, 0xceb018deu,
    0xdde0eb2au, 0x2f8b6829u, 0x82f63b78u, 0x709db87bu, 0x63cd4b8fu, 0x91a6c88cu,
    0x456cac67u, 0xb7072f64u, 0xa457dc90u, 0x563c5f93u, 0x082f63b7u, 0xfa44e0b4u,
    0xe9141340u, 0x1b7f9043u, 0xcfb5f4a8u, 0x3dde77abu, 0x2e8e845fu, 0xdce5075cu,
    0x92a8fc17u, 0x60c37f14u, 0x73938ce0u, 0x81f80fe3u, 0x55326b08u, 0xa759e80bu,
    0xb4091bffu, 0x466298fcu, 0x1871a4d8u, 0xea1a27dbu, 0xf94ad42fu, 0x0b21572cu,
    0xdfeb33c7u, 0x2d80b0c4u, 0x3ed04330u, 0xccbbc033u, 0xa24bb5a6u, 0x502036a5u,
    0x4370c551u, 0xb11b4652u, 0x65d122b9u, 0x97baa1bau, 0x84ea524eu, 0x7681d14du,
    0x2892ed69u, 0xdaf96e6au, 0xc9a99d9eu, 0x3bc21e9du, 0xef087a76u, 0x1d63f975u,
    0x0e330a81u, 0xfc588982u, 0xb21572c9u, 0x407ef1cau, 0x532e023eu, 0xa145813du,
    0x758fe5d6u, 0x87e466d5u, 0x94b49521u, 0x66df1622u, 0x38cc2a06u, 0xcaa7a905u,
    0xd9f75af1u, 0x2b9cd9f2u, 0xff56bd19u, 0x0d3d3e1au, 0x1e6dcdeeu, 0xec064eedu,
    0xc38d26c4u, 0x31e6a5c7u, 0x22b65633u, 0xd0ddd530u, 0x0417b1dbu, 0xf67c32d8u,
    0xe52cc12cu, 0x1747422fu, 0x49547e0bu, 0xbb3ffd08u, 0xa86f0efcu, 0x5a048dffu,
    0x8ecee914u, 0x7ca56a17u, 0x6ff599e3u, 0x9d9e1ae0u, 0xd3d3e1abu, 0x21b862a8u,
    0x32e8915cu, 0xc083125fu, 0x144976b4u, 0xe622f5b7u, 0xf5720643u, 0x07198540u,
    0x590ab964u, 0xab613a67u, 0xb831c993u, 0x4a5a4a90u, 0x9e902e7bu, 0x6cfbad78u,
    0x7fab5e8cu, 0x8dc0dd8fu, 0xe330a81au, 0x115b2b19u, 0x020bd8edu, 0xf0605beeu,
    0x24aa3f05u, 0xd6c1bc06u, 0xc5914ff2u, 0x37faccf1u, 0x69e9f0d5u, 0x9b8273d6u,
    0x88d28022u, 0x7ab90321u, 0xae7367cau, 0x5c18e4c9u, 0x4f48173du, 0xbd23943eu,
    0xf36e6f75u, 0x0105ec76u, 0x12551f82u, 0xe03e9c81u, 0x34f4f86au, 0xc69f7b69u,
    0xd5cf889du, 0x27a40b9eu, 0x79b737bau, 0x8bdcb4b9u, 0x988c474du, 0x6ae7c44eu,
    0xbe2da0a5u, 0x4c4623a6u, 0x5f16d052u, 0xad7d5351u,
};

uint32_t ctli_journal_crc32c(uint32_t crc, const void *p, size_t n)
{
    const unsigned char *b = p;
    crc = ~crc;
    while (n--)
        crc = crc32c_table[(crc ^ *b++) & 0xffu] ^ (crc >> 8);
    return ~crc;
}

/* ---- replay ------------------------------------------------------------------------ */

typedef struct live {
    uint64_t id;
    uint64_t accepted_ms;   /* 0: not recorded */
    int attempts;
    bool done;
    size_t order;           /* position in the file: the first of duplicates wins */
    const char *controller; /* in the text, cut to a string */
    const char *trace;      /* in the text, cut to a string; NULL: none */
    size_t len;
    char *event;            /* in the text */
} live;

/* A T or D record, applied once every A record is known (records may come
 * in any order: a reordered or duplicated file loses nothing). */
typedef struct mark {
    uint64_t id;
    int attempt; /* 0: D, ended */
} mark;

static live *find_live(live *v, size_t n, uint64_t id)
{
    /* v is sorted by id, without duplicates: bisect. */
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].id == id)
            return &v[mid];
        if (v[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Reads a decimal number at *p (before end) as the writers print it:
 * digits only, no sign or blank, no leading zero, at most max. Advances *p
 * past it. */
static bool read_number(const char **p, const char *end, uint64_t max, uint64_t *out)
{
    const char *q = *p;
    uint64_t v = 0;
    if (q == end || *q < '0' || *q > '9' || (*q == '0' && q + 1 < end && q[1] >= '0' && q[1] <= '9'))
        return false;
    for (; q < end && *q >= '0' && *q <= '9'; q++) {
        unsigned d = (unsigned)(*q - '0');
        if (v > (max - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *p = q;
    *out = v;
    return true;
}

static bool read_char(const char **p, const char *end, char c)
{
    if (*p == end || **p != c)
        return false;
    ++*p;
    return true;
}

bool ctli_journal_name_byte(char c)
{
    return c > ' ' && c < 0x7f;
}

/* A trace header in a record, as accept writes it: 1 to CTLI_TRACE_MAX
 * bytes of printable ASCII but space up to the newline, that keep the rule
 * (codec/ctx.h). Advances *p past it; *out points at it (cut later). */
static bool read_trace(const char **p, const char *end, const char **out)
{
    const char *q = *p;
    while (q < end && q - *p <= CTLI_TRACE_MAX && ctli_journal_name_byte(*q))
        q++;
    if (q == *p || q - *p > CTLI_TRACE_MAX || q == end || *q != '\n')
        return false;
    char copy[CTLI_TRACE_MAX + 1];
    memcpy(copy, *p, (size_t)(q - *p));
    copy[q - *p] = '\0';
    if (!ctli_trace_ok(copy))
        return false;
    *out = *p;
    *p = q;
    return true;
}

/* One record body as the writers print it, at p (before end): A, T or D,
 * ids 1 to UINT64_MAX - 1 (next_id stays above every id without wrapping).
 * Fills *a (kind 'A') or *m (T, D) and returns the byte after the record,
 * or NULL when p does not start a whole record. Writes nothing: cut()
 * puts the NULs in once the record is kept. *name_end and *trace_end say
 * where. */
typedef struct parsed {
    char kind;
    live a;
    mark m;
    const char *name_end, *trace_end;
} parsed;

static const char *parse_record(const char *p, const char *end, parsed *r)
{
    if (p >= end)
        return NULL;
    const char *q = p + 1;
    uint64_t id, num;
    r->kind = *p;
    if (*p == 'A') {
        if (!read_char(&q, end, ' ') || !read_number(&q, end, UINT64_MAX - 1, &id) || id == 0 ||
            !read_char(&q, end, ' '))
            return NULL;
        const char *name = q;
        while (q < end && ctli_journal_name_byte(*q))
            q++;
        const char *name_end = q;
        uint64_t accepted_ms = 0; /* a record of an older serve has no time */
        const char *trace = NULL; /* nor a trace */
        if (q == name || q - name > CTLI_JOURNAL_MAX_NAME || !read_char(&q, end, ' ') ||
            !read_number(&q, end, SIZE_MAX, &num) ||
            (read_char(&q, end, ' ') && (!read_number(&q, end, UINT64_MAX, &accepted_ms) ||
                                         (read_char(&q, end, ' ') && !read_trace(&q, end, &trace)))) ||
            !read_char(&q, end, '\n') || (uint64_t)(end - q) <= num || q[num] != '\n')
            return NULL;
        r->a = (live){ id, accepted_ms, 0, false, 0, name, trace, (size_t)num, (char *)q };
        r->name_end = name_end;
        r->trace_end = trace ? q - 1 : NULL; /* the newline after it */
        return q + num + 1;
    }
    if (*p == 'T') {
        uint64_t attempt;
        if (!read_char(&q, end, ' ') || !read_number(&q, end, UINT64_MAX - 1, &id) || !read_char(&q, end, ' ') ||
            !read_number(&q, end, INT_MAX, &attempt) || attempt == 0 || !read_char(&q, end, '\n'))
            return NULL;
        r->m = (mark){ id, (int)attempt };
        return q;
    }
    if (*p == 'D') {
        if (!read_char(&q, end, ' ') || !read_number(&q, end, UINT64_MAX - 1, &id) || !read_char(&q, end, '\n'))
            return NULL;
        r->m = (mark){ id, 0 };
        return q;
    }
    return NULL;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* A frame at p whose record verifies: sets *body and *len to the record
 * and returns the byte after the frame, or NULL. When the frame came back
 * with CRLF line endings (its header ends "\r\n"), *crlf is set and the
 * record verifies once each "\r\n" in it is read as "\n": decoded into
 * scratch (len bytes, the caller's), the text left as it is. */
static char *read_frame(char *p, char *end, char **body, size_t *len, bool *crlf, char **scratch)
{
    const char *q = p;
    uint64_t n;
    *scratch = NULL;
    if (!read_char(&q, end, 'J') || !read_char(&q, end, ' ') || !read_number(&q, end, SIZE_MAX, &n) ||
        !read_char(&q, end, ' ') || end - q < 9)
        return NULL;
    uint32_t crc = 0;
    for (int i = 0; i < 8; i++) {
        int d = hex_digit(q[i]);
        if (d < 0)
            return NULL;
        crc = crc << 4 | (uint32_t)d;
    }
    q += 8;
    bool cr = q < end && *q == '\r';
    if (cr)
        q++;
    if (!read_char(&q, end, '\n'))
        return NULL;
    char *b = p + (q - p);
    *body = b;
    *len = (size_t)n;
    *crlf = cr;
    if (!cr) {
        if ((uint64_t)(end - b) < n || ctli_journal_crc32c(0, b, (size_t)n) != crc)
            return NULL;
        return b + n;
    }
    /* Every "\n" became "\r\n" (a text-mode copy, unix2dos). The record,
     * read back, is no longer than the bytes that hold it. */
    if ((uint64_t)(end - b) < n)
        return NULL;
    char *d = malloc(n ? (size_t)n : 1);
    if (!d)
        return NULL;
    size_t got = 0;
    char *r = b;
    while (got < n && r < end) {
        char ch = *r++;
        if (ch == '\r' && r < end && *r == '\n')
            ch = *r++;
        d[got++] = ch;
    }
    if (got != n || ctli_journal_crc32c(0, d, (size_t)n) != crc) {
        free(d);
        return NULL;
    }
    *scratch = d;
    return r;
}

typedef struct collected {
    live *a;
    size_t na, capa;
    mark *m;
    size_t nm, capm;
    ctli_journal_range *bad;
    size_t nbad, capbad;
    bool failed;
} collected;

static void *grow(void *v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return v;
    size_t bigger = *cap ? *cap * 2 : 64;
    void *w = realloc(v, bigger * size);
    if (w)
        *cap = bigger;
    return w;
}

/* Keeps a record read whole: puts the NULs the strings need into the text. */
static void keep(collected *c, parsed *r, size_t order)
{
    if (c->failed)
        return;
    if (r->kind == 'A') {
        live *v = grow(c->a, &c->capa, c->na, sizeof *v);
        if (!v) {
            c->failed = true;
            return;
        }
        c->a = v;
        *(char *)r->name_end = '\0'; /* was the space after the name */
        if (r->trace_end)
            *(char *)r->trace_end = '\0';
        r->a.order = order;
        c->a[c->na++] = r->a;
    } else {
        mark *v = grow(c->m, &c->capm, c->nm, sizeof *v);
        if (!v) {
            c->failed = true;
            return;
        }
        c->m = v;
        c->m[c->nm++] = r->m;
    }
}

static void add_damage(collected *c, size_t start, size_t end)
{
    if (c->failed || start >= end)
        return;
    ctli_journal_range *v = grow(c->bad, &c->capbad, c->nbad, sizeof *v);
    if (!v) {
        c->failed = true;
        return;
    }
    c->bad = v;
    c->bad[c->nbad++] = (ctli_journal_range){ start, end };
}

static int by_id(const void *x, const void *y)
{
    const live *a = x, *b = y;
    if (a->id != b->id)
        return a->id < b->id ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

long ctli_journal_parse(char *text, size_t size, ctli_journal_live_fn fn, void *user, ctli_journal_scan *scan)
{
    memset(scan, 0, sizeof *scan);
    collected c = { 0 };
    char *end = text + size;
    uint64_t max_id = 0;
    /* Frames: each verified one is kept wherever it is; between two, any
     * bytes are damage, skipped by looking for the next "J" that starts a
     * frame whose checksum verifies. An event is JSON text, which holds no
     * raw newline in a string, so no frame hides inside a whole event. */
    char *p = text, *bad = NULL;
    while (p < end && !c.failed) {
        char *body, *scratch;
        size_t len;
        bool crlf;
        char *next = read_frame(p, end, &body, &len, &crlf, &scratch);
        parsed r;
        bool whole = next && parse_record(scratch ? scratch : body, (scratch ? scratch : body) + len, &r) ==
                                 (scratch ? scratch : body) + len;
        if (whole && scratch) {
            /* A CRLF frame that reads whole: its record goes in place of
             * the bytes that held it (no longer than they), read again to
             * point into the text. */
            memcpy(body, scratch, len);
            parse_record(body, body + len, &r);
        }
        free(scratch);
        if (whole) {
            if (bad)
                add_damage(&c, (size_t)(bad - text), (size_t)(p - text));
            bad = NULL;
            uint64_t id = r.kind == 'A' ? r.a.id : r.m.id;
            if (id > max_id)
                max_id = id;
            keep(&c, &r, (size_t)(p - text));
            scan->records++;
            scan->crlf += crlf;
            p = next;
            continue;
        }
        if (!bad)
            bad = p;
        p = memchr(p + 1, 'J', (size_t)(end - p - 1));
        if (!p)
            p = end;
    }
    if (bad)
        add_damage(&c, (size_t)(bad - text), size);
    if (scan->records == 0 && size > 0 && !c.failed) {
        /* No frame at all: a journal of an earlier serve, whose records had
         * no frame and no checksum. Read as it did: whole records one after
         * the other, ids of A records going up, up to the first byte that
         * does not start one. */
        c.nbad = 0;
        const char *q = text, *after;
        parsed r;
        uint64_t last = 0;
        while ((after = parse_record(q, end, &r)) && (r.kind != 'A' || r.a.id > last) && !c.failed) {
            uint64_t id = r.kind == 'A' ? (last = r.a.id) : r.m.id;
            if (id > max_id)
                max_id = id;
            keep(&c, &r, (size_t)(q - text));
            scan->records++;
            q = after;
        }
        add_damage(&c, (size_t)(q - text), size);
        scan->legacy = scan->records > 0;
    }
    if (c.failed) {
        free(c.a);
        free(c.m);
        free(c.bad);
        return -1;
    }
    /* Acceptance order is id order; the first of duplicated records wins. */
    if (c.na > 1)
        qsort(c.a, c.na, sizeof *c.a, by_id);
    size_t n = 0;
    for (size_t i = 0; i < c.na; i++) {
        if (n > 0 && c.a[n - 1].id == c.a[i].id) {
            scan->duplicates++;
            continue;
        }
        c.a[n++] = c.a[i];
    }
    for (size_t i = 0; i < c.nm; i++) {
        live *e = find_live(c.a, n, c.m[i].id);
        if (e && c.m[i].attempt == 0)
            e->done = true;
        else if (e && c.m[i].attempt > e->attempts)
            e->attempts = c.m[i].attempt;
    }
    long result = 0;
    for (size_t i = 0; i < n; i++) {
        if (c.a[i].done)
            continue;
        /* A string fn can read to its end: the newline after it goes. */
        c.a[i].event[c.a[i].len] = '\0';
        fn(user, c.a[i].id, c.a[i].controller, c.a[i].event, c.a[i].len, c.a[i].attempts, c.a[i].accepted_ms,
           c.a[i].trace);
        result++;
    }
    free(c.a);
    free(c.m);
    scan->damaged = c.bad;
    scan->n_damaged = c.nbad;
    for (size_t i = 0; i < c.nbad; i++)
        scan->damaged_bytes += c.bad[i].end - c.bad[i].start;
    scan->next_id = max_id + 1;
    return result;
}

void ctli_journal_scan_free(ctli_journal_scan *scan)
{
    free(scan->damaged);
    scan->damaged = NULL;
    scan->n_damaged = 0;
}
