/* check.h: what the checker's files share (check.c, check_annot.c, check_cnames.c):
 * its state and its messages; internal to the generator. */
#ifndef CTLC_CHECK_H
#define CTLC_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "ctlc.h"
#include "strset.h"

/* The checker's state, for one run (check.c's check()). */
typedef struct ctlc_checker {
    ctlc_run *run;
    ctlc_diags *d;
    ctlc_arena *a;
    ctlc_spec *spec;            /* the spec being checked */
    ctlc_strmap names;          /* global names visible in spec */
    unsigned generation;        /* closure walk marker */
    bool in_deprecated;         /* inside a deprecated declaration or function:
                                   using other deprecated things is no news */
    bool names_complete;        /* no spec in the import graph lost declarations
                                   to a syntax error or a failed import */
    ctlc_spec **closure;        /* spec and what it imports, imports first (arena) */
    size_t nclosure;
} ctlc_checker;

typedef enum ctlc_check_target_kind {
    CTLC_ON_PACKAGE, CTLC_ON_IMPORT, CTLC_ON_DECL, CTLC_ON_FUNCTION, CTLC_ON_FIELD, CTLC_ON_MEMBER
} ctlc_check_target_kind;

/* ---- messages (check.c) ---- */

/* A wire name for a message: control characters escaped (arena). */
const char *ctlc_check_quoted(ctlc_checker *c, const char *s, size_t n);

/* The candidate closest to a name that names nothing (suggest.h), or NULL.
 * Candidates: the given words, then the global declarations that accept()
 * takes (accept NULL: none). *hint is set to the declaration suggested, if
 * one was, for a note (hint may be NULL). In the arena. */
const char *ctlc_check_closest(ctlc_checker *c, ctlc_name name, const char *const *words, size_t nwords,
                               bool (*accept)(const ctlc_decl *), const ctlc_decl **hint);

/* "; did you mean 'x'?" for a suggestion, or "" (best NULL). */
const char *ctlc_check_did_you_mean(ctlc_checker *c, const char *best);

/* The fix of the message just reported: name replaced by best (nothing
 * when best is NULL). Every "did you mean" gives one (ctlc lsp's quick fixes). */
void ctlc_check_fix_name(ctlc_checker *c, ctlc_name name, const char *best);

/* ---- C names (check_cnames.c) ---- */

/* Reports every global C name of c->spec's generated code that C, C++, the
 * C library, POSIX, cJSON or libctl reserve, or that another of its things
 * (or an imported spec with the same prefix) already declares. */
void ctlc_check_c_names(ctlc_checker *c);

/* ---- annotations (check_annot.c) ---- */

/* An annotation of the language: its name, the names its arguments take
 * (none: positional only) and what it applies to and takes, in words
 * (ctlc lsp's completion shows it). */
typedef struct ctlc_annot_rule {
    const char *name;
    const char *const *args;
    size_t nargs;
    const char *usage;
} ctlc_annot_rule;

enum { CTLC_NANNOTS = 10 };

/* Where in an idempotency key's string the segment at byte offset off of
 * its decoded text starts: the column past the quote when the string holds
 * no escapes, else the string's. */
ctlc_loc ctlc_check_key_segment_loc(const ctlc_literal *v, size_t off);

/* Every annotation, sorted by name. */
extern const ctlc_annot_rule ctlc_annot_rules[CTLC_NANNOTS];

/* "a function", "a controller", ...: what on (and decl, for CTLC_ON_DECL)
 * names, for messages. */
const char *ctlc_check_target_str(ctlc_check_target_kind on, const ctlc_decl *decl);

/* Checks the annotations of one thing and records what they say in *tr.
 * type is the field's type (CTLC_ON_FIELD only); decl the declaration
 * (CTLC_ON_PACKAGE, CTLC_ON_IMPORT, CTLC_ON_DECL). */
void ctlc_check_annots(ctlc_checker *c, const ctlc_annot *annots, ctlc_check_target_kind on, const ctlc_decl *decl,
                       const ctlc_type *type, ctlc_traits *tr);

/* The last pass: every @idempotent function's key paths in spec, once every
 * field of every spec has its type and wire name. */
void ctlc_check_resolve_idem_keys(ctlc_checker *c, ctlc_spec *spec);

#endif
