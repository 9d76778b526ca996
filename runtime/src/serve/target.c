/* serve/target.c: the function a request names: its FunctionName and
 * Qualifier resolved to a served controller, and the ARNs serve writes
 * (see target.h). */
#include <stdio.h>
#include <string.h>

#include "base/hex.h"
#include "serve/http.h"
#include "serve/target.h"

/* Percent-decodes n bytes of s into out (cap bytes, NUL-terminated).
 * -1 on a bad escape, a NUL or overflow. */
static int url_decode(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        if (c == '%') {
            int a = i + 1 < n ? ctli_hex_digit(s[i + 1]) : -1, b = i + 2 < n ? ctli_hex_digit(s[i + 2]) : -1;
            if (a < 0 || b < 0)
                return -1;
            c = a * 16 + b;
            i += 2;
        }
        if (c == 0 || o + 1 >= cap)
            return -1;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    return 0;
}

void ctli_serve_function_arn(const serve *s, const char *name, const char *account, const char *qualifier,
                             char *out, size_t cap)
{
    ctli_function_arn(s->region, account, name, qualifier, out, cap);
}

int ctli_serve_resolve(serve *s, req *r, const char *seg, size_t n, ctli_serve_target *t, enum MHD_Result *out)
{
    char decoded[256], why[256];
    ctli_function_name fn;
    memset(t, 0, sizeof *t);
    if (url_decode(seg, n, decoded, sizeof decoded) != 0 ||
        ctli_function_name_parse(decoded, &fn, why, sizeof why) != 0) {
        snprintf(r->function, sizeof r->function, "%.*s", (int)(n < 60 ? n : 60), seg);
        *out = ctli_serve_error(s, r, 400, "ValidationException", "message",
                                "1 validation error detected: Value '%.*s' at 'functionName' failed to satisfy "
                                "constraint: Member must be a function name, a name:qualifier, a partial ARN "
                                "or a function ARN",
                                (int)(n < 200 ? n : 200), seg);
        return -1;
    }
    snprintf(t->name, sizeof t->name, "%.*s", (int)fn.name.n, fn.name.s);
    snprintf(t->account, sizeof t->account, "%.*s", (int)fn.account.n, fn.account.s);
    snprintf(t->qualifier, sizeof t->qualifier, "%.*s", (int)fn.qualifier.n, fn.qualifier.s);
    snprintf(r->function, sizeof r->function, "%.*s", (int)fn.name.n, fn.name.s);
    const char *qparam = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "Qualifier");
    if (qparam) {
        char qdec[256];
        if (url_decode(qparam, strlen(qparam), qdec, sizeof qdec) != 0 ||
            !ctli_function_qualifier_ok(qdec, strlen(qdec))) {
            *out = ctli_serve_error(s, r, 400, "ValidationException", "message",
                                    "1 validation error detected: Value '%.100s' at 'qualifier' failed to satisfy "
                                    "constraint: Member must satisfy regular expression pattern: "
                                    "(|[a-zA-Z0-9$_-]+)",
                                    qparam);
            return -1;
        }
        if (*t->qualifier && strcmp(t->qualifier, qdec) != 0) {
            *out = ctli_serve_error(s, r, 400, "InvalidParameterValueException", "message",
                                    "The derived qualifier from the function name does not match the specified "
                                    "qualifier.");
            return -1;
        }
        snprintf(t->qualifier, sizeof t->qualifier, "%s", qdec);
    }
    t->controller = r->controller = ctli_serve_find_controller(s, t->name);
    if (!t->controller) {
        char arn[512];
        ctli_serve_function_arn(s, t->name, t->account, t->qualifier, arn, sizeof arn);
        *out = ctli_serve_error(s, r, 404, "ResourceNotFoundException", "Message", "Function not found: %s", arn);
        return -1;
    }
    return 0;
}
