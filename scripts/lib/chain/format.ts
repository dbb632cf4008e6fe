/** Human-readable amounts and tables for the CLI scripts. */
import { formatUnits } from "ethers";

/** Formats a wei amount as tokens with thousands separators and `decimals` fraction digits. */
export function fmt(wei: bigint, decimals = 4): string {
  const negative = wei < 0n;
  const [whole, frac = ""] = formatUnits(negative ? -wei : wei, 18).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const fraction = decimals > 0 ? "." + frac.padEnd(decimals, "0").slice(0, decimals) : "";
  return (negative ? "-" : "") + grouped + fraction;
}

/** Renders rows as a plain-text table with right-aligned cells after the first column. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
