/* codec/json_scan.h: the JSON scanner both of libctl's readers stand on
 * (json_scan.c): whitespace, strings, numbers, literals, and a value
 * skipped whole. The tree reader (json_read.c) builds ctl_json nodes from
 * what it scans; the one-pass readers of generated code (text_read.c) read
 * typed values from it straight into their structs. Same grammar, same
 * limits, same messages for both. */
#ifndef CTL_CODEC_JSON_SCAN_H
#define CTL_CODEC_JSON_SCAN_H

#include <stdbool.h>
#include <stdint.h>

#include "ctl/gen.h"

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* The message of nesting deeper than CTL_JSON_MAX_DEPTH (compared by
 * address: ctli_json_too_deep). */
extern const char ctli_scan_too_deep[];

/* Records message at byte at as the cursor's error unless one is set;
 * returns false. */
bool ctli_scan_fail(ctl_cursor *r, const unsigned char *at, const char *message);

/* Steps over JSON whitespace. */
static inline void ctli_scan_ws(ctl_cursor *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
        r->p++;
}

/* The string at r->p (on its opening quote), decoded into r->arena,
 * NUL-terminated, with its length and CTL_JSON_* flags; with out NULL it is
 * only checked (nothing is allocated; outlen and flags may be NULL then). */
bool ctli_scan_string(ctl_cursor *r, const char **out, uint32_t *outlen, uint8_t *flags);

/* The number at r->p, checked against the JSON grammar: its text. */
bool ctli_scan_number(ctl_cursor *r, const char **text, uint32_t *len);

/* The literal word (true, false, null) of n bytes at r->p. */
bool ctli_scan_literal(ctl_cursor *r, const char *word, size_t n);

/* Steps over one value at r->p, checked as the tree reader checks it
 * (depth included); nothing is allocated. */
bool ctli_scan_skip(ctl_cursor *r);

CTLI_END_PRIVATE

#endif
