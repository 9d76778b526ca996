/* main.c: the ctlc command: all of argv, over the library (ctlc.h).
 *
 * Every command is a row of one table (commands[] below): its name, a
 * summary, the options it takes with their help, the spec files it wants,
 * and its handler. One parser reads argv against the row; --help (of ctlc
 * and of each command) and usage errors are written from the table, so a
 * new option is one line here and nowhere else.
 *
 * Exit status: 0 clean (warnings alone leave it 0 unless --werror); 1 when
 * a spec has errors, a change breaks (diff) or a file would change
 * (fmt --check); 2 for a usage or I/O error, or memory running out. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctlc.h"

/* ---- options --------------------------------------------------------------------------------- */

typedef enum opt_id {
    O_INCLUDE, O_WERROR, O_OUT, O_DEPFILE, O_SCAFFOLD, O_HOST, O_CLIENT,
    O_REGION, O_ACCOUNT, O_PARTITION, O_WRITE, O_CHECK, O_BOTH_WAYS, O_JSON,
    O_PREFIX, O_ARCH, O_CODE_URI, O_IDEM_TABLE,
    O_COUNT
} opt_id;

enum {
    OPT_VALUE = 1,           /* takes a value: `-o DIR`, `-oDIR` (short), `--depfile=F` (long) */
    OPT_REPEAT = 2,          /* may be repeated, every value kept (-I); else a later one replaces */
    OPT_ONCE = 4             /* given twice is a usage error */
};

typedef struct option {
    const char *name;
    unsigned flags;
    const char *needs;       /* what a missing value is: "-I needs a directory" */
} option;

static const option options[O_COUNT] = {
    [O_INCLUDE] = { "-I", OPT_VALUE | OPT_REPEAT, "a directory" },
    [O_WERROR] = { "--werror", 0, NULL },
    [O_OUT] = { "-o", OPT_VALUE, "a path" },
    [O_DEPFILE] = { "--depfile", OPT_VALUE, "a file" },
    [O_SCAFFOLD] = { "--scaffold", 0, NULL },
    [O_HOST] = { "--host", OPT_VALUE, "controller names" },
    [O_CLIENT] = { "--client", OPT_VALUE | OPT_ONCE, "a client name" },
    [O_REGION] = { "--region", OPT_VALUE, "a value" },
    [O_ACCOUNT] = { "--account", OPT_VALUE, "a value" },
    [O_PARTITION] = { "--partition", OPT_VALUE, "a value" },
    [O_WRITE] = { "-w", 0, NULL },
    [O_CHECK] = { "--check", 0, NULL },
    [O_BOTH_WAYS] = { "--both-ways", 0, NULL },
    [O_JSON] = { "--json", 0, NULL },
    [O_PREFIX] = { "--prefix", OPT_VALUE, "a value" },
    [O_ARCH] = { "--arch", OPT_VALUE, "x86_64 or arm64" },
    [O_CODE_URI] = { "--code-uri", OPT_VALUE, "a path" },
    [O_IDEM_TABLE] = { "--idempotency-table", OPT_VALUE, "a table name" },
};

/* What the command line said. */
typedef struct cli {
    const char **files;
    size_t nfiles;
    const char **includes;
    size_t ninclude;
    const char *value[O_COUNT];  /* the (last) value of each option */
    bool given[O_COUNT];
} cli;

/* ---- commands -------------------------------------------------------------------------------- */

/* One option of a command: the name of its value in help (NULL for a
 * flag) and what it does there. */
typedef struct cmd_option {
    opt_id id;
    const char *arg;
    const char *help;
} cmd_option;

typedef struct command command;
struct command {
    const char *name;
    const char *summary;         /* lines for --help */
    cmd_option opts[8];          /* in synopsis order; ends at the first without help */
    const char *files;           /* the files in the synopsis: "FILE...", "FILE", "OLD.ctl NEW.ctl" */
    size_t min_files, max_files; /* max 0: any number */
    unsigned required;           /* options that must be given (1 << opt_id) */
    unsigned exclusive;          /* at most one of these */
    int (*handler)(const command *cmd, cli *c);
};

static int run_check(const command *cmd, cli *c);
static int run_c(const command *cmd, cli *c);
static int run_review(const command *cmd, cli *c);
static int run_fmt(const command *cmd, cli *c);
static int run_diff(const command *cmd, cli *c);
static int run_names(const command *cmd, cli *c);
static int run_sam(const command *cmd, cli *c);
static int run_lsp(const command *cmd, cli *c);

#define BIT(id) (1u << (id))
#define INCLUDE_OPT                                                                                                   \
    { O_INCLUDE, "DIR", "look for imports in DIR too (after the importing file's folder); may be repeated, searched " \
                        "in order" }
#define WERROR_OPT { O_WERROR, NULL, "treat warnings as errors" }

static const command commands[] = {
    { "check", "Check specs and their imports and report every error and warning.",
      { INCLUDE_OPT, WERROR_OPT }, "FILE...", 1, 0, 0, 0, run_check },
    { "dump", "Check specs, then print the syntax tree of each (docs, annotations and defaults included).",
      { INCLUDE_OPT, WERROR_OPT }, "FILE...", 1, 0, 0, 0, run_check },
    { "c",
      "Check specs and write C: NAME.ctl.h and NAME.ctl.c for each spec named (not for its imports: list "
      "them too when their C is needed, as with protoc).",
      { INCLUDE_OPT,
        WERROR_OPT,
        { O_OUT, "OUTDIR", "the folder to write into" },
        { O_HOST, "C,...", "the program hosts these controllers: their handlers are declared (it defines "
                           "them) and their dispatch tables defined, with the stubs of what they use" },
        { O_CLIENT, "NAME", "the program is client NAME: the stubs of exactly what NAME uses, nothing "
                            "hosted; with neither option, every controller and every stub" },
        { O_SCAFFOLD, NULL, "also write NAME_handlers.c: a stub handler per function of the hosted "
                            "controllers and a main (never overwrites a file)" },
        { O_DEPFILE, "F", "write make-style dependencies (every spec read) to F" } },
      "FILE...", 1, 0, BIT(O_OUT), 0, run_c },
    { "fmt", "Print specs in the canonical layout (specs/language.md, \"Formatting\").",
      { { O_WRITE, NULL, "write the layout back into each file that differs, instead of printing it" },
        { O_CHECK, NULL, "write nothing; print the name of each file that would change, and exit 1 if "
                         "one would" } },
      "FILE...", 1, 0, 0, BIT(O_WRITE) | BIT(O_CHECK), run_fmt },
    { "diff",
      "Classify every wire change between two versions of a spec as breaking or safe; exit 1 when one "
      "breaks. The wire rules are the same in C, Python (ctlc py) and TypeScript (ctlc ts): a breaking "
      "change breaks the callers and controllers generated in each.",
      { INCLUDE_OPT,
        { O_BOTH_WAYS, NULL, "also check new callers against old controllers (a rolling deploy, a rollback)" },
        { O_JSON, NULL, "print a JSON array instead of one line per change" } },
      "OLD.ctl NEW.ctl", 2, 2, 0, 0, run_diff },
    { "schema", "JSON Schema (2020-12) of each controller's events: DIR/CONTROLLER.schema.json.",
      { INCLUDE_OPT, WERROR_OPT, { O_OUT, "DIR", "the folder to write into" } },
      "FILE", 1, 1, BIT(O_OUT), 0, run_review },
    { "ts",
      "TypeScript: DIR/NAME.ts per spec (and per import), with ctl_runtime.ts and ctl_lambda.ts beside: types, "
      "readers and writers with libctl's rules and words, callers over @aws-sdk/client-lambda.",
      { INCLUDE_OPT, WERROR_OPT, { O_OUT, "DIR", "the folder to write into" } },
      "FILE", 1, 1, BIT(O_OUT), 0, run_review },
    { "asyncapi", "AsyncAPI 3.0.0 document (JSON) of the controllers.",
      { INCLUDE_OPT, WERROR_OPT, { O_OUT, "FILE", "write the document to FILE instead of stdout" } },
      "FILE", 1, 1, 0, 0, run_review },
    { "doc",
      "DIR/NAME.md (the reference, with a Mermaid call graph) and DIR/NAME.dot (the call graph; "
      "render it with Graphviz: dot -Tsvg).",
      { INCLUDE_OPT, WERROR_OPT, { O_OUT, "DIR", "the folder to write into" } },
      "FILE", 1, 1, BIT(O_OUT), 0, run_review },
    { "py",
      "Python (3.9+): DIR/NAME.py per spec (and per import), with ctl_runtime.py beside: dataclasses and "
      "enums, readers and writers with libctl's rules and messages, caller stubs over boto3, controller "
      "dispatch.",
      { INCLUDE_OPT, WERROR_OPT, { O_OUT, "DIR", "the folder to write into" } },
      "FILE", 1, 1, BIT(O_OUT), 0, run_review },
    { "iam",
      "Least-privilege IAM policies: lambda:InvokeFunction on what each client and controller uses; "
      "${AWS::Region}-style variables for what is not given.",
      { INCLUDE_OPT,
        WERROR_OPT,
        { O_REGION, "R", "the region of the ARNs" },
        { O_ACCOUNT, "A", "the 12-digit account ID of the ARNs" },
        { O_PARTITION, "P", "the partition (default: the region's)" },
        { O_IDEM_TABLE, "T", "the DynamoDB table of @idempotent functions' keys (default: " CTLC_IDEM_TABLE ")" },
        { O_OUT, "DIR", "write DIR/NAME.policy.json per policy instead of one JSON object on stdout" } },
      "FILE", 1, 1, 0, 0, run_review },
    { "sam",
      "AWS SAM template (JSON): a function per controller (Handler, routing variables, the policy of "
      "`ctlc iam`, EventInvokeConfig from @retries and @max_event_age), a managed policy per client "
      "that uses controllers, their ARNs as Outputs.",
      { INCLUDE_OPT,
        WERROR_OPT,
        { O_PREFIX, "P", "deploy controller C as function PC (a stage: dev-); every name, routing "
                         "variable and ARN of the template has it" },
        { O_ARCH, "A", "the functions' architecture: x86_64 (default) or arm64" },
        { O_CODE_URI, "PATH", "every function's code (one zip hosting them all); default: "
                              "lambda/CONTROLLER/function.zip, as ctl_package_lambda builds it" },
        { O_IDEM_TABLE, "T", "keep @idempotent functions' keys in the existing DynamoDB table T (one that "
                             "Powertools' helpers share, say) instead of a table the template makes" },
        { O_OUT, "FILE", "write the template to FILE instead of stdout" } },
      "FILE", 1, 1, 0, 0, run_sam },
    { "names",
      "List every global C name that the code generated from a spec may declare, one a line: the name, "
      "what it is, header or file scope, and where in the spec it comes from (tab-separated).",
      { INCLUDE_OPT, WERROR_OPT }, "FILE", 1, 1, 0, 0, run_names },
    { "lsp",
      "Serve the Language Server Protocol 3.17 on stdin and stdout, for editors: diagnostics as `ctlc "
      "check` reports them, hover, go to definition, document symbols, formatting. Exits 0 after "
      "shutdown and exit, else 1.",
      { INCLUDE_OPT }, "", 0, 0, 0, 0, run_lsp },
};

enum { NCOMMANDS = sizeof commands / sizeof commands[0] };

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static size_t count_opts(const command *cmd)
{
    size_t n = 0;
    while (n < sizeof cmd->opts / sizeof cmd->opts[0] && cmd->opts[n].help)
        n++;
    return n;
}

/* ---- help and usage errors ------------------------------------------------------------------- */

enum { HELP_WIDTH = 79 };

/* Writes text from column col (where the caller is) with words wrapped at
 * HELP_WIDTH, each further line indented by `by` spaces. */
static void put_wrapped(FILE *out, const char *text, int col, int by)
{
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, " ");
        if (col > by && col + 1 + (int)n > HELP_WIDTH) {
            fprintf(out, "\n%*s", by, "");
            col = by;
        } else if (col > by) {
            fputc(' ', out);
            col++;
        }
        fprintf(out, "%.*s", (int)n, p);
        col += (int)n;
        p += n;
        while (*p == ' ')
            p++;
    }
    fputc('\n', out);
}

/* `ctlc c [-I DIR]... [--werror] -o OUTDIR ... FILE...`, from the row,
 * from column col, wrapped between items. */
static void synopsis(FILE *out, const command *cmd, int col)
{
    int by = col + 5 + (int)strlen(cmd->name) + 1;
    col += fprintf(out, "ctlc %s", cmd->name);
    for (size_t i = 0; i <= count_opts(cmd); i++) {
        char item[64];
        if (i == count_opts(cmd)) {
            if (!cmd->files[0])
                break; /* takes no files */
            snprintf(item, sizeof item, "%s", cmd->files);
        } else {
            const cmd_option *o = &cmd->opts[i];
            bool required = cmd->required & BIT(o->id);
            snprintf(item, sizeof item, "%s%s%s%s%s%s", required ? "" : "[", options[o->id].name,
                     o->arg ? " " : "", o->arg ? o->arg : "", required ? "" : "]",
                     options[o->id].flags & OPT_REPEAT ? "..." : "");
        }
        if (col + 1 + (int)strlen(item) > HELP_WIDTH)
            col = fprintf(out, "\n%*s", by - 1, "") - 1;
        col += fprintf(out, " %s", item);
    }
    fputc('\n', out);
}

static void command_help(FILE *out, const command *cmd)
{
    fputs("usage: ", out);
    synopsis(out, cmd, 7);
    fputc('\n', out);
    put_wrapped(out, cmd->summary, 0, 0);
    fputs("\nOptions:\n", out);
    for (size_t i = 0; i < count_opts(cmd); i++) {
        const cmd_option *o = &cmd->opts[i];
        char head[64];
        snprintf(head, sizeof head, "%s%s%s", options[o->id].name, o->arg ? " " : "", o->arg ? o->arg : "");
        fprintf(out, "  %-16s", head);
        put_wrapped(out, o->help, 18, 18);
    }
    fprintf(out, "  %-16s%s\n", "-h, --help", "show this help");
}

static void main_help(FILE *out)
{
    fputs("usage: ctlc COMMAND [OPTIONS] FILE...\n\nCommands:\n", out);
    for (size_t i = 0; i < NCOMMANDS; i++) {
        fputs("  ", out);
        synopsis(out, &commands[i], 2);
        fputs("      ", out);
        put_wrapped(out, commands[i].summary, 6, 6);
    }
    fputs("  ctlc --help | --version\n"
          "\n'ctlc COMMAND --help' describes the options of a command.\n"
          "\nExit status: 0 clean, 1 errors in a spec, 2 usage or I/O error.\n",
          out);
}

static int usage_error(const command *cmd, const char *fmt, ...) CTLC_PRINTF(2, 3);
/* `ctlc: error: MESSAGE` and, for a command, its synopsis. Returns 2. */
static int usage_error(const command *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("ctlc: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (cmd) {
        fputs("\nusage: ", stderr);
        synopsis(stderr, cmd, 7);
    } else {
        fputs("\nTry 'ctlc --help'.\n", stderr);
    }
    return 2;
}

/* Flushes stdout and checks that everything written to it arrived. A
 * failed fwrite() leaves only the error flag behind (the buffer is gone),
 * so fflush() alone would report success for a full disk; errno still
 * says why, as nothing since has failed. Returns 0, or 2 after saying so. */
static int finish_stdout(void)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return 0;
    fprintf(stderr, "ctlc: error: cannot write to standard output: %s\n", errno ? strerror(errno) : "write error");
    return 2;
}

/* ---- reading argv ---------------------------------------------------------------------------- */

/* The option of cmd that arg names, or -1; *value is set for `-IDIR` and
 * `--name=value` (NULL when the value is the next argument). */
static int match_option(const command *cmd, const char *arg, const char **value, bool *known)
{
    *value = NULL;
    *known = false;
    for (int id = 0; id < O_COUNT; id++) {
        const option *o = &options[id];
        size_t n = strlen(o->name);
        bool exact = strcmp(arg, o->name) == 0;
        bool joined = false;
        if (!exact && (o->flags & OPT_VALUE) && strncmp(arg, o->name, n) == 0)
            joined = o->name[1] != '-' ? true : arg[n] == '=';
        if (!exact && !joined)
            continue;
        *known = true;
        for (size_t i = 0; i < count_opts(cmd); i++)
            if (cmd->opts[i].id == (opt_id)id) {
                if (joined)
                    *value = arg + n + (o->name[1] == '-');
                return id;
            }
    }
    return -1;
}

/* Reads the arguments after the command name into c. Returns 0, 1 for
 * --help (printed), or 2 after a usage error. */
static int parse_args(const command *cmd, int argc, char **argv, cli *c)
{
    bool opts = true;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (!opts || arg[0] != '-' || arg[1] == '\0') {
            c->files[c->nfiles++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            opts = false;
            continue;
        }
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            command_help(stdout, cmd);
            return 1;
        }
        const char *value;
        bool known;
        int id = match_option(cmd, arg, &value, &known);
        if (id < 0 && known)
            return usage_error(cmd, "option '%s' does not apply to ctlc %s", arg, cmd->name);
        if (id < 0)
            return usage_error(cmd, "unknown option '%s'", arg);
        const option *o = &options[id];
        if ((o->flags & OPT_ONCE) && c->given[id])
            return usage_error(cmd, "%s may be given once", o->name);
        c->given[id] = true;
        if (!(o->flags & OPT_VALUE))
            continue;
        if (!value && i + 1 < argc)
            value = argv[++i];
        if (!value || value[0] == '\0')
            return usage_error(cmd, "%s needs %s", o->name, o->needs);
        c->value[id] = value;
        if (id == O_INCLUDE)
            c->includes[c->ninclude++] = value;
    }
    if (!cmd->files[0] && c->nfiles)
        return usage_error(cmd, "ctlc %s takes no files", cmd->name);
    if (c->nfiles < cmd->min_files && cmd->min_files == 1)
        return usage_error(cmd, "no spec files given");
    if (cmd->max_files == 1 && c->nfiles != 1)
        return usage_error(cmd, "ctlc %s takes one spec file", cmd->name);
    if (cmd->max_files > 1 && (c->nfiles < cmd->min_files || c->nfiles > cmd->max_files))
        return usage_error(cmd, "ctlc %s takes two spec files: %s", cmd->name, cmd->files);
    for (size_t i = 0; i < count_opts(cmd); i++) {
        const cmd_option *o = &cmd->opts[i];
        if ((cmd->required & BIT(o->id)) && !c->given[o->id])
            return usage_error(cmd, "ctlc %s needs %s %s", cmd->name, options[o->id].name, o->arg);
    }
    int first = -1;
    for (int id = 0; id < O_COUNT; id++)
        if ((cmd->exclusive & BIT(id)) && c->given[id]) {
            if (first >= 0)
                return usage_error(cmd, "%s and %s do not go together", options[first].name, options[id].name);
            first = id;
        }
    return 0;
}

/* ---- running -------------------------------------------------------------------------------- */

static void out_of_memory(void)
{
    fputs("ctlc: error: out of memory\n", stderr);
    exit(2);
}

/* The exit status for what a call came to; out of memory is said here. */
static int exit_status(ctlc_status st)
{
    switch (st) {
    case CTLC_OK: return 0;
    case CTLC_ERRORS: return 1;
    case CTLC_NOMEM: fputs("ctlc: error: out of memory\n", stderr); return 2;
    default: return 2;
    }
}

static ctlc_run *new_run(cli *c, bool werror)
{
    ctlc_run *run = ctlc_run_new(stderr);
    if (!run)
        out_of_memory();
    run->include_dirs = c->includes;
    run->ninclude = c->ninclude;
    run->diags.werror = werror;
    return run;
}

/* Loads and checks the files of c into a new run, and prints the
 * diagnostics, or only those of a failed check when quiet (diff leaves
 * warnings to check); roots[i] is the spec of c->files[i]. */
static ctlc_status load_and_check(cli *c, ctlc_run **run, ctlc_spec **roots, bool quiet)
{
    *run = new_run(c, c->given[O_WERROR]);
    ctlc_status st = CTLC_OK;
    for (size_t i = 0; i < c->nfiles && st != CTLC_NOMEM; i++) {
        ctlc_status one = ctlc_load(*run, c->files[i], &roots[i]);
        if (one != CTLC_OK)
            st = one;
    }
    if (st != CTLC_NOMEM)
        st = ctlc_check(*run);
    if (quiet && st == CTLC_OK)
        ctlc_run_discard(*run);
    else
        ctlc_run_flush(*run);
    return st;
}

/* check, dump */
static int run_check(const command *cmd, cli *c)
{
    ctlc_run *run;
    ctlc_spec **roots = calloc(c->nfiles, sizeof *roots);
    if (!roots)
        out_of_memory();
    ctlc_status st = load_and_check(c, &run, roots, false);
    if (st == CTLC_OK && strcmp(cmd->name, "dump") == 0)
        for (size_t i = 0; i < c->nfiles; i++)
            ctlc_dump(stdout, roots[i]);
    int status = exit_status(st);
    free(roots);
    ctlc_run_free(run);
    return status;
}

static int run_c(const command *cmd, cli *c)
{
    (void)cmd;
    ctlc_run *run;
    ctlc_spec **roots = calloc(c->nfiles, sizeof *roots);
    /* --host A,B: the names, split at the commas. */
    char *host_list = c->value[O_HOST] ? strdup(c->value[O_HOST]) : NULL;
    const char **hosts = host_list ? calloc(strlen(host_list) + 1, sizeof *hosts) : NULL;
    if (!roots || (c->value[O_HOST] && (!host_list || !hosts)))
        out_of_memory();
    size_t nhosts = 0;
    for (char *tok = host_list ? strtok(host_list, ",") : NULL; tok; tok = strtok(NULL, ","))
        hosts[nhosts++] = tok;

    int status = exit_status(load_and_check(c, &run, roots, false));
    if (status == 0) {
        ctlc_emit_c_options opt = {
            .outdir = c->value[O_OUT],
            .hosts = hosts,
            .nhosts = nhosts,
            .depfile = c->value[O_DEPFILE],
            .client = c->value[O_CLIENT],
        };
        if (ctlc_emit_c_all(run, roots, c->nfiles, &opt) != 0)
            status = 2;
        for (size_t i = 0; c->given[O_SCAFFOLD] && status == 0 && i < c->nfiles; i++)
            if (ctlc_emit_scaffold(run, roots[i], &opt) != 0)
                status = 2;
    }
    free(roots);
    free(hosts);
    free(host_list);
    ctlc_run_free(run);
    return status;
}

/* schema, asyncapi, doc, iam, py: one spec in, documents for reviewers out. */
static int run_review(const command *cmd, cli *c)
{
    ctlc_iam_options iam = { c->value[O_REGION], c->value[O_ACCOUNT], c->value[O_PARTITION], c->value[O_OUT],
                             c->value[O_IDEM_TABLE] };
    bool is_iam = strcmp(cmd->name, "iam") == 0;
    if (is_iam) {
        /* Checked before the spec is read: a bad value is a usage error. */
        ctlc_run *check_run = new_run(c, false);
        ctlc_status st = ctlc_iam_resolve(check_run, &iam);
        ctlc_run_free(check_run);
        if (st != CTLC_OK)
            return exit_status(st);
    }
    ctlc_run *run;
    ctlc_spec *spec = NULL;
    ctlc_status st = load_and_check(c, &run, &spec, false);
    const char *out = c->value[O_OUT];
    if (st == CTLC_OK) {
        if (is_iam)
            st = ctlc_emit_iam(run, spec, &iam, stdout);
        else if (strcmp(cmd->name, "schema") == 0)
            st = ctlc_emit_schema(run, spec, out);
        else if (strcmp(cmd->name, "ts") == 0)
            st = ctlc_emit_ts(run, spec, out);
        else if (strcmp(cmd->name, "asyncapi") == 0)
            st = ctlc_emit_asyncapi(run, spec, out, stdout);
        else if (strcmp(cmd->name, "py") == 0)
            st = ctlc_emit_py(run, spec, out);
        else
            st = ctlc_emit_doc(run, spec, out);
    }
    int status = exit_status(st);
    ctlc_run_free(run);
    return status;
}

static int run_fmt(const command *cmd, cli *c)
{
    (void)cmd;
    ctlc_run *run = new_run(c, false);
    ctlc_fmt_mode mode = c->given[O_WRITE] ? CTLC_FMT_WRITE : c->given[O_CHECK] ? CTLC_FMT_CHECK : CTLC_FMT_PRINT;
    int status = 0;
    for (size_t i = 0; i < c->nfiles; i++) {
        bool changed;
        ctlc_status st = ctlc_fmt_file(run, c->files[i], mode, stdout, &changed);
        int one = exit_status(st);
        if (st == CTLC_OK && mode == CTLC_FMT_CHECK && changed) {
            printf("%s\n", c->files[i]);
            one = 1;
        }
        if (one > status)
            status = one;
        if (st == CTLC_NOMEM)
            break;
    }
    ctlc_run_free(run);
    return status;
}

static int run_diff(const command *cmd, cli *c)
{
    (void)cmd;
    ctlc_run *run;
    ctlc_spec *specs[2] = { NULL, NULL };
    ctlc_status st = load_and_check(c, &run, specs, true);
    if (st != CTLC_OK) {
        if (st == CTLC_NOMEM)
            exit_status(st);
        else
            fprintf(stderr, "ctlc: error: %s; nothing compared\n",
                    run->io_error ? "a spec could not be read" : "the specs do not check");
        ctlc_run_free(run);
        return 2; /* not 1, which says that a change breaks */
    }
    bool breaking = false;
    ctlc_diff_options opt = { c->given[O_BOTH_WAYS], c->given[O_JSON] };
    st = ctlc_diff(run, specs[0], specs[1], &opt, stdout, &breaking);
    int status = st != CTLC_OK ? exit_status(st) : breaking ? 1 : 0;
    ctlc_run_free(run);
    return status;
}

int main(int argc, char **argv)
{
    ctlc_set_oom_handler(out_of_memory);
    if (argc < 2)
        return usage_error(NULL, "no command given");
    const char *name = argv[1];
    if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "help") == 0) {
        const command *cmd = argc > 2 ? find_command(argv[2]) : NULL;
        if (argc > 2 && !cmd)
            return usage_error(NULL, "unknown command '%s'", argv[2]);
        if (cmd)
            command_help(stdout, cmd);
        else
            main_help(stdout);
        return finish_stdout();
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("ctlc %s\n", CTLC_VERSION);
        return finish_stdout();
    }
    const command *cmd = find_command(name);
    if (!cmd)
        return usage_error(NULL, "unknown command '%s'", name);

    cli c = { 0 };
    c.files = calloc((size_t)argc, sizeof *c.files);
    c.includes = calloc((size_t)argc, sizeof *c.includes);
    if (!c.files || !c.includes)
        out_of_memory();
    int status = parse_args(cmd, argc - 2, argv + 2, &c);
    if (status == 1) /* --help, printed */
        status = 0;
    else if (status == 0)
        status = cmd->handler(cmd, &c);
    if (finish_stdout() != 0)
        status = 2;
    free(c.files);
    free(c.includes);
    return status;
}

/* sam: the deployment of the controllers. */
static int run_sam(const command *cmd, cli *c)
{
    (void)cmd;
    ctlc_run *run;
    ctlc_spec *spec = NULL;
    ctlc_status st = load_and_check(c, &run, &spec, false);
    if (st == CTLC_OK) {
        ctlc_sam_options opt = { c->value[O_PREFIX], c->value[O_ARCH], c->value[O_CODE_URI], c->value[O_OUT],
                                 c->value[O_IDEM_TABLE] };
        st = ctlc_emit_sam(run, spec, &opt, stdout);
    }
    int status = exit_status(st);
    ctlc_run_free(run);
    return status;
}

/* lsp: a language server on stdin and stdout. */
static int run_lsp(const command *cmd, cli *c)
{
    (void)cmd;
    return ctlc_lsp(stdin, stdout, c->includes, c->ninclude);
}

/* names: what generated C would declare. */
static int run_names(const command *cmd, cli *c)
{
    (void)cmd;
    ctlc_run *run;
    ctlc_spec *root = NULL;
    int status = exit_status(load_and_check(c, &run, &root, false));
    if (status == 0)
        status = exit_status(ctlc_emit_names(run, root, stdout));
    ctlc_run_free(run);
    return status;
}
