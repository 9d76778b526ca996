/* serve/request.h: an HTTP request to serve, as libmicrohttpd hands it
 * over (request.c). */
#ifndef CTL_SERVE_REQUEST_H
#define CTL_SERVE_REQUEST_H

#include <stddef.h>

#include "base/private.h"
#include "serve/state.h"

CTLI_BEGIN_PRIVATE

/* MHD's access handler (cls: the serve): reads the body, then routes the
 * Invoke request to an event, a sync call or a DryRun. */
enum MHD_Result ctli_serve_on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                      const char *version, const char *upload_data, size_t *upload_size,
                                      void **req_cls);

/* MHD's completion notice: the request is answered or its client left. */
void ctli_serve_on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                             enum MHD_RequestTerminationCode code);

/* MHD's unescape callback: the path and query stay as they came (serve
 * decodes the FunctionName itself; SigV4 signs the raw form). */
size_t ctli_serve_keep_escapes(void *cls, struct MHD_Connection *c, char *s);

CTLI_END_PRIVATE

#endif
