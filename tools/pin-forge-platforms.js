#!/usr/bin/env node
/**
 * `@foundry-rs/forge` and `@foundry-rs/anvil` name optional platform packages that the npm registry does not have
 * (darwin-amd64, linux-arm64). `npm install` then leaves them out of package-lock.json, and
 * `npm ci` (CI) refuses the lock as out of sync. This adds them back as optional, platform-bound
 * entries, which `npm ci` skips on other platforms. Run it after any `npm install` that rewrites the lock.
 */
"use strict";
const fs = require("fs");
const path = require("path");

const file = path.join(__dirname, "..", "package-lock.json");
const lock = JSON.parse(fs.readFileSync(file, "utf8"));
const platforms = { "darwin-amd64": ["darwin", "x64"], "linux-arm64": ["linux", "arm64"] };
let added = 0;
for (const tool of ["forge", "anvil"]) {
  const pkg = lock.packages[`node_modules/@foundry-rs/${tool}`];
  if (!pkg) throw new Error(`pin-forge-platforms: @foundry-rs/${tool} is not in package-lock.json`);
  for (const [suffix, [os, cpu]] of Object.entries(platforms)) {
    const key = `node_modules/@foundry-rs/${tool}-${suffix}`;
    if (lock.packages[key]) continue;
    lock.packages[key] = { version: pkg.version, dev: true, optional: true, os: [os], cpu: [cpu] };
    added++;
  }
}
const sorted = {};
for (const k of Object.keys(lock.packages).sort((a, b) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : 1))) {
  sorted[k] = lock.packages[k];
}
lock.packages = sorted;
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
console.log(`pin-forge-platforms: ${added} entr${added === 1 ? "y" : "ies"} added`);
