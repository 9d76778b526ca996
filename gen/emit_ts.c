/* emit_ts.c: `ctlc ts`, a TypeScript module per spec.
 *
 * DIR/NAME.ts for the spec and each spec it imports (NAME: the file name
 * without ".ctl"), and beside them the runtime every module shares,
 * DIR/ctl_runtime.ts (the wire rules of libctl in TypeScript: the strict
 * JSON scanner, paths, the words of failures, C's number formatting) and
 * DIR/ctl_lambda.ts (invocations over @aws-sdk/client-lambda). A module
 * holds, in the spec's order:
 *   - enums: a const object of the members' wire names and the union type
 *     of those names (Color.blue === "deep-blue");
 *   - structs: an interface, decodeS(bytes) and encodeS(value);
 *   - controllers: each function's Args and Result interfaces, the union of
 *     the controller's events (a @records function's: the invocation
 *     record, ctl.InvocationRecord) and readCEvent(bytes) for a controller
 *     written in TypeScript, encodeCFResult(result), the caller class
 *     CClient with sendF (Event) and callF (RequestResponse), and the
 *     controller side: the interface CHandlers, dispatchC(impl, event) and
 *     Lambda's Node.js handler handlerC(impl).
 * The readers and writers check what emit_c_source.c's check, in the same
 * order, with the same words (ctl_runtime.ts). int is a number: the
 * readers refuse an integer that JavaScript cannot hold exactly. Names are
 * ts_names.c's. */
#include <stdlib.h>
#include <string.h>

#include "ctlc.h"
#include "emit_json.h"
#include "escape.h"
#include "files.h"
#include "oom.h"
#include "strset.h"
#include "ts_names.h"

extern const char ctlc_ts_runtime[];
extern const char ctlc_ts_lambda[];

typedef struct tsgen {
    ctlc_run *run;
    ctlc_arena *a;
    const ctlc_spec *spec;
    FILE *out;
    ctlc_strset exported;  /* every exported name, to find two that meet */
    bool clash;
    const ctlc_spec **used; /* the other specs whose declarations the module names */
    size_t nused;
} tsgen;

#define MAX_SAFE 9007199254740991LL

/* ---- text -------------------------------------------------------------------------------- */

/* A JSON string literal (a TypeScript string too). */
static const char *str(tsgen *g, const char *s, size_t n)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = ctlc_memstream(&text, &len);
    fputc('"', f);
    ctlc_json_escape(f, s, n);
    fputc('"', f);
    ctlc_memstream_close(f, &text);
    const char *r = ctlc_printf(g->a, "%s", text);
    ctlc_text_free(&text);
    return r;
}

static void doc(tsgen *g, const char *ind, const ctlc_doc *d)
{
    if (!d)
        return;
    fprintf(g->out, "%s/** ", ind);
    ctlc_put_c_comment(g->out, d->text, d->len, ctlc_printf(g->a, "%s * ", ind));
    fputs(" */\n", g->out);
}

/* "export function name(params): ret {", the parameters one a line when
 * the line would pass 100 columns. */
static void signature(tsgen *g, const char *name, const char *const *params, size_t n, const char *ret)
{
    size_t len = strlen("export function (): {") + strlen(name) + strlen(ret);
    for (size_t i = 0; i < n; i++)
        len += strlen(params[i]) + 2;
    fprintf(g->out, "export function %s(", name);
    for (size_t i = 0; i < n; i++)
        fprintf(g->out, len <= 100 ? "%s%s" : "\n    %.0s%s,", i && len <= 100 ? ", " : "", params[i]);
    fprintf(g->out, "%s): %s {\n", len <= 100 ? "" : "\n", ret);
}

static void export_name(tsgen *g, const char *name, ctlc_loc at)
{
    if (!ctlc_strset_add(&g->exported, name)) {
        ctlc_error(&g->run->diags, at, "ctlc ts: two declarations of this spec would both be named '%s' in "
                                       "TypeScript; rename one", name);
        g->clash = true;
    }
}

/* The alias a module imports spec s as. */
static const char *alias(tsgen *g, const ctlc_spec *s)
{
    char *m = (char *)ctlc_printf(g->a, "imp$%s", ctlc_ts_module(g->a, s));
    for (char *p = m; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '$'))
            *p = '_';
    return m;
}

/* A name of declaration d, as this module reaches it. */
static const char *qual(tsgen *g, const ctlc_decl *d, const char *name)
{
    if (d->spec == g->spec)
        return name;
    size_t i = 0;
    while (i < g->nused && g->used[i] != d->spec)
        i++;
    if (i == g->nused) {
        const ctlc_spec **grown = ctlc_alloc(g->a, (g->nused + 1) * sizeof *grown);
        if (g->nused)
            memcpy(grown, g->used, g->nused * sizeof *grown);
        grown[g->nused++] = d->spec;
        g->used = grown;
    }
    return ctlc_printf(g->a, "%s.%s", alias(g, d->spec), name);
}

static const char *ts_type(tsgen *g, const ctlc_type *t)
{
    switch (t->kind) {
    case CTLC_T_STRING: return "string";
    case CTLC_T_INT:
    case CTLC_T_FLOAT: return "number";
    case CTLC_T_BOOL: return "boolean";
    case CTLC_T_JSON: return "ctl.Json";
    case CTLC_T_LIST: return ctlc_printf(g->a, "%s[]", ts_type(g, t->elem));
    case CTLC_T_MAP: return ctlc_printf(g->a, "Map<string, %s>", ts_type(g, t->elem));
    default: return qual(g, t->decl, ctlc_ts_type(g->a, t->decl));
    }
}

/* ---- readers and writers of one type ------------------------------------------------------ */

static const char *reader_fn(tsgen *g, const ctlc_type *t);

/* The expression reading node v at path p as type t. */
static const char *read_call(tsgen *g, const ctlc_type *t, const char *v, const char *p)
{
    switch (t->kind) {
    case CTLC_T_LIST: return ctlc_printf(g->a, "ctl.readArray(%s, %s, %s)", v, p, reader_fn(g, t->elem));
    case CTLC_T_MAP: return ctlc_printf(g->a, "ctl.readMap(%s, %s, %s)", v, p, reader_fn(g, t->elem));
    case CTLC_T_NAMED:
        if (t->decl->kind == CTLC_D_ENUM)
            return ctlc_printf(g->a, "ctl.readEnum<%s>(%s, %s, %s, %s)", ts_type(g, t), v, p,
                               qual(g, t->decl, ctlc_ts_members(g->a, t->decl)),
                               str(g, t->decl->name.z, t->decl->name.n));
        return ctlc_printf(g->a, "%s(%s, %s)", reader_fn(g, t), v, p);
    default: return ctlc_printf(g->a, "%s(%s, %s)", reader_fn(g, t), v, p);
    }
}

/* A function (node, path) => value of type t. */
static const char *reader_fn(tsgen *g, const ctlc_type *t)
{
    switch (t->kind) {
    case CTLC_T_STRING: return "ctl.readString";
    case CTLC_T_INT: return "ctl.readInt";
    case CTLC_T_FLOAT: return "ctl.readFloat";
    case CTLC_T_BOOL: return "ctl.readBool";
    case CTLC_T_JSON: return "ctl.readJson";
    case CTLC_T_NAMED:
        if (t->decl->kind == CTLC_D_STRUCT)
            return qual(g, t->decl, ctlc_ts_reader(g->a, t->decl));
        return ctlc_printf(g->a, "(v, p) => %s", read_call(g, t, "v", "p")); /* an enum */
    default: return ctlc_printf(g->a, "(v, p) => %s", read_call(g, t, "v", "p"));
    }
}

static const char *writer_fn(tsgen *g, const ctlc_type *t);

/* The statement writing value x of type t at path p. */
static const char *write_call(tsgen *g, const ctlc_type *t, const char *x, const char *p)
{
    switch (t->kind) {
    case CTLC_T_LIST: return ctlc_printf(g->a, "ctl.writeArray(out, %s, %s, %s);", x, p, writer_fn(g, t->elem));
    case CTLC_T_MAP: return ctlc_printf(g->a, "ctl.writeMap(out, %s, %s, %s);", x, p, writer_fn(g, t->elem));
    case CTLC_T_NAMED:
        if (t->decl->kind == CTLC_D_ENUM)
            return ctlc_printf(g->a, "ctl.writeEnum(out, %s, %s, %s, %s);", x, p,
                               qual(g, t->decl, ctlc_ts_members(g->a, t->decl)),
                               str(g, t->decl->name.z, t->decl->name.n));
        return ctlc_printf(g->a, "%s(out, %s, %s);", writer_fn(g, t), x, p);
    default: return ctlc_printf(g->a, "%s(out, %s, %s);", writer_fn(g, t), x, p);
    }
}

/* A function (out, value, path) => void for type t. */
static const char *writer_fn(tsgen *g, const ctlc_type *t)
{
    switch (t->kind) {
    case CTLC_T_STRING: return "ctl.writeString";
    case CTLC_T_INT: return "ctl.writeInt";
    case CTLC_T_FLOAT: return "ctl.writeFloat";
    case CTLC_T_BOOL: return "ctl.writeBool";
    case CTLC_T_JSON: return "ctl.writeJson";
    case CTLC_T_NAMED:
        if (t->decl->kind == CTLC_D_STRUCT)
            return qual(g, t->decl, ctlc_ts_writer(g->a, t->decl));
        break; /* an enum */
    default: break;
    }
    const char *call = write_call(g, t, "x", "p");
    return ctlc_printf(g->a, "(out, x, p) => %.*s", (int)strlen(call) - 1, call); /* no ';' */
}

/* ---- bounds ---------------------------------------------------------------------------------- */

static const char *int_literal(tsgen *g, int64_t v)
{
    bool safe = v >= -MAX_SAFE && v <= MAX_SAFE;
    return ctlc_printf(g->a, "%lld%s", (long long)v, safe ? "" : "n");
}

/* The shortest text that reads back as v (JavaScript reads it as C does). */
static const char *float_literal(tsgen *g, double v)
{
    return ctlc_float_text(g->a, v);
}

/* emit_c_source.c's emit_bounds in TypeScript: the checks of f's @length
 * and @range on value val (count: its length) at path p. */
static void emit_bounds(tsgen *g, const char *ind, const ctlc_field *f, const char *val, const char *count)
{
    const ctlc_traits *tr = &f->traits;
    FILE *o = g->out;
    if (tr->has_length) {
        bool lo = tr->length.has_min && tr->length.min.i > 0, hi = tr->length.has_max;
        long long min = (long long)tr->length.min.i, max = (long long)tr->length.max.i;
        if (lo && hi && min == max)
            fprintf(o, "%sif (%s !== %lld)\n%s    ctl.failRangeLength(p, %s, %lld, %lld);\n", ind, count, min, ind,
                    count, min, max);
        else if (lo && hi)
            fprintf(o, "%sif (%s < %lld || %s > %lld)\n%s    ctl.failRangeLength(p, %s, %lld, %lld);\n", ind, count,
                    min, count, max, ind, count, min, max);
        else if (lo)
            fprintf(o, "%sif (%s < %lld)\n%s    ctl.failMinLength(p, %s, %lld);\n", ind, count, min, ind, count, min);
        else if (hi)
            fprintf(o, "%sif (%s > %lld)\n%s    ctl.failMaxLength(p, %s, %lld);\n", ind, count, max, ind, count, max);
    }
    if (tr->has_range) {
        bool is_int = f->type->kind == CTLC_T_INT;
        bool lo = tr->range.has_min && !(is_int && tr->range.min.i == INT64_MIN);
        bool hi = tr->range.has_max && !(is_int && tr->range.max.i == INT64_MAX);
        const char *min = is_int ? int_literal(g, tr->range.min.i) : float_literal(g, tr->range.min.f);
        const char *max = is_int ? int_literal(g, tr->range.max.i) : float_literal(g, tr->range.max.f);
        const char *fl = is_int ? "false" : "true";
        bool same = lo && hi && (is_int ? tr->range.min.i == tr->range.max.i : tr->range.min.f == tr->range.max.f);
        if (same)
            fprintf(o, "%sif (%s != %s)\n%s    ctl.failRange(p, %s, %s, %s, %s);\n", ind, val, min, ind, val, min, max,
                    fl);
        else if (lo && hi)
            fprintf(o, "%sif (%s < %s || %s > %s)\n%s    ctl.failRange(p, %s, %s, %s, %s);\n", ind, val, min, val, max,
                    ind, val, min, max, fl);
        else if (lo)
            fprintf(o, "%sif (%s < %s)\n%s    ctl.failMin(p, %s, %s, %s);\n", ind, val, min, ind, val, min, fl);
        else if (hi)
            fprintf(o, "%sif (%s > %s)\n%s    ctl.failMax(p, %s, %s, %s);\n", ind, val, max, ind, val, max, fl);
    }
}

static bool has_length(const ctlc_field *f)
{
    const ctlc_traits *tr = &f->traits;
    return tr->has_length && ((tr->length.has_min && tr->length.min.i > 0) || tr->length.has_max);
}

/* The length of value val of f's type, for @length. */
static const char *count_of(tsgen *g, const ctlc_field *f, const char *val)
{
    return ctlc_printf(g->a, f->type->kind == CTLC_T_MAP ? "ctl.mapSize(%s)" : "%s.length", val);
}

/* ---- objects ------------------------------------------------------------------------------------ */

static void emit_interface(tsgen *g, const char *name, const ctlc_fields *fs, const ctlc_doc *d)
{
    FILE *o = g->out;
    doc(g, "", d);
    if (!fs->first) {
        fprintf(o, "export type %s = Record<string, never>;\n\n", name);
        return;
    }
    fprintf(o, "export interface %s {\n", name);
    for (const ctlc_field *f = fs->first; f; f = f->next) {
        doc(g, "    ", f->doc);
        fprintf(o, "    %s%s: %s;\n", ctlc_ts_field(g->a, f), f->optional ? "?" : "", ts_type(g, f->type));
    }
    fputs("}\n\n", o);
}

/* The literal of f's default; false for an int that a number cannot hold. */
static bool default_literal(tsgen *g, const ctlc_field *f, const char **out)
{
    const ctlc_literal *v = f->dflt;
    switch (f->type->kind) {
    case CTLC_T_STRING: *out = str(g, v->s, v->slen); return true;
    case CTLC_T_INT:
        /* A default that a number cannot hold is refused when it is needed. */
        if (v->i < -MAX_SAFE || v->i > MAX_SAFE)
            return false;
        *out = ctlc_printf(g->a, "%lld", (long long)v->i);
        return true;
    case CTLC_T_FLOAT: *out = float_literal(g, v->f); return true;
    case CTLC_T_BOOL: *out = v->b ? "true" : "false"; return true;
    default:
        for (const ctlc_member *m = f->type->decl->members; m; m = m->next)
            if (m->name.n == v->n && memcmp(m->name.z, v->z, v->n) == 0)
                *out = str(g, m->wire, m->wire_len);
        return true;
    }
}

/* The reader of an object with fields fs into type tname, as name. */
static void emit_object_reader(tsgen *g, const char *name, const char *tname, const ctlc_fields *fs)
{
    FILE *o = g->out;
    signature(g, name, (const char *[]){ "v: ctl.Node", "path: ctl.Path" }, 2, tname);
    fputs("    ctl.expectObject(v, path);\n", o);
    if (!fs->first) {
        fputs("    return {};\n}\n\n", o);
        return;
    }
    fprintf(o, "    const out = {} as %s;\n    const seen: boolean[] = [];\n", tname);
    fputs("    for (const m of v.items) {\n        const p = ctl.member(path, m.key);\n        switch (m.key) {\n", o);
    size_t i = 0;
    for (const ctlc_field *f = fs->first; f; f = f->next, i++) {
        const char *val = ctlc_printf(g->a, "out.%s", ctlc_ts_field(g->a, f));
        fprintf(o, "        case %s: {\n", str(g, f->wire, f->wire_len));
        fprintf(o, "            if (seen[%zu])\n                ctl.failDuplicate(p);\n            seen[%zu] = true;\n",
                i, i);
        if (f->optional)
            fputs("            if (m.kind === \"null\")\n                break; // null: absent\n", o);
        fprintf(o, "            %s = %s;\n", val, read_call(g, f->type, "m", "p"));
        if (f->type->kind == CTLC_T_STRING && has_length(f)) {
            fprintf(o, "            const n = ctl.codePoints(%s);\n", val);
            emit_bounds(g, "            ", f, val, "n");
        } else {
            emit_bounds(g, "            ", f, val, count_of(g, f, val));
        }
        fputs("            break;\n        }\n", o);
    }
    fputs("        }\n    }\n", o);
    i = 0;
    for (const ctlc_field *f = fs->first; f; f = f->next, i++) {
        const char *lit = NULL;
        if (f->optional)
            continue;
        if (!f->dflt)
            fprintf(o, "    if (!seen[%zu])\n        ctl.failMissing(path, %s);\n", i, str(g, f->wire, f->wire_len));
        else if (default_literal(g, f, &lit))
            fprintf(o, "    if (!seen[%zu])\n        out.%s = %s;\n", i, ctlc_ts_field(g->a, f), lit);
        else
            fprintf(o, "    if (!seen[%zu])\n        ctl.failUnsafeDefault(path, %s, \"%lld\");\n", i,
                    str(g, f->wire, f->wire_len), (long long)f->dflt->i);
    }
    fputs("    return out;\n}\n\n", o);
}

/* The writer of an object with fields fs of type tname, as name; event:
 * the name of the function whose event it writes, or NULL. */
static void emit_object_writer(tsgen *g, const char *name, const char *tname, const ctlc_fields *fs,
                               const ctlc_func *event)
{
    FILE *o = g->out;
    signature(g, name, (const char *[]){ "out: ctl.Out", ctlc_printf(g->a, "v: %s", tname), "path: ctl.Path" }, 3,
              "void");
    fputs("    ctl.expectStruct(v, path);\n", o);
    if (event) {
        const char *head = ctlc_printf(g->a, "{\"function\":%s", str(g, event->name.z, event->name.n));
        fprintf(o, "    out.put(%s);\n", str(g, head, strlen(head)));
        if (!fs->first) {
            fputs("    out.put(\"}\");\n}\n\n", o);
            return;
        }
        fputs("    let sep = \",\";\n", o);
    } else if (!fs->first) {
        fputs("    out.put(\"{}\");\n}\n\n", o);
        return;
    } else {
        fputs("    let sep = \"{\";\n", o);
    }
    for (const ctlc_field *f = fs->first; f; f = f->next) {
        const char *val = ctlc_printf(g->a, "v.%s", ctlc_ts_field(g->a, f));
        const char *wire = str(g, f->wire, f->wire_len);
        const char *key = ctlc_printf(g->a, "%s:", str(g, f->wire, f->wire_len));
        const char *ind = "    ";
        if (f->optional) {
            fprintf(o, "    if (%s !== undefined && %s !== null) {\n", val, val);
            ind = "        ";
        } else {
            fprintf(o, "    if (%s === undefined)\n        ctl.failMissing(path, %s);\n", val, wire);
            fputs("    {\n", o);
            ind = "        ";
        }
        fprintf(o, "%sout.put(sep + %s);\n%ssep = \",\";\n", ind, str(g, key, strlen(key)), ind);
        fprintf(o, "%sconst p = ctl.member(path, %s);\n", ind, wire);
        if (f->type->kind == CTLC_T_STRING && has_length(f)) {
            fprintf(o, "%sconst n = ctl.writeStringCounted(out, %s, p);\n", ind, val);
            emit_bounds(g, ind, f, val, "n");
        } else {
            fprintf(o, "%s%s\n", ind, write_call(g, f->type, val, "p"));
            emit_bounds(g, ind, f, val, count_of(g, f, val));
        }
        fputs("    }\n", o);
    }
    fputs(event ? "    out.put(\"}\");\n}\n\n" : "    out.put(sep === \"{\" ? \"{}\" : \"}\");\n}\n\n", o);
}

/* ---- declarations ------------------------------------------------------------------------------------ */

static void emit_enum(tsgen *g, const ctlc_decl *d)
{
    FILE *o = g->out;
    const char *name = ctlc_ts_type(g->a, d);
    export_name(g, name, d->name.loc);
    doc(g, "", d->doc);
    fprintf(o, "export const %s = {\n", name);
    for (const ctlc_member *m = d->members; m; m = m->next) {
        doc(g, "    ", m->doc);
        /* A __proto__ key of an object literal would set its prototype. */
        bool proto = m->name.n == 9 && memcmp(m->name.z, "__proto__", 9) == 0;
        fprintf(o, proto ? "    [\"%.*s\"]: %s,\n" : "    %.*s: %s,\n", (int)m->name.n, m->name.z,
                str(g, m->wire, m->wire_len));
    }
    fprintf(o, "} as const;\nexport type %s = (typeof %s)[keyof typeof %s];\n", name, name, name);
    fprintf(o, "export const %s: ReadonlySet<string> = new Set<string>(Object.values(%s));\n\n",
            ctlc_ts_members(g->a, d), name);
}

static void emit_struct(tsgen *g, const ctlc_decl *d)
{
    FILE *o = g->out;
    const char *name = ctlc_ts_type(g->a, d);
    export_name(g, name, d->name.loc);
    export_name(g, ctlc_ts_decode(g->a, d), d->name.loc);
    export_name(g, ctlc_ts_encode(g->a, d), d->name.loc);
    emit_interface(g, name, &d->fields, d->doc);
    emit_object_reader(g, ctlc_ts_reader(g->a, d), name, &d->fields);
    emit_object_writer(g, ctlc_ts_writer(g->a, d), name, &d->fields, NULL);
    fprintf(o, "/** Reads struct %s from JSON bytes (or text), as libctl's reader does. */\n", name);
    fprintf(o, "export function %s(json: Uint8Array | string): %s {\n    return %s(ctl.parse(ctl.bytesOf(json)), "
               "ctl.root);\n}\n\n",
            ctlc_ts_decode(g->a, d), name, ctlc_ts_reader(g->a, d));
    fprintf(o, "/** The JSON text of struct %s: the bytes libctl's writer writes. */\n", name);
    fprintf(o, "export function %s(v: %s): string {\n    const out = new ctl.Out();\n    %s(out, v, ctl.root);\n"
               "    return out.text();\n}\n\n",
            ctlc_ts_encode(g->a, d), name, ctlc_ts_writer(g->a, d));
}

/* The TypeScript type of f's result, or NULL when it has none. */
static const char *result_type(tsgen *g, const ctlc_decl *c, const ctlc_func *f)
{
    if (f->has_result_fields)
        return ctlc_ts_func(g->a, c, f, CTLC_TS_RESULT);
    if (f->result_decl)
        return qual(g, f->result_decl, ctlc_ts_type(g->a, f->result_decl));
    return NULL;
}

/* The name of the function reading f's result, or NULL. */
static const char *result_reader(tsgen *g, const ctlc_decl *c, const ctlc_func *f)
{
    if (f->has_result_fields)
        return ctlc_ts_func(g->a, c, f, CTLC_TS_READ_RESULT);
    if (f->result_decl)
        return qual(g, f->result_decl, ctlc_ts_reader(g->a, f->result_decl));
    return NULL;
}

static void emit_function(tsgen *g, const ctlc_decl *c, const ctlc_func *f)
{
    FILE *o = g->out;
    const char *args = ctlc_ts_func(g->a, c, f, CTLC_TS_ARGS);
    export_name(g, args, f->name.loc);
    emit_interface(g, args, &f->params, f->doc);
    emit_object_reader(g, ctlc_ts_func(g->a, c, f, CTLC_TS_READ), args, &f->params);
    emit_object_writer(g, ctlc_ts_func(g->a, c, f, CTLC_TS_WRITE), args, &f->params, f);
    if (f->has_result_fields) {
        const char *res = ctlc_ts_func(g->a, c, f, CTLC_TS_RESULT);
        export_name(g, res, f->name.loc);
        emit_interface(g, res, &f->result, NULL);
        emit_object_reader(g, ctlc_ts_func(g->a, c, f, CTLC_TS_READ_RESULT), res, &f->result);
        emit_object_writer(g, ctlc_ts_func(g->a, c, f, CTLC_TS_WRITE_RESULT_VALUE), res, &f->result, NULL);
    }
    const char *rt = result_type(g, c, f);
    if (!rt)
        return;
    const char *enc = ctlc_ts_func(g->a, c, f, CTLC_TS_WRITE_RESULT);
    const char *writer = f->has_result_fields ? ctlc_ts_func(g->a, c, f, CTLC_TS_WRITE_RESULT_VALUE)
                                              : qual(g, f->result_decl, ctlc_ts_writer(g->a, f->result_decl));
    export_name(g, enc, f->name.loc);
    fprintf(o, "/** The answer of %.*s.%.*s: ctl.InvalidResult when the result breaks the contract. */\n",
            (int)c->name.n, c->name.z, (int)f->name.n, f->name.z);
    fprintf(o, "export function %s(result: %s): string {\n    return ctl.encodeResult(%s, result);\n}\n\n", enc, rt,
            writer);
}

static void emit_events(tsgen *g, const ctlc_decl *c)
{
    FILE *o = g->out;
    const char *type = ctlc_ts_event_type(g->a, c), *reader = ctlc_ts_event_reader(g->a, c);
    const char *set = ctlc_ts_functions(g->a, c);
    export_name(g, type, c->name.loc);
    export_name(g, reader, c->name.loc);
    fprintf(o, "/** An event of controller %.*s", (int)c->name.n, c->name.z);
    fputs(" (an invocation record, for its @records function: record). */\nexport type ", o);
    fputs(type, o);
    fputs(" =", o);
    size_t n = 0;
    const ctlc_func *records = NULL;
    for (const ctlc_func *f = c->funcs; f; f = f->next, n++) {
        if (f->traits.records)
            records = f;
        fprintf(o, "\n    | { readonly function: %s; readonly %s }", str(g, f->name.z, f->name.n),
                f->traits.records ? "record: ctl.InvocationRecord"
                                  : ctlc_printf(g->a, "args: %s", ctlc_ts_func(g->a, c, f, CTLC_TS_ARGS)));
    }
    fputs(n ? ";\n" : " never;\n", o);
    fprintf(o, "const %s: ReadonlySet<string> = new Set<string>([", set);
    for (const ctlc_func *f = c->funcs; f; f = f->next)
        fprintf(o, "\n    %s,", str(g, f->name.z, f->name.n));
    fputs(n ? "\n]);\n\n" : "]);\n\n", o);
    fprintf(o, "/** Reads an event of %.*s as libctl's dispatch does: ctl.InvalidJSON, ctl.InvalidEvent,\n"
               " * ctl.UnknownFunction or ctl.InvalidPayload when it cannot be run. */\n",
            (int)c->name.n, c->name.z);
    fprintf(o, "export function %s(event: Uint8Array | string): %s {\n", reader, type);
    fputs("    const root = ctl.parse(ctl.bytesOf(event));\n", o);
    fprintf(o, "    const fn = ctl.eventFunction(root, %s, %s%s%s);\n", str(g, c->name.z, c->name.n), set,
            records ? ", " : "", records ? str(g, records->name.z, records->name.n) : "");
    if (n) {
        fputs("    switch (fn) {\n", o);
        for (const ctlc_func *f = c->funcs; f; f = f->next) {
            const char *fname = str(g, f->name.z, f->name.n);
            if (f->traits.records)
                fprintf(o, "    case %s:\n        return { function: %s, record: ctl.readRecord(root) };\n", fname,
                        fname);
            else
                fprintf(o, "    case %s:\n        return { function: %s, args: %s(root, ctl.root) };\n", fname,
                        fname, ctlc_ts_func(g->a, c, f, CTLC_TS_READ));
        }
        fputs("    }\n", o);
    }
    fputs("    throw new ctl.CtlError(\"ctl.UnknownFunction\", fn); // not reached: eventFunction knows the names\n"
          "}\n\n",
          o);
}

static void emit_client(tsgen *g, const ctlc_decl *c)
{
    FILE *o = g->out;
    const char *cls = ctlc_ts_client(g->a, c);
    export_name(g, cls, c->name.loc);
    /* The routing variable, by common/rules.h's rule. */
    char *var = (char *)ctlc_printf(g->a, CTLI_RULE_ROUTE_PREFIX "%.*s", (int)c->name.n, c->name.z);
    for (char *p = var + strlen(CTLI_RULE_ROUTE_PREFIX); *p; p++)
        *p = ctli_rule_route_char(*p);
    const char *cname = str(g, c->name.z, c->name.n);
    fprintf(o, "/** Calls controller %.*s through Lambda: the function that\n * %s names, else %.*s. */\n",
            (int)c->name.n, c->name.z, var, (int)c->name.n, c->name.z);
    fprintf(o, "export class %s {\n    readonly lambda: LambdaClient;\n    readonly functionName: string;\n\n", cls);
    fprintf(o, "    constructor(lambda: LambdaClient,\n                functionName: string = ctl.route(%s, %s)) {\n"
               "        this.lambda = lambda;\n        this.functionName = functionName;\n    }\n",
            cname, str(g, var, strlen(var)));
    for (const ctlc_func *f = c->funcs; f; f = f->next) {
        if (f->traits.records)
            continue;
        const char *args = ctlc_ts_func(g->a, c, f, CTLC_TS_ARGS), *w = ctlc_ts_func(g->a, c, f, CTLC_TS_WRITE);
        fputc('\n', o);
        doc(g, "    ", f->doc);
        fprintf(o, "    async %s(args: %s): Promise<void> {\n        const event = ctl.encodeArguments(%s, args);\n"
                   "        await lambda$.send(this.lambda, this.functionName, event);\n    }\n",
                ctlc_ts_func(g->a, c, f, CTLC_TS_SEND), args, w);
        if (f->is_async)
            continue;
        const char *rt = result_type(g, c, f), *rr = result_reader(g, c, f);
        fputc('\n', o);
        doc(g, "    ", f->doc);
        fprintf(o, "    async %s(args: %s): Promise<%s> {\n"
                   "        const event = ctl.encodeArguments(%s, args);\n"
                   "        const answer = await lambda$.call(this.lambda, this.functionName, event);\n",
                ctlc_ts_func(g->a, c, f, CTLC_TS_CALL), args, rt ? rt : "void", w);
        if (rr)
            fprintf(o, "        return ctl.decodeResult(%s, answer);\n", rr);
        else
            fputs("        void answer; // no result: whatever came back is ignored\n", o);
        fputs("    }\n", o);
    }
    fputs("}\n\n", o);
}

/* The controller side: the interface a controller's functions implement
 * (a @records function takes the invocation record), its dispatch
 * (readCEvent, the handler, encodeCFResult) and Lambda's Node.js handler
 * over it. A controller without functions has none. */
static void emit_controller(tsgen *g, const ctlc_decl *c)
{
    FILE *o = g->out;
    if (!c->funcs)
        return;
    const char *handlers = ctlc_ts_handlers(g->a, c), *dispatch = ctlc_ts_dispatch(g->a, c);
    const char *handler = ctlc_ts_handler(g->a, c), *cname = str(g, c->name.z, c->name.n);
    export_name(g, handlers, c->name.loc);
    export_name(g, dispatch, c->name.loc);
    export_name(g, handler, c->name.loc);
    fprintf(o, "/** The functions of controller %.*s, what %s and %s run: a method\n"
               " * answers its result (or a Promise of it), or throws ctl.CtlError(errorType, message). */\n",
            (int)c->name.n, c->name.z, dispatch, handler);
    fprintf(o, "export interface %s {", handlers);
    for (const ctlc_func *f = c->funcs; f; f = f->next) {
        const char *rt = result_type(g, c, f);
        if (f->traits.records)
            fprintf(o, "\n    %.*s(record: ctl.InvocationRecord, ctx: ctl.Context): void | Promise<void>;",
                    (int)f->name.n, f->name.z);
        else
            fprintf(o, "\n    %.*s(args: %s, ctx: ctl.Context): %s | Promise<%s>;", (int)f->name.n, f->name.z,
                    ctlc_ts_func(g->a, c, f, CTLC_TS_ARGS), rt ? rt : "void", rt ? rt : "void");
    }
    fputs("\n}\n\n", o);
    fprintf(o, "/** One event (its JSON text) through controller %.*s, as libctl dispatches it: the\n"
               " * result's text, or the error object with libctl's errorType and message. */\n",
            (int)c->name.n, c->name.z);
    fprintf(o, "export async function %s(impl: %s, event: Uint8Array | string,\n"
               "        lambdaContext?: unknown): Promise<ctl.Response> {\n"
               "    return ctl.dispatch(async () => {\n"
               "        const ev = %s(event);\n"
               "        const ctx = new ctl.Context(%s, ev.function, lambdaContext);\n",
            dispatch, handlers, ctlc_ts_event_reader(g->a, c), cname);
    fputs("        switch (ev.function) {\n", o);
    for (const ctlc_func *f = c->funcs; f; f = f->next) {
        const char *fname = str(g, f->name.z, f->name.n);
        const char *call = ctlc_printf(g->a, "await ctl.runHandler(%s, %s, () => impl.%.*s(ev.%s, ctx))", cname,
                                       fname, (int)f->name.n, f->name.z, f->traits.records ? "record" : "args");
        fprintf(o, "        case %s:\n", fname);
        if (result_type(g, c, f))
            fprintf(o, "            return %s(%s);\n", ctlc_ts_func(g->a, c, f, CTLC_TS_WRITE_RESULT), call);
        else
            fprintf(o, "            %s;\n            return \"null\";\n", call);
    }
    fputs("        }\n", o);
    fputs("        throw new ctl.CtlError(\"ctl.UnknownFunction\", ctx.functionName); // not reached\n"
          "    });\n}\n\n",
          o);
    fprintf(o, "/** Lambda's Node.js handler for controller %.*s: `export const handler = %s(impl);`. */\n"
               "export function %s(impl: %s): (event: unknown, context: unknown) => Promise<unknown> {\n"
               "    return ctl.lambdaHandler((event, context) => %s(impl, event, context));\n}\n\n",
            (int)c->name.n, c->name.z, handler, handler, handlers, dispatch);
}

/* ---- modules ---------------------------------------------------------------------------------------- */

static void emit_module(tsgen *g)
{
    const ctlc_spec *s = g->spec;
    /* The declarations first, to know what the module imports. */
    char *body = NULL;
    size_t len = 0;
    FILE *o = g->out;
    g->out = ctlc_memstream(&body, &len);
    bool uses_ctl = false, controllers = false, functions = false;
    for (const ctlc_decl *d = s->decls; d; d = d->next) {
        switch (d->kind) {
        case CTLC_D_ENUM: emit_enum(g, d); break;
        case CTLC_D_STRUCT:
            emit_struct(g, d);
            uses_ctl = true;
            break;
        case CTLC_D_CONTROLLER:
            for (const ctlc_func *f = d->funcs; f; f = f->next)
                if (!f->traits.records) {
                    emit_function(g, d, f);
                    functions = true;
                }
            emit_events(g, d);
            emit_client(g, d);
            emit_controller(g, d);
            uses_ctl = controllers = true;
            break;
        default: break;
        }
    }
    ctlc_memstream_close(g->out, &body);
    g->out = o;
    const char *path = s->src->path, *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    fputs("/* Generated by ctlc " CTLC_VERSION " from ", o);
    ctlc_put_c_comment(o, base, strlen(base), " ");
    fputs(". DO NOT EDIT. */\n", o);
    doc(g, "", s->doc);
    if (controllers)
        fputs("import type { LambdaClient } from \"@aws-sdk/client-lambda\";\n\n", o);
    if (uses_ctl)
        fputs("import * as ctl from \"./ctl_runtime.js\";\n", o);
    if (functions)
        fputs("import * as lambda$ from \"./ctl_lambda.js\";\n", o);
    /* In load order, which does not depend on the declarations' order. */
    for (const ctlc_spec *other = g->run->specs; other; other = other->next)
        for (size_t i = 0; i < g->nused; i++)
            if (g->used[i] == other) {
                const char *mod = ctlc_printf(g->a, "./%s.js", ctlc_ts_module(g->a, other));
                fprintf(o, "import * as %s from %s;\n", alias(g, other), str(g, mod, strlen(mod)));
            }
    if (uses_ctl || functions || g->nused)
        fputc('\n', o);
    fwrite(body, 1, len, o);
    ctlc_text_free(&body);
}

static int write_text(ctlc_run *run, const char *dir, const char *name, const char *text)
{
    return ctlc_write_file(run, ctlc_printf(run->arena, "%s/%s", dir, name), text, strlen(text));
}

static ctlc_status emit_ts(ctlc_run *run, const ctlc_spec *spec, const char *outdir)
{
    if (!spec || !outdir)
        return CTLC_INVALID;
    ctlc_strset wanted, modules;
    ctlc_strset_init(&wanted, run->arena);
    ctlc_strset_init(&modules, run->arena);
    ctlc_spec_reach(&wanted, spec);
    for (const ctlc_spec *s = run->specs; s; s = s->next) {
        if (!ctlc_spec_reached(&wanted, s))
            continue;
        const char *m = ctlc_ts_module(run->arena, s);
        if (strcmp(m, "ctl_runtime") == 0 || strcmp(m, "ctl_lambda") == 0 || !ctlc_strset_add(&modules, m)) {
            ctlc_error(&run->diags, (ctlc_loc){ 0 },
                       "ctlc ts: '%s' would be written as %s.ts, which %s; rename the spec", s->src->path, m,
                       ctlc_strset_has(&modules, m) && strncmp(m, "ctl_", 4) != 0 ? "another spec of the run takes"
                                                                                  : "the runtime takes");
            return CTLC_INVALID;
        }
    }
    for (const ctlc_spec *s = run->specs; s; s = s->next) {
        if (!ctlc_spec_reached(&wanted, s))
            continue;
        tsgen g = { run, run->arena, s, NULL, { 0 }, false, NULL, 0 };
        ctlc_strset_init(&g.exported, run->arena);
        char *text = NULL;
        size_t len = 0;
        g.out = ctlc_memstream(&text, &len);
        emit_module(&g);
        ctlc_memstream_close(g.out, &text);
        int rc = g.clash ? 0 : ctlc_write_file(run, ctlc_printf(run->arena, "%s/%s.ts", outdir,
                                                                ctlc_ts_module(run->arena, s)), text, len);
        ctlc_text_free(&text);
        if (g.clash)
            return CTLC_ERRORS;
        if (rc)
            return CTLC_IO;
    }
    if (write_text(run, outdir, "ctl_runtime.ts", ctlc_ts_runtime) || write_text(run, outdir, "ctl_lambda.ts",
                                                                                 ctlc_ts_lambda))
        return CTLC_IO;
    return CTLC_OK;
}

ctlc_status ctlc_emit_ts(ctlc_run *run, const ctlc_spec *spec, const char *outdir)
{
    if (!run)
        return CTLC_INVALID;
    CTLC_GUARDED(run, emit_ts(run, spec, outdir));
}
