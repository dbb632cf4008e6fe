/**
 * Runs the forge invariant suites with forge's per-selector call tables (show_metrics) and fails when:
 * - an invariant failed, or its campaign made fewer than 25,000 calls (runs x depth);
 * - a handler function in any table was called zero times;
 * - fewer than 20 invariant functions exist;
 * - a state-changing external function of the protocol (from the forge artifacts' ABIs) is not reached
 *   by a handler that ran (the map is scripts/checks/invariant-reach.ts), or the map names a function or a
 *   handler that no longer exists.
 * Writes the tables to reports/invariant-calls.md.
 *
 * Usage: ts-node scripts/checks/invariant-calls.ts [--from <saved forge output>]
 * (FOUNDRY_PROFILE picks the forge profile, as for forge itself: default 256 runs x depth 100.)
 */
import { spawnSync } from "child_process";
import { Interface, InterfaceAbi } from "ethers";
import * as fs from "fs";
import * as path from "path";
import { NOT_USED_BY_THE_PROTOCOL, PROTOCOL_CONTRACTS, REACH } from "./invariant-reach";

const MIN_CALLS = 25_000;
const MIN_INVARIANTS = 20;
const ROOT = path.join(__dirname, "..", "..");
/** forge through tools/forge.js: the npm wrapper always exits 0. */
const FORGE = path.join(ROOT, "tools", "forge.js");
const REPORT = path.join(ROOT, "reports", "invariant-calls.md");

/** One invariant campaign: a test contract's invariant function. */
export interface Campaign {
  suite: string; // path:Contract
  invariant: string;
  passed: boolean;
  runs: number;
  calls: number;
  reverts: number;
  /** forge's call table: `Handler.function` -> calls, reverts, discards. */
  table: Map<string, { calls: number; reverts: number; discards: number }>;
}

/** Parses `forge test` output: the invariant results and the call table printed after each. */
export function parseForgeOutput(output: string): Campaign[] {
  const campaigns: Campaign[] = [];
  let suite = "";
  let current: Campaign | undefined;
  let pendingFail = false;
  for (const line of output.split(/\r?\n/)) {
    const ran = /^Ran \d+ tests? for (\S+)/.exec(line);
    if (ran) {
      suite = ran[1];
      continue;
    }
    if (line.startsWith("[FAIL")) pendingFail = true;
    const result = /(invariant_\w+)\(\) \(runs: (\d+), calls: (\d+), reverts: (\d+)\)/.exec(line);
    if (result) {
      current = {
        suite,
        invariant: result[1],
        passed: line.startsWith("[PASS]") && !pendingFail,
        runs: Number(result[2]),
        calls: Number(result[3]),
        reverts: Number(result[4]),
        table: new Map(),
      };
      campaigns.push(current);
      pendingFail = false;
      continue;
    }
    const row = /^\|\s*(\w+)\s*\|\s*(\w+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|$/.exec(line.trim());
    if (row && current) {
      const [, handler, fn, calls, reverts, discards] = row;
      current.table.set(`${handler}.${fn}`, {
        calls: Number(calls),
        reverts: Number(reverts),
        discards: Number(discards),
      });
    }
  }
  return campaigns;
}

/** Every state-changing external function (and receive) of `contract`, from its forge artifact. */
function stateChangingFunctions(contract: string): string[] {
  const file = path.join(ROOT, "out", `${contract}.sol`, `${contract}.json`);
  const abi = (JSON.parse(fs.readFileSync(file, "utf8")) as { abi: InterfaceAbi }).abi;
  const iface = Interface.from(abi);
  const out: string[] = [];
  iface.forEachFunction((f) => {
    if (!f.constant) out.push(`${contract}.${f.format("sighash")}`);
  });
  if (iface.receive) out.push(`${contract}.receive()`);
  return out.sort();
}

function runForge(): string {
  console.log(
    `forge test --match-test invariant_ (FOUNDRY_PROFILE=${process.env.FOUNDRY_PROFILE ?? "default"}) ...`,
  );
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    [FORGE, "test", "--match-test", "invariant_", "--color", "never"],
    {
      cwd: ROOT,
      env: { ...process.env, FOUNDRY_INVARIANT_SHOW_METRICS: "true" },
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  console.log(`forge: ${((Date.now() - started) / 1000).toFixed(0)} s wall time, exit ${result.status}`);
  return `${result.stdout ?? ""}${result.stderr ?? ""}`;
}

function report(campaigns: Campaign[], reached: Map<string, string[]>, problems: string[]): string {
  const lines: string[] = [
    "# Invariant campaigns and handler call counts",
    "",
    "Written by `npm run test:invariant-calls` (scripts/checks/invariant-calls.ts) from forge's `show_metrics`",
    `tables. Every campaign must make at least ${MIN_CALLS.toLocaleString("en-US")} calls and every handler`,
    "function must be called in every campaign.",
    "",
    `Result: ${problems.length === 0 ? "ok" : `${problems.length} problem(s)`}`,
    ...problems.map((p) => `- ${p}`),
    "",
    "## Campaigns",
    "",
    "| Suite | Invariant | Result | Runs | Calls | Reverts |",
    "| --- | --- | --- | ---: | ---: | ---: |",
  ];
  for (const c of campaigns) {
    lines.push(
      `| ${c.suite.split(":")[1]} | ${c.invariant} | ${c.passed ? "pass" : "FAIL"} | ${c.runs} | ${c.calls} | ${c.reverts} |`,
    );
  }
  lines.push(
    "",
    "## Handler functions",
    "",
    "Calls per campaign (smallest and largest) and in all campaigns.",
    "",
  );
  lines.push(
    "| Suite | Handler function | Min calls | Max calls | Total calls | Reverts |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
  );
  const suites = [...new Set(campaigns.map((c) => c.suite))];
  for (const suite of suites) {
    const mine = campaigns.filter((c) => c.suite === suite);
    const names = [...new Set(mine.flatMap((c) => [...c.table.keys()]))].sort();
    for (const name of names) {
      const counts = mine.map((c) => c.table.get(name)?.calls ?? 0);
      const reverts = mine.reduce((s, c) => s + (c.table.get(name)?.reverts ?? 0), 0);
      const total = counts.reduce((s, n) => s + n, 0);
      lines.push(
        `| ${suite.split(":")[1]} | ${name} | ${Math.min(...counts)} | ${Math.max(...counts)} | ${total} | ${reverts} |`,
      );
    }
  }
  lines.push("", "## Protocol functions and the handler functions that reach them", "");
  lines.push("| Function | Reached by (calls in all campaigns) |", "| --- | --- |");
  for (const [fn, handlers] of reached) lines.push(`| \`${fn}\` | ${handlers.join(", ")} |`);
  lines.push(
    "",
    `Not used by the protocol, so not required: ${NOT_USED_BY_THE_PROTOCOL.map((f) => `\`${f}\``).join(", ")}.`,
    "",
  );
  return lines.join("\n");
}

function main(): number {
  const from = process.argv.indexOf("--from");
  const output = from > 0 ? fs.readFileSync(process.argv[from + 1], "utf8") : runForge();
  // forge prints suites as they finish: sort for a stable report.
  const campaigns = parseForgeOutput(output).sort(
    (a, b) => a.suite.localeCompare(b.suite) || a.invariant.localeCompare(b.invariant),
  );
  const problems: string[] = [];
  if (campaigns.length === 0) problems.push("no invariant results in forge's output");

  // Depth, results and zero-call selectors.
  const totalCalls = new Map<string, number>();
  for (const c of campaigns) {
    const name = `${c.suite.split(":")[1]}.${c.invariant}`;
    if (!c.passed) problems.push(`${name} failed`);
    if (c.calls < MIN_CALLS) problems.push(`${name}: ${c.calls} calls, fewer than ${MIN_CALLS}`);
    if (c.table.size === 0) problems.push(`${name}: no call table (is show_metrics on?)`);
    for (const [fn, row] of c.table) {
      if (row.calls === 0) problems.push(`${name}: ${fn} was never called`);
      totalCalls.set(fn, (totalCalls.get(fn) ?? 0) + row.calls);
    }
  }
  const invariantFunctions = new Set(campaigns.map((c) => `${c.suite.split(":")[0]}:${c.invariant}`));
  if (invariantFunctions.size < MIN_INVARIANTS) {
    problems.push(`${invariantFunctions.size} invariant functions, fewer than ${MIN_INVARIANTS}`);
  }

  // Every state-changing protocol function is reached by a handler that ran.
  const reached = new Map<string, string[]>();
  const required = PROTOCOL_CONTRACTS.flatMap(stateChangingFunctions).filter(
    (f) => !(NOT_USED_BY_THE_PROTOCOL as readonly string[]).includes(f),
  );
  for (const fn of required) {
    const handlers = REACH[fn];
    if (!handlers) {
      problems.push(
        `${fn} is not reached by any handler (add one and list it in scripts/checks/invariant-reach.ts)`,
      );
      continue;
    }
    const ran = handlers.filter((h) => (totalCalls.get(h) ?? 0) > 0);
    if (ran.length === 0) problems.push(`${fn}: none of its handlers ran (${handlers.join(", ")})`);
    reached.set(
      fn,
      handlers.map((h) => `${h} (${totalCalls.get(h) ?? 0})`),
    );
  }
  for (const fn of Object.keys(REACH)) {
    if (!required.includes(fn))
      problems.push(`scripts/checks/invariant-reach.ts names ${fn}, which is not in the ABIs`);
  }

  fs.mkdirSync(path.dirname(REPORT), { recursive: true });
  fs.writeFileSync(REPORT, report(campaigns, reached, problems));
  const minCalls = Math.min(...campaigns.map((c) => c.calls));
  console.log(
    `${campaigns.length} campaigns (${invariantFunctions.size} invariant functions), at least ${minCalls} calls each; ` +
      `${totalCalls.size} handler functions; ${reached.size}/${required.length} protocol functions reached.`,
  );
  console.log(`Report: ${path.relative(ROOT, REPORT)}`);
  for (const p of problems) console.error(`FAIL: ${p}`);
  return problems.length === 0 ? 0 : 1;
}

if (require.main === module) process.exitCode = main();
