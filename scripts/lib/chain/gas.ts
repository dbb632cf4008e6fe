/** Gas snapshot helpers for `npm run bench:gas`: measure receipts, compare with the committed snapshot, check budgets. */
import { ContractTransactionResponse } from "ethers";
import * as fs from "fs";

export type GasReport = Record<string, number>;

/** An upper bound on one key, or two keys that must cost the same within a relative tolerance. */
export type Budget =
  | { kind: "max"; key: string; max: number; why: string }
  | { kind: "same"; key: string; like: string; tolerance: number; why: string };

export class GasRecorder {
  readonly report: GasReport = {};

  /** Waits for `tx` and records its receipt's gasUsed under `key`. */
  async record(key: string, tx: Promise<ContractTransactionResponse>): Promise<number> {
    const receipt = await (await tx).wait();
    if (!receipt) throw new Error(`${key}: no receipt`);
    const gas = Number(receipt.gasUsed);
    this.report[key] = gas;
    return gas;
  }
}

export function readReport(path: string): GasReport {
  if (!fs.existsSync(path)) return {};
  return JSON.parse(fs.readFileSync(path, "utf8")) as GasReport;
}

/** Writes keys in sorted order so diffs of the committed snapshot stay readable. */
export function writeReport(path: string, report: GasReport): void {
  const sorted: GasReport = {};
  for (const k of Object.keys(report).sort()) sorted[k] = report[k];
  fs.writeFileSync(path, JSON.stringify(sorted, null, 2) + "\n");
}

/** One line per key: new value and the change against the previous snapshot. */
export function diffLines(previous: GasReport, current: GasReport): string[] {
  const keys = [...new Set([...Object.keys(previous), ...Object.keys(current)])].sort();
  const width = Math.max(...keys.map((k) => k.length));
  return keys.map((k) => {
    const before = previous[k];
    const now = current[k];
    if (now === undefined) return `${k.padEnd(width)}  (removed; was ${before})`;
    if (before === undefined) return `${k.padEnd(width)}  ${String(now).padStart(10)}  (new)`;
    const delta = now - before;
    const pct = before === 0 ? 0 : (delta / before) * 100;
    const sign = delta > 0 ? "+" : "";
    return `${k.padEnd(width)}  ${String(now).padStart(10)}  ${delta === 0 ? "=" : `${sign}${delta} (${sign}${pct.toFixed(2)}%)`}`;
  });
}

/** Returns the violated budgets, described in plain words. */
export function checkBudgets(report: GasReport, budgets: Budget[]): string[] {
  const failures: string[] = [];
  for (const b of budgets) {
    const value = report[b.key];
    if (value === undefined) {
      failures.push(`${b.key}: not measured`);
      continue;
    }
    if (b.kind === "max" && value > b.max) failures.push(`${b.key} = ${value} > ${b.max} (${b.why})`);
    if (b.kind === "same") {
      const other = report[b.like];
      if (other === undefined) failures.push(`${b.like}: not measured`);
      else if (Math.abs(value - other) > other * b.tolerance) {
        failures.push(
          `${b.key} = ${value} differs from ${b.like} = ${other} by more than ${b.tolerance * 100}% (${b.why})`,
        );
      }
    }
  }
  return failures;
}
