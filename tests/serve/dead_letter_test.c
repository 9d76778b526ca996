/* dead_letter_test.c: ctli_dead_letter_append (runtime/src/client.c), the
 * writer of serve's and the client's dead-letter lines: two threads append
 * long lines (a dead letter holds its event, up to 1 MiB) to one file
 * through descriptors of their own, as serve and its client do; every line
 * must come out whole. Through stdio, which writes a line longer than its
 * buffer in two write()s, halves of the two writers' lines interleaved.
 * Then a write cut short (RLIMIT_FSIZE, which makes write() return fewer
 * bytes than asked, root or not, as a full disk does): the append fails
 * and the file is truncated back to its whole lines; a line appended once
 * the limit is lifted starts on a line of its own.
 *   dead_letter_test FILE   (FILE is replaced) */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client/sink.h"

enum { LINES = 200, LINE_LEN = 100 * 1024 + 99 }; /* not a multiple of stdio's block */

typedef struct writer {
    const char *path;
    char *line;
    int failed;
} writer;

static void *write_lines(void *arg)
{
    writer *w = arg;
    for (int i = 0; i < LINES; i++)
        if (ctli_dead_letter_append(w->path, w->line, LINE_LEN, false) != 0)
            w->failed++;
    return NULL;
}

static char *make_line(char fill)
{
    char *line = malloc(LINE_LEN);
    if (!line)
        exit(2);
    memset(line, fill, LINE_LEN - 1);
    line[LINE_LEN - 1] = '\n';
    return line;
}

/* A line that does not fit under the file-size limit: 0 when the append
 * fails and leaves the file as it was, then takes the next line whole. */
static int short_write(const char *path)
{
    static const char first[] = "{\"n\":1}\n", second[] = "{\"n\":2,\"pad\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}\n",
                      third[] = "{\"n\":3}\n";
    unlink(path);
    if (ctli_dead_letter_append(path, first, sizeof first - 1, false) != 0)
        return fprintf(stderr, "the first line: %s\n", strerror(errno)), 1;
    signal(SIGXFSZ, SIG_IGN); /* write() then fails with EFBIG instead */
    struct rlimit old, lim;
    getrlimit(RLIMIT_FSIZE, &old);
    lim = old;
    lim.rlim_cur = sizeof first - 1 + 10; /* room for 10 bytes of the second line */
    if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
        return fprintf(stderr, "setrlimit: %s\n", strerror(errno)), 1;
    int rc = ctli_dead_letter_append(path, second, sizeof second - 1, false);
    int err = errno;
    setrlimit(RLIMIT_FSIZE, &old);
    if (rc == 0)
        return fprintf(stderr, "an append past the limit succeeded\n"), 1;
    struct stat st;
    if (stat(path, &st) != 0 || st.st_size != (off_t)(sizeof first - 1))
        return fprintf(stderr, "after the short write the file holds %lld bytes, not %zu (%s)\n",
                       (long long)st.st_size, sizeof first - 1, strerror(err)), 1;
    if (ctli_dead_letter_append(path, third, sizeof third - 1, false) != 0)
        return fprintf(stderr, "the third line: %s\n", strerror(errno)), 1;
    char buf[256] = "";
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    if (n != sizeof first - 1 + sizeof third - 1 || memcmp(buf, first, sizeof first - 1) != 0 ||
        memcmp(buf + sizeof first - 1, third, sizeof third - 1) != 0)
        return fprintf(stderr, "the file after the short write: %.*s\n", (int)n, buf), 1;
    printf("dead_letter_test: a write cut short (%s) was truncated back; the next line is whole\n", strerror(err));
    unlink(path);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: dead_letter_test FILE\n");
        return 2;
    }
    const char *path = argv[1];
    unlink(path);
    writer a = { path, make_line('a'), 0 }, b = { path, make_line('b'), 0 };
    pthread_t ta, tb;
    if (pthread_create(&ta, NULL, write_lines, &a) != 0 || pthread_create(&tb, NULL, write_lines, &b) != 0)
        return 2;
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    int failures = 0;
    if (a.failed || b.failed) {
        fprintf(stderr, "appends failed: %d and %d\n", a.failed, b.failed);
        failures++;
    }
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f || stat(path, &st) != 0) {
        fprintf(stderr, "cannot read %s\n", path);
        return 1;
    }
    if (st.st_size != (off_t)2 * LINES * LINE_LEN) {
        fprintf(stderr, "the file holds %lld bytes, not %lld\n", (long long)st.st_size,
                (long long)2 * LINES * LINE_LEN);
        failures++;
    }
    char *got = malloc(LINE_LEN);
    int whole_a = 0, whole_b = 0, torn = 0;
    while (got && fread(got, 1, LINE_LEN, f) == LINE_LEN) {
        if (memcmp(got, a.line, LINE_LEN) == 0)
            whole_a++;
        else if (memcmp(got, b.line, LINE_LEN) == 0)
            whole_b++;
        else
            torn++;
    }
    fclose(f);
    if (whole_a != LINES || whole_b != LINES || torn) {
        fprintf(stderr, "lines: %d whole of one writer, %d of the other, %d torn\n", whole_a, whole_b, torn);
        failures++;
    }
    free(got);
    free(a.line);
    free(b.line);
    unlink(path);
    if (failures)
        return 1;
    printf("dead_letter_test: %d lines of %d bytes from two writers, all whole\n", 2 * LINES, LINE_LEN);
    return short_write(path);
}
