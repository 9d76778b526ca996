/* lsp.h: what the files of ctlc lsp share (private to gen/lsp*.c): the
 * server's state and its helpers for a request's params (lsp.c), positions
 * and URIs (lsp_text.c), every name of a spec and what is at a place
 * (lsp_find.c), and one entry point per feature group: hover and
 * definition (lsp_hover.c), references (lsp_refs.c), document and
 * workspace symbols (lsp_symbols.c), completion (lsp_complete.c), rename
 * (lsp_rename.c), code actions (lsp_actions.c). */
#ifndef CTLC_LSP_H
#define CTLC_LSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "ctlc.h"
#include "lsp_rpc.h"

/* p, or (NULL) memory ran out: ctlc_out_of_memory(), which does not return. */
void *ctlc_lsp_need(void *p);

/* n bytes at s and a NUL, malloc'd (the caller frees). */
char *ctlc_lsp_strndup(const char *s, size_t n);

/* ---- positions (lsp_text.c) ---- */

/* Where LSP's lines start in a text: after "\n", "\r\n" and a lone "\r". */
typedef struct ctlc_lsp_lines {
    size_t *start;      /* malloc'd; the caller frees */
    size_t n;
} ctlc_lsp_lines;

/* (Re)builds t over len bytes of text (frees the old table). */
void ctlc_lsp_lines_build(ctlc_lsp_lines *t, const char *text, size_t len);

/* Updates t, the table of a text whose bytes [from, to) have just become
 * n bytes (text, len bytes, is the text after), as ctlc_lsp_lines_build
 * would make it, looking only at the bytes that changed: a one-character
 * edit costs the lines after it, not the whole text. */
void ctlc_lsp_lines_splice(ctlc_lsp_lines *t, const char *text, size_t len, size_t from, size_t to, size_t n);

/* The LSP Position {line, character} of byte offset off of text, its
 * column in UTF-8 bytes (utf8) or UTF-16 code units; a new cJSON object. */
cJSON *ctlc_lsp_position(bool utf8, const ctlc_lsp_lines *t, const char *text, size_t len, size_t off);

/* The LSP Range of bytes [from, to); a new cJSON object. */
cJSON *ctlc_lsp_range(bool utf8, const ctlc_lsp_lines *t, const char *text, size_t len, size_t from, size_t to);

/* The byte offset of LSP position (line, character) into *off: a
 * character past the end of its line is the end of the line (as LSP says).
 * False when the line is past the end of the text. */
bool ctlc_lsp_offset(bool utf8, const ctlc_lsp_lines *t, const char *text, size_t len, uint32_t line,
                     uint32_t character, size_t *off);

/* ---- URIs (lsp_text.c) ---- */

/* The path of a file: URI, percent-decoded (malloc'd), or NULL for another
 * scheme, a host other than localhost, a %00 or a malformed escape. */
char *ctlc_lsp_uri_path(const char *uri);

/* A file: URI of path (malloc'd): every byte but unreserved ones and '/'
 * percent-encoded. */
char *ctlc_lsp_path_uri(const char *path);

/* ---- every name of a spec, what is at a place (lsp_find.c) ---- */

/* A name in a spec and what it declares or refers to. */
typedef struct ctlc_lsp_hit {
    bool found;
    bool declares;               /* at is the declaration's own name */
    ctlc_name at;                /* the name under the cursor */
    const ctlc_decl *decl;       /* a declaration (or the controller of func) */
    const ctlc_func *func;       /* a function of decl */
    const ctlc_field *field;     /* a field (declared where it is) */
    const ctlc_decl *owner;      /* what holds field or member */
    const ctlc_member *member;   /* a member of enum owner */
    const ctlc_spec *imported;   /* an import's path: the spec it loaded */
    const ctlc_literal *import_path;
} ctlc_lsp_hit;

/* Called for each name of a walk (h borrowed for the call); true stops it. */
typedef bool (*ctlc_lsp_visit_fn)(void *user, const ctlc_lsp_hit *h);

/* Calls fn for every name of spec that declares or refers to something
 * resolved (declarations, members, fields, types, uses, destinations,
 * enum defaults, idempotency keys' parts, imports), in source order. Reads the tree; a spec with
 * errors is fine: what did not resolve is left out. */
void ctlc_lsp_walk(const ctlc_spec *spec, ctlc_lsp_visit_fn fn, void *user);

/* What is at byte offset off of spec's text (*h zeroed, h->found false
 * when nothing). */
void ctlc_lsp_find(const ctlc_spec *spec, size_t off, ctlc_lsp_hit *h);

/* What a hit names, the same in every run that read its spec: the spec's
 * canonical path and the byte offset of the declaring name (borrowed from
 * the hit's run). */
typedef struct ctlc_lsp_key {
    const char *canon;
    size_t offset;
    ctlc_name name;              /* the declaring name */
} ctlc_lsp_key;

/* h's key; false for an import (it names a file, not a declaration). */
bool ctlc_lsp_target(const ctlc_lsp_hit *h, ctlc_lsp_key *key);

/* ---- hover (lsp_hover.c) ---- */

/* The Markdown of a hover over h, to out; strings it makes go in a.
 * checked: the spec checked without errors, so that what the checker
 * finds (defaults' wire names, constraints, C names) is there to show. */
void ctlc_lsp_hover_text(ctlc_arena *a, FILE *out, const ctlc_lsp_hit *h, bool checked);

/* ---- the server (lsp.c) ---- */

/* An open document and its last check. */
typedef struct ctlc_lsp_doc {
    char *uri;              /* as the client spelled it */
    char *path;             /* the file it names; NULL for a URI that is not file: */
    char *text;
    size_t len;
    long version;
    ctlc_lsp_lines lines;
    ctlc_run *run;          /* its last check */
    ctlc_spec *spec;        /* its tree in run, or NULL */
    char **read;            /* canonical paths of every spec that check read */
    size_t nread;
} ctlc_lsp_doc;

typedef enum ctlc_lsp_phase { CTLC_LSP_BEFORE_INIT, CTLC_LSP_RUNNING, CTLC_LSP_SHUT_DOWN } ctlc_lsp_phase;

typedef struct ctlc_lsp_server {
    ctlc_rpc rpc;
    ctlc_lsp_phase phase;
    bool utf8;              /* columns in UTF-8 bytes, else UTF-16 units */
    bool keep_wire_names;   /* rename adds @json to keep a wire name (lsp_rename.c) */
    ctlc_lsp_doc **docs;
    size_t ndocs, cap;
    const char **include_dirs;
    size_t ninclude;
    bool exited;
    int exit_code;
} ctlc_lsp_server;

/* A request's params, read with a message for the first thing wrong. */
typedef struct ctlc_lsp_params {
    const cJSON *root;
    char why[256];
} ctlc_lsp_params;

/* LSP's RequestFailed: the request was valid but could not be done. */
enum { CTLC_LSP_REQUEST_FAILED = -32803 };

/* Member name of obj (described as where in messages) of cJSON type
 * type (cJSON_String, _Object, _Array or _Number), or NULL with p->why
 * set; nothing once p->why is set. */
const cJSON *ctlc_lsp_member(ctlc_lsp_params *p, const cJSON *obj, const char *where, const char *name, int type);

/* A non-negative integer of 32 bits, as member() reads one. */
bool ctlc_lsp_get_u32(ctlc_lsp_params *p, const cJSON *obj, const char *where, const char *name, uint32_t *out);

/* params.textDocument.uri's open document, or NULL with p->why set. */
ctlc_lsp_doc *ctlc_lsp_the_doc(ctlc_lsp_server *s, ctlc_lsp_params *p);

/* The byte offset into d of LSP position pos (described as where);
 * false with p->why set when it is malformed or past the last line. */
bool ctlc_lsp_pos_offset(const ctlc_lsp_server *s, ctlc_lsp_params *p, const ctlc_lsp_doc *d, const cJSON *pos,
                         const char *where, size_t *off);

/* Answers id with an invalid-params error and is true when p->why is set. */
bool ctlc_lsp_refused(ctlc_lsp_server *s, const cJSON *id, ctlc_lsp_params *p);

/* What a position request points at: params.textDocument's document in
 * *d, the hit at params.position in *h, true; or false once the request
 * is answered (an error, or null where nothing is). */
bool ctlc_lsp_point(ctlc_lsp_server *s, const cJSON *id, ctlc_lsp_params *p, ctlc_lsp_doc **d, ctlc_lsp_hit *h);

/* The LSP Range of bytes [from, to) of d, in the negotiated encoding. */
cJSON *ctlc_lsp_doc_range(const ctlc_lsp_server *s, const ctlc_lsp_doc *d, size_t from, size_t to);

/* The open document whose text src is, or NULL. */
ctlc_lsp_doc *ctlc_lsp_doc_of_source(ctlc_lsp_server *s, const ctlc_source *src);

/* The URI of a source (malloc'd): its open document's, else a file: URI
 * of its real path. */
char *ctlc_lsp_source_uri(ctlc_lsp_server *s, const ctlc_source *src);

/* A place in a source as an LSP Location (a new cJSON object). */
cJSON *ctlc_lsp_location(ctlc_lsp_server *s, const ctlc_source *src, size_t from, size_t to);

/* LSP's SymbolKind values that ctl's things take. */
enum { CTLC_LSP_SK_PACKAGE = 4, CTLC_LSP_SK_CLASS = 5, CTLC_LSP_SK_FIELD = 8, CTLC_LSP_SK_ENUM = 10,
       CTLC_LSP_SK_INTERFACE = 11, CTLC_LSP_SK_FUNCTION = 12, CTLC_LSP_SK_ENUM_MEMBER = 22, CTLC_LSP_SK_STRUCT = 23 };

/* The SymbolKind of a declaration: package, enum, struct, client
 * (interface), controller (class). */
int ctlc_lsp_symbol_kind(ctlc_decl_kind k);

/* Where a message at loc points: its byte and the identifier that starts
 * there (else the one character), [*from, *to). */
void ctlc_lsp_span(ctlc_loc loc, size_t *from, size_t *to);

/* The LSP Diagnostic of a message of d's last check (in d's source), its
 * notes as related information, its fix (ctlc_fix) as data.fix. */
cJSON *ctlc_lsp_diagnostic(ctlc_lsp_server *s, ctlc_lsp_doc *d, const ctlc_diag_view *msg, const ctlc_diag_view *notes,
                           size_t nnotes);

/* Applies params.contentChanges to d's text and lines, in order (each
 * range in the text the changes before it left; a change without one
 * replaces the whole text); all or nothing: false with p->why set, d
 * unchanged, when one is malformed or out of the document (lsp_text.c). */
bool ctlc_lsp_apply_changes(const ctlc_lsp_server *s, ctlc_lsp_params *p, ctlc_lsp_doc *d, const cJSON *changes);

/* ---- feature groups: each answers request id ---- */

void ctlc_lsp_hover(ctlc_lsp_server *s, const cJSON *id, ctlc_lsp_params *p);
void ctlc_lsp_definition(ctlc_lsp_server *s, const cJSON *id, ctlc_lsp_params *p);
void ctlc_lsp_completion(ctlc_lsp_server *s, const cJSON *id, ctlc_lsp_params *p);          /* lsp_complete.c */
void ctlc_lsp_prepare_rename(ctlc_lsp_server *s, const cJSON *id, ctlc_lsp_params *p);      /* lsp_rename.c */
void ctlc_lsp_rename(ctlc_lsp_server *s, const cJSON *id, ctlc_lsp_params *p);              /* lsp_rename.c */
void ctlc_lsp_code_actions(ctlc_lsp_server *s, const cJSON *id, ctlc_lsp_params *p);        /* lsp_actions.c */
void ctlc_lsp_references(ctlc_lsp_server *s, const cJSON *id, ctlc_lsp_params *p);          /* lsp_refs.c */
void ctlc_lsp_document_symbols(ctlc_lsp_server *s, const cJSON *id, ctlc_lsp_params *p);    /* lsp_symbols.c */
void ctlc_lsp_workspace_symbols(ctlc_lsp_server *s, const cJSON *id, ctlc_lsp_params *p);   /* lsp_symbols.c */

/* Calls fn for every spec the open documents' checks read, once for each
 * file (a spec read by several checks is visited in the first), first's
 * specs first; only checks that read the spec want, when want is not NULL
 * (lsp_refs.c). */
void ctlc_lsp_each_spec(ctlc_lsp_server *s, const ctlc_lsp_doc *first, const char *want,
                        void (*fn)(void *user, const ctlc_spec *spec), void *user);

/* Calls fn for every place that names key (its declaration too when
 * with_decl) in the specs the open documents' checks read, each file once,
 * first's specs first (lsp_refs.c). */
void ctlc_lsp_occurrences(ctlc_lsp_server *s, const ctlc_lsp_doc *first, const ctlc_lsp_key *key, bool with_decl,
                          ctlc_lsp_visit_fn fn, void *user);

#endif
