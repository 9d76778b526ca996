/* emit_c.c: `ctlc c`, the C code of a checked spec.
 *
 * For NAME.ctl it writes NAME.ctl.h (types, handler and stub prototypes,
 * dispatch tables) and NAME.ctl.c (readers, writers, dispatch, stubs), in the
 * spec's declaration order, with its doc comments, reproducibly. Names follow
 * the table of the language reference: with `package p;` every global name
 * starts `p_`. Readers and writers of a spec's structs and enums are extern
 * (`p_S_read`, `p_S_write`) so that specs importing it can use them. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ctlc.h"
#include "emit.h"
#include "names.h"

typedef struct emitter {
    ctlc_arena *a;
    const ctlc_spec *spec;
    const char *prefix;      /* "p_" or "" */
    const ctlc_emit_c_options *opt;
    FILE *h, *c;
    /* list and map types emitted so far (by C name), to emit each once */
    const char **containers;
    size_t ncontainers, cap_containers;
} emitter;

#define NAME(nm) (int)(nm).n, (nm).z

/* ---- names ------------------------------------------------------------------- */

static const char *prefix_of(ctlc_arena *a, const ctlc_spec *s)
{
    return s->package ? ctlc_printf(a, "%.*s_", NAME(s->package->name)) : "";
}

/* The C name of a struct or enum, e.g. "leedz_Leed". */
static const char *type_name(emitter *e, const ctlc_decl *d)
{
    return ctlc_cname_type(e->a, d);
}

static const char *member_name(emitter *e, const ctlc_field *f)
{
    return ctlc_cname_field(e->a, f);
}

/* "string", "int", "Leed", "list_map_int": the part of a container's name
 * that its element contributes. */
static const char *mangle(emitter *e, const ctlc_type *t)
{
    switch (t->kind) {
    case CTLC_T_STRING: return "string";
    case CTLC_T_INT: return "int";
    case CTLC_T_FLOAT: return "float";
    case CTLC_T_BOOL: return "bool";
    case CTLC_T_JSON: return "json";
    case CTLC_T_LIST: return ctlc_printf(e->a, "list_%s", mangle(e, t->elem));
    case CTLC_T_MAP: return ctlc_printf(e->a, "map_%s", mangle(e, t->elem));
    case CTLC_T_NAMED: return ctlc_printf(e->a, "%.*s", NAME(t->decl->name));
    }
    return "?";
}

/* The C type of a value of type t (not optional). */
static const char *c_type(emitter *e, const ctlc_type *t)
{
    switch (t->kind) {
    case CTLC_T_STRING: return "const char *";
    case CTLC_T_INT: return "int64_t ";
    case CTLC_T_FLOAT: return "double ";
    case CTLC_T_BOOL: return "bool ";
    case CTLC_T_JSON: return "cJSON *";
    case CTLC_T_LIST:
    case CTLC_T_MAP: return ctlc_printf(e->a, "%s%s ", e->prefix, mangle(e, t));
    case CTLC_T_NAMED: return ctlc_printf(e->a, "%s ", type_name(e, t->decl));
    }
    return "?";
}

static bool is_struct(const ctlc_type *t)
{
    return t->kind == CTLC_T_NAMED && t->decl->kind == CTLC_D_STRUCT;
}

/* Types whose absence a NULL pointer can show. */
static bool pointer_type(const ctlc_type *t)
{
    return t->kind == CTLC_T_STRING || t->kind == CTLC_T_JSON || is_struct(t);
}

/* ---- text helpers --------------------------------------------------------------- */

/* s as a C string literal. */
static const char *c_string(emitter *e, const char *s, size_t n)
{
    char *out = ctlc_alloc(e->a, n * 4 + 3);
    size_t k = 0;
    out[k++] = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\') {
            out[k++] = '\\';
            out[k++] = (char)ch;
        } else if (ch < 0x20 || ch == 0x7f || ch == '?') {
            /* '?' too: no trigraphs. */
            k += (size_t)sprintf(out + k, "\\%03o", ch);
        } else {
            out[k++] = (char)ch;
        }
    }
    out[k++] = '"';
    out[k] = '\0';
    return out;
}

/* The JSON text of a key, "\"wire\":", as a C string literal. */
static const char *json_key(emitter *e, const char *wire, size_t n, bool comma)
{
    size_t cap = n * 6 + 8;
    char *json = ctlc_alloc(e->a, cap);
    size_t k = 0;
    if (comma)
        json[k++] = ',';
    json[k++] = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)wire[i];
        if (ch == '"' || ch == '\\') {
            json[k++] = '\\';
            json[k++] = (char)ch;
        } else if (ch < 0x20) {
            k += (size_t)sprintf(json + k, "\\u%04x", ch);
        } else {
            json[k++] = (char)ch;
        }
    }
    json[k++] = '"';
    json[k++] = ':';
    return c_string(e, json, k);
}

static void doc_comment(FILE *f, const char *indent, const ctlc_doc *doc, const ctlc_traits *tr)
{
    if (!doc && !(tr && tr->deprecated))
        return;
    fprintf(f, "%s/**", indent);
    bool multi = doc && (strchr(doc->text, '\n') || (tr && tr->deprecated));
    if (doc) {
        fputs(multi ? "\n" : " ", f);
        const char *p = doc->text;
        while (*p) {
            const char *nl = strchr(p, '\n');
            size_t len = nl ? (size_t)(nl - p) : strlen(p);
            if (multi)
                fprintf(f, "%s *%s", indent, len ? " " : "");
            for (size_t i = 0; i < len; i++) {
                /* A doc that says "*" "/" must not end the comment. */
                if (p[i] == '*' && i + 1 < len && p[i + 1] == '/')
                    fputs("* ", f);
                else
                    fputc(p[i], f);
            }
            if (multi)
                fputc('\n', f);
            if (!nl)
                break;
            p = nl + 1;
        }
    } else {
        fputc('\n', f);
        multi = true;
    }
    if (tr && tr->deprecated)
        fprintf(f, "%s * @deprecated%s%s\n", indent, tr->deprecated_why ? " " : "",
                tr->deprecated_why ? tr->deprecated_why : "");
    fprintf(f, multi ? "%s */\n" : " */\n", indent);
}

static const char *deprecated_attr(emitter *e, const ctlc_traits *tr)
{
    if (!tr->deprecated)
        return "";
    const char *why = tr->deprecated_why ? tr->deprecated_why : "deprecated in the spec";
    return ctlc_printf(e->a, " CTL_DEPRECATED(%s)", c_string(e, why, strlen(why)));
}

/* ---- the header ---------------------------------------------------------------------- */

static bool uses_json_type(const ctlc_type *t)
{
    while (t->kind == CTLC_T_LIST || t->kind == CTLC_T_MAP)
        t = t->elem;
    return t->kind == CTLC_T_JSON;
}

static bool fields_use_json(const ctlc_fields *fs)
{
    for (const ctlc_field *f = fs->first; f; f = f->next)
        if (uses_json_type(f->type))
            return true;
    return false;
}

static bool spec_uses_json(const ctlc_spec *s)
{
    for (const ctlc_decl *d = s->decls; d; d = d->next) {
        if (fields_use_json(&d->fields))
            return true;
        for (const ctlc_func *f = d->funcs; f; f = f->next)
            if (fields_use_json(&f->params) || fields_use_json(&f->result))
                return true;
    }
    return false;
}

static bool seen_container(emitter *e, const char *name)
{
    for (size_t i = 0; i < e->ncontainers; i++)
        if (strcmp(e->containers[i], name) == 0)
            return true;
    if (e->ncontainers == e->cap_containers) {
        size_t cap = e->cap_containers ? e->cap_containers * 2 : 16;
        const char **items = ctlc_alloc(e->a, cap * sizeof *items);
        if (e->ncontainers)
            memcpy(items, e->containers, e->ncontainers * sizeof *items);
        e->containers = items;
        e->cap_containers = cap;
    }
    e->containers[e->ncontainers++] = name;
    return false;
}

/* Declares list<...> and map<...> types of t (inner ones first). */
static void declare_containers(emitter *e, const ctlc_type *t)
{
    if (t->kind != CTLC_T_LIST && t->kind != CTLC_T_MAP)
        return;
    declare_containers(e, t->elem);
    const char *name = ctlc_printf(e->a, "%s%s", e->prefix, mangle(e, t));
    if (seen_container(e, name))
        return;
    if (t->kind == CTLC_T_LIST) {
        fprintf(e->h, "typedef struct %s {\n    %s*items;\n    size_t count;\n} %s;\n\n", name,
                c_type(e, t->elem), name);
    } else {
        /* The entry holds its value whole, so it is defined after the
         * structs (see emit_header); the map itself needs only its name. */
        fprintf(e->h, "typedef struct %s_entry %s_entry;\n"
                      "typedef struct %s {\n    %s_entry *items;\n    size_t count;\n} %s;\n\n",
                name, name, name, name, name);
    }
}

static void declare_fields_containers(emitter *e, const ctlc_fields *fs)
{
    for (const ctlc_field *f = fs->first; f; f = f->next)
        declare_containers(e, f->type);
}

static void struct_body(emitter *e, const ctlc_fields *fs)
{
    if (!fs->first)
        fputs("    char ctl_empty_; /* C has no empty structs */\n", e->h);
    for (const ctlc_field *f = fs->first; f; f = f->next) {
        doc_comment(e->h, "    ", f->doc, NULL);
        const char *dep = deprecated_attr(e, &f->traits);
        if (f->optional)
            fprintf(e->h, "    bool has_%.*s%s;\n", NAME(f->name), dep);
        const char *ty = c_type(e, f->type);
        if (f->optional && is_struct(f->type))
            ty = ctlc_printf(e->a, "%s*", ty);
        fprintf(e->h, "    %s%s%s;\n", ty, member_name(e, f), dep);
    }
}

static const char *result_type(emitter *e, const ctlc_decl *ctrl, const ctlc_func *f)
{
    if (f->has_result_fields)
        return ctlc_printf(e->a, "%s%.*s_%.*s_result", e->prefix, NAME(ctrl->name), NAME(f->name));
    if (f->result_decl)
        return type_name(e, f->result_decl);
    return NULL;
}

/* The entries of the map types declared so far. */
static void define_map_entries(emitter *e, const ctlc_type *t, const char ***done, size_t *ndone)
{
    if (t->kind != CTLC_T_LIST && t->kind != CTLC_T_MAP)
        return;
    define_map_entries(e, t->elem, done, ndone);
    if (t->kind != CTLC_T_MAP)
        return;
    const char *name = ctlc_printf(e->a, "%s%s", e->prefix, mangle(e, t));
    for (size_t i = 0; i < *ndone; i++)
        if (strcmp((*done)[i], name) == 0)
            return;
    const char **grown = ctlc_alloc(e->a, (*ndone + 1) * sizeof *grown);
    if (*ndone)
        memcpy(grown, *done, *ndone * sizeof *grown);
    grown[(*ndone)++] = name;
    *done = grown;
    fprintf(e->h, "struct %s_entry {\n    const char *key;\n    %svalue;\n};\n\n", name, c_type(e, t->elem));
}

static void define_fields_map_entries(emitter *e, const ctlc_fields *fs, const char ***done, size_t *ndone)
{
    for (const ctlc_field *f = fs->first; f; f = f->next)
        define_map_entries(e, f->type, done, ndone);
}

/* Orders structs so that one holding another by value comes after it. */
static void emit_struct_def(emitter *e, const ctlc_decl *d, const ctlc_decl **done, size_t *ndone)
{
    for (size_t i = 0; i < *ndone; i++)
        if (done[i] == d)
            return;
    done[(*ndone)++] = d;
    for (const ctlc_field *f = d->fields.first; f; f = f->next)
        if (!f->optional && is_struct(f->type) && f->type->decl->spec == e->spec)
            emit_struct_def(e, f->type->decl, done, ndone);
    doc_comment(e->h, "", d->doc, &d->traits);
    fprintf(e->h, "struct %s {\n", type_name(e, d));
    struct_body(e, &d->fields);
    fputs("};\n\n", e->h);
}

static void header_guard(char *out, size_t size, const char *base)
{
    size_t k = 0;
    for (const char *p = base; *p && k + 8 < size; p++) {
        char c = *p;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            c = '_';
        out[k++] = c;
    }
    memcpy(out + k, "_H", 3);
}

static void emit_header(emitter *e, const char *base)
{
    FILE *h = e->h;
    const ctlc_spec *s = e->spec;
    char guard[512];
    header_guard(guard, sizeof guard, ctlc_printf(e->a, "CTL_GEN_%s", base));
    fprintf(h, "/* Generated by ctlc %s from %s. DO NOT EDIT. */\n", CTLC_VERSION, base);
    if (s->doc) {
        fputc('\n', h);
        doc_comment(h, "", s->doc, NULL);
    }
    fprintf(h, "#ifndef %s\n#define %s\n\n", guard, guard);
    fputs("#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n\n", h);
    if (spec_uses_json(s))
        fputs("#include <cjson/cJSON.h>\n", h);
    fputs("#include \"ctl/ctl.h\"\n", h);
    for (const ctlc_decl *d = s->decls; d; d = d->next)
        if (d->kind == CTLC_D_IMPORT && d->imported) {
            const char *path = d->imported->src->path;
            const char *slash = strrchr(path, '/');
            fprintf(h, "#include \"%s.h\"\n", slash ? slash + 1 : path);
        }
    fputs("\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n", h);
    fputs("/* Uses of deprecated declarations inside this header are not news. */\n"
          "#if defined(__GNUC__)\n#pragma GCC diagnostic push\n"
          "#pragma GCC diagnostic ignored \"-Wdeprecated-declarations\"\n#endif\n\n",
          h);
    fputs("struct ctl_json;\nstruct ctl_path;\n\n", h);

    /* Enums. */
    for (const ctlc_decl *d = s->decls; d; d = d->next) {
        if (d->kind != CTLC_D_ENUM)
            continue;
        const char *name = type_name(e, d);
        doc_comment(h, "", d->doc, &d->traits);
        fprintf(h, "typedef enum %s {\n", name);
        for (const ctlc_member *m = d->members; m; m = m->next) {
            doc_comment(h, "    ", m->doc, NULL);
            fprintf(h, "    %s_%.*s%s,\n", name, NAME(m->name), deprecated_attr(e, &m->traits));
        }
        fprintf(h, "} %s%s;\n\n", name, deprecated_attr(e, &d->traits));
        fprintf(h, "/* The wire name of a member (\"caricatures\"), or NULL for a value that is none. */\n");
        fprintf(h, "const char *%s_name(%s value);\n", name, name);
        fprintf(h, "/* The member with that wire name; false if there is none. */\n");
        fprintf(h, "bool %s_parse(const char *name, %s *out);\n\n", name, name);
    }
    /* Structs: names first, then containers, then definitions. */
    bool any = false;
    for (const ctlc_decl *d = s->decls; d; d = d->next)
        if (d->kind == CTLC_D_STRUCT) {
            fprintf(h, "typedef struct %s %s%s;\n", type_name(e, d), type_name(e, d), deprecated_attr(e, &d->traits));
            any = true;
        }
    if (any)
        fputc('\n', h);
    for (const ctlc_decl *d = s->decls; d; d = d->next) {
        declare_fields_containers(e, &d->fields);
        for (const ctlc_func *f = d->funcs; f; f = f->next) {
            declare_fields_containers(e, &f->params);
            declare_fields_containers(e, &f->result);
        }
    }
    size_t nstructs = 0;
    for (const ctlc_decl *d = s->decls; d; d = d->next)
        nstructs += d->kind == CTLC_D_STRUCT;
    const ctlc_decl **done = ctlc_alloc(e->a, (nstructs + 1) * sizeof *done);
    size_t ndone = 0;
    for (const ctlc_decl *d = s->decls; d; d = d->next)
        if (d->kind == CTLC_D_STRUCT)
            emit_struct_def(e, d, done, &ndone);
    const char **entries = NULL;
    size_t nentries = 0;
    for (const ctlc_decl *d = s->decls; d; d = d->next) {
        define_fields_map_entries(e, &d->fields, &entries, &nentries);
        for (const ctlc_func *f = d->funcs; f; f = f->next) {
            define_fields_map_entries(e, &f->params, &entries, &nentries);
            define_fields_map_entries(e, &f->result, &entries, &nentries);
        }
    }

    /* Controllers: payloads, results, handlers, stubs, tables. */
    for (const ctlc_decl *d = s->decls; d; d = d->next) {
        if (d->kind != CTLC_D_CONTROLLER)
            continue;
        fprintf(h, "/* ---- controller %.*s ", NAME(d->name));
        for (int i = (int)d->name.n; i < 60; i++)
            fputc('-', h);
        fputs(" */\n\n", h);
        doc_comment(h, "", d->doc, &d->traits);
        fprintf(h, "extern const ctl_controller %s%.*s_controller;\n\n", e->prefix, NAME(d->name));
        for (const ctlc_func *f = d->funcs; f; f = f->next) {
            const char *base_name = ctlc_printf(e->a, "%s%.*s_%.*s", e->prefix, NAME(d->name), NAME(f->name));
            ctlc_traits tr = f->traits;
            if (!tr.deprecated)
                tr = d->traits;
            fprintf(h, "/* %.*s.%.*s: %s */\n", NAME(d->name), NAME(f->name),
                    f->is_async ? "async fn (InvocationType Event)" : "fn (InvocationType RequestResponse)");
            doc_comment(h, "", f->doc, NULL);
            fprintf(h, "typedef struct %s_args {\n", base_name);
            struct_body(e, &f->params);
            fprintf(h, "} %s_args;\n\n", base_name);
            if (f->has_result_fields) {
                fprintf(h, "typedef struct %s_result {\n", base_name);
                struct_body(e, &f->result);
                fprintf(h, "} %s_result;\n\n", base_name);
            }
            const char *rt = result_type(e, d, f);
            fputs("/* The handler you write. Return 0, or fail with ctl_fail(). */\n", h);
            if (rt)
                fprintf(h, "int %s(ctl_ctx *ctx, const %s_args *args, %s *result);\n", base_name, base_name, rt);
            else
                fprintf(h, "int %s(ctl_ctx *ctx, const %s_args *args);\n", base_name, base_name);
            const char *dep = deprecated_attr(e, &tr);
            fputs("/* Sends the event (InvocationType Event) and returns at once. */\n", h);
            fprintf(h, "int %s_send(ctl_client *client, const %s_args *args)%s;\n", base_name, base_name, dep);
            if (!f->is_async) {
                fputs("/* Calls and waits (RequestResponse). *reply owns what the result points into and\n"
                      " * the error of a failed call; free it with ctl_reply_free(). */\n",
                      h);
                if (rt)
                    fprintf(h, "int %s_call(ctl_client *client, const %s_args *args, %s *result, ctl_reply **reply)%s;\n",
                            base_name, base_name, rt, dep);
                else
                    fprintf(h, "int %s_call(ctl_client *client, const %s_args *args, ctl_reply **reply)%s;\n",
                            base_name, base_name, dep);
            }
            fputc('\n', h);
        }
    }

    /* Readers and writers, for generated code. */
    bool first = true;
    for (const ctlc_decl *d = s->decls; d; d = d->next) {
        if (d->kind != CTLC_D_STRUCT && d->kind != CTLC_D_ENUM)
            continue;
        if (first)
            fputs("/* For generated code: readers and writers of this spec's types. */\n", h);
        first = false;
        const char *name = type_name(e, d);
        fprintf(h, "int %s_read(ctl_ctx *ctx, const struct ctl_json *v, const struct ctl_path *path, %s *out);\n",
                name, name);
        fprintf(h, "int %s_write(ctl_buf *b, const %s *v);\n", name, name);
    }
    if (!first)
        fputc('\n', h);
    fputs("#if defined(__GNUC__)\n#pragma GCC diagnostic pop\n#endif\n\n", h);
    fputs("#ifdef __cplusplus\n}\n#endif\n\n", h);
    fprintf(h, "#endif\n");
}

/* ---- the source: readers ----------------------------------------------------------------- */

/* Code reading JSON node V at path P into lvalue OUT, of type t; returns
 * from the reader with -1 on error. ind is the indentation. */
static void read_value(emitter *e, const ctlc_type *t, const char *v, const char *p, const char *out,
                       const char *ind)
{
    FILE *c = e->c;
    switch (t->kind) {
    case CTLC_T_STRING:
        fprintf(c, "%sif (ctl_read_string(ctx, %s, %s, &%s))\n%s    return -1;\n", ind, v, p, out, ind);
        break;
    case CTLC_T_INT:
        fprintf(c, "%sif (ctl_read_int(ctx, %s, %s, &%s))\n%s    return -1;\n", ind, v, p, out, ind);
        break;
    case CTLC_T_FLOAT:
        fprintf(c, "%sif (ctl_read_float(ctx, %s, %s, &%s))\n%s    return -1;\n", ind, v, p, out, ind);
        break;
    case CTLC_T_BOOL:
        fprintf(c, "%sif (ctl_read_bool(ctx, %s, %s, &%s))\n%s    return -1;\n", ind, v, p, out, ind);
        break;
    case CTLC_T_JSON:
        fprintf(c, "%sif (ctl_read_json(ctx, %s, %s, &%s))\n%s    return -1;\n", ind, v, p, out, ind);
        break;
    case CTLC_T_LIST:
    case CTLC_T_MAP:
        fprintf(c, "%sif (read_%s(ctx, %s, %s, &%s))\n%s    return -1;\n", ind, mangle(e, t), v, p, out, ind);
        break;
    case CTLC_T_NAMED:
        fprintf(c, "%sif (%s_read(ctx, %s, %s, &%s))\n%s    return -1;\n", ind, type_name(e, t->decl), v, p, out,
                ind);
        break;
    }
}

static void emit_container_reader(emitter *e, const ctlc_type *t)
{
    if (t->kind != CTLC_T_LIST && t->kind != CTLC_T_MAP)
        return;
    emit_container_reader(e, t->elem);
    const char *m = mangle(e, t);
    if (seen_container(e, ctlc_printf(e->a, "read_%s", m)))
        return;
    FILE *c = e->c;
    const char *ty = ctlc_printf(e->a, "%s%s", e->prefix, m);
    bool list = t->kind == CTLC_T_LIST;
    /* CTL_UNUSED: a container may serve only controllers not hosted here. */
    fprintf(c, "CTL_UNUSED static int read_%s(ctl_ctx *ctx, const ctl_json *v, const ctl_path *path, %s *out)\n{\n",
            m, ty);
    fprintf(c, "    if (ctl_expect(ctx, v, path, %s))\n        return -1;\n", list ? "CTL_JSON_ARRAY" : "CTL_JSON_OBJECT");
    if (!list)
        fputs("    if (ctl_check_unique_keys(ctx, v, path))\n        return -1;\n", c);
    fprintf(c, "    out->items = ctl_alloc_array(ctx, v->len, sizeof *out->items);\n");
    fprintf(c, "    if (!out->items)\n        return -1;\n");
    fprintf(c, "    out->count = v->len;\n");
    fprintf(c, "    uint32_t i = 0;\n");
    fprintf(c, "    for (const ctl_json *item = v->child; item; item = item->next, i++) {\n");
    if (list) {
        fprintf(c, "        ctl_path p = { path, NULL, 0, i };\n");
        read_value(e, t->elem, "item", "&p", "out->items[i]", "        ");
    } else {
        fprintf(c, "        ctl_path p = { path, item->key, item->key_len, i };\n");
        fprintf(c, "        if (ctl_read_key(ctx, item, &p, &out->items[i].key))\n            return -1;\n");
        read_value(e, t->elem, "item", "&p", "out->items[i].value", "        ");
    }
    fprintf(c, "    }\n    return 0;\n}\n\n");
}

static const char *int_literal(emitter *e, int64_t v)
{
    if (v == INT64_MIN)
        return "INT64_MIN";
    return ctlc_printf(e->a, "INT64_C(%lld)", (long long)v);
}

static const char *float_literal(emitter *e, const ctlc_literal *lit)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.17g", lit->f);
    if (!strpbrk(buf, ".eEn"))
        strcat(buf, ".0");
    return ctlc_printf(e->a, "%s", buf);
}

/* Checks of @length and @range on a value just read. */
static void emit_constraints(emitter *e, const ctlc_field *f, const char *val, const char *node)
{
    FILE *c = e->c;
    const ctlc_traits *tr = &f->traits;
    if (tr->has_length) {
        const char *n = f->type->kind == CTLC_T_STRING
                            ? ctlc_printf(e->a, "ctl_utf8_count(%s->str, %s->len)", node, node)
                            : ctlc_printf(e->a, "%s.count", val);
        fprintf(c, "            {\n                size_t n = %s;\n", n);
        fprintf(c, "                if (");
        if (tr->length.has_min)
            fprintf(c, "n < %lldu", (long long)tr->length.min.i);
        if (tr->length.has_min && tr->length.has_max)
            fputs(" || ", c);
        if (tr->length.has_max)
            fprintf(c, "n > %lldu", (long long)tr->length.max.i);
        fprintf(c, ")\n                    return ctl_fail_length(ctx, &p, n, %lld, %lld);\n            }\n",
                tr->length.has_min ? (long long)tr->length.min.i : -1LL,
                tr->length.has_max ? (long long)tr->length.max.i : -1LL);
    }
    if (tr->has_range) {
        bool is_int = f->type->kind == CTLC_T_INT;
        fputs("            if (", c);
        if (tr->range.has_min)
            fprintf(c, "%s < %s", val, is_int ? int_literal(e, tr->range.min.i) : float_literal(e, &tr->range.min));
        if (tr->range.has_min && tr->range.has_max)
            fputs(" || ", c);
        if (tr->range.has_max)
            fprintf(c, "%s > %s", val, is_int ? int_literal(e, tr->range.max.i) : float_literal(e, &tr->range.max));
        fprintf(c, ")\n                return ctl_fail_range_%s(ctx, &p, %s);\n", is_int ? "int" : "float", val);
    }
}

static void emit_default(emitter *e, const ctlc_field *f, const char *val)
{
    const ctlc_literal *v = f->dflt;
    FILE *c = e->c;
    switch (f->type->kind) {
    case CTLC_T_STRING: fprintf(c, "%s = %s;\n", val, c_string(e, v->s, v->slen)); break;
    case CTLC_T_INT: fprintf(c, "%s = %s;\n", val, int_literal(e, v->i)); break;
    case CTLC_T_FLOAT: fprintf(c, "%s = %s;\n", val, float_literal(e, v)); break;
    case CTLC_T_BOOL: fprintf(c, "%s = %s;\n", val, v->b ? "true" : "false"); break;
    default: fprintf(c, "%s = %s_%.*s;\n", val, type_name(e, f->type->decl), (int)v->n, v->z); break;
    }
}

/* The reader of an object with fields fs, as function `name`. */
static void emit_object_reader(emitter *e, const char *name, const char *ctype, const ctlc_fields *fs, bool is_static)
{
    FILE *c = e->c;
    size_t n = fs->count;
    /* Field lookup: by key length, then bytes. */
    fprintf(c, "static int %s_field(const char *key, uint32_t len)\n{\n", name);
    if (n) {
        fputs("    switch (len) {\n", c);
        size_t maxlen = 0;
        for (const ctlc_field *f = fs->first; f; f = f->next)
            if (f->wire_len > maxlen)
                maxlen = f->wire_len;
        for (size_t len = 1; len <= maxlen; len++) {
            bool open = false;
            int idx = 0;
            for (const ctlc_field *f = fs->first; f; f = f->next, idx++) {
                if (f->wire_len != len)
                    continue;
                if (!open)
                    fprintf(c, "    case %zu:\n", len);
                open = true;
                fprintf(c, "        if (memcmp(key, %s, %zu) == 0)\n            return %d;\n",
                        c_string(e, f->wire, f->wire_len), len, idx);
            }
            if (open)
                fputs("        break;\n", c);
        }
        fputs("    }\n", c);
    }
    fputs("    (void)key;\n    (void)len;\n    return -1;\n}\n\n", c);

    fprintf(c, "%sint %s(ctl_ctx *ctx, const ctl_json *v, const ctl_path *path, %s *out)\n{\n",
            is_static ? "static " : "", name, ctype);
    fputs("    if (ctl_expect(ctx, v, path, CTL_JSON_OBJECT))\n        return -1;\n", c);
    fprintf(c, "    bool seen[%zu] = { false };\n", n ? n : 1);
    fputs("    for (const ctl_json *m = v->child; m; m = m->next) {\n", c);
    fputs("        ctl_path p = { path, m->key, m->key_len, 0 };\n", c);
    fprintf(c, "        int k = %s_field(m->key, m->key_len);\n", name);
    fputs("        if (k < 0)\n            continue; /* unknown fields are ignored */\n", c);
    fputs("        if (seen[k])\n            return ctl_fail_duplicate(ctx, &p);\n", c);
    fputs("        seen[k] = true;\n", c);
    if (n) {
        fputs("        switch (k) {\n", c);
        int idx = 0;
        for (const ctlc_field *f = fs->first; f; f = f->next, idx++) {
            const char *mem = member_name(e, f);
            const char *val = ctlc_printf(e->a, "out->%s", mem);
            fprintf(c, "        case %d:\n", idx);
            if (f->optional) {
                fputs("            if (m->type == CTL_JSON_NULL)\n                break;\n", c);
                fprintf(c, "            out->has_%.*s = true;\n", NAME(f->name));
                if (is_struct(f->type)) {
                    fprintf(c, "            %s = ctl_alloc(ctx, sizeof *%s);\n", val, val);
                    fprintf(c, "            if (!%s)\n                return -1;\n", val);
                    fprintf(c, "            memset(%s, 0, sizeof *%s);\n", val, val);
                    fprintf(c, "            if (%s_read(ctx, m, &p, %s))\n                return -1;\n",
                            type_name(e, f->type->decl), val);
                } else {
                    read_value(e, f->type, "m", "&p", val, "            ");
                }
            } else {
                read_value(e, f->type, "m", "&p", val, "            ");
            }
            emit_constraints(e, f, val, "m");
            fputs("            break;\n", c);
        }
        fputs("        }\n", c);
    }
    fputs("    }\n", c);
    int idx = 0;
    for (const ctlc_field *f = fs->first; f; f = f->next, idx++) {
        if (f->optional)
            continue;
        const char *val = ctlc_printf(e->a, "out->%s", member_name(e, f));
        if (f->dflt) {
            fprintf(c, "    if (!seen[%d])\n        ", idx);
            emit_default(e, f, val);
        } else {
            fprintf(c, "    if (!seen[%d])\n        return ctl_fail_missing(ctx, path, %s);\n", idx,
                    c_string(e, f->wire, f->wire_len));
        }
    }
    if (!n)
        fputs("    (void)seen;\n    (void)out;\n", c);
    fputs("    return 0;\n}\n\n", c);
}

/* ---- the source: writers ----------------------------------------------------------------- */

/* Code writing value `val` of type t; returns -1 from the writer on error. */
static void write_value(emitter *e, const ctlc_type *t, const char *val, const char *ind)
{
    FILE *c = e->c;
    switch (t->kind) {
    case CTLC_T_STRING:
        fprintf(c, "%sif (ctl_write_string(b, %s))\n%s    return -1;\n", ind, val, ind);
        break;
    case CTLC_T_INT: fprintf(c, "%sctl_write_int(b, %s);\n", ind, val); break;
    case CTLC_T_FLOAT:
        fprintf(c, "%sif (ctl_write_float(b, %s))\n%s    return -1;\n", ind, val, ind);
        break;
    case CTLC_T_BOOL: fprintf(c, "%sctl_write_bool(b, %s);\n", ind, val); break;
    case CTLC_T_JSON:
        fprintf(c, "%sif (ctl_write_json(b, %s))\n%s    return -1;\n", ind, val, ind);
        break;
    case CTLC_T_LIST:
    case CTLC_T_MAP:
        fprintf(c, "%sif (write_%s(b, &%s))\n%s    return -1;\n", ind, mangle(e, t), val, ind);
        break;
    case CTLC_T_NAMED:
        fprintf(c, "%sif (%s_write(b, &%s))\n%s    return -1;\n", ind, type_name(e, t->decl), val, ind);
        break;
    }
}

static void emit_container_writer(emitter *e, const ctlc_type *t)
{
    if (t->kind != CTLC_T_LIST && t->kind != CTLC_T_MAP)
        return;
    emit_container_writer(e, t->elem);
    const char *m = mangle(e, t);
    if (seen_container(e, ctlc_printf(e->a, "write_%s", m)))
        return;
    FILE *c = e->c;
    bool list = t->kind == CTLC_T_LIST;
    fprintf(c, "CTL_UNUSED static int write_%s(ctl_buf *b, const %s%s *v)\n{\n", m, e->prefix, m);
    fprintf(c, "    ctl_buf_putc(b, '%c');\n", list ? '[' : '{');
    fputs("    for (size_t i = 0; i < v->count; i++) {\n", c);
    fputs("        if (i)\n            ctl_buf_putc(b, ',');\n", c);
    if (list) {
        write_value(e, t->elem, "v->items[i]", "        ");
    } else {
        fputs("        if (ctl_write_string(b, v->items[i].key))\n            return -1;\n", c);
        fputs("        ctl_buf_putc(b, ':');\n", c);
        write_value(e, t->elem, "v->items[i].value", "        ");
    }
    fprintf(c, "    }\n    ctl_buf_putc(b, '%c');\n    return 0;\n}\n\n", list ? ']' : '}');
}

/* The writer of an object; `head` is what opens it: "{" for a struct,
 * "{\"function\":\"f\"" for an event. */
static void emit_object_writer(emitter *e, const char *name, const char *ctype, const ctlc_fields *fs,
                               const char *head, bool opened, bool is_static)
{
    FILE *c = e->c;
    fprintf(c, "%sint %s(ctl_buf *b, const %s *v)\n{\n", is_static ? "static " : "", name, ctype);
    fprintf(c, "    CTL_BUF_LIT(b, %s);\n", c_string(e, head, strlen(head)));
    /* Until a required field is written, whether a ',' is needed depends on
     * which optional fields were present: `start` tells. */
    bool dynamic = false;
    if (!opened && fs->first && fs->first->optional)
        fputs("    size_t start = b->len;\n", c);
    for (const ctlc_field *f = fs->first; f; f = f->next) {
        const char *mem = member_name(e, f);
        const char *val = ctlc_printf(e->a, "v->%s", mem);
        const char *ind = "    ";
        if (f->optional) {
            /* An optional field that is null on the wire is absent, so a
             * json null is written as absence, as it reads back. */
            if (f->type->kind == CTLC_T_JSON)
                fprintf(c, "    if (%s && !cJSON_IsNull(%s)) {\n", val, val);
            else if (pointer_type(f->type))
                fprintf(c, "    if (v->has_%.*s || %s) {\n", NAME(f->name), val);
            else
                fprintf(c, "    if (v->has_%.*s) {\n", NAME(f->name));
            ind = "        ";
        }
        if (opened) {
            fprintf(c, "%sCTL_BUF_LIT(b, %s);\n", ind, json_key(e, f->wire, f->wire_len, true));
        } else if (!dynamic && !f->optional) {
            fprintf(c, "%sCTL_BUF_LIT(b, %s);\n", ind, json_key(e, f->wire, f->wire_len, false));
        } else {
            fprintf(c, "%sif (b->len > start)\n%s    ctl_buf_putc(b, ',');\n", ind, ind);
            fprintf(c, "%sCTL_BUF_LIT(b, %s);\n", ind, json_key(e, f->wire, f->wire_len, false));
        }
        if (f->optional && is_struct(f->type))
            fprintf(c, "%sif (!%s || %s_write(b, %s))\n%s    return -1;\n", ind, val, type_name(e, f->type->decl),
                    val, ind);
        else
            write_value(e, f->type, val, ind);
        if (f->optional)
            fputs("    }\n", c);
        if (!opened && f->optional)
            dynamic = true;
        if (!f->optional)
            opened = true;
    }
    if (!fs->first)
        fputs("    (void)v;\n", c);
    fputs("    ctl_buf_putc(b, '}');\n    return 0;\n}\n\n", c);
}

static void emit_containers_of(emitter *e, const ctlc_fields *fs, bool reader)
{
    for (const ctlc_field *f = fs->first; f; f = f->next) {
        if (reader)
            emit_container_reader(e, f->type);
        else
            emit_container_writer(e, f->type);
    }
}

/* ---- the source ---------------------------------------------------------------------------- */

static bool hosted(emitter *e, const ctlc_decl *ctrl)
{
    if (!e->opt->hosts)
        return true;
    for (size_t i = 0; i < e->opt->nhosts; i++)
        if (ctlc_name_is(ctrl->name, e->opt->hosts[i]))
            return true;
    return false;
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

static void emit_source(emitter *e, const char *base)
{
    FILE *c = e->c;
    const ctlc_spec *s = e->spec;
    fprintf(c, "/* Generated by ctlc %s from %s. DO NOT EDIT. */\n", CTLC_VERSION, base);
    fprintf(c, "#include \"%s.h\"\n\n#include <string.h>\n\n#include \"ctl/gen.h\"\n\n", base);
    fputs("#if defined(__GNUC__)\n#pragma GCC diagnostic ignored \"-Wdeprecated-declarations\"\n#endif\n\n", c);

    /* Enums: names and readers. */
    for (const ctlc_decl *d = s->decls; d; d = d->next) {
        if (d->kind != CTLC_D_ENUM)
            continue;
        const char *name = type_name(e, d);
        fprintf(c, "const char *%s_name(%s value)\n{\n    switch (value) {\n", name, name);
        for (const ctlc_member *m = d->members; m; m = m->next)
            fprintf(c, "    case %s_%.*s:\n        return %s;\n", name, NAME(m->name), c_string(e, m->wire, m->wire_len));
        fputs("    }\n    return NULL;\n}\n\n", c);
        fprintf(c, "static int %s_lookup(const char *s, size_t len, %s *out)\n{\n", name, name);
        for (const ctlc_member *m = d->members; m; m = m->next)
            fprintf(c, "    if (len == %zu && memcmp(s, %s, %zu) == 0) {\n        *out = %s_%.*s;\n        return 0;\n    }\n",
                    m->wire_len, c_string(e, m->wire, m->wire_len), m->wire_len, name, NAME(m->name));
        fputs("    return -1;\n}\n\n", c);
        fprintf(c, "bool %s_parse(const char *name, %s *out)\n{\n", name, name);
        fprintf(c, "    return name && %s_lookup(name, strlen(name), out) == 0;\n}\n\n", name);
        fprintf(c, "int %s_read(ctl_ctx *ctx, const ctl_json *v, const ctl_path *path, %s *out)\n{\n", name, name);
        fprintf(c, "    if (v->type != CTL_JSON_STRING || v->flags || %s_lookup(v->str, v->len, out) != 0)\n", name);
        fprintf(c, "        return ctl_fail_enum(ctx, v, path, %s);\n    return 0;\n}\n\n",
                c_string(e, d->name.z, d->name.n));
        fprintf(c, "int %s_write(ctl_buf *b, const %s *v)\n{\n", name, name);
        fprintf(c, "    const char *wire = %s_name(*v);\n", name);
        fputs("    return wire ? ctl_write_string(b, wire) : -1;\n}\n\n", c);
    }

    /* Containers, then struct readers and writers. */
    for (const ctlc_decl *d = s->decls; d; d = d->next) {
        emit_containers_of(e, &d->fields, true);
        emit_containers_of(e, &d->fields, false);
        for (const ctlc_func *f = d->funcs; f; f = f->next) {
            emit_containers_of(e, &f->params, true);
            emit_containers_of(e, &f->params, false);
            emit_containers_of(e, &f->result, true);
            emit_containers_of(e, &f->result, false);
        }
    }
    for (const ctlc_decl *d = s->decls; d; d = d->next) {
        if (d->kind != CTLC_D_STRUCT)
            continue;
        const char *name = type_name(e, d);
        emit_object_reader(e, ctlc_printf(e->a, "%s_read", name), name, &d->fields, false);
        emit_object_writer(e, ctlc_printf(e->a, "%s_write", name), name, &d->fields, "{", false, false);
    }

    /* Controllers. */
    for (const ctlc_decl *d = s->decls; d; d = d->next) {
        if (d->kind != CTLC_D_CONTROLLER)
            continue;
        bool host = hosted(e, d);
        fprintf(c, "/* ---- controller %.*s ", NAME(d->name));
        for (int i = (int)d->name.n; i < 60; i++)
            fputc('-', c);
        fputs(" */\n\n", c);
        for (const ctlc_func *f = d->funcs; f; f = f->next) {
            const char *bn = ctlc_printf(e->a, "%s%.*s_%.*s", e->prefix, NAME(d->name), NAME(f->name));
            const char *args = ctlc_printf(e->a, "%s_args", bn);
            const char *rt = result_type(e, d, f);
            if (host)
                emit_object_reader(e, ctlc_printf(e->a, "read_%s", args), args, &f->params, true);
            /* An event opens with the dispatch key: {"function":"NAME" */
            const char *head = ctlc_printf(e->a, "{\"function\":\"%.*s\"", NAME(f->name));
            emit_object_writer(e, ctlc_printf(e->a, "write_%s", args), args, &f->params, head, true, true);
            if (f->has_result_fields) {
                const char *res = ctlc_printf(e->a, "%s_result", bn);
                if (!f->is_async)
                    emit_object_reader(e, ctlc_printf(e->a, "read_%s", res), res, &f->result, true);
                if (host)
                    emit_object_writer(e, ctlc_printf(e->a, "write_%s", res), res, &f->result, "{", false, true);
            }
            const char *rread = f->has_result_fields ? ctlc_printf(e->a, "read_%s_result", bn)
                                : rt ? ctlc_printf(e->a, "%s_read", rt) : NULL;
            const char *rwrite = f->has_result_fields ? ctlc_printf(e->a, "write_%s_result", bn)
                                 : rt ? ctlc_printf(e->a, "%s_write", rt) : NULL;
            if (host) {
                fprintf(c, "static int invoke_%s(ctl_ctx *ctx, const ctl_json *event, ctl_buf *out)\n{\n", bn);
                fprintf(c, "    %s args;\n    memset(&args, 0, sizeof args);\n", args);
                fprintf(c, "    if (read_%s(ctx, event, &ctl_path_root, &args))\n        return -1;\n", args);
                if (rt) {
                    fprintf(c, "    %s result;\n    memset(&result, 0, sizeof result);\n", rt);
                    fprintf(c, "    int rc = %s(ctx, &args, &result);\n", bn);
                    fputs("    if (rc != 0)\n        return ctl_handler_failed(ctx, rc);\n", c);
                    fprintf(c, "    if (%s(out, &result))\n", rwrite);
                    fputs("        return ctl_fail_result(ctx, \"a required string is NULL or not UTF-8, a float is not "
                          "finite, or an enum value is not a member\");\n",
                          c);
                } else {
                    fprintf(c, "    int rc = %s(ctx, &args);\n", bn);
                    fputs("    if (rc != 0)\n        return ctl_handler_failed(ctx, rc);\n", c);
                    fputs("    CTL_BUF_LIT(out, \"null\");\n", c);
                }
                fputs("    return 0;\n}\n\n", c);
            }
            /* Stubs. */
            const char *cname = c_string(e, d->name.z, d->name.n);
            fprintf(c, "int %s_send(ctl_client *client, const %s *args)\n{\n", bn, args);
            fputs("    ctl_buf b = CTL_BUF_INIT;\n", c);
            fprintf(c, "    if (write_%s(&b, args)) {\n        ctl_buf_free(&b);\n        return CTL_ERR_INVALID_ARGS;\n    }\n", args);
            fprintf(c, "    return ctl_stub_send(client, %s, &b);\n}\n\n", cname);
            if (!f->is_async) {
                if (rt)
                    fprintf(c, "int %s_call(ctl_client *client, const %s *args, %s *result, ctl_reply **reply)\n{\n",
                            bn, args, rt);
                else
                    fprintf(c, "int %s_call(ctl_client *client, const %s *args, ctl_reply **reply)\n{\n", bn, args);
                fputs("    ctl_buf b = CTL_BUF_INIT;\n    ctl_ctx *ctx;\n    const ctl_json *body;\n", c);
                if (rt)
                    fputs("    memset(result, 0, sizeof *result);\n", c);
                fprintf(c, "    if (write_%s(&b, args))\n        return ctl_stub_bad_args(&b, reply, %s, %s);\n", args,
                        cname, c_string(e, f->name.z, f->name.n));
                fprintf(c, "    int rc = ctl_stub_call(client, %s, &b, reply, &ctx, &body);\n", cname);
                fputs("    if (rc != 0)\n        return rc;\n", c);
                if (rread)
                    fprintf(c, "    return ctl_stub_done(*reply, %s(ctx, body, &ctl_path_root, result));\n}\n\n", rread);
                else
                    fputs("    (void)ctx;\n    (void)body;\n    return 0;\n}\n\n", c);
            }
        }
        if (!host)
            continue;
        /* The dispatch table, sorted by name for binary search. */
        const char *cn = ctlc_printf(e->a, "%s%.*s", e->prefix, NAME(d->name));
        if (d->nfuncs) {
            const ctlc_func **sorted = ctlc_alloc(e->a, d->nfuncs * sizeof *sorted);
            size_t k = 0;
            for (const ctlc_func *f = d->funcs; f; f = f->next)
                sorted[k++] = f;
            qsort(sorted, k, sizeof *sorted, by_name);
            fprintf(c, "static const ctl_function %s_functions[] = {\n", cn);
            for (size_t i = 0; i < k; i++)
                fprintf(c, "    { %s, %zu, %s, invoke_%s_%.*s },\n", c_string(e, sorted[i]->name.z, sorted[i]->name.n),
                        (size_t)sorted[i]->name.n, sorted[i]->is_async ? "true" : "false", cn, NAME(sorted[i]->name));
            fputs("};\n\n", c);
            /* The lookup table: FNV-1a of the name, open addressing. */
            if (k < 65535) {
                uint32_t size = 2;
                while (size < 2 * k)
                    size *= 2;
                uint16_t *slots = ctlc_alloc(e->a, size * sizeof *slots);
                uint32_t max_probe = 0;
                for (size_t i = 0; i < k; i++) {
                    uint32_t h = 2166136261u;
                    for (uint32_t j = 0; j < sorted[i]->name.n; j++)
                        h = (h ^ (unsigned char)sorted[i]->name.z[j]) * 16777619u;
                    uint32_t probe = 0;
                    while (slots[(h + probe) & (size - 1)])
                        probe++;
                    slots[(h + probe) & (size - 1)] = (uint16_t)(i + 1);
                    if (probe > max_probe)
                        max_probe = probe;
                }
                fprintf(c, "static const uint16_t %s_slots[%u] = {", cn, size);
                for (uint32_t i = 0; i < size; i++)
                    fprintf(c, "%s%u", i == 0 ? "\n    " : i % 16 ? ", " : ",\n    ", slots[i]);
                fputs("\n};\n\n", c);
                fprintf(c, "const ctl_controller %s_controller = { %s, %s_functions, %zu, %s_slots, %uu, %u };\n\n",
                        cn, c_string(e, d->name.z, d->name.n), cn, k, cn, size - 1, max_probe);
            } else {
                fprintf(c, "const ctl_controller %s_controller = { %s, %s_functions, %zu, NULL, 0, 0 };\n\n", cn,
                        c_string(e, d->name.z, d->name.n), cn, k);
            }
        } else {
            fprintf(c, "const ctl_controller %s_controller = { %s, NULL, 0, NULL, 0, 0 };\n\n", cn,
                    c_string(e, d->name.z, d->name.n));
        }
    }
}

/* ---- files ------------------------------------------------------------------------------------ */

int ctlc_emit_c(ctlc_run *run, const ctlc_spec *spec, const ctlc_emit_c_options *opt)
{
    const char *path = spec->src->path;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    emitter e = { 0 };
    e.a = run->arena;
    e.spec = spec;
    e.prefix = prefix_of(run->arena, spec);
    e.opt = opt;
    char *htext = NULL, *ctext = NULL;
    size_t hlen = 0, clen = 0;
    e.h = open_memstream(&htext, &hlen);
    e.c = open_memstream(&ctext, &clen);
    if (!e.h || !e.c) {
        fputs("ctlc: error: out of memory\n", stderr);
        exit(2);
    }
    emit_header(&e, base);
    e.ncontainers = 0; /* the source emits its own container functions */
    emit_source(&e, base);
    fclose(e.h);
    fclose(e.c);
    int rc = 0;
    rc |= ctlc_write_file(run, ctlc_printf(run->arena, "%s/%s.h", opt->outdir, base), htext, hlen);
    rc |= ctlc_write_file(run, ctlc_printf(run->arena, "%s/%s.c", opt->outdir, base), ctext, clen);
    free(htext);
    free(ctext);
    return rc;
}

/* ---- the scaffold ------------------------------------------------------------------------------ */

/* NAME_handlers.c: a starter for a new helper: one handler per function of
 * the hosted controllers, each succeeding without doing anything, and a
 * main. Never overwrites a file. */
int ctlc_emit_scaffold(ctlc_run *run, const ctlc_spec *spec, const ctlc_emit_c_options *opt)
{
    const char *path = spec->src->path;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t stem = strlen(base) - (strlen(base) > 4 && strcmp(base + strlen(base) - 4, ".ctl") == 0 ? 4 : 0);
    const char *out = ctlc_printf(run->arena, "%s/%.*s_handlers.c", opt->outdir, (int)stem, base);
    FILE *exists = fopen(out, "r");
    if (exists) {
        fclose(exists);
        fprintf(run->diags.out, "ctlc: error: '%s' exists; the scaffold never overwrites a file\n", out);
        return -1;
    }
    emitter e = { 0 };
    e.a = run->arena;
    e.spec = spec;
    e.prefix = prefix_of(run->arena, spec);
    e.opt = opt;
    char *text = NULL;
    size_t len = 0;
    FILE *c = open_memstream(&text, &len);
    if (!c) {
        fputs("ctlc: error: out of memory\n", stderr);
        exit(2);
    }
    fprintf(c, "/* %.*s_handlers.c: the handlers of %s (started by ctlc c --scaffold).\n", (int)stem, base, base);
    fputs(" *\n * Build it with ctl_generate(TARGET ... SPECS ...) in CMake. Each handler gets typed\n"
          " * arguments valid for the call; fill *result (zeroed) and return 0, or\n"
          " * return ctl_fail(ctx, \"Your.ErrorType\", \"what went wrong\"). */\n",
          c);
    fprintf(c, "#include \"%s.h\"\n\n", base);
    bool any = false;
    for (const ctlc_decl *d = spec->decls; d; d = d->next) {
        if (d->kind != CTLC_D_CONTROLLER || !hosted(&e, d))
            continue;
        any = true;
        for (const ctlc_func *f = d->funcs; f; f = f->next) {
            const char *bn = ctlc_printf(e.a, "%s%.*s_%.*s", e.prefix, NAME(d->name), NAME(f->name));
            const char *rt = result_type(&e, d, f);
            doc_comment(c, "", f->doc, NULL);
            if (rt)
                fprintf(c, "int %s(ctl_ctx *ctx, const %s_args *args, %s *result)\n{\n", bn, bn, rt);
            else
                fprintf(c, "int %s(ctl_ctx *ctx, const %s_args *args)\n{\n", bn, bn);
            fputs("    (void)ctx;\n    (void)args;\n", c);
            if (rt)
                fputs("    (void)result;\n", c);
            fprintf(c, "    /* TODO: %.*s.%.*s */\n    return 0;\n}\n\n", NAME(d->name), NAME(f->name));
        }
    }
    fputs("int main(int argc, char **argv)\n{\n    return ctl_main(argc, argv", c);
    for (const ctlc_decl *d = spec->decls; d; d = d->next)
        if (d->kind == CTLC_D_CONTROLLER && hosted(&e, d))
            fprintf(c, ", &%s%.*s_controller", e.prefix, NAME(d->name));
    fputs(", NULL);\n}\n", c);
    fclose(c);
    int rc = 0;
    if (!any) {
        fprintf(run->diags.out, "ctlc: error: %s hosts no controller; nothing to scaffold\n", base);
        rc = -1;
    } else {
        rc = ctlc_write_file(run, out, text, len);
    }
    free(text);
    return rc;
}

/* Make-style dependencies of a generated header: every spec loaded. */
static int write_depfile(ctlc_run *run, const char *path, const char *target)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return -1;
    fprintf(f, "%s:", target);
    for (const ctlc_spec *s = run->specs; s; s = s->next) {
        fputs(" \\\n  ", f);
        for (const char *p = s->canon; *p; p++) {
            if (*p == ' ' || *p == '#' || *p == '\\')
                fputc('\\', f);
            if (*p == '$')
                fputc('$', f);
            fputc(*p, f);
        }
    }
    fputc('\n', f);
    fclose(f);
    int rc = text ? ctlc_write_file(run, path, text, len) : -1;
    free(text);
    return rc;
}

int ctlc_emit_c_all(ctlc_run *run, ctlc_spec *const *roots, size_t nroots, const ctlc_emit_c_options *opt)
{
    /* Generated files are named after the spec's file name alone. */
    for (size_t i = 0; i < nroots; i++)
        for (size_t k = 0; k < i; k++) {
            const char *a = strrchr(roots[i]->src->path, '/'), *b = strrchr(roots[k]->src->path, '/');
            a = a ? a + 1 : roots[i]->src->path;
            b = b ? b + 1 : roots[k]->src->path;
            if (roots[i] != roots[k] && strcmp(a, b) == 0) {
                fprintf(run->diags.out, "ctlc: error: '%s' and '%s' would both generate %s.h; rename one\n",
                        roots[k]->src->path, roots[i]->src->path, a);
                return -1;
            }
        }
    for (size_t i = 0; i < nroots; i++) {
        bool again = false;
        for (size_t k = 0; k < i; k++)
            again = again || roots[k] == roots[i];
        if (!again && ctlc_emit_c(run, roots[i], opt) != 0)
            return -1;
    }
    if (opt->depfile && nroots) {
        const char *base = strrchr(roots[0]->src->path, '/');
        base = base ? base + 1 : roots[0]->src->path;
        if (write_depfile(run, opt->depfile, ctlc_printf(run->arena, "%s/%s.h", opt->outdir, base)) != 0)
            return -1;
    }
    return 0;
}
