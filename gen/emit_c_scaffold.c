/* emit_c_scaffold.c: NAME_handlers.c, a starter for a new helper: one
 * handler per function of the hosted controllers, each failing with
 * NotImplemented until it is written (a handler that returned a zeroed
 * result would break its own contract, or pass for done), and a main. */
#include <string.h>

#include "emit_c.h"
#include "names.h"


void ctlc_c_scaffold(ctlc_cgen *g)
{
    FILE *c = g->out;
    const char *stem = ctlc_spec_stem(g->a, g->spec);
    fprintf(c, "/* %s_handlers.c: the handlers of %s (started by ctlc c --scaffold).\n",
            ctlc_c_comment_text(g, stem, strlen(stem)), ctlc_c_comment_text(g, g->base, strlen(g->base)));
    fputs(" *\n * Build it with ctl_generate(TARGET ... SPECS ...) in CMake. Each handler gets typed\n"
          " * arguments valid for the call; fill *result (zeroed) and return 0, or\n"
          " * return ctl_fail(ctx, \"Your.ErrorType\", \"what went wrong\"). */\n",
          c);
    fprintf(c, "#include \"%s.h\"\n\n", g->base);
    /* A handler must take the result type its function names, deprecated
     * or not: a warning there would be noise nobody can act on. */
    bool deprecated_result = false;
    for (const ctlc_decl *d = g->spec->decls; d; d = d->next)
        for (const ctlc_func *f = d->funcs; f && d->kind == CTLC_D_CONTROLLER && ctlc_c_hosted(g, d); f = f->next)
            deprecated_result = deprecated_result || (f->result_decl && f->result_decl->traits.deprecated);
    if (deprecated_result)
        fputs("/* Some results are of deprecated types, which their handlers must still fill. */\n"
              "#if defined(__GNUC__)\n#pragma GCC diagnostic ignored \"-Wdeprecated-declarations\"\n#endif\n\n",
              c);
    for (const ctlc_decl *d = g->spec->decls; d; d = d->next) {
        if (d->kind != CTLC_D_CONTROLLER || !ctlc_c_hosted(g, d))
            continue;
        for (const ctlc_func *f = d->funcs; f; f = f->next) {
            const char *rt = ctlc_c_result_type(g, d, f);
            const char *params[] = { "ctl_ctx *ctx",
                                     f->traits.records ? "const ctl_record *record"
                                                       : ctlc_printf(g->a, "const %s *args",
                                                                     ctlc_cname_func(g->a, d, f, CTLC_R_ARGS)),
                                     rt ? ctlc_printf(g->a, "%s *result", rt) : NULL };
            ctlc_c_doc(g, "", f->doc, NULL);
            ctlc_c_list(g, "", ctlc_printf(g->a, "int %s(", ctlc_cname_func(g->a, d, f, CTLC_R_HANDLER)), params,
                        rt ? 3 : 2, ")");
            fputs(f->traits.records ? "{\n    (void)record;\n" : "{\n    (void)args;\n", c);
            if (rt)
                fputs("    (void)result;\n", c);
            const char *what = ctlc_printf(g->a, "%.*s.%.*s is not implemented yet", NAME(d->name), NAME(f->name));
            const char *a[] = { "ctx", "\"NotImplemented\"", ctlc_c_string(g, what, strlen(what)) };
            ctlc_c_list(g, "    ", "return ctl_fail(", a, 3, ");");
            fputs("}\n\n", c);
        }
    }
    fputs("int main(int argc, char **argv)\n{\n", c);
    size_t n = 2;
    for (const ctlc_decl *d = g->spec->decls; d; d = d->next)
        n += d->kind == CTLC_D_CONTROLLER && ctlc_c_hosted(g, d);
    const char **args = ctlc_alloc(g->a, (n + 1) * sizeof *args);
    size_t k = 0;
    args[k++] = "argc";
    args[k++] = "argv";
    for (const ctlc_decl *d = g->spec->decls; d; d = d->next)
        if (d->kind == CTLC_D_CONTROLLER && ctlc_c_hosted(g, d))
            args[k++] = ctlc_printf(g->a, "&%s", ctlc_cname_controller(g->a, d));
    args[k++] = "NULL";
    ctlc_c_list(g, "    ", "return ctl_main(", args, k, ");");
    fputs("}\n", c);
}
