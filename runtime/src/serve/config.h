/* serve/config.h: the FunctionEventInvokeConfig operations of Lambda's
 * API on HTTP (config.c), for the served functions; what they put is kept
 * in config_store.h. */
#ifndef CTL_SERVE_CONFIG_H
#define CTL_SERVE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "base/private.h"
#include "serve/state.h"

CTLI_BEGIN_PRIVATE

/* Answers one of the operations on /2019-09-25/functions/{fn}/event-invoke-config:
 * PUT (Put), POST (Update), GET (Get), DELETE (Delete); with list, GET
 * .../event-invoke-config/list (ListFunctionEventInvokeConfigs). fn is the
 * path segment (n bytes). */
enum MHD_Result ctli_serve_config_request(serve *s, req *r, const char *method, const char *fn, size_t n,
                                          bool list);

CTLI_END_PRIVATE

#endif
