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
 * (no trigraph can form), control bytes, DEL and the bytes of Unicode's
 * bidirectional controls as 3-digit octal escapes; other bytes, UTF-8
 * included, as they are. */
void ctlc_put_c_string(FILE *out, const char *s, size_t n);

/* The n bytes at s inside a C block comment: "* /" for a star-slash and
 * "/ *" for a slash-star, no "??" (a trigraph could splice lines), a
 * backslash that ends a line as "(\\)", control bytes and bidirectional
 * controls as '?'. Each line break is written as a newline and then
 * line_prefix (e.g. " * "). */
void ctlc_put_c_comment(FILE *out, const char *s, size_t n, const char *line_prefix);

/* ---- ctlc doc: Markdown, DOT, Mermaid -------------------------------------------- */

/* Where a text goes in Markdown (CommonMark with GitHub's tables, as GitHub,
 * GitLab and markdown-it render it):
 *
 * CTLC_MD_TEXT: plain text (a file name, a deprecation reason, a title) in a
 *   paragraph, heading, block quote or table cell, after other text on its
 *   line. Every character that means something inline is backslash-escaped:
 *   \ ` * _ [ ] < > & | # ~ ! $, but for '_' between two ASCII letters or
 *   digits (never emphasis: new_name stays as it is). Line breaks and other
 *   control characters become spaces. Nothing of it is markup.
 * CTLC_MD_DOC: a doc comment as paragraphs of their own. It keeps inline
 *   Markdown: `code` spans, *emphasis*, **strong**, ~~strike~~ and backslash
 *   escapes; but no line of it opens a block and nothing in it becomes HTML,
 *   an entity, a link, an image or a table cell:
 *   - each line loses its leading blanks (no indented code block), and a
 *     first character that would start a block is escaped: # > + - = : and
 *     a fence of ``` or ~~~, * before a blank or in a line of stars only,
 *     _ in a line of underscores only (lists, headings, setext underlines,
 *     thematic breaks, quotes, fences, table delimiter rows); the '.' or ')'
 *     after 1 to 9 leading digits (ordered lists);
 *   - outside code spans < > & [ ] | $ are escaped, and a backslash that does
 *     not escape ASCII punctuation is itself escaped (no hard line break);
 *   - a code span is a run of backticks closed by a run of the same length
 *     on the same line, copied as it is (a span never crosses a line, so
 *     the line-start rule holds whatever the backticks do); a run without
 *     its closer is escaped;
 *   - an empty line separates paragraphs; control characters but tabs
 *     become spaces.
 * CTLC_MD_DOC_CELL: a doc comment in a table cell: the inline rules of
 *   CTLC_MD_DOC, '|' escaped inside code spans too (GitHub splits cells
 *   before it reads code spans), lines joined with <br>.
 * CTLC_MD_CODE, CTLC_MD_CODE_CELL: the whole text as one code span, its
 *   backticks written here: one more than the longest run inside, with a
 *   space inside each end when the text starts or ends with a backtick (or
 *   with a space at both ends); control characters become spaces, and in a
 *   cell '|' is written '\|'.
 * CTLC_MD_COMMENT: inside an HTML comment (<!-- ... -->): a '-' after a '-'
 *   gets a space before it, so "--" (and so "-->") never appears; control
 *   characters become spaces. */
typedef enum ctlc_md_context {
    CTLC_MD_TEXT,
    CTLC_MD_DOC,
    CTLC_MD_DOC_CELL,
    CTLC_MD_CODE,
    CTLC_MD_CODE_CELL,
    CTLC_MD_COMMENT,
} ctlc_md_context;

/* The n bytes at s (UTF-8) as Markdown of the given context; bytes at or
 * above 0x80 are written as they are. */
void ctlc_put_md(FILE *out, const char *s, size_t n, ctlc_md_context ctx);

/* The n bytes at s inside a double-quoted DOT string (an ID or a label):
 * '"' and '\' backslash-escaped (so no escape sequence of labels, \n, \l,
 * \N, ..., can form, and the closing quote always closes), a line break as
 * \n, other control characters as spaces, '&' as &amp; (Graphviz reads
 * entities in labels). */
void ctlc_put_dot(FILE *out, const char *s, size_t n);

/* The n bytes at s inside a double-quoted Mermaid label (["..."], |"..."|):
 * " # & < > ` | as Mermaid's numeric entity codes (#34; ...), control
 * characters as spaces. Mermaid has no backslash escapes, renders labels as
 * HTML, and reads a backtick after the quote as a Markdown string. */
void ctlc_put_mermaid(FILE *out, const char *s, size_t n);

#endif
