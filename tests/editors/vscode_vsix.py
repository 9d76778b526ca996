"""vscode_vsix.py VSIX EXT_DIR: what the packaged extension must hold.

- the manifest files of a .vsix ([Content_Types].xml, extension.vsixmanifest)
  naming the extension ctl, version and publisher as package.json says;
- every file of the extension (package.json identical to EXT_DIR's,
  extension.js, language-configuration.json, the grammar, README.md);
- vscode-languageclient and its dependencies under extension/node_modules
  (extension.js requires them at run time);
- nothing of the test's (no package-lock.json, no .vsix inside).
"""
import json
import os
import sys
import zipfile

vsix, ext = sys.argv[1], sys.argv[2]
failures = []
with zipfile.ZipFile(vsix) as z:
    names = set(z.namelist())
    manifest = z.read("extension.vsixmanifest").decode() if "extension.vsixmanifest" in names else ""
    packaged = json.loads(z.read("extension/package.json")) if "extension/package.json" in names else None
pkg = json.load(open(os.path.join(ext, "package.json")))
for need in ["[Content_Types].xml", "extension.vsixmanifest", "extension/package.json", "extension/extension.js",
             "extension/language-configuration.json", "extension/syntaxes/ctl.tmLanguage.json",
             "extension/readme.md", "extension/node_modules/vscode-languageclient/package.json",
             "extension/node_modules/vscode-languageclient/node.js",
             "extension/node_modules/vscode-languageserver-protocol/package.json",
             "extension/node_modules/vscode-jsonrpc/package.json"]:
    if need not in names and need.lower() not in {n.lower() for n in names}:
        failures.append("missing %s" % need)
if packaged != pkg:
    failures.append("extension/package.json differs from editors/vscode/package.json")
for what in ['Id="%s"' % pkg["name"], 'Version="%s"' % pkg["version"], 'Publisher="%s"' % pkg["publisher"]]:
    if what not in manifest:
        failures.append("the manifest lacks %s" % what)
for n in names:
    if n.endswith(".vsix") or n.endswith("package-lock.json") and "node_modules" not in n:
        failures.append("packaged by mistake: %s" % n)
with zipfile.ZipFile(vsix) as z:
    grammar = json.loads(z.read("extension/syntaxes/ctl.tmLanguage.json"))
if grammar.get("scopeName") != "source.ctl":
    failures.append("the packaged grammar's scopeName is %r" % grammar.get("scopeName"))
if failures:
    print("\n".join("FAIL: " + f for f in failures))
    print("files: " + ", ".join(sorted(n for n in names if "node_modules" not in n)))
    sys.exit(1)
print("%s: %d files, the extension and its dependencies as expected" % (os.path.basename(vsix), len(names)))
