#!/usr/bin/env python3
"""client.py: a scripted LSP client for `ctlc lsp` (stdlib only).

    client.py CTLC SCENARIO GOLDEN_DIR

Runs one scenario (a list of steps, below) against `CTLC lsp`: each step
sends messages (or raw bytes) and reads a stated number of messages back.
The transcript (what each step received, then the exit status) is compared
with GOLDEN_DIR/SCENARIO.json; with CTL_BLESS=1 in the environment the
file is rewritten instead (review it with git diff). URIs of the test's
specs folder are written file:///ROOT (and its path /ROOT), so the files
hold no machine's path.

Scenarios:
  exchange   initialize (UTF-8 offered), open a spec with an error, its
             diagnostics, fix it (an incremental change), empty diagnostics, hover, definition into
             the imported spec, documentSymbol, formatting, references
             across the import, workspace symbols, completion in each
             context (tests/lsp/specs/audit.ctl), prepareRename and rename
             (free, refused, keeping wire names), code actions (quick
             fixes of did-you-means, a missing ';', a leading zero),
             shutdown, exit
  hostile    malformed frames and JSON, invalid UTF-8, requests before
             initialize, bad params (of every request), out-of-range
             positions and change ranges, UTF-16 columns on a non-ASCII
             line (hover, incremental changes), a huge Content-Length at
             the end
  deleted    an import deleted under the server (its error on the next
             check; definition, references, rename of what is gone), then
             open in the editor only, then closed: read from the disk again
  exit_early exit without shutdown: exit status 1
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
SPECS = os.path.join(HERE, "specs")
ROOT_URI = "file://" + urllib.parse.quote(SPECS)


def uri(name):
    return ROOT_URI + "/" + urllib.parse.quote(name)


def frame(msg):
    body = json.dumps(msg, ensure_ascii=False).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def req(id_, method, params=None):
    m = {"jsonrpc": "2.0", "id": id_, "method": method}
    if params is not None:
        m["params"] = params
    return frame(m)


def note(method, params=None):
    m = {"jsonrpc": "2.0", "method": method}
    if params is not None:
        m["params"] = params
    return frame(m)


def raw_body(body):
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def read_text(name):
    with open(os.path.join(SPECS, name), encoding="utf-8") as f:
        return f.read()


def pos(uri_, line, character):
    return {"textDocument": {"uri": uri_}, "position": {"line": line, "character": character}}


def find(text, needle, nth=0, utf16=False):
    """The LSP position of the nth occurrence of needle in text."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    line = text.count("\n", 0, at)
    start = text.rfind("\n", 0, at) + 1
    col = text[start:at]
    if utf16:
        return line, len(col.encode("utf-16-le")) // 2
    return line, len(col.encode("utf-8"))


def after(text, needle, nth=0):
    """The LSP position (UTF-16) just after the nth occurrence of needle."""
    line, col = find(text, needle, nth, utf16=True)
    return line, col + len(needle.encode("utf-16-le")) // 2


def rng(line, character, end_line, end_character):
    return {"start": {"line": line, "character": character}, "end": {"line": end_line, "character": end_character}}


def whole(text):
    """The LSP range of all of text."""
    return {"start": {"line": 0, "character": 0}, "end": {"line": text.count("\n"), "character": 0}}


def line_of(text, needle):
    return find(text, needle, utf16=True)[0]


def col_of(text, needle):
    return find(text, needle, utf16=True)[1]


def exchange():
    shop = uri("shop.ctl")
    good = read_text("shop.ctl")
    bad = good.replace("pay: Payment;", "pay: Paymnt;")
    common = uri("common.ctl")
    common_text = read_text("common.ctl")
    audit = uri("audit.ctl")
    audit_text = read_text("audit.ctl")
    audit_slips = (audit_text.replace("@retries(1)", "@retrys(1)").replace("what: Item;", "what: Iten;")
                   .replace("= card;", "= crd;").replace("uses audit.log", "uses audit.lg")
                   .replace('key: "id"', 'kee: "id"').replace("-> Item", "-> Itm"))
    audit_syntax = audit_text.replace("@retries(1)", "@retries(01)").replace("on: bool = true; }", "on: bool = true\n    }")
    caps = {"general": {"positionEncodings": ["utf-8", "utf-16"]}}
    return [
        ("initialize", req(1, "initialize", {"processId": None, "rootUri": ROOT_URI, "capabilities": caps}), 1),
        ("initialized", note("initialized", {}), 0),
        ("open with an error", note("textDocument/didOpen", {"textDocument": {
            "uri": shop, "languageId": "ctl", "version": 1, "text": bad}}), 1),
        ("code action on the error: the did-you-mean's quick fix", req(50, "textDocument/codeAction", {
            "textDocument": {"uri": shop}, "range": {"start": dict(zip(("line", "character"), find(bad, "Paymnt"))),
                                                     "end": dict(zip(("line", "character"), find(bad, "Paymnt")))},
            "context": {"diagnostics": []}}), 1),
        ("code action on the error asking only for refactorings: none", req(54, "textDocument/codeAction", {
            "textDocument": {"uri": shop}, "range": {"start": dict(zip(("line", "character"), find(bad, "Paymnt"))),
                                                     "end": dict(zip(("line", "character"), find(bad, "Paymnt")))},
            "context": {"diagnostics": [], "only": ["refactor"]}}), 1),
        ("code action away from the error: none", req(51, "textDocument/codeAction", {
            "textDocument": {"uri": shop}, "range": {"start": {"line": 0, "character": 0},
                                                     "end": {"line": 1, "character": 0}},
            "context": {"diagnostics": []}}), 1),
        ("fix it: an incremental change", note("textDocument/didChange", {
            "textDocument": {"uri": shop, "version": 2},
            "contentChanges": [{"range": rng(*find(bad, "Paymnt"), *after(bad, "Paymnt")), "text": "Payment"}]}), 1),
        ("hover on a function", req(2, "textDocument/hover", pos(shop, *find(good, "place"))), 1),
        ("hover on a field", req(3, "textDocument/hover", pos(shop, *find(good, "items"))), 1),
        ("hover on an imported struct", req(4, "textDocument/hover", pos(shop, *find(good, "Item>"))), 1),
        ("hover on the import", req(14, "textDocument/hover", pos(shop, *find(good, "common.ctl\";"))), 1),
        ("hover on nothing", req(5, "textDocument/hover", pos(shop, 0, 0)), 1),
        ("definition into the import", req(6, "textDocument/definition", pos(shop, *find(good, "Payment;"))), 1),
        ("definition of the import", req(7, "textDocument/definition", pos(shop, *find(good, "common.ctl\";"))), 1),
        ("documentSymbol", req(8, "textDocument/documentSymbol", {"textDocument": {"uri": shop}}), 1),
        ("formatting", req(9, "textDocument/formatting", {"textDocument": {"uri": shop},
                                                          "options": {"tabSize": 4, "insertSpaces": True}}), 1),
        ("open the imported spec: both published", note("textDocument/didOpen", {"textDocument": {
            "uri": common, "languageId": "ctl", "version": 1, "text": common_text}}), 2),
        ("hover on a field with constraints", req(11, "textDocument/hover", pos(common, *find(common_text, "sku:"))), 1),
        ("hover on a field with a default", req(12, "textDocument/hover", pos(common, *find(common_text, "count"))), 1),
        ("hover on an enum member", req(13, "textDocument/hover", pos(common, *find(common_text, "bank_transfer"))), 1),
        ("references to an enum from its spec, with the declaration", req(15, "textDocument/references", dict(
            pos(common, *find(common_text, "Payment")), context={"includeDeclaration": True})), 1),
        ("references to an enum member (a default), without the declaration", req(16, "textDocument/references",
            dict(pos(common, *find(common_text, "card")), context={"includeDeclaration": False})), 1),
        ("references to an imported struct from the importer", req(17, "textDocument/references", dict(
            pos(shop, *find(good, "Item>")), context={"includeDeclaration": True})), 1),
        ("workspace symbols matching 'pa'", req(18, "workspace/symbol", {"query": "pa"}), 1),
        ("open a spec to complete in", note("textDocument/didOpen", {"textDocument": {
            "uri": audit, "languageId": "ctl", "version": 1, "text": audit_text}}), 1),
    ] + [(title, req(100 + i, "textDocument/completion", pos(audit, *after(audit_text, needle))), 1)
         for i, (title, needle) in enumerate([
             ("completion: annotations after @", "@re"),
             ("completion: an annotation's argument names", "@idempotent("),
             ("completion: types after ':'", "what: "),
             ("completion: types starting with I", "what: I"),
             ("completion: an enum's members in a default", "Payment = "),
             ("completion: a bool's values in a default", "bool = t"),
             ("completion: structs after ->", "-> "),
             ("completion: controllers after uses", "ops uses "),
             ("completion: a controller's functions in uses", "ops uses audit."),
             ("completion: nothing in a comment", "// uses "),
             ("completion: nothing in a doc comment", "/// Au"),
             ("completion: nothing in a string", 'key: "i'),
         ])] + [
        ("prepareRename of an imported struct", req(30, "textDocument/prepareRename", pos(shop, *find(good, "Item>"))), 1),
        ("rename a struct across the import and its importers", req(31, "textDocument/rename", dict(
            pos(shop, *find(good, "Item>")), newName="Article")), 1),
        ("rename a field with @json: its wire name stays", req(32, "textDocument/rename", dict(
            pos(common, *find(common_text, "sku:")), newName="code")), 1),
        ("rename a field without @json: refused", req(33, "textDocument/rename", dict(
            pos(common, *find(common_text, "count")), newName="quantity")), 1),
        ("prepareRename of an enum member without @json: refused", req(34, "textDocument/prepareRename",
            pos(common, *find(common_text, "card"))), 1),
        ("prepareRename of a function: refused", req(35, "textDocument/prepareRename", pos(shop, *find(good, "place"))), 1),
        ("prepareRename of a controller: refused", req(36, "textDocument/prepareRename", pos(shop, *find(good, "orders {"))), 1),
        ("rename of an import: refused", req(42, "textDocument/rename", dict(
            pos(shop, *find(good, "common.ctl\";")), newName="x")), 1),
        ("rename to a keyword: refused", req(37, "textDocument/rename", dict(
            pos(shop, *find(good, "Item>")), newName="struct")), 1),
        ("rename to something not a name: refused", req(38, "textDocument/rename", dict(
            pos(shop, *find(good, "Item>")), newName="2x")), 1),
        ("the client asks to keep wire names", note("workspace/didChangeConfiguration", {
            "settings": {"ctl": {"keepWireNames": True}}}), 0),
        ("rename a field without @json, keeping its wire name", req(39, "textDocument/rename", dict(
            pos(common, *find(common_text, "count")), newName="quantity")), 1),
        ("rename a field named by an idempotency key, keeping its wire name", req(40, "textDocument/rename", dict(
            pos(audit, *find(audit_text, "id: string")), newName="ident")), 1),
        ("rename an enum member (a default names it), keeping its wire name", req(41, "textDocument/rename", dict(
            pos(common, *find(common_text, "card")), newName="credit_card")), 1),
        ("slips the checker suggests fixes for", note("textDocument/didChange", {
            "textDocument": {"uri": audit, "version": 2}, "contentChanges": [{"text": audit_slips}]}), 1),
        ("code actions over the whole spec: one quick fix each", req(52, "textDocument/codeAction", {
            "textDocument": {"uri": audit}, "range": whole(audit_slips), "context": {"diagnostics": []}}), 1),
        ("slips of syntax: a missing ';', a leading zero", note("textDocument/didChange", {
            "textDocument": {"uri": audit, "version": 3}, "contentChanges": [{"text": audit_syntax}]}), 1),
        ("code actions for them", req(53, "textDocument/codeAction", {
            "textDocument": {"uri": audit}, "range": whole(audit_syntax), "context": {"diagnostics": []}}), 1),
        ("a deprecated function used: the warning is tagged Deprecated", note("textDocument/didChange", {
            "textDocument": {"uri": audit, "version": 4}, "contentChanges": [{"text": audit_text.replace(
                "async fn drop {}", '@deprecated("gone") async fn drop {}').replace(
                "uses audit.log, audit;", "uses audit.log, audit.drop;")}]}), 1),
        ("close the spec of completion", note("textDocument/didClose", {"textDocument": {"uri": audit}}), 1),
        ("rename the enum in the import: the importer republished", note("textDocument/didChange", {
            "textDocument": {"uri": common, "version": 2},
            "contentChanges": [{"text": common_text.replace("enum Payment", "enum Pay")}]}), 2),
        ("a syntax error in the import: shown on the importer's import", note("textDocument/didChange", {
            "textDocument": {"uri": common, "version": 3},
            "contentChanges": [{"text": common_text.replace("count: int = 1;", "count: int = 1")}]}), 2),
        ("close the import: the importer reads the file again", note("textDocument/didClose", {
            "textDocument": {"uri": common}}), 2),
        ("close", note("textDocument/didClose", {"textDocument": {"uri": shop}}), 1),
        ("shutdown", req(10, "shutdown"), 1),
        ("exit", note("exit"), 0),
    ]


def hostile():
    doc = uri("unsaved.ctl")
    text = ('package u;\n'
            'struct S { @json("é𝄞x") a: string; b: Nope; }\n'
            'struct T { s: S; }\n')
    line, col = find(text, "Nope", utf16=True)
    sline, scol = find(text, "b: Nope", utf16=True)
    return [
        ("request before initialize", req(1, "textDocument/hover", pos(doc, 0, 0)), 1),
        ("notification before initialize (dropped)", note("textDocument/didOpen", {}), 0),
        ("header without a colon", b"Garbage\r\n\r\n", 1),
        ("Content-Length not a number", b"Content-Length: 12x\r\n\r\n", 1),
        ("no Content-Length", b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n", 1),
        ("header line too long", b"X-Long: " + b"a" * 5000 + b"\r\n\r\n", 1),
        ("body not JSON", raw_body(b"{nope"), 1),
        ("body not UTF-8", raw_body(b'{"jsonrpc":"2.0","id":2,"method":"x\xff"}'), 1),
        ("body not an object", raw_body(b"[1,2]"), 1),
        ("body of too many values", raw_body(b"[" + b"0," * (1 << 20) + b"0]"), 1),
        ("no jsonrpc member", raw_body(b'{"id":3,"method":"initialize"}'), 1),
        ("initialize, UTF-16 (nothing offered), keeping wire names", req(4, "initialize", {
            "capabilities": {}, "initializationOptions": {"keepWireNames": True}}), 1),
        ("initialize twice", req(5, "initialize", {"capabilities": {}}), 1),
        ("unknown method", req(6, "textDocument/semanticTokens/full", {"textDocument": {"uri": doc}}), 1),
        ("unknown notification (ignored)", note("workspace/didChangeConfiguration", {"settings": {}}), 0),
        ("open a file that is not on disk, error after non-ASCII", note("textDocument/didOpen", {"textDocument": {
            "uri": doc, "languageId": "ctl", "version": 1, "text": text}}), 1),
        ("hover after non-ASCII (UTF-16 column)", req(7, "textDocument/hover", pos(doc, sline, scol)), 1),
        ("hover between the halves of a surrogate pair (in a string: nothing)",
         req(16, "textDocument/hover", pos(doc, line_of(text, "𝄞"), col_of(text, "𝄞") + 1)), 1),
        ("hover without a position", req(8, "textDocument/hover", {"textDocument": {"uri": doc}}), 1),
        ("hover with a negative line", req(9, "textDocument/hover", pos(doc, -1, 0)), 1),
        ("hover past the last line", req(10, "textDocument/hover", pos(doc, 99, 0)), 1),
        ("hover past the end of a line (clamped)", req(11, "textDocument/hover", pos(doc, 2, 9999)), 1),
        ("references with a context that is not an object", req(18, "textDocument/references",
            dict(pos(doc, 0, 0), context=[])), 1),
        ("references with includeDeclaration not a boolean", req(19, "textDocument/references",
            dict(pos(doc, 0, 0), context={"includeDeclaration": 1})), 1),
        ("references past the last line", req(20, "textDocument/references",
            dict(pos(doc, 99, 0), context={"includeDeclaration": True})), 1),
        ("references on a document not open", req(21, "textDocument/references",
            dict(pos(uri("nope.ctl"), 0, 0), context={"includeDeclaration": True})), 1),
        ("completion without a position", req(24, "textDocument/completion", {"textDocument": {"uri": doc}}), 1),
        ("completion past the last line", req(25, "textDocument/completion", pos(doc, 99, 0)), 1),
        ("completion on a document not open", req(26, "textDocument/completion", pos(uri("nope.ctl"), 0, 0)), 1),
        ("completion past the end of a line (clamped)", req(27, "textDocument/completion", pos(doc, 1, 9999)), 1),
        ("rename a field without @json: keeps its wire name (initializationOptions)", req(42, "textDocument/rename",
            dict(pos(doc, *find(text, "s: S", utf16=True)), newName="shape")), 1),
        ("rename without newName", req(28, "textDocument/rename", pos(doc, 1, 8)), 1),
        ("rename with newName not a string", req(29, "textDocument/rename", dict(pos(doc, 1, 8), newName=5)), 1),
        ("rename with an empty newName", req(30, "textDocument/rename", dict(pos(doc, 1, 8), newName="")), 1),
        ("rename past the last line", req(31, "textDocument/rename", dict(pos(doc, 99, 0), newName="x")), 1),
        ("prepareRename on a document not open", req(32, "textDocument/prepareRename", pos(uri("nope.ctl"), 0, 0)), 1),
        ("prepareRename on nothing", req(33, "textDocument/prepareRename", pos(doc, 0, 0)), 1),
        ("rename on a keyword (nothing there)", req(34, "textDocument/rename", dict(pos(doc, 0, 0), newName="x")), 1),
        ("code action without a range", req(35, "textDocument/codeAction", {"textDocument": {"uri": doc}}), 1),
        ("code action with a range that ends before it starts", req(36, "textDocument/codeAction", {
            "textDocument": {"uri": doc}, "range": {"start": {"line": 1, "character": 5},
                                                    "end": {"line": 1, "character": 0}}}), 1),
        ("code action past the last line", req(37, "textDocument/codeAction", {
            "textDocument": {"uri": doc}, "range": {"start": {"line": 0, "character": 0},
                                                    "end": {"line": 99, "character": 0}}}), 1),
        ("code action with a start not an object", req(38, "textDocument/codeAction", {
            "textDocument": {"uri": doc}, "range": {"start": 1, "end": {"line": 0, "character": 0}}}), 1),
        ("code action over an error without a suggestion: none", req(39, "textDocument/codeAction", {
            "textDocument": {"uri": doc}, "range": {"start": {"line": line, "character": col},
                                                    "end": {"line": line, "character": col}}}), 1),
        ("an incremental change in UTF-16 columns after non-ASCII: the error goes", note("textDocument/didChange", {
            "textDocument": {"uri": doc, "version": 2},
            "contentChanges": [{"range": rng(line, col, line, col + 4), "text": "string"}]}), 1),
        ("two changes in one: the second in the text the first left", note("textDocument/didChange", {
            "textDocument": {"uri": doc, "version": 3},
            "contentChanges": [{"range": rng(line, col, line, col + 6), "text": "Nope"},
                               {"range": rng(line, col + 4, line, col + 4), "text": "s"}]}), 1),
        ("the text the two changes made (formatting shows it: Nopes)", req(40, "textDocument/formatting", {
            "textDocument": {"uri": doc}, "options": {"tabSize": 4, "insertSpaces": True}}), 1),
        ("a change with a range past the last line: logged, the document unchanged", note("textDocument/didChange", {
            "textDocument": {"uri": doc, "version": 4},
            "contentChanges": [{"range": rng(0, 0, 0, 1), "text": "x"}, {"range": rng(99, 0, 99, 1), "text": "x"}]}), 1),
        ("a change whose range ends before it starts (logged)", note("textDocument/didChange", {
            "textDocument": {"uri": doc, "version": 4},
            "contentChanges": [{"range": rng(1, 5, 1, 0), "text": "x"}]}), 1),
        ("a change with a range not an object (logged)", note("textDocument/didChange", {
            "textDocument": {"uri": doc, "version": 4}, "contentChanges": [{"range": [], "text": "x"}]}), 1),
        ("a change without text (logged)", note("textDocument/didChange", {
            "textDocument": {"uri": doc, "version": 4}, "contentChanges": [{"range": rng(0, 0, 0, 0)}]}), 1),
        ("a change with a negative character (logged)", note("textDocument/didChange", {
            "textDocument": {"uri": doc, "version": 4},
            "contentChanges": [{"range": rng(0, -1, 0, 0), "text": "x"}]}), 1),
        ("the document is as the last good change left it", req(41, "textDocument/formatting", {
            "textDocument": {"uri": doc}, "options": {"tabSize": 4, "insertSpaces": True}}), 1),
        ("settings.ctl.keepWireNames not a boolean (logged)", note("workspace/didChangeConfiguration", {
            "settings": {"ctl": {"keepWireNames": "yes"}}}), 1),
        ("workspace symbols without a query", req(22, "workspace/symbol", {}), 1),
        ("workspace symbols with a query not a string", req(23, "workspace/symbol", {"query": 7}), 1),
        ("hover on a document not open", req(12, "textDocument/hover", pos(uri("nope.ctl"), 0, 0)), 1),
        ("a long URI cut mid-character in the error (answered in UTF-8)",
         req(17, "textDocument/hover", pos("file:///x" + "é" * 150, 0, 0)), 1),
        ("params not an object", req(13, "textDocument/documentSymbol", [1]), 1),
        ("didChange of a document not open", note("textDocument/didChange", {
            "textDocument": {"uri": uri("nope.ctl"), "version": 2}, "contentChanges": [{"text": ""}]}), 1),
        ("a response from the client (ignored)", frame({"jsonrpc": "2.0", "id": 99, "result": None}), 0),
        ("shutdown", req(14, "shutdown"), 1),
        ("request after shutdown", req(15, "textDocument/hover", pos(doc, 0, 0)), 1),
        ("Content-Length past the limit, then the input ends",
         b"Content-Length: 99999999999999\r\n\r\n{}", 1),
    ]


def deleted():
    """Files deleted under the server: an import read from the disk, then
    gone; then open in the editor only, then closed."""
    tmp = tempfile.mkdtemp()
    TEMP_DIRS.append(tmp)
    a_text = 'package d;\nimport "b.ctl";\nstruct A { b: B; }\n'
    with open(os.path.join(tmp, "a.ctl"), "w") as f:
        f.write(a_text)
    with open(os.path.join(tmp, "b.ctl"), "w") as f:
        f.write("package d;\n/// B.\nstruct B { n: int; }\n")
    a = "file://" + urllib.parse.quote(os.path.join(tmp, "a.ctl"))
    b = "file://" + urllib.parse.quote(os.path.join(tmp, "b.ctl"))
    at_b = pos(a, *find(a_text, "B; }"))
    end = find(a_text, "}\n")
    return [
        ("initialize", req(1, "initialize", {"capabilities": {}}), 1),
        ("open a spec whose import is on the disk", note("textDocument/didOpen", {"textDocument": {
            "uri": a, "languageId": "ctl", "version": 1, "text": a_text}}), 1),
        ("hover on the imported struct", req(2, "textDocument/hover", at_b), 1),
        ("the import deleted from the disk (nothing sent)",
         (lambda: os.remove(os.path.join(tmp, "b.ctl"))), 0),
        ("a change after the deletion: the import's error, no crash", note("textDocument/didChange", {"textDocument": {"uri": a, "version": 2},
            "contentChanges": [{"range": rng(*end, *end), "text": " "}]}), 1),
        ("definition of what is gone: null", req(3, "textDocument/definition", at_b), 1),
        ("references of what is gone: none", req(4, "textDocument/references",
                                                 dict(at_b, context={"includeDeclaration": True})), 1),
        ("rename of what is gone: null", req(5, "textDocument/rename", dict(at_b, newName="C")), 1),
        ("the import opened in the editor only: both published", note("textDocument/didOpen", {"textDocument": {
            "uri": b, "languageId": "ctl", "version": 1, "text": "package d;\nstruct B { n: int; }\n"}}), 2),
        ("closed again: the importer reads the disk, where it is gone", note("textDocument/didClose", {
            "textDocument": {"uri": b}}), 2),
        ("shutdown", req(6, "shutdown"), 1),
        ("exit", note("exit"), 0),
    ]


def exit_early():
    return [
        ("initialize", req(1, "initialize", {"capabilities": {}}), 1),
        ("exit without shutdown", note("exit"), 0),
    ]


SCENARIOS = {"exchange": exchange, "hostile": hostile, "exit_early": exit_early, "deleted": deleted}
TEMP_DIRS = []


def read_message(stream):
    length = None
    while True:
        line = stream.readline()
        if not line:
            return None
        line = line.rstrip(b"\r\n")
        if not line:
            break
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    if length is None:
        raise SystemExit("client.py: a frame from the server without Content-Length")
    body = stream.read(length)
    return json.loads(body.decode("utf-8"))


def scrub(value):
    """The message with the specs folder's URI written file:///ROOT (and a
    scenario's temporary folder file:///TMP)."""
    text = json.dumps(value, ensure_ascii=False)
    text = text.replace(ROOT_URI, "file:///ROOT").replace(SPECS, "/ROOT")
    for tmp in TEMP_DIRS:
        text = text.replace("file://" + urllib.parse.quote(tmp), "file:///TMP").replace(tmp, "/TMP")
    return json.loads(text)


def run(ctlc, name):
    steps = SCENARIOS[name]()
    proc = subprocess.Popen([ctlc, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=SPECS)
    transcript = []
    for title, data, count in steps:
        if callable(data):
            data()  # something done to the files, not sent
        else:
            proc.stdin.write(data)
            proc.stdin.flush()
        got = []
        for _ in range(count):
            msg = read_message(proc.stdout)
            if msg is None:
                raise SystemExit("client.py: %s: the server closed its output early" % title)
            got.append(scrub(msg))
        transcript.append({"step": title, "received": got})
    proc.stdin.close()
    rest = []
    while True:
        msg = read_message(proc.stdout)
        if msg is None:
            break
        rest.append(scrub(msg))
    status = proc.wait(timeout=60)
    transcript.append({"step": "after the input ends", "received": rest, "exit status": status})
    return transcript


def main():
    if len(sys.argv) != 4 or sys.argv[2] not in SCENARIOS:
        raise SystemExit("usage: client.py CTLC {%s} GOLDEN_DIR" % ",".join(SCENARIOS))
    ctlc, name, golden_dir = sys.argv[1:]
    try:
        transcript = run(ctlc, name)
    finally:
        for tmp in TEMP_DIRS:
            shutil.rmtree(tmp, ignore_errors=True)
    text = json.dumps(transcript, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    golden = os.path.join(golden_dir, name + ".json")
    if os.environ.get("CTL_BLESS"):
        with open(golden, "w", encoding="utf-8") as f:
            f.write(text)
        print("blessed %s" % golden)
        return
    try:
        with open(golden, encoding="utf-8") as f:
            expected = f.read()
    except FileNotFoundError:
        raise SystemExit("client.py: %s is missing; run with CTL_BLESS=1 to write it" % golden)
    if expected != text:
        import difflib
        sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), text.splitlines(True),
                                                   golden, "received"))
        raise SystemExit("client.py: %s: the transcript differs from %s" % (name, golden))
    print("%s: %d steps as expected" % (name, len(transcript)))


if __name__ == "__main__":
    main()
