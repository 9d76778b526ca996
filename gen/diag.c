/* diag.c: reading sources and printing diagnostics; see diag.h. */
#include "diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

ctlc_source *ctlc_source_from(const char *path, const char *data, size_t len)
{
    ctlc_source *src = calloc(1, sizeof *src);
    if (!src)
        return NULL;
    src->path = strdup(path);
    src->text = malloc(len + 1);
    if (!src->path || !src->text) {
        ctlc_source_free(src);
        errno = ENOMEM;
        return NULL;
    }
    if (len)
        memcpy(src->text, data, len);
    src->text[len] = '\0';
    src->len = len;
    return src;
}

ctlc_source *ctlc_source_read(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        errno = EISDIR;
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf)
            break;
        len += fread(buf + len, 1, cap - len - 1, f);
        if (len < cap - 1)
            break;
        char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    int failed = !buf || ferror(f);
    int saved = buf ? EIO : ENOMEM;
    fclose(f);
    if (failed) {
        free(buf);
        errno = saved;
        return NULL;
    }
    ctlc_source *src = calloc(1, sizeof *src);
    if (!src || !(src->path = strdup(path))) {
        free(src);
        free(buf);
        errno = ENOMEM;
        return NULL;
    }
    buf[len] = '\0';
    src->text = buf;
    src->len = len;
    return src;
}

void ctlc_source_free(ctlc_source *src)
{
    if (!src)
        return;
    free(src->path);
    free(src->text);
    free(src->lines);
    free(src);
}

static int index_lines(ctlc_source *src)
{
    size_t n = 1;
    for (size_t i = 0; i < src->len; i++)
        n += src->text[i] == '\n';
    src->lines = malloc(n * sizeof *src->lines);
    if (!src->lines)
        return -1;
    src->nlines = 0;
    src->lines[src->nlines++] = 0;
    for (size_t i = 0; i < src->len; i++)
        if (src->text[i] == '\n')
            src->lines[src->nlines++] = i + 1;
    return 0;
}

void ctlc_diag_quote(FILE *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f)
            fputc(c, out);
        else if (c == '\t')
            fputs("\\t", out);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c >= 0x80)
            fputc(c, out); /* sources are validated UTF-8 before anything quotes them */
        else
            fprintf(out, "\\x%02x", c);
    }
}

/* Prints the line of loc and a caret under its column. */
static void show_line(FILE *out, ctlc_loc loc)
{
    ctlc_source *src = (ctlc_source *)loc.src;
    if (!src->lines && index_lines(src) != 0)
        return;
    if (loc.line == 0 || loc.line > src->nlines)
        return;
    const char *line = src->text + src->lines[loc.line - 1];
    const char *end = line;
    while (end < src->text + src->len && *end != '\n')
        end++;
    if (end > line && end[-1] == '\r')
        end--;
    /* Very long lines (minified junk) are cut around the caret. */
    size_t col = loc.col ? loc.col - 1 : 0;
    size_t len = (size_t)(end - line);
    if (col > len)
        col = len;
    size_t from = 0;
    enum { WINDOW = 200 };
    if (len > WINDOW) {
        from = col > WINDOW / 2 ? col - WINDOW / 2 : 0;
        while (from > 0 && ((unsigned char)line[from] & 0xc0) == 0x80)
            from--;
        if (len - from > WINDOW) {
            len = from + WINDOW;
            while (len > col && len < (size_t)(end - line) && ((unsigned char)line[len] & 0xc0) == 0x80)
                len++;
        }
    }
    fputs("  ", out);
    for (size_t i = from; i < len; i++) {
        unsigned char c = (unsigned char)line[i];
        fputc(c == '\t' || c >= 0x20 ? c : ' ', out);
    }
    fputs("\n  ", out);
    for (size_t i = from; i < col; i++) {
        unsigned char c = (unsigned char)line[i];
        if (c == '\t')
            fputc('\t', out);
        else if ((c & 0xc0) != 0x80)
            fputc(' ', out);
    }
    fputs("^\n", out);
}

static void report(ctlc_diags *d, ctlc_loc loc, const char *kind, const char *fmt, va_list ap)
{
    FILE *out = d->out ? d->out : stderr;
    if (loc.src)
        fprintf(out, "%s:%u:%u: %s: ", loc.src->path, (unsigned)loc.line, (unsigned)loc.col, kind);
    else
        fprintf(out, "ctlc: %s: ", kind);
    vfprintf(out, fmt, ap);
    fputc('\n', out);
    if (loc.src)
        show_line(out, loc);
}

void ctlc_error(ctlc_diags *d, ctlc_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(d, loc, "error", fmt, ap);
    va_end(ap);
    d->errors++;
}

void ctlc_warning(ctlc_diags *d, ctlc_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(d, loc, "warning", fmt, ap);
    va_end(ap);
    d->warnings++;
}

void ctlc_note(ctlc_diags *d, ctlc_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(d, loc, "note", fmt, ap);
    va_end(ap);
}
