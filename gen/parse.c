/* parse.c: from the bytes of one source to its AST.
 *
 * The driver checks the bytes (UTF-8, no NUL), pulls tokens from the scanner,
 * gathers `///` lines into doc blocks, and pushes the tokens into the lemon
 * parser. Before each push it asks the parser whether the token fits; if not,
 * it reports the syntax error with the tokens that were expected, and lemon's
 * error recovery then skips to a safe point. The builders the grammar's
 * actions call are here too. */
#include "parse.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "grammar.h"
#include "lex.h"
#include "oom.h"

enum {
    MAX_TYPE_DEPTH = 64,     /* list<list<...>> nesting */
    MAX_OPEN_BRACES = 64     /* positions kept for "to match this '{'" notes */
};

/* ---- UTF-8 ---------------------------------------------------------------- */

/* Reports the first NUL byte or invalid UTF-8 sequence; returns false then. */
static bool check_bytes(ctlc_diags *d, const ctlc_source *src, size_t from)
{
    const unsigned char *s = (const unsigned char *)src->text;
    uint32_t line = 1;
    size_t line_start = from;
    for (size_t i = from; i < src->len;) {
        if (s[i] == '\n') {
            line++;
            line_start = ++i;
            continue;
        }
        if (s[i] > 0 && s[i] < 0x80) { /* ASCII, most of a spec: no need to decode */
            i++;
            continue;
        }
        size_t n = s[i] ? ctlc_utf8_len(s + i, src->len - i) : 0;
        if (n == 0) {
            ctlc_loc loc = { src, line, (uint32_t)(i - line_start) + 1 };
            if (s[i] == 0)
                ctlc_error(d, loc, "NUL byte in source; a spec is UTF-8 text");
            else
                ctlc_error(d, loc, "invalid UTF-8 (byte 0x%02x); a spec is UTF-8 text", s[i]);
            return false;
        }
        i += n;
    }
    return true;
}

/* ---- the driver ------------------------------------------------------------ */

ctlc_loc ctlc_tok_loc(ctlc_parser *p, ctlc_token t)
{
    ctlc_loc loc = { p->spec->src, t.line, t.col };
    return loc;
}

ctlc_name ctlc_tok_name(ctlc_parser *p, ctlc_token t)
{
    ctlc_name name = { t.z, t.n, ctlc_tok_loc(p, t) };
    return name;
}

/* Appends one `///` line to the pending doc block. */
static ctlc_doc *add_doc_line(ctlc_parser *p, ctlc_doc *doc, ctlc_doc **last, ctlc_token t)
{
    const char *z = t.z;
    size_t n = t.n;
    if (n && z[0] == ' ')
        z++, n--;
    while (n && (z[n - 1] == '\r' || z[n - 1] == ' ' || z[n - 1] == '\t'))
        n--;
    if (!doc) {
        doc = ctlc_alloc(p->arena, sizeof *doc);
        doc->loc = ctlc_tok_loc(p, t);
        doc->text = ctlc_strndup(p->arena, z, n);
        doc->len = n;
        if (*last)
            (*last)->next = doc;
        else
            p->spec->docs = doc;
        *last = doc;
        return doc;
    }
    char *text = ctlc_alloc(p->arena, doc->len + 1 + n + 1);
    memcpy(text, doc->text, doc->len);
    text[doc->len] = '\n';
    memcpy(text + doc->len + 1, z, n);
    doc->text = text;
    doc->len += 1 + n;
    return doc;
}

static void describe_token(ctlc_parser *p, int major, ctlc_token t, char *buf, size_t size)
{
    (void)p;
    switch (major) {
    case 0:
        snprintf(buf, size, "end of file");
        break;
    case TK_ID:
        snprintf(buf, size, "identifier '%.*s'", (int)t.n, t.z);
        break;
    case TK_INTLIT:
        snprintf(buf, size, "integer %.*s", t.n > 40 ? 40 : (int)t.n, t.z);
        break;
    case TK_FLOATLIT:
        snprintf(buf, size, "number %.*s", t.n > 40 ? 40 : (int)t.n, t.z);
        break;
    case TK_STRLIT:
        snprintf(buf, size, "string literal");
        break;
    default:
        snprintf(buf, size, "%s", ctlcParseTokenDesc(major));
        break;
    }
}

/* What a default of a list, map, struct or json field should be instead. */
static const char no_default_hint[] =
    "; list, map, struct and json fields take no default: make the field optional (name?: T) "
    "to let callers leave it out";

/* A character that starts no token; prev_major is the token before it. */
static void report_illegal(ctlc_parser *p, ctlc_token t, int prev_major)
{
    unsigned c = (unsigned char)t.z[0];
    ctlc_loc loc = ctlc_tok_loc(p, t);
    const char *hint = "";
    if (c == '[' && prev_major == TK_EQ)
        hint = no_default_hint;
    else if (c == '[' && (prev_major == TK_COLON || prev_major == TK_LT))
        hint = "; a list type is written list<T>";
    if (c >= 0x21 && c < 0x7f)
        ctlc_error(p->diags, loc, "unexpected character '%c'%s", (int)c, hint);
    else if (c < 0x80)
        ctlc_error(p->diags, loc, "unexpected character U+%04X", c);
    else
        ctlc_error(p->diags, loc, "unexpected character '%.*s'", (int)t.n, t.z);
}

/* A hint for the slips people make most, from the token found, the one
 * before it and what the parser could take (ok[]); "" when none fits. */
static const char *syntax_hint(int major, int prev_major, const bool *ok)
{
    if (major == TK_QUESTION && ok[TK_SEMI])
        return "; to make a field optional, put '?' after its name (name?: T)";
    if (major == TK_EQ && ok[TK_COLON] && ok[TK_QUESTION])
        return "; a field is written 'name: type'";
    if (major == TK_EQ && ok[TK_COLON])
        return "; an annotation argument is written 'name: value'";
    if (major == TK_LBRACE && prev_major == TK_EQ)
        return no_default_hint;
    if (major == TK_RBRACE && ok[TK_SEMI])
        return "; a field ends with ';'";
    return "";
}

/* "expected X, Y or Z" from what the parser can shift right now. */
static void report_syntax_error(ctlc_parser *p, void *parser, int major, int prev_major, ctlc_token t,
                                ctlc_loc prev_end, const ctlc_loc *open, unsigned nopen, unsigned depth)
{
    static const int type_kw[] = { TK_STRING, TK_INT, TK_FLOAT, TK_BOOL, TK_JSON, TK_LIST, TK_MAP };
    int ntok = ctlcParseTokenCount();
    bool ok[128] = { false };
    int total = 0;
    for (int k = 0; k < ntok && k < 128; k++)
        if (ctlcParseTokenDesc(k) && ctlcParseAccepts(parser, k, 1)) {
            ok[k] = true;
            total++;
        }
    /* A place that takes every type keyword and an identifier wants a type. */
    const size_t ntype = sizeof type_kw / sizeof type_kw[0];
    bool want_type = ok[TK_ID];
    for (size_t i = 0; i < ntype; i++)
        want_type = want_type && ok[type_kw[i]];
    char found[96];
    describe_token(p, major, t, found, sizeof found);

    char expected[1024]; /* every token's name fits: about 40 of at most 14 bytes */
    size_t len = 0;
    int listed = 0;
    if (want_type) {
        for (size_t i = 0; i < ntype; i++)
            ok[type_kw[i]] = false;
        ok[TK_ID] = false;
        total -= (int)ntype;
        len += (size_t)snprintf(expected, sizeof expected, "a type");
        listed++;
    }
    for (int k = 1; k < ntok && k < 128; k++) {
        if (!ok[k])
            continue;
        const char *sep = listed == 0 ? "" : listed == total - 1 ? " or " : ", ";
        int w = snprintf(expected + len, sizeof expected - len, "%s%s", sep, ctlcParseTokenDesc(k));
        if (w < 0 || (size_t)w >= sizeof expected - len)
            break;
        len += (size_t)w;
        listed++;
    }
    if (ok[0]) {
        const char *sep = listed == 0 ? "" : " or ";
        if (len + 20 < sizeof expected)
            snprintf(expected + len, sizeof expected - len, "%send of file", sep);
        listed++;
    }
    /* A missing ';' is reported where it belongs, right after the previous
     * token, when the next token is on a later line. */
    ctlc_loc loc = ctlc_tok_loc(p, t);
    bool missing_semi = ok[TK_SEMI] && t.line > prev_end.line;
    if (missing_semi)
        loc = prev_end;
    if (listed) {
        ctlc_error(p->diags, loc, "expected %s, found %s%s", expected, found, syntax_hint(major, prev_major, ok));
        if (missing_semi)
            ctlc_fix(p->diags, prev_end, 0, ";", "Insert ';'");
    } else
        ctlc_error(p->diags, loc, "unexpected %s", found);
    if (major == 0 && depth > 0) {
        unsigned i = depth <= nopen ? depth - 1 : nopen - 1;
        ctlc_note(p->diags, open[i], "to match this '{'");
    }
}

static void release_parser(void *parser, void *unused)
{
    (void)unused;
    ctlcParseFree(parser, free);
}

/* Appends a token to the list `ctlc fmt` asked for. */
static void keep_token(ctlc_lexemes *keep, int code, ctlc_token t)
{
    keep->v = ctlc_grow(keep->v, &keep->cap, keep->n + 1, sizeof *keep->v);
    ctlc_lexeme *l = &keep->v[keep->n++];
    l->code = code;
    l->z = code == CTLC_LEX_DOC ? t.z - 3 : t.z; /* the whole line, `///` included */
    l->n = code == CTLC_LEX_DOC ? t.n + 3 : t.n;
    l->line = t.line;
    l->col = t.col;
}

ctlc_spec *ctlc_parse(ctlc_arena *arena, ctlc_diags *diags, ctlc_source *src, ctlc_lexemes *keep)
{
    ctlc_parser p = { 0 };
    p.arena = arena;
    p.diags = diags;
    p.spec = ctlc_alloc(arena, sizeof *p.spec);
    p.spec->src = src;

    size_t from = 0;
    if (src->len >= 3 && memcmp(src->text, "\xef\xbb\xbf", 3) == 0)
        from = 3; /* a byte order mark is allowed and ignored; columns start after it */
    if (!check_bytes(diags, src, from)) {
        p.spec->syntax_errors = true;
        return p.spec;
    }

    void *parser = ctlcParseAlloc(malloc, &p);
    if (!parser)
        ctlc_out_of_memory();
    ctlc_oom_hold(parser, NULL, release_parser);
    ctlc_lexer lx;
    ctlc_lex_init(&lx, src, diags, from);
    ctlc_doc *pending = NULL, *last_doc = NULL;
    ctlc_loc open[MAX_OPEN_BRACES];
    unsigned depth = 0, type_depth = 0;
    ctlc_loc prev_end = { src, 1, 1 };
    int prev_major = 0;
    uint32_t doc_line = 0;
    ctlc_token t;
    int major;
    do {
        unsigned lex_errors = lx.errors;
        major = ctlc_lex_next(&lx, &t);
        if (keep)
            keep_token(keep, major, t);
        if (major == CTLC_LEX_COMMENT)
            continue;
        if (major == CTLC_LEX_DOC) {
            /* A doc block is consecutive `///` lines; after a gap a new
             * block starts and the old one documents nothing. */
            if (pending && t.line != doc_line + 1)
                pending = NULL;
            pending = add_doc_line(&p, pending, &last_doc, t);
            doc_line = t.line;
            continue;
        }
        t.doc = pending;
        pending = NULL;
        /* A token the lexer complained about (an unterminated string or
         * comment, say) mutes the syntax errors that would follow from it
         * until a few tokens fit again, as lemon does after its own errors. */
        if (lx.errors > lex_errors)
            p.quiet = 3;
        if (major == TK_LBRACE) {
            if (depth < MAX_OPEN_BRACES)
                open[depth] = ctlc_tok_loc(&p, t);
            depth++;
        } else if (major == TK_RBRACE && depth > 0) {
            depth--;
        }
        if (major == TK_LT && ++type_depth > MAX_TYPE_DEPTH) {
            ctlc_error(diags, ctlc_tok_loc(&p, t), "type nested more than %d levels deep", MAX_TYPE_DEPTH);
            p.errors++;
            break;
        } else if (major == TK_GT && type_depth > 0) {
            type_depth--;
        } else if (major == TK_SEMI || major == TK_RBRACE) {
            type_depth = 0;
        }
        /* `-> fn` or `-> list<...>`: a keyword would fall back to a struct
         * name; say what a result is instead of what the next token is. */
        if (prev_major == TK_ARROW && major >= TK_PACKAGE && major <= TK_MAP && p.quiet == 0 &&
            ctlcParseReporting(parser)) {
            ctlc_error(diags, ctlc_tok_loc(&p, t),
                       "expected '{' or a struct name after '->', found '%.*s'; a result is '{ fields }' or the name of a struct",
                       (int)t.n, t.z);
            p.errors++;
            p.quiet = 3;
        }
        bool fits = ctlcParseAccepts(parser, major, 0), reported = false;
        if (!fits) {
            if (ctlcParseReporting(parser) && p.quiet == 0) {
                reported = true;
                if (major == TK_ILLEGAL)
                    report_illegal(&p, t, prev_major);
                else
                    report_syntax_error(&p, parser, major, prev_major, t, prev_end, open, MAX_OPEN_BRACES, depth);
                p.errors++;
            }
        } else if (p.quiet > 0) {
            p.quiet--;
        }
        ctlcParse(parser, major, t);
        /* A recovery that skipped nothing (a statement that only lacked its
         * ';') ends at once: the next mistake is reported too. */
        if (reported && ctlcParseTop(parser) == major && major != TK_ILLEGAL)
            ctlcParseResume(parser);
        if (p.overflow) {
            ctlc_error(diags, ctlc_tok_loc(&p, t), "spec nested too deeply");
            p.errors++;
            break;
        }
        /* A ';' or '}' that was shifted ends the recovery from an error, so
         * that what follows is reported again; but only when the parser and
         * the text agree on how many braces are open. When the recovery
         * skipped a '{' or took a '}' that closes an outer construct, more
         * errors would be follow-ons of the first. */
        if ((major == TK_SEMI || major == TK_RBRACE) && ctlcParseTop(parser) == major && !ctlcParseReporting(parser) &&
            (unsigned)ctlcParseOpenBraces(parser) == depth) {
            ctlcParseResume(parser);
            p.quiet = 0;
        }
        prev_end = ctlc_tok_loc(&p, t);
        prev_end.col += t.n;
        prev_major = major;
    } while (major != CTLC_LEX_EOF);
    ctlc_oom_drop(parser);
    ctlcParseFree(parser, free);

    p.spec->syntax_errors = p.errors + lx.errors > 0;
    if (!p.spec->syntax_errors)
        for (ctlc_doc *doc = p.spec->docs; doc; doc = doc->next)
            if (!doc->used)
                ctlc_warning(diags, doc->loc, "doc comment documents nothing; put it right before a declaration, field or member");
    return p.spec;
}

/* ---- literals ---------------------------------------------------------------- */

static int hex4(const char *s)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= c - '0';
        else if (c >= 'a' && c <= 'f')
            v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v |= c - 'A' + 10;
        else
            return -1;
    }
    return v;
}

static size_t put_utf8(char *out, unsigned cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* Decodes a string literal with JSON escapes. Errors point at the offending
 * escape or character. */
static void decode_string(ctlc_parser *p, ctlc_literal *lit, ctlc_token t)
{
    const char *s = t.z + 1, *end = t.z + t.n - 1;
    char *out = ctlc_alloc(p->arena, t.n);
    size_t n = 0;
    for (const char *q = s; q < end;) {
        unsigned char c = (unsigned char)*q;
        ctlc_loc at = { p->spec->src, t.line, t.col + (uint32_t)(q - t.z) };
        if (c < 0x20) {
            ctlc_error(p->diags, at, "control character U+%04X in string literal; write it as an escape", c);
            goto bad;
        }
        if (c != '\\') {
            out[n++] = (char)c;
            q++;
            continue;
        }
        char e = q[1];
        const char *simple = strchr("\"\\/bfnrt", e);
        if (e && simple) {
            static const char value[] = "\"\\/\b\f\n\r\t";
            out[n++] = value[simple - "\"\\/bfnrt"];
            q += 2;
            continue;
        }
        if (e != 'u') {
            ctlc_error(p->diags, at, "invalid escape '\\%c' in string literal", e);
            goto bad;
        }
        int cp = end - q >= 6 ? hex4(q + 2) : -1;
        if (cp < 0) {
            ctlc_error(p->diags, at, "'\\u' must be followed by four hex digits");
            goto bad;
        }
        q += 6;
        if (cp >= 0xd800 && cp <= 0xdbff) {
            int lo = end - q >= 6 && q[0] == '\\' && q[1] == 'u' ? hex4(q + 2) : -1;
            if (lo < 0xdc00 || lo > 0xdfff) {
                ctlc_error(p->diags, at, "unpaired surrogate '\\u%04x' in string literal", (unsigned)cp);
                goto bad;
            }
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            q += 6;
        } else if (cp >= 0xdc00 && cp <= 0xdfff) {
            ctlc_error(p->diags, at, "unpaired surrogate '\\u%04x' in string literal", (unsigned)cp);
            goto bad;
        } else if (cp == 0) {
            ctlc_error(p->diags, at, "a string cannot hold U+0000");
            goto bad;
        }
        n += put_utf8(out + n, (unsigned)cp);
    }
    out[n] = '\0';
    lit->s = out;
    lit->slen = n;
    return;
bad:
    p->errors++;
    lit->bad = true;
    lit->s = "";
    lit->slen = 0;
}

ctlc_literal ctlc_ast_literal(ctlc_parser *p, ctlc_lit_kind kind, ctlc_token t)
{
    ctlc_literal lit;
    memset(&lit, 0, sizeof lit);
    lit.kind = kind;
    lit.loc = ctlc_tok_loc(p, t);
    lit.z = t.z;
    lit.n = t.n;
    lit.bad = t.bad;
    if (lit.bad) {
        lit.s = "";
        return lit;
    }
    switch (kind) {
    case CTLC_LIT_INT: {
        /* Accumulate negatively so INT64_MIN fits. */
        const char *q = t.z, *end = t.z + t.n;
        bool neg = *q == '-';
        q += neg;
        int64_t v = 0;
        for (; q < end; q++) {
            int digit = *q - '0';
            if (v < (INT64_MIN + digit) / 10) {
                ctlc_error(p->diags, lit.loc, "integer %.*s is outside the signed 64-bit range",
                           t.n > 40 ? 40 : (int)t.n, t.z);
                p->errors++;
                lit.bad = true;
                return lit;
            }
            v = v * 10 - digit;
        }
        if (!neg && v == INT64_MIN) {
            ctlc_error(p->diags, lit.loc, "integer %.*s is outside the signed 64-bit range",
                       t.n > 40 ? 40 : (int)t.n, t.z);
            p->errors++;
            lit.bad = true;
            return lit;
        }
        lit.i = neg ? v : -v;
        lit.f = (double)lit.i;
        break;
    }
    case CTLC_LIT_FLOAT: {
        char buf[512];
        if (t.n >= sizeof buf) {
            ctlc_error(p->diags, lit.loc, "number is too long");
            p->errors++;
            lit.bad = true;
            return lit;
        }
        memcpy(buf, t.z, t.n);
        buf[t.n] = '\0';
        lit.f = strtod(buf, NULL);
        if (!isfinite(lit.f)) {
            ctlc_error(p->diags, lit.loc, "number %s is outside the range of a double", buf);
            p->errors++;
            lit.bad = true;
        }
        break;
    }
    case CTLC_LIT_STRING:
        decode_string(p, &lit, t);
        break;
    case CTLC_LIT_BOOL:
        lit.b = t.n == 4;
        break;
    case CTLC_LIT_IDENT:
        break;
    }
    return lit;
}

/* ---- builders ---------------------------------------------------------------- */

/* Appends node to a list under construction ({first, last, ...}). */
#define APPEND(list, node)                                                                                            \
    do {                                                                                                              \
        if ((list)->last)                                                                                             \
            (list)->last->next = (node);                                                                              \
        else                                                                                                          \
            (list)->first = (node);                                                                                   \
        (list)->last = (node);                                                                                        \
    } while (0)

/* The doc of a construct sits on its first token: the first annotation's '@'
 * when it has annotations, its keyword or name otherwise. */
static ctlc_doc *take_doc(const ctlc_annots *annots, ctlc_token first)
{
    ctlc_doc *doc = annots->first ? annots->doc : first.doc;
    if (doc)
        doc->used = true;
    return doc;
}

ctlc_type *ctlc_ast_type(ctlc_parser *p, ctlc_type_kind kind, ctlc_token t, ctlc_type *elem)
{
    ctlc_type *type = ctlc_alloc(p->arena, sizeof *type);
    type->kind = kind;
    type->loc = ctlc_tok_loc(p, t);
    type->elem = elem;
    if (kind == CTLC_T_NAMED) {
        type->name = ctlc_tok_name(p, t);
        /* A keyword that fell back to an identifier where a type belongs. */
        if (ctlc_is_keyword(t.z, t.n)) {
            ctlc_error(p->diags, type->loc, "'%.*s' is a keyword, not a type", (int)t.n, t.z);
            p->errors++;
        }
    }
    return type;
}

ctlc_result ctlc_ast_result_name(ctlc_parser *p, ctlc_token arrow, ctlc_token name)
{
    ctlc_result r;
    memset(&r, 0, sizeof r);
    r.arrow = ctlc_tok_loc(p, arrow);
    r.name = ctlc_tok_name(p, name);
    return r; /* a keyword after '->' was reported by the driver (ctlc_parse) */
}

void ctlc_ast_annot(ctlc_parser *p, ctlc_annots *list, ctlc_token at, ctlc_token name,
                    bool parens, ctlc_args args)
{
    ctlc_annot *a = ctlc_alloc(p->arena, sizeof *a);
    a->loc = ctlc_tok_loc(p, at);
    a->name = ctlc_tok_name(p, name);
    a->has_parens = parens;
    a->args = args.first;
    a->nargs = args.n;
    if (!list->first)
        list->doc = at.doc; /* the doc of what the annotations lead */
    APPEND(list, a);
}

void ctlc_ast_arg(ctlc_parser *p, ctlc_args *list, const ctlc_token *name, ctlc_literal value)
{
    ctlc_arg *arg = ctlc_alloc(p->arena, sizeof *arg);
    if (name)
        arg->name = ctlc_tok_name(p, *name);
    arg->value = value;
    list->first = list->last = arg;
    list->n = 1;
}

void ctlc_ast_member(ctlc_parser *p, ctlc_members *list, ctlc_annots annots, ctlc_token name)
{
    ctlc_member *m = ctlc_alloc(p->arena, sizeof *m);
    m->doc = take_doc(&annots, name);
    m->annots = annots.first;
    m->name = ctlc_tok_name(p, name);
    APPEND(list, m);
    list->n++;
}

void ctlc_ast_field(ctlc_parser *p, ctlc_flist *list, ctlc_annots annots, ctlc_token name,
                    bool optional, ctlc_type *type, ctlc_literal *dflt)
{
    ctlc_field *f = ctlc_alloc(p->arena, sizeof *f);
    f->doc = take_doc(&annots, name);
    f->annots = annots.first;
    f->name = ctlc_tok_name(p, name);
    f->optional = optional;
    f->type = type;
    f->dflt = dflt;
    APPEND(list, f);
    list->n++;
}

ctlc_fields ctlc_ast_fields(ctlc_parser *p, ctlc_token lbrace, ctlc_flist list)
{
    ctlc_fields fields = { ctlc_tok_loc(p, lbrace), list.first, list.n };
    return fields;
}

ctlc_literal *ctlc_ast_default(ctlc_parser *p, ctlc_literal lit)
{
    ctlc_literal *copy = ctlc_alloc(p->arena, sizeof *copy);
    *copy = lit;
    return copy;
}

void ctlc_ast_target(ctlc_parser *p, ctlc_targets *list, ctlc_token ctrl, const ctlc_token *fn)
{
    ctlc_target *t = ctlc_alloc(p->arena, sizeof *t);
    t->controller = ctlc_tok_name(p, ctrl);
    if (fn)
        t->function = ctlc_tok_name(p, *fn);
    list->first = list->last = t;
}

void ctlc_ast_func(ctlc_parser *p, ctlc_funcs *list, ctlc_annots annots, const ctlc_token *async,
                   ctlc_token fn, ctlc_token name, ctlc_fields params, ctlc_result result)
{
    ctlc_func *f = ctlc_alloc(p->arena, sizeof *f);
    ctlc_token first = async ? *async : fn;
    f->doc = take_doc(&annots, first);
    f->annots = annots.first;
    f->is_async = async != NULL;
    f->loc = ctlc_tok_loc(p, first);
    f->name = ctlc_tok_name(p, name);
    f->params = params;
    f->arrow = result.arrow;
    f->has_result_fields = result.has_fields;
    f->result = result.fields;
    f->result_name = result.name;
    APPEND(list, f);
    list->n++;
}

ctlc_decl *ctlc_ast_decl(ctlc_parser *p, ctlc_decl_kind kind, ctlc_annots annots,
                         ctlc_token keyword, ctlc_token name)
{
    ctlc_decl *d = ctlc_alloc(p->arena, sizeof *d);
    d->kind = kind;
    if (kind != CTLC_D_IMPORT) /* an import has nothing to document */
        d->doc = take_doc(&annots, keyword);
    d->annots = annots.first;
    d->loc = ctlc_tok_loc(p, keyword);
    if (kind != CTLC_D_IMPORT)
        d->name = ctlc_tok_name(p, name);
    d->spec = p->spec;
    if (p->last)
        p->last->next = d;
    else
        p->spec->decls = d;
    p->last = d;
    return d;
}
