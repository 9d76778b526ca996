/* lambda/rtapi.h: the Lambda custom-runtime loop (rtapi.c). */
#ifndef CTL_LAMBDA_RTAPI_H
#define CTL_LAMBDA_RTAPI_H

#include <stddef.h>

#include "ctl/ctl.h"

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* The loop, run by ctl_main when AWS_LAMBDA_RUNTIME_API is set and no
 * subcommand is given. Returns the process's exit status (it returns only
 * when the Runtime API fails or start-up fails). */
int ctli_rtapi_main(const char *prog, const ctl_controller *const *hosted, size_t nhosted);

CTLI_END_PRIVATE

#endif
