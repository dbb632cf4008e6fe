/**
 * The layout rules of the tree (README "Layout"), checked on the files git tracks:
 * - `scripts/` holds at most three top-level programs (the user-facing entry points);
 * - dependencies point one way: nothing under `scripts/lib` imports `deploy/` or `scripts/tasks/`;
 * - no import cycle between folders (a folder is a directory of TypeScript files);
 * - the protocol says "round", never "epoch", in contracts, tasks, the app and the docs;
 * - the hand-drawn chart module is gone (reports are drawn by vega-lite).
 */
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");

function tracked(): string[] {
  return execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: ROOT })
    .toString()
    .split("\n")
    .filter((f) => f !== "" && fs.existsSync(path.join(ROOT, f)));
}

const SOURCE = /\.(ts|tsx)$/;
const SPECIFIER = /(?:from|import|require)\s*\(?\s*["'](\.{1,2}\/[^"']*)["']/g;

/** Relative imports of one file, resolved to repository paths (files that exist), as `[from, to]`. */
function importsOf(file: string): string[] {
  const source = fs.readFileSync(path.join(ROOT, file), "utf8");
  const out: string[] = [];
  for (const m of source.matchAll(SPECIFIER)) {
    const base = path.join(path.dirname(file), m[1]);
    for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}.js`, path.join(base, "index.ts")]) {
      const full = path.join(ROOT, candidate);
      if (fs.existsSync(full) && fs.statSync(full).isFile()) {
        out.push(path.normalize(candidate));
        break;
      }
    }
  }
  return out;
}

/** Strongly connected components with more than one node (Tarjan), i.e. the cycles of a graph. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) {
        low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return found;
}

describe("layout", () => {
  const files = tracked();
  const sources = files.filter((f) => SOURCE.test(f) && !f.startsWith("typechain-types/"));

  it("scripts/ holds at most three top-level programs", () => {
    const top = files.filter((f) => /^scripts\/[^/]+\.(ts|js)$/.test(f));
    expect(top.length, top.join(", ")).to.be.at.most(3);
  });

  it("nothing under scripts/lib imports deploy/ or scripts/tasks/", () => {
    const bad: string[] = [];
    for (const f of sources.filter((s) => s.startsWith("scripts/lib/"))) {
      for (const target of importsOf(f)) {
        if (target.startsWith("deploy/") || target.startsWith("scripts/tasks/"))
          bad.push(`${f} -> ${target}`);
      }
    }
    expect(bad).to.deep.equal([]);
  });

  it("no import cycle between folders", () => {
    const graph = new Map<string, Set<string>>();
    for (const f of sources) {
      const from = path.dirname(f);
      if (!graph.has(from)) graph.set(from, new Set());
      for (const target of importsOf(f)) {
        const to = path.dirname(target);
        if (to !== from) graph.get(from)!.add(to);
      }
    }
    expect(cycles(graph)).to.deep.equal([]);
  });

  it('no contract, event, function, task, app page or doc says "epoch"', () => {
    const scanned = files.filter(
      (f) =>
        /\.(sol|ts|tsx|md)$/.test(f) &&
        !f.startsWith("reports/") &&
        !f.startsWith("typechain-types/") &&
        f !== "test/scripts/layout.test.ts",
    );
    const hits = scanned.filter((f) => /epoch/i.test(fs.readFileSync(path.join(ROOT, f), "utf8")));
    expect(hits).to.deep.equal([]);
  });

  it("the hand-written SVG chart module is gone", () => {
    expect(fs.existsSync(path.join(ROOT, "scripts", "lib", "sim", "svg.ts"))).to.equal(false);
  });
});
