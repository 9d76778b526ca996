/* parse.h: turning one source into a spec AST.
 *
 * The driver (parse.c) validates the bytes, runs the re2c scanner
 * (grammar/lexer.re) and pushes each token into the lemon parser
 * (grammar/grammar.y), whose actions call the ctlc_ast_* builders below. */
#ifndef CTLC_PARSE_H
#define CTLC_PARSE_H

#include "arena.h"
#include "ast.h"
#include "diag.h"

/* The parser's %extra_context: everything an action needs. */
typedef struct ctlc_parser {
    ctlc_arena *arena;
    ctlc_diags *diags;
    ctlc_spec *spec;
    ctlc_decl *last;         /* tail of spec->decls */
    unsigned errors;         /* syntax and lexical errors in this source */
    bool overflow;           /* the parser stack overflowed */
    unsigned quiet;          /* tokens to shift before syntax errors are reported again */
} ctlc_parser;

/* One token as the lexer saw it, comments included: what `ctlc fmt`
 * prints, in the order of the source. */
typedef struct ctlc_lexeme {
    int code;                /* TK_*, CTLC_LEX_DOC, CTLC_LEX_COMMENT; CTLC_LEX_EOF last */
    const char *z;           /* the text as written (a doc line with its slashes) */
    uint32_t n;
    uint32_t line, col;      /* where it starts */
} ctlc_lexeme;

typedef struct ctlc_lexemes {
    ctlc_lexeme *v;          /* malloc'd; the caller frees it */
    size_t n, cap;
} ctlc_lexemes;

/* Parses src into a new spec (arena-owned; src stays owned by the caller and
 * must outlive the spec). Every error is reported to diags; the spec is
 * returned even then, with syntax_errors set. When keep is not NULL, every
 * token the lexer returned is appended to it, ending with CTLC_LEX_EOF (the
 * list is complete only for a spec without syntax errors). */
ctlc_spec *ctlc_parse(ctlc_arena *arena, ctlc_diags *diags, ctlc_source *src, ctlc_lexemes *keep);

/* A lemon list under construction. */
typedef struct ctlc_annots { ctlc_annot *first, *last; ctlc_doc *doc; } ctlc_annots;
typedef struct ctlc_args { ctlc_arg *first, *last; size_t n; } ctlc_args;
typedef struct ctlc_members { ctlc_member *first, *last; size_t n; } ctlc_members;
typedef struct ctlc_flist { ctlc_field *first, *last; size_t n; } ctlc_flist;
typedef struct ctlc_funcs { ctlc_func *first, *last; size_t n; } ctlc_funcs;
typedef struct ctlc_targets { ctlc_target *first, *last; } ctlc_targets;
typedef struct ctlc_result {
    ctlc_loc arrow;
    bool has_fields;
    ctlc_fields fields;
    ctlc_name name;
} ctlc_result;

/* Builders called from the grammar's actions. */
ctlc_loc ctlc_tok_loc(ctlc_parser *p, ctlc_token t);
ctlc_name ctlc_tok_name(ctlc_parser *p, ctlc_token t);
ctlc_literal ctlc_ast_literal(ctlc_parser *p, ctlc_lit_kind kind, ctlc_token t);
ctlc_type *ctlc_ast_type(ctlc_parser *p, ctlc_type_kind kind, ctlc_token t, ctlc_type *elem);
ctlc_result ctlc_ast_result_name(ctlc_parser *p, ctlc_token arrow, ctlc_token name);
void ctlc_ast_annot(ctlc_parser *p, ctlc_annots *list, ctlc_token at, ctlc_token name,
                    bool parens, ctlc_args args);
void ctlc_ast_arg(ctlc_parser *p, ctlc_args *list, const ctlc_token *name, ctlc_literal value);
void ctlc_ast_member(ctlc_parser *p, ctlc_members *list, ctlc_annots annots, ctlc_token name);
void ctlc_ast_field(ctlc_parser *p, ctlc_flist *list, ctlc_annots annots, ctlc_token name,
                    bool optional, ctlc_type *type, ctlc_literal *dflt);
ctlc_fields ctlc_ast_fields(ctlc_parser *p, ctlc_token lbrace, ctlc_flist list);
ctlc_literal *ctlc_ast_default(ctlc_parser *p, ctlc_literal lit);
void ctlc_ast_target(ctlc_parser *p, ctlc_targets *list, ctlc_token ctrl, const ctlc_token *fn);
void ctlc_ast_func(ctlc_parser *p, ctlc_funcs *list, ctlc_annots annots, const ctlc_token *async,
                   ctlc_token fn, ctlc_token name, ctlc_fields params, ctlc_result result);
ctlc_decl *ctlc_ast_decl(ctlc_parser *p, ctlc_decl_kind kind, ctlc_annots annots,
                         ctlc_token keyword, ctlc_token name);

/* Hooks into the lemon parser (grammar/grammar.y). */
void *ctlcParseAlloc(void *(*malloc_fn)(size_t), ctlc_parser *p);
void ctlcParseFree(void *parser, void (*free_fn)(void *));
void ctlcParse(void *parser, int major, ctlc_token minor);
/* Would the parser, in its present state, shift token major (without falling
 * back from a keyword to an identifier when direct is set)? */
int ctlcParseAccepts(void *parser, int major, int direct);
/* Is the parser reporting errors (not recovering from one)? */
int ctlcParseReporting(void *parser);
/* Ends the recovery from a syntax error: the next one is reported. */
void ctlcParseResume(void *parser);
/* The symbol on top of the parser's stack (the last token shifted). */
int ctlcParseTop(void *parser);
/* How many '{' the parser holds open (shifted and not yet closed). */
int ctlcParseOpenBraces(void *parser);
/* The display name of a token code: "';'", "identifier", ... */
const char *ctlcParseTokenDesc(int major);
/* Number of terminal codes (1..n-1 are tokens). */
int ctlcParseTokenCount(void);

#endif
