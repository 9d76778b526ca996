/* client/sink.h: the failure sink (sink.c): where an async event that
 * failed for good ends, whichever transport or server tried it: the
 * on_failure callback and a JSON-lines dead-letter file. The line's format
 * and the choice of how the event goes in are here and nowhere else. */
#ifndef CTL_CLIENT_SINK_H
#define CTL_CLIENT_SINK_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "ctl/gen.h"

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* A failed event as the sink sees it. All borrowed for the call. */
typedef struct ctli_failure {
    const char *controller;
    const char *event;          /* len bytes (any bytes) */
    size_t len;
    int attempts;               /* attempts made */
    const char *error_type;     /* the last attempt's errorType */
    const char *error_message;  /* and errorMessage */
    const char *condition;      /* why the async core gave up, in Lambda's words: CTLI_RETRIES_EXHAUSTED,
                                   CTLI_EVENT_AGE_EXCEEDED; NULL: not the core's (the Lambda
                                   transport's, the Runtime API loop's) */
    bool again;                 /* a retry of a line that could not be written: the callback had it */
    bool last;                  /* no retry follows (the Lambda transport; a client closing): a line that
                                   cannot be written goes to stderr, event and all */
} ctli_failure;

/* The conditions of an on-failure record (Lambda's requestContext.condition). */
#define CTLI_RETRIES_EXHAUSTED "RetriesExhausted"
#define CTLI_EVENT_AGE_EXCEEDED "EventAgeExceeded"

typedef struct ctli_sink {
    ctl_failure_fn on_failure;  /* may be NULL */
    void *failure_user;
    const char *path;           /* the dead-letter file; NULL or "": none (borrowed) */
    bool sync;                  /* fsync each line */
    const char *who;            /* names the writer in the message when a line cannot be written */
    pthread_mutex_t mu;         /* one failure at a time: callbacks never overlap */
    bool failing;               /* the last line could not be written (said once on stderr) */
    unsigned long late;         /* lines not written at the first try in this episode */
} ctli_sink;

/* Fills s (path and who borrowed); ctli_sink_destroy() ends it. */
void ctli_sink_init(ctli_sink *s, ctl_failure_fn on_failure, void *failure_user, const char *path, bool sync,
                    const char *who);
void ctli_sink_destroy(ctli_sink *s);

/* Hands f to the callback (unless f->again), then appends its line to the
 * dead-letter file: 0 when the line is written (with sync, fsync'd) or
 * there is no file; -1 when it could not be written, said on stderr once
 * until a line is written again: the caller keeps the event and calls
 * again later with f->again. With f->last, a line that cannot be written
 * goes to stderr with the event, and the answer is 0. Thread-safe. */
int ctli_sink_put(ctli_sink *s, const ctli_failure *f);

/* How the event goes into a dead-letter line. */
typedef enum ctli_event_form {
    CTLI_EVENT_AUTO,            /* as JSON when it is JSON text on one line, else as a string */
    CTLI_EVENT_STRING           /* always as a string */
} ctli_event_form;

/* Whether an event (len bytes) can go into a line as it is: JSON text (by
 * libctl's own reader, whatever the error was that sank it) on one line.
 * The dead letters' rule, and the invocation records' (record.c). */
bool ctli_event_is_json(const char *event, size_t len);

/* Whether the n bytes at p go into a JSON line as they are: JSON text
 * (ctli_event_is_json) that is valid UTF-8. */
bool ctli_event_is_json_text(const char *p, size_t n);

/* Whether the n bytes at p go into a JSON line as a string: valid UTF-8
 * without a NUL. */
bool ctli_event_is_string(const char *p, size_t n);

/* Appends the n bytes at p to b as a JSON string of their base64 (RFC 4648,
 * padded). */
void ctli_write_base64(ctl_buf *b, const char *p, size_t n);

/* Appends the dead-letter line of f to b: {"time","controller","attempts",
 * "errorType","errorMessage","condition","event"} and a newline, without
 * "condition" when f has none. A NULL type is "ctl.Error", a NULL message
 * "". The line is valid UTF-8 JSON whatever f holds: the event goes in as
 * JSON (form AUTO, ctli_event_is_json_text), else as a string
 * (ctli_event_is_string), else, bytes that are not UTF-8 text, as
 * "eventBase64" in place of "event"; a type or message that is not UTF-8
 * has its invalid bytes replaced by U+FFFD. */
void ctli_dead_letter_line(ctl_buf *b, const ctli_failure *f, ctli_event_form form);

/* Appends line (len bytes, a whole line) to the file at path, made when
 * missing, with one write() on an O_APPEND descriptor: the lines of several
 * writers (serve's and its client's, other processes) never interleave, as
 * they did through stdio, which writes a line longer than its buffer in two.
 * With sync, fsync()s it too. 0, or -1 with errno set. A write cut short
 * (a full disk) is not left as the start of a line: the file is truncated
 * back to its size before the write when it can be, and else, when it has
 * no other writer's line after it, the piece is ended with a newline (a
 * line that does not parse, on its own, which a reader skips), so that the
 * next line starts on a line of its own. */
int ctli_dead_letter_append(const char *path, const char *line, size_t len, bool sync);

CTLI_END_PRIVATE

#endif
