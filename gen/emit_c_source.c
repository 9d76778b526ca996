/* emit_c_source.c: NAME.ctl.c, its writers, dispatch and stubs (its readers
 * are emit_c_read.c's).
 *
 * Readers (p_T_from_json) and writers (p_T_to_json) exist for every C type
 * a program needs, with one signature each:
 *
 *     int p_T_from_json(ctl_ctx *ctx, const ctl_json *v, const ctl_path *path, p_T *out);
 *     int p_T_to_json(ctl_ctx *ctx, const p_T *v, const ctl_path *path, ctl_buf *out);
 *
 * Both check the whole contract and fail through the same runtime functions
 * (ctl/gen.h), so that a stub refusing its arguments, a controller refusing
 * an event and a controller refusing its handler's result say the same
 * words. A reader looks keys up by length, then bytes, straight into the
 * field's code; a writer writes each run of constant JSON as one literal. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/rules.h"
#include "emit_c.h"
#include "names.h"
#include "strset.h"


/* ---- literals ------------------------------------------------------------------------ */

const char *ctlc_c_int_literal(ctlc_cgen *g, int64_t v)
{
    if (v == INT64_MIN)
        return "INT64_MIN";
    if (v >= -2147483647 && v <= 2147483647)
        return ctlc_printf(g->a, "%lld", (long long)v);
    return ctlc_printf(g->a, "INT64_C(%lld)", (long long)v);
}

/* The shortest text that reads back as v, always with a '.' or exponent. */
const char *ctlc_c_float_literal(ctlc_cgen *g, double v)
{
    const char *text = ctlc_float_text(g->a, v);
    return strpbrk(text, ".eEn") ? text : ctlc_printf(g->a, "%s.0", text);
}

const char *ctlc_c_wire(ctlc_cgen *g, const ctlc_field *f)
{
    return ctlc_c_string(g, f->wire, f->wire_len);
}

/* &(ctl_path){ path, "wire", len, 0 }: where field f of the object at path is. */
static const char *field_path(ctlc_cgen *g, const ctlc_field *f)
{
    return ctlc_printf(g->a, "&(ctl_path){ path, %s, %zu, 0 }", ctlc_c_wire(g, f), f->wire_len);
}

/* ---- bounds ---------------------------------------------------------------------------- */

/* The checks of f's @length and @range on the value val (count: the length
 * already in a variable or member) at path pexpr; a return from the
 * function when one fails. */
void ctlc_c_bounds(ctlc_cgen *g, const char *ind, const ctlc_field *f, const char *val, const char *count,
                   const char *pexpr)
{
    const ctlc_traits *tr = &f->traits;
    FILE *c = g->out;
    if (tr->has_length) {
        bool lo = tr->length.has_min && tr->length.min.i > 0, hi = tr->length.has_max;
        long long min = (long long)tr->length.min.i, max = (long long)tr->length.max.i;
        if (lo && hi && min == max) {
            fprintf(c, "%sif (%s != %lld)\n", ind, count, min);
        } else if (lo && hi) {
            fprintf(c, "%sif (%s < %lld || %s > %lld)\n", ind, count, min, count, max);
        } else if (lo) {
            fprintf(c, "%sif (%s < %lld)\n", ind, count, min);
        } else if (hi) {
            fprintf(c, "%sif (%s > %lld)\n", ind, count, max);
        }
        const char *in = ctlc_printf(g->a, "%s    ", ind);
        if (!pexpr && (lo || hi)) {
            fprintf(c, "%sreturn -1;\n", in);
        } else if (lo && hi) {
            const char *a[] = { "ctx", pexpr, count, ctlc_printf(g->a, "%lld", min), ctlc_printf(g->a, "%lld", max) };
            ctlc_c_list(g, in, "return ctl_fail_range_length(", a, 5, ");");
        } else if (lo || hi) {
            const char *a[] = { "ctx", pexpr, count, ctlc_printf(g->a, "%lld", lo ? min : max) };
            ctlc_c_list(g, in, lo ? "return ctl_fail_min_length(" : "return ctl_fail_max_length(", a, 4, ");");
        }
    }
    if (tr->has_range) {
        bool is_int = f->type->kind == CTLC_T_INT;
        bool lo = tr->range.has_min && !(is_int && tr->range.min.i == INT64_MIN);
        bool hi = tr->range.has_max && !(is_int && tr->range.max.i == INT64_MAX);
        const char *min = is_int ? ctlc_c_int_literal(g, tr->range.min.i) : ctlc_c_float_literal(g, tr->range.min.f);
        const char *max = is_int ? ctlc_c_int_literal(g, tr->range.max.i) : ctlc_c_float_literal(g, tr->range.max.f);
        bool same = lo && hi && (is_int ? tr->range.min.i == tr->range.max.i : tr->range.min.f == tr->range.max.f);
        if (same)
            fprintf(c, "%sif (%s != %s)\n", ind, val, min);
        else if (lo && hi)
            fprintf(c, "%sif (%s < %s || %s > %s)\n", ind, val, min, val, max);
        else if (lo)
            fprintf(c, "%sif (%s < %s)\n", ind, val, min);
        else if (hi)
            fprintf(c, "%sif (%s > %s)\n", ind, val, max);
        const char *in = ctlc_printf(g->a, "%s    ", ind);
        const char *kind = is_int ? "int" : "float";
        if (!pexpr && (lo || hi)) {
            fprintf(c, "%sreturn -1;\n", in);
        } else if (lo && hi) {
            const char *a[] = { "ctx", pexpr, val, min, max };
            ctlc_c_list(g, in, ctlc_printf(g->a, "return ctl_fail_range_%s(", kind), a, 5, ");");
        } else if (lo || hi) {
            const char *a[] = { "ctx", pexpr, val, lo ? min : max };
            ctlc_c_list(g, in, ctlc_printf(g->a, "return ctl_fail_%s_%s(", lo ? "min" : "max", kind), a, 4, ");");
        }
    }
}

/* Whether f has a @length or @range that makes a check. */
bool ctlc_c_has_bounds(const ctlc_field *f)
{
    const ctlc_traits *tr = &f->traits;
    if (tr->has_length && ((tr->length.has_min && tr->length.min.i > 0) || tr->length.has_max))
        return true;
    if (tr->has_range) {
        bool is_int = f->type->kind == CTLC_T_INT;
        return (tr->range.has_min && !(is_int && tr->range.min.i == INT64_MIN)) ||
               (tr->range.has_max && !(is_int && tr->range.max.i == INT64_MAX));
    }
    return false;
}

/* ---- which codecs of list and map types this file needs ----------------------------- */

typedef struct codec_set {
    ctlc_strlist all;          /* every container met (mangled name: type), inner ones first */
    ctlc_strset read, write;   /* those whose reader, writer is needed */
} codec_set;

static void need_type(ctlc_cgen *g, codec_set *s, const ctlc_type *t, bool read, bool write)
{
    if (t->kind != CTLC_T_LIST && t->kind != CTLC_T_MAP)
        return;
    need_type(g, s, t->elem, read, write);
    const char *name = ctlc_cname_mangle(g->a, t);
    if (read)
        ctlc_strset_add(&s->read, name);
    if (write)
        ctlc_strset_add(&s->write, name);
    ctlc_strlist_add(&s->all, name, t);
}

static void need_fields(ctlc_cgen *g, codec_set *s, const ctlc_fields *fs, bool read, bool write)
{
    if (!read && !write)
        return;
    for (const ctlc_field *f = fs->first; f; f = f->next)
        need_type(g, s, f->type, read, write);
}

/* ---- writers -------------------------------------------------------------------------------- */

/* What a writer's body used, so that only the parameters it did not use
 * are marked (a struct of bools and ints cannot fail). */
typedef struct writer_use {
    bool ctx, path;
} writer_use;

/* The code writing value val (addr: its address) of type t at path pexpr,
 * returning from the writer when it fails. Strings and json are not here:
 * their failures depend on where they are (a field or an item). */
static void write_value(ctlc_cgen *g, writer_use *u, const char *ind, const ctlc_type *t, const char *val,
                        const char *addr, const char *pexpr)
{
    FILE *c = g->out;
    switch (t->kind) {
    case CTLC_T_INT: fprintf(c, "%sctl_write_int(out, %s);\n", ind, val); break;
    case CTLC_T_BOOL: fprintf(c, "%sctl_write_bool(out, %s);\n", ind, val); break;
    case CTLC_T_FLOAT: {
        fprintf(c, "%sif (ctl_write_float(out, %s))\n", ind, val);
        const char *a[] = { "ctx", pexpr, val };
        ctlc_c_list(g, ctlc_printf(g->a, "%s    ", ind), "return ctl_fail_float(", a, 3, ");");
        u->ctx = u->path = true;
        break;
    }
    case CTLC_T_JSON: {
        const char *a[] = { "ctx", val, pexpr, "out" };
        ctlc_c_list(g, ind, "if (ctl_write_json(", a, 4, "))");
        fprintf(c, "%s    return -1;\n", ind);
        u->ctx = u->path = true;
        break;
    }
    default: {
        const char *codec = ctlc_cname_codec(g->a, ctlc_c_codec_type(g, t), CTLC_R_WRITER);
        const char *a[] = { "ctx", addr, pexpr, "out" };
        ctlc_c_list(g, ind, ctlc_printf(g->a, "if (%s(", codec), a, 4, "))");
        fprintf(c, "%s    return -1;\n", ind);
        u->ctx = u->path = true;
        break;
    }
    }
}

static void emit_container_writer(ctlc_cgen *g, const ctlc_type *t)
{
    FILE *c = g->out;
    bool list = t->kind == CTLC_T_LIST;
    const char *ty = ctlc_c_codec_type(g, t);
    const char *params[] = { "ctl_ctx *ctx", ctlc_printf(g->a, "const %s *v", ty), "const ctl_path *path",
                             "ctl_buf *out" };
    ctlc_c_list(g, "", ctlc_printf(g->a, "static int %s(", ctlc_cname_codec(g->a, ty, CTLC_R_WRITER)), params, 4,
                ")");
    fputs("{\n", c);
    if (list)
        fputs("    if (v->count && !v->items)\n        return ctl_fail_items(ctx, path, v->count);\n", c);
    else
        fputs("    if (ctl_check_map_keys(ctx, path, v->items, v->count, sizeof *v->items))\n        return -1;\n", c);
    fprintf(c, "    ctl_buf_putc(out, '%c');\n", list ? '[' : '{');
    fputs("    for (size_t i = 0; i < v->count; i++) {\n", c);
    const char *val, *pexpr;
    if (list) {
        val = "v->items[i]";
        pexpr = "&(ctl_path){ path, NULL, 0, (uint32_t)i }";
        fputs("        if (i)\n            ctl_buf_putc(out, ',');\n", c);
    } else {
        fprintf(c, "        const %s_entry *item = &v->items[i];\n", ty);
        val = "item->value";
        pexpr = "&(ctl_path){ path, item->key, (uint32_t)strlen(item->key), (uint32_t)i }";
        fputs("        if (i)\n            ctl_buf_putc(out, ',');\n", c);
        fputs("        if (ctl_write_key(ctx, item->key, path, i, out))\n            return -1;\n", c);
    }
    writer_use u = { true, true };
    if (t->elem->kind == CTLC_T_STRING) {
        fprintf(c, "        if (ctl_write_string(out, %s))\n", val);
        const char *a[] = { "ctx", pexpr, val };
        ctlc_c_list(g, "            ", "return ctl_fail_string(", a, 3, ");");
    } else {
        write_value(g, &u, "        ", t->elem, val, ctlc_printf(g->a, "&%s", val), pexpr);
    }
    fprintf(c, "    }\n    ctl_buf_putc(out, '%c');\n    return 0;\n}\n\n", list ? ']' : '}');
}

/* Appends JSON text to what waits to be written as one literal. */
static void pend(ctlc_cgen *g, const char **pending, const char *text)
{
    *pending = ctlc_printf(g->a, "%s%s", *pending, text);
}

static void flush(ctlc_cgen *g, const char *ind, const char **pending)
{
    if (**pending)
        fprintf(g->out, "%sCTL_BUF_LIT(out, %s);\n", ind, ctlc_c_string(g, *pending, strlen(*pending)));
    *pending = "";
}

/* The code writing field f (its key written already) of the object at path. */
static void write_field(ctlc_cgen *g, writer_use *u, const char *ind, const ctlc_field *f, bool *size_n)
{
    FILE *c = g->out;
    const char *mem = ctlc_cname_field(g->a, f);
    const char *val = ctlc_printf(g->a, "v->%s", mem);
    const ctlc_type *t = f->type;
    const char *in = ctlc_printf(g->a, "%s    ", ind);
    switch (t->kind) {
    case CTLC_T_STRING: {
        bool counted = ctlc_c_has_bounds(f);
        if (counted)
            fprintf(c, "%sif (ctl_write_string_length(out, %s, &n))\n", ind, val);
        else
            fprintf(c, "%sif (ctl_write_string(out, %s))\n", ind, val);
        const char *a[] = { "ctx", "path", ctlc_c_wire(g, f), val };
        ctlc_c_list(g, in, "return ctl_fail_string_field(", a, 4, ");");
        u->ctx = u->path = true;
        if (counted) {
            *size_n = true;
            ctlc_c_bounds(g, ind, f, val, "n", field_path(g, f));
        }
        return;
    }
    case CTLC_T_JSON:
        if (!f->optional) {
            fprintf(c, "%sif (!%s)\n", ind, val);
            const char *a[] = { "ctx", "path", ctlc_c_wire(g, f) };
            ctlc_c_list(g, in, "return ctl_fail_missing(", a, 3, ");");
        }
        break;
    default: break;
    }
    bool pointer = f->optional && ctlc_c_is_struct(t);
    write_value(g, u, ind, t, val, pointer ? val : ctlc_printf(g->a, "&%s", val), field_path(g, f));
    if (ctlc_c_has_bounds(f)) {
        u->ctx = u->path = true;
        bool counted = t->kind == CTLC_T_LIST || t->kind == CTLC_T_MAP;
        ctlc_c_bounds(g, ind, f, val, counted ? ctlc_printf(g->a, "%s.count", val) : val, field_path(g, f));
    }
}

/* The writer of an object with fields fs, as function name; head is the
 * JSON it opens with: "{" for a struct or result, "{\"function\":\"f\"" for
 * an event, whose key needs a ',' after it. */
static void emit_object_writer(ctlc_cgen *g, const char *name, const char *ctype, const ctlc_fields *fs,
                               const char *head, bool is_static)
{
    FILE *c = g->out;
    bool event = strcmp(head, "{") != 0;
    const char *params[] = { "ctl_ctx *ctx", ctlc_printf(g->a, "const %s *v", ctype), "const ctl_path *path",
                             "ctl_buf *out" };
    ctlc_c_list(g, "", ctlc_printf(g->a, "%sint %s(", is_static ? "static " : "", name), params, 4, ")");
    fputs("{\n", c);
    if (!fs->first) {
        fputs("    (void)ctx;\n    (void)v;\n    (void)path;\n    CTL_BUF_LIT(out, \"{}\");\n    return 0;\n}\n\n",
              c);
        return;
    }
    /* The body first, to know what it uses. */
    char *body = NULL;
    size_t len = 0;
    FILE *saved = g->out;
    g->out = c = ctlc_memstream(&body, &len);
    writer_use u = { false, false };
    bool size_n = false;
    /* Until a required field is written, a struct whose first fields are
     * optional opens with '{' or ',' depending on which were present: sep. */
    bool sep = !event && fs->first->optional, opened = event;
    const char *pending = sep ? "" : head;
    for (const ctlc_field *f = fs->first; f; f = f->next) {
        const char *key = ctlc_printf(g->a, "%s:", ctlc_c_json_string(g, f->wire, f->wire_len));
        if (!f->optional) {
            if (sep) {
                fputs("    ctl_buf_putc(out, sep);\n", c);
                sep = false;
            } else if (opened) {
                pend(g, &pending, ",");
            }
            pend(g, &pending, key);
            flush(g, "    ", &pending);
            write_field(g, &u, "    ", f, &size_n);
            opened = true;
            continue;
        }
        flush(g, "    ", &pending);
        const char *mem = ctlc_cname_field(g->a, f);
        const char *flag = ctlc_cname_field_flag(g->a, f);
        if (flag)
            fprintf(c, "    if (v->%s) {\n", flag);
        else if (f->type->kind == CTLC_T_JSON)
            fprintf(c, "    if (v->%s && !cJSON_IsNull(v->%s)) {\n", mem, mem);
        else
            fprintf(c, "    if (v->%s) {\n", mem);
        const char *inner = sep ? "" : ",";
        if (sep)
            fputs("        ctl_buf_putc(out, sep);\n", c);
        pend(g, &inner, key);
        flush(g, "        ", &inner);
        write_field(g, &u, "        ", f, &size_n);
        if (sep)
            fputs("        sep = ',';\n", c);
        fputs("    }\n", c);
    }
    if (sep)
        fputs("    if (sep == '{')\n        CTL_BUF_LIT(out, \"{}\");\n    else\n        ctl_buf_putc(out, '}');\n", c);
    else
        fputs("    ctl_buf_putc(out, '}');\n", c);
    fputs("    return 0;\n}\n\n", c);
    ctlc_memstream_close(c, &body);
    g->out = c = saved;
    if (!u.ctx && !u.path)
        fputs("    (void)ctx; /* nothing here can break the contract */\n    (void)path;\n", c);
    else if (!u.ctx)
        fputs("    (void)ctx;\n", c);
    else if (!u.path)
        fputs("    (void)path;\n", c);
    if (size_n)
        fputs("    size_t n;\n", c);
    if (!event && fs->first->optional)
        fputs("    char sep = '{';\n", c);
    fwrite(body, 1, len, c);
    ctlc_text_free(&body);
}

/* ---- enums ------------------------------------------------------------------------------------ */

static void emit_enum(ctlc_cgen *g, const ctlc_decl *d)
{
    FILE *c = g->out;
    const char *name = ctlc_cname_type(g->a, d);
    const char *to = ctlc_cname_enum_fn(g->a, d, CTLC_R_ENUM_TO_STRING);
    const char *from = ctlc_cname_enum_fn(g->a, d, CTLC_R_ENUM_FROM_STRING);
    const char *bytes = ctlc_cname_enum_fn(g->a, d, CTLC_R_ENUM_FROM_BYTES);
    const char *spec_name = ctlc_c_string(g, d->name.z, d->name.n);
    fprintf(c, "const char *%s(%s value)\n{\n    switch (value) {\n", to, name);
    for (const ctlc_member *m = d->members; m; m = m->next)
        fprintf(c, "    case %s:\n        return %s;\n", ctlc_cname_enum_const(g->a, d, m),
                ctlc_c_string(g, m->wire, m->wire_len));
    fputs("    }\n    return NULL;\n}\n\n", c);

    const char *bparams[] = { "const char *s", "size_t len", ctlc_printf(g->a, "%s *out", name) };
    ctlc_c_list(g, "", ctlc_printf(g->a, "static bool %s(", bytes), bparams, 3, ")");
    fputs("{\n", c);
    for (const ctlc_member *m = d->members; m; m = m->next)
        fprintf(c, "    %sif (len == %zu && memcmp(s, %s, %zu) == 0)\n        *out = %s;\n",
                m == d->members ? "" : "else ", m->wire_len, ctlc_c_string(g, m->wire, m->wire_len), m->wire_len,
                ctlc_cname_enum_const(g->a, d, m));
    fputs("    else\n        return false;\n    return true;\n}\n\n", c);

    fprintf(c, "bool %s(const char *name, %s *out)\n{\n", from, name);
    fprintf(c, "    return name && out && %s(name, strlen(name), out);\n}\n\n", bytes);

    ctlc_c_enum_reader(g, d, bytes);

    const char *wparams[] = { "ctl_ctx *ctx", ctlc_printf(g->a, "const %s *v", name), "const ctl_path *path",
                              "ctl_buf *out" };
    ctlc_c_list(g, "", ctlc_printf(g->a, "int %s(", ctlc_cname_codec(g->a, name, CTLC_R_WRITER)), wparams, 4, ")");
    fprintf(c, "{\n    const char *wire = %s(*v);\n", to);
    fputs("    if (!wire)\n", c);
    ctlc_c_list(g, "        ", "return ctl_fail_member(", (const char *[]){ "ctx", "path", "(int64_t)*v", spec_name },
                4, ");");
    fputs("    return ctl_write_string(out, wire);\n}\n\n", c);
}

/* ---- controllers ---------------------------------------------------------------------------------- */

static void emit_invoke(ctlc_cgen *g, const ctlc_decl *ctrl, const ctlc_func *f)
{
    FILE *c = g->out;
    const char *args = ctlc_cname_func(g->a, ctrl, f, CTLC_R_ARGS);
    const char *rt = ctlc_c_result_type(g, ctrl, f);
    const char *handler = ctlc_cname_func(g->a, ctrl, f, CTLC_R_HANDLER);
    const char *params[] = { "ctl_ctx *ctx", "const ctl_json *event", "ctl_cursor *text", "ctl_buf *out" };
    ctlc_c_list(g, "", ctlc_printf(g->a, "static int %s(", ctlc_cname_func(g->a, ctrl, f, CTLC_R_INVOKE)), params, 4,
                ")");
    fputs("{\n", c);
    if (f->traits.records) {
        fputs("    ctl_record record;\n    (void)text;\n    if (!event)\n"
              "        return CTL_NOT_READ; /* a record is read from the tree */\n"
              "    if (ctl_record_read(ctx, event, &record))\n        return -1;\n",
              c);
        fprintf(c, "    int rc = %s(ctx, &record);\n", handler);
        fputs("    if (rc != 0)\n        return ctl_handler_failed(ctx, rc);\n"
              "    CTL_BUF_LIT(out, \"null\");\n    return 0;\n}\n\n",
              c);
        return;
    }
    fprintf(c, "    %s args = { 0 };\n", args);
    if (rt)
        fprintf(c, "    %s result = { 0 };\n", rt);
    fputs("    if (!event) {\n        /* one pass over the bytes; not read: nothing ran, the tree reader answers */\n", c);
    const char *t[] = { "ctx", "text", "&args" };
    ctlc_c_list(g, "        ", ctlc_printf(g->a, "if (%s(", ctlc_cname_codec(g->a, args, CTLC_R_TEXT_READER)), t, 3,
                ") || ctl_cur_end(text))");
    fputs("            return CTL_NOT_READ;\n", c);
    if (f->params.first) {
        const char *a[] = { "ctx", "event", "&ctl_path_root", "&args" };
        ctlc_c_list(g, "    ", ctlc_printf(g->a, "} else if (%s(", ctlc_cname_codec(g->a, args, CTLC_R_READER)), a, 4,
                    ")) {");
        fputs("        return -1;\n    }\n", c);
    } else {
        fputs("    } /* else: no fields to read */\n", c);
    }
    const char *h[] = { "ctx", "&args", "&result" };
    ctlc_c_list(g, "    ", ctlc_printf(g->a, "int rc = %s(", handler), h, rt ? 3 : 2, ");");
    fputs("    if (rc != 0)\n        return ctl_handler_failed(ctx, rc);\n", c);
    if (!rt) {
        fputs("    CTL_BUF_LIT(out, \"null\");\n", c);
    } else if (f->has_result_fields && !f->result.first) {
        fputs("    CTL_BUF_LIT(out, \"{}\");\n", c);
    } else {
        const char *a[] = { "ctx", "&result", "&ctl_path_root", "out" };
        ctlc_c_list(g, "    ", ctlc_printf(g->a, "if (%s(", ctlc_cname_codec(g->a, rt, CTLC_R_WRITER)), a, 4, "))");
        fputs("        return ctl_fail_result(ctx);\n", c);
    }
    fputs("    return 0;\n}\n\n", c);
}

/* The opening of a stub: its ctl_stub and ctl_stub_start. */
static void stub_start(ctlc_cgen *g, const ctlc_decl *ctrl, const ctlc_func *f, bool call, const char *rt)
{
    FILE *c = g->out;
    const char *fields[] = { ".client = client",
                             ctlc_printf(g->a, ".controller = %s", ctlc_c_string(g, ctrl->name.z, ctrl->name.n)),
                             ctlc_printf(g->a, ".function = %s", ctlc_c_string(g, f->name.z, f->name.n)),
                             ".reply = reply" };
    ctlc_c_list(g, "    ", "ctl_stub stub = { ", fields, call ? 4 : 3, " };");
    fprintf(c, "    if (ctl_stub_start(&stub, args, %s) != CTL_OK)\n        return stub.status;\n",
            call && rt ? "result, sizeof *result" : "NULL, 0");
    if (f->params.first) {
        const char *args = ctlc_cname_func(g->a, ctrl, f, CTLC_R_ARGS);
        const char *a[] = { "stub.ctx", "args", "&ctl_path_root", "&stub.event" };
        ctlc_c_list(g, "    ", ctlc_printf(g->a, "if (%s(", ctlc_cname_codec(g->a, args, CTLC_R_WRITER)), a, 4, "))");
        fputs("        return ctl_stub_refuse(&stub);\n", c);
    } else {
        const char *event = ctlc_printf(g->a, "{\"function\":%s}", ctlc_c_json_string(g, f->name.z, f->name.n));
        fprintf(c, "    CTL_BUF_LIT(&stub.event, %s);\n", ctlc_c_string(g, event, strlen(event)));
    }
}

static void emit_stubs(ctlc_cgen *g, const ctlc_decl *ctrl, const ctlc_func *f)
{
    FILE *c = g->out;
    const char *args_param = ctlc_printf(g->a, "const %s *args", ctlc_cname_func(g->a, ctrl, f, CTLC_R_ARGS));
    const char *rt = ctlc_c_result_type(g, ctrl, f);
    const char *send[] = { "ctl_client *client", args_param };
    ctlc_c_list(g, "", ctlc_printf(g->a, "ctl_status %s(", ctlc_cname_func(g->a, ctrl, f, CTLC_R_SEND)), send, 2, ")");
    fputs("{\n", c);
    stub_start(g, ctrl, f, false, rt);
    fputs("    return ctl_stub_send(&stub);\n}\n\n", c);
    if (f->is_async)
        return;
    const char *call[] = { "ctl_client *client", args_param, rt ? ctlc_printf(g->a, "%s *result", rt) : NULL,
                           "ctl_reply **reply" };
    if (!rt)
        call[2] = call[3];
    ctlc_c_list(g, "", ctlc_printf(g->a, "ctl_status %s(", ctlc_cname_func(g->a, ctrl, f, CTLC_R_CALL)), call,
                rt ? 4 : 3, ")");
    fputs("{\n", c);
    stub_start(g, ctrl, f, true, rt);
    fputs("    if (ctl_stub_call(&stub) != CTL_OK)\n        return stub.status;\n", c);
    if (!rt) {
        fputs("    return ctl_stub_finish(&stub, 0); /* no result: whatever came back is ignored */\n}\n\n", c);
    } else if (f->has_result_fields && !f->result.first) {
        ctlc_c_list(g, "    ", "return ctl_stub_finish(&stub, ctl_expect(",
                    (const char *[]){ "stub.ctx", "stub.body", "&ctl_path_root", "CTL_JSON_OBJECT" }, 4, "));");
        fputs("}\n\n", c);
    } else {
        const char *a[] = { "stub.ctx", "stub.body", "&ctl_path_root", "result" };
        ctlc_c_list(g, "    ", ctlc_printf(g->a, "return ctl_stub_finish(&stub, %s(", ctlc_cname_codec(g->a, rt,
                                                                                              CTLC_R_READER)),
                    a, 4, "));");
        fputs("}\n\n", c);
    }
}

static int by_name(const void *a, const void *b)
{
    const ctlc_func *x = *(const ctlc_func *const *)a, *y = *(const ctlc_func *const *)b;
    size_t n = x->name.n < y->name.n ? x->name.n : y->name.n;
    int cmp = memcmp(x->name.z, y->name.z, n);
    if (cmp)
        return cmp;
    return x->name.n < y->name.n ? -1 : x->name.n > y->name.n;
}

/* The end of a dispatch table: the async settings the spec states, each
 * with its annotation, and its destinations; the others stay 0 or NULL
 * (not stated). */
/* Does a value of type t hold a json value, at any depth? seen holds the
 * structs already walked (each walked once: one on the path is a cycle, one
 * walked before held none, or the walk would have stopped). */
typedef struct json_walk {
    const ctlc_decl **seen;
    size_t n, cap;
    ctlc_arena *a;
} json_walk;

static bool fields_hold_json(json_walk *w, const ctlc_fields *fs);

static bool type_holds_json(json_walk *w, const ctlc_type *t)
{
    while (t && (t->kind == CTLC_T_LIST || t->kind == CTLC_T_MAP))
        t = t->elem;
    if (!t || t->kind != CTLC_T_NAMED)
        return t && t->kind == CTLC_T_JSON;
    const ctlc_decl *d = t->decl;
    if (!d || d->kind != CTLC_D_STRUCT)
        return false;
    for (size_t i = 0; i < w->n; i++)
        if (w->seen[i] == d)
            return false;
    if (w->n == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 16;
        const ctlc_decl **seen = ctlc_alloc(w->a, cap * sizeof *seen);
        if (w->n)
            memcpy(seen, w->seen, w->n * sizeof *seen);
        w->seen = seen;
        w->cap = cap;
    }
    w->seen[w->n++] = d;
    return fields_hold_json(w, &d->fields);
}

static bool fields_hold_json(json_walk *w, const ctlc_fields *fs)
{
    for (const ctlc_field *f = fs->first; f; f = f->next)
        if (type_holds_json(w, f->type))
            return true;
    return false;
}

static void emit_table_end(ctlc_cgen *g, const ctlc_decl *ctrl)
{
    json_walk w = { .a = g->a };
    for (const ctlc_func *f = ctrl->funcs; f; f = f->next)
        if (!f->traits.records && fields_hold_json(&w, &f->params)) {
            fprintf(g->out, "    .holds_json = true, /* %.*s's payload holds a json field */\n", NAME(f->name));
            break;
        }
    const ctlc_traits *tr = &ctrl->traits;
    if (tr->retries)
        fprintf(g->out, "    .max_attempts = %d, /* @retries(%d) */\n", tr->retries_n + 1, tr->retries_n);
    if (tr->max_event_age)
        fprintf(g->out, "    .max_event_age_s = %d, /* @max_event_age(%d) */\n", tr->max_event_age_s,
                tr->max_event_age_s);
    const ctlc_dest *dests[2] = { &tr->on_success, &tr->on_failure };
    static const char *const fields[2] = { "on_success", "on_failure" };
    for (int i = 0; i < 2; i++)
        if (dests[i]->annot)
            fprintf(g->out, "    .%s = &(const ctl_destination){ %s, %s },\n", fields[i],
                    ctlc_dest_kind_c(dests[i]->kind), ctlc_c_string(g, dests[i]->name, dests[i]->len));
    fputs("};\n\n", g->out);
}

/* The dispatch table: the functions sorted by name, and a hash table over
 * them (FNV-1a of the name, open addressing) that ctl_controller_find()
 * probes at most max_probe steps. */
static void emit_table(ctlc_cgen *g, const ctlc_decl *ctrl)
{
    FILE *c = g->out;
    size_t k = 0;
    const ctlc_func **sorted = ctlc_alloc(g->a, (ctrl->nfuncs + 1) * sizeof *sorted);
    for (const ctlc_func *f = ctrl->funcs; f; f = f->next)
        sorted[k++] = f;
    qsort(sorted, k, sizeof *sorted, by_name);
    fprintf(c, "const ctl_controller %s = {\n", ctlc_cname_controller(g->a, ctrl));
    fprintf(c, "    .name = %s,\n", ctlc_c_string(g, ctrl->name.z, ctrl->name.n));
    if (k == 0) {
        fputs("    .functions = NULL,\n    .count = 0,\n    .slots = NULL,\n    .slot_mask = 0,\n"
              "    .max_probe = 0,\n",
              c);
        emit_table_end(g, ctrl);
        return;
    }
    fputs("    .functions = (const ctl_function[]){\n", c);
    for (size_t i = 0; i < k; i++) {
        const char *row[] = { ctlc_c_string(g, sorted[i]->name.z, sorted[i]->name.n),
                              ctlc_printf(g->a, "%zu", (size_t)sorted[i]->name.n), sorted[i]->is_async ? "true" : "false",
                              ctlc_cname_func(g->a, ctrl, sorted[i], CTLC_R_INVOKE),
                              sorted[i]->traits.records ? "true /* @records */" : "false", "NULL" };
        const ctlc_traits *tr = &sorted[i]->traits;
        if (!tr->idempotent) {
            ctlc_c_list(g, "        ", "{ ", row, 6, " },");
            continue;
        }
        /* @idempotent: the descriptor after the positional members, one member a line */
        ctlc_c_list(g, "        ", "{ ", row, 5, ",");
        fputs("          .idempotent = &(const ctl_idempotency){\n", c);
        if (tr->idem_nkeys) {
            fputs("              .keys = (const char *const[]){\n", c);
            for (size_t j = 0; j < tr->idem_nkeys; j++)
                fprintf(c, "                  %s, /* key: %s */\n",
                        ctlc_c_string(g, tr->idem_pointers[j], strlen(tr->idem_pointers[j])),
                        ctlc_c_comment_text(g, tr->idem_keys[j]->s, tr->idem_keys[j]->slen));
            fputs("              },\n", c);
        } else {
            fputs("              .keys = NULL, /* the whole payload */\n", c);
        }
        fprintf(c, "              .nkeys = %zu,\n              .expires_s = %d,\n          } },\n", tr->idem_nkeys,
                tr->idem_expires_s);
    }
    fputs("    },\n", c);
    fprintf(c, "    .count = %zu,\n", k);
    if (k >= 65535) {
        fputs("    .slots = NULL, /* too many functions for the hash table: bisection */\n"
              "    .slot_mask = 0,\n    .max_probe = 0,\n",
              c);
        emit_table_end(g, ctrl);
        return;
    }
    uint32_t size = 2;
    while (size < 2 * k)
        size *= 2;
    uint16_t *slots = ctlc_alloc(g->a, size * sizeof *slots);
    uint32_t max_probe = 0;
    for (size_t i = 0; i < k; i++) {
        uint32_t h = ctli_rule_name_hash(sorted[i]->name.z, sorted[i]->name.n);
        uint32_t probe = 0;
        while (slots[(h + probe) & (size - 1)])
            probe++;
        slots[(h + probe) & (size - 1)] = (uint16_t)(i + 1);
        if (probe > max_probe)
            max_probe = probe;
    }
    if (size <= 16) {
        fputs("    .slots = (const uint16_t[]){ ", c);
        for (uint32_t i = 0; i < size; i++)
            fprintf(c, "%s%u", i ? ", " : "", slots[i]);
        fputs(" },\n", c);
    } else {
        fputs("    .slots = (const uint16_t[]){", c);
        for (uint32_t i = 0; i < size; i++)
            fprintf(c, "%s%u", i == 0 ? "\n        " : i % 16 ? ", " : ",\n        ", slots[i]);
        fputs(",\n    },\n", c);
    }
    fprintf(c, "    .slot_mask = %u,\n    .max_probe = %u,\n", size - 1, max_probe);
    emit_table_end(g, ctrl);
}

static void emit_controller(ctlc_cgen *g, const ctlc_decl *ctrl)
{
    if (!ctlc_c_emitted(g, ctrl))
        return;
    bool hosted = ctlc_c_hosted(g, ctrl);
    ctlc_c_section(g, ctrl);
    for (const ctlc_func *f = ctrl->funcs; f; f = f->next) {
        const char *args = ctlc_cname_func(g->a, ctrl, f, CTLC_R_ARGS);
        const char *res = ctlc_cname_func(g->a, ctrl, f, CTLC_R_RESULT);
        if (ctlc_c_has_args_reader(g, ctrl, f))
            ctlc_c_object_reader(g, ctlc_cname_codec(g->a, args, CTLC_R_READER), args, &f->params, true);
        if (ctlc_c_has_args_writer(g, ctrl, f)) {
            const char *head = ctlc_printf(g->a, "{\"function\":%s", ctlc_c_json_string(g, f->name.z, f->name.n));
            emit_object_writer(g, ctlc_cname_codec(g->a, args, CTLC_R_WRITER), args, &f->params, head, true);
        }
        if (ctlc_c_has_result_reader(g, ctrl, f))
            ctlc_c_object_reader(g, ctlc_cname_codec(g->a, res, CTLC_R_READER), res, &f->result, true);
        if (ctlc_c_has_result_writer(g, ctrl, f))
            emit_object_writer(g, ctlc_cname_codec(g->a, res, CTLC_R_WRITER), res, &f->result, "{", true);
        if (hosted)
            emit_invoke(g, ctrl, f);
        if (ctlc_c_stubbed(g, ctrl, f))
            emit_stubs(g, ctrl, f);
    }
    if (hosted)
        emit_table(g, ctrl);
}

/* ---- the parts of libctl the program links ------------------------------------------------- */

/* Why this spec's code may reach AWS from a program that hosts controllers
 * (a ctl_main binary: on Lambda, its loop sends to Lambda what the program
 * does not host, and keeps idempotency keys in DynamoDB), as the comment
 * above CTL_LINK_PART(aws); NULL when it cannot. Such code names
 * libctl_aws's anchor, so that the part is linked in (runtime/README.md,
 * "Parts"). A program that hosts nothing reaches Lambda only by calling
 * ctl_client_use_lambda, which links the part as well. */
static const char *reaches_aws(const ctlc_cgen *g)
{
    if (!g->plan->all && g->plan->nhosted == 0)
        return NULL;
    for (const ctlc_decl *d = g->spec->decls; d; d = d->next) {
        if (d->kind != CTLC_D_CONTROLLER)
            continue;
        bool hosted = ctlc_c_hosted(g, d);
        for (const ctlc_func *f = d->funcs; f; f = f->next) {
            if (!hosted && ctlc_c_stubbed(g, d, f))
                return "Stubs here reach a controller this program does not host: on Lambda, the\n"
                       " * loop sends to it through libctl_aws.";
            if (hosted && f->traits.idempotent)
                return "A function hosted here is @idempotent: on Lambda, its keys go to DynamoDB\n"
                       " * through libctl_aws.";
        }
        const ctlc_dest *dests[2] = { &d->traits.on_success, &d->traits.on_failure };
        for (int i = 0; hosted && i < 2; i++)
            if (dests[i]->kind == CTLC_DEST_CONTROLLER && dests[i]->decl && !ctlc_c_hosted(g, dests[i]->decl))
                return "A controller hosted here has a destination this program does not host: on\n"
                       " * Lambda, its records go there through libctl_aws.";
    }
    return NULL;
}

/* ---- the source --------------------------------------------------------------------------- */

void ctlc_c_source(ctlc_cgen *g)
{
    FILE *c = g->out;
    const ctlc_spec *s = g->spec;
    fprintf(c, "/* Generated by ctlc %s from %s. DO NOT EDIT. */\n", CTLC_VERSION,
            ctlc_c_comment_text(g, g->base, strlen(g->base)));
    fprintf(c, "#include \"%s.h\"\n\n#include <string.h>\n\n#include \"ctl/gen.h\"\n\n", g->base);
    fputs("#if defined(__GNUC__)\n#pragma GCC diagnostic ignored \"-Wdeprecated-declarations\"\n#endif\n\n", c);
    const char *why = reaches_aws(g);
    if (why)
        fprintf(c, "/* %s */\nCTL_LINK_PART(aws);\n\n", why);

    for (const ctlc_decl *d = s->decls; d; d = d->next)
        if (d->kind == CTLC_D_ENUM)
            emit_enum(g, d);

    /* The list and map codecs that the code below calls, inner ones first. */
    codec_set need = { 0 };
    ctlc_strlist_init(&need.all, g->a);
    ctlc_strset_init(&need.read, g->a);
    ctlc_strset_init(&need.write, g->a);
    for (const ctlc_decl *d = s->decls; d; d = d->next) {
        need_fields(g, &need, &d->fields, true, true);
        for (const ctlc_func *f = d->funcs; f; f = f->next) {
            need_fields(g, &need, &f->params, ctlc_c_has_args_reader(g, d, f), ctlc_c_has_args_writer(g, d, f));
            need_fields(g, &need, &f->result, ctlc_c_has_result_reader(g, d, f),
                        ctlc_c_has_result_writer(g, d, f));
        }
    }
    for (size_t i = 0; i < need.all.n; i++) {
        if (ctlc_strset_has(&need.read, need.all.keys[i]))
            ctlc_c_container_reader(g, need.all.values[i]);
        if (ctlc_strset_has(&need.write, need.all.keys[i]))
            emit_container_writer(g, need.all.values[i]);
    }

    for (const ctlc_decl *d = s->decls; d; d = d->next) {
        if (d->kind != CTLC_D_STRUCT)
            continue;
        const char *name = ctlc_cname_type(g->a, d);
        ctlc_c_struct_reader(g, d);
        emit_object_writer(g, ctlc_cname_codec(g->a, name, CTLC_R_WRITER), name, &d->fields, "{", false);
    }

    ctlc_c_text_readers(g);

    for (const ctlc_decl *d = s->decls; d; d = d->next)
        if (d->kind == CTLC_D_CONTROLLER)
            emit_controller(g, d);
}
