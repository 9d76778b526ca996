/* lsp_symbols.c: document symbols (textDocument/documentSymbol: the
 * outline of one spec) and workspace symbols (workspace/symbol: the
 * declarations and functions of every spec the open documents' checks
 * read, filtered by the query) for ctlc lsp; see lsp.h. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "lsp.h"

/* ---- document symbols ------------------------------------------------------------------------- */

/* A DocumentSymbol; the range grows with children added by add_child. */
typedef struct symbols {
    ctlc_lsp_server *s;
    ctlc_lsp_doc *d;
} symbols;

static cJSON *symbol(symbols *y, ctlc_name nm, int kind, const char *detail, ctlc_loc start)
{
    const ctlc_source *src = nm.loc.src;
    size_t at = ctlc_loc_offset(src, nm.loc.line, nm.loc.col);
    size_t from = start.src ? ctlc_loc_offset(src, start.line, start.col) : at;
    cJSON *sym = ctlc_lsp_need(cJSON_CreateObject());
    char *name = ctlc_lsp_strndup(nm.z, nm.n);
    cJSON_AddStringToObject(sym, "name", name);
    free(name);
    if (detail)
        cJSON_AddStringToObject(sym, "detail", detail);
    cJSON_AddNumberToObject(sym, "kind", kind);
    cJSON_AddItemToObject(sym, "range", ctlc_lsp_doc_range(y->s, y->d, from, at + nm.n));
    cJSON_AddItemToObject(sym, "selectionRange", ctlc_lsp_doc_range(y->s, y->d, at, at + nm.n));
    return sym;
}

/* Adds child to parent's children and stretches parent's range to its end. */
static void add_child(cJSON *parent, cJSON *child)
{
    cJSON *children = cJSON_GetObjectItemCaseSensitive(parent, "children");
    if (!children)
        children = ctlc_lsp_need(cJSON_AddArrayToObject(parent, "children"));
    cJSON *pend = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(parent, "range"), "end");
    cJSON *cend = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(child, "range"), "end");
    double pl = cJSON_GetObjectItemCaseSensitive(pend, "line")->valuedouble;
    double pc = cJSON_GetObjectItemCaseSensitive(pend, "character")->valuedouble;
    double cl = cJSON_GetObjectItemCaseSensitive(cend, "line")->valuedouble;
    double cc = cJSON_GetObjectItemCaseSensitive(cend, "character")->valuedouble;
    if (cl > pl || (cl == pl && cc > pc))
        cJSON_ReplaceItemInObject(cJSON_GetObjectItemCaseSensitive(parent, "range"), "end", ctlc_lsp_need(cJSON_Duplicate(cend, true)));
    cJSON_AddItemToArray(children, child);
}

int ctlc_lsp_symbol_kind(ctlc_decl_kind k)
{
    return k == CTLC_D_PACKAGE    ? CTLC_LSP_SK_PACKAGE
           : k == CTLC_D_ENUM     ? CTLC_LSP_SK_ENUM
           : k == CTLC_D_STRUCT   ? CTLC_LSP_SK_STRUCT
           : k == CTLC_D_CLIENT   ? CTLC_LSP_SK_INTERFACE
                                  : CTLC_LSP_SK_CLASS;
}

static void field_symbols(symbols *y, ctlc_arena *a, cJSON *parent, const ctlc_fields *fs, const char *what)
{
    ctlc_loc none = { NULL, 0, 0 };
    for (const ctlc_field *f = fs->first; f; f = f->next) {
        const char *detail = ctlc_printf(a, "%s%s%s", what, what[0] ? ": " : "", f->type ? ctlc_type_str(a, f->type) : "");
        add_child(parent, symbol(y, f->name, CTLC_LSP_SK_FIELD, detail, none));
    }
}

void ctlc_lsp_document_symbols(ctlc_lsp_server *s, const cJSON *id, ctlc_lsp_params *p)
{
    ctlc_lsp_doc *d = ctlc_lsp_the_doc(s, p);
    if (ctlc_lsp_refused(s, id, p))
        return;
    cJSON *list = ctlc_lsp_need(cJSON_CreateArray());
    symbols y = { s, d };
    ctlc_arena *a = d->run ? d->run->arena : NULL;
    for (const ctlc_decl *dc = d->spec ? d->spec->decls : NULL; dc; dc = dc->next) {
        if (dc->kind == CTLC_D_IMPORT || dc->name.n == 0)
            continue;
        int kind = ctlc_lsp_symbol_kind(dc->kind);
        cJSON *sym = symbol(&y, dc->name, kind, ctlc_decl_kind_str(dc->kind), dc->loc);
        ctlc_loc none = { NULL, 0, 0 };
        for (const ctlc_member *m = dc->members; m; m = m->next)
            add_child(sym, symbol(&y, m->name, CTLC_LSP_SK_ENUM_MEMBER, NULL, none));
        if (dc->kind == CTLC_D_STRUCT)
            field_symbols(&y, a, sym, &dc->fields, "");
        for (const ctlc_func *f = dc->funcs; f; f = f->next) {
            cJSON *fs = symbol(&y, f->name, CTLC_LSP_SK_FUNCTION, f->is_async ? "async fn" : "fn", f->loc);
            field_symbols(&y, a, fs, &f->params, "");
            field_symbols(&y, a, fs, &f->result, "result");
            add_child(sym, fs);
        }
        cJSON_AddItemToArray(list, sym);
    }
    ctlc_rpc_result(&s->rpc, id, list);
}

/* ---- workspace symbols ------------------------------------------------------------------------ */

typedef struct finding {
    ctlc_lsp_server *s;
    const char *query;
    cJSON *list;
} finding;

/* True when the query's characters appear in name in order, case aside
 * (how editors filter symbols: "ordpl" finds "orders.place"). */
static bool matches(const char *query, const char *z, size_t n)
{
    size_t i = 0;
    for (const char *q = query; *q; q++) {
        while (i < n && tolower((unsigned char)z[i]) != tolower((unsigned char)*q))
            i++;
        if (i++ >= n)
            return false;
    }
    return true;
}

static void add_symbol(finding *f, ctlc_name nm, int kind, const ctlc_name *container)
{
    if (nm.n == 0 || !nm.loc.src || !matches(f->query, nm.z, nm.n))
        return;
    cJSON *sym = ctlc_lsp_need(cJSON_CreateObject());
    char *name = ctlc_lsp_strndup(nm.z, nm.n);
    cJSON_AddStringToObject(sym, "name", name);
    free(name);
    cJSON_AddNumberToObject(sym, "kind", kind);
    size_t from = ctlc_loc_offset(nm.loc.src, nm.loc.line, nm.loc.col);
    cJSON_AddItemToObject(sym, "location", ctlc_lsp_location(f->s, nm.loc.src, from, from + nm.n));
    if (container) {
        char *c = ctlc_lsp_strndup(container->z, container->n);
        cJSON_AddStringToObject(sym, "containerName", c);
        free(c);
    }
    cJSON_AddItemToArray(f->list, sym);
}

static void spec_symbols(void *user, const ctlc_spec *spec)
{
    finding *f = user;
    for (const ctlc_decl *d = spec->decls; d; d = d->next) {
        if (d->kind == CTLC_D_IMPORT)
            continue;
        add_symbol(f, d->name, ctlc_lsp_symbol_kind(d->kind), spec->package ? &spec->package->name : NULL);
        for (const ctlc_func *fn = d->funcs; fn; fn = fn->next)
            add_symbol(f, fn->name, CTLC_LSP_SK_FUNCTION, &d->name);
    }
}

void ctlc_lsp_workspace_symbols(ctlc_lsp_server *s, const cJSON *id, ctlc_lsp_params *p)
{
    const cJSON *query = ctlc_lsp_member(p, p->root, "params", "query", cJSON_String);
    if (ctlc_lsp_refused(s, id, p))
        return;
    finding f = { s, query->valuestring, ctlc_lsp_need(cJSON_CreateArray()) };
    ctlc_lsp_each_spec(s, NULL, NULL, spec_symbols, &f);
    ctlc_rpc_result(&s->rpc, id, f.list);
}
