/**
 * Mutation check: proves the test suites bite. Every `test/mutants/<id>.patch` is a small, hand-written
 * bug in one contract (the patch's header says what it breaks). For each mutant this script
 *
 *   1. copies the project into a scratch directory (node_modules symlinked; Hardhat's and Foundry's
 *      artifacts and caches copied so only the mutated file and its dependents recompile),
 *   2. applies the patch with `git apply`,
 *   3. compiles with Hardhat and forge (a mutant that does not compile is an error, not a kill),
 *   4. runs the suites listed for it below (Hardhat test files in one mocha run, and forge suites by
 *      path with `--json`), and
 *   5. records which tests FAILED, parsed from mocha's failure list and forge's JSON results.
 *
 * A mutant is caught only when at least one test fails. Before any mutant, the unmutated project must
 * compile and pass every suite the selected mutants use (the baseline), in the same scratch setup.
 * Writes reports/mutants.json ([{ id, file, description, caughtBy, suites, seconds }]) and prints a
 * table; exits 1 if a mutant survives or errors, 2 if the baseline fails.
 *
 *   npm run test:mutants                                   # every mutant, working tree as it is
 *   npm run test:mutants -- --only pool-settle-rounds-up   # some mutants (comma-separated ids)
 *   npm run test:mutants -- --head                         # the committed HEAD instead of the working tree
 *   npm run test:mutants -- --keep                         # keep the scratch directories
 *   npm run test:mutants -- --out reports/x.json           # another report path
 *
 * Scratch directories go under $MUTANTS_TMP (default: the OS temp directory).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const MUTANTS_DIR = path.join(ROOT, "test", "mutants");

/*//////////////////////////////////////////////////////////////
                              SUITES
//////////////////////////////////////////////////////////////*/

const HH = {
  schedule: "test/libraries/EmissionSchedule.test.ts",
  consensus: "test/libraries/Consensus.test.ts",
  controller: "test/emission/EmissionController.test.ts",
  pool: "test/rewards/CapitalPool.test.ts",
  poolProperties: "test/rewards/CapitalPool.property.test.ts",
  bucket: "test/contribution/ContributionBucket.test.ts",
  subnet: "test/contribution/Subnet.test.ts",
  subnetProperties: "test/contribution/Subnet.property.test.ts",
  treasury: "test/governance/Treasury.test.ts",
  governance: "test/governance/Governance.test.ts",
  attacks: "test/governance/Attacks.test.ts",
  guardianTerm: "test/governance/GuardianTerm.test.ts",
  token: "test/token/Tetrad.test.ts",
  lifecycle: "test/e2e/lifecycle.test.ts",
  poc: "test/e2e/poc.test.ts",
} as const;

const FORGE = {
  schedule: "test/libraries/EmissionSchedule.t.sol",
  controller: "test/emission/EmissionController.invariant.t.sol",
  pool: "test/rewards/CapitalPool.invariant.t.sol",
  subnet: "test/contribution/Subnet.invariant.t.sol",
  subnetLiveness: "test/contribution/SubnetLiveness.t.sol",
  governance: "test/governance/Governance.invariant.t.sol",
} as const;

/** The suites each mutant runs: the ones that exercise the mutated code, not the whole project. */
interface Selection {
  hardhat: string[];
  forge: string[];
}

const POOL: Selection = { hardhat: [HH.pool, HH.poolProperties], forge: [FORGE.pool] };
const SUBNET: Selection = {
  hardhat: [HH.subnet, HH.subnetProperties],
  forge: [FORGE.subnet, FORGE.subnetLiveness],
};
const GOVERNOR: Selection = {
  hardhat: [HH.attacks, HH.governance, HH.guardianTerm],
  forge: [FORGE.governance],
};

const CATALOGUE: Record<string, Selection> = {
  "schedule-interval-count-floor": {
    hardhat: [HH.schedule, HH.controller, HH.lifecycle],
    forge: [FORGE.schedule, FORGE.controller],
  },
  "schedule-partial-interval-off-by-one": {
    hardhat: [HH.schedule, HH.controller, HH.lifecycle],
    forge: [FORGE.schedule, FORGE.controller],
  },
  "controller-protection-remainder-dropped": {
    hardhat: [HH.controller, HH.lifecycle],
    forge: [FORGE.controller],
  },
  "controller-setshares-unrestricted": {
    hardhat: [HH.controller, HH.attacks],
    forge: [FORGE.controller, FORGE.governance],
  },
  "controller-setshares-no-settlement": {
    hardhat: [HH.controller, HH.governance],
    forge: [FORGE.controller],
  },
  "pool-deposit-no-accrual": POOL,
  "pool-withdraw-no-accrual": POOL,
  "pool-settle-rounds-up": POOL,
  "pool-withdraw-lock-inverted": POOL,
  "pool-idle-stream-not-frozen": POOL,
  "pool-same-token-stake-streamed": POOL,
  "bucket-carry-dropped": { hardhat: [HH.bucket, HH.poc], forge: [] },
  "bucket-carry-through-gauge": { hardhat: [HH.bucket], forge: [] },
  "subnet-claim-not-zeroed": SUBNET,
  "subnet-slash-to-caller": { hardhat: [...SUBNET.hardhat, HH.governance], forge: SUBNET.forge },
  "subnet-agreement-ignored": { hardhat: [...SUBNET.hardhat, HH.poc], forge: SUBNET.forge },
  "subnet-unbonding-delay-ignored": SUBNET,
  "subnet-no-reveal-not-expelled": SUBNET,
  "subnet-agreement-sums-not-reset": { hardhat: [...SUBNET.hardhat, HH.poc], forge: SUBNET.forge },
  "subnet-short-sheet-stale-rows": SUBNET,
  // Issue 14 (liveness, lagged baseline, relative strikes): caught by the forge suites (SubnetLiveness.t.sol's
  // scenarios; the invariant handler's stale-paid and idle-permit checks).
  "subnet-stale-sheets-not-counted": SUBNET,
  "subnet-strikes-absolute-only": SUBNET,
  "subnet-factor-no-lag": SUBNET,
  "subnet-stale-validators-paid": SUBNET,
  "subnet-idle-permits-kept": SUBNET,
  "subnet-sheet-start-mask-dropped": SUBNET,
  "consensus-median-strict": { hardhat: [HH.consensus, HH.subnetProperties, HH.poc], forge: [] },
  "treasury-release-unrestricted": { hardhat: [HH.treasury, HH.attacks], forge: [FORGE.governance] },
  "token-nonce-not-used": { hardhat: [HH.token, HH.governance], forge: [] },
  "governor-guardian-term-unchecked": GOVERNOR,
  "governor-guardian-not-renewed": GOVERNOR,
};

/*//////////////////////////////////////////////////////////////
                              TYPES
//////////////////////////////////////////////////////////////*/

interface Mutant {
  id: string;
  patch: string; // absolute path
  file: string; // the contract it mutates
  description: string;
  selection: Selection;
}

interface MutantResult {
  id: string;
  file: string;
  description: string;
  caughtBy: string[] | null;
  suites: string[];
  seconds: number;
  error?: string;
}

interface SuiteOutcome {
  failed: string[];
  error?: string;
}

interface Options {
  only: string[] | null;
  keep: boolean;
  head: boolean;
  out: string;
}

/*//////////////////////////////////////////////////////////////
                              HELPERS
//////////////////////////////////////////////////////////////*/

function parseArgs(argv: string[]): Options {
  const opts: Options = {
    only: null,
    keep: false,
    head: false,
    out: path.join(ROOT, "reports", "mutants.json"),
  };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    if (a === "--keep") opts.keep = true;
    else if (a === "--head") opts.head = true;
    else if (a === "--only" && i + 1 < argv.length) opts.only = argv[++i].split(",").filter((s) => s !== "");
    else if (a === "--out" && i + 1 < argv.length) opts.out = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${a} (use --only ids, --head, --keep, --out file)`);
  }
  return opts;
}

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `cmd args` in `cwd` without a shell; never throws on a non-zero exit. */
function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): Run {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: "utf8",
    maxBuffer: 512 * 1024 * 1024,
    env: {
      ...process.env,
      NO_COLOR: "1",
      FORCE_COLOR: "0",
      // A scratch directory is never inside a repository: stop git from looking above it.
      GIT_CEILING_DIRECTORIES: path.dirname(cwd),
      ...env,
    },
  });
  if (r.error) throw r.error;
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

function bin(dir: string, name: string): string {
  return path.join(dir, "node_modules", ".bin", name);
}

/**
 * The forge executable of this platform. Not node_modules/.bin/forge: that npm wrapper (bin.mjs of
 * @foundry-rs/forge) never passes the binary's exit status on, so a failed build would look fine.
 */
function forgeBinary(): string {
  const arch: Partial<Record<string, string>> = { x64: "amd64", arm64: "arm64" };
  const exe = process.platform === "win32" ? "forge.exe" : "forge";
  const scope = path.join(ROOT, "node_modules", "@foundry-rs");
  const candidates = [
    path.join(scope, `forge-${process.platform}-${arch[process.arch] ?? process.arch}`, "bin", exe),
    path.join(scope, "forge", "dist", exe),
  ];
  const found = candidates.find((c) => fs.existsSync(c));
  if (found === undefined) throw new Error(`no forge binary in ${candidates.join(" or ")}`);
  return found;
}

/** Every forge suite (`*.t.sol`) under test/, relative to `dir`. */
function forgeSuites(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = path.posix.join(rel, e.name);
      if (e.isDirectory()) walk(child);
      else if (e.name.endsWith(".t.sol")) out.push(child);
    }
  };
  walk("test");
  return out.sort();
}

/**
 * `--skip` for every forge suite not in `selected`: forge compiles only the suites it will run (faster,
 * and a suite elsewhere that does not compile cannot block the check).
 */
function forgeSkips(dir: string, selected: string[]): string[] {
  const others = forgeSuites(dir).filter((f) => !selected.includes(f));
  return others.length > 0 ? ["--skip", ...others] : [];
}

function tail(text: string, lines = 25): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/** Reads the catalogue and the patches; every patch needs a catalogue entry and vice versa. */
function loadMutants(): Mutant[] {
  const patches = fs
    .readdirSync(MUTANTS_DIR)
    .filter((f) => f.endsWith(".patch"))
    .map((f) => f.slice(0, -".patch".length))
    .sort();
  const catalogued = Object.keys(CATALOGUE);
  const missing = catalogued.filter((id) => !patches.includes(id));
  const unlisted = patches.filter((id) => !(id in CATALOGUE));
  if (missing.length > 0 || unlisted.length > 0) {
    throw new Error(
      `catalogue and test/mutants disagree: no patch for [${missing.join(", ")}], ` +
        `no catalogue entry for [${unlisted.join(", ")}]`,
    );
  }
  return catalogued.map((id) => {
    const patch = path.join(MUTANTS_DIR, `${id}.patch`);
    const text = fs.readFileSync(patch, "utf8");
    const start = text.indexOf("diff --git ");
    if (start < 0) throw new Error(`${id}.patch: no diff`);
    const header = text
      .slice(0, start)
      .split("\n")
      .filter((l) => !l.startsWith("Mutant:"))
      .join(" ")
      .replace(/\s+/g, " ")
      .trim();
    const files = [...text.matchAll(/^\+\+\+ b\/(.+)$/gm)].map((m) => m[1]);
    if (files.length !== 1) throw new Error(`${id}.patch: expected one file, got ${files.length}`);
    return { id, patch, file: files[0], description: header, selection: CATALOGUE[id] };
  });
}

function suitesOf(sel: Selection): string[] {
  return [...sel.hardhat.map((f) => `hardhat:${f}`), ...sel.forge.map((f) => `forge:${f}`)];
}

/*//////////////////////////////////////////////////////////////
                          SCRATCH COPIES
//////////////////////////////////////////////////////////////*/

const BUILD_DIRS = ["artifacts", "cache", "typechain-types", "out", "cache_forge"];
/** Forge's persisted invariant counterexamples and failed-test list: never carried between copies. */
const FORGE_STATE = [path.join("cache", "invariant"), path.join("cache", "test-failures")];

/** Hardhat's cache is keyed by absolute paths: re-key it from `from` to `to`. */
function rehomeHardhatCache(dir: string, from: string, to: string): void {
  const file = path.join(dir, "cache", "solidity-files-cache.json");
  if (!fs.existsSync(file)) return;
  const cache = JSON.parse(fs.readFileSync(file, "utf8")) as { files: Record<string, unknown> };
  const files: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(cache.files)) {
    files[key.startsWith(from + path.sep) ? to + key.slice(from.length) : key] = value;
  }
  cache.files = files;
  fs.writeFileSync(file, JSON.stringify(cache, null, 2));
}

/** The project's sources (working tree or HEAD) plus its build outputs, node_modules symlinked. */
function makeBase(dir: string, head: boolean): void {
  fs.mkdirSync(dir, { recursive: true });
  if (head) {
    const archive = spawnSync("git", ["archive", "--format=tar", "HEAD"], { cwd: ROOT, maxBuffer: 1 << 30 });
    if (archive.status !== 0) throw new Error(`git archive failed: ${archive.stderr.toString()}`);
    const untar = spawnSync("tar", ["-x", "-C", dir], { input: archive.stdout });
    if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr.toString()}`);
  } else {
    const ls = run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], ROOT);
    if (ls.status !== 0) throw new Error(`git ls-files failed: ${ls.stderr}`);
    for (const rel of ls.stdout.split("\0")) {
      if (rel === "" || rel.startsWith("node_modules/")) continue;
      const src = path.join(ROOT, rel);
      if (!fs.existsSync(src)) continue; // deleted in the working tree
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.copyFileSync(src, path.join(dir, rel));
    }
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  for (const d of BUILD_DIRS) {
    const src = path.join(ROOT, d);
    if (fs.existsSync(src)) fs.cpSync(src, path.join(dir, d), { recursive: true, preserveTimestamps: true });
  }
  for (const d of FORGE_STATE) fs.rmSync(path.join(dir, d), { recursive: true, force: true });
  rehomeHardhatCache(dir, ROOT, dir);
}

function copyBase(base: string, dir: string): void {
  fs.cpSync(base, dir, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
  rehomeHardhatCache(dir, base, dir);
}

/** Compiles with Hardhat, and with forge when forge suites will run; returns an error or null. */
function compile(dir: string, forgeSelected: string[]): string | null {
  const hh = run(bin(dir, "hardhat"), ["compile", "--quiet"], dir);
  if (hh.status !== 0) return `hardhat compile failed:\n${tail(hh.stdout + hh.stderr)}`;
  if (forgeSelected.length > 0) {
    const fb = run(forgeBinary(), ["build", ...forgeSkips(dir, forgeSelected)], dir);
    if (fb.status !== 0) return `forge build failed:\n${tail(fb.stdout + fb.stderr)}`;
  }
  return null;
}

/*//////////////////////////////////////////////////////////////
                         RUNNING THE SUITES
//////////////////////////////////////////////////////////////*/

/**
 * The failed tests in mocha's spec output: after "N failing", each failure starts with "  N) " and
 * its title path runs over the following lines up to the one ending with ":".
 */
export function parseMochaFailures(output: string): { failing: number; names: string[] } {
  const lines = output.split("\n");
  const at = lines.findIndex((l) => /^\s+\d+ failing\s*$/.test(l));
  if (at < 0) return { failing: 0, names: [] };
  const failing = Number(/(\d+) failing/.exec(lines[at])?.[1] ?? "0");
  const names: string[] = [];
  for (let i = at + 1; i < lines.length; ++i) {
    const m = /^ {2}(\d+)\) (.*)$/.exec(lines[i]);
    if (m === null) continue;
    const parts = [m[2].trim()];
    let j = i;
    while (!parts[parts.length - 1].endsWith(":") && j + 1 < lines.length && j < i + 12) {
      parts.push(lines[++j].trim());
    }
    const last = parts.length - 1;
    parts[last] = parts[last].replace(/:$/, "");
    names.push(parts.filter((p) => p !== "").join(" > "));
    i = j;
  }
  return { failing, names };
}

function runHardhat(dir: string, files: string[]): SuiteOutcome {
  if (files.length === 0) return { failed: [] };
  const r = run(bin(dir, "hardhat"), ["test", "--no-compile", ...files], dir);
  const out = r.stdout + "\n" + r.stderr;
  const { failing, names } = parseMochaFailures(out);
  if (names.length !== failing) {
    return { failed: names, error: `parsed ${names.length} of ${failing} mocha failures:\n${tail(out)}` };
  }
  if (r.status !== 0 && names.length === 0) {
    return { failed: [], error: `hardhat test exited ${r.status} without a failing test:\n${tail(out)}` };
  }
  return { failed: names };
}

interface ForgeTestResult {
  status: string;
  reason?: string | null;
}
type ForgeJson = Record<string, { test_results: Record<string, ForgeTestResult> }>;

function isForgeJson(x: unknown): x is ForgeJson {
  if (typeof x !== "object" || x === null) return false;
  return Object.values(x).every(
    (s: unknown) =>
      typeof s === "object" && s !== null && "test_results" in s && typeof s.test_results === "object",
  );
}

/**
 * Forge with `--json`. Under a mutant, failing invariants are not shrunk: which invariant breaks is the
 * finding; a minimal counterexample only costs time (it is still reported, unshrunk).
 */
function runForge(dir: string, file: string, selected: string[], shrink: boolean): SuiteOutcome {
  const env: Record<string, string> = shrink ? {} : { FOUNDRY_INVARIANT_SHRINK_RUN_LIMIT: "0" };
  const args = ["test", "--match-path", file, "--json", ...forgeSkips(dir, selected)];
  const r = run(forgeBinary(), args, dir, env);
  let parsed: unknown;
  try {
    parsed = JSON.parse(r.stdout);
  } catch {
    return {
      failed: [],
      error: `forge test ${file} printed no JSON (exit ${r.status}):\n${tail(r.stdout + r.stderr)}`,
    };
  }
  if (!isForgeJson(parsed) || Object.keys(parsed).length === 0) {
    return { failed: [], error: `forge test ${file}: unexpected or empty JSON` };
  }
  const failed: string[] = [];
  for (const [suite, { test_results }] of Object.entries(parsed)) {
    const contract = suite.slice(suite.lastIndexOf(":") + 1);
    for (const [test, res] of Object.entries(test_results)) {
      if (res.status === "Failure") failed.push(`${contract}::${test}`);
    }
  }
  return { failed };
}

/** Runs a selection; returns the failed tests and any error (a crash, an unparsable output). */
function runSelection(dir: string, sel: Selection, mutated: boolean): SuiteOutcome {
  const failed: string[] = [];
  const errors: string[] = [];
  const t = Date.now();
  const outcomes = [runHardhat(dir, sel.hardhat)];
  const hardhatSeconds = Math.round((Date.now() - t) / 1000);
  for (const f of sel.forge) outcomes.push(runForge(dir, f, sel.forge, !mutated));
  const forgeSeconds = Math.round((Date.now() - t) / 1000) - hardhatSeconds;
  process.stdout.write(`hardhat tests ${hardhatSeconds}s, forge tests ${forgeSeconds}s; `);
  for (const o of outcomes) {
    failed.push(...o.failed);
    if (o.error !== undefined) errors.push(o.error);
  }
  return errors.length > 0 ? { failed, error: errors.join("\n") } : { failed };
}

/*//////////////////////////////////////////////////////////////
                                MAIN
//////////////////////////////////////////////////////////////*/

function printTable(results: MutantResult[]): void {
  const rows = results.map((r) => {
    const verdict = r.caughtBy !== null ? "caught" : r.error !== undefined ? "ERROR" : "SURVIVED";
    const by =
      r.caughtBy === null
        ? (r.error?.split("\n")[0] ?? "-")
        : r.caughtBy[0] + (r.caughtBy.length > 1 ? ` (+${r.caughtBy.length - 1} more)` : "");
    return [r.id, verdict, `${r.seconds}s`, by.length > 110 ? by.slice(0, 107) + "..." : by];
  });
  const head = ["mutant", "result", "time", "caught by (first failing test)"];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c])).join("  ");
  console.log("\n" + line(head));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r));
}

function main(): number {
  const t0 = Date.now();
  const opts = parseArgs(process.argv.slice(2));
  let mutants = loadMutants();
  if (opts.only !== null) {
    const only = opts.only;
    const unknown = only.filter((id) => !mutants.some((m) => m.id === id));
    if (unknown.length > 0) throw new Error(`unknown mutants: ${unknown.join(", ")}`);
    mutants = mutants.filter((m) => only.includes(m.id));
  }

  const scratch = fs.mkdtempSync(path.join(process.env.MUTANTS_TMP ?? os.tmpdir(), "tetrad-mutants-"));
  const base = path.join(scratch, "base");
  console.log(`scratch: ${scratch} (${opts.head ? "HEAD" : "working tree"})`);

  try {
    // Baseline: the unmutated copy compiles and passes every suite the selected mutants use.
    makeBase(base, opts.head);
    const union: Selection = {
      hardhat: [...new Set(mutants.flatMap((m) => m.selection.hardhat))],
      forge: [...new Set(mutants.flatMap((m) => m.selection.forge))],
    };
    console.log(`baseline: compiling and running ${suitesOf(union).length} suites...`);
    const compileError = compile(base, union.forge);
    if (compileError !== null) {
      console.error(`baseline does not compile:\n${compileError}`);
      return 2;
    }
    const baseline = runSelection(base, union, false);
    if (baseline.failed.length > 0 || baseline.error !== undefined) {
      console.error(`baseline fails, so no mutant can be judged:\n${baseline.failed.join("\n")}`);
      if (baseline.error !== undefined) console.error(baseline.error);
      return 2;
    }
    for (const d of FORGE_STATE) fs.rmSync(path.join(base, d), { recursive: true, force: true });
    console.log(`baseline passes (${Math.round((Date.now() - t0) / 1000)}s)`);

    const results: MutantResult[] = [];
    for (const [k, m] of mutants.entries()) {
      const started = Date.now();
      const dir = path.join(scratch, m.id);
      process.stdout.write(`[${k + 1}/${mutants.length}] ${m.id}: `);
      const result: MutantResult = {
        id: m.id,
        file: m.file,
        description: m.description,
        caughtBy: null,
        suites: suitesOf(m.selection),
        seconds: 0,
      };
      copyBase(base, dir);
      const applied = run("git", ["apply", "--whitespace=nowarn", m.patch], dir);
      if (applied.status !== 0) {
        result.error = `git apply failed: ${applied.stderr.trim()}`;
      } else {
        const t = Date.now();
        const err = compile(dir, m.selection.forge);
        process.stdout.write(`compile ${Math.round((Date.now() - t) / 1000)}s, `);
        if (err !== null) {
          result.error = `mutant does not compile: ${err}`;
        } else {
          const outcome = runSelection(dir, m.selection, true);
          if (outcome.failed.length > 0) result.caughtBy = outcome.failed;
          if (outcome.error !== undefined) result.error = outcome.error;
        }
      }
      result.seconds = Math.round((Date.now() - started) / 1000);
      results.push(result);
      const verdict =
        result.caughtBy !== null
          ? `caught by ${result.caughtBy.length} test(s)`
          : result.error !== undefined
            ? "ERROR"
            : "SURVIVED";
      console.log(`${verdict} (${result.seconds}s)`);
      if (result.error !== undefined) console.log(result.error);
      if (!opts.keep) fs.rmSync(dir, { recursive: true, force: true });
    }

    fs.mkdirSync(path.dirname(opts.out), { recursive: true });
    fs.writeFileSync(opts.out, JSON.stringify(results, null, 2) + "\n");
    printTable(results);
    const bad = results.filter((r) => r.caughtBy === null);
    const total = Math.round((Date.now() - t0) / 1000);
    console.log(
      `\n${results.length - bad.length}/${results.length} mutants caught; total wall time ${total}s; ` +
        `report: ${path.relative(process.cwd(), opts.out)}`,
    );
    if (bad.length > 0) console.log(`not caught: ${bad.map((r) => r.id).join(", ")}`);
    return bad.length > 0 ? 1 : 0;
  } finally {
    if (!opts.keep) fs.rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    process.exitCode = main();
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 2;
  }
}
