/* lsp_text.c: positions and URIs for ctlc lsp: LSP's lines and columns
 * (UTF-8 or UTF-16) from and to byte offsets, file: URIs from and to
 * paths; see lsp.h. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "lsp.h"
#include "oom.h"

void *ctlc_lsp_need(void *p)
{
    if (!p)
        ctlc_out_of_memory();
    return p;
}

char *ctlc_lsp_strndup(const char *s, size_t n)
{
    char *d = ctlc_lsp_need(malloc(n + 1));
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* True when byte i of text ends a line: '\n', or '\r' but for the one of "\r\n". */
static bool line_break(const char *text, size_t len, size_t i)
{
    return text[i] == '\n' || (text[i] == '\r' && (i + 1 == len || text[i + 1] != '\n'));
}

void ctlc_lsp_lines_build(ctlc_lsp_lines *t, const char *text, size_t len)
{
    free(t->start);
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        n += line_break(text, len, i);
    t->start = ctlc_lsp_need(malloc(n * sizeof *t->start));
    t->n = 0;
    t->start[t->n++] = 0;
    for (size_t i = 0; i < len; i++)
        if (line_break(text, len, i))
            t->start[t->n++] = i + 1;
}

void ctlc_lsp_lines_splice(ctlc_lsp_lines *t, const char *text, size_t len, size_t from, size_t to, size_t n)
{
    /* A line starts after its break. Starts before `from` stay: their
     * breaks, and the byte after each, are before the change. Starts after
     * `to` move by the change of length: the same. The others come from the
     * bytes from the one before `from` (a '\r' that a '\n' may now follow)
     * to the end of the new ones. */
    size_t keep = 1;
    while (keep < t->n && t->start[keep] < from)
        keep++;
    size_t tail = keep;
    while (tail < t->n && t->start[tail] <= to)
        tail++;
    size_t scan_from = from ? from - 1 : 0, scan_to = from + n, fresh = 0;
    for (size_t i = scan_from; i < scan_to; i++)
        fresh += line_break(text, len, i);
    size_t moved = t->n - tail, count = keep + fresh + moved;
    size_t *start = ctlc_lsp_need(malloc(count * sizeof *start));
    memcpy(start, t->start, keep * sizeof *start);
    size_t k = keep;
    for (size_t i = scan_from; i < scan_to; i++)
        if (line_break(text, len, i))
            start[k++] = i + 1;
    for (size_t i = tail; i < t->n; i++)
        start[k++] = t->start[i] - to + from + n;
    free(t->start);
    t->start = start;
    t->n = count;
}

/* The end of line i (before its line break). */
static size_t line_end(const ctlc_lsp_lines *t, const char *text, size_t len, size_t i)
{
    size_t end = i + 1 < t->n ? t->start[i + 1] : len;
    if (end > t->start[i] && i + 1 < t->n && text[end - 1] == '\n')
        end--;
    if (end > t->start[i] && i + 1 < t->n && text[end - 1] == '\r')
        end--;
    return end;
}

/* Columns that the bytes [from, to) of text take in the encoding. */
static uint32_t columns(bool utf8, const char *text, size_t from, size_t to)
{
    if (utf8)
        return (uint32_t)(to - from);
    uint32_t units = 0;
    for (size_t i = from; i < to;) {
        size_t n = ctlc_utf8_len((const unsigned char *)text + i, to - i);
        units += n == 4 ? 2 : 1;
        i += n ? n : 1; /* a byte that is not UTF-8 (a file on disk) counts as one, as U+FFFD */
    }
    return units;
}

cJSON *ctlc_lsp_position(bool utf8, const ctlc_lsp_lines *t, const char *text, size_t len, size_t off)
{
    size_t lo = 0, hi = t->n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->start[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    size_t end = line_end(t, text, len, lo);
    cJSON *p = ctlc_lsp_need(cJSON_CreateObject());
    ctlc_lsp_need(cJSON_AddNumberToObject(p, "line", (double)lo));
    ctlc_lsp_need(cJSON_AddNumberToObject(p, "character", columns(utf8, text, t->start[lo], off < end ? off : end)));
    return p;
}

cJSON *ctlc_lsp_range(bool utf8, const ctlc_lsp_lines *t, const char *text, size_t len, size_t from, size_t to)
{
    cJSON *r = ctlc_lsp_need(cJSON_CreateObject());
    cJSON_AddItemToObject(r, "start", ctlc_lsp_position(utf8, t, text, len, from));
    cJSON_AddItemToObject(r, "end", ctlc_lsp_position(utf8, t, text, len, to));
    return r;
}

bool ctlc_lsp_offset(bool utf8, const ctlc_lsp_lines *t, const char *text, size_t len, uint32_t line,
                     uint32_t character, size_t *off)
{
    if (line >= t->n)
        return false;
    size_t at = t->start[line], end = line_end(t, text, len, line);
    uint32_t units = 0;
    while (at < end && units < character) {
        size_t n = ctlc_utf8_len((const unsigned char *)text + at, end - at);
        units += utf8 ? (n ? (uint32_t)n : 1) : n == 4 ? 2 : 1;
        at += n ? n : 1;
    }
    *off = at;
    return true;
}

/* ---- URIs -------------------------------------------------------------------------------------- */

static int hex(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

char *ctlc_lsp_uri_path(const char *uri)
{
    const char *p;
    if (strncmp(uri, "file://", 7) != 0)
        return NULL;
    p = uri + 7;
    if (strncmp(p, "localhost/", 10) == 0)
        p += 9;
    if (*p != '/')
        return NULL;
    size_t n = strlen(p);
    if (n >= PATH_MAX)
        return NULL;
    char *path = ctlc_lsp_need(malloc(n + 1)), *q = path;
    for (; *p && *p != '?' && *p != '#'; p++) {
        if (*p == '%') {
            int hi = hex((unsigned char)p[1]), lo = hi < 0 ? -1 : hex((unsigned char)p[2]);
            if (lo < 0 || (hi == 0 && lo == 0)) {
                free(path);
                return NULL;
            }
            *q++ = (char)(hi << 4 | lo);
            p += 2;
        } else {
            *q++ = *p;
        }
    }
    *q = '\0';
    return path;
}

char *ctlc_lsp_path_uri(const char *path)
{
    size_t n = strlen(path);
    char *uri = ctlc_lsp_need(malloc(7 + 3 * n + 1)), *q = uri;
    memcpy(q, "file://", 7);
    q += 7;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
            *q++ = (char)*p;
        else
            q += sprintf(q, "%%%02X", *p);
    }
    *q = '\0';
    return uri;
}

/* ---- document changes ------------------------------------------------------------------------- */

/* One change of contentChanges (index i) applied to text (malloc'd, *len
 * bytes, lines in *t): its range replaced by its text, or all of it
 * without a range. False with p->why set when it is malformed. */
static bool apply_change(const ctlc_lsp_server *s, ctlc_lsp_params *p, const cJSON *change, size_t i, char **text,
                         size_t *len, ctlc_lsp_lines *t)
{
    char where[80], range_at[96], start_at[96], end_at[96];
    snprintf(where, sizeof where, "params.contentChanges[%zu]", i);
    const cJSON *new_text = ctlc_lsp_member(p, change, where, "text", cJSON_String);
    if (!new_text)
        return false;
    size_t from = 0, to = *len, n = strlen(new_text->valuestring);
    if (cJSON_GetObjectItemCaseSensitive(change, "range")) {
        snprintf(range_at, sizeof range_at, "%s.range", where);
        snprintf(start_at, sizeof start_at, "%s.range.start", where);
        snprintf(end_at, sizeof end_at, "%s.range.end", where);
        const cJSON *range = ctlc_lsp_member(p, change, where, "range", cJSON_Object);
        const cJSON *start = ctlc_lsp_member(p, range, range_at, "start", cJSON_Object);
        const cJSON *end = ctlc_lsp_member(p, range, range_at, "end", cJSON_Object);
        ctlc_lsp_doc view = { .text = *text, .len = *len, .lines = *t };
        if (!ctlc_lsp_pos_offset(s, p, &view, start, start_at, &from) || !ctlc_lsp_pos_offset(s, p, &view, end, end_at, &to))
            return false;
        if (from > to) {
            snprintf(p->why, sizeof p->why, "%s.range ends before it starts", where);
            return false;
        }
    }
    char *out = ctlc_lsp_need(malloc(*len - (to - from) + n + 1));
    memcpy(out, *text, from);
    memcpy(out + from, new_text->valuestring, n);
    memcpy(out + from + n, *text + to, *len - to);
    *len = *len - (to - from) + n;
    out[*len] = '\0';
    free(*text);
    *text = out;
    ctlc_lsp_lines_splice(t, *text, *len, from, to, n);
    return true;
}

bool ctlc_lsp_apply_changes(const ctlc_lsp_server *s, ctlc_lsp_params *p, ctlc_lsp_doc *d, const cJSON *changes)
{
    char *text = ctlc_lsp_strndup(d->text, d->len);
    size_t len = d->len, i = 0;
    ctlc_lsp_lines t = { ctlc_lsp_need(malloc(d->lines.n * sizeof *t.start)), d->lines.n };
    memcpy(t.start, d->lines.start, d->lines.n * sizeof *t.start);
    const cJSON *c;
    cJSON_ArrayForEach(c, changes) {
        if (!apply_change(s, p, c, i++, &text, &len, &t)) {
            free(text);
            free(t.start);
            return false;
        }
    }
    free(d->text);
    free(d->lines.start);
    d->text = text;
    d->len = len;
    d->lines = t;
    return true;
}
