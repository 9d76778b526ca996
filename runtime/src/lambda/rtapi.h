/* lambda/rtapi.h: the Lambda custom-runtime loop (rtapi.c). */
#ifndef CTL_LAMBDA_RTAPI_H
#define CTL_LAMBDA_RTAPI_H

#include <stddef.h>

#include "ctl/ctl.h"

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* Lambda Managed Instances' variable: how many invocations Lambda gives
 * one execution environment at once, and so how many pollers the loop
 * runs. Its values: 1 to Lambda's largest PerExecutionEnvironmentMaxConcurrency
 * (the Lambda API reference's range, 1 to 1600); anything else fails the
 * start (init/error). */
#define CTLI_RTAPI_CONCURRENCY_VAR "AWS_LAMBDA_MAX_CONCURRENCY"
#define CTLI_RTAPI_MAX_CONCURRENCY 1600

/* The loop, run by ctl_main when AWS_LAMBDA_RUNTIME_API is set and no
 * subcommand is given, with one poller or AWS_LAMBDA_MAX_CONCURRENCY of
 * them. Returns the process's exit status (it returns only when the
 * Runtime API fails or start-up fails). */
int ctli_rtapi_main(const char *prog, const ctl_controller *const *hosted, size_t nhosted);

CTLI_END_PRIVATE

#endif
