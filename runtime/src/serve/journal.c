/* serve/journal.c: serve's journal of accepted async events (see journal.h). */
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
    uint64_t size, size_after_compaction;
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
    if (j->fd < 0) {
        set_err(err, cap, "cannot open the journal %s: %s", j->path, strerror(errno));
        ctli_journal_close(j);
        return NULL;
    }
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

/* ---- replay ------------------------------------------------------------------------ */

typedef struct live {
    uint64_t id;
    uint64_t accepted_ms;   /* 0: not recorded */
    int attempts;
    bool done;
    const char *controller; /* in the text, cut to a string */
    const char *trace;      /* in the text, cut to a string; NULL: none */
    size_t len;
    char *event;            /* in the text */
} live;

static live *find_live(live *v, size_t n, uint64_t id)
{
    /* Parse keeps the ids of A records strictly increasing: bisect. */
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

/* A controller name in a record: printable ASCII but space, as accept
 * checks before writing it. */
static bool name_byte(char c)
{
    return c > ' ' && c < 0x7f;
}

/* A trace header in a record, as accept writes it: 1 to CTLI_TRACE_MAX
 * bytes of printable ASCII but space up to the newline, that keep the rule
 * (codec/ctx.h). Advances *p past it; *out points at it (cut later). */
static bool read_trace(const char **p, const char *end, const char **out)
{
    const char *q = *p;
    while (q < end && q - *p <= CTLI_TRACE_MAX && name_byte(*q))
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

long ctli_journal_parse(char *text, size_t size, ctli_journal_live_fn fn, void *user, size_t *whole,
                       uint64_t *next_id)
{
    live *v = NULL;
    size_t n = 0, capv = 0;
    const char *p = text, *end = text + size;
    uint64_t last_id = 0;
    /* By hand, exactly as the records are written (one space between
     * fields, plain decimal numbers): sscanf needs a NUL-terminated text,
     * takes its strlen at every call (quadratic on a large journal) and
     * takes signs, blanks and newlines between fields. */
    while (p < end) {
        const char *q = p + 1;
        uint64_t id, num;
        if (*p == 'A') {
            if (!read_char(&q, end, ' ') || !read_number(&q, end, UINT64_MAX - 1, &id) || id <= last_id ||
                !read_char(&q, end, ' '))
                break;
            const char *name = q;
            while (q < end && name_byte(*q))
                q++;
            char *name_end = text + (q - text);
            uint64_t accepted_ms = 0; /* a record of an older serve has no time */
            const char *trace = NULL; /* nor a trace */
            char *trace_end = NULL;
            if (q == name || q - name > CTLI_JOURNAL_MAX_NAME || !read_char(&q, end, ' ') ||
                !read_number(&q, end, SIZE_MAX, &num) ||
                (read_char(&q, end, ' ') && (!read_number(&q, end, UINT64_MAX, &accepted_ms) ||
                                             (read_char(&q, end, ' ') && !read_trace(&q, end, &trace)))) ||
                !read_char(&q, end, '\n') || (uint64_t)(end - q) <= num || q[num] != '\n')
                break;
            if (trace)
                trace_end = text + (q - 1 - text); /* the newline after it */
            if (n == capv) {
                size_t bigger_cap = capv ? capv * 2 : 256;
                live *bigger = realloc(v, bigger_cap * sizeof *v);
                if (!bigger) {
                    free(v);
                    return -1;
                }
                v = bigger;
                capv = bigger_cap;
            }
            *name_end = '\0'; /* was the space after the name */
            if (trace_end)
                *trace_end = '\0';
            live *e = &v[n++];
            e->id = last_id = id;
            e->accepted_ms = accepted_ms;
            e->attempts = 0;
            e->done = false;
            e->controller = name;
            e->trace = trace;
            e->len = (size_t)num;
            e->event = text + (q - text);
            p = q + num + 1;
        } else if (*p == 'T') {
            uint64_t attempt;
            if (!read_char(&q, end, ' ') || !read_number(&q, end, UINT64_MAX, &id) || !read_char(&q, end, ' ') ||
                !read_number(&q, end, INT_MAX, &attempt) || !read_char(&q, end, '\n'))
                break;
            live *e = find_live(v, n, id);
            if (e && (int)attempt > e->attempts)
                e->attempts = (int)attempt;
            p = q;
        } else if (*p == 'D') {
            if (!read_char(&q, end, ' ') || !read_number(&q, end, UINT64_MAX, &id) || !read_char(&q, end, '\n'))
                break;
            live *e = find_live(v, n, id);
            if (e)
                e->done = true;
            p = q;
        } else {
            break;
        }
    }
    long result = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i].done)
            continue;
        /* A string fn can read to its end: the newline after it goes. */
        v[i].event[v[i].len] = '\0';
        fn(user, v[i].id, v[i].controller, v[i].event, v[i].len, v[i].attempts, v[i].accepted_ms, v[i].trace);
        result++;
    }
    free(v);
    *whole = (size_t)(p - text);
    *next_id = last_id + 1;
    return result;
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
    size_t whole;
    uint64_t next_id;
    replay_list list = { NULL, 0, 0, false };
    long result = ctli_journal_parse(text, size, collect, &list, &whole, &next_id);
    if (result < 0 || list.failed) {
        free(list.v);
        free(text);
        set_err(err, cap, "cannot replay the journal %s: %s", j->path, "out of memory");
        return -1;
    }
    if (whole < size) {
        /* A record cut short by a kill in mid-write (its event never got a
         * 202), or damage: replay what came before, cut the rest off, and
         * keep it for a person to look at: appended to DIR/journal.damaged,
         * so bytes kept by an earlier damage stay too. */
        size_t rest = size - whole;
        char *kept = ctli_path_join(j->dir, "journal.damaged");
        int fd = kept ? open(kept, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666) : -1;
        bool saved = fd >= 0 && ctli_write_all(fd, text + whole, rest) == 0 && fsync(fd) == 0;
        if (fd >= 0)
            close(fd);
        fprintf(stderr,
                "ctl serve: the journal %s ends with %zu %s not a whole record (a write cut short by "
                "a kill, or damage); ignoring %s%s%s\n",
                j->path, rest, ctli_plural(rest, "byte that is", "bytes that are"), ctli_plural(rest, "it", "them"),
                saved ? ctli_plural(rest, "; it is kept in ", "; they are kept in ") : "", saved ? kept : "");
        free(kept);
        if (ftruncate(j->fd, (off_t)whole) != 0)
            fprintf(stderr, "ctl serve: cannot cut the journal: %s\n", strerror(errno));
    }
    if (next_id > j->next_id)
        j->next_id = next_id;
    j->size = j->size_after_compaction = whole;
    for (size_t i = 0; i < list.n; i++)
        fn(user, list.v[i].id, list.v[i].controller, list.v[i].event, list.v[i].len, list.v[i].attempts,
           list.v[i].accepted_ms, list.v[i].trace);
    free(list.v);
    free(text);
    return result;
}

/* ---- appending --------------------------------------------------------------------- */

static int append(ctli_journal *j, const struct iovec *iov, int n)
{
    size_t total = 0;
    for (int i = 0; i < n; i++)
        total += iov[i].iov_len;
    ssize_t w;
    do
        w = writev(j->fd, iov, n);
    while (w < 0 && errno == EINTR);
    if (w < 0)
        return -1;
    if ((size_t)w != total) {
        /* Finish the record; a reader would see a torn one otherwise. */
        size_t skip = (size_t)w;
        for (int i = 0; i < n; i++) {
            if (skip >= iov[i].iov_len) {
                skip -= iov[i].iov_len;
                continue;
            }
            if (ctli_write_all(j->fd, (const char *)iov[i].iov_base + skip, iov[i].iov_len - skip) != 0)
                return -1;
            skip = 0;
        }
    }
    if (j->fsync_each && fdatasync(j->fd) != 0)
        return -1;
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
        ok = name_byte(controller[i]);
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
    return 0;
}
