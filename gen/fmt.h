/* fmt.h: `ctlc fmt`, the canonical layout of a spec.
 *
 * The formatter works on the token stream, comments included, not on the
 * AST: the AST has no place for comments, and printing from the tokens keeps
 * every comment and doc line where it was relative to the code. The parser
 * runs first only to refuse a file with syntax errors. The layout rules are
 * written down in specs/language.md ("Formatting"). */
#ifndef CTLC_FMT_H
#define CTLC_FMT_H

#include <stddef.h>

#include "diag.h"

/* Formats the spec held in src (which the caller keeps owning). On success
 * returns 0 and sets *out to a malloc'd, NUL-terminated text of *out_len
 * bytes, which the caller frees. Returns 1 when src has syntax or lexical
 * errors (reported to diags; *out is NULL then). Exits on out of memory. */
int ctlc_fmt(ctlc_diags *diags, ctlc_source *src, char **out, size_t *out_len);

/* The `ctlc fmt [-w] [--check] FILE...` command; args are the arguments
 * after "fmt". Returns the exit status: 0 done (and, with --check, nothing
 * would change), 1 a file has syntax errors or (--check) would change,
 * 2 usage or I/O error. */
int ctlc_fmt_main(int argc, char **argv);

#endif
