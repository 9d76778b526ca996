/* emit.h: the emitters of ctlc, one per output. */
#ifndef CTLC_EMIT_H
#define CTLC_EMIT_H

#include <stddef.h>

#include "ctlc.h"

typedef struct ctlc_emit_c_options {
    const char *outdir;       /* where NAME.ctl.h and NAME.ctl.c go */
    const char **hosts;       /* controllers hosted: handlers declared, dispatch tables defined,
                                 stubs of their `uses`; NULL = see client */
    size_t nhosts;
    const char *depfile;      /* write make-style dependencies here, or NULL */
    const char *client;       /* a client: the stubs of what it `uses`, or NULL. With neither
                                 hosts nor client: every controller and every stub */
} ctlc_emit_c_options;

/* Writes the C header and source of one checked spec. Returns 0, or -1
 * after reporting an error (an unknown --host or --client name, say, with
 * a suggestion) or an I/O error. */
int ctlc_emit_c(ctlc_run *run, const ctlc_spec *spec, const ctlc_emit_c_options *opt);

/* Writes OUTDIR/NAME_handlers.c, a starter with one stub handler per
 * function of the hosted controllers and a main; never overwrites. */
int ctlc_emit_scaffold(ctlc_run *run, const ctlc_spec *spec, const ctlc_emit_c_options *opt);

/* Writes the C of the given specs (as protoc does, not of their imports:
 * list those too when their C is needed). */
int ctlc_emit_c_all(ctlc_run *run, ctlc_spec *const *roots, size_t nroots, const ctlc_emit_c_options *opt);

/* ---- shared by the emitters (emit_out.c) ---- */

/* Writes len bytes to path unless the file holds them already (so that
 * builds do not redo what did not change). Returns 0, or -1 after reporting
 * the error on the run's diagnostics stream. */
int ctlc_write_file(ctlc_run *run, const char *path, const char *data, size_t len);

/* Flushes stdout and checks that everything written to it arrived. Returns
 * 0, or -1 after saying why on stderr. Every command calls it last. */
int ctlc_finish_stdout(void);

/* The spec's file name without folder and ".ctl" ("leedz"), in the arena. */
const char *ctlc_spec_stem(ctlc_run *run, const ctlc_spec *spec);

/* The package name, else the stem: what titles a spec's documents. */
const char *ctlc_spec_title(ctlc_run *run, const ctlc_spec *spec);

/* ---- JSON Schema (emit_schema.c), reused by AsyncAPI ---- */

struct ctlc_json;

/* The named types (structs, enums) that some functions reach, and whether
 * any `json` value occurs; collect with ctlc_schema_collect(). */
typedef struct ctlc_schema_types {
    const ctlc_decl **decls;  /* in load order, then declaration order; arena */
    size_t n;
    bool json;
} ctlc_schema_types;

/* How the schema of a type refers to named types: refs is the prefix,
 * "#/$defs/" in a schema file, "#/components/schemas/" in AsyncAPI. */
typedef struct ctlc_schema_writer {
    struct ctlc_json *j;      /* borrowed */
    ctlc_arena *a;
    const char *refs;
} ctlc_schema_writer;

/* Adds to types what the functions of controller ctrl reach (call once per
 * controller, then once with ctrl NULL to put them in order). */
void ctlc_schema_collect(ctlc_run *run, const ctlc_decl *ctrl, ctlc_schema_types *types);

/* Writes one member per named type (its name: its schema), and "ctl.json"
 * when types->json, into the object being written. */
void ctlc_schema_defs(const ctlc_schema_writer *w, const ctlc_schema_types *types);

/* Writes the schema of function f's event (its payload fields beside the
 * "function" const) as one value. */
void ctlc_schema_event(const ctlc_schema_writer *w, const ctlc_func *f);

/* Writes the schema of a sync function's response body as one value. */
void ctlc_schema_result(const ctlc_schema_writer *w, const ctlc_func *f);

/* Writes the description text of doc and a deprecation (NULL when none) as
 * a "description" member, when there is any text. */
void ctlc_schema_description(const ctlc_schema_writer *w, const ctlc_doc *doc, const ctlc_traits *tr);

/* `ctlc schema`: OUTDIR/CONTROLLER.schema.json for each controller of spec.
 * Returns 0, or -1 after reporting an I/O error. */
int ctlc_emit_schema(ctlc_run *run, const ctlc_spec *spec, const char *outdir);

/* `ctlc asyncapi`: the AsyncAPI 3.0.0 document (JSON) of spec's
 * controllers, to path, or stdout when path is NULL. */
int ctlc_emit_asyncapi(ctlc_run *run, const ctlc_spec *spec, const char *path);

/* `ctlc doc`: OUTDIR/NAME.md (the reference, with a Mermaid call graph) and
 * OUTDIR/NAME.dot (the call graph for Graphviz). */
int ctlc_emit_doc(ctlc_run *run, const ctlc_spec *spec, const char *outdir);

typedef struct ctlc_iam_options {
    const char *region;       /* NULL: "${AWS::Region}" */
    const char *account;      /* NULL: "${AWS::AccountId}" */
    const char *partition;    /* NULL: "${AWS::Partition}" */
    const char *outdir;       /* NULL: one JSON object on stdout */
} ctlc_iam_options;

/* Checks the region, account and partition of opt (a '*' or ':' in an ARN
 * would widen the grant) and, when only the region is given, sets
 * opt->partition to the static string of the partition it implies. Returns
 * 0, or -1 after writing an error to err. */
int ctlc_iam_resolve(ctlc_iam_options *opt, FILE *err);

/* `ctlc iam`: a policy per client or controller of spec that uses others. */
int ctlc_emit_iam(ctlc_run *run, const ctlc_spec *spec, const ctlc_iam_options *opt);

#endif
