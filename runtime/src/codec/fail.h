/* codec/fail.h: what fail.c offers libctl beyond ctl/gen.h's ctl_fail_*. */
#ifndef CTL_CODEC_FAIL_H
#define CTL_CODEC_FAIL_H

#include "ctl/gen.h"

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* Appends the JSON text of a path ("$.a[2]") to b. */
void ctli_path_format(ctl_buf *b, const ctl_path *path);

/* Appends n bytes of k as a JSON string, bytes that are not valid UTF-8 or
 * printable ASCII as \u escapes: a message stays text whatever k holds. */
void ctli_put_quoted(ctl_buf *b, const char *k, uint32_t n);

/* Sets ctx's error to "PATH: MESSAGE" (ctl.InvalidPayload), the words every
 * reader and writer fails with, unless an error is set; returns -1. A NULL
 * ctx (a writer asked for the verdict only) just returns -1. */
int ctli_fail_at(ctl_ctx *ctx, const ctl_path *path, const char *fmt, ...) CTL_PRINTF(3, 4);

/* A function of ctl/gen.h called wrongly (a NULL where a pointer must be):
 * sets ctx's error to "FUNCTION: WHAT" (ctl.UsageError) unless one is set;
 * returns -1. */
int ctli_fail_usage(ctl_ctx *ctx, const char *function, const char *what);

CTLI_END_PRIVATE

#endif
