/** Amounts, percentages, durations and addresses in the words and units people read. */
import { formatDuration } from "../../../scripts/lib/shared/error-messages";

export { formatDuration };

/**
 * `1234567890000000000000n` (18 decimals) → `1,234.5678`: whole part grouped by thousands, at most
 * `maxFraction` fractional digits (rounded down, trailing zeros dropped), `<0.0001` for dust.
 */
export function formatTokens(wei: bigint, decimals = 18, maxFraction = 4): string {
  const negative = wei < 0n;
  const abs = negative ? -wei : wei;
  const base = 10n ** BigInt(decimals);
  const whole = abs / base;
  const digits = Math.min(maxFraction, decimals);
  const fracAll = (abs % base).toString().padStart(decimals, "0");
  const frac = fracAll.slice(0, digits).replace(/0+$/, "");
  const grouped = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  if (whole === 0n && frac === "" && abs > 0n) return `${negative ? "-" : ""}<0.${"0".repeat(digits - 1)}1`;
  return `${negative ? "-" : ""}${grouped}${frac ? `.${frac}` : ""}`;
}

/** TTD's units (symbol and decimals), as the transaction status and the token tables show them. */
export const TTD = { symbol: "TTD", decimals: 18 } as const;

/** The same with the token's symbol: `1,234.5 TTD`. */
export function formatAmount(wei: bigint, symbol: string, decimals = 18, maxFraction = 4): string {
  return `${formatTokens(wei, decimals, maxFraction)} ${symbol}`;
}

export type ParsedAmount = { ok: true; value: bigint } | { ok: false; error: string };

/**
 * Reads an amount typed by a person (`1,000.5`, ` 12 `, `.5`) into base units; refuses what is not a
 * positive decimal number or has more decimals than the token.
 */
export function parseAmount(input: string, decimals = 18): ParsedAmount {
  const text = input.trim().replace(/[,_\s]/g, "");
  if (text === "") return { ok: false, error: "Enter an amount" };
  if (!/^\d*\.?\d*$/.test(text) || text === ".") return { ok: false, error: "Enter a number such as 12.5" };
  const [whole = "", frac = ""] = text.split(".");
  if (frac.length > decimals) return { ok: false, error: `At most ${decimals} decimals` };
  const value = BigInt(whole || "0") * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, "0") || "0");
  if (value === 0n) return { ok: false, error: "The amount must be more than zero" };
  return { ok: true, value };
}

/** Basis points as a percentage: `2400` → `24%`, `2450` → `24.5%`, `1` → `0.01%`. */
export function formatBps(bps: number | bigint): string {
  const n = Number(bps);
  return `${Number((n / 100).toFixed(2))}%`;
}

/** A share `part / whole` as a percentage with one decimal, `—` when the whole is zero. */
export function formatShare(part: bigint, whole: bigint): string {
  if (whole === 0n) return "—";
  const tenths = (part * 1000n) / whole;
  return `${(Number(tenths) / 10).toFixed(1)}%`;
}

/** `0x1234…abcd`. */
export function shortAddress(address: string): string {
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

/** A countdown to `target` from `now` (seconds): `2d 4h`, `now` when due. */
export function countdown(target: bigint, now: bigint): string {
  return target <= now ? "now" : formatDuration(target - now);
}

/** A UTC date and time: `2026-01-31 12:00 UTC`. */
export function formatDate(timestamp: bigint | number): string {
  const d = new Date(Number(timestamp) * 1000);
  return Number.isNaN(d.getTime())
    ? String(timestamp)
    : d.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

/** Big token amounts for charts and headlines: `42.0M`, `14.4k`, `950`. */
export function compactTokens(wei: bigint, decimals = 18): string {
  const n = Number(wei / 10n ** BigInt(Math.max(0, decimals - 6))) / 1e6;
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 1 : 2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(n >= 1e4 ? 1 : 2)}k`;
  return n.toFixed(n >= 100 ? 0 : 2);
}
