/**
 * Combined Solidity coverage of contracts/ (mocks excluded): the Hardhat suite's lcov (`hardhat coverage`,
 * coverage/lcov.info) merged per file, line and branch with the forge suites' (`forge coverage --report
 * lcov` under FOUNDRY_PROFILE=coverage, shallow invariant campaigns; written to coverage/forge.lcov).
 * Prints both and the union, writes coverage/combined.lcov, and fails below 99% of lines or 95% of branches.
 * How the two tools' records are matched: scripts/checks/lcov.ts.
 *
 * Usage (after `hardhat coverage`): ts-node scripts/checks/coverage.ts [--reuse-forge | --no-forge]
 *   --reuse-forge  use the coverage/forge.lcov already there instead of running forge coverage
 *   --no-forge     the thresholds on the Hardhat suite's lcov alone (CI: the forge suites run plain there,
 *                  at full campaign depth, and the Hardhat suite alone covers contracts/ above them)
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Coverage, fileTotals, formatLcov, mergeCoverage, parseLcov, Ratio, totals } from "./lcov";

const THRESHOLDS = { lines: 99, branches: 95 } as const;
const ROOT = path.join(__dirname, "..", "..");
/** forge through tools/forge.js: the npm wrapper always exits 0. */
const FORGE = path.join(ROOT, "tools", "forge.js");
const HARDHAT_LCOV = path.join(ROOT, "coverage", "lcov.info");
const FORGE_LCOV = path.join(ROOT, "coverage", "forge.lcov");
const FORGE_LOG = path.join(ROOT, "coverage", "forge-coverage.log");
const COMBINED_LCOV = path.join(ROOT, "coverage", "combined.lcov");

const isProtocol = (file: string): boolean =>
  file.startsWith("contracts/") && !file.startsWith("contracts/mocks/") && file.endsWith(".sol");

function runForgeCoverage(): void {
  console.log("forge coverage (FOUNDRY_PROFILE=coverage) ...");
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    [FORGE, "coverage", "--report", "lcov", "--report-file", FORGE_LCOV],
    {
      cwd: ROOT,
      env: { ...process.env, FOUNDRY_PROFILE: "coverage" },
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  fs.writeFileSync(FORGE_LOG, output);
  const summary = output
    .split("\n")
    .filter((l) => /^(Ran \d+ test suites|Suite result: FAILED|\[FAIL)/.test(l));
  console.log(summary.map((l) => `  ${l}`).join("\n"));
  console.log(
    `  ${((Date.now() - started) / 1000).toFixed(0)} s; full output in ${path.relative(ROOT, FORGE_LOG)}`,
  );
  if (result.status !== 0) {
    console.error(output.split("\n").slice(-40).join("\n"));
    throw new Error(`forge coverage failed (exit ${result.status ?? result.signal})`);
  }
}

function read(file: string, hint: string): Coverage {
  if (!fs.existsSync(file)) throw new Error(`No ${path.relative(ROOT, file)}: ${hint}`);
  return parseLcov(fs.readFileSync(file, "utf8"), ROOT);
}

const pct = (r: Ratio): string => `${r.pct.toFixed(2)}% (${r.covered}/${r.total})`.padEnd(20);

function main(): number {
  const hardhat = read(HARDHAT_LCOV, "run `npx hardhat coverage` first");
  const withForge = !process.argv.includes("--no-forge");
  if (withForge && !process.argv.includes("--reuse-forge")) runForgeCoverage();
  const forge: Coverage = withForge ? read(FORGE_LCOV, "run without --reuse-forge") : new Map();
  const combined = mergeCoverage(hardhat, forge);
  fs.writeFileSync(COMBINED_LCOV, formatLcov(new Map([...combined].filter(([f]) => isProtocol(f)))));

  console.log(
    `\n${"file".padEnd(46)} ${"lines: hardhat".padEnd(20)} ${"forge".padEnd(20)} ${"combined".padEnd(20)} branches: combined`,
  );
  const files = [...combined.keys()].filter(isProtocol).sort();
  for (const file of files) {
    const c = fileTotals(combined.get(file)!);
    if (c.lines.total === 0 && c.branches.total === 0) continue; // interfaces
    const h = hardhat.get(file);
    const f = forge.get(file);
    const hardhatLines = h ? pct(fileTotals(h).lines) : "-".padEnd(20);
    const forgeLines = f ? pct(fileTotals(f).lines) : "-".padEnd(20);
    console.log(`${file.padEnd(46)} ${hardhatLines} ${forgeLines} ${pct(c.lines)} ${pct(c.branches)}`);
  }

  let failed = false;
  console.log("");
  const sources = { hardhat, forge, combined };
  for (const metric of ["lines", "branches"] as const) {
    const [h, f, c] = (["hardhat", "forge", "combined"] as const).map(
      (s) => totals(sources[s], isProtocol)[metric],
    );
    const ok = c.pct >= THRESHOLDS[metric];
    failed ||= !ok;
    console.log(
      `${metric.padEnd(9)} combined ${pct(c)} threshold ${THRESHOLDS[metric]}%: ${ok ? "ok" : "FAIL"}` +
        `   (hardhat ${h.pct.toFixed(2)}%, forge ${withForge ? `${f.pct.toFixed(2)}%` : "not measured"})`,
    );
  }
  console.log(`merged lcov: ${path.relative(ROOT, COMBINED_LCOV)}`);
  return failed ? 1 : 0;
}

try {
  process.exitCode = main();
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
}
