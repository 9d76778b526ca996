/* diag.c: reading sources and printing diagnostics; see diag.h. */
#include "diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "oom.h"

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

static void index_lines(ctlc_source *src)
{
    size_t n = 1;
    for (size_t i = 0; i < src->len; i++)
        n += src->text[i] == '\n';
    src->lines = malloc(n * sizeof *src->lines);
    if (!src->lines)
        ctlc_out_of_memory();
    src->nlines = 0;
    src->lines[src->nlines++] = 0;
    for (size_t i = 0; i < src->len; i++)
        if (src->text[i] == '\n')
            src->lines[src->nlines++] = i + 1;
}

struct ctlc_diag {
    unsigned order;
    uint32_t line, col;
    size_t seq;
    char *text;         /* the whole message, notes included */
    size_t len;
    ctlc_diag_view view;       /* its place, kind and message (view.message malloc'd) */
    ctlc_diag_view *notes;     /* its notes (each message malloc'd) */
    size_t nnotes;
    ctlc_diag_fix *fix;        /* malloc'd with its strings, or NULL */
};

size_t ctlc_utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned cp, min;
    if (c >= 0xc2 && c <= 0xdf)
        len = 2, cp = c & 0x1f, min = 0x80;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3, cp = c & 0x0f, min = 0x800;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4, cp = c & 0x07, min = 0x10000;
    else
        return 0;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

size_t ctlc_loc_offset(const ctlc_source *src, uint32_t line, uint32_t col)
{
    ctlc_source *s = (ctlc_source *)src; /* the line index is built on first use */
    if (!s->lines)
        index_lines(s);
    if (line == 0 || line > s->nlines)
        return s->len;
    size_t start = s->lines[line - 1];
    if (line == 1 && s->len >= 3 && memcmp(s->text, "\xef\xbb\xbf", 3) == 0)
        start += 3; /* columns count from after a byte order mark */
    size_t end = line < s->nlines ? s->lines[line] - 1 : s->len;
    size_t at = start + (col ? col - 1 : 0);
    return at < end ? at : end;
}

/* Display width of the character at p, and how many bytes it takes: a
 * valid UTF-8 character shows as one column, an invalid byte as "\xNN". */
static size_t glyph(const unsigned char *p, const unsigned char *end, unsigned *width)
{
    size_t n = ctlc_utf8_len(p, (size_t)(end - p));
    *width = n ? 1 : 4;
    return n ? n : 1;
}

/* Writes the line of loc and a caret under its column. */
static void show_line(FILE *out, ctlc_loc loc)
{
    ctlc_source *src = (ctlc_source *)loc.src;
    if (!src->lines)
        index_lines(src);
    if (loc.line == 0 || loc.line > src->nlines)
        return;
    const unsigned char *line = (const unsigned char *)src->text + ctlc_loc_offset(src, loc.line, 1);
    const unsigned char *end = line;
    const unsigned char *limit = (const unsigned char *)src->text + src->len;
    while (end < limit && *end != '\n')
        end++;
    if (end > line && end[-1] == '\r')
        end--;
    const unsigned char *caret = line + (loc.col ? loc.col - 1 : 0);
    if (caret > end)
        caret = end;
    /* Very long lines (minified junk) show a window around the caret. */
    enum { WINDOW = 160 };
    const unsigned char *from = line, *to = end;
    if (to - from > WINDOW) {
        from = caret - from > WINDOW / 2 ? caret - WINDOW / 2 : line;
        while (from > line && (*from & 0xc0) == 0x80)
            from--;
        to = from + WINDOW < end ? from + WINDOW : end;
        while (to < end && (*to & 0xc0) == 0x80)
            to++;
    }
    fputs("  ", out);
    for (const unsigned char *p = from; p < to;) {
        unsigned w;
        size_t n = glyph(p, to, &w);
        if (w == 4)
            fprintf(out, "\\x%02x", *p);
        else if (*p == '\t' || *p >= 0x20)
            fwrite(p, 1, n, out);
        else
            fputc(' ', out);
        p += n;
    }
    fputs("\n  ", out);
    for (const unsigned char *p = from; p < caret;) {
        unsigned w;
        size_t n = glyph(p, caret, &w);
        if (*p == '\t')
            fputc('\t', out);
        else
            for (unsigned i = 0; i < w; i++)
                fputc(' ', out);
        p += n;
    }
    fputs("^\n", out);
}

/* The message alone, malloc'd (the diagnostics own it). */
static char *message_text(const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, again);
    va_end(again);
    char *msg = malloc(n > 0 ? (size_t)n + 1 : 1);
    if (!msg)
        ctlc_out_of_memory();
    if (n > 0)
        vsnprintf(msg, (size_t)n + 1, fmt, ap);
    else
        msg[0] = '\0';
    return msg;
}

static void report(ctlc_diags *d, ctlc_loc loc, const char *kind, const char *fmt, va_list ap)
{
    char *text = NULL;
    size_t len = 0;
    va_list again;
    va_copy(again, ap);
    char *msg = message_text(fmt, again);
    va_end(again);
    ctlc_oom_hold_ptr(&msg);
    FILE *out = ctlc_memstream(&text, &len);
    if (loc.src)
        fprintf(out, "%s:%u:%u: %s: ", loc.src->path, (unsigned)loc.line, (unsigned)loc.col, kind);
    else
        fprintf(out, "ctlc: %s: ", kind);
    vfprintf(out, fmt, ap);
    fputc('\n', out);
    if (loc.src)
        show_line(out, loc);
    ctlc_memstream_close(out, &text);
    ctlc_oom_drop(&text); /* the diagnostics own it from here, and free it below when they cannot */
    ctlc_oom_drop(&msg);
    bool note = strcmp(kind, "note") == 0;
    if (note && d->count) {
        ctlc_diag *last = &d->items[d->count - 1];
        char *joined = realloc(last->text, last->len + len + 1);
        ctlc_diag_view *notes = joined ? realloc(last->notes, (last->nnotes + 1) * sizeof *notes) : NULL;
        if (joined)
            last->text = joined;
        if (!notes) {
            free(text);
            free(msg);
            ctlc_out_of_memory();
        }
        memcpy(joined + last->len, text, len + 1);
        last->len += len;
        free(text);
        last->notes = notes;
        last->notes[last->nnotes++] = (ctlc_diag_view){ loc, "note", msg, NULL, false };
        return;
    }
    if (d->count == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 64;
        ctlc_diag *items = realloc(d->items, cap * sizeof *items);
        if (!items) {
            free(text);
            free(msg);
            ctlc_out_of_memory();
        }
        d->items = items;
        d->cap = cap;
    }
    ctlc_diag *item = &d->items[d->count];
    item->order = loc.src ? loc.src->order : 0;
    item->line = loc.line;
    item->col = loc.col;
    item->seq = d->count;
    item->text = text;
    item->len = len;
    item->view = (ctlc_diag_view){ loc, kind, msg, NULL, false };
    item->fix = NULL;
    item->notes = NULL;
    item->nnotes = 0;
    d->count++;
}

static int by_place(const void *a, const void *b)
{
    const ctlc_diag *x = a, *y = b;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void ctlc_diags_discard(ctlc_diags *d)
{
    for (size_t i = 0; i < d->count; i++) {
        free(d->items[i].text);
        free((char *)d->items[i].view.message);
        for (size_t j = 0; j < d->items[i].nnotes; j++)
            free((char *)d->items[i].notes[j].message);
        free(d->items[i].notes);
        if (d->items[i].fix) {
            free((char *)d->items[i].fix->text);
            free((char *)d->items[i].fix->title);
            free(d->items[i].fix);
        }
    }
    free(d->items);
    d->items = NULL;
    d->count = d->cap = 0;
}

void ctlc_diags_each(ctlc_diags *d, ctlc_diag_fn fn, void *user)
{
    if (d->count)
        qsort(d->items, d->count, sizeof *d->items, by_place);
    for (size_t i = 0; i < d->count; i++)
        fn(user, &d->items[i].view, d->items[i].notes, d->items[i].nnotes);
}

void ctlc_fix(ctlc_diags *d, ctlc_loc loc, size_t n, const char *text, const char *title)
{
    if (!d->count)
        return;
    ctlc_diag *last = &d->items[d->count - 1];
    ctlc_diag_fix *fix = last->fix;
    if (fix) {
        free((char *)fix->text);
        free((char *)fix->title);
    } else if (!(fix = malloc(sizeof *fix))) {
        ctlc_out_of_memory();
    }
    fix->loc = loc;
    fix->n = n;
    fix->text = strdup(text);
    fix->title = strdup(title);
    if (!fix->text || !fix->title)
        ctlc_out_of_memory();
    last->fix = fix;
    last->view.fix = fix;
}

void ctlc_tag_deprecated(ctlc_diags *d)
{
    if (d->count)
        d->items[d->count - 1].view.deprecated = true;
}

void ctlc_diags_flush(ctlc_diags *d)
{
    if (d->count)
        qsort(d->items, d->count, sizeof *d->items, by_place);
    for (size_t i = 0; d->out && i < d->count; i++)
        fwrite(d->items[i].text, 1, d->items[i].len, d->out);
    ctlc_diags_discard(d);
    if (d->out)
        fflush(d->out);
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
