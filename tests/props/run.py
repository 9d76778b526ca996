#!/usr/bin/env python3
"""run.py: the property test of issue 10 (see README.md beside this file).

For each seed, gen_spec.py makes a spec (with its imports); this runner then
checks every promise ctl makes about a spec that `ctlc check` accepts:

  * the C of `ctlc c` and the scaffold of `ctlc c --scaffold` compile with
    gcc and clang under -std=c11 -Wall -Wextra -Wpedantic -Werror and link
    against libctl; the generated headers compile as C++ (g++ -fsyntax-only);
  * `ctlc schema`, `asyncapi` and `iam` write JSON that parses and holds the
    spec's texts as they are; `ctlc doc` writes Markdown whose structure is
    the spec's (headings, tables and their columns, code fences, the Mermaid
    graph's nodes and edges, no HTML, links or blocks out of spec text) and
    a DOT file that Graphviz accepts with the graph's nodes and edges;
  * valid events are dispatched to the handler, invalid ones are refused
    before it, and a spec with hostile texts gives the same answers, byte for
    byte, as the same spec with those texts taken out (gen_spec.strip_texts).

A spec whose literals the lexer must refuse has to fail `ctlc check`.

Failures are grouped by cause; each new failing spec is minimised (its
declarations, functions, fields, members and texts dropped while the same
cause remains) and written with the failure to the output folder.

Exit status: 0 when nothing failed unexpectedly, 1 otherwise, 2 usage, 77
when a tool it needs (a compiler, Graphviz's dot) is not installed.
"""
import argparse
import concurrent.futures
import copy
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_spec  # noqa: E402

CFLAGS = ["-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Werror"]
GNUFLAGS = ["-std=gnu17", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-fsyntax-only"]
CXXFLAGS = ["-std=c++17", "-Wall", "-Wextra", "-Werror", "-fsyntax-only"]
LIBS = ["-lcjson", "-lcurl", "-lcrypto", "-lmicrohttpd", "-lsqlite3", "-lpthread", "-lm"]
ENV = dict(os.environ, LC_ALL="C", LANG="C")
for var in list(ENV):
    if var.startswith("AWS_") or var.startswith("CTL_"):
        del ENV[var]

# errorTypes that say an event was refused before any handler ran.
REFUSED = {"ctl.InvalidPayload", "ctl.UnknownFunction", "ctl.InvalidEvent", "ctl.InvalidJSON"}

# ---- small helpers -----------------------------------------------------------------------

def run(args, cwd=None, stdin=None, timeout=120):
    try:
        p = subprocess.run(args, cwd=cwd, input=stdin, capture_output=True, env=ENV, timeout=timeout)
    except subprocess.TimeoutExpired:
        return 124, b"", b"timeout"
    return p.returncode, p.stdout, p.stderr


def remove(d):
    """Removes folder d (nothing when d is None)."""
    if d:
        shutil.rmtree(d, ignore_errors=True)


def text(b):
    return b.decode("utf-8", "replace")


class Failure(Exception):
    def __init__(self, cause, detail, stage):
        super().__init__(cause)
        self.cause, self.detail, self.stage = cause, detail, stage


# ---- Markdown: what ctlc doc wrote, block by block ----------------------------------------

MD_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def md_inline_strip(line):
    """The line less its code spans and backslash escapes: what inline
    constructs (HTML, entities, links) could come from."""
    out = []
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if c == "\\" and i + 1 < n and line[i + 1] in MD_PUNCT:
            out.append("  ")
            i += 2
            continue
        if c == "`":
            j = i
            while j < n and line[j] == "`":
                j += 1
            run_len = j - i
            k = j
            close = -1
            while k < n:
                if line[k] == "`":
                    m = k
                    while m < n and line[m] == "`":
                        m += 1
                    if m - k == run_len:
                        close = k
                        break
                    k = m
                else:
                    k += 1
            if close >= 0:
                out.append(" " * (close + run_len - i))
                i = close + run_len
            else:
                out.append(line[i:j])
                i = j
            continue
        out.append(c)
        i += 1
    return "".join(out)


def gfm_cells(row):
    """The cells of a GFM table row: a '|' after a backslash does not split."""
    s = row.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    cells, cur, i = [], [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s) and s[i + 1] == "|":
            cur.append("\\|")
            i += 2
            continue
        if c == "|":
            cells.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    cells.append("".join(cur))
    return cells


DELIM_ROW = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
LIST_ITEM = re.compile(r"^ {0,3}([-+*]|\d{1,9}[.)])([ \t]|$)")
THEMATIC = re.compile(r"^ {0,3}((\*[ \t]*){3,}|(-[ \t]*){3,}|(_[ \t]*){3,})$")
SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
ANCHOR_LINE = re.compile(r'^<a id="[A-Za-z0-9_-]+"></a>$')
BANNER = re.compile(r"^<!-- Generated by ctlc \S+ from .* DO NOT EDIT\. -->$")


def md_structure(md):
    """Reads ctlc doc's Markdown the way a CommonMark/GFM renderer would, as
    far as blocks go. Returns (headings, tables, fences, quotes, items,
    problems): headings [(level, text)], tables [(columns, [cells per row])],
    fences [(info, body lines)], quotes (number of block quotes), items
    (number of list items)."""
    lines = md.split("\n")
    headings, tables, fences, problems = [], [], [], []
    quotes = items = 0
    fence = None       # (char, length, info, body)
    prev = "blank"     # kind of the previous line: blank, para, heading, table, quote, html, item
    table = None
    for no, line in enumerate(lines, 1):
        if fence:
            m = FENCE.match(line)
            if m and m.group(2)[0] == fence[0] and len(m.group(2)) >= fence[1] and not m.group(3).strip():
                fences.append((fence[2], fence[3]))
                fence = None
                prev = "blank"
            else:
                fence[3].append(line)
            continue
        if not line.strip():
            prev = "blank"
            table = None
            continue
        if table is not None:
            table[1].append(len(gfm_cells(line)))
            if not line.lstrip().startswith("|"):
                problems.append("line %d: a table row that does not start with '|': %r" % (no, line[:80]))
            continue
        m = FENCE.match(line)
        if m and not (m.group(2)[0] == "`" and "`" in m.group(3)):
            fence = [m.group(2)[0], len(m.group(2)), m.group(3).strip(), []]
            continue
        if prev == "blank" and (line.startswith("    ") or line.startswith("\t")):
            problems.append("line %d: an indented code block: %r" % (no, line[:80]))
            prev = "para"
            continue
        m = ATX.match(line)
        if m:
            headings.append((len(m.group(1)), m.group(2) or ""))
            prev = "heading"
            continue
        if prev == "para" and SETEXT.match(line):
            problems.append("line %d: a setext heading underline: %r" % (no, line[:80]))
            prev = "heading"
            continue
        if THEMATIC.match(line):
            problems.append("line %d: a thematic break: %r" % (no, line[:80]))
            prev = "blank"
            continue
        if prev == "para" and DELIM_ROW.match(line) and "|" in line:
            # the previous line was the header row
            header = lines[no - 2]
            table = (len(gfm_cells(header)), [])
            tables.append(table)
            if len(gfm_cells(line)) != table[0]:
                problems.append("line %d: delimiter row has %d cells, header %d" % (no, len(gfm_cells(line)), table[0]))
            prev = "table"
            continue
        stripped = line.lstrip(" ")
        if stripped.startswith(">"):
            if prev != "quote":
                quotes += 1
            prev = "quote"
            body = stripped[1:]
        elif LIST_ITEM.match(line):
            items += 1
            prev = "item"
            body = line
        elif stripped.startswith("<"):
            if not (ANCHOR_LINE.match(line) or (no == 3 and BANNER.match(line))):
                problems.append("line %d: an HTML block: %r" % (no, line[:80]))
            prev = "html" if not ANCHOR_LINE.match(line) else "blank"
            continue
        elif re.match(r"^ {0,3}\[[^\]]*\]:", line):
            problems.append("line %d: a link reference definition: %r" % (no, line[:80]))
            continue
        else:
            if prev not in ("quote", "item"):
                prev = "para"
            body = line
        problems.extend(md_inline_problems(body, no))
    if fence:
        problems.append("a code fence (%s) is never closed" % (fence[0] * fence[1]))
    return headings, tables, fences, quotes, items, problems


def md_inline_problems(line, no):
    s = md_inline_strip(line)
    out = []
    for m in re.finditer(r"<[A-Za-z/!?]", s):
        if s.startswith("<br>", m.start()):
            continue
        out.append("line %d: raw HTML %r" % (no, line[max(0, m.start() - 20):m.start() + 40]))
    for m in re.finditer(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);", s):
        out.append("line %d: an HTML entity %r" % (no, m.group(0)))
    for m in re.finditer(r"\]\(", s):
        if not s.startswith("](#", m.start()):
            out.append("line %d: a link out of the document: %r" % (no, line[max(0, m.start() - 30):m.start() + 30]))
    return out


# ---- what the documents must show ----------------------------------------------------------

def graph_model(spec):
    """Nodes and edges of the call graph: the spec's clients and controllers,
    then the controllers they use, then what those use, and so on; one edge
    per (user, controller) pair."""
    nodes = [d for d in spec.decls if d.kind in ("client", "controller")]
    for d in spec.decls:
        for c, _ in d.uses:
            if c not in nodes:
                nodes.append(c)
    edges = []
    i = 0
    while i < len(nodes):
        for c, _ in nodes[i].uses:
            if c not in nodes:
                nodes.append(c)
            if (nodes[i].name, c.name) not in edges:
                edges.append((nodes[i].name, c.name))
        i += 1
    return [n.name for n in nodes], [n.kind for n in nodes], edges


def expected_doc(spec):
    """(headings, tables, fences that must exist) of ctlc doc's Markdown."""
    heads = [(2, "Call graph")]
    tables = []
    quotes = 1 if spec.package is not None and spec.package_deprecated is not None else 0
    items = 0
    for kind, title in (("client", "Clients"), ("controller", "Controllers"), ("struct", "Structs"),
                        ("enum", "Enums")):
        ds = [d for d in spec.decls if d.kind == kind]
        if not ds:
            continue
        heads.append((2, title))
        for d in ds:
            heads.append((3, "%s `%s`" % (kind, d.name)))
            quotes += d.deprecated is not None
            if kind == "controller":
                items += len(d.funcs)
                for f in d.funcs:
                    heads.append((4, "`%s.%s`" % (d.name, f.name)))
                    quotes += f.deprecated is not None
                    if f.params:
                        tables.append((6, len(f.params)))
                    if isinstance(f.result, list) and f.result:
                        tables.append((6, len(f.result)))
            elif kind == "struct" and d.fields:
                tables.append((6, len(d.fields)))
            elif kind == "enum":
                tables.append((3, len(d.members)))
    return heads, tables, quotes, items


MERMAID_NODE = re.compile(r'^  (n\d+)(\(\["(.*)"\]\)|\["(.*)"\])$')
MERMAID_EDGE = re.compile(r'^  (n\d+) (-->|-\.->)(?:\|"([^"]*)"\|)? (n\d+)$')


def check_doc(spec, outdir, ctx):
    problems = []
    stem = spec.file_stem
    md_path = os.path.join(outdir, stem + ".md")
    dot_path = os.path.join(outdir, stem + ".dot")
    try:
        with open(md_path, encoding="utf-8") as f:
            md = f.read()
    except (OSError, UnicodeDecodeError) as e:
        return ["cannot read %s: %s" % (md_path, e)]
    heads, tables, fences, quotes, items, probs = md_structure(md)
    problems.extend(probs)
    want_heads, want_tables, want_quotes, want_items = expected_doc(spec)
    if not heads or heads[0][0] != 1:
        problems.append("the document does not start with its title heading")
    got = [h for h in heads[1:]]
    if got != want_heads:
        problems.append("headings differ: want %r, got %r" % (want_heads[:40], got[:40]))
    if [h for h in heads if h[0] == 1].__len__() != 1:
        problems.append("%d level-1 headings" % len([h for h in heads if h[0] == 1]))
    shape = [(cols, len(rows)) for cols, rows in tables]
    if shape != want_tables:
        problems.append("tables differ: want %r, got %r" % (want_tables, shape))
    for cols, rows in tables:
        for i, r in enumerate(rows):
            if r != cols:
                problems.append("a table row has %d cells, its header %d" % (r, cols))
                break
    if quotes != want_quotes:
        problems.append("%d block quotes, want %d (one per deprecation of a declaration)" % (quotes, want_quotes))
    if items != want_items:
        problems.append("%d list items, want %d (one per function)" % (items, want_items))
    names, kinds, edges = graph_model(spec)
    infos = [i for i, _ in fences]
    want_infos = (["mermaid"] if names else []) + ["json"] * sum(
        len(d.funcs) for d in spec.decls if d.kind == "controller")
    if [i for i in infos if i != "json"] != [i for i in want_infos if i != "json"] or \
            infos.count("json") > want_infos.count("json"):
        problems.append("code fences differ: want %r, got %r" % (want_infos, infos))
    for info, body in fences:
        if info == "json":
            try:
                json.loads("\n".join(body))
            except ValueError as e:
                problems.append("an example event is not JSON: %s" % e)
        if info == "mermaid":
            problems.extend(check_mermaid(body, names, kinds, edges))
    problems.extend(check_dot(dot_path, names, edges, ctx))
    return problems


def check_mermaid(body, names, kinds, edges):
    problems = []
    if not body or body[0] != "flowchart LR":
        return ["the Mermaid block does not start with 'flowchart LR'"]
    ids = {}
    got_edges = []
    for line in body[1:]:
        m = MERMAID_NODE.match(line)
        if m:
            label = m.group(3) if m.group(3) is not None else m.group(4)
            ids[m.group(1)] = label
            continue
        m = MERMAID_EDGE.match(line)
        if m:
            if m.group(1) not in ids or m.group(4) not in ids:
                problems.append("Mermaid edge to an undeclared node: %r" % line)
                continue
            got_edges.append((ids[m.group(1)], ids[m.group(4)]))
            continue
        problems.append("Mermaid line not understood: %r" % line)
    if sorted(ids.values()) != sorted(names):
        problems.append("Mermaid nodes differ: want %r, got %r" % (names, list(ids.values())))
    if sorted(got_edges) != sorted(edges):
        problems.append("Mermaid edges differ: want %r, got %r" % (edges, got_edges))
    return problems


def check_dot(path, names, edges, ctx):
    rc, out, err = run(["dot", "-Tplain", path])
    if rc != 0 or err.strip():
        return ["dot rejects the graph: %s" % text(err)[:300]]
    got_nodes, got_edges = [], []
    for line in text(out).replace("\\\n", "").splitlines():
        try:
            parts = shlex.split(line)
        except ValueError:
            return ["cannot read dot -Tplain's line %r" % line[:200]]
        if parts and parts[0] == "node" and len(parts) > 1:
            got_nodes.append(parts[1])
        elif parts and parts[0] == "edge" and len(parts) > 2:
            got_edges.append((parts[1], parts[2]))
    problems = []
    if sorted(got_nodes) != sorted(names):
        problems.append("DOT nodes differ: want %r, got %r" % (names, got_nodes))
    if sorted(got_edges) != sorted(edges):
        problems.append("DOT edges differ: want %r, got %r" % (edges, got_edges))
    return problems


def json_strings(v, out):
    if isinstance(v, str):
        out.add(v)
    elif isinstance(v, list):
        for x in v:
            json_strings(x, out)
    elif isinstance(v, dict):
        for k, x in v.items():
            out.add(k)
            json_strings(x, out)
    return out


def spec_texts(spec):
    """Texts of spec that the JSON documents carry: (what, text)."""
    texts = []

    def fields(fs, where):
        for f in fs:
            if where:
                texts.append(("wire name", f.wire))
            if f.doc:
                texts.append(("doc", "\n".join(f.doc)))
            if f.default and f.default[0] == "string":
                texts.append(("default", f.default[1]))
    for d in spec.decls:
        if d.kind == "controller":
            for f in d.funcs:
                fields(f.params, True)
                if f.doc:
                    texts.append(("doc", "\n".join(f.doc)))
                if isinstance(f.result, list):
                    fields(f.result, True)
    return texts


def too_long(rc, err):
    """A document ctlc could not write because a controller's name is longer
    than a file name may be (255 bytes): a known limit, not a failure."""
    return rc == 2 and b"File name too long" in err


def check_json_docs(spec, outdir, ctlc, note=lambda what: None):
    """ctlc schema, asyncapi and iam: JSON that parses and holds the texts."""
    problems = []
    sdir = os.path.join(outdir, "schema")
    os.makedirs(sdir, exist_ok=True)
    path = os.path.join(outdir, spec.file_name)
    rc, out, err = run([ctlc, "schema", "-o", sdir, path])
    controllers = [d.name for d in spec.decls if d.kind == "controller"]
    strings = set()
    if too_long(rc, err):
        note("schema not written: a controller's name is too long for a file name")
    elif rc != 0:
        problems.append("ctlc schema exited %d: %s" % (rc, text(err)[:300]))
    else:
        for c in controllers:
            p = os.path.join(sdir, c + ".schema.json")
            try:
                with open(p, encoding="utf-8") as f:
                    json_strings(json.load(f), strings)
            except (OSError, ValueError) as e:
                problems.append("schema of %s: %s" % (c, e))
        if sorted(os.listdir(sdir)) != sorted(c + ".schema.json" for c in controllers):
            problems.append("schema files %r, want one per controller" % sorted(os.listdir(sdir)))
        for what, t in spec_texts(spec):
            if not any(t in s for s in strings):
                problems.append("the schema lost a %s: %r" % (what, t[:60]))
                break
    apath = os.path.join(outdir, "asyncapi.json")
    rc, out, err = run([ctlc, "asyncapi", "-o", apath, path])
    if rc != 0:
        problems.append("ctlc asyncapi exited %d: %s" % (rc, text(err)[:300]))
    else:
        try:
            with open(apath, encoding="utf-8") as f:
                doc = json.load(f)
            strings = json_strings(doc, set())
            for what, t in spec_texts(spec):
                if what != "doc" and not any(t in s for s in strings):
                    problems.append("the AsyncAPI document lost a %s: %r" % (what, t[:60]))
                    break
        except (OSError, ValueError) as e:
            problems.append("asyncapi: %s" % e)
    rc, out, err = run([ctlc, "iam", path])
    if rc != 0:
        problems.append("ctlc iam exited %d: %s" % (rc, text(err)[:300]))
    else:
        try:
            json.loads(text(out))
        except ValueError as e:
            problems.append("iam: %s" % e)
    return problems


# ---- one spec ---------------------------------------------------------------------------

def write_spec(spec, d, import_names=None):
    """Writes spec and the specs it imports into folder d."""
    os.makedirs(d, exist_ok=True)
    for imp in spec.all_specs()[1:]:
        with open(os.path.join(d, imp.file_name), "w", encoding="utf-8") as f:
            f.write(gen_spec.render(imp, import_names))
    with open(os.path.join(d, spec.file_name), "w", encoding="utf-8") as f:
        f.write(gen_spec.render(spec, import_names))


def stem_is_hostile(stem):
    return re.search(r"[^A-Za-z0-9_]", stem) is not None


def reasons_and_docs(spec):
    """Every deprecation reason and doc line of spec and its imports."""
    out = []
    for s in spec.all_specs():
        out.extend(s.doc or [])
        if isinstance(s.package_deprecated, str):
            out.append(s.package_deprecated)
        for d in s.decls:
            things = [d] + d.members + d.fields + d.funcs
            for f in d.funcs:
                things += f.params + (f.result if isinstance(f.result, list) else [])
            for t in things:
                out.extend(t.doc or [])
                if isinstance(t.deprecated, str):
                    out.append(t.deprecated)
    return out




def classify_c_errors(err, spec):
    """A cause for the compiler's complaints, from the first error:
    "c-compile: MESSAGE" (quoted names blanked)."""
    errs = [l for l in err.splitlines() if re.search(r": (fatal )?error: ", l)]
    first = errs[0] if errs else (err.strip().splitlines() or ["?"])[0]
    msg = re.sub(r"^.*?: (fatal )?error: ", "", first)
    key = re.sub(r"'[^']*'", "'X'", msg)
    key = re.sub(r'"[^"]*"', '"X"', key)
    return "c-compile: " + key[:120], key


class Runner:
    def __init__(self, opts):
        self.o = opts
        self.lock = threading.Lock()
        self.local = threading.local()   # .minimizing: counts stay as they were
        self.counts = {}
        self.causes = {}        # cause -> [seeds]
        self.rejections = {}    # check's first error kind -> count
        self.minimized = {}     # cause -> number minimised
        self.failed_seeds = []

    def count(self, key, n=1):
        if getattr(self.local, "minimizing", False):
            return
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + n

    # -- stages of one spec; each raises Failure --

    def check(self, spec, d):
        rc, out, err = run([self.o.ctlc, "check", os.path.join(d, spec.file_name)])
        if rc not in (0, 1):
            raise Failure("check-crash", "ctlc check exited %d:\n%s" % (rc, text(err)), "check")
        return rc, text(err)

    def gen_c(self, spec, d):
        files = [os.path.join(d, s.file_name) for s in spec.all_specs()]
        rc, out, err = run([self.o.ctlc, "c", "-o", d] + files)
        if rc != 0:
            if any(stem_is_hostile(s.file_stem) for s in spec.all_specs()) and rc in (1, 2) and \
                    re.search(r"^ctlc: error: .*file name", text(err), re.M | re.S):
                return "refused-file-name", text(err)
            raise Failure("c-emit", "ctlc c exited %d:\n%s" % (rc, text(err)), "c")
        handlers = []
        for s in spec.all_specs():
            if not any(x.kind == "controller" for x in s.decls):
                continue
            rc, out, err = run([self.o.ctlc, "c", "--scaffold", "-o", d, os.path.join(d, s.file_name)])
            if rc != 0:
                raise Failure("c-scaffold", "ctlc c --scaffold exited %d:\n%s" % (rc, text(err)), "c")
            handlers.append((s, os.path.join(d, s.file_stem + "_handlers.c")))
        return "ok", handlers

    def compile_batch(self, items, compiler, flags):
        """items: [(key, [sources], cwd)]. One compiler run for all; returns
        {key: stderr text of that item's files or None when clean}."""
        if not items:
            return {}, None
        objdir = tempfile.mkdtemp(prefix="obj-", dir=self.o.work)
        args = [compiler] + flags + ["-I" + d for d in self.o.include]
        srcs = []
        for key, files, _ in items:
            srcs.extend(files)
        rc, out, err = run(args + srcs, cwd=objdir, timeout=600)
        result = {}
        err_t = text(err)
        if rc == 0:
            return {key: None for key, _, _ in items}, objdir
        owners = sorted(((cwd + "/", key) for key, _, cwd in items), key=lambda x: -len(x[0]))
        mine = {key: [] for key, _, _ in items}
        current = None
        for line in err_t.splitlines():
            for prefix, key in owners:
                i = line.find(prefix)
                if i >= 0 and (i == 0 or line.startswith("In file included from") or line[i - 1] == " "):
                    current = key
                    break
            if current is not None:
                mine[current].append(line)
        for key, _, _ in items:
            result[key] = "\n".join(mine[key]) if mine[key] else None
        if all(v is None for v in result.values()):
            # something failed that no file owns (a driver error): blame all
            for key in result:
                result[key] = err_t[:4000]
        return result, objdir

    def link(self, compiler, objs, out):
        # libctl_aws.a beside libctl.a: the part generated code names when
        # its stubs may reach a controller not hosted (runtime/README.md, "Parts").
        aws = os.path.join(os.path.dirname(self.o.libctl), "libctl_aws.a")
        rc, o, err = run([compiler, "-o", out] + objs + [aws, self.o.libctl] + LIBS)
        return None if rc == 0 else text(err)

    def invoke(self, binary, controller, event):
        rc, out, err = run([binary, "invoke", "--controller", controller, "-"], stdin=event.encode("utf-8"), timeout=30)
        return rc, text(out).strip(), text(err).strip()

    # -- the whole pipeline for a batch of seeds --

    def run_batch(self, seeds):
        results = {}
        prepared = []
        for seed in seeds:
            r = {"seed": seed}
            try:
                self.prepare(r)
            except Failure as f:
                r["failure"] = f
                r.pop("compile", None)
            except Exception as e:  # a bug of the harness itself
                import traceback
                r["failure"] = Failure("harness-error", traceback.format_exc(), "harness")
                r.pop("compile", None)
            results[seed] = r
            if r.get("compile"):
                prepared.append(r)
        self.compile_all(prepared)
        for r in prepared:
            if "failure" in r:
                continue
            try:
                self.after_compile(r)
            except Failure as f:
                r["failure"] = f
            except Exception:
                import traceback
                r["failure"] = Failure("harness-error", traceback.format_exc(), "harness")
        for seed in seeds:
            self.record(results[seed])
        return results

    def prepare(self, r):
        seed = r["seed"]
        spec = gen_spec.generate(seed)
        base = os.path.join(self.o.work, "s%d" % seed)
        shutil.rmtree(base, ignore_errors=True)
        hd = os.path.join(base, "h")
        r.update({"spec": spec, "dir": hd, "base": base})
        write_spec(spec, hd)
        self.count("generated")
        rc, err = self.check(spec, hd)
        if spec.refused:
            if rc == 0:
                raise Failure("lexer-accepts", "a spec with %s in a literal passed check" % spec.refused, "check")
            r["outcome"] = "refused as expected"
            self.count("refused-as-expected (hostile literal)")
            return
        if rc != 0:
            m = re.search(r": error: (.*)", err)
            kind = "C names" if m and ("C name" in m.group(1) or "C member" in m.group(1) or
                                        "every C name" in m.group(1) or "starts every C name" in m.group(1)) else \
                "other errors"
            with self.lock:
                self.rejections[kind] = self.rejections.get(kind, 0) + 1
            r["outcome"] = "rejected"
            r["check_err"] = err
            return
        self.count("accepted")
        # documents for reviewers
        probs = check_json_docs(spec, hd, self.o.ctlc, self.count)
        ddir = os.path.join(base, "doc")
        os.makedirs(ddir, exist_ok=True)
        rc, out, derr = run([self.o.ctlc, "doc", "-o", ddir, os.path.join(hd, spec.file_name)])
        if rc != 0:
            probs.append("ctlc doc exited %d: %s" % (rc, text(derr)[:300]))
        else:
            probs.extend(check_doc(spec, ddir, self))
        if probs:
            r["doc_failure"] = Failure("docs: " + classify_doc(probs[0]), "\n".join(probs), "docs")
        # C
        status, handlers = self.gen_c(spec, hd)
        if status == "refused-file-name":
            r["outcome"] = "c refused the file name"
            self.count("ctlc c refused a file name")
            return
        r["handlers"] = handlers
        r["compile"] = True
        # the clean twin, when there is hostile text
        if spec.hostile and gen_spec.has_hostile_text(spec):
            twin = gen_spec.generate(seed)
            for i, s in enumerate(twin.all_specs()):
                gen_spec.strip_texts(s, ("c%d" % seed) if i == 0 else ("cl%d_%d" % (seed, i)))
            cd = os.path.join(base, "c")
            write_spec(twin, cd)
            st, th = self.gen_c(twin, cd)
            r["twin"] = twin
            r["twin_dir"] = cd
            r["twin_handlers"] = th
        return

    def sources(self, spec, d, handlers, main_file):
        srcs = [os.path.join(d, s.file_name + ".c") for s in spec.all_specs()]
        srcs += [h for _, h in handlers]
        if main_file:
            srcs.append(main_file)
        return srcs

    def compile_all(self, prepared):
        """gcc and clang on every spec of the batch, one run each; then links."""
        if not prepared:
            return
        for r in prepared:
            spec, d = r["spec"], r["dir"]
            handlers = r["handlers"]
            main_file = None
            if not any(hs is spec for hs, _ in handlers):
                main_file = os.path.join(d, "props_main_%d.c" % r["seed"])
                with open(main_file, "w") as f:
                    f.write("/* no controller to host: a main that links the stubs */\n"
                            "int main(void)\n{\n    return 0;\n}\n")
            r["main_file"] = main_file
            # lib scaffolds keep their handlers, their main is renamed
            r["srcs"] = self.sources(spec, d, handlers, main_file)
            if "twin" in r:
                tmain = None
                if not any(hs is r["twin"] for hs, _ in r["twin_handlers"]):
                    tmain = os.path.join(r["twin_dir"], "props_main_c%d.c" % r["seed"])
                    shutil.copy(main_file, tmain)
                r["twin_srcs"] = self.sources(r["twin"], r["twin_dir"], r["twin_handlers"], tmain)
        for compiler in self.o.compilers:
            items = []
            for r in prepared:
                items.append((("h", r["seed"]), r["srcs"], r["dir"]))
                if compiler == self.o.compilers[0] and "twin" in r:
                    items.append((("c", r["seed"]), r["twin_srcs"], r["twin_dir"]))
            # a lib's scaffold has a main of its own: rename it
            flags = CFLAGS + ["-c"]
            res, objdir = self.compile_files(compiler, flags, items, prepared)
            for r in prepared:
                if "failure" in r:
                    continue
                err = res.get(("h", r["seed"]))
                if err:
                    cause, key = classify_c_errors(err, r["spec"])
                    r["failure"] = Failure(cause, "%s:\n%s" % (compiler, err), compiler)
                    continue
                objs = [os.path.join(objdir, os.path.basename(s)[:-2] + ".o") for s in r["srcs"]]
                bin_path = os.path.join(r["base"], "bin-" + os.path.basename(compiler))
                lerr = self.link(compiler, objs, bin_path)
                if lerr:
                    cause, key = classify_c_errors(lerr, r["spec"])
                    r["failure"] = Failure("link: " + cause, "%s link:\n%s" % (compiler, lerr), compiler)
                    continue
                r.setdefault("bins", {})[compiler] = bin_path
                if ("c", r["seed"]) in res:
                    terr = res[("c", r["seed"])]
                    if terr:
                        cause, key = classify_c_errors(terr, r["twin"])
                        r["failure"] = Failure("twin " + cause, terr, compiler)
                        continue
                    tobjs = [os.path.join(objdir, os.path.basename(s)[:-2] + ".o") for s in r["twin_srcs"]]
                    tbin = os.path.join(r["base"], "bin-clean")
                    lerr = self.link(compiler, tobjs, tbin)
                    if lerr:
                        r["failure"] = Failure("twin link", lerr, compiler)
                        continue
                    r["twin_bin"] = tbin
            remove(objdir)
        # the C in gcc's default mode (gnu17): the C library shows more names
        # there (index, random, M_PI, ...) than under -std=c11
        if self.o.gnu:
            items = [(("h", r["seed"]), r["srcs"], r["dir"]) for r in prepared if "failure" not in r]
            if items:
                res, objdir = self.compile_batch(items, self.o.compilers[0], GNUFLAGS)
                remove(objdir)
                for r in prepared:
                    err = res.get(("h", r["seed"]))
                    if err and "failure" not in r:
                        cause, key = classify_c_errors(err, r["spec"])
                        if cause.startswith("c-compile"):
                            cause = "gnu17: " + key[:100]
                        r["failure"] = Failure(cause, "gcc -std=gnu17:\n" + err, "gnu17")
        # the headers as C++
        items = []
        for r in prepared:
            if "failure" in r:
                continue
            cpp = os.path.join(r["dir"], "props_cxx_%d.cpp" % r["seed"])
            with open(cpp, "w", encoding="utf-8") as f:
                for s in r["spec"].all_specs():
                    f.write("#include \"%s\"\n" % (s.file_name + ".h").replace("\\", "\\\\").replace("\"", "\\\""))
                f.write("int props_cxx_%d;\n" % r["seed"])
            items.append((("h", r["seed"]), [cpp], r["dir"]))
        if items:
            res, objdir = self.compile_batch(items, self.o.cxx, CXXFLAGS)
            remove(objdir)
            for r in prepared:
                err = res.get(("h", r["seed"]))
                if err and "failure" not in r:
                    cause, key = classify_c_errors(err, r["spec"])
                    if cause.startswith("c-compile"):
                        cause = "cxx: " + key[:100]
                    r["failure"] = Failure(cause, "g++:\n" + err, "g++")

    def compile_files(self, compiler, flags, items, prepared):
        """Compiles the items' files in one run, a lib scaffold's main renamed
        through a wrapper that includes it."""
        wrapped = []
        for key, files, cwd in items:
            out = []
            for f in files:
                base = os.path.basename(f)
                if base.endswith("_handlers.c") and not base.startswith(("s%d" % key[1], "c%d" % key[1])):
                    # an imported spec's scaffold: its main would clash
                    w = f[:-2] + "_nomain.c"
                    with open(w, "w", encoding="utf-8") as fh:
                        fh.write("#define main props_lib_main\n#include \"%s\"\n" %
                                 base.replace("\\", "\\\\").replace("\"", "\\\""))
                    out.append(w)
                else:
                    out.append(f)
            wrapped.append((key, out, cwd))
            for r in prepared:
                if key == ("h", r["seed"]):
                    r["srcs"] = out
                elif key == ("c", r["seed"]):
                    r["twin_srcs"] = out
        return self.compile_batch(wrapped, compiler, flags)

    def after_compile(self, r):
        spec = r["spec"]
        bins = r.get("bins", {})
        if not bins:
            return
        self.count("compiled and linked")
        binary = bins[self.o.compilers[0]]
        evs = gen_spec.events(spec, r["seed"], per_func=self.o.events)
        twin_bin = r.get("twin_bin")
        for ctrl, ev, valid, note in evs:
            rc, out, err = self.invoke(binary, ctrl, ev)
            self.count("events run")
            try:
                answer = json.loads(out) if out else None
            except ValueError:
                raise Failure("dispatch: not JSON", "event %s\nanswer %r\nstderr %s" % (ev, out, err), "invoke")
            etype = answer.get("errorType") if isinstance(answer, dict) and rc == 1 else None
            if rc not in (0, 1):
                raise Failure("dispatch: exit %d" % rc, "event %s\nanswer %r\nstderr %s" % (ev, out, err), "invoke")
            if valid and etype in REFUSED:
                raise Failure("dispatch: valid event refused",
                              "controller %s\nevent %s\nanswer %s" % (ctrl, ev, out), "invoke")
            if not valid and etype not in REFUSED:
                raise Failure("dispatch: invalid event taken",
                              "controller %s\nevent %s (%s)\nanswer %s" % (ctrl, ev, note, out), "invoke")
            if twin_bin:
                rc2, out2, err2 = self.invoke(twin_bin, ctrl, ev)
                if (rc, out) != (rc2, out2):
                    raise Failure("dispatch: hostile text changed a verdict",
                                  "controller %s\nevent %s\nwith texts: [%d] %s\nwithout:    [%d] %s" %
                                  (ctrl, ev, rc, out, rc2, out2), "invoke")
        if twin_bin:
            self.count("compared with the clean twin")

    def record(self, r):
        fails = [x for x in (r.get("failure"), r.get("doc_failure")) if x]
        for f in fails:
            with self.lock:
                self.causes.setdefault(f.cause, []).append(r["seed"])
                first = len(self.causes[f.cause]) == 1
                self.failed_seeds.append(r["seed"])
            self.write_failure(r, f, minimize=(first or len(self.causes[f.cause]) <= self.o.minimize_per_cause))
        if not self.o.keep and r.get("base"):
            shutil.rmtree(r["base"], ignore_errors=True)

    # -- failures --

    def write_failure(self, r, f, minimize):
        seed = r["seed"]
        slug = re.sub(r"[^A-Za-z0-9]+", "-", f.cause).strip("-")[:60]
        d = os.path.join(self.o.out, slug, "seed-%d" % seed)
        os.makedirs(d, exist_ok=True)
        spec = r["spec"]
        for s in spec.all_specs():
            with open(os.path.join(d, s.file_name), "w", encoding="utf-8") as fh:
                fh.write(gen_spec.render(s))
        with open(os.path.join(d, "FAILURE.txt"), "w", encoding="utf-8") as fh:
            fh.write("seed %d: %s\nstage: %s\n\n%s\n" % (seed, f.cause, f.stage, f.detail[:20000]))
        if minimize and self.o.minimize:
            self.local.minimizing = True
            try:
                small = self.minimize(seed, f)
            finally:
                self.local.minimizing = False
            if small is not None:
                md = os.path.join(d, "minimal")
                os.makedirs(md, exist_ok=True)
                for s in small[0].all_specs():
                    with open(os.path.join(md, s.file_name), "w", encoding="utf-8") as fh:
                        fh.write(gen_spec.render(s))
                with open(os.path.join(md, "FAILURE.txt"), "w", encoding="utf-8") as fh:
                    fh.write("%s\n\n%s\n" % (small[1].cause, small[1].detail[:20000]))

    def still_fails(self, spec, cause):
        """Runs one spec alone; the Failure of the same cause, or None."""
        seed = spec.seed
        base = tempfile.mkdtemp(prefix="min-", dir=self.o.work)
        try:
            hd = os.path.join(base, "h")
            write_spec(spec, hd)
            rc, err = self.check(spec, hd)
            if rc != 0:
                return None
            if cause.startswith("docs"):
                probs = check_json_docs(spec, hd, self.o.ctlc)
                ddir = os.path.join(base, "doc")
                os.makedirs(ddir, exist_ok=True)
                rc, out, derr = run([self.o.ctlc, "doc", "-o", ddir, os.path.join(hd, spec.file_name)])
                if rc == 0:
                    probs.extend(check_doc(spec, ddir, self))
                if probs and "docs: " + classify_doc(probs[0]) == cause:
                    return Failure(cause, "\n".join(probs), "docs")
                return None
            r = {"seed": seed, "spec": spec, "dir": hd, "base": base}
            status, handlers = self.gen_c(spec, hd)
            if status != "ok":
                return None
            r["handlers"] = handlers
            r["compile"] = True
            self.compile_all([r])
            if "failure" not in r:
                self.after_compile(r)
            f = r.get("failure")
            return f if f and f.cause == cause else None
        except Failure as f:
            return f if f.cause == cause else None
        finally:
            shutil.rmtree(base, ignore_errors=True)

    def minimize(self, seed, failure):
        """Drops parts of the spec while it fails with the same cause."""
        if failure.cause.startswith("dispatch: hostile"):
            return None  # needs the twin; the full spec is written already
        spec = gen_spec.generate(seed)
        spec.seed = seed
        if self.still_fails(spec, failure.cause) is None:
            return None
        last = failure
        budget = [self.o.minimize_steps]

        def attempt(mutate):
            if budget[0] <= 0:
                return False
            budget[0] -= 1
            trial = copy.deepcopy(spec_box[0])
            if not mutate(trial):
                return False
            f = self.still_fails(trial, failure.cause)
            if f is None:
                return False
            spec_box[0] = trial
            spec_box[1] = f
            return True

        spec_box = [spec, last]
        changed = True
        while changed and budget[0] > 0:
            changed = False
            for path in list(removal_paths(spec_box[0])):
                if attempt(lambda t, p=path: remove_at(t, p)):
                    changed = True
        return spec_box[0], spec_box[1]

    # -- the whole run --

    def summary(self):
        c = self.counts
        lines = ["specs generated:            %d" % c.get("generated", 0),
                 "  refused by the lexer, as they must be: %d" % c.get("refused-as-expected (hostile literal)", 0),
                 "  rejected by ctlc check:   %d (%s)" % (sum(self.rejections.values()), ", ".join(
                     "%s %d" % kv for kv in sorted(self.rejections.items()))),
                 "  accepted by ctlc check:   %d" % c.get("accepted", 0),
                 "  ctlc c refused a file name: %d" % c.get("ctlc c refused a file name", 0),
                 "  compiled (gcc, clang, g++ header) and linked: %d" % c.get("compiled and linked", 0),
                 "  compared with their clean twin: %d" % c.get("compared with the clean twin", 0),
                 "events run:                 %d" % c.get("events run", 0)]
        if self.causes:
            lines.append("FAILURES:")
            for cause, seeds in sorted(self.causes.items()):
                lines.append("  %4d  %s  (seeds %s)" % (len(seeds), cause, " ".join(map(str, seeds[:6]))))
            lines.append("written to %s" % self.o.out)
        else:
            lines.append("no unexpected failure")
        return "\n".join(lines)


def classify_doc(problem):
    p = re.sub(r"^line \d+: ", "", problem)
    p = re.sub(r"[:(].*$", "", p)
    p = re.sub(r"\d+", "N", p)
    return p.strip()[:60]


# ---- minimisation: the parts of a spec that can go ---------------------------------------

def removal_paths(spec):
    """Paths of things remove_at can drop, biggest first."""
    paths = []
    for si, s in enumerate(spec.all_specs()):
        if si > 0:
            paths.append(("import", si))
        for di, d in enumerate(s.decls):
            paths.append(("decl", si, di))
    for si, s in enumerate(spec.all_specs()):
        for di, d in enumerate(s.decls):
            for fi, f in enumerate(d.funcs):
                paths.append(("func", si, di, fi))
            for ui in range(len(d.uses)):
                paths.append(("use", si, di, ui))
            for mi in range(len(d.members)):
                paths.append(("member", si, di, mi))
            for fi in range(len(d.fields)):
                paths.append(("field", si, di, None, fi))
            for fi, f in enumerate(d.funcs):
                for k in range(len(f.params)):
                    paths.append(("field", si, di, (fi, "params"), k))
                if isinstance(f.result, list):
                    for k in range(len(f.result)):
                        paths.append(("field", si, di, (fi, "result"), k))
                paths.append(("result", si, di, fi))
            paths.append(("texts", si, di))
        paths.append(("package-text", si))
    # later removals first inside one list keep earlier indexes valid
    return list(reversed(paths))


def remove_at(spec, path):
    specs = spec.all_specs()
    kind = path[0]
    try:
        if kind == "import":
            victim = specs[path[1]]
            for s in specs:
                if victim in s.imports:
                    s.imports.remove(victim)
            return True
        s = specs[path[1]]
        if kind == "package-text":
            if s.doc is None and s.package_deprecated in (None, True):
                return False
            s.doc = None
            s.package_deprecated = None
            return True
        d = s.decls[path[2]]
        if kind == "decl":
            s.decls.pop(path[2])
            return True
        if kind == "func":
            d.funcs.pop(path[3])
            return True
        if kind == "use":
            d.uses.pop(path[3])
            return True
        if kind == "member":
            if len(d.members) < 2:
                return False
            d.members.pop(path[3])
            return True
        if kind == "field":
            if path[3] is None:
                d.fields.pop(path[4])
            else:
                fi, which = path[3]
                getattr(d.funcs[fi], which).pop(path[4])
            return True
        if kind == "result":
            if d.funcs[path[3]].result is None:
                return False
            d.funcs[path[3]].result = None
            return True
        if kind == "texts":
            if d.doc is None and d.deprecated is None:
                return False
            d.doc = None
            d.deprecated = None
            return True
    except (IndexError, AttributeError):
        return False
    return False


# ---- command line ------------------------------------------------------------------------

def main():
    root = os.path.dirname(os.path.dirname(HERE))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(root, "build"), help="the CMake build folder")
    ap.add_argument("--ctlc", help="ctlc (default BUILD/gen/ctlc)")
    ap.add_argument("--libctl", help="libctl.a (default BUILD/runtime/libctl.a)")
    ap.add_argument("--include", action="append",
                    help="a folder of libctl's headers (repeat it for the build's generated ctl/version.h); "
                         "default: runtime/include and build/runtime/include")
    ap.add_argument("--seed", type=int, default=1, help="the first seed")
    ap.add_argument("--count", type=int, default=100, help="how many specs (seeds SEED, SEED+1, ...)")
    ap.add_argument("--jobs", type=int, default=2, help="specs built at once (at most 2 on a shared machine)")
    ap.add_argument("--batch", type=int, default=8, help="specs per compiler run")
    ap.add_argument("--events", type=int, default=2, help="valid events per function (each with an invalid twin)")
    ap.add_argument("--compilers", default="gcc,clang", help="C compilers, comma-separated; the first also "
                    "builds the clean twins and checks -std=gnu17")
    ap.add_argument("--extra-cflags", default="", help="more flags for every C compile and link "
                    "(a sanitizer build's libctl needs its -fsanitize=...)")
    ap.add_argument("--cxx", default="g++")
    ap.add_argument("--no-gnu", dest="gnu", action="store_false",
                    help="skip the syntax check of the C in gcc's default mode (-std=gnu17)")
    ap.add_argument("--out", default=None, help="where failing specs go (default ./props-failures)")
    ap.add_argument("--work", default=None, help="scratch folder (default: a new temporary one)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder")
    ap.add_argument("--no-minimize", dest="minimize", action="store_false")
    ap.add_argument("--minimize-per-cause", type=int, default=2)
    ap.add_argument("--minimize-steps", type=int, default=150)
    ap.add_argument("--print", type=int, metavar="SEED", help="print the spec of SEED and exit")
    o = ap.parse_args()
    if o.print is not None:
        sp = gen_spec.generate(o.print)
        for s in reversed(sp.all_specs()):
            sys.stdout.write("==> %r <==\n%s\n" % (s.file_name, gen_spec.render(s)))
        return 0
    o.ctlc = os.path.abspath(o.ctlc or os.path.join(o.build, "gen", "ctlc"))
    o.libctl = os.path.abspath(o.libctl or os.path.join(o.build, "runtime", "libctl.a"))
    if not o.include:
        o.include = [os.path.join(root, "runtime", "include"), os.path.join(o.build, "runtime", "include")]
    o.include = [os.path.abspath(d) for d in o.include]
    o.compilers = [c for c in o.compilers.split(",") if c]
    global CFLAGS, GNUFLAGS, LIBS
    extra = o.extra_cflags.split()
    CFLAGS = CFLAGS + extra
    GNUFLAGS = GNUFLAGS + extra
    LIBS = extra + LIBS
    o.jobs = max(1, o.jobs)
    for p in (o.ctlc, o.libctl):
        if not os.path.exists(p):
            print("run.py: %s does not exist; build first or give --build" % p, file=sys.stderr)
            return 2
    for tool in o.compilers + [o.cxx, "dot"]:
        if shutil.which(tool) is None:
            print("SKIP: %s is not installed" % tool, file=sys.stderr)
            return 77
    o.out = os.path.abspath(o.out or "props-failures")
    made_work = o.work is None
    o.work = os.path.abspath(o.work or tempfile.mkdtemp(prefix="ctl-props-"))
    os.makedirs(o.work, exist_ok=True)
    if os.path.isdir(o.out):
        shutil.rmtree(o.out)
    runner = Runner(o)
    seeds = list(range(o.seed, o.seed + o.count))
    batches = [seeds[i:i + o.batch] for i in range(0, len(seeds), o.batch)]
    start = time.time()
    done = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=o.jobs) as pool:
        for _ in pool.map(runner.run_batch, batches):
            done += 1
            if sys.stderr.isatty() or done % 10 == 0 or done == len(batches):
                print("run.py: %d/%d specs, %.0f s" % (min(done * o.batch, len(seeds)), len(seeds),
                                                        time.time() - start), file=sys.stderr)
    print(runner.summary())
    print("seeds %d..%d in %.0f s" % (seeds[0], seeds[-1], time.time() - start))
    if made_work and not o.keep:
        shutil.rmtree(o.work, ignore_errors=True)
    return 1 if runner.causes else 0


if __name__ == "__main__":
    sys.exit(main())
