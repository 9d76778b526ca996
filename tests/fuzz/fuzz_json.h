/* fuzz_json.h: JSON helpers of the dispatch fuzz targets, independent of
 * libctl so that they can serve as its oracle.
 *
 *   fj_validate  a strict RFC 8259 checker (the grammar, the nesting limit,
 *                optionally UTF-8), written apart from libctl's reader.
 *   fj_parse     a lenient, lossless tree: numbers keep their text and
 *                strings and keys their escaped text, so that \u0000, lone
 *                surrogates, bytes that are not UTF-8 and integers beyond
 *                2^53 survive a parse and print (cJSON loses all four). The
 *                structure-aware mutator edits these trees.
 *   fj_decode    the bytes an escaped string stands for. */
#ifndef FUZZ_JSON_H
#define FUZZ_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum fj_type { FJ_NULL, FJ_FALSE, FJ_TRUE, FJ_NUMBER, FJ_STRING, FJ_ARRAY, FJ_OBJECT } fj_type;

/* ---- the strict checker ------------------------------------------------------ */

enum {
    FJ_UTF8 = 1,        /* strings must be valid UTF-8 (else any byte >= 0x80 passes) */
    FJ_NO_SURROGATE = 2 /* reject \u escapes of unpaired surrogates */
};

/* 0 when the n bytes at s are one JSON text whose containers nest at most
 * max_depth deep (the root container is depth 1); -1 otherwise. *root_type
 * (may be NULL) gets the root's type. */
int fj_validate(const unsigned char *s, size_t n, int flags, int max_depth, fj_type *root_type);

/* ---- lossless trees ------------------------------------------------------------ */

typedef struct fj_node fj_node;
struct fj_node {
    fj_type type;
    char *text;          /* number: its text; string: the raw text between the quotes */
    size_t len;
    char *key;           /* member of an object: the key's raw text; NULL otherwise */
    size_t key_len;
    fj_node **kids;      /* array, object: members in order */
    size_t n, cap;
};

/* A tree of the text, or NULL when it is not JSON-shaped. Lenient: a number
 * is any run of [-+.0-9eE], a string any bytes up to an unescaped quote. */
fj_node *fj_parse(const char *s, size_t n);
void fj_free(fj_node *node);
fj_node *fj_copy(const fj_node *node);

/* Makes nodes (NULL when out of memory). text is copied. */
fj_node *fj_new(fj_type type, const char *text, size_t len);
bool fj_set_text(fj_node *node, const char *text, size_t len);
bool fj_set_key(fj_node *node, const char *key, size_t len);
/* Inserts kid at index at (n for the end); takes ownership, also on failure. */
bool fj_insert(fj_node *parent, size_t at, fj_node *kid);
/* Removes and returns the kid at index at. */
fj_node *fj_remove(fj_node *parent, size_t at);

typedef struct fj_buf {
    char *data;
    size_t len, cap;
    bool failed;
} fj_buf;

void fj_buf_put(fj_buf *b, const char *s, size_t n);
void fj_buf_free(fj_buf *b);

/* Appends the tree's text: compact, or with spaces and newlines when
 * spaced is set. */
void fj_print(fj_buf *b, const fj_node *node, bool spaced);

/* ---- strings -------------------------------------------------------------------- */

enum {
    FJ_DEC_BAD_ESCAPE = 1, /* an escape that JSON does not have */
    FJ_DEC_NUL = 2,        /* a \u0000 */
    FJ_DEC_SURROGATE = 4,  /* an unpaired surrogate escape */
    FJ_DEC_BAD_UTF8 = 8,   /* raw bytes that are not UTF-8 */
    FJ_DEC_CONTROL = 16    /* a raw control character */
};

/* Decodes the raw string text into out (room for n + 1 bytes; the result is
 * never longer and is NUL-terminated); returns the FJ_DEC_* flags seen. */
int fj_decode(const char *raw, size_t n, char *out, size_t *outlen);

/* True when the n bytes are valid UTF-8 (no surrogates, no overlongs). */
bool fj_utf8_valid(const unsigned char *s, size_t n);

#endif
