#!/usr/bin/env python3
"""gen_spec.py: random .ctl specs for the property test of issue 10.

A spec is built as a small model (Spec, Decl, Field, ...) from one seed, so
the same seed gives the same spec on every machine (random.Random, no
hash-order dependence). The model renders to .ctl text, to a "clean" variant
with every free text taken out (docs, deprecation reasons, string defaults,
the file name; see Spec.clean), and to events, valid and invalid, for the
controllers it declares. The runner (run.py) also uses the model to know what
the documents must show: headings, tables and rows, graph nodes and edges.

The generator is biased towards names that meet in C (see NamePicker):
keywords of C and C++, reserved identifiers, names that generated code builds
from other declarations (`X_to_json`, `list_X`, `has_X`, ...), the C library's
and libctl's names, names differing only in case, very long names; and it puts
hostile text (HOSTILE_*) in every place a spec holds free text.

Standard library only. `python3 gen_spec.py SEED` prints the spec of SEED.
"""
import json
import random
import sys

# ---- names ------------------------------------------------------------------------

C_KEYWORDS = """auto break case char const continue default do double else enum extern
float for goto if inline int long register restrict return short signed sizeof static
struct switch typedef union unsigned void volatile while alignas alignof bool constexpr
false nullptr static_assert thread_local true typeof asm""".split()

CPP_KEYWORDS = """and and_eq bitand bitor catch char8_t char16_t char32_t class compl
concept consteval constinit const_cast co_await co_return co_yield decltype delete
dynamic_cast explicit export friend mutable namespace new noexcept not not_eq operator
or or_eq private protected public reinterpret_cast requires static_cast template this
throw try typeid typename using virtual wchar_t xor xor_eq""".split()

# ctl's own keywords: fine as fields, members and functions, errors as
# declaration names (the checker says so).
CTL_KEYWORDS = """package import enum struct controller client uses fn async true false
string int float bool json list map""".split()

RESERVED_IDS = ["_X", "__x", "_Bool", "_Static_assert", "__func__", "_Generic", "__STDC__",
                "_A1", "__attribute__", "_Noreturn", "_Alignas", "__cplusplus", "_Complex"]

LIBC_NAMES = """errno stdin stdout stderr main free malloc calloc realloc size_t ssize_t EOF
INT64_MAX INT64_MIN SIZE_MAX INT_MAX NULL assert offsetof printf exit abort time index
signal read write open close unix linux i386 FILE va_list int64_t uint8_t strlen memcpy
environ optarg bool true false errno_t fpos_t jmp_buf setjmp sig_atomic_t clock_t div_t
EXIT_SUCCESS EXIT_FAILURE RAND_MAX BUFSIZ NAN INFINITY HUGE_VAL isnan isinf
PRId64 SCNd64 CHAR_BIT tm timespec stat pthread_t O_RDONLY SEEK_SET L_tmpnam
strerror qsort bsearch abs labs div remove rename tmpfile exp log sin cos pow
fd_set select pipe fork dup environ getenv wait sleep alarm kill raise""".split()

CJSON_NAMES = ["cJSON", "cJSON_Parse", "cJSON_IsTrue", "cJSON_bool", "CJSON_PUBLIC",
               "cJSON_Hooks", "cJSON_Delete", "CJSON_NESTING_LIMIT", "cJSON_Array"]

LIBCTL_NAMES = ["ctl", "CTL", "ctl_ctx", "ctl_main", "ctl_fail", "ctl_buf", "ctl_json",
                "ctl_path", "ctl_client", "ctl_reply", "ctl_status", "CTL_OK", "CTL_UNUSED",
                "CTL_DEPRECATED", "ctl_controller", "CTL_ERR_NOMEM", "ctl_arena"]

# Parameters and locals of generated functions (names.c, generated_locals).
GENERATED_LOCALS = ["args", "b", "body", "client", "ctx", "event", "i", "item", "k", "key",
                    "len", "m", "n", "name", "out", "p", "path", "rc", "reply", "result",
                    "s", "seen", "v", "value", "wire"]

# What generated code appends to the name of a declaration, in the new
# scheme (names.h) and the old one (the emitter before issue 10).
SUFFIXES = ["to_string", "from_string", "from_json", "to_json", "from_bytes", "invoke",
            "args", "result", "send", "call", "controller", "entry",
            "name", "parse", "read", "write", "lookup", "read_field"]

ORDINARY = ["Leed", "Trade", "Order", "item", "user", "Color", "Box", "node", "tag", "x",
            "Report", "photo", "quality", "width", "a", "b1", "Job", "state", "mode", "k2"]

PACKAGES = [None, None, None, "p", "p", "leedz", "ctl", "CTL", "INT64", "INT", "SIZE",
            "EXIT", "SIG", "O", "LC", "cJSON", "std", "main", "errno", "x", "_p", "__pkg",
            "list", "map_int", "FP", "CLOCK", "UINT8", "PRI", "E", "class", "q"]

# ---- hostile text -------------------------------------------------------------------

# Pieces that break out of a C comment or string, a Markdown block or inline
# construct, a DOT or Mermaid string, or an HTML comment; or are just unusual.
HOSTILE_PIECES = [
    "*/", "/*", "??/", "??=", "??'", "\\", "\"", "'", "<script>alert(1)</script>", "```",
    "~~~", "|", "||", "[x](y)", "[x](javascript:alert(1))", "![i](y.png)", "-->", "<!--",
    "]", "[", "`", "``", "`code`", "*emph*", "_u_", "&amp;", "&lt;b&gt;", "<b>", "<br>",
    "<a href=\"x\">", "#", "%s%n", "${x}", "\\n", "\\\\", "é", "日本語", "😀", "\u2028",
    "\u202e", "\u00a0", "\t", "\\u0041", "{", "}", "-.->", "n0 --> n1", ";", "\"]", "\")",
    "<http://x>", "www.example.com", "  ", "\\\"", "a\\", "#quot;", "&#35;", ":", "=",
]

# Doc lines that open Markdown blocks, or do something to C comments.
HOSTILE_DOC_LINES = [
    "# heading", "## second", "> quote", "- item", "+ item", "* item", "1. first", "2) second",
    "---", "===", "***", "___", "    indented code", "\tindented by tab", "| a | b |",
    "|---|---|", "```", "```json", "~~~", "<div>", "</div>", "<script>", "[ref]: http://x",
    "ends with a backslash \\", "ends with a trigraph ??/", "*/ int injected; /*",
    "/* nested", "-->", ":---|:---:", "a | b", "--- | ---", "<!-- comment", "```mermaid",
    "\\", "    ", "#not a heading", "#", "=", "-", "1.", "text `unclosed code",
    "`a|b` in code", "**bold** and *emph* and `code`", "flowchart LR", "n9[\"injected\"]",
]


def code_points(s):
    return len(s)


def spec_string(s):
    """s as a .ctl string literal: JSON escapes, non-ASCII mostly raw."""
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif o < 0x20 or o == 0x7f:
            out.append("\\u%04x" % o)
        elif o in (0x2028, 0x202e):
            out.append("\\u%04x" % o)  # an escape some of the time is enough
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


# ---- the model ------------------------------------------------------------------------

class Type:
    """kind: string int float bool json list map named; elem for list/map;
    decl for named."""

    def __init__(self, kind, elem=None, decl=None):
        self.kind, self.elem, self.decl = kind, elem, decl

    def text(self):
        if self.kind in ("list", "map"):
            return "%s<%s>" % (self.kind, self.elem.text())
        if self.kind == "named":
            return self.decl.name
        return self.kind

    def innermost(self):
        t = self
        while t.kind in ("list", "map"):
            t = t.elem
        return t


class Field:
    def __init__(self, name, type_):
        self.name, self.type = name, type_
        self.optional = False
        self.default = None      # ("string", s) ("int", i) ("float", text) ("bool", b) ("member", Member)
        self.length = None       # (min|None, max|None)
        self.range = None        # (min|None, max|None) numbers; text kept in range_text
        self.range_text = None
        self.json = None         # wire name
        self.deprecated = None   # None, True (bare) or a reason string
        self.doc = None          # list of lines

    @property
    def wire(self):
        return self.json if self.json is not None else self.name


class Member:
    def __init__(self, name):
        self.name = name
        self.json = None
        self.deprecated = None
        self.doc = None

    @property
    def wire(self):
        return self.json if self.json is not None else self.name


class Func:
    def __init__(self, name, is_async):
        self.name, self.is_async = name, is_async
        self.params = []
        self.result = None       # None, a list of fields, or a struct Decl
        self.deprecated = None
        self.doc = None


class Decl:
    """kind: enum struct client controller."""

    def __init__(self, kind, name):
        self.kind, self.name = kind, name
        self.members = []        # enum
        self.fields = []         # struct
        self.funcs = []          # controller
        self.uses = []           # client, controller: (Decl, Func|None)
        self.deprecated = None
        self.doc = None
        self.spec = None


class Spec:
    def __init__(self, file_stem):
        self.file_stem = file_stem
        self.package = None
        self.package_deprecated = None
        self.doc = None
        self.imports = []        # Spec objects (their files sit beside this one)
        self.decls = []
        self.refused = None      # why the lexer must refuse this spec, or None
        self.refused_text = None # the literal that makes it refuse

    @property
    def file_name(self):
        return self.file_stem + ".ctl"

    def visible(self):
        """Declarations of this spec and of everything it imports."""
        seen, out = set(), []

        def walk(s):
            if id(s) in seen:
                return
            seen.add(id(s))
            for imp in s.imports:
                walk(imp)
            out.extend(s.decls)
        walk(self)
        return out

    def all_specs(self):
        seen, out = set(), []

        def walk(s):
            if id(s) in seen:
                return
            seen.add(id(s))
            out.append(s)
            for imp in s.imports:
                walk(imp)
        walk(self)
        return out


# ---- rendering -------------------------------------------------------------------------

def render_doc(lines, indent):
    if not lines:
        return ""
    return "".join("%s///%s\n" % (indent, (" " + l) if l != "" else "") for l in lines)


def render_deprecated(dep):
    if dep is None:
        return ""
    if dep is True:
        return "@deprecated "
    return "@deprecated(%s) " % spec_string(dep)


def render_literal(field):
    kind, v = field.default
    if kind == "string":
        return spec_string(v)
    if kind == "int":
        return str(v)
    if kind == "float":
        return v
    if kind == "bool":
        return "true" if v else "false"
    return v.name  # member


def render_field(f, indent):
    out = render_doc(f.doc, indent) + indent
    out += render_deprecated(f.deprecated)
    if f.json is not None:
        out += "@json(%s) " % spec_string(f.json)
    if f.length:
        parts = []
        if f.length[0] is not None:
            parts.append("min: %d" % f.length[0])
        if f.length[1] is not None:
            parts.append("max: %d" % f.length[1])
        out += "@length(%s) " % ", ".join(parts)
    if f.range:
        parts = []
        if f.range_text[0] is not None:
            parts.append("min: %s" % f.range_text[0])
        if f.range_text[1] is not None:
            parts.append("max: %s" % f.range_text[1])
        out += "@range(%s) " % ", ".join(parts)
    out += "%s%s: %s" % (f.name, "?" if f.optional else "", f.type.text())
    if f.default is not None:
        out += " = " + render_literal(f)
    return out + ";\n"


def render_fields(fields, indent):
    if not fields:
        return "{}"
    return "{\n" + "".join(render_field(f, indent + "    ") for f in fields) + indent + "}"


def render_uses(uses):
    if not uses:
        return ""
    return " uses " + ", ".join(d.name + ("." + f.name if f else "") for d, f in uses)


def render_decl(d):
    out = render_doc(d.doc, "")
    dep = render_deprecated(d.deprecated)
    if dep:
        out += dep.rstrip() + "\n"
    if d.kind == "enum":
        out += "enum %s {\n" % d.name
        for m in d.members:
            out += render_doc(m.doc, "    ") + "    " + render_deprecated(m.deprecated)
            if m.json is not None:
                out += "@json(%s) " % spec_string(m.json)
            out += m.name + ",\n"
        return out + "}\n"
    if d.kind == "struct":
        return out + "struct %s %s\n" % (d.name, render_fields(d.fields, ""))
    if d.kind == "client":
        return out + "client %s%s;\n" % (d.name, render_uses(d.uses))
    out += "controller %s%s {\n" % (d.name, render_uses(d.uses))
    for f in d.funcs:
        out += render_doc(f.doc, "    ")
        dep = render_deprecated(f.deprecated)
        if dep:
            out += "    " + dep.rstrip() + "\n"
        out += "    %sfn %s %s" % ("async " if f.is_async else "", f.name, render_fields(f.params, "    "))
        if isinstance(f.result, list):
            out += " -> " + render_fields(f.result, "    ")
        elif f.result is not None:
            out += " -> " + f.result.name
        out += "\n"
    return out + "}\n"


def render(spec, import_names=None):
    """The .ctl text of spec; import_names maps an imported Spec to the path
    written in its import (its file name by default)."""
    out = "// Generated by tests/props/gen_spec.py.\n"
    if spec.package is not None:
        out += render_doc(spec.doc, "")
        dep = render_deprecated(spec.package_deprecated)
        if dep:
            out += dep.rstrip() + "\n"
        out += "package %s;\n" % spec.package
    for imp in spec.imports:
        name = (import_names or {}).get(id(imp), imp.file_name)
        out += "import %s;\n" % spec_string(name)
    if spec.refused_text:
        out += "/// %s\nstruct Refused_%d { s: string = %s; }\n" % (
            "refused", len(spec.decls), spec.refused_text)
    for d in spec.decls:
        out += "\n" + render_decl(d)
    return out


# ---- the clean variant ---------------------------------------------------------------------

def strip_texts(spec, stem):
    """Takes every free text out of spec in place: docs, deprecation reasons
    (a bare @deprecated stays), string defaults (same number of code points,
    plain letters, so @length still holds) and the file name. Wire names
    stay: they are the wire format, and the events must not change."""
    spec.file_stem = stem
    spec.doc = None
    if spec.package_deprecated is not None:
        spec.package_deprecated = True

    def fields(fs):
        for f in fs:
            f.doc = None
            if f.deprecated is not None:
                f.deprecated = True
            if f.default and f.default[0] == "string":
                f.default = ("string", "d" * code_points(f.default[1]))
    for d in spec.decls:
        d.doc = None
        if d.deprecated is not None:
            d.deprecated = True
        for m in d.members:
            m.doc = None
            if m.deprecated is not None:
                m.deprecated = True
        fields(d.fields)
        for f in d.funcs:
            f.doc = None
            if f.deprecated is not None:
                f.deprecated = True
            fields(f.params)
            if isinstance(f.result, list):
                fields(f.result)


def has_hostile_text(spec):
    """True when the spec holds any free text that strip_texts takes out."""
    probe = [False]

    def note(x):
        if x is not None and x is not True:
            probe[0] = True
    for s in spec.all_specs():
        note(s.doc)
        note(s.package_deprecated)
        for d in s.decls:
            note(d.doc)
            note(d.deprecated)
            for m in d.members:
                note(m.doc)
                note(m.deprecated)
            fss = [d.fields] + [f.params for f in d.funcs] + [f.result for f in d.funcs if isinstance(f.result, list)]
            for f in d.funcs:
                note(f.doc)
                note(f.deprecated)
            for fs in fss:
                for f in fs:
                    note(f.doc)
                    note(f.deprecated)
                    if f.default and f.default[0] == "string" and f.default[1]:
                        probe[0] = True
    return probe[0]


# ---- generation -------------------------------------------------------------------------------

class NamePicker:
    """Chooses names, biased towards those that meet in C."""

    def __init__(self, rng, level):
        self.rng = rng
        self.level = level       # 0 tame .. 3 wild: how often a risky name is picked
        self.used = []           # names given to declarations so far (any spec)
        self.mangles = ["string", "int", "float", "bool", "json"]

    def risky(self):
        return self.rng.random() < (0.0, 0.12, 0.3, 0.55)[self.level]

    def long_name(self):
        base = self.rng.choice(ORDINARY + self.used[-5:] if self.used else ORDINARY)
        n = self.rng.choice([200, 201, 255, 256, 300, 520])
        s = (base + "_") * (n // (len(base) + 1) + 1)
        s = s[:n]
        if s[-1] == "_" and self.rng.random() < 0.5:
            s = s[:-1] + "z"
        return s

    def case_variant(self, name):
        r = self.rng.random()
        if r < 0.33:
            return name.upper()
        if r < 0.66:
            return name.lower()
        return name[:1].swapcase() + name[1:]

    def pick(self, role):
        """role: decl, field, member, func. Returns an identifier."""
        rng = self.rng
        if not self.risky():
            base = rng.choice(ORDINARY)
            name = base + (str(rng.randrange(100)) if rng.random() < 0.5 else "")
            return name
        choices = ["keyword", "cpp", "reserved", "libc", "cjson", "libctl", "locals", "suffix",
                   "container", "case", "long", "has"]
        what = rng.choice(choices)
        if what == "keyword":
            pool = C_KEYWORDS + (CTL_KEYWORDS if role != "decl" or rng.random() < 0.05 else [])
            return rng.choice(pool)
        if what == "cpp":
            return rng.choice(CPP_KEYWORDS)
        if what == "reserved":
            return rng.choice(RESERVED_IDS + ["_" + rng.choice(ORDINARY).capitalize(),
                                              "__" + rng.choice(ORDINARY)])
        if what == "libc":
            return rng.choice(LIBC_NAMES)
        if what == "cjson":
            return rng.choice(CJSON_NAMES)
        if what == "libctl":
            return rng.choice(LIBCTL_NAMES)
        if what == "locals":
            return rng.choice(GENERATED_LOCALS)
        if what == "suffix" and self.used:
            return rng.choice(self.used[-8:]) + "_" + rng.choice(SUFFIXES)
        if what == "container":
            m = rng.choice(self.mangles)
            form = rng.choice(["list_%s", "map_%s", "map_%s_entry", "list_list_%s", "map_list_%s",
                               "list_%s_from_json", "map_%s_to_json"])
            return form % m
        if what == "case" and self.used:
            return self.case_variant(rng.choice(self.used[-8:]))
        if what == "long":
            return self.long_name()
        if what == "has" and role == "field":
            return "has_" + rng.choice(ORDINARY)
        return rng.choice(ORDINARY) + str(rng.randrange(10))


class Generator:
    def __init__(self, seed, level=None, hostile=None):
        self.seed = seed
        self.rng = random.Random(seed)
        rng = self.rng
        self.level = level if level is not None else rng.choice([0, 1, 1, 2, 2, 3])
        self.hostile = hostile if hostile is not None else rng.random() < 0.6
        self.names = NamePicker(rng, self.level)

    # -- text --
    def hostile_text(self, max_pieces=4):
        rng = self.rng
        parts = []
        for _ in range(rng.randint(1, max_pieces)):
            parts.append(rng.choice(HOSTILE_PIECES) if rng.random() < 0.7 else rng.choice(["use", "New", "x", " "]))
        if rng.random() < 0.3:
            parts.insert(rng.randrange(len(parts) + 1), "\n" + rng.choice(HOSTILE_DOC_LINES))
        return "".join(parts)

    def doc(self, p=0.35):
        rng = self.rng
        if rng.random() > p:
            return None
        lines = []
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            if self.hostile and rng.random() < 0.6:
                if rng.random() < 0.5:
                    line = rng.choice(HOSTILE_DOC_LINES)
                else:
                    line = self.hostile_text().replace("\n", " ")
            else:
                line = rng.choice(["The thing.", "Where a leed is.", "`code` and *emphasis*.",
                                   "Plain words, nothing else."])
            # a doc line ends at the line's end; the lexer drops trailing blanks
            line = line.replace("\n", " ").replace("\r", " ").rstrip(" \t")
            lines.append(line)
        return lines

    def reason(self, p=0.15):
        """None, True (bare @deprecated) or a reason."""
        rng = self.rng
        if rng.random() > p:
            return None
        if rng.random() < 0.3:
            return True
        if self.hostile:
            return self.hostile_text()
        return rng.choice(["use New", "gone in v2", ""])

    # -- names --
    def fresh(self, role, taken):
        for _ in range(50):
            n = self.names.pick(role)
            if n not in taken:
                taken.add(n)
                return n
        n = "n%d_%d" % (self.seed % 1000, len(taken))
        taken.add(n)
        return n

    # -- types --
    def scalar_type(self, named):
        rng = self.rng
        r = rng.random()
        if named and r < 0.3:
            return Type("named", decl=rng.choice(named))
        return Type(rng.choice(["string", "string", "int", "int", "float", "bool", "json"]))

    def field_type(self, named, depth=0):
        rng = self.rng
        r = rng.random()
        if depth < 3 and r < 0.2:
            return Type(rng.choice(["list", "map"]), elem=self.field_type(named, depth + 1))
        return self.scalar_type(named)

    def fields(self, named, earlier_structs, self_decl, where, n=None):
        """where: struct, params, result. earlier_structs: structs a required
        field may hold (no cycle); named: every enum and struct visible."""
        rng = self.rng
        taken = set()
        out = []
        count = n if n is not None else rng.choice([0, 1, 2, 3, 3, 4, 5, 6])
        for _ in range(count):
            t = self.field_type(named)
            f = Field(self.fresh("field", taken), t)
            if where == "params" and f.name == "function":
                f.name = "function_"
            f.optional = rng.random() < 0.3
            # a required struct inline must come from an earlier struct: no cycle
            if t.kind == "named" and t.decl.kind == "struct" and not f.optional:
                if t.decl not in earlier_structs:
                    f.optional = True
            # has_X beside an optional X, now and then
            if f.optional and rng.random() < 0.15 and self.level:
                twin = Field("has_" + f.name, Type("bool"))
                out.append(f)
                if twin.name not in taken:
                    taken.add(twin.name)
                    out.append(twin)
                self.decorate(f, where)
                continue
            self.decorate(f, where)
            out.append(f)
        return out

    def decorate(self, f, where):
        rng = self.rng
        t = f.type
        if rng.random() < 0.2:
            if self.hostile and rng.random() < 0.7:
                f.json = self.hostile_text(3)
            else:
                f.json = rng.choice(["first-name", "x y", "Ünïcode", "a.b", "$ref", "0"])
            if f.json == "" or (where == "params" and f.json == "function"):
                f.json = None
        f.deprecated = self.reason(0.1)
        f.doc = self.doc(0.3)
        inner = t.innermost()
        if t.kind in ("string", "list", "map") and rng.random() < 0.3:
            lo = rng.choice([None, 0, 1, 2, 5])
            hi = rng.choice([None, 3, 8, 64, 1000])
            if lo is None and hi is None:
                hi = 8
            if lo is not None and hi is not None and lo > hi:
                lo, hi = hi, lo
            if t.kind != "string" and inner.kind == "named" and inner.decl.kind == "struct":
                lo = None if hi is not None else 0  # a non-empty list of a struct may be a cycle
                if lo is None and hi is None:
                    hi = 3
            if t.kind != "string" and lo is not None and lo > 3:
                lo = 1
            f.length = (lo, hi)
        if t.kind == "int" and rng.random() < 0.35:
            lo = rng.choice([None, -100, 0, 1, -(2 ** 63), 10])
            hi = rng.choice([None, 0, 100, 2 ** 63 - 1, 1000])
            if lo is None and hi is None:
                lo = 0
            if lo is not None and hi is not None and lo > hi:
                lo, hi = hi, lo
            f.range = (lo, hi)
            f.range_text = tuple(None if v is None else str(v) for v in f.range)
        if t.kind == "float" and rng.random() < 0.35:
            cands = [(None, None), ("0.5", 0.5), ("1", 1.0), ("-2.5e3", -2500.0), ("1e300", 1e300),
                     ("100.25", 100.25), ("0", 0.0)]
            lo = rng.choice(cands)
            hi = rng.choice(cands)
            if lo[0] is None and hi[0] is None:
                lo = ("0", 0.0)
            if lo[0] is not None and hi[0] is not None and lo[1] > hi[1]:
                lo, hi = hi, lo
            f.range = (lo[1], hi[1])
            f.range_text = (lo[0], hi[0])
        # defaults: required string, int, float, bool, enum fields
        if not f.optional and rng.random() < 0.3 and (t.kind in ("string", "int", "float", "bool") or
                                                    (t.kind == "named" and t.decl.kind == "enum")):
            if t.kind == "string":
                s = self.hostile_text(3) if self.hostile and rng.random() < 0.8 else rng.choice(["USD", "", "x"])
                if f.length:
                    lo, hi = f.length
                    if hi is not None and code_points(s) > hi:
                        s = s[:hi]
                    if lo is not None and code_points(s) < lo:
                        s = s + "z" * (lo - code_points(s))
                f.default = ("string", s)
            elif t.kind == "int":
                v = rng.choice([0, 1, -7, 42])
                if f.range:
                    lo, hi = f.range
                    v = lo if lo is not None else hi
                f.default = ("int", v)
            elif t.kind == "float":
                if f.range:
                    lo, hi = f.range_text
                    f.default = ("float", lo if lo is not None else hi)
                else:
                    f.default = ("float", rng.choice(["1.5", "0", "-2e3", "2"]))
            elif t.kind == "bool":
                f.default = ("bool", rng.random() < 0.5)
            else:
                f.default = ("member", rng.choice(t.decl.members))

    # -- declarations --
    def enum(self, name):
        rng = self.rng
        d = Decl("enum", name)
        taken = set()
        wires = set()
        for _ in range(rng.choice([1, 2, 3, 4])):
            m = Member(self.fresh("member", taken))
            if rng.random() < 0.15:
                w = self.hostile_text(2) if self.hostile else rng.choice(["with-drawn", "x y", "Ü"])
                if w and w not in wires and w not in taken:
                    m.json = w
            if m.wire in wires:
                m.json = None
                if m.wire in wires:
                    continue
            wires.add(m.wire)
            m.deprecated = self.reason(0.1)
            m.doc = self.doc(0.2)
            d.members.append(m)
        if not d.members:
            d.members.append(Member("only"))
        return d

    def spec(self, stem, package, imports, prefix_names=(), allow_refused=True):
        rng = self.rng
        s = Spec(stem)
        s.package = package
        s.imports = imports
        if package is not None:
            s.doc = self.doc(0.3)
            if rng.random() < 0.08:
                s.package_deprecated = self.reason(1.0)
        taken = set(prefix_names)
        visible = []
        for imp in imports:
            visible.extend(imp.visible())
        named = [d for d in visible if d.kind in ("enum", "struct")]
        structs = [d for d in visible if d.kind == "struct"]
        controllers = [d for d in visible if d.kind == "controller"]
        n_decls = rng.choice([1, 2, 3, 4, 5, 6, 8])
        kinds = [rng.choice(["enum", "struct", "struct", "controller", "controller", "client"])
                 for _ in range(n_decls)]
        if "controller" not in kinds and rng.random() < 0.8:
            kinds.append("controller")
        # declare enums and structs first so that controllers can use them
        kinds.sort(key=lambda k: {"enum": 0, "struct": 1, "controller": 2, "client": 3}[k])
        pending_structs = []
        for kind in kinds:
            name = self.fresh("decl", taken)
            self.names.used.append(name)
            d = Decl(kind, name)
            d.spec = s
            d.doc = self.doc(0.3)
            d.deprecated = self.reason(0.1)
            if kind == "enum":
                d.members = self.enum(name).members
                named.append(d)
                self.names.mangles.append(name)
            elif kind == "struct":
                named.append(d)
                self.names.mangles.append(name)
                pending_structs.append(d)
            s.decls.append(d)
        # fields of structs: a required struct field only holds an earlier struct
        earlier = list(structs)
        for d in pending_structs:
            d.fields = self.fields(named, earlier, d, "struct")
            earlier.append(d)
        all_structs = structs + pending_structs
        for d in s.decls:
            if d.kind == "controller":
                ftaken = set()
                for _ in range(rng.choice([0, 1, 1, 2, 3])):
                    f = Func(self.fresh("func", ftaken), rng.random() < 0.4)
                    f.params = self.fields(named, all_structs, None, "params")
                    if not f.is_async:
                        r = rng.random()
                        if r < 0.4:
                            f.result = self.fields(named, all_structs, None, "result")
                        elif r < 0.6 and all_structs:
                            f.result = rng.choice(all_structs)
                    f.deprecated = self.reason(0.1)
                    f.doc = self.doc(0.3)
                    d.funcs.append(f)
                controllers.append(d)
        for d in s.decls:
            if d.kind in ("client", "controller") and controllers and rng.random() < 0.7:
                for _ in range(rng.choice([1, 1, 2, 3])):
                    c = rng.choice(controllers)
                    if c.funcs and rng.random() < 0.5:
                        target = (c, rng.choice(c.funcs))
                    else:
                        target = (c, None)
                    if target not in d.uses:
                        d.uses.append(target)
        if allow_refused and self.hostile and rng.random() < 0.05:
            # a literal the lexer refuses: the whole spec must fail check
            s.refused = rng.choice(["U+0000", "invalid escape", "unpaired surrogate", "raw tab",
                                    "short \\u"])
            s.refused_text = {"U+0000": '"a\\u0000b"', "invalid escape": '"a\\xb"',
                              "unpaired surrogate": '"\\ud800"', "raw tab": '"a\tb"',
                              "short \\u": '"\\u12"'}[s.refused]
        return s


def hostile_stem(rng, seed):
    """A file name stem: mostly plain, sometimes with characters that mean
    something in C, Markdown, DOT or HTML (never '/', never NUL)."""
    base = "s%d" % seed
    if rng.random() < 0.6:
        return base
    piece = rng.choice(["we\"ird", "ends in \\", "a*b", "q?x", "??=", "<script>", "a|b", "`tick`",
                        "#hash", "$dollar", "--> end", "é日本", "😀", "[x](y)", "&amp;", "it's",
                        "two  spaces", "a-b", "a.b", "tab\there", "new\nline", "-dash", "*/x"])
    piece = piece.replace("/", "_")
    return base + " " + piece


def generate(seed, level=None, hostile=None):
    """The Spec of seed (with its imports), ready to render."""
    g = Generator(seed, level, hostile)
    rng = g.rng
    package = rng.choice(PACKAGES)
    if package == "__long__":
        package = g.names.long_name()
    imports = []
    if rng.random() < 0.25:
        # a second spec, often with the same package
        lib_pkg = package if rng.random() < 0.6 else rng.choice(PACKAGES)
        stem = "lib%d" % seed
        if g.hostile and rng.random() < 0.3:
            stem = rng.choice(["lib%d-x", "lib%d_x", "LIB%d X", "lib%d x"]) % seed
        lib = g.spec(stem, lib_pkg, [], allow_refused=False)
        imports.append(lib)
    stem = hostile_stem(rng, seed) if g.hostile else "s%d" % seed
    spec = g.spec(stem, package, imports)
    spec.level = g.level
    spec.hostile = g.hostile
    spec.seed = seed
    return spec


# ---- events --------------------------------------------------------------------------------

def sample_string(rng, length, hostile):
    lo, hi = length if length else (None, None)
    lo = lo or 0
    n = rng.choice([0, 1, 3, 8]) if hi is None else rng.randint(lo, min(hi, lo + 8))
    n = max(n, lo)
    if hi is not None:
        n = min(n, hi)
    alphabet = "abcXYZ019 _-" + ("\"\\/\n\té日😀<>&|`*\u2028" if hostile else "")
    return "".join(rng.choice(alphabet) for _ in range(n))


def sample_json(rng, depth=0):
    r = rng.random()
    if depth > 2 or r < 0.5:
        return rng.choice([None, True, False, 0, -1.5, "s", "é\"\\"])
    if r < 0.75:
        return [sample_json(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {"k%d" % i: sample_json(rng, depth + 1) for i in range(rng.randint(0, 3))}


def sample_value(rng, t, field, depth):
    """A valid value of type t; field carries @length/@range (None inside a
    container)."""
    k = t.kind
    if k == "string":
        return sample_string(rng, field.length if field else None, True)
    if k == "int":
        lo, hi = field.range if field and field.range else (None, None)
        lo = -1000 if lo is None else lo
        hi = (lo + 2000) if hi is None else hi
        if lo > hi:
            lo = hi - 2000
        return rng.choice([lo, hi, rng.randint(lo, hi)])
    if k == "float":
        lo, hi = field.range if field and field.range else (None, None)
        if lo is None and hi is None:
            return rng.choice([0.5, -3.25, 0, 1e10, 7])
        if lo is None:
            return hi
        if hi is None:
            return lo
        return rng.choice([lo, hi, (lo + hi) / 2])
    if k == "bool":
        return rng.random() < 0.5
    if k == "json":
        return sample_json(rng)
    if k in ("list", "map"):
        lo, hi = field.length if field and field.length else (None, None)
        lo = lo or 0
        n = 0 if depth > 2 else rng.randint(0, 2)
        n = max(n, lo)
        if hi is not None:
            n = min(n, hi)
        if k == "list":
            return [sample_value(rng, t.elem, None, depth + 1) for _ in range(n)]
        keys = set()
        while len(keys) < n:
            keys.add(sample_string(rng, (0, 6), True))
        return {key: sample_value(rng, t.elem, None, depth + 1) for key in sorted(keys)}
    d = t.decl
    if d.kind == "enum":
        return rng.choice(d.members).wire
    return sample_object(rng, d.fields, depth + 1)


def sample_object(rng, fields, depth):
    obj = {}
    for f in fields:
        if f.optional:
            r = rng.random()
            if depth > 1 or r < 0.4:
                continue
            if r < 0.55:
                obj[f.wire] = None
                continue
        elif f.default is not None and rng.random() < 0.5:
            continue
        obj[f.wire] = sample_value(rng, f.type, f, depth)
    return obj


def wrong_value(rng, t):
    """A value of another JSON type than t accepts."""
    k = t.kind
    if k == "json":
        return None
    pool = {"string": [1, True, [], {}], "int": ["1", 1.5, True, [], 2 ** 64],
            "float": ["1.5", True, [], {}], "bool": [0, "true", []],
            "list": [{}, "x", 1], "map": [[], "x", 1]}
    if k in pool:
        return rng.choice(pool[k])
    if t.decl.kind == "enum":
        return rng.choice(["no such member \u00e9", 1, None if False else []])
    return rng.choice([[], "x", 1])


def break_object(rng, obj, fields, depth=0):
    """Mutates obj (a valid value of fields) into an invalid one; returns a
    short description, or None when nothing could be broken."""
    cands = []
    for f in fields:
        if not f.optional and f.default is None:
            cands.append(("missing", f))
        if f.type.kind != "json":
            cands.append(("type", f))
        if f.range:
            cands.append(("range", f))
        if f.length:
            cands.append(("length", f))
        if f.type.kind == "named" and f.type.decl.kind == "enum":
            cands.append(("member", f))
        if f.type.kind == "named" and f.type.decl.kind == "struct" and f.wire in obj and \
                isinstance(obj[f.wire], dict) and depth < 3:
            cands.append(("nested", f))
        if f.type.kind == "string":
            cands.append(("surrogate", f))
    rng.shuffle(cands)
    for how, f in cands:
        w = f.wire
        if how == "missing":
            obj.pop(w, None)
            return "missing %r" % w
        if how == "type":
            obj[w] = wrong_value(rng, f.type)
            return "wrong type at %r" % w
        if how == "range":
            lo, hi = f.range
            if f.type.kind == "int":
                if lo is not None and lo > -(2 ** 63):
                    obj[w] = lo - 1
                    return "below range at %r" % w
                if hi is not None and hi < 2 ** 63 - 1:
                    obj[w] = hi + 1
                    return "above range at %r" % w
            else:
                if lo is not None and lo > -1e300:
                    obj[w] = lo - abs(lo) - 1
                    return "below range at %r" % w
                if hi is not None and hi < 1e300:
                    obj[w] = hi + abs(hi) + 1
                    return "above range at %r" % w
            continue
        if how == "length":
            lo, hi = f.length
            k = f.type.kind
            if hi is not None and hi < 50:
                n = hi + 1
            elif lo:
                n = lo - 1
            else:
                continue
            if k == "string":
                obj[w] = "é" * n
            elif k == "list":
                obj[w] = [sample_value(rng, f.type.elem, None, 3) for _ in range(n)]
            else:
                obj[w] = {"k%d" % i: sample_value(rng, f.type.elem, None, 3) for i in range(n)}
            return "length at %r" % w
        if how == "member":
            obj[w] = "not-a-member-" + f.type.decl.members[0].wire + "x"
            if obj[w] in [m.wire for m in f.type.decl.members]:
                continue
            return "unknown member at %r" % w
        if how == "nested":
            d = break_object(rng, obj[w], f.type.decl.fields, depth + 1)
            if d:
                return "in %r: %s" % (w, d)
            continue
        if how == "surrogate":
            obj[w] = "\ud800"
            return "unpaired surrogate at %r" % w
    return None


def to_json(v):
    """Event text: surrogates kept as \\u escapes, other text as UTF-8."""
    return json.dumps(v, ensure_ascii=True)


def events(spec, seed, per_func=3):
    """[(controller name, event text, valid?, note)] for the controllers of
    spec itself (not its imports)."""
    rng = random.Random(seed * 7919 + 1)
    out = []
    for d in spec.decls:
        if d.kind != "controller":
            continue
        for f in d.funcs:
            for _ in range(per_func):
                obj = sample_object(rng, f.params, 0)
                if rng.random() < 0.2:
                    extra = "unknown_" + str(rng.randrange(1000))
                    if extra not in [x.wire for x in f.params]:
                        obj[extra] = sample_json(rng)
                ev = dict(obj)
                ev["function"] = f.name
                out.append((d.name, to_json(ev), True, "valid"))
                bad = dict(obj)
                how = break_object(rng, bad, f.params)
                if how:
                    bad["function"] = f.name
                    out.append((d.name, to_json(bad), False, how))
        out.append((d.name, to_json({"function": "no_such_function_%d" % seed}), False, "unknown function"))
        out.append((d.name, "[1, 2]", False, "not an object"))
        out.append((d.name, "{\"function\": ", False, "not JSON"))
    return out


if __name__ == "__main__":
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    sp = generate(seed)
    for imp in sp.imports:
        sys.stdout.write("==> %s <==\n%s\n" % (imp.file_name, render(imp)))
    sys.stdout.write("==> %s <==\n%s" % (sp.file_name, render(sp)))
