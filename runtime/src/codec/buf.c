/* buf.c: the growable byte buffer (ctl/gen.h's ctl_buf) that writers
 * append to and messages are built in. */
#include <stdint.h>
#include <stdlib.h>

#include "ctl/gen.h"

bool ctl_buf_reserve(ctl_buf *b, size_t n)
{
    if (!b || b->failed)
        return false;
    if (b->cap - b->len >= n)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len < n) {
        if (cap > SIZE_MAX / 2) {
            b->failed = true;
            return false;
        }
        cap *= 2;
    }
    char *data = realloc(b->data, cap);
    if (!data) {
        b->failed = true;
        return false;
    }
    b->data = data;
    b->cap = cap;
    return true;
}

void ctl_buf_free(ctl_buf *b)
{
    if (!b)
        return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}
