/* testutil.h: what the SigV4 test programs share: the CHECK macro (from
 * tests/check.h) and reading a whole file. */
#ifndef CTL_SIGV4_TESTUTIL_H
#define CTL_SIGV4_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>

#include "../check.h"

/* The whole file, NUL-terminated, in a malloc'd buffer the caller frees
 * (*len without the NUL); NULL when it cannot be read. */
static inline char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n + 1 < cap)
            break;
        char *bigger = realloc(buf, cap * 2);
        if (!bigger)
            free(buf);
        buf = bigger;
        cap *= 2;
    }
    int err = ferror(f);
    fclose(f);
    if (!buf || err) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

#endif
