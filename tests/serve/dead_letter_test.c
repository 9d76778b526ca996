/* dead_letter_test.c: ctli_dead_letter_append (runtime/src/client.c), the
 * writer of serve's and the client's dead-letter lines: two threads append
 * long lines (a dead letter holds its event, up to 1 MiB) to one file
 * through descriptors of their own, as serve and its client do; every line
 * must come out whole. Through stdio, which writes a line longer than its
 * buffer in two write()s, halves of the two writers' lines interleaved.
 *   dead_letter_test FILE   (FILE is replaced) */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    return 0;
}
