/* lsp.h: what the files of ctlc lsp share (private to gen/lsp*.c):
 * lsp_text.c (positions and URIs) and lsp_hover.c (what is at a place,
 * and its hover) for lsp.c (the server). */
#ifndef CTLC_LSP_H
#define CTLC_LSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "ctlc.h"

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

/* ---- what is at a place (lsp_hover.c) ---- */

/* The name under the cursor and what it declares or refers to. */
typedef struct ctlc_lsp_hit {
    bool found;
    ctlc_name at;                /* the name under the cursor */
    const ctlc_decl *decl;       /* a declaration (or the controller of func) */
    const ctlc_func *func;       /* a function of decl */
    const ctlc_field *field;     /* a field (declared where it is) */
    const ctlc_decl *owner;      /* what holds field or member */
    const ctlc_member *member;   /* a member of enum owner */
    const ctlc_spec *imported;   /* an import's path: the spec it loaded */
    const ctlc_literal *import_path;
} ctlc_lsp_hit;

/* What is at byte offset off of spec's text (*h zeroed, h->found false
 * when nothing). Reads the tree; a spec with errors is fine. */
void ctlc_lsp_find(const ctlc_spec *spec, size_t off, ctlc_lsp_hit *h);

/* The Markdown of a hover over h, to out; strings it makes go in a.
 * checked: the spec checked without errors, so that what the checker
 * finds (defaults' wire names, constraints, C names) is there to show. */
void ctlc_lsp_hover_text(ctlc_arena *a, FILE *out, const ctlc_lsp_hit *h, bool checked);

#endif
