/* serve/part_serve.c: libctl_serve, `BIN serve` (serve/, over
 * libmicrohttpd), registered with the core (base/parts.h) when the part is
 * linked. */
#include "ctl/gen.h"

#include "base/parts.h"
#include "serve/serve.h"

const char ctl_part_serve[] = "libctl_serve";

__attribute__((constructor)) static void register_part(void)
{
    ctli_linked.serve_main = ctli_serve_main;
}
