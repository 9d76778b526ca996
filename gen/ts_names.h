/* ts_names.h: every TypeScript name that `ctlc ts` (emit_ts.c) declares,
 * spelled in one place.
 *
 * Exported names come from the spec's names: a struct or enum keeps its
 * name (a trailing '_' when it is a word TypeScript reserves or a global
 * the module uses, ctlc_ts_reserved); a function's payload and result are
 * PascalCase(controller) + PascalCase(function) + "Args" / "Result"
 * (async_email_helper, notifyUsers: AsyncEmailHelperNotifyUsersArgs;
 * a PascalCase that an earlier controller of the spec, or function of the
 * controller, has already is numbered: a_b, aB, a__b are AB, AB2, AB3);
 * a controller's caller is PascalCase(controller) + "Client", with methods
 * send + PascalCase(function) and call + PascalCase(function). Names of the
 * module's own helpers hold a '$', which no spec name can, so they never
 * meet a spec's. Two exported names that come out equal are an error of
 * `ctlc ts` (emit_ts.c checks). */
#ifndef CTLC_TS_NAMES_H
#define CTLC_TS_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "ast.h"

typedef enum ctlc_ts_role {
    CTLC_TS_ARGS,       /* the payload's interface */
    CTLC_TS_RESULT,     /* the inline result's interface */
    CTLC_TS_SEND,       /* the Event stub (a method) */
    CTLC_TS_CALL,       /* the RequestResponse stub (a method) */
    CTLC_TS_READ,       /* the payload's reader ($: internal) */
    CTLC_TS_WRITE,      /* the event's writer (internal) */
    CTLC_TS_READ_RESULT,  /* the result's reader (internal) */
    CTLC_TS_WRITE_RESULT, /* the answer's text (exported: encode...Result) */
    CTLC_TS_WRITE_RESULT_VALUE /* the inline result's writer (internal) */
} ctlc_ts_role;

/* True when the n bytes at z cannot name an exported type or value of a
 * module: a reserved word or type keyword of TypeScript, or a global the
 * generated module refers to. */
bool ctlc_ts_reserved(const char *z, size_t n);

/* The name of a struct or enum. */
const char *ctlc_ts_type(ctlc_arena *a, const ctlc_decl *d);

/* A property name of a field: its spec name ("__proto__" gets a '_'). */
const char *ctlc_ts_field(ctlc_arena *a, const ctlc_field *f);

/* PascalCase of a name: each '_' dropped and the letter after it (and the
 * first) upper-cased: async_email_helper -> AsyncEmailHelper. */
const char *ctlc_ts_pascal(ctlc_arena *a, const char *z, size_t n);

/* A name of function f of controller ctrl. */
const char *ctlc_ts_func(ctlc_arena *a, const ctlc_decl *ctrl, const ctlc_func *f, ctlc_ts_role role);

/* A controller's caller class, PascalCase + "Client"; its event type
 * (+ "Event") and event reader (read + PascalCase + "Event"). */
const char *ctlc_ts_client(ctlc_arena *a, const ctlc_decl *ctrl);
const char *ctlc_ts_event_type(ctlc_arena *a, const ctlc_decl *ctrl);
const char *ctlc_ts_event_reader(ctlc_arena *a, const ctlc_decl *ctrl);
/* The controller side: the interface of its handlers (PascalCase +
 * "Handlers"), its dispatch ("dispatch" + PascalCase) and Lambda's handler
 * over it ("handler" + PascalCase). */
const char *ctlc_ts_handlers(ctlc_arena *a, const ctlc_decl *ctrl);
const char *ctlc_ts_dispatch(ctlc_arena *a, const ctlc_decl *ctrl);
const char *ctlc_ts_handler(ctlc_arena *a, const ctlc_decl *ctrl);
/* The set of a controller's function names (internal). */
const char *ctlc_ts_functions(ctlc_arena *a, const ctlc_decl *ctrl);

/* A struct's exported reader from bytes and writer to text: decodeS,
 * encodeS; and its internal reader and writer of a value: read$S, write$S.
 * An enum's set of wire names: members$E. */
const char *ctlc_ts_decode(ctlc_arena *a, const ctlc_decl *d);
const char *ctlc_ts_encode(ctlc_arena *a, const ctlc_decl *d);
const char *ctlc_ts_reader(ctlc_arena *a, const ctlc_decl *d);
const char *ctlc_ts_writer(ctlc_arena *a, const ctlc_decl *d);
const char *ctlc_ts_members(ctlc_arena *a, const ctlc_decl *d);

/* The module of a spec: its file name without ".ctl" ("leedz" for
 * leedz.ctl), which DIR/NAME.ts is written as and imported by. */
const char *ctlc_ts_module(ctlc_arena *a, const ctlc_spec *spec);

#endif
