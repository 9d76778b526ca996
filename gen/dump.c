/* dump.c: the AST as indented text, one node a line (`ctlc dump`).
 *
 * Golden tests use it to show what the parser understood, docs and
 * annotations included; tools may read it too. Strings are written as JSON
 * strings. */
#include "ctlc.h"
#include "emit_json.h"

static void put_string(FILE *out, const char *s, size_t n)
{
    fputc('"', out);
    ctlc_json_escape(out, s, n);
    fputc('"', out);
}

static void indent(FILE *out, int depth)
{
    for (int i = 0; i < depth; i++)
        fputs("  ", out);
}

static void put_doc(FILE *out, int depth, const ctlc_doc *doc)
{
    if (!doc)
        return;
    indent(out, depth);
    fputs("doc ", out);
    put_string(out, doc->text, doc->len);
    fputc('\n', out);
}

static void put_annots(FILE *out, const ctlc_annot *an)
{
    for (; an; an = an->next) {
        fprintf(out, " @%.*s", (int)an->name.n, an->name.z);
        if (!an->has_parens)
            continue;
        fputc('(', out);
        for (const ctlc_arg *arg = an->args; arg; arg = arg->next) {
            if (arg->name.n)
                fprintf(out, "%.*s: ", (int)arg->name.n, arg->name.z);
            fprintf(out, "%.*s", (int)arg->value.n, arg->value.z);
            if (arg->next)
                fputs(", ", out);
        }
        fputc(')', out);
    }
}

static void put_type(FILE *out, const ctlc_type *t)
{
    static const char *const names[] = { "string", "int", "float", "bool", "json", "list", "map" };
    if (t->kind == CTLC_T_NAMED) {
        fprintf(out, "%.*s", (int)t->name.n, t->name.z);
        return;
    }
    fputs(names[t->kind], out);
    if (t->elem) {
        fputc('<', out);
        put_type(out, t->elem);
        fputc('>', out);
    }
}

static void put_fields(FILE *out, int depth, const ctlc_fields *fields)
{
    for (const ctlc_field *f = fields->first; f; f = f->next) {
        put_doc(out, depth, f->doc);
        indent(out, depth);
        fprintf(out, "field %.*s%s: ", (int)f->name.n, f->name.z, f->optional ? "?" : "");
        put_type(out, f->type);
        if (f->dflt)
            fprintf(out, " = %.*s", (int)f->dflt->n, f->dflt->z);
        put_annots(out, f->annots);
        fputc('\n', out);
    }
}

static void put_uses(FILE *out, const ctlc_target *t)
{
    if (t)
        fputs(" uses", out);
    for (; t; t = t->next) {
        fprintf(out, " %.*s", (int)t->controller.n, t->controller.z);
        if (t->function.n)
            fprintf(out, ".%.*s", (int)t->function.n, t->function.z);
        if (t->next)
            fputc(',', out);
    }
}

ctlc_status ctlc_dump(FILE *out, const ctlc_spec *spec)
{
    fprintf(out, "spec %s\n", spec->src->path);
    for (const ctlc_decl *d = spec->decls; d; d = d->next) {
        put_doc(out, 1, d->doc);
        indent(out, 1);
        fputs(ctlc_decl_kind_str(d->kind), out);
        if (d->kind == CTLC_D_IMPORT) {
            fputc(' ', out);
            put_string(out, d->path.s ? d->path.s : "", d->path.slen);
        } else {
            fprintf(out, " %.*s", (int)d->name.n, d->name.z);
        }
        put_uses(out, d->uses);
        put_annots(out, d->annots);
        fputc('\n', out);
        for (const ctlc_member *m = d->members; m; m = m->next) {
            put_doc(out, 2, m->doc);
            indent(out, 2);
            fprintf(out, "member %.*s", (int)m->name.n, m->name.z);
            put_annots(out, m->annots);
            fputc('\n', out);
        }
        if (d->kind == CTLC_D_STRUCT)
            put_fields(out, 2, &d->fields);
        for (const ctlc_func *f = d->funcs; f; f = f->next) {
            put_doc(out, 2, f->doc);
            indent(out, 2);
            fprintf(out, "%sfn %.*s", f->is_async ? "async " : "", (int)f->name.n, f->name.z);
            if (f->result_name.n)
                fprintf(out, " -> %.*s", (int)f->result_name.n, f->result_name.z);
            put_annots(out, f->annots);
            fputc('\n', out);
            put_fields(out, 3, &f->params);
            if (f->has_result_fields) {
                indent(out, 3);
                fputs("result\n", out);
                put_fields(out, 4, &f->result);
            }
        }
    }
    return ferror(out) ? CTLC_IO : CTLC_OK;
}
