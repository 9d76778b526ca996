/* escape.c: spec text into each output language (see escape.h). */
#include "escape.h"

void ctlc_put_c_string(FILE *out, const char *s, size_t n)
{
    fputc('"', out);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\')
            fprintf(out, "\\%c", ch);
        else if (ch < 0x20 || ch == 0x7f || ch == '?')
            fprintf(out, "\\%03o", ch); /* 3 digits: the next byte cannot extend it */
        else
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
        } else {
            fputc(ch, out);
        }
    }
}
