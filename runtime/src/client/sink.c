/* client/sink.c: the failure sink: the on_failure callback, dead-letter
 * lines and the file they are appended to. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctl/json.h"

#include "base/file.h"
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

void ctli_sink_put(ctli_sink *s, const ctli_failure *f)
{
    pthread_mutex_lock(&s->mu);
    if (s->on_failure)
        s->on_failure(s->failure_user, f->controller, f->event, f->len, f->error_type ? f->error_type : "ctl.Error",
                      f->error_message ? f->error_message : "", f->attempts);
    if (s->path && *s->path) {
        ctl_buf b = CTL_BUF_INIT;
        ctli_dead_letter_line(&b, f, CTLI_EVENT_AUTO);
        if (b.failed || ctli_dead_letter_append(s->path, b.data, b.len, s->sync) != 0)
            fprintf(stderr, "%s: cannot write to the dead-letter file %s: %s; the event was:\n%.*s\n", s->who,
                    s->path, b.failed ? "out of memory" : strerror(errno), (int)f->len, f->event);
        ctl_buf_free(&b);
    }
    pthread_mutex_unlock(&s->mu);
}

int ctli_dead_letter_append(const char *path, const char *line, size_t len, bool sync)
{
    /* Opened for each line (dead letters are rare): nothing to keep open,
     * and a file moved away by a person is made again. */
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (fd < 0)
        return -1;
    int rc = ctli_write_all(fd, line, len);
    if (rc == 0 && sync && fsync(fd) != 0)
        rc = -1;
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
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
    if (ctl_write_string(b, f->controller))
        CTL_BUF_LIT(b, "\"?\"");
    CTL_BUF_LIT(b, ",\"attempts\":");
    ctl_write_int(b, f->attempts);
    CTL_BUF_LIT(b, ",\"errorType\":");
    if (ctl_write_string(b, f->error_type ? f->error_type : "ctl.Error"))
        CTL_BUF_LIT(b, "\"ctl.Error\"");
    CTL_BUF_LIT(b, ",\"errorMessage\":");
    if (ctl_write_string(b, f->error_message ? f->error_message : ""))
        CTL_BUF_LIT(b, "\"\"");
    if (f->condition) {
        CTL_BUF_LIT(b, ",\"condition\":");
        ctl_write_string(b, f->condition); /* one of ours: plain ASCII */
    }
    CTL_BUF_LIT(b, ",\"event\":");
    if (form == CTLI_EVENT_AUTO && ctli_event_is_json(f->event, f->len))
        ctl_buf_put(b, f->event, f->len);
    else if (ctl_write_string(b, f->event))
        CTL_BUF_LIT(b, "\"(not UTF-8 text)\"");
    CTL_BUF_LIT(b, "}\n");
}
