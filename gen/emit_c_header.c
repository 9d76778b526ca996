/* emit_c_header.c: NAME.ctl.h, the types and prototypes of a spec.
 *
 * In the spec's order: enums (numbered from 1, so that a zeroed one is no
 * member), structs, the list and map types, then per controller the payload
 * and result types of the functions this program hosts or calls, the
 * handlers of hosted controllers, the stubs of called functions and the
 * dispatch tables; last, the readers and writers that specs importing this
 * one call. */
#include <stdlib.h>
#include <string.h>

#include "emit_c.h"
#include "oom.h"
#include "names.h"
#include "strset.h"


/* ---- which list and map types a header declares ------------------------------------ */

/* The containers inside t, innermost first. */
static void collect_type(ctlc_arena *a, ctlc_strlist *s, const ctlc_type *t)
{
    if (t->kind != CTLC_T_LIST && t->kind != CTLC_T_MAP)
        return;
    collect_type(a, s, t->elem);
    if (!s->set.a)
        ctlc_strlist_init(s, a);
    ctlc_strlist_add(s, ctlc_cname_mangle(a, t), t);
}

static void collect_fields(ctlc_arena *a, ctlc_strlist *s, const ctlc_fields *fs)
{
    for (const ctlc_field *f = fs->first; f; f = f->next)
        collect_type(a, s, f->type);
}

/* Every container a spec's declarations use. */
static void collect_spec(ctlc_arena *a, ctlc_strlist *s, const ctlc_spec *spec)
{
    for (const ctlc_decl *d = spec->decls; d; d = d->next) {
        collect_fields(a, s, &d->fields);
        for (const ctlc_func *f = d->funcs; f; f = f->next) {
            collect_fields(a, s, &f->params);
            collect_fields(a, s, &f->result);
        }
    }
}

/* The containers that the headers this one includes declare already: those
 * of every spec it imports, directly or not, under the same prefix. */
static void collect_imported(ctlc_arena *a, ctlc_strlist *s, const ctlc_spec *spec, const char *prefix,
                             const ctlc_spec ***seen, size_t *nseen, size_t *cap)
{
    for (const ctlc_decl *d = spec->decls; d; d = d->next) {
        const ctlc_spec *imp = d->kind == CTLC_D_IMPORT ? d->imported : NULL;
        bool visited = false;
        for (size_t i = 0; imp && i < *nseen; i++)
            visited = visited || (*seen)[i] == imp;
        if (!imp || visited)
            continue;
        *seen = ctlc_grow(*seen, cap, *nseen + 1, sizeof **seen);
        (*seen)[(*nseen)++] = imp;
        if (strcmp(ctlc_cname_prefix(a, imp), prefix) == 0)
            collect_spec(a, s, imp);
        collect_imported(a, s, imp, prefix, seen, nseen, cap);
    }
}

/* ---- pieces ------------------------------------------------------------------------------- */

static bool uses_json(const ctlc_fields *fs)
{
    for (const ctlc_field *f = fs->first; f; f = f->next) {
        const ctlc_type *t = f->type;
        while (t->kind == CTLC_T_LIST || t->kind == CTLC_T_MAP)
            t = t->elem;
        if (t->kind == CTLC_T_JSON)
            return true;
    }
    return false;
}

static bool spec_uses_json(const ctlc_spec *s)
{
    for (const ctlc_decl *d = s->decls; d; d = d->next) {
        if (uses_json(&d->fields))
            return true;
        for (const ctlc_func *f = d->funcs; f; f = f->next)
            if (uses_json(&f->params) || uses_json(&f->result))
                return true;
    }
    return false;
}

static void struct_body(ctlc_cgen *g, const ctlc_fields *fs)
{
    FILE *h = g->out;
    if (!fs->first)
        fputs("    char ctl_empty_; /* C has no empty structs */\n", h);
    for (const ctlc_field *f = fs->first; f; f = f->next) {
        ctlc_c_doc(g, "    ", f->doc, NULL);
        const char *dep = ctlc_c_deprecated(g, &f->traits);
        const char *flag = ctlc_cname_field_flag(g->a, f);
        if (flag)
            fprintf(h, "    bool %s%s;\n", flag, dep);
        const char *ty = ctlc_c_type(g, f->type);
        if (f->optional && ctlc_c_is_struct(f->type))
            ty = ctlc_printf(g->a, "%s*", ty);
        fprintf(h, "    %s%s%s;\n", ty, ctlc_cname_field(g->a, f), dep);
    }
}

/* Defines struct d after the structs it holds by value (done: the C
 * names of those defined). */
static void define_struct(ctlc_cgen *g, const ctlc_decl *d, ctlc_strset *done)
{
    if (!ctlc_strset_add(done, ctlc_cname_type(g->a, d)))
        return;
    for (const ctlc_field *f = d->fields.first; f; f = f->next)
        if (!f->optional && ctlc_c_is_struct(f->type) && f->type->decl->spec == g->spec)
            define_struct(g, f->type->decl, done);
    ctlc_c_doc(g, "", d->doc, &d->traits);
    fprintf(g->out, "struct %s {\n", ctlc_cname_type(g->a, d));
    struct_body(g, &d->fields);
    fputs("};\n\n", g->out);
}

static void emit_enum(ctlc_cgen *g, const ctlc_decl *d)
{
    FILE *h = g->out;
    const char *name = ctlc_cname_type(g->a, d);
    ctlc_c_doc(g, "", d->doc, &d->traits);
    fprintf(h, "typedef enum %s {\n", name);
    for (const ctlc_member *m = d->members; m; m = m->next) {
        ctlc_c_doc(g, "    ", m->doc, NULL);
        fprintf(h, "    %s%s%s,\n", ctlc_cname_enum_const(g->a, d, m), ctlc_c_deprecated(g, &m->traits),
                m == d->members ? " = 1" : "");
    }
    fprintf(h, "} %s%s;\n\n", name, ctlc_c_deprecated(g, &d->traits));
    const ctlc_member *first = d->members;
    ctlc_c_comment(g, "", ctlc_printf(g->a, "The wire name of a member (\"%s\"), or NULL for a value that is none.",
                                      ctlc_c_comment_text(g, first->wire, first->wire_len)));
    const char *to = ctlc_cname_enum_fn(g->a, d, CTLC_R_ENUM_TO_STRING);
    const char *from = ctlc_cname_enum_fn(g->a, d, CTLC_R_ENUM_FROM_STRING);
    const char *to_params[] = { ctlc_printf(g->a, "%s value", name) };
    ctlc_c_list(g, "", ctlc_printf(g->a, "const char *%s(", to), to_params, 1, ");");
    ctlc_c_comment(g, "", "The member with that wire name; false when there is none.");
    const char *from_params[] = { "const char *name", ctlc_printf(g->a, "%s *out", name) };
    ctlc_c_list(g, "", ctlc_printf(g->a, "bool %s(", from), from_params, 2, ");");
    fputc('\n', h);
}

static void declare_container(ctlc_cgen *g, const ctlc_type *t)
{
    FILE *h = g->out;
    const char *name = ctlc_cname_container(g->a, g->spec, t);
    if (t->kind == CTLC_T_LIST) {
        fprintf(h, "typedef struct %s {\n    %s*items;\n    size_t count;\n} %s;\n\n", name,
                ctlc_c_type(g, t->elem), name);
    } else {
        /* The entry holds its value whole, so it is defined after the
         * structs; the map itself needs only its name. */
        fprintf(h, "typedef struct %s_entry %s_entry;\n", name, name);
        fprintf(h, "typedef struct %s {\n    %s_entry *items;\n    size_t count;\n} %s;\n\n", name, name, name);
    }
}

/* The prototypes of function f of ctrl that this program has. */
static void emit_function(ctlc_cgen *g, const ctlc_decl *ctrl, const ctlc_func *f)
{
    FILE *h = g->out;
    bool hosted = ctlc_c_hosted(g, ctrl), stubbed = ctlc_c_stubbed(g, ctrl, f);
    const char *args = ctlc_cname_func(g->a, ctrl, f, CTLC_R_ARGS);
    const char *rt = ctlc_c_result_type(g, ctrl, f);
    if (f->traits.records) {
        /* It takes Lambda's invocation record, not a payload of its own. */
        fprintf(h, "/* %.*s.%.*s: @records async fn (Lambda's invocation records) */\n", NAME(ctrl->name),
                NAME(f->name));
        ctlc_c_doc(g, "", f->doc, NULL);
        ctlc_c_comment(g, "", "The handler you write. Return 0, or fail with ctl_fail().");
        const char *params[] = { "ctl_ctx *ctx", "const ctl_record *record" };
        ctlc_c_list(g, "", ctlc_printf(g->a, "int %s(", ctlc_cname_func(g->a, ctrl, f, CTLC_R_HANDLER)), params, 2,
                    ");");
        fputc('\n', h);
        return;
    }
    fprintf(h, "/* %.*s.%.*s: %s */\n", NAME(ctrl->name), NAME(f->name),
            f->is_async ? "async fn (InvocationType Event)" : "fn (InvocationType RequestResponse)");
    ctlc_c_doc(g, "", f->doc, NULL);
    fprintf(h, "typedef struct %s {\n", args);
    struct_body(g, &f->params);
    fprintf(h, "} %s;\n\n", args);
    if (f->has_result_fields) {
        fprintf(h, "typedef struct %s {\n", rt);
        struct_body(g, &f->result);
        fprintf(h, "} %s;\n\n", rt);
    }
    const char *args_param = ctlc_printf(g->a, "const %s *args", args);
    const char *result_param = rt ? ctlc_printf(g->a, "%s *result", rt) : NULL;
    if (hosted) {
        ctlc_c_comment(g, "", "The handler you write. Return 0, or fail with ctl_fail().");
        const char *params[] = { "ctl_ctx *ctx", args_param, result_param };
        ctlc_c_list(g, "", ctlc_printf(g->a, "int %s(", ctlc_cname_func(g->a, ctrl, f, CTLC_R_HANDLER)), params,
                    rt ? 3 : 2, ");");
    }
    if (stubbed) {
        /* A deprecated stub warns where it is called: the attribute leads
         * the declaration, on a line of its own. */
        ctlc_traits tr = f->traits.deprecated ? f->traits : ctrl->traits;
        const char *attr = ctlc_c_deprecated(g, &tr), *tail = ");";
        ctlc_c_comment(g, "", "Checks the arguments, sends the event (InvocationType Event) and returns at once.");
        if (*attr)
            fprintf(h, "%s\n", attr + 1);
        const char *send[] = { "ctl_client *client", args_param };
        ctlc_c_list(g, "", ctlc_printf(g->a, "ctl_status %s(", ctlc_cname_func(g->a, ctrl, f, CTLC_R_SEND)), send,
                    2, tail);
        if (!f->is_async) {
            ctlc_c_comment(g, "", rt ? "Checks the arguments, calls (RequestResponse), waits and checks the result. "
                                       "*reply (reply may be NULL) owns what the result points into and the error "
                                       "of a failed call; free it with ctl_reply_free()."
                                     : "Checks the arguments, calls (RequestResponse) and waits. *reply (reply may "
                                       "be NULL) holds the error of a failed call; free it with ctl_reply_free().");
            if (*attr)
                fprintf(h, "%s\n", attr + 1);
            const char *call[] = { "ctl_client *client", args_param, result_param ? result_param : "ctl_reply **reply",
                                   "ctl_reply **reply" };
            ctlc_c_list(g, "", ctlc_printf(g->a, "ctl_status %s(", ctlc_cname_func(g->a, ctrl, f, CTLC_R_CALL)),
                        call, rt ? 4 : 3, tail);
        }
    }
    fputc('\n', h);
}

static void emit_controller(ctlc_cgen *g, const ctlc_decl *ctrl)
{
    if (!ctlc_c_emitted(g, ctrl))
        return;
    bool hosted = ctlc_c_hosted(g, ctrl);
    ctlc_c_section(g, ctrl);
    if (hosted) {
        ctlc_c_doc(g, "", ctrl->doc, &ctrl->traits);
        fprintf(g->out, "extern const ctl_controller %s;\n\n", ctlc_cname_controller(g->a, ctrl));
    }
    for (const ctlc_func *f = ctrl->funcs; f; f = f->next)
        if (hosted || ctlc_c_stubbed(g, ctrl, f))
            emit_function(g, ctrl, f);
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

/* ---- the header ------------------------------------------------------------------------- */

void ctlc_c_header(ctlc_cgen *g)
{
    FILE *h = g->out;
    const ctlc_spec *s = g->spec;
    char guard[512];
    header_guard(guard, sizeof guard, ctlc_printf(g->a, "CTL_GEN_%s", g->base));
    fprintf(h, "/* Generated by ctlc %s from %s. DO NOT EDIT. */\n", CTLC_VERSION,
            ctlc_c_comment_text(g, g->base, strlen(g->base)));
    if (s->doc) {
        fputc('\n', h);
        ctlc_c_doc(g, "", s->doc, NULL);
    }
    fprintf(h, "#ifndef %s\n#define %s\n\n", guard, guard);
    fputs("#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n\n", h);
    if (spec_uses_json(s))
        fputs("#include <cjson/cJSON.h>\n", h);
    fputs("#include \"ctl/ctl.h\"\n", h);
    for (const ctlc_decl *d = s->decls; d; d = d->next)
        if (d->kind == CTLC_D_IMPORT && d->imported) {
            const char *path = d->imported->src->path, *slash = strrchr(path, '/');
            fprintf(h, "#include \"%s.h\"\n", slash ? slash + 1 : path);
        }
    fputs("\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n", h);
    fputs("/* Uses of deprecated declarations inside this header are not news. */\n"
          "#if defined(__GNUC__)\n#pragma GCC diagnostic push\n"
          "#pragma GCC diagnostic ignored \"-Wdeprecated-declarations\"\n#endif\n\n",
          h);
    fputs("struct ctl_json;\nstruct ctl_path;\n\n", h);

    for (const ctlc_decl *d = s->decls; d; d = d->next)
        if (d->kind == CTLC_D_ENUM)
            emit_enum(g, d);

    size_t nstructs = 0;
    for (const ctlc_decl *d = s->decls; d; d = d->next)
        if (d->kind == CTLC_D_STRUCT) {
            const char *name = ctlc_cname_type(g->a, d);
            fprintf(h, "typedef struct %s %s%s;\n", name, name, ctlc_c_deprecated(g, &d->traits));
            nstructs++;
        }
    if (nstructs)
        fputc('\n', h);

    /* List and map types, but those that an imported header of the same
     * prefix declares. */
    ctlc_strlist mine = { 0 }, theirs = { 0 };
    collect_spec(g->a, &mine, s);
    const ctlc_spec **seen = NULL;
    size_t nseen = 0, cap = 0;
    ctlc_oom_hold_ptr(&seen);
    collect_imported(g->a, &theirs, s, ctlc_cname_prefix(g->a, s), &seen, &nseen, &cap);
    ctlc_oom_drop(&seen);
    free(seen);
    for (size_t i = 0; i < mine.n; i++)
        if (!ctlc_strset_has(&theirs.set, mine.keys[i]))
            declare_container(g, mine.values[i]);

    ctlc_strset done;
    ctlc_strset_init(&done, g->a);
    for (const ctlc_decl *d = s->decls; d; d = d->next)
        if (d->kind == CTLC_D_STRUCT)
            define_struct(g, d, &done);
    for (size_t i = 0; i < mine.n; i++) {
        const ctlc_type *t = mine.values[i];
        if (t->kind == CTLC_T_MAP && !ctlc_strset_has(&theirs.set, mine.keys[i]))
            fprintf(h, "struct %s_entry {\n    const char *key;\n    %svalue;\n};\n\n",
                    ctlc_cname_container(g->a, s, t), ctlc_c_type(g, t->elem));
    }

    for (const ctlc_decl *d = s->decls; d; d = d->next)
        if (d->kind == CTLC_D_CONTROLLER)
            emit_controller(g, d);

    bool first = true;
    for (const ctlc_decl *d = s->decls; d; d = d->next) {
        if (d->kind != CTLC_D_STRUCT && d->kind != CTLC_D_ENUM)
            continue;
        if (first)
            ctlc_c_comment(g, "", "Readers and writers of this spec's types, for generated code (ctl/gen.h).");
        first = false;
        const char *name = ctlc_cname_type(g->a, d);
        const char *reader[] = { "ctl_ctx *ctx", "const struct ctl_json *v", "const struct ctl_path *path",
                                 ctlc_printf(g->a, "%s *out", name) };
        ctlc_c_list(g, "", ctlc_printf(g->a, "int %s(", ctlc_cname_codec(g->a, name, CTLC_R_READER)), reader, 4,
                    ");");
        const char *writer[] = { "ctl_ctx *ctx", ctlc_printf(g->a, "const %s *v", name),
                                 "const struct ctl_path *path", "ctl_buf *out" };
        ctlc_c_list(g, "", ctlc_printf(g->a, "int %s(", ctlc_cname_codec(g->a, name, CTLC_R_WRITER)), writer, 4,
                    ");");
    }
    if (!first)
        fputc('\n', h);
    fputs("#if defined(__GNUC__)\n#pragma GCC diagnostic pop\n#endif\n\n", h);
    fputs("#ifdef __cplusplus\n}\n#endif\n\n#endif\n", h);
}
