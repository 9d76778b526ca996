/* check.c: the semantic checks of the language reference.
 *
 * Runs after every spec of a run is parsed and its imports resolved. Each spec
 * sees its own declarations and those of everything it imports, directly or
 * not; a name defined twice in that set is an error, reported once, at the
 * later definition. Names are resolved in place (ctlc_type.decl,
 * ctlc_target.decl, ...) and what the annotations say is recorded in each
 * node's traits for the emitters (check_annot.c checks the annotations). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ctlc.h"
#include "names.h"
#include "oom.h"
#include "strset.h"
#include "suggest.h"

/* ---- the checker's messages -------------------------------------------------- */

typedef enum object_kind {
    IN_STRUCT, IN_PAYLOAD, IN_RESULT
} object_kind;


static const char *what_decl(const ctlc_decl *d)
{
    return ctlc_decl_kind_str(d->kind);
}

/* "a struct", "an enum", ... */
static const char *a_decl(const ctlc_decl *d)
{
    return d->kind == CTLC_D_ENUM || d->kind == CTLC_D_IMPORT ? d->kind == CTLC_D_ENUM ? "an enum" : "an import"
                                                              : d->kind == CTLC_D_STRUCT   ? "a struct"
                                                              : d->kind == CTLC_D_CLIENT   ? "a client"
                                                              : d->kind == CTLC_D_PACKAGE  ? "a package"
                                                                                           : "a controller";
}

/* A wire name for a message: control characters escaped. */
const char *ctlc_check_quoted(ctlc_checker *c, const char *s, size_t n)
{
    char *out = ctlc_alloc(c->a, n * 6 + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch == 0x7f)
            k += (size_t)sprintf(out + k, "\\u%04x", ch);
        else
            out[k++] = (char)ch;
    }
    out[k] = '\0';
    return out;
}

/* Unknown names are not reported in a spec whose syntax errors or failed
 * imports may have taken the definition away: that would be a cascade. */
static bool names_complete(const ctlc_checker *c)
{
    return c->names_complete;
}

/* The candidate closest to a name that names nothing (suggest.h), or NULL.
 * Candidates: the given words, then the global declarations that accept()
 * takes. *hint is set to the declaration suggested, if one was, for a note. */
const char *ctlc_check_closest(ctlc_checker *c, ctlc_name name, const char *const *words, size_t nwords,
                               bool (*accept)(const ctlc_decl *), const ctlc_decl **hint)
{
    ctlc_suggest s;
    ctlc_suggest_init(&s, name.z, name.n);
    for (size_t i = 0; i < nwords; i++)
        ctlc_suggest_addz(&s, words[i]);
    const char *from_words = s.best;
    if (accept)
        for (size_t i = 0; i < c->names.cap; i++) {
            const ctlc_decl *d = c->names.slots[i].value;
            if (d && accept(d))
                ctlc_suggest_add(&s, d->name.z, d->name.n);
        }
    if (!s.best)
        return NULL;
    if (hint && s.best != from_words) {
        for (size_t i = 0; i < c->names.cap; i++) {
            const ctlc_decl *d = c->names.slots[i].value;
            if (d && d->name.z == s.best)
                *hint = d;
        }
    }
    return ctlc_strndup(c->a, s.best, s.best_n);
}

/* "; did you mean 'x'?" for a suggestion, or "". */
const char *ctlc_check_did_you_mean(ctlc_checker *c, const char *best)
{
    return best ? ctlc_printf(c->a, "; did you mean '%s'?", best) : "";
}

void ctlc_check_fix_name(ctlc_checker *c, ctlc_name name, const char *best)
{
    if (best)
        ctlc_fix(c->d, name.loc, name.n, best, ctlc_printf(c->a, "Change '%.*s' to '%s'", NAME(name), best));
}

/* A did-you-mean note at the declaration that was suggested. */
static void note_suggested(ctlc_checker *c, const ctlc_decl *hint)
{
    if (hint)
        ctlc_note(c->d, hint->name.loc, "%s '%.*s' is defined here", ctlc_decl_kind_str(hint->kind),
                  NAME(hint->name));
}

static bool is_type_decl(const ctlc_decl *d)
{
    return d->kind == CTLC_D_ENUM || d->kind == CTLC_D_STRUCT;
}

static bool is_controller_decl(const ctlc_decl *d)
{
    return d->kind == CTLC_D_CONTROLLER;
}

static const char *const type_words[] = { "string", "int", "float", "bool", "json", "list", "map" };

/* ---- closure and global names -------------------------------------------------- */

typedef struct spec_list {
    ctlc_spec **items;
    size_t n, cap;
} spec_list;

static void closure_add(ctlc_checker *c, spec_list *out, ctlc_spec *s, size_t nspecs)
{
    /* Iterative post-order walk: imports before the importer. */
    typedef struct { ctlc_spec *spec; ctlc_decl *next; } frame;
    frame *stack = malloc((nspecs + 1) * sizeof *stack);
    if (!stack)
        ctlc_out_of_memory();
    ctlc_oom_hold_ptr(&stack);
    size_t depth = 0;
    s->visit = (int)c->generation;
    stack[depth++] = (frame){ s, s->decls };
    while (depth) {
        frame *f = &stack[depth - 1];
        ctlc_decl *d = f->next;
        while (d && !(d->kind == CTLC_D_IMPORT && d->imported && d->imported->visit != (int)c->generation))
            d = d->next;
        if (d) {
            f->next = d->next;
            d->imported->visit = (int)c->generation;
            stack[depth++] = (frame){ d->imported, d->imported->decls };
            continue;
        }
        out->items[out->n++] = f->spec;
        depth--;
    }
    ctlc_oom_drop(&stack);
    free(stack);
}

static bool is_global(const ctlc_decl *d)
{
    return d->kind == CTLC_D_ENUM || d->kind == CTLC_D_STRUCT || d->kind == CTLC_D_CLIENT ||
           d->kind == CTLC_D_CONTROLLER;
}

/* Fills c->names with every global declaration visible in c->spec. */
static void collect_names(ctlc_checker *c, size_t nspecs, bool *reported)
{
    spec_list list = { 0 };
    list.items = malloc((nspecs + 1) * sizeof *list.items);
    if (!list.items)
        ctlc_out_of_memory();
    ctlc_oom_hold_ptr(&list.items);
    c->generation++;
    closure_add(c, &list, c->spec, nspecs);
    size_t count = 0;
    c->names_complete = true;
    for (size_t i = 0; i < list.n; i++) {
        if (list.items[i]->syntax_errors || list.items[i]->import_failed)
            c->names_complete = false;
        for (ctlc_decl *d = list.items[i]->decls; d; d = d->next)
            count += is_global(d);
    }
    ctlc_strmap_init(&c->names, c->a, count);
    for (size_t i = 0; i < list.n; i++)
        for (ctlc_decl *d = list.items[i]->decls; d; d = d->next) {
            if (!is_global(d))
                continue;
            ctlc_decl *prev = ctlc_strmap_put(&c->names, d->name.z, d->name.n, d);
            if (prev && prev != d && !reported[d->mark]) {
                reported[d->mark] = true;
                ctlc_error(c->d, d->name.loc, "%s '%.*s' is already defined", what_decl(d), NAME(d->name));
                ctlc_note(c->d, prev->name.loc, "previous definition of %s '%.*s' is here", what_decl(prev),
                          NAME(prev->name));
            }
        }
    c->closure = ctlc_alloc(c->a, (list.n + 1) * sizeof *c->closure);
    memcpy(c->closure, list.items, list.n * sizeof *c->closure);
    c->nclosure = list.n;
    ctlc_oom_drop(&list.items);
    free(list.items);
}

/* ---- types and defaults -------------------------------------------------------------- */

static void warn_deprecated(ctlc_checker *c, ctlc_loc at, const char *what, ctlc_name name,
                            const ctlc_traits *tr)
{
    if (tr->deprecated_why)
        ctlc_warning(c->d, at, "%s '%.*s' is deprecated: %s", what, NAME(name),
                     ctlc_check_quoted(c, tr->deprecated_why, strlen(tr->deprecated_why)));
    else
        ctlc_warning(c->d, at, "%s '%.*s' is deprecated", what, NAME(name));
    ctlc_tag_deprecated(c->d);
}

/* Resolves the names in a type; false when one is unknown. */
static bool resolve_type(ctlc_checker *c, ctlc_type *t, bool quiet_deprecation)
{
    while (t->kind == CTLC_T_LIST || t->kind == CTLC_T_MAP)
        t = t->elem;
    if (t->kind != CTLC_T_NAMED)
        return true;
    ctlc_decl *d = ctlc_strmap_get(&c->names, t->name.z, t->name.n);
    if (!d) {
        if (names_complete(c)) {
            const ctlc_decl *hint = NULL;
            const char *best = ctlc_check_closest(c, t->name, type_words, 5, is_type_decl, &hint);
            ctlc_error(c->d, t->loc, "unknown type '%.*s'%s", NAME(t->name), ctlc_check_did_you_mean(c, best));
            ctlc_check_fix_name(c, t->name, best);
            note_suggested(c, hint);
        }
        return false;
    }
    if (d->kind != CTLC_D_ENUM && d->kind != CTLC_D_STRUCT) {
        ctlc_error(c->d, t->loc, "'%.*s' is %s, not a type", NAME(t->name), a_decl(d));
        ctlc_note(c->d, d->name.loc, "'%.*s' is defined here", NAME(d->name));
        return false;
    }
    t->decl = d;
    if (d->traits.deprecated && !quiet_deprecation)
        warn_deprecated(c, t->loc, what_decl(d), d->name, &d->traits);
    return true;
}

/* Counts the code points of UTF-8 text. */
static size_t code_points(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += ((unsigned char)s[i] & 0xc0) != 0x80;
    return count;
}

static void check_default(ctlc_checker *c, ctlc_field *f)
{
    const ctlc_literal *v = f->dflt;
    const ctlc_type *t = f->type;
    if (f->optional) {
        ctlc_error(c->d, v->loc, "optional field '%.*s' cannot have a default; it is absent when not given",
                   NAME(f->name));
        return;
    }
    if (t->kind == CTLC_T_LIST || t->kind == CTLC_T_MAP || t->kind == CTLC_T_JSON ||
        (t->kind == CTLC_T_NAMED && t->decl && t->decl->kind == CTLC_D_STRUCT)) {
        ctlc_error(c->d, v->loc, "field '%.*s' of type %s cannot have a default", NAME(f->name),
                   ctlc_type_str(c->a, t));
        return;
    }
    if (v->bad || (t->kind == CTLC_T_NAMED && !t->decl))
        return;
    bool fits;
    switch (t->kind) {
    case CTLC_T_STRING: fits = v->kind == CTLC_LIT_STRING; break;
    case CTLC_T_INT: fits = v->kind == CTLC_LIT_INT; break;
    case CTLC_T_FLOAT: fits = v->kind == CTLC_LIT_INT || v->kind == CTLC_LIT_FLOAT; break;
    case CTLC_T_BOOL: fits = v->kind == CTLC_LIT_BOOL; break;
    default: fits = v->kind == CTLC_LIT_IDENT || v->kind == CTLC_LIT_BOOL; break;
    }
    if (!fits) {
        ctlc_error(c->d, v->loc, "default %.*s does not fit type %s", v->n > 40 ? 40 : (int)v->n, v->z,
                   ctlc_type_str(c->a, t));
        return;
    }
    if (t->kind == CTLC_T_NAMED) {
        const ctlc_decl *e = t->decl;
        for (const ctlc_member *m = e->members; m; m = m->next)
            if (m->name.n == v->n && memcmp(m->name.z, v->z, v->n) == 0) {
                if (m->traits.deprecated && !c->in_deprecated && !f->traits.deprecated)
                    warn_deprecated(c, v->loc, "enum member", m->name, &m->traits);
                return;
            }
        ctlc_suggest sg;
        ctlc_suggest_init(&sg, v->z, v->n);
        for (const ctlc_member *m = e->members; m; m = m->next)
            ctlc_suggest_add(&sg, m->name.z, m->name.n);
        const char *best = sg.best ? ctlc_strndup(c->a, sg.best, sg.best_n) : NULL;
        ctlc_error(c->d, v->loc, "'%.*s' is not a member of enum '%.*s'%s", (int)v->n, v->z, NAME(e->name),
                   ctlc_check_did_you_mean(c, best));
        ctlc_check_fix_name(c, (ctlc_name){ v->z, v->n, v->loc }, best);
        ctlc_note(c->d, e->name.loc, "enum '%.*s' is defined here", NAME(e->name));
        return;
    }
    const ctlc_traits *tr = &f->traits;
    if (t->kind == CTLC_T_STRING && tr->has_length) {
        int64_t len = (int64_t)code_points(v->s, v->slen);
        if ((tr->length.has_min && len < tr->length.min.i) || (tr->length.has_max && len > tr->length.max.i))
            ctlc_error(c->d, v->loc, "default is %lld code points long, outside its @length", (long long)len);
    }
    if ((t->kind == CTLC_T_INT || t->kind == CTLC_T_FLOAT) && tr->has_range) {
        const ctlc_bounds *b = &tr->range;
        bool below, above;
        if (t->kind == CTLC_T_INT) {
            below = b->has_min && v->i < b->min.i;
            above = b->has_max && v->i > b->max.i;
        } else {
            below = b->has_min && v->f < b->min.f;
            above = b->has_max && v->f > b->max.f;
        }
        if (below || above)
            ctlc_error(c->d, v->loc, "default %.*s is outside its @range", (int)v->n, v->z);
    }
}

/* ---- fields, members, uses ----------------------------------------------------------- */

/* Fields become members of one C struct (names.c spells them), optional
 * ones that are not pointers with a `has_NAME` flag beside them; none of
 * these names may meet twice. Run once the fields' types are resolved. */
static void check_c_members(ctlc_checker *c, ctlc_fields *fields)
{
    ctlc_strmap members;
    ctlc_strmap_init(&members, c->a, fields->count * 2);
    for (ctlc_field *f = fields->first; f; f = f->next) {
        if (f->type->kind == CTLC_T_NAMED && !f->type->decl)
            continue; /* unresolved: reported already */
        for (int flag = 0; flag < 2; flag++) {
            const char *m = flag ? ctlc_cname_field_flag(c->a, f) : ctlc_cname_field(c->a, f);
            if (!m)
                continue;
            ctlc_field *prev = ctlc_strmap_put(&members, m, strlen(m), f);
            if (prev && prev != f && !(prev->name.n == f->name.n && memcmp(prev->name.z, f->name.z, f->name.n) == 0)) {
                ctlc_error(c->d, f->name.loc, "field '%.*s' needs the C member name '%s', which field '%.*s' uses already",
                           NAME(f->name), m, NAME(prev->name));
                ctlc_note(c->d, prev->name.loc, "field '%.*s' is here%s", NAME(prev->name),
                          ctlc_cname_field_flag(c->a, prev) ? " (an optional field of its type has a 'has_' flag)" : "");
            }
        }
    }
    /* C++ (the headers are C++ too) rejects a member named like a type
     * that a member of the same struct uses: `S S;`, `int64_t int64_t;`.
     * One error per field. */
    ctlc_strmap reported;
    ctlc_strmap_init(&reported, c->a, fields->count);
    for (ctlc_field *g = fields->first; g; g = g->next) {
        if (g->type->kind == CTLC_T_NAMED && !g->type->decl)
            continue;
        const char *ty = ctlc_cname_field_type_name(c->a, c->spec, g);
        ctlc_field *f = ty ? ctlc_strmap_get(&members, ty, strlen(ty)) : NULL;
        if (!f || ctlc_strmap_put(&reported, f->name.z, f->name.n, f))
            continue;
        if (f == g) {
            ctlc_error(c->d, f->name.loc, "field '%.*s' needs the C member name '%s', which is also the name of "
                       "its C type; C++ does not allow that in one struct, so rename the field",
                       NAME(f->name), ty);
        } else {
            ctlc_error(c->d, f->name.loc, "field '%.*s' needs the C member name '%s', which is also the name of "
                       "the C type of field '%.*s'; C++ does not allow that in one struct, so rename the field",
                       NAME(f->name), ty, NAME(g->name));
            ctlc_note(c->d, g->name.loc, "field '%.*s' is here", NAME(g->name));
        }
    }
}

static void check_fields(ctlc_checker *c, ctlc_fields *fields, object_kind in)
{
    ctlc_strmap names, wires;
    ctlc_strmap_init(&names, c->a, fields->count);
    ctlc_strmap_init(&wires, c->a, fields->count);
    for (ctlc_field *f = fields->first; f; f = f->next) {
        ctlc_check_annots(c, f->annots, CTLC_ON_FIELD, NULL, f->type, &f->traits);
        f->wire = f->traits.json ? f->traits.json : ctlc_strndup(c->a, f->name.z, f->name.n);
        f->wire_len = f->traits.json ? f->traits.json_len : f->name.n;

        ctlc_field *prev = ctlc_strmap_put(&names, f->name.z, f->name.n, f);
        if (prev) {
            ctlc_error(c->d, f->name.loc, "field '%.*s' is already defined", NAME(f->name));
            ctlc_note(c->d, prev->name.loc, "previous definition of '%.*s' is here", NAME(prev->name));
        } else {
            prev = ctlc_strmap_put(&wires, f->wire, f->wire_len, f);
            if (prev) {
                ctlc_error(c->d, f->name.loc, "field '%.*s' has the wire name '%s', already used by field '%.*s'",
                           NAME(f->name), ctlc_check_quoted(c, f->wire, f->wire_len), NAME(prev->name));
                ctlc_note(c->d, prev->name.loc, "field '%.*s' is here", NAME(prev->name));
            }
        }
        if (in == IN_PAYLOAD && f->wire_len == 8 && memcmp(f->wire, "function", 8) == 0)
            ctlc_error(c->d, f->name.loc,
                       "a payload field cannot be called 'function' on the wire; that is the dispatch key");

        bool resolved = resolve_type(c, f->type, c->in_deprecated || f->traits.deprecated);
        if (f->dflt && resolved)
            check_default(c, f);
    }
    check_c_members(c, fields);
}

static void check_members(ctlc_checker *c, ctlc_decl *e)
{
    ctlc_strmap names, wires;
    ctlc_strmap_init(&names, c->a, e->nmembers);
    ctlc_strmap_init(&wires, c->a, e->nmembers);
    for (ctlc_member *m = e->members; m; m = m->next) {
        ctlc_check_annots(c, m->annots, CTLC_ON_MEMBER, NULL, NULL, &m->traits);
        m->wire = m->traits.json ? m->traits.json : ctlc_strndup(c->a, m->name.z, m->name.n);
        m->wire_len = m->traits.json ? m->traits.json_len : m->name.n;
        ctlc_member *prev = ctlc_strmap_put(&names, m->name.z, m->name.n, m);
        if (prev) {
            ctlc_error(c->d, m->name.loc, "member '%.*s' is already defined in enum '%.*s'", NAME(m->name),
                       NAME(e->name));
            ctlc_note(c->d, prev->name.loc, "previous definition of '%.*s' is here", NAME(prev->name));
            continue;
        }
        prev = ctlc_strmap_put(&wires, m->wire, m->wire_len, m);
        if (prev) {
            ctlc_error(c->d, m->name.loc, "member '%.*s' has the wire name '%s', already used by member '%.*s'",
                       NAME(m->name), ctlc_check_quoted(c, m->wire, m->wire_len), NAME(prev->name));
            ctlc_note(c->d, prev->name.loc, "member '%.*s' is here", NAME(prev->name));
        }
    }
}

static ctlc_func *find_func(ctlc_decl *ctrl, ctlc_name name)
{
    for (ctlc_func *f = ctrl->funcs; f; f = f->next)
        if (f->name.n == name.n && memcmp(f->name.z, name.z, name.n) == 0)
            return f;
    return NULL;
}

static void check_uses(ctlc_checker *c, ctlc_decl *user)
{
    size_t n = 0;
    for (ctlc_target *t = user->uses; t; t = t->next)
        n++;
    ctlc_strmap seen;
    ctlc_strmap_init(&seen, c->a, n);
    for (ctlc_target *t = user->uses; t; t = t->next) {
        ctlc_decl *d = ctlc_strmap_get(&c->names, t->controller.z, t->controller.n);
        if (!d) {
            if (names_complete(c)) {
                const ctlc_decl *hint = NULL;
                const char *best = ctlc_check_closest(c, t->controller, NULL, 0, is_controller_decl, &hint);
                ctlc_error(c->d, t->controller.loc, "unknown controller '%.*s'%s", NAME(t->controller),
                           ctlc_check_did_you_mean(c, best));
                ctlc_check_fix_name(c, t->controller, best);
                note_suggested(c, hint);
            }
            continue;
        }
        if (d->kind != CTLC_D_CONTROLLER) {
            ctlc_error(c->d, t->controller.loc, "'%.*s' is %s, not a controller", NAME(t->controller),
                       a_decl(d));
            ctlc_note(c->d, d->name.loc, "'%.*s' is defined here", NAME(d->name));
            continue;
        }
        t->decl = d;
        if (d->traits.deprecated && !c->in_deprecated)
            warn_deprecated(c, t->controller.loc, "controller", d->name, &d->traits);
        if (t->function.n) {
            t->func = find_func(d, t->function);
            if (!t->func) {
                ctlc_suggest sg;
                ctlc_suggest_init(&sg, t->function.z, t->function.n);
                for (const ctlc_func *f = d->funcs; f; f = f->next)
                    ctlc_suggest_add(&sg, f->name.z, f->name.n);
                const char *best = sg.best ? ctlc_strndup(c->a, sg.best, sg.best_n) : NULL;
                ctlc_error(c->d, t->function.loc, "controller '%.*s' has no function '%.*s'%s", NAME(d->name),
                           NAME(t->function), ctlc_check_did_you_mean(c, best));
                ctlc_check_fix_name(c, t->function, best);
                ctlc_note(c->d, d->name.loc, "controller '%.*s' is defined here", NAME(d->name));
                continue;
            }
            if (t->func->traits.deprecated && !c->in_deprecated)
                warn_deprecated(c, t->function.loc, "function", t->func->name, &t->func->traits);
        }
        /* The key of a target is its text without spaces: "C" or "C.f". */
        const char *key = t->function.n ? ctlc_printf(c->a, "%.*s.%.*s", NAME(t->controller), NAME(t->function))
                                        : ctlc_printf(c->a, "%.*s", NAME(t->controller));
        ctlc_target *prev = ctlc_strmap_put(&seen, key, strlen(key), t);
        if (prev)
            ctlc_warning(c->d, t->controller.loc, "'%s' is listed twice in 'uses'", key);
    }
}

static void check_function(ctlc_checker *c, ctlc_func *f)
{
    bool outer = c->in_deprecated;
    c->in_deprecated = outer || f->traits.deprecated;
    check_fields(c, &f->params, IN_PAYLOAD);
    if (f->arrow.line && f->is_async) {
        ctlc_error(c->d, f->arrow, "async fn '%.*s' cannot return a result; make it a plain fn or drop the '->'",
                   NAME(f->name));
        c->in_deprecated = outer;
        return;
    }
    if (f->has_result_fields) {
        check_fields(c, &f->result, IN_RESULT);
    } else if (f->result_name.n) {
        ctlc_decl *d = ctlc_strmap_get(&c->names, f->result_name.z, f->result_name.n);
        if (!d) {
            if (names_complete(c)) {
                const ctlc_decl *hint = NULL;
                const char *best = ctlc_check_closest(c, f->result_name, NULL, 0, is_type_decl, &hint);
                ctlc_error(c->d, f->result_name.loc, "unknown type '%.*s'%s", NAME(f->result_name),
                           ctlc_check_did_you_mean(c, best));
                ctlc_check_fix_name(c, f->result_name, best);
                note_suggested(c, hint);
            }
        } else if (d->kind != CTLC_D_STRUCT) {
            ctlc_error(c->d, f->result_name.loc, "the result of '%.*s' must be a struct; '%.*s' is %s",
                       NAME(f->name), NAME(d->name), a_decl(d));
            ctlc_note(c->d, d->name.loc, "'%.*s' is defined here", NAME(d->name));
        } else {
            f->result_decl = d;
            if (d->traits.deprecated && !c->in_deprecated)
                warn_deprecated(c, f->result_name.loc, "struct", d->name, &d->traits);
        }
    }
    c->in_deprecated = outer;
}

/* A function's @records: it receives the invocation records of the
 * controllers whose destination its controller is, so it takes the record
 * (ctl_record) instead of a payload of its own, and is async (records
 * arrive as Event invocations) without a result. */
static void check_records(ctlc_checker *c, const ctlc_func *f)
{
    if (!f->is_async)
        ctlc_error(c->d, f->traits.records->loc,
                   "a @records function must be async: records arrive as Event invocations");
    else if (f->params.first)
        ctlc_error(c->d, f->params.first->name.loc,
                   "a @records function declares no fields: it takes the invocation record (ctl_record)");
}

/* Phase two of a controller's destinations: a controller one is resolved,
 * and must be another controller, with a @records function. */
static void check_destinations(ctlc_checker *c, ctlc_decl *ctrl)
{
    ctlc_dest *dests[2] = { &ctrl->traits.on_failure, &ctrl->traits.on_success };
    for (int i = 0; i < 2; i++) {
        ctlc_dest *ds = dests[i];
        if (ds->kind != CTLC_DEST_CONTROLLER)
            continue;
        ctlc_name name = { ds->name, (uint32_t)ds->len, ds->loc };
        const char *which = i == 0 ? "@on_failure" : "@on_success";
        ctlc_decl *d = ctlc_strmap_get(&c->names, name.z, name.n);
        if (!d) {
            if (names_complete(c)) {
                const ctlc_decl *hint = NULL;
                const char *best = ctlc_check_closest(c, name, NULL, 0, is_controller_decl, &hint);
                ctlc_error(c->d, name.loc, "unknown controller '%.*s' in %s%s", NAME(name), which,
                           ctlc_check_did_you_mean(c, best));
                ctlc_check_fix_name(c, name, best);
                note_suggested(c, hint);
            }
            continue;
        }
        if (d->kind != CTLC_D_CONTROLLER) {
            ctlc_error(c->d, name.loc, "'%.*s' is %s, not a controller: a destination is a controller or "
                       "kind: \"name\"", NAME(name), a_decl(d));
            ctlc_note(c->d, d->name.loc, "'%.*s' is defined here", NAME(d->name));
            continue;
        }
        if (d == ctrl) {
            ctlc_error(c->d, name.loc, "controller '%.*s' cannot be its own %s destination (a record of a record "
                       "would follow each one)", NAME(name), i == 0 ? "on-failure" : "on-success");
            continue;
        }
        if (!ctlc_records_function(d)) {
            ctlc_error(c->d, name.loc, "controller '%.*s' receives the records of %s but has no @records function",
                       NAME(name), which);
            ctlc_note(c->d, d->name.loc, "controller '%.*s' is defined here", NAME(d->name));
            continue;
        }
        ds->decl = d;
        if (d->traits.deprecated && !c->in_deprecated)
            warn_deprecated(c, name.loc, "controller", d->name, &d->traits);
    }
}

static void check_controller(ctlc_checker *c, ctlc_decl *ctrl)
{
    const ctlc_func *records = NULL;
    ctlc_strmap names;
    ctlc_strmap_init(&names, c->a, ctrl->nfuncs);
    for (ctlc_func *f = ctrl->funcs; f; f = f->next) {
        ctlc_func *prev = ctlc_strmap_put(&names, f->name.z, f->name.n, f);
        if (prev) {
            ctlc_error(c->d, f->name.loc, "function '%.*s' is already defined in controller '%.*s'",
                       NAME(f->name), NAME(ctrl->name));
            ctlc_note(c->d, prev->name.loc, "previous definition of '%.*s' is here", NAME(prev->name));
        }
        check_function(c, f);
        if (f->traits.records) {
            check_records(c, f);
            if (records) {
                ctlc_error(c->d, f->traits.records->loc,
                           "controller '%.*s' has a @records function already: records go to one function",
                           NAME(ctrl->name));
                ctlc_note(c->d, records->name.loc, "'%.*s' is its @records function", NAME(records->name));
            } else {
                records = f;
            }
        }
    }
    check_uses(c, ctrl);
    check_destinations(c, ctrl);
}

/* ---- one spec ------------------------------------------------------------------------ */

static void check_order(ctlc_checker *c)
{
    const ctlc_decl *package = NULL, *first_decl = NULL, *first_item = NULL;
    for (ctlc_decl *d = c->spec->decls; d; d = d->next) {
        if (d->kind == CTLC_D_PACKAGE) {
            if (package) {
                ctlc_error(c->d, d->loc, "a spec has one package declaration");
                ctlc_note(c->d, package->loc, "the package is declared here");
            } else if (first_item) {
                ctlc_error(c->d, d->loc, "the package declaration must come first, before imports and declarations");
            }
            if (!package) {
                package = d;
                c->spec->package = d;
                c->spec->doc = d->doc;
            }
        } else if (d->kind == CTLC_D_IMPORT) {
            if (first_decl)
                ctlc_error(c->d, d->loc, "imports must come before declarations");
            for (const ctlc_decl *e = c->spec->decls; d->imported && e != d; e = e->next)
                if (e->kind == CTLC_D_IMPORT && e->imported == d->imported) {
                    ctlc_warning(c->d, d->path.loc, "'%s' is imported twice", d->imported->src->path);
                    ctlc_note(c->d, e->path.loc, "first imported here");
                    break;
                }
        } else if (!first_decl) {
            first_decl = d;
        }
        if (!first_item)
            first_item = d;
    }
}

/* Phase one: what declarations say about themselves (order, names, their
 * annotations), for every spec, so that phase two can rely on the traits of
 * imported declarations (a deprecated type, say). */
static void check_decls(ctlc_checker *c)
{
    check_order(c);
    for (ctlc_decl *d = c->spec->decls; d; d = d->next) {
        switch (d->kind) {
        case CTLC_D_PACKAGE:
            ctlc_check_annots(c, d->annots, CTLC_ON_PACKAGE, d, NULL, &d->traits);
            break;
        case CTLC_D_IMPORT:
            ctlc_check_annots(c, d->annots, CTLC_ON_IMPORT, d, NULL, &d->traits);
            break;
        default:
            ctlc_check_annots(c, d->annots, CTLC_ON_DECL, d, NULL, &d->traits);
            break;
        }
        if (d->kind != CTLC_D_IMPORT && ctlc_is_keyword(d->name.z, d->name.n))
            ctlc_error(c->d, d->name.loc, "'%.*s' is a keyword and cannot name %s", NAME(d->name),
                       d->kind == CTLC_D_PACKAGE ? "a package" : ctlc_check_target_str(CTLC_ON_DECL, d));
        for (ctlc_func *f = d->funcs; f; f = f->next)
            ctlc_check_annots(c, f->annots, CTLC_ON_FUNCTION, NULL, NULL, &f->traits);
    }
}

/* Phase two: everything that refers to other declarations. */
static void check_spec(ctlc_checker *c)
{
    const ctlc_decl *own = c->spec->package;
    for (ctlc_decl *d = c->spec->decls; d; d = d->next) {
        const ctlc_decl *pkg = d->kind == CTLC_D_IMPORT && d->imported ? d->imported->package : NULL;
        if (pkg && pkg->traits.deprecated && !(own && own->traits.deprecated))
            warn_deprecated(c, d->path.loc, "package", pkg->name, &pkg->traits);
    }
    for (ctlc_decl *d = c->spec->decls; d; d = d->next) {
        c->in_deprecated = d->traits.deprecated != NULL;
        switch (d->kind) {
        case CTLC_D_ENUM: check_members(c, d); break;
        case CTLC_D_STRUCT: check_fields(c, &d->fields, IN_STRUCT); break;
        case CTLC_D_CLIENT: check_uses(c, d); break;
        case CTLC_D_CONTROLLER: check_controller(c, d); break;
        default: break;
        }
    }
    ctlc_check_c_names(c);
}

/* ---- structs that contain themselves ---------------------------------------------------- */

/* A required field of struct type is stored inline, so a cycle of them would
 * be infinitely large: no value could be written. Optional fields break a
 * cycle, and so do lists and maps, unless their @length demands at least
 * one element (`@length(min: 1) kids: list<Tree>` needs a Tree in every
 * Tree just the same). */
static ctlc_decl *inline_struct(const ctlc_field *f)
{
    if (f->optional)
        return NULL;
    const ctlc_type *t = f->type;
    if ((t->kind == CTLC_T_LIST || t->kind == CTLC_T_MAP) && f->traits.has_length &&
        f->traits.length.has_min && f->traits.length.min.i >= 1)
        t = t->elem;
    if (t->kind != CTLC_T_NAMED || !t->decl)
        return NULL;
    return t->decl->kind == CTLC_D_STRUCT ? t->decl : NULL;
}

static void check_cycles(ctlc_checker *c, ctlc_decl **structs, size_t n)
{
    /* Iterative depth-first search; mark 0 unseen, 1 on the stack, 2 done. */
    typedef struct { ctlc_decl *s; ctlc_field *next, *via; } frame;
    frame *stack = malloc((n + 1) * sizeof *stack);
    if (!stack)
        ctlc_out_of_memory();
    ctlc_oom_hold_ptr(&stack);
    for (size_t i = 0; i < n; i++)
        structs[i]->mark = 0;
    for (size_t i = 0; i < n; i++) {
        if (structs[i]->mark)
            continue;
        size_t depth = 0;
        structs[i]->mark = 1;
        stack[depth++] = (frame){ structs[i], structs[i]->fields.first, NULL };
        while (depth) {
            frame *fr = &stack[depth - 1];
            ctlc_field *f = fr->next;
            while (f && !inline_struct(f))
                f = f->next;
            if (!f) {
                fr->s->mark = 2;
                depth--;
                continue;
            }
            fr->next = f->next;
            ctlc_decl *to = inline_struct(f);
            if (to->mark == 0) {
                to->mark = 1;
                stack[depth++] = (frame){ to, to->fields.first, f };
                continue;
            }
            if (to->mark != 1)
                continue;
            /* A cycle: from `to`, down the stack, and back through f. */
            size_t from = 0;
            while (stack[from].s != to)
                from++;
            size_t len = to->name.n + 1;
            for (size_t k = from; k < depth; k++) {
                const ctlc_field *via = k + 1 < depth ? stack[k + 1].via : f;
                len += stack[k].s->name.n + via->name.n + 5;
            }
            char *path = ctlc_alloc(c->a, len);
            size_t at = 0;
            for (size_t k = from; k < depth; k++) {
                const ctlc_field *via = k + 1 < depth ? stack[k + 1].via : f;
                at += (size_t)snprintf(path + at, len - at, "%.*s.%.*s -> ", NAME(stack[k].s->name),
                                       NAME(via->name));
            }
            snprintf(path + at, len - at, "%.*s", NAME(to->name));
            ctlc_error(c->d, to->name.loc,
                       "struct '%.*s' contains itself (%s); make a field on the way optional, or a list "
                       "or map that may be empty",
                       NAME(to->name), path);
        }
    }
    ctlc_oom_drop(&stack);
    free(stack);
}

/* ---- the run --------------------------------------------------------------------------- */

static ctlc_status check(ctlc_run *run)
{
    size_t nspecs = 0, ndecls = 0;
    for (ctlc_spec *s = run->specs; s; s = s->next) {
        nspecs++;
        for (ctlc_decl *d = s->decls; d; d = d->next)
            d->mark = (int)ndecls++;
    }

    ctlc_checker c = { run, &run->diags, run->arena, NULL, { 0 }, 0, false, false, NULL, 0 };
    bool *reported = calloc(ndecls + 1, sizeof *reported);
    ctlc_oom_hold_ptr(&reported);
    ctlc_decl **structs = malloc((ndecls + 1) * sizeof *structs);
    ctlc_oom_hold_ptr(&structs);
    if (!reported || !structs)
        ctlc_out_of_memory();
    for (ctlc_spec *s = run->specs; s; s = s->next)
        s->visit = 0;
    for (ctlc_spec *s = run->specs; s; s = s->next) {
        c.spec = s;
        check_decls(&c);
    }
    for (ctlc_spec *s = run->specs; s; s = s->next) {
        c.spec = s;
        collect_names(&c, nspecs, reported);
        check_spec(&c);
    }
    ctlc_oom_drop(&reported);
    free(reported);
    size_t n = 0;
    for (ctlc_spec *s = run->specs; s; s = s->next)
        for (ctlc_decl *d = s->decls; d; d = d->next)
            if (d->kind == CTLC_D_STRUCT)
                structs[n++] = d;
    check_cycles(&c, structs, n);
    for (ctlc_spec *s = run->specs; s; s = s->next)
        ctlc_check_resolve_idem_keys(&c, s);
    ctlc_oom_drop(&structs);
    free(structs);
    if (run->io_error)
        return CTLC_IO;
    return run->diags.errors || (run->diags.werror && run->diags.warnings) ? CTLC_ERRORS : CTLC_OK;
}

ctlc_status ctlc_check(ctlc_run *run)
{
    CTLC_GUARDED(run, check(run));
}
