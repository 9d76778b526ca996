/* serve/learn.h: what serve learns of each function's calls (learn.c). */
#ifndef CTL_SERVE_LEARN_H
#define CTL_SERVE_LEARN_H

#include <stddef.h>
#include <stdint.h>

#include "base/private.h"
#include "serve/state.h"

CTLI_BEGIN_PRIVATE

/* A handoff to a runner costs two thread switches, as much as the rest of
 * a no-op call: a function whose calls kept under 5 ms (8 in a row) runs
 * on the HTTP thread. A call of us microseconds teaches fn (NULL: nothing
 * to learn): a slower one sends it back to learning, the third makes it
 * FN_SLOW for good, as does a timeout. */
void ctli_serve_learn(fn_stat *fn, uint64_t us);

/* Parses r's body (len bytes) into r->ctx, once, and finds the function it
 * names (r->root, r->f; a parse or lookup error stays in r->ctx for the
 * run to answer). Returns that function's stats, or NULL. */
fn_stat *ctli_serve_prepare_call(serve *s, req *r, const char *body, size_t len);

CTLI_END_PRIVATE

#endif
