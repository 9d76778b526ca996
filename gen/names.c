/* names.c: the C names of generated code (see names.h for the table). */
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "ctlc.h"
#include "oom.h"
#include "strset.h"


/* ---- reserved names ------------------------------------------------------------ */

typedef struct reserved {
    const char *name;
    unsigned why;
} reserved;

static const reserved reserved_names[] = {
#include "reserved.inc"
};

/* Parameters and locals of generated functions: a global name equal to one
 * would be hidden by it inside those functions (`v *out` after a parameter
 * `v` is a multiplication). The emitter uses no others. Sorted bytewise,
 * for the binary search of is_local(). */
static const char *const generated_locals[] = {
    "args", "b", "body", "client", "ctx", "event", "i", "item", "k", "key", "len", "m", "n",
    "name", "out", "p", "path", "rc", "reply", "result", "s", "seen", "sep", "stub", "v",
    "value", "wire",
};

/* Compares the n bytes at z with s bytewise, as strcmp would; byte by
 * byte, as most comparisons end at the first (no strlen of s first). */
static int cmp_slice(const char *z, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++) {
        if (!s[i])
            return 1;
        if (z[i] != s[i])
            return (unsigned char)z[i] < (unsigned char)s[i] ? -1 : 1;
    }
    return s[n] ? -1 : 0;
}

static unsigned table_why(const char *z, size_t n)
{
    size_t lo = 0, hi = sizeof reserved_names / sizeof reserved_names[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_slice(z, n, reserved_names[mid].name);
        if (c == 0)
            return reserved_names[mid].why;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

static bool is_local(const char *z, size_t n)
{
    size_t lo = 0, hi = sizeof generated_locals / sizeof generated_locals[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_slice(z, n, generated_locals[mid]);
        if (c == 0)
            return true;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return false;
}

static bool starts(const char *z, size_t n, const char *prefix)
{
    size_t m = strlen(prefix);
    return n >= m && memcmp(z, prefix, m) == 0;
}

static bool underscore_start(const char *z, size_t n)
{
    return n >= 2 && z[0] == '_' && (z[1] == '_' || (z[1] >= 'A' && z[1] <= 'Z'));
}

unsigned ctlc_cname_reserved(const char *z, size_t n)
{
    unsigned why = table_why(z, n);
    /* C11 7.1.3: every name that starts with '_' is reserved at file scope,
     * where all these names live (members only lose "__" and '_' + capital). */
    if (n && z[0] == '_')
        why |= CTLC_RSV_UNDERSCORE;
    if (starts(z, n, "ctl_") || starts(z, n, "CTL_") || starts(z, n, "cJSON") || starts(z, n, "CJSON"))
        why |= CTLC_RSV_LIBCTL;
    if (is_local(z, n))
        why |= CTLC_RSV_LOCAL;
    if (cmp_slice(z, n, "main") == 0)
        why |= CTLC_RSV_MAIN;
    return why;
}

bool ctlc_cname_member_reserved(const char *z, size_t n)
{
    /* Members have a namespace of their own: only keywords and macros
     * (and CTL_ ones, which are libctl's macros) can get in their way. */
    return (table_why(z, n) & (CTLC_RSV_KEYWORD | CTLC_RSV_MACRO)) || underscore_start(z, n) ||
           starts(z, n, "CTL_") || starts(z, n, "CJSON_");
}

const char *ctlc_cname_reserved_why(unsigned why)
{
    if (why & CTLC_RSV_KEYWORD)
        return "a keyword of C or C++";
    if (why & CTLC_RSV_UNDERSCORE)
        return "reserved by C (a name at file scope may not start with '_')";
    if (why & CTLC_RSV_LIBCTL)
        return "in the namespace of libctl or cJSON";
    if (why & CTLC_RSV_MACRO)
        return "a macro of the C library, POSIX or cJSON";
    if (why & CTLC_RSV_LIBRARY)
        return "a name of the C library, POSIX or cJSON";
    if (why & CTLC_RSV_MAIN)
        return "the program's main";
    if (why & CTLC_RSV_LOCAL)
        return "a parameter name of generated functions";
    return "free";
}

/* ---- spelling --------------------------------------------------------------------- */

const char *ctlc_cname_prefix(ctlc_arena *a, const ctlc_spec *spec)
{
    return spec->package ? ctlc_printf(a, "%.*s_", NAME(spec->package->name)) : "";
}

/* The prefix and the spec name of a declaration, without any '_' added. */
static const char *raw_type(ctlc_arena *a, const ctlc_decl *d)
{
    return ctlc_printf(a, "%s%.*s", ctlc_cname_prefix(a, d->spec), NAME(d->name));
}

const char *ctlc_cname_type(ctlc_arena *a, const ctlc_decl *d)
{
    const char *raw = raw_type(a, d);
    return ctlc_cname_reserved(raw, strlen(raw)) ? ctlc_printf(a, "%s_", raw) : raw;
}

const char *ctlc_cname_enum_const(ctlc_arena *a, const ctlc_decl *e, const ctlc_member *m)
{
    return ctlc_printf(a, "%s_%.*s", raw_type(a, e), NAME(m->name));
}

const char *ctlc_cname_enum_fn(ctlc_arena *a, const ctlc_decl *e, ctlc_role role)
{
    const char *suffix = role == CTLC_R_ENUM_TO_STRING     ? "to_string"
                         : role == CTLC_R_ENUM_FROM_STRING ? "from_string"
                                                           : "from_bytes";
    return ctlc_printf(a, "%s_%s", raw_type(a, e), suffix);
}

const char *ctlc_cname_mangle(ctlc_arena *a, const ctlc_type *t)
{
    switch (t->kind) {
    case CTLC_T_LIST: return ctlc_printf(a, "list_%s", ctlc_cname_mangle(a, t->elem));
    case CTLC_T_MAP: return ctlc_printf(a, "map_%s", ctlc_cname_mangle(a, t->elem));
    case CTLC_T_NAMED: return ctlc_printf(a, "%.*s", NAME(t->name));
    default: return ctlc_type_keyword(t->kind);
    }
}

const char *ctlc_cname_container(ctlc_arena *a, const ctlc_spec *spec, const ctlc_type *t)
{
    return ctlc_printf(a, "%s%s", ctlc_cname_prefix(a, spec), ctlc_cname_mangle(a, t));
}

const char *ctlc_cname_func(ctlc_arena *a, const ctlc_decl *ctrl, const ctlc_func *f, ctlc_role role)
{
    const char *suffix = "";
    switch (role) {
    case CTLC_R_ARGS: suffix = "_args"; break;
    case CTLC_R_RESULT: suffix = "_result"; break;
    case CTLC_R_SEND: suffix = "_send"; break;
    case CTLC_R_CALL: suffix = "_call"; break;
    case CTLC_R_INVOKE: suffix = "_invoke"; break;
    default: break;
    }
    return ctlc_printf(a, "%s_%.*s%s", raw_type(a, ctrl), NAME(f->name), suffix);
}

const char *ctlc_cname_controller(ctlc_arena *a, const ctlc_decl *ctrl)
{
    return ctlc_printf(a, "%s_controller", raw_type(a, ctrl));
}

const char *ctlc_cname_codec(ctlc_arena *a, const char *ctype, ctlc_role role)
{
    const char *suffix = role == CTLC_R_READER        ? "_from_json"
                         : role == CTLC_R_TEXT_READER ? "_from_text"
                                                      : "_to_json";
    return ctlc_printf(a, "%s%s", ctype, suffix);
}

const char *ctlc_cname_field(ctlc_arena *a, const ctlc_field *f)
{
    bool fix = ctlc_cname_member_reserved(f->name.z, f->name.n);
    return ctlc_printf(a, "%.*s%s", NAME(f->name), fix ? "_" : "");
}

bool ctlc_cname_field_is_pointer(const ctlc_field *f)
{
    const ctlc_type *t = f->type;
    return t->kind == CTLC_T_STRING || t->kind == CTLC_T_JSON ||
           (t->kind == CTLC_T_NAMED && t->decl && t->decl->kind == CTLC_D_STRUCT);
}

const char *ctlc_cname_field_flag(ctlc_arena *a, const ctlc_field *f)
{
    if (!f->optional || ctlc_cname_field_is_pointer(f))
        return NULL;
    return ctlc_printf(a, "has_%.*s", NAME(f->name));
}

const char *ctlc_cname_field_type_name(ctlc_arena *a, const ctlc_spec *spec, const ctlc_field *f)
{
    const ctlc_type *t = f->type;
    switch (t->kind) {
    case CTLC_T_INT: return "int64_t";
    case CTLC_T_JSON: return "cJSON";
    case CTLC_T_LIST:
    case CTLC_T_MAP: return ctlc_cname_container(a, spec, t);
    case CTLC_T_NAMED: return t->decl ? ctlc_cname_type(a, t->decl) : NULL;
    default: return NULL;
    }
}

/* ---- every name of a spec ---------------------------------------------------------- */

/* The roles, with what the language reference's table (which
 * ctlc_cnames_table() writes from here) says of each: the C declaration
 * when it says more than the pattern, a note, and where it is declared. */
static const struct {
    const char *what, *pattern, *decl, *note, *where;
} roles[CTLC_R_COUNT] = {
    [CTLC_R_STRUCT] = { "struct type", "p_S", "typedef struct p_S p_S;", NULL, "header" },
    [CTLC_R_ENUM] = { "enum type", "p_E", "typedef enum p_E p_E;", NULL, "header" },
    [CTLC_R_ENUM_CONST] = { "enum constant", "p_E_m", NULL, "members count from 1", "header" },
    [CTLC_R_ENUM_TO_STRING] = { "wire name of a member", "p_E_to_string", "const char *p_E_to_string(p_E value);",
                                "NULL for a value that is no member", "header" },
    [CTLC_R_ENUM_FROM_STRING] = { "member by wire name", "p_E_from_string",
                                  "bool p_E_from_string(const char *name, p_E *out);", NULL, "header" },
    [CTLC_R_LIST] = { "list type", "p_list_T", NULL, "`list<map<int>>` is `p_list_map_int`", "header" },
    [CTLC_R_MAP] = { "map type", "p_map_T", NULL, NULL, "header" },
    [CTLC_R_MAP_ENTRY] = { "map entry type", "p_map_T_entry", NULL, NULL, "header" },
    [CTLC_R_ARGS] = { "payload type", "p_C_f_args", NULL, NULL, "header" },
    [CTLC_R_RESULT] = { "result type", "p_C_f_result", NULL, "inline fields; `-> S` uses `p_S`", "header" },
    [CTLC_R_HANDLER] = { "handler", "p_C_f", "int p_C_f(ctl_ctx *ctx, const p_C_f_args *args[, RESULT *result]);",
                         NULL, "header, hosted controllers" },
    [CTLC_R_CONTROLLER] = { "dispatch table", "p_C_controller", "extern const ctl_controller p_C_controller;", NULL,
                            "header, hosted controllers" },
    [CTLC_R_SEND] = { "send stub", "p_C_f_send", "ctl_status p_C_f_send(ctl_client *client, const p_C_f_args *args);",
                      NULL, "header, functions the program calls" },
    [CTLC_R_CALL] = { "call stub", "p_C_f_call",
                      "ctl_status p_C_f_call(ctl_client *client, const p_C_f_args *args[, RESULT *result], "
                      "ctl_reply **reply);",
                      "plain `fn` only; `reply` may be NULL", "header, functions the program calls" },
    [CTLC_R_READER] = { "reader", "p_T_from_json",
                        "int p_T_from_json(ctl_ctx *ctx, const ctl_json *v, const ctl_path *path, p_T *out);", NULL,
                        "header for structs and enums, file scope otherwise" },
    [CTLC_R_WRITER] = { "writer", "p_T_to_json",
                        "int p_T_to_json(ctl_ctx *ctx, const p_T *v, const ctl_path *path, ctl_buf *out);", NULL,
                        "header for structs and enums, file scope otherwise" },
    [CTLC_R_ENUM_FROM_BYTES] = { "member lookup", "p_E_from_bytes", NULL, NULL, "file scope" },
    [CTLC_R_INVOKE] = { "dispatch entry", "p_C_f_invoke", NULL, NULL, "file scope" },
    [CTLC_R_TEXT_READER] = { "one-pass reader", "p_T_from_text",
                             "static int p_T_from_text(ctl_ctx *ctx, ctl_cursor *cur, p_T *out);",
                             "reads an event's bytes into what a hosted function takes", "file scope" },
};

/* The order of the table: types, then what hosts and calls, then codecs. */
static const ctlc_role table_order[CTLC_R_COUNT] = {
    CTLC_R_STRUCT, CTLC_R_ENUM, CTLC_R_ENUM_CONST, CTLC_R_ENUM_TO_STRING, CTLC_R_ENUM_FROM_STRING,
    CTLC_R_LIST, CTLC_R_MAP, CTLC_R_MAP_ENTRY, CTLC_R_ARGS, CTLC_R_RESULT, CTLC_R_HANDLER,
    CTLC_R_CONTROLLER, CTLC_R_SEND, CTLC_R_CALL, CTLC_R_READER, CTLC_R_WRITER, CTLC_R_TEXT_READER,
    CTLC_R_ENUM_FROM_BYTES, CTLC_R_INVOKE,
};

void ctlc_cnames_table(FILE *out)
{
    fputs("| what | C name | where |\n|---|---|---|\n", out);
    for (size_t i = 0; i < CTLC_R_COUNT; i++) {
        ctlc_role r = table_order[i];
        fprintf(out, "| %s | `%s`%s%s%s | %s |\n", roles[r].what, roles[r].decl ? roles[r].decl : roles[r].pattern,
                roles[r].note ? " (" : "", roles[r].note ? roles[r].note : "", roles[r].note ? ")" : "",
                roles[r].where);
    }
}

const char *ctlc_role_pattern(ctlc_role role)
{
    return role < CTLC_R_COUNT ? roles[role].pattern : "?";
}

const char *ctlc_role_what(ctlc_role role)
{
    return role < CTLC_R_COUNT ? roles[role].what : "?";
}

typedef struct walker {
    ctlc_arena *a;
    const ctlc_spec *spec;
    ctlc_cname_fn fn;
    void *user;
    ctlc_strset containers;    /* mangled container names reported so far */
} walker;

static void emit(walker *w, ctlc_cname n)
{
    n.spec = w->spec;
    w->fn(w->user, &n);
}

static void emit_codecs(walker *w, const ctlc_cname *of, bool exported)
{
    static const ctlc_role roles_of[] = { CTLC_R_READER, CTLC_R_WRITER, CTLC_R_TEXT_READER };
    for (int r = 0; r < 3; r++) {
        ctlc_cname n = *of;
        n.role = roles_of[r];
        n.ctype = of->name;
        n.of = of->role;
        n.name = ctlc_cname_codec(w->a, of->name, n.role);
        n.exported = exported && n.role != CTLC_R_TEXT_READER;
        emit(w, n);
    }
}

/* The list and map types inside t, innermost first, each once. */
static void walk_containers(walker *w, const ctlc_type *t, ctlc_loc at)
{
    if (t->kind != CTLC_T_LIST && t->kind != CTLC_T_MAP)
        return;
    walk_containers(w, t->elem, at);
    if (!ctlc_strset_add(&w->containers, ctlc_cname_mangle(w->a, t)))
        return;
    ctlc_cname n = { 0 };
    n.name = ctlc_cname_container(w->a, w->spec, t);
    n.role = t->kind == CTLC_T_LIST ? CTLC_R_LIST : CTLC_R_MAP;
    n.type = t;
    n.at = at;
    n.exported = true;
    emit(w, n);
    if (t->kind == CTLC_T_MAP) {
        ctlc_cname e = n;
        e.role = CTLC_R_MAP_ENTRY;
        e.name = ctlc_printf(w->a, "%s_entry", n.name);
        emit(w, e);
    }
    emit_codecs(w, &n, false);
}

static void walk_fields(walker *w, const ctlc_fields *fs)
{
    for (const ctlc_field *f = fs->first; f; f = f->next)
        walk_containers(w, f->type, f->type->loc);
}

void ctlc_cnames_each(ctlc_arena *a, const ctlc_spec *spec, ctlc_cname_fn fn, void *user)
{
    walker w = { a, spec, fn, user, { 0 } };
    ctlc_strset_init(&w.containers, a);
    for (const ctlc_decl *d = spec->decls; d; d = d->next) {
        ctlc_cname n = { 0 };
        n.decl = d;
        n.at = d->name.loc;
        n.exported = true;
        switch (d->kind) {
        case CTLC_D_ENUM:
            n.role = CTLC_R_ENUM;
            n.name = ctlc_cname_type(a, d);
            emit(&w, n);
            for (const ctlc_member *m = d->members; m; m = m->next) {
                ctlc_cname c = n;
                c.role = CTLC_R_ENUM_CONST;
                c.member = m;
                c.at = m->name.loc;
                c.name = ctlc_cname_enum_const(a, d, m);
                emit(&w, c);
            }
            for (ctlc_role r = CTLC_R_ENUM_TO_STRING; r <= CTLC_R_ENUM_FROM_STRING; r++) {
                ctlc_cname c = n;
                c.role = r;
                c.name = ctlc_cname_enum_fn(a, d, r);
                emit(&w, c);
            }
            {
                ctlc_cname c = n;
                c.role = CTLC_R_ENUM_FROM_BYTES;
                c.name = ctlc_cname_enum_fn(a, d, CTLC_R_ENUM_FROM_BYTES);
                c.exported = false;
                emit(&w, c);
            }
            emit_codecs(&w, &n, true);
            break;
        case CTLC_D_STRUCT:
            n.role = CTLC_R_STRUCT;
            n.name = ctlc_cname_type(a, d);
            emit(&w, n);
            emit_codecs(&w, &n, true);
            walk_fields(&w, &d->fields);
            break;
        case CTLC_D_CONTROLLER:
            n.role = CTLC_R_CONTROLLER;
            n.name = ctlc_cname_controller(a, d);
            emit(&w, n);
            for (const ctlc_func *f = d->funcs; f; f = f->next) {
                static const ctlc_role fn_roles[] = { CTLC_R_HANDLER, CTLC_R_ARGS, CTLC_R_RESULT,
                                                      CTLC_R_SEND,    CTLC_R_CALL, CTLC_R_INVOKE };
                for (size_t i = 0; i < sizeof fn_roles / sizeof fn_roles[0]; i++) {
                    ctlc_role r = fn_roles[i];
                    if ((r == CTLC_R_RESULT && !f->has_result_fields) || (r == CTLC_R_CALL && f->is_async))
                        continue;
                    ctlc_cname c = n;
                    c.role = r;
                    c.func = f;
                    c.at = f->name.loc;
                    c.name = ctlc_cname_func(a, d, f, r);
                    c.exported = r != CTLC_R_INVOKE;
                    emit(&w, c);
                    if (r == CTLC_R_ARGS || r == CTLC_R_RESULT)
                        emit_codecs(&w, &c, false);
                }
                walk_fields(&w, &f->params);
                walk_fields(&w, &f->result);
            }
            break;
        default:
            break;
        }
    }
}

const char *ctlc_cname_describe(ctlc_arena *a, const ctlc_cname *n)
{
    const ctlc_decl *d = n->decl;
    const char *kind = d ? ctlc_decl_kind_str(d->kind) : "";
    switch (n->role) {
    case CTLC_R_STRUCT:
    case CTLC_R_ENUM: return ctlc_printf(a, "%s '%.*s'", kind, NAME(d->name));
    case CTLC_R_ENUM_CONST:
        return ctlc_printf(a, "the constant of member '%.*s' of enum '%.*s'", NAME(n->member->name), NAME(d->name));
    case CTLC_R_ENUM_TO_STRING:
    case CTLC_R_ENUM_FROM_STRING:
    case CTLC_R_ENUM_FROM_BYTES: {
        const char *fn = n->role == CTLC_R_ENUM_TO_STRING     ? "to_string"
                         : n->role == CTLC_R_ENUM_FROM_STRING ? "from_string"
                                                              : "lookup";
        return ctlc_printf(a, "the %s function of enum '%.*s'", fn, NAME(d->name));
    }
    case CTLC_R_LIST:
    case CTLC_R_MAP: return ctlc_printf(a, "the C type of %s", ctlc_type_str(a, n->type));
    case CTLC_R_MAP_ENTRY: return ctlc_printf(a, "the entry type of %s", ctlc_type_str(a, n->type));
    case CTLC_R_CONTROLLER: return ctlc_printf(a, "the dispatch table of controller '%.*s'", NAME(d->name));
    case CTLC_R_READER:
    case CTLC_R_WRITER:
    case CTLC_R_TEXT_READER: {
        ctlc_cname served = *n;
        served.role = n->of;
        const char *of = ctlc_cname_describe(a, &served);
        return ctlc_printf(a, "the %s of %s", ctlc_role_what(n->role), of);
    }
    default:
        return ctlc_printf(a, "the %s of function '%.*s.%.*s'", ctlc_role_what(n->role), NAME(d->name),
                           NAME(n->func->name));
    }
}

/* ---- `ctlc names` ------------------------------------------------------------------ */

static void print_cname(void *user, const ctlc_cname *n)
{
    FILE *out = user;
    fprintf(out, "%s\t%s\t%s\t%s:%u:%u\n", n->name, ctlc_role_what(n->role), n->exported ? "header" : "file",
            n->at.src ? n->at.src->path : "?", (unsigned)n->at.line, (unsigned)n->at.col);
}

static ctlc_status emit_names(ctlc_run *run, const ctlc_spec *spec, FILE *out)
{
    ctlc_cnames_each(run->arena, spec, print_cname, out);
    return ferror(out) ? CTLC_IO : CTLC_OK;
}

ctlc_status ctlc_emit_names(ctlc_run *run, const ctlc_spec *spec, FILE *out)
{
    CTLC_GUARDED(run, emit_names(run, spec, out));
}
