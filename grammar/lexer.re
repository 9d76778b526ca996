/* lexer.re: the scanner of the .ctl language (re2c).
 *
 * The whole source is in memory, NUL-terminated and already checked to be
 * valid UTF-8 without NUL bytes (parse.c), so the NUL sentinel means end of
 * input and no refill is needed. Line and column are tracked as we go:
 * columns count bytes from 1. Comments are tokens too (CTLC_LEX_COMMENT),
 * which the parser's driver passes over and `ctlc fmt` prints; each `///`
 * line is returned as CTLC_LEX_DOC for the driver to gather into a doc
 * block. */
#include <stdio.h>
#include <string.h>

#include "lex.h"
#include "grammar.h"

void ctlc_lex_init(ctlc_lexer *lx, const ctlc_source *src, ctlc_diags *diags, size_t from)
{
    memset(lx, 0, sizeof *lx);
    lx->cur = (const unsigned char *)src->text + from;
    lx->lim = (const unsigned char *)src->text + src->len;
    lx->line_start = (const unsigned char *)src->text + from;
    lx->line = 1;
    lx->src = src;
    lx->diags = diags;
}

static ctlc_loc loc_at(const ctlc_lexer *lx, const unsigned char *p)
{
    ctlc_loc loc = { lx->src, lx->line, (uint32_t)(p - lx->line_start) + 1 };
    return loc;
}

/* Counts the newlines inside a token that may span lines (block comments). */
static void skip_lines(ctlc_lexer *lx, const unsigned char *from, const unsigned char *to)
{
    for (const unsigned char *p = from; p < to; p++)
        if (*p == '\n') {
            lx->line++;
            lx->line_start = p + 1;
        }
}

/* The fix of a number with leading zeros: the same number without them
 * ("007" to "7", "-00.5" to "-0.5"). */
static void fix_leading_zeros(ctlc_lexer *lx, const unsigned char *start, size_t n)
{
    const char *z = (const char *)start;
    size_t sign = z[0] == '-', from = sign;
    while (from + 1 < n && z[from] == '0' && z[from + 1] >= '0' && z[from + 1] <= '9')
        from++;
    char text[64], title[96];
    int len = snprintf(text, sizeof text, "%.*s%.*s", (int)sign, z, (int)(n - from), z + from);
    if (len < 0 || (size_t)len >= sizeof text)
        return; /* a number that long is not a slip */
    snprintf(title, sizeof title, "Change to %s", text);
    ctlc_fix(lx->diags, loc_at(lx, start), n, text, title);
}

int ctlc_lex_next(ctlc_lexer *lx, ctlc_token *tok)
{
    for (;;) {
        const unsigned char *start = lx->cur;
        tok->z = (const char *)start;
        tok->line = lx->line;
        tok->col = (uint32_t)(start - lx->line_start) + 1;
        tok->doc = NULL;
        tok->bad = false;
#define TOKEN(code) do { tok->n = (uint32_t)(lx->cur - start); return (code); } while (0)
        /*!re2c
        re2c:define:YYCTYPE = "unsigned char";
        re2c:define:YYCURSOR = "lx->cur";
        re2c:define:YYMARKER = "lx->marker";
        re2c:yyfill:enable = 0;
        re2c:indent:top = 2;

        ident  = [A-Za-z_][A-Za-z0-9_]*;
        int    = "-"? ("0" | [1-9][0-9]*);
        frac   = "." [0-9]+;
        exp    = [eE] [+-]? [0-9]+;
        schar  = [^"\\\n\x00] | "\\" [^\n\x00];

        "\x00" {
            if (start >= lx->lim) {
                lx->cur = start;
                tok->n = 0;
                return CTLC_LEX_EOF;
            }
            tok->n = 1; /* unreachable: parse.c rejects NUL bytes */
            return TK_ILLEGAL;
        }
        [ \t\r]+ { continue; }
        "\n" { lx->line++; lx->line_start = lx->cur; continue; }

        "////" [^\n\x00]* { TOKEN(CTLC_LEX_COMMENT); }
        "///" [^\n\x00]* {
            tok->z = (const char *)start + 3;
            tok->n = (uint32_t)(lx->cur - start - 3);
            return CTLC_LEX_DOC;
        }
        "//" [^\n\x00]* { TOKEN(CTLC_LEX_COMMENT); }
        "/*" ([^*\x00] | "*"+ [^*/\x00])* "*"+ "/" {
            skip_lines(lx, start, lx->cur);
            TOKEN(CTLC_LEX_COMMENT);
        }
        "/*" {
            lx->errors++;
            ctlc_error(lx->diags, loc_at(lx, start), "unterminated comment");
            skip_lines(lx, start, lx->lim);
            lx->cur = lx->lim;
            continue;
        }

        "package"    { TOKEN(TK_PACKAGE); }
        "import"     { TOKEN(TK_IMPORT); }
        "enum"       { TOKEN(TK_ENUM); }
        "struct"     { TOKEN(TK_STRUCT); }
        "controller" { TOKEN(TK_CONTROLLER); }
        "client"     { TOKEN(TK_CLIENT); }
        "uses"       { TOKEN(TK_USES); }
        "fn"         { TOKEN(TK_FN); }
        "async"      { TOKEN(TK_ASYNC); }
        "true"       { TOKEN(TK_TRUE); }
        "false"      { TOKEN(TK_FALSE); }
        "string"     { TOKEN(TK_STRING); }
        "int"        { TOKEN(TK_INT); }
        "float"      { TOKEN(TK_FLOAT); }
        "bool"       { TOKEN(TK_BOOL); }
        "json"       { TOKEN(TK_JSON); }
        "list"       { TOKEN(TK_LIST); }
        "map"        { TOKEN(TK_MAP); }
        ident        { TOKEN(TK_ID); }

        int                 { TOKEN(TK_INTLIT); }
        int (frac exp? | exp) { TOKEN(TK_FLOATLIT); }
        "-"? "0" [0-9]+ frac? exp? {
            lx->errors++;
            ctlc_error(lx->diags, loc_at(lx, start), "a number cannot start with a leading zero");
            tok->n = (uint32_t)(lx->cur - start);
            fix_leading_zeros(lx, start, tok->n);
            tok->bad = true;
            return TK_INTLIT;
        }

        ["] schar* ["] { TOKEN(TK_STRLIT); }
        ["] schar* {
            /* The closing quote of a string broken over two lines opens
             * another unterminated string: one error is enough. */
            lx->errors++;
            if (lx->open_string_line != lx->line - 1 || lx->open_string_line == 0)
                ctlc_error(lx->diags, loc_at(lx, start), "unterminated string literal");
            lx->open_string_line = lx->line;
            tok->n = (uint32_t)(lx->cur - start);
            tok->bad = true;
            return TK_STRLIT;
        }

        ";"  { TOKEN(TK_SEMI); }
        ","  { TOKEN(TK_COMMA); }
        "."  { TOKEN(TK_DOT); }
        ":"  { TOKEN(TK_COLON); }
        "?"  { TOKEN(TK_QUESTION); }
        "="  { TOKEN(TK_EQ); }
        "{"  { TOKEN(TK_LBRACE); }
        "}"  { TOKEN(TK_RBRACE); }
        "<"  { TOKEN(TK_LT); }
        ">"  { TOKEN(TK_GT); }
        "("  { TOKEN(TK_LPAREN); }
        ")"  { TOKEN(TK_RPAREN); }
        "@"  { TOKEN(TK_AT); }
        "->" { TOKEN(TK_ARROW); }

        /* A character that starts no token: the parser reports it, so that
         * its error recovery also swallows what follows. */
        [\xc0-\xdf][\x80-\xbf] | [\xe0-\xef][\x80-\xbf]{2} | [\xf0-\xf7][\x80-\xbf]{3} {
            TOKEN(TK_ILLEGAL);
        }
        * { TOKEN(TK_ILLEGAL); }
        */
#undef TOKEN
    }
}
