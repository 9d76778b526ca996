/* fmt.c: `ctlc fmt`, printing a spec in its canonical layout.
 *
 * The file is parsed first, only to refuse it when it has syntax errors.
 * Then it is scanned again with the lexer's comment hook set, which gives
 * the tokens with every comment and `///` line between them, and a small
 * recursive descent over those tokens (the grammar is known to hold) decides
 * where lines break. Each comment is printed where it was relative to the
 * tokens around it: at the end of the line of the token before it when it
 * was there, otherwise on a line of its own. Blank lines the author left
 * between fields, members and comments are kept (at most one); the rest of
 * the layout is fixed. Nothing is ever reordered, so docs attach to what
 * they attached to before. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctlc.h"
#include "files.h"
#include "grammar.h"
#include "lex.h"
#include "load.h"
#include "oom.h"
#include "parse.h"

enum { FMT_WIDTH = 100, FMT_INDENT = 4 };

typedef struct fcomment {
    const char *z;
    uint32_t n;
    uint32_t line, end_line;
    bool to_eol;             /* `//` or `///`: runs to the end of its line */
} fcomment;

typedef struct ftok {
    int major;               /* TK_*, or CTLC_LEX_EOF */
    const char *z;
    uint32_t n;
    uint32_t line;
    size_t c0, c1;           /* the comments right before it: cm[c0..c1) */
} ftok;

typedef struct fmtr {
    ftok *toks;
    size_t ntoks, tcap, i;
    fcomment *cm;
    size_t ncm, ccap;
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

/* ---- output ----------------------------------------------------------------- */

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
 * idempotent. */
static void put_comment(fmtr *f, const fcomment *c)
{
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
        p = nl + 1;
    }
}

static bool is_cont(sep s)
{
    return s == S_NONE || s == S_SPACE || s == S_CONT;
}

static int gap_blanks(const fmtr *f, uint32_t line)
{
    return f->last_line && line > f->last_line + 1 ? 1 : 0;
}

/* Prints the current token, preceded by its comments, separated by s. */
static void emit(fmtr *f, sep s)
{
    const ftok *t = &f->toks[f->i];
    int level = is_cont(s) ? f->level + 1 : f->level;
    /* Comments before a closing brace belong to the body it closes. */
    int clevel = t->major == TK_RBRACE && !is_cont(s) ? f->level + 1 : level;
    bool need_nl = false, trailing = false, own = false, last_trailing = false;
    for (size_t k = t->c0; k < t->c1; k++) {
        const fcomment *c = &f->cm[k];
        uint32_t next_line = k + 1 < t->c1 ? f->cm[k + 1].line : t->line;
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
        put_comment(f, c);
        f->last_line = c->end_line;
        need_nl = c->to_eol || next_line != c->end_line;
    }
    if (t->major == CTLC_LEX_EOF) {
        if (f->len > 0 && f->col > 0)
            newline(f);
        return;
    }
    /* A block comment after the last token of a line, with the token that
     * should start the next line right after it on the same source line,
     * stays at the end of the line; the token starts a line of its own. */
    if (last_trailing && !is_cont(s))
        need_nl = true;
    if (t->c1 > t->c0) {
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
    f->i++;
}

static int cur(const fmtr *f)
{
    return f->toks[f->i].major;
}

static int peek(const fmtr *f, size_t k)
{
    return f->i + k < f->ntoks ? f->toks[f->i + k].major : CTLC_LEX_EOF;
}

static bool has_comments(const fmtr *f, size_t i)
{
    return f->toks[i].c1 > f->toks[i].c0;
}

/* ---- layout ------------------------------------------------------------------ */

/* `@name` or `@name(args)`, all on one line. */
static void fmt_annot(fmtr *f, sep s)
{
    emit(f, s);                      /* @ */
    emit(f, S_NONE);                 /* name */
    if (cur(f) != TK_LPAREN)
        return;
    emit(f, S_NONE);
    sep next = S_NONE;
    while (cur(f) != TK_RPAREN && cur(f) != CTLC_LEX_EOF) {
        if (cur(f) == TK_COMMA) {
            emit(f, S_NONE);
            next = S_SPACE;
            continue;
        }
        if (peek(f, 1) == TK_COLON) {  /* name: value */
            emit(f, next);
            emit(f, S_NONE);
            emit(f, S_SPACE);
        } else {
            emit(f, next);
        }
    }
    emit(f, S_NONE);                 /* ) */
}

static void fmt_type(fmtr *f, sep s)
{
    int kind = cur(f);
    emit(f, s);
    if (kind == TK_LIST || kind == TK_MAP) {
        emit(f, S_NONE);             /* < */
        fmt_type(f, S_NONE);
        emit(f, S_NONE);             /* > */
    }
}

/* Field and member annotations stay on the line of the name. */
static sep fmt_inline_annots(fmtr *f, sep s)
{
    while (cur(f) == TK_AT) {
        fmt_annot(f, s);
        s = S_SPACE;
    }
    return s;
}

static void fmt_field(fmtr *f, sep s)
{
    emit(f, fmt_inline_annots(f, s)); /* name */
    if (cur(f) == TK_QUESTION)
        emit(f, S_NONE);
    emit(f, S_NONE);                 /* : */
    fmt_type(f, S_SPACE);
    if (cur(f) == TK_EQ) {
        emit(f, S_SPACE);
        emit(f, S_SPACE);
    }
    emit(f, S_NONE);                 /* ; */
}

/* `{ items }`: the '{' after `open`, one item a line, the first on the
 * next line and the others after `between`; `{}` when empty. */
static void fmt_block(fmtr *f, sep open, void (*item)(fmtr *, sep), sep between)
{
    emit(f, open);                   /* { */
    if (cur(f) == TK_RBRACE && !has_comments(f, f->i)) {
        emit(f, S_NONE);
        return;
    }
    f->level++;
    sep each = S_LINE;
    while (cur(f) != TK_RBRACE && cur(f) != CTLC_LEX_EOF) {
        item(f, each);
        each = between;
    }
    f->level--;
    emit(f, S_LINE);
}

/* `{ fields }`: blank lines between fields kept (one at most). */
static void fmt_fields(fmtr *f, sep s)
{
    fmt_block(f, s, fmt_field, S_KEEP);
}

/* An enum of plain members fits on one line when it is short; one with a
 * doc, an annotation or a comment inside gets a member a line, each with a
 * trailing comma, so that adding a member changes one line. */
static void fmt_enum(fmtr *f)
{
    emit(f, S_SPACE);                /* name */
    size_t l = f->i, r = l;
    bool plain = true;
    size_t width = f->col + 3 + 2;   /* " { " and " }" */
    while (r < f->ntoks && f->toks[r].major != TK_RBRACE && f->toks[r].major != CTLC_LEX_EOF)
        r++;
    for (size_t k = l + 1; k <= r && k < f->ntoks; k++) {
        if (has_comments(f, k) || f->toks[k].major == TK_AT)
            plain = false;
        if (f->toks[k].major != TK_RBRACE && f->toks[k].major != TK_COMMA)
            width += f->toks[k].n + 2;
    }
    if (plain && width - 2 > FMT_WIDTH)
        plain = false;
    emit(f, S_SPACE);                /* { */
    if (plain) {
        sep each = S_SPACE;
        while (cur(f) != TK_RBRACE && cur(f) != CTLC_LEX_EOF) {
            emit(f, each);
            if (cur(f) == TK_COMMA) {
                if (peek(f, 1) == TK_RBRACE)
                    f->i++;          /* the trailing comma: a one-line enum has none */
                else
                    emit(f, S_NONE);
            }
        }
        emit(f, S_SPACE);
        return;
    }
    f->level++;
    sep each = S_LINE;
    while (cur(f) != TK_RBRACE && cur(f) != CTLC_LEX_EOF) {
        emit(f, fmt_inline_annots(f, each));
        if (cur(f) == TK_COMMA)
            emit(f, S_NONE);
        else
            put(f, ",", 1);
        each = S_KEEP;
    }
    f->level--;
    emit(f, S_LINE);
}

/* `uses A, B.f, ...`, wrapped before a target that would pass the width. */
static void fmt_uses(fmtr *f)
{
    emit(f, S_SPACE);                /* uses */
    for (bool first = true;; first = false) {
        size_t width = f->toks[f->i].n + 1; /* the target and its ',' or ';' */
        if (peek(f, 1) == TK_DOT)
            width += 1 + f->toks[f->i + 2].n;
        emit(f, !first && f->col + 1 + width > FMT_WIDTH ? S_CONT : S_SPACE);
        if (cur(f) == TK_DOT) {
            emit(f, S_NONE);
            emit(f, S_NONE);
        }
        if (cur(f) != TK_COMMA)
            return;
        emit(f, S_NONE);
    }
}

/* Annotations of a declaration or a function: one a line, before it. */
static sep fmt_own_line_annots(fmtr *f, sep s)
{
    while (cur(f) == TK_AT) {
        fmt_annot(f, s);
        s = S_LINE;
    }
    return s;
}

static void fmt_func(fmtr *f, sep s)
{
    s = fmt_own_line_annots(f, s);
    if (cur(f) == TK_ASYNC) {
        emit(f, s);
        s = S_SPACE;
    }
    emit(f, s);                      /* fn */
    emit(f, S_SPACE);                /* name */
    fmt_fields(f, S_SPACE);
    if (cur(f) != TK_ARROW)
        return;
    emit(f, S_SPACE);
    if (cur(f) == TK_LBRACE)
        fmt_fields(f, S_SPACE);
    else
        emit(f, S_SPACE);
}

static void fmt_controller(fmtr *f)
{
    emit(f, S_SPACE);                /* name */
    if (cur(f) == TK_USES)
        fmt_uses(f);
    fmt_block(f, S_SPACE, fmt_func, S_BLANK); /* functions a blank line apart */
}

static void fmt_item(fmtr *f, sep s)
{
    s = fmt_own_line_annots(f, s);
    int kw = cur(f);
    emit(f, s);
    switch (kw) {
    case TK_PACKAGE:
    case TK_IMPORT:
        emit(f, S_SPACE);
        emit(f, S_NONE);             /* ; */
        break;
    case TK_ENUM:
        fmt_enum(f);
        break;
    case TK_STRUCT:
        emit(f, S_SPACE);
        fmt_fields(f, S_SPACE);
        break;
    case TK_CLIENT:
        emit(f, S_SPACE);
        if (cur(f) == TK_USES)
            fmt_uses(f);
        emit(f, S_NONE);             /* ; */
        break;
    default:
        fmt_controller(f);
        break;
    }
}

/* The keyword of the item at the cursor, past its annotations. */
static int item_keyword(const fmtr *f)
{
    size_t k = f->i;
    while (k < f->ntoks && f->toks[k].major == TK_AT) {
        k += 2;
        if (k < f->ntoks && f->toks[k].major == TK_LPAREN) {
            while (k < f->ntoks && f->toks[k].major != TK_RPAREN)
                k++;
            k++;
        }
    }
    return k < f->ntoks ? f->toks[k].major : CTLC_LEX_EOF;
}

/* ---- scanning ------------------------------------------------------------------ */

static void add_comment(fmtr *f, const char *z, uint32_t n, uint32_t line, bool to_eol)
{
    f->cm = ctlc_grow(f->cm, &f->ccap, f->ncm + 1, sizeof *f->cm);
    fcomment *c = &f->cm[f->ncm++];
    c->z = z;
    c->n = n;
    c->line = c->end_line = line;
    c->to_eol = to_eol;
    for (uint32_t k = 0; k < n; k++)
        if (z[k] == '\n')
            c->end_line++;
}

static void on_comment(void *ctx, const ctlc_token *t)
{
    add_comment(ctx, t->z, t->n, t->line, t->z[1] == '/');
}

static ctlc_status format(ctlc_run *run, ctlc_source *src, char **out, size_t *out_len)
{
    ctlc_diags *diags = &run->diags;
    ctlc_spec *spec = ctlc_parse(run->arena, diags, src);
    if (spec->syntax_errors)
        return CTLC_ERRORS;

    fmtr f = { 0 };
    size_t from = src->len >= 3 && memcmp(src->text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    ctlc_lexer lx;
    ctlc_lex_init(&lx, src, diags, from);
    lx.on_comment = on_comment;
    lx.comment_ctx = &f;
    size_t c0 = 0;
    for (;;) {
        ctlc_token t;
        int major = ctlc_lex_next(&lx, &t);
        if (major == CTLC_LEX_DOC) {
            add_comment(&f, t.z - 3, t.n + 3, t.line, true);
            continue;
        }
        f.toks = ctlc_grow(f.toks, &f.tcap, f.ntoks + 1, sizeof *f.toks);
        ftok *ft = &f.toks[f.ntoks++];
        ft->major = major;
        ft->z = t.z;
        ft->n = t.n;
        ft->line = t.line;
        ft->c0 = c0;
        ft->c1 = c0 = f.ncm;
        if (major == CTLC_LEX_EOF)
            break;
    }

    sep s = S_LINE;
    int prev = 0;
    while (cur(&f) != CTLC_LEX_EOF) {
        int kw = item_keyword(&f);
        if (prev)
            s = kw == TK_IMPORT && prev == TK_IMPORT ? S_KEEP : S_BLANK;
        fmt_item(&f, s);
        prev = kw;
    }
    emit(&f, S_KEEP);
    free(f.toks);
    free(f.cm);
    if (!f.buf)
        f.buf = ctlc_grow(NULL, &f.cap, 1, 1), f.buf[0] = '\0';
    *out = f.buf;
    *out_len = f.len;
    return CTLC_OK;
}

/* ---- the library's entry points ------------------------------------------------------- */

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
    if (!src) {
        ctlc_loc nowhere = { NULL, 0, 0 };
        ctlc_error(&run->diags, nowhere, "cannot read '%s': %s", path, strerror(errno));
        ctlc_diags_flush(&run->diags);
        return CTLC_IO;
    }
    ctlc_run_adopt(run, src);
    char *text = NULL;
    size_t len = 0;
    ctlc_status st = format(run, src, &text, &len);
    ctlc_diags_flush(&run->diags);
    if (st == CTLC_OK) {
        *changed = len != src->len || memcmp(text, src->text, len) != 0;
        if (mode == CTLC_FMT_WRITE && *changed && ctlc_replace_file(run, path, text, len) != 0)
            st = CTLC_IO;
        else if (mode == CTLC_FMT_PRINT && fwrite(text, 1, len, out) != len)
            st = CTLC_IO; /* the caller, who owns out, says why */
    }
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
