/* codec/record_read.h: what dispatch asks of an invocation record
 * (record_read.c; its reader, ctl_record_read, is in ctl/gen.h). */
#ifndef CTL_CODEC_RECORD_READ_H
#define CTL_CODEC_RECORD_READ_H

#include <stdbool.h>

#include "ctl/json.h"

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* Whether an event is Lambda's invocation record rather than an event of
 * the pattern: an object with "requestContext" and "requestPayload" and
 * no "function". */
bool ctli_is_record(const ctl_json *root);

CTLI_END_PRIVATE

#endif
