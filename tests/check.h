/* check.h: what the C test programs share: the CHECK macro and small helpers. A check that fails
 * prints where, the condition and a printf-style reason, and counts; the
 * program reports `checks` and `failures` at the end in its own words and
 * exits non-zero when failures > 0. Include it once per program (the
 * counters are the program's own). */
#ifndef CTL_TEST_CHECK_H
#define CTL_TEST_CHECK_H

#include <stdio.h>

static int checks, failures;
#define CHECK(cond, ...)                                                                                               \
    do {                                                                                                               \
        checks++;                                                                                                      \
        if (!(cond)) {                                                                                                 \
            failures++;                                                                                                \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);                                   \
            fprintf(stderr, __VA_ARGS__);                                                                              \
            fputc('\n', stderr);                                                                                       \
        }                                                                                                              \
    } while (0)

/* The number of lines of a text file, or 0 when it cannot be read. */
static inline int count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    int n = 0, c;
    if (!f)
        return 0;
    while ((c = fgetc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

#endif
