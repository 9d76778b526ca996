/* lsp_rename.c: rename (textDocument/prepareRename, textDocument/rename)
 * for ctlc lsp: a declaration, function, field or enum member, at its
 * declaration and every place that names it in the specs the open
 * documents' checks read (ctlc_lsp_occurrences), as one WorkspaceEdit.
 *
 * What is on the wire decides (specs/language.md, Compatibility):
 *   - enums, structs and clients are not on the wire: they rename freely;
 *   - a field or enum member with @json keeps its wire name: renames freely;
 *   - a field or enum member without @json is its own wire name: the
 *     rename is refused with an error that says so, unless the client asked
 *     to keep wire names (initializationOptions {"keepWireNames": true}, or
 *     workspace/didChangeConfiguration {"settings": {"ctl": {"keepWireNames":
 *     true}}}): then the edit of the declaration adds @json("old") before
 *     the new name, and the wire does not change;
 *   - a function's name is the "function" key's value and takes no @json,
 *     controllers are matched by name: both are refused;
 *   - a package (the prefix of every C name) and an import (a file) are not
 *     renamed here.
 * The new name must be a name as the language's scanner reads one (not a
 * keyword); what else it collides with (another field, a C name) the
 * checker reports once the edit is applied. */
#include <stdlib.h>
#include <string.h>

#include "grammar.h"
#include "lex.h"
#include "lsp.h"

/* Why h cannot be renamed (static or in buf), or NULL when it can; *add_json
 * is set when the declaration's edit must add @json("old"). */
static const char *refusal(const ctlc_lsp_server *s, const ctlc_lsp_hit *h, bool *add_json, char *buf, size_t size)
{
    *add_json = false;
    if (h->imported)
        return "an import names a file: rename the file, then the import";
    if (h->field || h->member) {
        bool has_json = h->field ? h->field->traits.json != NULL : h->member->traits.json != NULL;
        if (has_json)
            return NULL;
        if (s->keep_wire_names) {
            *add_json = true;
            return NULL;
        }
        ctlc_name nm = h->field ? h->field->name : h->member->name;
        snprintf(buf, size,
                 "renaming %s '%.*s' changes its name on the wire, which breaks every reader of the old one; "
                 "give it @json(\"%.*s\") first, or ask the server to (keepWireNames)",
                 h->field ? "field" : "enum member", (int)nm.n, nm.z, (int)nm.n, nm.z);
        return buf;
    }
    if (h->func)
        return "a function's name is on the wire (the value of \"function\") and cannot be kept with @json: "
               "renaming it breaks every caller";
    switch (h->decl ? h->decl->kind : CTLC_D_IMPORT) {
    case CTLC_D_CONTROLLER:
        return "a controller is found by its name (callers, deployments): renaming it breaks them";
    case CTLC_D_PACKAGE:
        return "a package's name is the prefix of every C name of the specs that share it: not renamed here";
    case CTLC_D_ENUM:
    case CTLC_D_STRUCT:
    case CTLC_D_CLIENT:
        return NULL;
    default:
        return "nothing to rename here";
    }
}

void ctlc_lsp_prepare_rename(ctlc_lsp_server *s, const cJSON *id, ctlc_lsp_params *p)
{
    ctlc_lsp_doc *d;
    ctlc_lsp_hit h;
    if (!ctlc_lsp_point(s, id, p, &d, &h))
        return;
    bool add_json;
    char buf[400];
    const char *why = refusal(s, &h, &add_json, buf, sizeof buf);
    if (why) {
        ctlc_rpc_error(&s->rpc, id, CTLC_LSP_REQUEST_FAILED, why);
        return;
    }
    size_t at = ctlc_loc_offset(h.at.loc.src, h.at.loc.line, h.at.loc.col);
    cJSON *result = ctlc_lsp_need(cJSON_CreateObject());
    cJSON_AddItemToObject(result, "range", ctlc_lsp_doc_range(s, d, at, at + h.at.n));
    char *name = ctlc_lsp_strndup(h.at.z, h.at.n);
    cJSON_AddStringToObject(result, "placeholder", name);
    free(name);
    ctlc_rpc_result(&s->rpc, id, result);
}

/* True when the n bytes at z are one name as the scanner reads it. */
static bool is_name(const char *z, size_t n)
{
    ctlc_source *src = ctlc_lsp_need(ctlc_source_from("newName", z, n));
    ctlc_diags diags = { 0 };
    ctlc_lexer lx;
    ctlc_lex_init(&lx, src, &diags, 0);
    ctlc_token tok;
    bool ok = n > 0 && ctlc_lex_next(&lx, &tok) == TK_ID && tok.n == n;
    ctlc_diags_discard(&diags);
    ctlc_source_free(src);
    return ok;
}

typedef struct renaming {
    ctlc_lsp_server *s;
    const char *new_name;
    bool add_json;
    cJSON *changes;         /* uri -> [TextEdit] */
} renaming;

static bool add_edit(void *user, const ctlc_lsp_hit *h)
{
    renaming *r = user;
    ctlc_loc at = h->at.loc;
    size_t from = ctlc_loc_offset(at.src, at.line, at.col);
    cJSON *loc = ctlc_lsp_location(r->s, at.src, from, from + h->at.n);
    const char *uri = cJSON_GetObjectItemCaseSensitive(loc, "uri")->valuestring;
    cJSON *edits = cJSON_GetObjectItemCaseSensitive(r->changes, uri);
    if (!edits)
        edits = ctlc_lsp_need(cJSON_AddArrayToObject(r->changes, uri));
    cJSON *edit = ctlc_lsp_need(cJSON_CreateObject());
    cJSON_AddItemToObject(edit, "range", cJSON_DetachItemFromObjectCaseSensitive(loc, "range"));
    if (h->declares && r->add_json) {
        size_t n = strlen(r->new_name) + h->at.n + 16;
        char *text = ctlc_lsp_need(malloc(n));
        snprintf(text, n, "@json(\"%.*s\") %s", (int)h->at.n, h->at.z, r->new_name);
        cJSON_AddStringToObject(edit, "newText", text);
        free(text);
    } else {
        cJSON_AddStringToObject(edit, "newText", r->new_name);
    }
    cJSON_AddItemToArray(edits, edit);
    cJSON_Delete(loc);
    return false;
}

void ctlc_lsp_rename(ctlc_lsp_server *s, const cJSON *id, ctlc_lsp_params *p)
{
    const cJSON *new_name = ctlc_lsp_member(p, p->root, "params", "newName", cJSON_String);
    if (new_name && !is_name(new_name->valuestring, strlen(new_name->valuestring)))
        snprintf(p->why, sizeof p->why, "params.newName '%.100s' is not a name: a letter or '_', then letters, digits "
                 "or '_', and not a keyword", new_name->valuestring);
    if (ctlc_lsp_refused(s, id, p))
        return;
    ctlc_lsp_doc *d;
    ctlc_lsp_hit h;
    if (!ctlc_lsp_point(s, id, p, &d, &h))
        return;
    renaming r = { s, new_name->valuestring, false, NULL };
    char buf[400];
    const char *why = refusal(s, &h, &r.add_json, buf, sizeof buf);
    ctlc_lsp_key key;
    if (!why && !ctlc_lsp_target(&h, &key))
        why = "nothing to rename here";
    if (why) {
        ctlc_rpc_error(&s->rpc, id, CTLC_LSP_REQUEST_FAILED, why);
        return;
    }
    cJSON *result = ctlc_lsp_need(cJSON_CreateObject());
    r.changes = ctlc_lsp_need(cJSON_AddObjectToObject(result, "changes"));
    ctlc_lsp_occurrences(s, d, &key, true, add_edit, &r);
    ctlc_rpc_result(&s->rpc, id, result);
}
