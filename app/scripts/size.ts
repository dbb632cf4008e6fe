/**
 * The production build's initial JavaScript, gzipped: the entry script of dist/index.html, its
 * modulepreloads and every chunk they import statically (dynamic `import()`s, the lazy pages, are left
 * out). Prints each file and the total; fails above the budget (250 KB, or SIZE_BUDGET_KB).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { APP } from "./chain";

const BUDGET_KB = Number(process.env.SIZE_BUDGET_KB ?? 250);
const DIST = path.join(APP, "dist");

function main(): void {
  const html = fs.readFileSync(path.join(DIST, "index.html"), "utf8");
  const roots = [
    ...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
  ].map((m) => path.join(DIST, (m[1] ?? "").replace(/^\.?\//, "")));
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = fs.readFileSync(file, "utf8");
    // Static imports and re-exports only: `import … from "./x.js"`, `import "./x.js"`, `export … from "./x.js"`.
    for (const m of code.matchAll(
      /(?:^|[;\s}])(?:import|export)\s*(?:[\w$*{},\s]+?\s*from\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g,
    )) {
      queue.push(path.join(path.dirname(file), m[1] ?? ""));
    }
  }
  let total = 0;
  const rows = [...seen].map((f) => {
    const gz = gzipSync(fs.readFileSync(f), { level: 9 }).length;
    total += gz;
    return { file: path.relative(DIST, f), gz };
  });
  for (const r of rows.sort((a, b) => b.gz - a.gz))
    console.log(`  ${(r.gz / 1024).toFixed(1).padStart(7)} KB  ${r.file}`);
  const kb = total / 1024;
  console.log(
    `Initial JavaScript: ${kb.toFixed(1)} KB gzipped in ${rows.length} files (budget ${BUDGET_KB} KB)`,
  );
  if (kb > BUDGET_KB) {
    console.error(`Over budget by ${(kb - BUDGET_KB).toFixed(1)} KB`);
    process.exit(1);
  }
}

main();
