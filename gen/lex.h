/* lex.h: the scanner interface (implemented in grammar/lexer.re). */
#ifndef CTLC_LEX_H
#define CTLC_LEX_H

#include <stdbool.h>

#include "ast.h"
#include "diag.h"

/* Codes the scanner returns besides the parser's TK_* tokens. */
enum {
    CTLC_LEX_EOF = 0,
    CTLC_LEX_DOC = 1000,    /* one `///` line; z/n hold its text after the slashes */
    CTLC_LEX_COMMENT = 1001 /* `//`, `////` or a block comment; z/n cover all of it */
};

typedef struct ctlc_lexer {
    const unsigned char *cur, *lim;   /* lim points at the terminating NUL */
    const unsigned char *line_start;
    const unsigned char *marker;
    uint32_t line;
    const ctlc_source *src;
    ctlc_diags *diags;
    unsigned errors;
    uint32_t open_string_line;        /* line of the last unterminated string */
} ctlc_lexer;

/* Starts scanning src at byte offset `from` (after a BOM, say). */
void ctlc_lex_init(ctlc_lexer *lx, const ctlc_source *src, ctlc_diags *diags, size_t from);

/* Scans the next token into *tok and returns its code (TK_*, CTLC_LEX_DOC,
 * CTLC_LEX_COMMENT or CTLC_LEX_EOF); a block comment's token has the line
 * and column where it starts. Malformed comments, numbers and strings are reported to
 * diags and counted (the token comes back with tok->bad set); a character
 * that starts no token comes back as TK_ILLEGAL, for the parser to report. */
int ctlc_lex_next(ctlc_lexer *lx, ctlc_token *tok);

#endif
