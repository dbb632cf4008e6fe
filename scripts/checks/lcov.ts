/**
 * LCOV tracefiles (https://github.com/linux-test-project/lcov, geninfo(1) "TRACEFILE FORMAT"): parsing,
 * merging and totals, for the combined coverage of the Hardhat suite (solidity-coverage, istanbul) and the
 * forge suites (`forge coverage --report lcov`). scripts/checks/coverage.ts uses it.
 *
 * The two tools instrument the same sources differently, so records are matched as follows:
 * - Lines (DA) by file and line number. A function's declaration line counts as executed when the function
 *   ran (FN + FNDA): forge lists declaration lines as lines, istanbul lists them as functions only.
 * - Branches (BRDA) by file, line, the branch point's order among the branch points on that line, and the
 *   arm (0: condition true / first arm, 1: the other). Block numbers are each tool's own and are not compared.
 *   An `if (...) revert` is one arm in forge (taken) and two in istanbul; a modifier is a branch point only
 *   in istanbul; a try/catch only in forge. The union keeps every arm either tool knows.
 * A line or an arm is covered when either tool executed it.
 */
import * as path from "path";

export interface FileCoverage {
  /** Execution counts by line number (DA). */
  lines: Map<number, number>;
  /** Calls by the line the function starts on (FN, FNDA). */
  functions: Map<number, number>;
  /** Times taken by branch arm, keyed `line:order:arm` (BRDA). */
  branches: Map<string, number>;
}

/** Coverage by source path, relative to the project root, with forward slashes. */
export type Coverage = Map<string, FileCoverage>;

export interface Ratio {
  covered: number;
  total: number;
  /** Percentage; 100 when there is nothing to cover. */
  pct: number;
}

export interface Totals {
  lines: Ratio;
  branches: Ratio;
}

function emptyFile(): FileCoverage {
  return { lines: new Map(), functions: new Map(), branches: new Map() };
}

function add<K>(map: Map<K, number>, key: K, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

function count(field: string): number {
  const n = Number(field);
  return Number.isFinite(n) ? n : 0; // "-": a branch whose block never ran
}

/** The path as the project sees it: relative to `root`, forward slashes. */
export function sourcePath(file: string, root: string): string {
  const relative = path.isAbsolute(file) ? path.relative(root, file) : path.normalize(file);
  return relative.split(path.sep).join("/");
}

/**
 * Parses an LCOV tracefile (format 1.x or 2.x). Paths are made relative to `root`; a file that appears in
 * several records is merged.
 */
export function parseLcov(text: string, root: string): Coverage {
  const coverage: Coverage = new Map();
  let file: FileCoverage | undefined;
  let functionLines = new Map<string, number>();
  let branchOrder = new Map<number, string[]>(); // line -> block ids in order of appearance
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const colon = line.indexOf(":");
    const tag = colon < 0 ? line : line.slice(0, colon);
    const fields = colon < 0 ? [] : line.slice(colon + 1).split(",");
    if (tag === "SF") {
      const name = sourcePath(line.slice(colon + 1), root);
      file = coverage.get(name) ?? emptyFile();
      coverage.set(name, file);
      functionLines = new Map();
      branchOrder = new Map();
    } else if (tag === "end_of_record") {
      file = undefined;
    } else if (file === undefined) {
      continue;
    } else if (tag === "DA") {
      add(file.lines, Number(fields[0]), count(fields[1]));
    } else if (tag === "FN") {
      // 1.x: FN:<line>,<name>; 2.0: FN:<line>,<end line>,<name>
      functionLines.set(fields.slice(fields.length === 3 ? 2 : 1).join(","), Number(fields[0]));
    } else if (tag === "FNDA") {
      const start = functionLines.get(fields.slice(1).join(","));
      if (start !== undefined) add(file.functions, start, count(fields[0]));
    } else if (tag === "BRDA") {
      const at = Number(fields[0]);
      const blocks = branchOrder.get(at) ?? [];
      if (!blocks.includes(fields[1])) blocks.push(fields[1]);
      branchOrder.set(at, blocks);
      add(file.branches, `${at}:${blocks.indexOf(fields[1])}:${fields[2]}`, count(fields[3]));
    }
  }
  return coverage;
}

/** The union of two coverages: every line, function and branch arm of either, counts added. */
export function mergeCoverage(a: Coverage, b: Coverage): Coverage {
  const merged: Coverage = new Map();
  for (const source of [a, b]) {
    for (const [name, file] of source) {
      const into = merged.get(name) ?? emptyFile();
      merged.set(name, into);
      for (const [k, n] of file.lines) add(into.lines, k, n);
      for (const [k, n] of file.functions) add(into.functions, k, n);
      for (const [k, n] of file.branches) add(into.branches, k, n);
    }
  }
  return merged;
}

function ratio(covered: number, total: number): Ratio {
  return { covered, total, pct: total === 0 ? 100 : (100 * covered) / total };
}

/** Lines and branch arms of one file, covered and in all. */
export function fileTotals(file: FileCoverage): Totals {
  let lines = 0;
  for (const [at, n] of file.lines) if (n > 0 || (file.functions.get(at) ?? 0) > 0) ++lines;
  let branches = 0;
  for (const n of file.branches.values()) if (n > 0) ++branches;
  return { lines: ratio(lines, file.lines.size), branches: ratio(branches, file.branches.size) };
}

/** Lines and branch arms of the files `include` accepts, summed. */
export function totals(coverage: Coverage, include: (file: string) => boolean = () => true): Totals {
  const sum = { lines: [0, 0], branches: [0, 0] };
  for (const [name, file] of coverage) {
    if (!include(name)) continue;
    const t = fileTotals(file);
    sum.lines[0] += t.lines.covered;
    sum.lines[1] += t.lines.total;
    sum.branches[0] += t.branches.covered;
    sum.branches[1] += t.branches.total;
  }
  return { lines: ratio(sum.lines[0], sum.lines[1]), branches: ratio(sum.branches[0], sum.branches[1]) };
}

/** Writes a coverage back as an LCOV tracefile (format 1), e.g. for genhtml or an editor. */
export function formatLcov(coverage: Coverage): string {
  const out: string[] = [];
  const byNumber = (x: number, y: number): number => x - y;
  for (const [name, file] of [...coverage].sort(([x], [y]) => x.localeCompare(y))) {
    out.push(`SF:${name}`);
    const starts = [...file.functions.keys()].sort(byNumber);
    for (const at of starts) out.push(`FN:${at},line${at}`);
    for (const at of starts) out.push(`FNDA:${file.functions.get(at)},line${at}`);
    out.push(
      `FNF:${starts.length}`,
      `FNH:${starts.filter((at) => (file.functions.get(at) ?? 0) > 0).length}`,
    );
    for (const at of [...file.lines.keys()].sort(byNumber)) {
      // A declaration line whose function ran counts as executed (see fileTotals).
      out.push(`DA:${at},${file.lines.get(at) || file.functions.get(at) || 0}`);
    }
    const t = fileTotals(file);
    out.push(`LF:${t.lines.total}`, `LH:${t.lines.covered}`);
    const arms = [...file.branches.keys()].map((key) => key.split(":").map(Number));
    arms.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
    for (const [at, order, arm] of arms) {
      out.push(`BRDA:${at},${at * 100 + order},${arm},${file.branches.get(`${at}:${order}:${arm}`)}`);
    }
    out.push(`BRF:${t.branches.total}`, `BRH:${t.branches.covered}`, "end_of_record");
  }
  return out.join("\n") + "\n";
}
