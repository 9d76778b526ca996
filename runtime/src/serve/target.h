/* serve/target.h: the function a request names (target.c): the
 * FunctionName of its path, parsed with Lambda's rules by the one parser
 * (client/function_name.c), and its Qualifier query, resolved to a served
 * controller. Invoke, the event-invoke-config API and GetFunction share it. */
#ifndef CTL_SERVE_TARGET_H
#define CTL_SERVE_TARGET_H

#include <stddef.h>

#include "base/private.h"
#include "client/function_name.h"
#include "serve/state.h"

CTLI_BEGIN_PRIVATE

typedef struct ctli_serve_target {
    const ctl_controller *controller; /* the served controller of that name */
    char name[CTLI_FUNCTION_NAME_MAX + 1];
    char account[16];                 /* as the FunctionName gave it, or "" */
    char qualifier[129];              /* from the name or the Qualifier query, or "" */
} ctli_serve_target;

/* Resolves the FunctionName in the path segment seg (n bytes,
 * percent-encoded or not) and r's Qualifier query: 0 with *t filled (and
 * r->function, r->controller set), or -1 after answering r (*out): 400
 * ValidationException (a malformed name or qualifier), 400
 * InvalidParameterValueException (the name's qualifier differs from the
 * query's), 404 ResourceNotFoundException (no served controller of that
 * name). Every qualifier names the one build that runs. */
int ctli_serve_resolve(serve *s, req *r, const char *seg, size_t n, ctli_serve_target *t, enum MHD_Result *out);

/* arn:aws:lambda:REGION:ACCOUNT:function:NAME, then ":" and qualifier
 * when it is not NULL or "", into out (cap bytes); ACCOUNT is t's or
 * CTLI_FUNCTION_ACCOUNT_UNKNOWN (client/function_name.c writes it). */
void ctli_serve_function_arn(const serve *s, const char *name, const char *account, const char *qualifier,
                             char *out, size_t cap);

CTLI_END_PRIVATE

#endif
