/** Command-line flags of `scripts/simulate.ts`: a tiny typed parser with plain error messages. */
import * as path from "path";

/** The size and seed of a simulation run. */
export interface ScenarioSize {
  /** Simulated days (one distribution and one scoring round per subnet a day). */
  days: number;
  /** Contributors registered in each contribution bucket's subnet (code, community, compute). */
  contributors: number;
  /** Validators per subnet. */
  validators: number;
  /** Capital stakers. */
  stakers: number;
  /** Seed of the PRNG: the same seed gives the same run. */
  seed: number;
}

export interface SimOptions extends ScenarioSize {
  /** Report folder. */
  out: string;
  /** No progress output on stderr. */
  quiet: boolean;
}

/** The full default run: a year, 64 contributors per bucket, 16 validators per subnet, 100 stakers. */
export const DEFAULT_SIZE: ScenarioSize = {
  days: 365,
  contributors: 64,
  validators: 16,
  stakers: 100,
  seed: 1,
};

/** `reports/sim/<seed>-<days>d`, relative to `root`. */
export function defaultOut(size: Pick<ScenarioSize, "seed" | "days">, root = "."): string {
  return path.join(root, "reports", "sim", `${size.seed}-${size.days}d`);
}

interface IntFlag {
  key: keyof ScenarioSize;
  min: number;
  max: number;
  help: string;
}

const INT_FLAGS: Record<string, IntFlag> = {
  "--days": { key: "days", min: 1, max: 5833, help: "simulated days" },
  "--contributors": { key: "contributors", min: 1, max: 256, help: "contributors per bucket subnet" },
  "--validators": { key: "validators", min: 1, max: 64, help: "validators per subnet" },
  "--stakers": { key: "stakers", min: 0, max: 2000, help: "capital stakers" },
  "--seed": { key: "seed", min: 0, max: 4294967295, help: "PRNG seed" },
};

/** The `--help` text. */
export function usage(command = "ts-node scripts/simulate.ts"): string {
  const lines = [
    `Usage: ${command} [options]`,
    "",
    "Agent-based simulation of the Tetrad economy on the real contracts (in-process Hardhat network):",
    "capital stakers, contributors of varied quality in the code, community and compute subnets,",
    "honest, lazy and colluding validators, a governance proposal mid-run that changes bucket shares.",
    "",
    "Options:",
  ];
  for (const [flag, f] of Object.entries(INT_FLAGS)) {
    const name = `${flag} N`.padEnd(20);
    lines.push(`  ${name}${f.help} (${f.min}-${f.max}, default ${DEFAULT_SIZE[f.key]})`);
  }
  lines.push(
    `  ${"--out DIR".padEnd(20)}report folder (default reports/sim/<seed>-<days>d)`,
    `  ${"--quiet".padEnd(20)}no progress on stderr`,
    `  ${"-h, --help".padEnd(20)}this text`,
  );
  return lines.join("\n");
}

/** What the command line asks for. */
export type ParsedArgs =
  { kind: "run"; options: SimOptions } | { kind: "help" } | { kind: "error"; message: string };

/**
 * Parses flags (`--days 30` or `--days=30`). Unknown flags, missing or malformed values and values
 * out of range are errors with a one-line message; nothing throws.
 */
export function parseSimArgs(argv: readonly string[], defaults: ScenarioSize = DEFAULT_SIZE): ParsedArgs {
  const size: ScenarioSize = { ...defaults };
  let out: string | undefined;
  let quiet = false;
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "-h" || arg === "--help") return { kind: "help" };
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith("--") && eq > 0 ? arg.slice(eq + 1) : undefined;
    if (!flag.startsWith("--")) {
      return { kind: "error", message: `unexpected argument "${arg}" (options start with --; see --help)` };
    }
    if (seen.has(flag)) return { kind: "error", message: `${flag} given twice` };
    seen.add(flag);
    if (flag === "--quiet") {
      if (inline !== undefined) return { kind: "error", message: "--quiet takes no value" };
      quiet = true;
      continue;
    }
    const int = INT_FLAGS[flag];
    if (int === undefined && flag !== "--out") {
      return { kind: "error", message: `unknown option ${flag} (see --help)` };
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--"))
        return { kind: "error", message: `${flag} needs a value` };
      value = next;
      i++;
    }
    if (flag === "--out") {
      if (value.trim() === "") return { kind: "error", message: "--out needs a folder" };
      out = value;
      continue;
    }
    if (!/^\d+$/.test(value)) {
      return { kind: "error", message: `${flag}: "${value}" is not a whole number` };
    }
    const n = Number(value);
    if (n < int.min || n > int.max) {
      return { kind: "error", message: `${flag}: ${n} is out of range (${int.min}-${int.max})` };
    }
    size[int.key] = n;
  }
  return { kind: "run", options: { ...size, out: out ?? defaultOut(size), quiet } };
}
