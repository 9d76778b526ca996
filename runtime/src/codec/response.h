/* codec/response.h: ctl_response as the Lambda error object, and the
 * thread's kept body memory (response.c). */
#ifndef CTL_CODEC_RESPONSE_H
#define CTL_CODEC_RESPONSE_H

#include "ctl/ctl.h"
#include "ctl/gen.h"

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* Fills resp with the Lambda error object {"errorType","errorMessage"} of
 * status/type/message (all copied; NULL type or message: the status's
 * own). Returns status, or CTL_ERR_NOMEM with body NULL. */
ctl_status ctli_response_error(ctl_response *resp, ctl_status status, const char *type, const char *message);

/* An empty buffer for a response body: the memory this thread kept from
 * its last freed body, if any (the caller owns it now), else none (the
 * first write mallocs). */
ctl_buf ctli_response_buf(void);

/* Gives b's memory back: kept for this thread's next body when it has no
 * buffer yet and b is at most 256 KiB and not failed, else freed; b is
 * left empty. NULL is a no-op. */
void ctli_response_keep(ctl_buf *b);

/* Frees the memory this thread kept (ctli_thread_release). */
void ctli_response_release(void);

CTLI_END_PRIVATE

#endif
