/**
 * Progress of a long run on stderr: a redrawn bar when stderr is a terminal, otherwise plain lines
 * (one every `everyPercent` percent and at the end) that read well in CI logs.
 */

/** Where progress goes; tests and benchmarks pass a silent one. */
export interface ProgressSink {
  /** `done` of `total` units finished; `detail` is shown after the counts. */
  update(done: number, total: number, detail?: string): void;
  /** Clears the bar (TTY) so the next output starts on a fresh line. */
  finish(): void;
}

/** A sink that prints nothing. */
export const silentProgress: ProgressSink = { update: () => undefined, finish: () => undefined };

export interface ProgressOptions {
  /** Label before the counts, e.g. "simulating". */
  label: string;
  /** Unit after the counts, e.g. "days". */
  unit: string;
  stream?: NodeJS.WriteStream;
  /** Force the TTY bar (true) or plain lines (false); by default the stream's `isTTY`. */
  tty?: boolean;
  /** Plain mode prints when another `everyPercent` percent is done (default 10). */
  everyPercent?: number;
  /** Clock in ms (tests); defaults to `Date.now`. */
  now?: () => number;
}

/** Seconds as `1m05s` or `12s`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/** The text of one progress report (without the bar), e.g. `12/30 days (40%) 3.1 days/s, ETA 6s`. */
export function progressLine(done: number, total: number, unit: string, elapsedMs: number): string {
  const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
  const rate = elapsedMs > 0 ? done / (elapsedMs / 1000) : 0;
  const eta = rate > 0 ? (total - done) / rate : 0;
  return `${done}/${total} ${unit} (${pct}%) ${rate.toFixed(1)} ${unit}/s, ETA ${duration(eta)}`;
}

/** A progress sink on `stream` (stderr by default). */
export function createProgress(options: ProgressOptions): ProgressSink {
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? Boolean(stream.isTTY);
  const every = options.everyPercent ?? 10;
  const now = options.now ?? Date.now;
  const started = now();
  let lastBucket = -1;
  let drawn = false;
  return {
    update(done, total, detail) {
      const line = progressLine(done, total, options.unit, now() - started) + (detail ? `  ${detail}` : "");
      if (tty) {
        const width = 24;
        const filled = total > 0 ? Math.round((done / total) * width) : width;
        const bar = "#".repeat(filled) + ".".repeat(width - filled);
        const columns = stream.columns ?? 120;
        stream.write(`\r${`${options.label} [${bar}] ${line}`.slice(0, columns - 1)}\x1b[K`);
        drawn = true;
        return;
      }
      const bucket = total > 0 ? Math.floor(((done / total) * 100) / every) : 0;
      if (bucket !== lastBucket || done === total) {
        lastBucket = bucket;
        stream.write(`${options.label}: ${line}\n`);
      }
    },
    finish() {
      if (tty && drawn) stream.write("\r\x1b[K");
      drawn = false;
    },
  };
}
