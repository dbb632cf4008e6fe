#!/usr/bin/env node
/**
 * A `solc` executable for Foundry's forge, backed by the npm `solc` package (solc-js) that Hardhat
 * uses too, so both compile with the same pinned 0.8.28 and nothing is downloaded.
 * forge needs two calls: `--version` (second line `Version: <version>`) and `--standard-json`
 * (input JSON on stdin, output JSON on stdout; forge inlines all sources, so no import callback).
 *
 * A large job is compiled in parts: solc-js (WebAssembly) fails with "memory access out of bounds"
 * when one call generates code for the whole test tree at once (forge's 200-runs job, with the market's
 * invariant suite, since issue 16). Each part is one call over all the sources that asks for the outputs
 * of at most FILES_PER_CALL of the selected files (48: that 136-file job in 3 calls, 53 s; in 6 calls
 * of 24, 72 s). The outputs are merged (contracts and sources by name, diagnostics once each), which is
 * what one call would have returned.
 */
"use strict";
const solc = require("solc");

/** Selected files per solc call; a job that selects more is compiled in parts. */
const FILES_PER_CALL = 48;

/** Compiles a standard-JSON input, in parts when it selects many files; returns the output JSON text. */
function compile(text) {
  const input = JSON.parse(text);
  const selection = input.settings?.outputSelection ?? {};
  const files = Object.keys(selection);
  if (files.length <= FILES_PER_CALL || files.includes("*")) return solc.compile(text);
  const merged = { contracts: {}, sources: {} };
  const errors = new Map();
  for (let i = 0; i < files.length; i += FILES_PER_CALL) {
    const part = new Set(files.slice(i, i + FILES_PER_CALL));
    // The part's files get everything they asked for; the others only their file-level outputs (AST).
    const outputSelection = {};
    for (const f of files) {
      if (part.has(f)) outputSelection[f] = selection[f];
      else if (selection[f][""] !== undefined) outputSelection[f] = { "": selection[f][""] };
    }
    const output = JSON.parse(
      solc.compile(JSON.stringify({ ...input, settings: { ...input.settings, outputSelection } })),
    );
    Object.assign(merged.contracts, output.contracts ?? {});
    Object.assign(merged.sources, output.sources ?? {});
    for (const e of output.errors ?? []) errors.set(e.formattedMessage ?? e.message, e);
    if ((output.errors ?? []).some((e) => e.severity === "error")) break;
  }
  if (errors.size > 0) merged.errors = [...errors.values()];
  return JSON.stringify(merged);
}

const args = process.argv.slice(2);
if (args.includes("--version")) {
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`);
} else if (args.includes("--standard-json")) {
  const chunks = [];
  process.stdin.on("data", (c) => chunks.push(c));
  process.stdin.on("end", () => process.stdout.write(compile(Buffer.concat(chunks).toString("utf8"))));
} else {
  process.stderr.write("solc shim: only --version and --standard-json are supported\n");
  process.exit(2);
}
