/* lsp_find.c: every name of a spec and what it declares or refers to (the
 * walk), and from it what is at a place: one list of the places a name can
 * stand, for hover, definition, references, rename and workspace symbols
 * (ctlc lsp; see lsp.h). */
#include <string.h>

#include "check.h"
#include "lsp.h"

typedef struct walker {
    ctlc_lsp_visit_fn fn;
    void *user;
    bool stop;
} walker;

/* Visits h (its name at nm) unless the walk has stopped. */
static void visit(walker *w, ctlc_lsp_hit *h, ctlc_name nm)
{
    if (w->stop || nm.n == 0 || nm.loc.line == 0)
        return;
    h->found = true;
    h->at = nm;
    w->stop = w->fn(w->user, h);
}

static void walk_type(walker *w, const ctlc_type *t)
{
    for (; t; t = t->elem)
        if (t->kind == CTLC_T_NAMED && t->decl) {
            ctlc_lsp_hit h = { .decl = t->decl };
            visit(w, &h, t->name);
        }
}

/* An enum default names a member: `pay: Payment = card;`. */
static void walk_default(walker *w, const ctlc_field *fl)
{
    const ctlc_literal *v = fl->dflt;
    if (!v || v->kind != CTLC_LIT_IDENT || !fl->type || fl->type->kind != CTLC_T_NAMED || !fl->type->decl ||
        fl->type->decl->kind != CTLC_D_ENUM)
        return;
    for (const ctlc_member *m = fl->type->decl->members; m; m = m->next)
        if (m->name.n == v->n && memcmp(m->name.z, v->z, v->n) == 0) {
            ctlc_lsp_hit h = { .member = m, .owner = fl->type->decl };
            visit(w, &h, (ctlc_name){ v->z, v->n, v->loc });
            return;
        }
}

static void walk_fields(walker *w, const ctlc_decl *owner, const ctlc_fields *fs)
{
    for (const ctlc_field *fl = fs->first; fl; fl = fl->next) {
        ctlc_lsp_hit h = { .field = fl, .owner = owner, .declares = true };
        visit(w, &h, fl->name);
        walk_type(w, fl->type);
        walk_default(w, fl);
    }
}

static void walk_dest(walker *w, const ctlc_dest *dest)
{
    if (dest->kind == CTLC_DEST_CONTROLLER && dest->decl) {
        ctlc_lsp_hit h = { .decl = dest->decl };
        visit(w, &h, (ctlc_name){ dest->name, (uint32_t)dest->len, dest->loc });
    }
}

static const ctlc_field *field_named(const ctlc_fields *fs, const char *z, size_t n)
{
    for (const ctlc_field *fl = fs->first; fl; fl = fl->next)
        if (fl->name.n == n && memcmp(fl->name.z, z, n) == 0)
            return fl;
    return NULL;
}

/* An idempotency key names fields by their spec names, "a.b": each part
 * is a place that names a field (a key written with escapes is left out:
 * its parts are not where the text has them). */
static void walk_idem_keys(walker *w, const ctlc_decl *d, const ctlc_func *fn)
{
    for (size_t i = 0; i < fn->traits.idem_nkeys; i++) {
        const ctlc_literal *k = fn->traits.idem_keys[i];
        if (k->n < 2 || k->slen != k->n - 2 || memcmp(k->s, k->z + 1, k->slen) != 0)
            continue;
        const ctlc_fields *fs = &fn->params;
        const ctlc_decl *owner = d;
        size_t at = 0;
        while (fs && at <= k->slen) {
            const char *dot = memchr(k->s + at, '.', k->slen - at);
            size_t n = dot ? (size_t)(dot - (k->s + at)) : k->slen - at;
            const ctlc_field *fl = field_named(fs, k->s + at, n);
            if (!fl)
                break;
            ctlc_lsp_hit h = { .field = fl, .owner = owner };
            visit(w, &h, (ctlc_name){ k->z + 1 + at, (uint32_t)n, ctlc_check_key_segment_loc(k, at) });
            const ctlc_type *t = fl->type;
            bool deeper = dot && t && t->kind == CTLC_T_NAMED && t->decl && t->decl->kind == CTLC_D_STRUCT;
            fs = deeper ? &t->decl->fields : NULL;
            owner = deeper ? t->decl : NULL;
            at += n + 1;
        }
    }
}

void ctlc_lsp_walk(const ctlc_spec *spec, ctlc_lsp_visit_fn fn, void *user)
{
    walker w = { fn, user, false };
    for (const ctlc_decl *d = spec->decls; d && !w.stop; d = d->next) {
        if (d->kind == CTLC_D_IMPORT) {
            if (d->imported) {
                ctlc_lsp_hit h = { .imported = d->imported, .import_path = &d->path };
                visit(&w, &h, (ctlc_name){ d->path.z, d->path.n, d->path.loc });
            }
            continue;
        }
        ctlc_lsp_hit h = { .decl = d, .declares = true };
        visit(&w, &h, d->name);
        for (const ctlc_member *m = d->members; m; m = m->next) {
            ctlc_lsp_hit hm = { .member = m, .owner = d, .declares = true };
            visit(&w, &hm, m->name);
        }
        if (d->kind == CTLC_D_STRUCT)
            walk_fields(&w, d, &d->fields);
        for (const ctlc_target *t = d->uses; t; t = t->next) {
            if (!t->decl)
                continue;
            ctlc_lsp_hit hc = { .decl = t->decl };
            visit(&w, &hc, t->controller);
            if (t->func) {
                ctlc_lsp_hit hf = { .decl = t->decl, .func = t->func };
                visit(&w, &hf, t->function);
            }
        }
        walk_dest(&w, &d->traits.on_failure);
        walk_dest(&w, &d->traits.on_success);
        for (const ctlc_func *fn = d->funcs; fn; fn = fn->next) {
            ctlc_lsp_hit hf = { .decl = d, .func = fn, .declares = true };
            visit(&w, &hf, fn->name);
            walk_fields(&w, d, &fn->params);
            walk_fields(&w, d, &fn->result);
            walk_idem_keys(&w, d, fn);
            if (fn->result_decl) {
                ctlc_lsp_hit hr = { .decl = fn->result_decl };
                visit(&w, &hr, fn->result_name);
            }
        }
    }
}

typedef struct finder {
    const ctlc_source *src;
    size_t off;
    ctlc_lsp_hit *h;
} finder;

static bool covers(void *user, const ctlc_lsp_hit *h)
{
    finder *f = user;
    ctlc_loc loc = h->at.loc;
    if (loc.src != f->src)
        return false;
    size_t at = ctlc_loc_offset(loc.src, loc.line, loc.col);
    if (f->off < at || f->off > at + h->at.n)
        return false;
    *f->h = *h;
    return true;
}

void ctlc_lsp_find(const ctlc_spec *spec, size_t off, ctlc_lsp_hit *h)
{
    memset(h, 0, sizeof *h);
    finder f = { spec->src, off, h };
    ctlc_lsp_walk(spec, covers, &f);
}

bool ctlc_lsp_target(const ctlc_lsp_hit *h, ctlc_lsp_key *key)
{
    const ctlc_decl *home = h->owner ? h->owner : h->decl;
    ctlc_name nm = h->field ? h->field->name : h->member ? h->member->name : h->func ? h->func->name
                 : h->decl  ? h->decl->name  : (ctlc_name){ 0 };
    if (h->imported || !home || !home->spec || nm.n == 0 || !nm.loc.src)
        return false;
    key->canon = home->spec->canon;
    key->offset = ctlc_loc_offset(nm.loc.src, nm.loc.line, nm.loc.col);
    key->name = nm;
    return true;
}
