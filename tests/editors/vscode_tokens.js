// vscode_tokens.js NPM_DIR GRAMMAR SPEC: the TextMate tokens of SPEC under
// GRAMMAR, as VS Code's own tokenizer (npm's vscode-textmate on
// vscode-oniguruma, from NPM_DIR) finds them: one line per token,
// "LINE:COL text<TAB>scopes" (the root scope left out). For
// tests/editors/vscode_grammar.py.
"use strict";
const fs = require("fs");
const path = require("path");
const [npmDir, grammarPath, specPath] = process.argv.slice(2);
const need = (name) => require(path.join(npmDir, "node_modules", name));
const textmate = need("vscode-textmate");
const oniguruma = need("vscode-oniguruma");

async function main() {
  const wasm = fs.readFileSync(path.join(npmDir, "node_modules", "vscode-oniguruma", "release", "onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) =>
      scope === "source.ctl" ? textmate.parseRawGrammar(fs.readFileSync(grammarPath, "utf8"), grammarPath) : null,
  });
  const grammar = await registry.loadGrammar("source.ctl");
  const lines = fs.readFileSync(specPath, "utf8").split("\n");
  let state = textmate.INITIAL;
  const out = [];
  lines.forEach((line, i) => {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) {
      const text = line.slice(t.startIndex, t.endIndex);
      const scopes = t.scopes.slice(1);
      if (text.trim() === "" || scopes.length === 0) continue;
      out.push(`${i + 1}:${t.startIndex + 1} ${text}\t${scopes.join(" ")}`);
    }
    state = r.ruleStack;
  });
  process.stdout.write(out.join("\n") + "\n");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
