/* ast.h: the syntax tree of a .ctl spec.
 *
 * The parser builds it, the checker resolves names in place and records what
 * it finds (wire names, constraints, resolved types), and the emitters read
 * it. Every node lives in the run's arena (arena.h). Names are slices of the
 * source text, never copies; decoded string literals are arena strings. */
#ifndef CTLC_AST_H
#define CTLC_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/rules.h"
#include "diag.h"

/* A token as the lexer hands it to the parser: a borrowed slice of the
 * source, where it starts, and the doc comment block just before it. */
typedef struct ctlc_doc ctlc_doc;
typedef struct ctlc_token {
    const char *z;
    uint32_t n;
    uint32_t line, col;
    ctlc_doc *doc;      /* `///` lines right before this token, or NULL */
    bool bad;           /* the lexer already reported this token */
} ctlc_token;

/* Consecutive `///` lines; text has the slashes and one space stripped from
 * each line, lines joined with '\n'. used is set when a declaration, field or
 * member takes it; the parser warns about the others. */
struct ctlc_doc {
    ctlc_loc loc;
    char *text;
    size_t len;
    bool used;
    ctlc_doc *next;     /* every doc block of a source, in order */
};

typedef struct ctlc_name {
    const char *z;
    uint32_t n;
    ctlc_loc loc;
} ctlc_name;

/* A name as printf's "%.*s" takes it: printf("'%.*s'", NAME(d->name)). */
#define NAME(nm) (int)(nm).n, (nm).z

typedef enum ctlc_lit_kind {
    CTLC_LIT_INT,
    CTLC_LIT_FLOAT,
    CTLC_LIT_STRING,
    CTLC_LIT_BOOL,
    CTLC_LIT_IDENT      /* an enum member (a keyword member name too) */
} ctlc_lit_kind;

typedef struct ctlc_literal {
    ctlc_lit_kind kind;
    ctlc_loc loc;
    const char *z;      /* the literal as written */
    uint32_t n;
    bool bad;           /* malformed; already reported */
    int64_t i;          /* CTLC_LIT_INT */
    double f;           /* CTLC_LIT_FLOAT, and CTLC_LIT_INT as a double */
    bool b;             /* CTLC_LIT_BOOL */
    char *s;            /* CTLC_LIT_STRING: decoded UTF-8, NUL-terminated */
    size_t slen;        /* its length in bytes (it holds no U+0000) */
} ctlc_literal;

typedef struct ctlc_arg {
    ctlc_name name;     /* name.n == 0 for a positional argument */
    ctlc_literal value;
    struct ctlc_arg *next;
} ctlc_arg;

typedef struct ctlc_annot {
    ctlc_name name;
    ctlc_loc loc;       /* of the '@' */
    bool has_parens;
    ctlc_arg *args;
    size_t nargs;
    struct ctlc_annot *next;
} ctlc_annot;

/* What the annotations of one thing say, filled in by the checker. */
typedef struct ctlc_bounds {
    bool has_min, has_max;
    ctlc_literal min, max; /* for @length both are CTLC_LIT_INT */
} ctlc_bounds;

/* Where a controller's async invocation records go (Lambda's DestinationConfig
 * OnSuccess / OnFailure): another controller of the specs, or an external
 * target named for deploy time. */
typedef enum ctlc_dest_kind {
    CTLC_DEST_NONE,
    CTLC_DEST_CONTROLLER,   /* @on_failure(other): a controller's @records function */
    CTLC_DEST_SQS,          /* @on_failure(sqs: "queue") */
    CTLC_DEST_SNS,          /* @on_failure(sns: "topic") */
    CTLC_DEST_EVENTBRIDGE,  /* @on_failure(eventbridge: "bus") */
    CTLC_DEST_S3            /* @on_failure(s3: "bucket"): on failure only, as Lambda */
} ctlc_dest_kind;

typedef struct ctlc_decl ctlc_decl;
typedef struct ctlc_dest {
    const ctlc_annot *annot;    /* @on_failure / @on_success, or NULL: none */
    ctlc_dest_kind kind;
    const char *name;           /* the controller's or the target's name (arena or source text) */
    size_t len;
    ctlc_loc loc;               /* of the name */
    const ctlc_decl *decl;      /* CTLC_DEST_CONTROLLER: the controller, once resolved */
} ctlc_dest;

typedef struct ctlc_traits {
    const ctlc_annot *deprecated;  /* NULL when not deprecated */
    const char *deprecated_why;    /* its message, or NULL */
    const char *json;              /* @json wire name, or NULL */
    size_t json_len;
    bool has_length, has_range;
    ctlc_bounds length, range;
    /* A controller's async settings (Lambda's EventInvokeConfig): */
    const ctlc_annot *retries;       /* @retries(N), or NULL: Lambda's CTLC_LAMBDA_RETRIES */
    const ctlc_annot *max_event_age; /* @max_event_age(S), or NULL: CTLC_LAMBDA_MAX_EVENT_AGE */
    int retries_n;                   /* N, 0..2, when retries is set */
    int max_event_age_s;             /* S, 60..21600, when max_event_age is set */
    /* A controller's destinations, and the function that receives records: */
    ctlc_dest on_failure, on_success;
    const ctlc_annot *records;       /* a function's @records, or NULL */
    /* A function's @idempotent(key: "a.b", ..., expires: S): */
    const ctlc_annot *idempotent;    /* or NULL: not idempotent */
    size_t idem_nkeys;               /* 0: the key is the whole payload */
    const ctlc_literal **idem_keys;  /* each key: as written, "leed.id" (arena array) */
    const char **idem_pointers;      /* each key's JSON Pointer of wire names, "/leed/id" (arena;
                                        set once the key resolves, by the checker's last pass) */
    int idem_expires_s;              /* S, 1..CTLC_IDEM_EXPIRES_MAX; CTLC_IDEM_EXPIRES by default */
} ctlc_traits;

/* How long a completed idempotency key is remembered by default (seconds):
 * Powertools' default (expires_after_seconds, one hour); at most a year. */
#define CTLC_IDEM_EXPIRES 3600
#define CTLC_IDEM_EXPIRES_MAX 31536000

/* Lambda's defaults for a controller without @retries / @max_event_age
 * (MaximumRetryAttempts, MaximumEventAgeInSeconds). */
#define CTLC_LAMBDA_RETRIES CTLI_RULE_RETRIES_MAX
#define CTLC_LAMBDA_MAX_EVENT_AGE CTLI_RULE_EVENT_AGE_MAX_S


typedef enum ctlc_type_kind {
    CTLC_T_STRING,
    CTLC_T_INT,
    CTLC_T_FLOAT,
    CTLC_T_BOOL,
    CTLC_T_JSON,
    CTLC_T_LIST,
    CTLC_T_MAP,
    CTLC_T_NAMED        /* an enum or a struct, by name */
} ctlc_type_kind;

typedef struct ctlc_type {
    ctlc_type_kind kind;
    ctlc_loc loc;
    struct ctlc_type *elem;  /* list and map */
    ctlc_name name;          /* CTLC_T_NAMED */
    ctlc_decl *decl;         /* CTLC_T_NAMED, once resolved */
} ctlc_type;

typedef struct ctlc_field {
    ctlc_doc *doc;
    ctlc_annot *annots;
    ctlc_name name;
    bool optional;
    ctlc_type *type;
    ctlc_literal *dflt;      /* NULL when there is no default */
    ctlc_traits traits;
    const char *wire;        /* the name on the wire (json or name) */
    size_t wire_len;
    struct ctlc_field *next;
} ctlc_field;

/* The `{ ... }` of a struct, a payload or an inline result. */
typedef struct ctlc_fields {
    ctlc_loc loc;            /* of the '{' */
    ctlc_field *first;
    size_t count;
} ctlc_fields;

typedef struct ctlc_member {
    ctlc_doc *doc;
    ctlc_annot *annots;
    ctlc_name name;
    ctlc_traits traits;
    const char *wire;
    size_t wire_len;
    struct ctlc_member *next;
} ctlc_member;

/* One entry of a `uses` list: a controller, or one function of it. */
typedef struct ctlc_func ctlc_func;
typedef struct ctlc_target {
    ctlc_name controller;
    ctlc_name function;      /* n == 0 for the whole controller */
    ctlc_decl *decl;         /* resolved controller */
    ctlc_func *func;         /* resolved function, when named */
    struct ctlc_target *next;
} ctlc_target;

struct ctlc_func {
    ctlc_doc *doc;
    ctlc_annot *annots;
    ctlc_traits traits;
    bool is_async;
    ctlc_loc loc;            /* of `async` or `fn` */
    ctlc_name name;
    ctlc_fields params;
    ctlc_loc arrow;          /* of `->`; line 0 when there is no result */
    bool has_result_fields;  /* `-> { ... }` */
    ctlc_fields result;
    ctlc_name result_name;   /* `-> Name`; n == 0 otherwise */
    ctlc_decl *result_decl;  /* resolved struct */
    ctlc_func *next;
};

typedef enum ctlc_decl_kind {
    CTLC_D_PACKAGE,
    CTLC_D_IMPORT,
    CTLC_D_ENUM,
    CTLC_D_STRUCT,
    CTLC_D_CLIENT,
    CTLC_D_CONTROLLER
} ctlc_decl_kind;

typedef struct ctlc_spec ctlc_spec;
struct ctlc_decl {
    ctlc_decl_kind kind;
    ctlc_doc *doc;
    ctlc_annot *annots;
    ctlc_traits traits;
    ctlc_loc loc;            /* of the keyword */
    ctlc_name name;          /* package, enum, struct, client, controller */
    ctlc_spec *spec;         /* the spec it is declared in */

    /* import */
    ctlc_literal path;
    ctlc_spec *imported;     /* resolved, NULL when it failed */

    /* enum */
    ctlc_loc lbrace;
    ctlc_member *members;
    size_t nmembers;

    /* struct */
    ctlc_fields fields;

    /* client, controller */
    ctlc_target *uses;
    ctlc_func *funcs;
    size_t nfuncs;

    int mark;                /* checker scratch (cycle search) */
    ctlc_decl *next;
};

struct ctlc_spec {
    ctlc_source *src;
    ctlc_doc *doc;           /* the package declaration's doc, if any */
    ctlc_decl *package;      /* NULL when none */
    ctlc_decl *decls;        /* every item in source order */
    ctlc_doc *docs;          /* every doc block, in order */
    bool syntax_errors;      /* parsing reported errors */
    bool import_failed;      /* an import could not be loaded */
    int visit;               /* import cycle search */
    char *canon;             /* canonical path, for identity */
    ctlc_spec *next;         /* every spec of a run, in load order */
};

/* The keyword of a scalar type ("string", "int", ...), or NULL for a list,
 * map or named type. Static. */
const char *ctlc_type_keyword(ctlc_type_kind kind);

/* The spec's spelling of a type, e.g. "list<map<Leed>>", in the arena. */
struct ctlc_arena;
const char *ctlc_type_str(struct ctlc_arena *a, const ctlc_type *t);

/* True if the n bytes at z spell a keyword of the language. */
bool ctlc_is_keyword(const char *z, size_t n);

/* True if the name spells s exactly. */
bool ctlc_name_is(ctlc_name name, const char *s);

/* What a declaration kind is called in messages: "enum", "struct", ... */
const char *ctlc_decl_kind_str(ctlc_decl_kind k);

/* A controller's retries and max event age (seconds): what its @retries
 * and @max_event_age say, or Lambda's defaults. */
int ctlc_retries(const ctlc_traits *tr);
int ctlc_max_event_age(const ctlc_traits *tr);

/* A destination kind's word in the language ("sqs", ...; "controller" for
 * a controller), and the ctl_destination_kind constant of the generated
 * C ("CTL_DEST_SQS", ...). Static. */
const char *ctlc_dest_kind_word(ctlc_dest_kind k);
const char *ctlc_dest_kind_c(ctlc_dest_kind k);

/* The controller's @records function, or NULL. */
const ctlc_func *ctlc_records_function(const ctlc_decl *ctrl);

/* The spec's file name without folder and ".ctl" ("leedz"), in the arena. */
const char *ctlc_spec_stem(struct ctlc_arena *a, const ctlc_spec *spec);

/* The specs a spec's output covers: ctlc_spec_reach adds spec and every
 * spec it imports, at any depth, to set (keyed by canonical path);
 * ctlc_spec_reached says whether spec is in it. */
struct ctlc_strmap;
void ctlc_spec_reach(struct ctlc_strmap *set, const ctlc_spec *spec);
bool ctlc_spec_reached(const struct ctlc_strmap *set, const ctlc_spec *spec);

/* The package name, else the stem: what titles a spec's documents. */
const char *ctlc_spec_title(struct ctlc_arena *a, const ctlc_spec *spec);

#endif
