/* emit_c.c: `ctlc c`, the C code of checked specs: what a program gets (the
 * plan: --host, --client), the text helpers the parts share, and the files.
 *
 * For NAME.ctl it writes NAME.ctl.h (emit_c_header.c) and NAME.ctl.c
 * (emit_c_source.c), and with --scaffold NAME_handlers.c
 * (emit_c_scaffold.c). Every global name comes from names.h; the output is
 * the same bytes for the same input. */
#include <stdlib.h>
#include <string.h>

#include "emit_c.h"
#include "oom.h"
#include "escape.h"
#include "names.h"
#include "suggest.h"


/* ---- the plan --------------------------------------------------------------------- */

bool ctlc_c_hosted(const ctlc_cgen *g, const ctlc_decl *ctrl)
{
    if (g->plan->all)
        return true;
    for (size_t i = 0; i < g->plan->nhosted; i++)
        if (g->plan->hosted[i] == ctrl)
            return true;
    return false;
}

bool ctlc_c_stubbed(const ctlc_cgen *g, const ctlc_decl *ctrl, const ctlc_func *f)
{
    if (f->traits.records)
        return false; /* records are sent by the runtime, never by a stub */
    if (g->plan->all)
        return true;
    for (size_t i = 0; i < g->plan->nstubs; i++)
        if (g->plan->stubs[i].ctrl == ctrl && (!g->plan->stubs[i].func || g->plan->stubs[i].func == f))
            return true;
    return false;
}

bool ctlc_c_emitted(const ctlc_cgen *g, const ctlc_decl *ctrl)
{
    if (ctlc_c_hosted(g, ctrl))
        return true;
    for (const ctlc_func *f = ctrl->funcs; f; f = f->next)
        if (ctlc_c_stubbed(g, ctrl, f))
            return true;
    return false;
}

bool ctlc_c_has_args_reader(const ctlc_cgen *g, const ctlc_decl *ctrl, const ctlc_func *f)
{
    return f->params.first && !f->traits.records && ctlc_c_hosted(g, ctrl);
}

bool ctlc_c_has_args_writer(const ctlc_cgen *g, const ctlc_decl *ctrl, const ctlc_func *f)
{
    return f->params.first && ctlc_c_stubbed(g, ctrl, f);
}

bool ctlc_c_has_result_reader(const ctlc_cgen *g, const ctlc_decl *ctrl, const ctlc_func *f)
{
    return f->has_result_fields && f->result.first && !f->is_async && ctlc_c_stubbed(g, ctrl, f);
}

bool ctlc_c_has_result_writer(const ctlc_cgen *g, const ctlc_decl *ctrl, const ctlc_func *f)
{
    return f->has_result_fields && f->result.first && ctlc_c_hosted(g, ctrl);
}

/* "photos.ctl has no controller 'x'", then tail. */
static void no_such(ctlc_run *run, const ctlc_spec *const *roots, size_t nroots, const char *kind, const char *name,
                    const char *tail)
{
    if (nroots == 1)
        ctlc_error(&run->diags, (ctlc_loc){ 0 }, "%s has no %s '%s'%s", roots[0]->src->path, kind, name, tail);
    else
        ctlc_error(&run->diags, (ctlc_loc){ 0 }, "no spec given has a %s '%s'%s", kind, name, tail);
}

/* Finds the controller (want_client false) or client named name among every
 * loaded spec; reports what it finds instead, with a suggestion. */
static const ctlc_decl *find_decl(ctlc_run *run, const ctlc_spec *const *roots, size_t nroots, const char *name,
                                  bool want_client)
{
    const char *kind = want_client ? "client" : "controller";
    if (!*name) {
        ctlc_error(&run->diags, (ctlc_loc){ 0 }, "an empty %s name (%s)", kind,
                   want_client ? "--client \"\", or CLIENT \"\" in CMake" : "--host \"\", or CONTROLLERS \"\" in CMake");
        return NULL;
    }
    ctlc_decl_kind want = want_client ? CTLC_D_CLIENT : CTLC_D_CONTROLLER;
    ctlc_suggest sg;
    ctlc_suggest_init(&sg, name, strlen(name));
    const ctlc_decl *other = NULL;
    for (const ctlc_spec *s = run->specs; s; s = s->next)
        for (const ctlc_decl *d = s->decls; d; d = d->next) {
            if (d->kind != CTLC_D_CLIENT && d->kind != CTLC_D_CONTROLLER)
                continue;
            if (ctlc_name_is(d->name, name)) {
                if (d->kind == want)
                    return d;
                other = d;
            } else if (d->kind == want) {
                ctlc_suggest_add(&sg, d->name.z, d->name.n);
            }
        }
    const char *tail = "";
    if (other)
        tail = want_client ? "; it is a controller (host it with --host, or CONTROLLERS in CMake)"
                           : "; it is a client (generate its stubs with --client, or CLIENT in CMake)";
    else if (sg.best)
        tail = ctlc_printf(run->arena, "; did you mean '%.*s'?", (int)sg.best_n, sg.best);
    no_such(run, roots, nroots, kind, name, tail);
    return NULL;
}

/* Adds the targets of d's `uses` to the plan's stubs. */
static void add_uses(ctlc_arena *a, ctlc_c_plan *plan, const ctlc_decl *d, size_t *cap)
{
    for (const ctlc_target *t = d->uses; t; t = t->next) {
        if (!t->decl)
            continue;
        if (plan->nstubs == *cap) {
            size_t ncap = *cap ? *cap * 2 : 16;
            ctlc_c_stub *grown = ctlc_alloc(a, ncap * sizeof *grown);
            if (plan->nstubs)
                memcpy(grown, plan->stubs, plan->nstubs * sizeof *grown);
            plan->stubs = grown;
            *cap = ncap;
        }
        plan->stubs[plan->nstubs++] = (ctlc_c_stub){ t->decl, t->func };
    }
}

/* What the options ask for, checked against the specs. Returns 0, or -1
 * after saying what is wrong. */
static int make_plan(ctlc_run *run, const ctlc_spec *const *roots, size_t nroots, const ctlc_emit_c_options *opt,
                     ctlc_c_plan *plan)
{
    memset(plan, 0, sizeof *plan);
    if (!opt->hosts && !opt->client) {
        plan->all = true;
        return 0;
    }
    if (opt->hosts && opt->nhosts == 0) {
        ctlc_error(&run->diags, (ctlc_loc){ 0 }, "an empty controller name (--host \"\", or CONTROLLERS \"\" in "
                                                 "CMake); leave it out to host every controller");
        return -1;
    }
    size_t cap = 0;
    int rc = 0;
    plan->hosted = ctlc_alloc(run->arena, (opt->nhosts + 1) * sizeof *plan->hosted);
    for (size_t i = 0; i < opt->nhosts; i++) {
        const ctlc_decl *d = find_decl(run, roots, nroots, opt->hosts[i], false);
        if (!d) {
            rc = -1;
            continue;
        }
        plan->hosted[plan->nhosted++] = d;
        add_uses(run->arena, plan, d, &cap);
    }
    if (opt->client) {
        const ctlc_decl *d = find_decl(run, roots, nroots, opt->client, true);
        if (d)
            add_uses(run->arena, plan, d, &cap);
        else
            rc = -1;
    }
    return rc;
}

/* ---- names and types ----------------------------------------------------------------- */

bool ctlc_c_is_struct(const ctlc_type *t)
{
    return t->kind == CTLC_T_NAMED && t->decl->kind == CTLC_D_STRUCT;
}

const char *ctlc_c_codec_type(ctlc_cgen *g, const ctlc_type *t)
{
    if (t->kind == CTLC_T_NAMED)
        return ctlc_cname_type(g->a, t->decl);
    return ctlc_cname_container(g->a, g->spec, t);
}

const char *ctlc_c_type(ctlc_cgen *g, const ctlc_type *t)
{
    switch (t->kind) {
    case CTLC_T_STRING: return "const char *";
    case CTLC_T_INT: return "int64_t ";
    case CTLC_T_FLOAT: return "double ";
    case CTLC_T_BOOL: return "bool ";
    case CTLC_T_JSON: return "cJSON *";
    case CTLC_T_LIST:
    case CTLC_T_MAP:
    case CTLC_T_NAMED: return ctlc_printf(g->a, "%s ", ctlc_c_codec_type(g, t));
    }
    return "?";
}

const char *ctlc_c_result_type(ctlc_cgen *g, const ctlc_decl *ctrl, const ctlc_func *f)
{
    if (f->has_result_fields)
        return ctlc_cname_func(g->a, ctrl, f, CTLC_R_RESULT);
    if (f->result_decl)
        return ctlc_cname_type(g->a, f->result_decl);
    return NULL;
}

/* ---- text ------------------------------------------------------------------------------ */

const char *ctlc_c_string(ctlc_cgen *g, const char *s, size_t n)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = ctlc_memstream(&text, &len);
    ctlc_put_c_string(f, s, n);
    ctlc_memstream_close(f, &text);
    const char *copy = ctlc_strndup(g->a, text, len);
    ctlc_text_free(&text);
    return copy;
}

const char *ctlc_c_comment_text(ctlc_cgen *g, const char *s, size_t n)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = ctlc_memstream(&text, &len);
    ctlc_put_c_comment(f, s, n, " ");
    ctlc_memstream_close(f, &text);
    const char *copy = ctlc_strndup(g->a, text, len);
    ctlc_text_free(&text);
    return copy;
}

const char *ctlc_c_json_string(ctlc_cgen *g, const char *s, size_t n)
{
    char *out = ctlc_alloc(g->a, n * 6 + 3);
    size_t k = 0;
    out[k++] = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\') {
            out[k++] = '\\';
            out[k++] = (char)ch;
        } else if (ch < 0x20) {
            k += (size_t)snprintf(out + k, 7, "\\u%04x", ch);
        } else {
            out[k++] = (char)ch;
        }
    }
    out[k++] = '"';
    out[k] = '\0';
    return out;
}

void ctlc_c_comment(ctlc_cgen *g, const char *indent, const char *text)
{
    FILE *f = g->out;
    size_t width = strlen(indent);
    if (width + strlen(text) + 6 <= CTLC_C_COLUMNS) {
        fprintf(f, "%s/* %s */\n", indent, text);
        return;
    }
    fprintf(f, "%s/*", indent);
    size_t col = width + 2;
    const char *p = text;
    bool first = true;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *end = p;
        while (*end && *end != ' ')
            end++;
        size_t wlen = (size_t)(end - p);
        if (!wlen)
            break;
        if (!first && col + 1 + wlen > CTLC_C_COLUMNS - 3) {
            fprintf(f, "\n%s *", indent);
            col = width + 2;
        }
        fprintf(f, " %.*s", (int)wlen, p);
        col += 1 + wlen;
        first = false;
        p = end;
    }
    fputs(" */\n", f);
}

/* One line of spec text inside a comment, escaped. */
static void comment_line(FILE *f, const char *s, size_t n)
{
    ctlc_put_c_comment(f, s, n, " ");
}

/* The lines of text, each as "INDENT * LINE" (no trailing blank). */
static void comment_lines(FILE *f, const char *indent, const char *text, const char *lead)
{
    const char *p = text;
    bool first = true;
    for (;;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        fprintf(f, "%s *", indent);
        if (first && lead)
            fprintf(f, " %s", lead);
        if (len)
            fputc(' ', f);
        comment_line(f, p, len);
        fputc('\n', f);
        first = false;
        if (!nl)
            break;
        p = nl + 1;
    }
}

void ctlc_c_doc(ctlc_cgen *g, const char *indent, const ctlc_doc *doc, const ctlc_traits *tr)
{
    FILE *f = g->out;
    bool deprecated = tr && tr->deprecated;
    if (!doc && !deprecated)
        return;
    if (doc && !deprecated && !strchr(doc->text, '\n')) {
        size_t len = strlen(doc->text);
        while (len && (doc->text[len - 1] == ' ' || doc->text[len - 1] == '\t'))
            len--;
        fprintf(f, "%s/** ", indent);
        comment_line(f, doc->text, len);
        fputs(" */\n", f);
        return;
    }
    fprintf(f, "%s/**\n", indent);
    if (doc)
        comment_lines(f, indent, doc->text, NULL);
    if (deprecated) {
        if (tr->deprecated_why)
            comment_lines(f, indent, tr->deprecated_why, "@deprecated");
        else
            fprintf(f, "%s * @deprecated\n", indent);
    }
    fprintf(f, "%s */\n", indent);
}

const char *ctlc_c_deprecated(ctlc_cgen *g, const ctlc_traits *tr)
{
    if (!tr->deprecated)
        return "";
    const char *why = tr->deprecated_why ? tr->deprecated_why : "deprecated in the spec";
    return ctlc_printf(g->a, " CTL_DEPRECATED(%s)", ctlc_c_string(g, why, strlen(why)));
}

void ctlc_c_list(ctlc_cgen *g, const char *indent, const char *head, const char *const *items, size_t n,
                 const char *tail)
{
    FILE *f = g->out;
    size_t total = strlen(indent) + strlen(head) + strlen(tail);
    for (size_t i = 0; i < n; i++)
        total += strlen(items[i]) + (i ? 2 : 0);
    if (total <= CTLC_C_COLUMNS) {
        fprintf(f, "%s%s", indent, head);
        for (size_t i = 0; i < n; i++)
            fprintf(f, "%s%s", i ? ", " : "", items[i]);
        fprintf(f, "%s\n", tail);
        return;
    }
    /* Line up after head if every piece fits there, else indent by 8. */
    size_t align = strlen(indent) + strlen(head), longest = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(items[i]) + (i + 1 < n ? 1 : strlen(tail));
        if (len > longest)
            longest = len;
    }
    /* Far to the right, lined-up pieces would take a line each. */
    bool hang = align + longest > CTLC_C_COLUMNS || align > 64;
    if (hang)
        align = strlen(indent) + 8;
    fprintf(f, "%s%s", indent, head);
    size_t col = strlen(indent) + strlen(head);
    if (hang) {
        fprintf(f, "\n%*s", (int)align, "");
        col = align;
    }
    for (size_t i = 0; i < n; i++) {
        const char *end = i + 1 < n ? "," : tail;
        size_t len = strlen(items[i]) + strlen(end);
        if (i > 0) {
            if (col + 1 + len > CTLC_C_COLUMNS) {
                fprintf(f, "\n%*s", (int)align, "");
                col = align;
            } else {
                fputc(' ', f);
                col++;
            }
        }
        fprintf(f, "%s%s", items[i], end);
        col += len;
    }
    fputc('\n', f);
}

void ctlc_c_section(ctlc_cgen *g, const ctlc_decl *ctrl)
{
    fprintf(g->out, "/* ---- controller %.*s ", NAME(ctrl->name));
    for (int i = (int)ctrl->name.n; i < 60; i++)
        fputc('-', g->out);
    fputs(" */\n\n", g->out);
}

/* ---- files ------------------------------------------------------------------------------- */

static const char *file_name(const ctlc_spec *spec)
{
    const char *slash = strrchr(spec->src->path, '/');
    return slash ? slash + 1 : spec->src->path;
}

/* Writes one file made by part, at OUTDIR/name. */
static int write_part(ctlc_cgen *g, void (*part)(ctlc_cgen *), const char *path)
{
    char *text = NULL;
    size_t len = 0;
    g->out = ctlc_memstream(&text, &len);
    part(g);
    ctlc_memstream_close(g->out, &text);
    g->out = NULL;
    int rc = ctlc_write_file(g->run, path, text, len);
    ctlc_text_free(&text);
    return rc;
}

/* A generated header includes NAME.ctl.h of the spec's imports, and the
 * scaffold its own: a name that cannot be #included is an error. */
static int check_file_name(ctlc_run *run, const ctlc_spec *spec)
{
    const char *base = file_name(spec);
    if (strpbrk(base, "\"\\\n\r") || strstr(base, "?\?")) {
        ctlc_error(&run->diags, (ctlc_loc){ 0 },
                   "'%s': a spec whose file name holds '\"', '\\', '?\?' (a trigraph) or a line break cannot be "
                   "#included as C; rename it",
                   spec->src->path);
        return -1;
    }
    return 0;
}

static void init_gen(ctlc_cgen *g, ctlc_run *run, const ctlc_spec *spec, const ctlc_c_plan *plan)
{
    memset(g, 0, sizeof *g);
    g->run = run;
    g->a = run->arena;
    g->spec = spec;
    g->plan = plan;
    g->base = file_name(spec);
}

static ctlc_status emit_spec(ctlc_run *run, const ctlc_spec *spec, const ctlc_c_plan *plan, const char *outdir)
{
    if (check_file_name(run, spec) != 0)
        return CTLC_INVALID;
    for (const ctlc_decl *d = spec->decls; d; d = d->next)
        if (d->kind == CTLC_D_IMPORT && d->imported && check_file_name(run, d->imported) != 0)
            return CTLC_INVALID;
    ctlc_cgen g;
    init_gen(&g, run, spec, plan);
    int rc = write_part(&g, ctlc_c_header, ctlc_printf(run->arena, "%s/%s.h", outdir, g.base));
    if (rc == 0)
        rc = write_part(&g, ctlc_c_source, ctlc_printf(run->arena, "%s/%s.c", outdir, g.base));
    return rc ? CTLC_IO : CTLC_OK;
}

static ctlc_status emit_c(ctlc_run *run, const ctlc_spec *spec, const ctlc_emit_c_options *opt)
{
    ctlc_c_plan plan;
    if (make_plan(run, &spec, 1, opt, &plan) != 0)
        return CTLC_INVALID;
    return emit_spec(run, spec, &plan, opt->outdir);
}

ctlc_status ctlc_emit_c(ctlc_run *run, const ctlc_spec *spec, const ctlc_emit_c_options *opt)
{
    CTLC_GUARDED(run, emit_c(run, spec, opt));
}

static ctlc_status emit_scaffold(ctlc_run *run, const ctlc_spec *spec, const ctlc_emit_c_options *opt)
{
    ctlc_c_plan plan;
    if (make_plan(run, &spec, 1, opt, &plan) != 0 || check_file_name(run, spec) != 0)
        return CTLC_INVALID;
    ctlc_cgen g;
    init_gen(&g, run, spec, &plan);
    bool any = false;
    for (const ctlc_decl *d = spec->decls; d; d = d->next)
        any = any || (d->kind == CTLC_D_CONTROLLER && ctlc_c_hosted(&g, d));
    if (!any) {
        ctlc_error(&run->diags, (ctlc_loc){ 0 }, "%s hosts no controller; nothing to scaffold", g.base);
        return CTLC_INVALID;
    }
    const char *stem = ctlc_spec_stem(run->arena, spec);
    const char *path = ctlc_printf(run->arena, "%s/%s_handlers.c", opt->outdir, stem);
    FILE *exists = fopen(path, "r");
    if (exists) {
        fclose(exists);
        ctlc_error(&run->diags, (ctlc_loc){ 0 }, "'%s' exists; the scaffold never overwrites a file", path);
        return CTLC_IO;
    }
    return write_part(&g, ctlc_c_scaffold, path) ? CTLC_IO : CTLC_OK;
}

ctlc_status ctlc_emit_scaffold(ctlc_run *run, const ctlc_spec *spec, const ctlc_emit_c_options *opt)
{
    CTLC_GUARDED(run, emit_scaffold(run, spec, opt));
}

/* Make-style dependencies of a generated header: every spec loaded. */
static int write_depfile(ctlc_run *run, const char *path, const char *target)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = ctlc_memstream(&text, &len);
    fprintf(f, "%s:", target);
    for (const ctlc_spec *s = run->specs; s; s = s->next) {
        fputs(" \\\n  ", f);
        for (const char *p = s->canon; *p; p++) {
            if (*p == ' ' || *p == '#' || *p == '\\')
                fputc('\\', f);
            if (*p == '$')
                fputc('$', f);
            fputc(*p, f);
        }
    }
    fputc('\n', f);
    ctlc_memstream_close(f, &text);
    int rc = ctlc_write_file(run, path, text, len);
    ctlc_text_free(&text);
    return rc;
}

static ctlc_status emit_c_all(ctlc_run *run, ctlc_spec *const *roots, size_t nroots, const ctlc_emit_c_options *opt)
{
    /* Generated files are named after the spec's file name alone. */
    for (size_t i = 0; i < nroots; i++)
        for (size_t k = 0; k < i; k++) {
            const char *a = file_name(roots[i]), *b = file_name(roots[k]);
            if (roots[i] != roots[k] && strcmp(a, b) == 0) {
                ctlc_error(&run->diags, (ctlc_loc){ 0 }, "'%s' and '%s' would both generate %s.h; rename one",
                           roots[k]->src->path, roots[i]->src->path, a);
                return CTLC_INVALID;
            }
        }
    ctlc_c_plan plan;
    if (make_plan(run, (const ctlc_spec *const *)roots, nroots, opt, &plan) != 0)
        return CTLC_INVALID;
    for (size_t i = 0; i < nroots; i++) {
        bool again = false;
        for (size_t k = 0; k < i; k++)
            again = again || roots[k] == roots[i];
        ctlc_status status = again ? CTLC_OK : emit_spec(run, roots[i], &plan, opt->outdir);
        if (status != CTLC_OK)
            return status;
    }
    if (opt->depfile && nroots) {
        const char *target = ctlc_printf(run->arena, "%s/%s.h", opt->outdir, file_name(roots[0]));
        if (write_depfile(run, opt->depfile, target) != 0)
            return CTLC_IO;
    }
    return CTLC_OK;
}

ctlc_status ctlc_emit_c_all(ctlc_run *run, ctlc_spec *const *roots, size_t nroots, const ctlc_emit_c_options *opt)
{
    CTLC_GUARDED(run, emit_c_all(run, roots, nroots, opt));
}
