#!/usr/bin/env node
/**
 * `npm test`: every suite of the project in one command, concurrently, with one summary.
 *
 *   1. `hardhat compile` once (artifacts + TypeChain), while forge compiles and runs its own suites
 *      (`node tools/forge.js test`: fuzz 256 runs; invariants 32 x 100 calls, 256 x 100 with --full) at a
 *      lower CPU priority (FORGE_NICENESS): the compile, and then the Hardhat shards, come first;
 *   2. then, side by side with forge: the Hardhat suite (`hardhat test --no-compile`, in two processes
 *      that split the test files between them) and the web app's unit tests (`npm run -w app test`,
 *      which reads the artifacts).
 *
 * Every line is streamed with its suite's prefix ([hardhat], [forge], [app]); the end is a table of the
 * suites (tests passed/failed, seconds, exit status) and a last line `N passed, N failed`. Exits 1 when a
 * suite fails (a failing test, a non-zero exit, or an output whose counts cannot be read).
 *
 *     node tools/test.js                       # = npm test
 *     node tools/test.js --only hardhat,app    # a subset (hardhat, forge, app)
 *     node tools/test.js --full                # invariant campaigns at full depth (25,600 calls each)
 *     node tools/test.js --coverage            # CI: the same suites, with coverage (below)
 *
 * --coverage is CI's test step (`npm run test:ci`); no suite runs twice there:
 *   - hardhat: `hardhat coverage` is the Hardhat suite's only run. Its probes are collected by EDR natively
 *     (tools/coverage/edr.js), so the instrumented suite runs at about the plain one's speed, and it builds
 *     into artifacts-coverage/ (hardhat.config.ts), so the plain build stays in place. The few tests that
 *     skip themselves under coverage (gas measured on plain bytecode, the tests that start a separate
 *     node or anvil) run plain beside it, with `hardhat test --grep` (PLAIN_ONLY below);
 *   - forge: `forge test` at the default profile's depth (256 x 100 = 25,600 calls per invariant, as with
 *     --full), and scripts/checks/invariant-calls.ts on its output: every campaign >= 25,000 calls, every
 *     handler called, every protocol function reached; it rewrites reports/invariant-calls.md;
 *   - app: its unit tests, as above;
 *   - then scripts/checks/coverage.ts --no-forge enforces the thresholds on the Hardhat suite's lcov
 *     (`npm run coverage` still merges forge's lcov in, for the local picture).
 */
"use strict";
const { spawn } = require("child_process");
const path = require("path");
const readline = require("readline");

const ROOT = path.join(__dirname, "..");
const HARDHAT = path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "bootstrap.js");
const FORGE = path.join(__dirname, "forge.js");
const TS_NODE = path.join(ROOT, "node_modules", "ts-node", "dist", "bin.js");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

/**
 * The tests that skip themselves under coverage (`underCoverage()` in test/utils/coverage.ts): with
 * --coverage they run plain, before the instrumented run. Keep in step with those `this.skip()` calls.
 */
const PLAIN_ONLY =
  "ADV-04 loops|ADV-04b claims|ADV-13 sybil|ADV-13b sybils|ADV-14 gas-starved|Wallets against a local JSON-RPC node|Consensus attacks|" +
  "a hook that burns all its gas gets exactly HOOK_GAS|Simulation on anvil|a ballot of 4 subnets: gas|gas of a launch|gas of a fee payment";

const args = process.argv.slice(2);
const coverage = args.includes("--coverage");
const full = args.includes("--full");
/**
 * Invariant runs per campaign in a plain `npm test` (x depth 100 = 3,200 calls per invariant): the
 * local suite stays a few minutes on 2 cores. CI (--coverage) and `npm test -- --full` run the default
 * profile's 256 x 100 = 25,600 calls per invariant.
 */
const QUICK_INVARIANT_RUNS = "32";
/**
 * The forge suite's CPU priority (a nice value): on 2 cores the Hardhat compile and then the Hardhat
 * shards are the critical path of `npm test` (~4 minutes), while forge (~1.5 minutes of CPU) finishes
 * well before them; at normal priority it slowed the compile that every shard waits for. CI's
 * full-depth forge lane (--coverage) is niced too, although it finishes last: at normal priority it
 * stretched the instrumented Hardhat run from 388 s to 689 s and CI from 653 s to 781 s (measured).
 */
const FORGE_NICENESS = 10;
// The last --only wins: package.json's `npm test` names all three suites (so the script says what it
// runs), and `npm test -- --only app` narrows it.
const onlyAt = args.findLastIndex((a) => a.startsWith("--only"));
const onlyArg = onlyAt >= 0 ? args[onlyAt] : undefined;
const only = onlyArg
  ? (onlyArg.includes("=") ? onlyArg.split("=")[1] : args[onlyAt + 1]).split(",")
  : ["hardhat", "forge", "app"];
for (const s of only) {
  if (!["hardhat", "forge", "app"].includes(s)) {
    console.error(`--only: unknown suite "${s}" (hardhat, forge, app)`);
    process.exit(2);
  }
}

const started = Date.now();
const seconds = (ms) => `${(ms / 1000).toFixed(0)} s`;
// The prefix is padded to the longest label so that the streams line up.
const WIDTH = 10;

/**
 * Runs a command, streaming stdout and stderr line by line with a prefix; resolves with its status and
 * output. `niceness` (0 to 19) lowers the process's CPU priority (its children inherit it).
 */
function run(label, command, argv, env = {}, niceness = 0) {
  const prefix = `[${label}]`.padEnd(WIDTH);
  const t0 = Date.now();
  const shown = [
    command === process.execPath ? "node" : command,
    ...argv.map((a) => (path.isAbsolute(a) ? path.relative(ROOT, a) : a)),
  ];
  console.log(`${prefix} $ ${shown.join(" ")}`);
  return new Promise((resolve) => {
    const child = spawn(command, argv, {
      cwd: ROOT,
      env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    if (niceness > 0 && child.pid !== undefined) {
      try {
        require("os").setPriority(child.pid, niceness);
      } catch {
        // Not permitted here: run at normal priority.
      }
    }
    const lines = [];
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream }).on("line", (line) => {
        lines.push(line);
        console.log(`${prefix} ${line}`);
      });
    }
    child.on("error", (e) => {
      lines.push(String(e));
      console.log(`${prefix} ${e.message}`);
    });
    child.on("close", (code, signal) => {
      const status = code === null ? 1 : code;
      console.log(`${prefix} exit ${code === null ? signal : code} after ${seconds(Date.now() - t0)}`);
      resolve({ status, output: lines.join("\n"), ms: Date.now() - t0 });
    });
  });
}

/** Counts from mocha's spec reporter ("N passing", "N failing", "N pending"). */
function mochaCounts(output) {
  const n = (re) => {
    const m = output.match(re);
    return m ? Number(m[1]) : undefined;
  };
  const passed = n(/^\s*(\d+) passing/m);
  if (passed === undefined) return undefined;
  return { passed, failed: n(/^\s*(\d+) failing/m) ?? 0, skipped: n(/^\s*(\d+) pending/m) ?? 0 };
}

/** Counts from forge ("Ran 9 test suites in ...: 66 tests passed, 0 failed, 0 skipped (66 total tests)"). */
function forgeCounts(output) {
  const m = output.match(/Ran \d+ test suites? in .*?: (\d+) tests? passed, (\d+) failed, (\d+) skipped/);
  if (m) return { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3]) };
  // Otherwise the per-suite lines ("Suite result: ok. 8 passed; 0 failed; 0 skipped; ...").
  const suites = [...output.matchAll(/Suite result: \w+\. (\d+) passed; (\d+) failed; (\d+) skipped/g)];
  if (suites.length === 0) return undefined;
  const sum = (i) => suites.reduce((t, x) => t + Number(x[i]), 0);
  return { passed: sum(1), failed: sum(2), skipped: sum(3) };
}

/** Counts from vitest ("Tests  2 failed | 40 passed (42)", "Tests  42 passed (42)"). */
function vitestCounts(output) {
  const line = output.split("\n").find((l) => /^\s*Tests\s+.*\(\d+\)\s*$/.test(l));
  if (!line) return undefined;
  const n = (word) => {
    const m = line.match(new RegExp(`(\\d+) ${word}`));
    return m ? Number(m[1]) : 0;
  };
  return { passed: n("passed"), failed: n("failed"), skipped: n("skipped") + n("todo") };
}

/** One suite's result: counts (summed over its runs), status, time. */
function result(name, runs, counter) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  let readable = true;
  for (const r of runs) {
    const c = counter(r.output);
    if (!c) {
      readable = false;
      continue;
    }
    counts.passed += c.passed;
    counts.failed += c.failed;
    counts.skipped += c.skipped;
  }
  const status = runs.reduce((s, r) => s || r.status, 0);
  // A suite whose counts cannot be read failed to run (a compile error, a crash): it is not green.
  const ok = status === 0 && readable && counts.failed === 0;
  return { name, ...counts, ok, status, readable, ms: runs.reduce((s, r) => s + r.ms, 0) };
}

const hardhat = (...a) => run("hardhat", process.execPath, [HARDHAT, ...a]);

/**
 * The plain Hardhat suite runs as HARDHAT_SHARDS processes side by side (a machine of 2 cores runs the
 * suite about twice as fast), each given a share of the test files balanced by weight: the seconds a
 * file's tests took alone on 2 cores (measured file by file, startup excluded) when it takes 3 s or
 * more (SLOW_FILES), else 1. Re-measure when a file grows slow: an unbalanced split costs wall time.
 */
const HARDHAT_SHARDS = 2;
const SLOW_FILES = {
  "test/security/Adversarial.test.ts": 49,
  "test/contribution/Subnet.property.test.ts": 47,
  "test/security/Consensus.attacks.test.ts": 47,
  "test/scripts/simulate.test.ts": 23,
  "test/e2e/wallet.test.ts": 20,
  "test/deploy/Tetrad.module.test.ts": 12,
  "test/scripts/simulate-anvil.test.ts": 12,
  "test/security/SubnetGuardrails.test.ts": 12,
  "test/contribution/Subnet.test.ts": 11,
  "test/scripts/simulate-market.test.ts": 9,
  "test/scripts/tasks.test.ts": 9,
  "test/rewards/CapitalPool.property.test.ts": 8,
  "test/emission/EmissionController.test.ts": 7,
  "test/governance/Attacks.test.ts": 6,
  "test/governance/Guardrails.test.ts": 5,
  "test/e2e/poc.test.ts": 4,
  "test/rewards/CapitalPool.test.ts": 4,
  "test/contribution/ContributionBucket.test.ts": 3,
  "test/contribution/SubnetFactory.test.ts": 3,
  "test/contribution/SubnetMarket.test.ts": 3,
  "test/governance/Governance.test.ts": 3,
  "test/governance/GuardianTerm.test.ts": 3,
  "test/security/MarketAttacks.test.ts": 3,
  "test/scripts/errors.test.ts": 3,
};

/** The Hardhat test files split into `n` lists of about equal weight (heaviest first, to the lightest list). */
function hardhatShards(n) {
  const fs = require("fs");
  const files = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith(".test.ts")) files.push(rel);
    }
  };
  walk("test");
  const weight = (f) => SLOW_FILES[f] ?? 1;
  const shards = Array.from({ length: n }, () => ({ files: [], weight: 0 }));
  for (const f of files.sort((a, b) => weight(b) - weight(a) || a.localeCompare(b))) {
    const lightest = shards.reduce((m, s) => (s.weight < m.weight ? s : m));
    lightest.files.push(f);
    lightest.weight += weight(f);
  }
  return shards.map((s) => s.files.sort());
}

async function hardhatSuite(compiled) {
  const ok = await compiled;
  if (!ok) return { name: "hardhat", passed: 0, failed: 0, skipped: 0, ok: false, status: 1, ms: 0 };
  if (!coverage) {
    const runs = await Promise.all(
      hardhatShards(HARDHAT_SHARDS).map((files, i) =>
        run(`hardhat${i + 1}`, process.execPath, [HARDHAT, "test", "--no-compile", ...files]),
      ),
    );
    return result("hardhat", runs, mochaCounts);
  }
  // The plain-only tests and the instrumented run side by side: coverage builds into its own artifacts.
  const [plain, instrumented] = await Promise.all([
    hardhat("test", "--no-compile", "--grep", PLAIN_ONLY),
    run("coverage", process.execPath, [HARDHAT, "coverage"]),
  ]);
  const r = result("hardhat", [plain, instrumented], mochaCounts);
  // The instrumented run reports the PLAIN_ONLY tests as pending: they passed (or failed) beside it.
  r.skipped = Math.max(0, r.skipped - (mochaCounts(plain.output)?.passed ?? 0));
  return r;
}

async function forgeSuite() {
  // The developer's run: every fuzz test at full runs, invariant campaigns at QUICK_INVARIANT_RUNS x 100
  // calls. CI (--coverage) and --full take the default profile's 256 x 100 campaigns, and then check
  // their call tables (scripts/checks/invariant-calls.ts, from this run's output).
  const deep = coverage || full || process.env.FOUNDRY_INVARIANT_RUNS !== undefined;
  const env = deep ? {} : { FOUNDRY_INVARIANT_RUNS: QUICK_INVARIANT_RUNS };
  // Forge yields the CPU to the Hardhat compile, whose end every Hardhat shard waits for, and to the
  // shards (or the instrumented run), and takes what they leave (FORGE_NICENESS).
  const tests = await run("forge", process.execPath, [FORGE, "test", "--color", "never"], env, FORGE_NICENESS);
  if (!(coverage || full) || tests.status !== 0) return result("forge", [tests], forgeCounts);
  const fs = require("fs");
  const saved = path.join(ROOT, "coverage", "forge-test.log");
  fs.mkdirSync(path.dirname(saved), { recursive: true });
  fs.writeFileSync(saved, tests.output);
  const calls = await run("calls", process.execPath, [
    TS_NODE,
    "--transpile-only",
    "scripts/checks/invariant-calls.ts",
    "--from",
    saved,
  ]);
  const r = result("forge", [tests], forgeCounts);
  if (calls.status !== 0) return { ...r, ok: false, status: calls.status };
  return r;
}

async function appSuite(compiled) {
  const ok = await compiled;
  if (!ok) return { name: "app", passed: 0, failed: 0, skipped: 0, ok: false, status: 1, ms: 0 };
  return result("app", [await run("app", NPM, ["run", "-w", "app", "test"])], vitestCounts);
}

async function main() {
  const wants = (s) => only.includes(s);
  // One compile for Hardhat and the app (forge compiles its own build, concurrently). Under --coverage
  // the plain build is still needed: the PLAIN_ONLY tests and the app's ABIs read it (the instrumented
  // build goes to artifacts-coverage/).
  const compiled =
    wants("hardhat") || wants("app")
      ? hardhat("compile", "--quiet").then((r) => r.status === 0)
      : Promise.resolve(true);
  const suites = await Promise.all([
    wants("hardhat") ? hardhatSuite(compiled) : undefined,
    wants("forge") ? forgeSuite() : undefined,
    wants("app") ? appSuite(compiled) : undefined,
  ]);
  const results = suites.filter(Boolean);

  let checks = true;
  let checked = false;
  if (coverage && results.every((r) => r.ok)) {
    checked = true;
    const c = await run("coverage", process.execPath, [
      TS_NODE,
      "--transpile-only",
      "scripts/checks/coverage.ts",
      "--no-forge",
    ]);
    checks = c.status === 0;
  }

  console.log("");
  console.log(
    `${"suite".padEnd(8)} ${"passed".padStart(7)} ${"failed".padStart(7)} ${"skipped".padStart(8)}  time`,
  );
  for (const r of results) {
    const note = r.ok
      ? ""
      : r.readable === false
        ? "  FAILED (no test counts in its output)"
        : `  FAILED (exit ${r.status})`;
    console.log(
      `${r.name.padEnd(8)} ${String(r.passed).padStart(7)} ${String(r.failed).padStart(7)} ${String(r.skipped).padStart(8)}  ${seconds(r.ms)}${note}`,
    );
  }
  if (coverage)
    console.log(
      `coverage thresholds: ${checked ? (checks ? "ok" : "FAILED") : "not checked (a suite failed)"}`,
    );
  console.log(`wall ${seconds(Date.now() - started)}`);
  const passed = results.reduce((s, r) => s + r.passed, 0);
  // A suite that failed without counting a failed test (crash, compile error) still counts as one failure.
  const failed = results.reduce((s, r) => s + (r.failed > 0 ? r.failed : r.ok ? 0 : 1), 0) + (checks ? 0 : 1);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
