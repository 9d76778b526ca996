/* emit_c_read.c: the readers of NAME.ctl.c (p_T_from_json), for structs,
 * the arguments and results of functions, lists, maps and enums.
 *
 *     int p_T_from_json(ctl_ctx *ctx, const ctl_json *v, const ctl_path *path, p_T *out);
 *
 * A reader walks the JSON node v that ctl_json_parse built and checks the
 * whole contract through the runtime's readers (ctl/gen.h), which name the
 * JSON path of what they refuse. An object's reader looks keys up by
 * length, then bytes, straight into the field's code; a field seen twice,
 * one missing and one out of its bounds fail in the runtime's words. */
#include <stdlib.h>
#include <string.h>

#include "emit_c.h"
#include "names.h"

/* "if (CALL)\n    return -1;" with the call's arguments wrapped when long. */
static void emit_check(ctlc_cgen *g, const char *ind, const char *fn, const char *const *args, size_t n)
{
    ctlc_c_list(g, ind, ctlc_printf(g->a, "if (%s(", fn), args, n, "))");
    fprintf(g->out, "%s    return -1;\n", ind);
}

/* Reads JSON node v at path p into the lvalue out of type t. */
static void emit_read(ctlc_cgen *g, const char *ind, const ctlc_type *t, const char *v, const char *p,
                      const char *out)
{
    const char *fn;
    switch (t->kind) {
    case CTLC_T_STRING: fn = "ctl_read_string"; break;
    case CTLC_T_INT: fn = "ctl_read_int"; break;
    case CTLC_T_FLOAT: fn = "ctl_read_float"; break;
    case CTLC_T_BOOL: fn = "ctl_read_bool"; break;
    case CTLC_T_JSON: fn = "ctl_read_json"; break;
    default: fn = ctlc_cname_codec(g->a, ctlc_c_codec_type(g, t), CTLC_R_READER); break;
    }
    const char *args[] = { "ctx", v, p, ctlc_printf(g->a, "&%s", out) };
    emit_check(g, ind, fn, args, 4);
}

void ctlc_c_container_reader(ctlc_cgen *g, const ctlc_type *t)
{
    FILE *c = g->out;
    bool list = t->kind == CTLC_T_LIST;
    const char *ty = ctlc_c_codec_type(g, t);
    const char *params[] = { "ctl_ctx *ctx", "const ctl_json *v", "const ctl_path *path",
                             ctlc_printf(g->a, "%s *out", ty) };
    ctlc_c_list(g, "", ctlc_printf(g->a, "static int %s(", ctlc_cname_codec(g->a, ty, CTLC_R_READER)), params, 4,
                ")");
    fputs("{\n", c);
    fprintf(c, "    if (ctl_expect(ctx, v, path, %s))\n        return -1;\n", list ? "CTL_JSON_ARRAY" : "CTL_JSON_OBJECT");
    if (!list)
        fputs("    if (ctl_check_unique_keys(ctx, v, path))\n        return -1;\n", c);
    fputs("    out->items = ctl_alloc_array(ctx, v->len, sizeof *out->items);\n"
          "    if (!out->items)\n        return -1;\n"
          "    out->count = v->len;\n"
          "    uint32_t i = 0;\n"
          "    for (const ctl_json *item = v->child; item; item = item->next, i++) {\n",
          c);
    if (list) {
        fputs("        ctl_path p = { path, NULL, 0, i };\n", c);
        emit_read(g, "        ", t->elem, "item", "&p", "out->items[i]");
    } else {
        fputs("        ctl_path p = { path, item->key, item->key_len, i };\n", c);
        emit_check(g, "        ", "ctl_read_key", (const char *[]){ "ctx", "item", "&p", "&out->items[i].key" }, 4);
        emit_read(g, "        ", t->elem, "item", "&p", "out->items[i].value");
    }
    fputs("    }\n    return 0;\n}\n\n", c);
}

/* The code of one field inside the reader's key match: m is the member, p
 * its path. */
static void read_field(ctlc_cgen *g, const ctlc_field *f, const char *ind)
{
    FILE *c = g->out;
    const char *mem = ctlc_cname_field(g->a, f);
    const char *val = ctlc_printf(g->a, "out->%s", mem);
    fprintf(c, "%sif (seen.%s)\n%s    return ctl_fail_duplicate(ctx, &p);\n", ind, mem, ind);
    fprintf(c, "%sseen.%s = true;\n", ind, mem);
    if (f->optional) {
        fprintf(c, "%sif (m->type == CTL_JSON_NULL)\n%s    break; /* null: absent */\n", ind, ind);
        const char *flag = ctlc_cname_field_flag(g->a, f);
        if (flag)
            fprintf(c, "%sout->%s = true;\n", ind, flag);
    }
    if (f->optional && ctlc_c_is_struct(f->type)) {
        const char *codec = ctlc_cname_codec(g->a, ctlc_c_codec_type(g, f->type), CTLC_R_READER);
        fprintf(c, "%s%s = ctl_alloc_array(ctx, 1, sizeof *%s);\n", ind, val, val);
        fprintf(c, "%sif (!%s || %s(ctx, m, &p, %s))\n%s    return -1;\n", ind, val, codec, val, ind);
    } else {
        emit_read(g, ind, f->type, "m", "&p", val);
    }
    if (!ctlc_c_has_bounds(f))
        return;
    if (f->type->kind == CTLC_T_STRING && f->traits.has_length) {
        fprintf(c, "%ssize_t n = ctl_utf8_count(m->str, m->len);\n", ind);
        ctlc_c_bounds(g, ind, f, val, "n", "&p");
    } else {
        ctlc_c_bounds(g, ind, f, val, ctlc_printf(g->a, "%s.count", val), "&p");
    }
}

static void emit_default(ctlc_cgen *g, const ctlc_field *f, const char *lvalue)
{
    const ctlc_literal *v = f->dflt;
    FILE *c = g->out;
    switch (f->type->kind) {
    case CTLC_T_STRING: fprintf(c, "%s = %s;\n", lvalue, ctlc_c_string(g, v->s, v->slen)); break;
    case CTLC_T_INT: fprintf(c, "%s = %s;\n", lvalue, ctlc_c_int_literal(g, v->i)); break;
    case CTLC_T_FLOAT: fprintf(c, "%s = %s;\n", lvalue, ctlc_c_float_literal(g, v->f)); break;
    case CTLC_T_BOOL: fprintf(c, "%s = %s;\n", lvalue, v->b ? "true" : "false"); break;
    default: {
        for (const ctlc_member *m = f->type->decl->members; m; m = m->next)
            if (m->name.n == v->n && memcmp(m->name.z, v->z, v->n) == 0)
                fprintf(c, "%s = %s;\n", lvalue, ctlc_cname_enum_const(g->a, f->type->decl, m));
        break;
    }
    }
}

/* A field and its place in the spec, to sort by key length stably. */
typedef struct placed_field {
    const ctlc_field *f;
    size_t index;
} placed_field;

static int by_wire_len(const void *a, const void *b)
{
    const placed_field *x = a, *y = b;
    if (x->f->wire_len != y->f->wire_len)
        return x->f->wire_len < y->f->wire_len ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* The reader of an object with fields fs (not empty), as function name. */
void ctlc_c_object_reader(ctlc_cgen *g, const char *name, const char *ctype, const ctlc_fields *fs,
                          bool is_static)
{
    FILE *c = g->out;
    const char *params[] = { "ctl_ctx *ctx", "const ctl_json *v", "const ctl_path *path",
                             ctlc_printf(g->a, "%s *out", ctype) };
    ctlc_c_list(g, "", ctlc_printf(g->a, "%sint %s(", is_static ? "static " : "", name), params, 4, ")");
    fputs("{\n", c);
    /* Which fields were seen, by their C member names. */
    const char **members = ctlc_alloc(g->a, fs->count * sizeof *members);
    size_t k = 0;
    for (const ctlc_field *f = fs->first; f; f = f->next)
        members[k++] = ctlc_cname_field(g->a, f);
    fputs("    struct {\n", c);
    ctlc_c_list(g, "        ", "bool ", members, k, ";");
    fputs("    } seen = { false };\n", c);
    fputs("    if (ctl_expect(ctx, v, path, CTL_JSON_OBJECT))\n        return -1;\n", c);
    fputs("    for (const ctl_json *m = v->child; m; m = m->next) {\n", c);
    fputs("        ctl_path p = { path, m->key, m->key_len, 0 };\n", c);
    fputs("        switch (m->key_len) {\n", c);
    /* By key length, then spec order. */
    placed_field *sorted = ctlc_alloc(g->a, fs->count * sizeof *sorted);
    k = 0;
    for (const ctlc_field *f = fs->first; f; f = f->next, k++)
        sorted[k] = (placed_field){ f, k };
    qsort(sorted, k, sizeof *sorted, by_wire_len);
    for (size_t i = 0; i < k; i++) {
        const ctlc_field *f = sorted[i].f;
        bool first = i == 0 || sorted[i - 1].f->wire_len != f->wire_len;
        if (first)
            fprintf(c, "        case %zu:\n            if", f->wire_len);
        else
            fputs(" else if", c);
        fprintf(c, " (memcmp(m->key, %s, %zu) == 0) {\n", ctlc_c_wire(g, f), f->wire_len);
        read_field(g, f, "                ");
        fputs("            }", c);
        if (i + 1 == k || sorted[i + 1].f->wire_len != f->wire_len)
            fputs("\n            break;\n", c);
    }
    fputs("        }\n    }\n", c);
    for (const ctlc_field *f = fs->first; f; f = f->next) {
        if (f->optional)
            continue;
        const char *mem = ctlc_cname_field(g->a, f);
        if (f->dflt) {
            fprintf(c, "    if (!seen.%s)\n        ", mem);
            emit_default(g, f, ctlc_printf(g->a, "out->%s", mem));
        } else {
            fprintf(c, "    if (!seen.%s)\n        return ctl_fail_missing(ctx, path, %s);\n", mem, ctlc_c_wire(g, f));
        }
    }
    fputs("    return 0;\n}\n\n", c);
}

void ctlc_c_struct_reader(ctlc_cgen *g, const ctlc_decl *d)
{
    FILE *c = g->out;
    const char *name = ctlc_cname_type(g->a, d);
    if (d->fields.first) {
        ctlc_c_object_reader(g, ctlc_cname_codec(g->a, name, CTLC_R_READER), name, &d->fields, false);
    } else {
        const char *params[] = { "ctl_ctx *ctx", "const ctl_json *v", "const ctl_path *path",
                                 ctlc_printf(g->a, "%s *out", name) };
        ctlc_c_list(g, "", ctlc_printf(g->a, "int %s(", ctlc_cname_codec(g->a, name, CTLC_R_READER)), params, 4,
                    ")");
        fputs("{\n    (void)out; /* no fields */\n    return ctl_expect(ctx, v, path, CTL_JSON_OBJECT);\n}\n\n",
              c);
    }
}

/* The reader of enum d; bytes is its static function matching a member's
 * wire name. */
void ctlc_c_enum_reader(ctlc_cgen *g, const ctlc_decl *d, const char *bytes)
{
    FILE *c = g->out;
    const char *name = ctlc_cname_type(g->a, d);
    const char *spec_name = ctlc_c_string(g, d->name.z, d->name.n);
    const char *rparams[] = { "ctl_ctx *ctx", "const ctl_json *v", "const ctl_path *path",
                              ctlc_printf(g->a, "%s *out", name) };
    ctlc_c_list(g, "", ctlc_printf(g->a, "int %s(", ctlc_cname_codec(g->a, name, CTLC_R_READER)), rparams, 4, ")");
    fputs("{\n", c);
    const char *lookup = ctlc_printf(g->a, "!%s(v->str, v->len, out))", bytes);
    if (strlen(lookup) + 50 <= CTLC_C_COLUMNS)
        fprintf(c, "    if (v->type != CTL_JSON_STRING || v->flags || %s\n", lookup);
    else
        fprintf(c, "    if (v->type != CTL_JSON_STRING || v->flags ||\n        %s\n", lookup);
    fprintf(c, "        return ctl_fail_enum(ctx, v, path, %s);\n    return 0;\n}\n\n", spec_name);
}
