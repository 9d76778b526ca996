/* emit_py_names.c: the Python names of a spec's declarations (emit_py.h).
 *
 * The reserved words are Python 3's keywords, the builtins (at module
 * level, where a class named `str` would hide the type every annotation
 * uses), the modules a module imports and the runtime's names it re-exports
 * (names starting with _ctl, _CTL or CTL_T_ are the module's own), and, for
 * enum members, what enum.Enum defines on its members. */
#include <stdbool.h>
#include <string.h>

#include "emit_py.h"

static const char *const keywords[] = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
    "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
    "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", NULL
};

/* Module level: the builtins, the modules the module imports, the
 * runtime's public names. */
static const char *const globals[] = {
    "ArithmeticError", "AssertionError", "AttributeError", "BaseException", "BlockingIOError",
    "BrokenPipeError", "BufferError", "BytesWarning", "ChildProcessError", "ConnectionAbortedError",
    "ConnectionError", "ConnectionRefusedError", "ConnectionResetError", "DeprecationWarning", "EOFError",
    "Ellipsis", "EncodingWarning", "EnvironmentError", "Exception", "FileExistsError", "FileNotFoundError",
    "FloatingPointError", "FutureWarning", "GeneratorExit", "IOError", "ImportError", "ImportWarning",
    "IndentationError", "IndexError", "InterruptedError", "IsADirectoryError", "KeyError",
    "KeyboardInterrupt", "LookupError", "MemoryError", "ModuleNotFoundError", "NameError",
    "NotADirectoryError", "NotImplemented", "NotImplementedError", "OSError", "OverflowError",
    "PendingDeprecationWarning", "PermissionError", "ProcessLookupError", "RecursionError",
    "ReferenceError", "ResourceWarning", "RuntimeError", "RuntimeWarning", "StopAsyncIteration",
    "StopIteration", "SyntaxError", "SyntaxWarning", "SystemError", "SystemExit", "TabError",
    "TimeoutError", "TypeError", "UnboundLocalError", "UnicodeDecodeError", "UnicodeEncodeError",
    "UnicodeError", "UnicodeTranslateError", "UnicodeWarning", "UserWarning", "ValueError", "Warning",
    "ZeroDivisionError", "abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool", "breakpoint",
    "bytearray", "bytes", "callable", "chr", "classmethod", "compile", "complex", "copyright", "credits",
    "delattr", "dict", "dir", "divmod", "enumerate", "eval", "exec", "exit", "filter", "float", "format",
    "frozenset", "getattr", "globals", "hasattr", "hash", "help", "hex", "id", "input", "int",
    "isinstance", "issubclass", "iter", "len", "license", "list", "locals", "map", "max", "memoryview",
    "min", "next", "object", "oct", "open", "ord", "pow", "print", "property", "quit", "range", "repr",
    "reversed", "round", "set", "setattr", "slice", "sorted", "staticmethod", "str", "sum", "super",
    "tuple", "type", "vars", "zip",
    /* the modules imported */
    "annotations", "dataclasses", "enum", "typing",
    /* the runtime part's public names */
    "CtlContext", "CtlError", "CtlFailed", "CtlFunctionError", "CtlInvalidArguments", "CtlRecord",
    "CtlResponse", "CtlTransportError", NULL
};

/* Module names a spec's module cannot take: the runtime's, and the standard
 * modules the modules and the runtime import (a file of that name in the
 * folder would be imported in their place). */
static const char *const taken_modules[] = {
    "ctl_runtime", "dataclasses", "enum", "hashlib", "importlib", "json", "math", "os", "re", "typing", NULL
};

/* Fields: the types their annotations name. */
static const char *const fields[] = { "bool", "float", "int", "str", "typing", NULL };

/* Enum members: what enum.Enum gives each member. */
static const char *const members[] = { "name", "value", "mro", NULL };

static bool in(const char *const *list, const char *z, size_t n)
{
    for (; *list; list++)
        if (strlen(*list) == n && memcmp(*list, z, n) == 0)
            return true;
    return false;
}

const char *ctlc_py_name(ctlc_arena *a, const char *z, size_t n, ctlc_py_scope scope)
{
    if (scope == CTLC_PY_MEMBER && n > 0 && z[0] == '_')
        return ctlc_printf(a, "m%.*s", (int)n, z);
    bool reserved = in(keywords, z, n);
    if (scope == CTLC_PY_GLOBAL)
        reserved = reserved || in(globals, z, n) ||
                   (n >= 4 && (memcmp(z, "_ctl", 4) == 0 || memcmp(z, "_CTL", 4) == 0)) ||
                   (n >= 6 && memcmp(z, "CTL_T_", 6) == 0);
    else if (scope == CTLC_PY_FIELD)
        reserved = reserved || in(fields, z, n);
    else
        reserved = reserved || in(members, z, n);
    return reserved ? ctlc_printf(a, "%.*s_", (int)n, z) : ctlc_strndup(a, z, n);
}

const char *ctlc_py_module(ctlc_arena *a, const char *stem)
{
    size_t n = strlen(stem);
    char *s = ctlc_printf(a, "_%s", stem); /* room for a leading '_' */
    char *p = s + 1;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
            p[i] = '_';
    }
    if (n == 0 || (p[0] >= '0' && p[0] <= '9'))
        p = s;
    if (in(keywords, p, strlen(p)))
        return ctlc_printf(a, "%s_", p);
    return p;
}

bool ctlc_py_module_taken(const char *module)
{
    return in(taken_modules, module, strlen(module));
}
