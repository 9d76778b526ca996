// extension.js: the ctl extension for VS Code. It starts `ctlc lsp` (the
// setting ctl.server.path, with -I for each of ctl.server.includeDirs) for
// .ctl files and passes the ctl settings on (ctl.keepWireNames: see
// gen/lsp_rename.c). Everything else (diagnostics, hover, completion,
// rename, quick fixes, formatting) is the server's.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function serverOptions() {
  const config = vscode.workspace.getConfiguration("ctl");
  const args = ["lsp"];
  for (const dir of config.get("server.includeDirs", [])) args.push("-I", dir);
  return { command: config.get("server.path", "ctlc"), args };
}

async function start() {
  const config = vscode.workspace.getConfiguration("ctl");
  client = new LanguageClient("ctl", "ctlc lsp", serverOptions(), {
    documentSelector: [
      { scheme: "file", language: "ctl" },
      { scheme: "untitled", language: "ctl" },
    ],
    initializationOptions: { keepWireNames: config.get("keepWireNames", false) },
    synchronize: { configurationSection: "ctl" },
  });
  await client.start();
}

async function activate(context) {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      // A new program or import folders need a new server; keepWireNames
      // reaches the running one through didChangeConfiguration.
      if (event.affectsConfiguration("ctl.server") && client) {
        await client.stop();
        await start();
      }
    }),
  );
  await start();
}

async function deactivate() {
  if (client) await client.stop();
}

module.exports = { activate, deactivate };
