/* fmt.c: `ctlc fmt`, printing a spec in its canonical layout.
 *
 * fmt has no grammar of its own. The parser (parse.c, grammar/grammar.y)
 * reads the file once and hands back two things: the tree, and every token
 * the lexer returned in source order, comments and `///` lines included
 * (grammar/lexer.re returns those as tokens; the parser's driver passes
 * over them). A file with syntax errors is refused.
 *
 * The printer walks the tree: which declarations, fields, annotations and
 * functions there are, in what order, and what each holds, comes from the
 * tree alone. The tokens give the text and the place of each thing it
 * prints: every time the printer is about to print a token of the tree
 * (a name, a keyword, a ';'), it takes the next token of the list, checks
 * that it is the one the tree says comes next, and first prints the
 * comments that lie before it. So the comments are a side list ordered by
 * source position, interleaved while printing; they are not attached to
 * nodes. A grammar change that the printer does not know about (a new
 * token between two it prints) is caught there, as an error that names
 * the place, never as a silently wrong layout.
 *
 * The tokens also say what the tree leaves out on purpose: the optional
 * trailing comma of an enum, and the line of each token, from which blank
 * lines between items are known. Each comment is printed where it was
 * relative to the tokens around it: at the end of the line of the token
 * before it when it was there, otherwise on a line of its own. Blank lines
 * the author left between fields, members and comments are kept (at most
 * one); the rest of the layout is fixed (specs/language.md, "Formatting").
 * Nothing is reordered, so docs attach to what they attached to before. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctlc.h"
#include "files.h"
#include "grammar.h"
#include "lex.h"
#include "load.h"
#include "oom.h"
#include "parse.h"

enum { FMT_WIDTH = 100, FMT_INDENT = 4 };

/* What the printer expects next, besides a TK_* code: a name (an
 * identifier, or a keyword standing for one), or any literal. */
enum { X_NAME = -1, X_LITERAL = -2 };

typedef struct fmtr {
    ctlc_run *run;
    const ctlc_source *src;
    const ctlc_lexeme *lx;   /* every token, comments included; CTLC_LEX_EOF last */
    size_t nlx, i;           /* the next token to print is the first code token from i */
    bool lost;               /* the tree and the tokens disagreed: reported, print nothing more */
    char *buf;
    size_t len, cap;
    size_t col;              /* bytes on the current output line */
    int level;               /* indentation, in steps of FMT_INDENT */
    uint32_t last_line;      /* source line where the last thing printed ended */
} fmtr;

/* How a token is separated from what was printed before it. */
typedef enum sep {
    S_NONE,                  /* touching: `x?`, `list<`, `f(` */
    S_SPACE,
    S_LINE,                  /* on the next line */
    S_KEEP,                  /* on the next line, after a blank line if the source had one */
    S_BLANK,                 /* after one blank line */
    S_CONT                   /* a continuation line, indented one step more */
} sep;

/* ---- the token list ----------------------------------------------------------------------- */

static bool is_comment(const ctlc_lexeme *l)
{
    return l->code == CTLC_LEX_COMMENT || l->code == CTLC_LEX_DOC;
}

/* The index of the first code token (not a comment) from k. */
static size_t code_at(const fmtr *f, size_t k)
{
    while (k + 1 < f->nlx && is_comment(&f->lx[k]))
        k++;
    return k;
}

/* The code of the next token to print. */
static int next_code(const fmtr *f)
{
    return f->lx[code_at(f, f->i)].code;
}

/* Are there comments right before the code token at k? */
static bool has_comments(const fmtr *f, size_t k)
{
    return k > 0 && is_comment(&f->lx[k - 1]);
}

static bool is_name(int code)
{
    return code == TK_ID || (code >= TK_PACKAGE && code <= TK_MAP);
}

static bool fits(int code, int want)
{
    switch (want) {
    case X_NAME: return is_name(code);
    case X_LITERAL:
        return code == TK_INTLIT || code == TK_FLOATLIT || code == TK_STRLIT || is_name(code);
    default: return code == want;
    }
}

/* ---- output ------------------------------------------------------------------------------- */

static void put(fmtr *f, const char *s, size_t n)
{
    f->buf = ctlc_grow(f->buf, &f->cap, f->len + n + 1, 1);
    memcpy(f->buf + f->len, s, n);
    f->len += n;
    f->buf[f->len] = '\0';
    f->col += n;
}

static void newline(fmtr *f)
{
    while (f->len && (f->buf[f->len - 1] == ' ' || f->buf[f->len - 1] == '\t'))
        f->len--;
    put(f, "\n", 1);
    f->col = 0;
}

static void indent(fmtr *f, int level)
{
    for (int i = 0; i < level * FMT_INDENT; i++)
        put(f, " ", 1);
}

/* Starts a new line after `blanks` empty lines (none at the top of the file). */
static void break_line(fmtr *f, int blanks, int level)
{
    if (f->len == 0)
        return;
    if (f->col > 0)
        newline(f);
    for (int b = 0; b < blanks; b++)
        newline(f);
    indent(f, level);
}

/* A comment as written, less trailing blanks (and CRs) on each line. A block
 * comment's later lines are copied as they are: re-indenting them could
 * change what a reader sees as their layout, and copying keeps fmt
 * idempotent. Returns the source line the comment ends on. */
static uint32_t put_comment(fmtr *f, const ctlc_lexeme *c)
{
    uint32_t line = c->line;
    const char *p = c->z, *end = c->z + c->n;
    for (;;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
            e--;
        put(f, p, (size_t)(e - p));
        if (!nl)
            break;
        newline(f);
        line++;
        p = nl + 1;
    }
    return line;
}

static bool is_cont(sep s)
{
    return s == S_NONE || s == S_SPACE || s == S_CONT;
}

static int gap_blanks(const fmtr *f, uint32_t line)
{
    return f->last_line && line > f->last_line + 1 ? 1 : 0;
}

static const char *describe(int code)
{
    if (code == X_NAME)
        return "a name";
    if (code == X_LITERAL)
        return "a literal";
    return code == CTLC_LEX_EOF ? "end of file" : ctlcParseTokenDesc(code) ? ctlcParseTokenDesc(code) : "a token";
}

/* Prints the next token, which must be `want`, preceded by the comments
 * before it, separated by s. */
static void emit(fmtr *f, sep s, int want)
{
    if (f->lost)
        return;
    size_t at = code_at(f, f->i);
    const ctlc_lexeme *t = &f->lx[at];
    if (!fits(t->code, want)) {
        /* The tree holds something the printer does not print, or the
         * reverse: a grammar change fmt has not caught up with. */
        ctlc_loc loc = { f->src, t->line, t->col };
        ctlc_error(&f->run->diags, loc, "ctlc fmt cannot lay this out: it expected %s here, found %s (a bug of ctlc fmt)",
                   describe(want), describe(t->code));
        f->lost = true;
        return;
    }
    int level = is_cont(s) ? f->level + 1 : f->level;
    /* Comments before a closing brace belong to the body it closes. */
    int clevel = t->code == TK_RBRACE && !is_cont(s) ? f->level + 1 : level;
    bool need_nl = false, trailing = false, own = false, last_trailing = false;
    for (size_t k = f->i; k < at; k++) {
        const ctlc_lexeme *c = &f->lx[k];
        uint32_t next_line = f->lx[k + 1].line;
        if (f->col > 0 && !need_nl && c->line == f->last_line) {
            put(f, " ", 1);
            trailing = last_trailing = true;
        } else {
            last_trailing = false;
            /* A blank line between two `///` lines splits a doc block, so
             * the gap before a comment is kept wherever it comes. */
            int blanks = gap_blanks(f, c->line);
            if (!own && !trailing && !is_cont(s)) /* the first: the layout decides */
                blanks = s == S_BLANK ? 1 : s == S_KEEP ? blanks : 0;
            break_line(f, blanks, clevel);
            own = true;
        }
        uint32_t end_line = put_comment(f, c);
        f->last_line = end_line;
        bool to_eol = c->code == CTLC_LEX_DOC || c->z[1] == '/';
        need_nl = to_eol || next_line != end_line;
    }
    f->i = at;
    if (t->code == CTLC_LEX_EOF) {
        if (f->len > 0 && f->col > 0)
            newline(f);
        return;
    }
    /* A block comment after the last token of a line, with the token that
     * should start the next line right after it on the same source line,
     * stays at the end of the line; the token starts a line of its own. */
    if (last_trailing && !is_cont(s))
        need_nl = true;
    if (has_comments(f, at)) {
        /* After a comment on a line of its own the author's gap is kept;
         * after comments that only ended the previous line, the layout
         * decides, as when there is no comment. */
        int blanks = is_cont(s)       ? 0
                     : own            ? gap_blanks(f, t->line)
                     : s == S_BLANK   ? 1
                     : s == S_KEEP    ? gap_blanks(f, t->line)
                                      : 0;
        if (need_nl)
            break_line(f, blanks, level);
        else
            put(f, " ", 1);          /* after an inline block comment */
    } else {
        switch (s) {
        case S_NONE: break;
        case S_SPACE: put(f, " ", 1); break;
        case S_LINE: break_line(f, 0, level); break;
        case S_KEEP: break_line(f, gap_blanks(f, t->line), level); break;
        case S_BLANK: break_line(f, 1, level); break;
        case S_CONT: break_line(f, 0, level); break;
        }
    }
    put(f, t->z, t->n);
    f->last_line = t->line;
    f->i = at + 1;
}

/* ---- layout, from the tree ------------------------------------------------------------------ */

static int literal_token(const ctlc_literal *lit)
{
    switch (lit->kind) {
    case CTLC_LIT_INT: return TK_INTLIT;
    case CTLC_LIT_FLOAT: return TK_FLOATLIT;
    case CTLC_LIT_STRING: return TK_STRLIT;
    case CTLC_LIT_BOOL: return lit->b ? TK_TRUE : TK_FALSE;
    case CTLC_LIT_IDENT: return X_NAME;
    }
    return X_LITERAL;
}

/* `@name` or `@name(min: 1, max: 2)`, all on one line. */
static void fmt_annot(fmtr *f, sep s, const ctlc_annot *a)
{
    emit(f, s, TK_AT);
    emit(f, S_NONE, X_NAME);
    if (!a->has_parens)
        return;
    emit(f, S_NONE, TK_LPAREN);
    for (const ctlc_arg *arg = a->args; arg; arg = arg->next) {
        sep next = S_NONE;
        if (arg != a->args) {
            emit(f, S_NONE, TK_COMMA);
            next = S_SPACE;
        }
        if (arg->name.n) {
            emit(f, next, X_NAME);
            emit(f, S_NONE, TK_COLON);
            next = S_SPACE;
        }
        emit(f, next, literal_token(&arg->value));
    }
    emit(f, S_NONE, TK_RPAREN);
}

/* Annotations of a field or an enum member stay on the line of its name;
 * returns the separator of what follows them. */
static sep fmt_inline_annots(fmtr *f, sep s, const ctlc_annot *annots)
{
    for (const ctlc_annot *a = annots; a; a = a->next) {
        fmt_annot(f, s, a);
        s = S_SPACE;
    }
    return s;
}

/* Annotations of a declaration or a function: one a line, before it. */
static sep fmt_own_line_annots(fmtr *f, sep s, const ctlc_annot *annots)
{
    for (const ctlc_annot *a = annots; a; a = a->next) {
        fmt_annot(f, s, a);
        s = S_LINE;
    }
    return s;
}

static void fmt_type(fmtr *f, sep s, const ctlc_type *t)
{
    static const int keyword[] = {
        [CTLC_T_STRING] = TK_STRING, [CTLC_T_INT] = TK_INT,   [CTLC_T_FLOAT] = TK_FLOAT, [CTLC_T_BOOL] = TK_BOOL,
        [CTLC_T_JSON] = TK_JSON,     [CTLC_T_LIST] = TK_LIST, [CTLC_T_MAP] = TK_MAP,     [CTLC_T_NAMED] = TK_ID,
    };
    emit(f, s, keyword[t->kind]);
    if (t->kind == CTLC_T_LIST || t->kind == CTLC_T_MAP) {
        emit(f, S_NONE, TK_LT);
        fmt_type(f, S_NONE, t->elem);
        emit(f, S_NONE, TK_GT);
    }
}

/* `name?: type = default;` on one line. */
static void fmt_field(fmtr *f, sep s, const ctlc_field *fl)
{
    emit(f, fmt_inline_annots(f, s, fl->annots), X_NAME);
    if (fl->optional)
        emit(f, S_NONE, TK_QUESTION);
    emit(f, S_NONE, TK_COLON);
    fmt_type(f, S_SPACE, fl->type);
    if (fl->dflt) {
        emit(f, S_SPACE, TK_EQ);
        emit(f, S_SPACE, literal_token(fl->dflt));
    }
    emit(f, S_NONE, TK_SEMI);
}

/* The '{' of a block of nitems items, after s. A block without items or
 * comments is `{}`: then the '}' is written too and false returned.
 * Otherwise the items follow one level in, one a line, and block_end()
 * closes it. */
static bool block_begin(fmtr *f, sep s, size_t nitems)
{
    emit(f, s, TK_LBRACE);
    if (nitems == 0 && !has_comments(f, code_at(f, f->i))) {
        emit(f, S_NONE, TK_RBRACE);
        return false;
    }
    f->level++;
    return true;
}

static void block_end(fmtr *f)
{
    f->level--;
    emit(f, S_LINE, TK_RBRACE);
}

/* `{ fields }`: one field a line, with the blank lines the author left
 * between them kept (one at most). */
static void fmt_fields(fmtr *f, sep s, const ctlc_fields *fields)
{
    if (!block_begin(f, s, fields->count))
        return;
    sep each = S_LINE;
    for (const ctlc_field *fl = fields->first; fl; fl = fl->next) {
        fmt_field(f, each, fl);
        each = S_KEEP;
    }
    block_end(f);
}

/* An enum of plain members fits on one line when it is short; one with a
 * doc, an annotation or a comment inside gets a member a line, each with a
 * trailing comma, so that adding a member changes one line. */
static void fmt_enum(fmtr *f, const ctlc_decl *d)
{
    emit(f, S_SPACE, X_NAME);
    bool plain = true;
    size_t width = f->col + 3 + 2;   /* " { " and " }" */
    for (const ctlc_member *m = d->members; m; m = m->next) {
        plain = plain && !m->annots;
        width += m->name.n + 2;
    }
    /* Comments between the braces (those before '{' stay before it). */
    size_t lbrace = code_at(f, f->i);
    for (size_t k = lbrace + 1; k < f->nlx && f->lx[k].code != TK_RBRACE && f->lx[k].code != CTLC_LEX_EOF; k++)
        plain = plain && !is_comment(&f->lx[k]);
    if (plain && width - 2 > FMT_WIDTH)
        plain = false;
    emit(f, S_SPACE, TK_LBRACE);
    if (plain) {
        for (const ctlc_member *m = d->members; m; m = m->next) {
            emit(f, S_SPACE, X_NAME);
            if (next_code(f) == TK_COMMA) {
                if (m->next)
                    emit(f, S_NONE, TK_COMMA);
                else
                    f->i = code_at(f, f->i) + 1; /* the trailing comma: a one-line enum has none */
            }
        }
        emit(f, S_SPACE, TK_RBRACE);
        return;
    }
    f->level++;
    sep each = S_LINE;
    for (const ctlc_member *m = d->members; m; m = m->next) {
        emit(f, fmt_inline_annots(f, each, m->annots), X_NAME);
        if (next_code(f) == TK_COMMA)
            emit(f, S_NONE, TK_COMMA);
        else
            put(f, ",", 1);
        each = S_KEEP;
    }
    f->level--;
    emit(f, S_LINE, TK_RBRACE);
}

/* `uses A, B.f, ...`, wrapped before a target that would pass the width. */
static void fmt_uses(fmtr *f, const ctlc_target *uses)
{
    if (!uses)
        return;
    emit(f, S_SPACE, TK_USES);
    for (const ctlc_target *t = uses; t; t = t->next) {
        size_t width = t->controller.n + 1; /* the target and its ',' or ';' */
        if (t->function.n)
            width += 1 + t->function.n;
        emit(f, t != uses && f->col + 1 + width > FMT_WIDTH ? S_CONT : S_SPACE, X_NAME);
        if (t->function.n) {
            emit(f, S_NONE, TK_DOT);
            emit(f, S_NONE, X_NAME);
        }
        if (t->next)
            emit(f, S_NONE, TK_COMMA);
    }
}

/* `async fn name {` ... `} -> {` ... `}`, or `} -> Name`. */
static void fmt_func(fmtr *f, sep s, const ctlc_func *fn)
{
    s = fmt_own_line_annots(f, s, fn->annots);
    if (fn->is_async) {
        emit(f, s, TK_ASYNC);
        s = S_SPACE;
    }
    emit(f, s, TK_FN);
    emit(f, S_SPACE, X_NAME);
    fmt_fields(f, S_SPACE, &fn->params);
    if (fn->arrow.line == 0)
        return;
    emit(f, S_SPACE, TK_ARROW);
    if (fn->has_result_fields)
        fmt_fields(f, S_SPACE, &fn->result);
    else
        emit(f, S_SPACE, X_NAME);
}

/* A controller's functions are a blank line apart. */
static void fmt_controller(fmtr *f, const ctlc_decl *d)
{
    emit(f, S_SPACE, X_NAME);
    fmt_uses(f, d->uses);
    if (!block_begin(f, S_SPACE, d->nfuncs))
        return;
    sep each = S_LINE;
    for (const ctlc_func *fn = d->funcs; fn; fn = fn->next) {
        fmt_func(f, each, fn);
        each = S_BLANK;
    }
    block_end(f);
}

static void fmt_decl(fmtr *f, sep s, const ctlc_decl *d)
{
    static const int keyword[] = {
        [CTLC_D_PACKAGE] = TK_PACKAGE, [CTLC_D_IMPORT] = TK_IMPORT, [CTLC_D_ENUM] = TK_ENUM,
        [CTLC_D_STRUCT] = TK_STRUCT,   [CTLC_D_CLIENT] = TK_CLIENT, [CTLC_D_CONTROLLER] = TK_CONTROLLER,
    };
    emit(f, fmt_own_line_annots(f, s, d->annots), keyword[d->kind]);
    switch (d->kind) {
    case CTLC_D_PACKAGE:
        emit(f, S_SPACE, X_NAME);
        emit(f, S_NONE, TK_SEMI);
        break;
    case CTLC_D_IMPORT:
        emit(f, S_SPACE, TK_STRLIT);
        emit(f, S_NONE, TK_SEMI);
        break;
    case CTLC_D_ENUM:
        fmt_enum(f, d);
        break;
    case CTLC_D_STRUCT:
        emit(f, S_SPACE, X_NAME);
        fmt_fields(f, S_SPACE, &d->fields);
        break;
    case CTLC_D_CLIENT:
        emit(f, S_SPACE, X_NAME);
        fmt_uses(f, d->uses);
        emit(f, S_NONE, TK_SEMI);
        break;
    case CTLC_D_CONTROLLER:
        fmt_controller(f, d);
        break;
    }
}

/* One top-level item a line, a blank line between two; two imports in a
 * row keep a blank line between them only if they had one. */
static void fmt_spec(fmtr *f, const ctlc_spec *spec)
{
    sep s = S_LINE;
    for (const ctlc_decl *d = spec->decls, *prev = NULL; d; prev = d, d = d->next) {
        if (prev)
            s = d->kind == CTLC_D_IMPORT && prev->kind == CTLC_D_IMPORT ? S_KEEP : S_BLANK;
        fmt_decl(f, s, d);
    }
    emit(f, S_KEEP, CTLC_LEX_EOF);
}

/* ---- the library's entry points ------------------------------------------------------------ */

static ctlc_status format(ctlc_run *run, ctlc_source *src, char **out, size_t *out_len)
{
    ctlc_lexemes toks = { 0 };
    fmtr f = { 0 };
    ctlc_oom_hold_ptr(&toks.v);
    ctlc_oom_hold_ptr(&f.buf);
    ctlc_spec *spec = ctlc_parse(run->arena, &run->diags, src, &toks);
    if (!spec->syntax_errors) {
        f.run = run;
        f.src = src;
        f.lx = toks.v;
        f.nlx = toks.n;
        fmt_spec(&f, spec);
        if (!f.buf && !f.lost)
            put(&f, "", 0);  /* an empty text, not NULL */
    }
    ctlc_oom_drop(&toks.v);
    ctlc_oom_drop(&f.buf);
    free(toks.v);
    if (spec->syntax_errors || f.lost) {
        free(f.buf);
        return CTLC_ERRORS;
    }
    *out = f.buf;
    *out_len = f.len;
    return CTLC_OK;
}

static ctlc_status format_memory(ctlc_run *run, const char *path, const char *data, size_t len, char **text,
                                 size_t *text_len)
{
    ctlc_source *src = ctlc_run_adopt(run, ctlc_source_from(path, data, len));
    return format(run, src, text, text_len);
}

ctlc_status ctlc_fmt(ctlc_run *run, const char *path, const char *data, size_t len, char **text, size_t *text_len)
{
    *text = NULL;
    *text_len = 0;
    CTLC_GUARDED(run, format_memory(run, path, data, len, text, text_len));
}

static ctlc_status format_file(ctlc_run *run, const char *path, ctlc_fmt_mode mode, FILE *out, bool *changed)
{
    bool ignored;
    if (!changed)
        changed = &ignored;
    ctlc_source *src = ctlc_source_read(path);
    if (!src && errno == ENOMEM)
        ctlc_out_of_memory();
    if (!src) {
        ctlc_loc nowhere = { NULL, 0, 0 };
        ctlc_error(&run->diags, nowhere, "cannot read '%s': %s", path, strerror(errno));
        ctlc_diags_flush(&run->diags);
        return CTLC_IO;
    }
    ctlc_run_adopt(run, src);
    char *text = NULL;
    size_t len = 0;
    ctlc_oom_hold_ptr(&text);
    ctlc_status st = format(run, src, &text, &len);
    ctlc_diags_flush(&run->diags);
    if (st == CTLC_OK) {
        *changed = len != src->len || memcmp(text, src->text, len) != 0;
        if (mode == CTLC_FMT_WRITE && *changed && ctlc_replace_file(run, path, text, len) != 0)
            st = CTLC_IO;
        else if (mode == CTLC_FMT_PRINT && fwrite(text, 1, len, out) != len)
            st = CTLC_IO; /* the caller, who owns out, says why */
    }
    ctlc_oom_drop(&text);
    free(text);
    ctlc_diags_flush(&run->diags);
    return st;
}

ctlc_status ctlc_fmt_file(ctlc_run *run, const char *path, ctlc_fmt_mode mode, FILE *out, bool *changed)
{
    if (changed)
        *changed = false;
    CTLC_GUARDED(run, format_file(run, path, mode, out, changed));
}
