/* check_cnames.c: the C names a spec's generated code declares are free.
 *
 * Every global C name that the code generated from a spec declares (names.c
 * lists them) must be free: not reserved by C, C++, the C library, POSIX,
 * cJSON or libctl, and not declared twice, in this spec or by a spec it
 * imports with the same prefix (whose header the generated code includes).
 * This is what makes `ctlc check` refuse a spec whose C would not compile. */
#include <stdbool.h>
#include <string.h>

#include "check.h"
#include "ctlc.h"
#include "names.h"
#include "strset.h"


/* The state of one spec's pass. */
typedef struct cname_check {
    ctlc_checker *c;
    ctlc_strmap t;
    bool report;                 /* false while taking in imported specs' names */
    bool bare;                   /* the spec has no package */
    bool prefix_reserved;        /* the package makes every name reserved (reported) */
    const void *owner[3];        /* the last owner that had an error */
    const ctlc_decl *bad_decl;   /* a declaration whose every C name is reserved */
} cname_check;

/* What a name belongs to, for notes: "struct 'S'", "function 'C.f'". */
static const char *owner_str(ctlc_arena *a, const ctlc_cname *n)
{
    if (n->member)
        return ctlc_printf(a, "member '%.*s' of enum '%.*s'", NAME(n->member->name), NAME(n->decl->name));
    if (n->func)
        return ctlc_printf(a, "function '%.*s.%.*s'", NAME(n->decl->name), NAME(n->func->name));
    if (n->type)
        return ctlc_printf(a, "the type %s", ctlc_type_str(a, n->type));
    return ctlc_printf(a, "%s '%.*s'", ctlc_decl_kind_str(n->decl->kind), NAME(n->decl->name));
}

/* The same thing under two declarations of one spec name: a duplicate,
 * reported as such; or one list or map type in two specs, whose header
 * guards make it one type. */
static bool same_name(ctlc_name x, ctlc_name y)
{
    return x.n == y.n && memcmp(x.z, y.z, x.n) == 0;
}

static bool same_thing(const ctlc_cname *x, const ctlc_cname *y)
{
    if (x->type && y->type)
        return x->role == y->role;
    if (!x->decl || !y->decl)
        return false;
    if (x->decl != y->decl)
        return same_name(x->decl->name, y->decl->name);
    if (x->role != y->role)
        return false;
    if (x->member && y->member)
        return same_name(x->member->name, y->member->name);
    if (x->func && y->func)
        return same_name(x->func->name, y->func->name);
    return false;
}

/* One error per owner is enough: its other names clash for the same reason. */
static bool first_error_of(cname_check *k, const ctlc_cname *n)
{
    const void *owner[3] = { n->decl, n->member ? (const void *)n->member : (const void *)n->func, n->type };
    if (memcmp(owner, k->owner, sizeof owner) == 0)
        return false;
    memcpy(k->owner, owner, sizeof owner);
    return true;
}

static void take_cname(void *user, const ctlc_cname *n)
{
    cname_check *k = user;
    ctlc_checker *c = k->c;
    if (!k->report && !n->exported)
        return;
    if (k->report && n->decl && n->decl == k->bad_decl)
        return; /* its name was reported: every name made from it is reserved */
    ctlc_cname *copy = ctlc_alloc(c->a, sizeof *copy);
    *copy = *n;
    size_t len = strlen(n->name);
    ctlc_cname *prev = ctlc_strmap_put(&k->t, n->name, len, copy);
    if (!k->report)
        return;
    unsigned why = ctlc_cname_reserved(n->name, len);
    if (why && n->decl && n->decl != k->bad_decl && (n->role == CTLC_R_ENUM || n->role == CTLC_R_STRUCT ||
                                                     n->role == CTLC_R_CONTROLLER)) {
        /* A start that C or libctl reserves stays in every name built from it. */
        const ctlc_decl *d = n->decl;
        const char *stem = ctlc_printf(c->a, "%s%.*s_", ctlc_cname_prefix(c->a, c->spec), NAME(d->name));
        unsigned stem_why = ctlc_cname_reserved(stem, strlen(stem)) & (CTLC_RSV_UNDERSCORE | CTLC_RSV_LIBCTL);
        if (stem_why && !k->prefix_reserved) {
            k->bad_decl = d;
            ctlc_error(c->d, d->name.loc, "every C name made from %s '%.*s' starts '%s', which is %s; rename it%s",
                       ctlc_decl_kind_str(d->kind), NAME(d->name), stem, ctlc_cname_reserved_why(stem_why),
                       k->bare ? " or give the spec a package" : "");
            return;
        }
    }
    if (why && !k->prefix_reserved && first_error_of(k, n)) {
        ctlc_error(c->d, n->at, "the C name '%s' of %s is %s; rename %s%s", n->name, ctlc_cname_describe(c->a, n),
                   ctlc_cname_reserved_why(why), n->type ? "the type" : "it",
                   k->bare ? " or give the spec a package" : "");
    } else if (prev && !same_thing(prev, n) && first_error_of(k, n)) {
        ctlc_error(c->d, n->at, "the C name '%s' of %s is already the C name of %s", n->name,
                   ctlc_cname_describe(c->a, n), ctlc_cname_describe(c->a, prev));
        ctlc_note(c->d, prev->at, "%s is here", owner_str(c->a, prev));
    }
}

void ctlc_check_c_names(ctlc_checker *c)
{
    cname_check k = { 0 };
    k.c = c;
    size_t n = 64; /* about the names to come: the table grows if there are more */
    for (size_t i = 0; i < c->nclosure; i++)
        for (ctlc_decl *d = c->closure[i]->decls; d; d = d->next)
            n += 6 + 2 * d->nmembers + 10 * d->nfuncs + 4 * (d->fields.count);
    ctlc_strmap_init(&k.t, c->a, n);
    const char *prefix = ctlc_cname_prefix(c->a, c->spec);
    k.bare = !*prefix;
    if (c->spec->package) {
        unsigned why = ctlc_cname_reserved(prefix, strlen(prefix)) &
                       (CTLC_RSV_UNDERSCORE | CTLC_RSV_LIBCTL);
        if (why) {
            ctlc_error(c->d, c->spec->package->name.loc, "package '%.*s' starts every C name with '%s', which is %s; "
                       "rename the package", NAME(c->spec->package->name), prefix, ctlc_cname_reserved_why(why));
            k.prefix_reserved = true;
        }
    }
    /* The headers of imported specs with the same prefix come first. */
    for (size_t i = 0; i < c->nclosure; i++) {
        const ctlc_spec *s = c->closure[i];
        if (s != c->spec && strcmp(ctlc_cname_prefix(c->a, s), prefix) == 0)
            ctlc_cnames_each(c->a, s, take_cname, &k);
    }
    k.report = true;
    ctlc_cnames_each(c->a, c->spec, take_cname, &k);
}
