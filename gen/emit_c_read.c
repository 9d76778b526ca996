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

#include "common/rules.h"
#include "emit_c.h"
#include "names.h"
#include "strset.h"

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

/* ---- one-pass readers -------------------------------------------------------------------- */

/* The one-pass readers (p_T_from_text) read an event's bytes straight into
 * the arguments of a hosted function, with the checks of the tree's
 * readers above but without their words: each returns 0 (read) or -1 (not
 * read, and the dispatch reads the event again as a tree, whose readers
 * say why). They are static, one for each type the hosted functions' events
 * hold, imported ones too, declared first since types may nest in any
 * order. */

/* Whether reading a value of type t needs the ctx (the arena beyond the
 * cursor's, json trees). */
static bool text_needs_ctx(const ctlc_type *t)
{
    return t->kind != CTLC_T_STRING && t->kind != CTLC_T_INT && t->kind != CTLC_T_FLOAT &&
           t->kind != CTLC_T_BOOL;
}

/* The call reading a value of type t from cur into the lvalue out (bytes:
 * where a string's length goes, or NULL). */
static const char *text_call(ctlc_cgen *g, const ctlc_type *t, const char *out, const char *bytes)
{
    switch (t->kind) {
    case CTLC_T_STRING: return ctlc_printf(g->a, "ctl_cur_string(cur, &%s, %s)", out, bytes ? bytes : "NULL");
    case CTLC_T_INT: return ctlc_printf(g->a, "ctl_cur_int(cur, &%s)", out);
    case CTLC_T_FLOAT: return ctlc_printf(g->a, "ctl_cur_float(cur, &%s)", out);
    case CTLC_T_BOOL: return ctlc_printf(g->a, "ctl_cur_bool(cur, &%s)", out);
    case CTLC_T_JSON: return ctlc_printf(g->a, "ctl_cur_json(ctx, cur, &%s)", out);
    default:
        return ctlc_printf(g->a, "%s(ctx, cur, &%s)",
                           ctlc_cname_codec(g->a, ctlc_c_codec_type(g, t), CTLC_R_TEXT_READER), out);
    }
}

/* "if (HEAD CALL)\n    return -1;" */
static void text_check(ctlc_cgen *g, const char *ind, const char *head, const char *call)
{
    fprintf(g->out, "%sif (%s%s)\n%s    return -1;\n", ind, head, call, ind);
}

static void text_signature(ctlc_cgen *g, const char *name, const char *ctype, const char *end)
{
    const char *params[] = { "ctl_ctx *ctx", "ctl_cursor *cur", ctlc_printf(g->a, "%s *out", ctype) };
    ctlc_c_list(g, "", ctlc_printf(g->a, "static int %s(", name), params, 3, end);
}

/* Room for one more item of out (a list or map being read). */
static void text_grow(ctlc_cgen *g, const ctlc_type *elem)
{
    fputs("        if (out->count == cap) {\n"
          "            out->items = ctl_cur_grow(ctx, out->items, out->count, &cap, sizeof *out->items);\n"
          "            if (!out->items)\n                return -1;\n        }\n",
          g->out);
    /* The room is not zeroed: a struct's absent fields and a list's or
     * map's start are zeros (strings, numbers and enums are written
     * whole). */
    if (ctlc_c_is_struct(elem) || elem->kind == CTLC_T_LIST || elem->kind == CTLC_T_MAP)
        fputs("        memset(&out->items[out->count], 0, sizeof *out->items);\n", g->out);
}

static void text_container_reader(ctlc_cgen *g, const ctlc_type *t)
{
    FILE *c = g->out;
    bool list = t->kind == CTLC_T_LIST;
    const char *ty = ctlc_c_codec_type(g, t);
    text_signature(g, ctlc_cname_codec(g->a, ty, CTLC_R_TEXT_READER), ty, ")");
    fputs("{\n    size_t cap = 0;\n    int more;\n", c);
    if (list) {
        fputs("    for (more = ctl_cur_array(cur); more > 0; more = ctl_cur_more(cur, ']')) {\n", c);
        text_grow(g, t->elem);
        text_check(g, "        ", "", text_call(g, t->elem, "out->items[out->count]", NULL));
        fputs("        out->count++;\n    }\n    return more;\n}\n\n", c);
        return;
    }
    fputs("    for (more = ctl_cur_object(cur); more > 0; more = ctl_cur_more(cur, '}')) {\n", c);
    text_grow(g, t->elem);
    text_check(g, "        ", "", "ctl_cur_map_key(cur, &out->items[out->count].key)");
    text_check(g, "        ", "", text_call(g, t->elem, "out->items[out->count].value", NULL));
    fputs("        out->count++;\n    }\n    if (more < 0)\n        return -1;\n"
          "    return ctl_check_map_keys(ctx, &ctl_path_root, out->items, out->count, sizeof *out->items);\n}\n\n",
          c);
}

/* The code of field f once its key is read, in a one-pass object reader:
 * next is the statement that goes on to the next member (after a null
 * read as absent; the caller writes it after the code too). */
static void text_field(ctlc_cgen *g, const ctlc_field *f, const char *ind, const char *next)
{
    FILE *c = g->out;
    const char *mem = ctlc_cname_field(g->a, f);
    const char *val = ctlc_printf(g->a, "out->%s", mem);
    bool counted = f->type->kind == CTLC_T_STRING && f->traits.has_length && ctlc_c_has_bounds(f);
    if (counted)
        fprintf(c, "%suint32_t bytes;\n", ind);
    const char *call = text_call(g, f->type, val, counted ? "&bytes" : NULL);
    if (!f->optional) {
        text_check(g, ind, ctlc_printf(g->a, "seen.%s || ", mem), call);
        fprintf(c, "%sseen.%s = true;\n", ind, mem);
    } else {
        fprintf(c, "%sif (seen.%s)\n%s    return -1;\n%sseen.%s = true;\n", ind, mem, ind, ind, mem);
        fprintf(c, "%sif (ctl_cur_null(cur))\n%s    %s /* null: absent */\n", ind, ind, next);
        const char *flag = ctlc_cname_field_flag(g->a, f);
        if (flag)
            fprintf(c, "%sout->%s = true;\n", ind, flag);
        if (ctlc_c_is_struct(f->type)) {
            const char *codec = ctlc_cname_codec(g->a, ctlc_c_codec_type(g, f->type), CTLC_R_TEXT_READER);
            fprintf(c, "%s%s = ctl_alloc_array(ctx, 1, sizeof *%s);\n", ind, val, val);
            fprintf(c, "%sif (!%s || %s(ctx, cur, %s))\n%s    return -1;\n", ind, val, codec, val, ind);
        } else {
            text_check(g, ind, "", call);
        }
    }
    if (ctlc_c_has_bounds(f)) {
        if (counted) {
            fprintf(c, "%ssize_t n = ctl_utf8_count(%s, bytes);\n", ind, val);
            ctlc_c_bounds(g, ind, f, val, "n", NULL);
        } else {
            ctlc_c_bounds(g, ind, f, val, ctlc_printf(g->a, "%s.count", val), NULL);
        }
    }
}

/* The key of f as ctl_key.quoted holds it, as a C string literal: its
 * JSON text, quotes and ':' included, when its wire name is that text (no
 * '"', '\\' or control character) and it fits; NULL otherwise. */
static const char *key_quoted(ctlc_cgen *g, const ctlc_field *f)
{
    for (size_t i = 0; i < f->wire_len; i++) {
        unsigned char b = (unsigned char)f->wire[i];
        if (b == '"' || b == '\\' || b < 0x20)
            return NULL;
    }
    if (f->wire_len + 3 > CTLI_RULE_KEY_QUOTED_MAX)
        return NULL;
    return ctlc_c_string(g, ctlc_printf(g->a, "\"%.*s\":", (int)f->wire_len, f->wire), f->wire_len + 3);
}

/* Whether reading f declares its bytes (braces around its code). */
static bool text_field_block(const ctlc_field *f)
{
    return f->type->kind == CTLC_T_STRING && f->traits.has_length && ctlc_c_has_bounds(f);
}

/* The fields of an object reader in spec order, as events mostly list
 * them, each key matched in line as constants (ctl_cur_key), after the
 * first with the ',' before it in the same match when it fits; at the
 * first member that is not the next field (another order, an unknown key,
 * a key that is not plain) the reader goes on in its loop ("fields"),
 * which takes any order. */
static void text_in_order(ctlc_cgen *g, const ctlc_fields *fs)
{
    FILE *c = g->out;
    if (!key_quoted(g, fs->first))
        return;
    fputs("    /* the fields in spec order, as events mostly list them; any other order in the loop */\n", c);
    size_t k = 0;
    for (const ctlc_field *f = fs->first; f; f = f->next, k++) {
        const char *quoted = key_quoted(g, f);
        if (!quoted)
            break;
        const char *mem = ctlc_cname_field(g->a, f);
        size_t len = f->wire_len + 3;
        if (k == 0)
            fprintf(c, "    if (more <= 0 || !ctl_cur_key(cur, %s, %zu))\n", quoted, len);
        else if (len + 1 <= CTLI_RULE_KEY_QUOTED_MAX)
            fprintf(c, "    if (!ctl_cur_key(cur, %s, %zu) &&\n"
                       "        ((more = ctl_cur_more(cur, '}')) <= 0 || !ctl_cur_key(cur, %s, %zu)))\n",
                    ctlc_c_string(g, ctlc_printf(g->a, ",\"%.*s\":", (int)f->wire_len, f->wire), len + 1), len + 1,
                    quoted, len);
        else
            fprintf(c, "    if ((more = ctl_cur_more(cur, '}')) <= 0 || !ctl_cur_key(cur, %s, %zu))\n", quoted, len);
        fprintf(c, "        goto fields;\n    field = %zu;\n", k);
        bool block = text_field_block(f);
        if (block)
            fputs("    {\n", c);
        text_field(g, f, block ? "        " : "    ", ctlc_printf(g->a, "goto after_%s;", mem));
        if (block)
            fputs("    }\n", c);
        if (f->optional)
            fprintf(c, "after_%s:\n", mem);
    }
    fputs("    more = ctl_cur_more(cur, '}');\nfields:\n", c);
}

/* The one-pass reader of an object with fields fs (maybe none). top: the
 * event's own object, whose "function" the dispatch has read: its reader
 * starts after it. */
static void text_object_reader(ctlc_cgen *g, const char *name, const char *ctype, const ctlc_fields *fs, bool top)
{
    FILE *c = g->out;
    text_signature(g, name, ctype, ")");
    fputs("{\n", c);
    bool ctx_used = false;
    for (const ctlc_field *f = fs->first; f; f = f->next)
        ctx_used |= text_needs_ctx(f->type) || (f->optional && ctlc_c_is_struct(f->type));
    if (!ctx_used)
        fputs("    (void)ctx;\n", c);
    if (!fs->first) {
        fputs("    (void)out; /* no fields */\n", c);
    } else {
        const char **members = ctlc_alloc(g->a, fs->count * sizeof *members);
        size_t k = 0;
        for (const ctlc_field *f = fs->first; f; f = f->next)
            members[k++] = ctlc_cname_field(g->a, f);
        fputs("    struct {\n", c);
        ctlc_c_list(g, "        ", "bool ", members, k, ";");
        fputs("    } seen = { false };\n", c);
    }
    /* The fields' keys in spec order, matched by ctl_cur_field. */
    if (fs->first) {
        const char **keys = ctlc_alloc(g->a, fs->count * sizeof *keys);
        size_t k = 0;
        for (const ctlc_field *f = fs->first; f; f = f->next) {
            const char *quoted = key_quoted(g, f);
            keys[k++] = ctlc_printf(g->a, "{ %s, %s, %zu }", quoted ? quoted : "\"\"", ctlc_c_wire(g, f),
                                   f->wire_len);
        }
        ctlc_c_list(g, "    ", "static const ctl_key keys[] = { ", keys, k, " };");
    }
    fputs("    int field = -1;\n", c);
    if (top)
        fputs("    int more = ctl_cur_more(cur, '}'); /* after the event's \"function\" */\n", c);
    else
        fputs("    int more = ctl_cur_object(cur);\n", c);
    if (fs->first)
        text_in_order(g, fs);
    fputs("    for (; more > 0; more = ctl_cur_more(cur, '}')) {\n", c);
    fprintf(c, "        /* the field after the last one read first */\n"
               "        switch (field = ctl_cur_field(cur, %s, %zu, field + 1)) {\n"
               "        case -1:\n            return -1;\n",
            fs->first ? "keys" : "NULL", fs->count);
    size_t k = 0;
    for (const ctlc_field *f = fs->first; f; f = f->next, k++) {
        /* braces where the field's code declares its bytes */
        bool block = text_field_block(f);
        fprintf(c, "        case %zu:%s\n", k, block ? " {" : "");
        text_field(g, f, "            ", "continue;");
        fputs("            continue;\n", c);
        if (block)
            fputs("        }\n", c);
    }
    fputs("        }\n", c);
    fputs("        if (ctl_cur_skip(cur))\n            return -1;\n    }\n    if (more < 0)\n        return -1;\n", c);
    for (const ctlc_field *f = fs->first; f; f = f->next) {
        if (f->optional)
            continue;
        const char *mem = ctlc_cname_field(g->a, f);
        if (f->dflt) {
            fprintf(c, "    if (!seen.%s)\n        ", mem);
            emit_default(g, f, ctlc_printf(g->a, "out->%s", mem));
        } else {
            fprintf(c, "    if (!seen.%s)\n        return -1;\n", mem);
        }
    }
    fputs("    return 0;\n}\n\n", c);
}

static void text_enum_reader(ctlc_cgen *g, const ctlc_decl *d)
{
    FILE *c = g->out;
    const char *name = ctlc_cname_type(g->a, d);
    text_signature(g, ctlc_cname_codec(g->a, name, CTLC_R_TEXT_READER), name, ")");
    if (d->spec != g->spec) {
        /* imported: its spec's public lookup, by a terminated copy */
        fprintf(c, "{\n    const char *s;\n    (void)ctx;\n    if (ctl_cur_string(cur, &s, NULL) || !%s(s, out))\n"
                   "        return -1;\n    return 0;\n}\n\n",
                ctlc_cname_enum_fn(g->a, d, CTLC_R_ENUM_FROM_STRING));
        return;
    }
    /* the word where it lies, matched by the static lookup by bytes */
    fprintf(c, "{\n    const char *s;\n    uint32_t len;\n    (void)ctx;\n"
               "    if (ctl_cur_word(cur, &s, &len) || !%s(s, len, out))\n        return -1;\n    return 0;\n}\n\n",
            ctlc_cname_enum_fn(g->a, d, CTLC_R_ENUM_FROM_BYTES));
}

/* The types the events of hosted functions hold, by codec type name. */
static void text_need(ctlc_cgen *g, ctlc_strlist *need, const ctlc_type *t)
{
    if (t->kind == CTLC_T_LIST || t->kind == CTLC_T_MAP) {
        text_need(g, need, t->elem);
        ctlc_strlist_add(need, ctlc_c_codec_type(g, t), t);
    } else if (t->kind == CTLC_T_NAMED && t->decl) {
        if (!ctlc_strlist_add(need, ctlc_c_codec_type(g, t), t) || t->decl->kind != CTLC_D_STRUCT)
            return;
        for (const ctlc_field *f = t->decl->fields.first; f; f = f->next)
            text_need(g, need, f->type);
    }
}

/* Whether function f of ctrl gets a one-pass reader: hosted, not @records. */
static bool text_read(ctlc_cgen *g, const ctlc_decl *ctrl, const ctlc_func *f)
{
    return ctlc_c_hosted(g, ctrl) && !f->traits.records;
}

void ctlc_c_text_readers(ctlc_cgen *g)
{
    FILE *c = g->out;
    ctlc_strlist need;
    ctlc_strlist_init(&need, g->a);
    bool any = false;
    for (const ctlc_decl *d = g->spec->decls; d; d = d->next)
        for (const ctlc_func *f = d->kind == CTLC_D_CONTROLLER ? d->funcs : NULL; f; f = f->next)
            if (text_read(g, d, f)) {
                any = true;
                for (const ctlc_field *p = f->params.first; p; p = p->next)
                    text_need(g, &need, p->type);
            }
    if (!any)
        return;
    fputs("/* ---- one-pass readers: the events of hosted functions, read from their bytes ---- */\n\n", c);
    for (size_t i = 0; i < need.n; i++)
        text_signature(g, ctlc_cname_codec(g->a, need.keys[i], CTLC_R_TEXT_READER), need.keys[i], ");");
    if (need.n)
        fputs("\n", c);
    for (size_t i = 0; i < need.n; i++) {
        const ctlc_type *t = need.values[i];
        if (t->kind == CTLC_T_LIST || t->kind == CTLC_T_MAP)
            text_container_reader(g, t);
        else if (t->decl->kind == CTLC_D_STRUCT)
            text_object_reader(g, ctlc_cname_codec(g->a, need.keys[i], CTLC_R_TEXT_READER), need.keys[i],
                               &t->decl->fields, false);
        else
            text_enum_reader(g, t->decl);
    }
    for (const ctlc_decl *d = g->spec->decls; d; d = d->next)
        for (const ctlc_func *f = d->kind == CTLC_D_CONTROLLER ? d->funcs : NULL; f; f = f->next)
            if (text_read(g, d, f)) {
                const char *args = ctlc_cname_func(g->a, d, f, CTLC_R_ARGS);
                text_object_reader(g, ctlc_cname_codec(g->a, args, CTLC_R_TEXT_READER), args, &f->params, true);
            }
}
