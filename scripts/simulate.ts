/**
 * The agent-based economy simulation (scripts/lib/sim/): deploys the whole system on the in-process
 * Hardhat network, runs capital stakers, contributors, honest, lazy and colluding validators and a
 * governance proposal day by day on the real contracts, prints a summary with the reconciliation
 * against the emission schedule, and writes a report folder (index.html, CSV, SVG charts, summary.json).
 *
 *   npx ts-node scripts/simulate.ts --days 30 --seed 7
 *   npm run simulate -- --days 365            (the full default run)
 *   npm run demo                              (a short scenario)
 *
 * Exit codes: 0 done and reconciled, 1 reconciliation failed or error, 2 bad flags.
 */
import hre from "hardhat";
import * as path from "path";
import { createProgress, parseSimArgs, usage } from "./lib/sim/cli";

async function main(): Promise<void> {
  const parsed = parseSimArgs(process.argv.slice(2));
  if (parsed.kind === "help") {
    console.log(usage());
    return;
  }
  if (parsed.kind === "error") {
    console.error(`simulate: ${parsed.message}`);
    process.exitCode = 2;
    return;
  }
  if (hre.network.name !== "hardhat") {
    console.error(`simulate: runs on the in-process Hardhat network only (selected: ${hre.network.name})`);
    process.exitCode = 2;
    return;
  }
  const options = parsed.options;
  await hre.run("compile", { quiet: true });
  // These use the TypeChain bindings, which the compile above (re)generates: load them after it.
  const { runSimulation } = await import("./lib/sim/scenario");
  const { deploymentText, summaryText, writeReport } = await import("./lib/sim/report");

  const { stages } = await import("../deploy/stages");

  const progress = createProgress({ label: "simulating", unit: "days", quiet: options.quiet });
  const result = await runSimulation({ ...options, progress, deploy: stages(hre) });
  const files = await writeReport(result, options.out);
  console.log(deploymentText(result) + "\n");
  console.log(summaryText(result));
  const relative = path.relative(process.cwd(), options.out);
  const dir = relative === "" ? "." : relative.startsWith("..") ? path.resolve(options.out) : relative;
  console.log(`\nReport: ${dir}${path.sep}`);
  for (const f of files) console.log(`  ${path.relative(options.out, f)}`);
  if (!result.reconciliation.ok) {
    console.error("simulate: the totals do not reconcile with the emission schedule (see FAIL above)");
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
