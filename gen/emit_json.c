/* emit_json.c: the indented JSON writer of emit_json.h. */
#include <inttypes.h>
#include <string.h>

#include "emit_json.h"

void ctlc_json_init(ctlc_json *j, FILE *out, ctlc_arena *a)
{
    memset(j, 0, sizeof *j);
    j->out = out;
    j->a = a;
}

static void indent(ctlc_json *j)
{
    fputc('\n', j->out);
    for (int i = 0; i < j->depth; i++)
        fputs("  ", j->out);
}

/* Separator and indentation before a value or a key. */
static void before(ctlc_json *j)
{
    if (j->after_key) {
        j->after_key = false;
        return;
    }
    if (j->depth == 0)
        return;
    bool first = j->levels[j->depth].empty;
    j->levels[j->depth].empty = false;
    if (j->levels[j->depth].inline_) {
        if (!first)
            fputs(", ", j->out);
        return;
    }
    if (!first)
        fputc(',', j->out);
    indent(j);
}

static void open(ctlc_json *j, char c)
{
    before(j);
    fputc(c, j->out);
    if (j->depth + 1 >= j->cap) {
        /* The arena cannot resize: a new array, twice as long. */
        int cap = j->cap ? j->cap * 2 : 16;
        ctlc_json_level *levels = ctlc_alloc(j->a, (size_t)cap * sizeof *levels);
        if (j->depth)
            memcpy(levels, j->levels, (size_t)(j->depth + 1) * sizeof *levels);
        j->levels = levels;
        j->cap = cap;
    }
    ctlc_json_level *l = &j->levels[++j->depth];
    l->empty = true;
    l->inline_ = false;
    l->close = c == '{' ? '}' : ']';
}

void ctlc_json_object(ctlc_json *j) { open(j, '{'); }
void ctlc_json_array(ctlc_json *j) { open(j, '['); }

void ctlc_json_inline_array(ctlc_json *j)
{
    open(j, '[');
    j->levels[j->depth].inline_ = true;
}

void ctlc_json_end(ctlc_json *j)
{
    bool was_empty = j->levels[j->depth].empty;
    char c = j->levels[j->depth].close;
    bool on_one_line = j->levels[j->depth].inline_;
    j->depth--;
    if (!was_empty && !on_one_line)
        indent(j);
    fputc(c, j->out);
    if (j->depth == 0)
        fputc('\n', j->out);
}

void ctlc_json_escape(FILE *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\t': fputs("\\t", out); break;
        case '\r': fputs("\\r", out); break;
        default:
            if (c < 0x20)
                fprintf(out, "\\u%04x", c);
            else
                fputc((char)c, out);
        }
    }
}

void ctlc_json_key(ctlc_json *j, const char *k, size_t n)
{
    before(j);
    fputc('"', j->out);
    ctlc_json_escape(j->out, k, n);
    fputs("\": ", j->out);
    j->after_key = true;
}

void ctlc_json_str(ctlc_json *j, const char *s, size_t n)
{
    before(j);
    fputc('"', j->out);
    ctlc_json_escape(j->out, s, n);
    fputc('"', j->out);
}

void ctlc_json_raw(ctlc_json *j, const char *text, size_t n)
{
    before(j);
    fwrite(text, 1, n, j->out);
}

void ctlc_json_int(ctlc_json *j, int64_t v)
{
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%" PRId64, v);
    ctlc_json_raw(j, buf, (size_t)n);
}

void ctlc_json_bool(ctlc_json *j, bool v)
{
    ctlc_json_raw(j, v ? "true" : "false", v ? 4 : 5);
}

void ctlc_json_kstr(ctlc_json *j, const char *key, const char *s, size_t n)
{
    ctlc_json_key(j, key, strlen(key));
    ctlc_json_str(j, s, n);
}

void ctlc_json_kcstr(ctlc_json *j, const char *key, const char *s)
{
    ctlc_json_kstr(j, key, s, strlen(s));
}

void ctlc_json_kraw(ctlc_json *j, const char *key, const char *text)
{
    ctlc_json_key(j, key, strlen(key));
    ctlc_json_raw(j, text, strlen(text));
}

void ctlc_json_kinline_array(ctlc_json *j, const char *key)
{
    ctlc_json_key(j, key, strlen(key));
    ctlc_json_inline_array(j);
}

void ctlc_json_kobject(ctlc_json *j, const char *key)
{
    ctlc_json_key(j, key, strlen(key));
    ctlc_json_object(j);
}

void ctlc_json_karray(ctlc_json *j, const char *key)
{
    ctlc_json_key(j, key, strlen(key));
    ctlc_json_array(j);
}
