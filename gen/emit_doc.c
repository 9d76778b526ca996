/* emit_doc.c: `ctlc doc`, a Markdown reference of a spec and its call graph.
 *
 * OUTDIR/NAME.md: clients, controllers, functions (kind, doc, deprecation,
 * payload and result tables with types, constraints and defaults, an
 * example event built from the types alone), structs and enums, and the
 * call graph as a Mermaid block. OUTDIR/NAME.dot: the same graph for
 * Graphviz. ctlc does not run Graphviz: the build renders the SVG with
 * `dot -Tsvg` when dot is installed (see the top-level CMakeLists.txt), so
 * ctlc needs nothing beyond libc. Everything is written in spec order, so
 * the output is byte-for-byte reproducible. Every text that comes from the
 * spec (names, docs, deprecation reasons, wire names, defaults, the file
 * name) is written through escape.h, so that nothing in a spec becomes
 * Markdown, HTML, DOT or Mermaid: see the rules there. */
#include <stdlib.h>
#include <string.h>

#include "ctlc.h"
#include "doc_text.h"
#include "emit_json.h"
#include "escape.h"
#include "files.h"
#include "oom.h"


typedef struct doc_emitter {
    ctlc_run *run;
    ctlc_arena *a;
    const ctlc_spec *spec;
    FILE *md;
    bool example_too_big;    /* the example being written passed its limits */
} doc_emitter;

/* An example event is the smallest valid one the constraints allow, and
 * constraints can ask for a lot: `@length(min: 100000000000)`, or a struct
 * that needs a non-empty list of itself (the checker lets that through;
 * no finite value has it). Past these limits the example is left out. */
enum { EXAMPLE_MAX_BYTES = 4096, EXAMPLE_MAX_DEPTH = 32 };

/* ---- text ------------------------------------------------------------------------------ */

static void md(FILE *out, const char *s, size_t n, ctlc_md_context ctx)
{
    ctlc_put_md(out, s, n, ctx);
}

static void md_name(FILE *out, ctlc_name nm, ctlc_md_context ctx)
{
    ctlc_put_md(out, nm.z, nm.n, ctx);
}

/* The description cell of a field or member: its deprecation, then its doc. */
static void notes_cell(FILE *out, const ctlc_traits *tr, const ctlc_doc *doc)
{
    if (tr->deprecated) {
        fputs(tr->deprecated_why ? "**Deprecated:** " : "**Deprecated.**", out);
        if (tr->deprecated_why)
            md(out, tr->deprecated_why, strlen(tr->deprecated_why), CTLC_MD_TEXT);
        if (doc)
            fputc(' ', out);
    }
    if (doc)
        md(out, doc->text, doc->len, CTLC_MD_DOC_CELL);
}

static void paragraph(FILE *out, const ctlc_doc *doc)
{
    if (doc && doc->len) {
        md(out, doc->text, doc->len, CTLC_MD_DOC);
        fputs("\n\n", out);
    }
}

static void deprecation(FILE *out, const ctlc_traits *tr)
{
    if (!tr->deprecated)
        return;
    if (tr->deprecated_why) {
        fputs("> **Deprecated:** ", out);
        md(out, tr->deprecated_why, strlen(tr->deprecated_why), CTLC_MD_TEXT);
        fputs("\n\n", out);
    } else {
        fputs("> **Deprecated.**\n\n", out);
    }
}

/* The anchor of a named type or controller, e.g. "struct-Leed". */
static const char *anchor(doc_emitter *e, const ctlc_decl *d)
{
    return ctlc_printf(e->a, "%s-%.*s", ctlc_decl_kind_str(d->kind), NAME(d->name));
}

static const ctlc_decl *innermost_named(const ctlc_type *t)
{
    while (t->kind == CTLC_T_LIST || t->kind == CTLC_T_MAP)
        t = t->elem;
    return t->kind == CTLC_T_NAMED ? t->decl : NULL;
}

static void type_cell(doc_emitter *e, const ctlc_type *t)
{
    const char *ty = ctlc_type_str(e->a, t);
    md(e->md, ty, strlen(ty), CTLC_MD_CODE_CELL);
    const ctlc_decl *d = innermost_named(t);
    if (d)
        fprintf(e->md, " ([%s](#%s))", ctlc_decl_kind_str(d->kind), anchor(e, d));
}

void ctlc_doc_literal(FILE *out, const ctlc_literal *lit, const ctlc_type *type)
{
    switch (lit->kind) {
    case CTLC_LIT_INT: fprintf(out, "%lld", (long long)lit->i); break;
    case CTLC_LIT_FLOAT: fprintf(out, "%.*s", (int)lit->n, lit->z); break;
    case CTLC_LIT_BOOL: fputs(lit->b ? "true" : "false", out); break;
    case CTLC_LIT_STRING:
        fputc('"', out);
        ctlc_json_escape(out, lit->s, lit->slen);
        fputc('"', out);
        break;
    case CTLC_LIT_IDENT:
        for (const ctlc_member *m = type->decl->members; m; m = m->next)
            if (m->name.n == lit->n && memcmp(m->name.z, lit->z, lit->n) == 0) {
                fputc('"', out);
                ctlc_json_escape(out, m->wire, m->wire_len);
                fputc('"', out);
                return;
            }
        break;
    }
}

void ctlc_doc_constraints(FILE *out, const ctlc_field *f)
{
    const ctlc_traits *tr = &f->traits;
    bool any = false;
    if (tr->has_length) {
        const char *unit = f->type->kind == CTLC_T_STRING ? "code points"
                           : f->type->kind == CTLC_T_LIST ? "items"
                                                          : "entries";
        fputs("length ", out);
        if (tr->length.has_min && tr->length.has_max && tr->length.min.i == tr->length.max.i)
            fprintf(out, "%lld", (long long)tr->length.min.i);
        else if (tr->length.has_min && tr->length.has_max)
            fprintf(out, "%lld..%lld", (long long)tr->length.min.i, (long long)tr->length.max.i);
        else if (tr->length.has_min)
            fprintf(out, "≥ %lld", (long long)tr->length.min.i);
        else
            fprintf(out, "≤ %lld", (long long)tr->length.max.i);
        fprintf(out, " %s", unit);
        any = true;
    }
    if (tr->has_range) {
        fputs(any ? "; range " : "range ", out);
        if (tr->range.has_min && tr->range.has_max)
            fprintf(out, "%.*s..%.*s", (int)tr->range.min.n, tr->range.min.z, (int)tr->range.max.n,
                    tr->range.max.z);
        else if (tr->range.has_min)
            fprintf(out, "≥ %.*s", (int)tr->range.min.n, tr->range.min.z);
        else
            fprintf(out, "≤ %.*s", (int)tr->range.max.n, tr->range.max.z);
    }
}

/* A table of fields. reader: a payload or struct (required = no `?` and no
 * default); else a result (every field without `?` is always written). */
static void fields_table(doc_emitter *e, const ctlc_fields *fs, bool reader)
{
    FILE *out = e->md;
    if (!fs->count) {
        fputs("No fields.\n\n", out);
        return;
    }
    fprintf(out, "| field | type | %s | default | constraints | description |\n", reader ? "required" : "always present");
    fputs("|---|---|---|---|---|---|\n", out);
    for (const ctlc_field *f = fs->first; f; f = f->next) {
        fputs("| ", out);
        md(out, f->wire, f->wire_len, CTLC_MD_CODE_CELL);
        if (f->traits.json) {
            fputs(" (spec name ", out);
            md_name(out, f->name, CTLC_MD_CODE_CELL);
            fputc(')', out);
        }
        fputs(" | ", out);
        type_cell(e, f->type);
        if (f->optional)
            fputs(" | no (may be null) | ", out);
        else if (reader && f->dflt)
            fputs(" | no | ", out);
        else
            fputs(" | yes | ", out);
        if (f->dflt) {
            char *lit = NULL;
            size_t lit_len = 0;
            FILE *m = ctlc_memstream(&lit, &lit_len);
            ctlc_doc_literal(m, f->dflt, f->type);
            ctlc_memstream_close(m, &lit);
            md(out, lit, lit_len, CTLC_MD_CODE_CELL);
            ctlc_text_free(&lit);
        }
        fputs(" | ", out);
        ctlc_doc_constraints(out, f);
        fputs(" | ", out);
        notes_cell(out, &f->traits, f->doc);
        fputs(" |\n", out);
    }
    fputc('\n', out);
}

/* ---- example events ---------------------------------------------------------------------- */

static void example_value(doc_emitter *e, FILE *out, const ctlc_type *t, const ctlc_field *f, int depth);

/* How many items an example list or map gets: one, within @length, none
 * once deep (a recursive struct would not end otherwise). */
static long long example_count(const ctlc_field *f, int depth)
{
    const ctlc_traits *tr = f ? &f->traits : NULL;
    long long min = tr && tr->has_length && tr->length.has_min ? tr->length.min.i : 0;
    long long max = tr && tr->has_length && tr->length.has_max ? tr->length.max.i : -1;
    long long n = depth >= 2 ? min : 1;
    if (n < min)
        n = min;
    if (max >= 0 && n > max)
        n = max;
    return n;
}

static void example_fields(doc_emitter *e, FILE *out, const ctlc_fields *fs, int depth, bool comma)
{
    for (const ctlc_field *f = fs->first; f && !e->example_too_big; f = f->next) {
        /* Optional fields are shown at the top only, to keep examples short. */
        if (f->optional && depth > 0)
            continue;
        if (comma)
            fputc(',', out);
        comma = true;
        fputc('"', out);
        ctlc_json_escape(out, f->wire, f->wire_len);
        fputs("\":", out);
        example_value(e, out, f->type, f, depth);
    }
}

static void example_value(doc_emitter *e, FILE *out, const ctlc_type *t, const ctlc_field *f, int depth)
{
    const ctlc_traits *tr = f ? &f->traits : NULL;
    if (e->example_too_big || depth > EXAMPLE_MAX_DEPTH || ftell(out) > EXAMPLE_MAX_BYTES) {
        e->example_too_big = true;
        return;
    }
    if (f && f->dflt) {
        ctlc_doc_literal(out, f->dflt, t);
        return;
    }
    switch (t->kind) {
    case CTLC_T_STRING: {
        long long n = 4;
        if (tr && tr->has_length && tr->length.has_min && tr->length.min.i > n)
            n = tr->length.min.i;
        if (tr && tr->has_length && tr->length.has_max && tr->length.max.i < n)
            n = tr->length.max.i;
        if (n > EXAMPLE_MAX_BYTES) {
            e->example_too_big = true;
            return;
        }
        fputc('"', out);
        if (n == 4)
            fputs("text", out);
        else
            for (long long i = 0; i < n; i++)
                fputc('x', out);
        fputc('"', out);
        break;
    }
    case CTLC_T_INT:
        if (tr && tr->has_range && tr->range.has_min && tr->range.min.i > 0)
            fprintf(out, "%lld", (long long)tr->range.min.i);
        else if (tr && tr->has_range && tr->range.has_max && tr->range.max.i < 0)
            fprintf(out, "%lld", (long long)tr->range.max.i);
        else
            fputs("0", out);
        break;
    case CTLC_T_FLOAT:
        if (tr && tr->has_range && tr->range.has_min && tr->range.min.f > 0)
            fprintf(out, "%.*s", (int)tr->range.min.n, tr->range.min.z);
        else if (tr && tr->has_range && tr->range.has_max && tr->range.max.f < 0)
            fprintf(out, "%.*s", (int)tr->range.max.n, tr->range.max.z);
        else
            fputs("0.0", out);
        break;
    case CTLC_T_BOOL: fputs("false", out); break;
    case CTLC_T_JSON: fputs("{}", out); break;
    case CTLC_T_LIST: {
        long long n = example_count(f, depth);
        fputc('[', out);
        for (long long i = 0; i < n && !e->example_too_big; i++) {
            if (i)
                fputc(',', out);
            example_value(e, out, t->elem, NULL, depth + 1);
        }
        fputc(']', out);
        break;
    }
    case CTLC_T_MAP: {
        long long n = example_count(f, depth);
        fputc('{', out);
        for (long long i = 0; i < n && !e->example_too_big; i++) {
            fprintf(out, "%s\"key%lld\":", i ? "," : "", i + 1);
            example_value(e, out, t->elem, NULL, depth + 1);
        }
        fputc('}', out);
        break;
    }
    case CTLC_T_NAMED:
        if (t->decl->kind == CTLC_D_ENUM) {
            fputc('"', out);
            ctlc_json_escape(out, t->decl->members->wire, t->decl->members->wire_len);
            fputc('"', out);
        } else {
            fputc('{', out);
            example_fields(e, out, &t->decl->fields, depth + 1, false);
            fputc('}', out);
        }
        break;
    }
}

static void example_event(doc_emitter *e, const ctlc_func *f)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = ctlc_memstream(&text, &len);
    fputs("{\"function\":\"", out);
    ctlc_json_escape(out, f->name.z, f->name.n);
    fputc('"', out);
    e->example_too_big = false;
    example_fields(e, out, &f->params, 0, true);
    fputc('}', out);
    ctlc_memstream_close(out, &text);
    if (e->example_too_big)
        fputs("No example event: the smallest one its constraints allow is too large to show.\n\n", e->md);
    else
        fprintf(e->md, "Example event:\n\n```json\n%s\n```\n\n", text);
    ctlc_text_free(&text);
}

/* ---- the call graph ------------------------------------------------------------------------ */

/* One arrow of the call graph: from a client or controller to a controller
 * it uses; label names the functions used (NULL: all of them), async says
 * that every one of them is async. */
typedef struct edge {
    size_t from, to;
    const char *label;
    bool async;
} edge;

typedef struct graph {
    const ctlc_decl **nodes;
    size_t n;
    edge *edges;
    size_t nedges;
    bool destinations;          /* an edge is a destination's */
} graph;

static size_t node_index(doc_emitter *e, graph *g, const ctlc_decl *d)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->nodes[i] == d)
            return i;
    const ctlc_decl **grown = ctlc_alloc(e->a, (g->n + 1) * sizeof *grown);
    if (g->n)
        memcpy(grown, g->nodes, g->n * sizeof *grown);
    grown[g->n] = d;
    g->nodes = grown;
    return g->n++;
}

/* What one edge from user to target says: the functions named (NULL when
 * the whole controller is used) and whether every one of them is async. */
static const char *edge_label(doc_emitter *e, const ctlc_decl *user, const ctlc_target *from, bool *all_async,
                              bool *first)
{
    const ctlc_decl *target = from->decl;
    const char *label = "";
    bool whole = false;
    *all_async = true;
    /* One edge per pair: only the first target naming the controller draws it. */
    *first = true;
    for (const ctlc_target *u = user->uses; u != from; u = u->next)
        if (u->decl == target)
            *first = false;
    for (const ctlc_target *t = user->uses; t; t = t->next) {
        if (t->decl != target)
            continue;
        if (!t->function.n) {
            whole = true;
            for (const ctlc_func *f = target->funcs; f; f = f->next)
                *all_async &= f->is_async;
        } else {
            label = ctlc_printf(e->a, "%s%s%.*s", label, *label ? ", " : "", NAME(t->function));
            *all_async &= t->func && t->func->is_async;
        }
    }
    if (!target->funcs && whole)
        *all_async = false;
    return whole ? NULL : label;
}

/* The nodes: the spec's clients and controllers, then the imported
 * controllers they use or send records to, in order of first use; the
 * edges: one per pair of nodes, in the order of the users' `uses`, then
 * each controller destination's (labelled with its annotation). */
static void build_graph(doc_emitter *e, graph *g)
{
    for (const ctlc_decl *d = e->spec->decls; d; d = d->next)
        if (d->kind == CTLC_D_CLIENT || d->kind == CTLC_D_CONTROLLER)
            node_index(e, g, d);
    for (const ctlc_decl *d = e->spec->decls; d; d = d->next) {
        for (const ctlc_target *t = d->uses; t; t = t->next)
            if (t->decl)
                node_index(e, g, t->decl);
        if (d->traits.on_failure.decl)
            node_index(e, g, d->traits.on_failure.decl);
        if (d->traits.on_success.decl)
            node_index(e, g, d->traits.on_success.decl);
    }
    size_t cap = 0;
    for (size_t i = 0; i < g->n; i++) {
        const ctlc_decl *d = g->nodes[i];
        for (const ctlc_target *t = d->uses; t; t = t->next) {
            bool async, first;
            const char *label = edge_label(e, d, t, &async, &first);
            if (!first || !t->decl)
                continue;
            if (g->nedges == cap) { /* the arena cannot resize: a new array, twice as long */
                cap = cap ? cap * 2 : 16;
                edge *grown = ctlc_alloc(e->a, cap * sizeof *grown);
                if (g->nedges)
                    memcpy(grown, g->edges, g->nedges * sizeof *grown);
                g->edges = grown;
            }
            g->edges[g->nedges++] = (edge){ i, node_index(e, g, t->decl), label, async };
        }
        /* A destination that is a controller: a dashed edge labelled with
         * the annotation (records travel as Event invocations). */
        const ctlc_dest *dests[2] = { &d->traits.on_failure, &d->traits.on_success };
        for (int k = 0; k < 2; k++) {
            if (dests[k]->kind != CTLC_DEST_CONTROLLER || !dests[k]->decl)
                continue;
            if (g->nedges == cap) {
                cap = cap ? cap * 2 : 16;
                edge *grown = ctlc_alloc(e->a, cap * sizeof *grown);
                if (g->nedges)
                    memcpy(grown, g->edges, g->nedges * sizeof *grown);
                g->edges = grown;
            }
            g->edges[g->nedges++] = (edge){ i, node_index(e, g, dests[k]->decl),
                                            k == 0 ? "@on_failure" : "@on_success", true };
            g->destinations = true;
        }
    }
}

static void mermaid(doc_emitter *e, graph *g)
{
    FILE *out = e->md;
    fputs("```mermaid\nflowchart LR\n", out);
    for (size_t i = 0; i < g->n; i++) {
        const ctlc_decl *d = g->nodes[i];
        fprintf(out, "  n%zu%s\"", i, d->kind == CTLC_D_CLIENT ? "([" : "[");
        ctlc_put_mermaid(out, d->name.z, d->name.n);
        fprintf(out, "\"%s\n", d->kind == CTLC_D_CLIENT ? "])" : "]");
    }
    for (size_t k = 0; k < g->nedges; k++) {
        const edge *ed = &g->edges[k];
        const char *arrow = ed->async ? "-.->" : "-->";
        if (ed->label) {
            fprintf(out, "  n%zu %s|\"", ed->from, arrow);
            ctlc_put_mermaid(out, ed->label, strlen(ed->label));
            fprintf(out, "\"| n%zu\n", ed->to);
        } else {
            fprintf(out, "  n%zu %s n%zu\n", ed->from, arrow, ed->to);
        }
    }
    fputs("```\n\n", out);
}

static void dot_string(FILE *out, const char *s, size_t n)
{
    fputc('"', out);
    ctlc_put_dot(out, s, n);
    fputc('"', out);
}

static void dot(doc_emitter *e, FILE *out, graph *g, const char *file)
{
    fprintf(out, "// Generated by ctlc %s from ", CTLC_VERSION);
    ctlc_put_dot(out, file, strlen(file));
    fputs(". DO NOT EDIT.\n", out);
    fprintf(out, "// The call graph of the spec: clients (rounded) and controllers (boxes);\n"
                 "// a dashed edge sends only async events, a label names the functions used.\n");
    if (g->destinations)
        fputs("// An edge labelled @on_failure or @on_success carries invocation records to a destination.\n", out);
    /* The title is the package name or, without one, the file's name,
     * which may hold anything. */
    const char *title = ctlc_spec_title(e->a, e->spec);
    fputs("digraph ", out);
    dot_string(out, title, strlen(title));
    fputs(" {\n", out);
    fputs("  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\", fontsize=11];\n"
          "  edge [fontname=\"Helvetica\", fontsize=10];\n",
          out);
    for (size_t i = 0; i < g->n; i++) {
        const ctlc_decl *d = g->nodes[i];
        fputs("  ", out);
        dot_string(out, d->name.z, d->name.n);
        fprintf(out, " [%slabel=\"", d->kind == CTLC_D_CLIENT ? "style=rounded, " : "");
        ctlc_put_dot(out, d->name.z, d->name.n);
        fprintf(out, "\\n(%s)\"];\n", ctlc_decl_kind_str(d->kind));
    }
    for (size_t k = 0; k < g->nedges; k++) {
        const edge *ed = &g->edges[k];
        const ctlc_decl *from = g->nodes[ed->from], *to = g->nodes[ed->to];
        fputs("  ", out);
        dot_string(out, from->name.z, from->name.n);
        fputs(" -> ", out);
        dot_string(out, to->name.z, to->name.n);
        if (ed->label || ed->async) {
            fputs(" [", out);
            if (ed->label) {
                fputs("label=", out);
                dot_string(out, ed->label, strlen(ed->label));
                fputs(ed->async ? ", " : "", out);
            }
            if (ed->async)
                fputs("style=dashed", out);
            fputc(']', out);
        }
        fputs(";\n", out);
    }
    fputs("}\n", out);
}

/* ---- the reference ----------------------------------------------------------------------- */

static void uses_line(doc_emitter *e, const ctlc_decl *d)
{
    if (!d->uses)
        return;
    fputs("Uses: ", e->md);
    for (const ctlc_target *t = d->uses; t; t = t->next) {
        const char *target = t->function.n ? ctlc_printf(e->a, "%.*s.%.*s", NAME(t->controller), NAME(t->function))
                                           : ctlc_printf(e->a, "%.*s", NAME(t->controller));
        fputs(t == d->uses ? "[" : ", [", e->md);
        md(e->md, target, strlen(target), CTLC_MD_CODE);
        fprintf(e->md, "](#%s)", t->decl ? anchor(e, t->decl) : "");
    }
    fputs(".\n\n", e->md);
}

/* A function's @idempotent: what its key is, and how long a completed key
 * is remembered. */
static void idempotency(FILE *out, const ctlc_traits *tr)
{
    if (!tr->idempotent)
        return;
    fputs("Idempotent: a delivery whose key was completed within the last ", out);
    fprintf(out, "%d second%s does not run the handler", tr->idem_expires_s, tr->idem_expires_s == 1 ? "" : "s");
    if (tr->idem_nkeys) {
        fputs(" (key: ", out);
        for (size_t i = 0; i < tr->idem_nkeys; i++) {
            fputs(i ? ", " : "", out);
            md(out, tr->idem_keys[i]->s, tr->idem_keys[i]->slen, CTLC_MD_CODE);
        }
        fputs(")", out);
    } else {
        fputs(" (key: the whole payload)", out);
    }
    fputs("; one with the same key but another payload is refused (`ctl.IdempotencyValidationError`), and one "
          "while the key is in progress is retried later (`ctl.IdempotencyInProgress`).\n\n", out);
}

static void function_section(doc_emitter *e, const ctlc_decl *c, const ctlc_func *f)
{
    FILE *out = e->md;
    const char *path = ctlc_printf(e->a, "%.*s.%.*s", NAME(c->name), NAME(f->name));
    fprintf(out, "<a id=\"function-%.*s-%.*s\"></a>\n#### ", NAME(c->name), NAME(f->name));
    md(out, path, strlen(path), CTLC_MD_CODE);
    fputs("\n\n", out);
    if (f->traits.records) {
        fputs("`@records async fn`: receives Lambda's invocation records of the controllers whose destination "
              "this controller is (`@on_failure`, `@on_success`). A record has no `\"function\"`; the event "
              "with `requestContext` and `requestPayload` at its top runs this function, which gets it as a "
              "`ctl_record`.\n\n",
              out);
        deprecation(out, &f->traits);
        paragraph(out, f->doc);
        fputs("Example record:\n\n```json\n{\"version\":\"1.0\",\"timestamp\":\"2026-01-01T00:00:00.000Z\","
              "\"requestContext\":{\"requestId\":\"c0ffee00-0000-4000-8000-000000000001\",\"functionArn\":"
              "\"arn:aws:lambda:us-east-1:123456789012:function:NAME:$LATEST\",\"condition\":\"RetriesExhausted\","
              "\"approximateInvokeCount\":3},\"requestPayload\":{\"function\":\"f\"},\"responseContext\":"
              "{\"statusCode\":200,\"executedVersion\":\"$LATEST\",\"functionError\":\"Unhandled\"},"
              "\"responsePayload\":{\"errorMessage\":\"...\",\"errorType\":\"...\"}}\n```\n\n",
              out);
        return;
    }
    if (f->is_async)
        fputs("`async fn`: sent with InvocationType `Event`; the caller does not wait, and Lambda retries a "
              "failed event (handlers should be idempotent).\n\n",
              out);
    else
        fputs("`fn`: called with InvocationType `RequestResponse`; the caller waits for the result.\n\n", out);
    deprecation(out, &f->traits);
    idempotency(out, &f->traits);
    paragraph(out, f->doc);
    fputs("Payload:\n\n", out);
    fields_table(e, &f->params, true);
    example_event(e, f);
    if (f->is_async)
        return;
    if (f->result_decl) {
        fputs("Result: [struct ", out);
        md_name(out, f->result_decl->name, CTLC_MD_CODE);
        fprintf(out, "](#%s).\n\n", anchor(e, f->result_decl));
    }
    else if (f->has_result_fields) {
        fputs("Result:\n\n", out);
        fields_table(e, &f->result, false);
    } else {
        fputs("Result: none (the response body is `null`).\n\n", out);
    }
}

static void enum_section(doc_emitter *e, const ctlc_decl *d)
{
    FILE *out = e->md;
    fputs("| member | on the wire | description |\n|---|---|---|\n", out);
    for (const ctlc_member *m = d->members; m; m = m->next) {
        char *wire = NULL;
        size_t wire_len = 0;
        FILE *w = ctlc_memstream(&wire, &wire_len);
        fputc('"', w);
        ctlc_json_escape(w, m->wire, m->wire_len);
        fputc('"', w);
        ctlc_memstream_close(w, &wire);
        fputs("| ", out);
        md_name(out, m->name, CTLC_MD_CODE_CELL);
        fputs(" | ", out);
        md(out, wire, wire_len, CTLC_MD_CODE_CELL);
        ctlc_text_free(&wire);
        fputs(" | ", out);
        notes_cell(out, &m->traits, m->doc);
        fputs(" |\n", out);
    }
    fputc('\n', out);
}

/* One destination's line: where the record goes, and the annotation. */
static void destination_item(doc_emitter *e, const ctlc_dest *d, bool failure)
{
    static const char *const what[] = { "", "", "SQS queue", "SNS topic", "EventBridge event bus", "S3 bucket" };
    FILE *out = e->md;
    fputs(failure ? "- the record of an event that failed for good goes to " : "- the record of an event that "
                                                                                "succeeded goes to ",
          out);
    const char *name = ctlc_printf(e->a, "%.*s", (int)d->len, d->name);
    if (d->kind == CTLC_DEST_CONTROLLER) {
        fputs("controller [", out);
        md(out, name, d->len, CTLC_MD_CODE);
        fprintf(out, "](#%s)", d->decl ? anchor(e, d->decl) : "");
    } else {
        fprintf(out, "%s ", what[d->kind]);
        md(out, name, d->len, CTLC_MD_CODE);
    }
    const char *annot = d->kind == CTLC_DEST_CONTROLLER
                            ? ctlc_printf(e->a, "@%s(%s)", failure ? "on_failure" : "on_success", name)
                            : ctlc_printf(e->a, "@%s(%s: \"%s\")", failure ? "on_failure" : "on_success",
                                          ctlc_dest_kind_word(d->kind), name);
    fputs(": ", out);
    md(out, annot, strlen(annot), CTLC_MD_CODE);
    fputs(failure ? ", not to the dead letters\n" : "\n", out);
}

/* A controller's async settings, when its spec states one: both, each
 * with where it comes from; and its destinations. */
static void settings_list(doc_emitter *e, const ctlc_traits *tr)
{
    FILE *out = e->md;
    bool dests = tr->on_failure.annot || tr->on_success.annot;
    if (!tr->retries && !tr->max_event_age && !dests)
        return;
    int retries = ctlc_retries(tr), age = ctlc_max_event_age(tr);
    fputs("Async delivery:\n\n", out);
    if (!tr->retries && !tr->max_event_age) {
        if (tr->on_failure.annot)
            destination_item(e, &tr->on_failure, true);
        if (tr->on_success.annot)
            destination_item(e, &tr->on_success, false);
        fputc('\n', out);
        return;
    }
    if (retries == 0)
        fputs("- a failed event is not retried (1 attempt): ", out);
    else
        fprintf(out, "- a failed event is retried %d time%s (%d attempts in all): ", retries,
                retries == 1 ? "" : "s", retries + 1);
    if (tr->retries)
        fprintf(out, "`@retries(%d)`\n", retries);
    else
        fputs("Lambda's default\n", out);
    fprintf(out, "- an event not run within %d seconds ends as failed (EventAgeExceeded): ", age);
    if (tr->max_event_age)
        fprintf(out, "`@max_event_age(%d)`\n", age);
    else
        fputs("Lambda's default (6 hours)\n", out);
    if (tr->on_failure.annot)
        destination_item(e, &tr->on_failure, true);
    if (tr->on_success.annot)
        destination_item(e, &tr->on_success, false);
    fputc('\n', out);
}

static bool has_kind(const ctlc_spec *s, ctlc_decl_kind k)
{
    for (const ctlc_decl *d = s->decls; d; d = d->next)
        if (d->kind == k)
            return true;
    return false;
}

static void markdown(doc_emitter *e, graph *g, const char *file)
{
    FILE *out = e->md;
    const ctlc_spec *s = e->spec;
    const char *title = ctlc_spec_title(e->a, s);
    fputs("# ", out);
    md(out, title, strlen(title), CTLC_MD_TEXT);
    fprintf(out, "\n\n<!-- Generated by ctlc %s from ", CTLC_VERSION);
    md(out, file, strlen(file), CTLC_MD_COMMENT);
    fputs(". DO NOT EDIT. -->\n\n", out);
    if (s->package)
        deprecation(out, &s->package->traits);
    paragraph(out, s->doc);
    fputs("An event is a JSON object: the function's name in `\"function\"`, beside the payload's fields. "
          "Unknown fields are ignored; a field marked \"may be null\" may also be left out; a field with a "
          "default takes it when left out.\n\n",
          out);

    fputs("## Call graph\n\n", out);
    if (g->n) {
        fprintf(out, "Clients are rounded, controllers square; a dotted arrow sends only async events; a label "
              "names the functions used when not the whole controller.%s\n\n",
              g->destinations ? " An arrow labelled `@on_failure` or `@on_success` carries the invocation "
                                "records of the sender's events to that destination."
                              : "");
        mermaid(e, g);
    } else {
        fputs("No clients or controllers.\n\n", out);
    }

    static const ctlc_decl_kind kinds[] = { CTLC_D_CLIENT, CTLC_D_CONTROLLER, CTLC_D_STRUCT, CTLC_D_ENUM };
    static const char *const titles[] = { "Clients", "Controllers", "Structs", "Enums" };
    for (size_t k = 0; k < 4; k++) {
        if (!has_kind(s, kinds[k]))
            continue;
        fprintf(out, "## %s\n\n", titles[k]);
        for (const ctlc_decl *d = s->decls; d; d = d->next) {
            if (d->kind != kinds[k])
                continue;
            fprintf(out, "<a id=\"%s\"></a>\n### %s ", anchor(e, d), ctlc_decl_kind_str(d->kind));
            md_name(out, d->name, CTLC_MD_CODE);
            fputs("\n\n", out);
            deprecation(out, &d->traits);
            paragraph(out, d->doc);
            if (d->kind == CTLC_D_CONTROLLER) {
                fputs("The Lambda function ", out);
                md_name(out, d->name, CTLC_MD_CODE);
                fputc('.', out);
                fputs(d->funcs ? " Functions:\n\n" : " It has no functions.\n\n", out);
                for (const ctlc_func *f = d->funcs; f; f = f->next) {
                    fputs("- [", out);
                    md_name(out, f->name, CTLC_MD_CODE);
                    fprintf(out, "](#function-%.*s-%.*s)%s%s\n", NAME(d->name), NAME(f->name),
                            f->traits.records ? " (async, receives records)" : f->is_async ? " (async)" : "",
                            f->traits.deprecated ? " (deprecated)" : "");
                }
                if (d->funcs)
                    fputc('\n', out);
                settings_list(e, &d->traits);
            }
            uses_line(e, d);
            if (d->kind == CTLC_D_CONTROLLER)
                for (const ctlc_func *f = d->funcs; f; f = f->next)
                    function_section(e, d, f);
            else if (d->kind == CTLC_D_STRUCT)
                fields_table(e, &d->fields, true);
            else if (d->kind == CTLC_D_ENUM)
                enum_section(e, d);
        }
    }
}

static ctlc_status emit_doc(ctlc_run *run, const ctlc_spec *spec, const char *outdir)
{
    doc_emitter e = { run, run->arena, spec, NULL, false };
    const char *stem = ctlc_spec_stem(run->arena, spec);
    const char *slash = strrchr(spec->src->path, '/');
    const char *file = slash ? slash + 1 : spec->src->path;
    graph g = { 0 };
    build_graph(&e, &g);

    char *md = NULL, *dt = NULL;
    size_t md_len = 0, dt_len = 0;
    e.md = ctlc_memstream(&md, &md_len);
    FILE *d = ctlc_memstream(&dt, &dt_len);
    markdown(&e, &g, file);
    dot(&e, d, &g, file);
    ctlc_memstream_close(e.md, &md);
    ctlc_memstream_close(d, &dt);
    int rc = ctlc_write_file(run, ctlc_printf(run->arena, "%s/%s.md", outdir, stem), md, md_len);
    rc |= ctlc_write_file(run, ctlc_printf(run->arena, "%s/%s.dot", outdir, stem), dt, dt_len);
    ctlc_text_free(&md);
    ctlc_text_free(&dt);
    return rc ? CTLC_IO : CTLC_OK;
}

ctlc_status ctlc_emit_doc(ctlc_run *run, const ctlc_spec *spec, const char *outdir)
{
    CTLC_GUARDED(run, emit_doc(run, spec, outdir));
}
