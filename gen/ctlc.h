/* ctlc.h: the generator library behind the ctlc command.
 *
 * A run loads specs with their imports, checks them, and hands the checked
 * ASTs to emitters. The CLI (main.c) is a thin layer over this. */
#ifndef CTLC_H
#define CTLC_H

#include <stdbool.h>
#include <stdio.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"

#ifndef CTLC_VERSION
#define CTLC_VERSION "0.0.0"
#endif

typedef struct ctlc_run {
    ctlc_arena *arena;
    ctlc_diags diags;
    const char **include_dirs;   /* -I, in order; borrowed */
    size_t ninclude;
    ctlc_spec *specs;            /* every loaded spec, in load order */
    ctlc_spec *last;
    ctlc_spec **stack;           /* specs being loaded, for cycle messages */
    size_t depth, stack_cap;
    bool io_error;               /* a file named on the command line was unreadable */
    unsigned nsources;           /* sources loaded so far */
} ctlc_run;

/* Starts a run whose diagnostics go to out. Free with ctlc_run_free(). */
ctlc_run *ctlc_run_new(FILE *out);

/* Prints pending diagnostics, then frees the run, its specs and sources. */
void ctlc_run_free(ctlc_run *run);

/* Loads the spec at path and, recursively, its imports. Returns the spec
 * (owned by the run), or NULL when path cannot be read; that is reported and
 * sets run->io_error. A spec already loaded (same file) is returned again. */
ctlc_spec *ctlc_load(ctlc_run *run, const char *path);

/* Loads a spec held in memory (len bytes at data, copied), named path in
 * diagnostics; its imports are resolved like a file's at path. */
ctlc_spec *ctlc_load_memory(ctlc_run *run, const char *path, const char *data, size_t len);

/* Checks every loaded spec once. Returns the number of errors so far
 * (warnings count when run->diags.werror is set). Skips the semantic checks
 * when any spec has syntax errors, so that one broken declaration does not
 * cause a cascade of unknown-name errors. */
unsigned ctlc_check(ctlc_run *run);

/* Writes the AST of spec as indented text (for tests and tools). */
void ctlc_dump(FILE *out, const ctlc_spec *spec);

#endif
