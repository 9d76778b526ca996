/* emit_py.c: `ctlc py`, one Python module per spec (Python 3.9 and later).
 *
 * OUTDIR gets NAME.py for the spec and for each spec it imports, and
 * ctl_runtime.py (gen/ctl_runtime.py.in: libctl's reading and writing rules
 * in Python, the same text for every spec), as `ctlc ts` does. A module
 * imports ctl_runtime as _ctl and the module of each spec whose types it
 * names as _ctl_NAME, so an imported struct, enum or error is one class
 * whichever module reaches it. NAME.py holds, in this order: an enum.Enum
 * per enum and a dataclass per struct of its spec, a dataclass for each
 * function's payload and inline result, the type descriptors the runtime
 * reads and writes by (CTL_T_S, public: an importer's fields name them),
 * read_S()/write_S() per struct, and per controller a Protocol of its
 * handlers, C_dispatch() and C_handler() (the controller side) and C_client
 * (the caller side, over boto3). Names come from emit_py_names.c; routing
 * variables from common/rules.h. */
#include <stdlib.h>
#include <string.h>

#include "ctlc.h"
#include "emit_py.h"
#include "files.h"
#include "oom.h"
#include "strset.h"
#include "common/rules.h"


typedef struct py_emitter {
    ctlc_run *run;
    ctlc_arena *a;
    FILE *out;
    const ctlc_spec *spec;  /* the module's */
    const ctlc_spec **used; /* other specs whose names it uses, in first use's order */
    size_t nused;
    bool uses_enum, uses_dataclass;
} py_emitter;

static const char *gname(py_emitter *e, ctlc_name n)
{
    return ctlc_py_name(e->a, n.z, n.n, CTLC_PY_GLOBAL);
}

/* The name this module gives the module of spec s. */
static const char *module_alias(py_emitter *e, const ctlc_spec *s)
{
    return ctlc_printf(e->a, "_ctl_%s", ctlc_py_module(e->a, ctlc_spec_stem(e->a, s)));
}

/* What names declaration d from this module: "", or the alias of d's
 * module and a dot (the module is then imported). */
static const char *qual(py_emitter *e, const ctlc_decl *d)
{
    if (d->spec == e->spec)
        return "";
    size_t i = 0;
    while (i < e->nused && e->used[i] != d->spec)
        i++;
    if (i == e->nused)
        e->used[e->nused++] = d->spec;
    return ctlc_printf(e->a, "%s.", module_alias(e, d->spec));
}

static const char *fname(py_emitter *e, const ctlc_field *f)
{
    return ctlc_py_name(e->a, f->name.z, f->name.n, CTLC_PY_FIELD);
}

static const char *mname(py_emitter *e, const ctlc_member *m)
{
    return ctlc_py_name(e->a, m->name.z, m->name.n, CTLC_PY_MEMBER);
}

/* The payload class of f, and its inline result's class. */
static const char *args_class(py_emitter *e, const ctlc_decl *c, const ctlc_func *f)
{
    const char *s = ctlc_printf(e->a, "%.*s_%.*s_args", NAME(c->name), NAME(f->name));
    return ctlc_py_name(e->a, s, strlen(s), CTLC_PY_GLOBAL);
}

static const char *result_class(py_emitter *e, const ctlc_decl *c, const ctlc_func *f)
{
    if (f->result_decl)
        return ctlc_printf(e->a, "%s%s", qual(e, f->result_decl), gname(e, f->result_decl->name));
    const char *s = ctlc_printf(e->a, "%.*s_%.*s_result", NAME(c->name), NAME(f->name));
    return ctlc_py_name(e->a, s, strlen(s), CTLC_PY_GLOBAL);
}

static bool has_result(const ctlc_func *f)
{
    return f->result_decl || f->has_result_fields;
}

/* A Python str literal of the n bytes at s (valid UTF-8, kept as is). */
static void put_str(FILE *out, const char *s, size_t n)
{
    fputc('"', out);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c < 0x20 || c == 0x7f)
            fprintf(out, "\\x%02x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

/* A docstring at indent: backslashes escaped, and a quote that could end
 * it (before another, or last). */
static void put_docstring(FILE *out, const char *indent, const char *text, size_t n)
{
    fprintf(out, "%s\"\"\"", indent);
    for (size_t i = 0; i < n; i++) {
        char c = text[i];
        if (c == '\\' || (c == '"' && (i + 1 == n || text[i + 1] == '"')))
            fputc('\\', out);
        fputc(c, out);
        if (c == '\n' && i + 1 < n && text[i + 1] != '\n')
            fputs(indent, out);
    }
    fputs("\"\"\"\n", out);
}

static void put_doc(FILE *out, const char *indent, const ctlc_doc *doc, const char *fallback)
{
    if (doc)
        put_docstring(out, indent, doc->text, doc->len);
    else
        put_docstring(out, indent, fallback, strlen(fallback));
}

/* The shortest text that reads back as v: a Python float literal. */
static void put_float(py_emitter *e, double v)
{
    const char *text = ctlc_float_text(e->a, v);
    fputs(text, e->out);
    if (!strpbrk(text, ".e"))
        fputs(".0", e->out);
}

static void put_annotation(py_emitter *e, const ctlc_type *t)
{
    switch (t->kind) {
    case CTLC_T_STRING: fputs("str", e->out); break;
    case CTLC_T_INT: fputs("int", e->out); break;
    case CTLC_T_FLOAT: fputs("float", e->out); break;
    case CTLC_T_BOOL: fputs("bool", e->out); break;
    case CTLC_T_JSON: fputs("typing.Any", e->out); break;
    case CTLC_T_LIST:
        fputs("typing.List[", e->out);
        put_annotation(e, t->elem);
        fputc(']', e->out);
        break;
    case CTLC_T_MAP:
        fputs("typing.Dict[str, ", e->out);
        put_annotation(e, t->elem);
        fputc(']', e->out);
        break;
    case CTLC_T_NAMED: fprintf(e->out, "%s%s", qual(e, t->decl), gname(e, t->decl->name)); break;
    }
}

static void put_descriptor(py_emitter *e, const ctlc_type *t)
{
    switch (t->kind) {
    case CTLC_T_STRING: fputs("_ctl.T_STRING", e->out); break;
    case CTLC_T_INT: fputs("_ctl.T_INT", e->out); break;
    case CTLC_T_FLOAT: fputs("_ctl.T_FLOAT", e->out); break;
    case CTLC_T_BOOL: fputs("_ctl.T_BOOL", e->out); break;
    case CTLC_T_JSON: fputs("_ctl.T_JSON", e->out); break;
    case CTLC_T_LIST:
    case CTLC_T_MAP:
        fputs(t->kind == CTLC_T_LIST ? "_ctl.list_of(" : "_ctl.map_of(", e->out);
        put_descriptor(e, t->elem);
        fputc(')', e->out);
        break;
    case CTLC_T_NAMED: fprintf(e->out, "%sCTL_T_%s", qual(e, t->decl), gname(e, t->decl->name)); break;
    }
}

static const ctlc_member *find_member(const ctlc_decl *en, const ctlc_literal *lit)
{
    for (const ctlc_member *m = en->members; m; m = m->next)
        if (m->name.n == lit->n && memcmp(m->name.z, lit->z, lit->n) == 0)
            return m;
    return NULL;
}

/* A literal as a value of the field's type. */
static void put_literal(py_emitter *e, const ctlc_field *f, const ctlc_literal *lit)
{
    const ctlc_decl *en = f->type->kind == CTLC_T_NAMED ? f->type->decl : NULL;
    if (en && en->kind == CTLC_D_ENUM) {
        /* A member's name, whatever it lexed as (`true` names a member here). */
        const ctlc_member *m = find_member(en, lit);
        fprintf(e->out, "%s%s.%s", qual(e, en), gname(e, en->name), m ? mname(e, m) : "?");
        return;
    }
    switch (lit->kind) {
    case CTLC_LIT_STRING: put_str(e->out, lit->s, lit->slen); break;
    case CTLC_LIT_BOOL: fputs(lit->b ? "True" : "False", e->out); break;
    case CTLC_LIT_FLOAT: put_float(e, lit->f); break;
    case CTLC_LIT_INT:
        if (f->type->kind == CTLC_T_FLOAT)
            put_float(e, lit->f);
        else
            fprintf(e->out, "%lld", (long long)lit->i);
        break;
    case CTLC_LIT_IDENT: fputs("None", e->out); break; /* only an enum's default (above) */
    }
}

static bool has_default(const ctlc_field *f)
{
    return f->optional || f->dflt;
}

/* A dataclass: required fields first (Python wants those without a
 * default before the others), each in the spec's order. */
static void dataclass(py_emitter *e, const char *name, const ctlc_doc *doc, const char *fallback,
                      const ctlc_fields *fs)
{
    e->uses_dataclass = true;
    fprintf(e->out, "\n\n@dataclasses.dataclass\nclass %s:\n", name);
    put_doc(e->out, "    ", doc, fallback);
    for (int pass = 0; pass < 2; pass++)
        for (const ctlc_field *f = fs->first; f; f = f->next) {
            if (has_default(f) != (pass == 1))
                continue;
            if (f->doc) {
                fputs("    #: ", e->out);
                for (size_t i = 0; i < f->doc->len; i++) {
                    fputc(f->doc->text[i], e->out);
                    if (f->doc->text[i] == '\n')
                        fputs("    #: ", e->out);
                }
                fputc('\n', e->out);
            }
            fprintf(e->out, "    %s: ", fname(e, f));
            if (f->optional) {
                fputs("typing.Optional[", e->out);
                put_annotation(e, f->type);
                fputs("] = None\n", e->out);
            } else {
                put_annotation(e, f->type);
                if (f->dflt) {
                    fputs(" = ", e->out);
                    put_literal(e, f, f->dflt);
                }
                fputc('\n', e->out);
            }
        }
}

static void enum_class(py_emitter *e, const ctlc_decl *d)
{
    e->uses_enum = true;
    fprintf(e->out, "\n\nclass %s(enum.Enum):\n", gname(e, d->name));
    put_doc(e->out, "    ", d->doc, ctlc_printf(e->a, "Enum %.*s; each member's value is its wire name.",
                                                 NAME(d->name)));
    for (const ctlc_member *m = d->members; m; m = m->next) {
        fprintf(e->out, "    %s = ", mname(e, m));
        put_str(e->out, m->wire, m->wire_len);
        fputc('\n', e->out);
    }
}

static void bounds(py_emitter *e, const char *arg, const ctlc_bounds *b, bool as_float)
{
    fprintf(e->out, ", %s=(", arg);
    for (int i = 0; i < 2; i++) {
        bool has = i ? b->has_max : b->has_min;
        const ctlc_literal *l = i ? &b->max : &b->min;
        if (i)
            fputs(", ", e->out);
        if (!has)
            fputs("None", e->out);
        else if (as_float)
            put_float(e, l->f);
        else
            fprintf(e->out, "%lld", (long long)l->i);
    }
    fputc(')', e->out);
}

/* CTL_T_X.set_fields(...): the fields in the spec's (the wire's) order. */
static void set_fields(py_emitter *e, const char *name, const ctlc_fields *fs)
{
    fprintf(e->out, "CTL_T_%s.set_fields(", name);
    for (const ctlc_field *f = fs->first; f; f = f->next) {
        fputs("\n    _ctl.CtlField(", e->out);
        fprintf(e->out, "\"%s\", ", fname(e, f));
        put_str(e->out, f->wire, f->wire_len);
        fputs(", ", e->out);
        put_descriptor(e, f->type);
        if (f->optional)
            fputs(", optional=True", e->out);
        if (f->dflt) {
            fputs(", default=", e->out);
            put_literal(e, f, f->dflt);
            fputs(", has_default=True", e->out);
        }
        if (f->traits.has_length)
            bounds(e, "length", &f->traits.length, false);
        if (f->traits.has_range)
            bounds(e, "range_", &f->traits.range, f->type->kind == CTLC_T_FLOAT);
        fputs("),", e->out);
    }
    fputs(fs->first ? "\n)\n" : ")\n", e->out);
}

/* Enums come first: a dataclass's default may name a member of an enum
 * declared after it. */
static void enums_of(py_emitter *e, const ctlc_spec *s)
{
    for (const ctlc_decl *d = s->decls; d; d = d->next)
        if (d->kind == CTLC_D_ENUM)
            enum_class(e, d);
}

static void structs_of(py_emitter *e, const ctlc_spec *s)
{
    for (const ctlc_decl *d = s->decls; d; d = d->next)
        if (d->kind == CTLC_D_STRUCT)
            dataclass(e, gname(e, d->name), d->doc, ctlc_printf(e->a, "Struct %.*s.", NAME(d->name)), &d->fields);
}

static void descriptors_of(py_emitter *e, const ctlc_spec *s)
{
    for (const ctlc_decl *d = s->decls; d; d = d->next) {
        const char *n = gname(e, d->name);
        if (d->kind == CTLC_D_ENUM)
            fprintf(e->out, "CTL_T_%s = _ctl.enum_of(%s, \"%.*s\")\n", n, n, NAME(d->name));
        else if (d->kind == CTLC_D_STRUCT)
            fprintf(e->out, "CTL_T_%s = _ctl.CtlType(\"struct\", cls=%s, name=\"%.*s\")\n", n, n, NAME(d->name));
    }
}

static void fields_of(py_emitter *e, const ctlc_spec *s)
{
    for (const ctlc_decl *d = s->decls; d; d = d->next)
        if (d->kind == CTLC_D_STRUCT)
            set_fields(e, gname(e, d->name), &d->fields);
}

static void codecs_of(py_emitter *e, const ctlc_spec *s)
{
    for (const ctlc_decl *d = s->decls; d; d = d->next) {
        if (d->kind != CTLC_D_STRUCT)
            continue;
        const char *n = gname(e, d->name);
        fprintf(e->out,
                "\n\ndef read_%s(data: typing.Union[bytes, str]) -> %s:\n"
                "    \"\"\"Reads a %.*s from JSON text; CtlError ctl.InvalidJSON or ctl.InvalidPayload.\"\"\"\n"
                "    return typing.cast(%s, _ctl.from_bytes(CTL_T_%s, data))\n"
                "\n\ndef write_%s(value: %s) -> bytes:\n"
                "    \"\"\"The JSON text of value, as libctl writes it; CtlError ctl.InvalidPayload.\"\"\"\n"
                "    return _ctl.write_bytes(CTL_T_%s, value)\n",
                n, n, NAME(d->name), n, n, n, n, n);
    }
}

/* Functions with a payload: a @records function takes an invocation
 * record (CtlRecord) instead, and no caller sends one (the runtime does). */
static bool has_payload(const ctlc_func *f)
{
    return !f->traits.records;
}

static void payloads(py_emitter *e, const ctlc_spec *s)
{
    for (const ctlc_decl *c = s->decls; c; c = c->next) {
        if (c->kind != CTLC_D_CONTROLLER)
            continue;
        for (const ctlc_func *f = c->funcs; f; f = f->next) {
            if (!has_payload(f))
                continue;
            dataclass(e, args_class(e, c, f), NULL,
                      ctlc_printf(e->a, "The payload of %.*s.%.*s.", NAME(c->name), NAME(f->name)), &f->params);
            if (f->has_result_fields)
                dataclass(e, result_class(e, c, f), NULL,
                          ctlc_printf(e->a, "The result of %.*s.%.*s.", NAME(c->name), NAME(f->name)), &f->result);
        }
    }
}

static void payload_descriptors(py_emitter *e, const ctlc_spec *s)
{
    for (const ctlc_decl *c = s->decls; c; c = c->next) {
        if (c->kind != CTLC_D_CONTROLLER)
            continue;
        for (const ctlc_func *f = c->funcs; f; f = f->next) {
            if (!has_payload(f))
                continue;
            const char *n = args_class(e, c, f);
            fprintf(e->out, "CTL_T_%s = _ctl.CtlType(\"struct\", cls=%s, name=\"%s\")\n", n, n, n);
            set_fields(e, n, &f->params);
            if (f->has_result_fields) {
                n = result_class(e, c, f);
                fprintf(e->out, "CTL_T_%s = _ctl.CtlType(\"struct\", cls=%s, name=\"%s\")\n", n, n, n);
                set_fields(e, n, &f->result);
            }
        }
    }
}

static const char *route_variable(py_emitter *e, const ctlc_decl *c)
{
    char *var = ctlc_printf(e->a, CTLI_RULE_ROUTE_PREFIX "%.*s", NAME(c->name));
    for (char *p = var + strlen(CTLI_RULE_ROUTE_PREFIX); *p; p++)
        *p = ctli_rule_route_char(*p);
    return var;
}

/* A name made from controller c's: its name, '_' and suffix, escaped whole. */
static const char *ctrl_name(py_emitter *e, const ctlc_decl *c, const char *suffix)
{
    const char *s = ctlc_printf(e->a, "%.*s_%s", NAME(c->name), suffix);
    return ctlc_py_name(e->a, s, strlen(s), CTLC_PY_GLOBAL);
}

static void controller(py_emitter *e, const ctlc_decl *c)
{
    FILE *out = e->out;
    const char *cn = gname(e, c->name);
    const char *fn_name = ctrl_name(e, c, "handlers");
    const char *dispatch = ctrl_name(e, c, "dispatch"), *handler = ctrl_name(e, c, "handler");
    fprintf(out, "\n\n# ---- controller %.*s ", NAME(c->name));
    for (int i = (int)c->name.n; i < 70; i++)
        fputc('-', out);
    fputc('\n', out);

    /* The table dispatch and the stubs share. */
    fprintf(out, "\n_CTL_F_%s: typing.Dict[bytes, _ctl.CtlFunction] = {\n", cn);
    for (const ctlc_func *f = c->funcs; f; f = f->next) {
        fprintf(out, "    b\"%.*s\": _ctl.CtlFunction(\"%.*s\", \"%.*s\", ", NAME(f->name), NAME(c->name),
                NAME(f->name));
        if (has_payload(f))
            fprintf(out, "CTL_T_%s, ", args_class(e, c, f));
        else
            fputs("None, ", out);
        if (has_result(f))
            fprintf(out, "%sCTL_T_%s", f->result_decl ? qual(e, f->result_decl) : "",
                    f->result_decl ? gname(e, f->result_decl->name) : result_class(e, c, f));
        else
            fputs("None", out);
        fprintf(out, ", %s, \"%s\"%s", f->is_async ? "True" : "False",
                ctlc_py_name(e->a, f->name.z, f->name.n, CTLC_PY_FIELD), has_payload(f) ? "" : ", records=True");
        if (f->traits.idempotent) { /* the key fields' pointers, as C's table holds them */
            fputs(", idempotent=(", out);
            for (size_t i = 0; i < f->traits.idem_nkeys; i++) {
                const char *p = f->traits.idem_pointers[i];
                put_str(out, p, strlen(p));
                fputs(f->traits.idem_nkeys == 1 ? "," : i + 1 < f->traits.idem_nkeys ? ", " : "", out);
            }
            fputc(')', out);
        }
        fputs("),\n", out);
    }
    fputs("}\n", out);

    /* The controller side. */
    fprintf(out, "\n\nclass %s(typing.Protocol):\n", fn_name);
    put_doc(out, "    ", c->doc, ctlc_printf(e->a, "Controller %.*s.", NAME(c->name)));
    fprintf(out, "    # The functions of controller %.*s: an object with these methods is what\n"
                 "    # %s() and %s() run. A method answers its result, or raises\n"
                 "    # CtlError(errorType, message) for a function error (CtlFailed: one without a type).\n",
            NAME(c->name), dispatch, handler);
    if (!c->funcs)
        fputs("    pass\n", out);
    for (const ctlc_func *f = c->funcs; f; f = f->next) {
        const char *method = ctlc_py_name(e->a, f->name.z, f->name.n, CTLC_PY_FIELD);
        if (has_payload(f))
            fprintf(out, "\n    def %s(self, args: %s, ctx: CtlContext) -> %s:\n", method, args_class(e, c, f),
                    has_result(f) ? result_class(e, c, f) : "None");
        else /* @records: async, no result */
            fprintf(out, "\n    def %s(self, record: CtlRecord, ctx: CtlContext) -> None:\n", method);
        put_doc(out, "        ", f->doc, ctlc_printf(e->a, "%.*s.%.*s%s", NAME(c->name), NAME(f->name),
                                                      !has_payload(f) ? " (@records: Lambda's invocation records)"
                                                      : f->is_async ? " (async)" : ""));
        fputs("        ...\n", out);
    }
    fprintf(out,
            "\n\ndef %s(impl: %s, event: bytes, lambda_context: typing.Any = None) -> CtlResponse:\n"
            "    \"\"\"One event (its JSON text) through controller %.*s, as libctl dispatches it: the\n"
            "    result's bytes, or the error object with libctl's errorType and message.\"\"\"\n"
            "    return _ctl.dispatch(\"%.*s\", _CTL_F_%s, impl, event, lambda_context)\n",
            dispatch, fn_name, NAME(c->name), NAME(c->name), cn);
    fprintf(out,
            "\n\ndef %s(impl: %s) -> typing.Callable[[typing.Any, typing.Any], typing.Any]:\n"
            "    \"\"\"Lambda's handler(event, context) for controller %.*s (see ctl_runtime.lambda_handler).\"\"\"\n"
            "    return _ctl.lambda_handler(\"%.*s\", _CTL_F_%s, impl)\n",
            handler, fn_name, NAME(c->name), NAME(c->name), cn);

    /* The caller side. */
    const char *var = route_variable(e, c);
    fprintf(out, "\n\nclass %s(_ctl.CtlCaller):\n", ctrl_name(e, c, "client"));
    fprintf(out, "    \"\"\"Calls controller %.*s: the Lambda function named by %s, else \"%.*s\".\"\"\"\n",
            NAME(c->name), var, NAME(c->name));
    fprintf(out,
            "\n    def __init__(self, lambda_client: typing.Any = None, function_name: typing.Optional[str] = None)"
            " -> None:\n        super().__init__(\"%.*s\", \"%s\", lambda_client, function_name)\n",
            NAME(c->name), var);
    for (const ctlc_func *f = c->funcs; f; f = f->next) {
        if (!has_payload(f))
            continue;
        const char *ac = args_class(e, c, f);
        fprintf(out,
                "\n    def send_%.*s(self, args: %s) -> None:\n"
                "        \"\"\"Sends %.*s (InvocationType Event).\"\"\"\n"
                "        self._ctl_send(_CTL_F_%s[b\"%.*s\"], args)\n",
                NAME(f->name), ac, NAME(f->name), cn, NAME(f->name));
        if (f->is_async)
            continue;
        const char *rc = has_result(f) ? result_class(e, c, f) : "None";
        fprintf(out,
                "\n    def call_%.*s(self, args: %s) -> %s:\n"
                "        \"\"\"Calls %.*s (InvocationType RequestResponse) and reads its result.\"\"\"\n",
                NAME(f->name), ac, rc, NAME(f->name));
        if (has_result(f))
            fprintf(out, "        return typing.cast(%s, self._ctl_call(_CTL_F_%s[b\"%.*s\"], args))\n", rc, cn,
                    NAME(f->name));
        else
            fprintf(out, "        self._ctl_call(_CTL_F_%s[b\"%.*s\"], args)\n", cn, NAME(f->name));
    }
}

/* The declarations of the module's spec, written to e->out. */
static void body(py_emitter *e)
{
    const ctlc_spec *spec = e->spec;
    enums_of(e, spec);
    structs_of(e, spec);
    payloads(e, spec);
    fputs("\n\n", e->out);
    descriptors_of(e, spec);
    fields_of(e, spec);
    payload_descriptors(e, spec);
    codecs_of(e, spec);
    for (const ctlc_decl *c = spec->decls; c; c = c->next)
        if (c->kind == CTLC_D_CONTROLLER)
            controller(e, c);
}

static const char *spec_file(const ctlc_spec *s)
{
    const char *slash = strrchr(s->src->path, '/');
    return slash ? slash + 1 : s->src->path;
}

/* The head (what the body uses, imported), then the body. */
static void module(py_emitter *e, FILE *out)
{
    char *text = NULL;
    size_t len = 0;
    e->out = ctlc_memstream(&text, &len);
    body(e);
    ctlc_memstream_close(e->out, &text);
    const char *file = spec_file(e->spec);
    fprintf(out, "# Generated by ctlc " CTLC_VERSION " from %s. DO NOT EDIT.\n", file);
    if (e->spec->doc)
        put_docstring(out, "", e->spec->doc->text, e->spec->doc->len);
    else
        fprintf(out, "\"\"\"The contract of %s in Python: types, readers and writers, callers and controllers.\"\"\"\n",
                file);
    /* A name starting with '_' is private to Python's checkers, which call
     * it unused: the spec's declarations are the module's API all the same. */
    for (const ctlc_decl *d = e->spec->decls; d; d = d->next)
        if (d->kind != CTLC_D_IMPORT && d->name.n > 0 && d->name.z[0] == '_') {
            fputs("# pyright: reportUnusedClass=false, reportUnusedFunction=false\n", out);
            break;
        }
    fputs("from __future__ import annotations\n\n", out);
    if (e->uses_dataclass)
        fputs("import dataclasses\n", out);
    if (e->uses_enum)
        fputs("import enum\n", out);
    /* Structs (read_S's cast) and controllers name typing; every declaration
     * but an import has a descriptor or a table of the runtime's. */
    bool uses_typing = false, uses_ctl = false;
    for (const ctlc_decl *d = e->spec->decls; d; d = d->next) {
        uses_typing = uses_typing || d->kind == CTLC_D_STRUCT || d->kind == CTLC_D_CONTROLLER;
        uses_ctl = uses_ctl || d->kind == CTLC_D_ENUM || d->kind == CTLC_D_STRUCT || d->kind == CTLC_D_CONTROLLER;
    }
    if (uses_typing)
        fputs("import typing\n", out);
    fputs(e->uses_dataclass || e->uses_enum || uses_typing ? "\n" : "", out);
    if (uses_ctl)
        fputs("import ctl_runtime as _ctl\n", out);
    /* The runtime's public names, for a module's users (re-exported). */
    fputs("from ctl_runtime import CtlContext as CtlContext, CtlError as CtlError, CtlFailed as CtlFailed\n"
          "from ctl_runtime import CtlFunctionError as CtlFunctionError\n"
          "from ctl_runtime import CtlInvalidArguments as CtlInvalidArguments, CtlRecord as CtlRecord\n"
          "from ctl_runtime import CtlResponse as CtlResponse, CtlTransportError as CtlTransportError\n",
          out);
    for (size_t i = 0; i < e->nused; i++)
        fprintf(out, "import %s as %s\n", ctlc_py_module(e->a, ctlc_spec_stem(e->a, e->used[i])),
                module_alias(e, e->used[i]));
    fwrite(text, 1, len, out);
    ctlc_text_free(&text);
}

static ctlc_status emit_py(ctlc_run *run, const ctlc_spec *spec, const char *outdir)
{
    if (!spec || !outdir)
        return CTLC_INVALID;
    size_t nspecs = 0;
    ctlc_strset wanted, modules;
    ctlc_strset_init(&wanted, run->arena);
    ctlc_strset_init(&modules, run->arena);
    ctlc_spec_reach(&wanted, spec);
    for (const ctlc_spec *s = run->specs; s; s = s->next) {
        nspecs++;
        if (!ctlc_spec_reached(&wanted, s))
            continue;
        const char *m = ctlc_py_module(run->arena, ctlc_spec_stem(run->arena, s));
        bool runtime = ctlc_py_module_taken(m);
        if (runtime || !ctlc_strset_add(&modules, m)) {
            ctlc_error(&run->diags, (ctlc_loc){ 0 },
                       "ctlc py: '%s' would be written as %s.py, which %s; rename the spec", s->src->path, m,
                       runtime ? "ctl_runtime.py or a standard module it imports takes"
                               : "another spec of the run takes");
            return CTLC_INVALID;
        }
    }
    for (const ctlc_spec *s = run->specs; s; s = s->next) {
        if (!ctlc_spec_reached(&wanted, s))
            continue;
        py_emitter e = { run, run->arena, NULL, s, ctlc_alloc(run->arena, (nspecs + 1) * sizeof(ctlc_spec *)), 0,
                         false, false };
        char *text = NULL;
        size_t len = 0;
        FILE *out = ctlc_memstream(&text, &len);
        module(&e, out);
        ctlc_memstream_close(out, &text);
        const char *mod = ctlc_py_module(run->arena, ctlc_spec_stem(run->arena, s));
        int rc = ctlc_write_file(run, ctlc_printf(run->arena, "%s/%s.py", outdir, mod), text, len);
        ctlc_text_free(&text);
        if (rc)
            return CTLC_IO;
    }
    const char *path = ctlc_printf(run->arena, "%s/ctl_runtime.py", outdir);
    return ctlc_write_file(run, path, ctlc_py_runtime, strlen(ctlc_py_runtime)) ? CTLC_IO : CTLC_OK;
}

ctlc_status ctlc_emit_py(ctlc_run *run, const ctlc_spec *spec, const char *outdir)
{
    if (!run)
        return CTLC_INVALID;
    CTLC_GUARDED(run, emit_py(run, spec, outdir));
}
