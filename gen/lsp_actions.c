/* lsp_actions.c: code actions (textDocument/codeAction) for ctlc lsp: the
 * quick fixes the checker, parser and lexer give their messages
 * (ctlc_fix, diag.h): every "did you mean 'X'?" (a type, enum member,
 * controller, function, annotation or argument name: the name replaced by
 * X), a missing ';' at the end of a line (inserted) and a number with
 * leading zeros (written without them).
 *
 * The fixes are the document's last check's, not the client's copy of
 * its diagnostics: each diagnostic whose range meets the requested range
 * and that has a fix gives one action, kind quickfix, preferred, tied to
 * that diagnostic (the same object publishDiagnostics sent, data.fix
 * included); none when context.only asks for other kinds. */
#include <string.h>

#include "lsp.h"

typedef struct acting {
    ctlc_lsp_server *s;
    ctlc_lsp_doc *d;
    size_t from, to;        /* the requested range, in bytes */
    cJSON *list;
} acting;

static void add_action(void *user, const ctlc_diag_view *msg, const ctlc_diag_view *notes, size_t nnotes)
{
    acting *a = user;
    const ctlc_diag_fix *fix = msg->fix;
    if (!fix || !a->d->spec || msg->loc.src != a->d->spec->src || fix->loc.src != msg->loc.src)
        return;
    size_t from, to;
    ctlc_lsp_span(msg->loc, &from, &to);
    if (from > a->to || a->from > to)
        return;
    cJSON *action = ctlc_lsp_need(cJSON_CreateObject());
    cJSON_AddStringToObject(action, "title", fix->title);
    cJSON_AddStringToObject(action, "kind", "quickfix");
    cJSON *diags = ctlc_lsp_need(cJSON_AddArrayToObject(action, "diagnostics"));
    cJSON_AddItemToArray(diags, ctlc_lsp_diagnostic(a->s, a->d, msg, notes, nnotes));
    cJSON_AddBoolToObject(action, "isPreferred", true);
    cJSON *edit = ctlc_lsp_need(cJSON_AddObjectToObject(action, "edit"));
    cJSON *changes = ctlc_lsp_need(cJSON_AddObjectToObject(edit, "changes"));
    cJSON *edits = ctlc_lsp_need(cJSON_AddArrayToObject(changes, a->d->uri));
    cJSON *te = ctlc_lsp_need(cJSON_CreateObject());
    size_t at = ctlc_loc_offset(fix->loc.src, fix->loc.line, fix->loc.col);
    cJSON_AddItemToObject(te, "range", ctlc_lsp_doc_range(a->s, a->d, at, at + fix->n));
    cJSON_AddStringToObject(te, "newText", fix->text);
    cJSON_AddItemToArray(edits, te);
    cJSON_AddItemToArray(a->list, action);
}

/* True unless params.context.only asks for kinds that leave quickfix out
 * (a kind asks for itself and the kinds under it; "" for every kind). */
static bool quickfix_wanted(const cJSON *root)
{
    const cJSON *only = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "context"), "only");
    if (!cJSON_IsArray(only))
        return true;
    const cJSON *k;
    cJSON_ArrayForEach(k, only)
        if (cJSON_IsString(k) && (strcmp(k->valuestring, "") == 0 || strcmp(k->valuestring, "quickfix") == 0))
            return true;
    return false;
}

void ctlc_lsp_code_actions(ctlc_lsp_server *s, const cJSON *id, ctlc_lsp_params *p)
{
    ctlc_lsp_doc *d = ctlc_lsp_the_doc(s, p);
    const cJSON *range = ctlc_lsp_member(p, p->root, "params", "range", cJSON_Object);
    acting a = { s, d, 0, 0, NULL };
    if (d) {
        ctlc_lsp_pos_offset(s, p, d, ctlc_lsp_member(p, range, "params.range", "start", cJSON_Object),
                            "params.range.start", &a.from);
        ctlc_lsp_pos_offset(s, p, d, ctlc_lsp_member(p, range, "params.range", "end", cJSON_Object),
                            "params.range.end", &a.to);
        if (!p->why[0] && a.from > a.to)
            snprintf(p->why, sizeof p->why, "params.range ends before it starts");
    }
    if (ctlc_lsp_refused(s, id, p))
        return;
    a.list = ctlc_lsp_need(cJSON_CreateArray());
    if (d->run && quickfix_wanted(p->root))
        ctlc_diags_each(&d->run->diags, add_action, &a);
    ctlc_rpc_result(&s->rpc, id, a.list);
}
