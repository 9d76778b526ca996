/* lambda/part_rtapi.c: libctl_rtapi, the Runtime API loop (rtapi.c, its
 * HTTP/1.1 client, crash reports: libc only), registered with the core
 * (base/parts.h) when the part is linked: ctl_main runs it on Lambda. */
#include "ctl/gen.h"

#include "base/parts.h"
#include "lambda/rtapi.h"

const char ctl_part_rtapi[] = "libctl_rtapi";

__attribute__((constructor)) static void register_part(void)
{
    ctli_linked.rtapi_main = ctli_rtapi_main;
}
