/* names.h: every C name that the code generated from a spec declares, and
 * the names it must stay clear of. The one source of C names: the emitter
 * spells its names with these functions, the checker walks them all with
 * ctlc_cnames_each() to find collisions, `ctlc names FILE` lists a spec's,
 * and the table of specs/language.md ("Generated C names") is written by
 * ctlc_cnames_table() from the role table of names.c (the test
 * doc/naming_table holds the two equal).
 *
 * With `package p;` every global name starts "p_" (the prefix); without a
 * package there is none. A name made of several parts is built from the
 * spec names as written; a struct's or enum's own name (p_S, p_E) that is
 * reserved (see ctlc_cname_reserved) gets a trailing '_'. Other reserved
 * names are errors of the checker. Macros that generated code defines all
 * start "CTL_". */
#ifndef CTLC_NAMES_H
#define CTLC_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "arena.h"
#include "ast.h"

typedef enum ctlc_role {
    CTLC_R_STRUCT,
    CTLC_R_ENUM,
    CTLC_R_ENUM_CONST,
    CTLC_R_ENUM_TO_STRING,
    CTLC_R_ENUM_FROM_STRING,
    CTLC_R_LIST,
    CTLC_R_MAP,
    CTLC_R_MAP_ENTRY,
    CTLC_R_ARGS,
    CTLC_R_RESULT,
    CTLC_R_HANDLER,
    CTLC_R_SEND,
    CTLC_R_CALL,
    CTLC_R_CONTROLLER,
    CTLC_R_READER,
    CTLC_R_WRITER,
    CTLC_R_ENUM_FROM_BYTES,
    CTLC_R_INVOKE,
    CTLC_R_TEXT_READER,
    CTLC_R_COUNT
} ctlc_role;

/* Why a name is reserved; 0 when it is free. */
enum {
    CTLC_RSV_KEYWORD = 1,    /* a keyword of C, C++ or GNU C */
    CTLC_RSV_MACRO = 2,      /* a macro of a header around generated code */
    CTLC_RSV_LIBRARY = 4,    /* declared by the C library, POSIX or cJSON */
    CTLC_RSV_UNDERSCORE = 8, /* starts with '_' (file scope: C11 7.1.3) */
    CTLC_RSV_LIBCTL = 16,    /* starts "ctl_", "CTL_", "cJSON" or "CJSON" */
    CTLC_RSV_LOCAL = 32,     /* a parameter or local of generated functions */
    CTLC_RSV_MAIN = 64       /* main */
};

/* What makes the n bytes at z reserved as a global name (a CTLC_RSV_* set;
 * 0 when free). A global name must avoid all of them. */
unsigned ctlc_cname_reserved(const char *z, size_t n);

/* True when the n bytes at z cannot name a struct member: a keyword, a
 * macro, or a reserved start. Such a field gets a trailing '_' in C. */
bool ctlc_cname_member_reserved(const char *z, size_t n);

/* A phrase for a CTLC_RSV_* set, for messages: "a C keyword", "a macro of
 * the C library or POSIX", ... Static. */
const char *ctlc_cname_reserved_why(unsigned why);

/* ---- spelling one name (all strings in the arena) ---- */

/* "p_" or "". */
const char *ctlc_cname_prefix(ctlc_arena *a, const ctlc_spec *spec);

/* The C type of a struct or enum: p_S, with '_' after a reserved one. */
const char *ctlc_cname_type(ctlc_arena *a, const ctlc_decl *d);

/* The constant of member m of enum e: p_E_m. */
const char *ctlc_cname_enum_const(ctlc_arena *a, const ctlc_decl *e, const ctlc_member *m);

/* A name of enum e: CTLC_R_ENUM_TO_STRING, _FROM_STRING or _FROM_BYTES. */
const char *ctlc_cname_enum_fn(ctlc_arena *a, const ctlc_decl *e, ctlc_role role);

/* The C type of a list or map type t of a spec: p_list_T, p_map_T. */
const char *ctlc_cname_container(ctlc_arena *a, const ctlc_spec *spec, const ctlc_type *t);

/* What an element contributes to a container's name: "string", "int",
 * "Leed", "map_int" (no prefix). */
const char *ctlc_cname_mangle(ctlc_arena *a, const ctlc_type *t);

/* A name of function f of controller ctrl: CTLC_R_ARGS, _RESULT, _HANDLER,
 * _SEND, _CALL or _INVOKE. */
const char *ctlc_cname_func(ctlc_arena *a, const ctlc_decl *ctrl, const ctlc_func *f, ctlc_role role);

/* The dispatch table of controller ctrl: p_C_controller. */
const char *ctlc_cname_controller(ctlc_arena *a, const ctlc_decl *ctrl);

/* The reader, writer or one-pass reader (CTLC_R_READER, CTLC_R_WRITER,
 * CTLC_R_TEXT_READER) of the C type ctype (a name from the functions
 * above): ctype + "_from_json" / "_to_json" / "_from_text". */
const char *ctlc_cname_codec(ctlc_arena *a, const char *ctype, ctlc_role role);

/* The C member of a field: its name, with '_' after a reserved one. */
const char *ctlc_cname_field(ctlc_arena *a, const ctlc_field *f);

/* True when an absent optional field is a NULL pointer (string, json,
 * struct); the other optional fields have a `bool has_NAME` flag. */
bool ctlc_cname_field_is_pointer(const ctlc_field *f);

/* The presence flag of an optional field that is not a pointer, has_NAME
 * with the field's spec name; NULL for any other field. */
const char *ctlc_cname_field_flag(ctlc_arena *a, const ctlc_field *f);

/* The identifier that names the C type of field f's member, when that type
 * is not spelled with keywords alone: int64_t, cJSON, p_S, p_E, p_list_T,
 * p_map_T (spec spells the containers of the struct that holds f). NULL for
 * string, float and bool. C++ does not let a member take the name of a
 * type that a member of the same struct uses, and headers are C++ too. */
const char *ctlc_cname_field_type_name(ctlc_arena *a, const ctlc_spec *spec, const ctlc_field *f);

/* ---- every global name of a spec ---- */

typedef struct ctlc_cname {
    const char *name;          /* the C name */
    ctlc_role role;
    const ctlc_spec *spec;     /* the spec whose generated code declares it */
    const ctlc_decl *decl;     /* the enum, struct or controller it comes from */
    const ctlc_member *member; /* CTLC_R_ENUM_CONST */
    const ctlc_func *func;     /* function roles */
    const ctlc_type *type;     /* containers, and their readers and writers */
    const char *ctype;         /* readers and writers: the C type they serve */
    ctlc_role of;              /* readers and writers: the role of that type */
    ctlc_loc at;               /* where a message about it points */
    bool exported;             /* declared in the header (else file scope) */
} ctlc_cname;

typedef void (*ctlc_cname_fn)(void *user, const ctlc_cname *n);

/* Calls fn for every global C name the code generated from spec may
 * declare (everything hosted and every stub: the most any program gets),
 * in declaration order. A container is reported once per spec, at its
 * first use. */
void ctlc_cnames_each(ctlc_arena *a, const ctlc_spec *spec, ctlc_cname_fn fn, void *user);

/* What a name is, for messages: "the reader of struct 'S'", "the constant
 * of member 'm' of enum 'E'", "the send stub of function 'C.f'". */
const char *ctlc_cname_describe(ctlc_arena *a, const ctlc_cname *n);

/* The pattern of a role ("p_E_m") and what it is ("enum constant").
 * Static strings. */
const char *ctlc_role_pattern(ctlc_role role);
const char *ctlc_role_what(ctlc_role role);

/* Writes the naming table of the language reference (Markdown): each role's
 * C name or declaration and where it is declared. */
void ctlc_cnames_table(FILE *out);

#endif
