/* client/sink.h: dead-letter lines (sink.c). */
#ifndef CTL_CLIENT_SINK_H
#define CTL_CLIENT_SINK_H

#include <stdbool.h>
#include <stddef.h>

#include "ctl/gen.h"

/* Appends one dead-letter line to b: {"time","controller","attempts",
 * "errorType","errorMessage","event"} and a newline. event (len bytes,
 * NUL-terminated) goes in as JSON when event_is_json and it holds no
 * newline, else as a string. Shared by the client's sink and serve. */
void ctli_dead_letter_line(ctl_buf *b, const char *controller, int attempts, const char *error_type,
                          const char *error_message, const char *event, size_t len, bool event_is_json);

/* Appends line (len bytes, a whole line) to the file at path, made when
 * missing, with one write() on an O_APPEND descriptor: the lines of several
 * writers (serve's and its client's, other processes) never interleave, as
 * they did through stdio, which writes a line longer than its buffer in two.
 * With sync, fsync()s it too. 0, or -1 with errno set. */
int ctli_dead_letter_append(const char *path, const char *line, size_t len, bool sync);

#endif
