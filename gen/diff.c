/* diff.c: `ctlc diff`, what a change to a spec does to the wire.
 *
 * Both specs are loaded and checked with their imports; then controllers
 * and functions are matched by name, fields and enum members by their wire
 * name, and named types through the fields that use them (so a struct that
 * is only renamed is compared member by member, not reported as a new one).
 *
 * Every value has a writer and a reader. A payload is written by callers and
 * read by the controller; a result is written by the controller and read by
 * callers. The forward check asks whether what OLD writers produce (old
 * callers, and the async events they queued, which Lambda retries for up to
 * six hours) is still accepted and read the same by NEW readers, and whether
 * old callers still read the new controller's results; --both-ways also
 * asks the reverse, for new callers that reach controllers still on the old
 * spec during a rolling deploy or after a rollback. A change breaks a
 * direction when a value its writer may produce is rejected or read
 * differently by its reader. The rule table, with a reason for each rule,
 * is in specs/language.md ("Compatibility"). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctlc.h"
#include "emit_json.h"
#include "oom.h"

enum { FWD = 0, BWD = 1 };
typedef enum role { PAYLOAD, RESULT } role;

typedef struct finding {
    const char *kind;        /* a short id: "field-removed", "range-tighter", ... */
    const char *path;        /* C.f.field, Struct.field, Enum.member, ... */
    const char *msg;
    ctlc_loc loc;            /* in the new spec, or in the old one for a removal */
    bool at_old;
    bool breaks[2];          /* per direction */
} finding;

typedef struct visit {
    const void *o, *n;
    role r;
    int dir;
} visit;

typedef struct dctx {
    ctlc_arena *a;
    int dir;                 /* the direction being checked */
    finding *items;
    size_t n, cap;
    visit *visits;
    size_t nvisits, vcap;
} dctx;

/* Records a finding for the direction being checked. The same change met
 * again (in the other direction, or through another function that uses the
 * same struct) is one finding: it breaks a direction when any path to it
 * does. */
static void report(dctx *d, bool breaks, const char *kind, const char *path, ctlc_loc loc, bool at_old,
                   const char *fmt, ...) CTLC_PRINTF(7, 8);
static void report(dctx *d, bool breaks, const char *kind, const char *path, ctlc_loc loc, bool at_old,
                   const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *buf = ctlc_alloc(d->a, len > 0 ? (size_t)len + 1 : 1);
    va_start(ap, fmt);
    vsnprintf(buf, len > 0 ? (size_t)len + 1 : 1, fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < d->n; i++) {
        finding *f = &d->items[i];
        if (f->loc.src == loc.src && f->loc.line == loc.line && f->loc.col == loc.col &&
            strcmp(f->kind, kind) == 0 && strcmp(f->path, path) == 0 && strcmp(f->msg, buf) == 0) {
            f->breaks[d->dir] |= breaks;
            return;
        }
    }
    d->items = ctlc_grow(d->items, &d->cap, d->n + 1, sizeof *d->items);
    finding *f = &d->items[d->n++];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->path = path;
    f->msg = buf;
    f->loc = loc;
    f->at_old = at_old;
    f->breaks[d->dir] = breaks;
}

/* Does the old side write the value in this direction? Forward, old callers
 * write payloads and the new controller writes results; backward the other
 * way round. */
static bool old_writes(const dctx *d, role r)
{
    return (r == PAYLOAD) == (d->dir == FWD);
}

static bool first_visit(dctx *d, const void *o, const void *n, role r)
{
    for (size_t i = 0; i < d->nvisits; i++)
        if (d->visits[i].o == o && d->visits[i].n == n && d->visits[i].r == r && d->visits[i].dir == d->dir)
            return false;
    d->visits = ctlc_grow(d->visits, &d->vcap, d->nvisits + 1, sizeof *d->visits);
    d->visits[d->nvisits++] = (visit){ o, n, r, d->dir };
    return true;
}

static const char *sub(dctx *d, const char *path, const char *sep, ctlc_name name)
{
    return ctlc_printf(d->a, "%s%s%.*s", path, sep, (int)name.n, name.z);
}

static bool same_text(const char *a, size_t an, const char *b, size_t bn)
{
    return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

static bool same_name(ctlc_name a, ctlc_name b)
{
    return same_text(a.z, a.n, b.z, b.n);
}

static bool same_doc(const ctlc_doc *a, const ctlc_doc *b)
{
    if (!a || !b)
        return a == b;
    return same_text(a->text, a->len, b->text, b->len);
}

/* Docs and deprecation: never on the wire. */
static void compare_notes(dctx *d, const char *path, ctlc_loc loc, const ctlc_doc *od, const ctlc_doc *nd,
                          const ctlc_traits *ot, const ctlc_traits *nt)
{
    if (!same_doc(od, nd))
        report(d, false, "doc-changed", path, loc, false, "doc comment changed");
    if (!ot->deprecated && nt->deprecated)
        report(d, false, "deprecated", path, loc, false, "now deprecated");
    else if (ot->deprecated && !nt->deprecated)
        report(d, false, "undeprecated", path, loc, false, "no longer deprecated");
}

/* "a struct", "an enum", ... */
static const char *a_kind(ctlc_decl_kind k)
{
    switch (k) {
    case CTLC_D_ENUM: return "an enum";
    case CTLC_D_STRUCT: return "a struct";
    case CTLC_D_CLIENT: return "a client";
    case CTLC_D_CONTROLLER: return "a controller";
    case CTLC_D_IMPORT: return "an import";
    case CTLC_D_PACKAGE: break;
    }
    return "a package";
}

/* ---- types ----------------------------------------------------------------------- */

static void compare_struct(dctx *d, const ctlc_decl *o, const ctlc_decl *n, role r);
static void compare_enum(dctx *d, const ctlc_decl *o, const ctlc_decl *n, role r);

/* Compares the types of one field (path, at loc in the new spec). ot and nt
 * are the outermost types, for the message; o and n walk into lists and
 * maps. */
static void compare_type(dctx *d, const char *path, ctlc_loc loc, const ctlc_type *ot, const ctlc_type *nt,
                         const ctlc_type *o, const ctlc_type *n, role r)
{
    const char *os = ctlc_type_str(d->a, ot), *ns = ctlc_type_str(d->a, nt);
    if (o->kind == CTLC_T_INT && n->kind == CTLC_T_FLOAT) {
        /* Every int a writer sends is a number a float reader takes. */
        report(d, !old_writes(d, r), "int-to-float", path, loc, false, "type widened from %s to %s", os, ns);
        return;
    }
    if (o->kind == CTLC_T_FLOAT && n->kind == CTLC_T_INT) {
        report(d, old_writes(d, r), "float-to-int", path, loc, false, "type narrowed from %s to %s", os, ns);
        return;
    }
    if (o->kind != n->kind && (o->kind == CTLC_T_JSON || n->kind == CTLC_T_JSON)) {
        /* A json reader takes any value; a json writer may send any. */
        bool to_json = n->kind == CTLC_T_JSON;
        report(d, to_json ? !old_writes(d, r) : old_writes(d, r), to_json ? "to-json" : "from-json", path, loc,
               false, "type %s from %s to %s", to_json ? "widened" : "narrowed", os, ns);
        return;
    }
    bool same = o->kind == n->kind;
    if (same && o->kind == CTLC_T_NAMED)
        same = o->decl && n->decl && o->decl->kind == n->decl->kind;
    if (!same && o->kind == CTLC_T_NAMED && n->kind == CTLC_T_NAMED && o->decl && n->decl) {
        report(d, true, "type-changed", path, loc, false, "type changed from %s (%s) to %s (%s)", os,
               a_kind(o->decl->kind), ns, a_kind(n->decl->kind));
        return;
    }
    if (!same) {
        report(d, true, "type-changed", path, loc, false, "type changed from %s to %s", os, ns);
        return;
    }
    switch (o->kind) {
    case CTLC_T_LIST:
    case CTLC_T_MAP:
        compare_type(d, path, loc, ot, nt, o->elem, n->elem, r);
        return;
    case CTLC_T_NAMED:
        if (!same_name(o->name, n->name))
            report(d, false, "type-renamed", path, loc, false,
                   "type renamed from %.*s to %.*s; compared by content", (int)o->name.n, o->name.z,
                   (int)n->name.n, n->name.z);
        if (o->decl->kind == CTLC_D_ENUM)
            compare_enum(d, o->decl, n->decl, r);
        else
            compare_struct(d, o->decl, n->decl, r);
        return;
    default:
        return;
    }
}

/* ---- constraints ------------------------------------------------------------------- */

/* -1, 0 or 1 as bound a is below, at or above bound b; NULL is no bound,
 * infinite towards inf (-1 for a minimum, 1 for a maximum). Integers are
 * compared exactly: as doubles, 2^63 - 1 and 2^63 - 2 are one number. */
static int cmp_bound(const ctlc_literal *a, const ctlc_literal *b, int inf)
{
    if (!a || !b)
        return !a && !b ? 0 : !a ? inf : -inf;
    if (a->kind == CTLC_LIT_INT && b->kind == CTLC_LIT_INT)
        return (a->i > b->i) - (a->i < b->i);
    return (a->f > b->f) - (a->f < b->f);
}

static const char *bounds_str(dctx *d, bool has, const ctlc_bounds *b)
{
    if (!has || (!b->has_min && !b->has_max))
        return "none";
    if (b->has_min && b->has_max)
        return ctlc_printf(d->a, "(min: %.*s, max: %.*s)", (int)b->min.n, b->min.z, (int)b->max.n, b->max.z);
    if (b->has_min)
        return ctlc_printf(d->a, "(min: %.*s)", (int)b->min.n, b->min.z);
    return ctlc_printf(d->a, "(max: %.*s)", (int)b->max.n, b->max.z);
}

/* A reader whose bounds are narrower than its writer's rejects values the
 * writer may send. */
static void compare_bounds(dctx *d, const char *path, ctlc_loc loc, const char *what, bool length, bool ohas,
                           const ctlc_bounds *ob, bool nhas, const ctlc_bounds *nb, role r)
{
    static const ctlc_bounds none;
    static const ctlc_literal zero = { .kind = CTLC_LIT_INT }; /* a length's own minimum */
    const ctlc_bounds *o = ohas ? ob : &none, *n = nhas ? nb : &none;
    const ctlc_literal *olo = o->has_min ? &o->min : length ? &zero : NULL;
    const ctlc_literal *nlo = n->has_min ? &n->min : length ? &zero : NULL;
    int lo = cmp_bound(nlo, olo, -1);
    int hi = cmp_bound(n->has_max ? &n->max : NULL, o->has_max ? &o->max : NULL, 1);
    bool tighter = lo > 0 || hi < 0, looser = lo < 0 || hi > 0;
    if (!tighter && !looser)
        return;
    const char *os = bounds_str(d, ohas, o), *ns = bounds_str(d, nhas, n);
    if (tighter && looser)
        report(d, true, length ? "length-changed" : "range-changed", path, loc, false,
               "%s changed from %s to %s", what, os, ns);
    else if (tighter)
        report(d, old_writes(d, r), length ? "length-tighter" : "range-tighter", path, loc, false,
               "%s tightened from %s to %s", what, os, ns);
    else
        report(d, !old_writes(d, r), length ? "length-looser" : "range-looser", path, loc, false,
               "%s loosened from %s to %s", what, os, ns);
}

/* ---- fields ------------------------------------------------------------------------- */

static bool requires(const ctlc_field *f)
{
    return !f->optional && !f->dflt;
}

static const char *presence(const ctlc_field *f)
{
    return f->optional ? "optional" : f->dflt ? "required with a default" : "required";
}

static const char *field_desc(const ctlc_field *f)
{
    return f->optional ? "optional field" : f->dflt ? "required field with a default" : "required field";
}


static bool same_literal(const ctlc_literal *a, const ctlc_literal *b)
{
    if (a->kind == CTLC_LIT_STRING && b->kind == CTLC_LIT_STRING)
        return a->slen == b->slen && memcmp(a->s, b->s, a->slen) == 0;
    if ((a->kind == CTLC_LIT_INT || a->kind == CTLC_LIT_FLOAT) && (b->kind == CTLC_LIT_INT || b->kind == CTLC_LIT_FLOAT))
        return a->kind == b->kind && a->kind == CTLC_LIT_INT ? a->i == b->i : a->f == b->f;
    if (a->kind == CTLC_LIT_BOOL && b->kind == CTLC_LIT_BOOL)
        return a->b == b->b;
    return a->kind == b->kind && same_text(a->z, a->n, b->z, b->n);
}

/* A field only the writer has: the reader ignores it. Forward that is a
 * payload field the new controller dropped on purpose; backward it is data a
 * new caller must send (it is required) that an old controller silently
 * drops, so the call does not do what the caller asked. */
static bool writer_only_breaks(const dctx *d, role r, const ctlc_field *w)
{
    return d->dir == BWD && r == PAYLOAD && !w->optional;
}

/* A field only the reader has: a required one is missing from every value;
 * forward, a removed result field also leaves old callers that read it
 * without it, optional or not. */
static bool reader_only_breaks(const dctx *d, role r, const ctlc_field *rd)
{
    return requires(rd) || (d->dir == FWD && r == RESULT);
}

static const ctlc_field *find_wire(const ctlc_fields *fs, const char *wire, size_t len)
{
    for (const ctlc_field *f = fs ? fs->first : NULL; f; f = f->next)
        if (same_text(f->wire, f->wire_len, wire, len))
            return f;
    return NULL;
}

static const ctlc_field *find_name(const ctlc_fields *fs, ctlc_name name)
{
    for (const ctlc_field *f = fs ? fs->first : NULL; f; f = f->next)
        if (same_name(f->name, name))
            return f;
    return NULL;
}

static void compare_field(dctx *d, const char *path, const ctlc_field *o, const ctlc_field *n, role r)
{
    ctlc_loc loc = n->name.loc;
    bool ow = old_writes(d, r);
    const ctlc_field *w = ow ? o : n, *rd = ow ? n : o;
    if (!same_name(o->name, n->name))
        report(d, false, "field-renamed", path, loc, false,
               "field renamed from %.*s to %.*s with the same wire name '%.*s'", (int)o->name.n, o->name.z,
               (int)n->name.n, n->name.z, (int)n->wire_len, n->wire);
    if (o->optional && !n->optional)
        report(d, w->optional && !rd->optional, "optional-to-required", path, loc, false,
               "optional -> %s", presence(n));
    else if (!o->optional && n->optional)
        report(d, w->optional && !rd->optional, "required-to-optional", path, loc, false,
               "%s -> optional", presence(o));
    /* A writer that leaves out a field with a default means that default. */
    if (o->dflt && n->dflt && !same_literal(o->dflt, n->dflt))
        report(d, true, "default-changed", path, loc, false, "default changed from %.*s to %.*s", (int)o->dflt->n,
               o->dflt->z, (int)n->dflt->n, n->dflt->z);
    else if (o->dflt && !n->dflt)
        report(d, w->dflt != NULL, "default-removed", path, loc, false, "default %.*s removed", (int)o->dflt->n,
               o->dflt->z);
    else if (!o->dflt && n->dflt)
        report(d, w->dflt != NULL && !rd->optional, "default-added", path, loc, false, "default %.*s added",
               (int)n->dflt->n, n->dflt->z);
    compare_type(d, path, loc, o->type, n->type, o->type, n->type, r);
    compare_bounds(d, path, loc, "@length", true, o->traits.has_length, &o->traits.length, n->traits.has_length,
                   &n->traits.length, r);
    compare_bounds(d, path, loc, "@range", false, o->traits.has_range, &o->traits.range, n->traits.has_range,
                   &n->traits.range, r);
    compare_notes(d, path, loc, o->doc, n->doc, &o->traits, &n->traits);
}

/* Fields of a struct, a payload or a result; base is the path of their
 * owner. Matched by wire name; a field whose wire name changed (its spec
 * name stayed) is reported as that. */
static void compare_fields(dctx *d, const char *base, const ctlc_fields *o, const ctlc_fields *n, role r)
{
    /* a result's base path ends in "->": C.f->field */
    size_t blen = strlen(base);
    const char *sep = blen >= 2 && strcmp(base + blen - 2, "->") == 0 ? "" : ".";
    bool ow = old_writes(d, r);
    size_t pos = 0, last = 0;
    bool reordered = false;
    for (const ctlc_field *nf = n ? n->first : NULL; nf; nf = nf->next) {
        const char *path = sub(d, base, sep, nf->name);
        const ctlc_field *of = find_wire(o, nf->wire, nf->wire_len);
        if (of) {
            size_t at = 0;
            for (const ctlc_field *x = o->first; x != of; x = x->next)
                at++;
            if (pos++ && at < last)
                reordered = true;
            last = at;
            compare_field(d, path, of, nf, r);
            continue;
        }
        of = find_name(o, nf->name);
        if (of && !find_wire(n, of->wire, of->wire_len)) {
            report(d, true, "json-name-changed", path, nf->name.loc, false, "wire name changed from '%.*s' to '%.*s'",
                   (int)of->wire_len, of->wire, (int)nf->wire_len, nf->wire);
            continue;
        }
        bool breaks = ow ? reader_only_breaks(d, r, nf) : writer_only_breaks(d, r, nf);
        report(d, breaks, "field-added", path, nf->name.loc, false, "new %s", field_desc(nf));
    }
    for (const ctlc_field *of = o ? o->first : NULL; of; of = of->next) {
        if (find_wire(n, of->wire, of->wire_len))
            continue;
        const ctlc_field *nf = find_name(n, of->name);
        if (nf && !find_wire(o, nf->wire, nf->wire_len))
            continue;        /* reported above as a changed wire name */
        bool breaks = ow ? writer_only_breaks(d, r, of) : reader_only_breaks(d, r, of);
        report(d, breaks, "field-removed", sub(d, base, sep, of->name), of->name.loc, true, "%s removed",
               field_desc(of));
    }
    if (reordered && n)
        report(d, false, "fields-reordered", base, n->loc, false, "fields reordered");
}

static void compare_struct(dctx *d, const ctlc_decl *o, const ctlc_decl *n, role r)
{
    if (!first_visit(d, o, n, r))
        return;
    const char *path = ctlc_printf(d->a, "%.*s", (int)n->name.n, n->name.z);
    compare_notes(d, path, n->name.loc, o->doc, n->doc, &o->traits, &n->traits);
    compare_fields(d, path, &o->fields, &n->fields, r);
}

static const ctlc_member *find_member(const ctlc_decl *e, const char *wire, size_t len, const ctlc_name *name)
{
    for (const ctlc_member *m = e->members; m; m = m->next)
        if (name ? same_name(m->name, *name) : same_text(m->wire, m->wire_len, wire, len))
            return m;
    return NULL;
}

/* An enum reader rejects a member it does not know. */
static void compare_enum(dctx *d, const ctlc_decl *o, const ctlc_decl *n, role r)
{
    if (!first_visit(d, o, n, r))
        return;
    bool ow = old_writes(d, r);
    const char *base = ctlc_printf(d->a, "%.*s", (int)n->name.n, n->name.z);
    compare_notes(d, base, n->name.loc, o->doc, n->doc, &o->traits, &n->traits);
    for (const ctlc_member *nm = n->members; nm; nm = nm->next) {
        const char *path = sub(d, base, ".", nm->name);
        const ctlc_member *om = find_member(o, nm->wire, nm->wire_len, NULL);
        if (om) {
            if (!same_name(om->name, nm->name))
                report(d, false, "member-renamed", path, nm->name.loc, false,
                       "member renamed from %.*s to %.*s with the same wire name '%.*s'", (int)om->name.n,
                       om->name.z, (int)nm->name.n, nm->name.z, (int)nm->wire_len, nm->wire);
            compare_notes(d, path, nm->name.loc, om->doc, nm->doc, &om->traits, &nm->traits);
            continue;
        }
        om = find_member(o, NULL, 0, &nm->name);
        if (om && !find_member(n, om->wire, om->wire_len, NULL)) {
            report(d, true, "member-json-changed", path, nm->name.loc, false,
                   "wire name changed from '%.*s' to '%.*s'", (int)om->wire_len, om->wire, (int)nm->wire_len,
                   nm->wire);
            continue;
        }
        report(d, !ow, "member-added", path, nm->name.loc, false, "new member '%.*s'", (int)nm->wire_len, nm->wire);
    }
    for (const ctlc_member *om = o->members; om; om = om->next) {
        if (find_member(n, om->wire, om->wire_len, NULL))
            continue;
        const ctlc_member *nm = find_member(n, NULL, 0, &om->name);
        if (nm && !find_member(o, nm->wire, nm->wire_len, NULL))
            continue;
        report(d, ow, "member-removed", sub(d, base, ".", om->name), om->name.loc, true, "member '%.*s' removed",
               (int)om->wire_len, om->wire);
    }
}

/* ---- functions and controllers ------------------------------------------------------- */

static const ctlc_fields *result_fields(const ctlc_func *f)
{
    if (f->has_result_fields)
        return &f->result;
    return f->result_decl ? &f->result_decl->fields : NULL;
}

static void compare_result(dctx *d, const char *path, const ctlc_func *o, const ctlc_func *n)
{
    const ctlc_fields *of = result_fields(o), *nf = result_fields(n);
    const char *rpath = ctlc_printf(d->a, "%s->", path);
    bool ow = old_writes(d, RESULT);
    if (!of && !nf)
        return;
    if (!of) {
        /* Old callers expect a null result and do not read one. */
        report(d, ow, "result-added", rpath, n->arrow, false, "result added");
        return;
    }
    if (!nf) {
        report(d, !ow, "result-removed", rpath, o->arrow, true, "result removed");
        return;
    }
    if (!o->result_decl != !n->result_decl)
        report(d, false, "result-form-changed", rpath, n->arrow, false, "%s",
               n->result_decl ? "result now names a struct" : "result now lists its fields");
    if (o->result_decl && n->result_decl) {
        if (!same_name(o->result_name, n->result_name))
            report(d, false, "type-renamed", rpath, n->result_name.loc, false,
                   "result type renamed from %.*s to %.*s; compared by content", (int)o->result_name.n,
                   o->result_name.z, (int)n->result_name.n, n->result_name.z);
        compare_struct(d, o->result_decl, n->result_decl, RESULT);
        return;
    }
    compare_fields(d, rpath, of, nf, RESULT);
}

/* "leed.id, trade", or "the whole payload": an @idempotent key as messages
 * name it. */
static const char *idem_key_str(dctx *d, const ctlc_traits *tr)
{
    if (!tr->idem_nkeys)
        return "the whole payload";
    const char *s = "";
    for (size_t i = 0; i < tr->idem_nkeys; i++)
        s = ctlc_printf(d->a, "%s%s%s", s, i ? ", " : "", tr->idem_pointers[i]);
    return s;
}

static bool same_idem_key(const ctlc_traits *x, const ctlc_traits *y)
{
    if (x->idem_nkeys != y->idem_nkeys)
        return false;
    for (size_t i = 0; i < x->idem_nkeys; i++)
        if (strcmp(x->idem_pointers[i], y->idem_pointers[i]) != 0)
            return false;
    return true;
}

/* A function's @idempotent: not on the wire, but whether a delivery runs
 * the handler. Removing it, or changing the key (compared as JSON Pointers
 * of wire names, so renaming a field that keeps its wire name changes
 * nothing), makes the events delivered again after the deploy (Lambda's
 * retries, a caller's duplicate) run again: breaking forward. Adding it,
 * and changing how long a completed key is remembered, is safe: no event
 * runs that would not have. */
static void compare_idempotent(dctx *d, const char *path, const ctlc_func *o, const ctlc_func *n)
{
    const ctlc_traits *ot = &o->traits, *nt = &n->traits;
    ctlc_loc at = nt->idempotent ? nt->idempotent->loc : n->name.loc;
    if (!ot->idempotent && nt->idempotent)
        report(d, false, "idempotent-added", path, at, false, "@idempotent added: a duplicate delivery of a key "
               "(%s) no longer runs the handler", idem_key_str(d, nt));
    else if (ot->idempotent && !nt->idempotent)
        report(d, d->dir == FWD, "idempotent-removed", path, at, false,
               "@idempotent removed: old in-flight events run again, and every duplicate delivery runs the handler");
    else if (ot->idempotent && !same_idem_key(ot, nt))
        report(d, d->dir == FWD, "idempotent-key-changed", path, at, false,
               "@idempotent key changed from %s to %s: old in-flight events run again (their keys are new)",
               idem_key_str(d, ot), idem_key_str(d, nt));
    else if (ot->idempotent && ot->idem_expires_s != nt->idem_expires_s)
        report(d, false, "idempotent-expiry-changed", path, at, false,
               "@idempotent expires changed from %d to %d s: a completed key is remembered that long", ot->idem_expires_s,
               nt->idem_expires_s);
}

static void compare_func(dctx *d, const char *cpath, const ctlc_func *o, const ctlc_func *n)
{
    const char *path = sub(d, cpath, ".", n->name);
    if (o->is_async != n->is_async)
        report(d, true, o->is_async ? "async-to-sync" : "sync-to-async", path, n->loc, false,
               "%s", o->is_async ? "async fn became a plain fn (callers now wait for it)"
                                 : "plain fn became async (callers no longer wait for it)");
    compare_notes(d, path, n->name.loc, o->doc, n->doc, &o->traits, &n->traits);
    compare_fields(d, path, &o->params, &n->params, PAYLOAD);
    compare_result(d, path, o, n);
    compare_idempotent(d, path, o, n);
}

static const ctlc_func *find_func(const ctlc_decl *c, ctlc_name name)
{
    for (const ctlc_func *f = c->funcs; f; f = f->next)
        if (same_name(f->name, name))
            return f;
    return NULL;
}

/* Every declaration a spec sees: its own, then its imports', once each. */
typedef struct declset {
    const ctlc_decl **v;
    size_t n, cap;
    const ctlc_spec **seen;
    size_t nseen, seencap;
} declset;

static void gather(declset *s, const ctlc_spec *spec)
{
    for (size_t i = 0; i < s->nseen; i++)
        if (s->seen[i] == spec)
            return;
    s->seen = ctlc_grow(s->seen, &s->seencap, s->nseen + 1, sizeof *s->seen);
    s->seen[s->nseen++] = spec;
    for (const ctlc_decl *d = spec->decls; d; d = d->next) {
        if (d->kind == CTLC_D_IMPORT) {
            if (d->imported)
                gather(s, d->imported);
        } else if (d->kind != CTLC_D_PACKAGE) {
            s->v = ctlc_grow(s->v, &s->cap, s->n + 1, sizeof *s->v);
            s->v[s->n++] = d;
        }
    }
}

static const ctlc_decl *find_decl(const declset *s, ctlc_name name)
{
    for (size_t i = 0; i < s->n; i++)
        if (same_name(s->v[i]->name, name))
            return s->v[i];
    return NULL;
}

static bool has_target(const ctlc_target *list, const ctlc_target *t)
{
    for (; list; list = list->next)
        if (same_name(list->controller, t->controller) && same_name(list->function, t->function))
            return true;
    return false;
}

/* Who calls whom is not on the wire, but a reviewer wants to see it. */
static void compare_uses(dctx *d, const char *path, const ctlc_decl *o, const ctlc_decl *n)
{
    for (const ctlc_target *t = n->uses; t; t = t->next)
        if (!has_target(o->uses, t))
            report(d, false, "uses-added", path, t->controller.loc, false, "now uses %.*s%s%.*s",
                   (int)t->controller.n, t->controller.z, t->function.n ? "." : "", (int)t->function.n,
                   t->function.z);
    for (const ctlc_target *t = o->uses; t; t = t->next)
        if (!has_target(n->uses, t))
            report(d, false, "uses-removed", path, t->controller.loc, true, "no longer uses %.*s%s%.*s",
                   (int)t->controller.n, t->controller.z, t->function.n ? "." : "", (int)t->function.n,
                   t->function.z);
}

/* Lambda's async settings of a controller: not on the wire, but lowering
 * one drops events the old spec had Lambda deliver (fewer attempts, or an
 * earlier end in the failure destination): breaking forward, where the new
 * controller's settings meet the events old callers rely on. Raising one is
 * safe; backward, new callers reach the old settings, which the spec did
 * not lower for them. Compared with Lambda's defaults filled in, so that
 * stating a default changes nothing. */
static void compare_settings(dctx *d, const char *path, const ctlc_decl *o, const ctlc_decl *n)
{
    int was = ctlc_retries(&o->traits), now = ctlc_retries(&n->traits);
    ctlc_loc at = n->traits.retries ? n->traits.retries->loc : n->name.loc;
    if (now < was)
        report(d, d->dir == FWD, "retries-lowered", path, at, false,
               "@retries lowered from %d to %d: a failing event gets %d attempt%s, not %d", was, now, now + 1,
               now ? "s" : "", was + 1);
    else if (now > was)
        report(d, false, "retries-raised", path, at, false, "@retries raised from %d to %d", was, now);
    was = ctlc_max_event_age(&o->traits);
    now = ctlc_max_event_age(&n->traits);
    at = n->traits.max_event_age ? n->traits.max_event_age->loc : n->name.loc;
    if (now < was)
        report(d, d->dir == FWD, "event-age-lowered", path, at, false,
               "@max_event_age lowered from %d to %d s: an event waiting longer is dropped", was, now);
    else if (now > was)
        report(d, false, "event-age-raised", path, at, false, "@max_event_age raised from %d to %d s", was, now);
}

/* "controller x", "sqs \"q\"": a destination as messages name it. */
static const char *dest_str(dctx *d, const ctlc_dest *ds)
{
    if (ds->kind == CTLC_DEST_CONTROLLER)
        return ctlc_printf(d->a, "controller %.*s", (int)ds->len, ds->name);
    return ctlc_printf(d->a, "%s \"%.*s\"", ctlc_dest_kind_word(ds->kind), (int)ds->len, ds->name);
}

static bool same_dest(const ctlc_dest *x, const ctlc_dest *y)
{
    return x->kind == y->kind && x->len == y->len && memcmp(x->name, y->name, x->len) == 0;
}

/* A controller's destinations (@on_failure, @on_success): not on the wire,
 * but where the records of its events go. Removing one, or pointing it
 * elsewhere, stops the records that whoever reads the old destination
 * relies on (and a removed on-failure destination sends failures back to
 * the dead letters): breaking forward, as lowering @retries is. Adding one
 * is safe: records go where none went (failures no longer reach the dead
 * letters, which the spec now says). */
static void compare_destinations(dctx *d, const char *path, const ctlc_decl *o, const ctlc_decl *n)
{
    const ctlc_dest *was[2] = { &o->traits.on_failure, &o->traits.on_success };
    const ctlc_dest *now[2] = { &n->traits.on_failure, &n->traits.on_success };
    static const char *const annot[2] = { "@on_failure", "@on_success" };
    static const char *const kinds[2][3] = { { "on-failure-added", "on-failure-removed", "on-failure-changed" },
                                             { "on-success-added", "on-success-removed", "on-success-changed" } };
    static const char *const records[2] = { "records of failed events", "records of events that succeeded" };
    for (int i = 0; i < 2; i++) {
        bool had = was[i]->annot != NULL, has = now[i]->annot != NULL;
        ctlc_loc at = has ? now[i]->annot->loc : n->name.loc;
        if (!had && has)
            report(d, false, kinds[i][0], path, at, false, "%s added: the %s go to %s", annot[i], records[i],
                   dest_str(d, now[i]));
        else if (had && !has)
            report(d, d->dir == FWD, kinds[i][1], path, at, false, "%s removed: the %s no longer go to %s%s",
                   annot[i], records[i], dest_str(d, was[i]), i == 0 ? " (failures go to the dead letters)" : "");
        else if (had && has && !same_dest(was[i], now[i]))
            report(d, d->dir == FWD, kinds[i][2], path, at, false, "%s changed: the %s go to %s, not %s", annot[i],
                   records[i], dest_str(d, now[i]), dest_str(d, was[i]));
    }
}

static void compare_specs(dctx *d, const declset *os, const declset *ns)
{
    for (size_t i = 0; i < ns->n; i++) {
        const ctlc_decl *n = ns->v[i], *o = find_decl(os, n->name);
        const char *path = ctlc_printf(d->a, "%.*s", (int)n->name.n, n->name.z);
        if (o && o->kind != n->kind) {
            report(d, false, "decl-kind-changed", path, n->name.loc, false, "was %s, now %s",
                   a_kind(o->kind), a_kind(n->kind));
            o = NULL;
            if (n->kind != CTLC_D_CONTROLLER)
                continue;
        }
        if (!o) {
            /* New callers of a controller the old deployment lacks get an
             * error, as for a function (below). */
            bool ctrl = n->kind == CTLC_D_CONTROLLER;
            report(d, ctrl && d->dir == BWD, ctrl ? "controller-added" : "decl-added", path, n->name.loc, false,
                   "new %s", ctlc_decl_kind_str(n->kind));
            continue;
        }
        if (n->kind == CTLC_D_CLIENT) {
            compare_notes(d, path, n->name.loc, o->doc, n->doc, &o->traits, &n->traits);
            compare_uses(d, path, o, n);
            continue;
        }
        if (n->kind != CTLC_D_CONTROLLER)
            continue;        /* enums and structs are compared where they are used */
        compare_notes(d, path, n->name.loc, o->doc, n->doc, &o->traits, &n->traits);
        compare_uses(d, path, o, n);
        compare_settings(d, path, o, n);
        compare_destinations(d, path, o, n);
        for (const ctlc_func *nf = n->funcs; nf; nf = nf->next) {
            const ctlc_func *of = find_func(o, nf->name);
            if (of)
                compare_func(d, path, of, nf);
            else       /* new callers of it reach old controllers that lack it */
                report(d, d->dir == BWD, "function-added", sub(d, path, ".", nf->name), nf->name.loc, false,
                       "new %sfunction", nf->is_async ? "async " : "");
        }
        /* A caller of a function the controller no longer has gets an error. */
        for (const ctlc_func *of = o->funcs; of; of = of->next)
            if (!find_func(n, of->name))
                report(d, d->dir == FWD, "function-removed", sub(d, path, ".", of->name), of->name.loc, true,
                       "function removed");
    }
    for (size_t i = 0; i < os->n; i++) {
        const ctlc_decl *o = os->v[i], *n = find_decl(ns, o->name);
        if (n && (n->kind == o->kind || o->kind != CTLC_D_CONTROLLER))
            continue;
        bool ctrl = o->kind == CTLC_D_CONTROLLER;
        report(d, ctrl && d->dir == FWD, ctrl ? "controller-removed" : "decl-removed",
               ctlc_printf(d->a, "%.*s", (int)o->name.n, o->name.z), o->name.loc, true, "%s removed",
               ctlc_decl_kind_str(o->kind));
    }
}

/* ---- output ---------------------------------------------------------------------------- */

static int by_place(const void *pa, const void *pb)
{
    const finding *a = pa, *b = pb;
    if (a->at_old != b->at_old)
        return a->at_old ? 1 : -1;
    int c = strcmp(a->loc.src->path, b->loc.src->path);
    if (c)
        return c;
    if (a->loc.line != b->loc.line)
        return a->loc.line < b->loc.line ? -1 : 1;
    if (a->loc.col != b->loc.col)
        return a->loc.col < b->loc.col ? -1 : 1;
    if ((c = strcmp(a->path, b->path)) != 0)
        return c;
    return strcmp(a->msg, b->msg);
}

static void put_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    ctlc_json_escape(out, s, strlen(s));
    fputc('"', out);
}

/* What direction a finding breaks, for the message and the JSON. */
static const char *direction(const finding *f, bool both_ways)
{
    if (f->breaks[FWD] && both_ways && f->breaks[BWD])
        return "both";
    if (f->breaks[FWD])
        return "forward";
    if (both_ways && f->breaks[BWD])
        return "backward";
    return "none";
}

static ctlc_status diff(ctlc_run *run, const ctlc_spec *old_spec, const ctlc_spec *new_spec,
                        const ctlc_diff_options *opt, FILE *out, bool *breaking)
{
    bool both_ways = opt->both_ways;
    declset os = { 0 }, ns = { 0 };
    dctx d = { 0 };
    void *scratch[] = { &d.items, &d.visits, &os.v, &os.seen, &ns.v, &ns.seen };
    for (size_t i = 0; i < sizeof scratch / sizeof scratch[0]; i++)
        ctlc_oom_hold_ptr(scratch[i]);
    gather(&os, old_spec);
    gather(&ns, new_spec);
    d.a = run->arena;
    for (d.dir = FWD; d.dir <= (both_ways ? BWD : FWD); d.dir++) {
        compare_specs(&d, &os, &ns);
        /* The package prefixes C names only. */
        const ctlc_decl *op = old_spec->package, *np = new_spec->package;
        if (op && np && !same_name(op->name, np->name))
            report(&d, false, "package-renamed", "package", np->name.loc, false, "package renamed from %.*s to %.*s",
                   (int)op->name.n, op->name.z, (int)np->name.n, np->name.z);
        else if (!op != !np)
            report(&d, false, np ? "package-added" : "package-removed", "package", np ? np->name.loc : op->name.loc,
                   !np, "%s", np ? "package declared" : "package declaration removed");
    }
    if (d.n)
        qsort(d.items, d.n, sizeof *d.items, by_place);

    bool breaks = false;
    if (opt->json)
        fputc('[', out);
    for (size_t i = 0; i < d.n; i++) {
        const finding *f = &d.items[i];
        const char *dir = direction(f, both_ways);
        bool brk = strcmp(dir, "none") != 0;
        breaks |= brk;
        if (opt->json) {
            fprintf(out, "%s\n  {\"severity\": \"%s\", \"kind\": \"%s\", \"path\": ", i ? "," : "",
                    brk ? "breaking" : "safe", f->kind);
            put_json_string(out, f->path);
            fputs(", \"message\": ", out);
            put_json_string(out, f->msg);
            fputs(", \"file\": ", out);
            put_json_string(out, f->loc.src->path);
            fprintf(out, ", \"line\": %u, \"col\": %u, \"direction\": \"%s\"}", (unsigned)f->loc.line,
                    (unsigned)f->loc.col, dir);
        } else {
            fprintf(out, "%s:%u:%u: %s: %s: %s%s\n", f->loc.src->path, (unsigned)f->loc.line,
                    (unsigned)f->loc.col, brk ? "breaking" : "safe", f->path, f->msg,
                    strcmp(dir, "backward") == 0 ? " (when new callers reach old controllers)"
                    : strcmp(dir, "both") == 0   ? " (both ways)"
                                                 : "");
        }
    }
    if (opt->json)
        fputs(d.n ? "\n]\n" : "]\n", out);
    *breaking = breaks;
    for (size_t i = 0; i < sizeof scratch / sizeof scratch[0]; i++) {
        ctlc_oom_drop(scratch[i]);
        free(*(void **)scratch[i]);
    }
    return CTLC_OK;
}

ctlc_status ctlc_diff(ctlc_run *run, const ctlc_spec *old_spec, const ctlc_spec *new_spec,
                      const ctlc_diff_options *opt, FILE *out, bool *breaking)
{
    *breaking = false;
    CTLC_GUARDED(run, diff(run, old_spec, new_spec, opt, out, breaking));
}
