/* lsp_hover.c: hover (the Markdown of what is at a place: its doc
 * comment, type, wire name, constraints, default and C names) and go to
 * definition, for ctlc lsp; see lsp.h. */
#include <stdio.h>
#include <string.h>

#include "doc_text.h"
#include "escape.h"
#include "lsp.h"
#include "names.h"

/* ---- hover ------------------------------------------------------------------------------------ */

typedef struct cnames_of {
    FILE *out;
    const ctlc_decl *decl;
    const ctlc_func *func;
    const ctlc_member *member;
    ctlc_arena *a;
    bool any;
} cnames_of;

static void put_code(FILE *out, const char *s)
{
    ctlc_put_md(out, s, strlen(s), CTLC_MD_CODE);
}

static void one_cname(void *user, const ctlc_cname *n)
{
    cnames_of *c = user;
    if (n->decl != c->decl || n->func != c->func || n->member != c->member)
        return;
    if (n->role == CTLC_R_LIST || n->role == CTLC_R_MAP || n->role == CTLC_R_MAP_ENTRY ||
        ((n->role == CTLC_R_READER || n->role == CTLC_R_WRITER) && n->of != CTLC_R_STRUCT && n->of != CTLC_R_ENUM &&
         n->of != CTLC_R_ARGS && n->of != CTLC_R_RESULT))
        return; /* containers belong to the types they hold, not here */
    fputs(c->any ? "\n- " : "\n\n**C names**\n\n- ", c->out);
    put_code(c->out, n->name);
    fputs(": ", c->out);
    const char *what = ctlc_cname_describe(c->a, n);
    ctlc_put_md(c->out, what, strlen(what), CTLC_MD_TEXT);
    c->any = true;
}

static void put_doc(FILE *out, const ctlc_traits *tr, const ctlc_doc *doc)
{
    if (tr && tr->deprecated) {
        fputs("\n\n**Deprecated", out);
        if (tr->deprecated_why) {
            fputs(":** ", out);
            ctlc_put_md(out, tr->deprecated_why, strlen(tr->deprecated_why), CTLC_MD_TEXT);
        } else {
            fputs(".**", out);
        }
    }
    if (doc && doc->len) {
        fputs("\n\n", out);
        ctlc_put_md(out, doc->text, doc->len, CTLC_MD_DOC);
    }
}

/* True when the default of fl can be spelled: an enum member's needs its
 * enum resolved (a spec with errors may not have it). */
static bool default_resolved(const ctlc_field *fl)
{
    if (fl->dflt->kind != CTLC_LIT_IDENT)
        return true;
    return fl->type->kind == CTLC_T_NAMED && fl->type->decl && fl->type->decl->kind == CTLC_D_ENUM;
}

/* A field's hover. checked: its spec checked without errors, so that the
 * checker's findings (wire name, constraints, C names) are all there. */
static void put_field(ctlc_arena *a, FILE *out, const ctlc_field *fl, bool checked)
{
    const char *type = fl->type ? ctlc_type_str(a, fl->type) : "?"; /* the parser always gives one; a guard */
    char *sig = ctlc_printf(a, "%.*s%s: %s", (int)fl->name.n, fl->name.z, fl->optional ? "?" : "", type);
    fputs("```ctl\n", out);
    fputs(sig, out);
    fputs("\n```", out);
    put_doc(out, &fl->traits, fl->doc);
    fputs("\n\n- type: ", out);
    put_code(out, type);
    if (fl->wire) {
        fputs("\n- wire name: ", out);
        ctlc_put_md(out, fl->wire, fl->wire_len, CTLC_MD_CODE);
    }
    if (!checked)
        return;
    if (fl->dflt && default_resolved(fl)) {
        char *lit = NULL;
        size_t n = 0;
        FILE *m = ctlc_memstream(&lit, &n);
        ctlc_doc_literal(m, fl->dflt, fl->type);
        ctlc_memstream_close(m, &lit);
        fputs("\n- default: ", out);
        ctlc_put_md(out, lit, n, CTLC_MD_CODE);
        ctlc_text_free(&lit);
    }
    char *cons = NULL;
    size_t n = 0;
    FILE *m = ctlc_memstream(&cons, &n);
    ctlc_doc_constraints(m, fl);
    ctlc_memstream_close(m, &cons);
    if (n) {
        fputs("\n- constraints: ", out);
        ctlc_put_md(out, cons, n, CTLC_MD_TEXT);
    }
    ctlc_text_free(&cons);
    fputs("\n- C member: ", out);
    put_code(out, ctlc_cname_field(a, fl));
    const char *flag = ctlc_cname_field_flag(a, fl);
    if (flag) {
        fputs(" (present when ", out);
        put_code(out, flag);
        fputs(" is true)", out);
    }
}

void ctlc_lsp_hover_text(ctlc_arena *a, FILE *out, const ctlc_lsp_hit *h, bool checked)
{
    cnames_of c = { out, NULL, NULL, NULL, a, false };
    const ctlc_spec *spec = NULL;
    if (h->imported) {
        /* A code span, not a fence: the path as written may hold backticks. */
        fputs("import ", out);
        ctlc_put_md(out, h->import_path->z, h->import_path->n, CTLC_MD_CODE);
        fputs("\n\n", out);
        ctlc_put_md(out, h->imported->src->path, strlen(h->imported->src->path), CTLC_MD_CODE);
        put_doc(out, NULL, h->imported->doc);
        return;
    }
    if (h->field) {
        put_field(a, out, h->field, checked);
        return;
    }
    if (h->member) {
        fprintf(out, "```ctl\n%.*s (member of enum %.*s)\n```", (int)h->member->name.n, h->member->name.z,
                (int)h->owner->name.n, h->owner->name.z);
        put_doc(out, &h->member->traits, h->member->doc);
        if (h->member->wire) {
            fputs("\n\n- wire name: ", out);
            ctlc_put_md(out, h->member->wire, h->member->wire_len, CTLC_MD_CODE);
        }
        c.decl = h->owner;
        c.member = h->member;
        spec = h->owner->spec;
    } else if (h->func) {
        fprintf(out, "```ctl\n%s %.*s.%.*s\n```", h->func->is_async ? "async fn" : "fn", (int)h->decl->name.n,
                h->decl->name.z, (int)h->func->name.n, h->func->name.z);
        put_doc(out, &h->func->traits, h->func->doc);
        c.decl = h->decl;
        c.func = h->func;
        spec = h->decl->spec;
    } else if (h->decl) {
        fprintf(out, "```ctl\n%s %.*s\n```", ctlc_decl_kind_str(h->decl->kind), (int)h->decl->name.n, h->decl->name.z);
        put_doc(out, &h->decl->traits, h->decl->doc);
        if (h->decl->traits.json) {
            fputs("\n\n- wire name: ", out);
            ctlc_put_md(out, h->decl->traits.json, h->decl->traits.json_len, CTLC_MD_CODE);
        }
        c.decl = h->decl;
        spec = h->decl->spec;
    }
    if (spec && checked)
        ctlc_cnames_each(a, spec, one_cname, &c);
}

/* ---- requests ---------------------------------------------------------------------------------- */

void ctlc_lsp_hover(ctlc_lsp_server *s, const cJSON *id, ctlc_lsp_params *p)
{
    ctlc_lsp_doc *d;
    ctlc_lsp_hit h;
    if (!ctlc_lsp_point(s, id, p, &d, &h))
        return;
    char *text = NULL;
    size_t len = 0;
    FILE *out = ctlc_memstream(&text, &len);
    ctlc_lsp_hover_text(d->run->arena, out, &h, d->run->diags.errors == 0 && !d->run->nomem);
    ctlc_memstream_close(out, &text);
    cJSON *result = ctlc_lsp_need(cJSON_CreateObject());
    cJSON *contents = ctlc_lsp_need(cJSON_AddObjectToObject(result, "contents"));
    cJSON_AddStringToObject(contents, "kind", "markdown");
    cJSON_AddStringToObject(contents, "value", text);
    ctlc_loc where = h.import_path ? h.import_path->loc : h.at.loc; /* an import's hit has no name */
    size_t at = ctlc_loc_offset(where.src, where.line, where.col);
    size_t n = h.import_path ? h.import_path->n : h.at.n;
    cJSON_AddItemToObject(result, "range", ctlc_lsp_doc_range(s, d, at, at + n));
    ctlc_text_free(&text);
    ctlc_rpc_result(&s->rpc, id, result);
}

void ctlc_lsp_definition(ctlc_lsp_server *s, const cJSON *id, ctlc_lsp_params *p)
{
    ctlc_lsp_doc *d;
    ctlc_lsp_hit h;
    if (!ctlc_lsp_point(s, id, p, &d, &h))
        return;
    ctlc_name target = h.at;
    if (h.imported) {
        ctlc_rpc_result(&s->rpc, id, ctlc_lsp_location(s, h.imported->src, 0, 0));
        return;
    }
    if (h.field)
        target = h.field->name;
    else if (h.member)
        target = h.member->name;
    else if (h.func)
        target = h.func->name;
    else if (h.decl)
        target = h.decl->name;
    size_t at = ctlc_loc_offset(target.loc.src, target.loc.line, target.loc.col);
    ctlc_rpc_result(&s->rpc, id, ctlc_lsp_location(s, target.loc.src, at, at + target.n));
}
