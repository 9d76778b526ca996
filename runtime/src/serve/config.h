/* serve/config.h: Lambda's asynchronous-invocation configuration of the
 * served functions (config.c): the FunctionEventInvokeConfig operations on
 * HTTP, the settings they put (read by the async core through its settings
 * hook), and their file next to the journal. */
#ifndef CTL_SERVE_CONFIG_H
#define CTL_SERVE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "base/private.h"
#include "client/async.h"
#include "serve/state.h"

CTLI_BEGIN_PRIVATE

/* The file, in the --journal directory: one JSON object a line per
 * function configured through the API, written whole to FILE.new, synced,
 * then renamed over FILE. */
#define CTLI_SERVE_CONFIG_FILE "event-invoke-config.jsonl"

/* Reads DIR/event-invoke-config.jsonl (none: no function is configured)
 * into s->config, for the served controllers (s->hosted: after --only was
 * applied); the lines of other controllers are kept as they are and
 * written back. 0, or -1 with err set ("PATH:LINE: what is wrong") when
 * the file cannot be read or a line is damaged: serve does not start on a
 * configuration it cannot read rather than forget it. Call before any
 * thread reads s->config. */
int ctli_serve_config_open(serve *s, char *err, size_t cap);

/* Frees s->config (NULL: nothing). */
void ctli_serve_config_close(serve *s);

/* The async core's settings hook (ctli_async_settings_fn; user is the
 * serve): the settings put through the API for controller c, if any. One
 * atomic load: no lock, safe under the core's lock and s->mu. */
bool ctli_serve_config_settings(void *user, const ctl_controller *c, ctli_async_settings *out);

/* Answers one of the operations on /2019-09-25/functions/{fn}/event-invoke-config:
 * PUT (Put), POST (Update), GET (Get), DELETE (Delete); with list, GET
 * .../event-invoke-config/list (ListFunctionEventInvokeConfigs). fn is the
 * path segment (n bytes). */
enum MHD_Result ctli_serve_config_request(serve *s, req *r, const char *method, const char *fn, size_t n,
                                          bool list);

CTLI_END_PRIVATE

#endif
