/* ast.c: small helpers over the syntax tree; see ast.h. */
#include "ast.h"

#include <string.h>

#include "arena.h"
#include "strset.h"

static const char *const keywords[] = {
    "package", "import", "enum", "struct", "controller", "client", "uses", "fn", "async",
    "true", "false", "string", "int", "float", "bool", "json", "list", "map",
};

bool ctlc_is_keyword(const char *z, size_t n)
{
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        if (n && keywords[i][0] == z[0] && strlen(keywords[i]) == n && memcmp(keywords[i], z, n) == 0)
            return true;
    return false;
}

bool ctlc_name_is(ctlc_name name, const char *s)
{
    return strlen(s) == name.n && memcmp(name.z, s, name.n) == 0;
}

const char *ctlc_decl_kind_str(ctlc_decl_kind k)
{
    switch (k) {
    case CTLC_D_PACKAGE: return "package";
    case CTLC_D_IMPORT: return "import";
    case CTLC_D_ENUM: return "enum";
    case CTLC_D_STRUCT: return "struct";
    case CTLC_D_CLIENT: return "client";
    case CTLC_D_CONTROLLER: return "controller";
    }
    return "declaration";
}

const char *ctlc_type_keyword(ctlc_type_kind kind)
{
    switch (kind) {
    case CTLC_T_STRING: return "string";
    case CTLC_T_INT: return "int";
    case CTLC_T_FLOAT: return "float";
    case CTLC_T_BOOL: return "bool";
    case CTLC_T_JSON: return "json";
    default: return NULL;
    }
}

const char *ctlc_type_str(ctlc_arena *a, const ctlc_type *t)
{
    switch (t->kind) {
    case CTLC_T_LIST: return ctlc_printf(a, "list<%s>", ctlc_type_str(a, t->elem));
    case CTLC_T_MAP: return ctlc_printf(a, "map<%s>", ctlc_type_str(a, t->elem));
    case CTLC_T_NAMED: return ctlc_printf(a, "%.*s", (int)t->name.n, t->name.z);
    default: return ctlc_type_keyword(t->kind);
    }
}

const char *ctlc_spec_stem(ctlc_arena *a, const ctlc_spec *spec)
{
    const char *path = spec->src->path;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t n = strlen(base);
    if (n > 4 && strcmp(base + n - 4, ".ctl") == 0)
        n -= 4;
    return ctlc_strndup(a, base, n);
}

const char *ctlc_spec_title(ctlc_arena *a, const ctlc_spec *spec)
{
    if (spec->package)
        return ctlc_strndup(a, spec->package->name.z, spec->package->name.n);
    return ctlc_spec_stem(a, spec);
}

int ctlc_retries(const ctlc_traits *tr)
{
    return tr->retries ? tr->retries_n : CTLC_LAMBDA_RETRIES;
}

int ctlc_max_event_age(const ctlc_traits *tr)
{
    return tr->max_event_age ? tr->max_event_age_s : CTLC_LAMBDA_MAX_EVENT_AGE;
}

const char *ctlc_dest_kind_word(ctlc_dest_kind k)
{
    switch (k) {
    case CTLC_DEST_CONTROLLER: return "controller";
    case CTLC_DEST_SQS: return "sqs";
    case CTLC_DEST_SNS: return "sns";
    case CTLC_DEST_EVENTBRIDGE: return "eventbridge";
    case CTLC_DEST_S3: return "s3";
    default: return "none";
    }
}

const char *ctlc_dest_kind_c(ctlc_dest_kind k)
{
    switch (k) {
    case CTLC_DEST_CONTROLLER: return "CTL_DEST_CONTROLLER";
    case CTLC_DEST_SQS: return "CTL_DEST_SQS";
    case CTLC_DEST_SNS: return "CTL_DEST_SNS";
    case CTLC_DEST_EVENTBRIDGE: return "CTL_DEST_EVENTBRIDGE";
    case CTLC_DEST_S3: return "CTL_DEST_S3";
    default: return "0";
    }
}

const ctlc_func *ctlc_records_function(const ctlc_decl *ctrl)
{
    for (const ctlc_func *f = ctrl->funcs; f; f = f->next)
        if (f->traits.records)
            return f;
    return NULL;
}

static const char *spec_key(const ctlc_spec *spec)
{
    return spec->canon ? spec->canon : spec->src->path;
}

void ctlc_spec_reach(ctlc_strset *set, const ctlc_spec *spec)
{
    if (!ctlc_strset_add(set, spec_key(spec)))
        return;
    for (const ctlc_decl *d = spec->decls; d; d = d->next)
        if (d->kind == CTLC_D_IMPORT && d->imported)
            ctlc_spec_reach(set, d->imported);
}

bool ctlc_spec_reached(const ctlc_strset *set, const ctlc_spec *spec)
{
    return ctlc_strset_has(set, spec_key(spec));
}
