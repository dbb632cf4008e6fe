#!/usr/bin/env node
/**
 * Runs Foundry's `forge` binary (from the npm package's platform dependency) and exits with ITS status.
 *
 * The npm wrapper (`node_modules/.bin/forge`, @foundry-rs/forge 1.7) always exits 0 — on failing tests,
 * a compile error or a bad flag — so `hardhat test && forge test` and CI would pass over a red forge
 * suite. Every script of this project calls forge through this file instead.
 *
 *     node tools/forge.js test --match-path test/libraries/Consensus.t.sol
 */
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const PACKAGES = {
  darwin: { x64: "forge-darwin-amd64", arm64: "forge-darwin-arm64" },
  linux: { x64: "forge-linux-amd64", arm64: "forge-linux-arm64" },
  win32: { x64: "forge-win32-amd64" },
};

/** The platform binary's path; throws a plain message when it is not installed. */
function forgeBinary() {
  const pkg = (PACKAGES[process.platform] || {})[process.arch];
  if (!pkg) throw new Error(`forge: no binary for ${process.platform}/${process.arch}`);
  const name = process.platform === "win32" ? "forge.exe" : "forge";
  try {
    return require.resolve(`@foundry-rs/${pkg}/bin/${name}`);
  } catch {
    const fallback = path.join(path.dirname(require.resolve("@foundry-rs/forge/package.json")), "dist", name);
    if (fs.existsSync(fallback)) return fallback;
    throw new Error(`forge: @foundry-rs/${pkg} is not installed (run npm install)`);
  }
}

module.exports = { forgeBinary };

if (require.main === module) {
  let binary;
  try {
    binary = forgeBinary();
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
  const result = spawnSync(binary, process.argv.slice(2), { stdio: "inherit" });
  if (result.error) {
    console.error(`forge: ${result.error.message}`);
    process.exit(1);
  }
  process.exit(result.status === null ? 1 : result.status);
}
