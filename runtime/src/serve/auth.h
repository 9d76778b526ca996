/* serve/auth.h: checking a request's signature, for --require-auth (auth.c). */
#ifndef CTL_SERVE_AUTH_H
#define CTL_SERVE_AUTH_H

#include "base/private.h"
#include "serve/state.h"

CTLI_BEGIN_PRIVATE

/* 0 when r (url and method as they came) is signed with the server's
 * credentials, for its region and the service lambda, within 15 minutes
 * of its clock; otherwise r has been
 * answered with Lambda's 403 (*out is MHD's result) and -1 returned. */
int ctli_serve_check_auth(serve *s, req *r, const char *url, const char *method, enum MHD_Result *out);

/* The same but the signature (which covers the body): at the door, on the
 * headers alone, so a request that cannot be signed right is refused
 * before its body is read. */
int ctli_serve_check_auth_headers(serve *s, req *r, enum MHD_Result *out);

CTLI_END_PRIVATE

#endif
