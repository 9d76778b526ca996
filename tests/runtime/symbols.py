#!/usr/bin/env python3
"""symbols.py CC NM INCLUDE_DIR... -- PART_A...: libctl's parts export
exactly its public API, and what the parts call of each other.

The functions and variables that runtime/include/ctl/*.h declare (read from
the headers as the compiler sees them: CC -E on a file including each of
them, keeping what comes from the include folders; static inline functions
are no symbols) must be the public global symbols that the parts
(libctl.a, libctl_rtapi.a, ...) define (NM -g --defined-only), each in one
part, both ways. Any other global symbol of a part must be a ctli_ name
that another part references (NM -u): an internal function of the core
that the loop or serve calls (runtime/localize.cmake keeps exactly those
global). An internal function that stayed global otherwise is named, and
so is a declared function that no part defines."""
import os
import re
import subprocess
import sys
import tempfile


def public_headers(dirs):
    found = {}
    for d in dirs:
        ctl = os.path.join(d, "ctl")
        for name in sorted(os.listdir(ctl)) if os.path.isdir(ctl) else []:
            if name.endswith(".h"):
                found.setdefault(name, os.path.join(ctl, name))
    return found


def preprocess(cc, dirs, headers):
    """The text of the public headers only, macros expanded."""
    with tempfile.NamedTemporaryFile("w", suffix=".c", delete=False) as f:
        for name in sorted(headers):
            f.write('#include "ctl/%s"\n' % name)
        tu = f.name
    try:
        cmd = [cc, "-E", "-std=c11", "-D_XOPEN_SOURCE=700"] + ["-I" + d for d in dirs] + [tu]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(tu)
    roots = [os.path.realpath(d) + os.sep for d in dirs]
    keep, text = False, []
    for line in out.splitlines():
        m = re.match(r'#\s*\d+\s+"([^"]*)"', line)
        if m:
            keep = any(os.path.realpath(m.group(1)).startswith(r) for r in roots)
            continue
        if keep and not line.startswith("#"):
            text.append(line)
    return "\n".join(text)


def statements(text):
    """Top-level declarations, with brace bodies (structs, inline functions) left out."""
    out, cur, depth, head = [], [], 0, ""
    for ch in text:
        if ch == "{":
            if depth == 0:
                head = "".join(cur)
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0 and "(" in head and "=" not in head and not head.lstrip().startswith(("typedef", "struct", "enum", "union")):
                out.append(head + "{}")  # a function definition
                cur = []
        elif depth == 0:
            if ch == ";":
                out.append("".join(cur))
                cur = []
            else:
                cur.append(ch)
    return [" ".join(s.split()) for s in out if s.strip()]


def strip_attributes(s):
    """s without __attribute__((...)) and __extension__."""
    while True:
        i = s.find("__attribute__")
        if i < 0:
            return s.replace("__extension__", "")
        j = s.index("(", i)
        depth = 0
        for k in range(j, len(s)):
            depth += {"(": 1, ")": -1}.get(s[k], 0)
            if depth == 0:
                break
        s = s[:i] + s[k + 1:]


def declared(text):
    names = set()
    for s in statements(text):
        s = strip_attributes(s).strip()
        if s.startswith("typedef") or re.search(r"\bstatic\b", s) or s.endswith("{}"):
            continue
        if re.match(r"^(struct|enum|union)(\s+\w+)?$", s):
            continue  # a tag declared, no object
        if "(" in s:
            m = re.match(r"[^(]*?\(\s*\*\s*([A-Za-z_]\w*)\s*\)", s)  # a pointer to a function
            m = m or re.search(r"([A-Za-z_]\w*)\s*\(", s)  # a function
        else:
            m = re.search(r"([A-Za-z_]\w*)\s*(\[[^\]]*\])?\s*$", s)  # a variable
        if m:
            names.add(m.group(1))
    return names


def nm_names(nm, lib, flags):
    out = subprocess.run([nm] + flags + [lib], check=True, capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] not in "Uwv":
            names.add(parts[2])
        elif len(parts) == 2 and parts[0] == "U":
            names.add(parts[1])
    # What compilers and sanitizers add of their own (reserved names).
    return {n for n in names if not n.startswith("__")}


def main():
    if "--" not in sys.argv or sys.argv.index("--") < 4:
        sys.exit("usage: symbols.py CC NM INCLUDE_DIR... -- PART_A...")
    cut = sys.argv.index("--")
    cc, nm, dirs, libs = sys.argv[1], sys.argv[2], sys.argv[3:cut], sys.argv[cut + 1:]
    if not libs:
        sys.exit("usage: symbols.py CC NM INCLUDE_DIR... -- PART_A...")
    headers = public_headers(dirs)
    want = declared(preprocess(cc, dirs, headers))
    have = {lib: nm_names(nm, lib, ["-g", "--defined-only"]) for lib in libs}
    used = {lib: nm_names(nm, lib, ["-u"]) for lib in libs}
    ok = True
    public = {}
    shared = 0
    for lib in libs:
        name = os.path.basename(lib)
        others = set().union(*(used[o] for o in libs if o != lib))
        for n in sorted(have[lib]):
            if n in want:
                if n in public:
                    print("FAIL: %s is defined by both %s and %s" % (n, public[n], name))
                    ok = False
                public[n] = name
            elif n.startswith("ctli_") and n in others:
                shared += 1
            else:
                print("FAIL: %s exports %s, which no public header declares and no other part calls "
                      "(make it static, or ctli_ in an internal header)" % (name, n))
                ok = False
    for n in sorted(want - set(public)):
        print("FAIL: %s is declared in a public header but no part of libctl defines it" % n)
        ok = False
    if not want:
        print("FAIL: no declaration read from %s" % ", ".join(headers.values()))
        ok = False
    if ok:
        print("ok: %s export exactly the %d functions and variables of %s, and %d ctli_ names one part calls "
              "of another" % (", ".join(os.path.basename(l) for l in libs), len(want), ", ".join(sorted(headers)),
                              shared))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
