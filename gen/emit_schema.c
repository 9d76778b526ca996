/* emit_schema.c: `ctlc schema`, JSON Schema (draft 2020-12) of the events a
 * controller accepts.
 *
 * The schema must accept exactly what the generated C reader accepts
 * (runtime/README.md, "Events on the wire"), so every rule of the reader
 * has its keyword here:
 * - unknown fields are ignored: objects never close additionalProperties;
 * - an optional field may be null (= absent); a field with a default may
 *   be left out but not be null; other fields are required;
 * - strings (values and map keys) hold no U+0000 and no unpaired surrogate:
 *   the pattern below, read with ECMA-262's unicode flag as JSON Schema
 *   asks, where a lone surrogate is a code point of its own;
 * - int is an integer in the signed 64-bit range, float a finite double,
 *   also inside `json` values (a number beyond a double is an error);
 * - @length counts code points (as JSON Schema's minLength does), items, or
 *   members; @range bounds are inclusive.
 * What a validator cannot see (duplicate keys, precision beyond a double,
 * raw invalid UTF-8, the reader's depth limit) is listed in
 * tests/schema/known-differences.txt. */
#include <stdlib.h>
#include <string.h>

#include "emit_schema.h"
#include "files.h"
#include "oom.h"

/* Text without U+0000 and unpaired surrogates. */
#define TEXT_PATTERN "^[^\\u0000\\uD800-\\uDFFF]*$"
#define INT64_MIN_TEXT "-9223372036854775808"
#define INT64_MAX_TEXT "9223372036854775807"
#define DOUBLE_MAX_TEXT "1.7976931348623157e308"

/* ---- collecting the named types a controller reaches ---------------------------- */

static bool has_decl(const ctlc_schema_types *t, const ctlc_decl *d)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->decls[i] == d)
            return true;
    return false;
}

static void add_decl(ctlc_run *run, ctlc_schema_types *t, const ctlc_decl *d)
{
    /* Few types per spec: a linear search and a copy per addition are fine. */
    const ctlc_decl **grown = ctlc_alloc(run->arena, (t->n + 1) * sizeof *grown);
    if (t->n)
        memcpy(grown, t->decls, t->n * sizeof *grown);
    grown[t->n++] = d;
    t->decls = grown;
}

static void collect_fields(ctlc_run *run, const ctlc_fields *fs, ctlc_schema_types *t);

static void collect_type(ctlc_run *run, const ctlc_type *ty, ctlc_schema_types *t)
{
    switch (ty->kind) {
    case CTLC_T_JSON: t->json = true; break;
    case CTLC_T_LIST:
    case CTLC_T_MAP: collect_type(run, ty->elem, t); break;
    case CTLC_T_NAMED:
        if (has_decl(t, ty->decl))
            break;
        add_decl(run, t, ty->decl);
        if (ty->decl->kind == CTLC_D_STRUCT)
            collect_fields(run, &ty->decl->fields, t);
        break;
    default: break;
    }
}

static void collect_fields(ctlc_run *run, const ctlc_fields *fs, ctlc_schema_types *t)
{
    for (const ctlc_field *f = fs->first; f; f = f->next)
        collect_type(run, f->type, t);
}

void ctlc_schema_collect(ctlc_run *run, const ctlc_decl *ctrl, ctlc_schema_types *types)
{
    if (ctrl) {
        for (const ctlc_func *f = ctrl->funcs; f; f = f->next) {
            collect_fields(run, &f->params, types);
            collect_fields(run, &f->result, types);
            if (f->result_decl && !has_decl(types, f->result_decl)) {
                add_decl(run, types, f->result_decl);
                collect_fields(run, &f->result_decl->fields, types);
            }
        }
        return;
    }
    /* Put them in load order, then declaration order, whatever order the
     * functions reached them in. */
    ctlc_schema_types sorted = { NULL, 0, types->json };
    for (const ctlc_spec *s = run->specs; s; s = s->next)
        for (const ctlc_decl *d = s->decls; d; d = d->next)
            if (has_decl(types, d))
                add_decl(run, &sorted, d);
    *types = sorted;
}

/* ---- values -------------------------------------------------------------------------- */

void ctlc_schema_description(const ctlc_schema_writer *w, const ctlc_doc *doc, const ctlc_traits *tr)
{
    const char *text = doc ? doc->text : "";
    size_t len = doc ? doc->len : 0;
    if (tr && tr->deprecated) {
        const char *why = tr->deprecated_why;
        text = ctlc_printf(w->a, "%.*s%sDeprecated%s%s", (int)len, text, len ? "\n\n" : "", why ? ": " : ".",
                           why ? why : "");
        len = strlen(text);
    }
    if (len)
        ctlc_json_kstr(w->j, "description", text, len);
}

static void deprecated(const ctlc_schema_writer *w, const ctlc_traits *tr)
{
    if (tr && tr->deprecated)
        ctlc_json_kraw(w->j, "deprecated", "true");
}

static void ref(const ctlc_schema_writer *w, const char *name, size_t n)
{
    ctlc_json_kcstr(w->j, "$ref", ctlc_printf(w->a, "%s%.*s", w->refs, (int)n, name));
}

/* "type": "T" or "type": ["T", "null"]. */
static void type_kw(const ctlc_schema_writer *w, const char *type, bool nullable)
{
    if (!nullable) {
        ctlc_json_kcstr(w->j, "type", type);
        return;
    }
    ctlc_json_kinline_array(w->j, "type");
    ctlc_json_str(w->j, type, strlen(type));
    ctlc_json_str(w->j, "null", 4);
    ctlc_json_end(w->j);
}

static void literal(const ctlc_schema_writer *w, const ctlc_literal *lit, const ctlc_type *type)
{
    switch (lit->kind) {
    case CTLC_LIT_INT: ctlc_json_int(w->j, lit->i); break;
    case CTLC_LIT_FLOAT: ctlc_json_raw(w->j, lit->z, lit->n); break; /* written as JSON numbers are */
    case CTLC_LIT_STRING: ctlc_json_str(w->j, lit->s, lit->slen); break;
    case CTLC_LIT_BOOL: ctlc_json_bool(w->j, lit->b); break;
    case CTLC_LIT_IDENT:
        /* An enum member: it travels under its wire name. */
        for (const ctlc_member *m = type->decl->members; m; m = m->next)
            if (m->name.n == lit->n && memcmp(m->name.z, lit->z, lit->n) == 0) {
                ctlc_json_str(w->j, m->wire, m->wire_len);
                return;
            }
        ctlc_json_str(w->j, lit->z, lit->n);
        break;
    }
}

/* A bound: the literal of @range, else the type's own limit. */
static void bound(const ctlc_schema_writer *w, const char *key, const ctlc_literal *lit, const char *otherwise)
{
    ctlc_json_key(w->j, key, strlen(key));
    if (lit && lit->kind == CTLC_LIT_INT)
        ctlc_json_int(w->j, lit->i);
    else if (lit)
        ctlc_json_raw(w->j, lit->z, lit->n);
    else
        ctlc_json_raw(w->j, otherwise, strlen(otherwise));
}

static void length(const ctlc_schema_writer *w, const ctlc_traits *tr, const char *min, const char *max)
{
    if (!tr || !tr->has_length)
        return;
    if (tr->length.has_min) {
        ctlc_json_key(w->j, min, strlen(min));
        ctlc_json_int(w->j, tr->length.min.i);
    }
    if (tr->length.has_max) {
        ctlc_json_key(w->j, max, strlen(max));
        ctlc_json_int(w->j, tr->length.max.i);
    }
}

static void type_schema(const ctlc_schema_writer *w, const ctlc_type *t);

/* The keywords of a value of type t, into the object being written; tr
 * holds the field's constraints (NULL for list items and map values). */
static void type_keywords(const ctlc_schema_writer *w, const ctlc_type *t, const ctlc_traits *tr, bool nullable)
{
    /* Bounds of @range, NULL where there is none. */
    const ctlc_literal *min = tr && tr->has_range && tr->range.has_min ? &tr->range.min : NULL;
    const ctlc_literal *max = tr && tr->has_range && tr->range.has_max ? &tr->range.max : NULL;
    switch (t->kind) {
    case CTLC_T_STRING:
        type_kw(w, "string", nullable);
        length(w, tr, "minLength", "maxLength");
        ctlc_json_kcstr(w->j, "pattern", TEXT_PATTERN);
        break;
    case CTLC_T_INT:
        type_kw(w, "integer", nullable);
        bound(w, "minimum", min, INT64_MIN_TEXT);
        bound(w, "maximum", max, INT64_MAX_TEXT);
        break;
    case CTLC_T_FLOAT:
        type_kw(w, "number", nullable);
        bound(w, "minimum", min, "-" DOUBLE_MAX_TEXT);
        bound(w, "maximum", max, DOUBLE_MAX_TEXT);
        break;
    case CTLC_T_BOOL: type_kw(w, "boolean", nullable); break;
    case CTLC_T_JSON:
        /* null is a json value already, and absent when optional. */
        ref(w, "ctl.json", 8);
        break;
    case CTLC_T_LIST:
        type_kw(w, "array", nullable);
        length(w, tr, "minItems", "maxItems");
        ctlc_json_key(w->j, "items", 5);
        type_schema(w, t->elem);
        break;
    case CTLC_T_MAP:
        type_kw(w, "object", nullable);
        length(w, tr, "minProperties", "maxProperties");
        ctlc_json_kobject(w->j, "propertyNames");
        ctlc_json_kcstr(w->j, "pattern", TEXT_PATTERN);
        ctlc_json_end(w->j);
        ctlc_json_key(w->j, "additionalProperties", 20);
        type_schema(w, t->elem);
        break;
    case CTLC_T_NAMED:
        if (!nullable) {
            ref(w, t->decl->name.z, t->decl->name.n);
            break;
        }
        ctlc_json_karray(w->j, "anyOf");
        ctlc_json_object(w->j);
        ref(w, t->decl->name.z, t->decl->name.n);
        ctlc_json_end(w->j);
        ctlc_json_object(w->j);
        ctlc_json_kcstr(w->j, "type", "null");
        ctlc_json_end(w->j);
        ctlc_json_end(w->j);
        break;
    }
}

static void type_schema(const ctlc_schema_writer *w, const ctlc_type *t)
{
    ctlc_json_object(w->j);
    type_keywords(w, t, NULL, false);
    ctlc_json_end(w->j);
}

static void field_schema(const ctlc_schema_writer *w, const ctlc_field *f)
{
    ctlc_json_key(w->j, f->wire, f->wire_len);
    ctlc_json_object(w->j);
    ctlc_schema_description(w, f->doc, &f->traits);
    deprecated(w, &f->traits);
    type_keywords(w, f->type, &f->traits, f->optional);
    if (f->dflt) {
        ctlc_json_key(w->j, "default", 7);
        literal(w, f->dflt, f->type);
    }
    ctlc_json_end(w->j);
}

/* "type", "properties" and "required" of an object with fields fs; fn is the
 * function name of an event (its "function" const), or NULL. A reader
 * requires the fields without `?` or default; a writer always writes every
 * field without `?` (all_required). */
static void object_keywords(const ctlc_schema_writer *w, const ctlc_fields *fs, const ctlc_name *fn,
                            bool all_required)
{
    ctlc_json_kcstr(w->j, "type", "object");
    if (fn || fs->count) {
        ctlc_json_kobject(w->j, "properties");
        if (fn) {
            ctlc_json_kobject(w->j, "function");
            ctlc_json_kstr(w->j, "const", fn->z, fn->n);
            ctlc_json_end(w->j);
        }
        for (const ctlc_field *f = fs->first; f; f = f->next)
            field_schema(w, f);
        ctlc_json_end(w->j);
    }
    bool any = fn != NULL;
    for (const ctlc_field *f = fs->first; f; f = f->next)
        any |= !f->optional && (all_required || !f->dflt);
    if (!any)
        return;
    ctlc_json_kinline_array(w->j, "required");
    if (fn)
        ctlc_json_str(w->j, "function", 8);
    for (const ctlc_field *f = fs->first; f; f = f->next)
        if (!f->optional && (all_required || !f->dflt))
            ctlc_json_str(w->j, f->wire, f->wire_len);
    ctlc_json_end(w->j);
}

/* The event of a @records function: Lambda's invocation record, as the C
 * reader (ctl_record_read) takes it: an object with requestContext (an
 * object) and requestPayload and no "function"; the other members typed
 * when present (null reads as absent). Marked "x-ctl-records". */
static void record_keywords(const ctlc_schema_writer *w)
{
    ctlc_json *j = w->j;
    ctlc_json_kraw(j, "x-ctl-records", "true");
    ctlc_json_kcstr(j, "type", "object");
    ctlc_json_kobject(j, "properties");
    ctlc_json_kraw(j, "function", "false");
    ctlc_json_kraw(j, "version", "{\"type\": [\"string\", \"null\"]}");
    ctlc_json_kraw(j, "timestamp", "{\"type\": [\"string\", \"null\"]}");
    ctlc_json_kobject(j, "requestContext");
    ctlc_json_kcstr(j, "type", "object");
    ctlc_json_kobject(j, "properties");
    ctlc_json_kraw(j, "requestId", "{\"type\": [\"string\", \"null\"]}");
    ctlc_json_kraw(j, "functionArn", "{\"type\": [\"string\", \"null\"]}");
    ctlc_json_kraw(j, "condition", "{\"type\": [\"string\", \"null\"], \"examples\": [\"Success\", \"RetriesExhausted\", "
                                   "\"EventAgeExceeded\"]}");
    ctlc_json_kraw(j, "approximateInvokeCount", "{\"type\": [\"integer\", \"null\"]}");
    ctlc_json_end(j);
    ctlc_json_end(j);
    ctlc_json_kraw(j, "requestPayload", "true");
    ctlc_json_kobject(j, "responseContext");
    ctlc_json_kraw(j, "type", "[\"object\", \"null\"]");
    ctlc_json_kobject(j, "properties");
    ctlc_json_kraw(j, "statusCode", "{\"type\": [\"integer\", \"null\"]}");
    ctlc_json_kraw(j, "executedVersion", "{\"type\": [\"string\", \"null\"]}");
    ctlc_json_kraw(j, "functionError", "{\"type\": [\"string\", \"null\"]}");
    ctlc_json_end(j);
    ctlc_json_end(j);
    ctlc_json_kraw(j, "responsePayload", "true");
    ctlc_json_end(j);
    ctlc_json_kinline_array(j, "required");
    ctlc_json_str(j, "requestContext", 14);
    ctlc_json_str(j, "requestPayload", 14);
    ctlc_json_end(j);
}

void ctlc_schema_event(const ctlc_schema_writer *w, const ctlc_func *f)
{
    ctlc_json_object(w->j);
    ctlc_schema_description(w, f->doc, &f->traits);
    deprecated(w, &f->traits);
    if (f->traits.records)
        record_keywords(w);
    else
        object_keywords(w, &f->params, &f->name, false);
    ctlc_json_end(w->j);
}

void ctlc_schema_result(const ctlc_schema_writer *w, const ctlc_func *f)
{
    ctlc_json_object(w->j);
    if (f->result_decl) {
        ref(w, f->result_decl->name.z, f->result_decl->name.n);
    } else if (f->has_result_fields) {
        object_keywords(w, &f->result, NULL, true);
    } else {
        ctlc_json_kcstr(w->j, "description", "No result: the response body is null.");
        ctlc_json_kcstr(w->j, "type", "null");
    }
    ctlc_json_end(w->j);
}

static void enum_schema(const ctlc_schema_writer *w, const ctlc_decl *d)
{
    ctlc_json_kcstr(w->j, "type", "string");
    bool annotated = false;
    for (const ctlc_member *m = d->members; m; m = m->next)
        annotated |= m->doc || m->traits.deprecated;
    if (!annotated) {
        ctlc_json_kinline_array(w->j, "enum");
        for (const ctlc_member *m = d->members; m; m = m->next)
            ctlc_json_str(w->j, m->wire, m->wire_len);
        ctlc_json_end(w->j);
        return;
    }
    /* One const per member, so that each carries its doc and deprecation. */
    ctlc_json_karray(w->j, "oneOf");
    for (const ctlc_member *m = d->members; m; m = m->next) {
        ctlc_json_object(w->j);
        ctlc_json_kstr(w->j, "const", m->wire, m->wire_len);
        ctlc_schema_description(w, m->doc, &m->traits);
        deprecated(w, &m->traits);
        ctlc_json_end(w->j);
    }
    ctlc_json_end(w->j);
}

void ctlc_schema_defs(const ctlc_schema_writer *w, const ctlc_schema_types *types)
{
    for (size_t i = 0; i < types->n; i++) {
        const ctlc_decl *d = types->decls[i];
        ctlc_json_key(w->j, d->name.z, d->name.n);
        ctlc_json_object(w->j);
        ctlc_schema_description(w, d->doc, &d->traits);
        deprecated(w, &d->traits);
        if (d->kind == CTLC_D_ENUM)
            enum_schema(w, d);
        else
            object_keywords(w, &d->fields, NULL, false);
        ctlc_json_end(w->j);
    }
    if (!types->json)
        return;
    /* Any JSON value, with the reader's rules for the strings and numbers
     * inside it; each keyword applies to its own type only. */
    ctlc_json_kobject(w->j, "ctl.json");
    ctlc_json_kcstr(w->j, "description",
                    "Any JSON value: strings and keys without U+0000 or unpaired surrogates, numbers "
                    "within the range of a double.");
    ctlc_json_kinline_array(w->j, "type");
    static const char *const all[] = { "null", "boolean", "number", "string", "array", "object" };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        ctlc_json_str(w->j, all[i], strlen(all[i]));
    ctlc_json_end(w->j);
    ctlc_json_kraw(w->j, "minimum", "-" DOUBLE_MAX_TEXT);
    ctlc_json_kraw(w->j, "maximum", DOUBLE_MAX_TEXT);
    ctlc_json_kcstr(w->j, "pattern", TEXT_PATTERN);
    ctlc_json_kobject(w->j, "items");
    ref(w, "ctl.json", 8);
    ctlc_json_end(w->j);
    ctlc_json_kobject(w->j, "propertyNames");
    ctlc_json_kcstr(w->j, "pattern", TEXT_PATTERN);
    ctlc_json_end(w->j);
    ctlc_json_kobject(w->j, "additionalProperties");
    ref(w, "ctl.json", 8);
    ctlc_json_end(w->j);
    ctlc_json_end(w->j);
}

void ctlc_schema_settings(const ctlc_schema_writer *w, const ctlc_traits *tr)
{
    if (tr->retries)
        ctlc_json_kraw(w->j, "x-ctl-retries", ctlc_printf(w->a, "%d", tr->retries_n));
    if (tr->max_event_age)
        ctlc_json_kraw(w->j, "x-ctl-max-event-age", ctlc_printf(w->a, "%d", tr->max_event_age_s));
    const ctlc_dest *dests[2] = { &tr->on_failure, &tr->on_success };
    static const char *const keys[2] = { "x-ctl-on-failure", "x-ctl-on-success" };
    for (int i = 0; i < 2; i++) {
        if (!dests[i]->annot)
            continue;
        ctlc_json_kobject(w->j, keys[i]);
        ctlc_json_kstr(w->j, ctlc_dest_kind_word(dests[i]->kind), dests[i]->name, dests[i]->len);
        ctlc_json_end(w->j);
    }
}

/* ---- one file per controller ------------------------------------------------------------ */

static void controller_schema(ctlc_run *run, ctlc_json *j, const ctlc_decl *c)
{
    ctlc_schema_writer w = { j, run->arena, "#/$defs/" };
    ctlc_json_object(j);
    ctlc_json_kcstr(j, "$schema", "https://json-schema.org/draft/2020-12/schema");
    ctlc_json_kstr(j, "title", c->name.z, c->name.n);
    ctlc_schema_description(&w, c->doc, &c->traits);
    deprecated(&w, &c->traits);
    ctlc_schema_settings(&w, &c->traits);
    ctlc_json_kcstr(j, "type", "object");
    /* The dispatch key first, so that a missing or unknown function is
     * reported as such rather than as a mismatch with every branch; a
     * controller with a @records function also takes records, which have
     * none (its branch says so). */
    const ctlc_func *records = ctlc_records_function(c);
    size_t named = 0;
    for (const ctlc_func *f = c->funcs; f; f = f->next)
        named += f != records;
    if (!records) {
        ctlc_json_kinline_array(j, "required");
        ctlc_json_str(j, "function", 8);
        ctlc_json_end(j);
    }
    ctlc_json_kobject(j, "properties");
    if (!named) {
        ctlc_json_kraw(j, "function", "false"); /* no function: no event with one is valid */
    } else {
        ctlc_json_kobject(j, "function");
        ctlc_json_kinline_array(j, "enum");
        for (const ctlc_func *f = c->funcs; f; f = f->next)
            if (f != records)
                ctlc_json_str(j, f->name.z, f->name.n);
        ctlc_json_end(j);
        ctlc_json_end(j);
    }
    ctlc_json_end(j);
    if (c->funcs) {
        ctlc_json_karray(j, "oneOf");
        for (const ctlc_func *f = c->funcs; f; f = f->next) {
            ctlc_json_object(j);
            ctlc_json_kcstr(j, "$ref", ctlc_printf(run->arena, "#/$defs/%.*s.event", (int)f->name.n, f->name.z));
            ctlc_json_end(j);
        }
        ctlc_json_end(j);
    }
    ctlc_schema_types types = { 0 };
    ctlc_schema_collect(run, c, &types);
    ctlc_schema_collect(run, NULL, &types);
    if (c->funcs || types.n) {
        ctlc_json_kobject(j, "$defs");
        for (const ctlc_func *f = c->funcs; f; f = f->next) {
            ctlc_json_key(j, ctlc_printf(run->arena, "%.*s.event", (int)f->name.n, f->name.z), f->name.n + 6);
            ctlc_schema_event(&w, f);
            if (f->is_async)
                continue;
            ctlc_json_key(j, ctlc_printf(run->arena, "%.*s.result", (int)f->name.n, f->name.z), f->name.n + 7);
            ctlc_schema_result(&w, f);
        }
        ctlc_schema_defs(&w, &types);
        ctlc_json_end(j);
    }
    ctlc_json_end(j);
}

static ctlc_status emit_schema(ctlc_run *run, const ctlc_spec *spec, const char *outdir)
{
    int rc = 0;
    for (const ctlc_decl *d = spec->decls; d; d = d->next) {
        if (d->kind != CTLC_D_CONTROLLER)
            continue;
        char *text = NULL;
        size_t len = 0;
        FILE *mem = ctlc_memstream(&text, &len);
        ctlc_json j;
        ctlc_json_init(&j, mem, run->arena);
        controller_schema(run, &j, d);
        ctlc_memstream_close(mem, &text);
        const char *path = ctlc_printf(run->arena, "%s/%.*s.schema.json", outdir, (int)d->name.n, d->name.z);
        rc = ctlc_write_file(run, path, text, len);
        ctlc_text_free(&text);
        if (rc)
            break; /* the folder is unwritable: one message is enough */
    }
    return rc ? CTLC_IO : CTLC_OK;
}

ctlc_status ctlc_emit_schema(ctlc_run *run, const ctlc_spec *spec, const char *outdir)
{
    CTLC_GUARDED(run, emit_schema(run, spec, outdir));
}
