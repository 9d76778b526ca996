/* client/sink.c: dead-letter lines: their format, and appending them to a
 * file. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client/sink.h"

int ctli_dead_letter_append(const char *path, const char *line, size_t len, bool sync)
{
    /* Opened for each line (dead letters are rare): nothing to keep open,
     * and a file moved away by a person is made again. */
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (fd < 0)
        return -1;
    int rc = 0;
    while (len && rc == 0) {
        ssize_t w = write(fd, line, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            rc = -1;
        else
            line += w, len -= (size_t)w;
    }
    if (rc == 0 && sync && fsync(fd) != 0)
        rc = -1;
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

void ctli_dead_letter_line(ctl_buf *b, const char *controller, int attempts, const char *error_type,
                          const char *error_message, const char *event, size_t len, bool event_is_json)
{
    /* One JSON object a line. The event goes in as JSON when it is JSON,
     * and as a string otherwise, so the line always parses. */
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    CTL_BUF_LIT(b, "{\"time\":\"");
    ctl_buf_put(b, when, strlen(when));
    CTL_BUF_LIT(b, "\",\"controller\":");
    ctl_write_string(b, controller);
    CTL_BUF_LIT(b, ",\"attempts\":");
    ctl_write_int(b, attempts);
    CTL_BUF_LIT(b, ",\"errorType\":");
    if (ctl_write_string(b, error_type ? error_type : "ctl.Error"))
        CTL_BUF_LIT(b, "\"ctl.Error\"");
    CTL_BUF_LIT(b, ",\"errorMessage\":");
    if (ctl_write_string(b, error_message ? error_message : ""))
        CTL_BUF_LIT(b, "\"\"");
    CTL_BUF_LIT(b, ",\"event\":");
    if (event_is_json && memchr(event, '\n', len) == NULL) {
        ctl_buf_put(b, event, len);
    } else if (ctl_write_string(b, event)) {
        CTL_BUF_LIT(b, "\"(not UTF-8 text)\"");
    }
    CTL_BUF_LIT(b, "}\n");
}
