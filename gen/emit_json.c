/* emit_json.c: the indented JSON writer of emit_json.h. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "emit_json.h"

void ctlc_json_init(ctlc_json *j, FILE *out)
{
    memset(j, 0, sizeof *j);
    j->out = out;
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
    bool first = j->empty[j->depth];
    j->empty[j->depth] = false;
    if (j->inline_[j->depth]) {
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
    if (j->depth + 1 >= CTLC_JSON_MAX_DEPTH) {
        /* Types nest at most 64 levels (the parser's limit), far below this. */
        fputs("ctlc: error: JSON output nested too deeply\n", stderr);
        exit(2);
    }
    j->empty[++j->depth] = true;
    j->inline_[j->depth] = false;
    j->close[j->depth] = c == '{' ? '}' : ']';
}

void ctlc_json_object(ctlc_json *j) { open(j, '{'); }
void ctlc_json_array(ctlc_json *j) { open(j, '['); }

void ctlc_json_inline_array(ctlc_json *j)
{
    open(j, '[');
    j->inline_[j->depth] = true;
}

void ctlc_json_end(ctlc_json *j)
{
    bool was_empty = j->empty[j->depth];
    char c = j->close[j->depth];
    bool on_one_line = j->inline_[j->depth];
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
