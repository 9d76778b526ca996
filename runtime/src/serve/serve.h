/* serve/serve.h: `BIN serve`, the local Lambda Invoke endpoint (main.c and
 * the rest of serve/). */
#ifndef CTL_SERVE_SERVE_H
#define CTL_SERVE_SERVE_H

#include <stddef.h>

#include "ctl/ctl.h"

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* Runs `PROG serve ARGS...` (argv[0] is "serve") hosting the n controllers
 * (borrowed, static). Returns the exit status: 0 after a clean drain on
 * SIGTERM or SIGINT (or after --help), 2 on a usage or start-up error. */
int ctli_serve_main(const char *prog, int argc, char **argv, const ctl_controller *const *hosted, size_t n);

CTLI_END_PRIVATE

#endif
