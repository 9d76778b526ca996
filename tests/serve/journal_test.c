/* journal_test.c: serve's journal (runtime/src/journal.c) on its own:
 * replay after a restart (live events, their attempts, the order, the
 * bytes, ids that go on), one server per journal, compaction, a torn
 * record at the end and damage in the middle, ids that do not go up, a
 * compaction that fails, and a kill at every point of a compaction.
 *   journal_test DIR   (DIR is emptied first) */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "serve/journal.h"

static int failures;

#define TRACE_B "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
#define CHECK(cond)                                                                         \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);        \
            failures++;                                                                     \
        }                                                                                   \
    } while (0)

typedef struct seen {
    int n;
    uint64_t id[16];
    char controller[16][32];
    char event[16][64];
    size_t len[16];
    int attempts[16];
    uint64_t accepted_ms[16];
    char trace[16][300];        /* "" : none */
} seen;

static void on_live(void *user, uint64_t id, const char *controller, const char *event, size_t len, int attempts,
                    uint64_t accepted_ms, const char *trace)
{
    seen *s = user;
    if (s->n == 16 || len >= 64)
        return;
    s->id[s->n] = id;
    snprintf(s->controller[s->n], 32, "%s", controller);
    memcpy(s->event[s->n], event, len);
    s->event[s->n][len] = '\0';
    s->len[s->n] = len;
    s->attempts[s->n] = attempts;
    s->accepted_ms[s->n] = accepted_ms;
    snprintf(s->trace[s->n], sizeof s->trace[s->n], "%s", trace ? trace : "");
    s->n++;
}

/* Appends rec (n bytes, one record) to the file at path in its frame, as
 * the journal writes it; with framed false, the bytes as they are. */
static bool append_record(const char *path, const char *rec, size_t n, bool framed)
{
    char head[64];
    int hn = framed ? snprintf(head, sizeof head, "J %zu %08x\n", n, (unsigned)ctli_journal_crc32c(0, rec, n)) : 0;
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0666);
    bool ok = fd >= 0 && write(fd, head, (size_t)hn) == hn && write(fd, rec, n) == (ssize_t)n;
    if (fd >= 0)
        close(fd);
    return ok;
}

static ctli_journal *reopen(const char *dir, seen *s, long *live)
{
    char err[256];
    ctli_journal *j = ctli_journal_open(dir, false, err, sizeof err);
    if (!j) {
        fprintf(stderr, "open: %s\n", err);
        exit(1);
    }
    memset(s, 0, sizeof *s);
    *live = ctli_journal_replay(j, on_live, s, err, sizeof err);
    return j;
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

typedef struct iter {
    seen *s;
    int at;
} iter;

static bool next_live(void *user, uint64_t *id, const char **controller, const char **event, size_t *len,
                      int *attempts, uint64_t *accepted_ms, const char **trace)
{
    iter *it = user;
    if (it->at == it->s->n)
        return false;
    *id = it->s->id[it->at];
    *controller = it->s->controller[it->at];
    *event = it->s->event[it->at];
    *len = it->s->len[it->at];
    *attempts = it->s->attempts[it->at];
    *accepted_ms = it->s->accepted_ms[it->at];
    *trace = it->s->trace[it->at][0] ? it->s->trace[it->at] : NULL;
    it->at++;
    return true;
}

/* next_live, but the process is killed when asked for item number die
 * (counting from 0; the call after the last item counts too). */
typedef struct kill_iter {
    iter it;
    int die;
} kill_iter;

static bool next_live_or_die(void *user, uint64_t *id, const char **controller, const char **event, size_t *len,
                             int *attempts, uint64_t *accepted_ms, const char **trace)
{
    kill_iter *k = user;
    if (k->it.at == k->die)
        raise(SIGKILL);
    if (k->it.at == k->it.s->n && k->die == k->it.s->n + 1)
        k->die = -1; /* past the end: let it finish */
    return next_live(&k->it, id, controller, event, len, attempts, accepted_ms, trace);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: journal_test DIR\n");
        return 2;
    }
    const char *dir = argv[1];
    char path[4096], cmd[4200];
    /* A fresh DIR whose parent exists (the journal makes DIR, not its parents). */
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s' && rmdir '%s'", dir, dir, dir);
    if (system(cmd) != 0)
        return 2;
    snprintf(path, sizeof path, "%s/journal", dir);

    /* A first life: three events, attempts, one ended. */
    seen s;
    long live;
    ctli_journal *j = reopen(dir, &s, &live);
    CHECK(live == 0);
    uint64_t a, b, c;
    const char *multi = "{\"function\":\"f\",\n\"x\":\"two\\nlines\"}"; /* newlines inside are fine */
    CHECK(ctli_journal_accept(j, "ctl_a", "{\"function\":\"one\"}", 18, 1700000000001, NULL, &a) == 0);
    CHECK(ctli_journal_accept(j, "ctl_b", multi, strlen(multi), 1700000000002, TRACE_B, &b) == 0);
    CHECK(ctli_journal_accept(j, "ctl_a", "{}", 2, 1700000000003, NULL, &c) == 0);
    CHECK(a == 1 && b == 2 && c == 3);
    CHECK(ctli_journal_attempt(j, a, 1) == 0);
    CHECK(ctli_journal_attempt(j, b, 1) == 0);
    CHECK(ctli_journal_attempt(j, b, 2) == 0);
    CHECK(ctli_journal_done(j, a) == 0);

    /* One server per journal. */
    char err[256] = "";
    CHECK(ctli_journal_open(dir, false, err, sizeof err) == NULL);
    CHECK(strstr(err, "in use") != NULL);
    ctli_journal_close(j);

    /* The restart: b (2 attempts started) and c (none), in order, same
     * bytes, with the times of their acceptance. */
    j = reopen(dir, &s, &live);
    CHECK(live == 2 && s.n == 2);
    CHECK(s.id[0] == 2 && strcmp(s.controller[0], "ctl_b") == 0 && strcmp(s.event[0], multi) == 0 &&
          s.attempts[0] == 2 && s.accepted_ms[0] == 1700000000002);
    CHECK(s.id[1] == 3 && strcmp(s.controller[1], "ctl_a") == 0 && strcmp(s.event[1], "{}") == 0 &&
          s.attempts[1] == 0 && s.accepted_ms[1] == 1700000000003);
    /* Each event's trace comes back, and none where there was none. */
    CHECK(strcmp(s.trace[0], TRACE_B) == 0 && s.trace[1][0] == '\0');
    uint64_t d;
    CHECK(ctli_journal_accept(j, "ctl_c", "{\"d\":1}", 7, 1700000000004, NULL, &d) == 0);
    CHECK(d == 4); /* ids go on after the ones read */
    CHECK(!ctli_journal_wants_compaction(j)); /* far below 16 MiB */

    /* Compaction keeps exactly what the caller says is live. */
    seen keep = s;
    keep.id[2] = d;
    snprintf(keep.controller[2], 32, "ctl_c");
    snprintf(keep.event[2], 64, "{\"d\":1}");
    keep.len[2] = 7;
    keep.attempts[2] = 0;
    keep.accepted_ms[2] = 1700000000004;
    keep.n = 3;
    long before = file_size(path);
    iter it = { &keep, 0 };
    CHECK(ctli_journal_compact(j, next_live, &it) == 0);
    CHECK(file_size(path) < before);
    CHECK(ctli_journal_attempt(j, c, 1) == 0); /* appends go to the new file */
    ctli_journal_close(j);
    j = reopen(dir, &s, &live);
    CHECK(live == 3 && s.id[0] == 2 && s.attempts[0] == 2 && s.id[1] == 3 && s.attempts[1] == 1 && s.id[2] == 4);
    /* Compaction keeps each event's first acceptance time. */
    CHECK(s.accepted_ms[0] == 1700000000002 && s.accepted_ms[1] == 1700000000003 &&
          s.accepted_ms[2] == 1700000000004);
    /* ... and its trace. */
    CHECK(strcmp(s.trace[0], TRACE_B) == 0 && s.trace[1][0] == '\0' && s.trace[2][0] == '\0');
    ctli_journal_close(j);

    /* A record cut short at the end: dropped, the file cut back, the rest kept. */
    long whole = file_size(path);
    static const char torn[] = "A 9 ctl_a 30\n{\"function\"";
    int fd = open(path, O_WRONLY | O_APPEND);
    CHECK(fd >= 0 && write(fd, torn, sizeof torn - 1) == (ssize_t)(sizeof torn - 1));
    close(fd);
    j = reopen(dir, &s, &live);
    CHECK(live == 3);
    CHECK(file_size(path) == whole);
    snprintf(cmd, sizeof cmd, "%s/journal.damaged", dir);
    CHECK(file_size(cmd) == (long)(sizeof torn - 1));
    ctli_journal_close(j);

    /* Damage in the middle: skipped, the whole record after it kept;
     * nothing is invented. */
    CHECK(append_record(path, "Z junk\n", 7, false) && append_record(path, "D 2\n", 4, true));
    j = reopen(dir, &s, &live);
    CHECK(live == 2 && s.id[0] == 3); /* the D after the junk is read */
    ctli_journal_close(j);

    /* Everything ended, then compacted: an empty file. */
    j = reopen(dir, &s, &live);
    CHECK(ctli_journal_done(j, 3) == 0 && ctli_journal_done(j, 4) == 0);
    it = (iter){ &keep, keep.n }; /* nothing live */
    CHECK(ctli_journal_compact(j, next_live, &it) == 0);
    CHECK(file_size(path) == 0);
    ctli_journal_close(j);
    j = reopen(dir, &s, &live);
    CHECK(live == 0);
    ctli_journal_close(j);

    /* A journal of an earlier serve (records without frames) replays as it
     * did, and is rewritten framed at once. Ids that do not go up are
     * damage in it: the largest id would wrap next_id to 0. */
    static const char bad_ids[] = "A 7 ctl_a 2\n{}\nA 18446744073709551615 ctl_a 2\n{}\n";
    CHECK(append_record(path, bad_ids, sizeof bad_ids - 1, false));
    j = reopen(dir, &s, &live);
    {
        char first[2] = { 0 };
        int rfd = open(path, O_RDONLY);
        CHECK(rfd >= 0 && read(rfd, first, 1) == 1 && first[0] == 'J');
        close(rfd);
    }
    CHECK(live == 1 && s.id[0] == 7);
    /* A record of an earlier serve, without the time, replays with 0. */
    CHECK(s.accepted_ms[0] == 0);
    CHECK(ctli_journal_accept(j, "ctl_a", "{}", 2, 1700000000008, NULL, &d) == 0);
    CHECK(d == 8);
    /* Fields as the writer prints them, nothing else: a sign, a blank or a
     * leading zero is damage, as is a name accept would refuse. */
    CHECK(ctli_journal_accept(j, "two words", "{}", 2, 1, NULL, &d) != 0);
    CHECK(ctli_journal_accept(j, "", "{}", 2, 1, NULL, &d) != 0);
    /* A trace that breaks the rule is left out; the event is kept. */
    CHECK(ctli_journal_accept(j, "ctl_a", "{}", 2, 1700000000009, "Root=1-a b", &d) == 0 && d == 9);
    ctli_journal_close(j);
    j = reopen(dir, &s, &live);
    CHECK(live == 3 && s.id[2] == 9 && s.trace[2][0] == '\0' && s.accepted_ms[2] == 1700000000009);
    CHECK(ctli_journal_done(j, 9) == 0);
    ctli_journal_close(j);
    static const char *const odd[] = { "A 20 ctl_a +2\n{}\n",   "A 20 ctl_a  2\n{}\n",    "A 020 ctl_a 2\n{}\n",
                                       "A 20 ctl_a 2 \n{}\n",   "A 20 ctl_a\n2\n{}\n",    "A 20 ctl_a 3\n{}\n",
                                       "A 20 ctl_a 2 07\n{}\n", "A 20 ctl_a 2 -7\n{}\n", "A 20 ctl_a 2 7 \n{}\n",
                                       /* traces: no Root, a blank, two of them, a control byte */
                                       "A 20 ctl_a 2 7 Parent=1\n{}\n", "A 20 ctl_a 2 7 Root=1-a  \n{}\n",
                                       "A 20 ctl_a 2 7 Root=1 Root=2\n{}\n", "A 20 ctl_a 2 7 Root=1\x01\n{}\n" };
    for (size_t k = 0; k < sizeof odd / sizeof *odd; k++) {
        long size_before = file_size(path);
        CHECK(append_record(path, odd[k], strlen(odd[k]), true)); /* its checksum verifies: the record does not */
        j = reopen(dir, &s, &live);
        CHECK(live == 2);
        CHECK(file_size(path) == size_before);
        ctli_journal_close(j);
    }

    /* An append that fails part way (the file size limit here, as ENOSPC
     * on a full disk) is cut off again: the file keeps only whole records,
     * the next append (once there is room) follows the last whole one, and
     * replay finds no damage. In a child: the limit is the process's. */
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    pid_t full = fork();
    if (full == 0) {
        ctli_journal *fj = reopen(dir, &s, &live);
        uint64_t id;
        if (!fj || ctli_journal_accept(fj, "ctl_a", "{\"a\":1}", 7, 1, NULL, &id) != 0)
            _exit(3);
        long before = file_size(path);
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit lim = { (rlim_t)before + 8, RLIM_INFINITY }; /* less than a D record */
        if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
            _exit(4);
        static char fat[4096];
        memset(fat, ' ', sizeof fat);
        fat[0] = '1';
        if (ctli_journal_accept(fj, "ctl_a", fat, sizeof fat, 2, NULL, &id) == 0 || file_size(path) != before)
            _exit(5); /* refused, nothing left behind */
        if (ctli_journal_done(fj, 1) == 0 || file_size(path) != before)
            _exit(6); /* a small record that does not fit either */
        lim.rlim_cur = RLIM_INFINITY;
        if (setrlimit(RLIMIT_FSIZE, &lim) != 0 || ctli_journal_accept(fj, "ctl_a", "{\"b\":2}", 7, 3, NULL, &id) != 0)
            _exit(7); /* room again: accepted */
        ctli_journal_close(fj);
        _exit(0);
    }
    int full_st = 0;
    CHECK(full > 0 && waitpid(full, &full_st, 0) == full);
    CHECK(WIFEXITED(full_st) && WEXITSTATUS(full_st) == 0);
    if (!WIFEXITED(full_st) || WEXITSTATUS(full_st) != 0)
        fprintf(stderr, "the append child: status %d\n", full_st);
    snprintf(cmd, sizeof cmd, "%s/journal.damaged", dir);
    j = reopen(dir, &s, &live);
    CHECK(live == 2 && strcmp(s.event[0], "{\"a\":1}") == 0 && strcmp(s.event[1], "{\"b\":2}") == 0);
    CHECK(file_size(cmd) < 0); /* no damage was found */
    ctli_journal_close(j);

    /* Damage that cannot be copied aside (journal.damaged is a folder
     * here): replay fails, hands out nothing and leaves the file as it is. */
    CHECK(append_record(path, "Z junk\n", 7, false));
    long damaged_size = file_size(path);
    CHECK(mkdir(cmd, 0777) == 0);
    {
        char err[512] = "";
        ctli_journal *dj = ctli_journal_open(dir, false, err, sizeof err);
        seen none = { 0 };
        CHECK(dj && ctli_journal_replay(dj, on_live, &none, err, sizeof err) == -1 && none.n == 0);
        CHECK(strstr(err, "cannot be copied") && strstr(err, "left as it is"));
        CHECK(file_size(path) == damaged_size);
        ctli_journal_close(dj);
    }
    CHECK(rmdir(cmd) == 0);
    j = reopen(dir, &s, &live);
    CHECK(live == 2 && file_size(cmd) == 7); /* now kept, and cut off the end */
    ctli_journal_close(j);

    /* A compaction that fails (journal.new cannot be made) is tried again
     * once the file has grown four times, not at every record, nor never. */
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s/journal.new'", dir, dir);
    CHECK(system(cmd) == 0);
    j = reopen(dir, &s, &live);
    char *big = malloc(1024 * 1024);
    CHECK(big != NULL);
    if (big) {
        memset(big, ' ', 1024 * 1024);
        big[0] = '1';
        int n = 0;
        while (!ctli_journal_wants_compaction(j) && n < 100 &&
               ctli_journal_accept(j, "ctl_big", big, 1024 * 1024, 1, NULL, &d) == 0)
            n++;
        CHECK(n == 16); /* 16 MiB */
        it = (iter){ &keep, keep.n };
        CHECK(ctli_journal_compact(j, next_live, &it) != 0);
        CHECK(!ctli_journal_wants_compaction(j));
        n = 0;
        while (!ctli_journal_wants_compaction(j) && n < 100 &&
               ctli_journal_accept(j, "ctl_big", big, 1024 * 1024, 1, NULL, &d) == 0)
            n++;
        CHECK(n == 48); /* four times 16 MiB */
        free(big);
    }
    ctli_journal_close(j);

    /* A kill at every point of a compaction loses nothing: before the new
     * file is whole, the old one is the journal; after the rename, the new
     * one. The child writes events, ends some, and compacts, killing itself
     * as it is asked for live event number k (k = count: once all were
     * written, before the rename). */
    enum { EVENTS = 12 };
    for (int k = 0; k <= EVENTS + 1; k++) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        CHECK(system(cmd) == 0);
        pid_t pid = fork();
        if (pid == 0) {
            ctli_journal *cj = reopen(dir, &s, &live);
            seen all = { 0 };
            for (int e = 0; e < EVENTS; e++) {
                char body[32];
                int n = snprintf(body, sizeof body, "{\"n\":%d}", e);
                uint64_t id, when = 1700000000000 + (uint64_t)e;
                const char *trace = e % 2 ? TRACE_B : NULL;
                if (ctli_journal_accept(cj, "ctl_k", body, (size_t)n, when, trace, &id) != 0)
                    _exit(3);
                if (ctli_journal_attempt(cj, id, 1) != 0)
                    _exit(3);
                if (e % 3 == 0) { /* ended */
                    if (ctli_journal_done(cj, id) != 0)
                        _exit(3);
                    continue;
                }
                on_live(&all, id, "ctl_k", body, (size_t)n, 1, when, trace);
            }
            kill_iter ki = { { &all, 0 }, k };
            if (ctli_journal_compact(cj, next_live_or_die, &ki) != 0)
                _exit(3);
            _exit(0); /* k past the end: the compaction finished */
        }
        int st = 0;
        CHECK(pid > 0 && waitpid(pid, &st, 0) == pid);
        CHECK(k <= 8 ? (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) : (WIFEXITED(st) && WEXITSTATUS(st) == 0));
        j = reopen(dir, &s, &live);
        CHECK(live == 8);
        for (int i = 0, e = 0; i < s.n && e < EVENTS; e++) {
            if (e % 3 == 0)
                continue;
            char body[32];
            snprintf(body, sizeof body, "{\"n\":%d}", e);
            CHECK(strcmp(s.event[i], body) == 0 && s.attempts[i] == 1 && strcmp(s.controller[i], "ctl_k") == 0 &&
                  s.accepted_ms[i] == 1700000000000 + (uint64_t)e);
            CHECK(strcmp(s.trace[i], e % 2 ? TRACE_B : "") == 0);
            i++;
        }
        ctli_journal_close(j);
    }

    if (failures)
        fprintf(stderr, "journal_test: %d checks failed\n", failures);
    else
        printf("journal_test: all checks passed\n");
    return failures ? 1 : 0;
}
