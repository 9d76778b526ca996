/* main.c: the ctlc command line, a thin layer over the library (ctlc.h).
 *
 * Exit status: 0 clean (warnings alone leave it 0 unless --werror), 1 when a
 * spec has errors, 2 for a usage or I/O error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctlc.h"
#include "diff.h"
#include "emit.h"
#include "fmt.h"

static const char usage[] =
    "usage: ctlc COMMAND [OPTIONS] FILE...\n"
    "\n"
    "Commands:\n"
    "  check    check specs and report every error\n"
    "  dump     check specs and print their syntax trees\n"
    "  c        check specs and write C: NAME.ctl.h and NAME.ctl.c for each spec\n"
    "           into the folder given with -o (not for imports: list them too\n"
    "           when their C is needed, as with protoc)\n"
    "  fmt      print specs in the canonical layout: fmt [-w] [--check] FILE...\n"
    "  diff     classify every wire change between two versions of a spec as\n"
    "           breaking or safe: diff [-I DIR]... [--both-ways] [--json] OLD NEW\n"
    "  schema   -o DIR FILE: JSON Schema (2020-12) of each controller's events,\n"
    "           DIR/CONTROLLER.schema.json\n"
    "  asyncapi [-o FILE] FILE: AsyncAPI 3.0.0 document (JSON) of the controllers\n"
    "  doc      -o DIR FILE: DIR/NAME.md (reference, Mermaid call graph) and\n"
    "           DIR/NAME.dot (call graph; render with Graphviz: dot -Tsvg)\n"
    "  iam      [--region R] [--account A] [--partition P] [-o DIR] FILE:\n"
    "           least-privilege IAM policies (lambda:InvokeFunction on what each\n"
    "           client and controller uses); ${AWS::Region}-style variables for\n"
    "           what is not given; one JSON object, or DIR/NAME.policy.json\n"
    "\n"
    "Options:\n"
    "  -I DIR     look for imports in DIR too (after the importing file's folder);\n"
    "             may be repeated, searched in order\n"
    "  --werror   treat warnings as errors\n"
    "  -o DIR     (c, schema, doc, iam) the output folder; (asyncapi) the file\n"
    "  --depfile F (c) write make-style dependencies (every spec read) to F\n"
    "  --scaffold (c) also write NAME_handlers.c: a stub handler per function of\n"
    "             the hosted controllers and a main (never overwrites a file)\n"
    "  --host C,D (c) host these controllers: their handlers are declared and\n"
    "             their dispatch tables defined, with the stubs of what they use\n"
    "  --client K (c) the stubs of what client K uses, nothing hosted; with\n"
    "             neither option: every controller and every stub\n"
    "  -h, --help      show this help\n"
    "  --version       show the version\n"
    "\n"
    "Exit status: 0 clean, 1 errors in a spec, 2 usage or I/O error.\n";

static int usage_error(const char *fmt, const char *arg)
{
    fputs("ctlc: error: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'ctlc --help'.\n", stderr);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("%s", "no command given");
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return ctlc_finish_stdout() != 0 ? 2 : 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("ctlc %s\n", CTLC_VERSION);
        return ctlc_finish_stdout() != 0 ? 2 : 0;
    }
    if (strcmp(cmd, "fmt") == 0)
        return ctlc_fmt_main(argc - 2, argv + 2);
    if (strcmp(cmd, "diff") == 0)
        return ctlc_diff_main(argc - 2, argv + 2);
    bool dump = strcmp(cmd, "dump") == 0;
    bool emit_c = strcmp(cmd, "c") == 0;
    /* Documents for reviewers: one spec in, an emitter of their own. */
    bool schema = strcmp(cmd, "schema") == 0, asyncapi = strcmp(cmd, "asyncapi") == 0;
    bool doc = strcmp(cmd, "doc") == 0, iam = strcmp(cmd, "iam") == 0;
    bool review = schema || asyncapi || doc || iam;
    if (!dump && !emit_c && !review && strcmp(cmd, "check") != 0)
        return usage_error("unknown command '%s'", cmd);
    const char *outdir = NULL, *depfile = NULL, *client = NULL;
    ctlc_iam_options iam_opt = { NULL, NULL, NULL, NULL };
    bool scaffold = false;
    const char **hosts = NULL;
    size_t nhosts = 0;
    char *host_list = NULL;

    const char **includes = calloc((size_t)argc, sizeof *includes);
    const char **files = calloc((size_t)argc, sizeof *files);
    if (!includes || !files) {
        fputs("ctlc: error: out of memory\n", stderr);
        return 2;
    }
    size_t ninclude = 0, nfiles = 0;
    bool werror = false, options = true;
    int status = 0;
    for (int i = 2; i < argc && status == 0; i++) {
        const char *arg = argv[i];
        if (options && strcmp(arg, "--") == 0) {
            options = false;
        } else if (options && strcmp(arg, "-I") == 0) {
            if (i + 1 >= argc)
                status = usage_error("%s", "-I needs a directory");
            else
                includes[ninclude++] = argv[++i];
        } else if (options && strncmp(arg, "-I", 2) == 0) {
            includes[ninclude++] = arg + 2;
        } else if (options && strcmp(arg, "--werror") == 0) {
            werror = true;
        } else if (options && (emit_c || review) && strcmp(arg, "-o") == 0) {
            if (i + 1 >= argc)
                status = usage_error("%s", "-o needs a path");
            else
                outdir = argv[++i];
        } else if (options && iam && (strcmp(arg, "--region") == 0 || strcmp(arg, "--account") == 0 ||
                                      strcmp(arg, "--partition") == 0)) {
            if (i + 1 >= argc || argv[i + 1][0] == '\0')
                status = usage_error("%s needs a value", arg);
            else
                *(arg[2] == 'r' ? &iam_opt.region : arg[2] == 'a' ? &iam_opt.account : &iam_opt.partition) = argv[++i];
        } else if (options && emit_c && strcmp(arg, "--scaffold") == 0) {
            scaffold = true;
        } else if (options && emit_c && strcmp(arg, "--depfile") == 0) {
            if (i + 1 >= argc)
                status = usage_error("%s", "--depfile needs a file");
            else
                depfile = argv[++i];
        } else if (options && emit_c && strcmp(arg, "--client") == 0) {
            if (i + 1 >= argc)
                status = usage_error("%s", "--client needs a client name");
            else
                client = argv[++i];
        } else if (options && emit_c && strcmp(arg, "--host") == 0) {
            if (i + 1 >= argc) {
                status = usage_error("%s", "--host needs controller names");
            } else {
                free(host_list);
                free(hosts);
                host_list = strdup(argv[++i]);
                hosts = calloc(strlen(argv[i]) + 1, sizeof *hosts);
                nhosts = 0;
                for (char *tok = host_list ? strtok(host_list, ",") : NULL; tok && hosts; tok = strtok(NULL, ","))
                    hosts[nhosts++] = tok;
            }
        } else if (options && (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0)) {
            fputs(usage, stdout);
            free(includes);
            free(files);
            free(hosts);
            free(host_list);
            return ctlc_finish_stdout() != 0 ? 2 : 0;
        } else if (options && arg[0] == '-' && arg[1] != '\0') {
            status = usage_error("unknown option '%s'", arg);
        } else {
            files[nfiles++] = arg;
        }
    }
    if (status == 0 && nfiles == 0)
        status = usage_error("%s", "no spec files given");
    if (status == 0 && (emit_c || schema || doc) && !outdir)
        status = usage_error("ctlc %s needs -o DIR", cmd);
    if (status == 0 && review && nfiles != 1)
        status = usage_error("ctlc %s takes one spec file", cmd);
    if (status == 0 && iam && ctlc_iam_resolve(&iam_opt, stderr) != 0)
        status = 2;
    if (status != 0) {
        free(includes);
        free(files);
        free(hosts);
        free(host_list);
        return status;
    }

    ctlc_run *run = ctlc_run_new(stderr);
    if (!run) {
        fputs("ctlc: error: out of memory\n", stderr);
        return 2;
    }
    run->include_dirs = includes;
    run->ninclude = ninclude;
    run->diags.werror = werror;
    ctlc_spec **roots = calloc(nfiles, sizeof *roots);
    for (size_t i = 0; roots && i < nfiles; i++)
        roots[i] = ctlc_load(run, files[i]);
    unsigned errors = roots ? ctlc_check(run) : 0;
    ctlc_diags_flush(&run->diags);
    if (!roots)
        fputs("ctlc: error: out of memory\n", stderr);
    if (dump && roots && errors == 0 && !run->io_error)
        for (size_t i = 0; i < nfiles; i++)
            ctlc_dump(stdout, roots[i]);
    status = !roots || run->io_error ? 2 : errors ? 1 : 0;
    if (emit_c && status == 0) {
        ctlc_emit_c_options opt = { outdir, hosts, nhosts, depfile, client };
        if (ctlc_emit_c_all(run, roots, nfiles, &opt) != 0)
            status = 2;
        for (size_t i = 0; scaffold && status == 0 && i < nfiles; i++)
            if (ctlc_emit_scaffold(run, roots[i], &opt) != 0)
                status = 2;
    }
    if (review && status == 0) {
        iam_opt.outdir = outdir;
        int rc = schema ? ctlc_emit_schema(run, roots[0], outdir)
                 : asyncapi ? ctlc_emit_asyncapi(run, roots[0], outdir)
                 : doc ? ctlc_emit_doc(run, roots[0], outdir)
                       : ctlc_emit_iam(run, roots[0], &iam_opt);
        if (rc != 0)
            status = 2;
    }
    if (ctlc_finish_stdout() != 0)
        status = 2;
    free(roots);
    ctlc_run_free(run);
    free(includes);
    free(files);
    free(hosts);
    free(host_list);
    return status;
}
