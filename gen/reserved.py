#!/usr/bin/env python3
"""reserved.py: writes gen/reserved.inc, the names that generated C must not
declare, because C, C++ or the headers a program around it includes already
use them.

Run by hand on Debian 12 (gcc, glibc, libcjson-dev, universal-ctags) when the
list should change; the output is committed, so builds do not depend on this
machine's headers. The headers are read three ways, and every name any of
them shows is taken: strict C11 with POSIX 2008, gcc's default mode
(gnu17: glibc's _DEFAULT_SOURCE adds index, random, M_PI, ...) and
_GNU_SOURCE, which much Linux code defines (mempcpy, asprintf, ...); a
handler file is compiled the way its author's build says. Each entry is a
name and what it is:

  CTLC_RSV_KEYWORD  a keyword of C11, C23, C++ or GNU C (asm, typeof)
  CTLC_RSV_MACRO    a macro of the C11 library, the POSIX headers most
                    handler code includes, cJSON, or gcc's GNU mode
                    (unix, linux)
  CTLC_RSV_LIBRARY  a function, object, type, tag or enum constant those
                    headers declare

Names that start with '_' are left out: C reserves all of them anyway, and
names.c refuses them by rule.
"""
import os
import subprocess
import sys
import tempfile

HEADERS = """assert complex ctype errno fenv float inttypes iso646 limits locale math
setjmp signal stdalign stdarg stdatomic stdbool stddef stdint stdio stdlib stdnoreturn
string tgmath threads time uchar wchar wctype unistd fcntl pthread sys/types sys/stat
strings cjson/cJSON""".split()

C_KEYWORDS = """auto break case char const continue default do double else enum extern
float for goto if inline int long register restrict return short signed sizeof static
struct switch typedef union unsigned void volatile while
alignas alignof bool constexpr false nullptr static_assert thread_local true typeof
typeof_unqual asm""".split()

CPP_KEYWORDS = """and and_eq bitand bitor catch char8_t char16_t char32_t class compl
concept consteval constinit const_cast co_await co_return co_yield decltype delete
dynamic_cast explicit export friend mutable namespace new noexcept not not_eq operator
or or_eq private protected public reinterpret_cast requires static_cast template this
throw try typeid typename using virtual wchar_t xor xor_eq""".split()

GNU_MACROS = ["unix", "linux", "i386"]


def run(args, text=None):
    return subprocess.run(args, input=text, capture_output=True, text=True, check=True).stdout


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "reserved.inc")
    src = "".join("#include <%s.h>\n" % h for h in HEADERS)
    modes = [["gcc", "-std=c11", "-D_POSIX_C_SOURCE=200809L"],
             ["gcc", "-std=gnu17"],
             ["gcc", "-std=gnu17", "-D_GNU_SOURCE"]]
    names = {}

    def add(name, kind):
        if not name or name.startswith("_"):
            return
        names.setdefault(name, set()).add(kind)

    for flags in modes:
        for line in run(flags + ["-dM", "-E", "-"], src).splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[0] == "#define":
                add(parts[1].split("(")[0], "CTLC_RSV_MACRO")
        with tempfile.NamedTemporaryFile("w", suffix=".c", delete=False) as f:
            f.write(run(flags + ["-E", "-P", "-"], src))
            pre = f.name
        try:
            tags = run(["ctags", "--language-force=C", "--c-kinds=+px-m-l-z", "-x", "--_xformat=%N", "-f", "-", pre])
        finally:
            os.unlink(pre)
        for line in tags.splitlines():
            add(line.strip(), "CTLC_RSV_LIBRARY")
    for m in GNU_MACROS:
        add(m, "CTLC_RSV_MACRO")
    for k in C_KEYWORDS + CPP_KEYWORDS:
        add(k, "CTLC_RSV_KEYWORD")

    with open(out, "w") as f:
        f.write("/* reserved.inc: names generated C must not declare; written by gen/reserved.py\n"
                " * (read it for what each kind means). Sorted bytewise for bsearch. */\n")
        for name in sorted(names, key=lambda s: s.encode()):
            f.write('{ "%s", %s },\n' % (name, " | ".join(sorted(names[name]))))
    print("%d names written to %s" % (len(names), out))


if __name__ == "__main__":
    main()
