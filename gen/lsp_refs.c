/* lsp_refs.c: find references (textDocument/references) over every spec
 * that the open documents' last checks read: the open documents and their
 * imports. Rename (lsp_rename.c) edits the places ctlc_lsp_occurrences()
 * finds; workspace symbols (lsp_symbols.c) walk the same specs. */
#include <stdlib.h>
#include <string.h>

#include "lsp.h"

void ctlc_lsp_each_spec(ctlc_lsp_server *s, const ctlc_lsp_doc *first, const char *want,
                       void (*fn)(void *user, const ctlc_spec *spec), void *user)
{
    const char **seen = NULL;
    size_t nseen = 0, cap = 0;
    for (size_t i = 0; i <= s->ndocs; i++) {
        const ctlc_lsp_doc *d = i == 0 ? first : s->docs[i - 1];
        if (!d || (i > 0 && d == first) || !d->run)
            continue;
        bool reads = !want;
        for (size_t k = 0; k < d->nread && !reads; k++)
            reads = strcmp(d->read[k], want) == 0;
        if (!reads)
            continue;
        for (const ctlc_spec *sp = d->run->specs; sp; sp = sp->next) {
            bool done = false;
            for (size_t k = 0; k < nseen && !done; k++)
                done = strcmp(seen[k], sp->canon) == 0;
            if (done)
                continue;
            if (nseen == cap) {
                cap = cap ? cap * 2 : 16;
                seen = ctlc_lsp_need(realloc(seen, cap * sizeof *seen));
            }
            seen[nseen++] = sp->canon;
            fn(user, sp);
        }
    }
    free(seen);
}

typedef struct occurrences {
    const ctlc_lsp_key *key;
    bool with_decl;
    ctlc_lsp_visit_fn fn;
    void *user;
} occurrences;

static bool same_target(void *user, const ctlc_lsp_hit *h)
{
    occurrences *o = user;
    ctlc_lsp_key k;
    if ((h->declares && !o->with_decl) || !ctlc_lsp_target(h, &k))
        return false;
    if (k.offset == o->key->offset && strcmp(k.canon, o->key->canon) == 0)
        o->fn(o->user, h);
    return false;
}

static void walk_for(void *user, const ctlc_spec *spec)
{
    ctlc_lsp_walk(spec, same_target, user);
}

void ctlc_lsp_occurrences(ctlc_lsp_server *s, const ctlc_lsp_doc *first, const ctlc_lsp_key *key, bool with_decl,
                          ctlc_lsp_visit_fn fn, void *user)
{
    occurrences o = { key, with_decl, fn, user };
    ctlc_lsp_each_spec(s, first, key->canon, walk_for, &o);
}

typedef struct refs {
    ctlc_lsp_server *s;
    cJSON *list;
} refs;

static bool add_ref(void *user, const ctlc_lsp_hit *h)
{
    refs *r = user;
    ctlc_loc at = h->at.loc;
    size_t from = ctlc_loc_offset(at.src, at.line, at.col);
    cJSON_AddItemToArray(r->list, ctlc_lsp_location(r->s, at.src, from, from + h->at.n));
    return false;
}

void ctlc_lsp_references(ctlc_lsp_server *s, const cJSON *id, ctlc_lsp_params *p)
{
    const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(p->root, "context");
    const cJSON *with = cJSON_GetObjectItemCaseSensitive(ctx, "includeDeclaration");
    if (ctx && !cJSON_IsObject(ctx))
        snprintf(p->why, sizeof p->why, "params.context is not an object");
    else if (with && !cJSON_IsBool(with))
        snprintf(p->why, sizeof p->why, "params.context.includeDeclaration is not a boolean");
    if (ctlc_lsp_refused(s, id, p))
        return;
    ctlc_lsp_doc *d;
    ctlc_lsp_hit h;
    if (!ctlc_lsp_point(s, id, p, &d, &h))
        return;
    refs r = { s, ctlc_lsp_need(cJSON_CreateArray()) };
    ctlc_lsp_key key;
    if (ctlc_lsp_target(&h, &key))
        ctlc_lsp_occurrences(s, d, &key, cJSON_IsTrue(with), add_ref, &r);
    ctlc_rpc_result(&s->rpc, id, r.list);
}
