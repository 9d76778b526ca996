/* lsp_complete.c: completion (textDocument/completion) for ctlc lsp.
 *
 * What comes before the cursor is read with the language's own scanner
 * (lex.h), from the start of the document, so that a comment or a string
 * is known as the lexer knows it: nothing is offered inside either. The
 * tokens just before the cursor say what may come:
 *
 *   @|                      annotations (ctlc_annot_rules, check.h)
 *   @length(|  @range(m|    the annotation's argument names, and for
 *                           @on_failure / @on_success the controllers
 *   uses |  uses a, |       controllers
 *   uses orders.|           the functions of controller orders
 *   = |  after `T`          T's members when T is an enum (true, false for bool)
 *   : |  < |                types: built-in, then the enums and structs of
 *                           the spec and its imports
 *   -> |                    structs
 *
 * The names come from the document's last check (its imports resolved),
 * so what was declared since that check is offered after the next one.
 * Items whose label does not start with the word being typed (letters
 * compared without case) are left out. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "grammar.h"
#include "lex.h"
#include "lsp.h"

/* LSP's CompletionItemKind values used here. */
enum { CK_FUNCTION = 3, CK_CLASS = 7, CK_PROPERTY = 10, CK_ENUM = 13, CK_KEYWORD = 14, CK_ENUM_MEMBER = 20,
       CK_STRUCT = 22 };

typedef struct token {
    int code;
    size_t from, to;        /* bytes of the document */
} token;

typedef struct completing {
    const ctlc_lsp_doc *d;
    const char *prefix;     /* the word before the cursor (bytes of the document) */
    size_t nprefix;
    cJSON *items;
} completing;

static bool starts_with(const completing *c, const char *label, size_t n)
{
    if (n < c->nprefix)
        return false;
    for (size_t i = 0; i < c->nprefix; i++)
        if (tolower((unsigned char)label[i]) != tolower((unsigned char)c->prefix[i]))
            return false;
    return true;
}

/* An item: n bytes of label, its kind, a detail (NULL: none), a doc
 * comment (NULL: none) and what to insert (NULL: the label). */
static void item(completing *c, const char *label, size_t n, int kind, const char *detail, const ctlc_doc *doc,
                 const char *insert)
{
    if (!starts_with(c, label, n))
        return;
    cJSON *it = ctlc_lsp_need(cJSON_CreateObject());
    char *name = ctlc_lsp_strndup(label, n);
    cJSON_AddStringToObject(it, "label", name);
    free(name);
    cJSON_AddNumberToObject(it, "kind", kind);
    if (detail)
        cJSON_AddStringToObject(it, "detail", detail);
    if (doc && doc->len) {
        cJSON *md = ctlc_lsp_need(cJSON_AddObjectToObject(it, "documentation"));
        cJSON_AddStringToObject(md, "kind", "markdown");
        char *text = ctlc_lsp_strndup(doc->text, doc->len);
        cJSON_AddStringToObject(md, "value", text);
        free(text);
    }
    if (insert)
        cJSON_AddStringToObject(it, "insertText", insert);
    cJSON_AddItemToArray(c->items, it);
}

/* "struct", or "struct in common.ctl" for a declaration of an import. */
static void decl_item(completing *c, const ctlc_decl *d, int kind)
{
    char detail[300];
    const char *path = d->spec->src->path, *base = strrchr(path, '/');
    if (d->spec == c->d->spec)
        snprintf(detail, sizeof detail, "%s", ctlc_decl_kind_str(d->kind));
    else
        snprintf(detail, sizeof detail, "%s in %.200s", ctlc_decl_kind_str(d->kind), base ? base + 1 : path);
    item(c, d->name.z, d->name.n, kind, detail, d->doc, NULL);
}

/* Every declaration of kind k that the document sees (its own, then its
 * imports', directly or not). */
static void decls_of(completing *c, ctlc_decl_kind k, int kind)
{
    for (const ctlc_spec *sp = c->d->run ? c->d->run->specs : NULL; sp; sp = sp->next)
        for (const ctlc_decl *d = sp->decls; d; d = d->next)
            if (d->kind == k && d->name.n)
                decl_item(c, d, kind);
}

static const ctlc_decl *decl_named(const completing *c, ctlc_decl_kind k, const char *z, size_t n)
{
    for (const ctlc_spec *sp = c->d->run ? c->d->run->specs : NULL; sp; sp = sp->next)
        for (const ctlc_decl *d = sp->decls; d; d = d->next)
            if (d->kind == k && d->name.n == n && memcmp(d->name.z, z, n) == 0)
                return d;
    return NULL;
}

static void types(completing *c, bool structs_only)
{
    if (!structs_only) {
        for (ctlc_type_kind k = CTLC_T_STRING; k <= CTLC_T_JSON; k++) {
            const char *kw = ctlc_type_keyword(k);
            item(c, kw, strlen(kw), CK_KEYWORD, "built-in type", NULL, NULL);
        }
        item(c, "list", 4, CK_KEYWORD, "built-in type: list<T>", NULL, NULL);
        item(c, "map", 3, CK_KEYWORD, "built-in type: map<T>, string keys", NULL, NULL);
        decls_of(c, CTLC_D_ENUM, CK_ENUM);
    }
    decls_of(c, CTLC_D_STRUCT, CK_STRUCT);
}

static void members(completing *c, const ctlc_decl *e)
{
    for (const ctlc_member *m = e->members; m; m = m->next) {
        char detail[300];
        if (m->wire && (m->wire_len != m->name.n || memcmp(m->wire, m->name.z, m->name.n) != 0))
            snprintf(detail, sizeof detail, "member of %.*s, \"%.*s\" on the wire", (int)e->name.n, e->name.z,
                     (int)(m->wire_len > 200 ? 200 : m->wire_len), m->wire);
        else
            snprintf(detail, sizeof detail, "member of %.*s", (int)e->name.n, e->name.z);
        item(c, m->name.z, m->name.n, CK_ENUM_MEMBER, detail, m->doc, NULL);
    }
}

static void annotation_args(completing *c, const ctlc_annot_rule *r)
{
    for (size_t i = 0; i < r->nargs; i++) {
        char insert[64];
        snprintf(insert, sizeof insert, "%s: ", r->args[i]);
        item(c, r->args[i], strlen(r->args[i]), CK_PROPERTY, r->usage, NULL, insert);
    }
    if (strcmp(r->name, "on_failure") == 0 || strcmp(r->name, "on_success") == 0)
        decls_of(c, CTLC_D_CONTROLLER, CK_CLASS);
}

/* A name or a keyword (a keyword may be the start of a name). */
static bool is_word(int code, const char *z, size_t n)
{
    return code == TK_ID || ctlc_is_keyword(z, n);
}

/* The items for the tokens t[0..n) before the cursor. */
static void complete(completing *c, const token *t, size_t n, const char *text)
{
    if (n == 0)
        return;
    const token *last = &t[n - 1];
    if (last->code == TK_AT) {
        for (size_t i = 0; i < CTLC_NANNOTS; i++)
            item(c, ctlc_annot_rules[i].name, strlen(ctlc_annot_rules[i].name), CK_KEYWORD, ctlc_annot_rules[i].usage,
                 NULL, NULL);
        return;
    }
    /* Inside an annotation's parentheses. */
    int depth = 0;
    for (size_t i = n; i-- > 0;) {
        int code = t[i].code;
        if (code == TK_SEMI || code == TK_LBRACE || code == TK_RBRACE)
            break;
        if (code == TK_RPAREN)
            depth++;
        else if (code == TK_LPAREN && depth-- == 0) {
            if (i < 2 || t[i - 2].code != TK_AT || !is_word(t[i - 1].code, text + t[i - 1].from, t[i - 1].to - t[i - 1].from))
                return;
            if (last->code != TK_LPAREN && last->code != TK_COMMA)
                return; /* a value */
            for (size_t k = 0; k < CTLC_NANNOTS; k++) {
                const char *name = ctlc_annot_rules[k].name;
                if (strlen(name) == t[i - 1].to - t[i - 1].from && memcmp(name, text + t[i - 1].from, strlen(name)) == 0)
                    annotation_args(c, &ctlc_annot_rules[k]);
            }
            return;
        }
    }
    /* A uses list: `uses a, b.f, ...`. */
    size_t i = n;
    while (i > 0 && (t[i - 1].code == TK_ID || t[i - 1].code == TK_DOT || t[i - 1].code == TK_COMMA))
        i--;
    if (i > 0 && t[i - 1].code == TK_USES) {
        if (last->code == TK_DOT && n >= 2 && t[n - 2].code == TK_ID) {
            const ctlc_decl *ctl = decl_named(c, CTLC_D_CONTROLLER, text + t[n - 2].from, t[n - 2].to - t[n - 2].from);
            for (const ctlc_func *f = ctl ? ctl->funcs : NULL; f; f = f->next)
                item(c, f->name.z, f->name.n, CK_FUNCTION, f->is_async ? "async fn" : "fn", f->doc, NULL);
        } else if (last->code == TK_USES || last->code == TK_COMMA) {
            decls_of(c, CTLC_D_CONTROLLER, CK_CLASS);
        }
        return;
    }
    switch (last->code) {
    case TK_EQ:
        if (n >= 2 && t[n - 2].code == TK_BOOL) {
            item(c, "true", 4, CK_KEYWORD, "bool", NULL, NULL);
            item(c, "false", 5, CK_KEYWORD, "bool", NULL, NULL);
        } else if (n >= 2 && t[n - 2].code == TK_ID) {
            const ctlc_decl *e = decl_named(c, CTLC_D_ENUM, text + t[n - 2].from, t[n - 2].to - t[n - 2].from);
            if (e)
                members(c, e);
        }
        return;
    case TK_COLON:
    case TK_LT:
        types(c, false);
        return;
    case TK_ARROW:
        types(c, true);
        return;
    default:
        return;
    }
}

/* The tokens of d before byte off into *t (malloc'd), *n of them; false
 * when off is inside a comment or a string. The word the cursor is in or
 * just after, if any, is not among them: it is the prefix. */
static bool tokens_before(const ctlc_lsp_doc *d, size_t off, token **t, size_t *n, size_t *prefix_from)
{
    ctlc_source *src = ctlc_lsp_need(ctlc_source_from(d->path ? d->path : d->uri, d->text, d->len));
    ctlc_diags diags = { 0 };
    ctlc_lexer lx;
    size_t from = d->len >= 3 && memcmp(d->text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    ctlc_lex_init(&lx, src, &diags, from);
    size_t cap = 64;
    *t = ctlc_lsp_need(malloc(cap * sizeof **t));
    *n = 0;
    *prefix_from = off;
    bool ok = true;
    for (;;) {
        ctlc_token tok;
        const char *before = (const char *)lx.cur;
        int code = ctlc_lex_next(&lx, &tok);
        if (code == CTLC_LEX_EOF) {
            /* An unterminated block comment is reported and skipped to the end. */
            while (*before == ' ' || *before == '\t' || *before == '\r' || *before == '\n')
                before++;
            if (before[0] == '/' && before[1] == '*' && (size_t)(before - src->text) < off)
                ok = false;
            break;
        }
        size_t at = (size_t)(tok.z - src->text) - (code == CTLC_LEX_DOC ? 3 : 0);
        size_t end = (size_t)(tok.z - src->text) + tok.n;
        if (at >= off)
            break;
        bool block = code == CTLC_LEX_COMMENT && src->text[at + 1] == '*';
        bool to_eol = (code == CTLC_LEX_COMMENT && !block) || code == CTLC_LEX_DOC || (code == TK_STRLIT && tok.bad);
        if (code == CTLC_LEX_COMMENT || code == CTLC_LEX_DOC || code == TK_STRLIT) {
            if (off < end || (to_eol && off == end)) {
                ok = false;
                break;
            }
            if (code != TK_STRLIT)
                continue;
        }
        if (is_word(code, tok.z, tok.n) && off <= end) {
            *prefix_from = at;
            break;
        }
        if (*n == cap) {
            cap *= 2;
            *t = ctlc_lsp_need(realloc(*t, cap * sizeof **t));
        }
        (*t)[(*n)++] = (token){ code, at, end };
    }
    ctlc_diags_discard(&diags);
    ctlc_source_free(src);
    return ok;
}

void ctlc_lsp_completion(ctlc_lsp_server *s, const cJSON *id, ctlc_lsp_params *p)
{
    ctlc_lsp_doc *d = ctlc_lsp_the_doc(s, p);
    size_t off = 0;
    if (d)
        ctlc_lsp_pos_offset(s, p, d, ctlc_lsp_member(p, p->root, "params", "position", cJSON_Object),
                            "params.position", &off);
    if (ctlc_lsp_refused(s, id, p))
        return;
    token *t;
    size_t n, prefix_from;
    completing c = { d, NULL, 0, ctlc_lsp_need(cJSON_CreateArray()) };
    if (tokens_before(d, off, &t, &n, &prefix_from)) {
        c.prefix = d->text + prefix_from;
        c.nprefix = off - prefix_from;
        complete(&c, t, n, d->text);
    }
    free(t);
    cJSON *result = ctlc_lsp_need(cJSON_CreateObject());
    cJSON_AddBoolToObject(result, "isIncomplete", false);
    cJSON_AddItemToObject(result, "items", c.items);
    ctlc_rpc_result(&s->rpc, id, result);
}
