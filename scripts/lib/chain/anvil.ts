/**
 * anvil (Foundry's node, npm `@foundry-rs/anvil`) as a child process of ours: found by its platform
 * binary, started on a free loopback port, ready once it answers with OUR chain id (a node left on the
 * port would not), and stopped by its own PID, never by name. Its memory and CPU are read from /proc.
 * Used by the test-network check (scripts/checks/testnet.ts) and the simulation's `--chain anvil`
 * (scripts/simulate.ts). Node built-ins only.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import { freePort, rpc } from "./local-node";

/** The platform binary (node_modules/.bin/anvil is a Node wrapper: its PID is not anvil's). */
export function anvilBinary(): string {
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch as string];
  const name = process.platform === "win32" ? "anvil.exe" : "anvil";
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`;
  try {
    return require.resolve(`${pkg}/bin/${name}`);
  } catch {
    throw new Error(
      `anvil: ${pkg} is not installed (npm install; it is an optional dependency of @foundry-rs/anvil)`,
    );
  }
}

export interface AnvilOptions {
  chainId: number;
  /** Further command-line arguments (`--prune-history`, `--accounts 1`, ...). */
  args?: readonly string[];
  /** How long one start may take to answer (default 30 s); three ports are tried. */
  timeoutMs?: number;
  /**
   * Mining that does not slow down as the state grows. anvil's own in-memory database recomputes the
   * whole state root at every block, each storage slot hashed again: a block costs about 1 ms over a
   * few contracts, 90 ms once they hold 20,000 slots (measured here, anvil 1.7.1), so a long run
   * slows down day after day. A forked anvil keeps no state root. With this option a second anvil,
   * idle and empty (same chain id, no accounts), is started first and the node is forked from its
   * genesis (`--fork-url`, `--no-storage-caching`): the node then asks it only for accounts and slots
   * it has never seen, which are empty. Both processes are stopped together; `usage()` adds them up.
   */
  forkFromEmpty?: boolean;
}

/** Memory and CPU of a running process, from /proc (Linux); null elsewhere or once it has exited. */
export interface ProcessUsage {
  /** Peak resident set (VmHWM), bytes. */
  peakRss: number;
  /** Current resident set (VmRSS), bytes. */
  rss: number;
  /** User + system CPU time, seconds. */
  cpuSeconds: number;
}

export interface Anvil {
  /** The node's PID. */
  readonly pid: number;
  /** Every process started: the node, and the empty chain it is forked from (`forkFromEmpty`). */
  readonly pids: readonly number[];
  readonly url: string;
  readonly chainId: number;
  /**
   * Peak memory and CPU so far, added up over the processes (read it before `stop()`: the numbers go
   * with the processes). With two processes `peakRss` is the sum of their peaks.
   */
  usage(): ProcessUsage | null;
  /** Sends SIGTERM to every process that still runs, now (for exit handlers). */
  kill(): void;
  /** SIGTERM, then SIGKILL after 5 s; resolves once every process has exited. Returns the last usage. */
  stop(): Promise<ProcessUsage | null>;
}

/** `/proc/<pid>/status` VmHWM and VmRSS, `/proc/<pid>/stat` utime + stime. */
export function processUsage(pid: number): ProcessUsage | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kB = (key: string) =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) * 1024;
    // Fields after the command name (which may hold spaces, inside parentheses): utime and stime are
    // the 14th and 15th fields of the line, in clock ticks (USER_HZ, 100 on Linux).
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    const usage = { peakRss: kB("VmHWM"), rss: kB("VmRSS"), cpuSeconds: ticks / 100 };
    return Number.isFinite(usage.peakRss) ? usage : null;
  } catch {
    return null;
  }
}

/** Starts anvil on 127.0.0.1 and resolves once it answers `eth_chainId` with `options.chainId`. */
export async function startAnvil(options: AnvilOptions): Promise<Anvil> {
  if (!options.forkFromEmpty) return combine(await spawnAnvil(options), [], options.chainId);
  const origin = await spawnAnvil({
    chainId: options.chainId,
    args: ["--accounts", "0"],
    timeoutMs: options.timeoutMs,
  });
  try {
    const args = [...(options.args ?? []), "--fork-url", origin.url, "--no-storage-caching"];
    return combine(await spawnAnvil({ ...options, args }), [origin], options.chainId);
  } catch (err) {
    await origin.stop();
    throw err;
  }
}

/** One anvil process. */
interface Proc {
  pid: number;
  url: string;
  running(): boolean;
  usage(): ProcessUsage | null;
  kill(): void;
  stop(): Promise<ProcessUsage | null>;
}

async function spawnAnvil(options: AnvilOptions): Promise<Proc> {
  const { chainId, args = [], timeoutMs = 30_000 } = options;
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(
      anvilBinary(),
      ["--host", "127.0.0.1", "--port", String(port), "--chain-id", String(chainId), "--silent", ...args],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
      try {
        if (Number(await rpc<string>(url, "eth_chainId")) === chainId && child.exitCode === null)
          return proc(child, url, exited);
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
    if (attempt >= 3) throw new Error(`anvil did not answer on ${url}: ${stderr.trim() || "no output"}`);
  }
}

function proc(child: ChildProcess, url: string, exited: Promise<void>): Proc {
  const pid = child.pid!;
  const running = () => child.exitCode === null && child.signalCode === null;
  let last: ProcessUsage | null = null;
  const usage = () => {
    if (running()) last = processUsage(pid) ?? last;
    return last;
  };
  return {
    pid,
    url,
    running,
    usage,
    kill: () => {
      if (running()) child.kill("SIGTERM");
    },
    async stop() {
      const final = usage();
      if (running()) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => running() && child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
      return final;
    },
  };
}

function sum(usages: (ProcessUsage | null)[]): ProcessUsage | null {
  if (usages.some((u) => u === null)) return null;
  return (usages as ProcessUsage[]).reduce((a, b) => ({
    peakRss: a.peakRss + b.peakRss,
    rss: a.rss + b.rss,
    cpuSeconds: a.cpuSeconds + b.cpuSeconds,
  }));
}

/** The node and the processes it needs, as one handle. */
function combine(node: Proc, helpers: Proc[], chainId: number): Anvil {
  const all = [node, ...helpers];
  return {
    pid: node.pid,
    pids: all.map((p) => p.pid),
    url: node.url,
    chainId,
    usage: () => sum(all.map((p) => p.usage())),
    kill: () => all.forEach((p) => p.kill()),
    async stop() {
      // The node first: it may still ask the chain it is forked from.
      const usages = [await node.stop()];
      for (const h of helpers) usages.push(await h.stop());
      return sum(usages);
    },
  };
}

/**
 * Stops `anvil` if this process ends before it does: on SIGINT or SIGTERM (waits until it has exited,
 * then exits 130 or 143; a second signal ends this process at once) and at exit (an uncaught error,
 * `process.exit`: SIGTERM only, nothing can be awaited there). Returns a function that removes the
 * handlers.
 */
export function stopWithProcess(anvil: Anvil): () => void {
  const kill = () => anvil.kill();
  const onSignal = (signal: NodeJS.Signals) => {
    const code = signal === "SIGINT" ? 130 : 143;
    anvil.stop().finally(() => process.exit(code));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.once("exit", kill);
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("exit", kill);
  };
}
