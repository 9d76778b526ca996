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

/* One pending message as a program reads it (ctlc lsp): where, "error",
 * "warning" or "note", and the text without place and source line. Borrowed
 * from the diagnostics: valid until they are flushed or discarded. */
typedef struct ctlc_diag_fix ctlc_diag_fix;
typedef struct ctlc_diag_view {
    ctlc_loc loc;
    const char *kind;
    const char *message;
    const ctlc_diag_fix *fix;   /* a message's fix (ctlc_fix), or NULL */
    bool deprecated;            /* it warns of a use of something deprecated (ctlc_tag_deprecated) */
} ctlc_diag_view;

/* An edit that fixes what a message says: n bytes at loc replaced by text
 * (n 0: inserted), and a title for it ("Change to 'Payment'"). */
struct ctlc_diag_fix {
    ctlc_loc loc;
    size_t n;
    const char *text;
    const char *title;
};

/* Gives the message reported last (not a note) a fix: n bytes at loc
 * replaced by text, titled title (both copied). The CLI does not show it;
 * ctlc lsp offers it as a quick fix. Nothing when no message is pending. */
void ctlc_fix(ctlc_diags *d, ctlc_loc loc, size_t n, const char *text, const char *title);

/* Marks the message reported last as a warning of a use of something
 * deprecated (ctlc lsp tags it so; the CLI shows nothing more). */
void ctlc_tag_deprecated(ctlc_diags *d);

typedef void (*ctlc_diag_fn)(void *user, const ctlc_diag_view *msg, const ctlc_diag_view *notes, size_t nnotes);

/* Calls fn for each pending message with its notes, in the order
 * ctlc_diags_flush() prints them; keeps them pending. (A note reported
 * before any message comes as a message of kind "note".) */
void ctlc_diags_each(ctlc_diags *d, ctlc_diag_fn fn, void *user);

/* The byte offset in src->text of a line and byte column (both from 1):
 * columns of line 1 count from after a UTF-8 byte order mark. Clamped to
 * the end of the line (line 0 or past the last: the end of the text). */
size_t ctlc_loc_offset(const ctlc_source *src, uint32_t line, uint32_t col);

#endif
