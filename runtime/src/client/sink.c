/* client/sink.c: the failure sink: the on_failure callback, dead-letter
 * lines and the file they are appended to. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ctl/json.h"

#include "base/file.h"
#include "base/utf8.h"
#include "client/sink.h"
#include "codec/arena.h"
#include "codec/ctx.h"

void ctli_sink_init(ctli_sink *s, ctl_failure_fn on_failure, void *failure_user, const char *path, bool sync,
                    const char *who)
{
    s->on_failure = on_failure;
    s->failure_user = failure_user;
    s->path = path;
    s->sync = sync;
    s->who = who;
    pthread_mutex_init(&s->mu, NULL);
}

void ctli_sink_destroy(ctli_sink *s)
{
    pthread_mutex_destroy(&s->mu);
}

int ctli_sink_put(ctli_sink *s, const ctli_failure *f)
{
    int rc = 0;
    pthread_mutex_lock(&s->mu);
    if (s->on_failure && !f->again)
        s->on_failure(s->failure_user, f->controller, f->event, f->len, f->error_type ? f->error_type : "ctl.Error",
                      f->error_message ? f->error_message : "", f->attempts);
    if (s->path && *s->path) {
        ctl_buf b = CTL_BUF_INIT;
        ctli_dead_letter_line(&b, f, CTLI_EVENT_AUTO);
        int err = b.failed ? ENOMEM : 0;
        if (!err && ctli_dead_letter_append(s->path, b.data, b.len, s->sync) != 0)
            err = errno;
        if (!err && s->failing) {
            fprintf(stderr, "%s: the dead-letter file %s is written again (%lu %s could not be written at first)\n",
                    s->who, s->path, s->late, s->late == 1 ? "line" : "lines");
            s->failing = false;
            s->late = 0;
        } else if (err && f->last) {
            /* Nobody keeps the event: stderr is the last place it can go. */
            fprintf(stderr, "%s: cannot write to the dead-letter file %s: %s; the dead letter was:\n%.*s", s->who,
                    s->path, strerror(err), b.failed ? 0 : (int)b.len, b.failed ? "" : b.data);
        } else if (err) {
            if (!s->failing)
                fprintf(stderr,
                        "%s: cannot write to the dead-letter file %s: %s; the event stays live and the line is "
                        "written again later (said once, until a line is written)\n",
                        s->who, s->path, strerror(err));
            if (!f->again)
                s->late++;
            s->failing = true;
            rc = -1;
        }
        ctl_buf_free(&b);
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

int ctli_dead_letter_append(const char *path, const char *line, size_t len, bool sync)
{
    /* Opened for each line (dead letters are rare): nothing to keep open,
     * and a file moved away by a person is made again. */
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (fd < 0)
        return -1;
    ssize_t n;
    do
        n = write(fd, line, len);
    while (n < 0 && errno == EINTR);
    int rc = 0, saved = 0;
    if (n < 0 || (size_t)n != len) {
        saved = n < 0 ? errno : ENOSPC; /* a short write: the disk is full */
        rc = -1;
        if (n > 0) {
            /* The piece ends where the offset is (O_APPEND put it at the
             * end); it goes when nothing was appended after it. */
            off_t end = lseek(fd, 0, SEEK_CUR);
            struct stat st;
            bool last = end >= n && fstat(fd, &st) == 0 && st.st_size == end;
            if (!last || ftruncate(fd, end - n) != 0) {
                if (last && write(fd, "\n", 1) != 1)
                    fprintf(stderr, "ctl: %s keeps a partial line, not ended (%s)\n", path, strerror(errno));
            }
        }
    } else if (sync && fsync(fd) != 0) {
        saved = errno;
        rc = -1;
    }
    close(fd);
    errno = saved;
    return rc;
}

bool ctli_event_is_string(const char *p, size_t n)
{
    return !memchr(p, '\0', n) && ctli_utf8_valid(p, n);
}

bool ctli_event_is_json_text(const char *p, size_t n)
{
    return ctli_utf8_valid(p, n) && ctli_event_is_json(p, n);
}

void ctli_write_base64(ctl_buf *b, const char *p, size_t n)
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *u = (const unsigned char *)p;
    ctl_buf_putc(b, '"');
    char out[4];
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)u[i] << 16 | (i + 1 < n ? (unsigned)u[i + 1] << 8 : 0) | (i + 2 < n ? u[i + 2] : 0);
        out[0] = digits[v >> 18 & 63];
        out[1] = digits[v >> 12 & 63];
        out[2] = i + 1 < n ? digits[v >> 6 & 63] : '=';
        out[3] = i + 2 < n ? digits[v & 63] : '=';
        ctl_buf_put(b, out, 4);
    }
    ctl_buf_putc(b, '"');
}

/* A NUL-terminated text as a JSON string, its invalid UTF-8 sequences
 * replaced by U+FFFD: the line stays UTF-8 whatever a handler's message
 * held. */
static void put_text(ctl_buf *b, const char *s)
{
    if (ctl_write_string(b, s) == 0)
        return;
    ctl_buf fixed = CTL_BUF_INIT;
    const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
    while (p < end) {
        size_t k = *p < 0x80 ? 1 : ctli_utf8_seq(p, end);
        if (k == 0) {
            CTL_BUF_LIT(&fixed, "\xef\xbf\xbd");
            p++;
        } else {
            ctl_buf_put(&fixed, (const char *)p, k);
            p += k;
        }
    }
    ctl_buf_putc(&fixed, '\0');
    if (fixed.failed || ctl_write_string(b, fixed.data) != 0)
        CTL_BUF_LIT(b, "\"\"");
    ctl_buf_free(&fixed);
}

bool ctli_event_is_json(const char *event, size_t len)
{
    if (memchr(event, '\n', len))
        return false;
    ctl_arena arena;
    ctli_arena_init(&arena);
    arena.limit = CTLI_INVOCATION_MEMORY;
    ctl_json_error err;
    bool ok = ctl_json_parse(&arena, event, len, &err) != NULL;
    ctli_arena_free(&arena);
    return ok;
}

void ctli_dead_letter_line(ctl_buf *b, const ctli_failure *f, ctli_event_form form)
{
    /* One JSON object a line, which always parses. */
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    CTL_BUF_LIT(b, "{\"time\":\"");
    ctl_buf_put(b, when, strlen(when));
    CTL_BUF_LIT(b, "\",\"controller\":");
    put_text(b, f->controller ? f->controller : "?");
    CTL_BUF_LIT(b, ",\"attempts\":");
    ctl_write_int(b, f->attempts);
    CTL_BUF_LIT(b, ",\"errorType\":");
    put_text(b, f->error_type ? f->error_type : "ctl.Error");
    CTL_BUF_LIT(b, ",\"errorMessage\":");
    put_text(b, f->error_message ? f->error_message : "");
    if (f->condition) {
        CTL_BUF_LIT(b, ",\"condition\":");
        ctl_write_string(b, f->condition); /* one of ours: plain ASCII */
    }
    if (form == CTLI_EVENT_AUTO && ctli_event_is_json_text(f->event, f->len)) {
        CTL_BUF_LIT(b, ",\"event\":");
        ctl_buf_put(b, f->event, f->len);
    } else if (ctli_event_is_string(f->event, f->len)) {
        CTL_BUF_LIT(b, ",\"event\":");
        if (ctl_write_string(b, f->event))
            CTL_BUF_LIT(b, "\"\"");
    } else {
        /* Not UTF-8 text (or a NUL in it): the bytes, whole, in base64. */
        CTL_BUF_LIT(b, ",\"eventBase64\":");
        ctli_write_base64(b, f->event, f->len);
    }
    CTL_BUF_LIT(b, "}\n");
}
