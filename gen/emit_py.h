/* emit_py.h: what the Python emitter's files share (private to the library).
 *
 * emit_py.c writes the module; emit_py_names.c derives every Python name
 * the module takes from the spec (one rule, one place); the runtime part
 * the modules import is gen/ctl_runtime.py.in, built into ctlc as
 * ctlc_py_runtime. */
#ifndef CTLC_EMIT_PY_H
#define CTLC_EMIT_PY_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

/* Where a name is used: a module-level name (class, function), a dataclass
 * field or method, or an enum member. Each has its own reserved words. */
typedef enum ctlc_py_scope {
    CTLC_PY_GLOBAL,
    CTLC_PY_FIELD,
    CTLC_PY_MEMBER
} ctlc_py_scope;

/* The Python identifier of the spec name z (n bytes) in scope: the name
 * itself, or with a trailing '_' when Python or the module reserves it
 * (a keyword, a builtin at module level, a name of the runtime part or a
 * name starting with _ctl, _CTL or CTL_T_, which the module's own take,
 * Enum's own attributes for members); an enum member starting with '_'
 * (Enum reserves _sunder_ and __private names) gets "m" before it. In the
 * arena. */
const char *ctlc_py_name(ctlc_arena *a, const char *z, size_t n, ctlc_py_scope scope);

/* The module name of a spec: its file's stem, with each character that
 * cannot be in an identifier made '_', '_' before a leading digit, and '_'
 * after a keyword. In the arena. */
const char *ctlc_py_module(ctlc_arena *a, const char *stem);

/* Whether module is a name the folder's modules need for another module:
 * ctl_runtime, or a standard module they import (json, typing, ...). */
bool ctlc_py_module_taken(const char *module);

/* gen/ctl_runtime.py.in, built in (NUL-terminated; cmake/CtlEmbed.cmake). */
extern const char ctlc_py_runtime[];

#endif
