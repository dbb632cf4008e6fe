/**
 * `npm run bench:adversarial`: runs the consensus attacks of scripts/bench/adversarial/scenarios.ts
 * on the in-process Hardhat network and writes
 * - reports/adversarial.json: flat numeric keys (`<scenario>.<metric>`, issue 15's governance guardrails
 *   (`governance.*`, from ./guardrails.ts) and subnet guardrails (`slash.escape.*`, `eviction.*`,
 *   `stalledRound.*`, `sybil.refresh.*`, from ./subnet-guardrails.ts), the subnet settings as
 *   `params.<field>`, the run time as `bench.wallSeconds`);
 * - reports/adversarial-runs.json: the scenarios' descriptions, bounds and round-by-round records.
 * Prints every bound and whether it holds; a broken bound is reported, not fatal (the tests in
 * test/security/Consensus.attacks.test.ts fail on it).
 */
import { promises as fs } from "fs";
import * as path from "path";
import { SCENARIOS, brokenBounds, scenarioOutcome } from "./adversarial/scenarios";
import { guardrailMetrics } from "./guardrails";
import { subnetGuardrailMetrics } from "./subnet-guardrails";

const FLAT = path.join("reports", "adversarial.json");
const RUNS = path.join("reports", "adversarial-runs.json");

async function main(): Promise<void> {
  const start = Date.now();
  const flat: Record<string, number> = {};
  const runs: Record<string, unknown>[] = [];
  let params: Record<string, number> | undefined;
  const broken: string[] = [];
  for (const s of SCENARIOS) {
    const t0 = Date.now();
    const outcome = await scenarioOutcome(s.id);
    const seconds = (Date.now() - t0) / 1000;
    Object.assign(flat, outcome.metrics);
    params ??= outcome.runs[0]?.params as Record<string, number> | undefined;
    const bad = brokenBounds(s.bounds, outcome.metrics);
    broken.push(...bad);
    runs.push({
      id: s.id,
      description: s.description,
      bounds: s.bounds,
      seconds,
      metrics: outcome.metrics,
      runs: outcome.runs,
    });
    console.log(`${s.id} (${seconds.toFixed(1)} s)`);
    for (const [k, v] of Object.entries(outcome.metrics)) {
      const b = s.bounds.find((x) => x.key === k);
      const verdict = b
        ? bad.some((line) => line.startsWith(`${k} =`))
          ? `BROKEN (${b.op} ${b.limit})`
          : `ok (${b.op} ${b.limit})`
        : "";
      console.log(`  ${k} = ${v} ${verdict}`);
    }
  }
  // Issue 15's governance guardrails (scripts/bench/guardrails.ts; the GUARD- tests assert them).
  const t0 = Date.now();
  const guardrails = await guardrailMetrics();
  Object.assign(flat, guardrails);
  console.log(`governance guardrails (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  for (const [k, v] of Object.entries(guardrails)) console.log(`  ${k} = ${v}`);
  // Issue 15's subnet guardrails (scripts/bench/subnet-guardrails.ts; GUARD-11..32 assert them).
  const t1 = Date.now();
  const subnetGuardrails = await subnetGuardrailMetrics();
  Object.assign(flat, subnetGuardrails);
  console.log(`subnet guardrails (${((Date.now() - t1) / 1000).toFixed(1)} s)`);
  for (const [k, v] of Object.entries(subnetGuardrails)) console.log(`  ${k} = ${v}`);
  for (const [k, v] of Object.entries(params ?? {})) flat[`params.${k}`] = v;
  const wallSeconds = Number(((Date.now() - start) / 1000).toFixed(1));
  flat["bench.wallSeconds"] = wallSeconds;
  await fs.mkdir(path.dirname(FLAT), { recursive: true });
  await fs.writeFile(FLAT, JSON.stringify(flat, null, 2) + "\n");
  await fs.writeFile(
    RUNS,
    JSON.stringify({ date: new Date().toISOString(), wallSeconds, params, scenarios: runs }, null, 2) + "\n",
  );
  console.log(`\n${broken.length} bound(s) broken${broken.length ? ":\n  " + broken.join("\n  ") : ""}`);
  console.log(`wrote ${FLAT} and ${RUNS} in ${wallSeconds} s`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
