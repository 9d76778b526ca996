/* grammar.y: the grammar of the .ctl language (lemon).
 *
 * This file and lexer.re are the language's only definition; specs/language.md
 * describes the same rules for people. The parser is pushed one token at a
 * time by parse.c. Every node is built in the run's arena, so no symbol owns
 * heap memory and no %destructor is needed.
 *
 * Error recovery: a broken field resynchronises at the next ';' (or the '}'
 * that closes its object), a function with a broken header at its payload's
 * '{', a statement that lacks its ';' right where the ';' was expected, and
 * anything else at the next ';' or '}' at the top level. The driver reports the error itself,
 * before pushing the token, because only then is the full set of tokens that
 * were expected still on the stack (lemon's default reductions narrow it).
 * See ctlcParseAccepts() at the end. */

%name ctlcParse
%token_prefix TK_
%token_type {ctlc_token}
%extra_context {ctlc_parser *pp}
%stack_size 256
%stack_overflow { pp->overflow = true; }
%syntax_error { (void)yymajor; (void)TOKEN; /* reported by the driver */ }

%include {
#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "parse.h"
}

/* Token codes, in the order expected-token lists print them. */
%token ID INTLIT FLOATLIT STRLIT.
%token LBRACE RBRACE SEMI COLON COMMA DOT QUESTION EQ LT GT LPAREN RPAREN AT ARROW.
%token PACKAGE IMPORT ENUM STRUCT CLIENT CONTROLLER USES ASYNC FN TRUE FALSE.
%token STRING INT FLOAT BOOL JSON LIST MAP.
/* A character that starts no token; no rule takes it. */
%token ILLEGAL.

/* A keyword is an identifier wherever a keyword cannot stand: a field named
 * `client`, an enum member named `map`. */
%fallback ID PACKAGE IMPORT ENUM STRUCT CLIENT CONTROLLER USES ASYNC FN TRUE FALSE
             STRING INT FLOAT BOOL JSON LIST MAP.

/* spec = [ package ] { import } { decl }. The order is the checker's business,
 * so that `package` in the wrong place gets a clear message. */
spec ::= items.
items ::= .
items ::= items item.

item ::= annots(A) PACKAGE(K) ID(N) SEMI.
    { ctlc_ast_decl(pp, CTLC_D_PACKAGE, A, K, N); }
item ::= annots(A) IMPORT(K) STRLIT(S) SEMI.
    { ctlc_ast_decl(pp, CTLC_D_IMPORT, A, K, K)->path = ctlc_ast_literal(pp, CTLC_LIT_STRING, S); }
item ::= annots(A) ENUM(K) ID(N) LBRACE(L) members(M) RBRACE.
    {
        ctlc_decl *d = ctlc_ast_decl(pp, CTLC_D_ENUM, A, K, N);
        d->lbrace = ctlc_tok_loc(pp, L);
        d->members = M.first;
        d->nmembers = M.n;
    }
item ::= annots(A) STRUCT(K) ID(N) fields(F).
    { ctlc_ast_decl(pp, CTLC_D_STRUCT, A, K, N)->fields = F; }
item ::= annots(A) CLIENT(K) ID(N) uses(U) SEMI.
    { ctlc_ast_decl(pp, CTLC_D_CLIENT, A, K, N)->uses = U.first; }
item ::= annots(A) CONTROLLER(K) ID(N) uses(U) LBRACE funcs(F) RBRACE.
    {
        ctlc_decl *d = ctlc_ast_decl(pp, CTLC_D_CONTROLLER, A, K, N);
        d->uses = U.first;
        d->funcs = F.first;
        d->nfuncs = F.n;
    }
item ::= error SEMI.
item ::= error RBRACE.
/* A statement missing its ';' ends where the error is found, so the next
 * declaration is parsed (and checked) as usual. */
item ::= annots(A) PACKAGE(K) ID(N) error.
    { ctlc_ast_decl(pp, CTLC_D_PACKAGE, A, K, N); }
item ::= annots(A) IMPORT(K) STRLIT(S) error.
    { ctlc_ast_decl(pp, CTLC_D_IMPORT, A, K, K)->path = ctlc_ast_literal(pp, CTLC_LIT_STRING, S); }
item ::= annots(A) CLIENT(K) ID(N) uses(U) error.
    { ctlc_ast_decl(pp, CTLC_D_CLIENT, A, K, N)->uses = U.first; }

/* enum = "enum" IDENT "{" member { "," member } [ "," ] "}" */
%type members {ctlc_members}
members(L) ::= member_list(L).
members(L) ::= member_list(L) COMMA.
%type member_list {ctlc_members}
member_list(L) ::= annots(A) ID(N).
    { memset(&L, 0, sizeof L); ctlc_ast_member(pp, &L, A, N); }
member_list(L) ::= member_list(L) COMMA annots(A) ID(N).
    { ctlc_ast_member(pp, &L, A, N); }

/* fields = "{" { field } "}" */
%type fields {ctlc_fields}
fields(F) ::= LBRACE(L) field_list(X) RBRACE.
    { F = ctlc_ast_fields(pp, L, X); }
/* A broken last field: the '}' closes the object, it is not skipped. */
fields(F) ::= LBRACE(L) field_list(X) error RBRACE.
    { F = ctlc_ast_fields(pp, L, X); }
%type field_list {ctlc_flist}
field_list(L) ::= .
    { memset(&L, 0, sizeof L); }
field_list(L) ::= field_list(L) annots(A) ID(N) optional(O) COLON type(T) default(D) SEMI.
    { ctlc_ast_field(pp, &L, A, N, O, T, D); }
field_list(L) ::= field_list(L) error SEMI.
field_list(L) ::= field_list(L) annots(A) ID(N) optional(O) COLON type(T) default(D) error.
    { ctlc_ast_field(pp, &L, A, N, O, T, D); }

%type optional {bool}
optional(O) ::= .          { O = false; }
optional(O) ::= QUESTION.  { O = true; }

%type default {ctlc_literal *}
default(D) ::= .                { D = NULL; }
default(D) ::= EQ literal(V).   { D = ctlc_ast_default(pp, V); }

/* type = "string" | "int" | "float" | "bool" | "json"
 *      | "list" "<" type ">" | "map" "<" type ">" | IDENT */
%type type {ctlc_type *}
type(T) ::= STRING(K).  { T = ctlc_ast_type(pp, CTLC_T_STRING, K, NULL); }
type(T) ::= INT(K).     { T = ctlc_ast_type(pp, CTLC_T_INT, K, NULL); }
type(T) ::= FLOAT(K).   { T = ctlc_ast_type(pp, CTLC_T_FLOAT, K, NULL); }
type(T) ::= BOOL(K).    { T = ctlc_ast_type(pp, CTLC_T_BOOL, K, NULL); }
type(T) ::= JSON(K).    { T = ctlc_ast_type(pp, CTLC_T_JSON, K, NULL); }
type(T) ::= LIST(K) LT type(E) GT.  { T = ctlc_ast_type(pp, CTLC_T_LIST, K, E); }
type(T) ::= MAP(K) LT type(E) GT.   { T = ctlc_ast_type(pp, CTLC_T_MAP, K, E); }
type(T) ::= ID(N).      { T = ctlc_ast_type(pp, CTLC_T_NAMED, N, NULL); }

/* uses = "uses" target { "," target }; target = IDENT [ "." IDENT ] */
%type uses {ctlc_targets}
uses(U) ::= .                      { memset(&U, 0, sizeof U); }
uses(U) ::= USES target_list(L).   { U = L; }
%type target_list {ctlc_targets}
target_list(L) ::= target(T).                         { L = T; }
target_list(L) ::= target_list(L) COMMA target(T).    { L.last->next = T.first; L.last = T.last; }
%type target {ctlc_targets}
target(T) ::= ID(C).
    { memset(&T, 0, sizeof T); ctlc_ast_target(pp, &T, C, NULL); }
target(T) ::= ID(C) DOT ID(F).
    { memset(&T, 0, sizeof T); ctlc_ast_target(pp, &T, C, &F); }

/* function = { annotation } [ "async" ] "fn" IDENT fields [ "->" ( fields | IDENT ) ] */
%type funcs {ctlc_funcs}
funcs(L) ::= .   { memset(&L, 0, sizeof L); }
funcs(L) ::= funcs(L) annots(A) FN(K) ID(N) fields(P) result(R).
    { ctlc_ast_func(pp, &L, A, NULL, K, N, P, R); }
funcs(L) ::= funcs(L) annots(A) ASYNC(S) FN(K) ID(N) fields(P) result(R).
    { ctlc_ast_func(pp, &L, A, &S, K, N, P, R); }
/* A function whose header is broken: skip to its payload's '{'. */
funcs(L) ::= funcs(L) annots FN error fields result.
funcs(L) ::= funcs(L) annots ASYNC error fields result.

%type result {ctlc_result}
result(R) ::= .
    { memset(&R, 0, sizeof R); }
result(R) ::= ARROW(A) fields(F).
    { memset(&R, 0, sizeof R); R.arrow = ctlc_tok_loc(pp, A); R.has_fields = true; R.fields = F; }
result(R) ::= ARROW(A) ID(N).
    { R = ctlc_ast_result_name(pp, A, N); }
result(R) ::= ARROW error.
    { memset(&R, 0, sizeof R); }

/* annotation = "@" IDENT [ "(" [ arg { "," arg } ] ")" ] */
%type annots {ctlc_annots}
annots(L) ::= .   { memset(&L, 0, sizeof L); }
annots(L) ::= annots(L) AT(A) ID(N).
    { ctlc_args none = {0}; ctlc_ast_annot(pp, &L, A, N, false, none); }
annots(L) ::= annots(L) AT(A) ID(N) LPAREN RPAREN.
    { ctlc_args none = {0}; ctlc_ast_annot(pp, &L, A, N, true, none); }
annots(L) ::= annots(L) AT(A) ID(N) LPAREN args(X) RPAREN.
    { ctlc_ast_annot(pp, &L, A, N, true, X); }

/* arg = [ IDENT ":" ] literal */
%type args {ctlc_args}
args(L) ::= arg(L).
args(L) ::= args(L) COMMA arg(X).
    { L.last->next = X.first; L.last = X.last; L.n++; }
%type arg {ctlc_args}
arg(L) ::= literal(V).
    { memset(&L, 0, sizeof L); ctlc_ast_arg(pp, &L, NULL, V); }
arg(L) ::= ID(N) COLON literal(V).
    { memset(&L, 0, sizeof L); ctlc_ast_arg(pp, &L, &N, V); }

/* literal = INT | FLOAT | STRING | "true" | "false" | IDENT */
%type literal {ctlc_literal}
literal(V) ::= INTLIT(T).    { V = ctlc_ast_literal(pp, CTLC_LIT_INT, T); }
literal(V) ::= FLOATLIT(T).  { V = ctlc_ast_literal(pp, CTLC_LIT_FLOAT, T); }
literal(V) ::= STRLIT(T).    { V = ctlc_ast_literal(pp, CTLC_LIT_STRING, T); }
literal(V) ::= TRUE(T).      { V = ctlc_ast_literal(pp, CTLC_LIT_BOOL, T); }
literal(V) ::= FALSE(T).     { V = ctlc_ast_literal(pp, CTLC_LIT_BOOL, T); }
literal(V) ::= ID(T).        { V = ctlc_ast_literal(pp, CTLC_LIT_IDENT, T); }

%code {

/* Runs the LALR automaton on token major from the current stack without
 * touching it (LAC: lookahead correction), and says whether the token would
 * be shifted. With direct set, a keyword does not fall back to ID, so that
 * "expected" lists show the keywords a place really wants. */
static YYACTIONTYPE find_action(YYCODETYPE la, YYACTIONTYPE state, int direct)
{
    if (!direct)
        return yy_find_shift_action(la, state);
    if (state > YY_MAX_SHIFT)
        return state;
    int i = yy_shift_ofst[state] + la;
    if (yy_lookahead[i] != la)
        return yy_default[state];
    return yy_action[i];
}

int ctlcParseAccepts(void *parser, int major, int direct)
{
    yyParser *p = parser;
    /* Most tokens shift at once: no need to copy the stack for those. */
    YYACTIONTYPE first = find_action((YYCODETYPE)major, p->yytos->stateno, direct);
    if (first <= YY_MAX_SHIFTREDUCE || first == YY_ACCEPT_ACTION)
        return 1;
    if (first < YY_MIN_REDUCE)
        return 0;
    /* The reductions run on a stack made of lemon's, read in place below
     * `base`, and the states the simulation pushed above it: nothing is
     * copied (most tokens but the first of a statement reduce first). */
    enum { EXTRA = 64 };
    YYACTIONTYPE pushed[YYSTACKDEPTH + EXTRA];
    int base = (int)(p->yytos - p->yystack) + 1, top = 0;
    for (int steps = 0; steps < 4096; steps++) {
        YYACTIONTYPE state = top ? pushed[top - 1] : p->yystack[base - 1].stateno;
        YYACTIONTYPE act = find_action((YYCODETYPE)major, state, direct);
        if (act >= YY_MIN_REDUCE) {
            unsigned rule = act - YY_MIN_REDUCE;
            int pop = -yyRuleInfoNRhs[rule];
            if (pop <= top) {
                top -= pop;
            } else {
                base -= pop - top;
                top = 0;
            }
            if (base < 1)
                return 0;
            if (base + top >= YYSTACKDEPTH + EXTRA)
                return 1; /* deeper than the real stack can go: let lemon decide */
            YYACTIONTYPE below = top ? pushed[top - 1] : p->yystack[base - 1].stateno;
            pushed[top++] = yy_find_reduce_action(below, yyRuleInfoLhs[rule]);
        } else if (act <= YY_MAX_SHIFTREDUCE || act == YY_ACCEPT_ACTION) {
            return 1;
        } else {
            return 0;
        }
    }
    return 1;
}

int ctlcParseReporting(void *parser)
{
    return ((yyParser *)parser)->yyerrcnt < 0;
}

void ctlcParseResume(void *parser)
{
    ((yyParser *)parser)->yyerrcnt = -1;
}

int ctlcParseTop(void *parser)
{
    return ((yyParser *)parser)->yytos->major;
}

int ctlcParseOpenBraces(void *parser)
{
    yyParser *p = parser;
    int n = 0;
    for (yyStackEntry *e = p->yystack; e <= p->yytos; e++)
        n += e->major == TK_LBRACE;
    return n;
}

int ctlcParseTokenCount(void)
{
    return YYNTOKEN;
}

const char *ctlcParseTokenDesc(int major)
{
    switch (major) {
    case 0: return "end of file";
    case TK_ID: return "identifier";
    case TK_INTLIT: return "integer";
    case TK_FLOATLIT: return "number";
    case TK_STRLIT: return "string literal";
    case TK_LBRACE: return "'{'";
    case TK_RBRACE: return "'}'";
    case TK_SEMI: return "';'";
    case TK_COLON: return "':'";
    case TK_COMMA: return "','";
    case TK_DOT: return "'.'";
    case TK_QUESTION: return "'?'";
    case TK_EQ: return "'='";
    case TK_LT: return "'<'";
    case TK_GT: return "'>'";
    case TK_LPAREN: return "'('";
    case TK_RPAREN: return "')'";
    case TK_AT: return "'@'";
    case TK_ARROW: return "'->'";
    case TK_PACKAGE: return "'package'";
    case TK_IMPORT: return "'import'";
    case TK_ENUM: return "'enum'";
    case TK_STRUCT: return "'struct'";
    case TK_CLIENT: return "'client'";
    case TK_CONTROLLER: return "'controller'";
    case TK_USES: return "'uses'";
    case TK_ASYNC: return "'async'";
    case TK_FN: return "'fn'";
    case TK_TRUE: return "'true'";
    case TK_FALSE: return "'false'";
    case TK_STRING: return "'string'";
    case TK_INT: return "'int'";
    case TK_FLOAT: return "'float'";
    case TK_BOOL: return "'bool'";
    case TK_JSON: return "'json'";
    case TK_LIST: return "'list'";
    case TK_MAP: return "'map'";
    case TK_ILLEGAL: return NULL;
    default: return NULL;
    }
}
}
