/* check_annot.c: the annotations, for the checker (check.c): which apply
 * to what, their arguments, and what they say, recorded in the traits of
 * what they are on (@deprecated, @json, @length, @range, @on_failure,
 * @on_success, @idempotent, @records, @retries, @max_event_age). What needs
 * every declaration waits: a controller destination is resolved by
 * check.c (check_destinations), an idempotency key's path here, once every
 * spec is checked (ctlc_check_resolve_idem_keys). */
#include <string.h>

#include "check.h"
#include "common/rules.h"
#include "ctlc.h"
#include "suggest.h"


/* ---- annotations ----------------------------------------------------------------- */

/* The names of the arguments the annotations take (their one place). */
static const char *const bound_args[] = { "min", "max" };
static const char *const dest_args[] = { "eventbridge", "s3", "sns", "sqs" };
static const char *const idem_args[] = { "key", "expires" };

/* In the order of the enum in ctlc_check_annots() (sorted by name). */
const ctlc_annot_rule ctlc_annot_rules[CTLC_NANNOTS] = {
    { "deprecated", NULL, 0, "anything but an import; optional \"why\"" },
    { "idempotent", idem_args, 2, "a function; key: \"path\" (repeatable), expires: SECONDS" },
    { "json", NULL, 0, "a field or enum member; the wire name, \"name\"" },
    { "length", bound_args, 2, "a string, list or map field; min: N, max: N" },
    { "max_event_age", NULL, 0, "a controller; SECONDS, 60..21600" },
    { "on_failure", dest_args, 4, "a controller; a controller's name or kind: \"target\"" },
    { "on_success", dest_args, 4, "a controller; a controller's name or kind: \"target\"" },
    { "range", bound_args, 2, "an int or float field; min: N, max: N" },
    { "records", NULL, 0, "a function that receives destination records" },
    { "retries", NULL, 0, "a controller; N, 0..2" },
};

const char *ctlc_check_target_str(ctlc_check_target_kind on, const ctlc_decl *decl)
{
    switch (on) {
    case CTLC_ON_PACKAGE: return "a package declaration";
    case CTLC_ON_IMPORT: return "an import";
    case CTLC_ON_FUNCTION: return "a function";
    case CTLC_ON_FIELD: return "a field";
    case CTLC_ON_MEMBER: return "an enum member";
    case CTLC_ON_DECL:
        switch (decl->kind) {
        case CTLC_D_ENUM: return "an enum";
        case CTLC_D_STRUCT: return "a struct";
        case CTLC_D_CLIENT: return "a client";
        case CTLC_D_CONTROLLER: return "a controller";
        default: return "a declaration";
        }
    }
    return "this";
}

/* The type a field's annotations see: the field's own type. */
static bool sized_type(const ctlc_type *t)
{
    return t->kind == CTLC_T_STRING || t->kind == CTLC_T_LIST || t->kind == CTLC_T_MAP;
}

static bool numeric_type(const ctlc_type *t)
{
    return t->kind == CTLC_T_INT || t->kind == CTLC_T_FLOAT;
}

/* The one positional argument of an annotation, of the literal kind want
 * (what names it in the messages: "string", "integer"). *out is NULL when
 * the annotation has none and needs none; false after an error. */
static bool single_arg(ctlc_checker *c, const ctlc_annot *an, bool required, ctlc_lit_kind want,
                       const char *what, const ctlc_literal **out)
{
    *out = NULL;
    if (an->nargs == 0) {
        if (required) {
            ctlc_error(c->d, an->loc, "'@%.*s' needs one %s argument", NAME(an->name), what);
            return false;
        }
        return true;
    }
    const ctlc_arg *arg = an->args;
    if (an->nargs > 1) {
        ctlc_error(c->d, arg->next->value.loc, "'@%.*s' takes one argument", NAME(an->name));
        return false;
    }
    if (arg->name.n) {
        ctlc_error(c->d, arg->name.loc, "'@%.*s' takes no named arguments", NAME(an->name));
        return false;
    }
    if (arg->value.kind != want) {
        ctlc_error(c->d, arg->value.loc, "the argument of '@%.*s' must be %s %s", NAME(an->name),
                   want == CTLC_LIT_INT ? "an" : "a", what);
        return false;
    }
    if (arg->value.bad)
        return false;
    *out = &arg->value;
    return true;
}

static bool single_string_arg(ctlc_checker *c, const ctlc_annot *an, bool required, const char **out,
                              size_t *outlen)
{
    const ctlc_literal *v;
    if (!single_arg(c, an, required, CTLC_LIT_STRING, "string", &v))
        return false;
    if (v) {
        *out = v->s;
        *outlen = v->slen;
    }
    return true;
}

/* A controller's async setting: one integer within Lambda's limits for the
 * EventInvokeConfig field it sets. The value, or -1 after an error. */
static int lambda_setting(ctlc_checker *c, const ctlc_annot *an, int min, int max, const char *lambda_field)
{
    const ctlc_literal *v;
    if (!single_arg(c, an, true, CTLC_LIT_INT, "integer", &v))
        return -1;
    if (v->i < min || v->i > max) {
        ctlc_error(c->d, v->loc, "@%.*s(%.*s) is outside %d..%d (Lambda's %s)", NAME(an->name), (int)v->n, v->z,
                   min, max, lambda_field);
        return -1;
    }
    return (int)v->i;
}

/* @length(min: N, max: N) and @range(min: X, max: X). */
static void check_bounds(ctlc_checker *c, const ctlc_annot *an, bool is_length, const ctlc_type *type,
                         ctlc_bounds *out)
{
    const char *which = is_length ? "length" : "range";
    bool ok = true;
    const ctlc_arg *min = NULL, *max = NULL;
    for (const ctlc_arg *arg = an->args; arg; arg = arg->next) {
        if (!arg->name.n) {
            if (ok)
                ctlc_error(c->d, arg->value.loc, "'@%s' takes named arguments: min, max", which);
            ok = false;
            continue;
        }
        const ctlc_arg **slotp;
        if (ctlc_name_is(arg->name, "min"))
            slotp = &min;
        else if (ctlc_name_is(arg->name, "max"))
            slotp = &max;
        else {
            const char *guess = ctlc_check_closest(c, arg->name, bound_args, 2, NULL, NULL);
            ctlc_error(c->d, arg->name.loc, "unknown argument '%.*s' to '@%s'%s", NAME(arg->name), which,
                       guess ? ctlc_check_did_you_mean(c, guess) : "; expected min or max");
            ctlc_check_fix_name(c, arg->name, guess);
            ok = false;
            continue;
        }
        if (*slotp) {
            ctlc_error(c->d, arg->name.loc, "argument '%.*s' given twice", NAME(arg->name));
            ok = false;
            continue;
        }
        *slotp = arg;
        const ctlc_literal *v = &arg->value;
        if (v->bad) {
            ok = false;
        } else if (is_length) {
            if (v->kind != CTLC_LIT_INT || v->i < 0) {
                ctlc_error(c->d, v->loc, "'@length' bounds are non-negative integers");
                ok = false;
            }
        } else if (v->kind != CTLC_LIT_INT && v->kind != CTLC_LIT_FLOAT) {
            ctlc_error(c->d, v->loc, "'@range' bounds are numbers");
            ok = false;
        } else if (type && type->kind == CTLC_T_INT && v->kind != CTLC_LIT_INT) {
            ctlc_error(c->d, v->loc, "'@range' bounds of an int field are integers");
            ok = false;
        }
    }
    if (!an->args && ok) {
        ctlc_error(c->d, an->loc, "'@%s' needs min, max or both", which);
        return;
    }
    if (!ok)
        return;
    if (min && max) {
        bool greater = min->value.kind == CTLC_LIT_INT && max->value.kind == CTLC_LIT_INT
                           ? min->value.i > max->value.i
                           : min->value.f > max->value.f;
        if (greater) {
            ctlc_error(c->d, min->name.loc, "min (%.*s) is greater than max (%.*s)", (int)min->value.n,
                       min->value.z, (int)max->value.n, max->value.z);
            return;
        }
    }
    out->has_min = min != NULL;
    out->has_max = max != NULL;
    if (min)
        out->min = min->value;
    if (max)
        out->max = max->value;
}

/* ---- destinations (@on_failure, @on_success) ---- */

/* The external targets' kinds: AWS's naming rule of each is common/rules.h's
 * (ctli_rule_dest_names), which serve's configuration API applies alike;
 * here each word's kind in the spec's model. */
typedef struct dest_rule {
    const char *word;
    ctlc_dest_kind kind;
} dest_rule;

static const dest_rule dest_rules[] = {
    { "eventbridge", CTLC_DEST_EVENTBRIDGE },
    { "s3", CTLC_DEST_S3 },
    { "sns", CTLC_DEST_SNS },
    { "sqs", CTLC_DEST_SQS },
};
enum { NDEST_RULES = sizeof dest_rules / sizeof dest_rules[0] };

/* @on_failure(controller) or @on_failure(kind: "name"): what it names,
 * checked as far as it can be without the other declarations (a
 * controller is resolved by check_destinations). */
static void check_destination(ctlc_checker *c, const ctlc_annot *an, bool on_success, ctlc_dest *out)
{
    const char *usage = "a controller's name or one external target, kind: \"name\" (kinds: eventbridge, s3, sns, sqs)";
    if (an->nargs != 1) {
        ctlc_error(c->d, an->loc, "'@%.*s' takes one destination: %s", NAME(an->name), usage);
        return;
    }
    const ctlc_arg *arg = an->args;
    if (arg->value.bad)
        return;
    if (!arg->name.n) {
        if (arg->value.kind != CTLC_LIT_IDENT) {
            ctlc_error(c->d, arg->value.loc, "the destination of '@%.*s' is %s", NAME(an->name), usage);
            return;
        }
        out->annot = an;
        out->kind = CTLC_DEST_CONTROLLER;
        out->name = arg->value.z;
        out->len = arg->value.n;
        out->loc = arg->value.loc;
        return;
    }
    const dest_rule *r = NULL;
    for (size_t i = 0; i < NDEST_RULES; i++)
        if (ctlc_name_is(arg->name, dest_rules[i].word))
            r = &dest_rules[i];
    if (!r) {
        const char *guess = ctlc_check_closest(c, arg->name, dest_args, 4, NULL, NULL);
        ctlc_error(c->d, arg->name.loc, "unknown destination kind '%.*s'%s", NAME(arg->name),
                   guess ? ctlc_check_did_you_mean(c, guess) : "; the kinds are eventbridge, s3, sns, sqs");
        ctlc_check_fix_name(c, arg->name, guess);
        return;
    }
    if (arg->value.kind != CTLC_LIT_STRING) {
        ctlc_error(c->d, arg->value.loc, "the %s destination of '@%.*s' is named by a string: %s: \"name\"", r->word,
                   NAME(an->name), r->word);
        return;
    }
    if (r->kind == CTLC_DEST_S3 && on_success) {
        ctlc_error(c->d, arg->name.loc,
                   "an S3 bucket can only be an on-failure destination (Lambda sends no success records to S3)");
        return;
    }
    if (arg->value.slen == 0) {
        ctlc_error(c->d, arg->value.loc, "the %s destination of '@%.*s' has an empty name", r->word, NAME(an->name));
        return;
    }
    const ctli_rule_dest_name *rule = ctli_rule_dest_name_of(r->word, strlen(r->word));
    if (!ctli_rule_dest_name_ok(rule, arg->value.s, arg->value.slen)) {
        ctlc_error(c->d, arg->value.loc, "'%s' is not a valid %s destination name: %s",
                   ctlc_check_quoted(c, arg->value.s, arg->value.slen), r->word, rule->rule);
        return;
    }
    out->annot = an;
    out->kind = r->kind;
    out->name = arg->value.s;
    out->len = arg->value.slen;
    out->loc = arg->value.loc;
}

/* ---- @idempotent ---- */

/* @idempotent, @idempotent(key: "a.b", key: "c", expires: S): the key
 * paths (one `key:` each, any number, none: the whole payload) and how long
 * a completed key is remembered. The paths resolve once every type has
 * (resolve_idem_keys). */
static void check_idempotent(ctlc_checker *c, const ctlc_annot *an, ctlc_traits *tr)
{
    bool ok = true;
    size_t nkeys = 0;
    const ctlc_arg *expires = NULL;
    for (const ctlc_arg *arg = an->args; arg; arg = arg->next) {
        if (!arg->name.n) {
            ctlc_error(c->d, arg->value.loc, "'@idempotent' takes named arguments: key: \"path\" (repeated for "
                       "more fields), expires: SECONDS");
            ok = false;
        } else if (ctlc_name_is(arg->name, "key")) {
            if (arg->value.bad) {
                ok = false;
            } else if (arg->value.kind != CTLC_LIT_STRING) {
                ctlc_error(c->d, arg->value.loc, "an idempotency key is a field path in a string: key: \"leed.id\"");
                ok = false;
            } else {
                nkeys++;
            }
        } else if (ctlc_name_is(arg->name, "expires")) {
            if (expires) {
                ctlc_error(c->d, arg->name.loc, "argument 'expires' given twice");
                ok = false;
            } else if (!arg->value.bad && (arg->value.kind != CTLC_LIT_INT || arg->value.i < 1 ||
                                           arg->value.i > CTLC_IDEM_EXPIRES_MAX)) {
                ctlc_error(c->d, arg->value.loc,
                           "'expires' is a number of seconds in 1..%d (a year): how long a completed key is "
                           "remembered", CTLC_IDEM_EXPIRES_MAX);
                ok = false;
            }
            expires = arg;
            ok = ok && !arg->value.bad;
        } else {
            const char *guess = ctlc_check_closest(c, arg->name, idem_args, 2, NULL, NULL);
            ctlc_error(c->d, arg->name.loc, "unknown argument '%.*s' to '@idempotent'%s", NAME(arg->name),
                       guess ? ctlc_check_did_you_mean(c, guess) : "; expected key or expires");
            ctlc_check_fix_name(c, arg->name, guess);
            ok = false;
        }
    }
    if (!ok)
        return;
    tr->idempotent = an;
    tr->idem_expires_s = expires ? (int)expires->value.i : CTLC_IDEM_EXPIRES;
    tr->idem_nkeys = nkeys;
    tr->idem_keys = ctlc_alloc(c->a, (nkeys + 1) * sizeof *tr->idem_keys);
    tr->idem_pointers = ctlc_alloc(c->a, (nkeys + 1) * sizeof *tr->idem_pointers);
    size_t k = 0;
    for (const ctlc_arg *arg = an->args; arg; arg = arg->next)
        if (ctlc_name_is(arg->name, "key"))
            tr->idem_keys[k++] = &arg->value;
}

ctlc_loc ctlc_check_key_segment_loc(const ctlc_literal *v, size_t off)
{
    ctlc_loc at = v->loc;
    if (v->n == v->slen + 2)
        at.col += (uint32_t)(1 + off);
    return at;
}

/* One key path of an @idempotent function: each segment names a field of
 * the payload, or of the struct the segment before names; the last is a
 * scalar (string, int, float, bool or an enum). No field on the way may be
 * optional or have a default: absent on the wire, it would give every such
 * event one key (or a key that differs from the default's), so the checker
 * refuses it rather than guess. The JSON Pointer of its wire names, or NULL
 * after an error. */
static const char *resolve_idem_key(ctlc_checker *c, const ctlc_func *f, const ctlc_literal *v)
{
    const ctlc_fields *in = &f->params;
    const char *where = ctlc_printf(c->a, "the payload of '%.*s'", NAME(f->name));
    const char *ptr = "";
    const char *s = v->s;
    size_t off = 0;
    if (v->slen == 0) {
        ctlc_error(c->d, v->loc, "an idempotency key path cannot be empty; name a field, or give no key for the "
                   "whole payload");
        return NULL;
    }
    for (;;) {
        const char *dot = memchr(s + off, '.', v->slen - off);
        size_t len = dot ? (size_t)(dot - (s + off)) : v->slen - off;
        ctlc_loc at = ctlc_check_key_segment_loc(v, off);
        if (len == 0) {
            ctlc_error(c->d, at, "empty segment in idempotency key path '%s'",
                       ctlc_check_quoted(c, s, v->slen));
            return NULL;
        }
        ctlc_name seg = { s + off, (uint32_t)len, at };
        const ctlc_field *fd = NULL;
        if (in)
            for (const ctlc_field *g = in->first; g; g = g->next)
                if (g->name.n == seg.n && memcmp(g->name.z, seg.z, seg.n) == 0)
                    fd = g;
        if (!fd) {
            ctlc_suggest sg;
            ctlc_suggest_init(&sg, seg.z, seg.n);
            if (in)
                for (const ctlc_field *g = in->first; g; g = g->next)
                    ctlc_suggest_add(&sg, g->name.z, g->name.n);
            const char *best = sg.best ? ctlc_strndup(c->a, sg.best, sg.best_n) : NULL;
            ctlc_error(c->d, at, "no field '%.*s' in %s%s", NAME(seg), where, ctlc_check_did_you_mean(c, best));
            if (v->n == v->slen + 2) /* the segment is where the text has it */
                ctlc_check_fix_name(c, seg, best);
            return NULL;
        }
        const char *tstr = ctlc_type_str(c->a, fd->type);
        if (fd->optional || fd->dflt) {
            ctlc_error(c->d, at, "idempotency key field '%.*s' %s: an event without it would have no key of its "
                       "own; make it required without a default", NAME(seg),
                       fd->optional ? "is optional" : "has a default");
            ctlc_note(c->d, fd->name.loc, "'%.*s' is declared here", NAME(fd->name));
            return NULL;
        }
        /* the wire name, escaped for a JSON Pointer (RFC 6901: ~ as ~0, / as ~1) */
        const char *w = "";
        for (size_t i = 0; i < fd->wire_len; i++)
            w = ctlc_printf(c->a, "%s%s", w, fd->wire[i] == '~' ? "~0" : fd->wire[i] == '/' ? "~1"
                                                 : ctlc_printf(c->a, "%c", fd->wire[i]));
        ptr = ctlc_printf(c->a, "%s/%s", ptr, w);
        const ctlc_type *t = fd->type;
        const ctlc_decl *sd = t->kind == CTLC_T_NAMED ? t->decl : NULL;
        if (!dot) {
            bool scalar = t->kind == CTLC_T_STRING || t->kind == CTLC_T_INT || t->kind == CTLC_T_FLOAT ||
                          t->kind == CTLC_T_BOOL || (sd && sd->kind == CTLC_D_ENUM);
            if (t->kind == CTLC_T_NAMED && !sd)
                return NULL; /* an unknown type, reported already */
            if (!scalar) {
                ctlc_error(c->d, at, "idempotency key field '%.*s' is %s, not a scalar (string, int, float, bool or "
                           "an enum)%s", NAME(seg), tstr,
                           sd && sd->kind == CTLC_D_STRUCT ? "; name one of its fields: key: \"a.b\"" : "");
                ctlc_note(c->d, fd->name.loc, "'%.*s' is declared here", NAME(fd->name));
                return NULL;
            }
            return ptr;
        }
        if (t->kind == CTLC_T_NAMED && !sd)
            return NULL;
        if (!sd || sd->kind != CTLC_D_STRUCT) {
            ctlc_error(c->d, at, "idempotency key path '%s' goes into field '%.*s' of type %s; only a struct has "
                       "fields", ctlc_check_quoted(c, s, v->slen), NAME(seg), tstr);
            return NULL;
        }
        in = &sd->fields;
        where = ctlc_printf(c->a, "struct '%.*s'", NAME(sd->name));
        off += len + 1;
    }
}

/* The last pass: every @idempotent function's key paths, once every field
 * of every spec has its type and wire name. */
void ctlc_check_resolve_idem_keys(ctlc_checker *c, ctlc_spec *spec)
{
    for (ctlc_decl *d = spec->decls; d; d = d->next)
        for (ctlc_func *f = d->kind == CTLC_D_CONTROLLER ? d->funcs : NULL; f; f = f->next) {
            ctlc_traits *tr = &f->traits;
            if (!tr->idempotent)
                continue;
            if (tr->records) {
                ctlc_error(c->d, tr->idempotent->loc,
                           "'@idempotent' does not apply to a @records function: the async core delivers a "
                           "record once per event's end");
                tr->idempotent = NULL;
                continue;
            }
            for (size_t i = 0; i < tr->idem_nkeys; i++) {
                tr->idem_pointers[i] = resolve_idem_key(c, f, tr->idem_keys[i]);
                for (size_t j = 0; tr->idem_pointers[i] && j < i; j++)
                    if (tr->idem_pointers[j] && strcmp(tr->idem_pointers[i], tr->idem_pointers[j]) == 0) {
                        ctlc_warning(c->d, tr->idem_keys[i]->loc, "idempotency key '%s' is named twice",
                                     ctlc_check_quoted(c, tr->idem_keys[i]->s, tr->idem_keys[i]->slen));
                        break;
                    }
            }
        }
}

/* Checks the annotations of one thing and records what they say. type is the
 * field's type (CTLC_ON_FIELD only). */
void ctlc_check_annots(ctlc_checker *c, const ctlc_annot *annots, ctlc_check_target_kind on, const ctlc_decl *decl,
                       const ctlc_type *type, ctlc_traits *tr)
{
    enum { DEPRECATED, IDEMPOTENT, JSON, LENGTH, MAX_EVENT_AGE, ON_FAILURE, ON_SUCCESS, RANGE, RECORDS, RETRIES,
           NKNOWN };
    _Static_assert((int)NKNOWN == (int)CTLC_NANNOTS, "one rule per annotation");
    const char *known[NKNOWN];
    for (int i = 0; i < NKNOWN; i++)
        known[i] = ctlc_annot_rules[i].name;
    const ctlc_annot *seen[NKNOWN] = { NULL };
    for (const ctlc_annot *an = annots; an; an = an->next) {
        int k = -1;
        for (int i = 0; i < NKNOWN; i++)
            if (ctlc_name_is(an->name, known[i]))
                k = i;
        if (k < 0) {
            const char *guess = ctlc_check_closest(c, an->name, known, NKNOWN, NULL, NULL);
            if (guess) {
                ctlc_error(c->d, an->loc, "unknown annotation '@%.*s'; did you mean '@%s'?", NAME(an->name), guess);
                ctlc_check_fix_name(c, an->name, guess);
            } else
                ctlc_error(c->d, an->loc,
                           "unknown annotation '@%.*s'; known: @deprecated, @idempotent, @json, @length, "
                           "@max_event_age, @on_failure, @on_success, @range, @records, @retries",
                           NAME(an->name));
            continue;
        }
        if (seen[k]) {
            ctlc_error(c->d, an->loc, "'@%s' given twice", known[k]);
            ctlc_note(c->d, seen[k]->loc, "first given here");
            continue;
        }
        seen[k] = an;
        bool applies;
        switch (k) {
        case DEPRECATED: applies = on != CTLC_ON_IMPORT; break;
        case JSON: applies = on == CTLC_ON_FIELD || on == CTLC_ON_MEMBER; break;
        case LENGTH: applies = on == CTLC_ON_FIELD && sized_type(type); break;
        case RANGE: applies = on == CTLC_ON_FIELD && numeric_type(type); break;
        case RECORDS:
        case IDEMPOTENT: applies = on == CTLC_ON_FUNCTION; break;
        default: applies = on == CTLC_ON_DECL && decl->kind == CTLC_D_CONTROLLER; break; /* Lambda's settings */
        }
        if (!applies) {
            if (on == CTLC_ON_FIELD && (k == LENGTH || k == RANGE))
                ctlc_error(c->d, an->loc, "'@%s' does not apply to a field of type %s", known[k],
                           ctlc_type_str(c->a, type));
            else
                ctlc_error(c->d, an->loc, "'@%s' does not apply to %s", known[k],
                           ctlc_check_target_str(on, decl));
            continue;
        }
        switch (k) {
        case DEPRECATED: {
            const char *why = NULL;
            size_t len = 0;
            if (single_string_arg(c, an, false, &why, &len)) {
                tr->deprecated = an;
                tr->deprecated_why = why;
            }
            break;
        }
        case JSON: {
            const char *name = NULL;
            size_t len = 0;
            if (!single_string_arg(c, an, true, &name, &len))
                break;
            if (len == 0) {
                ctlc_error(c->d, an->args->value.loc, "a wire name cannot be empty");
                break;
            }
            tr->json = name;
            tr->json_len = len;
            break;
        }
        case LENGTH:
            check_bounds(c, an, true, type, &tr->length);
            tr->has_length = tr->length.has_min || tr->length.has_max;
            break;
        case RANGE:
            check_bounds(c, an, false, type, &tr->range);
            tr->has_range = tr->range.has_min || tr->range.has_max;
            break;
        case ON_FAILURE:
            check_destination(c, an, false, &tr->on_failure);
            break;
        case ON_SUCCESS:
            check_destination(c, an, true, &tr->on_success);
            break;
        case IDEMPOTENT:
            check_idempotent(c, an, tr);
            break;
        case RECORDS:
            if (an->nargs || an->has_parens)
                ctlc_error(c->d, an->loc, "'@records' takes no arguments");
            else
                tr->records = an;
            break;
        case RETRIES:
            if ((tr->retries_n = lambda_setting(c, an, CTLI_RULE_RETRIES_MIN, CTLI_RULE_RETRIES_MAX,
                                                "MaximumRetryAttempts")) >= 0)
                tr->retries = an;
            break;
        default:
            if ((tr->max_event_age_s = lambda_setting(c, an, CTLI_RULE_EVENT_AGE_MIN_S, CTLI_RULE_EVENT_AGE_MAX_S,
                                                      "MaximumEventAgeInSeconds")) >= 0)
                tr->max_event_age = an;
            break;
        }
    }
}
