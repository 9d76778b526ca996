/* serve/discovery.h: what tools ask before they invoke (discovery.c):
 * ListFunctions and GetFunction for the served controllers. */
#ifndef CTL_SERVE_DISCOVERY_H
#define CTL_SERVE_DISCOVERY_H

#include <stddef.h>

#include "base/private.h"
#include "serve/state.h"

CTLI_BEGIN_PRIVATE

/* GET /2015-03-31/functions/ (ListFunctions): every served controller's
 * FunctionConfiguration, in serve's order, MaxItems a page (1..10000,
 * default 50) and NextMarker the next page's start. */
enum MHD_Result ctli_serve_list_functions(serve *s, req *r);

/* GET /2015-03-31/functions/{fn} (GetFunction; fn is the path segment, n
 * bytes): {"Configuration": the FunctionConfiguration}; an unknown name
 * gets 404 ResourceNotFoundException. */
enum MHD_Result ctli_serve_get_function(serve *s, req *r, const char *fn, size_t n);

CTLI_END_PRIVATE

#endif
