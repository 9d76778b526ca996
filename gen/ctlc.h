/* ctlc.h: the ctlc library, all of it. The ctlc command (main.c) is one
 * user; the fuzz targets are others.
 *
 * A run holds what the library builds: the specs loaded with their
 * imports (sources and syntax trees, in one arena), and the diagnostics.
 * Load specs, check them, then hand the checked trees to an emitter, to
 * fmt or to diff:
 *
 *     ctlc_run *run = ctlc_run_new(stderr);
 *     ctlc_spec *spec;
 *     if (ctlc_load(run, "leedz.ctl", &spec) == CTLC_OK && ctlc_check(run) == CTLC_OK)
 *         ctlc_emit_doc(run, spec, "doc");
 *     ctlc_run_free(run);   (prints the diagnostics still pending)
 *
 * Results. Each call returns a ctlc_status; what went wrong is on the
 * run's diagnostics, which are kept until ctlc_run_flush() or
 * ctlc_run_free() prints them, sorted by place. (The C emitters still
 * return 0 or -1, see below.)
 *
 * Output. The library writes to the diagnostics stream given to
 * ctlc_run_new(), to the stream a call is given, and to the files an
 * emitter is asked to write; never to stdout or stderr of its own accord.
 * Whether that stream reached its destination (a full disk) is the
 * caller's to check: a stream remembers its errors.
 *
 * Ownership. Pointers given to a call are borrowed for the call, unless
 * its comment says they must live longer. Every spec, node, name and
 * decoded string a call returns lives in the run's arena and is freed by
 * ctlc_run_free(); the few things a caller must free are named where they
 * are returned.
 *
 * Memory. A call that runs out of memory returns CTLC_NOMEM; the run is
 * then spent (every later call on it returns CTLC_NOMEM too) and only
 * ctlc_run_free() remains. Nothing in the library exits the process. */
#ifndef CTLC_H
#define CTLC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"

#ifndef CTLC_VERSION
#define CTLC_VERSION "0.0.0"
/* ---- lsp: a language server (lsp.c) ------------------------------------------------------- */

/* `ctlc lsp`: serves the Language Server Protocol 3.17 on in and out (the
 * base protocol's frames of JSON-RPC) until the client's exit
 * notification or the end of in; include_dirs (borrowed) are -I. Returns
 * the exit status LSP asks for: 0 after shutdown then exit, else 1.
 * Memory running out calls the handler of ctlc_set_oom_handler(). */
int ctlc_lsp(FILE *in, FILE *out, const char **include_dirs, size_t ninclude);

#endif

/* What a call came to. The numbers are the exit statuses of the ctlc
 * command, but for CTLC_NOMEM, which it exits 2 for. */
typedef enum ctlc_status {
    CTLC_OK = 0,
    CTLC_ERRORS = 1,     /* a spec has errors (or warnings, under werror); reported */
    CTLC_IO = 2,         /* a file could not be read or written; reported */
    CTLC_INVALID = 3,    /* an option given to the call is invalid; reported */
    CTLC_NOMEM = 4       /* memory ran out; the run is spent */
} ctlc_status;

/* ---- the run ------------------------------------------------------------------------------ */

/* A text that stands for a file: an editor's buffer, saved or not
 * (ctlc lsp). path is absolute; a load or import that names that file
 * (after symbolic links and "..") reads text instead, even when no file
 * is there. */
typedef struct ctlc_overlay {
    const char *path;
    const char *text;
    size_t len;
} ctlc_overlay;

/* A run. Callers may set include_dirs/ninclude, overlays/noverlays and
 * diags.werror before the first load, and read specs; the other fields
 * are the library's. */
typedef struct ctlc_run {
    ctlc_arena *arena;
    ctlc_diags diags;
    const char **include_dirs;   /* -I, in order; borrowed, must outlive the run */
    size_t ninclude;
    const ctlc_overlay *overlays; /* borrowed, must outlive the run */
    size_t noverlays;
    ctlc_spec *specs;            /* every loaded spec, in load order */
    ctlc_spec *last;
    ctlc_spec **stack;           /* specs being loaded, for cycle messages */
    size_t depth, stack_cap;
    ctlc_source **sources;       /* every source read, owned by the run */
    size_t nsources, sources_cap;
    bool io_error;               /* a file named to ctlc_load() was unreadable */
    bool nomem;                  /* memory ran out: the run is spent */
} ctlc_run;

/* Starts a run whose diagnostics go to diagnostics (borrowed; stderr in
 * the CLI). Returns NULL when out of memory. Free with ctlc_run_free(). */
ctlc_run *ctlc_run_new(FILE *diagnostics);

/* Prints the pending diagnostics, then frees the run: its specs, their
 * sources and trees, everything its calls returned that lives in the
 * arena. NULL is a no-op. */
void ctlc_run_free(ctlc_run *run);

/* Prints the pending diagnostics, sorted by file (in load order), line
 * and column, and forgets them. */
void ctlc_run_flush(ctlc_run *run);

/* Forgets the pending diagnostics without printing them (`ctlc diff`
 * leaves warnings to `ctlc check`). */
void ctlc_run_discard(ctlc_run *run);

/* Every call of this header that allocates is guarded: memory running out
 * in it makes it return CTLC_NOMEM. Memory that would run out outside
 * every guard (a bug of the library) calls handler, which must not return;
 * without one the library abort()s. The CLI's handler prints the error
 * and exits 2. */
void ctlc_set_oom_handler(void (*handler)(void));

/* ---- loading and checking ------------------------------------------------------------------ */

/* Loads the spec at path and, recursively, its imports; *spec (when spec
 * is not NULL) is set to the spec, owned by the run, or to NULL. A spec
 * already loaded (the same file) is returned again. Syntax and import
 * errors are reported and come out of ctlc_check(). CTLC_IO: path cannot
 * be read (reported; the run remembers it). */
ctlc_status ctlc_load(ctlc_run *run, const char *path, ctlc_spec **spec);

/* Loads a spec held in memory (len bytes at data, copied), named path in
 * diagnostics; its imports are resolved like a file's at path. */
ctlc_status ctlc_load_memory(ctlc_run *run, const char *path, const char *data, size_t len, ctlc_spec **spec);

/* Checks every loaded spec once, resolving names in the trees. CTLC_OK:
 * no errors (and no warnings under diags.werror); CTLC_ERRORS; CTLC_IO
 * when a file given to ctlc_load() could not be read. The semantic checks
 * are skipped when a spec has syntax errors, so that one broken
 * declaration does not cause a cascade of unknown-name errors. */
ctlc_status ctlc_check(ctlc_run *run);

/* Writes the tree of spec as indented text to out. CTLC_IO when out has
 * an error afterwards. Takes no run: it cannot run out of memory. */
ctlc_status ctlc_dump(FILE *out, const ctlc_spec *spec);

/* ---- emitters: each takes a checked spec --------------------------------------------------- */

typedef struct ctlc_emit_c_options {
    const char *outdir;       /* where NAME.ctl.h and NAME.ctl.c go */
    const char **hosts;       /* controllers hosted: handlers declared, dispatch tables defined,
                                 stubs of their `uses`; NULL = see client */
    size_t nhosts;
    const char *depfile;      /* write make-style dependencies here, or NULL */
    const char *client;       /* a client: the stubs of what it `uses`, or NULL. With neither
                                 hosts nor client: every controller and every stub */
} ctlc_emit_c_options;

/* `ctlc c`: writes the C header and source of one spec for the program opt
 * describes. CTLC_INVALID after reporting an unknown, empty or misplaced
 * --host or --client name (with a suggestion) or a file name C cannot
 * #include; CTLC_IO after reporting a file that could not be written. */
ctlc_status ctlc_emit_c(ctlc_run *run, const ctlc_spec *spec, const ctlc_emit_c_options *opt);

/* `ctlc c --scaffold`: writes OUTDIR/NAME_handlers.c, a starter with one
 * handler per function of the hosted controllers (each failing with
 * NotImplemented) and a main; never overwrites a file (CTLC_IO). */
ctlc_status ctlc_emit_scaffold(ctlc_run *run, const ctlc_spec *spec, const ctlc_emit_c_options *opt);

/* Writes the C of the given specs (not of their imports: list those too
 * when their C is needed, as with protoc), and the depfile. Statuses as
 * ctlc_emit_c. */
ctlc_status ctlc_emit_c_all(ctlc_run *run, ctlc_spec *const *roots, size_t nroots, const ctlc_emit_c_options *opt);

/* `ctlc schema`: OUTDIR/CONTROLLER.schema.json for each controller of
 * spec (a file that holds those bytes already is left untouched, as by
 * every emitter). CTLC_IO after reporting a file that could not be
 * written. */
ctlc_status ctlc_emit_schema(ctlc_run *run, const ctlc_spec *spec, const char *outdir);

/* `ctlc ts`: OUTDIR/NAME.ts, a TypeScript module, for spec and each spec
 * it imports (at any depth), and beside them ctl_runtime.ts and
 * ctl_lambda.ts, which the modules import (emit_ts.c). CTLC_ERRORS after
 * reporting a name that TypeScript would get twice (nothing is written);
 * CTLC_INVALID after reporting two specs that would be the same module,
 * and without a report when run, spec or outdir is NULL; CTLC_IO after a file
 * that could not be written. */
ctlc_status ctlc_emit_ts(ctlc_run *run, const ctlc_spec *spec, const char *outdir);

/* `ctlc asyncapi`: the AsyncAPI 3.0.0 document (JSON) of spec's
 * controllers, to the file at path, or to out when path is NULL. CTLC_IO:
 * the file could not be written (reported), or out has an error (not
 * reported: out is the caller's). */
ctlc_status ctlc_emit_asyncapi(ctlc_run *run, const ctlc_spec *spec, const char *path, FILE *out);

/* `ctlc doc`: OUTDIR/NAME.md (the reference, with a Mermaid call graph)
 * and OUTDIR/NAME.dot (the call graph for Graphviz). */
ctlc_status ctlc_emit_doc(ctlc_run *run, const ctlc_spec *spec, const char *outdir);

/* `ctlc py`: OUTDIR/NAME.py, the Python module of spec and of each spec it
 * imports (emit_py.c): types, readers and writers with libctl's rules,
 * caller stubs over boto3 and controller dispatch; and OUTDIR/ctl_runtime.py,
 * which the modules import. CTLC_INVALID for a NULL argument or two modules
 * of one name (reported); CTLC_IO as for ctlc_emit_schema(). */
ctlc_status ctlc_emit_py(ctlc_run *run, const ctlc_spec *spec, const char *outdir);

/* `ctlc names`: every global C name the code generated from spec may
 * declare (all controllers hosted, every stub), one a line: the name, what
 * it is, where it is declared (header or file scope) and the place in the
 * spec it comes from, separated by tabs, in declaration order. CTLC_IO
 * when out has an error afterwards. */
ctlc_status ctlc_emit_names(ctlc_run *run, const ctlc_spec *spec, FILE *out);

typedef struct ctlc_iam_options {
    const char *region;       /* NULL: "${AWS::Region}" */
    const char *account;      /* NULL: "${AWS::AccountId}" */
    const char *partition;    /* NULL: "${AWS::Partition}" */
    const char *outdir;       /* NULL: one JSON object, to the stream given */
    const char *idempotency_table; /* the DynamoDB table of @idempotent functions' keys; NULL:
                                      CTLC_IDEM_TABLE (ctlc_iam_resolve checks its name) */
} ctlc_iam_options;

/* The idempotency table's name when none is given: Powertools' documented
 * example's, so that one table may serve both. */
#define CTLC_IDEM_TABLE "IdempotencyTable"


/* Checks the region, account and partition of opt (a '*' or ':' in an ARN
 * would widen the grant) and, when only the region is given, sets
 * opt->partition to the static string of the partition it implies.
 * CTLC_INVALID after reporting what is wrong. */
ctlc_status ctlc_iam_resolve(ctlc_run *run, ctlc_iam_options *opt);

/* `ctlc iam`: a policy per client or controller of spec that uses others,
 * each to OUTDIR/NAME.policy.json, or all in one object to out when
 * opt->outdir is NULL. opt has been through ctlc_iam_resolve(). CTLC_IO as
 * for ctlc_emit_asyncapi(). */
ctlc_status ctlc_emit_iam(ctlc_run *run, const ctlc_spec *spec, const ctlc_iam_options *opt, FILE *out);

typedef struct ctlc_sam_options {
    const char *prefix;       /* before every function name ("dev-"), or NULL: none */
    const char *arch;         /* "x86_64" (NULL) or "arm64" */
    const char *code_uri;     /* every function's CodeUri; NULL: lambda/CONTROLLER/function.zip,
                                 ctl_package_lambda's OUTPUT for CONTROLLER */
    const char *path;         /* write the template here, or NULL: to the stream given */
    const char *idempotency_table; /* an existing table for @idempotent functions' keys; NULL: the
                                      template makes one (IdempotencyTable) when a controller has one */
} ctlc_sam_options;

/* `ctlc sam`: an AWS SAM template (JSON) with an AWS::Serverless::Function
 * per controller of spec (named prefix + controller; its Handler, the
 * CTL_FUNCTION_<C> variables and the `ctlc iam` policy of what it uses;
 * EventInvokeConfig from @retries and @max_event_age), an
 * AWS::IAM::ManagedPolicy per client that uses controllers, and Outputs
 * exporting their ARNs. CTLC_INVALID after reporting a bad option or a
 * function name Lambda would refuse; CTLC_IO as for ctlc_emit_asyncapi(). */
ctlc_status ctlc_emit_sam(ctlc_run *run, const ctlc_spec *spec, const ctlc_sam_options *opt, FILE *out);

/* ---- fmt: the canonical layout (fmt.c) ---------------------------------------------------- */

/* Formats the spec of len bytes at data (copied), named path in
 * diagnostics; imports are not read. On CTLC_OK *text is a malloc'd,
 * NUL-terminated text of *text_len bytes, which the caller frees;
 * otherwise it is NULL. CTLC_ERRORS: data has syntax or lexical errors
 * (reported). Warnings of the parser are reported and do not stop it. */
ctlc_status ctlc_fmt(ctlc_run *run, const char *path, const char *data, size_t len, char **text,
                     size_t *text_len);

typedef enum ctlc_fmt_mode {
    CTLC_FMT_PRINT,           /* write the formatted text to the stream given */
    CTLC_FMT_WRITE,           /* replace the file when it changes (a rename, the mode kept) */
    CTLC_FMT_CHECK            /* only say whether it would change */
} ctlc_fmt_mode;

/* Formats the file at path (read into the run, which keeps it until freed).
 * *changed (when changed is not NULL) says whether the layout differs from
 * the file's. The file's diagnostics are printed before its text is
 * written. CTLC_ERRORS: syntax errors (the file is left alone); CTLC_IO: it
 * could not be read or replaced (reported), or out has an error (not
 * reported). */
ctlc_status ctlc_fmt_file(ctlc_run *run, const char *path, ctlc_fmt_mode mode, FILE *out, bool *changed);

/* ---- diff: wire compatibility (diff.c) ---------------------------------------------------- */

typedef struct ctlc_diff_options {
    bool both_ways;           /* also what breaks new callers reaching old controllers */
    bool json;                /* a JSON array instead of one line per change */
} ctlc_diff_options;

/* Writes to out every wire change from old_spec to new_spec,
 * both loaded in run and checked without errors, each marked breaking or
 * safe (specs/language.md, "Compatibility"). *breaking says whether one
 * breaks. */
ctlc_status ctlc_diff(ctlc_run *run, const ctlc_spec *old_spec, const ctlc_spec *new_spec,
                      const ctlc_diff_options *opt, FILE *out, bool *breaking);

/* ---- lsp: a language server (lsp.c) ------------------------------------------------------- */

/* `ctlc lsp`: serves the Language Server Protocol 3.17 on in and out (the
 * base protocol's frames of JSON-RPC) until the client's exit
 * notification or the end of in; include_dirs (borrowed) are -I. Returns
 * the exit status LSP asks for: 0 after shutdown then exit, else 1.
 * Memory running out calls the handler of ctlc_set_oom_handler(). */
int ctlc_lsp(FILE *in, FILE *out, const char **include_dirs, size_t ninclude);

#endif
