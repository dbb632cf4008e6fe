/**
 * Command-line flags of `scripts/simulate.ts` (`node:util` `parseArgs`, plain error messages) and its
 * progress bar (`cli-progress`).
 */
import { SingleBar } from "cli-progress";
import * as path from "path";
import { ParseArgsConfig, parseArgs } from "node:util";

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
  /** Most live launched subnets per contribution bucket (the subnet market, market.ts); 0 or absent: none. */
  subnets?: number;
  /**
   * Days over which a launch's doubled cost decays (the factory's `decayPeriod`, set by governance at
   * the start when it differs from the contract's 14 days): the pace at which the market can fill.
   */
  launchDecay?: number;
}

/** Where the simulation runs: the in-process Hardhat network, or an anvil child process it starts. */
export const CHAINS = ["hardhat", "anvil"] as const;
export type SimChain = (typeof CHAINS)[number];

export interface SimOptions extends ScenarioSize {
  /** Report folder. */
  out: string;
  /** No progress output on stderr. */
  quiet: boolean;
  /** The chain (default: the in-process Hardhat network). */
  chain: SimChain;
  /** Compile first (Hardhat's `compile`, a no-op when nothing changed); `--no-compile` skips it. */
  compile: boolean;
}

/** The full default run: a year, 64 contributors per bucket, 16 validators per subnet, 100 stakers. */
export const DEFAULT_SIZE: ScenarioSize = {
  days: 365,
  contributors: 64,
  validators: 16,
  stakers: 100,
  seed: 1,
  subnets: 0,
  launchDecay: 14,
};

/** `reports/sim/<seed>-<days>d` (`-<subnets>s` with a market), relative to `root`. */
export function defaultOut(size: Pick<ScenarioSize, "seed" | "days" | "subnets">, root = "."): string {
  const market = size.subnets ? `-${size.subnets}s` : "";
  return path.join(root, "reports", "sim", `${size.seed}-${size.days}d${market}`);
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
  "--subnets": {
    key: "subnets",
    min: 0,
    max: 31,
    help: "launched subnets per bucket at most (0: no market)",
  },
  "--launch-decay": {
    key: "launchDecay",
    min: 1,
    max: 365,
    help: "days a launch's doubled cost takes to decay back (with --subnets)",
  },
};

/** The `--help` text. */
export function usage(command = "ts-node scripts/simulate.ts"): string {
  const lines = [
    `Usage: ${command} [options]`,
    "",
    "Agent-based simulation of the Tetrad economy on the real contracts (in-process Hardhat network or anvil):",
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
    `  ${"--chain NAME".padEnd(20)}hardhat (in-process, default) or anvil (a child process with history`,
    `  ${"".padEnd(20)}pruning: memory stays flat over long runs)`,
    `  ${"--out DIR".padEnd(20)}report folder (default reports/sim/<seed>-<days>d)`,
    `  ${"--no-compile".padEnd(20)}do not compile first (the artifacts are up to date)`,
    `  ${"--quiet".padEnd(20)}no progress bar on stderr (there is one on a terminal only)`,
    `  ${"-h, --help".padEnd(20)}this text`,
  );
  return lines.join("\n");
}

/** What the command line asks for. */
export type ParsedArgs =
  { kind: "run"; options: SimOptions } | { kind: "help" } | { kind: "error"; message: string };

/** The flags as `node:util` `parseArgs` options. */
const PARSE_OPTIONS = {
  ...Object.fromEntries(Object.keys(INT_FLAGS).map((flag) => [flag.slice(2), { type: "string" as const }])),
  out: { type: "string" },
  chain: { type: "string" },
  quiet: { type: "boolean" },
  "no-compile": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} satisfies ParseArgsConfig["options"];

/**
 * Parses flags (`--days 30` or `--days=30`) with `node:util` `parseArgs`, walking its tokens in order
 * so that each problem gets a one-line message: unknown flags, flags given twice, missing or malformed
 * values and values out of range are errors; nothing throws.
 */
export function parseSimArgs(argv: readonly string[], defaults: ScenarioSize = DEFAULT_SIZE): ParsedArgs {
  // Not strict: parseArgs only splits the arguments into tokens; the checks below word the errors.
  const { tokens } = parseArgs({
    args: [...argv],
    options: PARSE_OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const size: ScenarioSize = { ...defaults };
  let out: string | undefined;
  let quiet = false;
  let compile = true;
  let chain: SimChain = "hardhat";
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind === "option-terminator") continue;
    if (token.kind === "positional") {
      return {
        kind: "error",
        message: `unexpected argument "${token.value}" (options start with --; see --help)`,
      };
    }
    const flag = `--${token.name}`;
    if (token.name === "help") return { kind: "help" };
    if (!Object.hasOwn(PARSE_OPTIONS, token.name)) {
      return { kind: "error", message: `unknown option ${token.rawName} (see --help)` };
    }
    if (seen.has(flag)) return { kind: "error", message: `${flag} given twice` };
    seen.add(flag);
    if (flag === "--quiet" || flag === "--no-compile") {
      if (token.value !== undefined) return { kind: "error", message: `${flag} takes no value` };
      if (flag === "--quiet") quiet = true;
      else compile = false;
      continue;
    }
    const value = token.value;
    // `--days --out x`: parseArgs takes "--out" as the value; a flag is not a value.
    if (value === undefined || (!token.inlineValue && value.startsWith("--"))) {
      return { kind: "error", message: `${flag} needs a value` };
    }
    if (flag === "--out") {
      if (value.trim() === "") return { kind: "error", message: "--out needs a folder" };
      out = value;
      continue;
    }
    if (flag === "--chain") {
      const known = CHAINS.find((c) => c === value);
      if (!known) return { kind: "error", message: `--chain: "${value}" is not one of ${CHAINS.join(", ")}` };
      chain = known;
      continue;
    }
    const int = INT_FLAGS[flag];
    if (!/^\d+$/.test(value)) {
      return { kind: "error", message: `${flag}: "${value}" is not a whole number` };
    }
    const n = Number(value);
    if (n < int.min || n > int.max) {
      return { kind: "error", message: `${flag}: ${n} is out of range (${int.min}-${int.max})` };
    }
    size[int.key] = n;
  }
  return { kind: "run", options: { ...size, out: out ?? defaultOut(size), quiet, chain, compile } };
}

/** Where a run reports its progress; tests and benchmarks leave it out (silent). */
export interface ProgressSink {
  /** `done` of `total` units finished; `detail` is shown after the counts. */
  update(done: number, total: number, detail?: string): void;
  /** Stops the bar so the next output starts on a fresh line. */
  finish(): void;
}

/** A sink that prints nothing. */
export const silentProgress: ProgressSink = { update: () => undefined, finish: () => undefined };

/**
 * A `cli-progress` bar on `stream` (stderr by default), e.g.
 * `simulating [=====-----] 12/30 days 40% | ETA 6s | 1520 tx`. Silent when `quiet` is set or the
 * stream is not a terminal (CI logs, pipes).
 */
export function createProgress(options: {
  label: string;
  unit: string;
  quiet?: boolean;
  stream?: NodeJS.WriteStream;
}): ProgressSink {
  const stream = options.stream ?? process.stderr;
  if (options.quiet || !stream.isTTY) return silentProgress;
  const bar = new SingleBar({
    stream,
    format: `${options.label} [{bar}] {value}/{total} ${options.unit} {percentage}% | ETA {eta_formatted} | {detail}`,
    barCompleteChar: "=",
    barIncompleteChar: "-",
    barsize: 24,
    hideCursor: true,
    clearOnComplete: true,
  });
  let started = false;
  return {
    update(done, total, detail = "") {
      if (!started) {
        bar.start(total, done, { detail });
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done, { detail });
      }
    },
    finish() {
      if (started) bar.stop();
      started = false;
    },
  };
}
