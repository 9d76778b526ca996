"""vscode_grammar.py SRC NPM_DIR: editors/vscode's TextMate grammar against
the language it highlights.

1. Its keywords are the lexer's (grammar/lexer.re) and its known
   annotations the checker's (ctlc_annot_rules, gen/check_annot.c), no more,
   no less.
2. VS Code's tokenizer (npm's vscode-textmate and vscode-oniguruma, in
   NPM_DIR) tokenizes tests/editors/sample.ctl as
   tests/editors/sample.tokens says (vscode_tokens.js writes the list);
   with CTL_BLESS=1 the file is rewritten instead (review it with git diff).

Run by CTest (editors/vscode_grammar)."""
import json
import os
import re
import subprocess
import sys

src, npm = sys.argv[1], sys.argv[2]
here = os.path.join(src, "tests", "editors")
grammar_path = os.path.join(src, "editors", "vscode", "syntaxes", "ctl.tmLanguage.json")
grammar = json.load(open(grammar_path))
failures = []

# 1. The lists.
lexer = open(os.path.join(src, "grammar", "lexer.re")).read()
lexer_words = set(re.findall(r'^\s*"([a-z]+)"\s*\{\s*TOKEN\(TK_', lexer, re.M))
words = set()
for rule in grammar["repository"]["keywords"]["patterns"]:
    m = re.fullmatch(r"\\b\(\?:([a-z|]+)\)\\b", rule["match"])
    words |= set(m.group(1).split("|")) if m else set()
if words != lexer_words:
    failures.append("keywords: the lexer's and not the grammar's %s; the grammar's and not the lexer's %s" %
                    (sorted(lexer_words - words), sorted(words - lexer_words)))
annot = open(os.path.join(src, "gen", "check_annot.c")).read()
m = re.search(r"ctlc_annot_rules\[CTLC_NANNOTS\]\s*=\s*\{(.*?)\n\};", annot, re.S)
checker = set(re.findall(r'\{ "([a-z_]+)",', m.group(1))) if m else set()
known = grammar["repository"]["annotations"]["patterns"][0]["match"]
m = re.search(r"\(\?:([a-z_|]+)\)", known)
ours = set(m.group(1).split("|")) if m else set()
if not checker or ours != checker:
    failures.append("annotations: the checker's %s, the grammar's %s" % (sorted(checker), sorted(ours)))

# 2. The tokens.
got = subprocess.run(["node", os.path.join(here, "vscode_tokens.js"), npm, grammar_path,
                      os.path.join(here, "sample.ctl")], capture_output=True, text=True)
if got.returncode != 0:
    failures.append("vscode_tokens.js failed: %s" % got.stderr.strip())
golden = os.path.join(here, "sample.tokens")
if got.returncode == 0 and os.environ.get("CTL_BLESS"):
    open(golden, "w").write(got.stdout)
    print("blessed %s" % golden)
elif got.returncode == 0:
    want = open(golden).read() if os.path.exists(golden) else ""
    if want != got.stdout:
        import difflib
        sys.stdout.writelines(difflib.unified_diff(want.splitlines(True), got.stdout.splitlines(True),
                                                   golden, "tokenized"))
        failures.append("the tokens differ from %s (CTL_BLESS=1 rewrites it)" % golden)

if failures:
    print("\n".join("FAIL: " + f for f in failures))
    sys.exit(1)
print("editors/vscode grammar: lists as the lexer's and the checker's, %d tokens as expected" %
      len(got.stdout.splitlines()))
