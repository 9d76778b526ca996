/* emit_schema.h: the JSON Schema writer of emit_schema.c, which the
 * AsyncAPI emitter reuses for its payloads (private to the library). */
#ifndef CTLC_EMIT_SCHEMA_H
#define CTLC_EMIT_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "ctlc.h"
#include "emit_json.h"

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
    ctlc_json *j;             /* borrowed */
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

/* Writes a controller's async settings that its spec states (@retries,
 * @max_event_age) as the extension members "x-ctl-retries" and
 * "x-ctl-max-event-age" (seconds), and its destinations as
 * "x-ctl-on-failure" / "x-ctl-on-success": {"KIND": "NAME"}, KIND one of
 * controller, sqs, sns, eventbridge, s3: the schema's root, AsyncAPI's
 * channel. */
void ctlc_schema_settings(const ctlc_schema_writer *w, const ctlc_traits *tr);

#endif
