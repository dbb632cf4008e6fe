#!/usr/bin/env node
/**
 * A `solc` executable for Foundry's forge, backed by the npm `solc` package (solc-js) that Hardhat
 * uses too, so both compile with the same pinned 0.8.28 and nothing is downloaded.
 * forge needs two calls: `--version` (second line `Version: <version>`) and `--standard-json`
 * (input JSON on stdin, output JSON on stdout; forge inlines all sources, so no import callback).
 */
"use strict";
const solc = require("solc");

const args = process.argv.slice(2);
if (args.includes("--version")) {
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`);
} else if (args.includes("--standard-json")) {
  const chunks = [];
  process.stdin.on("data", (c) => chunks.push(c));
  process.stdin.on("end", () => process.stdout.write(solc.compile(Buffer.concat(chunks).toString("utf8"))));
} else {
  process.stderr.write("solc shim: only --version and --standard-json are supported\n");
  process.exit(2);
}
