"""vim_test.py SRC: editors/vim against the language it highlights.

1. The syntax file's keywords are the lexer's (grammar/lexer.re) and its
   known annotations the checker's (gen/check_annot.c), no more, no less.
2. Debian's vim, headless (-es, no vimrc), with editors/vim on its
   runtimepath, opens a spec: its filetype is ctl, its commentstring is
   "// %s", and each probe below gets its syntax group (synID), so a pattern
   that stops matching fails here.

Run by CTest (editors/vim)."""
import os
import re
import subprocess
import sys
import tempfile

src = sys.argv[1]
vimdir = os.path.join(src, "editors", "vim")
syntax = open(os.path.join(vimdir, "syntax", "ctl.vim")).read()
failures = []

# 1. The lists.
lexer = open(os.path.join(src, "grammar", "lexer.re")).read()
lexer_words = set(re.findall(r'^\s*"([a-z]+)"\s*\{\s*TOKEN\(TK_', lexer, re.M))
vim_words = set()
for line in syntax.splitlines():
    m = re.match(r"syn keyword ctl(Keyword|Structure|Type|Boolean)\s+(.*)", line)
    if m:
        vim_words |= set(m.group(2).split())
if lexer_words != vim_words:
    failures.append("keywords: the lexer's and not vim's %s; vim's and not the lexer's %s" %
                    (sorted(lexer_words - vim_words), sorted(vim_words - lexer_words)))
annot = open(os.path.join(src, "gen", "check_annot.c")).read()
m = re.search(r"ctlc_annot_rules\[CTLC_NANNOTS\]\s*=\s*\{(.*?)\n\};", annot, re.S)
checker = set(re.findall(r'\{ "([a-z_]+)",', m.group(1))) if m else set()
m = re.search(r'syn match ctlAnnotation "[^"]*\\%\(([^)]*)\\\)', syntax)
vim_annots = set(m.group(1).split("\\|")) if m else set()
if not checker or checker != vim_annots:
    failures.append("annotations: the checker's %s, vim's %s" % (sorted(checker), sorted(vim_annots)))

# 2. Highlighting in vim.
spec = '''/// A package's doc comment.
package probe;

// A plain comment. TODO later
//// Not a doc comment either.
/* A block
   comment */
enum Color { red, green }

struct Thing {
    /// Its name.
    name: string = "a \\"b\\" \\u00e9";
    @range(1, 100) count?: int = -12;
    ratio: float = 2.5e-3;
    on: bool = true;
    @bogus tags: list<string>;
}

@retries(1)
controller probe_helper {
    @idempotent(key: "name")
    async fn take { thing: Thing; }
    fn ask {} -> { ok: bool; }
}
'''
probes = [  # (text, occurrence, offset into it, group)
    ("///", 0, 0, "ctlDocComment"),
    ("package probe", 0, 0, "ctlKeyword"),
    ("// A plain", 0, 0, "ctlComment"),
    ("TODO", 0, 0, "ctlTodo"),
    ("//// Not", 0, 0, "ctlComment"),
    ("/* A block", 0, 0, "ctlComment"),
    ("comment */", 0, 0, "ctlComment"),
    ("enum", 0, 0, "ctlStructure"),
    ("struct", 0, 0, "ctlStructure"),
    ("string", 0, 0, "ctlType"),
    ('"a', 0, 0, "ctlString"),
    ('\\"b', 0, 0, "ctlEscape"),
    ("\\u00e9", 0, 0, "ctlEscape"),
    ("@range", 0, 0, "ctlAnnotation"),
    ("-12", 0, 0, "ctlNumber"),
    ("2.5e-3", 0, 0, "ctlNumber"),
    ("true", 0, 0, "ctlBoolean"),
    ("@bogus", 0, 0, "ctlAnnotationUnknown"),
    ("list", 0, 0, "ctlType"),
    ("@retries", 0, 0, "ctlAnnotation"),
    ("controller", 0, 0, "ctlKeyword"),
    ("@idempotent", 0, 0, "ctlAnnotation"),
    ("async", 0, 0, "ctlKeyword"),
    ("fn ask", 0, 0, "ctlKeyword"),
    ("->", 0, 0, "ctlOperator"),
    ("probe_helper", 0, 0, ""),
]
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "probe.ctl")
    open(path, "w").write(spec)
    lines = spec.splitlines()
    where = []
    for text, _, off, group in probes:
        for i, line in enumerate(lines):
            c = line.find(text)
            if c >= 0:
                where.append((i + 1, c + 1 + off, text, group))
                break
        else:
            failures.append("probe %r not in the spec" % text)
    out = os.path.join(tmp, "out.txt")
    script = os.path.join(tmp, "probe.vim")
    with open(script, "w") as f:
        f.write("let s:r = [&filetype, &commentstring]\n")
        for ln, col, _, _ in where:
            f.write("call add(s:r, synIDattr(synID(%d, %d, 1), 'name'))\n" % (ln, col))
        f.write("call writefile(s:r, '%s')\nqa!\n" % out)
    p = subprocess.run(["vim", "-Nu", "NONE", "-i", "NONE", "-es", "--cmd", "set rtp^=" + vimdir,
                        "-c", "filetype plugin on", "-c", "syntax on", "-c", "edit " + path, "-S", script],
                       capture_output=True, timeout=60)
    if not os.path.exists(out):
        failures.append("vim wrote nothing (exit %d): %r %r" % (p.returncode, p.stdout[-300:], p.stderr[-300:]))
    else:
        got = open(out).read().splitlines()
        if got[:2] != ["ctl", "// %s"]:
            failures.append("filetype and commentstring: %r" % got[:2])
        for (ln, col, text, group), g in zip(where, got[2:]):
            if g != group:
                failures.append("%r at %d:%d is %r, not %r" % (text, ln, col, g, group))
print("vim: %d keywords, %d annotations, %d probes" % (len(vim_words), len(vim_annots), len(where)))
for f in failures:
    print("FAIL: " + f)
sys.exit(1 if failures else 0)
