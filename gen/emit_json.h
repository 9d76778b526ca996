/* emit_json.h: a small writer of indented JSON text, shared by the emitters
 * of JSON Schema, AsyncAPI and IAM policies.
 *
 * It only formats: callers write keys and values in the order they want,
 * which is what makes the output byte-for-byte reproducible. Two spaces per
 * level, one member per line, `{}` and `[]` for empty containers. */
#ifndef CTLC_EMIT_JSON_H
#define CTLC_EMIT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"

/* What the writer knows of one open object or array. */
typedef struct ctlc_json_level {
    bool empty;                         /* nothing written yet at that level */
    bool inline_;                       /* an array written on one line */
    char close;                         /* the bracket that ends it */
} ctlc_json_level;

typedef struct ctlc_json {
    FILE *out;                          /* borrowed */
    ctlc_arena *a;                      /* where the levels grow; borrowed */
    ctlc_json_level *levels;            /* levels[1..depth] */
    int depth, cap;
    bool after_key;                     /* a key was written; its value comes next */
} ctlc_json;

/* Starts writing to out (borrowed; the caller closes it), keeping what it
 * needs in a (borrowed). */
void ctlc_json_init(ctlc_json *j, FILE *out, ctlc_arena *a);

void ctlc_json_object(ctlc_json *j);
void ctlc_json_array(ctlc_json *j);
/* An array written on one line, `["a", "b"]`: for short lists of scalars. */
void ctlc_json_inline_array(ctlc_json *j);
/* Ends the innermost object or array; at depth 0 also ends the line. */
void ctlc_json_end(ctlc_json *j);

/* A member's key (n bytes of UTF-8 at k); the next value is its value. */
void ctlc_json_key(ctlc_json *j, const char *k, size_t n);
void ctlc_json_str(ctlc_json *j, const char *s, size_t n);
/* A number, true, false or null, as JSON text written by the caller. */
void ctlc_json_raw(ctlc_json *j, const char *text, size_t n);
void ctlc_json_int(ctlc_json *j, int64_t v);
void ctlc_json_bool(ctlc_json *j, bool v);

/* Shorthands for a member with a NUL-terminated key. */
void ctlc_json_kstr(ctlc_json *j, const char *key, const char *s, size_t n);
void ctlc_json_kcstr(ctlc_json *j, const char *key, const char *s);
void ctlc_json_kraw(ctlc_json *j, const char *key, const char *text);
void ctlc_json_kobject(ctlc_json *j, const char *key);
void ctlc_json_karray(ctlc_json *j, const char *key);
void ctlc_json_kinline_array(ctlc_json *j, const char *key);

/* Writes the n bytes at s as the inside of a JSON string (no quotes) to
 * out: '"', '\\' and control characters escaped, UTF-8 kept as it is. */
void ctlc_json_escape(FILE *out, const char *s, size_t n);

#endif
