/**
 * Fails when Solidity coverage (from `hardhat coverage`, mocks excluded by .solcover.js) falls below
 * the thresholds the issues set: 95% of lines and 90% of branches.
 */
import * as fs from "fs";
import * as path from "path";

const THRESHOLDS = { lines: 95, branches: 90 } as const;
type Metric = { total: number; covered: number; pct: number };
type Summary = Record<string, { lines: Metric; branches: Metric; statements: Metric; functions: Metric }>;

const file = path.join(__dirname, "..", "coverage", "coverage-summary.json");
if (!fs.existsSync(file)) {
  console.error(`No ${path.relative(process.cwd(), file)}: run \`npx hardhat coverage\` first.`);
  process.exit(1);
}
const summary = JSON.parse(fs.readFileSync(file, "utf8")) as Summary;
const total = summary.total;
let failed = false;
for (const metric of ["lines", "branches"] as const) {
  const { pct, covered, total: all } = total[metric];
  const ok = pct >= THRESHOLDS[metric];
  failed ||= !ok;
  console.log(
    `${metric.padEnd(9)} ${pct.toFixed(2)}% (${covered}/${all}), threshold ${THRESHOLDS[metric]}%: ${ok ? "ok" : "FAIL"}`,
  );
}
process.exit(failed ? 1 : 0);
