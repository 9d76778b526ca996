/* diag.h: source files and the diagnostics that point into them.
 *
 * Every message has the form `FILE:LINE:COL: error: MESSAGE`, followed by the
 * source line and a caret under the column. Columns count bytes from 1, as the
 * language reference says; the caret is placed by counting code points so it
 * lines up in a terminal. */
#ifndef CTLC_DIAG_H
#define CTLC_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A spec file read into memory. text is NUL-terminated (len bytes before the
 * NUL); the source owns text and path. */
typedef struct ctlc_source {
    char *path;         /* the path as the user or an import spelled it */
    char *text;
    size_t len;
    size_t *lines;      /* offsets of line starts, built on first use */
    size_t nlines;
    unsigned order;     /* load order in the run: diagnostics sort by it */
} ctlc_source;

/* A position in a source: line and byte column, both from 1. */
typedef struct ctlc_loc {
    const ctlc_source *src;
    uint32_t line, col;
} ctlc_loc;

/* Diagnostics are kept until ctlc_diags_flush(), which prints them sorted by
 * file (in load order), line and column, so that the checker's passes can
 * run in any order. A note stays with the message before it. */
typedef struct ctlc_diag ctlc_diag;
typedef struct ctlc_diags {
    FILE *out;          /* where messages go (stderr in the CLI); NULL: nowhere */
    unsigned errors, warnings;
    bool werror;        /* warnings count as errors */
    ctlc_diag *items;   /* pending messages */
    size_t count, cap;
} ctlc_diags;

/* Prints the pending messages in order and forgets them. */
void ctlc_diags_flush(ctlc_diags *d);

/* Forgets the pending messages without printing them. */
void ctlc_diags_discard(ctlc_diags *d);

/* Reads path into a new source. Returns NULL and sets errno on failure;
 * EISDIR when path names a directory. Free with ctlc_source_free(). */
ctlc_source *ctlc_source_read(const char *path);

/* Makes a source from len bytes of memory (copied), named path. */
ctlc_source *ctlc_source_from(const char *path, const char *data, size_t len);

void ctlc_source_free(ctlc_source *src);

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 when it
 * is invalid: overlong forms, surrogates and code points past U+10FFFF are. */
size_t ctlc_utf8_len(const unsigned char *s, size_t n);

#if defined(__GNUC__)
#define CTLC_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CTLC_PRINTF(f, a)
#endif

/* Report at loc (loc.src may be NULL for a message without a place). */
void ctlc_error(ctlc_diags *d, ctlc_loc loc, const char *fmt, ...) CTLC_PRINTF(3, 4);
void ctlc_warning(ctlc_diags *d, ctlc_loc loc, const char *fmt, ...) CTLC_PRINTF(3, 4);
void ctlc_note(ctlc_diags *d, ctlc_loc loc, const char *fmt, ...) CTLC_PRINTF(3, 4);

#endif
