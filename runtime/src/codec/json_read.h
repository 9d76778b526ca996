/* codec/json_read.h: what the JSON reader (json_read.c; its API is
 * ctl/json.h) tells libctl beyond the public header: which of its errors
 * is the depth limit, so that messages can name the limit rather than
 * call the text "not JSON". */
#ifndef CTL_CODEC_JSON_READ_H
#define CTL_CODEC_JSON_READ_H

#include <stdbool.h>

#include "ctl/json.h"

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* True when err is the reader's refusal of nesting deeper than
 * CTL_JSON_MAX_DEPTH (the text may be JSON; the reader does not go that
 * deep). */
bool ctli_json_too_deep(const ctl_json_error *err);

CTLI_END_PRIVATE

#endif
