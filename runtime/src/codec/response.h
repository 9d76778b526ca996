/* codec/response.h: ctl_response as the Lambda error object (response.c). */
#ifndef CTL_CODEC_RESPONSE_H
#define CTL_CODEC_RESPONSE_H

#include "ctl/ctl.h"

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* Fills resp with the Lambda error object {"errorType","errorMessage"} of
 * status/type/message (all copied; NULL type or message: the status's
 * own). Returns status, or CTL_ERR_NOMEM with body NULL. */
ctl_status ctli_response_error(ctl_response *resp, ctl_status status, const char *type, const char *message);

CTLI_END_PRIVATE

#endif
