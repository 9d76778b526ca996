/* suggest.c: the closest candidate to a mistyped name (see suggest.h). */
#include <string.h>

#include "suggest.h"

/* Names longer than this are not compared (a suggestion for them would be
 * a guess, and the table below stays on the stack). */
enum { MAX_LEN = 64 };

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Optimal string alignment distance of a and b, letters without case. */
static size_t distance(const char *a, size_t an, const char *b, size_t bn)
{
    size_t rows[3][MAX_LEN + 1];
    size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= bn; j++)
        prev[j] = j;
    for (size_t i = 1; i <= an; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= bn; j++) {
            size_t cost = lower(a[i - 1]) != lower(b[j - 1]);
            size_t d = prev[j - 1] + cost;
            if (prev[j] + 1 < d)
                d = prev[j] + 1;
            if (cur[j - 1] + 1 < d)
                d = cur[j - 1] + 1;
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]) &&
                prev2[j - 2] + 1 < d)
                d = prev2[j - 2] + 1;
            cur[j] = d;
        }
        size_t *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[bn];
}

void ctlc_suggest_init(ctlc_suggest *s, const char *z, size_t n)
{
    s->z = z;
    s->n = n;
    s->best = NULL;
    s->best_n = 0;
    s->best_d = (size_t)-1;
}

void ctlc_suggest_add(ctlc_suggest *s, const char *z, size_t n)
{
    if (s->n == 0 || s->n > MAX_LEN || n > MAX_LEN || (n == s->n && memcmp(z, s->z, n) == 0))
        return;
    size_t limit = s->n / 3 > 1 ? s->n / 3 : 1;
    size_t diff = n > s->n ? n - s->n : s->n - n;
    if (diff > limit)
        return;
    size_t d = distance(s->z, s->n, z, n);
    /* Case alone counts as the smallest difference there is. */
    if (d == 0 || (d <= limit && d < s->best_d)) {
        if (d == 0 && s->best_d == 0)
            return;
        s->best = z;
        s->best_n = n;
        s->best_d = d;
    }
}

void ctlc_suggest_addz(ctlc_suggest *s, const char *z)
{
    ctlc_suggest_add(s, z, strlen(z));
}
