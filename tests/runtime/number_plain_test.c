/* number_plain_test.c: ctli_number_plain (codec/number.h), the one-pass
 * readers' common number, against its rule read a byte at a time here: an
 * optional '-', "0" or a digit 1-9 and more digits, maybe '.' and digits,
 * at most 15 digits in all, then a byte that is not a digit, '.', 'e' or
 * 'E'; its digits as one integer and the count after the '.'. Texts of
 * every shape up to 17 digits a side, each followed by each kind of byte,
 * both well before end and at the very end of a heap block (ASan sees
 * any read past it). Links ctl_internal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check.h"

#include "codec/number.h"

/* The rule, byte by byte: the byte after the number, or NULL. */
static const unsigned char *by_bytes(const unsigned char *p, const unsigned char *end, uint64_t *digits, int *frac,
                                     bool *neg)
{
    *neg = p < end && *p == '-';
    p += *neg;
    const unsigned char *s = p;
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    size_t whole = (size_t)(p - s);
    if (whole == 0 || (whole > 1 && *s == '0'))
        return NULL;
    const unsigned char *f = p;
    size_t n = 0;
    if (p < end && *p == '.') {
        f = ++p;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
        n = (size_t)(p - f);
        if (n == 0)
            return NULL;
    }
    if (whole + n > 15 || (p < end && (*p == '.' || *p == 'e' || *p == 'E')))
        return NULL;
    uint64_t m = 0;
    for (const unsigned char *d = s; d < s + whole; d++)
        m = m * 10 + (uint64_t)(*d - '0');
    for (const unsigned char *d = f; d < f + n; d++)
        m = m * 10 + (uint64_t)(*d - '0');
    *digits = m;
    *frac = (int)n;
    return p;
}

/* text (n bytes) read where it lies in a buffer of len bytes, the rest
 * of it filler; at the buffer's end when len is n. */
static void agree(const char *text, size_t n, size_t len, unsigned char filler)
{
    unsigned char *buf = malloc(len);
    if (!buf) {
        CHECK(false, "out of memory");
        return;
    }
    memset(buf, filler, len);
    memcpy(buf, text, n);
    const unsigned char *end = buf + len;
    uint64_t d1 = 0, d2 = 0;
    int f1 = -1, f2 = -1;
    bool n1 = false, n2 = false;
    const unsigned char *want = by_bytes(buf, end, &d1, &f1, &n1), *got = ctli_number_plain(buf, end, &d2, &f2, &n2);
    bool same = got == want && (!want || (d1 == d2 && f1 == f2 && n1 == n2));
    CHECK(same, "\"%.*s\" in %zu bytes (then 0x%02x): %s at %td (%llu, %d), not %s at %td (%llu, %d)", (int)n, text,
          len, filler, got ? "read" : "refused", got ? got - buf : 0, (unsigned long long)d2, f2,
          want ? "read" : "refused", want ? want - buf : 0, (unsigned long long)d1, f1);
    free(buf);
}

int main(void)
{
    static const char *const heads[] = { "", "-" };
    static const unsigned char after[] = { ',', '}', ']', ' ', '.', 'e', 'E', '5', 'x', '"', 0x80 };
    char whole[20], part[20], text[64];
    for (size_t h = 0; h < 2; h++)
        for (int wn = 0; wn <= 17; wn++)
            for (int lead = 0; lead < 3; lead++) {
                /* leading digit 1-9, a lone or leading 0, and 9s */
                for (int i = 0; i < wn; i++)
                    whole[i] = (char)(lead == 1 && i == 0 ? '0' : lead == 2 ? '9' : '1' + (i * 7) % 9);
                whole[wn] = '\0';
                for (int fn = -1; fn <= 17; fn++) {
                    /* fn -1: no '.'; 0: a '.' with no digit */
                    for (int i = 0; i < fn; i++)
                        part[i] = (char)('0' + (i * 3 + wn) % 10);
                    part[fn > 0 ? fn : 0] = '\0';
                    int n = snprintf(text, sizeof text, "%s%s%s%s", heads[h], whole, fn >= 0 ? "." : "", part);
                    for (size_t a = 0; a < sizeof after; a++) {
                        agree(text, (size_t)n, (size_t)n, after[a]);      /* at the end */
                        agree(text, (size_t)n, (size_t)n + 1, after[a]);  /* one byte after */
                        agree(text, (size_t)n, (size_t)n + 24, after[a]); /* well before end */
                    }
                }
            }
    /* every byte value right after a digit and after a fraction's digit */
    for (int b = 0; b < 256; b++) {
        char t[8] = "12";
        agree(t, 2, 40, (unsigned char)b);
        memcpy(t, "1.5", 3);
        agree(t, 3, 40, (unsigned char)b);
    }
    printf("number_plain: %d checks, %d failures\n", checks, failures);
    return failures ? 1 : 0;
}
