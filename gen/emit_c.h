/* emit_c.h: what the parts of `ctlc c` share (emit_c.c, emit_c_header.c,
 * emit_c_source.c, emit_c_read.c, emit_c_scaffold.c); internal to the
 * generator.
 *
 * A plan says what one program gets from a spec: every controller and
 * every stub (no --host, no --client), or the controllers it hosts (their
 * handlers declared, their dispatch tables defined) and the stubs of what
 * the hosted controllers and its client `uses`. The writers below keep the
 * output within 100 columns and pass every text that comes from a spec
 * through escape.h. */
#ifndef CTLC_EMIT_C_H
#define CTLC_EMIT_C_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ctlc.h"
#include "files.h"

/* Output lines stay within this many columns (spec text that cannot be
 * broken, such as a long name, may still pass it). */
#define CTLC_C_COLUMNS 100

/* A function that some program calls through its stubs. */
typedef struct ctlc_c_stub {
    const ctlc_decl *ctrl;
    const ctlc_func *func;    /* NULL: every function of ctrl */
} ctlc_c_stub;

typedef struct ctlc_c_plan {
    bool all;                 /* no --host nor --client: everything */
    const ctlc_decl **hosted; /* the controllers hosted (arena) */
    size_t nhosted;
    ctlc_c_stub *stubs;       /* what the program calls (arena) */
    size_t nstubs;
} ctlc_c_plan;

typedef struct ctlc_cgen {
    ctlc_run *run;
    ctlc_arena *a;
    const ctlc_spec *spec;
    const ctlc_c_plan *plan;
    const char *base;         /* the spec's file name, "leedz.ctl" */
    FILE *out;                /* the file being written */
} ctlc_cgen;

/* ---- the plan (emit_c.c) ---- */

bool ctlc_c_hosted(const ctlc_cgen *g, const ctlc_decl *ctrl);
bool ctlc_c_stubbed(const ctlc_cgen *g, const ctlc_decl *ctrl, const ctlc_func *f);
/* Whether ctrl has any code in this output: hosted, or a function stubbed. */
bool ctlc_c_emitted(const ctlc_cgen *g, const ctlc_decl *ctrl);

/* Whether the code of function f of ctrl includes each of these. */
bool ctlc_c_has_args_reader(const ctlc_cgen *g, const ctlc_decl *ctrl, const ctlc_func *f);
bool ctlc_c_has_args_writer(const ctlc_cgen *g, const ctlc_decl *ctrl, const ctlc_func *f);
bool ctlc_c_has_result_reader(const ctlc_cgen *g, const ctlc_decl *ctrl, const ctlc_func *f);
bool ctlc_c_has_result_writer(const ctlc_cgen *g, const ctlc_decl *ctrl, const ctlc_func *f);

/* ---- names and types (emit_c.c) ---- */

/* The C type of a value of type t, ending in ' ' or '*' so that a name can
 * follow ("const char *", "int64_t ", "leedz_list_string "). */
const char *ctlc_c_type(ctlc_cgen *g, const ctlc_type *t);

/* The C type of f's result (p_C_f_result or p_S), or NULL when it has none. */
const char *ctlc_c_result_type(ctlc_cgen *g, const ctlc_decl *ctrl, const ctlc_func *f);

/* The C name of the type a reader or writer serves: p_S, p_E, p_list_T. */
const char *ctlc_c_codec_type(ctlc_cgen *g, const ctlc_type *t);

bool ctlc_c_is_struct(const ctlc_type *t);

/* ---- text (emit_c.c) ---- */

/* The n bytes at s as a C string literal (escape.h), in the arena. */
const char *ctlc_c_string(ctlc_cgen *g, const char *s, size_t n);

/* The JSON text of a string (quotes and escapes), in the arena. */
const char *ctlc_c_json_string(ctlc_cgen *g, const char *s, size_t n);

/* The n bytes at s as the inside of a C comment (escape.h), in the arena. */
const char *ctlc_c_comment_text(ctlc_cgen *g, const char *s, size_t n);

/* A block comment "/ * text * /" at indent, its words wrapped within the
 * columns; text is already safe inside a comment. */
void ctlc_c_comment(ctlc_cgen *g, const char *indent, const char *text);

/* The doc comment of a declaration ("/ ** ... * /"), with its deprecation;
 * nothing when there is neither. */
void ctlc_c_doc(ctlc_cgen *g, const char *indent, const ctlc_doc *doc, const ctlc_traits *tr);

/* " CTL_DEPRECATED(\"why\")" for a deprecated thing, else "". */
const char *ctlc_c_deprecated(ctlc_cgen *g, const ctlc_traits *tr);

/* Writes indent, head, the items separated by ", " and then tail, breaking
 * the line after a comma where it would pass the columns; continuation
 * lines line up after head when they can, else indent by 8 more. For calls
 * ("return f(", args, ");") and prototypes ("int f(", params, ")"). */
void ctlc_c_list(ctlc_cgen *g, const char *indent, const char *head, const char *const *items, size_t n,
                 const char *tail);

/* The section line of a controller: / * ---- controller NAME ---...--- * / */
void ctlc_c_section(ctlc_cgen *g, const ctlc_decl *ctrl);

/* ---- what the readers and writers share (emit_c_source.c) ---- */

/* C literals of an int (INT64_MIN, INT64_C(...) past 32 bits) and of a
 * double (the shortest text that reads back, with a '.' or an exponent). */
const char *ctlc_c_int_literal(ctlc_cgen *g, int64_t v);
const char *ctlc_c_float_literal(ctlc_cgen *g, double v);

/* The wire name of field f as a C string literal. */
const char *ctlc_c_wire(ctlc_cgen *g, const ctlc_field *f);

/* Whether f has a @length or @range that makes a check. */
bool ctlc_c_has_bounds(const ctlc_field *f);

/* The checks of f's @length and @range on the value val (count: the length
 * already in a variable or member) at path pexpr, at indent ind; a return
 * from the function when one fails (with pexpr NULL, a bare return -1, for
 * the one-pass readers). */
void ctlc_c_bounds(ctlc_cgen *g, const char *ind, const ctlc_field *f, const char *val, const char *count,
                   const char *pexpr);

/* ---- readers (emit_c_read.c) ---- */

/* The reader of a list or map type t (static). */
void ctlc_c_container_reader(ctlc_cgen *g, const ctlc_type *t);

/* The reader of an object with fields fs (not empty), as function name of
 * C type ctype. */
void ctlc_c_object_reader(ctlc_cgen *g, const char *name, const char *ctype, const ctlc_fields *fs,
                          bool is_static);

/* The reader of struct d (one without fields: an object, nothing read). */
void ctlc_c_struct_reader(ctlc_cgen *g, const ctlc_decl *d);

/* The reader of enum d; bytes names its static function matching a
 * member's wire name. */
void ctlc_c_enum_reader(ctlc_cgen *g, const ctlc_decl *d, const char *bytes);

/* The one-pass readers (p_T_from_text) of the events of the hosted
 * functions: every type they hold, and each function's arguments. */
void ctlc_c_text_readers(ctlc_cgen *g);

/* ---- the parts ---- */

void ctlc_c_header(ctlc_cgen *g);   /* emit_c_header.c */
void ctlc_c_source(ctlc_cgen *g);   /* emit_c_source.c */
void ctlc_c_scaffold(ctlc_cgen *g); /* emit_c_scaffold.c */

#endif
