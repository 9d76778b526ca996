/* serve/journal.c: serve's journal of accepted async events, the file:
 * open and lock, replay (damage kept aside), append with rollback,
 * compaction (journal.h; the format is read by journal_parse.c). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "base/file.h"
#include "base/plural.h"
#include "codec/ctx.h"
#include "serve/journal.h"

/* Compaction waits until the file is this large, and 4 times what it held
 * after the last compaction: rewriting costs O(live), so it stays amortised
 * O(1) per record. */
#define JOURNAL_MIN_COMPACT (16u * 1024u * 1024u)

struct ctli_journal {
    char *dir, *path, *tmp_path;
    int fd, lock_fd;
    bool fsync_each;
    uint64_t next_id;
    uint64_t size, size_after_compaction; /* size: the file's, every append's start */
    bool broken; /* an append's rollback failed: cut back to size before the next */
};

static void set_err(char *err, size_t cap, const char *fmt, const char *a, const char *b)
{
    if (err && cap)
        snprintf(err, cap, fmt, a, b);
}

ctli_journal *ctli_journal_open(const char *dir, bool fsync_each, char *err, size_t cap)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        set_err(err, cap, "cannot create the journal directory %s: %s", dir, strerror(errno));
        return NULL;
    }
    ctli_journal *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->fd = j->lock_fd = -1;
    j->fsync_each = fsync_each;
    j->next_id = 1;
    j->dir = strdup(dir);
    j->path = ctli_path_join(dir, "journal");
    j->tmp_path = ctli_path_join(dir, "journal.new");
    char *lock_path = ctli_path_join(dir, "lock");
    if (!j->dir || !j->path || !j->tmp_path || !lock_path) {
        free(lock_path);
        set_err(err, cap, "%s%s", "out of memory", "");
        ctli_journal_close(j);
        return NULL;
    }
    /* The lock lives in its own file: compaction replaces the journal. */
    j->lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    free(lock_path);
    if (j->lock_fd < 0 || flock(j->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        set_err(err, cap, "the journal %s is in use by another serve (or cannot be locked): %s", dir,
                strerror(errno));
        ctli_journal_close(j);
        return NULL;
    }
    j->fd = open(j->path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    struct stat st;
    if (j->fd < 0 || fstat(j->fd, &st) != 0) {
        set_err(err, cap, "cannot open the journal %s: %s", j->path, strerror(errno));
        ctli_journal_close(j);
        return NULL;
    }
    j->size = j->size_after_compaction = (uint64_t)st.st_size; /* replay cuts a torn end off */
    return j;
}

void ctli_journal_close(ctli_journal *j)
{
    if (!j)
        return;
    if (j->fd >= 0)
        close(j->fd);
    if (j->lock_fd >= 0)
        close(j->lock_fd); /* releases the flock */
    free(j->dir);
    free(j->path);
    free(j->tmp_path);
    free(j);
}

/* The live events of a replay, collected by parse and handed out once the
 * journal's size is known. */
typedef struct replay_event {
    uint64_t id;
    const char *controller, *event;
    size_t len;
    int attempts;
    uint64_t accepted_ms;
    const char *trace;
} replay_event;

typedef struct replay_list {
    replay_event *v;
    size_t n, cap;
    bool failed;
} replay_list;

static void collect(void *user, uint64_t id, const char *controller, const char *event, size_t len, int attempts,
                    uint64_t accepted_ms, const char *trace)
{
    replay_list *l = user;
    if (l->failed)
        return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        replay_event *bigger = realloc(l->v, cap * sizeof *bigger);
        if (!bigger) {
            l->failed = true;
            return;
        }
        l->v = bigger;
        l->cap = cap;
    }
    l->v[l->n++] = (replay_event){ id, controller, event, len, attempts, accepted_ms, trace };
}

/* Compaction's view of a replay's live events (converting a journal of an
 * earlier serve). */
typedef struct list_cursor {
    const replay_list *l;
    size_t at;
} list_cursor;

static bool next_listed(void *user, uint64_t *id, const char **controller, const char **event, size_t *len,
                        int *attempts, uint64_t *accepted_ms, const char **trace)
{
    list_cursor *c = user;
    if (c->at == c->l->n)
        return false;
    const replay_event *e = &c->l->v[c->at++];
    *id = e->id;
    *controller = e->controller;
    *event = e->event;
    *len = e->len;
    *attempts = e->attempts;
    *accepted_ms = e->accepted_ms;
    *trace = e->trace;
    return true;
}

/* Appends the damaged ranges of text to DIR/journal.damaged and syncs it.
 * 0, or -1 with errno set. */
static int keep_damage(const ctli_journal *j, const char *text, const ctli_journal_scan *scan)
{
    char *kept = ctli_path_join(j->dir, "journal.damaged");
    if (!kept) {
        errno = ENOMEM;
        return -1;
    }
    int fd = open(kept, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    free(kept);
    int rc = fd < 0 ? -1 : 0;
    for (size_t i = 0; rc == 0 && i < scan->n_damaged; i++)
        rc = ctli_write_all(fd, text + scan->damaged[i].start, scan->damaged[i].end - scan->damaged[i].start);
    if (rc == 0)
        rc = fsync(fd);
    if (fd >= 0) {
        int saved = errno;
        close(fd);
        errno = saved;
    }
    return rc;
}

long ctli_journal_replay(ctli_journal *j, ctli_journal_live_fn fn, void *user, char *err, size_t cap)
{
    struct stat st;
    if (fstat(j->fd, &st) != 0) {
        set_err(err, cap, "cannot read the journal %s: %s", j->path, strerror(errno));
        return -1;
    }
    size_t size = (size_t)st.st_size;
    char *text = malloc(size ? size : 1);
    if (!text) {
        set_err(err, cap, "the journal %s is too large to read (%s)", j->path, "out of memory");
        return -1;
    }
    size_t got = 0;
    while (got < size) {
        ssize_t r = pread(j->fd, text + got, size - got, (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    if (got != size) {
        free(text);
        set_err(err, cap, "cannot read the journal %s: %s", j->path, "short read");
        return -1;
    }
    /* Parse first, hand the events out after: fn may append (a dead letter
     * ends its event), and appends must count on the size of what stays. */
    ctli_journal_scan scan;
    replay_list list = { NULL, 0, 0, false };
    long result = ctli_journal_parse(text, size, collect, &list, &scan);
    if (result < 0 || list.failed) {
        free(list.v);
        free(text);
        ctli_journal_scan_free(&scan);
        set_err(err, cap, "cannot replay the journal %s: %s", j->path, "out of memory");
        return -1;
    }
    if (scan.legacy)
        fprintf(stderr, "ctl serve: the journal %s is of an earlier serve (records without checksums): %zu %s read; "
                        "it is rewritten in the current format\n",
                j->path, scan.records, ctli_plural(scan.records, "record", "records"));
    if (scan.crlf)
        fprintf(stderr, "ctl serve: the journal %s: %zu %s read back from CRLF line endings\n", j->path, scan.crlf,
                ctli_plural(scan.crlf, "record", "records"));
    if (scan.duplicates)
        fprintf(stderr, "ctl serve: the journal %s: %zu duplicated %s ignored (the first copy kept)\n", j->path,
                scan.duplicates, ctli_plural(scan.duplicates, "record", "records"));
    size_t whole = size;
    if (scan.n_damaged > 0) {
        /* A record cut short by a kill in mid-write (its event never got a
         * 202), or damage: every whole record is kept; the rest is skipped
         * and kept for a person to look at, appended to DIR/journal.damaged
         * (so bytes kept by an earlier damage stay too), before the file
         * changes. When it cannot be kept, nothing changes: no start. */
        char ranges[512];
        size_t at = 0;
        for (size_t i = 0; i < scan.n_damaged && at < sizeof ranges - 40; i++) {
            int w = snprintf(ranges + at, sizeof ranges - at, "%s%zu-%zu", i ? ", " : "", scan.damaged[i].start,
                             scan.damaged[i].end);
            if (w > 0)
                at += (size_t)w;
            if (i + 1 < scan.n_damaged && at >= sizeof ranges - 40)
                snprintf(ranges + at, sizeof ranges - at, ", ...");
        }
        if (keep_damage(j, text, &scan) != 0) {
            set_err(err, cap,
                    "the journal %s has damage (bytes %s) that cannot be copied to journal.damaged (%s); the "
                    "journal is left as it is: free space or move the file, then start again",
                    j->path, ranges);
            free(list.v);
            free(text);
            ctli_journal_scan_free(&scan);
            return -1;
        }
        fprintf(stderr,
                "ctl serve: the journal %s has %zu %s in %zu %s that %s not a whole record (a write cut short by "
                "a kill, or damage): bytes %s (start-end), skipped; %zu whole %s kept; the skipped bytes are "
                "kept in %s/journal.damaged\n",
                j->path, scan.damaged_bytes, ctli_plural(scan.damaged_bytes, "byte", "bytes"), scan.n_damaged,
                ctli_plural(scan.n_damaged, "range", "ranges"), ctli_plural(scan.n_damaged, "is", "are"), ranges,
                scan.records, ctli_plural(scan.records, "record", "records"), j->dir);
        /* Damage at the end goes (appends would follow it); damage in the
         * middle stays until the start's compaction rewrites the file. */
        const ctli_journal_range *last = &scan.damaged[scan.n_damaged - 1];
        if (last->end == size) {
            if (ftruncate(j->fd, (off_t)last->start) == 0)
                whole = last->start;
            else
                fprintf(stderr, "ctl serve: cannot cut the journal: %s\n", strerror(errno));
        }
    }
    if (scan.next_id > j->next_id)
        j->next_id = scan.next_id;
    j->size = j->size_after_compaction = whole;
    j->broken = false;
    if (scan.legacy && scan.records > 0) {
        /* Framed at once: a frame appended to unframed records would make
         * them look like damage at the next start. */
        list_cursor c = { &list, 0 };
        if (ctli_journal_compact(j, next_listed, &c) != 0) {
            set_err(err, cap, "cannot rewrite the journal %s of an earlier serve in the current format (%s); it is "
                    "left as it is", j->path, strerror(errno));
            free(list.v);
            free(text);
            ctli_journal_scan_free(&scan);
            return -1;
        }
    }
    for (size_t i = 0; i < list.n; i++)
        fn(user, list.v[i].id, list.v[i].controller, list.v[i].event, list.v[i].len, list.v[i].attempts,
           list.v[i].accepted_ms, list.v[i].trace);
    free(list.v);
    free(text);
    ctli_journal_scan_free(&scan);
    return result;
}

/* ---- appending --------------------------------------------------------------------- */

/* Writes the frame of one record (iov[0..n), the record's pieces) at the
 * end of the file with one writev. A write that fails (ENOSPC, EIO, a
 * failed fdatasync) is rolled back, the file cut back to the frame's start,
 * before anything else is appended; while the cut itself fails, every
 * append fails (it is tried again first), so no record ever follows a torn
 * one. */
static int append(ctli_journal *j, const struct iovec *iov, int n)
{
    if (j->broken) {
        if (ftruncate(j->fd, (off_t)j->size) != 0)
            return -1;
        j->broken = false;
    }
    size_t total = 0;
    uint32_t crc = 0;
    for (int i = 0; i < n; i++) {
        total += iov[i].iov_len;
        crc = ctli_journal_crc32c(crc, iov[i].iov_base, iov[i].iov_len);
    }
    char head[CTLI_JOURNAL_FRAME_MAX_HEAD];
    int hn = snprintf(head, sizeof head, "J %zu %08" PRIx32 "\n", total, crc);
    struct iovec v[8];
    if (n > 7) {
        errno = EINVAL;
        return -1;
    }
    v[0] = (struct iovec){ head, (size_t)hn };
    memcpy(v + 1, iov, (size_t)n * sizeof *iov);
    n++;
    total += (size_t)hn;
    size_t done = 0;
    int rc = 0;
    while (done < total) {
        /* Skip what is written. */
        struct iovec rest[8];
        int k = 0;
        size_t skip = done;
        for (int i = 0; i < n; i++) {
            if (skip >= v[i].iov_len) {
                skip -= v[i].iov_len;
                continue;
            }
            rest[k++] = (struct iovec){ (char *)v[i].iov_base + skip, v[i].iov_len - skip };
            skip = 0;
        }
        ssize_t w = writev(j->fd, rest, k);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            rc = -1;
            break;
        }
        done += (size_t)w;
    }
    if (rc == 0 && j->fsync_each && fdatasync(j->fd) != 0)
        rc = -1;
    if (rc != 0) {
        int saved = errno;
        if (ftruncate(j->fd, (off_t)j->size) != 0)
            j->broken = true;
        errno = saved;
        return -1;
    }
    j->size += total;
    return 0;
}
/* Appends "A id controller len accepted_ms[ trace]\nevent\n": accept's
 * record, and compaction's (which keeps the first acceptance's time and
 * the trace). Replay reads back only names it can tell from the fields
 * around them: others are refused (EINVAL). A trace that breaks the rule
 * (codec/ctx.h) is left out: the event matters more than its trace. */
static int append_accepted(ctli_journal *j, uint64_t id, const char *controller, const char *event, size_t len,
                           uint64_t accepted_ms, const char *trace)
{
    if (!ctli_trace_ok(trace))
        trace = NULL;
    size_t nlen = strlen(controller);
    bool ok = nlen > 0 && nlen <= CTLI_JOURNAL_MAX_NAME && id > 0 && id < UINT64_MAX;
    for (size_t i = 0; ok && i < nlen; i++)
        ok = ctli_journal_name_byte(controller[i]);
    char head[200 + CTLI_TRACE_MAX];
    int hn = ok ? snprintf(head, sizeof head, "A %" PRIu64 " %s %zu %" PRIu64 "%s%s\n", id, controller, len,
                           accepted_ms, trace ? " " : "", trace ? trace : "")
                : -1;
    if (hn < 0 || (size_t)hn >= sizeof head) {
        errno = EINVAL;
        return -1;
    }
    struct iovec iov[3] = { { head, (size_t)hn }, { (void *)event, len }, { "\n", 1 } };
    return append(j, iov, 3);
}

int ctli_journal_accept(ctli_journal *j, const char *controller, const char *event, size_t len,
                        uint64_t accepted_ms, const char *trace, uint64_t *id)
{
    if (append_accepted(j, j->next_id, controller, event, len, accepted_ms, trace) != 0)
        return -1;
    *id = j->next_id++;
    return 0;
}

int ctli_journal_attempt(ctli_journal *j, uint64_t id, int attempt)
{
    char rec[64];
    int n = snprintf(rec, sizeof rec, "T %" PRIu64 " %d\n", id, attempt);
    struct iovec iov = { rec, (size_t)n };
    return append(j, &iov, 1);
}

int ctli_journal_done(ctli_journal *j, uint64_t id)
{
    char rec[64];
    int n = snprintf(rec, sizeof rec, "D %" PRIu64 "\n", id);
    struct iovec iov = { rec, (size_t)n };
    return append(j, &iov, 1);
}

/* ---- compaction -------------------------------------------------------------------- */

bool ctli_journal_wants_compaction(const ctli_journal *j)
{
    return j->size >= JOURNAL_MIN_COMPACT && j->size / 4 >= j->size_after_compaction;
}

int ctli_journal_compact(ctli_journal *j, ctli_journal_next_fn next, void *user)
{
    /* A failure waits for the file to grow as much again before the next
     * try (a full disk may have room by then), rather than giving up for
     * good or trying at every record. */
    int fd = open(j->tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0666);
    if (fd < 0) {
        j->size_after_compaction = j->size;
        return -1;
    }
    ctli_journal tmp = *j;
    tmp.fd = fd;
    tmp.size = 0;
    tmp.fsync_each = false; /* one fsync for the whole file below */
    tmp.broken = false;
    uint64_t id;
    const char *controller, *event;
    size_t len;
    int attempts, rc = 0;
    uint64_t accepted_ms;
    const char *trace;
    while (rc == 0 && next(user, &id, &controller, &event, &len, &attempts, &accepted_ms, &trace)) {
        rc = append_accepted(&tmp, id, controller, event, len, accepted_ms, trace);
        if (rc == 0 && attempts > 0)
            rc = ctli_journal_attempt(&tmp, id, attempts);
    }
    /* The new file replaces the old only once it is whole (and on disk when
     * the journal syncs), so a crash here leaves one or the other. */
    if (rc == 0 && j->fsync_each && fsync(fd) != 0)
        rc = -1;
    if (rc == 0 && rename(j->tmp_path, j->path) != 0)
        rc = -1;
    if (rc != 0) {
        int saved = errno;
        close(fd);
        unlink(j->tmp_path);
        j->size_after_compaction = j->size;
        errno = saved;
        return -1;
    }
    if (j->fsync_each)
        ctli_sync_dir(j->dir);
    close(j->fd);
    j->fd = fd;
    j->size = j->size_after_compaction = tmp.size;
    j->broken = false;
    return 0;
}
