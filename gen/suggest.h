/* suggest.h: "did you mean ...?" for a name that names nothing.
 *
 * Feed every candidate; the best is the one at the smallest edit distance
 * (insertions, deletions, substitutions and swaps of neighbours, letters
 * compared without case), if that distance is small for the name's length:
 * at most a third of it, and at least 1. A candidate that differs only in
 * case always wins. Ties go to the first candidate fed. */
#ifndef CTLC_SUGGEST_H
#define CTLC_SUGGEST_H

#include <stddef.h>

typedef struct ctlc_suggest {
    const char *z;          /* the name looked up (borrowed) */
    size_t n;
    const char *best;       /* the best candidate so far (borrowed), or NULL */
    size_t best_n;
    size_t best_d;
} ctlc_suggest;

/* Starts a search for names like the n bytes at z (borrowed until done). */
void ctlc_suggest_init(ctlc_suggest *s, const char *z, size_t n);

/* Considers the n bytes at z (borrowed until done) as a candidate. */
void ctlc_suggest_add(ctlc_suggest *s, const char *z, size_t n);

/* Considers a NUL-terminated candidate. */
void ctlc_suggest_addz(ctlc_suggest *s, const char *z);

#endif
