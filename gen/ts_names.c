/* ts_names.c: the TypeScript names of `ctlc ts` (see ts_names.h). */
#include <stdlib.h>
#include <string.h>

#include "ts_names.h"

/* Reserved words and type keywords of TypeScript 5 (strict mode, modules),
 * and the globals and imports a generated module names. Sorted bytewise
 * for bsearch. */
static const char *const reserved[] = {
    "Array", "BigInt", "Boolean", "Error", "InvokeCommand", "JSON", "LambdaClient", "Map", "Number", "Object",
    "Promise", "ReadonlyArray", "ReadonlyMap", "ReadonlySet", "Record", "Set", "String", "Symbol", "TextDecoder",
    "TextEncoder", "Uint8Array", "any", "as", "async", "await", "bigint", "boolean", "break", "case", "catch",
    "class", "const", "continue", "ctl", "debugger", "declare", "default", "delete", "do", "else", "enum", "eval",
    "export", "extends", "false", "finally", "for", "function", "globalThis", "if", "implements", "import", "in",
    "infer", "instanceof", "interface", "keyof", "let", "never", "new", "null", "number", "object", "package",
    "private", "protected", "public", "readonly", "return", "static", "string", "super", "switch", "symbol", "this",
    "throw", "true", "try", "type", "typeof", "undefined", "unique", "unknown", "var", "void", "while", "with",
    "yield",
};

static int by_bytes(const void *key, const void *elem)
{
    return strcmp((const char *)key, *(const char *const *)elem);
}

bool ctlc_ts_reserved(const char *z, size_t n)
{
    char buf[32];
    if (n >= sizeof buf)
        return false;
    memcpy(buf, z, n);
    buf[n] = '\0';
    return bsearch(buf, reserved, sizeof reserved / sizeof reserved[0], sizeof reserved[0], by_bytes) != NULL;
}

const char *ctlc_ts_type(ctlc_arena *a, const ctlc_decl *d)
{
    return ctlc_printf(a, "%.*s%s", (int)d->name.n, d->name.z, ctlc_ts_reserved(d->name.z, d->name.n) ? "_" : "");
}

const char *ctlc_ts_field(ctlc_arena *a, const ctlc_field *f)
{
    bool proto = f->name.n == 9 && memcmp(f->name.z, "__proto__", 9) == 0;
    return ctlc_printf(a, "%.*s%s", (int)f->name.n, f->name.z, proto ? "_" : "");
}

const char *ctlc_ts_pascal(ctlc_arena *a, const char *z, size_t n)
{
    char *out = ctlc_alloc(a, n + 1);
    size_t k = 0;
    bool up = true;
    for (size_t i = 0; i < n; i++) {
        char c = z[i];
        if (c == '_') {
            up = true;
            continue;
        }
        out[k++] = up && c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
        up = false;
    }
    out[k] = '\0';
    return out;
}

/* PascalCase of a name, numbered from 2 when `earlier` of the names before
 * it (controllers of its spec, functions of its controller) come out the
 * same: a_b, aB and a__b are AB, AB2 and AB3 (as `ctlc sam` numbers its
 * logical IDs). */
static const char *numbered(ctlc_arena *a, ctlc_name name, size_t earlier)
{
    const char *p = ctlc_ts_pascal(a, name.z, name.n);
    return earlier ? ctlc_printf(a, "%s%zu", p, earlier + 1) : p;
}

static const char *ctrl_base(ctlc_arena *a, const ctlc_decl *ctrl)
{
    const char *p = ctlc_ts_pascal(a, ctrl->name.z, ctrl->name.n);
    size_t earlier = 0;
    for (const ctlc_decl *d = ctrl->spec->decls; d && d != ctrl; d = d->next)
        if (d->kind == CTLC_D_CONTROLLER && strcmp(ctlc_ts_pascal(a, d->name.z, d->name.n), p) == 0)
            earlier++;
    return numbered(a, ctrl->name, earlier);
}

static const char *func_base(ctlc_arena *a, const ctlc_decl *ctrl, const ctlc_func *f)
{
    const char *p = ctlc_ts_pascal(a, f->name.z, f->name.n);
    size_t earlier = 0;
    for (const ctlc_func *e = ctrl->funcs; e && e != f; e = e->next)
        if (strcmp(ctlc_ts_pascal(a, e->name.z, e->name.n), p) == 0)
            earlier++;
    return numbered(a, f->name, earlier);
}

const char *ctlc_ts_func(ctlc_arena *a, const ctlc_decl *ctrl, const ctlc_func *f, ctlc_ts_role role)
{
    const char *c = ctrl_base(a, ctrl), *fn = func_base(a, ctrl, f);
    switch (role) {
    case CTLC_TS_ARGS: return ctlc_printf(a, "%s%sArgs", c, fn);
    case CTLC_TS_RESULT: return ctlc_printf(a, "%s%sResult", c, fn);
    case CTLC_TS_SEND: return ctlc_printf(a, "send%s", fn);
    case CTLC_TS_CALL: return ctlc_printf(a, "call%s", fn);
    case CTLC_TS_READ: return ctlc_printf(a, "read$%s$%s", c, fn);
    case CTLC_TS_WRITE: return ctlc_printf(a, "write$%s$%s", c, fn);
    case CTLC_TS_READ_RESULT: return ctlc_printf(a, "read$%s$%s$result", c, fn);
    case CTLC_TS_WRITE_RESULT: return ctlc_printf(a, "encode%s%sResult", c, fn);
    case CTLC_TS_WRITE_RESULT_VALUE: return ctlc_printf(a, "write$%s$%s$result", c, fn);
    }
    return "";
}

const char *ctlc_ts_client(ctlc_arena *a, const ctlc_decl *ctrl)
{
    return ctlc_printf(a, "%sClient", ctrl_base(a, ctrl));
}

const char *ctlc_ts_event_type(ctlc_arena *a, const ctlc_decl *ctrl)
{
    return ctlc_printf(a, "%sEvent", ctrl_base(a, ctrl));
}

const char *ctlc_ts_event_reader(ctlc_arena *a, const ctlc_decl *ctrl)
{
    return ctlc_printf(a, "read%sEvent", ctrl_base(a, ctrl));
}

const char *ctlc_ts_handlers(ctlc_arena *a, const ctlc_decl *ctrl)
{
    return ctlc_printf(a, "%sHandlers", ctrl_base(a, ctrl));
}

const char *ctlc_ts_dispatch(ctlc_arena *a, const ctlc_decl *ctrl)
{
    return ctlc_printf(a, "dispatch%s", ctrl_base(a, ctrl));
}

const char *ctlc_ts_handler(ctlc_arena *a, const ctlc_decl *ctrl)
{
    return ctlc_printf(a, "handler%s", ctrl_base(a, ctrl));
}

const char *ctlc_ts_decode(ctlc_arena *a, const ctlc_decl *d)
{
    return ctlc_printf(a, "decode%.*s", (int)d->name.n, d->name.z);
}

const char *ctlc_ts_encode(ctlc_arena *a, const ctlc_decl *d)
{
    return ctlc_printf(a, "encode%.*s", (int)d->name.n, d->name.z);
}

const char *ctlc_ts_reader(ctlc_arena *a, const ctlc_decl *d)
{
    return ctlc_printf(a, "read$%.*s", (int)d->name.n, d->name.z);
}

const char *ctlc_ts_writer(ctlc_arena *a, const ctlc_decl *d)
{
    return ctlc_printf(a, "write$%.*s", (int)d->name.n, d->name.z);
}

const char *ctlc_ts_members(ctlc_arena *a, const ctlc_decl *d)
{
    return ctlc_printf(a, "members$%.*s", (int)d->name.n, d->name.z);
}

const char *ctlc_ts_functions(ctlc_arena *a, const ctlc_decl *ctrl)
{
    return ctlc_printf(a, "functions$%s", ctrl_base(a, ctrl));
}

const char *ctlc_ts_module(ctlc_arena *a, const ctlc_spec *spec)
{
    const char *path = spec->src->path, *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t n = strlen(base);
    if (n > 4 && strcmp(base + n - 4, ".ctl") == 0)
        n -= 4;
    return ctlc_printf(a, "%.*s", (int)n, base);
}
