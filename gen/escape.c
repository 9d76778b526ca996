/* escape.c: spec text into each output language (see escape.h). */
#include "escape.h"

#include <stdbool.h>
#include <string.h>

/* The length of a Unicode bidirectional control (U+200E, U+200F,
 * U+202A to U+202E, U+2066 to U+2069) in UTF-8 at s, or 0. Raw in source,
 * they can make code read other than it compiles, and gcc's -Wbidi-chars
 * warns about them. */
static size_t bidi_control(const unsigned char *s, size_t n)
{
    if (n < 3 || s[0] != 0xe2)
        return 0;
    if (s[1] == 0x80 && (s[2] == 0x8e || s[2] == 0x8f || (s[2] >= 0xaa && s[2] <= 0xae)))
        return 3;
    if (s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9)
        return 3;
    return 0;
}

void ctlc_put_c_string(FILE *out, const char *s, size_t n)
{
    fputc('"', out);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\')
            fprintf(out, "\\%c", ch);
        else if (ch < 0x20 || ch == 0x7f || ch == '?')
            fprintf(out, "\\%03o", ch); /* 3 digits: the next byte cannot extend it */
        else if (bidi_control((const unsigned char *)s + i, n - i)) {
            for (int k = 0; k < 3; k++)
                fprintf(out, "\\%03o", (unsigned char)s[i + (size_t)k]);
            i += 2;
        } else
            fputc(ch, out);
    }
    fputc('"', out);
}

void ctlc_put_c_comment(FILE *out, const char *s, size_t n, const char *line_prefix)
{
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        char next = i + 1 < n ? s[i + 1] : '\0';
        if (ch == '\n') {
            fputc('\n', out);
            fputs(line_prefix, out);
        } else if ((ch == '*' && next == '/') || (ch == '/' && next == '*') || (ch == '?' && next == '?')) {
            fputc(ch, out);
            fputc(' ', out);
        } else if (ch == '\\' && (next == '\n' || next == '\r' || i + 1 == n)) {
            /* A backslash ending a line would splice the next one (and one
             * followed by blanks only draws a warning), so it is bracketed. */
            fputs("(\\)", out);
        } else if ((unsigned char)ch < 0x20 && ch != '\t') {
            fputc('?', out);
        } else if (bidi_control((const unsigned char *)s + i, n - i)) {
            fputc('?', out);
            i += 2;
        } else {
            fputc(ch, out);
        }
    }
}

/* ---- Markdown ---------------------------------------------------------------------- */

static bool md_punct(unsigned char c)
{
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

static bool md_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool md_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* The length of the run of c at s[i..n). */
static size_t md_run(const char *s, size_t i, size_t n, char c)
{
    size_t k = i;
    while (k < n && s[k] == c)
        k++;
    return k - i;
}

/* True when s[i..n) holds only c and blanks. */
static bool md_only(const char *s, size_t i, size_t n, char c)
{
    for (; i < n; i++)
        if (s[i] != c && !md_blank(s[i]))
            return false;
    return true;
}

/* One line of a doc (no line break in it): the inline rules, and with
 * line_start the block rules of its first character. */
static void md_doc_line(FILE *out, const char *s, size_t n, bool line_start, bool cell)
{
    size_t i = 0;
    if (line_start) {
        while (i < n && md_blank(s[i]))
            i++;
        if (i < n) {
            char c = s[i];
            size_t digits = 0;
            while (i + digits < n && digits < 10 && s[i + digits] >= '0' && s[i + digits] <= '9')
                digits++;
            bool escape = c == '#' || c == '>' || c == '+' || c == '-' || c == '=' || c == ':' ||
                          (c == '`' && md_run(s, i, n, '`') >= 3) || (c == '~' && md_run(s, i, n, '~') >= 3) ||
                          (c == '*' && (i + 1 == n || md_blank(s[i + 1]) || md_only(s, i, n, '*'))) ||
                          (c == '_' && md_only(s, i, n, '_'));
            if (escape) {
                fputc('\\', out);
                fputc(c, out);
                i++;
            } else if (digits >= 1 && digits <= 9 && i + digits < n && (s[i + digits] == '.' || s[i + digits] == ')')) {
                fwrite(s + i, 1, digits, out);
                fputc('\\', out);
                fputc(s[i + digits], out);
                i += digits + 1;
            }
        }
    }
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\\') {
            if (i + 1 < n && md_punct((unsigned char)s[i + 1])) {
                fputc('\\', out);
                fputc(s[i + 1], out);
                i += 2;
            } else {
                fputs("\\\\", out);
                i++;
            }
        } else if (c == '`') {
            size_t len = md_run(s, i, n, '`'), close = 0;
            for (size_t k = i + len; k < n;) {
                size_t r = md_run(s, k, n, '`');
                if (r == len) {
                    close = k;
                    break;
                }
                k += r ? r : 1;
            }
            if (close) {
                for (size_t k = i; k < close + len; k++) {
                    unsigned char d = (unsigned char)s[k];
                    if (cell && d == '|')
                        fputs("\\|", out);
                    else
                        fputc(d < 0x20 || d == 0x7f ? ' ' : d, out);
                }
                i = close + len;
            } else {
                for (size_t k = 0; k < len; k++)
                    fputs("\\`", out);
                i += len;
            }
        } else if (c == '<' || c == '>' || c == '&' || c == '[' || c == ']' || c == '|' || c == '$') {
            fputc('\\', out);
            fputc(c, out);
            i++;
        } else {
            fputc((c < 0x20 && c != '\t') || c == 0x7f ? ' ' : c, out);
            i++;
        }
    }
}

static void md_code(FILE *out, const char *s, size_t n, bool cell)
{
    size_t longest = 0;
    for (size_t i = 0; i < n;) {
        size_t r = md_run(s, i, n, '`');
        if (r > longest)
            longest = r;
        i += r ? r : 1;
    }
    bool pad = n && (s[0] == '`' || s[n - 1] == '`' || (s[0] == ' ' && s[n - 1] == ' ' && !md_only(s, 0, n, ' ')));
    for (size_t k = 0; k <= longest; k++)
        fputc('`', out);
    if (pad || !n)
        fputc(' ', out);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (cell && c == '|')
            fputs("\\|", out);
        else
            fputc(c < 0x20 || c == 0x7f ? ' ' : c, out);
    }
    if (pad)
        fputc(' ', out);
    for (size_t k = 0; k <= longest; k++)
        fputc('`', out);
}

void ctlc_put_md(FILE *out, const char *s, size_t n, ctlc_md_context ctx)
{
    switch (ctx) {
    case CTLC_MD_TEXT:
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c < 0x20 || c == 0x7f)
                fputc(' ', out);
            else if (c == '_' && i && i + 1 < n && md_alnum(s[i - 1]) && md_alnum(s[i + 1]))
                fputc(c, out); /* inside a word: never emphasis */
            else if (c && strchr("\\`*_[]<>&|#~!$", c))
                fprintf(out, "\\%c", c);
            else
                fputc(c, out);
        }
        break;
    case CTLC_MD_DOC:
    case CTLC_MD_DOC_CELL: {
        bool cell = ctx == CTLC_MD_DOC_CELL;
        for (size_t i = 0; i <= n;) {
            const char *nl = memchr(s + i, '\n', n - i);
            size_t end = nl ? (size_t)(nl - s) : n;
            if (i)
                fputs(cell ? "<br>" : "\n", out);
            md_doc_line(out, s + i, end - i, !cell, cell);
            if (!nl)
                break;
            i = end + 1;
        }
        break;
    }
    case CTLC_MD_CODE:
    case CTLC_MD_CODE_CELL: md_code(out, s, n, ctx == CTLC_MD_CODE_CELL); break;
    case CTLC_MD_COMMENT:
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c == '-' && i && s[i - 1] == '-')
                fputc(' ', out);
            fputc(c < 0x20 || c == 0x7f ? ' ' : c, out);
        }
        break;
    }
}

/* ---- DOT and Mermaid ------------------------------------------------------------------ */

void ctlc_put_dot(FILE *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c < 0x20 || c == 0x7f)
            fputc(' ', out);
        else if (c == '&')
            fputs("&amp;", out);
        else
            fputc(c, out);
    }
}

void ctlc_put_mermaid(FILE *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c && strchr("\"#&<>`|", c))
            fprintf(out, "#%d;", c);
        else
            fputc(c < 0x20 || c == 0x7f ? ' ' : c, out);
    }
}
