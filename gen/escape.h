/* escape.h: text from a spec, written safely into each output language.
 *
 * Whatever a spec's doc comments, deprecation reasons, wire names, string
 * defaults or file names hold, it stays text in the output: it never ends
 * a comment or a string, never adds a line of code, a Markdown block or a
 * graph node. Every emitter writes such text through these functions (JSON
 * strings through ctlc_json_escape of emit_json.h), one per language. */
#ifndef CTLC_ESCAPE_H
#define CTLC_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* The n bytes at s as a C string literal, quotes included: '"', '\\', '?'
 * (no trigraph can form), control bytes and DEL as 3-digit octal escapes;
 * other bytes, UTF-8 included, as they are. */
void ctlc_put_c_string(FILE *out, const char *s, size_t n);

/* The n bytes at s inside a C block comment: "* /" for a star-slash and
 * "/ *" for a slash-star, no "??" (a trigraph could splice lines), a
 * backslash that ends a line as "(\\)", control bytes as '?'. Each line break
 * is written as a newline and then line_prefix (e.g. " * "). */
void ctlc_put_c_comment(FILE *out, const char *s, size_t n, const char *line_prefix);

#endif
